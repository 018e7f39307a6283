# bench/failover, part 2 (sourced): the peers, pg_auto_failover and Patroni, each at its defaults
# and at its fastest stable settings, on a synchronous pair like ours.
# shellcheck shell=bash

# Starts an agent as the postgres user in the background, its output in $2; sets AGENT_PID.
start_agent() {
  local name="$1" logfile="$2"
  shift 2
  touch "$logfile"
  give_to_pg "$logfile"
  (as_pg_exec "$@" >>"$logfile" 2>&1 </dev/null) &
  AGENT_PID=$!
  disown "$AGENT_PID" # its kill -9 is the experiment, not news for bash's job report
  PIDS+=("$AGENT_PID")
  say "$name: started pid $AGENT_PID"
}

# Measured rounds against the peer PEER (function prefix paf or pat: its primary as "name port",
# kill, watch arguments, rebuild): $1 label, $2 system, $3 rounds, $4 result key prefix, $5 acklog.
peer_rounds() {
  local label="$1" system="$2" rounds="$3" prefix="$4" acklog="$5" name port lost=0
  DETECT=()
  RECOVER=()
  # At their defaults the peers take about a minute (pg_auto_failover: 20 s + 30 s + its loops).
  local -x ROUND_TIMEOUT="$ROUND_TIMEOUT"
  [[ "$prefix" == *default* ]] && ROUND_TIMEOUT="$PEER_DEFAULT_TIMEOUT"
  for ROUND in $(seq 1 "$rounds"); do
    read -r name port <<<"$("${PEER}_primary")"
    [[ -n "$name" ]] || die "$label: no primary before round $ROUND"
    "${PEER}_kill" "$name" # sets KILLED_AT (kill_tree)
    watch_round "$label" "$system" "$acklog" "$port" $("${PEER}_watch_args" "$name")
    lost="$(lost_on "$acklog" "$("${PEER}_other_port" "$name")")"
    "${PEER}_rebuild" "$name"
  done
  record_rounds "$prefix" "$lost"
}

# --- pg_auto_failover --------------------------------------------------------------------------------

PAF_MONITOR_PORT=""
declare -A PAF_PORT=() PAF_PID=()
paf_env() { env XDG_CONFIG_HOME="$WORK/paf/xdg/config" XDG_DATA_HOME="$WORK/paf/xdg/data" XDG_RUNTIME_DIR="$WORK/paf/xdg/run" "$@"; }
paf_monitor_sql() { "$BIN/psql" -X -q -h 127.0.0.1 -p "$PAF_MONITOR_PORT" -U autoctl_node -d pg_auto_failover -Atc "$1" 2>/dev/null; }

paf_start_node() {
  local node="$1"
  start_agent "pg_auto_failover $node" "$WORK/paf/$node.log" env XDG_CONFIG_HOME="$WORK/paf/xdg/config" \
    XDG_DATA_HOME="$WORK/paf/xdg/data" XDG_RUNTIME_DIR="$WORK/paf/xdg/run" \
    pg_autoctl create postgres --pgdata "$WORK/paf/$node" --pgport "${PAF_PORT[$node]}" --pghost 127.0.0.1 \
    --listen 127.0.0.1 --hostname 127.0.0.1 --name "$node" --pgctl "$BIN/pg_ctl" --auth trust --no-ssl \
    --monitor "postgres://autoctl_node@127.0.0.1:$PAF_MONITOR_PORT/pg_auto_failover?sslmode=disable" --run
  PAF_PID[$node]="$AGENT_PID"
}

# Both nodes report the state the monitor assigned, one primary and one secondary.
paf_settled() {
  [[ "$(paf_monitor_sql "SELECT string_agg(reportedstate::text, ',' ORDER BY reportedstate::text) FROM pgautofailover.node
    WHERE reportedstate = goalstate")" == "primary,secondary" ]]
}

