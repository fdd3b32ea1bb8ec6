/*
 * Unit tests of the messages' facts (comms_facts_fill) from a scripted incident, saving,
 * copying (OSC 52, tmux), posting on a thread of its own against the simulator on 127.0.0.1,
 * and what incident.c keeps for the messages (fields, correlation ids, sends, alert evidence).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "evidence_fixture.h"
#include "hsr/comms.h"
#include "hsr/comms_post.h"
#include "hsr/incident.h"
#include "hsr/incident_feed.h"
#include "hsr/journal.h"
#include "hsr/sim.h"

/* 2026-12-02 14:05:00 UTC and minutes after it. */
#define T0	 1796220300000LL
#define AT(m)	 (T0 + (int64_t)(m)*60000)
#define CADENCE	 (30 * 60000LL)
#define CORR_A	 "3f2b8c1e-9a4d-4e7b-b1c2-7d8e9f0a1b2c"
#define CORR_B	 "0d4c2a1b-7e6f-4a5b-9c8d-1e2f3a4b5c6d"
#define CORR_NOW "0b7e0c55-8d0d-4f5e-a1b6-3c3b2f5e8d21" /* fx_api_401's */
#define API_KEY	 "spk_7f3a9c1e5b2d4a6c8e0f1a2b3c4d5e6f"

static runbook *rb;
static uint64_t next_n;

/* Apply one event, numbered in order; data given as JSON text ("" for none). */
static void ev(incident *inc, int64_t at, const char *type, const char *by, const char *json)
{
	json_t *d = json[0] ? json_loads(json, 0, NULL) : json_object();
	if (!d)
		fail_msg("bad JSON in the test: %s", json);
	journal_event e = {.n = ++next_n, .at_ms = at, .type = type, .by = by, .data = d};
	assert_non_null(incident_apply(inc, &e, true));
	json_decref(d);
}

/* An empty incident, its events numbered from 1. */
static void fresh(incident *inc)
{
	incident_init(inc, "x");
	next_n = 0;
}

/* The leaf id of the built-in runbook. */
static const rb_leaf *leaf(const char *id)
{
	const rb_leaf *l = runbook_leaf(rb, id);
	if (!l)
		fail_msg("no leaf %s in the built-in runbook", id);
	return l;
}

/*
 * The scripted incident up to the root cause: the alert with its path, the acknowledgement,
 * probe events with two correlation ids and a repeat, a note, a command, a message sent, the
 * operator's fields, the root cause.
 */
static void scripted(incident *inc)
{
	incident_init(inc, "20261202-140500");
	next_n = 0;
	ev(inc, AT(0), "alert", "diagnosis",
	   "{\"leaf\":\"token-invalid\",\"title\":\"Access token rejected (401/403)\","
	   "\"severity\":\"P1\",\"evidence\":["
	   "\"Does HubSpot's status page report an incident? no (none reported)\","
	   "\"Does the API answer 401? yes (API answered HTTP 401, category "
	   "INVALID_AUTHENTICATION)\"]}");
	ev(inc, AT(2), "ack", "operator", "{\"owner\":\"dana\",\"severity\":\"P2\"}");
	ev(inc, AT(3), "probe", "probe",
	   "{\"probe\":\"api\",\"from\":\"200\",\"to\":\"401\","
	   "\"text\":\"API 200 -> 401 (INVALID_AUTHENTICATION)\"}");
	ev(inc, AT(3), "probe", "probe",
	   "{\"probe\":\"api\",\"correlation_id\":\"" CORR_A "\",\"text\":\"correlation id " CORR_A
	   " (API 401)\"}");
	ev(inc, AT(4), "probe", "probe",
	   "{\"probe\":\"api\",\"correlation_id\":\"" CORR_B "\",\"text\":\"correlation id " CORR_B
	   " (API 401)\"}");
	ev(inc, AT(5), "probe", "probe",
	   "{\"probe\":\"api\",\"correlation_id\":\"" CORR_A "\",\"text\":\"correlation id " CORR_A
	   " (API 401)\"}");
	ev(inc, AT(6), "note", "operator", "{\"text\":\"the CRM admin rotated the token\"}");
	ev(inc, AT(7), "command", "operator",
	   "{\"line\":\"update-secret\",\"exit\":\"exit 0\",\"duration_ms\":1500,"
	   "\"output\":[\"secret updated\"]}");
	ev(inc, AT(8), "message.sent", "operator",
	   "{\"kind\":\"slack\",\"text\":\"...\",\"path\":\"/s/slack-141300.md\","
	   "\"summary\":\"Slack update: copied and saved to /s/slack-141300.md\"}");
	ev(inc, AT(9), "message.field", "operator",
	   "{\"name\":\"impact\",\"value\":\"New leads do not reach the CRM\","
	   "\"summary\":\"Impact: New leads do not reach the CRM\"}");
	ev(inc, AT(9), "message.field", "operator",
	   "{\"name\":\"eta\",\"value\":\"15:00 UTC\",\"summary\":\"ETA: 15:00 UTC\"}");
	ev(inc, AT(9), "message.field", "operator",
	   "{\"name\":\"thread\",\"value\":\"https://chat.example/t/42\",\"summary\":\"t\"}");
	ev(inc, AT(10), "root-cause", "operator", "{\"leaf\":\"token-invalid\"}");
}

