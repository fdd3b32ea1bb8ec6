/*
 * Unit tests of the incident's state machine: every move and every refused one with its
 * reason, the blip, time corrections (new events, the original kept), severity suggestions,
 * status words, the update cadence with its snooze, decisions for the walker, unknown event
 * types kept, and a replay of a journal rebuilding the same incident.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hsr/incident.h"
#include "hsr/incident_feed.h"
#include "hsr/journal.h"

/* 2026-03-10 14:05:00 UTC. */
#define T0  1773151500000LL
#define MIN 60000LL

static uint64_t next_n;

/* Apply one event, numbered in order; data given as JSON text ("" for none). */
static const inc_event *ev(incident *inc, int64_t at, const char *type, const char *by,
			   const char *json)
{
	json_t *d = json[0] ? json_loads(json, 0, NULL) : json_object();
	assert_non_null(d);
	journal_event e = {.n = ++next_n, .at_ms = at, .type = type, .by = by, .data = d};
	const inc_event *out = incident_apply(inc, &e, true);
	json_decref(d);
	assert_non_null(out);
	return out;
}

/* Whether type is refused now, with a reason containing want. */
static void refused(const incident *inc, const char *type, const incident_ctx *c, const char *want)
{
	char why[200] = "";
	if (incident_check(inc, type, c, why, sizeof why))
		fail_msg("%s allowed in state %s", type, incident_state_name(inc->state));
	if (!strstr(why, want))
		fail_msg("%s refused with \"%s\", want \"%s\"", type, why, want);
}

/* Whether type is allowed now. */
static void allowed(const incident *inc, const char *type, const incident_ctx *c)
{
	char why[200] = "";
	if (!incident_check(inc, type, c, why, sizeof why))
		fail_msg("%s refused in state %s: %s", type, incident_state_name(inc->state), why);
}

