/* Unit tests for ratelimit: the account's daily reset, burn-rate projection, fractions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hsr/ratelimit.h"

#define MIN_MS	60000LL
#define HOUR_MS (60 * MIN_MS)
/* 2024-03-14T18:30:00Z */
#define T1830Z 1710441000000LL
/* 2024-03-15T00:00:00Z */
#define T0000Z 1710460800000LL

/* Fill s with n samples every step_ms from t0, starting at v0 and falling by drop each step. */
static void series(daily_sample *s, int n, int64_t t0, int64_t step_ms, long long v0,
		   long long drop)
{
	for (int i = 0; i < n; i++) {
		s[i].at_ms = t0 + i * step_ms;
		s[i].remaining = v0 - i * drop;
	}
}

/* Project against the account's midnight at utc_offset_min, as when utc_offset is set. */
static void project_local(const daily_sample *s, int n, int64_t now_ms, long utc_offset_min,
			  ratelimit_burn *b)
{
	ratelimit_project(s, n, now_ms, ratelimit_next_reset_ms(now_ms, utc_offset_min), b);
}

/* Assert two millisecond times are within tol of each other. */
static void assert_near_ms(int64_t a, int64_t b, int64_t tol)
{
	int64_t d = a > b ? a - b : b - a;
	if (d > tol)
		fail_msg("times differ by %lld ms (%lld vs %lld)", (long long)d, (long long)a,
			 (long long)b);
}

/* Midnight in UTC, in US/Eastern, in India (now is exactly midnight there) and at +14 h. */
static void test_reset_offsets(void **state)
{
	(void)state;
	assert_int_equal(ratelimit_next_reset_ms(T1830Z, 0), T0000Z);
	/* -300: 13:30 local, midnight local is 05:00Z the next day. */
	assert_int_equal(ratelimit_next_reset_ms(T1830Z, -300), T0000Z + 5 * HOUR_MS);
	/* +330: 18:30Z is exactly 00:00 local, so the next reset is a whole day later. */
	assert_int_equal(ratelimit_next_reset_ms(T1830Z, 330), T1830Z + RATELIMIT_DAY_MS);
	/* +840: 08:30 local on the 15th; midnight local on the 16th is 10:00Z on the 15th. */
	assert_int_equal(ratelimit_next_reset_ms(T1830Z, 840), T0000Z + 10 * HOUR_MS);
	/* One millisecond before midnight UTC, and midnight itself. */
	assert_int_equal(ratelimit_next_reset_ms(T0000Z - 1, 0), T0000Z);
	assert_int_equal(ratelimit_next_reset_ms(T0000Z, 0), T0000Z + RATELIMIT_DAY_MS);
	/* Times before the epoch still floor correctly. */
	assert_int_equal(ratelimit_next_reset_ms(-1, 0), 0);
	assert_int_equal(ratelimit_next_reset_ms(-RATELIMIT_DAY_MS - 5, 0), -RATELIMIT_DAY_MS);
	/* A nonsense offset is clamped to a day rather than overflowing. */
	assert_int_equal(ratelimit_next_reset_ms(T1830Z, 100000000L),
			 ratelimit_next_reset_ms(T1830Z, 24 * 60));
	assert_int_equal(ratelimit_next_reset_ms(T1830Z, -100000000L),
			 ratelimit_next_reset_ms(T1830Z, -24 * 60));
	/* The reset is always after now and at most a day away. */
	for (long off = -720; off <= 840; off += 15) {
		int64_t r = ratelimit_next_reset_ms(T1830Z + off * 7777, off);
		assert_true(r > T1830Z + off * 7777);
		assert_true(r <= T1830Z + off * 7777 + RATELIMIT_DAY_MS);
	}
}

