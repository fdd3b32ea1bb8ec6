/*
 * The help screen, built from the same key table that dispatches keys, plus a glyph legend.
 * Its text is wrapped with the shared text builder's cut.
 */
#include "pane.h"

#include <stdio.h>
#include <string.h>

#define HELP_ROWS     64
#define HELP_KEY_COLS 16

/* One row of help: a key-ish left column and a text, each with its role. */
typedef struct {
	char left[48];
	widget_role left_role;
	char text[200];
	widget_role role;
} help_row;

/* Columns the help text may use (set per draw, before the rows are built). */
static int text_cols = 60;

/*
 * Append a row, wrapping its text at blanks (the shared text builder's cut) onto continuation rows;
 * returns the first row for the caller to adjust, or NULL when full.
 */
static help_row *add(help_row *rows, int *n, widget_role role, const char *left, const char *text)
{
	help_row *first = NULL;
	const char *p = text ? text : "";
	do {
		if (*n >= HELP_ROWS)
			return first;
		help_row *r = &rows[(*n)++];
		common_strlcpy(r->left, first ? "" : left ? left : "", sizeof r->left);
		r->left_role = ROLE_TITLE;
		r->role = role;
		size_t cut = strlen(p);
		if (text_cols > 10)
			cut = text_wrap_cut(p, text_cols, true, true);
		if (cut >= sizeof r->text)
			cut = sizeof r->text - 1;
		memcpy(r->text, p, cut);
		r->text[cut] = '\0';
		if (!first)
			first = r;
		p += cut;
		while (*p == ' ')
			p++;
	} while (*p);
	return first;
}

/* Everything the help says, in order. */
static int help_rows(const ui_view *v, help_row *rows)
{
	int n = 0;
	char buf[400];
	add(rows, &n, ROLE_TITLE, "", "Keys");
	for (const ui_binding *k = ui_bindings; k->label; k++) {
		snprintf(buf, sizeof buf, "%s%s", k->help,
			 k->demo_only && !v->demo ? " (only with --demo)" : "");
		add(rows, &n, k->demo_only && !v->demo ? ROLE_DIM : ROLE_NORMAL, k->label, buf);
	}
	add(rows, &n, ROLE_NORMAL, "", "");
	add(rows, &n, ROLE_TITLE, "", "What the marks mean");
	static const struct {
		widget_sev sev;
		const char *text;
	} legend[] = {
	    {SEV_OK, "fine"},
	    {SEV_WARN, "warning: degraded, held back, running low"},
	    {SEV_CRIT, "failing"},
	    {SEV_UNKNOWN, "unknown: not asked, no answer, or not in the answer (never 0)"},
	};
	for (size_t i = 0; i < sizeof legend / sizeof legend[0]; i++) {
		help_row *r = add(rows, &n, ROLE_NORMAL, widget_sev_glyph(legend[i].sev, v->utf8),
				  legend[i].text);
		if (r)
			r->left_role = widget_sev_role(legend[i].sev);
	}
	help_row *r = add(rows, &n, ROLE_NORMAL, "stale",
			  "dimmed: evidence older than two intervals of its probe");
	if (r)
		r->left_role = ROLE_STALE;
	add(rows, &n, ROLE_NORMAL, v->utf8 ? "\u2014" : "-", "unknown, where a number would be");
	add(rows, &n, ROLE_NORMAL, "", "");
	add(rows, &n, ROLE_TITLE, "", "Probes");
	const config *c = v->cfg;
	snprintf(buf, sizeof buf, "HubSpot's status page, every %ld s", c->interval_status_s);
	add(rows, &n, ROLE_NORMAL, "status", buf);
	snprintf(buf, sizeof buf,
		 "one API call, every %ld s; every %ld s while it fails and the diagnosis "
		 "blames HubSpot, our token or our network (the status line then says \"API "
		 "asked every %ld s\"); a 2xx slower than %ld ms (slow_ms) is a warning",
		 c->interval_api_s, c->interval_api_unhealthy_s, c->interval_api_unhealthy_s,
		 c->slow_ms);
	add(rows, &n, ROLE_NORMAL, "api", buf);
	snprintf(buf, sizeof buf, "HubSpot's count of today's calls, every %ld s (%ld s healthy)",
		 c->interval_usage_s, c->interval_usage_healthy_s);
	add(rows, &n, ROLE_NORMAL, "usage", buf);
	if (c->health_url[0])
		snprintf(buf, sizeof buf, "our app's health endpoint, every %ld s",
			 c->interval_health_s);
	else
		snprintf(buf, sizeof buf, "our app's health endpoint: not configured (health_url)");
	add(rows, &n, ROLE_NORMAL, "health", buf);
	add(rows, &n, ROLE_NORMAL, "",
	    "After a 429 the API probe waits (Retry-After, the window, or the daily reset);");
	add(rows, &n, ROLE_NORMAL, "",
	    "r does not skip that wait; R asks once anyway, after a y/n confirmation.");
	add(rows, &n, ROLE_NORMAL, "",
	    "\"ours: N calls today\" counts this tool's calls; \"account\" is HubSpot's count "
	    "for the whole account's private apps.");
	if (c->utc_offset_set) {
		char off[24];
		format_utc_offset(off, sizeof off, c->utc_offset_min);
		snprintf(buf, sizeof buf,
			 "Clock times are the account's time (%s, utc_offset); else UTC.", off);
	} else {
		snprintf(buf, sizeof buf,
			 "Clock times are UTC (set utc_offset for the account's time).");
	}
	add(rows, &n, ROLE_NORMAL, "", buf);
	add(rows, &n, ROLE_NORMAL, "", "");
	add(rows, &n, ROLE_DIM, "", "? or Esc: back");
	return n;
}

