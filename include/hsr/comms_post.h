/*
 * Posting a message without blocking the screen: one post at a time runs on a thread of its
 * own (src/post.c does the HTTP); the UI asks comms_post_poll() until it is done. The thread
 * shares nothing with the rest while it runs: it works on its own copies and hands the result
 * over once, after it has ended.
 */
#ifndef HSR_COMMS_POST_H
#define HSR_COMMS_POST_H

#include "hsr/config.h"
#include "hsr/message.h"
#include "hsr/post.h"

typedef struct comms_post comms_post;

/* Where a message goes, and what it needs (secrets never leave this struct but to post.c). */
typedef struct {
	bool ready; /* configured: the target can be posted to */
	char
	    target[160]; /* for the confirmation: "Slack incoming webhook", "Statuspage page abc" */
	char why[300];	 /* when not ready: what to configure, in one line */
} comms_post_target;

/* Whether kind can be posted with cfg (secrets read from the environment or their files). */
void comms_post_target_of(const config *cfg, message_kind kind, comms_post_target *out);
/*
 * Start posting text of kind (status and severity for Statuspage; statuspage_id "" creates the
 * incident). NULL with a one-line reason in err when it cannot start (not configured, a
 * secret file refused, out of memory).
 */
comms_post *comms_post_start(const config *cfg, message_kind kind, const char *text,
			     const char *status, int severity, const char *statuspage_id, char *err,
			     size_t errsz);
/* Whether it has ended; then out holds the result (the thread is joined). */
bool comms_post_poll(comms_post *p, post_result *out);
/* Its kind. */
message_kind comms_post_kind(const comms_post *p);
/* Its text (as posted). */
const char *comms_post_text(const comms_post *p);
/* Stop waiting (a Retry-After or a slow service), join and free. NULL is fine. */
void comms_post_free(comms_post *p);

#endif
