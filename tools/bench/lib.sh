# shellcheck shell=bash
# Helpers shared by the wrk benchmarks (vote-bench.sh, sms-bench.sh, purchase-bench.sh,
# watchers-bench.sh, show-night.sh); sourced after the script has set REPO and BENCH_NAME (its name
# in messages) and sourced scripts/lib/postgres.sh.
#
#   log / die / whole / loadavg        messages, argument checks, the load average
#   stop_pid PID                       TERM, up to 15 s, then KILL: only processes we started
#   ensure_wrk                         Debian's wrk, installed when missing (as root)
#   wait_until WHAT PID SECONDS CMD... until CMD succeeds, while PID lives
#   wait_for_quiet MAX_LOAD SECONDS    until the 1-minute load average is below MAX_LOAD (0: no wait)
#   field KEY FILE                     a value of the RESULT line of a wrk output
#   build_release PROJECT... LOG       dotnet build -c Release of each project, output to LOG
#   build_wrk_bench                    machine and versions logged; server, bare endpoint, load tool built; sets COMMIT
#   tree_ticks PID                     CPU clock ticks (user + system) of PID and its descendants
#   cpu_per_vote WHAT T0 T1 VOTES      microseconds of CPU per vote between two tick counts
#   disk_counts                        "SECTORS WRITES" written so far to the disks of $OUT and $PG_TMP
#   disk_per_vote D0 D1 SECONDS VOTES  KB and write requests per vote and MB/s between two disk_counts
#                                      (KB and MB: 1,024 and 1,048,576 bytes)
#   disk_reference SECONDS             the disk's own rates (tools/bench/disk-ref.py) into $OUT/disk-ref.txt
#   bench_env                          the environment of every run (quiet dotnet, C locale, Development, tiering as deployed)
#   wrk_run LABEL URL SECONDS SCRIPT ARGS...   one wrk run (THREADS, CONNECTIONS), output in $OUT/wrk-LABEL.txt
#
# Servers on one database. This file sets HOST, ADMIN_KEY, SERVER_BIN and BARE_BIN; the script sets
# OUT (the run's directory) and STORE (sqlite|postgres), and for start_nodes may set NODE_ENV, an
# array of VAR=value for the servers:
#   store_start STORE DB               a fresh database; sets STORE_ARGS (the servers' store options) and STORE_DB
#   store_cleanup                      stops the cluster, deletes the SQLite database
#   pick_ports N FIRST                 N free ports from FIRST: sets SERVER_PORTS, and SERVER_PORT (node 1's)
#   start_nodes N ARGS...              N servers, each on its port, one after another; sets SERVER_PIDS
#   stop_nodes                         stops them
#   nodes_ticks                        CPU clock ticks used so far by every server in SERVER_PIDS
#   merge_wrk OUT FILE...              one wrk output (RESULT line) from several wrk runs at once
#   admin_get PATH / audit / outbox_empty   an operator GET to node 1, the episode's audit, "no outbox row pending"
#   voters_setup N CREDIT FILE         N voters signed in and credited by Voting.LoadTest votes --setup-only
#   episode_read                       EPISODE, CONTESTANTS (ids) and BALLOTS (ballot numbers) still in the running
#   bare_measure WARMUP DURATION VOTERS_FILE   tools/Voting.Bare alone: warm-up and measured run with cast_vote.lua
#                                      (wrk-bare-warmup.txt, wrk-bare.txt), then stopped
#   settle                             PostgreSQL: VACUUM (ANALYZE) and CHECKPOINT (nothing on SQLite)
#   db_scalar SQL                      one value read straight from the servers' database

: "${BENCH_NAME:=bench}"

HOST=127.0.0.1   # never anything else: these are load generators
ADMIN_KEY=dev-admin-key
SERVER_BIN="$REPO/src/Voting.Server/bin/Release/net10.0"
BARE_BIN="$REPO/tools/Voting.Bare/bin/Release/net10.0"
STORE_ARGS=() STORE_DB="" SERVER_PORTS=() SERVER_PORT="" SERVER_PIDS=() NODE_ENV=() BARE_PID=""

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

