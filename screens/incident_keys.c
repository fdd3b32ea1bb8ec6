/*
 * The incident's keys on every screen: a acknowledge (owner asked once, then the severity),
 * i open by hand, n note, z snooze the update reminder, c confirm the next state, o owner,
 * p severity; and the timeline's time correction. They ask with the text field and the
 * confirmation; the engine (incident_feed) checks and records.
 */
#include "screens.h"

#include "hsr/log.h"
#include "hsr/sanitize.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define INCIDENT_FLASH_MS 3000

/* What the prompts in a row are for: acknowledging or opening, with the owner given. */
static struct {
	const char *type; /* "ack" or "open" */
	char owner[64];
	uint64_t fix_n; /* the event whose time is being corrected */
} ask;

/* A note in the status line for a few seconds. */
void incident_flash(ui_view *v, const char *text)
{
	ui_flash(v, text, INCIDENT_FLASH_MS);
}

/* The incident shown, or an empty one to check moves against. */
static const incident *shown(const ui_view *v, incident *empty)
{
	const incident *inc = incident_feed_incident(v->inc);
	if (inc)
		return inc;
	incident_init(empty, "");
	return empty;
}

/* Whether type may be recorded now; else the reason flashes. */
static bool allowed(ui_view *v, const char *type)
{
	incident empty;
	incident_ctx c;
	char why[200];
	if (!v->inc) {
		incident_flash(v, "the incident record did not start (out of memory)");
		return false;
	}
	if (incident_feed_following(v->inc)) {
		incident_flash(v, "following read-only: the hsrunbook that writes records it");
		return false;
	}
	incident_feed_ctx(v->inc, &v->walk, v->now_ms, &c);
	if (incident_check(shown(v, &empty), type, &c, why, sizeof why))
		return true;
	incident_flash(v, why);
	return false;
}

/* Record an operator move; the flash says what happened. */
static int record_move(ui_view *v, const char *type, json_t *data, const char *done)
{
	char why[200];
	bool ok = incident_feed_move(v->inc, &v->walk, type, data, v->now_ms, why, sizeof why);
	json_decref(data);
	if (!ok) {
		incident_flash(v, why);
		return UI_HANDLED | UI_REDRAW;
	}
	const char *err = incident_feed_error(v->inc);
	char m[200];
	if (err[0])
		snprintf(m, sizeof m, "%s, but record NOT kept: %s", done, err);
	else
		snprintf(m, sizeof m, "%s (recorded)", done);
	incident_flash(v, m);
	log_msg("incident: %s", m);
	return UI_HANDLED | UI_REDRAW;
}

/* The severity the leaf suggests: the incident's leaf, else the walker's. */
static const char *suggested(const ui_view *v)
{
	const incident *inc = incident_feed_incident(v->inc);
	const rb_leaf *l = inc && inc->leaf[0] ? runbook_leaf(v->rb, inc->leaf) : NULL;
	if (!l && v->walk.walked)
		l = v->walk.diag.leaf;
	return incident_severity_suggest(l);
}

/* "p2" -> "P2" when it is a severity; false otherwise. */
static bool severity_norm(const char *in, char out[4])
{
	char s[8];
	sanitize_str(s, sizeof s, in);
	if (!incident_severity_ok(s))
		return false;
	out[0] = 'P';
	out[1] = s[1];
	out[2] = '\0';
	return true;
}

/* The severity given for the acknowledgement (or the opening): record it. */
static int sev_accept(ui_view *v, const char *text)
{
	char sev[4];
	if (!severity_norm(text, sev)) {
		incident_flash(v, "severity is P1, P2, P3 or P4 (P1: down for everyone); press a "
				  "again");
		return UI_HANDLED;
	}
	bool open = strcmp(ask.type, "open") == 0;
	json_t *d = json_pack("{s:s, s:s}", "owner", ask.owner, "severity", sev);
	if (open)
		json_object_set_new(d, "reason", json_string("opened by hand"));
	char done[120];
	snprintf(done, sizeof done, "%s by %s, %s", open ? "incident opened" : "acknowledged",
		 ask.owner, sev);
	return record_move(v, ask.type, d, done);
}

