#!/usr/bin/env bash
# Analytics latency (issue 11): fills one episode with N votes straight through the store, from
# voters with profiles over a two-hour window, then times the analytics report three times
# (tools/Voting.Benchmarks/AnalyticsBench.cs).
#
#   tools/bench/analytics-bench.sh sqlite   [votes] [voters]    # default 100000 votes, votes/20 voters
#   tools/bench/analytics-bench.sh postgres [votes] [voters]    # on a throwaway cluster (scripts/lib/postgres.sh)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
STORE=${1:-sqlite}
shift || true

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 MSBUILDDISABLENODEREUSE=1
dotnet build -c Release tools/Voting.Benchmarks > /dev/null
run() { dotnet run -c Release --no-build --project tools/Voting.Benchmarks -- analytics "$@"; }

case "$STORE" in
  sqlite) run sqlite "$@" ;;
  postgres)
    # shellcheck source-path=SCRIPTDIR source=../../scripts/lib/postgres.sh
    source "$REPO/scripts/lib/postgres.sh"
    trap 'pg_stop_throwaway > /dev/null 2>&1 || true' EXIT
    pg_ensure_installed
    pg_start_throwaway
    echo "PostgreSQL: $("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atc 'SHOW server_version')"
    run postgres "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres;Maximum Pool Size=32" "$@"
    ;;
  *) echo "usage: $0 sqlite|postgres [votes] [voters]" >&2; exit 2 ;;
esac
