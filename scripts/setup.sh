#!/usr/bin/env bash
# Installs what renkei needs on Debian 12 from Debian's packages, idempotently, and configures and
# builds it. Usage: scripts/setup.sh [preset...]   (default preset: release)
# Run as root or with sudo available. Prints what it installs; installs nothing that is present.
set -euo pipefail
cd "$(dirname "$0")/.."

# Build tools and libraries (see docs/dependencies.md for what each is for).
PACKAGES=(
  build-essential cmake ninja-build pkg-config git python3
  libicu-dev libpsl-dev publicsuffix libidn2-dev libarchive-dev libmagic-dev libssl-dev
  libfuzzy-dev zlib1g-dev libgumbo-dev libcld2-dev libtomlplusplus-dev nlohmann-json3-dev libcli11-dev
  libexpected-dev libgtest-dev libgmock-dev libbenchmark-dev libsqlite3-dev libsodium-dev
  libboost-dev python3-jsonschema
  libcurl4-openssl-dev libpq-dev postgresql
  clang libclang-rt-14-dev clang-format clang-tidy
  libgmime-3.0-dev zip
)

# The browser the web UI's end-to-end tests drive (Playwright cannot download one here): only for
# the test command, which sets RENKEI_WITH_BROWSER=1.
if [ "${RENKEI_WITH_BROWSER:-0}" = 1 ]; then PACKAGES+=(chromium); fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "renkei setup: installing from Debian: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "renkei setup: all Debian packages present"
fi

# Node.js for the web UI's build (npm packages pinned in web/package-lock.json). The machine's
# own Node.js is used when present; Debian's nodejs and npm otherwise.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "renkei setup: installing Node.js and npm from Debian"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  command -v node >/dev/null || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs
  command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm
fi
# The UI's npm packages, exactly as locked; again only when the lock file changed.
lock_sum=$(sha256sum web/package-lock.json | cut -d' ' -f1)
if [ "$(cat web/node_modules/.renkei-lock 2>/dev/null)" != "$lock_sum" ]; then
  echo "renkei setup: installing the web UI's npm packages (npm ci in web/)"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > web/node_modules/.renkei-lock
else
  echo "renkei setup: the web UI's npm packages are present"
fi

presets=("$@")
((${#presets[@]})) || presets=(release)
for preset in "${presets[@]}"; do
  echo "renkei setup: configuring and building preset '$preset'"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
done
