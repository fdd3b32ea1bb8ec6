/*
 * The incident, pure: its states (alert fired -> acknowledged -> root cause identified ->
 * mitigation applied -> recovery confirmed -> resolved, or a blip), severity, owner, notes, the
 * operator's walker decisions and the update cadence, rebuilt from the journal's events one at
 * a time (incident_apply): replaying a journal resumes the incident. Which operator moves make
 * sense is incident_check's. No clock, no files: every call takes the time.
 *
 * Event types (the journal's "type", with its "data"):
 *   alert {leaf, title, severity, evidence[]}   blip {}   open {reason}   ack {owner, severity}
 *   root-cause {leaf}   mitigation {how, what}   recovery {}   resolve {}
 *   severity {severity}   owner {owner}   note {text}   snooze {until}
 *   time-fix {event: n, time}   probe {probe, from, to, text}   diagnosis {from, to}
 *   answer {node, question, answer: yes|no|evidence}   check {leaf, step, checked, text}
 *   command {line, exit, duration_ms, output[]}
 *   message.field {name, value, summary}   (impact, cause, eta, thread: the operator's words)
 *   message.sent {kind, text, path, summary[, statuspage_id]}   (copied, saved or posted)
 * Any other type is kept as it is and shown with data.summary (or its type): the messages
 * (issue 10) add theirs so; "message.sent" restarts the update cadence.
 */
#ifndef HSR_INCIDENT_H
#define HSR_INCIDENT_H

#include "hsr/journal.h"
#include "hsr/runbook.h"

typedef enum {
	INC_NONE = 0,	/* nothing fired yet */
	INC_ALERT,	/* alert fired, not acknowledged */
	INC_BLIP,	/* healthy again before anyone acknowledged: closed */
	INC_ACK,	/* acknowledged: the incident is open */
	INC_IDENTIFIED, /* root cause identified */
	INC_MITIGATED,	/* mitigation applied */
	INC_RECOVERED,	/* recovery confirmed */
	INC_RESOLVED,	/* closed */
	INC_STATE_COUNT
} inc_state;

/* How long before the first update is due after the acknowledgement. */
#define INCIDENT_FIRST_UPDATE_MS (10 * 60 * 1000)
/* How long z puts the update off. */
#define INCIDENT_SNOOZE_MS     (15 * 60 * 1000)
#define INCIDENT_MAX_OVERRIDES 32
#define INCIDENT_MAX_CHECKS    128
#define INCIDENT_MAX_CORR      8 /* correlation ids kept for the messages (the first seen) */
#define INCIDENT_FIELD_MAX     512

/* One event as the timeline shows it. */
typedef struct {
	uint64_t n;	   /* its journal number (0: not written yet) */
	int64_t at_ms;	   /* when it happened (corrected when a time-fix names it) */
	int64_t logged_ms; /* as first recorded */
	char type[24];
	char by[12];	/* "operator", "probe", "diagnosis" */
	char text[320]; /* one line for the timeline */
	bool state;	/* a state change */
	bool kept;	/* written and synced */
} inc_event;

/* The operator's answer to a question, by node id (to put back into the walker). */
typedef struct {
	char node[64];
	bool yes;
	int64_t at_ms;
} inc_override;

/* A checked step, by leaf and step id. */
typedef struct {
	char leaf[32];
	char step[64];
	int64_t at_ms;
} inc_check;

