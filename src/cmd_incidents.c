/* hsrunbook incidents: every incident in the state dir (id, state, severity, leaf, start,
 * duration). */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hsr/cmd.h"
#include "hsr/exitcode.h"
#include "hsr/format.h"
#include "hsr/incident_feed.h"

/* "2026-03-10 14:05:00" (UTC), or "-" for none. */
static void cmd_incidents_when(char *out, size_t sz, int64_t ms)
{
	if (!ms) {
		snprintf(out, sz, "-");
		return;
	}
	time_t s = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&s, &tm);
	strftime(out, sz, "%Y-%m-%d %H:%M:%S", &tm);
}

/* The list as JSON on out. */
static void cmd_incidents_json(FILE *out, const char *dir, const incident *list, int n, int64_t now)
{
	json_t *root = json_object(), *a = json_array();
	json_object_set_new(root, "state_dir", json_string(dir));
	for (int i = 0; i < n; i++) {
		const incident *inc = &list[i];
		char start[40];
		int64_t s = incident_start_ms(inc);
		journal_time_format(start, sizeof start, s);
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(inc->id));
		json_object_set_new(o, "state", json_string(incident_state_key(inc->state)));
		json_object_set_new(o, "status", json_string(incident_status_word(inc->state)));
		json_object_set_new(o, "severity",
				    inc->severity[0] ? json_string(inc->severity) : json_null());
		json_object_set_new(o, "owner",
				    inc->owner[0] ? json_string(inc->owner) : json_null());
		json_object_set_new(o, "leaf", inc->leaf[0] ? json_string(inc->leaf) : json_null());
		json_object_set_new(o, "start", s ? json_string(start) : json_null());
		json_object_set_new(o, "duration_s",
				    json_integer(incident_duration_ms(inc, now) / 1000));
		json_object_set_new(o, "open", json_boolean(incident_is_open(inc)));
		json_object_set_new(o, "events", json_integer((json_int_t)inc->n_ev));
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "incidents", a);
	json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
}

/* The list as a table on out. */
static void cmd_incidents_text(FILE *out, const char *dir, const incident *list, int n, int64_t now)
{
	if (n == 0) {
		fprintf(out, "no incidents in %s\n", dir);
		return;
	}
	fprintf(out, "%-18s %-13s %-4s %-22s %-20s %s\n", "ID", "STATE", "SEV", "LEAF",
		"START (UTC)", "DURATION");
	for (int i = 0; i < n; i++) {
		const incident *inc = &list[i];
		char start[32], dur[32];
		cmd_incidents_when(start, sizeof start, incident_start_ms(inc));
		format_duration(dur, sizeof dur, (long)(incident_duration_ms(inc, now) / 1000));
		fprintf(out, "%-18s %-13s %-4s %-22s %-20s %s%s\n", inc->id,
			incident_state_key(inc->state), inc->severity[0] ? inc->severity : "-",
			inc->leaf[0] ? inc->leaf : "-", start, dur,
			incident_is_open(inc) ? " (open)" : "");
	}
}

/*
 * The incidents of cfg's state dir (its path into dir), oldest first; -1 with one line on
 * stderr when it cannot be read. `incidents` and `postmortem` read them so.
 */
int cmd_incidents_read(const config *cfg, char *dir, size_t dirsz, incident **list)
{
	incident_feed_state_dir(cfg, dir, dirsz);
	int n = incident_feed_list(dir, list);
	if (n < 0)
		fprintf(stderr, "hsrunbook: cannot read %s/%s: %s (check --state-dir)\n", dir,
			INCIDENT_FEED_SUBDIR, strerror(errno));
	return n;
}

/* Read the state dir of cfg and print its incidents. */
static int cmd_incidents_print(const config *cfg, bool json)
{
	char dir[512];
	incident *list;
	int n = cmd_incidents_read(cfg, dir, sizeof dir, &list);
	if (n < 0)
		return EXIT_INTERNAL;
	int64_t now = common_now_ms();
	if (json)
		cmd_incidents_json(stdout, dir, list, n, now);
	else
		cmd_incidents_text(stdout, dir, list, n, now);
	incident_feed_list_free(list, n);
	return EXIT_OK;
}

/* List the incidents; 0, or 1 when the state dir cannot be read (2 bad settings). */
static int cmd_incidents_run(const cmd_args *a)
{
	cmd_env e;
	int rc = cmd_env_open(&e, a, "incidents");
	if (rc)
		return rc;
	rc = cmd_incidents_print(&e.cfg, cmd_given(a, "json"));
	return cmd_env_close(&e, rc);
}

static const cmd_option *const cmd_incidents_groups[] = {cmd_json_options, cmd_settings_options,
							 NULL};

const cmd_entry cmd_incidents = {
    .name = "incidents",
    .args = "[--json] [OPTIONS]",
    .summary = "list the incidents recorded in the state dir, oldest first",
    .options = cmd_incidents_groups,
    .run = cmd_incidents_run,
    .help_more = NULL,
};
