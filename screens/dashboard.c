/*
 * The dashboard: four evidence panes (HubSpot status, our API call, rate limits, our app's
 * health), the diagnosis banner, the two status lines, and the placeholder and too-small
 * screens. Each pane first says what it has to say as lines, then one renderer draws them.
 */
#include "screens.h"

#include "hsr/probe_health.h"
#include "hsr/ratelimit.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- lines: what a pane says, built first, then drawn (and scrolled) ------------------- */

#define LB_LINES 80
#define LB_SEGS	 6
#define LB_TEXT	 200

typedef struct {
	widget_role role;
	attr_t extra; /* added to the role's attributes */
	attr_t strip; /* taken from them */
	char text[LB_TEXT];
} lb_seg;

typedef struct {
	int n;
	lb_seg seg[LB_SEGS];
} lb_line;

typedef struct {
	int n;
	int width; /* content columns */
	bool utf8;
	bool zoomed;
	lb_line line[LB_LINES];
} lines;

/* One buffer, reused by every pane: only the UI thread draws. */
static lines lb_buf;

/* Start an empty list of lines for a pane width columns wide. */
static lines *lb_begin(int width, const ui_view *v)
{
	lines *b = &lb_buf;
	b->n = 0;
	b->width = width;
	b->utf8 = v->utf8;
	b->zoomed = v->zoomed;
	return b;
}

/* Start a new line. */
static void lb_nl(lines *b)
{
	if (b->n < LB_LINES) {
		b->line[b->n].n = 0;
		b->n++;
	}
}

/* Append a formatted segment drawn in role (plus extra attributes) to the current line. */
__attribute__((format(printf, 4, 5))) static void lb_add(lines *b, widget_role role, attr_t extra,
							 const char *fmt, ...)
{
	if (b->n == 0)
		lb_nl(b);
	lb_line *l = &b->line[b->n - 1];
	if (l->n >= LB_SEGS)
		return;
	lb_seg *s = &l->seg[l->n++];
	s->role = role;
	s->extra = extra;
	s->strip = 0;
	char tmp[LB_TEXT * 2];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	/* A cut never splits a character (the screen would show '?'). */
	format_utf8_copy(s->text, sizeof s->text, tmp);
}

/* Append text as it is (remote text never goes through a format). */
static void lb_text(lines *b, widget_role role, attr_t extra, const char *text)
{
	if (b->n == 0)
		lb_nl(b);
	lb_line *l = &b->line[b->n - 1];
	if (l->n >= LB_SEGS)
		return;
	lb_seg *s = &l->seg[l->n++];
	s->role = role;
	s->extra = extra;
	s->strip = 0;
	format_utf8_copy(s->text, sizeof s->text, text);
}

/* Byte length of the longest prefix of s that fits cols columns, preferring a break at a space. */
static size_t wrap_cut(const char *s, int cols, bool utf8)
{
	size_t len = strlen(s);
	if (widget_cols(s, utf8) <= cols)
		return len;
	size_t best = 0, last_space = 0;
	int used = 0;
	for (size_t i = 0; i < len;) {
		size_t n = 1;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0xc0)
			while (i + n < len && ((unsigned char)s[i + n] & 0xc0) == 0x80)
				n++;
		char one[8] = {0};
		memcpy(one, s + i, n < sizeof one ? n : sizeof one - 1);
		int w = widget_cols(one, utf8);
		if (used + w > cols)
			break;
		if (s[i] == ' ')
			last_space = i;
		used += w;
		i += n;
		best = i;
	}
	if (last_space > 0 && last_space > best / 2)
		return last_space;
	return best > 0 ? best : 1;
}

/* Columns of the first word of s (up to a blank). */
static int first_word_cols(const char *s, bool utf8)
{
	char w[LB_TEXT];
	size_t n = strcspn(s, " ");
	if (n >= sizeof w)
		n = sizeof w - 1;
	memcpy(w, s, n);
	w[n] = '\0';
	return widget_cols(w, utf8);
}

/* Columns the current line already takes. */
static int lb_line_cols(const lines *b)
{
	if (b->n == 0)
		return 0;
	const lb_line *l = &b->line[b->n - 1];
	int c = 0;
	for (int i = 0; i < l->n; i++)
		c += widget_cols(l->seg[i].text, b->utf8);
	return c;
}

/*
 * Word-wrap text over at most max_lines lines; the first goes on the current line when
 * here is true, the others start new lines indented by indent spaces.
 */
static void lb_wrap_at(lines *b, widget_role role, attr_t extra, const char *text, int indent,
		       int max_lines, bool here)
{
	const char *p = text;
	for (int k = 0; *p && k < max_lines; k++) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		int cols;
		/* On the current line only when the whole text fits there, or it would not fit
		 * a line of its own either and its first word fits: a text never starts
		 * squeezed against the right edge. */
		int room = b->width - lb_line_cols(b);
		bool stay = k == 0 && here && b->n > 0 &&
			    (widget_cols(p, b->utf8) <= room ||
			     (widget_cols(p, b->utf8) > b->width - indent &&
			      first_word_cols(p, b->utf8) <= room));
		if (stay) {
			cols = room;
		} else {
			lb_nl(b);
			if (indent > 0)
				lb_add(b, ROLE_NORMAL, 0, "%*s", indent, "");
			cols = b->width - indent;
		}
		if (cols < 8)
			cols = 8;
		if (k == max_lines - 1) {
			lb_text(b, role, extra, p); /* the renderer cuts it with an ellipsis */
			return;
		}
		size_t n = wrap_cut(p, cols, b->utf8);
		char part[LB_TEXT];
		if (n >= sizeof part) {
			/* Back to the start of the character that would not fit whole. */
			n = sizeof part - 1;
			while (n > 1 && ((unsigned char)p[n] & 0xc0) == 0x80)
				n--;
		}
		memcpy(part, p, n);
		part[n] = '\0';
		lb_text(b, role, extra, part);
		p += n;
	}
}

/* Word-wrap text over at most max_lines new lines, each starting with indent spaces. */
static void lb_wrap(lines *b, widget_role role, attr_t extra, const char *text, int indent,
		    int max_lines)
{
	lb_wrap_at(b, role, extra, text, indent, max_lines, false);
}

/* Content columns of a pane window: one margin column, and a separator in the left column. */
static int pane_content_width(WINDOW *w)
{
	int h, wd, by, bx;
	getmaxyx(w, h, wd);
	getbegyx(w, by, bx);
	(void)h;
	(void)by;
	bool sep = bx == 0 && wd < COLS;
	return wd - 1 - (sep ? 2 : 0);
}

/* Draw the pane's title row, separator and lines (from its scroll offset). */
static void lb_render(WINDOW *w, ui_view *v, int slot, const pane_class *pc, lines *b, bool stale,
		      const char *tag)
{
	int h, wd, by, bx;
	getmaxyx(w, h, wd);
	getbegyx(w, by, bx);
	bool sep = bx == 0 && wd < COLS;
	int cw = wd - 1 - (sep ? 2 : 0);
	werase(w);

	/* Title row: a rule with the name, and a tag on the right. */
	mvwhline(w, 0, 0, ACS_HLINE | widget_attr(ROLE_DIM), wd);
	bool selected = v->screen == SCREEN_DASHBOARD && v->selected == slot;
	char title[96];
	snprintf(title, sizeof title, " %s ", pc->name);
	int tw = widget_put(w, 0, 1, cw - 1, title,
			    widget_attr(selected ? ROLE_SELECTED : ROLE_TITLE), v->utf8);
	if (tag && *tag) {
		char t[64];
		snprintf(t, sizeof t, " %s ", tag);
		int tc = widget_cols(t, v->utf8);
		if (1 + tw + tc < cw)
			widget_put(w, 0, cw - tc, tc, t, widget_attr(stale ? ROLE_STALE : ROLE_DIM),
				   v->utf8);
	}
	if (sep) {
		wattrset(w, widget_attr(ROLE_DIM));
		mvwaddch(w, 0, wd - 1, by == v->lay.body.y ? ACS_TTEE : ACS_PLUS);
		mvwvline(w, 1, wd - 1, ACS_VLINE, h - 1);
		wattrset(w, A_NORMAL);
	}

	/* Content, scrolled; a last row says how much more there is. */
	int rows = h - 1;
	if (rows <= 0)
		return;
	int *scroll = slot >= 0 && slot < SLOT_COUNT ? &v->scroll[slot] : NULL;
	int first = scroll ? *scroll : 0;
	int max_first = b->n > rows ? b->n - rows : 0;
	if (first > max_first)
		first = max_first;
	if (first < 0)
		first = 0;
	if (scroll)
		*scroll = first;
	bool more = b->n - first > rows;
	for (int r = 0; r < rows && first + r < b->n; r++) {
		if (more && r == rows - 1) {
			char m[96];
			snprintf(m, sizeof m, "+%d more line%s%s", b->n - first - r,
				 b->n - first - r == 1 ? "" : "s",
				 v->zoomed ? " (j/k scroll)" : " (Enter: zoom)");
			widget_put(w, 1 + r, 1, cw, m, widget_attr(ROLE_DIM), v->utf8);
			break;
		}
		const lb_line *l = &b->line[first + r];
		int x = 1;
		for (int s = 0; s < l->n && x <= cw; s++) {
			attr_t a =
			    (widget_attr(l->seg[s].role) & ~l->seg[s].strip) | l->seg[s].extra;
			if (stale)
				a = (a & ~(attr_t)A_BOLD) | A_DIM;
			x += widget_put(w, 1 + r, x, cw - (x - 1), l->seg[s].text, a, v->utf8);
		}
	}
}

