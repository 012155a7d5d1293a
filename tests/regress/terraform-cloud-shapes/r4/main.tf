resource "aws_iam_role" "gha" {
  name = "gha-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "iam" {
  role       = aws_iam_role.gha.name
  policy_arn = "arn:aws:iam::aws:policy/IAMFullAccess"
}
