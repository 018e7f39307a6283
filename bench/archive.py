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

HOST, PORT = "127.0.0.1", int(os.environ["HTTP_PORT"])
PIPELINE, OPERATOR = os.environ["PIPELINE_TOKEN"], os.environ["OPERATOR_TOKEN"]
CONCURRENCY = int(os.environ.get("CONCURRENCY", "16"))
MGMT_PORT = int(os.environ["MGMT_PORT"])
BATCH_PAGES = int(os.environ.get("BATCH_PAGES", "100"))
WORK = os.environ["WORK"]
WARMUP_PASSES = int(os.environ.get("WARMUP_PASSES", "2"))
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


def item(entry):
    """(path, url) of a file to post: a path alone is posted under its own URL."""
    return entry if isinstance(entry, tuple) else (entry, url_of(entry))


def variants(files, tag):
    """Each file with a comment appended, written under WORK/variants/tag: new content (stored
    and indexed, with the dictionary) that compresses as the file does, under URLs of its own."""
    folder = os.path.join(WORK, "variants", tag)
    os.makedirs(folder, exist_ok=True)
    out = []
    for i, path in enumerate(files):
        copy = os.path.join(folder, f"{i}.html")
        with open(path, "rb") as f, open(copy, "wb") as w:
            w.write(f.read() + f"<!-- bench variant {tag} -->".encode())
        out.append((copy, url_of(path) + "?variant=" + tag))
    return out


def ingest(files, fetched_at):
    """Posts files one per request (POST /api/v1/archive/pages) from one curl process keeping
    CONCURRENCY transfers on keep-alive connections (a C client: Python's http.client took about
    0.45 ms of CPU per request on the service's two cores); returns seconds. fetched_at is one ISO
    instant for all, or a function of the file's position in files."""
    at = fetched_at if callable(fetched_at) else (lambda _: fetched_at)
    config = os.path.join(WORK, "singles.curl")
    with open(os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
        for i, entry in enumerate(files):  # options end at each "next": every block has all
            path, url = item(entry)
            query = urllib.parse.urlencode({"url": url, "fetchedAt": at(i), "status": 200})
            out.write(f'url = "http://{HOST}:{PORT}/api/v1/archive/pages?{query}"\n'
                      f'data-binary = "@{path}"\n'
                      'header = "Content-Type: text/html; charset=utf-8"\n'
                      f'header = "Authorization: Bearer {PIPELINE}"\n'
                      'output = "/dev/null"\nsilent\nshow-error\n'
                      'write-out = "%{http_code} %{url}\\n"\n')
            if i < len(files) - 1:
                out.write("next\n")
    started = time.monotonic()
    done = subprocess.run(["curl", "-sS", "--parallel", "--parallel-max", str(CONCURRENCY),
                           "--parallel-immediate", "-K", config],
                          capture_output=True, text=True)
    seconds = time.monotonic() - started
    answers = done.stdout.splitlines()
    bad = [a for a in answers if not a.startswith(("200 ", "201 "))]
    if done.returncode != 0 or bad or len(answers) != len(files):
        sys.exit(f"archive: ingest failed: curl exit {done.returncode}, {len(answers)} answers "
                 f"for {len(files)} pages, {len(bad)} not 200/201: {bad[:3]} {done.stderr[:300]}")
    return seconds


def refetch(files, started):
    """Posts files again (stored before, unchanged) one per request, each a new fetch an hour
    after the first (an index row, no object); returns seconds."""
    return ingest(files, lambda i: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started + 3600 + i)))


def ingest_batches(files, fetched_at):
    """Posts files in batches (POST /api/v1/archive/pages/batches) of BATCH_PAGES pages or
    BATCH_BYTES at most; returns seconds. The JSON is made before the clock starts."""
    batches, batch, size = [], [], 0
    for entry in files:
        path, url = item(entry)
        with open(path, "rb") as f:
            body = f.read()
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

    started = int(time.time()) - 86400 * 30
    fetched_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started))
    split = int(len(files) * TRAIN_SHARE)
    first = ingest(files[:split], fetched_at)
    conn = http.client.HTTPConnection(HOST, PORT, timeout=600)
    status, data = request(conn, "POST", "/api/v1/archive/pages/dictionaries", OPERATOR)
    if status != 201:
        sys.exit(f"archive: the dictionary was not kept ({status} {data[:300]!r})")
    dictionary = json.loads(data)
    say(f"dictionary {dictionary['id']}: {dictionary['sizeBytes']} bytes from "
        f"{dictionary['samplePages']} pages, held-out {dictionary['dictionaryBytes']} bytes "
        f"against {dictionary['plainBytes']} plain")
    # The rest of the corpus in batches: the sizes below are of these objects.
    ingest_batches(files[split:], fetched_at)
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
    # (variants: each file with a comment appended, new content under URLs of their own, stored
    # with the dictionary). First WARMUP_PASSES passes over the corpus, untimed: the JIT compiles
    # the store path over thousands of new pages (on 2 cores the rate rose for some 5,000). Then,
    # timed: one pass one per request, the corpus fetched again unchanged (an index row each, no
    # object), one pass in batches.
    for k in range(WARMUP_PASSES):
        warm_s = ingest(variants(files, f"warm{k}"), fetched_at)
        say(f"warm-up pass {k + 1}: {len(files)} new pages at {len(files) / warm_s:.0f} pages/s")
    singles = variants(files, "single")
    groups_before, grouped_before = group_metrics()
    rest = ingest(singles, fetched_at)
    groups_after, grouped_after = group_metrics()
    mean_group = (grouped_after - grouped_before) / max(1, groups_after - groups_before)
    refetch_s = refetch(files, started)
    refetch_pages = len(files)
    batched = variants(files, "batch")
    batch_seconds, batch_count = ingest_batches(batched, fetched_at)
    say(f"warm: {len(singles)} new pages one per request in {rest:.1f} s (mean group "
        f"{mean_group:.1f} pages), {refetch_pages} unchanged in {refetch_s:.1f} s, "
        f"{len(batched)} new pages in {batch_count} batches in {batch_seconds:.1f} s")

    mib = lambda b: f"{b / 1048576:.2f}"
    print(" ".join([
        f"pages={len(files)}",
        f"distinct={objects}",
        f"pages_per_s={len(singles) / rest:.0f}",
        f"cold_pages_per_s={split / first:.0f}",
        f"mean_group_pages={mean_group:.1f}",
        f"unchanged_pages_per_s={refetch_pages / refetch_s:.0f}",
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