/* The whole way: alert, ack, root cause, mitigation, recovery, resolved; refusals between. */
static void test_incident_every_move(void **state)
{
	(void)state;
	incident inc;
	incident_init(&inc, "20260310-140500");
	next_n = 0;
	incident_ctx c = {
	    .walker_leaf = "token-invalid", .recovery_after_ms = 5 * MIN, .now_ms = T0};
	/* Nothing yet: nothing to acknowledge, no note, no state moves. */
	refused(&inc, "ack", &c, "nothing to acknowledge");
	refused(&inc, "note", &c, "i opens one by hand");
	refused(&inc, "root-cause", &c, "acknowledge first");
	refused(&inc, "snooze", &c, "no incident is open");
	allowed(&inc, "open", &c);
	assert_int_equal(incident_next_move(&inc), INC_NONE);

	ev(&inc, T0, "alert", "diagnosis",
	   "{\"leaf\":\"token-invalid\",\"title\":\"Access token rejected\"}");
	assert_int_equal(inc.state, INC_ALERT);
	assert_string_equal(inc.leaf, "token-invalid");
	assert_true(incident_is_open(&inc));
	assert_false(incident_is_active(&inc));
	assert_string_equal(incident_status_word(inc.state), "investigating");
	refused(&inc, "open", &c, "a acknowledges it");
	refused(&inc, "severity", &c, "acknowledge first");
	refused(&inc, "mitigation", &c, "confirm the root cause first");
	allowed(&inc, "ack", &c);
	allowed(&inc, "note", &c);

	ev(&inc, T0 + 2 * MIN, "ack", "operator", "{\"owner\":\"alice\",\"severity\":\"P2\"}");
	assert_int_equal(inc.state, INC_ACK);
	assert_string_equal(inc.owner, "alice");
	assert_string_equal(inc.severity, "P2");
	assert_int_equal(inc.at[INC_ACK], T0 + 2 * MIN);
	refused(&inc, "ack", &c, "already acknowledged at 14:07:00 UTC by alice");
	refused(&inc, "open", &c, "already open");
	refused(&inc, "recovery", &c, "apply a mitigation first");
	refused(&inc, "resolve", &c, "confirm the recovery first");
	assert_int_equal(incident_next_move(&inc), INC_IDENTIFIED);
	/* The root cause needs a fault leaf in the walker. */
	incident_ctx healthy = c;
	healthy.walker_leaf = "healthy";
	refused(&inc, "root-cause", &healthy, "no fault leaf to confirm (healthy)");
	healthy.walker_leaf = NULL;
	refused(&inc, "root-cause", &healthy, "no fault leaf");
	allowed(&inc, "root-cause", &c);

	ev(&inc, T0 + 5 * MIN, "root-cause", "operator", "{\"leaf\":\"token-invalid\"}");
	assert_int_equal(inc.state, INC_IDENTIFIED);
	assert_string_equal(incident_status_word(inc.state), "identified");
	refused(&inc, "root-cause", &c, "already root cause identified");
	incident_ctx other = c;
	other.walker_leaf = "missing-scopes";
	allowed(&inc, "root-cause", &other); /* a different leaf may replace it */
	assert_int_equal(incident_next_move(&inc), INC_MITIGATED);
	allowed(&inc, "mitigation", &c);

	ev(&inc, T0 + 8 * MIN, "mitigation", "operator", "{\"how\":\"step\",\"what\":\"rotate\"}");
	assert_int_equal(inc.state, INC_MITIGATED);
	assert_string_equal(incident_status_word(inc.state), "monitoring");
	refused(&inc, "mitigation", &c, "already mitigation applied");
	/* Recovery: only after the probes stay healthy for recovery_after. */
	c.now_ms = T0 + 10 * MIN;
	refused(&inc, "recovery", &c, "the probes are not healthy");
	c.healthy_since_ms = T0 + 9 * MIN;
	refused(&inc, "recovery", &c, "healthy for 60 s of the 300 s recovery_after");
	assert_false(incident_recovery_ready(&c));
	c.now_ms = T0 + 14 * MIN;
	assert_true(incident_recovery_ready(&c));
	allowed(&inc, "recovery", &c);

	ev(&inc, T0 + 14 * MIN, "recovery", "operator", "");
	assert_int_equal(inc.state, INC_RECOVERED);
	assert_string_equal(incident_status_word(inc.state), "monitoring");
	assert_int_equal(incident_next_move(&inc), INC_RESOLVED);
	allowed(&inc, "resolve", &c);
	ev(&inc, T0 + 20 * MIN, "resolve", "operator", "");
	assert_int_equal(inc.state, INC_RESOLVED);
	assert_string_equal(incident_status_word(inc.state), "resolved");
	assert_false(incident_is_open(&inc));
	refused(&inc, "resolve", &c, "already resolved");
	refused(&inc, "ack", &c, "nothing to acknowledge");
	refused(&inc, "snooze", &c, "no incident is open");
	allowed(&inc, "open", &c); /* a new one */
	allowed(&inc, "note", &c); /* postmortem notes */
	assert_int_equal(incident_duration_ms(&inc, T0 + 99 * MIN), 20 * MIN);
	assert_int_equal(inc.n_ev, 6);
	for (size_t i = 0; i < inc.n_ev; i++)
		assert_true(inc.ev[i].state);
	assert_string_equal(inc.ev[1].text, "acknowledged by alice, severity P2");
	assert_string_equal(incident_move_type(INC_IDENTIFIED), "root-cause");
	assert_null(incident_move_type(INC_ACK));
	incident_free(&inc);
}

/* Healthy again before anyone acknowledged: a blip, closed; the next alert is a new one. */
static void test_incident_blip(void **state)
{
	(void)state;
	incident inc;
	incident_init(&inc, "x");
	next_n = 0;
	ev(&inc, T0, "alert", "diagnosis", "{\"leaf\":\"hubspot-slow\",\"title\":\"Slow\"}");
	ev(&inc, T0 + 30000, "blip", "diagnosis", "");
	assert_int_equal(inc.state, INC_BLIP);
	assert_false(incident_is_open(&inc));
	assert_int_equal(incident_duration_ms(&inc, T0 + 10 * MIN), 30000);
	assert_string_equal(incident_state_key(inc.state), "blip");
	incident_ctx c = {.now_ms = T0 + MIN};
	char why[200];
	assert_false(incident_check(&inc, "ack", &c, why, sizeof why));
	assert_true(incident_check(&inc, "open", &c, why, sizeof why));
	incident_free(&inc);
}

