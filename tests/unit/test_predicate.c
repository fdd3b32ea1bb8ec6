/* Unit tests for the evidence predicates: yes, no and unknown for each, and the why they give. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evidence_fixture.h"
#include "hsr/predicate.h"
#include "utf8_check.h"

typedef void (*setup_fn)(evidence *e);

typedef struct {
	const char *pred;
	setup_fn setup[3]; /* applied in order to fresh evidence; NULL ends */
	answer want;
	const char *why; /* a piece of the why, or NULL */
} pcase;

#define Y ANSWER_YES
#define N ANSWER_NO
#define U ANSWER_UNKNOWN

static const pcase cases[] = {
    /* api.unreachable: only a transport failure is yes */
    {"api.unreachable",
     {fx_api_timeout},
     Y,
     "no API answer: timed out after 10 s waiting for api.hubapi.com"},
    {"api.unreachable", {fx_api_dns}, Y, "DNS lookup failed for api.hubapi.com"},
    {"api.unreachable", {fx_api_refused}, Y, "connection refused"},
    {"api.unreachable", {fx_api_timeout_bare}, Y, "no API answer: timed out after 10.0 s"},
    {"api.unreachable", {fx_api_tls}, Y, "TLS"},
    {"api.unreachable", {fx_api_200}, N, "API answered HTTP 200 in 182 ms"},
    {"api.unreachable", {fx_api_502_html}, N, "HTTP 502"},
    /* an answer over the body cap is still an answer: its status counts */
    {"api.unreachable", {fx_api_502_too_large}, N, "API answered HTTP 502"},
    {"api.unreachable", {fx_api_no_token}, U, "no token: set HUBSPOT_ACCESS_TOKEN"},
    {"api.unreachable", {NULL}, U, "no result yet"},
    {"api.unreachable", {fx_api_cancelled}, U, "cancelled"},

    {"api.configured", {fx_api_401}, Y, "token present"},
    {"api.configured", {fx_api_timeout}, Y, NULL},
    {"api.configured", {fx_api_no_token}, N, "no token"},
    {"api.configured", {NULL}, U, NULL},

    {"api.http_2xx", {fx_api_200}, Y, "HTTP 200 in 182 ms"},
    {"api.http_2xx", {fx_api_404_hublet}, N, "HTTP 404, category OBJECT_NOT_FOUND"},
    {"api.http_2xx", {fx_api_timeout}, U, "timed out"},
    {"api.http_2xx", {fx_api_no_token}, U, NULL},

    /* api.slow: a 2xx strictly over slow_ms (default 3000) */
    {"api.slow",
     {fx_api_200_slow},
     Y,
     "our API call answered HTTP 200 in 4102 ms, over the slow_ms threshold of 3000 ms"},
    {"api.slow", {fx_api_200_at_threshold}, N, "in 3000 ms, not over the slow_ms threshold"},
    {"api.slow", {fx_api_200}, N, "in 182 ms, not over"},
    {"api.slow", {fx_api_200_no_latency}, U, "latency not measured"},
    {"api.slow", {fx_api_502_html}, N, "not a 2xx"},
    {"api.slow", {fx_api_timeout}, U, "timed out"},
    {"api.slow", {fx_api_no_token}, U, "no token"},
    {"api.slow", {NULL}, U, "no result yet"},

    {"api.http_401",
     {fx_api_401},
     Y,
     "API answered HTTP 401, category INVALID_AUTHENTICATION, X-HubSpot-Auth-Failure present"},
    {"api.http_401", {fx_api_401_expired}, Y, "EXPIRED_AUTHENTICATION"},
    {"api.http_401", {fx_api_403_scopes}, N, "HTTP 403"},
    {"api.http_401", {fx_api_200}, N, NULL},
    {"api.http_401", {fx_api_dns}, U, "DNS"},
    {"api.http_401", {fx_api_no_token}, U, NULL},

    {"api.token_expired", {fx_api_401_expired}, Y, "expired 312 second(s) ago"},
    {"api.token_expired", {fx_api_401}, N, NULL},
    {"api.token_expired", {NULL}, U, NULL},

    {"api.http_403", {fx_api_403_other}, Y, "PERMISSION_DENIED"},
    {"api.http_403", {fx_api_403_scopes}, Y, NULL},
    {"api.http_403", {fx_api_401}, N, NULL},
    {"api.http_403", {fx_api_no_token}, U, NULL},

    {"api.http_403_missing_scopes",
     {fx_api_403_scopes},
     Y,
     "category MISSING_SCOPES, requires crm.objects.contacts.read"},
    {"api.http_403_missing_scopes", {fx_api_403_scopes_only}, Y, "crm.schemas"},
    {"api.http_403_missing_scopes", {fx_api_403_other}, N, NULL},
    {"api.http_403_missing_scopes", {fx_api_200}, N, NULL},
    {"api.http_403_missing_scopes", {fx_api_tls}, U, NULL},

    {"api.http_4xx", {fx_api_477}, Y, "HTTP 477"},
    {"api.http_4xx", {fx_api_503}, N, NULL},
    {"api.http_4xx", {NULL}, U, NULL},

    {"api.http_429", {fx_api_429_bare}, Y, "HTTP 429"},
    {"api.http_429", {fx_api_429_too_large}, Y, "HTTP 429, body too large to read"},
    {"api.http_429", {fx_api_200}, N, NULL},
    {"api.http_429", {fx_api_refused}, U, NULL},

    /* the daily limit: 429 DAILY, or 0 left today even on a 200 */
    {"api.rate_limited_daily",
     {fx_api_429_daily},
     Y,
     "HTTP 429, errorType RATE_LIMIT, policyName DAILY"},
    {"api.rate_limited_daily", {fx_api_200_daily_zero}, Y, "daily remaining 0 of 250000"},
    {"api.rate_limited_daily", {fx_api_429_daily_oauth}, Y, "policyName DAILY"},
    {"api.rate_limited_daily",
     {fx_api_429_bare, fx_usage_full},
     Y,
     "usage endpoint: 500012 of 500000"},
    {"api.rate_limited_daily", {fx_api_429_burst}, N, "daily remaining 181250 of 250000"},
    {"api.rate_limited_daily", {fx_api_429_bare}, N, NULL},
    /* figures HubSpot could not gather (fetchStatus TIMEOUT) are not believed */
    {"api.rate_limited_daily", {fx_api_429_bare, fx_usage_timeout}, N, NULL},
    {"api.rate_limited_daily", {fx_api_200}, N, "daily remaining 249117"},
    /* fresher headers beat the cached usage figures */
    {"api.rate_limited_daily", {fx_api_200, fx_usage_full}, N, NULL},
    {"api.rate_limited_daily", {fx_api_timeout}, U, NULL},
    {"api.rate_limited_daily", {fx_api_no_token, fx_usage_full}, U, NULL},

    /* the burst window: every 429 that is not the daily limit */
    {"api.rate_limited_burst", {fx_api_429_burst}, Y, "policyName TEN_SECONDLY_ROLLING"},
    {"api.rate_limited_burst", {fx_api_429_burst}, Y, "window remaining 0 of 190"},
    {"api.rate_limited_burst", {fx_api_429_burst}, Y, "Retry-After 2 s"},
    {"api.rate_limited_burst", {fx_api_429_secondly}, Y, "SECONDLY"},
    {"api.rate_limited_burst", {fx_api_429_bare}, Y, "no policyName: counted as a burst"},
    {"api.rate_limited_burst", {fx_api_429_daily}, N, NULL},
    {"api.rate_limited_burst", {fx_api_429_daily_oauth}, N, NULL},
    {"api.rate_limited_burst", {fx_api_429_bare, fx_usage_full}, N, NULL},
    {"api.rate_limited_burst", {fx_api_429_bare, fx_usage_timeout}, Y, "no policyName"},
    {"api.rate_limited_burst", {fx_api_429_too_large}, Y, "window remaining 0 of 190"},
    {"api.rate_limited_burst", {fx_api_200}, N, NULL},
    {"api.rate_limited_burst", {fx_api_no_token}, U, NULL},

    {"api.daily_low", {fx_api_429_daily}, Y, "daily remaining 0 of 250000"},
    {"api.daily_low", {fx_api_200}, N, "249117 of 250000"},
    {"api.daily_low", {fx_api_429_bare, fx_usage_full}, Y, "usage endpoint"},
    {"api.daily_low", {fx_api_429_bare}, U, "daily budget unknown"},
    {"api.daily_low", {fx_api_429_bare, fx_usage_timeout}, U, "fetchStatus TIMEOUT"},

    {"api.http_5xx", {fx_api_502_html}, Y, "HTTP 502, body not JSON: \"502 Bad Gateway\""},
    {"api.http_5xx", {fx_api_503}, Y, "Service Unavailable"},
    {"api.http_5xx",
     {fx_api_502_too_large},
     Y,
     "HTTP 502, body too large to read: \"502 Bad Gateway\""},
    {"api.http_5xx", {fx_api_429_burst}, N, NULL},
    {"api.http_5xx", {fx_api_timeout}, U, NULL},

    {"api.wrong_hublet", {fx_api_404_hublet}, Y, "correctHublet eu1"},
    {"api.wrong_hublet", {fx_api_401}, N, NULL},
    {"api.wrong_hublet", {NULL}, U, NULL},

    /* the status page */
    {"status.incident_active",
     {fx_status_incident},
     Y,
     "status page: 1 unresolved incident, \"Elevated error rates\" (major, investigating)"},
    {"status.incident_active", {fx_status_api_degraded}, Y, "component \"CRM API\" partial_outage"},
    {"status.incident_active", {fx_status_critical_only}, Y, "indicator critical"},
    {"status.incident_active",
     {fx_status_ok},
     N,
     "\"All Systems Operational\" (indicator none), no unresolved incidents"},
    {"status.incident_active", {fx_status_minor_other}, N, "1 component not operational"},
    {"status.incident_active", {fx_status_maintenance}, N, "maintenance in progress"},
    /* a 2xx that lists no incidents and no indicator is not "all clear" */
    {"status.incident_active",
     {fx_status_no_lists},
     U,
     "answered HTTP 200 but listed no incidents and no indicator"},
    {"status.incident_active", {fx_status_indicator_only}, N, "incidents not listed"},
    {"status.incident_active", {fx_status_timeout}, U, "status page: no answer: timed out"},
    {"status.incident_active", {fx_status_503_html}, U, "HTTP 503, not a Statuspage summary"},
    {"status.incident_active", {NULL}, U, "no result yet"},

    {"status.readable", {fx_status_ok}, Y, "HTTP 200 in 240 ms"},
    {"status.readable", {fx_status_timeout}, N, NULL},
    {"status.readable", {fx_status_503_html}, N, "503 Service Temporarily Unavailable"},
    {"status.readable", {NULL}, U, NULL},

    /* status.unreachable: the status page failed before any answer (network-down's half) */
    {"status.unreachable", {fx_status_timeout}, Y, "status page: no answer either: timed out"},
    {"status.unreachable", {fx_status_dns}, Y, "DNS lookup failed for status.hubspot.com"},
    {"status.unreachable", {fx_status_dropped}, Y, "closed the connection without answering"},
    {"status.unreachable", {fx_status_ok}, N, "status page answered HTTP 200 in 240 ms"},
    {"status.unreachable", {fx_status_503_html}, N, "answered HTTP 503"},
    {"status.unreachable", {fx_status_bad_url}, U, "check status_url"},
    {"status.unreachable", {fx_status_not_configured}, U, "not asked"},
    {"status.unreachable", {NULL}, U, "no result yet"},

    {"status.maintenance", {fx_status_maintenance}, Y, "\"Database upgrade\" (in_progress)"},
    {"status.maintenance", {fx_status_ok}, N, NULL},
    {"status.maintenance", {fx_status_timeout}, U, NULL},

    /* our own health endpoint */
    {"health.unhealthy",
     {fx_health_unhealthy},
     Y,
     "health endpoint unhealthy (HTTP 503, status \"unhealthy\", HubSpot disconnected"},
    {"health.unhealthy", {fx_health_degraded}, Y, "circuit open, 73 in the dead-letter queue"},
    {"health.unhealthy", {fx_health_refused}, Y, "did not answer: connection refused by 127.0.0.1"},
    {"health.unhealthy", {fx_health_500_unclassified}, Y, "HTTP 500"},
    {"health.unhealthy", {fx_health_healthy}, N, "healthy (HTTP 200"},
    {"health.unhealthy", {fx_health_unrecognised}, U, "body not a JSON object: \"OK\""},
    {"health.unhealthy", {fx_health_json_unknown_shape}, U, "JSON in no health format we know"},
    {"health.unhealthy", {fx_health_not_configured}, U, "no health URL configured"},
    {"health.unhealthy", {fx_health_bad_url}, U, "no answer: bad URL \"htp:/health\""},
    {"health.unhealthy", {NULL}, U, "no result yet"},

    /* health.app_fault: our app failing on its own, not only its HubSpot connection */
    {"health.app_fault", {fx_health_unhealthy}, Y, "HTTP 503"},
    {"health.app_fault", {fx_health_500_unclassified}, Y, "HTTP 500"},
    {"health.app_fault", {fx_health_refused}, Y, "did not answer"},
    {"health.app_fault", {fx_health_unhealthy_connected}, Y, "HubSpot connected"},
    {"health.app_fault",
     {fx_health_hubspot_down},
     N,
     "HubSpot disconnected, our app's own HubSpot latency 10006 ms): only its HubSpot "
     "connection is reported failing"},
    {"health.app_fault", {fx_health_degraded}, N, "circuit open"},
    {"health.app_fault", {fx_health_healthy}, N, "healthy (HTTP 200"},
    {"health.app_fault", {fx_health_unrecognised}, U, "body not a JSON object"},
    {"health.app_fault", {fx_health_not_configured}, U, "no health URL configured"},
    {"health.app_fault", {NULL}, U, "no result yet"},

    /* health.reports_app_fault: as health.app_fault, but silence proves nothing */
    {"health.reports_app_fault", {fx_health_500_unclassified}, Y, "HTTP 500"},
    {"health.reports_app_fault", {fx_health_unhealthy_connected}, Y, "HubSpot connected"},
    {"health.reports_app_fault", {fx_health_hubspot_down}, N, "only its HubSpot connection"},
    {"health.reports_app_fault", {fx_health_healthy}, N, NULL},
    {"health.reports_app_fault",
     {fx_health_refused},
     U,
     "did not answer: connection refused by 127.0.0.1: nothing listens there, or a firewall "
     "rejects it: no word from our app either way"},
    {"health.reports_app_fault", {fx_health_not_configured}, U, "no health URL configured"},

    /* health.hubspot_slow: our app's own HubSpot latency against slow_ms */
    {"health.hubspot_slow",
     {fx_health_slow},
     Y,
     "our app's own HubSpot latency 4190 ms, over the slow_ms threshold of 3000 ms"},
    {"health.hubspot_slow", {fx_health_healthy}, N, "latency 123 ms, not over"},
    {"health.hubspot_slow", {fx_health_degraded}, U, "reports no HubSpot latency"},
    {"health.hubspot_slow", {fx_health_refused}, U, "no answer"},
    {"health.hubspot_slow", {fx_health_not_configured}, U, NULL},

    {"health.configured", {fx_health_healthy}, Y, NULL},
    {"health.configured", {fx_health_refused}, Y, NULL},
    {"health.configured", {fx_health_not_configured}, N, "--health-url"},
    {"health.configured", {NULL}, U, NULL},

    {"health.hubspot_disconnected", {fx_health_unhealthy}, Y, "HubSpot disconnected"},
    {"health.hubspot_disconnected", {fx_health_healthy}, N, "HubSpot connected"},
    {"health.hubspot_disconnected", {fx_health_degraded}, U, NULL},

    {"health.circuit_open", {fx_health_degraded}, Y, "circuit open"},
    {"health.circuit_open", {fx_health_healthy}, U, NULL},
    {"health.circuit_open", {fx_health_not_configured}, U, NULL},
};

