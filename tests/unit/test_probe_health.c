/* Unit tests for the health probe parser (shapes A, B, C) and evidence_health_name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http_fixture.h"
#include "hsr/probe_health.h"

/* Parse an answer into ev. */
static void parse(ev_health *ev, long status, const char *body)
{
	fx_resp fx;
	probe_health_parse(fx_json(&fx, status, body, NULL), ev);
}

/* Shape A, all well. */
static void test_shape_a_healthy(void **state)
{
	(void)state;
	ev_health ev;
	parse(&ev, 200,
	      "{\"status\":\"healthy\",\"services\":{\"hubspot\":{\"connected\":true,"
	      "\"latencyMs\":123},\"postgres\":{\"connected\":true}},"
	      "\"timestamp\":\"2024-05-14T13:55:02.311Z\"}");
	assert_true(ev.f.done);
	assert_true(ev.f.json_ok);
	assert_string_equal(ev.f.body_excerpt, "");
	assert_int_equal(ev.state, HEALTH_HEALTHY);
	assert_int_equal(ev.shape, 'A');
	assert_string_equal(ev.status_text, "healthy");
	assert_int_equal(ev.hubspot_connected, 1);
	assert_true(ev.hubspot_latency_ms.known);
	assert_int_equal(ev.hubspot_latency_ms.v, 123);
	assert_string_equal(ev.circuit_state, "");
	assert_false(ev.dlq_pending.known);
}

/* Shape A degraded, and a "healthy" body contradicted by connected:false. */
static void test_shape_a_degraded(void **state)
{
	(void)state;
	ev_health ev;
	parse(&ev, 200,
	      "{\"status\":\"degraded\",\"services\":{\"hubspot\":{\"connected\":false,"
	      "\"latencyMs\":0}}}");
	assert_int_equal(ev.state, HEALTH_DEGRADED);
	assert_int_equal(ev.hubspot_connected, 0);
	assert_true(ev.hubspot_latency_ms.known);
	assert_int_equal(ev.hubspot_latency_ms.v, 0);

	parse(&ev, 200,
	      "{\"status\":\"healthy\",\"services\":{\"hubspot\":{\"connected\":false}}}");
	assert_int_equal(ev.shape, 'A');
	assert_int_equal(ev.state, HEALTH_DEGRADED);
	assert_false(ev.hubspot_latency_ms.known);
}

/* Shape B: 503 when unhealthy; a 503 is unhealthy whatever the body says. */
static void test_shape_b(void **state)
{
	(void)state;
	ev_health ev;
	parse(&ev, 503,
	      "{\"status\":\"unhealthy\",\"hubspot\":{\"connected\":false,\"latencyMs\":40},"
	      "\"timestamp\":\"2024-05-14T13:55:02Z\"}");
	assert_true(ev.f.json_ok);
	assert_int_equal(ev.f.http_status, 503);
	assert_int_equal(ev.shape, 'B');
	assert_int_equal(ev.state, HEALTH_UNHEALTHY);
	assert_int_equal(ev.hubspot_connected, 0);
	assert_int_equal(ev.hubspot_latency_ms.v, 40);

	parse(&ev, 503, "{\"status\":\"healthy\",\"hubspot\":{\"connected\":true}}");
	assert_int_equal(ev.state, HEALTH_UNHEALTHY);
	assert_string_equal(ev.status_text, "healthy");

	parse(&ev, 200,
	      "{\"status\":\"healthy\",\"hubspot\":{\"connected\":true,\"latencyMs\":9}}");
	assert_int_equal(ev.state, HEALTH_HEALTHY);
	assert_int_equal(ev.hubspot_connected, 1);
}

