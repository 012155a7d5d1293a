variable "internal_lb" {
  type = bool
}

resource "aws_security_group" "alb" {
  name = "shop-alb"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb" "public" {
  name               = "shop-public"
  internal           = false
  load_balancer_type = "application"
  security_groups    = [aws_security_group.alb.id]
}

resource "aws_lb" "undecided" {
  name               = "shop-maybe"
  internal           = var.internal_lb
  load_balancer_type = "application"
}
