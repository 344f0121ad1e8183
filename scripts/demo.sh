#!/usr/bin/env bash
# The README's first command: set up, build, and run the main job on the bundled sample mail set
# (the seed cases of the J-CSIP reports, Japanese phishing, and ordinary mail) with the sample
# identity registry.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh release
echo
echo "renkei: analysing the bundled sample mail set (tests/fixtures) with the sample registry"
echo
lang="${RENKEI_LANG:-en}"
mapfile -t mails < <(find tests/fixtures/seed tests/fixtures/ja_phishing tests/fixtures/benign -name '*.eml' | sort)
./build/release/renkei analyze --lang "$lang" --registry tests/fixtures/registries/seed.toml "${mails[@]}"
