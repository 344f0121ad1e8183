#!/usr/bin/env python3
"""Analysis throughput with and without worker processes (issue 15, finding 3): the cost of
isolation (docs/benchmarks.md, "Analysis in worker processes").

    bench/worker_isolation.py --before OLD_RENKEI --after NEW_RENKEI [--n 1500] [--rounds 3]

Runs bench/hub_bench.py's throughput measurement (N distinct mails submitted through the API by 4
clients to a fresh SQLite `renkei serve`; analysed/s is N over the time until the last analysis is
stored) for each binary in turn, interleaved (old, new, old, new, …) so that the load of a shared
machine falls on both alike, with 1 and 2 analysis workers. Prints a Markdown table with the median
of the rounds and the change."""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hub_bench import throughput  # noqa: E402


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
    return 0


if __name__ == "__main__":
    sys.exit(main())