/* 500 calls a minute with 95,500 left at 18:30Z runs out at 21:41Z, before midnight. */
static void test_steady_decline(void **state)
{
	(void)state;
	daily_sample s[10];
	series(s, 10, T1830Z - 9 * MIN_MS, MIN_MS, 100000, 500);
	ratelimit_burn b;
	project_local(s, 10, T1830Z, 0, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_EXHAUSTS);
	assert_int_equal(b.n_used, 10);
	assert_true(b.per_min > 499.9 && b.per_min < 500.1);
	assert_near_ms(b.exhaust_ms, T1830Z + 191 * MIN_MS, 1000);
	assert_int_equal(b.reset_ms, T0000Z);
	/* In US/Eastern the reset is 05:00Z: still runs out at the same time. */
	project_local(s, 10, T1830Z, -300, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_EXHAUSTS);
	assert_near_ms(b.exhaust_ms, T1830Z + 191 * MIN_MS, 1000);
	/* In India the day just began at 18:30Z, so every sample is from yesterday. */
	project_local(s, 10, T1830Z, 330, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_UNKNOWN);
}

/* A decline too slow to matter before the reset is "none", with the rate still reported. */
static void test_slow_decline(void **state)
{
	(void)state;
	daily_sample s[8];
	series(s, 8, T1830Z - 7 * MIN_MS, MIN_MS, 431000, 3);
	ratelimit_burn b;
	project_local(s, 8, T1830Z, 0, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_NONE);
	assert_true(b.per_min > 2.9 && b.per_min < 3.1);
}

/* Noisy real-looking polling: jittered times and uneven drops still give a sane rate. */
static void test_noisy_decline(void **state)
{
	(void)state;
	static const int jitter_ms[] = {0, 830, -420, 1500, 90, -990, 300, 0, 610, -50, 220, 0};
	static const int drop[] = {0, 1210, 780, 1405, 990, 1002, 640, 1330, 1001, 870, 1150, 1000};
	daily_sample s[12];
	long long v = 200000;
	for (int i = 0; i < 12; i++) {
		v -= drop[i];
		s[i].at_ms = T1830Z - (11 - i) * MIN_MS + jitter_ms[i];
		s[i].remaining = v;
	}
	ratelimit_burn b;
	project_local(s, 12, T1830Z, 0, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_EXHAUSTS);
	assert_true(b.per_min > 900 && b.per_min < 1150);
	/* About 188,600 left at ~1,000/min: a little past three hours from now. */
	assert_true(b.exhaust_ms > T1830Z + 160 * MIN_MS && b.exhaust_ms < T1830Z + 210 * MIN_MS);
}

/* A flat series never runs out. */
static void test_no_decline(void **state)
{
	(void)state;
	daily_sample s[6];
	series(s, 6, T1830Z - 5 * MIN_MS, MIN_MS, 250000, 0);
	ratelimit_burn b;
	project_local(s, 6, T1830Z, 0, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_NONE);
	assert_true(b.per_min == 0.0);
	assert_int_equal(b.exhaust_ms, 0);
}

/* Nothing, one sample, or two samples ten seconds apart are not enough. */
static void test_too_few(void **state)
{
	(void)state;
	ratelimit_burn b;
	project_local(NULL, 0, T1830Z, 0, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_UNKNOWN);
	assert_int_equal(b.reset_ms, T0000Z);
	daily_sample s[2];
	series(s, 2, T1830Z - 10000, 10000, 5000, 400);
	project_local(s, 1, T1830Z, 0, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_UNKNOWN);
	assert_int_equal(b.n_used, 1);
	project_local(s, 2, T1830Z, 0, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_UNKNOWN);
	assert_int_equal(b.n_used, 2);
	project_local(s, -3, T1830Z, 0, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_UNKNOWN);
}

