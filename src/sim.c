/*
 * The embedded HubSpot simulator: a libmicrohttpd server on 127.0.0.1 that plays the status page,
 * the CRM API, the account-info endpoints and the team's health endpoint, in named scenarios that
 * can be switched at run time (sim_set_scenario or POST /_sim/scenario).
 *
 * One thread per connection, so a hanging answer never holds up another request. Handlers that
 * wait (delay, "slow", "hang") sleep in short slices, watching the stop flag, the scenario and the
 * client's socket, so sim_stop returns promptly and abandoned requests free their thread.
 */
#include "hsr/sim.h"

#include "hsr/ratelimit.h"

#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* Indexes into sim_scenarios[], same order. */
enum {
	SC_HEALTHY = 0,
	SC_OUTAGE,
	SC_REVOKED,
	SC_EXPIRED,
	SC_SCOPES,
	SC_DAILY,
	SC_BURST,
	SC_SERVER_ERRORS,
	SC_SLOW,
	SC_HANG,
	SC_APP_DOWN,
	SC_OAUTH,
	SC_NETWORK_DOWN,
	SC_API_UNREACHABLE,
	SC_HEALTH_ACTUATOR,
	SC_HEALTH_IETF,
	SC_HEALTH_TERMINUS,
	SC_HEALTH_ASPNET,
	SC_HEALTH_MICROPROFILE,
	SC_HEALTH_PLAIN,
	SC_COUNT
};

const char *const sim_scenarios[] = {
    "healthy",
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
    "health-plain",
    NULL,
};

_Static_assert(sizeof sim_scenarios / sizeof sim_scenarios[0] == SC_COUNT + 1,
	       "one name per scenario");

#define SIM_LOG_MAX	      4096
#define SIM_SLOW_MS	      4000
#define SIM_SLICE_MS	      20
#define SIM_MAX_DELAY_MS      600000L
#define SIM_CONTROL_BODY_MAX  256
#define SIM_DAILY_LIMIT	      500000LL
#define SIM_DAILY_START_LEFT  431000LL /* remaining when a sim starts: a busy morning */
#define SIM_BURST_MAX	      190
#define SIM_BURST_BACKGROUND  9 /* calls other integrations make in every window */
#define SIM_INTERVAL_MS	      10000
#define SIM_PORTAL_ID	      4821937
#define SIM_UTC_OFFSET_MIN    (-300) /* US/Eastern as the details endpoint reports it */
#define SIM_EXPIRED_SECONDS   1893
#define SIM_CONTROL_PREFIX    "/_sim"
#define SIM_CRM_PREFIX	      "/crm/v3/objects/"
#define SIM_USAGE_PATH	      "/account-info/v3/api-usage/daily/private-apps"
#define SIM_DETAILS_PATH      "/account-info/v3/details"
#define SIM_REPLY_MAX_HEADERS 16
#define SIM_POSTS_MAX	      8	 /* posts kept, with their bodies */
#define SIM_INCIDENTS_MAX     32 /* Statuspage incidents the simulator remembers */

struct sim {
	struct MHD_Daemon *daemon;
	unsigned short port;
	char base_url[48];
	atomic_bool stopping;

	pthread_mutex_t mu; /* guards everything below */
	int scen;
	int64_t scen_since_ms; /* wall clock when the current scenario began */
	long delay_ms;
	sim_request *log; /* ring of SIM_LOG_MAX */
	size_t log_total;
	long long api_calls;	 /* authenticated API calls answered: the daily burn */
	int64_t window_start_ms; /* monotonic start of the current 10 s window */
	int window_calls;	 /* API calls answered in that window */
	uint64_t rng;
	/* The message endpoints (Slack webhook, Statuspage). */
	sim_post_fault post_fault;
	int post_fault_left; /* posts the fault still applies to; < 0 = all */
	long post_retry_after_s;
	sim_post *posts; /* ring of SIM_POSTS_MAX, allocated at the first post */
	size_t posts_total;
	struct {
		char id[16];
		char status[16];
	} incidents[SIM_INCIDENTS_MAX];
	int n_incidents;
};

/* What one connection's request carries between libmicrohttpd callbacks. */
typedef struct {
	bool control;
	size_t body_len;
	bool body_too_big;
	char body[SIM_CONTROL_BODY_MAX + 1];
	bool post;	 /* a Slack or Statuspage path: the body is kept in post_body */
	char *post_body; /* SIM_POST_BODY_MAX + 1 */
	size_t post_len;
	bool post_too_big;
} sim_conn;

/* An answer being built: status, body (malloc'd), content type and extra headers. */
typedef struct {
	unsigned status;
	char *body;
	size_t body_len;
	const char *ctype;
	int n_headers;
	struct {
		const char *name;
		char value[96];
	} headers[SIM_REPLY_MAX_HEADERS];
} sim_reply;

/* The state one answer is built from, read under the lock once the wait is over. */
typedef struct {
	int scen;
	int64_t now_ms;
	int64_t since_ms;
	long long daily_remaining;
	int burst_remaining;
	unsigned jitter; /* 0..63, for latencies that look measured */
	char corr[40];
	char ray[20];
} sim_snap;

/* The CDN's page in front of an origin that did not answer. */
static const char sim_html_502[] = "<html>\r\n"
				   "<head><title>502 Bad Gateway</title></head>\r\n"
				   "<body>\r\n"
				   "<center><h1>502 Bad Gateway</h1></center>\r\n"
				   "<hr><center>cloudflare</center>\r\n"
				   "</body>\r\n"
				   "</html>\r\n";

/* Whether name is one of sim_scenarios[] (exact, case-sensitive). */
bool sim_scenario_exists(const char *name)
{
	if (!name)
		return false;
	for (int i = 0; sim_scenarios[i]; i++)
		if (strcmp(sim_scenarios[i], name) == 0)
			return true;
	return false;
}

/* The index of a scenario name, or -1. */
static int sim_scen_index(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; sim_scenarios[i]; i++)
		if (strcmp(sim_scenarios[i], name) == 0)
			return i;
	return -1;
}

/* Next pseudo-random number (xorshift64*); caller holds the lock. */
static uint64_t sim_rand(struct sim *s)
{
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return s->rng * 2685821657736338717ULL;
}

/* A version-4-looking uuid, as HubSpot's correlation ids are; caller holds the lock. */
static void sim_uuid(struct sim *s, char *out, size_t outsz)
{
	uint64_t a = sim_rand(s), b = sim_rand(s);
	snprintf(out, outsz, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
		 (unsigned)(a >> 16) & 0xffffu, (unsigned)a & 0xfffu,
		 (unsigned)(0x8000u | ((b >> 48) & 0x3fffu)),
		 (unsigned long long)(b & 0xffffffffffffULL));
}

/* ISO 8601 UTC with milliseconds, the way Statuspage and HubSpot write times. */
static void sim_iso(int64_t ms, char *out, size_t outsz)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	char day[32];
	strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, outsz, "%s.%03dZ", day, (int)(ms % 1000));
}

/* A JSON string of an ISO time ms (new reference). */
static json_t *sim_json_time(int64_t ms)
{
	char buf[40];
	sim_iso(ms, buf, sizeof buf);
	return json_string(buf);
}

