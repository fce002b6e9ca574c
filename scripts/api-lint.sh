#!/usr/bin/env bash
# Lints the API documents a real server serves (issue 14):
#   /openapi/v1.json  with @redocly/cli lint, its recommended rules (tools/api-lint/redocly.yaml): 0 errors;
#   /asyncapi/v1.json with @asyncapi/parser (tools/api-lint/validate-asyncapi.mjs): 0 errors.
# The npm tools come from tools/api-lint/package-lock.json (npm ci); the documents from
# tools/Voting.ApiExport, which starts the server on a throwaway SQLite database and asks it for them.
#
#   scripts/api-lint.sh [OUT_DIR]     (default: TestResults/api-docs; the documents are kept there)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:-$REPO/TestResults/api-docs}
LINT="$REPO/tools/api-lint"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 MSBUILDDISABLENODEREUSE=1
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true SCARF_ANALYTICS=false NO_UPDATE_NOTIFIER=1

echo "api-lint: npm ci in tools/api-lint"
npm ci --prefix "$LINT" --ignore-scripts --no-audit --no-fund --loglevel=error > /dev/null

echo "api-lint: exporting the served documents to $OUT"
dotnet build "$REPO/tools/Voting.ApiExport" -c Release -v quiet -nologo > /dev/null
mkdir -p "$OUT"
dotnet "$REPO/tools/Voting.ApiExport/bin/Release/net10.0/Voting.ApiExport.dll" "$OUT"

rc=0
echo "api-lint: redocly lint (recommended rules) on openapi.json"
set +e
# (Node 20's end-of-support box is dropped from the output.)
(cd "$LINT" && npx --no-install redocly lint --config redocly.yaml "$OUT/openapi.json" --format=stylish) 2>&1 | grep -v '[║╔╚]'
[[ ${PIPESTATUS[0]} -eq 0 ]] || rc=1
set -e

echo "api-lint: @asyncapi/parser on asyncapi.json"
node "$LINT/validate-asyncapi.mjs" "$OUT/asyncapi.json" || rc=1

if [[ $rc -eq 0 ]]; then echo "api-lint: both documents pass"; else echo "api-lint: FAILED" >&2; fi
exit $rc
