/*
 * Shared widgets: gauge and sparkline maths and text, ages and counts, big digits, text that
 * fits, severity glyphs, and the colour-role scheme table with the curses calls that use it.
 */
#include "screens.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

/* 3x5 pixel font for the big characters, one 3-bit row per entry (bit 2 = left column). */
static const unsigned char big_font[12][5] = {
    {7, 5, 5, 5, 7}, /* 0 */
    {2, 6, 2, 2, 7}, /* 1 */
    {7, 1, 7, 4, 7}, /* 2 */
    {7, 1, 7, 1, 7}, /* 3 */
    {5, 5, 7, 1, 1}, /* 4 */
    {7, 4, 7, 1, 7}, /* 5 */
    {7, 4, 7, 5, 7}, /* 6 */
    {7, 1, 1, 1, 1}, /* 7 */
    {7, 5, 7, 5, 7}, /* 8 */
    {7, 5, 7, 1, 7}, /* 9 */
    {0, 0, 7, 0, 0}, /* - */
    {0, 0, 0, 0, 0}, /* blank */
};

/* The same characters as ASCII seven-segment rows. */
static const char *const big_ascii[12][3] = {
    {" _ ", "| |", "|_|"}, {"   ", "  |", "  |"}, {" _ ", " _|", "|_ "}, {" _ ", " _|", " _|"},
    {"   ", "|_|", "  |"}, {" _ ", "|_ ", " _|"}, {" _ ", "|_ ", "|_|"}, {" _ ", "  |", "  |"},
    {" _ ", "|_|", "|_|"}, {" _ ", "|_|", " _|"}, {"   ", " _ ", "   "}, {"   ", "   ", "   "},
};

/* Eighth blocks for a gauge's partial cell, index 1..7. */
static const char *const gauge_partial[8] = {"",       "\u258f", "\u258e", "\u258d",
					     "\u258c", "\u258b", "\u258a", "\u2589"};
/* Sparkline ramps, lowest first. */
static const char *const spark_utf8[WIDGET_SPARK_LEVELS] = {"\u2581", "\u2582", "\u2583", "\u2584",
							    "\u2585", "\u2586", "\u2587", "\u2588"};
static const char spark_ascii[WIDGET_SPARK_LEVELS + 1] = "._-=+*#@";

/* Append text to out (bounded), keeping it terminated; returns false once it did not fit. */
static bool append(char *out, size_t outsz, size_t *len, const char *text)
{
	size_t n = strlen(text);
	if (*len + n + 1 > outsz)
		return false;
	memcpy(out + *len, text, n + 1);
	*len += n;
	return true;
}

/* Gauge cells for value out of max in width cells. */
widget_gauge_cells widget_gauge(opt_int value, opt_int max, int width)
{
	widget_gauge_cells g = {0};
	if (width < 0)
		width = 0;
	if (width > WIDGET_GAUGE_MAX_WIDTH)
		width = WIDGET_GAUGE_MAX_WIDTH;
	g.empty = width;
	if (!value.known || !max.known || value.v < 0 || max.v <= 0)
		return g;
	g.known = true;
	if (width == 0) {
		g.over = value.v > max.v;
		return g;
	}
	long long total = (long long)width * 8;
	long long e;
	if (value.v >= max.v) {
		g.over = value.v > max.v;
		e = total;
	} else {
		/* Exact: value * total fits easily in 128 bits. */
		e = (long long)(((unsigned __int128)value.v * (unsigned __int128)total) /
				(unsigned __int128)max.v);
		if (value.v > 0 && e == 0)
			e = 1;
		if (e >= total)
			e = total - 1;
	}
	g.full = (int)(e / 8);
	g.eighths = (int)(e % 8);
	g.empty = width - g.full - (g.eighths > 0);
	return g;
}

/* Render gauge cells as text. */
void widget_gauge_text(char *out, size_t outsz, const widget_gauge_cells *g, bool utf8)
{
	size_t len = 0;
	if (outsz == 0)
		return;
	out[0] = '\0';
	if (!g->known)
		return;
	for (int i = 0; i < g->full; i++)
		if (!append(out, outsz, &len, utf8 ? "\u2588" : "#"))
			return;
	if (g->eighths > 0 && !append(out, outsz, &len,
				      utf8		? gauge_partial[g->eighths]
				      : g->eighths >= 4 ? "="
							: "-"))
		return;
	for (int i = 0; i < g->empty; i++)
		if (!append(out, outsz, &len, utf8 ? "\u2591" : "."))
			return;
}

