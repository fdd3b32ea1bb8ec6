/*
 * The messages screen (key 3): the Slack update, the public status-page notice and the
 * postmortem, filled from the incident and the evidence (src/comms.c, src/message.c), the
 * selected one in full as it will go out. ←/→ choose the message, Tab the field e edits; y
 * copies (OSC 52, and tmux's buffer inside tmux) and saves it under the incident's folder;
 * S posts it where the team configured (after a confirmation). What is done is recorded.
 */
#include "pane.h"

#include "hsr/comms.h"
#include "hsr/comms_post.h"
#include "hsr/log.h"
#include "hsr/notice.h"
#include "hsr/sanitize.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How long a note the screen writes in the status line stays. */
#define COMMS_FLASH_MS 8000
/* How often a post in flight is looked at. */
#define COMMS_POST_POLL_MS 100

/* The fields only a person knows, in the order Tab goes. */
enum { FIELD_IMPACT, FIELD_CAUSE, FIELD_ETA, FIELD_THREAD, FIELD_COUNT };
static const char *const field_names[FIELD_COUNT] = {"impact", "cause", "eta", "thread"};
static const char *const field_labels[FIELD_COUNT] = {"impact", "cause", "ETA", "thread link"};

/* The screen's own state (only the UI thread touches it). */
static struct {
	int sel;			/* the message shown (message_kind) */
	int field;			/* the field e edits */
	pane_ctx ctx;			/* its scroll */
	char saved[MESSAGE_COUNT][600]; /* where each was last saved */
	int64_t saved_ms[MESSAGE_COUNT];
	message_templates tpl;
	int tpl_state; /* 0 not loaded, 1 loaded, -1 failed (tpl_err says why) */
	char tpl_err[400];
	/* Fields typed before an incident was open: recorded once one opens. */
	char pending[FIELD_COUNT][INCIDENT_FIELD_MAX];
	comms_post *post; /* a post in flight, or NULL */
	char *ask_text;	  /* the text the open confirmation is about */
	int ask_kind;
} cm;

/* A note in the status line for a while. */
static void comms_note(ui_view *v, const char *text)
{
	ui_flash(v, text, COMMS_FLASH_MS);
}

/* The templates, loaded once (a team's from templates_dir, else the built-in). */
static bool templates(const ui_view *v)
{
	if (cm.tpl_state == 0) {
		cm.tpl_state =
		    message_templates_load_for(&cm.tpl, v->cfg, cm.tpl_err, sizeof cm.tpl_err) == 0
			? 1
			: -1;
		if (cm.tpl_state < 0)
			log_msg("messages: %s", cm.tpl_err);
	}
	return cm.tpl_state > 0;
}

/* The value of field k kept in the incident, or "". */
static const char *inc_field(const incident *inc, int k)
{
	if (!inc)
		return "";
	return k == FIELD_IMPACT  ? inc->impact
	       : k == FIELD_CAUSE ? inc->cause
	       : k == FIELD_ETA	  ? inc->eta
				  : inc->thread;
}

/* The operator's value of field k: the incident's, else one typed before it opened. */
static const char *field_value(const ui_view *v, int k)
{
	const char *s = inc_field(incident_feed_incident(v->inc), k);
	return s[0] ? s : cm.pending[k];
}

/* The leaf of the walk when the operator walked the tree, else the dashboard's diagnosis. */
static const rb_leaf *walked_leaf(const ui_view *v)
{
	return v->walk.walked ? v->walk.diag.leaf : v->d.leaf;
}

/* The facts of now, with the fields typed before the incident opened. */
static comms_facts *facts_now(const ui_view *v)
{
	static comms_facts c;
	comms_facts_fill(&c, incident_feed_incident(v->inc), &v->ev, v->rb, walked_leaf(v),
			 v->cfg->update_cadence_s * 1000, v->now_ms);
	char *dst[FIELD_COUNT] = {c.fields.impact, c.fields.cause, c.fields.eta, c.fields.thread};
	size_t sz[FIELD_COUNT] = {sizeof c.fields.impact, sizeof c.fields.cause,
				  sizeof c.fields.eta, sizeof c.fields.thread};
	for (int k = 0; k < FIELD_COUNT; k++)
		if (!dst[k][0])
			common_strlcpy(dst[k], cm.pending[k], sz[k]);
	return &c;
}

