/*
 * The commands: one table of entries (name, options for getopt_long, one-line help, run
 * function), one file per command (src/cmd_NAME.c). The parser, `hsrunbook CMD --help` and the
 * man page's test all read this table.
 */
#ifndef HSR_CMD_H
#define HSR_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "hsr/config.h"
#include "hsr/incident.h"
#include "hsr/runbook.h"

/* One option: what getopt_long is told and what --help and the man page say. */
typedef struct {
	const char *name; /* the long name without "--": "status-url" */
	char short_name;  /* 'h', or 0 for none */
	const char *arg;  /* "URL" takes a value; "[SCENARIO]" an optional word; NULL a flag */
	const char *help; /* one line: what it does */
	const char *key;  /* the config setting it is a shorthand for, or NULL */
} cmd_option;

#define CMD_MAX_GIVEN 64

struct cmd_entry;

/* A parsed command line: the command and every option given, in order. */
typedef struct {
	const struct cmd_entry *cmd;
	int n;
	struct {
		const cmd_option *opt;
		const char *value; /* NULL for a flag or an optional word not given */
	} given[CMD_MAX_GIVEN];
	const char *word; /* the command's one word (cmd_entry.word) when given, else NULL */
} cmd_args;

/* A command: one file each; adding one is its file and one line of CMD_TABLE in src/cmd.c. */
typedef struct cmd_entry {
	const char *name;		  /* as typed: "triage" */
	const char *args;		  /* what follows the name in the usage line */
	const char *summary;		  /* one line for the command list */
	const cmd_option *const *options; /* NULL-terminated groups, each ended by a NULL name */
	int (*run)(const cmd_args *a);	  /* returns the exit code */
	void (*help_more)(FILE *f);	  /* what its --help adds after the options, or NULL */
	const char *word; /* one optional word it takes among its options ("ID"), or NULL */
} cmd_entry;

/* Every command, in help order, NULL-terminated; the first runs when no command is named. */
extern const cmd_entry *const cmd_table[];
/* The settings options that the dashboard and triage share (--status-url, --config, ...). */
extern const cmd_option cmd_settings_options[];
/* --json, for the commands that print JSON for scripts (triage, incidents). */
extern const cmd_option cmd_json_options[];
/* The options every command takes: -h/--help and -V/--version. */
extern const cmd_option cmd_common_options[];

/* Parse the command line, print help or an error, or run the command; returns the exit code. */
int cmd_main(int argc, char **argv);
/* The command called name, or NULL. */
const cmd_entry *cmd_find(const char *name);
/* Whether the option called name (no "--") was given. */
bool cmd_given(const cmd_args *a, const char *name);
/* The last value given to the option called name, or NULL. */
const char *cmd_value(const cmd_args *a, const char *name);
/* A usage error: "hsrunbook: MESSAGE (see hsrunbook [CMD] --help)" on stderr; returns 2. */
__attribute__((format(printf, 2, 3))) int cmd_usage_error(const cmd_entry *c, const char *fmt, ...);
/* An unknown scenario after opt: names the nearest and every scenario; returns 2. */
int cmd_unknown_scenario(const char *opt, const char *name);
/* Print a command's --help: its usage line, summary and options. */
void cmd_print_help(FILE *f, const cmd_entry *c);
/* Print the exit codes (triage's leaves, usage, internal, signals). */
void cmd_print_exit_codes(FILE *f);
/* Print the simulator's scenarios. */
void cmd_print_scenarios(FILE *f);
/* Print `hsrunbook --help`: every command and its options, scenarios, settings, exit codes. */
void cmd_print_overview(FILE *f);

/* What the dashboard and triage share: the settings, the token and the runbook. */
typedef struct {
	config cfg;
	runbook *rb;
} cmd_env;

/*
 * Settle the settings (config file, then the options in order), the token and NO_COLOR, load
 * the runbook, open the log and start HTTP. what names the run in the log. Returns 0, or the
 * exit code with one line printed (nothing to close then).
 */
int cmd_env_open(cmd_env *e, const cmd_args *a, const char *what);
/* Undo cmd_env_open: the token wiped, the runbook freed, HTTP stopped, rc logged and the log
 * closed. Returns rc. */
int cmd_env_close(cmd_env *e, int rc);

/*
 * The incidents of cfg's state dir, oldest first, its path into dir (cmd_incidents.c); -1 with
 * one line on stderr when it cannot be read. Free with incident_feed_list_free.
 */
int cmd_incidents_read(const config *cfg, char *dir, size_t dirsz, incident **list);

/* Triage: probe everything once and print the report (JSON when json) to out; the leaf's exit
 * code. */
int cmd_triage_report(const config *cfg, const runbook *rb, bool json, FILE *out);

#endif
