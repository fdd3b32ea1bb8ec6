/*
 * The evidence board: the only state probe threads and the UI share, under one mutex. The
 * snapshot it hands out (evidence) is declared in hsr/evidence.h.
 */
#ifndef HSR_BOARD_H
#define HSR_BOARD_H

#include "hsr/config.h"
#include "hsr/evidence.h"

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
