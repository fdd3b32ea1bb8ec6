/* Unit tests for the template renderer: values, sections, escaping, placeholders, load errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hsr/message.h"
#include "hsr/template.h"

static const template_var schema[] = {
    {"severity", TEMPLATE_TEXT, NULL},	    {"cause", TEMPLATE_TEXT, NULL},
    {"impact", TEMPLATE_TEXT, "impact"},    {"eta", TEMPLATE_TEXT, "ETA"},
    {"ids", TEMPLATE_LIST, NULL},	    {"ids.id", TEMPLATE_TEXT, NULL},
    {"timeline", TEMPLATE_LIST, NULL},	    {"timeline.time", TEMPLATE_TEXT, NULL},
    {"timeline.what", TEMPLATE_TEXT, NULL}, {NULL, TEMPLATE_TEXT, NULL},
};

/* Parse src (must succeed), render d for target, return the malloc'd text. */
static char *render(const char *src, const template_data *d, template_target target, bool ascii)
{
	char err[300];
	template *t = template_parse(src, strlen(src), "t.md", schema, err, sizeof err);
	if (!t)
		fail_msg("parse failed: %s", err);
	char *out = template_render(t, d, target, ascii);
	assert_non_null(out);
	template_free(t);
	return out;
}

/* Parse src, expecting a failure; return the error (static storage). */
static const char *parse_error(const char *src)
{
	static char err[300];
	template *t = template_parse(src, strlen(src), "team/slack.md", schema, err, sizeof err);
	assert_null(t);
	assert_null(strchr(err, '\n'));
	return err;
}

/* Render src and compare with want. */
static void check(const char *src, const template_data *d, template_target target, const char *want)
{
	char *out = render(src, d, target, false);
	assert_string_equal(out, want);
	free(out);
}

/* Every kind of value: text, placeholder, list fields, sections over text. */
static void test_values_and_lists(void **state)
{
	(void)state;
	template_data *d = template_data_new();
	template_data_set(d, "severity", "P1");
	template_data_set(d, "cause", "Token revoked");
	for (int i = 0; i < 2; i++) {
		template_data *it = template_data_add(d, "timeline");
		template_data_set(it, "time", i ? "14:07" : "14:05");
		template_data_set(it, "what", i ? "Acknowledged" : "Alert fired");
	}
	check("{{severity}}: {{ cause }} / {{impact}} / {{eta}}", d, TEMPLATE_PLAIN,
	      "P1: Token revoked / «impact?» / «ETA?»");
	check("{{#timeline}}\n- {{time}} {{what}} ({{severity}})\n{{/timeline}}\nend\n", d,
	      TEMPLATE_PLAIN, "- 14:05 Alert fired (P1)\n- 14:07 Acknowledged (P1)\nend\n");
	check("ids:{{#ids}} {{id}}{{/ids}}{{^ids}} none{{/ids}}.", d, TEMPLATE_PLAIN, "ids: none.");
	template_data *it = template_data_add(d, "ids");
	template_data_set(it, "id", "a-1");
	it = template_data_add(d, "ids");
	template_data_set(it, "id", "b-2");
	check("ids:{{#ids}} {{id}}{{/ids}}{{^ids}} none{{/ids}}.", d, TEMPLATE_PLAIN,
	      "ids: a-1 b-2.");
	/* A section over a text value shows when it is present; inverted when absent. */
	check("{{#cause}}C={{cause}}{{/cause}}{{^eta}} no ETA{{/eta}}{{#eta}}never{{/eta}}", d,
	      TEMPLATE_PLAIN, "C=Token revoked no ETA");
	/* Filled, the placeholder goes away; set to NULL it comes back. */
	template_data_set(d, "impact", "Nothing syncs");
	check("{{impact}}", d, TEMPLATE_PLAIN, "Nothing syncs");
	template_data_set(d, "impact", NULL);
	check("{{impact}}", d, TEMPLATE_PLAIN, "«impact?»");
	template_data_set(d, "impact", "   ");
	check("{{impact}}", d, TEMPLATE_PLAIN, "«impact?»");
	/* Comments vanish; a comment alone on its line takes the line. */
	check("a\n{{! a note for the team }}\nb{{! inline }}c", d, TEMPLATE_PLAIN, "a\nbc");
	template_data_free(d);
}

/* Absent values: a plain one is empty, an asked one a placeholder (ASCII on request). */
static void test_absent_and_ascii(void **state)
{
	(void)state;
	template_data *d = template_data_new();
	check("[{{severity}}][{{cause}}][{{impact}}]", d, TEMPLATE_PLAIN, "[][][«impact?»]");
	char *out = render("{{impact}} {{eta}}", d, TEMPLATE_PLAIN, true);
	assert_string_equal(out, "<impact?> <ETA?>");
	free(out);
	/* In Slack the ASCII placeholder is escaped like any text. */
	out = render("{{impact}}", d, TEMPLATE_SLACK, true);
	assert_string_equal(out, "&lt;impact?&gt;");
	free(out);
	template_data_free(d);
}

