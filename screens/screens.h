/*
 * Inside the screens: the view every screen draws from, the classes (screen, pane, overlay),
 * key flags, the global key table and the curses half of the widgets. Only screens/ (and its
 * unit tests) include this (and curses).
 */
#ifndef HSR_SCREENS_H
#define HSR_SCREENS_H

#include <curses.h>

#include "hsr/board.h"
#include "hsr/config.h"
#include "hsr/diagnose.h"
#include "hsr/incident_feed.h"
#include "hsr/layout.h"
#include "hsr/ratelimit.h"
#include "hsr/runbook.h"
#include "hsr/runner.h"
#include "hsr/sim.h"
#include "hsr/walker.h"
#include "hsr/watch.h"
#include "hsr/format.h"
#include "hsr/widget.h"

/* The engine's leaf levels are the screens' severities, in the same order (the banner casts). */
_Static_assert((int)WATCH_LEVEL_OK == (int)SEV_OK && (int)WATCH_LEVEL_WARN == (int)SEV_WARN &&
		   (int)WATCH_LEVEL_CRIT == (int)SEV_CRIT &&
		   (int)WATCH_LEVEL_UNKNOWN == (int)SEV_UNKNOWN,
	       "watch_level and widget_sev differ");

/* What a key handler asks of the main loop; only the loop acts on these. */
enum {
	UI_HANDLED = 1 << 0,  /* the key meant something */
	UI_REDRAW = 1 << 1,   /* redraw every part of the current screen */
	UI_RELAYOUT = 1 << 2, /* rebuild the windows: screen, zoom or size changed */
	UI_QUIT = 1 << 3,     /* leave */
	UI_CLEAR = 1 << 4,    /* repaint the terminal from scratch (Ctrl-L) */
};

/*
 * Input as read with wget_wch: a function key is its KEY_* code, a character below 256 is
 * itself, and any other character is UI_WCHAR | its code point (so none is taken for a KEY_*
 * code, which start at 0401).
 */
#define UI_WCHAR (1 << 24)
#define UI_ESC	 27

typedef struct screen_class screen_class;
typedef struct overlay_class overlay_class;
typedef struct ui_frame ui_frame;

/* What every screen draws from. Owned and refreshed by ui.c; screens read it. */
typedef struct {
	/* Set once. */
	const config *cfg;
	const runbook *rb;
	sim *demo;   /* the simulator in demo mode, else NULL */
	runner *run; /* the probe threads */
	bool utf8;   /* UTF-8 glyphs; else the ASCII fallbacks */
	/* Copied from the watch's view (watch_view_of) when the board changes. */
	evidence ev;
	diagnosis d;
	bool unhealthy;	     /* the pace the watch last told the runner: fast (the intervals) */
	int64_t last_2xx_ms; /* when the API last answered 2xx in this run; 0 never */
	char scenario[64];   /* demo: the simulator's scenario */
	/*
	 * The walker (screen 2): the tree walked on the evidence with the operator's answers
	 * and checked steps (walk.ops: what the journal reads). ui.c walks it again on every
	 * ready snapshot (walker_update); the walker screen's keys change it.
	 */
	walker walk;
	/* This frame's clock (wall). */
	int64_t now_ms;
	/* Navigation: only the loop sets screen; a key asks for another one with go. */
	const screen_class *screen;
	const screen_class *go;
	const overlay_class *modal; /* open over the screen: it takes every key first; or NULL */
	layout lay;
	/* A short note in the status line ("refresh asked"), until flash_until_ms. */
	char flash[160];
	int64_t flash_until_ms;
	int64_t refresh_ms; /* when `r` was last accepted (wall); 0 never */
	/* The incident record (incident_keys.c, timeline_screen.c): journal, states, follower;
	 * NULL when it could not start. bell_due_ms: the overdue update the bell rang for. */
	incident_feed *inc;
	int64_t bell_due_ms;
} ui_view;

/* Where a pane sits on its screen: owned by the screen's state; NULL for the fixed parts. */
typedef struct {
	bool selected; /* it has the cursor */
	bool zoomed;   /* it fills the body */
	int scroll;    /* first content row shown (draw clamps it) */
} pane_ctx;

/* A pane: a part of a screen that draws itself into its own window. */
typedef struct {
	const char *name; /* its title */
	/* Draw into w (already sized); c may be NULL. May clamp c->scroll. */
	void (*draw)(WINDOW *w, ui_view *v, pane_ctx *c);
	/* A key its screen passed on (zoomed pane, help): UI_* flags, 0 = not handled. */
	int (*key)(ui_view *v, pane_ctx *c, int ch);
	int min_w, min_h;
	unsigned watches; /* bit (1u << probe_id) per probe whose evidence it shows */
	/*
	 * The text it shows that depends on the clock (ages, countdowns, "probing 7 s…"), as a
	 * hash: once a second the loop redraws the part only when this changed. NULL: nothing
	 * on it counts time.
	 */
	uint64_t (*clock)(const ui_view *v);
} pane_class;

