/* Unit tests for the API probe parser: HubSpot error bodies and rate-limit headers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "http_fixture.h"
#include "hsr/probe_api.h"

/* The headers of a healthy private-app call (HTTP/1.1 spelling). */
static const char *const ok_headers[] = {
    "Content-Type",
    "application/json;charset=utf-8",
    "X-HubSpot-RateLimit-Daily",
    "250000",
    "X-HubSpot-RateLimit-Daily-Remaining",
    "249876",
    "X-HubSpot-RateLimit-Interval-Milliseconds",
    "10000",
    "X-HubSpot-RateLimit-Max",
    "100",
    "X-HubSpot-RateLimit-Remaining",
    "99",
    "X-HubSpot-RateLimit-Secondly",
    "10",
    "X-HubSpot-RateLimit-Secondly-Remaining",
    "9",
    "X-HubSpot-Correlation-Id",
    "8d1b7e3a-3a7c-4d8b-9c33-1f0e5b2a6c11",
    NULL,
};

static const char contacts_page[] =
    "{\"results\":[{\"id\":\"51\",\"properties\":{\"createdate\":\"2024-01-02T10:00:00.000Z\","
    "\"email\":\"a@example.com\",\"hs_object_id\":\"51\"},\"createdAt\":"
    "\"2024-01-02T10:00:00.000Z\",\"archived\":false}],\"paging\":{\"next\":{\"after\":\"52\","
    "\"link\":\"https://api.hubapi.com/crm/v3/objects/contacts?limit=1&after=52\"}}}";

/* Parse an answer into ev. */
static void parse(ev_api *ev, long status, const char *body, const char *const *hdrs)
{
	fx_resp fx;
	probe_api_parse(fx_json(&fx, status, body, hdrs), ev);
}

/* 200: every rate-limit header read, the correlation id from the header, no error fields. */
static void test_ok_with_headers(void **state)
{
	(void)state;
	ev_api ev;
	parse(&ev, 200, contacts_page, ok_headers);
	assert_true(ev.f.done);
	assert_true(ev.f.configured);
	assert_int_equal(ev.f.http_status, 200);
	assert_true(ev.f.json_ok);
	assert_string_equal(ev.f.body_excerpt, "");
	assert_true(ev.rl_daily.known);
	assert_int_equal(ev.rl_daily.v, 250000);
	assert_true(ev.rl_daily_remaining.known);
	assert_int_equal(ev.rl_daily_remaining.v, 249876);
	assert_true(ev.rl_interval_ms.known);
	assert_int_equal(ev.rl_interval_ms.v, 10000);
	assert_true(ev.rl_max.known);
	assert_int_equal(ev.rl_max.v, 100);
	assert_true(ev.rl_remaining.known);
	assert_int_equal(ev.rl_remaining.v, 99);
	assert_false(ev.retry_after_s.known);
	assert_false(ev.auth_failure_header);
	assert_string_equal(ev.correlation_id, "8d1b7e3a-3a7c-4d8b-9c33-1f0e5b2a6c11");
	assert_string_equal(ev.category, "");
	assert_string_equal(ev.message, "");
	assert_string_equal(ev.policy_name, "");
	assert_string_equal(ev.required_scopes, "");
	assert_string_equal(ev.correct_hublet, "");
}

/* Header names are matched without regard to case (HTTP/2 sends them in lower case). */
static void test_lowercase_headers(void **state)
{
	(void)state;
	static const char *const h2[] = {"x-hubspot-ratelimit-daily",
					 "625000",
					 "x-hubspot-ratelimit-daily-remaining",
					 "0",
					 "x-hubspot-ratelimit-max",
					 "190",
					 "x-hubspot-correlation-id",
					 "abc-123",
					 NULL};
	ev_api ev;
	parse(&ev, 200, contacts_page, h2);
	assert_int_equal(ev.rl_daily.v, 625000);
	assert_true(ev.rl_daily_remaining.known); /* zero is a known zero */
	assert_int_equal(ev.rl_daily_remaining.v, 0);
	assert_int_equal(ev.rl_max.v, 190);
	assert_false(ev.rl_interval_ms.known);
	assert_false(ev.rl_remaining.known);
	assert_string_equal(ev.correlation_id, "abc-123");
}

