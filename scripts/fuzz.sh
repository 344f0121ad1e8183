#!/usr/bin/env bash
# Runs every libFuzzer harness for a bounded time over its checked-in seed corpus.
# Usage: scripts/fuzz.sh [seconds per harness]   (expects the 'fuzz' preset built)
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-20}"
status=0
for bin in build/fuzz/fuzz/*_fuzz; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin" _fuzz)
  seeds="fuzz/corpus/$name"
  work=$(mktemp -d)
  echo "fuzz: $name for ${secs}s (seeds: $seeds)"
  if ! "$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=0 \
      "$work" ${seeds:+$( [ -d "$seeds" ] && echo "$seeds")} >"$work.log" 2>&1; then
    echo "fuzz: $name FAILED"; tail -40 "$work.log"; status=1
  else
    grep -E "^#[0-9]+.*DONE|Done [0-9]+ runs" "$work.log" | tail -1 || true
  fi
  rm -rf "$work" "$work.log"
done
exit $status
