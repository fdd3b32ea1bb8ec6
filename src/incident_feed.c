/* The running dashboard's incident: state dir, lock, journal, and what each frame records. */
#include "hsr/incident_feed.h"

#include "hsr/common.h"
#include "hsr/format.h"
#include "hsr/log.h"
#include "hsr/sanitize.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* An event applied but not written yet: written again at the next event. Its type, by and
 * time are its timeline entry's (inc.ev[idx]: type, by, logged_ms). */
typedef struct {
	size_t idx; /* in inc.ev */
	json_t *data;
} unkept;

struct incident_feed {
	const config *cfg;
	const runbook *rb;
	char state_dir[512];
	char root[600]; /* state_dir/incidents */
	int lock_fd;
	bool following;
	bool have; /* inc holds an incident */
	incident inc;
	journal *j;
	char dir[700];
	unkept *pend;
	int n_pend, cap_pend;
	char err[720];
	/* What the probes said last frame (prev_known: there was a last frame). */
	bool prev_known;
	char prev_api[32], prev_status[24], prev_health[16], prev_corr[64];
	int64_t prev_backoff;
	uint64_t trans_cursor;
	int64_t healthy_since;
	walker_decisions prev_ops;
	bool restore; /* put the incident's decisions into the walker at the next frame */
	int64_t next_poll_ms;
};

/* The state dir of cfg. */
void incident_feed_state_dir(const config *cfg, char *out, size_t outsz)
{
	const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	if (cfg && cfg->state_dir[0])
		snprintf(out, outsz, "%s", cfg->state_dir);
	else if (x && x[0] == '/')
		snprintf(out, outsz, "%s/hsrunbook", x);
	else
		snprintf(out, outsz, "%s/.local/state/hsrunbook", home && home[0] ? home : ".");
}

/* The newest incident folder's name under root into id; false when there is none. */
static bool newest_id(const char *root, char *id, size_t idsz)
{
	struct dirent **names;
	int n = scandir(root, &names, NULL, alphasort);
	if (n < 0)
		return false;
	id[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.')
			common_strlcpy(id, names[i]->d_name, idsz);
		free(names[i]);
	}
	free(names);
	return id[0] != '\0';
}

/* Replay one journal event into the incident. */
static void replay_cb(const journal_event *e, void *ctx)
{
	incident_apply(ctx, e, true);
}

/* Drop the events not written yet (a new incident starts, or the feed ends). */
static void pend_clear(incident_feed *f)
{
	if (f->n_pend)
		log_msg("incident %s: %d events were never written", f->inc.id, f->n_pend);
	for (int i = 0; i < f->n_pend; i++)
		json_decref(f->pend[i].data);
	f->n_pend = 0;
}

/* Make incident id the feed's: its folder, a fresh journal (writer or reader), nothing read. */
static void take_incident(incident_feed *f, const char *id, bool writer)
{
	pend_clear(f);
	incident_free(&f->inc);
	journal_free(f->j);
	incident_init(&f->inc, id);
	snprintf(f->dir, sizeof f->dir, "%s/%s", f->root, id);
	f->j = journal_new(f->dir, writer);
	f->have = f->j != NULL;
}

/* Load incident id from its journal (writer: to go on appending). */
static void load(incident_feed *f, const char *id, bool writer)
{
	take_incident(f, id, writer);
	if (f->j)
		journal_read(f->j, writer, replay_cb, &f->inc);
	f->restore = true;
	log_msg("incident %s: %zu events read (%s, %s)", id, f->inc.n_ev,
		incident_state_name(f->inc.state), writer ? "writing" : "following read-only");
}

/* Try to take the writer's lock; true when this process writes. */
static bool take_lock(incident_feed *f)
{
	if (f->lock_fd < 0) {
		char p[600];
		journal_mkdirs(f->state_dir, 0700);
		snprintf(p, sizeof p, "%s/lock", f->state_dir);
		f->lock_fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (f->lock_fd < 0)
			return true; /* nothing to share: a writer whose writes fail */
	}
	if (flock(f->lock_fd, LOCK_EX | LOCK_NB) == 0)
		return true;
	return errno != EWOULDBLOCK;
}

