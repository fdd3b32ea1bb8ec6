/* Unit tests for the runbook loader: the embedded default, custom runbooks, and bad files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hsr/board.h"
#include "hsr/diagnose.h"
#include "hsr/predicate.h"
#include "hsr/report.h"
#include "hsr/runbook.h"

#include <jansson.h>

#define MAX_LINES 40

/* Join lines with '\n' into a fresh string, so line k of the text is lines[k - 1]. */
static char *join(const char *const *lines)
{
	size_t n = 1;
	for (int k = 0; lines[k]; k++)
		n += strlen(lines[k]) + 1;
	char *s = calloc(1, n);
	assert_non_null(s);
	for (int k = 0; lines[k]; k++) {
		strcat(s, lines[k]);
		if (lines[k + 1])
			strcat(s, "\n");
	}
	return s;
}

/* ---- the embedded default ---- */

/* The built-in runbook loads and holds every contract leaf with full remediation. */
static void test_default_loads_every_leaf(void **state)
{
	(void)state;
	char err[512] = "x";
	runbook *rb = runbook_load_default(err, sizeof err);
	assert_non_null(rb);
	assert_string_equal(err, "");
	assert_string_equal(rb->name, "built-in");
	assert_non_null(runbook_node(rb, rb->start));
	assert_int_equal(rb->n_leaves, 13);
	for (int k = 0; runbook_leaf_ids[k]; k++) {
		const rb_leaf *l = runbook_leaf(rb, runbook_leaf_ids[k]);
		assert_non_null(l);
		assert_true(runbook_exit_code(l->id) >= 0);
		assert_true(strlen(l->title) > 5);
		assert_true(strlen(l->summary) > 20);
		/* Cause and impact go into a Slack update: a real sentence, not a novel. */
		assert_true(strlen(l->cause) > 30 && strlen(l->cause) < 240);
		assert_true(strlen(l->impact) > 30 && strlen(l->impact) < 240);
		assert_true(strlen(l->escalation) > 20);
		assert_true(l->n_steps >= 4);
		/* P1..P4, and every step with an id and a text. */
		assert_int_equal(strlen(l->severity), 2);
		assert_true(l->severity[0] == 'P' && l->severity[1] >= '1' &&
			    l->severity[1] <= '4');
		for (int s = 0; s < l->n_steps; s++) {
			assert_non_null(l->steps[s].id);
			assert_true(strlen(l->steps[s].text) > 20);
			assert_ptr_equal(runbook_step(l, l->steps[s].id), &l->steps[s]);
		}
	}
	runbook_free(rb);
}

/* The leaves carry the facts an operator needs at 3 a.m. */
static void test_default_remediation_facts(void **state)
{
	(void)state;
	char err[512];
	runbook *rb = runbook_load_default(err, sizeof err);
	assert_non_null(rb);
	struct {
		const char *leaf, *needle;
	} facts[] = {
	    {"token-invalid", "Settings"},
	    {"token-invalid", "Private Apps"},
	    {"missing-scopes", "Scopes"},
	    {"rate-limit-daily", "not UTC"},
	    {"rate-limit-daily", "never retry a DAILY 429"},
	    {"rate-limit-burst", "do handle a TEN_SECONDLY_ROLLING 429"},
	    {"hubspot-server-error", "502 and 504"},
	    {"hubspot-outage", "Subscribe"},
	    {"hubspot-outage", "do not blame HubSpot"},
	    {"hubspot-unreachable", "DNS"},
	    {"hubspot-unreachable", "proxy"},
	    {"hubspot-unreachable", "TLS"},
	    {"app-unhealthy", "circuit breaker"},
	    {"app-unhealthy", "dead-letter queue"},
	    {"unknown", "HUBSPOT_ACCESS_TOKEN"},
	    {"unknown", "--health-url"},
	    {"hubspot-slow", "5 s"},
	    {"hubspot-slow", "retries"},
	    {"hubspot-slow", "time-out"},
	    {"network-down", "DNS"},
	    {"network-down", "HTTPS_PROXY"},
	    {"network-down", "Firewall"},
	    {"network-down", "Egress"},
	    {"token-invalid", "Development › Legacy apps › the app › Auth"},
	    {"token-invalid", "7 days"},
	    {"token-invalid", "public GitHub repository"},
	    {"rate-limit-daily", "midnight in the HubSpot account's time zone"},
	    {"unknown", "477 means the account is being migrated"},
	    {"unknown", "423 means a record is locked"},
	    {"hubspot-outage", "The switch belongs in our app"},
	    {"webhook-failing", "5 s"},
	    {"webhook-failing", "10 times"},
	    {"webhook-failing", "24 hours"},
	    {"webhook-failing", "hsrunbook verify-webhook"},
	    {"webhook-failing", "target URL"},
	};
	for (size_t k = 0; k < sizeof facts / sizeof facts[0]; k++) {
		const rb_leaf *l = runbook_leaf(rb, facts[k].leaf);
		assert_non_null(l);
		bool found = false;
		for (int s = 0; s < l->n_steps; s++)
			found = found || strstr(l->steps[s].text, facts[k].needle) != NULL;
		if (!found)
			fail_msg("leaf %s: no step mentions \"%s\"", facts[k].leaf,
				 facts[k].needle);
	}
	runbook_free(rb);
}

/* Every node asks a known predicate and leads somewhere real. */
static void test_default_nodes_are_sound(void **state)
{
	(void)state;
	char err[512];
	runbook *rb = runbook_load_default(err, sizeof err);
	assert_non_null(rb);
	assert_true(rb->n_nodes >= 12);
	for (int k = 0; k < rb->n_nodes; k++) {
		const rb_node *n = &rb->nodes[k];
		assert_true(n->ask_operator ? n->predicate == NULL
					    : predicate_exists(n->predicate));
		assert_true(strlen(n->question) > 10);
		assert_true(n->question[strlen(n->question) - 1] == '?');
		const char *t[] = {n->yes, n->no, n->unknown};
		for (int j = 0; j < 3; j++)
			if (t[j])
				assert_true(runbook_node(rb, t[j]) || runbook_leaf(rb, t[j]));
	}
	runbook_free(rb);
}

/*
 * The default names the team commands where they fit (each at least once), says how to check
 * a step live where the evidence can, and its texts name no key (the screens own the keys).
 */
