/* The triage report: evidence + diagnosis as JSON for scripts and as text for people. */
#include "hsr/report.h"

#include <string.h>
#include <time.h>

#include <jansson.h>

#include "hsr/config.h"
#include "hsr/format.h"
#include "hsr/probe_health.h"
#include "hsr/ratelimit.h"
#include "hsr/sanitize.h"

/* A string, or null when empty (unknown); invalid UTF-8 is repaired, never dropped. */
static json_t *str_or_null(const char *s)
{
	if (!s || !*s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	char fixed[1024];
	common_strlcpy(fixed, s, sizeof fixed);
	sanitize_utf8_repair(fixed, strlen(fixed));
	j = json_string(fixed);
	return j ? j : json_string("?");
}

/* A number, or null when unknown. */
static json_t *opt_or_null(opt_int v)
{
	return v.known ? json_integer(v.v) : json_null();
}

/* The HTTP status, or null when no HTTP answer came. */
static json_t *status_or_null(const fetch_info *f)
{
	return evidence_answered(f) ? json_integer(f->http_status) : json_null();
}

/* The common request facts of one probe. */
static void add_fetch(json_t *o, const fetch_info *f)
{
	json_object_set_new(o, "answered", json_boolean(evidence_answered(f)));
	json_object_set_new(o, "configured", json_boolean(!f->done || f->configured));
	json_object_set_new(o, "error", str_or_null(f->error));
	json_object_set_new(o, "error_kind",
			    f->err == HTTP_OK ? json_null() : json_string(http_err_name(f->err)));
	if (!f->json_ok && f->body_excerpt[0])
		json_object_set_new(o, "body_excerpt", str_or_null(f->body_excerpt));
}

/* ISO 8601 UTC of a wall-clock ms value. */
static void iso_utc(int64_t ms, char *out, size_t outsz)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* diagnosis: the leaf, the path with its evidence, the notes and the leaf's texts. */
static json_t *build_diagnosis(const diagnosis *d)
{
	json_t *dj = json_object();
	const rb_leaf *lf = d->leaf;
	json_object_set_new(dj, "leaf", json_string(lf ? lf->id : "unknown"));
	json_object_set_new(dj, "title", str_or_null(lf ? lf->title : NULL));
	json_object_set_new(dj, "summary", str_or_null(lf ? lf->summary : NULL));
	json_object_set_new(dj, "exit_code",
			    json_integer(runbook_exit_code(lf ? lf->id : "unknown")));
	json_object_set_new(dj, "severity", str_or_null(lf ? lf->severity : NULL));
	json_t *path = json_array();
	for (int i = 0; i < d->n_steps; i++) {
		const diag_step *s = &d->steps[i];
		json_t *p = json_object();
		json_object_set_new(p, "node", str_or_null(s->node ? s->node->id : NULL));
		json_object_set_new(p, "question", str_or_null(s->question));
		json_object_set_new(p, "answer", json_string(predicate_answer_name(s->ans)));
		json_object_set_new(p, "evidence", str_or_null(s->evidence));
		json_object_set_new(p, "source", json_string(diagnose_source_name(s->from)));
		json_array_append_new(path, p);
	}
	json_object_set_new(dj, "path", path);
	json_t *notes = json_array();
	for (int i = 0; i < d->n_notes; i++)
		json_array_append_new(notes, str_or_null(d->notes[i]));
	json_object_set_new(dj, "notes", notes);
	/* steps[]: each step's text, as before runbook /2; steps_detail[]: the whole step. */
	json_t *steps = json_array(), *detail = json_array();
	for (int i = 0; lf && i < lf->n_steps; i++) {
		const rb_step *st = &lf->steps[i];
		json_array_append_new(steps, str_or_null(st->text));
		json_t *o = json_object();
		json_object_set_new(o, "id", str_or_null(st->id));
		json_object_set_new(o, "text", str_or_null(st->text));
		json_object_set_new(o, "verify", str_or_null(st->verify));
		json_object_set_new(o, "command", str_or_null(st->command));
		json_object_set_new(o, "link", str_or_null(st->link));
		json_array_append_new(detail, o);
	}
	json_object_set_new(dj, "steps", steps);
	json_object_set_new(dj, "steps_detail", detail);
	json_object_set_new(dj, "escalation", str_or_null(lf ? lf->escalation : NULL));
	json_object_set_new(dj, "cause", str_or_null(lf ? lf->cause : NULL));
	json_object_set_new(dj, "impact", str_or_null(lf ? lf->impact : NULL));
	return dj;
}

/* A name and status pair (a component, a maintenance). */
static json_t *name_status(const char *name, const char *status)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", str_or_null(name));
	json_object_set_new(o, "status", str_or_null(status));
	return o;
}

