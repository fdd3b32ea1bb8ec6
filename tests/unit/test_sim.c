/* Unit tests for the embedded simulator, talking to it with plain libcurl. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <curl/curl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hsr/sim.h"

#define TOKEN "pat-na1-11111111-2222-3333-4444-555555555555"

/* One finished request: status, body, raw header block, timing. */
typedef struct {
	CURLcode rc;
	long status;
	long elapsed_ms;
	char *body;
	size_t len;
	char headers[8192];
	size_t hlen;
} fetch_t;

/* Append received body bytes. */
static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
	fetch_t *f = ud;
	size_t k = sz * n;
	char *nb = realloc(f->body, f->len + k + 1);
	if (!nb)
		return 0;
	memcpy(nb + f->len, p, k);
	f->body = nb;
	f->len += k;
	f->body[f->len] = '\0';
	return k;
}

/* Append received header lines (a new status line starts the block over). */
static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
	fetch_t *f = ud;
	size_t k = sz * n;
	if (k >= 5 && strncmp(p, "HTTP/", 5) == 0)
		f->hlen = 0;
	if (f->hlen + k < sizeof f->headers) {
		memcpy(f->headers + f->hlen, p, k);
		f->hlen += k;
		f->headers[f->hlen] = '\0';
	}
	return k;
}

/* Make one request; method NULL = GET, "HEAD" = no body; body != NULL is sent. */
static CURLcode fetch(const char *url, const char *method, bool auth, const char *body,
		      long timeout_ms, fetch_t *f)
{
	memset(f, 0, sizeof *f);
	CURL *c = curl_easy_init();
	assert_non_null(c);
	struct curl_slist *h = NULL;
	if (auth)
		h = curl_slist_append(h, "Authorization: Bearer " TOKEN);
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, f);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (method && strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	else if (method)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	f->rc = curl_easy_perform(c);
	clock_gettime(CLOCK_MONOTONIC, &b);
	f->elapsed_ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &f->status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return f->rc;
}

/* Free a fetch's body. */
static void fetch_free(fetch_t *f)
{
	free(f->body);
	f->body = NULL;
}

/* The value of header name (case-insensitive) into out; false when absent. */
static bool hdr(const fetch_t *f, const char *name, char *out, size_t outsz)
{
	size_t nl = strlen(name);
	const char *p = f->headers;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t ll = eol ? (size_t)(eol - p) : strlen(p);
		if (ll > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1;
			while (*v == ' ')
				v++;
			size_t vl = (size_t)(p + ll - v);
			while (vl > 0 && (v[vl - 1] == '\r' || v[vl - 1] == ' '))
				vl--;
			if (vl >= outsz)
				vl = outsz - 1;
			memcpy(out, v, vl);
			out[vl] = '\0';
			return true;
		}
		if (!eol)
			break;
		p = eol + 1;
	}
	return false;
}

/* A header's value as a number; -1 when absent. */
static long long hdr_num(const fetch_t *f, const char *name)
{
	char v[64];
	if (!hdr(f, name, v, sizeof v))
		return -1;
	char *end;
	long long n = strtoll(v, &end, 10);
	assert_true(end != v && *end == '\0');
	return n;
}

/* Whether s looks like 8-4-4-4-12 lowercase hex. */
static bool looks_like_uuid(const char *s)
{
	static const int groups[] = {8, 4, 4, 4, 12};
	for (int g = 0; g < 5; g++) {
		for (int i = 0; i < groups[g]; i++, s++)
			if (!isxdigit((unsigned char)*s))
				return false;
		if (g < 4 && *s++ != '-')
			return false;
	}
	return *s == '\0';
}

/* Parse the body as JSON, failing the test when it is not. */
static json_t *body_json(const fetch_t *f)
{
	assert_non_null(f->body);
	json_error_t e;
	json_t *j = json_loads(f->body, 0, &e);
	if (!j)
		fail_msg("body is not JSON (%s): %.200s", e.text, f->body);
	return j;
}

/* Build base + path into buf. */
static const char *url(const sim *s, const char *path, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%s%s", sim_base_url(s), path);
	return buf;
}

/* A string member along a dotted path of object keys; NULL when absent or not a string. */
static const char *jstr(json_t *j, const char *k1, const char *k2)
{
	json_t *v = json_object_get(j, k1);
	if (k2)
		v = json_object_get(v, k2);
	return json_string_value(v);
}

/* Parse ISO 8601 UTC "YYYY-MM-DDTHH:MM:SS.mmmZ" into epoch seconds; -1 on a bad string. */
static long long iso_secs(const char *s)
{
	struct tm tm = {0};
	int ms = 0;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			 &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) != 7)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (long long)timegm(&tm);
}

/* Milliseconds on the monotonic clock. */
static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Each test gets a fresh sim on an ephemeral port. */
static int sim_setup(void **state)
{
	char err[200];
	sim *s = sim_start("healthy", 0, err, sizeof err);
	if (!s)
		fail_msg("sim_start: %s", err);
	*state = s;
	return 0;
}

/* Stop the test's sim. */
static int sim_teardown(void **state)
{
	sim_stop(*state);
	return 0;
}

/* The scenario table: exact names, exact order, exact matching. */
static void test_scenario_names(void **state)
{
	(void)state;
	static const char *want[] = {"healthy",
				     "hubspot-outage",
				     "token-revoked",
				     "token-expired",
				     "missing-scopes",
				     "daily-limit",
				     "burst-limit",
				     "server-errors",
				     "slow",
				     "hang",
				     "app-down",
				     "oauth",
				     "network-down",
				     "api-unreachable",
				     "health-actuator",
				     "health-ietf",
				     "health-terminus",
				     "health-aspnet",
				     "health-microprofile",
				     "health-plain"};
	size_t n = 0;
	while (sim_scenarios[n])
		n++;
	assert_int_equal(n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(sim_scenarios[i], want[i]);
		assert_true(sim_scenario_exists(want[i]));
	}
	assert_false(sim_scenario_exists(NULL));
	assert_false(sim_scenario_exists(""));
	assert_false(sim_scenario_exists("Healthy"));
	assert_false(sim_scenario_exists("healthy "));
	assert_false(sim_scenario_exists("hang\n"));
	assert_false(sim_scenario_exists("token"));
}

/* An unknown scenario at start gives NULL and a one-line reason naming it. */
static void test_start_refuses_unknown_scenario(void **state)
{
	(void)state;
	char err[200] = "";
	assert_null(sim_start("meltdown", 0, err, sizeof err));
	assert_non_null(strstr(err, "meltdown"));
	assert_null(strchr(err, '\n'));
}