/* Take the state dir of cfg: the lock (else follow) and the newest incident. */
incident_feed *incident_feed_open(const config *cfg, const runbook *rb, int64_t now_ms)
{
	incident_feed *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->cfg = cfg;
	f->rb = rb;
	f->lock_fd = -1;
	incident_feed_state_dir(cfg, f->state_dir, sizeof f->state_dir);
	snprintf(f->root, sizeof f->root, "%s/%s", f->state_dir, INCIDENT_FEED_SUBDIR);
	f->following = !take_lock(f);
	if (!f->following && journal_mkdirs(f->root, 0700) != 0)
		snprintf(f->err, sizeof f->err, "%s (making %.500s)", strerror(errno), f->root);
	char id[256];
	if (newest_id(f->root, id, sizeof id))
		load(f, id, !f->following);
	f->next_poll_ms = now_ms + INCIDENT_FEED_FOLLOW_MS;
	log_msg("incidents in %s: %s", f->state_dir,
		f->following ? "another hsrunbook writes; following read-only" : "writing");
	return f;
}

void incident_feed_free(incident_feed *f)
{
	if (!f)
		return;
	pend_clear(f);
	free(f->pend);
	incident_free(&f->inc);
	journal_free(f->j);
	if (f->lock_fd >= 0)
		close(f->lock_fd);
	free(f);
}

/* Write the events not written yet, in order; stop at the first that fails. */
static void flush(incident_feed *f)
{
	int done = 0;
	for (; done < f->n_pend; done++) {
		unkept *u = &f->pend[done];
		inc_event *ev = &f->inc.ev[u->idx];
		if (journal_append(f->j, ev->logged_ms, ev->type, ev->by, u->data) != 0) {
			snprintf(f->err, sizeof f->err, "%s", journal_error(f->j));
			break;
		}
		ev->n = journal_next_n(f->j) - 1;
		ev->kept = true;
		for (int s = 0; ev->state && s < INC_STATE_COUNT; s++)
			if (!f->inc.at_n[s] && f->inc.at[s] == ev->logged_ms)
				f->inc.at_n[s] = ev->n;
		json_decref(u->data);
	}
	memmove(f->pend, f->pend + done, (size_t)(f->n_pend - done) * sizeof *f->pend);
	f->n_pend -= done;
	if (f->n_pend == 0)
		f->err[0] = '\0';
}

/* Apply an event to the incident and write it (with any not written before). */
static int record(incident_feed *f, const char *type, const char *by, const json_t *data,
		  int64_t at_ms)
{
	if (!f->have || f->following)
		return -1;
	json_t *d = data ? json_deep_copy(data) : json_object();
	if (!d)
		return -1;
	if (f->n_pend == f->cap_pend) {
		int cap = f->cap_pend ? f->cap_pend * 2 : 16;
		unkept *p = realloc(f->pend, (size_t)cap * sizeof *p);
		if (!p) {
			json_decref(d);
			return -1;
		}
		f->pend = p;
		f->cap_pend = cap;
	}
	journal_event e = {.n = 0, .at_ms = at_ms, .type = type, .by = by, .data = d};
	if (!incident_apply(&f->inc, &e, false)) {
		json_decref(d);
		return -1;
	}
	f->pend[f->n_pend++] = (unkept){.idx = f->inc.n_ev - 1, .data = d};
	flush(f);
	return f->n_pend ? 1 : 0;
}

/* Record an event of any type in the open incident. */
int incident_feed_record(incident_feed *f, const char *type, const char *by, const json_t *data,
			 int64_t now_ms)
{
	if (!f || !f->have || !incident_is_open(&f->inc) || f->following)
		return -1;
	return record(f, type, by ? by : "operator", data, now_ms);
}