/* Message kind rendered now (malloc'd), or NULL (templates refused: cm.tpl_err; out of memory). */
static char *render(const ui_view *v, int kind)
{
	if (!templates(v))
		return NULL;
	return message_render(&cm.tpl, (message_kind)kind, &facts_now(v)->f, !v->utf8);
}

/* The public check of a notice against the config's token and hosts: how many problems (the
 * first max into p). */
static size_t notice_problems(const ui_view *v, const char *text, notice_problem *p, size_t max)
{
	notice_secrets s;
	notice_secrets_from_config(v->cfg, &s);
	return notice_check(text, &s, p, max);
}

/* ---- drawing -------------------------------------------------------------------------- */

/* The row of the three messages, the selected one reversed. */
static void draw_tabs(WINDOW *w, ui_view *v, int y, int wd)
{
	int x = 1;
	for (int k = 0; k < MESSAGE_COUNT && x < wd - 2; k++) {
		char t[48];
		snprintf(t, sizeof t, " %s ", comms_kind_names[k]);
		attr_t a =
		    k == cm.sel ? widget_attr(ROLE_TITLE) | A_REVERSE : widget_attr(ROLE_DIM);
		x += widget_put(w, y, x, wd - 1 - x, t, a, v->utf8) + 1;
	}
}

/* The fields row: each with ✔ when filled or ? when the message shows a placeholder. */
static void draw_fields(WINDOW *w, ui_view *v, int y, int wd)
{
	int x =
	    1 + widget_put(w, y, 1, wd - 2, "Tab field, e edit:", widget_attr(ROLE_DIM), v->utf8);
	const rb_leaf *leaf = comms_leaf(incident_feed_incident(v->inc), v->rb, walked_leaf(v));
	for (int k = 0; k < FIELD_COUNT && x < wd - 2; k++) {
		char t[48];
		bool set = field_value(v, k)[0] != '\0';
		/* Impact and cause have the runbook's words until someone writes the team's. */
		const char *rb_words = !leaf		   ? NULL
				       : k == FIELD_IMPACT ? leaf->impact
				       : k == FIELD_CAUSE  ? leaf->cause
							   : NULL;
		bool from_rb = !set && rb_words && rb_words[0];
		snprintf(t, sizeof t, " %s %s", field_labels[k],
			 set	   ? (v->utf8 ? "\u2714" : "ok")
			 : from_rb ? "(runbook)"
				   : "?");
		attr_t a = widget_attr(set	 ? ROLE_OK
				       : from_rb ? ROLE_DIM
						 : ROLE_WARN) |
			   (k == cm.field ? A_REVERSE : 0);
		x += widget_put(w, y, x, wd - 1 - x, t, a, v->utf8) + 1;
	}
}

/* The status row: the public check of the notice, or where the message was last saved. */
static void draw_state(WINDOW *w, ui_view *v, int y, int wd, const char *text)
{
	char line[700];
	widget_role role = ROLE_DIM;
	if (cm.sel == MESSAGE_STATUSPAGE && text) {
		notice_problem p[1];
		size_t n = notice_problems(v, text, p, 1);
		if (n == 0) {
			snprintf(line, sizeof line,
				 "public check: passes (no ids, hosts or blame)");
			role = ROLE_OK;
		} else {
			snprintf(line, sizeof line, "public check: %zu problem%s: %s", n,
				 n == 1 ? "" : "s", p[0].message);
			role = ROLE_CRIT;
		}
	} else if (cm.saved[cm.sel][0]) {
		char when[24];
		walker_clock(cm.saved_ms[cm.sel], when, sizeof when);
		snprintf(line, sizeof line, "saved %s: %s", when, cm.saved[cm.sel]);
		role = ROLE_OK;
	} else {
		snprintf(line, sizeof line, "not saved yet: y copies it and saves it%s",
			 cm.sel == MESSAGE_POSTMORTEM ? "" : "; S sends it (when configured)");
	}
	if (cm.post)
		snprintf(line, sizeof line, "sending the %s… (the screen keeps answering)",
			 comms_kind_names[comms_post_kind(cm.post)]);
	widget_put(w, y, 1, wd - 2, line, widget_attr(role), v->utf8);
}

