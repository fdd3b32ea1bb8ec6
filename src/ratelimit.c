/* Rate-limit arithmetic: the account's daily reset, burn-rate projection, gauge fractions. */
#include "hsr/ratelimit.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Floor division for possibly negative millisecond values. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* The next midnight in the account's zone after now_ms. */
int64_t ratelimit_next_reset_ms(int64_t now_ms, long utc_offset_min)
{
	if (utc_offset_min > 24 * 60)
		utc_offset_min = 24 * 60;
	if (utc_offset_min < -24 * 60)
		utc_offset_min = -24 * 60;
	int64_t off = (int64_t)utc_offset_min * 60000;
	int64_t local = now_ms + off;
	int64_t day = floor_div(local, RATELIMIT_DAY_MS);
	return (day + 1) * RATELIMIT_DAY_MS - off;
}

/* Whether a sample can take part in a projection at all. */
static bool sample_usable(const daily_sample *s, int64_t now_ms)
{
	/* A minute of clock skew between the probe's stamp and ours is tolerated. */
	return s->at_ms > 0 && s->remaining >= 0 && s->at_ms <= now_ms + 60000;
}

/* Least-squares burn of the run s[first..last] (usable samples only), in calls per ms. */
static double burn_per_ms(const daily_sample *s, const int *idx, int m)
{
	double mt = 0, mv = 0;
	for (int i = 0; i < m; i++) {
		mt += (double)(s[idx[i]].at_ms - s[idx[0]].at_ms);
		mv += (double)s[idx[i]].remaining;
	}
	mt /= m;
	mv /= m;
	double sxy = 0, sxx = 0;
	for (int i = 0; i < m; i++) {
		double dt = (double)(s[idx[i]].at_ms - s[idx[0]].at_ms) - mt;
		double dv = (double)s[idx[i]].remaining - mv;
		sxy += dt * dv;
		sxx += dt * dt;
	}
	if (sxx <= 0)
		return 0;
	return -sxy / sxx;
}

/* The next daily reset from HubSpot's word, else the configured offset, else unknown. */
int64_t ratelimit_reset_hint(const ev_usage *u, const config *cfg, int64_t now_ms,
			     ratelimit_reset_source *src)
{
	ratelimit_reset_source dummy;
	if (!src)
		src = &dummy;
	if (u && u->resets_at_ms > now_ms && u->resets_at_ms - now_ms <= 2 * RATELIMIT_DAY_MS &&
	    evidence_usage_trusted(u->fetch_status)) {
		*src = RATELIMIT_RESET_HUBSPOT;
		return u->resets_at_ms;
	}
	if (cfg && cfg->utc_offset_set) {
		*src = RATELIMIT_RESET_MIDNIGHT;
		return ratelimit_next_reset_ms(now_ms, cfg->utc_offset_min);
	}
	*src = RATELIMIT_RESET_UNKNOWN;
	return 0;
}

/* Burn-rate projection from the newest monotone run of samples since the last reset. */
void ratelimit_project(const daily_sample *s, int n, int64_t now_ms, int64_t reset_ms,
		       ratelimit_burn *out)
{
	memset(out, 0, sizeof *out);
	out->kind = RATELIMIT_BURN_UNKNOWN;
	if (reset_ms <= now_ms)
		reset_ms = 0; /* a reset in the past tells nothing about the next one */
	out->reset_ms = reset_ms;
	/* Unknown reset: no sample is known to be from before it (a reset shows as a rise),
	 * and it is at most a day away. */
	int64_t last_reset = reset_ms ? reset_ms - RATELIMIT_DAY_MS : INT64_MIN;
	int64_t bound = reset_ms ? reset_ms : now_ms + RATELIMIT_DAY_MS;
	if (!s || n <= 0)
		return;

	/* Walk back from the newest usable sample while time falls and remaining rises. */
	int idx[BOARD_DAILY_SAMPLES];
	int m = 0;
	const daily_sample *prev = NULL;
	for (int i = n - 1; i >= 0; i--) {
		const daily_sample *c = &s[i];
		if (!sample_usable(c, now_ms))
			continue;
		if (c->at_ms < last_reset)
			break;
		if (prev && (c->at_ms >= prev->at_ms || c->remaining < prev->remaining))
			break;
		if (m == BOARD_DAILY_SAMPLES)
			break;
		idx[m++] = i;
		prev = c;
	}
	if (m == 0)
		return;
	/* idx is newest first; turn it oldest first. */
	for (int i = 0; i < m / 2; i++) {
		int t = idx[i];
		idx[i] = idx[m - 1 - i];
		idx[m - 1 - i] = t;
	}
	out->n_used = m;
	const daily_sample *newest = &s[idx[m - 1]];
	if (newest->remaining == 0) {
		out->kind = RATELIMIT_BURN_EXHAUSTED;
		out->exhaust_ms = newest->at_ms;
		return;
	}
	if (m < 2 || newest->at_ms - s[idx[0]].at_ms < RATELIMIT_MIN_SPAN_MS)
		return;

	double burn = burn_per_ms(s, idx, m);
	if (!(burn > 0) || !isfinite(burn)) {
		out->kind = RATELIMIT_BURN_NONE;
		return;
	}
	out->per_min = burn * 60000.0;
	double at = (double)newest->at_ms + (double)newest->remaining / burn;
	if (!(at < (double)bound)) {
		out->kind = RATELIMIT_BURN_NONE;
		return;
	}
	out->kind = RATELIMIT_BURN_EXHAUSTS;
	out->exhaust_ms = (int64_t)at;
	if (out->exhaust_ms < now_ms)
		out->exhaust_ms = now_ms;
}

