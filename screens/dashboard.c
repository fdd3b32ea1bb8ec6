/*
 * The dashboard screen: the four evidence panes (pane_*.c) in a 2x2 grid, one of them
 * selected and perhaps zoomed to the whole body; and, for now, the decisions the panes and
 * the loop share (staleness, readiness, pace, the leaf's severity).
 */
#include "pane.h"

#include "hsr/ratelimit.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * Whether probe id's evidence is stale: older than two of the intervals the runner uses now
 * (the same healthy/unhealthy choice the loop told it). A deliberate back-off after a 429,
 * which holds the API and usage probes, is not staleness.
 */
bool dashboard_probe_stale(const ui_view *v, probe_id id)
{
	const fetch_info *f = pane_fetch(&v->ev, id);
	if (!f->done || pane_fetch_kind(f) == FETCH_OFF)
		return false;
	if ((id == PROBE_API || id == PROBE_USAGE) && v->ev.backoff_until_ms > v->now_ms)
		return false;
	int64_t ms = runner_interval_ms(v->cfg, id, v->unhealthy);
	return widget_stale(f->at_ms, v->now_ms, (long)((ms + 999) / 1000));
}

/* Bit per probe whose evidence is stale now (the loop redraws panes when this changes). */
unsigned dashboard_stale_mask(const ui_view *v)
{
	unsigned m = 0;
	for (int i = 0; i < PROBE_COUNT; i++)
		if (dashboard_probe_stale(v, (probe_id)i))
			m |= 1u << i;
	return m;
}

const pane_class *const dashboard_panes[LAYOUT_PANES] = {
    [LAYOUT_PANE_STATUS] = &pane_status,
    [LAYOUT_PANE_API] = &pane_api,
    [LAYOUT_PANE_RATE] = &pane_rate,
    [LAYOUT_PANE_HEALTH] = &pane_health,
};

/* ---- diagnosis banner ------------------------------------------------------------------- */

/*
 * Whether the API probe should take the fast pace. Only a fault that our own API call shows
 * (it is not answering 2xx) is worth more calls from the daily budget: a leaf about the token,
 * scopes, rate limits, HubSpot's servers or reachability, or an outage the call also sees.
 * Healthy, unknown, app-unhealthy (HubSpot is fine) and any leaf a custom runbook adds keep
 * the normal pace.
 */
bool dashboard_pace_fast(const char *leaf_id, const ev_api *api)
{
	static const char *const fast[] = {
	    "token-invalid",	   "missing-scopes", "hubspot-server-error",
	    "hubspot-unreachable", "hubspot-outage", "network-down",
	};
	if (!leaf_id || !api)
		return false;
	const fetch_info *f = &api->f;
	if (f->done && f->err == HTTP_OK && f->http_status >= 200 && f->http_status < 300)
		return false;
	if (strncmp(leaf_id, "rate-limit-", 11) == 0 && leaf_id[11] != '\0')
		return true;
	for (size_t i = 0; i < sizeof fast / sizeof fast[0]; i++)
		if (strcmp(leaf_id, fast[i]) == 0)
			return true;
	return false;
}

/* How many probes have published at least once. */
int dashboard_probes_published(const evidence *e)
{
	int n = 0;
	for (int i = 0; i < PROBE_COUNT; i++)
		if (e->seq[i])
			n++;
	return n;
}

/*
 * Whether the diagnosis can be believed: our API call and the status page have both
 * published (an answer or a failure). Before that a leaf drawn from the first answers to
 * arrive (health, say) would be wrong.
 */
bool dashboard_diagnosis_ready(const evidence *e)
{
	return e->seq[PROBE_API] != 0 && e->seq[PROBE_STATUS] != 0;
}

/* Severity of a leaf for the banner. */
widget_sev dashboard_leaf_sev(const char *leaf_id)
{
	if (!leaf_id || strcmp(leaf_id, "unknown") == 0)
		return SEV_UNKNOWN;
	if (strcmp(leaf_id, "healthy") == 0)
		return SEV_OK;
	/* Passing or partial: a burst limit clears in seconds, slow answers still arrive. */
	if (strcmp(leaf_id, "rate-limit-burst") == 0 || strcmp(leaf_id, "hubspot-slow") == 0)
		return SEV_WARN;
	/* Everything else, network-down included (nothing answers from this host). */
	return SEV_CRIT;
}

