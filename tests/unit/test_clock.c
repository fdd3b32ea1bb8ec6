/* Unit tests for the clocks: the tests' fixed wall clock (HSR_TEST_CLOCK) and what it leaves
 * alone. The variable is read once per process, so each case runs in a child of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "hsr/common.h"

/* 2026-03-10T14:05:00Z, the goldens' clock. */
#define GOLDEN_S 1773151500LL

/* What a child saw: two wall-clock reads 30 ms apart, the monotonic clock's advance between
 * them, and the real time. */
typedef struct {
	int64_t wall1, wall2, mono_advance, real_ms;
} seen;

/* Run the clocks in a child with HSR_TEST_CLOCK set to value (NULL: unset). */
static seen clocks_with(const char *value)
{
	int fd[2];
	seen s;
	memset(&s, 0, sizeof s);
	assert_int_equal(pipe(fd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fd[0]);
		if (value)
			setenv(COMMON_TEST_CLOCK_ENV, value, 1);
		else
			unsetenv(COMMON_TEST_CLOCK_ENV);
		seen c;
		int64_t m1 = common_mono_ms();
		c.wall1 = common_now_ms();
		struct timespec pause = {0, 30 * 1000000L};
		nanosleep(&pause, NULL);
		c.wall2 = common_now_ms();
		c.mono_advance = common_mono_ms() - m1;
		c.real_ms = (int64_t)time(NULL) * 1000;
		_exit(write(fd[1], &c, sizeof c) == (ssize_t)sizeof c ? 0 : 1);
	}
	close(fd[1]);
	assert_int_equal(read(fd[0], &s, sizeof s), (int)sizeof s);
	close(fd[0]);
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return s;
}

/* Whether a wall-clock read is the real time (within two seconds). */
static int is_real(const seen *s)
{
	return llabs((long long)(s->wall1 - s->real_ms)) < 2000 && s->wall2 >= s->wall1;
}

/* Set to epoch seconds: the wall clock stands at that second; the monotonic clock runs. */
static void test_fixed(void **state)
{
	(void)state;
	seen s = clocks_with("1773151500");
	assert_int_equal(s.wall1, GOLDEN_S * 1000);
	assert_int_equal(s.wall2, GOLDEN_S * 1000);
	assert_true(s.mono_advance >= 25);
	/* Blanks around the number are taken, as by every integer the program parses. */
	s = clocks_with(" 1773151500 ");
	assert_int_equal(s.wall1, GOLDEN_S * 1000);
	s = clocks_with("1");
	assert_int_equal(s.wall1, 1000);
}

/* Unset, empty or not a plain number of seconds: the real clock. */
static void test_ignored(void **state)
{
	(void)state;
	const char *bad[] = {NULL,
			     "",
			     "0",
			     "-5",
			     "12abc",
			     "1.5",
			     "2026-03-10",
			     "+1773151500",
			     "1e9",
			     "0x10",
			     "253402300800",
			     "99999999999999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		seen s = clocks_with(bad[i]);
		if (!is_real(&s))
			fail_msg("HSR_TEST_CLOCK=\"%s\" changed the clock to %lld",
				 bad[i] ? bad[i] : "(unset)", (long long)s.wall1);
	}
}

/* The last second taken (the year 9999) is taken. */
static void test_bounds(void **state)
{
	(void)state;
	seen s = clocks_with("253402300799");
	assert_int_equal(s.wall1, 253402300799LL * 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixed),
	    cmocka_unit_test(test_ignored),
	    cmocka_unit_test(test_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
