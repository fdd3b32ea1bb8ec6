/*
 * HubSpot webhook signatures (pure): v1, v2 and v3 computed from the client secret and the
 * request, compared in constant time, the timestamp's age, and on a mismatch the usual
 * mistakes tried one by one so the one that matches can be named. Also the raw HTTP/1.1
 * request parser that `hsrunbook verify-webhook --request FILE` reads a capture with.
 */
#ifndef HSR_WEBHOOK_H
#define HSR_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WEBHOOK_URL_MAX	     4096
#define WEBHOOK_SIG_MAX	     128	       /* the longest signature text (v1/v2 hex: 64) */
#define WEBHOOK_MAX_AGE_MS   (5 * 60 * 1000)   /* HubSpot: reject requests older than 5 min */
#define WEBHOOK_REQUEST_MAX  (4 * 1024 * 1024) /* a captured request file, at most */
#define WEBHOOK_HEADERS_MAX  100	       /* header lines in a request, at most */
#define WEBHOOK_HEADER_BYTES (64 * 1024)       /* request line and headers together, at most */
#define WEBHOOK_REASONS_MAX  8
#define WEBHOOK_REASON_LEN   400

typedef enum { WEBHOOK_V1 = 1, WEBHOOK_V2 = 2, WEBHOOK_V3 = 3 } webhook_version;

/* The mistake whose correction makes the signature match. */
typedef enum {
	WEBHOOK_MISTAKE_NONE,	       /* the signature matches as given, or nothing tried did */
	WEBHOOK_MISTAKE_SCHEME,	       /* http vs https: TLS ended at a proxy */
	WEBHOOK_MISTAKE_ENCODING,      /* the URI encoded vs decoded */
	WEBHOOK_MISTAKE_SLASH,	       /* a trailing slash added or dropped */
	WEBHOOK_MISTAKE_QUERY,	       /* the query string dropped (or added) */
	WEBHOOK_MISTAKE_HOST,	       /* another host than the one HubSpot called */
	WEBHOOK_MISTAKE_BODY_NEWLINE,  /* a line break added at the end of the body */
	WEBHOOK_MISTAKE_SECRET_OR_BODY /* none matched: the secret or the body bytes differ */
} webhook_mistake;

/* One request to check: what HubSpot sent, as the caller has it. */
typedef struct {
	webhook_version version;
	const char *method;    /* "POST" */
	const char *url;       /* the full URL: scheme, host, path, query */
	const char *timestamp; /* X-HubSpot-Request-Timestamp, milliseconds (v3) */
	const char *signature; /* the header's value */
	const unsigned char *body;
	size_t body_len;
	/* Other hosts the request names (Host header, X-Forwarded-Host, --url-base), tried when
	 * the signature does not match; NULL-terminated, may be NULL. */
	const char *const *other_hosts;
	/* The query of the request line, tried when url has none; or NULL. */
	const char *request_query;
} webhook_input;

/* The verdict: valid or not, and each reason on its own line. */
typedef struct {
	bool valid;
	bool signature_ok; /* the signature matches (the age may still refuse it) */
	bool age_known;
	int64_t age_ms; /* now - timestamp (negative: from the future) */
	webhook_mistake mistake;
	char fixed_url[WEBHOOK_URL_MAX]; /* the URL that matched, for a URL mistake */
	int n_reasons;
	char reasons[WEBHOOK_REASONS_MAX][WEBHOOK_REASON_LEN];
} webhook_verdict;

/* The URI as HubSpot signs it (v3): the escapes of : / ? @ ! $ ' ( ) * , ; decoded, the rest
 * as is. Returns the length written, or -1 when out is too small. */
int webhook_decode_uri(const char *in, char *out, size_t outsz);
/* The signature text of version v (v1/v2 lower-case hex, v3 base64) into out; 0, or -1. */
int webhook_sign(webhook_version v, const char *secret, size_t secret_len, const char *method,
		 const char *uri, const unsigned char *body, size_t body_len, const char *timestamp,
		 char *out, size_t outsz);
/* Whether a and b are the same text, in time that depends only on their lengths. */
bool webhook_equal(const char *a, const char *b);
/* The age of a millisecond timestamp at now_ms into *age_ms; false when it is not a number. */
bool webhook_age(const char *timestamp, int64_t now_ms, int64_t *age_ms);
/* An age as people say it: "7 min 12 s", "950 ms". */
void webhook_format_age(int64_t age_ms, char *out, size_t outsz);
/* The version named by an X-HubSpot-Signature-Version value ("v1", "v2", "v3"), or 0. */
webhook_version webhook_version_of(const char *name);
/* Check in with secret at now_ms: the signature, the age, and on a mismatch the usual
 * mistakes, into v. */
void webhook_verify(const webhook_input *in, const char *secret, size_t secret_len, int64_t now_ms,
		    webhook_verdict *v);

/* A raw HTTP/1.1 request as captured. */
typedef struct {
	char method[32];
	char *target; /* as on the request line */
	char version[16];
	int n_headers;
	struct {
		char *name;
		char *value;
	} headers[WEBHOOK_HEADERS_MAX];
	unsigned char *body; /* NUL-terminated copy (the NUL is not counted) */
	size_t body_len;
	bool chunked;
	size_t extra_bytes; /* bytes after the body Content-Length announced (ignored) */
	char *head;	    /* storage for target and headers */
} webhook_request;

/* Parse a captured request (CRLF or LF lines; Content-Length or chunked body) into r; 0, or
 * -1 with one line in err. Free r with webhook_request_free either way. */
int webhook_request_parse(const char *data, size_t len, webhook_request *r, char *err,
			  size_t errsz);
/* The value of header name (any case), or NULL; -1 in *dup when it appears twice with
 * different values (dup may be NULL). */
const char *webhook_request_header(const webhook_request *r, const char *name, int *dup);
/* Free what webhook_request_parse allocated. */
void webhook_request_free(webhook_request *r);

#endif