/* ---- evidence helpers ------------------------------------------------------------------- */

/* Whether an HTTP answer came whose body was too large to read (its code is still known). */
static bool body_too_large(const fetch_info *f)
{
	return evidence_answered(f) && f->err == HTTP_ERR_TOO_LARGE;
}

/* "…" or "...". */
static const char *ellipsis(const ui_view *v)
{
	return v->utf8 ? "\u2026" : "...";
}

/* "—" or "-": the mark for unknown. */
static const char *dash(const ui_view *v)
{
	return v->utf8 ? "\u2014" : "-";
}

/* " · " or " - ": between facts on one line. */
static const char *dot(const ui_view *v)
{
	return v->utf8 ? " \u00b7 " : " - ";
}

/* "probing 7 s…" while a request is out, else "". */
static void probing_text(const ui_view *v, probe_id id, char *out, size_t outsz)
{
	out[0] = '\0';
	if (!v->ev.in_flight[id])
		return;
	long s = 0;
	if (v->ev.started_ms[id] > 0 && v->now_ms > v->ev.started_ms[id])
		s = (long)((v->now_ms - v->ev.started_ms[id]) / 1000);
	/* A quick request is not worth a flicker. */
	if (s >= 1 || !evidence_fetch(&v->ev, id)->done)
		snprintf(out, outsz, "probing %ld s%s", s, ellipsis(v));
}

/*
 * A clock time that says its zone: "05:00 UTC", or "00:00 account time" when the account's
 * utc_offset is set (the daily limit lives on the account's clock).
 */
static void clock_hm(const ui_view *v, char *out, size_t outsz, int64_t ms)
{
	format_clock(out, outsz, ms, v->cfg->utc_offset_set, v->cfg->utc_offset_min);
}

/* A glyph and a word in a severity's role, then more text: the first line of most panes. */
static void sev_line(lines *b, const ui_view *v, widget_sev sev, const char *word, const char *rest)
{
	lb_nl(b);
	widget_role r = widget_sev_role(sev);
	lb_add(b, r, A_BOLD, "%s %s", widget_sev_glyph(sev, v->utf8), word);
	if (rest && *rest) {
		/* Two blanks after the word when the line has room for them. */
		bool roomy = lb_line_cols(b) + 2 + widget_cols(rest, v->utf8) <= b->width;
		lb_text(b, ROLE_NORMAL, 0, roomy ? "  " : " ");
		lb_text(b, ROLE_NORMAL, 0, rest);
	}
}

/* What a pane says before its probe has ever answered. */
static void waiting_lines(lines *b, const ui_view *v, probe_id id)
{
	char pr[48];
	probing_text(v, id, pr, sizeof pr);
	sev_line(b, v, SEV_UNKNOWN, "unknown", pr[0] ? pr : "no answer yet");
}

/* The tag in a pane's title row: "stale", "probing 7 s…", or how to leave the zoom. */
static const char *pane_tag(const ui_view *v, probe_id id, bool stale, char *buf, size_t bufsz)
{
	if (stale)
		return "stale";
	probing_text(v, id, buf, bufsz);
	if (buf[0])
		return buf;
	return v->zoomed ? "Esc: back" : "";
}

/* ---- pane: HubSpot status page ---------------------------------------------------------- */

/* The indicator as a severity and a word. */
static widget_sev indicator_sev(const char *ind, const char **word)
{
	static const struct {
		const char *ind, *word;
		widget_sev sev;
	} map[] = {
	    {"none", "OPERATIONAL", SEV_OK},
	    {"minor", "MINOR", SEV_WARN},
	    {"major", "MAJOR", SEV_CRIT},
	    {"critical", "CRITICAL", SEV_CRIT},
	    {"maintenance", "MAINTENANCE", SEV_WARN},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(ind, map[i].ind) == 0) {
			*word = map[i].word;
			return map[i].sev;
		}
	*word = "UNKNOWN";
	return SEV_UNKNOWN;
}

/* An incident's impact as a severity. */
static widget_sev impact_sev(const char *impact)
{
	if (strcmp(impact, "critical") == 0 || strcmp(impact, "major") == 0)
		return SEV_CRIT;
	if (strcmp(impact, "minor") == 0 || strcmp(impact, "none") == 0)
		return SEV_WARN;
	return SEV_UNKNOWN;
}

/* "partial_outage" as "partial outage". */
static void words(char *out, size_t outsz, const char *s)
{
	common_strlcpy(out, s, outsz);
	for (char *p = out; *p; p++)
		if (*p == '_')
			*p = ' ';
}

/* What the status page says. */
static void status_lines(ui_view *v, lines *b)
{
	const ev_status *s = &v->ev.status;
	char buf[256];
	switch (evidence_outcome_shown(&s->f)) {
	case EVIDENCE_PENDING:
	case EVIDENCE_CANCELLED: /* evidence_outcome_shown folds it into pending */
		waiting_lines(b, v, PROBE_STATUS);
		return;
	case EVIDENCE_NOT_ASKED:
		sev_line(b, v, SEV_UNKNOWN, "not configured", "no status page URL");
		return;
	case EVIDENCE_NO_ANSWER:
	case EVIDENCE_BAD_URL: /* ... and this into no answer */
		sev_line(b, v, SEV_UNKNOWN, "UNKNOWN", "status page unreachable");
		lb_wrap(b, ROLE_NORMAL, 0, s->f.error[0] ? s->f.error : http_err_name(s->f.err), 2,
			2);
		return;
	case EVIDENCE_ANSWERED:
		break;
	}
	if (s->f.http_status < 200 || s->f.http_status >= 300 || !s->f.json_ok) {
		snprintf(buf, sizeof buf, "status page answered HTTP %ld%s", s->f.http_status,
			 body_too_large(&s->f) ? " (body too large to read)"
			 : s->f.json_ok	       ? ""
					       : ", not the JSON expected");
		sev_line(b, v, SEV_UNKNOWN, "UNKNOWN", "");
		lb_wrap(b, ROLE_NORMAL, 0, buf, 2, 2);
		if (s->f.body_excerpt[0])
			lb_wrap(b, ROLE_DIM, 0, s->f.body_excerpt, 2, 1);
		return;
	}
	const char *word;
	widget_sev sev = indicator_sev(s->indicator, &word);
	sev_line(b, v, sev, word, s->description[0] ? s->description : dash(v));

	if (!s->incidents_known) {
		lb_nl(b);
		lb_text(b, ROLE_DIM, 0, "incidents: not listed by the status page (unknown)");
	} else if (s->incidents_total == 0 && s->n_components_bad == 0 && s->n_maint == 0) {
		lb_nl(b);
		lb_text(b, ROLE_DIM, 0,
			!s->components_known ? "no open incidents"
			: b->width >= 48     ? "no open incidents, every component operational"
					     : "no open incidents");
	}
	bool wide = b->zoomed || b->width >= 56;
	for (int i = 0; i < s->n_incidents; i++) {
		const status_incident *in = &s->incidents[i];
		widget_sev is = impact_sev(in->impact);
		lb_nl(b);
		lb_add(b, widget_sev_role(is), 0, "%s ", widget_sev_glyph(is, v->utf8));
		lb_wrap_at(b, ROLE_NORMAL, A_BOLD, in->name[0] ? in->name : "(unnamed incident)", 2,
			   b->zoomed ? 3 : 2, true);
		char age[32];
		if (in->updated_ms > 0)
			format_age(age, sizeof age, in->updated_ms, v->now_ms);
		else
			common_strlcpy(age,
				       in->updated_at[0] ? in->updated_at : "at an unknown time",
				       sizeof age);
		const char *st = in->status[0] ? in->status : "unknown status";
		const char *imp = in->impact[0] ? in->impact : "unknown";
		snprintf(buf, sizeof buf, "  %s%simpact %s%supdated %s", st, dot(v), imp, dot(v),
			 age);
		bool long_form = widget_cols(buf, v->utf8) <= b->width;
		lb_nl(b);
		lb_add(b, ROLE_NORMAL, 0, "  %s", st);
		lb_add(b, widget_sev_role(is), 0, "%s%s%s", dot(v), long_form ? "impact " : "",
		       imp);
		lb_add(b, ROLE_DIM, 0, "%s%s%s", dot(v), long_form ? "updated " : "", age);
		if (wide && in->latest_update[0])
			lb_wrap(b, ROLE_DIM, 0, in->latest_update, 4, b->zoomed ? 4 : 1);
		if (b->zoomed && in->shortlink[0]) {
			lb_nl(b);
			lb_add(b, ROLE_DIM, 0, "    %s", in->shortlink);
		}
	}
	if (s->incidents_total > s->n_incidents) {
		lb_nl(b);
		lb_add(b, ROLE_DIM, 0, "  +%d more incidents on the status page",
		       s->incidents_total - s->n_incidents);
	}
	if (s->n_components_bad > 0) {
		lb_nl(b);
		lb_text(b, ROLE_NORMAL, 0, "Not operational:");
		for (int i = 0; i < s->n_components_bad; i++) {
			const status_component *c = &s->components_bad[i];
			widget_sev cs = strstr(c->status, "major") ? SEV_CRIT : SEV_WARN;
			words(buf, sizeof buf, c->status);
			lb_nl(b);
			lb_add(b, widget_sev_role(cs), 0, "  %s ", widget_sev_glyph(cs, v->utf8));
			lb_text(b, ROLE_NORMAL, 0, c->name);
			lb_add(b, widget_sev_role(cs), 0, " (%s)", buf);
		}
		if (s->components_bad_total > s->n_components_bad) {
			lb_nl(b);
			lb_add(b, ROLE_DIM, 0, "  +%d more components",
			       s->components_bad_total - s->n_components_bad);
		}
	}
	for (int i = 0; i < s->n_maint; i++) {
		words(buf, sizeof buf, s->maint[i].status);
		lb_nl(b);
		lb_add(b, ROLE_WARN, 0, "%s maintenance: ", widget_sev_glyph(SEV_WARN, v->utf8));
		lb_text(b, ROLE_NORMAL, 0, s->maint[i].name);
		lb_add(b, ROLE_DIM, 0, " (%s)", buf);
	}
}