paf_primary() {
  paf_monitor_sql "SELECT nodename || ' ' || nodeport FROM pgautofailover.node WHERE reportedstate = 'primary'" | head -n 1
}
paf_other() { if [[ "$1" == n1 ]]; then echo n2; else echo n1; fi; }
paf_other_port() { echo "${PAF_PORT[$(paf_other "$1")]}"; }
# A node loss: the keeper and its PostgreSQL, with every backend.
paf_kill() { kill_tree "${PAF_PID[$1]}" "$(postmaster_of "$WORK/paf/$1")"; }
paf_watch_args() { echo "$PAF_MONITOR_PORT $1"; }
paf_rebuild() {
  local node="$1"
  start_agent "pg_auto_failover $node (rejoin)" "$WORK/paf/$node.log" env XDG_CONFIG_HOME="$WORK/paf/xdg/config" \
    XDG_DATA_HOME="$WORK/paf/xdg/data" XDG_RUNTIME_DIR="$WORK/paf/xdg/run" pg_autoctl run --pgdata "$WORK/paf/$node"
  PAF_PID[$node]="$AGENT_PID"
  await 180 "pg_auto_failover to settle after $node rejoined (see $WORK/paf/$node.log)" paf_settled
}

# Its fastest stable settings, measured on these machines (docs/benchmarks.md); milliseconds.
PAF_FAST_SETTINGS="${PAF_FAST_SETTINGS:-health_check_period=50 health_check_timeout=50 health_check_max_retries=1 health_check_retry_delay=20 node_considered_unhealthy_timeout=50 primary_demote_timeout=1}"
paf_fast() {
  local setting
  for setting in $PAF_FAST_SETTINGS; do
    "$BIN/psql" -X -q -h 127.0.0.1 -p "$PAF_MONITOR_PORT" -U postgres -d pg_auto_failover \
      -c "ALTER SYSTEM SET pgautofailover.${setting%%=*} = ${setting#*=}" >/dev/null
  done
  # Restart the monitor, so that its health-check worker surely runs with the new settings (on a
  # loaded machine detection was as slow after a reload alone as after a restart).
  stop_pid "${PAF_PID[monitor]}"
  start_agent "pg_auto_failover monitor (fast settings)" "$WORK/paf/monitor.log" env XDG_CONFIG_HOME="$WORK/paf/xdg/config" \
    XDG_DATA_HOME="$WORK/paf/xdg/data" XDG_RUNTIME_DIR="$WORK/paf/xdg/run" pg_autoctl run --pgdata "$WORK/paf/monitor"
  PAF_PID[monitor]="$AGENT_PID"
  await 120 "the pg_auto_failover monitor back (see $WORK/paf/monitor.log)" paf_monitor_sql "SELECT 1 FROM pgautofailover.node LIMIT 1"
  await 120 "pg_auto_failover settled after the monitor's restart" paf_settled
  say "pg_auto_failover: monitor at $(paf_monitor_sql "SELECT string_agg(name || '=' || setting, ' ') FROM pg_settings WHERE name ~ 'health_check_(period|timeout)|unhealthy|demote'")"
}

