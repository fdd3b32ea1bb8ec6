#!/bin/sh
# Screen tests of the live dashboard: the real binary in a private tmux server, keys sent
# with send-keys, screens read back with capture-pane. Every wait polls; nothing sleeps long.
# Usage: HSR_BIN=/path/to/hsrunbook sh tests/tui/test_dashboard.sh
set -u

# The shared tmux helpers (t, start, screen, wait_for, check, ok, not_ok, ...).
. "$(dirname "$0")/common.sh"
rig_init test
# The key table the help must list, read from the source that dispatches the keys.
UI_SRC="$ROOT/screens/keys.c" # the global key table

# The "N calls today" counter of the status line as read last, or "".
calls() {
	printf '%s\n' "$LAST" | sed -n 's/.* \([0-9][0-9]*\) \(API \)\{0,1\}calls today.*/\1/p' | tail -n 1
}

BANNER_WAIT=10
# An age as the status line writes it, long ("20 s ago") or compact ("20 s", "now").
AGE='(just now|now|[0-9]+ (s|min|h)( ago)?)'

# ---- every scenario at 80x24: HTTP code, leaf, rate-limit values --------------------------
# scenario | leaf id | HTTP line | a third fact (gauge values or the evidence behind the leaf)
while IFS='|' read -r scen leaf http extra; do
	[ -n "$scen" ] || continue
	start 80 24 "" "--demo $scen"
	check "$scen: leaf [$leaf] in the banner" "\[$leaf\]" "$BANNER_WAIT"
	check_not "$scen: no notice line while a token is set" "no token:"
	check "$scen: API shows $http" "$http"
	check "$scen: shows /$extra/" "$extra"
	check "$scen: status line with every probe's age" "status $AGE .*api $AGE .*usage $AGE .*health $AGE"
	check "$scen: status line with our own calls counter" "ours: [0-9]+ calls today"
	check "$scen: key hints" "\? help +q quit"
	check_not "$scen: no screen-too-small notice at 80x24" "needs at least"
