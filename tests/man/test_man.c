/*
 * The man page against the tables the program runs on: every command and option of the command
 * table, every key of the dashboard's key table, every setting and every exit code must have an
 * entry in hsrunbook.1 (HSR_MAN names another file). The tables are read from libhsr.a itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../screens/screens.h"
#include "hsr/cmd.h"
#include "hsr/config.h"
#include "hsr/exitcode.h"
#include "hsr/runbook.h"
#include "hsr/sim.h"

#define MAX_ENTRIES 400

/* One tagged paragraph (.TP) of the page: where it is, its tag and its first body line. */
typedef struct {
	char section[48]; /* .SH, as written: "OPTIONS" */
	char sub[80];	  /* .SS, lower case: "options of the dashboard and triage" */
	char tag[160];	  /* the text as printed: "--status-url URL" */
	char body[200];	  /* the first line after the tag, as printed */
} man_entry;

typedef struct {
	man_entry e[MAX_ENTRIES];
	int n;
	char scenarios[4096]; /* the text of the SCENARIOS section */
} man_page;

/* The text of a roff line as printed: font escapes dropped, \- and \e turned into - and \. */
static void deroff(const char *in, char *out, size_t outsz)
{
	size_t o = 0;
	for (const char *p = in; *p && o + 1 < outsz; p++) {
		if (*p != '\\') {
			out[o++] = *p;
			continue;
		}
		p++;
		if (*p == 'f') /* \fB \fI \fR \fP */
			p++;
		else if (*p == '-')
			out[o++] = '-';
		else if (*p == 'e')
			out[o++] = '\\';
		else if (*p == ' ')
			out[o++] = ' ';
		else if (*p == '(') /* \(em and other two-letter glyphs */
			p += 2;
		else if (!*p)
			break;
	}
	out[o] = '\0';
}

/* The printed text of a macro line such as `.BR \-h ", " \-\-help`, or of a text line. */
static void macro_text(const char *line, char *out, size_t outsz)
{
	char raw[512] = "";
	if (line[0] != '.') {
		deroff(line, out, outsz);
		return;
	}
	const char *p = line + 1;
	size_t namelen = strcspn(p, " ");
	/* .BR, .BI, .RB ... alternate fonts with no space between; the others join with spaces. */
	bool alternating = namelen == 2 && strchr("BIR", p[0]) && strchr("BIR", p[1]);
	p += namelen;
	size_t o = 0;
	for (bool first = true; *p; first = false) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (!first && !alternating && o + 1 < sizeof raw)
			raw[o++] = ' ';
		char end = *p == '"' ? '"' : ' ';
		if (end == '"')
			p++;
		while (*p && *p != end && o + 1 < sizeof raw)
			raw[o++] = *p++;
		if (*p == '"')
			p++;
	}
	raw[o] = '\0';
	deroff(raw, out, outsz);
}

/* Lower-case s in place. */
static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Read the page's tagged paragraphs and its scenario text from text. */
static void man_parse(const char *text, man_page *m)
{
	memset(m, 0, sizeof *m);
	char section[48] = "", sub[80] = "", line[512];
	int want = 0; /* 1: the next line is a tag, 2: it is the body's first line */
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		snprintf(line, sizeof line, "%.*s", (int)len, p);
		p += len + (p[len] == '\n');
		if (strncmp(line, ".\\\"", 3) == 0)
			continue; /* a comment */
		if (strncmp(line, ".SH ", 4) == 0) {
			macro_text(line, section, sizeof section);
			sub[0] = '\0';
			want = 0;
		} else if (strncmp(line, ".SS ", 4) == 0) {
			macro_text(line, sub, sizeof sub);
			lower(sub);
		} else if (strcmp(line, ".TP") == 0 && m->n < MAX_ENTRIES) {
			want = 1;
		} else if (want == 1) {
			man_entry *e = &m->e[m->n++];
			snprintf(e->section, sizeof e->section, "%s", section);
			snprintf(e->sub, sizeof e->sub, "%s", sub);
			macro_text(line, e->tag, sizeof e->tag);
			want = 2;
		} else if (want == 2) {
			macro_text(line, m->e[m->n - 1].body, sizeof m->e[0].body);
			want = 0;
		} else if (strcmp(section, "SCENARIOS") == 0) {
			char t[256];
			macro_text(line, t, sizeof t);
			size_t l = strlen(m->scenarios);
			snprintf(m->scenarios + l, sizeof m->scenarios - l, " %s", t);
		}
	}
}

/* Whether word is in s as a whole word: not inside a longer name (letters, digits, - and _). */
static bool has_word(const char *s, const char *word)
{
	size_t wl = strlen(word);
	for (const char *p = strstr(s, word); p; p = strstr(p + 1, word)) {
		bool before = p == s || !(isalnum((unsigned char)p[-1]) || strchr("-_", p[-1]));
		bool after = !(isalnum((unsigned char)p[wl]) || (p[wl] && strchr("-_", p[wl])));
		if (before && after)
			return true;
	}
	return false;
}

