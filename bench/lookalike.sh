#!/usr/bin/env bash
# The look-alike benchmark: one command (see docs/benchmarks.md, "Look-alike domains").
#
#   bench/lookalike.sh [--reps N] [--no-build]
#
# Builds renkei with the release preset (bench included) and runs bench/lookalike_bench.cpp:
# lookalike::Index checks per second against 10,000 and 100,000 protected domains (unrelated
# domains and generated look-alikes, next to the naive pairwise comparison), then `renkei`'s
# analysis of ../shared/data/corpus/phishing_pot on one thread without a registry and with a
# registry of 10,000 domains and 5,000 executives. Prints Markdown tables. Without the corpus the
# analysis rows are skipped and it says so.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CORPUS=${RENKEI_BENCH_CORPUS:-$(realpath -m "$ROOT/../shared/data/corpus/phishing_pot")}
build=1
reps=3
while (($#)); do
  case "$1" in
    --no-build) build=0 ;;
    --reps) reps=$2; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/lookalike.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if ((build)); then
  cmake --preset release -DRENKEI_BUILD_BENCH=ON >/dev/null
  cmake --build --preset release --target renkei_lookalike_bench >/dev/null
fi
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
exec build/release/bench/renkei_lookalike_bench "$CORPUS" --reps "$reps"
