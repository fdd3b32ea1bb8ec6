/*
 * Unit tests of the incident journal: lines and times, append and replay, torn and garbage
 * lines, numbers read twice, a state dir that cannot be written, a full disk (RLIMIT_FSIZE in a
 * forked child), and the writer's lock with a follower (incident_feed) that re-reads as it grows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hsr/config.h"
#include "hsr/incident.h"
#include "hsr/incident_feed.h"
#include "hsr/journal.h"

/* 2026-03-10 14:05:00.123 UTC. */
#define T0 1773151500123LL

/* A fresh scratch folder under TMPDIR; the caller removes it (incident_feed_remove_tree). */
static void scratch(char *out, size_t sz)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(out, sz, "%s/hsr-journal-test.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	assert_non_null(mkdtemp(out));
}

/* Read a whole file into a new string. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strdup(buf);
}

/* Append raw bytes to a file. */
static void append_raw(const char *path, const char *bytes)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bytes, strlen(bytes)), (ssize_t)strlen(bytes));
	close(fd);
}

/* What the replay callback saw. */
typedef struct {
	int n;
	uint64_t nums[64];
	char types[64][24];
	char notes[64][64];
} seen;

/* Collect each event replayed. */
static void collect(const journal_event *e, void *ctx)
{
	seen *s = ctx;
	if (s->n >= 64)
		return;
	s->nums[s->n] = e->n;
	snprintf(s->types[s->n], sizeof s->types[0], "%s", e->type);
	journal_data_str(e, "text", s->notes[s->n], sizeof s->notes[0]);
	s->n++;
}

/* The time format round-trips with milliseconds, and ugly times are refused. */
static void test_journal_time(void **state)
{
	(void)state;
	char buf[40];
	journal_time_format(buf, sizeof buf, T0);
	assert_string_equal(buf, "2026-03-10T14:05:00.123Z");
	int64_t ms;
	assert_true(journal_time_parse(buf, &ms));
	assert_int_equal(ms, T0);
	assert_true(journal_time_parse("2026-03-10T14:05:00Z", &ms));
	assert_int_equal(ms, T0 - 123);
	assert_true(journal_time_parse("2026-03-10T14:05:00.5Z", &ms));
	assert_int_equal(ms, T0 - 123 + 500);
	assert_false(journal_time_parse("2026-03-10 14:05:00Z", &ms));
	assert_false(journal_time_parse("2026-03-10T14:05:00", &ms));
	assert_false(journal_time_parse("2026-13-10T14:05:00Z", &ms));
	assert_false(journal_time_parse("2026-03-10T14:05:00.Z", &ms));
	assert_false(journal_time_parse("", &ms));
	assert_false(journal_time_parse(NULL, &ms));
}

/* One line is one JSON object with n, time, type, by and data; it parses back. */
static void test_journal_line_round_trip(void **state)
{
	(void)state;
	json_t *d = json_pack("{s:s}", "text", "line one\nline \"two\" \xc3\xa9");
	char *line = journal_format_line(7, T0, "note", "operator", d);
	json_decref(d);
	assert_non_null(line);
	size_t len = strlen(line);
	assert_true(len > 0 && line[len - 1] == '\n');
	assert_null(memchr(line, '\n', len - 1)); /* one line: the newline in the text escaped */
	assert_non_null(strstr(line, "\"time\":\"2026-03-10T14:05:00.123Z\""));
	journal_event e;
	json_t *root;
	assert_true(journal_parse_line(line, len - 1, &e, &root));
	assert_int_equal(e.n, 7);
	assert_int_equal(e.at_ms, T0);
	assert_string_equal(e.type, "note");
	assert_string_equal(e.by, "operator");
	char text[64];
	assert_true(journal_data_str(&e, "text", text, sizeof text));
	assert_string_equal(text, "line one\nline \"two\" \xc3\xa9");
	assert_null(root); /* the journal's own form: read without a JSON tree */
	free(line);
	/* Not events: garbage, half a line, a line without data or with a bad time. */
	static const char *const bad[] = {
	    "garbage",
	    "{\"n\":1,\"time\":\"2026-03-10T14:05:00.123Z\",\"type\":\"no",
	    "{\"n\":1,\"time\":\"2026-03-10T14:05:00.123Z\",\"type\":\"note\",\"by\":\"x\"}",
	    "{\"n\":1,\"time\":\"yesterday\",\"type\":\"note\",\"by\":\"x\",\"data\":{}}",
	    "{\"n\":0,\"time\":\"2026-03-10T14:05:00.123Z\",\"type\":\"note\",\"by\":\"x\","
	    "\"data\":{}}",
	    "[1,2,3]",
	    "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (journal_parse_line(bad[i], strlen(bad[i]), &e, &root))
			fail_msg("parsed as an event: %s", bad[i]);
		assert_null(root);
	}
}

