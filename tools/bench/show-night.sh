#!/usr/bin/env bash
# Show night (issue 13, goal 6): a compressed live show against a Release server on a fresh
# database, run by `Voting.LoadTest show-night`.
#
#   tools/bench/show-night.sh [sqlite|postgres] [show-night options...]
#
# Every option after the store goes to the tool (--viewers N, --window S, --watchers W,
# --sms-share F, --paid-share F, --bundle-share F, ...: see `Voting.LoadTest --help`); the URL,
# the signal and carrier secrets and the report directory are this script's.
# Defaults (the tool's): 1,000 viewers, 60 s window, 200 watchers, 10 % SMS, 30 % of app viewers paid.
# Steps: Release build; for postgres a throwaway cluster (scripts/lib/postgres.sh); the server on
# a fresh database (Development, no demo episode, sign-in limits lifted, a broadcast signing
# secret and a Smart secret of this run); the scenario; the report. Exits with the tool's code:
# 0 when every check passed. Everything runs on 127.0.0.1 and is stopped on exit; the report and
# the logs stay in artifacts/show-night/<store>-<time>/ (gitignored), the database does not.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
# shellcheck source-path=SCRIPTDIR source=../../scripts/lib/postgres.sh
source "$REPO/scripts/lib/postgres.sh"
BENCH_NAME=show-night
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$REPO/tools/bench/lib.sh"

STORE=sqlite
TOOL_ARGS=()

usage() { sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while (($#)); do
  case "$1" in
    sqlite | postgres) STORE=$1 ;;
    -h | --help) usage; exit 0 ;;
    --url | --signal-secret | --sms-secret | --report | --admin-key) die "$1 is set by this script" ;;
    *) TOOL_ARGS+=("$1") ;;
  esac
  shift
done

bench_env

OUT="$REPO/artifacts/show-night/$STORE-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
TOOL_BIN="$REPO/tools/Voting.LoadTest/bin/Release/net10.0"
SIGNAL_SECRET="show-night-signals-$RANDOM$RANDOM"
SMS_SECRET="show-night-smart-$RANDOM$RANDOM"

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  stop_nodes
  store_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "store $STORE, tool options: ${TOOL_ARGS[*]:-(defaults)}"
log "$(nproc) cores, load average $(loadavg), dotnet $(dotnet --version)"
log "output in $OUT"
log "building (Release)"
build_release src/Voting.Server tools/Voting.LoadTest "$OUT/build.log"

# The viewers sign in from one address and a few number blocks: lift the per-address and per-block code limits.
store_start "$STORE" voting_show
pick_ports 1 5000
start_nodes 1 "${STORE_ARGS[@]}" --Auth:CodesPerIpPerHour 1000000 --Auth:CodesPerPrefixPerHour 1000000 \
  --Demo:Enabled false --Broadcast:SigningSecret "$SIGNAL_SECRET" --Sms:Smart:Secret "$SMS_SECRET" \
  --Logging:LogLevel:Default Warning --Logging:LogLevel:Microsoft.AspNetCore Warning
log "server pid ${SERVER_PIDS[0]} on port $SERVER_PORT; the show begins (load average $(loadavg))"

set +e
dotnet "$TOOL_BIN/Voting.LoadTest.dll" show-night --url "http://$HOST:$SERVER_PORT" --admin-key "$ADMIN_KEY" \
  --signal-secret "$SIGNAL_SECRET" --sms-secret "$SMS_SECRET" --report "$OUT" "${TOOL_ARGS[@]}" 2>&1 | tee "$OUT/show-night.log"
CODE=${PIPESTATUS[0]}
set -e
log "load average after the show $(loadavg); commit $(git rev-parse --short HEAD)"
if ((CODE == 0)); then log "every check passed; report in $OUT/show-night.md"; else log "show-night exited $CODE; report in $OUT"; fi
exit "$CODE"
