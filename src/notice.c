/* The public-notice check: no token, no correlation id, no host of ours, no stack trace, no blame.
 */
#include "hsr/notice.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Words (and word starts) that point at someone: a public notice says what, never who. */
static const char *const notice_blame[] = {
    "blame",
    "fault",
    "negligen",
    "careless",
    "incompetent",
    "stupid",
    "idiot",
    "screwed up",
    "messed up",
    "dropped the ball",
    "human error",
    "their mistake",
    "his mistake",
    "her mistake",
    "someone's mistake",
    "botched",
    NULL,
};

/* Text a stack trace carries: a public notice never shows one. */
static const char *const notice_stack[] = {
    "Traceback (most recent call last)",
    "Exception in thread",
    "Caused by:",
    "panic:",
    "goroutine ",
    "stack trace",
    "stacktrace",
    "Segmentation fault",
    "core dumped",
    NULL,
};

/* The host part of url ("api.hubapi.com"), lower case, into out; "" when none. */
static void host_of(const char *url, char *out, size_t outsz)
{
	out[0] = '\0';
	const char *p = url ? strstr(url, "://") : NULL;
	if (!p)
		return;
	p += 3;
	const char *at = strchr(p, '@');
	size_t span = strcspn(p, "/?#");
	if (at && (size_t)(at - p) < span)
		p = at + 1;
	size_t n = strcspn(p, "/?#:");
	if (*p == '[')
		n = strcspn(p, "]") + 1;
	if (n >= outsz)
		n = outsz - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)p[i]);
	out[n] = '\0';
}

/* The token and the host names of our configured URLs (each once). */
void notice_secrets_from_config(const config *c, notice_secrets *out)
{
	memset(out, 0, sizeof *out);
	out->token = c->token;
	const char *urls[] = {c->api_base, c->health_url, c->status_url};
	for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
		char h[256];
		host_of(urls[i], h, sizeof h);
		bool seen = !*h;
		for (size_t k = 0; k < out->n_hosts && !seen; k++)
			seen = strcmp(out->hosts[k], h) == 0;
		if (!seen && out->n_hosts < NOTICE_HOSTS_MAX)
			common_strlcpy(out->hosts[out->n_hosts++], h, sizeof out->hosts[0]);
	}
}

/* Whether c may be part of a word or a host name. */
static bool wordch(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || (unsigned char)c >= 0x80;
}

/* Whether the n bytes at p are hex digits. */
static bool hex_run(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)p[i]))
			return false;
	return true;
}

/* The length of a UUID-like id at p (8-4-4-4-12 hex digits), 0 when none. */
static size_t uuid_at(const char *text, const char *p, const notice_secrets *s)
{
	(void)s;
	static const size_t groups[] = {8, 4, 4, 4, 12};
	if (p > text && isalnum((unsigned char)p[-1]))
		return 0;
	const char *q = p;
	for (size_t g = 0; g < 5; g++) {
		if (strnlen(q, groups[g]) < groups[g] || !hex_run(q, groups[g]))
			return 0;
		q += groups[g];
		if (g < 4 && *q++ != '-')
			return 0;
	}
	return isalnum((unsigned char)*q) ? 0 : (size_t)(q - p);
}

/* The length of something shaped like a HubSpot private-app token at p ("pat-na1-…"). */
static size_t token_shape_at(const char *text, const char *p, const notice_secrets *s)
{
	(void)s;
	if (strncasecmp(p, "pat-", 4) != 0 || (p > text && wordch(p[-1])))
		return 0;
	const char *q = p + 4;
	size_t letters = 0, digits = 0;
	while (isalpha((unsigned char)*q) && letters < 4)
		q++, letters++;
	while (isdigit((unsigned char)*q) && digits < 3)
		q++, digits++;
	if (letters < 2 || digits < 1 || *q != '-' || !isxdigit((unsigned char)q[1]))
		return 0;
	q++;
	while (isxdigit((unsigned char)*q) || *q == '-')
		q++;
	return (size_t)(q - p);
}

/* The length of our own token at p (at least 4 characters long to count), 0 when not there. */
static size_t token_at(const char *text, const char *p, const notice_secrets *s)
{
	(void)text;
	size_t n = s && s->token ? strlen(s->token) : 0;
	return n >= 4 && strncmp(p, s->token, n) == 0 ? n : 0;
}

/* The checks with a fixed message: where each matches, what it is, what to do. */
static const struct {
	size_t (*at)(const char *text, const char *p, const notice_secrets *s);
	notice_kind kind;
	const char *what;
} notice_fixed[] = {
    {token_at, NOTICE_TOKEN,
     "the access token: remove it, and rotate the token if it was already sent"},
    {token_shape_at, NOTICE_TOKEN, "text shaped like a HubSpot access token: remove it"},
    {uuid_at, NOTICE_CORRELATION,
     "a correlation id is an internal detail: remove it from the public notice"},
};

