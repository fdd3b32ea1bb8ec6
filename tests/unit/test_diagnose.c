/* Unit tests for diagnose(): the default tree on real-looking evidence, as one table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evidence_fixture.h"
#include "hsr/diagnose.h"
#include "utf8_check.h"

typedef void (*setup_fn)(evidence *e);

typedef struct {
	const char *what;
	setup_fn setup[4]; /* applied to fresh evidence; NULL ends */
	const char *leaf;
	const char *path; /* the node ids walked, space-separated; NULL = not checked */
	const char *note; /* a piece some note must hold; NULL = none required */
	int max_notes;	  /* at most this many notes */
} dcase;

#define ALL_API_QS "q_unreachable q_401 q_403s q_403 q_daily q_burst"
/* How path_of shows the step diagnose adds when the status page disagrees with the leaf. */
#define ALSO_STATUS "+also_status"
/* How path_of shows the step diagnose adds on hubspot-slow: our app's own HubSpot latency. */
#define ALSO_SLOW "+also_slow"
#define OK_QS	  ALL_API_QS " q_status q_5xx q_ok"

static const dcase cases[] = {
    /* every leaf */
    {"all clear",
     {fx_status_ok, fx_api_200, fx_health_healthy},
     "healthy",
     ALL_API_QS " q_status q_5xx q_ok q_slow q_app q_webhooks",
     NULL,
     0},
    {"status incident, our call fails with 503",
     {fx_status_incident, fx_api_503, fx_health_healthy},
     "hubspot-outage",
     ALL_API_QS " q_status",
     NULL,
     0},
    {"API component degraded before any incident is opened",
     {fx_status_api_degraded, fx_api_502_html},
     "hubspot-outage",
     ALL_API_QS " q_status",
     "health",
     1},
    {"revoked token",
     {fx_status_ok, fx_api_401, fx_health_unhealthy},
     "token-invalid",
     "q_unreachable q_401",
     NULL,
     0},
    {"expired OAuth token",
     {fx_status_ok, fx_api_401_expired, fx_health_healthy},
     "token-invalid",
     "q_unreachable q_401",
     NULL,
     0},
    {"other 403",
     {fx_status_ok, fx_api_403_other, fx_health_healthy},
     "token-invalid",
     "q_unreachable q_401 q_403s q_403",
     NULL,
     0},
    {"missing scopes",
     {fx_status_ok, fx_api_403_scopes, fx_health_healthy},
     "missing-scopes",
     "q_unreachable q_401 q_403s",
     NULL,
     0},
    {"missing scopes named without a category",
     {fx_status_ok, fx_api_403_scopes_only, fx_health_healthy},
     "missing-scopes",
     NULL,
     NULL,
     0},
    {"429 DAILY",
     {fx_status_ok, fx_api_429_daily, fx_health_degraded},
     "rate-limit-daily",
     "q_unreachable q_401 q_403s q_403 q_daily",
     NULL,
     0},
    {"429 DAILY on an OAuth call (no daily headers)",
     {fx_status_ok, fx_api_429_daily_oauth, fx_health_healthy},
     "rate-limit-daily",
     "q_unreachable q_401 q_403s q_403 q_daily",
     NULL,
     0},
    {"a 200 with no daily calls left",
     {fx_status_ok, fx_api_200_daily_zero, fx_health_healthy},
     "rate-limit-daily",
     "q_unreachable q_401 q_403s q_403 q_daily",
     NULL,
     0},
    {"429 without policyName, usage endpoint full",
     {fx_status_ok, fx_api_429_bare, fx_usage_full, fx_health_healthy},
     "rate-limit-daily",
     NULL,
     NULL,
     0},
    {"429 TEN_SECONDLY_ROLLING",
     {fx_status_ok, fx_api_429_burst, fx_health_healthy},
     "rate-limit-burst",
     ALL_API_QS,
     NULL,
     0},
    {"429 SECONDLY (older)",
     {fx_status_ok, fx_api_429_secondly, fx_health_healthy},
     "rate-limit-burst",
     ALL_API_QS,
     NULL,
     0},
    {"429 without policyName or headers",
     {fx_status_ok, fx_api_429_bare, fx_health_healthy},
     "rate-limit-burst",
     ALL_API_QS,
     NULL,
     0},
    {"502 HTML from the CDN, clear status page",
     {fx_status_ok, fx_api_502_html, fx_health_healthy},
     "hubspot-server-error",
     ALL_API_QS " q_status q_5xx",
     NULL,
     0},
    {"time-out, clear status page",
     {fx_status_ok, fx_api_timeout, fx_health_unhealthy},
     "hubspot-unreachable",
     "q_unreachable q_unreach_status",
     NULL,
     0},
    {"DNS failure while HubSpot reports an incident",
     {fx_status_incident, fx_api_dns, fx_health_healthy},
     "hubspot-outage",
     "q_unreachable q_unreach_status",
     NULL,
     0},
    {"TLS failure, status page times out too: this host's network",
     {fx_status_timeout, fx_api_tls, fx_health_healthy},
     "network-down",
     "q_unreachable q_unreach_status q_network",
     "Status page not read: no answer: timed out",
     1},
    {"DNS fails for both the API and the status page",
     {fx_status_dns, fx_api_dns, fx_health_healthy},
     "network-down",
     "q_unreachable q_unreach_status q_network",
     NULL,
     1},
    {"both close the connection unanswered, our app still answers",
     {fx_status_dropped, fx_api_refused, fx_health_hubspot_down},
     "network-down",
     "q_unreachable q_unreach_status q_network",
     NULL,
     1},
    {"API times out, status page answers with an error page",
     {fx_status_503_html, fx_api_timeout, fx_health_healthy},
     "hubspot-unreachable",
     "q_unreachable q_unreach_status q_network",
     "answered HTTP 503",
     1},
    {"API times out, status page URL is bad: not the network",
     {fx_status_bad_url, fx_api_timeout, fx_health_healthy},
     "hubspot-unreachable",
     "q_unreachable q_unreach_status q_network",
     NULL,
     1},
    {"API times out, no status page URL",
     {fx_status_not_configured, fx_api_timeout, fx_health_healthy},
     "hubspot-unreachable",
     "q_unreachable q_unreach_status q_network",
     NULL,
     1},

    /* slowness */
    {"slow 200, status clear, our app sees HubSpot slow too",
     {fx_status_ok, fx_api_200_slow, fx_health_slow},
     "hubspot-slow",
     OK_QS " q_slow " ALSO_SLOW,
     NULL,
     0},
    {"slow 200, status clear, our app sees HubSpot quick",
     {fx_status_ok, fx_api_200_slow, fx_health_healthy},
     "hubspot-slow",
     OK_QS " q_slow " ALSO_SLOW,
     NULL,
     0},
    {"slow 200, no health URL: no extra step",
     {fx_status_ok, fx_api_200_slow, fx_health_not_configured},
     "hubspot-slow",
     OK_QS " q_slow",
     "no health URL configured",
     1},
    {"slow 200 while our app is down: the slowness is named first",
     {fx_status_ok, fx_api_200_slow, fx_health_unhealthy},
     "hubspot-slow",
     OK_QS " q_slow " ALSO_SLOW,
     NULL,
     0},
    {"200 at exactly slow_ms is not slow",
     {fx_status_ok, fx_api_200_at_threshold, fx_health_healthy},
     "healthy",
     OK_QS " q_slow q_app q_webhooks",
     NULL,
     0},
    {"200 with no measured latency: not called slow",
     {fx_status_ok, fx_api_200_no_latency, fx_health_healthy},
     "healthy",
     OK_QS " q_slow q_app q_webhooks",
     NULL,
     0},
    {"slow 200 during a status incident: the incident",
     {fx_status_incident, fx_api_200_slow, fx_health_slow},
     "hubspot-outage",
     ALL_API_QS " q_status",
     "still succeeds",
     1},
    {"quick 200, but our app sees HubSpot slow",
     {fx_status_ok, fx_api_200, fx_health_slow},
     "healthy",
     OK_QS " q_slow q_app q_webhooks",
     "our app's own HubSpot latency 4190 ms, over the slow_ms threshold of 3000 ms",
     1},
    {"connection refused, nothing else known",
     {fx_api_refused},
     "hubspot-unreachable",
     NULL,
     "Our health endpoint gave no verdict",
     2},
    {"HubSpot fine, our app unhealthy",
     {fx_status_ok, fx_api_200, fx_health_unhealthy},
     "app-unhealthy",
     ALL_API_QS " q_status q_5xx q_ok q_slow q_app",
     NULL,
     0},
    {"HubSpot fine, circuit open",
     {fx_status_ok, fx_api_200, fx_health_degraded},
     "app-unhealthy",
     NULL,
     NULL,
     0},
    {"HubSpot fine, our health URL refuses connections",
     {fx_status_ok, fx_api_200, fx_health_refused},
     "app-unhealthy",
     NULL,
     NULL,
     0},
    {"HubSpot answers 477, our app unhealthy too",
     {fx_status_ok, fx_api_477, fx_health_unhealthy},
     "app-unhealthy",
     ALL_API_QS " q_status q_5xx q_ok q_hublet q_app_other",
     NULL,
     0},

    /* an answer the tree does not expect, with our app fine or unheard: not app-unhealthy */
    {"wrong data centre (404 correctHublet)",
     {fx_status_ok, fx_api_404_hublet, fx_health_healthy},
     "unknown",
     ALL_API_QS " q_status q_5xx q_ok q_hublet",
     "HubSpot says this account lives in hublet eu1: point api_base at api-eu1.hubapi.com.",
     1},
    {"wrong data centre, no health URL",
     {fx_status_ok, fx_api_404_hublet, fx_health_not_configured},
     "unknown",
     ALL_API_QS " q_status q_5xx q_ok q_hublet",
     "api-eu1.hubapi.com",
     2},
    {"477 migrating, no health URL",
     {fx_status_ok, fx_api_477, fx_health_not_configured},
     "unknown",
     ALL_API_QS " q_status q_5xx q_ok q_hublet q_app_other",
     "no health URL configured",
     1},
    {"477 migrating, our app healthy",
     {fx_status_ok, fx_api_477, fx_health_healthy},
     "unknown",
     ALL_API_QS " q_status q_5xx q_ok q_hublet q_app_other",
     NULL,
     0},
    {"a 301 from the API base URL, our app healthy",
     {fx_status_ok, fx_api_301, fx_health_healthy},
     "unknown",
     ALL_API_QS " q_status q_5xx q_ok q_hublet q_app_other",
     NULL,
     0},

    /* conflicting evidence: our own API's unambiguous answer decides */
    {"status incident but our call gets 401",
     {fx_status_incident, fx_api_401, fx_health_healthy},
     "token-invalid",
     "q_unreachable q_401 " ALSO_STATUS,
     "The status page also reports an incident: 1 unresolved incident, \"Elevated error "
     "rates\" (major, investigating)",
     1},
    {"status incident but our call gets 401 (the note says who decides)",
     {fx_status_incident, fx_api_401, fx_health_healthy},
     "token-invalid",
     NULL,
     "our own API's answer decides the leaf",
     1},
    {"status incident but we are over the burst limit",
     {fx_status_incident, fx_api_429_burst, fx_health_healthy},
     "rate-limit-burst",
     ALL_API_QS " " ALSO_STATUS,
     "also reports an incident",
     1},
    {"status incident, our call gets 200",
     {fx_status_incident, fx_api_200, fx_health_healthy},
     "hubspot-outage",
     ALL_API_QS " q_status",
     "Our own API call still succeeds (API answered HTTP 200 in 182 ms)",
     1},
    {"status page unreadable, our call gets 401",
     {fx_status_503_html, fx_api_401, fx_health_healthy},
     "token-invalid",
     NULL,
     "Status page not read: answered HTTP 503",
     1},

    /* missing evidence */
    {"nothing probed yet",
     {NULL},
     "unknown",
     "q_unreachable q_noapi_status q_noapi_net q_app_noapi",
     "Our API call has not answered yet",
     3},
    {"no token, clear status page",
     {fx_api_no_token, fx_status_ok, fx_health_not_configured},
     "unknown",
     "q_unreachable q_noapi_status q_app_noapi",
     "No API call made: no token: set HUBSPOT_ACCESS_TOKEN or --token-file",
     2},
    {"no token, health answers 503 (our app fails on its own)",
     {fx_api_no_token, fx_status_ok, fx_health_unhealthy},
     "app-unhealthy",
     "q_unreachable q_noapi_status q_app_noapi",
     "no token",
     1},
    {"no token, health says HubSpot not connected: not blamed on our app",
     {fx_api_no_token, fx_status_ok, fx_health_hubspot_down},
     "unknown",
     "q_unreachable q_noapi_status q_app_noapi",
     "so it is not blamed on our app",
     2},
    {"no token, health says HubSpot not connected: the note says what it reported",
     {fx_api_no_token, fx_status_ok, fx_health_hubspot_down},
     "unknown",
     NULL,
     "Our app reported degraded (HTTP 200) with HubSpot not connected: without an API "
     "answer of our own",
     2},
    {"no token, circuit open: not blamed on our app",
     {fx_api_no_token, fx_status_ok, fx_health_degraded},
     "unknown",
     "q_unreachable q_noapi_status q_app_noapi",
     "Our app reported degraded (HTTP 200) with its HubSpot circuit open",
     2},
    {"no token, health unhealthy while HubSpot connected: our app",
     {fx_api_no_token, fx_status_ok, fx_health_unhealthy_connected},
     "app-unhealthy",
     "q_unreachable q_noapi_status q_app_noapi",
     "no token",
     1},
    {"no token, health answers 500 in no shape: our app",
     {fx_api_no_token, fx_status_ok, fx_health_500_unclassified},
     "app-unhealthy",
     "q_unreachable q_noapi_status q_app_noapi",
     NULL,
     1},
    {"no token, health refuses connections: our app",
     {fx_api_no_token, fx_status_ok, fx_health_refused},
     "app-unhealthy",
     "q_unreachable q_noapi_status q_app_noapi",
     NULL,
     1},
    {"no token, nothing outside answers and our health times out: not blamed on our app",
     {fx_api_no_token, fx_status_timeout, fx_health_timeout},
     "unknown",
     "q_unreachable q_noapi_status q_noapi_net q_app_noapi_net",
     "no token",
     3},
    {"no token, nothing outside answers, our app answers 500: our app",
     {fx_api_no_token, fx_status_timeout, fx_health_500_unclassified},
     "app-unhealthy",
     "q_unreachable q_noapi_status q_noapi_net q_app_noapi_net",
     "no token",
     2},
    {"no token, status page answers an error page, health times out: our app is silent",
     {fx_api_no_token, fx_status_503_html, fx_health_timeout},
     "app-unhealthy",
     "q_unreachable q_noapi_status q_noapi_net q_app_noapi",
     "no token",
     2},
    {"API answered 200 but our app says HubSpot disconnected: our app",
     {fx_status_ok, fx_api_200, fx_health_hubspot_down},
     "app-unhealthy",
     OK_QS " q_slow q_app",
     NULL,
     0},
    {"no token, status incident",
     {fx_api_no_token, fx_status_incident},
     "hubspot-outage",
     "q_unreachable q_noapi_status",
     "no token",
     2},
    {"no token, health healthy, status clear",
     {fx_api_no_token, fx_status_ok, fx_health_healthy},
     "unknown",
     NULL,
     "no token",
     1},
    {"health not configured, API 200",
     {fx_status_ok, fx_api_200, fx_health_not_configured},
     "healthy",
     ALL_API_QS " q_status q_5xx q_ok q_slow q_app q_webhooks",
     "Our health endpoint gave no verdict: not asked: no health URL configured",
     1},
    {"health answers nothing we recognise, API 200",
     {fx_status_ok, fx_api_200, fx_health_unrecognised},
     "healthy",
     NULL,
     "body not a JSON object",
     1},
    {"status page times out, everything else fine",
     {fx_status_timeout, fx_api_200, fx_health_healthy},
     "healthy",
     NULL,
     "check status.hubspot.com by hand",
     1},
    {"our API call cancelled",
     {fx_status_ok, fx_api_cancelled, fx_health_healthy},
     "unknown",
     "q_unreachable q_noapi_status q_app_noapi",
     "cancelled",
     1},
};

