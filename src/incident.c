/* The incident's state machine, rebuilt from journal events (hsr/incident.h). Pure. */
#include "hsr/incident.h"

#include "hsr/common.h"
#include "hsr/sanitize.h"
#include "hsr/walker.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The timeline's lines are cut to their size on purpose. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

static const char *const state_names[INC_STATE_COUNT] = {
    "none",
    "alert fired",
    "blip",
    "acknowledged",
    "root cause identified",
    "mitigation applied",
    "recovery confirmed",
    "resolved",
};
static const char *const state_keys[INC_STATE_COUNT] = {
    "none", "alert", "blip", "acknowledged", "identified", "mitigated", "recovered", "resolved",
};

/* "alert fired", "acknowledged", ... */
const char *incident_state_name(inc_state s)
{
	return s < INC_STATE_COUNT ? state_names[s] : "none";
}

/* "alert", "blip", "acknowledged", "identified", ... */
const char *incident_state_key(inc_state s)
{
	return s < INC_STATE_COUNT ? state_keys[s] : "none";
}

/* The messages' status word for a state. */
const char *incident_status_word(inc_state s)
{
	switch (s) {
	case INC_ALERT:
	case INC_ACK:
		return "investigating";
	case INC_IDENTIFIED:
		return "identified";
	case INC_MITIGATED:
	case INC_RECOVERED:
		return "monitoring";
	case INC_RESOLVED:
		return "resolved";
	default:
		return "";
	}
}

/* The event type that makes state s, or NULL. */
const char *incident_move_type(inc_state s)
{
	switch (s) {
	case INC_IDENTIFIED:
		return "root-cause";
	case INC_MITIGATED:
		return "mitigation";
	case INC_RECOVERED:
		return "recovery";
	case INC_RESOLVED:
		return "resolve";
	default:
		return NULL;
	}
}

/* The state move the confirm key offers next, or INC_NONE. */
inc_state incident_next_move(const incident *inc)
{
	switch (inc->state) {
	case INC_ACK:
		return INC_IDENTIFIED;
	case INC_IDENTIFIED:
		return INC_MITIGATED;
	case INC_MITIGATED:
		return INC_RECOVERED;
	case INC_RECOVERED:
		return INC_RESOLVED;
	default:
		return INC_NONE;
	}
}

/* Whether the incident is still going: alert fired up to recovery confirmed. */
bool incident_is_open(const incident *inc)
{
	return inc->state == INC_ALERT || (inc->state >= INC_ACK && inc->state < INC_RESOLVED);
}

/* Acknowledged and not closed: the cadence runs. */
bool incident_is_active(const incident *inc)
{
	return inc->state >= INC_ACK && inc->state < INC_RESOLVED;
}

/* Whether s is P1..P4. */
bool incident_severity_ok(const char *s)
{
	return s && (s[0] == 'P' || s[0] == 'p') && s[1] >= '1' && s[1] <= '4' && !s[2];
}

/* The leaf's severity, P1 when it has none. */
const char *incident_severity_suggest(const rb_leaf *leaf)
{
	static const char *const sev[] = {"P1", "P2", "P3", "P4"};
	if (leaf && incident_severity_ok(leaf->severity))
		return sev[leaf->severity[1] - '1'];
	return "P1";
}

/* Start an empty incident named id. */
void incident_init(incident *inc, const char *id)
{
	memset(inc, 0, sizeof *inc);
	common_strlcpy(inc->id, id, sizeof inc->id);
}

void incident_free(incident *inc)
{
	free(inc->ev);
	inc->ev = NULL;
	inc->n_ev = inc->cap_ev = 0;
}

/* The event numbered n, or NULL. */
const inc_event *incident_event(const incident *inc, uint64_t n)
{
	for (size_t i = 0; n && i < inc->n_ev; i++)
		if (inc->ev[i].n == n)
			return &inc->ev[i];
	return NULL;
}

/* Reading an event's data: strings into a small ring of buffers (a few live at once). */
typedef struct {
	const journal_event *e;
	char buf[6][320];
	int next;
} reader;

