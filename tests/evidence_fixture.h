/* Evidence as the probes would publish it, for the predicate and diagnose tests. */
#ifndef HSR_EVIDENCE_FIXTURE_H
#define HSR_EVIDENCE_FIXTURE_H

#include <string.h>

#include "hsr/board.h"

/* A finished request that got an HTTP answer. */
static inline fetch_info fx_answer(long code, long latency_ms, bool json_ok)
{
	return (fetch_info){.done = true,
			    .configured = true,
			    .err = HTTP_OK,
			    .http_status = code,
			    .latency_ms = latency_ms,
			    .at_ms = 1715680000000,
			    .json_ok = json_ok};
}

/* A finished request that got no HTTP answer. */
static inline fetch_info fx_failed(http_err err, long latency_ms, const char *msg)
{
	fetch_info f = {.done = true, .configured = true, .err = err, .latency_ms = latency_ms};
	strncpy(f.error, msg, sizeof f.error - 1);
	return f;
}

/* A probe that was not asked (no URL or no token), as probe_run publishes it. */
static inline fetch_info fx_not_configured(const char *msg)
{
	fetch_info f = {.done = true, .configured = false, .err = HTTP_ERR_NOT_CONFIGURED};
	strncpy(f.error, msg, sizeof f.error - 1);
	return f;
}

/* ---- the API call ---- */

/* No token: the API probe was not asked. */
static inline void fx_api_no_token(evidence *e)
{
	e->api.f = fx_not_configured("no token: set HUBSPOT_ACCESS_TOKEN or --token-file");
}

/* A normal 200 with every rate-limit header. */
static inline void fx_api_200(evidence *e)
{
	e->api.f = fx_answer(200, 182, true);
	e->api.rl_daily = OPT_OF(250000);
	e->api.rl_daily_remaining = OPT_OF(249117);
	e->api.rl_interval_ms = OPT_OF(10000);
	e->api.rl_max = OPT_OF(190);
	e->api.rl_remaining = OPT_OF(188);
	strcpy(e->api.correlation_id, "5d8c1a9e-2b44-4d0c-9a3f-7e1f0c2b6a11");
}

/* A 200 that took 4,102 ms: over the default slow_ms of 3,000. */
static inline void fx_api_200_slow(evidence *e)
{
	fx_api_200(e);
	e->api.f.latency_ms = 4102;
}

/* A 200 that took exactly slow_ms (3,000 ms): not over it. */
static inline void fx_api_200_at_threshold(evidence *e)
{
	fx_api_200(e);
	e->api.f.latency_ms = 3000;
}

/* A 200 whose latency was not measured. */
static inline void fx_api_200_no_latency(evidence *e)
{
	fx_api_200(e);
	e->api.f.latency_ms = -1;
}

/* A 200 that spent the last call of the day. */
static inline void fx_api_200_daily_zero(evidence *e)
{
	fx_api_200(e);
	e->api.rl_daily_remaining = OPT_OF(0);
}

/* A revoked or wrong token (401 INVALID_AUTHENTICATION). */
static inline void fx_api_401(evidence *e)
{
	e->api.f = fx_answer(401, 95, true);
	strcpy(e->api.category, "INVALID_AUTHENTICATION");
	strcpy(e->api.message, "Authentication credentials not found. This API supports OAuth "
			       "2.0 authentication.");
	strcpy(e->api.correlation_id, "0b7e0c55-8d0d-4f5e-a1b6-3c3b2f5e8d21");
	e->api.auth_failure_header = true;
}

/* An expired OAuth access token. */
static inline void fx_api_401_expired(evidence *e)
{
	e->api.f = fx_answer(401, 80, true);
	strcpy(e->api.category, "EXPIRED_AUTHENTICATION");
	strcpy(e->api.message, "The OAuth token used to make this call expired 312 second(s) ago.");
}

/* A 403 MISSING_SCOPES naming the scope. */
static inline void fx_api_403_scopes(evidence *e)
{
	e->api.f = fx_answer(403, 120, true);
	strcpy(e->api.category, "MISSING_SCOPES");
	strcpy(e->api.message,
	       "This app hasn't been granted all required scopes to make this call.");
	strcpy(e->api.required_scopes, "crm.objects.contacts.read");
}

