/* Posting the messages: a Slack incoming webhook and a Statuspage page. Blocking: run off the UI.
 */
#ifndef HSR_POST_H
#define HSR_POST_H

#include "hsr/common.h"
#include "hsr/http.h"

#define POST_ENV_SLACK_WEBHOOK	"HSR_SLACK_WEBHOOK_URL"
#define POST_ENV_STATUSPAGE_KEY "HSR_STATUSPAGE_API_KEY"
#define POST_SECRET_MAX		1024

/* How a post goes: time-outs, the CA bundle, and how long a 429's Retry-After is waited out. */
typedef struct {
	long connect_timeout_ms; /* 0 = 3000 */
	long timeout_ms;	 /* 0 = 10000 */
	const char *cacert;	 /* or NULL */
	long max_wait_s;	 /* a Retry-After up to this is waited out (0 = 30); longer fails */
	int max_attempts;	 /* 0 = 3 */
	const _Atomic int *cancel; /* set: stop waiting and abort */
} post_opts;

/* What came of a post. Nothing in it is ever a secret (no URL of the webhook, no key). */
typedef struct {
	bool ok;	      /* the service accepted it (2xx) */
	long status;	      /* the last HTTP status, 0 = no answer */
	int attempts;	      /* requests made (429s waited out count) */
	long retry_after_s;   /* the last 429's Retry-After, 0 = none */
	char error[240];      /* one line for a person when !ok, else "" */
	char incident_id[64]; /* Statuspage: the incident created or updated */
	char shortlink[256];  /* Statuspage: its public link, when it gave one */
} post_result;

/* A Statuspage post: the first (no incident_id) creates the incident, later ones update it. */
typedef struct {
	const char *api_base;	 /* NULL = CONFIG_DEFAULT_STATUSPAGE_API */
	const char *page_id;	 /* letters and digits */
	const char *api_key;	 /* sent as "Authorization: OAuth KEY" */
	const char *incident_id; /* NULL or "" = create */
	const char *name;	 /* the incident's title */
	const char *status;	 /* investigating / identified / monitoring / resolved */
	const char *body;	 /* the update's text */
	const char *impact;	 /* none / minor / major / critical, or NULL */
} post_statuspage_req;

/*
 * A secret for posting: the environment variable env when set and not empty, else the first
 * line of file (mode 0600, as the token file) when file is set. Returns 0, 1 when neither is
 * configured (out ""), or -1 with a one-line reason in err that never holds the secret.
 */
int post_secret(const char *env, const char *file, const char *what, char *out, size_t outsz,
		char *err, size_t errsz);
/* Post text to a Slack incoming webhook ({"text": …}); waits out a 429's Retry-After. */
int post_slack(http_client *c, const post_opts *o, const char *webhook_url, const char *text,
	       post_result *out);
/* Create or update a Statuspage incident; out->incident_id is the id to keep for the next. */
int post_statuspage(http_client *c, const post_opts *o, const post_statuspage_req *r,
		    post_result *out);
/* The Statuspage impact for a severity: P1 critical, P2 major, P3 minor, P4 none. */
const char *post_statuspage_impact(int severity);
/*
 * Split a rendered public notice into its title (the first line, into name) and its body (the
 * rest, returned: a pointer into text).
 */
const char *post_notice_split(const char *text, char *name, size_t namesz);

#endif
