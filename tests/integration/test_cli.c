/* The command line's errors teach: the real binary, its exit codes and its one-line messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>
#include <sys/stat.h>

#include "hsr/cmd.h"
#include "hsr/config.h"
#include "hsr/sim.h"
#include "testutil_impl.h"

static const char *const env[] = {"HUBSPOT_ACCESS_TOKEN=pat-na1-cli-secret-4410",
				  "XDG_CONFIG_HOME=/nonexistent-hsr", NULL};

/* Run argv and check it is a usage error: exit 2, nothing on stdout, one line on stderr that
 * starts with "hsrunbook: ", holds every one of want (NULL-terminated) and not unwanted. */
static void expect_usage_error_but(const char *const *argv, const char *const *want,
				   const char *unwanted)
{
	run_result rr = testutil_run(argv, env, 10000);
	if (rr.exit_code != 2)
		fail_msg("%s %s: exit %d, stderr: %s", argv[0], argv[1] ? argv[1] : "",
			 rr.exit_code, rr.err);
	assert_string_equal(rr.out, "");
	assert_true(strncmp(rr.err, "hsrunbook: ", 11) == 0);
	char *nl = strchr(rr.err, '\n');
	assert_non_null(nl);
	assert_true(nl[1] == '\0'); /* exactly one line */
	for (size_t i = 0; want[i]; i++)
		if (!strstr(rr.err, want[i]))
			fail_msg("want \"%s\" in: %s", want[i], rr.err);
	assert_null(strstr(rr.err, "cli-secret"));
	if (unwanted && strstr(rr.err, unwanted))
		fail_msg("did not want \"%s\" in: %s", unwanted, rr.err);
	testutil_free(&rr);
}

/* As expect_usage_error_but, with nothing unwanted. */
static void expect_usage_error(const char *const *argv, const char *const *want)
{
	expect_usage_error_but(argv, want, NULL);
}

/* An unknown scenario, after --demo or --scenario, names the nearest and lists them all. */
static void test_unknown_scenario_lists_them(void **state)
{
	(void)state;
	const char *demo[] = {"--demo", "helthy", NULL};
	const char *sim_[] = {"simulate", "--scenario", "nope", NULL};
	/* The message, then every scenario the simulator has. */
	const char *want[64] = {"--demo", "unknown scenario \"helthy\"", "did you mean healthy?"};
	size_t n = 3;
	for (size_t i = 0; sim_scenarios[i] && n < 63; i++)
		want[n++] = sim_scenarios[i];
	expect_usage_error(demo, want);
	/* "nope" is far from every name: no guess. */
	want[0] = "--scenario";
	want[1] = "unknown scenario \"nope\"";
	want[2] = "use one of";
	expect_usage_error_but(sim_, want, "did you mean");
}

/* --help lists the scenarios, every setting, and the exit codes of the new leaves. */
static void test_help_lists_scenarios_and_settings(void **state)
{
	(void)state;
	const char *argv[] = {"--help", NULL};
	run_result rr = testutil_run(argv, env, 5000);
	assert_int_equal(rr.exit_code, 0);
	assert_string_equal(rr.err, "");
	for (size_t i = 0; sim_scenarios[i]; i++)
		if (!strstr(rr.out, sim_scenarios[i]))
			fail_msg("--help does not name scenario %s", sim_scenarios[i]);
	const char *keys[64];
	config_key_names(keys, 64);
	for (size_t i = 0; keys[i]; i++)
		if (!strstr(rr.out, keys[i]))
			fail_msg("--help does not name setting %s", keys[i]);
	assert_non_null(strstr(rr.out, "20 hubspot-slow"));
	assert_non_null(strstr(rr.out, "21 network-down"));
	/* Fits 80 columns. */
	for (const char *line = rr.out; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		if (len > 80)
			fail_msg("--help line of %zu columns: %.*s", len, (int)len, line);
		line += len + (nl ? 1 : 0);
	}
	testutil_free(&rr);
}