/* Lines in another form (keys reordered, blanks) are read too; escapes, arrays and numbers in
 * the data read back the same by both ways; a right start with broken data is not an event. */
static void test_journal_line_forms(void **state)
{
	(void)state;
	static const char *const same[] = {
	    /* the journal's own form: read fast */
	    "{\"n\":3,\"time\":\"2026-03-10T14:05:00.123Z\",\"type\":\"command\",\"by\":"
	    "\"operator\",\"data\":{\"line\":\"echo \\\"hi\\\" \\u00e9 \\ud83d\\ude00\","
	    "\"duration_ms\":1500,\"ok\":true,\"output\":[\"a\",\"b]\"],\"x\":{\"y\":[1,{}]}}}",
	    /* the same event as another writer might put it */
	    "{ \"type\": \"command\", \"n\": 3, \"by\": \"operator\", \"time\": "
	    "\"2026-03-10T14:05:00.123Z\", \"data\": { \"x\": {\"y\": [1, {}]}, \"ok\": true, "
	    "\"output\": [\"a\", \"b]\"], \"duration_ms\": 1500, \"line\": \"echo \\\"hi\\\" "
	    "\\u00e9 \\ud83d\\ude00\" } }",
	};
	for (size_t i = 0; i < 2; i++) {
		journal_event e;
		json_t *root;
		assert_true(journal_parse_line(same[i], strlen(same[i]), &e, &root));
		assert_true(i == 0 ? root == NULL : root != NULL);
		assert_int_equal(e.n, 3);
		assert_int_equal(e.at_ms, T0);
		assert_string_equal(e.type, "command");
		char line[64];
		assert_true(journal_data_str(&e, "line", line, sizeof line));
		assert_string_equal(line, "echo \"hi\" \xc3\xa9 \xf0\x9f\x98\x80");
		assert_int_equal(journal_data_int(&e, "duration_ms", -1), 1500);
		assert_int_equal(journal_data_int(&e, "missing", -1), -1);
		assert_true(journal_data_true(&e, "ok"));
		assert_false(journal_data_true(&e, "line"));
		assert_false(journal_data_str(&e, "duration_ms", line, sizeof line));
		assert_string_equal(line, "");
		json_t *d = journal_data_json(&e);
		assert_int_equal(json_array_size(json_object_get(d, "output")), 2);
		assert_string_equal(
		    json_string_value(json_array_get(json_object_get(d, "output"), 1)), "b]");
		json_decref(d);
		if (root)
			json_decref(root);
	}
	static const char *const broken[] = {
	    "{\"n\":1,\"time\":\"2026-03-10T14:05:00.123Z\",\"type\":\"note\",\"by\":\"x\","
	    "\"data\":{\"a\":}}",
	    "{\"n\":1,\"time\":\"2026-03-10T14:05:00.123Z\",\"type\":\"note\",\"by\":\"x\","
	    "\"data\":{\"a\":\"b\"}",
	    "{\"n\":1,\"time\":\"2026-03-10T14:05:00.123Z\",\"type\":\"note\",\"by\":\"x\","
	    "\"data\":{\"a\":\"b}}",
	    "{\"n\":01,\"time\":\"2026-03-10T14:05:00.123Z\",\"type\":\"note\",\"by\":\"x\","
	    "\"data\":{}}",
	};
	for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
		journal_event e;
		json_t *root;
		if (journal_parse_line(broken[i], strlen(broken[i]), &e, &root))
			fail_msg("read as an event: %s", broken[i]);
	}
}