/* Escaping per target: Slack entities, Markdown backslashes, plain untouched. */
static void test_escaping(void **state)
{
	(void)state;
	template_data *d = template_data_new();
	template_data_set(d, "cause", "a<b> & <!channel> *x* _y_ `z` [l](u) #1 |t|");
	check("{{cause}}", d, TEMPLATE_SLACK,
	      "a&lt;b&gt; &amp; &lt;!channel&gt; *x* _y_ `z` [l](u) #1 |t|");
	check("{{cause}}", d, TEMPLATE_MARKDOWN,
	      "a\\<b\\> \\& \\<!channel\\> \\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\#1 \\|t\\|");
	check("{{cause}}", d, TEMPLATE_PLAIN, "a<b> & <!channel> *x* _y_ `z` [l](u) #1 |t|");
	/* The template's own text is never escaped: only values are. */
	check("<{{cause}}>", d, TEMPLATE_SLACK,
	      "<a&lt;b&gt; &amp; &lt;!channel&gt; *x* _y_ `z` [l](u) #1 |t|>");
	char *e = template_escape("&&", TEMPLATE_SLACK);
	assert_string_equal(e, "&amp;&amp;");
	free(e);
	template_data_free(d);
}

/* Hostile values: escape sequences and controls are stripped, newlines folded, one line. */
static void test_hostile_values(void **state)
{
	(void)state;
	template_data *d = template_data_new();
	template_data_set(d, "cause",
			  "\x1b]52;c;cm0gLXJmIH4=\x07red\x1b[31m\r\nline2\tand\x7f\x01 done\xff");
	char *out = render("[{{cause}}]", d, TEMPLATE_PLAIN, false);
	assert_null(strchr(out, '\x1b'));
	assert_null(strchr(out, '\n'));
	assert_null(strchr(out, '\r'));
	assert_null(strchr(out, '\x07'));
	assert_null(strstr(out, "52;"));
	assert_non_null(strstr(out, "red line2 and done"));
	free(out);
	/* A template tag inside a value is text, never rendered again. */
	template_data_set(d, "cause", "{{impact}} {{#ids}}");
	check("{{cause}}", d, TEMPLATE_PLAIN, "{{impact}} {{#ids}}");
	template_data_free(d);
}

/* A 100 KB value is cut at TEMPLATE_VALUE_MAX with "…"; many list items all render. */
static void test_long_values(void **state)
{
	(void)state;
	size_t n = 100 * 1024;
	char *big = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = '\0';
	template_data *d = template_data_new();
	template_data_set(d, "cause", big);
	char *out = render("{{cause}}", d, TEMPLATE_SLACK, false);
	size_t len = strlen(out);
	assert_true(len <= TEMPLATE_VALUE_MAX);
	assert_true(len > TEMPLATE_VALUE_MAX - 8);
	assert_string_equal(out + len - strlen("…"), "…");
	assert_memory_equal(out, big, 1000);
	free(out);
	/* A long value of '<' grows fourfold in Slack, and all of it is there. */
	memset(big, '<', 5000);
	big[5000] = '\0';
	template_data_set(d, "cause", big);
	out = render("{{cause}}", d, TEMPLATE_SLACK, false);
	assert_int_equal(strlen(out), 5000 * 4);
	free(out);
	for (int i = 0; i < 2000; i++) {
		template_data *it = template_data_add(d, "ids");
		char id[16];
		snprintf(id, sizeof id, "%d", i);
		template_data_set(it, "id", id);
	}
	out = render("{{#ids}}{{id}},{{/ids}}", d, TEMPLATE_PLAIN, false);
	assert_int_equal(strncmp(out, "0,1,2,", 6), 0);
	assert_non_null(strstr(out, ",1999,"));
	free(out);
	/* A template nesting a list in itself stops at 1 MiB, and says so. */
	out = render("{{#ids}}{{#ids}}{{#ids}}0123456789{{/ids}}{{/ids}}{{/ids}}", d,
		     TEMPLATE_PLAIN, false);
	len = strlen(out);
	assert_true(len > 1000 * 1000 && len <= 1024 * 1024 + 32);
	assert_string_equal(out + len - strlen("\n[cut at 1 MiB]\n"), "\n[cut at 1 MiB]\n");
	free(out);
	free(big);
	template_data_free(d);
}

