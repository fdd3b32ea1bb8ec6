/* hsrunbook triage --json against the in-process simulator, for every scenario. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <string.h>
#include <sys/stat.h>

#include "hsr/sim.h"
#include "testutil_impl.h"

static const char *const token_env[] = {"HUBSPOT_ACCESS_TOKEN=pat-na1-test-secret-7781",
					"XDG_CONFIG_HOME=/nonexistent-hsr", NULL};

/* Run triage against s with every probe pointed at it (text when json is false), plus extra. */
static run_result triage_on(sim *s, const char *const *env, const char *timeout, bool json,
			    const char *const *extra)
{
	char status[256], health[256];
	const char *base = sim_base_url(s);
	snprintf(status, sizeof status, "%s%s", base, SIM_STATUS_PATH);
	snprintf(health, sizeof health, "%s%s", base, SIM_HEALTH_PATH);
	const char *argv[20] = {"triage",	"--status-url", status,	     "--api-base", base,
				"--health-url", health,		"--timeout", timeout};
	int n = 9;
	if (json)
		argv[n++] = "--json";
	for (int k = 0; extra && extra[k] && n < 19; k++)
		argv[n++] = extra[k];
	argv[n] = NULL;
	return testutil_run(argv, env, 30000);
}

/* Run triage --json against s, with extra arguments, and parse the output. */
static json_t *triage_json_with(sim *s, const char *const *env, const char *timeout,
				const char *const *extra, run_result *rr)
{
	*rr = triage_on(s, env, timeout, true, extra);
	json_error_t je;
	json_t *j = json_loads(rr->out, 0, &je);
	if (!j)
		fprintf(stderr, "not JSON (%s): stdout=%s stderr=%s\n", je.text, rr->out, rr->err);
	return j;
}

/* Run triage --json against s and parse the output. */
static json_t *triage_json(sim *s, const char *const *env, const char *timeout, run_result *rr)
{
	return triage_json_with(s, env, timeout, NULL, rr);
}

/* The string at a dotted path, or NULL. */
static const char *jstr(json_t *j, const char *a, const char *b)
{
	return json_string_value(json_object_get(json_object_get(j, a), b));
}

/* The integer at a dotted path, or -1 when null/absent. */
static long long jint(json_t *j, const char *a, const char *b)
{
	json_t *v = json_object_get(json_object_get(j, a), b);
	return json_is_integer(v) ? json_integer_value(v) : -1;
}

typedef struct {
	const char *scenario;
	const char *leaf;
	int exit_code;
	long http_status; /* -1 = null */
} scenario_case;

static const scenario_case cases[] = {
    {"healthy", "healthy", 0, 200},
    {"hubspot-outage", "hubspot-outage", 10, 503},
    {"token-revoked", "token-invalid", 11, 401},
    {"token-expired", "token-invalid", 11, 401},
    {"missing-scopes", "missing-scopes", 12, 403},
    {"daily-limit", "rate-limit-daily", 13, 429},
    {"burst-limit", "rate-limit-burst", 14, 429},
    {"server-errors", "hubspot-server-error", 15, 502},
    {"app-down", "app-unhealthy", 17, 200},
    {"oauth", "healthy", 0, 200},
    {"slow", "hubspot-slow", 20, 200},
    {"network-down", "network-down", 21, -1},
    {"api-unreachable", "hubspot-unreachable", 16, -1},
    {"health-actuator", "app-unhealthy", 17, 200},
    {"health-ietf", "app-unhealthy", 17, 200},
    {"health-terminus", "app-unhealthy", 17, 200},
    {"health-aspnet", "app-unhealthy", 17, 200},
    {"health-microprofile", "app-unhealthy", 17, 200},
    {"health-plain", "healthy", 0, 200},
};

