#!/usr/bin/env python3
"""Fault drill of backup-service on the running suite (scripts/suite up), run from the repository:
python3 bench/backup-fault.py "$PWD". A viewer keeps listing backups and jobs every 50 ms while
  A. a backup of target 'suite' starts and, 0.8 s later, the primary (the service's database and
     the backup's target) is killed (scripts/suite crash-primary), then started again after 5 s;
  B. a backup starts and storage's directory is replaced by a file for 10 s.
Prints the readiness transitions, each job's outcome and tries, the log lines written, and the
API answers that were not 200, a 4xx or a 503 ("unclean"). Put a few hundred MB in the suite's
database first so that a backup lasts a few seconds (docs/benchmarks.md shows how)."""
import json, os, subprocess, sys, threading, time, urllib.request, urllib.error

ROOT = sys.argv[1]
API = "http://127.0.0.1:8083"
READY = "http://127.0.0.1:9083/q/health/ready"
LOG = os.path.join(ROOT, "target/suite/logs/backup-service.log")
STORAGE = os.path.join(ROOT, "target/suite/storage")
tok = lambda role: subprocess.check_output([os.path.join(ROOT, "scripts/token"), role], text=True).strip()
OP, VIEW = tok("operator"), tok("viewer")

def call(method, path, token, body=None, url=None):
    req = urllib.request.Request(url or API + path, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except Exception as e:
        return 0, str(e)

stats = {"requests": 0, "unclean": 0, "codes": {}}
ready_log = []
stop = threading.Event()

def load():
    while not stop.is_set():
        for path in ("/api/v1/backups?target=suite&limit=5", "/api/v1/jobs?limit=5"):
            code, _ = call("GET", path, VIEW)
            stats["requests"] += 1
            stats["codes"][code] = stats["codes"].get(code, 0) + 1
            if not (code == 200 or 400 <= code < 500 or code == 503):
                stats["unclean"] += 1
        time.sleep(0.05)

def readiness():
    last = None
    while not stop.is_set():
        code, _ = call("GET", "", VIEW, url=READY)
        up = code == 200
        if up != last:
            ready_log.append((time.time(), up))
            last = up
        time.sleep(0.2)

def log_lines():
    with open(LOG, errors="replace") as f:
        return sum(1 for _ in f)

def job(location_id):
    return json.loads(call("GET", "/api/v1/jobs/" + location_id, VIEW)[1])

def await_job(jid, timeout=300):
    end = time.time() + timeout
    while time.time() < end:
        j = job(jid)
        if j.get("state") in ("succeeded", "failed"):
            return j
        time.sleep(0.2)
    return job(jid)

def start_backup():
    code, body = call("POST", "/api/v1/backups", OP, {"target": "suite"})
    assert code == 202, (code, body)
    return json.loads(body)["id"]

threads = [threading.Thread(target=load, daemon=True), threading.Thread(target=readiness, daemon=True)]
for t in threads: t.start()
time.sleep(1)

# A: the primary (the service's database and the backup target) crashes during a backup.
lines0 = log_lines()
jid = start_backup()
time.sleep(0.8)
print('A: job before the crash:', job(jid)['state'])
t_crash = time.time()
subprocess.run([os.path.join(ROOT, "scripts/suite"), "crash-primary"], check=True, capture_output=True)
time.sleep(5)
subprocess.run([os.path.join(ROOT, "scripts/suite"), "start-primary"], check=True, capture_output=True)
t_back = time.time()
while not (ready_log and ready_log[-1][1] and ready_log[-1][0] > t_crash):
    time.sleep(0.1)
ready_after = ready_log[-1][0] - t_back
down = [t for t, up in ready_log if not up and t >= t_crash]
a = await_job(jid)
lines_a = log_lines() - lines0
print(f"A crash-primary: readiness down after {down[0]-t_crash:.1f} s" if down else "A: readiness never down",
      f"; up {ready_after:.1f} s after start-primary; job {a['state']} after {a['attempt']} tries"
      f" (error: {a.get('error')}); log lines {lines_a}")

# B: storage gone (its directory replaced by a file) during a backup, back after 10 s.
lines0 = log_lines()
jid = start_backup()
os.rename(STORAGE, STORAGE + ".away")
open(STORAGE, "w").close()
time.sleep(10)
os.remove(STORAGE)
os.rename(STORAGE + ".away", STORAGE)
b = await_job(jid)
lines_b = log_lines() - lines0
print(f"B storage gone 10 s: job {b['state']} after {b['attempt']} tries (lastError: {b['progress'].get('lastError')});"
      f" log lines {lines_b}")

stop.set()
time.sleep(0.5)
backups = json.loads(call("GET", "/api/v1/backups?target=suite&limit=1000", VIEW)[1])
print(f"requests {stats['requests']} codes {stats['codes']} unclean {stats['unclean']}; backups listed {len(backups)};"
      f" readiness transitions {[(round(t - t_crash, 1), up) for t, up in ready_log]}")
