/*
 * The walker screen's one pane: the path from the root to the leaf (each question, its
 * answer, where the answer came from, the evidence and its age), the leaf, and the leaf's
 * remediation as a checklist with live checks, team commands, links and the escalation.
 * Built as lines (each belonging to a cursor item, or -1), then drawn scrolled.
 */
#include "walker_screen.h"

#include "hsr/teamcmd.h"

#include "pane.h"

#include "hsr/sanitize.h"

#include <stdio.h>
#include <string.h>

/* The lines being built, in the shared text builder's buffer (only the UI thread draws). */
static text_lines *wl;

/* Start a new line of item (the cursor item it belongs to; -1: none). */
static void wl_nl(int item)
{
	int n = wl->n;
	text_nl(wl);
	if (wl->n > n)
		wl->line[wl->n - 1].item = item;
}

/* Word-wrap text from the current line on; further lines of item start indent columns in. */
static void wl_wrap(int item, widget_role role, attr_t extra, const char *text, int indent)
{
	const char *p = text;
	bool first = true;
	while (*p && wl->n < TEXT_LINES) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		int room = wl->width - text_line_cols(wl);
		if (!first || room < 8 || wl->n == 0) {
			wl_nl(item);
			char pad[64];
			snprintf(pad, sizeof pad, "%*s", indent < 60 ? indent : 60, "");
			text_put(wl, ROLE_NORMAL, 0, pad);
			room = wl->width - indent;
		}
		if (room < 8)
			room = 8;
		size_t cut = text_wrap_cut(p, room, wl->utf8, true);
		char part[TEXT_COLS];
		if (cut >= sizeof part)
			cut = sizeof part - 1;
		memcpy(part, p, cut);
		part[cut] = '\0';
		text_put(wl, role, extra, part);
		p += cut;
		first = false;
	}
}

/* The cursor's mark at the start of an item's first line. */
static void wl_mark(const ui_view *v, int item, bool sel)
{
	wl_nl(item);
	text_put(wl, ROLE_TITLE, A_BOLD, sel ? (v->utf8 ? "\u25b6 " : "> ") : "  ");
}

/* Where a path step's answer came from, in words. */
static void path_source(const ui_view *v, const diag_step *st, char *out, size_t sz)
{
	char when[24];
	walker_clock(st->at_ms, when, sizeof when);
	if (st->from == DIAG_FROM_OPERATOR)
		snprintf(out, sz, "your answer, %s; the evidence says %s (u gives it back)", when,
			 predicate_answer_name(st->evidence_ans));
	else if (st->from == DIAG_WAITING)
		snprintf(out, sz, "waiting for you: no evidence answers this; y or n");
	else
		snprintf(out, sz, "from the evidence");
	(void)v;
}

/* One question of the path: its text, its answer and source, the evidence and its age. */
static void build_step(const ui_view *v, int k, bool sel)
{
	const diag_step *st = &v->walk.diag.steps[k];
	wl_mark(v, k, sel);
	wl_wrap(k, ROLE_NORMAL, sel ? A_REVERSE : 0, st->question, 2);
	wl_nl(k);
	text_put(wl, ROLE_NORMAL, 0, "    ");
	widget_role r = st->from == DIAG_FROM_OPERATOR ? ROLE_WARN
			: st->from == DIAG_WAITING     ? ROLE_UNKNOWN
						       : ROLE_TITLE;
	char a[16];
	snprintf(a, sizeof a, "%s", predicate_answer_name(st->ans));
	for (char *p = a; *p; p++)
		*p = (char)(*p - ('a' <= *p && *p <= 'z' ? 32 : 0));
	text_put(wl, r, A_BOLD, a);
	char src[200];
	path_source(v, st, src, sizeof src);
	text_put(wl, ROLE_DIM, 0, " ");
	wl_wrap(k, st->from == DIAG_FROM_EVIDENCE ? ROLE_DIM : r, 0, src, 6);
	/* The same evidence as the question above (one API answer decides several) once. */
	bool same = diagnose_same_evidence(&v->walk.diag, k);
	if (st->evidence[0] && same) {
		wl_nl(k);
		text_put(wl, ROLE_NORMAL, 0, "    ");
		text_put(wl, ROLE_DIM, 0, "evidence: the same as above");
	} else if (st->evidence[0]) {
		char ev[240], age[32], line[320];
		sanitize_str(ev, sizeof ev, st->evidence);
		format_age(age, sizeof age, st->at_ms, v->now_ms);
		if (st->at_ms > 0 && st->from != DIAG_FROM_OPERATOR)
			snprintf(line, sizeof line, "evidence: %s, %s", ev, age);
		else
			snprintf(line, sizeof line, "evidence: %s", ev);
		wl_nl(k);
		text_put(wl, ROLE_NORMAL, 0, "    ");
		wl_wrap(k, ROLE_NORMAL, 0, line, 6);
	}
}

