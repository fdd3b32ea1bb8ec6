/*
 * Unit tests for webhook signatures and the raw-request parser. Every expected signature is
 * computed here by running `openssl dgst` over the message the test writes itself, never by
 * the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "hsr/webhook.h"

#define SECRET "7e1d5c0a-91b2-4f3e-8a6d-2c9f0b4e7a13"
#define NOW_MS 1764684000000LL /* 2025-12-02 14:00:00 UTC */
#define BODY                                                                                       \
	"[{\"eventId\":1763449241,\"subscriptionId\":2481017,\"portalId\":62515,\"appId\":"        \
	"1160452,\"occurredAt\":1764683990000,\"subscriptionType\":\"contact.propertyChange\","    \
	"\"attemptNumber\":0,\"objectId\":1246965,\"propertyName\":\"email\",\"propertyValue\":"   \
	"\"jo@example.com\",\"changeSource\":\"CRM_UI\"}]"

/* Run `openssl dgst -sha256 ARGS` over msg (written to a file) with `| tail` as given by pipe,
 * and return its first line (static storage). */
static const char *openssl_dgst(const char *args, const char *pipe_to, const char *msg, size_t len)
{
	char path[] = "/tmp/hsr-test-webhook-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, msg, len), (ssize_t)len);
	close(fd);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "openssl dgst -sha256 %s '%s' %s", args, path, pipe_to);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	static char out[256];
	out[0] = '\0';
	assert_non_null(fgets(out, sizeof out, p));
	assert_int_equal(pclose(p), 0);
	unlink(path);
	out[strcspn(out, " \n")] = '\0';
	return out;
}

/* v3 as HubSpot computes it: base64 HMAC-SHA256 with the secret over the message. */
static const char *ref_v3(const char *secret, const char *method, const char *uri, const char *body,
			  const char *ts)
{
	static char msg[16384];
	int n = snprintf(msg, sizeof msg, "%s%s%s%s", method, uri, body, ts);
	char args[160];
	snprintf(args, sizeof args, "-hmac '%s' -binary", secret);
	return openssl_dgst(args, "| base64 -w0; echo", msg, (size_t)n);
}

/* v1/v2 as HubSpot computes them: hex SHA-256 of secret + (method + uri) + body. */
static const char *ref_hex(const char *secret, const char *method, const char *uri,
			   const char *body)
{
	static char msg[16384];
	int n = snprintf(msg, sizeof msg, "%s%s%s%s", secret, method, uri, body);
	return openssl_dgst("-r", "", msg, (size_t)n);
}

/* webhook_sign with the test's secret and a text body (static storage). */
static const char *sign(webhook_version v, const char *method, const char *uri, const char *body,
			const char *ts)
{
	static char out[WEBHOOK_SIG_MAX];
	assert_int_equal(webhook_sign(v, SECRET, strlen(SECRET), method, uri,
				      (const unsigned char *)body, strlen(body), ts, out,
				      sizeof out),
			 0);
	return out;
}

/* HubSpot decodes exactly : / ? @ ! $ ' ( ) * , ; before signing; the rest stays. */
static void test_decode_uri(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
	    {"https://a.example.com/h?x=1", "https://a.example.com/h?x=1"},
	    {"https://a.example.com/h%3Ax%2Fy%3Fz", "https://a.example.com/h:x/y?z"},
	    {"/p?e=jo%40example.com&l=%21%24%27%28%29%2A%2C%3B", "/p?e=jo@example.com&l=!$'()*,;"},
	    {"/p?e=jo%40x.com%20and%20%2B%25%26%3D", "/p?e=jo@x.com%20and%20%2B%25%26%3D"},
	    {"/p?lower=%3a%2f%40", "/p?lower=:/@"},
	    {"/p?cut=%3", "/p?cut=%3"},
	    {"/p?cut=%", "/p?cut=%"},
	    {"/p?bad=%G1%3Z", "/p?bad=%G1%3Z"},
	    {"/p?n=%C3%BCrgen", "/p?n=%C3%BCrgen"},
	    {"/p?null=%00", "/p?null=%00"},
	    {"", ""},
	};
	char out[256];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int n = webhook_decode_uri(cases[i][0], out, sizeof out);
		assert_int_equal(n, (int)strlen(cases[i][1]));
		assert_string_equal(out, cases[i][1]);
	}
	char small[8];
	assert_int_equal(webhook_decode_uri("https://a.example.com/", small, sizeof small), -1);
}