/* Across midnight only the samples after the reset count. */
static void test_across_reset(void **state)
{
	(void)state;
	daily_sample s[20];
	/* 23:50..23:59 burning 1000/min down to ~1000, then 00:01..00:10 burning 100/min. */
	series(s, 10, T0000Z - 10 * MIN_MS, MIN_MS, 10000, 1000);
	series(s + 10, 10, T0000Z + MIN_MS, MIN_MS, 249900, 100);
	ratelimit_burn b;
	project_local(s, 20, T0000Z + 10 * MIN_MS, 0, &b);
	assert_int_equal(b.n_used, 10);
	assert_int_equal(b.kind, RATELIMIT_BURN_NONE);
	assert_true(b.per_min > 99.9 && b.per_min < 100.1);
	assert_int_equal(b.reset_ms, T0000Z + RATELIMIT_DAY_MS);

	/* Just before midnight the same early samples project exhaustion at 00:00 - soon. */
	project_local(s, 10, T0000Z - MIN_MS, 0, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_NONE); /* 1000 left at 1000/min: 23:59 + 1 min */
	series(s, 10, T0000Z - 30 * MIN_MS, MIN_MS, 20000, 1000);
	project_local(s, 10, T0000Z - 21 * MIN_MS, 0, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_EXHAUSTS);
	assert_near_ms(b.exhaust_ms, T0000Z - 21 * MIN_MS + 11 * MIN_MS, 1000);
}

/* A rise without midnight (a limit pack added) also starts a new run. */
static void test_rise_cuts_run(void **state)
{
	(void)state;
	daily_sample s[9];
	series(s, 4, T1830Z - 8 * MIN_MS, MIN_MS, 5000, 1000);
	series(s + 4, 5, T1830Z - 4 * MIN_MS, MIN_MS, 1005000, 10);
	ratelimit_burn b;
	project_local(s, 9, T1830Z, 0, &b);
	assert_int_equal(b.n_used, 5);
	assert_int_equal(b.kind, RATELIMIT_BURN_NONE);
	assert_true(b.per_min > 9.9 && b.per_min < 10.1);
}

/* Samples with unknown values or times are skipped without breaking the run. */
static void test_unknown_values(void **state)
{
	(void)state;
	daily_sample s[8];
	series(s, 8, T1830Z - 7 * MIN_MS, MIN_MS, 60000, 500);
	s[2].remaining = -1;
	s[5].at_ms = 0;
	ratelimit_burn b;
	project_local(s, 8, T1830Z, 0, &b);
	assert_int_equal(b.n_used, 6);
	assert_int_equal(b.kind, RATELIMIT_BURN_EXHAUSTS);
	assert_true(b.per_min > 499.9 && b.per_min < 500.1);
	/* All unknown: nothing to say. */
	for (int i = 0; i < 8; i++)
		s[i].remaining = -1;
	project_local(s, 8, T1830Z, 0, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_UNKNOWN);
	assert_int_equal(b.n_used, 0);
	/* A sample stamped far in the future is not trusted. */
	series(s, 3, T1830Z - 2 * MIN_MS, MIN_MS, 60000, 500);
	s[2].at_ms = T1830Z + HOUR_MS;
	project_local(s, 3, T1830Z, 0, &b);
	assert_int_equal(b.n_used, 2);
}

/* Out-of-order times end the run where the order breaks. */
static void test_out_of_order(void **state)
{
	(void)state;
	daily_sample s[6];
	series(s, 6, T1830Z - 5 * MIN_MS, MIN_MS, 90000, 100);
	s[1].at_ms = s[4].at_ms;
	ratelimit_burn b;
	project_local(s, 6, T1830Z, 0, &b);
	assert_int_equal(b.n_used, 4);
}

/* Zero left is exhausted whatever the history; a stale projection is never in the past. */
static void test_exhausted_and_stale(void **state)
{
	(void)state;
	daily_sample s[3];
	series(s, 3, T1830Z - 2 * MIN_MS, MIN_MS, 1000, 500);
	ratelimit_burn b;
	project_local(s, 3, T1830Z, 0, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_EXHAUSTED);
	project_local(s + 2, 1, T1830Z, 0, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_EXHAUSTED);
	/* Samples from two hours ago burning fast: "runs out" would be in the past. */
	series(s, 3, T1830Z - 2 * HOUR_MS, MIN_MS, 3000, 1000);
	project_local(s, 3, T1830Z, 0, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_EXHAUSTS);
	assert_int_equal(b.exhaust_ms, T1830Z);
}

