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

/* Start scenario with the API probe every api_s seconds (healthy) / bad_s (not healthy), the
 * status page every status_s and the health endpoint every health_s (0: the defaults). */
static void rig_start_with(rig *g, const char *scenario, long api_s, long bad_s, long status_s,
			   long health_s)
{
	char err[128];
	g->s = sim_start(scenario, 0, err, sizeof err);
	assert_non_null(g->s);
	sim_config(&g->c, g->s);
	g->c.interval_api_s = api_s; /* below what the config file allows, for the tests */
	g->c.interval_api_unhealthy_s = bad_s;
	if (status_s)
		g->c.interval_status_s = status_s;
	if (health_s)
		g->c.interval_health_s = health_s;
	g->b = board_new();
	g->r = runner_start(&g->c, g->b, false);
	assert_non_null(g->r);
}

/* Start scenario with the API probe every api_s seconds (healthy) / bad_s (not healthy). */
static void rig_start(rig *g, const char *scenario, long api_s, long bad_s)
{
	rig_start_with(g, scenario, api_s, bad_s, 0, 0);
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
	assert_int_equal(runner_backoff_until(&a, NULL, now, &c, why, sizeof why), 0);

	a.f.http_status = 429;
	a.retry_after_s = OPT_OF(7);
	assert_int_equal(runner_backoff_until(&a, NULL, now, &c, why, sizeof why), now + 7000);
	assert_non_null(strstr(why, "Retry-After"));

	a.retry_after_s = OPT_UNKNOWN;
	strcpy(a.policy_name, "TEN_SECONDLY_ROLLING");
	a.rl_interval_ms = OPT_OF(10000);
	assert_int_equal(runner_backoff_until(&a, NULL, now, &c, why, sizeof why), now + 10000);
	a.rl_interval_ms = OPT_UNKNOWN;
	assert_int_equal(runner_backoff_until(&a, NULL, now, &c, why, sizeof why), now + 10000);

	/* DAILY, account zone unknown: ask again in an hour, not at UTC midnight. */
	strcpy(a.policy_name, "DAILY");
	assert_int_equal(runner_backoff_until(&a, NULL, now, &c, why, sizeof why), now + 3600000);
	assert_non_null(strstr(why, "utc_offset"));
	/* DAILY, zone known: until midnight in the account's zone, not UTC. */
	int64_t utc_midnight = (now / 86400000 + 1) * 86400000;
	char err[64];
	assert_int_equal(config_set(&c, "utc_offset", "+00:00", err, sizeof err), 0);
	assert_int_equal(runner_backoff_until(&a, NULL, now, &c, why, sizeof why), utc_midnight);
	/* UTC-05:00: local 17:13 -> next local midnight is 05:00Z the next day. */
	assert_int_equal(config_set(&c, "utc_offset", "-05:00", err, sizeof err), 0);
	assert_int_equal(runner_backoff_until(&a, NULL, now, &c, why, sizeof why),
			 utc_midnight + 5 * 3600000LL);
	/* UTC+09:00: local 07:13 on the 15th -> midnight local is 15:00Z on the 15th. */
	assert_int_equal(config_set(&c, "utc_offset", "+09:00", err, sizeof err), 0);
	assert_int_equal(runner_backoff_until(&a, NULL, now, &c, why, sizeof why),
			 utc_midnight + 15 * 3600000LL);
	/* HubSpot's own resetsAt wins over the configured zone. */
	ev_usage u;
	memset(&u, 0, sizeof u);
	u.resets_at_ms = now + 123000;
	assert_int_equal(runner_backoff_until(&a, &u, now, &c, why, sizeof why), now + 123000);
	/* A stale or absurd hint is ignored. */
	u.resets_at_ms = now - 5;
	assert_int_equal(runner_backoff_until(&a, &u, now, &c, why, sizeof why),
			 utc_midnight + 15 * 3600000LL);
	/* A DAILY 429 with a short Retry-After still waits for the reset. */
	a.retry_after_s = OPT_OF(10);
	assert_int_equal(runner_backoff_until(&a, NULL, now, &c, why, sizeof why),
			 utc_midnight + 15 * 3600000LL);
	/* ... and a Retry-After beyond the reset is honoured. */
	a.retry_after_s = OPT_OF(86400);
	assert_int_equal(runner_backoff_until(&a, NULL, now, &c, why, sizeof why),
			 now + 86400000LL);

	/* A 200 with the daily budget at zero: the next call would be a 429. */
	memset(&a, 0, sizeof a);
	a.f.http_status = 200;
	a.rl_daily_remaining = OPT_OF(0);
	assert_int_equal(runner_backoff_until(&a, NULL, now, &c, why, sizeof why),
			 utc_midnight + 15 * 3600000LL);
	/* An absurd Retry-After is capped at two days. */
	memset(&a, 0, sizeof a);
	a.f.http_status = 429;
	a.retry_after_s = OPT_OF(999999999LL);
	assert_true(runner_backoff_until(&a, NULL, now, &c, why, sizeof why) <=
		    now + 2 * 86400000LL);

	/* A 429 without a policy: a burst window, unless the usage endpoint says the day is
	 * used up; then it waits for the reset like a DAILY one (the predicates say daily too). */
	memset(&a, 0, sizeof a);
	a.f.http_status = 429;
	memset(&u, 0, sizeof u);
	u.f.done = true;
	u.f.http_status = 200;
	u.usage_limit = OPT_OF(500000);
	u.current_usage = OPT_OF(120000);
	assert_int_equal(runner_backoff_until(&a, &u, now, &c, why, sizeof why), now + 10000);
	u.current_usage = OPT_OF(500000);
	assert_int_equal(runner_backoff_until(&a, &u, now, &c, why, sizeof why),
			 utc_midnight + 15 * 3600000LL);
	assert_non_null(strstr(why, "daily limit spent"));
	/* Usage figures that cannot be believed do not make it daily. */
	strcpy(u.fetch_status, "TIMEOUT");
	assert_int_equal(runner_backoff_until(&a, &u, now, &c, why, sizeof why), now + 10000);
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

/* rig_start, then wait for the API probe's first answer and copy the board into e. */
static void rig_start_answered(rig *g, const char *scenario, long api_s, long bad_s, evidence *e)
{
	rig_start(g, scenario, api_s, bad_s);
	assert_true(wait_seq(g->b, PROBE_API, 0, 3000));
	board_snapshot(g->b, e);
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
	evidence e;
	rig_start_answered(&g, "daily-limit", 1, 1, &e);
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
	evidence e;
	rig_start_answered(&g, "burst-limit", 1, 1, &e);
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

/* A fetch_info that answered with HTTP status (0: no answer, a connect failure). */
static fetch_info answered(long status)
{
	fetch_info f;
	memset(&f, 0, sizeof f);
	f.done = true;
	f.configured = true;
	f.err = status ? HTTP_OK : HTTP_ERR_REFUSED;
	f.http_status = status;
	f.latency_ms = 120;
	f.json_ok = status != 0;
	return f;
}

/* "Turned worse", pure: answers that stop, 2xx that turn into errors, states that rise. */
static void test_turned_worse(void **state)
{
	(void)state;
	ev_api a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	/* Never probed before, or nothing after: not worse. */
	b.f = answered(503);
	assert_false(runner_turned_worse(PROBE_API, &a, &b, 3000));
	a.f = answered(200);
	memset(&b, 0, sizeof b);
	assert_false(runner_turned_worse(PROBE_API, &a, &b, 3000));
	/* 2xx -> 503, 2xx -> 429, 2xx -> no answer: worse; the other way round: not. */
	b.f = answered(503);
	assert_true(runner_turned_worse(PROBE_API, &a, &b, 3000));
	assert_false(runner_turned_worse(PROBE_API, &b, &a, 3000));
	b.f = answered(429);
	assert_true(runner_turned_worse(PROBE_API, &a, &b, 3000));
	b.f = answered(0);
	assert_true(runner_turned_worse(PROBE_API, &a, &b, 3000));
	/* An error answer that stops answering at all is worse; 401 -> 503 is not news. */
	a.f = answered(401);
	assert_true(runner_turned_worse(PROBE_API, &a, &b, 3000));
	b.f = answered(503);
	assert_false(runner_turned_worse(PROBE_API, &a, &b, 3000));
	/* Still no answer is not "turned" worse. */
	a.f = answered(0);
	b.f = answered(0);
	assert_false(runner_turned_worse(PROBE_API, &a, &b, 3000));
	/* Not asked (no token) or cancelled at quit: nothing to compare. */
	a.f = answered(200);
	b.f = answered(0);
	b.f.err = HTTP_ERR_NOT_CONFIGURED;
	b.f.configured = false;
	assert_false(runner_turned_worse(PROBE_API, &a, &b, 3000));
	b.f.configured = true;
	b.f.err = HTTP_ERR_CANCELLED;
	assert_false(runner_turned_worse(PROBE_API, &a, &b, 3000));
	/* A 2xx that turns slower than slow_ms, or spends the daily budget. */
	b.f = answered(200);
	b.f.latency_ms = 4002;
	assert_true(runner_turned_worse(PROBE_API, &a, &b, 3000));
	assert_false(runner_turned_worse(PROBE_API, &a, &b, 5000));
	assert_false(runner_turned_worse(PROBE_API, &b, &b, 3000));
	b.f.latency_ms = 130;
	a.rl_daily_remaining = OPT_OF(12);
	b.rl_daily_remaining = OPT_OF(0);
	assert_true(runner_turned_worse(PROBE_API, &a, &b, 3000));
	assert_false(runner_turned_worse(PROBE_API, &b, &a, 3000));

	/* Health: healthy -> degraded -> unhealthy; unknown ranks with healthy. */
	ev_health h1, h2;
	memset(&h1, 0, sizeof h1);
	memset(&h2, 0, sizeof h2);
	h1.f = answered(200);
	h2.f = answered(200);
	h1.state = HEALTH_HEALTHY;
	h2.state = HEALTH_DEGRADED;
	h1.hubspot_connected = h2.hubspot_connected = 1;
	assert_true(runner_turned_worse(PROBE_HEALTH, &h1, &h2, 3000));
	assert_false(runner_turned_worse(PROBE_HEALTH, &h2, &h1, 3000));
	h1.state = HEALTH_UNKNOWN;
	assert_true(runner_turned_worse(PROBE_HEALTH, &h1, &h2, 3000));
	h2.state = HEALTH_UNKNOWN;
	assert_false(runner_turned_worse(PROBE_HEALTH, &h1, &h2, 3000));
	/* The app says HubSpot is no longer connected, or its HubSpot latency turns slow. */
	h1.state = h2.state = HEALTH_HEALTHY;
	h2.hubspot_connected = 0;
	assert_true(runner_turned_worse(PROBE_HEALTH, &h1, &h2, 3000));
	h2.hubspot_connected = 1;
	h1.hubspot_latency_ms = OPT_OF(95);
	h2.hubspot_latency_ms = OPT_OF(4100);
	assert_true(runner_turned_worse(PROBE_HEALTH, &h1, &h2, 3000));
	h2.hubspot_latency_ms = OPT_OF(2900);
	assert_false(runner_turned_worse(PROBE_HEALTH, &h1, &h2, 3000));
	/* 200 degraded -> 503 unhealthy: the HTTP answer got worse. */
	h1.state = HEALTH_DEGRADED;
	h2.f = answered(503);
	h2.state = HEALTH_UNHEALTHY;
	assert_true(runner_turned_worse(PROBE_HEALTH, &h1, &h2, 3000));
	/* 503 -> 503: the same failure, not news. */
	assert_false(runner_turned_worse(PROBE_HEALTH, &h2, &h2, 3000));

	/* Status page: indicator, incidents, broken components, the API component. */
	static ev_status s1, s2;
	memset(&s1, 0, sizeof s1);
	s1.f = answered(200);
	strcpy(s1.indicator, "none");
	s2 = s1;
	assert_false(runner_turned_worse(PROBE_STATUS, &s1, &s2, 3000));
	strcpy(s2.indicator, "major");
	assert_true(runner_turned_worse(PROBE_STATUS, &s1, &s2, 3000));
	assert_false(runner_turned_worse(PROBE_STATUS, &s2, &s1, 3000));
	strcpy(s1.indicator, "critical");
	assert_false(runner_turned_worse(PROBE_STATUS, &s1, &s2, 3000));
	strcpy(s1.indicator, "minor");
	strcpy(s2.indicator, "minor");
	s2.incidents_total = 1;
	assert_true(runner_turned_worse(PROBE_STATUS, &s1, &s2, 3000));
	s2.incidents_total = 0;
	s2.api_component_degraded = true;
	assert_true(runner_turned_worse(PROBE_STATUS, &s1, &s2, 3000));
	s2.api_component_degraded = false;
	s2.components_bad_total = 2;
	assert_true(runner_turned_worse(PROBE_STATUS, &s1, &s2, 3000));
	s2.components_bad_total = 0;
	s2.f = answered(0);
	assert_true(runner_turned_worse(PROBE_STATUS, &s1, &s2, 3000));

	/* Usage: figures that stop being trusted, or that reach the limit. */
	ev_usage u1, u2;
	memset(&u1, 0, sizeof u1);
	u1.f = answered(200);
	strcpy(u1.fetch_status, "SUCCESS");
	u1.usage_limit = OPT_OF(500000);
	u1.current_usage = OPT_OF(69000);
	u2 = u1;
	assert_false(runner_turned_worse(PROBE_USAGE, &u1, &u2, 3000));
	strcpy(u2.fetch_status, "TIMEOUT");
	assert_true(runner_turned_worse(PROBE_USAGE, &u1, &u2, 3000));
	assert_false(runner_turned_worse(PROBE_USAGE, &u2, &u1, 3000));
	u2 = u1;
	u2.current_usage = OPT_OF(500000);
	assert_true(runner_turned_worse(PROBE_USAGE, &u1, &u2, 3000));
	u2.f = answered(500);
	assert_true(runner_turned_worse(PROBE_USAGE, &u1, &u2, 3000));
}

/* The budget of "turned worse" asks: at once, else deferred by the spacing; capped an hour. */
static void test_worse_budget(void **state)
{
	(void)state;
	runner_worse_budget bud;
	memset(&bud, 0, sizeof bud);
	int64_t t = 5000000; /* a monotonic clock some time after boot */
	assert_int_equal(runner_worse_next(&bud, t, 15000), t);
	/* Worse again 1 s later: deferred to 15 s after the last ask, not dropped ... */
	assert_int_equal(runner_worse_next(&bud, t + 1000, 15000), t + 15000);
	/* ... and while that one is planned, more news adds nothing. */
	assert_int_equal(runner_worse_next(&bud, t + 2000, 15000), 0);
	assert_int_equal(runner_worse_next(&bud, t + 14999, 15000), 0);
	/* Long after the last ask: at once. */
	assert_int_equal(runner_worse_next(&bud, t + 60000, 15000), t + 60000);
	/* An endpoint that flaps every second for an hour: at most the hourly cap, spaced. */
	memset(&bud, 0, sizeof bud);
	int n = 0;
	int64_t last = 0, min_gap = INT64_MAX;
	for (int64_t ms = 0; ms < 3600000; ms += 1000) {
		int64_t at = runner_worse_next(&bud, t + ms, 15000);
		if (!at)
			continue;
		assert_true(at >= t + ms);
		if (last && at - last < min_gap)
			min_gap = at - last;
		last = at;
		n++;
	}
	print_message("an hour of flapping every second: %d asks, at least %lld ms apart\n", n,
		      (long long)min_gap);
	assert_int_equal(n, RUNNER_WORSE_ASKS_PER_HOUR);
	assert_true(min_gap >= 15000);
	/* The next hour starts a new count. */
	assert_int_equal(runner_worse_next(&bud, t + 3600000 + 15000, 15000), t + 3600000 + 15000);
	/* A whole day of flapping stays within 24 times the cap. */
	memset(&bud, 0, sizeof bud);
	n = 0;
	for (int64_t ms = 0; ms < 86400000; ms += 1000)
		n += runner_worse_next(&bud, t + ms, 15000) != 0;
	print_message("a day of flapping: %d asks\n", n);
	assert_true(n <= 24 * RUNNER_WORSE_ASKS_PER_HOUR);
}

/* Wait until the board's evidence satisfies ok or ms pass; true when it did. */
static bool wait_board(board *b, bool (*ok)(const evidence *), long ms)
{
	static evidence e;
	int64_t end = common_mono_ms() + ms;
	for (;;) {
		board_drain(b);
		board_snapshot(b, &e);
		if (ok(&e))
			return true;
		if (common_mono_ms() >= end)
			return false;
		usleep(20 * 1000);
	}
}

/* Every probe has published once. */
static bool all_published(const evidence *e)
{
	for (int i = 0; i < PROBE_COUNT; i++)
		if (!e->seq[i])
			return false;
	return true;
}

/* The health probe has seen something worse than healthy. */
static bool health_not_healthy(const evidence *e)
{
	return e->health.f.done && e->health.state != HEALTH_HEALTHY;
}

/*
 * With long API and status intervals, a failure the health probe sees first makes the API and
 * status probes ask within about one round trip, not at their next turn a minute later.
 */
static void test_worse_health_asks_api_and_status(void **state)
{
	(void)state;
	rig g;
	rig_start_with(&g, "healthy", 600, 600, 600, 1);
	assert_true(wait_board(g.b, all_published, 5000));
	assert_int_equal(count_path(g.s, "/crm/"), 1);
	assert_int_equal(count_path(g.s, SIM_STATUS_PATH), 1);

	evidence e;
	board_snapshot(g.b, &e);
	uint64_t api_seq = e.seq[PROBE_API], status_seq = e.seq[PROBE_STATUS];
	assert_int_equal(sim_set_scenario(g.s, "hubspot-outage"), 0);
	assert_true(wait_board(g.b, health_not_healthy, 3000));
	board_snapshot(g.b, &e);
	int64_t seen = e.health.f.at_ms;
	/* One round trip later the API call and the status page have asked again. */
	assert_true(wait_seq(g.b, PROBE_API, api_seq, 2000));
	assert_true(wait_seq(g.b, PROBE_STATUS, status_seq, 2000));
	board_snapshot(g.b, &e);
	long api_after = (long)(e.api.f.at_ms - seen),
	     status_after = (long)(e.status.f.at_ms - seen);
	print_message("health saw the outage; API answered %ld ms later, status %ld ms later\n",
		      api_after, status_after);
	assert_int_equal(e.api.f.http_status, 503);
	assert_string_equal(e.status.indicator, "major");
	assert_true(api_after < 1500 && status_after < 1500);
	assert_int_equal(count_path(g.s, "/crm/"), 2);
	assert_int_equal(count_path(g.s, SIM_STATUS_PATH), 2);
	/* The API turning worse does not make it ask again, nor the status page a third time
	 * (one ask per interval_api_unhealthy). */
	usleep(1500 * 1000);
	assert_int_equal(count_path(g.s, "/crm/"), 2);
	assert_int_equal(count_path(g.s, SIM_STATUS_PATH), 2);
	rig_stop(&g);
}

/* The health probe says unhealthy. */
static bool health_unhealthy(const evidence *e)
{
	return e->health.f.done && e->health.state == HEALTH_UNHEALTHY;
}

/* The health probe says healthy. */
static bool health_healthy(const evidence *e)
{
	return e->health.f.done && e->health.state == HEALTH_HEALTHY;
}

/* News within the spacing is not dropped: the API asks once the spacing has passed. */
static void test_worse_within_spacing_deferred(void **state)
{
	(void)state;
	rig g;
	rig_start_with(&g, "healthy", 600, 3, 600, 1); /* asks at most every 3 s */
	assert_true(wait_board(g.b, all_published, 5000));
	evidence e;
	board_snapshot(g.b, &e);
	uint64_t seq = e.seq[PROBE_API];
	/* Our app fails: the API asks at once. */
	assert_int_equal(sim_set_scenario(g.s, "app-down"), 0);
	assert_true(wait_board(g.b, health_unhealthy, 3000));
	assert_true(wait_seq(g.b, PROBE_API, seq, 2000));
	board_snapshot(g.b, &e);
	int64_t first = e.api.f.at_ms - e.api.f.latency_ms;
	seq = e.seq[PROBE_API];
	/* It recovers and fails again within the 3 s: the next ask waits for the spacing ... */
	assert_int_equal(sim_set_scenario(g.s, "healthy"), 0);
	assert_true(wait_board(g.b, health_healthy, 3000));
	assert_int_equal(sim_set_scenario(g.s, "app-down"), 0);
	assert_true(wait_board(g.b, health_unhealthy, 3000));
	board_snapshot(g.b, &e);
	int64_t seen = e.health.f.at_ms;
	assert_true(seen - first < 3000);
	/* ... and then comes, instead of at the API's next turn 10 minutes later. */
	assert_true(wait_seq(g.b, PROBE_API, seq, 4000));
	board_snapshot(g.b, &e);
	int64_t second = e.api.f.at_ms - e.api.f.latency_ms;
	print_message("second failure seen %lld ms after the first ask; deferred ask %lld ms after "
		      "the first\n",
		      (long long)(seen - first), (long long)(second - first));
	assert_true(second - first >= 3000 - 50);
	assert_true(second - first < 3000 + 1000);
	assert_int_equal(count_path(g.s, "/crm/"), 3);
	rig_stop(&g);
}

/* A health endpoint that flaps on every probe does not turn into a stream of API calls. */
static void test_flapping_health_within_budget(void **state)
{
	(void)state;
	rig g;
	/* interval_api_unhealthy (4 s) is the spacing of "turned worse" asks. */
	rig_start_with(&g, "healthy", 600, 4, 600, 1);
	assert_true(wait_board(g.b, all_published, 5000));
	/* Flip the scenario after every health answer: healthy, app-down, healthy, ... */
	int64_t t0 = common_mono_ms(), span = 7500;
	int flips = 0, worse = 0;
	evidence e;
	board_snapshot(g.b, &e);
	uint64_t hseq = e.seq[PROBE_HEALTH];
	while (common_mono_ms() - t0 < span) {
		if (!wait_seq(g.b, PROBE_HEALTH, hseq, 3000))
			break;
		board_snapshot(g.b, &e);
		hseq = e.seq[PROBE_HEALTH];
		worse += e.health.state == HEALTH_UNHEALTHY;
		assert_int_equal(sim_set_scenario(g.s, flips % 2 ? "healthy" : "app-down"), 0);
		flips++;
	}
	usleep(300 * 1000);
	size_t crm = count_path(g.s, "/crm/"), st = count_path(g.s, SIM_STATUS_PATH);
	/* The first turn, then one every 4 s at most. */
	long allowed = 1 + 1 + (long)(common_mono_ms() - t0) / 4000;
	print_message("%d flips, %d unhealthy answers in %lld ms: %zu API calls, %zu status "
		      "(at most %ld)\n",
		      flips, worse, (long long)(common_mono_ms() - t0), crm, st, allowed);
	assert_true(worse >= 3);
	assert_true(crm >= 2);		      /* the first turn for the worse did ask */
	assert_true((long)crm <= allowed);    /* ... but not on every flap */
	assert_true(crm - 1 < (size_t)worse); /* fewer asks than turns for the worse */
	assert_true(st >= crm - 1 && st <= crm);
	rig_stop(&g);
}

/* A kick of every probe spends no API call: the count stays at crm. */
static void kick_spends_nothing(rig *g, size_t crm)
{
	runner_kick(g->r);
	usleep(400 * 1000);
	assert_int_equal(count_path(g->s, "/crm/"), crm);
}

/* "Probe once anyway" is accepted and the API probe publishes again; returns the evidence. */
static void ask_anyway(rig *g, evidence *e)
{
	char why[128];
	board_snapshot(g->b, e);
	uint64_t seq = e->seq[PROBE_API];
	assert_true(runner_probe_api_anyway(g->r, why, sizeof why));
	assert_true(wait_seq(g->b, PROBE_API, seq, 3000));
	board_snapshot(g->b, e);
}

/* After a DAILY 429, "probe once anyway" sends one request, and the back-off comes back. */
static void test_probe_anyway_daily(void **state)
{
	(void)state;
	rig g;
	evidence e;
	rig_start_answered(&g, "daily-limit", 600, 600, &e);
	assert_int_equal(e.api.f.http_status, 429);
	assert_true(e.backoff_until_ms > common_now_ms() + 60000);
	assert_int_equal(count_path(g.s, "/crm/"), 1);
	/* A refresh does not get through ... */
	kick_spends_nothing(&g, 1);
	/* ... "once anyway" does, exactly once. */
	ask_anyway(&g, &e);
	assert_int_equal(e.api.f.http_status, 429);
	assert_true(e.backoff_until_ms > common_now_ms() + 60000);
	assert_non_null(strstr(e.backoff_reason, "daily limit spent"));
	usleep(500 * 1000);
	assert_int_equal(count_path(g.s, "/crm/"), 2);
	/* The back-off holds again for kicks. */
	kick_spends_nothing(&g, 2);
	/* HubSpot raised the limit: asked once anyway, the 200 ends the back-off. */
	assert_int_equal(sim_set_scenario(g.s, "healthy"), 0);
	ask_anyway(&g, &e);
	assert_int_equal(e.api.f.http_status, 200);
	assert_int_equal(e.backoff_until_ms, 0);
	assert_int_equal(count_path(g.s, "/crm/"), 3);
	rig_stop(&g);
}

/* A burst back-off is not bypassed: refused with how long to wait; no back-off: asks now. */
static void test_probe_anyway_burst_refused(void **state)
{
	(void)state;
	rig g;
	evidence e;
	rig_start_answered(&g, "burst-limit", 600, 600, &e);
	assert_int_equal(e.api.f.http_status, 429);
	char why[128];
	int64_t before = common_now_ms();
	bool asked = runner_probe_api_anyway(g.r, why, sizeof why);
	if (before < e.backoff_until_ms - 100) {
		assert_false(asked);
		print_message("refused: %s\n", why);
		assert_non_null(strstr(why, "burst"));
		assert_non_null(strstr(why, "wait 1 s"));
		assert_null(strchr(why, '\n'));
		assert_int_equal(count_path(g.s, "/crm/"), 1);
	} else {
		fail_msg("the 1 s burst back-off was over before the test could try (%lld ms)",
			 (long long)(before - e.api.f.at_ms));
	}
	rig_stop(&g);

	/* Nothing running: refused with a reason. */
	assert_false(runner_probe_api_anyway(NULL, why, sizeof why));
	assert_non_null(strstr(why, "not running"));
	/* No back-off at all: it is a refresh of the API probe. */
	rig_start_answered(&g, "healthy", 600, 600, &e);
	ask_anyway(&g, &e);
	assert_int_equal(e.api.f.http_status, 200);
	assert_int_equal(count_path(g.s, "/crm/"), 2);
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
	    cmocka_unit_test(test_turned_worse),
	    cmocka_unit_test(test_worse_budget),
	    cmocka_unit_test(test_worse_health_asks_api_and_status),
	    cmocka_unit_test(test_worse_within_spacing_deferred),
	    cmocka_unit_test(test_flapping_health_within_budget),
	    cmocka_unit_test(test_probe_anyway_daily),
	    cmocka_unit_test(test_probe_anyway_burst_refused),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	http_global_cleanup();
	return rc;
}