static void test_default_commands_and_checks(void **state)
{
	(void)state;
	char err[512];
	runbook *rb = runbook_load_default(err, sizeof err);
	assert_non_null(rb);
	static const char *const commands[] = {"restart", "update-secret", "fallback-on",
					       "fallback-off", "throttle"};
	int used[5] = {0}, verified = 0;
	for (int k = 0; k < rb->n_leaves; k++) {
		const rb_leaf *l = &rb->leaves[k];
		for (int s = 0; s < l->n_steps; s++) {
			const rb_step *st = &l->steps[s];
			for (int c = 0; c < 5; c++)
				used[c] += st->command && strcmp(st->command, commands[c]) == 0;
			verified += st->verify != NULL;
			if (st->verify)
				assert_true(predicate_exists(st->verify + (st->verify[0] == '!')));
			if (st->link)
				assert_memory_equal(st->link, "https://", 8);
			if (strstr(st->text, "press") || strstr(st->text, "Press"))
				fail_msg("leaf %s step %s names a key: %s", l->id, st->id,
					 st->text);
		}
	}
	for (int c = 0; c < 5; c++)
		if (!used[c])
			fail_msg("no step names the team command %s", commands[c]);
	assert_true(verified >= 10);
	/* The token leaf's fix is checked live: the API answering 2xx again. */
	const rb_step *v = runbook_step(runbook_leaf(rb, "token-invalid"), "verify");
	assert_non_null(v);
	assert_string_equal(v->verify, "api.http_2xx");
	runbook_free(rb);
}

/*
 * Triage never lands on webhook-failing by itself: the only way there is the "yes" of a
 * question only the operator answers, and no unknown answer leads there.
 */
static void test_default_webhook_leaf_needs_operator(void **state)
{
	(void)state;
	char err[512];
	runbook *rb = runbook_load_default(err, sizeof err);
	assert_non_null(rb);
	assert_non_null(runbook_leaf(rb, "webhook-failing"));
	int asked = 0;
	for (int k = 0; k < rb->n_nodes; k++) {
		const rb_node *n = &rb->nodes[k];
		bool yes = strcmp(n->yes, "webhook-failing") == 0;
		bool other = strcmp(n->no, "webhook-failing") == 0 ||
			     (n->unknown && strcmp(n->unknown, "webhook-failing") == 0);
		assert_false(other);
		if (yes) {
			assert_true(n->ask_operator);
			assert_non_null(strstr(n->question, "webhook deliveries"));
			asked++;
		}
	}
	assert_int_equal(asked, 1);
	runbook_free(rb);
}

/* The embedded copy is the file on disk (the build re-embeds it when it changes). */
static void test_default_matches_file(void **state)
{
	(void)state;
	char err[512];
	runbook *a = runbook_load_default(err, sizeof err);
	runbook *b = runbook_load_file("screens/runbook/default.json", err, sizeof err);
	if (!b)
		skip(); /* not run from the project root */
	assert_non_null(a);
	assert_int_equal(a->n_nodes, b->n_nodes);
	assert_int_equal(a->n_leaves, b->n_leaves);
	for (int k = 0; k < a->n_leaves; k++) {
		assert_string_equal(a->leaves[k].id, b->leaves[k].id);
		assert_int_equal(a->leaves[k].n_steps, b->leaves[k].n_steps);
		assert_string_equal(a->leaves[k].title, b->leaves[k].title);
		assert_string_equal(a->leaves[k].cause, b->leaves[k].cause);
		assert_string_equal(a->leaves[k].impact, b->leaves[k].impact);
		for (int s = 0; s < a->leaves[k].n_steps; s++) {
			assert_string_equal(a->leaves[k].steps[s].id, b->leaves[k].steps[s].id);
			assert_string_equal(a->leaves[k].steps[s].text, b->leaves[k].steps[s].text);
		}
	}
	for (int k = 0; k < a->n_nodes; k++) {
		assert_string_equal(a->nodes[k].question, b->nodes[k].question);
		assert_int_equal(a->nodes[k].ask_operator, b->nodes[k].ask_operator);
		if (!a->nodes[k].ask_operator)
			assert_string_equal(a->nodes[k].predicate, b->nodes[k].predicate);
	}
	assert_string_equal(b->name, "screens/runbook/default.json");
	runbook_free(a);
	runbook_free(b);
}

/* Exit codes come from the contract, for every id and nothing else. */
static void test_exit_codes(void **state)
{
	(void)state;
	static const struct {
		const char *id;
		int code;
	} want[] = {
	    {"healthy", 0},
	    {"hubspot-outage", 10},
	    {"token-invalid", 11},
	    {"missing-scopes", 12},
	    {"rate-limit-daily", 13},
	    {"rate-limit-burst", 14},
	    {"hubspot-server-error", 15},
	    {"hubspot-unreachable", 16},
	    {"app-unhealthy", 17},
	    {"unknown", 18},
	    {"webhook-failing", 19},
	    {"hubspot-slow", 20},
	    {"network-down", 21},
	};
	int n = 0;
	while (runbook_leaf_ids[n])
		n++;
	assert_int_equal(n, 13);
	for (int k = 0; k < 13; k++) {
		assert_string_equal(runbook_leaf_ids[k], want[k].id);
		assert_int_equal(runbook_exit_code(want[k].id), want[k].code);
	}
	assert_int_equal(runbook_exit_code("Healthy"), -1);
	assert_int_equal(runbook_exit_code("token-expired"), -1);
	assert_int_equal(runbook_exit_code(""), -1);
	assert_int_equal(runbook_exit_code(NULL), -1);
}

/*
 * A team's /1 runbook written before hubspot-slow and network-down (the default of that time,
 * kept in tests/unit/data) still loads, and its tree still answers with the leaves it has.
 */
static void test_old_runbook_without_new_leaves(void **state)
{
	(void)state;
	char err[512] = "";
	runbook *rb =
	    runbook_load_file("tests/unit/data/runbook_v1_before_slow.json", err, sizeof err);
	if (!rb && strstr(err, "cannot open"))
		skip(); /* not run from the project root */
	if (!rb)
		fail_msg("old runbook refused: %s", err);
	assert_int_equal(rb->n_leaves, 10);
	assert_null(runbook_leaf(rb, "hubspot-slow"));
	assert_null(runbook_leaf(rb, "network-down"));
	evidence e;
	board_evidence_init(&e);
	/* A slow 200: the old tree has no slowness question, so it is healthy there. */
	e.api.f = (fetch_info){.done = true,
			       .configured = true,
			       .err = HTTP_OK,
			       .http_status = 200,
			       .latency_ms = 4102,
			       .json_ok = true};
	diagnosis d;
	diagnose(&e, rb, &d);
	assert_string_equal(d.leaf->id, "healthy");
	/* Nothing answers: the old tree's answer for that is hubspot-unreachable. */
	e.api.f = (fetch_info){.done = true, .configured = true, .err = HTTP_ERR_DNS};
	e.status.f = (fetch_info){.done = true, .configured = true, .err = HTTP_ERR_DNS};
	diagnose(&e, rb, &d);
	assert_string_equal(d.leaf->id, "hubspot-unreachable");
	runbook_free(rb);
}