/* A new incident folder (named for its start, made unique) with its journal. */
static void start_incident(incident_feed *f, int64_t at_ms)
{
	char id[64], base[40];
	time_t s = (time_t)(at_ms / 1000);
	struct tm tm;
	gmtime_r(&s, &tm);
	strftime(base, sizeof base, "%Y%m%d-%H%M%S", &tm);
	common_strlcpy(id, base, sizeof id);
	for (int k = 2; k < 100; k++) {
		char p[800];
		struct stat st;
		snprintf(p, sizeof p, "%s/%s", f->root, id);
		if (stat(p, &st) != 0)
			break;
		snprintf(id, sizeof id, "%s-%d", base, k);
	}
	take_incident(f, id, true);
	/* The walker's decisions so far belong to this incident too: journaled at the next frame.
	 */
	memset(&f->prev_ops, 0, sizeof f->prev_ops);
	log_msg("incident %s: started in %s", id, f->dir);
}

/* The alert's data: the leaf and the path's evidence. */
static json_t *alert_data(const watch_view *wv)
{
	json_t *d = json_object(), *ev = json_array();
	const rb_leaf *l = wv->d.leaf;
	json_object_set_new(d, "leaf", json_string(wv->leaf_id));
	json_object_set_new(d, "title", json_string(l && l->title ? l->title : wv->leaf_id));
	json_object_set_new(d, "severity", json_string(incident_severity_suggest(l)));
	for (int i = 0; i < wv->d.n_steps; i++) {
		const diag_step *s = &wv->d.steps[i];
		char line[600], clean[600];
		snprintf(line, sizeof line, "%s %s (%s)", s->question,
			 s->ans == ANSWER_YES  ? "yes"
			 : s->ans == ANSWER_NO ? "no"
					       : "unknown",
			 s->evidence);
		sanitize_str(clean, sizeof clean, line);
		json_array_append_new(ev, json_string(clean));
	}
	json_object_set_new(d, "evidence", ev);
	return d;
}

/* Record a probe transition. */
static void probe_event(incident_feed *f, const char *probe, const char *from, const char *to,
			const char *text, int64_t now_ms)
{
	json_t *d =
	    json_pack("{s:s, s:s, s:s, s:s}", "probe", probe, "from", from, "to", to, "text", text);
	record(f, "probe", "probe", d, now_ms);
	json_decref(d);
}

/* The probes' readings this frame; transitions recorded while an incident is open. */
static void probes(incident_feed *f, const evidence *e, int64_t now_ms)
{
	/* Correlation ids are kept from the first frame of the incident (the alert's answer
	 * included); the transitions need a frame before them to compare with. */
	bool can = f->have && incident_is_open(&f->inc) && !f->following;
	bool rec = f->prev_known && can;
	char api[32] = "", st[24] = "", he[16] = "", text[400], corr[64] = "";
	switch (evidence_outcome_shown(&e->api.f)) {
	case EVIDENCE_ANSWERED:
		snprintf(api, sizeof api, "%ld", e->api.f.http_status);
		break;
	case EVIDENCE_NO_ANSWER:
		snprintf(api, sizeof api, "no answer");
		break;
	case EVIDENCE_NOT_ASKED:
		snprintf(api, sizeof api, "not asked");
		break;
	default:
		common_strlcpy(api, f->prev_api, sizeof api);
	}
	sanitize_str(st, sizeof st, e->status.indicator[0] ? e->status.indicator : f->prev_status);
	if (e->health.f.done && e->health.f.configured)
		common_strlcpy(he, evidence_health_name(e->health.state), sizeof he);
	else
		common_strlcpy(he, f->prev_health, sizeof he);
	if (!evidence_answered_2xx(&e->api.f))
		sanitize_str(corr, sizeof corr, e->api.correlation_id);
	if (rec && strcmp(api, f->prev_api) != 0 && f->prev_api[0]) {
		char cat[64];
		sanitize_str(cat, sizeof cat, e->api.category);
		snprintf(text, sizeof text, "API %s -> %s%s%s%s", f->prev_api, api,
			 cat[0] ? " (" : "", cat, cat[0] ? ")" : "");
		probe_event(f, "api", f->prev_api, api, text, now_ms);
	}
	if (rec && strcmp(st, f->prev_status) != 0 && f->prev_status[0]) {
		snprintf(text, sizeof text, "status page %s -> %s", f->prev_status, st);
		probe_event(f, "status", f->prev_status, st, text, now_ms);
	}
	if (rec && strcmp(he, f->prev_health) != 0 && f->prev_health[0]) {
		snprintf(text, sizeof text, "health %s -> %s", f->prev_health, he);
		probe_event(f, "health", f->prev_health, he, text, now_ms);
	}
	if (rec && (e->backoff_until_ms > 0) != (f->prev_backoff > 0)) {
		if (e->backoff_until_ms > 0) {
			char when[40], why[100];
			journal_time_format(when, sizeof when, e->backoff_until_ms);
			sanitize_str(why, sizeof why, e->backoff_reason);
			snprintf(text, sizeof text, "API back-off (429): held until %.19sZ%s%s",
				 when, why[0] ? ": " : "", why);
			probe_event(f, "api", "asking", "back-off", text, now_ms);
		} else {
			probe_event(f, "api", "back-off", "asking", "API back-off over", now_ms);
		}
	}
	if (can && corr[0] && strcmp(corr, f->prev_corr) != 0) {
		snprintf(text, sizeof text, "correlation id %s (API %s)", corr, api);
		json_t *d = json_pack("{s:s, s:s, s:s}", "probe", "api", "correlation_id", corr,
				      "text", text);
		record(f, "probe", "probe", d, now_ms);
		json_decref(d);
	}
	common_strlcpy(f->prev_api, api, sizeof f->prev_api);
	common_strlcpy(f->prev_status, st, sizeof f->prev_status);
	common_strlcpy(f->prev_health, he, sizeof f->prev_health);
	if (corr[0] && can)
		common_strlcpy(f->prev_corr, corr, sizeof f->prev_corr);
	f->prev_backoff = e->backoff_until_ms;
	f->prev_known = true;
}

