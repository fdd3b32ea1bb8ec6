/* Unit tests for the status probe parser and the shared fetch helpers it relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http_fixture.h"
#include "printable_check.h"
#include "hsr/probe_fetch.h"
#include "hsr/probe_status.h"

/* A summary.json during a partial outage: groups, open and closed incidents, maintenance. */
static const char summary_outage[] =
    "{\"page\":{\"id\":\"x1\",\"name\":\"HubSpot\",\"url\":\"https://status.hubspot.com\","
    "\"time_zone\":\"Etc/UTC\",\"updated_at\":\"2024-05-14T10:02:11.531Z\"},"
    "\"components\":["
    "{\"id\":\"g1\",\"name\":\"Marketing Hub\",\"status\":\"partial_outage\",\"group\":true,"
    "\"group_id\":null,\"components\":[\"c1\",\"c2\"]},"
    "{\"id\":\"c1\",\"name\":\"Email\",\"status\":\"operational\",\"group\":false,"
    "\"group_id\":\"g1\"},"
    "{\"id\":\"c2\",\"name\":\"Forms\",\"status\":\"degraded_performance\",\"group\":false,"
    "\"group_id\":\"g1\"},"
    "{\"id\":\"c3\",\"name\":\"CRM API\",\"status\":\"partial_outage\",\"group\":false,"
    "\"only_show_if_degraded\":false},"
    "{\"id\":\"c4\",\"name\":\"Login and Account Access\",\"status\":\"operational\"},"
    "{\"id\":\"c5\",\"name\":\"Reporting\",\"status\":\"under_maintenance\",\"group\":false}"
    "],"
    "\"incidents\":["
    "{\"id\":\"i1\",\"name\":\"Elevated API error rates\",\"status\":\"identified\","
    "\"impact\":\"major\",\"created_at\":\"2024-05-14T09:31:00.000-04:00\","
    "\"updated_at\":\"2024-05-14T09:58:03.122-04:00\",\"shortlink\":\"https://stspg.io/abc1\","
    "\"incident_updates\":[{\"body\":\"We have identified the cause and are rolling out a "
    "fix.\",\"status\":\"identified\"},{\"body\":\"We are investigating.\","
    "\"status\":\"investigating\"}]},"
    "{\"id\":\"i2\",\"name\":\"Delayed form submissions\",\"status\":\"monitoring\","
    "\"impact\":\"minor\",\"updated_at\":\"2024-05-14T13:40:00Z\","
    "\"shortlink\":\"https://stspg.io/def2\",\"incident_updates\":[{\"body\":\"A fix has been "
    "implemented and we are monitoring.\"}]},"
    "{\"id\":\"i3\",\"name\":\"Old login issue\",\"status\":\"resolved\",\"impact\":\"minor\","
    "\"updated_at\":\"2024-05-13T08:00:00Z\",\"incident_updates\":[]},"
    "{\"id\":\"i4\",\"name\":\"Last week's outage\",\"status\":\"postmortem\","
    "\"impact\":\"critical\"}"
    "],"
    "\"scheduled_maintenances\":["
    "{\"name\":\"Database upgrade\",\"status\":\"in_progress\",\"impact\":\"maintenance\"},"
    "{\"name\":\"Next week's work\",\"status\":\"scheduled\"},"
    "{\"name\":\"Network change\",\"status\":\"verifying\"},"
    "{\"name\":\"Old work\",\"status\":\"completed\"}"
    "],"
    "\"status\":{\"indicator\":\"major\",\"description\":\"Partial System Outage\"}}";

static const char summary_ok[] =
    "{\"page\":{\"id\":\"x1\",\"name\":\"HubSpot\"},"
    "\"components\":[{\"name\":\"CRM API\",\"status\":\"operational\",\"group\":false},"
    "{\"name\":\"Marketing Hub\",\"status\":\"operational\",\"group\":true}],"
    "\"incidents\":[],\"scheduled_maintenances\":[],"
    "\"status\":{\"indicator\":\"none\",\"description\":\"All Systems Operational\"}}";

/* Parse body (HTTP 200) into ev. */
static void parse200(const char *body, ev_status *ev)
{
	fx_resp fx;
	probe_status_parse(fx_json(&fx, 200, body, NULL), ev);
}

