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

	char idpart[64], tail[64];
	snprintf(idpart, sizeof idpart, "  [%s]", id);
	snprintf(tail, sizeof tail, " %s see walker (2)", pane_dash(v));
	int idw = widget_cols(idpart, v->utf8);
	int x = 1;
	x += widget_put(w, 0, x, wd - x, widget_sev_glyph(sev, v->utf8), a, v->utf8);
	x += widget_put(w, 0, x, wd - x, " ", a, v->utf8);
	int room = wd - x - idw - 1;
	x += widget_put(w, 0, x, room, title, a, v->utf8);
	x += widget_put(w, 0, x, wd - x, idpart, a, v->utf8);
	if (sev != SEV_OK && x + widget_cols(tail, v->utf8) < wd)
		widget_put(w, 0, x, wd - x, tail, a & ~(attr_t)A_BOLD, v->utf8);

	if (h >= 2) {
		char sum[400];
		snprintf(sum, sizeof sum, " %s", leaf && leaf->summary ? leaf->summary : "");
		int sx = widget_put(w, 1, 0, wd, sum, widget_attr(ROLE_NORMAL), v->utf8);
		if (v->d.n_notes > 0 && sx + 12 < wd) {
			char note[300];
			snprintf(note, sizeof note, "  note: %s", v->d.notes[0]);
			widget_put(w, 1, sx, wd - sx, note, widget_attr(ROLE_DIM), v->utf8);
		}
	}
}

const pane_class banner_pane = {
    .name = "Diagnosis",
    .draw = banner_draw,
    .watches = WATCH_ALL,
    .clock = NULL,
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
