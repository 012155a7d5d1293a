resource "kubernetes_manifest" "web_service" {
  manifest = yamldecode(file("${path.module}/k8s/web-service.yaml"))
}

resource "kubernetes_manifest" "web_service_again" {
  manifest = yamldecode(file("k8s/web-service.yaml"))
}

resource "kubernetes_deployment_v1" "web" {
  metadata {
    name      = "web"
    namespace = "store"
  }
  spec {
    replicas = 2
    selector {
      match_labels = { app = "web" }
    }
    template {
      metadata {
        labels = { app = "web" }
      }
      spec {
        container {
          name  = "web"
          image = "ghcr.io/acme/web:1.4.0"
          port {
            container_port = 8080
          }
        }
      }
    }
  }
}