# build_wrk_bench: the machine, wrk and dotnet, and the output directory in the log, then Release
# builds of the server, the bare endpoint and the load tool ($OUT/build.log). Sets COMMIT (the short
# hash, "-dirty" with uncommitted changes to tracked files) for the table rows.
build_wrk_bench() {
  log "$(nproc) cores, load average $(loadavg), $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2), dotnet $(dotnet --version)"
  log "output in $OUT"
  log "building (Release)"
  build_release "$REPO/src/Voting.Server" "$REPO/tools/Voting.Bare" "$REPO/tools/Voting.LoadTest" "$OUT/build.log"
  COMMIT=$(git -C "$REPO" rev-parse --short HEAD)
  [[ -z "$(git -C "$REPO" status --porcelain --untracked-files=no)" ]] || COMMIT="$COMMIT-dirty"
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

# disk_counts: "SECTORS WRITES", the 512-byte sectors and the write requests completed so far by
# the block devices that hold $OUT and, when a throwaway PostgreSQL cluster runs, its data
# directory (every process's writes to them: the server's, PostgreSQL's, the file system's
# journal), from /proc/diskstats by major:minor; "n/a" when neither is on a listed device (tmpfs,
# overlay).
disk_counts() {
  local dirs=("$OUT") devices
  [[ -n "${PG_TMP:-}" ]] && dirs+=("$PG_TMP")
  devices=$(for d in "${dirs[@]}"; do findmnt -no MAJ:MIN -T "$d" 2>/dev/null || true; done | sort -u | paste -sd' ' -)
  awk -v devices="$devices" 'BEGIN { n = split(devices, d, " "); for (i = 1; i <= n; i++) want[d[i]] = 1 }
    ($1 ":" $2) in want { sectors += $10; writes += $8; found++ }
    END { if (found) print sectors, writes; else print "n/a" }' /proc/diskstats
}

# disk_per_vote "S0 W0" "S1 W1" SECONDS VOTES: "N KB and W writes per vote, M MB/s".
disk_per_vote() {
  awk -v a="$1" -v b="$2" -v t="$3" -v n="$4" 'BEGIN {
    split(a, x, " "); split(b, y, " "); kb = (y[1] - x[1]) / 2; w = y[2] - x[2]
    if (a != "n/a" && b != "n/a" && n > 0 && t > 0) printf "%.1f KB and %.2f write requests per vote, %.0f MB/s", kb / n, w / n, kb / 1024 / t
    else printf "n/a (no block device found for the store)" }'
}

# disk_reference SECONDS: the disk's own write rates as the stores use it, measured now with
# nothing else running (tools/bench/disk-ref.py): WAL-like frames appended with an fsync per
# commit, and sorted 4 KB pages at random places (a checkpoint). Output in $OUT/disk-ref.txt.
disk_reference() {
  python3 "$REPO/tools/bench/disk-ref.py" "$OUT" "$1" > "$OUT/disk-ref.txt" || die "disk-ref.py failed"
  log "disk reference: $(sed 's/^RESULT //' "$OUT/disk-ref.txt")"
}

bench_env() {
  export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
  export LC_ALL=C
  export MSBUILDDISABLENODEREUSE=1   # no MSBuild nodes left running after the build
  export ASPNETCORE_ENVIRONMENT=Development   # the demo episode and packages, dev-admin-key, sign-in codes in the answer
  # As deployed (docs/deploy.md): a method called 30 times goes to tier 1 at once instead of after
  # 100 ms without new tier-0 code, which under load kept the JIT busy for 10-13 s (BENCHMARKS.md,
  # "The vote path's first seconds"). The bare endpoint and the load tool get it too.
  export DOTNET_TC_CallCountingDelayMs=0
}