/* Opened by hand: acknowledged at once, the alert stamped at the same time. */
static void test_incident_open_by_hand(void **state)
{
	(void)state;
	incident inc;
	incident_init(&inc, "x");
	next_n = 0;
	const inc_event *e =
	    ev(&inc, T0, "open", "operator",
	       "{\"owner\":\"bob\",\"severity\":\"P3\",\"reason\":\"customer call\"}");
	assert_int_equal(inc.state, INC_ACK);
	assert_int_equal(inc.at[INC_ALERT], T0);
	assert_int_equal(inc.at[INC_ACK], T0);
	assert_string_equal(e->text, "opened by hand by bob, severity P3: customer call");
	/* A severity that is not P1..P4 is ignored, with the incident's kept. */
	ev(&inc, T0 + 1, "severity", "operator", "{\"severity\":\"P9\"}");
	assert_string_equal(inc.severity, "P3");
	e = ev(&inc, T0 + 2, "severity", "operator", "{\"severity\":\"P1\"}");
	assert_string_equal(inc.severity, "P1");
	assert_string_equal(e->text, "severity P1 (was P3)");
	ev(&inc, T0 + 3, "owner", "operator", "{\"owner\":\"carol\"}");
	assert_string_equal(inc.owner, "carol");
	incident_free(&inc);
}

/* A time correction is a new event; the named event and the state it reached move, the
 * original time is kept beside it; a correction of an unknown event changes nothing. */
static void test_incident_time_fix(void **state)
{
	(void)state;
	incident inc;
	incident_init(&inc, "x");
	next_n = 0;
	ev(&inc, T0, "alert", "diagnosis", "{\"leaf\":\"token-invalid\",\"title\":\"t\"}");
	const inc_event *ack =
	    ev(&inc, T0 + 30 * MIN, "ack", "operator", "{\"owner\":\"a\",\"severity\":\"P2\"}");
	uint64_t ack_n = ack->n;
	char js[160];
	snprintf(js, sizeof js, "{\"event\":%llu,\"time\":\"2026-03-10T14:06:00Z\"}",
		 (unsigned long long)ack_n);
	const inc_event *fix = ev(&inc, T0 + 31 * MIN, "time-fix", "operator", js);
	assert_false(fix->state);
	assert_string_equal(fix->text,
			    "time of #2 (ack) corrected: 14:06:00 UTC, was 14:35:00 UTC");
	const inc_event *a = incident_event(&inc, ack_n);
	assert_int_equal(a->at_ms, T0 + MIN);
	assert_int_equal(a->logged_ms, T0 + 30 * MIN);
	assert_int_equal(inc.at[INC_ACK], T0 + MIN);
	/* The first update is due from the corrected acknowledgement. */
	assert_int_equal(incident_next_update_ms(&inc, 30 * MIN), T0 + MIN + 10 * MIN);
	fix = ev(&inc, T0 + 32 * MIN, "time-fix", "operator",
		 "{\"event\":99,\"time\":\"2026-03-10T14:06:00Z\"}");
	assert_non_null(strstr(fix->text, "not in the journal: ignored"));
	fix = ev(&inc, T0 + 33 * MIN, "time-fix", "operator", "{\"event\":1,\"time\":\"soon\"}");
	assert_non_null(strstr(fix->text, "no readable time"));
	assert_int_equal(inc.at[INC_ALERT], T0);
	assert_int_equal(inc.n_ev, 5);
	incident_free(&inc);
}

