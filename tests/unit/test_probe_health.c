/* Unit tests for the health probe parser (shapes A, B, C, framework formats) and state names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http_fixture.h"
#include "hsr/probe_health.h"

/* Parse an answer into ev, the HubSpot entry named by key (NULL: found by name). */
static void parse_key(ev_health *ev, long status, const char *body, const char *key)
{
	fx_resp fx;
	probe_health_parse(fx_json(&fx, status, body, NULL), key, ev);
}

/* Parse an answer into ev. */
static void parse(ev_health *ev, long status, const char *body)
{
	parse_key(ev, status, body, NULL);
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
	parse(&ev, 200, "Service is running, probably");
	assert_false(ev.f.json_ok);
	assert_int_equal(ev.state, HEALTH_UNKNOWN);
	assert_int_equal(ev.format, HEALTH_FMT_NONE);
	assert_string_equal(ev.f.body_excerpt, "Service is running, probably");

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
	probe_health_parse(fx_answer(&fx, 200, nul, sizeof nul - 1, NULL), NULL, &ev);
	assert_int_equal(ev.state, HEALTH_UNKNOWN);
}

/* An answer over the body cap: the status code still speaks, the body does not. */
static void test_too_large(void **state)
{
	(void)state;
	fx_resp fx;
	ev_health ev;
	probe_health_parse(fx_too_large(&fx, 200, "{\"status\":\"healthy\"", NULL), NULL, &ev);
	assert_int_equal(ev.f.http_status, 200);
	assert_false(ev.f.json_ok);
	assert_int_equal(ev.state, HEALTH_UNKNOWN);
	probe_health_parse(fx_too_large(&fx, 503, NULL, NULL), NULL, &ev);
	assert_int_equal(ev.state, HEALTH_UNHEALTHY);
	probe_health_parse(fx_too_large(&fx, 0, NULL, NULL), NULL, &ev);
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
		probe_health_parse(fx_fail(&fx, cases[i].err, "x"), NULL, &ev);
		assert_true(ev.f.done);
		assert_int_equal(ev.f.err, cases[i].err);
		assert_int_equal(ev.hubspot_connected, -1);
		if (ev.state != cases[i].want)
			fail_msg("error %d: got %s", (int)cases[i].err,
				 evidence_health_name(ev.state));
	}
	fx_resp fx;
	ev_health ev;
	probe_health_parse(fx_fail(&fx, HTTP_ERR_NOT_CONFIGURED, NULL), NULL, &ev);
	assert_false(ev.f.configured);
	probe_health_parse(NULL, NULL, &ev);
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

/*
 * The HubSpot entry read into ev: its name (NULL: not checked), connected (-1/0/1), latency in ms
 * (-1: unknown) and its own words.
 */
static void expect_hubspot(const ev_health *ev, const char *entry, int connected,
			   long long latency_ms, const char *words)
{
	if (entry)
		assert_string_equal(ev->hubspot_entry, entry);
	assert_int_equal(ev->hubspot_connected, connected);
	assert_int_equal(ev->hubspot_latency_ms.known ? ev->hubspot_latency_ms.v : -1, latency_ms);
	assert_string_equal(ev->hubspot_words, words);
}

/* Spring Boot Actuator (2.2+): all UP, with the HubSpot component's details. */
static void test_actuator_healthy(void **state)
{
	(void)state;
	ev_health ev;
	parse(&ev, 200,
	      "{\"status\":\"UP\",\"components\":{\"db\":{\"status\":\"UP\",\"details\":{"
	      "\"database\":\"PostgreSQL\",\"validationQuery\":\"isValid()\"}},\"diskSpace\":{"
	      "\"status\":\"UP\",\"details\":{\"total\":499963174912,\"free\":91300069376,"
	      "\"threshold\":10485760,\"path\":\"/app/.\",\"exists\":true}},\"hubspot\":{"
	      "\"status\":\"UP\",\"details\":{\"portalId\":4821937,\"latencyMs\":142}},"
	      "\"ping\":{\"status\":\"UP\"}}}");
	assert_true(ev.f.json_ok);
	assert_int_equal(ev.format, HEALTH_FMT_ACTUATOR);
	assert_int_equal(ev.shape, 0);
	assert_string_equal(probe_health_format_name(ev.format), "actuator");
	assert_int_equal(ev.state, HEALTH_HEALTHY);
	assert_string_equal(ev.status_text, "UP");
	assert_int_equal(ev.hubspot_state, HEALTH_HEALTHY);
	expect_hubspot(&ev, "hubspot", 1, 142, "");
}

