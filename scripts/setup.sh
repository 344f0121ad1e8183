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
  librestinio-dev libasio-dev libfmt-dev libhttp-parser-dev python3-jsonschema
  libcurl4-openssl-dev libpq-dev postgresql
  clang libclang-rt-14-dev clang-format clang-tidy
  libgmime-3.0-dev zip
)

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

presets=("$@")
((${#presets[@]})) || presets=(release)
for preset in "${presets[@]}"; do
  echo "renkei setup: configuring and building preset '$preset'"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
done
