/* The dashboard pane for the rate limits. */
#include "pane.h"

#include <stdio.h>
#include <string.h>

#include "hsr/ratelimit.h"

#define RL_LABEL_W 8

/* The role of a remaining fraction: low is bad. */
static widget_role fraction_role(opt_int remaining, opt_int max)
{
	double f;
	if (!ratelimit_fraction(remaining, max, &f))
		return ROLE_UNKNOWN;
	if (remaining.v > max.v)
		return ROLE_WARN;
	if (f <= 0.10)
		return ROLE_CRIT;
	if (f <= 0.25)
		return ROLE_WARN;
	return ROLE_OK;
}

/* A labelled gauge line: "daily ███▌░░ 431,000/500,000", or why it cannot be drawn. */
static void gauge_line(text_lines *b, const ui_view *v, const char *label, opt_int remaining,
		       opt_int max)
{
	text_nl(b);
	text_add(b, ROLE_NORMAL, 0, "%-*s ", RL_LABEL_W - 1, label);
	if (!remaining.known || !max.known || max.v <= 0 || remaining.v < 0) {
		if (remaining.known && remaining.v >= 0) {
			char n[32];
			format_count(n, sizeof n, remaining.v);
			text_add(b, ROLE_NORMAL, 0, "%s left", n);
			text_put(b, ROLE_UNKNOWN, 0, " (max unknown)");
		} else {
			text_add(b, ROLE_UNKNOWN, 0, "%s unknown",
				 widget_sev_glyph(SEV_UNKNOWN, v->utf8));
			text_put(b, ROLE_DIM, 0, " (no headers)");
		}
		return;
	}
	char r[32], m[32], nums[72];
	format_count(r, sizeof r, remaining.v);
	format_count(m, sizeof m, max.v);
	snprintf(nums, sizeof nums, "%s/%s", r, m);
	widget_role role = fraction_role(remaining, max);
	int gw = b->width - RL_LABEL_W - 1 - (int)strlen(nums);
	if (gw > 40)
		gw = 40;
	if (gw >= 4) {
		widget_gauge_cells g = widget_gauge(remaining, max, gw);
		char gt[40 * 4 + 1];
		widget_gauge_text(gt, sizeof gt, &g, v->utf8);
		text_put(b, role, 0, gt);
		text_put(b, ROLE_NORMAL, 0, " ");
	}
	text_put(b, role, A_BOLD, nums);
	if (remaining.v > max.v)
		text_put(b, ROLE_WARN, 0, " over max");
}

/* The burn-rate projection against the next reset as far as it is known (0 when not). */
static void project(const ui_view *v, ratelimit_burn *out)
{
	int64_t reset = ratelimit_reset_hint(&v->ev.usage, v->cfg, v->now_ms, NULL);
	ratelimit_project(v->ev.daily, v->ev.n_daily, v->now_ms, reset, out);
}

/*
 * Whether the back-off in force is the one the last answer's Retry-After asked for: a 429
 * carrying Retry-After, whose wait ends when the back-off does (a daily reset that lasts
 * longer is not a Retry-After wait).
 */
static bool retry_after_applies(const ui_view *v)
{
	const ev_api *a = &v->ev.api;
	if (v->ev.backoff_until_ms <= v->now_ms || a->f.http_status != 429 ||
	    !a->retry_after_s.known || a->f.at_ms <= 0)
		return false;
	int64_t end = a->f.at_ms + (int64_t)a->retry_after_s.v * 1000;
	int64_t d = end - v->ev.backoff_until_ms;
	return d > -2000 && d < 2000;
}

/* The burst window's gauge (or why there is none). */
static void rate_burst_line(ui_view *v, text_lines *b, evidence_outcome k)
{
	const ev_api *a = &v->ev.api;
	/* The burst window. */
	char label[32] = "10 s";
	if (a->rl_interval_ms.known && a->rl_interval_ms.v > 0) {
		if (a->rl_interval_ms.v % 1000 == 0)
			snprintf(label, sizeof label, "%lld s", a->rl_interval_ms.v / 1000);
		else
			snprintf(label, sizeof label, "%lldms", a->rl_interval_ms.v);
	}
	if (k == EVIDENCE_PENDING || k == EVIDENCE_NOT_ASKED) {
		char pr[48];
		pane_probing_text(v, PROBE_API, pr, sizeof pr);
		pane_sev_line(b, v, SEV_UNKNOWN, "unknown",
			      k == EVIDENCE_NOT_ASKED ? "no access token"
			      : pr[0]		      ? pr
						      : "no API answer yet");
	} else {
		gauge_line(b, v, label, a->rl_remaining, a->rl_max);
	}
}

