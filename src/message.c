/* The three messages filled from the incident's facts through the templates. */
#include "hsr/message.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* The built-in templates, embedded at build time (the Makefile rebuilds this file with them). */
__asm__(".pushsection .rodata\n"
	"message_slack_start:\n"
	".incbin \"screens/runbook/templates/slack.md\"\n"
	"message_slack_end:\n"
	".byte 0\n"
	"message_statuspage_start:\n"
	".incbin \"screens/runbook/templates/statuspage.txt\"\n"
	"message_statuspage_end:\n"
	".byte 0\n"
	"message_postmortem_start:\n"
	".incbin \"screens/runbook/templates/postmortem.md\"\n"
	"message_postmortem_end:\n"
	".byte 0\n"
	".popsection\n");
extern const char message_slack_start[], message_slack_end[];
extern const char message_statuspage_start[], message_statuspage_end[];
extern const char message_postmortem_start[], message_postmortem_end[];

const char *const message_template_names[MESSAGE_COUNT] = {"slack.md", "statuspage.txt",
							   "postmortem.md"};

/* How each kind's values are escaped. */
static const template_target message_targets[MESSAGE_COUNT] = {TEMPLATE_SLACK, TEMPLATE_PLAIN,
							       TEMPLATE_MARKDOWN};

const template_var message_vars[] = {
    {"severity", TEMPLATE_TEXT, NULL},
    {"status", TEMPLATE_TEXT, NULL},
    {"status_caps", TEMPLATE_TEXT, NULL},
    {"resolved", TEMPLATE_TEXT, NULL},
    {"leaf_id", TEMPLATE_TEXT, NULL},
    {"leaf_title", TEMPLATE_TEXT, NULL},
    {"cause", TEMPLATE_TEXT, "cause"},
    {"impact", TEMPLATE_TEXT, "impact"},
    {"eta", TEMPLATE_TEXT, "ETA"},
    {"next_update", TEMPLATE_TEXT, "next update"},
    {"correlation_ids", TEMPLATE_LIST, NULL},
    {"correlation_ids.id", TEMPLATE_TEXT, NULL},
    {"started", TEMPLATE_TEXT, "start time"},
    {"date", TEMPLATE_TEXT, "date"},
    {"duration", TEMPLATE_TEXT, "duration"},
    {"updated", TEMPLATE_TEXT, NULL},
    {"owner", TEMPLATE_TEXT, "owner"},
    {"thread", TEMPLATE_TEXT, "thread link"},
    {"hubspot_incident", TEMPLATE_TEXT, NULL},
    {"hubspot_link", TEMPLATE_TEXT, NULL},
    {"daily_limit", TEMPLATE_TEXT, NULL},
    {"daily_reset", TEMPLATE_TEXT, NULL},
    {"evidence", TEMPLATE_LIST, NULL},
    {"evidence.line", TEMPLATE_TEXT, NULL},
    {"timeline", TEMPLATE_LIST, NULL},
    {"timeline.time", TEMPLATE_TEXT, NULL},
    {"timeline.what", TEMPLATE_TEXT, NULL},
    {"messages", TEMPLATE_LIST, NULL},
    {"messages.time", TEMPLATE_TEXT, NULL},
    {"messages.kind", TEMPLATE_TEXT, NULL},
    {"messages.detail", TEMPLATE_TEXT, NULL},
    {"commands", TEMPLATE_LIST, NULL},
    {"commands.time", TEMPLATE_TEXT, NULL},
    {"commands.name", TEMPLATE_TEXT, NULL},
    {"commands.result", TEMPLATE_TEXT, NULL},
    {"notes", TEMPLATE_LIST, NULL},
    {"notes.time", TEMPLATE_TEXT, NULL},
    {"notes.text", TEMPLATE_TEXT, NULL},
    /* What only a person writes, in the postmortem: always a placeholder here. */
    {"timeline_missing", TEMPLATE_TEXT, "timeline"},
    {"evidence_missing", TEMPLATE_TEXT, "evidence"},
    {"data_impact", TEMPLATE_TEXT, "data impact"},
    {"went_well", TEMPLATE_TEXT, "what went well"},
    {"went_badly", TEMPLATE_TEXT, "what did not go well"},
    {"lucky", TEMPLATE_TEXT, "where we got lucky"},
    {"action", TEMPLATE_TEXT, "action item"},
    {"action_owner", TEMPLATE_TEXT, "owner"},
    {"action_due", TEMPLATE_TEXT, "due date"},
    {NULL, TEMPLATE_TEXT, NULL},
};