/* v3 matches openssl over method + HubSpot-decoded URI + body + timestamp. */
static void test_v3_vectors(void **state)
{
	(void)state;
	const char *ts = "1764683995123";
	assert_string_equal(sign(WEBHOOK_V3, "POST", "https://hooks.example.com/hubspot", BODY, ts),
			    ref_v3(SECRET, "POST", "https://hooks.example.com/hubspot", BODY, ts));
	/* Encoded URI: the reference is over the decoded text, written out by hand. */
	const char *enc = "https://hooks.example.com/hs/a%3Ab?e=jo%40example.com&n=J%C3%BCrgen";
	const char *dec = "https://hooks.example.com/hs/a:b?e=jo@example.com&n=J%C3%BCrgen";
	assert_string_equal(sign(WEBHOOK_V3, "POST", enc, BODY, ts),
			    ref_v3(SECRET, "POST", dec, BODY, ts));
	/* A GET without a body; the result is 44 characters of base64. */
	const char *g =
	    sign(WEBHOOK_V3, "GET", "https://crm-card.example.com/card?userId=9", "", ts);
	assert_string_equal(
	    g, ref_v3(SECRET, "GET", "https://crm-card.example.com/card?userId=9", "", ts));
	assert_int_equal(strlen(g), 44);
	/* Another secret gives another signature. */
	char other[WEBHOOK_SIG_MAX];
	assert_int_equal(webhook_sign(WEBHOOK_V3, "other", 5, "POST", "https://h.example.com/",
				      (const unsigned char *)BODY, strlen(BODY), ts, other,
				      sizeof other),
			 0);
	assert_string_equal(other, ref_v3("other", "POST", "https://h.example.com/", BODY, ts));
	assert_string_not_equal(other,
				sign(WEBHOOK_V3, "POST", "https://h.example.com/", BODY, ts));
}

/* v1 is hex SHA-256 of secret + body; v2 adds method + URI (not decoded). */
static void test_v1_v2_vectors(void **state)
{
	(void)state;
	const char *uri = "https://hooks.example.com/hs?x=%3A1";
	const char *v1 = sign(WEBHOOK_V1, "POST", uri, BODY, NULL);
	assert_string_equal(v1, ref_hex(SECRET, "", "", BODY));
	assert_int_equal(strlen(v1), 64);
	assert_string_equal(sign(WEBHOOK_V2, "POST", uri, BODY, NULL),
			    ref_hex(SECRET, "POST", uri, BODY));
	assert_string_equal(
	    sign(WEBHOOK_V2, "GET", "https://www.example.com/webhook_uri", "", NULL),
	    ref_hex(SECRET, "GET", "https://www.example.com/webhook_uri", ""));
	/* An unknown version signs nothing. */
	char out[WEBHOOK_SIG_MAX];
	assert_int_equal(
	    webhook_sign(0, SECRET, strlen(SECRET), "POST", uri, NULL, 0, NULL, out, sizeof out),
	    -1);
}

/* Constant-time equality: same text, one byte off, different lengths. */
static void test_equal(void **state)
{
	(void)state;
	assert_true(webhook_equal("abc=", "abc="));
	assert_false(webhook_equal("abc=", "abd="));
	assert_false(webhook_equal("abc=", "abc"));
	assert_false(webhook_equal("", "a"));
	assert_true(webhook_equal("", ""));
}

