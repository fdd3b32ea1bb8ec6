#!/bin/sh
# Crash test of the incident record: the real binary on the token-revoked demo with its own
# --state-dir, driven in tmux: the alert, `a` (owner and severity), a checked step and an
# override on screen 2, a note; `kill -9` at several points, restart, and the timeline must be
# exactly what was shown as recorded before the kill: nothing lost, nothing doubled. Then a
# second hsrunbook on the same state dir follows read-only and sees a new note, and a state dir
# that cannot be written says "record NOT kept" while the dashboard goes on.
# Usage: HSR_BIN=/path/to/hsrunbook sh tests/tui/test_incident.sh
set -u

. "$(dirname "$0")/common.sh"
rig_init incident

STATE="$TMPD/state"
ARGS="--demo token-revoked --state-dir $STATE"
EVENT='^ [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]+m[0-9]{2}s'

# The timeline's event lines as they are on screen now.
events() {
	t capture-pane -t "$SESSION" -p | grep -E -- "$EVENT" | sed 's/ *$//'
}

# run: a fresh dashboard on the state dir, on the timeline.
run() {
	start 110 40 "USER=tester" "$ARGS"
	check "$1: dashboard on [token-invalid]" "\[token-invalid\]" 10
	t send-keys -t "$SESSION" 4
	check "$1: 4 opens the timeline" "Incident [0-9]{8}-[0-9]{6}" 5
}

# crash NAME: kill -9 the dashboard, start it again, and compare the timeline with $TMPD/before.
crash() {
	pid=$(app_pid)
	if [ -z "$pid" ]; then
		not_ok "$1: no process to kill"
		return
	fi
	kill -9 "$pid"
	check "$1: killed" "HSR-EXITED 137" 5
	run "$1 (restarted)"
	wait_stable 5 >/dev/null
	events > "$TMPD/after"
	# Two empty captures (no event line matched) would compare equal: the kill must have
	# something to lose.
	if [ -s "$TMPD/before" ]; then ok "$1: events were shown before the kill"; else not_ok "$1: no event line before the kill"; fi
	if diff -u "$TMPD/before" "$TMPD/after" > "$TMPD/diff"; then
		ok "$1: the timeline after the restart is the one shown before the kill ($(wc -l < "$TMPD/after") events)"
	else
		LAST=$(cat "$TMPD/diff")
		not_ok "$1: the timeline differs after the restart"
	fi
	dup=$(sort "$TMPD/after" | uniq -d)
	if [ -z "$dup" ]; then ok "$1: no event doubled"; else LAST=$dup; not_ok "$1: doubled events"; fi
}

# 1. The alert, then the acknowledgement; kill right after it shows as recorded.
run "alert"
check "alert: the alert is on the timeline" "diagnosis +alert fired: .*\[token-invalid\]" 5
t send-keys -t "$SESSION" a
check "a: asks the owner, starting from \$USER" "Owner of the incident" 3
check "a: the owner field holds tester" "│ tester" 3
t send-keys -t "$SESSION" Enter
check "a: then the severity, the leaf's suggestion first" "Severity: P1 P2 P3 P4" 3
t send-keys -t "$SESSION" Enter
check "a: acknowledged, recorded" "operator +acknowledged by tester, severity P[1-4]" 3
check "a: the state in the header" "acknowledged \(investigating\)" 3
check "a: the countdown in the status line" "P[1-4] investigating, next update in 10 min" 8
t send-keys -t "$SESSION" a
check "a again: refused with the reason" "already acknowledged at .* by tester" 3
wait_stable 3 >/dev/null
events > "$TMPD/before"
crash "kill after ack"
check "resumed: the countdown is back" "next update in (9|10) min" 3

# 2. On the walker: check the first step, then override the deciding question; kill.
t send-keys -t "$SESSION" 2
check "walker: opens" "Decision-tree walker" 3
t send-keys -t "$SESSION" j Space
check "walker: step 1 checked" "\[x\] 1\. " 3
t send-keys -t "$SESSION" k n
check "walker: the override" "NO your answer" 3
t send-keys -t "$SESSION" 4
check "timeline: the check is recorded" "operator +step checked: " 3
check "timeline: the override is recorded" "operator +answered no: Did HubSpot reject our token" 3
wait_stable 3 >/dev/null
events > "$TMPD/before"
crash "kill after the walker"
t send-keys -t "$SESSION" 2
check "resumed: the walker shows the override again" "NO your answer" 3