/* Actuator: the HubSpot component DOWN with its error; nested; the 2.0/2.1 "details" form. */
static void test_actuator_down_nested(void **state)
{
	(void)state;
	ev_health ev;
	parse(&ev, 503,
	      "{\"status\":\"DOWN\",\"components\":{\"db\":{\"status\":\"UP\"},\"hubspotApi\":{"
	      "\"status\":\"DOWN\",\"details\":{\"error\":\"org.springframework.web.client."
	      "HttpClientErrorException$Unauthorized: 401 Unauthorized\"}}}}");
	assert_int_equal(ev.format, HEALTH_FMT_ACTUATOR);
	assert_int_equal(ev.state, HEALTH_UNHEALTHY);
	assert_int_equal(ev.hubspot_state, HEALTH_UNHEALTHY);
	expect_hubspot(&ev, "hubspotApi", 0, -1,
		       "org.springframework.web.client.HttpClientErrorException$Unauthorized: 401 "
		       "Unauthorized");

	/* A group holding HubSpot: the inner, better-named component is the one read. */
	parse(&ev, 503,
	      "{\"status\":\"DOWN\",\"components\":{\"crm\":{\"status\":\"DOWN\",\"components\":{"
	      "\"hubspot\":{\"status\":\"DOWN\",\"details\":{\"error\":\"java.net."
	      "SocketTimeoutException: Read timed out\",\"responseTime\":10003}},\"salesforce\":{"
	      "\"status\":\"UP\"}}},\"db\":{\"status\":\"UP\"}}}");
	expect_hubspot(&ev, "hubspot", 0, 10003, "java.net.SocketTimeoutException: Read timed out");

	/* Spring Boot 2.0/2.1: components under "details"; OUT_OF_SERVICE is not healthy. */
	parse(&ev, 200,
	      "{\"status\":\"OUT_OF_SERVICE\",\"details\":{\"crmSync\":{\"status\":"
	      "\"OUT_OF_SERVICE\",\"details\":{\"reason\":\"paused by operator\"}},\"db\":{"
	      "\"status\":\"UP\",\"details\":{\"database\":\"MySQL\",\"hello\":1}}}}");
	assert_int_equal(ev.format, HEALTH_FMT_ACTUATOR);
	assert_int_equal(ev.state, HEALTH_UNHEALTHY);
	expect_hubspot(&ev, "crmSync", 0, -1, "paused by operator");

	/* UP overall but HubSpot DOWN (a custom aggregator): not healthy. */
	parse(&ev, 200, "{\"status\":\"UP\",\"components\":{\"hub-spot\":{\"status\":\"DOWN\"}}}");
	assert_int_equal(ev.state, HEALTH_DEGRADED);
	assert_int_equal(ev.hubspot_connected, 0);

	/* Nesting past the limit is not followed, and does not crash. */
	char deep[4096] = "{\"status\":\"UP\"";
	for (int i = 0; i < 40; i++)
		strcat(deep, ",\"components\":{\"g\":{\"status\":\"UP\"");
	strcat(deep, ",\"components\":{\"hubspot\":{\"status\":\"DOWN\"}}");
	for (int i = 0; i < 40; i++)
		strcat(deep, "}}");
	strcat(deep, "}");
	parse(&ev, 200, deep);
	assert_true(ev.f.json_ok);
	assert_int_equal(ev.format, HEALTH_FMT_ACTUATOR);
	assert_int_equal(ev.hubspot_connected, -1);
	assert_int_equal(ev.state, HEALTH_HEALTHY);
}