/* A 403 that names required scopes without the category (seen on older endpoints). */
static inline void fx_api_403_scopes_only(evidence *e)
{
	e->api.f = fx_answer(403, 120, true);
	strcpy(e->api.required_scopes, "crm.objects.contacts.read,crm.schemas.contacts.read");
}

/* A 403 that is not about scopes. */
static inline void fx_api_403_other(evidence *e)
{
	e->api.f = fx_answer(403, 101, true);
	strcpy(e->api.category, "PERMISSION_DENIED");
	strcpy(e->api.message, "This portal does not have access to this object.");
}

/* A DAILY 429 with the daily headers at 0. */
static inline void fx_api_429_daily(evidence *e)
{
	e->api.f = fx_answer(429, 64, true);
	strcpy(e->api.error_type, "RATE_LIMIT");
	strcpy(e->api.policy_name, "DAILY");
	strcpy(e->api.message, "You have reached your daily limit.");
	e->api.rl_daily = OPT_OF(250000);
	e->api.rl_daily_remaining = OPT_OF(0);
}

/* A DAILY 429 on an OAuth call: no daily headers at all. */
static inline void fx_api_429_daily_oauth(evidence *e)
{
	e->api.f = fx_answer(429, 61, true);
	strcpy(e->api.error_type, "RATE_LIMIT");
	strcpy(e->api.policy_name, "DAILY");
	e->api.rl_max = OPT_OF(110);
	e->api.rl_remaining = OPT_OF(97);
}

/* A TEN_SECONDLY_ROLLING 429 with Retry-After. */
static inline void fx_api_429_burst(evidence *e)
{
	e->api.f = fx_answer(429, 58, true);
	strcpy(e->api.error_type, "RATE_LIMIT");
	strcpy(e->api.policy_name, "TEN_SECONDLY_ROLLING");
	strcpy(e->api.message, "You have reached your ten_secondly_rolling limit.");
	e->api.rl_max = OPT_OF(190);
	e->api.rl_remaining = OPT_OF(0);
	e->api.rl_daily = OPT_OF(250000);
	e->api.rl_daily_remaining = OPT_OF(181250);
	e->api.retry_after_s = OPT_OF(2);
}

/* An older SECONDLY 429. */
static inline void fx_api_429_secondly(evidence *e)
{
	e->api.f = fx_answer(429, 58, true);
	strcpy(e->api.error_type, "RATE_LIMIT");
	strcpy(e->api.policy_name, "SECONDLY");
}

/* A 429 with neither a policy name nor any rate-limit header. */
static inline void fx_api_429_bare(evidence *e)
{
	e->api.f = fx_answer(429, 40, true);
	strcpy(e->api.message, "Too many requests");
}

/* The usage endpoint reports the day's allowance spent. */
static inline void fx_usage_full(evidence *e)
{
	e->usage.f = fx_answer(200, 300, true);
	e->usage.usage_limit = OPT_OF(500000);
	e->usage.current_usage = OPT_OF(500012);
	strcpy(e->usage.fetch_status, "CACHED");
}

/* The usage endpoint answered, but HubSpot could not gather the figures (fetchStatus TIMEOUT):
 * the numbers are what an older parser would have let through. */
static inline void fx_usage_timeout(evidence *e)
{
	e->usage.f = fx_answer(200, 300, true);
	e->usage.usage_limit = OPT_OF(500000);
	e->usage.current_usage = OPT_OF(500000);
	strcpy(e->usage.fetch_status, "TIMEOUT");
}

/* A 502 HTML page over the body cap: the status and headers came, the body was not read. */
static inline void fx_api_502_too_large(evidence *e)
{
	e->api.f = fx_answer(502, 4100, false);
	e->api.f.err = HTTP_ERR_TOO_LARGE;
	strcpy(e->api.f.error, "answer from api.hubapi.com larger than 1024 KiB: not read");
	strcpy(e->api.f.body_excerpt, "502 Bad Gateway");
}

