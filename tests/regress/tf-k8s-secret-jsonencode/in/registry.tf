variable "registry_password" {
  type      = string
  sensitive = true
}

# The image pull secret as the provider's docs write it: the docker config built with jsonencode.
resource "kubernetes_secret_v1" "registry" {
  metadata {
    name      = "registry-auth"
    namespace = "shop"
  }
  type = "kubernetes.io/dockerconfigjson"
  data = {
    ".dockerconfigjson" = jsonencode({
      auths = {
        "registry.example.com" = {
          username = "ci-bot"
          password = "q7Rk2-pull-token-9xV"
        }
      }
    })
  }
}

# The same from a variable without a value: nothing committed, and the unknown part said.
resource "kubernetes_secret_v1" "registry_from_var" {
  metadata {
    name      = "registry-auth-var"
    namespace = "shop"
  }
  type = "kubernetes.io/dockerconfigjson"
  data = {
    ".dockerconfigjson" = jsonencode({
      auths = {
        "registry.example.com" = {
          username = "ci-bot"
          password = var.registry_password
        }
      }
    })
  }
}

# An application's configuration file as YAML.
resource "kubernetes_config_map_v1" "settings" {
  metadata {
    name      = "orders-settings"
    namespace = "shop"
  }
  data = {
    "settings.yaml" = yamlencode({
      features = ["checkout", "refunds"]
      retries  = 3
    })
  }
}
