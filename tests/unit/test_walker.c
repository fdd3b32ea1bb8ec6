/* Unit tests for the walker's state: overrides, giving answers back, evidence changing, checklist.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evidence_fixture.h"
#include "hsr/walker.h"

/* 14:03:11 UTC on the first day of the epoch, and times after it. */
#define T0 ((int64_t)(14 * 3600 + 3 * 60 + 11) * 1000)

/* The built-in runbook; the test fails if it does not load. */
static runbook *default_runbook(void)
{
	char err[512];
	runbook *rb = runbook_load_default(err, sizeof err);
	if (!rb)
		fail_msg("built-in runbook refused: %s", err);
	return rb;
}

/* Fresh evidence with the status page clear, our app healthy and the given API answer. */
static void evidence_with(evidence *e, void (*api)(evidence *))
{
	board_evidence_init(e);
	fx_status_ok(e);
	fx_health_healthy(e);
	api(e);
}

/* The step of the walker's path that asks node id, or NULL. */
static const diag_step *step_of(const walker *w, const char *id)
{
	for (int k = 0; k < w->diag.n_steps; k++)
		if (w->diag.steps[k].node && strcmp(w->diag.steps[k].node->id, id) == 0)
			return &w->diag.steps[k];
	return NULL;
}

/* Allocate a walker on the heap (it is a few tens of KiB). */
static walker *new_walker(const runbook *rb)
{
	walker *w = malloc(sizeof *w);
	assert_non_null(w);
	walker_init(w, rb);
	return w;
}

/* A walker on the built-in runbook, its first walk done on the given API answer at now. */
static walker *start_on(runbook **rb, evidence *e, void (*api)(evidence *), int64_t now)
{
	*rb = default_runbook();
	walker *w = new_walker(*rb);
	evidence_with(e, api);
	walker_update(w, e, now);
	return w;
}

/* Free what start_on made. */
static void finish(walker *w, runbook *rb)
{
	free(w);
	runbook_free(rb);
}

/* With no decisions the walker's path is diagnose()'s, and its cursor starts on the deciding
 * question. */
static void test_walks_like_diagnose(void **state)
{
	(void)state;
	runbook *rb = default_runbook();
	walker *w = new_walker(rb);
	evidence e;
	evidence_with(&e, fx_api_401);
	assert_false(walker_update(w, &e, T0)); /* the first walk is no change */
	diagnosis d;
	diagnose(&e, rb, &d);
	assert_string_equal(w->diag.leaf->id, "token-invalid");
	assert_ptr_equal(w->diag.leaf, d.leaf);
	assert_int_equal(w->diag.n_steps, d.n_steps);
	for (int k = 0; k < d.n_steps; k++) {
		assert_ptr_equal(w->diag.steps[k].node, d.steps[k].node);
		assert_int_equal(w->diag.steps[k].ans, d.steps[k].ans);
		assert_int_equal(w->diag.steps[k].from, DIAG_FROM_EVIDENCE);
		assert_string_equal(w->diag.steps[k].evidence, d.steps[k].evidence);
	}
	int dec = walker_deciding_step(w);
	assert_true(dec >= 0);
	assert_string_equal(w->diag.steps[dec].node->id, "q_401");
	/* The evidence's time is on the step. */
	assert_true(w->diag.steps[dec].at_ms == e.api.f.at_ms && e.api.f.at_ms > 0);
	assert_null(w->change.from);
	assert_int_equal(walker_waiting(w), 0);
	finish(w, rb);
}

/* y/n override an answer and the path below is walked again; u gives it back to the evidence. */
static void test_override_and_give_back(void **state)
{
	(void)state;
	runbook *rb;
	evidence e;
	walker *w = start_on(&rb, &e, fx_api_401, T0);
	const rb_node *q401 = runbook_node(rb, "q_401");
	assert_true(walker_answer(w, &e, q401, ANSWER_NO, T0 + 5000));
	assert_string_not_equal(w->diag.leaf->id, "token-invalid");
	const diag_step *st = step_of(w, "q_401");
	assert_non_null(st);
	assert_int_equal(st->ans, ANSWER_NO);
	assert_int_equal(st->evidence_ans, ANSWER_YES); /* what the evidence still says */
	assert_int_equal(st->from, DIAG_FROM_OPERATOR);
	assert_true(st->at_ms == T0 + 5000);
	assert_non_null(step_of(w, "q_403s")); /* walked on below it */
	assert_non_null(walker_override(w, q401));
	assert_int_equal(w->ops.n_overrides, 1);
	/* The operator's own answer is not a change the evidence made. */
	assert_null(w->change.from);

	/* Answering again replaces the answer; it does not add one. */
	assert_true(walker_answer(w, &e, q401, ANSWER_YES, T0 + 6000));
	assert_int_equal(w->ops.n_overrides, 1);
	assert_string_equal(w->diag.leaf->id, "token-invalid");
	assert_int_equal(step_of(w, "q_401")->from, DIAG_FROM_OPERATOR);

	/* u: back to the evidence. */
	assert_true(walker_answer(w, &e, q401, ANSWER_UNKNOWN, T0 + 7000));
	assert_int_equal(w->ops.n_overrides, 0);
	assert_null(walker_override(w, q401));
	assert_string_equal(w->diag.leaf->id, "token-invalid");
	assert_int_equal(step_of(w, "q_401")->from, DIAG_FROM_EVIDENCE);
	/* Giving back an answer the evidence already had is harmless. */
	assert_true(walker_answer(w, &e, q401, ANSWER_UNKNOWN, T0 + 8000));
	assert_int_equal(w->ops.n_overrides, 0);
	finish(w, rb);
}

