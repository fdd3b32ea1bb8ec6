/* Untrusted remote text made into one safe, printable, valid UTF-8 line. */
#include "hsr/sanitize.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* What kind of escape string is being skipped. */
enum skip_kind {
	SKIP_NONE = 0,
	SKIP_CSI,    /* ESC [ or C1 CSI: parameters, intermediates, one final byte */
	SKIP_STRING, /* OSC, DCS, SOS, PM, APC: everything up to BEL or ST */
};

/* The output being built: where it goes and whether it ran out of room. */
typedef struct {
	char *dst;
	size_t cap; /* bytes available for text, terminator excluded */
	size_t len;
	bool pending_blank;
	bool cut;
} out_buf;

/* Append one printable unit (a whole character) after any pending blank; false when full. */
static bool put_unit(out_buf *o, const unsigned char *s, size_t n)
{
	if (o->cut)
		return false;
	if (o->pending_blank && o->len > 0) {
		if (o->len + 1 > o->cap) {
			o->cut = true;
			return false;
		}
		o->dst[o->len++] = ' ';
	}
	o->pending_blank = false;
	if (o->len + n > o->cap) {
		o->cut = true;
		return false;
	}
	memcpy(o->dst + o->len, s, n);
	o->len += n;
	return true;
}

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes available), or 0 when the
 * bytes there are not valid UTF-8; *bad gets how many bytes the invalid prefix spans.
 */
static size_t utf8_valid_len(const unsigned char *s, size_t n, size_t *bad, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t need;
	unsigned char lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
	uint32_t v;
	*bad = 1;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		need = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else {
		return 0; /* continuation byte alone, C0/C1 overlong lead, or F5..FF */
	}
	for (size_t i = 1; i < need; i++) {
		if (i >= n) {
			*bad = i; /* truncated at the end of the input */
			return 0;
		}
		unsigned char b = s[i];
		unsigned char l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xbf;
		if (b < l || b > h) {
			*bad = i;
			return 0;
		}
		v = (v << 6) | (b & 0x3f);
	}
	*cp = v;
	return need;
}

