/*
 * The watch: a real board fed real-looking evidence -> diagnosis, readiness, transitions, the
 * last 2xx and the pace; and the pure readings (outcome, 2xx, staleness, pace, severity).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "evidence_fixture.h"
#include "hsr/watch.h"

typedef void (*setup_fn)(evidence *e);

/* Publish what setup writes for probe id to b, as the probe thread would. */
static void publish(board *b, probe_id id, setup_fn setup, int64_t at_ms)
{
	evidence scratch;
	board_evidence_init(&scratch);
	setup(&scratch);
	fetch_info *f = (fetch_info *)evidence_fetch(&scratch, id);
	f->at_ms = at_ms;
	static const size_t off[PROBE_COUNT] = {
	    [PROBE_STATUS] = offsetof(evidence, status),
	    [PROBE_API] = offsetof(evidence, api),
	    [PROBE_USAGE] = offsetof(evidence, usage),
	    [PROBE_HEALTH] = offsetof(evidence, health),
	};
	board_begin(b, id);
	board_publish(b, id, (const char *)&scratch + off[id], id == PROBE_API ? 1 : 0);
}

/* A board, the built-in runbook and the default config, for one test. */
typedef struct {
	config cfg;
	runbook *rb;
	board *b;
	watch *w;
} rig;

/* Set the rig up with a watch that tells no runner. */
static void rig_open(rig *r)
{
	char err[256];
	config_defaults(&r->cfg);
	r->rb = runbook_load_default(err, sizeof err);
	assert_non_null(r->rb);
	r->b = board_new();
	assert_non_null(r->b);
	board_configure(r->b, &r->cfg);
	r->w = watch_new(&r->cfg, r->rb, r->b, NULL);
	assert_non_null(r->w);
}

/* Take it down. */
static void rig_close(rig *r)
{
	watch_free(r->w);
	board_free(r->b);
	runbook_free(r->rb);
}

/* Until the API call and the status page have both published: no leaf believed, no pace. */
static void test_update_waits_for_api_and_status(void **state)
{
	(void)state;
	rig r;
	rig_open(&r);
	const int64_t t0 = 1715680000000;
	const watch_view *v = watch_view_of(r.w);
	assert_false(v->ready);
	assert_string_equal(v->leaf_id, "unknown");

	publish(r.b, PROBE_HEALTH, fx_health_unhealthy_connected, t0);
	unsigned ch = watch_update(r.w, t0 + 10);
	assert_int_equal(ch, 1u << PROBE_HEALTH);
	assert_false(v->ready);
	/* The diagnosis exists (it rests on health alone) but is not believed yet. */
	assert_non_null(v->d.leaf);
	assert_int_equal(watch_transition_count(r.w), 0);
	assert_false(v->fast);
	assert_int_equal(v->at_ms, t0 + 10);

	publish(r.b, PROBE_STATUS, fx_status_ok, t0 + 20);
	ch = watch_update(r.w, t0 + 30);
	assert_int_equal(ch, 1u << PROBE_STATUS);
	assert_false(v->ready);
	assert_int_equal(watch_transition_count(r.w), 0);

	publish(r.b, PROBE_API, fx_api_200, t0 + 40);
	ch = watch_update(r.w, t0 + 50);
	assert_true(v->ready);
	assert_int_equal(ch, (1u << PROBE_API) | WATCH_NEW_LEAF);
	assert_string_equal(v->leaf_id, "app-unhealthy");
	assert_int_equal(v->level, WATCH_LEVEL_CRIT);
	assert_false(v->fast); /* HubSpot answers: more API calls tell nothing new */
	assert_int_equal(v->last_2xx_ms, t0 + 40);
	assert_int_equal(watch_transition_count(r.w), 1);
	uint64_t cur = 0;
	watch_transition t;
	assert_true(watch_transition_next(r.w, &cur, &t));
	assert_int_equal(t.n, 1);
	assert_int_equal(t.at_ms, t0 + 50);
	assert_string_equal(t.from, "unknown");
	assert_string_equal(t.to, "app-unhealthy");
	assert_false(watch_transition_next(r.w, &cur, &t));

	/* Nothing new on the board: nothing changed, no transition. */
	assert_int_equal(watch_update(r.w, t0 + 60), 0);
	assert_int_equal(watch_transition_count(r.w), 1);
	rig_close(&r);
}