/* The built-in runbook; the test fails if it does not load. */
static runbook *default_runbook(void)
{
	char err[512];
	runbook *rb = runbook_load_default(err, sizeof err);
	if (!rb)
		fail_msg("built-in runbook refused: %s", err);
	return rb;
}

/* The walked node ids as one space-separated string. */
static void path_of(const diagnosis *d, char *buf, size_t sz)
{
	buf[0] = '\0';
	for (int k = 0; k < d->n_steps; k++) {
		size_t l = strlen(buf);
		const diag_step *st = &d->steps[k];
		snprintf(buf + l, sz - l, "%s%s", k ? " " : "",
			 st->node					      ? st->node->id
			 : strncmp(st->question, "Does our own app", 16) == 0 ? ALSO_SLOW
									      : ALSO_STATUS);
	}
}

/* The target an answer leads to from node n. */
static const char *next_of(const rb_node *n, answer a)
{
	if (a == ANSWER_YES)
		return n->yes;
	if (a == ANSWER_UNKNOWN && n->unknown)
		return n->unknown;
	return n->no;
}

/* Check one case; returns false (after printing why) when it does not hold. */
static bool check_case(const runbook *rb, const dcase *c)
{
	evidence e;
	board_evidence_init(&e);
	for (int k = 0; k < 4 && c->setup[k]; k++)
		c->setup[k](&e);
	evidence before = e;
	diagnosis d;
	memset(&d, 0x5a, sizeof d);
	diagnose(&e, rb, &d);
	char path[512];
	path_of(&d, path, sizeof path);
	bool ok = d.leaf && strcmp(d.leaf->id, c->leaf) == 0 &&
		  (!c->path || strcmp(path, c->path) == 0) && d.n_notes <= c->max_notes &&
		  memcmp(&before, &e, sizeof e) == 0;
	bool note_found = !c->note;
	for (int k = 0; k < d.n_notes; k++)
		note_found = note_found || strstr(d.notes[k], c->note) != NULL;
	ok = ok && note_found;
	/* Walked steps come first; only the last may be a step added after the walk. */
	int walked = d.n_steps;
	if (walked > 0 && !d.steps[walked - 1].node) {
		const diag_step *st = &d.steps[--walked];
		bool status = st->question &&
			      strcmp(st->question,
				     "Does HubSpot's status page also report an incident?") == 0;
		ok = ok && st->question &&
		     (status ? st->ans == ANSWER_YES &&
				   strncmp(st->evidence, "status page: ", 13) == 0 &&
				   strcmp(d.leaf->id, "hubspot-outage") != 0
			     : st->ans != ANSWER_UNKNOWN &&
				   strncmp(st->evidence, "health endpoint: our app's own HubSpot",
					   38) == 0 &&
				   strcmp(d.leaf->id, "hubspot-slow") == 0);
	}
	/* Every walked step cites evidence, carries its question and leads where its answer says.
	 */
	for (int k = 0; k < walked; k++) {
		if (!d.steps[k].node) {
			ok = false;
			break;
		}
		const char *next = next_of(d.steps[k].node, d.steps[k].ans);
		const char *want = k + 1 < walked ? d.steps[k + 1].node->id : d.leaf->id;
		ok = ok && d.steps[k].evidence[0] && strcmp(next, want) == 0 &&
		     d.steps[k].question == d.steps[k].node->question;
	}
	if (!ok) {
		print_error("%s: want %s via [%s] note \"%s\", got %s via [%s], %d notes:\n",
			    c->what, c->leaf, c->path ? c->path : "*", c->note ? c->note : "",
			    d.leaf ? d.leaf->id : "(null)", path, d.n_notes);
		for (int k = 0; k < d.n_steps; k++)
			print_error("   %s %s: %s\n",
				    d.steps[k].node ? d.steps[k].node->id : ALSO_STATUS,
				    predicate_answer_name(d.steps[k].ans), d.steps[k].evidence);
		for (int k = 0; k < d.n_notes; k++)
			print_error("   note: %s\n", d.notes[k]);
	}
	return ok;
}

