/* Unit tests for the usage probe parser (account-info daily private-app usage). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http_fixture.h"
#include "hsr/probe_usage.h"

/* Parse an answer into ev. */
static void parse(ev_usage *ev, long status, const char *body)
{
	fx_resp fx;
	probe_usage_parse(fx_json(&fx, status, body, NULL), ev);
}

/* The documented answer. */
static void test_documented_shape(void **state)
{
	(void)state;
	ev_usage ev;
	parse(&ev, 200,
	      "{\"results\":[{\"name\":\"private-apps-api-calls-daily\",\"usageLimit\":500000,"
	      "\"currentUsage\":1234,\"collectedAt\":\"2024-05-14T13:55:02.311Z\","
	      "\"fetchStatus\":\"SUCCESS\",\"resetsAt\":\"2024-05-15T00:00:00+05:30\"}]}");
	assert_true(ev.f.done);
	assert_true(ev.f.configured);
	assert_int_equal(ev.f.http_status, 200);
	assert_true(ev.f.json_ok);
	assert_string_equal(ev.f.body_excerpt, "");
	assert_true(ev.usage_limit.known);
	assert_int_equal(ev.usage_limit.v, 500000);
	assert_true(ev.current_usage.known);
	assert_int_equal(ev.current_usage.v, 1234);
	assert_string_equal(ev.collected_at, "2024-05-14T13:55:02.311Z");
	assert_string_equal(ev.fetch_status, "SUCCESS");
	assert_string_equal(ev.resets_at, "2024-05-15T00:00:00+05:30");
	assert_int_equal(ev.resets_at_ms, 1715711400000LL);
}

/* The daily entry is chosen among several; without it, the first object entry. */
static void test_entry_choice(void **state)
{
	(void)state;
	ev_usage ev;
	parse(&ev, 200,
	      "{\"results\":[7,{\"name\":\"private-apps-api-calls-burst\",\"usageLimit\":100,"
	      "\"currentUsage\":3},{\"name\":\"private-apps-api-calls-daily\",\"usageLimit\":"
	      "1000000,\"currentUsage\":0,\"fetchStatus\":\"CACHED\"}]}");
	assert_int_equal(ev.usage_limit.v, 1000000);
	assert_true(ev.current_usage.known); /* a known zero */
	assert_int_equal(ev.current_usage.v, 0);
	assert_string_equal(ev.fetch_status, "CACHED");

	parse(&ev, 200,
	      "{\"results\":[null,\"x\",{\"name\":\"something-else\",\"usageLimit\":250000,"
	      "\"currentUsage\":249999},{\"usageLimit\":1}]}");
	assert_int_equal(ev.usage_limit.v, 250000);
	assert_int_equal(ev.current_usage.v, 249999);
	assert_string_equal(ev.fetch_status, "");
}

/* Figures HubSpot says it could not gather are unknown, never "0 of 500,000 used". */
static void test_fetch_status(void **state)
{
	(void)state;
	static const struct {
		const char *status; /* NULL: no fetchStatus member */
		bool trusted;
	} cases[] = {
	    {"SUCCESS", true},	{"CACHED", true},   {"success", true},	 {NULL, true},
	    {"TIMEOUT", false}, {"FAILURE", false}, {"NOTFOUND", false}, {"PENDING", false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char body[256];
		char member[48] = "";
		if (cases[i].status)
			snprintf(member, sizeof member, ",\"fetchStatus\":\"%s\"", cases[i].status);
		snprintf(body, sizeof body,
			 "{\"results\":[{\"name\":\"private-apps-api-calls-daily\","
			 "\"usageLimit\":500000,\"currentUsage\":0%s}]}",
			 member);
		ev_usage ev;
		parse(&ev, 200, body);
		assert_true(ev.f.json_ok);
		if (ev.usage_limit.known != cases[i].trusted ||
		    ev.current_usage.known != cases[i].trusted)
			fail_msg("fetchStatus %s: figures %s",
				 cases[i].status ? cases[i].status : "absent",
				 ev.usage_limit.known ? "kept" : "dropped");
		assert_string_equal(ev.fetch_status, cases[i].status ? cases[i].status : "");
		assert_int_equal(evidence_usage_trusted(ev.fetch_status), cases[i].trusted);
	}
	assert_true(evidence_usage_trusted(NULL));
}

/* An empty results[] is the right shape with nothing known in it. */
static void test_empty_results(void **state)
{
	(void)state;
	ev_usage ev;
	parse(&ev, 200, "{\"results\":[]}");
	assert_true(ev.f.json_ok);
	assert_false(ev.usage_limit.known);
	assert_false(ev.current_usage.known);
	assert_string_equal(ev.fetch_status, "");
	assert_int_equal(ev.resets_at_ms, 0);
}

/* Wrong types for every field: unknown, never zero. */
static void test_wrong_types(void **state)
{
	(void)state;
	static const char *const bodies[] = {
	    "{\"results\":[{\"usageLimit\":\"500000\",\"currentUsage\":-1,\"collectedAt\":5,"
	    "\"fetchStatus\":[\"SUCCESS\"],\"resetsAt\":1715745600000}]}",
	    "{\"results\":[{\"usageLimit\":500000.0,\"currentUsage\":1.5e3,\"collectedAt\":null,"
	    "\"fetchStatus\":{},\"resetsAt\":\"tomorrow\"}]}",
	    "{\"results\":[{\"usageLimit\":true,\"currentUsage\":null,\"resetsAt\":"
	    "\"2024-02-30T00:00:00Z\"}]}",
	    "{\"results\":[{\"usageLimit\":-500000,\"currentUsage\":[1]}]}",
	};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		ev_usage ev;
		parse(&ev, 200, bodies[i]);
		assert_true(ev.f.json_ok);
		assert_false(ev.usage_limit.known);
		assert_false(ev.current_usage.known);
		assert_string_equal(ev.collected_at, "");
		assert_string_equal(ev.fetch_status, "");
		assert_int_equal(ev.resets_at_ms, 0);
	}
	ev_usage ev;
	parse(&ev, 200, bodies[1]);
	assert_string_equal(ev.resets_at, "tomorrow");
}

