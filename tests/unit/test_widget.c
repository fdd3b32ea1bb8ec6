/*
 * Unit tests for the widget maths (gauges, sparklines, ages, counts, fitting, big digits) and
 * the dashboard's pure decisions: which leaf makes the probes hurry, staleness against the
 * interval in use, quoting, what each part's clock shows, and the `r` and scenario keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <locale.h>
#include <time.h>

#include <cmocka.h>

#include "hsr/format.h"
#include "hsr/ratelimit.h"
#include "hsr/runbook.h"
#include "hsr/widget.h"

/* The screens' own view of the world (pure parts only: no terminal is opened here). */
#include "../../screens/screens.h"

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
	format_age(buf, sizeof buf, 0, now);
	assert_string_equal(buf, "never");
	format_age(buf, sizeof buf, now, now);
	assert_string_equal(buf, "just now");
	format_age(buf, sizeof buf, now + 3000, now); /* the probe's clock ran ahead */
	assert_string_equal(buf, "just now");
	format_age(buf, sizeof buf, now - 9999, now);
	assert_string_equal(buf, "just now");
	format_age(buf, sizeof buf, now - 12000, now);
	assert_string_equal(buf, "10 s ago");
	format_age(buf, sizeof buf, now - 29999, now);
	assert_string_equal(buf, "20 s ago");
	format_age(buf, sizeof buf, now - 59999, now);
	assert_string_equal(buf, "50 s ago");
	format_age(buf, sizeof buf, now - 60000, now);
	assert_string_equal(buf, "1 min ago");
	format_age(buf, sizeof buf, now - 3599000, now);
	assert_string_equal(buf, "59 min ago");
	format_age(buf, sizeof buf, now - 7300000, now);
	assert_string_equal(buf, "2 h ago");
	format_age(buf, sizeof buf, now - 3LL * 86400000 - 5, now);
	assert_string_equal(buf, "3 d ago");
}

/* Clock times always say their zone; the account's clock is shifted by its offset. */
static void test_clock_zone(void **state)
{
	(void)state;
	const int64_t at = 1710441000000LL; /* 2024-03-14T18:30:00Z */
	char buf[48];
	format_clock(buf, sizeof buf, at, false, 0);
	assert_string_equal(buf, "18:30 UTC");
	format_clock(buf, sizeof buf, at, true, -300);
	assert_string_equal(buf, "13:30 account time");
	format_clock(buf, sizeof buf, at, true, 330);
	assert_string_equal(buf, "00:00 account time");
	format_utc_offset(buf, sizeof buf, -300);
	assert_string_equal(buf, "UTC-05:00");
	format_utc_offset(buf, sizeof buf, 330);
	assert_string_equal(buf, "UTC+05:30");
	format_utc_offset(buf, sizeof buf, 0);
	assert_string_equal(buf, "UTC+00:00");
}

