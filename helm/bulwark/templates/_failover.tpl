{{/*
failover-service's groups (failoverService.groups) as the environment names FailoverConfig reads:
bulwark.failover.groups.<g>.<key> is BULWARK_FAILOVER_GROUPS_<G>_<KEY>. A setting left out of the
values is left out here too, so that the service's own default applies.
*/}}

{{/* Non-secret settings, lines of the service's ConfigMap. Takes failoverService's values. */}}
{{- define "bulwark.config.failover" -}}
{{- $durations := dict "period" "PERIOD" "timeout" "TIMEOUT" "cooldown" "COOLDOWN" "promoteTimeout" "PROMOTE_TIMEOUT" }}
{{- $counts := dict "failureThreshold" "FAILURE_THRESHOLD" "successThreshold" "SUCCESS_THRESHOLD" "maximumLagOnFailover" "MAXIMUM_LAG_ON_FAILOVER" }}
{{- $texts := dict "username" "USERNAME" "initialPrimary" "INITIAL_PRIMARY" }}
{{- range $group, $g := .groups }}
{{- $prefix := printf "BULWARK_FAILOVER_GROUPS_%s" (upper $group) }}
{{ $prefix }}_KIND: {{ $g.kind | quote }}
{{- range $key, $env := merge (dict) $durations $texts }}
{{- if hasKey $g $key }}
{{ $prefix }}_{{ $env }}: {{ get $g $key | quote }}
{{- end }}
{{- end }}
{{- /* int64: Helm reads numbers as floats, which would print 1048576 as 1.048576e+06. */}}
{{- range $key, $env := $counts }}
{{- if hasKey $g $key }}
{{ $prefix }}_{{ $env }}: {{ get $g $key | int64 | quote }}
{{- end }}
{{- end }}
{{- range $member, $m := $g.members }}
{{ $prefix }}_MEMBERS_{{ upper $member }}_URL: {{ $m.url | quote }}
{{- with (get $m "pod") }}
{{ $prefix }}_MEMBERS_{{ upper $member }}_POD: {{ . | quote }}
{{- end }}
{{- with (get $m "namespace") }}
{{ $prefix }}_MEMBERS_{{ upper $member }}_NAMESPACE: {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* Each group's password, only ever a reference to an existing Secret. Takes failoverService's values. */}}
{{- define "bulwark.secretEnv.failover" -}}
{{- range $group, $g := .groups }}
{{- with (get $g "passwordSecret") }}
- name: BULWARK_FAILOVER_GROUPS_{{ upper $group }}_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ .name | quote }}, key: {{ .key | quote }}}
{{- end }}
{{- end }}
{{- end }}

{{/*
Namespaces other than the release's whose pods failover-service relabels: rbac.podNamespaces and
every member's namespace, sorted and unique, as a YAML list. Takes the chart's top scope.
*/}}
{{- define "bulwark.failover.podNamespaces" -}}
{{- $namespaces := list }}
{{- range .Values.failoverService.rbac.podNamespaces }}
{{- $namespaces = append $namespaces . }}
{{- end }}
{{- range $group, $g := .Values.failoverService.groups }}
{{- range $member, $m := $g.members }}
{{- with (get $m "namespace") }}
{{- $namespaces = append $namespaces . }}
{{- end }}
{{- end }}
{{- end }}
{{- without ($namespaces | uniq | sortAlpha) .Release.Namespace | toYaml }}
{{- end }}
