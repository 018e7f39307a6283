# bench/failover, part 1 (sourced): failover-service on the bench's own synchronous pair.
# shellcheck shell=bash

# Settings of a pair node by role: a standby streams under its own name; a primary waits for its
# peer's flush before a commit returns (no acknowledged write lost at a crash).
pair_conf() {
  local data="$1" port="$2" name="$3" role="$4" peer_port="$5" peer_name="$6"
  {
    echo "port = $port"
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = ''"
    echo "wal_level = replica"
    echo "max_wal_senders = 10"
    echo "wal_keep_size = '256MB'"
    echo "hot_standby = on"
    echo "wal_log_hints = on"
    echo "cluster_name = '$name'"
    echo "log_line_prefix = '%m [%p] '"
    if [[ "$role" == standby ]]; then
      echo "primary_conninfo = 'host=127.0.0.1 port=$peer_port user=postgres application_name=$name'"
    else
      echo "synchronous_standby_names = '\"$peer_name\"'"
    fi
  } >"$data/bench.conf"
  give_to_pg "$data/bench.conf"
  grep -q "^include 'bench.conf'" "$data/postgresql.conf" || echo "include 'bench.conf'" >>"$data/postgresql.conf"
}

pg_start() {
  local data="$1"
  as_pg "$BIN/pg_ctl" -D "$data" -l "$data.log" -w -t 60 start >/dev/null || die "PostgreSQL at $data did not start, see $data.log"
}

# Waits until the primary on $1 reports $2 as its synchronous standby.
await_sync() {
  await 60 "$2 synchronous on port $1" \
    bash -c "[[ \"\$('$BIN/psql' -X -h 127.0.0.1 -p $1 -U postgres -d postgres -Atc \"SELECT sync_state FROM pg_stat_replication WHERE application_name = '$2'\" 2>/dev/null)\" == sync ]]"
}

# Our pair: nodes a and b under $WORK/bulwark, a the first primary.
make_pair() {
  local dir="$WORK/bulwark"
  mkdir -p "$dir"
  give_to_pg "$dir"
  PORT_a="$(free_port)"
  PORT_b="$(free_port)"
  as_pg "$BIN/initdb" -D "$dir/a" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
    die "initdb failed, see $dir/initdb.log"
  PGDATAS+=("$dir/a" "$dir/b")
  pair_conf "$dir/a" "$PORT_a" a primary "$PORT_b" b
  pg_start "$dir/a"
  as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PORT_a" -U postgres -D "$dir/b" -R -X stream -c fast --no-sync \
    >"$dir/basebackup.log" 2>&1 || die "pg_basebackup failed, see $dir/basebackup.log"
  sed -i '/^primary_conninfo/d' "$dir/b/postgresql.auto.conf"
  pair_conf "$dir/b" "$PORT_b" b standby "$PORT_a" a
  pg_start "$dir/b"
  await_sync "$PORT_a" b
}

port_of() { if [[ "$1" == a ]]; then echo "$PORT_a"; else echo "$PORT_b"; fi; }
other_of() { if [[ "$1" == a ]]; then echo b; else echo a; fi; }

# The old primary, killed with -9, back as the synchronous standby of the promoted node: pg_rewind
# (crash recovery first, then back to the fork) after a checkpoint that puts the new timeline in
# the promoted node's control file.
rejoin() {
  local old="$1" new="$2" dir="$WORK/bulwark" stale
  # A killed postmaster stays a zombie until PID 1 reaps it, and a live pid in postmaster.pid makes
  # pg_rewind's single-user crash recovery refuse to start ("lock file already exists").
  stale="$(head -n 1 "$dir/$old/postmaster.pid" 2>/dev/null || true)"
  if [[ "$stale" =~ ^[0-9]+$ ]]; then
    for _ in $(seq 1 200); do kill -0 "$stale" 2>/dev/null || break; sleep 0.05; done
  fi
  psql_at "$(port_of "$new")" CHECKPOINT >/dev/null
  as_pg "$BIN/pg_rewind" -D "$dir/$old" --source-server="host=127.0.0.1 port=$(port_of "$new") user=postgres dbname=postgres" \
    >>"$dir/rewind.log" 2>&1 || die "pg_rewind of $old failed, see $dir/rewind.log"
  touch "$dir/$old/standby.signal"
  give_to_pg "$dir/$old/standby.signal"
  pair_conf "$dir/$old" "$(port_of "$old")" "$old" standby "$(port_of "$new")" "$new"
  pair_conf "$dir/$new" "$(port_of "$new")" "$new" primary "$(port_of "$old")" "$old"
  pg_start "$dir/$old"
  as_pg "$BIN/pg_ctl" -D "$dir/$new" reload >/dev/null
  await_sync "$(port_of "$new")" "$old"
}