/* ---- a custom runbook ---- */

static const char *const small_runbook[] = {
    "{",
    "  \"format\": \"hsrunbook-runbook/1\",",
    "  \"about\": \"a two-question runbook\",",
    "  \"start\": \"is_401\",",
    "  \"nodes\": [",
    "    {\"id\": \"is_401\", \"question\": \"Token refused?\", \"predicate\": \"api.http_401\",",
    "     \"yes\": \"token-invalid\", \"no\": \"is_ok\", \"unknown\": \"unknown\"},",
    "    {\"id\": \"is_ok\", \"question\": \"All good?\", \"predicate\": \"api.http_2xx\",",
    "     \"yes\": \"healthy\", \"no\": \"unknown\"}",
    "  ],",
    "  \"leaves\": [",
    "    {\"id\": \"token-invalid\", \"title\": \"Bad token\", \"steps\": [\"Rotate it.\"]},",
    "    {\"id\": \"healthy\", \"title\": \"Fine\", \"steps\": [\"Nothing to do.\"]},",
    "    {\"id\": \"unknown\", \"title\": \"No idea\", \"steps\": [\"Look around.\"],",
    "     \"severity\": \"SEV-3\", \"cause\": \"Unknown.\", \"impact\": \"Unclear.\"}",
    "  ]",
    "}",
    NULL,
};

/* A small runbook loads, takes defaults for optional fields, and diagnoses. */
static void test_custom_runbook_diagnoses(void **state)
{
	(void)state;
	char err[512];
	char *text = join(small_runbook);
	runbook *rb = runbook_parse(text, strlen(text), "mine.json", err, sizeof err);
	if (!rb)
		fail_msg("%s", err);
	assert_string_equal(rb->name, "mine.json");
	assert_int_equal(rb->n_nodes, 2);
	assert_int_equal(rb->n_leaves, 3);
	const rb_leaf *ti = runbook_leaf(rb, "token-invalid");
	assert_int_equal(runbook_exit_code(ti->id), 11);
	assert_string_equal(ti->summary, "Bad token"); /* defaults to the title */
	assert_string_equal(ti->cause, "Bad token");
	/* A /1 file: SEV-n read as Pn, steps get ids step-1, step-2, ... */
	assert_string_equal(ti->severity, "P2");
	assert_string_equal(runbook_leaf(rb, "healthy")->severity, "P4");
	assert_string_equal(runbook_leaf(rb, "unknown")->severity, "P3");
	assert_string_equal(ti->steps[0].id, "step-1");
	assert_string_equal(ti->steps[0].text, "Rotate it.");
	assert_null(ti->steps[0].verify);
	assert_null(ti->steps[0].command);
	assert_null(ti->steps[0].link);
	assert_null(runbook_node(rb, "is_ok")->unknown);
	assert_null(runbook_leaf(rb, "missing-scopes"));
	assert_null(runbook_node(rb, "token-invalid"));

	evidence e;
	board_evidence_init(&e);
	e.api.f = (fetch_info){.done = true, .configured = true, .http_status = 401};
	diagnosis d;
	diagnose(&e, rb, &d);
	assert_string_equal(d.leaf->id, "token-invalid");
	assert_int_equal(d.n_steps, 1);
	e.api.f.http_status = 200;
	diagnose(&e, rb, &d);
	assert_string_equal(d.leaf->id, "healthy");
	assert_int_equal(d.n_steps, 2);
	assert_string_equal(d.steps[1].node->id, "is_ok");
	e.api.f.http_status = 404;
	diagnose(&e, rb, &d);
	assert_string_equal(d.leaf->id, "unknown");
	runbook_free(rb);
	free(text);
}

static const char *const small_runbook_v2[] = {
    "{",
    "  \"format\": \"hsrunbook-runbook/2\",",
    "  \"start\": \"is_401\",",
    "  \"nodes\": [",
    "    {\"id\": \"is_401\", \"question\": \"Token refused?\", \"predicate\": \"api.http_401\",",
    "     \"yes\": \"token-invalid\", \"no\": \"ask_hooks\"},",
    "    {\"id\": \"ask_hooks\", \"question\": \"Webhooks failing?\", \"ask\": \"operator\",",
    "     \"yes\": \"app-unhealthy\", \"no\": \"healthy\", \"unknown\": \"healthy\"}",
    "  ],",
    "  \"leaves\": [",
    "    {\"id\": \"token-invalid\", \"title\": \"Bad token\", \"severity\": \"P1\", \"steps\": [",
    "      {\"id\": \"rotate\", \"text\": \"Rotate it.\", \"command\": \"update-secret\",",
    "       \"verify\": \"api.http_2xx\", \"link\": \"https://example.invalid/rotate\"},",
    "      {\"id\": \"outage-over\", \"text\": \"Wait.\", \"verify\": \"!status.incident_active\"}",
    "    ]},",
    "    {\"id\": \"app-unhealthy\", \"title\": \"App\", \"steps\": [{\"id\": \"logs\", \"text\": "
    "\"Logs.\"}]},",
    "    {\"id\": \"healthy\", \"title\": \"Fine\", \"steps\": [{\"id\": \"n\", \"text\": "
    "\"Nothing.\"}]},",
    "    {\"id\": \"unknown\", \"title\": \"No idea\", \"severity\": \"P3\",",
    "     \"steps\": [{\"id\": \"look\", \"text\": \"Look around.\"}]}",
    "  ]",
    "}",
    NULL,
};