/* A real outage summary: everything the dashboard needs is there. */
static void test_full_summary(void **state)
{
	(void)state;
	ev_status ev;
	fx_resp fx;
	int64_t before = common_now_ms();
	probe_status_parse(fx_json(&fx, 200, summary_outage, NULL), &ev);
	assert_true(ev.f.done);
	assert_true(ev.f.configured);
	assert_int_equal(ev.f.err, HTTP_OK);
	assert_string_equal(ev.f.error, "");
	assert_int_equal(ev.f.http_status, 200);
	assert_int_equal(ev.f.latency_ms, 123);
	assert_true(ev.f.at_ms >= before && ev.f.at_ms <= common_now_ms());
	assert_true(ev.f.json_ok);
	assert_string_equal(ev.f.body_excerpt, "");

	assert_string_equal(ev.indicator, "major");
	assert_string_equal(ev.description, "Partial System Outage");

	assert_int_equal(ev.n_incidents, 2);
	assert_int_equal(ev.incidents_total, 2);
	assert_string_equal(ev.incidents[0].name, "Elevated API error rates");
	assert_string_equal(ev.incidents[0].status, "identified");
	assert_string_equal(ev.incidents[0].impact, "major");
	assert_string_equal(ev.incidents[0].updated_at, "2024-05-14T09:58:03.122-04:00");
	assert_int_equal(ev.incidents[0].updated_ms, 1715695083122LL);
	assert_string_equal(ev.incidents[0].shortlink, "https://stspg.io/abc1");
	assert_string_equal(ev.incidents[0].latest_update,
			    "We have identified the cause and are rolling out a fix.");
	assert_string_equal(ev.incidents[1].name, "Delayed form submissions");
	assert_string_equal(ev.incidents[1].status, "monitoring");
	assert_int_equal(ev.incidents[1].updated_ms, 1715694000000LL);

	/* The group container is skipped; under_maintenance is not operational. */
	assert_int_equal(ev.n_components_bad, 3);
	assert_int_equal(ev.components_bad_total, 3);
	assert_string_equal(ev.components_bad[0].name, "Forms");
	assert_string_equal(ev.components_bad[0].status, "degraded_performance");
	assert_string_equal(ev.components_bad[1].name, "CRM API");
	assert_string_equal(ev.components_bad[1].status, "partial_outage");
	assert_string_equal(ev.components_bad[2].name, "Reporting");
	assert_true(ev.api_component_degraded);

	assert_int_equal(ev.n_maint, 2);
	assert_string_equal(ev.maint[0].name, "Database upgrade");
	assert_string_equal(ev.maint[0].status, "in_progress");
	assert_string_equal(ev.maint[1].name, "Network change");
	assert_string_equal(ev.maint[1].status, "verifying");
}

/* All green. */
static void test_all_operational(void **state)
{
	(void)state;
	ev_status ev;
	parse200(summary_ok, &ev);
	assert_true(ev.f.json_ok);
	assert_string_equal(ev.indicator, "none");
	assert_string_equal(ev.description, "All Systems Operational");
	assert_int_equal(ev.n_incidents, 0);
	assert_int_equal(ev.incidents_total, 0);
	assert_int_equal(ev.n_components_bad, 0);
	assert_false(ev.api_component_degraded);
	assert_int_equal(ev.n_maint, 0);
}

/* Many incidents, components and maintenances: stored up to the caps, all counted. */
static void test_caps(void **state)
{
	(void)state;
	size_t cap = 64 * 1024;
	char *b = malloc(cap);
	assert_non_null(b);
	size_t n = (size_t)snprintf(b, cap, "{\"incidents\":[");
	for (int i = 0; i < 15; i++)
		n += (size_t)snprintf(b + n, cap - n, "%s{\"name\":\"inc %d\",\"status\":\"%s\"}",
				      i ? "," : "", i, i % 5 == 4 ? "resolved" : "investigating");
	n += (size_t)snprintf(b + n, cap - n, "],\"components\":[");
	for (int i = 0; i < 20; i++)
		n += (size_t)snprintf(b + n, cap - n, "%s{\"name\":\"comp %d\",\"status\":\"%s\"}",
				      i ? "," : "", i, i == 0 ? "operational" : "major_outage");
	n += (size_t)snprintf(b + n, cap - n, "],\"scheduled_maintenances\":[");
	for (int i = 0; i < 6; i++)
		n += (size_t)snprintf(b + n, cap - n,
				      "%s{\"name\":\"m%d\",\"status\":\"in_progress\"}",
				      i ? "," : "", i);
	snprintf(b + n, cap - n, "],\"status\":{\"indicator\":\"critical\"}}");
	ev_status ev;
	parse200(b, &ev);
	free(b);
	assert_true(ev.f.json_ok);
	assert_string_equal(ev.indicator, "critical");
	assert_string_equal(ev.description, "");
	assert_int_equal(ev.incidents_total, 12);
	assert_int_equal(ev.n_incidents, STATUS_MAX_INCIDENTS);
	assert_string_equal(ev.incidents[0].name, "inc 0");
	assert_string_equal(ev.incidents[4].name, "inc 5"); /* inc 4 was resolved */
	assert_int_equal(ev.components_bad_total, 19);
	assert_int_equal(ev.n_components_bad, STATUS_MAX_COMPONENTS);
	assert_string_equal(ev.components_bad[0].name, "comp 1");
	assert_false(ev.api_component_degraded);
	assert_int_equal(ev.n_maint, STATUS_MAX_MAINT);
}