/* Fresh evidence with the case's setups applied. */
static void build(evidence *e, const setup_fn *setup)
{
	board_evidence_init(e);
	for (int k = 0; k < 3 && setup[k]; k++)
		setup[k](e);
}

/* Every case answers as expected and cites the expected evidence. */
static void test_cases(void **state)
{
	(void)state;
	int failures = 0;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		const pcase *c = &cases[k];
		evidence e;
		build(&e, c->setup);
		char why[240] = "junk";
		answer a = predicate_eval(c->pred, &e, why, sizeof why);
		if (a != c->want || (c->why && !strstr(why, c->why)) || why[0] == '\0') {
			print_error("case %zu %s: want %s \"%s\", got %s \"%s\"\n", k, c->pred,
				    predicate_answer_name(c->want), c->why ? c->why : "",
				    predicate_answer_name(a), why);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

/* Each named predicate is tested for all three answers by the table above. */
static void test_every_predicate_covered(void **state)
{
	(void)state;
	for (int p = 0; predicate_names[p]; p++) {
		bool seen[3] = {false, false, false};
		for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
			if (strcmp(cases[k].pred, predicate_names[p]) == 0)
				seen[cases[k].want] = true;
		bool need_no = strcmp(predicate_names[p], "health.circuit_open") != 0 &&
			       strcmp(predicate_names[p], "health.hubspot_disconnected") != 0;
		if (!seen[ANSWER_YES] || !seen[ANSWER_UNKNOWN] || (need_no && !seen[ANSWER_NO]))
			fail_msg("%s lacks a yes, no or unknown case", predicate_names[p]);
	}
	/* The contract names the runbook relies on exist. */
	const char *required[] = {"status.incident_active",
				  "api.unreachable",
				  "api.http_401",
				  "api.http_403",
				  "api.http_403_missing_scopes",
				  "api.rate_limited_daily",
				  "api.rate_limited_burst",
				  "api.http_429",
				  "api.http_5xx",
				  "api.http_2xx",
				  "health.unhealthy",
				  "health.configured"};
	for (size_t k = 0; k < sizeof required / sizeof required[0]; k++)
		assert_true(predicate_exists(required[k]));
}

/* With nothing probed yet, every predicate says unknown, never no. */
static void test_nothing_probed_is_unknown(void **state)
{
	(void)state;
	evidence e;
	board_evidence_init(&e);
	for (int p = 0; predicate_names[p]; p++) {
		char why[240];
		answer a = predicate_eval(predicate_names[p], &e, why, sizeof why);
		if (a != ANSWER_UNKNOWN)
			fail_msg("%s answered %s on empty evidence (%s)", predicate_names[p],
				 predicate_answer_name(a), why);
		assert_true(why[0] != '\0');
	}
}

/* Across every fixture, the why is one non-empty line that fits, and tiny buffers are safe. */
static void test_why_is_one_line(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		evidence e;
		build(&e, cases[k].setup);
		for (int p = 0; predicate_names[p]; p++) {
			char why[240];
			memset(why, 'x', sizeof why);
			predicate_eval(predicate_names[p], &e, why, sizeof why);
			assert_true(memchr(why, '\0', sizeof why) != NULL);
			assert_true(why[0] != '\0');
			assert_null(strchr(why, '\n'));
			char tiny[6];
			memset(tiny, 'x', sizeof tiny);
			answer a = predicate_eval(predicate_names[p], &e, tiny, sizeof tiny);
			assert_true(strlen(tiny) < sizeof tiny);
			assert_int_equal(a, predicate_eval(predicate_names[p], &e, NULL, 0));
		}
	}
}

/* Unknown names, NULL names and NULL evidence answer unknown with a reason. */
static void test_unknown_names(void **state)
{
	(void)state;
	evidence e;
	board_evidence_init(&e);
	fx_api_401(&e);
	char why[240];
	assert_int_equal(predicate_eval("api.http_999", &e, why, sizeof why), ANSWER_UNKNOWN);
	assert_string_equal(why, "no such predicate \"api.http_999\"");
	assert_int_equal(predicate_eval(NULL, &e, why, sizeof why), ANSWER_UNKNOWN);
	assert_int_equal(predicate_eval("api.http_401", NULL, why, sizeof why), ANSWER_UNKNOWN);
	assert_string_equal(why, "no evidence");
	assert_false(predicate_exists("API.HTTP_401"));
	assert_false(predicate_exists(""));
	assert_false(predicate_exists(NULL));
	assert_true(predicate_exists("api.http_401"));
	assert_string_equal(predicate_answer_name(ANSWER_YES), "yes");
	assert_string_equal(predicate_answer_name(ANSWER_NO), "no");
	assert_string_equal(predicate_answer_name(ANSWER_UNKNOWN), "unknown");
	assert_string_equal(predicate_answer_name((answer)7), "unknown");
}

/* A body that was too large still carries its status code: that is an answer. */
static void test_too_large_is_an_answer(void **state)
{
	(void)state;
	evidence e;
	board_evidence_init(&e);
	fx_api_502_html(&e);
	e.api.f.err = HTTP_ERR_TOO_LARGE;
	char why[240];
	assert_int_equal(predicate_eval("api.unreachable", &e, why, sizeof why), ANSWER_NO);
	assert_int_equal(predicate_eval("api.http_5xx", &e, why, sizeof why), ANSWER_YES);
	e.api.f.http_status = 0;
	assert_int_equal(predicate_eval("api.unreachable", &e, why, sizeof why), ANSWER_YES);
	assert_non_null(strstr(why, "too large"));
}

/* The validator itself catches what it must. */
static void test_utf8_validator(void **state)
{
	(void)state;
	assert_true(utf8_valid("plain, \xe2\x80\x94 dash, \xf0\x9f\x94\xa5"));
	assert_false(utf8_valid("cut \xe2\x80"));
	assert_false(utf8_valid("cut \xe2"));
	assert_false(utf8_valid("stray \x80"));
	assert_false(utf8_valid("overlong \xc0\xaf"));
	assert_false(utf8_valid("surrogate \xed\xa0\x80"));
}

/* A message with a 3-byte character wherever the cuts fall: every why stays valid UTF-8. */
static void test_why_never_splits_a_character(void **state)
{
	(void)state;
	static const char dash[] = "\xe2\x80\x94"; /* U+2014, the em dash */
	int checked = 0;
	/* Slide the dash across the 80-byte cut of the quoted message. */
	for (size_t at = 70; at < 90; at++) {
		evidence e;
		board_evidence_init(&e);
		fx_api_401(&e);
		memset(e.api.message, 'm', at);
		memcpy(e.api.message + at, dash, 3);
		strcpy(e.api.message + at + 3, " and more words after the dash");
		/* and a body excerpt, cut at 60, on the same spot for the not-JSON case */
		memset(e.api.f.body_excerpt, 'b', at - 20);
		memcpy(e.api.f.body_excerpt + at - 20, dash, 3);
		e.api.f.body_excerpt[at - 17] = '\0';
		/* every buffer size, so vsnprintf's own cut lands on each byte of the dash too */
		for (size_t sz = 1; sz <= 240; sz++) {
			char why[240];
			predicate_eval("api.http_401", &e, why, sz);
			if (!utf8_valid(why))
				fail_msg("dash at %zu, why of %zu bytes: not UTF-8: \"%s\"", at, sz,
					 why);
			checked++;
		}
		e.api.f.json_ok = false;
		char why[240];
		predicate_eval("api.http_401", &e, why, sizeof why);
		assert_true(utf8_valid(why));
		assert_non_null(strstr(why, "body not JSON"));
		e.api.f.json_ok = true;
		predicate_eval("api.http_401", &e, why, sizeof why);
		assert_non_null(strstr(why, "API answered HTTP 401"));
		assert_true(utf8_valid(why));
	}
	/* The same for every predicate over long multi-byte texts in every field. */
	evidence e;
	board_evidence_init(&e);
	fx_status_incident(&e);
	fx_api_403_scopes(&e);
	fx_health_unrecognised(&e);
	fx_usage_full(&e);
	char *fields[] = {e.status.incidents[0].name,
			  e.status.description,
			  e.api.message,
			  e.api.category,
			  e.api.required_scopes,
			  e.health.f.body_excerpt,
			  e.health.status_text};
	size_t sizes[] = {sizeof e.status.incidents[0].name,
			  sizeof e.status.description,
			  sizeof e.api.message,
			  sizeof e.api.category,
			  sizeof e.api.required_scopes,
			  sizeof e.health.f.body_excerpt,
			  sizeof e.health.status_text};
	for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
		size_t k = 0;
		for (; k + 3 < sizes[f]; k += 3)
			memcpy(fields[f] + k, dash, 3);
		fields[f][k] = '\0';
	}
	for (int p = 0; predicate_names[p]; p++)
		for (size_t sz = 1; sz <= 240; sz++) {
			char why[240];
			predicate_eval(predicate_names[p], &e, why, sz);
			if (!utf8_valid(why))
				fail_msg("%s, why of %zu bytes: not UTF-8", predicate_names[p], sz);
			checked++;
		}
	assert_true(checked > 5000);
}

