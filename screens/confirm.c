/*
 * The confirmation overlay: a box over the body that asks one yes/no question (what the
 * action does and costs) and takes every key until it is answered. The question itself
 * (its words and what yes and no do) comes from its user, a confirm_ask.
 */
#include "screens.h"

#include <stdio.h>
#include <string.h>

/* The question being asked while the overlay is open (only the UI thread touches it). */
static const confirm_ask *asking;

/* Open the confirmation for ask; the loop shows it over the body at the next layout. */
int confirm_open(ui_view *v, const confirm_ask *ask)
{
	asking = ask;
	v->modal = &confirm_overlay;
	return UI_HANDLED | UI_RELAYOUT;
}

/* The box: centred in the body, 60 x 7 for up to 4 lines, else wider and taller. */
void confirm_rect(const layout_rect *body, int n, layout_rect *out)
{
	*out = n > 4 ? layout_centre(body, 76, n + 3) : layout_centre(body, 60, 7);
}

/* The overlay's place: the box in the body, sized for the question's lines. */
static void confirm_place(const ui_view *v, layout_rect *out)
{
	char text[CONFIRM_LINES][160];
	confirm_rect(&v->lay.body, asking ? asking->text(v, text) : 0, out);
}

/* Draw the question in its box: title, its lines, the keys in the last one. */
static void confirm_draw(WINDOW *w, ui_view *v)
{
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	wattrset(w, widget_attr(ROLE_WARN));
	box(w, 0, 0);
	wattrset(w, A_NORMAL);
	if (!asking)
		return;
	widget_put(w, 0, 2, wd - 4, asking->title, widget_attr(ROLE_TITLE), v->utf8);
	char text[CONFIRM_LINES][160];
	int n = asking->text(v, text);
	for (int i = 0; i < n && i < CONFIRM_LINES && 1 + i < h - 1; i++)
		widget_put(w, 1 + i, 2, wd - 4, text[i],
			   widget_attr(i == n - 1 ? ROLE_TITLE : ROLE_NORMAL), v->utf8);
}

/* Close the overlay, then run the answer. */
static int confirm_answer(ui_view *v, int (*fn)(ui_view *v))
{
	v->modal = NULL;
	int f = fn ? fn(v) : UI_HANDLED;
	return f | UI_HANDLED | UI_RELAYOUT;
}

/* Every key: y answers yes, n or Esc no, q still quits; any other key waits for an answer. */
static int confirm_key(ui_view *v, int ch)
{
	if (!asking)
		return confirm_answer(v, NULL);
	if (ch == 'y' || ch == 'Y')
		return confirm_answer(v, asking->yes);
	if (ch == 'n' || ch == 'N' || ch == UI_ESC)
		return confirm_answer(v, asking->no);
	if (ch == 'q' || ch == 'Q')
		return UI_HANDLED | UI_QUIT;
	return UI_HANDLED;
}

/* A confirmation nobody can see is not asked: it closes, and nothing happens. */
static void confirm_cancel(ui_view *v)
{
	v->modal = NULL;
	if (asking && asking->dropped)
		asking->dropped(v);
}

const overlay_class confirm_overlay = {
    .name = "Confirmation",
    .rect = confirm_place,
    .draw = confirm_draw,
    .key = confirm_key,
    .cursor = NULL,
    .cancel = confirm_cancel,
};