/* Sparkline levels for the newest samples, min/max scaled. */
int widget_spark(const long *samples, int n, int width, int levels, int *out)
{
	if (!samples || n <= 0 || width <= 0)
		return 0;
	if (levels < 1)
		levels = 1;
	int m = n < width ? n : width;
	const long *s = samples + (n - m);
	long lo = LONG_MAX, hi = LONG_MIN;
	for (int i = 0; i < m; i++) {
		if (s[i] < 0)
			continue;
		if (s[i] < lo)
			lo = s[i];
		if (s[i] > hi)
			hi = s[i];
	}
	for (int i = 0; i < m; i++) {
		if (s[i] < 0) {
			out[i] = -1;
		} else if (hi == lo) {
			out[i] = (levels - 1) / 2;
		} else {
			double f = ((double)s[i] - (double)lo) / ((double)hi - (double)lo);
			int l = (int)(f * (levels - 1) + 0.5);
			out[i] = l < 0 ? 0 : l > levels - 1 ? levels - 1 : l;
		}
	}
	return m;
}

/* Render sparkline levels as text. */
void widget_spark_text(char *out, size_t outsz, const int *levels, int n, bool utf8)
{
	size_t len = 0;
	if (outsz == 0)
		return;
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		int l = levels[i];
		char one[2] = {' ', '\0'};
		const char *g = one;
		if (l >= 0) {
			if (l >= WIDGET_SPARK_LEVELS)
				l = WIDGET_SPARK_LEVELS - 1;
			if (utf8) {
				g = spark_utf8[l];
			} else {
				one[0] = spark_ascii[l];
			}
		}
		if (!append(out, outsz, &len, g))
			return;
	}
}

/* Decode one UTF-8 character at s: its length in bytes, and the code point or -1. */
static int utf8_next(const unsigned char *s, long *cp)
{
	unsigned c = s[0];
	int len;
	long v;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		len = 2;
		v = c & 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3;
		v = c & 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4;
		v = c & 0x07;
	} else {
		*cp = -1;
		return 1;
	}
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = -1;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3f);
	}
	*cp = v;
	return len;
}

/* Columns one code point takes (invalid or unprintable ones count as one). */
static int cp_cols(long cp)
{
	if (cp < 0)
		return 1;
	int w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

/* Display width of s. */
int widget_cols(const char *s, bool utf8)
{
	int cols = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		long cp;
		int n = utf8_next(p, &cp);
		cols += utf8 ? cp_cols(cp) : 1;
		p += n;
	}
	return cols;
}

/* Copy s into out cut to cols columns, with an ellipsis when cut. */
int widget_fit(char *out, size_t outsz, const char *s, int cols, bool utf8)
{
	if (outsz == 0)
		return 0;
	out[0] = '\0';
	if (!s || cols <= 0)
		return 0;
	const char *ell = utf8 ? "\u2026" : "...";
	int ell_cols = utf8 ? 1 : 3;
	int total = widget_cols(s, utf8);
	int budget = cols;
	bool cut = total > cols;
	if (cut && cols > ell_cols) {
		budget = cols - ell_cols;
	} else if (cut) {
		/* Too narrow for a character and the ellipsis: the ellipsis alone, shortened to
		 * the room, so a cut still ends with it ("..", "."). */
		budget = 0;
		ell_cols = cols;
		ell = utf8 ? "\u2026" : cols == 1 ? "." : cols == 2 ? ".." : "...";
	}

	size_t len = 0;
	int used = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		long cp;
		int n = utf8_next(p, &cp);
		int w = utf8 ? cp_cols(cp) : 1;
		if (used + w > budget)
			break;
		if (utf8 && cp >= 0) {
			if (len + (size_t)n + 1 > outsz)
				break;
			memcpy(out + len, p, (size_t)n);
			len += (size_t)n;
		} else {
			if (len + 2 > outsz)
				break;
			out[len++] = (cp >= 0 && cp < 0x80) ? (char)cp : '?';
		}
		used += w;
		p += n;
	}
	out[len] = '\0';
	if (cut && *ell) {
		while (len > 0 && out[len - 1] == ' ') {
			out[--len] = '\0';
			used--;
		}
		if (append(out, outsz, &len, ell))
			used += ell_cols;
	}
	return used;
}

