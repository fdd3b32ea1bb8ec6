/*
 * The walker's state, pure: the tree walked on the evidence with the operator's answers on top,
 * the leaf changes the evidence makes, and the leaf's remediation as a checklist with live
 * checks. No curses, no clock: every call takes the time. The screen draws it; the journal
 * reads walker_decisions (what the operator decided, in one place).
 */
#ifndef HSR_WALKER_H
#define HSR_WALKER_H

#include "hsr/diagnose.h"

#define WALKER_MAX_OVERRIDES 32
#define WALKER_MAX_CHECKS    128

/* A remediation step the operator checked, and when. */
typedef struct {
	const rb_leaf *leaf;
	const rb_step *step;
	int64_t at_ms;
} walker_check;

/*
 * Everything the operator decided: answers that override the evidence (kept for questions the
 * path no longer asks too: they apply again if it comes back) and checked steps of any leaf.
 * Pointers are into the walker's runbook; node, leaf and step ids name them for the journal.
 */
typedef struct {
	diag_override overrides[WALKER_MAX_OVERRIDES];
	int n_overrides;
	walker_check checks[WALKER_MAX_CHECKS];
	int n_checks;
} walker_decisions;

/* A step's live check (its verify predicate) on the latest evidence. */
typedef struct {
	bool has_verify;      /* false: the step has no verify; state is unknown */
	answer state;	      /* yes met, no not met, unknown */
	int64_t met_since_ms; /* when it was first seen met since it last was not; 0 when not met */
	char why[240];	      /* the evidence the check read */
} walker_verify;

/* A change of leaf the evidence made (the operator's own answers never make one). */
typedef struct {
	const rb_leaf *from, *to; /* from NULL: no change yet */
	int64_t at_ms;
	char text[160]; /* "leaf changed: token-invalid → healthy, 14:03:11 UTC" */
} walker_change;

typedef struct {
	const runbook *rb;
	walker_decisions ops;
	diagnosis diag; /* the path (each step says where its answer came from) and the leaf */
	walker_change change;
	walker_verify verify[RUNBOOK_MAX_STEPS]; /* for diag.leaf's steps, in order */
	bool walked;				 /* walker_update ran at least once */
	int published; /* probes that had published at the last walk (evidence_published) */
} walker;

/* Start a walker on rb with no decisions. */
void walker_init(walker *w, const runbook *rb);
/*
 * New evidence: walk again (the operator's answers kept), refresh the live checks. Returns true
 * when the leaf changed; w->change then says from what, to what and when.
 */
bool walker_update(walker *w, const evidence *e, int64_t now_ms);
/*
 * The same, with plain the diagnosis of e already made (diagnose(e, rb) on the walker's rb, as
 * the watch's view has it): while the operator has given no answers it is taken as the path,
 * so the tree is not walked twice; with answers (or a plain of another runbook) the walker
 * walks again. plain may be NULL (walker_update).
 */
bool walker_follow(walker *w, const evidence *e, const diagnosis *plain, int64_t now_ms);
/*
 * The operator answers question node: yes or no overrides the evidence's answer; unknown gives
 * it back to the evidence. Walks again on e. False when node is not rb's or the table is full.
 */
bool walker_answer(walker *w, const evidence *e, const rb_node *node, answer a, int64_t now_ms);
/* The operator's answer to node, or NULL when the evidence answers it. */
const diag_override *walker_override(const walker *w, const rb_node *node);
/* The index in w->diag.steps of the question that decided the leaf (the cursor's start), or -1. */
int walker_deciding_step(const walker *w);
/* How many questions on the path wait for the operator (no evidence can answer them). */
int walker_waiting(const walker *w);
/* Check or uncheck step k of the current leaf; returns whether it is checked now. */
bool walker_toggle_step(walker *w, int k, int64_t now_ms);
/* The check of step of leaf, or NULL when it is not checked. */
const walker_check *walker_checked(const walker *w, const rb_leaf *leaf, const rb_step *step);
/* Evaluate a step's verify on e ("!name": met when name answers no); unknown without one. */
answer walker_verify_eval(const rb_step *step, const evidence *e, char *why, size_t whysz);
/* "14:03:11 UTC" for a wall-clock time in ms. */
void walker_clock(int64_t ms, char *buf, size_t sz);

#endif
