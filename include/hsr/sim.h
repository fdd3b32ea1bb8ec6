/* The embedded HubSpot simulator (libmicrohttpd on 127.0.0.1): status page, API, usage, health. */
#ifndef HSR_SIM_H
#define HSR_SIM_H

#include "hsr/common.h"

/* Paths the simulator serves under its base URL. */
#define SIM_STATUS_PATH "/api/v2/summary.json"
#define SIM_HEALTH_PATH "/health"

typedef struct sim sim;

typedef struct {
	char method[8];
	char path[160]; /* without the query */
	bool had_auth;	/* an Authorization header arrived */
} sim_request;

/* Scenario names, NULL-terminated: healthy, hubspot-outage, token-revoked, ... */
extern const char *const sim_scenarios[];
bool sim_scenario_exists(const char *name);

/* Start on 127.0.0.1:port (0 = ephemeral). NULL with a one-line reason on failure. */
sim *sim_start(const char *scenario, unsigned short port, char *err, size_t errsz);
unsigned short sim_port(const sim *s);
/* "http://127.0.0.1:PORT" */
const char *sim_base_url(const sim *s);
/* Switch scenario while running; -1 when the name is unknown. */
int sim_set_scenario(sim *s, const char *name);
/* Copy the current scenario's name. */
void sim_scenario(sim *s, char *out, size_t outsz);
/* Extra delay added before every answer. */
void sim_set_delay_ms(sim *s, long ms);
/* Copy up to max recorded requests (oldest first); returns how many were recorded in all. */
size_t sim_requests(sim *s, sim_request *out, size_t max);
void sim_stop(sim *s);

/*
 * Where the team's messages go, played on loopback: a Slack incoming webhook (POST {"text": …}
 * to any path under SIM_SLACK_PREFIX, answered "ok") and Statuspage's incidents API (POST
 * SIM_STATUSPAGE_PREFIX PAGE/incidents creates, PATCH …/incidents/ID updates; the header
 * "Authorization: OAuth KEY" is required). They answer in every scenario; only the post fault
 * below changes them. Each post is recorded with its body.
 */
#define SIM_SLACK_PREFIX      "/services"
#define SIM_STATUSPAGE_PREFIX "/v1/pages/"
#define SIM_POST_BODY_MAX     (64 * 1024)

typedef enum {
	SIM_POST_OK = 0, /* answer normally */
	SIM_POST_429,	 /* 429 with Retry-After */
	SIM_POST_500,	 /* 500 */
	SIM_POST_HANG,	 /* never answer (until the client gives up or the sim stops) */
} sim_post_fault;

/* One post the simulator received, and what it answered (status 0: no answer). */
typedef struct {
	char method[8];
	char path[160];
	char auth[160]; /* the Authorization header as received, "" = none */
	char content_type[80];
	unsigned status;
	size_t body_len;
	char body[SIM_POST_BODY_MAX + 1];
} sim_post;

/* The next count posts get fault (count < 0: every post until changed); a 429 carries
 * Retry-After: retry_after_s. Also POST /_sim/post-fault with "429 COUNT SECONDS", "500 COUNT",
 * "hang COUNT" or "ok". */
void sim_set_post_fault(sim *s, sim_post_fault fault, int count, long retry_after_s);
/* Copy up to max of the last posts (oldest first); returns how many were received in all. */
size_t sim_posts(sim *s, sim_post *out, size_t max);

#endif