/* The string member key of the event's data, or "". */
static const char *str_of(reader *r, const char *key)
{
	char *b = r->buf[r->next++ % 6];
	journal_data_str(r->e, key, b, sizeof r->buf[0]);
	return b;
}

/* Reach state s at event e (never backwards, but for the blip and a new alert). */
static void reach(incident *inc, inc_state s, const journal_event *e)
{
	if (s > inc->state || (s == INC_IDENTIFIED && inc->state == INC_IDENTIFIED))
		inc->state = s;
	if (!inc->at[s]) {
		inc->at[s] = e->at_ms;
		inc->at_n[s] = e->n;
	}
}

/* The operator's answer to node: set (yes/no) or removed. */
static void take_answer(incident *inc, reader *d, int64_t at_ms)
{
	const char *node = str_of(d, "node"), *a = str_of(d, "answer");
	int i = 0;
	while (i < inc->n_ov && strcmp(inc->ov[i].node, node) != 0)
		i++;
	if (strcmp(a, "yes") != 0 && strcmp(a, "no") != 0) {
		if (i < inc->n_ov)
			inc->ov[i] = inc->ov[--inc->n_ov];
		return;
	}
	if (i == inc->n_ov) {
		if (inc->n_ov >= INCIDENT_MAX_OVERRIDES)
			return;
		inc->n_ov++;
	}
	common_strlcpy(inc->ov[i].node, node, sizeof inc->ov[i].node);
	inc->ov[i].yes = strcmp(a, "yes") == 0;
	inc->ov[i].at_ms = at_ms;
}

/* A step checked or unchecked. */
static void take_check(incident *inc, reader *d, int64_t at_ms)
{
	const char *leaf = str_of(d, "leaf"), *step = str_of(d, "step");
	int i = 0;
	while (i < inc->n_ck &&
	       (strcmp(inc->ck[i].leaf, leaf) != 0 || strcmp(inc->ck[i].step, step) != 0))
		i++;
	if (!journal_data_true(d->e, "checked")) {
		if (i < inc->n_ck) {
			memmove(&inc->ck[i], &inc->ck[i + 1],
				(size_t)(inc->n_ck - i - 1) * sizeof inc->ck[0]);
			inc->n_ck--;
		}
		return;
	}
	if (i == inc->n_ck) {
		if (inc->n_ck >= INCIDENT_MAX_CHECKS)
			return;
		inc->n_ck++;
	}
	common_strlcpy(inc->ck[i].leaf, leaf, sizeof inc->ck[i].leaf);
	common_strlcpy(inc->ck[i].step, step, sizeof inc->ck[i].step);
	inc->ck[i].at_ms = at_ms;
}

/* A time correction: the named event (and the state it reached) moves to the new time. */
static void take_time_fix(incident *inc, reader *d, char *text, size_t sz)
{
	uint64_t n = (uint64_t)journal_data_int(d->e, "event", 0);
	int64_t to;
	if (!journal_time_parse(str_of(d, "time"), &to)) {
		snprintf(text, sz, "time correction with no readable time: ignored");
		return;
	}
	for (size_t i = 0; i < inc->n_ev; i++) {
		inc_event *ev = &inc->ev[i];
		if (ev->n != n)
			continue;
		char was[24], now[24];
		walker_clock(ev->at_ms, was, sizeof was);
		walker_clock(to, now, sizeof now);
		ev->at_ms = to;
		for (int s = 0; s < INC_STATE_COUNT; s++)
			if (inc->at_n[s] == n)
				inc->at[s] = to;
		snprintf(text, sz, "time of #%llu (%s) corrected: %s, was %s",
			 (unsigned long long)n, ev->type, now, was);
		return;
	}
	snprintf(text, sz, "time correction of #%llu, which is not in the journal: ignored",
		 (unsigned long long)n);
}