/* remaining of max as a fraction for gauges. */
bool ratelimit_fraction(opt_int remaining, opt_int max, double *out)
{
	if (!remaining.known || !max.known || remaining.v < 0 || max.v <= 0)
		return false;
	double f = (double)remaining.v / (double)max.v;
	*out = f > 1.0 ? 1.0 : f;
	return true;
}

/* Classify the daily budget: known, absent on an OAuth 2xx, or unknown. */
ratelimit_daily_kind ratelimit_daily(const ev_api *api)
{
	if (api->rl_daily.known && api->rl_daily_remaining.known)
		return RATELIMIT_DAILY_KNOWN;
	/* OAuth answers carry the window headers but never the daily ones; no headers at all
	 * means HubSpot did not gather them, which is unknown. */
	if (evidence_answered_2xx(&api->f) && !api->rl_daily.known &&
	    !api->rl_daily_remaining.known && (api->rl_max.known || api->rl_remaining.known))
		return RATELIMIT_DAILY_NONE;
	return RATELIMIT_DAILY_UNKNOWN;
}

/* Whether the usage endpoint gave figures to believe. */
bool ratelimit_usage_figures(const ev_usage *u)
{
	return evidence_answered_2xx(&u->f) && evidence_usage_trusted(u->fetch_status) &&
	       u->usage_limit.known && u->current_usage.known && u->usage_limit.v > 0;
}

/* Whether the usage endpoint says the day's allowance is spent. */
bool ratelimit_usage_exhausted(const ev_usage *u)
{
	return ratelimit_usage_figures(u) && u->current_usage.v >= u->usage_limit.v;
}

/* The daily allowance is spent: 429 DAILY, 0 calls left today, or (429, no policy) usage full. */
bool ratelimit_daily_spent(const ev_api *a, const ev_usage *usage)
{
	bool is429 = a->f.http_status == 429;
	if (is429 && strcmp(a->policy_name, "DAILY") == 0)
		return true;
	if (a->rl_daily_remaining.known && a->rl_daily_remaining.v == 0)
		return true;
	return is429 && !a->policy_name[0] && !a->rl_daily_remaining.known && usage &&
	       ratelimit_usage_exhausted(usage);
}

/* Seconds left, rounded up, for a countdown. */
long ratelimit_countdown_s(int64_t until_ms, int64_t now_ms)
{
	if (until_ms <= 0 || until_ms <= now_ms)
		return 0;
	return (long)((until_ms - now_ms + 999) / 1000);
}

/* The burn rate may be ours alone: the decline it rests on is within our own calls. */
bool ratelimit_burn_ours(const evidence *e, const ratelimit_burn *burn)
{
	if (burn->n_used < 2 || burn->n_used > e->n_daily)
		return false;
	long long first = e->daily[e->n_daily - burn->n_used].remaining;
	long long last = e->daily[e->n_daily - 1].remaining;
	if (first < 0 || last < 0)
		return false;
	return first - last <= (long long)e->api_requests;
}