/* The facts of the scripted incident, at each stage, against the evidence of a 401. */
static void test_facts_scripted_incident(void **state)
{
	(void)state;
	incident inc;
	scripted(&inc);
	evidence e = {0};
	fx_api_401(&e);
	fx_status_ok(&e);
	comms_facts *c = malloc(sizeof *c);
	/* The walker now says something else: the incident's leaf wins. */
	comms_facts_fill(c, &inc, &e, rb, leaf("hubspot-outage"), CADENCE, AT(12));
	message_facts *f = &c->f;
	assert_int_equal(f->severity, 2); /* the acknowledgement's, not the leaf's P1 */
	assert_string_equal(f->status, "identified");
	assert_string_equal(f->leaf_id, "token-invalid");
	assert_string_equal(f->leaf_title, leaf("token-invalid")->title);
	assert_string_equal(f->leaf_cause, leaf("token-invalid")->cause);
	assert_string_equal(f->leaf_impact, leaf("token-invalid")->impact);
	assert_int_equal(f->started_ms, AT(0));
	assert_int_equal(f->resolved_ms, 0);
	assert_int_equal(f->now_ms, AT(12));
	assert_int_equal(f->next_update_ms, AT(12) + CADENCE);
	assert_string_equal(f->owner, "dana");
	/* Correlation ids: each once, in the order seen, then the live failing answer's. */
	assert_int_equal(f->n_correlation_ids, 3);
	assert_string_equal(f->correlation_ids[0], CORR_A);
	assert_string_equal(f->correlation_ids[1], CORR_B);
	assert_string_equal(f->correlation_ids[2], CORR_NOW);
	/* Evidence: the probe events (not the correlation id ones), not the alert's lines. */
	assert_int_equal(f->n_evidence, 1);
	assert_string_equal(f->evidence[0], "API 200 -> 401 (INVALID_AUTHENTICATION)");
	/* The operator's fields; the cause was not edited. */
	assert_non_null(f->fields);
	assert_string_equal(f->fields->impact, "New leads do not reach the CRM");
	assert_string_equal(f->fields->eta, "15:00 UTC");
	assert_string_equal(f->fields->thread, "https://chat.example/t/42");
	assert_string_equal(f->fields->cause, "");
	/* The lists: the state changes, the note, the command, the message with kind/detail. */
	assert_int_equal(f->n_timeline, 3);
	assert_int_equal(f->timeline[0].at_ms, AT(0));
	assert_non_null(strstr(f->timeline[0].what, "alert fired"));
	assert_int_equal(f->timeline[1].at_ms, AT(2));
	assert_string_equal(f->timeline[1].what, "acknowledged by dana, severity P2");
	assert_string_equal(f->timeline[2].what, "root cause identified: token-invalid");
	assert_int_equal(f->n_notes, 1);
	assert_int_equal(f->notes[0].at_ms, AT(6));
	assert_string_equal(f->notes[0].text, "the CRM admin rotated the token");
	assert_int_equal(f->n_commands, 1);
	assert_int_equal(f->commands[0].at_ms, AT(7));
	assert_string_equal(f->commands[0].name, "update-secret");
	assert_string_equal(f->commands[0].result, "exit 0 in 1.5 s: secret updated");
	assert_int_equal(f->n_sent, 1);
	assert_int_equal(f->sent[0].at_ms, AT(8));
	assert_string_equal(f->sent[0].kind, "Slack update");
	assert_string_equal(f->sent[0].detail, "copied and saved to /s/slack-141300.md");
	/* No status-page incident, and the daily limit only matters for rate-limit-daily. */
	assert_null(f->hubspot_incident);
	assert_false(f->daily_limit.known);

	/* Mitigation, recovery: monitoring; resolved: no next update, the end is the resolution. */
	ev(&inc, AT(20), "mitigation", "operator", "{\"how\":\"step\",\"what\":\"new token\"}");
	comms_facts_fill(c, &inc, &e, rb, NULL, CADENCE, AT(21));
	assert_string_equal(c->f.status, "monitoring");
	ev(&inc, AT(30), "recovery", "operator", "");
	comms_facts_fill(c, &inc, &e, rb, NULL, CADENCE, AT(31));
	assert_string_equal(c->f.status, "monitoring");
	ev(&inc, AT(40), "resolve", "operator", "");
	fx_api_200(&e); /* healthy again: a 2xx's correlation id is not one to give HubSpot */
	comms_facts_fill(c, &inc, &e, rb, NULL, CADENCE, AT(45));
	assert_string_equal(c->f.status, "resolved");
	assert_int_equal(c->f.resolved_ms, AT(40));
	assert_int_equal(c->f.next_update_ms, 0);
	assert_int_equal(c->f.n_correlation_ids, 2);
	assert_int_equal(c->f.n_timeline, 6);
	assert_string_equal(c->f.timeline[5].what, "resolved");
	free(c);
	incident_free(&inc);
}

/* Before anyone acknowledged: the investigating word, P from the leaf, the alert as start. */
static void test_facts_alert_only(void **state)
{
	(void)state;
	incident inc;
	fresh(&inc);
	ev(&inc, AT(0), "alert", "diagnosis",
	   "{\"leaf\":\"hubspot-slow\",\"title\":\"Slow\",\"evidence\":["
	   "\"Is the API slow? yes (p50 4102 ms over slow_ms 3000)\"]}");
	comms_facts *c = malloc(sizeof *c);
	comms_facts_fill(c, &inc, NULL, rb, NULL, CADENCE, AT(3));
	assert_string_equal(c->f.status, "investigating");
	assert_int_equal(c->f.severity, 3); /* hubspot-slow is P3 */
	assert_string_equal(c->f.leaf_id, "hubspot-slow");
	assert_int_equal(c->f.started_ms, AT(0));
	assert_null(c->f.owner);
	assert_int_equal(c->f.n_evidence, 1);
	assert_string_equal(c->f.evidence[0], "p50 4102 ms over slow_ms 3000");
	free(c);
	incident_free(&inc);
}

/* A blip (healthy again before anyone acknowledged) is closed: its postmortem is not "still
 * open", its duration ends at the blip, and no update is planned. */
static void test_facts_blip_is_closed(void **state)
{
	(void)state;
	incident inc;
	fresh(&inc);
	ev(&inc, AT(0), "alert", "diagnosis", "{\"leaf\":\"hubspot-slow\",\"title\":\"Slow\"}");
	ev(&inc, AT(4), "blip", "diagnosis", "");
	comms_facts *c = malloc(sizeof *c);
	comms_facts_fill(c, &inc, NULL, rb, NULL, CADENCE, AT(90));
	assert_string_equal(c->f.status, "resolved");
	assert_int_equal(c->f.started_ms, AT(0));
	assert_int_equal(c->f.resolved_ms, AT(4));
	assert_int_equal(c->f.next_update_ms, 0);
	assert_int_equal(c->f.resolved_ms - c->f.started_ms, incident_duration_ms(&inc, AT(90)));
	free(c);
	incident_free(&inc);
}

