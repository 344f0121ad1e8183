#!/usr/bin/env bash
# The renkei throughput benchmark: one command (see docs/benchmarks.md).
#
#   bench/run.sh [--reps N] [--copies 5,10] [--markdown] [--no-build]
#                [--only renkei,renkei-mime,renkei-floor,gmime,python,mailparser,postal-mime,rspamd]
#
# Runs `renkei analyze` over ../shared/data/corpus/phishing_pot with 1 thread and with all cores,
# and, over the same files, a bare GMime parse (bench/gmime_bare_parse.c), Python's `email`
# (bench/python_email.py), nodemailer's mailparser and postal-mime (bench/node/), and rspamd 3.4
# from Debian through rspamc against a private rspamd on loopback with its network modules off;
# also renkei's MIME parser alone (bench/renkei_mime_parse.cpp) and renkei's floor
# (bench/renkei_floor.cpp: only the parse and library work SPEC 4.5 requires). Prints one table: messages/s, MB/s, CPU seconds, messages per CPU-second and peak RSS, the median
# of 3 runs each, and whether renkei meets the targets of SPEC section 10.
#
# Installs what is missing: Debian packages (rspamd, libgmime-3.0-dev, python3, nodejs, npm, time)
# with apt-get, the two npm packages into bench/node/node_modules with `npm ci` (the versions in
# bench/node/package-lock.json). Builds renkei with the release preset and the GMime peer with it.
# Without the corpus it says so and exits 0. Measure on a quiet machine: the table reports the load.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CORPUS=${RENKEI_BENCH_CORPUS:-$(realpath -m "$ROOT/../shared/data/corpus/phishing_pot")}

build=1
args=()
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$a") ;;
  esac
done

if [ ! -d "$CORPUS" ]; then
  echo "renkei bench: corpus not found at $CORPUS (../shared/data is absent): nothing measured."
  exit 0
fi

say() { echo "renkei bench: $*" >&2; }

# --- Debian packages ------------------------------------------------------------------------------
# rspamd 3.4 needs libhyperscan5, which conflicts with libvectorscan5: if that is installed, rspamd
# is left out (removing packages could break others' builds) and its row says so.
want=(python3 nodejs npm time libgmime-3.0-dev pkg-config cmake ninja-build build-essential rspamd)
missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    if [ "$p" = npm ] && command -v npm >/dev/null; then continue; fi   # npm shipped with nodejs
    if [ "$p" = rspamd ] && dpkg-query -W -f='${Status}' libvectorscan5 2>/dev/null | grep -q "install ok installed"; then
      say "rspamd not installed: Debian's rspamd needs libhyperscan5, which conflicts with the installed libvectorscan5"
      continue
    fi
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  say "installing from Debian: ${missing[*]}"
  $SUDO apt-get update -qq || true
  # rspamd on its own so that a failure there does not stop the other peers.
  others=()
  for p in "${missing[@]}"; do [ "$p" = rspamd ] || others+=("$p"); done
  if ((${#others[@]})); then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${others[@]}"
  fi
  if [[ " ${missing[*]} " == *" rspamd "* ]]; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends rspamd \
      || say "rspamd could not be installed; its row will say so"
  fi
fi

# --- npm peers ------------------------------------------------------------------------------------
if [ ! -d bench/node/node_modules/mailparser ] || [ ! -d bench/node/node_modules/postal-mime ]; then
  say "installing mailparser and postal-mime into bench/node (npm ci)"
  (cd bench/node && npm ci --no-audit --no-fund --loglevel=error) || say "npm ci failed; the Node.js rows will say so"
fi

# --- builds ---------------------------------------------------------------------------------------
# A target that fails to build is not measured (its row says "not built"): an older binary left in
# build/release would not be the code being benchmarked.
RENKEI=build/release/renkei
GMIME=build/release/bench/gmime_bare_parse
RENKEI_MIME=build/release/bench/renkei_mime_parse
RENKEI_FLOOR=build/release/bench/renkei_floor
if ((build)); then
  say "building renkei and the peers (release preset)"
  cmake --preset release >&2 || { RENKEI=""; GMIME=""; RENKEI_MIME=""; RENKEI_FLOOR=""; say "cmake --preset release failed"; }
  if [ -n "$GMIME" ]; then
    cmake --build --preset release --target gmime_bare_parse >&2 || { GMIME=""; say "the GMime peer did not build"; }
    cmake --build --preset release --target renkei_mime_parse >&2 || { RENKEI_MIME=""; say "renkei_mime_parse did not build"; }
    cmake --build --preset release --target renkei_floor >&2 || { RENKEI_FLOOR=""; say "renkei_floor did not build"; }
    cmake --build --preset release --target renkei >&2 || { RENKEI=""; say "renkei did not build; its rows will say so"; }
  fi
fi

load=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$load" 'BEGIN{exit !(l >= 0.5)}'; then
  say "warning: load average is $load; the numbers will be noisy (see docs/benchmarks.md)"
fi

exec python3 bench/bench.py --corpus "$CORPUS" --renkei "$RENKEI" --gmime "$GMIME" \
  --renkei-mime "$RENKEI_MIME" --renkei-floor "$RENKEI_FLOOR" "${args[@]}"