/* Load one kind: the file under dir when there is one, else the built-in text. */
static template *load_kind(message_kind k, const char *dir, char *err, size_t errsz)
{
	if (dir && *dir) {
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, message_template_names[k]);
		FILE *f = fopen(path, "rb");
		if (f) {
			fclose(f);
			return template_load_file(path, message_vars, err, errsz);
		}
	}
	const char *start = k == MESSAGE_SLACK	      ? message_slack_start
			    : k == MESSAGE_STATUSPAGE ? message_statuspage_start
						      : message_postmortem_start;
	const char *end = k == MESSAGE_SLACK	    ? message_slack_end
			  : k == MESSAGE_STATUSPAGE ? message_statuspage_end
						    : message_postmortem_end;
	char name[64];
	snprintf(name, sizeof name, "built-in %s", message_template_names[k]);
	return template_parse(start, (size_t)(end - start), name, message_vars, err, errsz);
}

/* Load the three templates (dir's files replace the built-in ones). */
int message_templates_load(message_templates *m, const char *dir, char *err, size_t errsz)
{
	memset(m, 0, sizeof *m);
	for (int k = 0; k < MESSAGE_COUNT; k++) {
		m->t[k] = load_kind((message_kind)k, dir, err, errsz);
		if (!m->t[k]) {
			message_templates_free(m);
			return -1;
		}
	}
	return 0;
}

/* templates_dir, else the runbook file's templates/ folder when it exists, else "". */
void message_templates_dir(const config *c, char *out, size_t outsz)
{
	common_strlcpy(out, "", outsz);
	if (c->templates_dir[0]) {
		common_strlcpy(out, c->templates_dir, outsz);
		return;
	}
	if (!c->runbook_path[0])
		return;
	char dir[600];
	common_strlcpy(dir, c->runbook_path, sizeof dir);
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[1] = '\0';
	else
		common_strlcpy(dir, "./", sizeof dir);
	char cand[700];
	snprintf(cand, sizeof cand, "%stemplates", dir);
	struct stat st;
	if (stat(cand, &st) == 0 && S_ISDIR(st.st_mode))
		common_strlcpy(out, cand, outsz);
}

/* Free the templates. */
void message_templates_free(message_templates *m)
{
	for (int k = 0; k < MESSAGE_COUNT; k++) {
		template_free(m->t[k]);
		m->t[k] = NULL;
	}
}

/* The templates cfg names: its templates_dir (or the runbook's templates/), else the built-in. */
int message_templates_load_for(message_templates *m, const config *cfg, char *err, size_t errsz)
{
	char dir[600];
	message_templates_dir(cfg, dir, sizeof dir);
	return message_templates_load(m, dir[0] ? dir : NULL, err, errsz);
}

/* "P1" .. "P4". */
const char *message_severity(int severity)
{
	static const char *const names[] = {"P1", "P2", "P3", "P4"};
	return severity >= 1 && severity <= 4 ? names[severity - 1] : names[0];
}

/* One of the four status words. */
const char *message_status(const char *status)
{
	static const char *const words[] = {"investigating", "identified", "monitoring",
					    "resolved"};
	for (size_t i = 0; status && i < 4; i++)
		if (strcmp(status, words[i]) == 0)
			return words[i];
	return words[0];
}

/* A span in words. */
void message_duration(int64_t ms, char *out, size_t outsz)
{
	long long min = ms > 0 ? (long long)(ms / 60000) : 0;
	if (min < 1)
		snprintf(out, outsz, "under a minute");
	else if (min < 60)
		snprintf(out, outsz, "%lld min", min);
	else if (min < 24 * 60)
		snprintf(out, outsz, "%lld h %02lld min", min / 60, min % 60);
	else
		snprintf(out, outsz, "%lld d %lld h %02lld min", min / 1440, (min % 1440) / 60,
			 min % 60);
}

/* Format a wall-clock time in UTC with fmt. */
static void utc(int64_t ms, const char *fmt, char *out, size_t outsz)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (!gmtime_r(&t, &tm) || strftime(out, outsz, fmt, &tm) == 0)
		common_strlcpy(out, "", outsz);
#pragma GCC diagnostic pop
}

/* "14:05", or "2026-12-03 14:05" when not on the day of day_ms. */
static void clock_of(int64_t ms, int64_t day_ms, char *out, size_t outsz)
{
	char a[16], b[16];
	utc(ms, "%Y-%m-%d", a, sizeof a);
	utc(day_ms, "%Y-%m-%d", b, sizeof b);
	utc(ms, strcmp(a, b) == 0 || !day_ms ? "%H:%M" : "%Y-%m-%d %H:%M", out, outsz);
}