/* Add a response header with a printf-style value (dropped silently past the cap). */
__attribute__((format(printf, 3, 4))) static void sim_reply_header(sim_reply *r, const char *name,
								   const char *fmt, ...)
{
	if (r->n_headers >= SIM_REPLY_MAX_HEADERS)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->headers[r->n_headers].value, sizeof r->headers[0].value, fmt, ap);
	va_end(ap);
	r->headers[r->n_headers].name = name;
	r->n_headers++;
}

/* Set a JSON body (takes the reference) and the status. */
static void sim_reply_json(sim_reply *r, unsigned status, json_t *j)
{
	r->status = status;
	r->ctype = "application/json;charset=utf-8";
	r->body = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	r->body_len = r->body ? strlen(r->body) : 0;
	json_decref(j);
}

/* Set a text body (copied) with its content type and the status. */
static void sim_reply_text(sim_reply *r, unsigned status, const char *ctype, const char *text)
{
	r->status = status;
	r->ctype = ctype;
	r->body = strdup(text);
	r->body_len = r->body ? strlen(r->body) : 0;
}

/* Headers every HubSpot API answer carries. */
static void sim_reply_api_common(sim_reply *r, const sim_snap *sn)
{
	sim_reply_header(r, "X-HubSpot-Correlation-Id", "%s", sn->corr);
	sim_reply_header(r, "Vary", "%s", "origin, Accept-Encoding");
	sim_reply_header(r, "Access-Control-Allow-Credentials", "%s", "false");
	sim_reply_header(r, "CF-Cache-Status", "%s", "DYNAMIC");
	sim_reply_header(r, "Server", "%s", "cloudflare");
	sim_reply_header(r, "CF-RAY", "%s-EWR", sn->ray);
}

/* The rate-limit headers; daily ones only for private-app (non-OAuth) calls. */
static void sim_reply_rate_headers(sim_reply *r, const sim_snap *sn, bool daily)
{
	if (daily) {
		sim_reply_header(r, "X-HubSpot-RateLimit-Daily", "%lld", SIM_DAILY_LIMIT);
		sim_reply_header(r, "X-HubSpot-RateLimit-Daily-Remaining", "%lld",
				 sn->daily_remaining);
	}
	sim_reply_header(r, "X-HubSpot-RateLimit-Interval-Milliseconds", "%d", SIM_INTERVAL_MS);
	sim_reply_header(r, "X-HubSpot-RateLimit-Max", "%d", SIM_BURST_MAX);
	sim_reply_header(r, "X-HubSpot-RateLimit-Remaining", "%d", sn->burst_remaining);
	/* Deprecated and no longer enforced, but still seen: readers must ignore them. */
	if (daily) {
		sim_reply_header(r, "X-HubSpot-RateLimit-Secondly", "%d", 19);
		sim_reply_header(r, "X-HubSpot-RateLimit-Secondly-Remaining", "%d", 18);
	}
}

/* HubSpot's general error body. */
static json_t *sim_error_body(const sim_snap *sn, const char *message, const char *category)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "status", "error", "message", message,
			 "correlationId", sn->corr, "category", category);
}

/* One Statuspage component object. */
static json_t *sim_component(const char *id, const char *name, const char *status, int position,
			     const char *group_id, bool group, const sim_snap *sn)
{
	json_t *c =
	    json_pack("{s:s, s:s, s:s, s:o, s:o, s:i, s:n, s:b, s:s, s:o, s:b, s:b}", "id", id,
		      "name", name, "status", status, "created_at", sim_json_time(1325376000000LL),
		      "updated_at", sim_json_time(sn->since_ms - 7 * 60000), "position", position,
		      "description", "showcase", false, "start_date", "2012-01-01", "group_id",
		      group_id ? json_string(group_id) : json_null(), "group", group,
		      "only_show_if_degraded", false);
	json_object_set_new(c, "page_id", json_string("k1b2yq9z8x7w"));
	return c;
}

/* The Statuspage v2 summary.json for the scenario. */
static json_t *sim_summary(const sim_snap *sn)
{
	bool outage = sn->scen == SC_OUTAGE;
	const char *crm = outage ? "partial_outage" : "operational";
	json_t *page = json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", "k1b2yq9z8x7w", "name",
				 "HubSpot", "url", "https://status.hubspot.com", "time_zone",
				 "Etc/UTC", "updated_at", sim_json_time(sn->since_ms - 4 * 60000));
	json_t *status =
	    json_pack("{s:s, s:s}", "indicator", outage ? "major" : "none", "description",
		      outage ? "Partial System Outage" : "All Systems Operational");

	json_t *comps = json_array();
	json_array_append_new(
	    comps, sim_component("c01mkt", "Marketing Hub", "operational", 1, NULL, false, sn));
	json_array_append_new(
	    comps, sim_component("c02sal", "Sales Hub", "operational", 2, NULL, false, sn));
	json_array_append_new(
	    comps, sim_component("c03svc", "Service Hub", "operational", 3, NULL, false, sn));
	json_array_append_new(
	    comps, sim_component("c04cms", "CMS Hub", "operational", 4, NULL, false, sn));
	json_t *apis = sim_component("c05api", "APIs", crm, 5, NULL, true, sn);
	json_object_set_new(apis, "components", json_pack("[s,s,s]", "c06crm", "c07whk", "c08oau"));
	json_array_append_new(comps, apis);
	json_array_append_new(comps,
			      sim_component("c06crm", "CRM API", crm, 6, "c05api", false, sn));
	json_array_append_new(
	    comps, sim_component("c07whk", "Webhooks", "operational", 7, "c05api", false, sn));
	json_array_append_new(comps, sim_component("c08oau", "OAuth & Private Apps", "operational",
						   8, "c05api", false, sn));
	json_array_append_new(
	    comps, sim_component("c09eml", "Email Sending", "operational", 9, NULL, false, sn));
	json_array_append_new(comps, sim_component("c10log", "Login & Navigation", "operational",
						   10, NULL, false, sn));

	json_t *incidents = json_array();
	if (outage) {
		int64_t created = sn->since_ms - 23 * 60000;
		int64_t updated = sn->since_ms - 4 * 60000;
		json_t *affected =
		    json_pack("[{s:s, s:s, s:s, s:s}]", "code", "c06crm", "name", "CRM API",
			      "old_status", "operational", "new_status", "partial_outage");
		json_t *updates = json_pack(
		    "[{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:n, s:b}, "
		    "{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:b}]",
		    /* newest first, as Statuspage lists them */
		    "id", "u2p9r7k3m1q4", "status", "investigating", "body",
		    "We are continuing to investigate elevated error rates and increased latency "
		    "for CRM API requests. Some requests may fail with 5xx errors.",
		    "incident_id", "i7x4c2v9b8n1", "created_at", sim_json_time(updated),
		    "updated_at", sim_json_time(updated), "display_at", sim_json_time(updated),
		    "affected_components", "deliver_notifications", true,
		    /* the first update */
		    "id", "u1h5j8g2f6d3", "status", "investigating", "body",
		    "We are investigating reports of elevated error rates for CRM API requests.",
		    "incident_id", "i7x4c2v9b8n1", "created_at", sim_json_time(created),
		    "updated_at", sim_json_time(created), "display_at", sim_json_time(created),
		    "affected_components", affected, "deliver_notifications", true);
		json_t *inc = json_pack(
		    "{s:s, s:s, s:s, s:o, s:o, s:n, s:n, s:s, s:s, s:o, s:s, s:o, s:[o]}", "id",
		    "i7x4c2v9b8n1", "name", "Elevated error rates for CRM API requests", "status",
		    "investigating", "created_at", sim_json_time(created), "updated_at",
		    sim_json_time(updated), "monitoring_at", "resolved_at", "impact", "major",
		    "shortlink", "https://stspg.io/hs7x4c2v", "started_at", sim_json_time(created),
		    "page_id", "k1b2yq9z8x7w", "incident_updates", updates, "components",
		    sim_component("c06crm", "CRM API", crm, 6, "c05api", false, sn));
		json_array_append_new(incidents, inc);
	}

	/* A maintenance that is only scheduled: a reader must not count it as under way. */
	int64_t day = 86400000LL;
	int64_t maint_start = (sn->since_ms / day + 3) * day + 6 * 3600000LL;
	json_t *maint = json_pack(
	    "[{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:[]}]", "id", "m3k8d1s5a2w9", "name",
	    "Scheduled maintenance for reporting and analytics", "status", "scheduled",
	    "created_at", sim_json_time(sn->since_ms - 2 * day), "updated_at",
	    sim_json_time(sn->since_ms - 2 * day), "scheduled_for", sim_json_time(maint_start),
	    "scheduled_until", sim_json_time(maint_start + 2 * 3600000LL), "impact", "maintenance",
	    "shortlink", "https://stspg.io/hs3k8d1s", "incident_updates");

	return json_pack("{s:o, s:o, s:o, s:o, s:o}", "page", page, "components", comps,
			 "incidents", incidents, "scheduled_maintenances", maint, "status", status);
}

