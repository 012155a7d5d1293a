variable "env" { default = "prod" }
variable "cidrs" { default = ["0.0.0.0/0"] }
locals { name = "shop-${var.env}" }
