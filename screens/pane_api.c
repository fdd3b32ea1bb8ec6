/* The dashboard pane for our own API call. */
#include "pane.h"

#include <stdio.h>
#include <string.h>

/* The usual reason phrase of an HTTP status, or "". */
static const char *http_reason(long code)
{
	static const struct {
		long code;
		const char *text;
	} map[] = {
	    {200, "OK"},
	    {201, "Created"},
	    {204, "No Content"},
	    {301, "Moved Permanently"},
	    {302, "Found (redirect)"},
	    {304, "Not Modified"},
	    {400, "Bad Request"},
	    {401, "Unauthorized"},
	    {403, "Forbidden"},
	    {404, "Not Found"},
	    {409, "Conflict"},
	    {414, "URI Too Long"},
	    {423, "Locked"},
	    {429, "Too Many Requests"},
	    {477, "Account migrating"},
	    {500, "Internal Server Error"},
	    {502, "Bad Gateway"},
	    {503, "Service Unavailable"},
	    {504, "Gateway Timeout"},
	    {521, "Web Server Is Down"},
	    {522, "Connection Timed Out"},
	    {523, "Origin Unreachable"},
	    {524, "A Timeout Occurred"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].code == code)
			return map[i].text;
	return "";
}

/* How bad an HTTP status is. */
static widget_sev http_sev(long code)
{
	if (code >= 200 && code < 300)
		return SEV_OK;
	if (code == 429 || code == 423 || (code >= 300 && code < 400))
		return SEV_WARN;
	return SEV_CRIT;
}

/* A message in quotes; the message is cut (at a character boundary) so both quotes fit. */
void pane_api_quote(char *out, size_t outsz, const char *msg, bool utf8)
{
	const char *open = utf8 ? "\u201c" : "\"";
	const char *close = utf8 ? "\u201d" : "\"";
	size_t q = strlen(open) + strlen(close);
	if (outsz == 0)
		return;
	if (outsz <= q) {
		out[0] = '\0';
		return;
	}
	char body[512];
	size_t room = outsz - q; /* bytes for the message and the terminator */
	format_utf8_copy(body, room < sizeof body ? room : sizeof body, msg);
	snprintf(out, outsz, "%s%s%s", open, body, close);
}

/* What the API pane leads with: the code, its severity and reason, our call's latency. */
typedef struct {
	char code[8];
	widget_sev sev;
	const char *reason;
	char lat[32];
} api_head;

/* The lead for a request that was made (an answer or none). */
static void api_head_of(const ui_view *v, evidence_outcome k, api_head *h)
{
	const ev_api *a = &v->ev.api;
	if (k == EVIDENCE_NO_ANSWER) {
		snprintf(h->code, sizeof h->code, "---");
		h->sev = SEV_CRIT;
		h->reason = "no answer";
		snprintf(h->lat, sizeof h->lat, "%s", pane_dash(v));
	} else {
		long st = a->f.http_status;
		snprintf(h->code, sizeof h->code, "%03ld", st >= 0 && st <= 999 ? st : 0);
		h->sev = http_sev(st);
		h->reason = http_reason(st);
		snprintf(h->lat, sizeof h->lat, "our call %ld ms", a->f.latency_ms);
		/* A 2xx slower than slow_ms is a warning, never a tick and "OK". */
		if (evidence_slow_2xx(&a->f, v->cfg->slow_ms)) {
			h->sev = SEV_WARN;
			h->reason = "SLOW";
		}
	}
}

