#!/usr/bin/env python3
"""The hub soak (issue 15: "an hour-long bounded mixed load with RSS sampled every minute").

    bench/soak.py --renkei build/release/renkei [--minutes 60] [--rate 20] [--clients 4]

Starts a fresh `renkei serve` (SQLite in a temporary directory, one token from `renkei admin
bootstrap`, a rate limit far above the load) and drives it with a bounded mixed load for the given
duration: `--rate` requests per second in all, spread over `--clients` threads, each request drawn
as submit 30 % (a distinct mail each time), list 25 %, detail 20 % (a random submission seen so
far), full-text search 15 %, stats 10 %. Every `--sample` seconds (60 by default) it reads the RSS
of the server process and of its children (the analysis workers, when there are any) from /proc
and prints one Markdown row: minute, server RSS, workers' RSS, requests and errors in the interval,
p50/p99 latency, queue length. At the end the verdict: the server's RSS is "flat" when, after the
first five samples (warm-up: caches, the engine), it grew by less than max(5 MB, 5 %) and the
least-squares slope over that part is below 2 MB per hour; otherwise "growing", with the numbers.

Errors counted: any answer other than 2xx, and any connection closed without an answer (issue 15,
finding 8). Uses Debian's python3 only (urllib, threads)."""
import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

MAIL = ("From: \"{name}\" <{sender}>\r\nTo: alice@a-company.co.jp\r\nSubject: {subject} {n}\r\n"
        "Message-ID: <{n}.{salt}@soak>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "{body}\r\nhttps://{host}/login?id={n}\r\n")
SUBJECTS = ["Invoice", "請求書の振込先変更", "Password expiry", "アカウント確認", "Urgent wire transfer", "Meeting notes"]
SENDERS = [("Accounts", "billing@b-companys-cc.com"), ("CEO", "ceo.office@gmail.com"), ("IT", "helpdesk@examp1e-corp.com"),
           ("Colleague", "bob@a-company.co.jp")]
BODIES = ["Please transfer the payment to our new account in Hong Kong.", "お支払い口座が変更になりました。至急ご確認ください。",
          "Your password expires today. Log in to keep it.", "Notes of today's meeting attached."]
SEARCH = ["invoice", "請求書", "password", "確認", "transfer", "meeting"]


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid):
    """The processes `pid` started, from any of its threads (the server forks from a thread)."""
    found = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found