/* The override of node in ops, or NULL. */
static const diag_override *find_ov(const walker_decisions *ops, const rb_node *node)
{
	for (int i = 0; i < ops->n_overrides; i++)
		if (ops->overrides[i].node == node)
			return &ops->overrides[i];
	return NULL;
}

/* Whether step of leaf is checked in ops. */
static bool find_ck(const walker_decisions *ops, const rb_leaf *leaf, const rb_step *step)
{
	for (int i = 0; i < ops->n_checks; i++)
		if (ops->checks[i].leaf == leaf && ops->checks[i].step == step)
			return true;
	return false;
}

/* Record an answer to node ("yes", "no", "evidence"). */
static void answer_event(incident_feed *f, const rb_node *node, const char *a, int64_t now_ms)
{
	json_t *d =
	    json_pack("{s:s, s:s, s:s}", "node", node->id, "question", node->question, "answer", a);
	record(f, "answer", "operator", d, now_ms);
	json_decref(d);
}

/* Once the root cause is identified, what the operator did (how: "step", "command") is the
 * mitigation applied. */
static void mitigation_if_identified(incident_feed *f, const char *how, const char *what,
				     int64_t now_ms)
{
	if (f->inc.state != INC_IDENTIFIED)
		return;
	json_t *m = json_pack("{s:s, s:s}", "how", how, "what", what);
	record(f, "mitigation", "operator", m, now_ms);
	json_decref(m);
}

/* Record a step checked or unchecked; a check after the root cause is a mitigation. */
static void check_event(incident_feed *f, const rb_leaf *leaf, const rb_step *step, bool on,
			int64_t now_ms)
{
	char text[200];
	format_utf8_copy(text, sizeof text, step->text);
	json_t *d = json_pack("{s:s, s:s, s:b, s:s}", "leaf", leaf->id, "step", step->id, "checked",
			      on, "text", text);
	record(f, "check", "operator", d, now_ms);
	json_decref(d);
	if (on)
		mitigation_if_identified(f, "step", text, now_ms);
}

