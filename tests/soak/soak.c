/*
 * Soak: the runner and the board (no terminal) against the in-process simulator, a probe round
 * every 10 ms while the simulator cycles through every scenario. After the checkpoint round and
 * at the end it reads resident memory (VmRSS) and open file descriptors, prints both, and fails
 * when memory grew by more than 1 MB or a descriptor more is open.
 *
 * usage: soak [ROUNDS [CHECKPOINT]] [--per-scenario=N] [--timeout-ms=N] [--trace=N]
 *             [--no-growth-check]
 * (defaults 2000, 1000, 40 rounds per scenario, 300 ms; --trace prints the figures every N). The
 * growth check is for plain builds: under valgrind or a sanitizer the tool's own memory is counted
 * too.
 */
#include <dirent.h>
#include <malloc.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hsr/board.h"
#include "hsr/diagnose.h"
#include "hsr/http.h"
#include "hsr/runbook.h"
#include "hsr/runner.h"
#include "hsr/sim.h"

#define ROUND_PACE_MS  10   /* one probe round every 10 ms */
#define ROUND_STALL_MS 5000 /* a round that takes longer is a hang: fail */
#define RSS_SLACK_KB   1024 /* allowed growth of resident memory */
#define SETTLE_TRIES   40   /* 50 ms apart: closing sockets finish before counting */

/* Resident memory in kB from /proc/self/status, -1 when unreadable. */
static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	char line[256];
	long kb = -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Heap in use by malloc's own count, as text ("n/a" under valgrind or a sanitizer, whose
 * allocator glibc cannot see): growth here, not in fragmentation, would be a leak. */
static const char *heap_words(char *buf, size_t sz)
{
	struct mallinfo2 m = mallinfo2();
	size_t kb = (m.uordblks + m.hblkhd) / 1024;
	if (kb == 0)
		snprintf(buf, sz, "n/a");
	else
		snprintf(buf, sz, "%zu kB", kb);
	return buf;
}

/* Open file descriptors, counted in /proc/self/fd (minus the one opendir holds). */
static int fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}

/* Scenarios that hold every answer (hang, slow): one short round each, not a full block. */
static bool scen_stalls(const char *name)
{
	return strstr(name, "hang") || strstr(name, "slow");
}

/* Whether probe id may be held back by the API back-off now. */
static bool held_back(const evidence *e, probe_id id)
{
	return (id == PROBE_API || id == PROBE_USAGE) && e->backoff_until_ms > common_now_ms();
}

/* Kick every probe and wait until each (not held back) published again; false on a stall. */
static bool one_round(runner *r, board *b, const runbook *rb, bool *unhealthy)
{
	evidence *e = malloc(sizeof *e);
	if (!e)
		return false;
	board_snapshot(b, e);
	uint64_t before[PROBE_COUNT];
	memcpy(before, e->seq, sizeof before);
	runner_kick(r);
	int64_t end = common_mono_ms() + ROUND_STALL_MS;
	bool done = false;
	while (!done && common_mono_ms() < end) {
		struct pollfd p = {.fd = board_wake_fd(b), .events = POLLIN};
		poll(&p, 1, 20);
		board_drain(b);
		board_snapshot(b, e);
		done = true;
		for (int i = 0; i < PROBE_COUNT; i++)
			if (e->seq[i] == before[i] && !held_back(e, (probe_id)i))
				done = false;
	}
	/* As the dashboard does: diagnose, and set the pace from it. */
	diagnosis *d = malloc(sizeof *d);
	if (d) {
		diagnose(e, rb, d);
		bool bad = d->leaf && d->leaf->id && strcmp(d->leaf->id, "healthy") != 0;
		if (bad != *unhealthy) {
			runner_set_unhealthy(r, bad);
			*unhealthy = bad;
		}
		free(d);
	}
	free(e);
	return done;
}

/* Count descriptors once they stop changing (sockets being closed settle first). */
static int settled_fds(void)
{
	int last = fd_count();
	for (int i = 0; i < SETTLE_TRIES; i++) {
		usleep(50 * 1000);
		int n = fd_count();
		if (n == last)
			return n;
		last = n;
	}
	return last;
}