/* Appended events come back in order with their numbers; a new writer numbers on. */
static void test_journal_append_replay(void **state)
{
	(void)state;
	char dir[256], sub[300];
	scratch(dir, sizeof dir);
	snprintf(sub, sizeof sub, "%s/a/b", dir);
	journal *j = journal_new(sub, true);
	assert_non_null(j);
	assert_string_equal(journal_error(j), "");
	for (int i = 0; i < 5; i++) {
		char t[24];
		snprintf(t, sizeof t, "note %d", i);
		json_t *d = json_pack("{s:s}", "text", t);
		assert_int_equal(journal_append(j, T0 + i, "note", "operator", d), 0);
		json_decref(d);
	}
	journal_free(j);
	struct stat st;
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	j = journal_new(sub, true);
	seen s = {0};
	assert_int_equal(journal_read(j, true, collect, &s), 5);
	assert_int_equal(s.n, 5);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(s.nums[i], (uint64_t)i + 1);
		char t[24];
		snprintf(t, sizeof t, "note %d", i);
		assert_string_equal(s.notes[i], t);
	}
	assert_int_equal(journal_next_n(j), 6);
	assert_int_equal(journal_append(j, T0 + 9, "ack", "operator", NULL), 0);
	journal_free(j);
	j = journal_new(sub, false);
	memset(&s, 0, sizeof s);
	assert_int_equal(journal_read(j, true, collect, &s), 6);
	assert_string_equal(s.types[5], "ack");
	assert_int_equal(s.nums[5], 6);
	assert_int_equal(journal_skipped(j), 0);
	journal_free(j);
	incident_feed_remove_tree(dir);
}

/* A torn last line (power cut mid-write) and garbage lines are skipped, counted, never fatal;
 * the next append starts on a line of its own, and numbers already read are taken once. */
static void test_journal_torn_and_garbage(void **state)
{
	(void)state;
	char dir[256], path[320];
	scratch(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/%s", dir, JOURNAL_FILE);
	journal *j = journal_new(dir, true);
	json_t *d = json_pack("{s:s}", "text", "first");
	assert_int_equal(journal_append(j, T0, "note", "operator", d), 0);
	json_decref(d);
	journal_free(j);
	append_raw(path, "this is not json\n\n");
	/* The same event twice (a retry after a failed sync), then a torn one. */
	char *again = journal_format_line(1, T0, "note", "operator", NULL);
	append_raw(path, again);
	free(again);
	append_raw(path, "{\"n\":2,\"time\":\"2026-03-10T14:05:01.000Z\",\"type\":\"no");

	j = journal_new(dir, true);
	seen s = {0};
	assert_int_equal(journal_read(j, true, collect, &s), 1);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.notes[0], "first");
	assert_int_equal(journal_skipped(j), 2); /* the garbage line and the torn one */
	d = json_pack("{s:s}", "text", "after the tear");
	assert_int_equal(journal_append(j, T0 + 5000, "note", "operator", d), 0);
	json_decref(d);
	journal_free(j);

	char *text = slurp(path);
	/* Nothing written before was changed: the file starts as it did. */
	assert_non_null(strstr(text, "this is not json\n"));
	assert_non_null(strstr(text, "\"type\":\"no\n{\"n\":2,")); /* the tear ended, then n 2 */
	free(text);
	j = journal_new(dir, false);
	memset(&s, 0, sizeof s);
	assert_int_equal(journal_read(j, true, collect, &s), 2);
	assert_string_equal(s.notes[1], "after the tear");
	assert_int_equal(s.nums[1], 2);
	journal_free(j);
	incident_feed_remove_tree(dir);
}