/* Whether the line at p (up to its end) looks like a stack frame: "at fn (file.js:12:3)". */
static bool frame_line(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "at ", 3) != 0)
		return false;
	size_t n = strcspn(p, "\n");
	const char *paren = memchr(p, '(', n);
	if (!paren)
		return false;
	for (const char *q = paren; q < p + n - 1; q++)
		if (*q == ':' && isdigit((unsigned char)q[1]))
			return true;
	return false;
}

/* Whether the word at p is a programming error name: "TypeError:", "NullPointerException". */
static size_t error_name_at(const char *text, const char *p)
{
	if (p > text && wordch(p[-1]))
		return 0;
	if (!isupper((unsigned char)*p))
		return 0;
	const char *q = p;
	bool inner_upper = false;
	while (isalnum((unsigned char)*q) || *q == '.') {
		if (q > p && isupper((unsigned char)*q))
			inner_upper = true;
		q++;
	}
	size_t n = (size_t)(q - p);
	if (n > 9 && strncmp(q - 9, "Exception", 9) == 0)
		return n;
	if (n > 5 && inner_upper && strncmp(q - 5, "Error", 5) == 0 && *q == ':')
		return n;
	return 0;
}

/* Where offset off of text is: 1-based line, and column in characters. */
static void position(const char *text, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\n') {
			(*line)++;
			*col = 1;
		} else if ((c & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

/* Record a problem at offset off (kept when there is room; always counted). */
static void found(const char *text, size_t off, notice_kind k, const char *what,
		  notice_problem *out, size_t max, size_t *n)
{
	if (*n < max) {
		notice_problem *p = &out[*n];
		p->kind = k;
		position(text, off, &p->line, &p->col);
		snprintf(p->message, sizeof p->message, "%d:%d: %s", p->line, p->col, what);
	}
	(*n)++;
}

/* Check a public notice; see notice.h. */
size_t notice_check(const char *text, const notice_secrets *s, notice_problem *out, size_t max)
{
	size_t n = 0;
	if (!text)
		return 0;
	bool line_start = true;
	for (const char *p = text; *p;) {
		size_t off = (size_t)(p - text), len;
		char what[200];
		if (line_start) {
			line_start = false;
			if (frame_line(p)) {
				found(text, off, NOTICE_STACK,
				      "a stack-trace line: say what customers notice instead", out,
				      max, &n);
				p += strcspn(p, "\n");
				continue;
			}
		}
		if (*p == '\n') {
			line_start = true;
			p++;
			continue;
		}
		len = 0;
		for (size_t i = 0; i < sizeof notice_fixed / sizeof notice_fixed[0] && !len; i++)
			if ((len = notice_fixed[i].at(text, p, s)) > 0)
				found(text, off, notice_fixed[i].kind, notice_fixed[i].what, out,
				      max, &n);
		if (len > 0) {
			p += len;
			continue;
		}
		if ((len = error_name_at(text, p)) > 0) {
			snprintf(
			    what, sizeof what,
			    "\"%.*s\" is from a stack trace: say what customers notice instead",
			    (int)(len > 60 ? 60 : len), p);
			found(text, off, NOTICE_STACK, what, out, max, &n);
			p += len;
			continue;
		}
		bool hit = false;
		for (size_t i = 0; s && i < s->n_hosts && !hit; i++) {
			size_t hl = strlen(s->hosts[i]);
			if (hl && strncasecmp(p, s->hosts[i], hl) == 0 &&
			    !(p > text && (wordch(p[-1]) || p[-1] == '.')) && !wordch(p[hl])) {
				snprintf(what, sizeof what,
					 "the host name %.80s is from our configuration: name the "
					 "service, not the host",
					 s->hosts[i]);
				found(text, off, NOTICE_HOST, what, out, max, &n);
				p += hl;
				hit = true;
			}
		}
		for (size_t i = 0; notice_stack[i] && !hit; i++) {
			size_t sl = strlen(notice_stack[i]);
			if (strncasecmp(p, notice_stack[i], sl) == 0 &&
			    !(p > text && wordch(p[-1]))) {
				found(text, off, NOTICE_STACK,
				      "text from a stack trace: say what customers notice instead",
				      out, max, &n);
				p += sl;
				hit = true;
			}
		}
		for (size_t i = 0; notice_blame[i] && !hit; i++) {
			size_t bl = strlen(notice_blame[i]);
			if (strncasecmp(p, notice_blame[i], bl) == 0 &&
			    !(p > text && wordch(p[-1]))) {
				size_t wl = bl;
				while (wordch(p[wl]))
					wl++;
				snprintf(what, sizeof what,
					 "\"%.*s\" points at someone: say what happened, not who",
					 (int)(wl > 40 ? 40 : wl), p);
				found(text, off, NOTICE_BLAME, what, out, max, &n);
				p += wl;
				hit = true;
			}
		}
		if (!hit)
			p++;
	}
	return n;
}
