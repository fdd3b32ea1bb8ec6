/*
 * hsrunbook postmortem [ID] [-o FILE]: the Markdown postmortem of an incident (the latest when
 * no id is given), written from its journal alone: the same facts and template as screen 3.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hsr/cmd.h"
#include "hsr/comms.h"
#include "hsr/exitcode.h"
#include "hsr/incident_feed.h"

/* The incident called id in list (the latest when id is NULL), or NULL. */
static const incident *cmd_postmortem_pick(const incident *list, int n, const char *id)
{
	if (n <= 0)
		return NULL;
	if (!id)
		return &list[n - 1]; /* oldest first */
	for (int i = 0; i < n; i++)
		if (strcmp(list[i].id, id) == 0)
			return &list[i];
	return NULL;
}

/* Render the postmortem of inc and write it to path (or stdout when NULL). */
static int cmd_postmortem_write(const config *cfg, const runbook *rb, const incident *inc,
				const char *path)
{
	char err[400];
	message_templates m;
	if (message_templates_load_for(&m, cfg, err, sizeof err) != 0) {
		fprintf(stderr,
			"hsrunbook: %s (fix the template, or remove it to use the built-in)\n",
			err);
		return EXIT_USAGE;
	}
	comms_facts *c = malloc(sizeof *c);
	char *text = NULL;
	if (c) {
		comms_facts_fill(c, inc, NULL, rb, NULL, 0, common_now_ms());
		text = message_postmortem(&m, &c->f, false);
	}
	free(c);
	message_templates_free(&m);
	if (!text) {
		fprintf(stderr, "hsrunbook: out of memory writing the postmortem\n");
		return EXIT_INTERNAL;
	}
	FILE *out = path ? fopen(path, "w") : stdout;
	if (!out) {
		fprintf(stderr, "hsrunbook: cannot write %s: %s (check the folder and -o)\n", path,
			strerror(errno));
		free(text);
		return EXIT_USAGE;
	}
	bool ok = fputs(text, out) >= 0;
	ok = (path ? fclose(out) : fflush(out)) == 0 && ok;
	free(text);
	if (!ok) {
		fprintf(stderr, "hsrunbook: writing %s failed: %s (disk full?)\n",
			path ? path : "the postmortem", strerror(errno));
		return EXIT_INTERNAL;
	}
	if (path)
		fprintf(stderr, "hsrunbook: postmortem of %s written to %s\n", inc->id, path);
	return EXIT_OK;
}

/* Find the incident and write its postmortem; 2 when there is none by that id. */
static int cmd_postmortem_print(const config *cfg, const runbook *rb, const char *id,
				const char *path)
{
	char dir[512];
	incident *list;
	int n = cmd_incidents_read(cfg, dir, sizeof dir, &list);
	if (n < 0)
		return EXIT_INTERNAL;
	const incident *inc = cmd_postmortem_pick(list, n, id);
	int rc;
	if (!inc) {
		if (id)
			fprintf(
			    stderr,
			    "hsrunbook: no incident %s in %s (hsrunbook incidents lists them)\n",
			    id, dir);
		else
			fprintf(stderr, "hsrunbook: no incidents in %s yet (check --state-dir)\n",
				dir);
		rc = EXIT_USAGE;
	} else {
		rc = cmd_postmortem_write(cfg, rb, inc, path);
	}
	incident_feed_list_free(list, n);
	return rc;
}

/* Write the postmortem; 0, 2 (no such incident, bad template or file), 1 internal. */
static int cmd_postmortem_run(const cmd_args *a)
{
	cmd_env e;
	int rc = cmd_env_open(&e, a, "postmortem");
	if (rc)
		return rc;
	rc = cmd_postmortem_print(&e.cfg, e.rb, a->word, cmd_value(a, "output"));
	return cmd_env_close(&e, rc);
}

static const cmd_option cmd_postmortem_options[] = {
    {"output", 'o', "FILE", "write it to FILE (default: standard output)", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

static const cmd_option *const cmd_postmortem_groups[] = {cmd_postmortem_options,
							  cmd_settings_options, NULL};

const cmd_entry cmd_postmortem = {
    .name = "postmortem",
    .args = "[ID] [-o FILE] [OPTIONS]",
    .summary = "write an incident's Markdown postmortem from its journal (default: latest)",
    .options = cmd_postmortem_groups,
    .run = cmd_postmortem_run,
    .help_more = NULL,
    .word = "ID",
};
