#!/usr/bin/env bash
# The README's second command: set up, build, and run every test: the format check
# (scripts/format.sh), the unit and end-to-end suite (release build), the same suite under
# AddressSanitizer + UndefinedBehaviorSanitizer, and a short bounded libFuzzer run of every
# harness. Tests that need ../shared/data skip where it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${RENKEI_FUZZ_SECONDS:-20}"

RENKEI_WITH_BROWSER=1 scripts/setup.sh release asan fuzz

echo "== format (.clang-format)"
scripts/format.sh
echo "== tests (release)"
ctest --preset release
echo "== tests (ASan + UBSan)"
ctest --preset asan
echo "== fuzzing (${FUZZ_SECONDS}s per harness)"
scripts/fuzz.sh "$FUZZ_SECONDS"
echo "== all tests passed"
