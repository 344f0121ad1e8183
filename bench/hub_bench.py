#!/usr/bin/env python3
"""The hub benchmark (bench/hub.sh; results in docs/benchmarks.md).

The server runs with a rate limit far above what is measured (--rate-limit 100000): this measures
the hub's capacity, not its per-token limit (20 requests per second by default).

1. Throughput: N distinct mails submitted through the HTTP API by C concurrent clients to a fresh
   `renkei serve` (SQLite, or PostgreSQL — there also two servers sharing one database);
   submissions per second acknowledged, and per second analysed (the time until the last analysis
   is stored).
2. Latency at scale: the store is filled to 100,000 submissions (rows written directly — sqlite3
   in one transaction, or psql's COPY — as a hub would hold after months), then p50/p99 of the
   submit endpoint and of list endpoints (newest page, a status filter, a participant's own list,
   a full-text search) measured through HTTP.

PostgreSQL is a throwaway server started by tests/pg/pg_server.sh with fsync on (as durable as
SQLite's synchronous=FULL), on the same machine. Prints Markdown tables. Uses Debian's python3
and psql only (urllib, threads, sqlite3).
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


class Store:
    """Where a run keeps its data: a fresh SQLite directory, or a fresh database on the PostgreSQL
    server of the benchmark."""

    def __init__(self, kind, pg_admin=None):
        self.kind, self.pg_admin = kind, pg_admin

    def __enter__(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.data = self.tmp.name
        self.args = []
        if self.kind == "postgres":
            self.name = f"rk_bench_{os.getpid()}_{time.monotonic_ns()}"
            subprocess.run(["psql", "-q", self.pg_admin, "-c", f"CREATE DATABASE {self.name}"], check=True, capture_output=True)
            self.url = self.pg_admin[: self.pg_admin.rfind("/") + 1] + self.name
            self.args = ["--database", self.url]
        return self

    def __exit__(self, *exc):
        if self.kind == "postgres":
            subprocess.run(["psql", "-q", self.pg_admin, "-c", f"DROP DATABASE {self.name} WITH (FORCE)"], capture_output=True)
        self.tmp.cleanup()


class Hub:
    def __init__(self, renkei, store, workers):
        self.renkei, self.data, self.workers, self.args = renkei, store.data, workers, store.args
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/api/v1"

    def __enter__(self):
        self.proc = subprocess.Popen([self.renkei, "serve", "--data", self.data, "--listen", f"127.0.0.1:{self.port}",
                                      "--workers", str(self.workers), "--rate-limit", "100000", *self.args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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


def bootstrap(renkei, store):
    out = subprocess.run([renkei, "admin", "bootstrap", "--data", store.data, "--format", "json", *store.args],
                         capture_output=True, check=True)
    return json.loads(out.stdout)


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def throughput(renkei, store_kind, pg_admin, n, clients, workers, servers=1):
    with Store(store_kind, pg_admin) as store:
        boot = bootstrap(renkei, store)
        token = boot["token"]
        hubs = [Hub(renkei, store, workers) for _ in range(servers)]
        for h in hubs:
            h.__enter__()
        try:
            counter = iter(range(n))
            lock = threading.Lock()
            latencies = []

            def client(k):
                hub = hubs[k % len(hubs)]
                while True:
                    with lock:
                        i = next(counter, None)
                    if i is None:
                        return
                    dt, _ = call(hub.url + "/submissions", token, MAIL.format(n=i).encode(), "message/rfc822")
                    with lock:
                        latencies.append(dt)

            t0 = time.perf_counter()
            threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            acked = time.perf_counter() - t0
            while True:
                _, body = call(hubs[0].url + "/submissions?status=queued&limit=1", token)
                _, busy = call(hubs[0].url + "/submissions?status=analysing&limit=1", token)
                if not json.loads(body)["items"] and not json.loads(busy)["items"]:
                    break
                time.sleep(0.05)
            analysed = time.perf_counter() - t0
        finally:
            for h in hubs:
                h.__exit__()
        return {"n": n, "clients": clients, "workers": workers, "acked_s": acked, "analysed_s": analysed,
                "p50": pct(latencies, 50), "p99": pct(latencies, 99)}


WORDS = ["請求書", "振込先", "invoice", "payment", "account", "password", "アカウント", "確認", "urgent", "CEO"]
VERDICTS = ["bec", "phishing", "benign", "scam", "malware"]


def fill_rows(org_id, user_id, rows):
    for i in range(rows):
        subject = f"{WORDS[i % 10]} {WORDS[(i * 7) % 10]} #{i}"
        yield (org_id if i % 3 else None, "" if i % 3 else f"external {i % 50}", user_id, f"{org_id}:{i}",
               VERDICTS[i % 5], subject, f"2026-{1 + i % 9:02d}-01T00:00:00Z")


def fill_postgres(url, org_id, user_id, rows):
    """The same rows with psql: COPY in one transaction."""
    import csv
    import io
    body = MAIL.format(n="x").encode()
    sha = hashlib.sha256(body).hexdigest()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for org, ext, user, dedup, verdict, subject, at in fill_rows(org_id, user_id, rows):
        w.writerow(["" if org is None else org, ext, user, "email", "api", "anonymised", sha, 100, dedup, "analysed", verdict,
                    subject, at, "{}", subject])
    script = (f"BEGIN;\nINSERT INTO artefacts (sha256, size, bytes, created_at) VALUES ('{sha}', {len(body)}, "
              f"'\\x{body.hex()}', '2026-01-01T00:00:00Z') ON CONFLICT DO NOTHING;\n"
              "\\copy submissions (org_id, external_reporter, submitted_by, kind, channel, disclosure, artefact_sha256, artefact_size, "
              "dedup_key, status, verdict_class, subject, submitted_at, analysis_json, search_text) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (external_reporter))\n"
              + buf.getvalue() + "\\.\nCOMMIT;\nANALYZE submissions;\n")
    p = subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url], input=script.encode(), capture_output=True)
    if p.returncode != 0:
        raise RuntimeError("filling PostgreSQL failed: " + p.stderr.decode("utf-8", "replace")[-2000:])


def fill(data, org_id, user_id, rows):
    """Writes `rows` analysed submissions straight into the database, in one transaction."""
    db = sqlite3.connect(os.path.join(data, "renkei.db"), isolation_level=None)  # explicit BEGIN/COMMIT below
    body = MAIL.format(n="x").encode()
    sha = hashlib.sha256(body).hexdigest()
    db.execute("INSERT OR IGNORE INTO artefacts (sha256, size, bytes, created_at) VALUES (?, ?, ?, '2026-01-01T00:00:00Z')",
               (sha, len(body), body))
    def gen():
        for org, ext, user, dedup, verdict, subject, at in fill_rows(org_id, user_id, rows):
            yield (org, ext, user, sha, dedup, verdict, subject, at)

    db.execute("BEGIN")
    db.executemany("INSERT INTO submissions (org_id, external_reporter, submitted_by, kind, channel, disclosure, artefact_sha256, "
                   "artefact_size, dedup_key, status, verdict_class, subject, submitted_at, analysis_json) "
                   "VALUES (?, ?, ?, 'email', 'api', 'anonymised', ?, 100, ?, 'analysed', ?, ?, ?, '{}')", gen())
    db.execute("INSERT INTO submissions_fts (rowid, text) SELECT id, subject FROM submissions WHERE id NOT IN (SELECT rowid FROM submissions_fts)")
    db.commit()
    db.close()


def latency(renkei, store_kind, pg_admin, rows, samples):
    with Store(store_kind, pg_admin) as store:
        boot = bootstrap(renkei, store)
        admin = boot["token"]
        t0 = time.perf_counter()
        if store_kind == "postgres":
            fill_postgres(store.url, boot["organization_id"], boot["user_id"], rows)
        else:
            fill(store.data, boot["organization_id"], boot["user_id"], rows)
        fill_s = time.perf_counter() - t0
        with Hub(renkei, store, 1) as hub:
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
    ap.add_argument("--stores", default="sqlite,postgres", help="sqlite, postgres or both (comma-separated)")
    ap.add_argument("--pg-admin", help="libpq URL of the PostgreSQL admin database (bench/hub.sh starts one)")
    args = ap.parse_args()
    stores = [s for s in args.stores.split(",") if s]
    if "postgres" in stores and not args.pg_admin:
        ap.error("--pg-admin is needed for the postgres runs")
    names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    print("| store | servers | mails | clients | analysis workers per server | acknowledged/s | analysed/s | submit p50 ms | submit p99 ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for kind in stores:
        runs = [(1, 1, 1), (4, 1, 1), (4, 2, 1)] + ([(4, 1, 2)] if kind == "postgres" else [])
        for clients, workers, servers in runs:
            r = throughput(args.renkei, kind, args.pg_admin, args.n, clients, workers, servers)
            print(f"| {names[kind]} | {servers} | {r['n']} | {clients} | {workers} | {r['n'] / r['acked_s']:.0f} | "
                  f"{r['n'] / r['analysed_s']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} |", flush=True)
    for kind in stores:
        fill_s, rows = latency(args.renkei, kind, args.pg_admin, args.rows, args.samples)
        print()
        print(f"{names[kind]}: latency with {args.rows:,} stored submissions (filled in {fill_s:.1f} s), "
              f"{args.samples} requests each, one client:")
        print()
        print("| request | p50 ms | p99 ms |")
        print("|---|---|---|")
        for name, p50, p99 in rows:
            print(f"| {name} | {p50:.1f} | {p99:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
