/* libFuzzer target: arbitrary bytes as the body and header values of every probe's parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../printable_check.h"
#include "hsr/probe_api.h"
#include "hsr/probe_health.h"
#include "hsr/probe_status.h"
#include "hsr/probe_usage.h"
#include "hsr/sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The first bytes pick the status code and a header value; the rest is the body. */
	long codes[] = {200, 401, 403, 429, 502, 503, 0};
	http_response r;
	memset(&r, 0, sizeof r);
	r.status = size ? codes[data[0] % 7] : 200;
	size_t hv = size > 1 ? data[1] % 24 : 0;
	if (hv + 2 > size)
		hv = 0;
	char *val = strndup((const char *)data + 2, hv);
	char *body = malloc(size + 1);
	memcpy(body, data, size);
	body[size] = '\0';
	http_header h[] = {
	    {"X-HubSpot-RateLimit-Daily-Remaining", val},
	    {"Retry-After", val},
	    {"X-HubSpot-RateLimit-Max", val},
	    {"X-HubSpot-Correlation-Id", val},
	};
	r.headers = h;
	r.n_headers = 4;
	r.body = body;
	r.body_len = size;
	static ev_status st;
	static ev_api api;
	static ev_usage us;
	static ev_health he;
	probe_status_parse(&r, &st);
	probe_api_parse(&r, &api);
	probe_usage_parse(&r, &us);
	probe_health_parse(&r, NULL, &he);
	char out[64];
	sanitize_text(out, sizeof out, (const char *)data, size);
	/* Whatever came in, what goes out is one printable line. */
	if (!printable_line(out) || !printable_line(api.message))
		abort();
	free(val);
	free(body);
	return 0;
}
