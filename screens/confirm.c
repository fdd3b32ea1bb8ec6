/* The "probe once anyway" confirmation box. */
#include "pane.h"

#include <stdio.h>
#include <string.h>

/* The box: centred in the body, at most 60 x 7, never larger than the body. */
void confirm_rect(const layout_rect *body, layout_rect *out)
{
	out->w = body->w < 60 ? body->w : 60;
	out->h = body->h < 7 ? body->h : 7;
	out->y = body->y + (body->h - out->h) / 2;
	out->x = body->x + (body->w - out->w) / 2;
}

/* Draw the confirmation: what R does and costs, and the keys. */
static void confirm_draw(WINDOW *w, ui_view *v, int slot)
{
	(void)slot;
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	wattrset(w, widget_attr(ROLE_WARN));
	box(w, 0, 0);
	wattrset(w, A_NORMAL);
	widget_put(w, 0, 2, wd - 4, " Probe once anyway? ", widget_attr(ROLE_TITLE), v->utf8);
	char until[48] = "", l1[160];
	if (v->ev.backoff_until_ms > 0)
		pane_clock_hm(v, until, sizeof until, v->ev.backoff_until_ms);
	snprintf(l1, sizeof l1, "The API probe is held back%s%s.", until[0] ? " until " : "",
		 until);
	const char *text[] = {
	    l1,
	    "Asking now spends one API call and may get another 429.",
	    "",
	    "y: ask once    n or Esc: cancel",
	};
	for (int i = 0; i < 4 && 1 + i < h - 1; i++)
		widget_put(w, 1 + i, 2, wd - 4, text[i],
			   widget_attr(i == 3 ? ROLE_TITLE : ROLE_NORMAL), v->utf8);
}

const pane_class confirm_pane = {
    .name = "Probe once anyway",
    .draw = confirm_draw,
    .watches = 0,
    .clock = NULL,
};