/* The daily budget's gauge, and the account's clock that it follows. */
static void rate_daily_lines(ui_view *v, text_lines *b, evidence_outcome k, ratelimit_daily_kind dk)
{
	const ev_api *a = &v->ev.api;
	char t1[32];
	if (dk == RATELIMIT_DAILY_KNOWN) {
		gauge_line(b, v, "daily", a->rl_daily_remaining, a->rl_daily);
	} else if (k != EVIDENCE_PENDING && k != EVIDENCE_NOT_ASKED) {
		text_nl(b);
		text_add(b, ROLE_NORMAL, 0, "%-*s ", RL_LABEL_W - 1, "daily");
		if (dk == RATELIMIT_DAILY_NONE)
			text_put(b, ROLE_NORMAL, 0, "no daily limit (OAuth)");
		else {
			text_add(b, ROLE_UNKNOWN, 0, "%s unknown",
				 widget_sev_glyph(SEV_UNKNOWN, v->utf8));
			text_put(b, ROLE_DIM, 0, " (no headers)");
		}
	}
	/* The account's clock, which the daily limit and every "account time" follow. */
	if (v->cfg->utc_offset_set && k != EVIDENCE_PENDING && k != EVIDENCE_NOT_ASKED) {
		format_utc_offset(t1, sizeof t1, v->cfg->utc_offset_min);
		text_nl(b);
		text_add(b, ROLE_DIM, 0, "%*saccount time is %s", RL_LABEL_W, "", t1);
	}
}

/* HubSpot's count of today's calls (the usage probe). */
static void rate_account_line(ui_view *v, text_lines *b, ratelimit_daily_kind dk)
{
	const ev_usage *u = &v->ev.usage;
	char buf[160], t1[32], t2[32];
	/* HubSpot's own count of today's calls: the whole account's private apps, not ours. */
	text_nl(b);
	text_add(b, ROLE_NORMAL, 0, "%-*s ", RL_LABEL_W - 1,
		 dk == RATELIMIT_DAILY_NONE ? "private apps" : "account");
	bool ustale = watch_stale(&v->ev, v->cfg, v->unhealthy, PROBE_USAGE, v->now_ms);
	switch (evidence_outcome_shown(&u->f)) {
	case EVIDENCE_PENDING:
	case EVIDENCE_CANCELLED: /* evidence_outcome_shown folds it into pending */
		pane_probing_text(v, PROBE_USAGE, buf, sizeof buf);
		text_add(b, ROLE_UNKNOWN, 0, "unknown (%s)", buf[0] ? buf : "not asked yet");
		break;
	case EVIDENCE_NOT_ASKED:
		text_put(b, ROLE_DIM, 0, "not asked (no access token)");
		break;
	case EVIDENCE_NO_ANSWER:
	case EVIDENCE_BAD_URL: /* ... and this into no answer */
		text_add(b, ROLE_UNKNOWN, 0, "unknown: %s",
			 u->f.error[0] ? u->f.error : http_err_name(u->f.err));
		break;
	case EVIDENCE_ANSWERED:
		if (u->current_usage.known && u->usage_limit.known) {
			format_count(t1, sizeof t1, u->current_usage.v);
			format_count(t2, sizeof t2, u->usage_limit.v);
			text_add(b, ROLE_NORMAL, 0, "%s of %s used", t1, t2);
			if (u->fetch_status[0] && strcmp(u->fetch_status, "SUCCESS") != 0)
				text_add(b, ROLE_DIM, 0, " (%s)", u->fetch_status);
		} else {
			if (u->f.http_status < 200 || u->f.http_status >= 300)
				snprintf(
				    buf, sizeof buf, "unavailable (HTTP %ld%s)", u->f.http_status,
				    pane_body_too_large(&u->f) ? ", body too large to read" : "");
			else if (pane_body_too_large(&u->f))
				snprintf(buf, sizeof buf, "unknown (body too large to read)");
			else if (!evidence_usage_trusted(u->fetch_status))
				/* HubSpot answered but says it could not count: the numbers
				 * are unknown, not missing. */
				snprintf(buf, sizeof buf,
					 "unknown: HubSpot could not count (fetchStatus %s)",
					 u->fetch_status);
			else
				snprintf(buf, sizeof buf, "unknown (no usage in the answer)");
			text_wrap_at(b, ROLE_UNKNOWN, 0, buf, RL_LABEL_W, 3, true);
		}
		if (ustale)
			text_put(b, ROLE_STALE, 0, " stale");
		break;
	}
}

