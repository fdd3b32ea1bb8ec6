/* Unit tests for the widget maths: gauges, sparklines, ages, counts, fitting, big digits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <locale.h>

#include <cmocka.h>

#include "hsr/widget.h"

/* Assert the cells of a gauge. */
static void assert_cells(widget_gauge_cells g, bool known, bool over, int full, int eighths,
			 int empty)
{
	assert_int_equal(g.known, known);
	assert_int_equal(g.over, over);
	assert_int_equal(g.full, full);
	assert_int_equal(g.eighths, eighths);
	assert_int_equal(g.empty, empty);
}

/* Empty, full, over-full, half, and the edges just inside them. */
static void test_gauge_cells(void **state)
{
	(void)state;
	assert_cells(widget_gauge(OPT_OF(0), OPT_OF(190), 10), true, false, 0, 0, 10);
	assert_cells(widget_gauge(OPT_OF(190), OPT_OF(190), 10), true, false, 10, 0, 0);
	assert_cells(widget_gauge(OPT_OF(400), OPT_OF(190), 10), true, true, 10, 0, 0);
	assert_cells(widget_gauge(OPT_OF(95), OPT_OF(190), 10), true, false, 5, 0, 5);
	/* 187 of 190 in 16 cells is 125.97 eighths: 15 full and 5/8. */
	assert_cells(widget_gauge(OPT_OF(187), OPT_OF(190), 16), true, false, 15, 5, 0);
	/* One call left of 250,000 is not empty; one call short of the max is not full. */
	assert_cells(widget_gauge(OPT_OF(1), OPT_OF(250000), 10), true, false, 0, 1, 9);
	assert_cells(widget_gauge(OPT_OF(249999), OPT_OF(250000), 10), true, false, 9, 7, 0);
	/* 431,000 of 500,000 in 20 cells: 137.92 eighths = 17 full + 1/8. */
	assert_cells(widget_gauge(OPT_OF(431000), OPT_OF(500000), 20), true, false, 17, 1, 2);
	/* A one-cell gauge. */
	assert_cells(widget_gauge(OPT_OF(1), OPT_OF(2), 1), true, false, 0, 4, 0);
	/* Width 0 and negative widths draw nothing but keep the facts. */
	assert_cells(widget_gauge(OPT_OF(5), OPT_OF(2), 0), true, true, 0, 0, 0);
	assert_cells(widget_gauge(OPT_OF(1), OPT_OF(2), -3), true, false, 0, 0, 0);
	/* Huge numbers stay exact. */
	assert_cells(widget_gauge(OPT_OF(LLONG_MAX - 1), OPT_OF(LLONG_MAX), 10), true, false, 9, 7,
		     0);
	assert_cells(widget_gauge(OPT_OF(LLONG_MAX / 2), OPT_OF(LLONG_MAX), 10), true, false, 4, 7,
		     5);
}

/* Unknown is never drawn as zero. */
static void test_gauge_unknown(void **state)
{
	(void)state;
	assert_cells(widget_gauge(OPT_UNKNOWN, OPT_OF(190), 10), false, false, 0, 0, 10);
	assert_cells(widget_gauge(OPT_OF(3), OPT_UNKNOWN, 10), false, false, 0, 0, 10);
	assert_cells(widget_gauge(OPT_OF(0), OPT_OF(0), 10), false, false, 0, 0, 10);
	assert_cells(widget_gauge(OPT_OF(-1), OPT_OF(190), 10), false, false, 0, 0, 10);
	assert_cells(widget_gauge(OPT_OF(3), OPT_OF(-190), 10), false, false, 0, 0, 10);
	widget_gauge_cells g = widget_gauge(OPT_UNKNOWN, OPT_OF(190), 10);
	char buf[64] = "junk";
	widget_gauge_text(buf, sizeof buf, &g, true);
	assert_string_equal(buf, "");
}

/* Every split adds up to the width and grows with the value. */
static void test_gauge_invariants(void **state)
{
	(void)state;
	for (int width = 1; width <= 40; width += 3) {
		int prev = -1;
		for (long long v = 0; v <= 190; v++) {
			widget_gauge_cells g = widget_gauge(OPT_OF(v), OPT_OF(190), width);
			assert_true(g.known);
			assert_int_equal(g.full + (g.eighths > 0) + g.empty, width);
			assert_true(g.eighths >= 0 && g.eighths <= 7);
			int e = g.full * 8 + g.eighths;
			assert_true(e >= prev);
			prev = e;
			assert_true((v == 0) == (e == 0));
			assert_true((v == 190) == (e == width * 8));
		}
	}
}