/* IETF health+json: warn is degraded; observedValue in ms or s; output as the words. */
static void test_ietf(void **state)
{
	(void)state;
	ev_health ev;
	parse(&ev, 200,
	      "{\"status\":\"warn\",\"version\":\"1\",\"releaseId\":\"1.4.2\",\"notes\":[\"\"],"
	      "\"output\":\"\",\"serviceId\":\"f03e522f-1f44-4062-9b55-9587f91c9c41\","
	      "\"description\":\"contact sync\",\"checks\":{\"hubspot:responseTime\":[{"
	      "\"componentId\":\"api.hubapi.com\",\"componentType\":\"component\","
	      "\"observedValue\":3250,\"observedUnit\":\"ms\",\"status\":\"warn\","
	      "\"affectedEndpoints\":[\"/sync\"],\"time\":\"2024-05-14T13:55:02Z\",\"output\":"
	      "\"HubSpot answered in 3250 ms (limit 3000 ms)\"}],\"postgres:connections\":[{"
	      "\"componentId\":\"db-1\",\"observedValue\":12,\"status\":\"pass\"}],\"uptime\":[{"
	      "\"componentType\":\"system\",\"observedValue\":1209600.5,\"observedUnit\":\"s\","
	      "\"status\":\"pass\"}]},\"links\":{\"about\":\"http://example.internal/about\"}}");
	assert_int_equal(ev.format, HEALTH_FMT_IETF);
	assert_int_equal(ev.state, HEALTH_DEGRADED);
	assert_int_equal(ev.hubspot_state, HEALTH_DEGRADED);
	expect_hubspot(&ev, "hubspot:responseTime", 1, 3250,
		       "HubSpot answered in 3250 ms (limit 3000 ms)");

	/* Two HubSpot checks: the failing one's words; the latency from the one that has it. */
	parse(&ev, 503,
	      "{\"status\":\"fail\",\"checks\":{\"hubspot:responseTime\":[{\"status\":\"pass\","
	      "\"observedValue\":0.25,\"observedUnit\":\"s\"}],\"hubspot:connections\":[{"
	      "\"status\":\"fail\",\"output\":\"connect ECONNREFUSED 104.16.0.1:443\"}]}}");
	assert_int_equal(ev.state, HEALTH_UNHEALTHY);
	expect_hubspot(&ev, NULL, 0, 250, "connect ECONNREFUSED 104.16.0.1:443");

	/* No checks at all, but the media type says it: still IETF. */
	fx_resp fx;
	static const char *const ct[] = {"Content-Type", "application/health+json", NULL};
	probe_health_parse(fx_json(&fx, 200, "{\"status\":\"pass\"}", ct), NULL, &ev);
	assert_int_equal(ev.format, HEALTH_FMT_IETF);
	assert_int_equal(ev.state, HEALTH_HEALTHY);
	assert_int_equal(ev.hubspot_connected, -1);
	/* Without it, a lone status word. */
	parse(&ev, 200, "{\"status\":\"pass\"}");
	assert_int_equal(ev.format, HEALTH_FMT_STATUS_ONLY);
	assert_int_equal(ev.state, HEALTH_HEALTHY);

	/* A unit that is not time is not a latency; a check object where an array belongs. */
	parse(&ev, 200,
	      "{\"status\":\"pass\",\"checks\":{\"hubspot:quota\":{\"status\":\"pass\","
	      "\"observedValue\":431000,\"observedUnit\":\"calls\"}}}");
	assert_int_equal(ev.hubspot_connected, 1);
	assert_false(ev.hubspot_latency_ms.known);
}