/* Only the documented indicators are accepted; anything else is unknown, not "none". */
static void test_indicator_values(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "{\"status\":{\"indicator\":\"purple\"}}",
	    "{\"status\":{\"indicator\":5}}",
	    "{\"status\":{\"indicator\":null}}",
	    "{\"status\":{\"indicator\":\"none\\u001b[2J\"}}",
	    "{\"status\":{\"indicator\":\"no\\u0000ne\"}}",
	    "{\"status\":{}}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ev_status ev;
		parse200(bad[i], &ev);
		assert_true(ev.f.json_ok);
		assert_string_equal(ev.indicator, "");
	}
	ev_status ev;
	parse200(
	    "{\"status\":{\"indicator\":\"maintenance\",\"description\":\"Under Maintenance\"}}",
	    &ev);
	assert_string_equal(ev.indicator, "maintenance");
	parse200("{\"status\":{\"indicator\":\"MINOR\"}}", &ev);
	assert_string_equal(ev.indicator, "minor");
}

/* Escape sequences, OSC 52 and bidi overrides in remote text are stripped; long text is cut. */
static void test_hostile_strings(void **state)
{
	(void)state;
	size_t big = 10 * 1024;
	char *desc = malloc(big + 1);
	assert_non_null(desc);
	memset(desc, 'D', big);
	desc[big] = '\0';
	size_t cap = big + 2048;
	char *b = malloc(cap);
	assert_non_null(b);
	snprintf(
	    b, cap,
	    "{\"status\":{\"indicator\":\"minor\",\"description\":\"%s\"},"
	    "\"incidents\":[{\"name\":\"\\u001b[2J\\u001b[HAPI \\u202edaed\\u202c down\","
	    "\"status\":\"investigating\\u0007\",\"impact\":\"minor\","
	    "\"shortlink\":\"https://stspg.io/x\\u001b]52;c;cm0gLXJmIH4=\\u0007\","
	    "\"updated_at\":\"2024-05-14T13:40:00Z\\u001b[0m\","
	    "\"incident_updates\":[{\"body\":\"line one\\nline two\\r\\n\\tend \\u009b31m\"}]}],"
	    "\"components\":[{\"name\":\"\\u2066CRM\\u2069 API\\u001b[5m\","
	    "\"status\":\"major_outage\"}]}",
	    desc);
	ev_status ev;
	parse200(b, &ev);
	free(b);
	free(desc);
	assert_true(ev.f.json_ok);
	assert_int_equal(strlen(ev.description), sizeof ev.description - 1);
	assert_memory_equal(ev.description + sizeof ev.description - 4, "\xe2\x80\xa6", 3);
	assert_int_equal(ev.n_incidents, 1);
	status_incident *inc = &ev.incidents[0];
	assert_string_equal(inc->name, "API daed down");
	assert_string_equal(inc->status, "investigating");
	assert_string_equal(inc->shortlink, "https://stspg.io/x");
	assert_string_equal(inc->latest_update, "line one line two end");
	/* The stored text is clean; the junk after the time makes it unparseable. */
	assert_string_equal(inc->updated_at, "2024-05-14T13:40:00Z");
	assert_int_equal(inc->updated_ms, 0);
	assert_string_equal(ev.components_bad[0].name, "CRM API");
	assert_true(ev.api_component_degraded);
	assert_true(printable_line(inc->name) && printable_line(inc->latest_update));
}

