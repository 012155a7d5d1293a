variable "env" {}
resource "aws_lambda_function" "this" {
  function_name = "orders-${var.env}-${random_id.x.hex}"
  role          = "arn:aws:iam::123:role/x"
  handler       = "h"
  runtime       = "nodejs20.x"
}
output "invoke_arn" { value = aws_lambda_function.this.invoke_arn }
output "name" { value = aws_lambda_function.this.function_name }
