/* Team commands: a configured shell line run in the background, on the caller's thread. */
#include "hsr/teamcmd.h"

#include "hsr/format.h"
#include "hsr/sanitize.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define TOKEN_ENV "HUBSPOT_ACCESS_TOKEN"
/* A token at least this long is also looked for inside values ("Bearer TOKEN"). */
#define TOKEN_SUBSTRING_MIN 8
/* Bytes one pump reads at most, so a flood of output cannot hold the UI. */
#define PUMP_READ_MAX (256 * 1024)

struct teamcmd {
	pid_t pid; /* the shell, leader of its own process group (pgid == pid) */
	int fd;	   /* the read end of its output, -1 once ended */
	bool reaped;
	int wstatus;
	bool timed_out, cancelled, term_sent, kill_sent;
	int64_t start_ms, end_ms, deadline_ms, kill_at_ms;
	char *out; /* TEAMCMD_OUTPUT_MAX bytes, raw */
	size_t kept, dropped;
};

/* Whether the environment entry "NAME=VALUE" e must not reach the command. */
static bool env_withheld(const char *e, const char *token)
{
	static const char *const names[] = {TOKEN_ENV, "HSR_LEAF", "HSR_CORRELATION_ID",
					    "HSR_INCIDENT_DIR", NULL};
	const char *eq = strchr(e, '=');
	size_t nl = eq ? (size_t)(eq - e) : strlen(e);
	for (size_t i = 0; names[i]; i++)
		if (strlen(names[i]) == nl && strncmp(e, names[i], nl) == 0)
			return true;
	if (!token || !*token || !eq)
		return false;
	const char *v = eq + 1;
	return strlen(token) >= TOKEN_SUBSTRING_MIN ? strstr(v, token) != NULL
						    : strcmp(v, token) == 0;
}

/* Add "NAME=value" to envp at *n (malloc'd) when value is set; false when out of memory. */
static bool env_add(char **envp, size_t *n, char **owned, size_t *nowned, const char *name,
		    const char *value)
{
	if (!value || !*value)
		return true;
	size_t len = strlen(name) + strlen(value) + 2;
	char *s = malloc(len);
	if (!s)
		return false;
	snprintf(s, len, "%s=%s", name, value);
	envp[(*n)++] = s;
	owned[(*nowned)++] = s;
	return true;
}

/* Spawn the shell with the prepared pipe and environment; 0 or an errno. */
static int spawn_shell(pid_t *pid, const char *line, int wfd, char **envp)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int rc = posix_spawn_file_actions_init(&fa);
	if (rc)
		return rc;
	if ((rc = posix_spawnattr_init(&at)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return rc;
	}
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	sigdelset(&all, SIGKILL);
	sigdelset(&all, SIGSTOP);
	if (!(rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0)) &&
	    !(rc = posix_spawn_file_actions_adddup2(&fa, wfd, 1)) &&
	    !(rc = posix_spawn_file_actions_adddup2(&fa, wfd, 2)) &&
	    !(rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3)) &&
	    !(rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
						     POSIX_SPAWN_SETSIGDEF)) &&
	    !(rc = posix_spawnattr_setpgroup(&at, 0)) &&
	    !(rc = posix_spawnattr_setsigmask(&at, &none)) &&
	    !(rc = posix_spawnattr_setsigdefault(&at, &all))) {
		char *argv[] = {"sh", "-c", (char *)line, NULL};
		rc = posix_spawn(pid, "/bin/sh", &fa, &at, argv, envp);
	}
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

