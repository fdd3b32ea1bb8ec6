/* The dashboard pane for our app's health endpoint. */
#include "pane.h"

#include "hsr/probe_health.h"

#include <stdio.h>
#include <string.h>

/* A health state as a severity and a word. */
static widget_sev health_sev(health_state s, const char **word)
{
	switch (s) {
	case HEALTH_HEALTHY:
		*word = "HEALTHY";
		return SEV_OK;
	case HEALTH_DEGRADED:
		*word = "DEGRADED";
		return SEV_WARN;
	case HEALTH_UNHEALTHY:
		*word = "UNHEALTHY";
		return SEV_CRIT;
	default:
		*word = "UNKNOWN";
		return SEV_UNKNOWN;
	}
}

/* What our app says of its own HubSpot calls: connected, latency, circuit, dead letters. */
static void health_hubspot_lines(ui_view *v, text_lines *b)
{
	const ev_health *h = &v->ev.health;
	char buf[200];
	/* The HubSpot sub-state, whichever shape carries it. */
	text_nl(b);
	text_put(b, ROLE_NORMAL, 0, "HubSpot ");
	if (h->hubspot_state == HEALTH_DEGRADED)
		text_add(b, ROLE_WARN, 0, "%s degraded", widget_sev_glyph(SEV_WARN, v->utf8));
	else if (h->hubspot_connected == 1)
		text_add(b, ROLE_OK, 0, "%s connected", widget_sev_glyph(SEV_OK, v->utf8));
	else if (h->hubspot_connected == 0)
		text_add(b, ROLE_CRIT, A_BOLD, "%s NOT connected",
			 widget_sev_glyph(SEV_CRIT, v->utf8));
	else
		text_add(b, ROLE_UNKNOWN, 0, "%s unknown", widget_sev_glyph(SEV_UNKNOWN, v->utf8));
	if (h->hubspot_words[0]) /* the entry's own words, sanitized by the probe */
		text_wrap(b, ROLE_NORMAL, 0, h->hubspot_words, 2, 2);
	if (h->hubspot_latency_ms.known) {
		/* Our app's own calls to HubSpot, not this tool's API call. */
		bool slow = v->cfg->slow_ms > 0 && h->hubspot_latency_ms.v > v->cfg->slow_ms;
		text_nl(b);
		text_add(b, slow ? ROLE_WARN : ROLE_DIM, 0, "%s%sour app's HubSpot calls %lld ms",
			 slow ? widget_sev_glyph(SEV_WARN, v->utf8) : "", slow ? " " : "",
			 h->hubspot_latency_ms.v);
		if (slow) {
			snprintf(buf, sizeof buf, "(slow: over %ld ms)", v->cfg->slow_ms);
			text_put(b, ROLE_WARN, 0, " ");
			text_wrap_at(b, ROLE_WARN, 0, buf, 2, 1, true);
		}
	}
	if (h->circuit_state[0]) {
		widget_sev cs = strcmp(h->circuit_state, "closed") == 0	    ? SEV_OK
				: strcmp(h->circuit_state, "halfOpen") == 0 ? SEV_WARN
									    : SEV_CRIT;
		text_nl(b);
		text_put(b, ROLE_NORMAL, 0, "circuit ");
		text_add(b, widget_sev_role(cs), 0, "%s ", widget_sev_glyph(cs, v->utf8));
		text_put(b, widget_sev_role(cs), 0, h->circuit_state);
	}
	if (h->dlq_pending.known) {
		char n[32];
		format_count(n, sizeof n, h->dlq_pending.v);
		text_nl(b);
		text_add(b, ROLE_NORMAL, 0, "dead-letter queue ");
		text_put(b, h->dlq_pending.v > 0 ? ROLE_WARN : ROLE_OK, 0, n);
		text_put(b, ROLE_NORMAL, 0, " pending");
	}
}

/* What our own health endpoint says. */
static void health_lines(ui_view *v, text_lines *b)
{
	const ev_health *h = &v->ev.health;
	char buf[200];
	if (!v->cfg->health_url[0]) {
		pane_sev_line(b, v, SEV_UNKNOWN, "not configured", "");
		text_wrap(b, ROLE_DIM, 0, "set health_url in the config to watch our integration",
			  0, 3);
		return;
	}
	evidence_outcome k = evidence_outcome_shown(&h->f);
	if (k == EVIDENCE_PENDING) {
		pane_waiting_lines(b, v, PROBE_HEALTH);
		return;
	}
	if (k == EVIDENCE_NOT_ASKED) {
		pane_sev_line(b, v, SEV_UNKNOWN, "not configured", "");
		return;
	}
	const char *word;
	widget_sev sev = health_sev(h->state, &word);
	if (k == EVIDENCE_NO_ANSWER) {
		if (h->state == HEALTH_UNKNOWN) {
			sev = SEV_CRIT;
			word = "UNREACHABLE";
		}
		pane_sev_line(b, v, sev, word, "");
		text_wrap(b, ROLE_NORMAL, 0, h->f.error[0] ? h->f.error : http_err_name(h->f.err),
			  0, 2);
		return;
	}
	snprintf(buf, sizeof buf, "HTTP %ld", h->f.http_status);
	pane_sev_line(b, v, sev, word, buf);
	if (h->status_text[0]) {
		text_nl(b);
		text_put(b, ROLE_DIM, 0, "status ");
		text_put(b, ROLE_NORMAL, 0, h->status_text);
		if (probe_health_format_title(h->format)[0])
			text_add(b, ROLE_DIM, 0, "  (%s)", probe_health_format_title(h->format));
	}
	if (pane_body_too_large(&h->f)) {
		text_nl(b);
		text_put(b, ROLE_WARN, 0, "(body too large to read)");
		return;
	}
	if (h->format == HEALTH_FMT_PLAIN)
		return; /* a plain status word says nothing of HubSpot */
	if (!h->f.json_ok) {
		snprintf(buf, sizeof buf, "not JSON: %s", h->f.body_excerpt);
		text_wrap(b, ROLE_WARN, 0, buf, 0, 2);
		return;
	}
	if (!h->format) {
		text_nl(b);
		text_put(b, ROLE_UNKNOWN, 0, "answer not in a format we know");
	}
	health_hubspot_lines(v, b);
	if (b->zoomed || b->width >= 56) {
		text_nl(b);
		text_add(b, ROLE_DIM, 0, "health endpoint answered in %ld ms", h->f.latency_ms);
	}
}

/* Draw the health pane. */
static void health_draw(WINDOW *w, ui_view *v, pane_ctx *c)
{
	text_lines *b = text_begin(text_content_width(w), v, c);
	health_lines(v, b);
	pane_render(w, v, c, dashboard_panes[LAYOUT_PANE_HEALTH], b, PROBE_HEALTH);
}

/* The health pane's clock: only "probing 7 s…" and staleness; nothing else counts time. */
static uint64_t health_clock(const ui_view *v)
{
	return pane_sig_probe(PANE_SIG_SEED, v, PROBE_HEALTH);
}

const pane_class pane_health = {
    .name = "Our app",
    .draw = health_draw,
    .key = pane_scroll_key,
    .min_w = LAYOUT_PANE_MIN_W,
    .min_h = LAYOUT_PANE_MIN_H,
    .clock = health_clock,
    .watches = 1u << PROBE_HEALTH,
};