/* New evidence changes an answer nobody overrode: the path follows and the change is reported. */
static void test_evidence_changes_unoverridden(void **state)
{
	(void)state;
	runbook *rb;
	evidence e;
	walker *w = start_on(&rb, &e, fx_api_401, T0 - 60000);
	assert_string_equal(w->diag.leaf->id, "token-invalid");
	evidence_with(&e, fx_api_200);
	assert_true(walker_update(w, &e, T0));
	assert_string_equal(w->diag.leaf->id, "healthy");
	assert_string_equal(w->change.from->id, "token-invalid");
	assert_string_equal(w->change.to->id, "healthy");
	assert_true(w->change.at_ms == T0);
	assert_string_equal(w->change.text,
			    "leaf changed: token-invalid \u2192 healthy, 14:03:11 UTC");
	/* The same evidence again: no change, and the last one is still there to show. */
	assert_false(walker_update(w, &e, T0 + 15000));
	assert_string_equal(w->change.to->id, "healthy");
	assert_true(w->change.at_ms == T0);
	finish(w, rb);
}

/*
 * A probe answering for the first time (our app's health after the API and the status page)
 * completes the first picture: the leaf moves, but no change is announced. Once every probe
 * has answered, the next move is announced.
 */
static void test_first_answer_is_no_change(void **state)
{
	(void)state;
	runbook *rb = default_runbook();
	walker *w = new_walker(rb);
	evidence e;
	evidence_with(&e, fx_api_200);
	e.health.state = HEALTH_UNKNOWN;
	e.seq[PROBE_STATUS] = e.seq[PROBE_API] = 1;
	walker_update(w, &e, T0 - 60000);
	const rb_leaf *first = w->diag.leaf;
	fx_health_unhealthy(&e);
	e.seq[PROBE_HEALTH] = e.seq[PROBE_USAGE] = 1;
	walker_update(w, &e, T0 - 30000);
	assert_ptr_not_equal(w->diag.leaf, first);
	assert_string_equal(w->diag.leaf->id, "app-unhealthy");
	assert_null(w->change.from);
	fx_health_healthy(&e);
	e.seq[PROBE_HEALTH] = 2;
	assert_true(walker_update(w, &e, T0));
	assert_string_equal(w->change.from->id, "app-unhealthy");
	assert_string_equal(w->change.to->id, "healthy");
	finish(w, rb);
}

/* Overridden answers never change under the operator, whatever the evidence does. */
static void test_evidence_changes_under_override(void **state)
{
	(void)state;
	runbook *rb;
	evidence e;
	walker *w = start_on(&rb, &e, fx_api_200, T0);
	assert_string_equal(w->diag.leaf->id, "healthy");
	/* The operator knows better: the token is being refused elsewhere. */
	walker_answer(w, &e, runbook_node(rb, "q_401"), ANSWER_YES, T0 + 1000);
	assert_string_equal(w->diag.leaf->id, "token-invalid");
	assert_null(w->change.from);

	/* HubSpot starts answering 503: the overridden question keeps the operator's answer. */
	evidence_with(&e, fx_api_503);
	assert_false(walker_update(w, &e, T0 + 2000));
	assert_string_equal(w->diag.leaf->id, "token-invalid");
	const diag_step *st = step_of(w, "q_401");
	assert_int_equal(st->ans, ANSWER_YES);
	assert_int_equal(st->evidence_ans, ANSWER_NO);
	assert_int_equal(st->from, DIAG_FROM_OPERATOR);
	assert_true(st->at_ms == T0 + 1000); /* the time of the operator's answer */
	finish(w, rb);
}

