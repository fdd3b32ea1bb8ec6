/* diagnose(): walk the runbook's tree on the evidence to a leaf, citing evidence at each step. */
#include "hsr/diagnose.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hsr/format.h"

/* The question of the step added after the walk when the status page disagrees with the leaf. */
static const char also_status_question[] = "Does HubSpot's status page also report an incident?";
/* The question of the step added after the walk when the leaf is hubspot-slow. */
static const char also_slow_question[] =
    "Does our own app also see HubSpot answer slowly (its health endpoint's HubSpot latency)?";

/* Add a note when there is room, cut at a UTF-8 character boundary when it is too long. */
__attribute__((format(printf, 2, 3))) static void note(diagnosis *d, const char *fmt, ...)
{
	if (d->n_notes >= DIAG_MAX_NOTES)
		return;
	/* Twice the room: a character half-written at the end of line lies past the cut. */
	char line[2 * sizeof d->notes[0]];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	format_utf8_copy(d->notes[d->n_notes], sizeof d->notes[0], line);
	d->n_notes++;
}

/* s without a leading prefix ("status page: ..." -> "..."). */
static const char *without(const char *s, const char *prefix)
{
	size_t l = strlen(prefix);
	return strncmp(s, prefix, l) == 0 ? s + l : s;
}

/* Where an answer leads from node n. */
static const char *target_of(const rb_node *n, answer a)
{
	if (a == ANSWER_YES)
		return n->yes;
	if (a == ANSWER_UNKNOWN && n->unknown)
		return n->unknown;
	return n->no;
}

/* Whether the walk already asked predicate and the evidence answered a. */
static bool walk_answered(const diagnosis *d, const char *predicate, answer a)
{
	for (int k = 0; k < d->n_steps; k++)
		if (d->steps[k].node && d->steps[k].node->predicate &&
		    d->steps[k].evidence_ans == a &&
		    strcmp(d->steps[k].node->predicate, predicate) == 0)
			return true;
	return false;
}

/*
 * When our own API's answer decided a leaf other than hubspot-outage while the status page
 * reports an incident, say so in the path too: one more step, with no node of the tree.
 */
static void step_also_status(const evidence *e, diagnosis *d)
{
	if (strcmp(d->leaf->id, "hubspot-outage") == 0 || d->n_steps >= DIAG_MAX_STEPS ||
	    walk_answered(d, "status.incident_active", ANSWER_YES))
		return;
	diag_step st = {.node = NULL, .question = also_status_question};
	st.ans = predicate_eval("status.incident_active", e, st.evidence, sizeof st.evidence);
	st.evidence_ans = st.ans;
	st.at_ms = e->status.f.at_ms;
	if (st.ans == ANSWER_YES)
		d->steps[d->n_steps++] = st;
}

/* When the leaf is hubspot-slow, our app's own HubSpot latency is supporting evidence. */
static void step_also_slow(const evidence *e, diagnosis *d)
{
	if (strcmp(d->leaf->id, "hubspot-slow") != 0 || d->n_steps >= DIAG_MAX_STEPS)
		return;
	diag_step st = {.node = NULL, .question = also_slow_question};
	st.ans = predicate_eval("health.hubspot_slow", e, st.evidence, sizeof st.evidence);
	st.evidence_ans = st.ans;
	st.at_ms = e->health.f.at_ms;
	if (st.ans != ANSWER_UNKNOWN)
		d->steps[d->n_steps++] = st;
}

/* A note when HubSpot named the data centre (hublet) the account lives in. */
static void note_hublet(const evidence *e, diagnosis *d)
{
	const char *h = e->api.correct_hublet;
	if (!e->api.f.done || !h[0])
		return;
	bool plain = true; /* letters and digits only: safe to build a host name from */
	for (const char *p = h; *p; p++)
		plain = plain && isalnum((unsigned char)*p);
	if (!plain)
		note(d,
		     "HubSpot says this account lives in hublet \"%s\": point api_base at that "
		     "data centre's API host.",
		     h);
	else if (strcmp(h, "na1") == 0)
		note(d, "HubSpot says this account lives in hublet na1: point api_base at "
			"api.hubapi.com.");
	else
		note(d,
		     "HubSpot says this account lives in hublet %s: point api_base at "
		     "api-%s.hubapi.com.",
		     h, h);
}

