/* Small shared helpers: clocks, bounded copies, strict integer parsing. */
#include "hsr/common.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

/* Wall-clock milliseconds since the epoch. */
int64_t common_now_ms(void)
{
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
