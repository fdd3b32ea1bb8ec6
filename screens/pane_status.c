/* The dashboard pane for HubSpot's status page. */
#include "pane.h"

#include <stdio.h>
#include <string.h>

/* The indicator as a severity and a word. */
static widget_sev indicator_sev(const char *ind, const char **word)
{
	static const struct {
		const char *ind, *word;
		widget_sev sev;
	} map[] = {
	    {"none", "OPERATIONAL", SEV_OK},
	    {"minor", "MINOR", SEV_WARN},
	    {"major", "MAJOR", SEV_CRIT},
	    {"critical", "CRITICAL", SEV_CRIT},
	    {"maintenance", "MAINTENANCE", SEV_WARN},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(ind, map[i].ind) == 0) {
			*word = map[i].word;
			return map[i].sev;
		}
	*word = "UNKNOWN";
	return SEV_UNKNOWN;
}

/* An incident's impact as a severity. */
static widget_sev impact_sev(const char *impact)
{
	if (strcmp(impact, "critical") == 0 || strcmp(impact, "major") == 0)
		return SEV_CRIT;
	if (strcmp(impact, "minor") == 0 || strcmp(impact, "none") == 0)
		return SEV_WARN;
	return SEV_UNKNOWN;
}

/* "partial_outage" as "partial outage". */
static void words(char *out, size_t outsz, const char *s)
{
	common_strlcpy(out, s, outsz);
	for (char *p = out; *p; p++)
		if (*p == '_')
			*p = ' ';
}

/* One open incident: its name, then status, impact and age; its latest update when wide. */
static void incident_lines(ui_view *v, text_lines *b, const status_incident *in)
{
	char buf[256];
	widget_sev is = impact_sev(in->impact);
	text_nl(b);
	text_add(b, widget_sev_role(is), 0, "%s ", widget_sev_glyph(is, v->utf8));
	text_wrap_at(b, ROLE_NORMAL, A_BOLD, in->name[0] ? in->name : "(unnamed incident)", 2,
		     b->zoomed ? 3 : 2, true);
	char age[32];
	if (in->updated_ms > 0)
		format_age(age, sizeof age, in->updated_ms, v->now_ms);
	else
		common_strlcpy(age, in->updated_at[0] ? in->updated_at : "at an unknown time",
			       sizeof age);
	const char *st = in->status[0] ? in->status : "unknown status";
	const char *imp = in->impact[0] ? in->impact : "unknown";
	snprintf(buf, sizeof buf, "  %s%simpact %s%supdated %s", st, pane_dot(v), imp, pane_dot(v),
		 age);
	bool long_form = widget_cols(buf, v->utf8) <= b->width;
	text_nl(b);
	text_add(b, ROLE_NORMAL, 0, "  %s", st);
	text_add(b, widget_sev_role(is), 0, "%s%s%s", pane_dot(v), long_form ? "impact " : "", imp);
	text_add(b, ROLE_DIM, 0, "%s%s%s", pane_dot(v), long_form ? "updated " : "", age);
	if ((b->zoomed || b->width >= 56) && in->latest_update[0])
		text_wrap(b, ROLE_DIM, 0, in->latest_update, 4, b->zoomed ? 4 : 1);
	if (b->zoomed && in->shortlink[0]) {
		text_nl(b);
		text_add(b, ROLE_DIM, 0, "    %s", in->shortlink);
	}
}

