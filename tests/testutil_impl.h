/* Implementation of testutil.h, included once by each integration test program. */
#include "testutil.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Milliseconds on the monotonic clock. */
static long tu_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Append what is readable on fd to *buf. */
static int tu_slurp(int fd, char **buf, size_t *len)
{
	char tmp[4096];
	ssize_t n = read(fd, tmp, sizeof tmp);
	if (n <= 0)
		return n == 0 || errno != EINTR ? -1 : 0;
	*buf = realloc(*buf, *len + (size_t)n + 1);
	memcpy(*buf + *len, tmp, (size_t)n);
	*len += (size_t)n;
	(*buf)[*len] = '\0';
	return 0;
}

run_result testutil_run(const char *const *argv, const char *const *env, long timeout_ms)
{
	run_result r = {.exit_code = -1};
	const char *bin = getenv("HSR_BIN");
	if (!bin)
		bin = "build/hsrunbook";
	int po[2], pe[2];
	if (pipe(po) || pipe(pe))
		abort();
	long start = tu_now_ms();
	pid_t pid = fork();
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		int devnull = open("/dev/null", O_RDONLY);
		dup2(devnull, 0);
		for (int i = 0; env && env[i]; i++) {
			const char *eq = strchr(env[i], '=');
			char key[128];
			snprintf(key, sizeof key, "%.*s", (int)(eq - env[i]), env[i]);
			if (eq[1])
				setenv(key, eq + 1, 1);
			else
				unsetenv(key);
		}
		const char *args[64];
		int n = 0;
		args[n++] = bin;
		for (int i = 0; argv[i] && n < 63; i++)
			args[n++] = argv[i];
		args[n] = NULL;
		execv(bin, (char *const *)args);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	size_t lo = 0, le = 0;
	r.out = calloc(1, 1);
	r.err = calloc(1, 1);
	bool oo = true, eo = true;
	while (oo || eo) {
		long left = timeout_ms - (tu_now_ms() - start);
		if (left <= 0) {
			kill(pid, SIGKILL);
			break;
		}
		struct pollfd p[2] = {{.fd = oo ? po[0] : -1, .events = POLLIN},
				      {.fd = eo ? pe[0] : -1, .events = POLLIN}};
		if (poll(p, 2, (int)left) <= 0)
			continue;
		if (p[0].revents && tu_slurp(po[0], &r.out, &lo) < 0)
			oo = false;
		if (p[1].revents && tu_slurp(pe[0], &r.err, &le) < 0)
			eo = false;
	}
	close(po[0]);
	close(pe[0]);
	int st;
	waitpid(pid, &st, 0);
	r.elapsed_ms = tu_now_ms() - start;
	if (WIFEXITED(st))
		r.exit_code = WEXITSTATUS(st);
	return r;
}

void testutil_free(run_result *r)
{
	free(r->out);
	free(r->err);
}
