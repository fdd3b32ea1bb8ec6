/* The probe runner: intervals, the daily budget, back-off after 429 that a kick cannot bypass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "hsr/board.h"
#include "hsr/runner.h"
#include "hsr/sim.h"

/* How many requests reached a path starting with prefix. */
static size_t count_path(sim *s, const char *prefix)
{
	static sim_request reqs[4096];
	size_t n = sim_requests(s, reqs, 4096), c = 0;
	for (size_t i = 0; i < n && i < 4096; i++)
		if (strncmp(reqs[i].path, prefix, strlen(prefix)) == 0)
			c++;
	return c;
}

/* A config pointed at the simulator, with a token. */
static void sim_config(config *c, sim *s)
{
	config_defaults(c);
	config_point_at(c, sim_base_url(s));
	strcpy(c->token, "pat-test");
	c->timeout_ms = 3000;
}

/* A simulator, a board and a runner pointed at it. */
typedef struct {
	sim *s;
	config c;
	board *b;
	runner *r;
} rig;

/* Start scenario with the API probe every api_s seconds (healthy) / bad_s (not healthy). */
static void rig_start(rig *g, const char *scenario, long api_s, long bad_s)
{
	char err[128];
	g->s = sim_start(scenario, 0, err, sizeof err);
	assert_non_null(g->s);
	sim_config(&g->c, g->s);
	g->c.interval_api_s = api_s; /* below what the config file allows, for the tests */
	g->c.interval_api_unhealthy_s = bad_s;
	g->b = board_new();
	g->r = runner_start(&g->c, g->b, false);
	assert_non_null(g->r);
}

/* Stop and free everything rig_start made. */
static void rig_stop(rig *g)
{
	runner_stop(g->r);
	board_free(g->b);
	sim_stop(g->s);
}

/* A healthy day stays under 1,500 API calls with the default intervals. */
static void test_daily_budget_default_intervals(void **state)
{
	(void)state;
	config c;
	config_defaults(&c);
	int64_t day = 86400000;
	int64_t calls = day / runner_interval_ms(&c, PROBE_API, false) +
			day / runner_interval_ms(&c, PROBE_USAGE, false);
	print_message("healthy day: %lld API calls\n", (long long)calls);
	assert_true(calls < 1500);
	/* Unhealthy, the API probe asks every 15 s. */
	assert_int_equal(runner_interval_ms(&c, PROBE_API, true), 15000);
	assert_int_equal(runner_interval_ms(&c, PROBE_API, false), 60000);
	assert_int_equal(runner_interval_ms(&c, PROBE_STATUS, false), 60000);
	assert_int_equal(runner_interval_ms(&c, PROBE_HEALTH, false), 15000);
}

