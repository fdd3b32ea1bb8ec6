/* Probe threads: one per probe, each with its own HTTP client, waking on interval, kick or stop. */
#include "hsr/runner.h"

#include "hsr/log.h"
#include "hsr/ratelimit.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

/* Any probe's evidence. */
typedef union {
	fetch_info f; /* every evidence struct starts with its fetch_info */
	ev_status s;
	ev_api a;
	ev_usage u;
	ev_health h;
} ev_any;

typedef struct {
	struct runner *r;
	probe_id id;
	int efd; /* wakes this probe: kick, re-plan or stop */
	_Atomic int kicked;
	_Atomic int replan; /* the interval changed (healthy <-> not): plan from the last start */
	_Atomic int_least64_t ask_at; /* a deferred "turned worse" ask (monotonic), 0 none */
	_Atomic int_least64_t last_start_mono; /* read by other workers: is their news fresh? */
	evidence scratch;    /* a board snapshot, for the usage probe's reset time */
	ev_any last;	     /* what this probe published last, to see it turn worse */
	http_client *client; /* made before the thread starts, freed after it ends */
	pthread_t th;
	bool started;
} worker;

struct runner {
	config cfg; /* a private copy: the caller's may change */
	board *b;
	bool once;
	_Atomic int stop; /* also the cancel flag of requests in flight */
	_Atomic int unhealthy;
	_Atomic int_least64_t backoff_until_ms; /* wall clock, 0 = none */
	_Atomic int
	    daily_guess; /* a DAILY back-off rests on the 1-hour guess: usage may correct it */
	_Atomic int backoff_daily; /* the back-off waits for the daily reset (not a burst) */
	_Atomic int anyway;	   /* the operator asked the API once despite a DAILY back-off */
	pthread_mutex_t worse_mu;  /* guards worse */
	runner_worse_budget worse; /* "turned worse" asks spent */
	worker w[PROBE_COUNT];
};

/* Milliseconds between two requests of probe id (pure). */
int64_t runner_interval_ms(const config *c, probe_id id, bool unhealthy)
{
	long s = 60;
	switch (id) {
	case PROBE_STATUS:
		s = c->interval_status_s;
		break;
	case PROBE_API:
		s = unhealthy ? c->interval_api_unhealthy_s : c->interval_api_s;
		break;
	case PROBE_USAGE:
		s = unhealthy ? c->interval_usage_s : c->interval_usage_healthy_s;
		break;
	case PROBE_HEALTH:
		s = c->interval_health_s;
		break;
	case PROBE_COUNT:
		break;
	}
	return (int64_t)(s > 0 ? s : 60) * 1000;
}

/* The reason given when the daily reset time is not known yet (the usage probe may tell it). */
#define GUESS_REASON "daily limit spent; no utc_offset: asking again in 1 h"

/* When may the API probe ask again after this evidence? */
int64_t runner_backoff_until(const ev_api *api, const ev_usage *usage, int64_t now_ms,
			     const config *cfg, char *reason, size_t reasonsz)
{
	bool r429 = api->f.http_status == 429;
	bool daily = ratelimit_daily_spent(api, usage);
	int64_t reset_hint_ms = usage ? usage->resets_at_ms : 0;
	int64_t retry = 0;
	if (reasonsz)
		reason[0] = '\0';
	if (!r429 && !daily)
		return 0;
	if (r429 && api->retry_after_s.known) {
		long long s = api->retry_after_s.v;
		if (s > 86400LL * 2)
			s = 86400LL * 2;
		retry = now_ms + (s > 0 ? s : 1) * 1000;
	}
	if (daily) {
		int64_t until;
		if (reset_hint_ms > now_ms && reset_hint_ms - now_ms <= 2 * RATELIMIT_DAY_MS) {
			until = reset_hint_ms;
			snprintf(reason, reasonsz,
				 "daily limit spent: waiting for HubSpot's reset");
		} else if (cfg->utc_offset_set) {
			until = ratelimit_next_reset_ms(now_ms, cfg->utc_offset_min);
			snprintf(reason, reasonsz,
				 "daily limit spent: waiting for the account's midnight");
		} else {
			/* The account's time zone is unknown: look again in an hour, not at UTC
			 * midnight. */
			until = now_ms + 3600000;
			snprintf(reason, reasonsz, "%s", GUESS_REASON);
		}
		return until > retry ? until : retry;
	}
	if (retry) {
		snprintf(reason, reasonsz, "429: Retry-After %lld s", api->retry_after_s.v);
		return retry;
	}
	long long win = api->rl_interval_ms.known ? api->rl_interval_ms.v : 10000;
	if (win < 1000)
		win = 1000;
	if (win > 600000)
		win = 600000;
	snprintf(reason, reasonsz, "429 %s: waiting out the %lld s window",
		 api->policy_name[0] ? api->policy_name : "burst", win / 1000);
	return now_ms + win;
}