/* What triage reports of our app's health in each health-format scenario. */
static const struct {
	const char *scenario;
	const char *state;
	long http_status;
	const char *format;
	int connected; /* -1 null */
	const char *entry;
	const char *message;		    /* a part of hubspot_message; NULL = null */
	long long latency_min, latency_max; /* -1 = null */
} health_cases[] = {
    {"health-actuator", "unhealthy", 503, "actuator", 0, "hubspot", "401 Unauthorized", 180, 243},
    {"health-ietf", "degraded", 200, "ietf", 1, "hubspot:responseTime", "connection limit", 4400,
     4463},
    {"health-terminus", "unhealthy", 503, "terminus", 0, "hubspot", "status code 401", -1, -1},
    {"health-aspnet", "unhealthy", 503, "aspnet", 0, "HubSpot CRM", "401 Unauthorized", 40, 104},
    {"health-microprofile", "unhealthy", 503, "microprofile", 0, "hubspot-api", "connect timed out",
     5000, 5063},
    {"health-plain", "healthy", 200, "plain", -1, NULL, NULL, -1, -1},
};

/* The health fields of a health-format scenario's triage JSON are what its format says. */
static void check_health_format(json_t *j, const char *scenario)
{
	json_t *h = json_object_get(j, "health");
	for (size_t i = 0; i < sizeof health_cases / sizeof health_cases[0]; i++) {
		if (strcmp(health_cases[i].scenario, scenario) != 0)
			continue;
		assert_string_equal(jstr(j, "health", "state"), health_cases[i].state);
		assert_int_equal(jint(j, "health", "http_status"), health_cases[i].http_status);
		assert_string_equal(jstr(j, "health", "format"), health_cases[i].format);
		assert_true(json_is_null(json_object_get(h, "shape")));
		json_t *c = json_object_get(h, "hubspot_connected");
		if (health_cases[i].connected < 0)
			assert_true(json_is_null(c));
		else
			assert_int_equal(json_is_true(c), health_cases[i].connected);
		if (health_cases[i].entry)
			assert_string_equal(jstr(j, "health", "hubspot_entry"),
					    health_cases[i].entry);
		else
			assert_true(json_is_null(json_object_get(h, "hubspot_entry")));
		if (health_cases[i].message)
			assert_non_null(
			    strstr(jstr(j, "health", "hubspot_message"), health_cases[i].message));
		else
			assert_true(json_is_null(json_object_get(h, "hubspot_message")));
		long long lat = jint(j, "health", "hubspot_latency_ms");
		if (lat < health_cases[i].latency_min || lat > health_cases[i].latency_max)
			fail_msg("%s: hubspot_latency_ms %lld not in %lld..%lld", scenario, lat,
				 health_cases[i].latency_min, health_cases[i].latency_max);
		return;
	}
	fail_msg("no health case for %s", scenario);
}

/* Every scenario but hang (tested on its own, for its deadline) has its case above. */
static void test_every_scenario_has_a_case(void **state)
{
	(void)state;
	for (int k = 0; sim_scenarios[k]; k++) {
		bool seen = strcmp(sim_scenarios[k], "hang") == 0;
		for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
			seen = seen || strcmp(cases[c].scenario, sim_scenarios[k]) == 0;
		if (!seen)
			fail_msg("scenario %s has no integration case", sim_scenarios[k]);
	}
}

