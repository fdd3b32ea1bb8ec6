/*
 * `hsrunbook postmortem [ID] [-o FILE]`, the real binary against a state dir whose journals the
 * test writes with the journal API: the latest by default, by id, to a file; an unknown id and
 * an empty state dir exit 2 with one line; every section is there, even when it is empty.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hsr/incident_feed.h"
#include "hsr/journal.h"
#include "testutil_impl.h"

/* 2026-12-02 14:05:00 UTC and minutes after it. */
#define T0    1796220300000LL
#define AT(m) (T0 + (int64_t)(m)*60000)
#define CORR  "3f2b8c1e-9a4d-4e7b-b1c2-7d8e9f0a1b2c"

#define OLDER  "20261201-090000"
#define LATEST "20261202-140500"
#define BARE   "20261130-080000"

static const char *const env[] = {"HUBSPOT_ACCESS_TOKEN=pat-na1-pm-secret-4410",
				  "XDG_CONFIG_HOME=/nonexistent-hsr", NULL};

/* The sections every postmortem has, in order. */
static const char *const sections[] = {
    "# Postmortem: ",
    "## Summary",
    "## Timeline (UTC)",
    "## Root cause",
    "## Impact",
    "## Messages sent",
    "## What went well",
    "## What did not go well",
    "## Where we got lucky",
    "## Action items",
    NULL,
};

typedef struct {
	char dir[256];	 /* the state dir */
	char empty[300]; /* a state dir with no incidents */
} fx;

/* One event into the journal of incident id. */
static void put(journal *j, int64_t at, const char *type, const char *by, const char *json)
{
	json_t *d = json_loads(json, 0, NULL);
	if (!d)
		fail_msg("bad JSON in the test: %s", json);
	if (journal_append(j, at, type, by, d) != 0)
		fail_msg("journal_append: %s", journal_error(j));
	json_decref(d);
}

/* The journal of incident id under the state dir. */
static journal *open_incident(const fx *f, const char *id)
{
	char dir[600];
	snprintf(dir, sizeof dir, "%s/%s/%s", f->dir, INCIDENT_FEED_SUBDIR, id);
	journal *j = journal_new(dir, true);
	assert_non_null(j);
	return j;
}

/* Three incidents: a bare one opened by hand, an older slow one, the latest token-revoked. */
static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof f->dir, "%s/hsr-pm-test.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->empty, sizeof f->empty, "%s/empty", f->dir);
	mkdir(f->empty, 0700);
	*state = f;

	journal *j = open_incident(f, BARE);
	put(j, AT(-3000), "open", "operator",
	    "{\"owner\":\"sam\",\"severity\":\"P3\",\"reason\":\"a customer called\"}");
	journal_free(j);

	j = open_incident(f, OLDER);
	put(j, AT(-1745), "alert", "diagnosis",
	    "{\"leaf\":\"hubspot-slow\",\"title\":\"HubSpot answers slowly\",\"severity\":\"P3\","
	    "\"evidence\":[\"Is the API slow? yes (p50 4102 ms)\"]}");
	put(j, AT(-1744), "ack", "operator", "{\"owner\":\"lee\",\"severity\":\"P3\"}");
	journal_free(j);

	j = open_incident(f, LATEST);
	put(j, AT(0), "alert", "diagnosis",
	    "{\"leaf\":\"token-invalid\",\"title\":\"Access token rejected (401/403)\","
	    "\"severity\":\"P1\",\"evidence\":[\"Is it a 401? yes (API answered HTTP 401, "
	    "category INVALID_AUTHENTICATION)\"]}");
	put(j, AT(2), "ack", "operator", "{\"owner\":\"dana\",\"severity\":\"P1\"}");
	put(j, AT(3), "probe", "probe",
	    "{\"probe\":\"api\",\"correlation_id\":\"" CORR "\",\"text\":\"correlation id " CORR
	    " (API 401)\"}");
	put(j, AT(5), "message.sent", "operator",
	    "{\"kind\":\"slack\",\"text\":\"t\",\"path\":\"/s/slack-141000.md\","
	    "\"summary\":\"Slack update: copied and saved to /s/slack-141000.md\"}");
	put(j, AT(6), "note", "operator", "{\"text\":\"the CRM admin rotated the token\"}");
	put(j, AT(7), "message.field", "operator",
	    "{\"name\":\"impact\",\"value\":\"New leads did not reach the "
	    "CRM\",\"summary\":\"i\"}");
	put(j, AT(9), "root-cause", "operator", "{\"leaf\":\"token-invalid\"}");
	put(j, AT(20), "command", "operator",
	    "{\"line\":\"update-secret\",\"exit\":\"exit 0\",\"duration_ms\":900,\"output\":[]}");
	put(j, AT(21), "mitigation", "operator",
	    "{\"how\":\"command\",\"what\":\"update-secret\"}");
	put(j, AT(38), "recovery", "operator", "{}");
	put(j, AT(40), "resolve", "operator", "{}");
	journal_free(j);
	return 0;
}

