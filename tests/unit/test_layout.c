/* Unit tests for the dashboard layout at the sizes operators use, the minimum and below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hsr/layout.h"

/* Assert a rectangle's four numbers. */
static void assert_rect(layout_rect r, int y, int x, int h, int w)
{
	if (r.y != y || r.x != x || r.h != h || r.w != w)
		fail_msg("rect {y=%d x=%d h=%d w=%d}, expected {y=%d x=%d h=%d w=%d}", r.y, r.x,
			 r.h, r.w, y, x, h, w);
}

/* Every cell of the screen is covered by exactly one of banner, panes and status. */
static void assert_tiles(const layout *l)
{
	int cols = l->cols, lines = l->lines;
	unsigned char *cover = calloc((size_t)cols * (size_t)lines, 1);
	assert_non_null(cover);
	const layout_rect *parts[3 + LAYOUT_PANES];
	int n = 0;
	parts[n++] = &l->banner;
	parts[n++] = &l->status;
	if (l->notice.h > 0)
		parts[n++] = &l->notice;
	for (int i = 0; i < LAYOUT_PANES; i++)
		parts[n++] = &l->pane[i];
	for (int p = 0; p < n; p++) {
		assert_true(layout_rect_inside(parts[p], cols, lines));
		for (int y = parts[p]->y; y < parts[p]->y + parts[p]->h; y++)
			for (int x = parts[p]->x; x < parts[p]->x + parts[p]->w; x++)
				cover[y * cols + x]++;
	}
	for (int i = 0; i < cols * lines; i++)
		if (cover[i] != 1)
			fail_msg("%dx%d: cell (%d,%d) covered %d times", cols, lines, i % cols,
				 i / cols, cover[i]);
	free(cover);
	/* The body is exactly the panes' union: between banner and status, full width. */
	assert_int_equal(l->body.y, l->banner.h + l->notice.h);
	assert_int_equal(l->body.h, lines - l->banner.h - l->notice.h - l->status.h);
	assert_int_equal(l->body.w, cols);
	for (int i = 0; i < LAYOUT_PANES; i++) {
		assert_true(l->pane[i].w >= LAYOUT_PANE_MIN_W);
		assert_true(l->pane[i].h >= LAYOUT_PANE_MIN_H);
	}
}

/* The classic terminal: one banner line, panes of 40 columns, 11 and 10 rows, big digits. */
static void test_80x24(void **state)
{
	(void)state;
	layout l;
	layout_compute(80, 24, false, &l);
	assert_true(l.fits);
	/* Two banner lines from 24 rows: the leaf, then its first step. */
	assert_rect(l.banner, 0, 0, 2, 80);
	assert_rect(l.status, 22, 0, 2, 80);
	assert_rect(l.body, 2, 0, 20, 80);
	assert_rect(l.pane[LAYOUT_PANE_STATUS], 2, 0, 10, 40);
	assert_rect(l.pane[LAYOUT_PANE_API], 2, 40, 10, 40);
	assert_rect(l.pane[LAYOUT_PANE_RATE], 12, 0, 10, 40);
	assert_rect(l.pane[LAYOUT_PANE_HEALTH], 12, 40, 10, 40);
	assert_true(l.big_code);
	assert_tiles(&l);
}

/* A big screen: a two-line banner (title and summary) and tall panes. */
static void test_120x40(void **state)
{
	(void)state;
	layout l;
	layout_compute(120, 40, false, &l);
	assert_true(l.fits);
	assert_rect(l.banner, 0, 0, 2, 120);
	assert_rect(l.status, 38, 0, 2, 120);
	assert_rect(l.pane[LAYOUT_PANE_STATUS], 2, 0, 18, 60);
	assert_rect(l.pane[LAYOUT_PANE_API], 2, 60, 18, 60);
	assert_rect(l.pane[LAYOUT_PANE_RATE], 20, 0, 18, 60);
	assert_rect(l.pane[LAYOUT_PANE_HEALTH], 20, 60, 18, 60);
	assert_true(l.big_code);
	assert_tiles(&l);
}

/* Exactly the minimum still fits every pane, without the big digits. */
static void test_minimum(void **state)
{
	(void)state;
	layout l;
	layout_compute(LAYOUT_MIN_COLS, LAYOUT_MIN_LINES, false, &l);
	assert_true(l.fits);
	assert_rect(l.pane[LAYOUT_PANE_STATUS], 1, 0, 7, 30);
	assert_rect(l.pane[LAYOUT_PANE_HEALTH], 8, 30, 6, 30);
	assert_false(l.big_code);
	assert_tiles(&l);
}

