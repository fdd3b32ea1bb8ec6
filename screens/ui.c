/*
 * The main loop: terminal set-up and restore, signals through a self-pipe, keys in order
 * (the open overlay, the current screen, the global table in keys.c), windows for the parts
 * the current screen lays out, and redraws of only what changed. It asks the current screen
 * and never which one it is. The only thread that calls curses.
 */
#include "hsr/ui.h"

#include "screens.h"

#include "hsr/log.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Wake-ups with stdin "readable" but no key before we decide the terminal is gone. */
#define UI_MAX_EMPTY_READS 50
/* Esc alone is told from an escape sequence after this long. */
#define UI_ESCDELAY_MS 25
#define UI_MAX_REGIONS 10

/* A part of the screen with its own window: a pane, or the open overlay (cls NULL). */
typedef struct {
	const pane_class *cls;
	const overlay_class *ov;
	WINDOW *w;
	pane_ctx *ctx;
	bool dirty;
	uint64_t clock_sig; /* cls->clock when last drawn */
} region;

/* The regions of the current layout (a screen adds its own with ui_frame_add). */
struct ui_frame {
	region reg[UI_MAX_REGIONS];
	int n_reg;
};

typedef struct {
	ui_view v;
	board *b;
	ui_frame fr;
	bool relayout;
	bool clear;
	watch
	    *watch; /* snapshot, diagnosis, transitions, pace: the view's evidence comes from it */
	unsigned stale;
	int64_t tick_s;
	bool too_small; /* the last layout did not fit (logged once per change) */
	bool cursor;	/* the cursor is shown (an overlay edits) */
	int sig_rd;	/* read end of the signal self-pipe */
} ui;

/* The write end of the signal self-pipe; the handler only writes the signal's number. */
static volatile sig_atomic_t sig_fd = -1;

/* Turn a signal into a byte on the self-pipe; the loop does the work. */
static void on_signal(int signo)
{
	int saved = errno;
	unsigned char c = (unsigned char)signo;
	if (sig_fd >= 0) {
		ssize_t n = write(sig_fd, &c, 1);
		(void)n;
	}
	errno = saved;
}

/* Run a key through the overlay, then the current screen, then the global table. */
static int dispatch(ui_view *v, int ch)
{
	if (v->modal)
		return v->modal->key(v, ch);
	int f = v->screen->key ? v->screen->key(v, ch) : 0;
	return f ? f : ui_keys_global(v, ch);
}

/* ---- windows -------------------------------------------------------------------------- */

/* Delete every region's window. */
static void regions_free(ui *u)
{
	for (int i = 0; i < u->fr.n_reg; i++)
		if (u->fr.reg[i].w)
			delwin(u->fr.reg[i].w);
	u->fr.n_reg = 0;
}

/* Add a region with a window at r: pane cls at its place c, or overlay ov. */
static void region_add(ui_frame *f, const pane_class *cls, const overlay_class *ov,
		       const layout_rect *r, pane_ctx *c)
{
	if (f->n_reg >= UI_MAX_REGIONS || r->h <= 0 || r->w <= 0)
		return;
	WINDOW *w = newwin(r->h, r->w, r->y, r->x);
	if (!w)
		return;
	region *g = &f->reg[f->n_reg++];
	g->cls = cls;
	g->ov = ov;
	g->w = w;
	g->ctx = c;
	g->dirty = true;
}

/* Add a part to the screen being laid out: cls drawn in r with its place c (or NULL). */
void ui_frame_add(ui_frame *f, const pane_class *cls, const layout_rect *r, pane_ctx *c)
{
	region_add(f, cls, NULL, r, c);
}

/* Whether the current screen fits the terminal; logs each change between fits and not. */
static bool screen_fits(ui *u)
{
	ui_view *v = &u->v;
	bool fits = v->lay.fits && (!v->screen->fits || v->screen->fits(v));
	if (fits == u->too_small) {
		u->too_small = !fits;
		if (u->too_small)
			log_msg(
			    "terminal %dx%d is below the %dx%d minimum: showing the size notice",
			    COLS, LINES, LAYOUT_MIN_COLS, LAYOUT_MIN_LINES);
		else
			log_msg("terminal %dx%d: the dashboard fits again", COLS, LINES);
	}
	return fits;
}