/*
 * A screen (dashboard, walker, messages, timeline, help): the loop asks the current one for
 * its windows, keys, hints and size, and never asks which screen it is. Banner, notice and
 * status lines are drawn around every screen by the loop; the screen lays out the body.
 */
struct screen_class {
	const char *name;
	/* Coming to it from screen from (NULL at start); may be NULL. */
	void (*enter)(ui_view *v, const screen_class *from);
	/* Leaving it for another; may be NULL. */
	void (*leave)(ui_view *v);
	/* Its windows for v->lay.body: one ui_frame_add per part it draws. */
	void (*layout)(ui_view *v, ui_frame *f);
	/* A key no overlay took: UI_* flags, 0 = not its key (the global table is asked next). */
	int (*key)(ui_view *v, int ch);
	/* Its key hints for the status line, after the global ones; NULL-terminated, or NULL. */
	const char *const *hints;
	/* Whether its parts fit the laid-out body (v->lay.fits already holds). */
	bool (*fits)(const ui_view *v);
};

/* Add a part to the screen being laid out: cls drawn in r with its place c (or NULL). */
void ui_frame_add(ui_frame *f, const pane_class *cls, const layout_rect *r, pane_ctx *c);

/*
 * An overlay over the body (a confirmation, a text field): while open (v->modal) it takes
 * every key but Ctrl-C, which still ends the program (a signal, handled by the loop).
 */
struct overlay_class {
	const char *name;
	/* Where it goes in v->lay.body. */
	void (*rect)(const ui_view *v, layout_rect *out);
	void (*draw)(WINDOW *w, ui_view *v);
	/* Every key: UI_* flags; it closes itself (v->modal = NULL) and returns UI_RELAYOUT. */
	int (*key)(ui_view *v, int ch);
	/* Where the cursor shows in its window while it edits; false: no cursor. May be NULL. */
	bool (*cursor)(const ui_view *v, int *y, int *x);
	/* Closed unanswered because the terminal became too small to show it. */
	void (*cancel)(ui_view *v);
};

/* The screens keys 1-4 go to, in order (the first is home: Esc goes there). */
extern const screen_class *const ui_screens[4];
extern const screen_class dashboard_screen, walker_screen, comms_screen, timeline_screen,
    help_screen;

#define WATCH_ALL ((1u << PROBE_COUNT) - 1)

/*
 * One binding of the global key table, which the help lists in order. Keys a screen handles
 * itself (arrows, Enter, paging) are listed with fn NULL: documented, not dispatched here.
 */
typedef struct {
	const char *label; /* as the help shows it: "q", "Ctrl-L", "arrows h j k l" */
	const char *hint;  /* for the status line ("q quit"), NULL when not hinted */
	const char *help;  /* one line: what it does */
	int codes[10];	   /* the key codes, 0-terminated */
	bool demo_only;
	int (*fn)(ui_view *v, int ch);
} ui_binding;

/* The key table, in help order, terminated by an entry whose label is NULL. */
extern const ui_binding ui_bindings[];
/* Run the global table's binding for ch: UI_* flags, 0 = no binding. */
int ui_keys_global(ui_view *v, int ch);

/* Dashboard panes in layout order (pane_*.c), then the other parts of the screens. */
extern const pane_class pane_status, pane_api, pane_rate, pane_health;
extern const pane_class *const dashboard_panes[LAYOUT_PANES];
extern const pane_class banner_pane;	    /* banner.c: the diagnosis across the top */
extern const pane_class banner_notice_pane; /* banner.c: the standing notice under it */
extern const pane_class statusline_pane;    /* statusline.c: ages, notes, key hints */
extern const pane_class placeholder_pane;   /* placeholder.c: screens not built yet */
extern const pane_class too_small_pane;	    /* too_small.c: the terminal is too small */
extern const pane_class help_pane;

/* A question with a yes and a no, asked in the confirmation overlay (confirm.c). */
typedef struct {
	const char *title; /* " Probe once anyway? " */
	/* Its lines (up to CONFIRM_LINES) for now, into lines[i]; returns how many. */
	int (*text)(const ui_view *v, char lines[][160]);
	int (*yes)(ui_view *v); /* y: UI_* flags */
	int (*no)(ui_view *v);	/* n or Esc: UI_* flags */
	/* Closed unasked: the terminal became too small to show it. */
	void (*dropped)(ui_view *v);
} confirm_ask;
#define CONFIRM_LINES 7 /* more than 4 widen the box to 76 columns (an exact command line) */

/* Open the confirmation for ask (y, n or Esc answer; q still quits); UI_* flags. */
int confirm_open(ui_view *v, const confirm_ask *ask);
/* A text to ask for in the text-field overlay (prompt.c). */
typedef struct {
	const char *title;   /* " Note " */
	bool multi;	     /* several lines (Ctrl-D or Enter on an empty last line saves) */
	int max;	     /* characters at most (<= TEXTFIELD_MAX) */
	const char *initial; /* the text to start from (UTF-8), or NULL */
	/* Enter (or Ctrl-D): the text, UTF-8; UI_* flags. */
	int (*accept)(ui_view *v, const char *text);
	/* Esc, or the terminal became too small to show it; UI_* flags. May be NULL. */
	int (*cancel)(ui_view *v);
} prompt_ask;