/* NestJS Terminus: ok/error, info/error/details. */
static void test_terminus(void **state)
{
	(void)state;
	ev_health ev;
	parse(&ev, 503,
	      "{\"status\":\"error\",\"info\":{\"database\":{\"status\":\"up\"}},\"error\":{"
	      "\"hubspot\":{\"status\":\"down\",\"message\":\"Request failed with status code "
	      "401\"}},\"details\":{\"database\":{\"status\":\"up\"},\"hubspot\":{\"status\":"
	      "\"down\",\"message\":\"Request failed with status code 401\"}}}");
	assert_int_equal(ev.format, HEALTH_FMT_TERMINUS);
	assert_int_equal(ev.state, HEALTH_UNHEALTHY);
	expect_hubspot(&ev, "hubspot", 0, -1, "Request failed with status code 401");

	parse(&ev, 200,
	      "{\"status\":\"ok\",\"info\":{\"hubspot\":{\"status\":\"up\",\"responseTimeMs\":88}},"
	      "\"error\":{},\"details\":{\"hubspot\":{\"status\":\"up\",\"responseTimeMs\":88}}}");
	assert_int_equal(ev.format, HEALTH_FMT_TERMINUS);
	assert_int_equal(ev.state, HEALTH_HEALTHY);
	expect_hubspot(&ev, "hubspot", 1, 88, "");

	/* Older Terminus: info and error only. */
	parse(&ev, 200,
	      "{\"status\":\"error\",\"info\":{},\"error\":{\"crm\":{\"status\":\"down\","
	      "\"error\":\"timeout of 5000ms exceeded\"}}}");
	assert_int_equal(ev.format, HEALTH_FMT_TERMINUS);
	assert_int_equal(ev.state, HEALTH_UNHEALTHY);
	expect_hubspot(&ev, "crm", 0, -1, "timeout of 5000ms exceeded");
}

/* ASP.NET Core: Healthy/Degraded/Unhealthy; description; duration as a TimeSpan. */
static void test_aspnet(void **state)
{
	(void)state;
	ev_health ev;
	parse(&ev, 200,
	      "{\"status\":\"Degraded\",\"totalDuration\":\"00:00:00.2503391\",\"entries\":{"
	      "\"npgsql\":{\"data\":{},\"duration\":\"00:00:00.0101202\",\"status\":\"Healthy\","
	      "\"tags\":[\"db\"]},\"HubSpot CRM\":{\"data\":{\"portalId\":4821937},"
	      "\"description\":\"HubSpot answered 429: daily limit reached\",\"duration\":"
	      "\"00:00:00.2398770\",\"status\":\"Degraded\",\"tags\":[\"crm\"]}}}");
	assert_int_equal(ev.format, HEALTH_FMT_ASPNET);
	assert_int_equal(ev.state, HEALTH_DEGRADED);
	assert_int_equal(ev.hubspot_state, HEALTH_DEGRADED);
	expect_hubspot(&ev, "HubSpot CRM", 1, 240, "HubSpot answered 429: daily limit reached");

	parse(&ev, 503,
	      "{\"status\":\"Unhealthy\",\"totalDuration\":\"00:00:05.0042\",\"entries\":{"
	      "\"hubspot\":{\"data\":{},\"description\":null,\"duration\":\"00:00:05.0001\","
	      "\"exception\":\"The operation was canceled.\",\"status\":\"Unhealthy\"}}}");
	assert_int_equal(ev.state, HEALTH_UNHEALTHY);
	expect_hubspot(&ev, "hubspot", 0, 5000, "The operation was canceled.");
}

/* MicroProfile Health: checks[] with name and status; data for words and latency. */
static void test_microprofile(void **state)
{
	(void)state;
	ev_health ev;
	parse(&ev, 503,
	      "{\"status\":\"DOWN\",\"checks\":[{\"name\":\"database-connections\",\"status\":"
	      "\"UP\"},{\"name\":\"hubspot-api\",\"status\":\"DOWN\",\"data\":{\"reason\":"
	      "\"401 from api.hubapi.com\",\"latencyMs\":41}}]}");
	assert_int_equal(ev.format, HEALTH_FMT_MICROPROFILE);
	assert_int_equal(ev.state, HEALTH_UNHEALTHY);
	expect_hubspot(&ev, "hubspot-api", 0, 41, "401 from api.hubapi.com");

	parse(&ev, 200, "{\"status\":\"UP\",\"checks\":[]}");
	assert_int_equal(ev.format, HEALTH_FMT_MICROPROFILE);
	assert_int_equal(ev.state, HEALTH_HEALTHY);
	assert_int_equal(ev.hubspot_connected, -1);
	assert_string_equal(ev.hubspot_entry, "");
}

