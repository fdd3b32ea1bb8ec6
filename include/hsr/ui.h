/* The full-screen dashboard (screens/). The only place curses is used. */
#ifndef HSR_UI_H
#define HSR_UI_H

#include "hsr/config.h"
#include "hsr/runbook.h"
#include "hsr/sim.h"

/* Run the dashboard until the operator quits. demo is the running simulator or NULL. Returns the
 * exit code. */
int ui_run(const config *cfg, const runbook *rb, sim *demo);

#endif
