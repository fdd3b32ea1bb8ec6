/* The evidence board: the only state probe threads and the UI share, under one mutex. */
#ifndef HSR_BOARD_H
#define HSR_BOARD_H

#include "hsr/config.h"
#include "hsr/evidence.h"
#include "hsr/probe.h"

#define BOARD_LATENCY_SAMPLES 60
#define BOARD_DAILY_SAMPLES   32

typedef struct {
	int64_t at_ms;
	long long remaining;
} daily_sample;

/* A consistent copy of everything on the board. */
typedef struct {
	ev_status status;
	ev_api api;
	ev_usage usage;
	ev_health health;
	uint64_t seq[PROBE_COUNT]; /* per probe; 0 = nothing published yet */
	uint64_t seq_total;	   /* bumps on every change, schedule included */
	bool in_flight[PROBE_COUNT];
	int64_t started_ms[PROBE_COUNT]; /* wall clock when the request in flight started */
	int64_t backoff_until_ms;	 /* API probe held back until then (429), 0 none */
	char backoff_reason[96];
	unsigned api_requests;	     /* HubSpot API requests the probes spent (this run) */
	unsigned api_requests_today; /* ... since the account's last midnight */
	int n_latency;		     /* API latencies, oldest first */
	long latency_ms[BOARD_LATENCY_SAMPLES];
	int n_daily; /* daily-remaining samples, oldest first */
	daily_sample daily[BOARD_DAILY_SAMPLES];
	/* How to read the evidence, from the config (board_configure); defaults otherwise. */
	long slow_ms;	     /* a 2xx slower than this is slow (config slow_ms, default 3000) */
	bool no_token;	     /* no token configured: the HubSpot API is not being asked */
	long utc_offset_min; /* the HubSpot account's UTC offset in minutes */
	bool utc_offset_set; /* the offset was configured (else clock times are given in UTC) */
} evidence;

typedef struct board board;

board *board_new(void);
void board_free(board *b);
/* Readable when the board changed; the reader calls board_drain. */
int board_wake_fd(const board *b);
void board_drain(board *b);
/* A probe's request started. */
void board_begin(board *b, probe_id id);
/* Publish a probe's evidence (the struct of its kind), ending its request. */
void board_publish(board *b, probe_id id, const void *ev, unsigned api_requests);
/* Record the API back-off after a 429 (0 = none). */
void board_backoff(board *b, int64_t until_ms, const char *reason);
/* The HubSpot account's UTC offset, so "today" ends at its midnight (default 0). */
void board_set_utc_offset(board *b, long minutes);
/*
 * Take what reading the evidence needs from the config: the account's UTC offset (as
 * board_set_utc_offset), slow_ms, and whether a token is set. The runner calls it on start, so
 * triage and the dashboard read the same thresholds.
 */
void board_configure(board *b, const config *cfg);
/* Copy the whole board. */
void board_snapshot(board *b, evidence *out);
uint64_t board_seq(board *b);
/* Start empty: every probe unknown; the reading settings at the config's defaults. */
void board_evidence_init(evidence *e);

#endif
