/* Where the dashboard's parts go for a given terminal size. Pure: plain numbers in and out. */
#ifndef HSR_LAYOUT_H
#define HSR_LAYOUT_H

#include "hsr/common.h"

/* Below this the dashboard shows a screen that says what size it needs. */
#define LAYOUT_MIN_COLS	 60
#define LAYOUT_MIN_LINES 16
/* Every pane (title row included) gets at least this much. */
#define LAYOUT_PANE_MIN_W 29
#define LAYOUT_PANE_MIN_H 6
/* From this height the banner gets a second line (the leaf's first step). */
#define LAYOUT_TALL_LINES 24
/* The bottom: probe ages, then key hints. */
#define LAYOUT_STATUS_LINES 2

typedef enum {
	LAYOUT_PANE_STATUS = 0, /* HubSpot's status page: top left */
	LAYOUT_PANE_API,	/* our API call: top right */
	LAYOUT_PANE_RATE,	/* rate limits: bottom left */
	LAYOUT_PANE_HEALTH,	/* our app's health: bottom right */
	LAYOUT_PANES
} layout_pane;

typedef struct {
	int y, x, h, w;
} layout_rect;

typedef struct {
	bool fits; /* false: too small, only cols/lines/min are meaningful */
	int cols, lines;
	int min_cols, min_lines;
	layout_rect banner;		/* diagnosis: one line, two on tall screens */
	layout_rect notice;		/* a line under the banner (no token); h 0 when none */
	layout_rect body;		/* between banner and status: help, zoom, other screens */
	layout_rect pane[LAYOUT_PANES]; /* the 2x2 grid inside body */
	layout_rect status;		/* probe ages and key hints */
	bool big_code;			/* the API pane has room for 3-line digits */
} layout;

/* Whether an API pane with this many content rows and columns shows the 3-line HTTP code. */
bool layout_big_code(int content_rows, int content_cols);
/*
 * Lay the dashboard out on a cols x lines terminal. notice: a line under the banner for a
 * standing notice (no token), taken from the body; the minimum size still fits.
 */
void layout_compute(int cols, int lines, bool notice, layout *out);
/* A box of at most w x h, centred in r and never larger than it (overlays). */
layout_rect layout_centre(const layout_rect *r, int w, int h);
/* Whether rect r lies inside a cols x lines screen and has a positive size. */
bool layout_rect_inside(const layout_rect *r, int cols, int lines);

#endif