/* Gauge text in both glyph sets. */
static void test_gauge_text(void **state)
{
	(void)state;
	char buf[128];
	widget_gauge_cells g = widget_gauge(OPT_OF(45), OPT_OF(100), 4); /* 14.4 eighths */
	widget_gauge_text(buf, sizeof buf, &g, true);
	assert_string_equal(buf, "\u2588\u258a\u2591\u2591");
	widget_gauge_text(buf, sizeof buf, &g, false);
	assert_string_equal(buf, "#=..");
	g = widget_gauge(OPT_OF(1), OPT_OF(100), 4);
	widget_gauge_text(buf, sizeof buf, &g, false);
	assert_string_equal(buf, "-...");
	g = widget_gauge(OPT_OF(300), OPT_OF(100), 3);
	widget_gauge_text(buf, sizeof buf, &g, true);
	assert_string_equal(buf, "\u2588\u2588\u2588");
	/* A buffer too small is cut at a whole glyph, never mid-character. */
	g = widget_gauge(OPT_OF(100), OPT_OF(100), 10);
	char small[8];
	widget_gauge_text(small, sizeof small, &g, true);
	assert_string_equal(small, "\u2588\u2588");
}

/* Sparkline scaling: spread, flat, one sample, gaps, window. */
static void test_spark(void **state)
{
	(void)state;
	int out[64];
	long rising[] = {100, 200, 300};
	assert_int_equal(widget_spark(rising, 3, 10, 8, out), 3);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 4); /* 3.5 rounds up */
	assert_int_equal(out[2], 7);

	long flat[] = {250, 250, 250, 250};
	assert_int_equal(widget_spark(flat, 4, 10, 8, out), 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(out[i], 3);

	long one[] = {4200};
	assert_int_equal(widget_spark(one, 1, 10, 8, out), 1);
	assert_int_equal(out[0], 3);

	/* A time-out spike dominates the scale; the rest sit low. */
	long spiky[] = {120, 130, 10000, 125};
	assert_int_equal(widget_spark(spiky, 4, 10, 8, out), 4);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[2], 7);
	assert_int_equal(out[3], 0);

	/* Only the newest width samples are shown and scaled among themselves. */
	long many[] = {9999, 9999, 10, 20, 30};
	assert_int_equal(widget_spark(many, 5, 3, 8, out), 3);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 4);
	assert_int_equal(out[2], 7);

	/* Missing samples. */
	long gaps[] = {-1, 50, -1, 150};
	assert_int_equal(widget_spark(gaps, 4, 10, 8, out), 4);
	assert_int_equal(out[0], -1);
	assert_int_equal(out[1], 0);
	assert_int_equal(out[2], -1);
	assert_int_equal(out[3], 7);
	long none[] = {-1, -1};
	assert_int_equal(widget_spark(none, 2, 10, 8, out), 2);
	assert_int_equal(out[0], -1);
	assert_int_equal(out[1], -1);

	/* Extremes do not overflow. */
	long ext[] = {0, LONG_MAX};
	assert_int_equal(widget_spark(ext, 2, 10, 8, out), 2);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 7);

	/* Nothing to draw. */
	assert_int_equal(widget_spark(rising, 0, 10, 8, out), 0);
	assert_int_equal(widget_spark(NULL, 3, 10, 8, out), 0);
	assert_int_equal(widget_spark(rising, 3, 0, 8, out), 0);
	/* Two levels only. */
	assert_int_equal(widget_spark(rising, 3, 10, 2, out), 3);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[2], 1);
}

/* Sparkline text in both glyph sets. */
static void test_spark_text(void **state)
{
	(void)state;
	int lv[] = {0, 3, -1, 7};
	char buf[64];
	widget_spark_text(buf, sizeof buf, lv, 4, true);
	assert_string_equal(buf, "\u2581\u2584 \u2588");
	widget_spark_text(buf, sizeof buf, lv, 4, false);
	assert_string_equal(buf, ".= @");
}