/* Durations and counts (staleness is the engine's: test_watch.c). */
static void test_duration_count_stale(void **state)
{
	(void)state;
	char buf[48];
	format_duration(buf, sizeof buf, 37);
	assert_string_equal(buf, "37 s");
	format_duration(buf, sizeof buf, 245);
	assert_string_equal(buf, "4 min 05 s");
	format_duration(buf, sizeof buf, 7800);
	assert_string_equal(buf, "2 h 10 min");
	format_duration(buf, sizeof buf, 90000);
	assert_string_equal(buf, "1 d 1 h");
	format_duration(buf, sizeof buf, -4);
	assert_string_equal(buf, "0 s");

	format_count(buf, sizeof buf, 0);
	assert_string_equal(buf, "0");
	format_count(buf, sizeof buf, 999);
	assert_string_equal(buf, "999");
	format_count(buf, sizeof buf, 1000);
	assert_string_equal(buf, "1,000");
	format_count(buf, sizeof buf, 249120);
	assert_string_equal(buf, "249,120");
	format_count(buf, sizeof buf, -1234567);
	assert_string_equal(buf, "-1,234,567");
	format_count(buf, sizeof buf, LLONG_MIN);
	assert_string_equal(buf, "-9,223,372,036,854,775,808");
	char tiny[4];
	format_count(tiny, sizeof tiny, 123456);
	assert_string_equal(tiny, "123");
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
	assert_string_equal(buf, "..");
	assert_int_equal(widget_fit(buf, sizeof buf, msg, 1, false), 1);
	assert_string_equal(buf, ".");
	assert_int_equal(widget_fit(buf, sizeof buf, msg, 3, false), 3);
	assert_string_equal(buf, "...");
	assert_int_equal(widget_fit(buf, sizeof buf, msg, 1, true), 1);
	assert_string_equal(buf, "\u2026");
	/* Whatever the room, a cut text ends with the ellipsis and never runs past the room. */
	for (int cols = 1; cols < 37; cols++) {
		for (int u = 0; u < 2; u++) {
			int used = widget_fit(buf, sizeof buf, msg, cols, u);
			assert_true(used <= cols && used > 0);
			assert_int_equal(widget_cols(buf, u), used);
			const char *ell = u ? "\u2026" : ".";
			size_t bl = strlen(buf), el = strlen(ell);
			assert_true(bl >= el && strcmp(buf + bl - el, ell) == 0);
		}
	}
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

/* A view with every probe answered HTTP 200 at at_ms. */
static void view_answered(ui_view *v, const config *c, int64_t at_ms, int64_t now_ms)
{
	memset(v, 0, sizeof *v);
	v->cfg = c;
	v->now_ms = now_ms;
	fetch_info *fs[] = {&v->ev.status.f, &v->ev.api.f, &v->ev.usage.f, &v->ev.health.f};
	for (int i = 0; i < PROBE_COUNT; i++) {
		fs[i]->done = true;
		fs[i]->configured = true;
		fs[i]->err = HTTP_OK;
		fs[i]->http_status = 200;
		fs[i]->at_ms = at_ms;
		v->ev.seq[i] = (uint64_t)i + 1;
	}
}

/* Whether s is well-formed UTF-8 (no cut characters). */
static bool utf8_whole(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int n = *p < 0x80	      ? 1
			: (*p & 0xe0) == 0xc0 ? 2
			: (*p & 0xf0) == 0xe0 ? 3
			: (*p & 0xf8) == 0xf0 ? 4
					      : 0;
		if (n == 0)
			return false;
		for (int i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return false;
		p += n;
	}
	return true;
}

/* Quotes survive a message that fills its whole field, and never split a character. */
static void test_quote(void **state)
{
	(void)state;
	char out[256];
	pane_api_quote(out, sizeof out, "You have reached your daily limit.", true);
	assert_string_equal(out, "\u201cYou have reached your daily limit.\u201d");
	pane_api_quote(out, sizeof out, "You have reached your daily limit.", false);
	assert_string_equal(out, "\"You have reached your daily limit.\"");
	pane_api_quote(out, sizeof out, "", true);
	assert_string_equal(out, "\u201c\u201d");

	/* A 255-byte message (the evidence field's maximum) of 3-byte characters: every cut
	 * position, so one of them lands inside a character. */
	char msg[256];
	for (int shift = 0; shift < 3; shift++) {
		size_t n = 0;
		for (; n < (size_t)shift; n++)
			msg[n] = 'x';
		while (n + 3 <= 255) {
			memcpy(msg + n, "\u20ac", 3); /* € */
			n += 3;
		}
		msg[n] = '\0';
		for (size_t outsz = 8; outsz <= sizeof out; outsz += 1) {
			pane_api_quote(out, outsz, msg, true);
			size_t len = strlen(out);
			assert_true(len < outsz);
			assert_true(utf8_whole(out));
			assert_memory_equal(out, "\u201c", 3);
			assert_true(len >= 6);
			assert_memory_equal(out + len - 3, "\u201d", 3);
		}
	}
	/* Too small for even the quotes: empty, terminated. */
	out[0] = 'z';
	pane_api_quote(out, 4, "abc", true);
	assert_string_equal(out, "");
}

/* The part of the dashboard named by pane class pc, or NULL. */
static uint64_t clock_of(const pane_class *pc, const ui_view *v)
{
	assert_non_null(pc->clock);
	return pc->clock(v);
}

/* Each part's clock changes only when its text would: ages move in 10-second steps. */
static void test_clocks(void **state)
{
	(void)state;
	config c;
	config_defaults(&c);
	common_strlcpy(c.health_url, "http://127.0.0.1:9/health", sizeof c.health_url);
	const int64_t t0 = 1700000000000LL;
	ui_view v;
	view_answered(&v, &c, t0, t0);
	v.last_2xx_ms = t0;

	/* Nothing on the help or the size notice counts time; the banner only whether the
	 * walker's "leaf changed" line is still recent. */
	uint64_t quiet = clock_of(&banner_pane, &v);
	static const rb_leaf from = {.id = "healthy"};
	v.walk.change = (walker_change){.from = &from, .to = &from, .at_ms = t0};
	common_strlcpy(v.walk.change.text,
		       "leaf changed: healthy \u2192 token-invalid, 00:00:00 UTC",
		       sizeof v.walk.change.text);
	v.now_ms = t0 + 1000;
	assert_true(clock_of(&banner_pane, &v) != quiet);
	assert_non_null(walker_recent_change(&v));
	v.now_ms = t0 + WALKER_CHANGE_SHOW_MS;
	assert_true(clock_of(&banner_pane, &v) == quiet);
	assert_null(walker_recent_change(&v));
	memset(&v.walk.change, 0, sizeof v.walk.change);
	v.now_ms = t0;
	assert_null(help_pane.clock);
	assert_null(too_small_pane.clock);
	assert_null(placeholder_pane.clock);

	/* The health pane shows no age: its clock stands still while nothing is in flight, up
	 * to the moment its evidence turns stale (two 15 s intervals). */
	const pane_class *health = dashboard_panes[LAYOUT_PANE_HEALTH];
	uint64_t h0 = clock_of(health, &v);
	for (int ms = 1000; ms <= 30000; ms += 1000) {
		v.now_ms = t0 + ms;
		assert_true(clock_of(health, &v) == h0);
	}
	v.now_ms = t0 + 30001;
	assert_true(clock_of(health, &v) != h0);
	v.now_ms = t0;
	/* ... and moves every second while its request is out ("probing 3 s…"). */
	v.ev.in_flight[PROBE_HEALTH] = true;
	v.ev.started_ms[PROBE_HEALTH] = t0;
	v.now_ms = t0 + 3000;
	uint64_t h3 = clock_of(health, &v);
	v.now_ms = t0 + 4000;
	assert_true(clock_of(health, &v) != h3);
	v.ev.in_flight[PROBE_HEALTH] = false;

	/* The API pane's "last 2xx" age: same text from 10 s to 19 s, new text at 20 s. */
	const pane_class *api = dashboard_panes[LAYOUT_PANE_API];
	v.now_ms = t0 + 10000;
	uint64_t a10 = clock_of(api, &v);
	for (int ms = 10000; ms < 20000; ms += 500) {
		v.now_ms = t0 + ms;
		assert_true(clock_of(api, &v) == a10);
	}
	v.now_ms = t0 + 20000;
	assert_true(clock_of(api, &v) != a10);

	/* The status line: probe ages in the same steps (health slowed so none turns stale). */
	c.interval_health_s = 60;
	v.now_ms = t0 + 30000;
	uint64_t s30 = clock_of(&statusline_pane, &v);
	v.now_ms = t0 + 39999;
	assert_true(clock_of(&statusline_pane, &v) == s30);
	v.now_ms = t0 + 40000;
	assert_true(clock_of(&statusline_pane, &v) != s30);

	/* The rate pane counts a back-off down second by second, and is still without one. */
	const pane_class *rate = dashboard_panes[LAYOUT_PANE_RATE];
	v.now_ms = t0 + 1000;
	uint64_t r1 = clock_of(rate, &v);
	v.now_ms = t0 + 2000;
	assert_true(clock_of(rate, &v) == r1);
	v.ev.backoff_until_ms = t0 + 60000;
	uint64_t b2 = clock_of(rate, &v);
	v.now_ms = t0 + 3000;
	assert_true(clock_of(rate, &v) != b2);

	/* The status pane: an incident's "updated N min ago". */
	const pane_class *st = dashboard_panes[LAYOUT_PANE_STATUS];
	v.ev.status.n_incidents = 1;
	v.ev.status.incidents[0].updated_ms = t0 - 50000;
	v.now_ms = t0 + 10000; /* 60 s: "1 min ago" */
	uint64_t i1 = clock_of(st, &v);
	v.now_ms = t0 + 69000;
	assert_true(clock_of(st, &v) == i1);
	v.now_ms = t0 + 70000; /* "2 min ago" */
	assert_true(clock_of(st, &v) != i1);
}

/* The key table's binding for ch (on the dashboard). */
static const ui_binding *binding_for(int ch)
{
	for (const ui_binding *k = ui_bindings; k->label; k++)
		for (const int *c = k->codes; *c; c++)
			if (*c == ch)
				return k;
	fail_msg("no binding for key %d", ch);
	return NULL;
}

/* `r` is taken at most once in 5 s; presses in between say how long to wait. */
static void test_refresh_rate_limited(void **state)
{
	(void)state;
	config c;
	config_defaults(&c);
	ui_view v;
	const int64_t t0 = 1700000000000LL;
	view_answered(&v, &c, t0, t0);
	v.utf8 = true;
	const ui_binding *r = binding_for('r');
	assert_int_equal(r->fn(&v, 'r') & UI_HANDLED, UI_HANDLED);
	assert_non_null(strstr(v.flash, "refresh asked"));
	assert_true(v.refresh_ms == t0);

	v.now_ms = t0 + 1200;
	assert_int_equal(r->fn(&v, 'r') & UI_HANDLED, UI_HANDLED);
	assert_string_equal(v.flash, "just refreshed \u2014 wait 4 s");
	assert_true(v.refresh_ms == t0); /* an ignored press does not restart the wait */
	assert_true(v.flash_until_ms > v.now_ms);

	v.now_ms = t0 + 4999;
	r->fn(&v, 'r');
	assert_string_equal(v.flash, "just refreshed \u2014 wait 1 s");

	v.now_ms = t0 + 5000;
	r->fn(&v, 'r');
	assert_non_null(strstr(v.flash, "refresh asked"));
	assert_true(v.refresh_ms == t0 + 5000);

	/* A back-off still holds, and the note says so. */
	v.now_ms = t0 + 20000;
	v.ev.backoff_until_ms = t0 + 20000 + 37000;
	r->fn(&v, 'r');
	assert_non_null(strstr(v.flash, "still waits 37 s"));

	/* ASCII: no em dash. */
	v.utf8 = false;
	v.now_ms = t0 + 21000;
	r->fn(&v, 'r');
	assert_string_equal(v.flash, "just refreshed - wait 4 s");
}

/*
 * Demo scenario key while backed off: the same runner carries on, its back-off forgotten,
 * even when the view's own snapshot does not show the back-off yet.
 */
static void test_scenario_clears_backoff(void **state)
{
	(void)state;
	char err[160];
	sim *s = sim_start("daily-limit", 0, err, sizeof err);
	assert_non_null(s);
	config c;
	config_defaults(&c);
	config_point_at(&c, sim_base_url(s));
	common_strlcpy(c.token, "pat-na1-00000000-test", sizeof c.token);
	board *b = board_new();
	assert_non_null(b);
	runner *run = runner_start(&c, b, false);
	assert_non_null(run);

	ui_view v;
	memset(&v, 0, sizeof v);
	v.cfg = &c;
	v.demo = s;
	v.run = run;
	v.utf8 = true;
	/* Wait for the daily 429 and its back-off. */
	int64_t deadline = common_mono_ms() + 5000;
	do {
		board_drain(b);
		board_snapshot(b, &v.ev);
		if (v.ev.backoff_until_ms > 0)
			break;
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	} while (common_mono_ms() < deadline);
	assert_true(v.ev.backoff_until_ms > common_now_ms() + 60000);
	uint64_t api_seq = v.ev.seq[PROBE_API];
	v.now_ms = common_now_ms();
	/* The loop has not taken the board's news yet: its snapshot shows no back-off, the
	 * runner holds one all the same. The key must clear it anyway. */
	v.ev.backoff_until_ms = 0;

	const ui_binding *k = binding_for('s');
	assert_true(k->demo_only);
	int64_t t = common_mono_ms();
	int f = k->fn(&v, 's');
	/* Nothing joined or restarted on the UI thread: the key returns at once. */
	assert_true(common_mono_ms() - t < 100);
	assert_int_equal(f & UI_HANDLED, UI_HANDLED);
	assert_true(v.run == run);
	char now_scen[64];
	sim_scenario(s, now_scen, sizeof now_scen);
	assert_string_equal(now_scen, v.scenario);
	assert_string_not_equal(now_scen, "daily-limit");
	assert_non_null(strstr(v.flash, "scenario: "));

	/* The back-off is gone from the board and the API probe asked again at once. */
	deadline = common_mono_ms() + 5000;
	evidence e;
	do {
		board_drain(b);
		board_snapshot(b, &e);
		if (e.seq[PROBE_API] > api_seq && !e.in_flight[PROBE_API])
			break;
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	} while (common_mono_ms() < deadline);
	assert_true(e.seq[PROBE_API] > api_seq);
	/* The next scenario (burst-limit) answered: its own short back-off, not the daily one. */
	assert_string_equal(e.api.policy_name, "TEN_SECONDLY_ROLLING");
	assert_true(e.backoff_until_ms < common_now_ms() + 10000);

	/* Without a simulator the key does nothing. */
	v.demo = NULL;
	assert_int_equal(k->fn(&v, 's'), 0);

	runner_stop(run);
	board_free(b);
	sim_stop(s);
}

/* ---- what the panes say: drawn into windows of a terminal that writes to /dev/null ------ */

#define T1830Z	1710441000000LL /* 2024-03-14T18:30:00Z */
#define HOUR_MS 3600000LL

static SCREEN *null_scr;
static FILE *null_out, *null_in;

/* Curses on /dev/null at 80x24, once, so panes can be drawn and read back. */
static void null_term(void)
{
	if (null_scr)
		return;
	null_out = fopen("/dev/null", "w");
	null_in = fopen("/dev/null", "r");
	assert_non_null(null_out);
	assert_non_null(null_in);
	null_scr = newterm("xterm", null_out, null_in);
	assert_non_null(null_scr);
	set_term(null_scr);
	resize_term(24, 80);
	widget_colors_init(false);
}

/* Close the curses of null_term. */
static void null_term_close(void)
{
	if (!null_scr)
		return;
	endwin();
	delscreen(null_scr);
	fclose(null_out);
	fclose(null_in);
	null_scr = NULL;
}

/*
 * Draw pane class pc in rect r and read back its rows, trimmed, as one line joined by single
 * blanks (a wrapped sentence reads whole), and the rows themselves one per line in rows.
 * Only the columns left of a pane's separator are read.
 */
static void render(const pane_class *pc, ui_view *v, const layout_rect *r, int slot, char *joined,
		   size_t jsz, char *rows, size_t rsz)
{
	null_term();
	WINDOW *w = newwin(r->h, r->w, r->y, r->x);
	assert_non_null(w);
	pane_ctx c = {.selected = slot == 0};
	pc->draw(w, v, slot >= 0 ? &c : NULL);
	int cols = r->x == 0 && r->w < COLS ? r->w - 2 : r->w;
	size_t jl = 0, rl = 0;
	joined[0] = '\0';
	rows[0] = '\0';
	for (int y = 0; y < r->h; y++) {
		char row[512];
		int n =
		    mvwinnstr(w, y, 0, row, cols < (int)sizeof row ? cols : (int)sizeof row - 1);
		row[n > 0 ? n : 0] = '\0';
		size_t len = strlen(row);
		while (len > 0 && row[len - 1] == ' ')
			row[--len] = '\0';
		const char *p = row;
		while (*p == ' ')
			p++;
		rl += (size_t)snprintf(rows + rl, rsz - rl, "%s\n", row);
		if (*p && y > 0)
			jl += (size_t)snprintf(joined + jl, jsz - jl, "%s%s", jl ? " " : "", p);
		assert_true(jl < jsz && rl < rsz);
	}
	delwin(w);
}

/* Render the dashboard pane in slot where v lays it out (see render); both buffers 4096 bytes. */
static void render_pane(ui_view *v, int slot, char joined[4096], char rows[4096])
{
	render(dashboard_panes[slot], v, &v->lay.pane[slot], slot, joined, 4096, rows, 4096);
}

/* A view of an 80x24 dashboard where every probe answered 200 at now, ASCII glyphs. */
static void view_80x24(ui_view *v, const config *c, int64_t now)
{
	view_answered(v, c, now - 1000, now);
	v->utf8 = false;
	v->screen = &dashboard_screen;
	layout_compute(80, 24, false, &v->lay);
	assert_true(v->lay.fits);
}

/* The API answered a DAILY 429 with nothing left today (no Retry-After). */
static void daily_spent(ui_view *v)
{
	ev_api *a = &v->ev.api;
	a->f.http_status = 429;
	a->f.json_ok = true;
	common_strlcpy(a->error_type, "RATE_LIMIT", sizeof a->error_type);
	common_strlcpy(a->policy_name, "DAILY", sizeof a->policy_name);
	a->rl_daily = OPT_OF(500000);
	a->rl_daily_remaining = OPT_OF(0);
	a->rl_interval_ms = OPT_OF(10000);
	a->rl_max = OPT_OF(190);
	a->rl_remaining = OPT_OF(180);
	v->ev.n_daily = 1;
	v->ev.daily[0].at_ms = v->now_ms - 1000;
	v->ev.daily[0].remaining = 0;
	ev_usage *u = &v->ev.usage;
	u->f.json_ok = true;
	u->usage_limit = OPT_OF(500000);
	u->current_usage = OPT_OF(500000);
	common_strlcpy(u->fetch_status, "SUCCESS", sizeof u->fetch_status);
}

/* A 2xx with 300,000 left, after ten samples a minute apart falling by per_min each. */
static void steady_burn(ui_view *v, const config *c, int per_min)
{
	view_80x24(v, c, T1830Z);
	daily_spent(v);
	v->ev.api.f.http_status = 200;
	v->ev.api.rl_daily_remaining = OPT_OF(300000);
	v->ev.n_daily = 10;
	for (int i = 0; i < 10; i++) {
		v->ev.daily[i].at_ms = T1830Z - (9 - i) * 60000LL;
		v->ev.daily[i].remaining = 300000 + (9 - i) * per_min;
	}
}

/* A clock time as the dashboard writes it for config c: with its zone. */
static void hm(const config *c, char *out, size_t outsz, int64_t ms)
{
	format_clock(out, outsz, ms, c->utc_offset_set, c->utc_offset_min);
}

/* Whether joined holds want; on failure the rows are shown. */
static void assert_says(const char *joined, const char *rows, const char *want)
{
	if (!strstr(joined, want))
		fail_msg("wanted \"%s\" in the pane:\n%s", want, rows);
}

/* Whether joined does not hold unwanted. */
static void assert_not_says(const char *joined, const char *rows, const char *unwanted)
{
	if (strstr(joined, unwanted))
		fail_msg("unwanted \"%s\" in the pane:\n%s", unwanted, rows);
}

/*
 * The daily reset on screen is HubSpot's resetsAt, else the account's midnight when
 * utc_offset is set, else no time at all: never UTC midnight by guess.
 */
static void test_rate_reset_shown(void **state)
{
	(void)state;
	config c;
	config_defaults(&c);
	ui_view v;
	char joined[4096], rows[4096], want[160], t[32];

	/* No utc_offset, no resetsAt: the account's midnight, without a time. */
	view_80x24(&v, &c, T1830Z);
	daily_spent(&v);
	render_pane(&v, LAYOUT_PANE_RATE, joined, rows);
	assert_says(joined, rows, "used up; resets at the account's midnight (set utc_offset)");
	hm(&c, t, sizeof t, ratelimit_next_reset_ms(T1830Z, 0));
	snprintf(want, sizeof want, "resets at %s", t);
	assert_not_says(joined, rows, want);
	assert_not_says(rows, rows, "...\n"); /* a row cut short */

	/* utc_offset set (-05:00): midnight there, 05:00Z. */
	c.utc_offset_min = -300;
	c.utc_offset_set = true;
	render_pane(&v, LAYOUT_PANE_RATE, joined, rows);
	hm(&c, t, sizeof t, T1830Z + 10 * HOUR_MS + 30 * 60000);
	snprintf(want, sizeof want, "used up; resets at %s", t);
	assert_says(joined, rows, want);
	assert_not_says(joined, rows, "set utc_offset");

	/* HubSpot's own resetsAt wins over the offset... */
	v.ev.usage.resets_at_ms = T1830Z + 2 * HOUR_MS + 17 * 60000;
	render_pane(&v, LAYOUT_PANE_RATE, joined, rows);
	hm(&c, t, sizeof t, v.ev.usage.resets_at_ms);
	snprintf(want, sizeof want, "used up; resets at %s", t);
	assert_says(joined, rows, want);
	/* ... and stands without one (then in UTC, and says so). */
	config_defaults(&c);
	render_pane(&v, LAYOUT_PANE_RATE, joined, rows);
	hm(&c, t, sizeof t, v.ev.usage.resets_at_ms);
	assert_non_null(strstr(t, " UTC"));
	snprintf(want, sizeof want, "used up; resets at %s", t);
	assert_says(joined, rows, want);
	assert_not_says(joined, rows, "account time");
	assert_not_says(joined, rows, "set utc_offset");
	/* Not when HubSpot could not count, nor once it has passed. */
	common_strlcpy(v.ev.usage.fetch_status, "FAILURE", sizeof v.ev.usage.fetch_status);
	render_pane(&v, LAYOUT_PANE_RATE, joined, rows);
	assert_says(joined, rows, "resets at the account's midnight (set utc_offset)");
	common_strlcpy(v.ev.usage.fetch_status, "SUCCESS", sizeof v.ev.usage.fetch_status);
	v.ev.usage.resets_at_ms = T1830Z - 1;
	render_pane(&v, LAYOUT_PANE_RATE, joined, rows);
	assert_says(joined, rows, "resets at the account's midnight (set utc_offset)");

	/* A steady burn with no reset known: the rate, no reset time, and the same advice. */
	steady_burn(&v, &c, 10);
	render_pane(&v, LAYOUT_PANE_RATE, joined, rows);
	assert_says(joined, rows, "(not before the reset)");
	assert_says(joined, rows, "burning 10 calls/min");
	assert_not_says(joined, rows, "; reset ");
	assert_says(joined, rows, "resets at the account's midnight (set utc_offset)");
	/* The pane's clock follows the same reset. */
	uint64_t c0 = pane_rate.clock(&v);
	c.utc_offset_set = true;
	assert_true(pane_rate.clock(&v) != c0);
}

/* The runner's back-off reason wraps to a second line at 80x24 instead of being cut. */
static void test_backoff_reason_wraps(void **state)
{
	(void)state;
	config c;
	config_defaults(&c);
	c.utc_offset_min = -300;
	c.utc_offset_set = true;
	ui_view v;
	char joined[4096], rows[4096];
	static const char *const reasons[] = {
	    "waiting for HubSpot's reset at 05:00",
	    "no utc_offset: asking again in 1 h",
	    "daily limit spent: waiting for the account's midnight",
	};
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
		view_80x24(&v, &c, T1830Z);
		daily_spent(&v);
		v.ev.backoff_until_ms = T1830Z + 3 * HOUR_MS;
		common_strlcpy(v.ev.backoff_reason, reasons[i], sizeof v.ev.backoff_reason);
		render_pane(&v, LAYOUT_PANE_RATE, joined, rows);
		assert_says(joined, rows, "held back 3 h");
		assert_says(joined, rows, reasons[i]);
		assert_not_says(rows, rows, "...\n"); /* a row cut short */
		assert_not_says(joined, rows, "more line");
	}
	/* The first reason does not fit the 80x24 pane on one line: this is the wrap case. */
	assert_true(2 + (int)strlen(reasons[0]) > v.lay.pane[LAYOUT_PANE_RATE].w - 3);
}