/* Every scenario lands on its leaf with its exit code and key fields. */
static void test_every_scenario(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const scenario_case *c = &cases[i];
		char err[256];
		sim *s = sim_start(c->scenario, 0, err, sizeof err);
		assert_non_null(s);
		run_result rr;
		json_t *j = triage_json(s, token_env, "8", &rr);
		fprintf(stderr, "  %-15s exit %d leaf %s in %ld ms\n", c->scenario, rr.exit_code,
			j ? jstr(j, "diagnosis", "leaf") : "?", rr.elapsed_ms);
		assert_non_null(j);
		assert_string_equal(jstr(j, "diagnosis", "leaf"), c->leaf);
		assert_int_equal(rr.exit_code, c->exit_code);
		assert_int_equal(jint(j, "api", "http_status"), c->http_status);
		assert_non_null(jstr(j, "diagnosis", "title"));
		assert_true(
		    json_array_size(json_object_get(json_object_get(j, "diagnosis"), "path")) > 0);
		assert_true(
		    json_array_size(json_object_get(json_object_get(j, "diagnosis"), "steps")) > 0);
		/* Every contract key is there, null or not. */
		static const char *const keys[][2] = {
		    {"status", "indicator"},
		    {"status", "incidents"},
		    {"api", "http_status"},
		    {"api", "latency_ms"},
		    {"api", "category"},
		    {"api", "policy_name"},
		    {"api", "correlation_id"},
		    {"rate_limit", "daily"},
		    {"rate_limit", "daily_remaining"},
		    {"rate_limit", "interval_ms"},
		    {"rate_limit", "max"},
		    {"rate_limit", "remaining"},
		    {"rate_limit", "retry_after_s"},
		    {"health", "state"},
		    {"health", "http_status"},
		};
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
			assert_non_null(
			    json_object_get(json_object_get(j, keys[k][0]), keys[k][1]));
		/* The token appears nowhere in what triage prints. */
		assert_null(strstr(rr.out, "test-secret"));
		assert_null(strstr(rr.err, "test-secret"));

		if (strcmp(c->scenario, "healthy") == 0) {
			assert_string_equal(jstr(j, "status", "indicator"), "none");
			assert_int_equal(jint(j, "rate_limit", "daily"), 500000);
			assert_true(jint(j, "rate_limit", "daily_remaining") > 0);
			assert_int_equal(jint(j, "rate_limit", "interval_ms"), 10000);
			assert_int_equal(jint(j, "rate_limit", "max"), 190);
			assert_int_equal(jint(j, "rate_limit", "retry_after_s"), -1);
			assert_non_null(jstr(j, "api", "correlation_id"));
			assert_string_equal(jstr(j, "health", "state"), "healthy");
			/* One API request for connectivity and limits, plus the usage call. */
			assert_int_equal(jint(j, "probes", "api_requests"), 2);
		} else if (strcmp(c->scenario, "hubspot-outage") == 0) {
			assert_string_equal(jstr(j, "status", "indicator"), "major");
			assert_true(json_array_size(json_object_get(json_object_get(j, "status"),
								    "incidents")) >= 1);
		} else if (strcmp(c->scenario, "token-revoked") == 0) {
			assert_string_equal(jstr(j, "api", "category"), "INVALID_AUTHENTICATION");
		} else if (strcmp(c->scenario, "daily-limit") == 0) {
			assert_string_equal(jstr(j, "api", "policy_name"), "DAILY");
			assert_int_equal(jint(j, "rate_limit", "daily_remaining"), 0);
		} else if (strcmp(c->scenario, "burst-limit") == 0) {
			assert_string_equal(jstr(j, "api", "policy_name"), "TEN_SECONDLY_ROLLING");
			assert_true(jint(j, "rate_limit", "retry_after_s") >= 1);
		} else if (strcmp(c->scenario, "server-errors") == 0) {
			assert_null(jstr(j, "api", "category"));
			assert_int_equal(jint(j, "rate_limit", "daily"), -1);
		} else if (strcmp(c->scenario, "oauth") == 0) {
			assert_int_equal(jint(j, "rate_limit", "daily"), -1);
			assert_int_equal(jint(j, "rate_limit", "daily_remaining"), -1);
			assert_int_equal(jint(j, "rate_limit", "max"), 190);
		} else if (strcmp(c->scenario, "app-down") == 0) {
			assert_int_equal(jint(j, "health", "http_status"), 503);
		} else if (strcmp(c->scenario, "slow") == 0) {
			assert_true(jint(j, "api", "latency_ms") > 3000);
			assert_int_equal(jint(j, "probes", "slow_ms"), 3000);
			/* our app's own HubSpot latency is the supporting last step */
			json_t *path = json_object_get(json_object_get(j, "diagnosis"), "path");
			json_t *last = json_array_get(path, json_array_size(path) - 1);
			assert_true(json_is_null(json_object_get(last, "node")));
			assert_string_equal(json_string_value(json_object_get(last, "answer")),
					    "yes");
			assert_non_null(strstr(json_string_value(json_object_get(last, "evidence")),
					       "our app's own HubSpot latency"));
		} else if (strcmp(c->scenario, "network-down") == 0 ||
			   strcmp(c->scenario, "api-unreachable") == 0) {
			bool down = strcmp(c->scenario, "network-down") == 0;
			assert_string_equal(jstr(j, "api", "error_kind"), "connect");
			assert_non_null(strstr(jstr(j, "api", "error"), "without answering"));
			if (down)
				assert_true(json_is_null(
				    json_object_get(json_object_get(j, "status"), "http_status")));
			else
				assert_int_equal(jint(j, "status", "http_status"), 200);
			/* our own health endpoint still answers in both */
			assert_int_equal(jint(j, "health", "http_status"), 200);
		} else if (strncmp(c->scenario, "health-", 7) == 0) {
			check_health_format(j, c->scenario);
		}
		json_decref(j);
		testutil_free(&rr);

		/* The token reached the API paths only. */
		sim_request reqs[64];
		size_t n = sim_requests(s, reqs, 64);
		bool saw_api = false;
		for (size_t k = 0; k < n && k < 64; k++) {
			bool api = strncmp(reqs[k].path, "/crm/", 5) == 0 ||
				   strncmp(reqs[k].path, "/account-info/", 14) == 0;
			if (api)
				saw_api = true;
			else
				assert_false(reqs[k].had_auth);
			if (api)
				assert_true(reqs[k].had_auth);
		}
		assert_true(saw_api);
		sim_stop(s);
	}
}

