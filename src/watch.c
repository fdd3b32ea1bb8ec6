/* The incident's watch: snapshot, diagnosis, leaf transitions, the runner's pace. */
#include "hsr/watch.h"

#include <stdlib.h>
#include <string.h>

#include "hsr/log.h"

struct watch {
	const config *cfg;
	const runbook *rb;
	board *b;
	runner *run;
	watch_view view;
	bool told;		      /* the runner has been told a pace (view.fast) */
	bool diagnosed;		      /* view.d holds a diagnosis (made at the first update) */
	char leaf[WATCH_LEAF_ID_MAX]; /* the last believed leaf; "unknown" before any */
	uint64_t seq[PROBE_COUNT];    /* per probe, as of the last update */
	int64_t backoff_until_ms;
	uint64_t n_trans; /* transitions recorded in all */
	watch_transition trans[WATCH_TRANSITIONS];
};

/* A watch over board b; nothing is read until the first watch_update. */
watch *watch_new(const config *cfg, const runbook *rb, board *b, runner *run)
{
	watch *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->cfg = cfg;
	w->rb = rb;
	w->b = b;
	w->run = run;
	board_evidence_init(&w->view.ev);
	w->view.leaf_id = "unknown";
	w->view.level = WATCH_LEVEL_UNKNOWN;
	common_strlcpy(w->leaf, "unknown", sizeof w->leaf);
	return w;
}

/* Free the watch (the board, runner and runbook are the caller's). */
void watch_free(watch *w)
{
	free(w);
}

/* Tell the runner the pace the believed leaf calls for, when it differs from the last one. */
static void set_pace(watch *w, const char *leaf)
{
	bool fast = watch_pace_fast(leaf, &w->view.ev.api);
	if (w->told && fast == w->view.fast)
		return;
	if (w->run)
		runner_set_unhealthy(w->run, fast);
	log_msg("probes: %s pace, the API probe every %lld s", fast ? "fast" : "normal",
		(long long)(runner_interval_ms(w->cfg, PROBE_API, fast) / 1000));
	w->view.fast = fast;
	w->told = true;
}

/* Record that the believed leaf moved to leaf at now_ms. */
static void add_transition(watch *w, const char *leaf, int64_t now_ms)
{
	log_msg("diagnosis: %s -> %s", w->leaf, leaf);
	watch_transition *t = &w->trans[w->n_trans % WATCH_TRANSITIONS];
	t->n = ++w->n_trans;
	t->at_ms = now_ms;
	common_strlcpy(t->from, w->leaf, sizeof t->from);
	common_strlcpy(t->to, leaf, sizeof t->to);
	common_strlcpy(w->leaf, leaf, sizeof w->leaf);
}

/* Which probes' evidence (or the API's back-off) changed since the last update. */
static unsigned probes_changed(watch *w)
{
	const evidence *e = &w->view.ev;
	unsigned changed = 0;
	for (int i = 0; i < PROBE_COUNT; i++)
		if (e->seq[i] != w->seq[i]) {
			changed |= 1u << i;
			w->seq[i] = e->seq[i];
		}
	if (e->backoff_until_ms != w->backoff_until_ms) {
		changed |= 1u << PROBE_API;
		w->backoff_until_ms = e->backoff_until_ms;
	}
	return changed;
}

/* Snapshot, diagnose, pace and transitions; returns what changed. */
unsigned watch_update(watch *w, int64_t now_ms)
{
	watch_view *v = &w->view;
	if (w->b) {
		board_drain(w->b);
		board_snapshot(w->b, &v->ev);
	}
	v->at_ms = now_ms;
	unsigned changed = probes_changed(w);
	/* The diagnosis reads the probes' evidence only: a wake for a request starting (or
	 * anything else no probe published) leaves it as it was. */
	if (changed || !w->diagnosed) {
		diagnose(&v->ev, w->rb, &v->d);
		v->leaf_id = v->d.leaf && v->d.leaf->id ? v->d.leaf->id : "unknown";
		v->level = watch_leaf_level(v->d.leaf);
		w->diagnosed = true;
	}
	if (evidence_answered_2xx(&v->ev.api.f) && v->ev.api.f.at_ms > v->last_2xx_ms)
		v->last_2xx_ms = v->ev.api.f.at_ms;

	/* Until the API call and the status page have both published, the leaf rests on
	 * whichever answer came first: no pace change and no transition on it. */
	v->ready = watch_ready(&v->ev);
	if (v->ready) {
		set_pace(w, v->leaf_id);
		if (strcmp(w->leaf, v->leaf_id) != 0) {
			add_transition(w, v->leaf_id, now_ms);
			changed |= WATCH_NEW_LEAF;
		}
	}
	return changed;
}