/* status: HubSpot's status page. */
static json_t *build_status(const ev_status *st)
{
	json_t *sj = json_object();
	json_object_set_new(sj, "indicator", str_or_null(st->indicator));
	json_object_set_new(sj, "description", str_or_null(st->description));
	json_object_set_new(sj, "http_status", status_or_null(&st->f));
	json_t *inc = json_array();
	for (int i = 0; i < st->n_incidents; i++) {
		const status_incident *x = &st->incidents[i];
		json_t *o = name_status(x->name, x->status);
		json_object_set_new(o, "impact", str_or_null(x->impact));
		json_object_set_new(o, "updated_at", str_or_null(x->updated_at));
		json_object_set_new(o, "shortlink", str_or_null(x->shortlink));
		json_object_set_new(o, "latest_update", str_or_null(x->latest_update));
		json_array_append_new(inc, o);
	}
	json_object_set_new(sj, "incidents", inc);
	json_object_set_new(sj, "incidents_total", json_integer(st->incidents_total));
	json_t *comp = json_array();
	for (int i = 0; i < st->n_components_bad; i++)
		json_array_append_new(
		    comp, name_status(st->components_bad[i].name, st->components_bad[i].status));
	json_object_set_new(sj, "components_not_operational", comp);
	json_t *mt = json_array();
	for (int i = 0; i < st->n_maint; i++)
		json_array_append_new(mt, name_status(st->maint[i].name, st->maint[i].status));
	json_object_set_new(sj, "maintenance", mt);
	add_fetch(sj, &st->f);
	return sj;
}

/* api: our own CRM call. */
static json_t *build_api(const ev_api *a)
{
	json_t *aj = json_object();
	json_object_set_new(aj, "http_status", status_or_null(&a->f));
	json_object_set_new(aj, "latency_ms",
			    evidence_answered(&a->f) ? json_integer(a->f.latency_ms) : json_null());
	json_object_set_new(aj, "category", str_or_null(a->category));
	json_object_set_new(aj, "sub_category", str_or_null(a->sub_category));
	json_object_set_new(aj, "error_type", str_or_null(a->error_type));
	json_object_set_new(aj, "policy_name", str_or_null(a->policy_name));
	json_object_set_new(aj, "message", str_or_null(a->message));
	json_object_set_new(aj, "correlation_id", str_or_null(a->correlation_id));
	json_object_set_new(aj, "required_scopes", str_or_null(a->required_scopes));
	json_object_set_new(aj, "correct_hublet", str_or_null(a->correct_hublet));
	json_object_set_new(aj, "auth_failure_header", json_boolean(a->auth_failure_header));
	add_fetch(aj, &a->f);
	return aj;
}

/* rate_limit: the headers of our call. */
static json_t *build_rate(const ev_api *a)
{
	json_t *rj = json_object();
	json_object_set_new(rj, "daily", opt_or_null(a->rl_daily));
	json_object_set_new(rj, "daily_remaining", opt_or_null(a->rl_daily_remaining));
	json_object_set_new(rj, "interval_ms", opt_or_null(a->rl_interval_ms));
	json_object_set_new(rj, "max", opt_or_null(a->rl_max));
	json_object_set_new(rj, "remaining", opt_or_null(a->rl_remaining));
	json_object_set_new(rj, "retry_after_s", opt_or_null(a->retry_after_s));
	return rj;
}

/* usage: the account's daily usage as HubSpot counts it. */
static json_t *build_usage(const ev_usage *u)
{
	json_t *uj = json_object();
	json_object_set_new(uj, "http_status", status_or_null(&u->f));
	json_object_set_new(uj, "usage_limit", opt_or_null(u->usage_limit));
	json_object_set_new(uj, "current_usage", opt_or_null(u->current_usage));
	json_object_set_new(uj, "collected_at", str_or_null(u->collected_at));
	json_object_set_new(uj, "fetch_status", str_or_null(u->fetch_status));
	json_object_set_new(uj, "resets_at", str_or_null(u->resets_at));
	add_fetch(uj, &u->f);
	return uj;
}

