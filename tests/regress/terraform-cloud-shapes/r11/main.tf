resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = "vpc-123"
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "db" {
  identifier             = "orders"
  engine                 = "postgres"
  instance_class         = "db.t3.micro"
  publicly_accessible    = false
  storage_encrypted      = true
  db_subnet_group_name   = "private-subnets"
  vpc_security_group_ids = [aws_security_group.db.id]
}
