/*
 * The text-field overlay: a box over the body with a title, a field (one line or several)
 * that edits wide characters with the cursor shown, and a hint line with the keys. The
 * editing itself is screens/textfield.c; this maps the terminal's keys and draws.
 */
#include "screens.h"

#include "hsr/textfield.h"

#include <stdio.h>
#include <string.h>

/* The open prompt (only the UI thread touches it). */
static struct {
	const prompt_ask *ask;
	textfield field;
	textfield_view view;
	bool shown; /* view is from the last draw */
} pr;

/* Open a text field for ask; the loop shows it over the body at the next layout. */
int prompt_open(ui_view *v, const prompt_ask *ask)
{
	pr.ask = ask;
	textfield_init(&pr.field, ask->multi, ask->max);
	textfield_set(&pr.field, ask->initial);
	pr.shown = false;
	v->modal = &prompt_overlay;
	return UI_HANDLED | UI_RELAYOUT;
}

/* The box: centred in the body, 70 columns at most; one field row, or up to 8. */
static void prompt_rect(const ui_view *v, layout_rect *out)
{
	int rows = pr.ask && pr.ask->multi ? 8 : 1;
	*out = layout_centre(&v->lay.body, 70, rows + 3);
}

/* The keys under the field, for the kind of field. */
static const char *prompt_hint(bool multi)
{
	return multi ? "Ctrl-D or Enter on an empty line: save    Esc: cancel"
		     : "Enter: save    Esc: cancel";
}

/* Draw characters [s, s+n) of the field at row y from column x. */
static void prompt_row(WINDOW *w, int y, int x, int s, int n, bool utf8)
{
	wmove(w, y, x);
	for (int i = 0; i < n; i++) {
		wchar_t c = pr.field.text[s + i];
		if (!utf8 && (c < 0x20 || c > 0x7e)) {
			waddch(w, '?');
			continue;
		}
		wchar_t one[2] = {c, 0};
		waddnwstr(w, one, 1);
	}
}

/* Draw the box, the visible part of the field, and the keys. */
static void prompt_draw(WINDOW *w, ui_view *v)
{
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	wattrset(w, widget_attr(ROLE_TITLE));
	box(w, 0, 0);
	wattrset(w, A_NORMAL);
	if (!pr.ask)
		return;
	widget_put(w, 0, 2, wd - 4, pr.ask->title, widget_attr(ROLE_TITLE), v->utf8);
	int rows = h - 3, cols = wd - 4;
	if (rows < 1 || cols < 1)
		return;
	textfield_layout(&pr.field, cols, rows, &pr.view);
	pr.shown = true;
	for (int r = 0; r < pr.view.n_rows; r++)
		prompt_row(w, 1 + r, 2, pr.view.start[r], pr.view.count[r], v->utf8);
	/* Marks at the edges where text is scrolled out of view. */
	if (pr.view.more_above)
		widget_put(w, 1, 1, 1, pr.field.multi ? "^" : "<", widget_attr(ROLE_DIM), false);
	if (pr.view.more_below)
		widget_put(w, rows, wd - 2, 1, pr.field.multi ? "v" : ">", widget_attr(ROLE_DIM),
			   false);
	widget_put(w, h - 2, 2, wd - 4, prompt_hint(pr.field.multi), widget_attr(ROLE_DIM),
		   v->utf8);
}

/* The terminal's key as a text-field key (characters as code points); 0 when none. */
static int prompt_map(int ch)
{
	if (ch & UI_WCHAR)
		return ch & ~UI_WCHAR;
	switch (ch) {
	case KEY_LEFT:
		return TEXTFIELD_LEFT;
	case KEY_RIGHT:
		return TEXTFIELD_RIGHT;
	case KEY_UP:
		return TEXTFIELD_UP;
	case KEY_DOWN:
		return TEXTFIELD_DOWN;
	case KEY_HOME:
		return TEXTFIELD_HOME;
	case KEY_END:
		return TEXTFIELD_END;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		return TEXTFIELD_BACKSPACE;
	case KEY_DC:
		return TEXTFIELD_DELETE;
	case KEY_ENTER:
		return TEXTFIELD_ENTER;
	default:
		/* Other function keys mean nothing here; characters are themselves. */
		return ch >= KEY_MIN ? 0 : ch;
	}
}