done <<'EOF'
healthy|healthy|HTTP 200|[0-9]+/190 .*$
healthy|healthy|HTTP 200|daily .*[0-9,]+/500,000
healthy|healthy|HTTP 200|last 2xx (just now|[0-9]+ (s|min) ago)
healthy|healthy|HTTP 200|runs out(: — \((measuring the burn rate|not before the)| at [0-9]{2}:[0-9]{2})
hubspot-outage|hubspot-outage|HTTP 503|MAJOR
token-revoked|token-invalid|HTTP 401|INVALID_AUTHENTICATION
token-expired|token-invalid|HTTP 401|EXPIRED_AUTHENTICATION
missing-scopes|missing-scopes|HTTP 403|needs scopes
daily-limit|rate-limit-daily|HTTP 429|daily .* 0/500,000
daily-limit|rate-limit-daily|HTTP 429|policy DAILY
daily-limit|rate-limit-daily|HTTP 429|held back ([0-9]+ (s|min|h|d)( [0-9]+ (s|min|h))?)
daily-limit|rate-limit-daily|HTTP 429|resets at [0-9]{2}:[0-9]{2} account time
daily-limit|rate-limit-daily|HTTP 429|account time is UTC-05:00
burst-limit|rate-limit-burst|HTTP 429|policy TEN_SECONDLY_ROLLING
burst-limit|rate-limit-burst|HTTP 429| 0/190
server-errors|hubspot-server-error|HTTP 502|no 2xx answer since start
app-down|app-unhealthy|HTTP 200|UNHEALTHY
oauth|healthy|HTTP 200|no daily limit \(OAuth\)
slow|hubspot-slow|HTTP 200|[0-9]+/190
slow|hubspot-slow|HTTP 200|SLOW
slow|hubspot-slow|HTTP 200|our call [0-9]{4} ms
oauth|healthy|HTTP 200|private apps [0-9,]+ of [0-9,]+ used
healthy|healthy|HTTP 200|account [0-9,]+ of 500,000 used
healthy|healthy|HTTP 200|our app's HubSpot calls [0-9]+ ms
EOF

# Retry-After: a countdown while it holds the API probe (burst-limit sends "Retry-After: 1"
# on each 429, and the probe asks again every 15 s), gone once it has expired.
start 80 24 "" "--demo burst-limit"
check "burst-limit: Retry-After counts down while it holds" "Retry-After 1 s" 17
if wait_gone "Retry-After" 4; then ok "burst-limit: the Retry-After line goes once it expired"; else
	not_ok "burst-limit: the Retry-After line outlives its wait"; fi
check_not "burst-limit: the back-off is not shown twice" "429: Retry-After"

# The hang scenario: nothing answers; the screen says so rather than showing zeros.
start 80 24 "" "--demo hang"
check "hang: every pane title shows probing N s" "HubSpot status .*probing [0-9]+ s.*HubSpot API .*probing [0-9]+ s"
check "hang: the status line shows every probe in flight" "status (probing )?[0-9]+ s….*api (probing )?[0-9]+ s….*health (probing )?[0-9]+ s…"
check "hang: unknown, never 0, while nothing answered" "\? unknown"
check_not "hang: no gauge values invented" "/190|/500,000"
check "hang: time-out after 10 s leads to network-down (nothing answers)" "\[network-down\]" 20
check "hang: the API pane says why" "no answer: timed out after 10 s"
# The HTTP layer's own sentence (it names the host and tells a connect time-out apart).
check "hang: the API pane shows the HTTP layer's message" "│ waiting for 127\.0\.0\.1"

# ---- keys answer at once while every probe hangs --------------------------------------
start 80 24 "" "--demo hang"
if wait_for "probing [1-9]" 8; then
	t send-keys -t hsr '?'
	ms=$(ms_until "show or leave this help" 2000)
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

# ---- q and signals restore the terminal ----------------------------------------------------
start 80 24 "" "--demo healthy"
check "q: dashboard up" "\[healthy\]"
t send-keys -t hsr q
check "q: the program exits with 0" "HSR-EXITED 0" 3
check_not "q: the dashboard is gone from the normal screen" "HubSpot status|Rate limits"
check_restored "q"

# Ctrl-C: the conventional 130, the terminal restored.
start 80 24 "" "--demo healthy"
check "Ctrl-C: dashboard up" "\[healthy\]"
t send-keys -t hsr C-c
check "Ctrl-C: the program exits with 130" "HSR-EXITED 130" 3
check_restored "Ctrl-C"

# SIGINT, SIGTERM and SIGHUP: the terminal restored, the program gone, 128 + the signal.
for sig in INT TERM HUP; do
	case $sig in INT) code=130 ;; TERM) code=143 ;; HUP) code=129 ;; esac
	start 80 24 "" "--demo healthy"
	if wait_for "\[healthy\]" 8; then
		pid=$(app_pid)
		if [ -n "$pid" ]; then
			kill -"$sig" "$pid"
			if wait_for "HSR-EXITED" 3 && ! last_has "Rate limits"; then
				ok "SIG$sig: the program gone and the dashboard off the screen"
			else
				not_ok "SIG$sig: terminal not restored"
			fi
			if last_has "HSR-EXITED $code\$"; then ok "SIG$sig: exit code $code"; else
				not_ok "SIG$sig: exit code not $code"; fi
			check_restored "SIG$sig"
		else
			not_ok "SIG$sig: could not find the process"
		fi
	else
		not_ok "SIG$sig: dashboard never came up"
	fi
done

# ---- stale evidence is dimmed and says so -------------------------------------------------
# Health every 2 s; then every endpoint hangs: the last health answer goes stale after 4 s,
# well before the 10 s time-out replaces it.
start 80 24 "" "--set interval_health=2 --demo healthy"
if wait_for "health (just )?now" 8; then
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
check "120x40: the leaf's first step under the banner" "^ first: Get a working token from the private app"
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
check "resize: back to 120x40 redraws the dashboard" "^ first: Get a working token" 3
check_not "resize: no leftover notice" "needs at least"
t resize-window -t hsr -x 80 -y 24
check "resize: 80x24 again" "Rate limits" 3
check_not "resize: the tall banner line is gone at 80x24" "^ first: Get a working token"

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
else
	not_ok "colour: dashboard never came up"
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
else
	not_ok "NO_COLOR: dashboard never came up"
