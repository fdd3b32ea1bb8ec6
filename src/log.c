/* The diagnostics log: one FILE opened before the threads start, one line per call. */
#include "hsr/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hsr/common.h"

/* Set once before the threads start and cleared after they stop; stdio locks each call. */
static FILE *log_file;

/* Open the log for appending, private to its owner. */
int log_open(const char *path, char *err, size_t errsz)
{
	mode_t old = umask(077);
	FILE *f = fopen(path, "ae");
	umask(old);
	if (!f) {
		snprintf(err, errsz, "%s: cannot open the log file: %s", path, strerror(errno));
		return -1;
	}
	if (isatty(fileno(f))) {
		fclose(f);
		snprintf(err, errsz,
			 "%s is a terminal: the log goes to a file (the screen is the dashboard's)",
			 path);
		return -1;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	log_file = f;
	return 0;
}

/* One timestamped line. */
void log_msg(const char *fmt, ...)
{
	if (!log_file)
		return;
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	int64_t now = common_now_ms();
	time_t t = (time_t)(now / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	char ts[32];
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(log_file, "%s.%03dZ %s\n", ts, (int)(now % 1000), line);
}

/* Close the log. */
void log_close(void)
{
	if (log_file)
		fclose(log_file);
	log_file = NULL;
}