/* Evidence: the alert's "yes" lines when no probe change was recorded (the "no" ones left). */
static void test_facts_evidence_of_alert(void **state)
{
	(void)state;
	incident inc;
	fresh(&inc);
	ev(&inc, AT(0), "alert", "diagnosis",
	   "{\"leaf\":\"token-invalid\",\"title\":\"t\",\"evidence\":["
	   "\"Does the status page report an incident? no (none reported)\","
	   "\"Does the API answer at all? yes (HTTP 401)\","
	   "\"Is it a 401? yes (API answered HTTP 401, category INVALID_AUTHENTICATION)\"]}");
	ev(&inc, AT(1), "ack", "operator", "{\"owner\":\"a\",\"severity\":\"P1\"}");
	/* A correlation id event is not evidence of its own. */
	ev(&inc, AT(2), "probe", "probe",
	   "{\"correlation_id\":\"" CORR_A "\",\"text\":\"correlation id " CORR_A "\"}");
	comms_facts *c = malloc(sizeof *c);
	comms_facts_fill(c, &inc, NULL, rb, NULL, CADENCE, AT(3));
	assert_int_equal(c->f.n_evidence, 2);
	assert_string_equal(c->f.evidence[0], "HTTP 401");
	assert_string_equal(c->f.evidence[1],
			    "API answered HTTP 401, category INVALID_AUTHENTICATION");
	assert_int_equal(c->f.n_correlation_ids, 1);
	free(c);
	incident_free(&inc);
}

/* Nothing recorded yet: the walker's leaf, investigating, P from the leaf, the live evidence. */
static void test_facts_without_incident(void **state)
{
	(void)state;
	evidence e = {0};
	fx_api_401(&e);
	comms_facts *c = malloc(sizeof *c);
	comms_facts_fill(c, NULL, &e, rb, leaf("token-invalid"), CADENCE, AT(1));
	assert_string_equal(c->f.status, "investigating");
	assert_int_equal(c->f.severity, 1);
	assert_string_equal(c->f.leaf_id, "token-invalid");
	assert_int_equal(c->f.started_ms, AT(1));
	assert_int_equal(c->f.next_update_ms, AT(1) + CADENCE);
	assert_int_equal(c->f.n_correlation_ids, 1);
	assert_string_equal(c->f.correlation_ids[0], CORR_NOW);
	assert_int_equal(c->f.n_evidence, 1);
	assert_string_equal(c->f.evidence[0], "HTTP 401, INVALID_AUTHENTICATION");
	assert_int_equal(c->f.n_timeline + c->f.n_notes + c->f.n_sent, 0);
	/* A P3 leaf gives P3; no leaf at all: unsure, the higher. */
	comms_facts_fill(c, NULL, NULL, rb, leaf("rate-limit-burst"), 0, AT(1));
	assert_int_equal(c->f.severity, 3);
	assert_int_equal(c->f.next_update_ms, 0);
	assert_int_equal(c->f.n_correlation_ids, 0);
	comms_facts_fill(c, NULL, NULL, rb, NULL, CADENCE, AT(1));
	assert_int_equal(c->f.severity, 1);
	assert_null(c->f.leaf_id);
	free(c);
}

/* HubSpot's status-page incident (name and link) and the daily limit of rate-limit-daily. */
static void test_facts_hubspot_and_daily(void **state)
{
	(void)state;
	evidence e = {0};
	fx_api_429_daily(&e);
	fx_status_incident(&e);
	strcpy(e.status.incidents[0].shortlink, "https://stspg.io/abc123");
	e.usage.resets_at_ms = AT(60 * 10);
	comms_facts *c = malloc(sizeof *c);
	comms_facts_fill(c, NULL, &e, rb, leaf("rate-limit-daily"), CADENCE, AT(1));
	assert_string_equal(c->f.hubspot_incident, "Elevated error rates");
	assert_string_equal(c->f.hubspot_link, "https://stspg.io/abc123");
	assert_true(c->f.daily_limit.known);
	assert_int_equal(c->f.daily_limit.v, 250000);
	assert_int_equal(c->f.daily_reset_ms, AT(600));
	assert_string_equal(c->f.evidence[0], "HTTP 429, RATE_LIMIT, policy DAILY");
	/* The same evidence under another leaf: no daily limit in the message. */
	comms_facts_fill(c, NULL, &e, rb, leaf("hubspot-outage"), CADENCE, AT(1));
	assert_false(c->f.daily_limit.known);
	assert_int_equal(c->f.daily_reset_ms, 0);
	assert_string_equal(c->f.hubspot_incident, "Elevated error rates");
	/* No headers on an OAuth call: the usage endpoint's limit. */
	memset(&e, 0, sizeof e);
	fx_api_429_daily_oauth(&e);
	fx_usage_full(&e);
	comms_facts_fill(c, NULL, &e, rb, leaf("rate-limit-daily"), CADENCE, AT(1));
	assert_true(c->f.daily_limit.known);
	assert_int_equal(c->f.daily_limit.v, 500000);
	assert_null(c->f.hubspot_incident);
	assert_null(c->f.hubspot_link);
	free(c);
}

/* A status-page incident whose name is nothing once sanitized is not named at all: no
 * "HubSpot status page:" line with nothing after it. */
static void test_facts_nameless_status_incident(void **state)
{
	message_templates *m = *state;
	evidence e = {0};
	fx_api_401(&e);
	fx_status_incident(&e);
	strcpy(e.status.incidents[0].name, "\033[2J\033]0;\007 \t");
	comms_facts *c = malloc(sizeof *c);
	comms_facts_fill(c, NULL, &e, rb, leaf("hubspot-outage"), CADENCE, AT(1));
	assert_null(c->f.hubspot_incident);
	assert_null(c->f.hubspot_link);
	char *text = message_slack(m, &c->f, false);
	assert_non_null(text);
	assert_null(strstr(text, "HubSpot status page:"));
	free(text);
	free(c);
}

/* Whether s holds a control byte (ESC, BEL, other C0 but none). */
static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 && *s != '\n')
			return true;
	return false;
}