/* A token revoked mid-incident: a transition, the fast pace, the last 2xx kept; then back. */
static void test_update_transitions_and_pace(void **state)
{
	(void)state;
	rig r;
	rig_open(&r);
	const int64_t t0 = 1715680000000;
	const watch_view *v = watch_view_of(r.w);
	publish(r.b, PROBE_HEALTH, fx_health_healthy, t0);
	publish(r.b, PROBE_STATUS, fx_status_ok, t0);
	publish(r.b, PROBE_API, fx_api_200, t0 + 1000);
	watch_update(r.w, t0 + 1100);
	assert_string_equal(v->leaf_id, "healthy");
	assert_int_equal(v->level, WATCH_LEVEL_OK);
	assert_false(v->fast);

	publish(r.b, PROBE_API, fx_api_401, t0 + 60000);
	unsigned ch = watch_update(r.w, t0 + 60100);
	assert_int_equal(ch, (1u << PROBE_API) | WATCH_NEW_LEAF);
	assert_string_equal(v->leaf_id, "token-invalid");
	assert_int_equal(v->level, WATCH_LEVEL_CRIT);
	assert_true(v->fast);
	assert_int_equal(v->last_2xx_ms, t0 + 1000); /* a 401 is not a 2xx */

	/* A burst 429: a leaf that warns, still fast. */
	publish(r.b, PROBE_API, fx_api_429_burst, t0 + 75000);
	watch_update(r.w, t0 + 75100);
	assert_string_equal(v->leaf_id, "rate-limit-burst");
	assert_int_equal(v->level, WATCH_LEVEL_WARN);
	assert_true(v->fast);

	/* The API's back-off alone marks the API probe changed. */
	board_backoff(r.b, t0 + 85000, "429 TEN_SECONDLY_ROLLING: waiting out the 10 s window");
	assert_int_equal(watch_update(r.w, t0 + 75200), 1u << PROBE_API);

	publish(r.b, PROBE_API, fx_api_200, t0 + 90000);
	watch_update(r.w, t0 + 90100);
	assert_string_equal(v->leaf_id, "healthy");
	assert_false(v->fast);
	assert_int_equal(v->last_2xx_ms, t0 + 90000);

	static const char *const want[][2] = {{"unknown", "healthy"},
					      {"healthy", "token-invalid"},
					      {"token-invalid", "rate-limit-burst"},
					      {"rate-limit-burst", "healthy"}};
	uint64_t cur = 0;
	watch_transition t;
	for (size_t i = 0; i < 4; i++) {
		assert_true(watch_transition_next(r.w, &cur, &t));
		assert_int_equal(t.n, i + 1);
		assert_string_equal(t.from, want[i][0]);
		assert_string_equal(t.to, want[i][1]);
	}
	assert_false(watch_transition_next(r.w, &cur, &t));
	assert_int_equal(cur, 4);
	rig_close(&r);
}

/* A follower far behind skips to the oldest transition kept; one caught up sees only news. */
static void test_transition_ring(void **state)
{
	(void)state;
	rig r;
	rig_open(&r);
	const int64_t t0 = 1715680000000;
	publish(r.b, PROBE_STATUS, fx_status_ok, t0);
	publish(r.b, PROBE_HEALTH, fx_health_healthy, t0);
	const int flips = WATCH_TRANSITIONS + 6;
	for (int i = 0; i < flips; i++) {
		publish(r.b, PROBE_API, i % 2 ? fx_api_401 : fx_api_200, t0 + i * 1000);
		watch_update(r.w, t0 + i * 1000 + 5);
	}
	assert_int_equal(watch_transition_count(r.w), flips);
	uint64_t cur = 0;
	watch_transition t;
	assert_true(watch_transition_next(r.w, &cur, &t));
	assert_int_equal(t.n, flips - WATCH_TRANSITIONS + 1);
	assert_int_equal(t.at_ms, t0 + (flips - WATCH_TRANSITIONS) * 1000 + 5);
	int seen = 1;
	while (watch_transition_next(r.w, &cur, &t))
		seen++;
	assert_int_equal(seen, WATCH_TRANSITIONS);
	assert_string_equal(t.to, (flips - 1) % 2 ? "token-invalid" : "healthy");

	publish(r.b, PROBE_API, fx_api_503, t0 + 999000);
	watch_update(r.w, t0 + 999005);
	assert_true(watch_transition_next(r.w, &cur, &t));
	assert_string_equal(t.to, "hubspot-server-error");
	assert_false(watch_transition_next(r.w, &cur, &t));
	rig_close(&r);
}

