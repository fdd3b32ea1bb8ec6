/*
 * Posting the messages over src/http.c: a Slack incoming webhook and Statuspage's incidents API.
 * The webhook URL and the API key are secrets: they go in the request and nowhere else, not in
 * an error, a log line or the result.
 */
#include "hsr/post.h"

#include "hsr/config.h"
#include "hsr/sanitize.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* A secret from the environment or a private file. */
int post_secret(const char *env, const char *file, const char *what, char *out, size_t outsz,
		char *err, size_t errsz)
{
	out[0] = '\0';
	const char *v = env ? getenv(env) : NULL;
	char buf[POST_SECRET_MAX + 1];
	if (v && *v) {
		common_strlcpy(buf, v, sizeof buf);
	} else if (file && *file) {
		if (config_read_private(file, what, buf, sizeof buf, err, errsz) < 0)
			return -1;
		buf[strcspn(buf, "\r\n")] = '\0';
	} else {
		return 1;
	}
	char *s = buf;
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	s[n] = '\0';
	bool bad = n == 0 || n >= outsz;
	for (size_t i = 0; i < n && !bad; i++)
		bad = (unsigned char)s[i] <= 0x20 || s[i] == 0x7f;
	if (bad) {
		snprintf(
		    err, errsz,
		    "the %s must be one line with no spaces, under %zu characters: check %s%s%s",
		    what, outsz, env ? env : "", env && file && *file ? " or " : "",
		    file && *file ? file : "");
		explicit_bzero(buf, sizeof buf);
		return -1;
	}
	common_strlcpy(out, s, outsz);
	explicit_bzero(buf, sizeof buf);
	return 0;
}

/* Sleep ms in short slices; false when cancelled. */
static bool post_wait(long ms, const _Atomic int *cancel)
{
	while (ms > 0) {
		if (cancel && *cancel)
			return false;
		long slice = ms < 100 ? ms : 100;
		struct timespec ts = {.tv_sec = 0, .tv_nsec = slice * 1000000L};
		nanosleep(&ts, NULL);
		ms -= slice;
	}
	return !(cancel && *cancel);
}

/* A short, printable piece of a remote answer for an error line. */
static void remote_words(const http_response *r, char *out, size_t outsz)
{
	sanitize_text(out, outsz, r->body ? r->body : "", r->body ? r->body_len : 0);
}

/*
 * Send one request, waiting out 429s whose Retry-After is short enough. Fills out's status,
 * attempts and retry_after_s, and *resp (the caller frees it). Returns the transport result;
 * out->error is set for a transport failure (without the URL) or a 429 not waited out.
 */
static http_err post_send(http_client *c, const post_opts *o, const char *url, const char *service,
			  const http_send *req, post_result *out, http_response *resp)
{
	http_opts ho = {.connect_timeout_ms =
			    o && o->connect_timeout_ms ? o->connect_timeout_ms : 3000,
			.timeout_ms = o && o->timeout_ms ? o->timeout_ms : 10000,
			.cacert = o ? o->cacert : NULL,
			.cancel = o ? o->cancel : NULL};
	long max_wait = o && o->max_wait_s ? o->max_wait_s : 30;
	int max_attempts = o && o->max_attempts ? o->max_attempts : 3;
	for (;;) {
		out->attempts++;
		http_err e = http_request(c, url, &ho, req, resp);
		out->status = resp->status;
		if (e != HTTP_OK) {
			char host[96] = "";
			const char *p = strstr(url, "://");
			if (p) {
				p += 3;
				const char *at = strchr(p, '@');
				if (at && at < p + strcspn(p, "/?#"))
					p = at + 1; /* never the user part */
				size_t n = strcspn(p, "/?#");
				snprintf(host, sizeof host, "%.*s", (int)(n < 80 ? n : 80), p);
			}
			/* http's own line names only the host, except for a bad URL: say ours. */
			if (e == HTTP_ERR_BAD_URL)
				snprintf(
				    out->error, sizeof out->error,
				    "%s: the URL is not a valid http(s) URL: check the setting",
				    service);
			else if (e == HTTP_ERR_TIMEOUT)
				snprintf(
				    out->error, sizeof out->error,
				    "%s did not answer in time (%s): the post may or may not have "
				    "arrived; check before sending again",
				    service, host);
			else
				snprintf(out->error, sizeof out->error, "%s: %s", service,
					 resp->error);
			return e;
		}
		if (resp->status != 429)
			return e;
		opt_int ra = common_parse_uint(http_response_header(resp, "Retry-After"));
		out->retry_after_s = ra.known ? (long)ra.v : 0;
		long wait_s = ra.known ? (long)ra.v : 1;
		if (out->attempts >= max_attempts || wait_s > max_wait) {
			snprintf(out->error, sizeof out->error,
				 "%s is limiting posts (HTTP 429): not sent; try again in %ld s",
				 service, wait_s);
			return e;
		}
		http_response_free(resp);
		if (!post_wait(wait_s * 1000, ho.cancel)) {
			snprintf(out->error, sizeof out->error,
				 "%s post cancelled while waiting out its rate limit", service);
			memset(resp, 0, sizeof *resp);
			return HTTP_ERR_CANCELLED;
		}
	}
}