/* Draw the status-page pane. */
static void status_draw(WINDOW *w, ui_view *v, int slot)
{
	lines *b = lb_begin(pane_content_width(w), v);
	status_lines(v, b);
	bool stale = watch_stale(&v->ev, v->cfg, v->unhealthy, PROBE_STATUS, v->now_ms);
	char tag[48];
	lb_render(w, v, slot, dashboard_panes[LAYOUT_PANE_STATUS], b, stale,
		  pane_tag(v, PROBE_STATUS, stale, tag, sizeof tag));
}

/* ---- pane: our API call ----------------------------------------------------------------- */

/* The usual reason phrase of an HTTP status, or "". */
static const char *http_reason(long code)
{
	static const struct {
		long code;
		const char *text;
	} map[] = {
	    {200, "OK"},
	    {201, "Created"},
	    {204, "No Content"},
	    {301, "Moved Permanently"},
	    {302, "Found (redirect)"},
	    {304, "Not Modified"},
	    {400, "Bad Request"},
	    {401, "Unauthorized"},
	    {403, "Forbidden"},
	    {404, "Not Found"},
	    {409, "Conflict"},
	    {414, "URI Too Long"},
	    {423, "Locked"},
	    {429, "Too Many Requests"},
	    {477, "Account migrating"},
	    {500, "Internal Server Error"},
	    {502, "Bad Gateway"},
	    {503, "Service Unavailable"},
	    {504, "Gateway Timeout"},
	    {521, "Web Server Is Down"},
	    {522, "Connection Timed Out"},
	    {523, "Origin Unreachable"},
	    {524, "A Timeout Occurred"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].code == code)
			return map[i].text;
	return "";
}

/* How bad an HTTP status is. */
static widget_sev http_sev(long code)
{
	if (code >= 200 && code < 300)
		return SEV_OK;
	if (code == 429 || code == 423 || (code >= 300 && code < 400))
		return SEV_WARN;
	return SEV_CRIT;
}

/* A message in quotes; the message is cut (at a character boundary) so both quotes fit. */
void dashboard_quote(char *out, size_t outsz, const char *msg, bool utf8)
{
	const char *open = utf8 ? "\u201c" : "\"";
	const char *close = utf8 ? "\u201d" : "\"";
	size_t q = strlen(open) + strlen(close);
	if (outsz == 0)
		return;
	if (outsz <= q) {
		out[0] = '\0';
		return;
	}
	char body[512];
	size_t room = outsz - q; /* bytes for the message and the terminator */
	format_utf8_copy(body, room < sizeof body ? room : sizeof body, msg);
	snprintf(out, outsz, "%s%s%s", open, body, close);
}

/* What our API call found. */
static void api_lines(ui_view *v, lines *b, int rows)
{
	const ev_api *a = &v->ev.api;
	evidence_outcome k = evidence_outcome_shown(&a->f);
	char buf[256];
	if (k == EVIDENCE_PENDING) {
		waiting_lines(b, v, PROBE_API);
		return;
	}
	if (k == EVIDENCE_NOT_ASKED) {
		sev_line(b, v, SEV_UNKNOWN, "not configured", "no access token");
		lb_wrap(b, ROLE_DIM, 0, "set HUBSPOT_ACCESS_TOKEN or --token-file FILE", 2, 2);
		return;
	}
	char code[8];
	widget_sev sev;
	const char *reason;
	char lat[32];
	if (k == EVIDENCE_NO_ANSWER) {
		snprintf(code, sizeof code, "---");
		sev = SEV_CRIT;
		reason = "no answer";
		snprintf(lat, sizeof lat, "%s", dash(v));
	} else {
		long st = a->f.http_status;
		snprintf(code, sizeof code, "%03ld", st >= 0 && st <= 999 ? st : 0);
		sev = http_sev(st);
		reason = http_reason(st);
		snprintf(lat, sizeof lat, "our call %ld ms", a->f.latency_ms);
		/* A 2xx slower than slow_ms is a warning, never a tick and "OK". */
		if (evidence_slow_2xx(&a->f, v->cfg->slow_ms)) {
			sev = SEV_WARN;
			reason = "SLOW";
		}
	}
	widget_role role = widget_sev_role(sev);

	/* The latency sparkline over the samples the board keeps. */
	char spark[BOARD_LATENCY_SAMPLES * 4 + 1] = "";
	int lv[BOARD_LATENCY_SAMPLES];
	bool big = layout_big_code(rows, b->width);
	int sw = b->width - (big ? widget_big_cols(code) + 2 : 0) - 8;
	if (sw > 30)
		sw = 30;
	int nl = widget_spark(v->ev.latency_ms, v->ev.n_latency, sw, WIDGET_SPARK_LEVELS, lv);
	if (nl > 1)
		widget_spark_text(spark, sizeof spark, lv, nl, v->utf8);

	if (big) {
		for (int r = 0; r < 3; r++) {
			widget_big_row(buf, sizeof buf, code, r, v->utf8);
			lb_nl(b);
			lb_text(b, role, A_BOLD, buf);
			/* Reverse video would turn block digits into their negative. */
			b->line[b->n - 1].seg[0].strip = A_REVERSE;
			lb_text(b, ROLE_NORMAL, 0, "  ");
			if (r == 0) {
				lb_add(b, role, A_BOLD, "%s %s", widget_sev_glyph(sev, v->utf8),
				       reason[0] ? reason : "HTTP");
			} else if (r == 1) {
				if (k == EVIDENCE_ANSWERED)
					lb_add(b, ROLE_NORMAL, 0, "HTTP %03ld", a->f.http_status);
				else
					lb_add(b, ROLE_NORMAL, 0, "no HTTP answer");
			} else if (k == EVIDENCE_ANSWERED) {
				lb_text(b,
					evidence_slow_2xx(&a->f, v->cfg->slow_ms) ? ROLE_WARN
										  : ROLE_NORMAL,
					0, lat);
			}
		}
		if (spark[0]) {
			lb_nl(b);
			lb_text(b, ROLE_NORMAL, 0, "latency ");
			lb_text(b, ROLE_DIM, 0, spark);
		}
	} else {
		lb_nl(b);
		lb_add(b, role, A_BOLD | A_REVERSE, " %s ", code);
		lb_add(b, role, A_BOLD, " %s %s", widget_sev_glyph(sev, v->utf8),
		       reason[0] ? reason : "HTTP");
		if (k == EVIDENCE_ANSWERED)
			lb_add(b, ROLE_NORMAL, 0, "  %s", lat);
		if (spark[0]) {
			lb_nl(b);
			lb_text(b, ROLE_NORMAL, 0, "latency ");
			lb_text(b, ROLE_DIM, 0, spark);
		}
	}

	if (body_too_large(&a->f)) {
		lb_nl(b);
		lb_add(b, ROLE_WARN, 0, "HTTP %03ld (body too large to read)", a->f.http_status);
	}
	if (k == EVIDENCE_ANSWERED && evidence_slow_2xx(&a->f, v->cfg->slow_ms)) {
		snprintf(buf, sizeof buf, "slower than %ld ms (slow_ms)", v->cfg->slow_ms);
		lb_wrap(b, ROLE_WARN, 0, buf, 2, 2);
	}
	int msg_lines = b->zoomed ? 8 : 2;
	if (k == EVIDENCE_NO_ANSWER) {
		/* The HTTP layer's own sentence tells a connect time-out from a slow answer. */
		snprintf(buf, sizeof buf, "no answer: %s",
			 a->f.error[0] ? a->f.error : http_err_name(a->f.err));
		lb_wrap(b, ROLE_CRIT, 0, buf, 0, msg_lines);
	}
	if (a->category[0]) {
		lb_nl(b);
		lb_text(b, ROLE_DIM, 0, "category ");
		lb_text(b, role, 0, a->category);
		if (a->sub_category[0]) {
			lb_text(b, ROLE_DIM, 0, " / ");
			lb_text(b, ROLE_NORMAL, 0, a->sub_category);
		}
	}
	if (a->error_type[0] || a->policy_name[0]) {
		snprintf(buf, sizeof buf, "errorType %s  policy %s", a->error_type, a->policy_name);
		bool one_line = widget_cols(buf, v->utf8) <= b->width;
		if (a->error_type[0]) {
			lb_nl(b);
			lb_text(b, ROLE_DIM, 0, "errorType ");
			lb_text(b, role, 0, a->error_type);
		}
		if (a->policy_name[0]) {
			if (!one_line || !a->error_type[0])
				lb_nl(b);
			else
				lb_text(b, ROLE_NORMAL, 0, "  ");
			lb_text(b, ROLE_DIM, 0, "policy ");
			lb_text(b, role, A_BOLD, a->policy_name);
		}
	}
	if (a->message[0]) {
		dashboard_quote(buf, sizeof buf, a->message, v->utf8);
		lb_wrap(b, ROLE_NORMAL, 0, buf, 0, msg_lines);
	} else if (k == EVIDENCE_ANSWERED && !a->f.json_ok && a->f.body_excerpt[0] &&
		   (a->f.http_status < 200 || a->f.http_status >= 300)) {
		snprintf(buf, sizeof buf, "body: %s", a->f.body_excerpt);
		lb_wrap(b, ROLE_DIM, 0, buf, 0, msg_lines);
	}
	if (a->required_scopes[0]) {
		snprintf(buf, sizeof buf, "needs scopes: %s", a->required_scopes);
		lb_wrap(b, ROLE_WARN, 0, buf, 0, 2);
	}
	if (a->correct_hublet[0]) {
		lb_nl(b);
		lb_add(b, ROLE_WARN, 0, "wrong data centre: use %s", a->correct_hublet);
	}
	lb_nl(b);
	if (v->last_2xx_ms > 0) {
		char age[32];
		format_age(age, sizeof age, v->last_2xx_ms, v->now_ms);
		lb_text(b, ROLE_DIM, 0, "last 2xx ");
		lb_text(b, sev == SEV_OK ? ROLE_OK : ROLE_WARN, 0, age);
	} else {
		lb_text(b, ROLE_WARN, 0, "no 2xx answer since start");
	}
	if (a->correlation_id[0]) {
		lb_nl(b);
		lb_text(b, ROLE_DIM, 0, "correlation ");
		/* The whole id matters (support tickets, the postmortem): never cut it if a line
		 * of its own would hold it. */
		if (12 + widget_cols(a->correlation_id, v->utf8) > b->width)
			lb_nl(b);
		lb_text(b, ROLE_NORMAL, 0, a->correlation_id);
	}
}

