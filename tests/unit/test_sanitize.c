/* Unit tests for sanitize: escape sequences, controls, UTF-8, folding, trimming, cutting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hsr/sanitize.h"

/* Sanitize the len bytes of s into a big buffer and return it (static storage). */
static const char *clean_n(const char *s, size_t len)
{
	static char out[4096];
	size_t n = sanitize_text(out, sizeof out, s, len);
	assert_int_equal(n, strlen(out));
	return out;
}

/* Sanitize a NUL-terminated literal. */
static const char *clean(const char *s)
{
	return clean_n(s, strlen(s));
}

/* Independent check that s is well-formed UTF-8 without C0/C1 controls, DEL or bidi controls. */
static void assert_safe_line(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	if (n > 0) {
		assert_true(p[0] != ' ');
		assert_true(p[n - 1] != ' ');
	}
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		if (c < 0x80) {
			assert_true(c >= 0x20 && c != 0x7f);
			if (c == ' ')
				assert_true(p[i + 1] != ' ');
			i++;
			continue;
		}
		size_t len;
		uint32_t cp;
		uint32_t min;
		if ((c & 0xe0) == 0xc0) {
			len = 2;
			cp = c & 0x1f;
			min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3;
			cp = c & 0x0f;
			min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4;
			cp = c & 0x07;
			min = 0x10000;
		} else {
			fail_msg("bad lead byte 0x%02x at %zu", c, i);
			return;
		}
		assert_true(i + len <= n);
		for (size_t k = 1; k < len; k++) {
			assert_true((p[i + k] & 0xc0) == 0x80);
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		assert_true(cp >= min);			    /* not overlong */
		assert_true(cp <= 0x10ffff);		    /* in range */
		assert_false(cp >= 0xd800 && cp <= 0xdfff); /* no surrogates */
		assert_false(cp >= 0x80 && cp <= 0x9f);	    /* no C1 */
		assert_false(cp >= 0x202a && cp <= 0x202e); /* no bidi overrides */
		assert_false(cp >= 0x2066 && cp <= 0x2069); /* no bidi isolates */
		i += len;
	}
}

