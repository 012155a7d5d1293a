{{- define "common.fullname" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end -}}
{{- define "common.selectorLabels" -}}
app: {{ .Chart.Name }}
{{- end -}}
