/*
 * A team command run from a walker step: the confirmation of its exact line, the command
 * itself (at most one at a time, src/teamcmd.c runs it), and the view of its output (a screen
 * of its own: Esc goes back to the walker). The loop polls teamrun_fd() and calls
 * teamrun_pump(); quitting ends the command (teamrun_end).
 */
#include "pane.h"

#include "hsr/log.h"
#include "hsr/sanitize.h"
#include "hsr/teamcmd.h"

#include <stdio.h>
#include <string.h>

/* Columns of the command line per row of the confirmation. */
#define TEAMRUN_WRAP 70
/* How long a note the runner writes in the status line stays. */
#define TEAMRUN_FLASH_MS 6000

/* The command asked for, then running or ended (only the UI thread touches it). */
static struct {
	teamcmd *h;	     /* NULL: none run yet */
	const rb_leaf *leaf; /* the step it was run from */
	const rb_step *step;
	char name[64]; /* command.NAME */
	char line[CONFIG_COMMAND_LINE_MAX];
	int64_t started_ms; /* wall clock */
	bool ended_seen;    /* its end was noted */
	bool active;	    /* it needed pumping at the last pump (teamcmd_active) */
	int scroll;	    /* the output view's first line */
	bool follow;	    /* the output view keeps to the end */
	/* Asked, not yet confirmed. */
	const rb_leaf *ask_leaf;
	const rb_step *ask_step;
	char ask_name[64];
	char ask_line[CONFIG_COMMAND_LINE_MAX];
	char ask_shown[CONFIG_COMMAND_LINE_MAX]; /* the line as drawn: no controls */
	char shown[CONFIG_COMMAND_LINE_MAX];
} tr;

/* A note in the status line for a while. */
static void teamrun_note(ui_view *v, const char *text)
{
	ui_flash(v, text, TEAMRUN_FLASH_MS);
}

/* Whether a command is running (its shell, its output or its group still live), as of the last
 * pump. */
bool teamrun_busy(void)
{
	return tr.h && tr.active;
}

/*
 * Split line into rows of at most width characters (UTF-8 sequences kept whole) into
 * rows[0..max); the last row ends with "…" when the line goes on. Returns the rows used.
 */
int teamrun_wrap(const char *line, int width, char rows[][160], int max)
{
	int n = 0;
	const char *p = line;
	while (*p && n < max) {
		size_t b = 0;
		int chars = 0;
		while (p[b] && chars < width && b < 150) {
			b++;
			while ((p[b] & 0xC0) == 0x80)
				b++;
			chars++;
		}
		snprintf(rows[n], 160, "%.*s%s", (int)b, p, p[b] && n == max - 1 ? "\u2026" : "");
		p += b;
		n++;
	}
	return n;
}

/* The confirmation's lines: what runs, the exact line, the time-out. */
static int teamrun_ask_text(const ui_view *v, char lines[][160])
{
	snprintf(lines[0], 160, "Team command %s runs this line:", tr.ask_name);
	int n = 1 + teamrun_wrap(tr.ask_shown, TEAMRUN_WRAP, lines + 1, CONFIRM_LINES - 3);
	snprintf(lines[n++], 160, "(no token in its environment; ended after %ld s)",
		 v->cfg->command_timeout_s);
	snprintf(lines[n++], 160, "y run it   n / Esc do not");
	return n;
}

/* Yes: start it, and show its output. */
static int teamrun_yes(ui_view *v)
{
	teamcmd_env env = {
	    .leaf = tr.ask_leaf ? tr.ask_leaf->id : NULL,
	    .correlation_id = v->ev.api.correlation_id,
	    .incident_dir = v->inc ? incident_feed_dir(v->inc) : NULL,
	};
	char err[200];
	teamcmd *h =
	    teamcmd_start(tr.ask_line, &env, v->cfg->token, v->cfg->command_timeout_s * 1000,
			  common_mono_ms(), err, sizeof err);
	if (!h) {
		teamrun_note(v, err);
		log_msg("team command %s did not start: %s", tr.ask_name, err);
		return UI_HANDLED;
	}
	teamcmd_free(tr.h);
	tr.h = h;
	tr.leaf = tr.ask_leaf;
	tr.step = tr.ask_step;
	common_strlcpy(tr.name, tr.ask_name, sizeof tr.name);
	common_strlcpy(tr.line, tr.ask_line, sizeof tr.line);
	common_strlcpy(tr.shown, tr.ask_shown, sizeof tr.shown);
	tr.started_ms = v->now_ms;
	tr.ended_seen = false;
	tr.active = true;
	tr.scroll = 0;
	tr.follow = true;
	log_msg("team command %s started (pid %d)", tr.name, teamcmd_pid(h));
	v->go = &teamrun_screen;
	return UI_HANDLED | UI_REDRAW;
}

/* No: nothing runs. */
static int teamrun_no(ui_view *v)
{
	teamrun_note(v, "not run: nothing was started");
	return UI_HANDLED;
}

static const confirm_ask teamrun_confirm = {
    .title = " Run a team command? ",
    .text = teamrun_ask_text,
    .yes = teamrun_yes,
    .no = teamrun_no,
    .dropped = NULL,
};

