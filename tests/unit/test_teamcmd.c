/*
 * Team commands against real processes: exit status and duration, output captured and capped,
 * the time-out and cancel ending the whole process group, an environment without the token, a
 * pump that never blocks, and the message for a command that is not configured.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hsr/common.h"
#include "hsr/teamcmd.h"

#define TOKEN "pat-na1-11111111-2222-3333-4444-555555555555"

/* Start line with a time-out; fails the test when it cannot start. */
static teamcmd *start(const char *line, int64_t timeout_ms)
{
	char err[256] = "";
	teamcmd_env env = {"token-revoked", "corr-abc-123", "/tmp/hsr-incident-7"};
	teamcmd *h =
	    teamcmd_start(line, &env, TOKEN, timeout_ms, common_mono_ms(), err, sizeof err);
	if (!h)
		fail_msg("teamcmd_start: %s", err);
	return h;
}

/* Poll the fd and pump, as the UI does, until the command no longer needs it or max_ms passed. */
static void run_until_done(teamcmd *h, int64_t max_ms)
{
	int64_t start = common_mono_ms();
	while (teamcmd_active(h) && common_mono_ms() - start < max_ms) {
		struct pollfd p = {teamcmd_fd(h), POLLIN, 0};
		poll(&p, teamcmd_fd(h) >= 0 ? 1 : 0, 20);
		teamcmd_pump(h, common_mono_ms());
	}
}

/* Whether no process of group pgid is left within max_ms (orphans come to us: reap them). */
static bool group_gone(int pgid, int64_t max_ms)
{
	int64_t start = common_mono_ms();
	for (;;) {
		while (waitpid(-pgid, NULL, WNOHANG) > 0)
			;
		if (kill(-pgid, 0) == -1 && errno == ESRCH)
			return true;
		if (common_mono_ms() - start > max_ms)
			return false;
		usleep(10000);
	}
}

/* The kept output as one string (the test's own copy). */
static char *output(const teamcmd *h)
{
	size_t len;
	const char *raw = teamcmd_raw(h, &len);
	char *s = malloc(len + 1);
	assert_non_null(s);
	memcpy(s, raw, len);
	s[len] = '\0';
	return s;
}

static void test_exit_status_and_duration(void **state)
{
	(void)state;
	teamcmd *h = start("sleep 0.3; exit 7", 10000);
	assert_int_equal(teamcmd_pump(h, common_mono_ms()), TEAMCMD_RUNNING);
	run_until_done(h, 5000);
	teamcmd_status s = teamcmd_get_status(h, common_mono_ms());
	assert_int_equal(s.state, TEAMCMD_EXITED);
	assert_int_equal(s.exit_code, 7);
	assert_int_equal(s.signal, 0);
	assert_true(s.duration_ms >= 290 && s.duration_ms < 3000);
	char d[160];
	teamcmd_describe(h, common_mono_ms(), d, sizeof d);
	assert_true(strncmp(d, "exited 7 after 0.", 17) == 0);
	teamcmd_free(h);

	h = start("true", 10000);
	run_until_done(h, 5000);
	s = teamcmd_get_status(h, common_mono_ms());
	assert_int_equal(s.state, TEAMCMD_EXITED);
	assert_int_equal(s.exit_code, 0);
	assert_int_equal(s.kept, 0);
	assert_int_equal(teamcmd_line_count(h), 0);
	teamcmd_free(h);

	/* A signal the command did not get from us. */
	h = start("kill -USR1 $$", 10000);
	run_until_done(h, 5000);
	s = teamcmd_get_status(h, common_mono_ms());
	assert_int_equal(s.state, TEAMCMD_SIGNALLED);
	assert_int_equal(s.signal, SIGUSR1);
	teamcmd_describe(h, common_mono_ms(), d, sizeof d);
	assert_true(strncmp(d, "ended by SIGUSR1 after", 22) == 0);
	teamcmd_free(h);
}

static void test_output_lines_sanitized(void **state)
{
	(void)state;
	teamcmd *h = start("echo hello; echo oops >&2; printf 'a\\033[31mred\\033[0m\\r\\n'; "
			   "printf 'no newline \\302'",
			   10000);
	run_until_done(h, 5000);
	char *out = output(h);
	assert_non_null(strstr(out, "hello\noops\n")); /* stderr into the same pipe, in order */
	assert_non_null(strstr(out, "\033[31m"));      /* raw is raw */
	free(out);
	assert_int_equal(teamcmd_line_count(h), 4);
	char line[64];
	assert_true(teamcmd_line(h, 0, line, sizeof line));
	assert_string_equal(line, "hello");
	assert_true(teamcmd_line(h, 1, line, sizeof line));
	assert_string_equal(line, "oops");
	assert_true(teamcmd_line(h, 2, line, sizeof line));
	assert_string_equal(line, "ared");
	assert_true(teamcmd_line(h, 3, line, sizeof line));
	assert_string_equal(line, "no newline ?");
	assert_false(teamcmd_line(h, 4, line, sizeof line));
	assert_string_equal(line, "");
	teamcmd_free(h);
}