/* The message as it will go out, wrapped and scrolled under the head rows. */
static void draw_message(WINDOW *w, ui_view *v, int y, int h, int wd, const char *text)
{
	text_lines *b = text_begin(wd - 2, v, NULL);
	if (!text) {
		text_wrap(b, ROLE_CRIT, 0,
			  cm.tpl_state < 0 ? cm.tpl_err : "out of memory: the message is not shown",
			  0, 3);
	} else {
		const char *p = text;
		while (*p) {
			size_t len = strcspn(p, "\n");
			char line[2048];
			snprintf(line, sizeof line, "%.*s", (int)len, p);
			text_wrap(b, ROLE_NORMAL, 0, line[0] ? line : " ", 0, 20);
			p += len + (p[len] == '\n');
		}
	}
	int rows = h - y;
	int first = text_first_row(&cm.ctx.scroll, b->n, rows);
	for (int r = 0; r < rows && first + r < b->n; r++) {
		if (r == rows - 1 && b->n - first > rows) {
			char m[80];
			snprintf(m, sizeof m, "+%d more lines (j/k, PgDn)", b->n - first - r);
			widget_put(w, y + r, 1, wd - 2, m, widget_attr(ROLE_DIM), v->utf8);
			break;
		}
		text_draw_line(w, y + r, wd - 2, &b->line[first + r], false, v->utf8);
	}
}

/* Draw the screen: title and keys, tabs, fields, state, then the message. */
static void comms_draw(WINDOW *w, ui_view *v, pane_ctx *c)
{
	(void)c;
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	static const char *const keys[] = {
	    " h/l message  y copy+save  S send  j/k scroll ",
	    " y copy+save  S send ",
	};
	pane_title_row(w, v, wd, " Messages ", keys, 2);
	char *text = render(v, cm.sel);
	draw_tabs(w, v, 1, wd);
	draw_fields(w, v, 2, wd);
	draw_state(w, v, 3, wd, text);
	mvwhline(w, 4, 1, ACS_HLINE | widget_attr(ROLE_DIM), wd - 2);
	draw_message(w, v, 5, h, wd, text);
	free(text);
}

/* What on it counts time: the message's own words (duration, next update, last updated). */
static uint64_t comms_clock(const ui_view *v)
{
	char *text = render(v, cm.sel);
	uint64_t hsig = pane_sig_str(PANE_SIG_SEED, text ? text : "");
	free(text);
	return pane_sig_str(hsig, cm.post ? "posting" : "");
}

const pane_class comms_pane = {
    .name = "Messages",
    .draw = comms_draw,
    .min_w = LAYOUT_PANE_MIN_W,
    .min_h = 8,
    .watches = WATCH_ALL,
    .clock = comms_clock,
};

/* ---- recording ------------------------------------------------------------------------ */

/* Record the fields typed before the incident opened, now that it is open. */
static void record_pending(ui_view *v)
{
	for (int k = 0; k < FIELD_COUNT; k++) {
		if (!cm.pending[k][0])
			continue;
		char sum[600];
		snprintf(sum, sizeof sum, "%s: %s", field_labels[k], cm.pending[k]);
		json_t *d = json_pack("{s:s, s:s, s:s}", "name", field_names[k], "value",
				      cm.pending[k], "summary", sum);
		if (incident_feed_record(v->inc, "message.field", "operator", d, v->now_ms) >= 0)
			cm.pending[k][0] = '\0';
		json_decref(d);
	}
}

/*
 * A message is going out while nobody acknowledged: acknowledge the alert (or open an
 * incident) with the remembered owner and the leaf's severity; o and p change them. False
 * with the reason flashed when it cannot.
 */
static bool ensure_incident(ui_view *v)
{
	const incident *inc = incident_feed_incident(v->inc);
	if (inc && inc->state >= INC_ACK && inc->state != INC_BLIP)
		return true;
	if (!v->inc || incident_feed_following(v->inc)) {
		comms_note(v, "following read-only: the hsrunbook that writes the record sends the "
			      "messages");
		return false;
	}
	char owner[64], why[200];
	if (!incident_feed_owner(v->inc, owner, sizeof owner))
		sanitize_str(owner, sizeof owner, getenv("USER") ? getenv("USER") : "on-call");
	bool ack = inc && inc->state == INC_ALERT;
	json_t *d = json_pack("{s:s, s:s}", "owner", owner[0] ? owner : "on-call", "severity",
			      incident_severity_suggest(walked_leaf(v)));
	if (!ack)
		json_object_set_new(d, "reason", json_string("a message went out"));
	bool ok = incident_feed_move(v->inc, &v->walk, ack ? "ack" : "open", d, v->now_ms, why,
				     sizeof why);
	json_decref(d);
	if (!ok) {
		comms_note(v, why);
		return false;
	}
	log_msg("messages: %s by %s to send a message", ack ? "acknowledged" : "opened", owner);
	return true;
}

