{{- define "store.db.name" -}}
store-db
{{- end -}}
