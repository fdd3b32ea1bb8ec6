/*
 * The incident timeline (key 4): the incident's events in order with their UTC time (the date
 * too once the incident spans midnight), the time since the alert and who made them. Operator
 * events and state changes by default; f shows the probes' and the diagnosis' too. j/k select,
 * t corrects the selected event's time; the list follows the end unless scrolled back.
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The screen's own state (only the UI thread touches it). */
static struct {
	bool all;    /* probe and diagnosis events shown too */
	bool follow; /* the selection stays on the last event */
	size_t sel;  /* the selected event's index in inc->ev */
	int top;     /* the first visible row of the list */
} tl = {.follow = true};

/* Whether the timeline lists ev now. */
static bool listed(const inc_event *ev)
{
	return tl.all || ev->state || strcmp(ev->by, "operator") == 0;
}

/* The listed events' indexes into idx (at most max); returns how many. */
static size_t visible(const incident *inc, size_t *idx, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < inc->n_ev && n < max; i++)
		if (listed(&inc->ev[i]))
			idx[n++] = i;
	return n;
}

/* Room for the listed events' indexes (grown as the incident grows); NULL out of memory. */
static size_t *idx_for(const incident *inc)
{
	static size_t *buf, cap;
	if (cap < inc->n_ev + 1) {
		size_t *p = realloc(buf, (inc->n_ev + 1) * sizeof *p);
		if (!p)
			return NULL;
		buf = p;
		cap = inc->n_ev + 1;
	}
	return buf;
}

/* The selection's place among the n listed events (n > 0): the last while following, else the
 * first listed at or after the selected event (the last when it is past them all). */
static size_t selected_at(const size_t *idx, size_t n)
{
	size_t at = 0;
	while (at + 1 < n && idx[at] < tl.sel)
		at++;
	return tl.follow ? n - 1 : at;
}

/* "14:03:11" or "2026-03-10 14:03:11" (UTC). */
static void clock_of(char *out, size_t sz, int64_t ms, bool date)
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&s, &tm);
	strftime(out, sz, date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
}

/* "+1h04m" / "+12m05s" / "-0m30s" from the alert. */
static void since(char *out, size_t sz, int64_t d)
{
	char sign = d < 0 ? '-' : '+';
	long s = (long)((d < 0 ? -d : d) / 1000);
	if (s >= 3600)
		snprintf(out, sz, "%c%ldh%02ldm", sign, s / 3600, s / 60 % 60);
	else
		snprintf(out, sz, "%c%ldm%02lds", sign, s / 60, s % 60);
}

/* Whether the incident's events span more than one UTC day. */
static bool spans_days(const incident *inc)
{
	int64_t lo = 0, hi = 0;
	for (size_t i = 0; i < inc->n_ev; i++) {
		int64_t t = inc->ev[i].at_ms;
		if (!lo || t < lo)
			lo = t;
		if (t > hi)
			hi = t;
	}
	return lo / 86400000 != hi / 86400000;
}

