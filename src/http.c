/* HTTP GET over libcurl: time-outs, caps, no redirects, token only to the API, readable errors. */
#include "hsr/http.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

struct http_client {
	CURL *curl;
	CURLM *multi; /* drives the transfer so another thread can wake it (cancel) at once */
};

/* Growing buffers the callbacks fill, and what is known about a failed transfer afterwards. */
typedef struct {
	http_response *r;
	size_t cap;
	size_t header_bytes;
	bool too_large;
	bool headers_too_large;
	char errbuf[CURL_ERROR_SIZE]; /* curl's own detail, never shown as is */
	/* Filled after the transfer, for messages: */
	long connect_limit_ms; /* the time-outs in force */
	long total_limit_ms;
	double lookup_s;	   /* 0 when the DNS lookup never finished */
	double connect_s;	   /* 0 when the connection (with TLS) never finished */
	long local_port;	   /* > 0 once a TCP connection stood */
	long os_errno;		   /* errno of the last socket failure */
	curl_off_t got_bytes;	   /* body bytes received (after decoding) */
	curl_off_t declared_bytes; /* Content-Length, -1 when none */
	bool https;
	bool encoded; /* a Content-Encoding other than identity */
} xfer;

/* Once per process, before any thread starts. */
void http_global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* At exit, after every thread has stopped. */
void http_global_cleanup(void)
{
	curl_global_cleanup();
}

/* A client owns one curl handle, reused between requests (keeps the connection warm). */
http_client *http_client_new(void)
{
	http_client *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->curl = curl_easy_init();
	c->multi = curl_multi_init();
	if (!c->curl || !c->multi) {
		http_client_free(c);
		return NULL;
	}
	return c;
}

/* Free a client and its handle. */
void http_client_free(http_client *c)
{
	if (!c)
		return;
	if (c->multi)
		curl_multi_cleanup(c->multi);
	if (c->curl)
		curl_easy_cleanup(c->curl);
	free(c);
}

/* Wake a transfer in progress so it sees its cancel flag now; safe from any thread. */
void http_client_wake(http_client *c)
{
	if (c && c->multi)
		curl_multi_wakeup(c->multi);
}

/* Run the transfer on the client's multi handle until done or cancelled. */
static CURLcode perform(http_client *c, const _Atomic int *cancel)
{
	CURLcode rc = CURLE_OK;
	if (curl_multi_add_handle(c->multi, c->curl) != CURLM_OK)
		return CURLE_FAILED_INIT;
	int running = 1;
	while (running) {
		if (curl_multi_perform(c->multi, &running) != CURLM_OK) {
			rc = CURLE_FAILED_INIT;
			break;
		}
		if (!running)
			break;
		if (cancel && *cancel) {
			rc = CURLE_ABORTED_BY_CALLBACK;
			break;
		}
		curl_multi_poll(c->multi, NULL, 0, 1000, NULL);
		if (cancel && *cancel) {
			rc = CURLE_ABORTED_BY_CALLBACK;
			break;
		}
	}
	if (!running) {
		int left;
		CURLMsg *m;
		while ((m = curl_multi_info_read(c->multi, &left)))
			if (m->msg == CURLMSG_DONE && m->easy_handle == c->curl)
				rc = m->data.result;
	}
	curl_multi_remove_handle(c->multi, c->curl);
	return rc;
}

/* Append body bytes up to the cap; past it the transfer stops. */
static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
	xfer *x = userp;
	size_t n = size * nmemb;
	http_response *r = x->r;
	if (r->body_len + n > HTTP_BODY_MAX) {
		x->too_large = true;
		return 0;
	}
	if (r->body_len + n + 1 > x->cap) {
		size_t cap = x->cap ? x->cap : 4096;
		while (cap < r->body_len + n + 1)
			cap *= 2;
		char *nb = realloc(r->body, cap);
		if (!nb)
			return 0;
		r->body = nb;
		x->cap = cap;
	}
	memcpy(r->body + r->body_len, data, n);
	r->body_len += n;
	r->body[r->body_len] = '\0';
	return n;
}

