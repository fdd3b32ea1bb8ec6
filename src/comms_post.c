/* A message posted on a thread of its own, so the screen keeps answering. */
#include "hsr/comms_post.h"

#include "hsr/comms.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct comms_post {
	message_kind kind;
	char *text;
	char secret[POST_SECRET_MAX]; /* the webhook URL or the API key: wiped when freed */
	char page_id[64], api_base[512], cacert[512];
	char status[16], statuspage_id[64];
	int severity;
	long connect_timeout_ms, timeout_ms;
	_Atomic int cancel;
	_Atomic int done;
	bool joined;
	post_result result;
	pthread_t th;
};

/* The secret kind needs: the webhook URL or the Statuspage key; 0, 1 not configured, -1. */
static int secret_of(const config *cfg, message_kind kind, char *out, size_t outsz, char *err,
		     size_t errsz)
{
	if (kind == MESSAGE_SLACK)
		return post_secret(POST_ENV_SLACK_WEBHOOK, cfg->slack_webhook_file,
				   "the Slack webhook URL", out, outsz, err, errsz);
	if (kind == MESSAGE_STATUSPAGE)
		return post_secret(POST_ENV_STATUSPAGE_KEY, cfg->statuspage_api_key_file,
				   "the Statuspage API key", out, outsz, err, errsz);
	snprintf(err, errsz, "the postmortem is saved, not posted: y saves it");
	return -1;
}

/* Whether kind can be posted, and to what; its secret into secret (wiped by the caller). */
static void target_and_secret(const config *cfg, message_kind kind, char *secret, size_t secretsz,
			      comms_post_target *out)
{
	memset(out, 0, sizeof *out);
	int rc = secret_of(cfg, kind, secret, secretsz, out->why, sizeof out->why);
	if (rc < 0)
		return;
	if (rc == 1) {
		snprintf(out->why, sizeof out->why,
			 kind == MESSAGE_SLACK
			     ? "Slack is not configured: set HSR_SLACK_WEBHOOK_URL or "
			       "slack_webhook_file (y copies and saves it)"
			     : "Statuspage is not configured: set statuspage_page_id and "
			       "HSR_STATUSPAGE_API_KEY or statuspage_api_key_file (y copies it)");
		return;
	}
	if (kind == MESSAGE_STATUSPAGE && !cfg->statuspage_page_id[0]) {
		snprintf(out->why, sizeof out->why,
			 "Statuspage has a key but no page: set statuspage_page_id");
		return;
	}
	out->ready = true;
	if (kind == MESSAGE_SLACK)
		snprintf(out->target, sizeof out->target, "the Slack incoming webhook");
	else
		snprintf(out->target, sizeof out->target, "Statuspage page %s",
			 cfg->statuspage_page_id);
}

/* Whether kind can be posted, and to what. */
void comms_post_target_of(const config *cfg, message_kind kind, comms_post_target *out)
{
	char secret[POST_SECRET_MAX];
	target_and_secret(cfg, kind, secret, sizeof secret, out);
	memset(secret, 0, sizeof secret);
}

/* The thread: post, then say it is done. */
static void *comms_post_thread(void *arg)
{
	comms_post *p = arg;
	post_opts o = {.connect_timeout_ms = p->connect_timeout_ms,
		       .timeout_ms = p->timeout_ms,
		       .cacert = p->cacert[0] ? p->cacert : NULL,
		       .cancel = &p->cancel};
	http_client *c = http_client_new();
	if (!c) {
		snprintf(p->result.error, sizeof p->result.error, "out of memory: not posted");
	} else if (p->kind == MESSAGE_SLACK) {
		post_slack(c, &o, p->secret, p->text, &p->result);
	} else {
		char name[200];
		const char *body = post_notice_split(p->text, name, sizeof name);
		post_statuspage_req r = {.api_base = p->api_base[0] ? p->api_base : NULL,
					 .page_id = p->page_id,
					 .api_key = p->secret,
					 .incident_id = p->statuspage_id,
					 .name = name,
					 .status = p->status,
					 .body = body,
					 .impact = post_statuspage_impact(p->severity)};
		post_statuspage(c, &o, &r, &p->result);
	}
	http_client_free(c);
	atomic_store(&p->done, 1);
	return NULL;
}

/* Start the post on its own thread. */
comms_post *comms_post_start(const config *cfg, message_kind kind, const char *text,
			     const char *status, int severity, const char *statuspage_id, char *err,
			     size_t errsz)
{
	comms_post *p = calloc(1, sizeof *p);
	if (!p || !(p->text = strdup(text))) {
		free(p);
		snprintf(err, errsz, "out of memory: not posted");
		return NULL;
	}
	/* Not ready (not configured, a key without its page, a refused secret): say why. */
	comms_post_target t;
	target_and_secret(cfg, kind, p->secret, sizeof p->secret, &t);
	if (!t.ready) {
		snprintf(err, errsz, "%s", t.why);
		comms_post_free(p);
		return NULL;
	}
	p->kind = kind;
	p->severity = severity;
	common_strlcpy(p->page_id, cfg->statuspage_page_id, sizeof p->page_id);
	common_strlcpy(p->api_base, cfg->statuspage_api_base, sizeof p->api_base);
	common_strlcpy(p->cacert, cfg->cacert, sizeof p->cacert);
	common_strlcpy(p->status, status ? status : "investigating", sizeof p->status);
	common_strlcpy(p->statuspage_id, statuspage_id ? statuspage_id : "",
		       sizeof p->statuspage_id);
	p->connect_timeout_ms = cfg->connect_timeout_ms;
	p->timeout_ms = cfg->timeout_ms;
	if (pthread_create(&p->th, NULL, comms_post_thread, p) != 0) {
		snprintf(err, errsz, "cannot start the post (no thread): try again");
		p->joined = true;
		comms_post_free(p);
		return NULL;
	}
	return p;
}

/* Done yet? Then join and hand the result over. */
bool comms_post_poll(comms_post *p, post_result *out)
{
	if (!atomic_load(&p->done))
		return false;
	if (!p->joined) {
		pthread_join(p->th, NULL);
		p->joined = true;
	}
	*out = p->result;
	return true;
}

/* Which message it posts. */
message_kind comms_post_kind(const comms_post *p)
{
	return p->kind;
}

/* The text it posts (recorded with the result). */
const char *comms_post_text(const comms_post *p)
{
	return p->text;
}

/* Cancel, join, wipe and free. */
void comms_post_free(comms_post *p)
{
	if (!p)
		return;
	if (!p->joined && p->th) {
		atomic_store(&p->cancel, 1);
		pthread_join(p->th, NULL);
	}
	memset(p->secret, 0, sizeof p->secret);
	free(p->text);
	free(p);
}