/* Ages as text, and timestamps that are not numbers. */
static void test_age(void **state)
{
	(void)state;
	int64_t age = 0;
	assert_true(webhook_age("1764683995123", NOW_MS, &age));
	assert_int_equal(age, 4877);
	assert_true(webhook_age(" 1764684060000 ", NOW_MS, &age));
	assert_int_equal(age, -60000);
	assert_false(webhook_age("", NOW_MS, &age));
	assert_false(webhook_age("17646x", NOW_MS, &age));
	assert_false(webhook_age("-5", NOW_MS, &age));
	assert_false(webhook_age("99999999999999999999999", NOW_MS, &age));
	assert_false(webhook_age(NULL, NOW_MS, &age));
	char t[48];
	static const struct {
		int64_t ms;
		const char *text;
	} ages[] = {{950, "950 ms"},	     {42000, "42 s"},	     {432000, "7 min 12 s"},
		    {11100000, "3 h 5 min"}, {187200000, "2 d 4 h"}, {-61000, "1 min 1 s"}};
	for (size_t i = 0; i < sizeof ages / sizeof ages[0]; i++) {
		webhook_format_age(ages[i].ms, t, sizeof t);
		assert_string_equal(t, ages[i].text);
	}
	assert_int_equal(webhook_version_of("v3"), WEBHOOK_V3);
	assert_int_equal(webhook_version_of("V2"), WEBHOOK_V2);
	assert_int_equal(webhook_version_of("v1"), WEBHOOK_V1);
	assert_int_equal(webhook_version_of("v4"), 0);
	assert_int_equal(webhook_version_of(NULL), 0);
}

/* Whether one of v's reasons holds text. */
static bool has_reason(const webhook_verdict *v, const char *text)
{
	for (int i = 0; i < v->n_reasons; i++)
		if (strstr(v->reasons[i], text))
			return true;
	return false;
}

/* Verify a v3 request whose signature HubSpot made over signed_url (openssl computes it). */
static void verify_v3(const char *signed_url, const char *given_url, const char *body,
		      const char *ts, const char *const *hosts, const char *query,
		      webhook_verdict *v)
{
	char dec[WEBHOOK_URL_MAX];
	assert_true(webhook_decode_uri(signed_url, dec, sizeof dec) >= 0);
	char sig[WEBHOOK_SIG_MAX];
	snprintf(sig, sizeof sig, "%s", ref_v3(SECRET, "POST", dec, body, ts));
	webhook_input in = {.version = WEBHOOK_V3,
			    .method = "POST",
			    .url = given_url,
			    .timestamp = ts,
			    .signature = sig,
			    .body = (const unsigned char *)body,
			    .body_len = strlen(body),
			    .other_hosts = hosts,
			    .request_query = query};
	webhook_verify(&in, SECRET, strlen(SECRET), NOW_MS, v);
}

/* A request signed right but stamped ts is refused with a reason holding want; returns v. */
static const webhook_verdict *refused_at(const char *ts, const char *want)
{
	static webhook_verdict v;
	const char *url = "https://hooks.example.com/hubspot?portal=62515";
	verify_v3(url, url, BODY, ts, NULL, NULL, &v);
	assert_false(v.valid);
	if (!has_reason(&v, want))
		fail_msg("stamped \"%s\": no reason holds \"%s\"", ts, want);
	for (int i = 0; i < v.n_reasons; i++)
		assert_null(strchr(v.reasons[i], '\x1b'));
	return &v;
}

