/* The diagnostics log (--log FILE): timestamped lines to a file, never to the terminal. */
#ifndef HSR_LOG_H
#define HSR_LOG_H

#include <stddef.h>

/* Open (append) the log before any thread starts; -1 with a one-line reason on failure. */
int log_open(const char *path, char *err, size_t errsz);
/* One line, prefixed with the UTC time; does nothing when no log is open. Never pass the token. */
__attribute__((format(printf, 1, 2))) void log_msg(const char *fmt, ...);
/* Close it after every thread has stopped. */
void log_close(void);

#endif
