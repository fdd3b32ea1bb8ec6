/* The command line's errors teach: the real binary, its exit codes and its one-line messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

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
	assert_non_null(
	    strstr(rr.out, "Options of the dashboard, triage, incidents and postmortem:"));
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
	     {"--json goes with triage and incidents, not with simulate",
	      "hsrunbook triage --help"}},
	    {{"--json"}, {"--json goes with triage and incidents, not with the dashboard"}},
	    {{"triage", "--demo", "healthy"}, {"--demo goes with the dashboard, not with triage"}},
	    {{"simulate", "--log", "/tmp/x.log"},
	     {"--log goes with the dashboard, triage, incidents and postmortem, not with "
	      "simulate"}},
	    {{"triage", "--port", "8080"}, {"--port goes with simulate, not with triage"}},
	    {{"dashboard", "--scenario", "slow"},
	     {"--scenario goes with simulate, not with the dashboard"}},
	    /* The command word may come after the options, as before. */
	    {{"--json", "simulate"}, {"--json goes with triage and incidents, not with simulate"}},
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

/* verify-webhook's files: a private directory with the secret (0600), a body and a request. */
typedef struct {
	char dir[64];
	char secret[96]; /* the secret file's path */
	char body[96];
	char request[96];
	char ts[24]; /* now, in milliseconds */
	char sig[64];
} whk_files;

#define WHK_SECRET "whk-client-secret-5c7e19"
#define WHK_URL	   "https://hooks.example.com/hubspot/events?portal=62515"
#define WHK_BODY   "[{\"eventId\":17,\"portalId\":62515,\"subscriptionType\":\"contact.creation\"}]"