/* A right request is valid; too old, from the future, seconds, no timestamp are not. */
static void test_verify_age(void **state)
{
	(void)state;
	static webhook_verdict v;
	const char *url = "https://hooks.example.com/hubspot?portal=62515";
	verify_v3(url, url, BODY, "1764683995123", NULL, NULL, &v);
	assert_true(v.valid);
	assert_true(v.signature_ok);
	assert_int_equal(v.n_reasons, 0);
	assert_int_equal(v.mistake, WEBHOOK_MISTAKE_NONE);
	/* 4 min 59 s old is still fine. */
	verify_v3(url, url, BODY, "1764683701000", NULL, NULL, &v);
	assert_true(v.valid);
	/* 6 min 30 s old: refused, saying how old, the signature itself fine. */
	const webhook_verdict *old =
	    refused_at("1764683610000", "too old: the request is 6 min 30 s old");
	assert_true(old->signature_ok);
	assert_true(has_reason(old, "signature itself matches"));
	refused_at("1764684400000", "from the future");
	refused_at("1764683995", "looks like seconds");
	refused_at("", "no timestamp");
	refused_at("17646\x1b[2J", "is not a number"); /* the control character not shown */
}

/* Each usual mistake is found and named, with the URL that matches. */
static void test_verify_mistakes(void **state)
{
	(void)state;
	static webhook_verdict v;
	const char *ts = "1764683995123";
	const char *url = "https://hooks.example.com/hubspot/events?portal=62515";
	/* TLS ended at a proxy: the app sees http://. */
	verify_v3(url, "http://hooks.example.com/hubspot/events?portal=62515", BODY, ts, NULL, NULL,
		  &v);
	assert_false(v.valid);
	assert_int_equal(v.mistake, WEBHOOK_MISTAKE_SCHEME);
	assert_string_equal(v.fixed_url, url);
	assert_true(has_reason(&v, "signature mismatch"));
	assert_true(has_reason(&v, "TLS ended at a proxy"));
	/* A trailing slash added, and one dropped. */
	verify_v3(url, "https://hooks.example.com/hubspot/events/?portal=62515", BODY, ts, NULL,
		  NULL, &v);
	assert_int_equal(v.mistake, WEBHOOK_MISTAKE_SLASH);
	assert_string_equal(v.fixed_url, url);
	verify_v3("https://hooks.example.com/hubspot/", "https://hooks.example.com/hubspot", BODY,
		  ts, NULL, NULL, &v);
	assert_int_equal(v.mistake, WEBHOOK_MISTAKE_SLASH);
	assert_true(has_reason(&v, "dropped"));
	/* The query string missing from the URL given; the request line had it. */
	verify_v3(url, "https://hooks.example.com/hubspot/events", BODY, ts, NULL, "?portal=62515",
		  &v);
	assert_int_equal(v.mistake, WEBHOOK_MISTAKE_QUERY);
	assert_string_equal(v.fixed_url, url);
	/* A query HubSpot never sent (added by a proxy). */
	verify_v3("https://hooks.example.com/hubspot/events",
		  "https://hooks.example.com/hubspot/events?via=lb", BODY, ts, NULL, NULL, &v);
	assert_int_equal(v.mistake, WEBHOOK_MISTAKE_QUERY);
	/* Another host: a proxy rewrote Host; the public one is among the other hosts. */
	const char *hosts[] = {"internal-app:8080", "hooks.example.com", NULL};
	verify_v3(url, "https://internal-app:8080/hubspot/events?portal=62515", BODY, ts, hosts,
		  NULL, &v);
	assert_int_equal(v.mistake, WEBHOOK_MISTAKE_HOST);
	assert_string_equal(v.fixed_url, url);
	assert_true(has_reason(&v, "HubSpot called host hooks.example.com"));
	/* A host from the capture is quoted sanitized, whatever it holds. */
	const char *dirty[] = {"hooks\x1b]0;x\x07.example.com", NULL};
	verify_v3("https://hooks\x1b]0;x\x07.example.com/hubspot/events?portal=62515",
		  "https://internal-app:8080/hubspot/events?portal=62515", BODY, ts, dirty, NULL,
		  &v);
	assert_int_equal(v.mistake, WEBHOOK_MISTAKE_HOST);
	for (int i = 0; i < v.n_reasons; i++)
		assert_null(strpbrk(v.reasons[i], "\x1b\x07"));
	/* Encoded vs decoded: the URL given fully decoded, HubSpot signed the escapes. */
	verify_v3("https://hooks.example.com/hs?n=J%C3%BCrgen%20Z",
		  "https://hooks.example.com/hs?n=J\xc3\xbcrgen Z", BODY, ts, NULL, NULL, &v);
	assert_int_equal(v.mistake, WEBHOOK_MISTAKE_ENCODING);
	assert_string_equal(v.fixed_url, "https://hooks.example.com/hs?n=J%C3%BCrgen%20Z");
	/* The other way round: HubSpot signed every escape decoded; the URL given keeps them. */
	verify_v3("https://hooks.example.com/hs?n=J\xc3\xbcrgen Z",
		  "https://hooks.example.com/hs?n=J%C3%BCrgen%20Z", BODY, ts, NULL, NULL, &v);
	assert_int_equal(v.mistake, WEBHOOK_MISTAKE_ENCODING);
	assert_true(has_reason(&v, "every escape decoded"));
	/* HubSpot called http:// and the URL given says https://. */
	verify_v3("http://hooks.example.com/hubspot/events?portal=62515", url, BODY, ts, NULL, NULL,
		  &v);
	assert_int_equal(v.mistake, WEBHOOK_MISTAKE_SCHEME);
	assert_true(has_reason(&v, "HubSpot called http://, not https://"));
	/* A line break the capture added after the body. */
	char nl[sizeof BODY + 2];
	snprintf(nl, sizeof nl, "%s\n", BODY);
	char sig[WEBHOOK_SIG_MAX];
	snprintf(sig, sizeof sig, "%s", ref_v3(SECRET, "POST", url, BODY, ts));
	webhook_input in = {.version = WEBHOOK_V3,
			    .method = "POST",
			    .url = url,
			    .timestamp = ts,
			    .signature = sig,
			    .body = (const unsigned char *)nl,
			    .body_len = strlen(nl)};
	webhook_verify(&in, SECRET, strlen(SECRET), NOW_MS, &v);
	assert_int_equal(v.mistake, WEBHOOK_MISTAKE_BODY_NEWLINE);
	/* Re-serialised JSON: nothing matches; the secret or the body, and the body named. */
	const char *pretty =
	    "[\n  {\n    \"eventId\": 1763449241,\n    \"portalId\": 62515\n  }\n]";
	in.body = (const unsigned char *)pretty;
	in.body_len = strlen(pretty);
	webhook_verify(&in, SECRET, strlen(SECRET), NOW_MS, &v);
	assert_false(v.valid);
	assert_int_equal(v.mistake, WEBHOOK_MISTAKE_SECRET_OR_BODY);
	assert_true(has_reason(&v, "the client secret or the body bytes differ"));
	assert_true(has_reason(&v, "re-serialised"));
	/* The wrong secret, compact body: the first line, and no re-serialised guess. */
	in.body = (const unsigned char *)BODY;
	in.body_len = strlen(BODY);
	webhook_verify(&in, "wrong-secret", 12, NOW_MS, &v);
	assert_int_equal(v.mistake, WEBHOOK_MISTAKE_SECRET_OR_BODY);
	assert_false(has_reason(&v, "re-serialised"));
	for (int i = 0; i < v.n_reasons; i++)
		assert_null(strstr(v.reasons[i], "wrong-secret"));
	/* A signature over the URI still encoded: HubSpot's own decoding was left out. */
	const char *enc = "https://hooks.example.com/hs/a%3Ab";
	snprintf(sig, sizeof sig, "%s", ref_v3(SECRET, "POST", enc, BODY, ts));
	in.url = enc;
	webhook_verify(&in, SECRET, strlen(SECRET), NOW_MS, &v);
	assert_int_equal(v.mistake, WEBHOOK_MISTAKE_ENCODING);
	assert_string_equal(v.fixed_url, enc);
	assert_true(has_reason(&v, "still encoded"));
}

