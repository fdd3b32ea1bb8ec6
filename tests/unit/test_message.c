/* Unit tests for the messages: facts to variables, the three built-in templates, the postmortem. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hsr/message.h"
#include "hsr/notice.h"

#ifndef DATA_DIR
#define DATA_DIR "tests/unit/data"
#endif

/* 2026-12-02 14:05:00 UTC and minutes after it. */
#define T0	  1796220300000LL
#define MIN(m)	  (T0 + (int64_t)(m)*60000)
#define CORR_A	  "3f2b8c1e-9a4d-4e7b-b1c2-7d8e9f0a1b2c"
#define CORR_B	  "0d4c2a1b-7e6f-4a5b-9c8d-1e2f3a4b5c6d"
#define LEAF_CAUS "HubSpot rejects our access token (HTTP 401/403): it was revoked."
#define LEAF_IMP  "Nothing syncs between our product and HubSpot CRM."

static const char *const ids[] = {CORR_A, CORR_B};
static const char *const evidence[] = {
    "API: HTTP 401, category INVALID_AUTHENTICATION, correlation id " CORR_A,
    "Status page: no incident reported",
};
static const message_event events[] = {
    {MIN(0), "Alert fired: the API probe got HTTP 401"},
    {MIN(2), "Acknowledged by the on-call engineer"},
    {MIN(9), "Root cause identified: the private app's token was rotated"},
    {MIN(31), "Mitigation applied: new token deployed"},
    {MIN(38), "Recovery confirmed: the API probe answers 200"},
    {MIN(40), "Resolved"},
};
static const message_sent sent[] = {
    {MIN(5), "Slack update", "saved slack-140500.md"},
    {MIN(12), "Status page notice", "created incident p31zjtct2jer"},
};
static const message_command commands[] = {{MIN(30), "update-secret", "exit 0"}};
static const message_note notes[] = {{MIN(20), "Token was rotated by the <CRM> admin on Monday"}};

/* The scripted incident: token revoked, resolved after 40 minutes. */
static message_facts scripted(const message_fields *fields)
{
	return (message_facts){.severity = 1,
			       .status = "resolved",
			       .leaf_id = "token-invalid",
			       .leaf_title = "Access token rejected (401/403)",
			       .leaf_cause = LEAF_CAUS,
			       .leaf_impact = LEAF_IMP,
			       .correlation_ids = ids,
			       .n_correlation_ids = 2,
			       .started_ms = T0,
			       .now_ms = MIN(45),
			       .resolved_ms = MIN(40),
			       .next_update_ms = MIN(60),
			       .owner = "dana",
			       .evidence = evidence,
			       .n_evidence = 2,
			       .timeline = events,
			       .n_timeline = 6,
			       .sent = sent,
			       .n_sent = 2,
			       .commands = commands,
			       .n_commands = 1,
			       .notes = notes,
			       .n_notes = 1,
			       .fields = fields};
}

/* Read a whole file into a malloc'd string. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot read %s", path);
	char *buf = malloc(65536);
	size_t n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Load the built-in templates. */
static int setup(void **state)
{
	message_templates *m = calloc(1, sizeof *m);
	char err[300];
	if (message_templates_load(m, NULL, err, sizeof err) != 0)
		return -1;
	*state = m;
	return 0;
}

/* Free them. */
static int teardown(void **state)
{
	message_templates_free(*state);
	free(*state);
	return 0;
}

/* The postmortem of the scripted incident equals the committed document. */
static void test_postmortem_document(void **state)
{
	message_fields ed = {.impact = "New leads from the website did not reach the CRM."};
	message_facts f = scripted(&ed);
	char *got = message_postmortem(*state, &f, false);
	assert_non_null(got);
	char *want = slurp(DATA_DIR "/postmortem_token_revoked.md");
	if (strcmp(got, want) != 0) {
		FILE *o = fopen("build/postmortem_token_revoked.got.md", "w");
		if (o) {
			fputs(got, o);
			fclose(o);
		}
	}
	assert_string_equal(got, want);
	free(got);
	free(want);
}

/* With nothing recorded, every section is still there, with placeholders. */
static void test_postmortem_empty(void **state)
{
	message_facts f = {.now_ms = T0};
	char *got = message_postmortem(*state, &f, true);
	const char *sections[] = {"# Postmortem",
				  "## Summary",
				  "## Timeline (UTC)",
				  "## Root cause",
				  "## Impact",
				  "## Messages sent",
				  "## What went well",
				  "## What did not go well",
				  "## Where we got lucky",
				  "## Action items"};
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
		assert_non_null(strstr(got, sections[i]));
	assert_non_null(strstr(got, "- \\<timeline?\\>"));
	assert_non_null(strstr(got, "- \\<evidence?\\>"));
	assert_non_null(strstr(got, "\\<impact?\\>"));
	assert_non_null(strstr(got, "- None were recorded."));
	assert_non_null(strstr(got, "none in HubSpot's answers"));
	assert_non_null(strstr(got, "- **Date:** 2026-12-02"));
	assert_null(strstr(got, "«")); /* ASCII asked for */
	free(got);
}

