{{/*
Names, labels and the per-service context shared by every template.
A service context is a dict: root (the chart's top scope), name (budget-service...), values (its
values block).
*/}}

{{- define "bulwark.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "bulwark.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "bulwark.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The four services and the values key of each, as YAML: range over it with fromYaml. */}}
{{- define "bulwark.services" -}}
budget-service: budgetService
metrics-service: metricsService
backup-service: backupService
failover-service: failoverService
{{- end }}

{{/* Resource name of a service: <fullname>-<service>. Takes a service context. */}}
{{- define "bulwark.componentName" -}}
{{- printf "%s-%s" (include "bulwark.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Resource name of another service of this release, by its name. Takes (list $ "budget-service"). */}}
{{- define "bulwark.peerName" -}}
{{- printf "%s-%s" (include "bulwark.fullname" (index . 0)) (index . 1) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels of a service; NetworkPolicies select callers with them too. */}}
{{- define "bulwark.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{- define "bulwark.labels" -}}
helm.sh/chart: {{ include "bulwark.chart" .root }}
{{ include "bulwark.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: bulwark
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end }}

{{/* Replicas a service runs at least: the HPA's minimum when it autoscales, else replicaCount. */}}
{{- define "bulwark.minReplicas" -}}
{{- if dig "autoscaling" "enabled" false .values }}
{{- .values.autoscaling.minReplicas }}
{{- else }}
{{- .values.replicaCount }}
{{- end }}
{{- end }}

{{- define "bulwark.image" -}}
{{- printf "%s:%s" .values.image.repository (default .root.Chart.AppVersion .values.image.tag) }}
{{- end }}