/* The first lines of a command's output, joined with " | ". */
static void output_lines(const journal_event *e, char *out, size_t sz)
{
	out[0] = '\0';
	json_t *d = journal_data_json(e);
	const json_t *a = json_object_get(d, "output");
	size_t i;
	const json_t *l;
	json_array_foreach(a, i, l)
	{
		size_t len = strlen(out);
		snprintf(out + len, sz - len, "%s%s", i ? " | " : "",
			 json_string_value(l) ? json_string_value(l) : "");
	}
	json_decref(d);
}

/* The alert's evidence lines (the path as it was walked), the first INCIDENT_MAX_CORR. */
static void take_alert_evidence(incident *inc, const journal_event *e)
{
	json_t *d = journal_data_json(e);
	const json_t *a = json_object_get(d, "evidence");
	size_t i;
	const json_t *l;
	inc->n_alert_evidence = 0;
	json_array_foreach(a, i, l)
	{
		if (inc->n_alert_evidence >= INCIDENT_MAX_CORR || !json_string_value(l))
			break;
		common_strlcpy(inc->alert_evidence[inc->n_alert_evidence++], json_string_value(l),
			       sizeof inc->alert_evidence[0]);
	}
	json_decref(d);
}

/* A message copied, saved or posted: the cadence restarts; a Statuspage post names its incident. */
static void take_message(incident *inc, reader *d, int64_t at_ms)
{
	inc->last_message_ms = at_ms;
	inc->n_messages++;
	if (str_of(d, "statuspage_id")[0])
		common_strlcpy(inc->statuspage_id, str_of(d, "statuspage_id"),
			       sizeof inc->statuspage_id);
}

/* A message field the operator filled (impact, cause, eta, thread). */
static void take_field(incident *inc, reader *d)
{
	const char *name = str_of(d, "name"), *value = str_of(d, "value");
	if (strcmp(name, "impact") == 0)
		common_strlcpy(inc->impact, value, sizeof inc->impact);
	else if (strcmp(name, "cause") == 0)
		common_strlcpy(inc->cause, value, sizeof inc->cause);
	else if (strcmp(name, "eta") == 0)
		common_strlcpy(inc->eta, value, sizeof inc->eta);
	else if (strcmp(name, "thread") == 0)
		common_strlcpy(inc->thread, value, sizeof inc->thread);
}

/* A correlation id seen, kept once (the first INCIDENT_MAX_CORR), sanitized: a journal is
 * read back from disk and may hold what no probe wrote. */
static void take_corr(incident *inc, const char *raw)
{
	char id[sizeof inc->corr[0]];
	sanitize_str(id, sizeof id, raw);
	if (!id[0] || inc->n_corr >= INCIDENT_MAX_CORR)
		return;
	for (int i = 0; i < inc->n_corr; i++)
		if (strcmp(inc->corr[i], id) == 0)
			return;
	common_strlcpy(inc->corr[inc->n_corr++], id, sizeof inc->corr[0]);
}

static void take_other(incident *inc, inc_event *ev, const journal_event *e);

