#!/usr/bin/env python3
"""Load and checks for bench/archive-fault (run by it; see there). Writes the figures to a file."""
import http.client
import os
import random
import sys
import threading
import time
import urllib.parse

HOST = "127.0.0.1"
PORT, MGMT = int(os.environ["HTTP_PORT"]), int(os.environ["MGMT_PORT"])
PIPELINE, VIEWER = os.environ["PIPELINE_TOKEN"], os.environ["VIEWER_TOKEN"]
CONCURRENCY = int(os.environ.get("CONCURRENCY", "4"))
DURATION = sum(float(os.environ[k]) for k in ("BEFORE_S", "OUTAGE_S", "AFTER_S"))
EVENTS = os.environ["EVENTS"]


def say(msg):
    print("archive-fault: " + msg, file=sys.stderr, flush=True)


def main():
    files = sorted(os.path.join(d, f) for root in sys.argv[1:] for d, _, fs in os.walk(root)
                   for f in fs if f.endswith(".html"))
    random.Random(2).shuffle(files)
    lock = threading.Lock()
    counter = [0]
    answers = []  # (time, status, id or None, body)
    readiness = []  # (time, status)
    end = time.time() + DURATION

    def worker():
        conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
        while time.time() < end:
            with lock:
                n = counter[0]
                counter[0] += 1
            path = files[n % len(files)]
            with open(path, "rb") as f:
                # Every request distinct content, so that every store needs the object storage.
                body = f.read() + f"<!-- fault run {n} -->".encode()
            url = "https://fault.example/" + str(n) + "/" + os.path.basename(path)
            query = urllib.parse.urlencode({"url": url, "fetchedAt": "2026-12-01T12:00:00Z",
                                            "status": 200})
            started = time.time()
            try:
                conn.request("POST", "/api/v1/archive/pages?" + query, body=body,
                             headers={"Authorization": "Bearer " + PIPELINE,
                                      "Content-Type": "text/html"})
                response = conn.getresponse()
                data = response.read()
                status = response.status
                page_id = None
                if status in (200, 201):
                    page_id = response.getheader("Location").rsplit("/", 1)[1]
                elif status >= 500 and status != 503:
                    say(f"unexpected {status}: {data[:300]!r}")
            except (OSError, http.client.HTTPException) as e:
                status, page_id = f"error {type(e).__name__}", None
                conn.close()
                conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
            with lock:
                answers.append((started, status, page_id, body))

    def poll_readiness():
        while time.time() < end + 5:
            conn = http.client.HTTPConnection(HOST, MGMT, timeout=5)
            try:
                conn.request("GET", "/q/health/ready")
                status = conn.getresponse().status
            except (OSError, http.client.HTTPException):
                status = "error"
            readiness.append((time.time(), status))
            conn.close()
            time.sleep(0.5)  # a sampling interval, not synchronisation

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    poller = threading.Thread(target=poll_readiness)
    for t in threads + [poller]:
        t.start()
    for t in threads + [poller]:
        t.join()

    events = dict(line.split() for line in open(EVENTS))
    down, up = float(events["down"]), float(events["up"])
    by_status = {}
    for _, status, _, _ in answers:
        by_status[status] = by_status.get(status, 0) + 1
    bad = sum(n for s, n in by_status.items()
              if not (isinstance(s, int) and (200 <= s < 300 or 400 <= s < 500 or s == 503)))
    during = [a for a in answers if down <= a[0] < up]
    first_ok_after = min((a[0] for a in answers if a[0] >= up and a[2]), default=None)
    ready_during = sorted({s for t, s in readiness if down <= t < up}, key=str)
    not_ready_after = [t for t, s in readiness if t >= up and s != 200]
    ready_again = (max(not_ready_after) - up if not_ready_after else 0.0)

    # Every acknowledged page must read back byte for byte.
    acknowledged = [a for a in answers if a[2]]
    lost = 0
    conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
    for _, _, page_id, body in acknowledged:
        conn.request("GET", f"/api/v1/archive/pages/{page_id}/html",
                     headers={"Authorization": "Bearer " + VIEWER, "Accept-Encoding": "identity"})
        response = conn.getresponse()
        data = response.read()
        if response.status != 200 or data != body:
            lost += 1
            say(f"acknowledged page {page_id} reads back {response.status}")

    say("answers by status: " + ", ".join(f"{s}: {n}" for s, n in sorted(by_status.items(), key=str)))
    figures = " ".join([
        f"requests={len(answers)}",
        f"acknowledged={len(acknowledged)}",
        f"answers_503={by_status.get(503, 0)}",
        f"answers_not_2xx_4xx_503={bad}",
        f"during_outage={len(during)}",
        f"during_outage_503={sum(1 for a in during if a[1] == 503)}",
        f"acknowledged_not_readable={lost}",
        f"readiness_during_outage={'/'.join(map(str, ready_during)) or 'none'}",
        f"ready_again_s={ready_again:.1f}",
        f"first_store_after_restart_s={(first_ok_after - up) if first_ok_after else -1:.1f}",
    ])
    with open(os.path.join(os.path.dirname(EVENTS), "figures"), "w") as f:
        f.write(figures)


if __name__ == "__main__":
    main()