/* One short in either direction does not fit, and says what is needed. */
static void test_below_minimum(void **state)
{
	(void)state;
	const int sizes[][2] = {{59, 24}, {80, 15}, {59, 15}, {1, 1}, {0, 0}, {-5, 40}, {200, -1}};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		layout l;
		memset(&l, 0xa5, sizeof l);
		layout_compute(sizes[i][0], sizes[i][1], false, &l);
		assert_false(l.fits);
		assert_int_equal(l.cols, sizes[i][0]);
		assert_int_equal(l.lines, sizes[i][1]);
		assert_int_equal(l.min_cols, LAYOUT_MIN_COLS);
		assert_int_equal(l.min_lines, LAYOUT_MIN_LINES);
		assert_false(l.big_code);
		assert_int_equal(l.pane[0].w, 0);
	}
}

/* Odd and extreme sizes still tile the screen exactly. */
static void test_sweep(void **state)
{
	(void)state;
	for (int cols = LAYOUT_MIN_COLS; cols <= 260; cols += 7)
		for (int lines = LAYOUT_MIN_LINES; lines <= 90; lines += 3) {
			layout l;
			layout_compute(cols, lines, false, &l);
			assert_true(l.fits);
			assert_tiles(&l);
			assert_int_equal(l.banner.h, lines >= LAYOUT_TALL_LINES ? 2 : 1);
		}
	/* Big digits come with room: 80x18 yes, 80x17 no (pane too short). */
	layout l;
	layout_compute(80, 18, false, &l);
	assert_true(l.big_code);
	layout_compute(80, 17, false, &l);
	assert_false(l.big_code);
	layout_compute(70, 24, false, &l);
	assert_true(l.big_code);
	layout_compute(68, 24, false, &l);
	assert_false(l.big_code);
}

/* The notice line (no token) sits under the banner, from the body, at every size. */
static void test_notice(void **state)
{
	(void)state;
	layout l;
	layout_compute(80, 24, true, &l);
	assert_true(l.fits);
	assert_rect(l.banner, 0, 0, 2, 80);
	assert_rect(l.notice, 2, 0, 1, 80);
	assert_rect(l.body, 3, 0, 19, 80);
	assert_rect(l.pane[LAYOUT_PANE_STATUS], 3, 0, 10, 40);
	assert_rect(l.pane[LAYOUT_PANE_HEALTH], 13, 40, 9, 40);
	assert_tiles(&l);
	layout_compute(120, 40, true, &l);
	assert_rect(l.notice, 2, 0, 1, 120);
	assert_tiles(&l);
	/* Without it, no notice rectangle at all. */
	layout_compute(80, 24, false, &l);
	assert_int_equal(l.notice.h, 0);
	for (int cols = LAYOUT_MIN_COLS; cols <= 200; cols += 13)
		for (int lines = LAYOUT_MIN_LINES; lines <= 60; lines += 5) {
			layout_compute(cols, lines, true, &l);
			assert_true(l.fits);
			assert_int_equal(l.notice.h, 1);
			assert_tiles(&l);
		}
}

/* The rectangle check itself. */
static void test_rect_inside(void **state)
{
	(void)state;
	layout_rect r = {.y = 0, .x = 0, .h = 24, .w = 80};
	assert_true(layout_rect_inside(&r, 80, 24));
	r.w = 81;
	assert_false(layout_rect_inside(&r, 80, 24));
	r.w = 0;
	assert_false(layout_rect_inside(&r, 80, 24));
	r = (layout_rect){.y = -1, .x = 0, .h = 1, .w = 1};
	assert_false(layout_rect_inside(&r, 80, 24));
}

/* An overlay's box: centred in the body, never larger than it, at every body size. */
static void test_centre(void **state)
{
	(void)state;
	layout_rect body = {.y = 1, .x = 0, .h = 21, .w = 80};
	layout_rect b = layout_centre(&body, 70, 11);
	assert_true(b.w == 70 && b.h == 11 && b.x == 5 && b.y == 6);
	for (int h = 1; h <= 40; h++)
		for (int w = 1; w <= 130; w += 3) {
			body = (layout_rect){.y = 2, .x = 0, .h = h, .w = w};
			b = layout_centre(&body, 60, 7);
			assert_true(b.w == (w < 60 ? w : 60) && b.h == (h < 7 ? h : 7));
			assert_true(b.y >= body.y && b.y + b.h <= body.y + body.h);
			assert_true(b.x >= body.x && b.x + b.w <= body.x + body.w);
			/* Centred: the margins differ by at most one. */
			int top = b.y - body.y, bottom = body.y + body.h - b.y - b.h;
			assert_true(bottom - top == 0 || bottom - top == 1);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_80x24),   cmocka_unit_test(test_120x40),
	    cmocka_unit_test(test_minimum), cmocka_unit_test(test_below_minimum),
	    cmocka_unit_test(test_sweep),   cmocka_unit_test(test_rect_inside),
	    cmocka_unit_test(test_notice),  cmocka_unit_test(test_centre),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
