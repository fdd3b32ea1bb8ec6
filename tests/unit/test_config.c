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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_file_good),
	    cmocka_unit_test(test_file_errors_name_the_line),
	    cmocka_unit_test(test_token_file),
	    cmocka_unit_test(test_point_at),
	    cmocka_unit_test(test_parse_uint),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
