"""Helpers of bench/failover: the write prober, the per-round watcher, the lost-write check.

Runs on Debian's /usr/bin/python3 with python3-psycopg2 (libpq: the multi-host connection string
with target_session_attrs=read-write finds whichever node answers as primary, the same way for all
three systems).

  prober ACKLOG PORT1 PORT2 [INTERVAL_S]     insert a sequence number every INTERVAL_S (0.05)
  watch  SYSTEM SINCE ACKLOG OLD_PORT ...     wait for detection and the first acknowledged write
                                              after SINCE on another node; print "detect_s recovery_s"
  lost   ACKLOG PORT                          acknowledged sequence numbers missing on the primary
  stats  VALUES...                            "p50 max" of the numbers
  http   LOG HTTP_PORT TOKEN [INTERVAL_S]     GET /api/v1/groups/pipeline every INTERVAL_S (0.02),
                                              log each answer's status and content type
  http-summary LOG                            "answers unclean": unclean = neither 2xx, nor a
                                              problem+json 4xx, nor 503
"""

import base64
from datetime import datetime
import http.client
import json
import os
import signal
import statistics
import sys
import time

import psycopg2

TABLE = "bench_probe"


def dsn(*ports, timeout=2):
    hosts = ",".join("127.0.0.1" for _ in ports)
    return (
        f"host={hosts} port={','.join(map(str, ports))} user=postgres dbname=postgres "
        f"target_session_attrs=read-write connect_timeout={timeout} application_name=bench-prober"
    )


def prober(acklog, port1, port2, interval="0.05"):
    """Writes seq, attempted-at, acknowledged-at and the answering port of every acknowledged insert.

    A commit that statement_timeout cancels while it waits for the synchronous standby is committed
    locally but not replicated: PostgreSQL only warns, so such a write is logged as unsure, never as
    acknowledged.
    """
    interval = float(interval)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    conn = None
    seq = 0
    out = open(acklog, "a", buffering=1)
    next_at = time.time()
    while not stop:
        now = time.time()
        if now < next_at:
            time.sleep(next_at - now)
        next_at += interval
        if next_at < time.time():
            next_at = time.time() + interval
        seq += 1
        started = time.time()
        try:
            if conn is None:
                conn = psycopg2.connect(dsn(port1, port2))
                conn.autocommit = True
                with conn.cursor() as cur:
                    cur.execute("SET statement_timeout = '5s'")
            del conn.notices[:]
            with conn.cursor() as cur:
                cur.execute(f"INSERT INTO {TABLE} (seq) VALUES (%s)", (seq,))
            if any("synchronous replication" in n for n in conn.notices):
                out.write(f"unsure {seq} {started:.6f} {time.time():.6f} {conn.info.port}\n")
                continue
            out.write(f"ack {seq} {started:.6f} {time.time():.6f} {conn.info.port}\n")
        except psycopg2.Error as e:
            out.write(f"error {seq} {started:.6f} {time.time():.6f} {str(e).splitlines()[0][:80]!r}\n")
            try:
                if conn is not None:
                    conn.close()
            except psycopg2.Error:
                pass
            conn = None


def acks(acklog):
    with open(acklog) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 5 and parts[0] == "ack":
                yield int(parts[1]), float(parts[3]), int(parts[4])


def first_ack_after(acklog, since, old_port):
    best = None
    for _, at, port in acks(acklog):
        if at > since and port != old_port:
            best = at if best is None else min(best, at)
    return best


