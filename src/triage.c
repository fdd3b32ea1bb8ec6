/* hsrunbook triage: every probe once, concurrently, under one deadline, then the report. */
#include "hsr/triage.h"

#include <stdio.h>
#include <string.h>

#include "hsr/board.h"
#include "hsr/diagnose.h"
#include "hsr/report.h"
#include "hsr/runner.h"

/* A probe that missed the deadline is evidence too: a time-out. */
static void fill_missed(fetch_info *f, long timeout_ms)
{
	if (f->done)
		return;
	memset(f, 0, sizeof *f);
	f->done = true;
	f->configured = true;
	f->err = HTTP_ERR_TIMEOUT;
	f->at_ms = common_now_ms();
	snprintf(f->error, sizeof f->error, "no answer within the triage deadline of %ld s",
		 (timeout_ms + 999) / 1000);
}

/* Run triage and print the report; returns the leaf's exit code. */
int triage_run(const config *cfg, const runbook *rb, bool json, FILE *out)
{
	board *b = board_new();
	if (!b) {
		fprintf(stderr, "hsrunbook: cannot set up the probes (out of file descriptors?)\n");
		return 1;
	}
	int64_t deadline = common_mono_ms() + cfg->timeout_ms + 250;
	runner *r = runner_start(cfg, b, true);
	if (!r) {
		board_free(b);
		fprintf(stderr, "hsrunbook: cannot start the probe threads\n");
		return 1;
	}
	runner_wait_all(r, b, deadline);
	evidence e;
	board_snapshot(b, &e);
	fill_missed(&e.status.f, cfg->timeout_ms);
	fill_missed(&e.api.f, cfg->timeout_ms);
	fill_missed(&e.usage.f, cfg->timeout_ms);
	fill_missed(&e.health.f, cfg->timeout_ms);

	diagnosis d;
	diagnose(&e, rb, &d);
	if (json)
		report_json(out, &e, &d);
	else
		report_text(out, &e, &d);
	fflush(out);
	/* The report is out before the probes are stopped: nothing that hangs can delay it. */
	runner_stop(r);
	board_free(b);
	return d.leaf ? runbook_exit_code(d.leaf->id) : 18;
}