/* Wrong types for every field: nothing crashes, nothing is invented. */
static void test_wrong_types(void **state)
{
	(void)state;
	ev_status ev;
	parse200("{\"status\":[],\"incidents\":{\"a\":1},\"components\":\"x\","
		 "\"scheduled_maintenances\":7}",
		 &ev);
	assert_false(ev.f.json_ok);
	assert_string_equal(ev.indicator, "");
	assert_int_equal(ev.incidents_total, 0);

	parse200(
	    "{\"status\":{\"indicator\":[\"major\"],\"description\":{\"x\":1}},"
	    "\"incidents\":[1,\"x\",null,[],{\"name\":5,\"status\":[\"resolved\"],"
	    "\"impact\":true,\"updated_at\":1715694000,\"shortlink\":{},"
	    "\"incident_updates\":\"x\"},{\"incident_updates\":[\"body\",{\"body\":3}]}],"
	    "\"components\":[null,{\"name\":\"API\",\"status\":7},{\"name\":3,"
	    "\"status\":\"partial_outage\"},{\"name\":\"Group API\",\"status\":\"major_outage\","
	    "\"group\":true}],"
	    "\"scheduled_maintenances\":[{\"status\":\"in_progress\",\"name\":[]},"
	    "{\"status\":5}]}",
	    &ev);
	assert_true(ev.f.json_ok);
	assert_string_equal(ev.indicator, "");
	assert_string_equal(ev.description, "");
	assert_int_equal(ev.incidents_total, 2); /* the two objects; status unknown is not closed */
	assert_int_equal(ev.n_incidents, 2);
	assert_string_equal(ev.incidents[0].name, "");
	assert_string_equal(ev.incidents[0].status, "");
	assert_string_equal(ev.incidents[0].impact, "");
	assert_string_equal(ev.incidents[0].updated_at, "");
	assert_int_equal(ev.incidents[0].updated_ms, 0);
	assert_string_equal(ev.incidents[0].latest_update, "");
	assert_string_equal(ev.incidents[1].latest_update, "");
	/* Component without a status: not counted; nameless outage: counted, not the API. */
	assert_int_equal(ev.components_bad_total, 1);
	assert_string_equal(ev.components_bad[0].name, "");
	assert_false(ev.api_component_degraded);
	assert_int_equal(ev.n_maint, 1);
	assert_string_equal(ev.maint[0].name, "");
}

/* Which component names speak of the API, and which statuses count as degraded. */
static void test_api_component(void **state)
{
	(void)state;
	static const struct {
		const char *name, *status;
		bool api;
	} cases[] = {
	    {"CRM API", "partial_outage", true},
	    {"APIs", "degraded_performance", true},
	    {"api", "major_outage", true},
	    {"Public API (v3)", "major_outage", true},
	    {"CRM API", "under_maintenance", false},
	    {"CRM API", "operational", false},
	    {"Rapid Capital", "major_outage", false},
	    {"Therapist booking", "major_outage", false},
	    {"APIary", "major_outage", false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char b[256];
		snprintf(b, sizeof b, "{\"components\":[{\"name\":\"%s\",\"status\":\"%s\"}]}",
			 cases[i].name, cases[i].status);
		ev_status ev;
		parse200(b, &ev);
		assert_true(ev.f.json_ok);
		if (ev.api_component_degraded != cases[i].api)
			fail_msg("%s / %s: expected %d", cases[i].name, cases[i].status,
				 cases[i].api);
	}
}

/* A CDN error page instead of JSON: no crash, the title is the excerpt. */
static void test_html_502(void **state)
{
	(void)state;
	static const char html[] =
	    "<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<meta charset=\"UTF-8\" />\n"
	    "<TITLE>status.hubspot.com | 502: Bad gateway</TITLE>\n<style>body{margin:0}"
	    "</style></head><body><h1>Bad gateway</h1><p>Error code 502</p></body></html>\n";
	const char *const hdrs[] = {"Content-Type", "text/html; charset=UTF-8", "Server",
				    "cloudflare", NULL};
	fx_resp fx;
	ev_status ev;
	probe_status_parse(fx_json(&fx, 502, html, hdrs), &ev);
	assert_true(ev.f.done);
	assert_int_equal(ev.f.err, HTTP_OK);
	assert_int_equal(ev.f.http_status, 502);
	assert_false(ev.f.json_ok);
	assert_string_equal(ev.f.body_excerpt, "status.hubspot.com | 502: Bad gateway");
	assert_string_equal(ev.indicator, "");
	assert_int_equal(ev.n_incidents, 0);

	/* A non-2xx answer is not believed even when it carries a summary. */
	probe_status_parse(fx_json(&fx, 500, summary_outage, NULL), &ev);
	assert_false(ev.f.json_ok);
	assert_string_equal(ev.indicator, "");
	assert_int_equal(ev.incidents_total, 0);
	assert_true(strncmp(ev.f.body_excerpt, "{\"page\"", 7) == 0);
}

/* Bodies that are not a summary: truncated, empty, arrays, strings, text, NUL bytes. */
static void test_not_a_summary(void **state)
{
	(void)state;
	fx_resp fx;
	ev_status ev;
	/* Truncated in the middle. */
	probe_status_parse(fx_answer(&fx, 200, summary_outage, 300, NULL), &ev);
	assert_false(ev.f.json_ok);
	assert_string_equal(ev.indicator, "");
	assert_int_equal(ev.n_components_bad, 0);
	assert_true(strncmp(ev.f.body_excerpt, "{\"page\":", 8) == 0);
	/* Empty and missing bodies. */
	probe_status_parse(fx_answer(&fx, 200, "", 0, NULL), &ev);
	assert_false(ev.f.json_ok);
	assert_string_equal(ev.f.body_excerpt, "");
	probe_status_parse(fx_answer(&fx, 200, NULL, 0, NULL), &ev);
	assert_false(ev.f.json_ok);
	assert_string_equal(ev.f.body_excerpt, "");
	/* JSON of the wrong shape. */
	static const char *const shapes[] = {
	    "[]",	    "[{\"status\":{\"indicator\":\"none\"}}]",
	    "\"none\"",	    "42",
	    "null",	    "{}",
	    "{\"page\":{}}"};
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		probe_status_parse(fx_json(&fx, 200, shapes[i], NULL), &ev);
		assert_false(ev.f.json_ok);
		assert_string_equal(ev.indicator, "");
	}
	/* NUL bytes in the body. */
	static const char nul[] = "{\"status\":{\"indicator\":\"none\"\0\0}}";
	probe_status_parse(fx_answer(&fx, 200, nul, sizeof nul - 1, NULL), &ev);
	assert_false(ev.f.json_ok);
	assert_string_equal(ev.f.body_excerpt, "{\"status\":{\"indicator\":\"none\"}}");
	/* Escape sequences in a plain-text body do not reach the excerpt. */
	probe_status_parse(fx_json(&fx, 200, "\x1b[2J\x1b]52;c;eA==\x07maintenance page", NULL),
			   &ev);
	assert_string_equal(ev.f.body_excerpt, "maintenance page");
}

