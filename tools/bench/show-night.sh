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

HOST=127.0.0.1   # never anything else: this is a load generator
STORE=sqlite
ADMIN_KEY=dev-admin-key
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

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export LC_ALL=C
export MSBUILDDISABLENODEREUSE=1   # no MSBuild nodes left running after the build
export ASPNETCORE_ENVIRONMENT=Development   # dev-admin-key and sign-in codes in the answer

OUT="$REPO/artifacts/show-night/$STORE-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
SERVER_BIN="$REPO/src/Voting.Server/bin/Release/net10.0"
TOOL_BIN="$REPO/tools/Voting.LoadTest/bin/Release/net10.0"
SIGNAL_SECRET="show-night-signals-$RANDOM$RANDOM"
SMS_SECRET="show-night-smart-$RANDOM$RANDOM"
SERVER_PID=""

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  stop_pid "$SERVER_PID"
  pg_stop_throwaway > /dev/null 2>&1 || true
  rm -f "$OUT"/voting.db "$OUT"/voting.db-wal "$OUT"/voting.db-shm
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
SERVER_ARGS=(--Storage:Provider "$STORE" --Auth:CodesPerIpPerHour 1000000 --Auth:CodesPerPrefixPerHour 1000000
  --Demo:Enabled false --Broadcast:SigningSecret "$SIGNAL_SECRET" --Sms:Smart:Secret "$SMS_SECRET")
if [[ "$STORE" == postgres ]]; then
  pg_ensure_installed
  pg_start_throwaway   # fsync=on
  "$PG_BIN/psql" -q -h "$HOST" -p "$PG_PORT" -U postgres -d postgres -c 'CREATE DATABASE voting_show' > /dev/null
  SERVER_ARGS+=(--ConnectionStrings:Voting "Host=$HOST;Port=$PG_PORT;Username=postgres;Database=voting_show")
  log "PostgreSQL $("$PG_BIN/psql" -h "$HOST" -p "$PG_PORT" -U postgres -d postgres -Atc 'SHOW server_version') on port $PG_PORT"
else
  SERVER_ARGS+=(--ConnectionStrings:Voting "Data Source=$OUT/voting.db")
fi
SERVER_PORT=$(_pg_free_port 5000) || die "no free port"

(cd "$OUT" && exec dotnet "$SERVER_BIN/Voting.Server.dll" --contentRoot "$SERVER_BIN" --urls "http://$HOST:$SERVER_PORT" \
  "${SERVER_ARGS[@]}" --Logging:LogLevel:Default Warning --Logging:LogLevel:Microsoft.AspNetCore Warning >> "$OUT/server.log" 2>&1) &
SERVER_PID=$!
wait_until "the server" "$SERVER_PID" 90 curl -sf "http://$HOST:$SERVER_PORT/health"
log "server pid $SERVER_PID on port $SERVER_PORT; the show begins (load average $(loadavg))"

set +e
dotnet "$TOOL_BIN/Voting.LoadTest.dll" show-night --url "http://$HOST:$SERVER_PORT" --admin-key "$ADMIN_KEY" \
  --signal-secret "$SIGNAL_SECRET" --sms-secret "$SMS_SECRET" --report "$OUT" "${TOOL_ARGS[@]}" 2>&1 | tee "$OUT/show-night.log"
CODE=${PIPESTATUS[0]}
set -e
log "load average after the show $(loadavg); commit $(git rev-parse --short HEAD)"
if ((CODE == 0)); then log "every check passed; report in $OUT/show-night.md"; else log "show-night exited $CODE; report in $OUT"; fi
exit "$CODE"