/* A port already in use gives NULL and a one-line reason naming the port. */
static void test_start_refuses_taken_port(void **state)
{
	sim *a = *state;
	char err[200] = "";
	sim *b = sim_start("healthy", sim_port(a), err, sizeof err);
	if (b)
		sim_stop(b);
	assert_null(b);
	char port[16];
	snprintf(port, sizeof port, "%u", (unsigned)sim_port(a));
	assert_non_null(strstr(err, port));
	assert_null(strchr(err, '\n'));
}

/* Two sims run side by side on their own ports, scenarios and logs. */
static void test_two_sims_different_ports(void **state)
{
	sim *a = *state;
	char err[200];
	sim *b = sim_start("token-revoked", 0, err, sizeof err);
	assert_non_null(b);
	assert_int_not_equal(sim_port(a), 0);
	assert_int_not_equal(sim_port(b), 0);
	assert_int_not_equal(sim_port(a), sim_port(b));
	char want[64];
	snprintf(want, sizeof want, "http://127.0.0.1:%u", (unsigned)sim_port(b));
	assert_string_equal(sim_base_url(b), want);

	char u[256];
	fetch_t f;
	assert_int_equal(fetch(url(a, "/crm/v3/objects/contacts?limit=1", u, sizeof u), NULL, true,
			       NULL, 5000, &f),
			 CURLE_OK);
	assert_int_equal(f.status, 200);
	fetch_free(&f);
	assert_int_equal(fetch(url(b, "/crm/v3/objects/contacts?limit=1", u, sizeof u), NULL, true,
			       NULL, 5000, &f),
			 CURLE_OK);
	assert_int_equal(f.status, 401);
	fetch_free(&f);
	assert_int_equal(sim_requests(a, NULL, 0), 1);
	assert_int_equal(sim_requests(b, NULL, 0), 1);
	sim_stop(b);
}

/* healthy: the status page is all operational with no incident under way. */
static void test_healthy_status_page(void **state)
{
	sim *s = *state;
	char u[256];
	fetch_t f;
	assert_int_equal(fetch(url(s, SIM_STATUS_PATH, u, sizeof u), NULL, false, NULL, 5000, &f),
			 CURLE_OK);
	assert_int_equal(f.status, 200);
	char ct[64];
	assert_true(hdr(&f, "Content-Type", ct, sizeof ct));
	assert_non_null(strstr(ct, "application/json"));
	json_t *j = body_json(&f);
	assert_string_equal(jstr(j, "status", "indicator"), "none");
	assert_string_equal(jstr(j, "status", "description"), "All Systems Operational");
	assert_string_equal(jstr(j, "page", "name"), "HubSpot");
	assert_int_equal(json_array_size(json_object_get(j, "incidents")), 0);
	assert_true(json_is_array(json_object_get(j, "scheduled_maintenances")));
	json_t *comps = json_object_get(j, "components");
	assert_true(json_array_size(comps) >= 4);
	bool crm = false;
	size_t i;
	json_t *c;
	json_array_foreach(comps, i, c)
	{
		assert_non_null(jstr(c, "name", NULL));
		assert_string_equal(jstr(c, "status", NULL), "operational");
		if (strcmp(jstr(c, "name", NULL), "CRM API") == 0)
			crm = true;
	}
	assert_true(crm);
	json_t *m;
	json_array_foreach(json_object_get(j, "scheduled_maintenances"), i, m)
	{
		const char *st = jstr(m, "status", NULL);
		assert_non_null(st);
		assert_string_not_equal(st, "in_progress");
	}
	json_decref(j);
	fetch_free(&f);
}

/* healthy: API, usage and details answers, headers, burn counting, HEAD. */
static void test_healthy_api(void **state)
{
	sim *s = *state;
	char u[256], v[128];
	fetch_t f;
	url(s, "/crm/v3/objects/contacts?limit=1&archived=false", u, sizeof u);
	assert_int_equal(fetch(u, NULL, true, NULL, 5000, &f), CURLE_OK);
	assert_int_equal(f.status, 200);
	assert_true(hdr(&f, "Content-Type", v, sizeof v));
	assert_non_null(strstr(v, "application/json"));
	assert_int_equal(hdr_num(&f, "X-HubSpot-RateLimit-Daily"), 500000);
	long long left1 = hdr_num(&f, "X-HubSpot-RateLimit-Daily-Remaining");
	assert_true(left1 > 400000 && left1 < 500000);
	assert_int_equal(hdr_num(&f, "X-HubSpot-RateLimit-Interval-Milliseconds"), 10000);
	assert_int_equal(hdr_num(&f, "X-HubSpot-RateLimit-Max"), 190);
	long long burst1 = hdr_num(&f, "X-HubSpot-RateLimit-Remaining");
	assert_true(burst1 > 150 && burst1 < 190);
	assert_false(hdr(&f, "Retry-After", v, sizeof v));
	assert_true(hdr(&f, "X-HubSpot-Correlation-Id", v, sizeof v));
	assert_true(looks_like_uuid(v));
	char corr1[64];
	strcpy(corr1, v);

	json_t *j = body_json(&f);
	json_t *r0 = json_array_get(json_object_get(j, "results"), 0);
	assert_string_equal(jstr(r0, "id", NULL), "51");
	assert_non_null(jstr(r0, "properties", "email"));
	assert_true(iso_secs(jstr(r0, "createdAt", NULL)) > 0);
	assert_non_null(json_object_get(json_object_get(j, "paging"), "next"));
	json_decref(j);
	fetch_free(&f);

	/* The daily budget burns by one per call; correlation ids differ. */
	assert_int_equal(fetch(u, NULL, true, NULL, 5000, &f), CURLE_OK);
	assert_int_equal(hdr_num(&f, "X-HubSpot-RateLimit-Daily-Remaining"), left1 - 1);
	assert_int_equal(hdr_num(&f, "X-HubSpot-RateLimit-Remaining"), burst1 - 1);
	assert_true(hdr(&f, "X-HubSpot-Correlation-Id", v, sizeof v));
	assert_string_not_equal(v, corr1);
	fetch_free(&f);

	/* HEAD carries the headers too (the shell runbook's `curl -sI`). */
	assert_int_equal(fetch(u, "HEAD", true, NULL, 5000, &f), CURLE_OK);
	assert_int_equal(f.status, 200);
	assert_int_equal(hdr_num(&f, "X-HubSpot-RateLimit-Daily-Remaining"), left1 - 2);
	assert_int_equal(f.len, 0);
	fetch_free(&f);

	/* The usage endpoint counts the same burn. */
	assert_int_equal(fetch(url(s, "/account-info/v3/api-usage/daily/private-apps", u, sizeof u),
			       NULL, true, NULL, 5000, &f),
			 CURLE_OK);
	assert_int_equal(f.status, 200);
	j = body_json(&f);
	json_t *res = json_array_get(json_object_get(j, "results"), 0);
	assert_string_equal(jstr(res, "name", NULL), "private-apps-api-calls-daily");
	assert_int_equal(json_integer_value(json_object_get(res, "usageLimit")), 500000);
	assert_int_equal(json_integer_value(json_object_get(res, "currentUsage")),
			 500000 - (left1 - 2));
	assert_string_equal(jstr(res, "fetchStatus", NULL), "SUCCESS");
	long long resets = iso_secs(jstr(res, "resetsAt", NULL));
	long long now = (long long)time(NULL);
	assert_true(resets > now && resets <= now + 86400);
	/* Midnight US/Eastern (-05:00) is 05:00 UTC. */
	assert_int_equal(resets % 86400, 5 * 3600);
	json_decref(j);
	fetch_free(&f);

	assert_int_equal(
	    fetch(url(s, "/account-info/v3/details", u, sizeof u), NULL, true, NULL, 5000, &f),
	    CURLE_OK);
	assert_int_equal(f.status, 200);
	j = body_json(&f);
	assert_string_equal(jstr(j, "timeZone", NULL), "US/Eastern");
	assert_string_equal(jstr(j, "utcOffset", NULL), "-05:00");
	assert_true(json_integer_value(json_object_get(j, "portalId")) > 0);
	json_decref(j);
	fetch_free(&f);
}

