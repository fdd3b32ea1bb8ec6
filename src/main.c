/* hsrunbook: command line, configuration and dispatch to triage, simulate or the dashboard. */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hsr/config.h"
#include "hsr/http.h"
#include "hsr/log.h"
#include "hsr/runbook.h"
#include "hsr/sim.h"
#include "hsr/triage.h"
#include "hsr/ui.h"

#define EXIT_USAGE    2
#define EXIT_INTERNAL 1

static const char usage_text[] =
    "usage: hsrunbook [COMMAND] [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  (none)              open the live dashboard\n"
    "  triage [--json]     probe everything once, print the diagnosis and exit with\n"
    "                      the leaf's code (below)\n"
    "  simulate            run the embedded HubSpot simulator alone, print its URL\n"
    "\n"
    "Options:\n"
    "  --demo [SCENARIO]   the dashboard on the simulator (default scenario: healthy)\n"
    "  --json              triage: JSON for scripts\n"
    "  --status-url URL    HubSpot status page summary.json\n"
    "  --api-base URL      HubSpot API base (the only place the token is sent)\n"
    "  --health-url URL    our app's health endpoint (optional)\n"
    "  --timeout S         total time-out of each request, seconds (default 10)\n"
    "  --connect-timeout S connect time-out, seconds (default 3)\n"
    "  --token-file FILE   read the token from FILE (mode 0600);\n"
    "                      else HUBSPOT_ACCESS_TOKEN\n"
    "  --cacert FILE       trust this CA bundle (private CA or TLS-inspecting proxy)\n"
    "  --runbook FILE      use this runbook instead of the built-in one\n"
    "  --config FILE       config file (default $XDG_CONFIG_HOME/hsrunbook/config)\n"
    "  --set KEY=VALUE     one config setting, as in the config file\n"
    "  --state-dir DIR     incident state (default $XDG_STATE_HOME/hsrunbook)\n"
    "  --log FILE          diagnostics log (never the terminal)\n"
    "  --no-color          monochrome (also NO_COLOR=1)\n"
    "  --scenario NAME     simulate: the scenario to start with\n"
    "  --port N            simulate: listen on 127.0.0.1:N (default 0: any free port)\n"
    "  --delay MS          simulate: add MS milliseconds to every answer\n"
    "  -h, --help          this help;  -V, --version  the version\n"
    "\n"
    "Exit codes of triage: 0 healthy, 10 hubspot-outage, 11 token-invalid,\n"
    "12 missing-scopes, 13 rate-limit-daily, 14 rate-limit-burst,\n"
    "15 hubspot-server-error, 16 hubspot-unreachable, 17 app-unhealthy, 18 unknown,\n"
    "19 webhook-failing, 20 hubspot-slow, 21 network-down; 2 usage error,\n"
    "1 internal error. The dashboard ends with 130 on Ctrl-C, 143 on SIGTERM.\n";

/* Every option the command line understands, for "did you mean". */
static const char *const options[] = {
    "--help",	   "--version",	   "--json",	"--no-color",	     "--demo",	     "--status-url",
    "--api-base",  "--health-url", "--timeout", "--connect-timeout", "--cacert",     "--runbook",
    "--state-dir", "--log",	   "--set",	"--config",	     "--token-file", "--scenario",
    "--port",	   "--delay",	   NULL,
};

/* Print words as a comma-separated list after title, wrapped at 79 columns. */
static void print_list(FILE *f, const char *title, const char *const *words)
{
	int col = fprintf(f, "%s", title);
	for (size_t i = 0; words[i]; i++) {
		int len = (int)strlen(words[i]) + (words[i + 1] ? 1 : 0);
		if (col + 1 + len > 79) {
			fputs("\n ", f);
			col = 1;
		}
		col += fprintf(f, " %s%s", words[i], words[i + 1] ? "," : "");
	}
	fputc('\n', f);
}