/* When everything hangs (the API and the status page alike), network-down within the deadline. */
static void test_hang_within_deadline(void **state)
{
	(void)state;
	char err[256];
	sim *s = sim_start("hang", 0, err, sizeof err);
	assert_non_null(s);
	run_result rr;
	json_t *j = triage_json(s, token_env, "2", &rr);
	fprintf(stderr, "  hang: exit %d in %ld ms\n", rr.exit_code, rr.elapsed_ms);
	assert_non_null(j);
	assert_string_equal(jstr(j, "diagnosis", "leaf"), "network-down");
	assert_int_equal(rr.exit_code, 21);
	assert_true(json_is_null(json_object_get(json_object_get(j, "status"), "http_status")));
	assert_true(json_is_null(json_object_get(json_object_get(j, "api"), "http_status")));
	assert_non_null(strstr(jstr(j, "api", "error"), "timed out"));
	assert_true(rr.elapsed_ms < 3500);
	json_decref(j);
	testutil_free(&rr);
	sim_stop(s);
}

/* Run triage --json with the resolver shim preloaded (skips when it was not built). */
static json_t *triage_with_dns_shim(const char *const *argv, run_result *rr)
{
	const char *shim = getenv("HSR_SLOW_DNS");
	if (!shim || access(shim, R_OK) != 0) {
		print_message("HSR_SLOW_DNS not built: DNS test skipped\n");
		skip();
	}
	char preload[600];
	snprintf(preload, sizeof preload, "LD_PRELOAD=%s", shim);
	const char *env[] = {token_env[0], token_env[1], preload,
			     "ASAN_OPTIONS=verify_asan_link_order=0", NULL};
	*rr = testutil_run(argv, env, 40000);
	json_t *j = json_loads(rr->out, 0, NULL);
	assert_non_null(j);
	/* The status page's name fails the same way: nothing answers from this host. */
	assert_string_equal(jstr(j, "diagnosis", "leaf"), "network-down");
	assert_int_equal(rr->exit_code, 21);
	return j;
}

/* A resolver that never answers: the deadline still holds, and the error says DNS. */
static void test_hung_dns_within_deadline(void **state)
{
	(void)state;
	const char *argv[] = {"triage",
			      "--json",
			      "--status-url",
			      "http://status.hsr-test.invalid/api/v2/summary.json",
			      "--api-base",
			      "http://api.hsr-test.invalid",
			      "--timeout",
			      "2",
			      NULL};
	run_result rr;
	json_t *j = triage_with_dns_shim(argv, &rr);
	fprintf(stderr, "  hung DNS: exit %d in %ld ms\n", rr.exit_code, rr.elapsed_ms);
	assert_non_null(strstr(jstr(j, "api", "error"), "DNS lookup for api.hsr-test.invalid"));
	assert_true(rr.elapsed_ms < 4000);
	json_decref(j);
	testutil_free(&rr);
}

