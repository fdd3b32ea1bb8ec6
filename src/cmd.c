/* The command table and what every command shares: parsing with getopt_long, help, settings. */
#include "hsr/cmd.h"

#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hsr/exitcode.h"
#include "hsr/http.h"
#include "hsr/log.h"
#include "hsr/sim.h"

/* The commands, in help order; the first runs when none is named. A new command is its file
 * (src/cmd_NAME.c, defining `const cmd_entry cmd_NAME`) and one line here. */
#define CMD_TABLE(X)                                                                               \
	X(dashboard)                                                                               \
	X(triage)                                                                                  \
	X(simulate)                                                                                \
	X(verify_webhook)                                                                          \
	X(incidents)                                                                               \
	X(postmortem)

#define CMD_DECLARE(name) extern const cmd_entry cmd_##name;
#define CMD_POINTER(name) &cmd_##name,
CMD_TABLE(CMD_DECLARE)
const cmd_entry *const cmd_table[] = {CMD_TABLE(CMD_POINTER) NULL};

const cmd_option cmd_settings_options[] = {
    {"status-url", 0, "URL", "HubSpot status page summary.json", "status_url"},
    {"api-base", 0, "URL", "HubSpot API base (the only place the token is sent)", "api_base"},
    {"health-url", 0, "URL", "our app's health endpoint (optional)", "health_url"},
    {"timeout", 0, "S", "total time-out of each request, seconds (default 10)", "timeout"},
    {"connect-timeout", 0, "S", "connect time-out, seconds (default 3)", "connect_timeout"},
    {"token-file", 0, "FILE", "read the token from FILE (mode 0600); else HUBSPOT_ACCESS_TOKEN",
     NULL},
    {"cacert", 0, "FILE", "trust this CA bundle (private CA or TLS-inspecting proxy)", "cacert"},
    {"runbook", 0, "FILE", "use this runbook instead of the built-in one", "runbook"},
    {"config", 0, "FILE", "config file (default $XDG_CONFIG_HOME/hsrunbook/config)", NULL},
    {"set", 0, "KEY=VALUE", "one config setting, as in the config file", NULL},
    {"state-dir", 0, "DIR", "incident state (default $XDG_STATE_HOME/hsrunbook)", "state_dir"},
    {"log", 0, "FILE", "diagnostics log (never the terminal)", "log"},
    {NULL, 0, NULL, NULL, NULL},
};

