variable "name" {}
variable "namespace" {}

resource "kubernetes_deployment" "this" {
  metadata {
    name      = var.name
    namespace = var.namespace
  }
  spec {
    selector {
      match_labels = {
        "app.kubernetes.io/name" = var.name
      }
    }
    template {
      metadata {
        labels = {
          "app.kubernetes.io/name" = var.name
        }
      }
      spec {
        automount_service_account_token = false
        container {
          name  = var.name
          image = "registry.example.com/shop/${var.name}@sha256:0d8e3a0c6b7f4b2a1e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f"
          port {
            container_port = 8080
          }
          security_context {
            run_as_non_root            = true
            run_as_user                = 10001
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            capabilities {
              drop = ["ALL"]
            }
          }
        }
      }
    }
  }
}

resource "kubernetes_service" "this" {
  metadata {
    name      = var.name
    namespace = var.namespace
  }
  spec {
    selector = {
      "app.kubernetes.io/name" = var.name
    }
    port {
      port        = 8080
      target_port = 8080
    }
  }
}