fi
start 80 24 "LANG=C LC_ALL=C" "--demo token-revoked"
check "ASCII locale: X glyph instead of the UTF-8 one" "^ X Access token rejected"
check "ASCII locale: seven-segment digits" "\|_\| \| \|"
check_not "ASCII locale: no UTF-8 blocks" "█|▀|✖"

# ---- help, built from the key table -------------------------------------------------------
start 80 24 "" "--demo healthy"
check "help: dashboard up" "\[healthy\]"
t send-keys -t hsr '?'
check "help: opens" "show or leave this help" 2
check "help: lists q" "^  q +quit"
check "help: lists the demo scenario key" "^  s +demo: switch the simulator"
# (The key table is longer than one page at 80x24: page down to Ctrl-L, its last key, and on.)
for i in 1 2 3 4; do
	t send-keys -t hsr NPage
	wait_for "Ctrl-L +redraw" 1 && break
done
check "help: lists Ctrl-L" "Ctrl-L +redraw"
for i in 1 2 3 4; do
	wait_for "What the marks mean" 1 && break
	t send-keys -t hsr NPage
done
check "help: then what the marks mean" "What the marks mean"
t send-keys -t hsr Home
# Every label of the key table, at the start of a help row (read from the source, so a key
# added to the table and missing from the help fails here).
labels=$(sed -n '/^const ui_binding ui_bindings\[\] = {/,/^};/p' "$UI_SRC" |
	sed -n 's/^[[:space:]]*{"\([^"]*\)".*/\1/p')
nlabels=$(printf '%s\n' "$labels" | grep -c .)
if [ "$nlabels" -ge 10 ]; then ok "help: $nlabels keys in the table"; else
	not_ok "help: only $nlabels labels read from $UI_SRC"; fi
screen
help_text=$LAST
# The help may scroll: take the next pages too.
for i in 1 2 3; do
	t send-keys -t hsr NPage
	sleep 0.2
	screen
	help_text=$(printf '%s\n%s' "$help_text" "$LAST")
done
t send-keys -t hsr Home
printf '%s\n' "$labels" | while IFS= read -r label; do
	[ -n "$label" ] || continue
	if printf '%s\n' "$help_text" | awk -v l="  $label " 'index($0, l) == 1 { f = 1 } END { exit !f }'; then
		echo "ok - help: lists key \"$label\""
	else
		echo "not ok - help: key \"$label\" missing"
	fi
done > "$TMPD/help.tap"
while IFS= read -r line; do
	case "$line" in
	"ok - "*) ok "${line#ok - }" ;;
	*) LAST=$help_text; not_ok "${line#not ok - }" ;;
	esac
done < "$TMPD/help.tap"
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

# ---- Ctrl-L repaints what something else scribbled over -----------------------------------
start 80 24 "" "--demo healthy"
if wait_for "\[healthy\]" 8; then
	tty=$(t display-message -t hsr -p '#{pane_tty}')
	# Junk in the empty middle of the status pane, where nothing is redrawn by itself.
	printf '\0337\033[9;5HJUNKJUNKJUNK\0338' > "$tty"
	check "Ctrl-L: the junk is on the screen first" "JUNKJUNKJUNK" 2
	sleep 1.5
	check "Ctrl-L: the junk stays without Ctrl-L (only changes are drawn)" "JUNKJUNKJUNK" 1
	t send-keys -t hsr C-l
	if wait_gone "JUNKJUNKJUNK" 2; then ok "Ctrl-L: the junk is gone"; else
		not_ok "Ctrl-L: the junk is still there"; fi
	check "Ctrl-L: the dashboard is whole again" "\[healthy\].*" 1
	check "Ctrl-L: the status pane is whole again" "no open incidents" 1
