/* HubSpot webhook signatures: v1, v2, v3, the age check and the usual mistakes (pure). */
#include "hsr/webhook.h"

#include <ctype.h>
#include <inttypes.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hsr/common.h"
#include "hsr/sanitize.h"

/* The value of one hex digit, or -1. */
static int webhook_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decode in into out: every escape when all, else only those HubSpot decodes. */
static int webhook_decode(const char *in, bool all, char *out, size_t outsz)
{
	static const char hubspot[] = ":/?@!$'()*,;";
	size_t o = 0;
	for (const char *p = in; *p; p++) {
		char c = *p;
		if (c == '%' && webhook_hex(p[1]) >= 0 && webhook_hex(p[2]) >= 0) {
			char d = (char)(webhook_hex(p[1]) * 16 + webhook_hex(p[2]));
			if (d && (all || strchr(hubspot, d))) {
				c = d;
				p += 2;
			}
		}
		if (o + 1 >= outsz)
			return -1;
		out[o++] = c;
	}
	if (!outsz)
		return -1;
	out[o] = '\0';
	return (int)o;
}

/* The URI as HubSpot signs it (v3): only the escapes of : / ? @ ! $ ' ( ) * , ; decoded. */
int webhook_decode_uri(const char *in, char *out, size_t outsz)
{
	return webhook_decode(in, false, out, outsz);
}

/* The signature of v over the parts; for v3 the URI is HubSpot-decoded only when decode. */
static int webhook_sign_as(webhook_version v, const char *secret, size_t secret_len,
			   const char *method, const char *uri, bool decode,
			   const unsigned char *body, size_t body_len, const char *timestamp,
			   char *out, size_t outsz)
{
	char dec[WEBHOOK_URL_MAX];
	if (v == WEBHOOK_V3 && decode) {
		if (webhook_decode_uri(uri, dec, sizeof dec) < 0)
			return -1;
		uri = dec;
	}
	/* The message: v1 secret+body, v2 secret+method+URI+body, v3 method+URI+body+time. */
	const char *pre[3] = {NULL, NULL, NULL};
	const char *post = "";
	if (v == WEBHOOK_V1) {
		pre[0] = "";
	} else if (v == WEBHOOK_V2) {
		pre[0] = method;
		pre[1] = uri;
	} else if (v == WEBHOOK_V3) {
		pre[0] = method;
		pre[1] = uri;
		post = timestamp ? timestamp : "";
	} else {
		return -1;
	}
	size_t key = v == WEBHOOK_V3 ? 0 : secret_len;
	size_t len = key + body_len + strlen(post);
	for (int i = 0; pre[i]; i++)
		len += strlen(pre[i]);
	unsigned char *msg = malloc(len + 1);
	if (!msg)
		return -1;
	size_t at = 0;
	memcpy(msg, secret, key);
	at += key;
	for (int i = 0; pre[i]; i++) {
		memcpy(msg + at, pre[i], strlen(pre[i]));
		at += strlen(pre[i]);
	}
	if (body_len)
		memcpy(msg + at, body, body_len);
	at += body_len;
	memcpy(msg + at, post, strlen(post));

	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int ok;
	if (v == WEBHOOK_V3)
		ok = HMAC(EVP_sha256(), secret, (int)secret_len, msg, len, md, &mdlen) != NULL;
	else
		ok = EVP_Digest(msg, len, md, &mdlen, EVP_sha256(), NULL) == 1;
	OPENSSL_cleanse(msg, len);
	free(msg);
	if (!ok || outsz < 2 * (size_t)mdlen + 1)
		return -1;
	if (v == WEBHOOK_V3) {
		EVP_EncodeBlock((unsigned char *)out, md, (int)mdlen);
	} else {
		for (unsigned i = 0; i < mdlen; i++)
			snprintf(out + 2 * i, 3, "%02x", md[i]);
	}
	return 0;
}

/* The signature text of version v into out (v1/v2 lower-case hex, v3 base64); 0, or -1. */
int webhook_sign(webhook_version v, const char *secret, size_t secret_len, const char *method,
		 const char *uri, const unsigned char *body, size_t body_len, const char *timestamp,
		 char *out, size_t outsz)
{
	return webhook_sign_as(v, secret, secret_len, method, uri, true, body, body_len, timestamp,
			       out, outsz);
}

