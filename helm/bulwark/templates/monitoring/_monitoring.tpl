{{/*
Helpers of the monitoring objects only (templates/monitoring); the services' own helpers are in
templates/_helpers.tpl.
*/}}

{{/* Labels on every monitoring object; monitoring.labels adds what the Prometheus's selectors ask for. */}}
{{- define "bulwark.monitoring.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: bulwark
app.kubernetes.io/component: monitoring
{{- with .Values.monitoring.labels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* A monitoring object's name: "<release>-<what>", cut to the 63 characters of a label value. */}}
{{- define "bulwark.monitoring.name" -}}
{{- $root := index . 0 -}}
{{- printf "%s-%s" $root.Release.Name (index . 1) | trunc 63 | trimSuffix "-" -}}
{{- end }}
