variable "name" {
  default = null
}

resource "aws_iam_role" "this" {
  name               = var.name
  name_prefix        = "ci-"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}

resource "aws_s3_bucket" "b" {
  bucket = null
  bucket_prefix = "logs-"
}