/* How a request went: 0 a 2xx, 1 another HTTP status, 2 no answer; -1 nothing to compare. */
static int fetch_rank(const fetch_info *f)
{
	switch (evidence_outcome_of(f)) {
	case EVIDENCE_ANSWERED:
		return evidence_answered_2xx(f) ? 0 : 1;
	case EVIDENCE_NO_ANSWER:
		return 2;
	default:
		return -1; /* pending, not asked, cancelled, a bad URL: nothing to compare */
	}
}

/* A status-page indicator as a rank: none 0, maintenance or minor 1, major 2, critical 3. */
static int indicator_rank(const char *ind)
{
	if (strcmp(ind, "critical") == 0)
		return 3;
	if (strcmp(ind, "major") == 0)
		return 2;
	if (strcmp(ind, "minor") == 0 || strcmp(ind, "maintenance") == 0)
		return 1;
	return 0; /* none, or unknown: no claim either way */
}

/* A health state as a rank; unknown says nothing and ranks with healthy. */
static int health_rank(health_state s)
{
	return s == HEALTH_UNHEALTHY ? 2 : s == HEALTH_DEGRADED ? 1 : 0;
}

/* Whether an optional figure went from above slow_ms-or-less to above it. */
static bool turned_slow(opt_int before, opt_int after, long slow_ms)
{
	return after.known && after.v > slow_ms && (!before.known || before.v <= slow_ms);
}

/* Whether the status page's own findings (both answered 2xx) got worse. */
static bool status_worse(const ev_status *a, const ev_status *b)
{
	return indicator_rank(b->indicator) > indicator_rank(a->indicator) ||
	       b->incidents_total > a->incidents_total ||
	       b->components_bad_total > a->components_bad_total ||
	       (b->api_component_degraded && !a->api_component_degraded);
}

/* Whether the API answer (both 2xx) got worse: slow, or the daily budget spent. */
static bool api_worse(const ev_api *a, const ev_api *b, long slow_ms)
{
	return (ratelimit_daily_spent(b, NULL) && !ratelimit_daily_spent(a, NULL)) ||
	       (evidence_slow_2xx(&b->f, slow_ms) && !evidence_slow_2xx(&a->f, slow_ms));
}

/* Whether the usage answer (both 2xx) got worse: figures no longer trusted, or all used. */
static bool usage_worse(const ev_usage *a, const ev_usage *b)
{
	bool trusted_a = evidence_usage_trusted(a->fetch_status);
	bool trusted_b = evidence_usage_trusted(b->fetch_status);
	if (trusted_a && !trusted_b)
		return true;
	bool used_up_a = a->usage_limit.known && a->current_usage.known &&
			 a->current_usage.v >= a->usage_limit.v;
	bool used_up_b = b->usage_limit.known && b->current_usage.known &&
			 b->current_usage.v >= b->usage_limit.v;
	return trusted_b && used_up_b && !used_up_a;
}

/* Whether the health answer (both with an HTTP answer) got worse. */
static bool health_worse(const ev_health *a, const ev_health *b, long slow_ms)
{
	return health_rank(b->state) > health_rank(a->state) ||
	       (b->hubspot_connected == 0 && a->hubspot_connected == 1) ||
	       turned_slow(a->hubspot_latency_ms, b->hubspot_latency_ms, slow_ms);
}

/* Whether probe id's evidence turned worse from before to after (pure). */
bool runner_turned_worse(probe_id id, const void *before, const void *after, long slow_ms)
{
	const fetch_info *fa = before, *fb = after; /* every evidence struct starts with these */
	int ra = fetch_rank(fa), rb = fetch_rank(fb);
	if (ra < 0 || rb < 0)
		return false;
	if (rb > ra)
		return true;
	if (rb == 2 || rb != ra)
		return false; /* still no answer, or better than before */
	switch (id) {
	case PROBE_STATUS:
		return rb == 0 && status_worse(before, after);
	case PROBE_API:
		return rb == 0 && api_worse(before, after, slow_ms);
	case PROBE_USAGE:
		return rb == 0 && usage_worse(before, after);
	case PROBE_HEALTH:
		return health_worse(before, after, slow_ms);
	case PROBE_COUNT:
		break;
	}
	return false;
}