else
	not_ok "Ctrl-L: dashboard never came up"
fi

# ---- r asks every probe (the counter moves), but not during a 429 back-off --------------------
start 80 24 "" "--demo healthy"
if wait_for "\[healthy\]" 8 && wait_for "health $AGE" 4; then
	sleep 1
	screen
	before=$(calls)
	# Item: the "unknown" leaf at start must not make the probes hurry (an extra API call).
	if [ "$before" = 2 ]; then ok "r: 2 calls at start (one API, one usage), none extra"; else
		not_ok "r: $before calls at start, wanted 2"; fi
	t send-keys -t hsr r
	check "r: refresh acknowledged" "refresh asked" 2
	deadline=$(($(now_ms) + 4000))
	after=$before
	while [ "$(now_ms)" -lt "$deadline" ]; do
		screen
		after=$(calls)
		[ -n "$after" ] && [ -n "$before" ] && [ "$after" -gt "$before" ] && break
		sleep 0.1
	done
	if [ -n "$after" ] && [ -n "$before" ] && [ "$after" -gt "$before" ]; then
		ok "r: the calls counter went from $before to $after"
	else
		not_ok "r: the calls counter stayed at '$before' (now '$after')"
	fi
	# A second press at once is refused and says how long to wait.
	t send-keys -t hsr r
	check "r: a second press within 5 s is refused" "just refreshed — wait [1-5] s" 2
	n2=$after
	sleep 1.5
	screen
	if [ "$(calls)" = "$n2" ]; then ok "r: the refused press spent no call"; else
		not_ok "r: the refused press spent calls ($n2 -> $(calls))"; fi
else
	not_ok "r: dashboard never came up"
fi

start 80 24 "" "--demo daily-limit"
if wait_for "\[rate-limit-daily\]" 8 && wait_for "held back" 4; then
	sleep 1
	screen
	before=$(calls)
	t send-keys -t hsr r
	check "r daily-limit: the note says the back-off holds" "refresh asked; the API probe still waits" 2
	sleep 2
	screen
	if [ -n "$before" ] && [ "$(calls)" = "$before" ]; then
		ok "r daily-limit: no API call during the back-off ($before calls)"
	else
		not_ok "r daily-limit: calls went from '$before' to '$(calls)' during the back-off"
	fi
	check "r daily-limit: still held back" "held back" 1
	# R, in the same session: the confirmation; n and Esc spend nothing, y exactly one call.
	sleep 3
	screen
	before=$(calls)
	t send-keys -t hsr R
	check "R: the confirmation opens" "Probe once anyway\?" 2
	check "R: it says it spends one call and may get another 429" "spends one API call and may get another 429" 1
	check "R: y and n/Esc" "y: ask once +n or Esc: cancel" 1
	t send-keys -t hsr n
	if wait_gone "Probe once anyway" 2; then ok "R n: the confirmation closes"; else
		not_ok "R n: the confirmation stays"; fi
	check "R n: says nothing was spent" "cancelled: no call made" 2
	t send-keys -t hsr R
	check "R Esc: the confirmation opens again" "Probe once anyway\?" 2
	t send-keys -t hsr Escape
	if wait_gone "Probe once anyway" 2; then ok "R Esc: the confirmation closes"; else
		not_ok "R Esc: the confirmation stays"; fi
	sleep 1.5
	screen
	if [ -n "$before" ] && [ "$(calls)" = "$before" ]; then ok "R n/Esc: no call spent ($before)"; else
		not_ok "R n/Esc: calls went from '$before' to '$(calls)'"; fi
	t send-keys -t hsr R
	check "R y: the confirmation opens" "Probe once anyway\?" 2
	t send-keys -t hsr y
	if wait_gone "Probe once anyway" 2; then ok "R y: the confirmation closes"; else
		not_ok "R y: the confirmation stays"; fi
	deadline=$(($(now_ms) + 5000))
	after=$before
	while [ "$(now_ms)" -lt "$deadline" ]; do
		screen
		after=$(calls)
		[ -n "$after" ] && [ "$after" -gt "$before" ] && break
		sleep 0.1
	done
	sleep 2
	screen
	after=$(calls)
	if [ -n "$after" ] && [ "$after" = $((before + 1)) ]; then
		ok "R y: exactly one API call spent ($before -> $after)"
	else
		not_ok "R y: calls went from '$before' to '$after' (wanted one more)"
	fi
	t send-keys -t hsr '?'
	check "R: the help lists R" "^  R +probe once anyway" 2
