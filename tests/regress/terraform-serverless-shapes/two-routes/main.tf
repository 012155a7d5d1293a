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
resource "aws_apigatewayv2_route" "open" {
  api_id             = aws_apigatewayv2_api.api.id
  route_key          = "$default"
  target             = "integrations/${aws_apigatewayv2_integration.i.id}"
}
resource "aws_apigatewayv2_route" "jwt" {
  api_id             = aws_apigatewayv2_api.api.id
  route_key          = "ANY /{proxy+}"
  target             = "integrations/${aws_apigatewayv2_integration.i.id}"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.a.id
}
resource "aws_apigatewayv2_authorizer" "a" {
  api_id           = aws_apigatewayv2_api.api.id
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]
  name             = "a"
}