/* A name that does not resolve: unreachable, and the error names DNS and the host. */
static void test_dns_failure(void **state)
{
	(void)state;
	const char *argv[] = {"triage",
			      "--json",
			      "--status-url",
			      "http://status.hsr.nx.invalid/api/v2/summary.json",
			      "--api-base",
			      "http://api.hsr.nx.invalid",
			      NULL};
	run_result rr;
	json_t *j = triage_with_dns_shim(argv, &rr);
	assert_non_null(
	    strstr(jstr(j, "api", "error"), "DNS lookup failed for api.hsr.nx.invalid"));
	assert_string_equal(jstr(j, "api", "error_kind"), "dns");
	assert_int_equal(jint(j, "probes", "api_requests"), 0);
	assert_true(rr.elapsed_ms < 3000);
	json_decref(j);
	testutil_free(&rr);
}

/* Without a token the API is unknown, not healthy. */
static void test_no_token_is_unknown(void **state)
{
	(void)state;
	char err[256];
	sim *s = sim_start("healthy", 0, err, sizeof err);
	assert_non_null(s);
	static const char *const env[] = {
	    "HUBSPOT_ACCESS_TOKEN=", "XDG_CONFIG_HOME=/nonexistent-hsr", NULL};
	run_result rr;
	json_t *j = triage_json(s, env, "5", &rr);
	assert_non_null(j);
	assert_string_equal(jstr(j, "diagnosis", "leaf"), "unknown");
	assert_int_equal(rr.exit_code, 18);
	assert_true(json_is_null(json_object_get(json_object_get(j, "api"), "http_status")));
	assert_non_null(strstr(jstr(j, "api", "error"), "HUBSPOT_ACCESS_TOKEN"));
	assert_int_equal(jint(j, "probes", "api_requests"), 0);
	json_decref(j);
	testutil_free(&rr);
	/* No request reached the API at all. */
	sim_request reqs[16];
	size_t n = sim_requests(s, reqs, 16);
	for (size_t k = 0; k < n && k < 16; k++)
		assert_int_not_equal(strncmp(reqs[k].path, "/crm/", 5), 0);
	sim_stop(s);
}

/*
 * No token: with our health endpoint saying HubSpot is not connected (token-revoked's health),
 * the leaf is unknown with a note saying what our app reported; with our app failing on its own
 * (app-down: HTTP 503), app-unhealthy. The text starts with the no-token line.
 */
static void test_no_token_never_blames_our_app(void **state)
{
	(void)state;
	static const char *const env[] = {
	    "HUBSPOT_ACCESS_TOKEN=", "XDG_CONFIG_HOME=/nonexistent-hsr", NULL};
	char err[256];
	sim *s = sim_start("token-revoked", 0, err, sizeof err);
	assert_non_null(s);
	run_result rr;
	json_t *j = triage_json(s, env, "5", &rr);
	assert_non_null(j);
	assert_string_equal(jstr(j, "diagnosis", "leaf"), "unknown");
	assert_int_equal(rr.exit_code, 18);
	assert_false(json_is_true(json_object_get(json_object_get(j, "probes"), "token_set")));
	json_t *notes = json_object_get(json_object_get(j, "diagnosis"), "notes");
	bool said = false;
	for (size_t k = 0; k < json_array_size(notes); k++) {
		const char *n = json_string_value(json_array_get(notes, k));
		said = said || (strstr(n, "Our app reported degraded (HTTP 200) with HubSpot not "
					  "connected") &&
				strstr(n, "not blamed on our app"));
	}
	assert_true(said);
	json_decref(j);
	testutil_free(&rr);

	rr = triage_on(s, env, "5", false, NULL);
	assert_int_equal(rr.exit_code, 18);
	static const char first[] = "no token: the HubSpot API is not being asked; set "
				    "HUBSPOT_ACCESS_TOKEN or --token-file\n";
	assert_memory_equal(rr.out, first, strlen(first));
	testutil_free(&rr);

	assert_int_equal(sim_set_scenario(s, "app-down"), 0);
	j = triage_json(s, env, "5", &rr);
	assert_non_null(j);
	assert_string_equal(jstr(j, "diagnosis", "leaf"), "app-unhealthy");
	assert_int_equal(rr.exit_code, 17);
	assert_int_equal(jint(j, "health", "http_status"), 503);
	json_decref(j);
	testutil_free(&rr);

	/* Everything hangs: our silent health endpoint proves nothing when nothing else answers. */
	assert_int_equal(sim_set_scenario(s, "hang"), 0);
	j = triage_json(s, env, "2", &rr);
	assert_non_null(j);
	assert_string_equal(jstr(j, "diagnosis", "leaf"), "unknown");
	assert_int_equal(rr.exit_code, 18);
	assert_true(rr.elapsed_ms < 3500);
	json_decref(j);
	testutil_free(&rr);
	sim_stop(s);
}