static void test_output_capped(void **state)
{
	(void)state;
	teamcmd *h = start("head -c 1048576 /dev/zero | tr '\\000' x; echo done >&2", 20000);
	run_until_done(h, 15000);
	teamcmd_status s = teamcmd_get_status(h, common_mono_ms());
	assert_int_equal(s.state, TEAMCMD_EXITED);
	assert_int_equal(s.exit_code, 0);
	assert_int_equal(s.kept, TEAMCMD_OUTPUT_MAX);
	assert_int_equal(s.dropped, 1048576 + 5 - TEAMCMD_OUTPUT_MAX);
	assert_false(s.output_open);
	size_t len;
	const char *raw = teamcmd_raw(h, &len);
	assert_int_equal(len, TEAMCMD_OUTPUT_MAX);
	assert_int_equal(raw[0], 'x');
	assert_int_equal(raw[len - 1], 'x');
	char d[160];
	teamcmd_describe(h, common_mono_ms(), d, sizeof d);
	assert_non_null(strstr(d, "output cut at 64 KiB"));
	teamcmd_free(h);
}

static void test_timeout_ends_the_group(void **state)
{
	(void)state;
	teamcmd *h = start("sleep 30 & sleep 30 & echo started; wait", 500);
	int pgid = teamcmd_pid(h);
	run_until_done(h, 6000);
	teamcmd_status s = teamcmd_get_status(h, common_mono_ms());
	assert_int_equal(s.state, TEAMCMD_TIMED_OUT);
	assert_int_equal(s.signal, SIGTERM);
	assert_true(s.duration_ms >= 480 && s.duration_ms < 2500);
	char d[160];
	teamcmd_describe(h, common_mono_ms(), d, sizeof d);
	assert_non_null(strstr(d, "timed out after 0."));
	assert_non_null(strstr(d, "ended by SIGTERM"));
	assert_true(group_gone(pgid, 3000));
	teamcmd_free(h);

	/* A group that ignores SIGTERM gets SIGKILL after the grace. */
	h = start("trap '' TERM; sleep 30 & sleep 30; wait", 300);
	pgid = teamcmd_pid(h);
	run_until_done(h, 8000);
	s = teamcmd_get_status(h, common_mono_ms());
	assert_int_equal(s.state, TEAMCMD_TIMED_OUT);
	assert_int_equal(s.signal, SIGKILL);
	assert_true(s.duration_ms >= 300 + TEAMCMD_GRACE_MS - 20);
	assert_true(s.duration_ms < 300 + TEAMCMD_GRACE_MS + 1500);
	assert_true(group_gone(pgid, 3000));
	teamcmd_free(h);
}

static void test_cancel_ends_the_group(void **state)
{
	(void)state;
	teamcmd *h = start("sleep 30 & sleep 30 & wait", 60000);
	int pgid = teamcmd_pid(h);
	usleep(200000);
	assert_int_equal(teamcmd_pump(h, common_mono_ms()), TEAMCMD_RUNNING);
	assert_int_equal(kill(-pgid, 0), 0);
	teamcmd_cancel(h, common_mono_ms());
	run_until_done(h, 5000);
	teamcmd_status s = teamcmd_get_status(h, common_mono_ms());
	assert_int_equal(s.state, TEAMCMD_CANCELLED);
	assert_int_equal(s.signal, SIGTERM);
	assert_true(s.duration_ms < 2000);
	assert_true(group_gone(pgid, 3000));
	teamcmd_free(h);

	/* The shell is gone but a child still holds the output: free (quitting) ends it. */
	h = start("sleep 30 & echo left", 60000);
	pgid = teamcmd_pid(h);
	int64_t t0 = common_mono_ms();
	while (teamcmd_get_status(h, common_mono_ms()).state == TEAMCMD_RUNNING &&
	       common_mono_ms() - t0 < 5000) {
		teamcmd_pump(h, common_mono_ms());
		usleep(10000);
	}
	s = teamcmd_get_status(h, common_mono_ms());
	assert_int_equal(s.state, TEAMCMD_EXITED);
	assert_true(s.output_open);
	assert_true(teamcmd_active(h));
	t0 = common_mono_ms();
	teamcmd_free(h);
	assert_true(common_mono_ms() - t0 < TEAMCMD_GRACE_MS + 500);
	assert_true(group_gone(pgid, 3000));

	/* free on a running command ends its group too. */
	h = start("sleep 30 & sleep 30; wait", 60000);
	pgid = teamcmd_pid(h);
	usleep(100000);
	teamcmd_free(h);
	assert_true(group_gone(pgid, 3000));
	teamcmd_free(NULL);
}