/* The lead drawn: big digits when there is room, else one line; the latency sparkline. */
static void api_head_lines(ui_view *v, text_lines *b, int rows, evidence_outcome k,
			   const api_head *h)
{
	const ev_api *a = &v->ev.api;
	widget_role role = widget_sev_role(h->sev);
	char buf[256];
	/* The latency sparkline over the samples the board keeps. */
	char spark[BOARD_LATENCY_SAMPLES * 4 + 1] = "";
	int lv[BOARD_LATENCY_SAMPLES];
	bool big = layout_big_code(rows, b->width);
	int sw = b->width - (big ? widget_big_cols(h->code) + 2 : 0) - 8;
	if (sw > 30)
		sw = 30;
	int nl = widget_spark(v->ev.latency_ms, v->ev.n_latency, sw, WIDGET_SPARK_LEVELS, lv);
	if (nl > 1)
		widget_spark_text(spark, sizeof spark, lv, nl, v->utf8);

	if (big) {
		for (int r = 0; r < 3; r++) {
			widget_big_row(buf, sizeof buf, h->code, r, v->utf8);
			text_nl(b);
			text_put(b, role, A_BOLD, buf);
			/* Reverse video would turn block digits into their negative. */
			b->line[b->n - 1].seg[0].strip = A_REVERSE;
			text_put(b, ROLE_NORMAL, 0, "  ");
			if (r == 0) {
				text_add(b, role, A_BOLD, "%s %s",
					 widget_sev_glyph(h->sev, v->utf8),
					 h->reason[0] ? h->reason : "HTTP");
			} else if (r == 1) {
				if (k == EVIDENCE_ANSWERED)
					text_add(b, ROLE_NORMAL, 0, "HTTP %03ld", a->f.http_status);
				else
					text_add(b, ROLE_NORMAL, 0, "no HTTP answer");
			} else if (k == EVIDENCE_ANSWERED) {
				text_put(b,
					 evidence_slow_2xx(&a->f, v->cfg->slow_ms) ? ROLE_WARN
										   : ROLE_NORMAL,
					 0, h->lat);
			}
		}
		if (spark[0]) {
			text_nl(b);
			text_put(b, ROLE_NORMAL, 0, "latency ");
			text_put(b, ROLE_DIM, 0, spark);
		}
	} else {
		text_nl(b);
		text_add(b, role, A_BOLD | A_REVERSE, " %s ", h->code);
		text_add(b, role, A_BOLD, " %s %s", widget_sev_glyph(h->sev, v->utf8),
			 h->reason[0] ? h->reason : "HTTP");
		if (k == EVIDENCE_ANSWERED)
			text_add(b, ROLE_NORMAL, 0, "  %s", h->lat);
		if (spark[0]) {
			text_nl(b);
			text_put(b, ROLE_NORMAL, 0, "latency ");
			text_put(b, ROLE_DIM, 0, spark);
		}
	}
}

/* What the answer says went wrong: size, slowness, errors, HubSpot's message, scopes. */
static void api_error_lines(ui_view *v, text_lines *b, evidence_outcome k, widget_role role)
{
	const ev_api *a = &v->ev.api;
	char buf[256];
	if (pane_body_too_large(&a->f)) {
		text_nl(b);
		text_add(b, ROLE_WARN, 0, "HTTP %03ld (body too large to read)", a->f.http_status);
	}
	if (k == EVIDENCE_ANSWERED && evidence_slow_2xx(&a->f, v->cfg->slow_ms)) {
		snprintf(buf, sizeof buf, "slower than %ld ms (slow_ms)", v->cfg->slow_ms);
		text_wrap(b, ROLE_WARN, 0, buf, 2, 2);
	}
	int msg_lines = b->zoomed ? 8 : 2;
	if (k == EVIDENCE_NO_ANSWER) {
		/* The HTTP layer's own sentence tells a connect time-out from a slow answer. */
		snprintf(buf, sizeof buf, "no answer: %s",
			 a->f.error[0] ? a->f.error : http_err_name(a->f.err));
		text_wrap(b, ROLE_CRIT, 0, buf, 0, msg_lines);
	}
	if (a->category[0]) {
		text_nl(b);
		text_put(b, ROLE_DIM, 0, "category ");
		text_put(b, role, 0, a->category);
		if (a->sub_category[0]) {
			text_put(b, ROLE_DIM, 0, " / ");
			text_put(b, ROLE_NORMAL, 0, a->sub_category);
		}
	}
	if (a->error_type[0] || a->policy_name[0]) {
		snprintf(buf, sizeof buf, "errorType %s  policy %s", a->error_type, a->policy_name);
		bool one_line = widget_cols(buf, v->utf8) <= b->width;
		if (a->error_type[0]) {
			text_nl(b);
			text_put(b, ROLE_DIM, 0, "errorType ");
			text_put(b, role, 0, a->error_type);
		}
		if (a->policy_name[0]) {
			if (!one_line || !a->error_type[0])
				text_nl(b);
			else
				text_put(b, ROLE_NORMAL, 0, "  ");
			text_put(b, ROLE_DIM, 0, "policy ");
			text_put(b, role, A_BOLD, a->policy_name);
		}
	}
	if (a->message[0]) {
		pane_api_quote(buf, sizeof buf, a->message, v->utf8);
		text_wrap(b, ROLE_NORMAL, 0, buf, 0, msg_lines);
	} else if (k == EVIDENCE_ANSWERED && !a->f.json_ok && a->f.body_excerpt[0] &&
		   (a->f.http_status < 200 || a->f.http_status >= 300)) {
		snprintf(buf, sizeof buf, "body: %s", a->f.body_excerpt);
		text_wrap(b, ROLE_DIM, 0, buf, 0, msg_lines);
	}
	if (a->required_scopes[0]) {
		snprintf(buf, sizeof buf, "needs scopes: %s", a->required_scopes);
		text_wrap(b, ROLE_WARN, 0, buf, 0, 2);
	}
	if (a->correct_hublet[0]) {
		text_nl(b);
		text_add(b, ROLE_WARN, 0, "wrong data centre: use %s", a->correct_hublet);
	}
}