/* Hostile remote text: escape sequences in a correlation id or the status page's incident. */
static void test_facts_hostile_strings(void **state)
{
	message_templates *m = *state;
	evidence e = {0};
	fx_api_401(&e);
	strcpy(e.api.correlation_id, "abc\033]52;c;ZXZpbA==\007def\033[2J");
	fx_status_incident(&e);
	strcpy(e.status.incidents[0].name, "\033[31mOutage\033]0;owned\007 now\r\n");
	strcpy(e.status.incidents[0].shortlink, "https://stspg.io/x\033[8m");
	/* And one the journal holds (written by hand or by an older version). */
	incident inc;
	fresh(&inc);
	ev(&inc, AT(0), "alert", "diagnosis", "{\"leaf\":\"token-invalid\",\"title\":\"t\"}");
	ev(&inc, AT(1), "probe", "probe",
	   "{\"correlation_id\":\"j\\u001b[1mk\",\"text\":\"correlation id j\"}");
	comms_facts *c = malloc(sizeof *c);
	comms_facts_fill(c, &inc, &e, rb, NULL, CADENCE, AT(2));
	assert_int_equal(c->f.n_correlation_ids, 2);
	for (size_t i = 0; i < c->f.n_correlation_ids; i++) {
		assert_false(has_control(c->f.correlation_ids[i]));
		assert_null(strstr(c->f.correlation_ids[i], "]52;"));
	}
	assert_non_null(strstr(c->f.correlation_ids[1], "abc"));
	assert_false(has_control(c->f.hubspot_incident));
	assert_non_null(strstr(c->f.hubspot_incident, "Outage"));
	assert_false(has_control(c->f.hubspot_link));
	for (int k = 0; k < MESSAGE_COUNT; k++) {
		char *text = message_render(m, (message_kind)k, &c->f, false);
		assert_non_null(text);
		if (has_control(text))
			fail_msg("%s holds a control byte:\n%s", comms_kind_names[k], text);
		free(text);
	}
	free(c);
	incident_free(&inc);
}

/* ---- saving ---------------------------------------------------------------------------- */

/* A fresh folder under $TMPDIR. */
static void tmp_dir(char *dir, size_t sz, const char *what)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sz, "%s/hsr-comms-%s.XXXXXX", tmp && tmp[0] ? tmp : "/tmp", what);
	assert_non_null(mkdtemp(dir));
}

/* The whole of a file. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot read %s", path);
	char *buf = calloc(1, 65536);
	size_t n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* stem-HHMMSS.ext in UTC, "-2" when taken, 0600, the text as it is. */
static void test_save_names_and_mode(void **state)
{
	(void)state;
	char dir[256], path[600], err[300], want[600];
	tmp_dir(dir, sizeof dir, "save");
	const char *text = "*P1 incident* | INVESTIGATING\nNext update: 14:35 UTC\n";
	int64_t at = AT(3) + 7000 + 999; /* 14:08:07.999 UTC */
	assert_int_equal(
	    comms_save(dir, MESSAGE_SLACK, text, at, path, sizeof path, err, sizeof err), 0);
	snprintf(want, sizeof want, "%s/slack-140807.md", dir);
	assert_string_equal(path, want);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char *got = slurp(path);
	assert_string_equal(got, text);
	free(got);
	/* The same second again: never over the first. */
	assert_int_equal(
	    comms_save(dir, MESSAGE_SLACK, "second", at, path, sizeof path, err, sizeof err), 0);
	snprintf(want, sizeof want, "%s/slack-140807-2.md", dir);
	assert_string_equal(path, want);
	got = slurp(path);
	assert_string_equal(got, "second");
	free(got);
	assert_int_equal(
	    comms_save(dir, MESSAGE_SLACK, "third", at, path, sizeof path, err, sizeof err), 0);
	snprintf(want, sizeof want, "%s/slack-140807-3.md", dir);
	assert_string_equal(path, want);
	got = slurp(want);
	assert_string_equal(got, "third");
	free(got);
	snprintf(want, sizeof want, "%s/slack-140807.md", dir);
	got = slurp(want);
	assert_string_equal(got, text); /* the first is as it was */
	free(got);
	/* The other kinds, an empty text. */
	assert_int_equal(
	    comms_save(dir, MESSAGE_STATUSPAGE, "", AT(0), path, sizeof path, err, sizeof err), 0);
	snprintf(want, sizeof want, "%s/statuspage-140500.txt", dir);
	assert_string_equal(path, want);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(
	    comms_save(dir, MESSAGE_POSTMORTEM, "# P", AT(0), path, sizeof path, err, sizeof err),
	    0);
	snprintf(want, sizeof want, "%s/postmortem-140500.md", dir);
	assert_string_equal(path, want);
	incident_feed_remove_tree(dir);
}