/* Notes on the status page: an incident the leaf does not follow, or a page we could not read. */
static void note_status(const evidence *e, diagnosis *d)
{
	char why[240];
	answer inc = predicate_eval("status.incident_active", e, why, sizeof why);
	bool outage = strcmp(d->leaf->id, "hubspot-outage") == 0;
	if (inc == ANSWER_YES && !outage) {
		note(d,
		     "The status page also reports an incident: %s - our own API's answer decides "
		     "the leaf.",
		     without(why, "status page: "));
	} else if (inc == ANSWER_UNKNOWN) {
		note(d, "Status page not read: %s; check status.hubspot.com by hand.",
		     without(why, "status page: "));
	}
	if (outage) {
		char api[240];
		if (predicate_eval("api.http_2xx", e, api, sizeof api) == ANSWER_YES)
			note(d,
			     "Our own API call still succeeds (%s): the incident may not touch the "
			     "calls we make.",
			     api);
	}
}

/* A note when our own API call gives no evidence: no token, or no result yet. */
static void note_api(const evidence *e, diagnosis *d)
{
	const fetch_info *f = &e->api.f;
	switch (evidence_outcome_of(f)) {
	case EVIDENCE_PENDING:
		note(d,
		     "Our API call has not answered yet: the diagnosis may change when it does.");
		break;
	case EVIDENCE_NOT_ASKED:
		note(d, "No API call made: %s.",
		     f->error[0] ? f->error : "no token: set HUBSPOT_ACCESS_TOKEN or --token-file");
		break;
	case EVIDENCE_CANCELLED:
		note(d, "Our API call was cancelled before it answered: refresh to ask again.");
		break;
	default:
		break;
	}
}

/*
 * Notes on what our app says of its HubSpot connection: with no API evidence of our own, a
 * disconnection it reports is not blamed on it; with a quick call of our own, its slow HubSpot
 * latency is worth a look.
 */
static void note_app_hubspot(const evidence *e, diagnosis *d)
{
	char why[240];
	const ev_health *h = &e->health;
	bool down = h->hubspot_connected == 0, breaker = strcmp(h->circuit_state, "open") == 0;
	if (strcmp(d->leaf->id, "unknown") == 0 && !evidence_answered(&e->api.f) &&
	    evidence_answered(&h->f) && (down || breaker))
		note(d,
		     "Our app reported %s (HTTP %ld) with %s: without an API answer of our own "
		     "that may be HubSpot's or the token's fault, so it is not blamed on our app.",
		     evidence_health_name(h->state), h->f.http_status,
		     down && breaker ? "HubSpot not connected and its circuit open"
		     : down	     ? "HubSpot not connected"
				     : "its HubSpot circuit open");
	if (strcmp(d->leaf->id, "healthy") == 0 &&
	    predicate_eval("health.hubspot_slow", e, why, sizeof why) == ANSWER_YES)
		note(d, "Our own call was quick, but %s: look at the calls our app makes.",
		     without(why, "health endpoint: "));
}

/* A note when our own health endpoint gives no verdict. */
static void note_health(const evidence *e, diagnosis *d)
{
	char why[240];
	if (predicate_eval("health.unhealthy", e, why, sizeof why) != ANSWER_UNKNOWN)
		return;
	note(d,
	     "Our health endpoint gave no verdict: %s; the app's own state is not in this "
	     "diagnosis.",
	     without(why, "health endpoint: "));
}

/* How a step was answered, as a word. */
const char *diagnose_source_name(diag_source s)
{
	switch (s) {
	case DIAG_FROM_OPERATOR:
		return "operator";
	case DIAG_WAITING:
		return "waiting";
	case DIAG_FROM_EVIDENCE:
	default:
		return "evidence";
	}
}

