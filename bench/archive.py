#!/usr/bin/env python3
"""Load and measure for bench/archive (run by it; see there). Prints the figure line last."""
import base64
import gzip
import hashlib
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.parse

import http_posts

HOST, PORT = "127.0.0.1", int(os.environ["HTTP_PORT"])
PIPELINE, OPERATOR = os.environ["PIPELINE_TOKEN"], os.environ["OPERATOR_TOKEN"]
CONCURRENCY = int(os.environ.get("CONCURRENCY", "16"))
MGMT_PORT = int(os.environ["MGMT_PORT"])
BATCH_PAGES = int(os.environ.get("BATCH_PAGES", "100"))
WORK = os.environ["WORK"]
WARMUP_MAX_PASSES = int(os.environ.get("WARMUP_MAX_PASSES", "10"))
JIT_QUIET_MS = float(os.environ.get("JIT_QUIET_MS", "0.25"))
TIMED_PASSES = int(os.environ.get("TIMED_PASSES", "3"))
SERVICE_PID = os.environ["SERVICE_PID"]
CLOCK_TICK = os.sysconf("SC_CLK_TCK")
BATCH_BYTES = 4 * 1048576  # raw HTML per batch at most, well under the 10M body limit in base64
TRAIN_SHARE = 0.2


def say(msg):
    print("archive: " + msg, file=sys.stderr, flush=True)


def request(conn, method, path, token, body=None, headers=None):
    h = {"Authorization": "Bearer " + token}
    h.update(headers or {})
    conn.request(method, path, body=body, headers=h)
    response = conn.getresponse()
    data = response.read()
    return response.status, data


def url_of(path):
    return "https://docs.example/" + os.path.relpath(path, "/usr/share/doc")


def run_workers(queue, post):
    """Runs post(conn, item) for every item from CONCURRENCY threads, one keep-alive connection
    each; returns seconds."""
    lock = threading.Lock()
    failures = []

    def worker():
        conn = http.client.HTTPConnection(HOST, PORT, timeout=300)
        while True:
            with lock:
                if not queue or failures:
                    return
                item = queue.pop()
            failure = post(conn, item)
            if failure:
                failures.append(failure)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        sys.exit("archive: ingest failed: " + failures[0])
    return time.monotonic() - started


def pages_of(files):
    """(url, body) of each file, read before any clock starts."""
    out = []
    for path in files:
        with open(path, "rb") as f:
            out.append((url_of(path), f.read()))
    return out


def variants(pages, tag):
    """Each page with a comment appended under a URL of its own: new content (stored and indexed,
    with the dictionary) that compresses as the page does."""
    comment = f"<!-- bench variant {tag} -->".encode()
    return [(url + "?variant=" + tag, body + comment) for url, body in pages]


def compiler_cpu_s():
    """CPU seconds the service's JIT compiler threads have used, from /proc."""
    total = 0
    for task in os.listdir(f"/proc/{SERVICE_PID}/task"):
        try:
            with open(f"/proc/{SERVICE_PID}/task/{task}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        if "CompilerThre" in stat[stat.index("(") + 1:stat.rindex(")")]:
            fields = stat.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICK


def ingest(pages, fetched_at):
    """Posts pages one per request (POST /api/v1/archive/pages) from CONCURRENCY keep-alive
    connections (bench/http_posts.py: a client that leaves the two cores to the service); returns
    (seconds, this client's CPU ms per page, the JIT compilers' CPU ms per page). fetched_at is one
    ISO instant for all, or a function of the page's position. The requests are made before the
    clock starts."""
    at = fetched_at if callable(fetched_at) else (lambda _: fetched_at)
    requests = []
    for i, (url, body) in enumerate(pages):
        query = urllib.parse.urlencode({"url": url, "fetchedAt": at(i), "status": 200})
        requests.append(http_posts.request(
            HOST, PORT, "POST", "/api/v1/archive/pages?" + query,
            {"Authorization": "Bearer " + PIPELINE, "Content-Type": "text/html; charset=utf-8"},
            body))
    jit_before, cpu_before, started = compiler_cpu_s(), time.process_time(), time.monotonic()
    statuses = http_posts.post_all(HOST, PORT, requests, CONCURRENCY)
    seconds = time.monotonic() - started
    client_ms = (time.process_time() - cpu_before) * 1000 / len(pages)
    jit_ms = (compiler_cpu_s() - jit_before) * 1000 / len(pages)
    bad = [(pages[i][0], s) for i, s in enumerate(statuses) if s not in (200, 201)]
    if bad:
        sys.exit(f"archive: ingest failed: {len(bad)} of {len(pages)} not 200/201: {bad[:3]}")
    return seconds, client_ms, jit_ms


def refetch(pages, first_fetch):
    """Posts pages again (stored before, unchanged) one per request, each a new fetch an hour
    after first_fetch (epoch seconds; an index row, no object); returns ingest's figures."""
    return ingest(pages, lambda i: time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                 time.gmtime(first_fetch + 3600 + i)))


