resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
}

resource "aws_dynamodb_table" "audit" {
  name     = "audit-log"
  hash_key = "id"
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_secretsmanager_secret" "db" {
  name = "prod/db-password"
}

resource "aws_s3_bucket" "uploads" {
  bucket = "shop-uploads"
}

resource "aws_iam_role" "orders" {
  name               = "orders-lambda"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Action = "sts:AssumeRole", Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" } }] })
}

resource "aws_iam_role_policy" "orders" {
  role = aws_iam_role.orders.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]
        Resource = [aws_dynamodb_table.orders.arn, "${aws_dynamodb_table.orders.arn}/index/*"]
      },
      {
        Effect   = "Allow"
        Action   = ["dynamodb:Query"]
        Resource = "arn:aws:dynamodb:*:*:table/audit-*"
      },
      {
        Effect   = "Allow"
        Action   = "sqs:SendMessage"
        Resource = aws_sqs_queue.jobs.arn
      },
      {
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-password-AbCdEf"
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = "${aws_s3_bucket.uploads.arn}/*"
      }
    ]
  })
}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = aws_iam_role.orders.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "orders.zip"
}

resource "aws_lambda_function_url" "orders" {
  function_name      = aws_lambda_function.orders.function_name
  authorization_type = "NONE"
}

resource "aws_iam_role" "reporting" {
  name                = "reporting"
  managed_policy_arns = ["arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess"]
  assume_role_policy  = jsonencode({ Version = "2012-10-17", Statement = [{ Action = "sts:AssumeRole", Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" } }] })
}

resource "aws_iam_role" "cleanup" {
  name               = "cleanup"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Action = "sts:AssumeRole", Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" } }] })
  inline_policy {
    name = "cleanup"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { Effect = "Deny", Action = "dynamodb:*", Resource = aws_dynamodb_table.orders.arn },
        { Effect = "Allow", NotAction = "dynamodb:DeleteTable", Resource = "*" },
        { Effect = "Allow", Action = "dynamodb:DescribeTable", Resource = "*" },
        { Effect = "Allow", Action = "s3:Delete*", Resource = "arn:aws:s3:::shop-uploads/tmp/*" }
      ]
    })
  }
}
