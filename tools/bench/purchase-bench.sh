#!/usr/bin/env bash
# Purchases over HTTP with wrk (issue 9): credited vote-package purchases/s with the test store and
# with Apple StoreKit 2 receipts (verified offline), against a bare ASP.NET Core endpoint in the
# same run, on one store.
#
#   tools/bench/purchase-bench.sh [sqlite|postgres] [--duration S] [--warmup S] [--voters N]
#                                 [--connections C] [--threads T] [--receipts N] [--quiet-load L] [--quiet-wait S]
#
# Defaults: sqlite, 30 s measured after 10 s warm-up, 2,000 voters, 64 connections, 2 wrk threads.
# --receipts N: signed Apple transactions to generate (default: the test store's measured rate
# times the warm-up and measured seconds, times 1.5; the Apple path does the test store's work and
# more). --quiet-load L: before each measurement, wait (up to --quiet-wait S seconds, 600) until
# the 1-minute load average is below L (default 0: no wait).
# Steps: Release build; the server (Development: the demo's packages, iOS product ids
# com.hangmeas.votes.N) on a fresh database with the test store and App Store purchases on; voters
# signed in by `Voting.LoadTest votes --setup-only`; the bare endpoint (tools/Voting.Bare) with
# tools/bench/cast_vote.lua; test-store purchases with tools/bench/purchase.lua (a unique
# Idempotency-Key each, so each is a new purchase); `Voting.LoadTest receipts` signs one distinct
# transaction per request for the voter that sends it, under a new CA whose root the server is
# restarted with; Apple purchases with the same script. Each run prints rps, credited purchases/s,
# p50/p99/max, non-2xx, ratio=<credited/s / bare req/s>, and the purchases the server stored
# (counted in its database) beside the credited answers; at the end the wallet audit. Exits
# non-zero when wrk fails, the wallet audit is inconsistent, fewer purchases are stored than were
# answered as credited, or more than one per connection besides (requests in flight when wrk
# stops commit unanswered). Everything on 127.0.0.1, stopped on exit; output in
# artifacts/purchase-bench/<store>-<time>/ (gitignored), without the database, tokens or receipts.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
# shellcheck source-path=SCRIPTDIR source=../../scripts/lib/postgres.sh
source "$REPO/scripts/lib/postgres.sh"
BENCH_NAME=purchase-bench
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$REPO/tools/bench/lib.sh"

