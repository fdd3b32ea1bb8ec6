/* Pure text formatting shared by the report and the screens. */
#ifndef HSR_FORMAT_H
#define HSR_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * How long ago then_ms was, in steps that change rarely (a dashboard left alone should write
 * little to the terminal): "just now" (< 10 s), "20 s ago" (10-second steps), "4 min ago",
 * "3 h ago", "2 d ago"; "never" when then_ms <= 0.
 */
void format_age(char *out, size_t outsz, int64_t then_ms, int64_t now_ms);
/* A duration for countdowns: "37 s", "4 min 05 s", "2 h 10 min". */
void format_duration(char *out, size_t outsz, long seconds);
/* A count with thousands separators: "249,120", "-5". */
void format_count(char *out, size_t outsz, long long v);
/* Copy src into dst (dstsz bytes), cut at a UTF-8 character boundary; never splits a character. */
void format_utf8_copy(char *dst, size_t dstsz, const char *src);

/*
 * A clock time that says its zone: "05:00 UTC", or, for the account's clock (the HubSpot
 * account's UTC offset in minutes, as utc_offset sets it), "00:00 account time".
 */
void format_clock(char *out, size_t outsz, int64_t ms, bool account, long offset_min);
/* A UTC offset as "UTC-05:00", "UTC+05:30", "UTC+00:00". */
void format_utc_offset(char *out, size_t outsz, long offset_min);

#endif
