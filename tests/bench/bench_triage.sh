#!/bin/sh
# Benchmark: `hsrunbook triage` against the simulator with 300 ms added to every answer, beside
# (a) one round trip (a single curl of the API) and (b) the hand-run runbook's four requests made one
# after another with curl. Prints wall times (median of RUNS) and the ratios.
set -eu
BIN=${HSR_BIN:-build/hsrunbook}
RUNS=${RUNS:-7}
DELAY=${DELAY:-300}
TOKEN=pat-bench-not-a-secret
tmp=$(mktemp -d)
trap 'kill $SIM_PID 2>/dev/null || true; rm -rf "$tmp"' EXIT INT TERM

"$BIN" simulate --scenario healthy --delay "$DELAY" >"$tmp/sim.out" 2>&1 &
SIM_PID=$!
i=0
while [ ! -s "$tmp/sim.out" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
BASE=$(head -n 1 "$tmp/sim.out")
case "$BASE" in http://127.0.0.1:*) ;; *) echo "bench: simulator did not start"; exit 1 ;; esac

now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

one_trip() {
	curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "$BASE/crm/v3/objects/contacts?limit=1"
}
# What RUNBOOK-TODAY's triage script does: four requests, one after another (two of them to the API).
sequential() {
	curl -s "$BASE/api/v2/summary.json" >/dev/null
	curl -so /dev/null -w "%{http_code}" -H "Authorization: Bearer $TOKEN" \
		"$BASE/crm/v3/objects/contacts?limit=1" >/dev/null
	curl -sI -H "Authorization: Bearer $TOKEN" "$BASE/crm/v3/objects/contacts?limit=1" >/dev/null
	curl -sf "$BASE/health" >/dev/null
}
triage() {
	HUBSPOT_ACCESS_TOKEN=$TOKEN XDG_CONFIG_HOME=/nonexistent "$BIN" triage --json \
		--status-url "$BASE/api/v2/summary.json" --api-base "$BASE" --health-url "$BASE/health" \
		>"$tmp/triage.json" || true
}
measure() {
	r=0
	while [ $r -lt "$RUNS" ]; do
		t0=$(now_ms); "$1"; t1=$(now_ms)
		echo $((t1 - t0))
		r=$((r + 1))
	done | median
}

one=$(measure one_trip)
seq=$(measure sequential)
tri=$(measure triage)
curl -s -X POST --data healthy "$BASE/_sim/scenario" >/dev/null
before=$(curl -s "$BASE/_sim/requests" | grep -o '"/crm/[^"]*"' | wc -l)
triage
after=$(curl -s "$BASE/_sim/requests" | grep -o '"/crm/[^"]*"' | wc -l)
api_calls=$(grep -o '"api_requests": [0-9]*' "$tmp/triage.json" | grep -o '[0-9]*$')

echo "bench_triage: delay ${DELAY} ms per answer, median of ${RUNS} runs"
echo "  one round trip (1 curl)           ${one} ms"
echo "  runbook script (4 curls in turn)  ${seq} ms"
echo "  hsrunbook triage (4 probes)       ${tri} ms"
awk -v t="$tri" -v o="$one" -v s="$seq" 'BEGIN {
	printf "  triage / one round trip          %.2fx (target <= 1.20)\n", t / o
	printf "  triage / runbook script          %.2fx (target <= 0.33)\n", t / s }'
echo "  CRM API requests per triage       $((after - before)) (runbook script: 2)"
echo "  HubSpot API requests per triage   ${api_calls} (CRM call + usage call)"
