/* account-info daily API usage into ev_usage, as HubSpot counts it. */
#include "hsr/probe_usage.h"

#include <jansson.h>
#include <string.h>

#include "hsr/probe_fetch.h"

/* The name of the entry that counts private-app calls per day. */
#define USAGE_DAILY_NAME "private-apps-api-calls-daily"

/* The daily private-apps entry of results[], else its first object, else NULL. */
static const json_t *pick_entry(const json_t *results)
{
	const json_t *first = NULL;
	size_t i;
	const json_t *e;
	json_array_foreach(results, i, e)
	{
		if (!json_is_object(e))
			continue;
		if (!first)
			first = e;
		const json_t *name = json_object_get(e, "name");
		if (json_is_string(name) && json_string_length(name) == strlen(USAGE_DAILY_NAME) &&
		    strcmp(json_string_value(name), USAGE_DAILY_NAME) == 0)
			return e;
	}
	return first;
}

/* Parse the usage answer into out. */
void probe_usage_parse(const http_response *r, ev_usage *out)
{
	memset(out, 0, sizeof *out);
	probe_fetch_fill(&out->f, r);
	if (!r || r->err != HTTP_OK || r->status < 200 || r->status > 299)
		return;
	json_t *root = probe_fetch_json(r);
	const json_t *results = json_object_get(root, "results");
	if (!json_is_array(results)) {
		json_decref(root);
		return;
	}
	out->f.json_ok = true;
	out->f.body_excerpt[0] = '\0';
	const json_t *e = pick_entry(results);
	if (e) {
		out->usage_limit = probe_fetch_uint(json_object_get(e, "usageLimit"));
		out->current_usage = probe_fetch_uint(json_object_get(e, "currentUsage"));
		probe_fetch_str(out->collected_at, sizeof out->collected_at,
				json_object_get(e, "collectedAt"));
		probe_fetch_str(out->fetch_status, sizeof out->fetch_status,
				json_object_get(e, "fetchStatus"));
		const json_t *resets = json_object_get(e, "resetsAt");
		probe_fetch_str(out->resets_at, sizeof out->resets_at, resets);
		if (json_is_string(resets) &&
		    strlen(json_string_value(resets)) == json_string_length(resets))
			out->resets_at_ms = probe_fetch_time_ms(json_string_value(resets));
		/* HubSpot could not gather the figures (TIMEOUT, FAILURE, NOTFOUND): a zero
		 * there means "not counted", never "nothing used". */
		if (!evidence_usage_trusted(out->fetch_status)) {
			out->usage_limit = OPT_UNKNOWN;
			out->current_usage = OPT_UNKNOWN;
		}
	}
	json_decref(root);
}
