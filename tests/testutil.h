/* Helpers shared by the integration tests: run the real binary and capture what it prints. */
#ifndef HSR_TESTUTIL_H
#define HSR_TESTUTIL_H

#include <stddef.h>

typedef struct {
	int exit_code; /* -1 when it did not exit normally */
	char *out;     /* stdout, NUL-terminated */
	char *err;     /* stderr, NUL-terminated */
	long elapsed_ms;
} run_result;

/*
 * Run $HSR_BIN with argv (NULL-terminated, without argv[0]); env is a NULL-terminated list
 * of "K=V" to add (a "K=" entry with nothing after '=' unsets K). Kills it after timeout_ms.
 */
run_result testutil_run(const char *const *argv, const char *const *env, long timeout_ms);
void testutil_free(run_result *r);

#endif
