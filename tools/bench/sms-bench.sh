#!/usr/bin/env bash
# SMS webhook with wrk (issue 13, goal 4): signed Smart texts processed per second on one store,
# with replies and charges delivered over HTTP to a local fake carrier during the run, against a
# bare ASP.NET Core endpoint and (with --with-app-votes) the app-vote rate in the same run.
#
#   tools/bench/sms-bench.sh [sqlite|postgres] [--duration S] [--warmup S] [--connections C]
#                            [--threads T] [--numbers N] [--texts N] [--with-app-votes [--voters N]]
#                            [--drain-timeout S] [--order sequential|random]
#
# Defaults: sqlite, 30 s measured after 10 s warm-up, 256 connections, 2 wrk threads, texts from
# 100,000 Smart numbers in turn, 20,000 texts per second of warm-up and measured run written in
# advance (--texts: the total; each number may send 50 a day, so texts <= 50 x numbers), 20,000
# app voters, 120 s for the outbox to drain.
# --order random: the texts in random order (the numbers no longer text in turn) and each app
# vote from a voter picked at random (cast_vote.lua's VOTER_ORDER=random), as a real audience
# arrives; the default (sequential) keeps neighbouring voters in a batch, which flatters both
# stores (BENCHMARKS.md, "Voter order"), and keeps the earlier rows comparable.
# Steps: Release build; the fake carrier (Voting.LoadTest carrier, counting only) on 127.0.0.1;
# for postgres a throwaway cluster (scripts/lib/postgres.sh); the server on a fresh database with
# Smart's secret and every carrier's outbound, charge and refund URL pointing at the fake carrier,
# credentials of this run; with --with-app-votes, voters signed in and credited (their sign-in
# texts go to the fake carrier too); the signed texts written by `Voting.LoadTest sms-requests`
# (the warm-up's and the measured run's apart, no text sent twice); the bare endpoint
# (tools/Voting.Bare, tools/bench/cast_vote.lua) alone; the server again: with --with-app-votes
# app votes (cast_vote.lua) warm-up and measured run; texts (tools/bench/sms.lua) warm-up, the
# outbox drained, the measured run, then the seconds until the outbox is drained again. Prints
# each result, ratio=<texts/s / bare req/s>, sms/app=<texts/s / app votes/s>, the drain time and a
# BENCHMARKS.md table row. Exits non-zero when wrk fails or runs out of texts in the measured
# run, the audit is inconsistent, the texts processed and the SMS votes and messages counted
# disagree, a charge is not confirmed, an outbox row is dead or not delivered within
# --drain-timeout, or the fake carrier's accepted texts and charges differ from what the server
# recorded as delivered. Everything runs on 127.0.0.1 and is stopped on exit; logs and wrk
# output stay in artifacts/sms-bench/<store>-<time>/ (gitignored), the database, voters and texts do not.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
# shellcheck source-path=SCRIPTDIR source=../../scripts/lib/postgres.sh
source "$REPO/scripts/lib/postgres.sh"
BENCH_NAME=sms-bench
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$REPO/tools/bench/lib.sh"

STORE=sqlite DURATION=30 WARMUP=10 CONNECTIONS=256 THREADS=2 NUMBERS=100000 TEXTS=0 APP_VOTES=0 VOTERS=20000 DRAIN_TIMEOUT=120
VOTER_ORDER=sequential
TEXTS_PER_SECOND=20000   # texts written per second of load when --texts is not given
CREDIT=100000            # paid votes per app voter: far more than any run casts

