/* The CRM API answer into ev_api: error body fields, correlation id, rate-limit headers. */
#include "hsr/probe_api.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "hsr/probe_fetch.h"
#include "hsr/sanitize.h"

/* Scopes gathered from an error body, comma-separated, each sanitized once. */
typedef struct {
	char buf[512];
	size_t len;
} scope_list;

/* Whether the list already holds scope s. */
static bool scope_list_has(const scope_list *l, const char *s)
{
	size_t n = strlen(s);
	const char *p = l->buf;
	while (*p) {
		const char *end = strstr(p, ", ");
		size_t tl = end ? (size_t)(end - p) : strlen(p);
		if (tl == n && memcmp(p, s, n) == 0)
			return true;
		if (!end)
			break;
		p = end + 2;
	}
	return false;
}

/* Add one scope (a JSON string) unless it is blank, a repeat, or the list is already long. */
static void scope_list_add(scope_list *l, const json_t *v)
{
	char one[96];
	if (!probe_fetch_str(one, sizeof one, v) || one[0] == '\0' || scope_list_has(l, one))
		return;
	size_t n = strlen(one);
	if (l->len + 2 + n + 1 > sizeof l->buf)
		return;
	if (l->len > 0) {
		memcpy(l->buf + l->len, ", ", 2);
		l->len += 2;
	}
	memcpy(l->buf + l->len, one, n + 1);
	l->len += n;
}

/* Add the scopes a context object names: requiredScopes and requiredGranularScopes. */
static void scope_list_add_context(scope_list *l, const json_t *ctx)
{
	static const char *const keys[] = {"requiredScopes", "requiredGranularScopes"};
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		const json_t *v = json_object_get(ctx, keys[k]);
		if (json_is_array(v)) {
			size_t i;
			const json_t *s;
			json_array_foreach(v, i, s)
			{
				scope_list_add(l, s);
			}
		} else {
			scope_list_add(l, v);
		}
	}
}

/* Copy a hublet named by v (a string, or an array whose first item is one); false if none. */
static bool read_hublet(ev_api *out, const json_t *v)
{
	if (json_is_array(v))
		v = json_array_get(v, 0);
	return probe_fetch_str(out->correct_hublet, sizeof out->correct_hublet, v) &&
	       out->correct_hublet[0] != '\0';
}

/* Month number (1..12) of an English three-letter abbreviation, 0 when it is not one. */
static int month_of(const char *m)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	for (int i = 0; i < 12; i++)
		if (strncmp(m, names + 3 * i, 3) == 0)
			return i + 1;
	return 0;
}

