#!/usr/bin/env bash
# Builds the store and hub unit tests and the renkei binary under ThreadSanitizer (preset tsan:
# build/tsan, Debug, -fsanitize=thread) and runs the tests labelled store or hub: the unit tests
# on both stores (SQLite, and the PostgreSQL that ctest starts: pg.start/pg.stop), and
# e2e.hub_api, whose `renkei serve` runs the analysis workers, which no unit test does. Any data
# race, lock-order inversion or other TSan report fails the run (halt_on_error=1). Reports from
# third-party libraries are suppressed in tests/tsan.supp, each with its reason.
#
#   scripts/tsan.sh
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  "") ;;
  -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: scripts/tsan.sh" >&2; exit 2 ;;
esac

cmake --preset tsan >/dev/null
# Only what the two test binaries and renkei need (the build preset names them), not bench/.
cmake --build --preset tsan
# The test preset selects the labels store and hub (ctest adds the pg.start/pg.stop fixture) and
# sets TSAN_OPTIONS (halt_on_error, second_deadlock_stack, suppressions=tests/tsan.supp).
ctest --preset tsan
