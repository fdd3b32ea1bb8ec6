/* Settings: defaults, the "key = value" config file, the token file. */
#include "hsr/config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Fill c with the defaults. */
void config_defaults(config *c)
{
	memset(c, 0, sizeof *c);
	common_strlcpy(c->status_url, CONFIG_DEFAULT_STATUS_URL, sizeof c->status_url);
	common_strlcpy(c->api_base, CONFIG_DEFAULT_API_BASE, sizeof c->api_base);
	common_strlcpy(c->api_path, CONFIG_DEFAULT_API_PATH, sizeof c->api_path);
	common_strlcpy(c->usage_path, CONFIG_DEFAULT_USAGE_PATH, sizeof c->usage_path);
	common_strlcpy(c->statuspage_api_base, CONFIG_DEFAULT_STATUSPAGE_API,
		       sizeof c->statuspage_api_base);
	c->connect_timeout_ms = 3000;
	c->timeout_ms = 10000;
	c->interval_status_s = 60;
	c->interval_api_s = 60;
	c->interval_api_unhealthy_s = 15;
	c->interval_usage_s = 300;
	c->interval_usage_healthy_s = 3600;
	c->interval_health_s = 15;
	c->slow_ms = 3000;
	c->command_timeout_s = 60;
	c->update_cadence_s = 1800;
	c->recovery_after_s = 300;
}

typedef enum { K_STR, K_SECONDS, K_MS, K_MS_FROM_S, K_MINUTES, K_COMMAND } kind;

typedef struct {
	const char *key;
	kind k;
	size_t off;
	size_t size;
	long min, max;
} setting;

#define S(name, field)                                                                             \
	{                                                                                          \
		name, K_STR, offsetof(config, field), sizeof(((config *)0)->field), 0, 0           \
	}
#define N(name, k, field, lo, hi)                                                                  \
	{                                                                                          \
		name, k, offsetof(config, field), 0, lo, hi                                        \
	}

/* Every key the config file and --set understand. */
static const setting settings[] = {
    S("status_url", status_url),
    S("api_base", api_base),
    S("api_path", api_path),
    S("usage_path", usage_path),
    S("health_url", health_url),
    S("health_hubspot_key", health_hubspot_key),
    S("cacert", cacert),
    S("token_file", token_file),
    S("runbook", runbook_path),
    S("state_dir", state_dir),
    S("log", log_path),
    S("templates_dir", templates_dir),
    S("slack_webhook_file", slack_webhook_file),
    S("statuspage_page_id", statuspage_page_id),
    S("statuspage_api_key_file", statuspage_api_key_file),
    S("statuspage_api_base", statuspage_api_base),
    N("timeout", K_MS_FROM_S, timeout_ms, 1, 300),
    N("connect_timeout", K_MS_FROM_S, connect_timeout_ms, 1, 120),
    N("interval_status", K_SECONDS, interval_status_s, 5, 86400),
    N("interval_api", K_SECONDS, interval_api_s, 5, 86400),
    N("interval_api_unhealthy", K_SECONDS, interval_api_unhealthy_s, 5, 86400),
    N("interval_usage", K_SECONDS, interval_usage_s, 60, 86400),
    N("interval_usage_healthy", K_SECONDS, interval_usage_healthy_s, 60, 86400),
    N("interval_health", K_SECONDS, interval_health_s, 2, 86400),
    N("slow_ms", K_MS, slow_ms, 100, 600000),
    N("utc_offset", K_MINUTES, utc_offset_min, -14 * 60, 14 * 60),
    N("update_cadence", K_SECONDS, update_cadence_s, 60, 86400),
    N("recovery_after", K_SECONDS, recovery_after_s, 0, 86400),
    N("command_timeout", K_SECONDS, command_timeout_s, 1, 3600),
    {CONFIG_COMMAND_KEY, K_COMMAND, 0, 0, 0, 0}, /* the pattern: set_command() takes them */
};

#define N_SETTINGS (sizeof settings / sizeof settings[0])

/* Every setting's key, NULL-terminated. */
size_t config_key_names(const char **out, size_t max)
{
	size_t n = 0;
	for (; n < N_SETTINGS && n + 1 < max; n++)
		out[n] = settings[n].key;
	out[n] = NULL;
	return n;
}

/* The one-line reason for a key no setting has, with the nearest one when it is a likely slip. */
static void unknown_key(const char *key, char *err, size_t errsz)
{
	const char *keys[N_SETTINGS + 1];
	config_key_names(keys, N_SETTINGS + 1);
	const char *near = common_nearest(key, keys);
	if (near)
		snprintf(err, errsz, "unknown setting \"%.40s\": did you mean %s?", key, near);
	else
		snprintf(err, errsz,
			 "unknown setting \"%.40s\": `hsrunbook --help` lists the settings", key);
}

