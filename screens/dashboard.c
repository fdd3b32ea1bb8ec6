/*
 * The dashboard screen: the four evidence panes (pane_*.c) in a 2x2 grid, one of them
 * selected and perhaps zoomed to the whole body. What the evidence means (staleness,
 * readiness, pace, severity) is the engine's (src/watch.c).
 */
#include "pane.h"

#include <stdio.h>
#include <string.h>

const pane_class *const dashboard_panes[LAYOUT_PANES] = {
    [LAYOUT_PANE_STATUS] = &pane_status,
    [LAYOUT_PANE_API] = &pane_api,
    [LAYOUT_PANE_RATE] = &pane_rate,
    [LAYOUT_PANE_HEALTH] = &pane_health,
};

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