/* v1 and v2 are checked by their own rules; v2's mistakes are found too. */
static void test_verify_v1_v2(void **state)
{
	(void)state;
	static webhook_verdict v;
	const char *url = "https://hooks.example.com/hubspot";
	char sig[WEBHOOK_SIG_MAX];
	/* v1 ignores the URL, and the hex case does not matter. */
	snprintf(sig, sizeof sig, "%s", ref_hex(SECRET, "", "", BODY));
	for (char *p = sig; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'f' ? *p - 32 : *p);
	webhook_input in = {.version = WEBHOOK_V1,
			    .method = "POST",
			    .url = "http://elsewhere.example.com/x",
			    .signature = sig,
			    .body = (const unsigned char *)BODY,
			    .body_len = strlen(BODY)};
	webhook_verify(&in, SECRET, strlen(SECRET), NOW_MS, &v);
	assert_true(v.valid);
	in.body_len--;
	webhook_verify(&in, SECRET, strlen(SECRET), NOW_MS, &v);
	assert_false(v.valid);
	assert_int_equal(v.mistake, WEBHOOK_MISTAKE_SECRET_OR_BODY);
	/* v2 over https, the app seeing http. */
	snprintf(sig, sizeof sig, "%s", ref_hex(SECRET, "POST", url, BODY));
	in.version = WEBHOOK_V2;
	in.body_len = strlen(BODY);
	in.url = url;
	webhook_verify(&in, SECRET, strlen(SECRET), NOW_MS, &v);
	assert_true(v.valid);
	assert_false(v.age_known);
	in.url = "http://hooks.example.com/hubspot";
	webhook_verify(&in, SECRET, strlen(SECRET), NOW_MS, &v);
	assert_false(v.valid);
	assert_int_equal(v.mistake, WEBHOOK_MISTAKE_SCHEME);
	assert_string_equal(v.fixed_url, url);
	/* No signature, an absurdly long one, an unknown version. */
	in.signature = "  ";
	webhook_verify(&in, SECRET, strlen(SECRET), NOW_MS, &v);
	assert_false(v.valid);
	assert_true(has_reason(&v, "no signature"));
	char longsig[300];
	memset(longsig, 'a', sizeof longsig - 1);
	longsig[sizeof longsig - 1] = '\0';
	in.signature = longsig;
	webhook_verify(&in, SECRET, strlen(SECRET), NOW_MS, &v);
	assert_false(v.valid);
	assert_true(has_reason(&v, "characters long"));
	in.version = 7;
	webhook_verify(&in, SECRET, strlen(SECRET), NOW_MS, &v);
	assert_false(v.valid);
	assert_true(has_reason(&v, "unknown signature version"));
}

