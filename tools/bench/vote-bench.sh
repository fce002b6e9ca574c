#!/usr/bin/env bash
# Vote path with wrk (issue 8): committed paid votes/s over HTTP against a bare ASP.NET Core
# endpoint in the same run, on one store.
#
#   tools/bench/vote-bench.sh [sqlite|postgres] [--duration S] [--connections C] [--voters N]
#                             [--threads T] [--warmup S] [--push-tokens] [--compare KEY [--rounds R]]
#                             [--perf] [--pg-statements] [--until-votes N] [--nodes N [--compare-nodes [--rounds R]]]
#                             [--voter-order sequential|random] [--rate R]
#
# --voter-order random: every request picks a voter at random, as a real audience does. The
# default (sequential) has each wrk thread take the voters in turn, so a batch's voters are
# neighbours and share the pages of every table keyed by voter: a locality no audience has,
# which made SQLite look 1.7 times as fast (BENCHMARKS.md, "Voter order"). Kept the default so the
# earlier rows stay comparable.
# --rate R: the server's runs are offered about R votes/s instead of all they can take: each
# connection waits a random think time (exponential, mean C/R seconds) before each request
# (cast_vote.lua's PACE_MS), so that the latency is what a voter sees below saturation, not the
# queue at it (wrk at full speed keeps every connection waiting on the writer). The offered rate
# comes out a little under R (a connection's latency adds to its think time); the bare endpoint
# is still measured flat out.
# --nodes N (postgres; default 1) runs N server processes on the one database, on ports 5000..
# (the first free ones), node k with --Storage:TallyShard k-1 and --Storage:NodeName node-k, and
# drives them all at once with the same total load: one wrk per node, each with C/N connections
# and max(1, T/N) threads (so 3 wrk threads for 3 nodes at the default T=2), the rates and counts
# added up and the latency percentiles merged from the runs' distributions (lib.sh merge_wrk). CPU
# per vote is every server process's together; the audit and the committed >= 2xx checks cover the
# database, so all nodes. The bare endpoint stays one process under the whole load.
# --compare-nodes (with --nodes N > 1) measures one node and N nodes in the same run on the same
# database, each run after a restart and settle, as --compare does: N nodes, then (1 node, N nodes)
# R times; it prints every run and ratio=<median N-node votes/s / median 1-node votes/s>, leaving
# out the first run.
#
# --compare env:NAME=VALUE does the same with the server's environment: the "off" runs have
# NAME=VALUE added to it (e.g. a runtime knob such as DOTNET_GCDynamicAdaptationMode=0), the
# others not; it prints ratio=<median with / median without>. It can only add or override a
# variable: to measure against a setting bench_env exports (DOTNET_TC_CallCountingDelayMs=0),
# give its other value (env:DOTNET_TC_CallCountingDelayMs=100, the runtime's default).
# --compare KEY measures the server again in the same run with the boolean setting KEY turned off
# (e.g. Fraud:Enabled, Metrics:Enabled) and on again, R rounds (default 1: on, off, on), on the
# same database, each run after a restart, a VACUUM and a CHECKPOINT (PostgreSQL), and prints
# every run, the CPU the server and PostgreSQL used per vote, and the cost: 1 - (median votes/s
# on) / (median votes/s off), leaving out the first run (right after the setup, slow on
# PostgreSQL whatever the setting). The audit is checked after the last run.
# --perf samples every CPU with Linux perf during the first measured server run (the server with
# DOTNET_PerfMapEnabled=1 and DOTNET_EnableWriteXorExecute=0, so JIT-compiled methods have names) and writes where the cycles went:
# perf-by-process.txt (process and library) and perf-by-symbol.txt (the hottest functions).
# --pg-statements (postgres) loads pg_stat_statements into the throwaway cluster, resets it right
# before the first measured run and, straight after it, writes per statement its calls, execution
# time, buffers and WAL records per vote wrk saw answered (pg-statements.txt, the top ones printed):
# where the backends' time goes. Only that first run (with --compare, the one left out of the
# medians); execution only (planning is not tracked; the statements are prepared), lock waits
# included; the extension's own bookkeeping costs a little CPU, so compare votes/s only between
# runs alike.
# --until-votes N (sustained run) goes on after the measured run in chunks of --duration seconds,
# without a restart, until the ledger holds N votes; after each chunk it prints the votes so far,
# the chunk's rate and p99 and the database's size, and at the end the rate of each million votes
# (interpolated between chunks), the slowest chunk's p99 and the size per million (sustained.txt).
# --push-tokens registers an FCM token for every voter first (POST /api/v1/me/push_tokens), so
# every vote also moves the voter's pending notification (coalesced; no push service is
# configured, so the coalescer's outbox rows become dead letters in the background).
# Defaults: sqlite, 30 s measured, 256 connections, 20,000 voters, 2 wrk threads, 10 s warm-up (5 s
# before 2026-12-02 left the JIT busy into the measured run: BENCHMARKS.md, "The vote path's first seconds").
# Steps: Release build; the bare endpoint (tools/Voting.Bare) warmed up and measured with
# tools/bench/cast_vote.lua, then stopped; the disk's own write rates (tools/bench/disk-ref.py, 10 s:
# WAL-like frames with an fsync per commit, sorted random pages as a checkpoint writes them), so
# that the bytes and write requests the store put on the disk per vote during the measured run
# (printed as "disk server:", from /proc/diskstats; on PostgreSQL also its WAL records, full-page
# images and bytes per vote) can be set against what the disk can take; for postgres a throwaway cluster
# (scripts/lib/postgres.sh); the server on a fresh database with a rate limit out of the way;
# voters signed in and credited by `Voting.LoadTest votes --setup-only`; the server warmed up and
# measured with the same script; the episode audit before and after. Prints both results,
# ratio=<server votes/s / bare req/s> and a BENCHMARKS.md table row. Exits non-zero when wrk
# fails, the audit is inconsistent, or fewer votes were committed than wrk saw 2xx answers.
# Everything runs on 127.0.0.1 and is stopped on exit; logs and wrk output stay in
# artifacts/vote-bench/<store>-<time>/ (gitignored), the database and voters file do not.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
# shellcheck source-path=SCRIPTDIR source=../../scripts/lib/postgres.sh
source "$REPO/scripts/lib/postgres.sh"
BENCH_NAME=vote-bench
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$REPO/tools/bench/lib.sh"