/* healthy: health shape A; unknown paths get JSON 404; POST gets 405. */
static void test_healthy_health_and_404(void **state)
{
	sim *s = *state;
	char u[256];
	fetch_t f;
	assert_int_equal(fetch(url(s, SIM_HEALTH_PATH, u, sizeof u), NULL, false, NULL, 5000, &f),
			 CURLE_OK);
	assert_int_equal(f.status, 200);
	json_t *j = body_json(&f);
	assert_string_equal(jstr(j, "status", NULL), "healthy");
	json_t *hs = json_object_get(json_object_get(j, "services"), "hubspot");
	assert_true(json_is_true(json_object_get(hs, "connected")));
	assert_true(json_is_integer(json_object_get(hs, "latencyMs")));
	assert_true(iso_secs(jstr(j, "timestamp", NULL)) > 0);
	json_decref(j);
	fetch_free(&f);

	assert_int_equal(fetch(url(s, "/nope/../etc?x=1", u, sizeof u), NULL, true, NULL, 5000, &f),
			 CURLE_OK);
	assert_int_equal(f.status, 404);
	j = body_json(&f);
	assert_string_equal(jstr(j, "status", NULL), "error");
	assert_non_null(jstr(j, "message", NULL));
	assert_true(looks_like_uuid(jstr(j, "correlationId", NULL)));
	json_decref(j);
	fetch_free(&f);

	/* Only GET and HEAD on the served paths. */
	assert_int_equal(fetch(url(s, "/crm/v3/objects/contacts", u, sizeof u), "POST", true,
			       "{\"properties\":{}}", 5000, &f),
			 CURLE_OK);
	assert_int_equal(f.status, 405);
	fetch_free(&f);
}

/* Without a token every API endpoint answers 401 whatever the scenario. */
static void test_no_token_is_401_everywhere(void **state)
{
	sim *s = *state;
	const char *paths[] = {"/crm/v3/objects/contacts?limit=1",
			       "/account-info/v3/api-usage/daily/private-apps",
			       "/account-info/v3/details"};
	const char *scens[] = {"healthy", "hubspot-outage", "server-errors", "daily-limit",
			       "oauth"};
	for (size_t k = 0; k < sizeof scens / sizeof scens[0]; k++) {
		assert_int_equal(sim_set_scenario(s, scens[k]), 0);
		for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
			char u[256], v[64];
			fetch_t f;
			assert_int_equal(
			    fetch(url(s, paths[i], u, sizeof u), NULL, false, NULL, 5000, &f),
			    CURLE_OK);
			assert_int_equal(f.status, 401);
			json_t *j = body_json(&f);
			assert_string_equal(jstr(j, "category", NULL), "INVALID_AUTHENTICATION");
			assert_non_null(strstr(jstr(j, "message", NULL),
					       "Authentication credentials not found"));
			assert_false(hdr(&f, "X-HubSpot-RateLimit-Daily", v, sizeof v));
			json_decref(j);
			fetch_free(&f);
		}
	}
	/* Unauthenticated calls do not burn the budget. */
	assert_int_equal(sim_set_scenario(s, "healthy"), 0);
	char u[256];
	fetch_t f;
	fetch(url(s, "/crm/v3/objects/contacts", u, sizeof u), NULL, true, NULL, 5000, &f);
	assert_int_equal(hdr_num(&f, "X-HubSpot-RateLimit-Daily-Remaining"), 431000 - 1);
	fetch_free(&f);
}

/* hubspot-outage: incident on the status page, 503 from the API and usage, health degraded. */
static void test_outage(void **state)
{
	sim *s = *state;
	assert_int_equal(sim_set_scenario(s, "hubspot-outage"), 0);
	char u[256], v[64];
	fetch_t f;
	assert_int_equal(fetch(url(s, SIM_STATUS_PATH, u, sizeof u), NULL, false, NULL, 5000, &f),
			 CURLE_OK);
	assert_int_equal(f.status, 200);
	json_t *j = body_json(&f);
	assert_string_equal(jstr(j, "status", "indicator"), "major");
	json_t *incs = json_object_get(j, "incidents");
	assert_int_equal(json_array_size(incs), 1);
	json_t *inc = json_array_get(incs, 0);
	assert_string_equal(jstr(inc, "name", NULL), "Elevated error rates for CRM API requests");
	assert_string_equal(jstr(inc, "status", NULL), "investigating");
	assert_string_equal(jstr(inc, "impact", NULL), "major");
	assert_non_null(strstr(jstr(inc, "shortlink", NULL), "https://"));
	long long upd = iso_secs(jstr(inc, "updated_at", NULL));
	long long now = (long long)time(NULL);
	assert_true(upd > now - 30 * 60 && upd < now - 60);
	json_t *u0 = json_array_get(json_object_get(inc, "incident_updates"), 0);
	assert_true(strlen(jstr(u0, "body", NULL)) > 10);
	/* Updates are newest first. */
	json_t *u1 = json_array_get(json_object_get(inc, "incident_updates"), 1);
	assert_true(iso_secs(jstr(u0, "created_at", NULL)) >=
		    iso_secs(jstr(u1, "created_at", NULL)));
	bool crm_bad = false;
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(j, "components"), i, c)
	{
		if (strcmp(jstr(c, "name", NULL), "CRM API") == 0)
			crm_bad = strcmp(jstr(c, "status", NULL), "partial_outage") == 0;
		else if (!json_is_true(json_object_get(c, "group")))
			assert_string_equal(jstr(c, "status", NULL), "operational");
	}
	assert_true(crm_bad);
	json_decref(j);
	fetch_free(&f);

	assert_int_equal(fetch(url(s, "/crm/v3/objects/contacts?limit=1", u, sizeof u), NULL, true,
			       NULL, 5000, &f),
			 CURLE_OK);
	assert_int_equal(f.status, 503);
	j = body_json(&f);
	assert_string_equal(jstr(j, "category", NULL), "SERVICE_UNAVAILABLE");
	assert_string_equal(jstr(j, "status", NULL), "error");
	assert_true(hdr(&f, "X-HubSpot-Correlation-Id", v, sizeof v));
	assert_string_equal(jstr(j, "correlationId", NULL), v);
	json_decref(j);
	fetch_free(&f);

	fetch(url(s, "/account-info/v3/api-usage/daily/private-apps", u, sizeof u), NULL, true,
	      NULL, 5000, &f);
	assert_int_equal(f.status, 503);
	fetch_free(&f);

	fetch(url(s, SIM_HEALTH_PATH, u, sizeof u), NULL, false, NULL, 5000, &f);
	assert_int_equal(f.status, 200);
	j = body_json(&f);
	assert_string_equal(jstr(j, "status", NULL), "degraded");
	json_t *hs = json_object_get(json_object_get(j, "services"), "hubspot");
	assert_true(json_is_false(json_object_get(hs, "connected")));
	json_decref(j);
	fetch_free(&f);
}

