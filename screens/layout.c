/* Dashboard layout: banner on top, a 2x2 grid of panes, two status lines at the bottom. */
#include "hsr/layout.h"

#include <string.h>

/* Content rows and columns the API pane needs for the 3-line HTTP code beside its text. */
#define BIG_CODE_MIN_ROWS 7
#define BIG_CODE_MIN_COLS 34

/* A rectangle from its parts. */
static layout_rect rect(int y, int x, int h, int w)
{
	layout_rect r = {.y = y, .x = x, .h = h, .w = w};
	return r;
}

/* Compute every rectangle for a cols x lines terminal, with a notice line or not. */
void layout_compute(int cols, int lines, bool notice, layout *out)
{
	memset(out, 0, sizeof *out);
	out->cols = cols;
	out->lines = lines;
	out->min_cols = LAYOUT_MIN_COLS;
	out->min_lines = LAYOUT_MIN_LINES;
	if (cols < LAYOUT_MIN_COLS || lines < LAYOUT_MIN_LINES)
		return;
	out->fits = true;

	int banner_h = lines >= LAYOUT_TALL_LINES ? 2 : 1;
	out->banner = rect(0, 0, banner_h, cols);
	out->status = rect(lines - LAYOUT_STATUS_LINES, 0, LAYOUT_STATUS_LINES, cols);
	/* The notice (no token, ...) takes the line under the banner, from the body. */
	int notice_h = notice ? 1 : 0;
	if (notice)
		out->notice = rect(banner_h, 0, notice_h, cols);
	banner_h += notice_h;
	int body_h = lines - banner_h - LAYOUT_STATUS_LINES;
	out->body = rect(banner_h, 0, body_h, cols);

	int top_h = (body_h + 1) / 2;
	int bottom_h = body_h - top_h;
	int left_w = cols / 2;
	int right_w = cols - left_w;
	int y0 = banner_h;
	out->pane[LAYOUT_PANE_STATUS] = rect(y0, 0, top_h, left_w);
	out->pane[LAYOUT_PANE_API] = rect(y0, left_w, top_h, right_w);
	out->pane[LAYOUT_PANE_RATE] = rect(y0 + top_h, 0, bottom_h, left_w);
	out->pane[LAYOUT_PANE_HEALTH] = rect(y0 + top_h, left_w, bottom_h, right_w);

	const layout_rect *api = &out->pane[LAYOUT_PANE_API];
	/* One row is the pane's title, one column its margin. */
	out->big_code = layout_big_code(api->h - 1, api->w - 1);
}

/* Room for three rows of big digits plus the text beside them and below. */
bool layout_big_code(int content_rows, int content_cols)
{
	return content_rows >= BIG_CODE_MIN_ROWS && content_cols >= BIG_CODE_MIN_COLS;
}

/* Whether r is non-empty and within the screen. */
bool layout_rect_inside(const layout_rect *r, int cols, int lines)
{
	return r->h > 0 && r->w > 0 && r->y >= 0 && r->x >= 0 && r->y + r->h <= lines &&
	       r->x + r->w <= cols;
}

/* A box of at most w x h, centred in r and never larger than it. */
layout_rect layout_centre(const layout_rect *r, int w, int h)
{
	int bw = r->w < w ? r->w : w, bh = r->h < h ? r->h : h;
	return rect(r->y + (r->h - bh) / 2, r->x + (r->w - bw) / 2, bh, bw);
}