/* Parse "+hh:mm" or "-hh:mm" (as HubSpot's utcOffset is written) into minutes. */
static int parse_offset(const char *v, long *out)
{
	if ((v[0] != '+' && v[0] != '-') || strlen(v) != 6 || v[3] != ':')
		return -1;
	for (int i = 1; i < 6; i++)
		if (i != 3 && !isdigit((unsigned char)v[i]))
			return -1;
	long h = (v[1] - '0') * 10 + (v[2] - '0'), m = (v[4] - '0') * 10 + (v[5] - '0');
	if (h > 14 || m > 59)
		return -1;
	*out = (v[0] == '-' ? -1 : 1) * (h * 60 + m);
	return 0;
}

/* Pure: whether name may name a team command. */
bool config_command_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= CONFIG_COMMAND_NAME_MAX)
		return false;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			return false;
	return true;
}

/* The shell line of team command name, or NULL. */
const char *config_command(const config *c, const char *name)
{
	for (size_t i = 0; name && i < c->n_commands; i++)
		if (strcmp(c->commands[i].name, name) == 0)
			return c->commands[i].line;
	return NULL;
}

/* Apply `command.NAME = line`: a later one replaces an earlier one; an empty line removes it. */
static int set_command(config *c, const char *key, const char *value, char *err, size_t errsz)
{
	const char *name = key + strlen(CONFIG_COMMAND_PREFIX);
	if (!config_command_name_ok(name)) {
		snprintf(err, errsz,
			 "\"%.60s\": a command name is 1 to %d letters, digits, '-', '_' or '.', "
			 "as in command.restart",
			 key, CONFIG_COMMAND_NAME_MAX - 1);
		return -1;
	}
	if (strlen(value) >= CONFIG_COMMAND_LINE_MAX) {
		snprintf(err, errsz, "%s is too long (at most %d characters): put it in a script",
			 key, CONFIG_COMMAND_LINE_MAX - 1);
		return -1;
	}
	for (const char *p = value; *p; p++)
		if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f) {
			snprintf(err, errsz,
				 "%s holds a control character: give the shell line on one line",
				 key);
			return -1;
		}
	size_t i = 0;
	while (i < c->n_commands && strcmp(c->commands[i].name, name) != 0)
		i++;
	if (!*value) { /* removed */
		if (i < c->n_commands) {
			memmove(&c->commands[i], &c->commands[i + 1],
				(c->n_commands - i - 1) * sizeof c->commands[0]);
			c->n_commands--;
		}
		return 0;
	}
	if (i == c->n_commands) {
		if (c->n_commands == CONFIG_MAX_COMMANDS) {
			snprintf(err, errsz,
				 "%s: at most %d team commands can be configured; remove one", key,
				 CONFIG_MAX_COMMANDS);
			return -1;
		}
		common_strlcpy(c->commands[i].name, name, sizeof c->commands[i].name);
		c->n_commands++;
	}
	common_strlcpy(c->commands[i].line, value, sizeof c->commands[i].line);
	return 0;
}

/* Apply one setting. */
int config_set(config *c, const char *key, const char *value, char *err, size_t errsz)
{
	if (strcmp(key, "token") == 0 || strcmp(key, "access_token") == 0) {
		snprintf(err, errsz,
			 "the token is not read from the config file or --set: use "
			 "HUBSPOT_ACCESS_TOKEN or token_file");
		return -1;
	}
	if (strncmp(key, CONFIG_COMMAND_PREFIX, strlen(CONFIG_COMMAND_PREFIX)) == 0)
		return set_command(c, key, value, err, errsz);
	for (size_t i = 0; i < N_SETTINGS; i++) {
		const setting *s = &settings[i];
		if (s->k == K_COMMAND || strcmp(s->key, key) != 0)
			continue;
		char *field = (char *)c + s->off;
		if (s->k == K_STR) {
			if (strlen(value) >= s->size) {
				snprintf(err, errsz, "%s is too long (at most %zu characters)", key,
					 s->size - 1);
				return -1;
			}
			common_strlcpy(field, value, s->size);
			return 0;
		}
		long v;
		if (s->k == K_MINUTES) {
			if (parse_offset(value, &v) != 0 || v < s->min || v > s->max) {
				snprintf(err, errsz,
					 "%s must be the account's UTC offset as +HH:MM or -HH:MM "
					 "(e.g. -05:00), not \"%.40s\"",
					 key, value);
				return -1;
			}
		} else {
			opt_int n = common_parse_uint(value);
			if (!n.known || n.v < s->min || n.v > s->max) {
				snprintf(err, errsz,
					 "%s must be a whole number of %s from %ld to %ld, "
					 "not \"%.40s\"",
					 key, s->k == K_MS ? "milliseconds" : "seconds", s->min,
					 s->max, value);
				return -1;
			}
			v = (long)n.v;
			if (s->k == K_MS_FROM_S)
				v *= 1000;
		}
		*(long *)(void *)field = v;
		if (s->k == K_MINUTES)
			c->utc_offset_set = true;
		return 0;
	}
	unknown_key(key, err, errsz);
	return -1;
}