/* A plain-text status word with 200 (ASP.NET Core's default writer says Healthy/Degraded). */
static void test_plain(void **state)
{
	(void)state;
	static const struct {
		long code;
		const char *body;
		health_state want;
	} cases[] = {
	    {200, "OK", HEALTH_HEALTHY},	  {200, "ok\n", HEALTH_HEALTHY},
	    {200, "Healthy", HEALTH_HEALTHY},	  {200, "Degraded", HEALTH_DEGRADED},
	    {503, "Unhealthy", HEALTH_UNHEALTHY}, {503, "OK", HEALTH_UNHEALTHY},
	    {200, "UP\r\n", HEALTH_HEALTHY},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ev_health ev;
		parse(&ev, cases[i].code, cases[i].body);
		assert_false(ev.f.json_ok);
		assert_int_equal(ev.format, HEALTH_FMT_PLAIN);
		assert_int_equal(ev.hubspot_connected, -1);
		if (ev.state != cases[i].want)
			fail_msg("plain \"%s\": got %s", cases[i].body,
				 evidence_health_name(ev.state));
	}
	ev_health ev;
	parse(&ev, 200, "OK\n");
	assert_string_equal(ev.status_text, "OK");
	/* A longer text is not a status word, even if it starts with one. */
	parse(&ev, 200, "OK - but the HubSpot sync has been failing since 09:14");
	assert_int_equal(ev.format, HEALTH_FMT_NONE);
	assert_int_equal(ev.state, HEALTH_UNKNOWN);
}

/* health_hubspot_key names the entry exactly; with it set, name guessing stops. */
static void test_hubspot_key(void **state)
{
	(void)state;
	static const char body[] =
	    "{\"status\":\"Unhealthy\",\"entries\":{\"crm-sync\":{\"status\":\"Healthy\"},"
	    "\"contacts-api\":{\"status\":\"Unhealthy\",\"description\":\"401\"}}}";
	ev_health ev;
	parse(&ev, 200, body);
	assert_string_equal(ev.hubspot_entry, "crm-sync");
	assert_int_equal(ev.hubspot_connected, 1);
	parse_key(&ev, 200, body, "contacts-api");
	expect_hubspot(&ev, "contacts-api", 0, -1, "401");
	parse_key(&ev, 200, body, "Contacts-API"); /* exactly: case counts */
	assert_int_equal(ev.hubspot_connected, -1);
	parse_key(&ev, 200, body, "nothing-like-it");
	assert_int_equal(ev.hubspot_connected, -1);
	assert_string_equal(ev.hubspot_entry, "");
	/* IETF: the key may name the component before ":measurement". */
	parse_key(&ev, 200,
		  "{\"status\":\"fail\",\"checks\":{\"upstream:responseTime\":[{\"status\":"
		  "\"fail\"}],\"hubspot:responseTime\":[{\"status\":\"pass\"}]}}",
		  "upstream");
	assert_string_equal(ev.hubspot_entry, "upstream:responseTime");
	assert_int_equal(ev.hubspot_connected, 0);
	/* "hubspot" beats "crm" whatever the order. */
	parse(&ev, 200,
	      "{\"status\":\"UP\",\"components\":{\"crmCache\":{\"status\":\"DOWN\"},"
	      "\"HubSpotClient\":{\"status\":\"UP\"}}}");
	assert_string_equal(ev.hubspot_entry, "HubSpotClient");
	assert_int_equal(ev.hubspot_connected, 1);
}