/* Make sure no secret reached the error line (a last guard; the lines above never hold one). */
static void scrub(post_result *out, const char *secret)
{
	if (secret && strlen(secret) >= 8 && strstr(out->error, secret))
		snprintf(out->error, sizeof out->error,
			 "the post failed; the details held a secret and are not shown");
}

/* Post text to a Slack incoming webhook. */
int post_slack(http_client *c, const post_opts *o, const char *webhook_url, const char *text,
	       post_result *out)
{
	memset(out, 0, sizeof *out);
	if (!webhook_url || !*webhook_url) {
		snprintf(out->error, sizeof out->error,
			 "no Slack webhook: set " POST_ENV_SLACK_WEBHOOK " or slack_webhook_file");
		return -1;
	}
	json_t *j = json_pack("{s:s}", "text", text ? text : "");
	char *body = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!body) {
		snprintf(out->error, sizeof out->error,
			 "the Slack message is not valid UTF-8 text: not sent");
		return -1;
	}
	http_send req = {.method = "POST",
			 .body = body,
			 .body_len = strlen(body),
			 .content_type = "application/json; charset=utf-8"};
	http_response resp;
	http_err e = post_send(c, o, webhook_url, "Slack", &req, out, &resp);
	free(body);
	if (e == HTTP_OK && resp.status >= 200 && resp.status < 300) {
		out->ok = true;
	} else if (e == HTTP_OK && resp.status != 429) {
		char said[80];
		remote_words(&resp, said, sizeof said);
		const char *hint = resp.status >= 500 ? "Slack is failing; try again in a minute"
				   : resp.status == 404 || resp.status == 403 || resp.status == 410
				       ? "check the webhook URL and that its channel still exists"
				       : "the message was refused; check its text";
		snprintf(out->error, sizeof out->error, "Slack answered HTTP %ld%s%s: %s",
			 resp.status, *said ? " " : "", said, hint);
	}
	http_response_free(&resp);
	scrub(out, webhook_url);
	return out->ok ? 0 : -1;
}

/* Whether s is 1 to 63 letters and digits (a page or incident id that is safe in a path). */
static bool id_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 63)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]))
			return false;
	return true;
}

/* The Statuspage impact for a severity. */
const char *post_statuspage_impact(int severity)
{
	switch (severity) {
	case 2:
		return "major";
	case 3:
		return "minor";
	case 4:
		return "none";
	default:
		return "critical";
	}
}

/* The request body of a Statuspage create or update. */
static char *statuspage_body(const post_statuspage_req *r)
{
	json_t *inc = json_object();
	if (r->name && *r->name)
		json_object_set_new(inc, "name", json_string(r->name));
	if (r->status)
		json_object_set_new(inc, "status", json_string(r->status));
	if (r->body)
		json_object_set_new(inc, "body", json_string(r->body));
	if (r->impact && *r->impact)
		json_object_set_new(inc, "impact_override", json_string(r->impact));
	json_object_set_new(inc, "deliver_notifications", json_true());
	json_t *j = json_pack("{s:o}", "incident", inc);
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	return s;
}