/* The Slack update names the cause, the correlation ids and the next update; escapes values. */
static void test_slack(void **state)
{
	message_fields ed = {.cause = "Token rotated <by> the CRM admin & not redeployed"};
	message_facts f = scripted(&ed);
	f.status = "identified";
	f.resolved_ms = 0;
	char *s = message_slack(*state, &f, false);
	assert_non_null(strstr(s, ":red_circle: *P1 incident: HubSpot CRM integration* | "
				  "IDENTIFIED\n"));
	assert_non_null(
	    strstr(s, "*Cause:* Token rotated &lt;by&gt; the CRM admin &amp; not redeployed\n"));
	assert_non_null(strstr(s, "*Impact:* " LEAF_IMP "\n"));
	assert_non_null(strstr(s, "`" CORR_A "` `" CORR_B "`"));
	assert_non_null(strstr(s, "*Next update:* 15:05 UTC\n"));
	assert_non_null(strstr(s, "*ETA:* «ETA?»\n"));
	assert_non_null(strstr(s, "*Thread:* «thread link?»\n"));
	assert_non_null(strstr(s, "*Started:* 2026-12-02 14:05 UTC (45 min)\n"));
	assert_null(strstr(s, "Daily limit"));
	assert_null(strstr(s, "{{"));
	free(s);
	/* Filled fields are reused by the next message; resolved drops the ETA and next update. */
	common_strlcpy(ed.eta, "15:30 UTC", sizeof ed.eta);
	common_strlcpy(ed.thread, "https://team.slack.com/archives/C1/p2", sizeof ed.thread);
	s = message_slack(*state, &f, false);
	assert_non_null(strstr(s, "*ETA:* 15:30 UTC\n"));
	assert_non_null(strstr(s, "*Thread:* https://team.slack.com/archives/C1/p2\n"));
	free(s);
	f.status = "resolved";
	f.resolved_ms = MIN(40);
	s = message_slack(*state, &f, false);
	assert_non_null(strstr(s, ":large_green_circle:"));
	assert_null(strstr(s, "Next update"));
	assert_non_null(strstr(s, "(40 min)"));
	free(s);
}

/* Daily limit and HubSpot's incident show only when they are facts. */
static void test_slack_daily_and_hubspot(void **state)
{
	message_facts f = scripted(NULL);
	f.status = "investigating";
	f.resolved_ms = 0;
	f.daily_limit = OPT_OF(500000);
	f.daily_reset_ms = MIN(295); /* 19:00 UTC: midnight US/Eastern */
	f.hubspot_incident = "Elevated API error rates\x1b[2J";
	f.hubspot_link = "https://stspg.io/abc";
	f.n_correlation_ids = 0;
	char *s = message_slack(*state, &f, false);
	assert_non_null(strstr(s, "*Daily limit:* 500,000 calls, resets at 19:00 UTC\n"));
	assert_non_null(strstr(s, "*HubSpot status page:* Elevated API error rates "
				  "https://stspg.io/abc\n"));
	assert_null(strchr(s, '\x1b'));
	assert_non_null(strstr(s, "*HubSpot correlation ids:* none in HubSpot's answers\n"));
	free(s);
}

/* The public notice carries no correlation id, no host, no blame: it passes its own check. */
static void test_statuspage_passes_check(void **state)
{
	message_facts f = scripted(NULL);
	f.status = "investigating";
	f.resolved_ms = 0;
	char *s = message_statuspage(*state, &f, false);
	assert_string_equal(s, "Delays syncing with our CRM\n"
			       "We are looking into a problem with our HubSpot CRM integration.\n"
			       "What you may notice: " LEAF_IMP "\n"
			       "Status: investigating.\n"
			       "Next update by 15:05 UTC.\n"
			       "Last updated: 2026-12-02 14:50 UTC\n");
	config c;
	config_defaults(&c);
	notice_secrets sec;
	notice_secrets_from_config(&c, &sec);
	assert_int_equal(notice_check(s, &sec, NULL, 0), 0);
	free(s);
	/* An edited impact that names an id is caught by the check. */
	message_fields ed = {.impact = "Calls fail (see " CORR_A ")"};
	f.fields = &ed;
	s = message_statuspage(*state, &f, false);
	notice_problem p[2];
	assert_int_equal(notice_check(s, &sec, p, 2), 1);
	assert_int_equal(p[0].kind, NOTICE_CORRELATION);
	assert_int_equal(p[0].line, 3);
	free(s);
}

