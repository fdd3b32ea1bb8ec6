/* Named evidence predicates the runbook's questions are answered by. */
#ifndef HSR_PREDICATE_H
#define HSR_PREDICATE_H

#include "hsr/evidence.h"

typedef enum {
	ANSWER_NO = 0,
	ANSWER_YES = 1,
	ANSWER_UNKNOWN = 2,
} answer;

/*
 * Evaluate predicate name on e. why gets the evidence that answered, one line
 * ("API answered HTTP 401, category INVALID_AUTHENTICATION"). Unknown names answer UNKNOWN.
 */
answer predicate_eval(const char *name, const evidence *e, char *why, size_t whysz);
bool predicate_exists(const char *name);
/* NULL-terminated list of the known names. */
extern const char *const predicate_names[];
const char *predicate_answer_name(answer a); /* "yes" | "no" | "unknown" */

#endif
