#!/usr/bin/env bash
# The long crash campaign (issue 12, RELIABILITY.md): on each store, N rounds (default 100) of
# mixed load on a real server process SIGKILLed at a random moment, every promise checked after
# each restart (tests/Voting.Server.Tests/Reliability/CrashCampaign.cs; CI runs 3 rounds).
#
#   scripts/crash-campaign.sh [rounds] [Sqlite|Postgres]
#
# Appends one line per round to TestResults/crash-campaign.txt and prints a summary per store:
# rounds (= kills), acknowledged votes, texts, credits, purchases, lost, double-counted, overspent.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
ROUNDS=${1:-100}
STORE=${2:-}
REPORT="$REPO/TestResults/crash-campaign.txt"
mkdir -p "$REPO/TestResults"
rm -f "$REPORT"

rc=0
XFACTOR_CAMPAIGN_ROUNDS=$ROUNDS XFACTOR_CAMPAIGN_REPORT=$REPORT XFACTOR_TEST_HANG_TIMEOUT=${XFACTOR_TEST_HANG_TIMEOUT:-180m} \
  bash scripts/test.sh --filter "FullyQualifiedName~${STORE}CrashCampaignTests" || rc=$?

echo "--- crash campaign: $ROUNDS rounds per store (details: $REPORT)"
[[ -f "$REPORT" ]] || { echo "no round completed"; exit 1; }
awk '
  {
    store = $1; rounds[store]++
    for (i = 1; i <= NF; i++) {
      gsub(/[,;]/, "", $(i + 1))
      if ($i == "votes") votes[store] += $(i + 1)
      if ($i == "texts") texts[store] += $(i + 1)
      if ($i == "credits") credits[store] += $(i + 1)
      if ($i == "purchases") purchases[store] += $(i + 1)
      if ($i == "unsettled") unsettled[store] += $(i + 1)
      if ($i == "lost") lost[store] += $(i + 1)
      if ($i == "double-counted") doubled[store] += $(i + 1)
      if ($i == "overspent") overspent[store] += $(i + 1)
      if ($i == "mismatches") mismatches[store] += $(i + 1)
    }
  }
  END {
    for (s in rounds)
      printf "%s: %d rounds, %d kills; acknowledged %d votes, %d texts, %d credits, %d purchases; %d votes not acknowledged (refused, or in flight at the kill) sent again; lost %d, double-counted %d, overspent %d, replay mismatches %d\n",
        s, rounds[s], rounds[s], votes[s], texts[s], credits[s], purchases[s], unsettled[s], lost[s], doubled[s], overspent[s], mismatches[s]
  }' "$REPORT"
exit "$rc"
