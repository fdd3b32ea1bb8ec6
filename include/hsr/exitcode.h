/*
 * Every exit code of hsrunbook in one place. Triage's leaf codes (0 healthy, 10-21) are a
 * contract kept with the leaf ids: they come from runbook_exit_code() (hsr/runbook.h).
 */
#ifndef HSR_EXITCODE_H
#define HSR_EXITCODE_H

#define EXIT_OK	      0 /* done; also simulate stopped by a signal */
#define EXIT_INTERNAL 1 /* something failed that the operator did not ask for */
#define EXIT_USAGE    2 /* the command line, the config or the token file is wrong */

/* The dashboard ended by a signal: 128 + its number, as shells report it. */
#define EXIT_SIGNAL(sig) (128 + (sig))
#define EXIT_SIGHUP	 129
#define EXIT_SIGINT	 130
#define EXIT_SIGTERM	 143

#endif