/* Which lists the summary had: an absent or mistyped list is not an empty one. */
static void test_lists_known(void **state)
{
	(void)state;
	ev_status ev;
	parse200(summary_ok, &ev);
	assert_true(ev.incidents_known);
	assert_true(ev.components_known);
	parse200("{\"status\":{\"indicator\":\"none\"}}", &ev);
	assert_true(ev.f.json_ok);
	assert_false(ev.incidents_known);
	assert_false(ev.components_known);
	parse200("{\"incidents\":[]}", &ev);
	assert_true(ev.incidents_known);
	assert_false(ev.components_known);
	assert_string_equal(ev.indicator, "");
	parse200("{\"status\":{},\"incidents\":{},\"components\":null}", &ev);
	assert_true(ev.f.json_ok);
	assert_false(ev.incidents_known);
	assert_false(ev.components_known);
	fx_resp fx;
	probe_status_parse(fx_json(&fx, 503, summary_ok, NULL), &ev);
	assert_false(ev.incidents_known);
}

/* Quirks that should not lose the whole page: bad UTF-8, huge numbers, a BOM, \u0000. */
static void test_tolerated_quirks(void **state)
{
	(void)state;
	ev_status ev;
	parse200("{\"status\":{\"indicator\":\"minor\"},\"incidents\":[{\"name\":\"Caf\xe9 "
		 "down\",\"status\":\"investigating\"}]}",
		 &ev);
	assert_true(ev.f.json_ok);
	assert_string_equal(ev.indicator, "minor");
	assert_string_equal(ev.incidents[0].name, "Caf? down");
	parse200("{\"page\":{\"n\":99999999999999999999999},\"status\":{\"indicator\":\"none\"}}",
		 &ev);
	assert_true(ev.f.json_ok);
	assert_string_equal(ev.indicator, "none");
	parse200("\xef\xbb\xbf{\"status\":{\"indicator\":\"none\"}}", &ev);
	assert_string_equal(ev.indicator, "none");
	parse200("{\"incidents\":[{\"name\":\"a\\u0000b\",\"status\":\"monitoring\"}]}", &ev);
	assert_true(ev.f.json_ok);
	assert_string_equal(ev.incidents[0].name, "ab");
}

