/* Named evidence predicates: each answers one runbook question and says which evidence did. */
#include "hsr/predicate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hsr/format.h"
#include "hsr/ratelimit.h"

/* Where an answer's "why" is written. */
typedef struct {
	char *buf;
	size_t sz;
} why_t;

typedef answer (*pred_fn)(const evidence *e, why_t *w);

/* Drop a character left half-written at the end of s (len bytes) by a cut-off vsnprintf. */
static void trim_partial_utf8(char *s, size_t len)
{
	size_t k = len, cont = 0;
	while (k > 0 && cont < 3 && ((unsigned char)s[k - 1] & 0xC0) == 0x80) {
		k--;
		cont++;
	}
	if (k == 0)
		return;
	unsigned char lead = (unsigned char)s[k - 1];
	size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (lead >= 0xC0 && cont + 1 < need)
		s[k - 1] = '\0';
}

/* vsnprintf into dst (dstsz > 0), never leaving half a UTF-8 character when it cuts. */
static void vput(char *dst, size_t dstsz, const char *fmt, va_list ap)
{
	int n = vsnprintf(dst, dstsz, fmt, ap);
	if (n >= 0 && (size_t)n >= dstsz)
		trim_partial_utf8(dst, dstsz - 1);
}

/* Write the one-line why (replacing what was there). */
__attribute__((format(printf, 2, 3))) static void say(why_t *w, const char *fmt, ...)
{
	if (!w->buf || w->sz == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vput(w->buf, w->sz, fmt, ap);
	va_end(ap);
}

/* Append to the why. */
__attribute__((format(printf, 2, 3))) static void add(why_t *w, const char *fmt, ...)
{
	if (!w->buf || w->sz == 0)
		return;
	size_t l = strnlen(w->buf, w->sz);
	if (l + 1 >= w->sz)
		return;
	va_list ap;
	va_start(ap, fmt);
	vput(w->buf + l, w->sz - l, fmt, ap);
	va_end(ap);
}

/* At most max bytes of remote text s, cut at a character boundary, in buf (max + 1 bytes). */
static const char *clip(char *buf, size_t max, const char *s)
{
	format_utf8_copy(buf, max + 1, s);
	return buf;
}

/* A person's words for a transport failure of f: the HTTP layer's own line, else ours. */
static void transport_words(const fetch_info *f, char *buf, size_t sz)
{
	if (f->error[0]) {
		format_utf8_copy(buf, sz, f->error);
		return;
	}
	switch (f->err) {
	case HTTP_ERR_DNS:
		snprintf(buf, sz, "DNS lookup failed");
		break;
	case HTTP_ERR_REFUSED:
		snprintf(buf, sz, "connection refused");
		break;
	case HTTP_ERR_CONNECT:
		snprintf(buf, sz, "could not connect");
		break;
	case HTTP_ERR_TIMEOUT:
		if (f->latency_ms > 0)
			snprintf(buf, sz, "timed out after %.1f s", (double)f->latency_ms / 1000.0);
		else
			snprintf(buf, sz, "timed out");
		break;
	case HTTP_ERR_TLS:
		snprintf(buf, sz, "TLS handshake or certificate check failed");
		break;
	case HTTP_ERR_TOO_LARGE:
		snprintf(buf, sz, "answer too large");
		break;
	case HTTP_ERR_BAD_URL:
		snprintf(buf, sz, "the URL is invalid");
		break;
	case HTTP_ERR_CANCELLED:
		snprintf(buf, sz, "request cancelled");
		break;
	default:
		snprintf(buf, sz, "request failed");
		break;
	}
}

/* Explain a probe that has no HTTP answer to offer; what names the probe for a person. */
static void say_no_answer(why_t *w, const fetch_info *f, evidence_outcome g, const char *what,
			  const char *unset)
{
	char words[240];
	switch (g) {
	case EVIDENCE_PENDING:
		say(w, "%s: no result yet (probe still running)", what);
		break;
	case EVIDENCE_NOT_ASKED:
		say(w, "%s: not asked: %s", what, f->error[0] ? f->error : unset);
		break;
	default:
		transport_words(f, words, sizeof words);
		say(w, "%s: no answer: %s", what, words);
		break;
	}
}

/* ---- the CRM API call ---- */

/* "API answered HTTP 401, category ..., ...": the facts of an HTTP answer. */
static void say_api_answer(why_t *w, const ev_api *a)
{
	char cut[81];
	say(w, "API answered HTTP %ld", a->f.http_status);
	if (a->category[0])
		add(w, ", category %s", a->category);
	if (a->error_type[0])
		add(w, ", errorType %s", a->error_type);
	if (a->policy_name[0])
		add(w, ", policyName %s", a->policy_name);
	if (a->auth_failure_header)
		add(w, ", X-HubSpot-Auth-Failure present");
	if (a->correct_hublet[0])
		add(w, ", correctHublet %s", a->correct_hublet);
	if (a->required_scopes[0])
		add(w, ", requires %s", a->required_scopes);
	if (a->f.err == HTTP_ERR_TOO_LARGE) {
		add(w, ", body too large to read");
		if (a->f.body_excerpt[0])
			add(w, ": \"%s\"", clip(cut, 60, a->f.body_excerpt));
	} else if (!a->f.json_ok && a->f.body_excerpt[0])
		add(w, ", body not JSON: \"%s\"", clip(cut, 60, a->f.body_excerpt));
	else if (a->message[0] && a->f.http_status >= 300)
		add(w, ": \"%s\"", clip(cut, 80, a->message));
}

/* The API probe's answer, or NULL after writing why there is none. */
static const ev_api *api_answer(const evidence *e, why_t *w)
{
	evidence_outcome g = evidence_outcome_of(&e->api.f);
	if (g == EVIDENCE_ANSWERED)
		return &e->api;
	say_no_answer(w, &e->api.f, g, "API call",
		      "no token: set HUBSPOT_ACCESS_TOKEN or --token-file");
	return NULL;
}

/* Whether the API answered with a status in [lo, hi]. */
static answer api_status_in(const evidence *e, why_t *w, long lo, long hi)
{
	const ev_api *a = api_answer(e, w);
	if (!a)
		return ANSWER_UNKNOWN;
	say_api_answer(w, a);
	return a->f.http_status >= lo && a->f.http_status <= hi ? ANSWER_YES : ANSWER_NO;
}

/* Did the API call fail before any HTTP answer (DNS, connect, TLS, time-out)? */
static answer p_api_unreachable(const evidence *e, why_t *w)
{
	evidence_outcome g = evidence_outcome_of(&e->api.f);
	char words[240];
	switch (g) {
	case EVIDENCE_ANSWERED:
		say(w, "API answered HTTP %ld in %ld ms", e->api.f.http_status,
		    e->api.f.latency_ms);
		return ANSWER_NO;
	case EVIDENCE_NO_ANSWER:
		transport_words(&e->api.f, words, sizeof words);
		say(w, "no API answer: %s", words);
		return ANSWER_YES;
	case EVIDENCE_BAD_URL:
		transport_words(&e->api.f, words, sizeof words);
		say(w, "no API answer: %s; check api_base (--api-base)", words);
		return ANSWER_YES;
	default:
		api_answer(e, w);
		return ANSWER_UNKNOWN;
	}
}

/* Was a token configured for the API probe? */
static answer p_api_configured(const evidence *e, why_t *w)
{
	evidence_outcome g = evidence_outcome_of(&e->api.f);
	if (g == EVIDENCE_PENDING) {
		say(w, "API call: no result yet (probe still running)");
		return ANSWER_UNKNOWN;
	}
	if (g == EVIDENCE_NOT_ASKED) {
		api_answer(e, w);
		return ANSWER_NO;
	}
	say(w, "API probe configured (token present)");
	return ANSWER_YES;
}

/* Any 2xx answer. */
static answer p_api_http_2xx(const evidence *e, why_t *w)
{
	answer a = api_status_in(e, w, 200, 299);
	if (a == ANSWER_YES)
		add(w, " in %ld ms", e->api.f.latency_ms);
	return a;
}

/* Did our API call answer 2xx but slower than slow_ms (strictly)? */
static answer p_api_slow(const evidence *e, why_t *w)
{
	const ev_api *a = api_answer(e, w);
	if (!a)
		return ANSWER_UNKNOWN;
	if (!evidence_answered_2xx(&a->f)) {
		say_api_answer(w, a);
		add(w, ": not a 2xx, so not a slow success");
		return ANSWER_NO;
	}
	if (a->f.latency_ms < 0) {
		say(w, "API answered HTTP %ld, latency not measured", a->f.http_status);
		return ANSWER_UNKNOWN;
	}
	if (e->slow_ms <= 0) {
		say(w, "API answered HTTP %ld in %ld ms; no slow_ms threshold set",
		    a->f.http_status, a->f.latency_ms);
		return ANSWER_UNKNOWN;
	}
	bool slow = a->f.latency_ms > e->slow_ms;
	say(w, "our API call answered HTTP %ld in %ld ms, %s the slow_ms threshold of %ld ms",
	    a->f.http_status, a->f.latency_ms, slow ? "over" : "not over", e->slow_ms);
	return slow ? ANSWER_YES : ANSWER_NO;
}

/* A 401: the token was refused. */
static answer p_api_http_401(const evidence *e, why_t *w)
{
	return api_status_in(e, w, 401, 401);
}

/* A 401 saying an OAuth token expired. */
static answer p_api_token_expired(const evidence *e, why_t *w)
{
	answer a = api_status_in(e, w, 401, 401);
	if (a == ANSWER_YES && strcmp(e->api.category, "EXPIRED_AUTHENTICATION") != 0)
		a = ANSWER_NO;
	return a;
}

/* Any 403. */
static answer p_api_http_403(const evidence *e, why_t *w)
{
	return api_status_in(e, w, 403, 403);
}

/* A 403 for missing scopes (category MISSING_SCOPES, or scopes named as required). */
static answer p_api_http_403_missing_scopes(const evidence *e, why_t *w)
{
	answer a = api_status_in(e, w, 403, 403);
	if (a == ANSWER_YES && strcmp(e->api.category, "MISSING_SCOPES") != 0 &&
	    !e->api.required_scopes[0])
		a = ANSWER_NO;
	return a;
}

/* Any 4xx. */
static answer p_api_http_4xx(const evidence *e, why_t *w)
{
	return api_status_in(e, w, 400, 499);
}

/* Any 429. */
static answer p_api_http_429(const evidence *e, why_t *w)
{
	return api_status_in(e, w, 429, 429);
}

/* Any 5xx. */
static answer p_api_http_5xx(const evidence *e, why_t *w)
{
	return api_status_in(e, w, 500, 599);
}

/* The daily allowance is spent: 429 DAILY, 0 calls left today, or (429, no policy) usage full. */
static answer daily_spent(const evidence *e, why_t *w, bool *is429)
{
	const ev_api *a = api_answer(e, w);
	*is429 = false;
	if (!a)
		return ANSWER_UNKNOWN;
	say_api_answer(w, a);
	*is429 = a->f.http_status == 429;
	if (ratelimit_daily_spent(a, &e->usage)) {
		/* Say which of the rule's three cases it is (ratelimit_daily_spent). */
		if (*is429 && strcmp(a->policy_name, "DAILY") == 0)
			return ANSWER_YES;
		if (a->rl_daily_remaining.known && a->rl_daily_remaining.v == 0) {
			add(w, "; daily remaining 0");
			if (a->rl_daily.known)
				add(w, " of %lld", a->rl_daily.v);
			return ANSWER_YES;
		}
		add(w, "; usage endpoint: %lld of %lld calls used today", e->usage.current_usage.v,
		    e->usage.usage_limit.v);
		return ANSWER_YES;
	}
	if (a->rl_daily_remaining.known) {
		add(w, "; daily remaining %lld", a->rl_daily_remaining.v);
		if (a->rl_daily.known)
			add(w, " of %lld", a->rl_daily.v);
	}
	return ANSWER_NO;
}

/* Is the daily allowance spent? */
static answer p_api_rate_limited_daily(const evidence *e, why_t *w)
{
	bool is429;
	return daily_spent(e, w, &is429);
}

/* A 429 that is not the daily limit: the 10-second (or older secondly) burst window. */
static answer p_api_rate_limited_burst(const evidence *e, why_t *w)
{
	bool is429;
	answer d = daily_spent(e, w, &is429);
	if (d == ANSWER_UNKNOWN)
		return d;
	if (!is429 || d == ANSWER_YES)
		return ANSWER_NO;
	if (!e->api.policy_name[0])
		add(w, "; no policyName: counted as a burst 429");
	if (e->api.rl_remaining.known) {
		add(w, "; window remaining %lld", e->api.rl_remaining.v);
		if (e->api.rl_max.known)
			add(w, " of %lld", e->api.rl_max.v);
	}
	if (e->api.retry_after_s.known)
		add(w, "; Retry-After %lld s", e->api.retry_after_s.v);
	return ANSWER_YES;
}

/* Are fewer than 10% of the day's calls left (headers, else the usage endpoint)? */
static answer p_api_daily_low(const evidence *e, why_t *w)
{
	const ev_api *a = &e->api;
	if (evidence_outcome_of(&a->f) == EVIDENCE_ANSWERED && a->rl_daily.known &&
	    a->rl_daily_remaining.known && a->rl_daily.v > 0) {
		say(w, "daily remaining %lld of %lld (headers)", a->rl_daily_remaining.v,
		    a->rl_daily.v);
		return a->rl_daily_remaining.v * 10 < a->rl_daily.v ? ANSWER_YES : ANSWER_NO;
	}
	const ev_usage *u = &e->usage;
	if (ratelimit_usage_figures(u)) {
		long long left = u->usage_limit.v - u->current_usage.v;
		say(w, "usage endpoint: %lld of %lld calls used today", u->current_usage.v,
		    u->usage_limit.v);
		return left * 10 < u->usage_limit.v ? ANSWER_YES : ANSWER_NO;
	}
	say(w, "daily budget unknown: no rate-limit headers and no usage figures");
	if (!evidence_usage_trusted(u->fetch_status))
		add(w, " (usage endpoint: fetchStatus %s)", u->fetch_status);
	return ANSWER_UNKNOWN;
}

/* Did HubSpot say we call the wrong data centre (correctHublet)? */
static answer p_api_wrong_hublet(const evidence *e, why_t *w)
{
	const ev_api *a = api_answer(e, w);
	if (!a)
		return ANSWER_UNKNOWN;
	say_api_answer(w, a);
	return a->correct_hublet[0] ? ANSWER_YES : ANSWER_NO;
}

/* ---- the status page ---- */

/* Whether the status page was read; writes why when it was not. */
static bool status_read(const evidence *e, why_t *w, answer *ans)
{
	const ev_status *s = &e->status;
	evidence_outcome g = evidence_outcome_of(&s->f);
	if (g != EVIDENCE_ANSWERED) {
		say_no_answer(w, &s->f, g, "status page", "no status page URL configured");
		*ans = g == EVIDENCE_PENDING || g == EVIDENCE_NOT_ASKED || g == EVIDENCE_CANCELLED
			   ? ANSWER_UNKNOWN
			   : ANSWER_NO;
		return false;
	}
	if (!evidence_answered_2xx(&s->f) || !s->f.json_ok) {
		say(w, "status page: answered HTTP %ld%s%s%s", s->f.http_status,
		    s->f.err == HTTP_ERR_TOO_LARGE ? ", too large to read"
		    : s->f.json_ok		   ? ""
						   : ", not a Statuspage summary",
		    s->f.body_excerpt[0] ? ": " : "", s->f.body_excerpt);
		*ans = ANSWER_NO;
		return false;
	}
	return true;
}

/* The stored component that is an API and down (as the probe judged api_component_degraded). */
static const status_component *api_component(const ev_status *s)
{
	for (int k = 0; k < s->n_components_bad; k++)
		if (evidence_names_api(s->components_bad[k].name) &&
		    evidence_component_down(s->components_bad[k].status))
			return &s->components_bad[k];
	return NULL;
}

/* Does the status page report an unresolved incident or a degraded API? */
static answer p_status_incident_active(const evidence *e, why_t *w)
{
	const ev_status *s = &e->status;
	answer unread;
	if (!status_read(e, w, &unread))
		return ANSWER_UNKNOWN;
	int total = s->incidents_total > s->n_incidents ? s->incidents_total : s->n_incidents;
	bool bad_indicator =
	    strcmp(s->indicator, "major") == 0 || strcmp(s->indicator, "critical") == 0;
	if (total > 0) {
		say(w, "status page: %d unresolved incident%s", total, total == 1 ? "" : "s");
		if (s->n_incidents > 0) {
			const status_incident *in = &s->incidents[0];
			add(w, ", \"%s\"", in->name);
			if (in->impact[0] || in->status[0])
				add(w, " (%s%s%s)", in->impact,
				    in->impact[0] && in->status[0] ? ", " : "", in->status);
		}
	} else if (s->api_component_degraded) {
		const status_component *c = api_component(s);
		if (c)
			say(w, "status page: component \"%s\" %s", c->name, c->status);
		else
			say(w, "status page: an API component is not operational");
	} else if (bad_indicator) {
		say(w, "status page: indicator %s", s->indicator);
	} else if (!s->incidents_known && !s->indicator[0]) {
		/* A 2xx summary that says neither: silence is not "all clear". */
		say(w, "status page: answered HTTP %ld but listed no incidents and no indicator",
		    s->f.http_status);
		return ANSWER_UNKNOWN;
	} else {
		say(w, "status page: \"%s\" (indicator %s), %s",
		    s->description[0] ? s->description : "no description",
		    s->indicator[0] ? s->indicator : "unknown",
		    s->incidents_known ? "no unresolved incidents" : "incidents not listed");
		if (s->components_bad_total > 0)
			add(w, "; %d component%s not operational", s->components_bad_total,
			    s->components_bad_total == 1 ? "" : "s");
		if (s->n_maint > 0)
			add(w, "; maintenance in progress: \"%s\"", s->maint[0].name);
		return ANSWER_NO;
	}
	const status_component *c = api_component(s);
	if (total > 0 && c)
		add(w, "; component \"%s\" %s", c->name, c->status);
	if (total > 0 && bad_indicator)
		add(w, "; indicator %s", s->indicator);
	return ANSWER_YES;
}

/* Could the status page be read (a Statuspage summary came back)? */
static answer p_status_readable(const evidence *e, why_t *w)
{
	answer unread;
	if (!status_read(e, w, &unread))
		return unread;
	say(w, "status page read: HTTP %ld in %ld ms", e->status.f.http_status,
	    e->status.f.latency_ms);
	return ANSWER_YES;
}

/* Did the status page fail before any HTTP answer (DNS, connect, TLS, time-out)? */
static answer p_status_unreachable(const evidence *e, why_t *w)
{
	const fetch_info *f = &e->status.f;
	evidence_outcome g = evidence_outcome_of(f);
	char words[240];
	switch (g) {
	case EVIDENCE_ANSWERED:
		say(w, "status page answered HTTP %ld in %ld ms", f->http_status, f->latency_ms);
		return ANSWER_NO;
	case EVIDENCE_NO_ANSWER:
		transport_words(f, words, sizeof words);
		say(w, "status page: no answer either: %s", words);
		return ANSWER_YES;
	case EVIDENCE_BAD_URL:
		transport_words(f, words, sizeof words);
		say(w, "status page not asked: %s; check status_url (--status-url)", words);
		return ANSWER_UNKNOWN;
	default:
		say_no_answer(w, f, g, "status page", "no status page URL configured");
		return ANSWER_UNKNOWN;
	}
}

/* Is scheduled maintenance in progress? */
static answer p_status_maintenance(const evidence *e, why_t *w)
{
	const ev_status *s = &e->status;
	answer unread;
	if (!status_read(e, w, &unread))
		return ANSWER_UNKNOWN;
	if (s->n_maint > 0) {
		say(w, "status page: maintenance \"%s\" (%s)", s->maint[0].name,
		    s->maint[0].status);
		return ANSWER_YES;
	}
	if (strcmp(s->indicator, "maintenance") == 0) {
		say(w, "status page: indicator maintenance");
		return ANSWER_YES;
	}
	say(w, "status page: no maintenance in progress");
	return ANSWER_NO;
}

/* ---- our own health endpoint ---- */

/* "health endpoint unhealthy (HTTP 503, status "x", HubSpot disconnected, ...)". */
static void say_health(why_t *w, const ev_health *h)
{
	char cut[41];
	say(w, "health endpoint %s (HTTP %ld", evidence_health_name(h->state), h->f.http_status);
	if (h->status_text[0])
		add(w, ", status \"%s\"", h->status_text);
	if (h->hubspot_connected == 0)
		add(w, ", HubSpot disconnected");
	else if (h->hubspot_connected == 1)
		add(w, ", HubSpot connected");
	if (h->circuit_state[0])
		add(w, ", circuit %s", h->circuit_state);
	if (h->dlq_pending.known)
		add(w, ", %lld in the dead-letter queue", h->dlq_pending.v);
	if (h->hubspot_latency_ms.known)
		add(w, ", our app's own HubSpot latency %lld ms", h->hubspot_latency_ms.v);
	if (h->f.err == HTTP_ERR_TOO_LARGE)
		add(w, ", body too large to read");
	else if (!h->f.json_ok && h->format != HEALTH_FMT_PLAIN && h->f.body_excerpt[0])
		add(w, ", body not a JSON object: \"%s\"", clip(cut, 40, h->f.body_excerpt));
	else if (h->f.json_ok && h->format == HEALTH_FMT_NONE && !h->status_text[0])
		add(w,
		    ", JSON in no health format we know (no status, no checks, no hubspot entry)");
	add(w, ")");
}

/* Our health endpoint's answer, or NULL after writing why there is none. */
static const ev_health *health_answer(const evidence *e, why_t *w)
{
	evidence_outcome g = evidence_outcome_of(&e->health.f);
	if (g == EVIDENCE_ANSWERED)
		return &e->health;
	say_no_answer(w, &e->health.f, g, "health endpoint",
		      "no health URL configured (health_url or --health-url)");
	return NULL;
}

/* Does our health endpoint report a problem? */
static answer p_health_unhealthy(const evidence *e, why_t *w)
{
	const ev_health *h = &e->health;
	evidence_outcome g = evidence_outcome_of(&h->f);
	if (g == EVIDENCE_NO_ANSWER) {
		/* Our own service not answering its health URL is itself the evidence. */
		char words[240];
		transport_words(&h->f, words, sizeof words);
		say(w, "health endpoint did not answer: %s", words);
		return ANSWER_YES;
	}
	if (!health_answer(e, w))
		return ANSWER_UNKNOWN;
	say_health(w, h);
	switch (h->state) {
	case HEALTH_UNHEALTHY:
	case HEALTH_DEGRADED:
		return ANSWER_YES;
	case HEALTH_HEALTHY:
		return ANSWER_NO;
	default:
		if (!evidence_answered_2xx(&h->f))
			return ANSWER_YES; /* a non-2xx answer is itself evidence */
		return ANSWER_UNKNOWN;
	}
}

/* Whether what our health endpoint complains of is its HubSpot connection (or its breaker). */
static bool health_blames_hubspot(const ev_health *h)
{
	return h->hubspot_connected == 0 || strcmp(h->circuit_state, "open") == 0;
}

/*
 * Does our health endpoint, answering, report a fault of our own app: a non-2xx, or a problem
 * while HubSpot is connected (or its connection is not reported)? No answer at all: unknown.
 */
static answer p_health_reports_app_fault(const evidence *e, why_t *w)
{
	const ev_health *h = &e->health;
	if (evidence_outcome_of(&h->f) == EVIDENCE_NO_ANSWER) {
		p_health_unhealthy(e, w);
		add(w, ": no word from our app either way");
		return ANSWER_UNKNOWN;
	}
	answer a = p_health_unhealthy(e, w);
	if (a != ANSWER_YES || !evidence_answered_2xx(&h->f))
		return a;
	if (health_blames_hubspot(h)) {
		add(w, ": only its HubSpot connection is reported failing");
		return ANSWER_NO;
	}
	return ANSWER_YES;
}

/*
 * Does our app fail on its own, apart from its HubSpot connection? It does not answer, or it
 * reports a fault of its own (health.reports_app_fault).
 */
static answer p_health_app_fault(const evidence *e, why_t *w)
{
	if (evidence_outcome_of(&e->health.f) == EVIDENCE_NO_ANSWER)
		return p_health_unhealthy(e, w);
	return p_health_reports_app_fault(e, w);
}

/* Does our app report its own HubSpot latency above slow_ms? */
static answer p_health_hubspot_slow(const evidence *e, why_t *w)
{
	const ev_health *h = health_answer(e, w);
	if (!h)
		return ANSWER_UNKNOWN;
	if (!h->hubspot_latency_ms.known) {
		say(w, "health endpoint: our app reports no HubSpot latency");
		return ANSWER_UNKNOWN;
	}
	if (e->slow_ms <= 0) {
		say(w, "our app's own HubSpot latency %lld ms; no slow_ms threshold set",
		    h->hubspot_latency_ms.v);
		return ANSWER_UNKNOWN;
	}
	bool slow = h->hubspot_latency_ms.v > e->slow_ms;
	say(w,
	    "health endpoint: our app's own HubSpot latency %lld ms, %s the slow_ms threshold of "
	    "%ld ms",
	    h->hubspot_latency_ms.v, slow ? "over" : "not over", e->slow_ms);
	return slow ? ANSWER_YES : ANSWER_NO;
}

/* Is a health URL configured? */
static answer p_health_configured(const evidence *e, why_t *w)
{
	evidence_outcome g = evidence_outcome_of(&e->health.f);
	if (g == EVIDENCE_PENDING) {
		say(w, "health endpoint: no result yet (probe still running)");
		return ANSWER_UNKNOWN;
	}
	if (g == EVIDENCE_NOT_ASKED) {
		say(w, "health endpoint: not configured (health_url or --health-url)");
		return ANSWER_NO;
	}
	say(w, "health endpoint configured");
	return ANSWER_YES;
}

/* Does our health endpoint say HubSpot is disconnected? */
static answer p_health_hubspot_disconnected(const evidence *e, why_t *w)
{
	const ev_health *h = health_answer(e, w);
	if (!h)
		return ANSWER_UNKNOWN;
	say_health(w, h);
	if (h->hubspot_connected < 0)
		return ANSWER_UNKNOWN;
	return h->hubspot_connected == 0 ? ANSWER_YES : ANSWER_NO;
}

/* Does our health endpoint report an open circuit breaker? */
static answer p_health_circuit_open(const evidence *e, why_t *w)
{
	const ev_health *h = health_answer(e, w);
	if (!h)
		return ANSWER_UNKNOWN;
	say_health(w, h);
	if (!h->circuit_state[0])
		return ANSWER_UNKNOWN;
	return strcmp(h->circuit_state, "open") == 0 ? ANSWER_YES : ANSWER_NO;
}

/* ---- the table ---- */

/* Every predicate, once: its name and its function. */
#define PREDICATES(X)                                                                              \
	X("status.incident_active", p_status_incident_active)                                      \
	X("status.readable", p_status_readable)                                                    \
	X("status.maintenance", p_status_maintenance)                                              \
	X("status.unreachable", p_status_unreachable)                                              \
	X("api.configured", p_api_configured)                                                      \
	X("api.unreachable", p_api_unreachable)                                                    \
	X("api.http_2xx", p_api_http_2xx)                                                          \
	X("api.slow", p_api_slow)                                                                  \
	X("api.http_401", p_api_http_401)                                                          \
	X("api.token_expired", p_api_token_expired)                                                \
	X("api.http_403", p_api_http_403)                                                          \
	X("api.http_403_missing_scopes", p_api_http_403_missing_scopes)                            \
	X("api.http_4xx", p_api_http_4xx)                                                          \
	X("api.http_429", p_api_http_429)                                                          \
	X("api.rate_limited_daily", p_api_rate_limited_daily)                                      \
	X("api.rate_limited_burst", p_api_rate_limited_burst)                                      \
	X("api.daily_low", p_api_daily_low)                                                        \
	X("api.http_5xx", p_api_http_5xx)                                                          \
	X("api.wrong_hublet", p_api_wrong_hublet)                                                  \
	X("health.unhealthy", p_health_unhealthy)                                                  \
	X("health.app_fault", p_health_app_fault)                                                  \
	X("health.reports_app_fault", p_health_reports_app_fault)                                  \
	X("health.hubspot_slow", p_health_hubspot_slow)                                            \
	X("health.configured", p_health_configured)                                                \
	X("health.hubspot_disconnected", p_health_hubspot_disconnected)                            \
	X("health.circuit_open", p_health_circuit_open)

#define PRED_FN(name, fn)   fn,
#define PRED_NAME(name, fn) name,

static const pred_fn pred_fns[] = {PREDICATES(PRED_FN)};

const char *const predicate_names[] = {PREDICATES(PRED_NAME) NULL};

#define N_PREDS (sizeof pred_fns / sizeof pred_fns[0])

_Static_assert(sizeof predicate_names / sizeof predicate_names[0] == N_PREDS + 1,
	       "one name per predicate");

/* The function of predicate name, or NULL. */
static pred_fn find(const char *name)
{
	for (size_t k = 0; name && k < N_PREDS; k++)
		if (strcmp(predicate_names[k], name) == 0)
			return pred_fns[k];
	return NULL;
}

/* Evaluate predicate name on e, writing the evidence that answered into why. */
answer predicate_eval(const char *name, const evidence *e, char *why, size_t whysz)
{
	why_t w = {.buf = why, .sz = whysz};
	if (why && whysz)
		why[0] = '\0';
	pred_fn fn = find(name);
	if (!fn) {
		say(&w, "no such predicate \"%s\"", name ? name : "(null)");
		return ANSWER_UNKNOWN;
	}
	if (!e) {
		say(&w, "no evidence");
		return ANSWER_UNKNOWN;
	}
	return fn(e, &w);
}

/* Whether name is a known predicate. */
bool predicate_exists(const char *name)
{
	return find(name) != NULL;
}

/* "yes", "no" or "unknown". */
const char *predicate_answer_name(answer a)
{
	switch (a) {
	case ANSWER_YES:
		return "yes";
	case ANSWER_NO:
		return "no";
	default:
		return "unknown";
	}
}