/* Walk rb from its start on evidence e; fill out with the path, the leaf and the notes. */
void diagnose(const evidence *e, const runbook *rb, diagnosis *out)
{
	diagnose_walk(e, rb, NULL, 0, out);
}

/* The wall-clock time of the evidence a predicate reads (by its probe prefix), 0 unknown. */
static int64_t evidence_time(const evidence *e, const char *predicate)
{
	if (!e || !predicate)
		return 0;
	if (strncmp(predicate, "status.", 7) == 0)
		return e->status.f.at_ms;
	if (strncmp(predicate, "api.", 4) == 0)
		return e->api.f.at_ms;
	if (strncmp(predicate, "health.", 7) == 0)
		return e->health.f.at_ms;
	return 0;
}

/* The operator's override of node n in ov, or NULL. */
static const diag_override *override_of(const diag_override *ov, int n_ov, const rb_node *n)
{
	for (int k = 0; ov && k < n_ov; k++)
		if (ov[k].node == n && (ov[k].ans == ANSWER_YES || ov[k].ans == ANSWER_NO))
			return &ov[k];
	return NULL;
}

/* Answer node n: the operator's override, else the evidence (or waiting for the operator). */
static void answer_step(const evidence *e, const rb_node *n, const diag_override *ov, int n_ov,
			diag_step *st)
{
	st->node = n;
	st->question = n->question;
	if (n->ask_operator) {
		st->evidence_ans = ANSWER_UNKNOWN;
		st->from = DIAG_WAITING;
		snprintf(st->evidence, sizeof st->evidence,
			 "no evidence answers this: only the operator can, in the walker");
	} else {
		st->evidence_ans =
		    predicate_eval(n->predicate, e, st->evidence, sizeof st->evidence);
		st->from = DIAG_FROM_EVIDENCE;
		st->at_ms = evidence_time(e, n->predicate);
	}
	st->ans = st->evidence_ans;
	const diag_override *o = override_of(ov, n_ov, n);
	if (o) {
		st->ans = o->ans;
		st->from = DIAG_FROM_OPERATOR;
		st->at_ms = o->at_ms;
	}
}

/* The walk of diagnose(), with the operator's overrides ov taking precedence. */
void diagnose_walk(const evidence *e, const runbook *rb, const diag_override *ov, int n_ov,
		   diagnosis *out)
{
	memset(out, 0, sizeof *out);
	if (!rb)
		return;
	const rb_node *n = runbook_node(rb, rb->start);
	while (n && !out->leaf) {
		if (out->n_steps == DIAG_MAX_STEPS) {
			note(out,
			     "The tree gave no verdict within %d questions: stopped at \"%s\".",
			     DIAG_MAX_STEPS, n->id);
			break;
		}
		diag_step *st = &out->steps[out->n_steps++];
		answer_step(e, n, ov, n_ov, st);
		const char *target = target_of(n, st->ans);
		out->leaf = runbook_leaf(rb, target);
		if (!out->leaf) {
			n = runbook_node(rb, target);
			if (!n)
				note(out,
				     "The runbook's node \"%s\" leads to \"%s\", which is not "
				     "defined.",
				     st->node->id, target ? target : "(nothing)");
		}
	}
	if (!out->leaf)
		out->leaf = runbook_leaf(rb, "unknown");
	if (!out->leaf || !e)
		return;
	step_also_status(e, out);
	step_also_slow(e, out);
	note_hublet(e, out);
	note_status(e, out);
	note_api(e, out);
	note_app_hubspot(e, out);
	note_health(e, out);
}

/* One API answer decides several questions: the evidence is said once. */
bool diagnose_same_evidence(const diagnosis *d, int i)
{
	return i > 0 && i < d->n_steps &&
	       strcmp(d->steps[i].evidence, d->steps[i - 1].evidence) == 0;
}