/* When should the others ask after a probe turned worse? Counts the ask it plans (pure). */
int64_t runner_worse_next(runner_worse_budget *bud, int64_t now_mono_ms, int64_t spacing_ms)
{
	if (bud->last_ms > now_mono_ms)
		return 0; /* a deferred ask is already planned: it will see this too */
	int64_t at = now_mono_ms;
	if (bud->last_ms && bud->last_ms + spacing_ms > at)
		at = bud->last_ms + spacing_ms;
	if (!bud->hour_start_ms || at - bud->hour_start_ms >= 3600000) {
		bud->hour_start_ms = at;
		bud->n_in_hour = 0;
	}
	if (bud->n_in_hour >= RUNNER_WORSE_ASKS_PER_HOUR)
		return 0;
	bud->n_in_hour++;
	bud->last_ms = at;
	return at;
}

/* Wait until due (monotonic), a kick or stop; returns true when the probe should run now. */
static bool wait_turn(worker *w, int64_t *due_mono)
{
	runner *r = w->r;
	for (;;) {
		if (atomic_load(&r->stop))
			return false;
		/* The operator's "once anyway": the API probe asks now, through a DAILY back-off.
		 */
		if (w->id == PROBE_API && atomic_load(&r->anyway))
			return true;
		/* A deferred "turned worse" ask comes before the plan. */
		int64_t at = atomic_load(&w->ask_at);
		if (at && at < *due_mono)
			*due_mono = at;
		int64_t now = common_mono_ms();
		if (now >= *due_mono)
			return true;
		int64_t left = *due_mono - now;
		struct pollfd p = {.fd = w->efd, .events = POLLIN};
		int rc = poll(&p, 1, left > 60000 ? 60000 : (int)left);
		if (rc > 0) {
			uint64_t v;
			if (read(w->efd, &v, sizeof v) < 0 && errno != EAGAIN)
				return false;
			if (atomic_exchange(&w->kicked, 0))
				*due_mono = common_mono_ms();
			else if (atomic_exchange(&w->replan, 0) && atomic_load(&w->last_start_mono))
				*due_mono =
				    atomic_load(&w->last_start_mono) +
				    runner_interval_ms(&r->cfg, w->id, atomic_load(&r->unhealthy));
		}
		/* A back-off after a 429 holds for the API probes, kick or not. */
		if (w->id == PROBE_API || w->id == PROBE_USAGE) {
			int64_t until = atomic_load(&r->backoff_until_ms);
			int64_t wall = common_now_ms();
			if (until > wall && *due_mono < common_mono_ms() + (until - wall))
				*due_mono = common_mono_ms() + (until - wall);
		}
	}
}

/* One line in the diagnostics log for each probe result. */
static void log_result(probe_id id, const void *ev)
{
	const fetch_info *f = ev; /* every evidence struct starts with its fetch_info */
	if (f->err == HTTP_OK)
		log_msg("%s: HTTP %ld in %ld ms", probe_name(id), f->http_status, f->latency_ms);
	else
		log_msg("%s: %s", probe_name(id), f->error);
}

/* Wake one worker. */
static void poke(worker *w)
{
	uint64_t one = 1;
	if (write(w->efd, &one, sizeof one) < 0) {
		/* The counter is full: the worker is already due to wake. */
	}
}

/* HubSpot's own reset time replaces a guessed DAILY back-off once the usage probe has it. */
static void correct_daily_guess(runner *r, const ev_usage *u)
{
	int64_t now = common_now_ms();
	if (!atomic_load(&r->daily_guess) || !evidence_usage_trusted(u->fetch_status) ||
	    u->resets_at_ms <= now || u->resets_at_ms - now > 2 * RATELIMIT_DAY_MS)
		return;
	if (!atomic_exchange(&r->daily_guess, 0))
		return; /* the other probe corrected it meanwhile */
	atomic_store(&r->backoff_until_ms, u->resets_at_ms);
	board_backoff(r->b, u->resets_at_ms, "daily limit spent: waiting for HubSpot's reset");
	log_msg("api: holding back until HubSpot's reset (from the usage endpoint)");
	/* The API probe sleeps until its old plan; wake it so it plans again from the board. */
	atomic_store(&r->w[PROBE_API].replan, 1);
	poke(&r->w[PROBE_API]);
}

/*
 * Probe id's request that started at started (monotonic) turned its evidence worse: the API
 * and status probes (not id) ask now, budget permitting, unless they already asked since that
 * request started. The API back-off still holds in wait_turn.
 */
