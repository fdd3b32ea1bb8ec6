/* hsrunbook verify-webhook: check one captured HubSpot webhook request's signature and say
 * exactly why it fails. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hsr/cmd.h"
#include "hsr/common.h"
#include "hsr/exitcode.h"
#include "hsr/sanitize.h"
#include "hsr/webhook.h"

#define VERIFY_NOT_VALID 20 /* the signature or the age does not hold */
#define SECRET_MAX	 512

static const cmd_option cmd_verify_webhook_options[] = {
    {"request", 0, "FILE", "a raw HTTP/1.1 request as captured (request line, headers, body)",
     NULL},
    {"url-base", 0, "URL", "with --request: scheme and host HubSpot called (default https://Host)",
     NULL},
    {"method", 0, "METHOD", "the request's method (default POST)", NULL},
    {"url", 0, "URL", "the full URL HubSpot called: scheme, host, path, query", NULL},
    {"timestamp", 0, "MS", "X-HubSpot-Request-Timestamp, milliseconds (v3)", NULL},
    {"signature", 0, "SIG", "the X-HubSpot-Signature-v3 (or X-HubSpot-Signature) value", NULL},
    {"signature-version", 0, "V", "v1, v2 or v3 (default v3; --request: from its headers)", NULL},
    {"body-file", 0, "FILE", "the raw body (default: standard input)", NULL},
    {"secret-file", 0, "FILE", "the app's client secret (mode 0600); else HUBSPOT_CLIENT_SECRET",
     NULL},
    {NULL, 0, NULL, NULL, NULL},
};

/* Read all of fd (at most WEBHOOK_REQUEST_MAX bytes) into a NUL-terminated buffer; NULL with
 * errno (EFBIG when larger). */
static char *cmd_verify_webhook_slurp(int fd, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		if (n == cap) {
			if (cap > WEBHOOK_REQUEST_MAX) {
				free(buf);
				errno = EFBIG;
				return NULL;
			}
			cap *= 2;
			char *more = realloc(buf, cap + 1);
			if (!more)
				break;
			buf = more;
		}
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			break;
		if (got == 0) {
			buf[n] = '\0';
			*len = n;
			return buf;
		}
		n += (size_t)got;
		if (n > WEBHOOK_REQUEST_MAX) {
			free(buf);
			errno = EFBIG;
			return NULL;
		}
	}
	int e = errno;
	free(buf);
	errno = e;
	return NULL;
}

/* Read the file at path (opt names the option in errors); NULL after printing one line. */
static char *cmd_verify_webhook_read(const char *opt, const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf = fd < 0 ? NULL : cmd_verify_webhook_slurp(fd, len);
	int e = errno;
	if (fd >= 0)
		close(fd);
	if (!buf)
		fprintf(stderr, "hsrunbook: %s %s: %s\n", opt, path,
			e == EFBIG ? "over 4 MiB: give one request, not a whole log" : strerror(e));
	return buf;
}

/* The client secret from --secret-file (mode 0600) or HUBSPOT_CLIENT_SECRET into out; 0, or
 * the exit code after one line (never the secret). */
static int cmd_verify_webhook_secret(const cmd_args *a, char *out, size_t outsz)
{
	const char *path = cmd_value(a, "secret-file");
	if (!path) {
		const char *env = getenv("HUBSPOT_CLIENT_SECRET");
		if (!env || !*env)
			return cmd_usage_error(
			    a->cmd, "no client secret: set HUBSPOT_CLIENT_SECRET or give "
				    "--secret-file FILE (mode 0600)");
		if (strlen(env) >= outsz)
			return cmd_usage_error(a->cmd, "HUBSPOT_CLIENT_SECRET is too long to be a "
						       "client secret");
		common_strlcpy(out, env, outsz);
		return 0;
	}
	char err[600];
	ssize_t n = config_read_private(path, "client secret file", out, outsz, err, sizeof err);
	if (n < 0)
		return cmd_usage_error(a->cmd, "--secret-file %s", err);
	size_t len = strcspn(out, "\r\n");
	if (n >= (ssize_t)outsz - 1 || out[len + strspn(out + len, "\r\n")] || !len) {
		explicit_bzero(out, outsz);
		return cmd_usage_error(a->cmd,
				       "--secret-file %s must hold the client secret alone on one "
				       "line",
				       path);
	}
	out[len] = '\0';
	return 0;
}

/* What a check needs, gathered from --request or the flags. */
typedef struct {
	webhook_input in;
	webhook_request req;
	char *body_buf;
	char url[WEBHOOK_URL_MAX];
	char query[WEBHOOK_URL_MAX];
	const char *hosts[4];
	char base_host[512];
} cmd_verify_webhook_job;