/* Only the deprecated Secondly headers: they say nothing about the burst window. */
static void test_secondly_ignored(void **state)
{
	(void)state;
	static const char *const h[] = {"X-HubSpot-RateLimit-Secondly", "10",
					"X-HubSpot-RateLimit-Secondly-Remaining", "0", NULL};
	ev_api ev;
	parse(&ev, 200, contacts_page, h);
	assert_false(ev.rl_max.known);
	assert_false(ev.rl_remaining.known);
	assert_false(ev.rl_interval_ms.known);
}

/* 401 with a bad token: category, message, body correlation id, the auth-failure header. */
static void test_401_invalid(void **state)
{
	(void)state;
	static const char body[] =
	    "{\"status\":\"error\",\"message\":\"Authentication credentials not found. This API "
	    "supports OAuth 2.0 authentication and you can find more details at "
	    "https://developers.hubspot.com/docs/methods/auth/oauth-overview\","
	    "\"correlationId\":\"4e0b4a5f-8c55-4a3b-8a8e-2b8f6c1d9e77\","
	    "\"category\":\"INVALID_AUTHENTICATION\"}";
	static const char *const h[] = {"X-HubSpot-Auth-Failure",
					"Authentication credentials not found",
					"X-HubSpot-Correlation-Id", "ffffffff-header-id", NULL};
	ev_api ev;
	parse(&ev, 401, body, h);
	assert_int_equal(ev.f.http_status, 401);
	assert_true(ev.f.json_ok);
	assert_string_equal(ev.category, "INVALID_AUTHENTICATION");
	assert_true(strncmp(ev.message, "Authentication credentials not found.", 37) == 0);
	assert_string_equal(ev.correlation_id, "4e0b4a5f-8c55-4a3b-8a8e-2b8f6c1d9e77");
	assert_true(ev.auth_failure_header);
	assert_false(ev.rl_daily.known);
}

/* 401 with an expired OAuth token. */
static void test_401_expired(void **state)
{
	(void)state;
	static const char body[] =
	    "{\"status\":\"error\",\"message\":\"The OAuth token used to make this call expired "
	    "62 second(s) ago.\",\"correlationId\":\"0d7c1f33-0000-4000-8000-000000000001\","
	    "\"category\":\"EXPIRED_AUTHENTICATION\",\"context\":{},\"links\":{}}";
	ev_api ev;
	parse(&ev, 401, body, NULL);
	assert_string_equal(ev.category, "EXPIRED_AUTHENTICATION");
	assert_string_equal(ev.message, "The OAuth token used to make this call expired 62 "
					"second(s) ago.");
	assert_false(ev.auth_failure_header);
}

/* 403 missing scopes: every required scope, once, in order. */
static void test_403_missing_scopes(void **state)
{
	(void)state;
	static const char body[] =
	    "{\"status\":\"error\",\"message\":\"This app hasn't been granted all required "
	    "scopes to make this call. Read more about required scopes here: "
	    "https://developers.hubspot.com/scopes.\",\"correlationId\":"
	    "\"2b7e9c41-1111-4222-8333-444455556666\",\"errors\":[{\"message\":\"One or more of "
	    "the following scopes are required.\",\"context\":{\"requiredGranularScopes\":"
	    "[\"crm.objects.contacts.read\",\"crm.objects.contacts.write\"]}},{\"message\":"
	    "\"x\",\"context\":{\"requiredScopes\":[\"crm.objects.contacts.read\","
	    "\"crm.schemas.contacts.read\"]}}],\"links\":{\"scopes\":"
	    "\"https://developers.hubspot.com/scopes\"},\"category\":\"MISSING_SCOPES\"}";
	ev_api ev;
	parse(&ev, 403, body, ok_headers);
	assert_string_equal(ev.category, "MISSING_SCOPES");
	assert_string_equal(ev.required_scopes,
			    "crm.objects.contacts.read, "
			    "crm.objects.contacts.write, crm.schemas.contacts.read");
	assert_string_equal(ev.correlation_id, "2b7e9c41-1111-4222-8333-444455556666");
	/* The headers are read whatever the status. */
	assert_int_equal(ev.rl_remaining.v, 99);

	/* Top-level context, a single string, and a hostile scope. */
	parse(&ev, 403,
	      "{\"category\":\"MISSING_SCOPES\",\"context\":{\"requiredScopes\":\"oauth\"},"
	      "\"errors\":[{\"context\":{\"requiredScopes\":[\"\\u001b]52;c;eA==\\u0007"
	      "tickets\",7,null,\"\",\"oauth\"]}}]}",
	      NULL);
	assert_string_equal(ev.required_scopes, "oauth, tickets");
	assert_string_equal(ev.message, "");
}