/* Fill the timeline's words and the state for event e. */
static void take(incident *inc, inc_event *ev, const journal_event *e)
{
	reader rd = {.e = e}, *d = &rd;
	const char *t = e->type;
	char *x = ev->text;
	size_t sz = sizeof ev->text;
	ev->state = true;
	if (strcmp(t, "alert") == 0) {
		if (inc->state == INC_NONE)
			inc->state = INC_ALERT;
		reach(inc, INC_ALERT, e);
		common_strlcpy(inc->leaf, str_of(d, "leaf"), sizeof inc->leaf);
		take_alert_evidence(inc, e);
		snprintf(x, sz, "alert fired: %s [%s]", str_of(d, "title"), str_of(d, "leaf"));
	} else if (strcmp(t, "blip") == 0) {
		inc->state = INC_BLIP;
		inc->at[INC_BLIP] = e->at_ms;
		inc->at_n[INC_BLIP] = e->n;
		snprintf(x, sz, "blip: healthy again before anyone acknowledged");
	} else if (strcmp(t, "open") == 0 || strcmp(t, "ack") == 0) {
		bool open = t[0] == 'o';
		if (open)
			reach(inc, INC_ALERT, e);
		reach(inc, INC_ACK, e);
		char owner[64];
		if (journal_data_str(e, "owner", owner, sizeof owner))
			common_strlcpy(inc->owner, owner, sizeof inc->owner);
		if (incident_severity_ok(str_of(d, "severity")))
			common_strlcpy(inc->severity, str_of(d, "severity"), sizeof inc->severity);
		snprintf(x, sz, "%s by %s, severity %s%s%s",
			 open ? "opened by hand" : "acknowledged", inc->owner[0] ? inc->owner : "?",
			 inc->severity[0] ? inc->severity : "?", str_of(d, "reason")[0] ? ": " : "",
			 str_of(d, "reason"));
	} else if (strcmp(t, "root-cause") == 0) {
		reach(inc, INC_IDENTIFIED, e);
		common_strlcpy(inc->leaf, str_of(d, "leaf"), sizeof inc->leaf);
		snprintf(x, sz, "root cause identified: %s", str_of(d, "leaf"));
	} else if (strcmp(t, "mitigation") == 0) {
		reach(inc, INC_MITIGATED, e);
		snprintf(x, sz, "mitigation applied: %s", str_of(d, "what"));
	} else if (strcmp(t, "recovery") == 0) {
		reach(inc, INC_RECOVERED, e);
		snprintf(x, sz, "recovery confirmed");
	} else if (strcmp(t, "resolve") == 0) {
		reach(inc, INC_RESOLVED, e);
		snprintf(x, sz, "resolved");
	} else {
		ev->state = false;
		take_other(inc, ev, e);
	}
}

/* The events that are not state changes: severity, owner, notes, probes, answers, messages... */
static void take_other(incident *inc, inc_event *ev, const journal_event *e)
{
	reader rd = {.e = e}, *d = &rd;
	const char *t = e->type;
	char *x = ev->text;
	size_t sz = sizeof ev->text;
	if (strcmp(t, "severity") == 0) {
		if (incident_severity_ok(str_of(d, "severity"))) {
			snprintf(x, sz, "severity %s (was %s)", str_of(d, "severity"),
				 inc->severity[0] ? inc->severity : "none");
			common_strlcpy(inc->severity, str_of(d, "severity"), sizeof inc->severity);
		} else {
			snprintf(x, sz, "severity change with no severity: ignored");
		}
	} else if (strcmp(t, "owner") == 0) {
		common_strlcpy(inc->owner, str_of(d, "owner"), sizeof inc->owner);
		snprintf(x, sz, "owner: %s", inc->owner);
	} else if (strcmp(t, "note") == 0) {
		inc->n_notes++;
		snprintf(x, sz, "note: %s", str_of(d, "text"));
	} else if (strcmp(t, "snooze") == 0) {
		int64_t until;
		if (journal_time_parse(str_of(d, "until"), &until))
			inc->snooze_until_ms = until;
		char c[24];
		walker_clock(inc->snooze_until_ms, c, sizeof c);
		snprintf(x, sz, "update reminder snoozed until %s", c);
	} else if (strcmp(t, "time-fix") == 0) {
		take_time_fix(inc, d, x, sz);
	} else if (strcmp(t, "probe") == 0) {
		take_corr(inc, str_of(d, "correlation_id"));
		snprintf(x, sz, "%s", str_of(d, "text"));
	} else if (strcmp(t, "diagnosis") == 0) {
		snprintf(x, sz, "diagnosis: %s -> %s", str_of(d, "from"), str_of(d, "to"));
	} else if (strcmp(t, "answer") == 0) {
		take_answer(inc, d, e->at_ms);
		const char *a = str_of(d, "answer");
		if (strcmp(a, "yes") == 0 || strcmp(a, "no") == 0)
			snprintf(x, sz, "answered %s: %s", a, str_of(d, "question"));
		else
			snprintf(x, sz, "answer given back to the evidence: %s",
				 str_of(d, "question"));
	} else if (strcmp(t, "check") == 0) {
		take_check(inc, d, e->at_ms);
		snprintf(x, sz, "step %s: %s (%s)",
			 journal_data_true(e, "checked") ? "checked" : "unchecked",
			 str_of(d, "text"), str_of(d, "step"));
	} else if (strcmp(t, "command") == 0) {
		char out[200];
		output_lines(e, out, sizeof out);
		snprintf(x, sz, "command `%s`: %s in %.1f s%s%s", str_of(d, "line"),
			 str_of(d, "exit"), (double)journal_data_int(e, "duration_ms", 0) / 1000.0,
			 out[0] ? ": " : "", out);
	} else {
		if (strcmp(t, "message.sent") == 0)
			take_message(inc, d, e->at_ms);
		else if (strcmp(t, "message.field") == 0)
			take_field(inc, d);
		const char *s = str_of(d, "summary");
		snprintf(x, sz, "%s%s%s", t, s[0] ? ": " : "", s);
	}
}

