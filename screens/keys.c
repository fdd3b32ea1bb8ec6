/*
 * The global key table: keys that work on every screen (help, quit, refresh, screens 1-4,
 * back, redraw), asked after the open overlay and the current screen. The help and the
 * status line's hints are built from it. Also the "probe once anyway" question (R).
 */
#include "screens.h"

#include "hsr/log.h"

#include <stdio.h>
#include <string.h>

/* How long a note in the status line stays. */
#define UI_FLASH_MS 3000
/* `r` is taken at most once in this long; presses in between only say so. */
#define UI_REFRESH_GAP_MS 5000
#define CTRL_L		  12

const screen_class *const ui_screens[4] = {
    &dashboard_screen,
    &walker_screen,
    &comms_screen,
    &timeline_screen,
};

/* Show the help (its own keys leave it). */
static int key_help(ui_view *v, int ch)
{
	(void)ch;
	v->go = &help_screen;
	return UI_HANDLED;
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

/* The confirmation's words: what R skips, what it costs, the keys. */
static int anyway_text(const ui_view *v, char lines[][160])
{
	char until[48] = "";
	if (v->ev.backoff_until_ms > 0)
		format_clock(until, sizeof until, v->ev.backoff_until_ms, v->cfg->utc_offset_set,
			     v->cfg->utc_offset_min);
	snprintf(lines[0], 160, "The API probe is held back%s%s.", until[0] ? " until " : "",
		 until);
	snprintf(lines[1], 160, "Asking now spends one API call and may get another 429.");
	lines[2][0] = '\0';
	snprintf(lines[3], 160, "y: ask once    n or Esc: cancel");
	return 4;
}

/* y: ask the runner for one API call now. */
static int anyway_yes(ui_view *v)
{
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
	return UI_HANDLED;
}

/* n or Esc: nothing is spent. */
static int anyway_no(ui_view *v)
{
	log_msg("probe once anyway: cancelled");
	snprintf(v->flash, sizeof v->flash, "cancelled: no call made");
	v->flash_until_ms = v->now_ms + UI_FLASH_MS;
	return UI_HANDLED;
}

/* The terminal became too small to show the question: it is not asked. */
static void anyway_dropped(ui_view *v)
{
	(void)v;
	log_msg("probe once anyway: cancelled (terminal too small)");
}

static const confirm_ask anyway_ask = {
    .title = " Probe once anyway? ",
    .text = anyway_text,
    .yes = anyway_yes,
    .no = anyway_no,
    .dropped = anyway_dropped,
};

/*
 * R: while the API probe waits out a back-off, ask to confirm one call anyway (y/n, Esc
 * cancels); without a back-off there is nothing to skip: r refreshes.
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
	log_msg("probe once anyway: asking for confirmation");
	return confirm_open(v, &anyway_ask);
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
	const screen_class *s = ui_screens[ch - '1'];
	if (s != v->screen)
		v->go = s;
	return UI_HANDLED;
}

/* Esc / Backspace that the screen did not take (a zoom, the help): back to the first screen. */
static int key_back(ui_view *v, int ch)
{
	(void)ch;
	if (v->screen != ui_screens[0])
		v->go = ui_screens[0];
	return UI_HANDLED;
}

/* A note in the status line for ms, cut at a character boundary. */
void ui_flash(ui_view *v, const char *text, int64_t ms)
{
	format_utf8_copy(v->flash, sizeof v->flash, text);
	v->flash_until_ms = v->now_ms + ms;
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

const ui_binding ui_bindings[] = {
    {"? F1", "? help", "show or leave this help", {'?', KEY_F(1), 0}, false, key_help},
    {"q", "q quit", "quit (the probes stop at once)", {'q', 'Q', 0}, false, key_quit},
    {"r",
     "r refresh",
     "ask every probe now, every 5 s at most; 429 back-offs hold",
     {'r', 0},
     false,
     key_refresh},
    {"R",
     NULL,
     "probe once anyway after a daily 429 (y/n first: one call)",
     {'R', 0},
     false,
     key_anyway},
    {"s",
     "s scenario",
     "demo: switch the simulator to the next scenario",
     {'s', 'S', 0},
     true,
     key_scenario},
    {"1", "1-4 screens", "dashboard", {'1', 0}, false, key_screen},
    {"2",
     NULL,
     "decision-tree walker: the path, your answers, the checklist",
     {'2', 0},
     false,
     key_screen},
    {"3",
     NULL,
     "messages: the Slack update, the status-page notice, the postmortem",
     {'3', 0},
     false,
     key_screen},
    {"4", NULL, "incident timeline: every event recorded, in order", {'4', 0}, false, key_screen},
    {"a",
     NULL, /* hinted on the timeline */
     "acknowledge the alert: owner (asked once), severity P1-P4",
     {'a', 0},
     false,
     incident_key_ack},
    {"i",
     NULL,
     "open an incident by hand (the evidence is silent)",
     {'i', 0},
     false,
     incident_key_open},
    {"n",
     NULL,
     "add a note to the incident (in the walker n answers no)",
     {'n', 0},
     false,
     incident_key_note},
    {"c",
     NULL,
     "next state: root cause, mitigation, recovery, resolved",
     {'c', 0},
     false,
     incident_key_confirm},
    {"z", NULL, "snooze the update reminder 15 min", {'z', 0}, false, incident_key_snooze},
    {"o", NULL, "change the incident's owner", {'o', 0}, false, incident_key_owner},
    {"p", NULL, "change the incident's severity (P1-P4)", {'p', 0}, false, incident_key_severity},
    {"f t",
     NULL,
     "timeline: f probe events too, t correct an event's time",
     {'f', 't', 0},
     false,
     NULL},
    {"arrows h j k l",
     NULL, /* the dashboard's and the help's: hinted by them */
     "select a pane; in a zoomed pane or the help, scroll",
     {KEY_UP, KEY_DOWN, KEY_LEFT, KEY_RIGHT, 'h', 'j', 'k', 'l', 0},
     false,
     NULL},
    {"PgUp PgDn Home",
     NULL,
     "scroll a page (help, zoomed pane)",
     {KEY_PPAGE, KEY_NPAGE, KEY_HOME, ' ', 'g', 0},
     false,
     NULL},
    {"Enter",
     NULL, /* the dashboard's and the walker's */
     "zoom the selected pane; walker: run the step's team command (after y)",
     {'\n', '\r', KEY_ENTER, 0},
     false,
     NULL},
    {"Esc Backspace",
     NULL,
     "back: leave the zoom, the help or a screen",
     {UI_ESC, KEY_BACKSPACE, 127, 8, 0},
     false,
     key_back},
    {"y n u",
     NULL, /* the walker's: hinted by it */
     "walker: answer yes / no under the cursor; u gives it back",
     {'y', 'n', 'u', 0},
     false,
     NULL},
    {"Space", NULL, "walker: check or uncheck the step under the cursor", {' ', 0}, false, NULL},
    {"v", NULL, "walker: verify now (as r)", {'v', 0}, false, NULL},
    {"x", NULL, "walker: the last team command's output (K ends it)", {'x', 0}, false, NULL},
    {"h l Tab",
     NULL, /* the messages screen's: hinted by it */
     "messages: h / l (or arrows) the message, Tab the field e edits",
     {'\t', 0},
     false,
     NULL},
    {"e y S",
     NULL,
     "messages: e edit the field, y copy and save (opens the incident), S send",
     {'e', 0},
     false,
     NULL},
    {"Ctrl-L", NULL, "redraw the whole screen", {CTRL_L, 0}, false, key_redraw},
    {NULL, NULL, NULL, {0}, false, NULL},
};

/* Run the global table's binding for ch: UI_* flags, 0 = no binding. */
int ui_keys_global(ui_view *v, int ch)
{
	for (const ui_binding *k = ui_bindings; k->label; k++) {
		if (!k->fn || (k->demo_only && !v->demo))
			continue;
		for (const int *c = k->codes; *c; c++)
			if (*c == ch)
				return k->fn(v, ch);
	}
	return 0;
}