/*
 * Enter on a step that names a team command: ask to run its exact line; or say why not (not
 * configured: which key to set; another one still running).
 */
int teamrun_ask(ui_view *v, const rb_leaf *leaf, const rb_step *step)
{
	char err[300];
	const char *line =
	    teamcmd_lookup(v->cfg, step->command, v->cfg->config_file, err, sizeof err);
	if (!line) {
		teamrun_note(v, err);
		return UI_HANDLED;
	}
	if (teamrun_busy()) {
		char note[160];
		snprintf(note, sizeof note,
			 "%s is still running: wait, or end it with K on its view (x)", tr.name);
		teamrun_note(v, note);
		return UI_HANDLED;
	}
	tr.ask_leaf = leaf;
	tr.ask_step = step;
	common_strlcpy(tr.ask_name, step->command, sizeof tr.ask_name);
	common_strlcpy(tr.ask_line, line, sizeof tr.ask_line);
	sanitize_str(tr.ask_shown, sizeof tr.ask_shown, line);
	return confirm_open(v, &teamrun_confirm);
}

/* x: the output of the last command run, or a note that none has. */
int teamrun_show(ui_view *v)
{
	if (!tr.h) {
		teamrun_note(v, "no team command has run yet: Enter on a step that names one");
		return UI_HANDLED;
	}
	v->go = &teamrun_screen;
	return UI_HANDLED;
}

/*
 * For the walker: a one-line account of the last run of step (of leaf), "ran 14:05:02 UTC:
 * exited 0 after 1.2 s"; false when that step's command has not run.
 */
bool teamrun_step_status(const ui_view *v, const rb_leaf *leaf, const rb_step *step, char *out,
			 size_t outsz)
{
	if (!tr.h || tr.leaf != leaf || tr.step != step)
		return false;
	char when[24], desc[160];
	walker_clock(tr.started_ms, when, sizeof when);
	teamcmd_describe(tr.h, common_mono_ms(), desc, sizeof desc);
	snprintf(out, outsz, "ran %s: %s (x shows the output)", when, desc);
	(void)v;
	return true;
}

/* The descriptor the loop polls while a command's output may come, else -1. */
int teamrun_fd(void)
{
	return tr.h ? teamcmd_fd(tr.h) : -1;
}

/* How long the loop may sleep while a command needs pumping (ms), else -1. */
int teamrun_poll_ms(void)
{
	return teamrun_busy() ? TEAMCMD_PUMP_MS : -1;
}

/*
 * Into the incident's journal: the line, how it ended, how long it took and its output's first
 * lines (the feed sanitizes them). Says so when the record could not be kept.
 */
static void teamrun_record(ui_view *v, const char *desc)
{
	if (!v->inc)
		return;
	char first[1024] = "", buf[256];
	for (size_t i = 0; i < 5 && teamcmd_line(tr.h, i, buf, sizeof buf); i++) {
		size_t n = strlen(first);
		snprintf(first + n, sizeof first - n, "%s%s", i ? "\n" : "", buf);
	}
	teamcmd_status s = teamcmd_get_status(tr.h, common_mono_ms());
	int rc = incident_feed_note_command(v->inc, tr.line, desc, (long)s.duration_ms, first,
					    v->now_ms);
	if (rc < 0)
		log_msg("team command %s: no incident open, not recorded", tr.name);
}

/* Read its output, reap it, enforce the time-out; true when what it shows changed. */
bool teamrun_pump(ui_view *v)
{
	if (!tr.h)
		return false;
	size_t kept = teamcmd_get_status(tr.h, common_mono_ms()).kept;
	teamcmd_state st = teamcmd_pump(tr.h, common_mono_ms());
	/* New output, or the group gone at last (the view stops offering c). */
	bool active = teamcmd_active(tr.h);
	bool changed =
	    teamcmd_get_status(tr.h, common_mono_ms()).kept != kept || active != tr.active;
	tr.active = active;
	if (st != TEAMCMD_RUNNING && !tr.ended_seen) {
		tr.ended_seen = true;
		char desc[160], note[240];
		teamcmd_describe(tr.h, common_mono_ms(), desc, sizeof desc);
		snprintf(note, sizeof note, "team command %s %s", tr.name, desc);
		teamrun_note(v, note);
		log_msg("%s", note);
		teamrun_record(v, desc);
		changed = true;
	}
	return changed;
}

/* Quitting: end the command (its group gets SIGTERM, then SIGKILL) and forget it. */
void teamrun_end(void)
{
	if (tr.h && teamcmd_active(tr.h))
		log_msg("quitting: ending team command %s", tr.name);
	teamcmd_free(tr.h);
	memset(&tr, 0, sizeof tr);
}

/* ---- the output view ------------------------------------------------------------------ */