/* The default tree reaches the right leaf on every case of the table. */
static void test_table(void **state)
{
	(void)state;
	char err[512];
	runbook *rb = runbook_load_default(err, sizeof err);
	if (!rb)
		fail_msg("%s", err);
	int failures = 0;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
		failures += !check_case(rb, &cases[k]);
	assert_int_equal(failures, 0);
	runbook_free(rb);
}

/*
 * The table reaches every contract leaf but webhook-failing, which only the operator's answer
 * in the walker reaches (no case may land there: diagnose never does by itself).
 */
static void test_table_covers_every_leaf(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
		assert_string_not_equal(cases[c].leaf, "webhook-failing");
	for (int k = 0; runbook_leaf_ids[k]; k++) {
		if (strcmp(runbook_leaf_ids[k], "webhook-failing") == 0)
			continue;
		bool seen = false;
		for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
			seen = seen || strcmp(cases[c].leaf, runbook_leaf_ids[k]) == 0;
		if (!seen)
			fail_msg("no case lands on %s", runbook_leaf_ids[k]);
	}
}

/* The same evidence gives the same diagnosis, byte for byte. */
static void test_pure(void **state)
{
	(void)state;
	runbook *rb = default_runbook();
	evidence e;
	board_evidence_init(&e);
	fx_status_incident(&e);
	fx_api_401(&e);
	static diagnosis a, b;
	memset(&a, 0x11, sizeof a);
	memset(&b, 0x22, sizeof b);
	diagnose(&e, rb, &a);
	diagnose(&e, rb, &b);
	assert_memory_equal(&a, &b, sizeof a);
	runbook_free(rb);
}

