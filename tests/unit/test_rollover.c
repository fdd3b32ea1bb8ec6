/*
 * A dashboard left 10 minutes across midnight, on a fixed clock: the board's calls-today counter
 * and the daily figures roll over at the account's midnight (its UTC offset), not at UTC's.
 * The wall clock is this program's own clock_gettime(CLOCK_REALTIME): it overrides the C
 * library's for the code linked in here (common_now_ms), every other clock passes through.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdatomic.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "hsr/board.h"
#include "hsr/ratelimit.h"

static _Atomic int_least64_t fake_now_ms; /* 0: the real clock */

/* The wall clock, fixed by the test; every other clock (and 0) as the kernel says. */
int clock_gettime(clockid_t id, struct timespec *ts)
{
	int64_t ms = atomic_load(&fake_now_ms);
	if (id == CLOCK_REALTIME && ms > 0) {
		ts->tv_sec = (time_t)(ms / 1000);
		ts->tv_nsec = (long)(ms % 1000) * 1000000L;
		return 0;
	}
	return (int)syscall(SYS_clock_gettime, id, ts);
}

/* Epoch milliseconds of a UTC date and time. */
static int64_t utc_ms(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = {.tm_year = y - 1900,
			.tm_mon = mo - 1,
			.tm_mday = d,
			.tm_hour = h,
			.tm_min = mi,
			.tm_sec = s};
	return (int64_t)timegm(&tm) * 1000;
}

/* The API probe answers 200 at the fake now with daily remaining left, spending one call. */
static void publish_api(board *b, long long left)
{
	ev_api a;
	memset(&a, 0, sizeof a);
	a.f.done = a.f.configured = true;
	a.f.err = HTTP_OK;
	a.f.http_status = 200;
	a.f.latency_ms = 80;
	a.f.at_ms = common_now_ms();
	a.rl_daily = OPT_OF(500000);
	a.rl_daily_remaining = OPT_OF(left);
	board_publish(b, PROBE_API, &a, 1);
}

/*
 * Ten minutes, one API answer every 15 s from start (40 answers), the daily budget falling by
 * 10 a call and back to full after reset_at; returns the calls-today counter after each.
 */
static void ten_minutes(board *b, int64_t start, int64_t reset_at, long long *left,
			unsigned today[40])
{
	for (int i = 0; i < 40; i++) {
		int64_t now = start + (int64_t)i * 15000;
		atomic_store(&fake_now_ms, now);
		if (now >= reset_at && *left < 500000 - 10000) /* HubSpot's reset, seen once */
			*left = 500000;
		*left -= 10;
		publish_api(b, *left);
		evidence e;
		board_snapshot(b, &e);
		today[i] = e.api_requests_today;
	}
}

/* The account's midnight for an offset is where the counter restarts, on both sides of UTC's. */
static void test_next_reset_fixed_clock(void **state)
{
	(void)state;
	int64_t utc_midnight = utc_ms(2026, 12, 2, 0, 0, 0);
	/* UTC itself: the reset is at 00:00Z, and at 00:00Z exactly the next one is a day on. */
	assert_int_equal(ratelimit_next_reset_ms(utc_midnight - 1, 0), utc_midnight);
	assert_int_equal(ratelimit_next_reset_ms(utc_midnight, 0), utc_midnight + RATELIMIT_DAY_MS);
	/* US/Eastern (-05:00): not at 00:00Z but at 05:00Z. */
	int64_t east = utc_ms(2026, 12, 2, 5, 0, 0);
	assert_int_equal(ratelimit_next_reset_ms(utc_midnight, -300), east);
	assert_int_equal(ratelimit_next_reset_ms(east - 1, -300), east);
	assert_int_equal(ratelimit_next_reset_ms(east, -300), east + RATELIMIT_DAY_MS);
	/* Tokyo (+09:00): the account's midnight came at 15:00Z the day before. */
	assert_int_equal(ratelimit_next_reset_ms(utc_midnight, 540), utc_ms(2026, 12, 2, 15, 0, 0));
	/* India (+05:30): half-hour offsets hold. */
	assert_int_equal(ratelimit_next_reset_ms(utc_midnight, 330),
			 utc_ms(2026, 12, 2, 18, 30, 0));
}

