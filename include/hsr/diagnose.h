/* diagnose(): evidence + tree -> the answered path and the leaf. Pure. */
#ifndef HSR_DIAGNOSE_H
#define HSR_DIAGNOSE_H

#include "hsr/evidence.h"
#include "hsr/predicate.h"
#include "hsr/runbook.h"

/* As deep as a runbook may be: runbook_parse refuses deeper trees. */
#define DIAG_MAX_STEPS RUNBOOK_MAX_DEPTH
#define DIAG_MAX_NOTES 4

/*
 * One answered question. Steps of the walk have node set; a step diagnose() adds after the
 * walk (the status page also reporting an incident the leaf does not follow) has node NULL.
 * question is never NULL: print it, not node->question.
 */
typedef struct {
	const rb_node *node;
	answer ans;
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

void diagnose(const evidence *e, const runbook *rb, diagnosis *out);

#endif
