/* Names for evidence values shown to people and written into reports, and shared readings. */
#include "hsr/evidence.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* A name for a health state: "unknown", "healthy", "degraded", "unhealthy". */
const char *evidence_health_name(health_state s)
{
	switch (s) {
	case HEALTH_HEALTHY:
		return "healthy";
	case HEALTH_DEGRADED:
		return "degraded";
	case HEALTH_UNHEALTHY:
		return "unhealthy";
	case HEALTH_UNKNOWN:
	default:
		return "unknown";
	}
}

/* Whether usage figures with this fetchStatus can be believed (SUCCESS, CACHED or absent). */
bool evidence_usage_trusted(const char *fetch_status)
{
	if (!fetch_status || fetch_status[0] == '\0')
		return true;
	return strcasecmp(fetch_status, "SUCCESS") == 0 || strcasecmp(fetch_status, "CACHED") == 0;
}

/* Whether a component name holds the word "API" or "APIs" (any case), not "Rapid" or "apis2". */
bool evidence_names_api(const char *component_name)
{
	if (!component_name)
		return false;
	const char *name = component_name;
	size_t n = strlen(name);
	for (size_t i = 0; i + 3 <= n; i++) {
		if (strncasecmp(name + i, "api", 3) != 0)
			continue;
		if (i > 0 && isalnum((unsigned char)name[i - 1]))
			continue;
		size_t j = i + 3;
		if (name[j] == 's' || name[j] == 'S')
			j++;
		if (!isalnum((unsigned char)name[j]))
			return true;
	}
	return false;
}

/* Whether a Statuspage component status says it is down to some degree. */
bool evidence_component_down(const char *component_status)
{
	static const char *const down[] = {"degraded_performance", "partial_outage", "major_outage",
					   NULL};
	if (!component_status)
		return false;
	for (int k = 0; down[k]; k++)
		if (strcasecmp(component_status, down[k]) == 0)
			return true;
	return false;
}

/* An HTTP answer came: its status is known, even when the body was too large to read. */
bool evidence_answered(const fetch_info *f)
{
	return f->done && f->http_status > 0 && (f->err == HTTP_OK || f->err == HTTP_ERR_TOO_LARGE);
}

/* An HTTP answer with a 2xx status (a body too large to read included: the status is known). */
bool evidence_answered_2xx(const fetch_info *f)
{
	return evidence_answered(f) && f->http_status >= 200 && f->http_status <= 299;
}

/* A 2xx that took longer than slow_ms (strictly): a slow success. */
bool evidence_slow_2xx(const fetch_info *f, long slow_ms)
{
	return evidence_answered_2xx(f) && slow_ms > 0 && f->latency_ms > slow_ms;
}

/* What a probe's last request came to, in the order the cases are told apart. */
evidence_outcome evidence_outcome_of(const fetch_info *f)
{
	if (!f->done)
		return EVIDENCE_PENDING;
	if (!f->configured || f->err == HTTP_ERR_NOT_CONFIGURED)
		return EVIDENCE_NOT_ASKED;
	if (evidence_answered(f))
		return EVIDENCE_ANSWERED;
	if (f->err == HTTP_ERR_CANCELLED)
		return EVIDENCE_CANCELLED;
	if (f->err == HTTP_ERR_BAD_URL)
		return EVIDENCE_BAD_URL;
	return EVIDENCE_NO_ANSWER;
}

/* The outcome as a screen shows it: nothing yet, not asked, no answer, answered. */
evidence_outcome evidence_outcome_shown(const fetch_info *f)
{
	switch (evidence_outcome_of(f)) {
	case EVIDENCE_PENDING:
	case EVIDENCE_CANCELLED:
		return EVIDENCE_PENDING;
	case EVIDENCE_NOT_ASKED:
		return EVIDENCE_NOT_ASKED;
	case EVIDENCE_ANSWERED:
		return EVIDENCE_ANSWERED;
	case EVIDENCE_BAD_URL:
	case EVIDENCE_NO_ANSWER:
	default:
		return EVIDENCE_NO_ANSWER;
	}
}

/* The fetch facts of one probe's evidence. */
const fetch_info *evidence_fetch(const evidence *e, probe_id id)
{
	switch (id) {
	case PROBE_STATUS:
		return &e->status.f;
	case PROBE_API:
		return &e->api.f;
	case PROBE_USAGE:
		return &e->usage.f;
	case PROBE_HEALTH:
	case PROBE_COUNT:
	default:
		return &e->health.f;
	}
}

/* How many probes have published at least once. */
int evidence_published(const evidence *e)
{
	int n = 0;
	for (int i = 0; i < PROBE_COUNT; i++)
		if (e->seq[i])
			n++;
	return n;
}
