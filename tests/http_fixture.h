/* Hand-built http_response values for the probe parser tests. */
#ifndef HSR_TEST_HTTP_FIXTURE_H
#define HSR_TEST_HTTP_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "hsr/common.h"
#include "hsr/http.h"

#define FX_MAX_HEADERS 32

/* A response and the storage for its headers. */
typedef struct {
	http_response r;
	http_header h[FX_MAX_HEADERS];
} fx_resp;

/*
 * An HTTP answer: status, len bytes of body (NULL for none), and headers given as a
 * NULL-terminated list of name, value pairs (NULL for none). The strings are borrowed.
 */
static inline http_response *fx_answer(fx_resp *fx, long status, const char *body, size_t len,
				       const char *const *headers)
{
	memset(fx, 0, sizeof *fx);
	fx->r.err = HTTP_OK;
	fx->r.status = status;
	fx->r.latency_ms = 123;
	fx->r.body = (char *)body;
	fx->r.body_len = body ? len : 0;
	fx->r.headers = fx->h;
	for (size_t i = 0; headers && headers[2 * i] && i < FX_MAX_HEADERS; i++) {
		fx->h[i].name = (char *)headers[2 * i];
		fx->h[i].value = (char *)headers[2 * i + 1];
		fx->r.n_headers = i + 1;
	}
	return &fx->r;
}

/* An HTTP answer with a NUL-terminated body. */
static inline http_response *fx_json(fx_resp *fx, long status, const char *body,
				     const char *const *headers)
{
	return fx_answer(fx, status, body, body ? strlen(body) : 0, headers);
}

/*
 * An answer over the body cap: the status line and headers arrived, the body was not read
 * (body is what was kept of it, or NULL), as http_get reports HTTP_ERR_TOO_LARGE.
 */
static inline http_response *fx_too_large(fx_resp *fx, long status, const char *body,
					  const char *const *headers)
{
	fx_json(fx, status, body, headers);
	fx->r.err = HTTP_ERR_TOO_LARGE;
	snprintf(fx->r.error, sizeof fx->r.error, "%s",
		 "answer from api.hubapi.com larger than 1024 KiB: not read");
	return &fx->r;
}

/* A request that got no HTTP answer (or was not made). */
static inline http_response *fx_fail(fx_resp *fx, http_err err, const char *msg)
{
	memset(fx, 0, sizeof *fx);
	fx->r.err = err;
	fx->r.latency_ms = err == HTTP_ERR_NOT_CONFIGURED ? 0 : 10000;
	if (msg)
		snprintf(fx->r.error, sizeof fx->r.error, "%s", msg);
	return &fx->r;
}

#endif
