resource "aws_lambda_function" "login" {
  function_name = "login-prod"
  s3_bucket     = "code-bucket"
  s3_key        = "app.jar"
  handler       = "com.example.LoginHandler::handleRequest"
  role          = "arn:aws:iam::123456789012:role/login-role"
  runtime       = "java17"

  environment {
    variables = {
      RESPONSYS_AUTH_TYPE = "password"
      RESPONSYS_PASSWORD  = "Lulu%40lem0n"
      RESPONSYS_USERNAME  = "loyalty_API"
      DB_PASSWORD         = var.db_password
    }
  }
}

variable "db_password" {
  type      = string
  sensitive = true
}