/* Lay the current screen out in windows for the terminal's size. */
static void regions_build(ui *u)
{
	ui_view *v = &u->v;
	regions_free(u);
	layout_compute(COLS, LINES, banner_notice(v->cfg, COLS, v->utf8) != NULL, &v->lay);
	werase(stdscr);
	wnoutrefresh(stdscr);
	v->lay.fits = screen_fits(u);
	if (!v->lay.fits) {
		layout_rect all = {.y = 0, .x = 0, .h = LINES, .w = COLS};
		ui_frame_add(&u->fr, &too_small_pane, &all, NULL);
		/* An overlay nobody can see is not asked: it closes, and nothing happens. */
		if (v->modal && v->modal->cancel)
			v->modal->cancel(v);
		v->modal = NULL;
		return;
	}
	ui_frame_add(&u->fr, &banner_pane, &v->lay.banner, NULL);
	if (v->lay.notice.h > 0)
		ui_frame_add(&u->fr, &banner_notice_pane, &v->lay.notice, NULL);
	v->screen->layout(v, &u->fr);
	ui_frame_add(&u->fr, &statusline_pane, &v->lay.status, NULL);
	/* The overlay over the body, last so it is drawn over whatever changes below. */
	if (v->modal) {
		layout_rect box;
		v->modal->rect(v, &box);
		region_add(&u->fr, NULL, v->modal, &box, NULL);
	}
}

/* Go to the screen a key asked for: the old one leaves, the new one enters, all relaid. */
static void screen_switch(ui *u)
{
	ui_view *v = &u->v;
	const screen_class *to = v->go, *from = v->screen;
	v->go = NULL;
	if (!to || to == from)
		return;
	if (from->leave)
		from->leave(v);
	v->screen = to;
	if (to->enter)
		to->enter(v, from);
	u->relayout = true;
}

/* Mark the regions watching any probe in mask dirty. */
static void mark(ui *u, unsigned mask)
{
	for (int i = 0; i < u->fr.n_reg; i++)
		if (u->fr.reg[i].cls && u->fr.reg[i].cls->watches & mask)
			u->fr.reg[i].dirty = true;
}

/* Mark the status line dirty (notes, scenario). */
static void mark_status(ui *u)
{
	for (int i = 0; i < u->fr.n_reg; i++)
		if (u->fr.reg[i].cls == &statusline_pane)
			u->fr.reg[i].dirty = true;
}

/* Draw one region. */
static void region_draw(ui *u, region *g)
{
	if (g->ov) {
		g->ov->draw(g->w, &u->v);
	} else {
		g->cls->draw(g->w, &u->v, g->ctx);
		if (g->cls->clock)
			g->clock_sig = g->cls->clock(&u->v);
	}
	wnoutrefresh(g->w);
	g->dirty = false;
}

/* Show the cursor where the open overlay edits, else hide it; true when shown. */
static bool place_cursor(ui *u)
{
	for (int i = 0; i < u->fr.n_reg; i++) {
		region *g = &u->fr.reg[i];
		int y, x;
		if (g->ov && g->ov->cursor && g->ov->cursor(&u->v, &y, &x)) {
			wmove(g->w, y, x);
			wnoutrefresh(g->w);
			return true;
		}
	}
	return false;
}

/* Draw the dirty regions and push them to the terminal in one update. */
static void paint(ui *u)
{
	bool any = false;
	for (int i = 0; i < u->fr.n_reg; i++) {
		region *g = &u->fr.reg[i];
		/* An overlay is drawn again whenever anything under it was. */
		if (any && g->ov)
			g->dirty = true;
		if (!g->dirty)
			continue;
		region_draw(u, g);
		any = true;
	}
	if (u->clear) {
		clearok(curscr, TRUE);
		u->clear = false;
		any = true;
	}
	bool cursor = place_cursor(u);
	if (cursor != u->cursor) {
		curs_set(cursor ? 1 : 0);
		u->cursor = cursor;
		any = true;
	}
	if (any || cursor)
		doupdate();
}