/* A folder that cannot hold the file: -1 and one line that says what and what to do. */
static void test_save_unwritable(void **state)
{
	(void)state;
	char dir[256], file[300], path[600], err[300] = "";
	tmp_dir(dir, sizeof dir, "nosave");
	/* A plain file where the folder should be (root may write anywhere else). */
	snprintf(file, sizeof file, "%s/not-a-folder", dir);
	int fd = open(file, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(
	    comms_save(file, MESSAGE_SLACK, "x", AT(0), path, sizeof path, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot save"));
	assert_non_null(strstr(err, "not-a-folder"));
	assert_non_null(strstr(err, "state dir"));
	assert_null(strchr(err, '\n'));
	snprintf(file, sizeof file, "%s/missing/deeper", dir);
	assert_int_equal(
	    comms_save(file, MESSAGE_STATUSPAGE, "x", AT(0), path, sizeof path, err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "No such file"));
	assert_null(strchr(err, '\n'));
	incident_feed_remove_tree(dir);
}

/* A folder name too long for the path buffer: refused, and no file under a cut name. */
static void test_save_path_too_long(void **state)
{
	(void)state;
	char dir[256], path[40], err[300] = "";
	tmp_dir(dir, sizeof dir, "long");
	assert_true(strlen(dir) + strlen("/slack-140500.md") >= sizeof path);
	assert_int_equal(
	    comms_save(dir, MESSAGE_SLACK, "x", AT(0), path, sizeof path, err, sizeof err), -1);
	assert_non_null(strstr(err, "too long"));
	assert_null(strchr(err, '\n'));
	/* Nothing was made where the cut path points. */
	char full[400], cut[sizeof path];
	snprintf(full, sizeof full, "%s/slack-140500.md", dir);
	memcpy(cut, full, sizeof cut - 1);
	cut[sizeof cut - 1] = '\0';
	struct stat st;
	assert_true(stat(cut, &st) != 0);
	incident_feed_remove_tree(dir);
}

/* ---- copying --------------------------------------------------------------------------- */

/* Base64 written here, independently of the library the module uses. */
static void b64(const unsigned char *in, size_t len, char *out)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		out[o++] = tab[(v >> 18) & 63];
		out[o++] = tab[(v >> 12) & 63];
		out[o++] = i + 1 < len ? tab[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < len ? tab[v & 63] : '=';
	}
	out[o] = '\0';
}

/* OSC 52: ESC ] 52 ; c ; base64 BEL, exactly; the known vectors; an empty text. */
static void test_osc52_bytes(void **state)
{
	(void)state;
	char *s = comms_osc52("Man");
	assert_string_equal(s, "\033]52;c;TWFu\a");
	free(s);
	s = comms_osc52("Ma");
	assert_string_equal(s, "\033]52;c;TWE=\a");
	free(s);
	s = comms_osc52("M");
	assert_string_equal(s, "\033]52;c;TQ==\a");
	free(s);
	s = comms_osc52("");
	assert_non_null(s);
	assert_string_equal(s, "\033]52;c;\a");
	free(s);
	/* A real message: several lines, UTF-8, Slack escapes; every byte 1..255 too. */
	char text[600];
	snprintf(text, sizeof text,
		 ":red_circle: *P1 incident* | INVESTIGATING\n*Cause:* token &lt;revoked&gt; "
		 "\xc2\xab"
		 "impact?\xc2\xbb\nNext update: 14:35 UTC\n");
	size_t n = strlen(text);
	for (int b = 1; b < 256; b++)
		text[n++] = (char)b;
	text[n] = '\0';
	char want[1000];
	memcpy(want, "\033]52;c;", 7);
	b64((const unsigned char *)text, n, want + 7);
	strcat(want, "\a");
	s = comms_osc52(text);
	assert_non_null(s);
	assert_string_equal(s, want);
	assert_null(strchr(s, '\n')); /* one sequence: no line breaks in the base64 */
	free(s);
}

/* Outside tmux, nothing to do: 0, and no tmux is run. */
static void test_tmux_outside(void **state)
{
	(void)state;
	char *was = getenv("TMUX") ? strdup(getenv("TMUX")) : NULL;
	/* A stand-in tmux first on PATH that leaves a mark when it is run. */
	char dir[256], tool[300], ran[300], script[400], path[1200];
	tmp_dir(dir, sizeof dir, "notmux");
	snprintf(tool, sizeof tool, "%s/tmux", dir);
	snprintf(ran, sizeof ran, "%s/ran", dir);
	snprintf(script, sizeof script, "#!/bin/sh\ntouch %s\ncat >/dev/null\n", ran);
	FILE *f = fopen(tool, "w");
	fputs(script, f);
	fclose(f);
	chmod(tool, 0700);
	char *path_was = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	snprintf(path, sizeof path, "%s:%s", dir, path_was);
	setenv("PATH", path, 1);
	char err[200] = "";
	unsetenv("TMUX");
	assert_int_equal(comms_tmux_buffer("text", err, sizeof err), 0);
	setenv("TMUX", "", 1);
	assert_int_equal(comms_tmux_buffer("text", err, sizeof err), 0);
	assert_string_equal(err, "");
	struct stat st;
	assert_true(stat(ran, &st) != 0); /* no tmux was run */
	setenv("PATH", path_was, 1);
	free(path_was);
	if (was)
		setenv("TMUX", was, 1);
	else
		unsetenv("TMUX");
	free(was);
	incident_feed_remove_tree(dir);
}

/* Inside tmux: the text goes to `tmux load-buffer -` on its standard input (a stand-in tmux
 * on PATH records what it got); a failing tmux gives -1 and one line. */
static void test_tmux_inside(void **state)
{
	(void)state;
	char dir[256], tool[300], got[300], script[800];
	tmp_dir(dir, sizeof dir, "tmux");
	snprintf(tool, sizeof tool, "%s/tmux", dir);
	snprintf(got, sizeof got, "%s/got", dir);
	snprintf(script, sizeof script,
		 "#!/bin/sh\n[ \"$1 $2\" = \"load-buffer -\" ] || exit 3\n"
		 "[ -e %s.fail ] && exit 1\ncat > %s\n",
		 got, got);
	FILE *f = fopen(tool, "w");
	fputs(script, f);
	fclose(f);
	chmod(tool, 0700);
	char *path_was = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	char *tmux_was = getenv("TMUX") ? strdup(getenv("TMUX")) : NULL;
	char path[1200];
	snprintf(path, sizeof path, "%s:%s", dir, path_was);
	setenv("PATH", path, 1);
	setenv("TMUX", "/tmp/tmux-0/default,1234,0", 1);
	const char *text = "*P1* | INVESTIGATING\nNext update: 14:35 UTC\n";
	char err[200] = "";
	assert_int_equal(comms_tmux_buffer(text, err, sizeof err), 1);
	char *back = slurp(got);
	assert_string_equal(back, text);
	free(back);
	/* tmux refusing it. */
	char flag[320];
	snprintf(flag, sizeof flag, "%s.fail", got);
	fclose(fopen(flag, "w"));
	assert_int_equal(comms_tmux_buffer(text, err, sizeof err), -1);
	assert_non_null(strstr(err, "tmux"));
	assert_non_null(strstr(err, "saved file"));
	assert_null(strchr(err, '\n'));
	setenv("PATH", path_was, 1);
	if (tmux_was)
		setenv("TMUX", tmux_was, 1);
	else
		unsetenv("TMUX");
	free(path_was);
	free(tmux_was);
	incident_feed_remove_tree(dir);
}

/* ---- posting --------------------------------------------------------------------------- */

/* A config that posts nowhere yet (and reads no secret from this machine's files). */
static void bare_config(config *cfg)
{
	config_defaults(cfg);
	unsetenv(POST_ENV_SLACK_WEBHOOK);
	unsetenv(POST_ENV_STATUSPAGE_KEY);
	cfg->slack_webhook_file[0] = '\0';
	cfg->statuspage_api_key_file[0] = '\0';
	cfg->statuspage_page_id[0] = '\0';
}

/* What is not configured says what to set; a readable secret file is refused. */
static void test_post_targets(void **state)
{
	(void)state;
	config cfg;
	bare_config(&cfg);
	comms_post_target t;
	comms_post_target_of(&cfg, MESSAGE_SLACK, &t);
	assert_false(t.ready);
	assert_non_null(strstr(t.why, POST_ENV_SLACK_WEBHOOK));
	assert_non_null(strstr(t.why, "slack_webhook_file"));
	assert_null(strchr(t.why, '\n'));
	comms_post_target_of(&cfg, MESSAGE_STATUSPAGE, &t);
	assert_false(t.ready);
	assert_non_null(strstr(t.why, POST_ENV_STATUSPAGE_KEY));
	comms_post_target_of(&cfg, MESSAGE_POSTMORTEM, &t);
	assert_false(t.ready);
	assert_non_null(strstr(t.why, "saved"));
	char err[300] = "";
	assert_null(comms_post_start(&cfg, MESSAGE_SLACK, "x", NULL, 1, NULL, err, sizeof err));
	assert_non_null(strstr(err, POST_ENV_SLACK_WEBHOOK));

	/* The webhook in a file anyone may read: refused, and the URL is never repeated. */
	char dir[256], file[300];
	tmp_dir(dir, sizeof dir, "hook");
	snprintf(file, sizeof file, "%s/slack-webhook", dir);
	FILE *f = fopen(file, "w");
	fputs("https://hooks.slack.example/services/T0/B0/xoxSecretHookPart42\n", f);
	fclose(f);
	chmod(file, 0644);
	common_strlcpy(cfg.slack_webhook_file, file, sizeof cfg.slack_webhook_file);
	comms_post_target_of(&cfg, MESSAGE_SLACK, &t);
	assert_false(t.ready);
	assert_non_null(strstr(t.why, "600"));
	assert_null(strstr(t.why, "xoxSecretHookPart42"));
	err[0] = '\0';
	assert_null(comms_post_start(&cfg, MESSAGE_SLACK, "x", NULL, 1, NULL, err, sizeof err));
	assert_non_null(strstr(err, "600"));
	assert_null(strstr(err, "xoxSecretHookPart42"));
	chmod(file, 0600);
	comms_post_target_of(&cfg, MESSAGE_SLACK, &t);
	assert_true(t.ready);
	assert_null(strstr(t.target, "xoxSecretHookPart42"));
	incident_feed_remove_tree(dir);

	/* Statuspage with a key but no page: says which setting; cannot start either. */
	setenv(POST_ENV_STATUSPAGE_KEY, API_KEY, 1);
	comms_post_target_of(&cfg, MESSAGE_STATUSPAGE, &t);
	assert_false(t.ready);
	assert_non_null(strstr(t.why, "statuspage_page_id"));
	err[0] = '\0';
	comms_post *p = comms_post_start(&cfg, MESSAGE_STATUSPAGE, "T\nB", "investigating", 1, NULL,
					 err, sizeof err);
	comms_post_free(p);
	assert_null(p);
	assert_non_null(strstr(err, "statuspage_page_id"));
	common_strlcpy(cfg.statuspage_page_id, "pg0sim1", sizeof cfg.statuspage_page_id);
	comms_post_target_of(&cfg, MESSAGE_STATUSPAGE, &t);
	assert_true(t.ready);
	assert_non_null(strstr(t.target, "pg0sim1"));
	assert_null(strstr(t.target, API_KEY));
	unsetenv(POST_ENV_STATUSPAGE_KEY);
}

/* Wait (up to 10 s) for the post to end. */
static post_result wait_post(comms_post *p)
{
	post_result r;
	memset(&r, 0, sizeof r);
	for (int i = 0; i < 1000; i++) {
		if (comms_post_poll(p, &r))
			return r;
		usleep(10000);
	}
	fail_msg("the post did not end in 10 s");
	return r;
}

/* The simulator's posts, the last one. */
static sim_post *last_post(sim *s, sim_post *buf, size_t max)
{
	size_t n = sim_posts(s, buf, max);
	assert_true(n > 0);
	return &buf[(n < max ? n : max) - 1];
}

/* Real posts to the simulator: Slack, then a Statuspage create and an update by its id. */
static void test_post_to_simulator(void **state)
{
	(void)state;
	char err[300] = "";
	sim *s = sim_start("healthy", 0, err, sizeof err);
	if (!s)
		fail_msg("no simulator: %s", err);
	sim_post *buf = calloc(8, sizeof *buf);
	config cfg;
	bare_config(&cfg);
	cfg.timeout_ms = 5000;
	char hook[200];
	snprintf(hook, sizeof hook, "%s/services/T0SIM/B0SIM/xoxSecretHookPart42", sim_base_url(s));
	setenv(POST_ENV_SLACK_WEBHOOK, hook, 1);
	const char *slack = ":red_circle: *P2 incident* | INVESTIGATING\nCause: token &lt;x&gt;";
	comms_post *p =
	    comms_post_start(&cfg, MESSAGE_SLACK, slack, NULL, 2, NULL, err, sizeof err);
	if (!p)
		fail_msg("not started: %s", err);
	assert_int_equal(comms_post_kind(p), MESSAGE_SLACK);
	assert_string_equal(comms_post_text(p), slack);
	post_result r = wait_post(p);
	comms_post_free(p);
	if (!r.ok)
		fail_msg("Slack post failed: %s", r.error);
	assert_int_equal(r.status, 200);
	sim_post *got = last_post(s, buf, 8);
	assert_string_equal(got->path, "/services/T0SIM/B0SIM/xoxSecretHookPart42");
	json_t *j = json_loads(got->body, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "text")), slack);
	json_decref(j);

	/* Statuspage: the first post creates the incident, the next updates it by its id. */
	char api[200];
	snprintf(api, sizeof api, "%s/v1", sim_base_url(s));
	common_strlcpy(cfg.statuspage_api_base, api, sizeof cfg.statuspage_api_base);
	common_strlcpy(cfg.statuspage_page_id, "pg0sim1", sizeof cfg.statuspage_page_id);
	setenv(POST_ENV_STATUSPAGE_KEY, API_KEY, 1);
	p = comms_post_start(&cfg, MESSAGE_STATUSPAGE,
			     "Delays syncing with our CRM\nWe are looking into it.",
			     "investigating", 1, "", err, sizeof err);
	if (!p)
		fail_msg("not started: %s", err);
	r = wait_post(p);
	comms_post_free(p);
	if (!r.ok)
		fail_msg("Statuspage create failed: %s", r.error);
	assert_int_equal(r.status, 201);
	assert_true(strlen(r.incident_id) > 0);
	got = last_post(s, buf, 8);
	assert_string_equal(got->method, "POST");
	assert_string_equal(got->path, "/v1/pages/pg0sim1/incidents");
	assert_string_equal(got->auth, "OAuth " API_KEY);
	j = json_loads(got->body, 0, NULL);
	json_t *inc = json_object_get(j, "incident");
	assert_string_equal(json_string_value(json_object_get(inc, "name")),
			    "Delays syncing with our CRM");
	assert_string_equal(json_string_value(json_object_get(inc, "body")),
			    "We are looking into it.");
	assert_string_equal(json_string_value(json_object_get(inc, "status")), "investigating");
	assert_string_equal(json_string_value(json_object_get(inc, "impact_override")), "critical");
	json_decref(j);
	char id[64];
	common_strlcpy(id, r.incident_id, sizeof id);
	p = comms_post_start(&cfg, MESSAGE_STATUSPAGE, "Delays syncing\nWe found the cause.",
			     "identified", 2, id, err, sizeof err);
	assert_non_null(p);
	r = wait_post(p);
	comms_post_free(p);
	if (!r.ok)
		fail_msg("Statuspage update failed: %s", r.error);
	assert_string_equal(r.incident_id, id);
	got = last_post(s, buf, 8);
	assert_string_equal(got->method, "PATCH");
	char want[200];
	snprintf(want, sizeof want, "/v1/pages/pg0sim1/incidents/%s", id);
	assert_string_equal(got->path, want);
	j = json_loads(got->body, 0, NULL);
	inc = json_object_get(j, "incident");
	assert_string_equal(json_string_value(json_object_get(inc, "status")), "identified");
	json_decref(j);
	/* The post's result never holds a secret. */
	assert_null(strstr(r.error, API_KEY));

	/* A hung service: freeing the post stops waiting, well within the time-out. */
	cfg.timeout_ms = 20000;
	sim_set_post_fault(s, SIM_POST_HANG, 1, 0);
	p = comms_post_start(&cfg, MESSAGE_SLACK, "hang", NULL, 1, NULL, err, sizeof err);
	assert_non_null(p);
	usleep(300000);
	assert_false(comms_post_poll(p, &r));
	int64_t t0 = common_mono_ms();
	comms_post_free(p);
	int64_t took = common_mono_ms() - t0;
	if (took > 5000)
		fail_msg("comms_post_free took %lld ms with a 20 s time-out", (long long)took);
	unsetenv(POST_ENV_SLACK_WEBHOOK);
	unsetenv(POST_ENV_STATUSPAGE_KEY);
	sim_stop(s);
	free(buf);
}

