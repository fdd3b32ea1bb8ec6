/*
 * What the dashboard panes share: the marks and glyphs they draw with, the first line most
 * panes start with, the title tag, and the clock hashes.
 */
#include "pane.h"

#include <stdio.h>
#include <string.h>

/* Whether an HTTP answer came whose body was too large to read (its code is still known). */
bool pane_body_too_large(const fetch_info *f)
{
	return evidence_answered(f) && f->err == HTTP_ERR_TOO_LARGE;
}

/* "…" or "...". */
static const char *pane_ellipsis(const ui_view *v)
{
	return v->utf8 ? "\u2026" : "...";
}

/* "—" or "-": the mark for unknown. */
const char *pane_dash(const ui_view *v)
{
	return v->utf8 ? "\u2014" : "-";
}

/* " · " or " - ": between facts on one line. */
const char *pane_dot(const ui_view *v)
{
	return v->utf8 ? " \u00b7 " : " - ";
}

/* "probing 7 s…" while a request is out, else "". */
void pane_probing_text(const ui_view *v, probe_id id, char *out, size_t outsz)
{
	out[0] = '\0';
	if (!v->ev.in_flight[id])
		return;
	long s = 0;
	if (v->ev.started_ms[id] > 0 && v->now_ms > v->ev.started_ms[id])
		s = (long)((v->now_ms - v->ev.started_ms[id]) / 1000);
	/* A quick request is not worth a flicker. */
	if (s >= 1 || !evidence_fetch(&v->ev, id)->done)
		snprintf(out, outsz, "probing %ld s%s", s, pane_ellipsis(v));
}

/*
 * A clock time that says its zone: "05:00 UTC", or "00:00 account time" when the account's
 * utc_offset is set (the daily limit lives on the account's clock).
 */
void pane_clock_hm(const ui_view *v, char *out, size_t outsz, int64_t ms)
{
	format_clock(out, outsz, ms, v->cfg->utc_offset_set, v->cfg->utc_offset_min);
}

/* A glyph and a word in a severity's role, then more text: the first line of most panes. */
void pane_sev_line(text_lines *b, const ui_view *v, widget_sev sev, const char *word,
		   const char *rest)
{
	text_nl(b);
	widget_role r = widget_sev_role(sev);
	text_add(b, r, A_BOLD, "%s %s", widget_sev_glyph(sev, v->utf8), word);
	if (rest && *rest) {
		/* Two blanks after the word when the line has room for them. */
		bool roomy = text_line_cols(b) + 2 + widget_cols(rest, v->utf8) <= b->width;
		text_put(b, ROLE_NORMAL, 0, roomy ? "  " : " ");
		text_put(b, ROLE_NORMAL, 0, rest);
	}
}

/* What a pane says before its probe has ever answered. */
void pane_waiting_lines(text_lines *b, const ui_view *v, probe_id id)
{
	char pr[48];
	pane_probing_text(v, id, pr, sizeof pr);
	pane_sev_line(b, v, SEV_UNKNOWN, "unknown", pr[0] ? pr : "no answer yet");
}

/* The tag in a pane's title row: "stale", "probing 7 s…", or how to leave the zoom. */
static const char *pane_tag(const ui_view *v, const pane_ctx *c, probe_id id, bool stale, char *buf,
			    size_t bufsz)
{
	if (stale)
		return "stale";
	pane_probing_text(v, id, buf, bufsz);
	if (buf[0])
		return buf;
	return c && c->zoomed ? "Esc: back" : "";
}

/* Draw a dashboard pane's lines b with its title tag, dimmed while probe id's evidence is stale. */
void pane_render(WINDOW *w, ui_view *v, pane_ctx *c, const pane_class *pc, text_lines *b,
		 probe_id id)
{
	bool stale = watch_stale(&v->ev, v->cfg, v->unhealthy, id, v->now_ms);
	char tag[48];
	text_render(w, v, c, pc, b, stale, pane_tag(v, c, id, stale, tag, sizeof tag));
}

/* Fold a string (and a separator) into an FNV-1a hash. */
uint64_t pane_sig_str(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (h ^ 0x1f) * 1099511628211ULL;
}

/* Fold a probe's time-dependent marks into h: "probing 7 s…" and whether it is stale. */
uint64_t pane_sig_probe(uint64_t h, const ui_view *v, probe_id id)
{
	char pr[48];
	pane_probing_text(v, id, pr, sizeof pr);
	h = pane_sig_str(h, pr);
	return pane_sig_str(h, watch_stale(&v->ev, v->cfg, v->unhealthy, id, v->now_ms) ? "stale"
											: "");
}

/* A zoomed pane's keys: it scrolls. */
int pane_scroll_key(ui_view *v, pane_ctx *c, int ch)
{
	(void)v;
	return c ? widget_scroll_key(&c->scroll, ch) : 0;
}

/* The title rule with the title on the left and the keys that fit on the right. */
void pane_title_row(WINDOW *w, const ui_view *v, int wd, const char *title, const char *const *keys,
		    int n)
{
	mvwhline(w, 0, 0, ACS_HLINE | widget_attr(ROLE_DIM), wd);
	int tw = widget_put(w, 0, 1, wd - 2, title, widget_attr(ROLE_TITLE), v->utf8);
	int k = widget_pick(keys, n, wd - tw - 4, v->utf8);
	int kw = widget_cols(keys[k], v->utf8);
	if (tw + kw + 3 < wd)
		widget_put(w, 0, wd - kw - 1, kw, keys[k], widget_attr(ROLE_DIM), v->utf8);
}