/* A 429 over the body cap: still a 429, with its headers. */
static inline void fx_api_429_too_large(evidence *e)
{
	fx_api_429_burst(e);
	e->api.f.err = HTTP_ERR_TOO_LARGE;
	e->api.policy_name[0] = '\0';
	e->api.error_type[0] = '\0';
	e->api.message[0] = '\0';
	e->api.f.json_ok = false;
}

/* A 502 from the CDN with an HTML page. */
static inline void fx_api_502_html(evidence *e)
{
	e->api.f = fx_answer(502, 30012, false);
	strcpy(e->api.f.body_excerpt, "502 Bad Gateway");
}

/* A JSON 503. */
static inline void fx_api_503(evidence *e)
{
	e->api.f = fx_answer(503, 2100, true);
	strcpy(e->api.message, "Service Unavailable");
}

/* A 404 naming the right data centre. */
static inline void fx_api_404_hublet(evidence *e)
{
	e->api.f = fx_answer(404, 77, true);
	strcpy(e->api.category, "OBJECT_NOT_FOUND");
	strcpy(e->api.correct_hublet, "eu1");
}

/* A redirect: the API base URL is wrong or a proxy redirects. */
static inline void fx_api_301(evidence *e)
{
	e->api.f = fx_answer(301, 44, false);
}

/* A 477: the account is migrating. */
static inline void fx_api_477(evidence *e)
{
	e->api.f = fx_answer(477, 77, true);
	strcpy(e->api.message, "This account is being migrated.");
	e->api.retry_after_s = OPT_OF(3600);
}

/* A time-out, worded as the HTTP layer words it. */
static inline void fx_api_timeout(evidence *e)
{
	e->api.f =
	    fx_failed(HTTP_ERR_TIMEOUT, 10003, "timed out after 10 s waiting for api.hubapi.com");
}

/* A DNS failure. */
static inline void fx_api_dns(evidence *e)
{
	e->api.f = fx_failed(HTTP_ERR_DNS, 12,
			     "DNS lookup failed for api.hubapi.com: check the URL and this "
			     "host's resolver");
}

/* A refused connection. */
static inline void fx_api_refused(evidence *e)
{
	e->api.f = fx_failed(HTTP_ERR_REFUSED, 1,
			     "connection refused by api.hubapi.com: nothing listens there, "
			     "or a firewall rejects it");
}

/* An untrusted certificate. */
static inline void fx_api_tls(evidence *e)
{
	e->api.f = fx_failed(HTTP_ERR_TLS, 40,
			     "TLS certificate of api.hubapi.com not trusted: check the clock, a "
			     "proxy, or --cacert");
}

/* A time-out the HTTP layer gave no words for. */
static inline void fx_api_timeout_bare(evidence *e)
{
	e->api.f = fx_failed(HTTP_ERR_TIMEOUT, 10003, "");
}

/* A request we cancelled ourselves. */
static inline void fx_api_cancelled(evidence *e)
{
	e->api.f = fx_failed(HTTP_ERR_CANCELLED, 5, "");
}

/* ---- the status page ---- */

/* A status page answer that lists incidents and components (as every real summary does). */
static inline void fx_status_read(evidence *e)
{
	e->status.f = fx_answer(200, 240, true);
	e->status.incidents_known = true;
	e->status.components_known = true;
}

/* A clear status page. */
static inline void fx_status_ok(evidence *e)
{
	fx_status_read(e);
	strcpy(e->status.indicator, "none");
	strcpy(e->status.description, "All Systems Operational");
}

/* One unresolved major incident. */
static inline void fx_status_incident(evidence *e)
{
	fx_status_read(e);
	strcpy(e->status.indicator, "major");
	strcpy(e->status.description, "Partial System Outage");
	e->status.n_incidents = 1;
	e->status.incidents_total = 1;
	strcpy(e->status.incidents[0].name, "Elevated error rates");
	strcpy(e->status.incidents[0].impact, "major");
	strcpy(e->status.incidents[0].status, "investigating");
}

