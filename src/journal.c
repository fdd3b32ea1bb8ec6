/* The incident journal: append with fdatasync, read back skipping torn lines (hsr/journal.h). */
#include "hsr/journal.h"

#include "hsr/common.h"
#include "hsr/log.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct journal {
	char dir[512];
	char path[600];
	bool writer;
	int fd;		 /* append descriptor (writer), -1 until opened */
	int rfd;	 /* read descriptor, -1 until opened */
	bool tail_open;	 /* the file may end inside a line: a newline goes first */
	uint64_t last_n; /* the highest n read or written */
	int skipped;	 /* torn or garbage lines */
	char *pend;	 /* bytes of a line not ended yet */
	size_t pend_len;
	char err[700];
};

/* mkdir -p with mode for the folders made; 0, or -1 with errno set. */
int journal_mkdirs(const char *path, unsigned mode)
{
	char p[600];
	common_strlcpy(p, path, sizeof p);
	size_t len = strlen(p);
	if (len == 0 || len + 1 >= sizeof p) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) != 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	if (mkdir(p, mode) != 0 && errno != EEXIST)
		return -1;
	struct stat st;
	if (stat(p, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

/* "2026-03-10T14:05:00.123Z" for ms since the epoch. */
void journal_time_format(char *out, size_t outsz, int64_t ms)
{
	time_t s = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	int frac = (int)(ms - (int64_t)s * 1000);
	struct tm tm;
	gmtime_r(&s, &tm);
	snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

/* The reverse of journal_time_format; milliseconds optional. */
bool journal_time_parse(const char *s, int64_t *ms)
{
	if (!s)
		return false;
	int y, mo, d, h, mi, sec, n = 0;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 || y < 1970)
		return false;
	const char *p = s + n;
	int frac = 0;
	if (*p == '.') {
		int digits = 0;
		for (p++; *p >= '0' && *p <= '9'; p++, digits++)
			if (digits < 3)
				frac = frac * 10 + (*p - '0');
		if (digits == 0)
			return false;
		for (; digits < 3; digits++)
			frac *= 10;
	}
	if (strcmp(p, "Z") != 0)
		return false;
	struct tm tm = {.tm_year = y - 1900,
			.tm_mon = mo - 1,
			.tm_mday = d,
			.tm_hour = h,
			.tm_min = mi,
			.tm_sec = sec};
	time_t t = timegm(&tm);
	if (t == (time_t)-1)
		return false;
	*ms = (int64_t)t * 1000 + frac;
	return true;
}

/* The line (with its newline) for an event; NULL when out of memory. */
char *journal_format_line(uint64_t n, int64_t at_ms, const char *type, const char *by,
			  const json_t *data)
{
	char when[40];
	journal_time_format(when, sizeof when, at_ms);
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "n", json_integer((json_int_t)n));
	json_object_set_new(o, "time", json_string(when));
	json_object_set_new(o, "type", json_string(type ? type : "event"));
	json_object_set_new(o, "by", json_string(by ? by : "operator"));
	json_object_set_new(o, "data", data ? json_deep_copy(data) : json_object());
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(o);
	if (!s)
		return NULL;
	size_t l = strlen(s);
	char *line = realloc(s, l + 2);
	if (!line) {
		free(s);
		return NULL;
	}
	line[l] = '\n';
	line[l + 1] = '\0';
	return line;
}

/* Past blanks. */
static const char *ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* Past the JSON string at p (on its '"'), or NULL when it is not one. */
static const char *skip_str(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\') {
			p++;
			continue;
		}
		if (*p == '"')
			return p + 1;
		if ((unsigned char)*p < 0x20)
			return NULL;
	}
	return NULL;
}

