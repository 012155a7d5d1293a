# Hostile shapes: a module calling itself, modules calling each other, a huge count, a chart and a
# manifest outside the tree, a provider resource that changes objects made elsewhere.
module "self" {
  source = "./"
}

module "a" {
  source = "./modules/a"
}

resource "kubernetes_deployment" "fleet" {
  count = 100000
  metadata {
    name      = "fleet-${count.index}"
    namespace = "edge"
  }
  spec {
    selector {
      match_labels = {
        app = "fleet"
      }
    }
    template {
      metadata {
        labels = {
          app = "fleet"
        }
      }
      spec {
        container {
          name  = "agent"
          image = "registry.example.com/agent:1.0"
        }
      }
    }
  }
}

resource "kubernetes_deployment" "off" {
  count = 0
  metadata {
    name = "off"
  }
}

resource "helm_release" "escape" {
  name  = "escape"
  chart = "../../../../etc/charts/x"
}

resource "kubernetes_manifest" "outside" {
  manifest = yamldecode(file("${path.module}/../../outside.yaml"))
}

resource "kubernetes_labels" "ns" {
  api_version = "v1"
  kind        = "Namespace"
  metadata {
    name = "kube-system"
  }
  labels = {
    team = "platform"
  }
}