/* ---- evidence ------------------------------------------------------------------------- */

/* Take the watch's news (it snapshots, diagnoses and tells the runner); mark what changed. */
static void take_evidence(ui *u)
{
	ui_view *v = &u->v;
	unsigned changed = watch_update(u->watch, common_now_ms());
	const watch_view *wv = watch_view_of(u->watch);
	v->ev = wv->ev;
	v->d = wv->d;
	v->unhealthy = wv->fast;
	v->last_2xx_ms = wv->last_2xx_ms;
	/* The walker follows the evidence once it can be believed (no "leaf changed" for the
	 * first ready diagnosis); a change shows on every screen, so all of it is redrawn. */
	if (wv->ready && walker_follow(&v->walk, &v->ev, &wv->d, wv->at_ms))
		changed |= WATCH_ALL;
	if (changed & WATCH_NEW_LEAF)
		changed |= WATCH_ALL;
	mark(u, changed);
	/* Probes starting and ending requests show in the status line. */
	mark_status(u);
}

/* Whether anything on screen counts time (ages, countdowns, "probing 7 s…"). */
static bool counts_time(const ui *u)
{
	if (!u->v.lay.fits)
		return false;
	if (u->v.flash_until_ms > u->v.now_ms)
		return true;
	for (int i = 0; i < PROBE_COUNT; i++)
		if (u->v.ev.seq[i] || u->v.ev.in_flight[i])
			return true;
	return u->v.ev.backoff_until_ms > 0;
}

/*
 * A second passed: redraw the parts whose time-dependent text (ages in 10-second steps,
 * countdowns, "probing 7 s…") would read differently now, and panes whose staleness flipped.
 */
static void tick(ui *u)
{
	int64_t s = u->v.now_ms / 1000;
	if (s == u->tick_s)
		return;
	u->tick_s = s;
	for (int i = 0; i < u->fr.n_reg; i++) {
		region *g = &u->fr.reg[i];
		if (g->cls && g->cls->clock && !g->dirty && g->cls->clock(&u->v) != g->clock_sig)
			g->dirty = true;
	}
	unsigned st = watch_stale_mask(&u->v.ev, u->v.cfg, u->v.unhealthy, u->v.now_ms);
	if (st != u->stale) {
		mark(u, st ^ u->stale);
		u->stale = st;
	}
	if (u->v.flash[0] && u->v.flash_until_ms <= u->v.now_ms) {
		u->v.flash[0] = '\0';
		mark_status(u);
	}
}

/* Milliseconds poll may sleep: to the next second while time is shown, else for ever. */
static int poll_timeout(const ui *u)
{
	if (!counts_time(u))
		return -1;
	int64_t now = common_now_ms();
	int t = (int)(1000 - now % 1000) + 2;
	return t < 1 ? 1 : t;
}

/*
 * The loop's poll time-out: poll_timeout, or sooner when the incident follower looks again or
 * a running team command needs pumping.
 */
static int loop_timeout(const ui *u)
{
	int t = poll_timeout(u), f = incident_feed_poll_ms(u->v.inc, common_now_ms());
	int c = teamrun_poll_ms(), m = comms_poll_ms();
	if (f >= 0 && (t < 0 || f < t))
		t = f;
	if (m >= 0 && (t < 0 || m < t))
		t = m;
	return c >= 0 && (t < 0 || c < t) ? c : t;
}

/* ---- terminal ------------------------------------------------------------------------- */

/* Follow the terminal's new size. */
static void resize(ui *u)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	u->relayout = true;
}