static const prompt_ask sev_ask = {
    .title = " Severity: P1 P2 P3 P4 (Enter takes the suggestion) ",
    .max = 2,
    .accept = sev_accept,
};

/* Ask for the severity, starting from the leaf's suggestion. */
static int ask_severity(ui_view *v)
{
	static prompt_ask a;
	a = sev_ask;
	a.initial = suggested(v);
	return prompt_open(v, &a);
}

/* The owner given: remembered for next time, then the severity. */
static int owner_accept(ui_view *v, const char *text)
{
	sanitize_str(ask.owner, sizeof ask.owner, text);
	if (!ask.owner[0]) {
		incident_flash(v, "an owner is needed (a name or handle); press a again");
		return UI_HANDLED;
	}
	incident_feed_owner_save(v->inc, ask.owner);
	return ask_severity(v) | UI_HANDLED;
}

static const prompt_ask owner_ask = {
    .title = " Owner of the incident (remembered) ",
    .max = 60,
    .accept = owner_accept,
};

/* Start acknowledging or opening: the owner (asked once) and the severity. */
static int start(ui_view *v, const char *type)
{
	if (!allowed(v, type))
		return UI_HANDLED;
	ask.type = type;
	if (incident_feed_owner(v->inc, ask.owner, sizeof ask.owner))
		return ask_severity(v);
	static prompt_ask a;
	a = owner_ask;
	a.initial = getenv("USER");
	return prompt_open(v, &a);
}

/* a: acknowledge the alert. */
int incident_key_ack(ui_view *v, int ch)
{
	(void)ch;
	return start(v, "ack");
}

/* i: open an incident by hand (the evidence is silent). */
int incident_key_open(ui_view *v, int ch)
{
	(void)ch;
	return start(v, "open");
}

/* The note's text: recorded as one line. */
static int note_accept(ui_view *v, const char *text)
{
	char t[1200];
	sanitize_str(t, sizeof t, text);
	if (!t[0]) {
		incident_flash(v, "empty note: nothing recorded");
		return UI_HANDLED;
	}
	return record_move(v, "note", json_pack("{s:s}", "text", t), "note added");
}

static const prompt_ask note_ask = {
    .title = " Note for the incident record ",
    .multi = true,
    .max = 1000,
    .accept = note_accept,
};

/* n: add a note. */
int incident_key_note(ui_view *v, int ch)
{
	(void)ch;
	if (!allowed(v, "note"))
		return UI_HANDLED;
	return prompt_open(v, &note_ask);
}

/* z: put the update reminder off INCIDENT_SNOOZE_MS. */
int incident_key_snooze(ui_view *v, int ch)
{
	(void)ch;
	if (!allowed(v, "snooze"))
		return UI_HANDLED;
	char until[40], done[80];
	journal_time_format(until, sizeof until, v->now_ms + INCIDENT_SNOOZE_MS);
	snprintf(done, sizeof done, "update reminder snoozed until %.5s UTC", until + 11);
	return record_move(v, "snooze", json_pack("{s:s}", "until", until), done);
}

/* The next state's confirmation: what it records. */
static int confirm_text(const ui_view *v, char lines[][160])
{
	const incident *inc = incident_feed_incident(v->inc);
	inc_state next = inc ? incident_next_move(inc) : INC_NONE;
	snprintf(lines[0], 160, "Record \"%s\" now (%s)?", incident_state_name(next),
		 incident_status_word(next));
	if (next == INC_IDENTIFIED && v->walk.diag.leaf)
		snprintf(lines[1], 160, "Root cause: the walker's leaf %s.", v->walk.diag.leaf->id);
	else
		lines[1][0] = '\0';
	lines[2][0] = '\0';
	snprintf(lines[3], 160, "y: record it    n or Esc: cancel");
	return 4;
}

