/* The team's own health endpoint (shapes A, B, C) into ev_health. */
#ifndef HSR_PROBE_HEALTH_H
#define HSR_PROBE_HEALTH_H

#include "hsr/evidence.h"

/* Parse r into out; out->f is filled too. Pure. */
void probe_health_parse(const http_response *r, ev_health *out);

#endif
