{{/*
backup-service's PITR and raw-data archive settings (backupService.pitr, backupService.archive) as
the environment names PitrConfig, PagesConfig and LlmCallsConfig read. Takes backupService's values
with failoverService.groups as .failoverGroups.
*/}}

{{- define "bulwark.config.backupPitr" -}}
{{- $scratch := trimSuffix "/" .scratch.mountPath }}
{{- $spool := default (printf "%s/pitr-spool" $scratch) .pitr.spoolDir }}
{{- /* The root file system is read-only: only the scratch claim can hold the spool. */}}
{{- if not (hasPrefix (printf "%s/" $scratch) $spool) }}
{{- fail (printf "backupService.pitr.spoolDir %q must be under backupService.scratch.mountPath %q: the root file system is read-only" $spool $scratch) }}
{{- end }}
BULWARK_BACKUP_PITR_SPOOL_DIR: {{ $spool | quote }}
{{- $restores := default (printf "%s/pitr-scratch" $scratch) .pitr.scratchDir }}
{{- /* Restores unpack whole data directories: /tmp (a small emptyDir) cannot hold them. */}}
{{- if not (hasPrefix (printf "%s/" $scratch) $restores) }}
{{- fail (printf "backupService.pitr.scratchDir %q must be under backupService.scratch.mountPath %q: the root file system is read-only and /tmp is small" $restores $scratch) }}
{{- end }}
BULWARK_BACKUP_PITR_SCRATCH_DIR: {{ $restores | quote }}
{{- range $key, $env := dict "baseSchedule" "BASE_SCHEDULE" "verifySchedule" "VERIFY_SCHEDULE" "window" "WINDOW" "retentionEvery" "RETENTION_EVERY" "recoveryTimeout" "RECOVERY_TIMEOUT" }}
{{- with (get $.pitr $key) }}
BULWARK_BACKUP_PITR_{{ $env }}: {{ . | quote }}
{{- end }}
{{- end }}
{{- /* int64: Helm reads numbers as floats, which would print 1073741824 as 1.073741824e+09. */}}
BULWARK_BACKUP_PITR_SPOOL_LIMIT: {{ .pitr.spoolLimit | int64 | quote }}
BULWARK_BACKUP_PITR_SLOT_LIMIT: {{ .pitr.slotLimit | int64 | quote }}
{{- $targets := .targets }}
{{- range $target, $t := .pitr.targets }}
{{- if not (hasKey $targets $target) }}
{{- fail (printf "backupService.pitr.targets.%s: no backupService.targets.%s (a PITR target is a backup target: url, username, password)" $target $target) }}
{{- end }}
{{- $prefix := printf "BULWARK_BACKUP_PITR_TARGETS_%s" (upper $target) }}
{{ $prefix }}_ENABLED: {{ get $t "enabled" | default false | quote }}
{{- with (get $t "hosts") }}
{{ $prefix }}_HOSTS: {{ join "," . | quote }}
{{- end }}
{{- if hasKey $t "synchronous" }}
{{ $prefix }}_SYNCHRONOUS: {{ get $t "synchronous" | quote }}
{{- end }}
{{- with (get $t "failoverGroup") }}
{{- if not $.pitr.failover.existingSecret }}
{{- fail (printf "backupService.pitr.targets.%s.failoverGroup needs backupService.pitr.failover.existingSecret: the Secret with backup-service's token for failover-service" $target) }}
{{- end }}
{{ $prefix }}_FAILOVER_GROUP: {{ . | quote }}
{{- /* failover-service names the primary member; backup-service connects to that member's
host:port: taken from the group's member urls in this chart, or given per member. */}}
{{- $members := dict }}
{{- range $member, $m := (dig . "members" (dict) ($.failoverGroups | default dict)) }}
{{- $url := urlParse (get $m "url" | default "") }}
{{- if $url.host }}
{{- $_ := set $members $member (ternary $url.host (printf "%s:5432" $url.host) (contains ":" $url.host)) }}
{{- end }}
{{- end }}
{{- $members = merge (get $t "failoverMembers" | default dict) $members }}
{{- if not $members }}
{{- fail (printf "backupService.pitr.targets.%s.failoverGroup %q: no member addresses; define failoverService.groups.%s with member urls, or set backupService.pitr.targets.%s.failoverMembers (member: host:port)" $target . . $target) }}
{{- end }}
{{- range $member, $hostPort := $members }}
{{ $prefix }}_FAILOVER_MEMBERS_{{ upper $member }}: {{ $hostPort | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- with .archive }}
{{- with (dig "pages" "maxPageSize" "" .) }}
BULWARK_BACKUP_PAGES_MAX_PAGE_SIZE: {{ . | quote }}
{{- end }}
{{- with (dig "pages" "retention" "" .) }}
BULWARK_BACKUP_PAGES_RETENTION: {{ . | quote }}
{{- end }}
{{- with (dig "pages" "recompactAfter" "" .) }}
BULWARK_BACKUP_PAGES_RECOMPACT_AFTER: {{ . | quote }}
{{- end }}
{{- with (dig "llmCalls" "retention" "" .) }}
BULWARK_BACKUP_LLM_CALLS_RETENTION: {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}
