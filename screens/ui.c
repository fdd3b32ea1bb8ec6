/*
 * The dashboard's main loop: terminal set-up and restore, signals through a self-pipe, the
 * key table, windows per screen part, and redraws of only what changed. The only thread
 * that calls curses.
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

/* How long a note in the status line stays. */
#define UI_FLASH_MS 3000
/* `r` is taken at most once in this long; presses in between only say so. */
#define UI_REFRESH_GAP_MS 5000
/* Wake-ups with stdin "readable" but no key before we decide the terminal is gone. */
#define UI_MAX_EMPTY_READS 50
/* Esc alone is told from an escape sequence after this long. */
#define UI_ESCDELAY_MS 25
#define UI_MAX_REGIONS 10

/* A part of the screen with its own window. */
typedef struct {
	const pane_class *cls;
	WINDOW *w;
	int slot;
	bool dirty;
	uint64_t clock_sig; /* cls->clock when last drawn */
} region;

typedef struct {
	ui_view v;
	board *b;
	region reg[UI_MAX_REGIONS];
	int n_reg;
	bool relayout;
	bool clear;
	uint64_t seq[PROBE_COUNT];
	int64_t backoff_until_ms;
	unsigned stale;
	int64_t tick_s;
	bool told; /* the runner has been told whether we are unhealthy (v.unhealthy) */
	const char *leaf_id;
	bool too_small; /* the last layout did not fit (logged once per change) */
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

/* ---- key handlers: each returns UI_* flags for the loop ------------------------------- */

/* Show the help, or leave it. */
static int key_help(ui_view *v, int ch)
{
	(void)ch;
	if (v->screen == SCREEN_HELP) {
		v->screen = v->back;
	} else {
		v->back = v->screen;
		v->screen = SCREEN_HELP;
		v->scroll[SLOT_HELP] = 0;
	}
	return UI_HANDLED | UI_RELAYOUT;
}

/*
 * Ask every probe now; the runner still honours a 429 back-off. Presses within
 * UI_REFRESH_GAP_MS of the last one taken only say how long to wait: a held-down key must
 * not turn into a burst of API calls.
 */
static int key_refresh(ui_view *v, int ch)
{
	(void)ch;
	int64_t since = v->now_ms - v->refresh_ms;
	if (v->refresh_ms > 0 && since >= 0 && since < UI_REFRESH_GAP_MS) {
		long wait = (long)((UI_REFRESH_GAP_MS - since + 999) / 1000);
		snprintf(v->flash, sizeof v->flash, "just refreshed %s wait %ld s",
			 v->utf8 ? "\u2014" : "-", wait);
		v->flash_until_ms = v->now_ms + UI_FLASH_MS;
		log_msg("refresh: ignored, the last one was %lld ms ago", (long long)since);
		return UI_HANDLED;
	}
	v->refresh_ms = v->now_ms;
	if (v->run)
		runner_kick(v->run);
	log_msg("refresh: every probe asked");
	if (v->ev.backoff_until_ms > v->now_ms) {
		char d[32];
		format_duration(d, sizeof d,
				(long)((v->ev.backoff_until_ms - v->now_ms + 999) / 1000));
		snprintf(v->flash, sizeof v->flash,
			 "refresh asked; the API probe still waits %s (429 back-off)", d);
	} else {
		snprintf(v->flash, sizeof v->flash, "refresh asked: every probe asks now");
	}
	v->flash_until_ms = v->now_ms + UI_FLASH_MS;
	return UI_HANDLED;
}

/*
 * R: while the API probe waits out a back-off, open the confirmation for one call anyway
 * (y/n, Esc cancels); without a back-off there is nothing to skip: r refreshes.
 */
static int key_anyway(ui_view *v, int ch)
{
	(void)ch;
	if (v->ev.backoff_until_ms <= v->now_ms) {
		snprintf(v->flash, sizeof v->flash,
			 "R is not needed: the API probe is not held back (r refreshes)");
		v->flash_until_ms = v->now_ms + UI_FLASH_MS;
		return UI_HANDLED;
	}
	v->confirm = true;
	log_msg("probe once anyway: asking for confirmation");
	return UI_HANDLED | UI_RELAYOUT;
}

/* The confirmation's keys: y asks the runner for one API call, n or Esc cancels, others wait. */
static int confirm_key(ui_view *v, int ch)
{
	if (ch == 'y' || ch == 'Y') {
		v->confirm = false;
		char why[128] = "";
		if (v->run && runner_probe_api_anyway(v->run, why, sizeof why)) {
			log_msg("probe once anyway: one API call asked for");
			snprintf(v->flash, sizeof v->flash,
				 "asking the API once (one call; another 429 holds it back again)");
		} else {
			log_msg("probe once anyway: refused: %s", why);
			snprintf(v->flash, sizeof v->flash, "not asked: %s",
				 why[0] ? why : "the probes are not running");
		}
		v->flash_until_ms = v->now_ms + UI_FLASH_MS * 2;
		return UI_HANDLED | UI_RELAYOUT;
	}
	if (ch == 'n' || ch == 'N' || ch == 27 /* Esc */) {
		v->confirm = false;
		log_msg("probe once anyway: cancelled");
		snprintf(v->flash, sizeof v->flash, "cancelled: no call made");
		v->flash_until_ms = v->now_ms + UI_FLASH_MS;
		return UI_HANDLED | UI_RELAYOUT;
	}
	/* q still quits; every other key waits for an answer. */
	if (ch == 'q' || ch == 'Q')
		return UI_HANDLED | UI_QUIT;
	return UI_HANDLED;
}

/* Demo: switch the simulator to the next scenario and ask the probes at once. */
static int key_scenario(ui_view *v, int ch)
{
	(void)ch;
	if (!v->demo)
		return 0;
	char cur[64];
	sim_scenario(v->demo, cur, sizeof cur);
	int n = 0, at = -1;
	for (; sim_scenarios[n]; n++)
		if (strcmp(sim_scenarios[n], cur) == 0)
			at = n;
	if (n == 0)
		return UI_HANDLED;
	const char *next = sim_scenarios[(at + 1) % n];
	if (sim_set_scenario(v->demo, next) != 0)
		return UI_HANDLED;
	common_strlcpy(v->scenario, next, sizeof v->scenario);
	bool held = v->ev.backoff_until_ms > v->now_ms;
	log_msg("demo: scenario %s -> %s%s", cur, next, held ? " (429 back-off cleared)" : "");
	if (v->run) {
		/* A 429 back-off (up to the daily reset) belongs to the old world and would hide
		 * the new scenario: forget it, always (the runner may have set one that this
		 * view's snapshot does not show yet). The threads keep running; nothing blocks. */
		runner_clear_backoff(v->run);
		runner_kick(v->run);
	}
	snprintf(v->flash, sizeof v->flash, "scenario: %s%s", next,
		 held ? " (429 back-off reset for the demo)" : "");
	v->flash_until_ms = v->now_ms + UI_FLASH_MS;
	return UI_HANDLED | UI_REDRAW;
}

/* 1..4: go to a screen. */
static int key_screen(ui_view *v, int ch)
{
	screen_id s = (screen_id)(SCREEN_DASHBOARD + (ch - '1'));
	if (s == v->screen)
		return UI_HANDLED;
	v->screen = s;
	return UI_HANDLED | UI_RELAYOUT;
}

/* Arrows and h/j/k/l: move on the dashboard, scroll the help. */
static int key_move(ui_view *v, int ch)
{
	if (v->screen == SCREEN_HELP)
		return help_pane.key(v, SLOT_HELP, ch);
	if (v->screen == SCREEN_DASHBOARD)
		return dashboard_move(v, ch);
	return 0;
}

/* Page keys: scroll the help or a zoomed pane. */
static int key_page(ui_view *v, int ch)
{
	if (v->screen == SCREEN_HELP)
		return help_pane.key(v, SLOT_HELP, ch);
	if (v->screen == SCREEN_DASHBOARD && v->zoomed) {
		const pane_class *pc = dashboard_panes[v->selected];
		return pc->key ? pc->key(v, v->selected, ch) : 0;
	}
	return 0;
}

/* Enter: zoom the selected pane to the whole body, or back to the grid. */
static int key_zoom(ui_view *v, int ch)
{
	(void)ch;
	v->zoomed = !v->zoomed;
	v->scroll[v->selected] = 0;
	return UI_HANDLED | UI_RELAYOUT;
}

/* Esc / Backspace: leave the zoom, the help, or another screen. */
static int key_back(ui_view *v, int ch)
{
	(void)ch;
	if (v->screen == SCREEN_HELP) {
		v->screen = v->back;
		return UI_HANDLED | UI_RELAYOUT;
	}
	if (v->screen != SCREEN_DASHBOARD) {
		v->screen = SCREEN_DASHBOARD;
		return UI_HANDLED | UI_RELAYOUT;
	}
	if (v->zoomed) {
		v->zoomed = false;
		return UI_HANDLED | UI_RELAYOUT;
	}
	return UI_HANDLED;
}

/* Ctrl-L: repaint everything from scratch. */
static int key_redraw(ui_view *v, int ch)
{
	(void)v;
	(void)ch;
	return UI_HANDLED | UI_CLEAR | UI_RELAYOUT;
}

/* q: leave. */
static int key_quit(ui_view *v, int ch)
{
	(void)v;
	(void)ch;
	return UI_HANDLED | UI_QUIT;
}

#define CTRL_L	12
#define KEY_ESC 27

const ui_binding ui_bindings[] = {
    {"? F1", "? help", "show or leave this help", {'?', KEY_F(1), 0}, SCREEN_ALL, false, key_help},
    {"q", "q quit", "quit (the probes stop at once)", {'q', 'Q', 0}, SCREEN_ALL, false, key_quit},
    {"r",
     "r refresh",
     "ask every probe now, at most every 5 s (a 429 back-off still holds)",
     {'r', 0},
     SCREEN_ALL,
     false,
     key_refresh},
    {"R",
     NULL,
     "probe once anyway: after a daily 429, ask the API once before the reset (asks y/n "
     "first: it spends one call and may get another 429)",
     {'R', 0},
     SCREEN_ALL,
     false,
     key_anyway},
    {"s",
     "s scenario",
     "demo: switch the simulator to the next scenario",
     {'s', 'S', 0},
     SCREEN_ALL,
     true,
     key_scenario},
    {"1", "1-4 screens", "dashboard", {'1', 0}, SCREEN_ALL, false, key_screen},
    {"2", NULL, "decision-tree walker (not built yet)", {'2', 0}, SCREEN_ALL, false, key_screen},
    {"3",
     NULL,
     "comms: Slack update, status-page notice (not built yet)",
     {'3', 0},
     SCREEN_ALL,
     false,
     key_screen},
    {"4", NULL, "incident timeline (not built yet)", {'4', 0}, SCREEN_ALL, false, key_screen},
    {"arrows h j k l",
     "hjkl select",
     "select a pane; in a zoomed pane or the help, scroll",
     {KEY_UP, KEY_DOWN, KEY_LEFT, KEY_RIGHT, 'h', 'j', 'k', 'l', 0},
     SCREEN_BIT(SCREEN_DASHBOARD) | SCREEN_BIT(SCREEN_HELP),
     false,
     key_move},
    {"PgUp PgDn Home",
     NULL,
     "scroll a page (help, zoomed pane)",
     {KEY_PPAGE, KEY_NPAGE, KEY_HOME, ' ', 'g', 0},
     SCREEN_BIT(SCREEN_DASHBOARD) | SCREEN_BIT(SCREEN_HELP),
     false,
     key_page},
    {"Enter",
     "Enter zoom",
     "zoom the selected pane, or back to all four",
     {'\n', '\r', KEY_ENTER, 0},
     SCREEN_BIT(SCREEN_DASHBOARD),
     false,
     key_zoom},
    {"Esc Backspace",
     NULL,
     "back: leave the zoom, the help or a screen",
     {KEY_ESC, KEY_BACKSPACE, 127, 8, 0},
     SCREEN_ALL,
     false,
     key_back},
    {"Ctrl-L", NULL, "redraw the whole screen", {CTRL_L, 0}, SCREEN_ALL, false, key_redraw},
    {NULL, NULL, NULL, {0}, 0, false, NULL},
};

/* Find the binding for ch on the current screen and run it (the confirmation first). */
static int dispatch(ui_view *v, int ch)
{
	if (v->confirm)
		return confirm_key(v, ch);
	for (const ui_binding *k = ui_bindings; k->label; k++) {
		if (!(k->screens & SCREEN_BIT(v->screen)) || (k->demo_only && !v->demo))
			continue;
		for (const int *c = k->codes; *c; c++)
			if (*c == ch)
				return k->fn(v, ch);
	}
	return 0;
}

/* ---- windows -------------------------------------------------------------------------- */

/* Delete every region's window. */
static void regions_free(ui *u)
{
	for (int i = 0; i < u->n_reg; i++)
		if (u->reg[i].w)
			delwin(u->reg[i].w);
	u->n_reg = 0;
}

/* Add a region with a window at r. */
static void region_add(ui *u, const pane_class *cls, const layout_rect *r, int slot)
{
	if (u->n_reg >= UI_MAX_REGIONS || r->h <= 0 || r->w <= 0)
		return;
	WINDOW *w = newwin(r->h, r->w, r->y, r->x);
	if (!w)
		return;
	region *g = &u->reg[u->n_reg++];
	g->cls = cls;
	g->w = w;
	g->slot = slot;
	g->dirty = true;
}

/* Lay the current screen out in windows for the terminal's size. */
static void regions_build(ui *u)
{
	ui_view *v = &u->v;
	regions_free(u);
	layout_compute(COLS, LINES, banner_notice(v->cfg, COLS, v->utf8) != NULL, &v->lay);
	werase(stdscr);
	wnoutrefresh(stdscr);
	/* Every pane must get at least the size its class asks for. */
	for (int i = 0; v->lay.fits && i < LAYOUT_PANES; i++)
		if (v->lay.pane[i].w < dashboard_panes[i]->min_w ||
		    v->lay.pane[i].h < dashboard_panes[i]->min_h)
			v->lay.fits = false;
	if (v->lay.fits == u->too_small) {
		u->too_small = !v->lay.fits;
		if (u->too_small)
			log_msg(
			    "terminal %dx%d is below the %dx%d minimum: showing the size notice",
			    COLS, LINES, LAYOUT_MIN_COLS, LAYOUT_MIN_LINES);
		else
			log_msg("terminal %dx%d: the dashboard fits again", COLS, LINES);
	}
	if (!v->lay.fits) {
		layout_rect all = {.y = 0, .x = 0, .h = LINES, .w = COLS};
		region_add(u, &too_small_pane, &all, -1);
		/* A confirmation nobody can see is not asked: it closes, and nothing is spent. */
		if (v->confirm) {
			v->confirm = false;
			log_msg("probe once anyway: cancelled (terminal too small)");
		}
		return;
	}
	region_add(u, &banner_pane, &v->lay.banner, -1);
	if (v->lay.notice.h > 0)
		region_add(u, &banner_notice_pane, &v->lay.notice, -1);
	switch (v->screen) {
	case SCREEN_DASHBOARD:
		if (v->zoomed) {
			region_add(u, dashboard_panes[v->selected], &v->lay.body, v->selected);
		} else {
			for (int i = 0; i < LAYOUT_PANES; i++)
				region_add(u, dashboard_panes[i], &v->lay.pane[i], i);
		}
		break;
	case SCREEN_HELP:
		region_add(u, &help_pane, &v->lay.body, SLOT_HELP);
		break;
	default:
		region_add(u, &placeholder_pane, &v->lay.body, -1);
		break;
	}
	region_add(u, &statusline_pane, &v->lay.status, -1);
	/* The confirmation over the body, last so it is drawn over whatever changes below. */
	if (v->confirm) {
		layout_rect box;
		confirm_rect(&v->lay.body, &box);
		region_add(u, &confirm_pane, &box, -1);
	}
}

/* Mark the regions watching any probe in mask dirty. */
static void mark(ui *u, unsigned mask)
{
	for (int i = 0; i < u->n_reg; i++)
		if (u->reg[i].cls->watches & mask)
			u->reg[i].dirty = true;
}

/* Mark the status line dirty (notes, scenario). */
static void mark_status(ui *u)
{
	for (int i = 0; i < u->n_reg; i++)
		if (u->reg[i].cls == &statusline_pane)
			u->reg[i].dirty = true;
}

/* Draw the dirty regions and push them to the terminal in one update. */
static void paint(ui *u)
{
	bool any = false;
	for (int i = 0; i < u->n_reg; i++) {
		region *g = &u->reg[i];
		/* An overlay is drawn again whenever anything under it was. */
		if (any && g->cls == &confirm_pane)
			g->dirty = true;
		if (!g->dirty)
			continue;
		g->cls->draw(g->w, &u->v, g->slot);
		wnoutrefresh(g->w);
		g->dirty = false;
		if (g->cls->clock)
			g->clock_sig = g->cls->clock(&u->v);
		any = true;
	}
	if (u->clear) {
		clearok(curscr, TRUE);
		u->clear = false;
		any = true;
	}
	if (any)
		doupdate();
}

/* ---- evidence ------------------------------------------------------------------------- */

/* Take the board's news: snapshot, diagnose, tell the runner, mark what changed. */
static void take_evidence(ui *u)
{
	ui_view *v = &u->v;
	board_drain(u->b);
	board_snapshot(u->b, &v->ev);
	diagnose(&v->ev, v->rb, &v->d);

	const fetch_info *f = &v->ev.api.f;
	if (f->done && f->err == HTTP_OK && f->http_status >= 200 && f->http_status < 300 &&
	    f->at_ms > v->last_2xx_ms)
		v->last_2xx_ms = f->at_ms;

	const char *leaf = v->d.leaf && v->d.leaf->id ? v->d.leaf->id : "unknown";
	/* Until the API call and the status page have both published, the leaf rests on
	 * whichever answer came first: no pace change and no transition on it. */
	bool ready = dashboard_diagnosis_ready(&v->ev);
	if (ready) {
		/* Only a fault our own API call shows is worth more calls. */
		bool fast = dashboard_pace_fast(leaf, &v->ev.api);
		if (!u->told || fast != v->unhealthy) {
			if (v->run)
				runner_set_unhealthy(v->run, fast);
			log_msg("probes: %s pace, the API probe every %lld s",
				fast ? "fast" : "normal",
				(long long)(runner_interval_ms(v->cfg, PROBE_API, fast) / 1000));
			v->unhealthy = fast;
			u->told = true;
		}
		if (strcmp(u->leaf_id, leaf) != 0)
			log_msg("diagnosis: %s -> %s", u->leaf_id, leaf);
	}

	unsigned changed = 0;
	for (int i = 0; i < PROBE_COUNT; i++)
		if (v->ev.seq[i] != u->seq[i]) {
			changed |= 1u << i;
			u->seq[i] = v->ev.seq[i];
		}
	if (v->ev.backoff_until_ms != u->backoff_until_ms) {
		changed |= 1u << PROBE_API;
		u->backoff_until_ms = v->ev.backoff_until_ms;
	}
	if (ready && strcmp(u->leaf_id, leaf) != 0) {
		u->leaf_id = leaf;
		changed |= WATCH_ALL;
	}
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
	for (int i = 0; i < u->n_reg; i++) {
		region *g = &u->reg[i];
		if (g->cls->clock && !g->dirty && g->cls->clock(&u->v) != g->clock_sig)
			g->dirty = true;
	}
	unsigned st = dashboard_stale_mask(&u->v);
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
	int ch;
	*got_any = false;
	while ((ch = getch()) != ERR) {
		*got_any = true;
		if (ch == KEY_RESIZE) {
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
			for (int i = 0; i < u->n_reg; i++)
				u->reg[i].dirty = true;
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
		if (u->relayout) {
			u->relayout = false;
			regions_build(u);
		}
		tick(u);
		paint(u);

		struct pollfd fds[3] = {
		    {.fd = STDIN_FILENO, .events = POLLIN},
		    {.fd = board_wake_fd(u->b), .events = POLLIN},
		    {.fd = u->sig_rd, .events = POLLIN},
		};
		int n = poll(fds, 3, poll_timeout(u));
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
	/* stdscr is never drawn on; refreshing it once keeps getch from painting it later. */
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
	u->v.screen = SCREEN_DASHBOARD;
	u->v.back = SCREEN_DASHBOARD;
	u->leaf_id = "unknown"; /* before any evidence */
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
	u->v.board = u->b;
	u->v.run = u->b ? runner_start(cfg, u->b, false) : NULL;
	SCREEN *scr = u->v.run ? term_open(u) : NULL;
	if (!u->b || !u->v.run) {
		fprintf(stderr, "hsrunbook: could not start the probes\n");
	} else if (!scr) {
		fprintf(stderr, "hsrunbook: cannot drive this terminal (TERM=%s); try TERM=xterm\n",
			getenv("TERM") ? getenv("TERM") : "");
	} else {
		log_msg("dashboard: %dx%d, %s, %s%s%s", COLS, LINES, u->v.utf8 ? "UTF-8" : "ASCII",
			widget_color_on() ? "colour" : "monochrome", demo ? ", demo scenario " : "",
			demo ? u->v.scenario : "");
		take_evidence(u);
		u->relayout = true;
		rc = loop(u);
		log_msg("dashboard: closed");
		regions_free(u);
		/* The terminal first, so quitting looks instant; then the probes. */
		endwin();
		delscreen(scr);
	}
	if (u->v.run)
		runner_stop(u->v.run);
	if (u->b)
		board_free(u->b);
	signals_restore(old);
	sig_fd = -1;
	close(p[0]);
	close(p[1]);
	free(u);
	return rc;
}
