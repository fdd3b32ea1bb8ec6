/* diagnose(): evidence + tree -> the answered path and the leaf. Pure. */
#ifndef HSR_DIAGNOSE_H
#define HSR_DIAGNOSE_H

#include "hsr/evidence.h"
#include "hsr/predicate.h"
#include "hsr/runbook.h"

/* As deep as a runbook may be: runbook_parse refuses deeper trees. */
#define DIAG_MAX_STEPS RUNBOOK_MAX_DEPTH
#define DIAG_MAX_NOTES 4

/* Where a step's answer came from. */
typedef enum {
	DIAG_FROM_EVIDENCE = 0, /* a predicate on the evidence */
	DIAG_FROM_OPERATOR,	/* the operator's override (diag_override) */
	DIAG_WAITING,		/* an "ask": "operator" node not answered yet: unknown for now */
} diag_source;

/* The operator's answer to one question, in place of the evidence's (the walker keeps them). */
typedef struct {
	const rb_node *node; /* the question */
	answer ans;	     /* ANSWER_YES or ANSWER_NO */
	int64_t at_ms;	     /* when the operator gave it */
} diag_override;

/*
 * One answered question. Steps of the walk have node set; a step diagnose() adds after the
 * walk (the status page also reporting an incident the leaf does not follow) has node NULL.
 * question is never NULL: print it, not node->question.
 */
typedef struct {
	const rb_node *node;
	answer ans;	     /* the answer the walk followed */
	answer evidence_ans; /* what the evidence alone answers (differs when overridden) */
	diag_source from;
	int64_t at_ms; /* when the evidence came (0 unknown), or when the operator answered */
	char evidence[240];
	const char *question; /* node->question, or diagnose's own question when node is NULL */
} diag_step;

typedef struct {
	const rb_leaf *leaf; /* never NULL after diagnose() on a valid runbook */
	int n_steps;
	diag_step steps[DIAG_MAX_STEPS];
	int n_notes; /* conflicting or extra evidence worth saying */
	char notes[DIAG_MAX_NOTES][240];
} diagnosis;

/* "evidence", "operator" or "waiting": how a step was answered (report JSON, the journal). */
const char *diagnose_source_name(diag_source s);
/* Walk rb on e to a leaf: diagnose_walk with no overrides (triage, the dashboard). */
void diagnose(const evidence *e, const runbook *rb, diagnosis *out);
/*
 * The one walk: as diagnose(), but a question with an entry in ov (n_ov entries) takes the
 * operator's answer instead of the evidence's. Pure.
 */
void diagnose_walk(const evidence *e, const runbook *rb, const diag_override *ov, int n_ov,
		   diagnosis *out);

/* Whether step i cites the same evidence as the step before it (said once, then "same"). */
bool diagnose_same_evidence(const diagnosis *d, int i);

#endif