/* slow_ms from the command line reaches the predicate: 4 s is not slow under a 5 s threshold. */
static void test_slow_ms_setting_reaches_the_tree(void **state)
{
	(void)state;
	char err[256];
	sim *s = sim_start("slow", 0, err, sizeof err);
	assert_non_null(s);
	static const char *const extra[] = {"--set", "slow_ms=5000", NULL};
	run_result rr;
	json_t *j = triage_json_with(s, token_env, "8", extra, &rr);
	assert_non_null(j);
	assert_string_equal(jstr(j, "diagnosis", "leaf"), "healthy");
	assert_int_equal(rr.exit_code, 0);
	assert_int_equal(jint(j, "probes", "slow_ms"), 5000);
	assert_true(jint(j, "api", "latency_ms") > 3000);
	json_decref(j);
	testutil_free(&rr);
	sim_stop(s);
}

/* The text path says repeated evidence once; clock times and numbers say whose they are. */
static void test_text_path_and_labels(void **state)
{
	(void)state;
	char err[256];
	sim *s = sim_start("healthy", 0, err, sizeof err);
	assert_non_null(s);
	run_result rr = triage_on(s, token_env, "5", false, NULL);
	assert_int_equal(rr.exit_code, 0);
	/* q_403s repeats q_401's evidence: said once, then "same evidence" */
	assert_non_null(strstr(rr.out, "(HTTP 401)? no: API answered HTTP 200\n"));
	assert_non_null(strstr(rr.out, "(403 MISSING_SCOPES)? no: same evidence\n"));
	/* no token line when a token is set */
	assert_null(strstr(rr.out, "no token"));
	/* A health shape with no framework name never leaves an empty ", " behind. */
	assert_null(strstr(rr.out, ", )"));
	/* the daily reset says its zone (HubSpot's resetsAt, shown in UTC) */
	const char *daily = strstr(rr.out, "daily limit (whole account): ");
	assert_non_null(daily);
	const char *daily_end = strchr(daily, '\n');
	const char *resets = strstr(daily, "; resets ");
	assert_true(resets && resets < daily_end);
	assert_memory_equal(daily_end - 4, " UTC", 4);
	assert_non_null(strstr(rr.out, "our probes' own calls: 2 to the HubSpot API"));
	assert_non_null(strstr(rr.out, "account usage (all private apps"));
	assert_non_null(strstr(rr.out, "API (our call)    HTTP 200 in "));
	assert_non_null(strstr(rr.out, "our app's own HubSpot latency "));
	testutil_free(&rr);

	/* with utc_offset the reset is the account's clock, and its offset is shown */
	static const char *const extra[] = {"--set", "utc_offset=-05:00", NULL};
	rr = triage_on(s, token_env, "5", false, extra);
	assert_int_equal(rr.exit_code, 0);
	assert_non_null(strstr(rr.out, "resets 00:00 account time (account at UTC-05:00)"));
	testutil_free(&rr);

	/* OAuth: no daily headers, and the usage is said to count private apps only */
	assert_int_equal(sim_set_scenario(s, "oauth"), 0);
	rr = triage_on(s, token_env, "5", false, NULL);
	assert_int_equal(rr.exit_code, 0);
	assert_non_null(strstr(rr.out, "counts private apps only"));
	testutil_free(&rr);

	/* an incident's update time says its zone */
	assert_int_equal(sim_set_scenario(s, "hubspot-outage"), 0);
	rr = triage_on(s, token_env, "5", false, NULL);
	assert_int_equal(rr.exit_code, 10);
	const char *inc = strstr(rr.out, "  incident: ");
	assert_non_null(inc);
	const char *eol = strchr(inc, '\n');
	const char *utc = strstr(inc, " UTC, ");
	assert_true(utc && utc < eol);
	testutil_free(&rr);
	sim_stop(s);
}