/* Fill j from the captured request of --request; 0, or the exit code after one line. */
static int cmd_verify_webhook_from_request(const cmd_args *a, cmd_verify_webhook_job *j)
{
	const char *path = cmd_value(a, "request");
	size_t len = 0;
	char err[256];
	char *raw = cmd_verify_webhook_read("--request", path, &len);
	if (!raw)
		return EXIT_USAGE;
	int rc = webhook_request_parse(raw, len, &j->req, err, sizeof err);
	free(raw);
	if (rc != 0)
		return cmd_usage_error(a->cmd, "--request %s: %s", path, err);
	webhook_request *r = &j->req;
	int dup = 0, d;
	const char *host = webhook_request_header(r, "Host", &d);
	dup |= d;
	const char *v3 = webhook_request_header(r, "X-HubSpot-Signature-v3", &d);
	dup |= d;
	const char *ts = webhook_request_header(r, "X-HubSpot-Request-Timestamp", &d);
	dup |= d;
	const char *v1 = webhook_request_header(r, "X-HubSpot-Signature", &d);
	dup |= d;
	const char *ver = webhook_request_header(r, "X-HubSpot-Signature-Version", &d);
	if (dup | d)
		return cmd_usage_error(a->cmd,
				       "--request %s: Host or an X-HubSpot header appears twice "
				       "with different values; capture one request",
				       path);
	/* The URL: --url, else the absolute target, else the base (or https://Host) + target. */
	const char *base = cmd_value(a, "url-base");
	if (strstr(r->target, "://")) {
		common_strlcpy(j->url, r->target, sizeof j->url);
	} else if (base || host) {
		const char *b = base ? base : host;
		int bl = (int)strlen(b);
		while (bl && b[bl - 1] == '/')
			bl--;
		int n = snprintf(j->url, sizeof j->url, "%s%.*s%s%s", base ? "" : "https://", bl, b,
				 r->target[0] == '/' ? "" : "/", r->target);
		if (n < 0 || (size_t)n >= sizeof j->url)
			return cmd_usage_error(a->cmd, "--request %s: the URL is over %d bytes",
					       path, WEBHOOK_URL_MAX - 1);
	} else if (!cmd_given(a, "url")) {
		return cmd_usage_error(a->cmd,
				       "--request %s has no Host header: give --url-base "
				       "https://HOST (the host HubSpot called)",
				       path);
	}
	const char *q = strchr(r->target, '?');
	common_strlcpy(j->query, q ? q : "", sizeof j->query);
	/* The hosts a proxy may have put in place of the one HubSpot called. */
	int nh = 0;
	if (host)
		j->hosts[nh++] = host;
	const char *fwd = webhook_request_header(r, "X-Forwarded-Host", NULL);
	if (fwd)
		j->hosts[nh++] = fwd;
	const char *sep = base ? strstr(base, "://") : NULL;
	if (sep) {
		snprintf(j->base_host, sizeof j->base_host, "%.*s", (int)strcspn(sep + 3, "/?#"),
			 sep + 3);
		j->hosts[nh++] = j->base_host;
	}
	j->hosts[nh] = NULL;
	j->in.method = r->method;
	j->in.body = r->body;
	j->in.body_len = r->body_len;
	if (v3) {
		j->in.version = WEBHOOK_V3;
		j->in.signature = v3;
		j->in.timestamp = ts;
	} else {
		j->in.version = ver ? webhook_version_of(ver) : WEBHOOK_V1;
		j->in.signature = v1;
		if (!j->in.version)
			return cmd_usage_error(
			    a->cmd,
			    "--request %s: X-HubSpot-Signature-Version \"%.10s\" "
			    "is not v1, v2 or v3",
			    path, ver);
	}
	if (!v3 && !v1)
		return cmd_usage_error(a->cmd,
				       "--request %s has no X-HubSpot-Signature-v3 or "
				       "X-HubSpot-Signature header: is it a HubSpot delivery?",
				       path);
	return 0;
}

/* Fill j from the flags (and the body from --body-file or standard input); 0, or the exit
 * code after one line. */
static int cmd_verify_webhook_from_flags(const cmd_args *a, cmd_verify_webhook_job *j)
{
	if (!cmd_given(a, "url") || !cmd_given(a, "signature"))
		return cmd_usage_error(a->cmd, "give --request FILE, or --url and --signature "
					       "(and --timestamp for v3)");
	j->in.version = WEBHOOK_V3;
	j->in.method = "POST";
	size_t len = 0;
	const char *bf = cmd_value(a, "body-file");
	if (bf) {
		j->body_buf = cmd_verify_webhook_read("--body-file", bf, &len);
	} else if (isatty(STDIN_FILENO)) {
		return cmd_usage_error(a->cmd, "no body: give --body-file FILE or pipe the raw "
					       "body into standard input");
	} else {
		j->body_buf = cmd_verify_webhook_slurp(STDIN_FILENO, &len);
		if (!j->body_buf)
			fprintf(stderr, "hsrunbook: standard input: %s\n",
				errno == EFBIG ? "over 4 MiB: give one request's body"
					       : strerror(errno));
	}
	if (!j->body_buf)
		return EXIT_USAGE;
	j->in.body = (const unsigned char *)j->body_buf;
	j->in.body_len = len;
	return 0;
}

