/* The four probes: which URL, with or without the token, and which parser. */
#include "hsr/probe.h"

#include <stdio.h>
#include <string.h>

#include "hsr/probe_api.h"
#include "hsr/probe_health.h"
#include "hsr/probe_status.h"
#include "hsr/probe_usage.h"

/* "status", "api", "usage", "health". */
const char *probe_name(probe_id id)
{
	static const char *const names[PROBE_COUNT] = {"status", "api", "usage", "health"};
	return id < PROBE_COUNT ? names[id] : "?";
}

/* Size of the evidence struct of probe id. */
size_t probe_evidence_size(probe_id id)
{
	switch (id) {
	case PROBE_STATUS:
		return sizeof(ev_status);
	case PROBE_API:
		return sizeof(ev_api);
	case PROBE_USAGE:
		return sizeof(ev_usage);
	case PROBE_HEALTH:
		return sizeof(ev_health);
	case PROBE_COUNT:
		break;
	}
	return 0;
}

/* Join the API base and a path without doubling or dropping the slash. */
static void join_url(char *out, size_t outsz, const char *base, const char *path)
{
	size_t bl = strlen(base);
	while (bl && base[bl - 1] == '/')
		bl--;
	snprintf(out, outsz, "%.*s%s%s", (int)bl, base, path[0] == '/' ? "" : "/", path);
}

/* Run probe id once and write its evidence into out. */
void probe_run(probe_id id, http_client *c, const config *cfg, const _Atomic int *cancel, void *out,
	       unsigned *api_requests)
{
	char url[1024] = "";
	http_opts o = {
	    .connect_timeout_ms = cfg->connect_timeout_ms,
	    .timeout_ms = cfg->timeout_ms,
	    .cacert = cfg->cacert[0] ? cfg->cacert : NULL,
	    .api_base = cfg->api_base,
	    .token = NULL, /* only the API probes below carry it */
	    .cancel = cancel,
	};
	bool is_api = id == PROBE_API || id == PROBE_USAGE;
	const char *missing = NULL;
	switch (id) {
	case PROBE_STATUS:
		common_strlcpy(url, cfg->status_url, sizeof url);
		missing = "no status page URL configured";
		break;
	case PROBE_API:
	case PROBE_USAGE:
		if (cfg->api_base[0])
			join_url(url, sizeof url, cfg->api_base,
				 id == PROBE_API ? cfg->api_path : cfg->usage_path);
		o.token = cfg->token;
		if (!cfg->token[0]) {
			url[0] = '\0';
			missing = "no token: set HUBSPOT_ACCESS_TOKEN or --token-file";
		} else {
			missing = "no API base URL configured";
		}
		break;
	case PROBE_HEALTH:
		common_strlcpy(url, cfg->health_url, sizeof url);
		missing = "no health URL configured (health_url)";
		break;
	case PROBE_COUNT:
		return;
	}
	http_response r;
	http_get(c, url, &o, &r);
	if (r.err == HTTP_ERR_NOT_CONFIGURED && missing)
		common_strlcpy(r.error, missing, sizeof r.error);
	/* Count what reached HubSpot: a refused or unresolved request costs no quota. */
	if (is_api && api_requests && r.connected)
		(*api_requests)++;
	switch (id) {
	case PROBE_STATUS:
		probe_status_parse(&r, out);
		break;
	case PROBE_API:
		probe_api_parse(&r, out);
		break;
	case PROBE_USAGE:
		probe_usage_parse(&r, out);
		break;
	case PROBE_HEALTH:
		probe_health_parse(&r, cfg->health_hubspot_key, out);
		break;
	case PROBE_COUNT:
		break;
	}
	http_response_free(&r);
}