/* Read every key waiting; returns false when the loop should end. */
static bool read_keys(ui *u, bool *got_any)
{
	wint_t wc;
	int got;
	*got_any = false;
	while ((got = wget_wch(stdscr, &wc)) != ERR) {
		*got_any = true;
		/* Function keys as their KEY_* codes, characters as themselves (see UI_WCHAR). */
		int ch = got == KEY_CODE_YES || wc < 256 ? (int)wc : UI_WCHAR | (int)wc;
		if (got == KEY_CODE_YES && ch == KEY_RESIZE) {
			u->relayout = true;
			continue;
		}
		u->v.now_ms = common_now_ms();
		int f = dispatch(&u->v, ch);
		if (f & UI_QUIT) {
			log_msg("quit key: leaving");
			return false;
		}
		if (f & UI_CLEAR)
			u->clear = true;
		if (f & UI_RELAYOUT)
			u->relayout = true;
		if (f & UI_REDRAW)
			for (int i = 0; i < u->fr.n_reg; i++)
				u->fr.reg[i].dirty = true;
		if (u->v.go)
			screen_switch(u);
		if (u->v.flash[0])
			mark_status(u);
	}
	return true;
}

/* Install handlers for the signals that end the loop or resize it; keep the old ones. */
static void signals_install(struct sigaction old[5])
{
	static const int sigs[5] = {SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGQUIT};
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (int i = 0; i < 5; i++)
		sigaction(sigs[i], &sa, &old[i]);
}

/* Put the old signal handlers back. */
static void signals_restore(const struct sigaction old[5])
{
	static const int sigs[5] = {SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGQUIT};
	for (int i = 0; i < 5; i++)
		sigaction(sigs[i], &old[i], NULL);
}

/* Whether the locale's character set is UTF-8. */
static bool locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* The loop: wait on the terminal, the board and the signals; draw what changed. */
static int loop(ui *u)
{
	int empty_reads = 0;
	for (;;) {
		u->v.now_ms = common_now_ms();
		/* The incident records what changed (alert, probes, the walker's decisions). */
		if (incident_feed_frame(u->v.inc, u->watch, &u->v.walk, u->v.now_ms)) {
			mark(u, WATCH_ALL);
			mark_status(u);
		}
		if (u->relayout) {
			u->relayout = false;
			regions_build(u);
		}
		tick(u);
		paint(u);

		/* A team command's output (fd -1 while none: poll skips it). */
		struct pollfd fds[4] = {
		    {.fd = STDIN_FILENO, .events = POLLIN},
		    {.fd = board_wake_fd(u->b), .events = POLLIN},
		    {.fd = u->sig_rd, .events = POLLIN},
		    {.fd = teamrun_fd(), .events = POLLIN},
		};
		int n = poll(fds, 4, loop_timeout(u));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (fds[2].revents & POLLIN) {
			unsigned char sigs[16];
			ssize_t got = read(u->sig_rd, sigs, sizeof sigs);
			for (ssize_t i = 0; i < got; i++) {
				if (sigs[i] == SIGWINCH) {
					resize(u);
				} else {
					/* The shell's convention: 128 + the signal (Ctrl-C 130,
					 * SIGTERM 143, SIGHUP 129); ui_run restores the terminal
					 * before it returns this. */
					log_msg("signal %d: leaving", sigs[i]);
					return 128 + sigs[i];
				}
			}
		}
		if (fds[1].revents & POLLIN)
			take_evidence(u);
		if (comms_poll_ms() >= 0) {
			u->v.now_ms = common_now_ms();
			if (comms_pump(&u->v)) {
				for (int i = 0; i < u->fr.n_reg; i++)
					u->fr.reg[i].dirty = true;
				mark_status(u);
			}
		}
		if (teamrun_poll_ms() >= 0 || fds[3].revents) {
			u->v.now_ms = common_now_ms();
			if (teamrun_pump(&u->v)) {
				for (int i = 0; i < u->fr.n_reg; i++)
					u->fr.reg[i].dirty = true;
				mark_status(u);
			}
		}
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			log_msg("the terminal is gone: leaving");
			return 0;
		}
		if (fds[0].revents & POLLIN) {
			bool got_any;
			if (!read_keys(u, &got_any))
				return 0;
			/* Readable with nothing to read, again and again: end of input. */
			empty_reads = got_any ? 0 : empty_reads + 1;
			if (empty_reads > UI_MAX_EMPTY_READS) {
				log_msg("the terminal gives no input any more: leaving");
				return 0;
			}
		}
	}
}