STORE=sqlite DURATION=30 CONNECTIONS=256 VOTERS=20000 THREADS=2 WARMUP=10 PUSH_TOKENS=0 COMPARE="" ROUNDS=1 PERF=0 UNTIL=0 PG_STATEMENTS=0
NODES=1 COMPARE_NODES=0
CREDIT=100000    # paid votes per voter: far more than any run casts
RATE_LIMIT=1000000
VOTER_ORDER=sequential
RATE=0

usage() { sed -n '2,65p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while (($#)); do
  case "$1" in
    sqlite | postgres) STORE=$1 ;;
    --duration | -d) DURATION=$(whole "$1" "${2-}"); shift ;;
    --connections | -c) CONNECTIONS=$(whole "$1" "${2-}"); shift ;;
    --voters) VOTERS=$(whole "$1" "${2-}"); shift ;;
    --threads | -t) THREADS=$(whole "$1" "${2-}"); shift ;;
    --warmup) WARMUP=$(whole "$1" "${2-}"); shift ;;
    --push-tokens) PUSH_TOKENS=1 ;;
    --rounds) ROUNDS=$(whole "$1" "${2-}"); shift ;;
    --perf) PERF=1 ;;
    --pg-statements) PG_STATEMENTS=1 ;;
    --voter-order) [[ "${2-}" =~ ^(sequential|random)$ ]] || die "--voter-order is sequential or random"; VOTER_ORDER=$2; shift ;;
    --until-votes) UNTIL=$(whole "$1" "${2-}"); shift ;;
    --rate) RATE=$(whole "$1" "${2-}"); shift ;;
    --nodes) NODES=$(whole "$1" "${2-}"); shift ;;
    --compare-nodes) COMPARE_NODES=1 ;;
    --compare) [[ "${2-}" =~ ^([A-Za-z]+(:[A-Za-z]+)*|env:[A-Za-z_][A-Za-z0-9_]*=[^[:space:]]*)$ ]] ||
      die "--compare needs a setting name such as Fraud:Enabled, or env:NAME=VALUE"; COMPARE=$2; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
  shift
done
((CONNECTIONS >= THREADS)) || die "--connections must be at least --threads"
# cast_vote.lua reads it (the default set above, so a caller's environment never picks it silently).
export VOTER_ORDER
# The server runs' mean think time per connection (cast_vote.lua); 0: none. Never the caller's:
# the bare endpoint's runs must see none.
unset PACE_MS
PACE_MS=0
((RATE == 0)) || PACE_MS=$(awk -v c="$CONNECTIONS" -v r="$RATE" 'BEGIN { printf "%.3f", c * 1000 / r }')
# Threads of each node's wrk when the load is split over several nodes.
NODE_THREADS=$((THREADS / NODES > 0 ? THREADS / NODES : 1))
if ((NODES > 1)); then
  [[ "$STORE" == postgres ]] || die "--nodes needs postgres: several servers share one database only there"
  ((CONNECTIONS >= NODES * NODE_THREADS)) || die "--connections must be at least $((NODES * NODE_THREADS)) for $NODES nodes"
fi
if ((PG_STATEMENTS)); then
  [[ "$STORE" == postgres ]] || die "--pg-statements needs postgres"
  export XFACTOR_PG_CONF=$'shared_preload_libraries = \'pg_stat_statements\'\npg_stat_statements.track = top\npg_stat_statements.max = 1000'