/* HubSpot answered the usage call but could not count: unknown, and why. */
static void test_usage_could_not_count(void **state)
{
	(void)state;
	config c;
	config_defaults(&c);
	ui_view v;
	char joined[4096], rows[4096], want[120];
	static const char *const words[] = {"FAILURE", "TIMEOUT", "NOTFOUND"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		view_80x24(&v, &c, T1830Z);
		v.ev.usage.f.json_ok = true;
		common_strlcpy(v.ev.usage.fetch_status, words[i], sizeof v.ev.usage.fetch_status);
		render_pane(&v, LAYOUT_PANE_RATE, joined, rows);
		snprintf(want, sizeof want,
			 "account unknown: HubSpot could not count (fetchStatus %s)", words[i]);
		assert_says(joined, rows, want);
		assert_not_says(joined, rows, "no usage in the answer");
	}
	/* A 2xx that counted but sent no figures is still "no usage in the answer". */
	view_80x24(&v, &c, T1830Z);
	v.ev.usage.f.json_ok = true;
	common_strlcpy(v.ev.usage.fetch_status, "SUCCESS", sizeof v.ev.usage.fetch_status);
	render_pane(&v, LAYOUT_PANE_RATE, joined, rows);
	assert_says(joined, rows, "no usage in the answer");
}

