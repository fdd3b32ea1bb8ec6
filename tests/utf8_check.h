/* A strict UTF-8 check for tests: what jansson's json_string() insists on. */
#ifndef HSR_TEST_UTF8_CHECK_H
#define HSR_TEST_UTF8_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/* Whether s is well-formed UTF-8 (no stray, missing, overlong or surrogate sequences). */
static inline bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned char c = *p;
		size_t n;
		unsigned cp;
		if (c < 0x80) {
			p++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		for (size_t k = 1; k <= n; k++) {
			if ((p[k] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (p[k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		p += n + 1;
	}
	return true;
}

#endif