/* Missing fields: no top-level status, no entry status, entries without names. */
static void test_framework_missing_fields(void **state)
{
	(void)state;
	ev_health ev;
	parse(&ev, 200, "{\"components\":{\"hubspot\":{\"status\":\"DOWN\"}}}");
	assert_int_equal(ev.format, HEALTH_FMT_ACTUATOR);
	assert_int_equal(ev.state, HEALTH_DEGRADED);
	parse(&ev, 200, "{\"checks\":[{\"name\":\"db\",\"status\":\"UP\"}]}");
	assert_int_equal(ev.format, HEALTH_FMT_MICROPROFILE);
	assert_int_equal(ev.state, HEALTH_UNKNOWN);
	parse(&ev, 200,
	      "{\"status\":\"Healthy\",\"entries\":{\"hubspot\":{\"description\":\"no status\"}}}");
	assert_int_equal(ev.hubspot_state, HEALTH_UNKNOWN);
	expect_hubspot(&ev, "hubspot", -1, -1, "no status");
	assert_int_equal(ev.state, HEALTH_HEALTHY);
	parse(&ev, 200,
	      "{\"status\":\"UP\",\"checks\":[{\"status\":\"DOWN\"},{\"name\":null},7,\"x\"]}");
	assert_int_equal(ev.format, HEALTH_FMT_MICROPROFILE);
	assert_int_equal(ev.hubspot_connected, -1);
	assert_int_equal(ev.state, HEALTH_HEALTHY);
}

/* Ugly bodies: wrong types, huge numbers, escape sequences, truncated JSON. */
static void test_framework_ugly(void **state)
{
	(void)state;
	ev_health ev;
	/* Wrong types everywhere. */
	parse(&ev, 200,
	      "{\"status\":\"UP\",\"components\":{\"hubspot\":{\"status\":true,\"details\":["
	      "\"error\"]},\"crm\":\"DOWN\"}}");
	assert_int_equal(ev.format, HEALTH_FMT_ACTUATOR);
	assert_int_equal(ev.hubspot_connected, -1);
	assert_int_equal(ev.state, HEALTH_HEALTHY);
	parse(&ev, 200,
	      "{\"status\":\"pass\",\"checks\":{\"hubspot:responseTime\":\"fast\",\"hubspot:x\":"
	      "[null,1,{\"status\":[\"fail\"],\"observedValue\":\"12\",\"observedUnit\":\"ms\","
	      "\"output\":{\"text\":\"x\"}}]}}");
	assert_int_equal(ev.format, HEALTH_FMT_IETF);
	expect_hubspot(&ev, NULL, -1, -1, "");

	/* Huge, negative and fractional latencies. */
	static const char *const lat[] = {"99999999999999999999999", "-5", "1e300", "86400001",
					  "\"00:00:01\""};
	for (size_t i = 0; i < sizeof lat / sizeof lat[0]; i++) {
		char body[200];
		snprintf(body, sizeof body,
			 "{\"status\":\"ok\",\"details\":{\"hubspot\":{\"status\":\"up\","
			 "\"latencyMs\":%s}}}",
			 lat[i]);
		parse(&ev, 200, body);
		assert_int_equal(ev.format, HEALTH_FMT_TERMINUS);
		assert_int_equal(ev.hubspot_connected, 1);
		if (ev.hubspot_latency_ms.known)
			fail_msg("latency %s read as %lld", lat[i], ev.hubspot_latency_ms.v);
	}
	parse(
	    &ev, 200,
	    "{\"status\":\"ok\",\"details\":{\"hubspot\":{\"status\":\"up\",\"latencyMs\":12.6}}}");
	assert_int_equal(ev.hubspot_latency_ms.v, 13);

	/* Escape sequences and newlines in the entry's words and name. */
	parse(&ev, 503,
	      "{\"status\":\"DOWN\",\"checks\":[{\"name\":\"\\u001b[2Jhubspot\\u0007\",\"status\":"
	      "\"DOWN\",\"data\":{\"message\":\"\\u001b[31mrefused\\u001b[0m\\r\\nretry "
	      "in\\t30 s\\u001b]8;;http://x\\u0007\"}}]}");
	assert_string_equal(ev.hubspot_entry, "hubspot");
	assert_string_equal(ev.hubspot_words, "refused retry in 30 s");

	/* A long description is cut to fit. */
	char big[4096];
	snprintf(big, sizeof big,
		 "{\"status\":\"Unhealthy\",\"entries\":{\"hubspot\":{\"status\":\"Unhealthy\","
		 "\"description\":\"%0*d\"}}}",
		 3000, 7);
	parse(&ev, 200, big);
	assert_int_equal(ev.hubspot_connected, 0);
	assert_true(strlen(ev.hubspot_words) < sizeof ev.hubspot_words);
	assert_true(strlen(ev.hubspot_words) > 100);

	/* Truncated JSON: not read at all. */
	parse(&ev, 503, "{\"status\":\"DOWN\",\"components\":{\"hubspot\":{\"status\":\"DO");
	assert_false(ev.f.json_ok);
	assert_int_equal(ev.format, HEALTH_FMT_NONE);
	assert_int_equal(ev.hubspot_connected, -1);
	assert_int_equal(ev.state, HEALTH_UNHEALTHY);
	parse(&ev, 200, "{\"status\":\"UP\",\"checks\":[{\"name\":\"hubspot\",\"status\":\"UP\"");
	assert_false(ev.f.json_ok);
	assert_int_equal(ev.state, HEALTH_UNKNOWN);
}