/*
 * The errors every HubSpot API endpoint shares in a scenario (no token, outage, bad token,
 * server errors); true when r now holds the answer.
 */
static bool sim_api_common_error(const sim_snap *sn, bool had_auth, sim_reply *r)
{
	if (!had_auth) {
		sim_reply_api_common(r, sn);
		sim_reply_json(
		    r, 401,
		    sim_error_body(
			sn,
			"Authentication credentials not found. This API supports "
			"OAuth 2.0 authentication and you can find more details at "
			"https://developers.hubspot.com/docs/methods/auth/oauth-overview",
			"INVALID_AUTHENTICATION"));
		return true;
	}
	switch (sn->scen) {
	case SC_OUTAGE:
		/* HubSpot could not gather the rate-limit state: no headers for it. */
		sim_reply_api_common(r, sn);
		sim_reply_json(r, 503,
			       sim_error_body(sn,
					      "The service is temporarily unavailable. Please "
					      "retry your request later.",
					      "SERVICE_UNAVAILABLE"));
		return true;
	case SC_REVOKED:
		sim_reply_api_common(r, sn);
		sim_reply_header(r, "X-HubSpot-Auth-Failure", "%s",
				 "Invalid or revoked access token");
		sim_reply_json(
		    r, 401,
		    sim_error_body(
			sn,
			"Authentication credentials not found. This API supports "
			"OAuth 2.0 authentication and you can find more details at "
			"https://developers.hubspot.com/docs/methods/auth/oauth-overview",
			"INVALID_AUTHENTICATION"));
		return true;
	case SC_EXPIRED: {
		char msg[128];
		snprintf(msg, sizeof msg,
			 "The OAuth token used to make this call expired %d second(s) ago.",
			 SIM_EXPIRED_SECONDS);
		sim_reply_api_common(r, sn);
		sim_reply_json(r, 401, sim_error_body(sn, msg, "EXPIRED_AUTHENTICATION"));
		return true;
	}
	case SC_SERVER_ERRORS:
		/* The CDN answers, not HubSpot: no HubSpot headers at all. */
		sim_reply_header(r, "Server", "%s", "cloudflare");
		sim_reply_header(r, "CF-RAY", "%s-EWR", sn->ray);
		sim_reply_text(r, 502, "text/html", sim_html_502);
		return true;
	default:
		return false;
	}
}

/* GET /crm/v3/objects/...: the CRM API call the api probe makes. */
static void sim_answer_crm(const sim_snap *sn, bool had_auth, sim_reply *r)
{
	if (sim_api_common_error(sn, had_auth, r))
		return;
	switch (sn->scen) {
	case SC_SCOPES: {
		sim_reply_api_common(r, sn);
		sim_reply_rate_headers(r, sn, true);
		json_t *b = sim_error_body(
		    sn,
		    "This app hasn't been granted all required scopes to make this call. Read "
		    "more about required scopes here: https://developers.hubspot.com/scopes.",
		    "MISSING_SCOPES");
		json_object_set_new(b, "errors",
				    json_pack("[{s:s, s:{s:[s]}}]", "message",
					      "One or more of the following scopes are required.",
					      "context", "requiredScopes",
					      "crm.objects.contacts.read"));
		json_object_set_new(
		    b, "links",
		    json_pack("{s:s}", "scopes", "https://developers.hubspot.com/scopes"));
		sim_reply_json(r, 403, b);
		return;
	}
	case SC_DAILY: {
		/* No Retry-After: HubSpot does not promise one. */
		sim_reply_api_common(r, sn);
		sim_reply_rate_headers(r, sn, true);
		char group[64];
		snprintf(group, sizeof group, "publicapi:private-app:daily:%d", SIM_PORTAL_ID);
		sim_reply_json(r, 429,
			       json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "status", "error",
					 "message", "You have reached your daily limit.",
					 "errorType", "RATE_LIMIT", "correlationId", sn->corr,
					 "policyName", "DAILY", "groupName", group));
		return;
	}
	case SC_BURST: {
		sim_reply_api_common(r, sn);
		sim_reply_rate_headers(r, sn, true);
		sim_reply_header(r, "Retry-After", "%d", 1);
		char group[64];
		snprintf(group, sizeof group, "publicapi:private-app:ten-secondly:%d",
			 SIM_PORTAL_ID);
		sim_reply_json(
		    r, 429,
		    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "status", "error", "message",
			      "You have reached your ten_secondly_rolling limit.", "errorType",
			      "RATE_LIMIT", "correlationId", sn->corr, "policyName",
			      "TEN_SECONDLY_ROLLING", "groupName", group, "requestId", sn->corr));
		return;
	}
	default:
		break;
	}

	/* A success: one contact and the cursor to the next. */
	sim_reply_api_common(r, sn);
	sim_reply_rate_headers(r, sn, sn->scen != SC_OAUTH);
	int64_t created = 1700000000000LL + 123456;
	json_t *props = json_pack("{s:o, s:s, s:s, s:s, s:s, s:o}", "createdate",
				  sim_json_time(created), "email", "ada.okafor@example.com",
				  "firstname", "Ada", "hs_object_id", "51", "lastname", "Okafor",
				  "lastmodifieddate", sim_json_time(sn->since_ms - 3600000LL));
	json_t *body = json_pack(
	    "{s:[{s:s, s:o, s:o, s:o, s:b}], s:{s:{s:s, s:s}}}", "results", "id", "51",
	    "properties", props, "createdAt", sim_json_time(created), "updatedAt",
	    sim_json_time(sn->since_ms - 3600000LL), "archived", false, "paging", "next", "after",
	    "52", "link", "https://api.hubapi.com/crm/v3/objects/contacts?limit=1&after=52");
	sim_reply_json(r, 200, body);
}

