resource "aws_iam_role" "ci" {
  name = "ci-release"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRoleWithWebIdentity"
        Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
        Condition = {
          StringLike = {
            "token.actions.githubusercontent.com:sub" = "repo:acme/*"
          }
        }
      },
    ]
  })
}