/* The options given on top of the input, which win over what the request says. */
static int cmd_verify_webhook_overrides(const cmd_args *a, cmd_verify_webhook_job *j)
{
	if (cmd_value(a, "url"))
		common_strlcpy(j->url, cmd_value(a, "url"), sizeof j->url);
	if (cmd_value(a, "method"))
		j->in.method = cmd_value(a, "method");
	if (cmd_value(a, "timestamp"))
		j->in.timestamp = cmd_value(a, "timestamp");
	if (cmd_value(a, "signature"))
		j->in.signature = cmd_value(a, "signature");
	const char *v = cmd_value(a, "signature-version");
	if (v && !(j->in.version = webhook_version_of(v)))
		return cmd_usage_error(a->cmd, "--signature-version %.10s: use v1, v2 or v3", v);
	if (j->in.version == WEBHOOK_V3 && !j->in.timestamp && !cmd_given(a, "request"))
		return cmd_usage_error(a->cmd, "v3 signs the timestamp: give --timestamp MS "
					       "(X-HubSpot-Request-Timestamp)");
	if (!strstr(j->url, "://"))
		return cmd_usage_error(a->cmd,
				       "--url %.60s: give the full URL HubSpot called, "
				       "https://HOST/PATH?QUERY",
				       j->url);
	j->in.url = j->url;
	j->in.other_hosts = j->hosts;
	j->in.request_query = j->query;
	return 0;
}

/* Check the request's signature; 0 valid, 20 not valid, 2 usage. */
static int cmd_verify_webhook_run(const cmd_args *a)
{
	if (cmd_given(a, "request") && cmd_given(a, "body-file"))
		return cmd_usage_error(a->cmd, "--body-file goes with the flags, not with "
					       "--request (the body is in the request)");
	if (cmd_given(a, "url-base") && !cmd_given(a, "request"))
		return cmd_usage_error(a->cmd, "--url-base goes with --request; give --url");
	char secret[SECRET_MAX];
	int rc = cmd_verify_webhook_secret(a, secret, sizeof secret);
	if (rc)
		return rc;
	static cmd_verify_webhook_job j;
	memset(&j, 0, sizeof j);
	rc = cmd_given(a, "request") ? cmd_verify_webhook_from_request(a, &j)
				     : cmd_verify_webhook_from_flags(a, &j);
	if (!rc)
		rc = cmd_verify_webhook_overrides(a, &j);
	if (!rc) {
		static webhook_verdict v;
		webhook_verify(&j.in, secret, strlen(secret), common_now_ms(), &v);
		if (v.valid) {
			char url[WEBHOOK_URL_MAX], age[48] = "";
			sanitize_str(url, sizeof url, j.in.url);
			if (v.age_known) {
				webhook_format_age(v.age_ms, age + 2, sizeof age - 2);
				memcpy(age, ", ", 2);
			}
			printf(
			    "valid: the v%d signature matches %.16s %.200s (%zu body bytes%s%s)\n",
			    (int)j.in.version, j.in.method, url, j.in.body_len,
			    v.age_known ? age : "", v.age_known ? " old" : "");
		}
		char dec[WEBHOOK_URL_MAX], shown[WEBHOOK_URL_MAX];
		if (v.valid && j.in.version == WEBHOOK_V3 &&
		    webhook_decode_uri(j.in.url, dec, sizeof dec) >= 0 && strcmp(dec, j.in.url)) {
			sanitize_str(shown, sizeof shown, dec);
			printf("note: HubSpot signed the URI decoded, %.300s: an app that signs it "
			       "as received (encoded) fails\n",
			       shown);
		}
		for (int i = 0; !v.valid && i < v.n_reasons; i++)
			printf("not valid: %s\n", v.reasons[i]);
		if (j.req.extra_bytes)
			printf("note: %zu byte%s after the body's end left out (the capture added "
			       "them)\n",
			       j.req.extra_bytes, j.req.extra_bytes == 1 ? "" : "s");
		rc = v.valid ? EXIT_OK : VERIFY_NOT_VALID;
	}
	explicit_bzero(secret, sizeof secret);
	webhook_request_free(&j.req);
	free(j.body_buf);
	return rc;
}

/* What --help adds: the exit codes and an example. */
static void cmd_verify_webhook_help(FILE *f)
{
	fputs("\nExit status: 0 valid, 20 not valid (each reason on its own line), 2 usage.\n"
	      "The client secret never comes from the command line and is never printed.\n"
	      "Example: HUBSPOT_CLIENT_SECRET=... hsrunbook verify-webhook --request hook.txt\n",
	      f);
}

static const cmd_option *const cmd_verify_webhook_groups[] = {cmd_verify_webhook_options, NULL};

const cmd_entry cmd_verify_webhook = {
    .name = "verify-webhook",
    .args = "--request FILE | --url URL --signature SIG ...",
    .summary = "check a captured HubSpot webhook request's signature and say why it fails",
    .options = cmd_verify_webhook_groups,
    .run = cmd_verify_webhook_run,
    .help_more = cmd_verify_webhook_help,
};
