/* Settings: the config file's errors name file and line; the token file must be private. */
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

#include "hsr/config.h"

/* Write text to a fresh temporary file with the given mode; returns its path (static). */
static const char *temp_file(const char *text, mode_t mode)
{
	static char path[64];
	strcpy(path, "/tmp/hsr-cfg-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	chmod(path, mode);
	return path;
}

static void test_defaults(void **state)
{
	(void)state;
	config c;
	config_defaults(&c);
	assert_string_equal(c.api_base, "https://api.hubapi.com");
	assert_string_equal(c.status_url, "https://status.hubspot.com/api/v2/summary.json");
	assert_string_equal(c.health_url, "");
	assert_int_equal(c.timeout_ms, 10000);
	assert_int_equal(c.connect_timeout_ms, 3000);
	assert_int_equal(c.interval_api_s, 60);
	assert_int_equal(c.interval_api_unhealthy_s, 15);
	assert_string_equal(c.token, "");
}

static void test_file_good(void **state)
{
	(void)state;
	config c;
	char err[256];
	config_defaults(&c);
	const char *p = temp_file(
	    "# comment\n\n  health_url = https://app.example/health  \n"
	    "timeout=4\nutc_offset = -05:00\napi_path = \"/crm/v3/objects/deals?limit=1\"\n",
	    0644);
	assert_int_equal(config_load_file(&c, p, false, err, sizeof err), 0);
	assert_string_equal(c.health_url, "https://app.example/health");
	assert_int_equal(c.timeout_ms, 4000);
	assert_int_equal(c.utc_offset_min, -300);
	assert_string_equal(c.api_path, "/crm/v3/objects/deals?limit=1");
	unlink(p);
}

static void test_file_errors_name_the_line(void **state)
{
	(void)state;
	static const char *const bad[][2] = {
	    {"timeout = 4\nbogus = 1\n", ":2: unknown setting \"bogus\""},
	    {"\n\nno equals sign\n", ":3: expected \"key = value\""},
	    {"timeout = -5\n", ":1: timeout must be a whole number"},
	    {"timeout = 99999999999999999999999\n", ":1: timeout must be"},
	    {"interval_api = 1\n", ":1: interval_api must be a whole number of seconds from 5"},
	    {"utc_offset = EST\n", ":1: utc_offset must be the account's UTC offset as +HH:MM"},
	    {"utc_offset = -5\n", ":1: utc_offset must be the account's UTC offset"},
	    {"utc_offset = +15:00\n", ":1: utc_offset must be"},
	    {"token = pat-na1-abc\n", ":1: the token is not read from the config file"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		config c;
		char err[256];
		config_defaults(&c);
		const char *p = temp_file(bad[i][0], 0644);
		assert_int_equal(config_load_file(&c, p, false, err, sizeof err), -1);
		assert_non_null(strstr(err, p));
		if (!strstr(err, bad[i][1]))
			fail_msg("%s: got \"%s\"", bad[i][1], err);
		assert_null(strstr(err, "pat-na1-abc"));
		unlink(p);
	}
	config c;
	char err[256];
	config_defaults(&c);
	assert_int_equal(config_load_file(&c, "/nonexistent/hsr", true, err, sizeof err), 0);
	assert_int_equal(config_load_file(&c, "/nonexistent/hsr", false, err, sizeof err), -1);
}

static void test_token_file(void **state)
{
	(void)state;
	config c;
	char err[256];
	config_defaults(&c);
	const char *p = temp_file("  pat-na1-11111111-2222\n", 0600);
	assert_int_equal(config_load_token_file(&c, p, err, sizeof err), 0);
	assert_string_equal(c.token, "pat-na1-11111111-2222");
	chmod(p, 0640);
	config_defaults(&c);
	assert_int_equal(config_load_token_file(&c, p, err, sizeof err), -1);
	assert_non_null(strstr(err, "chmod 600"));
	assert_string_equal(c.token, "");
	assert_null(strstr(err, "pat-na1"));
	unlink(p);
	p = temp_file("two words\n", 0600);
	assert_int_equal(config_load_token_file(&c, p, err, sizeof err), -1);
	unlink(p);
	p = temp_file("", 0600);
	assert_int_equal(config_load_token_file(&c, p, err, sizeof err), -1);
	unlink(p);
}

/* The environment's token: the token alone, else a reason that never repeats it. */
static void test_check_token(void **state)
{
	(void)state;
	char err[256];
	assert_int_equal(config_check_token("pat-na1-11111111-2222", 1024, err, sizeof err), 0);
	static const char *const bad[] = {
	    "pat-na1-x\r\nX-Evil: 1", "pat-na1 x", "pat\tx", "pat-na1-x\n", "pat\x01x", "pat\x7fx"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		assert_int_equal(config_check_token(bad[i], 1024, err, sizeof err), -1);
		assert_non_null(strstr(err, "HUBSPOT_ACCESS_TOKEN"));
		assert_null(strstr(err, "pat"));
	}
	char longer[40];
	memset(longer, 'a', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	/* 39 characters need a buffer of 40. */
	assert_int_equal(config_check_token(longer, sizeof longer - 1, err, sizeof err), -1);
	assert_non_null(strstr(err, "under 39 characters"));
	assert_int_equal(config_check_token(longer, sizeof longer, err, sizeof err), 0);
}

/* Where the token comes from: --token-file, else HUBSPOT_ACCESS_TOKEN, else token_file. */
static void test_load_token_order(void **state)
{
	(void)state;
	config c;
	char err[256];
	char flag_path[64], setting_path[64];
	snprintf(flag_path, sizeof flag_path, "%s", temp_file("pat-from-flag\n", 0600));
	snprintf(setting_path, sizeof setting_path, "%s", temp_file("pat-from-setting\n", 0600));
	setenv("HUBSPOT_ACCESS_TOKEN", "pat-from-env", 1);
	config_defaults(&c);
	assert_int_equal(config_set(&c, "token_file", setting_path, err, sizeof err), 0);
	assert_int_equal(config_load_token(&c, flag_path, err, sizeof err), 0);
	assert_string_equal(c.token, "pat-from-flag");
	assert_int_equal(config_load_token(&c, NULL, err, sizeof err), 0);
	assert_string_equal(c.token, "pat-from-env");
	setenv("HUBSPOT_ACCESS_TOKEN", "", 1); /* empty: as if unset */
	assert_int_equal(config_load_token(&c, NULL, err, sizeof err), 0);
	assert_string_equal(c.token, "pat-from-setting");
	setenv("HUBSPOT_ACCESS_TOKEN", "pat x", 1);
	assert_int_equal(config_load_token(&c, NULL, err, sizeof err), -1);
	unsetenv("HUBSPOT_ACCESS_TOKEN");
	config_defaults(&c);
	assert_int_equal(config_load_token(&c, NULL, err, sizeof err), 0);
	assert_string_equal(c.token, ""); /* no token at all is fine: triage says so */
	chmod(flag_path, 0644);
	assert_int_equal(config_load_token(&c, flag_path, err, sizeof err), -1);
	assert_non_null(strstr(err, "chmod 600"));
	unlink(flag_path);
	unlink(setting_path);
}

static void test_point_at(void **state)
{
	(void)state;
	config c;
	config_defaults(&c);
	config_point_at(&c, "http://127.0.0.1:4567");
	assert_string_equal(c.status_url, "http://127.0.0.1:4567/api/v2/summary.json");
	assert_string_equal(c.api_base, "http://127.0.0.1:4567");
	assert_string_equal(c.health_url, "http://127.0.0.1:4567/health");
}

static void test_parse_uint(void **state)
{
	(void)state;
	assert_true(common_parse_uint("190").known);
	assert_int_equal(common_parse_uint(" 10000 ").v, 10000);
	assert_false(common_parse_uint("-5").known);
	assert_false(common_parse_uint("abc").known);
	assert_false(common_parse_uint("").known);
	assert_false(common_parse_uint("12abc").known);
	assert_false(common_parse_uint("999999999999999999999999999999").known);
	assert_false(common_parse_uint(NULL).known);
	assert_int_equal(common_parse_uint("0").v, 0);
	assert_true(common_parse_uint("0").known);
}

/* Edit distance: insertions, deletions, substitutions, neighbour swaps; case does not count. */
static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(common_edit_distance("", ""), 0);
	assert_int_equal(common_edit_distance("health_url", "health_url"), 0);
	assert_int_equal(common_edit_distance("helth_url", "health_url"), 1);  /* deletion */
	assert_int_equal(common_edit_distance("heatlh_url", "health_url"), 1); /* swap */
	assert_int_equal(common_edit_distance("health-url", "health_url"), 1); /* substitution */
	assert_int_equal(common_edit_distance("Health_URL", "health_url"), 0); /* case */
	assert_int_equal(common_edit_distance("health_urls", "health_url"), 1);
	assert_int_equal(common_edit_distance("", "log"), 3);
	assert_int_equal(common_edit_distance("kitten", "sitting"), 3);
	assert_int_equal(common_edit_distance("ca", "abc"), 3); /* a swap is not then edited */
	/* Symmetric. */
	assert_int_equal(common_edit_distance("interval_api", "intervalapi_"),
			 common_edit_distance("intervalapi_", "interval_api"));
	/* Over-long words are far from everything, and do not overrun. */
	char big[200];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_true(common_edit_distance(big, big) > 100);
	/* UTF-8 bytes are compared as bytes. */
	assert_int_equal(common_edit_distance("h\xc3\xa9"
					      "alth_url",
					      "health_url"),
			 2);
}

/* The nearest known word: a likely slip gets a suggestion, a stranger gets none. */
static void test_nearest(void **state)
{
	(void)state;
	const char *keys[64];
	size_t n = config_key_names(keys, 64);
	assert_true(n >= 20);
	assert_null(keys[n]);
	assert_string_equal(common_nearest("helth_url", keys), "health_url");
	assert_string_equal(common_nearest("heatlh_url", keys), "health_url");
	assert_string_equal(common_nearest("health_u", keys), "health_url"); /* the start of one */
	assert_string_equal(common_nearest("timout", keys), "timeout");
	assert_string_equal(common_nearest("interval-api", keys), "interval_api");
	assert_string_equal(common_nearest("interval_api_unhealty", keys),
			    "interval_api_unhealthy");
	assert_string_equal(common_nearest("utcoffset", keys), "utc_offset");
	assert_string_equal(common_nearest("STATUS_URL", keys), "status_url");
	assert_null(common_nearest("bogus", keys));
	assert_null(common_nearest("interval", keys)); /* the start of several: no guess */
	assert_null(common_nearest("", keys));
	assert_null(common_nearest("x", keys));
	assert_null(common_nearest("completely_unrelated_words_here", keys));
	/* A small list works too: max writes at most max entries with the NULL. */
	const char *two[2];
	assert_int_equal(config_key_names(two, 2), 1);
	assert_null(two[1]);
}

/* An unknown key says the nearest, in the file (FILE:LINE) and through config_set (--set). */
static void test_unknown_key_suggests(void **state)
{
	(void)state;
	config c;
	char err[256];
	config_defaults(&c);
	assert_int_equal(config_set(&c, "helth_url", "https://x/health", err, sizeof err), -1);
	assert_string_equal(err, "unknown setting \"helth_url\": did you mean health_url?");
	assert_int_equal(config_set(&c, "bogus", "1", err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown setting \"bogus\""));
	assert_non_null(strstr(err, "--help"));
	assert_null(strstr(err, "did you mean"));
	/* The token is never a setting, and no "did you mean token_file" for it. */
	assert_int_equal(config_set(&c, "token", "pat-na1-abc", err, sizeof err), -1);
	assert_non_null(strstr(err, "HUBSPOT_ACCESS_TOKEN"));
	assert_null(strstr(err, "pat-na1-abc"));
	assert_null(strstr(err, "did you mean"));
	assert_string_equal(c.token, "");
	const char *p = temp_file("timeout = 4\n# a comment\ninterval_helth = 30\n", 0644);
	assert_int_equal(config_load_file(&c, p, false, err, sizeof err), -1);
	char want[128];
	snprintf(want, sizeof want,
		 "%s:3: unknown setting \"interval_helth\": did you mean "
		 "interval_health?",
		 p);
	assert_string_equal(err, want);
	unlink(p);
}

/* URLs are checked: http or https, a host, a port in range, no blanks. */
static void test_check_url(void **state)
{
	(void)state;
	static const char *const good[] = {
	    "https://status.hubspot.com/api/v2/summary.json",
	    "https://api.hubapi.com",
	    "http://127.0.0.1:8080/health",
	    "HTTPS://API.HUBAPI.COM/",
	    "http://[::1]:4567/health",
	    "https://app.example?x=1",
	    "https://user@app.example:443/health#top",
	    "http://localhost",
	    NULL,
	};
	char err[256];
	for (size_t i = 0; good[i]; i++)
		if (config_check_url("health_url", good[i], err, sizeof err) != 0)
			fail_msg("%s refused: %s", good[i], err);
	static const char *const bad[][2] = {
	    {"ftp://files.example/x", "is not http:// or https://"},
	    {"app.example/health", "write it as https://app.example/health"},
	    {"", "is empty: give it as https://HOST/PATH"},
	    {"https://", "has no host"},
	    {"https:///health", "has no host"},
	    {"http://:8080/", "has no host"},
	    {"https://user@/x", "has no host"},
	    {"http://host:0/", "port must be a number from 1 to 65535"},
	    {"http://host:65536/", "port must be a number from 1 to 65535"},
	    {"http://host:/", "port must be"},
	    {"http://host:80x/", "port must be"},
	    {"http://host:99999999999/", "port must be"},
	    {"http://ho st/", "blank or control character"},
	    {"http://host/\x1b[2J", "blank or control character"},
	    {"http://ho$t/", "'$' cannot be part of a host name"},
	    {"http://[::1/", "IPv6 host is written in brackets"},
	    {"http://[]/", "IPv6 host is written in brackets"},
	    {"http://[::1]x/", "after ] only :PORT"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (config_check_url("health_url", bad[i][0], err, sizeof err) == 0)
			fail_msg("%s accepted", bad[i][0]);
		if (!strstr(err, bad[i][1]))
			fail_msg("%s: want \"%s\", got \"%s\"", bad[i][0], bad[i][1], err);
		assert_true(strncmp(err, "health_url", 10) == 0);
		assert_null(strchr(err, '\n'));
		assert_null(strchr(err, '\x1b'));
	}
	/* config_check: each URL setting by its name; an empty health_url is "not configured". */
	config c;
	config_defaults(&c);
	assert_int_equal(config_check(&c, err, sizeof err), 0);
	strcpy(c.api_base, "api.hubapi.com");
	assert_int_equal(config_check(&c, err, sizeof err), -1);
	assert_true(strncmp(err, "api_base ", 9) == 0);
	config_defaults(&c);
	strcpy(c.status_url, "https://");
	assert_int_equal(config_check(&c, err, sizeof err), -1);
	assert_true(strncmp(err, "status_url ", 11) == 0);
	config_defaults(&c);
	strcpy(c.health_url, "gopher://x");
	assert_int_equal(config_check(&c, err, sizeof err), -1);
	assert_true(strncmp(err, "health_url ", 11) == 0);
}

/* Team commands: `command.NAME = line` keys, replaced and removed; command_timeout; bad names. */
static void test_commands(void **state)
{
	(void)state;
	config c;
	char err[256];
	config_defaults(&c);
	assert_int_equal(c.command_timeout_s, 60);
	assert_int_equal(c.n_commands, 0);
	assert_null(config_command(&c, "restart"));
	const char *p = temp_file("command.restart = kubectl rollout restart deploy/sync\n"
				  "command.fallback-on = \"./flag\" on \"queue mode\"\n"
				  "command.update_secret.v2 = \"vault write x\"\n"
				  "command_timeout = 90\n"
				  "command.restart = systemctl restart hubsync\n",
				  0644);
	assert_int_equal(config_load_file(&c, p, false, err, sizeof err), 0);
	unlink(p);
	assert_int_equal(c.command_timeout_s, 90);
	assert_int_equal(c.n_commands, 3);
	assert_string_equal(config_command(&c, "restart"), "systemctl restart hubsync");
	/* Quotes inside a shell line stay; only a line quoted as a whole loses its quotes. */
	assert_string_equal(config_command(&c, "fallback-on"), "\"./flag\" on \"queue mode\"");
	assert_string_equal(config_command(&c, "update_secret.v2"), "vault write x");
	assert_null(config_command(&c, "Restart"));
	assert_null(config_command(&c, "fallback"));
	/* --set takes them like any key; an empty line removes one. */
	assert_int_equal(config_set(&c, "command.throttle", "./throttle 50%", err, sizeof err), 0);
	assert_string_equal(config_command(&c, "throttle"), "./throttle 50%");
	assert_int_equal(config_set(&c, "command.fallback-on", "", err, sizeof err), 0);
	assert_null(config_command(&c, "fallback-on"));
	assert_int_equal(c.n_commands, 3);
	assert_string_equal(config_command(&c, "throttle"), "./throttle 50%");
	/* Bad names, control characters, too many, a bad time-out: one line naming the key. */
	const char *bad_keys[] = {"command.", "command.a b", "command.x/y", "command.ä",
				  "command.$(id)"};
	for (size_t i = 0; i < sizeof bad_keys / sizeof bad_keys[0]; i++) {
		assert_int_equal(config_set(&c, bad_keys[i], "true", err, sizeof err), -1);
		assert_non_null(strstr(err, "command name"));
		assert_null(strchr(err, '\n'));
	}
	assert_int_equal(config_set(&c, "command.x", "echo a\nrm -rf /", err, sizeof err), -1);
	assert_non_null(strstr(err, "command.x holds a control character"));
	assert_int_equal(config_set(&c, "command.x", "printf '\x1b[2J'", err, sizeof err), -1);
	char longline[CONFIG_COMMAND_LINE_MAX + 1];
	memset(longline, 'a', sizeof longline - 1);
	longline[sizeof longline - 1] = '\0';
	assert_int_equal(config_set(&c, "command.x", longline, err, sizeof err), -1);
	assert_non_null(strstr(err, "too long"));
	longline[CONFIG_COMMAND_LINE_MAX - 1] = '\0';
	assert_int_equal(config_set(&c, "command.x", longline, err, sizeof err), 0);
	config_defaults(&c);
	for (int i = 0; i < CONFIG_MAX_COMMANDS; i++) {
		char key[32];
		snprintf(key, sizeof key, "command.c%d", i);
		assert_int_equal(config_set(&c, key, "true", err, sizeof err), 0);
	}
	assert_int_equal(config_set(&c, "command.one-more", "true", err, sizeof err), -1);
	assert_non_null(strstr(err, "at most 16"));
	assert_int_equal(config_set(&c, "command.c3", "false", err, sizeof err), 0); /* replaced */
	assert_string_equal(config_command(&c, "c3"), "false");
	assert_int_equal(config_set(&c, "command_timeout", "0", err, sizeof err), -1);
	assert_non_null(strstr(err, "command_timeout must be a whole number of seconds"));
	assert_int_equal(config_set(&c, "command_timeout", "3601", err, sizeof err), -1);
	/* A near miss of the prefix is an unknown setting with a hint, not a command. */
	assert_int_equal(config_set(&c, "command_timout", "5", err, sizeof err), -1);
	assert_non_null(strstr(err, "did you mean command_timeout?"));
	/* The listing names the pattern once, after command_timeout. */
	const char *keys[64];
	size_t n = config_key_names(keys, 64);
	assert_string_equal(keys[n - 2], "command_timeout");
	assert_string_equal(keys[n - 1], "command.NAME");
	assert_false(config_command_name_ok(""));
	assert_true(config_command_name_ok("a.b-c_9"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_file_good),
	    cmocka_unit_test(test_file_errors_name_the_line),
	    cmocka_unit_test(test_token_file),
	    cmocka_unit_test(test_check_token),
	    cmocka_unit_test(test_load_token_order),
	    cmocka_unit_test(test_point_at),
	    cmocka_unit_test(test_parse_uint),
	    cmocka_unit_test(test_edit_distance),
	    cmocka_unit_test(test_nearest),
	    cmocka_unit_test(test_unknown_key_suggests),
	    cmocka_unit_test(test_check_url),
	    cmocka_unit_test(test_commands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
