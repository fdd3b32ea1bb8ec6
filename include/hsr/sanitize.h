/* Untrusted remote text made safe to draw, journal or template. */
#ifndef HSR_SANITIZE_H
#define HSR_SANITIZE_H

#include <stddef.h>

/*
 * Copy src (srclen bytes, may contain NULs) into dst as one line of printable text:
 * escape sequences (CSI, OSC, DCS, other ESC x) and C0/C1 controls removed, tabs and
 * newlines turned into a single space, runs of blanks folded, invalid UTF-8 replaced by
 * '?', leading/trailing blanks trimmed, cut at a UTF-8 boundary to fit dstsz (with "…"
 * when cut). Returns the length written. dst is always terminated (dstsz > 0).
 */
size_t sanitize_text(char *dst, size_t dstsz, const char *src, size_t srclen);
/* The same for a NUL-terminated string; NULL gives "". */
size_t sanitize_str(char *dst, size_t dstsz, const char *src);
/*
 * Replace, in place, every byte of every invalid UTF-8 sequence in buf (len bytes) with
 * '?', so a strict parser can read the rest. Returns how many bytes were replaced.
 */
size_t sanitize_utf8_repair(char *buf, size_t len);

#endif