# wrk_run LABEL URL SECONDS SCRIPT ARGS...: one wrk run with THREADS threads and CONNECTIONS
# connections (the script's, or set for the call: THREADS=1 CONNECTIONS=8 wrk_run ...), output in
# $OUT/wrk-LABEL.txt; dies unless wrk succeeds and prints a RESULT line.
wrk_run() {
  local label=$1 url=$2 seconds=$3 script=$4
  shift 4
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency --timeout 10s -s "$script" "$url" -- "$@" > "$OUT/wrk-$label.txt" 2>&1 ||
    { cat "$OUT/wrk-$label.txt" >&2; die "wrk failed ($label)"; }
  grep -q '^RESULT ' "$OUT/wrk-$label.txt" || { cat "$OUT/wrk-$label.txt" >&2; die "wrk printed no RESULT line ($label)"; }
}

# store_start STORE DB: for postgres, a throwaway cluster (fsync=on, shared_buffers=256MB, as in
# BENCHMARKS.md) with an empty database DB; for sqlite, the file $OUT/voting.db. Sets STORE_ARGS
# and STORE_DB (DB, for settle and db_scalar).
store_start() {
  local store=$1 db=$2
  STORE_ARGS=(--Storage:Provider "$store")
  STORE_DB=$db
  if [[ "$store" == postgres ]]; then
    pg_ensure_installed
    pg_start_throwaway
    "$PG_BIN/psql" -q -h "$HOST" -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE $db" > /dev/null
    STORE_ARGS+=(--ConnectionStrings:Voting "Host=$HOST;Port=$PG_PORT;Username=postgres;Database=$db")
    log "PostgreSQL $("$PG_BIN/psql" -h "$HOST" -p "$PG_PORT" -U postgres -d postgres -Atc 'SHOW server_version') on port $PG_PORT"
  else
    STORE_ARGS+=(--ConnectionStrings:Voting "Data Source=$OUT/voting.db")
  fi
}

store_cleanup() {
  pg_stop_throwaway > /dev/null 2>&1 || true
  rm -f "$OUT"/voting.db "$OUT"/voting.db-wal "$OUT"/voting.db-shm
}

# pick_ports N FIRST: N free TCP ports, the first at or above FIRST, each above the one before.
# SERVER_PORT is the first, node 1's: the setup, the operator's requests and the results go there.
pick_ports() {
  local n=$1 next=$2 k p
  SERVER_PORTS=()
  for ((k = 0; k < n; k++)); do
    p=$(_pg_free_port "$next") || die "no free port"
    SERVER_PORTS+=("$p")
    next=$((p + 1))
  done
  SERVER_PORT=${SERVER_PORTS[0]}
}