int main(int argc, char **argv)
{
	long rounds = 2000, checkpoint = 1000;
	long per_scen = 40;    /* rounds before the simulator moves to the next scenario */
	long timeout_ms = 300; /* so "hang" and "slow" rounds end quickly */
	long trace = 0;	       /* print the figures every trace rounds (0: only at the checks) */
	bool growth_check = true;
	int pos = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--no-growth-check") == 0)
			growth_check = false;
		else if (strncmp(argv[i], "--per-scenario=", 15) == 0)
			per_scen = atol(argv[i] + 15);
		else if (strncmp(argv[i], "--timeout-ms=", 13) == 0)
			timeout_ms = atol(argv[i] + 13);
		else if (strncmp(argv[i], "--trace=", 8) == 0)
			trace = atol(argv[i] + 8);
		else if (pos++ == 0)
			rounds = atol(argv[i]);
		else
			checkpoint = atol(argv[i]);
	}
	if (rounds < 1 || checkpoint < 1 || checkpoint > rounds || per_scen < 1 || timeout_ms < 1) {
		fprintf(stderr, "usage: soak [ROUNDS [CHECKPOINT]] [--per-scenario=N] "
				"[--timeout-ms=N] [--trace=N] [--no-growth-check]\n");
		return 2;
	}
	http_global_init();
	char err[256];
	sim *s = sim_start("healthy", 0, err, sizeof err);
	if (!s) {
		fprintf(stderr, "soak: %s\n", err);
		return 1;
	}
	runbook *rb = runbook_load_default(err, sizeof err);
	if (!rb) {
		fprintf(stderr, "soak: %s\n", err);
		return 1;
	}
	config c;
	config_defaults(&c);
	config_point_at(&c, sim_base_url(s));
	snprintf(c.token, sizeof c.token, "%s", "pat-soak-test");
	c.timeout_ms = timeout_ms;
	c.connect_timeout_ms = timeout_ms;
	/* The runner's own intervals are whole seconds; the 10 ms pace comes from kicks. */
	c.interval_status_s = c.interval_api_s = c.interval_api_unhealthy_s = 1;
	c.interval_usage_s = c.interval_usage_healthy_s = c.interval_health_s = 1;
	board *b = board_new();
	runner *r = runner_start(&c, b, false);
	if (!b || !r) {
		fprintf(stderr, "soak: could not start the runner\n");
		return 1;
	}

	int n_scen = 0;
	while (sim_scenarios[n_scen])
		n_scen++;
	long rss_mid = -1, rss_end = -1, stalls = 0, switches = 0;
	char hb[32];
	int fd_mid = -1, fd_end = -1;
	int scen = 0;
	long in_scen = 0;
	bool unhealthy = false;
	int64_t t0 = common_mono_ms();
	for (long round = 1; round <= rounds; round++) {
		int64_t started = common_mono_ms();
		if (!one_round(r, b, rb, &unhealthy)) {
			stalls++;
			fprintf(stderr, "soak: round %ld in scenario %s did not finish in %d ms\n",
				round, sim_scenarios[scen], ROUND_STALL_MS);
		}
		long block = scen_stalls(sim_scenarios[scen]) ? 1 : per_scen;
		if (++in_scen >= block) {
			scen = (scen + 1) % n_scen;
			in_scen = 0;
			sim_set_scenario(s, sim_scenarios[scen]);
			runner_clear_backoff(r); /* a new world, as the demo's scenario switch */
			switches++;
		}
		if (round == checkpoint) {
			fd_mid = settled_fds();
			rss_mid = rss_kb();
			printf("soak: after %ld rounds: VmRSS %ld kB, heap in use %s, %d open "
			       "fds\n",
			       round, rss_mid, heap_words(hb, sizeof hb), fd_mid);
			fflush(stdout);
		} else if (trace > 0 && round % trace == 0) {
			printf("soak: round %ld: VmRSS %ld kB, heap in use %s, %d open fds\n",
			       round, rss_kb(), heap_words(hb, sizeof hb), fd_count());
			fflush(stdout);
		}
		int64_t left = started + ROUND_PACE_MS - common_mono_ms();
		if (left > 0)
			usleep((useconds_t)left * 1000);
	}
	fd_end = settled_fds();
	rss_end = rss_kb();
	long secs = (long)((common_mono_ms() - t0) / 1000);
	size_t asked = sim_requests(s, NULL, 0);
	printf("soak: after %ld rounds: VmRSS %ld kB, heap in use %s, %d open fds (%ld s, %zu "
	       "requests, %ld scenario switches, %ld stalled rounds)\n",
	       rounds, rss_end, heap_words(hb, sizeof hb), fd_end, secs, asked, switches, stalls);

	runner_stop(r);
	board_free(b);
	runbook_free(rb);
	sim_stop(s);
	http_global_cleanup();

	int rc = 0;
	/* Every round asks the status page and the health URL at least. */
	if (asked < (size_t)rounds * 2) {
		fprintf(stderr, "soak: FAIL: only %zu requests in %ld rounds\n", asked, rounds);
		rc = 1;
	}
	if (stalls) {
		fprintf(stderr, "soak: FAIL: %ld rounds stalled\n", stalls);
		rc = 1;
	}
	if (growth_check && rss_end - rss_mid > RSS_SLACK_KB) {
		fprintf(stderr, "soak: FAIL: VmRSS grew %ld kB (limit %d kB)\n", rss_end - rss_mid,
			RSS_SLACK_KB);
		rc = 1;
	}
	if (growth_check && fd_end > fd_mid) {
		fprintf(stderr, "soak: FAIL: %d open fds at the end, %d at round %ld\n", fd_end,
			fd_mid, checkpoint);
		rc = 1;
	}
	if (rc == 0)
		printf("soak: ok\n");
	return rc;
}
