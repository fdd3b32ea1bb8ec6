/* The check tests and fuzz targets share on text meant for a person: one printable line. */
#ifndef HSR_TEST_PRINTABLE_CHECK_H
#define HSR_TEST_PRINTABLE_CHECK_H

#include <stdbool.h>

/* Whether s contains no byte below 0x20 (no newline, no escape) and no DEL. */
static inline bool printable_line(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

#endif
