/* hsrunbook simulate: the embedded HubSpot simulator alone, in the foreground. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "hsr/cmd.h"
#include "hsr/exitcode.h"
#include "hsr/sim.h"

static const cmd_option cmd_simulate_options[] = {
    {"scenario", 0, "NAME", "the scenario to start with (default healthy)", NULL},
    {"port", 0, "N", "listen on 127.0.0.1:N (default 0: any free port)", NULL},
    {"delay", 0, "MS", "add MS milliseconds to every answer", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

static volatile sig_atomic_t cmd_simulate_signal;

/* Remember the signal; the loop ends on it. */
static void cmd_simulate_on_signal(int sig)
{
	cmd_simulate_signal = sig;
}

/* A whole number from 0 to max given to opt, into out; else a one-line error, saying the unit
 * and what 0 means when they are not "", and -1. */
static int cmd_simulate_number(const cmd_args *a, const char *opt, long max, const char *unit,
			       const char *zero, long *out)
{
	const char *v = cmd_value(a, opt);
	if (!v)
		return 0;
	opt_int n = common_parse_uint(v);
	if (n.known && n.v <= max) {
		*out = (long)n.v;
		return 0;
	}
	fprintf(stderr, "hsrunbook: --%s must be a whole number%s from 0 to %ld%s, not \"%.40s\"\n",
		opt, unit, max, zero, v);
	return -1;
}

/* Run the simulator until a signal arrives; print its URL and how to use it. */
static int cmd_simulate_run(const cmd_args *a)
{
	const char *scenario = cmd_value(a, "scenario") ? cmd_value(a, "scenario") : "healthy";
	long port = 0, delay_ms = 0;
	if (!sim_scenario_exists(scenario))
		return cmd_unknown_scenario("--scenario", scenario);
	if (cmd_simulate_number(a, "port", 65535, "", " (0: any free port)", &port) != 0 ||
	    cmd_simulate_number(a, "delay", 600000, " of milliseconds", "", &delay_ms) != 0)
		return EXIT_USAGE;
	char err[256];
	sim *s = sim_start(scenario, (unsigned short)port, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hsrunbook: simulator did not start: %s\n", err);
		return EXIT_INTERNAL;
	}
	if (delay_ms > 0)
		sim_set_delay_ms(s, delay_ms);
	struct sigaction sa = {.sa_handler = cmd_simulate_on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	const char *base = sim_base_url(s);
	printf("%s\n", base);
	printf("# scenario %s; try: hsrunbook triage --status-url %s%s --api-base %s --health-url "
	       "%s%s\n",
	       scenario, base, SIM_STATUS_PATH, base, base, SIM_HEALTH_PATH);
	printf("# switch scenario: curl -X POST --data NAME %s/_sim/scenario ; Ctrl-C stops\n",
	       base);
	fflush(stdout);
	while (!cmd_simulate_signal)
		pause();
	sim_stop(s);
	return EXIT_OK;
}

static const cmd_option *const cmd_simulate_groups[] = {cmd_simulate_options, NULL};

const cmd_entry cmd_simulate = {
    .name = "simulate",
    .args = "[--scenario NAME] [--port N] [--delay MS]",
    .summary = "run the embedded HubSpot simulator alone, print its URL",
    .options = cmd_simulate_groups,
    .run = cmd_simulate_run,
    .help_more = cmd_print_scenarios,
};