/* An answer too large to read is an HTTP answer: its code shows, and why there is no body. */
static void test_too_large_is_an_answer(void **state)
{
	(void)state;
	config c;
	config_defaults(&c);
	common_strlcpy(c.health_url, "http://127.0.0.1:9/health", sizeof c.health_url);
	ui_view v;
	char joined[4096], rows[4096];
	view_80x24(&v, &c, T1830Z);
	fetch_info *fs[] = {&v.ev.status.f, &v.ev.api.f, &v.ev.usage.f, &v.ev.health.f};
	for (int i = 0; i < PROBE_COUNT; i++) {
		fs[i]->err = HTTP_ERR_TOO_LARGE;
		fs[i]->http_status = 200;
		common_strlcpy(fs[i]->error, "answer larger than 1 MB", sizeof fs[i]->error);
	}
	render_pane(&v, LAYOUT_PANE_API, joined, rows);
	assert_says(joined, rows, "HTTP 200 (body too large to read)");
	assert_not_says(joined, rows, "no answer");
	assert_not_says(joined, rows, "---");
	render_pane(&v, LAYOUT_PANE_STATUS, joined, rows);
	assert_says(joined, rows, "HTTP 200 (body too large to read)");
	assert_not_says(joined, rows, "unreachable");
	render_pane(&v, LAYOUT_PANE_RATE, joined, rows);
	assert_says(joined, rows, "account unknown (body too large to read)");
	v.ev.usage.f.http_status = 503;
	render_pane(&v, LAYOUT_PANE_RATE, joined, rows);
	assert_says(joined, rows, "account unavailable (HTTP 503, body too large to read)");
	assert_not_says(rows, rows, "...\n");
	render_pane(&v, LAYOUT_PANE_HEALTH, joined, rows);
	assert_says(joined, rows, "HTTP 200");
	assert_says(joined, rows, "(body too large to read)");
	assert_not_says(joined, rows, "UNREACHABLE");
	/* A too-large error without a status code is still no answer. */
	v.ev.api.f.http_status = 0;
	render_pane(&v, LAYOUT_PANE_API, joined, rows);
	assert_says(joined, rows, "no answer");
}

