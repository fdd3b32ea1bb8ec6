/* The walker's state: the shared walk with the operator's answers, leaf changes, checklist. */
#include "hsr/walker.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Start a walker on rb with no decisions. */
void walker_init(walker *w, const runbook *rb)
{
	memset(w, 0, sizeof *w);
	w->rb = rb;
}

/* "14:03:11 UTC" for a wall-clock time in ms. */
void walker_clock(int64_t ms, char *buf, size_t sz)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, sz, "??:??:?? UTC");
		return;
	}
	snprintf(buf, sz, "%02d:%02d:%02d UTC", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Evaluate a step's verify on e ("!name": met when name answers no); unknown without one. */
answer walker_verify_eval(const rb_step *step, const evidence *e, char *why, size_t whysz)
{
	if (why && whysz)
		why[0] = '\0';
	if (!step || !step->verify)
		return ANSWER_UNKNOWN;
	bool negate = step->verify[0] == '!';
	answer a = predicate_eval(step->verify + negate, e, why, whysz);
	if (negate && a != ANSWER_UNKNOWN)
		a = a == ANSWER_YES ? ANSWER_NO : ANSWER_YES;
	return a;
}

/* Refresh the live checks of the current leaf's steps; forget them when the leaf changed. */
static void refresh_verify(walker *w, const evidence *e, bool leaf_changed, int64_t now_ms)
{
	const rb_leaf *l = w->diag.leaf;
	if (leaf_changed)
		memset(w->verify, 0, sizeof w->verify);
	for (int k = 0; l && k < l->n_steps && k < RUNBOOK_MAX_STEPS; k++) {
		walker_verify *v = &w->verify[k];
		v->has_verify = l->steps[k].verify != NULL;
		v->state = walker_verify_eval(&l->steps[k], e, v->why, sizeof v->why);
		if (v->state != ANSWER_YES)
			v->met_since_ms = 0;
		else if (v->met_since_ms == 0)
			v->met_since_ms = now_ms;
	}
}

/* Whether leaf is one of rb's leaves. */
static bool leaf_of(const runbook *rb, const rb_leaf *leaf)
{
	return rb && leaf && leaf >= rb->leaves && leaf < rb->leaves + rb->n_leaves;
}

/*
 * Walk again on e with the operator's answers (or take plain, diagnose()'s walk of e on the
 * walker's runbook, while there are none); record a leaf change when from_evidence.
 */
static bool rewalk(walker *w, const evidence *e, const diagnosis *plain, int64_t now_ms,
		   bool from_evidence)
{
	const rb_leaf *before = w->walked ? w->diag.leaf : NULL;
	if (plain && w->ops.n_overrides == 0 && leaf_of(w->rb, plain->leaf))
		w->diag = *plain;
	else
		diagnose_walk(e, w->rb, w->ops.overrides, w->ops.n_overrides, &w->diag);
	const rb_leaf *after = w->diag.leaf;
	bool changed = before && after && before != after;
	/* A probe answering for the first time completes the picture: not a change to announce. */
	int published = evidence_published(e);
	bool first_answer = published > w->published;
	w->published = published;
	w->walked = true;
	if (changed && from_evidence && !first_answer) {
		char when[24];
		walker_clock(now_ms, when, sizeof when);
		w->change.from = before;
		w->change.to = after;
		w->change.at_ms = now_ms;
		snprintf(w->change.text, sizeof w->change.text, "leaf changed: %s \u2192 %s, %s",
			 before->id, after->id, when);
	}
	refresh_verify(w, e, before != after, now_ms);
	return changed;
}

/* New evidence: walk again with the operator's answers kept; true when the leaf changed. */
bool walker_update(walker *w, const evidence *e, int64_t now_ms)
{
	return rewalk(w, e, NULL, now_ms, true);
}

/* New evidence already diagnosed (plain): taken as is without answers; true when the leaf changed.
 */
bool walker_follow(walker *w, const evidence *e, const diagnosis *plain, int64_t now_ms)
{
	return rewalk(w, e, plain, now_ms, true);
}

/* The index of node's entry in the overrides, or -1. */
static int override_index(const walker *w, const rb_node *node)
{
	for (int k = 0; k < w->ops.n_overrides; k++)
		if (w->ops.overrides[k].node == node)
			return k;
	return -1;
}

/* The operator's answer to node, or NULL when the evidence answers it. */
const diag_override *walker_override(const walker *w, const rb_node *node)
{
	int k = override_index(w, node);
	return k < 0 ? NULL : &w->ops.overrides[k];
}

/* Whether node is one of rb's nodes. */
static bool node_of(const runbook *rb, const rb_node *node)
{
	return rb && node && node >= rb->nodes && node < rb->nodes + rb->n_nodes;
}

/* The operator answers node (yes/no override, unknown gives it back); walks again on e. */
bool walker_answer(walker *w, const evidence *e, const rb_node *node, answer a, int64_t now_ms)
{
	if (!node_of(w->rb, node))
		return false;
	int k = override_index(w, node);
	if (a == ANSWER_UNKNOWN) {
		if (k >= 0) {
			w->ops.overrides[k] = w->ops.overrides[--w->ops.n_overrides];
			memset(&w->ops.overrides[w->ops.n_overrides], 0,
			       sizeof w->ops.overrides[0]);
		}
	} else {
		if (k < 0) {
			if (w->ops.n_overrides == WALKER_MAX_OVERRIDES)
				return false;
			k = w->ops.n_overrides++;
		}
		w->ops.overrides[k] = (diag_override){.node = node, .ans = a, .at_ms = now_ms};
	}
	rewalk(w, e, NULL, now_ms, false);
	return true;
}

/* The last walked question (the one that decided the leaf), or -1. */
int walker_deciding_step(const walker *w)
{
	for (int k = w->diag.n_steps - 1; k >= 0; k--)
		if (w->diag.steps[k].node)
			return k;
	return -1;
}

/* How many questions on the path wait for the operator. */
int walker_waiting(const walker *w)
{
	int n = 0;
	for (int k = 0; k < w->diag.n_steps; k++)
		n += w->diag.steps[k].from == DIAG_WAITING;
	return n;
}

/* The index of the check of step of leaf, or -1. */
static int check_index(const walker *w, const rb_leaf *leaf, const rb_step *step)
{
	for (int k = 0; k < w->ops.n_checks; k++)
		if (w->ops.checks[k].leaf == leaf && w->ops.checks[k].step == step)
			return k;
	return -1;
}

/* The check of step of leaf, or NULL. */
const walker_check *walker_checked(const walker *w, const rb_leaf *leaf, const rb_step *step)
{
	int k = check_index(w, leaf, step);
	return k < 0 ? NULL : &w->ops.checks[k];
}

/* Check or uncheck step k of the current leaf; whether it is checked now. */
bool walker_toggle_step(walker *w, int k, int64_t now_ms)
{
	const rb_leaf *l = w->diag.leaf;
	if (!l || k < 0 || k >= l->n_steps)
		return false;
	const rb_step *st = &l->steps[k];
	int i = check_index(w, l, st);
	if (i >= 0) {
		/* Keep the order checks were made in: the journal reads them in that order. */
		memmove(&w->ops.checks[i], &w->ops.checks[i + 1],
			(size_t)(w->ops.n_checks - i - 1) * sizeof w->ops.checks[0]);
		w->ops.n_checks--;
		return false;
	}
	if (w->ops.n_checks == WALKER_MAX_CHECKS)
		return false;
	w->ops.checks[w->ops.n_checks++] = (walker_check){.leaf = l, .step = st, .at_ms = now_ms};
	return true;
}
