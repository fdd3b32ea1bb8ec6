/* The evidence board: publish, snapshot, sequence numbers, wake fd, sample rings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <poll.h>
#include <pthread.h>
#include <string.h>

#include "hsr/board.h"

/* Whether the wake fd is readable right now. */
static bool woken(board *b)
{
	struct pollfd p = {.fd = board_wake_fd(b), .events = POLLIN};
	return poll(&p, 1, 0) == 1;
}

static void test_empty_board_is_unknown(void **state)
{
	(void)state;
	board *b = board_new();
	evidence e;
	board_snapshot(b, &e);
	for (int i = 0; i < PROBE_COUNT; i++)
		assert_int_equal(e.seq[i], 0);
	assert_false(e.api.f.done);
	assert_false(e.api.rl_daily.known);
	assert_int_equal(e.health.hubspot_connected, -1);
	assert_int_equal(e.slow_ms, 3000); /* the config's default until configured */
	assert_false(woken(b));
	board_free(b);
}

/* board_configure puts the reading settings into every snapshot; probe evidence is untouched. */
static void test_configure_reading_settings(void **state)
{
	(void)state;
	board *b = board_new();
	config c;
	config_defaults(&c);
	c.slow_ms = 1250;
	c.utc_offset_min = -300;
	c.utc_offset_set = true;
	board_configure(b, &c);
	evidence e;
	board_snapshot(b, &e);
	assert_int_equal(e.slow_ms, 1250);
	assert_true(e.no_token);
	assert_int_equal(e.utc_offset_min, -300);
	assert_true(e.utc_offset_set);
	assert_false(e.api.f.done);
	for (int i = 0; i < PROBE_COUNT; i++)
		assert_int_equal(e.seq[i], 0);
	strcpy(c.token, "pat-na1-x");
	c.utc_offset_set = false;
	board_configure(b, &c);
	ev_api a;
	memset(&a, 0, sizeof a);
	a.f.done = true;
	board_publish(b, PROBE_API, &a, 1);
	board_snapshot(b, &e);
	assert_false(e.no_token);
	assert_false(e.utc_offset_set);
	assert_int_equal(e.slow_ms, 1250); /* a publish keeps the settings */
	board_free(b);
}

static void test_publish_wakes_and_sequences(void **state)
{
	(void)state;
	board *b = board_new();
	board_begin(b, PROBE_API);
	assert_true(woken(b));
	board_drain(b);
	assert_false(woken(b));
	evidence e;
	board_snapshot(b, &e);
	assert_true(e.in_flight[PROBE_API]);
	assert_true(e.started_ms[PROBE_API] > 0);

	ev_api a;
	memset(&a, 0, sizeof a);
	a.f.done = true;
	a.f.http_status = 200;
	a.f.latency_ms = 42;
	a.f.at_ms = 1000;
	a.rl_daily_remaining = OPT_OF(500);
	board_publish(b, PROBE_API, &a, 1);
	assert_true(woken(b));
	board_snapshot(b, &e);
	assert_false(e.in_flight[PROBE_API]);
	assert_int_equal(e.api.f.http_status, 200);
	assert_int_equal(e.api_requests, 1);
	assert_int_equal(e.n_latency, 1);
	assert_int_equal(e.latency_ms[0], 42);
	assert_int_equal(e.n_daily, 1);
	uint64_t s1 = e.seq[PROBE_API];
	assert_true(s1 > 0);

	ev_status st;
	memset(&st, 0, sizeof st);
	strcpy(st.indicator, "minor");
	board_publish(b, PROBE_STATUS, &st, 0);
	board_snapshot(b, &e);
	assert_true(e.seq[PROBE_STATUS] > s1);
	assert_int_equal(e.seq[PROBE_API], s1);
	assert_string_equal(e.status.indicator, "minor");
	assert_int_equal(e.api_requests, 1);
	board_free(b);
}

