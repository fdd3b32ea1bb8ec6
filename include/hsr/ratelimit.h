/* Rate-limit arithmetic for the dashboard: daily reset, burn-rate projection, fractions. Pure. */
#ifndef HSR_RATELIMIT_H
#define HSR_RATELIMIT_H

#include "hsr/config.h"
#include "hsr/evidence.h"

#define RATELIMIT_DAY_MS 86400000LL
/* Samples must span at least this long before a burn rate is worth projecting. */
#define RATELIMIT_MIN_SPAN_MS 30000LL

typedef enum {
	RATELIMIT_BURN_UNKNOWN = 0, /* too few usable samples since the last reset */
	RATELIMIT_BURN_NONE,	    /* no decline, or it would not run out before the reset */
	RATELIMIT_BURN_EXHAUSTS,    /* at this rate it runs out at exhaust_ms, before the reset */
	RATELIMIT_BURN_EXHAUSTED,   /* the newest sample says nothing is left */
} ratelimit_burn_kind;

typedef struct {
	ratelimit_burn_kind kind;
	double per_min;	    /* calls per minute being spent (>= 0); 0 when unknown */
	int64_t exhaust_ms; /* RATELIMIT_BURN_EXHAUSTS: wall clock when nothing would be left */
	int64_t reset_ms;   /* the next daily reset as given, 0 when unknown */
	int n_used;	    /* samples the projection rests on */
} ratelimit_burn;

typedef enum {
	RATELIMIT_DAILY_UNKNOWN = 0, /* no answer yet, or the headers were not sent */
	RATELIMIT_DAILY_NONE,	     /* 2xx with window headers but no daily ones: OAuth */
	RATELIMIT_DAILY_KNOWN,	     /* daily and daily-remaining both known */
} ratelimit_daily_kind;

/*
 * The next daily reset strictly after now_ms: midnight in the account's time zone, which is
 * UTC plus utc_offset_min minutes (clamped to +-24 h). The one place the daily boundary is
 * computed: everything that needs "today" or "the reset" asks here.
 */
int64_t ratelimit_next_reset_ms(int64_t now_ms, long utc_offset_min);
/* Where the daily reset the dashboard shows and projects against comes from. */
typedef enum {
	RATELIMIT_RESET_UNKNOWN = 0, /* no resetsAt, no utc_offset: "the account's midnight" */
	RATELIMIT_RESET_HUBSPOT,     /* HubSpot's own resetsAt from the usage endpoint */
	RATELIMIT_RESET_MIDNIGHT,    /* the account's midnight from the configured utc_offset */
} ratelimit_reset_source;

/*
 * The next daily reset: HubSpot's resetsAt when the usage figures are trusted
 * (evidence_usage_trusted) and it lies ahead, at most two days away; else the account's
 * midnight when cfg->utc_offset_set; else 0, unknown (never UTC midnight by guess). src may
 * be NULL.
 */
int64_t ratelimit_reset_hint(const ev_usage *u, const config *cfg, int64_t now_ms,
			     ratelimit_reset_source *src);
/*
 * Project when the daily budget runs out from daily-remaining samples (oldest first) against
 * the next reset reset_ms (0 unknown). Only the newest run of samples since the last reset
 * (a day before reset_ms) is used: a rise (a reset, a new limit) or a sample before the reset
 * ends the run; samples with negative values or times are skipped. With the reset unknown,
 * only a rise ends the run, and a run-out more than a day away (surely after the reset) is
 * not one.
 */
void ratelimit_project(const daily_sample *s, int n, int64_t now_ms, int64_t reset_ms,
		       ratelimit_burn *out);
/*
 * Whether the daily decline the burn rate rests on (its last burn->n_used samples) is no
 * more than the API calls our own probes made in this run: the burn may be ours alone.
 */
bool ratelimit_burn_ours(const evidence *e, const ratelimit_burn *burn);
/* remaining / max clamped to [0, 1]; false when either is unknown, negative, or max is 0. */
bool ratelimit_fraction(opt_int remaining, opt_int max, double *out);
/* What the API evidence says about the daily budget. */
ratelimit_daily_kind ratelimit_daily(const ev_api *api);
/* Whether the usage endpoint gave figures to believe: a 2xx, trusted fetchStatus, a limit > 0. */
bool ratelimit_usage_figures(const ev_usage *u);
/* Whether the usage endpoint says the day's allowance is spent (usage >= limit). */
bool ratelimit_usage_exhausted(const ev_usage *u);
/*
 * The one rule for "the daily allowance is spent", shared by the predicates and the runner's
 * back-off: a 429 DAILY; daily remaining 0; or a 429 without a policyName (and without the
 * daily headers) while the usage endpoint says the day is used up. usage may be NULL.
 */
bool ratelimit_daily_spent(const ev_api *api, const ev_usage *usage);
/* Whole seconds left until until_ms, rounded up; 0 when none (0) or already passed. */
long ratelimit_countdown_s(int64_t until_ms, int64_t now_ms);

#endif