/* health: our own app's health endpoint. */
static json_t *build_health(const ev_health *h)
{
	json_t *hj = json_object();
	json_object_set_new(hj, "state", json_string(evidence_health_name(h->state)));
	json_object_set_new(hj, "http_status", status_or_null(&h->f));
	json_object_set_new(hj, "status_text", str_or_null(h->status_text));
	char shape[2] = {h->shape, 0};
	json_object_set_new(hj, "shape", h->shape ? json_string(shape) : json_null());
	json_object_set_new(hj, "format", str_or_null(probe_health_format_name(h->format)));
	json_object_set_new(hj, "hubspot_entry", str_or_null(h->hubspot_entry));
	json_object_set_new(hj, "hubspot_message", str_or_null(h->hubspot_words));
	json_object_set_new(hj, "hubspot_connected",
			    h->hubspot_connected < 0 ? json_null()
						     : json_boolean(h->hubspot_connected));
	json_object_set_new(hj, "hubspot_latency_ms", opt_or_null(h->hubspot_latency_ms));
	json_object_set_new(hj, "circuit_state", str_or_null(h->circuit_state));
	json_object_set_new(hj, "dlq_pending", opt_or_null(h->dlq_pending));
	add_fetch(hj, &h->f);
	return hj;
}

/* Build the whole report as a JSON object. */
static json_t *build(const evidence *e, const diagnosis *d)
{
	json_t *root = json_object();
	char when[40];
	iso_utc(common_now_ms(), when, sizeof when);
	json_object_set_new(root, "tool", json_string("hsrunbook"));
	json_object_set_new(root, "version", json_string(HSR_VERSION));
	json_object_set_new(root, "generated_at", json_string(when));
	json_object_set_new(root, "diagnosis", build_diagnosis(d));
	json_object_set_new(root, "status", build_status(&e->status));
	json_object_set_new(root, "api", build_api(&e->api));
	json_object_set_new(root, "rate_limit", build_rate(&e->api));
	json_object_set_new(root, "usage", build_usage(&e->usage));
	json_object_set_new(root, "health", build_health(&e->health));
	json_t *pj = json_object();
	json_object_set_new(pj, "api_requests", json_integer(e->api_requests));
	json_object_set_new(pj, "token_set", json_boolean(!e->no_token));
	json_object_set_new(pj, "slow_ms", json_integer(e->slow_ms));
	json_object_set_new(root, "probes", pj);
	return root;
}

/* Write the JSON report. */
void report_json(FILE *out, const evidence *e, const diagnosis *d)
{
	json_t *root = build(e, d);
	json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
}

/* "1,234" or "unknown". */
static void num(opt_int v, char *out, size_t outsz)
{
	if (v.known)
		format_count(out, outsz, v.v);
	else
		snprintf(out, outsz, "unknown");
}

/* One line saying how a probe's request went when it did not answer. */
static void fetch_line(FILE *out, const fetch_info *f)
{
	if (!f->done)
		fprintf(out, "  no result: the probe did not finish\n");
	else if (f->err != HTTP_OK)
		fprintf(out, "  %s\n", f->error);
	else if (!f->json_ok && f->body_excerpt[0])
		fprintf(out, "  body is not JSON: %s\n", f->body_excerpt);
}

/* A clock time that says its zone: the account's when utc_offset is set, else UTC. */
static void clock_of(const evidence *e, int64_t ms, char *out, size_t outsz)
{
	format_clock(out, outsz, ms, e->utc_offset_set, e->utc_offset_min);
}

/* "resets 00:00 account time (UTC-05:00)", "resets 05:00 UTC", or why it is not known. */
static void reset_words(const evidence *e, char *out, size_t outsz)
{
	config c;
	config_defaults(&c);
	c.utc_offset_min = e->utc_offset_min;
	c.utc_offset_set = e->utc_offset_set;
	ratelimit_reset_source src;
	int64_t at = ratelimit_reset_hint(&e->usage, &c, common_now_ms(), &src);
	char clock[40], off[16];
	if (!at) {
		snprintf(out, outsz,
			 "resets at the account's midnight (set utc_offset to see when)");
		return;
	}
	clock_of(e, at, clock, sizeof clock);
	format_utc_offset(off, sizeof off, e->utc_offset_min);
	snprintf(out, outsz, "resets %s%s%s%s", clock, e->utc_offset_set ? " (account at " : "",
		 e->utc_offset_set ? off : "", e->utc_offset_set ? ")" : "");
}