/* Draw the API pane. */
static void api_draw(WINDOW *w, ui_view *v, int slot)
{
	int h = getmaxy(w);
	lines *b = lb_begin(pane_content_width(w), v);
	api_lines(v, b, h - 1);
	bool stale = watch_stale(&v->ev, v->cfg, v->unhealthy, PROBE_API, v->now_ms);
	char tag[48];
	lb_render(w, v, slot, dashboard_panes[LAYOUT_PANE_API], b, stale,
		  pane_tag(v, PROBE_API, stale, tag, sizeof tag));
}

/* ---- pane: rate limits ------------------------------------------------------------------ */

#define RL_LABEL_W 8

/* The role of a remaining fraction: low is bad. */
static widget_role fraction_role(opt_int remaining, opt_int max)
{
	double f;
	if (!ratelimit_fraction(remaining, max, &f))
		return ROLE_UNKNOWN;
	if (remaining.v > max.v)
		return ROLE_WARN;
	if (f <= 0.10)
		return ROLE_CRIT;
	if (f <= 0.25)
		return ROLE_WARN;
	return ROLE_OK;
}

/* A labelled gauge line: "daily ███▌░░ 431,000/500,000", or why it cannot be drawn. */
static void gauge_line(lines *b, const ui_view *v, const char *label, opt_int remaining,
		       opt_int max)
{
	lb_nl(b);
	lb_add(b, ROLE_NORMAL, 0, "%-*s ", RL_LABEL_W - 1, label);
	if (!remaining.known || !max.known || max.v <= 0 || remaining.v < 0) {
		if (remaining.known && remaining.v >= 0) {
			char n[32];
			format_count(n, sizeof n, remaining.v);
			lb_add(b, ROLE_NORMAL, 0, "%s left", n);
			lb_text(b, ROLE_UNKNOWN, 0, " (max unknown)");
		} else {
			lb_add(b, ROLE_UNKNOWN, 0, "%s unknown",
			       widget_sev_glyph(SEV_UNKNOWN, v->utf8));
			lb_text(b, ROLE_DIM, 0, " (no headers)");
		}
		return;
	}
	char r[32], m[32], nums[72];
	format_count(r, sizeof r, remaining.v);
	format_count(m, sizeof m, max.v);
	snprintf(nums, sizeof nums, "%s/%s", r, m);
	widget_role role = fraction_role(remaining, max);
	int gw = b->width - RL_LABEL_W - 1 - (int)strlen(nums);
	if (gw > 40)
		gw = 40;
	if (gw >= 4) {
		widget_gauge_cells g = widget_gauge(remaining, max, gw);
		char gt[40 * 4 + 1];
		widget_gauge_text(gt, sizeof gt, &g, v->utf8);
		lb_text(b, role, 0, gt);
		lb_text(b, ROLE_NORMAL, 0, " ");
	}
	lb_text(b, role, A_BOLD, nums);
	if (remaining.v > max.v)
		lb_text(b, ROLE_WARN, 0, " over max");
}

/* The burn-rate projection against the next reset as far as it is known (0 when not). */
static void project(const ui_view *v, ratelimit_burn *out)
{
	int64_t reset = ratelimit_reset_hint(&v->ev.usage, v->cfg, v->now_ms, NULL);
	ratelimit_project(v->ev.daily, v->ev.n_daily, v->now_ms, reset, out);
}

/*
 * Whether the back-off in force is the one the last answer's Retry-After asked for: a 429
 * carrying Retry-After, whose wait ends when the back-off does (a daily reset that lasts
 * longer is not a Retry-After wait).
 */
static bool retry_after_applies(const ui_view *v)
{
	const ev_api *a = &v->ev.api;
	if (v->ev.backoff_until_ms <= v->now_ms || a->f.http_status != 429 ||
	    !a->retry_after_s.known || a->f.at_ms <= 0)
		return false;
	int64_t end = a->f.at_ms + (int64_t)a->retry_after_s.v * 1000;
	int64_t d = end - v->ev.backoff_until_ms;
	return d > -2000 && d < 2000;
}

