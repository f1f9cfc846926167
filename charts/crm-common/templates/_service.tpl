{{/*
crm-common.service renders everything one service needs:
ServiceAccount, Deployment, Service, PodDisruptionBudget, HorizontalPodAutoscaler,
NetworkPolicy and (when metrics.serviceMonitor.enabled) a ServiceMonitor.

Call it with a dict:
  root       the including chart's root context ($)
  component  the service name (gateway, leads, ...); also names the objects "<release>-<component>"
  svc        that service's values (services.<component>, see crm-suite values.schema.json $defs/service)
*/}}
{{- define "crm-common.service" -}}
{{- $root := .root -}}
{{- $svc := .svc -}}
{{- $component := .component -}}
{{- $ctx := dict "root" $root "component" $component -}}
{{- $name := include "crm-common.componentName" $ctx -}}
{{- $d := $root.Values.defaults -}}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $name }}
  labels:
    {{- include "crm-common.labels" $ctx | nindent 4 }}
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "crm-common.labels" $ctx | nindent 4 }}
spec:
  {{- if not $svc.autoscaling.enabled }}
  replicas: {{ $svc.replicaCount }}
  {{- end }}
  revisionHistoryLimit: {{ $d.revisionHistoryLimit }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 25%
  selector:
    matchLabels:
      {{- include "crm-common.selectorLabels" $ctx | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "crm-common.labels" $ctx | nindent 8 }}
        {{- with (merge (dict) ($svc.podLabels | default dict) ($d.podLabels | default dict)) }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ include "crm-common.configData" $root | sha256sum }}
        {{- with (merge (dict) ($svc.podAnnotations | default dict) ($d.podAnnotations | default dict)) }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ $name }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ $d.terminationGracePeriodSeconds }}
      {{- include "crm-common.imagePullSecrets" $root | nindent 6 }}
      {{- include "crm-common.podSecurityContext" $root | nindent 6 }}
      {{- include "crm-common.scheduling" (dict "root" $root "svc" $svc "component" $component) | nindent 6 }}
      containers:
        - name: {{ $component }}
          image: {{ include "crm-common.image" (dict "root" $root "image" $root.Values.image) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          command: ["node", "apps/{{ $component }}/dist/main.js"]
          ports:
            - name: http
              containerPort: {{ $svc.port }}
              protocol: TCP
          {{- include "crm-common.env" (dict "root" $root "component" $component "port" $svc.port "extraEnv" $svc.env) | nindent 10 }}
          {{- include "crm-common.volumeMounts" $root | nindent 10 }}
          resources:
            {{- toYaml $svc.resources | nindent 12 }}
          {{- include "crm-common.containerSecurityContext" $root | nindent 10 }}
          startupProbe:
            httpGet:
              path: /health/live
              port: http
            periodSeconds: {{ $d.probes.startup.periodSeconds }}
            timeoutSeconds: {{ $d.probes.startup.timeoutSeconds }}
            failureThreshold: {{ $d.probes.startup.failureThreshold }}
          livenessProbe:
            httpGet:
              path: /health/live
              port: http
            periodSeconds: {{ $d.probes.liveness.periodSeconds }}
            timeoutSeconds: {{ $d.probes.liveness.timeoutSeconds }}
            failureThreshold: {{ $d.probes.liveness.failureThreshold }}
          readinessProbe:
            httpGet:
              path: /health/ready
              port: http
            periodSeconds: {{ $d.probes.readiness.periodSeconds }}
            timeoutSeconds: {{ $d.probes.readiness.timeoutSeconds }}
            failureThreshold: {{ $d.probes.readiness.failureThreshold }}
          lifecycle:
            preStop:
              # Keep serving while endpoints and ingress controllers drop this pod, then
              # Kubernetes sends SIGTERM and the app drains (NestJS shutdown hooks).
              exec:
                command: ["sleep", "{{ $d.preStopSleepSeconds }}"]
      {{- include "crm-common.volumes" $root | nindent 6 }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "crm-common.labels" $ctx | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "crm-common.selectorLabels" $ctx | nindent 4 }}
  ports:
    - name: http
      port: {{ $svc.port }}
      targetPort: http
      protocol: TCP
{{- if $svc.podDisruptionBudget.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  labels:
    {{- include "crm-common.labels" $ctx | nindent 4 }}
spec:
  {{- if hasKey $svc.podDisruptionBudget "minAvailable" }}
  minAvailable: {{ $svc.podDisruptionBudget.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $svc.podDisruptionBudget.maxUnavailable | default 1 }}
  {{- end }}
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      {{- include "crm-common.selectorLabels" $ctx | nindent 6 }}
{{- end }}
{{- if $svc.autoscaling.enabled }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ $name }}
  labels:
    {{- include "crm-common.labels" $ctx | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ $name }}
  minReplicas: {{ $svc.autoscaling.minReplicas }}
  maxReplicas: {{ $svc.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $svc.autoscaling.targetCPUUtilizationPercentage }}
    {{- if $svc.autoscaling.consumerLag.enabled }}
    # Consumer lag, served as an external metric by an adapter (prometheus-adapter or KEDA's
    # metrics server) from the crm_consumer_lag gauge; see docs/deploy.md.
    - type: External
      external:
        metric:
          name: {{ $svc.autoscaling.consumerLag.metricName }}
          selector:
            matchLabels:
              service: {{ $component }}
              namespace: {{ $root.Release.Namespace }}
        target:
          type: AverageValue
          averageValue: {{ $svc.autoscaling.consumerLag.targetAverageValue | quote }}
    {{- end }}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: {{ $svc.autoscaling.scaleDownStabilizationSeconds }}
      policies:
        - type: Pods
          value: 1
          periodSeconds: 60
    scaleUp:
      stabilizationWindowSeconds: 0
      policies:
        - type: Percent
          value: 100
          periodSeconds: 30
{{- end }}
{{- if $root.Values.networkPolicy.enabled }}
---
{{ include "crm-common.networkPolicy" (dict "root" $root "component" $component "svc" $svc) }}
{{- end }}
{{- if $root.Values.metrics.serviceMonitor.enabled }}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ $name }}
  labels:
    {{- include "crm-common.labels" $ctx | nindent 4 }}
    {{- with $root.Values.metrics.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "crm-common.selectorLabels" $ctx | nindent 6 }}
  endpoints:
    - port: http
      path: /metrics
      honorLabels: true
      interval: {{ $root.Values.metrics.serviceMonitor.interval }}
      scrapeTimeout: {{ $root.Values.metrics.serviceMonitor.scrapeTimeout }}
      relabelings:
        - sourceLabels: [__meta_kubernetes_service_label_app_kubernetes_io_component]
          targetLabel: service
{{- end }}
{{- end -}}
