#!/usr/bin/env bash
# Runs clang-tidy 14 (Debian's clang-tidy, configured by .clang-tidy) over the project's own C++
# sources in lib/, cli/, bench/ and fuzz/, two files at a time, and fails on any finding.
#
#   scripts/tidy.sh                  # every source file (CI, .ci/run)
#   scripts/tidy.sh --changed BASE   # the .cpp files changed since git ref BASE (committed or
#                                    # not), and every .cpp of a module whose header changed
#
# The compile commands come from build/tidy (configured here like the release build, with GCC;
# nothing is compiled) and, for the libFuzzer harnesses, which only build with clang, from
# build/tidy-fuzz. Tests are not checked.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

base=""
case "${1:-}" in
  "") ;;
  --changed)
    [ $# -eq 2 ] || { echo "usage: scripts/tidy.sh [--changed BASE]" >&2; exit 2; }
    base=$2 ;;
  -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: scripts/tidy.sh [--changed BASE]" >&2; exit 2 ;;
esac

tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
if [ -z "$tidy" ]; then
  echo "scripts/tidy.sh: clang-tidy is not installed; run scripts/setup.sh" >&2
  exit 1
fi

# Compile commands: one database of lib/, cli/ and bench/ (GCC, as built) and fuzz/ (clang).
echo "scripts/tidy.sh: configuring build/tidy and build/tidy-fuzz (compile commands only)"
cmake -S . -B build/tidy -G Ninja -DCMAKE_BUILD_TYPE=Debug -DRENKEI_BUILD_WEB=OFF \
  -DRENKEI_BUILD_TESTS=OFF -DRENKEI_BUILD_BENCH=ON >/dev/null
cmake -S . -B build/tidy-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DRENKEI_FUZZ=ON -DRENKEI_BUILD_WEB=OFF -DRENKEI_BUILD_TESTS=OFF \
  -DRENKEI_BUILD_BENCH=OFF >/dev/null
db=build/tidy/db
mkdir -p "$db"
python3 - "$root" build/tidy/compile_commands.json build/tidy-fuzz/compile_commands.json \
  "$db/compile_commands.json" <<'EOF'
import json, sys
root, gcc, clang, out = sys.argv[1:]
def ours(e, dirs):
    return any(e["file"].startswith(f"{root}/{d}/") for d in dirs)
entries = [e for e in json.load(open(gcc)) if ours(e, ("lib", "cli", "bench"))]
entries += [e for e in json.load(open(clang)) if ours(e, ("fuzz",))]
json.dump(entries, open(out, "w"), indent=1)
EOF
mapfile -t all < <(python3 -c 'import json, sys; [print(e["file"]) for e in json.load(open(sys.argv[1]))]' \
  "$db/compile_commands.json" | sed "s|^$root/||" | sort -u)

if [ -z "$base" ]; then
  files=("${all[@]}")
  what="all ${#files[@]} source files"
else
  git rev-parse --verify --quiet "$base^{commit}" >/dev/null ||
    { echo "scripts/tidy.sh: $base is not a git commit" >&2; exit 2; }
  mapfile -t changed < <(git diff --name-only --diff-filter=d "$base" -- lib cli bench fuzz .clang-tidy)
  declare -A want=()
  for f in "${changed[@]}"; do
    case "$f" in
      .clang-tidy) for a in "${all[@]}"; do want[$a]=1; done ;;  # new checks: everything
      *.cpp) want[$f]=1 ;;
      *.hpp)  # a module's header: every source of that module (lib/<module>/, cli/, bench/)
        dir=$(dirname "$f")
        for a in "${all[@]}"; do [ "$(dirname "$a")" = "$dir" ] && want[$a]=1; done ;;
    esac
  done
  files=()
  for a in "${all[@]}"; do [ -n "${want[$a]:-}" ] && files+=("$a"); done
  what="${#files[@]} source files changed since $base"
fi
if ((${#files[@]} == 0)); then
  echo "scripts/tidy.sh: no source files to check"
  exit 0
fi
echo "scripts/tidy.sh: clang-tidy on $what ($($tidy --version | grep -o 'version [0-9.]*'))"

# Only our own headers, anchored at the checkout (system headers live under /usr/lib too).
header_filter="^$root/(lib|cli|bench|fuzz)/"
# The compile commands carry GCC's flags; clang-tidy's clang need not know every one of them.
extra=(-extra-arg=-Wno-unknown-warning-option)
status=0
if runner=$(command -v run-clang-tidy-14 || command -v run-clang-tidy); then
  regexes=()
  for f in "${files[@]}"; do regexes+=("^$root/${f//./\\.}\$"); done
  # run-clang-tidy prints each command before its findings; clang's "N warnings generated" counts
  # warnings of system headers that the header filter drops.
  "$runner" -clang-tidy-binary "$tidy" -p "$db" -j 2 -quiet -header-filter "$header_filter" \
    "${extra[@]}" "${regexes[@]}" 2> >(grep -Ev '^[0-9]+ warnings? generated\.$' >&2) || status=$?
else
  printf '%s\0' "${files[@]}" | xargs -0 -n 1 -P 2 "$tidy" -p "$db" --quiet \
    --header-filter="$header_filter" "${extra[@]}" \
    2> >(grep -Ev '^[0-9]+ warnings? generated\.$' >&2) || status=$?
fi
if [ "$status" -ne 0 ]; then
  echo "scripts/tidy.sh: clang-tidy found problems (above); fix them, or, if a check is wrong for" \
    "this code, turn it off in .clang-tidy with the reason" >&2
  exit 1
fi
echo "scripts/tidy.sh: $what pass clang-tidy"