const cmd_option cmd_json_options[] = {
    {"json", 0, NULL, "JSON for scripts", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

const cmd_option cmd_common_options[] = {
    {"help", 'h', NULL, "this help; with a command, that command's options", NULL},
    {"version", 'V', NULL, "the version", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

#define MAX_OPTIONS 64

/* The command called name, or NULL. */
const cmd_entry *cmd_find(const char *name)
{
	for (size_t i = 0; cmd_table[i]; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
}

/* Every option c takes, its own groups then the common ones, into out; returns how many. */
static int options_of(const cmd_entry *c, const cmd_option **out)
{
	int n = 0;
	for (size_t g = 0; c->options && c->options[g]; g++)
		for (const cmd_option *o = c->options[g]; o->name && n < MAX_OPTIONS - 2; o++)
			out[n++] = o;
	for (const cmd_option *o = cmd_common_options; o->name; o++)
		out[n++] = o;
	return n;
}

/* The option of c called name (no "--"), or NULL. */
static const cmd_option *option_of(const cmd_entry *c, const char *name)
{
	const cmd_option *all[MAX_OPTIONS];
	int n = options_of(c, all);
	for (int i = 0; i < n; i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}

/* Whether the option called name was given. */
bool cmd_given(const cmd_args *a, const char *name)
{
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->given[i].opt->name, name) == 0)
			return true;
	return false;
}

/* The last value given to the option called name, or NULL. */
const char *cmd_value(const cmd_args *a, const char *name)
{
	const char *v = NULL;
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->given[i].opt->name, name) == 0)
			v = a->given[i].value;
	return v;
}

/* How messages name a command: the default one is "the dashboard", the others by name. */
static const char *called(const cmd_entry *c, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, c == cmd_table[0] ? "the %s" : "%s", c->name);
	return buf;
}

/* The commands that take option name (or, with group, that group) as "triage", "the dashboard
 * and triage", "the dashboard, triage and incidents"; returns the first, or NULL. */
static const cmd_entry *owners_of(const char *name, const cmd_option *group, char *out,
				  size_t outsz)
{
	const cmd_entry *who[16], *first = NULL;
	int n = 0;
	for (size_t i = 0; cmd_table[i] && n < 16; i++) {
		bool takes = false;
		for (size_t g = 0; cmd_table[i]->options && cmd_table[i]->options[g]; g++)
			takes = takes || cmd_table[i]->options[g] == group;
		if (name)
			takes = option_of(cmd_table[i], name) != NULL;
		if (takes)
			who[n++] = cmd_table[i];
	}
	out[0] = '\0';
	for (int k = 0; k < n; k++) {
		char w[32];
		size_t len = strlen(out);
		snprintf(out + len, outsz - len, "%s%s",
			 k == 0	      ? ""
			 : k == n - 1 ? " and "
				      : ", ",
			 called(who[k], w, sizeof w));
		first = first ? first : who[k];
	}
	return first;
}

/* A usage error: one line naming where to read more (c's help, else the overview); returns 2. */
int cmd_usage_error(const cmd_entry *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("hsrunbook: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	bool own = c && c != cmd_table[0]; /* the dashboard's options are in the overview */
	fprintf(stderr, " (see hsrunbook%s%s --help)\n", own ? " " : "", own ? c->name : "");
	return EXIT_USAGE;
}

/* An unknown scenario: one line naming the nearest and every scenario; returns 2. */
int cmd_unknown_scenario(const char *opt, const char *name)
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

/* An option c does not take: which command takes it, or the nearest option; returns 2. */
static int refuse_option(const cmd_entry *c, const char *typed)
{
	char name[48], here[32];
	snprintf(name, sizeof name, "%.*s", (int)strcspn(typed, "="), typed);
	if (strcmp(name, "--token") == 0)
		return cmd_usage_error(
		    NULL, "--token is refused: a token on the command line leaks into "
			  "ps and shell history; use HUBSPOT_ACCESS_TOKEN or --token-file");
	if (strcmp(name, "--secret") == 0 || strcmp(name, "--client-secret") == 0)
		return cmd_usage_error(
		    NULL,
		    "%s is refused: a secret on the command line leaks into ps and shell "
		    "history; use HUBSPOT_CLIENT_SECRET or --secret-file",
		    name);
	/* The commands that take it, as "triage" or "the dashboard and triage". */
	char owners[160] = "";
	const cmd_entry *first =
	    strncmp(name, "--", 2) == 0 ? owners_of(name + 2, NULL, owners, sizeof owners) : NULL;
	if (first)
		return cmd_usage_error(first, "%s goes with %s, not with %s", name, owners,
				       called(c, here, sizeof here));
	/* Nearest among every command's options. */
	static char words[MAX_OPTIONS * 4][32];
	const char *list[MAX_OPTIONS * 4 + 1];
	size_t n = 0;
	for (size_t i = 0; cmd_table[i]; i++) {
		const cmd_option *all[MAX_OPTIONS];
		int k = options_of(cmd_table[i], all);
		for (int j = 0; j < k && n < MAX_OPTIONS * 4; j++) {
			snprintf(words[n], sizeof words[n], "--%s", all[j]->name);
			list[n] = words[n];
			n++;
		}
	}
	list[n] = NULL;
	const char *near = common_nearest(name, list);
	if (near) {
		fprintf(stderr, "hsrunbook: unknown option %.40s: did you mean %s?\n", name, near);
		return EXIT_USAGE;
	}
	return cmd_usage_error(c, "unknown option %.40s", name);
}

/* A word that is not an option: a mistyped command, or an argument no command takes. */
static int refuse_word(const cmd_entry *c, bool named, const char *word)
{
	const char *names[16];
	size_t n = 0;
	for (; cmd_table[n] && n < 15; n++)
		names[n] = cmd_table[n]->name;
	names[n] = NULL;
	const char *near = named ? NULL : common_nearest(word, names);
	if (near) {
		fprintf(stderr, "hsrunbook: unknown command \"%.40s\": did you mean %s?\n", word,
			near);
		return EXIT_USAGE;
	}
	return cmd_usage_error(named ? c : NULL, "unknown command or argument \"%.40s\"", word);
}

/* Where the command word is in argv (0: none), skipping options and their values. */
static int command_word(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || !a[1])
			return cmd_find(a) ? i : 0;
		if (strncmp(a, "--", 2) != 0 || strchr(a, '='))
			continue;
		/* An option that takes a value takes the next word, whichever command has it. */
		for (size_t k = 0; cmd_table[k]; k++) {
			const cmd_option *o = option_of(cmd_table[k], a + 2);
			if (o && o->arg && i + 1 < argc &&
			    (o->arg[0] != '[' ||
			     (argv[i + 1][0] != '-' && !cmd_find(argv[i + 1])))) {
				i++;
				break;
			}
		}
	}
	return 0;
}