/* Account at -05:00: UTC's midnight changes nothing; the account's restarts the count. */
static void test_counter_rolls_at_account_midnight(void **state)
{
	(void)state;
	board *b = board_new();
	assert_non_null(b);
	board_set_utc_offset(b, -300);
	long long left = 431000;
	unsigned today[40];
	int64_t east_midnight = utc_ms(2026, 12, 2, 5, 0, 0);

	/* 23:55Z to 00:05Z: the account's evening (18:55 to 19:05 local): no reset. */
	ten_minutes(b, utc_ms(2026, 12, 1, 23, 55, 0), east_midnight, &left, today);
	for (int i = 0; i < 40; i++)
		assert_int_equal(today[i], i + 1);

	/* 04:55Z to 05:05Z: the account's midnight at 05:00Z. */
	ten_minutes(b, utc_ms(2026, 12, 2, 4, 55, 0), east_midnight, &left, today);
	for (int i = 0; i < 20; i++) /* 04:55:00 .. 04:59:45: the same day */
		assert_int_equal(today[i], 40 + i + 1);
	for (int i = 20; i < 40; i++) /* from 05:00:00: a new day */
		assert_int_equal(today[i], i - 20 + 1);
	evidence e;
	board_snapshot(b, &e);
	assert_int_equal(e.api_requests, 80); /* the run's counter never restarts */
	assert_int_equal(e.api_requests_today, 20);

	/* The daily figures: the projection rests on today's samples only (since 05:00Z). */
	int64_t now = atomic_load(&fake_now_ms);
	int64_t next = ratelimit_next_reset_ms(now, -300);
	assert_int_equal(next, east_midnight + RATELIMIT_DAY_MS);
	ratelimit_burn burn;
	ratelimit_project(e.daily, e.n_daily, now, next, &burn);
	assert_int_equal(burn.n_used, 20);
	assert_int_equal(burn.kind, RATELIMIT_BURN_NONE); /* 40 a minute will not empty 500,000 */
	assert_true(burn.per_min > 39.9 && burn.per_min < 40.1);
	assert_int_equal(e.daily[e.n_daily - 1].remaining, 500000 - 20 * 10);
	board_free(b);
	atomic_store(&fake_now_ms, 0);
}

/* An account on UTC: the count restarts at 00:00Z, once. */
static void test_counter_rolls_at_utc_midnight(void **state)
{
	(void)state;
	board *b = board_new();
	assert_non_null(b);
	board_set_utc_offset(b, 0);
	long long left = 431000;
	unsigned today[40];
	int64_t midnight = utc_ms(2026, 12, 2, 0, 0, 0);
	ten_minutes(b, midnight - 5 * 60000, midnight, &left, today);
	assert_int_equal(today[19], 20);
	for (int i = 20; i < 40; i++)
		assert_int_equal(today[i], i - 20 + 1);
	/* A publish exactly one day later starts the next day; one a minute before does not. */
	atomic_store(&fake_now_ms, midnight + RATELIMIT_DAY_MS - 60000);
	publish_api(b, 1000);
	evidence e;
	board_snapshot(b, &e);
	assert_int_equal(e.api_requests_today, 21);
	atomic_store(&fake_now_ms, midnight + RATELIMIT_DAY_MS);
	publish_api(b, 500000);
	board_snapshot(b, &e);
	assert_int_equal(e.api_requests_today, 1);
	assert_int_equal(e.api_requests, 42);
	board_free(b);
	atomic_store(&fake_now_ms, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_next_reset_fixed_clock),
	    cmocka_unit_test(test_counter_rolls_at_account_midnight),
	    cmocka_unit_test(test_counter_rolls_at_utc_midnight),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
