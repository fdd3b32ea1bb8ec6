/* Shared by the probe parsers: the common request facts, tolerant JSON loading, strict readers. */
#include "hsr/probe_fetch.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hsr/sanitize.h"

/* How far into a body an HTML <title> is looked for. */
#define TITLE_SCAN_MAX (64 * 1024)

/* First case-insensitive occurrence of needle in the len bytes at hay (NULs allowed), or NULL. */
static const char *find_ci(const char *hay, size_t len, const char *needle)
{
	size_t nl = strlen(needle);
	for (size_t i = 0; nl <= len && i <= len - nl; i++)
		if (strncasecmp(hay + i, needle, nl) == 0)
			return hay + i;
	return NULL;
}

/* Put the text of an HTML page's <title> into dst; false when there is none or it is blank. */
static bool html_title(char *dst, size_t dstsz, const char *body, size_t len)
{
	if (len > TITLE_SCAN_MAX)
		len = TITLE_SCAN_MAX;
	const char *open = find_ci(body, len, "<title");
	if (!open)
		return false;
	const char *end = body + len;
	const char *gt = memchr(open, '>', (size_t)(end - open));
	if (!gt)
		return false;
	const char *close = find_ci(gt + 1, (size_t)(end - gt - 1), "</title");
	if (!close)
		return false;
	return sanitize_text(dst, dstsz, gt + 1, (size_t)(close - gt - 1)) > 0;
}

/* Fill the common request facts from a finished (or failed) request. */
void probe_fetch_fill(fetch_info *f, const http_response *r)
{
	memset(f, 0, sizeof *f);
	f->done = true;
	f->at_ms = common_now_ms();
	if (!r) {
		f->err = HTTP_ERR_OTHER;
		common_strlcpy(f->error, "no response", sizeof f->error);
		return;
	}
	f->configured = r->err != HTTP_ERR_NOT_CONFIGURED;
	f->err = r->err;
	sanitize_text(f->error, sizeof f->error, r->error, strnlen(r->error, sizeof r->error));
	if (r->err != HTTP_OK && f->error[0] == '\0')
		sanitize_str(f->error, sizeof f->error, http_err_name(r->err));
	f->http_status = r->status;
	f->latency_ms = r->latency_ms;
	if (r->body && r->body_len > 0 &&
	    !html_title(f->body_excerpt, sizeof f->body_excerpt, r->body, r->body_len))
		sanitize_text(f->body_excerpt, sizeof f->body_excerpt, r->body, r->body_len);
}

/* Parse the body as JSON, reading invalid UTF-8 as '?' and huge integers as reals. */
struct json_t *probe_fetch_json(const http_response *r)
{
	if (!r || r->err != HTTP_OK || !r->body || r->body_len == 0)
		return NULL;
	const char *buf = r->body;
	size_t len = r->body_len;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) { /* a byte order mark */
		buf += 3;
		len -= 3;
	}
	size_t flags = JSON_ALLOW_NUL;
	char *copy = NULL;
	json_t *root = NULL;
	for (int attempt = 0; attempt < 3; attempt++) {
		json_error_t e;
		root = json_loadb(buf, len, flags, &e);
		if (root)
			break;
		enum json_error_code code = json_error_code(&e);
		if (code == json_error_invalid_utf8 && !copy) {
			copy = malloc(len ? len : 1);
			if (!copy)
				break;
			memcpy(copy, buf, len);
			if (sanitize_utf8_repair(copy, len) == 0)
				break;
			buf = copy;
		} else if (code == json_error_numeric_overflow &&
			   !(flags & JSON_DECODE_INT_AS_REAL)) {
			flags |= JSON_DECODE_INT_AS_REAL;
		} else {
			break;
		}
	}
	free(copy);
	return root;
}

/* Copy a JSON string sanitized into dst; "" and false when v is not a string. */
bool probe_fetch_str(char *dst, size_t dstsz, const struct json_t *v)
{
	if (!json_is_string(v)) {
		if (dstsz > 0)
			dst[0] = '\0';
		return false;
	}
	sanitize_text(dst, dstsz, json_string_value(v), json_string_length(v));
	return true;
}

/* A JSON integer >= 0, else unknown. */
opt_int probe_fetch_uint(const struct json_t *v)
{
	if (!json_is_integer(v))
		return OPT_UNKNOWN;
	json_int_t x = json_integer_value(v);
	if (x < 0)
		return OPT_UNKNOWN;
	return OPT_OF((long long)x);
}

/* Read exactly n decimal digits at *s, advancing it; false when they are not all digits. */
static bool read_digits(const char **s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*s)[i]))
			return false;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return true;
}

/* Days in month m (1..12) of year y in the proleptic Gregorian calendar. */
static int month_days(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d (y >= 1970). */
static int64_t days_since_epoch(int y, int m, int d)
{
	int64_t days = 0;
	int y1 = y - 1; /* whole years before y, counted from year 1 then shifted to 1970 */
	days = (int64_t)365 * (y - 1970) + (y1 / 4 - y1 / 100 + y1 / 400) -
	       (1969 / 4 - 1969 / 100 + 1969 / 400);
	for (int k = 1; k < m; k++)
		days += month_days(y, k);
	return days + (d - 1);
}

/* Strict ISO 8601 date-time with a zone to epoch ms; 0 when it is not one. */
int64_t probe_fetch_time_ms(const char *iso)
{
	if (!iso)
		return 0;
	const char *s = iso;
	int y, mo, d, h, mi, sec;
	if (!read_digits(&s, 4, &y) || *s++ != '-' || !read_digits(&s, 2, &mo) || *s++ != '-' ||
	    !read_digits(&s, 2, &d))
		return 0;
	if (*s != 'T' && *s != 't')
		return 0;
	s++;
	if (!read_digits(&s, 2, &h) || *s++ != ':' || !read_digits(&s, 2, &mi) || *s++ != ':' ||
	    !read_digits(&s, 2, &sec))
		return 0;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23 || mi > 59 ||
	    sec > 60)
		return 0;
	int ms = 0;
	if (*s == '.' || *s == ',') {
		s++;
		int nd = 0;
		while (isdigit((unsigned char)*s)) {
			if (nd < 3)
				ms = ms * 10 + (*s - '0');
			nd++;
			s++;
		}
		if (nd == 0)
			return 0;
		for (; nd < 3; nd++)
			ms *= 10;
	}
	int offset_min = 0;
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		int sign = *s == '-' ? -1 : 1;
		int oh, om;
		s++;
		if (!read_digits(&s, 2, &oh))
			return 0;
		if (*s == ':')
			s++;
		if (!read_digits(&s, 2, &om) || oh > 23 || om > 59)
			return 0;
		offset_min = sign * (oh * 60 + om);
	} else {
		return 0;
	}
	if (*s != '\0')
		return 0;
	int64_t secs = days_since_epoch(y, mo, d) * 86400 + (int64_t)h * 3600 + mi * 60 + sec -
		       (int64_t)offset_min * 60;
	if (secs <= 0)
		return 0;
	return secs * 1000 + ms;
}
