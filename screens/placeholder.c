/*
 * What the screens not built yet (walker, comms, timeline: one class each, in its own file)
 * share: one pane that names the screen, says so, and shows the diagnosis now.
 */
#include "pane.h"

#include <stdio.h>
#include <string.h>

/* Draw the placeholder for the walker, comms and timeline screens. */
static void placeholder_draw(WINDOW *w, ui_view *v, pane_ctx *c)
{
	(void)c;
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	const char *name = v->screen ? v->screen->name : "";
	int y = h / 3;
	widget_put(w, y, 2, wd - 4, name, widget_attr(ROLE_TITLE), v->utf8);
	widget_put(w, y + 1, 2, wd - 4, "Not built yet.", widget_attr(ROLE_NORMAL), v->utf8);
	if (!watch_ready(&v->ev)) {
		char t[64], d[96];
		banner_waiting_text(v, t, sizeof t);
		snprintf(d, sizeof d, "Diagnosis now: %s", t);
		widget_put(w, y + 3, 2, wd - 4, d, widget_attr(ROLE_NORMAL), v->utf8);
	} else if (v->d.leaf) {
		char d[300];
		snprintf(d, sizeof d, "Diagnosis now: %s [%s]", v->d.leaf->title, v->d.leaf->id);
		widget_put(w, y + 3, 2, wd - 4, d, widget_attr(ROLE_NORMAL), v->utf8);
	}
	widget_put(w, y + 5, 2, wd - 4, "Press 1 or Esc for the dashboard, ? for help, q to quit.",
		   widget_attr(ROLE_DIM), v->utf8);
}

const pane_class placeholder_pane = {
    .name = "Not built yet",
    .draw = placeholder_draw,
    .watches = WATCH_ALL,
    .clock = NULL,
};

/* A placeholder screen's windows: its pane over the whole body. */
void placeholder_layout(ui_view *v, ui_frame *f)
{
	ui_frame_add(f, &placeholder_pane, &v->lay.body, NULL);
}

/* A placeholder fits any body the layout gives (its lines are cut to the width). */
bool placeholder_fits(const ui_view *v)
{
	return v->lay.body.w >= LAYOUT_PANE_MIN_W && v->lay.body.h >= LAYOUT_PANE_MIN_H;
}