/* The message went out (copied, saved or posted): into the journal with its text. */
static void record_sent(ui_view *v, int kind, const char *text, const char *how, const char *path,
			const char *statuspage_id)
{
	char sum[800];
	snprintf(sum, sizeof sum, "%s: %s", comms_kind_names[kind], how);
	json_t *d = json_pack("{s:s, s:s, s:s, s:s}", "kind", comms_file_stems[kind], "text", text,
			      "path", path ? path : "", "summary", sum);
	if (statuspage_id && statuspage_id[0])
		json_object_set_new(d, "statuspage_id", json_string(statuspage_id));
	if (incident_feed_record(v->inc, "message.sent", "operator", d, v->now_ms) < 0)
		log_msg("messages: %s not recorded (no open incident)", comms_kind_names[kind]);
	json_decref(d);
}

/* ---- keys ----------------------------------------------------------------------------- */

/* The typed value of the selected field: recorded (or kept until an incident opens). */
static int field_accept(ui_view *v, const char *text)
{
	char val[INCIDENT_FIELD_MAX];
	sanitize_str(val, sizeof val, text);
	int k = cm.field;
	common_strlcpy(cm.pending[k], val, sizeof cm.pending[k]);
	const incident *inc = incident_feed_incident(v->inc);
	char note[200];
	if (inc && incident_is_open(inc) && inc->state >= INC_ACK) {
		record_pending(v);
		snprintf(note, sizeof note, "%s %s: every later message uses it (recorded)",
			 field_labels[k], val[0] ? "set" : "cleared");
	} else {
		snprintf(note, sizeof note, "%s %s: recorded when the incident opens (y opens it)",
			 field_labels[k], val[0] ? "set" : "cleared");
	}
	comms_note(v, note);
	return UI_HANDLED | UI_REDRAW;
}

/* e: edit the selected field in the text field. */
static int key_edit(ui_view *v)
{
	static char title[64];
	static prompt_ask a;
	snprintf(title, sizeof title, " %s (for every message of this incident) ",
		 field_labels[cm.field]);
	a = (prompt_ask){.title = title,
			 .multi = cm.field == FIELD_IMPACT || cm.field == FIELD_CAUSE,
			 .max = INCIDENT_FIELD_MAX / 2,
			 .initial = field_value(v, cm.field),
			 .accept = field_accept};
	return prompt_open(v, &a);
}

/* Copy (OSC 52 and tmux) and save text of kind; record it. */
static int copy_and_save(ui_view *v, int kind, const char *text)
{
	const char *dir = incident_feed_dir(v->inc);
	if (!dir[0])
		dir = incident_feed_last_dir(v->inc);
	char path[600] = "", err[300] = "", terr[200] = "";
	bool saved = dir[0] && comms_save(dir, (message_kind)kind, text, v->now_ms, path,
					  sizeof path, err, sizeof err) == 0;
	char *osc = comms_osc52(text);
	if (osc) {
		(void)!write(STDOUT_FILENO, osc, strlen(osc));
		free(osc);
	}
	int tm = comms_tmux_buffer(text, terr, sizeof terr);
	char how[700], note[1200];
	snprintf(how, sizeof how, "copied%s%s%s", tm > 0 ? " (and to tmux's buffer)" : "",
		 saved ? " and saved to " : "", saved ? path : "");
	record_sent(v, kind, text, how, saved ? path : NULL, NULL);
	if (saved) {
		common_strlcpy(cm.saved[kind], path, sizeof cm.saved[kind]);
		cm.saved_ms[kind] = v->now_ms;
	}
	const char *rec = incident_feed_error(v->inc)[0] ? " (record NOT kept)" : "";
	if (saved)
		snprintf(note, sizeof note, "%s copied and saved: %s%s%s%s", comms_kind_names[kind],
			 path, rec, tm < 0 ? "; " : "", tm < 0 ? terr : "");
	else
		snprintf(note, sizeof note, "%s copied, NOT saved: %s", comms_kind_names[kind],
			 err[0] ? err : "no incident folder (the record could not start)");
	comms_note(v, note);
	log_msg("messages: %s", note);
	return UI_HANDLED | UI_REDRAW;
}