/* The view's head: the exact line, then where the command stands. */
static int draw_head(WINDOW *w, ui_view *v, int wd)
{
	char title[96];
	snprintf(title, sizeof title, " Team command %s ", tr.name);
	const char *keys =
	    teamrun_busy() ? " jk scroll  K end it  Esc back " : " jk scroll  Esc back ";
	pane_title_row(w, v, wd, title, &keys, 1);
	char line[CONFIG_COMMAND_LINE_MAX + 8];
	snprintf(line, sizeof line, "$ %s", tr.shown);
	widget_put(w, 1, 1, wd - 2, line, widget_attr(ROLE_NORMAL) | A_BOLD, v->utf8);
	char desc[160], when[24], st[240];
	teamcmd_describe(tr.h, common_mono_ms(), desc, sizeof desc);
	walker_clock(tr.started_ms, when, sizeof when);
	teamcmd_status s = teamcmd_get_status(tr.h, common_mono_ms());
	snprintf(st, sizeof st, "started %s: %s", when, desc);
	widget_role role = s.state == TEAMCMD_RUNNING			   ? ROLE_WARN
			   : s.state == TEAMCMD_EXITED && s.exit_code == 0 ? ROLE_OK
									   : ROLE_CRIT;
	widget_put(w, 2, 1, wd - 2, st, widget_attr(role), v->utf8);
	char out[160];
	if (s.dropped)
		snprintf(out, sizeof out, "output: first %zu bytes kept, %zu more not kept", s.kept,
			 s.dropped);
	else
		snprintf(out, sizeof out, "output: %zu line%s", teamcmd_line_count(tr.h),
			 teamcmd_line_count(tr.h) == 1 ? "" : "s");
	widget_put(w, 3, 1, wd - 2, out, widget_attr(ROLE_DIM), v->utf8);
	return 4;
}

/* Draw the view: head, then the output's lines from the scroll (the end while following). */
static void teamrun_draw(WINDOW *w, ui_view *v, pane_ctx *c)
{
	(void)c;
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	if (!tr.h)
		return;
	int y = draw_head(w, v, wd);
	int rows = h - y;
	int n = (int)teamcmd_line_count(tr.h);
	if (tr.follow)
		tr.scroll = n - rows;
	text_first_row(&tr.scroll, n, rows);
	char buf[512];
	for (int r = 0; r < rows && tr.scroll + r < n; r++) {
		teamcmd_line(tr.h, (size_t)(tr.scroll + r), buf, sizeof buf);
		widget_put(w, y + r, 1, wd - 2, buf, widget_attr(ROLE_NORMAL), v->utf8);
	}
	if (n == 0 && rows > 0)
		widget_put(w, y, 1, wd - 2, teamrun_busy() ? "(no output yet)" : "(no output)",
			   widget_attr(ROLE_DIM), v->utf8);
}

/* While it runs the duration counts; the output's size changes what shows. */
static uint64_t teamrun_clock(const ui_view *v)
{
	(void)v;
	if (!tr.h)
		return PANE_SIG_SEED;
	char desc[160];
	teamcmd_describe(tr.h, common_mono_ms(), desc, sizeof desc);
	return pane_sig_str(PANE_SIG_SEED, desc);
}

const pane_class teamrun_pane = {
    .name = "Team command",
    .draw = teamrun_draw,
    .min_w = LAYOUT_PANE_MIN_W,
    .min_h = LAYOUT_PANE_MIN_H,
    .watches = 0,
    .clock = teamrun_clock,
};

/* The output fills the body. */
static void teamrun_layout(ui_view *v, ui_frame *f)
{
	ui_frame_add(f, &teamrun_pane, &v->lay.body, NULL);
}

/* The view's keys: scroll, K ends the command, Esc / Backspace back to the walker. */
static int teamrun_key(ui_view *v, int ch)
{
	switch (ch) {
	case UI_ESC:
	case KEY_BACKSPACE:
	case 127:
	case 8:
		v->go = &walker_screen;
		return UI_HANDLED;
	case 'K': /* a capital: ending a command is never a slip of c (the incident's next state) */
		if (!teamrun_busy()) {
			teamrun_note(v, "the command has ended already");
			return UI_HANDLED;
		}
		teamcmd_cancel(tr.h, common_mono_ms());
		teamrun_note(v, "asked the command to end (SIGTERM; SIGKILL 2 s later)");
		log_msg("team command %s: ended by the operator", tr.name);
		return UI_HANDLED | UI_REDRAW;
	case KEY_UP:
	case 'k':
		tr.follow = false;
		tr.scroll--;
		return UI_HANDLED | UI_REDRAW;
	case KEY_DOWN:
	case 'j':
		tr.scroll++;
		return UI_HANDLED | UI_REDRAW;
	case KEY_END:
	case 'G':
		tr.follow = true;
		return UI_HANDLED | UI_REDRAW;
	case KEY_PPAGE:
	case KEY_NPAGE:
	case KEY_HOME:
	case 'g':
		tr.follow = false;
		return widget_scroll_key(&tr.scroll, ch);
	default:
		return 0;
	}
}

static const char *const teamrun_hints[] = {"jk scroll", "K end it", "Esc back", NULL};

const screen_class teamrun_screen = {
    .name = "Team command",
    .layout = teamrun_layout,
    .key = teamrun_key,
    .hints = teamrun_hints,
    .fits = placeholder_fits, /* the pane's minimum is the layout's: any body will do */
};