usage() { sed -n '2,33p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while (($#)); do
  case "$1" in
    sqlite | postgres) STORE=$1 ;;
    --duration | -d) DURATION=$(whole "$1" "${2-}"); shift ;;
    --warmup) WARMUP=$(whole "$1" "${2-}"); shift ;;
    --connections | -c) CONNECTIONS=$(whole "$1" "${2-}"); shift ;;
    --threads | -t) THREADS=$(whole "$1" "${2-}"); shift ;;
    --numbers) NUMBERS=$(whole "$1" "${2-}"); shift ;;
    --texts) TEXTS=$(whole "$1" "${2-}"); shift ;;
    --with-app-votes) APP_VOTES=1 ;;
    --voters) VOTERS=$(whole "$1" "${2-}"); shift ;;
    --drain-timeout) DRAIN_TIMEOUT=$(whole "$1" "${2-}"); shift ;;
    --order) [[ "${2-}" =~ ^(sequential|random)$ ]] || die "--order is sequential or random"; VOTER_ORDER=$2; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
  shift
done
((CONNECTIONS >= THREADS)) || die "--connections must be at least --threads"
# cast_vote.lua reads it (the default set above, so a caller's environment never picks it silently).
export VOTER_ORDER
unset PACE_MS   # no think time (vote-bench.sh --rate): the app votes go as fast as they can
((TEXTS > 0)) || TEXTS=$((TEXTS_PER_SECOND * (WARMUP + DURATION)))
((TEXTS <= NUMBERS * 50)) || die "$TEXTS texts from $NUMBERS numbers is over the 50 SMS votes a number may cast a day: use --numbers $(((TEXTS + 49) / 50)) or more"

bench_env
OUT="$REPO/artifacts/sms-bench/$STORE-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
SMS_LUA="$REPO/tools/bench/sms.lua"
VOTE_LUA="$REPO/tools/bench/cast_vote.lua"
TOOL_BIN="$REPO/tools/Voting.LoadTest/bin/Release/net10.0"
VOTERS_FILE="$OUT/voters.txt"
TEXTS_FILE="$OUT/texts.txt"
# Credentials of this run only: the server checks them on webhooks and sends them to the carrier.
SMART_SECRET="bench-smart-$RANDOM$RANDOM" CELLCARD_TOKEN="bench-cellcard-$RANDOM$RANDOM" METFONE_KEY="bench-metfone-$RANDOM$RANDOM"
CARRIER_PID=""

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  stop_pid "$BARE_PID"
  stop_nodes
  stop_pid "$CARRIER_PID"
  store_cleanup
  # The voters' tokens and the texts signed with this run's secret are only good for this run.
  rm -f "$VOTERS_FILE" "$TEXTS_FILE" "$OUT"/texts-*.txt
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

carrier_stats() { curl -sf "http://$HOST:$CARRIER_PORT/stats"; }
sms_stats() { admin_get "episodes/$EPISODE/sms"; }
# delivered KIND: the server's outbox rows of KIND delivered so far (no endpoint counts them all).
delivered() { db_scalar "SELECT count(*) FROM outbox WHERE kind = '$1' AND status = 'delivered'"; }
counted() { jq '[.data.carriers[].counted] | add // 0' <<< "$1"; }

# drain_seconds START: seconds from START (date +%s.%N) until no outbox row is pending (and still
# none a second later: a batch in flight when the load stopped may add rows just after a first
# empty look); dies after --drain-timeout.
drain_seconds() {
  local start=$1 now
  while :; do
    while ! outbox_empty > /dev/null 2>&1; do
      now=$(date +%s.%N)
      awk -v a="$start" -v b="$now" -v t="$DRAIN_TIMEOUT" 'BEGIN { exit !(b - a > t) }' &&
        die "the outbox still had pending rows $DRAIN_TIMEOUT s after the load stopped"
      kill -0 "${SERVER_PIDS[0]}" 2>/dev/null || die "the server exited"
      sleep 0.1
    done
    now=$(date +%s.%N)
    sleep 1
    outbox_empty > /dev/null 2>&1 && break
  done
  awk -v a="$start" -v b="$now" 'BEGIN { printf "%.1f", b - a }'
}