/* One outcome for every kind of request result; the screens' four fold two pairs. */
static void test_outcome_and_2xx(void **state)
{
	(void)state;
	static const struct {
		setup_fn setup;
		evidence_outcome of, shown;
		bool ok2xx;
	} cases[] = {
	    {fx_api_200, EVIDENCE_ANSWERED, EVIDENCE_ANSWERED, true},
	    {fx_api_401, EVIDENCE_ANSWERED, EVIDENCE_ANSWERED, false},
	    {fx_api_301, EVIDENCE_ANSWERED, EVIDENCE_ANSWERED, false},
	    {fx_api_502_too_large, EVIDENCE_ANSWERED, EVIDENCE_ANSWERED, false},
	    {fx_api_timeout, EVIDENCE_NO_ANSWER, EVIDENCE_NO_ANSWER, false},
	    {fx_api_dns, EVIDENCE_NO_ANSWER, EVIDENCE_NO_ANSWER, false},
	    {fx_api_tls, EVIDENCE_NO_ANSWER, EVIDENCE_NO_ANSWER, false},
	    {fx_api_cancelled, EVIDENCE_CANCELLED, EVIDENCE_PENDING, false},
	    {fx_api_no_token, EVIDENCE_NOT_ASKED, EVIDENCE_NOT_ASKED, false},
	    {fx_status_bad_url, EVIDENCE_BAD_URL, EVIDENCE_NO_ANSWER, false},
	    {fx_status_not_configured, EVIDENCE_NOT_ASKED, EVIDENCE_NOT_ASKED, false},
	    {fx_health_refused, EVIDENCE_NO_ANSWER, EVIDENCE_NO_ANSWER, false},
	    {fx_health_healthy, EVIDENCE_ANSWERED, EVIDENCE_ANSWERED, true},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		evidence e;
		board_evidence_init(&e);
		cases[i].setup(&e);
		/* The one probe the fixture wrote: the first with a result. */
		const fetch_info *f = NULL;
		for (int id = 0; id < PROBE_COUNT && !f; id++)
			if (evidence_fetch(&e, (probe_id)id)->done)
				f = evidence_fetch(&e, (probe_id)id);
		assert_non_null(f);
		if (evidence_outcome_of(f) != cases[i].of ||
		    evidence_outcome_shown(f) != cases[i].shown ||
		    evidence_answered_2xx(f) != cases[i].ok2xx)
			fail_msg("case %zu: outcome %d shown %d 2xx %d", i, evidence_outcome_of(f),
				 evidence_outcome_shown(f), evidence_answered_2xx(f));
	}
	/* Nothing published yet. */
	evidence e;
	board_evidence_init(&e);
	assert_int_equal(evidence_outcome_of(&e.api.f), EVIDENCE_PENDING);
	assert_false(evidence_answered_2xx(&e.api.f));
	/* Every 2xx, not 200 alone; a 2xx whose body was too large still answered 2xx. */
	e.api.f = fx_answer(204, 90, false);
	assert_true(evidence_answered_2xx(&e.api.f));
	e.api.f = fx_answer(299, 90, true);
	assert_true(evidence_answered_2xx(&e.api.f));
	e.api.f = fx_answer(300, 90, true);
	assert_false(evidence_answered_2xx(&e.api.f));
	e.api.f = fx_answer(200, 90, false);
	e.api.f.err = HTTP_ERR_TOO_LARGE;
	assert_true(evidence_answered_2xx(&e.api.f));
	/* Slow: a 2xx over slow_ms, strictly; never without a threshold or for an error. */
	e.api.f = fx_answer(200, 3001, true);
	assert_true(evidence_slow_2xx(&e.api.f, 3000));
	e.api.f.latency_ms = 3000;
	assert_false(evidence_slow_2xx(&e.api.f, 3000));
	e.api.f.latency_ms = 9000;
	assert_false(evidence_slow_2xx(&e.api.f, 0));
	e.api.f.http_status = 503;
	assert_false(evidence_slow_2xx(&e.api.f, 3000));
	/* A status code with a transport error is not an answer. */
	e.api.f = fx_answer(200, 90, false);
	e.api.f.err = HTTP_ERR_TIMEOUT;
	assert_false(evidence_answered_2xx(&e.api.f));
}

