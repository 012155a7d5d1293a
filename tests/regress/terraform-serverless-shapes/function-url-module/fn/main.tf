variable "src_directory_name" { type = string }
variable "execution_role_arn" { type = string }

resource "aws_lambda_function" "this" {
  function_name = var.src_directory_name
  filename      = "build/${var.src_directory_name}.zip"
  role          = var.execution_role_arn
  runtime       = "python3.12"
  handler       = "lambda_function.lambda_handler"
}

output "function_name" {
  value = aws_lambda_function.this.function_name
}
