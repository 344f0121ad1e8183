#!/usr/bin/env python3
"""Analysis throughput with and without worker processes (issue 15, finding 3): the cost of
isolation (docs/benchmarks.md, "Analysis in worker processes").

    bench/worker_isolation.py --before OLD_RENKEI --after NEW_RENKEI [--n 1500] [--rounds 3]

Runs bench/hub_bench.py's throughput measurement (N distinct mails submitted through the API by 4
clients to a fresh SQLite `renkei serve`; analysed/s is N over the time until the last analysis is
stored) for each binary in turn, interleaved (old, new, old, new, …) so that the load of a shared
machine falls on both alike, with 1 and 2 analysis workers. Then the CPU time (user + system) of
the server and its workers per mail, the same way: wall-clock rates swing with a shared machine's
load, CPU per mail hardly does. Prints Markdown tables with the median of the rounds and the
change."""
import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hub_bench import MAIL, call, free_port, throughput  # noqa: E402


def cpu_per_mail(renkei, n, workers):
    """CPU time (user + system) of `renkei serve` and everything it started (its analysis workers,
    reaped by it) per mail submitted and analysed: unlike wall time, hardly moved by the load of
    other processes on a shared machine."""
    with tempfile.TemporaryDirectory() as data:
        boot = subprocess.run([renkei, "admin", "bootstrap", "--data", data, "--format", "json"], capture_output=True, check=True)
        token = json.loads(boot.stdout)["token"]
        port = free_port()
        url = f"http://127.0.0.1:{port}/api/v1"
        proc = subprocess.Popen([renkei, "serve", "--data", data, "--listen", f"127.0.0.1:{port}", "--web-root", "none",
                                 "--workers", str(workers), "--rate-limit", "100000"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                urllib.request.urlopen(url + "/health", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        counter, lock = iter(range(n)), threading.Lock()

        def client():
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                call(url + "/submissions", token, MAIL.format(n=i).encode(), "message/rfc822")

        threads = [threading.Thread(target=client) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        while True:
            _, q = call(url + "/submissions?status=queued&limit=1", token)
            _, a = call(url + "/submissions?status=analysing&limit=1", token)
            if not json.loads(q)["items"] and not json.loads(a)["items"]:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _, _, usage = os.wait4(proc.pid, 0)
        proc.returncode = 0
        return (usage.ru_utime + usage.ru_stime) * 1000 / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", required=True, help="renkei with analysis threads (the baseline)")
    ap.add_argument("--after", required=True, help="renkei with analysis worker processes")
    ap.add_argument("--n", type=int, default=1500)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    print("| analysis workers | binary | analysed/s, each round | median | acknowledged/s (median) |")
    print("|---|---|---|---|---|")
    for workers in (1, 2):
        results = {"before": [], "after": []}
        for _ in range(args.rounds):
            for label in ("before", "after"):
                results[label].append(throughput(getattr(args, label), "sqlite", None, args.n, 4, workers))
        med = {}
        for label in ("before", "after"):
            rates = [args.n / r["analysed_s"] for r in results[label]]
            acked = [args.n / r["acked_s"] for r in results[label]]
            med[label] = statistics.median(rates)
            print(f"| {workers} | {label} | {', '.join(f'{x:.0f}' for x in rates)} | {med[label]:.0f} | "
                  f"{statistics.median(acked):.0f} |", flush=True)
        print(f"| {workers} | change | | {100 * (med['after'] / med['before'] - 1):+.1f} % | |", flush=True)
    print()
    print("| analysis workers | binary | CPU ms per mail (server and its workers), each round | median |")
    print("|---|---|---|---|")
    for workers in (1, 2):
        cpu = {"before": [], "after": []}
        for _ in range(args.rounds):
            for label in ("before", "after"):
                cpu[label].append(cpu_per_mail(getattr(args, label), args.n, workers))
        for label in ("before", "after"):
            print(f"| {workers} | {label} | {', '.join(f'{x:.2f}' for x in cpu[label])} | {statistics.median(cpu[label]):.2f} |",
                  flush=True)
        change = 100 * (statistics.median(cpu["after"]) / statistics.median(cpu["before"]) - 1)
        print(f"| {workers} | change | | {change:+.1f} % |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