static void test_environment_without_token(void **state)
{
	(void)state;
	setenv("HUBSPOT_ACCESS_TOKEN", TOKEN, 1);
	setenv("HSR_TEST_COPY", TOKEN, 1);
	setenv("HSR_TEST_HEADER", "Authorization: Bearer " TOKEN, 1);
	setenv("HSR_LEAF", "stale-leaf", 1);
	setenv("HSR_TEST_KEEP", "kept value", 1);
	teamcmd *h =
	    start("env; echo pgid=$(cut -d' ' -f5 /proc/$$/stat) pid=$$; cat; echo end", 10000);
	run_until_done(h, 5000);
	teamcmd_status s = teamcmd_get_status(h, common_mono_ms());
	assert_int_equal(s.state, TEAMCMD_EXITED); /* cat read /dev/null: no wait on our stdin */
	char *out = output(h);
	assert_null(strstr(out, "pat-na1-"));
	assert_null(strstr(out, "HUBSPOT_ACCESS_TOKEN"));
	assert_null(strstr(out, "HSR_TEST_COPY"));
	assert_null(strstr(out, "HSR_TEST_HEADER"));
	assert_null(strstr(out, "stale-leaf"));
	assert_non_null(strstr(out, "\nHSR_LEAF=token-revoked\n"));
	assert_non_null(strstr(out, "\nHSR_CORRELATION_ID=corr-abc-123\n"));
	assert_non_null(strstr(out, "\nHSR_INCIDENT_DIR=/tmp/hsr-incident-7\n"));
	assert_non_null(strstr(out, "\nHSR_TEST_KEEP=kept value\n"));
	/* Its own process group: the shell leads it. */
	char want[64];
	snprintf(want, sizeof want, "pgid=%d pid=%d\nend\n", teamcmd_pid(h), teamcmd_pid(h));
	assert_non_null(strstr(out, want));
	free(out);
	teamcmd_free(h);

	/* Left-out additions are left out, not empty. */
	char err[128];
	teamcmd_env none = {NULL, "", NULL};
	h = teamcmd_start("env", &none, "", 5000, common_mono_ms(), err, sizeof err);
	assert_non_null(h);
	run_until_done(h, 5000);
	out = output(h);
	assert_null(strstr(out, "HSR_LEAF"));
	assert_null(strstr(out, "HSR_CORRELATION_ID"));
	assert_null(strstr(out, "HUBSPOT_ACCESS_TOKEN")); /* by name, even with no token held */
	free(out);
	teamcmd_free(h);
	unsetenv("HUBSPOT_ACCESS_TOKEN");
	unsetenv("HSR_TEST_COPY");
	unsetenv("HSR_TEST_HEADER");
	unsetenv("HSR_LEAF");
	unsetenv("HSR_TEST_KEEP");
}

static void test_pump_never_blocks(void **state)
{
	(void)state;
	teamcmd *h = start("sleep 5", 60000);
	int64_t t0 = common_mono_ms(), worst = 0;
	for (int i = 0; i < 200; i++) {
		int64_t a = common_mono_ms();
		assert_int_equal(teamcmd_pump(h, a), TEAMCMD_RUNNING);
		int64_t took = common_mono_ms() - a;
		if (took > worst)
			worst = took;
	}
	assert_true(worst < 20);
	assert_true(common_mono_ms() - t0 < 500);
	assert_true(teamcmd_fd(h) >= 0);
	char d[64];
	teamcmd_describe(h, common_mono_ms(), d, sizeof d);
	assert_true(strncmp(d, "running for ", 12) == 0);
	teamcmd_cancel(h, common_mono_ms());
	teamcmd_free(h);
}

static void test_not_configured(void **state)
{
	(void)state;
	config c;
	char err[256];
	config_defaults(&c);
	assert_null(teamcmd_lookup(&c, "restart", NULL, err, sizeof err));
	assert_string_equal(err, "command.restart is not configured: add `command.restart = ...` "
				 "to ~/.config/hsrunbook/config");
	assert_null(teamcmd_lookup(&c, "fallback-on", "/etc/hsr.conf", err, sizeof err));
	assert_string_equal(err, "command.fallback-on is not configured: add "
				 "`command.fallback-on = ...` to /etc/hsr.conf");
	assert_int_equal(config_set(&c, "command.restart", "echo restarted", err, sizeof err), 0);
	assert_string_equal(teamcmd_lookup(&c, "restart", NULL, err, sizeof err), "echo restarted");
	assert_null(teamcmd_lookup(&c, "x; rm -rf /\033[2J", NULL, err, sizeof err));
	assert_null(strchr(err, '\033'));
	assert_null(strchr(err, '\n'));
	assert_non_null(strstr(err, "no config key can hold"));
	assert_null(teamcmd_lookup(&c, NULL, NULL, err, sizeof err));
	/* An empty line does not start. */
	assert_null(teamcmd_start("", NULL, "", 1000, common_mono_ms(), err, sizeof err));
	assert_non_null(strstr(err, "empty"));
}

int main(void)
{
	/* Orphaned children of the commands come to us, so the tests can see them gone. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exit_status_and_duration),
	    cmocka_unit_test(test_output_lines_sanitized),
	    cmocka_unit_test(test_output_capped),
	    cmocka_unit_test(test_timeout_ends_the_group),
	    cmocka_unit_test(test_cancel_ends_the_group),
	    cmocka_unit_test(test_environment_without_token),
	    cmocka_unit_test(test_pump_never_blocks),
	    cmocka_unit_test(test_not_configured),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