/* No incident yet, but the API component is already marked down. */
static inline void fx_status_api_degraded(evidence *e)
{
	fx_status_read(e);
	strcpy(e->status.indicator, "minor");
	strcpy(e->status.description, "Minor Service Outage");
	e->status.n_components_bad = 2;
	e->status.components_bad_total = 2;
	strcpy(e->status.components_bad[0].name, "Marketing Email");
	strcpy(e->status.components_bad[0].status, "degraded_performance");
	strcpy(e->status.components_bad[1].name, "CRM API");
	strcpy(e->status.components_bad[1].status, "partial_outage");
	e->status.api_component_degraded = true;
}

/* A degraded component that has nothing to do with the API. */
static inline void fx_status_minor_other(evidence *e)
{
	fx_status_read(e);
	strcpy(e->status.indicator, "minor");
	strcpy(e->status.description, "Minor Service Outage");
	e->status.n_components_bad = 1;
	e->status.components_bad_total = 1;
	strcpy(e->status.components_bad[0].name, "Marketing Email");
	strcpy(e->status.components_bad[0].status, "degraded_performance");
}

/* A critical indicator with no incident listed (yet). */
static inline void fx_status_critical_only(evidence *e)
{
	fx_status_read(e);
	strcpy(e->status.indicator, "critical");
	strcpy(e->status.description, "Major System Outage");
}

/* Maintenance in progress, no incident. */
static inline void fx_status_maintenance(evidence *e)
{
	fx_status_ok(e);
	strcpy(e->status.indicator, "maintenance");
	strcpy(e->status.description, "Service Under Maintenance");
	e->status.n_maint = 1;
	strcpy(e->status.maint[0].name, "Database upgrade");
	strcpy(e->status.maint[0].status, "in_progress");
}

/* A 2xx JSON body with neither incidents[] nor status.indicator: nothing to go on. */
static inline void fx_status_no_lists(evidence *e)
{
	e->status.f = fx_answer(200, 240, true);
	strcpy(e->status.description, "All Systems Operational");
}

/* An indicator but no incidents[] array. */
static inline void fx_status_indicator_only(evidence *e)
{
	e->status.f = fx_answer(200, 240, true);
	strcpy(e->status.indicator, "none");
	strcpy(e->status.description, "All Systems Operational");
}

/* An incident while a component whose name merely contains "api" (Rapid ...) is down. */
static inline void fx_status_incident_rapid(evidence *e)
{
	fx_status_read(e);
	strcpy(e->status.indicator, "minor");
	e->status.n_incidents = 1;
	e->status.incidents_total = 1;
	strcpy(e->status.incidents[0].name, "Slow page loads");
	strcpy(e->status.incidents[0].status, "identified");
	e->status.n_components_bad = 1;
	e->status.components_bad_total = 1;
	strcpy(e->status.components_bad[0].name, "Rapid Page Builder");
	strcpy(e->status.components_bad[0].status, "partial_outage");
}

/* The status page did not answer. */
static inline void fx_status_timeout(evidence *e)
{
	e->status.f = fx_failed(HTTP_ERR_TIMEOUT, 10000,
				"timed out after 10 s waiting for status.hubspot.com");
}

/* The status page's name did not resolve. */
static inline void fx_status_dns(evidence *e)
{
	e->status.f = fx_failed(HTTP_ERR_DNS, 8,
				"DNS lookup failed for status.hubspot.com: check the URL and this "
				"host's resolver");
}

/* The status page closed the connection without answering. */
static inline void fx_status_dropped(evidence *e)
{
	e->status.f = fx_failed(HTTP_ERR_CONNECT, 3,
				"status.hubspot.com closed the connection without answering");
}

/* The status page URL is not a URL. */
static inline void fx_status_bad_url(evidence *e)
{
	e->status.f = fx_failed(HTTP_ERR_BAD_URL, 0, "bad URL \"htp:/x\": use http:// or https://");
}

/* No status page URL configured. */
static inline void fx_status_not_configured(evidence *e)
{
	e->status.f = fx_not_configured("no status page URL configured");
}

/* The status page answered with an error page. */
static inline void fx_status_503_html(evidence *e)
{
	e->status.f = fx_answer(503, 90, false);
	strcpy(e->status.f.body_excerpt, "503 Service Temporarily Unavailable");
}