ensure_wrk
command -v jq > /dev/null || die "jq is needed (Debian package jq)"
log "store $STORE, $DURATION s measured after $WARMUP s warm-up, $CONNECTIONS connections, $THREADS wrk threads,"
log "$TEXTS texts from $NUMBERS Smart numbers$( ((APP_VOTES)) && echo ", app votes from $VOTERS voters")"
build_wrk_bench

# 1. The fake carrier, the store, and the server pointed at the carrier. The app voters sign in
# from one address and a few number blocks, and vote far past 100 requests a minute: the
# per-address and per-block code limits and the per-voter rate limit are lifted.
store_start "$STORE" voting_bench
SERVER_ARGS=("${STORE_ARGS[@]}" --Auth:CodesPerIpPerHour 10000000 --Auth:CodesPerPrefixPerHour 10000000
  --Voting:VoteRequestsPerMinute 1000000 --Logging:LogLevel:Default Warning --Logging:LogLevel:Microsoft.AspNetCore Warning)
pick_ports 1 5000
CARRIER_PORT=$(_pg_free_port $((SERVER_PORT + 200))) || die "no free port"
(cd "$OUT" && exec dotnet "$TOOL_BIN/Voting.LoadTest.dll" carrier --port "$CARRIER_PORT" \
  --smart-secret "$SMART_SECRET" --cellcard-token "$CELLCARD_TOKEN" --metfone-key "$METFONE_KEY" > "$OUT/carrier.log" 2>&1) &
CARRIER_PID=$!
wait_until "the fake carrier" "$CARRIER_PID" 60 carrier_stats
log "fake carrier on http://$HOST:$CARRIER_PORT"
SERVER_ARGS+=(--Sms:Smart:Secret "$SMART_SECRET" --Sms:Cellcard:ApiToken "$CELLCARD_TOKEN" --Sms:Metfone:ApiKey "$METFONE_KEY")
for carrier in Smart Cellcard Metfone; do
  path=$(tr '[:upper:]' '[:lower:]' <<< "$carrier")
  SERVER_ARGS+=("--Sms:$carrier:OutboundUrl" "http://$HOST:$CARRIER_PORT/$path/sms"
    "--Sms:$carrier:ChargeUrl" "http://$HOST:$CARRIER_PORT/$path/charge" "--Sms:$carrier:RefundUrl" "http://$HOST:$CARRIER_PORT/$path/refund")
done

start_nodes 1 "${SERVER_ARGS[@]}"
episode_read
log "episode $EPISODE, contestants $CONTESTANTS, ballots $BALLOTS"
if ((APP_VOTES)); then
  voters_setup "$VOTERS" "$CREDIT" "$VOTERS_FILE"
else
  echo "1 Bearer bare-endpoint-only" > "$VOTERS_FILE"   # the bare endpoint reads no token
fi
# Sign-in texts go through the outbox to the fake carrier: delivered now, not during a measurement.
wait_until "the outbox dispatcher" "${SERVER_PIDS[0]}" 300 outbox_empty
stop_nodes

# 2. The texts, signed in advance (wrk has no HMAC): the warm-up's share and the measured run's.
log "signing $TEXTS texts (Voting.LoadTest sms-requests)"
dotnet "$TOOL_BIN/Voting.LoadTest.dll" sms-requests --secret "$SMART_SECRET" --count "$TEXTS" --numbers "$NUMBERS" \
  --ballots "$BALLOTS" --out "$TEXTS_FILE" > "$OUT/sms-requests.log" 2>&1 || { cat "$OUT/sms-requests.log" >&2; die "sms-requests failed"; }
if [[ "$VOTER_ORDER" == random ]]; then
  shuf -o "$TEXTS_FILE.shuffled" "$TEXTS_FILE" && mv "$TEXTS_FILE.shuffled" "$TEXTS_FILE"
fi
WARM_TEXTS=$((TEXTS * WARMUP / (WARMUP + DURATION)))
head -n "$WARM_TEXTS" "$TEXTS_FILE" > "$OUT/texts-warmup.txt"
tail -n +$((WARM_TEXTS + 1)) "$TEXTS_FILE" > "$OUT/texts-measured.txt"
rm -f "$TEXTS_FILE"

