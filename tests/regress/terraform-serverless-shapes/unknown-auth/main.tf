variable "auth" {}
resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = "arn:aws:iam::123:role/x"
  handler = "h"
  runtime = "nodejs20.x"
}
resource "aws_apigatewayv2_api" "api" {
  name          = "api"
  protocol_type = "HTTP"
}
resource "aws_apigatewayv2_integration" "i" {
  api_id           = aws_apigatewayv2_api.api.id
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.fn.invoke_arn
}
resource "aws_apigatewayv2_route" "r" {
  api_id             = aws_apigatewayv2_api.api.id
  route_key          = "DELETE /secret"
  target             = "integrations/${aws_apigatewayv2_integration.i.id}"
  authorization_type = var.auth
}
resource "aws_lambda_function_url" "u" {
  function_name      = aws_lambda_function.fn.function_name
  authorization_type = var.auth
}