/* Read the incident's id and shortlink from a Statuspage answer; false when it has no id. */
static bool statuspage_answer(const http_response *resp, post_result *out)
{
	json_t *j = resp->body ? json_loadb(resp->body, resp->body_len, 0, NULL) : NULL;
	const char *id = json_string_value(json_object_get(j, "id"));
	const char *link = json_string_value(json_object_get(j, "shortlink"));
	bool ok = id_ok(id);
	if (ok)
		common_strlcpy(out->incident_id, id, sizeof out->incident_id);
	if (link)
		sanitize_str(out->shortlink, sizeof out->shortlink, link);
	json_decref(j);
	return ok;
}

/* Create or update a Statuspage incident. */
int post_statuspage(http_client *c, const post_opts *o, const post_statuspage_req *r,
		    post_result *out)
{
	memset(out, 0, sizeof *out);
	if (!r->api_key || !*r->api_key) {
		snprintf(out->error, sizeof out->error,
			 "no Statuspage API key: set " POST_ENV_STATUSPAGE_KEY
			 " or statuspage_api_key_file");
		return -1;
	}
	if (!id_ok(r->page_id)) {
		snprintf(out->error, sizeof out->error,
			 "statuspage_page_id must be the page's id (letters and digits, from its "
			 "API page)");
		return -1;
	}
	bool update = r->incident_id && *r->incident_id;
	if (update && !id_ok(r->incident_id)) {
		snprintf(out->error, sizeof out->error,
			 "the Statuspage incident id is not letters and digits: not sent");
		return -1;
	}
	const char *base =
	    r->api_base && *r->api_base ? r->api_base : CONFIG_DEFAULT_STATUSPAGE_API;
	size_t bl = strlen(base);
	while (bl && base[bl - 1] == '/')
		bl--;
	char url[1024];
	snprintf(url, sizeof url, "%.*s/pages/%s/incidents%s%s", (int)(bl < 800 ? bl : 800), base,
		 r->page_id, update ? "/" : "", update ? r->incident_id : "");
	char *body = statuspage_body(r);
	if (!body) {
		snprintf(out->error, sizeof out->error,
			 "the status-page notice is not valid UTF-8 text: not sent");
		return -1;
	}
	char auth[POST_SECRET_MAX + 40];
	snprintf(auth, sizeof auth, "Authorization: OAuth %s", r->api_key);
	http_send req = {.method = update ? "PATCH" : "POST",
			 .body = body,
			 .body_len = strlen(body),
			 .content_type = "application/json",
			 .secret_header = auth};
	http_response resp;
	http_err e = post_send(c, o, url, "Statuspage", &req, out, &resp);
	explicit_bzero(auth, sizeof auth);
	free(body);
	if (e == HTTP_OK && resp.status >= 200 && resp.status < 300) {
		out->ok = statuspage_answer(&resp, out);
		if (!out->ok)
			snprintf(out->error, sizeof out->error,
				 "Statuspage answered HTTP %ld without an incident id: check "
				 "statuspage_api_base",
				 resp.status);
	} else if (e == HTTP_OK && resp.status != 429) {
		char said[80];
		remote_words(&resp, said, sizeof said);
		const char *hint =
		    resp.status == 401 || resp.status == 403 ? "check " POST_ENV_STATUSPAGE_KEY
							       " or statuspage_api_key_file"
		    : resp.status == 404 ? "check statuspage_page_id (and the incident id)"
		    : resp.status >= 500 ? "Statuspage is failing; try again in a minute"
					 : "the notice was refused; check its text";
		snprintf(out->error, sizeof out->error, "Statuspage answered HTTP %ld%s%s: %s",
			 resp.status, *said ? " " : "", said, hint);
	}
	if (!out->ok && update && !out->incident_id[0])
		common_strlcpy(out->incident_id, r->incident_id, sizeof out->incident_id);
	http_response_free(&resp);
	scrub(out, r->api_key);
	return out->ok ? 0 : -1;
}

/* Split a public notice into its first line (the title) and the rest (the body). */
const char *post_notice_split(const char *text, char *name, size_t namesz)
{
	if (!text)
		text = "";
	size_t n = strcspn(text, "\n");
	char line[512];
	snprintf(line, sizeof line, "%.*s", (int)(n < 500 ? n : 500), text);
	sanitize_str(name, namesz, line);
	const char *body = text + n;
	while (*body == '\n' || *body == '\r')
		body++;
	return body;
}
