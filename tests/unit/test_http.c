/* The HTTP layer against a tiny local server: caps, redirects, token scope, errors in words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hsr/http.h"
#include "loopback.h"

static loopback srv;
static _Atomic int last_auth; /* the last request carried Authorization */
static char last_path[128];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

/* Write all of buf, ignoring a peer that went away. */
static void put(int fd, const char *buf, size_t n)
{
	(void)loopback_put(fd, buf, n);
}

/* Answer one connection according to its path. */
static void serve(int c)
{
	char req[8192];
	size_t got = 0;
	while (got < sizeof req - 1) {
		ssize_t n = recv(c, req + got, sizeof req - 1 - got, 0);
		if (n <= 0)
			return;
		got += (size_t)n;
		req[got] = '\0';
		if (req[0] == 0x16) { /* a TLS ClientHello: answer in plain HTTP, as a misconfigured
					 port would */
			const char *h = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
			put(c, h, strlen(h));
			return;
		}
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	char path[128] = "";
	sscanf(req, "GET %127s", path);
	pthread_mutex_lock(&mu);
	snprintf(last_path, sizeof last_path, "%s", path);
	pthread_mutex_unlock(&mu);
	atomic_store(&last_auth, strcasestr(req, "\r\nAuthorization: Bearer ") != NULL);
	char hdr[512];
	if (strcmp(path, "/big") == 0) {
		size_t len = 2 * 1024 * 1024;
		int n = snprintf(hdr, sizeof hdr, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n",
				 len);
		put(c, hdr, (size_t)n);
		char *body = malloc(len);
		memset(body, 'x', len);
		put(c, body, len);
		free(body);
	} else if (strcmp(path, "/big-chunked") == 0) {
		const char *h = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n";
		put(c, h, strlen(h));
		char *body = malloc(64 * 1024);
		memset(body, 'y', 64 * 1024);
		for (int i = 0; i < 40; i++)
			put(c, body, 64 * 1024);
		free(body);
	} else if (strcmp(path, "/huge-headers") == 0) {
		const char *h = "HTTP/1.1 200 OK\r\n";
		put(c, h, strlen(h));
		char line[600];
		for (int i = 0; i < 200; i++) {
			int n = snprintf(line, sizeof line, "X-Filler-%d: %0500d\r\n", i, i);
			put(c, line, (size_t)n);
		}
		put(c, "Content-Length: 0\r\n\r\n", 21);
	} else if (strcmp(path, "/redirect") == 0) {
		int n = snprintf(hdr, sizeof hdr,
				 "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:%d/elsewhere\r\n"
				 "Content-Length: 0\r\n\r\n",
				 srv.port);
		put(c, hdr, (size_t)n);
	} else if (strcmp(path, "/slow") == 0) {
		sleep(3);
	} else {
		const char *h =
		    "HTTP/1.1 200 OK\r\nx-hubspot-ratelimit-MAX: 190\r\n"
		    "X-HubSpot-Correlation-Id:   abc-123  \r\nContent-Length: 2\r\n\r\n{}";
		put(c, h, strlen(h));
	}
}

static int setup(void **state)
{
	(void)state;
	http_global_init();
	return loopback_start(&srv, serve);
}

static int teardown(void **state)
{
	(void)state;
	loopback_stop(&srv, 0);
	http_global_cleanup();
	return 0;
}

/* GET path on the local server with the given options. */
static http_err get(const char *path, const http_opts *o, http_response *r)
{
	char url[256];
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", srv.port, path);
	http_client *c = http_client_new();
	http_err e = http_get(c, url, o, r);
	http_client_free(c);
	return e;
}

static void test_url_is_under(void **state)
{
	(void)state;
	assert_true(http_url_is_under("https://api.hubapi.com/crm/v3/x", "https://api.hubapi.com"));
	assert_true(http_url_is_under("https://API.hubapi.com/crm", "https://api.hubapi.com/"));
	assert_true(http_url_is_under("http://h:8/base/x", "http://h:8/base"));
	assert_true(http_url_is_under("http://h:8/base?q=1", "http://h:8/base"));
	assert_false(http_url_is_under("http://h:8/basement", "http://h:8/base"));
	assert_false(
	    http_url_is_under("https://api.hubapi.com.evil.example/x", "https://api.hubapi.com"));
	assert_false(http_url_is_under("https://status.hubspot.com/api", "https://api.hubapi.com"));
	assert_false(http_url_is_under("http://api.hubapi.com/x", "https://api.hubapi.com"));
	assert_false(http_url_is_under("https://api.hubapi.com:444/x", "https://api.hubapi.com"));
	assert_false(http_url_is_under("https://u@api.hubapi.com/x", "https://api.hubapi.com"));
	assert_false(http_url_is_under("https://api.hubapi.com/x", ""));
	assert_false(http_url_is_under(NULL, "https://api.hubapi.com"));
}

/* Headers are found whatever their case, values trimmed. */
static void test_headers_case_insensitive(void **state)
{
	(void)state;
	http_opts o = {.timeout_ms = 5000};
	http_response r;
	assert_int_equal(get("/plain", &o, &r), HTTP_OK);
	assert_int_equal(r.status, 200);
	assert_string_equal(http_response_header(&r, "X-HubSpot-RateLimit-Max"), "190");
	assert_string_equal(http_response_header(&r, "x-hubspot-correlation-id"), "abc-123");
	assert_null(http_response_header(&r, "Retry-After"));
	assert_string_equal(r.body, "{}");
	assert_string_equal(r.error, "");
	http_response_free(&r);
}

/* The token goes to the API base only. */
static void test_token_scope(void **state)
{
	(void)state;
	char base[128], other[128];
	snprintf(base, sizeof base, "http://127.0.0.1:%d/api", srv.port);
	snprintf(other, sizeof other, "http://127.0.0.1:%d/apix", srv.port);
	http_opts o = {.timeout_ms = 5000, .api_base = base, .token = "pat-secret"};
	http_response r;
	assert_int_equal(get("/api/crm", &o, &r), HTTP_OK);
	assert_true(atomic_load(&last_auth));
	http_response_free(&r);
	assert_int_equal(get("/apix/crm", &o, &r), HTTP_OK);
	assert_false(atomic_load(&last_auth));
	http_response_free(&r);
	assert_int_equal(get("/status", &o, &r), HTTP_OK);
	assert_false(atomic_load(&last_auth));
	http_response_free(&r);
	(void)other;
}

/* A redirect is evidence, never followed (so the token cannot follow it). */
static void test_redirect_not_followed(void **state)
{
	(void)state;
	http_opts o = {.timeout_ms = 5000};
	http_response r;
	assert_int_equal(get("/redirect", &o, &r), HTTP_OK);
	assert_int_equal(r.status, 302);
	assert_string_equal(http_response_header(&r, "Location") ? "yes" : "no", "yes");
	pthread_mutex_lock(&mu);
	assert_string_equal(last_path, "/redirect");
	pthread_mutex_unlock(&mu);
	http_response_free(&r);
}

/* Bodies over 1 MiB are refused, with or without a Content-Length. */
static void test_body_cap(void **state)
{
	(void)state;
	http_opts o = {.timeout_ms = 10000};
	http_response r;
	assert_int_equal(get("/big", &o, &r), HTTP_ERR_TOO_LARGE);
	assert_non_null(strstr(r.error, "larger than 1024 KiB"));
	assert_int_equal(r.status, 200); /* the status line is still evidence */
	assert_true(r.connected);
	http_response_free(&r);
	assert_int_equal(get("/big-chunked", &o, &r), HTTP_ERR_TOO_LARGE);
	assert_true(r.body_len <= HTTP_BODY_MAX);
	http_response_free(&r);
	assert_int_equal(get("/huge-headers", &o, &r), HTTP_ERR_TOO_LARGE);
	assert_non_null(strstr(r.error, "headers from 127.0.0.1 larger than 64 KiB"));
	assert_true(r.n_headers <= HTTP_HEADERS_MAX_COUNT);
	http_response_free(&r);
}

/* Time-outs, refusals, bad URLs and TLS failures read as sentences. */
static void test_errors_in_words(void **state)
{
	(void)state;
	http_opts o = {.timeout_ms = 1000, .connect_timeout_ms = 1000};
	http_response r;
	assert_int_equal(get("/slow", &o, &r), HTTP_ERR_TIMEOUT);
	assert_non_null(strstr(r.error, "timed out after 1 s"));
	assert_int_equal(r.status, 0);
	http_response_free(&r);

	http_client *c = http_client_new();
	assert_int_equal(http_get(c, "http://127.0.0.1:9/x", &o, &r), HTTP_ERR_REFUSED);
	assert_non_null(strstr(r.error, "connection refused by 127.0.0.1"));
	assert_false(r.connected);
	http_response_free(&r);
	assert_int_equal(http_get(c, "ftp://127.0.0.1/x", &o, &r), HTTP_ERR_BAD_URL);
	http_response_free(&r);
	assert_int_equal(http_get(c, "", &o, &r), HTTP_ERR_NOT_CONFIGURED);
	http_response_free(&r);
	char url[128];
	snprintf(url, sizeof url, "https://127.0.0.1:%d/plain", srv.port);
	assert_int_equal(http_get(c, url, &o, &r), HTTP_ERR_TLS);
	assert_non_null(strstr(r.error, "TLS"));
	http_response_free(&r);
	http_client_free(c);
}

/* A port on 127.0.0.1 nothing listens on right now (the kernel's pick), or -1. */
static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	int port = -1;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* An openssl s_server on 127.0.0.1:port with dir's cert.pem and key.pem; its pid. */
static pid_t start_s_server(const char *dir, int port)
{
	pid_t pid = fork();
	if (pid == 0) {
		char acc[64], cert[128], key[128];
		snprintf(acc, sizeof acc, "127.0.0.1:%d", port);
		snprintf(cert, sizeof cert, "%s/cert.pem", dir);
		snprintf(key, sizeof key, "%s/key.pem", dir);
		freopen("/dev/null", "w", stdout);
		freopen("/dev/null", "w", stderr);
		execlp("openssl", "openssl", "s_server", "-accept", acc, "-cert", cert, "-key", key,
		       "-www", "-quiet", (char *)NULL);
		_exit(127);
	}
	assert_true(pid > 0);
	return pid;
}

/* A private CA: not trusted by default, trusted with cacert (an openssl s_server on loopback). */
static void test_tls_private_ca(void **state)
{
	(void)state;
	if (system("command -v openssl >/dev/null 2>&1") != 0) {
		print_message("openssl not found: TLS trust test skipped\n");
		skip();
	}
	char dir[] = "/tmp/hsr-tls-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
		 "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
		 "-addext subjectAltName=IP:127.0.0.1 -keyout %s/key.pem -out %s/cert.pem "
		 ">/dev/null 2>&1",
		 dir, dir);
	assert_int_equal(system(cmd), 0);
	char url[128], ca[128];
	snprintf(ca, sizeof ca, "%s/cert.pem", dir);
	http_client *c = http_client_new();
	http_opts o = {.timeout_ms = 3000, .connect_timeout_ms = 3000};
	http_response r;
	http_err e = HTTP_ERR_REFUSED;
	pid_t pid = -1;
	/* A free port, asked of the kernel; a server that exits (port taken meanwhile) or is slow
	 * to listen on a busy machine gets another try. */
	for (int attempt = 0; attempt < 3 && e == HTTP_ERR_REFUSED; attempt++) {
		int port = free_port();
		assert_true(port > 0);
		pid = start_s_server(dir, port);
		snprintf(url, sizeof url, "https://127.0.0.1:%d/", port);
		for (int i = 0; i < 100 && e == HTTP_ERR_REFUSED; i++) {
			usleep(100 * 1000);
			if (waitpid(pid, NULL, WNOHANG) == pid) {
				pid = -1;
				break;
			}
			e = http_get(c, url, &o, &r);
			if (e == HTTP_ERR_REFUSED)
				http_response_free(&r);
		}
		if (e == HTTP_ERR_REFUSED && pid > 0) {
			kill(pid, SIGTERM);
			waitpid(pid, NULL, 0);
		}
	}
	assert_int_equal(e, HTTP_ERR_TLS);
	assert_non_null(strstr(r.error, "TLS certificate of 127.0.0.1 not trusted"));
	http_response_free(&r);
	o.cacert = ca;
	assert_int_equal(http_get(c, url, &o, &r), HTTP_OK);
	assert_int_equal(r.status, 200);
	http_response_free(&r);
	http_client_free(c);
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* A cancelled request stops early. */
static void test_cancel(void **state)
{
	(void)state;
	_Atomic int cancel = 1;
	http_opts o = {.timeout_ms = 5000, .cancel = &cancel};
	http_response r;
	assert_int_equal(get("/slow", &o, &r), HTTP_ERR_CANCELLED);
	assert_true(r.latency_ms < 2500);
	http_response_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_url_is_under), cmocka_unit_test(test_headers_case_insensitive),
	    cmocka_unit_test(test_token_scope),	 cmocka_unit_test(test_redirect_not_followed),
	    cmocka_unit_test(test_body_cap),	 cmocka_unit_test(test_errors_in_words),
	    cmocka_unit_test(test_cancel),	 cmocka_unit_test(test_tls_private_ca),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