/* The entry in section whose tag is exactly tag, or NULL. */
static const man_entry *tag_equal(const man_page *m, const char *section, const char *tag)
{
	for (int i = 0; i < m->n; i++)
		if (strcmp(m->e[i].section, section) == 0 && strcmp(m->e[i].tag, tag) == 0)
			return &m->e[i];
	return NULL;
}

/* Whether an entry in section holds word in its tag (and, when sub, names sub in its .SS). */
static bool tag_has(const man_page *m, const char *section, const char *sub, const char *word)
{
	for (int i = 0; i < m->n; i++)
		if (strcmp(m->e[i].section, section) == 0 && has_word(m->e[i].tag, word) &&
		    (!sub || strstr(m->e[i].sub, sub)))
			return true;
	return false;
}

/* Add "what" to the report of what is missing. */
static void missing(char *report, size_t sz, int *count, const char *fmt, const char *what)
{
	size_t l = strlen(report);
	snprintf(report + l, sz - l, "%s", *count ? "; " : "");
	l = strlen(report);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(report + l, sz - l, fmt, what);
#pragma GCC diagnostic pop
	(*count)++;
}

/* Every option of c: an entry in OPTIONS under a heading that names c (or "every command"). */
static void check_options(const man_page *m, const cmd_entry *c, char *report, size_t sz,
			  int *count)
{
	for (size_t g = 0; c->options[g]; g++) {
		for (const cmd_option *o = c->options[g]; o->name; o++) {
			char flag[64], what[128];
			snprintf(flag, sizeof flag, "--%s", o->name);
			snprintf(what, sizeof what, "%s of %s", flag, c->name);
			if (!tag_has(m, "OPTIONS", c->name, flag) ||
			    (o->arg && !tag_has(m, "OPTIONS", c->name, o->arg)))
				missing(report, sz, count, "option %s", what);
		}
	}
}

/* The options every command takes: under a heading naming "every command". */
static void check_common_options(const man_page *m, char *report, size_t sz, int *count)
{
	for (const cmd_option *o = cmd_common_options; o->name; o++) {
		char flag[64], shortflag[4] = {'-', o->short_name, 0};
		snprintf(flag, sizeof flag, "--%s", o->name);
		if (!tag_has(m, "OPTIONS", "every command", flag) ||
		    (o->short_name && !tag_has(m, "OPTIONS", "every command", shortflag)))
			missing(report, sz, count, "option %s of every command", flag);
	}
}

/* Everything the tables hold that the page text lacks; returns how many, listed in report. */
static int man_missing(const char *text, char *report, size_t sz)
{
	static man_page m;
	man_parse(text, &m);
	report[0] = '\0';
	int count = 0;
	for (size_t i = 0; cmd_table[i]; i++) {
		if (!tag_has(&m, "COMMANDS", NULL, cmd_table[i]->name))
			missing(report, sz, &count, "command %s", cmd_table[i]->name);
		check_options(&m, cmd_table[i], report, sz, &count);
	}
	check_common_options(&m, report, sz, &count);
	for (const ui_binding *k = ui_bindings; k->label; k++)
		if (!tag_equal(&m, "KEYS", k->label))
			missing(report, sz, &count, "key \"%s\"", k->label);
	const char *keys[64];
	config_key_names(keys, 64);
	for (size_t i = 0; keys[i]; i++)
		if (!tag_equal(&m, "CONFIGURATION", keys[i]))
			missing(report, sz, &count, "setting %s", keys[i]);
	for (size_t i = 0; runbook_leaf_ids[i]; i++) {
		char code[16];
		snprintf(code, sizeof code, "%d", runbook_exit_code(runbook_leaf_ids[i]));
		const man_entry *e = tag_equal(&m, "EXIT STATUS", code);
		if (!e || !has_word(e->body, runbook_leaf_ids[i]))
			missing(report, sz, &count, "exit code of leaf %s", runbook_leaf_ids[i]);
	}
	static const int others[] = {EXIT_INTERNAL, EXIT_USAGE, EXIT_SIGHUP, EXIT_SIGINT,
				     EXIT_SIGTERM};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		char code[16];
		snprintf(code, sizeof code, "%d", others[i]);
		if (!tag_equal(&m, "EXIT STATUS", code))
			missing(report, sz, &count, "exit code %s", code);
	}
	static const char *const env[] = {"HUBSPOT_ACCESS_TOKEN", "XDG_CONFIG_HOME",
					  "XDG_STATE_HOME", "NO_COLOR", NULL};
	for (size_t i = 0; env[i]; i++)
		if (!tag_has(&m, "ENVIRONMENT", NULL, env[i]))
			missing(report, sz, &count, "environment variable %s", env[i]);
	if (!tag_has(&m, "FILES", NULL, "$XDG_CONFIG_HOME/hsrunbook/config"))
		missing(report, sz, &count, "file %s", "the config file");
	for (size_t i = 0; sim_scenarios[i]; i++)
		if (!has_word(m.scenarios, sim_scenarios[i]))
			missing(report, sz, &count, "scenario %s", sim_scenarios[i]);
	return count;
}