/* Parse text into r, expecting success. */
static void parse_ok(const char *text, size_t len, webhook_request *r)
{
	char err[256] = "";
	if (webhook_request_parse(text, len, r, err, sizeof err) != 0)
		fail_msg("parse failed: %s", err);
}

/* Parse text, expecting an error holding want. */
static void parse_fails(const char *text, size_t len, const char *want)
{
	webhook_request r;
	char err[256] = "";
	assert_int_equal(webhook_request_parse(text, len, &r, err, sizeof err), -1);
	if (!strstr(err, want))
		fail_msg("want \"%s\" in: %s", want, err);
	assert_null(strchr(err, '\n'));
	webhook_request_free(&r);
}

#define P(s) s, sizeof(s) - 1

/* A capture with CRLF lines, and the same with LF only. */
static void test_request_crlf_and_lf(void **state)
{
	(void)state;
	webhook_request r;
	parse_ok(P("POST /hubspot?portal=1 HTTP/1.1\r\nHost: hooks.example.com\r\n"
		   "X-HubSpot-Signature-v3:  abc= \r\nContent-Length: 7\r\n\r\n[{}]\r\n!"),
		 &r);
	assert_string_equal(r.method, "POST");
	assert_string_equal(r.target, "/hubspot?portal=1");
	assert_string_equal(r.version, "HTTP/1.1");
	assert_int_equal(r.n_headers, 3);
	assert_string_equal(webhook_request_header(&r, "host", NULL), "hooks.example.com");
	assert_string_equal(webhook_request_header(&r, "x-hubspot-signature-V3", NULL), "abc=");
	assert_int_equal(r.body_len, 7);
	assert_memory_equal(r.body, "[{}]\r\n!", 7);
	assert_int_equal(r.extra_bytes, 0);
	webhook_request_free(&r);
	parse_ok(P("\nPOST /h HTTP/1.1\nHost: h.example.com\nContent-Length: 4\n\n[{}]\n"), &r);
	assert_string_equal(r.target, "/h");
	assert_int_equal(r.body_len, 4);
	assert_int_equal(r.extra_bytes, 1);
	webhook_request_free(&r);
}

