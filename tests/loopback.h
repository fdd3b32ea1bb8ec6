/* A raw-socket test server on 127.0.0.1 (ephemeral port): one thread per connection. */
#ifndef HSR_TEST_LOOPBACK_H
#define HSR_TEST_LOOPBACK_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Answers one connection; the server closes it afterwards. */
typedef void (*loopback_fn)(int fd);

typedef struct {
	int fd;
	int port;
	pthread_t th;
	loopback_fn fn;
	_Atomic int live; /* connection threads still running */
} loopback;

/* Write all of buf; false when the peer went away. */
static inline bool loopback_put(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* What a connection thread is given. */
typedef struct {
	loopback *l;
	int fd;
} loopback_conn;

/* One connection on its own thread, so a slow answer blocks nothing else. */
static inline void *loopback_conn_main(void *arg)
{
	loopback_conn cc = *(loopback_conn *)arg;
	free(arg);
	cc.l->fn(cc.fd);
	close(cc.fd);
	atomic_fetch_sub(&cc.l->live, 1);
	return NULL;
}

/* Accept connections until the listening socket is shut down. */
static inline void *loopback_accept_main(void *arg)
{
	loopback *l = arg;
	for (;;) {
		int c = accept(l->fd, NULL, NULL);
		if (c < 0)
			return NULL;
		loopback_conn *cc = malloc(sizeof *cc);
		pthread_t t;
		atomic_fetch_add(&l->live, 1);
		if (cc) {
			cc->l = l;
			cc->fd = c;
		}
		if (cc && pthread_create(&t, NULL, loopback_conn_main, cc) == 0) {
			pthread_detach(t);
		} else {
			free(cc);
			atomic_fetch_sub(&l->live, 1);
			close(c);
		}
	}
}

/* Listen on 127.0.0.1 at an ephemeral port and serve each connection with fn; 0 or -1. */
static inline int loopback_start(loopback *l, loopback_fn fn)
{
	memset(l, 0, sizeof *l);
	l->fn = fn;
	l->fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	if (l->fd < 0 || bind(l->fd, (struct sockaddr *)&a, sizeof a) || listen(l->fd, 16))
		return -1;
	socklen_t len = sizeof a;
	getsockname(l->fd, (struct sockaddr *)&a, &len);
	l->port = ntohs(a.sin_port);
	return pthread_create(&l->th, NULL, loopback_accept_main, l) == 0 ? 0 : -1;
}

/* Stop accepting, then wait at most wait_ms for the connection threads still running to end. */
static inline void loopback_stop(loopback *l, long wait_ms)
{
	shutdown(l->fd, SHUT_RDWR);
	close(l->fd);
	pthread_join(l->th, NULL);
	for (long waited = 0; waited < wait_ms && atomic_load(&l->live) > 0; waited += 10)
		usleep(10 * 1000);
}

#endif
