/*
 * The text field's editing logic: wide characters, a cursor, the editing keys, and the
 * layout that keeps the cursor in view. No curses here (screens/prompt.c draws it).
 */
#include "hsr/textfield.h"

#include <string.h>
#include <wctype.h>

/* Display columns of character c: 0 (combining), 1 or 2; unprintable ones count 1. */
int textfield_wcwidth(wchar_t c)
{
	int w = wcwidth(c);
	return w < 0 ? 1 : w > 2 ? 2 : w;
}

/* Whether c is a mark drawn over the character before it (no cell of its own). */
static bool joins(wchar_t c)
{
	return c != L'\n' && textfield_wcwidth(c) == 0;
}

/* An empty field: one line or several, holding at most max characters. */
void textfield_init(textfield *t, bool multi, int max)
{
	memset(t, 0, sizeof *t);
	t->multi = multi;
	t->max = max > 0 && max <= TEXTFIELD_MAX ? max : TEXTFIELD_MAX;
	t->goal_col = -1;
}

/* Decode one UTF-8 character at s (n bytes left); bad bytes give U+FFFD. Returns bytes used. */
static int utf8_decode(const unsigned char *s, size_t n, wchar_t *out)
{
	static const unsigned min[4] = {0, 0x80, 0x800, 0x10000};
	int len = s[0] < 0x80			? 1
		  : s[0] >= 0xc2 && s[0] < 0xe0 ? 2
		  : s[0] >= 0xe0 && s[0] < 0xf0 ? 3
		  : s[0] >= 0xf0 && s[0] < 0xf5 ? 4
						: 0;
	if (len == 0 || (size_t)len > n) {
		*out = 0xfffd;
		return 1;
	}
	unsigned c = len == 1 ? s[0] : s[0] & (0x7fu >> len);
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*out = 0xfffd;
			return i;
		}
		c = (c << 6) | (s[i] & 0x3fu);
	}
	if (c < min[len - 1] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		c = 0xfffd;
	*out = (wchar_t)c;
	return len;
}

/* Encode c as UTF-8 into out (4 bytes room); returns bytes written. */
static int utf8_encode(wchar_t wc, char *out)
{
	unsigned c = (unsigned)wc;
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* Whether the field takes c as text: no control characters (a one-line field: no newline). */
static bool takes(const textfield *t, wchar_t c)
{
	if (c == L'\n')
		return t->multi;
	return c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0) && c <= 0x10ffff &&
	       !(c >= 0xd800 && c <= 0xdfff);
}

/* Replace the text with UTF-8 s (cut at max; bad bytes become U+FFFD), cursor at the end. */
void textfield_set(textfield *t, const char *s)
{
	t->len = 0;
	size_t n = s ? strlen(s) : 0;
	const unsigned char *p = (const unsigned char *)s;
	while (n > 0 && t->len < t->max) {
		wchar_t c;
		int used = utf8_decode(p, n, &c);
		p += used;
		n -= (size_t)used;
		if (c == L'\t' || (c == L'\n' && !t->multi))
			c = L' ';
		if (takes(t, c))
			t->text[t->len++] = c;
	}
	t->text[t->len] = 0;
	t->cur = t->len;
	t->left = t->top = 0;
	t->goal_col = -1;
}

/* The text as UTF-8 in out (cut at a character boundary to fit); returns its length. */
size_t textfield_get(const textfield *t, char *out, size_t outsz)
{
	size_t o = 0;
	if (outsz == 0)
		return 0;
	for (int i = 0; i < t->len; i++) {
		char b[4];
		int k = utf8_encode(t->text[i], b);
		if (o + (size_t)k >= outsz)
			break;
		memcpy(out + o, b, (size_t)k);
		o += (size_t)k;
	}
	out[o] = '\0';
	return o;
}

/* The start of the character (with its marks) before position i. */
static int prev_pos(const textfield *t, int i)
{
	int j = i - 1;
	while (j > 0 && joins(t->text[j]) && t->text[j - 1] != L'\n')
		j--;
	return j < 0 ? 0 : j;
}

/* The position after the character (with its marks) at i. */
static int next_pos(const textfield *t, int i)
{
	int j = i + 1;
	while (j < t->len && joins(t->text[j]))
		j++;
	return j > t->len ? t->len : j;
}

/* The start of the line holding position i. */
static int line_start(const textfield *t, int i)
{
	while (i > 0 && t->text[i - 1] != L'\n')
		i--;
	return i;
}

/* The end of the line holding position i (its newline, or the end of the text). */
static int line_end(const textfield *t, int i)
{
	while (i < t->len && t->text[i] != L'\n')
		i++;
	return i;
}

/* Display columns of the characters in [a, b). */
static int cols(const textfield *t, int a, int b)
{
	int c = 0;
	for (int i = a; i < b; i++)
		c += textfield_wcwidth(t->text[i]);
	return c;
}