STORE=sqlite DURATION=30 WARMUP=10 VOTERS=2000 CONNECTIONS=64 THREADS=2 RECEIPTS=0 QUIET_LOAD=0 QUIET_WAIT=600
BUNDLE_ID=com.hangmeas.xfactor
PRODUCT=com.hangmeas.votes.10   # the demo's first package on iOS; the test store buys the same package

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while (($#)); do
  case "$1" in
    sqlite | postgres) STORE=$1 ;;
    --duration | -d) DURATION=$(whole "$1" "${2-}"); shift ;;
    --warmup) WARMUP=$(whole "$1" "${2-}"); shift ;;
    --voters) VOTERS=$(whole "$1" "${2-}"); shift ;;
    --connections | -c) CONNECTIONS=$(whole "$1" "${2-}"); shift ;;
    --threads | -t) THREADS=$(whole "$1" "${2-}"); shift ;;
    --receipts) RECEIPTS=$(whole "$1" "${2-}"); shift ;;
    --quiet-load) [[ "${2-}" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--quiet-load needs a number"; QUIET_LOAD=$2; shift ;;
    --quiet-wait) QUIET_WAIT=$(whole "$1" "${2-}"); shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
  shift
done
((CONNECTIONS >= THREADS)) || die "--connections must be at least --threads"

bench_env

OUT="$REPO/artifacts/purchase-bench/$STORE-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
LUA="$REPO/tools/bench/purchase.lua"
VOTERS_FILE="$OUT/voters.txt"
RECEIPTS_DIR="$OUT/receipts"
SAMPLER_PID=""

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  stop_pid "$SAMPLER_PID"
  stop_pid "$BARE_PID"
  stop_nodes
  # The database, the voters' tokens and the receipts signed for them are only good for this run.
  store_cleanup
  rm -f "$VOTERS_FILE" "$OUT"/bodies-*.txt
  rm -rf "$RECEIPTS_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# measure_server LABEL SCRIPT ARGS...: a measured run against the server, with the server's OS
# thread count sampled meanwhile (a pool thread blocked on I/O shows as the pool growing).
measure_server() {
  local label=$1
  shift
  threads_now > "$OUT/threads-$label.txt"
  (
    max=0
    while :; do
      n=$(threads_now)
      ((n > max)) && max=$n && echo "$max" >> "$OUT/threads-$label.txt"
      sleep 0.5
    done
  ) &
  SAMPLER_PID=$!
  wrk_run "$label" "http://$HOST:$SERVER_PORT" "$DURATION" "$LUA" "$@"
  stop_pid "$SAMPLER_PID"
  SAMPLER_PID=""
}

threads_now() { awk '/^Threads:/ { print $2 }' "/proc/${SERVER_PIDS[0]-0}/status" 2>/dev/null || echo 0; }

# count_purchases PLATFORM (test, ios): purchases of the platform in the server's database. (Not
# through GET /api/v1/admin/purchases: its before_id is not bound today, so its pages never end.)
count_purchases() { db_scalar "SELECT count(*) FROM purchases WHERE platform = '$1'"; }

ensure_wrk
command -v jq > /dev/null || die "jq is needed (Debian package jq)"
log "store $STORE, $DURATION s measured after $WARMUP s warm-up, $CONNECTIONS connections, $THREADS wrk threads, $VOTERS voters"
build_wrk_bench

# 1. The store, the server on a fresh database, and the voters.
# The voters sign in from one address and a few number blocks: lift the per-address and per-block code limits.
store_start "$STORE" voting_bench
SERVER_ARGS=("${STORE_ARGS[@]}" --Auth:CodesPerIpPerHour 10000000 --Auth:CodesPerPrefixPerHour 10000000
  --Purchases:TestStore:Enabled true --Purchases:Apple:BundleId "$BUNDLE_ID" --Purchases:Apple:Environment Sandbox)
pick_ports 1 5000

# start_server [ROOT_PEM]: with the App Store root the receipts were signed under, once there is one.
start_server() {
  local extra=()
  [[ -n "${1-}" ]] && extra=(--Purchases:Apple:RootCertificates:0 "$1")
  start_nodes 1 "${SERVER_ARGS[@]}" "${extra[@]}" --Logging:LogLevel:Default Warning --Logging:LogLevel:Microsoft.AspNetCore Warning
}

start_server
voters_setup "$VOTERS" 1 "$VOTERS_FILE"

PACKAGE=$(curl -sf "http://$HOST:$SERVER_PORT/api/v1/xfactor/vote_packages" |
  jq -r --arg p "$PRODUCT" '.data.packages[] | select(.ios_product_id == $p) | .id' | head -n 1)
if [[ -z "$PACKAGE" ]]; then
  log "no package sold as $PRODUCT: creating one"
  PACKAGE=$(curl -sf -X POST "http://$HOST:$SERVER_PORT/api/v1/admin/vote_packages" -H "X-Api-Key: $ADMIN_KEY" \
    -H 'content-type: application/json' -d "{\"name\":\"Bench 10\",\"vote_count\":10,\"price\":0.99,\"ios_product_id\":\"$PRODUCT\"}" |
    jq -r '.data.id') || die "could not create a package"
fi
log "package $PACKAGE ($PRODUCT) for both stores' purchases"
# Sign-in texts go through the outbox: let the dispatcher finish them before any measurement.
wait_until "the outbox dispatcher" "${SERVER_PIDS[0]}" 300 outbox_empty
stop_nodes

# 2. The bare endpoint, with the vote script (it answers cast_vote only; what it measures is the
#    web stack's own cost at these connections; it waits for the quiet load before measuring).
bare_measure "$WARMUP" "$DURATION" "$VOTERS_FILE"
LOAD_BARE=$BARE_LOAD

# 3. Test-store purchases.
start_server
log "test store: warm-up $WARMUP s (load average $(loadavg))"
wrk_run test-warmup "http://$HOST:$SERVER_PORT" "$WARMUP" "$LUA" test "$VOTERS_FILE" "tw$(date +%s)" "$PACKAGE"
sleep 1
TEST_BEFORE=$(count_purchases test)
wait_for_quiet "$QUIET_LOAD" "$QUIET_WAIT"
LOAD_TEST=$(loadavg)
log "test store: measuring $DURATION s (load average $LOAD_TEST)"
measure_server test test "$VOTERS_FILE" "tm$(date +%s)" "$PACKAGE"
sleep 2   # purchases in flight when wrk stopped commit now; wrk never saw their answers
TEST_AFTER=$(count_purchases test)

# 4. Receipts: one distinct signed transaction per request, enough that none repeats.
if ((RECEIPTS == 0)); then
  RECEIPTS=$(awk -v r="$(field credited_rps "$OUT/wrk-test.txt")" -v s=$((WARMUP + DURATION)) 'BEGIN { printf "%d", r * s * 1.5 + 2000 }')
fi
log "signing $RECEIPTS App Store transactions (Voting.LoadTest receipts)"
dotnet run -c Release --no-build --project tools/Voting.LoadTest -- receipts --url "http://$HOST:$SERVER_PORT" \
  --voters-file "$VOTERS_FILE" --count "$RECEIPTS" --out "$RECEIPTS_DIR" --product "$PRODUCT" > "$OUT/receipts.log" 2>&1 ||
  { tail -n 20 "$OUT/receipts.log" >&2; die "receipt generation failed"; }
stop_nodes
# Warm-up and measured run each get their own share, in proportion to their seconds (each has
# the same 1.5 margin), so no body is sent in both.
WARM_LINES=$((RECEIPTS * WARMUP / (WARMUP + DURATION)))
head -n "$WARM_LINES" "$RECEIPTS_DIR/bodies.txt" > "$OUT/bodies-warmup.txt"
tail -n +$((WARM_LINES + 1)) "$RECEIPTS_DIR/bodies.txt" > "$OUT/bodies-measured.txt"
rm -f "$RECEIPTS_DIR/bodies.txt"

# 5. Apple purchases, the server trusting the receipts' root.
start_server "$RECEIPTS_DIR/root.pem"
log "apple: warm-up $WARMUP s (load average $(loadavg))"
wrk_run apple-warmup "http://$HOST:$SERVER_PORT" "$WARMUP" "$LUA" bodies "$OUT/bodies-warmup.txt" "$THREADS"
sleep 1
APPLE_BEFORE=$(count_purchases ios)
wait_for_quiet "$QUIET_LOAD" "$QUIET_WAIT"
LOAD_APPLE=$(loadavg)
log "apple: measuring $DURATION s (load average $LOAD_APPLE)"
measure_server apple bodies "$OUT/bodies-measured.txt" "$THREADS"
sleep 2
APPLE_AFTER=$(count_purchases ios)
WALLETS=$(admin_get audit/wallets) || die "wallet audit failed"
echo "$WALLETS" > "$OUT/audit-wallets.json"
stop_nodes

# 6. Results and checks.
failed=0
BARE_RPS=$(field ok_rps "$OUT/wrk-bare.txt")
DATE=$(date -u +%Y-%m-%d)
ROWS=()
echo
echo "bare endpoint, cast_vote ($OUT/wrk-bare.txt), load average $LOAD_BARE:"
grep -E '^(cast_vote|latency|RESULT)' "$OUT/wrk-bare.txt" | sed 's/^/  /'

# report LABEL NAME STORED_BEFORE STORED_AFTER LOAD: one run's figures, checks and table row.
report() {
  local label=$1 name=$2 before=$3 after=$4 load=$5 f="$OUT/wrk-$1.txt" warm="$OUT/wrk-$1-warmup.txt"
  local credited rps stored warm_credited ratio non2xx errors
  credited=$(field credited "$f")
  warm_credited=$(field credited "$warm")
  stored=$((after - before))
  rps=$(field credited_rps "$f")
  ratio=$(awk -v s="$rps" -v b="$BARE_RPS" 'BEGIN { printf "%.3f", (b > 0 ? s / b : 0) }')
  non2xx=$(field non2xx "$f")
  errors=$(field errors "$f")
  echo "$name ($f), load average $load:"
  grep -E '^(purchases|latency|RESULT)' "$f" | sed 's/^/  /'
  echo "  ratio=$ratio (credited purchases/s $rps / bare 2xx req/s $BARE_RPS)"
  echo "  stored during the measured run: $stored purchases (in the database, $after after - $before before); credited answers: $credited"
  echo "  whole run: $after stored, credited answers (warm-up + measured) $((warm_credited + credited))"
  echo "  server threads: $(head -n 1 "$OUT/threads-$label.txt") before the measured run, at most $(tail -n 1 "$OUT/threads-$label.txt") during it"
  ((stored >= credited)) || { echo "FAIL: $credited purchases answered as credited but only $stored stored" >&2; failed=1; }
  ((stored <= credited + CONNECTIONS)) ||
    { echo "FAIL: $stored purchases stored, more than the $credited credited answers and one in flight per connection" >&2; failed=1; }
  (($(field repeats "$f") == 0 && $(field duplicates "$f") == 0)) ||
    echo "  note: $(field repeats "$f") bodies sent again, $(field duplicates "$f") duplicate answers: use a larger --receipts"
  ((non2xx == 0 && errors == 0)) || echo "  note: $non2xx non-2xx answers and $errors socket errors (see $f)"
  ROWS+=("$(printf '| %s | %s | %.0f | %.0f | %.0f | %s | %s ms | %s ms | %s ms | %s | %s / %s | %s | %s | %s | %s |' "$STORE" "$name" \
    "$BARE_RPS" "$(field rps "$f")" "$rps" "$ratio" "$(field p50_ms "$f")" "$(field p99_ms "$f")" "$(field max_ms "$f")" "$non2xx" \
    "$stored" "$credited" "$(head -n 1 "$OUT/threads-$label.txt") → $(tail -n 1 "$OUT/threads-$label.txt")" "${load%% *}" "$DATE" "$COMMIT")")
}
report test "test store" "$TEST_BEFORE" "$TEST_AFTER" "$LOAD_TEST"
report apple "apple" "$APPLE_BEFORE" "$APPLE_AFTER" "$LOAD_APPLE"

CONSISTENT=$(jq -r '.data.consistent' <<< "$WALLETS")
echo "wallet audit: $(jq -r '"\(.data.voters) voters, \(.data.mismatched) mismatched, consistent \(.data.consistent)"' <<< "$WALLETS")"
[[ "$CONSISTENT" == true ]] || { echo "FAIL: the wallet audit is inconsistent (see $OUT/audit-wallets.json)" >&2; failed=1; }
echo
echo "| store | purchases | bare req/s | req/s | credited/s | ratio | p50 | p99 | max | non-2xx | stored / credited | threads | load (1 min) | date | commit |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
printf '%s\n' "${ROWS[@]}"
exit "$failed"