run_pg_auto_failover() {
  PEER=paf
  mkdir -p "$WORK/paf/xdg/config" "$WORK/paf/xdg/data" "$WORK/paf/xdg/run"
  chmod 700 "$WORK/paf/xdg/run"
  give_to_pg "$WORK/paf"
  PAF_MONITOR_PORT="$(free_port)"
  PAF_PORT[n1]="$(free_port)"
  PAF_PORT[n2]="$(free_port)"
  PGDATAS+=("$WORK/paf/monitor" "$WORK/paf/n1" "$WORK/paf/n2")
  start_agent "pg_auto_failover monitor" "$WORK/paf/monitor.log" env XDG_CONFIG_HOME="$WORK/paf/xdg/config" \
    XDG_DATA_HOME="$WORK/paf/xdg/data" XDG_RUNTIME_DIR="$WORK/paf/xdg/run" \
    pg_autoctl create monitor --pgdata "$WORK/paf/monitor" --pgport "$PAF_MONITOR_PORT" --hostname 127.0.0.1 \
    --pgctl "$BIN/pg_ctl" --auth trust --no-ssl --run
  PAF_PID[monitor]="$AGENT_PID"
  await 120 "the pg_auto_failover monitor (see $WORK/paf/monitor.log)" paf_monitor_sql "SELECT 1 FROM pgautofailover.node LIMIT 1"
  paf_start_node n1
  await 120 "n1 single (see $WORK/paf/n1.log)" bash -c "[[ \$('$BIN/psql' -X -h 127.0.0.1 -p $PAF_MONITOR_PORT -U autoctl_node -d pg_auto_failover -Atc \"SELECT reportedstate FROM pgautofailover.node WHERE nodename = 'n1'\" 2>/dev/null) == single ]]"
  paf_start_node n2
  await 180 "n2 secondary (see $WORK/paf/n2.log)" paf_settled
  say "pg_auto_failover: synchronous_standby_names on n1 = $(psql_at "${PAF_PORT[n1]}" 'SHOW synchronous_standby_names')"
  local acklog="$WORK/paf/acks.log"
  start_prober "$acklog" "${PAF_PORT[n1]}" "${PAF_PORT[n2]}"
  if ((PEER_DEFAULT_ROUNDS > 0)); then peer_rounds "pg_auto_failover(default)" pg_auto_failover "$PEER_DEFAULT_ROUNDS" paf_default_ "$acklog"; fi
  paf_fast
  peer_rounds "pg_auto_failover(fast)" pg_auto_failover "$ROUNDS" paf_fast_ "$acklog"
  PAF_FAST_P50="$r_p50"
  stop_prober
  local node
  for node in n1 n2 monitor; do
    if [[ -n "${PAF_PID[$node]:-}" ]]; then stop_pid "${PAF_PID[$node]}"; fi
  done
}

# --- Patroni -------------------------------------------------------------------------------------------

ETCD_PORT=""
declare -A PAT_PORT=() PAT_API=() PAT_PID=()

patroni_yaml() {
  local node="$1" other
  other="$(paf_other "$node")"
  cat >"$WORK/patroni/$node.yml" <<YAML
scope: bench
name: $node
restapi:
  listen: 127.0.0.1:${PAT_API[$node]}
  connect_address: 127.0.0.1:${PAT_API[$node]}
etcd3:
  hosts: 127.0.0.1:$ETCD_PORT
bootstrap:
  dcs:
    ttl: 30
    loop_wait: 10
    retry_timeout: 10
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      parameters:
        wal_log_hints: 'on'
        wal_keep_size: 256MB
  initdb:
    - encoding: UTF8
    - locale: C
  pg_hba:
    - host replication all 127.0.0.1/32 trust
    - host all all 127.0.0.1/32 trust
postgresql:
  listen: 127.0.0.1:${PAT_PORT[$node]}
  connect_address: 127.0.0.1:${PAT_PORT[$node]}
  data_dir: $WORK/patroni/$node
  bin_dir: $BIN
  pgpass: $WORK/patroni/$node.pgpass
  remove_data_directory_on_rewind_failure: true
  authentication:
    superuser:
      username: postgres
      password: bench
    replication:
      username: postgres
      password: bench
  parameters:
    unix_socket_directories: '$WORK/patroni'
YAML
  give_to_pg "$WORK/patroni/$node.yml"
}

pat_start_node() {
  local node="$1"
  start_agent "patroni $node" "$WORK/patroni/$node.log" patroni "$WORK/patroni/$node.yml"
  PAT_PID[$node]="$AGENT_PID"
}