/* Whether a code point is a bidirectional embedding, override or isolate control. */
static bool is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* What a C1 control (or ESC's 7-bit equivalent) starts: a CSI, a string, or nothing more. */
static enum skip_kind c1_introduces(uint32_t c1)
{
	switch (c1) {
	case 0x9b:
		return SKIP_CSI;
	case 0x90: /* DCS */
	case 0x98: /* SOS */
	case 0x9d: /* OSC */
	case 0x9e: /* PM */
	case 0x9f: /* APC */
		return SKIP_STRING;
	default:
		return SKIP_NONE;
	}
}

/*
 * Skip an escape string that started just before i: returns the index after it. A CSI
 * ends at its final byte (or at the first byte that cannot belong to it); a string ends
 * after BEL, ESC \ or ST (raw 0x9c or U+009C), or at the end of the input.
 */
static size_t skip_sequence(const unsigned char *s, size_t n, size_t i, enum skip_kind kind)
{
	if (kind == SKIP_CSI) {
		while (i < n && s[i] >= 0x20 && s[i] <= 0x3f)
			i++;
		if (i < n && s[i] >= 0x40 && s[i] <= 0x7e)
			i++;
		return i;
	}
	while (i < n) {
		if (s[i] == 0x07)
			return i + 1;
		if (s[i] == 0x1b && i + 1 < n && s[i + 1] == '\\')
			return i + 2;
		size_t bad;
		uint32_t cp;
		size_t len = utf8_valid_len(s + i, n - i, &bad, &cp);
		if (len == 0) {
			if (s[i] == 0x9c) /* raw ST */
				return i + 1;
			i++;
			continue;
		}
		i += len;
		if (cp == 0x9c) /* ST written as UTF-8 */
			return i;
	}
	return i;
}

/* Skip what follows an ESC at s[i-1]: returns the index after the whole sequence. */
static size_t skip_escape(const unsigned char *s, size_t n, size_t i)
{
	if (i >= n)
		return i;
	unsigned char x = s[i];
	switch (x) {
	case '[':
		return skip_sequence(s, n, i + 1, SKIP_CSI);
	case ']':
	case 'P':
	case 'X':
	case '^':
	case '_':
		return skip_sequence(s, n, i + 1, SKIP_STRING);
	default:
		break;
	}
	if (x >= 0x20 && x <= 0x2f) { /* intermediates, then one final byte: ESC ( B */
		while (i < n && s[i] >= 0x20 && s[i] <= 0x2f)
			i++;
		if (i < n && s[i] >= 0x30 && s[i] <= 0x7e)
			i++;
		return i;
	}
	if (x >= 0x30 && x <= 0x7e) /* two-byte ESC x */
		return i + 1;
	return i; /* a lone ESC: drop it, keep what follows */
}

/* Cut the output so "…" fits after it, dropping whole characters and trailing blanks. */
static void finish_cut(out_buf *o)
{
	static const char ell[] = "\xe2\x80\xa6";
	if (o->cap >= 3) {
		while (o->len + 3 > o->cap) {
			do
				o->len--;
			while (o->len > 0 && ((unsigned char)o->dst[o->len] & 0xc0) == 0x80);
		}
	}
	while (o->len > 0 && o->dst[o->len - 1] == ' ')
		o->len--;
	if (o->cap < 3)
		return; /* no room for the mark: the whole characters that fit stay */
	memcpy(o->dst + o->len, ell, 3);
	o->len += 3;
}

/* Copy src into dst as one line of printable, valid UTF-8 text (see sanitize.h). */
size_t sanitize_text(char *dst, size_t dstsz, const char *src, size_t srclen)
{
	if (!dst || dstsz == 0)
		return 0;
	out_buf o = {.dst = dst, .cap = dstsz - 1};
	const unsigned char *s = (const unsigned char *)src;
	size_t n = src ? srclen : 0;
	size_t i = 0;
	while (i < n && !o.cut) {
		unsigned char c = s[i];
		if (c == 0x1b) {
			i = skip_escape(s, n, i + 1);
			continue;
		}
		if (c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == ' ') {
			o.pending_blank = true;
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			i++;
			continue;
		}
		if (c < 0x80) {
			put_unit(&o, s + i, 1);
			i++;
			continue;
		}
		size_t bad;
		uint32_t cp;
		size_t len = utf8_valid_len(s + i, n - i, &bad, &cp);
		if (len == 0) {
			if (c <= 0x9f) {
				/*
				 * A raw C1 byte: dropped. Only an 8-bit CSI takes its (short)
				 * parameters along; a stray string introducer would otherwise
				 * swallow the rest of the text.
				 */
				i++;
				if (c == 0x9b)
					i = skip_sequence(s, n, i, SKIP_CSI);
				continue;
			}
			put_unit(&o, (const unsigned char *)"?", 1);
			i += bad;
			continue;
		}
		if (cp >= 0x80 && cp <= 0x9f) { /* C1 control written as UTF-8 */
			enum skip_kind k = c1_introduces(cp);
			i += len;
			if (k != SKIP_NONE)
				i = skip_sequence(s, n, i, k);
			continue;
		}
		if (cp == 0x2028 || cp == 0x2029) { /* line and paragraph separators */
			o.pending_blank = true;
			i += len;
			continue;
		}
		if (is_bidi_control(cp)) {
			i += len;
			continue;
		}
		put_unit(&o, s + i, len);
		i += len;
	}
	if (o.cut)
		finish_cut(&o);
	dst[o.len] = '\0';
	return o.len;
}

/* sanitize_text for a NUL-terminated string; NULL gives "". */
size_t sanitize_str(char *dst, size_t dstsz, const char *src)
{
	return sanitize_text(dst, dstsz, src, src ? strlen(src) : 0);
}

/* Overwrite the bytes of invalid UTF-8 sequences with '?'; returns how many. */
size_t sanitize_utf8_repair(char *buf, size_t len)
{
	unsigned char *s = (unsigned char *)buf;
	size_t fixed = 0, i = 0;
	while (buf && i < len) {
		size_t bad;
		uint32_t cp;
		size_t n = utf8_valid_len(s + i, len - i, &bad, &cp);
		if (n > 0) {
			i += n;
			continue;
		}
		for (size_t k = 0; k < bad; k++)
			s[i + k] = '?';
		fixed += bad;
		i += bad;
	}
	return fixed;
}
