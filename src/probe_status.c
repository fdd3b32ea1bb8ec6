/* Statuspage v2 summary.json into ev_status: indicator, open incidents, bad components,
 * maintenance. */
#include "hsr/probe_status.h"

#include <ctype.h>
#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "hsr/probe_fetch.h"

/* Whether v is a JSON string equal (ignoring case) to one of the NULL-terminated words. */
static bool str_is_one_of(const json_t *v, const char *const *words)
{
	if (!json_is_string(v))
		return false;
	const char *s = json_string_value(v);
	if (strlen(s) != json_string_length(v))
		return false; /* a NUL inside: never one of our words */
	for (; *words; words++)
		if (strcasecmp(s, *words) == 0)
			return true;
	return false;
}

/* The indicator when it is one Statuspage documents (or "maintenance"), else "" (unknown). */
static void read_indicator(ev_status *out, const json_t *status)
{
	static const char *const known[] = {"none",	"minor",       "major",
					    "critical", "maintenance", NULL};
	const json_t *v = json_object_get(status, "indicator");
	if (!str_is_one_of(v, known))
		return;
	probe_fetch_str(out->indicator, sizeof out->indicator, v);
	for (char *p = out->indicator; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

/* Store the unresolved incidents (all counted, the first STATUS_MAX_INCIDENTS kept). */
static void read_incidents(ev_status *out, const json_t *incidents)
{
	static const char *const closed[] = {"resolved", "postmortem", "completed", NULL};
	size_t i;
	const json_t *inc;
	json_array_foreach(incidents, i, inc)
	{
		if (!json_is_object(inc) || str_is_one_of(json_object_get(inc, "status"), closed))
			continue;
		out->incidents_total++;
		if (out->n_incidents >= STATUS_MAX_INCIDENTS)
			continue;
		status_incident *d = &out->incidents[out->n_incidents++];
		probe_fetch_str(d->name, sizeof d->name, json_object_get(inc, "name"));
		probe_fetch_str(d->status, sizeof d->status, json_object_get(inc, "status"));
		probe_fetch_str(d->impact, sizeof d->impact, json_object_get(inc, "impact"));
		const json_t *upd = json_object_get(inc, "updated_at");
		probe_fetch_str(d->updated_at, sizeof d->updated_at, upd);
		if (json_is_string(upd) &&
		    strlen(json_string_value(upd)) == json_string_length(upd))
			d->updated_ms = probe_fetch_time_ms(json_string_value(upd));
		probe_fetch_str(d->shortlink, sizeof d->shortlink,
				json_object_get(inc, "shortlink"));
		const json_t *first = json_array_get(json_object_get(inc, "incident_updates"), 0);
		probe_fetch_str(d->latest_update, sizeof d->latest_update,
				json_object_get(first, "body"));
	}
}

/* Store the components that are not operational, skipping group containers. */
static void read_components(ev_status *out, const json_t *components)
{
	static const char *const ok[] = {"operational", NULL};
	size_t i;
	const json_t *c;
	json_array_foreach(components, i, c)
	{
		if (!json_is_object(c) || json_is_true(json_object_get(c, "group")))
			continue;
		const json_t *st = json_object_get(c, "status");
		if (!json_is_string(st) || str_is_one_of(st, ok))
			continue; /* operational, or no status at all: not evidence of trouble */
		out->components_bad_total++;
		char name[sizeof out->components_bad[0].name];
		char status[sizeof out->components_bad[0].status];
		probe_fetch_str(name, sizeof name, json_object_get(c, "name"));
		probe_fetch_str(status, sizeof status, st);
		if (evidence_component_down(status) && evidence_names_api(name))
			out->api_component_degraded = true;
		if (out->n_components_bad >= STATUS_MAX_COMPONENTS)
			continue;
		status_component *d = &out->components_bad[out->n_components_bad++];
		memcpy(d->name, name, sizeof d->name);
		memcpy(d->status, status, sizeof d->status);
	}
}

/* Store the maintenances in progress or being verified. */
static void read_maintenance(ev_status *out, const json_t *maint)
{
	static const char *const active[] = {"in_progress", "verifying", NULL};
	size_t i;
	const json_t *m;
	json_array_foreach(maint, i, m)
	{
		if (out->n_maint >= STATUS_MAX_MAINT)
			break;
		if (!json_is_object(m) || !str_is_one_of(json_object_get(m, "status"), active))
			continue;
		status_maint *d = &out->maint[out->n_maint++];
		probe_fetch_str(d->name, sizeof d->name, json_object_get(m, "name"));
		probe_fetch_str(d->status, sizeof d->status, json_object_get(m, "status"));
	}
}

/* Parse a fetched summary.json into out. */
void probe_status_parse(const http_response *r, ev_status *out)
{
	memset(out, 0, sizeof *out);
	probe_fetch_fill(&out->f, r);
	if (!r || r->err != HTTP_OK || r->status < 200 || r->status > 299)
		return;
	json_t *root = probe_fetch_json(r);
	if (!json_is_object(root)) {
		json_decref(root);
		return;
	}
	const json_t *status = json_object_get(root, "status");
	const json_t *incidents = json_object_get(root, "incidents");
	const json_t *components = json_object_get(root, "components");
	const json_t *maint = json_object_get(root, "scheduled_maintenances");
	out->incidents_known = json_is_array(incidents);
	out->components_known = json_is_array(components);
	if (json_is_object(status) || out->incidents_known || out->components_known) {
		out->f.json_ok = true;
		out->f.body_excerpt[0] = '\0';
	}
	if (json_is_object(status)) {
		read_indicator(out, status);
		probe_fetch_str(out->description, sizeof out->description,
				json_object_get(status, "description"));
	}
	read_incidents(out, incidents);
	read_components(out, components);
	read_maintenance(out, maint);
	json_decref(root);
}