/* The cadence: ack + 10 min first, then the last message sent + cadence; a snooze puts it off. */
static void test_incident_cadence(void **state)
{
	(void)state;
	incident inc;
	incident_init(&inc, "x");
	next_n = 0;
	assert_int_equal(incident_next_update_ms(&inc, 30 * MIN), 0);
	ev(&inc, T0, "alert", "diagnosis", "{\"leaf\":\"l\",\"title\":\"t\"}");
	assert_int_equal(incident_next_update_ms(&inc, 30 * MIN), 0);
	ev(&inc, T0 + MIN, "ack", "operator", "{\"owner\":\"a\",\"severity\":\"P2\"}");
	assert_int_equal(incident_next_update_ms(&inc, 30 * MIN), T0 + 11 * MIN);
	/* A message of the next issue's, unknown to this module but for its cadence. */
	const inc_event *m = ev(&inc, T0 + 5 * MIN, "message.sent", "operator",
				"{\"summary\":\"Slack update sent\",\"text\":\"...\"}");
	assert_string_equal(m->text, "message.sent: Slack update sent");
	assert_int_equal(incident_next_update_ms(&inc, 30 * MIN), T0 + 35 * MIN);
	ev(&inc, T0 + 36 * MIN, "snooze", "operator", "{\"until\":\"2026-03-10T14:56:00.000Z\"}");
	assert_int_equal(incident_next_update_ms(&inc, 30 * MIN), T0 + 51 * MIN);
	m = ev(&inc, T0 + 37 * MIN, "message.copied", "operator", "");
	assert_string_equal(m->text, "message.copied");
	assert_false(m->state);
	ev(&inc, T0 + 60 * MIN, "message.sent", "operator", "");
	assert_int_equal(incident_next_update_ms(&inc, 30 * MIN), T0 + 90 * MIN);
	ev(&inc, T0 + 61 * MIN, "resolve", "operator", "");
	assert_int_equal(incident_next_update_ms(&inc, 30 * MIN), 0);
	incident_free(&inc);
}

/* Severity from the leaf: its P1..P4; when unsure (none, or not a P), the higher: P1. */
static void test_incident_severity_suggest(void **state)
{
	(void)state;
	rb_leaf l = {.id = "x", .severity = "P3"};
	assert_string_equal(incident_severity_suggest(&l), "P3");
	l.severity = "p2";
	assert_string_equal(incident_severity_suggest(&l), "P2");
	l.severity = "SEV-2";
	assert_string_equal(incident_severity_suggest(&l), "P1");
	l.severity = NULL;
	assert_string_equal(incident_severity_suggest(&l), "P1");
	assert_string_equal(incident_severity_suggest(NULL), "P1");
	assert_true(incident_severity_ok("P4"));
	assert_false(incident_severity_ok("P5"));
	assert_false(incident_severity_ok("P12"));
	assert_false(incident_severity_ok(""));
}

/* Answers and checks are kept by id for the walker, given back and unchecked as they go. */
static void test_incident_decisions(void **state)
{
	(void)state;
	incident inc;
	incident_init(&inc, "x");
	next_n = 0;
	ev(&inc, T0, "answer", "operator",
	   "{\"node\":\"q_401\",\"question\":\"Q?\",\"answer\":\"no\"}");
	ev(&inc, T0 + 1, "answer", "operator",
	   "{\"node\":\"q_429\",\"question\":\"R?\",\"answer\":\"yes\"}");
	assert_int_equal(inc.n_ov, 2);
	assert_false(inc.ov[0].yes);
	const inc_event *e = ev(&inc, T0 + 2, "answer", "operator",
				"{\"node\":\"q_401\",\"question\":\"Q?\",\"answer\":\"evidence\"}");
	assert_string_equal(e->text, "answer given back to the evidence: Q?");
	assert_int_equal(inc.n_ov, 1);
	assert_string_equal(inc.ov[0].node, "q_429");
	ev(&inc, T0 + 3, "check", "operator",
	   "{\"leaf\":\"token-invalid\",\"step\":\"a\",\"checked\":true,\"text\":\"A\"}");
	ev(&inc, T0 + 4, "check", "operator",
	   "{\"leaf\":\"token-invalid\",\"step\":\"b\",\"checked\":true,\"text\":\"B\"}");
	e = ev(&inc, T0 + 5, "check", "operator",
	       "{\"leaf\":\"token-invalid\",\"step\":\"a\",\"checked\":false,\"text\":\"A\"}");
	assert_string_equal(e->text, "step unchecked: A (a)");
	assert_int_equal(inc.n_ck, 1);
	assert_string_equal(inc.ck[0].step, "b");
	assert_int_equal(inc.ck[0].at_ms, T0 + 4);
	e = ev(&inc, T0 + 6, "command", "operator",
	       "{\"line\":\"kubectl rollout restart\",\"exit\":\"exit 0\",\"duration_ms\":1500,"
	       "\"output\":[\"restarted\",\"done\"]}");
	assert_string_equal(e->text,
			    "command `kubectl rollout restart`: exit 0 in 1.5 s: restarted | done");
	e = ev(&inc, T0 + 7, "probe", "probe", "{\"text\":\"API 200 -> 401\"}");
	assert_string_equal(e->text, "API 200 -> 401");
	assert_string_equal(e->by, "probe");
	e = ev(&inc, T0 + 8, "diagnosis", "diagnosis",
	       "{\"from\":\"healthy\",\"to\":\"token-invalid\"}");
	assert_string_equal(e->text, "diagnosis: healthy -> token-invalid");
	incident_free(&inc);
}