/* An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") to epoch ms; 0 when it is not one. */
static int64_t http_date_ms(const char *s)
{
	if (!s)
		return 0;
	while (*s == ' ' || *s == '\t')
		s++;
	char buf[40];
	size_t n = strnlen(s, sizeof buf);
	if (n >= sizeof buf)
		return 0;
	while (n > 0 &&
	       (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	memcpy(buf, s, n);
	buf[n] = '\0';
	s = buf;
	char wday[4], mon[4], zone[4];
	int d, y, h, mi, sec, used = 0;
	if (strlen(s) != 29 ||
	    sscanf(s, "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d %3[A-Z]%n", wday, &d, mon, &y, &h,
		   &mi, &sec, zone, &used) != 8 ||
	    used != 29 || strcmp(zone, "GMT") != 0)
		return 0;
	int m = month_of(mon);
	if (m == 0 || !isdigit((unsigned char)s[5]) || !isdigit((unsigned char)s[12]))
		return 0;
	char iso[32];
	snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, h, mi, sec);
	return probe_fetch_time_ms(iso);
}

/* Retry-After in seconds: the delta-seconds form, or an HTTP-date measured from the answer's Date.
 */
static opt_int read_retry_after(const http_response *r, int64_t now_ms)
{
	const char *v = http_response_header(r, "Retry-After");
	if (!v)
		return OPT_UNKNOWN;
	opt_int secs = common_parse_uint(v);
	if (secs.known)
		return secs;
	int64_t when = http_date_ms(v);
	if (when == 0)
		return OPT_UNKNOWN;
	int64_t base = http_date_ms(http_response_header(r, "Date"));
	if (base == 0)
		base = now_ms;
	int64_t delta = when - base;
	if (delta <= 0)
		return OPT_OF(0);
	return OPT_OF((delta + 999) / 1000);
}

/* The rate-limit headers (any status code); the deprecated Secondly ones are ignored. */
static void read_headers(const http_response *r, ev_api *out)
{
	out->rl_daily = common_parse_uint(http_response_header(r, "X-HubSpot-RateLimit-Daily"));
	out->rl_daily_remaining =
	    common_parse_uint(http_response_header(r, "X-HubSpot-RateLimit-Daily-Remaining"));
	out->rl_interval_ms =
	    common_parse_uint(http_response_header(r, "X-HubSpot-RateLimit-Interval-Milliseconds"));
	out->rl_max = common_parse_uint(http_response_header(r, "X-HubSpot-RateLimit-Max"));
	out->rl_remaining =
	    common_parse_uint(http_response_header(r, "X-HubSpot-RateLimit-Remaining"));
	out->retry_after_s = read_retry_after(r, out->f.at_ms);
	out->auth_failure_header = http_response_header(r, "X-HubSpot-Auth-Failure") != NULL;
}

/* The error body fields: category, policy, message, correlation id, scopes, hublet. */
static void read_body(const json_t *root, ev_api *out)
{
	probe_fetch_str(out->category, sizeof out->category, json_object_get(root, "category"));
	probe_fetch_str(out->sub_category, sizeof out->sub_category,
			json_object_get(root, "subCategory"));
	probe_fetch_str(out->error_type, sizeof out->error_type,
			json_object_get(root, "errorType"));
	probe_fetch_str(out->policy_name, sizeof out->policy_name,
			json_object_get(root, "policyName"));
	probe_fetch_str(out->correlation_id, sizeof out->correlation_id,
			json_object_get(root, "correlationId"));
	const json_t *errors = json_object_get(root, "errors");
	if (!probe_fetch_str(out->message, sizeof out->message, json_object_get(root, "message")))
		probe_fetch_str(out->message, sizeof out->message,
				json_object_get(json_array_get(errors, 0), "message"));

	scope_list scopes = {.len = 0};
	scopes.buf[0] = '\0';
	const json_t *ctx = json_object_get(root, "context");
	bool hublet = read_hublet(out, json_object_get(root, "correctHublet")) ||
		      read_hublet(out, json_object_get(ctx, "correctHublet"));
	scope_list_add_context(&scopes, ctx);
	size_t i;
	const json_t *e;
	json_array_foreach(errors, i, e)
	{
		const json_t *ectx = json_object_get(e, "context");
		scope_list_add_context(&scopes, ectx);
		if (!hublet)
			hublet = read_hublet(out, json_object_get(ectx, "correctHublet"));
	}
	sanitize_text(out->required_scopes, sizeof out->required_scopes, scopes.buf, scopes.len);
}

/* Parse the API probe's answer into out. */
void probe_api_parse(const http_response *r, ev_api *out)
{
	memset(out, 0, sizeof *out);
	probe_fetch_fill(&out->f, r);
	/* An answer too large to read still has its status and headers (rate limits). */
	if (!evidence_answered(&out->f))
		return;
	read_headers(r, out);
	json_t *root = probe_fetch_json(r);
	if (json_is_object(root)) {
		out->f.json_ok = true;
		out->f.body_excerpt[0] = '\0';
		read_body(root, out);
	}
	json_decref(root);
	if (out->correlation_id[0] == '\0')
		sanitize_str(out->correlation_id, sizeof out->correlation_id,
			     http_response_header(r, "X-HubSpot-Correlation-Id"));
}