/* A mistyped --set key or option gets the nearest; a stranger gets pointed at --help. */
static void test_unknown_key_suggests(void **state)
{
	(void)state;
	const char *a[] = {"triage", "--set", "helth_url=http://127.0.0.1:9/health", NULL};
	const char *const wa[] = {"--set: unknown setting \"helth_url\": did you mean health_url?",
				  NULL};
	expect_usage_error(a, wa);
	const char *b[] = {"triage", "--set", "interval-api=60", NULL};
	const char *const wb[] = {"did you mean interval_api?", NULL};
	expect_usage_error(b, wb);
	const char *c[] = {"triage", "--set", "bogus=1", NULL};
	const char *const wc[] = {"unknown setting \"bogus\"", "--help", NULL};
	expect_usage_error_but(c, wc, "did you mean");
	const char *d[] = {"triage", "--helth-url", "http://127.0.0.1:9/health", NULL};
	const char *const wd[] = {"unknown option --helth-url: did you mean --health-url?", NULL};
	expect_usage_error(d, wd);
	const char *f[] = {"triag", "--json", NULL};
	const char *const wf[] = {"unknown command \"triag\": did you mean triage?", NULL};
	expect_usage_error(f, wf);
	/* The token is never a setting: refused, never echoed, no "did you mean token_file". */
	const char *e[] = {"triage", "--set", "token=pat-na1-cli-secret-9", NULL};
	const char *const we[] = {"HUBSPOT_ACCESS_TOKEN", NULL};
	expect_usage_error_but(e, we, "did you mean");
}

/* A config file's unknown key: FILE:LINE, then the nearest key. */
static void test_config_file_key_suggests(void **state)
{
	(void)state;
	char path[] = "/tmp/hsr-cli-cfg-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char text[] = "# team settings\ntimeout = 5\nintervall_api = 60\n";
	assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
	close(fd);
	const char *argv[] = {"triage", "--config", path, NULL};
	char where[96];
	snprintf(where, sizeof where, "%s:3: unknown setting \"intervall_api\"", path);
	const char *const want[] = {where, "did you mean interval_api?", NULL};
	expect_usage_error(argv, want);

	/* A bad URL in the file is caught at start too. */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	const char text2[] = "health_url = http://:8080/health\n";
	assert_int_equal(write(fd, text2, sizeof text2 - 1), (ssize_t)(sizeof text2 - 1));
	close(fd);
	const char *const want2[] = {"health_url \"http://:8080/health\" has no host", NULL};
	expect_usage_error(argv, want2);
	unlink(path);
}

/* URLs are checked at start: the setting is named, with what is wrong and how to write it. */
static void test_bad_urls(void **state)
{
	(void)state;
	const char *a[] = {"triage", "--health-url", "ftp://files.example/health", NULL};
	const char *const wa[] = {"health_url", "is not http:// or https://", NULL};
	expect_usage_error(a, wa);
	const char *b[] = {"triage", "--api-base", "api.hubapi.com", NULL};
	const char *const wb[] = {"api_base", "write it as https://api.hubapi.com", NULL};
	expect_usage_error(b, wb);
	const char *c[] = {"triage", "--status-url", "https://", NULL};
	const char *const wc[] = {"status_url", "has no host", NULL};
	expect_usage_error(c, wc);
	const char *d[] = {"triage", "--set", "api_base=http://127.0.0.1:99999", NULL};
	const char *const wd[] = {"api_base", "from 1 to 65535", NULL};
	expect_usage_error(d, wd);
	const char *e[] = {"--demo", "--health-url", "http://127.0.0.1 :9/", NULL};
	const char *const we[] = {"health_url", "blank or control character", NULL};
	expect_usage_error(e, we);
	/* Good URLs pass the check: triage runs (nothing listens there) and is no usage error. */
	const char *ok[] = {"triage",
			    "--json",
			    "--status-url",
			    "http://127.0.0.1:9/api/v2/summary.json",
			    "--api-base",
			    "HTTP://127.0.0.1:9",
			    "--health-url",
			    "http://127.0.0.1:9/health?deep=1",
			    "--timeout",
			    "3",
			    NULL};
	run_result rr = testutil_run(ok, env, 20000);
	assert_int_not_equal(rr.exit_code, 2);
	assert_true(rr.exit_code >= 10);
	testutil_free(&rr);
}