/* Drop every captured header (a new response starts, e.g. after a 100 Continue). */
static void clear_headers(http_response *r)
{
	for (size_t i = 0; i < r->n_headers; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	r->headers = NULL;
	r->n_headers = 0;
}

/* Trim blanks and CR/LF from both ends of [s, s+n). */
static void trim(const char **s, size_t *n)
{
	while (*n && isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* Capture "Name: value" lines of the final response, within the caps. */
static size_t on_header(char *data, size_t size, size_t nitems, void *userp)
{
	xfer *x = userp;
	size_t n = size * nitems;
	http_response *r = x->r;
	x->header_bytes += n;
	if (x->header_bytes > HTTP_HEADERS_MAX_BYTES) {
		x->headers_too_large = true;
		return 0;
	}
	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		clear_headers(r);
		return n;
	}
	const char *colon = memchr(data, ':', n);
	if (!colon || r->n_headers >= HTTP_HEADERS_MAX_COUNT)
		return n;
	const char *name = data;
	size_t nlen = (size_t)(colon - data);
	const char *val = colon + 1;
	size_t vlen = n - nlen - 1;
	trim(&name, &nlen);
	trim(&val, &vlen);
	if (nlen == 0)
		return n;
	http_header *nh = realloc(r->headers, (r->n_headers + 1) * sizeof *nh);
	if (!nh)
		return 0;
	r->headers = nh;
	nh[r->n_headers].name = strndup(name, nlen);
	nh[r->n_headers].value = strndup(val, vlen);
	if (!nh[r->n_headers].name || !nh[r->n_headers].value) {
		free(nh[r->n_headers].name);
		free(nh[r->n_headers].value);
		return 0;
	}
	r->n_headers++;
	return n;
}

/* Length of "scheme://host[:port]" at the start of url, 0 when it has none. */
static size_t origin_len(const char *url)
{
	const char *p = strstr(url, "://");
	if (!p)
		return 0;
	p += 3;
	const char *end = p + strcspn(p, "/?#");
	if (end == p)
		return 0;
	if (memchr(p, '@', (size_t)(end - p)))
		return 0; /* userinfo in the URL: refuse to match */
	return (size_t)(end - url);
}

/* Whether url may carry the token: same origin as api_base and under its path. */
bool http_url_is_under(const char *url, const char *api_base)
{
	if (!url || !api_base || !*api_base)
		return false;
	size_t ou = origin_len(url), ob = origin_len(api_base);
	if (!ou || ou != ob || strncasecmp(url, api_base, ob) != 0)
		return false;
	const char *bp = api_base + ob, *up = url + ou;
	size_t bl = strlen(bp);
	while (bl && bp[bl - 1] == '/')
		bl--;
	if (bl == 0)
		return true;
	if (strncmp(up, bp, bl) != 0)
		return false;
	char next = up[bl];
	return next == '\0' || next == '/' || next == '?' || next == '#';
}

/* The host part of url, for messages. */
static void url_host(const char *url, char *out, size_t outsz)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	size_t n = strcspn(p, "/?#:");
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* "500 of 1000 bytes" or "500 bytes": how much of the answer came. */
static void bytes_words(const xfer *x, char *out, size_t outsz)
{
	if (x->declared_bytes >= 0 && !x->encoded)
		snprintf(out, outsz, "%lld of %lld bytes", (long long)x->got_bytes,
			 (long long)x->declared_bytes);
	else
		snprintf(out, outsz, "%lld bytes", (long long)x->got_bytes);
}

/* A time-out for a message: "10 s", or "1.5 s" when not whole seconds. */
static void limit_words(long ms, char *out, size_t outsz)
{
	if (ms % 1000 == 0)
		snprintf(out, outsz, "%ld s", ms / 1000);
	else
		snprintf(out, outsz, "%.1f s", (double)ms / 1000.0);
}

/* A time-out: name the step it stopped at (DNS, connect, TLS, headers, body) and its limit. */
static void say_timeout(const xfer *x, const char *host, char *msg, size_t msgsz)
{
	/* Until connected, the shorter of the two time-outs holds; after, the total one. */
	long connect_ms =
	    x->connect_limit_ms < x->total_limit_ms ? x->connect_limit_ms : x->total_limit_ms;
	char early[24], total[24], got[64];
	limit_words(connect_ms, early, sizeof early);
	limit_words(x->total_limit_ms, total, sizeof total);
	if (x->lookup_s <= 0.0) {
		snprintf(msg, msgsz,
			 "DNS lookup for %s timed out after %s: check this host's resolver", host,
			 early);
	} else if (x->https && x->connect_s <= 0.0 &&
		   (x->local_port > 0 || strstr(x->errbuf, "SSL"))) {
		snprintf(msg, msgsz,
			 "TLS handshake with %s did not finish within %s: check that the port "
			 "speaks TLS (https)",
			 host, early);
	} else if (x->connect_s <= 0.0) {
		snprintf(msg, msgsz, "could not connect to %s within %s", host, early);
	} else if (x->r->status > 0) {
		bytes_words(x, got, sizeof got);
		snprintf(
		    msg, msgsz,
		    "timed out after %s: %s sent only %.40s; the server or network is too slow",
		    total, host, got);
	} else {
		snprintf(msg, msgsz, "timed out after %s waiting for %s", total, host);
	}
}

/* The connection failed while reading: a reset, a close, or a malformed answer. */
static http_err say_broken(CURLcode rc, const xfer *x, const char *host, char *msg, size_t msgsz)
{
	char got[64];
	bytes_words(x, got, sizeof got);
	if (strstr(x->errbuf, "chunk")) {
		snprintf(
		    msg, msgsz,
		    "%s sent a malformed chunked body: not read; the server or a proxy in between "
		    "is broken",
		    host);
		return HTTP_ERR_OTHER;
	}
	if (rc == CURLE_PARTIAL_FILE) {
		snprintf(msg, msgsz,
			 "%s closed the connection after %s: the answer is incomplete; try again",
			 host, got);
		return HTTP_ERR_CONNECT;
	}
	if (x->os_errno == ECONNRESET) {
		if (x->r->status > 0)
			snprintf(
			    msg, msgsz,
			    "connection to %s reset after %s: the server or a proxy dropped it; "
			    "try again",
			    host, got);
		else
			snprintf(msg, msgsz,
				 "connection to %s reset before any answer: the server or a proxy "
				 "dropped it; try again",
				 host);
		return HTTP_ERR_CONNECT;
	}
	snprintf(msg, msgsz, "connection to %s broke after %s: %s", host, got,
		 curl_easy_strerror(rc));
	return HTTP_ERR_CONNECT;
}

/* A body or headers past the caps: say which and return true; false for another write error. */
static bool say_too_large(CURLcode rc, const xfer *x, const char *host, char *msg, size_t msgsz)
{
	if (x->headers_too_large) {
		snprintf(msg, msgsz, "headers from %s larger than %d KiB: not read", host,
			 HTTP_HEADERS_MAX_BYTES / 1024);
		return true;
	}
	if (x->too_large && x->encoded) {
		snprintf(msg, msgsz, "compressed answer from %s inflates past %d KiB: not read",
			 host, HTTP_BODY_MAX / 1024);
		return true;
	}
	if (rc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(msg, msgsz,
			 "answer from %s larger than %d KiB by its Content-Length: not read", host,
			 HTTP_BODY_MAX / 1024);
		return true;
	}
	if (x->too_large) {
		snprintf(msg, msgsz, "answer from %s larger than %d KiB: not read", host,
			 HTTP_BODY_MAX / 1024);
		return true;
	}
	return false;
}

/* Turn a curl failure into a kind and a line for a person. */
static http_err classify(CURLcode rc, const char *url, const xfer *x, char *msg, size_t msgsz)
{
	char host[64];
	url_host(url, host, sizeof host);
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		snprintf(msg, msgsz,
			 "DNS lookup failed for %s: check the URL and this host's resolver", host);
		return HTTP_ERR_DNS;
	case CURLE_COULDNT_CONNECT:
		snprintf(
		    msg, msgsz,
		    "connection refused by %s: nothing listens there, or a firewall rejects it",
		    host);
		return HTTP_ERR_REFUSED;
	case CURLE_OPERATION_TIMEDOUT:
		say_timeout(x, host, msg, msgsz);
		return HTTP_ERR_TIMEOUT;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		snprintf(msg, msgsz,
			 "TLS certificate of %s not trusted: check the clock, a proxy, or --cacert",
			 host);
		return HTTP_ERR_TLS;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_USE_SSL_FAILED:
		snprintf(msg, msgsz, "TLS handshake with %s failed: %s", host,
			 curl_easy_strerror(rc));
		return HTTP_ERR_TLS;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		snprintf(msg, msgsz, "bad URL \"%.80s\": use http:// or https://", url);
		return HTTP_ERR_BAD_URL;
	case CURLE_ABORTED_BY_CALLBACK:
		snprintf(msg, msgsz, "request to %s cancelled", host);
		return HTTP_ERR_CANCELLED;
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		if (say_too_large(rc, x, host, msg, msgsz))
			return HTTP_ERR_TOO_LARGE;
		break;
	case CURLE_GOT_NOTHING:
		snprintf(msg, msgsz, "%s closed the connection without answering", host);
		return HTTP_ERR_CONNECT;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		return say_broken(rc, x, host, msg, msgsz);
	case CURLE_BAD_CONTENT_ENCODING:
		snprintf(
		    msg, msgsz,
		    "%s sent a compressed body that does not decode: not read; the server or a "
		    "proxy in between is broken",
		    host);
		return HTTP_ERR_OTHER;
	case CURLE_WEIRD_SERVER_REPLY:
		snprintf(msg, msgsz,
			 "%s sent something that is not HTTP: check that the URL's port is the web "
			 "server's",
			 host);
		return HTTP_ERR_OTHER;
	default:
		break;
	}
	snprintf(msg, msgsz, "request to %s failed: %s", host, curl_easy_strerror(rc));
	return HTTP_ERR_OTHER;
}

/* GET url into *out; see http.h for the guarantees. */
http_err http_get(http_client *c, const char *url, const http_opts *opts, http_response *out)
{
	return http_request(c, url, opts, NULL, out);
}

/* Refuse an empty URL or one that is not http(s) into out; HTTP_OK when it may be fetched. */
static http_err check_url(const char *url, http_response *out)
{
	if (!url || !*url) {
		out->err = HTTP_ERR_NOT_CONFIGURED;
		snprintf(out->error, sizeof out->error, "not configured");
		return out->err;
	}
	if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0) {
		out->err = HTTP_ERR_BAD_URL;
		snprintf(out->error, sizeof out->error,
			 "bad URL \"%.80s\": use http:// or https://", url);
		return out->err;
	}
	return HTTP_OK;
}