/* Shape C: circuit breaker and dead-letter queue. */
static void test_shape_c(void **state)
{
	(void)state;
	ev_health ev;
	parse(&ev, 200,
	      "{\"status\":\"degraded\",\"circuitState\":\"open\",\"dlqPending\":73,"
	      "\"apiLatencyMs\":5200}");
	assert_true(ev.f.json_ok);
	assert_int_equal(ev.shape, 'C');
	assert_int_equal(ev.state, HEALTH_DEGRADED);
	assert_string_equal(ev.circuit_state, "open");
	assert_true(ev.dlq_pending.known);
	assert_int_equal(ev.dlq_pending.v, 73);
	assert_int_equal(ev.hubspot_latency_ms.v, 5200);
	assert_int_equal(ev.hubspot_connected, -1);

	/* "ok" with an open circuit is not healthy. */
	parse(&ev, 200, "{\"status\":\"ok\",\"circuitState\":\"OPEN\"}");
	assert_int_equal(ev.state, HEALTH_DEGRADED);
	parse(&ev, 200, "{\"status\":\"pass\",\"circuitState\":\"closed\",\"dlqPending\":0}");
	assert_int_equal(ev.state, HEALTH_HEALTHY);
	assert_true(ev.dlq_pending.known);
	assert_int_equal(ev.dlq_pending.v, 0);
	/* dlqPending alone marks shape C. */
	parse(&ev, 200, "{\"status\":\"up\",\"dlqPending\":5}");
	assert_int_equal(ev.shape, 'C');
	assert_int_equal(ev.state, HEALTH_HEALTHY);
	assert_string_equal(ev.circuit_state, "");
}

/* The status words, in any case. */
static void test_status_words(void **state)
{
	(void)state;
	static const struct {
		const char *word;
		health_state want;
	} cases[] = {
	    {"healthy", HEALTH_HEALTHY},
	    {"OK", HEALTH_HEALTHY},
	    {"Up", HEALTH_HEALTHY},
	    {"PASS", HEALTH_HEALTHY},
	    {"degraded", HEALTH_DEGRADED},
	    {"warn", HEALTH_DEGRADED},
	    {"WARN", HEALTH_DEGRADED},
	    {"unhealthy", HEALTH_UNHEALTHY},
	    {"down", HEALTH_UNHEALTHY},
	    {"fail", HEALTH_UNHEALTHY},
	    {"DOWN", HEALTH_UNHEALTHY},
	    {"purple", HEALTH_UNKNOWN},
	    {"", HEALTH_UNKNOWN},
	    {"healthyish", HEALTH_UNKNOWN},
	    {"not healthy", HEALTH_UNKNOWN},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char body[128];
		snprintf(body, sizeof body, "{\"status\":\"%s\"}", cases[i].word);
		ev_health ev;
		parse(&ev, 200, body);
		assert_true(ev.f.json_ok);
		assert_int_equal(ev.shape, 0);
		if (ev.state != cases[i].want)
			fail_msg("status \"%s\": got %s, want %s", cases[i].word,
				 evidence_health_name(ev.state),
				 evidence_health_name(cases[i].want));
	}
}

/* A 2xx that is not JSON, or JSON without status and shape: unknown, with the excerpt. */
static void test_2xx_not_evidence_of_health(void **state)
{
	(void)state;
	ev_health ev;
	parse(&ev, 200, "OK");
	assert_false(ev.f.json_ok);
	assert_int_equal(ev.state, HEALTH_UNKNOWN);
	assert_string_equal(ev.f.body_excerpt, "OK");

	parse(&ev, 200, "<html><head><title>Login</title></head><body>Sign in</body></html>");
	assert_int_equal(ev.state, HEALTH_UNKNOWN);
	assert_string_equal(ev.f.body_excerpt, "Login");

	parse(&ev, 204, NULL);
	assert_int_equal(ev.state, HEALTH_UNKNOWN);

	/* JSON, but in no shape we know: json_ok (it was JSON), shape 0, no verdict. */
	parse(&ev, 200, "{\"uptime\":5}");
	assert_true(ev.f.json_ok);
	assert_int_equal(ev.shape, 0);
	assert_int_equal(ev.state, HEALTH_UNKNOWN);
	assert_string_equal(ev.f.body_excerpt, "");
	parse(&ev, 200, "{\"status\":5}");
	assert_true(ev.f.json_ok);
	assert_int_equal(ev.shape, 0);
	assert_string_equal(ev.status_text, "");
	assert_int_equal(ev.state, HEALTH_UNKNOWN);

	static const char *const ugly[] = {"[\"healthy\"]", "\"healthy\"",
					   "{\"status\":\"healthy\"", "null"};
	for (size_t i = 0; i < sizeof ugly / sizeof ugly[0]; i++) {
		parse(&ev, 200, ugly[i]);
		assert_false(ev.f.json_ok);
		assert_int_equal(ev.state, HEALTH_UNKNOWN);
	}

	fx_resp fx;
	static const char nul[] = "{\"status\":\"healthy\"}\0";
	probe_health_parse(fx_answer(&fx, 200, nul, sizeof nul - 1, NULL), &ev);
	assert_int_equal(ev.state, HEALTH_UNKNOWN);
}