/* ---- what the incident keeps for the messages ------------------------------------------ */

/* The replay callback the test hands to journal_read. */
static void replay(const journal_event *e, void *ctx)
{
	incident_apply(ctx, e, true);
}

/* message.field sets impact, cause, eta and thread; a replay of the journal keeps them. */
static void test_incident_fields_replay(void **state)
{
	(void)state;
	char dir[256];
	tmp_dir(dir, sizeof dir, "fields");
	journal *j = journal_new(dir, true);
	static const char *const script[][2] = {
	    {"open", "{\"owner\":\"dana\",\"severity\":\"P2\",\"reason\":\"call\"}"},
	    {"message.field", "{\"name\":\"impact\",\"value\":\"Leads stuck\",\"summary\":\"s\"}"},
	    {"message.field", "{\"name\":\"cause\",\"value\":\"Token revoked\",\"summary\":\"s\"}"},
	    {"message.field", "{\"name\":\"eta\",\"value\":\"1 h\",\"summary\":\"s\"}"},
	    {"message.field", "{\"name\":\"thread\",\"value\":\"https://t/1\",\"summary\":\"s\"}"},
	    {"message.field", "{\"name\":\"eta\",\"value\":\"30 min\",\"summary\":\"s\"}"},
	    {"message.field", "{\"name\":\"bogus\",\"value\":\"ignored\",\"summary\":\"s\"}"},
	    {"message.field", "{\"name\":\"thread\",\"value\":\"\",\"summary\":\"cleared\"}"},
	};
	for (size_t i = 0; i < sizeof script / sizeof script[0]; i++) {
		json_t *d = json_loads(script[i][1], 0, NULL);
		assert_non_null(d);
		assert_int_equal(journal_append(j, AT(i), script[i][0], "operator", d), 0);
		json_decref(d);
	}
	journal_free(j);
	incident inc;
	incident_init(&inc, "r");
	j = journal_new(dir, false);
	assert_int_equal(journal_read(j, true, replay, &inc), 8);
	journal_free(j);
	assert_string_equal(inc.impact, "Leads stuck");
	assert_string_equal(inc.cause, "Token revoked");
	assert_string_equal(inc.eta, "30 min");
	assert_string_equal(inc.thread, "");
	/* The facts take them as the operator's words. */
	comms_facts *c = malloc(sizeof *c);
	comms_facts_fill(c, &inc, NULL, rb, NULL, CADENCE, AT(9));
	assert_string_equal(c->f.fields->impact, "Leads stuck");
	assert_string_equal(c->f.fields->cause, "Token revoked");
	assert_string_equal(c->f.fields->eta, "30 min");
	free(c);
	incident_free(&inc);
	incident_feed_remove_tree(dir);
}