/*
 * GET the private-apps daily usage. OAuth scenario: answered normally, because the sim cannot
 * tell a private-app token from an OAuth one and the point of that scenario is only the missing
 * daily headers on API calls; a 403 here would look like a second, unrelated fault.
 */
static void sim_answer_usage(const sim_snap *sn, bool had_auth, sim_reply *r)
{
	if (sim_api_common_error(sn, had_auth, r))
		return;
	long long used = SIM_DAILY_LIMIT - sn->daily_remaining;
	sim_reply_api_common(r, sn);
	json_t *res = json_pack(
	    "{s:s, s:I, s:I, s:o, s:s, s:o}", "name", "private-apps-api-calls-daily", "usageLimit",
	    (json_int_t)SIM_DAILY_LIMIT, "currentUsage", (json_int_t)used, "collectedAt",
	    sim_json_time(sn->now_ms - 2 * 60000), "fetchStatus", "SUCCESS", "resetsAt",
	    sim_json_time(ratelimit_next_reset_ms(sn->now_ms, SIM_UTC_OFFSET_MIN)));
	sim_reply_json(r, 200, json_pack("{s:[o]}", "results", res));
}

/* GET /account-info/v3/details: the portal and its time zone. */
static void sim_answer_details(const sim_snap *sn, bool had_auth, sim_reply *r)
{
	if (sim_api_common_error(sn, had_auth, r))
		return;
	sim_reply_api_common(r, sn);
	sim_reply_rate_headers(r, sn, sn->scen != SC_OAUTH);
	sim_reply_json(r, 200,
		       json_pack("{s:i, s:s, s:s, s:[], s:s, s:I, s:s, s:s, s:s}", "portalId",
				 SIM_PORTAL_ID, "timeZone", "US/Eastern", "companyCurrency", "USD",
				 "additionalCurrencies", "utcOffset", "-05:00",
				 "utcOffsetMilliseconds", (json_int_t)SIM_UTC_OFFSET_MIN * 60000,
				 "uiDomain", "app.hubspot.com", "dataHostingLocation", "na1",
				 "accountType", "STANDARD"));
}

/*
 * GET /health in a framework's own format (the health-* scenarios): HubSpot answers us fine,
 * but the app reports its HubSpot connection failing (slow, for IETF's warn; all well in plain
 * text). False when the scenario is not one of them.
 */
static bool sim_answer_health_format(const sim_snap *sn, sim_reply *r)
{
	char body[1024];
	unsigned j = sn->jitter;
	switch (sn->scen) {
	case SC_HEALTH_ACTUATOR:
		snprintf(body, sizeof body,
			 "{\"status\":\"DOWN\",\"components\":{\"db\":{\"status\":\"UP\","
			 "\"details\":{\"database\":\"PostgreSQL\",\"validationQuery\":"
			 "\"isValid()\"}},\"diskSpace\":{\"status\":\"UP\",\"details\":{"
			 "\"total\":499963174912,\"free\":91300069376,\"threshold\":10485760,"
			 "\"exists\":true}},\"integrations\":{\"status\":\"DOWN\","
			 "\"components\":{\"hubspot\":{\"status\":\"DOWN\",\"details\":{"
			 "\"error\":\"401 Unauthorized: the private app token was rejected "
			 "(HttpClientErrorException)\",\"responseTime\":%u}},\"slack\":{"
			 "\"status\":\"UP\"}}},\"ping\":{\"status\":\"UP\"}}}",
			 180 + j);
		sim_reply_text(r, 503, "application/vnd.spring-boot.actuator.v3+json", body);
		return true;
	case SC_HEALTH_IETF:
		snprintf(
		    body, sizeof body,
		    "{\"status\":\"warn\",\"version\":\"1\",\"releaseId\":\"1.4.2\","
		    "\"serviceId\":\"contact-sync\",\"checks\":{\"hubspot:responseTime\":[{"
		    "\"componentId\":\"api.hubapi.com\",\"componentType\":\"component\","
		    "\"observedValue\":%u,\"observedUnit\":\"ms\",\"status\":\"warn\","
		    "\"output\":\"HubSpot calls from our pool wait on the connection limit\"}],"
		    "\"postgres:connections\":[{\"componentId\":\"db-1\",\"observedValue\":12,"
		    "\"status\":\"pass\"}]}}",
		    SIM_SLOW_MS + 400 + j);
		sim_reply_text(r, 200, "application/health+json", body);
		return true;
	case SC_HEALTH_TERMINUS:
		sim_reply_text(
		    r, 503, "application/json; charset=utf-8",
		    "{\"status\":\"error\",\"info\":{\"database\":{\"status\":\"up\"}},"
		    "\"error\":{\"hubspot\":{\"status\":\"down\",\"message\":"
		    "\"Request failed with status code 401\"}},\"details\":{\"database\":{"
		    "\"status\":\"up\"},\"hubspot\":{\"status\":\"down\",\"message\":"
		    "\"Request failed with status code 401\"}}}");
		return true;
	case SC_HEALTH_ASPNET:
		snprintf(body, sizeof body,
			 "{\"status\":\"Unhealthy\",\"totalDuration\":\"00:00:00.%03u1120\","
			 "\"entries\":{\"npgsql\":{\"data\":{},\"duration\":"
			 "\"00:00:00.0101202\",\"status\":\"Healthy\",\"tags\":[\"db\"]},"
			 "\"HubSpot CRM\":{\"data\":{},\"description\":\"HubSpot API call "
			 "failed: 401 Unauthorized\",\"duration\":\"00:00:00.%03u4567\","
			 "\"status\":\"Unhealthy\",\"tags\":[\"crm\"]}}}",
			 50 + j, 40 + j);
		sim_reply_text(r, 503, "application/json", body);
		return true;
	case SC_HEALTH_MICROPROFILE:
		snprintf(body, sizeof body,
			 "{\"status\":\"DOWN\",\"checks\":[{\"name\":\"database-connections\","
			 "\"status\":\"UP\"},{\"name\":\"hubspot-api\",\"status\":\"DOWN\","
			 "\"data\":{\"reason\":\"connect timed out to api.hubapi.com:443 via "
			 "proxy.internal:3128\",\"latencyMs\":%u}}]}",
			 5000 + j);
		sim_reply_text(r, 503, "application/json", body);
		return true;
	case SC_HEALTH_PLAIN:
		sim_reply_text(r, 200, "text/plain; charset=utf-8", "OK");
		return true;
	default:
		return false;
	}
}

