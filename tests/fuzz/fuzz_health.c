/* libFuzzer target: the health parser over arbitrary bodies, codes, media types and keys. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../http_fixture.h"
#include "../printable_check.h"
#include "hsr/probe_health.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The first byte picks the status code (low 3 bits), the media type (next 2) and the HubSpot
 * key (top 3); the rest is the body, as a team's endpoint might send it.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long codes[] = {200, 200, 204, 503, 500, 302, 429, 0};
	static const char *const types[] = {"application/json", "application/health+json",
					    "text/plain",
					    "application/vnd.spring-boot.actuator.v3+json"};
	static const char *const keys[] = {NULL,	  "",	 "hubspot", "hubspot:responseTime",
					   "HubSpot CRM", "crm", "db",	    "hubspot-api"};
	uint8_t pick = size ? data[0] : 0;
	const uint8_t *body = size ? data + 1 : data;
	size_t len = size ? size - 1 : 0;

	char *copy = malloc(len + 1);
	if (!copy)
		return 0;
	memcpy(copy, body, len);
	copy[len] = '\0';
	const char *const hdrs[] = {"Content-Type", types[(pick >> 3) & 3], NULL};
	static fx_resp fx;
	const http_response *r = fx_answer(&fx, codes[pick & 7], copy, len, hdrs);

	static ev_health ev;
	probe_health_parse(r, keys[pick >> 5], &ev);
	/* What is stored is sanitized, and the figures are within their ranges. */
	if (!printable_line(ev.status_text) || !printable_line(ev.hubspot_entry) ||
	    !printable_line(ev.hubspot_words) || !printable_line(ev.circuit_state) ||
	    !printable_line(ev.f.body_excerpt))
		abort();
	if (ev.state < HEALTH_UNKNOWN || ev.state > HEALTH_UNHEALTHY ||
	    ev.hubspot_state < HEALTH_UNKNOWN || ev.hubspot_state > HEALTH_UNHEALTHY)
		abort();
	if (ev.format < HEALTH_FMT_NONE || ev.format >= HEALTH_FMT_COUNT)
		abort();
	if (ev.hubspot_connected < -1 || ev.hubspot_connected > 1)
		abort();
	if (ev.hubspot_latency_ms.known && ev.hubspot_latency_ms.v < 0)
		abort();
	/* A non-2xx answer is unhealthy whatever the body says; a plain word is never JSON. */
	if (r->status > 0 && (r->status < 200 || r->status > 299) && ev.state != HEALTH_UNHEALTHY)
		abort();
	if (ev.format == HEALTH_FMT_PLAIN && ev.f.json_ok)
		abort();
	/* HubSpot reported not connected means its entry is in trouble (or shape A/B said so). */
	if (ev.hubspot_connected == 0 && ev.hubspot_state != HEALTH_UNHEALTHY)
		abort();
	free(copy);
	return 0;
}