/* The last 2xx answer's age, and the correlation id for support. */
static void api_tail_lines(ui_view *v, text_lines *b, widget_sev sev)
{
	const ev_api *a = &v->ev.api;
	text_nl(b);
	if (v->last_2xx_ms > 0) {
		char age[32];
		format_age(age, sizeof age, v->last_2xx_ms, v->now_ms);
		text_put(b, ROLE_DIM, 0, "last 2xx ");
		text_put(b, sev == SEV_OK ? ROLE_OK : ROLE_WARN, 0, age);
	} else {
		text_put(b, ROLE_WARN, 0, "no 2xx answer since start");
	}
	if (a->correlation_id[0]) {
		text_nl(b);
		text_put(b, ROLE_DIM, 0, "correlation ");
		/* The whole id matters (support tickets, the postmortem): never cut it if a line
		 * of its own would hold it. */
		if (12 + widget_cols(a->correlation_id, v->utf8) > b->width)
			text_nl(b);
		text_put(b, ROLE_NORMAL, 0, a->correlation_id);
	}
}

/* What the API pane says. */
static void api_lines(ui_view *v, text_lines *b, int rows)
{
	const ev_api *a = &v->ev.api;
	evidence_outcome k = evidence_outcome_shown(&a->f);
	if (k == EVIDENCE_PENDING) {
		pane_waiting_lines(b, v, PROBE_API);
		return;
	}
	if (k == EVIDENCE_NOT_ASKED) {
		pane_sev_line(b, v, SEV_UNKNOWN, "not configured", "no access token");
		text_wrap(b, ROLE_DIM, 0, "set HUBSPOT_ACCESS_TOKEN or --token-file FILE", 2, 2);
		return;
	}
	api_head h;
	api_head_of(v, k, &h);
	api_head_lines(v, b, rows, k, &h);
	api_error_lines(v, b, k, widget_sev_role(h.sev));
	api_tail_lines(v, b, h.sev);
}

/* Draw the API pane. */
static void api_draw(WINDOW *w, ui_view *v, pane_ctx *c)
{
	int h = getmaxy(w);
	text_lines *b = text_begin(text_content_width(w), v, c);
	api_lines(v, b, h - 1);
	pane_render(w, v, c, dashboard_panes[LAYOUT_PANE_API], b, PROBE_API);
}

/* The API pane's clock: the age of the last 2xx, probing and staleness. */
static uint64_t api_clock(const ui_view *v)
{
	uint64_t h = pane_sig_probe(PANE_SIG_SEED, v, PROBE_API);
	char age[32] = "";
	if (v->last_2xx_ms > 0)
		format_age(age, sizeof age, v->last_2xx_ms, v->now_ms);
	return pane_sig_str(h, age);
}

const pane_class pane_api = {
    .name = "HubSpot API",
    .draw = api_draw,
    .key = pane_scroll_key,
    .min_w = LAYOUT_PANE_MIN_W,
    .min_h = LAYOUT_PANE_MIN_H,
    .clock = api_clock,
    .watches = 1u << PROBE_API,
};