/* No body: GET without Content-Length, a head with no empty line, an empty body. */
static void test_request_no_body(void **state)
{
	(void)state;
	webhook_request r;
	parse_ok(P("GET /card?userId=9 HTTP/1.1\r\nHost: c.example.com"), &r);
	assert_int_equal(r.body_len, 0);
	assert_string_equal(webhook_request_header(&r, "Host", NULL), "c.example.com");
	webhook_request_free(&r);
	parse_ok(P("POST /h HTTP/1.1\r\nContent-Length: 0\r\n\r\n"), &r);
	assert_int_equal(r.body_len, 0);
	assert_null(webhook_request_header(&r, "Host", NULL)); /* missing Host: the caller asks */
	webhook_request_free(&r);
	/* No Content-Length: the rest is the body. */
	parse_ok(P("POST /h HTTP/1.0\n\n{\"a\":1}"), &r);
	assert_int_equal(r.body_len, 7);
	webhook_request_free(&r);
}

/* Duplicated headers: the same value is fine, different values are flagged or refused. */
static void test_request_duplicates(void **state)
{
	(void)state;
	webhook_request r;
	int dup = 0;
	parse_ok(P("POST /h HTTP/1.1\r\nHost: a.example.com\r\nHost: b.example.com\r\n"
		   "X-A: 1\r\nx-a: 1\r\n\r\n"),
		 &r);
	assert_string_equal(webhook_request_header(&r, "Host", &dup), "a.example.com");
	assert_int_equal(dup, -1);
	webhook_request_header(&r, "X-A", &dup);
	assert_int_equal(dup, 0);
	webhook_request_free(&r);
	parse_fails(P("POST /h HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc"),
		    "Content-Length appears twice");
	parse_ok(P("POST /h HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"), &r);
	assert_int_equal(r.body_len, 3);
	webhook_request_free(&r);
}

/* Content-Length: huge, not a number, longer than the capture. */
static void test_request_content_length(void **state)
{
	(void)state;
	parse_fails(P("POST /h HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\nx"),
		    "is over the");
	parse_fails(P("POST /h HTTP/1.1\r\nContent-Length: 5000000\r\n\r\nx"), "is over the");
	parse_fails(P("POST /h HTTP/1.1\r\nContent-Length: -1\r\n\r\nx"), "is not a number");
	parse_fails(P("POST /h HTTP/1.1\r\nContent-Length: 12\r\n\r\n[{\"a\":"),
		    "the body is 6 bytes but Content-Length says 12");
}

