resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = "arn:aws:iam::123:role/x"
  handler = "h"
  runtime = "nodejs20.x"
}
resource "aws_apigatewayv2_api" "api" {
  name          = "api"
  protocol_type = "HTTP"
  target        = aws_lambda_function.fn.arn
}