/* What the rate-limit headers, the usage endpoint and the back-off say. */
static void rate_lines(ui_view *v, lines *b)
{
	const ev_api *a = &v->ev.api;
	const ev_usage *u = &v->ev.usage;
	char buf[160], t1[32], t2[32];
	evidence_outcome k = evidence_outcome_shown(&a->f);

	/* The burst window. */
	char label[32] = "10 s";
	if (a->rl_interval_ms.known && a->rl_interval_ms.v > 0) {
		if (a->rl_interval_ms.v % 1000 == 0)
			snprintf(label, sizeof label, "%lld s", a->rl_interval_ms.v / 1000);
		else
			snprintf(label, sizeof label, "%lldms", a->rl_interval_ms.v);
	}
	if (k == EVIDENCE_PENDING || k == EVIDENCE_NOT_ASKED) {
		char pr[48];
		probing_text(v, PROBE_API, pr, sizeof pr);
		sev_line(b, v, SEV_UNKNOWN, "unknown",
			 k == EVIDENCE_NOT_ASKED ? "no access token"
			 : pr[0]		 ? pr
						 : "no API answer yet");
	} else {
		gauge_line(b, v, label, a->rl_remaining, a->rl_max);
	}

	/* The daily budget. */
	ratelimit_daily_kind dk = ratelimit_daily(a);
	if (dk == RATELIMIT_DAILY_KNOWN) {
		gauge_line(b, v, "daily", a->rl_daily_remaining, a->rl_daily);
	} else if (k != EVIDENCE_PENDING && k != EVIDENCE_NOT_ASKED) {
		lb_nl(b);
		lb_add(b, ROLE_NORMAL, 0, "%-*s ", RL_LABEL_W - 1, "daily");
		if (dk == RATELIMIT_DAILY_NONE)
			lb_text(b, ROLE_NORMAL, 0, "no daily limit (OAuth)");
		else {
			lb_add(b, ROLE_UNKNOWN, 0, "%s unknown",
			       widget_sev_glyph(SEV_UNKNOWN, v->utf8));
			lb_text(b, ROLE_DIM, 0, " (no headers)");
		}
	}
	/* The account's clock, which the daily limit and every "account time" follow. */
	if (v->cfg->utc_offset_set && k != EVIDENCE_PENDING && k != EVIDENCE_NOT_ASKED) {
		format_utc_offset(t1, sizeof t1, v->cfg->utc_offset_min);
		lb_nl(b);
		lb_add(b, ROLE_DIM, 0, "%*saccount time is %s", RL_LABEL_W, "", t1);
	}

	/* HubSpot's own count of today's calls: the whole account's private apps, not ours. */
	lb_nl(b);
	lb_add(b, ROLE_NORMAL, 0, "%-*s ", RL_LABEL_W - 1,
	       dk == RATELIMIT_DAILY_NONE ? "private apps" : "account");
	bool ustale = watch_stale(&v->ev, v->cfg, v->unhealthy, PROBE_USAGE, v->now_ms);
	switch (evidence_outcome_shown(&u->f)) {
	case EVIDENCE_PENDING:
	case EVIDENCE_CANCELLED: /* evidence_outcome_shown folds it into pending */
		probing_text(v, PROBE_USAGE, buf, sizeof buf);
		lb_add(b, ROLE_UNKNOWN, 0, "unknown (%s)", buf[0] ? buf : "not asked yet");
		break;
	case EVIDENCE_NOT_ASKED:
		lb_text(b, ROLE_DIM, 0, "not asked (no access token)");
		break;
	case EVIDENCE_NO_ANSWER:
	case EVIDENCE_BAD_URL: /* ... and this into no answer */
		lb_add(b, ROLE_UNKNOWN, 0, "unknown: %s",
		       u->f.error[0] ? u->f.error : http_err_name(u->f.err));
		break;
	case EVIDENCE_ANSWERED:
		if (u->current_usage.known && u->usage_limit.known) {
			format_count(t1, sizeof t1, u->current_usage.v);
			format_count(t2, sizeof t2, u->usage_limit.v);
			lb_add(b, ROLE_NORMAL, 0, "%s of %s used", t1, t2);
			if (u->fetch_status[0] && strcmp(u->fetch_status, "SUCCESS") != 0)
				lb_add(b, ROLE_DIM, 0, " (%s)", u->fetch_status);
		} else {
			if (u->f.http_status < 200 || u->f.http_status >= 300)
				snprintf(buf, sizeof buf, "unavailable (HTTP %ld%s)",
					 u->f.http_status,
					 body_too_large(&u->f) ? ", body too large to read" : "");
			else if (body_too_large(&u->f))
				snprintf(buf, sizeof buf, "unknown (body too large to read)");
			else if (!evidence_usage_trusted(u->fetch_status))
				/* HubSpot answered but says it could not count: the numbers
				 * are unknown, not missing. */
				snprintf(buf, sizeof buf,
					 "unknown: HubSpot could not count (fetchStatus %s)",
					 u->fetch_status);
			else
				snprintf(buf, sizeof buf, "unknown (no usage in the answer)");
			lb_wrap_at(b, ROLE_UNKNOWN, 0, buf, RL_LABEL_W, 3, true);
		}
		if (ustale)
			lb_text(b, ROLE_STALE, 0, " stale");
		break;
	}

	/* Back-off: the probe is holding its fire. One line that counts down, named after what
	 * set it: Retry-After when the last 429 said so, else the reason the runner gave. */
	long left = ratelimit_countdown_s(v->ev.backoff_until_ms, v->now_ms);
	if (left > 0) {
		format_duration(t1, sizeof t1, left);
		clock_hm(v, t2, sizeof t2, v->ev.backoff_until_ms);
		bool by_retry = retry_after_applies(v);
		lb_nl(b);
		lb_add(b, ROLE_WARN, A_BOLD, "%s %s %s", widget_sev_glyph(SEV_WARN, v->utf8),
		       by_retry ? "Retry-After" : "held back", t1);
		/* The clock time only when the reset line below will not say it already. */
		int64_t reset = ratelimit_reset_hint(u, v->cfg, v->now_ms, NULL);
		int64_t d = reset - v->ev.backoff_until_ms;
		if (dk != RATELIMIT_DAILY_KNOWN || reset <= 0 || d < -60000 || d > 60000) {
			snprintf(buf, sizeof buf, "(until %s)", t2);
			lb_text(b, ROLE_DIM, 0, " ");
			lb_wrap_at(b, ROLE_DIM, 0, buf, 2, 1, true);
		}
		if (!by_retry && v->ev.backoff_reason[0])
			lb_wrap(b, ROLE_DIM, 0, v->ev.backoff_reason, 2, b->zoomed ? 4 : 2);
	}

	/* The burn-rate projection, only when the daily numbers are known, against the reset
	 * HubSpot named, else the account's midnight when utc_offset is set, else none. */
	if (dk != RATELIMIT_DAILY_KNOWN)
		return;
	ratelimit_burn burn;
	project(v, &burn);
	bool rknown = burn.reset_ms > 0;
	t2[0] = '\0';
	if (rknown)
		clock_hm(v, t2, sizeof t2, burn.reset_ms);
	switch (burn.kind) {
	case RATELIMIT_BURN_EXHAUSTS:
		clock_hm(v, t1, sizeof t1, burn.exhaust_ms);
		snprintf(buf, sizeof buf, "at this rate the daily limit runs out at %s", t1);
		lb_wrap(b, ROLE_CRIT, A_BOLD, buf, 2, 2);
		break;
	case RATELIMIT_BURN_EXHAUSTED:
		if (rknown) {
			snprintf(buf, sizeof buf, "used up; resets at %s", t2);
			lb_wrap(b, ROLE_CRIT, A_BOLD, buf, 0, 2);
			return;
		}
		/* No time is made up for a reset nobody told us: UTC midnight would be a guess. */
		lb_wrap(b, ROLE_CRIT, A_BOLD,
			"used up; resets at the account's midnight (set utc_offset)", 0, 2);
		break;
	case RATELIMIT_BURN_NONE:
		lb_nl(b);
		lb_add(b, ROLE_NORMAL, 0, "runs out: %s ", dash(v));
		if (rknown)
			snprintf(buf, sizeof buf, "(not before the %s reset)", t2);
		else
			snprintf(buf, sizeof buf, "(not before the reset)");
		lb_wrap_at(b, ROLE_DIM, 0, buf, 2, 2, true);
		break;
	default:
		lb_nl(b);
		lb_add(b, ROLE_NORMAL, 0, "runs out: %s ", dash(v));
		lb_wrap_at(b, ROLE_DIM, 0, "(measuring the burn rate)", 2, 2, true);
		break;
	}
	if (burn.per_min > 0) {
		format_count(t1, sizeof t1, (long long)(burn.per_min + 0.5));
		bool ours = dashboard_burn_ours(&v->ev, &burn);
		snprintf(buf, sizeof buf, "burning %s calls/min%s%s%s", t1,
			 ours ? ", all by our own probes" : " (all apps on the account)",
			 rknown && burn.kind == RATELIMIT_BURN_EXHAUSTS ? "; reset at " : "",
			 rknown && burn.kind == RATELIMIT_BURN_EXHAUSTS ? t2 : "");
		lb_wrap(b, ROLE_DIM, 0, buf, 2, 3);
	}
	if (!rknown && burn.kind != RATELIMIT_BURN_EXHAUSTED)
		lb_wrap(b, ROLE_DIM, 0, "resets at the account's midnight (set utc_offset)", 0, 2);
}

/*
 * Whether the decline the burn rate rests on is no more than the API calls our own probes
 * made in this run: then the burn may be ours alone, and the screen says so.
 */
bool dashboard_burn_ours(const evidence *e, const ratelimit_burn *burn)
{
	if (burn->n_used < 2 || burn->n_used > e->n_daily)
		return false;
	long long first = e->daily[e->n_daily - burn->n_used].remaining;
	long long last = e->daily[e->n_daily - 1].remaining;
	if (first < 0 || last < 0)
		return false;
	return first - last <= (long long)e->api_requests;
}

/* Draw the rate-limit pane. */
static void rate_draw(WINDOW *w, ui_view *v, int slot)
{
	lines *b = lb_begin(pane_content_width(w), v);
	rate_lines(v, b);
	bool stale = watch_stale(&v->ev, v->cfg, v->unhealthy, PROBE_API, v->now_ms);
	char tag[48];
	lb_render(w, v, slot, dashboard_panes[LAYOUT_PANE_RATE], b, stale,
		  pane_tag(v, PROBE_API, stale, tag, sizeof tag));
}

/* ---- pane: our app's health ------------------------------------------------------------- */

/* A health state as a severity and a word. */
static widget_sev health_sev(health_state s, const char **word)
{
	switch (s) {
	case HEALTH_HEALTHY:
		*word = "HEALTHY";
		return SEV_OK;
	case HEALTH_DEGRADED:
		*word = "DEGRADED";
		return SEV_WARN;
	case HEALTH_UNHEALTHY:
		*word = "UNHEALTHY";
		return SEV_CRIT;
	default:
		*word = "UNKNOWN";
		return SEV_UNKNOWN;
	}
}

