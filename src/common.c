/* Small shared helpers: clocks (and the tests' fixed wall clock), bounded copies, strict integer
 * parsing, the nearest word. */
#include "hsr/common.h"

#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* The frozen wall clock of HSR_TEST_CLOCK in milliseconds, or -1: read once, then shared. */
static int64_t test_clock_ms = -1;
static pthread_once_t test_clock_once = PTHREAD_ONCE_INIT;

/* Read HSR_TEST_CLOCK (the tests' fixed clock) once; anything but epoch seconds is ignored. */
static void test_clock_read(void)
{
	opt_int s = common_parse_uint(getenv(COMMON_TEST_CLOCK_ENV));
	if (s.known && s.v > 0 && s.v < COMMON_TEST_CLOCK_MAX_S)
		test_clock_ms = (int64_t)s.v * 1000;
}

/* Wall-clock milliseconds since the epoch (frozen when the tests' HSR_TEST_CLOCK is set). */
int64_t common_now_ms(void)
{
	pthread_once(&test_clock_once, test_clock_read);
	if (test_clock_ms >= 0)
		return test_clock_ms;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Monotonic milliseconds, for deadlines and intervals. */
int64_t common_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Bounded, always-terminated copy. */
void common_strlcpy(char *dst, const char *src, size_t dstsz)
{
	if (dstsz == 0)
		return;
	if (!src) {
		dst[0] = '\0';
		return;
	}
	size_t n = strnlen(src, dstsz - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Digits only, blanks around allowed, at most 18 digits so it always fits. */
opt_int common_parse_uint(const char *s)
{
	if (!s)
		return OPT_UNKNOWN;
	while (*s == ' ' || *s == '\t')
		s++;
	long long v = 0;
	int digits = 0;
	while (isdigit((unsigned char)*s)) {
		if (digits >= 18)
			return OPT_UNKNOWN;
		v = v * 10 + (*s - '0');
		digits++;
		s++;
	}
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	if (digits == 0 || *s != '\0')
		return OPT_UNKNOWN;
	return OPT_OF(v);
}

/* The longest word the edit distance compares; longer ones are far from everything. */
#define EDIT_MAX 63

/* Edits between a and b, ignoring case; adjacent swaps count one (optimal string alignment). */
int common_edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > EDIT_MAX || m > EDIT_MAX)
		return INT_MAX / 2;
	/* Three rows of the table: two back (for swaps), one back, this one. */
	int rows[3][EDIT_MAX + 1];
	int *pp = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= m; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = (int)i;
		int ca = tolower((unsigned char)a[i - 1]);
		for (size_t j = 1; j <= m; j++) {
			int cb = tolower((unsigned char)b[j - 1]);
			int best = prev[j - 1] + (ca != cb);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && pp[j - 2] + 1 < best)
				best = pp[j - 2] + 1;
			cur[j] = best;
		}
		int *t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[m];
}

/* The nearest candidate to word when it is near enough to be a slip, else NULL. */
const char *common_nearest(const char *word, const char *const *candidates)
{
	const char *best = NULL, *prefix_of = NULL;
	int best_d = INT_MAX, n_prefix = 0;
	size_t wl = strlen(word);
	for (size_t i = 0; candidates[i]; i++) {
		const char *c = candidates[i];
		int d = common_edit_distance(word, c);
		int allowed = (int)(strlen(c) / 3);
		if (allowed < 1)
			allowed = 1;
		if (allowed > 3)
			allowed = 3;
		if (d <= allowed && d < best_d) {
			best = c;
			best_d = d;
		}
		if (wl >= 3 && strncasecmp(c, word, wl) == 0) {
			prefix_of = c;
			n_prefix++;
		}
	}
	if (best)
		return best;
	return n_prefix == 1 ? prefix_of : NULL;
}