/* The first of n forms (longest first) that fits cols columns, else the last. */
int widget_pick(const char *const *forms, int n, int cols, bool utf8)
{
	for (int i = 0; i < n; i++)
		if (forms[i] && widget_cols(forms[i], utf8) <= cols)
			return i;
	return n > 0 ? n - 1 : 0;
}

/* Columns the left text may use beside a right text with a gap: all of them when the right
 * text does not fit as well. */
int widget_share(int width, int left_cols, int right_cols, int gap, bool *right_shown)
{
	*right_shown = false;
	if (width <= 0)
		return 0;
	if (right_cols > 0 && left_cols + gap + right_cols <= width) {
		*right_shown = true;
		return width - gap - right_cols;
	}
	return width;
}

/* Index of c in the big font. */
static int big_index(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c == ' ')
		return 11;
	return 10;
}

/* One row of text in big characters. */
void widget_big_row(char *out, size_t outsz, const char *text, int row, bool utf8)
{
	size_t len = 0;
	if (outsz == 0)
		return;
	out[0] = '\0';
	if (row < 0 || row > 2 || !text)
		return;
	for (const char *c = text; *c; c++) {
		if (c != text && !append(out, outsz, &len, " "))
			return;
		int gi = big_index(*c);
		if (!utf8) {
			if (!append(out, outsz, &len, big_ascii[gi][row]))
				return;
			continue;
		}
		unsigned top = big_font[gi][row * 2];
		unsigned bottom = row * 2 + 1 < 5 ? big_font[gi][row * 2 + 1] : 0;
		for (int col = 2; col >= 0; col--) {
			bool t = (top >> col) & 1, b = (bottom >> col) & 1;
			const char *cell = t && b ? "\u2588" : t ? "\u2580" : b ? "\u2584" : " ";
			if (!append(out, outsz, &len, cell))
				return;
		}
	}
}

/* Width of text in big characters. */
int widget_big_cols(const char *text)
{
	int n = text ? (int)strlen(text) : 0;
	return n > 0 ? n * 4 - 1 : 0;
}

/* A glyph per severity. */
const char *widget_sev_glyph(widget_sev s, bool utf8)
{
	switch (s) {
	case SEV_OK:
		return utf8 ? "\u2714" : "+";
	case SEV_WARN:
		return utf8 ? "\u25b2" : "!";
	case SEV_CRIT:
		return utf8 ? "\u2716" : "X";
	default:
		return "?";
	}
}

/* The role that draws a severity. */
widget_role widget_sev_role(widget_sev s)
{
	switch (s) {
	case SEV_OK:
		return ROLE_OK;
	case SEV_WARN:
		return ROLE_WARN;
	case SEV_CRIT:
		return ROLE_CRIT;
	default:
		return ROLE_UNKNOWN;
	}
}

/* Role names, in enum order. */
static const char *const role_names[ROLE_COUNT] = {
    "normal", "ok", "warn", "crit", "stale", "unknown", "selected", "title", "dim",
};

/* A role's name. */
const char *widget_role_name(widget_role r)
{
	return r >= 0 && r < ROLE_COUNT ? role_names[r] : "normal";
}

/* ---- curses side ------------------------------------------------------------------------ */

/* How a role looks in one scheme: a foreground colour (-1 = terminal default) and attributes. */
typedef struct {
	short fg;
	attr_t attr;
} role_style;

enum { SCHEME_COLOR = 0, SCHEME_MONO = 1 };