/* Remaining counts near the top of 63 bits neither overflow nor lose the rate. */
static void test_huge_numbers(void **state)
{
	(void)state;
	daily_sample s[5];
	series(s, 5, T1830Z - 4 * MIN_MS, MIN_MS, 9000000000000000000LL, 1000000000000000LL);
	ratelimit_burn b;
	project_local(s, 5, T1830Z, 0, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_NONE);
	assert_true(b.per_min > 0.99e15 && b.per_min < 1.01e15);
	/* 4e17 left at 1e15/min runs out in 400 min: after midnight (330 min away). */
	series(s, 5, T1830Z - 4 * MIN_MS, MIN_MS, 400000000000000000LL + 4000000000000000LL,
	       1000000000000000LL);
	project_local(s, 5, T1830Z, 0, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_NONE);
	/* 3e17 left: 300 min, before midnight. */
	series(s, 5, T1830Z - 4 * MIN_MS, MIN_MS, 300000000000000000LL + 4000000000000000LL,
	       1000000000000000LL);
	project_local(s, 5, T1830Z, 0, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_EXHAUSTS);
	assert_near_ms(b.exhaust_ms, T1830Z + 300 * MIN_MS, 1000);
	/* One call left of a huge budget, spent slowly. */
	series(s, 2, T1830Z - HOUR_MS, HOUR_MS, 2, 1);
	project_local(s, 2, T1830Z, 0, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_EXHAUSTS);
	assert_near_ms(b.exhaust_ms, T1830Z + HOUR_MS, 1000);
}

/* Fractions: unknown, zero max, over-full, empty, negative. */
static void test_fraction(void **state)
{
	(void)state;
	double f = -1;
	assert_false(ratelimit_fraction(OPT_UNKNOWN, OPT_OF(190), &f));
	assert_false(ratelimit_fraction(OPT_OF(10), OPT_UNKNOWN, &f));
	assert_false(ratelimit_fraction(OPT_OF(0), OPT_OF(0), &f));
	assert_false(ratelimit_fraction(OPT_OF(-4), OPT_OF(190), &f));
	assert_true(f == -1);
	assert_true(ratelimit_fraction(OPT_OF(0), OPT_OF(190), &f));
	assert_true(f == 0.0);
	assert_true(ratelimit_fraction(OPT_OF(95), OPT_OF(190), &f));
	assert_true(f == 0.5);
	assert_true(ratelimit_fraction(OPT_OF(400), OPT_OF(190), &f));
	assert_true(f == 1.0);
	assert_true(
	    ratelimit_fraction(OPT_OF(9000000000000000000LL), OPT_OF(9100000000000000000LL), &f));
	assert_true(f > 0.98 && f < 0.99);
}

/* An API answer with the given status and which header groups. */
static ev_api api_answer(long status, bool window, bool daily)
{
	ev_api a;
	memset(&a, 0, sizeof a);
	a.f.done = true;
	a.f.configured = true;
	a.f.err = HTTP_OK;
	a.f.http_status = status;
	if (window) {
		a.rl_interval_ms = OPT_OF(10000);
		a.rl_max = OPT_OF(110);
		a.rl_remaining = OPT_OF(104);
	}
	if (daily) {
		a.rl_daily = OPT_OF(250000);
		a.rl_daily_remaining = OPT_OF(0);
	}
	return a;
}

