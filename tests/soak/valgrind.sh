#!/bin/sh
# valgrind memcheck over a short soak and over `hsrunbook triage` against the simulator in
# several scenarios: no definitely or indirectly lost block, no invalid access.
# usage: HSR_BIN=build/hsrunbook SOAK_BIN=build/tests/soak/soak sh tests/soak/valgrind.sh [ROUNDS]
set -u
ROUNDS=${1:-360}
BIN=${HSR_BIN:-build/hsrunbook}
SOAK=${SOAK_BIN:-build/tests/soak/soak}
OUT=$(mktemp -d /tmp/hsr-valgrind-XXXXXX)
VG="valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --error-exitcode=99"
fail=0

# One line from a valgrind log: errors, and what was lost (0 when every block was freed).
summary() {
	errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$1" | tail -n 1)
	def=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$1" | tail -n 1)
	ind=$(sed -n 's/.*indirectly lost: \([0-9,]*\) bytes.*/\1/p' "$1" | tail -n 1)
	allocs=$(sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' "$1" | tail -n 1)
	echo "${errs:-?} errors, definitely lost ${def:-0} bytes, indirectly lost ${ind:-0} bytes (${allocs:-?} allocs)"
}

# valgrind's own verdict: exit 99 means an error or a leak; show the log then.
verdict() { # name rc log
	if [ "$2" = 99 ] || ! grep -q "ERROR SUMMARY: 0 errors" "$3"; then
		echo "valgrind: $1: FAIL: $(summary "$3")"
		sed -n '/Invalid\|lost in loss record/,+12p' "$3" | head -n 60
		fail=1
	else
		echo "valgrind: $1: $(summary "$3")"
	fi
}

$VG --log-file="$OUT/soak.log" "$SOAK" "$ROUNDS" $((ROUNDS / 3)) --per-scenario=10 \
	--no-growth-check >"$OUT/soak.out" 2>&1
rc=$?
tail -n 2 "$OUT/soak.out" | head -n 1
[ "$rc" = 0 ] || [ "$rc" = 99 ] || { echo "valgrind: soak exited $rc"; cat "$OUT/soak.out"; fail=1; }
verdict "soak $ROUNDS rounds" "$rc" "$OUT/soak.log"

for scen in healthy hubspot-outage token-revoked daily-limit server-errors hang app-down; do
	"$BIN" simulate --scenario "$scen" --port 0 >"$OUT/sim.out" 2>&1 &
	sim=$!
	url=""
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		url=$(head -n 1 "$OUT/sim.out" 2>/dev/null | grep '^http://127\.0\.0\.1:')
		[ -n "$url" ] && break
		sleep 0.25
	done
	if [ -z "$url" ]; then
		echo "valgrind: simulator ($scen) did not start"; kill "$sim" 2>/dev/null; fail=1; continue
	fi
	HUBSPOT_ACCESS_TOKEN=pat-na1-valgrind-test XDG_CONFIG_HOME=/nonexistent-hsr \
		$VG --log-file="$OUT/triage.log" "$BIN" triage --json --timeout 2 \
		--status-url "$url/api/v2/summary.json" --api-base "$url" \
		--health-url "$url/health" >"$OUT/triage.out" 2>&1
	rc=$?
	kill "$sim" 2>/dev/null
	wait "$sim" 2>/dev/null
	# triage exits with its leaf's code (0, 10..18); 1 and 2 would be our own failure.
	case "$rc" in
	0 | 1[0-9] | 2[0-9] | 99) ;;
	*) echo "valgrind: triage ($scen) exited $rc"; cat "$OUT/triage.out"; fail=1 ;;
	esac
	verdict "triage $scen (exit $rc)" "$rc" "$OUT/triage.log"
done
rm -rf "$OUT"
exit $fail