/* token-revoked and token-expired: the two 401 flavours and health shape B. */
static void test_token_revoked_and_expired(void **state)
{
	sim *s = *state;
	char u[256], v[128];
	fetch_t f;
	assert_int_equal(sim_set_scenario(s, "token-revoked"), 0);
	fetch(url(s, "/crm/v3/objects/contacts?limit=1", u, sizeof u), NULL, true, NULL, 5000, &f);
	assert_int_equal(f.status, 401);
	assert_true(hdr(&f, "X-HubSpot-Auth-Failure", v, sizeof v));
	assert_false(hdr(&f, "X-HubSpot-RateLimit-Daily", v, sizeof v));
	assert_false(hdr(&f, "X-HubSpot-RateLimit-Daily-Remaining", v, sizeof v));
	json_t *j = body_json(&f);
	assert_string_equal(jstr(j, "category", NULL), "INVALID_AUTHENTICATION");
	json_decref(j);
	fetch_free(&f);
	fetch(url(s, "/account-info/v3/api-usage/daily/private-apps", u, sizeof u), NULL, true,
	      NULL, 5000, &f);
	assert_int_equal(f.status, 401);
	fetch_free(&f);
	fetch(url(s, SIM_HEALTH_PATH, u, sizeof u), NULL, false, NULL, 5000, &f);
	j = body_json(&f);
	assert_string_equal(jstr(j, "status", NULL), "degraded");
	assert_true(json_is_false(json_object_get(json_object_get(j, "hubspot"), "connected")));
	assert_null(json_object_get(j, "services"));
	json_decref(j);
	fetch_free(&f);

	assert_int_equal(sim_set_scenario(s, "token-expired"), 0);
	fetch(url(s, "/crm/v3/objects/contacts?limit=1", u, sizeof u), NULL, true, NULL, 5000, &f);
	assert_int_equal(f.status, 401);
	j = body_json(&f);
	assert_string_equal(jstr(j, "category", NULL), "EXPIRED_AUTHENTICATION");
	assert_string_equal(jstr(j, "message", NULL),
			    "The OAuth token used to make this call expired 1893 second(s) ago.");
	json_decref(j);
	fetch_free(&f);
	fetch(url(s, SIM_HEALTH_PATH, u, sizeof u), NULL, false, NULL, 5000, &f);
	j = body_json(&f);
	assert_string_equal(jstr(j, "status", NULL), "degraded");
	assert_non_null(json_object_get(j, "hubspot"));
	json_decref(j);
	fetch_free(&f);
}

/* missing-scopes: 403 naming the required scope; usage still answers. */
static void test_missing_scopes(void **state)
{
	sim *s = *state;
	char u[256];
	fetch_t f;
	assert_int_equal(sim_set_scenario(s, "missing-scopes"), 0);
	fetch(url(s, "/crm/v3/objects/contacts?limit=1", u, sizeof u), NULL, true, NULL, 5000, &f);
	assert_int_equal(f.status, 403);
	json_t *j = body_json(&f);
	assert_string_equal(jstr(j, "category", NULL), "MISSING_SCOPES");
	json_t *e0 = json_array_get(json_object_get(j, "errors"), 0);
	json_t *scopes = json_object_get(json_object_get(e0, "context"), "requiredScopes");
	assert_int_equal(json_array_size(scopes), 1);
	assert_string_equal(json_string_value(json_array_get(scopes, 0)),
			    "crm.objects.contacts.read");
	json_decref(j);
	fetch_free(&f);
	fetch(url(s, "/account-info/v3/api-usage/daily/private-apps", u, sizeof u), NULL, true,
	      NULL, 5000, &f);
	assert_int_equal(f.status, 200);
	fetch_free(&f);
}

/* daily-limit: 429 DAILY without category or Retry-After; usage at the limit. */
static void test_daily_limit(void **state)
{
	sim *s = *state;
	char u[256], v[64];
	fetch_t f;
	assert_int_equal(sim_set_scenario(s, "daily-limit"), 0);
	fetch(url(s, "/crm/v3/objects/contacts?limit=1", u, sizeof u), NULL, true, NULL, 5000, &f);
	assert_int_equal(f.status, 429);
	assert_int_equal(hdr_num(&f, "X-HubSpot-RateLimit-Daily"), 500000);
	assert_int_equal(hdr_num(&f, "X-HubSpot-RateLimit-Daily-Remaining"), 0);
	assert_int_equal(hdr_num(&f, "X-HubSpot-RateLimit-Interval-Milliseconds"), 10000);
	assert_true(hdr_num(&f, "X-HubSpot-RateLimit-Max") > 0);
	assert_false(hdr(&f, "Retry-After", v, sizeof v));
	json_t *j = body_json(&f);
	assert_string_equal(jstr(j, "status", NULL), "error");
	assert_string_equal(jstr(j, "message", NULL), "You have reached your daily limit.");
	assert_string_equal(jstr(j, "errorType", NULL), "RATE_LIMIT");
	assert_string_equal(jstr(j, "policyName", NULL), "DAILY");
	assert_non_null(jstr(j, "groupName", NULL));
	assert_true(looks_like_uuid(jstr(j, "correlationId", NULL)));
	assert_null(json_object_get(j, "category"));
	json_decref(j);
	fetch_free(&f);

	fetch(url(s, "/account-info/v3/api-usage/daily/private-apps", u, sizeof u), NULL, true,
	      NULL, 5000, &f);
	assert_int_equal(f.status, 200);
	j = body_json(&f);
	json_t *res = json_array_get(json_object_get(j, "results"), 0);
	assert_int_equal(json_integer_value(json_object_get(res, "currentUsage")),
			 json_integer_value(json_object_get(res, "usageLimit")));
	json_decref(j);
	fetch_free(&f);
}