/* The path from the root to the leaf, then the leaf: title, id, severity, summary, notes. */
static void build_path(const ui_view *v)
{
	const walker *w = &v->walk;
	char head[96];
	int waiting = walker_waiting(w);
	snprintf(head, sizeof head, "Path: %d question%s%s", w->diag.n_steps,
		 w->diag.n_steps == 1 ? "" : "s", waiting ? ", some wait for you" : "");
	wl_nl(-1);
	text_put(wl, ROLE_TITLE, A_BOLD, head);
	for (int k = 0; k < w->diag.n_steps; k++)
		build_step(v, k, walker_at.cursor == k);
	const rb_leaf *l = w->diag.leaf;
	if (!l)
		return;
	widget_sev sev = (widget_sev)watch_leaf_level(l);
	char t[400];
	snprintf(t, sizeof t, "Leaf: %s [%s] %s", l->title ? l->title : "", l->id,
		 l->severity ? l->severity : "");
	wl_nl(-1);
	wl_nl(-1);
	text_put(wl, widget_sev_role(sev), A_BOLD, widget_sev_glyph(sev, v->utf8));
	text_put(wl, ROLE_NORMAL, 0, " ");
	wl_wrap(-1, ROLE_TITLE, A_BOLD, t, 2);
	if (l->summary) {
		wl_nl(-1);
		text_put(wl, ROLE_NORMAL, 0, "  ");
		wl_wrap(-1, ROLE_NORMAL, 0, l->summary, 2);
	}
	for (int i = 0; i < w->diag.n_notes; i++) {
		char note[420];
		sanitize_str(t, sizeof t, w->diag.notes[i]);
		snprintf(note, sizeof note, "note: %s", t);
		wl_nl(-1);
		wl_wrap(-1, ROLE_DIM, 0, note, 2);
	}
}

/* A step's live check: met (since when), not met, or cannot tell yet. */
static void build_verify(const ui_view *v, int item, const walker_verify *vf)
{
	char line[320], why[240], when[24];
	sanitize_str(why, sizeof why, vf->why);
	widget_role r = ROLE_UNKNOWN;
	if (vf->state == ANSWER_YES) {
		walker_clock(vf->met_since_ms, when, sizeof when);
		snprintf(line, sizeof line, "%s met %s", v->utf8 ? "\u2714" : "OK", when);
		r = ROLE_OK;
	} else if (vf->state == ANSWER_NO) {
		snprintf(line, sizeof line, "%s not met yet%s%s", v->utf8 ? "\u2716" : "X",
			 why[0] ? ": " : "", why);
		r = ROLE_WARN;
	} else {
		snprintf(line, sizeof line, "? cannot tell yet%s%s", why[0] ? ": " : "", why);
	}
	wl_nl(item);
	text_put(wl, ROLE_NORMAL, 0, "        ");
	wl_wrap(item, r, 0, line, 10);
}

/*
 * A step's team command: its exact line and "Enter runs it", or the config key to set; then
 * its last run from here.
 */