/* y after the notice's check failed: copy it anyway. */
static int notice_anyway(ui_view *v)
{
	char *t = cm.ask_text;
	cm.ask_text = NULL;
	int f = t ? copy_and_save(v, cm.ask_kind, t) : UI_HANDLED;
	free(t);
	return f;
}

/* n: the notice stays; fix it first. */
static int notice_fix(ui_view *v)
{
	free(cm.ask_text);
	cm.ask_text = NULL;
	comms_note(v, "not copied: fix the notice (e edits impact), then y again");
	return UI_HANDLED;
}

/* The failing check, for the second confirmation. */
static int notice_text(const ui_view *v, char lines[][160])
{
	notice_problem p[2];
	size_t n = cm.ask_text ? notice_problems(v, cm.ask_text, p, 2) : 0;
	snprintf(lines[0], 160, "The public notice fails its check (%zu problem%s):", n,
		 n == 1 ? "" : "s");
	int k = 1;
	for (size_t i = 0; i < n && i < 2; i++)
		snprintf(lines[k++], 160, "%s", p[i].message);
	snprintf(lines[k++], 160, "y copy it anyway   n / Esc fix it first");
	return k;
}

static const confirm_ask notice_confirm = {
    .title = " Public notice: check failed ",
    .text = notice_text,
    .yes = notice_anyway,
    .no = notice_fix,
};

/* y: open the incident if needed, render, check a public notice, then copy and save. */
static int key_copy(ui_view *v)
{
	if (!ensure_incident(v))
		return UI_HANDLED | UI_REDRAW;
	record_pending(v);
	char *text = render(v, cm.sel);
	if (!text) {
		comms_note(v, cm.tpl_state < 0 ? cm.tpl_err : "out of memory: nothing copied");
		return UI_HANDLED;
	}
	if (cm.sel == MESSAGE_STATUSPAGE) {
		if (notice_problems(v, text, NULL, 0) > 0) {
			free(cm.ask_text);
			cm.ask_text = text;
			cm.ask_kind = cm.sel;
			return confirm_open(v, &notice_confirm) | UI_REDRAW;
		}
	}
	int f = copy_and_save(v, cm.sel, text);
	free(text);
	return f;
}

/* The post's confirmation: where it goes and how it begins. */
static int post_text(const ui_view *v, char lines[][160])
{
	comms_post_target t;
	comms_post_target_of(v->cfg, (message_kind)cm.ask_kind, &t);
	snprintf(lines[0], 160, "Send the %s to %.100s:", comms_kind_names[cm.ask_kind], t.target);
	int k = 1;
	const char *p = cm.ask_text ? cm.ask_text : "";
	while (*p && k < CONFIRM_LINES - 1) {
		size_t len = strcspn(p, "\n");
		snprintf(lines[k++], 160, "  %.*s", (int)(len < 150 ? len : 150), p);
		p += len + (p[len] == '\n');
	}
	snprintf(lines[k++], 160, "y send it (it is recorded)   n / Esc do not");
	return k;
}

/* y on the post's confirmation: start it on its thread. */
static int post_yes(ui_view *v)
{
	const incident *inc = incident_feed_incident(v->inc);
	comms_facts *c = facts_now(v);
	char err[300];
	cm.post = comms_post_start(v->cfg, (message_kind)cm.ask_kind, cm.ask_text, c->f.status,
				   c->f.severity, inc ? inc->statuspage_id : "", err, sizeof err);
	free(cm.ask_text);
	cm.ask_text = NULL;
	comms_note(v, cm.post ? "sending… (the screen keeps answering)" : err);
	return UI_HANDLED | UI_REDRAW;
}

/* n: nothing is sent. */
static int post_no(ui_view *v)
{
	free(cm.ask_text);
	cm.ask_text = NULL;
	comms_note(v, "not sent");
	return UI_HANDLED;
}

static const confirm_ask post_confirm = {
    .title = " Send this message? ",
    .text = post_text,
    .yes = post_yes,
    .no = post_no,
};

