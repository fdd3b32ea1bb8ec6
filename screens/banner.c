/* The diagnosis banner across the top, and the standing notice under it. */
#include "pane.h"

#include <stdio.h>
#include <string.h>

/* "waiting for the probes (2/4)": what stands for the leaf until the diagnosis is ready. */
void banner_waiting_text(const ui_view *v, char *out, size_t outsz)
{
	snprintf(out, outsz, "waiting for the probes (%d/%d)", evidence_published(&v->ev),
		 PROBE_COUNT);
}

/*
 * The banner's second line: the leaf's first step (the single most useful action), so an
 * operator who never opens the walker still knows what to do first; else its summary.
 */
static void banner_first_step(WINDOW *w, const ui_view *v, const rb_leaf *leaf, int wd)
{
	char line[400];
	if (leaf && leaf->n_steps > 0 && leaf->steps[0].text)
		snprintf(line, sizeof line, " first: %s", leaf->steps[0].text);
	else
		snprintf(line, sizeof line, " %s", leaf && leaf->summary ? leaf->summary : "");
	int sx = widget_put(w, 1, 0, wd, line, widget_attr(ROLE_NORMAL), v->utf8);
	if (v->d.n_notes > 0 && sx + 12 < wd) {
		char note[300];
		snprintf(note, sizeof note, "  note: %s", v->d.notes[0]);
		widget_put(w, 1, sx, wd - sx, note, widget_attr(ROLE_DIM), v->utf8);
	}
}

/* Draw the banner: the leaf's glyph, title and id across the top, its summary below if tall. */
static void banner_draw(WINDOW *w, ui_view *v, pane_ctx *c)
{
	(void)c;
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	if (!watch_ready(&v->ev)) {
		attr_t a = widget_attr(ROLE_UNKNOWN) | A_REVERSE | A_BOLD;
		widget_fill(w, 0, 0, wd, a);
		char t[64];
		banner_waiting_text(v, t, sizeof t);
		int x = 1;
		x +=
		    widget_put(w, 0, x, wd - x, widget_sev_glyph(SEV_UNKNOWN, v->utf8), a, v->utf8);
		x += widget_put(w, 0, x, wd - x, " ", a, v->utf8);
		widget_put(w, 0, x, wd - x, t, a, v->utf8);
		if (h >= 2)
			widget_put(w, 1, 0, wd,
				   " no diagnosis until the status page and our API call have "
				   "answered",
				   widget_attr(ROLE_DIM), v->utf8);
		return;
	}
	const rb_leaf *leaf = v->d.leaf;
	const char *id = leaf && leaf->id ? leaf->id : "unknown";
	const char *title = leaf && leaf->title ? leaf->title : "Not enough evidence";
	widget_sev sev = (widget_sev)watch_leaf_level(leaf);
	attr_t a = widget_attr(widget_sev_role(sev)) | A_REVERSE | A_BOLD;
	widget_fill(w, 0, 0, wd, a);

	char idpart[64], tail[200];
	snprintf(idpart, sizeof idpart, "  [%s]", id);
	snprintf(tail, sizeof tail, " %s see walker (2)", pane_dash(v));
	/* A recent leaf change (the walker's) says so, on every screen, in place of the tail. */
	const char *chg = walker_recent_change(v);
	if (chg)
		snprintf(tail, sizeof tail, " %s %s", pane_dash(v), chg);
	int idw = widget_cols(idpart, v->utf8), tw = widget_cols(tail, v->utf8);
	int x = 1;
	x += widget_put(w, 0, x, wd - x, widget_sev_glyph(sev, v->utf8), a, v->utf8);
	x += widget_put(w, 0, x, wd - x, " ", a, v->utf8);
	int room = wd - x - idw - 1;
	/* The change takes the title's room, down to 12 columns of it; its end may be cut. */
	if (chg)
		room = room - tw >= 12 ? room - tw : 12;
	x += widget_put(w, 0, x, room, title, a, v->utf8);
	x += widget_put(w, 0, x, wd - x, idpart, a, v->utf8);
	if (chg || (sev != SEV_OK && x + tw < wd))
		widget_put(w, 0, x, wd - x, tail, a & ~(attr_t)A_BOLD, v->utf8);

	if (h >= 2)
		banner_first_step(w, v, leaf, wd);
}

/* The banner's clock: whether a leaf change is recent enough to show. */
static uint64_t banner_clock(const ui_view *v)
{
	return walker_recent_change(v) ? 1 : 0;
}

const pane_class banner_pane = {
    .name = "Diagnosis",
    .draw = banner_draw,
    .watches = WATCH_ALL,
    .clock = banner_clock,
};

/* ---- the notice under the banner ------------------------------------------------------- */

/* The standing notice for cols columns, or NULL when there is none (a token is set). */
const char *banner_notice(const config *cfg, int cols, bool utf8)
{
	static const char *const no_token[] = {
	    "no token: the HubSpot API is not being asked; set HUBSPOT_ACCESS_TOKEN or "
	    "--token-file",
	    "no token: the HubSpot API is not asked; set HUBSPOT_ACCESS_TOKEN or --token-file",
	    "no token: HubSpot API not asked; set HUBSPOT_ACCESS_TOKEN or --token-file",
	    "no token: HubSpot API not asked; set HUBSPOT_ACCESS_TOKEN",
	    "no token: HubSpot API not asked",
	};
	if (cfg->token[0])
		return NULL;
	int n = (int)(sizeof no_token / sizeof no_token[0]);
	return no_token[widget_pick(no_token, n, cols, utf8)];
}

/* Draw the notice line: plain words, in the warning role. */
static void notice_draw(WINDOW *w, ui_view *v, pane_ctx *c)
{
	(void)c;
	int wd = getmaxx(w);
	werase(w);
	const char *t = banner_notice(v->cfg, wd - 2, v->utf8);
	if (t)
		widget_put(w, 0, 1, wd - 2, t, widget_attr(ROLE_WARN), v->utf8);
}

const pane_class banner_notice_pane = {
    .name = "Notice",
    .draw = notice_draw,
    .watches = 0,
    .clock = NULL,
};