/* Ages move in steps that change rarely. */
static void test_age(void **state)
{
	(void)state;
	const int64_t now = 1710441000000LL;
	char buf[32];
	widget_age(buf, sizeof buf, 0, now);
	assert_string_equal(buf, "never");
	widget_age(buf, sizeof buf, now, now);
	assert_string_equal(buf, "just now");
	widget_age(buf, sizeof buf, now + 3000, now); /* the probe's clock ran ahead */
	assert_string_equal(buf, "just now");
	widget_age(buf, sizeof buf, now - 9999, now);
	assert_string_equal(buf, "just now");
	widget_age(buf, sizeof buf, now - 12000, now);
	assert_string_equal(buf, "10 s ago");
	widget_age(buf, sizeof buf, now - 29999, now);
	assert_string_equal(buf, "20 s ago");
	widget_age(buf, sizeof buf, now - 59999, now);
	assert_string_equal(buf, "50 s ago");
	widget_age(buf, sizeof buf, now - 60000, now);
	assert_string_equal(buf, "1 min ago");
	widget_age(buf, sizeof buf, now - 3599000, now);
	assert_string_equal(buf, "59 min ago");
	widget_age(buf, sizeof buf, now - 7300000, now);
	assert_string_equal(buf, "2 h ago");
	widget_age(buf, sizeof buf, now - 3LL * 86400000 - 5, now);
	assert_string_equal(buf, "3 d ago");
}

/* Durations, counts, staleness. */
static void test_duration_count_stale(void **state)
{
	(void)state;
	char buf[48];
	widget_duration(buf, sizeof buf, 37);
	assert_string_equal(buf, "37 s");
	widget_duration(buf, sizeof buf, 245);
	assert_string_equal(buf, "4 min 05 s");
	widget_duration(buf, sizeof buf, 7800);
	assert_string_equal(buf, "2 h 10 min");
	widget_duration(buf, sizeof buf, 90000);
	assert_string_equal(buf, "1 d 1 h");
	widget_duration(buf, sizeof buf, -4);
	assert_string_equal(buf, "0 s");

	widget_count(buf, sizeof buf, 0);
	assert_string_equal(buf, "0");
	widget_count(buf, sizeof buf, 999);
	assert_string_equal(buf, "999");
	widget_count(buf, sizeof buf, 1000);
	assert_string_equal(buf, "1,000");
	widget_count(buf, sizeof buf, 249120);
	assert_string_equal(buf, "249,120");
	widget_count(buf, sizeof buf, -1234567);
	assert_string_equal(buf, "-1,234,567");
	widget_count(buf, sizeof buf, LLONG_MIN);
	assert_string_equal(buf, "-9,223,372,036,854,775,808");
	char tiny[4];
	widget_count(tiny, sizeof tiny, 123456);
	assert_string_equal(tiny, "123");

	const int64_t now = 1710441000000LL;
	assert_false(widget_stale(0, now, 60));
	assert_false(widget_stale(now - 119000, now, 60));
	assert_false(widget_stale(now - 120000, now, 60));
	assert_true(widget_stale(now - 120001, now, 60));
	assert_false(widget_stale(now - 999999999, now, 0));
}

/* Fitting text by display columns, in both modes. */
static void test_fit(void **state)
{
	(void)state;
	char buf[64];
	const char *msg = "Authentication credentials not found.";
	assert_int_equal(widget_fit(buf, sizeof buf, msg, 10, false), 10);
	assert_string_equal(buf, "Authent...");
	assert_int_equal(widget_fit(buf, sizeof buf, msg, 10, true), 10);
	assert_string_equal(buf, "Authentic\u2026");
	assert_int_equal(widget_fit(buf, sizeof buf, msg, 100, true), 37);
	assert_string_equal(buf, msg);
	/* A space before the cut is dropped. */
	assert_int_equal(widget_fit(buf, sizeof buf, "ab cd", 4, true), 3);
	assert_string_equal(buf, "ab\u2026");
	/* Too narrow for an ellipsis: a hard cut. */
	assert_int_equal(widget_fit(buf, sizeof buf, msg, 2, false), 2);
	assert_string_equal(buf, "Au");
	assert_int_equal(widget_fit(buf, sizeof buf, msg, 0, true), 0);
	assert_string_equal(buf, "");
	assert_int_equal(widget_fit(buf, sizeof buf, NULL, 5, true), 0);
	/* Non-ASCII text in an ASCII terminal. */
	assert_int_equal(widget_fit(buf, sizeof buf, "Caf\u00e9 \u2714", 20, false), 6);
	assert_string_equal(buf, "Caf? ?");
	/* Wide characters count two columns and are never split. */
	assert_int_equal(widget_cols("\u65e5\u672c\u8a9e", true), 6);
	assert_int_equal(widget_fit(buf, sizeof buf, "\u65e5\u672c\u8a9e", 5, true), 5);
	assert_string_equal(buf, "\u65e5\u672c\u2026");
	assert_int_equal(widget_fit(buf, sizeof buf, "\u65e5\u672c\u8a9e", 4, true), 3);
	assert_string_equal(buf, "\u65e5\u2026");
	/* Invalid bytes are shown as '?', one column each. */
	assert_int_equal(widget_fit(buf, sizeof buf, "a\xff\xc3z", 10, true), 4);
	assert_string_equal(buf, "a??z");
	/* A small buffer ends on a whole character. */
	char small[5];
	widget_fit(small, sizeof small, "\u2714\u2714\u2714", 10, true);
	assert_string_equal(small, "\u2714");
	assert_int_equal(widget_cols("\u2714 ok", true), 4);
	assert_int_equal(widget_cols("\u2714 ok", false), 4);
}