/* Daily budget: known (even at zero), OAuth, and the many ways to be unknown. */
static void test_daily_kind(void **state)
{
	(void)state;
	ev_api a = api_answer(200, true, true);
	assert_int_equal(ratelimit_daily(&a), RATELIMIT_DAILY_KNOWN);
	a = api_answer(429, false, true);
	assert_int_equal(ratelimit_daily(&a), RATELIMIT_DAILY_KNOWN);
	a = api_answer(200, true, false);
	assert_int_equal(ratelimit_daily(&a), RATELIMIT_DAILY_NONE);
	a = api_answer(204, true, false);
	assert_int_equal(ratelimit_daily(&a), RATELIMIT_DAILY_NONE);
	/* 2xx with no rate-limit headers at all: HubSpot did not gather them. */
	a = api_answer(200, false, false);
	assert_int_equal(ratelimit_daily(&a), RATELIMIT_DAILY_UNKNOWN);
	/* Errors are not proof of OAuth. */
	a = api_answer(401, true, false);
	assert_int_equal(ratelimit_daily(&a), RATELIMIT_DAILY_UNKNOWN);
	a = api_answer(429, true, false);
	assert_int_equal(ratelimit_daily(&a), RATELIMIT_DAILY_UNKNOWN);
	/* Only one of the two daily headers. */
	a = api_answer(200, true, false);
	a.rl_daily = OPT_OF(250000);
	assert_int_equal(ratelimit_daily(&a), RATELIMIT_DAILY_UNKNOWN);
	/* Never asked, or no HTTP answer. */
	memset(&a, 0, sizeof a);
	assert_int_equal(ratelimit_daily(&a), RATELIMIT_DAILY_UNKNOWN);
	a = api_answer(0, false, false);
	a.f.err = HTTP_ERR_TIMEOUT;
	assert_int_equal(ratelimit_daily(&a), RATELIMIT_DAILY_UNKNOWN);
}

/* Countdowns round up and stop at zero. */
static void test_countdown(void **state)
{
	(void)state;
	assert_int_equal(ratelimit_countdown_s(0, T1830Z), 0);
	assert_int_equal(ratelimit_countdown_s(T1830Z - 5, T1830Z), 0);
	assert_int_equal(ratelimit_countdown_s(T1830Z, T1830Z), 0);
	assert_int_equal(ratelimit_countdown_s(T1830Z + 1, T1830Z), 1);
	assert_int_equal(ratelimit_countdown_s(T1830Z + 1000, T1830Z), 1);
	assert_int_equal(ratelimit_countdown_s(T1830Z + 1001, T1830Z), 2);
	assert_int_equal(ratelimit_countdown_s(T0000Z, T1830Z), 19800);
}

/* Usage evidence that says HubSpot resets at resets_at_ms, with fetchStatus fs. */
static ev_usage usage_resets(int64_t resets_at_ms, const char *fs)
{
	ev_usage u;
	memset(&u, 0, sizeof u);
	u.f.done = true;
	u.f.configured = true;
	u.f.err = HTTP_OK;
	u.f.http_status = 200;
	u.resets_at_ms = resets_at_ms;
	snprintf(u.fetch_status, sizeof u.fetch_status, "%s", fs);
	return u;
}