/* Load errors name the file and line, and say what to do. */
static void test_errors(void **state)
{
	(void)state;
	assert_string_equal(parse_error("line one\n{{severity}}\nthen {{impcat}}\n"),
			    "team/slack.md:3: unknown variable 'impcat': did you mean 'impact'?");
	const char *e = parse_error("{{nothing_like_it}}");
	assert_non_null(strstr(e, "team/slack.md:1: unknown variable 'nothing_like_it'"));
	e = parse_error("a\nb\n{{#timeline}}\n- {{time}}\n");
	assert_string_equal(
	    e, "team/slack.md:3: the section 'timeline' opened here is never closed: add "
	       "{{/timeline}}");
	e = parse_error("{{#timeline}}\n{{#ids}}\n{{/timeline}}\n{{/ids}}\n");
	assert_non_null(strstr(e, "team/slack.md:3: '{{/timeline}}' closes the section 'ids' "
				  "opened on line 2"));
	e = parse_error("x\n{{/ids}}");
	assert_non_null(strstr(e, "team/slack.md:2: '{{/ids}}' closes a section never opened"));
	e = parse_error("{{time}}");
	assert_non_null(strstr(e, "team/slack.md:1: 'time' is a field of the list 'timeline'"));
	e = parse_error("\n\n{{ids}}");
	assert_non_null(strstr(e, "team/slack.md:3: 'ids' is a list"));
	e = parse_error("ok\n{{impact\n}}");
	assert_non_null(strstr(e, "team/slack.md:2: '{{' without its closing '}}'"));
	e = parse_error("{{im pact}}");
	assert_non_null(strstr(e, "team/slack.md:1: '{{im pact}}' is not a tag"));
	e = parse_error("{{\x1b[31m}}");
	assert_null(strchr(e, '\x1b'));
	char nul[] = "ab\n\0cd";
	char err[200];
	assert_null(template_parse(nul, sizeof nul - 1, "n.md", schema, err, sizeof err));
	assert_string_equal(err, "n.md:2: a NUL byte: a template is text");
	/* Nesting past the limit is refused, not recursed into. */
	char deep[2000] = "";
	for (int i = 0; i < 20; i++)
		strcat(deep, "{{#cause}}");
	e = parse_error(deep);
	assert_non_null(strstr(e, "nested more than"));
}

/* A template file from a team's folder: read and checked; a missing one says so. */
static void test_load_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/hsr-tpl-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[300];
	snprintf(path, sizeof path, "%s/slack.md", dir);
	FILE *f = fopen(path, "w");
	fputs("Team: {{severity}} {{leaf_title}}\n{{#correlation_ids}}{{id}}\n{{/correlation_ids}}",
	      f);
	fclose(f);
	message_templates m;
	char err[300];
	assert_int_equal(message_templates_load(&m, dir, err, sizeof err), 0);
	assert_string_equal(template_file(m.t[MESSAGE_SLACK]), path);
	assert_string_equal(template_file(m.t[MESSAGE_POSTMORTEM]), "built-in postmortem.md");
	message_templates_free(&m);
	f = fopen(path, "w");
	fputs("ok\n{{#correlation_ids}}\n", f);
	fclose(f);
	assert_int_equal(message_templates_load(&m, dir, err, sizeof err), -1);
	char want[400];
	snprintf(want, sizeof want, "%s:2: the section 'correlation_ids' opened here", path);
	assert_non_null(strstr(err, want));
	unlink(path);
	rmdir(dir);
	assert_null(template_load_file("/nonexistent/x.md", schema, err, sizeof err));
	assert_non_null(strstr(err, "/nonexistent/x.md: cannot read the template"));
}

/* Where a team's templates come from: templates_dir, else templates/ beside the runbook. */
static void test_templates_dir(void **state)
{
	(void)state;
	char dir[] = "/tmp/hsr-tpldir-XXXXXX";
	assert_non_null(mkdtemp(dir));
	config c;
	config_defaults(&c);
	char out[600];
	message_templates_dir(&c, out, sizeof out);
	assert_string_equal(out, "");
	snprintf(c.runbook_path, sizeof c.runbook_path, "%s/team.json", dir);
	message_templates_dir(&c, out, sizeof out);
	assert_string_equal(out, ""); /* no templates/ folder there */
	char sub[300];
	snprintf(sub, sizeof sub, "%s/templates", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	message_templates_dir(&c, out, sizeof out);
	assert_string_equal(out, sub);
	common_strlcpy(c.templates_dir, "/srv/ours", sizeof c.templates_dir);
	message_templates_dir(&c, out, sizeof out);
	assert_string_equal(out, "/srv/ours");
	rmdir(sub);
	rmdir(dir);
}

/* The built-in templates name only known variables and load. */
static void test_builtin_templates(void **state)
{
	(void)state;
	message_templates m;
	char err[300] = "";
	assert_int_equal(message_templates_load(&m, NULL, err, sizeof err), 0);
	for (int k = 0; k < MESSAGE_COUNT; k++)
		assert_non_null(m.t[k]);
	message_templates_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_values_and_lists), cmocka_unit_test(test_absent_and_ascii),
	    cmocka_unit_test(test_escaping),	     cmocka_unit_test(test_hostile_values),
	    cmocka_unit_test(test_long_values),	     cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_load_file),	     cmocka_unit_test(test_builtin_templates),
	    cmocka_unit_test(test_templates_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