/* GET /health: the team's own endpoint, in the shape a team of that scenario would have. */
static void sim_answer_health(const sim_snap *sn, sim_reply *r)
{
	char ts[40];
	sim_iso(sn->now_ms, ts, sizeof ts);
	json_int_t lat = 95 + (json_int_t)sn->jitter;
	if (sim_answer_health_format(sn, r))
		return;
	switch (sn->scen) {
	case SC_OUTAGE:
		sim_reply_json(r, 200,
			       json_pack("{s:s, s:{s:{s:b, s:I}}, s:s}", "status", "degraded",
					 "services", "hubspot", "connected", false, "latencyMs",
					 (json_int_t)(10000 + sn->jitter), "timestamp", ts));
		return;
	case SC_REVOKED:
	case SC_EXPIRED:
		sim_reply_json(r, 200,
			       json_pack("{s:s, s:{s:b, s:I}, s:s}", "status", "degraded",
					 "hubspot", "connected", false, "latencyMs",
					 (json_int_t)(40 + sn->jitter), "timestamp", ts));
		return;
	case SC_SCOPES:
	case SC_DAILY:
	case SC_BURST:
		/* Connected, but some calls are refused: the app limps along. */
		sim_reply_json(r, 200,
			       json_pack("{s:s, s:{s:{s:b, s:I}}, s:s}", "status", "degraded",
					 "services", "hubspot", "connected", true, "latencyMs", lat,
					 "timestamp", ts));
		return;
	case SC_SERVER_ERRORS:
		sim_reply_json(r, 200,
			       json_pack("{s:s, s:s, s:i, s:i}", "status", "degraded",
					 "circuitState", "open", "dlqPending", 73, "apiLatencyMs",
					 5200));
		return;
	case SC_APP_DOWN:
		sim_reply_json(r, 503,
			       json_pack("{s:s, s:{s:b, s:n}, s:s}", "status", "unhealthy",
					 "hubspot", "connected", false, "latencyMs", "timestamp",
					 ts));
		return;
	case SC_NETWORK_DOWN:
	case SC_API_UNREACHABLE:
		/* Our app answers, but its own calls to HubSpot get nowhere either. */
		sim_reply_json(r, 200,
			       json_pack("{s:s, s:{s:{s:b, s:n}}, s:s}", "status", "degraded",
					 "services", "hubspot", "connected", false, "latencyMs",
					 "timestamp", ts));
		return;
	case SC_SLOW:
		lat = SIM_SLOW_MS + 100 + (json_int_t)sn->jitter;
		break;
	default:
		break;
	}
	sim_reply_json(r, 200,
		       json_pack("{s:s, s:{s:{s:b, s:I}}, s:s}", "status", "healthy", "services",
				 "hubspot", "connected", true, "latencyMs", lat, "timestamp", ts));
}

/* Anything the simulator does not serve: HubSpot's JSON 404. */
static void sim_answer_not_found(const sim_snap *sn, const char *method, const char *path,
				 sim_reply *r)
{
	char msg[256];
	snprintf(msg, sizeof msg, "Unable to route %.8s request for %.160s", method, path);
	sim_reply_api_common(r, sn);
	sim_reply_json(r, 404, sim_error_body(sn, msg, "OBJECT_NOT_FOUND"));
}

/* Whether path is p or lies under p at a '/' boundary. */
static bool sim_path_is(const char *path, const char *p)
{
	size_t n = strlen(p);
	return strncmp(path, p, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Read the state one answer is built from; counts an API call when asked to. */
static void sim_snapshot(struct sim *s, bool count_call, sim_snap *sn)
{
	int64_t mono = common_mono_ms();
	pthread_mutex_lock(&s->mu);
	if (mono - s->window_start_ms >= SIM_INTERVAL_MS) {
		s->window_start_ms = mono;
		s->window_calls = 0;
	}
	if (count_call) {
		s->api_calls++;
		s->window_calls++;
	}
	sn->scen = s->scen;
	sn->since_ms = s->scen_since_ms;
	long long left = SIM_DAILY_START_LEFT - s->api_calls;
	sn->daily_remaining = left < 1 ? 1 : left;
	int burst = SIM_BURST_MAX - SIM_BURST_BACKGROUND - s->window_calls;
	sn->burst_remaining = burst < 1 ? 1 : burst;
	sim_uuid(s, sn->corr, sizeof sn->corr);
	uint64_t x = sim_rand(s);
	snprintf(sn->ray, sizeof sn->ray, "%016llx", (unsigned long long)x);
	sn->jitter = (unsigned)(sim_rand(s) & 63u);
	pthread_mutex_unlock(&s->mu);
	sn->now_ms = common_now_ms();
	if (sn->scen == SC_DAILY)
		sn->daily_remaining = 0;
	if (sn->scen == SC_BURST)
		sn->burst_remaining = 0;
}

/* Route a non-control request to its answer, once any wait is over. */
static void sim_route(struct sim *s, const char *method, const char *path, bool had_auth,
		      sim_reply *r)
{
	bool get =
	    strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
	/* Any CRM object path: the api probe's path is configurable. */
	bool crm = strncmp(path, SIM_CRM_PREFIX, strlen(SIM_CRM_PREFIX)) == 0;
	bool usage = strcmp(path, SIM_USAGE_PATH) == 0;
	bool details = strcmp(path, SIM_DETAILS_PATH) == 0;
	bool known = crm || usage || details || strcmp(path, SIM_STATUS_PATH) == 0 ||
		     strcmp(path, SIM_HEALTH_PATH) == 0;
	sim_snap sn;
	sim_snapshot(s, get && had_auth && (crm || details), &sn);
	if (!known) {
		sim_answer_not_found(&sn, method, path, r);
		return;
	}
	if (!get) {
		sim_reply_header(r, "Allow", "%s", "GET, HEAD");
		sim_reply_json(r, 405,
			       sim_error_body(&sn, "Method not allowed", "VALIDATION_ERROR"));
		return;
	}
	if (crm)
		sim_answer_crm(&sn, had_auth, r);
	else if (usage)
		sim_answer_usage(&sn, had_auth, r);
	else if (details)
		sim_answer_details(&sn, had_auth, r);
	else if (strcmp(path, SIM_STATUS_PATH) == 0)
		sim_reply_json(r, 200, sim_summary(&sn));
	else
		sim_answer_health(&sn, r);
}

/* Sleep up to ms watching the client's socket; false when the client has gone away. */
static bool sim_nap(int fd, long ms)
{
	if (ms <= 0)
		return true;
	if (fd >= 0) {
		struct pollfd p = {.fd = fd, .events = POLLRDHUP};
		int rc = poll(&p, 1, (int)ms);
		if (rc > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)))
			return false;
		if (rc >= 0 || errno == EINTR)
			return true;
	}
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
	return true;
}

/* Wait out the delay, "slow" and "hang"; false when the sim stops or the client left. */
static bool sim_wait_turn(struct sim *s, struct MHD_Connection *conn)
{
	int fd = -1;
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci)
		fd = ci->connect_fd;
	int64_t start = common_mono_ms();
	for (;;) {
		if (atomic_load(&s->stopping))
			return false;
		pthread_mutex_lock(&s->mu);
		int scen = s->scen;
		long need = s->delay_ms;
		pthread_mutex_unlock(&s->mu);
		if (scen == SC_SLOW)
			need += SIM_SLOW_MS;
		long waited = (long)(common_mono_ms() - start);
		if (scen != SC_HANG && waited >= need)
			return true;
		long slice = SIM_SLICE_MS;
		if (scen != SC_HANG && need - waited < slice)
			slice = need - waited;
		if (!sim_nap(fd, slice))
			return false;
	}
}

/*
 * Whether the current scenario drops this request without any answer (the connection closes):
 * network-down drops everything but our own health endpoint; api-unreachable drops HubSpot's
 * API paths while the status page still answers.
 */
static bool sim_drops(struct sim *s, const char *path)
{
	pthread_mutex_lock(&s->mu);
	int scen = s->scen;
	pthread_mutex_unlock(&s->mu);
	if (scen == SC_NETWORK_DOWN)
		return strcmp(path, SIM_HEALTH_PATH) != 0;
	if (scen == SC_API_UNREACHABLE)
		return strcmp(path, SIM_HEALTH_PATH) != 0 && strcmp(path, SIM_STATUS_PATH) != 0;
	return false;
}

