variable "auth" {}
resource "random_id" "s" { byte_length = 4 }
resource "aws_lambda_function" "this" {
  function_name = "fn-${random_id.s.hex}"
  role          = "arn:aws:iam::123:role/x"
  handler = "h"
  runtime = "nodejs20.x"
}
resource "aws_lambda_function_url" "u" {
  function_name      = aws_lambda_function.this.function_name
  authorization_type = var.auth
}
