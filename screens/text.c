/*
 * The shared text builder: what a pane or a screen says, built as lines first, then drawn (and
 * scrolled).
 */
#include "text.h"

#include <stdio.h>
#include <string.h>
#include <stdarg.h>

/* One buffer, reused by every pane: only the UI thread draws. */
static text_lines text_buf;

/* Start an empty list of lines for a pane width columns wide. */
text_lines *text_begin(int width, const ui_view *v, const pane_ctx *c)
{
	text_lines *b = &text_buf;
	b->n = 0;
	b->width = width;
	b->utf8 = v->utf8;
	b->zoomed = c && c->zoomed;
	return b;
}

/* Start a new line. */
void text_nl(text_lines *b)
{
	if (b->n < TEXT_LINES) {
		b->line[b->n].n = 0;
		b->line[b->n].item = -1;
		b->n++;
	}
}

/* Append text as it is (remote text never goes through a format). */
void text_put(text_lines *b, widget_role role, attr_t extra, const char *text)
{
	if (b->n == 0)
		text_nl(b);
	text_line *l = &b->line[b->n - 1];
	if (l->n >= TEXT_SEGS)
		return;
	text_seg *s = &l->seg[l->n++];
	s->role = role;
	s->extra = extra;
	s->strip = 0;
	/* A cut never splits a character (the screen would show '?'). */
	format_utf8_copy(s->text, sizeof s->text, text);
}

/* Append a formatted segment drawn in role (plus extra attributes) to the current line. */
__attribute__((format(printf, 4, 5))) void text_add(text_lines *b, widget_role role, attr_t extra,
						    const char *fmt, ...)
{
	char tmp[TEXT_COLS * 2];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	text_put(b, role, extra, tmp);
}

/* Byte length of the longest prefix of s that fits cols columns, preferring a break at a space. */
size_t text_wrap_cut(const char *s, int cols, bool utf8, bool fill)
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
	/* Filling: a blank right after the columns ends a whole line, and any blank will do. */
	if (fill && s[best] == ' ')
		return best;
	if (last_space > 0 && (fill || last_space > best / 2))
		return last_space;
	return best > 0 ? best : 1;
}

/* Columns of the first word of s (up to a blank). */
static int first_word_cols(const char *s, bool utf8)
{
	char w[TEXT_COLS];
	size_t n = strcspn(s, " ");
	if (n >= sizeof w)
		n = sizeof w - 1;
	memcpy(w, s, n);
	w[n] = '\0';
	return widget_cols(w, utf8);
}

/* Columns the current line already takes. */
int text_line_cols(const text_lines *b)
{
	if (b->n == 0)
		return 0;
	const text_line *l = &b->line[b->n - 1];
	int c = 0;
	for (int i = 0; i < l->n; i++)
		c += widget_cols(l->seg[i].text, b->utf8);
	return c;
}

/*
 * Word-wrap text over at most max_lines lines; the first goes on the current line when
 * here is true, the others start new lines indented by indent spaces.
 */
void text_wrap_at(text_lines *b, widget_role role, attr_t extra, const char *text, int indent,
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
		int room = b->width - text_line_cols(b);
		bool stay = k == 0 && here && b->n > 0 &&
			    (widget_cols(p, b->utf8) <= room ||
			     (widget_cols(p, b->utf8) > b->width - indent &&
			      first_word_cols(p, b->utf8) <= room));
		if (stay) {
			cols = room;
		} else {
			text_nl(b);
			if (indent > 0)
				text_add(b, ROLE_NORMAL, 0, "%*s", indent, "");
			cols = b->width - indent;
		}
		if (cols < 8)
			cols = 8;
		if (k == max_lines - 1) {
			text_put(b, role, extra, p); /* the renderer cuts it with an ellipsis */
			return;
		}
		size_t n = text_wrap_cut(p, cols, b->utf8, false);
		char part[TEXT_COLS];
		if (n >= sizeof part) {
			/* Back to the start of the character that would not fit whole. */
			n = sizeof part - 1;
			while (n > 1 && ((unsigned char)p[n] & 0xc0) == 0x80)
				n--;
		}
		memcpy(part, p, n);
		part[n] = '\0';
		text_put(b, role, extra, part);
		p += n;
	}
}

/* Word-wrap text over at most max_lines new lines, each starting with indent spaces. */
void text_wrap(text_lines *b, widget_role role, attr_t extra, const char *text, int indent,
	       int max_lines)
{
	text_wrap_at(b, role, extra, text, indent, max_lines, false);
}

/* Content columns of a pane window: one margin column, and a separator in the left column. */
int text_content_width(WINDOW *w)
{
	int h, wd, by, bx;
	getmaxyx(w, h, wd);
	getbegyx(w, by, bx);
	(void)h;
	(void)by;
	bool sep = bx == 0 && wd < COLS;
	return wd - 1 - (sep ? 2 : 0);
}

/* The first of n lines to show in rows rows: *scroll (NULL: 0) kept in range, and stored back. */
int text_first_row(int *scroll, int n, int rows)
{
	int first = scroll ? *scroll : 0;
	int max_first = n > rows ? n - rows : 0;
	if (first > max_first)
		first = max_first;
	if (first < 0)
		first = 0;
	if (scroll)
		*scroll = first;
	return first;
}

/* Draw line l's segments at row y from column 1, in cols columns; dimmed when stale. */
void text_draw_line(WINDOW *w, int y, int cols, const text_line *l, bool stale, bool utf8)
{
	int x = 1;
	for (int s = 0; s < l->n && x <= cols; s++) {
		attr_t a = (widget_attr(l->seg[s].role) & ~l->seg[s].strip) | l->seg[s].extra;
		if (stale)
			a = (a & ~(attr_t)A_BOLD) | A_DIM;
		x += widget_put(w, y, x, cols - (x - 1), l->seg[s].text, a, utf8);
	}
}

/* Draw the pane's title row, separator and lines (from its scroll offset). */
void text_render(WINDOW *w, ui_view *v, pane_ctx *c, const pane_class *pc, text_lines *b,
		 bool stale, const char *tag)
{
	int h, wd, by, bx;
	getmaxyx(w, h, wd);
	getbegyx(w, by, bx);
	bool sep = bx == 0 && wd < COLS;
	int cw = wd - 1 - (sep ? 2 : 0);
	werase(w);

	/* Title row: a rule with the name, and a tag on the right. */
	mvwhline(w, 0, 0, ACS_HLINE | widget_attr(ROLE_DIM), wd);
	bool selected = c && c->selected;
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
	int first = text_first_row(c ? &c->scroll : NULL, b->n, rows);
	bool more = b->n - first > rows;
	for (int r = 0; r < rows && first + r < b->n; r++) {
		if (more && r == rows - 1) {
			char m[96];
			snprintf(m, sizeof m, "+%d more line%s%s", b->n - first - r,
				 b->n - first - r == 1 ? "" : "s",
				 b->zoomed ? " (j/k scroll)" : " (Enter: zoom)");
			widget_put(w, 1 + r, 1, cw, m, widget_attr(ROLE_DIM), v->utf8);
			break;
		}
		text_draw_line(w, 1 + r, cw, &b->line[first + r], stale, v->utf8);
	}
}