/* Open the text field for ask: it takes every key (but Ctrl-C) until saved or cancelled. */
int prompt_open(ui_view *v, const prompt_ask *ask);
extern const overlay_class prompt_overlay;
/* Tests only: open a test text field ("line" or "multi") whose answer shows as a note. */
void prompt_test_open(ui_view *v, const char *kind);

/*
 * Where the confirmation box for n lines goes: centred in the body, at most 60 columns by 7
 * rows for up to 4 lines, 76 columns by n + 3 rows for more.
 */
void confirm_rect(const layout_rect *body, int n, layout_rect *out);
extern const overlay_class confirm_overlay;

/* A team command run from a walker step, and its output view (teamrun.c). */
extern const screen_class teamrun_screen;
/* Enter on a step naming a team command: confirm its exact line, or say why it cannot run. */
int teamrun_ask(ui_view *v, const rb_leaf *leaf, const rb_step *step);
/* x: the output view of the last command, or a note that none has run. */
int teamrun_show(ui_view *v);
/* "ran 14:05:02 UTC: exited 0 after 1.2 s (o shows the output)" for step's last run. */
bool teamrun_step_status(const ui_view *v, const rb_leaf *leaf, const rb_step *step, char *out,
			 size_t outsz);
/* Whether a command still runs (its shell, its output or its process group). */
bool teamrun_busy(void);
/* Rows of at most width characters of line (the last ends with "…" when it goes on). */
int teamrun_wrap(const char *line, int width, char rows[][160], int max);
/* For the loop: the fd to poll (or -1), the longest sleep while one runs (or -1), pumping. */
int teamrun_fd(void);
int teamrun_poll_ms(void);
bool teamrun_pump(ui_view *v);
/* Quitting: end the command and forget it (may wait TEAMCMD_GRACE_MS for its group). */
void teamrun_end(void);

/* The messages screen's post in flight (comms_screen.c), for the loop; and quitting. */
int comms_poll_ms(void);
bool comms_pump(ui_view *v);
void comms_end(void);

/* The placeholder screens' windows and size (placeholder.c): the pane says v->screen->name. */
void placeholder_layout(ui_view *v, ui_frame *f);
bool placeholder_fits(const ui_view *v);
/* How long the "leaf changed: A → B, 14:03:11 UTC" line stays in the banner. */
#define WALKER_CHANGE_SHOW_MS 120000
/* The walker's "leaf changed" line while it is recent (WALKER_CHANGE_SHOW_MS), else NULL. */
const char *walker_recent_change(const ui_view *v);
/* "waiting for the probes (2/4)": what stands for the leaf until the diagnosis is ready. */
void banner_waiting_text(const ui_view *v, char *out, size_t outsz);
/*
 * The standing notice under the banner, worded for cols columns (the longest wording that
 * fits), or NULL when there is none: while no token is set, the HubSpot API is not asked.
 */
const char *banner_notice(const config *cfg, int cols, bool utf8);
/* A HubSpot message in quotes (curly in UTF-8), cut at a character boundary to fit. */
void pane_api_quote(char *out, size_t outsz, const char *msg, bool utf8);

/* The incident's keys (incident_keys.c), run from the global table: UI_* flags. */
int incident_key_ack(ui_view *v, int ch);
int incident_key_open(ui_view *v, int ch);
int incident_key_note(ui_view *v, int ch);
int incident_key_snooze(ui_view *v, int ch);
int incident_key_confirm(ui_view *v, int ch);
int incident_key_owner(ui_view *v, int ch);
int incident_key_severity(ui_view *v, int ch);
/* Ask for the new time of event n (the timeline's t); UI_* flags. */
int incident_key_time_fix(ui_view *v, uint64_t n);
/*
 * The incident's words for the status line, into out ("" none): "record NOT kept: ...",
 * "following read-only ...", or the update countdown; *alarm when it is a warning.
 * *due_ms: the overdue update's due time (0 when not overdue), for the one bell.
 */
void incident_status_text(const ui_view *v, char *out, size_t outsz, bool *alarm, int64_t *due_ms);
/* A note in the status line for a few seconds. */
void incident_flash(ui_view *v, const char *text);
/* A note in the status line for ms (cut at a character to fit): every screen's notes. */
void ui_flash(ui_view *v, const char *text, int64_t ms);

/* Curses half of the widgets. */
void widget_colors_init(bool color);
bool widget_color_on(void);
attr_t widget_attr(widget_role r);
int widget_put(WINDOW *w, int y, int x, int cols, const char *s, attr_t a, bool utf8);
void widget_fill(WINDOW *w, int y, int x, int n, attr_t a);
/* Scroll with j/k, arrows, PgUp/PgDn/space, Home/g (help, zoomed panes); UI_* flags. */
int widget_scroll_key(int *scroll, int ch);

#endif
