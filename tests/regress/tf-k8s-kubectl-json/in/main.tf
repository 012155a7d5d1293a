resource "kubectl_manifest" "svc" {
  yaml_body = <<-YAML
    apiVersion: v1
    kind: Service
    metadata:
      name: admin
      namespace: ops
    spec:
      type: NodePort
      selector:
        app: admin
      ports:
        - port: 80
  YAML
}
