/* The runbook as data: decision tree nodes, leaves with remediation, loaded from JSON. */
#ifndef HSR_RUNBOOK_H
#define HSR_RUNBOOK_H

#include "hsr/common.h"

/* The most questions a path from the start may ask (diagnose walks at most this many). */
#define RUNBOOK_MAX_DEPTH 24
/* The most nodes, leaves, and steps in a leaf, a runbook may have. */
#define RUNBOOK_MAX_NODES  256
#define RUNBOOK_MAX_LEAVES 64
#define RUNBOOK_MAX_STEPS  32

/* The formats runbook_parse reads: /2 (steps as objects, P1..P4) and the older /1. */
#define RUNBOOK_FORMAT	  "hsrunbook-runbook/2"
#define RUNBOOK_FORMAT_V1 "hsrunbook-runbook/1"

/*
 * One remediation step. A /1 file's steps (plain strings) get ids "step-1", "step-2", ...
 * and no verify, command or link.
 */
typedef struct {
	char *id;      /* unique within its leaf: "rotate-token" */
	char *text;    /* what to do, one paragraph */
	char *verify;  /* a predicate that is "yes" once the step worked, or NULL; a leading "!"
			  means the predicate answering "no" is the sign */
	char *command; /* the name of a team command (config key command.NAME), or NULL */
	char *link;    /* an http(s) URL with more, or NULL */
} rb_step;

typedef struct {
	char *id;	/* one of the contract leaf ids (runbook_leaf_ids) */
	char *title;	/* "Access token rejected (401/403)" */
	char *summary;	/* one line: what is going on */
	char *cause;	/* for the templates */
	char *impact;	/* for the templates */
	rb_step *steps; /* remediation, in order; steps[0] is the single most useful action */
	int n_steps;
	char *escalation;
	char *severity; /* "P1" .. "P4" (a /1 file's SEV-n is mapped: SEV-4 and SEV-5 to P4) */
} rb_leaf;

typedef struct {
	char *id;
	char *question;	   /* "Does HubSpot's status page report an incident?" */
	char *predicate;   /* a name known to predicate.c, e.g. "status.incident_active";
			      NULL when ask_operator */
	bool ask_operator; /* /2 "ask": "operator": no evidence answers it; the walk takes
			      "unknown" until the operator answers in the walker */
	char *yes;	   /* node id or leaf id */
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
/* The step with this id in leaf l, or NULL. */
const rb_step *runbook_step(const rb_leaf *l, const char *id);
/* The contract exit code of a leaf id, or -1 when the id is not a contract leaf. */
int runbook_exit_code(const char *leaf_id);
/* The contract leaf ids, NULL-terminated (a runbook defines the ones its tree reaches). */
extern const char *const runbook_leaf_ids[];

#endif