/*
 * An override below the first question: when evidence above it changes, the path leaves it
 * (the change is reported); when the evidence comes back, the kept override applies again.
 */
static void test_override_off_the_path_is_kept(void **state)
{
	(void)state;
	runbook *rb;
	evidence e;
	walker *w = start_on(&rb, &e, fx_api_200, T0);
	const rb_node *q5xx = runbook_node(rb, "q_5xx");
	walker_answer(w, &e, q5xx, ANSWER_YES, T0 + 1000);
	assert_string_equal(w->diag.leaf->id, "hubspot-server-error");

	evidence_with(&e, fx_api_401);
	assert_true(walker_update(w, &e, T0 + 2000));
	assert_string_equal(w->diag.leaf->id, "token-invalid");
	assert_null(step_of(w, "q_5xx"));
	assert_string_equal(w->change.from->id, "hubspot-server-error");
	assert_non_null(walker_override(w, q5xx));

	evidence_with(&e, fx_api_200);
	assert_true(walker_update(w, &e, T0 + 3000));
	assert_string_equal(w->diag.leaf->id, "hubspot-server-error");
	assert_int_equal(step_of(w, "q_5xx")->from, DIAG_FROM_OPERATOR);
	finish(w, rb);
}

/* A question no evidence answers waits for the operator; only their answer reaches its leaf. */
static void test_waiting_question(void **state)
{
	(void)state;
	runbook *rb;
	evidence e;
	walker *w = start_on(&rb, &e, fx_api_200, T0);
	assert_string_equal(w->diag.leaf->id, "healthy");
	assert_int_equal(walker_waiting(w), 1);
	const diag_step *st = step_of(w, "q_webhooks");
	assert_non_null(st);
	assert_int_equal(st->from, DIAG_WAITING);
	assert_int_equal(st->ans, ANSWER_UNKNOWN);
	assert_int_equal(walker_deciding_step(w), (int)(st - w->diag.steps));

	/* New evidence alone never answers it. */
	assert_false(walker_update(w, &e, T0 + 60000));
	assert_int_equal(walker_waiting(w), 1);

	const rb_node *q = runbook_node(rb, "q_webhooks");
	walker_answer(w, &e, q, ANSWER_YES, T0 + 61000);
	assert_string_equal(w->diag.leaf->id, "webhook-failing");
	assert_int_equal(runbook_exit_code(w->diag.leaf->id), 19);
	assert_int_equal(walker_waiting(w), 0);
	assert_int_equal(step_of(w, "q_webhooks")->from, DIAG_FROM_OPERATOR);
	walker_answer(w, &e, q, ANSWER_NO, T0 + 62000);
	assert_string_equal(w->diag.leaf->id, "healthy");
	assert_int_equal(walker_waiting(w), 0);
	walker_answer(w, &e, q, ANSWER_UNKNOWN, T0 + 63000);
	assert_int_equal(walker_waiting(w), 1);
	assert_string_equal(w->diag.leaf->id, "healthy");
	finish(w, rb);
}

/* Space checks a step with its time; again unchecks it; checks are kept per leaf. */
static void test_checklist(void **state)
{
	(void)state;
	runbook *rb;
	evidence e;
	walker *w = start_on(&rb, &e, fx_api_401, T0);
	const rb_leaf *ti = w->diag.leaf;
	assert_true(ti->n_steps >= 3);
	assert_true(walker_toggle_step(w, 0, T0 + 1000));
	assert_true(walker_toggle_step(w, 2, T0 + 2000));
	const walker_check *c = walker_checked(w, ti, &ti->steps[0]);
	assert_non_null(c);
	assert_true(c->at_ms == T0 + 1000);
	assert_null(walker_checked(w, ti, &ti->steps[1]));
	assert_int_equal(w->ops.n_checks, 2);
	/* Unchecking keeps the others, in the order they were checked. */
	assert_false(walker_toggle_step(w, 0, T0 + 3000));
	assert_null(walker_checked(w, ti, &ti->steps[0]));
	assert_int_equal(w->ops.n_checks, 1);
	assert_ptr_equal(w->ops.checks[0].step, &ti->steps[2]);
	/* Out of range does nothing. */
	assert_false(walker_toggle_step(w, -1, T0));
	assert_false(walker_toggle_step(w, ti->n_steps, T0));
	assert_int_equal(w->ops.n_checks, 1);

	/* Another leaf has its own checklist; the first one's checks survive the trip. */
	evidence_with(&e, fx_api_200);
	walker_update(w, &e, T0 + 4000);
	const rb_leaf *h = w->diag.leaf;
	assert_ptr_not_equal(h, ti);
	assert_null(walker_checked(w, h, &h->steps[2]));
	assert_true(walker_toggle_step(w, 0, T0 + 5000));
	evidence_with(&e, fx_api_401);
	walker_update(w, &e, T0 + 6000);
	assert_non_null(walker_checked(w, ti, &ti->steps[2]));
	assert_non_null(walker_checked(w, h, &h->steps[0]));
	assert_int_equal(w->ops.n_checks, 2);
	finish(w, rb);
}

