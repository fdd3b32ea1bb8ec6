/* The triage report: evidence + diagnosis as text for people and JSON for scripts. */
#ifndef HSR_REPORT_H
#define HSR_REPORT_H

#include <stdio.h>

#include "hsr/diagnose.h"
#include "hsr/evidence.h"

/* The line the text report (and every screen) starts with while no token is set. */
#define REPORT_NO_TOKEN                                                                            \
	"no token: the HubSpot API is not being asked; set HUBSPOT_ACCESS_TOKEN or --token-file"

/* Write the JSON report (one object, newline-terminated). */
void report_json(FILE *out, const evidence *e, const diagnosis *d);
/* Write the text report. */
void report_text(FILE *out, const evidence *e, const diagnosis *d);

#endif
