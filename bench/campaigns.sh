#!/usr/bin/env bash
# The campaign assignment benchmark: one command (see docs/benchmarks.md, "Campaign assignment").
#
#   bench/campaigns.sh [--sizes N,N,..] [--store-sizes N,N,..] [--measure M] [--pg] [--no-build]
#
# Builds bench/campaign_bench.cpp (release preset) and runs it on a synthetic stream of analysed
# mails (feature keys shaped like lib/campaign's, campaigns of Zipf-like sizes): first
# campaign::Clusterer in memory at --sizes stored mails (default 10000,100000,1000000), then
# CampaignStore::assign_next_campaign on SQLite (a fresh data directory under /tmp) and, with
# --pg, on a private PostgreSQL server (tests/pg/pg_server.sh, fsync off as in the tests) at
# --store-sizes (default 10000,100000). Prints Markdown tables: latency of the next M assignments
# at each size, index size, RSS or database size, and the time the fill took.
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
pg=0
sizes=10000,100000,1000000
store_sizes=10000,100000
measure=""
while (($#)); do
  case "$1" in
    --no-build) build=0 ;;
    --pg) pg=1 ;;
    --sizes) sizes=$2; shift ;;
    --store-sizes) store_sizes=$2; shift ;;
    --measure) measure="--measure $2"; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/campaigns.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if ((build)); then
  [ -f build/release/CMakeCache.txt ] || cmake --preset release -DRENKEI_BUILD_BENCH=ON >/dev/null
  cmake --build build/release -j2 --target renkei_campaign_bench >/dev/null
fi
BIN=build/release/bench/renkei_campaign_bench
work=$(mktemp -d /tmp/rk-campaign-bench.XXXXXX)
# Its own directory: as root, pg_server.sh hands it to the postgres user, who cannot enter $work.
pgdir=$(mktemp -u /tmp/rk-campaign-bench-pg.XXXXXX)
cleanup() {
  if [ -f "$pgdir/url" ]; then tests/pg/pg_server.sh stop "$pgdir" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "### In memory (campaign::Clusterer::add)"
echo
# shellcheck disable=SC2086
"$BIN" memory --sizes "$sizes" $measure
echo
echo "### SQLite (CampaignStore::assign_next_campaign, synchronous=FULL, $work)"
echo
# shellcheck disable=SC2086
"$BIN" sqlite "$work/sqlite" --sizes "$store_sizes" $measure
if ((pg)); then
  tests/pg/pg_server.sh start "$pgdir" >/dev/null
  echo
  echo "### PostgreSQL $(psql "$(cat "$pgdir/url")" -XAtc 'SHOW server_version' | cut -d' ' -f1) (CampaignStore::assign_next_campaign, fsync off)"
  echo
  # shellcheck disable=SC2086
  "$BIN" postgres "$(cat "$pgdir/url")" --sizes "$store_sizes" $measure
fi