/* The rate-limit lines: the app's burst window, the account's day, our probes' own calls. */
static void limits_text(FILE *out, const evidence *e)
{
	const ev_api *a = &e->api;
	char a1[32], a2[32], reset[120];
	num(a->rl_remaining, a1, sizeof a1);
	num(a->rl_max, a2, sizeof a2);
	fprintf(out, "\nRate limits       burst window (this app): %s of %s calls left", a1, a2);
	if (a->rl_interval_ms.known)
		fprintf(out, " per %lld s", a->rl_interval_ms.v / 1000);
	fputc('\n', out);
	reset_words(e, reset, sizeof reset);
	num(a->rl_daily_remaining, a1, sizeof a1);
	num(a->rl_daily, a2, sizeof a2);
	if (ratelimit_daily(a) == RATELIMIT_DAILY_NONE)
		fprintf(out,
			"  daily limit: none in the headers (an OAuth token); the account usage "
			"below counts private apps only\n");
	else
		fprintf(out, "  daily limit (whole account): %s of %s calls left; %s\n", a1, a2,
			reset);
	if (a->retry_after_s.known)
		fprintf(out, "  Retry-After: %lld s\n", a->retry_after_s.v);
	const ev_usage *u = &e->usage;
	num(u->current_usage, a1, sizeof a1);
	num(u->usage_limit, a2, sizeof a2);
	const char *who = "  account usage (all private apps, as HubSpot counts it)";
	/* A 2xx whose body was read: the figures (or why HubSpot has none) are in it. */
	bool read_2xx = evidence_answered_2xx(&u->f) && u->f.err == HTTP_OK;
	if (read_2xx && !evidence_usage_trusted(u->fetch_status))
		fprintf(out, "%s: unknown: HubSpot could not count (fetchStatus %s)\n", who,
			u->fetch_status);
	else if (read_2xx)
		fprintf(out, "%s: %s of %s used today%s%s%s\n", who, a1, a2,
			u->fetch_status[0] ? " (" : "", u->fetch_status,
			u->fetch_status[0] ? ")" : "");
	else if (u->f.done && u->f.configured && u->f.err == HTTP_OK)
		fprintf(out, "%s: unknown (the usage endpoint answered HTTP %ld)\n", who,
			u->f.http_status);
	else if (u->f.done && u->f.configured)
		fprintf(out, "%s: unknown (%s)\n", who, u->f.error);
	fprintf(out,
		"  our probes' own calls: %u to the HubSpot API in this run (part of the "
		"account's usage)\n",
		e->api_requests);
}

/* The diagnosis: leaf, path (evidence said once, then "same evidence"), notes, steps. */
static void diagnosis_text(FILE *out, const diagnosis *d)
{
	const rb_leaf *lf = d->leaf;
	fprintf(out, "\nDiagnosis         %s: %s (exit %d)\n", lf ? lf->id : "unknown",
		lf && lf->title ? lf->title : "", runbook_exit_code(lf ? lf->id : "unknown"));
	if (lf && lf->summary)
		fprintf(out, "  %s\n", lf->summary);
	for (int i = 0; i < d->n_steps; i++) {
		const diag_step *s = &d->steps[i];
		bool same = diagnose_same_evidence(d, i);
		fprintf(out, "  %d. %s %s: %s\n", i + 1, s->question, predicate_answer_name(s->ans),
			same ? "same evidence" : s->evidence);
	}
	for (int i = 0; i < d->n_notes; i++)
		fprintf(out, "  note: %s\n", d->notes[i]);
	if (lf && lf->n_steps) {
		fprintf(out, "\nWhat to do\n");
		for (int i = 0; i < lf->n_steps; i++) {
			const rb_step *st = &lf->steps[i];
			fprintf(out, "  %d. %s\n", i + 1, st->text);
			if (st->command)
				fprintf(out, "     team command: %s\n", st->command);
			if (st->link)
				fprintf(out, "     more: %s\n", st->link);
		}
	}
	if (lf && lf->escalation)
		fprintf(out, "  Escalate: %s\n", lf->escalation);
}