/* A /2 runbook: step objects with every field, P1..P4, and a question only the operator answers. */
static void test_v2_runbook(void **state)
{
	(void)state;
	char err[512] = "";
	char *text = join(small_runbook_v2);
	runbook *rb = runbook_parse(text, strlen(text), "v2.json", err, sizeof err);
	if (!rb)
		fail_msg("%s", err);
	const rb_leaf *ti = runbook_leaf(rb, "token-invalid");
	assert_string_equal(ti->severity, "P1");
	assert_string_equal(runbook_leaf(rb, "app-unhealthy")->severity, "P2"); /* default */
	assert_string_equal(runbook_leaf(rb, "healthy")->severity, "P4");	/* default */
	assert_string_equal(runbook_leaf(rb, "unknown")->severity, "P3");
	assert_int_equal(ti->n_steps, 2);
	const rb_step *st = runbook_step(ti, "rotate");
	assert_ptr_equal(st, &ti->steps[0]);
	assert_string_equal(st->text, "Rotate it.");
	assert_string_equal(st->command, "update-secret");
	assert_string_equal(st->verify, "api.http_2xx");
	assert_string_equal(st->link, "https://example.invalid/rotate");
	assert_string_equal(ti->steps[1].verify, "!status.incident_active");
	assert_null(ti->steps[1].command);
	assert_null(ti->steps[1].link);
	assert_null(runbook_step(ti, "nope"));
	const rb_node *ask = runbook_node(rb, "ask_hooks");
	assert_true(ask->ask_operator);
	assert_null(ask->predicate);
	assert_false(runbook_node(rb, "is_401")->ask_operator);

	/* No evidence answers the operator's question: diagnose takes its unknown branch. */
	evidence e;
	board_evidence_init(&e);
	e.api.f = (fetch_info){.done = true, .configured = true, .http_status = 200};
	diagnosis d;
	diagnose(&e, rb, &d);
	assert_string_equal(d.leaf->id, "healthy");
	assert_int_equal(d.n_steps, 2);
	assert_ptr_equal(d.steps[1].node, ask);
	assert_int_equal(d.steps[1].ans, ANSWER_UNKNOWN);
	assert_int_equal(d.steps[1].from, DIAG_WAITING);
	assert_non_null(strstr(d.steps[1].evidence, "only the operator"));
	runbook_free(rb);
	free(text);
}

/*
 * Triage's JSON keeps diagnosis.steps[] as the steps' texts (scripts written for /1 still
 * work) and adds diagnosis.steps_detail[] with each whole step; the path says who answered.
 */
static void test_report_steps(void **state)
{
	(void)state;
	char err[512] = "";
	char *text = join(small_runbook_v2);
	runbook *rb = runbook_parse(text, strlen(text), "v2.json", err, sizeof err);
	assert_non_null(rb);
	evidence e;
	board_evidence_init(&e);
	e.api.f = (fetch_info){.done = true, .configured = true, .http_status = 401};
	diagnosis d;
	diagnose(&e, rb, &d);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	report_json(out, &e, &d);
	fclose(out);
	json_error_t jerr;
	json_t *j = json_loadb(buf, len, 0, &jerr);
	assert_non_null(j);
	json_t *dj = json_object_get(j, "diagnosis");
	assert_string_equal(json_string_value(json_object_get(dj, "severity")), "P1");
	json_t *steps = json_object_get(dj, "steps"), *detail = json_object_get(dj, "steps_detail");
	assert_int_equal(json_array_size(steps), 2);
	assert_int_equal(json_array_size(detail), 2);
	assert_string_equal(json_string_value(json_array_get(steps, 0)), "Rotate it.");
	json_t *s0 = json_array_get(detail, 0), *s1 = json_array_get(detail, 1);
	assert_string_equal(json_string_value(json_object_get(s0, "id")), "rotate");
	assert_string_equal(json_string_value(json_object_get(s0, "text")), "Rotate it.");
	assert_string_equal(json_string_value(json_object_get(s0, "verify")), "api.http_2xx");
	assert_string_equal(json_string_value(json_object_get(s0, "command")), "update-secret");
	assert_string_equal(json_string_value(json_object_get(s0, "link")),
			    "https://example.invalid/rotate");
	assert_true(json_is_null(json_object_get(s1, "command")));
	assert_true(json_is_null(json_object_get(s1, "link")));
	json_t *p0 = json_array_get(json_object_get(dj, "path"), 0);
	assert_string_equal(json_string_value(json_object_get(p0, "source")), "evidence");
	json_decref(j);
	free(buf);

	/* The text report shows the team command a step names. */
	buf = NULL;
	out = open_memstream(&buf, &len);
	report_text(out, &e, &d);
	fclose(out);
	assert_non_null(strstr(buf, "  1. Rotate it.\n     team command: update-secret\n"));
	free(buf);
	runbook_free(rb);
	free(text);
}

/* A /1 file's SEV-5 is P4 (the same banner level as SEV-3..SEV-5 always had). */
static void test_v1_severity_mapping(void **state)
{
	(void)state;
	static const struct {
		const char *sev, *want;
	} map[] = {
	    {"SEV-1", "P1"}, {"SEV-2", "P2"}, {"SEV-3", "P3"}, {"SEV-4", "P4"}, {"SEV-5", "P4"}};
	for (size_t k = 0; k < sizeof map / sizeof map[0]; k++) {
		char text[600], err[512] = "";
		snprintf(
		    text, sizeof text,
		    "{\"format\": \"hsrunbook-runbook/1\", \"start\": \"q\", \"nodes\": "
		    "[{\"id\": \"q\", \"question\": \"Q?\", \"predicate\": \"api.http_2xx\", "
		    "\"yes\": \"unknown\", \"no\": \"unknown\"}], \"leaves\": [{\"id\": "
		    "\"unknown\", \"title\": \"U\", \"severity\": \"%s\", \"steps\": [\"x\"]}]}",
		    map[k].sev);
		runbook *rb = runbook_parse(text, strlen(text), "sev.json", err, sizeof err);
		if (!rb)
			fail_msg("%s: %s", map[k].sev, err);
		assert_string_equal(rb->leaves[0].severity, map[k].want);
		runbook_free(rb);
	}
}

/* ---- bad runbooks: each refusal names the line and what to fix ---- */

typedef struct {
	const char *what;
	int line;
	const char *reason; /* a piece of the error text */
	const char *also;   /* another piece, or NULL */
	const char *lines[MAX_LINES];
} bad_case;

#define HDR "{", "  \"format\": \"hsrunbook-runbook/1\",", "  \"start\": \"q1\","
#define LEAVES                                                                                     \
	"  \"leaves\": [",                                                                         \
	    "    {\"id\": \"token-invalid\", \"title\": \"T\", \"steps\": [\"a\"]},",              \
	    "    {\"id\": \"unknown\", \"title\": \"U\", \"steps\": [\"b\"]}", "  ]", "}"