/* What our own health endpoint says. */
static void health_lines(ui_view *v, lines *b)
{
	const ev_health *h = &v->ev.health;
	char buf[200];
	if (!v->cfg->health_url[0]) {
		sev_line(b, v, SEV_UNKNOWN, "not configured", "");
		lb_wrap(b, ROLE_DIM, 0, "set health_url in the config to watch our integration", 0,
			3);
		return;
	}
	evidence_outcome k = evidence_outcome_shown(&h->f);
	if (k == EVIDENCE_PENDING) {
		waiting_lines(b, v, PROBE_HEALTH);
		return;
	}
	if (k == EVIDENCE_NOT_ASKED) {
		sev_line(b, v, SEV_UNKNOWN, "not configured", "");
		return;
	}
	const char *word;
	widget_sev sev = health_sev(h->state, &word);
	if (k == EVIDENCE_NO_ANSWER) {
		if (h->state == HEALTH_UNKNOWN) {
			sev = SEV_CRIT;
			word = "UNREACHABLE";
		}
		sev_line(b, v, sev, word, "");
		lb_wrap(b, ROLE_NORMAL, 0, h->f.error[0] ? h->f.error : http_err_name(h->f.err), 0,
			2);
		return;
	}
	snprintf(buf, sizeof buf, "HTTP %ld", h->f.http_status);
	sev_line(b, v, sev, word, buf);
	if (h->status_text[0]) {
		lb_nl(b);
		lb_text(b, ROLE_DIM, 0, "status ");
		lb_text(b, ROLE_NORMAL, 0, h->status_text);
		if (probe_health_format_title(h->format)[0])
			lb_add(b, ROLE_DIM, 0, "  (%s)", probe_health_format_title(h->format));
	}
	if (body_too_large(&h->f)) {
		lb_nl(b);
		lb_text(b, ROLE_WARN, 0, "(body too large to read)");
		return;
	}
	if (h->format == HEALTH_FMT_PLAIN)
		return; /* a plain status word says nothing of HubSpot */
	if (!h->f.json_ok) {
		snprintf(buf, sizeof buf, "not JSON: %s", h->f.body_excerpt);
		lb_wrap(b, ROLE_WARN, 0, buf, 0, 2);
		return;
	}
	if (!h->format) {
		lb_nl(b);
		lb_text(b, ROLE_UNKNOWN, 0, "answer not in a format we know");
	}
	/* The HubSpot sub-state, whichever shape carries it. */
	lb_nl(b);
	lb_text(b, ROLE_NORMAL, 0, "HubSpot ");
	if (h->hubspot_state == HEALTH_DEGRADED)
		lb_add(b, ROLE_WARN, 0, "%s degraded", widget_sev_glyph(SEV_WARN, v->utf8));
	else if (h->hubspot_connected == 1)
		lb_add(b, ROLE_OK, 0, "%s connected", widget_sev_glyph(SEV_OK, v->utf8));
	else if (h->hubspot_connected == 0)
		lb_add(b, ROLE_CRIT, A_BOLD, "%s NOT connected",
		       widget_sev_glyph(SEV_CRIT, v->utf8));
	else
		lb_add(b, ROLE_UNKNOWN, 0, "%s unknown", widget_sev_glyph(SEV_UNKNOWN, v->utf8));
	if (h->hubspot_words[0]) /* the entry's own words, sanitized by the probe */
		lb_wrap(b, ROLE_NORMAL, 0, h->hubspot_words, 2, 2);
	if (h->hubspot_latency_ms.known) {
		/* Our app's own calls to HubSpot, not this tool's API call. */
		bool slow = v->cfg->slow_ms > 0 && h->hubspot_latency_ms.v > v->cfg->slow_ms;
		lb_nl(b);
		lb_add(b, slow ? ROLE_WARN : ROLE_DIM, 0, "%s%sour app's HubSpot calls %lld ms",
		       slow ? widget_sev_glyph(SEV_WARN, v->utf8) : "", slow ? " " : "",
		       h->hubspot_latency_ms.v);
		if (slow) {
			snprintf(buf, sizeof buf, "(slow: over %ld ms)", v->cfg->slow_ms);
			lb_text(b, ROLE_WARN, 0, " ");
			lb_wrap_at(b, ROLE_WARN, 0, buf, 2, 1, true);
		}
	}
	if (h->circuit_state[0]) {
		widget_sev cs = strcmp(h->circuit_state, "closed") == 0	    ? SEV_OK
				: strcmp(h->circuit_state, "halfOpen") == 0 ? SEV_WARN
									    : SEV_CRIT;
		lb_nl(b);
		lb_text(b, ROLE_NORMAL, 0, "circuit ");
		lb_add(b, widget_sev_role(cs), 0, "%s ", widget_sev_glyph(cs, v->utf8));
		lb_text(b, widget_sev_role(cs), 0, h->circuit_state);
	}
	if (h->dlq_pending.known) {
		char n[32];
		format_count(n, sizeof n, h->dlq_pending.v);
		lb_nl(b);
		lb_add(b, ROLE_NORMAL, 0, "dead-letter queue ");
		lb_text(b, h->dlq_pending.v > 0 ? ROLE_WARN : ROLE_OK, 0, n);
		lb_text(b, ROLE_NORMAL, 0, " pending");
	}
	if (b->zoomed || b->width >= 56) {
		lb_nl(b);
		lb_add(b, ROLE_DIM, 0, "health endpoint answered in %ld ms", h->f.latency_ms);
	}
}

/* Draw the health pane. */
static void health_draw(WINDOW *w, ui_view *v, int slot)
{
	lines *b = lb_begin(pane_content_width(w), v);
	health_lines(v, b);
	bool stale = watch_stale(&v->ev, v->cfg, v->unhealthy, PROBE_HEALTH, v->now_ms);
	char tag[48];
	lb_render(w, v, slot, dashboard_panes[LAYOUT_PANE_HEALTH], b, stale,
		  pane_tag(v, PROBE_HEALTH, stale, tag, sizeof tag));
}

/* ---- what on each part counts time ----------------------------------------------------- */

/* Fold a string (and a separator) into an FNV-1a hash. */
static uint64_t sig_str(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (h ^ 0x1f) * 1099511628211ULL;
}

/* The start of a clock hash. */
#define SIG_SEED 14695981039346656037ULL

/* Fold a probe's time-dependent marks into h: "probing 7 s…" and whether it is stale. */
static uint64_t sig_probe(uint64_t h, const ui_view *v, probe_id id)
{
	char pr[48];
	probing_text(v, id, pr, sizeof pr);
	h = sig_str(h, pr);
	return sig_str(h, watch_stale(&v->ev, v->cfg, v->unhealthy, id, v->now_ms) ? "stale" : "");
}

/* The status pane's clock: its incidents' ages, probing and staleness. */
static uint64_t status_clock(const ui_view *v)
{
	uint64_t h = sig_probe(SIG_SEED, v, PROBE_STATUS);
	char age[32];
	for (int i = 0; i < v->ev.status.n_incidents; i++) {
		if (v->ev.status.incidents[i].updated_ms <= 0)
			continue;
		format_age(age, sizeof age, v->ev.status.incidents[i].updated_ms, v->now_ms);
		h = sig_str(h, age);
	}
	return h;
}

/* The API pane's clock: the age of the last 2xx, probing and staleness. */
static uint64_t api_clock(const ui_view *v)
{
	uint64_t h = sig_probe(SIG_SEED, v, PROBE_API);
	char age[32] = "";
	if (v->last_2xx_ms > 0)
		format_age(age, sizeof age, v->last_2xx_ms, v->now_ms);
	return sig_str(h, age);
}

/* The rate pane's clock: the back-off countdown, the projection's times, probing, staleness. */
static uint64_t rate_clock(const ui_view *v)
{
	uint64_t h = sig_probe(SIG_SEED, v, PROBE_API);
	h = sig_probe(h, v, PROBE_USAGE);
	char t[96] = "";
	long left = ratelimit_countdown_s(v->ev.backoff_until_ms, v->now_ms);
	if (left > 0)
		format_duration(t, sizeof t, left);
	h = sig_str(h, t);
	if (ratelimit_daily(&v->ev.api) == RATELIMIT_DAILY_KNOWN) {
		ratelimit_burn burn;
		project(v, &burn);
		char ex[32] = "", rs[32] = "";
		if (burn.kind == RATELIMIT_BURN_EXHAUSTS)
			clock_hm(v, ex, sizeof ex, burn.exhaust_ms);
		if (burn.reset_ms > 0)
			clock_hm(v, rs, sizeof rs, burn.reset_ms);
		snprintf(t, sizeof t, "%d %s %s", (int)burn.kind, ex, rs);
		h = sig_str(h, t);
	}
	return h;
}

/* The health pane's clock: only "probing 7 s…" and staleness; nothing else counts time. */
static uint64_t health_clock(const ui_view *v)
{
	return sig_probe(SIG_SEED, v, PROBE_HEALTH);
}

/* ---- the pane classes ------------------------------------------------------------------- */

static const pane_class status_pane = {
    .name = "HubSpot status",
    .draw = status_draw,
    .key = widget_scroll_key,
    .min_w = LAYOUT_PANE_MIN_W,
    .min_h = LAYOUT_PANE_MIN_H,
    .clock = status_clock,
    .watches = 1u << PROBE_STATUS,
};

