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

/* Wall-clock milliseconds since the epoch. */
int64_t common_now_ms(void);
/* Monotonic milliseconds, for deadlines and intervals. */
int64_t common_mono_ms(void);
/* Copy at most dstsz-1 bytes of src into dst, always terminating; NULL src gives "". */
void common_strlcpy(char *dst, const char *src, size_t dstsz);
/* Parse a header-style integer: digits only (surrounding blanks allowed), no sign, fits in 63 bits.
 */
opt_int common_parse_uint(const char *s);

#endif
