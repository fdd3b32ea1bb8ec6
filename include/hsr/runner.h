/* Probe threads: one per probe, each with its own HTTP client, publishing to the board. */
#ifndef HSR_RUNNER_H
#define HSR_RUNNER_H

#include "hsr/board.h"
#include "hsr/config.h"
#include "hsr/probe.h"

typedef struct runner runner;

/*
 * Start one thread per probe. once = true: each probe runs a single time (triage);
 * otherwise each repeats on its interval until runner_stop.
 */
runner *runner_start(const config *cfg, board *b, bool once);
/* Ask every probe now; the API back-off after a 429 still holds. */
void runner_kick(runner *r);
/* While the diagnosis is not healthy the API probe uses the shorter interval. */
void runner_set_unhealthy(runner *r, bool unhealthy);
/* Forget the API back-off (the demo switched scenario: a new world); the API probe asks now. */
void runner_clear_backoff(runner *r);
/*
 * The operator's "probe once anyway" (R): ask the API once even while a DAILY back-off holds
 * (after HubSpot raised the limit, nobody could confirm it otherwise). Spends one call and may
 * get another 429, which sets the back-off again. A burst back-off (seconds) is not bypassed.
 * Returns true when the request was asked for; false with a one-line reason in why otherwise.
 */
bool runner_probe_api_anyway(runner *r, char *why, size_t whysz);
/*
 * Pure: whether probe id's evidence turned worse from before to after (each the probe's own
 * evidence struct: ev_status, ev_api, ev_usage or ev_health). Worse: an answer that stopped
 * coming, a 2xx that became an error, a health state, status indicator, incident or broken
 * component count that rose, a 2xx (API, or the health endpoint's HubSpot latency) that turned
 * slower than slow_ms, the daily budget or usage figures that became spent or untrusted.
 * Nothing before (never probed, not asked, cancelled) or nothing after is not worse.
 */
bool runner_turned_worse(probe_id id, const void *before, const void *after, long slow_ms);

/* At most this many "turned worse" asks an hour (on top of one per interval_api_unhealthy). */
#define RUNNER_WORSE_ASKS_PER_HOUR 20

/* The budget of "turned worse" asks: spacing and an hourly cap (see runner_worse_next). */
typedef struct {
	int64_t last_ms; /* monotonic time of the last ask (may lie ahead: deferred), 0 none */
	int64_t hour_start_ms; /* monotonic start of the current hour */
	int n_in_hour;	       /* asks since hour_start_ms */
} runner_worse_budget;

/*
 * Pure: a probe turned worse at now_mono_ms; when should the API and status probes ask?
 * Returns now_mono_ms (at once), a later time when the last such ask was less than spacing_ms
 * ago (deferred, so a failure is still confirmed within spacing_ms), or 0 for no ask: one is
 * already planned, or RUNNER_WORSE_ASKS_PER_HOUR were spent this hour. A planned ask is counted.
 */
int64_t runner_worse_next(runner_worse_budget *bud, int64_t now_mono_ms, int64_t spacing_ms);
/* Wait until every probe has published once or deadline_mono_ms passes; true when all did. */
bool runner_wait_all(runner *r, board *b, int64_t deadline_mono_ms);
/* Cancel requests in flight, stop and join the threads (at most ~1 s), free. */
void runner_stop(runner *r);
/* Pure: milliseconds between two requests of probe id, healthy or not. */
int64_t runner_interval_ms(const config *c, probe_id id, bool unhealthy);
/*
 * Pure: when may the API probe ask again after this evidence? Returns wall-clock ms, or 0
 * when there is no back-off. A burst 429 waits for Retry-After, else the window. A DAILY 429
 * (or daily remaining 0, or a 429 without a policy while usage says the day is used up:
 * ratelimit_daily_spent) waits for the daily reset: usage's resetsAt when HubSpot told us,
 * else the account's midnight when its UTC offset is known, else at most an hour (then asks
 * again), and never less than Retry-After. usage may be NULL. reason gets a short text.
 */
int64_t runner_backoff_until(const ev_api *api, const ev_usage *usage, int64_t now_ms,
			     const config *cfg, char *reason, size_t reasonsz);

#endif
