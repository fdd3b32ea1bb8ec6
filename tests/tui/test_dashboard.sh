#!/bin/sh
# Screen tests of the live dashboard: the real binary in a private tmux server, keys sent
# with send-keys, screens read back with capture-pane. Every wait polls; nothing sleeps long.
# Usage: HSR_BIN=/path/to/hsrunbook sh tests/tui/test_dashboard.sh
set -u

: "${HSR_BIN:?set HSR_BIN to the built hsrunbook binary}"
if ! command -v tmux >/dev/null 2>&1; then
	echo "not ok - tmux is not installed (make deps installs it)"
	exit 1
fi
if [ ! -x "$HSR_BIN" ]; then
	echo "not ok - $HSR_BIN is not an executable"
	exit 1
fi

SOCK="hsrtest$$"
PASS=0
FAIL=0
LAST=""

# tmux on our own server, with no user configuration.
t() {
	tmux -L "$SOCK" -f /dev/null "$@"
}

# The server stays up between sessions (no race between a dying server and the next start).
t start-server \; set-option -g exit-empty off

cleanup() {
	t kill-server >/dev/null 2>&1
}
trap cleanup EXIT
trap 'cleanup; exit 1' INT TERM HUP

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

# start W H ENV ARGS: a fresh session running the binary; a marker line shows when it exits.
start() {
	t kill-session -t hsr >/dev/null 2>&1
	t new-session -d -s hsr -x "$1" -y "$2" \
		"env LANG=$UTF8_LOCALE LC_ALL= TERM=screen $3 $HSR_BIN $4; echo HSR-EXITED \$?; sleep 60"
}

# Read the screen as text into LAST (kept for failure reports).
screen() {
	LAST=$(t capture-pane -t hsr -p 2>/dev/null)
}

# Whether the screen read last matches an extended regex.
last_has() {
	printf '%s\n' "$LAST" | grep -Eq -- "$1"
}