/* The back-off rules, pure. */
static void test_backoff_rules(void **state)
{
	(void)state;
	ev_api a;
	char why[96];
	config c;
	config_defaults(&c);
	int64_t now = 1700000000000LL; /* 2023-11-14T22:13:20Z */
	memset(&a, 0, sizeof a);
	a.f.http_status = 200;
	assert_int_equal(runner_backoff_until(&a, now, 0, &c, why, sizeof why), 0);

	a.f.http_status = 429;
	a.retry_after_s = OPT_OF(7);
	assert_int_equal(runner_backoff_until(&a, now, 0, &c, why, sizeof why), now + 7000);
	assert_non_null(strstr(why, "Retry-After"));

	a.retry_after_s = OPT_UNKNOWN;
	strcpy(a.policy_name, "TEN_SECONDLY_ROLLING");
	a.rl_interval_ms = OPT_OF(10000);
	assert_int_equal(runner_backoff_until(&a, now, 0, &c, why, sizeof why), now + 10000);
	a.rl_interval_ms = OPT_UNKNOWN;
	assert_int_equal(runner_backoff_until(&a, now, 0, &c, why, sizeof why), now + 10000);

	/* DAILY, account zone unknown: ask again in an hour, not at UTC midnight. */
	strcpy(a.policy_name, "DAILY");
	assert_int_equal(runner_backoff_until(&a, now, 0, &c, why, sizeof why), now + 3600000);
	assert_non_null(strstr(why, "utc_offset"));
	/* DAILY, zone known: until midnight in the account's zone, not UTC. */
	int64_t utc_midnight = (now / 86400000 + 1) * 86400000;
	char err[64];
	assert_int_equal(config_set(&c, "utc_offset", "+00:00", err, sizeof err), 0);
	assert_int_equal(runner_backoff_until(&a, now, 0, &c, why, sizeof why), utc_midnight);
	/* UTC-05:00: local 17:13 -> next local midnight is 05:00Z the next day. */
	assert_int_equal(config_set(&c, "utc_offset", "-05:00", err, sizeof err), 0);
	assert_int_equal(runner_backoff_until(&a, now, 0, &c, why, sizeof why),
			 utc_midnight + 5 * 3600000LL);
	/* UTC+09:00: local 07:13 on the 15th -> midnight local is 15:00Z on the 15th. */
	assert_int_equal(config_set(&c, "utc_offset", "+09:00", err, sizeof err), 0);
	assert_int_equal(runner_backoff_until(&a, now, 0, &c, why, sizeof why),
			 utc_midnight + 15 * 3600000LL);
	/* HubSpot's own resetsAt wins over the configured zone. */
	assert_int_equal(runner_backoff_until(&a, now, now + 123000, &c, why, sizeof why),
			 now + 123000);
	/* A stale or absurd hint is ignored. */
	assert_int_equal(runner_backoff_until(&a, now, now - 5, &c, why, sizeof why),
			 utc_midnight + 15 * 3600000LL);
	/* A DAILY 429 with a short Retry-After still waits for the reset. */
	a.retry_after_s = OPT_OF(10);
	assert_int_equal(runner_backoff_until(&a, now, 0, &c, why, sizeof why),
			 utc_midnight + 15 * 3600000LL);
	/* ... and a Retry-After beyond the reset is honoured. */
	a.retry_after_s = OPT_OF(86400);
	assert_int_equal(runner_backoff_until(&a, now, 0, &c, why, sizeof why), now + 86400000LL);

	/* A 200 with the daily budget at zero: the next call would be a 429. */
	memset(&a, 0, sizeof a);
	a.f.http_status = 200;
	a.rl_daily_remaining = OPT_OF(0);
	assert_int_equal(runner_backoff_until(&a, now, 0, &c, why, sizeof why),
			 utc_midnight + 15 * 3600000LL);
	/* An absurd Retry-After is capped at two days. */
	memset(&a, 0, sizeof a);
	a.f.http_status = 429;
	a.retry_after_s = OPT_OF(999999999LL);
	assert_true(runner_backoff_until(&a, now, 0, &c, why, sizeof why) <= now + 2 * 86400000LL);
}

/* Poll the board until cond holds for probe id or ms pass. */
static bool wait_seq(board *b, probe_id id, uint64_t above, long ms)
{
	int64_t end = common_mono_ms() + ms;
	while (common_mono_ms() < end) {
		evidence e;
		board_snapshot(b, &e);
		if (e.seq[id] > above)
			return true;
		struct pollfd p = {.fd = board_wake_fd(b), .events = POLLIN};
		poll(&p, 1, 50);
		board_drain(b);
	}
	return false;
}

/* The probes repeat on their interval. */
static void test_intervals_live(void **state)
{
	(void)state;
	char err[128];
	sim *s = sim_start("healthy", 0, err, sizeof err);
	assert_non_null(s);
	config c;
	sim_config(&c, s);
	c.interval_api_s = 1; /* below what the config file allows, for the test */
	c.interval_status_s = 100;
	board *b = board_new();
	runner *r = runner_start(&c, b, false);
	usleep(3500 * 1000);
	runner_stop(r);
	size_t api = count_path(s, "/crm/"), st = count_path(s, "/api/v2/");
	print_message("3.5 s at 1 s interval: %zu API calls, %zu status calls\n", api, st);
	assert_true(api >= 3 && api <= 5);
	assert_int_equal(st, 1);
	evidence e;
	board_snapshot(b, &e);
	assert_true(e.n_latency >= 3);
	assert_true(e.n_daily >= 3);
	assert_true(e.daily[0].remaining > e.daily[e.n_daily - 1].remaining);
	assert_int_equal(e.api_requests, api + count_path(s, "/account-info/"));
	board_free(b);
	sim_stop(s);
}

/* After a 429, neither the interval nor a kick makes the API probe ask before the back-off ends. */
static void test_kick_honours_backoff(void **state)
{
	(void)state;
	rig g;
	rig_start(&g, "daily-limit", 1, 1);
	assert_true(wait_seq(g.b, PROBE_API, 0, 3000));
	evidence e;
	board_snapshot(g.b, &e);
	assert_int_equal(e.api.f.http_status, 429);
	assert_true(e.backoff_until_ms > common_now_ms() + 60000);
	assert_non_null(strstr(e.backoff_reason, "daily limit spent"));
	size_t before = count_path(g.s, "/crm/");
	for (int i = 0; i < 5; i++) {
		runner_kick(g.r);
		runner_set_unhealthy(g.r, i % 2);
		usleep(300 * 1000);
	}
	assert_int_equal(count_path(g.s, "/crm/"), before);
	/* Other probes do answer a kick. */
	board_snapshot(g.b, &e);
	assert_true(e.seq[PROBE_STATUS] > 0);
	rig_stop(&g);
}

