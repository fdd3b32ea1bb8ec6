/*
 * Team commands: one configured shell line run in the background, in its own process group, with
 * a time-out, its output captured, and never the token in its environment. Everything happens on
 * the caller's thread: no threads, no signal handlers. The UI polls teamcmd_fd() for input and
 * calls teamcmd_pump() when it is readable and at least every TEAMCMD_PUMP_MS while running.
 */
#ifndef HSR_TEAMCMD_H
#define HSR_TEAMCMD_H

#include "hsr/config.h"

#include <stdint.h>

#define TEAMCMD_OUTPUT_MAX (64 * 1024) /* bytes of output kept; the rest is counted */
#define TEAMCMD_GRACE_MS   2000	       /* from SIGTERM to SIGKILL */
#define TEAMCMD_PUMP_MS	   100	       /* the longest the UI should leave between two pumps */

typedef enum {
	TEAMCMD_RUNNING,   /* the shell has not ended yet */
	TEAMCMD_EXITED,	   /* it ended by itself: exit_code */
	TEAMCMD_SIGNALLED, /* a signal ended it (not ours): signal */
	TEAMCMD_TIMED_OUT, /* command_timeout passed: we ended the group (signal says how) */
	TEAMCMD_CANCELLED, /* the operator (or quitting) ended it: signal says how */
} teamcmd_state;

/* What the command's environment gets added; NULL or "" leaves a variable out. */
typedef struct {
	const char *leaf;	    /* HSR_LEAF */
	const char *correlation_id; /* HSR_CORRELATION_ID */
	const char *incident_dir;   /* HSR_INCIDENT_DIR */
} teamcmd_env;

/* Where a command stands. */
typedef struct {
	teamcmd_state state;
	int exit_code;	     /* TEAMCMD_EXITED */
	int signal;	     /* the signal that ended the shell, 0 none */
	int64_t duration_ms; /* from start to the shell's end, or to now while running */
	size_t kept;	     /* output bytes kept (at most TEAMCMD_OUTPUT_MAX) */
	size_t dropped;	     /* output bytes read beyond that and thrown away */
	bool output_open;    /* the output pipe may still bring bytes (teamcmd_fd() >= 0) */
} teamcmd_status;

typedef struct teamcmd teamcmd;

/*
 * Start `/bin/sh -c line` in its own process group, stdin /dev/null, stdout and stderr into one
 * non-blocking pipe. The environment is ours without HUBSPOT_ACCESS_TOKEN, without any variable
 * whose value holds token (when token is not empty), plus env's HSR_* variables. timeout_ms > 0.
 * now_ms is the monotonic clock (common_mono_ms()). Returns the handle, or NULL with a one-line
 * reason in err.
 */
teamcmd *teamcmd_start(const char *line, const teamcmd_env *env, const char *token,
		       int64_t timeout_ms, int64_t now_ms, char *err, size_t errsz);
/*
 * The shell line of team command name, or NULL with a one-line message in err naming the config
 * key to set and the config file (config_path, or "~/.config/hsrunbook/config" when NULL).
 */
const char *teamcmd_lookup(const config *c, const char *name, const char *config_path, char *err,
			   size_t errsz);
/* The shell's pid, which is also its process group's id. */
int teamcmd_pid(const teamcmd *h);
/* The descriptor to poll() for POLLIN, or -1 once the output has ended (then pump on a timer). */
int teamcmd_fd(const teamcmd *h);
/*
 * Never blocks: read what output is waiting, reap the shell, enforce the time-out (SIGTERM to the
 * group, SIGKILL after TEAMCMD_GRACE_MS). Returns the state after that.
 */
teamcmd_state teamcmd_pump(teamcmd *h, int64_t now_ms);
/* Whether the command still needs pumping: the shell runs, output may come, or the group lives. */
bool teamcmd_active(const teamcmd *h);
/* Where the command stands, as of the last pump (duration counts to now_ms while running). */
teamcmd_status teamcmd_get_status(const teamcmd *h, int64_t now_ms);
/* Ask the command to end (SIGTERM to its group now, SIGKILL after the grace, through pump). */
void teamcmd_cancel(teamcmd *h, int64_t now_ms);
/* The output kept, raw (may hold anything; not terminated). Sanitize before showing it. */
const char *teamcmd_raw(const teamcmd *h, size_t *len);
/* How many lines the kept output has (a last line without a newline counts). */
size_t teamcmd_line_count(const teamcmd *h);
/*
 * Line i (from 0) of the kept output, sanitized for the screen (no escapes or controls, valid
 * UTF-8, cut with "…" to fit dst). Returns false when there is no line i (dst is then "").
 */
bool teamcmd_line(const teamcmd *h, size_t i, char *dst, size_t dstsz);
/* One line for the status: "exited 0 after 1.2 s", "timed out after 60 s (killed)", ... */
void teamcmd_describe(const teamcmd *h, int64_t now_ms, char *dst, size_t dstsz);
/*
 * End and forget the command: a group still alive gets SIGTERM, then SIGKILL when it has not
 * gone within TEAMCMD_GRACE_MS (this is the only call that may wait, at most that long). NULL
 * is fine.
 */
void teamcmd_free(teamcmd *h);

#endif