/* Remove the state dir. */
static int teardown(void **state)
{
	fx *f = *state;
	incident_feed_remove_tree(f->dir);
	free(f);
	return 0;
}

/* Every section, in order, in text. */
static void assert_sections(const char *text)
{
	const char *at = text;
	for (size_t i = 0; sections[i]; i++) {
		const char *s = strstr(at, sections[i]);
		if (!s)
			fail_msg("no \"%s\" (in order) in:\n%s", sections[i], text);
		at = s + strlen(sections[i]);
	}
}

/* Run postmortem with extra words; the state dir is f->dir unless the words name one. */
static run_result pm(const char *const *words)
{
	const char *argv[16] = {"postmortem"};
	size_t n = 1;
	for (size_t i = 0; words[i] && n < 15; i++)
		argv[n++] = words[i];
	argv[n] = NULL;
	return testutil_run(argv, env, 15000);
}

/* Run postmortem with words; it must succeed with every section in order. */
static run_result pm_ok(const char *const *words)
{
	run_result r = pm(words);
	if (r.exit_code != 0)
		fail_msg("exit %d: %s", r.exit_code, r.err);
	assert_sections(r.out);
	return r;
}

/* Without an id: the latest incident, in full. */
static void test_postmortem_latest(void **state)
{
	fx *f = *state;
	const char *w[] = {"--state-dir", f->dir, NULL};
	run_result r = pm_ok(w);
	assert_string_equal(r.err, "");
	assert_non_null(strstr(r.out, "# Postmortem: Access token rejected (401/403)"));
	assert_non_null(strstr(r.out, "**Date:** 2026-12-02"));
	assert_non_null(strstr(r.out, "**Duration:** 40 min\n"));
	assert_non_null(strstr(r.out, "**Severity:** P1"));
	assert_non_null(strstr(r.out, "**Status:** resolved"));
	assert_non_null(strstr(r.out, "**Owner:** dana"));
	assert_non_null(strstr(r.out, CORR));
	/* The UTC timeline: the states, the note, the command and the message, in time order. */
	const char *order[] = {"- 14:05 alert fired",
			       "- 14:07 acknowledged by dana",
			       "- 14:10 Slack update sent",
			       "- 14:11 Note: the CRM admin rotated the token",
			       "- 14:14 root cause identified",
			       "- 14:25 Ran team command update-secret (exit 0 in 0.9 s)",
			       "- 14:26 mitigation applied",
			       "- 14:43 recovery confirmed",
			       "- 14:45 resolved",
			       NULL};
	const char *at = strstr(r.out, "## Timeline (UTC)");
	for (size_t i = 0; order[i]; i++) {
		const char *s = strstr(at, order[i]);
		if (!s)
			fail_msg("no \"%s\" in order in:\n%s", order[i], r.out);
		at = s;
	}
	assert_non_null(strstr(r.out, "INVALID\\_AUTHENTICATION")); /* the evidence, Markdown */
	assert_non_null(strstr(r.out, "New leads did not reach the CRM"));
	assert_non_null(
	    strstr(r.out, "## Messages sent\n\n- 14:10 Slack update: copied and saved to "));
	assert_null(strstr(r.out, "pm-secret"));
	testutil_free(&r);
}

