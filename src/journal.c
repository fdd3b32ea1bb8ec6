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

/* Read one line (without its newline) into e; false for anything but a whole event. */
bool journal_parse_line(const char *line, size_t len, journal_event *e, json_t **root)
{
	*root = NULL;
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
		/* Ended mid-line (a power cut, a failed write): the next event starts afresh. */
		struct stat st;
		if (fstat(j->fd, &st) == 0 && st.st_size > 0) {
			int r = open(j->path, O_RDONLY | O_CLOEXEC);
			char c = '\n';
			if (r >= 0) {
				if (pread(r, &c, 1, st.st_size - 1) != 1)
					c = '\n';
				close(r);
			}
			if (c != '\n')
				j->tail_open = true;
		}
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

const char *journal_dir(const journal *j)
{
	return j->dir;
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