else
	not_ok "r daily-limit: dashboard never came up held back"
fi

# ---- the diagnostics log: leaf changes, scenario switches, a terminal too small; no token ----
LOG="$TMPD/hsr.log"
start 80 24 "HUBSPOT_ACCESS_TOKEN=pat-na1-TUITESTSECRET0042" "--log $LOG --demo healthy"
if wait_for "\[healthy\]" 8; then
	t send-keys -t hsr s
	check "log: the scenario switched on screen" "\[hubspot-outage\]" 8
	t resize-window -t hsr -x 50 -y 12
	check "log: too small on screen" "needs at least 60x16" 3
	t resize-window -t hsr -x 80 -y 24
	check "log: the dashboard back" "Rate limits" 3
	t send-keys -t hsr q
	check "log: the program exits" "HSR-EXITED 0" 3
	# (The probes answer in any order, so the new leaf may pass through another one first.)
	for want in "probes: normal pace" "diagnosis: unknown -> healthy" \
		"demo: scenario healthy -> hubspot-outage" "diagnosis: [a-z-]+ -> hubspot-outage" \
		"probes: fast pace" \
		"terminal 50x12 is below the 60x16 minimum" "terminal 80x24: the dashboard fits again"; do
		if grep -qE -- "$want" "$LOG"; then ok "log: /$want/"; else
			LAST=$(cat "$LOG"); not_ok "log: no /$want/"; fi
	done
	# The healthy start must not have switched the probes to the fast pace.
	first_healthy=$(grep -n "diagnosis: unknown -> healthy" "$LOG" | head -n 1 | cut -d: -f1)
	if [ -n "$first_healthy" ] && head -n "$first_healthy" "$LOG" | grep -q "fast pace"; then
		LAST=$(cat "$LOG"); not_ok "log: the probes hurried before the first diagnosis"
	else
		ok "log: no fast pace while the diagnosis was still unknown"
	fi
	if grep -q "TUITESTSECRET0042" "$LOG"; then not_ok "log: the token is in the log"; else
		ok "log: the token is not in the log"; fi
else
	not_ok "log: dashboard never came up"
fi

# ---- against simulators of its own: no demo settings (no utc_offset) -----------------------
# The rate pane (left half) of the screen read last.
rate_pane() {
	printf '%s\n' "$LAST" | sed -n '/Rate limits/,$p' | sed 's/│.*//'
}

# Daily limit spent, utc_offset unset, no resetsAt (the usage call finds nothing): the
# reset is the account's midnight with no time, never UTC midnight by guess.
if sim_start daily-limit 0; then
	DAILY_URL=$SIM_URL
	start 80 24 "HUBSPOT_ACCESS_TOKEN=pat-na1-00000000-tui" \
		"--status-url $DAILY_URL/api/v2/summary.json --api-base $DAILY_URL --set usage_path=/nowhere"
	check "no utc_offset: daily limit reached" "\[rate-limit-daily\]" "$BANNER_WAIT"
	check "no utc_offset: the reset has no made-up time" "resets at the account's" 4
	check "no utc_offset: and says how to give it" "\(set utc_offset\)" 2
	screen
	if rate_pane | grep -Eq "resets at [0-9]{2}:[0-9]{2}|reset [0-9]{2}:[0-9]{2}"; then
		LAST=$(rate_pane); not_ok "no utc_offset: a reset time was guessed"
	else
		ok "no utc_offset: no reset time guessed"
	fi
else
	not_ok "no utc_offset: the simulator did not start"
fi

