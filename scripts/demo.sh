#!/usr/bin/env bash
# The README's first command: set up, build, and start the hub on the embedded default store
# (SQLite) with the demo community — thirteen SIGs, the J-CSIP seed organisations and two dozen
# fictional members, a liaison network, users of every role, and several hundred submissions (the
# seed cases, Japanese phishing, ordinary mail, and generated campaign series) that the hub
# analyses and groups into campaigns as it starts; the triage queue proposes a decision for each.
#
#   scripts/demo.sh                 # data in ./demo-hub, API on http://127.0.0.1:8080/api/v1
#   RENKEI_DEMO_DATA=/tmp/hub RENKEI_LISTEN=127.0.0.1:9000 scripts/demo.sh
#
# Stop it with Ctrl-C. Run it again to start the same hub; delete the data directory for a new one.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh release
renkei=./build/release/renkei
data="${RENKEI_DEMO_DATA:-demo-hub}"
listen="${RENKEI_LISTEN:-127.0.0.1:8080}"
credentials="$data/demo-credentials.txt"

if [ ! -f "$data/renkei.db" ]; then
  echo
  mkdir -p "$data"
  umask 077
  # Campaign series shaped like the seeds' tables (tests/tools/campaign_series.py, deterministic):
  # what the campaign pages and the triage queue show a new user.
  python3 tests/tools/campaign_series.py --out "$data/series" --seed 18 >/dev/null
  "$renkei" admin demo --data "$data" --registry tests/fixtures/registries/seed.toml \
    --mails tests/fixtures/seed tests/fixtures/ja_phishing tests/fixtures/benign \
    "$data/series/mails" > "$credentials"
fi
echo
cat "$credentials"
token=$(awk '/token/ {print $2; exit}' "$credentials")
cat <<EOT

The hub starts now. Open the web UI at http://$listen/ and log in with one of the accounts
above (日本語/English: the switch at the top right). The API is at http://$listen/api/v1
(OpenAPI: http://$listen/api/v1/openapi.json). The credentials are kept in $credentials.
In another terminal, for example:

  curl -s -H "Authorization: Bearer $token" "http://$listen/api/v1/submissions?verdict=bec&limit=5"
  curl -s -H "Authorization: Bearer $token" "http://$listen/api/v1/campaigns?min_members=2"
  curl -s -H "Authorization: Bearer $token" "http://$listen/api/v1/triage?limit=5"
  $renkei campaigns tests/fixtures/seed/*.eml   # campaigns without a hub
  RENKEI_SERVER=http://$listen RENKEI_TOKEN=$token $renkei submit --wait tests/fixtures/seed/q2-2020-case1-reply-to-return-path-cc-diverted.eml
  $renkei analyze --registry tests/fixtures/registries/seed.toml tests/fixtures/seed/   # the engine alone, no hub

Stop the hub with Ctrl-C.

EOT
exec "$renkei" serve --data "$data" --listen "$listen"
