/*
 * The decision-tree walker (key 2): the class and its keys. A cursor on the path and the
 * checklist; y / n answer the question under it, u gives the answer back to the evidence,
 * space checks the step under it, v asks the probes now. What the answers mean is the
 * engine's (src/walker.c); this file only says what the operator did.
 */
#include "walker_screen.h"

#include "hsr/log.h"

#include <stdio.h>
#include <string.h>

/* How long a note the walker writes in the status line stays. */
#define WALKER_FLASH_MS 4000

walker_place walker_at;

/* How many items the cursor can be on: the path's questions, then the leaf's steps. */
int walker_items(const walker *w)
{
	return w->diag.n_steps + (w->diag.leaf ? w->diag.leaf->n_steps : 0);
}

/* A note in the status line for a while. */
static void walker_note(ui_view *v, const char *text)
{
	ui_flash(v, text, WALKER_FLASH_MS);
}

/*
 * Coming to the walker: the cursor on the question that decided the leaf (not back from the
 * help or a team command's output: the cursor stays where it was).
 */
static void walker_enter(ui_view *v, const screen_class *from)
{
	if (from == &help_screen || from == &teamrun_screen) {
		walker_at.follow = true; /* the step's new "ran …" line shows */
		return;
	}
	int k = walker_deciding_step(&v->walk);
	walker_at.cursor = k < 0 ? 0 : k;
	walker_at.follow = true;
	walker_at.ctx.scroll = 0;
}

/* The walker fills the body. */
static void walker_layout(ui_view *v, ui_frame *f)
{
	ui_frame_add(f, &walker_pane, &v->lay.body, &walker_at.ctx);
}

/* Any body the layout gives is enough: long text scrolls. */
static bool walker_fits(const ui_view *v)
{
	return v->lay.body.w >= walker_pane.min_w && v->lay.body.h >= walker_pane.min_h;
}

/* Move the cursor by d items, kept on the items there are. */
static int walker_move(ui_view *v, int d)
{
	int n = walker_items(&v->walk);
	int c = walker_at.cursor + d;
	walker_at.cursor = c < 0 ? 0 : c >= n ? (n > 0 ? n - 1 : 0) : c;
	walker_at.follow = true;
	return UI_HANDLED | UI_REDRAW;
}

/* y / n / u on the question under the cursor: answer it, or give it back. */
static int walker_key_answer(ui_view *v, answer a)
{
	walker *w = &v->walk;
	int k = walker_at.cursor;
	if (!w->walked) {
		walker_note(v, "no diagnosis yet: wait for the probes, then answer");
		return UI_HANDLED;
	}
	if (k >= w->diag.n_steps || !w->diag.steps[k].node) {
		walker_note(v, "y / n / u answer a question: move the cursor up to one");
		return UI_HANDLED;
	}
	const rb_node *node = w->diag.steps[k].node;
	if (a == ANSWER_UNKNOWN && !walker_override(w, node)) {
		walker_note(v, "this answer is already the evidence's (u gives back your own)");
		return UI_HANDLED;
	}
	const rb_leaf *before = w->diag.leaf;
	if (!walker_answer(w, &v->ev, node, a, v->now_ms)) {
		walker_note(v, "not taken: too many answers of your own (give some back with u)");
		return UI_HANDLED;
	}
	const rb_leaf *after = w->diag.leaf;
	char note[160];
	snprintf(note, sizeof note, "%s%s%s",
		 a == ANSWER_UNKNOWN ? "given back to the evidence"
		 : a == ANSWER_YES   ? "you answered yes"
				     : "you answered no",
		 before != after ? "; leaf now " : "; same leaf ", after ? after->id : "unknown");
	walker_note(v, note);
	log_msg("walker: %s on %s: leaf %s",
		a == ANSWER_UNKNOWN ? "give back" : predicate_answer_name(a), node->id,
		after ? after->id : "unknown");
	walker_at.follow = true;
	return UI_HANDLED | UI_REDRAW;
}

/* Space: check or uncheck the remediation step under the cursor. */
static int walker_key_check(ui_view *v)
{
	walker *w = &v->walk;
	int j = walker_at.cursor - w->diag.n_steps;
	if (j < 0 || !w->diag.leaf || j >= w->diag.leaf->n_steps) {
		walker_note(v, "space checks a remediation step: move the cursor down to one");
		return UI_HANDLED;
	}
	bool on = walker_toggle_step(w, j, v->now_ms);
	log_msg("walker: step %s of %s %s", w->diag.leaf->steps[j].id, w->diag.leaf->id,
		on ? "checked" : "unchecked");
	walker_at.follow = true;
	return UI_HANDLED | UI_REDRAW;
}

/* Enter: run the team command of the step under the cursor (after its line is confirmed). */
static int walker_key_run(ui_view *v)
{
	walker *w = &v->walk;
	int j = walker_at.cursor - w->diag.n_steps;
	const rb_leaf *l = w->diag.leaf;
	if (j < 0 || !l || j >= l->n_steps || !l->steps[j].command) {
		walker_note(
		    v,
		    "Enter runs a step's team command: move the cursor to a step that names one");
		return UI_HANDLED;
	}
	return teamrun_ask(v, l, &l->steps[j]);
}

/* The walker's keys: cursor, answers, checks, paging; the rest goes to the global table. */
static int walker_key(ui_view *v, int ch)
{
	switch (ch) {
	case KEY_UP:
	case 'k':
		return walker_move(v, -1);
	case KEY_DOWN:
	case 'j':
		return walker_move(v, 1);
	case 'y':
	case 'Y':
		return walker_key_answer(v, ANSWER_YES);
	case 'n':
	case 'N':
		return walker_key_answer(v, ANSWER_NO);
	case 'u':
	case 'U':
		return walker_key_answer(v, ANSWER_UNKNOWN);
	case ' ':
		return walker_key_check(v);
	case '\n':
	case '\r':
	case KEY_ENTER:
		return walker_key_run(v);
	case 'x':
	case 'X':
		return teamrun_show(v);
	case 'v':
	case 'V':
		/* Verify now: the refresh key's work (its 5 s gap and any 429 back-off hold). */
		return ui_keys_global(v, 'r');
	case KEY_PPAGE:
	case KEY_NPAGE:
	case KEY_HOME:
	case 'g':
		walker_at.follow = false;
		return widget_scroll_key(&walker_at.ctx.scroll, ch);
	default:
		return 0;
	}
}

static const char *const walker_hints[] = {"jk move",	  "y/n answer", "u give back",
					   "space check", "Enter run",	NULL};

const screen_class walker_screen = {
    .name = "Decision-tree walker",
    .enter = walker_enter,
    .layout = walker_layout,
    .key = walker_key,
    .hints = walker_hints,
    .fits = walker_fits,
};