# The back-off reason is never cut at 80x24: it wraps to a second line when it must.
start 80 24 "" "--demo daily-limit"
if wait_for "held back" 8; then
	sleep 0.5
	screen
	reason=$(rate_pane | sed -n '/held back/{n;N;p;}')
	if [ -n "$reason" ] && ! printf '%s\n' "$reason" | grep -q "…"; then
		ok "daily-limit: the back-off reason is whole at 80x24"
	else
		LAST=$(rate_pane); not_ok "daily-limit: the back-off reason is cut"
	fi
else
	not_ok "daily-limit: never held back"
fi

# Health answers at once, the status page and the API call 3 s later: no leaf, no pace change
# and no transition until both have answered; then app-unhealthy, at the normal pace. (slow_ms
# is raised: a 3 s answer is otherwise, truthfully, hubspot-slow.)
if sim_start app-down 0 && FAST_URL=$SIM_URL && sim_start healthy 3000 && SLOW_URL=$SIM_URL; then
	LOG2="$TMPD/hsr-wait.log"
	start 80 24 "HUBSPOT_ACCESS_TOKEN=pat-na1-00000000-tui" \
		"--log $LOG2 --set slow_ms=10000 --status-url $SLOW_URL/api/v2/summary.json --api-base $SLOW_URL --health-url $FAST_URL/health"
	check "waiting: the banner waits for the probes" "waiting for the probes \([12]/4\)" 3
	check_not "waiting: no leaf while the API call is out" "\[app-unhealthy\]|\[unknown\]"
	check "waiting: app-unhealthy once the API and status answered" "\[app-unhealthy\]" 8
	check_not "waiting: the banner no longer waits" "waiting for the probes"
	t send-keys -t hsr q
	check "waiting: the program exits" "HSR-EXITED 0" 3
	api_line=$(grep -n "api: HTTP" "$LOG2" | head -n 1 | cut -d: -f1)
	status_line=$(grep -n "status: HTTP" "$LOG2" | head -n 1 | cut -d: -f1)
	first_probes=$(grep -n "probes: " "$LOG2" | head -n 1 | cut -d: -f1)
	first_diag=$(grep -n "diagnosis: " "$LOG2" | head -n 1 | cut -d: -f1)
	if [ -n "$api_line" ] && [ -n "$status_line" ] && [ -n "$first_probes" ] &&
		[ "$first_probes" -gt "$api_line" ] && [ "$first_probes" -gt "$status_line" ]; then
		ok "waiting: the pace was set only after the API call and the status page answered"
	else
		LAST=$(cat "$LOG2"); not_ok "waiting: the pace was set before both answered"
	fi
	if [ -n "$first_diag" ] && [ "$first_diag" -gt "$api_line" ] &&
		grep -q "diagnosis: unknown -> app-unhealthy" "$LOG2" &&
		[ "$(grep -c "diagnosis: " "$LOG2")" = 1 ]; then
		ok "waiting: one transition, unknown -> app-unhealthy, after the answers"
	else
		LAST=$(cat "$LOG2"); not_ok "waiting: transitions logged before the answers"
	fi
	if grep -Eq "fast pace|unhealthy pace" "$LOG2"; then
		LAST=$(cat "$LOG2"); not_ok "waiting: app-unhealthy hurried the API probe"
	else
		ok "waiting: app-unhealthy (HubSpot fine) keeps the normal pace"
	fi
else
	not_ok "waiting: the simulators did not start"
fi

