/* Small shared types: optional numbers and clocks. */
#ifndef HSR_COMMON_H
#define HSR_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HSR_VERSION "0.1.0"

/* A number that may be unknown. Unknown is never zero. */
typedef struct {
	bool known;
	long long v;
} opt_int;

#define OPT_UNKNOWN ((opt_int){.known = false, .v = 0})
#define OPT_OF(x)   ((opt_int){.known = true, .v = (x)})

/*
 * Test hook: when HSR_TEST_CLOCK holds epoch seconds, the wall clock stands still at that
 * second for the whole run (screens, the simulator's dates, ages, resets), so that whole screens
 * can be compared with committed captures. Only the wall clock: the monotonic clock, which
 * paces the probes and times out requests, keeps running. Not for operators; unset, or not a
 * plain number of seconds, it changes nothing.
 */
#define COMMON_TEST_CLOCK_ENV "HSR_TEST_CLOCK"
/* The largest HSR_TEST_CLOCK taken (exclusive): the year 10000. */
#define COMMON_TEST_CLOCK_MAX_S 253402300800LL

/* Wall-clock milliseconds since the epoch: the one place the wall clock is read. */
int64_t common_now_ms(void);
/* Monotonic milliseconds, for deadlines and intervals (never frozen). */
int64_t common_mono_ms(void);
/* Copy at most dstsz-1 bytes of src into dst, always terminating; NULL src gives "". */
void common_strlcpy(char *dst, const char *src, size_t dstsz);
/* Parse a header-style integer: digits only (surrounding blanks allowed), no sign, fits in 63 bits.
 */
opt_int common_parse_uint(const char *s);
/*
 * Edits between a and b, ignoring ASCII case: insertions, deletions, substitutions and swaps
 * of two neighbours each count one ("heatlh_url" is 1 from "health_url"). Strings longer than
 * 63 bytes count as far from everything (a large number).
 */
int common_edit_distance(const char *a, const char *b);
/*
 * The candidate (NULL-terminated list) nearest to word, or NULL when none is near enough to be
 * a likely slip: at most a third of the candidate's length in edits (at least 1, at most 3),
 * or word is the start of exactly one candidate.
 */
const char *common_nearest(const char *word, const char *const *candidates);

#endif