/* Ready needs the API call and the status page, not health or usage. */
static void test_ready_and_published(void **state)
{
	(void)state;
	evidence e;
	board_evidence_init(&e);
	assert_false(watch_ready(&e));
	assert_int_equal(evidence_published(&e), 0);
	e.seq[PROBE_HEALTH] = 3;
	e.seq[PROBE_USAGE] = 1;
	assert_false(watch_ready(&e));
	assert_int_equal(evidence_published(&e), 2);
	e.seq[PROBE_API] = 1;
	assert_false(watch_ready(&e));
	e.seq[PROBE_API] = 0;
	e.seq[PROBE_STATUS] = 1;
	assert_false(watch_ready(&e));
	e.seq[PROBE_API] = 7;
	assert_true(watch_ready(&e));
	assert_int_equal(evidence_published(&e), 4);
	e.seq[PROBE_HEALTH] = 0;
	e.seq[PROBE_USAGE] = 0;
	assert_true(watch_ready(&e));
	assert_int_equal(evidence_published(&e), 2);
}

/* Evidence where every probe answered HTTP 200 at at_ms. */
static void all_answered(evidence *e, int64_t at_ms)
{
	board_evidence_init(e);
	fx_status_ok(e);
	fx_api_200(e);
	fx_usage_full(e);
	fx_health_healthy(e);
	for (int i = 0; i < PROBE_COUNT; i++) {
		((fetch_info *)evidence_fetch(e, (probe_id)i))->at_ms = at_ms;
		e->seq[i] = (uint64_t)i + 1;
	}
}

