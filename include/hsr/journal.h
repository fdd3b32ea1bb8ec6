/*
 * The incident journal: an append-only journal.jsonl in the incident's folder, one JSON object
 * a line ({"n", "time", "type", "by", "data"}), each written and fdatasync'ed before it counts
 * as kept. A write that fails (permissions, full disk, file size limit) never stops anything:
 * the journal says why in journal_error and the caller tries again at its next event; nothing
 * already written is truncated, and a partly written line is ended by a newline before the next
 * one. Reading skips a torn or garbage line with a warning, and lines already read (by n).
 */
#ifndef HSR_JOURNAL_H
#define HSR_JOURNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JOURNAL_FILE "journal.jsonl"

/*
 * One event (pointers valid during the callback only). Its data is either parsed (data) or,
 * as the journal's own lines are read (fast: no JSON tree for each of 100,000 lines), the
 * object's raw text (raw, raw_len); read it with the journal_data_* getters, which take both.
 */
typedef struct {
	uint64_t n;	    /* its number in the journal: 1, 2, 3 ... */
	int64_t at_ms;	    /* UTC, milliseconds */
	const char *type;   /* "ack", "note", "probe", ... */
	const char *by;	    /* "operator", "probe", "diagnosis" */
	const json_t *data; /* an object, or NULL when raw holds it */
	const char *raw;    /* the data object's JSON text when data is NULL */
	size_t raw_len;
	char type_buf[32], by_buf[16]; /* what type and by point at when read fast */
} journal_event;

/* The string member key of e's data into out (UTF-8); false (out "") when it is not a string. */
bool journal_data_str(const journal_event *e, const char *key, char *out, size_t outsz);
/* The integer member key of e's data, or dflt. */
long long journal_data_int(const journal_event *e, const char *key, long long dflt);
/* Whether the member key of e's data is true. */
bool journal_data_true(const journal_event *e, const char *key);
/* e's data as a JSON object (a new reference: json_decref it), or NULL. */
json_t *journal_data_json(const journal_event *e);

typedef struct journal journal;

/* Called for every event read, in order. */
typedef void (*journal_fn)(const journal_event *e, void *ctx);

/*
 * The journal of folder dir (created 0700 with its parents when writer). A writer opens
 * dir/journal.jsonl to append (created 0600); a reader only reads. Never NULL but out of
 * memory: a folder that cannot be made or a file that cannot be opened is an error that
 * journal_error says and the next append tries again.
 */
journal *journal_new(const char *dir, bool writer);
void journal_free(journal *j);
/*
 * Read the lines that arrived since the last read, calling fn for each new event (n above the
 * last one read). A last line without its newline waits for more unless final (then it is
 * torn: skipped, counted, logged). Returns how many events fn got.
 */
int journal_read(journal *j, bool final, journal_fn fn, void *ctx);
/* Lines skipped so far as torn or garbage. */
int journal_skipped(const journal *j);
/* The number the next appended event gets (one above the last read or written). */
uint64_t journal_next_n(const journal *j);
/*
 * Append one event (number journal_next_n) and fdatasync it. 0 when kept; -1 when not, with
 * the reason in journal_error. data may be NULL (an empty object).
 */
int journal_append(journal *j, int64_t at_ms, const char *type, const char *by, const json_t *data);
/* Why the last append (or opening) failed, one line; "" when the last one was kept. */
const char *journal_error(const journal *j);

/* Pure: the line (with its newline) for an event; NULL when out of memory. The caller frees. */
char *journal_format_line(uint64_t n, int64_t at_ms, const char *type, const char *by,
			  const json_t *data);
/*
 * Pure: read one line (without its newline) into e, which may point into line; *root holds
 * the parsed object the event points into when one was needed (json_decref it after; NULL
 * when not). false for anything that is not a whole event.
 */
bool journal_parse_line(const char *line, size_t len, journal_event *e, json_t **root);
/* Pure: "2026-03-10T14:05:00.123Z" for ms since the epoch. */
void journal_time_format(char *out, size_t outsz, int64_t ms);
/* Pure: the reverse ("…Z", milliseconds optional); false when it is not such a time. */
bool journal_time_parse(const char *s, int64_t *ms);
/* mkdir -p with mode for the folders made; 0, or -1 with errno set. */
int journal_mkdirs(const char *path, unsigned mode);

#endif
