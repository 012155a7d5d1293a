terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

module "db" {
  source = "../modules/db"
  id     = local.name
}

resource "aws_iam_role" "app" {
  name = local.name
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Condition = { StringLike = { "oidc.eks:sub" = "system:serviceaccount:shop:*" } }
    }]
  })
}

resource "google_service_account" "shop" {
  account_id = "shop"
}

resource "google_service_account_iam_member" "wi" {
  service_account_id = google_service_account.shop.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:acme.svc.id.goog[shop/api]"
}

resource "aws_security_group" "web" {
  name = "web"
  dynamic "ingress" {
    for_each = var.cidrs
    content { cidr_blocks = [ingress.value] }
  }
  ingress {
    from_port   = -1
    to_port     = 443
    cidr_blocks = var.cidrs
  }
}