/* The transfer's options: no redirects, TLS checks, time-outs, caps, the callbacks into x. */
static void set_options(CURL *h, const char *url, const http_opts *opts, xfer *x)
{
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	/* Never wait for a hung DNS lookup when the transfer is abandoned (cancel, deadline). */
	curl_easy_setopt(h, CURLOPT_QUICK_EXIT, 1L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	/* A proxy from the environment is used for https only (a CONNECT tunnel keeps the token
	 * encrypted); plain http goes direct, so a bearer token never crosses a proxy in clear. */
	if (strncasecmp(url, "http://", 7) == 0)
		curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (opts->cacert && *opts->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, opts->cacert);
	x->connect_limit_ms = opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms : 3000L;
	x->total_limit_ms = opts->timeout_ms > 0 ? opts->timeout_ms : 10000L;
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, x->connect_limit_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, x->total_limit_ms);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "hsrunbook/" HSR_VERSION " (incident runbook)");
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)HTTP_BODY_MAX);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->errbuf);
}

/* The method, the body and the headers (the token only under the API); the list to free. */
static struct curl_slist *set_request(CURL *h, const char *url, const http_opts *opts,
				      const http_send *req)
{
	struct curl_slist *hdrs = NULL;
	char auth[1100];
	hdrs = curl_slist_append(hdrs, "Accept: application/json");
	if (opts->token && *opts->token && http_url_is_under(url, opts->api_base)) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", opts->token);
		hdrs = curl_slist_append(hdrs, auth);
		explicit_bzero(auth, sizeof auth);
	}
	if (req && req->method && strcmp(req->method, "GET") != 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
	if (req && req->body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		hdrs = curl_slist_append(hdrs, "Expect:"); /* no 100-continue round trip */
		if (req->content_type) {
			snprintf(auth, sizeof auth, "Content-Type: %.200s", req->content_type);
			hdrs = curl_slist_append(hdrs, auth);
		}
	}
	if (req && req->secret_header && *req->secret_header) {
		/* The caller's credential for this one URL (a Statuspage key): wiped like the
		 * token. */
		snprintf(auth, sizeof auth, "%s", req->secret_header);
		hdrs = curl_slist_append(hdrs, auth);
		explicit_bzero(auth, sizeof auth);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	return hdrs;
}

/* Drop the token from curl's own copies as soon as the request is done, and free the list. */
static void drop_headers(CURL *h, struct curl_slist *hdrs)
{
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	for (struct curl_slist *n = hdrs; n; n = n->next)
		explicit_bzero(n->data, strlen(n->data));
	curl_slist_free_all(hdrs);
}

/* What curl knows of a failed transfer, into x; then the error kind and line into out. */
static http_err describe_failure(CURL *h, CURLcode rc, const char *url, xfer *x, http_response *out)
{
	x->https = strncasecmp(url, "https://", 8) == 0;
	curl_easy_getinfo(h, CURLINFO_NAMELOOKUP_TIME, &x->lookup_s);
	curl_easy_getinfo(h, CURLINFO_CONNECT_TIME, &x->connect_s);
	curl_easy_getinfo(h, CURLINFO_LOCAL_PORT, &x->local_port);
	curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &x->os_errno);
	curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &x->got_bytes);
	curl_easy_getinfo(h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &x->declared_bytes);
	const char *enc = http_response_header(out, "Content-Encoding");
	x->encoded = enc && *enc && strcasecmp(enc, "identity") != 0;
	out->err = classify(rc, url, x, out->error, sizeof out->error);
	if (out->err != HTTP_ERR_TOO_LARGE)
		out->status = 0;
	return out->err;
}