/* The reset shown: HubSpot's word, else the configured midnight, else unknown (no UTC guess). */
static void test_reset_hint(void **state)
{
	(void)state;
	config c;
	config_defaults(&c);
	ratelimit_reset_source src = RATELIMIT_RESET_HUBSPOT;
	const int64_t hub = T0000Z + 5 * HOUR_MS; /* 05:00Z: US/Eastern midnight */

	/* Nothing known and no utc_offset: unknown, not 00:00 UTC. */
	assert_int_equal(ratelimit_reset_hint(NULL, &c, T1830Z, &src), 0);
	assert_int_equal(src, RATELIMIT_RESET_UNKNOWN);
	ev_usage u = usage_resets(0, "SUCCESS");
	assert_int_equal(ratelimit_reset_hint(&u, &c, T1830Z, &src), 0);
	assert_int_equal(src, RATELIMIT_RESET_UNKNOWN);

	/* HubSpot's resetsAt, trusted and ahead, wins over everything. */
	static const char *const trusted[] = {"SUCCESS", "CACHED", ""};
	for (size_t i = 0; i < sizeof trusted / sizeof trusted[0]; i++) {
		u = usage_resets(hub, trusted[i]);
		assert_int_equal(ratelimit_reset_hint(&u, &c, T1830Z, &src), hub);
		assert_int_equal(src, RATELIMIT_RESET_HUBSPOT);
	}
	c.utc_offset_min = 60;
	c.utc_offset_set = true;
	assert_int_equal(ratelimit_reset_hint(&u, &c, T1830Z, &src), hub);
	assert_int_equal(src, RATELIMIT_RESET_HUBSPOT);
	/* The source may be NULL. */
	assert_int_equal(ratelimit_reset_hint(&u, &c, T1830Z, NULL), hub);

	/* Not believed: untrusted figures, a time passed (or now), one too far away. */
	config_defaults(&c);
	static const char *const untrusted[] = {"FAILURE", "TIMEOUT", "NOTFOUND", "PENDING"};
	for (size_t i = 0; i < sizeof untrusted / sizeof untrusted[0]; i++) {
		u = usage_resets(hub, untrusted[i]);
		assert_int_equal(ratelimit_reset_hint(&u, &c, T1830Z, &src), 0);
		assert_int_equal(src, RATELIMIT_RESET_UNKNOWN);
	}
	u = usage_resets(T1830Z - 1, "SUCCESS");
	assert_int_equal(ratelimit_reset_hint(&u, &c, T1830Z, &src), 0);
	u = usage_resets(T1830Z, "SUCCESS");
	assert_int_equal(ratelimit_reset_hint(&u, &c, T1830Z, &src), 0);
	u = usage_resets(T1830Z + 2 * RATELIMIT_DAY_MS + 1, "SUCCESS");
	assert_int_equal(ratelimit_reset_hint(&u, &c, T1830Z, &src), 0);
	u = usage_resets(T1830Z + 2 * RATELIMIT_DAY_MS, "SUCCESS");
	assert_int_equal(ratelimit_reset_hint(&u, &c, T1830Z, &src), T1830Z + 2 * RATELIMIT_DAY_MS);

	/* ... then the account's midnight, only when utc_offset was set (even to +00:00). */
	u = usage_resets(T1830Z - 1, "SUCCESS");
	c.utc_offset_set = true;
	assert_int_equal(ratelimit_reset_hint(&u, &c, T1830Z, &src), T0000Z);
	assert_int_equal(src, RATELIMIT_RESET_MIDNIGHT);
	c.utc_offset_min = -300;
	assert_int_equal(ratelimit_reset_hint(&u, &c, T1830Z, &src), hub);
	assert_int_equal(src, RATELIMIT_RESET_MIDNIGHT);
	/* An offset value without utc_offset_set is a default, not the account's word. */
	c.utc_offset_set = false;
	assert_int_equal(ratelimit_reset_hint(&u, &c, T1830Z, &src), 0);
	assert_int_equal(src, RATELIMIT_RESET_UNKNOWN);
}

