# The shared library of the tmux screen tests (sourced, not run). Every screen's test script
# starts with
#     . "$(dirname "$0")/common.sh"
#     rig_init NAME
# and then drives the real binary ($HSR_BIN) in a private tmux server: start a session, send
# keys with `t send-keys -t "$SESSION" ...`, wait for the screen with wait_for / check, and
# compare whole screens with committed captures with golden (see tests/tui/golden/README).
# It ends with `rig_done`, which prints the totals and gives the exit status.
#
# What it gives: t, rig_init, rig_done, ok, not_ok, now_ms, start, app_pid, check_restored,
# screen, last_has, wait_screen, wait_for, wait_gone, wait_stable, check, check_not, ms_until,
# sim_start, golden_mask, golden_attr, golden. Variables: SOCK, TMPD, SESSION, LAST, PASS, FAIL,
# UTF8_LOCALE, TUI_DIR, ROOT, GOLDEN_DIR, GOLDEN_CLOCK, GOLDEN_MASK_MORE.

TUI_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$TUI_DIR/../.." && pwd)
GOLDEN_DIR="$TUI_DIR/golden"
# The wall clock the goldens are taken at (HSR_TEST_CLOCK, epoch seconds): 2026-03-10 14:05 UTC.
GOLDEN_CLOCK=1773151500
# The tmux session the helpers drive.
SESSION=hsr
PASS=0
FAIL=0
LAST=""
# Simulators this script started in the background (their pids), stopped at the end.
SIM_PIDS=""

# tmux on our own server, with no user configuration.
t() {
	tmux -L "$SOCK" -f /dev/null "$@"
}

cleanup() {
	t kill-server >/dev/null 2>&1
	for p in $SIM_PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$TMPD"
}

# rig_init NAME: check the binary and tmux, make a scratch directory, start a private server.
rig_init() {
	: "${HSR_BIN:?set HSR_BIN to the built hsrunbook binary}"
	if ! command -v tmux >/dev/null 2>&1; then
		echo "not ok - tmux is not installed (make deps installs it)"
		exit 1
	fi
	if [ ! -x "$HSR_BIN" ]; then
		echo "not ok - $HSR_BIN is not an executable"
		exit 1
	fi
	SOCK="hsr$1$$"
	TMPD=$(mktemp -d "${TMPDIR:-/tmp}/hsr$1.XXXXXX") || exit 1
	rig_server
}

# rig_server: clean up at the end, and start the private server, which stays up between
# sessions (no race between a dying server and the next start).
rig_server() {
	trap cleanup EXIT
	trap 'cleanup; exit 1' INT TERM HUP
	t start-server \; set-option -g exit-empty off
}

# rig_done: the totals; the exit status says whether every check passed.
rig_done() {
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}

# A script that set SOCK and TMPD itself before sourcing this file (the older way, without
# rig_init) gets its server and clean-up here.
if [ -n "${SOCK:-}" ] && [ -n "${TMPD:-}" ]; then
	rig_server
fi

# A UTF-8 locale for the glyph checks (the ASCII fallback is tested with LANG=C).
UTF8_LOCALE=C.UTF-8
if command -v locale >/dev/null 2>&1; then
	if ! locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$'; then
		UTF8_LOCALE=$(locale -a 2>/dev/null | grep -i 'utf-\?8' | head -n 1)
		[ -n "$UTF8_LOCALE" ] || UTF8_LOCALE=C.UTF-8
	fi
fi

ok() {
	PASS=$((PASS + 1))
	echo "ok - $1"
}

# not_ok NAME: a failure, with the screen (or text) read last indented under it.
not_ok() {
	FAIL=$((FAIL + 1))
	echo "not ok - $1"
	if [ -n "$LAST" ]; then
		printf '%s\n' "$LAST" | sed 's/^/#   | /'
	fi
}

