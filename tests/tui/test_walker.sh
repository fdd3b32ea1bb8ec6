#!/bin/sh
# Screen tests of the decision-tree walker (screen 2): the real binary on demo scenarios at
# 80x24 in a private tmux server. The path with its evidence and the leaf; an override on the
# deciding question changes the leaf and u gives it back; space checks a step with its time;
# a scenario switch changes the leaf and the walker and the banner say "leaf changed".
# Usage: HSR_BIN=/path/to/hsrunbook sh tests/tui/test_walker.sh
set -u

. "$(dirname "$0")/common.sh"
rig_init walker

CLOCK='[0-9]{2}:[0-9]{2}:[0-9]{2} UTC'

# scenario | leaf id | the deciding question (start) | its evidence
while IFS='|' read -r scen leaf question evidence; do
	[ -n "$scen" ] || continue
	start 80 24 "" "--demo $scen"
	check "$scen: dashboard on [$leaf]" "\[$leaf\]" 10
	t send-keys -t "$SESSION" 2
	check "$scen: 2 opens the walker" "Decision-tree walker" 3
	check "$scen: the cursor starts on the deciding question" "^ (▶|>) $question" 3
	check "$scen: its answer, from the evidence" "YES from the evidence" 3
	check "$scen: its evidence, with its age" "evidence: .*$evidence" 3
	check "$scen: ages on the evidence" "(just now|[0-9]+ s ago)" 3
	check "$scen: the walker's keys in its title row" "y/n answer +u give back +space check" 1
	t send-keys -t "$SESSION" Home
	check "$scen: Home: the path from its start, counted" "^ Path: [0-9]+ questions?" 3
	# Override: n on the deciding question walks again to another leaf, marked as ours.
	t send-keys -t "$SESSION" n
	check "$scen: n is the operator's answer" "NO your answer, $CLOCK; the evidence says yes" 3
	check "$scen: n: a note names the new leaf" "you answered no; leaf now " 3
	check_not "$scen: n: the leaf is not $leaf any more" "leaf now $leaf( |$)"
	t send-keys -t "$SESSION" u
	check "$scen: u gives the answer back: leaf $leaf again" "given back to the evidence; leaf now $leaf" 3
	check "$scen: u: the evidence answers again" "^ (▶|>) $question" 3
	check_not "$scen: u: no answer of ours left" "your answer"
	# Down to the first remediation step: the leaf shows above it; space checks it.
	t send-keys -t "$SESSION" j
	check "$scen: the leaf with its id and severity" "Leaf: .*\[$leaf\] P[1-4]" 3
	check "$scen: the checklist" "Remediation: 0 of [0-9]+ checked" 3
	check "$scen: the cursor on step 1" "^ (▶|>) \[ \] 1\. " 3
	t send-keys -t "$SESSION" Space
	check "$scen: space checks step 1" "^ (▶|>) \[x\] 1\. " 3
	check "$scen: with the time it was checked" "checked $CLOCK" 3
	check "$scen: counted" "Remediation: 1 of [0-9]+ checked" 3
	t send-keys -t "$SESSION" Space
	check "$scen: space again unchecks it" "Remediation: 0 of [0-9]+ checked" 3
	# The evidence changes under us: the path follows and says so, here and on the dashboard.
	# (The next scenario may end on the same leaf: switch again until one does not.)
	for i in 1 2 3 4; do
		t send-keys -t "$SESSION" s
		wait_for "leaf changed: " 6 && break
	done
	check "$scen: s: the walker says the leaf changed" "leaf changed: $leaf (→|->) [a-z-]+, $CLOCK" 3
	t send-keys -t "$SESSION" 1
	check "$scen: the dashboard banner says it too" "^ .*\[[a-z-]+\] .* leaf changed: " 3
	check "$scen: back on the dashboard" "Rate limits" 3
done <<'EOF2'
token-revoked|token-invalid|Did HubSpot reject our token|HTTP 401, category INVALID_AUTHENTICATION
daily-limit|rate-limit-daily|Is the account's daily API allowance used up|HTTP 429
server-errors|hubspot-server-error|Did HubSpot answer with a server error|HTTP 50[0-9]
EOF2

# A waiting question: on healthy, "are webhook deliveries failing?" waits for the operator.
start 80 24 "" "--demo healthy"
check "healthy: dashboard" "\[healthy\]" 10
t send-keys -t "$SESSION" 2
check "healthy: a question waits for the operator" "UNKNOWN waiting for you" 3
t send-keys -t "$SESSION" y
check "healthy: y on it reaches the webhook leaf" "leaf now webhook-failing" 3
t send-keys -t "$SESSION" q
check "q quits from the walker" "HSR-EXITED 0" 3

rig_done