/* Stale: older than two of the intervals the runner uses at this pace. */
static void test_stale_by_pace(void **state)
{
	(void)state;
	config c;
	config_defaults(&c);
	const int64_t now = 1715680000000;
	evidence e;

	/* API: 60 s at the normal pace, 15 s at the fast one. */
	all_answered(&e, now - 40000);
	assert_false(watch_stale(&e, &c, false, PROBE_API, now));
	assert_true(watch_stale(&e, &c, true, PROBE_API, now));
	/* Exactly two intervals is not yet stale; one millisecond more is. */
	all_answered(&e, now - 30000);
	assert_false(watch_stale(&e, &c, true, PROBE_API, now));
	assert_true(watch_stale(&e, &c, true, PROBE_API, now + 1));
	all_answered(&e, now - 121000);
	assert_true(watch_stale(&e, &c, false, PROBE_API, now));

	/* Usage: an hour at the normal pace, 5 min at the fast one. */
	all_answered(&e, now - 700000);
	assert_true(watch_stale(&e, &c, true, PROBE_USAGE, now));
	assert_false(watch_stale(&e, &c, false, PROBE_USAGE, now));

	/* Status and health do not change with the pace. */
	all_answered(&e, now - 121000);
	for (int fast = 0; fast <= 1; fast++) {
		assert_true(watch_stale(&e, &c, fast, PROBE_STATUS, now));
		assert_true(watch_stale(&e, &c, fast, PROBE_HEALTH, now));
	}
	/* The mask: at 700 s usage is stale at the fast pace only. */
	all_answered(&e, now - 700000);
	assert_int_equal(watch_stale_mask(&e, &c, true, now), (1u << PROBE_COUNT) - 1);
	assert_int_equal(watch_stale_mask(&e, &c, false, now),
			 (1u << PROBE_STATUS) | (1u << PROBE_API) | (1u << PROBE_HEALTH));

	/* Configured intervals are the ones used. */
	c.interval_api_unhealthy_s = 5;
	all_answered(&e, now - 11000);
	assert_true(watch_stale(&e, &c, true, PROBE_API, now));
	config_defaults(&c);

	/* A 429 back-off holds the API and usage probes: old evidence then is not stale. */
	all_answered(&e, now - 4000000);
	e.backoff_until_ms = now + 1000;
	assert_int_equal(watch_stale_mask(&e, &c, false, now),
			 (1u << PROBE_STATUS) | (1u << PROBE_HEALTH));
	e.backoff_until_ms = now - 1;
	assert_true(watch_stale(&e, &c, false, PROBE_API, now));

	/* Never answered, or not asked: unknown, not stale. */
	all_answered(&e, now - 4000000);
	e.api.f.done = false;
	assert_false(watch_stale(&e, &c, false, PROBE_API, now));
	fx_health_not_configured(&e);
	assert_false(watch_stale(&e, &c, false, PROBE_HEALTH, now));
	/* A result with no time on it cannot age. */
	all_answered(&e, 0);
	assert_int_equal(watch_stale_mask(&e, &c, true, now), 0);
	all_answered(&e, now - 4000000);
	/* A failure is evidence too, and ages like an answer. */
	fx_status_timeout(&e);
	e.status.f.at_ms = now - 4000000;
	assert_true(watch_stale(&e, &c, false, PROBE_STATUS, now));
}

/* The fast pace only for a fault our own API call shows, under a leaf about HubSpot or us. */
static void test_pace_policy(void **state)
{
	(void)state;
	static const setup_fn failing[] = {fx_api_401,		fx_api_429_daily, fx_api_503,
					   fx_api_timeout,	fx_api_cancelled, fx_api_no_token,
					   fx_api_502_too_large};
	static const struct {
		const char *leaf;
		bool fast;
	} table[] = {
	    {"token-invalid", true},
	    {"missing-scopes", true},
	    {"rate-limit-daily", true},
	    {"rate-limit-burst", true},
	    {"hubspot-server-error", true},
	    {"hubspot-unreachable", true},
	    {"hubspot-outage", true},
	    {"app-unhealthy", false},
	    {"healthy", false},
	    {"unknown", false},
	    {"hubspot-slow", false},
	    {"network-down", true}, /* nothing answers from this host: ask again soon */
	    {"rate-limit-", false},
	    {"Token-Invalid", false},
	    {"hubspot-outage ", false},
	    {"our-own-leaf", false},
	    {"", false},
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		for (size_t k = 0; k < sizeof failing / sizeof failing[0]; k++) {
			evidence e;
			board_evidence_init(&e);
			failing[k](&e);
			if (watch_pace_fast(table[i].leaf, &e.api) != table[i].fast)
				fail_msg("leaf \"%s\" with failing call %zu: wanted %s",
					 table[i].leaf, k, table[i].fast ? "fast" : "normal");
		}
		/* Our call answering 2xx is never worth more calls (an outage it does not
		 * touch, say). */
		evidence e;
		board_evidence_init(&e);
		fx_api_200(&e);
		assert_false(watch_pace_fast(table[i].leaf, &e.api));
	}
	evidence e;
	board_evidence_init(&e);
	fx_api_401(&e);
	assert_false(watch_pace_fast(NULL, &e.api));
	assert_false(watch_pace_fast("token-invalid", NULL));
}

/*
 * The built-in runbook's severities give the levels the dashboard always showed: healthy ok,
 * unknown unknown, rate-limit-burst and hubspot-slow warn, every other leaf crit.
 */