/* Start `/bin/sh -c line` in its own process group, output into a non-blocking pipe. */
teamcmd *teamcmd_start(const char *line, const teamcmd_env *env, const char *token,
		       int64_t timeout_ms, int64_t now_ms, char *err, size_t errsz)
{
	if (!line || !*line) {
		snprintf(err, errsz, "the command line is empty: set it in the config file");
		return NULL;
	}
	teamcmd *h = calloc(1, sizeof *h);
	size_t count = 0;
	while (environ && environ[count])
		count++;
	char **envp = calloc(count + 4, sizeof *envp);
	char *owned[3];
	size_t n = 0, nowned = 0;
	int p[2] = {-1, -1};
	if (!h || !envp || !(h->out = malloc(TEAMCMD_OUTPUT_MAX))) {
		snprintf(err, errsz, "cannot start the command: out of memory");
		goto fail;
	}
	for (size_t i = 0; i < count; i++)
		if (!env_withheld(environ[i], token))
			envp[n++] = environ[i];
	if (!env_add(envp, &n, owned, &nowned, "HSR_LEAF", env ? env->leaf : NULL) ||
	    !env_add(envp, &n, owned, &nowned, "HSR_CORRELATION_ID",
		     env ? env->correlation_id : NULL) ||
	    !env_add(envp, &n, owned, &nowned, "HSR_INCIDENT_DIR",
		     env ? env->incident_dir : NULL)) {
		snprintf(err, errsz, "cannot start the command: out of memory");
		goto fail;
	}
	envp[n] = NULL;
	if (pipe2(p, O_CLOEXEC) != 0 || fcntl(p[0], F_SETFL, O_NONBLOCK) != 0) {
		snprintf(err, errsz, "cannot start the command: no pipe for its output: %s",
			 strerror(errno));
		goto fail;
	}
	int rc = spawn_shell(&h->pid, line, p[1], envp);
	if (rc != 0) {
		snprintf(err, errsz, "cannot start /bin/sh for the command: %s", strerror(rc));
		goto fail;
	}
	close(p[1]);
	for (size_t i = 0; i < nowned; i++)
		free(owned[i]);
	free(envp);
	h->fd = p[0];
	h->start_ms = now_ms;
	h->deadline_ms = now_ms + (timeout_ms > 0 ? timeout_ms : 1);
	return h;
fail:
	for (int i = 0; i < 2; i++)
		if (p[i] >= 0)
			close(p[i]);
	for (size_t i = 0; i < nowned; i++)
		free(owned[i]);
	free(envp);
	if (h)
		free(h->out);
	free(h);
	return NULL;
}

/* The shell line of team command name, or NULL with a message naming the key to set. */
const char *teamcmd_lookup(const config *c, const char *name, const char *config_path, char *err,
			   size_t errsz)
{
	const char *where =
	    config_path && *config_path ? config_path : "~/.config/hsrunbook/config";
	if (!name || !config_command_name_ok(name)) {
		char shown[64];
		sanitize_str(shown, sizeof shown, name);
		snprintf(err, errsz,
			 "the runbook names a command \"%s\" that no config key can hold: use "
			 "letters, digits, '-', '_' or '.' in the runbook",
			 shown);
		return NULL;
	}
	const char *line = config_command(c, name);
	if (!line)
		snprintf(err, errsz, "command.%s is not configured: add `command.%s = ...` to %s",
			 name, name, where);
	return line;
}

/* The shell's pid and process group id. */
int teamcmd_pid(const teamcmd *h)
{
	return (int)h->pid;
}

/* The descriptor to poll, or -1. */
int teamcmd_fd(const teamcmd *h)
{
	return h->fd;
}

/* Read what is waiting, keeping the first TEAMCMD_OUTPUT_MAX bytes. */
static void read_output(teamcmd *h)
{
	size_t budget = PUMP_READ_MAX;
	char scratch[16384];
	while (h->fd >= 0 && budget > 0) {
		char *dst = h->kept < TEAMCMD_OUTPUT_MAX ? h->out + h->kept : scratch;
		size_t room =
		    h->kept < TEAMCMD_OUTPUT_MAX ? TEAMCMD_OUTPUT_MAX - h->kept : sizeof scratch;
		ssize_t r = read(h->fd, dst, room < budget ? room : budget);
		if (r > 0) {
			if (dst == scratch)
				h->dropped += (size_t)r;
			else
				h->kept += (size_t)r;
			budget -= (size_t)r;
		} else if (r < 0 && errno == EINTR) {
			continue;
		} else if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			break;
		} else { /* the end, or an error that will not pass */
			close(h->fd);
			h->fd = -1;
		}
	}
}

