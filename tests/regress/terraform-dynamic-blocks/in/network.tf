variable "rules" {
  type = list(object({ port = number, cidrs = list(string) }))
  default = [
    { port = 22, cidrs = ["0.0.0.0/0"] },
    { port = 5432, cidrs = ["10.0.0.0/8"] },
  ]
}

variable "extra" {
  type = list(number)
}

resource "aws_security_group" "db" {
  name = "db"
  dynamic "ingress" {
    for_each = var.rules
    iterator = rule
    content {
      from_port   = rule.value.port
      to_port     = rule.value.port
      protocol    = "tcp"
      cidr_blocks = rule.value.cidrs
    }
  }
  dynamic "ingress" {
    for_each = toset(var.extra)
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