fi
if ((COMPARE_NODES)); then
  ((NODES > 1)) || die "--compare-nodes needs --nodes N with N > 1"
  if [[ -n "$COMPARE" ]] || ((UNTIL > 0)); then die "--compare-nodes goes with neither --compare nor --until-votes"; fi
fi

bench_env

OUT="$REPO/artifacts/vote-bench/$STORE-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
LUA="$REPO/tools/bench/cast_vote.lua"
VOTERS_FILE="$OUT/voters.txt"

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  stop_pid "$BARE_PID"
  stop_nodes
  # The database and the voters' tokens are only good for this run.
  store_cleanup
  rm -f "$VOTERS_FILE"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs wrk with the vote script; $1 label, $2 base URL, $3 seconds, $4 run id (prefix of the
# Idempotency-Keys: a warm-up and a measured run must never share one).
run_wrk() { PACE_MS=$PACE_MS wrk_run "$1" "$2" "$3" "$LUA" "$VOTERS_FILE" "$CONTESTANTS" "$4"; }

# run_wrk_servers LABEL SECONDS RUN_ID: run_wrk against the running server, or against every
# running node at once (one wrk each: its share of the connections, NODE_THREADS threads, thread
# numbers that follow the previous node's), merged into wrk-LABEL.txt (node k's own output in
# wrk-LABEL.node<k>.txt).
run_wrk_servers() {
  local label=$1 seconds=$2 run_id=$3 n=${#SERVER_PIDS[@]} k c
  ((n > 1)) || { run_wrk "$label" "http://$HOST:$SERVER_PORT" "$seconds" "$run_id"; return 0; }
  local pids=() files=()
  for ((k = 1; k <= n; k++)); do
    c=$((CONNECTIONS / n + (k <= CONNECTIONS % n ? 1 : 0)))
    files+=("$OUT/wrk-$label.node$k.txt")
    PACE_MS=$PACE_MS THREADS=$NODE_THREADS CONNECTIONS=$c wrk_run "$label.node$k" "http://$HOST:${SERVER_PORTS[k - 1]}" "$seconds" "$LUA" \
      "$VOTERS_FILE" "$CONTESTANTS" "$run_id" $(((k - 1) * NODE_THREADS)) "$OUT/wrk-$label.node$k.txt.latency" &
    pids+=("$!")
  done
  for ((k = 1; k <= n; k++)); do
    wait "${pids[k - 1]}" || die "wrk failed ($label, node $k)"
  done
  merge_wrk "$OUT/wrk-$label.txt" "${files[@]}"
}

# The measured server runs: wrk as run_wrk, and the CPU the server process and PostgreSQL (the
# postmaster and its backends) used per vote wrk saw answered, kept in cpu-LABEL.txt and printed.
measure_server() {
  local label=$1 run_id=$2 pg_root="" s0 s1 p0 p1 m0 m1 ok servers=server
  [[ "$STORE" == postgres ]] && pg_root=$(head -n 1 "$PG_TMP/data/postmaster.pid" 2>/dev/null || true)
  ((${#SERVER_PIDS[@]} == 1)) || servers="${#SERVER_PIDS[@]} servers"
  local d0 d1 w0="" w1="" t0 t1
  [[ "$STORE" == postgres ]] && w0=$(pg_wal_counts)
  s0=$(nodes_ticks) p0=$(tree_ticks "$pg_root") m0=$(machine_busy_ticks) d0=$(disk_counts) t0=$(date +%s.%N)
  local perf_pid=""
  if ((PERF)) && [[ "$label" == server ]]; then
    perf record -q -F 499 -a -g -o "$OUT/perf.data" -- sleep "$DURATION" > "$OUT/perf-record.log" 2>&1 &
    perf_pid=$!
  fi
  run_wrk_servers "$label" "$DURATION" "$run_id"
  if [[ -n "$perf_pid" ]]; then
    wait "$perf_pid" || die "perf record failed (see $OUT/perf-record.log)"
    perf report -i "$OUT/perf.data" --stdio --no-children --sort comm,dso -g none --percent-limit 0.5 > "$OUT/perf-by-process.txt" 2> /dev/null
    perf report -i "$OUT/perf.data" --stdio --no-children --sort comm,sym -g none --percent-limit 0.3 > "$OUT/perf-by-symbol.txt" 2> /dev/null
    log "perf: $OUT/perf-by-process.txt, $OUT/perf-by-symbol.txt"
  fi
  s1=$(nodes_ticks) p1=$(tree_ticks "$pg_root") m1=$(machine_busy_ticks) d1=$(disk_counts) t1=$(date +%s.%N)
  [[ "$STORE" == postgres ]] && w1=$(pg_wal_counts)
  ok=$(field ok "$OUT/wrk-$label.txt")
  {
    echo "CPU $label: $(cpu_per_vote "$servers" "$s0" "$s1" "$ok")$([[ -n "$pg_root" ]] && echo ", $(cpu_per_vote PostgreSQL "$p0" "$p1" "$ok")"), $(cpu_per_vote "whole machine (with wrk)" "$m0" "$m1" "$ok")"
  } > "$OUT/cpu-$label.txt"
  log "$(cat "$OUT/cpu-$label.txt")"
  {
    echo -n "disk $label: $(disk_per_vote "$d0" "$d1" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$ok")"
    [[ -z "$w0" ]] || echo -n "; PostgreSQL WAL $(pg_wal_per_vote "$w0" "$w1" "$ok")"
    echo
  } > "$OUT/disk-$label.txt"
  log "$(cat "$OUT/disk-$label.txt")"
}

# PostgreSQL's WAL so far (pg_stat_wal): "RECORDS FULL_PAGE_IMAGES BYTES".
pg_wal_counts() { db_scalar "SELECT wal_records || ' ' || wal_fpi || ' ' || wal_bytes FROM pg_stat_wal"; }
pg_wal_per_vote() {
  awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { split(a, x, " "); split(b, y, " ")
    if (n > 0) printf "%.1f records, %.2f full-page images, %.1f KB per vote", (y[1] - x[1]) / n, (y[2] - x[2]) / n, (y[3] - x[3]) / 1024 / n }'
}

# Busy clock ticks of the whole machine (every CPU's user, nice, system, irq and softirq time).
machine_busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }

ensure_wrk
((PERF == 0)) || command -v perf > /dev/null || die "--perf needs Linux perf (Debian package linux-perf)"
[[ "$STORE" == sqlite ]] && log "SQLite checkpoint: Storage__SqliteBackgroundCheckpoint=${Storage__SqliteBackgroundCheckpoint:-unset, so the server default: true, in the background}"
log "store $STORE, $DURATION s measured after $WARMUP s warm-up, $CONNECTIONS connections, $THREADS wrk threads, $VOTERS voters ($VOTER_ORDER)$( ((RATE == 0)) || echo ", offered about $RATE votes/s (think time $PACE_MS ms a connection)")"
((NODES == 1)) || log "$NODES server nodes on one database, one wrk each with $((CONNECTIONS / NODES))-$(((CONNECTIONS + NODES - 1) / NODES)) connections and $NODE_THREADS thread(s)$( ((COMPARE_NODES)) && echo ", compared with one node")"
build_wrk_bench

# 1. The store, the server on a fresh database, and the voters (signed in and credited).
# The voters sign in from one address and a few number blocks: lift the per-address and per-block code limits.
store_start "$STORE" voting_bench
SERVER_ARGS=("${STORE_ARGS[@]}" --Auth:CodesPerIpPerHour 10000000 --Auth:CodesPerPrefixPerHour 10000000)
pick_ports "$NODES" 5000   # SERVER_PORT, node 1's: the setup, the audit and the results go there
((PERF == 0)) || NODE_ENV=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)

# start_servers N [ARGS...]: N server nodes on the database (see --nodes); start_server: NODES of them.
start_servers() {
  local n=$1
  shift
  start_nodes "$n" "${SERVER_ARGS[@]}" "$@" --Voting:VoteRequestsPerMinute "$RATE_LIMIT" \
    --Logging:LogLevel:Default Warning --Logging:LogLevel:Microsoft.AspNetCore Warning
}
start_server() { start_servers "$NODES" "$@"; }

start_servers 1
voters_setup "$VOTERS" "$CREDIT" "$VOTERS_FILE"
READY=$(grep -c . "$VOTERS_FILE")
episode_read
log "episode $EPISODE, contestants $CONTESTANTS"
if ((PUSH_TOKENS)); then
  log "registering a push token for each of $READY voters"
  python3 - "http://$HOST:$SERVER_PORT" "$VOTERS_FILE" > "$OUT/push-tokens.log" 2>&1 <<'PY' || die "push token registration failed"
import concurrent.futures, json, sys, urllib.request
url, path = sys.argv[1], sys.argv[2]
voters = [line.split(" ", 1) for line in open(path) if line.strip()]
def register(v):
    body = json.dumps({"platform": "fcm", "token": "bench-token-" + v[0]}).encode()
    req = urllib.request.Request(url + "/api/v1/me/push_tokens", body, {"Authorization": v[1].strip(), "content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status
with concurrent.futures.ThreadPoolExecutor(32) as pool:
    codes = list(pool.map(register, voters))
print(f"{sum(c in (200, 201) for c in codes)} of {len(codes)} tokens registered")
sys.exit(0 if all(c in (200, 201) for c in codes) else 1)
PY
  sed 's/^/  /' "$OUT/push-tokens.log"
fi
# Sign-in texts go through the outbox (to the log, in Development): let the dispatcher finish
# them now rather than during the measurement (a row leased at a stop would come back later).
wait_until "the outbox dispatcher" "${SERVER_PIDS[0]}" 300 outbox_empty
# The server stops while the bare endpoint is measured, so each run has the machine to itself
# (with wrk, and an idle PostgreSQL). Tokens and credits are in the database and survive.
stop_nodes

# 2. The bare endpoint, with the same script and the same voters' requests; the disk's own rates.
bare_measure "$WARMUP" "$DURATION" "$VOTERS_FILE"
disk_reference 5

# 3. The server again (NODES of them), on the same database.
start_server
SERVERS=server
((NODES == 1)) || SERVERS="servers ($NODES nodes)"
log "$SERVERS: warm-up $WARMUP s (load average $(loadavg))"
run_wrk_servers server-warmup "$WARMUP" "sw$(date +%s)"
settle
sleep 1   # let the warm-up's last batch commit before counting
BEFORE=$(audit) || die "audit failed"
if ((PG_STATEMENTS)); then
  db_scalar "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" > /dev/null
  db_scalar "SELECT pg_stat_statements_reset()" > /dev/null
fi
log "$SERVERS: measuring $DURATION s (load average $(loadavg))"
measure_server server "sm$(date +%s)"
if ((PG_STATEMENTS)); then
  # Per vote wrk saw answered (2xx); the statement's text cut to 150 characters on one line.
  ok=$(field ok "$OUT/wrk-server.txt")
  "$PG_BIN/psql" -h "$HOST" -p "$PG_PORT" -U postgres -d "$STORE_DB" -P pager=off -c "
    SELECT round((total_exec_time * 1000 / $ok)::numeric, 2) AS us_per_vote,
           round((100 * total_exec_time / sum(total_exec_time) OVER ())::numeric, 1) AS pct,
           calls, round(rows::numeric / $ok, 2) AS rows_per_vote,
           round(((shared_blks_hit + shared_blks_read)::numeric / $ok), 2) AS blocks_per_vote,
           round((shared_blks_dirtied::numeric / $ok), 3) AS dirtied_per_vote,
           round((wal_records::numeric / $ok), 2) AS wal_records_per_vote,
           left(regexp_replace(query, '\s+', ' ', 'g'), 150) AS statement
    FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
    ORDER BY total_exec_time DESC" > "$OUT/pg-statements.txt" 2>&1 || die "pg_stat_statements read failed (see $OUT/pg-statements.txt)"
  log "backends' execution time by statement, per committed vote ($OUT/pg-statements.txt):"
  head -n 17 "$OUT/pg-statements.txt" | cut -c1-260
fi
sleep 2   # votes still in flight when wrk stopped commit now; wrk never saw their answers
AFTER=$(audit) || die "audit failed"
echo "$BEFORE" > "$OUT/audit-before.json"
echo "$AFTER" > "$OUT/audit-after.json"
if [[ "$STORE" == postgres ]]; then
  # Row changes by table since the cluster started (setup, warm-up and measured run): how many
  # updates were HOT (no index entry written), for the WAL records per vote above.
  "$PG_BIN/psql" -h "$HOST" -p "$PG_PORT" -U postgres -d "$STORE_DB" -c \
    "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_live_tup, n_dead_tup FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd > 0 ORDER BY n_tup_ins + n_tup_upd DESC" \
    > "$OUT/pg-tables.txt" 2>&1 || true
fi

ON_RUNS=() OFF_RUNS=() COMPARE_OK=0 LAST_AFTER=$AFTER   # COMPARE_OK: 2xx of the runs after the first measured one

# 3a. With --until-votes: chunk after chunk on the same server until the ledger holds N votes.
# Progress comes from the results (the tallies, cheap); the audit runs once at the end.
if ((UNTIL > 0)); then
  total_votes() {
    curl -sf "http://$HOST:$SERVER_PORT/api/v1/xfactor/voting/results/$EPISODE" | jq -r '.data.episode.total_votes'
  }
  db_bytes() {
    if [[ "$STORE" == postgres ]]; then
      db_scalar "SELECT pg_database_size(current_database())"
    else
      du -cb "$OUT"/voting.db* | tail -n 1 | cut -f1
    fi
  }
  {
    echo "chunk | seconds from start | votes in the ledger | chunk votes/s | chunk p99 ms | database MB"
    echo "0 | 0 | $(jq -r '.data.ledger_votes' <<< "$AFTER") | $(field ok_rps "$OUT/wrk-server.txt") | $(field p99_ms "$OUT/wrk-server.txt") | $(($(db_bytes) / 1048576))"
  } > "$OUT/sustained-chunks.txt"
  START=$(date +%s.%N) chunk=0
  while :; do
    votes=$(total_votes) || die "results failed"
    ((votes < UNTIL)) || break
    chunk=$((chunk + 1))
    run_wrk_servers "chunk$chunk" "$DURATION" "c$chunk$(date +%s)"
    COMPARE_OK=$((COMPARE_OK + $(field ok "$OUT/wrk-chunk$chunk.txt")))
    votes=$(total_votes) || die "results failed"
    line="$chunk | $(awk -v a="$START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') | $votes | $(field ok_rps "$OUT/wrk-chunk$chunk.txt") | $(field p99_ms "$OUT/wrk-chunk$chunk.txt") | $(($(db_bytes) / 1048576))"
    echo "$line" >> "$OUT/sustained-chunks.txt"
    log "chunk $chunk: $line (load average $(loadavg))"
  done
  sleep 2
  LAST_AFTER=$(audit) || die "audit failed"
  echo "$LAST_AFTER" > "$OUT/audit-after-sustained.json"
  # Per million: when each whole million was passed, interpolated between chunk ends.
  awk -F' \\| ' -v until="$UNTIL" 'NR > 2 {
      t = $2 + 0; v = $3 + 0
      while (next_m * 1000000 <= v && next_m * 1000000 <= until) {
        at = pt + (t - pt) * (next_m * 1000000 - pv) / (v - pv)
        printf "million %d: %.0f votes/s (passed at %.0f s), database %.0f MB\n", next_m, (next_m * 1000000 - pm) / (at - pat), at, $6
        pat = at; pm = next_m * 1000000; next_m++
      }
      if ($5 + 0 > worst) worst = $5 + 0
      pt = t; pv = v
    }
    NR == 2 { pt = 0; pv = $3 + 0; pat = 0; pm = pv; next_m = int(pv / 1000000) + 1; worst = 0 }
    END { printf "slowest chunk p99: %.2f ms\n", worst }' "$OUT/sustained-chunks.txt" > "$OUT/sustained.txt"
  echo "database size per million votes: $(awk -v b="$(db_bytes)" -v v="$(jq -r '.data.ledger_votes' <<< "$LAST_AFTER")" 'BEGIN { printf "%.1f MB", b / 1048576 / (v / 1000000) }')" >> "$OUT/sustained.txt"
  log "sustained run: $OUT/sustained-chunks.txt"
  sed 's/^/  /' "$OUT/sustained-chunks.txt" "$OUT/sustained.txt"
fi

# 3b. With --compare: the setting off, then on again, ROUNDS times, on the same database and
# each run after a fresh start (on, off, on, off, on, ...). The cost is taken between the medians.
# With --compare-nodes the same, "on" being NODES nodes and "off" one node.
if [[ -n "$COMPARE" ]] || ((COMPARE_NODES)); then
  for ((round = 1; round <= ROUNDS; round++)); do
    for setting in off on; do
      stop_nodes
      if [[ "$setting" == off ]]; then
        if ((COMPARE_NODES)); then
          start_servers 1
        elif [[ "$COMPARE" == env:* ]]; then
          saved_env=("${NODE_ENV[@]}")
          NODE_ENV+=("${COMPARE#env:}")
          start_server
          NODE_ENV=("${saved_env[@]}")
        else
          start_server "--$COMPARE" false
        fi
        label=server-off$round
        OFF_RUNS+=("$label")
      else
        start_server
        label=server-on$((round + 1))
        ON_RUNS+=("$label")
      fi
      if ((COMPARE_NODES)); then
        what="${#SERVER_PIDS[@]} node(s) (round $round of $ROUNDS)"
      else
        what="server with $COMPARE $setting (round $round of $ROUNDS)"
        [[ "$COMPARE" != env:* ]] || what="server $([[ $setting == off ]] && echo with || echo without) ${COMPARE#env:} (round $round of $ROUNDS)"
      fi
      log "$what: warm-up $WARMUP s (load average $(loadavg))"
      run_wrk_servers "$label-warmup" "$WARMUP" "${setting:0:2}w$round$(date +%s)"
      settle
      sleep 1
      RUN_BEFORE=$(audit) || die "audit failed"
      log "$what: measuring $DURATION s (load average $(loadavg))"
      measure_server "$label" "${setting:0:2}m$round$(date +%s)"
      sleep 2
      LAST_AFTER=$(audit) || die "audit failed"
      RUN_COMMITTED=$(($(jq -r '.data.ledger_votes' <<< "$LAST_AFTER") - $(jq -r '.data.ledger_votes' <<< "$RUN_BEFORE")))
      RUN_OK=$(field ok "$OUT/wrk-$label.txt")
      ((RUN_COMMITTED >= RUN_OK)) || die "$RUN_OK votes answered 2xx in $label but only $RUN_COMMITTED committed"
      COMPARE_OK=$((COMPARE_OK + $(field ok "$OUT/wrk-$label-warmup.txt") + RUN_OK))
    done
  done
  echo "$LAST_AFTER" > "$OUT/audit-after-compare.json"
fi

# 4. Results and checks.
echo
echo "bare endpoint ($OUT/wrk-bare.txt):"
grep -E '^(cast_vote|latency|RESULT)' "$OUT/wrk-bare.txt" | sed 's/^/  /'
echo "$SERVERS, $STORE ($OUT/wrk-server.txt):"
grep -E '^(cast_vote|latency|RESULT)' "$OUT/wrk-server.txt" | sed 's/^/  /'
sed 's/^/  /' "$OUT/cpu-server.txt" "$OUT/disk-server.txt"
echo "disk reference (same run, nothing else running; tools/bench/disk-ref.py): $(sed 's/^RESULT //' "$OUT/disk-ref.txt")"

BARE_RPS=$(field ok_rps "$OUT/wrk-bare.txt")
VOTES_RPS=$(field ok_rps "$OUT/wrk-server.txt")
RATIO=$(awk -v s="$VOTES_RPS" -v b="$BARE_RPS" 'BEGIN { printf "%.3f", (b > 0 ? s / b : 0) }')
OK=$(field ok "$OUT/wrk-server.txt")
WARM_OK=$(($(field ok "$OUT/wrk-server-warmup.txt") + COMPARE_OK))   # every 2xx but the first measured run's
NON2XX=$(field non2xx "$OUT/wrk-server.txt")
ERRORS=$(field errors "$OUT/wrk-server.txt")
LEDGER_BEFORE=$(jq -r '.data.ledger_votes' <<< "$BEFORE")
LEDGER_AFTER=$(jq -r '.data.ledger_votes' <<< "$AFTER")
COMMITTED=$((LEDGER_AFTER - LEDGER_BEFORE))
CONSISTENT=$(jq -r '.data.consistent and .data.voter_counters_consistent' <<< "$AFTER")

echo
echo "ratio=$RATIO ($SERVERS committed votes/s $VOTES_RPS / bare 2xx req/s $BARE_RPS)"
echo "committed during the measured run: $COMMITTED votes in the ledger (audit after $LEDGER_AFTER - before $LEDGER_BEFORE), 2xx seen by wrk: $OK"
echo "whole run: $(jq -r '.data.ledger_votes' <<< "$LAST_AFTER") votes in the ledger, 2xx seen by wrk (warm-ups + measured): $((WARM_OK + OK))"
echo "audit after the last run: tallies consistent $(jq -r '.data.consistent' <<< "$LAST_AFTER"), voter counters consistent $(jq -r '.data.voter_counters_consistent' <<< "$LAST_AFTER"), digest $(jq -r '.data.digest' <<< "$LAST_AFTER")"
echo
echo "| store | bare req/s | votes/s | ratio | p50 | p99 | non-2xx | date | commit |"
echo "|---|---:|---:|---:|---:|---:|---:|---|---|"
printf '| %s | %.0f | %.0f | %s | %s ms | %s ms | %s | %s | %s |\n' "$STORE$( ((NODES == 1)) || echo ", $NODES nodes")$( [[ $VOTER_ORDER == sequential ]] || echo ", $VOTER_ORDER voters")$( ((RATE == 0)) || echo ", offered $RATE/s")" "$BARE_RPS" "$VOTES_RPS" "$RATIO" \
  "$(field p50_ms "$OUT/wrk-server.txt")" "$(field p99_ms "$OUT/wrk-server.txt")" "$NON2XX" "$(date -u +%Y-%m-%d)" "$COMMIT"

if [[ -n "$COMPARE" ]] || ((COMPARE_NODES)); then
  echo
  if ((COMPARE_NODES)); then
    ON_NAME="$NODES nodes" OFF_NAME="1 node "   # as wide as "3 nodes"
    echo "$STORE, 1 node and $NODES nodes, run by run (ratio = median $NODES nodes / median 1 node; the first run, right after the"
    echo "setup, is shown but not in the medians):"
  elif [[ "$COMPARE" == env:* ]]; then
    ON_NAME="without" OFF_NAME="with   "
    echo "server, $STORE, without and with ${COMPARE#env:} in its environment, run by run (ratio = median with / median without;"
    echo "the first run, right after the setup, is shown but not in the medians: on PostgreSQL it is the slow one whatever the setting):"
  else
    ON_NAME="on " OFF_NAME=off
    echo "server, $STORE, $COMPARE on and off, run by run (cost = 1 - median on / median off; the first run, right after the setup, is"
    echo "shown but not in the medians: on PostgreSQL it is the slow one whatever the setting):"
  fi
  for label in server "${ON_RUNS[@]}" "${OFF_RUNS[@]}"; do
    printf '  %-14s %s %9.1f votes/s, p99 %s ms; %s\n' "$label" "$([[ " ${OFF_RUNS[*]} " == *" $label "* ]] && echo "$OFF_NAME" || echo "$ON_NAME")" \
      "$(field ok_rps "$OUT/wrk-$label.txt")" "$(field p99_ms "$OUT/wrk-$label.txt")" "$(sed 's/^CPU [^:]*: //' "$OUT/cpu-$label.txt")"
  done
  median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
  mapfile -t on_rates < <(for l in "${ON_RUNS[@]}"; do field ok_rps "$OUT/wrk-$l.txt"; done)
  mapfile -t off_rates < <(for l in "${OFF_RUNS[@]}"; do field ok_rps "$OUT/wrk-$l.txt"; done)
  ON_MEDIAN=$(median "${on_rates[@]}")
  OFF_MEDIAN=$(median "${off_rates[@]}")
fi
if ((COMPARE_NODES)); then
  echo "nodes: median $NODES nodes $ON_MEDIAN votes/s (${#ON_RUNS[@]} runs), median 1 node $OFF_MEDIAN votes/s (${#OFF_RUNS[@]} runs)," \
    "ratio=$(awk -v on="$ON_MEDIAN" -v off="$OFF_MEDIAN" 'BEGIN { printf "%.3f", (off > 0 ? on / off : 0) }') ($NODES nodes / 1 node)"
  for name in "1 node:$OFF_MEDIAN:${#OFF_RUNS[@]}" "$NODES nodes:$ON_MEDIAN:${#ON_RUNS[@]}"; do
    IFS=: read -r nodes rate runs <<< "$name"
    printf '| %s, %s (median of %s) | %.0f | %.0f | %s | | | | %s | %s |\n' "$STORE" "$nodes" "$runs" "$BARE_RPS" "$rate" \
      "$(awk -v s="$rate" -v b="$BARE_RPS" 'BEGIN { printf "%.3f", (b > 0 ? s / b : 0) }')" "$(date -u +%Y-%m-%d)" "$COMMIT"
  done
elif [[ "$COMPARE" == env:* ]]; then
  echo "${COMPARE#env:}: median without $ON_MEDIAN votes/s (${#ON_RUNS[@]} runs), median with $OFF_MEDIAN votes/s (${#OFF_RUNS[@]} runs)," \
    "ratio=$(awk -v on="$ON_MEDIAN" -v off="$OFF_MEDIAN" 'BEGIN { printf "%.3f", (on > 0 ? off / on : 0) }') (with / without)"
  printf '| %s, %s (median of %s) | %.0f | %.0f | %s | | | | %s | %s |\n' "$STORE" "${COMPARE#env:}" "${#OFF_RUNS[@]}" "$BARE_RPS" "$OFF_MEDIAN" \
    "$(awk -v s="$OFF_MEDIAN" -v b="$BARE_RPS" 'BEGIN { printf "%.3f", (b > 0 ? s / b : 0) }')" "$(date -u +%Y-%m-%d)" "$COMMIT"
elif [[ -n "$COMPARE" ]]; then
  echo "$COMPARE: median on $ON_MEDIAN votes/s (${#ON_RUNS[@]} runs), median off $OFF_MEDIAN votes/s (${#OFF_RUNS[@]} runs)," \
    "cost=$(awk -v on="$ON_MEDIAN" -v off="$OFF_MEDIAN" 'BEGIN { printf "%.1f%%", (off > 0 ? (1 - on / off) * 100 : 0) }')"
  printf '| %s, %s=false (median of %s) | %.0f | %.0f | %s | | | | %s | %s |\n' "$STORE" "$COMPARE" "${#OFF_RUNS[@]}" "$BARE_RPS" "$OFF_MEDIAN" \
    "$(awk -v s="$OFF_MEDIAN" -v b="$BARE_RPS" 'BEGIN { printf "%.3f", (b > 0 ? s / b : 0) }')" "$(date -u +%Y-%m-%d)" "$COMMIT"
fi

failed=0
LEDGER_AFTER=$(jq -r '.data.ledger_votes' <<< "$LAST_AFTER")
CONSISTENT=$(jq -r '.data.consistent and .data.voter_counters_consistent' <<< "$LAST_AFTER")
[[ "$CONSISTENT" == true ]] || { echo "FAIL: the audit reports inconsistent tallies or voter counters" >&2; failed=1; }
((COMMITTED >= OK)) || { echo "FAIL: $OK votes answered 2xx but only $COMMITTED committed" >&2; failed=1; }
((LEDGER_AFTER >= WARM_OK + OK)) || { echo "FAIL: fewer votes in the ledger than 2xx answers" >&2; failed=1; }
((NON2XX == 0 && ERRORS == 0)) || echo "note: $NON2XX non-2xx answers and $ERRORS socket errors from the server (see $OUT/wrk-server.txt)"
exit "$failed"
