/* Settings: defaults, the config file, the environment and the command line. */
#ifndef HSR_CONFIG_H
#define HSR_CONFIG_H

#include <sys/types.h>

#include "hsr/common.h"

#define CONFIG_DEFAULT_STATUS_URL     "https://status.hubspot.com/api/v2/summary.json"
#define CONFIG_DEFAULT_API_BASE	      "https://api.hubapi.com"
#define CONFIG_DEFAULT_API_PATH	      "/crm/v3/objects/contacts?limit=1"
#define CONFIG_DEFAULT_USAGE_PATH     "/account-info/v3/api-usage/daily/private-apps"
#define CONFIG_DEFAULT_STATUSPAGE_API "https://api.statuspage.io/v1"

/* Team commands: `command.NAME = shell line` in the config file (none by default). */
#define CONFIG_MAX_COMMANDS	16
#define CONFIG_COMMAND_NAME_MAX 48   /* bytes of NAME, with the terminating NUL */
#define CONFIG_COMMAND_LINE_MAX 1024 /* bytes of the shell line, with the terminating NUL */
#define CONFIG_COMMAND_KEY	"command.NAME" /* how config_key_names lists them */
#define CONFIG_COMMAND_PREFIX	"command."

/* One team command: its name and the exact shell line the operator confirms. */
typedef struct {
	char name[CONFIG_COMMAND_NAME_MAX];
	char line[CONFIG_COMMAND_LINE_MAX];
} config_command_entry;

typedef struct {
	char status_url[512];
	char api_base[512];
	char api_path[256];
	char usage_path[256];
	char health_url[512];	      /* "" = not configured */
	char health_hubspot_key[128]; /* the health body's HubSpot entry, by name; "" = guess */
	char cacert[512];
	char token_file[512];
	char runbook_path[512];
	char config_file[600]; /* the config file read or looked for (errors name it) */
	char state_dir[512];
	char log_path[512];
	char templates_dir[512];	   /* the team's message templates; "" = built in */
	char slack_webhook_file[512];	   /* holds the Slack webhook URL (0600); "" = none */
	char statuspage_page_id[64];	   /* "" = not configured */
	char statuspage_api_key_file[512]; /* holds the Statuspage API key (0600) */
	char statuspage_api_base[512];	   /* https://api.statuspage.io/v1 */
	char token[1024];		   /* never printed, never written */
	long connect_timeout_ms;	   /* 3000 */
	long timeout_ms;		   /* 10000 */
	long interval_status_s;		   /* 60 */
	long interval_api_s;		   /* 60 */
	long interval_api_unhealthy_s;	   /* 15 */
	long interval_usage_s;		   /* 300, while not healthy */
	long interval_usage_healthy_s;	   /* 3600, while healthy: keeps a day under 1,500 calls */
	long interval_health_s;		   /* 15 */
	long slow_ms;	     /* a 2xx slower than this is "slow" (hubspot-slow); 3000 */
	long utc_offset_min; /* the HubSpot account's offset, for the daily reset; 0 default */
	bool utc_offset_set; /* given in the config or on the command line */
	bool no_color;
	long command_timeout_s; /* 60: a team command is ended after this many seconds */
	long update_cadence_s;	/* 1800: the next update is due this long after the last message */
	long recovery_after_s;	/* 300: healthy this long before the recovery can be confirmed */
	config_command_entry commands[CONFIG_MAX_COMMANDS];
	size_t n_commands;
} config;

/* Fill c with the defaults. */
void config_defaults(config *c);
/*
 * Apply one "key = value" setting. Returns 0, or -1 with a one-line reason in err
 * (unknown key, with the nearest known one when there is a likely slip; bad number; the token,
 * which is never a setting).
 */
int config_set(config *c, const char *key, const char *value, char *err, size_t errsz);
/*
 * Read a config file of "key = value" lines ('#' comments). A missing file is fine
 * when optional. Returns 0, or -1 with "FILE:LINE: reason" in err.
 */
int config_load_file(config *c, const char *path, bool optional, char *err, size_t errsz);
/* The default config file path ($XDG_CONFIG_HOME/hsrunbook/config or ~/.config/...). */
void config_default_path(char *out, size_t outsz);
/*
 * Read at most bufsz-1 bytes of path into buf (terminated) when it is a regular file, not a
 * symbolic link, that only its owner can read: the token file, the webhook client secret. what
 * names the file in errors ("token file"). Returns the bytes read, or -1 with "PATH: reason"
 * in err (never the content).
 */
ssize_t config_read_private(const char *path, const char *what, char *buf, size_t bufsz, char *err,
			    size_t errsz);
/* Read the token from path, refusing a file readable by group or others. */
int config_load_token_file(config *c, const char *path, char *err, size_t errsz);
/* Pure: whether token (from the environment) is the token alone: shorter than max, no blanks or
 * control characters. Returns 0, or -1 with a one-line reason that never repeats the token. */
int config_check_token(const char *token, size_t max, char *err, size_t errsz);
/*
 * The token, into c->token: from file when not NULL (--token-file), else from
 * HUBSPOT_ACCESS_TOKEN, else from the token_file setting; none of them is fine (no token).
 * Returns 0, or -1 with a one-line reason in err.
 */
int config_load_token(config *c, const char *file, char *err, size_t errsz);
/* Every setting's key, in the order of the README's table, into out (NULL-terminated); max >= 1.
 * Returns how many were written. */
size_t config_key_names(const char **out, size_t max);
/*
 * Pure: whether url is one the probes can ask: http:// or https://, a host, a port from 1 to
 * 65535 when given, no blanks or control characters. Returns 0, or -1 with a one-line reason
 * naming key and saying how to write it.
 */
int config_check_url(const char *key, const char *url, char *err, size_t errsz);
/* Check every URL setting (status_url, api_base, health_url and statuspage_api_base when
 * set), as above. */
int config_check(const config *c, char *err, size_t errsz);
/*
 * The shell line of team command name (`command.NAME` in the config or --set), or NULL when
 * none is configured under that name.
 */
const char *config_command(const config *c, const char *name);
/* Pure: whether name may name a team command: 1 to 47 ASCII letters, digits, '-', '_', '.'. */
bool config_command_name_ok(const char *name);

/* Point status/API/health at a local base URL such as http://127.0.0.1:PORT. */
void config_point_at(config *c, const char *base_url);

#endif
