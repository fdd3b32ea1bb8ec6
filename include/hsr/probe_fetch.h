/* Shared by the four probe parsers: the common request facts and strict JSON readers. */
#ifndef HSR_PROBE_FETCH_H
#define HSR_PROBE_FETCH_H

#include "hsr/evidence.h"
#include "hsr/http.h"

struct json_t;

/*
 * Fill the common request facts from a finished (or failed) request: done, configured,
 * err, error (sanitized), http_status, latency_ms, at_ms = now, json_ok = false and
 * body_excerpt (the sanitized <title> of an HTML page, else the start of the body).
 */
void probe_fetch_fill(fetch_info *f, const http_response *r);
/*
 * The body parsed as JSON (any type), or NULL when there is none or it is not JSON. Bytes
 * of invalid UTF-8 are read as '?'; integers too big for 64 bits make every number a real.
 * Free with json_decref.
 */
struct json_t *probe_fetch_json(const http_response *r);
/* Copy a JSON string (v may be NULL) sanitized into dst; false, and "", when v is not a string. */
bool probe_fetch_str(char *dst, size_t dstsz, const struct json_t *v);
/* A JSON integer >= 0 (v may be NULL); anything else (real, string, negative) is unknown. */
opt_int probe_fetch_uint(const struct json_t *v);
/*
 * Strict ISO 8601 / RFC 3339 date-time ("2024-03-05T14:22:31.123Z", "...-05:00") to epoch
 * milliseconds; 0 when it is not one (or is before 1970).
 */
int64_t probe_fetch_time_ms(const char *iso);

#endif