/* burst-limit: 429 TEN_SECONDLY_ROLLING with Retry-After and an empty window. */
static void test_burst_limit(void **state)
{
	sim *s = *state;
	char u[256];
	fetch_t f;
	assert_int_equal(sim_set_scenario(s, "burst-limit"), 0);
	fetch(url(s, "/crm/v3/objects/contacts?limit=1", u, sizeof u), NULL, true, NULL, 5000, &f);
	assert_int_equal(f.status, 429);
	assert_int_equal(hdr_num(&f, "X-HubSpot-RateLimit-Remaining"), 0);
	assert_int_equal(hdr_num(&f, "X-HubSpot-RateLimit-Max"), 190);
	long long ra = hdr_num(&f, "Retry-After");
	assert_true(ra >= 1 && ra <= 2);
	assert_true(hdr_num(&f, "X-HubSpot-RateLimit-Daily-Remaining") > 1000);
	json_t *j = body_json(&f);
	assert_string_equal(jstr(j, "errorType", NULL), "RATE_LIMIT");
	assert_string_equal(jstr(j, "policyName", NULL), "TEN_SECONDLY_ROLLING");
	assert_null(json_object_get(j, "category"));
	json_decref(j);
	fetch_free(&f);
}

/* server-errors: CDN HTML 502 without HubSpot headers; health shape C. */
static void test_server_errors(void **state)
{
	sim *s = *state;
	char u[256], v[64];
	fetch_t f;
	assert_int_equal(sim_set_scenario(s, "server-errors"), 0);
	fetch(url(s, SIM_STATUS_PATH, u, sizeof u), NULL, false, NULL, 5000, &f);
	json_t *j = body_json(&f);
	assert_string_equal(jstr(j, "status", "indicator"), "none");
	assert_int_equal(json_array_size(json_object_get(j, "incidents")), 0);
	json_decref(j);
	fetch_free(&f);

	const char *paths[] = {"/crm/v3/objects/contacts?limit=1",
			       "/account-info/v3/api-usage/daily/private-apps"};
	for (size_t i = 0; i < 2; i++) {
		fetch(url(s, paths[i], u, sizeof u), NULL, true, NULL, 5000, &f);
		assert_int_equal(f.status, 502);
		assert_true(hdr(&f, "Content-Type", v, sizeof v));
		assert_non_null(strstr(v, "text/html"));
		assert_non_null(strstr(f.body, "<title>502 Bad Gateway</title>"));
		assert_null(json_loads(f.body, 0, NULL));
		assert_false(hdr(&f, "X-HubSpot-RateLimit-Daily", v, sizeof v));
		assert_false(hdr(&f, "X-HubSpot-RateLimit-Remaining", v, sizeof v));
		fetch_free(&f);
	}

	fetch(url(s, SIM_HEALTH_PATH, u, sizeof u), NULL, false, NULL, 5000, &f);
	assert_int_equal(f.status, 200);
	j = body_json(&f);
	assert_string_equal(jstr(j, "status", NULL), "degraded");
	assert_string_equal(jstr(j, "circuitState", NULL), "open");
	assert_int_equal(json_integer_value(json_object_get(j, "dlqPending")), 73);
	assert_int_equal(json_integer_value(json_object_get(j, "apiLatencyMs")), 5200);
	json_decref(j);
	fetch_free(&f);
}

/* app-down: health 503 with HubSpot fine; oauth: no daily headers. */
static void test_app_down_and_oauth(void **state)
{
	sim *s = *state;
	char u[256], v[64];
	fetch_t f;
	assert_int_equal(sim_set_scenario(s, "app-down"), 0);
	fetch(url(s, "/crm/v3/objects/contacts?limit=1", u, sizeof u), NULL, true, NULL, 5000, &f);
	assert_int_equal(f.status, 200);
	fetch_free(&f);
	fetch(url(s, SIM_HEALTH_PATH, u, sizeof u), NULL, false, NULL, 5000, &f);
	assert_int_equal(f.status, 503);
	json_t *j = body_json(&f);
	assert_string_equal(jstr(j, "status", NULL), "unhealthy");
	assert_true(json_is_false(json_object_get(json_object_get(j, "hubspot"), "connected")));
	json_decref(j);
	fetch_free(&f);

	assert_int_equal(sim_set_scenario(s, "oauth"), 0);
	fetch(url(s, "/crm/v3/objects/contacts?limit=1", u, sizeof u), NULL, true, NULL, 5000, &f);
	assert_int_equal(f.status, 200);
	assert_false(hdr(&f, "X-HubSpot-RateLimit-Daily", v, sizeof v));
	assert_false(hdr(&f, "X-HubSpot-RateLimit-Daily-Remaining", v, sizeof v));
	assert_int_equal(hdr_num(&f, "X-HubSpot-RateLimit-Max"), 190);
	assert_true(hdr_num(&f, "X-HubSpot-RateLimit-Remaining") > 0);
	fetch_free(&f);
	fetch(url(s, SIM_HEALTH_PATH, u, sizeof u), NULL, false, NULL, 5000, &f);
	assert_int_equal(f.status, 200);
	fetch_free(&f);
}

/* The value at a path of object keys and array indexes ("#1") in j, or NULL. */
static json_t *jpath(json_t *j, const char *const *path)
{
	for (; j && *path; path++)
		j = (*path)[0] == '#' ? json_array_get(j, (size_t)atoi(*path + 1))
				      : json_object_get(j, *path);
	return j;
}

/*
 * The health-* scenarios: HubSpot answers our call, and /health answers in the framework's own
 * format and media type, its HubSpot entry failing (IETF: slow, warn; plain: "OK").
 */