/* No answer: the fetch facts say why, nothing else is known. */
static void test_transport_errors(void **state)
{
	(void)state;
	fx_resp fx;
	ev_status ev;
	probe_status_parse(fx_fail(&fx, HTTP_ERR_TIMEOUT, "timed out after 10000 ms\x1b[2J"), &ev);
	assert_true(ev.f.done);
	assert_true(ev.f.configured);
	assert_int_equal(ev.f.err, HTTP_ERR_TIMEOUT);
	assert_string_equal(ev.f.error, "timed out after 10000 ms");
	assert_int_equal(ev.f.http_status, 0);
	assert_int_equal(ev.f.latency_ms, 10000);
	assert_false(ev.f.json_ok);
	assert_string_equal(ev.indicator, "");

	probe_status_parse(fx_fail(&fx, HTTP_ERR_REFUSED, ""), &ev);
	assert_int_equal(ev.f.err, HTTP_ERR_REFUSED);
	assert_string_not_equal(ev.f.error, ""); /* a name for the error kind at least */

	probe_status_parse(fx_fail(&fx, HTTP_ERR_NOT_CONFIGURED, "no status URL"), &ev);
	assert_true(ev.f.done);
	assert_false(ev.f.configured);

	probe_status_parse(NULL, &ev);
	assert_true(ev.f.done);
	assert_int_equal(ev.f.err, HTTP_ERR_OTHER);
}

/* The strict ISO 8601 reader. */
static void test_time_parser(void **state)
{
	(void)state;
	assert_int_equal(probe_fetch_time_ms("2024-05-14T13:40:00Z"), 1715694000000LL);
	assert_int_equal(probe_fetch_time_ms("2024-05-14t13:40:00z"), 1715694000000LL);
	assert_int_equal(probe_fetch_time_ms("2024-05-14T09:58:03.122-04:00"), 1715695083122LL);
	assert_int_equal(probe_fetch_time_ms("2024-05-14T09:58:03.1229999-0400"), 1715695083122LL);
	assert_int_equal(probe_fetch_time_ms("2024-05-14T13:40:00.5Z"), 1715694000500LL);
	assert_int_equal(probe_fetch_time_ms("2024-05-15T00:00:00+05:30"), 1715711400000LL);
	assert_int_equal(probe_fetch_time_ms("2024-02-29T00:00:00Z"), 1709164800000LL);
	assert_int_equal(probe_fetch_time_ms("2099-12-31T23:59:59.999Z"), 4102444799999LL);
	assert_int_equal(probe_fetch_time_ms("1970-01-01T00:00:01Z"), 1000);
	static const char *const bad[] = {
	    "",
	    "2024-05-14",
	    "2024-05-14T13:40:00",   /* no zone */
	    "2024-05-14 13:40:00Z",  /* blank separator */
	    "2024-05-14T13:40Z",     /* no seconds */
	    "2024-05-14T13:40:00.Z", /* empty fraction */
	    "2024-05-14T13:40:00Zjunk",
	    "2024-05-14T13:40:00+5:00",
	    "2024-05-14T13:40:00+05:60",
	    "2023-02-29T00:00:00Z",
	    "2024-04-31T00:00:00Z",
	    "2024-13-01T00:00:00Z",
	    "2024-00-01T00:00:00Z",
	    "2024-05-14T24:00:00Z",
	    "2024-05-14T23:60:00Z",
	    "1969-12-31T23:59:59Z",
	    "1970-01-01T00:00:00Z",
	    "+2024-05-14T13:40:00Z",
	    "2024-5-14T13:40:00Z",
	    "yesterday",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (probe_fetch_time_ms(bad[i]) != 0)
			fail_msg("accepted \"%s\"", bad[i]);
	assert_int_equal(probe_fetch_time_ms(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full_summary),
	    cmocka_unit_test(test_all_operational),
	    cmocka_unit_test(test_caps),
	    cmocka_unit_test(test_indicator_values),
	    cmocka_unit_test(test_hostile_strings),
	    cmocka_unit_test(test_wrong_types),
	    cmocka_unit_test(test_api_component),
	    cmocka_unit_test(test_lists_known),
	    cmocka_unit_test(test_html_502),
	    cmocka_unit_test(test_not_a_summary),
	    cmocka_unit_test(test_tolerated_quirks),
	    cmocka_unit_test(test_transport_errors),
	    cmocka_unit_test(test_time_parser),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