/* Remove the characters in [a, b); the cursor goes to a. */
static textfield_result cut(textfield *t, int a, int b)
{
	if (a >= b)
		return TEXTFIELD_MOVED;
	memmove(t->text + a, t->text + b, (size_t)(t->len - b + 1) * sizeof t->text[0]);
	t->len -= b - a;
	t->cur = a;
	return TEXTFIELD_EDITED;
}

/* Put c before the cursor. */
static textfield_result insert(textfield *t, wchar_t c)
{
	if (!takes(t, c) || t->len >= t->max)
		return TEXTFIELD_IGNORED;
	memmove(t->text + t->cur + 1, t->text + t->cur,
		(size_t)(t->len - t->cur + 1) * sizeof t->text[0]);
	t->text[t->cur++] = c;
	t->len++;
	return TEXTFIELD_EDITED;
}

/* Up or Down: the same column (the one kept since the last other key) on the next line. */
static textfield_result vertical(textfield *t, bool down)
{
	if (!t->multi)
		return TEXTFIELD_IGNORED;
	int ls = line_start(t, t->cur);
	if (t->goal_col < 0)
		t->goal_col = cols(t, ls, t->cur);
	int target;
	if (down) {
		int le = line_end(t, t->cur);
		if (le >= t->len)
			return TEXTFIELD_MOVED;
		target = le + 1;
	} else {
		if (ls == 0)
			return TEXTFIELD_MOVED;
		target = line_start(t, ls - 1);
	}
	int end = line_end(t, target), i = target, x = 0;
	while (i < end && x + textfield_wcwidth(t->text[i]) <= t->goal_col) {
		x += textfield_wcwidth(t->text[i]);
		i = next_pos(t, i);
	}
	t->cur = i;
	return TEXTFIELD_MOVED;
}

/* Enter: accepts a one-line field; a multi-line one on an empty last line, else a newline. */
static textfield_result enter(textfield *t)
{
	if (!t->multi)
		return TEXTFIELD_ACCEPTED;
	if (t->cur == t->len && (t->len == 0 || t->text[t->len - 1] == L'\n')) {
		if (t->len > 0)
			t->text[--t->len] = 0;
		t->cur = t->len;
		return TEXTFIELD_ACCEPTED;
	}
	return insert(t, L'\n');
}

/* Ctrl-W: the blanks before the cursor, then the word before them. */
static textfield_result kill_word(textfield *t)
{
	int j = t->cur;
	while (j > 0 && iswspace((wint_t)t->text[j - 1]))
		j--;
	while (j > 0 && !iswspace((wint_t)t->text[j - 1]))
		j--;
	return cut(t, j, t->cur);
}

/* Ctrl-K: to the end of the line; at its end, the newline (the lines join). */
static textfield_result kill_end(textfield *t)
{
	int le = line_end(t, t->cur);
	if (le == t->cur && le < t->len)
		le++;
	return cut(t, t->cur, le);
}

/* The keys that move the cursor: TEXTFIELD_IGNORED when key is not one of them. */
static textfield_result move(textfield *t, int key)
{
	switch (key) {
	case TEXTFIELD_LEFT:
		t->cur = t->cur > 0 ? prev_pos(t, t->cur) : 0;
		return TEXTFIELD_MOVED;
	case TEXTFIELD_RIGHT:
		t->cur = t->cur < t->len ? next_pos(t, t->cur) : t->len;
		return TEXTFIELD_MOVED;
	case TEXTFIELD_HOME:
	case 1: /* Ctrl-A */
		t->cur = line_start(t, t->cur);
		return TEXTFIELD_MOVED;
	case TEXTFIELD_END:
	case 5: /* Ctrl-E */
		t->cur = line_end(t, t->cur);
		return TEXTFIELD_MOVED;
	default:
		return TEXTFIELD_IGNORED;
	}
}

/* Apply one key: a character (code point >= 0) or a TEXTFIELD_* key. */
textfield_result textfield_key(textfield *t, int key)
{
	if (key == TEXTFIELD_UP || key == TEXTFIELD_DOWN)
		return vertical(t, key == TEXTFIELD_DOWN);
	t->goal_col = -1;
	textfield_result r = move(t, key);
	if (r != TEXTFIELD_IGNORED)
		return r;
	switch (key) {
	case TEXTFIELD_BACKSPACE:
		return t->cur > 0 ? cut(t, prev_pos(t, t->cur), t->cur) : TEXTFIELD_MOVED;
	case TEXTFIELD_DELETE:
		return t->cur < t->len ? cut(t, t->cur, next_pos(t, t->cur)) : TEXTFIELD_MOVED;
	case TEXTFIELD_KILL_START:
	case 21: /* Ctrl-U */
		return cut(t, line_start(t, t->cur), t->cur);
	case TEXTFIELD_KILL_END:
	case 11: /* Ctrl-K */
		return kill_end(t);
	case TEXTFIELD_KILL_WORD:
	case 23: /* Ctrl-W */
		return kill_word(t);
	case TEXTFIELD_ENTER:
	case '\n':
	case '\r':
		return enter(t);
	case TEXTFIELD_DONE:
	case 4: /* Ctrl-D */
		return TEXTFIELD_ACCEPTED;
	case TEXTFIELD_ESC:
	case 27:
		return TEXTFIELD_CANCELLED;
	case '\t':
		return insert(t, L' ');
	default:
		return key >= 0 ? insert(t, (wchar_t)key) : TEXTFIELD_IGNORED;
	}
}