/* A hand-built runbook that loops, or leads nowhere, ends on the unknown leaf. */
static void test_broken_tree_ends_unknown(void **state)
{
	(void)state;
	rb_leaf leaves[] = {
	    {.id = "unknown", .title = "No idea"},
	};
	rb_node nodes[] = {
	    {.id = "a", .question = "A?", .predicate = "api.http_401", .yes = "b", .no = "b"},
	    {.id = "b", .question = "B?", .predicate = "api.http_5xx", .yes = "a", .no = "a"},
	};
	runbook rb = {.name = "hand",
		      .start = "a",
		      .nodes = nodes,
		      .n_nodes = 2,
		      .leaves = leaves,
		      .n_leaves = 1};
	evidence e;
	board_evidence_init(&e);
	fx_api_200(&e);
	diagnosis d;
	diagnose(&e, &rb, &d);
	assert_string_equal(d.leaf->id, "unknown");
	assert_int_equal(d.n_steps, DIAG_MAX_STEPS);
	assert_non_null(strstr(d.notes[0], "no verdict within 24 questions"));

	nodes[1].no = "nowhere";
	diagnose(&e, &rb, &d);
	assert_string_equal(d.leaf->id, "unknown");
	assert_int_equal(d.n_steps, 2);
	assert_string_equal(d.notes[0],
			    "The runbook's node \"b\" leads to \"nowhere\", which is not defined.");
	assert_true(d.n_notes <= DIAG_MAX_NOTES);

	rb.start = "missing";
	diagnose(&e, &rb, &d);
	assert_string_equal(d.leaf->id, "unknown");
	assert_int_equal(d.n_steps, 0);

	diagnose(&e, NULL, &d);
	assert_null(d.leaf);
	assert_int_equal(d.n_steps, 0);
	assert_int_equal(d.n_notes, 0);
}