# 3. The bare endpoint alone (the server stopped).
bare_measure "$WARMUP" "$DURATION" "$VOTERS_FILE"

# 4. The server again, on the same database: app votes (with --with-app-votes), then texts.
start_nodes 1 "${SERVER_ARGS[@]}"
if ((APP_VOTES)); then
  log "app votes: warm-up $WARMUP s (load average $(loadavg))"
  wrk_run app-warmup "http://$HOST:$SERVER_PORT" "$WARMUP" "$VOTE_LUA" "$VOTERS_FILE" "$CONTESTANTS" "aw$(date +%s)"
  settle
  sleep 1
  APP_BEFORE=$(audit) || die "audit failed"
  log "app votes: measuring $DURATION s (load average $(loadavg))"
  wrk_run app "http://$HOST:$SERVER_PORT" "$DURATION" "$VOTE_LUA" "$VOTERS_FILE" "$CONTESTANTS" "am$(date +%s)"
  sleep 2   # votes in flight when wrk stopped commit now
  APP_AFTER=$(audit) || die "audit failed"
fi

log "texts: warm-up $WARMUP s (load average $(loadavg))"
wrk_run sms-warmup "http://$HOST:$SERVER_PORT" "$WARMUP" "$SMS_LUA" "$OUT/texts-warmup.txt" "$THREADS"
# The measured run starts with an empty outbox: its replies and charges, and no earlier ones, are
# delivered during it and in the drain after it.
wait_until "the outbox dispatcher" "${SERVER_PIDS[0]}" "$DRAIN_TIMEOUT" outbox_empty
settle
sleep 1
SMS_BEFORE=$(sms_stats) || die "SMS stats failed"
BEFORE=$(audit) || die "audit failed"
VOTERS_BEFORE=$(db_scalar "SELECT count(*) FROM voters")
log "texts: measuring $DURATION s (load average $(loadavg))"
wrk_run sms "http://$HOST:$SERVER_PORT" "$DURATION" "$SMS_LUA" "$OUT/texts-measured.txt" "$THREADS"
STOPPED=$(date +%s.%N)
BACKLOG=$(db_scalar "SELECT count(*) FROM outbox WHERE status = 'pending'")
DRAIN=$(drain_seconds "$STOPPED")
log "outbox drained $DRAIN s after the load stopped ($BACKLOG rows pending then)"
AFTER=$(audit) || die "audit failed"
NEW_NUMBERS=$(($(db_scalar "SELECT count(*) FROM voters") - VOTERS_BEFORE))
SMS_AFTER=$(sms_stats) || die "SMS stats failed"
CARRIER=$(carrier_stats) || die "the fake carrier's stats failed"
DELIVERED_SMS=$(delivered sms) DELIVERED_CHARGES=$(delivered charge)
DEAD=$(db_scalar "SELECT count(*) FROM outbox WHERE status = 'dead'")
echo "$BEFORE" > "$OUT/audit-before.json"
echo "$AFTER" > "$OUT/audit-after.json"
echo "$SMS_AFTER" > "$OUT/sms-after.json"
echo "$CARRIER" > "$OUT/carrier-stats.json"

# 5. Results and checks.
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }
S="$OUT/wrk-sms.txt"
echo
echo "bare endpoint ($OUT/wrk-bare.txt):"
grep -E '^(cast_vote|latency|RESULT)' "$OUT/wrk-bare.txt" | sed 's/^/  /'
BARE_RPS=$(field ok_rps "$OUT/wrk-bare.txt")
APP_RPS=""
if ((APP_VOTES)); then
  echo "app votes, $STORE ($OUT/wrk-app.txt):"
  grep -E '^(cast_vote|latency|RESULT)' "$OUT/wrk-app.txt" | sed 's/^/  /'
  APP_RPS=$(field ok_rps "$OUT/wrk-app.txt")
  APP_OK=$(field ok "$OUT/wrk-app.txt")
  APP_COMMITTED=$(($(jq -r '.data.ledger_votes' <<< "$APP_AFTER") - $(jq -r '.data.ledger_votes' <<< "$APP_BEFORE")))
  echo "  committed during the measured run: $APP_COMMITTED votes, 2xx seen by wrk: $APP_OK"
  ((APP_COMMITTED >= APP_OK)) || fail "$APP_OK app votes answered 2xx but only $APP_COMMITTED committed"