/* Take one event into the incident; returns its timeline entry, or NULL (out of memory). */
inc_event *incident_apply(incident *inc, const journal_event *e, bool kept)
{
	if (inc->n_ev == inc->cap_ev) {
		size_t cap = inc->cap_ev ? inc->cap_ev * 2 : 64;
		inc_event *p = realloc(inc->ev, cap * sizeof *p);
		if (!p)
			return NULL;
		inc->ev = p;
		inc->cap_ev = cap;
	}
	inc_event *ev = &inc->ev[inc->n_ev];
	memset(ev, 0, sizeof *ev);
	ev->n = e->n;
	ev->at_ms = ev->logged_ms = e->at_ms;
	ev->kept = kept;
	common_strlcpy(ev->type, e->type, sizeof ev->type);
	common_strlcpy(ev->by, e->by, sizeof ev->by);
	inc->n_ev++;
	take(inc, ev, e);
	return ev;
}

/* Whether the recovery can be confirmed now. */
bool incident_recovery_ready(const incident_ctx *c)
{
	return c && c->healthy_since_ms > 0 &&
	       c->now_ms - c->healthy_since_ms >= c->recovery_after_ms;
}

/* "already <state> at 14:03:11 UTC". */
static bool already(const incident *inc, inc_state s, char *why, size_t sz)
{
	char c[24];
	walker_clock(inc->at[s], c, sizeof c);
	snprintf(why, sz, "already %s at %s", incident_state_name(s), c);
	return false;
}

/* The checks of the state moves. */
static bool check_move(const incident *inc, const char *type, const incident_ctx *c, char *why,
		       size_t sz)
{
	if (strcmp(type, "root-cause") == 0) {
		const char *leaf = c ? c->walker_leaf : NULL;
		if (inc->state < INC_ACK) {
			snprintf(why, sz, "acknowledge first (a), then confirm the root cause");
			return false;
		}
		if (inc->state > INC_IDENTIFIED)
			return already(inc, INC_IDENTIFIED, why, sz);
		if (!leaf || strcmp(leaf, "healthy") == 0 || strcmp(leaf, "unknown") == 0) {
			snprintf(why, sz,
				 "the walker has no fault leaf to confirm (%s): answer its "
				 "questions on screen 2 first",
				 leaf ? leaf : "no leaf");
			return false;
		}
		if (inc->state == INC_IDENTIFIED && strcmp(inc->leaf, leaf) == 0)
			return already(inc, INC_IDENTIFIED, why, sz);
		return true;
	}
	if (strcmp(type, "mitigation") == 0) {
		if (inc->state < INC_IDENTIFIED) {
			snprintf(why, sz, "confirm the root cause first (c on the walker's leaf)");
			return false;
		}
		if (inc->state >= INC_MITIGATED)
			return already(inc, INC_MITIGATED, why, sz);
		return true;
	}
	if (strcmp(type, "recovery") == 0) {
		if (inc->state < INC_MITIGATED) {
			snprintf(why, sz,
				 "apply a mitigation first (check a step or run a command)");
			return false;
		}
		if (inc->state >= INC_RECOVERED)
			return already(inc, INC_RECOVERED, why, sz);
		if (!c || c->healthy_since_ms <= 0) {
			snprintf(why, sz, "not yet: the probes are not healthy; wait for them");
			return false;
		}
		if (!incident_recovery_ready(c)) {
			snprintf(why, sz,
				 "not yet: healthy for %lld s of the %lld s recovery_after; wait",
				 (long long)((c->now_ms - c->healthy_since_ms) / 1000),
				 (long long)(c->recovery_after_ms / 1000));
			return false;
		}
		return true;
	}
	/* resolve */
	if (inc->state < INC_RECOVERED) {
		snprintf(why, sz, "confirm the recovery first (c once the probes stay healthy)");
		return false;
	}
	if (inc->state >= INC_RESOLVED)
		return already(inc, INC_RESOLVED, why, sz);
	return true;
}