/* The view of the last update. */
const watch_view *watch_view_of(const watch *w)
{
	return &w->view;
}

/* Transitions recorded since the watch began. */
uint64_t watch_transition_count(const watch *w)
{
	return w->n_trans;
}

/* The next transition after *cursor, skipping ahead when the ones after it were dropped. */
bool watch_transition_next(const watch *w, uint64_t *cursor, watch_transition *out)
{
	uint64_t next = *cursor + 1;
	if (next > w->n_trans)
		return false;
	if (w->n_trans > WATCH_TRANSITIONS && next <= w->n_trans - WATCH_TRANSITIONS)
		next = w->n_trans - WATCH_TRANSITIONS + 1;
	*out = w->trans[(next - 1) % WATCH_TRANSITIONS];
	*cursor = next;
	return true;
}

/* Ready once our API call and the status page have both published (answer or failure). */
bool watch_ready(const evidence *e)
{
	return e->seq[PROBE_API] != 0 && e->seq[PROBE_STATUS] != 0;
}

/* Older than two of the intervals the runner uses at this pace; a back-off is not staleness. */
bool watch_stale(const evidence *e, const config *cfg, bool fast, probe_id id, int64_t now_ms)
{
	const fetch_info *f = evidence_fetch(e, id);
	if (!f->done || evidence_outcome_shown(f) == EVIDENCE_NOT_ASKED)
		return false;
	if ((id == PROBE_API || id == PROBE_USAGE) && e->backoff_until_ms > now_ms)
		return false;
	/* Whole seconds, rounded up, as the intervals are configured. */
	int64_t interval_s = (runner_interval_ms(cfg, id, fast) + 999) / 1000;
	if (f->at_ms <= 0 || interval_s <= 0)
		return false;
	return now_ms - f->at_ms > interval_s * 2000;
}

/* A bit per stale probe. */
unsigned watch_stale_mask(const evidence *e, const config *cfg, bool fast, int64_t now_ms)
{
	unsigned m = 0;
	for (int i = 0; i < PROBE_COUNT; i++)
		if (watch_stale(e, cfg, fast, (probe_id)i, now_ms))
			m |= 1u << i;
	return m;
}

/* Fast only for a leaf about our own API call while that call is not answering 2xx. */
bool watch_pace_fast(const char *leaf_id, const ev_api *api)
{
	static const char *const fast[] = {
	    "token-invalid",	   "missing-scopes", "hubspot-server-error",
	    "hubspot-unreachable", "hubspot-outage", "network-down",
	};
	if (!leaf_id || !api || evidence_answered_2xx(&api->f))
		return false;
	if (strncmp(leaf_id, "rate-limit-", 11) == 0 && leaf_id[11] != '\0')
		return true;
	for (size_t i = 0; i < sizeof fast / sizeof fast[0]; i++)
		if (strcmp(leaf_id, fast[i]) == 0)
			return true;
	return false;
}

/* The digit of "SEV-n" or "Pn" (1..9), or 0 when sev is neither. */
static int severity_digit(const char *sev)
{
	if (!sev)
		return 0;
	if (strncmp(sev, "SEV-", 4) == 0)
		sev += 4;
	else if (sev[0] == 'P')
		sev += 1;
	else
		return 0;
	return sev[0] >= '1' && sev[0] <= '9' && sev[1] == '\0' ? sev[0] - '0' : 0;
}

/* Healthy ok, unknown unknown, the rest by severity: 1 and 2 crit, 3..5 warn, else crit. */
watch_level watch_leaf_level(const rb_leaf *leaf)
{
	if (!leaf || !leaf->id || strcmp(leaf->id, "unknown") == 0)
		return WATCH_LEVEL_UNKNOWN;
	if (strcmp(leaf->id, "healthy") == 0)
		return WATCH_LEVEL_OK;
	int n = severity_digit(leaf->severity);
	return n >= 3 ? WATCH_LEVEL_WARN : WATCH_LEVEL_CRIT;
}

/* A level's name, for logs and tests. */
const char *watch_level_name(watch_level l)
{
	switch (l) {
	case WATCH_LEVEL_OK:
		return "ok";
	case WATCH_LEVEL_WARN:
		return "warn";
	case WATCH_LEVEL_CRIT:
		return "crit";
	case WATCH_LEVEL_UNKNOWN:
	default:
		return "unknown";
	}
}