/* The projection measures against the reset it is given, or none. */
static void test_project_given_reset(void **state)
{
	(void)state;
	daily_sample s[10];
	ratelimit_burn b;
	/* 500/min with 95,500 left at 18:30Z runs out at 21:41Z. */
	series(s, 10, T1830Z - 9 * MIN_MS, MIN_MS, 100000, 500);
	/* HubSpot resets at 21:00Z: the run-out is after it, so it never runs out. */
	ratelimit_project(s, 10, T1830Z, T0000Z - 3 * HOUR_MS, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_NONE);
	assert_int_equal(b.reset_ms, T0000Z - 3 * HOUR_MS);
	assert_true(b.per_min > 499.9 && b.per_min < 500.1);
	/* At 22:00Z it runs out first. */
	ratelimit_project(s, 10, T1830Z, T0000Z - 2 * HOUR_MS, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_EXHAUSTS);
	assert_near_ms(b.exhaust_ms, T1830Z + 191 * MIN_MS, 1000);

	/* Unknown reset (0, or one already past): no time is made up for it... */
	ratelimit_project(s, 10, T1830Z, 0, &b);
	assert_int_equal(b.reset_ms, 0);
	assert_int_equal(b.kind, RATELIMIT_BURN_EXHAUSTS);
	assert_near_ms(b.exhaust_ms, T1830Z + 191 * MIN_MS, 1000);
	ratelimit_project(s, 10, T1830Z, T1830Z - 1, &b);
	assert_int_equal(b.reset_ms, 0);
	assert_int_equal(b.kind, RATELIMIT_BURN_EXHAUSTS);
	/* ... samples from before a UTC midnight still count (only a rise ends the run) ... */
	series(s, 10, T0000Z - 5 * MIN_MS, MIN_MS, 100000, 500);
	ratelimit_project(s, 10, T0000Z + 5 * MIN_MS, 0, &b);
	assert_int_equal(b.n_used, 10);
	/* ... and a run-out more than a day away is surely after the reset. */
	series(s, 10, T1830Z - 9 * MIN_MS, MIN_MS, 1000000, 500);
	ratelimit_project(s, 10, T1830Z, 0, &b);
	assert_int_equal(b.kind, RATELIMIT_BURN_NONE);
	assert_true(b.per_min > 499.9 && b.per_min < 500.1);
}

/* The burn is ours alone only when the decline it rests on fits within our own calls. */
static void test_burn_ours(void **state)
{
	(void)state;
	evidence e;
	memset(&e, 0, sizeof e);
	const long long left[] = {1000, 998, 996, 995};
	for (int i = 0; i < 4; i++)
		e.daily[i] = (daily_sample){.at_ms = 1000 * (i + 1), .remaining = left[i]};
	e.n_daily = 4;
	ratelimit_burn b = {.n_used = 4};
	e.api_requests = 5;
	assert_true(ratelimit_burn_ours(&e, &b)); /* 5 gone, 5 ours */
	e.api_requests = 4;
	assert_false(ratelimit_burn_ours(&e, &b)); /* 5 gone, only 4 ours */
	b.n_used = 2;
	e.api_requests = 1;
	assert_true(ratelimit_burn_ours(&e, &b)); /* the last two: 1 gone */
	b.n_used = 1;
	assert_false(ratelimit_burn_ours(&e, &b)); /* one sample says nothing */
	b.n_used = 5;
	assert_false(ratelimit_burn_ours(&e, &b)); /* more samples than kept */
	e.daily[3].remaining = -1;
	b.n_used = 4;
	e.api_requests = 100;
	assert_false(ratelimit_burn_ours(&e, &b)); /* unknown figures */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reset_offsets),
	    cmocka_unit_test(test_steady_decline),
	    cmocka_unit_test(test_slow_decline),
	    cmocka_unit_test(test_noisy_decline),
	    cmocka_unit_test(test_no_decline),
	    cmocka_unit_test(test_too_few),
	    cmocka_unit_test(test_across_reset),
	    cmocka_unit_test(test_rise_cuts_run),
	    cmocka_unit_test(test_unknown_values),
	    cmocka_unit_test(test_out_of_order),
	    cmocka_unit_test(test_exhausted_and_stale),
	    cmocka_unit_test(test_huge_numbers),
	    cmocka_unit_test(test_fraction),
	    cmocka_unit_test(test_daily_kind),
	    cmocka_unit_test(test_countdown),
	    cmocka_unit_test(test_reset_hint),
	    cmocka_unit_test(test_project_given_reset),
	    cmocka_unit_test(test_burn_ours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