# 3. A note (the text field), killed as soon as it shows.
t send-keys -t "$SESSION" 4 n
check "n: the note field" "Note for the incident record" 3
t send-keys -t "$SESSION" "rolled the token at the vault" Enter Enter
check "n: the note is recorded" "operator +note: rolled the token at the vault" 3
events > "$TMPD/before"
crash "kill right after the note"

# 4. The next state: c confirms the root cause, the walker's leaf (the override's).
t send-keys -t "$SESSION" c
check "c: asks to confirm the root cause" "Record \"root cause identified\" now" 3
t send-keys -t "$SESSION" y
check "c y: root cause recorded" "operator +root cause identified: [a-z-]+" 3
LEAF=$(printf '%s\n' "$LAST" | sed -n 's/.*operator  *root cause identified: \([a-z-]*\).*/\1/p' | head -n 1)
# An empty LEAF would let the listing's check below match any leaf.
if [ -n "$LEAF" ]; then ok "c y: the root cause's leaf read ($LEAF)"; else not_ok "c y: no leaf read from the timeline"; fi
t send-keys -t "$SESSION" c
check "c: next, the mitigation" "Record \"mitigation applied\" now" 3
t send-keys -t "$SESSION" n
check "c n: cancelled, nothing recorded" "cancelled: nothing recorded" 3
t send-keys -t "$SESSION" f
check "f: probe and diagnosis events too" "f hides probe and diagnosis events" 3
# The header alone would pass with the list unchanged: a probe's own event line must show.
check "f: a probe event is listed" "$EVENT +probe +" 3
t send-keys -t "$SESSION" f
events > "$TMPD/before"
crash "kill after the root cause"

# 5. A follower: a second hsrunbook on the same state dir reads, never writes, and follows.
t new-session -d -s follower -x 110 -y 40 \
	"env LANG=$UTF8_LOCALE LC_ALL= TERM=screen USER=other $HSR_BIN $ARGS; echo HSR-EXITED \$?; sleep 60"
fshot() { LAST=$(t capture-pane -t follower -p); }
deadline=$(($(now_ms) + 8000))
while fshot && ! last_has "following read-only" && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.1; done
if last_has "following read-only \(another hsrunbook writes\)"; then ok "follower: says it follows read-only"; else not_ok "follower: no read-only notice"; fi
t send-keys -t follower 4 n
sleep 0.5
fshot
if last_has "following read-only: the hsrunbook that writes"; then ok "follower: n is refused"; else not_ok "follower: n not refused"; fi
t send-keys -t "$SESSION" n
check "writer: note field" "Note for the incident record" 3
t send-keys -t "$SESSION" "seen by the follower" Enter Enter
check "writer: the note is recorded" "note: seen by the follower" 3
deadline=$(($(now_ms) + 5000))
while fshot && ! last_has "note: seen by the follower" && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.1; done
if last_has "operator +note: seen by the follower"; then ok "follower: the new note shows"; else not_ok "follower: the new note did not show"; fi
t kill-session -t follower

# The timeline's t: g selects the first event (the alert), t asks its corrected time.
t send-keys -t "$SESSION" g t
check "t: asks the corrected time" "Corrected time, UTC" 3
t send-keys -t "$SESSION" C-u "00:00:01" Enter
check "t: the correction is recorded" "operator +time of #1 \(alert\) corrected: 00:00:01 UTC" 3
check "t: the alert is shown at its corrected time" "^ 00:00:01 .*alert fired: .*\(time corrected\)" 3
t send-keys -t "$SESSION" G

# `hsrunbook incidents` lists it.
out=$("$HSR_BIN" incidents --state-dir "$STATE")
LAST=$out
if printf '%s\n' "$out" | grep -Eq "^[0-9]{8}-[0-9]{6} +identified +P[1-4] +$LEAF .*\(open\)$"; then
	ok "incidents: the open incident listed"
else
	not_ok "incidents: not listed as identified and open"
fi

# 6. A state dir that cannot be written: the dashboard runs and says so on every screen.
printf 'not a folder\n' > "$TMPD/blocked"
start 110 40 "USER=tester" "--demo token-revoked --state-dir $TMPD/blocked/state"
check "unwritable: dashboard on [token-invalid]" "\[token-invalid\]" 10
check "unwritable: record NOT kept, with the reason" "record NOT kept: Not a directory \(making " 5
t send-keys -t "$SESSION" 2
check "unwritable: the walker says it too" "record NOT kept" 3
check "unwritable: and the walker works" "Decision-tree walker" 3
t send-keys -t "$SESSION" q
check "unwritable: q quits" "HSR-EXITED 0" 3

[ -n "${KEEP_STATE:-}" ] && cp -r "$STATE" "$KEEP_STATE"
rig_done