static void build_command(const ui_view *v, int item, const rb_leaf *l, const rb_step *st)
{
	char line[CONFIG_COMMAND_LINE_MAX + 160], err[300], shown[CONFIG_COMMAND_LINE_MAX];
	const char *cmd = teamcmd_lookup(v->cfg, st->command, v->cfg->config_file, err, sizeof err);
	if (cmd) {
		sanitize_str(shown, sizeof shown, cmd);
		snprintf(line, sizeof line,
			 "team command %s: %s  (Enter runs it, after you confirm)", st->command,
			 shown);
	} else
		snprintf(line, sizeof line, "team command: %s", err);
	wl_nl(item);
	text_put(wl, ROLE_NORMAL, 0, "        ");
	wl_wrap(item, cmd ? ROLE_NORMAL : ROLE_DIM, 0, line, 10);
	if (teamrun_step_status(v, l, st, line, sizeof line)) {
		wl_nl(item);
		text_put(wl, ROLE_NORMAL, 0, "        ");
		wl_wrap(item, ROLE_WARN, 0, line, 10);
	}
}

/* One remediation step: box, text, when checked, live check, team command, link. */
static void build_check(const ui_view *v, int j, int item, bool sel)
{
	const walker *w = &v->walk;
	const rb_leaf *l = w->diag.leaf;
	const rb_step *st = &l->steps[j];
	const walker_check *ck = walker_checked(w, l, st);
	char box[24];
	snprintf(box, sizeof box, "[%s] %d. ", ck ? "x" : " ", j + 1);
	wl_mark(v, item, sel);
	text_put(wl, ck ? ROLE_OK : ROLE_NORMAL, A_BOLD, box);
	wl_wrap(item, ck ? ROLE_DIM : ROLE_NORMAL, sel ? A_REVERSE : 0, st->text ? st->text : "",
		8);
	char line[300], when[24];
	if (ck) {
		walker_clock(ck->at_ms, when, sizeof when);
		snprintf(line, sizeof line, "checked %s", when);
		wl_nl(item);
		text_put(wl, ROLE_NORMAL, 0, "        ");
		text_put(wl, ROLE_OK, 0, line);
	}
	if (st->verify && j < RUNBOOK_MAX_STEPS)
		build_verify(v, item, &w->verify[j]);
	if (st->command)
		build_command(v, item, l, st);
	if (st->link) {
		snprintf(line, sizeof line, "link: %s", st->link);
		wl_nl(item);
		text_put(wl, ROLE_NORMAL, 0, "        ");
		wl_wrap(item, ROLE_DIM, 0, line, 10);
	}
}

/* The leaf's remediation as a checklist, then its escalation. */
static void build_checklist(const ui_view *v)
{
	const walker *w = &v->walk;
	const rb_leaf *l = w->diag.leaf;
	if (!l)
		return;
	int done = 0;
	for (int j = 0; j < l->n_steps; j++)
		done += walker_checked(w, l, &l->steps[j]) != NULL;
	char head[96];
	snprintf(head, sizeof head, "Remediation: %d of %d checked", done, l->n_steps);
	wl_nl(-1);
	wl_nl(-1);
	text_put(wl, ROLE_TITLE, A_BOLD, head);
	for (int j = 0; j < l->n_steps; j++) {
		int item = w->diag.n_steps + j;
		build_check(v, j, item, walker_at.cursor == item);
	}
	if (l->escalation) {
		wl_nl(-1);
		wl_nl(-1);
		text_put(wl, ROLE_TITLE, A_BOLD, "Escalation: ");
		wl_wrap(-1, ROLE_NORMAL, 0, l->escalation, 2);
	}
}

/* Scroll so the cursor's lines show (rows content rows), then keep the scroll in range. */
static void follow_cursor(int rows)
{
	int first = -1, last = -1;
	for (int i = 0; i < wl->n; i++)
		if (wl->line[i].item == walker_at.cursor) {
			if (first < 0)
				first = i;
			last = i;
		}
	int *s = &walker_at.ctx.scroll;
	if (walker_at.follow && first >= 0) {
		/* One row is kept for the "more" mark. */
		int see = rows > 2 ? rows - 1 : rows;
		if (last >= *s + see)
			*s = last - see + 1;
		if (first < *s)
			*s = first;
		walker_at.follow = false;
	}
	text_first_row(s, wl->n, rows);
}

