/*
 * What the dashboard panes (pane_*.c) share: the marks and glyphs they draw with, the first
 * line most panes start with, the title tag, and the clock hashes.
 */
#ifndef HSR_SCREENS_PANE_H
#define HSR_SCREENS_PANE_H

#include "text.h"

/* The start of a clock hash. */
#define PANE_SIG_SEED 14695981039346656037ULL

/* Whether an HTTP answer came whose body was too large to read (its code is still known). */
bool pane_body_too_large(const fetch_info *f);
/* "—" or "-": the mark for unknown. */
const char *pane_dash(const ui_view *v);
/* " · " or " - ": between facts on one line. */
const char *pane_dot(const ui_view *v);
/* "probing 7 s…" while a request is out, else "". */
void pane_probing_text(const ui_view *v, probe_id id, char *out, size_t outsz);
/* A clock time that says its zone ("05:00 UTC", "00:00 account time"). */
void pane_clock_hm(const ui_view *v, char *out, size_t outsz, int64_t ms);
/* A glyph and a word in a severity's role, then more text: the first line of most panes. */
void pane_sev_line(text_lines *b, const ui_view *v, widget_sev sev, const char *word,
		   const char *rest);
/* What a pane says before its probe has ever answered. */
void pane_waiting_lines(text_lines *b, const ui_view *v, probe_id id);
/* Draw a dashboard pane's lines b with its title tag, dimmed while probe id's evidence is stale. */
void pane_render(WINDOW *w, ui_view *v, pane_ctx *c, const pane_class *pc, text_lines *b,
		 probe_id id);
/* Fold a string (and a separator) into an FNV-1a hash. */
uint64_t pane_sig_str(uint64_t h, const char *s);
/* Fold a probe's time-dependent marks into h: "probing 7 s…" and whether it is stale. */
uint64_t pane_sig_probe(uint64_t h, const ui_view *v, probe_id id);

/* A zoomed pane's keys: it scrolls. */
int pane_scroll_key(ui_view *v, pane_ctx *c, int ch);

/*
 * A screen's title row: a rule, the title on its left and, on its right, the longest of the n
 * wordings of its keys that fits (none when even the last does not).
 */
void pane_title_row(WINDOW *w, const ui_view *v, int wd, const char *title, const char *const *keys,
		    int n);

#endif