/* Only a component named for the API counts as the API: "Rapid Page Builder" is not. */
static void test_api_component_is_a_word(void **state)
{
	(void)state;
	evidence e;
	board_evidence_init(&e);
	fx_status_incident_rapid(&e);
	char why[240];
	assert_int_equal(predicate_eval("status.incident_active", &e, why, sizeof why), ANSWER_YES);
	assert_non_null(strstr(why, "\"Slow page loads\""));
	assert_null(strstr(why, "Rapid"));
	/* without the incident, a Rapid component being down is not an API outage */
	e.status.n_incidents = 0;
	e.status.incidents_total = 0;
	assert_int_equal(predicate_eval("status.incident_active", &e, why, sizeof why), ANSWER_NO);
	assert_non_null(strstr(why, "1 component not operational"));
	/* the CRM API component is quoted by name */
	strcpy(e.status.components_bad[0].name, "CRM APIs");
	e.status.api_component_degraded = true;
	assert_int_equal(predicate_eval("status.incident_active", &e, why, sizeof why), ANSWER_YES);
	assert_non_null(strstr(why, "component \"CRM APIs\" partial_outage"));
}

/* The slow_ms in the evidence is the threshold: the same answer is slow or not by it alone. */
static void test_slow_threshold_from_evidence(void **state)
{
	(void)state;
	evidence e;
	board_evidence_init(&e);
	fx_api_200_slow(&e); /* 4102 ms */
	fx_health_slow(&e);  /* our app: 4190 ms */
	char why[240];
	assert_int_equal(predicate_eval("api.slow", &e, why, sizeof why), ANSWER_YES);
	e.slow_ms = 4102;
	assert_int_equal(predicate_eval("api.slow", &e, why, sizeof why), ANSWER_NO);
	assert_non_null(strstr(why, "4102 ms, not over the slow_ms threshold of 4102 ms"));
	assert_int_equal(predicate_eval("health.hubspot_slow", &e, why, sizeof why), ANSWER_YES);
	e.slow_ms = 4101;
	assert_int_equal(predicate_eval("api.slow", &e, why, sizeof why), ANSWER_YES);
	e.slow_ms = 5000;
	assert_int_equal(predicate_eval("health.hubspot_slow", &e, why, sizeof why), ANSWER_NO);
	e.slow_ms = 0; /* no threshold: nothing is called slow */
	assert_int_equal(predicate_eval("api.slow", &e, why, sizeof why), ANSWER_UNKNOWN);
	assert_non_null(strstr(why, "no slow_ms threshold"));
	assert_int_equal(predicate_eval("health.hubspot_slow", &e, why, sizeof why),
			 ANSWER_UNKNOWN);
}

/* The list of names and the table agree: every listed name evaluates, and names are unique. */
static void test_names_match_the_table(void **state)
{
	(void)state;
	evidence e;
	board_evidence_init(&e);
	int n = 0;
	for (; predicate_names[n]; n++) {
		char why[240];
		assert_true(predicate_exists(predicate_names[n]));
		predicate_eval(predicate_names[n], &e, why, sizeof why);
		assert_null(strstr(why, "no such predicate"));
		for (int k = 0; k < n; k++)
			assert_string_not_equal(predicate_names[k], predicate_names[n]);
	}
	assert_int_equal(n, 26);
}

/* Run the tests. */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_every_predicate_covered),
	    cmocka_unit_test(test_nothing_probed_is_unknown),
	    cmocka_unit_test(test_why_is_one_line),
	    cmocka_unit_test(test_unknown_names),
	    cmocka_unit_test(test_too_large_is_an_answer),
	    cmocka_unit_test(test_utf8_validator),
	    cmocka_unit_test(test_why_never_splits_a_character),
	    cmocka_unit_test(test_api_component_is_a_word),
	    cmocka_unit_test(test_names_match_the_table),
	    cmocka_unit_test(test_slow_threshold_from_evidence),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