/* An integer too big for 64 bits does not lose the rest of the answer. */
static void test_huge_number(void **state)
{
	(void)state;
	ev_usage ev;
	parse(&ev, 200,
	      "{\"results\":[{\"name\":\"private-apps-api-calls-daily\",\"usageLimit\":"
	      "99999999999999999999999999999,\"currentUsage\":5,\"fetchStatus\":\"SUCCESS\"}]}");
	assert_true(ev.f.json_ok);
	assert_false(ev.usage_limit.known);
	assert_string_equal(ev.fetch_status, "SUCCESS");
}

/* Not the expected shape, not JSON, or not a 2xx: nothing is read from the body. */
static void test_wrong_shapes(void **state)
{
	(void)state;
	static const char *const bodies[] = {
	    "{\"results\":{\"usageLimit\":1}}",
	    "{\"result\":[{\"usageLimit\":1}]}",
	    "[{\"usageLimit\":1}]",
	    "\"results\"",
	    "{\"results\":[{\"usageLimit\":1}",
	    "",
	};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		ev_usage ev;
		parse(&ev, 200, bodies[i]);
		assert_false(ev.f.json_ok);
		assert_false(ev.usage_limit.known);
	}
	/* A 403 (the oauth scope is missing): an error body, not usage. */
	ev_usage ev;
	parse(&ev, 403,
	      "{\"status\":\"error\",\"message\":\"This app hasn't been granted all required "
	      "scopes to make this call.\",\"category\":\"MISSING_SCOPES\",\"results\":[]}");
	assert_int_equal(ev.f.http_status, 403);
	assert_false(ev.f.json_ok);
	assert_true(strncmp(ev.f.body_excerpt, "{\"status\":\"error\"", 17) == 0);
	/* A CDN page. */
	parse(&ev, 502, "<html><head><title>502 Bad Gateway</title></head></html>");
	assert_false(ev.f.json_ok);
	assert_string_equal(ev.f.body_excerpt, "502 Bad Gateway");
	/* NUL bytes. */
	fx_resp fx;
	static const char nul[] = "{\"results\":[]}\0\0";
	probe_usage_parse(fx_answer(&fx, 200, nul, sizeof nul - 1, NULL), &ev);
	assert_false(ev.f.json_ok);
}

/* Remote strings are sanitized. */
static void test_hostile_strings(void **state)
{
	(void)state;
	ev_usage ev;
	parse(&ev, 200,
	      "{\"results\":[{\"fetchStatus\":\"\\u001b[2JSUCCESS\\u202e\",\"collectedAt\":"
	      "\"\\u001b]52;c;eA==\\u00072024-05-14T13:55:02Z\",\"resetsAt\":"
	      "\"2024-05-15T04:00:00Z\\u0000junk-that-is-long-enough-to-be-cut-off-here\"}]}");
	assert_string_equal(ev.fetch_status, "SUCCESS");
	assert_string_equal(ev.collected_at, "2024-05-14T13:55:02Z");
	assert_int_equal(strlen(ev.resets_at), sizeof ev.resets_at - 1);
	assert_int_equal(ev.resets_at_ms, 0); /* the NUL does not end the string early */
}

/* No answer. */
static void test_no_answer(void **state)
{
	(void)state;
	fx_resp fx;
	ev_usage ev;
	probe_usage_parse(fx_fail(&fx, HTTP_ERR_TLS, "TLS: certificate verify failed"), &ev);
	assert_true(ev.f.done);
	assert_int_equal(ev.f.err, HTTP_ERR_TLS);
	assert_string_equal(ev.f.error, "TLS: certificate verify failed");
	assert_false(ev.f.json_ok);
	assert_false(ev.usage_limit.known);
	probe_usage_parse(fx_fail(&fx, HTTP_ERR_NOT_CONFIGURED, NULL), &ev);
	assert_false(ev.f.configured);
	assert_false(ev.current_usage.known);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_documented_shape), cmocka_unit_test(test_entry_choice),
	    cmocka_unit_test(test_fetch_status),     cmocka_unit_test(test_empty_results),
	    cmocka_unit_test(test_wrong_types),	     cmocka_unit_test(test_huge_number),
	    cmocka_unit_test(test_wrong_shapes),     cmocka_unit_test(test_hostile_strings),
	    cmocka_unit_test(test_no_answer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