group_json() { curl -sf -m 2 -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$HTTP/api/v1/groups/pipeline"; }
probe_code() { curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$HTTP/api/v1/groups/pipeline/members/$1/$2" || true; }
group_field() { group_json | "$PY" -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }

# Ready for a round: the service names $1 primary and $2 standby by its probes, the group is healthy.
await_group() {
  await 60 "failover-service to see $1 primary and $2 standby" bash -c \
    "[[ \$(curl -s -o /dev/null -m 2 -w '%{http_code}' http://127.0.0.1:$HTTP/api/v1/groups/pipeline/members/$1/primary) == 200 &&
        \$(curl -s -o /dev/null -m 2 -w '%{http_code}' http://127.0.0.1:$HTTP/api/v1/groups/pipeline/members/$2/standby) == 200 ]]"
  await 60 "group pipeline healthy" bash -c "curl -sf -m 2 -H 'Authorization: Bearer $TOKEN' http://127.0.0.1:$HTTP/api/v1/groups/pipeline | grep -q '\"state\":\"healthy\"'"
}

start_service() {
  local dir="$WORK/bulwark" store
  store="$(free_port)"
  as_pg "$BIN/initdb" -D "$dir/store" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync >>"$dir/initdb.log" 2>&1
  PGDATAS+=("$dir/store")
  printf "port = %s\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n" "$store" >>"$dir/store/postgresql.conf"
  pg_start "$dir/store"
  HTTP="$(free_port)"
  MGMT="$(free_port)"
  local p=bulwark.failover.groups.pipeline
  (
    cd "$dir"
    exec env QUARKUS_HTTP_PORT="$HTTP" QUARKUS_MANAGEMENT_PORT="$MGMT" \
      QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD= \
      QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$store/postgres" \
      QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$store/postgres" \
      MP_JWT_VERIFY_PUBLICKEY_LOCATION="${XDG_DATA_HOME:-$HOME/.local/share}/bulwark/jwt/public.pem" \
      BULWARK_JWT_ISSUER=bulwark \
      java -XX:+UseSerialGC -Xmx256m \
      "-D$p.kind=postgres" "-D$p.period=$OURS_PERIOD" "-D$p.timeout=$OURS_TIMEOUT" \
      "-D$p.failure-threshold=$OURS_THRESHOLD" "-D$p.success-threshold=1" \
      "-D$p.maximum-lag-on-failover=1048576" "-D$p.cooldown=1s" "-D$p.username=postgres" \
      "-D$p.members.a.url=postgresql://127.0.0.1:$PORT_a/postgres" \
      "-D$p.members.b.url=postgresql://127.0.0.1:$PORT_b/postgres" \
      -jar "$JAR" >"$dir/failover-service.log" 2>&1 </dev/null 9>&-
  ) &
  SERVICE_PID=$!
  PIDS+=("$SERVICE_PID")
  await 120 "failover-service ready (see $dir/failover-service.log)" \
    curl -sf -m 2 "http://127.0.0.1:$MGMT/q/health/ready"
}

# The soak: a live primary, the prober writing, BURNERS busy loops; every epoch is a false failover.
soak() {
  local before after burners=() pid
  before="$(group_field epoch)"
  for _ in $(seq 1 "$BURNERS"); do
    (while :; do :; done) &
    burners+=("$!")
    PIDS+=("$!")
  done
  say "soak: $SOAK_S s with a live primary and $BURNERS CPU-burning loops"
  sleep "$SOAK_S" # the measured interval itself, not a wait for a condition
  for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null || true; done
  after="$(group_field epoch)"
  RESULT+=("soak_s=$SOAK_S" "false_failovers=$((after - before))")
  say "soak: epoch $before -> $after"
}

run_bulwark() {
  say "bulwark: pair, store and failover-service (period $OURS_PERIOD, threshold $OURS_THRESHOLD)"
  make_pair
  TOKEN="$("$ROOT/scripts/token" viewer --ttl 86400)"
  start_service
  local primary=a standby=b acklog="$WORK/bulwark/acks.log" lost=0
  await_group a b
  start_prober "$acklog" "$PORT_a" "$PORT_b"
  DETECT=()
  RECOVER=()
  for ROUND in $(seq 1 "$ROUNDS"); do
    kill_tree "$(postmaster_of "$WORK/bulwark/$primary")" # sets KILLED_AT
    watch_round bulwark bulwark "$acklog" "$(port_of "$primary")" "$HTTP" "$TOKEN" "$primary" "$OURS_THRESHOLD"
    lost="$(lost_on "$acklog" "$(port_of "$standby")")"
    rejoin "$primary" "$standby"
    local t="$primary"
    primary="$standby"
    standby="$t"
    await_group "$primary" "$standby"
  done
  record_rounds "" "$lost"
  OURS_P50="$r_p50"
  if ((SOAK_S > 0)); then soak; fi
  lost="$(lost_on "$acklog" "$(port_of "$primary")")"
  RESULT+=("soak_lost=$lost")
  stop_prober
  stop_pid "$SERVICE_PID"
  for d in a b store; do
    local pid
    pid="$(postmaster_of "$WORK/bulwark/$d")"
    [[ -n "$pid" ]] && as_pg "$BIN/pg_ctl" -D "$WORK/bulwark/$d" -m fast -w stop >/dev/null 2>&1 || true
  done
}