/* --port and --delay say their range. */
static void test_port_range(void **state)
{
	(void)state;
	const char *a[] = {"simulate", "--port", "70000", NULL};
	const char *const wa[] = {"--port must be a whole number from 0 to 65535",
				  "0: any free port", "\"70000\"", NULL};
	expect_usage_error(a, wa);
	const char *b[] = {"simulate", "--port", "-1", NULL};
	const char *const wb[] = {"from 0 to 65535", NULL};
	expect_usage_error(b, wb);
	const char *c[] = {"simulate", "--port", "http", NULL};
	expect_usage_error(c, wb);
	const char *d[] = {"simulate", "--delay", "9999999", NULL};
	const char *const wd[] = {"--delay", "from 0 to 600000", NULL};
	expect_usage_error(d, wd);
}

/* Every line of text fits 80 columns. */
static void assert_fits_80(const char *what, const char *text)
{
	for (const char *line = text; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		if (len > 80)
			fail_msg("%s: line of %zu columns: %.*s", what, len, (int)len, line);
		line += len + (nl ? 1 : 0);
	}
}

/* Whether text has a help line for option o: "  --name ARG" or "  -h, --name" starting a line. */
static bool help_lists(const char *text, const cmd_option *o)
{
	char want[96], shortname[8] = "";
	if (o->short_name)
		snprintf(shortname, sizeof shortname, "-%c, ", o->short_name);
	snprintf(want, sizeof want, "\n  %s--%s%s%s", shortname, o->name, o->arg ? " " : "",
		 o->arg ? o->arg : "");
	return strstr(text, want) != NULL;
}

/* `hsrunbook CMD --help` lists exactly that command's options, from the command table. */
static void test_command_help_lists_its_options(void **state)
{
	(void)state;
	for (size_t i = 0; cmd_table[i]; i++) {
		const cmd_entry *c = cmd_table[i];
		const char *argv[] = {c->name, "--help", NULL};
		run_result rr = testutil_run(argv, env, 5000);
		assert_int_equal(rr.exit_code, 0);
		assert_string_equal(rr.err, "");
		char usage[64];
		snprintf(usage, sizeof usage, "usage: hsrunbook %s%s", i == 0 ? "[" : "", c->name);
		if (strncmp(rr.out, usage, strlen(usage)) != 0)
			fail_msg("%s --help starts: %.60s", c->name, rr.out);
		assert_non_null(strstr(rr.out, c->summary));
		/* Its own options are listed; another command's own options are not. */
		for (size_t k = 0; cmd_table[k]; k++)
			for (size_t g = 0; cmd_table[k]->options[g]; g++)
				for (const cmd_option *o = cmd_table[k]->options[g]; o->name; o++) {
					bool mine = false;
					for (size_t h = 0; c->options[h]; h++)
						mine = mine ||
						       c->options[h] == cmd_table[k]->options[g];
					if (help_lists(rr.out, o) != mine)
						fail_msg("%s --help %s --%s", c->name,
							 mine ? "lacks" : "lists another's",
							 o->name);
				}
		for (const cmd_option *o = cmd_common_options; o->name; o++)
			if (!help_lists(rr.out, o))
				fail_msg("%s --help lacks --%s", c->name, o->name);
		assert_fits_80(c->name, rr.out);
		testutil_free(&rr);
	}
	/* -h is --help; triage's help has the exit codes, simulate's the scenarios. */
	const char *t[] = {"triage", "-h", NULL};
	run_result rr = testutil_run(t, env, 5000);
	assert_int_equal(rr.exit_code, 0);
	assert_non_null(strstr(rr.out, "21 network-down"));
	testutil_free(&rr);
	const char *s[] = {"simulate", "--help", NULL};
	rr = testutil_run(s, env, 5000);
	assert_non_null(strstr(rr.out, "api-unreachable"));
	assert_null(strstr(rr.out, "--status-url"));
	testutil_free(&rr);
}