/* Reap whatever of the group has ended (our children only: normally the shell). */
static void reap(teamcmd *h, int64_t now_ms)
{
	for (;;) {
		int st;
		pid_t r = waitpid(-h->pid, &st, WNOHANG);
		if (r <= 0)
			break;
		if (r == h->pid && !h->reaped) {
			h->reaped = true;
			h->wstatus = st;
			h->end_ms = now_ms;
		}
	}
	if (!h->reaped) { /* the group call misses the shell only if it left its group */
		int st;
		if (waitpid(h->pid, &st, WNOHANG) == h->pid) {
			h->reaped = true;
			h->wstatus = st;
			h->end_ms = now_ms;
		}
	}
}

/* Whether any process of the group is left (zombies count). */
static bool group_alive(const teamcmd *h)
{
	return kill(-h->pid, 0) == 0 || errno != ESRCH;
}

/* Signal the whole group: TERM now (KILL due after the grace), or KILL. */
static void signal_group(teamcmd *h, int sig, int64_t now_ms)
{
	if (sig == SIGTERM) {
		if (h->term_sent)
			return;
		h->term_sent = true;
		h->kill_at_ms = now_ms + TEAMCMD_GRACE_MS;
	} else {
		h->kill_sent = true;
	}
	kill(-h->pid, sig);
}

/* Read, reap and enforce the time-out; never blocks. */
teamcmd_state teamcmd_pump(teamcmd *h, int64_t now_ms)
{
	read_output(h);
	reap(h, now_ms);
	if (now_ms >= h->deadline_ms && !h->term_sent && (!h->reaped || group_alive(h))) {
		if (!h->reaped)
			h->timed_out = !h->cancelled;
		signal_group(h, SIGTERM, now_ms);
	}
	if (h->term_sent && !h->kill_sent && now_ms >= h->kill_at_ms && group_alive(h))
		signal_group(h, SIGKILL, now_ms);
	if (h->term_sent)
		reap(h, now_ms);
	return teamcmd_get_status(h, now_ms).state;
}

/* Whether the command still needs pumping. */
bool teamcmd_active(const teamcmd *h)
{
	return !h->reaped || h->fd >= 0 || (!h->kill_sent && group_alive(h));
}

/* Where the command stands. */
teamcmd_status teamcmd_get_status(const teamcmd *h, int64_t now_ms)
{
	teamcmd_status s = {0};
	s.kept = h->kept;
	s.dropped = h->dropped;
	s.output_open = h->fd >= 0;
	s.duration_ms = (h->reaped ? h->end_ms : now_ms) - h->start_ms;
	if (!h->reaped) {
		s.state = TEAMCMD_RUNNING;
		return s;
	}
	if (WIFSIGNALED(h->wstatus))
		s.signal = WTERMSIG(h->wstatus);
	else
		s.exit_code = WEXITSTATUS(h->wstatus);
	if (h->timed_out)
		s.state = TEAMCMD_TIMED_OUT;
	else if (h->cancelled)
		s.state = TEAMCMD_CANCELLED;
	else if (s.signal)
		s.state = TEAMCMD_SIGNALLED;
	else
		s.state = TEAMCMD_EXITED;
	return s;
}

/* Ask the command to end: TERM to the group now, KILL after the grace (through pump). */
void teamcmd_cancel(teamcmd *h, int64_t now_ms)
{
	reap(h, now_ms);
	if (!h->reaped && !h->timed_out)
		h->cancelled = true;
	if (!h->reaped || group_alive(h))
		signal_group(h, SIGTERM, now_ms);
}