/* Until the API call and the status page have published, the banner names no leaf. */
static void test_banner_waits(void **state)
{
	(void)state;
	char err[160];
	runbook *rb = runbook_load_default(err, sizeof err);
	assert_non_null(rb);
	config c;
	config_defaults(&c);
	ui_view v;
	char joined[4096], rows[4096];
	view_80x24(&v, &c, T1830Z);
	v.rb = rb;
	v.d.leaf = runbook_leaf(rb, "app-unhealthy");
	assert_non_null(v.d.leaf);
	memset(v.ev.seq, 0, sizeof v.ev.seq);
	v.ev.seq[PROBE_HEALTH] = 1;
	render(&banner_pane, &v, &v.lay.banner, -1, joined, sizeof joined, rows, sizeof rows);
	/* The banner's only row is row 0, which render skips in joined: read the rows. */
	assert_says(rows, rows, "waiting for the probes (1/4)");
	assert_not_says(rows, rows, "app-unhealthy");
	v.ev.seq[PROBE_USAGE] = 1;
	v.ev.seq[PROBE_API] = 1;
	render(&banner_pane, &v, &v.lay.banner, -1, joined, sizeof joined, rows, sizeof rows);
	assert_says(rows, rows, "waiting for the probes (3/4)");
	v.ev.seq[PROBE_STATUS] = 1;
	render(&banner_pane, &v, &v.lay.banner, -1, joined, sizeof joined, rows, sizeof rows);
	assert_says(rows, rows, "[app-unhealthy]");
	assert_not_says(rows, rows, "waiting");
	/* The other screens' "Diagnosis now" line waits too. */
	v.screen = &walker_screen;
	v.ev.seq[PROBE_API] = 0;
	render(&placeholder_pane, &v, &v.lay.body, -1, joined, sizeof joined, rows, sizeof rows);
	assert_says(rows, rows, "Diagnosis now: waiting for the probes (3/4)");
	runbook_free(rb);
}

