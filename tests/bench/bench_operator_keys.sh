#!/bin/sh
# Benchmark: operator speed on the messages screen. For token-revoked, daily-limit and
# server-errors, each from launch on a fresh state dir, the dashboard runs in tmux on the demo;
# once the alert shows, exactly `3` then `y` are sent, and the saved Slack update is checked: it
# names the cause (the alert's title), a correlation id when HubSpot's answer carried one (the API
# pane shows it), and the next update time. Prints a table (keys, what the update names, ms from
# launch to the saved file) and the total. Exits non-zero only when it cannot drive the app.
set -u
BIN=${HSR_BIN:-build/hsrunbook}
SOCK=hsrkeys$$
tmp=$(mktemp -d)
T="tmux -L $SOCK -f /dev/null"
cleanup() { $T kill-server 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
export LANG=C.UTF-8 LC_ALL=C.UTF-8
UUID='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

if ! command -v tmux >/dev/null 2>&1; then
	echo "bench_operator_keys: tmux is not installed (make deps)"
	exit 1
fi
[ -x "$BIN" ] || { echo "bench_operator_keys: $BIN is not an executable (make first)"; exit 1; }
# The panes start in the server's directory: the binary by its absolute path.
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
$T start-server \; set-option -g exit-empty off

now_ms() { echo $(($(date +%s%N) / 1000000)); }
shot() { $T capture-pane -p -t keys 2>/dev/null; }
# wait_text REGEX MS: poll the screen until REGEX matches; the screen in SHOT; 1 on time-out.
wait_text() {
	t0w=$(now_ms)
	while :; do
		SHOT=$(shot)
		printf '%s\n' "$SHOT" | grep -Eq -- "$1" && return 0
		[ $(($(now_ms) - t0w)) -gt "$2" ] && return 1
		sleep 0.02
	done
}
# saved_file DIR MS: poll until a Slack update is saved under DIR/incidents/*/; its path.
saved_file() {
	t0w=$(now_ms)
	while :; do
		f=$(ls "$1"/incidents/*/slack-*.md 2>/dev/null | head -n 1)
		[ -n "$f" ] && [ -s "$f" ] && { echo "$f"; return 0; }
		[ $(($(now_ms) - t0w)) -gt "$2" ] && return 1
		sleep 0.01
	done
}

printf '%s\n' "bench_operator_keys: keys from launch to a saved Slack update (target: 4 or fewer)"
printf '%-14s| %4s | %-40s | %-41s | %-11s | %s\n' scenario keys cause "correlation id" \
	"next update" "ms launch->saved"
total=0
worst=0
for sc in token-revoked daily-limit server-errors; do
	state="$tmp/state.$sc"
	t0=$(now_ms)
	$T new-session -d -s keys -x 120 -y 40 "env TERM=screen TZ=UTC USER=oncall \
XDG_CONFIG_HOME=$tmp/xdg HSR_SLACK_WEBHOOK_URL= $BIN --demo $sc --state-dir $state; sleep 60"
	# The operator reads the alert first: the banner names the leaf.
	if ! wait_text ' \[[a-z0-9-]+\] — see walker' 15000; then
		echo "bench_operator_keys: $sc: no alert on the dashboard within 15 s"
		printf '%s\n' "$SHOT" | sed 's/^/  | /'
		exit 1
	fi
	title=$(printf '%s\n' "$SHOT" |
		sed -n 's/^ [^ ]* \(.*[^ ]\)  *\[[a-z0-9-]*\] — see walker.*/\1/p' | head -n 1)
	pane_cid=$(printf '%s\n' "$SHOT" | grep -Eo "correlation $UUID" | grep -Eo "$UUID" | head -n 1)
	keys=0
	$T send-keys -t keys 3
	keys=$((keys + 1))
	if ! wait_text 'Slack update +Status-page notice' 5000; then
		echo "bench_operator_keys: $sc: 3 did not open the messages"
		exit 1
	fi
	$T send-keys -t keys y
	keys=$((keys + 1))
	if ! file=$(saved_file "$state" 5000); then
		echo "bench_operator_keys: $sc: y saved no Slack update under $state/incidents/"
		shot | sed 's/^/  | /'
		exit 1
	fi
	ms=$(($(now_ms) - t0))
	if [ -n "$title" ] && grep -qF -- "$title" "$file"; then cause="yes: $title"; else cause="NO"; fi
	ids=$(grep '^\*HubSpot correlation ids:\*' "$file" | grep -Eo "$UUID" | head -n 1)
	if [ -n "$ids" ]; then
		cid="yes: $ids"
	elif [ -n "$pane_cid" ]; then
		cid="NO (HubSpot sent $pane_cid)"
	else
		cid="none sent (none claimed)"
		grep -Eq "$UUID" "$file" && cid="NO: an id HubSpot did not send"
	fi
	next=$(sed -n 's/^\*Next update:\* \([0-9][0-9]:[0-9][0-9] UTC\)$/\1/p' "$file" | head -n 1)
	[ -n "$next" ] || next="NO"
	printf '%-14s| %4d | %-40.40s | %-41.41s | %-11s | %d\n' "$sc" "$keys" "$cause" "$cid" \
		"$next" "$ms"
	total=$((total + keys))
	[ "$keys" -gt "$worst" ] && worst=$keys
	$T kill-session -t keys 2>/dev/null
done
echo "total: $total keys over 3 scenarios (at most $worst per scenario; target 4 or fewer)"
