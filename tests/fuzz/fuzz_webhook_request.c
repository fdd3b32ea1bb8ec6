/* libFuzzer target: the raw-request parser over arbitrary captures, then the signature check
 * over whatever it parsed (URL, signature, timestamp and body all hostile). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hsr/webhook.h"
#include "../printable_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort unless s is a non-empty run of RFC 9110 token characters. */
static void token(const char *s)
{
	if (!*s)
		abort();
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f ||
		    strchr("\"(),/:;<=>?@[\\]{}", *s))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static webhook_request r;
	char err[256] = "";
	int rc = webhook_request_parse((const char *)data, size, &r, err, sizeof err);
	if (rc != 0) {
		/* A refusal is one line, said. */
		if (!err[0] || strchr(err, '\n'))
			abort();
		webhook_request_free(&r);
		return 0;
	}
	/* What it parsed holds together. */
	token(r.method);
	if (!r.target || !r.target[0] || strchr(r.target, ' ') || strncmp(r.version, "HTTP/1.", 7))
		abort();
	if (r.body_len > size || r.body[r.body_len] != '\0' || r.extra_bytes > size)
		abort();
	if (!r.chunked && r.body_len + r.extra_bytes > size)
		abort();
	for (int i = 0; i < r.n_headers; i++) {
		token(r.headers[i].name);
		if (strchr(r.headers[i].value, '\n') || strchr(r.headers[i].value, '\r'))
			abort();
	}
	/* The check over what it parsed, as the command builds it. */
	const char *host = webhook_request_header(&r, "Host", NULL);
	char url[WEBHOOK_URL_MAX + 600];
	snprintf(url, sizeof url, "https://%.500s%s", host ? host : "h.example.com", r.target);
	const char *hosts[] = {"hooks.example.com", host, NULL};
	const char *v3 = webhook_request_header(&r, "X-HubSpot-Signature-v3", NULL);
	webhook_input in = {
	    .version = v3 ? WEBHOOK_V3
			  : webhook_version_of(
				webhook_request_header(&r, "X-HubSpot-Signature-Version", NULL)),
	    .method = r.method,
	    .url = url,
	    .timestamp = webhook_request_header(&r, "X-HubSpot-Request-Timestamp", NULL),
	    .signature = v3 ? v3 : webhook_request_header(&r, "X-HubSpot-Signature", NULL),
	    .body = r.body,
	    .body_len = r.body_len,
	    .other_hosts = hosts,
	    .request_query = strchr(r.target, '?'),
	};
	static webhook_verdict v;
	webhook_verify(&in, "fuzz-secret", 11, 1764684000000LL, &v);
	if (!v.valid && v.n_reasons == 0)
		abort();
	if (v.valid && (!v.signature_ok || v.n_reasons))
		abort();
	for (int i = 0; i < v.n_reasons; i++)
		if (!printable_line(v.reasons[i]))
			abort();
	webhook_request_free(&r);
	return 0;
}
