#!/bin/sh
# The text field overlay in a real terminal: wide characters typed, the cursor shown while it
# edits (and hidden after), editing keys, Esc cancels, Enter saves, multi-line saves with
# Enter on an empty last line or Ctrl-D, q is text while it is open, Ctrl-C still quits.
# Nothing in the product opens a field yet: HSR_TEST_TEXTFIELD=line|multi opens one at start.
# Usage: HSR_BIN=/path/to/hsrunbook sh tests/tui/test_textfield.sh
set -u

# The shared tmux helpers (t, start, check, wait_for, ...).
. "$(dirname "$0")/common.sh"
rig_init field

# field KIND: the demo at 80x24 with a test text field of KIND (line, multi) open.
field() {
	start 80 24 "HSR_TEST_TEXTFIELD=$1" "--demo --config /dev/null"
}

# cursor: "x,y flag" of the pane's cursor.
cursor() {
	t display -p -t "$SESSION" '#{cursor_x},#{cursor_y} #{cursor_flag}'
}

# One line: type wide characters, edit, save.
field line
check "line: the field opens" "Test field"
check "line: its keys are shown" "Enter: save    Esc: cancel"
case "$(cursor)" in *" 1") ok "line: the cursor shows while it edits" ;;
*) LAST=$(cursor); not_ok "line: the cursor shows while it edits" ;; esac
t send-keys -t "$SESSION" -l 'quit héllo 日本 wörld'
check "line: q and wide characters are typed as text" "│ quit héllo 日本 wörld"
# The cursor after "wörld": box at column 5, text from column 7, 21 columns of text.
case "$(cursor)" in "28,11 1") ok "line: the cursor counts wide characters as two" ;;
*) LAST=$(cursor); not_ok "line: the cursor counts wide characters as two" ;; esac
t send-keys -t "$SESSION" Left Left BSpace
check "line: Left and Backspace" "│ quit héllo 日本 wöld"
t send-keys -t "$SESSION" Home DC C-e C-w
check "line: Home, Delete, Ctrl-E, Ctrl-W" "│ uit héllo 日本 +│"
t send-keys -t "$SESSION" Enter
check "line: Enter saves" "text field saved \[uit héllo 日本 \]"
case "$(cursor)" in *" 0") ok "line: the cursor is hidden again" ;;
*) LAST=$(cursor); not_ok "line: the cursor is hidden again" ;; esac
check_not "line: the box closes" "Test field"

# Esc cancels; then the keys are the dashboard's again (? opens the help).
field line
check "esc: the field opens" "Test field"
t send-keys -t "$SESSION" -l 'abc'
t send-keys -t "$SESSION" Escape
check "esc: cancels" "text field cancelled"
t send-keys -t "$SESSION" '?'
check "esc: keys go to the screen again" "show or leave this help"

# Several lines: Enter starts a line, Enter on the empty last line saves.
field multi
check "multi: the field opens" "Ctrl-D or Enter on an empty line: save"
t send-keys -t "$SESSION" -l 'api 429 since 14:00'
t send-keys -t "$SESSION" Enter
t send-keys -t "$SESSION" -l 'paged app team'
t send-keys -t "$SESSION" Enter
check "multi: Enter starts a new line" "│ paged app team"
t send-keys -t "$SESSION" Enter
check "multi: Enter on an empty last line saves" "text field saved \[api 429 since 14:00\|paged app team\]"

# Ctrl-D saves from anywhere; Ctrl-C still ends the program while a field is open.
field multi
check "ctrl-d: the field opens" "Test field"
t send-keys -t "$SESSION" -l 'one'
t send-keys -t "$SESSION" Enter
t send-keys -t "$SESSION" -l 'two'
t send-keys -t "$SESSION" Up C-d
check "ctrl-d: saves" "text field saved \[one\|two\]"
field line
check "ctrl-c: the field opens" "Test field"
t send-keys -t "$SESSION" C-c
check "ctrl-c: ends the program (130)" "HSR-EXITED 130"

rig_done
