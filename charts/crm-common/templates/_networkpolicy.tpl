{{/*
Egress rules every app pod and the migration Job need: DNS, PostgreSQL, the event store,
NATS and the OTLP collector; root context. An external endpoint without peers is opened
by port only (any address); list peers (ipBlock, namespaceSelector...) to narrow it.
*/}}
{{- define "crm-common.dependencyEgress" -}}
{{- $v := .Values -}}
{{- $np := $v.networkPolicy -}}
- to:
    {{- toYaml $np.dns.peers | nindent 4 }}
  ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- if eq $v.postgresql.mode "cloudnativepg" }}
- to:
    - podSelector:
        matchLabels:
          cnpg.io/cluster: {{ include "crm-common.componentName" (dict "root" . "component" "pg") }}
  ports:
    - port: 5432
      protocol: TCP
{{- else }}
- {{- with $np.egress.postgresql.peers }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  ports:
    - port: {{ $np.egress.postgresql.port }}
      protocol: TCP
{{- end }}
{{- if eq $v.eventStore.backend "kurrentdb" }}
- {{- with $np.egress.kurrentdb.peers }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  ports:
    - port: {{ $np.egress.kurrentdb.port }}
      protocol: TCP
{{- end }}
{{- if eq $v.nats.mode "bundled" }}
- to:
    - podSelector:
        matchLabels:
          {{- include "crm-common.selectorLabels" (dict "root" . "component" "nats") | nindent 10 }}
  ports:
    - port: 4222
      protocol: TCP
{{- else if eq $v.nats.mode "external" }}
- {{- with $np.egress.nats.peers }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  ports:
    - port: {{ $np.egress.nats.port }}
      protocol: TCP
{{- end }}
{{- if $v.otel.endpoint }}
- {{- with $np.egress.otlp.peers }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  ports:
    {{- range $np.egress.otlp.ports }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
{{- end }}
{{- end -}}

{{/* NetworkPolicy of one service; dict: root, component, svc. */}}
{{- define "crm-common.networkPolicy" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $np := $v.networkPolicy -}}
{{- $ctx := dict "root" $root "component" .component -}}
{{- $backends := list -}}
{{- $ports := list -}}
{{- range $n, $s := $v.services -}}
{{- if and $s.enabled (ne $n "gateway") -}}
{{- $backends = append $backends $n -}}
{{- $ports = append $ports $s.port -}}
{{- end -}}
{{- end -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "crm-common.componentName" $ctx }}
  labels:
    {{- include "crm-common.labels" $ctx | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "crm-common.selectorLabels" $ctx | nindent 6 }}
  policyTypes: ["Ingress", "Egress"]
  ingress:
    - from:
        {{- if eq .component "gateway" }}
        {{- toYaml $np.ingressControllerPeers | nindent 8 }}
        {{- else }}
        - podSelector:
            matchExpressions:
              - key: app.kubernetes.io/instance
                operator: In
                values: [{{ $root.Release.Name | quote }}]
              - key: app.kubernetes.io/component
                operator: In
                values: ["gateway", "automation"]
        {{- end }}
        - podSelector:
            matchLabels:
              {{- include "crm-common.selectorLabels" (dict "root" $root "component" "test") | nindent 14 }}
        {{- with $np.monitoringPeers }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      ports:
        - port: http
          protocol: TCP
    {{- with .svc.networkPolicy.extraIngress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  egress:
    {{- include "crm-common.dependencyEgress" $root | nindent 4 }}
    {{- if and (has .component (list "gateway" "automation")) $backends }}
    - to:
        - podSelector:
            matchExpressions:
              - key: app.kubernetes.io/instance
                operator: In
                values: [{{ $root.Release.Name | quote }}]
              - key: app.kubernetes.io/component
                operator: In
                values: {{ toJson $backends }}
      ports:
        {{- range $ports }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
    {{- end }}
    {{- with .svc.networkPolicy.extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}