# wait_for REGEX SECONDS: poll the screen until an extended regex matches; 0 when it did.
wait_for() {
	deadline=$(($(now_ms) + $2 * 1000))
	while :; do
		screen
		if last_has "$1"; then
			return 0
		fi
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# wait_gone REGEX SECONDS: poll until the regex no longer matches.
wait_gone() {
	deadline=$(($(now_ms) + $2 * 1000))
	while :; do
		screen
		if ! last_has "$1"; then
			return 0
		fi
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
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
		if t capture-pane -t hsr -p 2>/dev/null | grep -Eq -- "$1"; then
			echo $(($(now_ms) - t0))
			return 0
		fi
		if [ $(($(now_ms) - t0)) -gt "$2" ]; then
			echo -1
			return 1
		fi
	done
}

BANNER_WAIT=10

# ---- every scenario at 80x24: HTTP code, leaf, rate-limit values --------------------------
# scenario | leaf id | HTTP line | a third fact (gauge values or the evidence behind the leaf)
while IFS='|' read -r scen leaf http extra; do
	[ -n "$scen" ] || continue
	start 80 24 "" "--demo $scen"
	check "$scen: leaf [$leaf] in the banner" "\[$leaf\]" "$BANNER_WAIT"
	check "$scen: API shows $http" "$http"
	check "$scen: shows /$extra/" "$extra"
	check "$scen: status line with probe ages and key hints" "\? help +q quit"
	check_not "$scen: no screen-too-small notice at 80x24" "needs at least"
done <<'EOF'
healthy|healthy|HTTP 200|[0-9]+/190 .*$
healthy|healthy|HTTP 200|daily .*[0-9,]+/500,000
hubspot-outage|hubspot-outage|HTTP 503|MAJOR
token-revoked|token-invalid|HTTP 401|INVALID_AUTHENTICATION
token-expired|token-invalid|HTTP 401|EXPIRED_AUTHENTICATION
missing-scopes|missing-scopes|HTTP 403|needs scopes
daily-limit|rate-limit-daily|HTTP 429|daily .* 0/500,000
daily-limit|rate-limit-daily|HTTP 429|policy DAILY
burst-limit|rate-limit-burst|HTTP 429| 0/190
server-errors|hubspot-server-error|HTTP 502|no 2xx answer since start
app-down|app-unhealthy|HTTP 200|UNHEALTHY
oauth|healthy|HTTP 200|no daily limit \(OAuth\)
slow|healthy|HTTP 200|[0-9]+/190
EOF

# The hang scenario: nothing answers; the screen says so rather than showing zeros.
start 80 24 "" "--demo hang"
check "hang: every pane title shows probing N s" "HubSpot status .*probing [0-9]+ s.*HubSpot API .*probing [0-9]+ s"
check "hang: the status line shows every probe in flight" "status (probing )?[0-9]+ s….*api (probing )?[0-9]+ s….*health (probing )?[0-9]+ s…"
check "hang: unknown, never 0, while nothing answered" "\? unknown"
check_not "hang: no gauge values invented" "/190|/500,000"
check "hang: time-out after 10 s leads to hubspot-unreachable" "\[hubspot-unreachable\]" 20
check "hang: the API pane says why" "no answer: timed out after 10 s"

# ---- keys answer at once while every probe hangs --------------------------------------
start 80 24 "" "--demo hang"
if wait_for "probing [1-9]" 8; then
	t send-keys -t hsr '?'
	ms=$(ms_until "What the marks mean" 2000)
	if [ "$ms" -ge 0 ] && [ "$ms" -le 200 ]; then ok "hang: ? shows the help in ${ms} ms"; else
		not_ok "hang: ? took ${ms} ms (want <= 200)"; fi
	t send-keys -t hsr Escape
	ms=$(ms_until "Rate limits" 2000)
	if [ "$ms" -ge 0 ] && [ "$ms" -le 200 ]; then ok "hang: Esc back in ${ms} ms"; else
		not_ok "hang: Esc took ${ms} ms (want <= 200)"; fi
	t send-keys -t hsr q
	ms=$(ms_until "HSR-EXITED 0" 3000)
	if [ "$ms" -ge 0 ] && [ "$ms" -le 1500 ]; then ok "hang: q quits in ${ms} ms"; else
		not_ok "hang: q took ${ms} ms to quit (want <= 1500)"; fi
else
	not_ok "hang: the dashboard never showed a probe in flight"
fi

# ---- q restores the terminal ---------------------------------------------------------
start 80 24 "" "--demo healthy"
check "q: dashboard up" "\[healthy\]"
t send-keys -t hsr q
check "q: the program exits with 0" "HSR-EXITED 0" 3
check_not "q: the dashboard is gone from the normal screen" "HubSpot status|Rate limits"

# ---- SIGTERM restores the terminal too ---------------------------------------------------
start 80 24 "" "--demo healthy"
if wait_for "\[healthy\]" 8; then
	shell=$(t display-message -t hsr -p '#{pane_pid}')
	pid=$(ps -o pid= --ppid "$shell" 2>/dev/null | head -n 1 | tr -d ' ')
	if [ -n "$pid" ]; then
		kill -TERM "$pid"
		if wait_for "HSR-EXITED" 3 && ! last_has "Rate limits"; then
			ok "SIGTERM: terminal restored and the program gone"
		else
			not_ok "SIGTERM: terminal not restored"
		fi
	else
		not_ok "SIGTERM: could not find the process"
	fi
else
	not_ok "SIGTERM: dashboard never came up"
fi

# ---- stale evidence is dimmed and says so -------------------------------------------------
# Health every 2 s; then every endpoint hangs: the last health answer goes stale after 4 s,
# well before the 10 s time-out replaces it.
start 80 24 "" "--set interval_health=2 --demo healthy"
if wait_for "health just now" 8; then
	# healthy -> ... -> hang is nine presses of s.
	for i in 1 2 3 4 5 6 7 8 9; do t send-keys -t hsr s; done
	check "stale: the demo reached the hang scenario" "demo: hang" 5
	check "stale: the health pane says stale" "Our app .*stale" 9
	check "stale: the status line says stale" "health .*stale" 2
	esc=$(printf '\033')
	# The first line of the health pane (right of the separator) is drawn dim (SGR 2).
	first=$(t capture-pane -t hsr -p -e | sed -n '/Our app/{n;p;}' | sed 's/.*│//')
	if printf '%s\n' "$first" | grep -Eq "$esc\[([0-9;]*;)?2(;[0-9;]*)?m"; then
		ok "stale: the stale pane is dimmed"
	else
		not_ok "stale: the stale pane is not dimmed"
	fi
else
	not_ok "stale: the health probe never answered"
fi

# ---- 120x40: more detail ----------------------------------------------------------------
start 120 40 "" "--demo token-revoked"
check "120x40: leaf in the banner" "\[token-invalid\]"
check "120x40: the leaf's summary under the banner" "HubSpot rejects our access token"
check "120x40: the whole correlation id on one line" "correlation [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
check "120x40: key hints include Enter zoom" "Enter zoom"

# ---- the minimum size, and below it -----------------------------------------------------
start 60 16 "" "--demo daily-limit"
check "60x16: the dashboard still fits" "\[rate-limit-daily\]"
check "60x16: all four panes" "HubSpot status.*HubSpot API"
check "60x16: the bottom panes" "Rate limits.*Our app"
check_not "60x16: no too-small notice" "needs at least"
start 59 16 "" "--demo healthy"
check "59x16: says what size is needed" "needs at least 60x16"
check "59x16: and the size it has" "this terminal is 59x16"
start 60 15 "" "--demo healthy"
check "60x15: says what size is needed" "needs at least 60x16"

# ---- resize while running --------------------------------------------------------------
start 80 24 "" "--demo token-revoked"
check "resize: up at 80x24" "\[token-invalid\]"
t resize-window -t hsr -x 50 -y 12
check "resize: to 50x12 shows the too-small notice" "needs at least 60x16" 3
check "resize: with the new size" "this terminal is 50x12" 3
t resize-window -t hsr -x 120 -y 40
check "resize: back to 120x40 redraws the dashboard" "HubSpot rejects our access token" 3
check_not "resize: no leftover notice" "needs at least"
t resize-window -t hsr -x 80 -y 24
check "resize: 80x24 again" "Rate limits" 3
check_not "resize: the tall banner line is gone at 80x24" "HubSpot rejects our access token"

# ---- colour, NO_COLOR and the ASCII fallback ------------------------------------------------
# Any SGR that sets a foreground or background colour (30-37, 90-97, 38;..., 40-47, 48;...).
COLOR_SGR=$(printf '\033')'\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7])(;[0-9;]*)?m'
start 80 24 "" "--demo token-revoked"
if wait_for "\[token-invalid\]" 8; then
	if t capture-pane -t hsr -p -e | grep -Eq -- "$COLOR_SGR"; then
		ok "colour: the default scheme uses colour"
	else
		not_ok "colour: no colour in the default scheme"
	fi
fi
start 80 24 "NO_COLOR=1" "--demo token-revoked"
if wait_for "\[token-invalid\]" 8; then
	if t capture-pane -t hsr -p -e | grep -Eq -- "$COLOR_SGR"; then
		not_ok "NO_COLOR: colour escapes on screen"
	else
		ok "NO_COLOR: no colour escapes"
	fi
	check "NO_COLOR: severity still shown by glyph" "✖ Access token rejected"
	if t capture-pane -t hsr -p -e | grep -q "$(printf '\033')\[[0-9;]*7m"; then
		ok "NO_COLOR: monochrome emphasis (reverse) in use"
	else
		not_ok "NO_COLOR: no reverse video at all"
	fi
fi
start 80 24 "LANG=C LC_ALL=C" "--demo token-revoked"
check "ASCII locale: X glyph instead of the UTF-8 one" "^ X Access token rejected"
check "ASCII locale: seven-segment digits" "\|_\| \| \|"
check_not "ASCII locale: no UTF-8 blocks" "█|▀|✖"

# ---- help, built from the key table -------------------------------------------------------
start 80 24 "" "--demo healthy"
check "help: dashboard up" "\[healthy\]"
t send-keys -t hsr '?'
check "help: opens" "What the marks mean" 2
check "help: lists q" "^  q +quit"
check "help: lists the demo scenario key" "^  s +demo: switch the simulator"
check "help: lists Ctrl-L" "Ctrl-L +redraw"
t send-keys -t hsr '?'
check "help: ? again goes back" "Rate limits" 2

# ---- screens 2-4, zoom, scenario key, refresh ------------------------------------------------
t send-keys -t hsr 2
check "2: walker placeholder" "Decision-tree walker" 2
t send-keys -t hsr Escape
check "Esc: back to the dashboard" "Rate limits" 2
t send-keys -t hsr l Enter
check "Enter: zooms the selected pane (API)" "HubSpot API.*Esc: back" 2
check_not "zoom: other panes hidden" "Rate limits"
t send-keys -t hsr Escape
check "Esc: leaves the zoom" "Rate limits" 2
t send-keys -t hsr s
check "s: next scenario named on screen" "demo: hubspot-outage" 3
check "s: the screen follows the new scenario" "\[hubspot-outage\]" 8
t send-keys -t hsr r
check "r: refresh acknowledged" "refresh asked" 2
t send-keys -t hsr C-l
check "Ctrl-L: screen redrawn" "\[hubspot-outage\]" 2

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