static void worse_ask(runner *r, probe_id id, int64_t started)
{
	static const probe_id ask[] = {PROBE_API, PROBE_STATUS};
	bool need[2] = {false, false};
	for (size_t i = 0; i < 2; i++)
		need[i] = ask[i] != id && atomic_load(&r->w[ask[i]].last_start_mono) < started;
	if (!need[0] && !need[1])
		return; /* their evidence is newer than this failure */
	int64_t spacing = runner_interval_ms(&r->cfg, PROBE_API, true);
	int64_t now = common_mono_ms();
	pthread_mutex_lock(&r->worse_mu);
	int64_t at = runner_worse_next(&r->worse, now, spacing);
	pthread_mutex_unlock(&r->worse_mu);
	if (!at) {
		log_msg("%s: turned worse; the others already ask soon, or did enough this hour",
			probe_name(id));
		return;
	}
	log_msg("%s: turned worse; the API and status probes ask in %lld s", probe_name(id),
		(long long)((at - now) / 1000));
	for (size_t i = 0; i < 2; i++) {
		if (!need[i])
			continue;
		worker *t = &r->w[ask[i]];
		if (at <= now)
			atomic_store(&t->kicked, 1);
		else
			atomic_store(&t->ask_at, at);
		poke(t);
	}
}

/* One probe's life: wait for its turn, ask, publish, plan the next turn. */
static void *worker_main(void *arg)
{
	worker *w = arg;
	runner *r = w->r;
	http_client *c = w->client;
	ev_any ev;
	int64_t due = common_mono_ms();
	while (c && wait_turn(w, &due)) {
		unsigned spent = 0;
		int64_t started = common_mono_ms();
		atomic_store(&w->last_start_mono, started);
		/* This request answers any "turned worse" ask planned before it started. */
		atomic_store(&w->ask_at, 0);
		board_begin(r->b, w->id);
		memset(&ev, 0, sizeof ev);
		probe_run(w->id, c, &r->cfg, &r->stop, &ev, &spent);
		/* A kick that came while this request was out is answered by it. */
		atomic_store(&w->kicked, 0);
		if (w->id == PROBE_API) {
			atomic_store(&r->anyway, 0);
			char why[96];
			evidence *snap = &w->scratch;
			board_snapshot(r->b, snap);
			int64_t until = runner_backoff_until(&ev.a, &snap->usage, common_now_ms(),
							     &r->cfg, why, sizeof why);
			int64_t was = atomic_exchange(&r->backoff_until_ms, until);
			atomic_store(
			    &r->backoff_daily,
			    ratelimit_daily_spent(&ev.a, &snap->usage)); /* implies until */
			if (was > common_now_ms() && !until) {
				/* A back-off ended early (asked once anyway): the usage probe waits
				 * for its old end; it plans again from its last request. */
				atomic_store(&r->w[PROBE_USAGE].replan, 1);
				poke(&r->w[PROBE_USAGE]);
			}
			bool guess = strcmp(why, GUESS_REASON) == 0;
			/* The board first: once daily_guess is set the usage probe may correct it,
			 * and its correction must not be overwritten by this guess. */
			board_backoff(r->b, until, why);
			atomic_store(&r->daily_guess, guess);
			if (until)
				log_msg("api: HTTP %ld, holding back: %s", ev.a.f.http_status, why);
			if (guess) {
				/* The usage answer may have landed since the snapshot: look again.
				 */
				board_snapshot(r->b, snap);
				correct_daily_guess(r, &snap->usage);
			}
		}
		log_result(w->id, &ev);
		board_publish(r->b, w->id, &ev, spent);
		/* After publishing, so that either this or the API probe sees the other's result.
		 */
		if (w->id == PROBE_USAGE)
			correct_daily_guess(r, &ev.u);
		if (r->once)
			break;
		bool worse = runner_turned_worse(w->id, &w->last, &ev, r->cfg.slow_ms);
		memcpy(&w->last, &ev, probe_evidence_size(w->id));
		if (worse)
			worse_ask(r, w->id, started);
		due = started + runner_interval_ms(&r->cfg, w->id, atomic_load(&r->unhealthy));
		int64_t until = atomic_load(&r->backoff_until_ms);
		int64_t wall = common_now_ms();
		if ((w->id == PROBE_API || w->id == PROBE_USAGE) && until > wall)
			if (due < common_mono_ms() + (until - wall))
				due = common_mono_ms() + (until - wall);
	}
	return NULL;
}

