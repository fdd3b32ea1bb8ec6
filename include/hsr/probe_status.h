/* Statuspage v2 summary.json into ev_status. */
#ifndef HSR_PROBE_STATUS_H
#define HSR_PROBE_STATUS_H

#include "hsr/evidence.h"

/* Parse r (already fetched: status, headers, body) into out; out->f is filled too. Pure. */
void probe_status_parse(const http_response *r, ev_status *out);

#endif
