/*
 * The incident's watch: board snapshot -> diagnosis -> leaf transitions -> the runner's pace.
 * One watch per running dashboard (or follower, or journal); it decides what the evidence
 * means over time, so the screens only draw its view. The pure readings it rests on
 * (readiness, staleness, pace, severity) are here too, for anyone who holds a snapshot.
 */
#ifndef HSR_WATCH_H
#define HSR_WATCH_H

#include "hsr/board.h"
#include "hsr/config.h"
#include "hsr/diagnose.h"
#include "hsr/evidence.h"
#include "hsr/runbook.h"
#include "hsr/runner.h"

/* How bad a leaf is, from the runbook's data (same order as the screens' severities). */
typedef enum {
	WATCH_LEVEL_OK = 0,
	WATCH_LEVEL_WARN,
	WATCH_LEVEL_CRIT,
	WATCH_LEVEL_UNKNOWN,
} watch_level;

/* Leaf ids fit in this (the contract ids are at most 20 bytes). */
#define WATCH_LEAF_ID_MAX 32
/* How many transitions the watch keeps (older ones are dropped, the count goes on). */
#define WATCH_TRANSITIONS 64

/* The diagnosis moved from one leaf to another. */
typedef struct {
	uint64_t n; /* 1 for the first transition of this watch, then 2, 3, ... */
	int64_t at_ms;
	char from[WATCH_LEAF_ID_MAX]; /* "unknown" before the first ready diagnosis */
	char to[WATCH_LEAF_ID_MAX];
} watch_transition;

/* What the watch saw last: the view the screens (and later the journal) read. */
typedef struct {
	evidence ev;
	diagnosis d;
	bool ready;	     /* watch_ready(&ev): the leaf can be believed */
	const char *leaf_id; /* the diagnosis' leaf, "unknown" when none */
	watch_level level;   /* watch_leaf_level(d.leaf) */
	bool fast;	     /* the pace the runner was last told (false before any) */
	int64_t last_2xx_ms; /* when our API call last answered 2xx in this run; 0 never */
	int64_t at_ms;	     /* the clock of the last watch_update */
} watch_view;

/* What changed in a watch_update: bit (1u << probe_id) per probe, and WATCH_NEW_LEAF. */
#define WATCH_NEW_LEAF (1u << PROBE_COUNT)

typedef struct watch watch;

/*
 * A watch over board b, diagnosing with rb and telling runner run the pace (run may be NULL:
 * the pace is then only recorded). cfg gives the intervals. NULL when out of memory.
 */
watch *watch_new(const config *cfg, const runbook *rb, board *b, runner *run);
void watch_free(watch *w);
/*
 * Take the board's news at now_ms: drain its wake pipe, snapshot, diagnose (at the first
 * update, then when it returns news: a request starting alone changes nothing the diagnosis
 * reads), note the last 2xx,
 * and once the diagnosis is ready tell the runner its pace and record a leaf transition.
 * Returns what changed: a bit per probe whose evidence changed (the API's when its back-off
 * changed too) and WATCH_NEW_LEAF when the believed leaf moved.
 */
unsigned watch_update(watch *w, int64_t now_ms);
/* What the watch saw last. */
const watch_view *watch_view_of(const watch *w);
/* How many transitions this watch has recorded in all. */
uint64_t watch_transition_count(const watch *w);
/*
 * The transition after *cursor (0 = from the start) into out, advancing *cursor; false when
 * there is none newer. A reader that fell more than WATCH_TRANSITIONS behind skips to the
 * oldest one kept (out->n says which it got).
 */
bool watch_transition_next(const watch *w, uint64_t *cursor, watch_transition *out);

/* Pure: whether the diagnosis can be believed: our API call and the status page published. */
bool watch_ready(const evidence *e);
/*
 * Pure: whether probe id's evidence is stale at now_ms: older than two of the intervals the
 * runner uses at this pace (fast or not). Not stale: never published, not asked, or the API
 * and usage probes while a 429 back-off holds them.
 */
bool watch_stale(const evidence *e, const config *cfg, bool fast, probe_id id, int64_t now_ms);
/* Pure: bit (1u << probe_id) per probe whose evidence is stale (watch_stale). */
unsigned watch_stale_mask(const evidence *e, const config *cfg, bool fast, int64_t now_ms);
/*
 * Pure, the runner's pace policy: whether the API probe takes the fast pace. Only a fault our
 * own API call shows (it is not answering 2xx) under a leaf about the token, scopes, rate
 * limits, HubSpot's servers or reachability, this host's network, or an outage:
 * token-invalid, missing-scopes, rate-limit-*, hubspot-server-error, hubspot-unreachable,
 * network-down, hubspot-outage. Healthy, unknown, app-unhealthy, hubspot-slow and any leaf a
 * custom runbook adds keep the normal pace.
 */
bool watch_pace_fast(const char *leaf_id, const ev_api *api);
/*
 * Pure: a leaf's level from the runbook's data: healthy is ok, unknown (or no leaf) unknown;
 * any other from its severity: SEV-1, SEV-2 (P1, P2) crit, SEV-3..SEV-5 (P3, P4) warn
 * (passing or partial: the integration still works, late or slow), anything else crit (when
 * unsure, the higher).
 */
watch_level watch_leaf_level(const rb_leaf *leaf);
/* "ok", "warn", "crit", "unknown". */
const char *watch_level_name(watch_level l);

#endif