/* By id: that incident; -o FILE writes the same document to the file and says where. */
static void test_postmortem_by_id_and_file(void **state)
{
	fx *f = *state;
	const char *w[] = {OLDER, "--state-dir", f->dir, NULL};
	run_result r = pm_ok(w);
	assert_non_null(strstr(r.out, "# Postmortem: HubSpot answers slowly"));
	assert_non_null(strstr(r.out, "**Owner:** lee"));
	assert_null(strstr(r.out, "Access token rejected"));
	testutil_free(&r);

	const char *latest[] = {LATEST, "--state-dir", f->dir, NULL};
	run_result want = pm_ok(latest);
	char file[400];
	snprintf(file, sizeof file, "%s/pm-out.md", f->dir);
	const char *wo[] = {LATEST, "-o", file, "--state-dir", f->dir, NULL};
	r = pm(wo);
	if (r.exit_code != 0)
		fail_msg("exit %d: %s", r.exit_code, r.err);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, LATEST));
	assert_non_null(strstr(r.err, file));
	FILE *in = fopen(file, "r");
	assert_non_null(in);
	char *got = calloc(1, 65536);
	size_t n = fread(got, 1, 65535, in);
	fclose(in);
	got[n] = '\0';
	assert_string_equal(got, want.out); /* a resolved incident's document does not age */
	free(got);
	testutil_free(&r);
	testutil_free(&want);

	/* A file that cannot be written: exit 2, one line naming it. */
	snprintf(file, sizeof file, "%s/no/such/folder/pm.md", f->dir);
	const char *wbad[] = {"-o", file, "--state-dir", f->dir, NULL};
	r = pm(wbad);
	assert_int_equal(r.exit_code, 2);
	assert_non_null(strstr(r.err, "cannot write"));
	assert_non_null(strstr(r.err, file));
	assert_non_null(strchr(r.err, '\n'));
	assert_true(strchr(r.err, '\n')[1] == '\0');
	testutil_free(&r);
}

/* Run words and expect exit 2 with one line on stderr holding want, nothing on stdout. */
static void expect_one_line_2(const char *const *words, const char *want)
{
	run_result r = pm(words);
	if (r.exit_code != 2)
		fail_msg("exit %d, stderr: %s", r.exit_code, r.err);
	assert_string_equal(r.out, "");
	assert_true(strncmp(r.err, "hsrunbook: ", 11) == 0);
	char *nl = strchr(r.err, '\n');
	assert_non_null(nl);
	assert_true(nl[1] == '\0');
	if (!strstr(r.err, want))
		fail_msg("want \"%s\" in: %s", want, r.err);
	testutil_free(&r);
}

/* An unknown id names `hsrunbook incidents`; a state dir without incidents says so. */
static void test_postmortem_unknown_and_none(void **state)
{
	fx *f = *state;
	const char *unknown[] = {"20990101-000000", "--state-dir", f->dir, NULL};
	expect_one_line_2(unknown, "hsrunbook incidents");
	expect_one_line_2(unknown, "20990101-000000");
	const char *none[] = {"--state-dir", f->empty, NULL};
	expect_one_line_2(none, "no incidents");
	char missing[400];
	snprintf(missing, sizeof missing, "%s/never-made", f->dir);
	const char *gone[] = {"--state-dir", missing, NULL};
	expect_one_line_2(gone, "no incidents");
}

/* An incident with nothing but its opening: no section vanishes, the empty ones say so. */
static void test_postmortem_empty_sections(void **state)
{
	fx *f = *state;
	const char *w[] = {BARE, "--state-dir", f->dir, NULL};
	run_result r = pm_ok(w);
	assert_non_null(strstr(r.out, "**Owner:** sam"));
	assert_non_null(strstr(r.out, "**Severity:** P3"));
	assert_non_null(strstr(r.out, "none in HubSpot's answers"));
	assert_non_null(strstr(r.out, "## Messages sent\n\n- None were recorded."));
	assert_non_null(strstr(r.out, "opened by hand by sam"));
	/* Each section has a line of its own under it, never the next heading at once. */
	for (size_t i = 1; sections[i]; i++) {
		const char *s = strstr(r.out, sections[i]);
		const char *body = s + strlen(sections[i]);
		while (*body == '\n')
			body++;
		if (strncmp(body, "##", 2) == 0 || *body == '\0')
			fail_msg("section \"%s\" is empty in:\n%s", sections[i], r.out);
	}
	testutil_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_postmortem_latest),
	    cmocka_unit_test(test_postmortem_by_id_and_file),
	    cmocka_unit_test(test_postmortem_unknown_and_none),
	    cmocka_unit_test(test_postmortem_empty_sections),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
