/*
 * The shared text builder: what a pane or a screen says is first built as lines of
 * segments (each in a colour role), word-wrapped to the width, then drawn and scrolled.
 * Every screen and the help use it.
 */
#ifndef HSR_SCREENS_TEXT_H
#define HSR_SCREENS_TEXT_H

#include "screens.h"

/* Lines at most: the walker's path and checklist take the most. */
#define TEXT_LINES 400
#define TEXT_SEGS  6
#define TEXT_COLS  200

typedef struct {
	widget_role role;
	attr_t extra; /* added to the role's attributes */
	attr_t strip; /* taken from them */
	char text[TEXT_COLS];
} text_seg;

typedef struct {
	int n;
	int item; /* what it belongs to, for a screen with a cursor (the walker); -1: nothing */
	text_seg seg[TEXT_SEGS];
} text_line;

typedef struct {
	int n;
	int width; /* content columns */
	bool utf8;
	bool zoomed;
	text_line line[TEXT_LINES];
} text_lines;

/* Start an empty list of lines, width columns wide, for a pane placed at c (one buffer). */
text_lines *text_begin(int width, const ui_view *v, const pane_ctx *c);
/* Start a new line. */
void text_nl(text_lines *b);
/* Append a formatted segment drawn in role (plus extra attributes) to the current line. */
__attribute__((format(printf, 4, 5))) void text_add(text_lines *b, widget_role role, attr_t extra,
						    const char *fmt, ...);
/* Append text as it is (remote text never goes through a format). */
void text_put(text_lines *b, widget_role role, attr_t extra, const char *text);
/*
 * Byte length of the longest prefix of s that fits cols columns, preferring a break at a
 * blank. fill: any blank will do, and one right after the columns ends a full line (the
 * help); else only a blank past half the line (the panes).
 */
size_t text_wrap_cut(const char *s, int cols, bool utf8, bool fill);
/* Columns the current line already takes. */
int text_line_cols(const text_lines *b);
/*
 * Word-wrap text over at most max_lines lines; the first goes on the current line when
 * here is true, the others start new lines indented by indent spaces.
 */
void text_wrap_at(text_lines *b, widget_role role, attr_t extra, const char *text, int indent,
		  int max_lines, bool here);
/* Word-wrap text over at most max_lines new lines, each starting with indent spaces. */
void text_wrap(text_lines *b, widget_role role, attr_t extra, const char *text, int indent,
	       int max_lines);
/* Content columns of a pane window: one margin column, and a separator in the left column. */
int text_content_width(WINDOW *w);
/* The first of n lines to show in rows rows: *scroll (NULL: 0) kept in range, and stored back. */
int text_first_row(int *scroll, int n, int rows);
/* Draw line l's segments at row y from column 1, in cols columns; dimmed when stale. */
void text_draw_line(WINDOW *w, int y, int cols, const text_line *l, bool stale, bool utf8);
/* Draw a pane's title row, separator and lines (from its scroll offset). */
void text_render(WINDOW *w, ui_view *v, pane_ctx *c, const pane_class *pc, text_lines *b,
		 bool stale, const char *tag);

#endif
