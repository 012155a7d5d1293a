variable "env" {
  type        = string
  description = "deployment environment"
}

variable "admin_policy" {
  type    = string
  default = "arn:aws:iam::aws:policy/AdministratorAccess"
}
