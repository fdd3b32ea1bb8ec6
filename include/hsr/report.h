/* The triage report: evidence + diagnosis as text for people and JSON for scripts. */
#ifndef HSR_REPORT_H
#define HSR_REPORT_H

#include <stdio.h>

#include "hsr/board.h"
#include "hsr/diagnose.h"

/* Write the JSON report (one object, newline-terminated). */
void report_json(FILE *out, const evidence *e, const diagnosis *d);
/* Write the text report. */
void report_text(FILE *out, const evidence *e, const diagnosis *d);

#endif