/* A request (GET, or what req says) to url into *out; see http.h for the guarantees. */
http_err http_request(http_client *c, const char *url, const http_opts *opts, const http_send *req,
		      http_response *out)
{
	memset(out, 0, sizeof *out);
	if (check_url(url, out) != HTTP_OK)
		return out->err;
	CURL *h = c->curl;
	curl_easy_reset(h);
	xfer x = {.r = out};
	set_options(h, url, opts, &x);
	struct curl_slist *hdrs = set_request(h, url, opts, req);

	CURLcode rc = perform(c, opts->cancel);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL); /* x.errbuf ends with this call */
	drop_headers(h, hdrs);

	double total = 0;
	curl_easy_getinfo(h, CURLINFO_TOTAL_TIME, &total);
	out->latency_ms = (long)(total * 1000.0 + 0.5);
	long sent = 0;
	curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &sent);
	out->connected =
	    sent > 0; /* the request went out (a reused connection has no connect time) */
	/* A status line that arrived is evidence even when the rest was refused (too large). */
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
	if (rc != CURLE_OK)
		return describe_failure(h, rc, url, &x, out);
	out->err = HTTP_OK;
	return out->err;
}

/* Case-insensitive header lookup; the last one wins when repeated. */
const char *http_response_header(const http_response *r, const char *name)
{
	const char *v = NULL;
	for (size_t i = 0; r && i < r->n_headers; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			v = r->headers[i].value;
	return v;
}

/* Free what http_get allocated. */
void http_response_free(http_response *r)
{
	if (!r)
		return;
	clear_headers(r);
	free(r->body);
	r->body = NULL;
	r->body_len = 0;
}

/* A short name for an error kind. */
const char *http_err_name(http_err e)
{
	switch (e) {
	case HTTP_OK:
		return "ok";
	case HTTP_ERR_NOT_CONFIGURED:
		return "not-configured";
	case HTTP_ERR_BAD_URL:
		return "bad-url";
	case HTTP_ERR_DNS:
		return "dns";
	case HTTP_ERR_REFUSED:
		return "connection-refused";
	case HTTP_ERR_CONNECT:
		return "connect";
	case HTTP_ERR_TIMEOUT:
		return "timeout";
	case HTTP_ERR_TLS:
		return "tls";
	case HTTP_ERR_TOO_LARGE:
		return "too-large";
	case HTTP_ERR_CANCELLED:
		return "cancelled";
	case HTTP_ERR_OTHER:
		break;
	}
	return "other";
}
