{{- define "gatewatch.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "gatewatch.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "gatewatch.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "gatewatch.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* The Secret that holds the database password: the user's own, or the chart's (which then needs a password). */}}
{{- define "gatewatch.dbSecretName" -}}
{{- if .Values.database.existingSecret -}}
{{ .Values.database.existingSecret }}
{{- else -}}
{{- $_ := required "set database.password (or database.existingSecret): the chart ships no database password" .Values.database.password -}}
{{ include "gatewatch.fullname" . }}
{{- end -}}
{{- end -}}

{{- define "gatewatch.dbSecretKey" -}}
{{- if .Values.database.existingSecret -}}{{ .Values.database.existingSecretKey }}{{- else -}}db-password{{- end -}}
{{- end -}}

{{- define "gatewatch.jdbcUrl" -}}
{{- if .Values.database.url -}}
{{ .Values.database.url }}
{{- else if .Values.postgresql.enabled -}}
jdbc:postgresql://{{ include "gatewatch.fullname" . }}-postgresql:5432/{{ .Values.postgresql.database }}
{{- else -}}
{{- fail "set database.url (an external PostgreSQL) or postgresql.enabled=true (the bundled one)" -}}
{{- end -}}
{{- end -}}

{{/* Environment shared by the central node and the checkers. */}}
{{- define "gatewatch.commonEnv" -}}
- name: QUARKUS_DATASOURCE_JDBC_URL
  value: {{ include "gatewatch.jdbcUrl" . | quote }}
- name: QUARKUS_DATASOURCE_USERNAME
  value: {{ .Values.database.username | quote }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "gatewatch.dbSecretName" . }}
      key: {{ include "gatewatch.dbSecretKey" . }}
# Probes come from the kubelet, outside the container's loopback; the port is in no Service.
- name: QUARKUS_MANAGEMENT_HOST
  value: 0.0.0.0
- name: GATEWATCH_PUBLIC_URL
  value: {{ .Values.publicUrl | quote }}
{{- if .Values.targetsAllow }}
- name: GATEWATCH_TARGETS_ALLOW
  value: {{ .Values.targetsAllow | quote }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Container settings shared by the central node and the checkers: ports, probes, hardening, /tmp. */}}
{{- define "gatewatch.containerCommon" -}}
image: {{ include "gatewatch.image" . }}
imagePullPolicy: {{ .Values.image.pullPolicy }}
ports:
  - name: http
    containerPort: 8080
  - name: management
    containerPort: 9000
startupProbe:
  httpGet:
    path: /q/health/started
    port: management
  periodSeconds: {{ .Values.probes.startup.periodSeconds }}
  failureThreshold: {{ .Values.probes.startup.failureThreshold }}
livenessProbe:
  httpGet:
    path: /q/health/live
    port: management
  periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
  failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
readinessProbe:
  httpGet:
    path: /q/health/ready
    port: management
  periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
  failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
securityContext:
  {{- toYaml .Values.securityContext | nindent 2 }}
volumeMounts:
  - name: tmp
    mountPath: /tmp
{{- end -}}

{{- define "gatewatch.podCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
automountServiceAccountToken: false
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: {{ .Values.tmpSizeLimit }}
{{- end -}}