static void test_health_formats(void **state)
{
	sim *s = *state;
	static const struct {
		const char *scenario;
		long code;
		const char *ctype;
		const char *status; /* the top-level status word (plain: the body) */
		const char *entry_status;
		const char *entry[6]; /* path to the HubSpot entry's status */
	} cases[] = {
	    {"health-actuator",
	     503,
	     "application/vnd.spring-boot.actuator.v3+json",
	     "DOWN",
	     "DOWN",
	     {"components", "integrations", "components", "hubspot", "status", NULL}},
	    {"health-ietf",
	     200,
	     "application/health+json",
	     "warn",
	     "warn",
	     {"checks", "hubspot:responseTime", "#0", "status", NULL}},
	    {"health-terminus",
	     503,
	     "application/json",
	     "error",
	     "down",
	     {"error", "hubspot", "status", NULL}},
	    {"health-aspnet",
	     503,
	     "application/json",
	     "Unhealthy",
	     "Unhealthy",
	     {"entries", "HubSpot CRM", "status", NULL}},
	    {"health-microprofile",
	     503,
	     "application/json",
	     "DOWN",
	     "DOWN",
	     {"checks", "#1", "status", NULL}},
	    {"health-plain", 200, "text/plain", "OK", NULL, {NULL}},
	};
	char u[256], v[96];
	fetch_t f;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(sim_set_scenario(s, cases[i].scenario), 0);
		fetch(url(s, "/crm/v3/objects/contacts?limit=1", u, sizeof u), NULL, true, NULL,
		      5000, &f);
		assert_int_equal(f.status, 200);
		fetch_free(&f);
		fetch(url(s, SIM_HEALTH_PATH, u, sizeof u), NULL, false, NULL, 5000, &f);
		assert_int_equal(f.status, cases[i].code);
		assert_true(hdr(&f, "Content-Type", v, sizeof v));
		assert_int_equal(strncmp(v, cases[i].ctype, strlen(cases[i].ctype)), 0);
		if (!cases[i].entry_status) {
			assert_string_equal(f.body, cases[i].status);
			fetch_free(&f);
			continue;
		}
		json_t *j = body_json(&f);
		assert_non_null(j);
		assert_string_equal(jstr(j, "status", NULL), cases[i].status);
		const char *es = json_string_value(jpath(j, cases[i].entry));
		if (!es || strcmp(es, cases[i].entry_status) != 0)
			fail_msg("%s: HubSpot entry status %s", cases[i].scenario,
				 es ? es : "absent");
		json_decref(j);
		fetch_free(&f);
	}
}

/*
 * network-down: the status page and every API path close the connection without a byte of
 * answer, while our health endpoint still answers; api-unreachable: only the API paths do.
 */
static void test_dropped_connections(void **state)
{
	sim *s = *state;
	char u[256];
	fetch_t f;
	static const char *const api_paths[] = {"/crm/v3/objects/contacts?limit=1",
						"/account-info/v3/api-usage/daily/private-apps",
						"/account-info/v3/details"};
	for (int round = 0; round < 2; round++) {
		bool down = round == 0;
		assert_int_equal(sim_set_scenario(s, down ? "network-down" : "api-unreachable"), 0);
		for (size_t k = 0; k < sizeof api_paths / sizeof api_paths[0]; k++) {
			fetch(url(s, api_paths[k], u, sizeof u), NULL, true, NULL, 5000, &f);
			assert_int_equal(f.rc, CURLE_GOT_NOTHING);
			assert_int_equal(f.status, 0);
			assert_true(f.elapsed_ms < 1000);
			fetch_free(&f);
		}
		fetch(url(s, SIM_STATUS_PATH, u, sizeof u), NULL, false, NULL, 5000, &f);
		if (down) {
			assert_int_equal(f.rc, CURLE_GOT_NOTHING);
		} else {
			assert_int_equal(f.rc, CURLE_OK);
			assert_int_equal(f.status, 200);
			json_t *j = body_json(&f);
			assert_string_equal(jstr(j, "status", "indicator"), "none");
			json_decref(j);
		}
		fetch_free(&f);
		fetch(url(s, SIM_HEALTH_PATH, u, sizeof u), NULL, false, NULL, 5000, &f);
		assert_int_equal(f.rc, CURLE_OK);
		assert_int_equal(f.status, 200);
		json_t *j = body_json(&f);
		assert_string_equal(jstr(j, "status", NULL), "degraded");
		json_t *hs = json_object_get(json_object_get(j, "services"), "hubspot");
		assert_true(json_is_false(json_object_get(hs, "connected")));
		json_decref(j);
		fetch_free(&f);
	}
	/* The control path still answers, and a switch back to healthy answers again. */
	assert_int_equal(sim_set_scenario(s, "healthy"), 0);
	fetch(url(s, SIM_STATUS_PATH, u, sizeof u), NULL, false, NULL, 5000, &f);
	assert_int_equal(f.status, 200);
	fetch_free(&f);
}

/* The /_sim/scenario control path: read, switch by body or query, refuse junk. */
static void test_control_endpoints(void **state)
{
	sim *s = *state;
	char u[256], name[32];
	fetch_t f;
	fetch(url(s, "/_sim/scenario", u, sizeof u), NULL, false, NULL, 5000, &f);
	assert_int_equal(f.status, 200);
	assert_string_equal(f.body, "healthy");
	fetch_free(&f);

	fetch(url(s, "/_sim/scenario", u, sizeof u), "POST", false, "token-revoked\n", 5000, &f);
	assert_int_equal(f.status, 200);
	fetch_free(&f);
	sim_scenario(s, name, sizeof name);
	assert_string_equal(name, "token-revoked");
	fetch(url(s, "/crm/v3/objects/contacts", u, sizeof u), NULL, true, NULL, 5000, &f);
	assert_int_equal(f.status, 401);
	fetch_free(&f);

	fetch(url(s, "/_sim/scenario?name=daily-limit", u, sizeof u), "PUT", false, "", 5000, &f);
	assert_int_equal(f.status, 200);
	fetch_free(&f);
	sim_scenario(s, name, sizeof name);
	assert_string_equal(name, "daily-limit");

	/* A form body as `curl -d name=X` sends it. */
	fetch(url(s, "/_sim/scenario", u, sizeof u), "POST", false, "name=burst-limit", 5000, &f);
	assert_int_equal(f.status, 200);
	fetch_free(&f);
	fetch(url(s, "/_sim/scenario", u, sizeof u), NULL, false, NULL, 5000, &f);
	assert_string_equal(f.body, "burst-limit");
	fetch_free(&f);

	/* Unknown names are refused with one line and change nothing. */
	const char *bad[] = {"meltdown", "", "HEALTHY", "healthy\nhang", "\x1b[2Jhang"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fetch(url(s, "/_sim/scenario", u, sizeof u), "POST", false, bad[i], 5000, &f);
		assert_int_equal(f.status, 400);
		assert_non_null(f.body);
		assert_null(strchr(f.body, '\n'));
		assert_null(strchr(f.body, '\x1b'));
		assert_non_null(strstr(f.body, "unknown scenario"));
		fetch_free(&f);
	}
	fetch(url(s, "/_sim/scenario?name=nope", u, sizeof u), "POST", false, "healthy", 5000, &f);
	assert_int_equal(f.status, 400);
	fetch_free(&f);
	sim_scenario(s, name, sizeof name);
	assert_string_equal(name, "burst-limit");
	assert_int_equal(sim_set_scenario(s, "nope"), -1);
	assert_int_equal(sim_set_scenario(s, NULL), -1);
	sim_scenario(s, name, sizeof name);
	assert_string_equal(name, "burst-limit");

	/* An oversized body is refused. */
	char big[1024];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	fetch(url(s, "/_sim/scenario", u, sizeof u), "POST", false, big, 5000, &f);
	assert_int_equal(f.status, 413);
	fetch_free(&f);

	/* Control requests are not recorded. */
	sim_request log[8];
	assert_int_equal(sim_requests(s, log, 8), 1);
	assert_string_equal(log[0].path, "/crm/v3/objects/contacts");
}