#define Q1 "    {\"id\": \"q1\", \"question\": \"Q?\", \"predicate\": \"api.http_401\","
/* Format /2: header (lines 1-3), nodes (4-7), a leaf whose steps start on line 10. */
#define HDR2   "{", "  \"format\": \"hsrunbook-runbook/2\",", "  \"start\": \"q1\","
#define NODES2 "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],"
#define TI2    "  \"leaves\": [", "    {\"id\": \"token-invalid\", \"title\": \"T\", \"steps\": ["
#define UNK2                                                                                       \
	"    ]},",                                                                                 \
	    "    {\"id\": \"unknown\", \"title\": \"U\", \"steps\": [{\"id\": \"b\", \"text\": "   \
	    "\"B\"}]}",                                                                            \
	    "  ]", "}"
#define LEAVES2 TI2, "      {\"id\": \"a\", \"text\": \"A\"}", UNK2

static const bad_case bad_cases[] = {
    {"syntax: missing comma",
     5,
     "JSON syntax error",
     "column",
     {"{", "  \"format\": \"hsrunbook-runbook/1\",", "  \"start\": \"q1\",", "  \"nodes\": []",
      "  \"leaves\": []", "}", NULL}},
    {"syntax: trailing garbage after a string",
     3,
     "JSON syntax error",
     NULL,
     {"{", "  \"format\": \"hsrunbook-runbook/1\",", "  \"start\": \"q1\" x,", "}", NULL}},
    {"syntax: duplicate key",
     4,
     "duplicate",
     NULL,
     {"{", "  \"format\": \"hsrunbook-runbook/1\",", "  \"start\": \"q1\",", "  \"start\": \"q2\"",
      "}", NULL}},
    {"empty text", 1, "JSON syntax error", NULL, {"", NULL}},
    {"not an object", 1, "JSON object", NULL, {"[", "  1, 2", "]", NULL}},
    {"missing format",
     1,
     "missing \"format\"",
     "hsrunbook-runbook/2",
     {"{", "  \"start\": \"q1\",", "  \"nodes\": [],", "  \"leaves\": []", "}", NULL}},
    {"wrong format",
     3,
     "unsupported \"format\" \"hsrunbook-runbook/3\"",
     "reads \"hsrunbook-runbook/2\" (and the older \"hsrunbook-runbook/1\")",
     {"{", "  \"start\": \"q1\",", "  \"format\": \"hsrunbook-runbook/3\",", "  \"nodes\": []", "}",
      NULL}},
    {"format not a string",
     2,
     "(not a string)",
     NULL,
     {"{", "  \"format\": 1,", "  \"start\": \"q1\"", "}", NULL}},
    {"missing start",
     1,
     "missing \"start\"",
     NULL,
     {"{", "  \"format\": \"hsrunbook-runbook/1\",", "  \"nodes\": []", "}", NULL}},
    {"start not a string",
     3,
     "\"start\" must be the id",
     NULL,
     {"{", "  \"format\": \"hsrunbook-runbook/1\",", "  \"start\": [\"q1\"]", "}", NULL}},
    {"unknown start",
     3,
     "\"start\" names no node: \"q1\"",
     NULL,
     {HDR, "  \"nodes\": [",
      "    {\"id\": \"q0\", \"question\": \"Q?\", \"predicate\": \"api.http_401\",",
      "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],", LEAVES, NULL}},
    {"start names a leaf",
     3,
     "names the leaf \"unknown\"",
     NULL,
     {"{", "  \"format\": \"hsrunbook-runbook/1\",", "  \"start\": \"unknown\",", "  \"nodes\": [",
      Q1, "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],", LEAVES, NULL}},
    {"nodes missing", 1, "missing \"nodes\"", NULL, {HDR, LEAVES, NULL}},
    {"nodes not an array",
     4,
     "\"nodes\" must be an array",
     NULL,
     {HDR, "  \"nodes\": {", "  },", LEAVES, NULL}},
    {"nodes empty", 4, "\"nodes\" needs 1 to", NULL, {HDR, "  \"nodes\": [],", LEAVES, NULL}},
    {"node not an object",
     7,
     "nodes[1] must be an object",
     NULL,
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\", \"no\": \"unknown\"},",
      "     \"q2\"", "  ],", LEAVES, NULL}},
    {"node without predicate",
     5,
     "node \"q1\" has no \"predicate\": add it",
     NULL,
     {HDR, "  \"nodes\": [", "    {\"id\": \"q1\", \"question\": \"Q?\",",
      "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],", LEAVES, NULL}},
    {"node without id",
     7,
     "nodes[1] has no \"id\"",
     NULL,
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\", \"no\": \"unknown\"},",
      "    {\"question\": \"Q?\", \"predicate\": \"api.http_401\",",
      "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],", LEAVES, NULL}},
    {"node without no",
     5,
     "has no \"no\"",
     NULL,
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\"}", "  ],", LEAVES, NULL}},
    {"unknown predicate",
     7,
     "unknown predicate \"api.http_999\"",
     "api.http_401",
     {HDR, "  \"nodes\": [", "    {\"id\": \"q1\",", "     \"question\": \"Q?\",",
      "     \"predicate\": \"api.http_999\",",
      "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],", LEAVES, NULL}},
    {"unknown predicate without a known prefix",
     5,
     "unknown predicate \"incident\"",
     "status.incident_active",
     {HDR, "  \"nodes\": [",
      "    {\"id\": \"q1\", \"question\": \"Q?\", \"predicate\": \"incident\",",
      "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],", LEAVES, NULL}},
    {"target names nothing",
     8,
     "\"no\" target \"q2\" names no node or leaf",
     NULL,
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\",", "", "     \"no\": \"q2\"}",
      "  ],", LEAVES, NULL}},
    {"target is a contract leaf the file lacks",
     6,
     "leaf \"missing-scopes\", which this runbook does not define",
     "add it to \"leaves\"",
     {HDR, "  \"nodes\": [", Q1,
      "     \"yes\": \"token-invalid\", \"no\": \"unknown\", \"unknown\": \"missing-scopes\"}",
      "  ],", LEAVES, NULL}},
    {"target not a string",
     6,
     "\"yes\" must be a string",
     NULL,
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": true, \"no\": \"unknown\"}", "  ],", LEAVES, NULL}},
    {"question not a string",
     5,
     "node \"q1\": \"question\" must be a string",
     NULL,
     {HDR, "  \"nodes\": [",
      "    {\"id\": \"q1\", \"question\": 5, \"predicate\": \"api.http_401\",",
      "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],", LEAVES, NULL}},
    {"empty question",
     5,
     "\"question\" is empty",
     NULL,
     {HDR, "  \"nodes\": [",
      "    {\"id\": \"q1\", \"question\": \"\", \"predicate\": \"api.http_401\",",
      "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],", LEAVES, NULL}},
    {"misspelt key",
     7,
     "unknown key \"unkown\"",
     "allowed: id, yes, no, unknown",
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\", \"no\": \"unknown\",",
      "     \"unkown\": \"unknown\"}", "  ],", LEAVES, NULL}},
    {"duplicate node id",
     8,
     "duplicate id \"q1\"",
     NULL,
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\", \"no\": \"unknown\"},", "    {",
      "     \"id\": \"q1\", \"question\": \"Q?\", \"predicate\": \"api.http_5xx\",",
      "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],", LEAVES, NULL}},
    {"node named like a leaf",
     8,
     "\"healthy\" is a leaf id",
     NULL,
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\", \"no\": \"unknown\"},", "    {",
      "     \"id\": \"healthy\", \"question\": \"Q?\", \"predicate\": \"api.http_5xx\",",
      "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],", LEAVES, NULL}},
    {"duplicate leaf id",
     10,
     "leaf \"unknown\": duplicate id \"unknown\"",
     NULL,
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],",
      "  \"leaves\": [", "    {\"id\": \"unknown\", \"title\": \"U\", \"steps\": [\"b\"]},",
      "    {\"id\": \"unknown\", \"title\": \"U2\", \"steps\": [\"b\"]}", "  ]", "}", NULL}},
    {"leaf id not in the contract",
     9,
     "\"token-expired\" is not a contract leaf id",
     "use one of: healthy, hubspot-outage, token-invalid",
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-expired\", \"no\": \"unknown\"}", "  ],",
      "  \"leaves\": [", "    {\"id\": \"token-expired\", \"title\": \"T\", \"steps\": [\"a\"]},",
      "    {\"id\": \"unknown\", \"title\": \"U\", \"steps\": [\"b\"]}", "  ]", "}", NULL}},
    {"leaf without title",
     9,
     "leaf \"token-invalid\" has no \"title\"",
     NULL,
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],",
      "  \"leaves\": [", "    {\"id\": \"token-invalid\", \"steps\": [\"a\"]},",
      "    {\"id\": \"unknown\", \"title\": \"U\", \"steps\": [\"b\"]}", "  ]", "}", NULL}},
    {"leaf without steps",
     10,
     "leaf \"unknown\" has no \"steps\"",
     NULL,
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],",
      "  \"leaves\": [", "    {\"id\": \"token-invalid\", \"title\": \"T\", \"steps\": [\"a\"]},",
      "    {\"id\": \"unknown\", \"title\": \"U\"}", "  ]", "}", NULL}},
    {"steps empty",
     11,
     "\"steps\" needs 1 to",
     NULL,
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],",
      "  \"leaves\": [", "    {\"id\": \"token-invalid\", \"title\": \"T\", \"steps\": [\"a\"]},",
      "    {\"id\": \"unknown\", \"title\": \"U\",", "     \"steps\": []}", "  ]", "}", NULL}},
    {"steps not an array",
     9,
     "\"steps\" must be an array",
     NULL,
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],",
      "  \"leaves\": [",
      "    {\"id\": \"token-invalid\", \"title\": \"T\", \"steps\": \"Rotate the token\"},",
      "    {\"id\": \"unknown\", \"title\": \"U\", \"steps\": [\"b\"]}", "  ]", "}", NULL}},
    {"a step that is not a string",
     11,
     "steps[1] must be a non-empty line",
     NULL,
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],",
      "  \"leaves\": [", "    {\"id\": \"token-invalid\", \"title\": \"T\", \"steps\": [",
      "      \"first\",", "      {\"text\": \"second\"}", "    ]},",
      "    {\"id\": \"unknown\", \"title\": \"U\", \"steps\": [\"b\"]}", "  ]", "}", NULL}},
    {"control character in a title",
     9,
     "\"title\" contains a control character",
     NULL,
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],",
      "  \"leaves\": [",
      "    {\"id\": \"token-invalid\", \"title\": \"T\\u001b[2J\", \"steps\": [\"a\"]},",
      "    {\"id\": \"unknown\", \"title\": \"U\", \"steps\": [\"b\"]}", "  ]", "}", NULL}},
    {"NUL inside a string",
     9,
     "is not allowed without JSON_ALLOW_NUL",
     NULL,
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],",
      "  \"leaves\": [",
      "    {\"id\": \"token-invalid\", \"title\": \"T\\u0000x\", \"steps\": [\"a\"]},",
      "    {\"id\": \"unknown\", \"title\": \"U\", \"steps\": [\"b\"]}", "  ]", "}", NULL}},
    {"bad severity",
     11,
     "severity \"P1\" must be one of SEV-1 .. SEV-5",
     NULL,
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],",
      "  \"leaves\": [", "    {\"id\": \"token-invalid\", \"title\": \"T\", \"steps\": [\"a\"]},",
      "    {\"id\": \"unknown\", \"title\": \"U\", \"steps\": [\"b\"],",
      "     \"severity\": \"P1\"}", "  ]", "}", NULL}},
    {"leaf sets its own exit code",
     10,
     "unknown key \"exit_code\"",
     NULL,
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],",
      "  \"leaves\": [", "    {\"id\": \"token-invalid\", \"title\": \"T\", \"steps\": [\"a\"],",
      "     \"exit_code\": 0},", "    {\"id\": \"unknown\", \"title\": \"U\", \"steps\": [\"b\"]}",
      "  ]", "}", NULL}},
    {"the unknown leaf missing",
     8,
     "the leaf \"unknown\" is missing",
     NULL,
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\", \"no\": \"token-invalid\"}",
      "  ],", "  \"leaves\": [",
      "    {\"id\": \"token-invalid\", \"title\": \"T\", \"steps\": [\"a\"]}", "  ]", "}", NULL}},
    {"leaves not an array",
     8,
     "\"leaves\" must be an array",
     NULL,
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],",
      "  \"leaves\": \"none\"", "}", NULL}},
    {"a cycle",
     11,
     "\"no\" leads back to \"q1\", a cycle (q1 -> q2 -> q3 -> q1)",
     "every path must end at a leaf",
     {HDR, "  \"nodes\": [", Q1, "     \"yes\": \"token-invalid\", \"no\": \"q2\"},",
      "    {\"id\": \"q2\", \"question\": \"Q?\", \"predicate\": \"api.http_403\",",
      "     \"yes\": \"token-invalid\", \"no\": \"q3\"},",
      "    {\"id\": \"q3\", \"question\": \"Q?\", \"predicate\": \"api.http_5xx\",",
      "     \"yes\": \"token-invalid\",", "     \"no\": \"q1\"}", "  ],", LEAVES, NULL}},
    /* format /2: steps are objects, severity P1..P4, questions only the operator answers */
    {"/2: a step given as a plain string",
     10,
     "leaf \"token-invalid\": steps[0] must be an object with \"id\" and \"text\"",
     "plain strings are format /1",
     {HDR2, NODES2, TI2, "      \"Rotate the token.\"", UNK2, NULL}},
    {"/2: a step without text",
     11,
     "steps[1] has no \"text\"",
     NULL,
     {HDR2, NODES2, TI2, "      {\"id\": \"a\", \"text\": \"A\"},", "      {\"id\": \"c\"}", UNK2,
      NULL}},
    {"/2: a step without id",
     10,
     "steps[0] has no \"id\"",
     NULL,
     {HDR2, NODES2, TI2, "      {\"text\": \"A\"}", UNK2, NULL}},
    {"/2: a misspelt step key",
     11,
     "steps[0]: unknown key \"verfy\"",
     "allowed: id, text, verify, command, link",
     {HDR2, NODES2, TI2, "      {\"id\": \"a\", \"text\": \"A\",",
      "       \"verfy\": \"api.http_2xx\"}", UNK2, NULL}},
    {"/2: verify names an unknown predicate",
     11,
     "steps[0]: unknown predicate \"api.http_200\"",
     "api.http_2xx",
     {HDR2, NODES2, TI2, "      {\"id\": \"a\", \"text\": \"A\",",
      "       \"verify\": \"api.http_200\"}", UNK2, NULL}},
    {"/2: a negated verify names an unknown predicate",
     12,
     "unknown predicate \"status.incident\"",
     "status.incident_active",
     {HDR2, NODES2, TI2, "      {\"id\": \"a\", \"text\": \"A\",",
      "       \"command\": \"restart\",", "       \"verify\": \"!status.incident\"}", UNK2, NULL}},
    {"/2: duplicate step ids in a leaf",
     12,
     "duplicate step id \"a\"",
     "unique within a leaf",
     {HDR2, NODES2, TI2, "      {\"id\": \"a\", \"text\": \"A\"},", "",
      "      {\"id\": \"a\", \"text\": \"A again\"}", UNK2, NULL}},
    {"/2: a step id with a space",
     10,
     "id \"a b\" must be 1 to 64 letters",
     NULL,
     {HDR2, NODES2, TI2, "      {\"id\": \"a b\", \"text\": \"A\"}", UNK2, NULL}},
    {"/2: a link that is not http(s)",
     11,
     "link \"javascript:alert(1)\" must be an https://",
     NULL,
     {HDR2, NODES2, TI2, "      {\"id\": \"a\", \"text\": \"A\",",
      "       \"link\": \"javascript:alert(1)\"}", UNK2, NULL}},
    {"/2: a link with no host",
     11,
     "link \"https://\" must be",
     NULL,
     {HDR2, NODES2, TI2, "      {\"id\": \"a\", \"text\": \"A\",", "       \"link\": \"https://\"}",
      UNK2, NULL}},
    {"/2: a command that is not a name",
     11,
     "command \"restart now\" must be a name",
     "command.NAME",
     {HDR2, NODES2, TI2, "      {\"id\": \"a\", \"text\": \"A\",",
      "       \"command\": \"restart now\"}", UNK2, NULL}},
    {"/2: a SEV-n severity",
     11,
     "severity \"SEV-1\" must be one of P1, P2, P3, P4",
     NULL,
     {HDR2, NODES2, "  \"leaves\": [",
      "    {\"id\": \"token-invalid\", \"title\": \"T\", \"steps\": [{\"id\": \"a\", \"text\": "
      "\"A\"}]},",
      "    {\"id\": \"unknown\", \"title\": \"U\", \"steps\": [{\"id\": \"b\", \"text\": \"B\"}],",
      "     \"severity\": \"SEV-1\"}", "  ]", "}", NULL}},
    {"/2: severity P5",
     9,
     "severity \"P5\" must be one of P1, P2, P3, P4",
     NULL,
     {HDR2, NODES2, "  \"leaves\": [",
      "    {\"id\": \"token-invalid\", \"title\": \"T\", \"severity\": \"P5\", \"steps\": "
      "[{\"id\": "
      "\"a\", \"text\": \"A\"}]},",
      "    {\"id\": \"unknown\", \"title\": \"U\", \"steps\": [{\"id\": \"b\", \"text\": \"B\"}]}",
      "  ]", "}", NULL}},
    {"/2: ask is not operator",
     5,
     "\"ask\" must be \"operator\"",
     NULL,
     {HDR2, "  \"nodes\": [", "    {\"id\": \"q1\", \"question\": \"Q?\", \"ask\": \"evidence\",",
      "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],", LEAVES2, NULL}},
    {"/2: ask with a predicate",
     6,
     "has no \"predicate\": remove one of them",
     NULL,
     {HDR2, "  \"nodes\": [", "    {\"id\": \"q1\", \"question\": \"Q?\", \"ask\": \"operator\",",
      "     \"predicate\": \"api.http_401\",",
      "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],", LEAVES2, NULL}},
    {"/2: a node with neither ask nor predicate",
     5,
     "node \"q1\" has no \"predicate\": add it",
     NULL,
     {HDR2, "  \"nodes\": [", "    {\"id\": \"q1\", \"question\": \"Q?\",",
      "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],", LEAVES2, NULL}},
    {"/1: ask is a /2 key",
     5,
     "unknown key \"ask\"",
     NULL,
     {HDR, "  \"nodes\": [", "    {\"id\": \"q1\", \"question\": \"Q?\", \"ask\": \"operator\",",
      "     \"yes\": \"token-invalid\", \"no\": \"unknown\"}", "  ],", LEAVES, NULL}},
    {"a node that loops to itself on unknown",
     6,
     "\"unknown\" leads back to \"q1\", a cycle (q1 -> q1)",
     NULL,
     {HDR, "  \"nodes\": [", Q1,
      "     \"yes\": \"token-invalid\", \"no\": \"unknown\", \"unknown\": \"q1\"}", "  ],", LEAVES,
      NULL}},
};