/* Write the text report. */
void report_text(FILE *out, const evidence *e, const diagnosis *d)
{
	char when[40], t[40], clock[40], lat[32];
	if (e->no_token)
		fprintf(out, "%s\n\n", REPORT_NO_TOKEN);
	time_t now = (time_t)(common_now_ms() / 1000);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
	fprintf(out, "hsrunbook triage  %s\n\n", when);

	const ev_status *st = &e->status;
	fprintf(out, "HubSpot status    %s%s%s\n", st->indicator[0] ? st->indicator : "unknown",
		st->description[0] ? " - " : "", st->description);
	fetch_line(out, &st->f);
	for (int i = 0; i < st->n_incidents; i++) {
		const status_incident *x = &st->incidents[i];
		format_age(t, sizeof t, x->updated_ms, common_now_ms());
		if (x->updated_ms > 0) {
			clock_of(e, x->updated_ms, clock, sizeof clock);
			fprintf(out, "  incident: %s (%s, impact %s, updated %s, %s)\n", x->name,
				x->status[0] ? x->status : "?", x->impact[0] ? x->impact : "?",
				clock, t);
		} else {
			fprintf(out, "  incident: %s (%s, impact %s, updated: unknown)\n", x->name,
				x->status[0] ? x->status : "?", x->impact[0] ? x->impact : "?");
		}
	}
	for (int i = 0; i < st->n_components_bad; i++)
		fprintf(out, "  component: %s is %s\n", st->components_bad[i].name,
			st->components_bad[i].status);
	for (int i = 0; i < st->n_maint; i++)
		fprintf(out, "  maintenance: %s (%s)\n", st->maint[i].name, st->maint[i].status);

	const ev_api *a = &e->api;
	if (evidence_answered(&a->f)) {
		format_count(lat, sizeof lat, a->f.latency_ms);
		fprintf(out, "\nAPI (our call)    HTTP %ld in %s ms", a->f.http_status, lat);
		if (evidence_slow_2xx(&a->f, e->slow_ms)) {
			format_count(t, sizeof t, e->slow_ms);
			fprintf(out, ": slow, over slow_ms (%s ms)", t);
		}
		fputc('\n', out);
	} else {
		fprintf(out, "\nAPI (our call)    no answer\n");
	}
	fetch_line(out, &a->f);
	if (a->category[0] || a->error_type[0] || a->policy_name[0])
		fprintf(out, "  category %s  errorType %s  policyName %s\n",
			a->category[0] ? a->category : "-", a->error_type[0] ? a->error_type : "-",
			a->policy_name[0] ? a->policy_name : "-");
	if (a->message[0])
		fprintf(out, "  message: %s\n", a->message);
	if (a->required_scopes[0])
		fprintf(out, "  required scopes: %s\n", a->required_scopes);
	if (a->correlation_id[0])
		fprintf(out, "  correlation id: %s\n", a->correlation_id);

	limits_text(out, e);

	const ev_health *h = &e->health;
	if (h->f.done && !h->f.configured)
		fprintf(out, "\nOur health        not configured (set health_url)\n");
	else {
		fprintf(out, "\nOur health        %s", evidence_health_name(h->state));
		if (evidence_answered(&h->f)) {
			const char *fmt = probe_health_format_title(h->format);
			fprintf(out, " (HTTP %ld%s%s)", h->f.http_status, fmt[0] ? ", " : "", fmt);
		}
		if (h->hubspot_connected >= 0)
			fprintf(out, "; HubSpot %s",
				h->hubspot_state == HEALTH_DEGRADED ? "degraded"
				: h->hubspot_connected		    ? "connected"
								    : "not connected");
		if (h->hubspot_entry[0])
			fprintf(out, " (entry \"%s\"%s%s)", h->hubspot_entry,
				h->hubspot_words[0] ? ": " : "", h->hubspot_words);
		if (h->hubspot_latency_ms.known) {
			format_count(lat, sizeof lat, h->hubspot_latency_ms.v);
			fprintf(out, "; our app's own HubSpot latency %s ms", lat);
		}
		if (h->circuit_state[0])
			fprintf(out, "; circuit %s", h->circuit_state);
		if (h->dlq_pending.known)
			fprintf(out, "; dead-letter queue %lld", h->dlq_pending.v);
		fputc('\n', out);
		if (h->format != HEALTH_FMT_PLAIN) /* a plain status word is meant to be text */
			fetch_line(out, &h->f);
	}
	diagnosis_text(out, d);
}
