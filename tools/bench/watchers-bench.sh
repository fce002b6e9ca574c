#!/usr/bin/env bash
# Live results to WebSocket watchers on one node or several (issue 3; issue 13, goal 5): W
# watchers on each of N server nodes of one database while V paid votes/s are cast, spread evenly
# over the nodes; commit→receipt delay, dropped watchers and each node's memory per watcher.
#
#   tools/bench/watchers-bench.sh [sqlite|postgres] [--nodes N] [--watchers-per-node W]
#                                 [--votes-per-second V] [--duration S] [--warmup S] [--per-process P]
#                                 [--connections C]
#
# Defaults: sqlite, 1 node, 18,000 watchers per node, 5,000 votes/s, 60 s measured after 10 s
# warm-up, 15,000 watchers per watcher process, vote connections sized by the tool (one per 50
# requests/s, at least 4 and one per node: enough while a vote is answered within 20 ms; the
# script warns when the committed rate falls short of the target). Several nodes need
# postgres (one database, node k with --Storage:TallyShard k-1 and --Storage:NodeName node-k).
# Steps: Release build; the store (for postgres a throwaway cluster, scripts/lib/postgres.sh);
# the nodes started one after another on ports 5000.. (Development: the demo episode is open);
# `Voting.LoadTest watchers` with one --url and --server-pid per node: it signs in and credits the
# voters on node 1, reads each node's resident memory (idle), connects W watchers to each node
# (processes of at most P sockets, each watching one node from its own source address 127.0.0.2..),
# reads the memory again (connected), casts V votes/s over the nodes (an equal share each, on a
# fixed schedule) through the warm-up and the measured window, and reports; then the audit.
# Prints the tool's report (a row per node with several), a summary per node and the goal checks
# (p99 commit→receipt <= 500 ms, 0 dropped, <= 20 KB per watcher), and exits non-zero when the
# tool fails, a watcher process does not report, the audit is inconsistent, or fewer votes are in
# the ledger than the tool saw committed. Everything runs on 127.0.0.1 and is stopped on exit;
# logs and the tool's JSON stay in artifacts/watchers-bench/<store>-<nodes>n-<time>/ (gitignored).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
# shellcheck source-path=SCRIPTDIR source=../../scripts/lib/postgres.sh
source "$REPO/scripts/lib/postgres.sh"
BENCH_NAME=watchers-bench
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$REPO/tools/bench/lib.sh"

STORE=sqlite NODES=1 PER_NODE=18000 RATE=5000 DURATION=60 WARMUP=10 PER_PROCESS=15000 CONNECTIONS=""

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while (($#)); do
  case "$1" in
    sqlite | postgres) STORE=$1 ;;
    --nodes) NODES=$(whole "$1" "${2-}"); shift ;;
    --watchers-per-node) PER_NODE=$(whole "$1" "${2-}"); shift ;;
    --votes-per-second) RATE=$(whole "$1" "${2-}"); shift ;;
    --duration | -d) DURATION=$(whole "$1" "${2-}"); shift ;;
    --warmup) WARMUP=$(whole "$1" "${2-}"); shift ;;
    --per-process) PER_PROCESS=$(whole "$1" "${2-}"); shift ;;
    --connections | -c) CONNECTIONS=$(whole "$1" "${2-}"); shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
  shift
done
((NODES == 1)) || [[ "$STORE" == postgres ]] || die "--nodes needs postgres: several servers share one database only there"

bench_env

# Every server holds its W watchers' sockets and every watcher process up to P: both inherit this
# shell's open-files limit, raised to the hard limit. A watcher process binds each socket to its
# source address with an ephemeral port, so P must also fit in the ephemeral port range.
ulimit -n "$(ulimit -Hn)" 2> /dev/null || true
FILES=$(ulimit -n)
[[ "$FILES" == unlimited ]] && FILES=1048576
((FILES >= PER_NODE + 1000)) || die "open-files limit $FILES is below $((PER_NODE + 1000)) ($PER_NODE watchers per node and the server's own files): raise it (ulimit -n) or lower --watchers-per-node"
((PER_PROCESS <= 19000 && FILES >= PER_PROCESS + 1000)) || die "--per-process $PER_PROCESS: at most 19000 and $((FILES - 1000)) under the open-files limit $FILES"
read -r PORT_LOW PORT_HIGH < /proc/sys/net/ipv4/ip_local_port_range
((PORT_HIGH - PORT_LOW >= PER_PROCESS)) || die "the ephemeral port range $PORT_LOW-$PORT_HIGH is smaller than --per-process $PER_PROCESS"