/* Correlation ids from probe events: each once, the first INCIDENT_MAX_CORR. */
static void test_incident_correlation_ids(void **state)
{
	(void)state;
	incident inc;
	fresh(&inc);
	ev(&inc, AT(0), "alert", "diagnosis", "{\"leaf\":\"token-invalid\",\"title\":\"t\"}");
	char js[200];
	for (int i = 0; i < INCIDENT_MAX_CORR + 4; i++) {
		snprintf(js, sizeof js,
			 "{\"probe\":\"api\",\"correlation_id\":\"corr-%02d\",\"text\":\"c\"}",
			 i % 2 == 0 ? i / 2 : i);
		ev(&inc, AT(1 + i), "probe", "probe", js);
	}
	/* A probe event without one, and an empty one, change nothing. */
	ev(&inc, AT(30), "probe", "probe", "{\"probe\":\"api\",\"text\":\"API 401 -> 200\"}");
	ev(&inc, AT(31), "probe", "probe", "{\"correlation_id\":\"\",\"text\":\"x\"}");
	assert_int_equal(inc.n_corr, INCIDENT_MAX_CORR);
	for (int i = 0; i < inc.n_corr; i++)
		for (int k = i + 1; k < inc.n_corr; k++)
			if (strcmp(inc.corr[i], inc.corr[k]) == 0)
				fail_msg("%s kept twice", inc.corr[i]);
	/* The first seen, in order: 00 01 01(repeat) 03 02 05 03(repeat) 07 04 09 ... */
	assert_string_equal(inc.corr[0], "corr-00");
	assert_string_equal(inc.corr[1], "corr-01");
	assert_string_equal(inc.corr[2], "corr-03");
	assert_string_equal(inc.corr[3], "corr-02");
	/* A full incident still names the live failing answer's id in the messages. */
	evidence e = {0};
	fx_api_401(&e);
	comms_facts *c = malloc(sizeof *c);
	comms_facts_fill(c, &inc, &e, rb, NULL, CADENCE, AT(40));
	assert_int_equal(c->f.n_correlation_ids, INCIDENT_MAX_CORR + 1);
	assert_string_equal(c->f.correlation_ids[INCIDENT_MAX_CORR], CORR_NOW);
	/* One it already holds is not named twice. */
	strcpy(e.api.correlation_id, "corr-03");
	comms_facts_fill(c, &inc, &e, rb, NULL, CADENCE, AT(40));
	assert_int_equal(c->f.n_correlation_ids, INCIDENT_MAX_CORR);
	free(c);
	incident_free(&inc);
}