# start_nodes N ARGS...: N servers (dotnet $SERVER_BIN/Voting.Server.dll) on the ports in
# SERVER_PORTS, started one after another, each once the one before answers /health (the first
# applies the migrations and seeds the demo). With N > 1, node k (1..N) gets its own
# --Storage:TallyShard k-1 and --Storage:NodeName node-k; with one node, neither is set (the
# server's defaults). ARGS go to every node. Logs: $OUT/server.log (node 1), $OUT/server-node<k>.log.
start_nodes() {
  local n=$1 k log port
  shift
  ((n <= ${#SERVER_PORTS[@]})) || die "start_nodes: $n nodes but ${#SERVER_PORTS[@]} ports"
  SERVER_PIDS=()
  for ((k = 1; k <= n; k++)); do
    local node_args=()
    ((n == 1)) || node_args=(--Storage:TallyShard $((k - 1)) --Storage:NodeName "node-$k")
    log=$OUT/server.log
    ((k == 1)) || log=$OUT/server-node$k.log
    port=${SERVER_PORTS[k - 1]}
    (cd "$OUT" && exec env "${NODE_ENV[@]}" dotnet "$SERVER_BIN/Voting.Server.dll" --contentRoot "$SERVER_BIN" --urls "http://$HOST:$port" \
      "${node_args[@]}" "$@" >> "$log" 2>&1) &
    SERVER_PIDS+=("$!")
    wait_until "$([[ $n == 1 ]] && echo "the server" || echo "server node $k")" "$!" 90 curl -sf "http://$HOST:$port/health"
  done
}

stop_nodes() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do stop_pid "$pid"; done
  SERVER_PIDS=()
}

nodes_ticks() {
  local total=0 pid
  for pid in "${SERVER_PIDS[@]}"; do total=$((total + $(tree_ticks "$pid"))); done
  echo "$total"
}

# merge_wrk OUT FILE...: the wrk outputs of one load spread over several servers at once (one wrk
# each, same duration, tools/bench/cast_vote.lua with a latency file FILE.latency beside each)
# as one: the counts and rates added up, the longest duration, the latency percentiles of the
# merged distribution (from each run's percentile grid, weighted by its responses: accurate to
# the grid's step, 0.01 percentile from p99 up, and never below the true value), the largest max.
merge_wrk() {
  local out=$1
  shift
  local f
  for f in "$@"; do [[ -s "$f.latency" ]] || die "no latency file $f.latency"; done
  local rps=0 ok=0 ok_rps=0 non2xx=0 errors=0 duration=0 max=0 statuses
  for f in "$@"; do
    rps=$(awk -v a="$rps" -v b="$(field rps "$f")" 'BEGIN { printf "%.1f", a + b }')
    ok=$((ok + $(field ok "$f")))
    ok_rps=$(awk -v a="$ok_rps" -v b="$(field ok_rps "$f")" 'BEGIN { printf "%.1f", a + b }')
    non2xx=$((non2xx + $(field non2xx "$f")))
    errors=$((errors + $(field errors "$f")))
    duration=$(awk -v a="$duration" -v b="$(field duration_s "$f")" 'BEGIN { print (b > a ? b : a) }')
    max=$(awk -v a="$max" -v b="$(field max_ms "$f")" 'BEGIN { print (b > a ? b : a) }')
  done
  statuses=$(for f in "$@"; do field statuses "$f" | tr ',' '\n'; done | awk -F: '$1 != "none" { n[$1] += $2 }
    END { for (s in n) printf "%s:%d\n", s, n[s] }' | sort | paste -sd, -)
  # Percentiles: the smallest latency v at which the runs together have q % of their responses
  # at or below v, each run's share at v read from its grid (the highest grid percentile whose
  # value is <= v).
  local pct lat=("${@/%/.latency}")
  pct=$(awk '$1 != "count" { print $2 }' "${lat[@]}" | sort -n -u | awk -v files=$# '
    FNR == 1 { file++ }
    file <= files && $1 == "count" { n[file] = $2; total += $2; next }
    file <= files { m[file]++; p[file, m[file]] = $1; v[file, m[file]] = $2; next }
    { c[++k] = $1 + 0 }
    END {
      split("50 90 99 99.9", qs, " ")
      for (qi = 1; qi <= 4; qi++) {
        q = qs[qi]; found = c[k]
        for (i = 1; i <= k; i++) {
          below = 0
          for (f = 1; f <= files; f++) {
            share = 0
            for (j = 1; j <= m[f]; j++) { if (v[f, j] + 0 <= c[i]) share = p[f, j]; else break }
            below += n[f] * share / 100
          }
          if (below >= q / 100 * total - 1e-6) { found = c[i]; break }
        }
        printf "%.2f ", found / 1000
      }
    }' "${lat[@]}" -)
  local p50 p90 p99 p999
  read -r p50 p90 p99 p999 <<< "$pct"
  {
    printf 'cast_vote, %d servers at once (%s): %s responses in %s s, %s req/s; 2xx %d (%s/s); non-2xx %d; socket errors %d\n' \
      "$#" "$(printf '%s ' "${@##*/}" | sed 's/ $//')" "$(awk -v r="$rps" -v d="$duration" 'BEGIN { printf "%.0f", r * d }')" "$duration" "$rps" "$ok" "$ok_rps" "$non2xx" "$errors"
    printf 'latency ms (merged over the servers): p50 %s, p90 %s, p99 %s, p99.9 %s, max %s\n' "$p50" "$p90" "$p99" "$p999" "$max"
    printf 'RESULT rps=%s ok=%d ok_rps=%s non2xx=%d errors=%d p50_ms=%s p90_ms=%s p99_ms=%s max_ms=%s duration_s=%s statuses=%s\n' \
      "$rps" "$ok" "$ok_rps" "$non2xx" "$errors" "$p50" "$p90" "$p99" "$max" "$duration" "${statuses:-none}"
  } > "$out"
}

# admin_get PATH: the admin API's answer on stdout; on anything but a 2xx, the status and the start
# of the body in the log (a failed audit once went unexplained) and a non-zero exit.
admin_get() {
  local answer status
  answer=$(curl -s -w '\n%{http_code}' "http://$HOST:$SERVER_PORT/api/v1/admin/$1" -H "X-Api-Key: $ADMIN_KEY") || answer=$'\n000'
  status=${answer##*$'\n'}
  answer=${answer%$'\n'*}
  [[ "$status" == 2?? ]] || { log "GET /api/v1/admin/$1 answered HTTP $status: ${answer:0:300}" >&2; return 1; }
  printf '%s\n' "$answer"
}
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

# shellcheck disable=SC2034  # CONTESTANTS and BALLOTS are for the scripts
episode_read() {
  local current
  current=$(curl -sf "http://$HOST:$SERVER_PORT/api/v1/xfactor/voting/current_episode") || die "no open episode"
  EPISODE=$(jq -r '.data.episode.id' <<< "$current")
  CONTESTANTS=$(jq -r '[.data.contestants[] | select(.status != "eliminated") | .id] | join(",")' <<< "$current")
  BALLOTS=$(jq -r '[.data.contestants[] | select(.status != "eliminated") | .ballot_number] | join(",")' <<< "$current")
  [[ -n "$CONTESTANTS" ]] || die "the open episode has no contestant still in the running"
}

# bare_measure WARMUP DURATION VOTERS_FILE: the bare endpoint alone (the servers stopped, so it has
# the machine to itself), warmed up and measured with cast_vote.lua and the voters' requests
# (CONTESTANTS, or contestant 1), then stopped. Between the two it waits for a quiet machine when
# the script sets QUIET_LOAD and QUIET_WAIT (wait_for_quiet); BARE_LOAD is the load average at the
# start of the measured run.
bare_measure() {
  local warmup=$1 duration=$2 voters_file=$3 lua="$REPO/tools/bench/cast_vote.lua" port
  port=$(_pg_free_port $((SERVER_PORT + 100))) || die "no free port"
  (cd "$OUT" && exec dotnet "$BARE_BIN/Voting.Bare.dll" --contentRoot "$BARE_BIN" --urls "http://$HOST:$port" \
    > "$OUT/bare.log" 2>&1) &
  BARE_PID=$!
  wait_until "the bare endpoint" "$BARE_PID" 90 curl -sf -X POST "http://$HOST:$port/api/v1/xfactor/voting/cast_vote" \
    -H 'content-type: application/json' -d '{"contestant_id":1,"vote_type":"paid","vote_count":1}'
  log "bare endpoint: warm-up $warmup s (load average $(loadavg))"
  wrk_run bare-warmup "http://$HOST:$port" "$warmup" "$lua" "$voters_file" "${CONTESTANTS:-1}" "bw$(date +%s)"
  wait_for_quiet "${QUIET_LOAD:-0}" "${QUIET_WAIT:-0}"
  BARE_LOAD=$(loadavg)
  log "bare endpoint: measuring $duration s (load average $BARE_LOAD)"
  wrk_run bare "http://$HOST:$port" "$duration" "$lua" "$voters_file" "${CONTESTANTS:-1}" "bm$(date +%s)"
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
# shellcheck disable=SC2153  # STORE is the script's (sqlite|postgres), not store_start's store
settle() {
  [[ "$STORE" == postgres ]] || return 0
  "$PG_BIN/psql" -q -h "$HOST" -p "$PG_PORT" -U postgres -d "$STORE_DB" -c 'VACUUM (ANALYZE)' -c 'CHECKPOINT' > /dev/null
}

# db_scalar SQL: one value from the servers' database (for counts no endpoint gives).
db_scalar() {
  if [[ "$STORE" == postgres ]]; then
    "$PG_BIN/psql" -h "$HOST" -p "$PG_PORT" -U postgres -d "$STORE_DB" -Atc "$1"
  else
    python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$OUT/voting.db" "$1"
  fi
}