/* Nothing listens: connection refused is unreachable, said in words. */
static void test_refused(void **state)
{
	(void)state;
	const char *argv[] = {"triage",
			      "--json",
			      "--status-url",
			      "http://127.0.0.1:9/x",
			      "--api-base",
			      "http://127.0.0.1:9",
			      NULL};
	run_result rr = testutil_run(argv, token_env, 20000);
	json_t *j = json_loads(rr.out, 0, NULL);
	assert_non_null(j);
	/* the status page is refused too: nothing answers from this host */
	assert_string_equal(jstr(j, "diagnosis", "leaf"), "network-down");
	assert_int_equal(rr.exit_code, 21);
	assert_non_null(strstr(jstr(j, "api", "error"), "connection refused"));
	assert_string_equal(jstr(j, "health", "state"), "unknown");
	/* Nothing reached HubSpot, so no quota was spent. */
	assert_int_equal(jint(j, "probes", "api_requests"), 0);
	json_decref(j);
	testutil_free(&rr);
}

/* The text report says the same in words. */
static void test_text_report(void **state)
{
	(void)state;
	char err[256], status[256];
	sim *s = sim_start("token-revoked", 0, err, sizeof err);
	assert_non_null(s);
	snprintf(status, sizeof status, "%s%s", sim_base_url(s), SIM_STATUS_PATH);
	const char *argv[] = {"triage",	    "--status-url",  status,
			      "--api-base", sim_base_url(s), NULL};
	run_result rr = testutil_run(argv, token_env, 20000);
	assert_int_equal(rr.exit_code, 11);
	assert_non_null(strstr(rr.out, "HTTP 401"));
	assert_non_null(strstr(rr.out, "token-invalid"));
	assert_non_null(strstr(rr.out, "INVALID_AUTHENTICATION"));
	assert_non_null(strstr(rr.out, "not configured"));
	assert_null(strstr(rr.out, "test-secret"));
	testutil_free(&rr);
	sim_stop(s);
}