/* The kept output, raw. */
const char *teamcmd_raw(const teamcmd *h, size_t *len)
{
	*len = h->kept;
	return h->out;
}

/* How many lines the kept output has. */
size_t teamcmd_line_count(const teamcmd *h)
{
	size_t n = 0;
	const char *p = h->out, *end = h->out + h->kept;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		n++;
		p = nl ? nl + 1 : end;
	}
	return n;
}

/* Line i of the kept output, sanitized. */
bool teamcmd_line(const teamcmd *h, size_t i, char *dst, size_t dstsz)
{
	const char *p = h->out, *end = h->out + h->kept;
	for (size_t n = 0; p < end; n++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if (n == i) {
			sanitize_text(dst, dstsz, p, (size_t)(le - p));
			return true;
		}
		p = nl ? nl + 1 : end;
	}
	if (dstsz)
		dst[0] = '\0';
	return false;
}

/* "1.2 s" under 10 s, else format_duration's "37 s", "4 min 05 s". */
static void duration_text(char *out, size_t outsz, int64_t ms)
{
	if (ms < 10000)
		snprintf(out, outsz, "%.1f s", (double)(ms < 0 ? 0 : ms) / 1000.0);
	else
		format_duration(out, outsz, (long)(ms / 1000));
}

/* One line for the status. */
void teamcmd_describe(const teamcmd *h, int64_t now_ms, char *dst, size_t dstsz)
{
	teamcmd_status s = teamcmd_get_status(h, now_ms);
	char d[32], sig[24] = "";
	duration_text(d, sizeof d, s.duration_ms);
	if (s.signal) {
		const char *abbrev = sigabbrev_np(s.signal);
		if (abbrev)
			snprintf(sig, sizeof sig, "SIG%s", abbrev);
		else
			snprintf(sig, sizeof sig, "signal %d", s.signal);
	}
	int w = 0;
	switch (s.state) {
	case TEAMCMD_RUNNING:
		w = snprintf(dst, dstsz, "running for %s%s", d,
			     h->cancelled   ? ", ending"
			     : h->timed_out ? ", timed out, ending"
					    : "");
		break;
	case TEAMCMD_EXITED:
		w = snprintf(dst, dstsz, "exited %d after %s", s.exit_code, d);
		break;
	case TEAMCMD_SIGNALLED:
		w = snprintf(dst, dstsz, "ended by %s after %s", sig, d);
		break;
	case TEAMCMD_TIMED_OUT:
		w = snprintf(dst, dstsz, "timed out after %s: ended by %s", d,
			     s.signal ? sig : "its own exit");
		break;
	case TEAMCMD_CANCELLED:
		w = snprintf(dst, dstsz, "cancelled after %s: ended by %s", d,
			     s.signal ? sig : "its own exit");
		break;
	}
	if (s.dropped && w >= 0 && (size_t)w < dstsz)
		snprintf(dst + w, dstsz - (size_t)w,
			 "; output cut at 64 KiB, %zu bytes more dropped", s.dropped);
}

/* Sleep for ms milliseconds. */
static void nap_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* End and forget the command. */
void teamcmd_free(teamcmd *h)
{
	if (!h)
		return;
	reap(h, common_mono_ms());
	if (!h->reaped || group_alive(h)) {
		int64_t start = common_mono_ms();
		if (!h->term_sent)
			signal_group(h, SIGTERM, start);
		/* Wait for the shell and its output to end; whatever is left then gets KILL. */
		while ((!h->reaped || h->fd >= 0) && common_mono_ms() - start < TEAMCMD_GRACE_MS) {
			read_output(h);
			reap(h, common_mono_ms());
			nap_ms(10);
		}
		kill(-h->pid, SIGKILL);
		if (!h->reaped)
			waitpid(h->pid, &h->wstatus, 0);
		reap(h, common_mono_ms());
	}
	if (h->fd >= 0)
		close(h->fd);
	free(h->out);
	free(h);
}
