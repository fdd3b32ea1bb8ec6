/* Pure text formatting shared by the report and the screens: ages, durations, counts. */
#include "hsr/format.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* "just now", "15 s ago", "4 min ago", ... */
void format_age(char *out, size_t outsz, int64_t then_ms, int64_t now_ms)
{
	if (then_ms <= 0) {
		snprintf(out, outsz, "never");
		return;
	}
	int64_t s = (now_ms - then_ms) / 1000;
	if (s < 10)
		snprintf(out, outsz, "just now");
	else if (s < 60)
		snprintf(out, outsz, "%d s ago", (int)(s / 10 * 10));
	else if (s < 3600)
		snprintf(out, outsz, "%d min ago", (int)(s / 60));
	else if (s < 86400)
		snprintf(out, outsz, "%d h ago", (int)(s / 3600));
	else
		snprintf(out, outsz, "%lld d ago", (long long)(s / 86400));
}

/* "37 s", "4 min 05 s", "2 h 10 min", "3 d 4 h". */
void format_duration(char *out, size_t outsz, long seconds)
{
	if (seconds < 0)
		seconds = 0;
	if (seconds < 60)
		snprintf(out, outsz, "%ld s", seconds);
	else if (seconds < 3600)
		snprintf(out, outsz, "%ld min %02ld s", seconds / 60, seconds % 60);
	else if (seconds < 86400)
		snprintf(out, outsz, "%ld h %02ld min", seconds / 3600, seconds % 3600 / 60);
	else
		snprintf(out, outsz, "%ld d %ld h", seconds / 86400, seconds % 86400 / 3600);
}

/* Thousands separators, any sign, any magnitude. */
void format_count(char *out, size_t outsz, long long v)
{
	char digits[32];
	unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	int nd = snprintf(digits, sizeof digits, "%llu", m);
	char buf[48];
	size_t len = 0;
	if (v < 0)
		buf[len++] = '-';
	for (int i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			buf[len++] = ',';
		buf[len++] = digits[i];
	}
	buf[len] = '\0';
	snprintf(out, outsz, "%s", buf);
}

/* Copy src into dst, cutting only at a UTF-8 character boundary. */
void format_utf8_copy(char *dst, size_t dstsz, const char *src)
{
	if (dstsz == 0)
		return;
	size_t n = 0;
	if (src)
		while (src[n] && n < dstsz - 1)
			n++;
	/* Step back over continuation bytes of a character that did not fit whole. */
	if (src && src[n]) {
		size_t k = n;
		while (k > 0 && ((unsigned char)src[k] & 0xC0) == 0x80)
			k--;
		n = k;
	}
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];
	dst[n] = '\0';
}

/* "05:00 UTC" or "00:00 account time": never a clock without its zone. */
void format_clock(char *out, size_t outsz, int64_t ms, bool account, long offset_min)
{
	time_t t = (time_t)(ms / 1000) + (account ? (time_t)offset_min * 60 : 0);
	struct tm tm;
	if (!gmtime_r(&t, &tm)) {
		snprintf(out, outsz, "??:?? %s", account ? "account time" : "UTC");
		return;
	}
	snprintf(out, outsz, "%02d:%02d %s", tm.tm_hour, tm.tm_min,
		 account ? "account time" : "UTC");
}

/* "UTC-05:00": the sign always written, minutes always two digits. */
void format_utc_offset(char *out, size_t outsz, long offset_min)
{
	long a = labs(offset_min);
	snprintf(out, outsz, "UTC%c%02ld:%02ld", offset_min < 0 ? '-' : '+', a / 60, a % 60);
}
