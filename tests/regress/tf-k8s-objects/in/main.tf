# A shop's services deployed from Terraform with the kubernetes provider, as teams write them.
variable "orders_tag" {
  default = "3.1.0"
}

variable "stripe_webhook_secret" {
  type      = string
  sensitive = true
}

resource "kubernetes_namespace_v1" "shop" {
  metadata {
    name = "shop"
  }
}

resource "kubernetes_deployment_v1" "orders" {
  metadata {
    name      = "orders"
    namespace = kubernetes_namespace_v1.shop.metadata[0].name
  }
  spec {
    replicas = "2"
    selector {
      match_labels = {
        "app.kubernetes.io/name" = "orders"
      }
    }
    template {
      metadata {
        labels = {
          "app.kubernetes.io/name" = "orders"
        }
      }
      spec {
        service_account_name = kubernetes_service_account_v1.orders.metadata.0.name
        host_pid             = true
        container {
          name  = "orders"
          image = "registry.example.com/shop/orders:${var.orders_tag}"
          port {
            name           = "http"
            container_port = 8080
          }
          env {
            name  = "PAYMENTS_URL"
            value = "http://payments.shop.svc.cluster.local:8080"
          }
          env {
            name  = "DATABASE_PASSWORD"
            value = "Tr0ub4dor&3-orders"
          }
          security_context {
            privileged = true
          }
        }
      }
    }
  }
}

resource "kubernetes_service_account_v1" "orders" {
  metadata {
    name      = "orders"
    namespace = "shop"
  }
}

resource "kubernetes_service_v1" "orders" {
  metadata {
    name      = "orders"
    namespace = "shop"
  }
  spec {
    type = "LoadBalancer"
    selector = {
      "app.kubernetes.io/name" = "orders"
    }
    port {
      name        = "http"
      port        = 80
      target_port = "8080"
    }
  }
}

resource "kubernetes_secret_v1" "stripe" {
  metadata {
    name      = "stripe"
    namespace = "shop"
  }
  data = {
    api_key        = "sk_live_51HqLyjWDarjtT1zdp7dcQ9e2"
    webhook_secret = var.stripe_webhook_secret
  }
}

resource "kubernetes_cluster_role_binding_v1" "orders" {
  metadata {
    name = "orders-admin"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "cluster-admin"
  }
  subject {
    kind      = "ServiceAccount"
    name      = "orders"
    namespace = "shop"
  }
}

# the whole object as an HCL map, and one read from a YAML file
resource "kubernetes_manifest" "payments_policy" {
  manifest = {
    apiVersion = "networking.k8s.io/v1"
    kind       = "NetworkPolicy"
    metadata = {
      name      = "payments-from-orders"
      namespace = "shop"
    }
    spec = {
      podSelector = {
        matchLabels = {
          "app.kubernetes.io/name" = "payments"
        }
      }
      policyTypes = ["Ingress"]
      ingress = [
        {
          from = [
            {
              podSelector = {
                matchLabels = {
                  "app.kubernetes.io/name" = "orders"
                }
              }
            }
          ]
        }
      ]
    }
  }
}

resource "kubernetes_manifest" "default_deny" {
  manifest = yamldecode(file("${path.module}/policies/deny.yaml"))
}

module "payments" {
  source    = "./modules/worker"
  name      = "payments"
  namespace = kubernetes_namespace_v1.shop.metadata[0].name
}
