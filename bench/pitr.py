#!/usr/bin/python3
"""bench/pitr's writer and loss count.

Runs on Debian's /usr/bin/python3 with python3-psycopg2 (one libpq connection for the whole run
instead of a psql process per insert, so that 10 ms is a real cadence on a loaded machine).

  pitr.py writer ACKLOG PORT [INTERVAL]  insert a row every INTERVAL s (default 0.01) into
                                         bench.tick, each stamped with its commit's
                                         clock_timestamp(); log "id epoch" of every acknowledged
                                         commit; reconnect on errors until killed
                                         (bench/pitr-faultrun.py's writer is this loop, on
                                         PORT,PORT with the port logged as well)
  pitr.py lost ACKLOG PORT               acknowledged rows missing from the restored server on
                                         PORT: prints "rows seconds acked restored", seconds =
                                         newest acknowledged commit - newest restored commit
  pitr.py job PORT PATH BODY             POST BODY (JSON) to PATH on 127.0.0.1:PORT with the
                                         bearer token in $OPERATOR_TOKEN, then follow the job
                                         every 0.1 s on one keep-alive connection until it
                                         ends; prints the job's last JSON. In-process: a curl
                                         and a jq per poll took a sixth of both cores from the
                                         backup being timed
"""
import http.client
import json
import os
import sys
import time

import psycopg2


def connect(port):
    conn = psycopg2.connect(
        host="127.0.0.1", port=int(port), user="postgres", dbname="bench", connect_timeout=2
    )
    conn.autocommit = True
    return conn


def writer(acklog, ports, interval="0.01", log_port=False):
    """The insert loop; PORTS comma-separated: one multi-host libpq connection that follows the
    writable one (bench/pitr-faultrun's writer, which logs the port as a third field)."""
    period = float(interval)
    hosts = ",".join("127.0.0.1" for _ in str(ports).split(","))
    conn = None
    with open(acklog, "a", buffering=1) as log:
        due = time.monotonic()
        while True:
            due += period
            try:
                if conn is None:
                    conn = psycopg2.connect(
                        host=hosts,
                        port=str(ports),
                        user="postgres",
                        dbname="bench",
                        connect_timeout=2,
                        target_session_attrs="read-write",
                    )
                    conn.autocommit = True
                with conn.cursor() as cur:
                    cur.execute(
                        "INSERT INTO tick (at) VALUES (clock_timestamp())"
                        " RETURNING id, extract(epoch FROM at)::float8"
                    )
                    row_id, at = cur.fetchone()
                # Acknowledged: the commit returned (in synchronous mode, after the archive has it).
                log.write(f"{row_id} {at} {conn.info.port}\n" if log_port else f"{row_id} {at}\n")
            except psycopg2.Error:
                try:
                    if conn is not None:
                        conn.close()
                except psycopg2.Error:
                    pass
                conn = None
                due = time.monotonic() + 0.2
            time.sleep(max(0.0, due - time.monotonic()))


def lost(acklog, port):
    acked = {}
    with open(acklog) as log:
        for line in log:
            parts = line.split()
            if len(parts) == 2:
                acked[int(parts[0])] = float(parts[1])
    if not acked:
        sys.exit("no acknowledged rows in " + acklog)
    with connect(port) as conn, conn.cursor() as cur:
        cur.execute("SELECT id, extract(epoch FROM at)::float8 FROM tick WHERE id >= %s", (min(acked),))
        restored = dict(cur.fetchall())
    missing = [i for i in acked if i not in restored]
    newest_acked = max(acked.values())
    newest_restored = max(restored.values(), default=min(acked.values()))
    seconds = max(0.0, newest_acked - newest_restored) if missing else 0.0
    print(f"{len(missing)} {seconds:.3f} {len(acked)} {len(restored)}")


def job(port, path, body):
    headers = {"Authorization": "Bearer " + os.environ["OPERATOR_TOKEN"]}
    conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
    conn.request("POST", path, body=body, headers=dict(headers, **{"Content-Type": "application/json"}))
    response = conn.getresponse()
    answer = response.read()
    if response.status != 202:
        sys.exit(f"POST {path} answered {response.status}: {answer.decode(errors='replace')}")
    location = response.getheader("Location")
    if location.startswith("http"):
        location = "/" + location.split("/", 3)[3]
    while True:
        conn.request("GET", location, headers=headers)
        response = conn.getresponse()
        answer = response.read()
        if response.status != 200:
            sys.exit(f"GET {location} answered {response.status}: {answer.decode(errors='replace')}")
        if json.loads(answer)["state"] != "running":
            print(answer.decode())
            return
        time.sleep(0.1)


if __name__ == "__main__":
    {"writer": writer, "lost": lost, "job": job}[sys.argv[1]](*sys.argv[2:])