class Detector:
    """Polls a system for the moment it marks the crashed primary failed."""

    def __init__(self, system, args):
        self.system = system
        self.args = args
        self.conn = None

    def failed(self):
        try:
            return getattr(self, "_" + self.system)()
        except (OSError, http.client.HTTPException, psycopg2.Error, ValueError, KeyError):
            self.conn = None
            return False

    def _bulwark(self):
        # args: http port, token, old primary member, failure threshold. Failed = the member has
        # failed threshold checks in a row, or another member is primary already.
        port, token, old, threshold = self.args
        c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=1)
        c.request("GET", "/api/v1/groups/pipeline", headers={"Authorization": "Bearer " + token})
        g = json.loads(c.getresponse().read())
        c.close()
        if g.get("primary") != old:
            return True
        return any(
            m["name"] == old and m.get("consecutiveFailures", 0) >= int(threshold)
            for m in g["members"]
        )

    def decided_at(self, since):
        """Ours only: when the service recorded its promotion decision (the newest promoted event),
        a server-side time that a poll on a starved machine can only see later."""
        if self.system != "bulwark":
            return None
        port, token = self.args[0], self.args[1]
        try:
            c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=5)
            c.request(
                "GET",
                "/api/v1/groups/pipeline/events?limit=5",
                headers={"Authorization": "Bearer " + token},
            )
            page = json.loads(c.getresponse().read())
            c.close()
        except (OSError, http.client.HTTPException, ValueError):
            return None
        items = page.get("events", []) if isinstance(page, dict) else []
        times = [
            datetime.fromisoformat(e["at"].replace("Z", "+00:00")).timestamp()
            for e in items
            if isinstance(e, dict) and e.get("kind") == "promoted"
        ]
        times = [t for t in times if t > since]
        return min(times) if times else None

    def _pg_auto_failover(self):
        # args: monitor port, old primary node name. Failed = the monitor gives the old primary a
        # goal other than primary (it decided to fail over).
        port, old = self.args
        if self.conn is None:
            self.conn = psycopg2.connect(
                f"host=127.0.0.1 port={port} user=autoctl_node dbname=pg_auto_failover connect_timeout=2"
            )
            self.conn.autocommit = True
        with self.conn.cursor() as cur:
            cur.execute("SELECT goalstate::text FROM pgautofailover.node WHERE nodename = %s", (old,))
            row = cur.fetchone()
        return row is not None and row[0] != "primary"

    def _patroni(self):
        # args: etcd client port, scope, old leader. Failed = the leader key expired or names another
        # member.
        port, scope, old = self.args
        key = base64.b64encode(f"/service/{scope}/leader".encode()).decode()
        c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=1)
        c.request("POST", "/v3/kv/range", body=json.dumps({"key": key}))
        r = json.loads(c.getresponse().read())
        c.close()
        kvs = r.get("kvs") or []
        return not kvs or base64.b64decode(kvs[0]["value"]).decode() != old


def watch(system, since, acklog, old_port, *args):
    since = float(since)
    old_port = int(old_port)
    timeout = float(os.environ.get("ROUND_TIMEOUT", "60"))
    detector = Detector(system, args)
    detected = None
    while True:
        now = time.time()
        if detected is None and detector.failed():
            detected = now
        recovered = first_ack_after(acklog, since, old_port)
        if recovered is not None:
            decided = detector.decided_at(since)
            if decided is not None:
                detected = decided if detected is None else min(detected, decided)
        if detected is not None and recovered is not None:
            print(f"{detected - since:.3f} {recovered - since:.3f}")
            return 0
        if now - since > timeout:
            print(
                f"no failover within {timeout:.0f} s: detected={detected is not None} "
                f"recovered={recovered is not None}",
                file=sys.stderr,
            )
            return 1
        time.sleep(0.02)


def lost(acklog, port):
    acked = {seq for seq, _, _ in acks(acklog)}
    conn = psycopg2.connect(dsn(int(port)))
    with conn.cursor() as cur:
        cur.execute(f"SELECT seq FROM {TABLE}")
        present = {row[0] for row in cur}
    conn.close()
    missing = sorted(acked - present)
    print(len(missing), len(acked), ",".join(map(str, missing[:10])))
    return 0


def stats(*values):
    xs = [float(v) for v in values]
    print(f"{statistics.median(xs):.3f} {max(xs):.3f}")
    return 0


def http_load(log, port, token, interval="0.02"):
    """The fault run's HTTP load: one request at a time, each answer logged as status and type."""
    interval = float(interval)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    out = open(log, "a", buffering=1)
    while not stop:
        started = time.time()
        try:
            c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=10)
            c.request("GET", "/api/v1/groups/pipeline", headers={"Authorization": "Bearer " + token})
            r = c.getresponse()
            r.read()
            out.write(f"{r.status} {r.getheader('Content-Type', '-').split(';')[0]} {started:.6f}\n")
            c.close()
        except (OSError, http.client.HTTPException) as e:
            out.write(f"000 {type(e).__name__} {started:.6f}\n")
        left = interval - (time.time() - started)
        if left > 0:
            time.sleep(left)


def http_summary(log):
    total = unclean = 0
    for line in open(log):
        code, ctype = line.split()[:2]
        code = int(code)
        total += 1
        clean = 200 <= code < 300 or code == 503 or (
            400 <= code < 500 and ctype == "application/problem+json"
        )
        unclean += 0 if clean else 1
    print(total, unclean)
    return 0


if __name__ == "__main__":
    command, rest = sys.argv[1], sys.argv[2:]
    commands = {"prober": prober, "watch": watch, "lost": lost, "stats": stats}
    commands.update({"http": http_load, "http-summary": http_summary})
    sys.exit(commands[command](*rest) or 0)
