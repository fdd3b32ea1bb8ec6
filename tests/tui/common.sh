# Shared by the tmux tests (sourced, not run): a private tmux server, clean-up of what the
# test started, a UTF-8 locale, TAP-style ok / not_ok, and a millisecond clock.
# The caller sets SOCK, TMPD, PASS, FAIL and LAST first.

# tmux on our own server, with no user configuration.
t() {
	tmux -L "$SOCK" -f /dev/null "$@"
}

# The server stays up between sessions (no race between a dying server and the next start).
t start-server \; set-option -g exit-empty off

# Simulators this script started in the background (their pids), stopped at the end.
SIM_PIDS=""

cleanup() {
	t kill-server >/dev/null 2>&1
	for p in $SIM_PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$TMPD"
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

