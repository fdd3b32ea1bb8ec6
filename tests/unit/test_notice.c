/* Unit tests for the public-notice check: what it refuses, where, and what it lets through. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "hsr/config.h"
#include "hsr/notice.h"

#define TOKEN "pat-na1-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

/* Secrets as a team's config gives them. */
static notice_secrets secrets(void)
{
	config c;
	config_defaults(&c);
	common_strlcpy(c.token, TOKEN, sizeof c.token);
	common_strlcpy(c.health_url, "https://sync-7.internal.example.net:8443/health",
		       sizeof c.health_url);
	notice_secrets s;
	notice_secrets_from_config(&c, &s);
	return s;
}

/* Check text; return how many problems, with the first ones in p. */
static size_t run(const char *text, notice_problem *p, size_t max)
{
	notice_secrets s = secrets();
	return notice_check(text, &s, p, max);
}

/* The hosts come from api_base, health_url and status_url, each once, lower case. */
static void test_hosts_from_config(void **state)
{
	(void)state;
	notice_secrets s = secrets();
	assert_int_equal(s.n_hosts, 3);
	assert_string_equal(s.hosts[0], "api.hubapi.com");
	assert_string_equal(s.hosts[1], "sync-7.internal.example.net");
	assert_string_equal(s.hosts[2], "status.hubspot.com");
	assert_string_equal(s.token, TOKEN);
	config c;
	config_defaults(&c);
	config_point_at(&c, "http://127.0.0.1:8099");
	notice_secrets_from_config(&c, &s);
	assert_int_equal(s.n_hosts, 1);
	assert_string_equal(s.hosts[0], "127.0.0.1");
}

/* A clean notice passes. */
static void test_clean_notice(void **state)
{
	(void)state;
	notice_problem p[4];
	const char *ok =
	    "Delays syncing with our CRM\n"
	    "We are looking into a problem with our HubSpot CRM integration.\n"
	    "What you may notice: contacts you add appear in the CRM late; the default "
	    "settings are unchanged.\n"
	    "Status: investigating.\nNext update by 15:20 UTC.\n"
	    "Last updated: 2026-12-02 14:50 UTC\n";
	assert_int_equal(run(ok, p, 4), 0);
	assert_int_equal(run("", p, 4), 0);
}

/* Each kind is found, with line and column (in characters) and a one-line message. */
static void test_each_kind(void **state)
{
	(void)state;
	notice_problem p[8];
	assert_int_equal(run("Title\nOur key " TOKEN " leaked", p, 8), 1);
	assert_int_equal(p[0].kind, NOTICE_TOKEN);
	assert_int_equal(p[0].line, 2);
	assert_int_equal(p[0].col, 9);
	assert_string_equal(p[0].message, "2:9: the access token: remove it, and rotate the token "
					  "if it was already sent");
	assert_null(strstr(p[0].message, "pat-"));

	/* Another token's shape is caught too, never echoed. */
	assert_int_equal(run("x pat-eu1-ffffffff-1111-2222-3333-444444444444", p, 8), 1);
	assert_int_equal(p[0].kind, NOTICE_TOKEN);
	assert_null(strstr(p[0].message, "ffff"));

	assert_int_equal(run("«Délai» ref 3f2b8c1e-9a4d-4e7b-b1c2-7d8e9f0a1b2c.", p, 8), 1);
	assert_int_equal(p[0].kind, NOTICE_CORRELATION);
	assert_int_equal(p[0].col, 13); /* « and é count one each */
	assert_string_equal(p[0].message, "1:13: a correlation id is an internal detail: remove "
					  "it from the public notice");

	assert_int_equal(run("Calls to API.HubAPI.com fail", p, 8), 1);
	assert_int_equal(p[0].kind, NOTICE_HOST);
	assert_non_null(strstr(p[0].message, "1:10: the host name api.hubapi.com"));
	assert_int_equal(run("see sync-7.internal.example.net:8443/health", p, 8), 1);
	assert_int_equal(p[0].kind, NOTICE_HOST);

	assert_int_equal(run("ok\n    at Object.sync (/srv/app/sync.js:42:13)\nmore", p, 8), 1);
	assert_int_equal(p[0].kind, NOTICE_STACK);
	assert_int_equal(p[0].line, 2);
	assert_int_equal(run("Traceback (most recent call last):", p, 8), 1);
	assert_int_equal(p[0].kind, NOTICE_STACK);
	assert_int_equal(run("java.net.SocketTimeoutException thrown", p, 8), 1);
	assert_int_equal(p[0].kind, NOTICE_STACK);
	assert_int_equal(run("It said TypeError: x is undefined", p, 8), 1);
	assert_int_equal(p[0].kind, NOTICE_STACK);
	assert_non_null(strstr(p[0].message, "\"TypeError\""));

	assert_int_equal(run("This was HubSpot's fault.", p, 8), 1);
	assert_int_equal(p[0].kind, NOTICE_BLAME);
	assert_string_equal(p[0].message,
			    "1:20: \"fault\" points at someone: say what happened, not who");
	assert_int_equal(run("A careless deploy; we Blame nobody", p, 8), 2);
	assert_int_equal(p[0].kind, NOTICE_BLAME);
	assert_int_equal(p[1].kind, NOTICE_BLAME);
	assert_non_null(strstr(p[1].message, "\"Blame\""));
}

/* Words that only contain a listed word are not flagged; ids need their boundaries. */
static void test_no_false_alarms(void **state)
{
	(void)state;
	notice_problem p[4];
	assert_int_equal(run("Default settings; a faultless recovery? no: defaulted", p, 4), 1);
	assert_int_equal(p[0].kind, NOTICE_BLAME); /* "faultless" starts with fault: flagged */
	assert_int_equal(run("Default settings are back", p, 4), 0);
	assert_int_equal(run("id x3f2b8c1e-9a4d-4e7b-b1c2-7d8e9f0a1b2c", p, 4), 0);
	assert_int_equal(run("Errors: some calls fail", p, 4), 0);
	assert_int_equal(run("myapi.hubapi.com.evil is not ours", p, 4), 0);
	assert_int_equal(run("Start at noon (about 12:00)", p, 4), 0);
}

/* Many problems: all counted, the first max kept in text order. */
static void test_many(void **state)
{
	(void)state;
	char text[4096] = "";
	for (int i = 0; i < 20; i++)
		strcat(text, "blame 3f2b8c1e-9a4d-4e7b-b1c2-7d8e9f0a1b2c\n");
	notice_problem p[5];
	assert_int_equal(run(text, p, 5), 40);
	assert_int_equal(p[0].line, 1);
	assert_int_equal(p[1].line, 1);
	assert_int_equal(p[2].line, 2);
	assert_int_equal(p[4].line, 3);
	notice_secrets none = {0};
	assert_int_equal(notice_check("blame", &none, NULL, 0), 1);
	assert_int_equal(notice_check(NULL, &none, p, 5), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hosts_from_config),
	    cmocka_unit_test(test_clean_notice),
	    cmocka_unit_test(test_each_kind),
	    cmocka_unit_test(test_no_false_alarms),
	    cmocka_unit_test(test_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