OUT="$REPO/artifacts/watchers-bench/$STORE-${NODES}n-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
LOADTEST="$REPO/tools/Voting.LoadTest/bin/Release/net10.0/Voting.LoadTest.dll"

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  stop_nodes
  store_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "store $STORE, $NODES node(s) x $PER_NODE watchers, $RATE votes/s over the nodes, $DURATION s measured after $WARMUP s warm-up"
log "$(nproc) cores, load average $(loadavg), open files $FILES, ephemeral ports $PORT_LOW-$PORT_HIGH, dotnet $(dotnet --version)"
log "output in $OUT"
log "building (Release)"
build_release src/Voting.Server tools/Voting.LoadTest "$OUT/build.log"
COMMIT=$(git rev-parse --short HEAD)
[[ -z "$(git status --porcelain --untracked-files=no)" ]] || COMMIT="$COMMIT-dirty"

store_start "$STORE" voting_watchers
pick_ports "$NODES" 5000
# The voters sign in from one address and a few number blocks: lift the per-address and per-block code limits.
start_nodes "$NODES" "${STORE_ARGS[@]}" --Auth:CodesPerIpPerHour 10000000 --Auth:CodesPerPrefixPerHour 10000000 \
  --Logging:LogLevel:Default Warning --Logging:LogLevel:Microsoft.AspNetCore Warning
log "nodes: $(for ((k = 0; k < NODES; k++)); do printf 'http://%s:%s (pid %s) ' "$HOST" "${SERVER_PORTS[k]}" "${SERVER_PIDS[k]}"; done)"

episode_read
BEFORE=$(audit) || die "audit failed"

ARGS=(watchers --watchers $((NODES * PER_NODE)) --votes-per-second "$RATE" --duration "$DURATION" --warmup "$WARMUP"
  --per-process "$PER_PROCESS" --json "$OUT/watchers.json")
[[ -z "$CONNECTIONS" ]] || ARGS+=(--connections "$CONNECTIONS")
for ((k = 0; k < NODES; k++)); do ARGS+=(--url "http://$HOST:${SERVER_PORTS[k]}" --server-pid "${SERVER_PIDS[k]}"); done
log "dotnet Voting.LoadTest.dll ${ARGS[*]}"
TOOL_RC=0
dotnet "$LOADTEST" "${ARGS[@]}" 2>&1 | tee "$OUT/watchers.log" || TOOL_RC=$?
((TOOL_RC == 0)) || log "the load tool exited with $TOOL_RC"
[[ -s "$OUT/watchers.json" ]] || die "the load tool wrote no figures ($OUT/watchers.log)"
sleep 2   # votes still in flight at the end commit now
AFTER=$(audit) || die "audit failed"
echo "$AFTER" > "$OUT/audit-after.json"