/* Every key: edit, accept (the answer goes to the asker) or cancel. */
static int prompt_key(ui_view *v, int ch)
{
	int key = prompt_map(ch);
	if (!pr.ask || key == 0)
		return UI_HANDLED;
	const prompt_ask *ask = pr.ask;
	switch (textfield_key(&pr.field, key)) {
	case TEXTFIELD_ACCEPTED: {
		static char text[TEXTFIELD_MAX * 4 + 1];
		textfield_get(&pr.field, text, sizeof text);
		v->modal = NULL;
		pr.ask = NULL;
		return (ask->accept ? ask->accept(v, text) : 0) | UI_HANDLED | UI_RELAYOUT;
	}
	case TEXTFIELD_CANCELLED:
		v->modal = NULL;
		pr.ask = NULL;
		return (ask->cancel ? ask->cancel(v) : 0) | UI_HANDLED | UI_RELAYOUT;
	case TEXTFIELD_EDITED:
	case TEXTFIELD_MOVED:
		return UI_HANDLED | UI_REDRAW;
	default:
		return UI_HANDLED;
	}
}

/* The cursor goes where the field edits. */
static bool prompt_cursor(const ui_view *v, int *y, int *x)
{
	(void)v;
	if (!pr.ask || !pr.shown)
		return false;
	*y = 1 + pr.view.cursor_y;
	*x = 2 + pr.view.cursor_x;
	return true;
}

/* The terminal became too small to show the field: it closes as cancelled. */
static void prompt_cancel(ui_view *v)
{
	const prompt_ask *ask = pr.ask;
	v->modal = NULL;
	pr.ask = NULL;
	if (ask && ask->cancel)
		ask->cancel(v);
}

const overlay_class prompt_overlay = {
    .name = "Text field",
    .rect = prompt_rect,
    .draw = prompt_draw,
    .key = prompt_key,
    .cursor = prompt_cursor,
    .cancel = prompt_cancel,
};

/* ---- a way for the tmux tests (only) to drive a text field ----------------------------- */

/* How long the test field's answer stays in the status line. */
#define PROMPT_TEST_FLASH_MS 30000

/* The test field's text, shown in the status line as it was saved. */
static int prompt_test_accept(ui_view *v, const char *text)
{
	snprintf(v->flash, sizeof v->flash, "text field saved [%s]", text);
	/* One line in the status line: newlines show as " | ". */
	for (char *p = v->flash; *p; p++)
		if (*p == '\n')
			*p = '|';
	v->flash_until_ms = v->now_ms + PROMPT_TEST_FLASH_MS;
	return UI_HANDLED;
}

/* The test field was cancelled. */
static int prompt_test_cancel(ui_view *v)
{
	snprintf(v->flash, sizeof v->flash, "text field cancelled");
	v->flash_until_ms = v->now_ms + PROMPT_TEST_FLASH_MS;
	return UI_HANDLED;
}

static const prompt_ask prompt_test_line = {
    .title = " Test field ",
    .multi = false,
    .max = 60,
    .accept = prompt_test_accept,
    .cancel = prompt_test_cancel,
};

static const prompt_ask prompt_test_multi = {
    .title = " Test field ",
    .multi = true,
    .max = 400,
    .accept = prompt_test_accept,
    .cancel = prompt_test_cancel,
};

/*
 * Tests only: with HSR_TEST_TEXTFIELD=line or multi in the environment, open a text field
 * at start whose answer shows in the status line. Nothing else opens one yet.
 */
void prompt_test_open(ui_view *v, const char *kind)
{
	if (!kind || !*kind)
		return;
	prompt_open(v, strcmp(kind, "multi") == 0 ? &prompt_test_multi : &prompt_test_line);
}
