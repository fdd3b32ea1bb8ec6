/* The raw HTTP/1.1 request parser for captured webhook deliveries: request line, headers,
 * body by Content-Length or chunked, CRLF or LF lines, size caps, one-line errors. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hsr/webhook.h"

/* One line from data at *pos (its end: LF or CRLF, or the end of data); false at the end. */
static bool webhook_request_line(const char *data, size_t len, size_t *pos, const char **line,
				 size_t *linelen)
{
	if (*pos >= len)
		return false;
	const char *s = data + *pos;
	const char *nl = memchr(s, '\n', len - *pos);
	size_t n = nl ? (size_t)(nl - s) : len - *pos;
	*pos += n + (nl ? 1 : 0);
	if (n && s[n - 1] == '\r')
		n--;
	*line = s;
	*linelen = n;
	return true;
}

/* Fail with one line in err; returns -1. */
__attribute__((format(printf, 3, 4))) static int webhook_request_fail(char *err, size_t errsz,
								      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
	return -1;
}

/* Whether c may be in a method or a header name (an RFC 9110 token character). */
static bool webhook_request_tchar(char c)
{
	return isalnum((unsigned char)c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* The value of header name (any case), or NULL; *dup = -1 when a second differs. */
const char *webhook_request_header(const webhook_request *r, const char *name, int *dup)
{
	const char *v = NULL;
	if (dup)
		*dup = 0;
	for (int i = 0; i < r->n_headers; i++) {
		if (strcasecmp(r->headers[i].name, name) != 0)
			continue;
		if (!v)
			v = r->headers[i].value;
		else if (strcmp(v, r->headers[i].value) != 0 && dup)
			*dup = -1;
	}
	return v;
}

/* Split the request line (NUL-terminated, in place) into r. */
static int webhook_request_first(char *line, webhook_request *r, char *err, size_t errsz)
{
	char *sp1 = strchr(line, ' ');
	char *sp2 = sp1 ? strrchr(line, ' ') : NULL;
	if (!sp1 || sp2 == sp1)
		return webhook_request_fail(
		    err, errsz,
		    "the first line is not a request line (METHOD TARGET HTTP/1.1): \"%.40s\"",
		    line);
	*sp1 = '\0';
	*sp2 = '\0';
	char *target = sp1 + 1;
	while (*target == ' ')
		target++;
	size_t tl = strlen(target);
	while (tl && target[tl - 1] == ' ')
		target[--tl] = '\0';
	if (!*line || strlen(line) >= sizeof r->method)
		return webhook_request_fail(err, errsz, "the request line has no method");
	for (char *p = line; *p; p++)
		if (!webhook_request_tchar(*p))
			return webhook_request_fail(err, errsz,
						    "the method holds a character a method cannot");
	if (!tl || strchr(target, ' ') || tl >= WEBHOOK_URL_MAX)
		return webhook_request_fail(err, errsz,
					    "the request target is empty, holds a space or is over "
					    "%d bytes",
					    WEBHOOK_URL_MAX - 1);
	if (strncmp(sp2 + 1, "HTTP/1.", 7) != 0 || strlen(sp2 + 1) >= sizeof r->version)
		return webhook_request_fail(
		    err, errsz, "the request line does not end in HTTP/1.0 or HTTP/1.1");
	snprintf(r->method, sizeof r->method, "%s", line);
	snprintf(r->version, sizeof r->version, "%s", sp2 + 1);
	r->target = target;
	return 0;
}

/* Parse "name: value" (NUL-terminated, in place) into the next header of r. */
static int webhook_request_field(char *line, int lineno, webhook_request *r, char *err,
				 size_t errsz)
{
	if (*line == ' ' || *line == '\t')
		return webhook_request_fail(err, errsz,
					    "line %d: a folded header line (obsolete); join it to "
					    "the line above",
					    lineno);
	char *colon = strchr(line, ':');
	if (!colon || colon == line)
		return webhook_request_fail(err, errsz,
					    "line %d: a header line without a name: "
					    "NAME: VALUE",
					    lineno);
	for (char *p = line; p < colon; p++)
		if (!webhook_request_tchar(*p))
			return webhook_request_fail(err, errsz,
						    "line %d: the header name holds a space or a "
						    "character a name cannot",
						    lineno);
	if (r->n_headers == WEBHOOK_HEADERS_MAX)
		return webhook_request_fail(err, errsz, "more than %d header lines",
					    WEBHOOK_HEADERS_MAX);
	*colon = '\0';
	char *v = colon + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	size_t vl = strlen(v);
	while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
		v[--vl] = '\0';
	r->headers[r->n_headers].name = line;
	r->headers[r->n_headers++].value = v;
	return 0;
}

/* Decode a chunked body from data[pos..len) into r->body; 0, or -1 with err. */
static int webhook_request_chunks(const char *data, size_t len, size_t pos, webhook_request *r,
				  char *err, size_t errsz)
{
	r->body = malloc(len - pos + 1);
	if (!r->body)
		return webhook_request_fail(err, errsz, "out of memory");
	const char *line;
	size_t ll;
	for (;;) {
		if (!webhook_request_line(data, len, &pos, &line, &ll))
			return webhook_request_fail(err, errsz,
						    "the chunked body ends before its last (0) "
						    "chunk: the capture is cut short");
		size_t size = 0, i = 0;
		for (; i < ll && isxdigit((unsigned char)line[i]); i++) {
			if (size > WEBHOOK_REQUEST_MAX)
				break;
			int d = isdigit((unsigned char)line[i])
				    ? line[i] - '0'
				    : tolower((unsigned char)line[i]) - 'a' + 10;
			size = size * 16 + (size_t)d;
		}
		if (size > WEBHOOK_REQUEST_MAX)
			return webhook_request_fail(
			    err, errsz,
			    "a chunk size is over the %d bytes a capture may "
			    "hold",
			    WEBHOOK_REQUEST_MAX);
		if (!i || (i < ll && line[i] != ';' && line[i] != ' ' && line[i] != '\t'))
			return webhook_request_fail(err, errsz,
						    "a chunk size line is not a hex number: the "
						    "chunked framing is broken");
		if (size > len - pos)
			return webhook_request_fail(err, errsz,
						    "a chunk of %zu bytes runs past the end: the "
						    "capture is cut short",
						    size);
		if (!size)
			break;
		memcpy(r->body + r->body_len, data + pos, size);
		r->body_len += size;
		pos += size;
		if (pos < len && data[pos] == '\r')
			pos++;
		if (pos >= len || data[pos] != '\n')
			return webhook_request_fail(err, errsz,
						    "a chunk is not followed by a line break: its "
						    "size is wrong");
		pos++;
	}
	/* Trailer lines up to the empty line (or the end). */
	while (webhook_request_line(data, len, &pos, &line, &ll) && ll)
		;
	r->extra_bytes = len - pos;
	r->body[r->body_len] = '\0';
	return 0;
}

/* Frame the body from data[pos..len) by the headers of r; 0, or -1 with err. */
static int webhook_request_body(const char *data, size_t len, size_t pos, webhook_request *r,
				char *err, size_t errsz)
{
	int dcl, dte;
	const char *cl = webhook_request_header(r, "Content-Length", &dcl);
	const char *te = webhook_request_header(r, "Transfer-Encoding", &dte);
	if (dcl || dte)
		return webhook_request_fail(err, errsz,
					    "%s appears twice with different values: "
					    "the framing is ambiguous",
					    dcl ? "Content-Length" : "Transfer-Encoding");
	if (te) {
		const char *last = strrchr(te, ',');
		last = last ? last + 1 : te;
		while (*last == ' ')
			last++;
		if (strcasecmp(last, "chunked") != 0)
			return webhook_request_fail(err, errsz,
						    "Transfer-Encoding \"%.40s\" does not end in "
						    "chunked: the body's end is unknown",
						    te);
		if (cl)
			return webhook_request_fail(
			    err, errsz,
			    "both Content-Length and Transfer-Encoding: a "
			    "proxy changed the framing; capture at one place");
		r->chunked = true;
		return webhook_request_chunks(data, len, pos, r, err, errsz);
	}
	size_t n = len - pos;
	if (cl) {
		size_t v = 0;
		const char *p = cl;
		for (; isdigit((unsigned char)*p); p++) {
			v = v * 10 + (size_t)(*p - '0');
			if (v > WEBHOOK_REQUEST_MAX)
				return webhook_request_fail(err, errsz,
							    "Content-Length %.24s is over the %d "
							    "bytes a capture may hold",
							    cl, WEBHOOK_REQUEST_MAX);
		}
		if (p == cl || *p)
			return webhook_request_fail(err, errsz,
						    "Content-Length \"%.24s\" is not a number", cl);
		if (v > n)
			return webhook_request_fail(err, errsz,
						    "the body is %zu bytes but Content-Length says "
						    "%zu: the capture is cut short",
						    n, v);
		r->extra_bytes = n - v;
		n = v;
	}
	r->body = malloc(n + 1);
	if (!r->body)
		return webhook_request_fail(err, errsz, "out of memory");
	memcpy(r->body, data + pos, n);
	r->body[n] = '\0';
	r->body_len = n;
	return 0;
}

/* Parse a captured request into r; 0, or -1 with one line in err. */
int webhook_request_parse(const char *data, size_t len, webhook_request *r, char *err, size_t errsz)
{
	memset(r, 0, sizeof *r);
	if (len > WEBHOOK_REQUEST_MAX)
		return webhook_request_fail(err, errsz, "the request is over %d bytes",
					    WEBHOOK_REQUEST_MAX);
	size_t pos = 0, start;
	const char *line;
	size_t ll;
	/* Empty lines before the request line are allowed (RFC 9112). */
	do {
		start = pos;
		if (!webhook_request_line(data, len, &pos, &line, &ll))
			return webhook_request_fail(err, errsz, "the request is empty");
	} while (!ll);
	/* The head: up to the empty line or the end. */
	size_t head_end;
	bool blank = false;
	do {
		head_end = pos;
		if (pos - start > WEBHOOK_HEADER_BYTES)
			return webhook_request_fail(
			    err, errsz, "the request line and headers are over %d bytes",
			    WEBHOOK_HEADER_BYTES);
		if (!webhook_request_line(data, len, &pos, &line, &ll))
			break;
		blank = ll == 0;
	} while (!blank);
	if (memchr(data + start, '\0', head_end - start))
		return webhook_request_fail(err, errsz,
					    "a NUL byte in the request line or the headers");
	for (const char *c = data + start; (c = memchr(c, '\r', head_end - (size_t)(c - data)));
	     c++)
		if (c + 1 == data + head_end || c[1] != '\n')
			return webhook_request_fail(err, errsz,
						    "a carriage return inside a header line: the "
						    "capture is damaged");
	r->head = malloc(head_end - start + 1);
	if (!r->head)
		return webhook_request_fail(err, errsz, "out of memory");
	memcpy(r->head, data + start, head_end - start);
	size_t hl = head_end - start, hp = 0;
	r->head[hl] = '\0';
	int lineno = 0;
	char *h = r->head;
	while (webhook_request_line(h, hl, &hp, &line, &ll)) {
		char *l = (char *)line;
		l[ll] = '\0'; /* the \r or \n after it, or the final NUL */
		if (lineno++ == 0) {
			if (webhook_request_first(l, r, err, errsz) != 0)
				return -1;
		} else if (webhook_request_field(l, lineno, r, err, errsz) != 0) {
			return -1;
		}
	}
	if (!blank)
		pos = len; /* no empty line: no body */
	return webhook_request_body(data, len, pos, r, err, errsz);
}

/* Free what webhook_request_parse allocated. */
void webhook_request_free(webhook_request *r)
{
	free(r->head);
	free(r->body);
	memset(r, 0, sizeof *r);
}
