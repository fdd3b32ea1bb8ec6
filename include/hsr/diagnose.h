/* diagnose(): evidence + tree -> the answered path and the leaf. Pure. */
#ifndef HSR_DIAGNOSE_H
#define HSR_DIAGNOSE_H

#include "hsr/board.h"
#include "hsr/predicate.h"
#include "hsr/runbook.h"

#define DIAG_MAX_STEPS 24
#define DIAG_MAX_NOTES 4

typedef struct {
	const rb_node *node;
	answer ans;
	char evidence[240];
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