/* The back-off countdown while the API probe holds its fire. */
static void rate_backoff_line(ui_view *v, text_lines *b, ratelimit_daily_kind dk)
{
	const ev_usage *u = &v->ev.usage;
	char buf[160], t1[32], t2[32];
	/* Back-off: the probe is holding its fire. One line that counts down, named after what
	 * set it: Retry-After when the last 429 said so, else the reason the runner gave. */
	long left = ratelimit_countdown_s(v->ev.backoff_until_ms, v->now_ms);
	if (left > 0) {
		format_duration(t1, sizeof t1, left);
		pane_clock_hm(v, t2, sizeof t2, v->ev.backoff_until_ms);
		bool by_retry = retry_after_applies(v);
		text_nl(b);
		text_add(b, ROLE_WARN, A_BOLD, "%s %s %s", widget_sev_glyph(SEV_WARN, v->utf8),
			 by_retry ? "Retry-After" : "held back", t1);
		/* The clock time only when the reset line below will not say it already. */
		int64_t reset = ratelimit_reset_hint(u, v->cfg, v->now_ms, NULL);
		int64_t d = reset - v->ev.backoff_until_ms;
		if (dk != RATELIMIT_DAILY_KNOWN || reset <= 0 || d < -60000 || d > 60000) {
			snprintf(buf, sizeof buf, "(until %s)", t2);
			text_put(b, ROLE_DIM, 0, " ");
			text_wrap_at(b, ROLE_DIM, 0, buf, 2, 1, true);
		}
		if (!by_retry && v->ev.backoff_reason[0])
			text_wrap(b, ROLE_DIM, 0, v->ev.backoff_reason, 2, b->zoomed ? 4 : 2);
	}
}

/* The burn-rate projection (the daily numbers are known). */
static void rate_burn_lines(ui_view *v, text_lines *b)
{
	char buf[160], t1[32], t2[32];
	/* The burn-rate projection, only when the daily numbers are known, against the reset
	 * HubSpot named, else the account's midnight when utc_offset is set, else none. */
	ratelimit_burn burn;
	project(v, &burn);
	bool rknown = burn.reset_ms > 0;
	t2[0] = '\0';
	if (rknown)
		pane_clock_hm(v, t2, sizeof t2, burn.reset_ms);
	switch (burn.kind) {
	case RATELIMIT_BURN_EXHAUSTS:
		pane_clock_hm(v, t1, sizeof t1, burn.exhaust_ms);
		snprintf(buf, sizeof buf, "at this rate the daily limit runs out at %s", t1);
		text_wrap(b, ROLE_CRIT, A_BOLD, buf, 2, 2);
		break;
	case RATELIMIT_BURN_EXHAUSTED:
		if (rknown) {
			snprintf(buf, sizeof buf, "used up; resets at %s", t2);
			text_wrap(b, ROLE_CRIT, A_BOLD, buf, 0, 2);
			return;
		}
		/* No time is made up for a reset nobody told us: UTC midnight would be a guess. */
		text_wrap(b, ROLE_CRIT, A_BOLD,
			  "used up; resets at the account's midnight (set utc_offset)", 0, 2);
		break;
	case RATELIMIT_BURN_NONE:
		text_nl(b);
		text_add(b, ROLE_NORMAL, 0, "runs out: %s ", pane_dash(v));
		if (rknown)
			snprintf(buf, sizeof buf, "(not before the %s reset)", t2);
		else
			snprintf(buf, sizeof buf, "(not before the reset)");
		text_wrap_at(b, ROLE_DIM, 0, buf, 2, 2, true);
		break;
	default:
		text_nl(b);
		text_add(b, ROLE_NORMAL, 0, "runs out: %s ", pane_dash(v));
		text_wrap_at(b, ROLE_DIM, 0, "(measuring the burn rate)", 2, 2, true);
		break;
	}
	if (burn.per_min > 0) {
		format_count(t1, sizeof t1, (long long)(burn.per_min + 0.5));
		bool ours = ratelimit_burn_ours(&v->ev, &burn);
		snprintf(buf, sizeof buf, "burning %s calls/min%s%s%s", t1,
			 ours ? ", all by our own probes" : " (all apps on the account)",
			 rknown && burn.kind == RATELIMIT_BURN_EXHAUSTS ? "; reset at " : "",
			 rknown && burn.kind == RATELIMIT_BURN_EXHAUSTS ? t2 : "");
		text_wrap(b, ROLE_DIM, 0, buf, 2, 3);
	}
	if (!rknown && burn.kind != RATELIMIT_BURN_EXHAUSTED)
		text_wrap(b, ROLE_DIM, 0, "resets at the account's midnight (set utc_offset)", 0,
			  2);
}