/* The walker's decisions that changed since the last frame, journaled. */
static void decisions(incident_feed *f, const walker_decisions *cur, int64_t now_ms)
{
	const walker_decisions *prev = &f->prev_ops;
	for (int i = 0; i < cur->n_overrides; i++) {
		const diag_override *o = &cur->overrides[i], *p = find_ov(prev, o->node);
		if (!p || p->ans != o->ans)
			answer_event(f, o->node, o->ans == ANSWER_YES ? "yes" : "no", now_ms);
	}
	for (int i = 0; i < prev->n_overrides; i++)
		if (!find_ov(cur, prev->overrides[i].node))
			answer_event(f, prev->overrides[i].node, "evidence", now_ms);
	for (int i = 0; i < cur->n_checks; i++)
		if (!find_ck(prev, cur->checks[i].leaf, cur->checks[i].step))
			check_event(f, cur->checks[i].leaf, cur->checks[i].step, true, now_ms);
	for (int i = 0; i < prev->n_checks; i++)
		if (!find_ck(cur, prev->checks[i].leaf, prev->checks[i].step))
			check_event(f, prev->checks[i].leaf, prev->checks[i].step, false, now_ms);
	f->prev_ops = *cur;
}

/* Put the incident's decisions (answers by node id, checks by leaf and step id) into wk. */
static void restore_walker(incident_feed *f, walker *wk)
{
	walker_decisions *ops = &wk->ops;
	ops->n_overrides = 0;
	ops->n_checks = 0;
	for (int i = 0; i < f->inc.n_ov && ops->n_overrides < WALKER_MAX_OVERRIDES; i++) {
		const rb_node *node = runbook_node(f->rb, f->inc.ov[i].node);
		if (node)
			ops->overrides[ops->n_overrides++] =
			    (diag_override){.node = node,
					    .ans = f->inc.ov[i].yes ? ANSWER_YES : ANSWER_NO,
					    .at_ms = f->inc.ov[i].at_ms};
	}
	for (int i = 0; i < f->inc.n_ck && ops->n_checks < WALKER_MAX_CHECKS; i++) {
		const rb_leaf *leaf = runbook_leaf(f->rb, f->inc.ck[i].leaf);
		const rb_step *step = leaf ? runbook_step(leaf, f->inc.ck[i].step) : NULL;
		if (step)
			ops->checks[ops->n_checks++] =
			    (walker_check){.leaf = leaf, .step = step, .at_ms = f->inc.ck[i].at_ms};
	}
	f->prev_ops = *ops;
}

/* A follower's look: the writer gone (take over), a newer incident, or more lines. */
static bool follow(incident_feed *f, int64_t now_ms)
{
	if (now_ms < f->next_poll_ms)
		return false;
	f->next_poll_ms = now_ms + INCIDENT_FEED_FOLLOW_MS;
	char id[256];
	bool newer = newest_id(f->root, id, sizeof id) && (!f->have || strcmp(id, f->inc.id) != 0);
	if (take_lock(f)) {
		f->following = false;
		log_msg("incidents in %s: the writer has gone; writing now", f->state_dir);
		if (!newer && f->have)
			common_strlcpy(id, f->inc.id, sizeof id); /* load() clears f->inc */
		if (newer || f->have)
			load(f, id, true);
		return true;
	}
	if (newer) {
		load(f, id, false);
		return true;
	}
	size_t before = f->inc.n_ev;
	if (f->have && journal_read(f->j, false, replay_cb, &f->inc) > 0) {
		f->restore = f->inc.n_ev != before;
		return true;
	}
	return false;
}