/* A reader that is not final waits for the rest of a line being written. */
static void test_journal_reader_waits_for_the_newline(void **state)
{
	(void)state;
	char dir[256], path[320];
	scratch(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/%s", dir, JOURNAL_FILE);
	char *line = journal_format_line(1, T0, "note", "operator", NULL);
	size_t half = strlen(line) / 2;
	char first[512];
	snprintf(first, sizeof first, "%.*s", (int)half, line);
	append_raw(path, first);
	journal *r = journal_new(dir, false);
	seen s = {0};
	assert_int_equal(journal_read(r, false, collect, &s), 0);
	append_raw(path, line + half);
	assert_int_equal(journal_read(r, false, collect, &s), 1);
	assert_int_equal(journal_skipped(r), 0);
	assert_string_equal(s.types[0], "note");
	journal_free(r);
	free(line);
	incident_feed_remove_tree(dir);
}

/* Put a plain file where a folder should be (a state dir that cannot be written, even by root). */
static void block(const char *path)
{
	append_raw(path, "in the way\n");
}

/* Take it away again. */
static void unblock(const char *path)
{
	assert_int_equal(unlink(path), 0);
}

/* A folder that cannot be made: an error that says so, then the append works once it can. */
static void test_journal_not_writable(void **state)
{
	(void)state;
	char dir[256], sub[320], blocker[300];
	scratch(dir, sizeof dir);
	snprintf(blocker, sizeof blocker, "%s/blocked", dir);
	block(blocker);
	snprintf(sub, sizeof sub, "%s/inc", blocker);
	journal *j = journal_new(sub, true);
	assert_non_null(j);
	assert_non_null(strstr(journal_error(j), "Not a directory"));
	assert_int_equal(journal_append(j, T0, "note", "operator", NULL), -1);
	assert_non_null(strstr(journal_error(j), "(making "));
	unblock(blocker);
	assert_int_equal(journal_append(j, T0, "note", "operator", NULL), 0);
	assert_string_equal(journal_error(j), "");
	journal_free(j);
	incident_feed_remove_tree(dir);
}

/*
 * A full disk: in a child under RLIMIT_FSIZE, appends fail with "File too large" (SIGXFSZ is
 * ignored), the first event stays whole, the line cut by the limit is ended before the next
 * event, and once the limit is lifted the journal goes on: a reader finds every kept event.
 */
static void test_journal_file_size_limit(void **state)
{
	(void)state;
	char dir[256], path[320];
	scratch(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/%s", dir, JOURNAL_FILE);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		journal *j = journal_new(dir, true);
		json_t *d = json_pack("{s:s}", "text", "kept before the limit");
		if (journal_append(j, T0, "note", "operator", d) != 0)
			_exit(10);
		struct stat st;
		stat(path, &st);
		struct rlimit rl = {.rlim_cur = (rlim_t)st.st_size + 40, .rlim_max = RLIM_INFINITY};
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(11);
		json_t *big = json_pack("{s:s}", "text",
					"a note long enough to pass the limit in the middle");
		if (journal_append(j, T0 + 1, "note", "operator", big) != -1)
			_exit(12);
		if (!strstr(journal_error(j), "File too large"))
			_exit(13);
		rl.rlim_cur = RLIM_INFINITY;
		setrlimit(RLIMIT_FSIZE, &rl);
		if (journal_append(j, T0 + 2, "note", "operator", big) != 0)
			_exit(14);
		json_decref(d);
		json_decref(big);
		journal_free(j);
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	journal *r = journal_new(dir, false);
	seen s = {0};
	assert_int_equal(journal_read(r, true, collect, &s), 2);
	assert_string_equal(s.notes[0], "kept before the limit");
	assert_int_equal(s.nums[1], 2);
	assert_int_equal(journal_skipped(r), 1); /* the line the limit cut */
	journal_free(r);
	incident_feed_remove_tree(dir);
}

/* A config whose state dir is dir. */
static void config_at(config *c, const char *dir)
{
	config_defaults(c);
	snprintf(c->state_dir, sizeof c->state_dir, "%s", dir);
}

/*
 * One writer: a second feed on the same state dir follows read-only, refuses to record, reads
 * the writer's events as they come, and takes over (writing) once the writer has gone.
 */
static void test_journal_lock_and_follower(void **state)
{
	(void)state;
	char dir[256], why[200];
	scratch(dir, sizeof dir);
	config c;
	config_at(&c, dir);
	incident_feed *w = incident_feed_open(&c, NULL, T0);
	assert_non_null(w);
	assert_false(incident_feed_following(w));
	json_t *d = json_pack("{s:s, s:s}", "owner", "alice", "severity", "P2");
	assert_true(incident_feed_move(w, NULL, "open", d, T0, why, sizeof why));
	json_decref(d);
	assert_string_equal(incident_feed_error(w), "");
	assert_true(incident_feed_dir(w)[0] != '\0');

	incident_feed *f = incident_feed_open(&c, NULL, T0 + 10);
	assert_true(incident_feed_following(f));
	const incident *fi = incident_feed_incident(f);
	assert_non_null(fi);
	assert_int_equal(fi->state, INC_ACK);
	assert_string_equal(fi->owner, "alice");
	d = json_pack("{s:s}", "text", "from the follower");
	assert_false(incident_feed_move(f, NULL, "note", d, T0 + 20, why, sizeof why));
	assert_non_null(strstr(why, "read-only"));
	assert_int_equal(incident_feed_record(f, "note", "operator", d, T0 + 20), -1);
	json_decref(d);
	assert_true(incident_feed_poll_ms(f, T0 + 20) > 0);

	d = json_pack("{s:s}", "text", "from the writer");
	assert_int_equal(incident_feed_record(w, "note", "operator", d, T0 + 30), 0);
	json_decref(d);
	assert_true(incident_feed_frame(f, NULL, NULL, T0 + 30 + INCIDENT_FEED_FOLLOW_MS));
	fi = incident_feed_incident(f);
	assert_int_equal(fi->n_ev, 2);
	assert_string_equal(fi->ev[1].text, "note: from the writer");
	assert_true(incident_feed_following(f));

	/* The writer goes; the follower takes the lock at its next look and writes. */
	incident_feed_free(w);
	incident_feed_frame(f, NULL, NULL, T0 + 40 + 2 * INCIDENT_FEED_FOLLOW_MS);
	assert_false(incident_feed_following(f));
	d = json_pack("{s:s}", "text", "after the take-over");
	assert_int_equal(incident_feed_record(f, "note", "operator", d, T0 + 50), 0);
	json_decref(d);
	fi = incident_feed_incident(f);
	assert_int_equal(fi->n_ev, 3);
	assert_int_equal(fi->ev[2].n, 3); /* numbered on from the writer's */
	incident_feed_free(f);

	incident *list;
	int n = incident_feed_list(dir, &list);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].n_ev, 3);
	assert_int_equal(list[0].n_notes, 2);
	incident_feed_list_free(list, n);
	incident_feed_remove_tree(dir);
}

