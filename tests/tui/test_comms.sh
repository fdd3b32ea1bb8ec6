#!/bin/sh
# Screen tests of the messages (screen 3), the real binary in tmux, each run on a state dir of
# its own: `3` `y` saves a Slack update naming the cause, HubSpot's correlation id (when it sent
# one) and the next update time, for token-revoked, daily-limit and server-errors, with the same
# text in tmux's buffer (and, alone, through OSC 52) and a "message.sent" and an "ack" in the
# journal; `e` fills a placeholder that every later message (and the next run) uses; the public
# notice passes its check, and a failing one asks again before it is saved; S posts to a Slack
# webhook on a simulator (and says how to configure it when it is not), and keys keep answering
# while a post hangs.
# Usage: HSR_BIN=/path/to/hsrunbook sh tests/tui/test_comms.sh
set -u

. "$(dirname "$0")/common.sh"
rig_init comms

# The environment of every run: UTC, no user configuration, Slack not configured.
ENV_BASE="TZ=UTC USER=tester XDG_CONFIG_HOME=$TMPD/xdg HSR_SLACK_WEBHOOK_URL="
# The update cadence the built-in configuration has (config.c: update_cadence 1800 s).
CADENCE_S=1800
UUID='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
STATE_N=0

# fresh_state: a new, empty state dir; its path in STATE.
fresh_state() {
	STATE_N=$((STATE_N + 1))
	STATE="$TMPD/state$STATE_N"
}

# launch NAME SCENARIO LEAF [ENV] [ARGS]: the dashboard on the demo and $STATE, until the banner
# shows LEAF; its title (the cause's name) in TITLE. 1 when the leaf never showed.
launch() {
	start 120 40 "$ENV_BASE ${4:-}" "--demo $2 --state-dir $STATE ${5:-}"
	TITLE=""
	if ! wait_for "\\[$3\\] — see walker" 10; then
		not_ok "$1: the dashboard never showed [$3]"
		return 1
	fi
	TITLE=$(printf '%s\n' "$LAST" |
		sed -n "s/^ [^ ]* \\(.*[^ ]\\)  *\\[$3\\] — see walker.*/\\1/p" | head -n 1)
	ok "$1: dashboard on [$3] ($TITLE)"
}

# body: the message as the screen shows it (the rows under the separator, without the two
# status rows at the bottom), from the screen read last.
body() {
	printf '%s\n' "$LAST" | sed -n '8,$p' | head -n -2
}

# saved_path KIND: the path the state row names ("saved HH:MM:SS UTC: PATH") after y, or "".
saved_path() {
	if wait_for "saved [0-9]{2}:[0-9]{2}:[0-9]{2} UTC: .*/$1-[0-9]{6}(-[0-9]+)?\\.[a-z]+" 5; then
		printf '%s\n' "$LAST" |
			sed -n "s|^ saved \\([0-9:]*\\) UTC: \\(.*/$1-[0-9-]*\\.[a-z]*\\) *\$|\\1 \\2|p" |
			head -n 1
	fi
}