fi
echo "texts, $STORE ($S):"
grep -E '^(sms|latency|WARNING|RESULT)' "$S" | sed 's/^/  /'

SMS_RPS=$(field ok_rps "$S")
OK=$(field ok "$S")
WARM_OK=$(field ok "$OUT/wrk-sms-warmup.txt")
REFUSED=$(field refused "$S")
NON2XX=$(field non2xx "$S")
ERRORS=$(field errors "$S")
RATIO=$(awk -v s="$SMS_RPS" -v b="$BARE_RPS" 'BEGIN { printf "%.3f", (b > 0 ? s / b : 0) }')
COUNTED=$(($(counted "$SMS_AFTER") - $(counted "$SMS_BEFORE")))
SMS_VOTES=$(($(jq '.data.votes' <<< "$SMS_AFTER") - $(jq '.data.votes' <<< "$SMS_BEFORE")))
LEDGER=$(($(jq -r '.data.ledger_votes' <<< "$AFTER") - $(jq -r '.data.ledger_votes' <<< "$BEFORE")))
echo
echo "ratio=$RATIO (texts processed/s $SMS_RPS / bare 2xx req/s $BARE_RPS)"
if ((APP_VOTES)); then
  echo "sms/app=$(awk -v s="$SMS_RPS" -v a="$APP_RPS" 'BEGIN { printf "%.3f", (a > 0 ? s / a : 0) }') (texts processed/s $SMS_RPS / app votes/s $APP_RPS; goal >= 0.5, p99 <= 100 ms)"
fi
echo "outbox drained $DRAIN s after the load stopped (goal <= 10 s); $BACKLOG rows were pending when it stopped"
echo "measured run: $OK texts processed (wrk), $COUNTED messages counted, $SMS_VOTES SMS votes and $LEDGER votes committed (audit after - before)"
echo "texts of the measured run from numbers texting for the first time (a voter inserted, the welcome in the reply): $NEW_NUMBERS"
echo "whole run: $((WARM_OK + OK)) texts processed (wrk, warm-up + measured), $(counted "$SMS_AFTER") messages counted, $(jq '.data.votes' <<< "$SMS_AFTER") SMS votes"
echo "charges: $(jq -c '[.data.carriers[] | {(.carrier): .charges}] | add' <<< "$SMS_AFTER")"
echo "server delivered: $DELIVERED_SMS texts, $DELIVERED_CHARGES charges; dead letters: $DEAD"
echo "fake carrier accepted: $(jq -c . <<< "$CARRIER")"
echo "audit: tallies consistent $(jq -r '.data.consistent' <<< "$AFTER"), voter counters consistent $(jq -r '.data.voter_counters_consistent' <<< "$AFTER"), digest $(jq -r '.data.digest' <<< "$AFTER")"

[[ "$(jq -r '.data.consistent and .data.voter_counters_consistent' <<< "$AFTER")" == true ]] ||
  fail "the audit reports inconsistent tallies or voter counters"
