module "b" {
  source = "../b"
}

resource "kubernetes_config_map" "a" {
  metadata {
    name      = "a"
    namespace = "edge"
  }
  data = {
    mode = "a"
  }
}
