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

#endif