def pct(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--renkei", required=True)
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--rate", type=float, default=20, help="requests per second in all")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--workers", type=int, default=1, help="analysis workers of the server")
    ap.add_argument("--sample", type=float, default=60, help="seconds between RSS samples")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as data:
        boot = subprocess.run([args.renkei, "admin", "bootstrap", "--data", data, "--format", "json"],
                              capture_output=True, check=True)
        token = json.loads(boot.stdout)["token"]
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        base = f"http://127.0.0.1:{port}/api/v1"
        log = open(os.path.join(data, "serve.log"), "wb")
        proc = subprocess.Popen([args.renkei, "serve", "--data", data, "--listen", f"127.0.0.1:{port}", "--web-root", "none",
                                 "--workers", str(args.workers), "--rate-limit", "100000"], stdout=log, stderr=log)
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/health", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("renkei serve did not start")

        lock = threading.Lock()
        ids = []
        window = {"n": 0, "errors": 0, "dropped": 0, "lat": []}
        totals = {"n": 0, "errors": 0, "dropped": 0}
        stop = threading.Event()
        counter = [0]
        salt = os.urandom(4).hex()

        def request(kind, rnd):
            h = {"Authorization": "Bearer " + token}
            data = None
            if kind == "submit":
                with lock:
                    counter[0] += 1
                    n = counter[0]
                name, sender = SENDERS[n % len(SENDERS)]
                data = MAIL.format(name=name, sender=sender, subject=SUBJECTS[n % len(SUBJECTS)], n=n, salt=salt,
                                   body=BODIES[n % len(BODIES)], host=f"login-{n % 97}.example-verify.com").encode()
                h["Content-Type"] = "message/rfc822"
                url = base + "/submissions"
            elif kind == "list":
                url = base + "/submissions?limit=50" + rnd.choice(["", "&status=analysed", "&kind=email"])
            elif kind == "detail":
                with lock:
                    sid = rnd.choice(ids) if ids else 1
                url = base + f"/submissions/{sid}"
            elif kind == "search":
                url = base + "/submissions?q=" + urllib.parse.quote(rnd.choice(SEARCH))
            else:
                url = base + "/stats" + rnd.choice(["", "?since=2026-01-01T00:00:00Z"])
            req = urllib.request.Request(url, data=data, headers=h, method="POST" if data else "GET")
            t0 = time.perf_counter()
            status, body, dropped = 0, b"", False
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    status, body = r.status, r.read()
            except urllib.error.HTTPError as e:
                status = e.code
            except OSError:
                dropped = True
            dt = time.perf_counter() - t0
            if kind == "submit" and status in (200, 202):
                sid = json.loads(body).get("id")
                with lock:
                    ids.append(sid)
                    if len(ids) > 5000:
                        del ids[: len(ids) - 5000]
            bad = dropped or not 200 <= status < 300
            with lock:
                window["n"] += 1
                window["lat"].append(dt)
                window["errors"] += bad and not dropped
                window["dropped"] += dropped

        def client(k):
            rnd = random.Random(k)
            period = args.clients / args.rate
            nxt = time.monotonic()
            while not stop.is_set():
                x = rnd.random()
                kind = "submit" if x < .30 else "list" if x < .55 else "detail" if x < .75 else "search" if x < .90 else "stats"
                request(kind, rnd)
                nxt += period
                time.sleep(max(0.0, nxt - time.monotonic()))

        threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(args.clients)]
        t_start = time.monotonic()
        for t in threads:
            t.start()
        print(f"# soak: {args.minutes:g} min, {args.rate:g} requests/s over {args.clients} clients, {args.workers} worker(s), "
              f"server pid {proc.pid}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", flush=True)
        print("| minute | server RSS (MB) | workers' RSS (MB) | requests | errors | dropped | p50 (ms) | p99 (ms) | queued |", flush=True)
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|", flush=True)
        samples = []
        end = t_start + args.minutes * 60
        k = 0
        while time.monotonic() < end and proc.poll() is None:
            k += 1
            time.sleep(max(0.0, t_start + k * args.sample - time.monotonic()))
            server = rss_kb(proc.pid) / 1024
            workers = sum(rss_kb(c) for c in children(proc.pid)) / 1024
            with lock:
                w = dict(window)
                window.update(n=0, errors=0, dropped=0, lat=[])
            for key in ("n", "errors", "dropped"):
                totals[key] += w[key]
            try:
                with urllib.request.urlopen(urllib.request.Request(base + "/stats", headers={"Authorization": "Bearer " + token}),
                                            timeout=30) as r:
                    queued = json.loads(r.read()).get("by_status", {}).get("queued", 0)
            except (OSError, ValueError):
                queued = "?"
            samples.append(server)
            print(f"| {k * args.sample / 60:.0f} | {server:.1f} | {workers:.1f} | {w['n']} | {w['errors']} | {w['dropped']} | "
                  f"{pct(w['lat'], 50):.1f} | {pct(w['lat'], 99):.1f} | {queued} |", flush=True)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        alive = proc.poll() is None
        proc.terminate()
        proc.wait(timeout=60)

    print()
    print(f"requests {totals['n']}, errors {totals['errors']}, dropped {totals['dropped']}, server "
          f"{'alive to the end' if alive else 'DIED (exit ' + str(proc.returncode) + ')'}")
    steady = samples[5:] if len(samples) > 7 else samples
    if len(steady) < 2:
        print("verdict: too short to judge")
        return 0 if alive else 1
    n = len(steady)
    xs = [i * args.sample / 3600 for i in range(n)]  # hours
    mx, my = sum(xs) / n, sum(steady) / n
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, steady)) / sum((x - mx) ** 2 for x in xs)
    growth = max(steady) - steady[0]
    flat = growth < max(5.0, 0.05 * steady[0]) and slope < 2.0
    print(f"verdict: {'flat' if flat else 'growing'} (after warm-up: {steady[0]:.1f} -> {steady[-1]:.1f} MB, max growth "
          f"{growth:.1f} MB, slope {slope:+.2f} MB/hour over {n} samples)")
    return 0 if alive and totals["dropped"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