/* Every note is one terminated line, even with the longest remote texts. */
static void test_notes_bounded(void **state)
{
	(void)state;
	runbook *rb = default_runbook();
	evidence e;
	board_evidence_init(&e);
	fx_status_incident(&e);
	memset(e.status.incidents[0].name, 'N', sizeof e.status.incidents[0].name - 1);
	fx_api_401(&e);
	memset(e.api.message, 'M', sizeof e.api.message - 1);
	memset(e.api.category, 'C', sizeof e.api.category - 1);
	memset(e.api.required_scopes, 'S', sizeof e.api.required_scopes - 1);
	e.health.f = fx_failed(HTTP_ERR_BAD_URL, 0, "");
	memset(e.health.f.error, 'E', sizeof e.health.f.error - 1);
	diagnosis d;
	diagnose(&e, rb, &d);
	assert_string_equal(d.leaf->id, "token-invalid");
	assert_int_equal(d.n_notes, 2);
	for (int k = 0; k < d.n_notes; k++) {
		assert_true(strlen(d.notes[k]) < sizeof d.notes[k]);
		assert_null(strchr(d.notes[k], '\n'));
	}
	for (int k = 0; k < d.n_steps; k++)
		assert_true(strlen(d.steps[k].evidence) < sizeof d.steps[k].evidence);
	runbook_free(rb);
}

