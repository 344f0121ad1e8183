#!/usr/bin/env bash
# Checks that every C and C++ source follows .clang-format (scripts/test.sh runs this first), or,
# with --fix, rewrites the files that do not.
#
#   scripts/format.sh          # check: lists the files that differ, exit 1 if any
#   scripts/format.sh --fix    # format them in place
set -euo pipefail
cd "$(dirname "$0")/.."

mode=check
case "${1:-}" in
  "") ;;
  --fix) mode=fix ;;
  -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: scripts/format.sh [--fix]" >&2; exit 2 ;;
esac

if ! command -v clang-format >/dev/null; then
  echo "scripts/format.sh: clang-format is not installed; run scripts/setup.sh" >&2
  exit 1
fi

mapfile -d '' files < <(find bench cli fuzz lib tests -type f \
  \( -name '*.cpp' -o -name '*.hpp' -o -name '*.c' -o -name '*.h' \) \
  -not -path '*/node_modules/*' -print0 | sort -z)

if [ "$mode" = fix ]; then
  clang-format -i "${files[@]}"
  exit 0
fi

bad=()
for f in "${files[@]}"; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if ((${#bad[@]})); then
  echo "scripts/format.sh: ${#bad[@]} of ${#files[@]} files do not follow .clang-format:" >&2
  printf '  %s\n' "${bad[@]}" >&2
  echo "run scripts/format.sh --fix (clang-format -i) and commit the result" >&2
  exit 1
fi
echo "scripts/format.sh: ${#files[@]} files follow .clang-format"