/* Many long scopes: cut to fit with the mark. */
static void test_scopes_overflow(void **state)
{
	(void)state;
	char body[4096];
	size_t n =
	    (size_t)snprintf(body, sizeof body, "{\"errors\":[{\"context\":{\"requiredScopes\":[");
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(body + n, sizeof body - n,
				      "%s\"crm.objects.custom_%02d.read\"", i ? "," : "", i);
	snprintf(body + n, sizeof body - n, "]}}]}");
	ev_api ev;
	parse(&ev, 403, body, NULL);
	size_t len = strlen(ev.required_scopes);
	assert_true(len <= sizeof ev.required_scopes - 1);
	assert_true(len > 100);
	assert_memory_equal(ev.required_scopes + len - 3, "\xe2\x80\xa6", 3);
	assert_true(strncmp(ev.required_scopes, "crm.objects.custom_00.read, ", 28) == 0);
}

/* 429 daily: no category, the policy, a known zero remaining, no Retry-After. */
static void test_429_daily(void **state)
{
	(void)state;
	static const char body[] =
	    "{\"status\":\"error\",\"message\":\"You have reached your daily limit.\","
	    "\"errorType\":\"RATE_LIMIT\",\"correlationId\":\"c0ffee00-1234-4321-9876-"
	    "abcdefabcdef\","
	    "\"policyName\":\"DAILY\",\"groupName\":\"api-calls-daily\",\"requestId\":\"r-1\"}";
	static const char *const h[] = {"X-HubSpot-RateLimit-Daily", "250000",
					"X-HubSpot-RateLimit-Daily-Remaining", "0", NULL};
	ev_api ev;
	parse(&ev, 429, body, h);
	assert_true(ev.f.json_ok);
	assert_string_equal(ev.category, "");
	assert_string_equal(ev.error_type, "RATE_LIMIT");
	assert_string_equal(ev.policy_name, "DAILY");
	assert_string_equal(ev.message, "You have reached your daily limit.");
	assert_true(ev.rl_daily_remaining.known);
	assert_int_equal(ev.rl_daily_remaining.v, 0);
	assert_false(ev.retry_after_s.known);
}

/* 429 burst with Retry-After in seconds. */
static void test_429_burst(void **state)
{
	(void)state;
	static const char body[] =
	    "{\"status\":\"error\",\"message\":\"You have reached your ten_secondly_rolling "
	    "limit.\",\"errorType\":\"RATE_LIMIT\",\"correlationId\":"
	    "\"5a5a5a5a-0000-4000-8000-5a5a5a5a5a5a\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}";
	static const char *const h[] = {"Retry-After",
					"10",
					"X-HubSpot-RateLimit-Interval-Milliseconds",
					"10000",
					"X-HubSpot-RateLimit-Max",
					"100",
					"X-HubSpot-RateLimit-Remaining",
					"0",
					NULL};
	ev_api ev;
	parse(&ev, 429, body, h);
	assert_string_equal(ev.policy_name, "TEN_SECONDLY_ROLLING");
	assert_true(ev.retry_after_s.known);
	assert_int_equal(ev.retry_after_s.v, 10);
	assert_true(ev.rl_remaining.known);
	assert_int_equal(ev.rl_remaining.v, 0);
	assert_int_equal(ev.rl_interval_ms.v, 10000);
}

/* Retry-After as an HTTP-date: measured from the answer's Date, else from now. */
static void test_retry_after_date(void **state)
{
	(void)state;
	ev_api ev;
	static const char *const h1[] = {"Date", "Wed, 21 Oct 2015 07:27:30 GMT", "Retry-After",
					 "Wed, 21 Oct 2015 07:28:00 GMT", NULL};
	parse(&ev, 429, "{}", h1);
	assert_true(ev.retry_after_s.known);
	assert_int_equal(ev.retry_after_s.v, 30);

	static const char *const h1b[] = {"Date", " Wed, 21 Oct 2015 07:27:30 GMT\r\n",
					  "Retry-After", "Wed, 21 Oct 2015 07:28:05 GMT \t", NULL};
	parse(&ev, 429, "{}", h1b);
	assert_int_equal(ev.retry_after_s.v, 35);

	static const char *const h2[] = {"Date", "Wed, 21 Oct 2015 07:29:00 GMT", "Retry-After",
					 "Wed, 21 Oct 2015 07:28:00 GMT", NULL};
	parse(&ev, 429, "{}", h2);
	assert_true(ev.retry_after_s.known);
	assert_int_equal(ev.retry_after_s.v, 0); /* already past */

	char when[64];
	time_t t = time(NULL) + 120;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	const char *const h3[] = {"Retry-After", when, NULL};
	parse(&ev, 477, "{}", h3);
	assert_true(ev.retry_after_s.known);
	assert_in_range(ev.retry_after_s.v, 115, 121);

	static const char *const bad[] = {
	    "Wed, 21 Oct 2015 07:28:00 PST",
	    "Wed, 21 Foo 2015 07:28:00 GMT",
	    "Wed, 32 Oct 2015 07:28:00 GMT",
	    "Wed, 21 Oct 2015 25:28:00 GMT",
	    "Wednesday, 21-Oct-15 07:28:00 GMT",
	    "soon",
	    "-5",
	    "",
	    "1.5",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *const h[] = {"Retry-After", bad[i], NULL};
		parse(&ev, 429, "{}", h);
		if (ev.retry_after_s.known)
			fail_msg("Retry-After \"%s\" read as %lld", bad[i], ev.retry_after_s.v);
	}
}

