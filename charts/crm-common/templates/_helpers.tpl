{{/*
crm-common: helpers shared by every workload. All helpers take the including chart's root
context ($) or a dict with "root" set to it. See charts/README.md "Library contract".
*/}}

{{/* Release-wide name prefix, at most 40 characters so "<prefix>-<component>" stays a valid DNS label. */}}
{{- define "crm-common.fullname" -}}
{{- $root := .root | default . -}}
{{- if $root.Values.fullnameOverride -}}
{{- $root.Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $root.Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* "<prefix>-<component>"; dict: root, component. */}}
{{- define "crm-common.componentName" -}}
{{- printf "%s-%s" (include "crm-common.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "crm-common.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels; dict: root, component. Never change these between releases: selectors are immutable. */}}
{{- define "crm-common.selectorLabels" -}}
app.kubernetes.io/name: crm-suite
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Full labels; dict: root, component. */}}
{{- define "crm-common.labels" -}}
{{ include "crm-common.selectorLabels" . }}
app.kubernetes.io/part-of: crm-suite
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ include "crm-common.chart" .root }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
Image reference; dict: root, image (registry, repository, tag, digest).
global.imageRegistry replaces the image's own registry, so a private mirror serves every
image the chart renders. The tag defaults to the chart's appVersion; "latest" is refused.
*/}}
{{- define "crm-common.image" -}}
{{- $global := .root.Values.global | default dict -}}
{{- $registry := $global.imageRegistry | default .image.registry | default "" -}}
{{- $tag := .image.tag | default .root.Chart.AppVersion | toString -}}
{{- if eq $tag "latest" -}}
{{- fail (printf "image %s: the tag \"latest\" is not allowed; pin a version or a digest" .image.repository) -}}
{{- end -}}
{{- $ref := .image.repository -}}
{{- if $registry -}}
{{- $ref = printf "%s/%s" (trimSuffix "/" $registry) $ref -}}
{{- end -}}
{{- if .image.digest -}}
{{- printf "%s:%s@%s" $ref $tag .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $ref $tag -}}
{{- end -}}
{{- end -}}

{{/* imagePullSecrets: global.imagePullSecrets plus the chart's own imagePullSecrets; root context. */}}
{{- define "crm-common.imagePullSecrets" -}}
{{- $global := .Values.global | default dict -}}
{{- $names := list -}}
{{- range (concat ($global.imagePullSecrets | default list) (.Values.imagePullSecrets | default list)) -}}
{{- if kindIs "string" . -}}{{- $names = append $names . -}}{{- else -}}{{- $names = append $names .name -}}{{- end -}}
{{- end -}}
{{- if $names }}
imagePullSecrets:
{{- range ($names | uniq) }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Pod-level security context for Pod Security "restricted"; root context. */}}
{{- define "crm-common.podSecurityContext" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ .Values.defaults.securityContext.runAsUser }}
  runAsGroup: {{ .Values.defaults.securityContext.runAsGroup }}
  fsGroup: {{ .Values.defaults.securityContext.runAsGroup }}
  fsGroupChangePolicy: OnRootMismatch
  seccompProfile:
    type: RuntimeDefault
{{- end -}}

{{/* Container-level security context for Pod Security "restricted"; root context. */}}
{{- define "crm-common.containerSecurityContext" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ .Values.defaults.securityContext.runAsUser }}
  runAsGroup: {{ .Values.defaults.securityContext.runAsGroup }}
  allowPrivilegeEscalation: false
  privileged: false
  readOnlyRootFilesystem: true
  capabilities:
    drop: ["ALL"]
  seccompProfile:
    type: RuntimeDefault
{{- end -}}

{{/* Name of the ConfigMap with the non-secret settings every app reads; root context. */}}
{{- define "crm-common.configName" -}}
{{- printf "%s-config" (include "crm-common.fullname" .) -}}
{{- end -}}

