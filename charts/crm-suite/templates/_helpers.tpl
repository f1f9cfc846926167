{{/* Names of the enabled services, sorted; root context. */}}
{{- define "crm-suite.enabledServices" -}}
{{- $names := list -}}
{{- range $name, $svc := .Values.services -}}
{{- if $svc.enabled }}{{ $names = append $names $name }}{{ end -}}
{{- end -}}
{{- toJson (sortAlpha $names) -}}
{{- end -}}