/* Header numbers that are not plain non-negative integers are unknown, never zero. */
static void test_ugly_header_numbers(void **state)
{
	(void)state;
	static const char *const ugly[] = {
	    "-5", "abc", "", "99999999999999999999999999999", "4 2", "+5", "0x10", "1e3", "12abc",
	};
	for (size_t i = 0; i < sizeof ugly / sizeof ugly[0]; i++) {
		const char *const h[] = {"X-HubSpot-RateLimit-Daily",
					 ugly[i],
					 "X-HubSpot-RateLimit-Daily-Remaining",
					 ugly[i],
					 "X-HubSpot-RateLimit-Interval-Milliseconds",
					 ugly[i],
					 "X-HubSpot-RateLimit-Max",
					 ugly[i],
					 "X-HubSpot-RateLimit-Remaining",
					 ugly[i],
					 "Retry-After",
					 ugly[i],
					 NULL};
		ev_api ev;
		parse(&ev, 200, contacts_page, h);
		if (ev.rl_daily.known || ev.rl_daily_remaining.known || ev.rl_interval_ms.known ||
		    ev.rl_max.known || ev.rl_remaining.known || ev.retry_after_s.known)
			fail_msg("header value \"%s\" was read as a number", ugly[i]);
	}
	const char *const padded[] = {"X-HubSpot-RateLimit-Max", " 42 ", NULL};
	ev_api ev;
	parse(&ev, 200, contacts_page, padded);
	assert_true(ev.rl_max.known);
	assert_int_equal(ev.rl_max.v, 42);
}

/* No headers at all: every rate-limit field unknown, nothing invented. */
static void test_no_headers(void **state)
{
	(void)state;
	ev_api ev;
	parse(&ev, 200, contacts_page, NULL);
	assert_true(ev.f.json_ok);
	assert_false(ev.rl_daily.known);
	assert_false(ev.rl_daily_remaining.known);
	assert_false(ev.rl_interval_ms.known);
	assert_false(ev.rl_max.known);
	assert_false(ev.rl_remaining.known);
	assert_false(ev.retry_after_s.known);
	assert_false(ev.auth_failure_header);
	assert_string_equal(ev.correlation_id, "");
}

/* The wrong data centre: correctHublet at the top, in context, or in errors[].context. */
static void test_correct_hublet(void **state)
{
	(void)state;
	ev_api ev;
	parse(&ev, 403,
	      "{\"status\":\"error\",\"message\":\"This portal is located in a different "
	      "datacenter.\",\"correctHublet\":\"eu1\",\"category\":\"WRONG_HUBLET\"}",
	      NULL);
	assert_string_equal(ev.correct_hublet, "eu1");
	parse(&ev, 403, "{\"context\":{\"correctHublet\":[\"na2\"]}}", NULL);
	assert_string_equal(ev.correct_hublet, "na2");
	parse(&ev, 403, "{\"errors\":[{\"context\":{\"correctHublet\":\"ap1\"}}]}", NULL);
	assert_string_equal(ev.correct_hublet, "ap1");
	parse(&ev, 403, "{\"correctHublet\":5,\"context\":{\"correctHublet\":{}}}", NULL);
	assert_string_equal(ev.correct_hublet, "");
}