/* An answer over the body cap: the status code still speaks, the body does not. */
static void test_too_large(void **state)
{
	(void)state;
	fx_resp fx;
	ev_health ev;
	probe_health_parse(fx_too_large(&fx, 200, "{\"status\":\"healthy\"", NULL), &ev);
	assert_int_equal(ev.f.http_status, 200);
	assert_false(ev.f.json_ok);
	assert_int_equal(ev.state, HEALTH_UNKNOWN);
	probe_health_parse(fx_too_large(&fx, 503, NULL, NULL), &ev);
	assert_int_equal(ev.state, HEALTH_UNHEALTHY);
	probe_health_parse(fx_too_large(&fx, 0, NULL, NULL), &ev);
	assert_int_equal(ev.state, HEALTH_UNHEALTHY);
}

/* Without a status word, a disconnected HubSpot is still degraded; connected alone says little. */
static void test_no_status_word(void **state)
{
	(void)state;
	ev_health ev;
	parse(&ev, 200, "{\"services\":{\"hubspot\":{\"connected\":false}}}");
	assert_true(ev.f.json_ok);
	assert_int_equal(ev.state, HEALTH_DEGRADED);
	parse(&ev, 200, "{\"hubspot\":{\"connected\":true}}");
	assert_true(ev.f.json_ok);
	assert_int_equal(ev.shape, 'B');
	assert_int_equal(ev.state, HEALTH_UNKNOWN);
	assert_string_equal(ev.status_text, "");
}

/* Non-2xx answers are unhealthy: redirects, server errors, HTML. */
static void test_non_2xx(void **state)
{
	(void)state;
	ev_health ev;
	parse(&ev, 302, "");
	assert_int_equal(ev.state, HEALTH_UNHEALTHY);
	parse(&ev, 500, "<html><title>500 Internal Server Error</title></html>");
	assert_int_equal(ev.state, HEALTH_UNHEALTHY);
	assert_false(ev.f.json_ok);
	assert_string_equal(ev.f.body_excerpt, "500 Internal Server Error");
	parse(&ev, 404, "{\"error\":\"not found\"}");
	assert_int_equal(ev.state, HEALTH_UNHEALTHY);
}

/* No answer: unhealthy when the app did not answer; unknown when it was never asked. */
static void test_no_answer(void **state)
{
	(void)state;
	static const struct {
		http_err err;
		health_state want;
	} cases[] = {
	    {HTTP_ERR_TIMEOUT, HEALTH_UNHEALTHY}, {HTTP_ERR_REFUSED, HEALTH_UNHEALTHY},
	    {HTTP_ERR_CONNECT, HEALTH_UNHEALTHY}, {HTTP_ERR_DNS, HEALTH_UNHEALTHY},
	    {HTTP_ERR_TLS, HEALTH_UNHEALTHY},	  {HTTP_ERR_TOO_LARGE, HEALTH_UNHEALTHY},
	    {HTTP_ERR_OTHER, HEALTH_UNHEALTHY},	  {HTTP_ERR_NOT_CONFIGURED, HEALTH_UNKNOWN},
	    {HTTP_ERR_CANCELLED, HEALTH_UNKNOWN}, {HTTP_ERR_BAD_URL, HEALTH_UNKNOWN},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fx_resp fx;
		ev_health ev;
		probe_health_parse(fx_fail(&fx, cases[i].err, "x"), &ev);
		assert_true(ev.f.done);
		assert_int_equal(ev.f.err, cases[i].err);
		assert_int_equal(ev.hubspot_connected, -1);
		if (ev.state != cases[i].want)
			fail_msg("error %d: got %s", (int)cases[i].err,
				 evidence_health_name(ev.state));
	}
	fx_resp fx;
	ev_health ev;
	probe_health_parse(fx_fail(&fx, HTTP_ERR_NOT_CONFIGURED, NULL), &ev);
	assert_false(ev.f.configured);
	probe_health_parse(NULL, &ev);
	assert_true(ev.f.done);
	assert_int_equal(ev.state, HEALTH_UNKNOWN);
}