/* Every evidence and note string of d is valid UTF-8; fails naming what is not. */
static void assert_all_utf8(const diagnosis *d, const char *what, size_t at)
{
	for (int k = 0; k < d->n_steps; k++)
		if (!utf8_valid(d->steps[k].evidence))
			fail_msg("%s, dash at %zu: step %d evidence not UTF-8: \"%s\"", what, at, k,
				 d->steps[k].evidence);
	for (int k = 0; k < d->n_notes; k++)
		if (!utf8_valid(d->notes[k]))
			fail_msg("%s, dash at %zu: note %d not UTF-8: \"%s\"", what, at, k,
				 d->notes[k]);
}

/* A 401 whose message (and an incident whose name) has an em dash on every cut point. */
static void test_utf8_never_split(void **state)
{
	(void)state;
	static const char dash[] = "\xe2\x80\x94"; /* U+2014, 3 bytes */
	assert_false(utf8_valid("half \xe2\x80"));
	runbook *rb = default_runbook();
	int tried = 0;
	for (size_t at = 0; at + 3 < sizeof((ev_api *)0)->message; at++) {
		evidence e;
		board_evidence_init(&e);
		fx_status_incident(&e);
		fx_api_401(&e);
		fx_health_healthy(&e);
		memset(e.api.message, 'm', at);
		memcpy(e.api.message + at, dash, 3);
		e.api.message[at + 3] = '\0';
		/* the incident's name straddles the cut of the 240-byte evidence and notes too */
		size_t nat = at % (sizeof e.status.incidents[0].name - 3);
		memset(e.status.incidents[0].name, 'n', nat);
		memcpy(e.status.incidents[0].name + nat, dash, 3);
		memset(e.status.incidents[0].name + nat + 3, 'x',
		       sizeof e.status.incidents[0].name - nat - 4);
		e.status.incidents[0].name[sizeof e.status.incidents[0].name - 1] = '\0';
		diagnosis d;
		diagnose(&e, rb, &d);
		assert_string_equal(d.leaf->id, "token-invalid");
		assert_all_utf8(&d, "401 + incident", at);
		/* and a body that was not JSON, quoted in the evidence */
		e.api.f.json_ok = false;
		memset(e.api.f.body_excerpt, 'b', at % 100);
		memcpy(e.api.f.body_excerpt + at % 100, dash, 3);
		e.api.f.body_excerpt[at % 100 + 3] = '\0';
		diagnose(&e, rb, &d);
		assert_all_utf8(&d, "401 not JSON", at);
		/* a note built from the health endpoint's own words */
		e.health.f = fx_failed(HTTP_ERR_BAD_URL, 0, "");
		memset(e.health.f.error, 'E', at % 190);
		memcpy(e.health.f.error + at % 190, dash, 3);
		diagnose(&e, rb, &d);
		assert_all_utf8(&d, "health bad URL", at);
		tried++;
	}
	assert_true(tried > 200);
	runbook_free(rb);
}