/* Once a frame: see hsr/incident_feed.h. */
bool incident_feed_frame(incident_feed *f, const watch *w, walker *wk, int64_t now_ms)
{
	if (!f)
		return false;
	bool changed = false;
	size_t before = f->have ? f->inc.n_ev : 0;
	inc_state st = f->have ? f->inc.state : INC_NONE;
	if (f->following)
		changed |= follow(f, now_ms);
	const watch_view *wv = w ? watch_view_of(w) : NULL;
	if (wv && wv->ready) {
		bool healthy = strcmp(wv->leaf_id, "healthy") == 0;
		bool fault = !healthy && strcmp(wv->leaf_id, "unknown") != 0;
		if (!healthy)
			f->healthy_since = 0;
		else if (!f->healthy_since)
			f->healthy_since = now_ms;
		if (!f->following) {
			if (fault && (!f->have || !incident_is_open(&f->inc))) {
				start_incident(f, now_ms);
				json_t *d = alert_data(wv);
				record(f, "alert", "diagnosis", d, now_ms);
				json_decref(d);
			} else if (healthy && f->have && f->inc.state == INC_ALERT) {
				record(f, "blip", "diagnosis", NULL, now_ms);
			}
		}
	}
	if (wv)
		probes(f, &wv->ev, now_ms);
	watch_transition t;
	while (w && watch_transition_next(w, &f->trans_cursor, &t)) {
		/* The first is the start (from "unknown"): the alert says it. */
		if (t.n == 1 || f->following || !f->have || !incident_is_open(&f->inc))
			continue;
		json_t *d = json_pack("{s:s, s:s}", "from", t.from, "to", t.to);
		record(f, "diagnosis", "diagnosis", d, now_ms);
		json_decref(d);
	}
	if (wk && f->have && f->restore) {
		f->restore = false;
		if (incident_is_open(&f->inc) || f->following) {
			restore_walker(f, wk);
			if (wv && wv->ready)
				walker_update(wk, &wv->ev, now_ms);
			changed = true;
		} else {
			f->prev_ops = wk->ops;
		}
	}
	if (wk && !f->following && f->have && incident_is_open(&f->inc))
		decisions(f, &wk->ops, now_ms);
	else if (wk && !f->following)
		f->prev_ops = wk->ops;
	if (f->have && (f->inc.n_ev != before || f->inc.state != st))
		changed = true;
	return changed;
}

const incident *incident_feed_incident(const incident_feed *f)
{
	return f && f->have ? &f->inc : NULL;
}

bool incident_feed_following(const incident_feed *f)
{
	return f && f->following;
}

const char *incident_feed_error(const incident_feed *f)
{
	return f ? f->err : "";
}

int incident_feed_unkept(const incident_feed *f)
{
	return f ? f->n_pend : 0;
}

int incident_feed_poll_ms(const incident_feed *f, int64_t now_ms)
{
	if (!f || !f->following)
		return -1;
	int64_t d = f->next_poll_ms - now_ms;
	return d < 1 ? 1 : d > INCIDENT_FEED_FOLLOW_MS ? INCIDENT_FEED_FOLLOW_MS : (int)d;
}

const char *incident_feed_dir(const incident_feed *f)
{
	return f && f->have && incident_is_open(&f->inc) ? f->dir : "";
}

/* The folder of the incident shown, open or closed, or "" when there is none. */
const char *incident_feed_last_dir(const incident_feed *f)
{
	return f && f->have ? f->dir : "";
}

/* The context operator moves are checked against. */
void incident_feed_ctx(const incident_feed *f, const walker *wk, int64_t now_ms, incident_ctx *c)
{
	memset(c, 0, sizeof *c);
	c->walker_leaf = wk && wk->walked && wk->diag.leaf ? wk->diag.leaf->id : NULL;
	c->healthy_since_ms = f ? f->healthy_since : 0;
	c->recovery_after_ms = f && f->cfg ? f->cfg->recovery_after_s * 1000 : 300000;
	c->now_ms = now_ms;
}

/* An operator move: checked, then recorded ("open" starts a new incident first). */
bool incident_feed_move(incident_feed *f, const walker *wk, const char *type, const json_t *data,
			int64_t now_ms, char *why, size_t whysz)
{
	if (!f)
		return false;
	if (f->following) {
		snprintf(why, whysz,
			 "following read-only: the hsrunbook that writes this incident "
			 "records it");
		return false;
	}
	incident empty;
	incident_init(&empty, "");
	const incident *inc = f->have ? &f->inc : &empty;
	incident_ctx c;
	incident_feed_ctx(f, wk, now_ms, &c);
	if (!incident_check(inc, type, &c, why, whysz))
		return false;
	if (strcmp(type, "open") == 0)
		start_incident(f, now_ms);
	if (record(f, type, "operator", data, now_ms) < 0) {
		snprintf(why, whysz, "not recorded: out of memory");
		return false;
	}
	return true;
}