/* The man page's text (HSR_MAN, else hsrunbook.1 in the current folder); the caller frees. */
static char *man_read(void)
{
	const char *path = getenv("HSR_MAN") ? getenv("HSR_MAN") : "hsrunbook.1";
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open the man page %s (run from the project root)", path);
	static char buf[256 * 1024];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strdup(buf);
}

/* The page has an entry for everything in the tables. */
static void test_man_complete(void **state)
{
	(void)state;
	char *text = man_read(), report[8192];
	int n = man_missing(text, report, sizeof report);
	if (n)
		fail_msg("hsrunbook.1 lacks %d: %s", n, report);
	free(text);
}

/* text without the first lines equal to lines ("A\nB"), into a new string. */
static char *without_line(const char *text, const char *line)
{
	char *copy = strdup(text);
	size_t len = strlen(line);
	for (char *p = copy; (p = strstr(p, line)); p++) {
		if ((p == copy || p[-1] == '\n') && (p[len] == '\n' || !p[len])) {
			memmove(p, p + len + (p[len] == '\n'),
				strlen(p + len + (p[len] == '\n')) + 1);
			return copy;
		}
	}
	fail_msg("the page has no line %s to take out", line);
	return copy;
}

/* The check can fail: a page with one entry's tag taken out is caught, naming what is missing. */
static void test_man_check_catches_a_missing_entry(void **state)
{
	(void)state;
	static const struct {
		const char *line, *want;
	} cases[] = {
	    {".TP\n.B \\-\\-json", "option --json of triage"},
	    {".TP\n.BI \\-\\-log \" FILE\"", "option --log of dashboard"},
	    {".TP\n.BI \\-\\-port \" N\"", "option --port of simulate"},
	    {".TP\n.BR \\-V \", \" \\-\\-version", "option --version of every command"},
	    {".TP\n.B Ctrl-L", "key \"Ctrl-L\""},
	    {".TP\n.B arrows h j k l", "key \"arrows h j k l\""},
	    {".TP\n.B utc_offset", "setting utc_offset"},
	    {".TP\n.B interval_api", "setting interval_api"},
	    {".TP\n.B 21", "exit code of leaf network-down"},
	    {".TP\n.B hsrunbook simulate", "command simulate"},
	};
	char *text = man_read(), report[8192];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *cut = without_line(text, cases[i].line);
		int n = man_missing(cut, report, sizeof report);
		if (n < 1 || !strstr(report, cases[i].want))
			fail_msg("without \"%s\": %d missing (%s), want \"%s\"", cases[i].line, n,
				 report, cases[i].want);
		free(cut);
	}
	free(text);
}

/* The roff parser reads the macro forms the page uses as the reader sees them. */
static void test_man_macro_text(void **state)
{
	(void)state;
	char out[160];
	macro_text(".BI \\-\\-status\\-url \" URL\"", out, sizeof out);
	assert_string_equal(out, "--status-url URL");
	macro_text(".BR \\-h \", \" \\-\\-help", out, sizeof out);
	assert_string_equal(out, "-h, --help");
	macro_text(".BR \\-\\-demo \" [\\fISCENARIO\\fR]\"", out, sizeof out);
	assert_string_equal(out, "--demo [SCENARIO]");
	macro_text(".B ? F1", out, sizeof out);
	assert_string_equal(out, "? F1");
	macro_text(".B hsrunbook \\fR[\\fPdashboard\\fR]", out, sizeof out);
	assert_string_equal(out, "hsrunbook [dashboard]");
	assert_true(has_word("-h, --help", "--help"));
	assert_false(has_word("--helpful", "--help"));
	assert_false(has_word("interval_api_unhealthy", "interval_api"));
}

/* groff formats the page without a warning (what `man ./hsrunbook.1` shows). */
static void test_man_renders(void **state)
{
	(void)state;
	const char *path = getenv("HSR_MAN") ? getenv("HSR_MAN") : "hsrunbook.1";
	char cmd[600], out[4096];
	snprintf(cmd, sizeof cmd, "groff -man -Tutf8 -ww -z '%s' 2>&1; echo \"exit $?\"", path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	pclose(p);
	if (strcmp(out, "exit 0\n") != 0)
		fail_msg("groff -man -ww on %s: %s (install groff-base: make deps)", path, out);
	/* And the text a reader sees has the sections. */
	snprintf(cmd, sizeof cmd, "groff -man -Tutf8 -P-cbou '%s' 2>/dev/null", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	static char page[256 * 1024];
	n = fread(page, 1, sizeof page - 1, p);
	page[n] = '\0';
	pclose(p);
	static const char *const sections[] = {
	    "NAME",	     "SYNOPSIS", "COMMANDS",	"OPTIONS",     "KEYS",
	    "CONFIGURATION", "FILES",	 "ENVIRONMENT", "EXIT STATUS", NULL};
	for (size_t i = 0; sections[i]; i++) {
		char want[64];
		snprintf(want, sizeof want, "\n%s\n", sections[i]);
		if (!strstr(page, want))
			fail_msg("the formatted page has no %s section", sections[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_man_macro_text),
	    cmocka_unit_test(test_man_complete),
	    cmocka_unit_test(test_man_check_catches_a_missing_entry),
	    cmocka_unit_test(test_man_renders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
