#!/usr/bin/env bash
# The hub benchmark: one command (see docs/benchmarks.md, "The hub").
#
#   bench/hub.sh [--no-build] [--n 2000] [--rows 100000] [--samples 200] [--stores sqlite,postgres]
#
# Builds renkei with the release preset and runs bench/hub_bench.py: submissions per second
# through the HTTP API (analysis included) with 1 and 4 clients, on SQLite and on PostgreSQL (one
# and two servers), and p50/p99 of submit and list requests with 100,000 stored submissions. The
# PostgreSQL server is a throwaway one (tests/pg/pg_server.sh, fsync on), stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
args=()
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$a") ;;
  esac
done
if ((build)); then
  cmake --preset release >/dev/null
  cmake --build --preset release --target renkei >/dev/null
fi
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
pgdir=$(mktemp -d /tmp/renkei-bench-pg.XXXXXX)
trap 'tests/pg/pg_server.sh stop "$pgdir"' EXIT
pg_admin=$(PG_FSYNC=on tests/pg/pg_server.sh start "$pgdir")
/usr/bin/python3 bench/hub_bench.py --renkei build/release/renkei --pg-admin "$pg_admin" "${args[@]}"