/* What the status page says. */
static void status_lines(ui_view *v, text_lines *b)
{
	const ev_status *s = &v->ev.status;
	char buf[256];
	switch (evidence_outcome_shown(&s->f)) {
	case EVIDENCE_PENDING:
	case EVIDENCE_CANCELLED: /* evidence_outcome_shown folds it into pending */
		pane_waiting_lines(b, v, PROBE_STATUS);
		return;
	case EVIDENCE_NOT_ASKED:
		pane_sev_line(b, v, SEV_UNKNOWN, "not configured", "no status page URL");
		return;
	case EVIDENCE_NO_ANSWER:
	case EVIDENCE_BAD_URL: /* ... and this into no answer */
		pane_sev_line(b, v, SEV_UNKNOWN, "UNKNOWN", "status page unreachable");
		text_wrap(b, ROLE_NORMAL, 0, s->f.error[0] ? s->f.error : http_err_name(s->f.err),
			  2, 2);
		return;
	case EVIDENCE_ANSWERED:
		break;
	}
	if (s->f.http_status < 200 || s->f.http_status >= 300 || !s->f.json_ok) {
		snprintf(buf, sizeof buf, "status page answered HTTP %ld%s", s->f.http_status,
			 pane_body_too_large(&s->f) ? " (body too large to read)"
			 : s->f.json_ok		    ? ""
						    : ", not the JSON expected");
		pane_sev_line(b, v, SEV_UNKNOWN, "UNKNOWN", "");
		text_wrap(b, ROLE_NORMAL, 0, buf, 2, 2);
		if (s->f.body_excerpt[0])
			text_wrap(b, ROLE_DIM, 0, s->f.body_excerpt, 2, 1);
		return;
	}
	const char *word;
	widget_sev sev = indicator_sev(s->indicator, &word);
	pane_sev_line(b, v, sev, word, s->description[0] ? s->description : pane_dash(v));

	if (!s->incidents_known) {
		text_nl(b);
		text_put(b, ROLE_DIM, 0, "incidents: not listed by the status page (unknown)");
	} else if (s->incidents_total == 0 && s->n_components_bad == 0 && s->n_maint == 0) {
		text_nl(b);
		text_put(b, ROLE_DIM, 0,
			 !s->components_known ? "no open incidents"
			 : b->width >= 48     ? "no open incidents, every component operational"
					      : "no open incidents");
	}
	for (int i = 0; i < s->n_incidents; i++)
		incident_lines(v, b, &s->incidents[i]);
	if (s->incidents_total > s->n_incidents) {
		text_nl(b);
		text_add(b, ROLE_DIM, 0, "  +%d more incidents on the status page",
			 s->incidents_total - s->n_incidents);
	}
	if (s->n_components_bad > 0) {
		text_nl(b);
		text_put(b, ROLE_NORMAL, 0, "Not operational:");
		for (int i = 0; i < s->n_components_bad; i++) {
			const status_component *c = &s->components_bad[i];
			widget_sev cs = strstr(c->status, "major") ? SEV_CRIT : SEV_WARN;
			words(buf, sizeof buf, c->status);
			text_nl(b);
			text_add(b, widget_sev_role(cs), 0, "  %s ", widget_sev_glyph(cs, v->utf8));
			text_put(b, ROLE_NORMAL, 0, c->name);
			text_add(b, widget_sev_role(cs), 0, " (%s)", buf);
		}
		if (s->components_bad_total > s->n_components_bad) {
			text_nl(b);
			text_add(b, ROLE_DIM, 0, "  +%d more components",
				 s->components_bad_total - s->n_components_bad);
		}
	}
	for (int i = 0; i < s->n_maint; i++) {
		words(buf, sizeof buf, s->maint[i].status);
		text_nl(b);
		text_add(b, ROLE_WARN, 0, "%s maintenance: ", widget_sev_glyph(SEV_WARN, v->utf8));
		text_put(b, ROLE_NORMAL, 0, s->maint[i].name);
		text_add(b, ROLE_DIM, 0, " (%s)", buf);
	}
}

/* Draw the status-page pane. */
static void status_draw(WINDOW *w, ui_view *v, pane_ctx *c)
{
	text_lines *b = text_begin(text_content_width(w), v, c);
	status_lines(v, b);
	pane_render(w, v, c, dashboard_panes[LAYOUT_PANE_STATUS], b, PROBE_STATUS);
}

/* The status pane's clock: its incidents' ages, probing and staleness. */
static uint64_t status_clock(const ui_view *v)
{
	uint64_t h = pane_sig_probe(PANE_SIG_SEED, v, PROBE_STATUS);
	char age[32];
	for (int i = 0; i < v->ev.status.n_incidents; i++) {
		if (v->ev.status.incidents[i].updated_ms <= 0)
			continue;
		format_age(age, sizeof age, v->ev.status.incidents[i].updated_ms, v->now_ms);
		h = pane_sig_str(h, age);
	}
	return h;
}

const pane_class pane_status = {
    .name = "HubSpot status",
    .draw = status_draw,
    .key = pane_scroll_key,
    .min_w = LAYOUT_PANE_MIN_W,
    .min_h = LAYOUT_PANE_MIN_H,
    .clock = status_clock,
    .watches = 1u << PROBE_STATUS,
};