/* Append one request to the bounded log. */
static void sim_record(struct sim *s, const char *method, const char *path, bool had_auth)
{
	pthread_mutex_lock(&s->mu);
	sim_request *e = &s->log[s->log_total % SIM_LOG_MAX];
	common_strlcpy(e->method, method, sizeof e->method);
	common_strlcpy(e->path, path, sizeof e->path);
	e->had_auth = had_auth;
	s->log_total++;
	pthread_mutex_unlock(&s->mu);
}

/* Trim blanks and an optional "name=" from a control body; returns the start, in place. */
static char *sim_control_name(char *body)
{
	char *p = body;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (strncmp(p, "name=", 5) == 0)
		p += 5;
	size_t n = strlen(p);
	while (n > 0 &&
	       (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n'))
		p[--n] = '\0';
	return p;
}

/* Whether path is one of the message endpoints (Slack webhook, Statuspage incidents). */
static bool sim_is_post_path(const char *path)
{
	return sim_path_is(path, SIM_SLACK_PREFIX) ||
	       strncmp(path, SIM_STATUSPAGE_PREFIX, strlen(SIM_STATUSPAGE_PREFIX)) == 0;
}

/* Set the post fault. */
void sim_set_post_fault(sim *s, sim_post_fault fault, int count, long retry_after_s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->post_fault = fault;
	s->post_fault_left = fault == SIM_POST_OK ? 0 : count;
	s->post_retry_after_s = retry_after_s < 0 ? 0 : retry_after_s;
	pthread_mutex_unlock(&s->mu);
}

/* The fault this post gets (consuming one of its count), and the Retry-After to send. */
static sim_post_fault sim_take_fault(struct sim *s, long *retry_after_s)
{
	pthread_mutex_lock(&s->mu);
	sim_post_fault f = s->post_fault_left != 0 ? s->post_fault : SIM_POST_OK;
	if (s->post_fault_left > 0 && --s->post_fault_left == 0)
		s->post_fault = SIM_POST_OK;
	*retry_after_s = s->post_retry_after_s;
	pthread_mutex_unlock(&s->mu);
	return f;
}

/* Record one post with its body and the status it got. */
static void sim_record_post(struct sim *s, struct MHD_Connection *conn, const char *method,
			    const char *path, const sim_conn *cc, unsigned status)
{
	const char *auth =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	const char *ctype =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	pthread_mutex_lock(&s->mu);
	if (!s->posts)
		s->posts = calloc(SIM_POSTS_MAX, sizeof *s->posts);
	if (s->posts) {
		sim_post *p = &s->posts[s->posts_total % SIM_POSTS_MAX];
		common_strlcpy(p->method, method, sizeof p->method);
		common_strlcpy(p->path, path, sizeof p->path);
		common_strlcpy(p->auth, auth, sizeof p->auth);
		common_strlcpy(p->content_type, ctype, sizeof p->content_type);
		p->status = status;
		p->body_len = cc->post_len;
		if (cc->post_len)
			memcpy(p->body, cc->post_body, cc->post_len);
		p->body[cc->post_len] = '\0';
		s->posts_total++;
	}
	pthread_mutex_unlock(&s->mu);
}

/* Slack's answer to a webhook post: "ok", or its error words. */
static void sim_answer_slack(const char *method, const sim_conn *cc, sim_reply *r)
{
	const char *text = "text/plain; charset=utf-8";
	if (strcmp(method, MHD_HTTP_METHOD_POST) != 0) {
		sim_reply_text(r, 405, text, "invalid_method");
		return;
	}
	json_t *j = cc->post_body ? json_loadb(cc->post_body, cc->post_len, 0, NULL) : NULL;
	const char *msg = json_string_value(json_object_get(j, "text"));
	if (!j)
		sim_reply_text(r, 400, text, "invalid_payload");
	else if (!msg || !*msg)
		sim_reply_text(r, 400, text, "no_text");
	else
		sim_reply_text(r, 200, text, "ok");
	json_decref(j);
}

/* A Statuspage incident as its API returns it. */
static json_t *sim_incident_json(struct sim *s, const char *id, const char *name,
				 const char *status)
{
	char link[96];
	snprintf(link, sizeof link, "%s/incidents/%s", s->base_url, id);
	return json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", id, "name", name ? name : "", "status",
			 status, "shortlink", link, "updated_at", sim_json_time(common_now_ms()));
}

/* Statuspage's incidents API: create (POST …/incidents) and update (PATCH …/incidents/ID). */
static void sim_answer_statuspage(struct sim *s, struct MHD_Connection *conn, const char *method,
				  const char *path, const sim_conn *cc, sim_reply *r)
{
	const char *auth =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (!auth || strncmp(auth, "OAuth ", 6) != 0 || !auth[6]) {
		sim_reply_json(r, 401, json_pack("{s:s}", "error", "Couldn't authenticate you"));
		return;
	}
	/* PAGE/incidents or PAGE/incidents/ID after the prefix. */
	const char *rest = path + strlen(SIM_STATUSPAGE_PREFIX);
	const char *slash = strchr(rest, '/');
	if (!slash || slash == rest || strncmp(slash, "/incidents", 10) != 0 ||
	    (slash[10] != '\0' && slash[10] != '/')) {
		sim_reply_json(r, 404, json_pack("{s:s}", "error", "Not found"));
		return;
	}
	const char *id = slash[10] == '/' ? slash + 11 : NULL;
	bool create = !id || !*id;
	if (create ? strcmp(method, MHD_HTTP_METHOD_POST) != 0
		   : strcmp(method, MHD_HTTP_METHOD_PATCH) != 0 &&
			 strcmp(method, MHD_HTTP_METHOD_PUT) != 0) {
		sim_reply_header(r, "Allow", "%s", create ? "POST" : "PATCH, PUT");
		sim_reply_json(r, 405, json_pack("{s:s}", "error", "Method not allowed"));
		return;
	}
	json_t *j = cc->post_body ? json_loadb(cc->post_body, cc->post_len, 0, NULL) : NULL;
	json_t *inc = json_object_get(j, "incident");
	const char *name = json_string_value(json_object_get(inc, "name"));
	const char *status = json_string_value(json_object_get(inc, "status"));
	static const char *const statuses[] = {"investigating", "identified", "monitoring",
					       "resolved", NULL};
	bool status_ok = !status;
	for (int i = 0; statuses[i] && !status_ok; i++)
		status_ok = strcmp(status, statuses[i]) == 0;
	if (!json_is_object(inc) || !status_ok || (create && (!name || !*name))) {
		sim_reply_json(r, 422,
			       json_pack("{s:s}", "error",
					 !json_is_object(inc) ? "incident is missing"
					 : !status_ok	      ? "status is not valid"
							      : "name can't be blank"));
		json_decref(j);
		return;
	}
	pthread_mutex_lock(&s->mu);
	int at = -1;
	for (int i = 0; !create && i < s->n_incidents; i++)
		if (strcmp(s->incidents[i].id, id) == 0)
			at = i;
	if (create && s->n_incidents < SIM_INCIDENTS_MAX) {
		at = s->n_incidents++;
		uint64_t x = sim_rand(s);
		static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
		for (int k = 0; k < 12; k++, x /= 36)
			s->incidents[at].id[k] = digits[x % 36];
		s->incidents[at].id[12] = '\0';
		common_strlcpy(s->incidents[at].status, status ? status : "investigating",
			       sizeof s->incidents[at].status);
	} else if (at >= 0 && status) {
		common_strlcpy(s->incidents[at].status, status, sizeof s->incidents[at].status);
	}
	char idc[16] = "", st[16] = "";
	if (at >= 0) {
		common_strlcpy(idc, s->incidents[at].id, sizeof idc);
		common_strlcpy(st, s->incidents[at].status, sizeof st);
	}
	pthread_mutex_unlock(&s->mu);
	if (at < 0)
		sim_reply_json(r, create ? 422 : 404,
			       json_pack("{s:s}", "error",
					 create ? "too many incidents" : "Incident not found"));
	else
		sim_reply_json(r, create ? 201 : 200, sim_incident_json(s, idc, name, st));
	json_decref(j);
}

/* Answer a post to a message endpoint; false when it gets no answer (hang, stop). */
static bool sim_answer_post(struct sim *s, struct MHD_Connection *conn, const char *method,
			    const char *path, const sim_conn *cc, sim_reply *r)
{
	long retry_after = 0;
	sim_post_fault f = sim_take_fault(s, &retry_after);
	if (f == SIM_POST_HANG) {
		sim_record_post(s, conn, method, path, cc, 0);
		int fd = -1;
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (ci)
			fd = ci->connect_fd;
		while (!atomic_load(&s->stopping) && sim_nap(fd, SIM_SLICE_MS))
			;
		return false;
	}
	if (f == SIM_POST_429) {
		sim_reply_header(r, "Retry-After", "%ld", retry_after);
		sim_reply_text(r, 429, "text/plain; charset=utf-8", "rate_limited");
	} else if (f == SIM_POST_500) {
		sim_reply_text(r, 500, "text/plain; charset=utf-8", "internal_error");
	} else if (cc->post_too_big) {
		sim_reply_text(r, 413, "text/plain; charset=utf-8", "payload_too_large");
	} else if (sim_path_is(path, SIM_SLACK_PREFIX)) {
		sim_answer_slack(method, cc, r);
	} else {
		sim_answer_statuspage(s, conn, method, path, cc, r);
	}
	sim_record_post(s, conn, method, path, cc, r->status);
	return true;
}

/* POST /_sim/post-fault: "ok", "429 COUNT SECONDS", "500 COUNT" or "hang COUNT". */
static void sim_control_post_fault(struct sim *s, sim_conn *cc, sim_reply *r)
{
	const char *text = "text/plain; charset=utf-8";
	char word[8] = "";
	int count = 1;
	long secs = 1;
	int n = sscanf(cc->body, "%7s %d %ld", word, &count, &secs);
	sim_post_fault f = SIM_POST_OK;
	if (n >= 1 && strcmp(word, "429") == 0)
		f = SIM_POST_429;
	else if (n >= 1 && strcmp(word, "500") == 0)
		f = SIM_POST_500;
	else if (n >= 1 && strcmp(word, "hang") == 0)
		f = SIM_POST_HANG;
	else if (!(n >= 1 && strcmp(word, "ok") == 0)) {
		sim_reply_text(r, 400, text,
			       "use ok, \"429 COUNT SECONDS\", \"500 COUNT\" or \"hang COUNT\"");
		return;
	}
	sim_set_post_fault(s, f, count, secs);
	sim_reply_text(r, 200, text, word);
}

/* The recorded requests as a JSON array, oldest first. */
static char *sim_requests_json(struct sim *s)
{
	json_t *arr = json_array();
	pthread_mutex_lock(&s->mu);
	size_t kept = s->log_total < SIM_LOG_MAX ? s->log_total : SIM_LOG_MAX;
	size_t first = s->log_total - kept;
	for (size_t i = 0; i < kept; i++) {
		const sim_request *e = &s->log[(first + i) % SIM_LOG_MAX];
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "method", e->method, "path",
						     e->path, "auth", e->had_auth));
	}
	pthread_mutex_unlock(&s->mu);
	char *out = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(arr);
	return out;
}