/* The status page's incident is in the path as a last step with no node, and in a note. */
static void test_also_status_step(void **state)
{
	(void)state;
	runbook *rb = default_runbook();
	evidence e;
	board_evidence_init(&e);
	fx_status_incident(&e);
	fx_api_401(&e);
	diagnosis d;
	diagnose(&e, rb, &d);
	assert_string_equal(d.leaf->id, "token-invalid");
	assert_int_equal(d.n_steps, 3);
	assert_non_null(d.steps[0].node);
	assert_ptr_equal(d.steps[1].question, d.steps[1].node->question);
	const diag_step *last = &d.steps[2];
	assert_null(last->node);
	assert_string_equal(last->question, "Does HubSpot's status page also report an incident?");
	assert_int_equal(last->ans, ANSWER_YES);
	assert_string_equal(last->evidence, "status page: 1 unresolved incident, \"Elevated error "
					    "rates\" (major, investigating); indicator major");
	assert_non_null(strstr(d.notes[0], "The status page also reports an incident"));

	/* No such step when the status page is clear, or when the leaf is the outage itself. */
	memset(&e.status, 0, sizeof e.status);
	fx_status_ok(&e);
	diagnose(&e, rb, &d);
	assert_int_equal(d.n_steps, 2);
	fx_status_incident(&e);
	fx_api_503(&e);
	diagnose(&e, rb, &d);
	assert_string_equal(d.leaf->id, "hubspot-outage");
	for (int k = 0; k < d.n_steps; k++)
		assert_non_null(d.steps[k].node);
	runbook_free(rb);
}