/* A CDN error page: no JSON, the title as the excerpt, headers still read. */
static void test_502_html(void **state)
{
	(void)state;
	static const char html[] =
	    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 "
	    "Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n"
	    "</html>\r\n";
	static const char *const h[] = {"X-HubSpot-Correlation-Id", "cdn-1", "Retry-After", "3",
					NULL};
	ev_api ev;
	parse(&ev, 502, html, h);
	assert_int_equal(ev.f.http_status, 502);
	assert_false(ev.f.json_ok);
	assert_string_equal(ev.f.body_excerpt, "502 Bad Gateway");
	assert_string_equal(ev.category, "");
	assert_string_equal(ev.message, "");
	assert_string_equal(ev.correlation_id, "cdn-1");
	assert_int_equal(ev.retry_after_s.v, 3);

	/* 524 with a blank title falls back to the start of the page. */
	parse(&ev, 524, "<html><title> \n </title>A timeout occurred</html>", NULL);
	assert_string_equal(ev.f.body_excerpt, "<html><title> </title>A timeout occurred</html>");
	/* An unclosed title is not a title. */
	parse(&ev, 504, "<title>Gateway Time-out", NULL);
	assert_string_equal(ev.f.body_excerpt, "<title>Gateway Time-out");
}

/* Bodies that are not JSON objects. */
static void test_not_json(void **state)
{
	(void)state;
	static const char *const bodies[] = {"[]", "\"error\"", "{\"status\":\"error\",",
					     "",   "null",	"Service Unavailable"};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		ev_api ev;
		parse(&ev, 503, bodies[i], NULL);
		assert_false(ev.f.json_ok);
		assert_string_equal(ev.message, "");
	}
	ev_api ev;
	fx_resp fx;
	static const char nul[] = "{\"message\":\"a\"}\0trailing";
	probe_api_parse(fx_answer(&fx, 500, nul, sizeof nul - 1, NULL), &ev);
	assert_false(ev.f.json_ok);
	assert_string_equal(ev.f.body_excerpt, "{\"message\":\"a\"}trailing");
	probe_api_parse(fx_answer(&fx, 500, NULL, 0, NULL), &ev);
	assert_false(ev.f.json_ok);
	assert_string_equal(ev.f.body_excerpt, "");
}

/* Wrong types for every field: all unknown; the header correlation id still used. */
static void test_wrong_types(void **state)
{
	(void)state;
	static const char *const h[] = {"X-HubSpot-Correlation-Id", "hdr-id", NULL};
	ev_api ev;
	parse(&ev, 400,
	      "{\"status\":5,\"message\":[],\"correlationId\":{},\"category\":true,"
	      "\"subCategory\":1.5,\"errorType\":null,\"policyName\":[\"DAILY\"],"
	      "\"errors\":\"x\",\"context\":[]}",
	      h);
	assert_true(ev.f.json_ok);
	assert_string_equal(ev.message, "");
	assert_string_equal(ev.category, "");
	assert_string_equal(ev.sub_category, "");
	assert_string_equal(ev.error_type, "");
	assert_string_equal(ev.policy_name, "");
	assert_string_equal(ev.required_scopes, "");
	assert_string_equal(ev.correlation_id, "hdr-id");

	/* errors[0].message stands in for a missing message. */
	parse(&ev, 400,
	      "{\"category\":\"VALIDATION_ERROR\",\"subCategory\":\"x.y\","
	      "\"errors\":[{\"message\":\"Property values were not valid\"}]}",
	      NULL);
	assert_string_equal(ev.message, "Property values were not valid");
	assert_string_equal(ev.sub_category, "x.y");
}

/* Hostile text in the body and headers: stripped; huge text cut. */
static void test_hostile_text(void **state)
{
	(void)state;
	size_t big = 10 * 1024;
	char *msg = malloc(big + 1);
	assert_non_null(msg);
	for (size_t i = 0; i < big; i++)
		msg[i] = (char)('a' + i % 26);
	msg[big] = '\0';
	size_t cap = big + 512;
	char *body = malloc(cap);
	assert_non_null(body);
	snprintf(
	    body, cap,
	    "{\"message\":\"\\u001b[2J\\u001b]52;c;cm0gLXJmIH4=\\u0007Token \\u202edilav\\u202c "
	    "%s\",\"category\":\"INVALID_\\u001b[31mAUTHENTICATION\\u001b[0m\","
	    "\"correlationId\":\"id\\r\\nX-Injected: 1\"}",
	    msg);
	static const char *const h[] = {"X-HubSpot-Correlation-Id", "\x1b[2Jhdr", NULL};
	ev_api ev;
	parse(&ev, 401, body, h);
	free(body);
	free(msg);
	assert_true(strncmp(ev.message, "Token dilav abcdef", 18) == 0);
	assert_int_equal(strlen(ev.message), sizeof ev.message - 1);
	assert_memory_equal(ev.message + sizeof ev.message - 4, "\xe2\x80\xa6", 3);
	assert_string_equal(ev.category, "INVALID_AUTHENTICATION");
	assert_string_equal(ev.correlation_id, "id X-Injected: 1");

	parse(&ev, 200, contacts_page, h);
	assert_string_equal(ev.correlation_id, "hdr");
}