/* Plain text and valid UTF-8 pass unchanged. */
static void test_plain_passes(void **state)
{
	(void)state;
	assert_string_equal(clean("All Systems Operational"), "All Systems Operational");
	assert_string_equal(clean("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80"),
			    "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80");
	assert_string_equal(clean("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf"); /* U+10FFFF */
	assert_string_equal(clean(""), "");
}

/* CSI sequences (colours, clear screen, private modes) disappear with their parameters. */
static void test_csi(void **state)
{
	(void)state;
	assert_string_equal(clean("\x1b[2J\x1b[HHubSpot"), "HubSpot");
	assert_string_equal(clean("\x1b[31mred\x1b[0m text"), "red text");
	assert_string_equal(clean("a\x1b[?1049hb\x1b[?25l"), "ab");
	assert_string_equal(clean("x\x1b[38;5;196;1my"), "xy");
	/* Truncated CSI at the end of the input. */
	assert_string_equal(clean("end\x1b[12;"), "end");
	/* A CSI cut by a byte that cannot belong to it: the CSI goes, the rest stays. */
	assert_string_equal(clean("a\x1b[12\nb"), "a b");
}

/* OSC strings (OSC 52 clipboard, titles, hyperlinks) end at BEL or ST and vanish entirely. */
static void test_osc(void **state)
{
	(void)state;
	assert_string_equal(clean("copy\x1b]52;c;cm0gLXJmIH4=\x07 me"), "copy me");
	assert_string_equal(clean("\x1b]0;pwned title\x1b\\ok"), "ok");
	assert_string_equal(clean("\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\"), "link");
	/* Unterminated: everything after the introducer is payload. */
	assert_string_equal(clean("safe\x1b]52;c;ZXZpbA=="), "safe");
	/* A UTF-8 character holding byte 0x9c inside the payload does not end it early. */
	assert_string_equal(clean("a\x1b]0;\xe2\x80\x9cq\xe2\x80\x9d\x07z"), "az");
}

/* DCS, SOS, PM and APC strings vanish; two- and three-byte escapes too; a lone ESC goes. */
static void test_other_escapes(void **state)
{
	(void)state;
	assert_string_equal(clean("\x1bPq#0;2;0;0;0#0~~\x1b\\ok"), "ok");
	assert_string_equal(clean("\x1b_Gf=100;AAAA\x1b\\ok"), "ok");
	assert_string_equal(clean("\x1b^pm\x1b\\a\x1bXsos\x1b\\b"), "ab");
	assert_string_equal(clean("\x1b"
				  "7a\x1b"
				  "8b\x1b"
				  "c"),
			    "ab");
	assert_string_equal(clean("\x1b(Bx\x1b#8"), "x");
	assert_string_equal(clean("lone\x1b"), "lone");
	assert_string_equal(clean("\x1b\x1b[1mA"), "A");
}

/* C0 controls and DEL are removed; tab, CR, LF (and VT, FF) become one blank. */
static void test_c0_and_blanks(void **state)
{
	(void)state;
	assert_string_equal(clean("\x01\x02"
				  "a\x7f"
				  "b\x08"
				  "c\x07"),
			    "abc");
	assert_string_equal(clean("a\t\r\n  b"), "a b");
	assert_string_equal(clean("  \n a   b \t"), "a b");
	assert_string_equal(clean("line1\r\nline2\vline3\fend"), "line1 line2 line3 end");
	assert_string_equal(clean(" \t\r\n "), "");
	/* A removed sequence between blanks leaves one blank. */
	assert_string_equal(clean("a \x1b[2J b"), "a b");
	/* U+2028 and U+2029 are line breaks too. */
	assert_string_equal(clean("a\xe2\x80\xa8"
				  "b\xe2\x80\xa9"
				  "c"),
			    "a b c");
}

/* NUL bytes inside the input are dropped, not treated as the end. */
static void test_nul_bytes(void **state)
{
	(void)state;
	assert_string_equal(clean_n("a\0b\0\0c", 6), "abc");
	assert_string_equal(clean_n("\0\0\0", 3), "");
}

/* C1 controls go, as raw bytes and as UTF-8; 8-bit CSI and OSC take their payload along. */
static void test_c1(void **state)
{
	(void)state;
	assert_string_equal(clean("a\x85"
				  "b\x80"
				  "c"),
			    "abc");
	assert_string_equal(clean("a\x9b"
				  "31mb"),
			    "ab");
	/* A raw string introducer is only a stray byte: it goes, the text after it stays. */
	assert_string_equal(clean("a\x9d"
				  "52\x07"
				  "b"),
			    "a52b");
	assert_string_equal(clean("a\x90"
				  "payload"),
			    "apayload");
	assert_string_equal(clean("a\xc2\x85"
				  "b"),
			    "ab");
	assert_string_equal(clean("a\xc2\x9b"
				  "2Jb"),
			    "ab");
	assert_string_equal(clean("a\xc2\x9d"
				  "0;title\xc2\x9c"
				  "b"),
			    "ab");
	/* U+00A0 (no-break space) is printable and stays. */
	assert_string_equal(clean("a\xc2\xa0"
				  "b"),
			    "a\xc2\xa0"
			    "b");
}

/* Invalid UTF-8 becomes '?': overlongs, surrogates, out of range, stray and truncated bytes. */
static void test_invalid_utf8(void **state)
{
	(void)state;
	assert_string_equal(clean("a\xc0\xafz"), "a??z");	   /* overlong '/' */
	assert_string_equal(clean("a\xe0\x80\xafz"), "a??z");	   /* overlong, 0x80 is C1 */
	assert_string_equal(clean("a\xed\xa0\xbdz"), "a???z");	   /* UTF-16 surrogate */
	assert_string_equal(clean("a\xf4\x90\xa0\xa0z"), "a???z"); /* above U+10FFFF */
	assert_string_equal(clean("a\xff\xfe"
				  "z"),
			    "a??z");
	assert_string_equal(clean("a\xa9z"), "a?z");	   /* stray continuation */
	assert_string_equal(clean("ab\xe2\x82"), "ab?");   /* truncated at the end */
	assert_string_equal(clean("ab\xe2\x82z"), "ab?z"); /* truncated in the middle */
	assert_string_equal(clean("\xf0\x9f\x98"), "?");
}

/* Bidirectional overrides and isolates (which can disguise text) are removed. */
static void test_bidi(void **state)
{
	(void)state;
	assert_string_equal(clean("abc\xe2\x80\xae"
				  "fdp.exe"),
			    "abcfdp.exe");
	assert_string_equal(clean("\xe2\x80\xaa"
				  "a\xe2\x80\xab"
				  "b\xe2\x80\xac"
				  "c\xe2\x80\xad"),
			    "abc");
	assert_string_equal(clean("\xe2\x81\xa6"
				  "x\xe2\x81\xa7"
				  "y\xe2\x81\xa8"
				  "z\xe2\x81\xa9"),
			    "xyz");
	/* Neighbours of the ranges stay. */
	assert_string_equal(clean("\xe2\x80\xa9"
				  "a\xe2\x81\xa5"),
			    "a\xe2\x81\xa5");
}

/* Cutting to fit: at a character boundary, with "…", never over dstsz. */
static void test_cut(void **state)
{
	(void)state;
	char out[8];
	assert_int_equal(sanitize_str(out, sizeof out, "1234567"), 7);
	assert_string_equal(out, "1234567");
	assert_int_equal(sanitize_str(out, sizeof out, "12345678"), 7);
	assert_string_equal(out, "1234\xe2\x80\xa6");
	sanitize_str(out, sizeof out, "hello world");
	assert_string_equal(out, "hell\xe2\x80\xa6");
	/* Multi-byte characters are never split. */
	sanitize_str(out, sizeof out, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	assert_string_equal(out, "\xc3\xa9\xc3\xa9\xe2\x80\xa6");
	sanitize_str(out, sizeof out, "\xf0\x9f\x98\x80\xf0\x9f\x98\x80");
	assert_string_equal(out, "\xf0\x9f\x98\x80\xe2\x80\xa6");
	sanitize_str(out, sizeof out, "a\xf0\x9f\x98\x80\xf0\x9f\x98\x80");
	assert_string_equal(out, "a\xe2\x80\xa6");
	char four[4];
	sanitize_str(four, sizeof four, "a b");
	assert_string_equal(four, "a b");
	sanitize_str(four, sizeof four, "a bc");
	assert_string_equal(four, "\xe2\x80\xa6");
	/* The blank before the mark goes. */
	sanitize_str(out, sizeof out, "abc defgh");
	assert_string_equal(out, "abc\xe2\x80\xa6");
	/* Trailing blanks and escapes after text that fits are not a cut. */
	sanitize_str(out, sizeof out, "1234567   \x1b[0m\n");
	assert_string_equal(out, "1234567");
	/* Too small for the mark: whole characters only. */
	char tiny[3];
	sanitize_str(tiny, sizeof tiny, "abcdef");
	assert_string_equal(tiny, "ab");
	sanitize_str(tiny, sizeof tiny, "a bc");
	assert_string_equal(tiny, "a");
	sanitize_str(tiny, sizeof tiny, "\xc3\xa9\xc3\xa9");
	assert_string_equal(tiny, "\xc3\xa9");
	char one[1] = {'x'};
	assert_int_equal(sanitize_str(one, sizeof one, "abc"), 0);
	assert_string_equal(one, "");
	char untouched = 'x';
	assert_int_equal(sanitize_str(&untouched, 0, "abc"), 0);
	assert_int_equal(untouched, 'x');
}

/* NULL sources give "". */
static void test_null(void **state)
{
	(void)state;
	char out[16] = "junk";
	assert_int_equal(sanitize_str(out, sizeof out, NULL), 0);
	assert_string_equal(out, "");
	strcpy(out, "junk");
	assert_int_equal(sanitize_text(out, sizeof out, NULL, 10), 0);
	assert_string_equal(out, "");
}

/* A 10 KB hostile string is cut to fit and stays safe. */
static void test_long_hostile(void **state)
{
	(void)state;
	size_t n = 10 * 1024;
	char *s = malloc(n);
	assert_non_null(s);
	static const char chunk[] = "x\x1b[2J\xe2\x80\xae\x1b]52;c;QQ==\x07 \xc3\xa9\t\xff";
	for (size_t i = 0; i < n; i++)
		s[i] = chunk[i % (sizeof chunk - 1)];
	char out[200];
	size_t len = sanitize_text(out, sizeof out, s, n);
	assert_true(len < sizeof out);
	assert_int_equal(len, strlen(out));
	assert_safe_line(out);
	assert_memory_equal(out + len - 3, "\xe2\x80\xa6", 3);
	free(s);
}

/* Random bytes: whatever comes in, the output is one safe line that fits. */
static void test_random_invariants(void **state)
{
	(void)state;
	static const unsigned char alphabet[] = {
	    0x00, 0x07, 0x09, 0x0a, 0x0d, 0x1b, 0x20, 0x20, '[',  ']',	'P',  '\\',
	    ';',  '2',	'J',  'a',  'z',  0x7f, 0x80, 0x85, 0x9b, 0x9c, 0x9d, 0xa0,
	    0xbf, 0xc0, 0xc2, 0xc3, 0xe0, 0xe2, 0x80, 0xae, 0xed, 0xf0, 0xf4, 0xff};
	unsigned seed = 12345;
	char in[300];
	char out[64];
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(round % 300);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			unsigned pick = (seed >> 16) % (sizeof alphabet + 64);
			in[i] = pick < sizeof alphabet ? (char)alphabet[pick] : (char)(seed >> 8);
		}
		size_t dstsz = 1 + (size_t)(round % (int)sizeof out);
		size_t len = sanitize_text(out, dstsz, in, n);
		assert_true(len < dstsz);
		assert_int_equal(len, strlen(out));
		assert_safe_line(out);
	}
}

/* In-place repair: invalid bytes become '?', valid text is untouched. */
static void test_utf8_repair(void **state)
{
	(void)state;
	char a[] = "a\xff"
		   "b\xe2\x82";
	assert_int_equal(sanitize_utf8_repair(a, strlen(a)), 3);
	assert_string_equal(a, "a?b??");
	char b[] = "caf\xc3\xa9 \x1b[0m";
	assert_int_equal(sanitize_utf8_repair(b, strlen(b)), 0);
	assert_string_equal(b, "caf\xc3\xa9 \x1b[0m");
	char c[] = "\xed\xa0\x80";
	assert_int_equal(sanitize_utf8_repair(c, 3), 3);
	assert_string_equal(c, "???");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_passes),
	    cmocka_unit_test(test_csi),
	    cmocka_unit_test(test_osc),
	    cmocka_unit_test(test_other_escapes),
	    cmocka_unit_test(test_c0_and_blanks),
	    cmocka_unit_test(test_nul_bytes),
	    cmocka_unit_test(test_c1),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_bidi),
	    cmocka_unit_test(test_cut),
	    cmocka_unit_test(test_null),
	    cmocka_unit_test(test_long_hostile),
	    cmocka_unit_test(test_random_invariants),
	    cmocka_unit_test(test_utf8_repair),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