/* y: record the next state. */
static int confirm_yes(ui_view *v)
{
	const incident *inc = incident_feed_incident(v->inc);
	inc_state next = inc ? incident_next_move(inc) : INC_NONE;
	const char *type = incident_move_type(next);
	if (!type)
		return UI_HANDLED;
	json_t *d = json_object();
	if (next == INC_IDENTIFIED && v->walk.diag.leaf)
		json_object_set_new(d, "leaf", json_string(v->walk.diag.leaf->id));
	if (next == INC_MITIGATED) {
		json_object_set_new(d, "how", json_string("operator"));
		json_object_set_new(d, "what", json_string("confirmed by the operator"));
	}
	return record_move(v, type, d, incident_state_name(next));
}

/* n or Esc: nothing recorded. */
static int confirm_no(ui_view *v)
{
	incident_flash(v, "cancelled: nothing recorded");
	return UI_HANDLED;
}

static const confirm_ask next_ask = {
    .title = " Next state of the incident ",
    .text = confirm_text,
    .yes = confirm_yes,
    .no = confirm_no,
};

/* c: confirm the next state (root cause, mitigation, recovery, resolved). */
int incident_key_confirm(ui_view *v, int ch)
{
	(void)ch;
	const incident *inc = incident_feed_incident(v->inc);
	inc_state next = inc ? incident_next_move(inc) : INC_NONE;
	if (next == INC_NONE) {
		incident_flash(v,
			       inc && inc->state == INC_ALERT
				   ? "acknowledge first (a); then c confirms the root cause"
				   : "no incident is open (a acknowledges an alert, i opens one)");
		return UI_HANDLED;
	}
	if (!allowed(v, incident_move_type(next)))
		return UI_HANDLED;
	return confirm_open(v, &next_ask);
}

/* The new owner. */
static int new_owner_accept(ui_view *v, const char *text)
{
	char o[64];
	sanitize_str(o, sizeof o, text);
	if (!o[0]) {
		incident_flash(v, "an owner is needed (a name or handle): nothing changed");
		return UI_HANDLED;
	}
	incident_feed_owner_save(v->inc, o);
	char done[100];
	snprintf(done, sizeof done, "owner: %s", o);
	return record_move(v, "owner", json_pack("{s:s}", "owner", o), done);
}

/* o: change the owner. */
int incident_key_owner(ui_view *v, int ch)
{
	(void)ch;
	if (!allowed(v, "owner"))
		return UI_HANDLED;
	static prompt_ask a = {.title = " New owner ", .max = 60, .accept = new_owner_accept};
	const incident *inc = incident_feed_incident(v->inc);
	a.initial = inc ? inc->owner : NULL;
	return prompt_open(v, &a);
}

/* The new severity. */
static int new_sev_accept(ui_view *v, const char *text)
{
	char sev[4], done[60];
	if (!severity_norm(text, sev)) {
		incident_flash(v, "severity is P1, P2, P3 or P4: nothing changed");
		return UI_HANDLED;
	}
	snprintf(done, sizeof done, "severity %s", sev);
	return record_move(v, "severity", json_pack("{s:s}", "severity", sev), done);
}

/* p: change the severity. */
int incident_key_severity(ui_view *v, int ch)
{
	(void)ch;
	if (!allowed(v, "severity"))
		return UI_HANDLED;
	static prompt_ask a = {
	    .title = " New severity: P1 P2 P3 P4 ", .max = 2, .accept = new_sev_accept};
	const incident *inc = incident_feed_incident(v->inc);
	a.initial = inc ? inc->severity : NULL;
	return prompt_open(v, &a);
}

/*
 * Pure: a corrected time from text: "HH:MM", "HH:MM:SS" on the day of was_ms (UTC), or
 * "YYYY-MM-DD HH:MM[:SS]"; false when it is neither.
 */