/* One line in width columns: scroll sideways so the cursor (and a cell for it) shows. */
static void layout_line(textfield *t, int width, textfield_view *out)
{
	if (t->left > t->cur)
		t->left = t->cur;
	while (t->left < t->cur && cols(t, t->left, t->cur) + 1 > width)
		t->left = next_pos(t, t->left);
	/* Text deleted at the end: take columns back from the left while everything fits. */
	while (t->left > 0 && cols(t, prev_pos(t, t->left), t->len) + 1 <= width)
		t->left = prev_pos(t, t->left);
	int i = t->left, x = 0;
	while (i < t->len && x + textfield_wcwidth(t->text[i]) <= width) {
		x += textfield_wcwidth(t->text[i]);
		i++;
	}
	/* Marks that belong to the last character shown come with it. */
	while (i < t->len && joins(t->text[i]))
		i++;
	out->n_rows = 1;
	out->start[0] = t->left;
	out->count[0] = i - t->left;
	out->cursor_y = 0;
	out->cursor_x = cols(t, t->left, t->cur);
	out->more_above = t->left > 0;
	out->more_below = i < t->len;
}

/* Where the walk over the rows is. */
typedef struct {
	int rows;     /* rows in all */
	int cy, cx;   /* the cursor's row (from the first) and column */
	int first, n; /* record rows first..first+n-1 into the view */
} walk;

/* Note row (from s, k characters) in the view when it is one of those shown. */
static void walk_row(walk *w, textfield_view *out, int row, int s, int k)
{
	int r = row - w->first;
	if (r >= 0 && r < w->n && r < TEXTFIELD_ROWS) {
		out->start[r] = s;
		out->count[r] = k;
		if (r + 1 > out->n_rows)
			out->n_rows = r + 1;
	}
}

/* Wrap the text into rows of width columns (newlines end rows), finding the cursor. */
static void walk_rows(const textfield *t, int width, walk *w, textfield_view *out)
{
	int row = 0, i = 0;
	w->cy = -1;
	out->n_rows = 0;
	for (;;) {
		int s = i, x = 0;
		while (i < t->len && t->text[i] != L'\n') {
			int cw = textfield_wcwidth(t->text[i]);
			if (x + cw > width && i > s && cw > 0)
				break;
			if (i == t->cur && w->cy < 0) {
				w->cy = row;
				w->cx = x;
			}
			x += cw;
			i++;
		}
		walk_row(w, out, row, s, i - s);
		bool nl = i < t->len && t->text[i] == L'\n';
		if (i == t->cur && w->cy < 0 && (nl || i == t->len)) {
			/* A full row: the cursor starts the next one. */
			w->cy = x >= width ? row + 1 : row;
			w->cx = x >= width ? 0 : x;
		}
		if (nl) {
			i++;
			row++;
			continue;
		}
		if (i >= t->len)
			break;
		row++;
	}
	w->rows = row + 1;
	if (w->cy > row) {
		w->rows = w->cy + 1;
		walk_row(w, out, w->cy, t->len, 0);
	}
}

/*
 * Lay the field out in width x height cells (height 1 for one line): which characters each
 * row shows and where the cursor goes, scrolling (t->left, t->top) so the cursor is seen.
 */
void textfield_layout(textfield *t, int width, int height, textfield_view *out)
{
	memset(out, 0, sizeof *out);
	if (width < 1)
		width = 1;
	if (height < 1)
		height = 1;
	if (height > TEXTFIELD_ROWS)
		height = TEXTFIELD_ROWS;
	if (!t->multi) {
		layout_line(t, width, out);
		return;
	}
	walk w = {.first = 0, .n = 0};
	walk_rows(t, width, &w, out);
	if (w.cy < t->top)
		t->top = w.cy;
	if (w.cy >= t->top + height)
		t->top = w.cy - height + 1;
	if (t->top > w.rows - height)
		t->top = w.rows - height;
	if (t->top < 0)
		t->top = 0;
	w.first = t->top;
	w.n = height;
	walk_rows(t, width, &w, out);
	out->cursor_y = w.cy - t->top;
	out->cursor_x = w.cx;
	out->more_above = t->top > 0;
	out->more_below = t->top + height < w.rows;
}
