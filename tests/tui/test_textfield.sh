#!/bin/sh
# The text field overlay in a real terminal: wide characters typed, the cursor shown while it
# edits (and hidden after), editing keys, Esc cancels, Enter saves, multi-line saves with
# Enter on an empty last line or Ctrl-D, q is text while it is open, Ctrl-C still quits.
# Nothing in the product opens a field yet: HSR_TEST_TEXTFIELD=line|multi opens one at start.
# Usage: HSR_BIN=/path/to/hsrunbook sh tests/tui/test_textfield.sh
set -u

: "${HSR_BIN:?set HSR_BIN to the built hsrunbook binary}"
command -v tmux >/dev/null 2>&1 || { echo "not ok - tmux is not installed"; exit 1; }

SOCK="hsrfield$$"
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/hsrfield.XXXXXX") || exit 1
PASS=0
FAIL=0
LAST=""
# The helpers every tmux test shares (t, cleanup, UTF8_LOCALE, ok, not_ok, now_ms).
. "$(dirname "$0")/common.sh"

# start KIND: the demo at 80x24 with a test field of KIND open; the exit code is printed.
start() {
	t kill-session -t f >/dev/null 2>&1
	t new-session -d -s f -x 80 -y 24 \
		"env LANG=$UTF8_LOCALE LC_ALL= TERM=screen HSR_TEST_TEXTFIELD=$1 $HSR_BIN --demo --config /dev/null; echo EXIT=\$?; sleep 60"
}

# wait_for REGEX SECONDS: poll the screen until it matches.
wait_for() {
	deadline=$(($(now_ms) + $2 * 1000))
	while :; do
		t capture-pane -t f -p > "$TMPD/screen" 2>/dev/null
		grep -Eq -- "$1" "$TMPD/screen" && return 0
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

# check NAME REGEX: the screen shows REGEX within 3 s.
check() {
	if wait_for "$2" 3; then ok "$1"; else LAST=$(cat "$TMPD/screen"); not_ok "$1"; fi
}

# cursor: "x,y flag" of the pane's cursor.
cursor() {
	t display -p -t f '#{cursor_x},#{cursor_y} #{cursor_flag}'
}

# One line: type wide characters, edit, save.
start line
check "line: the field opens" "Test field"
check "line: its keys are shown" "Enter: save    Esc: cancel"
case "$(cursor)" in *" 1") ok "line: the cursor shows while it edits" ;;
*) LAST=$(cursor); not_ok "line: the cursor shows while it edits" ;; esac
t send-keys -t f -l 'quit héllo 日本 wörld'
check "line: q and wide characters are typed as text" "│ quit héllo 日本 wörld"
# The cursor after "wörld": box at column 5, text from column 7, 21 columns of text.
case "$(cursor)" in "28,10 1") ok "line: the cursor counts wide characters as two" ;;
*) LAST=$(cursor); not_ok "line: the cursor counts wide characters as two" ;; esac
t send-keys -t f Left Left BSpace
check "line: Left and Backspace" "│ quit héllo 日本 wöld"
t send-keys -t f Home DC C-e C-w
check "line: Home, Delete, Ctrl-E, Ctrl-W" "│ uit héllo 日本 +│"
t send-keys -t f Enter
check "line: Enter saves" "text field saved \[uit héllo 日本 \]"
case "$(cursor)" in *" 0") ok "line: the cursor is hidden again" ;;
*) LAST=$(cursor); not_ok "line: the cursor is hidden again" ;; esac
if grep -q "Test field" "$TMPD/screen"; then LAST=$(cat "$TMPD/screen"); not_ok "line: the box closes"
else ok "line: the box closes"; fi

# Esc cancels; then the keys are the dashboard's again (? opens the help).
start line
check "esc: the field opens" "Test field"
t send-keys -t f -l 'abc'
t send-keys -t f Escape
check "esc: cancels" "text field cancelled"
t send-keys -t f '?'
check "esc: keys go to the screen again" "What the marks mean"

# Several lines: Enter starts a line, Enter on the empty last line saves.
start multi
check "multi: the field opens" "Ctrl-D or Enter on an empty line: save"
t send-keys -t f -l 'api 429 since 14:00'
t send-keys -t f Enter
t send-keys -t f -l 'paged app team'
t send-keys -t f Enter
check "multi: Enter starts a new line" "│ paged app team"
t send-keys -t f Enter
check "multi: Enter on an empty last line saves" "text field saved \[api 429 since 14:00\|paged app team\]"

# Ctrl-D saves from anywhere; Ctrl-C still ends the program while a field is open.
start multi
check "ctrl-d: the field opens" "Test field"
t send-keys -t f -l 'one'
t send-keys -t f Enter
t send-keys -t f -l 'two'
t send-keys -t f Up C-d
check "ctrl-d: saves" "text field saved \[one\|two\]"
start line
check "ctrl-c: the field opens" "Test field"
t send-keys -t f C-c
check "ctrl-c: ends the program (130)" "EXIT=130"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