static const pane_class api_pane = {
    .name = "HubSpot API",
    .draw = api_draw,
    .key = widget_scroll_key,
    .min_w = LAYOUT_PANE_MIN_W,
    .min_h = LAYOUT_PANE_MIN_H,
    .clock = api_clock,
    .watches = 1u << PROBE_API,
};

static const pane_class rate_pane = {
    .name = "Rate limits (calls left)",
    .draw = rate_draw,
    .key = widget_scroll_key,
    .min_w = LAYOUT_PANE_MIN_W,
    .min_h = LAYOUT_PANE_MIN_H,
    .clock = rate_clock,
    .watches = 1u << PROBE_API | 1u << PROBE_USAGE,
};

static const pane_class health_pane = {
    .name = "Our app",
    .draw = health_draw,
    .key = widget_scroll_key,
    .min_w = LAYOUT_PANE_MIN_W,
    .min_h = LAYOUT_PANE_MIN_H,
    .clock = health_clock,
    .watches = 1u << PROBE_HEALTH,
};

const pane_class *const dashboard_panes[LAYOUT_PANES] = {
    [LAYOUT_PANE_STATUS] = &status_pane,
    [LAYOUT_PANE_API] = &api_pane,
    [LAYOUT_PANE_RATE] = &rate_pane,
    [LAYOUT_PANE_HEALTH] = &health_pane,
};

/* ---- diagnosis banner ------------------------------------------------------------------- */

/* "waiting for the probes (2/4)": what stands for the leaf until the diagnosis is ready. */
static void waiting_text(const ui_view *v, char *out, size_t outsz)
{
	snprintf(out, outsz, "waiting for the probes (%d/%d)", evidence_published(&v->ev),
		 PROBE_COUNT);
}

/* Draw the banner: the leaf's glyph, title and id across the top, its summary below if tall. */
static void banner_draw(WINDOW *w, ui_view *v, int slot)
{
	(void)slot;
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	if (!watch_ready(&v->ev)) {
		attr_t a = widget_attr(ROLE_UNKNOWN) | A_REVERSE | A_BOLD;
		widget_fill(w, 0, 0, wd, a);
		char t[64];
		waiting_text(v, t, sizeof t);
		int x = 1;
		x +=
		    widget_put(w, 0, x, wd - x, widget_sev_glyph(SEV_UNKNOWN, v->utf8), a, v->utf8);
		x += widget_put(w, 0, x, wd - x, " ", a, v->utf8);
		widget_put(w, 0, x, wd - x, t, a, v->utf8);
		if (h >= 2)
			widget_put(w, 1, 0, wd,
				   " no diagnosis until the status page and our API call have "
				   "answered",
				   widget_attr(ROLE_DIM), v->utf8);
		return;
	}
	const rb_leaf *leaf = v->d.leaf;
	const char *id = leaf && leaf->id ? leaf->id : "unknown";
	const char *title = leaf && leaf->title ? leaf->title : "Not enough evidence";
	widget_sev sev = (widget_sev)watch_leaf_level(leaf);
	attr_t a = widget_attr(widget_sev_role(sev)) | A_REVERSE | A_BOLD;
	widget_fill(w, 0, 0, wd, a);

	char idpart[64], tail[64];
	snprintf(idpart, sizeof idpart, "  [%s]", id);
	snprintf(tail, sizeof tail, " %s see walker (2)", dash(v));
	int idw = widget_cols(idpart, v->utf8);
	int x = 1;
	x += widget_put(w, 0, x, wd - x, widget_sev_glyph(sev, v->utf8), a, v->utf8);
	x += widget_put(w, 0, x, wd - x, " ", a, v->utf8);
	int room = wd - x - idw - 1;
	x += widget_put(w, 0, x, room, title, a, v->utf8);
	x += widget_put(w, 0, x, wd - x, idpart, a, v->utf8);
	if (sev != SEV_OK && x + widget_cols(tail, v->utf8) < wd)
		widget_put(w, 0, x, wd - x, tail, a & ~(attr_t)A_BOLD, v->utf8);

	if (h >= 2) {
		char sum[400];
		snprintf(sum, sizeof sum, " %s", leaf && leaf->summary ? leaf->summary : "");
		int sx = widget_put(w, 1, 0, wd, sum, widget_attr(ROLE_NORMAL), v->utf8);
		if (v->d.n_notes > 0 && sx + 12 < wd) {
			char note[300];
			snprintf(note, sizeof note, "  note: %s", v->d.notes[0]);
			widget_put(w, 1, sx, wd - sx, note, widget_attr(ROLE_DIM), v->utf8);
		}
	}
}

const pane_class dashboard_banner = {
    .name = "Diagnosis",
    .draw = banner_draw,
    .watches = WATCH_ALL,
    .clock = NULL,
};

/* ---- the notice under the banner ------------------------------------------------------- */

/* The standing notice for cols columns, or NULL when there is none (a token is set). */
const char *dashboard_notice(const config *cfg, int cols, bool utf8)
{
	static const char *const no_token[] = {
	    "no token: the HubSpot API is not being asked; set HUBSPOT_ACCESS_TOKEN or "
	    "--token-file",
	    "no token: the HubSpot API is not asked; set HUBSPOT_ACCESS_TOKEN or --token-file",
	    "no token: HubSpot API not asked; set HUBSPOT_ACCESS_TOKEN or --token-file",
	    "no token: HubSpot API not asked; set HUBSPOT_ACCESS_TOKEN",
	    "no token: HubSpot API not asked",
	};
	if (cfg->token[0])
		return NULL;
	int n = (int)(sizeof no_token / sizeof no_token[0]);
	return no_token[widget_pick(no_token, n, cols, utf8)];
}

/* Draw the notice line: plain words, in the warning role. */
static void notice_draw(WINDOW *w, ui_view *v, int slot)
{
	(void)slot;
	int wd = getmaxx(w);
	werase(w);
	const char *t = dashboard_notice(v->cfg, wd - 2, v->utf8);
	if (t)
		widget_put(w, 0, 1, wd - 2, t, widget_attr(ROLE_WARN), v->utf8);
}

const pane_class dashboard_notice_line = {
    .name = "Notice",
    .draw = notice_draw,
    .watches = 0,
    .clock = NULL,
};

/* ---- the "probe once anyway" confirmation ---------------------------------------------- */

/* The box: centred in the body, at most 60 x 7, never larger than the body. */
void dashboard_confirm_rect(const layout_rect *body, layout_rect *out)
{
	out->w = body->w < 60 ? body->w : 60;
	out->h = body->h < 7 ? body->h : 7;
	out->y = body->y + (body->h - out->h) / 2;
	out->x = body->x + (body->w - out->w) / 2;
}

/* Draw the confirmation: what R does and costs, and the keys. */
static void confirm_draw(WINDOW *w, ui_view *v, int slot)
{
	(void)slot;
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	wattrset(w, widget_attr(ROLE_WARN));
	box(w, 0, 0);
	wattrset(w, A_NORMAL);
	widget_put(w, 0, 2, wd - 4, " Probe once anyway? ", widget_attr(ROLE_TITLE), v->utf8);
	char until[48] = "", l1[160];
	if (v->ev.backoff_until_ms > 0)
		clock_hm(v, until, sizeof until, v->ev.backoff_until_ms);
	snprintf(l1, sizeof l1, "The API probe is held back%s%s.", until[0] ? " until " : "",
		 until);
	const char *text[] = {
	    l1,
	    "Asking now spends one API call and may get another 429.",
	    "",
	    "y: ask once    n or Esc: cancel",
	};
	for (int i = 0; i < 4 && 1 + i < h - 1; i++)
		widget_put(w, 1 + i, 2, wd - 4, text[i],
			   widget_attr(i == 3 ? ROLE_TITLE : ROLE_NORMAL), v->utf8);
}

const pane_class dashboard_confirm = {
    .name = "Probe once anyway",
    .draw = confirm_draw,
    .watches = 0,
    .clock = NULL,
};

/* ---- status lines ----------------------------------------------------------------------- */

/* One probe's state for the status line: "status 10 s ago", "api probing 7 s…", "health off". */
static void probe_state(const ui_view *v, probe_id id, bool compact, char *out, size_t outsz,
			bool *stale, bool *probing)
{
	const fetch_info *f = evidence_fetch(&v->ev, id);
	char s[48];
	*stale = false;
	*probing = false;
	bool off = (id == PROBE_HEALTH && !v->cfg->health_url[0]) ||
		   evidence_outcome_shown(f) == EVIDENCE_NOT_ASKED;
	if (off) {
		snprintf(s, sizeof s, "off");
	} else if (v->ev.in_flight[id] && (probing_text(v, id, s, sizeof s), s[0])) {
		*probing = true;
		if (compact) /* "probing 7 s…" becomes "7 s…" */
			memmove(s, s + 8, strlen(s + 8) + 1);
		*stale = watch_stale(&v->ev, v->cfg, v->unhealthy, id, v->now_ms);
	} else if (evidence_outcome_shown(f) == EVIDENCE_PENDING) {
		snprintf(s, sizeof s, "%s", dash(v));
	} else {
		format_age(s, sizeof s, f->at_ms, v->now_ms);
		if (compact) {
			char *ago = strstr(s, " ago");
			if (ago)
				*ago = '\0';
			if (strcmp(s, "just now") == 0)
				snprintf(s, sizeof s, "now");
		}
		*stale = watch_stale(&v->ev, v->cfg, v->unhealthy, id, v->now_ms);
	}
	snprintf(out, outsz, "%s %s%s", probe_name(id), s, *stale ? " stale" : "");
}

