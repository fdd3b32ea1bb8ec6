/*
 * Hostile transfers against the real HTTP layer: a raw-socket server on 127.0.0.1 plays each
 * (trickle, reset, bad chunks, header floods, lying lengths, compression bombs, a TLS port that
 * never answers, redirects away). Each must end in one readable line, within its time-out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <jansson.h>
#include <zlib.h>

#include "hsr/http.h"
#include "hsr/probe.h"
#include "hsr/runbook.h"
#include "hsr/sim.h"
#include "hsr/cmd.h"
#include "loopback.h"

static loopback srv;
static _Atomic int n_requests; /* HTTP requests the server read (not TLS hellos) */

/* Write all of buf; false when the peer went away. */
static bool put(int fd, const void *buf, size_t n)
{
	return loopback_put(fd, buf, n);
}

/* Write a NUL-terminated string. */
static bool puts_fd(int fd, const char *s)
{
	return put(fd, s, strlen(s));
}

/* Sleep ms milliseconds. */
static void nap_ms(long ms)
{
	usleep((useconds_t)ms * 1000);
}

/* Hold the connection open, saying nothing, until the client closes it (or 30 s pass). */
static void say_nothing(int c)
{
	char buf[4096];
	struct timeval tv = {.tv_sec = 30};
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	while (recv(c, buf, sizeof buf, 0) > 0) {
	}
}

/* 16 MiB of zeros, gzip-compressed (about 16 KiB): the body that inflates past the cap. */
static unsigned char *gzip_bomb(size_t *len)
{
	size_t plain = 16u * 1024 * 1024;
	unsigned char *zeros = calloc(1, plain), *out = NULL;
	z_stream z = {0};
	/* windowBits 15 + 16: a gzip wrapper, as Content-Encoding: gzip promises */
	if (zeros && deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK) {
		size_t cap = deflateBound(&z, plain);
		out = malloc(cap);
		z.next_in = zeros;
		z.avail_in = (uInt)plain;
		z.next_out = out;
		z.avail_out = (uInt)cap;
		if (!out || deflate(&z, Z_FINISH) != Z_STREAM_END) {
			free(out);
			out = NULL;
		}
		*len = z.total_out;
		deflateEnd(&z);
	}
	free(zeros);
	return out; /* NULL: the server sends no body and the test fails on the missing line */
}