/* A team command run from the walker, journaled; a mitigation once the root cause is known. */
int incident_feed_note_command(incident_feed *f, const char *line, const char *exit_desc,
			       long duration_ms, const char *first_lines, int64_t now_ms)
{
	if (!f || !f->have || !incident_is_open(&f->inc) || f->following)
		return -1;
	char l[400], x[80], one[200];
	sanitize_str(l, sizeof l, line);
	sanitize_str(x, sizeof x, exit_desc);
	json_t *out = json_array();
	for (const char *p = first_lines ? first_lines : ""; *p && json_array_size(out) < 5;) {
		size_t n = strcspn(p, "\n");
		sanitize_text(one, sizeof one, p, n);
		if (one[0])
			json_array_append_new(out, json_string(one));
		p += n + (p[n] == '\n');
	}
	json_t *d = json_pack("{s:s, s:s, s:I, s:o}", "line", l, "exit", x, "duration_ms",
			      (json_int_t)duration_ms, "output", out);
	int rc = record(f, "command", "operator", d, now_ms);
	json_decref(d);
	mitigation_if_identified(f, "command", l, now_ms);
	return rc;
}

/* The owner remembered in the state dir. */
bool incident_feed_owner(const incident_feed *f, char *out, size_t outsz)
{
	char p[600], buf[128] = "";
	out[0] = '\0';
	snprintf(p, sizeof p, "%s/owner", f->state_dir);
	FILE *fp = fopen(p, "r");
	if (!fp)
		return false;
	if (fgets(buf, sizeof buf, fp))
		sanitize_str(out, outsz, buf);
	fclose(fp);
	return out[0] != '\0';
}

/* Remember owner for next time. */
void incident_feed_owner_save(const incident_feed *f, const char *owner)
{
	char p[600], tmp[620];
	snprintf(p, sizeof p, "%s/owner", f->state_dir);
	snprintf(tmp, sizeof tmp, "%s.tmp", p);
	journal_mkdirs(f->state_dir, 0700);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	dprintf(fd, "%s\n", owner);
	if (fsync(fd) == 0 && close(fd) == 0)
		rename(tmp, p);
	else
		unlink(tmp);
}

/* Every incident under state_dir, oldest first, replayed. */
int incident_feed_list(const char *state_dir, incident **out)
{
	char root[600];
	snprintf(root, sizeof root, "%s/%s", state_dir, INCIDENT_FEED_SUBDIR);
	*out = NULL;
	struct dirent **names;
	int n = scandir(root, &names, NULL, alphasort);
	if (n < 0)
		return errno == ENOENT ? 0 : -1;
	incident *list = calloc((size_t)n + 1, sizeof *list);
	int k = 0;
	for (int i = 0; i < n; i++) {
		char dir[900];
		snprintf(dir, sizeof dir, "%s/%s", root, names[i]->d_name);
		struct stat st;
		if (list && names[i]->d_name[0] != '.' && stat(dir, &st) == 0 &&
		    S_ISDIR(st.st_mode)) {
			incident_init(&list[k], names[i]->d_name);
			journal *j = journal_new(dir, false);
			if (j) {
				journal_read(j, true, replay_cb, &list[k]);
				journal_free(j);
			}
			k++;
		}
		free(names[i]);
	}
	free(names);
	*out = list;
	return list ? k : -1;
}

void incident_feed_list_free(incident *list, int n)
{
	for (int i = 0; list && i < n; i++)
		incident_free(&list[i]);
	free(list);
}

/* A private state dir for a demo run. */
int incident_feed_demo_dir(char *out, size_t outsz)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(out, outsz, "%s/hsrunbook-demo.XXXXXX", tmp && tmp[0] == '/' ? tmp : "/tmp");
	return mkdtemp(out) ? 0 : -1;
}

/* nftw's visit: remove one entry (depth first). */
static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* Remove a folder and everything in it. */
void incident_feed_remove_tree(const char *dir)
{
	if (dir && dir[0])
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