/* Big digits: the rows of "401" and "---" in both glyph sets. */
static void test_big_rows(void **state)
{
	(void)state;
	char buf[128];
	assert_int_equal(widget_big_cols("401"), 11);
	assert_int_equal(widget_big_cols(""), 0);
	widget_big_row(buf, sizeof buf, "401", 0, true);
	assert_string_equal(buf, "\u2588 \u2588 \u2588\u2580\u2588 \u2584\u2588 ");
	widget_big_row(buf, sizeof buf, "401", 1, true);
	assert_string_equal(buf, "\u2580\u2580\u2588 \u2588 \u2588  \u2588 ");
	widget_big_row(buf, sizeof buf, "401", 2, true);
	assert_string_equal(buf, "  \u2580 \u2580\u2580\u2580 \u2580\u2580\u2580");
	widget_big_row(buf, sizeof buf, "401", 0, false);
	assert_string_equal(buf, "     _     ");
	widget_big_row(buf, sizeof buf, "401", 1, false);
	assert_string_equal(buf, "|_| | |   |");
	widget_big_row(buf, sizeof buf, "401", 2, false);
	assert_string_equal(buf, "  | |_|   |");
	widget_big_row(buf, sizeof buf, "---", 1, true);
	assert_string_equal(buf, "\u2580\u2580\u2580 \u2580\u2580\u2580 \u2580\u2580\u2580");
	widget_big_row(buf, sizeof buf, "-", 0, true);
	assert_string_equal(buf, "   ");
	/* Every row of every character is 3 columns in both sets. */
	for (const char *c = "0123456789- x"; *c; c++) {
		char one[2] = {*c, 0};
		for (int row = 0; row < 3; row++) {
			widget_big_row(buf, sizeof buf, one, row, true);
			assert_int_equal(widget_cols(buf, true), 3);
			widget_big_row(buf, sizeof buf, one, row, false);
			assert_int_equal(strlen(buf), 3);
		}
	}
	widget_big_row(buf, sizeof buf, "200", 3, true);
	assert_string_equal(buf, "");
	widget_big_row(buf, sizeof buf, "200", -1, false);
	assert_string_equal(buf, "");
}

/* Each severity has its own glyph and role. */
static void test_severity(void **state)
{
	(void)state;
	for (int utf8 = 0; utf8 <= 1; utf8++)
		for (int a = SEV_OK; a <= SEV_UNKNOWN; a++)
			for (int b = a + 1; b <= SEV_UNKNOWN; b++)
				assert_string_not_equal(widget_sev_glyph((widget_sev)a, utf8),
							widget_sev_glyph((widget_sev)b, utf8));
	assert_string_equal(widget_sev_glyph(SEV_CRIT, true), "\u2716");
	assert_string_equal(widget_sev_glyph(SEV_CRIT, false), "X");
	assert_int_equal(widget_sev_role(SEV_OK), ROLE_OK);
	assert_int_equal(widget_sev_role(SEV_WARN), ROLE_WARN);
	assert_int_equal(widget_sev_role(SEV_CRIT), ROLE_CRIT);
	assert_int_equal(widget_sev_role(SEV_UNKNOWN), ROLE_UNKNOWN);
	assert_string_equal(widget_role_name(ROLE_STALE), "stale");
	assert_string_equal(widget_role_name((widget_role)99), "normal");
}

int main(void)
{
	/* Column widths of non-ASCII characters come from the C library's UTF-8 tables. */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "en_US.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_gauge_cells),
	    cmocka_unit_test(test_gauge_unknown),
	    cmocka_unit_test(test_gauge_invariants),
	    cmocka_unit_test(test_gauge_text),
	    cmocka_unit_test(test_spark),
	    cmocka_unit_test(test_spark_text),
	    cmocka_unit_test(test_age),
	    cmocka_unit_test(test_duration_count_stale),
	    cmocka_unit_test(test_fit),
	    cmocka_unit_test(test_big_rows),
	    cmocka_unit_test(test_severity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
