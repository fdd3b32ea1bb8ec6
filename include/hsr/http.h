/* HTTP GET over libcurl with time-outs, caps and typed, readable errors. */
#ifndef HSR_HTTP_H
#define HSR_HTTP_H

#include "hsr/common.h"

#define HTTP_BODY_MAX	       (1024 * 1024)
#define HTTP_HEADERS_MAX_BYTES (64 * 1024)
#define HTTP_HEADERS_MAX_COUNT 100 /* further headers are dropped */

typedef enum {
	HTTP_OK = 0,		 /* an HTTP answer arrived (any status code) */
	HTTP_ERR_NOT_CONFIGURED, /* no URL (or no token for an API call): not asked */
	HTTP_ERR_BAD_URL,
	HTTP_ERR_DNS,
	HTTP_ERR_REFUSED,
	HTTP_ERR_CONNECT,
	HTTP_ERR_TIMEOUT,
	HTTP_ERR_TLS,
	HTTP_ERR_TOO_LARGE,
	HTTP_ERR_CANCELLED,
	HTTP_ERR_OTHER,
} http_err;

typedef struct {
	char *name;
	char *value;
} http_header;

typedef struct {
	http_err err;
	char error[200]; /* one line for a person when err != HTTP_OK, else "" */
	long status;	 /* HTTP status, 0 when there was no answer */
	long latency_ms; /* request start to end */
	char *body;	 /* NUL-terminated, body_len bytes (may be NULL when empty) */
	size_t body_len;
	http_header *headers; /* response headers of the final answer, names as received */
	size_t n_headers;
	bool connected; /* the request was sent: it reached the server */
} http_response;

typedef struct {
	long connect_timeout_ms;   /* default 3000 */
	long timeout_ms;	   /* default 10000 */
	const char *cacert;	   /* private CA bundle, or NULL */
	const char *api_base;	   /* the only URL prefix the token may be sent to */
	const char *token;	   /* bearer token, or NULL */
	const _Atomic int *cancel; /* when non-NULL and set, the transfer aborts */
} http_opts;

typedef struct http_client http_client;

/* Once per process, before any thread starts. */
void http_global_init(void);
void http_global_cleanup(void);

http_client *http_client_new(void);
void http_client_free(http_client *c);
/* Wake a transfer in progress so it notices its cancel flag at once (any thread). */
void http_client_wake(http_client *c);

/* What a request other than a plain GET sends. */
typedef struct {
	const char *method; /* "POST", "PATCH"; NULL = GET */
	const char *body;   /* sent as is, or NULL */
	size_t body_len;
	const char *content_type;  /* of the body: "application/json" */
	const char *secret_header; /* a whole "Name: value" line with a credential, or NULL:
				      sent to this URL only, wiped after, never in an error */
} http_send;

/*
 * GET url. Always fills *out (free with http_response_free). Returns out->err.
 * The token is attached only when url starts with opts->api_base at a path boundary.
 * Redirects are never followed. TLS verification is always on.
 */
http_err http_get(http_client *c, const char *url, const http_opts *opts, http_response *out);
/* The same for another method with a body and a credential of the caller's (req NULL = GET). */
http_err http_request(http_client *c, const char *url, const http_opts *opts, const http_send *req,
		      http_response *out);
/* Case-insensitive header lookup; NULL when absent. */
const char *http_response_header(const http_response *r, const char *name);
void http_response_free(http_response *r);
/* Whether url may carry the token: same scheme+host+port as api_base and under its path. */
bool http_url_is_under(const char *url, const char *api_base);
/* A short name for an error kind ("timeout", "dns", ...). */
const char *http_err_name(http_err e);

#endif