/* Each bad runbook is refused with "NAME:LINE: reason". */
static void test_bad_runbooks(void **state)
{
	(void)state;
	int failures = 0;
	for (size_t k = 0; k < sizeof bad_cases / sizeof bad_cases[0]; k++) {
		const bad_case *c = &bad_cases[k];
		char *text = join(c->lines);
		char err[512] = "";
		runbook *rb = runbook_parse(text, strlen(text), "bad.json", err, sizeof err);
		char prefix[32];
		snprintf(prefix, sizeof prefix, "bad.json:%d: ", c->line);
		if (rb) {
			print_error("%s: accepted\n", c->what);
			failures++;
			runbook_free(rb);
		} else if (strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, c->reason) ||
			   (c->also && !strstr(err, c->also)) || strchr(err, '\n')) {
			print_error("%s: want \"%s...%s\", got \"%s\"\n", c->what, prefix,
				    c->reason, err);
			failures++;
		}
		free(text);
	}
	assert_int_equal(failures, 0);
}

/* A tree deeper than diagnose() walks is refused; one just inside the bound is fine. */
static void test_depth_bound(void **state)
{
	(void)state;
	for (int depth = DIAG_MAX_STEPS; depth <= DIAG_MAX_STEPS + 1; depth++) {
		char *text = malloc(64 * 1024);
		assert_non_null(text);
		int n = sprintf(text, "{\"format\": \"hsrunbook-runbook/1\",\n\"start\": \"n0\",\n"
				      "\"nodes\": [\n");
		for (int k = 0; k < depth; k++) {
			char next[16];
			if (k + 1 < depth)
				snprintf(next, sizeof next, "n%d", k + 1);
			else
				snprintf(next, sizeof next, "healthy");
			n += sprintf(text + n,
				     "{\"id\": \"n%d\", \"question\": \"Q%d?\", \"predicate\": "
				     "\"api.http_5xx\", \"yes\": \"unknown\", \"no\": \"%s\"}%s\n",
				     k, k, next, k + 1 < depth ? "," : "");
		}
		sprintf(text + n, "],\n\"leaves\": [{\"id\": \"healthy\", \"title\": \"H\", "
				  "\"steps\": [\"x\"]},\n{\"id\": \"unknown\", \"title\": \"U\", "
				  "\"steps\": [\"y\"]}]}\n");
		char err[512] = "";
		runbook *rb = runbook_parse(text, strlen(text), "deep.json", err, sizeof err);
		if (depth <= DIAG_MAX_STEPS) {
			if (!rb)
				fail_msg("depth %d refused: %s", depth, err);
			evidence e;
			board_evidence_init(&e);
			e.api.f =
			    (fetch_info){.done = true, .configured = true, .http_status = 200};
			diagnosis d;
			diagnose(&e, rb, &d);
			assert_string_equal(d.leaf->id, "healthy");
			assert_int_equal(d.n_steps, depth);
			runbook_free(rb);
		} else {
			assert_null(rb);
			assert_non_null(strstr(err, "deep.json:2: the tree is 25 questions deep"));
		}
		free(text);
	}
}