/* Every variable of message_vars gets a value from full facts (the helpers' formats too). */
static void test_every_variable(void **state)
{
	(void)state;
	char src[8192] = "";
	for (int i = 0; message_vars[i].name; i++) {
		const template_var *v = &message_vars[i];
		if (strchr(v->name, '.'))
			continue;
		char part[512];
		if (v->kind == TEMPLATE_LIST) {
			char fields[256] = "";
			size_t n = strlen(v->name);
			for (int k = 0; message_vars[k].name; k++)
				if (strncmp(message_vars[k].name, v->name, n) == 0 &&
				    message_vars[k].name[n] == '.') {
					strcat(fields, "{{");
					strcat(fields, message_vars[k].name + n + 1);
					strcat(fields, "}}|");
				}
			snprintf(part, sizeof part, "%s={{#%s}}%s;{{/%s}}\n", v->name, v->name,
				 fields, v->name);
		} else {
			snprintf(part, sizeof part, "%s=[{{%s}}]\n", v->name, v->name);
		}
		strcat(src, part);
	}
	char err[300];
	template *t = template_parse(src, strlen(src), "all", message_vars, err, sizeof err);
	assert_non_null(t);
	message_fields ed = {.eta = "soon", .thread = "T", .owner = "lee"};
	message_facts f = scripted(&ed);
	f.hubspot_incident = "HI";
	f.hubspot_link = "HL";
	f.daily_limit = OPT_OF(1234567);
	f.daily_reset_ms = MIN(60 * 24 + 5);
	template_data *d = message_data(&f);
	char *s = template_render(t, d, TEMPLATE_PLAIN, true);
	const char *want[] = {
	    "severity=[P1]\n",
	    "status=[resolved]\n",
	    "status_caps=[RESOLVED]\n",
	    "resolved=[yes]\n",
	    "leaf_id=[token-invalid]\n",
	    "leaf_title=[Access token rejected (401/403)]\n",
	    "cause=[" LEAF_CAUS "]\n",
	    "impact=[" LEAF_IMP "]\n",
	    "eta=[soon]\n",
	    "next_update=[15:05 UTC]\n",
	    "correlation_ids=" CORR_A "|;" CORR_B "|;\n",
	    "started=[2026-12-02 14:05 UTC]\n",
	    "date=[2026-12-02]\n",
	    "duration=[40 min]\n",
	    "updated=[2026-12-02 14:50 UTC]\n",
	    "owner=[lee]\n",
	    "thread=[T]\n",
	    "hubspot_incident=[HI]\n",
	    "hubspot_link=[HL]\n",
	    "daily_limit=[1,234,567]\n",
	    "daily_reset=[2026-12-03 14:10 UTC]\n",
	    "evidence=API: HTTP 401",
	    "timeline=14:05|Alert fired: the API probe got HTTP 401|;14:07|",
	    "14:25|Note: Token was rotated by the <CRM> admin on Monday|;",
	    "14:35|Ran team command update-secret (exit 0)|;",
	    "14:10|Slack update sent|;",
	    "messages=14:10|Slack update|saved slack-140500.md|;14:17|Status page notice|",
	    "commands=14:35|update-secret|exit 0|;\n",
	    "notes=14:25|Token was rotated by the <CRM> admin on Monday|;\n",
	    "timeline_missing=[<timeline?>]\n",
	    "went_well=[<what went well?>]\n",
	    "action_due=[<due date?>]\n",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(s, want[i]))
			fail_msg("missing \"%s\" in:\n%s", want[i], s);
	free(s);
	template_data_free(d);
	template_free(t);
}

/* The small helpers: severity, status word, durations. */
static void test_helpers(void **state)
{
	(void)state;
	assert_string_equal(message_severity(3), "P3");
	assert_string_equal(message_severity(0), "P1");
	assert_string_equal(message_severity(9), "P1");
	assert_string_equal(message_status("monitoring"), "monitoring");
	assert_string_equal(message_status("MONITORING"), "investigating");
	assert_string_equal(message_status(NULL), "investigating");
	char b[40];
	message_duration(59999, b, sizeof b);
	assert_string_equal(b, "under a minute");
	message_duration(-5, b, sizeof b);
	assert_string_equal(b, "under a minute");
	message_duration(60000 * 12, b, sizeof b);
	assert_string_equal(b, "12 min");
	message_duration(60000LL * 125, b, sizeof b);
	assert_string_equal(b, "2 h 05 min");
	message_duration(60000LL * (26 * 60 + 1), b, sizeof b);
	assert_string_equal(b, "1 d 2 h 01 min");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_postmortem_document),
	    cmocka_unit_test(test_postmortem_empty),
	    cmocka_unit_test(test_slack),
	    cmocka_unit_test(test_slack_daily_and_hubspot),
	    cmocka_unit_test(test_statuspage_passes_check),
	    cmocka_unit_test(test_every_variable),
	    cmocka_unit_test(test_helpers),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
