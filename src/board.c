/* The evidence board: latest evidence per probe with sequence numbers, one mutex, a wake pipe. */
#include "hsr/board.h"

#include "hsr/ratelimit.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct board {
	pthread_mutex_t mu;
	evidence ev;
	int pipe_rd;
	int pipe_wr;
	int64_t day_end_ms; /* the account's next midnight: api_requests_today starts again */
};

/* Start empty: every probe unknown; slow_ms at the config's default. */
void board_evidence_init(evidence *e)
{
	config c;
	config_defaults(&c);
	memset(e, 0, sizeof *e);
	e->health.hubspot_connected = -1;
	e->slow_ms = c.slow_ms;
}

/* A board with its wake pipe (both ends non-blocking, close-on-exec). */
board *board_new(void)
{
	board *b = calloc(1, sizeof *b);
	int fds[2];
	if (!b)
		return NULL;
	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
		free(b);
		return NULL;
	}
	b->pipe_rd = fds[0];
	b->pipe_wr = fds[1];
	pthread_mutex_init(&b->mu, NULL);
	board_evidence_init(&b->ev);
	return b;
}

/* Free the board; every writer must have stopped. */
void board_free(board *b)
{
	if (!b)
		return;
	close(b->pipe_rd);
	close(b->pipe_wr);
	pthread_mutex_destroy(&b->mu);
	free(b);
}

/* The fd that becomes readable on every change. */
int board_wake_fd(const board *b)
{
	return b->pipe_rd;
}

/* Empty the wake pipe. */
void board_drain(board *b)
{
	char buf[64];
	while (read(b->pipe_rd, buf, sizeof buf) > 0)
		;
}

/* Called with the lock held: bump the sequence and poke the reader. */
static void changed(board *b)
{
	b->ev.seq_total++;
	ssize_t n;
	do {
		n = write(b->pipe_wr, "x", 1);
	} while (n < 0 && errno == EINTR);
	/* EAGAIN: the pipe is full, so the reader is already woken. */
}

/* A probe's request started. */
void board_begin(board *b, probe_id id)
{
	pthread_mutex_lock(&b->mu);
	b->ev.in_flight[id] = true;
	b->ev.started_ms[id] = common_now_ms();
	changed(b);
	pthread_mutex_unlock(&b->mu);
}

/* Keep the newest n-1 entries of a ring stored oldest first, making room for one more. */
static void push_latency(evidence *e, long ms)
{
	if (e->n_latency == BOARD_LATENCY_SAMPLES) {
		memmove(e->latency_ms, e->latency_ms + 1,
			(BOARD_LATENCY_SAMPLES - 1) * sizeof(long));
		e->n_latency--;
	}
	e->latency_ms[e->n_latency++] = ms;
}

/* Remember daily-remaining samples for the burn-rate projection. */
static void push_daily(evidence *e, int64_t at, long long remaining)
{
	if (e->n_daily == BOARD_DAILY_SAMPLES) {
		memmove(e->daily, e->daily + 1, (BOARD_DAILY_SAMPLES - 1) * sizeof(daily_sample));
		e->n_daily--;
	}
	e->daily[e->n_daily++] = (daily_sample){.at_ms = at, .remaining = remaining};
}

/* Publish a probe's evidence, ending its request. */
void board_publish(board *b, probe_id id, const void *ev, unsigned api_requests)
{
	pthread_mutex_lock(&b->mu);
	evidence *e = &b->ev;
	switch (id) {
	case PROBE_STATUS:
		e->status = *(const ev_status *)ev;
		break;
	case PROBE_API:
		e->api = *(const ev_api *)ev;
		if (e->api.f.err == HTTP_OK)
			push_latency(e, e->api.f.latency_ms);
		if (e->api.rl_daily_remaining.known)
			push_daily(e, e->api.f.at_ms, e->api.rl_daily_remaining.v);
		break;
	case PROBE_USAGE:
		e->usage = *(const ev_usage *)ev;
		break;
	case PROBE_HEALTH:
		e->health = *(const ev_health *)ev;
		break;
	case PROBE_COUNT:
		break;
	}
	if (id < PROBE_COUNT) {
		e->seq[id] = ++e->seq_total;
		e->in_flight[id] = false;
	}
	int64_t now = common_now_ms();
	if (now >= b->day_end_ms) {
		b->day_end_ms = ratelimit_next_reset_ms(now, e->utc_offset_min);
		e->api_requests_today = 0;
	}
	e->api_requests += api_requests;
	e->api_requests_today += api_requests;
	changed(b);
	pthread_mutex_unlock(&b->mu);
}

/* Record the API back-off after a 429 (0 = none). */
void board_backoff(board *b, int64_t until_ms, const char *reason)
{
	pthread_mutex_lock(&b->mu);
	b->ev.backoff_until_ms = until_ms;
	common_strlcpy(b->ev.backoff_reason, reason ? reason : "", sizeof b->ev.backoff_reason);
	changed(b);
	pthread_mutex_unlock(&b->mu);
}

/* The account's UTC offset, for the day boundary of api_requests_today (and the snapshot's). */
void board_set_utc_offset(board *b, long minutes)
{
	pthread_mutex_lock(&b->mu);
	b->ev.utc_offset_min = minutes;
	b->day_end_ms = 0; /* a new zone: the day is counted again from the next publish */
	pthread_mutex_unlock(&b->mu);
}

/* What reading the evidence needs from the config: offset, slow_ms, whether a token is set. */
void board_configure(board *b, const config *cfg)
{
	board_set_utc_offset(b, cfg->utc_offset_min);
	pthread_mutex_lock(&b->mu);
	b->ev.slow_ms = cfg->slow_ms;
	b->ev.no_token = cfg->token[0] == '\0';
	b->ev.utc_offset_set = cfg->utc_offset_set;
	pthread_mutex_unlock(&b->mu);
}

/* Copy the whole board. */
void board_snapshot(board *b, evidence *out)
{
	pthread_mutex_lock(&b->mu);
	*out = b->ev;
	pthread_mutex_unlock(&b->mu);
}

/* The change counter. */
uint64_t board_seq(board *b)
{
	pthread_mutex_lock(&b->mu);
	uint64_t s = b->ev.seq_total;
	pthread_mutex_unlock(&b->mu);
	return s;
}