/* Whether a and b are equal, in time that depends only on their lengths. */
bool webhook_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return false;
	return CRYPTO_memcmp(a, b, la) == 0;
}

/* The age of a millisecond timestamp at now_ms; false when it is not a number. */
bool webhook_age(const char *timestamp, int64_t now_ms, int64_t *age_ms)
{
	opt_int t = common_parse_uint(timestamp);
	if (!t.known)
		return false;
	*age_ms = now_ms - t.v;
	return true;
}

/* An age as people say it: "950 ms", "42 s", "7 min 12 s", "3 h 5 min", "2 d 4 h". */
void webhook_format_age(int64_t age_ms, char *out, size_t outsz)
{
	uint64_t a = age_ms < 0 ? (uint64_t)0 - (uint64_t)age_ms : (uint64_t)age_ms;
	uint64_t s = a / 1000;
	if (a < 1000)
		snprintf(out, outsz, "%" PRIu64 " ms", a);
	else if (s < 60)
		snprintf(out, outsz, "%" PRIu64 " s", s);
	else if (s < 3600)
		snprintf(out, outsz, "%" PRIu64 " min %" PRIu64 " s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(out, outsz, "%" PRIu64 " h %" PRIu64 " min", s / 3600, s % 3600 / 60);
	else
		snprintf(out, outsz, "%" PRIu64 " d %" PRIu64 " h", s / 86400, s % 86400 / 3600);
}

/* The version an X-HubSpot-Signature-Version value names, or 0. */
webhook_version webhook_version_of(const char *name)
{
	if (!name)
		return 0;
	if (strcasecmp(name, "v1") == 0 || strcmp(name, "1") == 0)
		return WEBHOOK_V1;
	if (strcasecmp(name, "v2") == 0 || strcmp(name, "2") == 0)
		return WEBHOOK_V2;
	if (strcasecmp(name, "v3") == 0 || strcmp(name, "3") == 0)
		return WEBHOOK_V3;
	return 0;
}

/* Add one reason line to v, sanitized: it quotes the capture's hosts and query. */
__attribute__((format(printf, 2, 3))) static void webhook_reason(webhook_verdict *v,
								 const char *fmt, ...)
{
	if (v->n_reasons == WEBHOOK_REASONS_MAX)
		return;
	char raw[WEBHOOK_REASON_LEN];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	sanitize_str(v->reasons[v->n_reasons++], WEBHOOK_REASON_LEN, raw);
}

/* The parts of a URL, each a copy: "https", "host:port", "/path", "?query" (or ""). */
typedef struct {
	char scheme[16];
	char host[512];
	char path[WEBHOOK_URL_MAX];
	char query[WEBHOOK_URL_MAX];
} webhook_url;

/* Split url into u; false when it has no scheme://host. */
static bool webhook_url_split(const char *url, webhook_url *u)
{
	memset(u, 0, sizeof *u);
	const char *sep = strstr(url, "://");
	if (!sep || sep == url || (size_t)(sep - url) >= sizeof u->scheme)
		return false;
	snprintf(u->scheme, sizeof u->scheme, "%.*s", (int)(sep - url), url);
	const char *h = sep + 3;
	size_t hl = strcspn(h, "/?#");
	if (!hl || hl >= sizeof u->host)
		return false;
	snprintf(u->host, sizeof u->host, "%.*s", (int)hl, h);
	const char *p = h + hl;
	size_t pl = strcspn(p, "?");
	snprintf(u->path, sizeof u->path, "%.*s", (int)pl, p);
	snprintf(u->query, sizeof u->query, "%s", p + pl);
	return true;
}

/* Join u's parts into out. */
static void webhook_url_join(const webhook_url *u, char *out, size_t outsz)
{
	const char *parts[] = {u->scheme, "://", u->host, u->path, u->query};
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		size_t n = strlen(parts[i]);
		if (o + n >= outsz) {
			out[0] = '\0'; /* too long: no URL rather than a cut one */
			return;
		}
		memcpy(out + o, parts[i], n + 1);
		o += n;
	}
}

/* url with the bytes a URL may not hold as they are (space, controls, non-ASCII, quotes and
 * angle brackets) percent-encoded, into out; -1 when out is too small. */