/* The help: usage, then the scenarios and the settings as they are today. */
static void print_help(void)
{
	fputs(usage_text, stdout);
	print_list(stdout, "\nScenarios of --demo and --scenario:", sim_scenarios);
	const char *keys[64];
	config_key_names(keys, 64);
	print_list(stdout, "Settings (config file, or --set KEY=VALUE):", keys);
}

/* An unknown scenario: one line naming the nearest and every scenario; exit 2. */
static int unknown_scenario(const char *opt, const char *name)
{
	const char *near = common_nearest(name, sim_scenarios);
	fprintf(stderr, "hsrunbook: %s: unknown scenario \"%.40s\"", opt, name);
	if (near)
		fprintf(stderr, " (did you mean %s?)", near);
	fputs(": use one of", stderr);
	for (size_t i = 0; sim_scenarios[i]; i++)
		fprintf(stderr, " %s%s", sim_scenarios[i], sim_scenarios[i + 1] ? "," : "\n");
	return EXIT_USAGE;
}

/* A usage error: one line, exit 2. */
__attribute__((format(printf, 1, 0))) static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "hsrunbook: ");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	fprintf(stderr, fmt, arg);
#pragma GCC diagnostic pop
	fprintf(stderr, " (see hsrunbook --help)\n");
	return EXIT_USAGE;
}

static volatile sig_atomic_t got_signal;

/* Remember the signal; the simulate loop ends on it. */
static void on_signal(int sig)
{
	got_signal = sig;
}

/* Run the simulator in the foreground until a signal arrives. */
static int run_simulate(const char *scenario, unsigned short port, long delay_ms)
{
	char err[256];
	sim *s = sim_start(scenario, port, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hsrunbook: simulator did not start: %s\n", err);
		return EXIT_INTERNAL;
	}
	if (delay_ms > 0)
		sim_set_delay_ms(s, delay_ms);
	struct sigaction sa = {.sa_handler = on_signal};
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
	while (!got_signal)
		pause();
	sim_stop(s);
	return 0;
}