/* Chunked bodies: extensions, trailers, LF lines; broken framing refused. */
static void test_request_chunked(void **state)
{
	(void)state;
	webhook_request r;
	parse_ok(P("POST /h HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
		   "4;ext=1\r\n[{\"a\r\nA\r\n\":1},{\"b\":\r\n3\r\n2}]\r\n0\r\nX-T: 1\r\n\r\n"),
		 &r);
	assert_true(r.chunked);
	assert_int_equal(r.body_len, 17);
	assert_string_equal((char *)r.body, "[{\"a\":1},{\"b\":2}]");
	webhook_request_free(&r);
	parse_ok(P("POST /h HTTP/1.1\nTransfer-Encoding: gzip, chunked\n\n2\n[]\n0\n"), &r);
	assert_string_equal((char *)r.body, "[]");
	webhook_request_free(&r);
	parse_fails(P("POST /h HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n[]"),
		    "runs past the end");
	parse_fails(P("POST /h HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n[]\r\n"),
		    "ends before its last");
	parse_fails(P("POST /h HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n[]\r\n0\r\n"),
		    "not a hex number");
	parse_fails(
	    P("POST /h HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n"),
	    "chunk size is over");
	parse_fails(P("POST /h HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n[]\r\n0\r\n"),
		    "not followed by a line break");
	parse_fails(P("POST /h HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nxx"), "chunked");
	parse_fails(P("POST /h HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n"
		      "2\r\n[]\r\n0\r\n\r\n"),
		    "both Content-Length and Transfer-Encoding");
}

/* Ugly heads: no request line, bad names, folding, NUL bytes, too many headers, empty. */
static void test_request_ugly(void **state)
{
	(void)state;
	parse_fails(P(""), "empty");
	parse_fails(P("\r\n\r\n"), "empty");
	parse_fails(P("{\"a\":1}\r\n"), "not a request line");
	parse_fails(P("POST /h\r\n\r\n"), "not a request line");
	parse_fails(P("POST /h SPDY/3\r\n\r\n"), "HTTP/1.0 or HTTP/1.1");
	parse_fails(P("PO(ST /h HTTP/1.1\r\n\r\n"), "method");
	parse_fails(P("POST /h HTTP/1.1\r\nX-A: 1\r\n  folded\r\n\r\n"), "folded");
	parse_fails(P("POST /h HTTP/1.1\r\nX A: 1\r\n\r\n"), "header name");
	parse_fails(P("POST /h HTTP/1.1\r\nno colon here\r\n\r\n"), "without a name");
	parse_fails(P("POST /h HTTP/1.1\r\nX-A: 1\0\r\n\r\n"), "NUL byte");
	parse_fails(P("POST /h HTTP/1.1\r\nX-A: 1\rX-B: 2\r\n\r\n"), "carriage return inside");
	static char many[8192];
	size_t n = (size_t)snprintf(many, sizeof many, "POST /h HTTP/1.1\r\n");
	for (int i = 0; i <= WEBHOOK_HEADERS_MAX; i++)
		n += (size_t)snprintf(many + n, sizeof many - n, "X-%d: %d\r\n", i, i);
	parse_fails(many, n, "more than 100 header lines");
	/* A head over the cap, with no empty line. */
	size_t big = WEBHOOK_HEADER_BYTES + 100;
	char *huge = malloc(big);
	assert_non_null(huge);
	memcpy(huge, "POST /h HTTP/1.1\r\nX-Big: ", 25);
	memset(huge + 25, 'a', big - 25);
	parse_fails(huge, big, "over 65536 bytes");
	free(huge);
	/* An absolute-form target is kept as it is. */
	webhook_request r;
	parse_ok(P("POST https://hooks.example.com/h?x=1 HTTP/1.1\r\n\r\n"), &r);
	assert_string_equal(r.target, "https://hooks.example.com/h?x=1");
	webhook_request_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decode_uri),
	    cmocka_unit_test(test_v3_vectors),
	    cmocka_unit_test(test_v1_v2_vectors),
	    cmocka_unit_test(test_equal),
	    cmocka_unit_test(test_age),
	    cmocka_unit_test(test_verify_age),
	    cmocka_unit_test(test_verify_mistakes),
	    cmocka_unit_test(test_verify_v1_v2),
	    cmocka_unit_test(test_request_crlf_and_lf),
	    cmocka_unit_test(test_request_no_body),
	    cmocka_unit_test(test_request_duplicates),
	    cmocka_unit_test(test_request_content_length),
	    cmocka_unit_test(test_request_chunked),
	    cmocka_unit_test(test_request_ugly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
