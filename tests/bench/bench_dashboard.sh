#!/bin/sh
# Benchmark: the dashboard running against the simulator, each figure beside a baseline measured in
# the same run: idle CPU (vs `top -b -d 1`), bytes written to the terminal while nothing changes
# (vs `top -d 1` drawing in the same terminal), peak RSS (vs top), and key-to-screen latency while
# every probe hangs (vs `cat` echoing a key in the same tmux). SECONDS_IDLE sets the idle window.
set -eu
BIN=${HSR_BIN:-build/hsrunbook}
IDLE=${SECONDS_IDLE:-60}
SOCK=hsrbench$$
tmp=$(mktemp -d)
T="tmux -L $SOCK -f /dev/null"
SIM_PID=
cleanup() { $T kill-server 2>/dev/null || true; [ -n "$SIM_PID" ] && kill "$SIM_PID"; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
export LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=/nonexistent XDG_STATE_HOME="$tmp/state"

now_ms() { echo $(($(date +%s%N) / 1000000)); }
clk=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hwm_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }
pane_pid() { $T display-message -p -t "$1" '#{pane_pid}'; }
wait_text() { # window text timeout_ms -> prints elapsed ms or fails
	t0=$(now_ms)
	while :; do
		if $T capture-pane -p -t "$1" | grep -q "$2"; then echo $(($(now_ms) - t0)); return 0; fi
		[ $(($(now_ms) - t0)) -gt "$3" ] && return 1
	done
}

# The dashboard alone, against a simulator in its own process (as against HubSpot).
"$BIN" simulate --scenario healthy >"$tmp/sim.out" 2>&1 &
SIM_PID=$!
i=0
while [ ! -s "$tmp/sim.out" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
BASE=$(head -n 1 "$tmp/sim.out")
$T new-session -d -s bench -x 80 -y 24 -n dash "HUBSPOT_ACCESS_TOKEN=pat-bench exec $BIN \
	--status-url $BASE/api/v2/summary.json --api-base $BASE --health-url $BASE/health"
$T new-window -d -t bench -n top "exec top -d 1"
$T new-window -d -t bench -n topb "exec sh -c 'exec top -b -d 1 >/dev/null'"
wait_text bench:dash 'status' 10000 >/dev/null || { echo "bench: dashboard did not start"; exit 1; }
sleep 3 # let the first round of probes land
DPID=$(pane_pid bench:dash); TPID=$(pane_pid bench:top); BPID=$(pane_pid bench:topb)
: >"$tmp/dash.out"; : >"$tmp/top.out"
$T pipe-pane -o -t bench:dash "cat >>$tmp/dash.out"
$T pipe-pane -o -t bench:top "cat >>$tmp/top.out"
d0=$(cpu_ticks "$DPID"); b0=$(cpu_ticks "$BPID")
sleep "$IDLE"
d1=$(cpu_ticks "$DPID"); b1=$(cpu_ticks "$BPID")
$T pipe-pane -t bench:dash; $T pipe-pane -t bench:top
dbytes=$(wc -c <"$tmp/dash.out"); tbytes=$(wc -c <"$tmp/top.out")
drss=$(hwm_kb "$DPID"); trss=$(hwm_kb "$TPID")

# Key latency while every probe hangs: `?` opens help; baseline: cat echoing a key.
$T new-window -d -t bench -n hang "exec $BIN --demo hang"
$T new-window -d -t bench -n cat "exec cat"
wait_text bench:hang 'probing' 10000 >/dev/null || { echo "bench: hang demo did not start"; exit 1; }
sleep 1
lat=""; base=""
for i in 1 2 3 4 5; do
	$T send-keys -t bench:hang '?'
	l=$(wait_text bench:hang 'Keys' 3000) || l=9999
	$T send-keys -t bench:hang Escape
	wait_text bench:hang 'probing' 3000 >/dev/null || true
	$T send-keys -t bench:cat "x$i"
	b=$(wait_text bench:cat "x$i" 3000) || b=9999
	lat="$lat $l"; base="$base $b"
done
med() { echo "$@" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
lm=$(med $lat); bm=$(med $base)

echo "bench_dashboard: ${IDLE} s idle at 80x24, healthy simulator (baselines measured in the same run)"
awk -v d=$((d1 - d0)) -v b=$((b1 - b0)) -v c="$clk" -v s="$IDLE" 'BEGIN {
	printf "  idle CPU        hsrunbook %.2f s = %.3f%% of a core   top -b -d 1 %.2f s = %.3f%%  (target < 0.5%%)\n",
		d / c, 100 * d / c / s, b / c, 100 * b / c / s }'
awk -v d="$dbytes" -v t="$tbytes" -v s="$IDLE" 'BEGIN {
	printf "  terminal bytes  hsrunbook %d B/min   top -d 1 %d B/min   ratio %.3f  (target < 2048 B/min)\n",
		d * 60 / s, t * 60 / s, (t ? d / t : 0) }'
pss=$(awk '/^Pss:/ {print $2}' "/proc/$DPID/smaps_rollup" 2>/dev/null || echo 0)
echo "  peak RSS        hsrunbook $((drss / 1024)).$(((drss % 1024) * 10 / 1024)) MB   top $((trss / 1024)).$(((trss % 1024) * 10 / 1024)) MB  (target < 12 MB; hsrunbook PSS $((pss / 1024)) MB)"
echo "  key -> screen   hsrunbook ${lm} ms (median of 5, all probes hanging)   cat echo ${bm} ms  (target < 50 ms)"