/* .NET TimeSpan durations. */
static void test_timespan(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		long long ms; /* -1 = unknown */
	} cases[] = {
	    {"00:00:00.1234567", 123},
	    {"00:00:00.0004999", 0},
	    {"00:00:00.0005", 1},
	    {"00:00:05", 5000},
	    {"00:01:02.5", 62500},
	    {"0.02:03:04.5", 7384500},
	    {"1.00:00:00.001", -1},
	    {"00:00:00", 0},
	    {"0:0", -1},
	    {"00:60:00", -1},
	    {"24:00:00", -1},
	    {"abc", -1},
	    {"", -1},
	    {"00:00:00.", -1},
	    {"-00:00:01", -1},
	    {"00:00:00.12345678", -1},
	    {"00:00:01 ", -1},
	    {"99999.00:00:00", -1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		opt_int v = probe_health_timespan_ms(cases[i].s);
		long long got = v.known ? v.v : -1;
		if (got != cases[i].ms)
			fail_msg("\"%s\": got %lld, want %lld", cases[i].s, got, cases[i].ms);
	}
	assert_false(probe_health_timespan_ms(NULL).known);
}

/* Every format has a key and a title; out of range gives "". */
static void test_format_names(void **state)
{
	(void)state;
	for (int f = HEALTH_FMT_SHAPE_A; f < HEALTH_FMT_COUNT; f++) {
		assert_true(strlen(probe_health_format_name((health_format)f)) > 0);
		/* Only a framework's format has a name for a person ("(shape A)" is jargon). */
		assert_int_equal(strlen(probe_health_format_title((health_format)f)) > 0,
				 f >= HEALTH_FMT_ACTUATOR);
	}
	assert_string_equal(probe_health_format_name(HEALTH_FMT_NONE), "");
	assert_string_equal(probe_health_format_name(HEALTH_FMT_COUNT), "");
	assert_string_equal(probe_health_format_title((health_format)-1), "");
	assert_string_equal(probe_health_format_name(HEALTH_FMT_MICROPROFILE), "microprofile");
	assert_string_equal(probe_health_format_title(HEALTH_FMT_ACTUATOR), "Spring Boot Actuator");
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
	    cmocka_unit_test(test_actuator_healthy),
	    cmocka_unit_test(test_actuator_down_nested),
	    cmocka_unit_test(test_ietf),
	    cmocka_unit_test(test_terminus),
	    cmocka_unit_test(test_aspnet),
	    cmocka_unit_test(test_microprofile),
	    cmocka_unit_test(test_plain),
	    cmocka_unit_test(test_hubspot_key),
	    cmocka_unit_test(test_framework_missing_fields),
	    cmocka_unit_test(test_framework_ugly),
	    cmocka_unit_test(test_timespan),
	    cmocka_unit_test(test_format_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
