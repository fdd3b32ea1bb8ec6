/* Probe threads: one per probe, each with its own HTTP client, publishing to the board. */
#ifndef HSR_RUNNER_H
#define HSR_RUNNER_H

#include "hsr/board.h"
#include "hsr/config.h"

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
/* Wait until every probe has published once or deadline_mono_ms passes; true when all did. */
bool runner_wait_all(runner *r, board *b, int64_t deadline_mono_ms);
/* Cancel requests in flight, stop and join the threads (at most ~1 s), free. */
void runner_stop(runner *r);
/* Pure: milliseconds between two requests of probe id, healthy or not. */
int64_t runner_interval_ms(const config *c, probe_id id, bool unhealthy);
/*
 * Pure: when may the API probe ask again after this evidence? Returns wall-clock ms, or 0
 * when there is no back-off. Honours Retry-After, else the window, else (DAILY) the
 * account's midnight given utc_offset_min. reason gets a short text.
 */
int64_t runner_backoff_until(const ev_api *api, int64_t now_ms, long utc_offset_min, char *reason,
			     size_t reasonsz);

#endif