/* The option text as typed for the option getopt_long just returned. */
static const char *typed_option(char **argv, const char *value)
{
	const char *last = argv[optind - 1];
	if (value && !(value > last && value <= last + strlen(last)))
		return argv[optind - 2]; /* "--name VALUE" */
	return last;			 /* "--name" or "--name=VALUE" */
}

/* Act on one option getopt_long returned: record it, or return an exit code (help, errors). */
static int take_option(const cmd_entry *c, bool named, const cmd_option *o, bool is_long, int argc,
		       char **argv, cmd_args *a)
{
	const char *value = optarg;
	if (is_long) {
		const char *typed = typed_option(argv, value);
		size_t len = strcspn(typed + 2, "=");
		if (strlen(o->name) != len || strncmp(typed + 2, o->name, len) != 0)
			return refuse_option(c, typed); /* an abbreviation: not taken */
		if (o->arg && o->arg[0] != '[' && typed != argv[optind - 1] &&
		    strncmp(value, "--", 2) == 0)
			return cmd_usage_error(c, "%s needs a value", typed);
	}
	if (strcmp(o->name, "help") == 0) {
		if (named)
			cmd_print_help(stdout, c);
		else
			cmd_print_overview(stdout);
		return EXIT_OK;
	}
	if (strcmp(o->name, "version") == 0) {
		printf("hsrunbook %s\n", HSR_VERSION);
		return EXIT_OK;
	}
	/* An optional word: the next one, when it is not an option. */
	if (o->arg && o->arg[0] == '[' && !value && optind < argc && argv[optind][0] != '-')
		value = argv[optind++];
	if (a->n == CMD_MAX_GIVEN)
		return cmd_usage_error(c, "--%s: too many options", o->name);
	a->given[a->n].opt = o;
	a->given[a->n++].value = value;
	return -1;
}

