#!/bin/sh
# Every scenario at 80x24, UTF-8 and ASCII: no two texts run together and no word is cut
# without an ellipsis, and no jargon. Each word on screen must be a word the program itself
# writes (its sources, the built-in runbook and the simulator's texts); a word cut short is
# fine only when an ellipsis ends it. "17 h 31 mfast pace" would show "mfast": not a word.
# Usage: HSR_BIN=/path/to/hsrunbook sh tests/tui/test_words.sh
set -u

# The shared tmux helpers (t, start, wait_for, ok, not_ok, ...).
. "$(dirname "$0")/common.sh"
rig_init words

# The words the program can write, lower case, one a line.
cat "$ROOT"/screens/*.c "$ROOT"/src/*.c "$ROOT"/screens/runbook/*.json |
	grep -oE '[A-Za-z]+' | tr 'A-Z' 'a-z' | sort -u > "$TMPD/vocab"

# capture: the screen as it is now into $TMPD/screen.
capture() {
	t capture-pane -t "$SESSION" -p > "$TMPD/screen"
}

# Words on the screen that the program never writes (tokens of 3+ letters; correlation ids,
# tokens with digits, tokens an ellipsis ends and runs of line-drawing letters, which is how
# an ASCII terminal's capture shows the box lines, are left out).
strange_words() {
	sed -E 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}//g' "$TMPD/screen" |
		sed -E 's/[A-Za-z]+(…|\.\.\.?)//g' |
		tr -c 'A-Za-z0-9\n' ' ' | tr ' ' '\n' | grep -E '^[A-Za-z]{3,}$' |
		grep -Ev '^[jklmnqtuvwx]+$' |
		tr 'A-Z' 'a-z' | sort -u | comm -23 - "$TMPD/vocab"
}

# Jargon the issue named: words an operator at 3 a.m. should not have to decode.
JARGON='fast pace|\(shape [A-C]\)|SEV-[0-9]'

check_screen() {
	name=$1
	bad=$(strange_words)
	if [ -z "$bad" ]; then ok "$name: every word whole"; else
		LAST=$(cat "$TMPD/screen"); not_ok "$name: words run together or cut: $(echo $bad)"; fi
	if grep -Eq -- "$JARGON" "$TMPD/screen"; then
		LAST=$(grep -E -- "$JARGON" "$TMPD/screen"); not_ok "$name: jargon on screen"
	else
		ok "$name: no jargon"
	fi
}

# Every scenario the simulator has, read from its table (new ones are tested as they come).
SCENARIOS=$(sed -n '/^const char \*const sim_scenarios\[\] = {/,/NULL/p' "$ROOT/src/sim.c" |
	grep -o '"[a-z-]*"' | tr -d '"')
n=$(echo $SCENARIOS | wc -w)
if [ "$n" -ge 12 ]; then ok "$n scenarios read from src/sim.c"; else
	LAST=""; not_ok "only $n scenarios read from src/sim.c"; fi

for loc in "$UTF8_LOCALE" C; do
	for scen in $SCENARIOS; do
		start 80 24 "LANG=$loc" "--demo $scen"
		# Wait for the diagnosis (hang: for the time-out), then a second for the rest.
		if wait_for '\[[a-z-]+\]' 25; then
			sleep 1.2
			capture
			check_screen "$scen ($loc)"
			# The help at 80x24 too.
			t send-keys -t "$SESSION" '?'
			if wait_for "show or leave this help" 2; then
				capture
				check_screen "$scen ($loc) help"
			else
				not_ok "$scen ($loc): ? did not open the help"
			fi
		else
			not_ok "$scen ($loc): no diagnosis on screen"
		fi
	done
done

rig_done