/* Usage errors exit 2 with one line; a loose token file is refused. */
static void test_usage_errors(void **state)
{
	(void)state;
	/* The arguments, then what the one line must name (what is wrong, or what to use). */
	static const char *const bad[][5] = {
	    {"triage", "--bogus", NULL, NULL, "unknown option --bogus"},
	    {"triage", "--timeout", "abc", NULL, "whole number of seconds"},
	    {"triage", "--timeout", NULL, NULL, "--timeout needs a value"},
	    {"frobnicate", NULL, NULL, NULL, "\"frobnicate\""},
	    {"--json", NULL, NULL, NULL, "--json goes with triage"},
	    {"triage", "--token", "x", NULL, "HUBSPOT_ACCESS_TOKEN or --token-file"},
	    {"simulate", "--scenario", "nope", NULL, "token-revoked"},
	    {"triage", "--runbook", "/nonexistent/runbook.json", NULL, "/nonexistent/runbook.json"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		run_result rr = testutil_run(bad[i], token_env, 10000);
		assert_int_equal(rr.exit_code, 2);
		assert_non_null(strstr(rr.err, "hsrunbook: "));
		char *nl = strchr(rr.err, '\n');
		assert_non_null(nl);
		assert_true(nl[1] == '\0'); /* one line */
		if (!strstr(rr.err, bad[i][4]))
			fail_msg("%s: the line does not name \"%s\": %s", bad[i][0], bad[i][4],
				 rr.err);
		testutil_free(&rr);
	}
	char path[] = "/tmp/hsr-token-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "pat-na1-x\n", 10), 10);
	close(fd);
	chmod(path, 0644);
	const char *argv[] = {"triage", "--token-file", path, NULL};
	run_result rr = testutil_run(argv, token_env, 10000);
	assert_int_equal(rr.exit_code, 2);
	assert_non_null(strstr(rr.err, "chmod 600"));
	testutil_free(&rr);
	unlink(path);
}

/* A token with a line break would inject a header: refused. */
static void test_env_token_checked(void **state)
{
	(void)state;
	static const char *const env[] = {"HUBSPOT_ACCESS_TOKEN=pat-na1-x\r\nX-Evil: 1",
					  "XDG_CONFIG_HOME=/nonexistent-hsr", NULL};
	const char *argv[] = {"triage", "--api-base", "http://127.0.0.1:9", NULL};
	run_result rr = testutil_run(argv, env, 10000);
	assert_int_equal(rr.exit_code, 2);
	assert_non_null(strstr(rr.err, "HUBSPOT_ACCESS_TOKEN"));
	assert_null(strstr(rr.err, "X-Evil"));
	testutil_free(&rr);
}

/* --log writes what the probes saw to a file, never the token. */
static void test_log_file(void **state)
{
	(void)state;
	char err[256], status[256], log[] = "/tmp/hsr-log-XXXXXX";
	int fd = mkstemp(log);
	assert_true(fd >= 0);
	close(fd);
	sim *s = sim_start("burst-limit", 0, err, sizeof err);
	assert_non_null(s);
	snprintf(status, sizeof status, "%s%s", sim_base_url(s), SIM_STATUS_PATH);
	const char *argv[] = {"triage", "--json",     "--status-url",
			      status,	"--api-base", sim_base_url(s),
			      "--log",	log,	      NULL};
	run_result rr = testutil_run(argv, token_env, 20000);
	assert_int_equal(rr.exit_code, 14);
	FILE *f = fopen(log, "r");
	assert_non_null(f);
	char buf[8192];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_non_null(strstr(buf, "api: HTTP 429"));
	assert_non_null(strstr(buf, "holding back"));
	assert_non_null(strstr(buf, "status: HTTP 200"));
	assert_null(strstr(buf, "test-secret"));
	testutil_free(&rr);
	unlink(log);
	sim_stop(s);
}

/* --help and --version answer and exit 0. */
static void test_help_version(void **state)
{
	(void)state;
	const char *h[] = {"--help", NULL}, *v[] = {"--version", NULL};
	run_result rr = testutil_run(h, NULL, 5000);
	assert_int_equal(rr.exit_code, 0);
	assert_non_null(strstr(rr.out, "triage"));
	assert_non_null(strstr(rr.out, "16 hubspot-unreachable"));
	testutil_free(&rr);
	rr = testutil_run(v, NULL, 5000);
	assert_int_equal(rr.exit_code, 0);
	assert_non_null(strstr(rr.out, "hsrunbook "));
	testutil_free(&rr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_scenario_has_a_case),
	    cmocka_unit_test(test_every_scenario),
	    cmocka_unit_test(test_no_token_never_blames_our_app),
	    cmocka_unit_test(test_slow_ms_setting_reaches_the_tree),
	    cmocka_unit_test(test_text_path_and_labels),
	    cmocka_unit_test(test_hang_within_deadline),
	    cmocka_unit_test(test_no_token_is_unknown),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_text_report),
	    cmocka_unit_test(test_usage_errors),
	    cmocka_unit_test(test_help_version),
	    cmocka_unit_test(test_env_token_checked),
	    cmocka_unit_test(test_log_file),
	    cmocka_unit_test(test_hung_dns_within_deadline),
	    cmocka_unit_test(test_dns_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