/* Past the JSON value at p (its structure checked, not every detail), or NULL. */
static const char *skip_value(const char *p, const char *end, int depth)
{
	if (p >= end || depth > 32)
		return NULL;
	if (*p == '"')
		return skip_str(p, end);
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';
		p = ws(p + 1, end);
		if (p < end && *p == close)
			return p + 1;
		for (;;) {
			if (close == '}') {
				if (p >= end || *p != '"' || !(p = skip_str(p, end)))
					return NULL;
				p = ws(p, end);
				if (p >= end || *p != ':')
					return NULL;
				p = ws(p + 1, end);
			}
			if (!(p = skip_value(p, end, depth + 1)))
				return NULL;
			p = ws(p, end);
			if (p < end && *p == ',') {
				p = ws(p + 1, end);
				continue;
			}
			return p < end && *p == close ? p + 1 : NULL;
		}
	}
	const char *s = p;
	while (p < end && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || *p == '-' ||
			   *p == '+' || *p == '.' || *p == 'E'))
		p++;
	return p > s ? p : NULL;
}

/* Four hex digits at p into *v; false when they are not. */
static bool hex4(const char *p, const char *end, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		if (p + i >= end)
			return false;
		char c = p[i];
		unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
			     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
						    : 16u;
		if (d > 15)
			return false;
		*v = *v * 16 + d;
	}
	return true;
}