/* message.sent counts, restarts the cadence and keeps the Statuspage incident's id. */
static void test_incident_sent_and_statuspage_id(void **state)
{
	(void)state;
	incident inc;
	fresh(&inc);
	ev(&inc, AT(0), "open", "operator", "{\"owner\":\"a\",\"severity\":\"P1\"}");
	assert_int_equal(inc.n_messages, 0);
	assert_string_equal(inc.statuspage_id, "");
	ev(&inc, AT(5), "message.sent", "operator",
	   "{\"kind\":\"slack\",\"text\":\"t\",\"path\":\"\",\"summary\":\"Slack update: "
	   "copied\"}");
	ev(&inc, AT(6), "message.sent", "operator",
	   "{\"kind\":\"statuspage\",\"text\":\"t\",\"path\":\"\",\"summary\":\"Status-page "
	   "notice: posted\",\"statuspage_id\":\"p31zjtct2jer\"}");
	assert_int_equal(inc.n_messages, 2);
	assert_string_equal(inc.statuspage_id, "p31zjtct2jer");
	assert_int_equal(inc.last_message_ms, AT(6));
	assert_int_equal(incident_next_update_ms(&inc, CADENCE), AT(6) + CADENCE);
	/* A later copy without an id keeps the incident to update. */
	ev(&inc, AT(9), "message.sent", "operator",
	   "{\"kind\":\"slack\",\"text\":\"t\",\"path\":\"\",\"summary\":\"Slack update: saved\"}");
	assert_int_equal(inc.n_messages, 3);
	assert_string_equal(inc.statuspage_id, "p31zjtct2jer");
	assert_int_equal(inc.last_message_ms, AT(9));
	comms_facts *c = malloc(sizeof *c);
	comms_facts_fill(c, &inc, NULL, rb, NULL, CADENCE, AT(10));
	assert_int_equal(c->f.n_sent, 3);
	assert_string_equal(c->f.sent[1].kind, "Status-page notice");
	assert_string_equal(c->f.sent[1].detail, "posted");
	free(c);
	incident_free(&inc);
}

/* The alert's evidence lines are kept (the first INCIDENT_MAX_CORR), and a new alert replaces
 * them. */
static void test_incident_alert_evidence(void **state)
{
	(void)state;
	incident inc;
	fresh(&inc);
	char js[2000] = "{\"leaf\":\"token-invalid\",\"title\":\"t\",\"evidence\":[";
	for (int i = 0; i < INCIDENT_MAX_CORR + 3; i++) {
		size_t n = strlen(js);
		snprintf(js + n, sizeof js - n, "%s\"Q%d? yes (e%d)\"", i ? "," : "", i, i);
	}
	strcat(js, "]}");
	ev(&inc, AT(0), "alert", "diagnosis", js);
	assert_int_equal(inc.n_alert_evidence, INCIDENT_MAX_CORR);
	assert_string_equal(inc.alert_evidence[0], "Q0? yes (e0)");
	assert_string_equal(inc.alert_evidence[INCIDENT_MAX_CORR - 1], "Q7? yes (e7)");
	ev(&inc, AT(1), "alert", "diagnosis",
	   "{\"leaf\":\"token-invalid\",\"title\":\"t\",\"evidence\":[\"Z? no (z)\"]}");
	assert_int_equal(inc.n_alert_evidence, 1);
	assert_string_equal(inc.alert_evidence[0], "Z? no (z)");
	ev(&inc, AT(2), "alert", "diagnosis", "{\"leaf\":\"token-invalid\",\"title\":\"t\"}");
	assert_int_equal(inc.n_alert_evidence, 0);
	incident_free(&inc);
}

/* The built-in runbook and templates for every test. */
static int setup(void **state)
{
	char err[300];
	rb = runbook_load_default(err, sizeof err);
	message_templates *m = calloc(1, sizeof *m);
	if (!rb || !m || message_templates_load(m, NULL, err, sizeof err) != 0)
		return -1;
	*state = m;
	return 0;
}

/* Free them. */
static int teardown(void **state)
{
	message_templates_free(*state);
	free(*state);
	runbook_free(rb);
	return 0;
}

int main(void)
{
	http_global_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_facts_scripted_incident),
	    cmocka_unit_test(test_facts_alert_only),
	    cmocka_unit_test(test_facts_blip_is_closed),
	    cmocka_unit_test(test_facts_evidence_of_alert),
	    cmocka_unit_test(test_facts_without_incident),
	    cmocka_unit_test(test_facts_hubspot_and_daily),
	    cmocka_unit_test(test_facts_hostile_strings),
	    cmocka_unit_test(test_facts_nameless_status_incident),
	    cmocka_unit_test(test_save_names_and_mode),
	    cmocka_unit_test(test_save_unwritable),
	    cmocka_unit_test(test_save_path_too_long),
	    cmocka_unit_test(test_osc52_bytes),
	    cmocka_unit_test(test_tmux_outside),
	    cmocka_unit_test(test_tmux_inside),
	    cmocka_unit_test(test_post_targets),
	    cmocka_unit_test(test_post_to_simulator),
	    cmocka_unit_test(test_incident_fields_replay),
	    cmocka_unit_test(test_incident_correlation_ids),
	    cmocka_unit_test(test_incident_sent_and_statuspage_id),
	    cmocka_unit_test(test_incident_alert_evidence),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	http_global_cleanup();
	return rc;
}