/* The /_sim control paths: read or switch the scenario, list the requests. */
static void sim_control(struct sim *s, struct MHD_Connection *conn, const char *method,
			const char *path, sim_conn *cc, sim_reply *r)
{
	const char *text = "text/plain; charset=utf-8";
	bool get =
	    strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
	bool set =
	    strcmp(method, MHD_HTTP_METHOD_POST) == 0 || strcmp(method, MHD_HTTP_METHOD_PUT) == 0;
	if (strcmp(path, SIM_CONTROL_PREFIX "/requests") == 0 && get) {
		r->status = 200;
		r->ctype = "application/json";
		r->body = sim_requests_json(s);
		r->body_len = r->body ? strlen(r->body) : 0;
		return;
	}
	if (strcmp(path, SIM_CONTROL_PREFIX "/post-fault") == 0 && set) {
		sim_control_post_fault(s, cc, r);
		return;
	}
	if (strcmp(path, SIM_CONTROL_PREFIX "/scenario") != 0) {
		sim_reply_text(r, 404, text,
			       "unknown control path: use /_sim/scenario, /_sim/requests or "
			       "/_sim/post-fault");
		return;
	}
	if (get) {
		char name[32];
		sim_scenario(s, name, sizeof name);
		sim_reply_text(r, 200, text, name);
		return;
	}
	if (!set) {
		sim_reply_header(r, "Allow", "%s", "GET, POST, PUT");
		sim_reply_text(r, 405, text, "use GET to read the scenario, POST or PUT to set it");
		return;
	}
	if (cc->body_too_big) {
		sim_reply_text(r, 413, text,
			       "scenario body too large: send just the scenario name");
		return;
	}
	const char *name = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "name");
	if (!name)
		name = sim_control_name(cc->body);
	if (sim_set_scenario(s, name) != 0) {
		char shown[48];
		size_t n = 0;
		for (const char *p = name; *p && n < sizeof shown - 1; p++)
			shown[n++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
		shown[n] = '\0';
		char msg[400];
		int len = snprintf(msg, sizeof msg, "unknown scenario '%s'; known:", shown);
		for (int i = 0; sim_scenarios[i] && len > 0 && (size_t)len < sizeof msg; i++)
			len += snprintf(msg + len, sizeof msg - (size_t)len, "%s %s", i ? "," : "",
					sim_scenarios[i]);
		sim_reply_text(r, 400, text, msg);
		return;
	}
	sim_reply_text(r, 200, text, name);
}