/* The request log: method, path without query, auth presence, truncation. */
static void test_request_log(void **state)
{
	sim *s = *state;
	char u[256];
	fetch_t f;
	fetch(url(s, SIM_STATUS_PATH, u, sizeof u), NULL, false, NULL, 5000, &f);
	fetch_free(&f);
	fetch(url(s, "/crm/v3/objects/contacts?limit=1&after=x%20y", u, sizeof u), NULL, true, NULL,
	      5000, &f);
	fetch_free(&f);
	fetch(url(s, "/health?verbose=1", u, sizeof u), "HEAD", false, NULL, 5000, &f);
	fetch_free(&f);
	fetch(url(s, "/_sim/requests", u, sizeof u), NULL, false, NULL, 5000, &f);
	assert_int_equal(f.status, 200);
	json_t *j = body_json(&f);
	assert_int_equal(json_array_size(j), 3);
	json_t *e1 = json_array_get(j, 1);
	assert_string_equal(jstr(e1, "method", NULL), "GET");
	assert_string_equal(jstr(e1, "path", NULL), "/crm/v3/objects/contacts");
	assert_true(json_is_true(json_object_get(e1, "auth")));
	assert_true(json_is_false(json_object_get(json_array_get(j, 0), "auth")));
	json_decref(j);
	fetch_free(&f);

	sim_request log[4];
	memset(log, 0x5a, sizeof log);
	assert_int_equal(sim_requests(s, log, 4), 3);
	assert_string_equal(log[0].method, "GET");
	assert_string_equal(log[0].path, SIM_STATUS_PATH);
	assert_false(log[0].had_auth);
	assert_string_equal(log[1].path, "/crm/v3/objects/contacts");
	assert_true(log[1].had_auth);
	assert_string_equal(log[2].method, "HEAD");
	assert_string_equal(log[2].path, "/health");
	assert_false(log[2].had_auth);
	/* Asking for fewer copies fewer; the count is still the total. */
	memset(log, 0, sizeof log);
	assert_int_equal(sim_requests(s, log, 1), 3);
	assert_string_equal(log[0].path, SIM_STATUS_PATH);
	assert_string_equal(log[1].path, "");

	/* A long path is cut, not overflowed. */
	char longp[400] = "/";
	memset(longp + 1, 'p', 300);
	longp[301] = '\0';
	fetch(url(s, longp, u, sizeof u), NULL, false, NULL, 5000, &f);
	assert_int_equal(f.status, 404);
	fetch_free(&f);
	sim_request one[4];
	assert_int_equal(sim_requests(s, one, 4), 4);
	assert_int_equal(strlen(one[3].path), sizeof one[3].path - 1);
}

/* The log keeps the last 4096 requests and counts them all. */
static void test_request_log_is_bounded(void **state)
{
	sim *s = *state;
	CURL *c = curl_easy_init();
	fetch_t f;
	memset(&f, 0, sizeof f);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &f);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	const size_t n = 4200;
	for (size_t i = 0; i < n; i++) {
		char u[256], p[32];
		snprintf(p, sizeof p, "/r/%zu", i);
		curl_easy_setopt(c, CURLOPT_URL, url(s, p, u, sizeof u));
		assert_int_equal(curl_easy_perform(c), CURLE_OK);
	}
	curl_easy_cleanup(c);
	fetch_free(&f);
	sim_request *log = calloc(n, sizeof *log);
	assert_int_equal(sim_requests(s, log, n), n);
	/* The last 4096 are kept, oldest first. */
	assert_string_equal(log[0].path, "/r/104");
	assert_string_equal(log[4095].path, "/r/4199");
	assert_string_equal(log[4096].method, "");
	free(log);
}

/* sim_set_delay_ms delays answers but never the control paths. */
static void test_delay(void **state)
{
	sim *s = *state;
	char u[256];
	fetch_t f;
	sim_set_delay_ms(s, 300);
	fetch(url(s, SIM_HEALTH_PATH, u, sizeof u), NULL, false, NULL, 5000, &f);
	assert_int_equal(f.status, 200);
	assert_true(f.elapsed_ms >= 290);
	fetch_free(&f);
	/* Control paths are never delayed. */
	fetch(url(s, "/_sim/scenario", u, sizeof u), NULL, false, NULL, 5000, &f);
	assert_int_equal(f.status, 200);
	assert_true(f.elapsed_ms < 250);
	fetch_free(&f);
	sim_set_delay_ms(s, 0);
	fetch(url(s, SIM_HEALTH_PATH, u, sizeof u), NULL, false, NULL, 5000, &f);
	assert_true(f.elapsed_ms < 250);
	fetch_free(&f);
	sim_set_delay_ms(s, -5);
	fetch(url(s, SIM_HEALTH_PATH, u, sizeof u), NULL, false, NULL, 5000, &f);
	assert_int_equal(f.status, 200);
	fetch_free(&f);
}

/* slow: answers take about 4 s; an impatient client times out. */
static void test_slow(void **state)
{
	sim *s = *state;
	char u[256];
	fetch_t f;
	assert_int_equal(sim_set_scenario(s, "slow"), 0);
	fetch(url(s, "/crm/v3/objects/contacts?limit=1", u, sizeof u), NULL, true, NULL, 10000, &f);
	assert_int_equal(f.rc, CURLE_OK);
	assert_int_equal(f.status, 200);
	assert_true(f.elapsed_ms >= 3900);
	assert_true(f.elapsed_ms < 8000);
	fetch_free(&f);
	/* A client that gives up early just times out. */
	fetch(url(s, SIM_HEALTH_PATH, u, sizeof u), NULL, false, NULL, 300, &f);
	assert_int_equal(f.rc, CURLE_OPERATION_TIMEDOUT);
	fetch_free(&f);
}

/* A request made from another thread, for the hang tests. */
typedef struct {
	char url[256];
	long timeout_ms;
	fetch_t f;
	long long done_at;
} bg_fetch;

/* Thread body: make the request, note when it ended. */
static void *bg_run(void *arg)
{
	bg_fetch *b = arg;
	fetch(b->url, NULL, true, NULL, b->timeout_ms, &b->f);
	b->done_at = mono_ms();
	return NULL;
}