/* Parse argv (without the command word) for c into a: -1 to run, else the exit code. */
static int parse(const cmd_entry *c, bool named, int argc, char **argv, cmd_args *a)
{
	const cmd_option *all[MAX_OPTIONS];
	struct option lo[MAX_OPTIONS + 1];
	int n = options_of(c, all);
	for (int i = 0; i < n; i++) {
		int has = !all[i]->arg		  ? no_argument
			  : all[i]->arg[0] == '[' ? optional_argument
						  : required_argument;
		lo[i] = (struct option){all[i]->name, has, NULL, 256 + i};
	}
	lo[n] = (struct option){NULL, 0, NULL, 0};
	/* Short options from the table ("-o FILE" takes a value); "+": stop at a word. */
	char shorts[2 * MAX_OPTIONS + 3] = "+:";
	for (int i = 0, k = 2; i < n; i++)
		if (all[i]->short_name) {
			shorts[k++] = all[i]->short_name;
			if (all[i]->arg)
				shorts[k++] = ':';
			shorts[k] = '\0';
		}
	opterr = 0;
	optind = 0;
	int ch, rc;
again:
	while ((ch = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		int k = ch >= 256 ? ch - 256 : -1;
		for (int i = 0; i < n && ch < 256; i++)
			if (ch != '?' && ch != ':' && all[i]->short_name == ch)
				k = i;
		if (k >= 0) {
			if ((rc = take_option(c, named, all[k], ch >= 256, argc, argv, a)) >= 0)
				return rc;
		} else if (ch == ':') {
			return cmd_usage_error(c, "%s needs a value", argv[optind - 1]);
		} else if (optopt >= 256) {
			return cmd_usage_error(c, "--%s takes no value", all[optopt - 256]->name);
		} else if (optopt) {
			char s[3] = {'-', (char)optopt, 0};
			return refuse_option(c, s);
		} else {
			return refuse_option(c, argv[optind - 1]);
		}
	}
	/* The command's one word, once; the options may go on after it. */
	if (optind < argc && c->word && !a->word && argv[optind][0] != '-') {
		a->word = argv[optind++];
		goto again;
	}
	if (optind < argc)
		return refuse_word(c, named, argv[optind]);
	return -1;
}

/* Parse the command line, print help or an error, or run the command. */
int cmd_main(int argc, char **argv)
{
	int at = command_word(argc, argv);
	const cmd_entry *c = at ? cmd_find(argv[at]) : cmd_table[0];
	if (at) {
		memmove(&argv[at], &argv[at + 1], (size_t)(argc - at) * sizeof *argv);
		argc--;
	}
	cmd_args a = {.cmd = c};
	int rc = parse(c, at != 0, argc, argv, &a);
	return rc >= 0 ? rc : c->run(&a);
}

/* Print text from column col (padded to indent, or one space past it), wrapped before column 80
 * onto lines indented by indent. */
static void print_wrapped(FILE *f, int col, int indent, const char *text)
{
	if (col < indent || col > 0)
		col += fprintf(f, "%*s", col < indent ? indent - col : 1, "");
	for (bool fresh = true; *text; fresh = false) {
		int len = (int)strcspn(text, " ");
		if (!fresh && col + 1 + len > 79) {
			col = fprintf(f, "\n%*s", indent, "") - 1;
		} else if (!fresh) {
			col += fprintf(f, " ");
		}
		col += fprintf(f, "%.*s", len, text);
		text += len + strspn(text + len, " ");
	}
	fputc('\n', f);
}

/* Print words as a comma-separated list after title, wrapped before column 80. */
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

/* One option's help line: "  --status-url URL   what it does". */
static void print_option(FILE *f, const cmd_option *o)
{
	int col = o->short_name ? fprintf(f, "  -%c, --%s", o->short_name, o->name)
				: fprintf(f, "  --%s", o->name);
	if (o->arg)
		col += fprintf(f, " %s", o->arg);
	print_wrapped(f, col, 22, o->help);
}

/* Print one group of options. */
static void print_group(FILE *f, const cmd_option *group)
{
	for (const cmd_option *o = group; o->name; o++)
		print_option(f, o);
}

/* Print a command's --help: its usage line, summary and options. */
void cmd_print_help(FILE *f, const cmd_entry *c)
{
	fprintf(f, "usage: hsrunbook %s%s%s %s\n\n", c == cmd_table[0] ? "[" : "", c->name,
		c == cmd_table[0] ? "]" : "", c->args);
	print_wrapped(f, 0, 0, c->summary);
	fputs("\nOptions:\n", f);
	for (size_t g = 0; c->options && c->options[g]; g++)
		print_group(f, c->options[g]);
	print_group(f, cmd_common_options);
	if (c->help_more)
		c->help_more(f);
	fputs("\nAll commands: hsrunbook --help. The manual: man hsrunbook.\n", f);
}

/* The exit codes: triage's from the contract leaves, then the others. */
void cmd_print_exit_codes(FILE *f)
{
	char words[32][48];
	const char *list[33];
	size_t n = 0;
	for (; runbook_leaf_ids[n] && n < 32; n++) {
		snprintf(words[n], sizeof words[n], "%d %s", runbook_exit_code(runbook_leaf_ids[n]),
			 runbook_leaf_ids[n]);
		list[n] = words[n];
	}
	list[n] = NULL;
	print_list(f, "\nExit codes of triage:", list);
	fprintf(f,
		"Every command: %d usage error, %d internal error. The dashboard ends with %d on\n"
		"Ctrl-C, %d on SIGTERM, %d on SIGHUP; simulate ends with %d on any of them.\n",
		EXIT_USAGE, EXIT_INTERNAL, EXIT_SIGINT, EXIT_SIGTERM, EXIT_SIGHUP, EXIT_OK);
}

/* The simulator's scenarios, for --demo and --scenario. */
void cmd_print_scenarios(FILE *f)
{
	print_list(f, "\nScenarios of --demo and --scenario:", sim_scenarios);
}

/* Whether c takes the options of group. */
static bool takes_group(const cmd_entry *c, const cmd_option *group)
{
	for (size_t g = 0; c->options && c->options[g]; g++)
		if (c->options[g] == group)
			return true;
	return false;
}

/* Print one group of options under the commands that take it, unless an earlier one did. */
static void print_group_once(FILE *f, size_t i, const cmd_option *group)
{
	for (size_t j = 0; j < i; j++)
		if (takes_group(cmd_table[j], group))
			return;
	char who[160];
	owners_of(NULL, group, who, sizeof who);
	fprintf(f, "\nOptions of %s:\n", who);
	print_group(f, group);
}

/* Print `hsrunbook --help`: every command and its options, exit codes, scenarios, settings. */
void cmd_print_overview(FILE *f)
{
	fputs("usage: hsrunbook [COMMAND] [OPTIONS]\n"
	      "       hsrunbook COMMAND --help    that command's options\n\nCommands:\n",
	      f);
	for (size_t i = 0; cmd_table[i]; i++)
		print_wrapped(f, fprintf(f, "  %s", cmd_table[i]->name), 22, cmd_table[i]->summary);
	for (size_t i = 0; cmd_table[i]; i++)
		for (size_t g = 0; cmd_table[i]->options && cmd_table[i]->options[g]; g++)
			print_group_once(f, i, cmd_table[i]->options[g]);
	fputs("\nOptions of every command:\n", f);
	print_group(f, cmd_common_options);
	cmd_print_exit_codes(f);
	cmd_print_scenarios(f);
	const char *keys[64];
	config_key_names(keys, 64);
	print_list(f, "Settings (config file, or --set KEY=VALUE):", keys);
}

/* Apply the settings options in the order given, after the config file. */
static int apply_options(config *cfg, const cmd_args *a, char *err, size_t errsz)
{
	for (int i = 0; i < a->n; i++) {
		const cmd_option *o = a->given[i].opt;
		const char *v = a->given[i].value, *key = o->key;
		char set_key[64];
		if (strcmp(o->name, "set") == 0) {
			const char *eq = strchr(v, '=');
			if (!eq || eq == v)
				return cmd_usage_error(a->cmd, "--set takes KEY=VALUE, not \"%s\"",
						       v);
			snprintf(set_key, sizeof set_key, "%.*s", (int)(eq - v), v);
			key = set_key;
			v = eq + 1;
		}
		if (key && config_set(cfg, key, v, err, errsz) != 0) {
			fprintf(stderr, "hsrunbook: --%s: %s\n", o->name, err);
			return EXIT_USAGE;
		}
	}
	return 0;
}

/* The settings in order: defaults, config file, options; then checks, token and NO_COLOR. */
static int settle(config *cfg, const cmd_args *a)
{
	char err[512], path[600];
	config_defaults(cfg);
	const char *given = cmd_value(a, "config");
	if (given)
		snprintf(path, sizeof path, "%s", given);
	else
		config_default_path(path, sizeof path);
	common_strlcpy(cfg->config_file, path, sizeof cfg->config_file);
	if (config_load_file(cfg, path, given == NULL, err, sizeof err) != 0) {
		fprintf(stderr, "hsrunbook: %s\n", err);
		return EXIT_USAGE;
	}
	int rc = apply_options(cfg, a, err, sizeof err);
	if (rc)
		return rc;
	if (config_check(cfg, err, sizeof err) != 0 ||
	    config_load_token(cfg, cmd_value(a, "token-file"), err, sizeof err) != 0) {
		fprintf(stderr, "hsrunbook: %s\n", err);
		return EXIT_USAGE;
	}
	if (cmd_given(a, "no-color") || (getenv("NO_COLOR") && *getenv("NO_COLOR")))
		cfg->no_color = true;
	return 0;
}

/* Settings, token, runbook, log and HTTP for the dashboard and triage. */
int cmd_env_open(cmd_env *e, const cmd_args *a, const char *what)
{
	char err[512];
	e->rb = NULL;
	int rc = settle(&e->cfg, a);
	if (rc) {
		explicit_bzero(e->cfg.token, sizeof e->cfg.token);
		return rc;
	}
	e->rb = e->cfg.runbook_path[0] ? runbook_load_file(e->cfg.runbook_path, err, sizeof err)
				       : runbook_load_default(err, sizeof err);
	if (!e->rb) {
		fprintf(stderr, "hsrunbook: runbook refused: %s\n", err);
		rc = e->cfg.runbook_path[0] ? EXIT_USAGE : EXIT_INTERNAL;
	} else if (e->cfg.log_path[0] && log_open(e->cfg.log_path, err, sizeof err) != 0) {
		fprintf(stderr, "hsrunbook: %s\n", err);
		runbook_free(e->rb);
		rc = EXIT_USAGE;
	}
	if (rc) {
		explicit_bzero(e->cfg.token, sizeof e->cfg.token);
		return rc;
	}
	log_msg("hsrunbook %s %s; runbook %s", HSR_VERSION, what, e->rb->name);
	signal(SIGPIPE, SIG_IGN);
	http_global_init();
	return 0;
}

/* The token wiped, the runbook freed, HTTP stopped, the exit code logged; returns rc. */
int cmd_env_close(cmd_env *e, int rc)
{
	explicit_bzero(e->cfg.token, sizeof e->cfg.token);
	runbook_free(e->rb);
	e->rb = NULL;
	http_global_cleanup();
	log_msg("exit %d", rc);
	log_close();
	return rc;
}