{{/*
Environment every app and the migration Job read; dict: root, component, port (optional),
extraEnv (optional map), inlineConfig (true for hooks that run before the ConfigMap exists).
Non-secret settings come from the release ConfigMap; DATABASE_URL and KURRENTDB_URL only
ever come from Secrets (existingSecret values or the CloudNativePG-generated app Secret).
*/}}
{{- define "crm-common.env" -}}
{{- $v := .root.Values -}}
{{- if not .inlineConfig }}
envFrom:
  - configMapRef:
      name: {{ include "crm-common.configName" .root }}
{{- end }}
env:
{{- if .inlineConfig }}
{{- range $k, $val := (include "crm-common.configData" .root | fromYaml) }}
  - name: {{ $k }}
    value: {{ $val | toString | quote }}
{{- end }}
{{- end }}
{{- if .port }}
  - name: PORT
    value: {{ .port | quote }}
{{- end }}
  - name: OTEL_SERVICE_NAME
    value: {{ printf "crm-%s" .component | quote }}
  - name: K8S_POD_NAME
    valueFrom:
      fieldRef:
        fieldPath: metadata.name
  - name: K8S_NAMESPACE_NAME
    valueFrom:
      fieldRef:
        fieldPath: metadata.namespace
  - name: OTEL_RESOURCE_ATTRIBUTES
    value: {{ printf "service.namespace=crm-suite,service.version=%s,k8s.namespace.name=$(K8S_NAMESPACE_NAME),k8s.pod.name=$(K8S_POD_NAME)%s" .root.Chart.AppVersion (ternary (printf ",%s" $v.otel.resourceAttributes) "" (ne $v.otel.resourceAttributes "")) | quote }}
  - name: DATABASE_URL
    valueFrom:
      secretKeyRef:
        name: {{ include "crm-common.databaseSecretName" .root }}
        key: {{ include "crm-common.databaseSecretKey" .root }}
{{- if eq $v.eventStore.backend "kurrentdb" }}
  - name: KURRENTDB_URL
    valueFrom:
      secretKeyRef:
        name: {{ required "eventStore.kurrentdb.existingSecret is required when eventStore.backend is kurrentdb" $v.eventStore.kurrentdb.existingSecret }}
        key: {{ $v.eventStore.kurrentdb.secretKey }}
{{- end }}
{{- if and (eq $v.nats.mode "external") $v.nats.external.credentials.existingSecret }}
  - name: NATS_CREDS_FILE
    value: /etc/crm/nats/creds/{{ $v.nats.external.credentials.secretKey }}
{{- end }}
{{- if and (eq $v.nats.mode "external") $v.nats.external.tls.caSecret }}
  - name: NATS_TLS_CA_FILE
    value: /etc/crm/nats/tls/{{ $v.nats.external.tls.caKey }}
{{- end }}
{{- if eq .component "gateway" }}
{{- range $name, $svc := $v.services }}
{{- if and $svc.enabled (ne $name "gateway") }}
  - name: {{ printf "%s_URL" (upper $name) }}
    value: {{ printf "http://%s:%v" (include "crm-common.componentName" (dict "root" $.root "component" $name)) $svc.port | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- range $name, $value := (.extraEnv | default dict) }}
  - name: {{ $name }}
    value: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{- define "crm-common.databaseSecretName" -}}
{{- if eq .Values.postgresql.mode "cloudnativepg" -}}
{{- printf "%s-app" (include "crm-common.componentName" (dict "root" . "component" "pg")) -}}
{{- else -}}
{{- required "postgresql.external.existingSecret is required when postgresql.mode is external" .Values.postgresql.external.existingSecret -}}
{{- end -}}
{{- end -}}

{{- define "crm-common.databaseSecretKey" -}}
{{- if eq .Values.postgresql.mode "cloudnativepg" -}}uri{{- else -}}{{ .Values.postgresql.external.secretKey }}{{- end -}}
{{- end -}}

{{/* Volume mounts: /tmp plus the optional credential and CA files; root context. */}}
{{- define "crm-common.volumeMounts" -}}
volumeMounts:
  - name: tmp
    mountPath: /tmp
{{- if and (eq .Values.nats.mode "external") .Values.nats.external.credentials.existingSecret }}
  - name: nats-creds
    mountPath: /etc/crm/nats/creds
    readOnly: true
{{- end }}
{{- if and (eq .Values.nats.mode "external") .Values.nats.external.tls.caSecret }}
  - name: nats-tls
    mountPath: /etc/crm/nats/tls
    readOnly: true
{{- end }}
{{- if and (eq .Values.postgresql.mode "external") .Values.postgresql.external.tls.caSecret }}
  - name: postgresql-tls
    mountPath: /etc/crm/postgresql/tls
    readOnly: true
{{- end }}
{{- if and (eq .Values.eventStore.backend "kurrentdb") .Values.eventStore.kurrentdb.tls.caSecret }}
  - name: kurrentdb-tls
    mountPath: /etc/crm/kurrentdb/tls
    readOnly: true
{{- end }}
{{- end -}}

