/* The two status lines at the bottom: probe ages, then notes or key hints. */
#include "pane.h"

#include <stdio.h>
#include <string.h>

/* One probe's state for the status line: "status 10 s ago", "api probing 7 s…", "health off". */
static void probe_state(const ui_view *v, probe_id id, bool compact, char *out, size_t outsz,
			bool *stale, bool *probing)
{
	const fetch_info *f = evidence_fetch(&v->ev, id);
	char s[48];
	*stale = false;
	*probing = false;
	bool off = (id == PROBE_HEALTH && !v->cfg->health_url[0]) ||
		   evidence_outcome_shown(f) == EVIDENCE_NOT_ASKED;
	if (off) {
		snprintf(s, sizeof s, "off");
	} else if (v->ev.in_flight[id] && (pane_probing_text(v, id, s, sizeof s), s[0])) {
		*probing = true;
		if (compact) /* "probing 7 s…" becomes "7 s…" */
			memmove(s, s + 8, strlen(s + 8) + 1);
		*stale = watch_stale(&v->ev, v->cfg, v->unhealthy, id, v->now_ms);
	} else if (evidence_outcome_shown(f) == EVIDENCE_PENDING) {
		snprintf(s, sizeof s, "%s", pane_dash(v));
	} else {
		format_age(s, sizeof s, f->at_ms, v->now_ms);
		if (compact) {
			char *ago = strstr(s, " ago");
			if (ago)
				*ago = '\0';
			if (strcmp(s, "just now") == 0)
				snprintf(s, sizeof s, "now");
		}
		*stale = watch_stale(&v->ev, v->cfg, v->unhealthy, id, v->now_ms);
	}
	snprintf(out, outsz, "%s %s%s", probe_name(id), s, *stale ? " stale" : "");
}

/* One key hint at x on row 1, its key in the title role; false when it does not fit. */
static bool hint_put(WINDOW *w, const ui_view *v, int *x, int limit, const char *hint)
{
	int hw = widget_cols(hint, v->utf8);
	if (*x + hw > limit)
		return false;
	const char *sp = strchr(hint, ' ');
	int kw = sp ? (int)(sp - hint) : hw;
	char key[16];
	snprintf(key, sizeof key, "%.*s", kw, hint);
	widget_put(w, 1, *x, kw, key, widget_attr(ROLE_TITLE), v->utf8);
	widget_put(w, 1, *x + kw, hw - kw, hint + kw, widget_attr(ROLE_NORMAL), v->utf8);
	*x += hw + 2;
	return true;
}

/* The key hints from x: the global table's, then the current screen's, while they fit. */
static int hints_draw(WINDOW *w, const ui_view *v, int x, int limit)
{
	for (const ui_binding *k = ui_bindings; k->label; k++) {
		if (!k->hint || (k->demo_only && !v->demo))
			continue;
		if (!hint_put(w, v, &x, limit, k->hint))
			return x;
	}
	const char *const *h = v->screen ? v->screen->hints : NULL;
	for (; h && *h; h++)
		if (!hint_put(w, v, &x, limit, *h))
			break;
	return x;
}