/* Files: errors carry the path; missing files and directories are refused clearly. */
static void test_load_files(void **state)
{
	(void)state;
	char err[512] = "";
	assert_null(runbook_load_file("tests/unit/data/no-such-runbook.json", err, sizeof err));
	assert_non_null(strstr(err, "tests/unit/data/no-such-runbook.json: cannot open"));
	assert_non_null(strstr(err, "No such file"));
	assert_null(runbook_load_file("tests/unit/data", err, sizeof err));
	assert_non_null(strstr(err, "tests/unit/data: cannot read"));

	runbook *rb =
	    runbook_load_file("tests/unit/data/runbook_bad_predicate.json", err, sizeof err);
	assert_null(rb);
	assert_non_null(strstr(err, "tests/unit/data/runbook_bad_predicate.json:19: node "
				    "\"is_throttled\": unknown predicate \"api.http_429s\""));
	assert_non_null(strstr(err, "api.http_429"));

	rb = runbook_load_file("tests/unit/data/runbook_cycle.json", err, sizeof err);
	assert_null(rb);
	assert_non_null(strstr(err, "tests/unit/data/runbook_cycle.json:18: node \"ask_status\": "
				    "\"unknown\" leads back to \"ask_token\""));

	rb = runbook_load_file("tests/unit/data/runbook_v2_bad_verify.json", err, sizeof err);
	assert_null(rb);
	assert_non_null(strstr(err,
			       "tests/unit/data/runbook_v2_bad_verify.json:13: leaf "
			       "\"token-invalid\": steps[1]: unknown predicate \"api.http_200\""));
	assert_non_null(strstr(err, "api.http_2xx"));

	rb = runbook_load_file("tests/unit/data/runbook_trailing_comma.json", err, sizeof err);
	assert_null(rb);
	assert_non_null(strstr(err, "tests/unit/data/runbook_trailing_comma.json:11: JSON syntax"));
}

