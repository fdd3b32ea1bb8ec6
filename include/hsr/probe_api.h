/* The CRM API call: status code, error body and rate-limit headers into ev_api. */
#ifndef HSR_PROBE_API_H
#define HSR_PROBE_API_H

#include "hsr/evidence.h"

/* Parse r into out; out->f is filled too. Pure. */
void probe_api_parse(const http_response *r, ev_api *out);

#endif
