#!/usr/bin/python3
"""bench/pitr-faultrun's writer, HTTP load and counts.

Runs on Debian's /usr/bin/python3 with python3-psycopg2.

  pitr-faultrun.py writer ACKLOG PORTS [INTERVAL]
      insert a row every INTERVAL s (default 0.01) into bench.tick through one multi-host libpq
      connection (PORTS comma-separated, target_session_attrs=read-write, so it follows a
      promotion); log "id epoch port" of every acknowledged commit; reconnect on errors until killed
  pitr-faultrun.py http LOG HTTP_PORT MGMT_PORT TOKEN [INTERVAL]
      every INTERVAL s (default 0.05) GET /api/v1/pitr/base-backups?target=pipeline and
      /q/health/ready; log "epoch what status content-type" (status 0: no answer)
  pitr-faultrun.py http-summary LOG [FROM] [TO]
      prints "answers unclean ready_down": API answers in [FROM, TO] that are not a 2xx, a
      problem+json 4xx or a 503 (no answer counts as unclean), and readiness answers that were not 200
  pitr-faultrun.py lost ACKLOG PORT
      acknowledged rows missing from the restored server on PORT (bench/pitr.py's count)
"""
import os
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pitr  # noqa: E402  bench/pitr.py: the same writer and loss count


def writer(acklog, ports, interval="0.01"):
    # bench/pitr.py's loop, with the port of each commit logged: which server acknowledged it.
    pitr.writer(acklog, ports, interval, log_port=True)


def get(url, token=None):
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            answer.read()
            return answer.status, answer.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        e.read()
        return e.code, e.headers.get("Content-Type", "")
    except (urllib.error.URLError, OSError):
        return 0, ""


def http(logfile, http_port, mgmt_port, token, interval="0.05"):
    period = float(interval)
    api = f"http://127.0.0.1:{http_port}/api/v1/pitr/base-backups?target=pipeline"
    ready = f"http://127.0.0.1:{mgmt_port}/q/health/ready"
    with open(logfile, "a", buffering=1) as log:
        while True:
            status, kind = get(api, token)
            log.write(f"{time.time():.3f} api {status} {kind.split(';')[0] or '-'}\n")
            status, _ = get(ready)
            log.write(f"{time.time():.3f} ready {status} -\n")
            time.sleep(period)


def clean(status, kind):
    return (
        200 <= status < 300
        or status == 503
        or (400 <= status < 500 and kind == "application/problem+json")
    )


def http_summary(logfile, start="0", end="inf"):
    lo, hi = float(start), float(end)
    answers = unclean = ready_down = 0
    with open(logfile) as log:
        for line in log:
            at, what, status, kind = line.split()
            if not lo <= float(at) <= hi:
                continue
            if what == "api":
                answers += 1
                unclean += 0 if clean(int(status), kind) else 1
            elif int(status) != 200:
                ready_down += 1
    print(f"{answers} {unclean} {ready_down}")


def lost(acklog, port):
    # bench/pitr.py reads "id epoch" lines; ours carry the port as well.
    trimmed = acklog + ".2"
    with open(acklog) as src, open(trimmed, "w") as dst:
        for line in src:
            parts = line.split()
            if len(parts) == 3:
                dst.write(f"{parts[0]} {parts[1]}\n")
    pitr.lost(trimmed, port)


if __name__ == "__main__":
    {"writer": writer, "http": http, "http-summary": http_summary, "lost": lost}[sys.argv[1]](
        *sys.argv[2:]
    )
