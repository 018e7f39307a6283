#!/usr/bin/env python3
"""Load driver of bench/gate-fault: reserve calls from many threads against several budget-service
replicas, each retried with its idempotency key on 503 or a lost connection, as a pipeline client
does. Writes one JSON summary to stdout; the shell script around it crashes and restarts the
database mid-run and checks the acknowledged reservations against the database afterwards."""
import http.client
import json
import sys
import threading
import time
import uuid
from collections import Counter

urls = sys.argv[1].split(",")  # host:port of each replica
token = sys.argv[2]
total = int(sys.argv[3])
threads = int(sys.argv[4])
category = sys.argv[5]  # unique per run, so that no earlier run's budget matches
run = uuid.uuid4().hex[:8]

statuses = Counter()  # every answer, retries included
transport_errors = Counter()
acknowledged = {}  # idempotency key -> (reservation id, granted)
unresolved = []
lock = threading.Lock()
next_index = [0]
first_answer_at = time.time()


def take():
    with lock:
        if next_index[0] >= total:
            return None
        next_index[0] += 1
        return next_index[0]


def worker(n):
    conns = {}
    while True:
        i = take()
        if i is None:
            return
        key = f"fault-{run}-{i}"
        body = json.dumps({"category": category, "team": f"t{i % 4}", "operation": "bench",
                           "estimateUsd": 0.01, "ttlSeconds": 600})
        deadline = time.time() + 120
        done = False
        attempt = 0
        while not done and time.time() < deadline:
            host = urls[(i + attempt) % len(urls)]
            attempt += 1
            try:
                conn = conns.get(host)
                if conn is None:
                    h, p = host.split(":")
                    conn = conns[host] = http.client.HTTPConnection(h, int(p), timeout=30)
                conn.request("POST", "/api/v1/reservations", body,
                             {"Authorization": "Bearer " + token, "Content-Type": "application/json",
                              "Idempotency-Key": key})
                resp = conn.getresponse()
                data = resp.read()
                with lock:
                    statuses[resp.status] += 1
                if resp.status in (200, 201):
                    answer = json.loads(data)
                    with lock:
                        acknowledged[key] = (answer["reservationId"], answer["granted"])
                    done = True
                elif resp.status == 503:
                    time.sleep(0.2)
                else:
                    with lock:
                        unresolved.append((key, resp.status, data[:300].decode("utf-8", "replace")))
                    done = True
            except (OSError, http.client.HTTPException) as e:
                with lock:
                    transport_errors[type(e).__name__] += 1
                conns.pop(host, None)
                time.sleep(0.2)
        if not done:
            with lock:
                unresolved.append((key, "gave-up", ""))


started = time.time()
pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
for t in pool:
    t.start()
for t in pool:
    t.join()
print(json.dumps({
    "seconds": round(time.time() - started, 1),
    "statuses": {str(k): v for k, v in sorted(statuses.items())},
    "transport_errors": dict(transport_errors),
    "acknowledged": [[k, v[0], v[1]] for k, v in acknowledged.items()],
    "unresolved": unresolved[:20],
    "unresolved_count": len(unresolved),
}))