/* The one table of looks: colour scheme and monochrome scheme, per role. */
static const role_style schemes[2][ROLE_COUNT] = {
    [SCHEME_COLOR] =
	{
	    [ROLE_NORMAL] = {-1, A_NORMAL},
	    [ROLE_OK] = {COLOR_GREEN, A_BOLD},
	    [ROLE_WARN] = {COLOR_YELLOW, A_BOLD},
	    [ROLE_CRIT] = {COLOR_RED, A_BOLD},
	    [ROLE_STALE] = {-1, A_DIM},
	    [ROLE_UNKNOWN] = {COLOR_MAGENTA, A_NORMAL},
	    [ROLE_SELECTED] = {COLOR_CYAN, A_REVERSE | A_BOLD},
	    [ROLE_TITLE] = {COLOR_CYAN, A_BOLD},
	    [ROLE_DIM] = {-1, A_DIM},
	},
    [SCHEME_MONO] =
	{
	    [ROLE_NORMAL] = {-1, A_NORMAL},
	    [ROLE_OK] = {-1, A_BOLD},
	    [ROLE_WARN] = {-1, A_BOLD | A_UNDERLINE},
	    [ROLE_CRIT] = {-1, A_BOLD | A_REVERSE},
	    [ROLE_STALE] = {-1, A_DIM},
	    [ROLE_UNKNOWN] = {-1, A_NORMAL},
	    [ROLE_SELECTED] = {-1, A_REVERSE},
	    [ROLE_TITLE] = {-1, A_BOLD},
	    [ROLE_DIM] = {-1, A_DIM},
	},
};

static int scheme_in_use = SCHEME_MONO;

/* Pick the scheme and set up colour pairs on the terminal's default background. */
void widget_colors_init(bool color)
{
	scheme_in_use = SCHEME_MONO;
	if (!color || !has_colors() || start_color() == ERR)
		return;
	short bg = use_default_colors() == OK ? -1 : COLOR_BLACK;
	for (int r = 0; r < ROLE_COUNT; r++) {
		short fg = schemes[SCHEME_COLOR][r].fg;
		if (fg < 0 && bg < 0)
			continue;
		init_pair((short)(r + 1), fg < 0 ? COLOR_WHITE : fg, bg);
	}
	scheme_in_use = SCHEME_COLOR;
}

/* Whether colours are in use (false: the monochrome scheme). */
bool widget_color_on(void)
{
	return scheme_in_use == SCHEME_COLOR;
}

/* The curses attributes that draw role r in the scheme in use. */
attr_t widget_attr(widget_role r)
{
	if (r < 0 || r >= ROLE_COUNT)
		r = ROLE_NORMAL;
	const role_style *st = &schemes[scheme_in_use][r];
	attr_t a = st->attr;
	if (scheme_in_use == SCHEME_COLOR && st->fg >= 0)
		a |= COLOR_PAIR(r + 1);
	return a;
}

/* Draw s at (y, x) in at most cols columns with attributes a; returns the columns drawn. */
int widget_put(WINDOW *w, int y, int x, int cols, const char *s, attr_t a, bool utf8)
{
	char buf[1024];
	int used = widget_fit(buf, sizeof buf, s, cols, utf8);
	if (used <= 0)
		return 0;
	wattrset(w, a);
	mvwaddstr(w, y, x, buf);
	wattrset(w, A_NORMAL);
	return used;
}

/* Fill n columns from (y, x) with blanks drawn with attributes a. */
void widget_fill(WINDOW *w, int y, int x, int n, attr_t a)
{
	if (n <= 0)
		return;
	mvwhline(w, y, x, (chtype)' ' | a, n);
}

/* Scroll an offset (the help, a zoomed pane) with j/k, arrows, PgUp/PgDn/space, Home/g. */
int widget_scroll_key(int *s, int ch)
{
	if (!s)
		return 0;
	switch (ch) {
	case KEY_UP:
	case 'k':
		(*s)--;
		break;
	case KEY_DOWN:
	case 'j':
		(*s)++;
		break;
	case KEY_PPAGE:
		*s -= 10;
		break;
	case KEY_NPAGE:
	case ' ':
		*s += 10;
		break;
	case KEY_HOME:
	case 'g':
		*s = 0;
		break;
	default:
		return 0;
	}
	if (*s < 0)
		*s = 0;
	return UI_HANDLED | UI_REDRAW;
}