/* With no utc_offset, a DAILY back-off first guesses an hour, then takes HubSpot's resetsAt. */
static void test_daily_backoff_takes_hubspot_reset(void **state)
{
	(void)state;
	rig g;
	rig_start(&g, "daily-limit", 1, 1);
	assert_false(g.c.utc_offset_set);
	assert_true(wait_seq(g.b, PROBE_API, 0, 3000));
	assert_true(wait_seq(g.b, PROBE_USAGE, 0, 3000));
	evidence e;
	int64_t end = common_mono_ms() + 2000;
	do {
		usleep(50 * 1000);
		board_snapshot(g.b, &e);
	} while (!strstr(e.backoff_reason, "HubSpot's reset") && common_mono_ms() < end);
	assert_non_null(strstr(e.backoff_reason, "HubSpot's reset"));
	assert_true(e.usage.resets_at_ms > common_now_ms());
	assert_int_equal(e.backoff_until_ms, e.usage.resets_at_ms);
	/* ... and still no second CRM request. */
	assert_int_equal(count_path(g.s, "/crm/"), 1);
	rig_stop(&g);
}

/* A burst 429 holds the probe for Retry-After, then it asks again. */
static void test_burst_backoff_then_retry(void **state)
{
	(void)state;
	rig g;
	rig_start(&g, "burst-limit", 1, 1);
	assert_true(wait_seq(g.b, PROBE_API, 0, 3000));
	evidence e;
	board_snapshot(g.b, &e);
	int64_t until = e.backoff_until_ms;
	assert_true(until > common_now_ms());
	uint64_t seq = e.seq[PROBE_API];
	runner_kick(g.r);
	assert_true(wait_seq(g.b, PROBE_API, seq, 4000));
	board_snapshot(g.b, &e);
	/* The second request started no earlier than the back-off allowed. */
	assert_true(e.api.f.at_ms - e.api.f.latency_ms >= until - 2);
	rig_stop(&g);
}

/* Turning unhealthy re-plans the API probe from its last request: no extra request at once. */
static void test_unhealthy_replans_without_extra_call(void **state)
{
	(void)state;
	rig g;
	rig_start(&g, "healthy", 60, 2);
	assert_true(wait_seq(g.b, PROBE_API, 0, 3000));
	runner_set_unhealthy(g.r, true);
	usleep(500 * 1000);
	assert_int_equal(count_path(g.s, "/crm/"), 1);
	/* ... and the faster pace starts from the last request. */
	usleep(2000 * 1000);
	assert_int_equal(count_path(g.s, "/crm/"), 2);
	rig_stop(&g);
}

/* A kick while a request is out is answered by that request, not by a second one. */
static void test_kick_during_request_absorbed(void **state)
{
	(void)state;
	rig g;
	rig_start(&g, "slow", 60, 60); /* every answer takes 4 s */
	usleep(300 * 1000);
	runner_kick(g.r);
	assert_true(wait_seq(g.b, PROBE_API, 0, 6000));
	usleep(800 * 1000);
	assert_int_equal(count_path(g.s, "/crm/"), 1);
	rig_stop(&g);
}

/* Stopping while every endpoint hangs returns promptly. */
static void test_stop_while_hanging(void **state)
{
	(void)state;
	char err[128];
	sim *s = sim_start("hang", 0, err, sizeof err);
	assert_non_null(s);
	config c;
	sim_config(&c, s);
	c.timeout_ms = 30000;
	board *b = board_new();
	runner *r = runner_start(&c, b, false);
	usleep(300 * 1000);
	evidence e;
	board_snapshot(b, &e);
	assert_true(e.in_flight[PROBE_API]);
	int64_t t0 = common_mono_ms();
	runner_stop(r);
	int64_t took = common_mono_ms() - t0;
	print_message("runner_stop while hanging: %lld ms\n", (long long)took);
	assert_true(took < 500);
	board_free(b);
	sim_stop(s);
}

int main(void)
{
	http_global_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_daily_budget_default_intervals),
	    cmocka_unit_test(test_backoff_rules),
	    cmocka_unit_test(test_intervals_live),
	    cmocka_unit_test(test_kick_honours_backoff),
	    cmocka_unit_test(test_burst_backoff_then_retry),
	    cmocka_unit_test(test_daily_backoff_takes_hubspot_reset),
	    cmocka_unit_test(test_unhealthy_replans_without_extra_call),
	    cmocka_unit_test(test_kick_during_request_absorbed),
	    cmocka_unit_test(test_stop_while_hanging),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	http_global_cleanup();
	return rc;
}