/* `hsrunbook --help` names every command and every option of the table. */
static void test_help_lists_every_command(void **state)
{
	(void)state;
	const char *argv[] = {"--help", NULL};
	run_result rr = testutil_run(argv, env, 5000);
	assert_int_equal(rr.exit_code, 0);
	for (size_t i = 0; cmd_table[i]; i++) {
		char line[64];
		snprintf(line, sizeof line, "\n  %s ", cmd_table[i]->name);
		if (!strstr(rr.out, line))
			fail_msg("--help does not list command %s", cmd_table[i]->name);
		for (size_t g = 0; cmd_table[i]->options[g]; g++)
			for (const cmd_option *o = cmd_table[i]->options[g]; o->name; o++)
				if (!help_lists(rr.out, o))
					fail_msg("--help does not list --%s", o->name);
	}
	assert_non_null(strstr(rr.out, "Options of the dashboard and triage:"));
	assert_non_null(strstr(rr.out, "130 on\nCtrl-C"));
	testutil_free(&rr);
}

/* A command line and what its one-line usage error must say. */
typedef struct {
	const char *argv[5];
	const char *want[3];
} refusal;

/* Each case exits 2 with one line holding everything it wants. */
static void expect_refusals(const refusal *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		expect_usage_error(cases[i].argv, cases[i].want);
}

/* An option of another command is refused in one line that names both commands. */
static void test_refused_options_name_the_command(void **state)
{
	(void)state;
	static const refusal cases[] = {
	    {{"simulate", "--json"},
	     {"--json goes with triage, not with simulate", "hsrunbook triage --help"}},
	    {{"--json"}, {"--json goes with triage, not with the dashboard"}},
	    {{"triage", "--demo", "healthy"}, {"--demo goes with the dashboard, not with triage"}},
	    {{"simulate", "--log", "/tmp/x.log"},
	     {"--log goes with the dashboard and triage, not with simulate"}},
	    {{"triage", "--port", "8080"}, {"--port goes with simulate, not with triage"}},
	    {{"dashboard", "--scenario", "slow"},
	     {"--scenario goes with simulate, not with the dashboard"}},
	    /* The command word may come after the options, as before. */
	    {{"--json", "simulate"}, {"--json goes with triage, not with simulate"}},
	};
	expect_refusals(cases, sizeof cases / sizeof cases[0]);
}

/* The shapes getopt_long would take that this command line does not (abbreviations, a value on
 * a flag, a missing value, a second command), and --opt=VALUE, which it takes. */
static void test_option_shapes(void **state)
{
	(void)state;
	static const refusal cases[] = {
	    {{"triage", "--js"}, {"unknown option --js: did you mean --json?"}},
	    {{"triage", "--json=yes"}, {"--json takes no value"}},
	    {{"triage", "--timeout", "--json"}, {"--timeout needs a value"}},
	    {{"triage", "--log"}, {"--log needs a value"}},
	    {{"triage", "simulate"}, {"unknown command or argument \"simulate\""}},
	    {{"simulate", "-x"}, {"unknown option -x", "hsrunbook simulate --help"}},
	    {{"simulate", "--port=70000"}, {"--port must be a whole number from 0 to 65535"}},
	    {{"--demo=helthy"}, {"--demo: unknown scenario \"helthy\""}},
	};
	expect_refusals(cases, sizeof cases / sizeof cases[0]);
	/* -V and --version, with or without a command. */
	const char *v[] = {"triage", "-V", NULL};
	run_result rr = testutil_run(v, env, 5000);
	assert_int_equal(rr.exit_code, 0);
	assert_string_equal(rr.out, "hsrunbook " HSR_VERSION "\n");
	testutil_free(&rr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_unknown_scenario_lists_them),
	    cmocka_unit_test(test_help_lists_scenarios_and_settings),
	    cmocka_unit_test(test_unknown_key_suggests),
	    cmocka_unit_test(test_config_file_key_suggests),
	    cmocka_unit_test(test_bad_urls),
	    cmocka_unit_test(test_port_range),
	    cmocka_unit_test(test_command_help_lists_its_options),
	    cmocka_unit_test(test_help_lists_every_command),
	    cmocka_unit_test(test_refused_options_name_the_command),
	    cmocka_unit_test(test_option_shapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
