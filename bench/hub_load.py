#!/usr/bin/env python3
"""A sustained load on `renkei serve` that counts the requests closed without an answer (hub
hardening, issue 15, finding 8), with throughput and latency (results in docs/benchmarks.md).

C client threads send, for S seconds, a mix of submissions (distinct small mails, message/rfc822),
lists of the newest submissions and health checks to one fresh server on SQLite, either each
request on a new connection (as urllib does: --mode new) or on one kept-alive connection per client
(--mode keep). Every request ends in exactly one of: an HTTP status (counted by status), closed
without an answer (the connection reset or closed before a status line: the finding), or a client
timeout. Uses Debian's python3 only.

  bench/hub_load.py --renkei build/release/renkei --seconds 180 --clients 8 --mode new
"""
import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import tempfile
import threading
import time

MAIL = ("From: Accounts <billing@b-companys-cc.com>\r\nTo: alice@a-company.co.jp\r\nSubject: Invoice {n}\r\n"
        "Message-ID: <{n}@load>\r\n\r\nPlease transfer the payment for invoice {n} to our new account.\r\n")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client(threading.Thread):
    def __init__(self, idx, port, token, deadline, mode, counter):
        super().__init__(daemon=True)
        self.idx, self.port, self.token, self.deadline, self.mode = idx, port, token, deadline, mode
        self.counter = counter
        self.statuses = {}
        self.dropped = []  # (kind of request, exception) of the requests closed without an answer
        self.timeouts = 0
        self.errors = {}  # the first body of each 5xx status, to tell whose error it was
        self.latency = {"submit": [], "list": [], "health": []}
        self.conn = None

    def connection(self):
        if self.conn is None or self.mode == "new":
            if self.conn is not None:
                self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        return self.conn

    def run(self):
        n = 0
        while time.monotonic() < self.deadline:
            n += 1
            kind = "submit" if n % 4 != 0 else ("list" if n % 8 == 0 else "health")
            headers = {"Authorization": "Bearer " + self.token}
            body = None
            if kind == "submit":
                with self.counter[1]:
                    self.counter[0] += 1
                    k = self.counter[0]
                body = MAIL.format(n=f"{self.idx}-{k}-{time.monotonic_ns()}").encode()
                headers["Content-Type"] = "message/rfc822"
                method, path = "POST", "/api/v1/submissions"
            elif kind == "list":
                method, path = "GET", "/api/v1/submissions?limit=20"
            else:
                method, path = "GET", "/api/v1/health"
            t0 = time.perf_counter()
            try:
                c = self.connection()
                c.request(method, path, body=body, headers=headers)
                r = c.getresponse()
                body = r.read()
                self.statuses[r.status] = self.statuses.get(r.status, 0) + 1
                if r.status >= 500:
                    self.errors.setdefault(r.status, body[:300])
                self.latency[kind].append(time.perf_counter() - t0)
                if r.will_close or self.mode == "new":
                    c.close()
                    self.conn = None
            except socket.timeout:
                self.timeouts += 1
                self.conn = None
            except (http.client.RemoteDisconnected, http.client.BadStatusLine, http.client.IncompleteRead,
                    ConnectionResetError, BrokenPipeError, ConnectionAbortedError) as e:
                self.dropped.append((kind, type(e).__name__))
                self.conn = None
            except OSError as e:
                self.dropped.append((kind, f"{type(e).__name__}: {e}"))
                self.conn = None


def percentile(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100 * len(xs)))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--renkei", required=True)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--mode", choices=("new", "keep"), default="new")
    ap.add_argument("--rate-limit", default="100000", help="the server's --rate-limit (default: not the bottleneck)")
    ap.add_argument("--label", default="")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="renkei-load-") as tmp:
        data = os.path.join(tmp, "hub")
        out = subprocess.run([args.renkei, "admin", "bootstrap", "--data", data, "--format", "json"],
                             check=True, capture_output=True).stdout
        token = json.loads(out)["token"]
        port = free_port()
        err = open(os.path.join(tmp, "serve.stderr"), "wb")
        proc = subprocess.Popen([args.renkei, "serve", "--data", data, "--listen", f"127.0.0.1:{port}",
                                 "--rate-limit", args.rate_limit, "--web-root", "none"],
                                stdout=subprocess.DEVNULL, stderr=err)
        try:
            for _ in range(100):
                try:
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                    c.request("GET", "/api/v1/health")
                    if c.getresponse().status == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            counter = [0, threading.Lock()]
            t0 = time.monotonic()
            clients = [Client(i, port, token, t0 + args.seconds, args.mode, counter) for i in range(args.clients)]
            for c in clients:
                c.start()
            for c in clients:
                c.join()
            elapsed = time.monotonic() - t0
            rss_peak = 0
            with open(f"/proc/{proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        rss_peak = int(line.split()[1]) // 1024
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    statuses = {}
    for c in clients:
        for k, v in c.statuses.items():
            statuses[k] = statuses.get(k, 0) + v
    dropped = [d for c in clients for d in c.dropped]
    timeouts = sum(c.timeouts for c in clients)
    answered = sum(statuses.values())
    total = answered + len(dropped) + timeouts
    lat = {k: [x for c in clients for x in c.latency[k]] for k in ("submit", "list", "health")}
    label = args.label or os.path.basename(os.path.dirname(os.path.abspath(args.renkei)))
    print(f"| {label} | {args.mode} | {args.clients} | {elapsed:.0f} | {total} | {answered / elapsed:.0f} | "
          f"{len(dropped)} | {timeouts} | "
          + " | ".join(f"{percentile(lat[k], 50) * 1000:.1f} / {percentile(lat[k], 99) * 1000:.1f}"
                       for k in ("submit", "list"))
          + f" | {rss_peak} | {json.dumps({str(k): v for k, v in sorted(statuses.items())})} |")
    for c in clients:
        for status, body in c.errors.items():
            print(f"first {status}: {body.decode('utf-8', 'replace')}")
    if dropped:
        kinds = {}
        for d in dropped:
            kinds[d] = kinds.get(d, 0) + 1
        print("closed without an answer:", kinds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