/* Write text to path with mode. */
static void whk_write(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

/* The v3 signature of msg as openssl computes it, into out. */
static void whk_openssl_v3(const char *dir, const char *msg, char *out, size_t outsz)
{
	char path[128], cmd[320];
	snprintf(path, sizeof path, "%s/msg", dir);
	whk_write(path, msg, 0600);
	snprintf(cmd, sizeof cmd,
		 "openssl dgst -sha256 -hmac '" WHK_SECRET "' -binary '%s' | base64 -w0", path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(out, (int)outsz, p));
	assert_int_equal(pclose(p), 0);
	out[strcspn(out, "\n")] = '\0';
}

/* Set up f with a request of age_ms, signed for WHK_URL, behind a proxy whose Host is host
 * (X-Forwarded-Host the public one). */
static void whk_setup(whk_files *f, long age_ms, const char *host)
{
	snprintf(f->dir, sizeof f->dir, "/tmp/hsr-cli-whk-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->secret, sizeof f->secret, "%s/secret", f->dir);
	snprintf(f->body, sizeof f->body, "%s/body.json", f->dir);
	snprintf(f->request, sizeof f->request, "%s/request.txt", f->dir);
	whk_write(f->secret, WHK_SECRET "\n", 0600);
	whk_write(f->body, WHK_BODY, 0644);
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	snprintf(f->ts, sizeof f->ts, "%lld",
		 (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000 - age_ms);
	char msg[512];
	snprintf(msg, sizeof msg, "POST" WHK_URL WHK_BODY "%s", f->ts);
	whk_openssl_v3(f->dir, msg, f->sig, sizeof f->sig);
	char req[1024];
	snprintf(req, sizeof req,
		 "POST /hubspot/events?portal=62515 HTTP/1.1\r\nHost: %s\r\n"
		 "X-Forwarded-Host: hooks.example.com\r\n"
		 "Content-Type: application/json\r\nX-HubSpot-Signature-v3: %s\r\n"
		 "X-HubSpot-Request-Timestamp: %s\r\nContent-Length: %zu\r\n\r\n%s",
		 host, f->sig, f->ts, strlen(WHK_BODY), WHK_BODY);
	whk_write(f->request, req, 0644);
}

/* Remove f's files. */
static void whk_cleanup(whk_files *f)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
}

/* Run verify-webhook with argv; check the exit code, every want in stdout, and that the secret
 * shows nowhere; returns nothing, frees the run. */
static void whk_expect(const char *const *argv, const char *const *env_, int code,
		       const char *const *want)
{
	run_result rr = testutil_run(argv, env_, 10000);
	if (rr.exit_code != code)
		fail_msg("exit %d, want %d; out: %s err: %s", rr.exit_code, code, rr.out, rr.err);
	for (size_t i = 0; want && want[i]; i++)
		if (!strstr(code == 2 ? rr.err : rr.out, want[i]))
			fail_msg("want \"%s\" in: %s%s", want[i], rr.out, rr.err);
	assert_null(strstr(rr.out, "whk-client-secret"));
	assert_null(strstr(rr.err, "whk-client-secret"));
	/* Not valid: every line is one reason. */
	for (const char *l = rr.out; code == 20 && *l; l = strchr(l, '\n') + 1)
		if (strncmp(l, "not valid: ", 11) != 0 && strncmp(l, "note: ", 6) != 0)
			fail_msg("a line that is not a reason: %s", l);
	testutil_free(&rr);
}

/* Flags input: valid exits 0; http behind a proxy and a slash added exit 20, naming them. */
static void test_verify_webhook_flags(void **state)
{
	(void)state;
	whk_files f;
	whk_setup(&f, 2000, "hooks.example.com");
	const char *const env_[] = {"HUBSPOT_CLIENT_SECRET=", NULL};
	const char *ok[] = {
	    "verify-webhook", "--secret-file", f.secret,      "--url", WHK_URL, "--timestamp", f.ts,
	    "--signature",    f.sig,	       "--body-file", f.body,  NULL};
	const char *const w_ok[] = {"valid: the v3 signature matches POST " WHK_URL, " s old",
				    NULL};
	whk_expect(ok, env_, 0, w_ok);
	ok[4] = "http://hooks.example.com/hubspot/events?portal=62515";
	const char *const w_http[] = {"not valid: signature mismatch",
				      "not valid: it matches with the URL " WHK_URL,
				      "TLS ended at a proxy", NULL};
	whk_expect(ok, env_, 20, w_http);
	ok[4] = "https://hooks.example.com/hubspot/events/?portal=62515";
	const char *const w_slash[] = {"trailing slash was added", NULL};
	whk_expect(ok, env_, 20, w_slash);
	/* The body re-serialised: the secret or the body, and why. */
	whk_write(f.body, "[\n  {\"eventId\": 17, \"portalId\": 62515}\n]", 0644);
	ok[4] = WHK_URL;
	const char *const w_body[] = {"the client secret or the body bytes differ", "re-serialised",
				      NULL};
	whk_expect(ok, env_, 20, w_body);
	whk_cleanup(&f);
}

/* --request: Host rewritten by a proxy is named; --url-base fixes it; too old says how old. */
static void test_verify_webhook_request(void **state)
{
	(void)state;
	whk_files f;
	whk_setup(&f, 1000, "internal-app:8080");
	const char *const env_[] = {"HUBSPOT_CLIENT_SECRET=" WHK_SECRET, NULL};
	const char *a[] = {"verify-webhook", "--request", f.request, NULL, NULL, NULL};
	const char *const w_host[] = {"HubSpot called host hooks.example.com, not "
				      "internal-app:8080",
				      NULL};
	whk_expect(a, env_, 20, w_host);
	a[3] = "--url-base";
	a[4] = "https://hooks.example.com";
	const char *const w_ok[] = {"valid: the v3 signature matches", NULL};
	whk_expect(a, env_, 0, w_ok);
	/* A line break the capture added after Content-Length's end: left out, and said so. */
	FILE *fp = fopen(f.request, "a");
	assert_non_null(fp);
	fputs("\n", fp);
	fclose(fp);
	const char *const w_extra[] = {"valid: the v3 signature matches",
				       "note: 1 byte after the body's end left out", NULL};
	whk_expect(a, env_, 0, w_extra);
	whk_cleanup(&f);
	whk_setup(&f, 7 * 60 * 1000 + 5000, "hooks.example.com");
	const char *old[] = {"verify-webhook", "--request", f.request, NULL};
	const char *const w_old[] = {"not valid: too old: the request is 7 min 5 s old",
				     "signature itself matches", NULL};
	whk_expect(old, env_, 20, w_old);
	whk_cleanup(&f);
}

/* The secret: file mode 0600 or the environment; never the command line; usage exits 2. */
static void test_verify_webhook_secret_and_usage(void **state)
{
	(void)state;
	whk_files f;
	whk_setup(&f, 0, "hooks.example.com");
	const char *const no_env[] = {"HUBSPOT_CLIENT_SECRET=", NULL};
	chmod(f.secret, 0644);
	const char *a[] = {"verify-webhook", "--secret-file", f.secret,
			   "--request",	     f.request,	      NULL};
	const char *const w_mode[] = {"readable by others (mode 644): run chmod 600", NULL};
	whk_expect(a, no_env, 2, w_mode);
	const char *b[] = {"verify-webhook", "--request", f.request, NULL};
	const char *const w_none[] = {"no client secret: set HUBSPOT_CLIENT_SECRET", NULL};
	whk_expect(b, no_env, 2, w_none);
	/* On the command line: refused, and the value never echoed. */
	const char *c[] = {"verify-webhook", "--secret", WHK_SECRET, "--request", f.request, NULL};
	const char *const w_cl[] = {"--secret is refused", "HUBSPOT_CLIENT_SECRET", NULL};
	whk_expect(c, no_env, 2, w_cl);
	const char *c2[] = {"verify-webhook", "--secret=" WHK_SECRET, "--request", f.request, NULL};
	whk_expect(c2, no_env, 2, w_cl);
	/* Usage: no input, two inputs, a broken capture. */
	const char *const with_env[] = {"HUBSPOT_CLIENT_SECRET=" WHK_SECRET, NULL};
	const char *d[] = {"verify-webhook", "--url", WHK_URL, NULL};
	const char *const w_d[] = {"give --request FILE, or --url and --signature", NULL};
	whk_expect(d, with_env, 2, w_d);
	const char *e[] = {"verify-webhook", "--request", f.request, "--body-file", f.body, NULL};
	const char *const w_e[] = {"--body-file goes with the flags", NULL};
	whk_expect(e, with_env, 2, w_e);
	whk_write(f.request, "POST /h HTTP/1.1\r\nContent-Length: 999\r\n\r\n[]", 0644);
	const char *const w_g[] = {"Content-Length says 999: the capture is cut short", NULL};
	whk_expect(b, with_env, 2, w_g);
	whk_write(f.request, "POST /h HTTP/1.1\r\nX-HubSpot-Signature-v3: x\r\n\r\n", 0644);
	const char *const w_h[] = {"no Host header: give --url-base", NULL};
	whk_expect(b, with_env, 2, w_h);
	whk_cleanup(&f);
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
	    cmocka_unit_test(test_verify_webhook_flags),
	    cmocka_unit_test(test_verify_webhook_request),
	    cmocka_unit_test(test_verify_webhook_secret_and_usage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