/* A state dir that cannot be written: events apply (shown as not kept) with the reason, and
 * are all written, in order, at the next event after it can be. */
static void test_journal_feed_retries(void **state)
{
	(void)state;
	char dir[256], why[200], inc_root[320];
	scratch(dir, sizeof dir);
	snprintf(inc_root, sizeof inc_root, "%s/%s", dir, INCIDENT_FEED_SUBDIR);
	block(inc_root);
	config c;
	config_at(&c, dir);
	incident_feed *w = incident_feed_open(&c, NULL, T0);
	assert_non_null(strstr(incident_feed_error(w), "(making "));
	json_t *d = json_pack("{s:s, s:s}", "owner", "bob", "severity", "P3");
	assert_true(incident_feed_move(w, NULL, "open", d, T0, why, sizeof why));
	json_decref(d);
	assert_non_null(strstr(incident_feed_error(w), "Not a directory"));
	assert_int_equal(incident_feed_unkept(w), 1);
	const incident *inc = incident_feed_incident(w);
	assert_int_equal(inc->state, INC_ACK);
	assert_false(inc->ev[0].kept);
	unblock(inc_root);
	d = json_pack("{s:s}", "text", "disk back");
	assert_int_equal(incident_feed_record(w, "note", "operator", d, T0 + 1000), 0);
	json_decref(d);
	assert_string_equal(incident_feed_error(w), "");
	assert_int_equal(incident_feed_unkept(w), 0);
	assert_true(inc->ev[0].kept && inc->ev[1].kept);
	assert_int_equal(inc->ev[0].n, 1);
	assert_int_equal(inc->ev[1].n, 2);
	/* The states the late event reached now name it (a time-fix of #1 moves them). */
	assert_int_equal(inc->at_n[INC_ALERT], 1);
	assert_int_equal(inc->at_n[INC_ACK], 1);
	incident_feed_free(w);
	incident *list;
	int n = incident_feed_list(dir, &list);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].n_ev, 2);
	assert_string_equal(list[0].owner, "bob");
	incident_feed_list_free(list, n);
	incident_feed_remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_journal_time),
	    cmocka_unit_test(test_journal_line_round_trip),
	    cmocka_unit_test(test_journal_line_forms),
	    cmocka_unit_test(test_journal_append_replay),
	    cmocka_unit_test(test_journal_torn_and_garbage),
	    cmocka_unit_test(test_journal_reader_waits_for_the_newline),
	    cmocka_unit_test(test_journal_not_writable),
	    cmocka_unit_test(test_journal_file_size_limit),
	    cmocka_unit_test(test_journal_lock_and_follower),
	    cmocka_unit_test(test_journal_feed_retries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