# Milliseconds since the epoch.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# start W H ENV ARGS: a fresh session running the binary from a shell in the pane; a marker
# line shows when it exits, and the terminal's modes as the program left them are saved in
# $TMPD/stty (a program that does not restore the terminal leaves -echo -icanon behind).
# ENV comes after the defaults (LANG, TERM), so it can override them.
start() {
	t kill-session -t "$SESSION" >/dev/null 2>&1
	rm -f "$TMPD/stty"
	t new-session -d -s "$SESSION" -x "$1" -y "$2" \
		"env LANG=$UTF8_LOCALE LC_ALL= TERM=screen XDG_STATE_HOME=$TMPD/state $3 $HSR_BIN $4; rc=\$?; printf '\\r\\nHSR-EXITED %s\\r\\n' \$rc; stty -a > $TMPD/stty.tmp 2>&1; mv $TMPD/stty.tmp $TMPD/stty; sleep 60"
}

# The pid of the binary running in the pane (the shell's child), or "".
app_pid() {
	shell=$(t display-message -t "$SESSION" -p '#{pane_pid}')
	ps -o pid= --ppid "$shell" 2>/dev/null | head -n 1 | tr -d ' '
}

# check_restored NAME: the program exited and left the terminal with echo and canonical input.
check_restored() {
	deadline=$(($(now_ms) + 3000))
	while [ ! -f "$TMPD/stty" ] && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.05; done
	if [ ! -f "$TMPD/stty" ]; then
		not_ok "$1: no stty -a after the program ended"
		return
	fi
	modes=$(tr -s ' \n' '  ' < "$TMPD/stty")
	case " $modes " in
	*" -echo "* | *" -icanon "*) LAST=$modes; not_ok "$1: terminal left without echo/icanon" ;;
	*" echo "*" icanon "* | *" icanon "*" echo "*) ok "$1: echo and icanon back on" ;;
	*) LAST=$modes; not_ok "$1: stty -a says neither echo nor icanon" ;;
	esac
}

# Read the screen as text into LAST (kept for failure reports).
screen() {
	LAST=$(t capture-pane -t "$SESSION" -p 2>/dev/null)
}

# Whether the screen read last matches an extended regex.
last_has() {
	printf '%s\n' "$LAST" | grep -Eq -- "$1"
}