/* The status line says "fast pace" while the API probe hurries (when the hints leave room). */
static void test_status_says_fast_pace(void **state)
{
	(void)state;
	config c;
	config_defaults(&c);
	ui_view v;
	char joined[4096], rows[4096];
	null_term();
	resize_term(40, 120);
	view_answered(&v, &c, T1830Z - 1000, T1830Z);
	v.utf8 = false;
	layout_compute(120, 40, false, &v.lay);
	v.unhealthy = true;
	render(&statusline_pane, &v, &v.lay.status, -1, joined, sizeof joined, rows, sizeof rows);
	assert_says(rows, rows, "API asked every 15 s");
	assert_says(rows, rows, "q quit");
	v.unhealthy = false;
	render(&statusline_pane, &v, &v.lay.status, -1, joined, sizeof joined, rows, sizeof rows);
	assert_not_says(rows, rows, "API asked every");
	resize_term(24, 80);
}

/* Wordings longest first: the first that fits; two texts on a row never touch. */
static void test_pick_share(void **state)
{
	(void)state;
	const char *forms[] = {"a long wording here", "shorter one", "tiny"};
	assert_int_equal(widget_pick(forms, 3, 100, true), 0);
	assert_int_equal(widget_pick(forms, 3, 19, true), 0);
	assert_int_equal(widget_pick(forms, 3, 18, true), 1);
	assert_int_equal(widget_pick(forms, 3, 4, false), 2);
	assert_int_equal(widget_pick(forms, 3, 2, false), 2); /* widget_fit cuts the last */
	bool shown;
	/* Both fit: the left keeps its room up to the gap before the right text. */
	assert_int_equal(widget_share(80, 30, 20, 2, &shown), 58);
	assert_true(shown);
	assert_int_equal(widget_share(52, 30, 20, 2, &shown), 30);
	assert_true(shown);
	/* One short: the right text goes, the left gets the row (and no overlap). */
	assert_int_equal(widget_share(51, 30, 20, 2, &shown), 51);
	assert_false(shown);
	assert_int_equal(widget_share(10, 0, 0, 2, &shown), 10);
	assert_false(shown);
	assert_int_equal(widget_share(0, 5, 5, 2, &shown), 0);
	for (int width = 1; width < 90; width++)
		for (int left = 0; left < 60; left += 7)
			for (int right = 1; right < 40; right += 5) {
				int room = widget_share(width, left, right, 2, &shown);
				if (shown)
					assert_true(left <= room && room + 2 + right <= width);
				else
					assert_int_equal(room, width);
			}
}