/* Set curses up: colours, glyphs, input without echo or line buffering. */
static SCREEN *term_open(ui *u)
{
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr)
		return NULL;
	set_term(scr);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(UI_ESCDELAY_MS);
	curs_set(0);
	/* main.c folds NO_COLOR into cfg->no_color, with --no-color. */
	widget_colors_init(!u->v.cfg->no_color);
	/* stdscr is never drawn on; refreshing it once keeps wget_wch from painting it later. */
	wnoutrefresh(stdscr);
	return scr;
}

/* Run the dashboard until the operator quits. */
int ui_run(const config *cfg, const runbook *rb, sim *demo)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "hsrunbook: the dashboard needs a terminal; for scripts use "
				"`hsrunbook triage --json`\n");
		return 2;
	}
	ui *u = calloc(1, sizeof *u);
	if (!u) {
		fprintf(stderr, "hsrunbook: out of memory\n");
		return 1;
	}
	u->v.cfg = cfg;
	u->v.rb = rb;
	u->v.demo = demo;
	walker_init(&u->v.walk, rb);
	u->v.screen = ui_screens[0];
	if (u->v.screen->enter)
		u->v.screen->enter(&u->v, NULL);
	if (demo)
		sim_scenario(demo, u->v.scenario, sizeof u->v.scenario);

	/* main() set LC_CTYPE from the environment before any thread started; LC_NUMERIC stays
	 * "C" so numbers read "2.5 s" whatever the locale. */
	u->v.utf8 = locale_utf8();

	int p[2];
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0) {
		fprintf(stderr, "hsrunbook: cannot make a pipe: %s\n", strerror(errno));
		free(u);
		return 1;
	}
	u->sig_rd = p[0];
	sig_fd = p[1];
	struct sigaction old[5];
	signals_install(old);

	int rc = 1;
	u->b = board_new();
	u->v.run = u->b ? runner_start(cfg, u->b, false) : NULL;
	u->watch = u->v.run ? watch_new(cfg, rb, u->b, u->v.run) : NULL;
	u->v.inc = u->watch ? incident_feed_open(cfg, rb, common_now_ms()) : NULL;
	SCREEN *scr = u->watch ? term_open(u) : NULL;
	if (!u->b || !u->v.run || !u->watch) {
		fprintf(stderr, "hsrunbook: could not start the probes\n");
	} else if (!scr) {
		fprintf(stderr, "hsrunbook: cannot drive this terminal (TERM=%s); try TERM=xterm\n",
			getenv("TERM") ? getenv("TERM") : "");
	} else {
		log_msg("dashboard: %dx%d, %s, %s%s%s", COLS, LINES, u->v.utf8 ? "UTF-8" : "ASCII",
			widget_color_on() ? "colour" : "monochrome", demo ? ", demo scenario " : "",
			demo ? u->v.scenario : "");
		take_evidence(u);
		/* The tmux tests' way to reach the text field (nothing else opens one yet). */
		prompt_test_open(&u->v, getenv("HSR_TEST_TEXTFIELD"));
		u->relayout = true;
		rc = loop(u);
		log_msg("dashboard: closed");
		regions_free(u);
		/* The terminal first, so quitting looks instant; then the probes. */
		endwin();
		delscreen(scr);
	}
	/* A team command still running ends with us (its process group: SIGTERM, SIGKILL). */
	teamrun_end();
	comms_end();
	if (u->v.run)
		runner_stop(u->v.run);
	incident_feed_free(u->v.inc);
	watch_free(u->watch);
	if (u->b)
		board_free(u->b);
	signals_restore(old);
	sig_fd = -1;
	close(p[0]);
	close(p[1]);
	free(u);
	return rc;
}
