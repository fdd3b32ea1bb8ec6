/* hsrunbook triage: every probe once, concurrently, one deadline, one report. */
#ifndef HSR_TRIAGE_H
#define HSR_TRIAGE_H

#include <stdio.h>

#include "hsr/config.h"
#include "hsr/runbook.h"

/* Run triage and print the report; returns the leaf's exit code. */
int triage_run(const config *cfg, const runbook *rb, bool json, FILE *out);

#endif
