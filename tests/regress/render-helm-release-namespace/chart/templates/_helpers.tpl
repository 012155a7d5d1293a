{{/* the namespace every object of the release goes to, as common charts write it */}}
{{- define "web.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}