/* Whether the operator may record type now; false with a one-line reason. */
bool incident_check(const incident *inc, const char *type, const incident_ctx *c, char *why,
		    size_t whysz)
{
	bool closed =
	    inc->state == INC_NONE || inc->state == INC_BLIP || inc->state == INC_RESOLVED;
	if (strcmp(type, "ack") == 0) {
		if (inc->state == INC_ALERT)
			return true;
		if (inc->state >= INC_ACK && inc->state < INC_RESOLVED) {
			char cl[24];
			walker_clock(inc->at[INC_ACK], cl, sizeof cl);
			snprintf(why, whysz, "already acknowledged at %s by %s", cl, inc->owner);
			return false;
		}
		snprintf(
		    why, whysz,
		    "nothing to acknowledge: no alert has fired (i opens an incident by hand)");
		return false;
	}
	if (strcmp(type, "open") == 0) {
		if (closed)
			return true;
		if (inc->state == INC_ALERT)
			snprintf(why, whysz, "an alert is waiting: a acknowledges it");
		else
			snprintf(why, whysz, "incident %s is already open (%s)", inc->id,
				 incident_state_name(inc->state));
		return false;
	}
	if (strcmp(type, "root-cause") == 0 || strcmp(type, "mitigation") == 0 ||
	    strcmp(type, "recovery") == 0 || strcmp(type, "resolve") == 0)
		return check_move(inc, type, c, why, whysz);
	if (strcmp(type, "severity") == 0 || strcmp(type, "owner") == 0 ||
	    strcmp(type, "snooze") == 0) {
		if (incident_is_active(inc))
			return true;
		snprintf(why, whysz, "%s",
			 inc->state == INC_ALERT
			     ? "acknowledge first (a)"
			     : "no incident is open (a acknowledges an alert, i "
			       "opens one by hand)");
		return false;
	}
	if (strcmp(type, "note") == 0 || strcmp(type, "time-fix") == 0) {
		if (inc->state != INC_NONE)
			return true;
		snprintf(why, whysz, "no incident yet: i opens one by hand");
		return false;
	}
	return true;
}

/* When the next update is due; 0 when not active. */
int64_t incident_next_update_ms(const incident *inc, int64_t cadence_ms)
{
	if (!incident_is_active(inc))
		return 0;
	int64_t due = inc->last_message_ms ? inc->last_message_ms + cadence_ms
					   : inc->at[INC_ACK] + INCIDENT_FIRST_UPDATE_MS;
	return inc->snooze_until_ms > due ? inc->snooze_until_ms : due;
}

/* From the alert to resolution (or now while open). */
/* The alert's time, else the acknowledgement's. */
int64_t incident_start_ms(const incident *inc)
{
	return inc->at[INC_ALERT] ? inc->at[INC_ALERT] : inc->at[INC_ACK];
}

int64_t incident_duration_ms(const incident *inc, int64_t now_ms)
{
	int64_t start = incident_start_ms(inc);
	if (!start)
		return 0;
	int64_t end = inc->state == INC_RESOLVED ? inc->at[INC_RESOLVED]
		      : inc->state == INC_BLIP	 ? inc->at[INC_BLIP]
						 : now_ms;
	return end > start ? end - start : 0;
}