/* The title rule with the walker's keys on its right. */
static void draw_title(WINDOW *w, ui_view *v, int wd)
{
	static const char *const keys[] = {
	    " jk move  y/n answer  u give back  space check  Enter run  v verify ",
	    " y/n answer  u give back  space check  Enter run ",
	    " y/n answer  u give back  space check ",
	    " y/n  u  space ",
	};
	pane_title_row(w, v, wd, " Decision-tree walker ", keys, 4);
}

/* Draw the walker: title, the "leaf changed" line while recent, the lines scrolled. */
static void walker_draw(WINDOW *w, ui_view *v, pane_ctx *c)
{
	(void)c;
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	draw_title(w, v, wd);
	int y = 1;
	const char *chg = walker_recent_change(v);
	if (chg && h > 4)
		widget_put(w, y++, 1, wd - 2, chg, widget_attr(ROLE_WARN) | A_BOLD, v->utf8);
	wl = text_begin(wd - 2, v, NULL);
	if (!v->walk.walked) {
		char t[64];
		banner_waiting_text(v, t, sizeof t);
		widget_put(w, y + 1, 2, wd - 4, t, widget_attr(ROLE_UNKNOWN), v->utf8);
		widget_put(w, y + 2, 2, wd - 4,
			   "The path shows once the status page and our API call have answered.",
			   widget_attr(ROLE_DIM), v->utf8);
		return;
	}
	int n = walker_items(&v->walk);
	if (walker_at.cursor >= n)
		walker_at.cursor = n > 0 ? n - 1 : 0;
	build_path(v);
	build_checklist(v);
	int rows = h - y;
	follow_cursor(rows);
	int first = walker_at.ctx.scroll;
	bool more = wl->n - first > rows;
	for (int r = 0; r < rows && first + r < wl->n; r++) {
		if (more && r == rows - 1) {
			char m[96];
			snprintf(m, sizeof m, "+%d more lines (j/k, PgDn)", wl->n - first - r);
			widget_put(w, y + r, 1, wd - 2, m, widget_attr(ROLE_DIM), v->utf8);
			break;
		}
		text_draw_line(w, y + r, wd - 2, &wl->line[first + r], false, v->utf8);
	}
}

/* What on the walker counts time: the evidence ages, and whether a leaf change is recent. */
static uint64_t walker_clock_sig(const ui_view *v)
{
	uint64_t h = PANE_SIG_SEED;
	char age[32];
	for (int k = 0; k < v->walk.diag.n_steps; k++) {
		format_age(age, sizeof age, v->walk.diag.steps[k].at_ms, v->now_ms);
		h = pane_sig_str(h, age);
	}
	return pane_sig_str(h, walker_recent_change(v) ? "changed" : "");
}

/* The "leaf changed" line while it is recent, with an ASCII arrow when not in UTF-8. */
const char *walker_recent_change(const ui_view *v)
{
	static char buf[sizeof v->walk.change.text + 8];
	const walker_change *c = &v->walk.change;
	if (!c->from || v->now_ms - c->at_ms >= WALKER_CHANGE_SHOW_MS || v->now_ms < c->at_ms)
		return NULL;
	if (v->utf8)
		return c->text;
	const char *arrow = strstr(c->text, "\u2192");
	if (!arrow)
		return c->text;
	snprintf(buf, sizeof buf, "%.*s->%s", (int)(arrow - c->text), c->text,
		 arrow + strlen("\u2192"));
	return buf;
}

const pane_class walker_pane = {
    .name = "Decision-tree walker",
    .draw = walker_draw,
    .min_w = LAYOUT_PANE_MIN_W,
    .min_h = LAYOUT_PANE_MIN_H,
    .watches = WATCH_ALL,
    .clock = walker_clock_sig,
};