static int webhook_encode_url(const char *url, char *out, size_t outsz)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f || strchr("\"<>\\^`{|}", *p)) {
			if (o + 4 > outsz)
				return -1;
			snprintf(out + o, 4, "%%%02X", *p);
			o += 3;
		} else {
			if (o + 2 > outsz)
				return -1;
			out[o++] = (char)*p;
		}
	}
	out[o] = '\0';
	return (int)o;
}

/* The state of one check: what is fixed and what is being varied. */
typedef struct {
	const webhook_input *in;
	const char *secret;
	size_t secret_len;
	char given[WEBHOOK_SIG_MAX]; /* the signature as given, trimmed (hex lower-cased) */
} webhook_check;

/* Whether the signature matches with url (decoded for v3 when decode) and body. */
static bool webhook_matches(const webhook_check *c, const char *url, bool decode,
			    const unsigned char *body, size_t body_len)
{
	char sig[WEBHOOK_SIG_MAX];
	if (webhook_sign_as(c->in->version, c->secret, c->secret_len,
			    c->in->method ? c->in->method : "", url, decode, body, body_len,
			    c->in->timestamp, sig, sizeof sig) != 0)
		return false;
	return webhook_equal(sig, c->given);
}

/* Try url as a fix for mistake m; on a match record it in v with the reason. */
__attribute__((format(printf, 5, 6))) static bool
webhook_try_url(const webhook_check *c, webhook_verdict *v, const char *url, webhook_mistake m,
		const char *fmt, ...)
{
	if (!webhook_matches(c, url, true, c->in->body, c->in->body_len))
		return false;
	v->mistake = m;
	common_strlcpy(v->fixed_url, url, sizeof v->fixed_url);
	char why[WEBHOOK_REASON_LEN], shown[WEBHOOK_URL_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	sanitize_str(shown, sizeof shown, url);
	webhook_reason(v, "it matches with the URL %.200s: %s", shown, why);
	return true;
}

/* The URL mistakes, one at a time, in the order they are met in practice; true on a match. */
static bool webhook_try_urls(const webhook_check *c, webhook_verdict *v)
{
	const webhook_input *in = c->in;
	webhook_url u, w;
	if (!in->url || !webhook_url_split(in->url, &u))
		return false;
	char url[WEBHOOK_URL_MAX], dec[WEBHOOK_URL_MAX];
	/* http vs https. */
	w = u;
	bool was_http = strcasecmp(u.scheme, "http") == 0;
	snprintf(w.scheme, sizeof w.scheme, "%s", was_http ? "https" : "http");
	webhook_url_join(&w, url, sizeof url);
	if (webhook_try_url(c, v, url, WEBHOOK_MISTAKE_SCHEME, "%s",
			    was_http
				? "HubSpot called https:// and TLS ended at a proxy, so the "
				  "app sees http://; sign with https:// (trust "
				  "X-Forwarded-Proto from the proxy)"
				: "HubSpot called http://, not https://; sign with the "
				  "scheme of the URL configured in the app's webhook settings"))
		return true;
	/* Encoded vs decoded. */
	if (webhook_decode(in->url, true, dec, sizeof dec) >= 0 && strcmp(dec, in->url) != 0 &&
	    webhook_try_url(c, v, dec, WEBHOOK_MISTAKE_ENCODING,
			    "HubSpot signed the URI with every escape decoded; decode it fully "
			    "before signing"))
		return true;
	if (webhook_encode_url(in->url, dec, sizeof dec) >= 0 && strcmp(dec, in->url) != 0 &&
	    webhook_try_url(c, v, dec, WEBHOOK_MISTAKE_ENCODING,
			    "the URL given is decoded but HubSpot signed it encoded; sign the URI "
			    "as received, with only HubSpot's escapes decoded"))
		return true;
	if (in->version == WEBHOOK_V3 && webhook_decode_uri(in->url, dec, sizeof dec) >= 0 &&
	    strcmp(dec, in->url) != 0 &&
	    webhook_matches(c, in->url, false, in->body, in->body_len)) {
		char shown[WEBHOOK_URL_MAX];
		sanitize_str(shown, sizeof shown, in->url);
		v->mistake = WEBHOOK_MISTAKE_ENCODING;
		common_strlcpy(v->fixed_url, in->url, sizeof v->fixed_url);
		webhook_reason(v,
			       "it matches with the URI still encoded (%.200s): HubSpot's own "
			       "decoding of %%3A %%2F %%3F %%40 %%21 %%24 %%27 %%28 %%29 %%2A %%2C "
			       "%%3B was not applied",
			       shown);
		return true;
	}
	/* A trailing slash added or dropped. */
	w = u;
	size_t pl = strlen(w.path);
	if (pl && w.path[pl - 1] == '/')
		w.path[pl - 1] = '\0';
	else if (pl + 1 < sizeof w.path)
		strcat(w.path, "/");
	webhook_url_join(&w, url, sizeof url);
	if (webhook_try_url(c, v, url, WEBHOOK_MISTAKE_SLASH,
			    "a trailing slash was %s on the way (a framework or proxy redirect); "
			    "sign the path exactly as HubSpot called it",
			    pl && u.path[pl - 1] == '/' ? "added" : "dropped"))
		return true;
	/* The query string dropped, or one added. */
	w = u;
	if (u.query[0]) {
		w.query[0] = '\0';
		webhook_url_join(&w, url, sizeof url);
		if (webhook_try_url(c, v, url, WEBHOOK_MISTAKE_QUERY,
				    "HubSpot called the URL without the query string %.100s; sign "
				    "the URL as HubSpot called it",
				    u.query))
			return true;
	} else if (in->request_query && in->request_query[0]) {
		snprintf(w.query, sizeof w.query, "%s%s", in->request_query[0] == '?' ? "" : "?",
			 in->request_query);
		webhook_url_join(&w, url, sizeof url);
		if (webhook_try_url(c, v, url, WEBHOOK_MISTAKE_QUERY,
				    "the query string was missing; sign the full URL with its "
				    "query, parameters in their order"))
			return true;
	}
	/* Another host: the Host header, X-Forwarded-Host, --url-base. */
	for (size_t i = 0; in->other_hosts && in->other_hosts[i]; i++) {
		if (!in->other_hosts[i][0] || strcasecmp(in->other_hosts[i], u.host) == 0)
			continue;
		w = u;
		snprintf(w.host, sizeof w.host, "%s", in->other_hosts[i]);
		for (int s = 0; s < 2; s++) {
			if (s == 1)
				snprintf(w.scheme, sizeof w.scheme, "%s",
					 was_http ? "https" : "http");
			webhook_url_join(&w, url, sizeof url);
			if (webhook_try_url(c, v, url, WEBHOOK_MISTAKE_HOST,
					    "HubSpot called host %.100s, not %.100s (a proxy "
					    "rewrote Host); sign with the public host name",
					    w.host, u.host))
				return true;
		}
	}
	return false;
}

/* Whether the body looks re-serialised: JSON with line breaks or ": " HubSpot never sends. */
static bool webhook_body_pretty(const unsigned char *b, size_t n)
{
	size_t i = 0;
	while (i < n && isspace(b[i]))
		i++;
	if (i == n || (b[i] != '[' && b[i] != '{'))
		return false;
	return memmem(b, n, "\n ", 2) || memmem(b, n, "\": ", 3) || memmem(b, n, ", \"", 3);
}

/* v3's timestamp: present, a number of milliseconds, within 5 minutes; reasons into v. */
static bool webhook_age_ok(const webhook_input *in, int64_t now_ms, webhook_verdict *v)
{
	char age[48];
	if (!in->timestamp || !in->timestamp[0]) {
		webhook_reason(v, "no timestamp: v3 signs X-HubSpot-Request-Timestamp; "
				  "give it (--timestamp MS)");
		return false;
	}
	if (!webhook_age(in->timestamp, now_ms, &v->age_ms)) {
		char shown[64];
		sanitize_str(shown, sizeof shown, in->timestamp);
		webhook_reason(v,
			       "the timestamp \"%.40s\" is not a number of milliseconds: "
			       "give X-HubSpot-Request-Timestamp as HubSpot sent it",
			       shown);
		return false;
	}
	v->age_known = true;
	webhook_format_age(v->age_ms, age, sizeof age);
	bool ok = true;
	if (v->age_ms > WEBHOOK_MAX_AGE_MS) {
		webhook_reason(v,
			       "too old: the request is %s old and HubSpot's limit "
			       "is 5 min (a replay, a capture checked late, or this "
			       "host's clock is behind)",
			       age);
		ok = false;
	} else if (v->age_ms < -WEBHOOK_MAX_AGE_MS) {
		webhook_reason(v,
			       "from the future: the timestamp is %s ahead of this "
			       "host's clock; set the clock right (NTP)",
			       age);
		ok = false;
	}
	if (!ok && v->age_ms > now_ms - 100000000000LL)
		webhook_reason(v, "the timestamp looks like seconds: HubSpot's "
				  "X-HubSpot-Request-Timestamp is in milliseconds");
	return ok;
}

/* Check in with secret at now_ms into v: the signature, the age, then the usual mistakes. */
void webhook_verify(const webhook_input *in, const char *secret, size_t secret_len, int64_t now_ms,
		    webhook_verdict *v)
{
	memset(v, 0, sizeof *v);
	webhook_check c = {.in = in, .secret = secret, .secret_len = secret_len};
	const char *names[] = {"", "v1", "v2", "v3"};
	if (in->version < WEBHOOK_V1 || in->version > WEBHOOK_V3) {
		webhook_reason(v, "unknown signature version: HubSpot sends v1, v2 or v3");
		return;
	}
	const char *vn = names[in->version];
	/* The signature as given: trimmed; hex case does not matter. */
	const char *s = in->signature ? in->signature : "";
	while (*s == ' ' || *s == '\t')
		s++;
	size_t sl = strcspn(s, " \t\r\n");
	if (!sl) {
		webhook_reason(v, "no signature: the request has no %s header",
			       in->version == WEBHOOK_V3 ? "X-HubSpot-Signature-v3"
							 : "X-HubSpot-Signature");
		return;
	}
	if (sl >= sizeof c.given) {
		webhook_reason(v,
			       "the %s signature is %zu characters long; HubSpot's are %d: it "
			       "is not one of HubSpot's signatures",
			       vn, sl, in->version == WEBHOOK_V3 ? 44 : 64);
		return;
	}
	snprintf(c.given, sizeof c.given, "%.*s", (int)sl, s);
	if (in->version != WEBHOOK_V3)
		for (char *p = c.given; *p; p++)
			*p = (char)tolower((unsigned char)*p);

	/* The age (v3 signs the timestamp; v1 and v2 have none). */
	bool age_ok = in->version != WEBHOOK_V3 || webhook_age_ok(in, now_ms, v);

	char shown[WEBHOOK_URL_MAX];
	sanitize_str(shown, sizeof shown, in->url ? in->url : "");
	if (webhook_matches(&c, in->url ? in->url : "", true, in->body, in->body_len)) {
		v->signature_ok = true;
		v->valid = age_ok;
		if (!age_ok)
			webhook_reason(v, "the %s signature itself matches: only the time is wrong",
				       vn);
		return;
	}
	webhook_reason(v,
		       "signature mismatch: the %s signature does not match %.16s %.200s with "
		       "%zu body bytes and this secret",
		       vn, in->method ? in->method : "", shown, in->body_len);
	if (in->version != WEBHOOK_V1 && webhook_try_urls(&c, v))
		return;
	/* A line break the capture added after the body. */
	size_t n = in->body_len;
	while (n && (in->body[n - 1] == '\n' || in->body[n - 1] == '\r'))
		n--;
	if (n != in->body_len && webhook_matches(&c, in->url ? in->url : "", true, in->body, n)) {
		v->mistake = WEBHOOK_MISTAKE_BODY_NEWLINE;
		webhook_reason(v, "it matches without the line break at the end of the body: the "
				  "capture added it (an editor or echo); sign the raw bytes as "
				  "received");
		return;
	}
	v->mistake = WEBHOOK_MISTAKE_SECRET_OR_BODY;
	webhook_reason(v, "no usual mistake matches: the client secret or the body bytes differ "
			  "from what HubSpot signed; use the app's client secret (not a token) "
			  "and sign the raw body before any JSON parsing");
	if (webhook_body_pretty(in->body, in->body_len))
		webhook_reason(v, "the body looks re-serialised: HubSpot sends compact JSON with "
				  "no spaces or line breaks, and this one has them");
}