/* Hand a built answer to libmicrohttpd and free it. */
static enum MHD_Result sim_send(struct MHD_Connection *conn, sim_reply *r)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(
	    r->body_len, r->body ? r->body : (char *)"", MHD_RESPMEM_MUST_COPY);
	free(r->body);
	r->body = NULL;
	if (!resp)
		return MHD_NO;
	if (r->ctype)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->ctype);
	for (int i = 0; i < r->n_headers; i++)
		MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
	enum MHD_Result ret = MHD_queue_response(conn, r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* libmicrohttpd's request callback: record, gather the body, wait, answer. */
static enum MHD_Result sim_handle(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	(void)version;
	struct sim *s = cls;
	sim_conn *cc = *con_cls;
	const char *path = url ? url : "/";
	if (!cc) {
		cc = calloc(1, sizeof *cc);
		if (!cc)
			return MHD_NO;
		*con_cls = cc;
		cc->control = sim_path_is(path, SIM_CONTROL_PREFIX);
		cc->post = !cc->control && sim_is_post_path(path);
		if (cc->post && !(cc->post_body = malloc(SIM_POST_BODY_MAX + 1)))
			return MHD_NO;
		if (!cc->control)
			sim_record(s, method, path,
				   MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							       MHD_HTTP_HEADER_AUTHORIZATION) !=
				       NULL);
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;
		if (cc->post && !cc->post_too_big) {
			if (cc->post_len + n > SIM_POST_BODY_MAX) {
				cc->post_too_big = true;
			} else {
				memcpy(cc->post_body + cc->post_len, upload_data, n);
				cc->post_len += n;
			}
		}
		if (cc->control && !cc->body_too_big) {
			if (cc->body_len + n > SIM_CONTROL_BODY_MAX) {
				cc->body_too_big = true;
			} else {
				memcpy(cc->body + cc->body_len, upload_data, n);
				cc->body_len += n;
				cc->body[cc->body_len] = '\0';
			}
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (atomic_load(&s->stopping))
		return MHD_NO;

	sim_reply r = {0};
	if (cc->control) {
		sim_control(s, conn, method, path, cc, &r);
	} else if (cc->post) {
		if (!sim_answer_post(s, conn, method, path, cc, &r))
			return MHD_NO; /* hang: the connection closes with no answer */
	} else {
		if (!sim_wait_turn(s, conn) || sim_drops(s, path))
			return MHD_NO; /* the connection closes with no answer */
		bool had_auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							    MHD_HTTP_HEADER_AUTHORIZATION) != NULL;
		sim_route(s, method, path, had_auth, &r);
	}
	return sim_send(conn, &r);
}

/* libmicrohttpd's end-of-request callback: free the per-request state. */
static void sim_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			  enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	sim_conn *cc = *con_cls;
	if (cc)
		free(cc->post_body);
	free(*con_cls);
	*con_cls = NULL;
}

/* Start on 127.0.0.1:port (0 = ephemeral) in the named scenario (NULL = healthy). */
sim *sim_start(const char *scenario, unsigned short port, char *err, size_t errsz)
{
	if (err && errsz)
		err[0] = '\0';
	int scen = scenario ? sim_scen_index(scenario) : SC_HEALTHY;
	if (scen < 0) {
		if (err)
			snprintf(err, errsz,
				 "unknown simulator scenario '%.40s' (try: healthy, "
				 "hubspot-outage, token-revoked, ...)",
				 scenario);
		return NULL;
	}
	struct sim *s = calloc(1, sizeof *s);
	sim_request *log = calloc(SIM_LOG_MAX, sizeof *log);
	if (!s || !log) {
		free(s);
		free(log);
		if (err)
			snprintf(err, errsz, "simulator: out of memory");
		return NULL;
	}
	s->log = log;
	s->scen = scen;
	s->scen_since_ms = common_now_ms();
	s->window_start_ms = common_mono_ms();
	s->rng = (uint64_t)common_now_ms() * 6364136223846793005ULL ^ (uint64_t)(uintptr_t)s;
	if (s->rng == 0)
		s->rng = 0x9e3779b97f4a7c15ULL;
	atomic_init(&s->stopping, false);
	pthread_mutex_init(&s->mu, NULL);

	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	errno = 0;
	s->daemon = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL, port,
	    NULL, NULL, sim_handle, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_NOTIFY_COMPLETED, sim_completed, s, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned int)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned int)256, MHD_OPTION_END);
	if (!s->daemon) {
		int e = errno;
		if (err)
			snprintf(err, errsz, "simulator could not listen on 127.0.0.1:%u: %s",
				 (unsigned)port,
				 e ? strerror(e) : "libmicrohttpd refused to start");
		pthread_mutex_destroy(&s->mu);
		free(s->log);
		free(s);
		return NULL;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : port;
	snprintf(s->base_url, sizeof s->base_url, "http://127.0.0.1:%u", (unsigned)s->port);
	return s;
}

/* The port the simulator listens on. */
unsigned short sim_port(const sim *s)
{
	return s ? s->port : 0;
}

/* "http://127.0.0.1:PORT". */
const char *sim_base_url(const sim *s)
{
	return s ? s->base_url : "";
}

/* Switch the scenario while running; -1 when the name is unknown. */
int sim_set_scenario(sim *s, const char *name)
{
	int i = sim_scen_index(name);
	if (!s || i < 0)
		return -1;
	pthread_mutex_lock(&s->mu);
	if (s->scen != i) {
		s->scen = i;
		s->scen_since_ms = common_now_ms();
	}
	pthread_mutex_unlock(&s->mu);
	return 0;
}

/* Copy the current scenario's name. */
void sim_scenario(sim *s, char *out, size_t outsz)
{
	if (!s) {
		common_strlcpy(out, "", outsz);
		return;
	}
	pthread_mutex_lock(&s->mu);
	int i = s->scen;
	pthread_mutex_unlock(&s->mu);
	common_strlcpy(out, sim_scenarios[i], outsz);
}

/* Extra delay before every non-control answer (clamped to 0 .. 10 minutes). */
void sim_set_delay_ms(sim *s, long ms)
{
	if (!s)
		return;
	if (ms < 0)
		ms = 0;
	if (ms > SIM_MAX_DELAY_MS)
		ms = SIM_MAX_DELAY_MS;
	pthread_mutex_lock(&s->mu);
	s->delay_ms = ms;
	pthread_mutex_unlock(&s->mu);
}

/* Copy up to max of the last entries of a ring (cap entries of elem bytes, total ever added),
 * oldest first; nothing when out or ring is NULL. Caller holds the lock. */
static void sim_ring_copy(void *out, const void *ring, size_t elem, size_t total, size_t cap,
			  size_t max)
{
	size_t kept = total < cap ? total : cap;
	size_t first = total - kept;
	for (size_t i = 0; out && ring && i < kept && i < max; i++)
		memcpy((char *)out + i * elem, (const char *)ring + ((first + i) % cap) * elem,
		       elem);
}

/*
 * Copy up to max of the retained requests (the last SIM_LOG_MAX), oldest first; returns how
 * many were recorded in all, including those that fell out of the log.
 */
size_t sim_requests(sim *s, sim_request *out, size_t max)
{
	if (!s)
		return 0;
	pthread_mutex_lock(&s->mu);
	size_t total = s->log_total;
	sim_ring_copy(out, s->log, sizeof *out, total, SIM_LOG_MAX, max);
	pthread_mutex_unlock(&s->mu);
	return total;
}

/* Stop: waiting handlers give up, the daemon joins its threads, everything is freed. */
void sim_stop(sim *s)
{
	if (!s)
		return;
	atomic_store(&s->stopping, true);
	MHD_stop_daemon(s->daemon);
	pthread_mutex_destroy(&s->mu);
	free(s->log);
	free(s->posts);
	free(s);
}

/* Copy up to max of the kept posts (the last SIM_POSTS_MAX), oldest first. */
size_t sim_posts(sim *s, sim_post *out, size_t max)
{
	if (!s)
		return 0;
	pthread_mutex_lock(&s->mu);
	size_t total = s->posts_total;
	sim_ring_copy(out, s->posts, sizeof *out, total, SIM_POSTS_MAX, max);
	pthread_mutex_unlock(&s->mu);
	return total;
}
