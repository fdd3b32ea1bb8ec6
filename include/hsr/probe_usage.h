/* account-info daily usage into ev_usage. */
#ifndef HSR_PROBE_USAGE_H
#define HSR_PROBE_USAGE_H

#include "hsr/evidence.h"

/* Parse r into out; out->f is filled too. Pure. */
void probe_usage_parse(const http_response *r, ev_usage *out);

#endif
