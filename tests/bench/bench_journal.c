/*
 * Benchmark of the incident journal on this machine: appends with fdatasync (events per second,
 * latency p50 and p99), the replay of a 100,000-event journal into an incident (what a restart
 * does; target under 200 ms), and the journal's size for an hour of a busy incident.
 * Usage: bench_journal [APPENDS] (default 2000); writes under $TMPDIR, removed after.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hsr/incident.h"
#include "hsr/incident_feed.h"
#include "hsr/journal.h"

#define REPLAY_EVENTS 100000
#define T0	      1773151500000LL

/* Monotonic microseconds. */
static long long usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

/* A probe event as the feed writes it during an incident. */
static json_t *probe_data(int i)
{
	char text[160], id[48];
	snprintf(id, sizeof id, "%08x-1f2e-4d3c-8b7a-%012d", (unsigned)i * 2654435761u, i);
	snprintf(text, sizeof text, "correlation id %s (API 401)", id);
	return json_pack("{s:s, s:s, s:s}", "probe", "api", "correlation_id", id, "text", text);
}

/* Count replayed events into the incident. */
static void replay_cb(const journal_event *e, void *ctx)
{
	incident_apply(ctx, e, true);
}

/* Bytes of one event's line. */
static size_t line_bytes(const char *type, const char *by, json_t *d)
{
	char *l = journal_format_line(1000, T0, type, by, d);
	size_t n = l ? strlen(l) : 0;
	free(l);
	json_decref(d);
	return n;
}

int main(int argc, char **argv)
{
	int appends = argc > 1 ? atoi(argv[1]) : 2000;
	if (appends < 10)
		appends = 10;
	char dir[256];
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/hsr-bench-journal.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	char sub[300];

	/* 1. Appends, each synced. */
	snprintf(sub, sizeof sub, "%s/append", dir);
	journal *j = journal_new(sub, true);
	long long *lat = malloc((size_t)appends * sizeof *lat);
	json_t *note = json_pack("{s:s}", "text", "rolled the token; watching the 401s stop");
	long long t_start = usec();
	for (int i = 0; i < appends; i++) {
		long long t0 = usec();
		if (journal_append(j, T0 + i, "note", "operator", note) != 0) {
			fprintf(stderr, "bench: append failed: %s\n", journal_error(j));
			return 1;
		}
		lat[i] = usec() - t0;
	}
	long long total = usec() - t_start;
	json_decref(note);
	journal_free(j);
	qsort(lat, (size_t)appends, sizeof *lat, cmp_ll);
	printf("append+fdatasync: %d events in %.2f s: %.0f events/s; latency p50 %.3f ms, p99 "
	       "%.3f ms\n",
	       appends, total / 1e6, appends / (total / 1e6), lat[appends / 2] / 1000.0,
	       lat[(appends * 99) / 100] / 1000.0);
	free(lat);

	/* 2. Replay of a 100,000-event journal (written without syncs: only the reading counts). */
	snprintf(sub, sizeof sub, "%s/replay", dir);
	journal_mkdirs(sub, 0700);
	char path[400];
	snprintf(path, sizeof path, "%s/%s", sub, JOURNAL_FILE);
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		return 1;
	}
	for (int i = 0; i < REPLAY_EVENTS; i++) {
		json_t *d = i % 10 ? probe_data(i) : json_pack("{s:s}", "text", "a note");
		char *l = journal_format_line((uint64_t)i + 1, T0 + i * 100LL, i % 10 ? "probe" : "note",
					      i % 10 ? "probe" : "operator", d);
		fputs(l, f);
		free(l);
		json_decref(d);
	}
	long size = ftell(f);
	fclose(f);
	incident inc;
	incident_init(&inc, "bench");
	long long r0 = usec();
	j = journal_new(sub, false);
	int got = journal_read(j, true, replay_cb, &inc);
	long long r1 = usec();
	journal_free(j);
	printf("replay: %d events (%.1f MB) read into an incident in %.1f ms (target < 200 ms)\n",
	       got, size / 1e6, (r1 - r0) / 1000.0);
	incident_free(&inc);

	/*
	 * 3. An hour of a busy incident: the API asked every 15 s and failing (a new correlation
	 * id each time: 240), the status page changing 4 times, our health flapping every 2 min
	 * (30), the diagnosis changing 12 times, and 60 operator events (notes, answers, checks)
	 * with 6 team commands of 5 output lines.
	 */
	size_t bytes = 0;
	for (int i = 0; i < 240; i++)
		bytes += line_bytes("probe", "probe", probe_data(i));
	for (int i = 0; i < 4; i++)
		bytes += line_bytes("probe", "probe",
				    json_pack("{s:s, s:s, s:s, s:s}", "probe", "status", "from",
					      "none", "to", "major", "text",
					      "status page none -> major"));
	for (int i = 0; i < 30; i++)
		bytes += line_bytes("probe", "probe",
				    json_pack("{s:s, s:s, s:s, s:s}", "probe", "health", "from",
					      "healthy", "to", "unhealthy", "text",
					      "health healthy -> unhealthy"));
	for (int i = 0; i < 12; i++)
		bytes += line_bytes("diagnosis", "diagnosis",
				    json_pack("{s:s, s:s}", "from", "token-invalid", "to",
					      "hubspot-server-error"));
	for (int i = 0; i < 60; i++)
		bytes += line_bytes("note", "operator",
				    json_pack("{s:s}", "text",
					      "checked the dashboards again; 401s continue on the "
					      "EU hublet, support ticket opened"));
	for (int i = 0; i < 6; i++)
		bytes += line_bytes(
		    "command", "operator",
		    json_pack("{s:s, s:s, s:i, s:[s,s,s,s,s]}", "line",
			      "kubectl -n crm rollout restart deploy/hubspot-sync", "exit", "exit 0",
			      "duration_ms", 5400, "output", "deployment.apps/hubspot-sync restarted",
			      "Waiting for rollout to finish: 1 of 3 updated replicas",
			      "Waiting for rollout to finish: 2 of 3 updated replicas",
			      "Waiting for rollout to finish: 3 of 3 updated replicas",
			      "deployment \"hubspot-sync\" successfully rolled out"));
	printf("busy incident: %zu bytes per hour (%.0f KB; 352 events)\n", bytes, bytes / 1024.0);
	if (!getenv("BENCH_KEEP"))
		incident_feed_remove_tree(dir);
	else
		printf("kept %s\n", dir);
	return 0;
}