/* A small /2 runbook whose token leaf has live checks. */
static const char verify_runbook[] =
    "{\"format\": \"hsrunbook-runbook/2\", \"start\": \"is_401\", \"nodes\": ["
    "{\"id\": \"is_401\", \"question\": \"Token refused?\", \"predicate\": \"api.http_401\", "
    "\"yes\": \"token-invalid\", \"no\": \"healthy\", \"unknown\": \"unknown\"}],"
    "\"leaves\": ["
    "{\"id\": \"token-invalid\", \"title\": \"Token refused\", \"steps\": ["
    "{\"id\": \"rotate\", \"text\": \"Rotate.\", \"verify\": \"api.http_2xx\"},"
    "{\"id\": \"calm\", \"text\": \"Wait for calm.\", \"verify\": \"!status.incident_active\"},"
    "{\"id\": \"tell\", \"text\": \"Tell people.\"}]},"
    "{\"id\": \"healthy\", \"title\": \"Fine\", \"steps\": [{\"id\": \"n\", \"text\": \"None.\"}]},"
    "{\"id\": \"unknown\", \"title\": \"?\", \"steps\": [{\"id\": \"l\", \"text\": \"Look.\"}]}]}";

/* A step's verify turns met by itself when the evidence shows the fix worked, with its time. */
static void test_verify_turns_met(void **state)
{
	(void)state;
	char err[512];
	runbook *rb =
	    runbook_parse(verify_runbook, strlen(verify_runbook), "v.json", err, sizeof err);
	if (!rb)
		fail_msg("%s", err);
	walker *w = new_walker(rb);
	evidence e;
	board_evidence_init(&e);
	fx_status_incident(&e);
	fx_api_401(&e);
	walker_update(w, &e, T0);
	/* The operator confirms the leaf, so fixed evidence does not walk away from it. */
	walker_answer(w, &e, runbook_node(rb, "is_401"), ANSWER_YES, T0);
	assert_string_equal(w->diag.leaf->id, "token-invalid");
	assert_true(w->verify[0].has_verify);
	assert_int_equal(w->verify[0].state, ANSWER_NO);
	assert_true(w->verify[0].met_since_ms == 0);
	assert_int_equal(w->verify[1].state, ANSWER_NO); /* an incident is open */
	assert_false(w->verify[2].has_verify);
	assert_int_equal(w->verify[2].state, ANSWER_UNKNOWN);

	/* The new token works: the API answers 2xx again. */
	board_evidence_init(&e);
	fx_status_incident(&e);
	fx_api_200(&e);
	walker_update(w, &e, T0 + 10000);
	assert_string_equal(w->diag.leaf->id, "token-invalid");
	assert_int_equal(w->verify[0].state, ANSWER_YES);
	assert_true(w->verify[0].met_since_ms == T0 + 10000);
	assert_non_null(strstr(w->verify[0].why, "200"));
	walker_update(w, &e, T0 + 20000);
	assert_true(w->verify[0].met_since_ms == T0 + 10000); /* first met, not last seen */
	assert_int_equal(w->verify[1].state, ANSWER_NO);

	/* The incident closes: the negated check is met now. */
	board_evidence_init(&e);
	fx_status_ok(&e);
	fx_api_200(&e);
	walker_update(w, &e, T0 + 30000);
	assert_int_equal(w->verify[1].state, ANSWER_YES);
	assert_true(w->verify[1].met_since_ms == T0 + 30000);

	/* It breaks again: not met, and the time is forgotten. */
	fx_api_401(&e);
	walker_update(w, &e, T0 + 40000);
	assert_int_equal(w->verify[0].state, ANSWER_NO);
	assert_true(w->verify[0].met_since_ms == 0);

	/* No probe result at all: unknown, never met. */
	board_evidence_init(&e);
	walker_update(w, &e, T0 + 50000);
	assert_int_equal(w->verify[0].state, ANSWER_UNKNOWN);
	assert_int_equal(w->verify[1].state, ANSWER_UNKNOWN);
	assert_int_equal(walker_verify_eval(NULL, &e, NULL, 0), ANSWER_UNKNOWN);
	finish(w, rb);
}

