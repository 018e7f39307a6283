{{/*
Environment taken from Secrets, per service: every secret value is a secretKeyRef, never a literal.
Takes a service context.
*/}}

{{- define "bulwark.secretEnv" -}}
{{- $db := .values.database -}}
- name: QUARKUS_DATASOURCE_JDBC_URL
  valueFrom:
    secretKeyRef: {name: {{ $db.existingSecret | quote }}, key: {{ $db.jdbcUrlKey | quote }}}
- name: QUARKUS_DATASOURCE_REACTIVE_URL
  valueFrom:
    secretKeyRef: {name: {{ $db.existingSecret | quote }}, key: {{ $db.reactiveUrlKey | quote }}}
- name: QUARKUS_DATASOURCE_USERNAME
  valueFrom:
    secretKeyRef: {name: {{ $db.existingSecret | quote }}, key: {{ $db.usernameKey | quote }}}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ $db.existingSecret | quote }}, key: {{ $db.passwordKey | quote }}}
{{- if eq .name "metrics-service" }}
{{- include "bulwark.secretEnv.metrics" .values }}
{{- end }}
{{- if eq .name "backup-service" }}
{{- include "bulwark.secretEnv.backup" .values }}
{{- end }}
{{- if eq .name "failover-service" }}
{{- include "bulwark.secretEnv.failover" .values }}
{{- end }}
{{- end }}

{{/* metrics-service: each credential is optional; a missing key leaves its feature off. */}}
{{- define "bulwark.secretEnv.metrics" -}}
{{- $s := .secrets }}
{{- range $env, $key := dict "BULWARK_METRICS_SPEND_TOKEN" $s.spendTokenKey "BULWARK_SENDGRID_VERIFICATION_KEY" $s.sendgridVerificationKeyKey "BULWARK_SNS_USERNAME" $s.snsUsernameKey "BULWARK_SNS_PASSWORD" $s.snsPasswordKey }}
- name: {{ $env }}
  valueFrom:
    secretKeyRef: {name: {{ $s.existingSecret | quote }}, key: {{ $key | quote }}, optional: true}
{{- end }}
{{- range $db, $d := .databases }}
{{- if (get $d "existingSecret") }}
- name: BULWARK_METRICS_DATABASES_{{ upper $db }}_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ (get $d "existingSecret") | quote }}, key: {{ default "password" (get $d "passwordKey") | quote }}}
{{- end }}
{{- end }}
{{- end }}

{{/* backup-service: S3 keys (unless the SDK's chain provides them), age keys, its token for
failover-service, target passwords. */}}
{{- define "bulwark.secretEnv.backup" -}}
{{- with .storage }}
{{- if .existingSecret }}
- name: BULWARK_BACKUP_STORAGE_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef: {name: {{ .existingSecret | quote }}, key: {{ .accessKeyIdKey | quote }}}
- name: BULWARK_BACKUP_STORAGE_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef: {name: {{ .existingSecret | quote }}, key: {{ .secretAccessKeyKey | quote }}}
{{- end }}
{{- end }}
- name: BULWARK_BACKUP_AGE_RECIPIENT
  valueFrom:
    secretKeyRef: {name: {{ .age.existingSecret | quote }}, key: {{ .age.recipientKey | quote }}}
{{- /* Optional: a cluster may hold only the recipient and restore elsewhere. */}}
- name: BULWARK_BACKUP_AGE_IDENTITY
  valueFrom:
    secretKeyRef: {name: {{ .age.existingSecret | quote }}, key: {{ .age.identityKey | quote }}, optional: true}
{{- with .scratchServer }}
{{- if .existingSecret }}
- name: BULWARK_BACKUP_SCRATCH_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ .existingSecret | quote }}, key: {{ .passwordKey | quote }}}
{{- end }}
{{- end }}
{{- with .pitr.failover }}
{{- if .existingSecret }}
- name: BULWARK_BACKUP_FAILOVER_TOKEN
  valueFrom:
    secretKeyRef: {name: {{ .existingSecret | quote }}, key: {{ .tokenKey | quote }}}
{{- end }}
{{- end }}
{{- range $target, $t := .targets }}
{{- if (get $t "existingSecret") }}
- name: BULWARK_BACKUP_TARGETS_{{ upper $target }}_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ (get $t "existingSecret") | quote }}, key: {{ default "password" (get $t "passwordKey") | quote }}}
{{- end }}
{{- end }}
{{- end }}
