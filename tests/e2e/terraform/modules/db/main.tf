variable "id" {}
resource "aws_db_instance" "db" {
  identifier = var.id
  publicly_accessible = true
  vpc_security_group_ids = [aws_security_group.db.id]
}
resource "aws_security_group" "db" {
  name = "db"
  ingress {
    from_port = 5432
    to_port = 5432
    cidr_blocks = ["0.0.0.0/0"]
  }
}
module "loop" { source = "../../infra" }