J="$OUT/watchers.json"
echo
echo "per node ($J):"
jq -r '.nodes[] | "  \(.url): \(.held_at_end) of \(.watchers) watchers held, \(.dropped) dropped, commit→receipt p50 \(.commit_to_receipt.p50_ms) / p99 \(.commit_to_receipt.p99_ms) / max \(.commit_to_receipt.max_ms) ms, votes/s \(.committed_votes_per_second // "n/a"), RSS MB idle \(.server_memory.idle_mb) / connected \(.server_memory.connected_mb) / peak \(.server_memory.peak_mb), \(.server_memory.kb_per_watcher // "n/a") KB per watcher"' "$J"
COMMITTED=$(jq -r '.votes.committed_votes // 0' "$J")
LEDGER=$(($(jq -r '.data.ledger_votes' <<< "$AFTER") - $(jq -r '.data.ledger_votes' <<< "$BEFORE")))
P99=$(jq -r '.commit_to_receipt.p99_ms' "$J")
DROPPED=$(jq -r '.dropped' "$J")
KB_WORST=$(jq -r '[.nodes[].server_memory.kb_per_watcher // 1e9] | max' "$J")
echo "all nodes: $(jq -r '"\(.held_at_end) of \(.watchers) watchers held, \(.dropped) dropped, \(.connect_failed) failed to connect; votes/s \(.votes.committed_votes_per_second // 0) of \(.votes_per_second_target) asked, vote p99 \(.votes.p99_ms // "n/a") ms; commit→receipt p50 \(.commit_to_receipt.p50_ms) / p99 \(.commit_to_receipt.p99_ms) / max \(.commit_to_receipt.max_ms) ms; \(.live_results_per_watcher_per_second) LIVE_RESULTS/s per watcher; seq regressions \(.seq_regressions)"' "$J")"
awk -v c="$(jq -r '.votes.committed_votes_per_second // 0' "$J")" -v t="$RATE" 'BEGIN { exit !(t > 0 && c < 0.95 * t) }' &&
  echo "note: the votes fell short of the $RATE/s asked with the tool's $(grep -o 'over [0-9]* connections' "$OUT/watchers.log" | head -n 1 | cut -d' ' -f2)" \
    "connections: each carries at most one vote per answer time (vote p50 $(jq -r '.votes.p50_ms' "$J") ms); more --connections helps if the servers have room"
echo "votes in the ledger since the tool started (warm-up and measured window): $LEDGER; committed in the measured window as the tool saw them: $COMMITTED"
echo "audit: tallies consistent $(jq -r '.data.consistent' <<< "$AFTER"), voter counters consistent $(jq -r '.data.voter_counters_consistent' <<< "$AFTER")"
echo "issue 13 goal 5 checks: p99 commit→receipt $P99 ms (<= 500: $(awk -v p="$P99" 'BEGIN { print (p <= 500 ? "met" : "not met") }')), dropped $DROPPED (0: $( ((DROPPED == 0)) && echo met || echo "not met")), worst node $KB_WORST KB per watcher (<= 20: $(awk -v k="$KB_WORST" 'BEGIN { print (k <= 20 ? "met" : "not met") }'))"
echo
echo "| store | nodes | watchers held / dropped | votes/s (target / committed) | commit→receipt p50 / p99 / max ms | RSS MB per node idle / connected / peak | KB per watcher per node | date | commit |"
echo "|---|---:|---:|---:|---:|---|---|---|---|"
printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$STORE" "$NODES" \
  "$(jq -r '"\(.held_at_end) / \(.dropped)"' "$J")" "$(jq -r '"\(.votes_per_second_target) / \(.votes.committed_votes_per_second // 0 | round)"' "$J")" \
  "$(jq -r '.commit_to_receipt | "\(.p50_ms) / \(.p99_ms) / \(.max_ms)"' "$J")" \
  "$(jq -r '[.nodes[].server_memory | "\(.idle_mb | round) / \(.connected_mb | round) / \(.peak_mb | round)"] | join("; ")' "$J")" \
  "$(jq -r '[.nodes[].server_memory.kb_per_watcher // "n/a"] | join("; ")' "$J")" "$(date -u +%Y-%m-%d)" "$COMMIT"

failed=0
((TOOL_RC == 0)) || { echo "FAIL: the load tool exited with $TOOL_RC" >&2; failed=1; }
[[ "$(jq -r '.data.consistent and .data.voter_counters_consistent' <<< "$AFTER")" == true ]] || { echo "FAIL: the audit reports inconsistent tallies or voter counters" >&2; failed=1; }
((LEDGER >= COMMITTED)) || { echo "FAIL: the tool saw $COMMITTED votes committed but only $LEDGER are in the ledger" >&2; failed=1; }
exit "$failed"
