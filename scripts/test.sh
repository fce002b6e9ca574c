#!/usr/bin/env bash
# Runs the whole test suite against a throwaway PostgreSQL cluster.
#
#   scripts/test.sh [extra dotnet test args...]     e.g. --filter "FullyQualifiedName~Storage"
#
# Installs Debian's postgresql, chromium, fonts-noto-core, nodejs and npm if needed (the browser tests drive
# that chromium), starts a private cluster on 127.0.0.1:<free port>, exports
# XFACTOR_TEST_POSTGRES, runs `dotnet test` on the solution, stops the cluster, and
# prints as the very last line: "N passed, N failed, N skipped" (summed over every test
# project's .trx). Exit 0 only if dotnet test succeeded, nothing failed and something passed.
# Without extra args it also runs scripts/api-lint.sh (the served API documents through their
# linters); a failure there counts as one failed test.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
# shellcheck source-path=SCRIPTDIR source=lib/postgres.sh
source "$REPO/scripts/lib/postgres.sh"
# shellcheck source-path=SCRIPTDIR source=lib/browser.sh
source "$REPO/scripts/lib/browser.sh"
# shellcheck source-path=SCRIPTDIR source=lib/node.sh
source "$REPO/scripts/lib/node.sh"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Test hosts do not watch their settings files: each watcher is an inotify instance, and many
# hosts at once (xUnit runs test classes in parallel) would run out of the per-user limit (128).
export DOTNET_hostBuilder__reloadConfigOnChange=false
# No MSBuild worker nodes left behind holding the caller's pipes open.
export MSBUILDDISABLENODEREUSE=1

RESULTS="$REPO/TestResults/test-sh"   # gitignored; only this run's .trx files are in it

cleanup() { pg_stop_throwaway > /dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pg_ensure_installed
browser_ensure_installed
# Before the first build: Voting.Server's build runs `npm ci` for the console's uPlot.
node_ensure_installed
echo "Node: $(node --version), npm $(npm --version)"
echo "Chromium: $("$XFACTOR_CHROMIUM" --version 2>/dev/null || echo "$XFACTOR_CHROMIUM")"
# The browser tests keep their screenshots here, beside the .trx files.
export XFACTOR_SCREENSHOTS="$RESULTS/screenshots"
pg_start_throwaway
export XFACTOR_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
echo "PostgreSQL: $("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atc 'SELECT version()')"
echo "XFACTOR_TEST_POSTGRES=$XFACTOR_TEST_POSTGRES"

rm -rf "$RESULTS"
mkdir -p "$RESULTS"

rc=0
# A test that hangs fails with a dump of its test host (beside the .trx) instead of eating CI's time.
dotnet test XFactorVoting.slnx -c Release \
  --blame-hang-timeout "${XFACTOR_TEST_HANG_TIMEOUT:-10m}" --blame-hang-dump-type mini \
  --logger "trx;LogFilePrefix=results" \
  --logger "console;verbosity=normal" \
  --results-directory "$RESULTS" \
  "$@" || rc=$?

# The served OpenAPI/AsyncAPI documents through their linters (issue 14); a filtered run skips them.
api_lint=skipped
if [[ $# -eq 0 ]]; then
  if bash "$REPO/scripts/api-lint.sh" "$RESULTS/api-docs"; then api_lint=passed; else api_lint=failed; fi
fi

# Stop the cluster now (quietly) so nothing prints after the summary line.
cleanup
dotnet build-server shutdown > /dev/null 2>&1 || true

# Sum <Counters .../> over every .trx. failed includes error/timeout/aborted. Skipped tests are
# in total but not in executed (the TRX logger leaves notExecuted at 0 for them), so
# skipped = total - executed, which also covers notExecuted.
read -r trx passed failed skipped < <(
  find "$RESULTS" -name '*.trx' -type f -print0 | xargs -0 -r cat |
    grep -o '<Counters [^>]*>' |
    awk '
      function attr(s, name,   re, v) {
        re = " " name "=\"[0-9]+\""
        if (match(s, re)) { v = substr(s, RSTART, RLENGTH); gsub(/[^0-9]/, "", v); return v + 0 }
        return 0
      }
      { n++; p += attr($0, "passed"); f += attr($0, "failed") + attr($0, "error") + attr($0, "timeout") + attr($0, "aborted"); s += attr($0, "total") - attr($0, "executed") }
      END { printf "%d %d %d %d\n", n, p, f, s }'
)

if [[ "$trx" -eq 0 ]]; then
  echo "dotnet test exited $rc and wrote no .trx (build failure?)" >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
echo "dotnet test exited $rc; $trx test project result file(s) in $RESULTS"
if [[ $rc -ne 0 && $failed -eq 0 ]]; then
  # e.g. one project failed to build or its test host crashed while the others passed.
  echo "dotnet test failed without a failed test in the .trx files: counting 1 failure" >&2
  failed=1
fi
echo "api-lint (scripts/api-lint.sh): $api_lint"
[[ $api_lint != failed ]] || failed=$((failed + 1))
echo "$passed passed, $failed failed, $skipped skipped"
if [[ $rc -eq 0 && $failed -eq 0 && $passed -gt 0 ]]; then
  exit 0
fi
exit 1
