/* The three messages (Slack update, public status-page notice, postmortem) filled from the facts.
 */
#ifndef HSR_MESSAGE_H
#define HSR_MESSAGE_H

#include "hsr/common.h"
#include "hsr/config.h"
#include "hsr/template.h"

typedef enum {
	MESSAGE_SLACK = 0,
	MESSAGE_STATUSPAGE,
	MESSAGE_POSTMORTEM,
	MESSAGE_COUNT
} message_kind;

/* The template file name of each kind under a templates folder: "slack.md", ... */
extern const char *const message_template_names[MESSAGE_COUNT];
/* Every variable a template may use (the README lists them). */
extern const template_var message_vars[];

/*
 * What the operator typed for the incident (the screen or journal keeps it; "" = not edited).
 * A filled field wins over the tool's own words in every later message.
 */
typedef struct {
	char impact[512]; /* in the team's words; until edited, the leaf's impact */
	char cause[512];  /* until edited, the leaf's cause */
	char eta[128];
	char thread[512]; /* link to the incident thread */
	char owner[128];  /* until edited, message_facts.owner */
} message_fields;

/* One line of the postmortem's timeline: when and what ("Alert fired: …"). */
typedef struct {
	int64_t at_ms;
	const char *what;
} message_event;

/* A message that went out: when, which ("Slack update", "status page"), and how (text or result).
 */
typedef struct {
	int64_t at_ms;
	const char *kind;
	const char *detail;
} message_sent;

/* A team command that ran: when, its name and its result ("exit 0"). */
typedef struct {
	int64_t at_ms;
	const char *name;
	const char *result;
} message_command;

/* An operator's note: when and what. */
typedef struct {
	int64_t at_ms;
	const char *text;
} message_note;

/*
 * The facts a message is filled from. The lead fills it from the incident and the evidence;
 * strings may be NULL (absent) and may come from remote answers: every one is sanitized before
 * it is templated. Times are wall-clock epoch milliseconds, 0 = unknown.
 */
typedef struct {
	int severity;	    /* 1..4; anything else is taken as 1 (when unsure, the higher) */
	const char *status; /* investigating / identified / monitoring / resolved; NULL = first */
	const char *leaf_id;
	const char *leaf_title;
	const char *leaf_cause;	 /* the runbook leaf's words */
	const char *leaf_impact; /* the runbook leaf's words */
	const char *const *correlation_ids;
	size_t n_correlation_ids;
	int64_t started_ms;	/* the incident opened (or the alert fired) */
	int64_t now_ms;		/* "last updated", and the end of an open incident's duration */
	int64_t resolved_ms;	/* 0 while open */
	int64_t next_update_ms; /* 0 = not planned */
	const char *owner;
	const char *hubspot_incident; /* HubSpot's status-page incident name, or NULL */
	const char *hubspot_link;     /* its shortlink */
	opt_int daily_limit;	      /* when the daily limit matters (daily-limit leaf) */
	int64_t daily_reset_ms;	      /* when it resets, 0 = unknown */
	const char *const *evidence;  /* the HubSpot evidence, one line each (codes, policy…) */
	size_t n_evidence;
	const message_event *timeline;
	size_t n_timeline;
	const message_sent *sent;
	size_t n_sent;
	const message_command *commands;
	size_t n_commands;
	const message_note *notes;
	size_t n_notes;
	const message_fields *fields; /* may be NULL: nothing edited yet */
} message_facts;

/* The three parsed templates. */
typedef struct {
	template *t[MESSAGE_COUNT];
} message_templates;

/*
 * Load the templates: from dir when not NULL (each of slack.md, statuspage.txt, postmortem.md
 * found there replaces the built-in one; a missing file keeps the built-in), else the built-in
 * ones. Returns 0, or -1 with "FILE:LINE: reason" in err (nothing loaded).
 */
int message_templates_load(message_templates *m, const char *dir, char *err, size_t errsz);
void message_templates_free(message_templates *m);
/* Load the templates cfg names (message_templates_dir, else the built-in); as _load. */
int message_templates_load_for(message_templates *m, const config *cfg, char *err, size_t errsz);
/*
 * The folder a team's templates come from: the templates_dir setting, else a templates/ folder
 * next to the runbook file when it has one, else "" (the built-in templates).
 */
void message_templates_dir(const config *c, char *out, size_t outsz);

/* The variables of facts, sanitized, into a new template_data (NULL when out of memory). */
template_data *message_data(const message_facts *f);
/* Render kind from facts; ascii draws placeholders as <impact?>. A malloc'd string. */
char *message_render(const message_templates *m, message_kind kind, const message_facts *f,
		     bool ascii);
/* The internal Slack update (Slack escaping). */
char *message_slack(const message_templates *m, const message_facts *f, bool ascii);
/* The public status-page notice (plain text; check it with notice_check before it leaves). */
char *message_statuspage(const message_templates *m, const message_facts *f, bool ascii);
/* The Markdown postmortem. */
char *message_postmortem(const message_templates *m, const message_facts *f, bool ascii);

/* "P1" .. "P4" for a severity (anything outside 1..4 is P1). */
const char *message_severity(int severity);
/* The status word of facts: one of the four, investigating when unknown. */
const char *message_status(const char *status);
/* "2 h 05 min", "12 min", "under a minute" for a span in milliseconds. */
void message_duration(int64_t ms, char *out, size_t outsz);

#endif
