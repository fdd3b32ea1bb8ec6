/* The check a public status-page notice passes before it leaves: nothing internal, no blame. */
#ifndef HSR_NOTICE_H
#define HSR_NOTICE_H

#include "hsr/common.h"
#include "hsr/config.h"

#define NOTICE_HOSTS_MAX 8

typedef enum {
	NOTICE_TOKEN,	    /* the access token, or text shaped like a HubSpot token */
	NOTICE_CORRELATION, /* a UUID-like id */
	NOTICE_HOST,	    /* a host name from our configuration */
	NOTICE_STACK,	    /* stack-trace-like text */
	NOTICE_BLAME,	    /* a blame word */
} notice_kind;

/* One thing found: what and where (1-based line and character column), and a line for a person. */
typedef struct {
	notice_kind kind;
	int line, col;
	char message[200];
} notice_problem;

/* What the notice must not carry: the token and our configured host names. */
typedef struct {
	const char *token; /* NULL or "" = none configured */
	char hosts[NOTICE_HOSTS_MAX][256];
	size_t n_hosts;
} notice_secrets;

/* The host names of the api base, the health URL and the status URL of c, and its token. */
void notice_secrets_from_config(const config *c, notice_secrets *out);
/*
 * Pure: check text. Fills up to max problems (in text order) and returns how many there are in
 * all (0 = the notice may leave). Each message is one line: "LINE:COL: what; what to do", and
 * never repeats the token.
 */
size_t notice_check(const char *text, const notice_secrets *s, notice_problem *out, size_t max);

#endif