/* Draw the help into w, scrolled. */
static void help_draw(WINDOW *w, ui_view *v, pane_ctx *c)
{
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	mvwhline(w, 0, 0, ACS_HLINE | widget_attr(ROLE_DIM), wd);
	widget_put(w, 0, 1, wd - 2, " Help ", widget_attr(ROLE_SELECTED), v->utf8);

	int lw = wd >= 60 ? HELP_KEY_COLS : 10;
	text_cols = wd - 2 - lw - 1;
	static help_row rows[HELP_ROWS];
	int n = help_rows(v, rows);
	int avail = h - 1;
	int first = text_first_row(c ? &c->scroll : NULL, n, avail);
	if (n - first > avail && avail > 0) {
		char more[48];
		snprintf(more, sizeof more, " j/k: %d more ", n - first - avail);
		int mw = widget_cols(more, v->utf8);
		if (mw + 10 < wd)
			widget_put(w, 0, wd - mw - 1, mw, more, widget_attr(ROLE_DIM), v->utf8);
	}
	for (int i = 0; i < avail && first + i < n; i++) {
		const help_row *r = &rows[first + i];
		int x = 2;
		if (r->left[0])
			widget_put(w, 1 + i, x, lw - 1, r->left, widget_attr(r->left_role) | A_BOLD,
				   v->utf8);
		if (r->left[0] || r->role != ROLE_TITLE)
			x += lw;
		widget_put(w, 1 + i, x, wd - x - 1, r->text, widget_attr(r->role), v->utf8);
	}
}

const pane_class help_pane = {
    .name = "Help",
    .draw = help_draw,
    .key = pane_scroll_key,
    .min_w = LAYOUT_PANE_MIN_W,
    .min_h = LAYOUT_PANE_MIN_H,
    .watches = 0,
    .clock = NULL,
};

/* ---- the help screen -------------------------------------------------------------------- */

/* The help's own state: the screen it returns to, and its scroll. */
static struct {
	const screen_class *back;
	pane_ctx ctx;
} help;

/* Opened from screen from: remember it, start at the top. */
static void help_enter(ui_view *v, const screen_class *from)
{
	(void)v;
	help.back = from ? from : ui_screens[0];
	help.ctx.scroll = 0;
}

/* The help text fills the body. */
static void help_layout(ui_view *v, ui_frame *f)
{
	ui_frame_add(f, &help_pane, &v->lay.body, &help.ctx);
}

/* The body is big enough for the help text. */
static bool help_fits(const ui_view *v)
{
	return v->lay.body.w >= help_pane.min_w && v->lay.body.h >= help_pane.min_h;
}

/* ?, F1, Esc and Backspace go back where the help was opened; the rest scrolls. */
static int help_key(ui_view *v, int ch)
{
	switch (ch) {
	case '?':
	case KEY_F(1):
	case UI_ESC:
	case KEY_BACKSPACE:
	case 127:
	case 8:
		v->go = help.back;
		return UI_HANDLED;
	default:
		return help_pane.key(v, &help.ctx, ch);
	}
}

static const char *const help_hints[] = {"hjkl select", NULL};

const screen_class help_screen = {
    .name = "Help",
    .enter = help_enter,
    .layout = help_layout,
    .key = help_key,
    .hints = help_hints,
    .fits = help_fits,
};