def ingest_batches(pages, fetched_at):
    """Posts files in batches (POST /api/v1/archive/pages/batches) of BATCH_PAGES pages or
    BATCH_BYTES at most; returns seconds. The JSON is made before the clock starts."""
    batches, batch, size = [], [], 0
    for url, body in pages:
        if batch and (len(batch) == BATCH_PAGES or size + len(body) > BATCH_BYTES):
            batches.append(batch)
            batch, size = [], 0
        batch.append({"url": url, "fetchedAt": fetched_at, "status": 200,
                      "contentType": "text/html; charset=utf-8",
                      "body": base64.b64encode(body).decode()})
        size += len(body)
    if batch:
        batches.append(batch)
    bodies = [json.dumps({"pages": b}).encode() for b in batches]

    def post(conn, body):
        status, data = request(conn, "POST", "/api/v1/archive/pages/batches", PIPELINE, body,
                               {"Content-Type": "application/json"})
        return None if status == 200 else f"batch: {status} {data[:300]!r}"

    count = len(bodies)
    return run_workers(bodies, post), count


def group_metrics():
    """The service's group commit figures: (groups, pages in them) from its scrape."""
    conn = http.client.HTTPConnection(HOST, MGMT_PORT, timeout=30)
    conn.request("GET", "/q/metrics")
    text = conn.getresponse().read().decode()
    values = {}
    for line in text.splitlines():
        for name in ("bulwark_archive_page_group_pages_count", "bulwark_archive_page_group_pages_sum"):
            if line.startswith(name + " ") or line.startswith(name + "{"):
                values[name] = float(line.split(" # ")[0].rsplit(" ", 1)[1])  # no exemplar
    return (values.get("bulwark_archive_page_group_pages_count", 0),
            values.get("bulwark_archive_page_group_pages_sum", 0))


def relative(path, roots):
    for root in roots:
        if path.startswith(root):
            return os.path.basename(root.rstrip("/")) + path[len(root):]
    return os.path.basename(path)


def stored_bytes():
    out = subprocess.run(os.environ["PSQL"].split() + ["-Atc",
                         "SELECT count(*), sum(raw_bytes), sum(stored_bytes) FROM backup.page_objects"],
                         check=True, capture_output=True, text=True).stdout.strip()
    objects, raw, stored = (int(x) for x in out.split("|"))
    return objects, raw, stored