/* Questions from another runbook are refused; the overrides table has a bound. */
static void test_refusals(void **state)
{
	(void)state;
	runbook *rb, *other = default_runbook();
	evidence e;
	walker *w = start_on(&rb, &e, fx_api_200, T0);
	assert_false(walker_answer(w, &e, runbook_node(other, "q_401"), ANSWER_YES, T0));
	assert_false(walker_answer(w, &e, NULL, ANSWER_YES, T0));
	assert_int_equal(w->ops.n_overrides, 0);
	for (int k = 0; k < rb->n_nodes; k++)
		assert_true(walker_answer(w, &e, &rb->nodes[k], ANSWER_NO, T0));
	assert_int_equal(w->ops.n_overrides, rb->n_nodes);
	/* A full table refuses a new question but still takes answers to the ones it holds. */
	w->ops.n_overrides = 0;
	while (w->ops.n_overrides < WALKER_MAX_OVERRIDES)
		w->ops.overrides[w->ops.n_overrides++] =
		    (diag_override){.node = &rb->nodes[0], .ans = ANSWER_NO, .at_ms = T0};
	assert_false(walker_answer(w, &e, &rb->nodes[1], ANSWER_YES, T0));
	assert_null(walker_override(w, &rb->nodes[1]));
	assert_true(walker_answer(w, &e, &rb->nodes[0], ANSWER_YES, T0));
	assert_int_equal(walker_override(w, &rb->nodes[0])->ans, ANSWER_YES);
	finish(w, rb);
	runbook_free(other);
}

/*
 * walker_follow takes the diagnosis it is given while the operator has no answers (the tree is
 * not walked a second time), and walks again with answers or with a diagnosis of another
 * runbook. The plain diagnosis given here is of other evidence, so taking it shows.
 */
static void test_follow_takes_the_plain_diagnosis(void **state)
{
	(void)state;
	runbook *rb;
	evidence e, other;
	walker *w = start_on(&rb, &e, fx_api_401, T0 - 60000);
	evidence_with(&other, fx_api_200);
	diagnosis plain;
	diagnose(&other, rb, &plain);
	assert_string_equal(plain.leaf->id, "healthy");
	assert_true(walker_follow(w, &e, &plain, T0));
	assert_ptr_equal(w->diag.leaf, plain.leaf);
	assert_int_equal(memcmp(&w->diag, &plain, sizeof plain), 0);
	assert_string_equal(w->change.to->id, "healthy");

	/* With an answer of the operator's, the walker walks e itself. */
	const rb_node *q401 = runbook_node(rb, "q_401");
	assert_true(walker_answer(w, &e, q401, ANSWER_YES, T0 + 1000));
	assert_string_equal(w->diag.leaf->id, "token-invalid");
	assert_false(walker_follow(w, &e, &plain, T0 + 2000));
	assert_string_equal(w->diag.leaf->id, "token-invalid");
	assert_int_equal(step_of(w, "q_401")->from, DIAG_FROM_OPERATOR);

	/* A diagnosis on another runbook is not taken either. */
	assert_true(walker_answer(w, &e, q401, ANSWER_UNKNOWN, T0 + 3000));
	runbook *rb2 = default_runbook();
	diagnose(&other, rb2, &plain);
	assert_false(walker_follow(w, &e, &plain, T0 + 4000));
	assert_string_equal(w->diag.leaf->id, "token-invalid");
	runbook_free(rb2);
	finish(w, rb);
}

/* Times are said as UTC clock times with seconds. */
static void test_clock(void **state)
{
	(void)state;
	char buf[24];
	walker_clock(T0, buf, sizeof buf);
	assert_string_equal(buf, "14:03:11 UTC");
	walker_clock(0, buf, sizeof buf);
	assert_string_equal(buf, "00:00:00 UTC");
}

/* Run the tests. */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_walks_like_diagnose),
	    cmocka_unit_test(test_override_and_give_back),
	    cmocka_unit_test(test_evidence_changes_unoverridden),
	    cmocka_unit_test(test_evidence_changes_under_override),
	    cmocka_unit_test(test_first_answer_is_no_change),
	    cmocka_unit_test(test_override_off_the_path_is_kept),
	    cmocka_unit_test(test_waiting_question),
	    cmocka_unit_test(test_checklist),
	    cmocka_unit_test(test_verify_turns_met),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_follow_takes_the_plain_diagnosis),
	    cmocka_unit_test(test_clock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