/* NULL and odd inputs do not crash. */
static void test_null_inputs(void **state)
{
	(void)state;
	char err[256];
	assert_null(runbook_parse(NULL, 10, NULL, err, sizeof err));
	assert_non_null(strstr(err, "runbook:1: JSON syntax error"));
	assert_null(runbook_parse("{}", 2, "x", NULL, 0));
	runbook_free(NULL);
	assert_null(runbook_leaf(NULL, "unknown"));
	assert_null(runbook_node(NULL, "q"));
	/* A text cut short is judged on its length, not on a terminating NUL. */
	const char *full = "{\"format\": \"hsrunbook-runbook/1\"}";
	assert_null(runbook_parse(full, 10, "cut", err, sizeof err));
	assert_non_null(strstr(err, "cut:1: JSON syntax error"));
	/* A tiny error buffer still gets a terminated prefix. */
	char tiny[8];
	assert_null(runbook_parse("[]", 2, "a-long-name.json", tiny, sizeof tiny));
	assert_int_equal(strlen(tiny), 7);
}

/* Run the tests. */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_loads_every_leaf),
	    cmocka_unit_test(test_default_remediation_facts),
	    cmocka_unit_test(test_default_nodes_are_sound),
	    cmocka_unit_test(test_default_webhook_leaf_needs_operator),
	    cmocka_unit_test(test_default_commands_and_checks),
	    cmocka_unit_test(test_default_matches_file),
	    cmocka_unit_test(test_exit_codes),
	    cmocka_unit_test(test_old_runbook_without_new_leaves),
	    cmocka_unit_test(test_custom_runbook_diagnoses),
	    cmocka_unit_test(test_v2_runbook),
	    cmocka_unit_test(test_v1_severity_mapping),
	    cmocka_unit_test(test_report_steps),
	    cmocka_unit_test(test_bad_runbooks),
	    cmocka_unit_test(test_depth_bound),
	    cmocka_unit_test(test_load_files),
	    cmocka_unit_test(test_null_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