# wait_screen WANT REGEX SECONDS: poll the screen until last_has REGEX answers WANT (0: it
# matches, 1: it does not); 0 when it did in time.
wait_screen() {
	deadline=$(($(now_ms) + $3 * 1000))
	while :; do
		screen
		last_has "$2"
		[ $? = "$1" ] && return 0
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# wait_for REGEX SECONDS: poll the screen until an extended regex matches; 0 when it did.
wait_for() {
	wait_screen 0 "$1" "$2"
}

# wait_gone REGEX SECONDS: poll until the regex no longer matches.
wait_gone() {
	wait_screen 1 "$1" "$2"
}

# wait_stable SECONDS: poll until the screen (text and attributes) reads the same for 0.6 s;
# 0 when it settled. The screen is then in LAST.
wait_stable() {
	deadline=$(($(now_ms) + $1 * 1000))
	prev=$(t capture-pane -t "$SESSION" -p -e 2>/dev/null)
	since=$(now_ms)
	while :; do
		sleep 0.1
		cur=$(t capture-pane -t "$SESSION" -p -e 2>/dev/null)
		if [ "$cur" != "$prev" ]; then
			prev=$cur
			since=$(now_ms)
		elif [ $(($(now_ms) - since)) -ge 600 ]; then
			screen
			return 0
		fi
		if [ "$(now_ms)" -ge "$deadline" ]; then
			screen
			return 1
		fi
	done
}

# check NAME REGEX [SECONDS]: one assertion on the current session.
check() {
	if wait_for "$2" "${3:-8}"; then ok "$1"; else not_ok "$1 (wanted /$2/)"; fi
}

# check_not NAME REGEX: the screen (as it is now) must not match.
check_not() {
	screen
	if last_has "$2"; then not_ok "$1 (unwanted /$2/)"; else ok "$1"; fi
}

# ms_until REGEX MAX_MS: poll as fast as tmux answers; print the milliseconds taken, or -1.
ms_until() {
	t0=$(now_ms)
	while :; do
		if t capture-pane -t "$SESSION" -p 2>/dev/null | grep -Eq -- "$1"; then
			echo $(($(now_ms) - t0))
			return 0
		fi
		if [ $(($(now_ms) - t0)) -gt "$2" ]; then
			echo -1
			return 1
		fi
	done
}

# sim_start SCENARIO DELAY_MS [ENV]: a simulator in the background (ENV: assignments for its
# environment, e.g. HSR_TEST_CLOCK=...); its base URL in SIM_URL.
sim_start() {
	out="$TMPD/sim.$$.$1.$2"
	env ${3:-} "$HSR_BIN" simulate --scenario "$1" --port 0 --delay "$2" > "$out" 2>&1 &
	SIM_PIDS="$SIM_PIDS $!"
	SIM_URL=""
	deadline=$(($(now_ms) + 3000))
	while [ -z "$SIM_URL" ] && [ "$(now_ms)" -lt "$deadline" ]; do
		SIM_URL=$(sed -n 's|^\(http://127\.0\.0\.1:[0-9]*\)$|\1|p' "$out" 2>/dev/null | head -n 1)
		[ -n "$SIM_URL" ] || sleep 0.05
	done
	[ -n "$SIM_URL" ]
}

# ---- goldens: whole screens compared with committed captures ---------------------------------

# golden_mask: stdin to stdout with the fields that vary between runs even under HSR_TEST_CLOCK
# replaced, and nothing else: the round trip the client measured ("our call 3 ms"), the latency
# the simulator's health answer draws at random ("our app's HubSpot calls 131 ms"), and the
# random correlation ids (uuids, hex digits to x, so their width still counts).
# A test may mask one more field for the goldens it takes next: GOLDEN_MASK_MORE, a sed -E
# expression (empty: none); say why beside it.
GOLDEN_MASK_MORE=""
golden_mask() {
	sed -E -e "${GOLDEN_MASK_MORE:-s/^//}" -e 's/our call [0-9]+ ms/our call <ms> ms/g' \
		-e "s/our app's HubSpot calls [0-9]+ ms/our app's HubSpot calls <ms> ms/g" \
		-e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx/g'
}

# golden_attr: an attribute capture (capture-pane -p -e) on stdin as text on stdout, each run
# of cells after its whole state ({bold fg:green}OK{}); see golden_attr.awk.
golden_attr() {
	awk -f "$TUI_DIR/golden_attr.awk"
}

# golden NAME [attr]: the session's screen as it is now, masked, against golden/NAME.txt (or,
# with attr, with its colours and attributes against golden/NAME.attr). A difference fails with
# a unified diff. With UPDATE_GOLDEN=1 the capture is written to the file instead.
golden() {
	if [ "${2:-}" = attr ]; then
		file="$GOLDEN_DIR/$1.attr"
		t capture-pane -t "$SESSION" -p -e | golden_mask | golden_attr > "$TMPD/golden.now"
	else
		file="$GOLDEN_DIR/$1.txt"
		t capture-pane -t "$SESSION" -p | golden_mask > "$TMPD/golden.now"
	fi
	name=${file#"$TUI_DIR"/}
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		mkdir -p "$GOLDEN_DIR"
		cp "$TMPD/golden.now" "$file"
		ok "$name written"
		return
	fi
	if [ ! -f "$file" ]; then
		LAST=$(cat "$TMPD/golden.now")
		not_ok "$name: no such golden (UPDATE_GOLDEN=1 writes it)"
		return
	fi
	if diff -u "$file" "$TMPD/golden.now" > "$TMPD/golden.diff"; then
		ok "$name: the screen is exactly the golden"
	else
		LAST=$(sed -e '1s/.*/--- golden (expected)/' -e '2s/.*/+++ screen now/' "$TMPD/golden.diff")
		not_ok "$name: the screen differs from the golden"
	fi
}