/* Strip blanks at both ends, in place. */
static char *strip(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Read a config file of "key = value" lines. */
int config_load_file(config *c, const char *path, bool optional, char *err, size_t errsz)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		if (optional && errno == ENOENT)
			return 0;
		snprintf(err, errsz, "%s: cannot read the config file: %s", path, strerror(errno));
		return -1;
	}
	char line[2048];
	int lineno = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		char *s = strip(line);
		if (*s == '\0' || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errsz, "%s:%d: expected \"key = value\"", path, lineno);
			fclose(f);
			return -1;
		}
		*eq = '\0';
		char *key = strip(s), *val = strip(eq + 1);
		size_t vl = strlen(val);
		/* Outer quotes go only when they are the only ones: `"a" "b"` is a shell line. */
		if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"' &&
		    !memchr(val + 1, '"', vl - 2)) {
			val[vl - 1] = '\0';
			val++;
		}
		char why[200];
		if (config_set(c, key, val, why, sizeof why) != 0) {
			snprintf(err, errsz, "%s:%d: %s", path, lineno, why);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

/* $XDG_CONFIG_HOME/hsrunbook/config, else ~/.config/hsrunbook/config. */
void config_default_path(char *out, size_t outsz)
{
	const char *x = getenv("XDG_CONFIG_HOME");
	if (x && *x == '/') {
		snprintf(out, outsz, "%s/hsrunbook/config", x);
		return;
	}
	const char *home = getenv("HOME");
	snprintf(out, outsz, "%s/.config/hsrunbook/config", home && *home ? home : ".");
}

/* Read a regular file only its owner can read (not a link) into buf; bytes read, or -1. */
ssize_t config_read_private(const char *path, const char *what, char *buf, size_t bufsz, char *err,
			    size_t errsz)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		snprintf(err, errsz, "%s: cannot open the %s: %s", path, what, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "%s: the %s is not a regular file", path, what);
		close(fd);
		return -1;
	}
	if (st.st_mode & 077) {
		snprintf(err, errsz,
			 "%s: the %s is readable by others (mode %03o): run chmod 600 %s", path,
			 what, (unsigned)(st.st_mode & 0777), path);
		close(fd);
		return -1;
	}
	ssize_t n = read(fd, buf, bufsz - 1);
	int e = errno;
	close(fd);
	if (n < 0) {
		snprintf(err, errsz, "%s: cannot read the %s: %s", path, what, strerror(e));
		return -1;
	}
	buf[n] = '\0';
	return n;
}

/* Read the token from a file only its owner can read. */
int config_load_token_file(config *c, const char *path, char *err, size_t errsz)
{
	char buf[sizeof c->token];
	if (config_read_private(path, "token file", buf, sizeof buf, err, errsz) < 0)
		return -1;
	char *t = strip(buf);
	if (!*t || strpbrk(t, " \t\r\n")) {
		snprintf(err, errsz, "%s: the token file must hold the token alone on one line",
			 path);
		explicit_bzero(buf, sizeof buf);
		return -1;
	}
	common_strlcpy(c->token, t, sizeof c->token);
	explicit_bzero(buf, sizeof buf);
	return 0;
}

/* Pure: whether an environment token is the token alone; 0, or -1 with a one-line reason. */
int config_check_token(const char *token, size_t max, char *err, size_t errsz)
{
	if (strlen(token) >= max || strpbrk(token, " \t\r\n\v\f")) {
		snprintf(err, errsz,
			 "HUBSPOT_ACCESS_TOKEN must be the token alone: no spaces or line breaks, "
			 "under %zu characters",
			 max);
		return -1;
	}
	for (const char *p = token; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			snprintf(err, errsz,
				 "HUBSPOT_ACCESS_TOKEN holds a control character: set it "
				 "to the token alone");
			return -1;
		}
	return 0;
}

