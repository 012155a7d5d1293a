variable "fn_arn" {}
resource "aws_apigatewayv2_api" "api" {
  name          = "orders"
  protocol_type = "HTTP"
}
resource "aws_apigatewayv2_integration" "i" {
  api_id           = aws_apigatewayv2_api.api.id
  integration_type = "AWS_PROXY"
  integration_uri  = var.fn_arn
}
resource "aws_apigatewayv2_route" "r" {
  api_id    = aws_apigatewayv2_api.api.id
  route_key = "DELETE /orders/{id}"
  target    = "integrations/${aws_apigatewayv2_integration.i.id}"
}