/* Start one thread per probe. */
runner *runner_start(const config *cfg, board *b, bool once)
{
	runner *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->cfg = *cfg;
	r->b = b;
	board_configure(b, cfg);
	r->once = once;
	pthread_mutex_init(&r->worse_mu, NULL);
	for (int i = 0; i < PROBE_COUNT; i++) {
		worker *w = &r->w[i];
		w->r = r;
		w->id = (probe_id)i;
		w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		w->client = http_client_new();
		if (w->efd < 0 || !w->client)
			continue;
		w->started = pthread_create(&w->th, NULL, worker_main, w) == 0;
	}
	return r;
}

/* Ask every probe now; the API back-off still holds. */
void runner_kick(runner *r)
{
	for (int i = 0; i < PROBE_COUNT; i++) {
		atomic_store(&r->w[i].kicked, 1);
		poke(&r->w[i]);
	}
}

/* While the diagnosis is not healthy the API probe uses the shorter interval. */
void runner_set_unhealthy(runner *r, bool unhealthy)
{
	if (atomic_exchange(&r->unhealthy, unhealthy ? 1 : 0) == (unhealthy ? 1 : 0))
		return;
	/* The API probes plan their next request again, from their last one, at the new pace. */
	for (int i = PROBE_API; i <= PROBE_USAGE; i++) {
		atomic_store(&r->w[i].replan, 1);
		poke(&r->w[i]);
	}
}

/* Forget the API back-off; the API probe asks now. */
void runner_clear_backoff(runner *r)
{
	atomic_store(&r->backoff_until_ms, 0);
	atomic_store(&r->daily_guess, 0);
	atomic_store(&r->backoff_daily, 0);
	board_backoff(r->b, 0, "");
	atomic_store(&r->w[PROBE_API].kicked, 1);
	poke(&r->w[PROBE_API]);
}

/* Ask the API once through a DAILY back-off (the operator confirmed it). */
bool runner_probe_api_anyway(runner *r, char *why, size_t whysz)
{
	if (whysz)
		why[0] = '\0';
	if (!r || r->once || atomic_load(&r->stop) || !r->w[PROBE_API].started) {
		snprintf(why, whysz, "the probes are not running: nothing to ask with");
		return false;
	}
	int64_t until = atomic_load(&r->backoff_until_ms);
	int64_t now = common_now_ms();
	if (until > now && !atomic_load(&r->backoff_daily)) {
		long s = ratelimit_countdown_s(until, now);
		snprintf(why, whysz,
			 "a burst rate limit holds: wait %ld s, then the API probe asks by itself",
			 s);
		return false;
	}
	if (until > now) {
		atomic_store(&r->anyway, 1);
		log_msg("api: asked once anyway, through the daily back-off");
	}
	atomic_store(&r->w[PROBE_API].kicked, 1);
	poke(&r->w[PROBE_API]);
	return true;
}

/* Wait until every probe has published once or the deadline passes. */
bool runner_wait_all(runner *r, board *b, int64_t deadline_mono_ms)
{
	(void)r;
	for (;;) {
		evidence e;
		board_drain(b);
		board_snapshot(b, &e);
		bool all = true;
		for (int i = 0; i < PROBE_COUNT; i++)
			if (!e.seq[i])
				all = false;
		if (all)
			return true;
		int64_t left = deadline_mono_ms - common_mono_ms();
		if (left <= 0)
			return false;
		struct pollfd p = {.fd = board_wake_fd(b), .events = POLLIN};
		poll(&p, 1, (int)(left > 1000 ? 1000 : left));
	}
}

/* Cancel what is in flight, stop and join the threads, free. */
void runner_stop(runner *r)
{
	if (!r)
		return;
	atomic_store(&r->stop, 1);
	for (int i = 0; i < PROBE_COUNT; i++) {
		if (r->w[i].efd >= 0)
			poke(&r->w[i]);
		http_client_wake(r->w[i].client);
	}
	/* Every worker may poke another: join them all before any wake fd is closed. */
	for (int i = 0; i < PROBE_COUNT; i++)
		if (r->w[i].started)
			pthread_join(r->w[i].th, NULL);
	for (int i = 0; i < PROBE_COUNT; i++) {
		if (r->w[i].efd >= 0)
			close(r->w[i].efd);
		http_client_free(r->w[i].client);
	}
	explicit_bzero(r->cfg.token, sizeof r->cfg.token);
	pthread_mutex_destroy(&r->worse_mu);
	free(r);
}