def main():
    roots = sys.argv[1:]
    files = sorted(os.path.join(d, f) for root in roots for d, _, fs in os.walk(root)
                   for f in fs if f.endswith(".html"))
    random.Random(1).shuffle(files)
    distinct = {}
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        distinct.setdefault(hashlib.sha256(data).hexdigest(), path)
    raw = sum(os.path.getsize(p) for p in distinct.values())
    say(f"{len(files)} files, {len(distinct)} distinct contents, {raw / 1048576:.1f} MiB raw")

    gzip6 = sum(len(gzip.compress(open(p, "rb").read(), 6)) for p in distinct.values())
    zstd3 = sum(len(subprocess.run(["zstd", "-3", "-c", "-q", p], check=True,
                                   capture_output=True).stdout) for p in distinct.values())

    first_fetch = int(time.time()) - 86400 * 30
    fetched_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(first_fetch))
    split = int(len(files) * TRAIN_SHARE)
    pages = pages_of(files)
    first, _, _ = ingest(pages[:split], fetched_at)
    conn = http.client.HTTPConnection(HOST, PORT, timeout=600)
    status, data = request(conn, "POST", "/api/v1/archive/pages/dictionaries", OPERATOR)
    if status != 201:
        sys.exit(f"archive: the dictionary was not kept ({status} {data[:300]!r})")
    dictionary = json.loads(data)
    say(f"dictionary {dictionary['id']}: {dictionary['sizeBytes']} bytes from "
        f"{dictionary['samplePages']} pages, held-out {dictionary['dictionaryBytes']} bytes "
        f"against {dictionary['plainBytes']} plain")
    # The rest of the corpus in batches: the sizes below are of these objects.
    ingest_batches(pages[split:], fetched_at)
    objects, raw_indexed, stored = stored_bytes()
    say(f"ingest: {split} pages one per request before the dictionary in {first:.1f} s (the JVM "
        f"warming up), {len(files) - split} in batches; {objects} objects, "
        f"{stored / 1048576:.1f} MiB stored")

    # Recompaction uses the newest dictionary: train one on the corpus as stored now.
    status, data = request(conn, "POST", "/api/v1/archive/pages/dictionaries", OPERATOR)
    if status == 201:
        retrained = json.loads(data)
        say(f"retrained dictionary {retrained['id']}: {retrained['sizeBytes']} bytes from "
            f"{retrained['samplePages']} pages, held-out {retrained['dictionaryBytes']} bytes "
            f"against {retrained['plainBytes']} plain")
    elif status != 204:
        sys.exit(f"archive: retraining failed ({status} {data[:300]!r})")

    started = time.monotonic()
    rounds = 0
    while True:
        status, data = request(conn, "POST", "/api/v1/archive/pages/recompactions", OPERATOR)
        if status != 200:
            sys.exit(f"archive: recompaction failed ({status} {data[:300]!r})")
        rounds += 1
        if json.loads(data)["recompacted"] == 0:
            break
    recompact_s = time.monotonic() - started
    _, _, recompacted = stored_bytes()
    say(f"recompaction: {recompact_s:.1f} s in {rounds} calls")

    # Rates with the service warm, as it runs for days, on pages the sizes above do not count
    # (variants: new content under URLs of their own, stored with the dictionary). First untimed
    # passes over the corpus until the JIT has compiled the store path: a request's code runs
    # once per page, and C2 compiles such code after thousands of calls, so on two cores the
    # compilers took over 1 ms of CPU per page for some 10,000 pages. Then, timed: TIMED_PASSES
    # passes one per request (the median is pages_per_s), the corpus fetched again unchanged (an
    # index row each, no object), one pass in batches.
    warm = 0
    for k in range(WARMUP_MAX_PASSES):
        seconds, _, jit_ms = ingest(variants(pages, f"warm{k}"), fetched_at)
        warm += len(pages)
        say(f"warm-up pass {k + 1}: {len(pages) / seconds:.0f} pages/s, JIT {jit_ms:.2f} ms of "
            f"CPU per page")
        if jit_ms < JIT_QUIET_MS:
            break
    timed = []
    groups_before, grouped_before = group_metrics()
    for k in range(TIMED_PASSES):
        seconds, client_ms, jit_ms = ingest(variants(pages, f"single{k}"), fetched_at)
        timed.append((len(pages) / seconds, client_ms, jit_ms))
        say(f"timed pass {k + 1}: {timed[-1][0]:.0f} pages/s, JIT {jit_ms:.2f} and this client "
            f"{client_ms:.2f} ms of CPU per page")
    groups_after, grouped_after = group_metrics()
    mean_group = (grouped_after - grouped_before) / max(1, groups_after - groups_before)
    median = sorted(timed)[len(timed) // 2]
    refetch_s, _, _ = refetch(pages, first_fetch)
    batched = variants(pages, "batch")
    batch_seconds, batch_count = ingest_batches(batched, fetched_at)
    say(f"warm: {len(pages)} new pages one per request at {', '.join(f'{t[0]:.0f}' for t in timed)} "
        f"pages/s (mean group {mean_group:.1f} pages), {len(pages)} unchanged in "
        f"{refetch_s:.1f} s, {len(batched)} new pages in {batch_count} batches in "
        f"{batch_seconds:.1f} s")

    mib = lambda b: f"{b / 1048576:.2f}"
    print(" ".join([
        f"pages={len(files)}",
        f"distinct={objects}",
        f"pages_per_s={median[0]:.0f}",
        f"pages_per_s_min={min(t[0] for t in timed):.0f}",
        f"cold_pages_per_s={split / first:.0f}",
        f"warmup_pages={warm}",
        f"jit_ms_per_page={median[2]:.2f}",
        f"client_ms_per_page={median[1]:.2f}",
        f"mean_group_pages={mean_group:.1f}",
        f"unchanged_pages_per_s={len(pages) / refetch_s:.0f}",
        f"batch_pages_per_s={len(batched) / batch_seconds:.0f}",
        f"concurrency={CONCURRENCY}",
        f"raw_mb={mib(raw_indexed)}",
        f"gzip6_mb={mib(gzip6)}",
        f"zstd3_mb={mib(zstd3)}",
        f"stored_mb={mib(stored)}",
        f"stored_vs_gzip={stored / gzip6:.3f}",
        f"recompacted_mb={mib(recompacted)}",
        f"recompacted_vs_gzip={recompacted / gzip6:.3f}",
        f"ratio_gzip6={raw_indexed / gzip6:.2f}",
        f"ratio_zstd3={raw_indexed / zstd3:.2f}",
        f"ratio_stored={raw_indexed / stored:.2f}",
        f"ratio_recompacted={raw_indexed / recompacted:.2f}",
        f"recompact_s={recompact_s:.0f}",
    ]))


if __name__ == "__main__":
    main()
