/* hsrunbook [dashboard]: the live dashboard, against HubSpot or (--demo) the simulator. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hsr/cmd.h"
#include "hsr/exitcode.h"
#include "hsr/incident_feed.h"
#include "hsr/sim.h"
#include "hsr/ui.h"

static const cmd_option cmd_dashboard_options[] = {
    {"demo", 0, "[SCENARIO]", "the dashboard on the simulator (default scenario: healthy)", NULL},
    {"no-color", 0, NULL, "monochrome (also NO_COLOR=1)", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

/* The dashboard on the embedded simulator, which plays the scenario called demo. */
static int cmd_dashboard_demo(config *cfg, const runbook *rb, const char *demo)
{
	char err[256];
	sim *s = sim_start(demo, 0, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hsrunbook: simulator did not start: %s\n", err);
		return EXIT_INTERNAL;
	}
	config_point_at(cfg, sim_base_url(s));
	explicit_bzero(cfg->token, sizeof cfg->token);
	common_strlcpy(cfg->token, "pat-demo-0000-simulated", sizeof cfg->token);
	cfg->utc_offset_min = -300; /* the simulated account lives in US/Eastern */
	cfg->utc_offset_set = true;
	/* Make-believe incidents go to a private state dir, removed after, unless one is given. */
	char tmp[sizeof cfg->state_dir] = "";
	if (!cfg->state_dir[0] && incident_feed_demo_dir(tmp, sizeof tmp) == 0)
		common_strlcpy(cfg->state_dir, tmp, sizeof cfg->state_dir);
	int rc = ui_run(cfg, rb, s);
	sim_stop(s);
	incident_feed_remove_tree(tmp);
	return rc;
}

/* Run the dashboard until the operator quits; returns its exit code. */
static int cmd_dashboard_run(const cmd_args *a)
{
	const char *demo = NULL;
	if (cmd_given(a, "demo")) {
		demo = cmd_value(a, "demo") ? cmd_value(a, "demo") : "healthy";
		if (!sim_scenario_exists(demo))
			return cmd_unknown_scenario("--demo", demo);
	}
	cmd_env e;
	int rc = cmd_env_open(&e, a, demo ? "demo" : "dashboard");
	if (rc)
		return rc;
	if (demo) {
		rc = cmd_dashboard_demo(&e.cfg, e.rb, demo);
	} else if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "hsrunbook: the dashboard needs a terminal; for scripts use "
				"`hsrunbook triage --json`\n");
		rc = EXIT_USAGE;
	} else {
		rc = ui_run(&e.cfg, e.rb, NULL);
	}
	return cmd_env_close(&e, rc);
}

static const cmd_option *const cmd_dashboard_groups[] = {cmd_dashboard_options,
							 cmd_settings_options, NULL};

const cmd_entry cmd_dashboard = {
    .name = "dashboard",
    .args = "[--demo [SCENARIO]] [OPTIONS]",
    .summary = "open the live dashboard (also with no command)",
    .options = cmd_dashboard_groups,
    .run = cmd_dashboard_run,
    .help_more = cmd_print_scenarios,
};
