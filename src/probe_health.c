/* The team's own health endpoint, in any of the three known shapes, into ev_health. */
#include "hsr/probe_health.h"

#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "hsr/probe_fetch.h"

/* Whether s equals (ignoring case) one of the NULL-terminated words. */
static bool word_in(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strcasecmp(s, *words) == 0)
			return true;
	return false;
}

/* What the body's "status" word says on its own; HEALTH_UNKNOWN when absent or unrecognised. */
static health_state state_of_word(const char *s)
{
	static const char *const good[] = {"healthy", "ok", "up", "pass", "passing", NULL};
	static const char *const warn[] = {"degraded", "warn", "warning", NULL};
	static const char *const bad[] = {"unhealthy", "down",	"fail",	    "failed",
					  "failing",   "error", "critical", NULL};
	if (s[0] == '\0')
		return HEALTH_UNKNOWN;
	if (word_in(s, good))
		return HEALTH_HEALTHY;
	if (word_in(s, warn))
		return HEALTH_DEGRADED;
	if (word_in(s, bad))
		return HEALTH_UNHEALTHY;
	return HEALTH_UNKNOWN;
}

/* Read a hubspot sub-object (shapes A and B): connected and latencyMs. */
static void read_hubspot(ev_health *out, const json_t *hs)
{
	const json_t *c = json_object_get(hs, "connected");
	if (json_is_boolean(c))
		out->hubspot_connected = json_is_true(c) ? 1 : 0;
	out->hubspot_latency_ms = probe_fetch_uint(json_object_get(hs, "latencyMs"));
}

/* Fill the status word, the shape (0 when none of A, B, C) and its fields from a JSON object. */
static void read_body(ev_health *out, const json_t *root)
{
	probe_fetch_str(out->status_text, sizeof out->status_text, json_object_get(root, "status"));
	const json_t *nested = json_object_get(json_object_get(root, "services"), "hubspot");
	const json_t *top = json_object_get(root, "hubspot");
	const json_t *circuit = json_object_get(root, "circuitState");
	const json_t *dlq = json_object_get(root, "dlqPending");
	if (json_is_object(nested)) {
		out->shape = 'A';
		read_hubspot(out, nested);
	} else if (json_is_object(top)) {
		out->shape = 'B';
		read_hubspot(out, top);
	} else if (circuit || dlq) {
		out->shape = 'C';
		out->hubspot_latency_ms = probe_fetch_uint(json_object_get(root, "apiLatencyMs"));
	}
	/* Shape C's fields are read whatever the shape, when present. */
	probe_fetch_str(out->circuit_state, sizeof out->circuit_state, circuit);
	out->dlq_pending = probe_fetch_uint(dlq);
}

/* Combine the HTTP answer and the body into one state (see probe_health.h and FACTS section 5). */
static health_state overall(const ev_health *out, const http_response *r)
{
	if (r->err == HTTP_ERR_NOT_CONFIGURED || r->err == HTTP_ERR_BAD_URL ||
	    r->err == HTTP_ERR_CANCELLED)
		return HEALTH_UNKNOWN; /* not asked, or our own doing: says nothing about the app */
	if (!evidence_answered(&out->f))
		return HEALTH_UNHEALTHY; /* the app did not answer */
	if (r->status < 200 || r->status > 299)
		return HEALTH_UNHEALTHY; /* whatever the body claims */
	if (!out->f.json_ok)
		return HEALTH_UNKNOWN; /* not JSON, or too large to read: no verdict */
	health_state s = state_of_word(out->status_text);
	bool contradicted =
	    out->hubspot_connected == 0 || strcasecmp(out->circuit_state, "open") == 0;
	if (contradicted && (s == HEALTH_HEALTHY || s == HEALTH_UNKNOWN))
		return HEALTH_DEGRADED;
	return s;
}

/* Parse the health endpoint's answer into out. */
void probe_health_parse(const http_response *r, ev_health *out)
{
	memset(out, 0, sizeof *out);
	probe_fetch_fill(&out->f, r);
	out->hubspot_connected = -1;
	if (!r)
		return;
	if (r->err == HTTP_OK) {
		json_t *root = probe_fetch_json(r);
		if (json_is_object(root)) {
			/* JSON, whether or not its shape is one we know (shape 0 says which). */
			out->f.json_ok = true;
			out->f.body_excerpt[0] = '\0';
			read_body(out, root);
		}
		json_decref(root);
	}
	out->state = overall(out, r);
}
