variable "db_hostname" {
  type = string
}

variable "cache_endpoint" {
  type = string
}

variable "queue_url" {
  type = string
}

variable "registry" {
  type = string
}

resource "kubernetes_deployment_v1" "orders" {
  metadata {
    name      = "orders"
    namespace = "shop"
  }
  spec {
    selector {
      match_labels = { app = "orders" }
    }
    template {
      metadata {
        labels = { app = "orders" }
      }
      spec {
        container {
          name  = "orders"
          image = "ghcr.io/acme/orders:2.3.1"
          env {
            name  = "DB_HOST"
            value = var.db_hostname
          }
          env {
            name  = "REDIS_ADDR"
            value = "${var.cache_endpoint}:6379"
          }
          env {
            name  = "QUEUE_URL"
            value = "https://${var.queue_url}/orders"
          }
          env {
            name  = "PAYMENTS_URL"
            value = "http://payments.shop.svc.cluster.local:8080"
          }
        }
        container {
          name  = "proxy"
          image = "${var.registry}/envoy:v1.31.2"
        }
      }
    }
  }
}