/* Wait until the sim has recorded at least n requests (or 3 s pass). */
static void wait_recorded(sim *s, size_t n)
{
	long long end = mono_ms() + 3000;
	while (sim_requests(s, NULL, 0) < n && mono_ms() < end)
		usleep(5000);
	assert_true(sim_requests(s, NULL, 0) >= n);
}

/* hang: requests time out, control still answers, a switch releases a waiter. */
static void test_hang_times_out_and_switch_releases(void **state)
{
	sim *s = *state;
	char u[256];
	fetch_t f;
	assert_int_equal(sim_set_scenario(s, "hang"), 0);
	fetch(url(s, "/crm/v3/objects/contacts?limit=1", u, sizeof u), NULL, true, NULL, 300, &f);
	assert_int_equal(f.rc, CURLE_OPERATION_TIMEDOUT);
	assert_int_equal(f.status, 0);
	fetch_free(&f);
	fetch(url(s, SIM_STATUS_PATH, u, sizeof u), NULL, false, NULL, 300, &f);
	assert_int_equal(f.rc, CURLE_OPERATION_TIMEDOUT);
	fetch_free(&f);

	/* Control paths still answer while everything else hangs. */
	fetch(url(s, "/_sim/scenario", u, sizeof u), NULL, false, NULL, 2000, &f);
	assert_int_equal(f.rc, CURLE_OK);
	assert_string_equal(f.body, "hang");
	fetch_free(&f);

	/* A hanging request is answered by the new scenario once it changes. */
	bg_fetch b = {.timeout_ms = 8000};
	url(s, "/crm/v3/objects/contacts?limit=1", b.url, sizeof b.url);
	size_t before = sim_requests(s, NULL, 0);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, bg_run, &b), 0);
	wait_recorded(s, before + 1);
	usleep(100000);
	fetch(url(s, "/_sim/scenario", u, sizeof u), "POST", false, "token-expired", 2000, &f);
	assert_int_equal(f.status, 200);
	fetch_free(&f);
	pthread_join(t, NULL);
	assert_int_equal(b.f.rc, CURLE_OK);
	assert_int_equal(b.f.status, 401);
	assert_true(b.f.elapsed_ms < 3000);
	fetch_free(&b.f);
}

/* sim_stop returns within 1.5 s while requests hang, and they fail at once. */
static void test_hang_stop_is_prompt(void **state)
{
	(void)state;
	char err[200];
	sim *s = sim_start("hang", 0, err, sizeof err);
	assert_non_null(s);
	bg_fetch b[3];
	pthread_t t[3];
	const char *paths[] = {"/crm/v3/objects/contacts?limit=1", SIM_STATUS_PATH,
			       SIM_HEALTH_PATH};
	for (int i = 0; i < 3; i++) {
		memset(&b[i], 0, sizeof b[i]);
		b[i].timeout_ms = 10000;
		url(s, paths[i], b[i].url, sizeof b[i].url);
		assert_int_equal(pthread_create(&t[i], NULL, bg_run, &b[i]), 0);
	}
	wait_recorded(s, 3);
	usleep(100000);
	long long t0 = mono_ms();
	sim_stop(s);
	long long stopped = mono_ms() - t0;
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		assert_int_not_equal(b[i].f.rc, CURLE_OK);
		assert_true(b[i].done_at - t0 < 1500);
		fetch_free(&b[i].f);
	}
	assert_true(stopped < 1500);
}

/* sim_stop is prompt during a long configured delay too. */
static void test_stop_while_delayed_and_slow(void **state)
{
	(void)state;
	char err[200];
	sim *s = sim_start("slow", 0, err, sizeof err);
	assert_non_null(s);
	sim_set_delay_ms(s, 60000);
	bg_fetch b = {.timeout_ms = 10000};
	url(s, SIM_HEALTH_PATH, b.url, sizeof b.url);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, bg_run, &b), 0);
	wait_recorded(s, 1);
	long long t0 = mono_ms();
	sim_stop(s);
	assert_true(mono_ms() - t0 < 1500);
	pthread_join(t, NULL);
	assert_int_not_equal(b.f.rc, CURLE_OK);
	fetch_free(&b.f);
}

/* Many clients at once while another thread switches scenarios (for TSan). */
typedef struct {
	sim *s;
	int ok;
} hammer_arg;

/* Thread body: a burst of API and status requests. */
static void *hammer(void *arg)
{
	hammer_arg *h = arg;
	for (int i = 0; i < 40; i++) {
		char u[256];
		fetch_t f;
		url(h->s, i % 2 ? "/crm/v3/objects/contacts?limit=1" : SIM_STATUS_PATH, u,
		    sizeof u);
		if (fetch(u, NULL, true, NULL, 5000, &f) == CURLE_OK && f.status > 0)
			h->ok++;
		fetch_free(&f);
	}
	return NULL;
}

/* Many clients while the scenario switches: every request answered (TSan food). */
static void test_concurrent_clients(void **state)
{
	sim *s = *state;
	hammer_arg h[4];
	pthread_t t[4];
	for (int i = 0; i < 4; i++) {
		h[i] = (hammer_arg){.s = s, .ok = 0};
		assert_int_equal(pthread_create(&t[i], NULL, hammer, &h[i]), 0);
	}
	const char *cycle[] = {"healthy", "daily-limit", "server-errors", "hubspot-outage",
			       "oauth"};
	for (int i = 0; i < 50; i++) {
		assert_int_equal(sim_set_scenario(s, cycle[i % 5]), 0);
		char name[32];
		sim_scenario(s, name, sizeof name);
		sim_requests(s, NULL, 0);
		usleep(2000);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(h[i].ok, 40);
	}
	assert_int_equal(sim_requests(s, NULL, 0), 160);
}

/* Run every simulator test. */
int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
#define T(f) cmocka_unit_test_setup_teardown(f, sim_setup, sim_teardown)
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scenario_names),
	    cmocka_unit_test(test_start_refuses_unknown_scenario),
	    T(test_start_refuses_taken_port),
	    T(test_two_sims_different_ports),
	    T(test_healthy_status_page),
	    T(test_healthy_api),
	    T(test_healthy_health_and_404),
	    T(test_no_token_is_401_everywhere),
	    T(test_outage),
	    T(test_token_revoked_and_expired),
	    T(test_missing_scopes),
	    T(test_daily_limit),
	    T(test_burst_limit),
	    T(test_server_errors),
	    T(test_app_down_and_oauth),
	    T(test_dropped_connections),
	    T(test_health_formats),
	    T(test_control_endpoints),
	    T(test_request_log),
	    T(test_request_log_is_bounded),
	    T(test_delay),
	    T(test_slow),
	    T(test_hang_times_out_and_switch_releases),
	    cmocka_unit_test(test_hang_stop_is_prompt),
	    cmocka_unit_test(test_stop_while_delayed_and_slow),
	    T(test_concurrent_clients),
	};
#undef T
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