/* Draw the header and the list. */
static void timeline_draw(WINDOW *w, ui_view *v, pane_ctx *c)
{
	(void)c;
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	const incident *inc = incident_feed_incident(v->inc);
	char line[600];
	if (!inc) {
		widget_put(w, 0, 1, wd - 2, "Incident timeline", widget_attr(ROLE_TITLE), v->utf8);
		widget_put(
		    w, 2, 1, wd - 2,
		    "No incident recorded yet. The first fault the probes see fires an alert;",
		    widget_attr(ROLE_NORMAL), v->utf8);
		widget_put(w, 3, 1, wd - 2, "a acknowledges it, i opens an incident by hand.",
			   widget_attr(ROLE_NORMAL), v->utf8);
		return;
	}
	size_t *idx = idx_for(inc);
	if (!idx)
		return;
	size_t n = visible(inc, idx, inc->n_ev);
	size_t hidden = inc->n_ev - n;
	snprintf(line, sizeof line, "Incident %s: %s (%s)%s%s%s%s", inc->id,
		 incident_state_name(inc->state), incident_status_word(inc->state),
		 inc->severity[0] ? ", " : "", inc->severity, inc->owner[0] ? ", owner " : "",
		 inc->owner);
	widget_put(w, 0, 1, wd - 2, line, widget_attr(ROLE_TITLE), v->utf8);
	if (hidden)
		snprintf(line, sizeof line,
			 "%zu events, %zu probe and diagnosis events hidden (f "
			 "shows them)",
			 inc->n_ev, hidden);
	else
		snprintf(line, sizeof line, "%zu events%s", inc->n_ev,
			 tl.all ? " (f hides probe and diagnosis events)" : "");
	widget_put(w, 1, 1, wd - 2, line, widget_attr(ROLE_DIM), v->utf8);
	int rows = h - 2;
	if (n == 0 || rows < 1)
		return;
	size_t at = selected_at(idx, n);
	tl.sel = idx[at];
	if ((int)at < tl.top)
		tl.top = (int)at;
	if ((int)at >= tl.top + rows)
		tl.top = (int)at - rows + 1;
	if (tl.top > (int)n - rows)
		tl.top = (int)n - rows > 0 ? (int)n - rows : 0;
	bool date = spans_days(inc);
	int64_t t0 = inc->at[INC_ALERT] ? inc->at[INC_ALERT] : inc->ev[0].at_ms;
	for (int r = 0; r < rows && tl.top + r < (int)n; r++) {
		size_t k = (size_t)tl.top + (size_t)r;
		const inc_event *ev = &inc->ev[idx[k]];
		char when[32], rel[24];
		clock_of(when, sizeof when, ev->at_ms, date);
		since(rel, sizeof rel, ev->at_ms - t0);
		snprintf(line, sizeof line, "%s %-9s %-9s %s%s%s", when, rel, ev->by, ev->text,
			 ev->at_ms != ev->logged_ms ? " (time corrected)" : "",
			 ev->kept ? "" : "  [NOT kept yet]");
		widget_role role = !ev->kept			? ROLE_WARN
				   : ev->state			? ROLE_TITLE
				   : strcmp(ev->by, "operator") ? ROLE_DIM
								: ROLE_NORMAL;
		attr_t a = widget_attr(role);
		if (k == at && !tl.follow)
			a = widget_attr(ROLE_SELECTED);
		widget_put(w, 2 + r, 1, wd - 2, line, a, v->utf8);
	}
}

/* Move the selection by d listed events; past the end it follows again. */
static int timeline_move(ui_view *v, int d)
{
	const incident *inc = incident_feed_incident(v->inc);
	if (!inc || inc->n_ev == 0)
		return UI_HANDLED;
	size_t *idx = idx_for(inc);
	size_t n = idx ? visible(inc, idx, inc->n_ev) : 0;
	if (n == 0)
		return UI_HANDLED;
	size_t at = selected_at(idx, n);
	long to = (long)at + d;
	if (to < 0)
		to = 0;
	if (to >= (long)n - 1) {
		to = (long)n - 1;
		tl.follow = d > 0 || tl.follow;
	} else {
		tl.follow = false;
	}
	tl.sel = idx[to];
	return UI_HANDLED | UI_REDRAW;
}

/* The timeline's keys: select, page, f, t. */
static int timeline_key(ui_view *v, int ch)
{
	switch (ch) {
	case KEY_UP:
	case 'k':
		return timeline_move(v, -1);
	case KEY_DOWN:
	case 'j':
		return timeline_move(v, 1);
	case KEY_PPAGE:
		return timeline_move(v, -(v->lay.body.h - 3));
	case KEY_NPAGE:
	case ' ':
		return timeline_move(v, v->lay.body.h - 3);
	case KEY_HOME:
	case 'g':
		tl.follow = false;
		tl.sel = 0;
		tl.top = 0;
		return UI_HANDLED | UI_REDRAW;
	case KEY_END:
	case 'G':
		tl.follow = true;
		return UI_HANDLED | UI_REDRAW;
	case 'f':
		tl.all = !tl.all;
		return UI_HANDLED | UI_REDRAW;
	case 't': {
		const incident *inc = incident_feed_incident(v->inc);
		if (!inc || tl.sel >= inc->n_ev) {
			incident_flash(v, "no event to correct: the timeline is empty");
			return UI_HANDLED;
		}
		return incident_key_time_fix(v, inc->ev[tl.sel].n);
	}
	default:
		return 0;
	}
}

static const pane_class timeline_pane = {
    .name = "Incident timeline",
    .draw = timeline_draw,
    .watches = WATCH_ALL,
    .clock = NULL,
};

/* The list over the whole body. */
static void timeline_layout(ui_view *v, ui_frame *f)
{
	ui_frame_add(f, &timeline_pane, &v->lay.body, NULL);
}

/* Coming to the timeline: it follows the end again. */
static void timeline_enter(ui_view *v, const screen_class *from)
{
	(void)v;
	(void)from;
	tl.follow = true;
}

static const char *const timeline_hints[] = {"a ack",	 "n note",     "c next state",
					     "f probes", "t fix time", NULL};

const screen_class timeline_screen = {
    .name = "Incident timeline",
    .enter = timeline_enter,
    .layout = timeline_layout,
    .key = timeline_key,
    .hints = timeline_hints,
    .fits = placeholder_fits,
};