static void test_level_builtin(void **state)
{
	(void)state;
	char err[256];
	runbook *rb = runbook_load_default(err, sizeof err);
	assert_non_null(rb);
	int checked = 0;
	for (int i = 0; runbook_leaf_ids[i]; i++) {
		const rb_leaf *l = runbook_leaf(rb, runbook_leaf_ids[i]);
		if (!l)
			continue;
		const char *id = l->id;
		watch_level want = strcmp(id, "healthy") == 0		 ? WATCH_LEVEL_OK
				   : strcmp(id, "unknown") == 0		 ? WATCH_LEVEL_UNKNOWN
				   : strcmp(id, "rate-limit-burst") == 0 ? WATCH_LEVEL_WARN
				   : strcmp(id, "hubspot-slow") == 0	 ? WATCH_LEVEL_WARN
									 : WATCH_LEVEL_CRIT;
		if (watch_leaf_level(l) != want)
			fail_msg("leaf %s (%s): level %s, wanted %s", id, l->severity,
				 watch_level_name(watch_leaf_level(l)), watch_level_name(want));
		checked++;
	}
	assert_true(checked >= 12);
	assert_int_equal(watch_leaf_level(NULL), WATCH_LEVEL_UNKNOWN);
	runbook_free(rb);
}

/* Any other leaf's level comes from its severity field, not its id. */
static void test_level_from_severity(void **state)
{
	(void)state;
	static const struct {
		const char *id, *sev;
		watch_level want;
	} cases[] = {
	    {"rate-limit-burst", "SEV-1", WATCH_LEVEL_CRIT},
	    {"rate-limit-burst", "SEV-2", WATCH_LEVEL_CRIT},
	    {"token-invalid", "SEV-3", WATCH_LEVEL_WARN},
	    {"token-invalid", "SEV-4", WATCH_LEVEL_WARN},
	    {"hubspot-slow", "SEV-5", WATCH_LEVEL_WARN},
	    {"hubspot-slow", "P3", WATCH_LEVEL_WARN},
	    {"hubspot-slow", "P2", WATCH_LEVEL_CRIT},
	    /* Not a severity we know: the higher. */
	    {"hubspot-slow", "SEV-", WATCH_LEVEL_CRIT},
	    {"hubspot-slow", "SEV-44", WATCH_LEVEL_CRIT},
	    {"hubspot-slow", "low", WATCH_LEVEL_CRIT},
	    {"hubspot-slow", "", WATCH_LEVEL_CRIT},
	    {"hubspot-slow", NULL, WATCH_LEVEL_CRIT},
	    /* healthy and unknown go by what they are, whatever the severity says. */
	    {"healthy", "SEV-1", WATCH_LEVEL_OK},
	    {"unknown", "SEV-5", WATCH_LEVEL_UNKNOWN},
	    {NULL, "SEV-1", WATCH_LEVEL_UNKNOWN},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rb_leaf l = {.id = (char *)cases[i].id, .severity = (char *)cases[i].sev};
		if (watch_leaf_level(&l) != cases[i].want)
			fail_msg("case %zu: %s %s gives %s", i,
				 cases[i].id ? cases[i].id : "(null)",
				 cases[i].sev ? cases[i].sev : "(null)",
				 watch_level_name(watch_leaf_level(&l)));
	}
	/* A runbook file's own severity is the one used. */
	char err[256];
	runbook *rb = runbook_load_default(err, sizeof err);
	assert_non_null(rb);
	rb_leaf *burst = (rb_leaf *)runbook_leaf(rb, "rate-limit-burst");
	assert_non_null(burst);
	free(burst->severity);
	burst->severity = strdup("SEV-1");
	assert_int_equal(watch_leaf_level(burst), WATCH_LEVEL_CRIT);
	runbook_free(rb);
	assert_string_equal(watch_level_name(WATCH_LEVEL_WARN), "warn");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_update_waits_for_api_and_status),
	    cmocka_unit_test(test_update_transitions_and_pace),
	    cmocka_unit_test(test_transition_ring),
	    cmocka_unit_test(test_outcome_and_2xx),
	    cmocka_unit_test(test_ready_and_published),
	    cmocka_unit_test(test_stale_by_pace),
	    cmocka_unit_test(test_pace_policy),
	    cmocka_unit_test(test_level_builtin),
	    cmocka_unit_test(test_level_from_severity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