/* The token: from file when given (--token-file), else HUBSPOT_ACCESS_TOKEN, else token_file. */
int config_load_token(config *c, const char *file, char *err, size_t errsz)
{
	const char *env = getenv("HUBSPOT_ACCESS_TOKEN");
	if (file)
		return config_load_token_file(c, file, err, errsz);
	if (env && *env) {
		if (config_check_token(env, sizeof c->token, err, errsz) != 0)
			return -1;
		common_strlcpy(c->token, env, sizeof c->token);
		return 0;
	}
	if (c->token_file[0])
		return config_load_token_file(c, c->token_file, err, errsz);
	return 0;
}

/* Whether c may appear in a host name (ASCII letters, digits, '-', '.', '_', or UTF-8). */
static bool host_char(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_' || c >= 0x80;
}

/* Check that url is http(s), has a host and a sane port, and holds no blanks or controls. */
int config_check_url(const char *key, const char *url, char *err, size_t errsz)
{
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f) {
			snprintf(err, errsz,
				 "%s holds a blank or control character: give the URL alone, "
				 "without spaces",
				 key);
			return -1;
		}
	if (!*url) {
		snprintf(err, errsz, "%s is empty: give it as https://HOST/PATH", key);
		return -1;
	}
	const char *rest;
	if (strncasecmp(url, "https://", 8) == 0)
		rest = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		rest = url + 7;
	else if (strstr(url, "://")) {
		snprintf(err, errsz,
			 "%s \"%.80s\" is not http:// or https://, the only URLs probed: give "
			 "it as https://HOST/PATH",
			 key, url);
		return -1;
	} else {
		snprintf(err, errsz,
			 "%s \"%.80s\" has no http:// or https://: write it as https://%.80s", key,
			 url, url);
		return -1;
	}
	/* The authority: up to the path, query or fragment; user info is skipped. */
	size_t alen = strcspn(rest, "/?#");
	const char *at = memrchr(rest, '@', alen);
	const char *host = at ? at + 1 : rest;
	const char *end = rest + alen;
	const char *port = NULL;
	const char *hend;
	if (*host == '[') {
		hend = memchr(host, ']', (size_t)(end - host));
		if (!hend || hend == host + 1) {
			snprintf(err, errsz,
				 "%s \"%.80s\": an IPv6 host is written in brackets, as "
				 "http://[::1]:8080/",
				 key, url);
			return -1;
		}
		hend++;
		if (hend < end && *hend != ':') {
			snprintf(err, errsz, "%s \"%.80s\": after ] only :PORT may follow", key,
				 url);
			return -1;
		}
	} else {
		hend = host;
		while (hend < end && *hend != ':') {
			if (!host_char((unsigned char)*hend)) {
				snprintf(err, errsz,
					 "%s \"%.80s\": '%c' cannot be part of a host name", key,
					 url, *hend);
				return -1;
			}
			hend++;
		}
	}
	if (hend == host) {
		snprintf(err, errsz, "%s \"%.80s\" has no host: write it as https://HOST/PATH", key,
			 url);
		return -1;
	}
	if (hend < end && *hend == ':')
		port = hend + 1;
	if (port) {
		char digits[8];
		size_t pl = (size_t)(end - port);
		opt_int n = OPT_UNKNOWN;
		if (pl > 0 && pl < sizeof digits) {
			memcpy(digits, port, pl);
			digits[pl] = '\0';
			n = common_parse_uint(digits);
		}
		if (!n.known || n.v < 1 || n.v > 65535) { /* blanks were refused above */
			snprintf(err, errsz,
				 "%s \"%.80s\": the port must be a number from 1 to 65535 "
				 "(or left out)",
				 key, url);
			return -1;
		}
	}
	return 0;
}

/* Check every URL setting. */
int config_check(const config *c, char *err, size_t errsz)
{
	if (config_check_url("status_url", c->status_url, err, errsz) != 0 ||
	    config_check_url("api_base", c->api_base, err, errsz) != 0)
		return -1;
	if (c->health_url[0] && config_check_url("health_url", c->health_url, err, errsz) != 0)
		return -1;
	if (c->statuspage_api_base[0] &&
	    config_check_url("statuspage_api_base", c->statuspage_api_base, err, errsz) != 0)
		return -1;
	return 0;
}

/* Point every probe at a local base URL such as http://127.0.0.1:PORT. */
void config_point_at(config *c, const char *base_url)
{
	snprintf(c->status_url, sizeof c->status_url, "%s/api/v2/summary.json", base_url);
	common_strlcpy(c->api_base, base_url, sizeof c->api_base);
	snprintf(c->health_url, sizeof c->health_url, "%s/health", base_url);
}
