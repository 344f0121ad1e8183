#!/usr/bin/env python3
"""The hub benchmark (bench/hub.sh; results in docs/benchmarks.md).

The server runs with a rate limit far above what is measured (--rate-limit 100000): this measures
the hub's capacity, not its per-token limit (20 requests per second by default).

1. Throughput: N distinct mails submitted through the HTTP API by C concurrent clients to a fresh
   `renkei serve` (SQLite); submissions per second acknowledged, and per second analysed (the
   time until the last analysis is stored).
2. Latency at scale: the store is filled to 100,000 submissions (rows written directly with
   sqlite3 in one transaction, as a hub would hold after months), then p50/p99 of the submit
   endpoint and of list endpoints (newest page, a status filter, a participant's own list, a
   full-text search) measured through HTTP.

Prints Markdown tables. Uses Debian's python3 only (urllib, threads, sqlite3).
"""
import argparse
import hashlib
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

MAIL = ("From: Accounts <billing@b-companys-cc.com>\r\nTo: alice@a-company.co.jp\r\nSubject: Invoice {n}\r\n"
        "Message-ID: <{n}@bench>\r\n\r\nPlease transfer the payment for invoice {n} to our new account in Hong Kong.\r\n")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Hub:
    def __init__(self, renkei, data, workers):
        self.renkei, self.data, self.workers = renkei, data, workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/api/v1"

    def __enter__(self):
        self.proc = subprocess.Popen([self.renkei, "serve", "--data", self.data, "--listen", f"127.0.0.1:{self.port}",
                                      "--workers", str(self.workers), "--rate-limit", "100000"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                urllib.request.urlopen(self.url + "/health", timeout=1).read()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("renkei serve did not start")

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def call(url, token, data=None, ctype=None):
    headers = {"Authorization": "Bearer " + token}
    if ctype:
        headers["Content-Type"] = ctype
    req = urllib.request.Request(url, data=data, headers=headers, method="POST" if data is not None else "GET")
    t0 = time.perf_counter()
    with urllib.request.urlopen(req, timeout=60) as r:
        body = r.read()
    return time.perf_counter() - t0, body


def bootstrap(renkei, data):
    out = subprocess.run([renkei, "admin", "bootstrap", "--data", data, "--format", "json"], capture_output=True, check=True)
    return json.loads(out.stdout)


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def throughput(renkei, n, clients, workers):
    with tempfile.TemporaryDirectory() as tmp:
        boot = bootstrap(renkei, tmp)
        token = boot["token"]
        with Hub(renkei, tmp, workers) as hub:
            counter = iter(range(n))
            lock = threading.Lock()
            latencies = []

            def client():
                while True:
                    with lock:
                        i = next(counter, None)
                    if i is None:
                        return
                    dt, _ = call(hub.url + "/submissions", token, MAIL.format(n=i).encode(), "message/rfc822")
                    with lock:
                        latencies.append(dt)

            t0 = time.perf_counter()
            threads = [threading.Thread(target=client) for _ in range(clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            acked = time.perf_counter() - t0
            while True:
                _, body = call(hub.url + "/submissions?status=queued&limit=1", token)
                _, busy = call(hub.url + "/submissions?status=analysing&limit=1", token)
                if not json.loads(body)["items"] and not json.loads(busy)["items"]:
                    break
                time.sleep(0.05)
            analysed = time.perf_counter() - t0
        return {"n": n, "clients": clients, "workers": workers, "acked_s": acked, "analysed_s": analysed,
                "p50": pct(latencies, 50), "p99": pct(latencies, 99)}


def fill(data, org_id, user_id, rows):
    """Writes `rows` analysed submissions straight into the database, in one transaction."""
    db = sqlite3.connect(os.path.join(data, "renkei.db"), isolation_level=None)  # explicit BEGIN/COMMIT below
    body = MAIL.format(n="x").encode()
    sha = hashlib.sha256(body).hexdigest()
    db.execute("INSERT OR IGNORE INTO artefacts (sha256, size, bytes, created_at) VALUES (?, ?, ?, '2026-01-01T00:00:00Z')",
               (sha, len(body), body))
    words = ["請求書", "振込先", "invoice", "payment", "account", "password", "アカウント", "確認", "urgent", "CEO"]
    verdicts = ["bec", "phishing", "benign", "scam", "malware"]

    def gen():
        for i in range(rows):
            subject = f"{words[i % 10]} {words[(i * 7) % 10]} #{i}"
            yield (org_id if i % 3 else None, "" if i % 3 else f"external {i % 50}", user_id, sha, f"{org_id}:{i}",
                   verdicts[i % 5], subject, f"2026-{1 + i % 9:02d}-01T00:00:00Z")

    db.execute("BEGIN")
    db.executemany("INSERT INTO submissions (org_id, external_reporter, submitted_by, kind, channel, disclosure, artefact_sha256, "
                   "artefact_size, dedup_key, status, verdict_class, subject, submitted_at, analysis_json) "
                   "VALUES (?, ?, ?, 'email', 'api', 'anonymised', ?, 100, ?, 'analysed', ?, ?, ?, '{}')", gen())
    db.execute("INSERT INTO submissions_fts (rowid, text) SELECT id, subject FROM submissions WHERE id NOT IN (SELECT rowid FROM submissions_fts)")
    db.commit()
    db.close()


def latency(renkei, rows, samples):
    with tempfile.TemporaryDirectory() as tmp:
        boot = bootstrap(renkei, tmp)
        admin = boot["token"]
        t0 = time.perf_counter()
        fill(tmp, boot["organization_id"], boot["user_id"], rows)
        fill_s = time.perf_counter() - t0
        with Hub(renkei, tmp, 1) as hub:
            # A participant of the same organisation (its own list is a filtered query).
            _, body = call(hub.url + "/users", admin, json.dumps({"login": "p", "role": "submitter",
                                                                  "organization_id": boot["organization_id"]}).encode(),
                           "application/json")
            _, body = call(hub.url + "/tokens", admin, json.dumps({"user_id": json.loads(body)["id"]}).encode(), "application/json")
            participant = json.loads(body)["token"]
            cases = [("list newest 50 (hub)", lambda i: call(hub.url + "/submissions?limit=50", admin)),
                     ("list page 50 deep (keyset)", lambda i: call(hub.url + f"/submissions?limit=50&before={max(2, rows - rows // 20 - i)}", admin)),
                     ("list verdict=bec (hub)", lambda i: call(hub.url + "/submissions?verdict=bec&limit=50", admin)),
                     ("list own (participant)", lambda i: call(hub.url + "/submissions?limit=50", participant)),
                     ("search q=振込先 (trigram)", lambda i: call(hub.url + "/submissions?limit=50&q=" + urllib.parse.quote("振込先"), admin)),
                     ("get one", lambda i: call(hub.url + f"/submissions/{1 + (i * 97) % rows}", admin)),
                     ("submit (new mail)", lambda i: call(hub.url + "/submissions", participant, MAIL.format(n=f"lat{i}").encode(),
                                                           "message/rfc822"))]
            out = []
            for name, fn in cases:
                fn(0)  # warm-up
                times = [fn(i + 1)[0] for i in range(samples)]
                out.append((name, pct(times, 50), pct(times, 99)))
        return fill_s, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--renkei", required=True)
    ap.add_argument("--n", type=int, default=2000, help="mails submitted in the throughput run")
    ap.add_argument("--rows", type=int, default=100000, help="stored submissions for the latency run")
    ap.add_argument("--samples", type=int, default=200)
    args = ap.parse_args()
    print("| run | mails | clients | analysis workers | acknowledged/s | analysed/s | submit p50 ms | submit p99 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for clients, workers in ((1, 1), (4, 1), (4, 2)):
        r = throughput(args.renkei, args.n, clients, workers)
        print(f"| SQLite | {r['n']} | {clients} | {workers} | {r['n'] / r['acked_s']:.0f} | {r['n'] / r['analysed_s']:.0f} | "
              f"{r['p50']:.1f} | {r['p99']:.1f} |", flush=True)
    fill_s, rows = latency(args.renkei, args.rows, args.samples)
    print()
    print(f"Latency with {args.rows:,} stored submissions (filled in {fill_s:.1f} s), {args.samples} requests each, one client:")
    print()
    print("| request | p50 ms | p99 ms |")
    print("|---|---|---|")
    for name, p50, p99 in rows:
        print(f"| {name} | {p50:.1f} | {p99:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