/* S: send the selected message where the team configured it, after a confirmation. */
static int key_send(ui_view *v)
{
	comms_post_target t;
	comms_post_target_of(v->cfg, (message_kind)cm.sel, &t);
	if (!t.ready) {
		comms_note(v, t.why);
		return UI_HANDLED;
	}
	if (cm.post) {
		comms_note(v, "a message is still being sent: wait for its result");
		return UI_HANDLED;
	}
	if (!ensure_incident(v))
		return UI_HANDLED | UI_REDRAW;
	record_pending(v);
	char *text = render(v, cm.sel);
	if (!text)
		return UI_HANDLED;
	if (cm.sel == MESSAGE_STATUSPAGE) {
		if (notice_problems(v, text, NULL, 0) > 0) {
			free(text);
			comms_note(v, "not sent: the public notice fails its check (the row above "
				      "says where); fix it first");
			return UI_HANDLED | UI_REDRAW;
		}
	}
	free(cm.ask_text);
	cm.ask_text = text;
	cm.ask_kind = cm.sel;
	return confirm_open(v, &post_confirm);
}

/* The loop: how long until a post in flight is looked at again (-1: none). */
int comms_poll_ms(void)
{
	return cm.post ? COMMS_POST_POLL_MS : -1;
}

/* The loop: a post that ended is shown and recorded; true when the screen changed. */
bool comms_pump(ui_view *v)
{
	post_result r;
	if (!cm.post || !comms_post_poll(cm.post, &r))
		return false;
	int kind = comms_post_kind(cm.post);
	char how[400], note[500];
	if (r.ok) {
		snprintf(how, sizeof how, "posted to %s (HTTP %ld%s%s)",
			 kind == MESSAGE_SLACK ? "Slack" : "Statuspage", r.status,
			 r.incident_id[0] ? ", incident " : "", r.incident_id);
		record_sent(v, kind, comms_post_text(cm.post), how, NULL, r.incident_id);
		snprintf(note, sizeof note, "%s %s", comms_kind_names[kind], how);
	} else {
		snprintf(note, sizeof note, "%s NOT sent: %s", comms_kind_names[kind], r.error);
	}
	comms_note(v, note);
	log_msg("messages: %s", note);
	comms_post_free(cm.post);
	cm.post = NULL;
	return true;
}

/* Quitting: a post in flight is abandoned (its thread stops waiting); templates freed. */
void comms_end(void)
{
	comms_post_free(cm.post);
	cm.post = NULL;
	free(cm.ask_text);
	cm.ask_text = NULL;
	if (cm.tpl_state > 0)
		message_templates_free(&cm.tpl);
	cm.tpl_state = 0;
}

/* The screen's keys; the rest goes to the global table. */
static int comms_key(ui_view *v, int ch)
{
	switch (ch) {
	case KEY_LEFT:
	case 'h':
		cm.sel = (cm.sel + MESSAGE_COUNT - 1) % MESSAGE_COUNT;
		cm.ctx.scroll = 0;
		return UI_HANDLED | UI_REDRAW;
	case KEY_RIGHT:
	case 'l':
		cm.sel = (cm.sel + 1) % MESSAGE_COUNT;
		cm.ctx.scroll = 0;
		return UI_HANDLED | UI_REDRAW;
	case '\t':
		cm.field = (cm.field + 1) % FIELD_COUNT;
		return UI_HANDLED | UI_REDRAW;
	case KEY_BTAB:
		cm.field = (cm.field + FIELD_COUNT - 1) % FIELD_COUNT;
		return UI_HANDLED | UI_REDRAW;
	case 'e':
	case 'E':
		return key_edit(v);
	case 'y':
	case 'Y':
		return key_copy(v);
	case 'S':
		return key_send(v);
	case KEY_UP:
	case 'k':
		cm.ctx.scroll--;
		return UI_HANDLED | UI_REDRAW;
	case KEY_DOWN:
	case 'j':
		cm.ctx.scroll++;
		return UI_HANDLED | UI_REDRAW;
	case KEY_PPAGE:
	case KEY_NPAGE:
	case KEY_HOME:
	case 'g':
		return widget_scroll_key(&cm.ctx.scroll, ch);
	default:
		return 0;
	}
}

/* The message fills the body. */
static void comms_layout(ui_view *v, ui_frame *f)
{
	ui_frame_add(f, &comms_pane, &v->lay.body, &cm.ctx);
}

/* Any body the layout gives is enough: the message scrolls. */
static bool comms_fits(const ui_view *v)
{
	return v->lay.body.w >= comms_pane.min_w && v->lay.body.h >= comms_pane.min_h;
}

static const char *const comms_hints[] = {"h/l message", "e edit", "y copy+save", "S send", NULL};

const screen_class comms_screen = {
    .name = "Messages: Slack update, status-page notice, postmortem",
    .layout = comms_layout,
    .key = comms_key,
    .hints = comms_hints,
    .fits = comms_fits,
};