/* Append code point c as UTF-8 at out[*o]; false when it does not fit. */
static bool put_utf8(char *out, size_t sz, size_t *o, unsigned c)
{
	char b[4];
	size_t n;
	if (c < 0x80) {
		b[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		b[0] = (char)(0xc0 | c >> 6);
		b[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		b[0] = (char)(0xe0 | c >> 12);
		b[1] = (char)(0x80 | (c >> 6 & 0x3f));
		b[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | c >> 18);
		b[1] = (char)(0x80 | (c >> 12 & 0x3f));
		b[2] = (char)(0x80 | (c >> 6 & 0x3f));
		b[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	if (*o + n >= sz)
		return false;
	memcpy(out + *o, b, n);
	*o += n;
	return true;
}

/* The JSON string at p (on its '"') into out, unescaped and cut to fit; false when not one. */
static bool unescape(const char *p, const char *end, char *out, size_t sz)
{
	size_t o = 0;
	bool full = false; /* cut here: nothing after it is taken */
	out[0] = '\0';
	if (p >= end || *p != '"')
		return false;
	for (p++; p < end && *p != '"'; p++) {
		char c = *p;
		if (c == '\\') {
			if (++p >= end)
				return false;
			unsigned u;
			switch (*p) {
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case 'r':
				c = '\r';
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'u':
				if (!hex4(p + 1, end, &u))
					return false;
				p += 4;
				if (u >= 0xd800 && u < 0xdc00 && p + 6 < end && p[1] == '\\' &&
				    p[2] == 'u') {
					unsigned lo;
					if (hex4(p + 3, end, &lo) && lo >= 0xdc00 && lo < 0xe000) {
						u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
						p += 6;
					}
				}
				if (!full && !put_utf8(out, sz, &o, u))
					full = true;
				continue;
			default:
				c = *p; /* " \ / */
			}
		}
		if (!full && o + 1 < sz)
			out[o++] = c;
		else
			full = true;
	}
	out[o] = '\0';
	return p < end;
}

/* The value of member key at the top level of the object raw, or NULL. */
static const char *member(const char *raw, size_t len, const char *key)
{
	const char *p = raw, *end = raw + len;
	size_t kl = strlen(key);
	p = ws(p, end);
	if (p >= end || *p != '{')
		return NULL;
	p = ws(p + 1, end);
	while (p < end && *p == '"') {
		const char *k = p + 1, *after = skip_str(p, end);
		if (!after)
			return NULL;
		bool match = (size_t)(after - 1 - k) == kl && memcmp(k, key, kl) == 0;
		p = ws(after, end);
		if (p >= end || *p != ':')
			return NULL;
		p = ws(p + 1, end);
		if (match)
			return p;
		if (!(p = skip_value(p, end, 1)))
			return NULL;
		p = ws(p, end);
		if (p < end && *p == ',')
			p = ws(p + 1, end);
	}
	return NULL;
}

/* The string member key of e's data into out. */
bool journal_data_str(const journal_event *e, const char *key, char *out, size_t outsz)
{
	if (e->data) {
		const char *s = json_string_value(json_object_get(e->data, key));
		common_strlcpy(out, s, outsz);
		return s != NULL;
	}
	const char *v = e->raw ? member(e->raw, e->raw_len, key) : NULL;
	if (!v || !unescape(v, e->raw + e->raw_len, out, outsz)) {
		out[0] = '\0';
		return false;
	}
	return true;
}

/* The integer member key of e's data, or dflt. */
long long journal_data_int(const journal_event *e, const char *key, long long dflt)
{
	if (e->data) {
		const json_t *v = json_object_get(e->data, key);
		return json_is_integer(v) ? (long long)json_integer_value(v) : dflt;
	}
	const char *v = e->raw ? member(e->raw, e->raw_len, key) : NULL;
	if (!v || !((*v >= '0' && *v <= '9') || *v == '-'))
		return dflt;
	char num[24];
	size_t n = 0;
	while (n + 1 < sizeof num && v + n < e->raw + e->raw_len &&
	       ((v[n] >= '0' && v[n] <= '9') || (n == 0 && v[n] == '-')))
		n++;
	memcpy(num, v, n);
	num[n] = '\0';
	return strtoll(num, NULL, 10);
}

/* Whether the member key of e's data is true. */
bool journal_data_true(const journal_event *e, const char *key)
{
	if (e->data)
		return json_is_true(json_object_get(e->data, key));
	const char *v = e->raw ? member(e->raw, e->raw_len, key) : NULL;
	return v && e->raw + e->raw_len - v >= 4 && memcmp(v, "true", 4) == 0;
}

/* e's data as a JSON object (a new reference), or NULL. */
json_t *journal_data_json(const journal_event *e)
{
	if (e->data)
		return json_incref((json_t *)e->data);
	return e->raw ? json_loadb(e->raw, e->raw_len, 0, NULL) : NULL;
}

/* Past lit at *p; false when the text there is not lit. */
static bool lit(const char **p, const char *end, const char *lit_text)
{
	size_t n = strlen(lit_text);
	if ((size_t)(end - *p) < n || memcmp(*p, lit_text, n) != 0)
		return false;
	*p += n;
	return true;
}

/* A plain string (no escapes) up to its closing quote into buf; false when it does not fit. */
static bool plain(const char **p, const char *end, char *buf, size_t sz)
{
	const char *s = *p;
	while (*p < end && **p != '"' && **p != '\\' && (unsigned char)**p >= 0x20)
		(*p)++;
	if (*p >= end || **p != '"' || (size_t)(*p - s) >= sz)
		return false;
	memcpy(buf, s, (size_t)(*p - s));
	buf[*p - s] = '\0';
	(*p)++;
	return true;
}

/* The journal's own line form, read without a JSON tree; false when the line is another form. */
static bool fast_line(const char *line, size_t len, journal_event *e)
{
	const char *p = line, *end = line + len;
	char when[40];
	if (!lit(&p, end, "{\"n\":") || p >= end || *p < '1' || *p > '9')
		return false;
	uint64_t n = 0;
	for (int digits = 0; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
		if (digits >= 18)
			return false;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	if (!lit(&p, end, ",\"time\":\"") || !plain(&p, end, when, sizeof when) ||
	    !journal_time_parse(when, &e->at_ms) || !lit(&p, end, ",\"type\":\"") ||
	    !plain(&p, end, e->type_buf, sizeof e->type_buf) || !lit(&p, end, ",\"by\":\"") ||
	    !plain(&p, end, e->by_buf, sizeof e->by_buf) || !lit(&p, end, ",\"data\":") ||
	    p >= end || *p != '{')
		return false;
	const char *q = skip_value(p, end, 1);
	if (!q || q != end - 1 || *q != '}')
		return false;
	e->n = n;
	e->type = e->type_buf;
	e->by = e->by_buf;
	e->data = NULL;
	e->raw = p;
	e->raw_len = (size_t)(q - p);
	return true;
}

/* Read one line (without its newline) into e; false for anything but a whole event. */
bool journal_parse_line(const char *line, size_t len, journal_event *e, json_t **root)
{
	*root = NULL;
	memset(e, 0, sizeof *e);
	if (fast_line(line, len, e))
		return true;
	json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
	if (!o)
		return false;
	json_t *n = json_object_get(o, "n"), *t = json_object_get(o, "time"),
	       *ty = json_object_get(o, "type"), *by = json_object_get(o, "by"),
	       *d = json_object_get(o, "data");
	int64_t ms;
	if (!json_is_object(o) || !json_is_integer(n) || json_integer_value(n) < 1 ||
	    !json_is_string(ty) || !json_is_string(by) || !json_is_object(d) ||
	    !journal_time_parse(json_string_value(t), &ms)) {
		json_decref(o);
		return false;
	}
	e->n = (uint64_t)json_integer_value(n);
	e->at_ms = ms;
	e->type = json_string_value(ty);
	e->by = json_string_value(by);
	e->data = d;
	*root = o;
	return true;
}

/* Open what is not open yet: the folder and the append descriptor (writer), the reader. */
static void journal_open_fds(journal *j)
{
	if (j->writer && j->fd < 0) {
		if (journal_mkdirs(j->dir, 0700) != 0) {
			snprintf(j->err, sizeof j->err, "%s (making %.400s)", strerror(errno),
				 j->dir);
			return;
		}
		j->fd = open(j->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		if (j->fd < 0) {
			snprintf(j->err, sizeof j->err, "%s (opening %.400s)", strerror(errno),
				 j->path);
			return;
		}
		/* Ended mid-line (a power cut, a failed write): the next event starts afresh. The
		 * last byte is read with the reader's descriptor (pread leaves its offset). */
		if (j->rfd < 0)
			j->rfd = open(j->path, O_RDONLY | O_CLOEXEC);
		struct stat st;
		char c;
		if (j->rfd >= 0 && fstat(j->fd, &st) == 0 && st.st_size > 0 &&
		    pread(j->rfd, &c, 1, st.st_size - 1) == 1 && c != '\n')
			j->tail_open = true;
	}
	if (j->rfd < 0)
		j->rfd = open(j->path, O_RDONLY | O_CLOEXEC);
}

/* The journal of folder dir; never NULL but out of memory. */
journal *journal_new(const char *dir, bool writer)
{
	journal *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	common_strlcpy(j->dir, dir, sizeof j->dir);
	snprintf(j->path, sizeof j->path, "%s/%s", j->dir, JOURNAL_FILE);
	j->writer = writer;
	j->fd = -1;
	j->rfd = -1;
	/* Past a file size limit, write() fails with EFBIG instead of the signal ending us. */
	if (writer)
		signal(SIGXFSZ, SIG_IGN);
	journal_open_fds(j);
	return j;
}

void journal_free(journal *j)
{
	if (!j)
		return;
	if (j->fd >= 0)
		close(j->fd);
	if (j->rfd >= 0)
		close(j->rfd);
	free(j->pend);
	free(j);
}

/* One whole line read: an event for fn unless garbage or already read. */
static int journal_line(journal *j, const char *line, size_t len, journal_fn fn, void *ctx)
{
	if (len == 0)
		return 0;
	journal_event e;
	json_t *root;
	if (!journal_parse_line(line, len, &e, &root)) {
		j->skipped++;
		log_msg(
		    "journal %s: a line of %zu bytes is not an event (torn or damaged): skipped",
		    j->path, len);
		return 0;
	}
	int got = 0;
	if (e.n > j->last_n) {
		j->last_n = e.n;
		if (fn)
			fn(&e, ctx);
		got = 1;
	}
	if (root)
		json_decref(root);
	return got;
}

/* Read the lines that arrived since the last read (see hsr/journal.h). */
int journal_read(journal *j, bool final, journal_fn fn, void *ctx)
{
	journal_open_fds(j);
	if (j->rfd < 0)
		return 0;
	int got = 0;
	char buf[65536];
	for (;;) {
		ssize_t r = read(j->rfd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		size_t start = 0;
		for (size_t i = 0; i < (size_t)r; i++) {
			if (buf[i] != '\n')
				continue;
			if (j->pend_len) {
				char *p = realloc(j->pend, j->pend_len + (i - start) + 1);
				if (!p)
					return got;
				memcpy(p + j->pend_len, buf + start, i - start);
				j->pend = p;
				got += journal_line(j, p, j->pend_len + (i - start), fn, ctx);
				j->pend_len = 0;
			} else {
				got += journal_line(j, buf + start, i - start, fn, ctx);
			}
			start = i + 1;
		}
		if (start < (size_t)r) {
			char *p = realloc(j->pend, j->pend_len + ((size_t)r - start) + 1);
			if (!p)
				return got;
			memcpy(p + j->pend_len, buf + start, (size_t)r - start);
			j->pend = p;
			j->pend_len += (size_t)r - start;
		}
	}
	if (final && j->pend_len) {
		j->skipped++;
		log_msg("journal %s: the last line (%zu bytes) was never finished (torn): skipped",
			j->path, j->pend_len);
		j->pend_len = 0;
	}
	return got;
}

int journal_skipped(const journal *j)
{
	return j->skipped;
}

uint64_t journal_next_n(const journal *j)
{
	return j->last_n + 1;
}

const char *journal_error(const journal *j)
{
	return j->err;
}

/* Write all of buf; false with errno when it could not (some of it may be written). */
static bool write_all(int fd, const char *buf, size_t len, size_t *done)
{
	*done = 0;
	while (*done < len) {
		ssize_t w = write(fd, buf + *done, len - *done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = ENOSPC;
			return false;
		}
		*done += (size_t)w;
	}
	return true;
}

/* Append one event and fdatasync it: 0 when kept, -1 with journal_error saying why. */
int journal_append(journal *j, int64_t at_ms, const char *type, const char *by, const json_t *data)
{
	j->err[0] = '\0';
	journal_open_fds(j);
	if (j->fd < 0)
		return -1;
	size_t done;
	if (j->tail_open) {
		if (!write_all(j->fd, "\n", 1, &done)) {
			snprintf(j->err, sizeof j->err, "%s (writing %.400s)", strerror(errno),
				 j->path);
			return -1;
		}
		j->tail_open = false;
	}
	uint64_t n = j->last_n + 1;
	char *line = journal_format_line(n, at_ms, type, by, data);
	if (!line) {
		snprintf(j->err, sizeof j->err, "out of memory");
		return -1;
	}
	size_t len = strlen(line);
	bool ok = write_all(j->fd, line, len, &done);
	int e = errno;
	free(line);
	if (!ok) {
		/* A part of the line may be in the file: end it before the next event. */
		if (done > 0)
			j->tail_open = true;
		snprintf(j->err, sizeof j->err, "%s (writing %.400s)", strerror(e), j->path);
		return -1;
	}
	/* Not synced: the next try writes it again under the same n, which a reader takes
	 * once (it skips numbers it has read). */
	if (fdatasync(j->fd) != 0) {
		snprintf(j->err, sizeof j->err, "%s (syncing %.400s)", strerror(errno), j->path);
		return -1;
	}
	j->last_n = n;
	return 0;
}
