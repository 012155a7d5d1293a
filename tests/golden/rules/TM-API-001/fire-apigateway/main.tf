resource "aws_apigatewayv2_api" "api" {
  name          = "quotes-api"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.api.id
  name        = "$default"
  auto_deploy = true
}

resource "aws_apigatewayv2_integration" "quotes" {
  api_id                 = aws_apigatewayv2_api.api.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.quotes.invoke_arn
  payload_format_version = "2.0"
}

# no authorization_type: defaults to NONE (anyone on the internet may call it)
resource "aws_apigatewayv2_route" "delete_quote" {
  api_id    = aws_apigatewayv2_api.api.id
  route_key = "DELETE /quotes/{id}"
  target    = "integrations/${aws_apigatewayv2_integration.quotes.id}"
}

resource "aws_lambda_function" "quotes" {
  function_name = "quotes"
  role          = aws_iam_role.lambda_exec.arn
  handler       = "quotes.handler"
  runtime       = "nodejs20.x"
  filename      = "quotes.zip"
}

resource "aws_iam_role" "lambda_exec" {
  name                = "quotes-lambda"
  assume_role_policy  = jsonencode({ Version = "2012-10-17", Statement = [{ Action = "sts:AssumeRole", Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" } }] })
}

resource "aws_iam_role_policy" "ddb" {
  role   = aws_iam_role.lambda_exec.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "dynamodb:*", Resource = "*" }] })
}