{{- define "crm-common.volumes" -}}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: {{ .Values.defaults.tmpSizeLimit }}
{{- if and (eq .Values.nats.mode "external") .Values.nats.external.credentials.existingSecret }}
  - name: nats-creds
    secret:
      secretName: {{ .Values.nats.external.credentials.existingSecret }}
      defaultMode: 0440
      items:
        - key: {{ .Values.nats.external.credentials.secretKey }}
          path: {{ .Values.nats.external.credentials.secretKey }}
{{- end }}
{{- if and (eq .Values.nats.mode "external") .Values.nats.external.tls.caSecret }}
  - name: nats-tls
    secret:
      secretName: {{ .Values.nats.external.tls.caSecret }}
      defaultMode: 0444
      items:
        - key: {{ .Values.nats.external.tls.caKey }}
          path: {{ .Values.nats.external.tls.caKey }}
{{- end }}
{{- if and (eq .Values.postgresql.mode "external") .Values.postgresql.external.tls.caSecret }}
  - name: postgresql-tls
    secret:
      secretName: {{ .Values.postgresql.external.tls.caSecret }}
      defaultMode: 0444
      items:
        - key: {{ .Values.postgresql.external.tls.caKey }}
          path: {{ .Values.postgresql.external.tls.caKey }}
{{- end }}
{{- if and (eq .Values.eventStore.backend "kurrentdb") .Values.eventStore.kurrentdb.tls.caSecret }}
  - name: kurrentdb-tls
    secret:
      secretName: {{ .Values.eventStore.kurrentdb.tls.caSecret }}
      defaultMode: 0444
      items:
        - key: {{ .Values.eventStore.kurrentdb.tls.caKey }}
          path: {{ .Values.eventStore.kurrentdb.tls.caKey }}
{{- end }}
{{- end -}}

{{/* Scheduling: the service's own setting when set, else defaults.*; dict: root, svc. */}}
{{- define "crm-common.scheduling" -}}
{{- $d := .root.Values.defaults -}}
{{- with (.svc.nodeSelector | default $d.nodeSelector) }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with (.svc.tolerations | default $d.tolerations) }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with (.svc.affinity | default $d.affinity) }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- $spread := .svc.topologySpreadConstraints | default $d.topologySpreadConstraints -}}
{{- if $spread }}
topologySpreadConstraints:
{{- range $spread }}
  - {{ toYaml (omit . "labelSelector") | nindent 4 | trim }}
    labelSelector:
      matchLabels:
        {{- include "crm-common.selectorLabels" (dict "root" $.root "component" $.component) | nindent 8 }}
{{- end }}
{{- end }}
{{- with $d.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end -}}

{{/* Non-secret settings shared by every app (the release ConfigMap's data); root context. */}}
{{- define "crm-common.configData" -}}
HOST: "0.0.0.0"
NODE_ENV: "production"
OTEL_SEMCONV_STABILITY_OPT_IN: "http"
LOG_LEVEL: {{ .Values.config.logLevel | quote }}
DEFAULT_TENANT: {{ .Values.config.defaultTenant | quote }}
EVENT_STORE: {{ .Values.eventStore.backend | quote }}
{{- if eq .Values.nats.mode "external" }}
NATS_URL: {{ required "nats.external.url is required when nats.mode is external" .Values.nats.external.url | quote }}
{{- else if eq .Values.nats.mode "bundled" }}
NATS_URL: {{ printf "nats://%s:4222" (include "crm-common.componentName" (dict "root" . "component" "nats")) | quote }}
{{- end }}
{{- if ne .Values.nats.mode "none" }}
NATS_NAMESPACE: {{ .Values.nats.namespace | default "crm" | quote }}
{{- end }}
{{- if .Values.otel.endpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ .Values.otel.endpoint | quote }}
{{- else }}
OTEL_SDK_DISABLED: "true"
{{- end }}
{{- end -}}