# ---- no token: a plain notice line on every screen, the API not asked ------------------------
if sim_start healthy 0; then
	NOTOK_URL=$SIM_URL
	NOTICE="no token: (the )?HubSpot API (is )?not (being )?asked; set HUBSPOT_ACCESS_TOKEN"
	start 80 24 "HUBSPOT_ACCESS_TOKEN=" \
		"--status-url $NOTOK_URL/api/v2/summary.json --api-base $NOTOK_URL --health-url $NOTOK_URL/health"
	check "no token: the notice line under the banner" "$NOTICE" 5
	screen
	# At 80x24 the banner is two lines (the leaf, its first step): the notice is the third.
	if printf '%s\n' "$LAST" | sed -n 3p | grep -Eq -- "$NOTICE"; then
		ok "no token: the notice is the line under the banner"
	else
		not_ok "no token: the notice is not the line under the banner"
	fi
	check "no token: it names --token-file at 80 columns" "$NOTICE or --token-file"
	check "no token: the API pane says it is not configured" "not configured +no access token"
	t send-keys -t hsr '?'
	check "no token: the notice on the help screen" "show or leave this help" 2
	check "no token: (help) notice" "$NOTICE" 1
	t send-keys -t hsr 2
	check "no token: the notice on screen 2" "Decision-tree walker" 2
	check "no token: (screen 2) notice" "$NOTICE" 1
	t resize-window -t hsr -x 50 -y 12
	check "no token: the notice on the too-small screen" "needs at least 60x16" 3
	check "no token: (too small) notice" "no token: HubSpot API not asked" 1
	t resize-window -t hsr -x 120 -y 40
	t send-keys -t hsr 1
	check "no token: the whole sentence at 120 columns" \
		"no token: the HubSpot API is not being asked; set HUBSPOT_ACCESS_TOKEN or --token-file" 3
	screen
	calls_now=$(calls)
	if [ "$calls_now" = 0 ]; then ok "no token: no API call spent"; else
		not_ok "no token: $calls_now API calls spent without a token"; fi
else
	not_ok "no token: the simulator did not start"
fi

# ---- clock times say their zone ---------------------------------------------------------------
if [ -n "${DAILY_URL:-}" ]; then
	start 80 24 "HUBSPOT_ACCESS_TOKEN=pat-na1-00000000-tui" \
		"--status-url $DAILY_URL/api/v2/summary.json --api-base $DAILY_URL"
	check "zones: daily limit reached (no utc_offset)" "\[rate-limit-daily\]" "$BANNER_WAIT"
	check "zones: clock times say UTC" "[0-9]{2}:[0-9]{2} UTC" 4
	check_not "zones: no account time without utc_offset" "account time"
	screen
	if printf '%s\n' "$LAST" | grep -Eo "[0-9]{2}:[0-9]{2}( [A-Za-z]+)?" | grep -Evq " (UTC|account)$"; then
		not_ok "zones: a clock time without its zone"
	else
		ok "zones: every clock time has its zone"
	fi
	start 80 24 "HUBSPOT_ACCESS_TOKEN=pat-na1-00000000-tui" \
		"--set utc_offset=-05:00 --status-url $DAILY_URL/api/v2/summary.json --api-base $DAILY_URL"
	check "zones: utc_offset set: account time" "[0-9]{2}:[0-9]{2} account time" "$BANNER_WAIT"
	check "zones: the account's offset where the daily limit is" "account time is UTC-05:00" 2
	check_not "zones: no UTC clock when the account's is used" "[0-9]{2}:[0-9]{2} UTC"
else
	not_ok "zones: no daily-limit simulator"
fi

# ---- slow: slow_ms decides ----------------------------------------------------------------------
start 80 24 "" "--set slow_ms=5000 --demo slow"
check "slow_ms=5000: a 4 s answer is not slow" "✔ OK" 9
check_not "slow_ms=5000: no SLOW" "SLOW"
start 80 24 "" "--set slow_ms=1000 --demo slow"
check "slow_ms=1000: SLOW in the API pane" "▲ SLOW" 9
check "slow_ms=1000: the threshold named" "slower than 1000 ms" 2
check "slow_ms=1000: our app's HubSpot latency a warning" "▲ our app's HubSpot calls [0-9]+ ms" 2
check_not "slow_ms=1000: no tick and OK" "✔ OK"

# ---- R: probe once anyway, after a confirmation ----------------------------------------------
start 80 24 "" "--demo healthy"
if wait_for "\[healthy\]" 8; then
	t send-keys -t hsr R
	check "R healthy: not needed without a back-off" "R is not needed.*r refreshes" 2
	check_not "R healthy: no confirmation" "Probe once anyway"
else
	not_ok "R healthy: dashboard never came up"
fi

rig_done