/* The value of an option that takes one, or NULL with a usage error printed. */
static const char *need_value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc || (argv[*i + 1][0] == '-' && argv[*i + 1][1] == '-')) {
		usage_error("%s needs a value", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

int main(int argc, char **argv)
{
	/* Character set only (not numbers), before any thread exists: setlocale is not thread-safe.
	 */
	setlocale(LC_CTYPE, "");
	config cfg;
	config_defaults(&cfg);
	const char *command = NULL, *demo = NULL, *scenario = "healthy", *config_path = NULL;
	const char *token_file = NULL;
	bool json = false;
	long port = 0, delay_ms = 0;
	char err[512];
	/* Flags apply after the config file: collect them first as key/value pairs. */
	const char *sets[64][3]; /* key, value, the option it came from */
	int n_sets = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			print_help();
			return 0;
		} else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
			printf("hsrunbook %s\n", HSR_VERSION);
			return 0;
		} else if (strcmp(a, "--json") == 0) {
			json = true;
		} else if (strcmp(a, "--no-color") == 0) {
			cfg.no_color = true;
		} else if (strcmp(a, "--demo") == 0) {
			demo = "healthy";
			/* A word after --demo is its scenario, unless it is a command. */
			if (i + 1 < argc && argv[i + 1][0] != '-' &&
			    strcmp(argv[i + 1], "triage") != 0 &&
			    strcmp(argv[i + 1], "simulate") != 0)
				demo = argv[++i];
			if (!sim_scenario_exists(demo))
				return unknown_scenario("--demo", demo);
		} else if (strcmp(a, "--token") == 0) {
			return usage_error(
			    "%s is refused: a token on the command line leaks into "
			    "ps and shell history; use HUBSPOT_ACCESS_TOKEN or --token-file",
			    a);
		} else if (strncmp(a, "--", 2) == 0) {
			static const struct {
				const char *flag, *key;
			} map[] = {
			    {"--status-url", "status_url"},
			    {"--api-base", "api_base"},
			    {"--health-url", "health_url"},
			    {"--timeout", "timeout"},
			    {"--connect-timeout", "connect_timeout"},
			    {"--cacert", "cacert"},
			    {"--runbook", "runbook"},
			    {"--state-dir", "state_dir"},
			    {"--log", "log"},
			};
			const char *key = NULL;
			for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
				if (strcmp(a, map[k].flag) == 0)
					key = map[k].key;
			if (key) {
				if (!(v = need_value(argc, argv, &i)))
					return EXIT_USAGE;
				if (n_sets == 64)
					return usage_error("%s: too many options", a);
				sets[n_sets][0] = key;
				sets[n_sets][2] = a;
				sets[n_sets++][1] = v;
			} else if (strcmp(a, "--set") == 0) {
				if (!(v = need_value(argc, argv, &i)))
					return EXIT_USAGE;
				const char *eq = strchr(v, '=');
				if (!eq || eq == v)
					return usage_error("--set takes KEY=VALUE, not \"%s\"", v);
				if (n_sets == 64)
					return usage_error("%s: too many options", a);
				static char keys[64][64];
				snprintf(keys[n_sets], sizeof keys[n_sets], "%.*s", (int)(eq - v),
					 v);
				sets[n_sets][0] = keys[n_sets];
				sets[n_sets][2] = a;
				sets[n_sets++][1] = eq + 1;
			} else if (strcmp(a, "--config") == 0) {
				if (!(config_path = need_value(argc, argv, &i)))
					return EXIT_USAGE;
			} else if (strcmp(a, "--token-file") == 0) {
				if (!(token_file = need_value(argc, argv, &i)))
					return EXIT_USAGE;
			} else if (strcmp(a, "--scenario") == 0) {
				if (!(scenario = need_value(argc, argv, &i)))
					return EXIT_USAGE;
			} else if (strcmp(a, "--port") == 0 || strcmp(a, "--delay") == 0) {
				if (!(v = need_value(argc, argv, &i)))
					return EXIT_USAGE;
				opt_int n = common_parse_uint(v);
				bool is_port = a[2] == 'p';
				if (!n.known || n.v > (is_port ? 65535 : 600000)) {
					fprintf(
					    stderr,
					    is_port
						? "hsrunbook: --port must be a whole number "
						  "from 0 to 65535 (0: any free port), not "
						  "\"%.40s\"\n"
						: "hsrunbook: --delay must be a whole number of "
						  "milliseconds from 0 to 600000, not \"%.40s\"\n",
					    v);
					return EXIT_USAGE;
				}
				*(is_port ? &port : &delay_ms) = (long)n.v;
			} else {
				const char *near = common_nearest(a, options);
				if (near) {
					fprintf(
					    stderr,
					    "hsrunbook: unknown option %.40s: did you mean %s?\n",
					    a, near);
					return EXIT_USAGE;
				}
				return usage_error("unknown option %s", a);
			}
		} else if (!command && (strcmp(a, "triage") == 0 || strcmp(a, "simulate") == 0)) {
			command = a;
		} else {
			static const char *const commands[] = {"triage", "simulate", NULL};
			const char *near = command ? NULL : common_nearest(a, commands);
			if (near) {
				fprintf(stderr,
					"hsrunbook: unknown command \"%.40s\": did you mean %s?\n",
					a, near);
				return EXIT_USAGE;
			}
			return usage_error("unknown command or argument \"%s\"", a);
		}
	}
	if (demo && command)
		return usage_error("--demo opens the dashboard; it does not go with %s", command);
	if (json && (!command || strcmp(command, "triage") != 0))
		return usage_error("%s goes with triage", "--json");
	if (!sim_scenario_exists(scenario))
		return unknown_scenario("--scenario", scenario);

	if (command && strcmp(command, "simulate") == 0)
		return run_simulate(scenario, (unsigned short)port, delay_ms);

	char path[600];
	if (config_path)
		snprintf(path, sizeof path, "%s", config_path);
	else
		config_default_path(path, sizeof path);
	if (config_load_file(&cfg, path, config_path == NULL, err, sizeof err) != 0) {
		fprintf(stderr, "hsrunbook: %s\n", err);
		return EXIT_USAGE;
	}
	for (int k = 0; k < n_sets; k++) {
		if (config_set(&cfg, sets[k][0], sets[k][1], err, sizeof err) != 0) {
			fprintf(stderr, "hsrunbook: %s: %s\n", sets[k][2], err);
			return EXIT_USAGE;
		}
	}
	if (config_check(&cfg, err, sizeof err) != 0) {
		fprintf(stderr, "hsrunbook: %s\n", err);
		return EXIT_USAGE;
	}
	const char *env_token = getenv("HUBSPOT_ACCESS_TOKEN");
	if (token_file) {
		if (config_load_token_file(&cfg, token_file, err, sizeof err) != 0) {
			fprintf(stderr, "hsrunbook: %s\n", err);
			return EXIT_USAGE;
		}
	} else if (env_token && *env_token) {
		if (strlen(env_token) >= sizeof cfg.token || strpbrk(env_token, " \t\r\n\v\f")) {
			fprintf(stderr,
				"hsrunbook: HUBSPOT_ACCESS_TOKEN must be the token alone: no "
				"spaces or line breaks, under %zu characters\n",
				sizeof cfg.token);
			return EXIT_USAGE;
		}
		for (const char *p = env_token; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				fprintf(stderr, "hsrunbook: HUBSPOT_ACCESS_TOKEN holds a control "
						"character: set it to the token alone\n");
				return EXIT_USAGE;
			}
		common_strlcpy(cfg.token, env_token, sizeof cfg.token);
	} else if (cfg.token_file[0]) {
		if (config_load_token_file(&cfg, cfg.token_file, err, sizeof err) != 0) {
			fprintf(stderr, "hsrunbook: %s\n", err);
			return EXIT_USAGE;
		}
	}
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		cfg.no_color = true;

	runbook *rb = cfg.runbook_path[0] ? runbook_load_file(cfg.runbook_path, err, sizeof err)
					  : runbook_load_default(err, sizeof err);
	if (!rb) {
		fprintf(stderr, "hsrunbook: runbook refused: %s\n", err);
		return cfg.runbook_path[0] ? EXIT_USAGE : EXIT_INTERNAL;
	}

	if (cfg.log_path[0] && log_open(cfg.log_path, err, sizeof err) != 0) {
		fprintf(stderr, "hsrunbook: %s\n", err);
		runbook_free(rb);
		return EXIT_USAGE;
	}
	log_msg("hsrunbook %s %s; runbook %s", HSR_VERSION,
		command ? command : (demo ? "demo" : "dashboard"), rb->name);
	signal(SIGPIPE, SIG_IGN);
	http_global_init();
	int rc;
	if (command) {
		rc = triage_run(&cfg, rb, json, stdout);
	} else if (demo) {
		sim *s = sim_start(demo, 0, err, sizeof err);
		if (!s) {
			fprintf(stderr, "hsrunbook: simulator did not start: %s\n", err);
			rc = EXIT_INTERNAL;
		} else {
			config_point_at(&cfg, sim_base_url(s));
			explicit_bzero(cfg.token, sizeof cfg.token);
			common_strlcpy(cfg.token, "pat-demo-0000-simulated", sizeof cfg.token);
			cfg.utc_offset_min = -300; /* the simulated account lives in US/Eastern */
			cfg.utc_offset_set = true;
			rc = ui_run(&cfg, rb, s);
			sim_stop(s);
		}
	} else {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			fprintf(stderr,
				"hsrunbook: the dashboard needs a terminal; for scripts use "
				"`hsrunbook triage --json`\n");
			rc = EXIT_USAGE;
		} else {
			rc = ui_run(&cfg, rb, NULL);
		}
	}
	explicit_bzero(cfg.token, sizeof cfg.token);
	runbook_free(rb);
	http_global_cleanup();
	log_msg("exit %d", rc);
	log_close();
	(void)errno;
	return rc;
}