/* ---- our health endpoint ---- */

/* A JSON health answer in shape A or B: code, state, status word, HubSpot connected, latency. */
static inline void fx_health_shaped(evidence *e, long code, health_state st, const char *word,
				    char shape, int connected, long long latency_ms)
{
	e->health.f = fx_answer(code, 14, true);
	e->health.state = st;
	strcpy(e->health.status_text, word);
	e->health.shape = shape;
	e->health.hubspot_connected = connected;
	e->health.hubspot_latency_ms = OPT_OF(latency_ms);
}

/* Shape A, healthy and connected. */
static inline void fx_health_healthy(evidence *e)
{
	fx_health_shaped(e, 200, HEALTH_HEALTHY, "healthy", 'A', 1, 123);
}

/* Shape A, healthy, but our app's own HubSpot latency is 4,190 ms (over slow_ms). */
static inline void fx_health_slow(evidence *e)
{
	fx_health_healthy(e);
	e->health.hubspot_latency_ms = OPT_OF(4190);
}

/* Shape B, answering 200 "degraded" because HubSpot is not connected: nothing else wrong. */
static inline void fx_health_hubspot_down(evidence *e)
{
	fx_health_shaped(e, 200, HEALTH_DEGRADED, "degraded", 'B', 0, 10006);
}

/* Shape A, answering 200 "unhealthy" while HubSpot is connected: our app's own fault. */
static inline void fx_health_unhealthy_connected(evidence *e)
{
	fx_health_shaped(e, 200, HEALTH_UNHEALTHY, "unhealthy", 'A', 1, 88);
}

/* Shape B, answering 503 with HubSpot disconnected. */
static inline void fx_health_unhealthy(evidence *e)
{
	fx_health_shaped(e, 503, HEALTH_UNHEALTHY, "unhealthy", 'B', 0, 40);
}

/* Shape C: circuit open, a dead-letter queue filling up. */
static inline void fx_health_degraded(evidence *e)
{
	e->health.f = fx_answer(200, 18, true);
	e->health.state = HEALTH_DEGRADED;
	strcpy(e->health.status_text, "degraded");
	e->health.shape = 'C';
	strcpy(e->health.circuit_state, "open");
	e->health.dlq_pending = OPT_OF(73);
}

/* A 200 whose body says nothing we recognise. */
static inline void fx_health_unrecognised(evidence *e)
{
	e->health.f = fx_answer(200, 9, false);
	e->health.state = HEALTH_UNKNOWN;
	strcpy(e->health.f.body_excerpt, "OK");
}

/* A 200 with JSON in none of the known shapes. */
static inline void fx_health_json_unknown_shape(evidence *e)
{
	e->health.f = fx_answer(200, 9, true);
	e->health.state = HEALTH_UNKNOWN;
}

/* A 500 the probe could not classify. */
static inline void fx_health_500_unclassified(evidence *e)
{
	e->health.f = fx_answer(500, 9, false);
	e->health.state = HEALTH_UNKNOWN;
	strcpy(e->health.f.body_excerpt, "Internal Server Error");
}

/* Our health endpoint timed out too. */
static inline void fx_health_timeout(evidence *e)
{
	e->health.f = fx_failed(HTTP_ERR_TIMEOUT, 10000, "timed out after 10 s waiting for app");
}

/* Our health URL refuses connections. */
static inline void fx_health_refused(evidence *e)
{
	e->health.f = fx_failed(HTTP_ERR_REFUSED, 1,
				"connection refused by 127.0.0.1: nothing listens there, or a "
				"firewall rejects it");
}

/* No health URL configured. */
static inline void fx_health_not_configured(evidence *e)
{
	e->health.f = fx_not_configured("no health URL configured (health_url)");
}

/* A health URL that is not a URL. */
static inline void fx_health_bad_url(evidence *e)
{
	e->health.f =
	    fx_failed(HTTP_ERR_BAD_URL, 0, "bad URL \"htp:/health\": use http:// or https://");
}

#endif
