/* hsrunbook triage: every probe once, concurrently, under one deadline, then the report. */
#include <stdio.h>
#include <string.h>

#include "hsr/board.h"
#include "hsr/cmd.h"
#include "hsr/diagnose.h"
#include "hsr/exitcode.h"
#include "hsr/report.h"
#include "hsr/runner.h"

/* A probe that missed the deadline is evidence too: a time-out. */
static void cmd_triage_fill_missed(fetch_info *f, long timeout_ms)
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

/* Probe everything once and print the report to out; returns the leaf's exit code. */
int cmd_triage_report(const config *cfg, const runbook *rb, bool json, FILE *out)
{
	board *b = board_new();
	if (!b) {
		fprintf(stderr, "hsrunbook: cannot set up the probes (out of file descriptors?)\n");
		return EXIT_INTERNAL;
	}
	int64_t deadline = common_mono_ms() + cfg->timeout_ms + 250;
	runner *r = runner_start(cfg, b, true);
	if (!r) {
		board_free(b);
		fprintf(stderr, "hsrunbook: cannot start the probe threads\n");
		return EXIT_INTERNAL;
	}
	runner_wait_all(r, b, deadline);
	evidence e;
	board_snapshot(b, &e);
	cmd_triage_fill_missed(&e.status.f, cfg->timeout_ms);
	cmd_triage_fill_missed(&e.api.f, cfg->timeout_ms);
	cmd_triage_fill_missed(&e.usage.f, cfg->timeout_ms);
	cmd_triage_fill_missed(&e.health.f, cfg->timeout_ms);

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
	return runbook_exit_code(d.leaf ? d.leaf->id : "unknown");
}

/* Run triage with the settings; returns the leaf's exit code, or 1 or 2. */
static int cmd_triage_run(const cmd_args *a)
{
	cmd_env e;
	int rc = cmd_env_open(&e, a, "triage");
	if (rc)
		return rc;
	rc = cmd_triage_report(&e.cfg, e.rb, cmd_given(a, "json"), stdout);
	return cmd_env_close(&e, rc);
}

static const cmd_option *const cmd_triage_groups[] = {cmd_json_options, cmd_settings_options, NULL};

const cmd_entry cmd_triage = {
    .name = "triage",
    .args = "[--json] [OPTIONS]",
    .summary = "probe everything once, print the diagnosis and exit with the leaf's code",
    .options = cmd_triage_groups,
    .run = cmd_triage_run,
    .help_more = cmd_print_exit_codes,
};