/* Play the hostile answer named by path on connection c. */
static void play(int c, const char *path)
{
	char buf[512];
	if (strcmp(path, "/trickle") == 0) {
		/* One byte a second of a 100-byte body, until the client gives up. */
		if (!puts_fd(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"))
			return;
		for (int i = 0; i < 100; i++) {
			if (!put(c, "x", 1))
				return;
			nap_ms(1000);
		}
	} else if (strcmp(path, "/reset") == 0 || strcmp(path, "/cut") == 0) {
		/* Half of a 1000-byte body, then a reset (RST) or a plain close (FIN). */
		puts_fd(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
			   "Content-Length: 1000\r\n\r\n");
		memset(buf, ' ', sizeof buf);
		put(c, buf, 500);
		nap_ms(100); /* let the client read the half before the connection goes */
		if (strcmp(path, "/reset") == 0) {
			struct linger l = {.l_onoff = 1, .l_linger = 0};
			setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof l);
		}
	} else if (strcmp(path, "/bad-chunk") == 0) {
		puts_fd(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
			   "7\r\n{\"ok\":1\r\nzz\r\n}\r\n0\r\n\r\n");
		say_nothing(c);
	} else if (strcmp(path, "/many-headers") == 0 || strcmp(path, "/many-tiny-headers") == 0) {
		/* 10,000 headers: realistic ones (past the 64 KiB cap) or tiny ones (under it). */
		bool tiny = strcmp(path, "/many-tiny-headers") == 0;
		if (!puts_fd(c, "HTTP/1.1 200 OK\r\n"))
			return;
		for (int i = 0; i < 10000; i++) {
			int n = tiny ? snprintf(buf, sizeof buf, "a:%d\r\n", i % 10)
				     : snprintf(buf, sizeof buf, "X-Request-Trace-%d: hop-%d\r\n",
						i, i);
			if (!put(c, buf, (size_t)n))
				return;
		}
		puts_fd(c, "Content-Length: 2\r\n\r\n{}");
	} else if (strcmp(path, "/3gb") == 0) {
		puts_fd(c,
			"HTTP/1.1 200 OK\r\nContent-Length: 3221225472\r\n\r\n{\"status\":\"UP\"}");
		say_nothing(c);
	} else if (strcmp(path, "/gzip-bomb") == 0) {
		size_t len = 0;
		unsigned char *z = gzip_bomb(&len);
		int n = snprintf(buf, sizeof buf,
				 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
				 "Content-Encoding: gzip\r\nContent-Length: %zu\r\n\r\n",
				 len);
		if (z && put(c, buf, (size_t)n))
			put(c, z, len);
		free(z);
		say_nothing(c);
	} else if (strcmp(path, "/to-file") == 0 || strcmp(path, "/to-other-host") == 0) {
		const char *where = strcmp(path, "/to-file") == 0 ? "file:///etc/passwd"
								  : "http://127.0.0.2:9/health";
		int n = snprintf(buf, sizeof buf,
				 "HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n",
				 where);
		put(c, buf, (size_t)n);
	} else {
		puts_fd(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
	}
}

/* Read one request and play its path; a TLS hello gets silence (a port that never answers). */
static void handle(int c)
{
	char req[4096];
	size_t got = 0;
	for (;;) {
		ssize_t n = recv(c, req + got, sizeof req - 1 - got, 0);
		if (n <= 0)
			return;
		got += (size_t)n;
		req[got] = '\0';
		if (req[0] == 0x16) { /* a TLS ClientHello */
			say_nothing(c);
			return;
		}
		if (strstr(req, "\r\n\r\n") || got == sizeof req - 1)
			break;
	}
	char path[128] = "";
	sscanf(req, "GET %127s", path);
	atomic_fetch_add(&n_requests, 1);
	play(c, path);
}

static int setup(void **state)
{
	(void)state;
	http_global_init();
	return loopback_start(&srv, handle);
}

static int teardown(void **state)
{
	(void)state;
	loopback_stop(&srv, 3000); /* the trickle ends at its next byte once the client left */
	http_global_cleanup();
	return 0;
}

/* What one hostile request gave. */
typedef struct {
	http_response r;
	long elapsed_ms; /* measured here, around the call */
} outcome;

/* GET scheme://127.0.0.1:PORT/path with the given time-outs; prints the line a person sees. */
static http_err fetch(const char *scheme, const char *path, long timeout_ms, long connect_ms,
		      outcome *o)
{
	char url[256];
	snprintf(url, sizeof url, "%s://127.0.0.1:%d%s", scheme, srv.port, path);
	http_opts opts = {.timeout_ms = timeout_ms, .connect_timeout_ms = connect_ms};
	http_client *c = http_client_new();
	assert_non_null(c);
	int64_t t0 = common_mono_ms();
	http_err e = http_get(c, url, &opts, &o->r);
	o->elapsed_ms = (long)(common_mono_ms() - t0);
	http_client_free(c);
	print_message("%-22s %5ld ms  %-14s HTTP %ld  \"%s\"\n", path, o->elapsed_ms,
		      http_err_name(e), o->r.status, o->r.error);
	return e;
}

/* What a failing case must give: the kind, words in its one line, a time window, a status. */
typedef struct {
	const char *scheme, *path;
	long timeout_ms, connect_ms;
	http_err kind;
	const char *words;   /* in the line */
	const char *more;    /* also in the line, or NULL */
	long min_ms, max_ms; /* elapsed window */
	long status;	     /* 0, or the status line that still counts (too large) */
} failing;

/* Fetch a failing case and check it: one line of plain text naming the host, in time. */
static void expect(const failing *f)
{
	outcome o;
	assert_int_equal(fetch(f->scheme, f->path, f->timeout_ms, f->connect_ms, &o), f->kind);
	const char *e = o.r.error;
	assert_true(e[0] != '\0');
	assert_null(strpbrk(e, "\r\n"));
	assert_non_null(strstr(e, "127.0.0.1"));
	assert_true(strlen(e) < sizeof o.r.error - 1); /* not cut short */
	assert_non_null(strstr(e, f->words));
	if (f->more)
		assert_non_null(strstr(e, f->more));
	assert_in_range(o.elapsed_ms, f->min_ms, f->max_ms);
	assert_int_equal(o.r.status, f->status);
	assert_true(o.r.body_len <= HTTP_BODY_MAX);
	assert_true(o.r.n_headers <= HTTP_HEADERS_MAX_COUNT);
	http_response_free(&o.r);
}

/* A body that trickles one byte a second ends at the total time-out, not after 100 s. */
static void test_trickle_ends_at_timeout(void **state)
{
	(void)state;
	expect(&(failing){"http", "/trickle", 2000, 1000, HTTP_ERR_TIMEOUT,
			  "timed out after 2 s: 127.0.0.1 sent only ", " of 100 bytes;", 1900, 3000,
			  0});
}

/* A connection reset half-way through the body, or closed there: broken, said so. */
static void test_reset_mid_body(void **state)
{
	(void)state;
	expect(&(failing){"http", "/reset", 5000, 1000, HTTP_ERR_CONNECT,
			  "reset after 500 of 1000 bytes", NULL, 0, 1500, 0});
	expect(&(failing){"http", "/cut", 5000, 1000, HTTP_ERR_CONNECT,
			  "closed the connection after 500 of 1000 bytes", NULL, 0, 1500, 0});
}

/* A chunked body with a chunk size that is not hex: malformed, refused at once. */
static void test_bad_chunk_size(void **state)
{
	(void)state;
	expect(&(failing){"http", "/bad-chunk", 5000, 1000, HTTP_ERR_OTHER,
			  "malformed chunked body", NULL, 0, 1500, 0});
}

/* 10,000 headers: past 64 KiB refused; tiny ones kept up to the count cap, the rest dropped. */
static void test_ten_thousand_headers(void **state)
{
	(void)state;
	expect(&(failing){"http", "/many-headers", 5000, 1000, HTTP_ERR_TOO_LARGE,
			  "headers from 127.0.0.1 larger than 64 KiB", NULL, 0, 2000, 200});
	outcome o;
	assert_int_equal(fetch("http", "/many-tiny-headers", 5000, 1000, &o), HTTP_OK);
	assert_int_equal(o.r.status, 200);
	assert_int_equal(o.r.n_headers, HTTP_HEADERS_MAX_COUNT);
	assert_string_equal(o.r.body, "{}");
	assert_true(o.elapsed_ms < 2000);
	http_response_free(&o.r);
}

/* A 3 GB Content-Length over a short body: refused on the length, no waiting for the rest. */
static void test_three_gb_content_length(void **state)
{
	(void)state;
	/* The status line is still evidence. */
	expect(&(failing){"http", "/3gb", 5000, 1000, HTTP_ERR_TOO_LARGE,
			  "larger than 1024 KiB by its Content-Length", NULL, 0, 1500, 200});
}

/* 16 KiB of gzip that inflates to 16 MiB: the cap holds on the inflated size. */
static void test_gzip_bomb(void **state)
{
	(void)state;
	expect(&(failing){"http", "/gzip-bomb", 5000, 1000, HTTP_ERR_TOO_LARGE,
			  "compressed answer from 127.0.0.1 inflates past 1024 KiB", NULL, 0, 2000,
			  200});
}

/* An https:// URL on a port that accepts and never answers the hello: the connect time-out. */
static void test_tls_handshake_never_finishes(void **state)
{
	(void)state;
	expect(&(failing){"https", "/health", 5000, 1500, HTTP_ERR_TIMEOUT,
			  "TLS handshake with 127.0.0.1 did not finish within 1.5 s", NULL, 1400,
			  2500, 0});
}

/* A redirect to file:// or to another host is the answer itself: never followed. */
static void test_redirect_away(void **state)
{
	(void)state;
	const char *paths[] = {"/to-file", "/to-other-host"};
	for (int i = 0; i < 2; i++) {
		int before = atomic_load(&n_requests);
		outcome o;
		assert_int_equal(fetch("http", paths[i], 5000, 1000, &o), HTTP_OK);
		assert_int_equal(o.r.status, 302);
		assert_string_equal(o.r.error, "");
		assert_non_null(http_response_header(&o.r, "Location"));
		assert_int_equal(atomic_load(&n_requests), before + 1); /* only the first */
		assert_true(o.elapsed_ms < 1500);
		http_response_free(&o.r);
	}
	/* The health probe takes the 3xx as an answer: the app is not healthy, HTTP 302. */
	config cfg;
	config_defaults(&cfg);
	snprintf(cfg.health_url, sizeof cfg.health_url, "http://127.0.0.1:%d/to-file", srv.port);
	cfg.timeout_ms = 5000;
	http_client *c = http_client_new();
	_Atomic int cancel = 0;
	ev_health h;
	probe_run(PROBE_HEALTH, c, &cfg, &cancel, &h, NULL);
	http_client_free(c);
	assert_int_equal(h.f.http_status, 302);
	assert_int_equal(h.state, HEALTH_UNHEALTHY);
}

/*
 * A hostile health URL in a whole triage (HubSpot healthy, from the simulator): the report's
 * health error is the HTTP layer's one line, within the deadline. A broken transfer is
 * app-unhealthy; a 200 too large to read is an answer without a verdict (health unknown), so the
 * leaf stays healthy; a redirect is the app's answer (not 2xx: unhealthy).
 */
static void test_triage_leaf(void **state)
{
	(void)state;
	static const struct {
		const char *scheme, *path, *words, *health, *leaf;
		long max_ms;
	} cases[] = {
	    {"http", "/trickle", "sent only", "unhealthy", "app-unhealthy", 2600},
	    {"http", "/reset", "reset after 500 of 1000 bytes", "unhealthy", "app-unhealthy", 1500},
	    {"http", "/cut", "closed the connection after 500 of 1000 bytes", "unhealthy",
	     "app-unhealthy", 1500},
	    {"http", "/bad-chunk", "malformed chunked body", "unhealthy", "app-unhealthy", 1500},
	    {"http", "/many-headers", "larger than 64 KiB", "unknown", "healthy", 1500},
	    {"http", "/3gb", "by its Content-Length", "unknown", "healthy", 1500},
	    {"http", "/gzip-bomb", "inflates past 1024 KiB", "unknown", "healthy", 1500},
	    {"https", "/health", "TLS handshake", "unhealthy", "app-unhealthy", 2600},
	    {"http", "/to-file", "", "unhealthy", "app-unhealthy", 1500},
	    {"http", "/to-other-host", "", "unhealthy", "app-unhealthy", 1500},
	};
	char err[256];
	sim *s = sim_start("healthy", 0, err, sizeof err);
	assert_non_null(s);
	runbook *rb = runbook_load_default(err, sizeof err);
	assert_non_null(rb);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		config cfg;
		config_defaults(&cfg);
		config_point_at(&cfg, sim_base_url(s));
		snprintf(cfg.token, sizeof cfg.token, "%s", "pat-na1-hostile-test");
		snprintf(cfg.health_url, sizeof cfg.health_url, "%s://127.0.0.1:%d%s",
			 cases[i].scheme, srv.port, cases[i].path);
		cfg.timeout_ms = 2000;
		cfg.connect_timeout_ms = 1500;
		char *text = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&text, &len);
		assert_non_null(out);
		int64_t t0 = common_mono_ms();
		int code = cmd_triage_report(&cfg, rb, true, out);
		long ms = (long)(common_mono_ms() - t0);
		fclose(out);
		json_error_t je;
		json_t *j = json_loads(text, 0, &je);
		assert_non_null(j);
		json_t *h = json_object_get(j, "health");
		const char *leaf =
		    json_string_value(json_object_get(json_object_get(j, "diagnosis"), "leaf"));
		const char *line = json_string_value(json_object_get(h, "error"));
		print_message("triage %-16s %5ld ms  leaf %s (exit %d)  health %s: \"%s\"\n",
			      cases[i].path, ms, leaf ? leaf : "?", code,
			      json_string_value(json_object_get(h, "state")), line ? line : "");
		assert_non_null(leaf);
		assert_string_equal(leaf, cases[i].leaf);
		assert_int_equal(code, runbook_exit_code(cases[i].leaf));
		assert_string_equal(json_string_value(json_object_get(h, "state")),
				    cases[i].health);
		if (cases[i].words[0]) {
			assert_non_null(line);
			assert_non_null(strstr(line, cases[i].words));
		} else {
			assert_int_equal(json_integer_value(json_object_get(h, "http_status")),
					 302);
		}
		assert_true(ms < cases[i].max_ms);
		/* The triage deadline (time-out + 250 ms) already caps ms below 2600: the TLS case
		 * shows the probe's connect time-out only by ending before the total one. */
		if (strcmp(cases[i].scheme, "https") == 0)
			assert_true(ms < cfg.timeout_ms);
		json_decref(j);
		free(text);
	}
	runbook_free(rb);
	sim_stop(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_trickle_ends_at_timeout),
	    cmocka_unit_test(test_reset_mid_body),
	    cmocka_unit_test(test_bad_chunk_size),
	    cmocka_unit_test(test_ten_thousand_headers),
	    cmocka_unit_test(test_three_gb_content_length),
	    cmocka_unit_test(test_gzip_bomb),
	    cmocka_unit_test(test_tls_handshake_never_finishes),
	    cmocka_unit_test(test_redirect_away),
	    cmocka_unit_test(test_triage_leaf),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
