{{- define "shop.host" -}}
{{ .Values.inf.k8s.dns }}
{{- end -}}