(($(field ran_out "$S") == 0)) || fail "wrk ran out of texts in the measured run: the rate is too low; use a larger --texts"
((COUNTED >= OK)) || fail "$OK texts answered processed but only $COUNTED messages counted"
((COUNTED <= OK + CONNECTIONS)) || fail "$COUNTED messages counted, more than the $OK processed and one in flight per connection"
((SMS_VOTES == COUNTED)) || fail "$COUNTED messages counted but $SMS_VOTES SMS votes"
((LEDGER == SMS_VOTES)) || fail "$LEDGER votes reached the ledger during the measured run but $SMS_VOTES SMS votes"
(($(counted "$SMS_AFTER") >= WARM_OK + OK)) || fail "fewer messages counted than texts answered processed"
jq -e '[.data.carriers[].charges | .pending + .failed + .unknown] | add // 0 | . == 0' <<< "$SMS_AFTER" > /dev/null ||
  fail "charges not confirmed after the drain (see $OUT/sms-after.json)"
(($(jq '[.data.carriers[].charges.confirmed] | add // 0' <<< "$SMS_AFTER") == $(counted "$SMS_AFTER"))) ||
  fail "confirmed charges differ from counted messages (see $OUT/sms-after.json)"
((DEAD == 0)) || fail "$DEAD dead letters in the outbox"
ACCEPTED_SMS=$(jq '[.smart.sms, .cellcard.sms, .metfone.sms] | add' <<< "$CARRIER")
ACCEPTED_CHARGES=$(jq '[.smart.charge, .cellcard.charge, .metfone.charge] | add' <<< "$CARRIER")
# The fake carrier counts each idempotency key once, as a carrier honouring the key sends and bills it once.
((ACCEPTED_SMS == DELIVERED_SMS)) || fail "the fake carrier accepted $ACCEPTED_SMS texts (distinct keys), the server delivered $DELIVERED_SMS"
((ACCEPTED_CHARGES == DELIVERED_CHARGES)) || fail "the fake carrier accepted $ACCEPTED_CHARGES charges (distinct keys), the server delivered $DELIVERED_CHARGES"
for carrier in smart cellcard metfone; do
  confirmed=$(jq --arg c "$carrier" '[.data.carriers[] | select(.carrier == $c) | .charges.confirmed] | add // 0' <<< "$SMS_AFTER")
  accepted=$(jq --arg c "$carrier" '.[$c].charge' <<< "$CARRIER")
  ((confirmed == accepted)) || fail "$carrier: $confirmed charges confirmed, the fake carrier accepted $accepted"
done
(($(jq '.unauthorized + .failed + .unknown' <<< "$CARRIER") == 0)) || fail "the fake carrier refused requests (see $OUT/carrier-stats.json)"
REPEATED=$(jq '.repeated' <<< "$CARRIER")
# Delivery is at least once: a request whose answer was lost or late (a timeout, a lease run out) is sent again with its key.
((REPEATED == 0)) || echo "note: $REPEATED requests repeated a key the fake carrier had already accepted (sent again after a timeout or an expired lease)"
((REFUSED == 0)) || echo "note: $REFUSED texts refused (200 failed): see the refusals in $OUT/sms-after.json"
((NON2XX == 0 && ERRORS == 0)) || echo "note: $NON2XX non-200 answers and $ERRORS socket errors (see $S)"

echo
echo "| store | bare req/s | app votes/s | texts/s | SMS/app | SMS/bare | p50 | p99 | drain | refused | non-2xx | date | commit |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
printf '| %s | %.0f | %s | %.0f | %s | %s | %s ms | %s ms | %s s | %s | %s | %s | %s |\n' "$STORE$( [[ $VOTER_ORDER == sequential ]] || echo ", random order")" "$BARE_RPS" \
  "$( ((APP_VOTES)) && printf '%.0f' "$APP_RPS" || echo "")" "$SMS_RPS" \
  "$( ((APP_VOTES)) && awk -v s="$SMS_RPS" -v a="$APP_RPS" 'BEGIN { printf "%.3f", (a > 0 ? s / a : 0) }' || echo "")" \
  "$RATIO" "$(field p50_ms "$S")" "$(field p99_ms "$S")" "$DRAIN" "$REFUSED" "$NON2XX" "$(date -u +%Y-%m-%d)" "$COMMIT"
exit "$failed"