/* Without a token a notice says so on every screen, worded to fit; with one, none. */
static void test_no_token_notice(void **state)
{
	(void)state;
	config c;
	config_defaults(&c);
	c.token[0] = '\0';
	const char *full = banner_notice(&c, 200, true);
	assert_non_null(full);
	assert_string_equal(full, "no token: the HubSpot API is not being asked; set "
				  "HUBSPOT_ACCESS_TOKEN or --token-file");
	for (int cols = 20; cols <= 120; cols++) {
		const char *t = banner_notice(&c, cols, false);
		assert_non_null(t);
		assert_true(strncmp(t, "no token: ", 10) == 0);
		if (cols >= 33)
			assert_true(widget_cols(t, false) <= cols);
	}
	/* 80 columns (78 inside the margins) still name both ways to give it. */
	const char *t80 = banner_notice(&c, 78, true);
	assert_non_null(strstr(t80, "HUBSPOT_ACCESS_TOKEN"));
	assert_non_null(strstr(t80, "--token-file"));

	/* Drawn on its own line on the dashboard at 80x24 and in the too-small notice. */
	ui_view v;
	char joined[4096], rows[4096];
	view_80x24(&v, &c, T1830Z);
	layout_compute(80, 24, true, &v.lay);
	render(&banner_notice_pane, &v, &v.lay.notice, -1, joined, sizeof joined, rows,
	       sizeof rows);
	assert_says(rows, rows, "no token: HubSpot API not asked; set HUBSPOT_ACCESS_TOKEN");
	layout_rect all = {0, 0, 10, 59};
	v.lay.cols = 59;
	v.lay.lines = 10;
	render(&too_small_pane, &v, &all, -1, joined, sizeof joined, rows, sizeof rows);
	assert_says(rows, rows, "no token: HubSpot API not asked");

	common_strlcpy(c.token, "pat-na1-unit", sizeof c.token);
	assert_null(banner_notice(&c, 200, true));
	render(&too_small_pane, &v, &all, -1, joined, sizeof joined, rows, sizeof rows);
	assert_not_says(rows, rows, "no token");
}

/* A 2xx slower than slow_ms is a warning, never a tick and "OK"; so is our app's latency. */
static void test_slow_is_a_warning(void **state)
{
	(void)state;
	config c;
	config_defaults(&c);
	assert_int_equal(c.slow_ms, 3000);
	ui_view v;
	char joined[4096], rows[4096];
	view_80x24(&v, &c, T1830Z);
	v.ev.api.f.latency_ms = 4002;
	assert_true(evidence_slow_2xx(&v.ev.api.f, c.slow_ms));
	render_pane(&v, LAYOUT_PANE_API, joined, rows);
	assert_says(joined, rows, "! SLOW");
	assert_says(joined, rows, "our call 4002 ms");
	assert_says(joined, rows, "slower than 3000 ms");
	assert_not_says(joined, rows, "+ OK");
	assert_not_says(joined, rows, " OK");
	/* At or under slow_ms: fine. A lower slow_ms turns the same answer slow. */
	v.ev.api.f.latency_ms = 3000;
	assert_false(evidence_slow_2xx(&v.ev.api.f, c.slow_ms));
	render_pane(&v, LAYOUT_PANE_API, joined, rows);
	assert_says(joined, rows, "+ OK");
	assert_not_says(joined, rows, "SLOW");
	c.slow_ms = 2500;
	assert_true(evidence_slow_2xx(&v.ev.api.f, c.slow_ms));
	c.slow_ms = 3000;
	/* Not a 2xx: slowness is not the story. */
	v.ev.api.f.latency_ms = 9000;
	v.ev.api.f.http_status = 503;
	assert_false(evidence_slow_2xx(&v.ev.api.f, c.slow_ms));

	/* Our app's own HubSpot latency above slow_ms: a warning with its owner named. */
	common_strlcpy(c.health_url, "http://127.0.0.1:1/health", sizeof c.health_url);
	v.ev.health.f.json_ok = true;
	v.ev.health.state = HEALTH_HEALTHY;
	v.ev.health.shape = 'A';
	v.ev.health.hubspot_connected = 1;
	v.ev.health.hubspot_latency_ms = OPT_OF(4127);
	render_pane(&v, LAYOUT_PANE_HEALTH, joined, rows);
	assert_says(joined, rows, "! our app's HubSpot calls 4127 ms (slow: over 3000 ms)");
	assert_not_says(joined, rows, "shape");
	v.ev.health.hubspot_latency_ms = OPT_OF(120);
	render_pane(&v, LAYOUT_PANE_HEALTH, joined, rows);
	assert_says(joined, rows, "our app's HubSpot calls 120 ms");
	assert_not_says(joined, rows, "slow");
	/* The banner's levels and the pace for these leaves: test_watch.c. */
}

