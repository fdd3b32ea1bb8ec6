/*
 * The editing logic of a text field (one line or several): a buffer of wide characters, a
 * cursor, the editing keys, display widths (wcwidth) and the scrolling that keeps the cursor
 * in view. Pure: keys in, text and positions out, so unit tests need no terminal; the
 * curses side (screens/prompt.c) maps the terminal's keys and draws what this lays out.
 */
#ifndef HSR_TEXTFIELD_H
#define HSR_TEXTFIELD_H

#include "hsr/common.h"

#include <wchar.h>

/* Most characters a field holds (a note, a message line). */
#define TEXTFIELD_MAX 2000
/* Most rows a field shows at once. */
#define TEXTFIELD_ROWS 24

/* The keys a field knows besides characters (characters are their code points, >= 0). */
enum {
	TEXTFIELD_LEFT = -1,
	TEXTFIELD_RIGHT = -2,
	TEXTFIELD_UP = -3,
	TEXTFIELD_DOWN = -4,
	TEXTFIELD_HOME = -5,	  /* start of the line (also Ctrl-A) */
	TEXTFIELD_END = -6,	  /* end of the line (also Ctrl-E) */
	TEXTFIELD_BACKSPACE = -7, /* the character before the cursor */
	TEXTFIELD_DELETE = -8,	  /* the character under the cursor */
	TEXTFIELD_ENTER = -9,
	TEXTFIELD_ESC = -10,
	TEXTFIELD_KILL_START = -11, /* Ctrl-U: from the line's start to the cursor */
	TEXTFIELD_KILL_END = -12,   /* Ctrl-K: from the cursor to the line's end */
	TEXTFIELD_KILL_WORD = -13,  /* Ctrl-W: the word before the cursor */
	TEXTFIELD_DONE = -14,	    /* Ctrl-D: accept (the multi-line field's own key) */
};

/* What a key did. */
typedef enum {
	TEXTFIELD_IGNORED = 0, /* not a key the field uses (a control character, a full buffer) */
	TEXTFIELD_EDITED,      /* the text changed */
	TEXTFIELD_MOVED,       /* only the cursor moved (or nothing, at an edge) */
	TEXTFIELD_ACCEPTED,    /* Enter (one line), Ctrl-D or Enter on an empty last line */
	TEXTFIELD_CANCELLED,   /* Esc */
} textfield_result;

typedef struct {
	wchar_t text[TEXTFIELD_MAX + 1]; /* 0-terminated */
	int len;			 /* characters in text */
	int cur;			 /* the cursor: 0..len, before text[cur] */
	int max;			 /* characters allowed, <= TEXTFIELD_MAX */
	bool multi;			 /* several lines: Enter starts a new one */
	int goal_col;			 /* multi: the column Up/Down keep; -1 none */
	int left;			 /* one line: first character shown */
	int top;			 /* multi: first row shown */
} textfield;

/* What a field shows in a width x height window. */
typedef struct {
	int n_rows;		     /* rows used (<= height) */
	int start[TEXTFIELD_ROWS];   /* each row's first character */
	int count[TEXTFIELD_ROWS];   /* and how many characters it shows */
	int cursor_y, cursor_x;	     /* where the cursor goes, in the window */
	bool more_above, more_below; /* text scrolled out of view */
} textfield_view;

/* An empty field: one line or several, holding at most max characters (<= TEXTFIELD_MAX). */
void textfield_init(textfield *t, bool multi, int max);
/* Replace the text with UTF-8 s (cut at max; bad bytes become U+FFFD), cursor at the end. */
void textfield_set(textfield *t, const char *s);
/* The text as UTF-8 in out (cut at a character boundary to fit); returns its length. */
size_t textfield_get(const textfield *t, char *out, size_t outsz);
/* Apply one key: a character (code point >= 0) or a TEXTFIELD_* key. */
textfield_result textfield_key(textfield *t, int key);
/* Display columns of character c: 0 (combining), 1 or 2; unprintable ones count 1. */
int textfield_wcwidth(wchar_t c);
/*
 * Lay the field out in width x height cells (height 1 for one line): which characters each
 * row shows and where the cursor goes, scrolling (t->left, t->top) so the cursor is seen.
 */
void textfield_layout(textfield *t, int width, int height, textfield_view *out);

#endif
