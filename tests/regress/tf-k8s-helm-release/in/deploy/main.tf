locals {
  env = "prod"
}

resource "helm_release" "catalog" {
  name             = "catalog"
  chart            = "${path.module}/charts/catalog"
  namespace        = "catalog"
  create_namespace = true

  values = [
    file("${path.module}/values/catalog-${local.env}.yaml"),
    yamlencode({
      replicaCount = 3
      ingress = {
        enabled = true
        host    = "catalog.example.com"
      }
    })
  ]

  set {
    name  = "service.type"
    value = "LoadBalancer"
  }

  set_sensitive {
    name  = "db.password"
    value = var.catalog_db_password
  }
}

variable "catalog_db_password" {
  type      = string
  sensitive = true
}

resource "helm_release" "cert_manager" {
  name       = "cert-manager"
  repository = "https://charts.jetstack.io"
  chart      = "cert-manager"
  version    = "v1.14.4"
  namespace  = "cert-manager"
}

resource "helm_release" "podinfo" {
  name      = "podinfo"
  chart     = "oci://ghcr.io/stefanprodan/charts/podinfo"
  namespace = "podinfo"
}