/* What the rate pane says: burst, daily, account count, back-off, burn rate. */
static void rate_lines(ui_view *v, text_lines *b)
{
	evidence_outcome k = evidence_outcome_shown(&v->ev.api.f);
	ratelimit_daily_kind dk = ratelimit_daily(&v->ev.api);
	rate_burst_line(v, b, k);
	rate_daily_lines(v, b, k, dk);
	rate_account_line(v, b, dk);
	rate_backoff_line(v, b, dk);
	if (dk == RATELIMIT_DAILY_KNOWN)
		rate_burn_lines(v, b);
}

/*
 * Whether the decline the burn rate rests on is no more than the API calls our own probes
 * made in this run: then the burn may be ours alone, and the screen says so.
 */

/* Draw the rate-limit pane. */
static void rate_draw(WINDOW *w, ui_view *v, pane_ctx *c)
{
	text_lines *b = text_begin(text_content_width(w), v, c);
	rate_lines(v, b);
	pane_render(w, v, c, dashboard_panes[LAYOUT_PANE_RATE], b, PROBE_API);
}

/* The rate pane's clock: the back-off countdown, the projection's times, probing, staleness. */
static uint64_t rate_clock(const ui_view *v)
{
	uint64_t h = pane_sig_probe(PANE_SIG_SEED, v, PROBE_API);
	h = pane_sig_probe(h, v, PROBE_USAGE);
	char t[96] = "";
	long left = ratelimit_countdown_s(v->ev.backoff_until_ms, v->now_ms);
	if (left > 0)
		format_duration(t, sizeof t, left);
	h = pane_sig_str(h, t);
	if (ratelimit_daily(&v->ev.api) == RATELIMIT_DAILY_KNOWN) {
		ratelimit_burn burn;
		project(v, &burn);
		char ex[32] = "", rs[32] = "";
		if (burn.kind == RATELIMIT_BURN_EXHAUSTS)
			pane_clock_hm(v, ex, sizeof ex, burn.exhaust_ms);
		if (burn.reset_ms > 0)
			pane_clock_hm(v, rs, sizeof rs, burn.reset_ms);
		snprintf(t, sizeof t, "%d %s %s", (int)burn.kind, ex, rs);
		h = pane_sig_str(h, t);
	}
	return h;
}

const pane_class pane_rate = {
    .name = "Rate limits (calls left)",
    .draw = rate_draw,
    .key = pane_scroll_key,
    .min_w = LAYOUT_PANE_MIN_W,
    .min_h = LAYOUT_PANE_MIN_H,
    .clock = rate_clock,
    .watches = 1u << PROBE_API | 1u << PROBE_USAGE,
};
