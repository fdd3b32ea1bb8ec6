/* The screen that says the terminal is too small, and what size is needed. */
#include "pane.h"

#include <stdio.h>
#include <string.h>

/* Draw the screen that says the terminal is too small, and what size is needed. */
static void too_small_draw(WINDOW *w, ui_view *v, pane_ctx *ctx)
{
	(void)ctx;
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	char l0[64], l1[64];
	snprintf(l0, sizeof l0, "hsrunbook needs at least %dx%d", LAYOUT_MIN_COLS,
		 LAYOUT_MIN_LINES);
	snprintf(l1, sizeof l1, "this terminal is %dx%d", v->lay.cols, v->lay.lines);
	const char *notice = banner_notice(v->cfg, wd, v->utf8);
	const char *text[] = {l0, l1, "enlarge it, or press q to quit", notice};
	int n = notice ? 4 : 3;
	if (n > h)
		n = h;
	int y0 = (h - n) / 2;
	for (int i = 0; i < n; i++) {
		int c = widget_cols(text[i], v->utf8);
		int x = c < wd ? (wd - c) / 2 : 0;
		widget_put(w, y0 + i, x, wd - x, text[i],
			   widget_attr(i == 0 || i == 3 ? ROLE_WARN : ROLE_NORMAL), v->utf8);
	}
}

const pane_class too_small_pane = {
    .name = "Too small",
    .draw = too_small_draw,
    .watches = 0,
    .clock = NULL,
};