/* 500000 as "500,000". */
static void thousands(long long v, char *out, size_t outsz)
{
	char digits[32];
	snprintf(digits, sizeof digits, "%lld", v < 0 ? -v : v);
	size_t n = strlen(digits), o = 0;
	if (v < 0 && o + 1 < outsz)
		out[o++] = '-';
	for (size_t i = 0; i < n && o + 1 < outsz; i++) {
		if (i > 0 && (n - i) % 3 == 0 && o + 1 < outsz)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

/* The edited field when filled, else the tool's words (may be NULL). */
static const char *edited(const char *field, const char *fallback)
{
	return field && *field ? field : fallback;
}

/* Append an item to list with a time (when at_ms is set) and up to two named fields. */
static int add_item(template_data *d, const char *list, int64_t at_ms, int64_t day_ms,
		    const char *k1, const char *v1, const char *k2, const char *v2)
{
	template_data *it = template_data_add(d, list);
	if (!it)
		return -1;
	int rc = template_data_set(it, k1, v1);
	if (k2)
		rc |= template_data_set(it, k2, v2);
	if (at_ms) {
		char when[32];
		clock_of(at_ms, day_ms, when, sizeof when);
		rc |= template_data_set(it, "time", when);
	}
	return rc;
}

/* One timeline line under construction: its time and text, for sorting. */
typedef struct {
	int64_t at_ms;
	size_t seq;
	char *what;
} line;

/* Order by time, then by the order the facts gave them. */
static int line_cmp(const void *a, const void *b)
{
	const line *x = a, *y = b;
	if (x->at_ms != y->at_ms)
		return x->at_ms < y->at_ms ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A malloc'd "prefix: text" (or text alone without a prefix). */
static char *joined(const char *prefix, const char *text, const char *suffix)
{
	size_t n = strlen(prefix) + strlen(text) + strlen(suffix) + 1;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s%s%s", prefix, text, suffix);
	return s;
}

/* The timeline: events, notes, commands run and messages sent, merged in time order. */
static int add_timeline(template_data *d, const message_facts *f, int64_t day_ms)
{
	size_t n = f->n_timeline + f->n_notes + f->n_commands + f->n_sent, k = 0;
	if (n == 0)
		return 0;
	line *ls = calloc(n, sizeof *ls);
	if (!ls)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < f->n_timeline; i++, k++)
		ls[k] = (line){f->timeline[i].at_ms, k,
			       joined("", edited(f->timeline[i].what, ""), "")};
	for (size_t i = 0; i < f->n_notes; i++, k++)
		ls[k] = (line){f->notes[i].at_ms, k,
			       joined("Note: ", edited(f->notes[i].text, ""), "")};
	for (size_t i = 0; i < f->n_commands; i++, k++) {
		const message_command *c = &f->commands[i];
		char *head = joined("Ran team command ", edited(c->name, "?"),
				    c->result && *c->result ? " (" : "");
		ls[k] = (line){
		    c->at_ms, k,
		    head ? joined(head, edited(c->result, ""), c->result && *c->result ? ")" : "")
			 : NULL};
		free(head);
	}
	for (size_t i = 0; i < f->n_sent; i++, k++)
		ls[k] = (line){f->sent[i].at_ms, k,
			       joined(edited(f->sent[i].kind, "Message"), " sent", "")};
	qsort(ls, n, sizeof *ls, line_cmp);
	for (size_t i = 0; i < n; i++)
		if (!ls[i].what || add_item(d, "timeline", ls[i].at_ms ? ls[i].at_ms : day_ms,
					    day_ms, "what", ls[i].what, NULL, NULL))
			rc = -1;
	for (size_t i = 0; i < n; i++)
		free(ls[i].what);
	free(ls);
	return rc;
}

/* The lists besides the timeline: correlation ids, evidence, messages, commands, notes. */
static int add_lists(template_data *d, const message_facts *f, int64_t day_ms)
{
	int rc = 0;
	for (size_t i = 0; i < f->n_correlation_ids; i++)
		rc |= add_item(d, "correlation_ids", 0, 0, "id", f->correlation_ids[i], NULL, NULL);
	for (size_t i = 0; i < f->n_evidence; i++)
		rc |= add_item(d, "evidence", 0, 0, "line", f->evidence[i], NULL, NULL);
	for (size_t i = 0; i < f->n_sent; i++)
		rc |= add_item(d, "messages", f->sent[i].at_ms, day_ms, "kind", f->sent[i].kind,
			       "detail", f->sent[i].detail);
	for (size_t i = 0; i < f->n_commands; i++)
		rc |= add_item(d, "commands", f->commands[i].at_ms, day_ms, "name",
			       f->commands[i].name, "result", f->commands[i].result);
	for (size_t i = 0; i < f->n_notes; i++)
		rc |= add_item(d, "notes", f->notes[i].at_ms, day_ms, "text", f->notes[i].text,
			       NULL, NULL);
	return rc ? -1 : 0;
}

/* The variables of facts, sanitized. */
template_data *message_data(const message_facts *f)
{
	template_data *d = template_data_new();
	if (!d)
		return NULL;
	const message_fields *ed = f->fields;
	const char *status = message_status(f->status);
	char caps[16], buf[64];
	size_t i = 0;
	for (; status[i] && i + 1 < sizeof caps; i++)
		caps[i] = (char)(status[i] - 'a' + 'A');
	caps[i] = '\0';
	int rc = template_data_set(d, "severity", message_severity(f->severity));
	rc |= template_data_set(d, "status", status);
	rc |= template_data_set(d, "status_caps", caps);
	rc |= template_data_set(d, "resolved", strcmp(status, "resolved") == 0 ? "yes" : NULL);
	rc |= template_data_set(d, "leaf_id", f->leaf_id);
	rc |= template_data_set(d, "leaf_title", f->leaf_title);
	rc |= template_data_set(d, "cause", edited(ed ? ed->cause : NULL, f->leaf_cause));
	rc |= template_data_set(d, "impact", edited(ed ? ed->impact : NULL, f->leaf_impact));
	rc |= template_data_set(d, "eta", ed ? ed->eta : NULL);
	rc |= template_data_set(d, "thread", ed ? ed->thread : NULL);
	rc |= template_data_set(d, "owner", edited(ed ? ed->owner : NULL, f->owner));
	rc |= template_data_set(d, "hubspot_incident", f->hubspot_incident);
	rc |= template_data_set(d, "hubspot_link", f->hubspot_link);
	if (f->next_update_ms > 0) {
		utc(f->next_update_ms, "%H:%M UTC", buf, sizeof buf);
		rc |= template_data_set(d, "next_update", buf);
	}
	int64_t day_ms = f->started_ms > 0 ? f->started_ms : f->now_ms;
	if (f->started_ms > 0) {
		utc(f->started_ms, "%Y-%m-%d %H:%M UTC", buf, sizeof buf);
		rc |= template_data_set(d, "started", buf);
		int64_t end = f->resolved_ms > 0 ? f->resolved_ms : f->now_ms;
		message_duration(end - f->started_ms, buf, sizeof buf);
		rc |= template_data_set(d, "duration", buf);
	}
	if (day_ms > 0) {
		utc(day_ms, "%Y-%m-%d", buf, sizeof buf);
		rc |= template_data_set(d, "date", buf);
	}
	if (f->now_ms > 0) {
		utc(f->now_ms, "%Y-%m-%d %H:%M UTC", buf, sizeof buf);
		rc |= template_data_set(d, "updated", buf);
	}
	if (f->daily_limit.known) {
		thousands(f->daily_limit.v, buf, sizeof buf);
		rc |= template_data_set(d, "daily_limit", buf);
		if (f->daily_reset_ms > 0) {
			clock_of(f->daily_reset_ms, f->now_ms, buf, sizeof buf);
			size_t n = strlen(buf);
			snprintf(buf + n, sizeof buf - n, " UTC");
			rc |= template_data_set(d, "daily_reset", buf);
		}
	}
	rc |= add_lists(d, f, day_ms);
	rc |= add_timeline(d, f, day_ms);
	if (rc) {
		template_data_free(d);
		return NULL;
	}
	return d;
}

/* Render kind from facts. */
char *message_render(const message_templates *m, message_kind kind, const message_facts *f,
		     bool ascii)
{
	if (kind < 0 || kind >= MESSAGE_COUNT || !m->t[kind])
		return NULL;
	template_data *d = message_data(f);
	if (!d)
		return NULL;
	char *s = template_render(m->t[kind], d, message_targets[kind], ascii);
	template_data_free(d);
	return s;
}

/* The internal Slack update. */
char *message_slack(const message_templates *m, const message_facts *f, bool ascii)
{
	return message_render(m, MESSAGE_SLACK, f, ascii);
}

/* The public status-page notice. */
char *message_statuspage(const message_templates *m, const message_facts *f, bool ascii)
{
	return message_render(m, MESSAGE_STATUSPAGE, f, ascii);
}

/* The Markdown postmortem. */
char *message_postmortem(const message_templates *m, const message_facts *f, bool ascii)
{
	return message_render(m, MESSAGE_POSTMORTEM, f, ascii);
}