/* An answer over the body cap keeps its status and rate-limit headers; the body is not read. */
static void test_too_large(void **state)
{
	(void)state;
	static const char *const hdrs[] = {"X-HubSpot-RateLimit-Max",
					   "190",
					   "X-HubSpot-RateLimit-Remaining",
					   "0",
					   "Retry-After",
					   "3",
					   "X-HubSpot-Correlation-Id",
					   "c0ffee",
					   NULL};
	fx_resp fx;
	ev_api ev;
	probe_api_parse(
	    fx_too_large(&fx, 429, "{\"errorType\":\"RATE_LIMIT\",\"policyName\":\"DAILY\"}", hdrs),
	    &ev);
	assert_int_equal(ev.f.err, HTTP_ERR_TOO_LARGE);
	assert_int_equal(ev.f.http_status, 429);
	assert_false(ev.f.json_ok);
	assert_string_equal(ev.policy_name, ""); /* a body we did not read whole says nothing */
	assert_true(ev.rl_max.known);
	assert_int_equal(ev.rl_max.v, 190);
	assert_true(ev.rl_remaining.known);
	assert_int_equal(ev.rl_remaining.v, 0);
	assert_true(ev.retry_after_s.known);
	assert_int_equal(ev.retry_after_s.v, 3);
	assert_string_equal(ev.correlation_id, "c0ffee");

	probe_api_parse(fx_too_large(&fx, 502, "<html><title>502 Bad Gateway</title>", NULL), &ev);
	assert_int_equal(ev.f.http_status, 502);
	assert_string_equal(ev.f.body_excerpt, "502 Bad Gateway");

	/* Too large with no status at all: no answer, nothing read. */
	probe_api_parse(fx_too_large(&fx, 0, NULL, hdrs), &ev);
	assert_int_equal(ev.f.http_status, 0);
	assert_false(ev.rl_max.known);
	assert_string_equal(ev.correlation_id, "");
}

/* No HTTP answer: nothing but the fetch facts; not configured says so. */
static void test_no_answer(void **state)
{
	(void)state;
	fx_resp fx;
	ev_api ev;
	probe_api_parse(fx_fail(&fx, HTTP_ERR_DNS, "could not resolve api.hubapi.com"), &ev);
	assert_true(ev.f.done);
	assert_true(ev.f.configured);
	assert_int_equal(ev.f.err, HTTP_ERR_DNS);
	assert_string_equal(ev.f.error, "could not resolve api.hubapi.com");
	assert_int_equal(ev.f.http_status, 0);
	assert_false(ev.f.json_ok);
	assert_false(ev.rl_daily.known);
	assert_false(ev.retry_after_s.known);

	probe_api_parse(fx_fail(&fx, HTTP_ERR_NOT_CONFIGURED, "no token"), &ev);
	assert_true(ev.f.done);
	assert_false(ev.f.configured);
	assert_int_equal(ev.f.err, HTTP_ERR_NOT_CONFIGURED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ok_with_headers),
	    cmocka_unit_test(test_lowercase_headers),
	    cmocka_unit_test(test_secondly_ignored),
	    cmocka_unit_test(test_401_invalid),
	    cmocka_unit_test(test_401_expired),
	    cmocka_unit_test(test_403_missing_scopes),
	    cmocka_unit_test(test_scopes_overflow),
	    cmocka_unit_test(test_429_daily),
	    cmocka_unit_test(test_429_burst),
	    cmocka_unit_test(test_retry_after_date),
	    cmocka_unit_test(test_ugly_header_numbers),
	    cmocka_unit_test(test_no_headers),
	    cmocka_unit_test(test_correct_hublet),
	    cmocka_unit_test(test_502_html),
	    cmocka_unit_test(test_not_json),
	    cmocka_unit_test(test_wrong_types),
	    cmocka_unit_test(test_hostile_text),
	    cmocka_unit_test(test_no_answer),
	    cmocka_unit_test(test_too_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