/* ---- the dashboard screen -------------------------------------------------------------- */

/* The dashboard's own state: which pane has the cursor, whether it fills the body, scrolls. */
static struct {
	int selected;
	bool zoomed;
	pane_ctx ctx[LAYOUT_PANES];
} dash;

/* Tell each pane where it stands now (cursor, zoom). */
static void dashboard_sync(void)
{
	for (int i = 0; i < LAYOUT_PANES; i++) {
		dash.ctx[i].selected = i == dash.selected;
		dash.ctx[i].zoomed = dash.zoomed && i == dash.selected;
	}
}

/* The four panes in the grid, or the selected one over the whole body. */
static void dashboard_layout(ui_view *v, ui_frame *f)
{
	dashboard_sync();
	if (dash.zoomed) {
		ui_frame_add(f, dashboard_panes[dash.selected], &v->lay.body,
			     &dash.ctx[dash.selected]);
		return;
	}
	for (int i = 0; i < LAYOUT_PANES; i++)
		ui_frame_add(f, dashboard_panes[i], &v->lay.pane[i], &dash.ctx[i]);
}

/* Every pane gets at least the size its class asks for. */
static bool dashboard_fits(const ui_view *v)
{
	for (int i = 0; i < LAYOUT_PANES; i++)
		if (v->lay.pane[i].w < dashboard_panes[i]->min_w ||
		    v->lay.pane[i].h < dashboard_panes[i]->min_h)
			return false;
	return true;
}

/* Arrow keys and h/j/k/l: move on the 2x2 grid, or scroll / switch the zoomed pane. */
static int dashboard_move(ui_view *v, int ch)
{
	bool left = ch == KEY_LEFT || ch == 'h', right = ch == KEY_RIGHT || ch == 'l';
	bool up = ch == KEY_UP || ch == 'k', down = ch == KEY_DOWN || ch == 'j';
	if (dash.zoomed) {
		if (left || right) {
			dash.selected =
			    (dash.selected + (right ? 1 : LAYOUT_PANES - 1)) % LAYOUT_PANES;
			return UI_HANDLED | UI_RELAYOUT;
		}
		const pane_class *pc = dashboard_panes[dash.selected];
		return pc->key ? pc->key(v, &dash.ctx[dash.selected], ch) : 0;
	}
	int col = dash.selected % 2, row = dash.selected / 2;
	if (left)
		col = 0;
	else if (right)
		col = 1;
	else if (up)
		row = 0;
	else if (down)
		row = 1;
	else
		return 0;
	dash.selected = row * 2 + col;
	dashboard_sync();
	return UI_HANDLED | UI_REDRAW;
}

/* The dashboard's keys: move, page a zoomed pane, Enter zooms, Esc leaves the zoom. */
static int dashboard_key(ui_view *v, int ch)
{
	switch (ch) {
	case KEY_UP:
	case KEY_DOWN:
	case KEY_LEFT:
	case KEY_RIGHT:
	case 'h':
	case 'j':
	case 'k':
	case 'l':
		return dashboard_move(v, ch);
	case KEY_PPAGE:
	case KEY_NPAGE:
	case KEY_HOME:
	case ' ':
	case 'g':
		return dash.zoomed ? pane_scroll_key(v, &dash.ctx[dash.selected], ch) : 0;
	case '\n':
	case '\r':
	case KEY_ENTER:
		dash.zoomed = !dash.zoomed;
		dash.ctx[dash.selected].scroll = 0;
		return UI_HANDLED | UI_RELAYOUT;
	case UI_ESC:
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (!dash.zoomed)
			return UI_HANDLED;
		dash.zoomed = false;
		return UI_HANDLED | UI_RELAYOUT;
	default:
		return 0;
	}
}

static const char *const dashboard_hints[] = {"hjkl select", "Enter zoom", NULL};

const screen_class dashboard_screen = {
    .name = "Dashboard",
    .layout = dashboard_layout,
    .key = dashboard_key,
    .hints = dashboard_hints,
    .fits = dashboard_fits,
};