static bool parse_fix(const char *text, int64_t was_ms, int64_t *out)
{
	char t[40], iso[48];
	sanitize_str(t, sizeof t, text);
	int y, mo, d, h, mi, s = 0, n = 0;
	if (sscanf(t, "%4d-%2d-%2d %2d:%2d%n", &y, &mo, &d, &h, &mi, &n) == 5) {
		if (t[n] == ':' && sscanf(t + n, ":%2d", &s) != 1)
			return false;
	} else if (sscanf(t, "%2d:%2d%n", &h, &mi, &n) == 2) {
		if (t[n] == ':' && sscanf(t + n, ":%2d", &s) != 1)
			return false;
		time_t w = (time_t)(was_ms / 1000);
		struct tm tm;
		gmtime_r(&w, &tm);
		y = tm.tm_year + 1900;
		mo = tm.tm_mon + 1;
		d = tm.tm_mday;
	} else {
		return false;
	}
	snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s);
	return journal_time_parse(iso, out);
}

/* The corrected time of event ask.fix_n. */
static int fix_accept(ui_view *v, const char *text)
{
	const incident *inc = incident_feed_incident(v->inc);
	const inc_event *ev = inc ? incident_event(inc, ask.fix_n) : NULL;
	int64_t to;
	if (!ev || !parse_fix(text, ev->at_ms, &to)) {
		incident_flash(v, "write the time as HH:MM, HH:MM:SS or YYYY-MM-DD HH:MM (UTC): "
				  "nothing changed");
		return UI_HANDLED;
	}
	char iso[40], done[80];
	journal_time_format(iso, sizeof iso, to);
	snprintf(done, sizeof done, "time of #%llu corrected to %.8s UTC",
		 (unsigned long long)ask.fix_n, iso + 11);
	return record_move(v, "time-fix",
			   json_pack("{s:I, s:s}", "event", (json_int_t)ask.fix_n, "time", iso),
			   done);
}

/* Ask for the new time of event n (the timeline's t). */
int incident_key_time_fix(ui_view *v, uint64_t n)
{
	if (!allowed(v, "time-fix"))
		return UI_HANDLED;
	const incident *inc = incident_feed_incident(v->inc);
	const inc_event *ev = inc ? incident_event(inc, n) : NULL;
	if (!ev) {
		incident_flash(v, "this event is not written yet: its time cannot be corrected");
		return UI_HANDLED;
	}
	static char initial[16];
	static prompt_ask a = {.title = " Corrected time, UTC (HH:MM[:SS] or YYYY-MM-DD HH:MM) ",
			       .max = 20,
			       .accept = fix_accept};
	char iso[40];
	journal_time_format(iso, sizeof iso, ev->at_ms);
	snprintf(initial, sizeof initial, "%.8s", iso + 11);
	a.initial = initial;
	ask.fix_n = n;
	return prompt_open(v, &a);
}

/* The incident's words for the status line (see screens.h). */
void incident_status_text(const ui_view *v, char *out, size_t outsz, bool *alarm, int64_t *due_ms)
{
	out[0] = '\0';
	*alarm = false;
	*due_ms = 0;
	if (!v->inc)
		return;
	const char *err = incident_feed_error(v->inc);
	if (err[0]) {
		snprintf(out, outsz, "record NOT kept: %s; tried again at the next event", err);
		*alarm = true;
		return;
	}
	if (incident_feed_following(v->inc)) {
		snprintf(out, outsz, "following read-only (another hsrunbook writes)");
		return;
	}
	const incident *inc = incident_feed_incident(v->inc);
	if (!inc || !incident_is_active(inc))
		return;
	int64_t due = incident_next_update_ms(inc, v->cfg->update_cadence_s * 1000);
	if (due > v->now_ms) {
		snprintf(out, outsz, "%s %s, next update in %ld min", inc->severity,
			 incident_status_word(inc->state),
			 (long)((due - v->now_ms + 59999) / 60000));
	} else {
		snprintf(out, outsz, "%s update OVERDUE by %ld min (z snoozes %d min)",
			 inc->severity, (long)((v->now_ms - due) / 60000),
			 INCIDENT_SNOOZE_MS / 60000);
		*alarm = true;
		*due_ms = due;
	}
}