typedef struct {
	char id[40]; /* the folder's name: "20260310-140500" */
	inc_state state;
	char leaf[32];			/* the leaf at the alert, then the confirmed root cause */
	char severity[4];		/* "P1".."P4", "" before the acknowledgement */
	char owner[64];			/* "" before the acknowledgement */
	int64_t at[INC_STATE_COUNT];	/* when each state was reached (0 never; corrected times) */
	uint64_t at_n[INC_STATE_COUNT]; /* the event that reached it */
	int64_t last_message_ms;	/* the last message.sent; 0 none */
	int n_messages;			/* message.sent events */
	/* What the operator typed for the messages (message.field), "" = not edited. */
	char impact[INCIDENT_FIELD_MAX], cause[INCIDENT_FIELD_MAX], eta[128],
	    thread[INCIDENT_FIELD_MAX];
	char corr[INCIDENT_MAX_CORR][64]; /* correlation ids seen (probe events), first first */
	int n_corr;
	char statuspage_id[64]; /* the Statuspage incident the posts update; "" none yet */
	/* The alert's evidence: the path's lines ("question? yes (evidence)"), the first few. */
	char alert_evidence[INCIDENT_MAX_CORR][320];
	int n_alert_evidence;
	int64_t snooze_until_ms;
	int n_notes;
	inc_override ov[INCIDENT_MAX_OVERRIDES];
	int n_ov;
	inc_check ck[INCIDENT_MAX_CHECKS];
	int n_ck;
	inc_event *ev; /* every event, in journal order */
	size_t n_ev, cap_ev;
} incident;

/* What an operator move is checked against, besides the incident. */
typedef struct {
	const char *walker_leaf;  /* the walker's leaf id now (root cause confirms it) */
	int64_t healthy_since_ms; /* the probes healthy since then; 0 not healthy */
	int64_t recovery_after_ms;
	int64_t now_ms;
} incident_ctx;

/* Start an empty incident named id. */
void incident_init(incident *inc, const char *id);
void incident_free(incident *inc);
/*
 * Take one event (from the journal, or just written): the state, times, severity, owner,
 * decisions and the timeline follow. Never refuses: what is in the journal happened. kept says
 * whether it is written. Returns the timeline entry, or NULL when out of memory.
 */
inc_event *incident_apply(incident *inc, const journal_event *e, bool kept);
/*
 * Whether the operator may record type now ("ack", "open", "root-cause", "mitigation",
 * "recovery", "resolve", "severity", "owner", "note", "snooze", "time-fix"); false with a
 * one-line reason that says what to do. Other types are always allowed.
 */
bool incident_check(const incident *inc, const char *type, const incident_ctx *c, char *why,
		    size_t whysz);
/* The state move c (the confirm key) offers next: root cause, mitigation, recovery, resolve;
 * INC_NONE when there is none (not acknowledged, or closed). */
inc_state incident_next_move(const incident *inc);
/* The event type that makes state s ("root-cause" for INC_IDENTIFIED ...), or NULL. */
const char *incident_move_type(inc_state s);
/* "alert fired", "acknowledged", "root cause identified", ... */
const char *incident_state_name(inc_state s);
/* The short key for JSON and lists: "alert", "blip", "acknowledged", "identified", ... */
const char *incident_state_key(inc_state s);
/* The messages' status word: investigating, identified, monitoring, resolved ("" none). */
const char *incident_status_word(inc_state s);
/* Whether the incident is still going (alert fired up to recovery confirmed). */
bool incident_is_open(const incident *inc);
/* Whether it has been acknowledged and is not closed: the cadence runs. */
bool incident_is_active(const incident *inc);
/* The severity leaf suggests: its runbook severity P1..P4; P1 when it has none (unsure). */
const char *incident_severity_suggest(const rb_leaf *leaf);
/* Whether s is "P1".."P4" (any case). */
bool incident_severity_ok(const char *s);
/*
 * When the next update is due: the last message sent + cadence_ms, or before any the
 * acknowledgement + INCIDENT_FIRST_UPDATE_MS; a snooze puts it off. 0 when not active.
 */
int64_t incident_next_update_ms(const incident *inc, int64_t cadence_ms);
/* Whether the recovery can be confirmed: healthy for recovery_after_ms by now. */
bool incident_recovery_ready(const incident_ctx *c);
/* The event numbered n, or NULL. */
const inc_event *incident_event(const incident *inc, uint64_t n);
/* When it started: the alert, else the acknowledgement (opened by hand); 0 when neither. */
int64_t incident_start_ms(const incident *inc);
/* Duration from the alert to resolution (or to now_ms while open), ms. */
int64_t incident_duration_ms(const incident *inc, int64_t now_ms);

#endif
