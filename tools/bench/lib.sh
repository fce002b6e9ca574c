# shellcheck shell=bash
# Helpers shared by the wrk benchmarks (vote-bench.sh, sms-bench.sh, purchase-bench.sh); sourced,
# after the script has set BENCH_NAME (its name in messages) and sourced scripts/lib/postgres.sh.
#
#   log / die / whole / loadavg        messages, argument checks, the load average
#   stop_pid PID                       TERM, up to 15 s, then KILL: only processes we started
#   ensure_wrk                         Debian's wrk, installed when missing (as root)
#   wait_until WHAT PID SECONDS CMD... until CMD succeeds, while PID lives
#   wait_for_quiet MAX_LOAD SECONDS    until the 1-minute load average is below MAX_LOAD (0: no wait)
#   field KEY FILE                     a value of the RESULT line of a wrk output
#   build_release PROJECT... LOG       dotnet build -c Release of each project, output to LOG
#   tree_ticks PID                     CPU clock ticks (user + system) of PID and its descendants
#   cpu_per_vote WHAT T0 T1 VOTES      microseconds of CPU per vote between two tick counts
#
# The server benchmarks (vote-bench.sh, sms-bench.sh) share these too. They read the script's
# REPO, OUT (the run's directory), STORE (sqlite|postgres), THREADS and CONNECTIONS (wrk's), and
# set or read HOST, ADMIN_KEY, SERVER_BIN, BARE_BIN, SERVER_ARGS, SERVER_PORT, SERVER_PID, BARE_PORT:
#   bench_env                          the environment of every run (quiet dotnet, C locale, Development)
#   wrk_run LABEL URL SECONDS SCRIPT ARGS...   one wrk run, output in $OUT/wrk-LABEL.txt, checked for a RESULT line
#   store_prepare                      postgres: a throwaway cluster and database voting_bench; sqlite: $OUT/voting.db;
#                                      SERVER_ARGS for it, and free SERVER_PORT and BARE_PORT
#   server_start ARGS...               the Release server with SERVER_ARGS and ARGS (SERVER_ENV: VAR=value... for its
#                                      environment), waited for; server_stop
#   admin_get PATH / audit / outbox_empty   an operator GET, the episode's audit, "no outbox row pending"
#   voters_setup N CREDIT FILE         N voters signed in and credited by Voting.LoadTest votes --setup-only
#   episode_read                       EPISODE, CONTESTANTS (ids) and BALLOTS (ballot numbers) still in the running
#   bare_measure WARMUP DURATION VOTERS_FILE   tools/Voting.Bare alone: warm-up and measured run with cast_vote.lua
#                                      (wrk-bare-warmup.txt, wrk-bare.txt), then stopped
#   settle                             PostgreSQL: VACUUM (ANALYZE) and CHECKPOINT (nothing on SQLite)
#   db_scalar SQL                      one value read straight from the server's database
#   store_cleanup                      stops the cluster, deletes the SQLite database

: "${BENCH_NAME:=bench}"