pat_cluster() { curl -sf -m 2 "http://127.0.0.1:${PAT_API[$1]}/cluster"; }
# One leader running and one synchronous standby streaming, seen from either member.
pat_settled() {
  local node json
  for node in n1 n2; do
    json="$(pat_cluster "$node")" || continue
    "$PY" -c '
import json, sys
m = json.loads(sys.argv[1])["members"]
roles = sorted(x["role"] + ":" + x["state"] for x in m)
ok = len(m) == 2 and any(r.startswith("leader:running") for r in roles) and \
     any(r.startswith("sync_standby:") and r.split(":")[1] in ("running", "streaming") for r in roles)
sys.exit(0 if ok else 1)' "$json" && return 0
  done
  return 1
}

pat_primary() {
  local node json
  for node in n1 n2; do
    json="$(pat_cluster "$node")" || continue
    "$PY" -c '
import json, sys
for x in json.loads(sys.argv[1])["members"]:
    if x["role"] == "leader":
        print(x["name"], x["port"])' "$json"
    return
  done
}
pat_other_port() { echo "${PAT_PORT[$(paf_other "$1")]}"; }
# A node loss: Patroni and its PostgreSQL, with every backend.
pat_kill() { kill_tree "${PAT_PID[$1]}" "$(postmaster_of "$WORK/patroni/$1")"; }
pat_watch_args() { echo "$ETCD_PORT bench $1"; }
pat_rebuild() {
  pat_start_node "$1"
  await 180 "Patroni to settle after $1 rejoined (see $WORK/patroni/$1.log)" pat_settled
}

run_patroni() {
  PEER=pat
  mkdir -p "$WORK/patroni/etcd"
  give_to_pg "$WORK/patroni"
  ETCD_PORT="$(free_port)"
  local peer_port
  peer_port="$(free_port)"
  PAT_PORT[n1]="$(free_port)"
  PAT_PORT[n2]="$(free_port)"
  PAT_API[n1]="$(free_port)"
  PAT_API[n2]="$(free_port)"
  PGDATAS+=("$WORK/patroni/n1" "$WORK/patroni/n2")
  start_agent etcd "$WORK/patroni/etcd.log" etcd --name bench --data-dir "$WORK/patroni/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "bench=http://127.0.0.1:$peer_port"
  local etcd_pid="$AGENT_PID"
  await 60 "etcd (see $WORK/patroni/etcd.log)" curl -sf "http://127.0.0.1:$ETCD_PORT/health"
  patroni_yaml n1
  patroni_yaml n2
  pat_start_node n1
  await 120 "Patroni n1 leader (see $WORK/patroni/n1.log)" bash -c "curl -sf http://127.0.0.1:${PAT_API[n1]}/primary"
  pat_start_node n2
  await 180 "Patroni n2 synchronous standby (see $WORK/patroni/n2.log)" pat_settled
  say "patroni: synchronous_standby_names on n1 = $(psql_at "${PAT_PORT[n1]}" 'SHOW synchronous_standby_names')"
  local acklog="$WORK/patroni/acks.log"
  start_prober "$acklog" "${PAT_PORT[n1]}" "${PAT_PORT[n2]}"
  if ((PEER_DEFAULT_ROUNDS > 0)); then peer_rounds "patroni(default)" patroni "$PEER_DEFAULT_ROUNDS" patroni_default_ "$acklog"; fi
  # Its fastest working settings (docs/benchmarks.md), applied to the running cluster.
  curl -sf -m 5 -X PATCH -d '{"ttl":5,"loop_wait":1,"retry_timeout":2}' \
    "http://127.0.0.1:${PAT_API[$(pat_primary | cut -d' ' -f1)]}/config" >/dev/null || die "PATCH /config failed"
  peer_rounds "patroni(fast)" patroni "$ROUNDS" patroni_fast_ "$acklog"
  stop_prober
  local node
  for node in n1 n2; do stop_pid "${PAT_PID[$node]}"; done
  stop_pid "$etcd_pid"
}
