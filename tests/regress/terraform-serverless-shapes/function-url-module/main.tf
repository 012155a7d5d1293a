module "lock_function" {
  source             = "./fn"
  execution_role_arn = aws_iam_role.all_lambda_role.arn
  src_directory_name = "lock_function"
}

resource "aws_lambda_function_url" "lock_function" {
  function_name      = module.lock_function.function_name
  authorization_type = "NONE"
}

resource "aws_iam_role" "all_lambda_role" {
  name = "all_lambda_role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