/* Draw the probe ages line and the key hints line. */
static void status_line_draw(WINDOW *w, ui_view *v, int slot)
{
	(void)slot;
	int wd = getmaxx(w);
	werase(w);

	/* Row 0: each probe's age on the left, the API calls the probes spent on the right. The
	 * forms depend on the width only, so the line keeps its shape as ages tick. */
	/* Our own probes' calls (HubSpot's count of the account's is in the rate pane). */
	char calls[64];
	snprintf(calls, sizeof calls,
		 wd >= 100 ? "our probes: %u API calls today" : "ours: %u calls today",
		 v->ev.api_requests_today);
	int cw = widget_cols(calls, v->utf8);
	int limit = wd - cw - 2;
	char part[PROBE_COUNT][80];
	bool stale[PROBE_COUNT], probing[PROBE_COUNT];
	for (int compact = wd < 78; compact <= 1; compact++) {
		int total = 1;
		for (int i = 0; i < PROBE_COUNT; i++) {
			probe_state(v, (probe_id)i, compact, part[i], sizeof part[i], &stale[i],
				    &probing[i]);
			total += widget_cols(part[i], v->utf8) + 2;
		}
		if (total <= limit)
			break;
	}
	int x = 1;
	for (int i = 0; i < PROBE_COUNT && x < limit; i++) {
		attr_t a = widget_attr(stale[i]	    ? ROLE_STALE
				       : probing[i] ? ROLE_WARN
						    : ROLE_NORMAL);
		x += widget_put(w, 0, x, limit - x, part[i], a, v->utf8);
		x += 2;
	}
	widget_put(w, 0, wd - cw - 1, cw, calls, widget_attr(ROLE_DIM), v->utf8);

	/* Row 1: a passing note, or the key hints from the key table; the demo scenario right. */
	char right[96] = "";
	if (v->demo)
		snprintf(right, sizeof right, "demo: %s ", v->scenario);
	int rw = widget_cols(right, v->utf8);
	limit = wd - rw - 2;
	x = 1;
	/* While the API probe hurries, say so in plain words on the right, if the left text
	 * leaves room for it (never over it). */
	char pace[48] = "";
	if (v->unhealthy)
		snprintf(pace, sizeof pace, "API asked every %ld s",
			 (long)(runner_interval_ms(v->cfg, PROBE_API, true) / 1000));
	int pw = widget_cols(pace, v->utf8);
	if (v->flash[0] && v->flash_until_ms > v->now_ms) {
		bool pace_fits;
		int room =
		    widget_share(limit - x, widget_cols(v->flash, v->utf8), pw, 2, &pace_fits);
		x += widget_put(w, 1, x, room, v->flash, widget_attr(ROLE_WARN), v->utf8) + 2;
		if (!pace_fits)
			pw = 0;
	} else {
		for (const ui_binding *k = ui_bindings; k->label; k++) {
			if (!k->hint || !(k->screens & SCREEN_BIT(v->screen)))
				continue;
			if (k->demo_only && !v->demo)
				continue;
			int hw = widget_cols(k->hint, v->utf8);
			if (x + hw > limit)
				break;
			const char *sp = strchr(k->hint, ' ');
			int kw = sp ? (int)(sp - k->hint) : hw;
			char key[16];
			snprintf(key, sizeof key, "%.*s", kw, k->hint);
			widget_put(w, 1, x, kw, key, widget_attr(ROLE_TITLE), v->utf8);
			widget_put(w, 1, x + kw, hw - kw, k->hint + kw, widget_attr(ROLE_NORMAL),
				   v->utf8);
			x += hw + 2;
		}
	}
	/* x is where the left text ended (plus a gap after hints): the pace only right of it. */
	if (pw > 0 && x + pw + 1 <= wd - rw - 1)
		widget_put(w, 1, wd - rw - pw - 2, pw, pace, widget_attr(ROLE_WARN), v->utf8);
	if (rw > 0 && rw < wd)
		widget_put(w, 1, wd - rw, rw, right, widget_attr(ROLE_WARN) | A_REVERSE, v->utf8);
}

/* The status line's clock: every probe's age or "probing" mark, and whether a note shows. */
static uint64_t status_line_clock(const ui_view *v)
{
	uint64_t h = SIG_SEED;
	char part[80];
	bool stale, probing;
	for (int i = 0; i < PROBE_COUNT; i++) {
		probe_state(v, (probe_id)i, false, part, sizeof part, &stale, &probing);
		h = sig_str(h, part);
	}
	return sig_str(h, v->flash[0] && v->flash_until_ms > v->now_ms ? "flash" : "");
}

const pane_class dashboard_status = {
    .name = "Status",
    .draw = status_line_draw,
    .watches = WATCH_ALL,
    .clock = status_line_clock,
};

/* ---- screens not built yet, and a terminal too small ----------------------------------- */

/* Draw the placeholder for the walker, comms and timeline screens. */
static void placeholder_draw(WINDOW *w, ui_view *v, int slot)
{
	(void)slot;
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	const char *name = v->screen == SCREEN_WALKER ? "Decision-tree walker"
			   : v->screen == SCREEN_COMMS
			       ? "Comms: Slack update and status-page notice"
			       : "Incident timeline";
	int y = h / 3;
	widget_put(w, y, 2, wd - 4, name, widget_attr(ROLE_TITLE), v->utf8);
	widget_put(w, y + 1, 2, wd - 4, "Not built yet.", widget_attr(ROLE_NORMAL), v->utf8);
	if (!watch_ready(&v->ev)) {
		char t[64], d[96];
		waiting_text(v, t, sizeof t);
		snprintf(d, sizeof d, "Diagnosis now: %s", t);
		widget_put(w, y + 3, 2, wd - 4, d, widget_attr(ROLE_NORMAL), v->utf8);
	} else if (v->d.leaf) {
		char d[300];
		snprintf(d, sizeof d, "Diagnosis now: %s [%s]", v->d.leaf->title, v->d.leaf->id);
		widget_put(w, y + 3, 2, wd - 4, d, widget_attr(ROLE_NORMAL), v->utf8);
	}
	widget_put(w, y + 5, 2, wd - 4, "Press 1 or Esc for the dashboard, ? for help, q to quit.",
		   widget_attr(ROLE_DIM), v->utf8);
}

const pane_class dashboard_placeholder = {
    .name = "Not built yet",
    .draw = placeholder_draw,
    .watches = WATCH_ALL,
    .clock = NULL,
};

/* Draw the screen that says the terminal is too small, and what size is needed. */
static void too_small_draw(WINDOW *w, ui_view *v, int slot)
{
	(void)slot;
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	char l0[64], l1[64];
	snprintf(l0, sizeof l0, "hsrunbook needs at least %dx%d", LAYOUT_MIN_COLS,
		 LAYOUT_MIN_LINES);
	snprintf(l1, sizeof l1, "this terminal is %dx%d", v->lay.cols, v->lay.lines);
	const char *notice = dashboard_notice(v->cfg, wd, v->utf8);
	const char *text[] = {l0, l1, "enlarge it, or press q to quit", notice};
	int n = notice ? 4 : 3;
	if (n > h)
		n = h;
	int y0 = (h - n) / 2;
	for (int i = 0; i < n; i++) {
		int c = widget_cols(text[i], v->utf8);
		int x = c < wd ? (wd - c) / 2 : 0;
		widget_put(w, y0 + i, x, wd - x, text[i],
			   widget_attr(i == 0 || i == 3 ? ROLE_WARN : ROLE_NORMAL), v->utf8);
	}
}

const pane_class dashboard_too_small = {
    .name = "Too small",
    .draw = too_small_draw,
    .watches = 0,
    .clock = NULL,
};

/* ---- selection -------------------------------------------------------------------------- */

/* Arrow keys and h/j/k/l: move on the 2x2 grid, or scroll / switch the zoomed pane. */
int dashboard_move(ui_view *v, int ch)
{
	bool left = ch == KEY_LEFT || ch == 'h', right = ch == KEY_RIGHT || ch == 'l';
	bool up = ch == KEY_UP || ch == 'k', down = ch == KEY_DOWN || ch == 'j';
	if (v->zoomed) {
		if (left || right) {
			v->selected = (v->selected + (right ? 1 : LAYOUT_PANES - 1)) % LAYOUT_PANES;
			return UI_HANDLED | UI_RELAYOUT;
		}
		const pane_class *pc = dashboard_panes[v->selected];
		return pc->key ? pc->key(v, v->selected, ch) : 0;
	}
	int col = v->selected % 2, row = v->selected / 2;
	if (left)
		col = 0;
	else if (right)
		col = 1;
	else if (up)
		row = 0;
	else if (down)
		row = 1;
	else
		return 0;
	v->selected = row * 2 + col;
	return UI_HANDLED | UI_REDRAW;
}