/* Draw the probe ages line and the key hints line. */
static void status_line_draw(WINDOW *w, ui_view *v, pane_ctx *c)
{
	(void)c;
	int wd = getmaxx(w);
	werase(w);

	/* Row 0: each probe's age on the left, the API calls the probes spent on the right. The
	 * forms depend on the width only, so the line keeps its shape as ages tick. */
	/* Our own probes' calls (HubSpot's count of the account's is in the rate pane). */
	char calls[64];
	snprintf(calls, sizeof calls,
		 wd >= 100 ? "our probes: %u API calls today" : "ours: %u calls today",
		 v->ev.api_requests_today);
	int cw = widget_cols(calls, v->utf8);
	int limit = wd - cw - 2;
	char part[PROBE_COUNT][80];
	bool stale[PROBE_COUNT], probing[PROBE_COUNT];
	for (int compact = wd < 78; compact <= 1; compact++) {
		int total = 1;
		for (int i = 0; i < PROBE_COUNT; i++) {
			probe_state(v, (probe_id)i, compact, part[i], sizeof part[i], &stale[i],
				    &probing[i]);
			total += widget_cols(part[i], v->utf8) + 2;
		}
		if (total <= limit)
			break;
	}
	int x = 1;
	for (int i = 0; i < PROBE_COUNT && x < limit; i++) {
		attr_t a = widget_attr(stale[i]	    ? ROLE_STALE
				       : probing[i] ? ROLE_WARN
						    : ROLE_NORMAL);
		x += widget_put(w, 0, x, limit - x, part[i], a, v->utf8);
		x += 2;
	}
	widget_put(w, 0, wd - cw - 1, cw, calls, widget_attr(ROLE_DIM), v->utf8);

	/* Row 1: a passing note, or the key hints from the key table; the demo scenario right. */
	char right[96] = "";
	if (v->demo)
		snprintf(right, sizeof right, "demo: %s ", v->scenario);
	int rw = widget_cols(right, v->utf8);
	limit = wd - rw - 2;
	x = 1;
	/* While the API probe hurries, say so in plain words on the right, if the left text
	 * leaves room for it (never over it). */
	char pace[48] = "";
	if (v->unhealthy)
		snprintf(pace, sizeof pace, "API asked every %ld s",
			 (long)(runner_interval_ms(v->cfg, PROBE_API, true) / 1000));
	int pw = widget_cols(pace, v->utf8);
	char inc[400];
	bool alarm;
	int64_t due;
	incident_status_text(v, inc, sizeof inc, &alarm, &due);
	if (due && due != v->bell_due_ms) {
		v->bell_due_ms = due; /* overdue: the bell rings once for it */
		beep();
	}
	if (v->flash[0] && v->flash_until_ms > v->now_ms) {
		bool pace_fits;
		int room =
		    widget_share(limit - x, widget_cols(v->flash, v->utf8), pw, 2, &pace_fits);
		x += widget_put(w, 1, x, room, v->flash, widget_attr(ROLE_WARN), v->utf8) + 2;
		if (!pace_fits)
			pw = 0;
	} else {
		/* The incident's words first (a warning in full), then the key hints. */
		if (inc[0])
			x += widget_put(w, 1, x, limit - x, inc,
					widget_attr(alarm ? ROLE_CRIT : ROLE_WARN), v->utf8) +
			     2;
		x = hints_draw(w, v, x, limit);
	}
	/* x is where the left text ended (plus a gap after hints): the pace only right of it. */
	if (pw > 0 && x + pw + 1 <= wd - rw - 1)
		widget_put(w, 1, wd - rw - pw - 2, pw, pace, widget_attr(ROLE_WARN), v->utf8);
	if (rw > 0 && rw < wd)
		widget_put(w, 1, wd - rw, rw, right, widget_attr(ROLE_WARN) | A_REVERSE, v->utf8);
}

/* The status line's clock: every probe's age or "probing" mark, and whether a note shows. */
static uint64_t status_line_clock(const ui_view *v)
{
	uint64_t h = PANE_SIG_SEED;
	char part[80];
	bool stale, probing;
	for (int i = 0; i < PROBE_COUNT; i++) {
		probe_state(v, (probe_id)i, false, part, sizeof part, &stale, &probing);
		h = pane_sig_str(h, part);
	}
	char inc[400];
	bool alarm;
	int64_t due;
	incident_status_text(v, inc, sizeof inc, &alarm, &due);
	h = pane_sig_str(h, inc);
	return pane_sig_str(h, v->flash[0] && v->flash_until_ms > v->now_ms ? "flash" : "");
}

const pane_class statusline_pane = {
    .name = "Status",
    .draw = status_line_draw,
    .watches = WATCH_ALL,
    .clock = status_line_clock,
};
