/* The four probes: build the request, make it, turn the answer into evidence. */
#ifndef HSR_PROBE_H
#define HSR_PROBE_H

#include "hsr/config.h"
#include "hsr/evidence.h"
#include "hsr/http.h"

/* "status", "api", "usage", "health". */
const char *probe_name(probe_id id);
/*
 * Run probe id once with client c and write its evidence into out (an ev_status,
 * ev_api, ev_usage or ev_health according to id). Counts a HubSpot API request in
 * *api_requests when one was sent (may be NULL).
 */
void probe_run(probe_id id, http_client *c, const config *cfg, const _Atomic int *cancel, void *out,
	       unsigned *api_requests);
/* Size of the evidence struct of probe id. */
size_t probe_evidence_size(probe_id id);

#endif