log() { echo "[$BENCH_NAME] $*"; }
die() { echo "$BENCH_NAME: $*" >&2; exit 1; }
whole() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 needs a positive whole number, not '$2'"; echo "$2"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# Stops one process we started: TERM, up to 15 s for a clean shutdown, then KILL.
stop_pid() {
  local pid=$1 i
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

ensure_wrk() {
  command -v wrk > /dev/null && return 0
  [[ $(id -u) -eq 0 ]] || die "wrk is not installed (Debian package wrk) and we are not root"
  log "installing Debian's wrk"
  apt-get update -q > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk > /dev/null
}

# wait_until WHAT PID SECONDS COMMAND...: until the command succeeds; dies if the process
# exits or the time runs out.
wait_until() {
  local what=$1 pid=$2 seconds=$3 i
  shift 3
  for ((i = 0; i < seconds * 10; i++)); do
    "$@" > /dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || die "$what exited"
    sleep 0.1
  done
  die "$what: not done within $seconds s"
}

# wait_for_quiet MAX_LOAD SECONDS: other work shares this machine; wait (at most SECONDS) until
# the 1-minute load average drops below MAX_LOAD. MAX_LOAD 0 means no wait. Never fails: the
# load average is printed with every measurement anyway.
wait_for_quiet() {
  local max=$1 seconds=$2 waited=0
  [[ "$max" == 0 ]] && return 0
  while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v m="$max" 'BEGIN { exit !(l >= m) }'; do
    ((waited >= seconds)) && { log "load average still $(loadavg) after $seconds s: measuring anyway"; return 0; }
    ((waited % 60 == 0)) && log "waiting for the 1-minute load average ($(loadavg)) to drop below $max"
    sleep 5
    waited=$((waited + 5))
  done
}

# field KEY FILE: a value of the RESULT line of a wrk output.
field() { grep '^RESULT ' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

# build_release PROJECT... LOG: Release builds, warnings as errors (Directory.Build.props).
build_release() {
  local log_file=${!#} project
  for project in "${@:1:$#-1}"; do
    dotnet build "$project" -c Release -nologo -v q -p:UseSharedCompilation=false >> "$log_file" 2>&1 ||
      { tail -n 30 "$log_file" >&2; die "build of $project failed"; }
  done
}

# tree_ticks PID: user + system clock ticks used so far by PID and every process below it
# (a PostgreSQL postmaster and its backends; a server's threads count in its own line). 0 when
# PID is empty or gone.
tree_ticks() {
  local root=$1
  [[ -n "$root" && -r /proc/$root/stat ]] || { echo 0; return 0; }
  local pids=("$root") queue=("$root") p children
  while ((${#queue[@]})); do
    p=${queue[0]}
    queue=("${queue[@]:1}")
    children=$(cat /proc/"$p"/task/*/children 2>/dev/null || true)
    for c in $children; do pids+=("$c"); queue+=("$c"); done
  done
  local total=0 t
  for p in "${pids[@]}"; do
    # Fields after the ")" that closes the command name: utime is the 12th, stime the 13th.
    t=$(sed 's/^.*) //' /proc/"$p"/stat 2>/dev/null | awk '{ print $12 + $13 }') || t=0
    total=$((total + ${t:-0}))
  done
  echo "$total"
}

# cpu_per_vote WHAT T0 T1 VOTES: "WHAT N us/vote", N the CPU microseconds per vote.
cpu_per_vote() {
  awk -v w="$1" -v a="$2" -v b="$3" -v n="$4" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%s %.1f us/vote", w, (n > 0 ? (b - a) * 1e6 / hz / n : 0) }'
}

HOST=127.0.0.1   # never anything else: these are load generators
ADMIN_KEY=dev-admin-key
SERVER_BIN="$REPO/src/Voting.Server/bin/Release/net10.0"
BARE_BIN="$REPO/tools/Voting.Bare/bin/Release/net10.0"
SERVER_ARGS=() SERVER_ENV=() SERVER_PORT="" SERVER_PID="" BARE_PORT="" BARE_PID=""

bench_env() {
  export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
  export LC_ALL=C
  export MSBUILDDISABLENODEREUSE=1   # no MSBuild nodes left running after the build
  export ASPNETCORE_ENVIRONMENT=Development   # the demo episode, dev-admin-key, sign-in codes in the answer
}

# wrk_run LABEL URL SECONDS SCRIPT ARGS...: one wrk run, output in $OUT/wrk-LABEL.txt.
wrk_run() {
  local label=$1 url=$2 seconds=$3 script=$4
  shift 4
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency --timeout 10s -s "$script" "$url" -- "$@" > "$OUT/wrk-$label.txt" 2>&1 ||
    { cat "$OUT/wrk-$label.txt" >&2; die "wrk failed ($label)"; }
  grep -q '^RESULT ' "$OUT/wrk-$label.txt" || { cat "$OUT/wrk-$label.txt" >&2; die "wrk printed no RESULT line ($label)"; }
}

# store_prepare: the store on a fresh database, and the server's arguments for it. The voters sign
# in from one address and a few number blocks, and vote far past 100 requests a minute: the
# per-address and per-block code limits and the per-voter rate limit are lifted.
store_prepare() {
  SERVER_ARGS=(--Storage:Provider "$STORE" --Auth:CodesPerIpPerHour 10000000 --Auth:CodesPerPrefixPerHour 10000000
    --Voting:VoteRequestsPerMinute 1000000)
  if [[ "$STORE" == postgres ]]; then
    pg_ensure_installed
    pg_start_throwaway   # fsync=on, shared_buffers=256MB, as in BENCHMARKS.md
    "$PG_BIN/psql" -q -h "$HOST" -p "$PG_PORT" -U postgres -d postgres -c 'CREATE DATABASE voting_bench' > /dev/null
    SERVER_ARGS+=(--ConnectionStrings:Voting "Host=$HOST;Port=$PG_PORT;Username=postgres;Database=voting_bench")
    log "PostgreSQL $("$PG_BIN/psql" -h "$HOST" -p "$PG_PORT" -U postgres -d postgres -Atc 'SHOW server_version') on port $PG_PORT"
  else
    SERVER_ARGS+=(--ConnectionStrings:Voting "Data Source=$OUT/voting.db")
  fi
  SERVER_PORT=$(_pg_free_port 5000) || die "no free port"
  BARE_PORT=$(_pg_free_port $((SERVER_PORT + 100))) || die "no free port"
}

store_cleanup() {
  pg_stop_throwaway > /dev/null 2>&1 || true
  rm -f "$OUT"/voting.db "$OUT"/voting.db-wal "$OUT"/voting.db-shm
}

server_start() {
  (cd "$OUT" && exec env "${SERVER_ENV[@]}" dotnet "$SERVER_BIN/Voting.Server.dll" --contentRoot "$SERVER_BIN" --urls "http://$HOST:$SERVER_PORT" \
    "${SERVER_ARGS[@]}" "$@" \
    --Logging:LogLevel:Default Warning --Logging:LogLevel:Microsoft.AspNetCore Warning >> "$OUT/server.log" 2>&1) &
  SERVER_PID=$!
  wait_until "the server" "$SERVER_PID" 90 curl -sf "http://$HOST:$SERVER_PORT/health"
}

server_stop() {
  stop_pid "$SERVER_PID"
  SERVER_PID=""
}

admin_get() { curl -sf "http://$HOST:$SERVER_PORT/api/v1/admin/$1" -H "X-Api-Key: $ADMIN_KEY"; }
audit() { admin_get "episodes/$EPISODE/audit"; }
# shellcheck disable=SC2317  # called through wait_until
outbox_empty() { admin_get "outbox?status=pending&limit=1" | jq -e '.data.entries | length == 0'; }

# voters_setup N CREDIT FILE: N voters signed in and credited with CREDIT paid votes each, saved
# as "<user_id> Bearer <token>" lines; warns when fewer are ready.
voters_setup() {
  local n=$1 credit=$2 file=$3 ready
  log "signing in and crediting $n voters (Voting.LoadTest votes --setup-only)"
  dotnet run -c Release --no-build --project "$REPO/tools/Voting.LoadTest" -- votes --url "http://$HOST:$SERVER_PORT" \
    --voters "$n" --credit "$credit" --setup-only --voters-file "$file" > "$OUT/setup.log" 2>&1 ||
    { tail -n 20 "$OUT/setup.log" >&2; die "voter setup failed"; }
  grep -v '^\s*$' "$OUT/setup.log" | tail -n 2 | sed 's/^/  /'
  ready=$(grep -c . "$file")
  ((ready == n)) || log "warning: only $ready of $n voters are ready; the load uses those"
}

# shellcheck disable=SC2034  # BALLOTS is for the scripts
episode_read() {
  local current
  current=$(curl -sf "http://$HOST:$SERVER_PORT/api/v1/xfactor/voting/current_episode") || die "no open episode"
  EPISODE=$(jq -r '.data.episode.id' <<< "$current")
  CONTESTANTS=$(jq -r '[.data.contestants[] | select(.status != "eliminated") | .id] | join(",")' <<< "$current")
  BALLOTS=$(jq -r '[.data.contestants[] | select(.status != "eliminated") | .ballot_number] | join(",")' <<< "$current")
  [[ -n "$CONTESTANTS" ]] || die "the open episode has no contestant still in the running"
}

# bare_measure WARMUP DURATION VOTERS_FILE: the bare endpoint alone (the server stopped), warmed up
# and measured with cast_vote.lua and the voters' requests, then stopped.
bare_measure() {
  local warmup=$1 duration=$2 voters_file=$3 lua="$REPO/tools/bench/cast_vote.lua"
  (cd "$OUT" && exec dotnet "$BARE_BIN/Voting.Bare.dll" --contentRoot "$BARE_BIN" --urls "http://$HOST:$BARE_PORT" \
    > "$OUT/bare.log" 2>&1) &
  BARE_PID=$!
  wait_until "the bare endpoint" "$BARE_PID" 90 curl -sf -X POST "http://$HOST:$BARE_PORT/api/v1/xfactor/voting/cast_vote" \
    -H 'content-type: application/json' -d '{"contestant_id":1,"vote_type":"paid","vote_count":1}'
  log "bare endpoint: warm-up $warmup s (load average $(loadavg))"
  wrk_run bare-warmup "http://$HOST:$BARE_PORT" "$warmup" "$lua" "$voters_file" "${CONTESTANTS:-1}" "bw$(date +%s)"
  log "bare endpoint: measuring $duration s (load average $(loadavg))"
  wrk_run bare "http://$HOST:$BARE_PORT" "$duration" "$lua" "$voters_file" "${CONTESTANTS:-1}" "bm$(date +%s)"
  stop_pid "$BARE_PID"
  BARE_PID=""
}

# PostgreSQL only: vacuum, analyze and checkpoint after each warm-up, so that no measured run
# starts with dirty pages, autovacuum work or full-page writes pending, or with plans made from
# statistics of near-empty tables. Right after the setup, voter_episode has no rows for the
# episode; the warm-up fills it, but the statements it prepared keep generic plans made for an
# empty table (a sequential scan with `voter_id = ANY($1)` as a filter: perf showed
# ExecEvalScalarArrayOp and int8eq on top, and 130-230 us of backend CPU per vote instead of
# 60-70) until an ANALYZE invalidates them. Production sees the same on a fresh database until
# autovacuum's first ANALYZE of the growing tables (a minute at most).
settle() {
  [[ "$STORE" == postgres ]] || return 0
  "$PG_BIN/psql" -q -h "$HOST" -p "$PG_PORT" -U postgres -d voting_bench -c 'VACUUM (ANALYZE)' -c 'CHECKPOINT' > /dev/null
}

# db_scalar SQL: one value from the server's database (for counts no endpoint gives).
db_scalar() {
  if [[ "$STORE" == postgres ]]; then
    "$PG_BIN/psql" -h "$HOST" -p "$PG_PORT" -U postgres -d voting_bench -Atc "$1"
  else
    python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$OUT/voting.db" "$1"
  fi
}