/* The rings keep the newest samples, oldest first; failed requests add no latency. */
static void test_rings(void **state)
{
	(void)state;
	board *b = board_new();
	ev_api a;
	for (int i = 0; i < BOARD_LATENCY_SAMPLES + 10; i++) {
		memset(&a, 0, sizeof a);
		a.f.done = true;
		a.f.http_status = 200;
		a.f.latency_ms = i;
		a.f.at_ms = 1000 + i;
		a.rl_daily_remaining = OPT_OF(1000 - i);
		board_publish(b, PROBE_API, &a, 1);
	}
	memset(&a, 0, sizeof a);
	a.f.done = true;
	a.f.err = HTTP_ERR_TIMEOUT;
	a.f.latency_ms = 9999;
	board_publish(b, PROBE_API, &a, 1);
	evidence e;
	board_snapshot(b, &e);
	assert_int_equal(e.n_latency, BOARD_LATENCY_SAMPLES);
	assert_int_equal(e.latency_ms[0], 10);
	assert_int_equal(e.latency_ms[BOARD_LATENCY_SAMPLES - 1], BOARD_LATENCY_SAMPLES + 9);
	assert_int_equal(e.n_daily, BOARD_DAILY_SAMPLES);
	assert_int_equal(e.daily[BOARD_DAILY_SAMPLES - 1].remaining,
			 1000 - (BOARD_LATENCY_SAMPLES + 9));
	assert_int_equal(e.api_requests, BOARD_LATENCY_SAMPLES + 11);
	assert_int_equal(e.api_requests_today, BOARD_LATENCY_SAMPLES + 11);
	board_free(b);
}

/* The day's count starts again at the account's midnight (here: a jump of the offset by 28 h). */
static void test_requests_today_reset(void **state)
{
	(void)state;
	board *b = board_new();
	ev_usage u;
	memset(&u, 0, sizeof u);
	board_set_utc_offset(b, -14 * 60);
	board_publish(b, PROBE_USAGE, &u, 1);
	board_publish(b, PROBE_USAGE, &u, 1);
	evidence e;
	board_snapshot(b, &e);
	assert_int_equal(e.api_requests_today, 2);
	board_set_utc_offset(b, 14 * 60);
	board_publish(b, PROBE_USAGE, &u, 1);
	board_snapshot(b, &e);
	assert_int_equal(e.api_requests_today, 1);
	assert_int_equal(e.api_requests, 3);
	board_free(b);
}

static void *writer(void *arg)
{
	board *b = arg;
	ev_health h;
	for (int i = 0; i < 2000; i++) {
		memset(&h, 0, sizeof h);
		h.state = (i % 2) ? HEALTH_HEALTHY : HEALTH_DEGRADED;
		h.dlq_pending = OPT_OF(i);
		board_begin(b, PROBE_HEALTH);
		board_publish(b, PROBE_HEALTH, &h, 0);
	}
	return NULL;
}

/* Snapshots taken while another thread publishes are never torn. */
static void test_concurrent_snapshots(void **state)
{
	(void)state;
	board *b = board_new();
	pthread_t t;
	pthread_create(&t, NULL, writer, b);
	for (int i = 0; i < 2000; i++) {
		evidence e;
		board_snapshot(b, &e);
		if (e.seq[PROBE_HEALTH]) {
			long long n = e.health.dlq_pending.v;
			assert_int_equal(e.health.state,
					 (n % 2) ? HEALTH_HEALTHY : HEALTH_DEGRADED);
		}
		board_drain(b);
	}
	pthread_join(t, NULL);
	board_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty_board_is_unknown),
	    cmocka_unit_test(test_configure_reading_settings),
	    cmocka_unit_test(test_publish_wakes_and_sequences),
	    cmocka_unit_test(test_rings),
	    cmocka_unit_test(test_requests_today_reset),
	    cmocka_unit_test(test_concurrent_snapshots),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