/* Numbers say whose they are: our calls, the account's usage, private apps under OAuth. */
static void test_labels(void **state)
{
	(void)state;
	config c;
	config_defaults(&c);
	ui_view v;
	char joined[4096], rows[4096];
	view_80x24(&v, &c, T1830Z);
	null_term();
	v.ev.api_requests_today = 2;
	render(&statusline_pane, &v, &v.lay.status, -1, joined, sizeof joined, rows, sizeof rows);
	assert_says(rows, rows, "ours: 2 calls today");

	daily_spent(&v);
	render_pane(&v, LAYOUT_PANE_RATE, joined, rows);
	assert_says(joined, rows, "account 500,000 of 500,000 used");
	/* OAuth: no daily headers; the usage is the account's private apps only. */
	v.ev.api.f.http_status = 200;
	v.ev.api.rl_daily = (opt_int){0};
	v.ev.api.rl_daily_remaining = (opt_int){0};
	render_pane(&v, LAYOUT_PANE_RATE, joined, rows);
	assert_says(joined, rows, "no daily limit (OAuth)");
	assert_says(joined, rows, "private apps 500,000 of 500,000 used");

	/* A burn no larger than our own calls is said to be ours; a larger one is the account's. */
	steady_burn(&v, &c, 1);
	v.ev.api_requests = 12;
	render_pane(&v, LAYOUT_PANE_RATE, joined, rows);
	assert_says(joined, rows, "burning 1 calls/min, all by our own probes");
	v.ev.api_requests = 3;
	render_pane(&v, LAYOUT_PANE_RATE, joined, rows);
	assert_says(joined, rows, "(all apps on the account)");
	assert_not_says(joined, rows, "our own probes");

	/* With utc_offset: clock times say "account time", and the offset is shown. */
	c.utc_offset_min = -300;
	c.utc_offset_set = true;
	daily_spent(&v);
	render_pane(&v, LAYOUT_PANE_RATE, joined, rows);
	assert_says(joined, rows, "account time is UTC-05:00");
	assert_says(joined, rows, "00:00 account time");
}

/* R: without a back-off it is not needed; with one it opens the confirmation. */
static void test_probe_anyway_key(void **state)
{
	(void)state;
	config c;
	config_defaults(&c);
	ui_view v;
	const int64_t t0 = 1700000000000LL;
	view_answered(&v, &c, t0, t0);
	const ui_binding *R = binding_for('R');
	assert_true(R != binding_for('r'));
	assert_int_equal(R->fn(&v, 'R') & UI_HANDLED, UI_HANDLED);
	assert_null(v.modal);
	assert_non_null(strstr(v.flash, "R is not needed"));
	assert_non_null(strstr(v.flash, "r refreshes"));
	v.ev.backoff_until_ms = t0 + 3600000;
	assert_true(R->fn(&v, 'R') & UI_RELAYOUT);
	assert_ptr_equal(v.modal, &confirm_overlay);
	/* The box fits the body at every size, centred. */
	layout_rect body = {1, 0, 21, 80}, box;
	confirm_rect(&body, 4, &box);
	assert_true(box.w == 60 && box.h == 7 && box.x == 10 && box.y == 8);
	body = (layout_rect){2, 0, 4, 30};
	confirm_rect(&body, 4, &box);
	assert_true(box.w == 30 && box.h == 4 && box.y == 2);
	/* A command line's question (more than 4 lines) gets a wider, taller box. */
	body = (layout_rect){1, 0, 21, 80};
	confirm_rect(&body, 7, &box);
	assert_true(box.w == 76 && box.h == 10 && box.x == 2);
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
	    cmocka_unit_test(test_clock_zone),
	    cmocka_unit_test(test_duration_count_stale),
	    cmocka_unit_test(test_fit),
	    cmocka_unit_test(test_big_rows),
	    cmocka_unit_test(test_severity),
	    cmocka_unit_test(test_quote),
	    cmocka_unit_test(test_clocks),
	    cmocka_unit_test(test_refresh_rate_limited),
	    cmocka_unit_test(test_scenario_clears_backoff),
	    cmocka_unit_test(test_rate_reset_shown),
	    cmocka_unit_test(test_backoff_reason_wraps),
	    cmocka_unit_test(test_usage_could_not_count),
	    cmocka_unit_test(test_too_large_is_an_answer),
	    cmocka_unit_test(test_banner_waits),
	    cmocka_unit_test(test_status_says_fast_pace),
	    cmocka_unit_test(test_pick_share),
	    cmocka_unit_test(test_no_token_notice),
	    cmocka_unit_test(test_slow_is_a_warning),
	    cmocka_unit_test(test_labels),
	    cmocka_unit_test(test_probe_anyway_key),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	null_term_close();
	return rc;
}