# next_update_of FILE: HH:MM, the save time in FILE's name plus the cadence.
next_update_of() {
	hms=$(basename "$1" | sed -n 's/^[a-z]*-\([0-9]\{6\}\).*/\1/p')
	h=${hms%????}
	m=${hms#??}
	m=${m%??}
	s=${hms#????}
	secs=$(((1${h} - 100) * 3600 + (1${m} - 100) * 60 + (1${s} - 100) + CADENCE_S))
	printf '%02d:%02d' $((secs / 3600 % 24)) $((secs / 60 % 60))
}

# press NAME REGEX KEY...: send the keys, then check that the screen shows REGEX (5 s at most).
press() {
	name=$1
	re=$2
	shift 2
	t send-keys -t "$SESSION" "$@"
	check "$name" "$re" 5
}

# notices NAME N: exactly N public notices saved under $STATE's incidents.
notices() {
	n=$(ls "$STATE"/incidents/*/statuspage-*.txt 2>/dev/null | wc -l)
	LAST=$(ls -l "$STATE"/incidents/*/ 2>&1)
	if [ "$n" -eq "$2" ]; then ok "$1"; else not_ok "$1 ($n saved, not $2)"; fi
}

# journal_has NAME TYPE TEXT: an event of TYPE in the journal of $STATE's incident holds the
# fixed TEXT.
journal_has() {
	j=$(ls "$STATE"/incidents/*/journal.jsonl 2>/dev/null | head -n 1)
	LAST=$(cat "$j" 2>/dev/null)
	if grep "\"type\":\"$2\"" "$j" 2>/dev/null | grep -qF -- "$3"; then
		ok "$1"
	else
		not_ok "$1 (no $2 event with $3)"
	fi
}


# 1. `3` `y` in each scenario: the saved Slack update, the state row, tmux's buffer, the journal.
# scenario leaf cid (yes: HubSpot's answers carry a correlation id; no: they do not).
for row in "token-revoked token-invalid yes" "daily-limit rate-limit-daily yes" \
	"server-errors hubspot-server-error no"; do
	set -- $row
	SC=$1 LEAF=$2 CID=$3
	fresh_state
	launch "$SC" "$SC" "$LEAF" || continue
	pane_cid=""
	if [ "$CID" = yes ]; then
		check "$SC: the API pane shows HubSpot's correlation id" "correlation $UUID" 5
		pane_cid=$(printf '%s\n' "$LAST" | grep -Eo "correlation $UUID" | grep -Eo "$UUID" | head -n 1)
	else
		check_not "$SC: the API pane shows no correlation id (the CDN answered)" "correlation $UUID"
	fi
	press "$SC: 3 opens the messages" "Slack update +Status-page notice +Postmortem" 3
	check "$SC: nothing saved yet" "not saved yet: y copies it and saves it" 3
	t send-keys -t "$SESSION" y
	got=$(saved_path slack)
	when=${got%% *}
	path=${got#* }
	files=$(ls "$STATE"/incidents/*/slack-*.md 2>/dev/null)
	if [ -n "$got" ] && [ "$files" = "$path" ] && [ -f "$path" ]; then
		ok "$SC: y saved one Slack update, the path the screen shows ($path)"
	else
		LAST="screen: $got; files: $files"
		not_ok "$SC: no Slack update saved where the screen says"
		continue
	fi
	stamp=$(basename "$path" | sed -n 's/^slack-\([0-9]\{6\}\).*/\1/p')
	if [ "$(echo "$when" | tr -d :)" = "$stamp" ]; then
		ok "$SC: the state row's time ($when UTC) is the file's"
	else
		LAST="row $when, file $stamp"
		not_ok "$SC: the state row's time is not the file's"
	fi
	LAST=$(cat "$path")
	if [ -n "$TITLE" ] && grep -qF -- "$TITLE" "$path"; then
		ok "$SC: the update names the cause ($TITLE)"
	else
		not_ok "$SC: the update does not name the cause \"$TITLE\""
	fi
	if grep -Eq '^\*Cause:\* [A-Za-z]' "$path" && ! grep -q 'cause?' "$path"; then
		ok "$SC: the cause line has the leaf's words"
	else
		not_ok "$SC: the cause line is missing or a placeholder"
	fi
	journal=$(dirname "$path")/journal.jsonl
	# The ids the update may carry: those the journal kept and the one the API pane showed.
	cids=$(grep -Eo "\"correlation_id\":\"$UUID\"" "$journal" 2>/dev/null | grep -Eo "$UUID" | sort -u)
	if [ "$CID" = yes ]; then
		hit=""
		for c in $cids $pane_cid; do
			grep -q "^\\*HubSpot correlation ids:\\*.*\`$c\`" "$path" && hit=$c
		done
		if [ -n "$hit" ]; then
			ok "$SC: the update carries HubSpot's correlation id $hit"
		else
			not_ok "$SC: no correlation id of HubSpot's answers ($(echo $cids $pane_cid)) in the update"
		fi
		# The id of the answer that fired the alert is journaled with the alert's frame (it
		# once waited for a later round, which a daily 429's back-off never brings).
		sent=$(grep '^\*HubSpot correlation ids:\*' "$path" | grep -Eo "$UUID")
		missing=""
		for c in $sent; do
			printf '%s\n' "$cids" | grep -qx "$c" || missing="$missing $c"
		done
		if [ -z "$missing" ]; then
			ok "$SC: the journal keeps every correlation id the update carries"
		else
			not_ok "$SC: the journal lacks the correlation id(s)$missing the update carries"
		fi
	else
		if [ -z "$cids" ] && ! grep -Eq "$UUID" "$path" &&
			grep -q '^\*HubSpot correlation ids:\* none' "$path"; then
			ok "$SC: no correlation id sent, none invented (the update says none)"
		else
			not_ok "$SC: a correlation id where HubSpot sent none"
		fi
	fi
	want=$(next_update_of "$path")
	if grep -q "^\\*Next update:\\* $want UTC\$" "$path"; then
		ok "$SC: the update says the next update time ($want UTC, the cadence after the save)"
	else
		not_ok "$SC: no \"Next update:* $want UTC\" in the update"
	fi
	if t show-buffer > "$TMPD/buffer" 2>/dev/null && cmp -s "$TMPD/buffer" "$path"; then
		ok "$SC: tmux's buffer holds exactly the saved text"
	else
		LAST=$(diff "$path" "$TMPD/buffer" 2>&1 | head -n 20)
		not_ok "$SC: tmux's buffer differs from the saved file"
	fi
	journal_has "$SC: the journal has the message.sent with its path" message.sent "\"path\":\"$path\""
	journal_has "$SC: y acknowledged the alert (ack in the journal)" ack '"owner":"tester"'
	check "$SC: the status line says it was copied and saved" "Slack update copied and saved: " 3
done

# 2. A placeholder filled with e: every message uses it, and so does the next run.
fresh_state
if launch "eta" token-revoked token-invalid; then
	press "eta: the ETA is a placeholder" "\\*ETA:\\* «ETA\\?»" 3
	check "eta: the fields row says ETA ?" "ETA \\?  thread link \\?" 3
	press "eta: Tab Tab e edits the ETA" "ETA \\(for every message of this incident\\)" Tab Tab e
	press "eta: the message shows the value" "\\*ETA:\\* 18:30 UTC" "18:30 UTC" Enter
	check "eta: the fields row ticks ETA" "ETA ✔" 3
	check "eta: kept until the incident opens" "ETA set: recorded when the incident opens" 3
	press "eta: l shows the public notice" "public check: passes" l
	LAST=$(body)
	if last_has "Last updated:" && ! last_has "$UUID|token-invalid|correlation"; then
		ok "eta: the public notice names no internal id (correlation id, leaf id)"
	else
		not_ok "eta: the public notice names an internal id"
	fi
	press "eta: h back to the Slack update" "\\*ETA:\\* 18:30 UTC" h
	t send-keys -t "$SESSION" y
	got=$(saved_path slack)
	path=${got#* }
	LAST=$(cat "$path" 2>/dev/null)
	if [ -n "$got" ] && grep -q '^\*ETA:\* 18:30 UTC$' "$path"; then
		ok "eta: the saved update has the ETA"
	else
		not_ok "eta: the saved update lacks the ETA"
	fi
	journal_has "eta: the journal has the field (message.field)" message.field '"value":"18:30 UTC"'
	press "eta: q quits" "HSR-EXITED 0" q
	if launch "eta (restarted)" token-revoked token-invalid; then
		press "eta (restarted): the ETA is resumed from the journal" "\\*ETA:\\* 18:30 UTC" 3
		check "eta (restarted): ticked in the fields row" "ETA ✔" 3
	fi
fi

# 3. The public notice: y saves it when the check passes; a failing check asks again.
fresh_state
if launch "notice" token-revoked token-invalid; then
	press "notice: the public check passes" "public check: passes \\(no ids, hosts or blame\\)" 3 l
	press "notice: y saves it" "Status-page notice copied and saved: " y
	notices "notice: one statuspage-*.txt saved" 1
	# impact is the field e starts on; multi-line: Ctrl-D saves.
	press "notice: e edits the impact" "impact \\(for every message of this incident\\)" e
	press "notice: the check fails with two problems" "public check: 2 problems: " \
		"human error in 0a1b2c3d-1111-2222-3333-444455556666" C-d
	check "notice: it says where and what" "public check: 2 problems: [0-9]+:[0-9]+: " 3
	press "notice: y asks a second confirmation" "check failed" y
	check "notice: with the problem" "The public notice fails its check \\(2 problems\\)" 3
	press "notice: n keeps it" "not copied: fix the notice" n
	notices "notice: n saved nothing" 1
	press "notice: y asks again" "check failed" y
	press "notice: y on the confirmation saves it" "Status-page notice copied and saved: " y
	latest=$(ls -t "$STATE"/incidents/*/statuspage-*.txt 2>/dev/null | head -n 1)
	n=$(ls "$STATE"/incidents/*/statuspage-*.txt 2>/dev/null | wc -l)
	LAST=$(cat "$latest" 2>/dev/null)
	if [ "$n" -eq 2 ] && grep -q "human error in 0a1b2c3d" "$latest"; then
		ok "notice: the second file has the operator's text"
	else
		not_ok "notice: no second file with the edited impact ($n files)"
	fi
fi

# 3b. OSC 52 alone: the app told it is not in tmux (TMUX empty: no load-buffer), tmux taking the
# terminal's clipboard sequence (set-clipboard on): the buffer is the saved text, «» included.
t delete-buffer >/dev/null 2>&1
t set-option -s set-clipboard on
fresh_state
if launch "osc52" server-errors hubspot-server-error "TMUX="; then
	t send-keys -t "$SESSION" 3 y
	got=$(saved_path slack)
	path=${got#* }
	if [ -n "$got" ] && t show-buffer > "$TMPD/buffer" 2>/dev/null && cmp -s "$TMPD/buffer" "$path"; then
		ok "osc52: the terminal's clipboard (OSC 52) got exactly the saved text"
	else
		LAST=$(diff "$path" "$TMPD/buffer" 2>&1 | head -n 20)
		not_ok "osc52: no OSC 52 with the saved text"
	fi
fi
t set-option -s set-clipboard external

# 4. Slack: not configured, S says how; configured on a simulator, S y posts and records it.
fresh_state
if launch "slack off" token-revoked token-invalid; then
	press "slack off: S says how to configure it" \
		"Slack is not configured: set HSR_SLACK_WEBHOOK_URL" 3 S
	check_not "slack off: no confirmation" "Send this message\\?"
fi

if sim_start healthy 0; then
	ok "a simulator for the webhook at $SIM_URL"
	HOOK="$SIM_URL/services/T/B/X"
	fresh_state
	if launch "slack" token-revoked token-invalid "HSR_SLACK_WEBHOOK_URL=$HOOK" "--timeout 5"; then
		press "slack: e edits the impact" \
			"impact \\(for every message of this incident\\)" 3 e
		t send-keys -t "$SESSION" "<!channel> R&D sync stalled" C-d
		check "slack: the update escapes & < > as Slack requires" \
			"\\*Impact:\\* &lt;!channel&gt; R&amp;D sync stalled" 3
		press "slack: S asks first" "Send this message\\?" S
		check "slack: with the target" "Send the Slack update to the Slack incoming webhook" 3
		check "slack: and the text" ":red_circle: \\*P[1-4] incident" 3
		check_not "slack: the webhook URL (a secret) is not shown" "/services/T/B/X"
		press "slack: y sends it" "posted to Slack \\(HTTP 200" y
		reqs=$(curl -s "$SIM_URL/_sim/requests")
		LAST=$reqs
		if printf '%s\n' "$reqs" | grep -q '"method":"POST","path":"/services/T/B/X"'; then
			ok "slack: the simulator received the post"
		else
			not_ok "slack: the simulator has no POST /services/T/B/X"
		fi
		journal_has "slack: the journal records the post" message.sent 'posted to Slack (HTTP 200)'
		journal_has "slack: the posted text went out escaped" message.sent '&lt;!channel&gt; R&amp;D'
		if grep -q '/services/T/B/X' "$STATE"/incidents/*/journal.jsonl 2>/dev/null; then
			not_ok "slack: the webhook URL is in the journal"
		else
			ok "slack: the webhook URL is not in the journal"
		fi

		# A post that hangs: the screen keeps answering, and the post ends at the time-out.
		fault=$(curl -s -X POST --data "hang 1" "$SIM_URL/_sim/post-fault")
		LAST=$fault
		if [ "$fault" = hang ]; then
			ok "slack: the simulator hangs the next post"
		else
			not_ok "slack: post-fault not set"
		fi
		press "slack hang: S asks" "Send this message\\?" S
		press "slack hang: sending" \
			"sending the Slack update… \\(the screen keeps answering\\)" y
		worst=0
		for pair in "2|Decision-tree walker" "3|sending the Slack update" "?|show or leave this help" \
			"Escape|Slack update +Status-page notice"; do
			t send-keys -t "$SESSION" "${pair%%|*}"
			ms=$(ms_until "${pair#*|}" 2000)
			if [ "$ms" -lt 0 ]; then worst=9999; elif [ "$ms" -gt "$worst" ]; then worst=$ms; fi
		done
		if [ "$worst" -lt 500 ]; then
			ok "slack hang: keys answer while the post hangs (worst $worst ms)"
		else
			screen
			not_ok "slack hang: a key took $worst ms while the post hung"
		fi
		check "slack hang: still sending" "sending the Slack update…" 1
		check "slack hang: the post ends with the reason" \
			"Slack update NOT sent: Slack did not answer in time" 10
		check_not "slack hang: the row no longer says sending" "sending the Slack update…"
	fi
else
	not_ok "the simulator for the webhook did not start"
fi

press "q quits" "HSR-EXITED 0" q
rig_done