/* Wrong types: each field unknown; shapes need objects. */
static void test_wrong_types(void **state)
{
	(void)state;
	ev_health ev;
	parse(&ev, 200,
	      "{\"status\":\"healthy\",\"services\":{\"hubspot\":{\"connected\":\"true\","
	      "\"latencyMs\":-3}}}");
	assert_int_equal(ev.shape, 'A');
	assert_int_equal(ev.hubspot_connected, -1);
	assert_false(ev.hubspot_latency_ms.known);
	assert_int_equal(ev.state, HEALTH_HEALTHY);

	parse(&ev, 200, "{\"status\":\"healthy\",\"services\":{\"hubspot\":true},\"hubspot\":[]}");
	assert_int_equal(ev.shape, 0);
	assert_int_equal(ev.hubspot_connected, -1);

	parse(&ev, 200,
	      "{\"status\":\"degraded\",\"circuitState\":1,\"dlqPending\":\"73\","
	      "\"apiLatencyMs\":52.5}");
	assert_int_equal(ev.shape, 'C');
	assert_string_equal(ev.circuit_state, "");
	assert_false(ev.dlq_pending.known);
	assert_false(ev.hubspot_latency_ms.known);
	assert_int_equal(ev.state, HEALTH_DEGRADED);

	/* A and B together: A wins. */
	parse(&ev, 200,
	      "{\"status\":\"ok\",\"services\":{\"hubspot\":{\"connected\":true}},"
	      "\"hubspot\":{\"connected\":false}}");
	assert_int_equal(ev.shape, 'A');
	assert_int_equal(ev.hubspot_connected, 1);
	assert_int_equal(ev.state, HEALTH_HEALTHY);
}

/* Hostile text is stripped from what is stored. */
static void test_hostile(void **state)
{
	(void)state;
	ev_health ev;
	parse(&ev, 200,
	      "{\"status\":\"\\u001b[2Jdegraded\\u202e\",\"circuitState\":"
	      "\"\\u001b]52;c;eA==\\u0007open\"}");
	assert_string_equal(ev.status_text, "degraded");
	assert_string_equal(ev.circuit_state, "open");
	assert_int_equal(ev.state, HEALTH_DEGRADED);

	char big[12 * 1024];
	memset(big, 'x', sizeof big);
	memcpy(big, "{\"status\":\"", 11);
	memcpy(big + sizeof big - 3, "\"}", 3);
	parse(&ev, 200, big);
	assert_true(ev.f.json_ok);
	assert_int_equal(strlen(ev.status_text), sizeof ev.status_text - 1);
	assert_int_equal(ev.state, HEALTH_UNKNOWN);
}

/* The names of the states. */
static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(evidence_health_name(HEALTH_UNKNOWN), "unknown");
	assert_string_equal(evidence_health_name(HEALTH_HEALTHY), "healthy");
	assert_string_equal(evidence_health_name(HEALTH_DEGRADED), "degraded");
	assert_string_equal(evidence_health_name(HEALTH_UNHEALTHY), "unhealthy");
	assert_string_equal(evidence_health_name((health_state)99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shape_a_healthy),
	    cmocka_unit_test(test_too_large),
	    cmocka_unit_test(test_shape_a_degraded),
	    cmocka_unit_test(test_shape_b),
	    cmocka_unit_test(test_shape_c),
	    cmocka_unit_test(test_status_words),
	    cmocka_unit_test(test_2xx_not_evidence_of_health),
	    cmocka_unit_test(test_no_status_word),
	    cmocka_unit_test(test_non_2xx),
	    cmocka_unit_test(test_no_answer),
	    cmocka_unit_test(test_wrong_types),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_state_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
