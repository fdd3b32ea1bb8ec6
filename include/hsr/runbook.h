/* The runbook as data: decision tree nodes, leaves with remediation, loaded from JSON. */
#ifndef HSR_RUNBOOK_H
#define HSR_RUNBOOK_H

#include "hsr/common.h"

/* The most questions a path from the start may ask (diagnose walks at most this many). */
#define RUNBOOK_MAX_DEPTH 24

typedef struct {
	char *id;      /* one of the contract leaf ids (runbook_leaf_ids) */
	char *title;   /* "Access token rejected (401/403)" */
	char *summary; /* one line: what is going on */
	char *cause;   /* for the templates */
	char *impact;  /* for the templates */
	char **steps;  /* remediation, in order */
	int n_steps;
	char *escalation;
	char *severity; /* "SEV-2" ... (the exit code comes from runbook_exit_code(id)) */
} rb_leaf;

typedef struct {
	char *id;
	char *question;	 /* "Does HubSpot's status page report an incident?" */
	char *predicate; /* a name known to predicate.c, e.g. "status.incident_active" */
	char *yes;	 /* node id or leaf id */
	char *no;
	char *unknown; /* where an unknown answer goes; NULL = same as no */
} rb_node;

typedef struct {
	char *name;  /* where it came from: file path or "built-in" */
	char *start; /* first node id */
	rb_node *nodes;
	int n_nodes;
	rb_leaf *leaves;
	int n_leaves;
} runbook;

/* Parse runbook JSON text; name is used in errors ("NAME:LINE: reason"). NULL on error. */
runbook *runbook_parse(const char *text, size_t len, const char *name, char *err, size_t errsz);
runbook *runbook_load_file(const char *path, char *err, size_t errsz);
/* The runbook embedded in the binary at build time. */
runbook *runbook_load_default(char *err, size_t errsz);
void runbook_free(runbook *rb);
const rb_leaf *runbook_leaf(const runbook *rb, const char *id);
const rb_node *runbook_node(const runbook *rb, const char *id);
/* The contract exit code of a leaf id, or -1 when the id is not a contract leaf. */
int runbook_exit_code(const char *leaf_id);
/* The contract leaf ids, NULL-terminated (a runbook defines the ones its tree reaches). */
extern const char *const runbook_leaf_ids[];

#endif