/* The hublet note names the host to use, and builds none from odd text. */
static void test_hublet_note(void **state)
{
	(void)state;
	runbook *rb = default_runbook();
	static const struct {
		const char *hublet, *note;
	} hublets[] = {
	    {"eu1", "HubSpot says this account lives in hublet eu1: point api_base at "
		    "api-eu1.hubapi.com."},
	    {"na2", "point api_base at api-na2.hubapi.com."},
	    {"na1", "point api_base at api.hubapi.com."},
	    {"eu1.evil.example/", "lives in hublet \"eu1.evil.example/\": point api_base at that "
				  "data centre's API host."},
	};
	for (size_t k = 0; k < sizeof hublets / sizeof hublets[0]; k++) {
		evidence e;
		board_evidence_init(&e);
		fx_status_ok(&e);
		fx_api_404_hublet(&e);
		strcpy(e.api.correct_hublet, hublets[k].hublet);
		fx_health_healthy(&e);
		diagnosis d;
		diagnose(&e, rb, &d);
		assert_string_equal(d.leaf->id, "unknown");
		assert_int_equal(d.n_notes, 1);
		if (!strstr(d.notes[0], hublets[k].note))
			fail_msg("hublet %s: note \"%s\"", hublets[k].hublet, d.notes[0]);
	}
	runbook_free(rb);
}

/* Run the tests. */
/* Evidence said once: a step is "same" only as the one right before it. */
static void test_same_evidence(void **state)
{
	(void)state;
	static diagnosis d;
	memset(&d, 0, sizeof d);
	d.n_steps = 4;
	strcpy(d.steps[0].evidence, "API answered HTTP 200");
	strcpy(d.steps[1].evidence, "API answered HTTP 200");
	strcpy(d.steps[2].evidence, "status page: none");
	strcpy(d.steps[3].evidence, "API answered HTTP 200");
	assert_false(diagnose_same_evidence(&d, 0));
	assert_true(diagnose_same_evidence(&d, 1));
	assert_false(diagnose_same_evidence(&d, 2));
	assert_false(diagnose_same_evidence(&d, 3)); /* same as step 1, not as step 2 */
	assert_false(diagnose_same_evidence(&d, 4)); /* past the path */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_table_covers_every_leaf),
	    cmocka_unit_test(test_pure),
	    cmocka_unit_test(test_broken_tree_ends_unknown),
	    cmocka_unit_test(test_notes_bounded),
	    cmocka_unit_test(test_utf8_never_split),
	    cmocka_unit_test(test_also_status_step),
	    cmocka_unit_test(test_hublet_note),
	    cmocka_unit_test(test_same_evidence),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