/* The replay callback the test hands to journal_read. */
static void incident_test_replay(const journal_event *e, void *ctx)
{
	incident_apply(ctx, e, true);
}

/* A journal replayed gives the incident back as it was (resume). */
static void test_incident_replay_rebuilds(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	char dir[256];
	snprintf(dir, sizeof dir, "%s/hsr-incident-test.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	journal *j = journal_new(dir, true);
	incident live;
	incident_init(&live, "r");
	static const struct {
		const char *type, *json;
	} script[] = {
	    {"alert", "{\"leaf\":\"token-invalid\",\"title\":\"t\"}"},
	    {"ack", "{\"owner\":\"alice\",\"severity\":\"P2\"}"},
	    {"answer", "{\"node\":\"q_401\",\"question\":\"Q\",\"answer\":\"no\"}"},
	    {"check",
	     "{\"leaf\":\"token-invalid\",\"step\":\"s1\",\"checked\":true,\"text\":\"S\"}"},
	    {"note", "{\"text\":\"rotated\"}"},
	    {"root-cause", "{\"leaf\":\"token-invalid\"}"},
	    {"snooze", "{\"until\":\"2026-03-10T15:00:00.000Z\"}"},
	};
	for (size_t i = 0; i < sizeof script / sizeof script[0]; i++) {
		json_t *d = json_loads(script[i].json, 0, NULL);
		int64_t at = T0 + (int64_t)i * MIN;
		assert_int_equal(journal_append(j, at, script[i].type, "operator", d), 0);
		journal_event e = {
		    .n = i + 1, .at_ms = at, .type = script[i].type, .by = "operator", .data = d};
		incident_apply(&live, &e, true);
		json_decref(d);
	}
	journal_free(j);
	incident back;
	incident_init(&back, "r");
	j = journal_new(dir, false);
	assert_int_equal(journal_read(j, true, incident_test_replay, &back), 7);
	journal_free(j);
	assert_int_equal(back.state, live.state);
	assert_int_equal(back.state, INC_IDENTIFIED);
	assert_string_equal(back.owner, "alice");
	assert_string_equal(back.severity, "P2");
	assert_int_equal(back.n_notes, 1);
	assert_int_equal(back.n_ov, 1);
	assert_int_equal(back.n_ck, 1);
	assert_int_equal(back.snooze_until_ms, live.snooze_until_ms);
	assert_int_equal(incident_next_update_ms(&back, 30 * MIN),
			 incident_next_update_ms(&live, 30 * MIN));
	assert_int_equal(back.n_ev, live.n_ev);
	for (size_t i = 0; i < back.n_ev; i++) {
		assert_string_equal(back.ev[i].text, live.ev[i].text);
		assert_int_equal(back.ev[i].at_ms, live.ev[i].at_ms);
	}
	incident_free(&live);
	incident_free(&back);
	incident_feed_remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_incident_every_move),
	    cmocka_unit_test(test_incident_blip),
	    cmocka_unit_test(test_incident_open_by_hand),
	    cmocka_unit_test(test_incident_time_fix),
	    cmocka_unit_test(test_incident_cadence),
	    cmocka_unit_test(test_incident_severity_suggest),
	    cmocka_unit_test(test_incident_decisions),
	    cmocka_unit_test(test_incident_replay_rebuilds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
