/*
 * The facts the three messages are filled from, gathered from the incident record, the latest
 * evidence and the runbook: screen 3, `hsrunbook postmortem` and the tests fill them the same
 * way. Pure: no clock, no files, no curses.
 */
#ifndef HSR_COMMS_H
#define HSR_COMMS_H

#include "hsr/evidence.h"
#include "hsr/incident.h"
#include "hsr/message.h"
#include "hsr/runbook.h"

#define COMMS_MAX_EVENTS   64 /* timeline lines (state changes) kept for the postmortem */
#define COMMS_MAX_ITEMS	   32 /* notes, commands, messages sent: each */
#define COMMS_MAX_EVIDENCE 8

/* The message kinds as people name them: "Slack update", "Status-page notice", "Postmortem". */
extern const char *const comms_kind_names[MESSAGE_COUNT];
/* Their file names when saved, before "-HHMMSS.ext": "slack", "statuspage", "postmortem". */
extern const char *const comms_file_stems[MESSAGE_COUNT];
extern const char *const comms_file_exts[MESSAGE_COUNT];

/* The facts, with the storage their pointers point into (valid while inc is unchanged). */
typedef struct {
	message_facts f;
	message_fields fields;
	const char *corr[INCIDENT_MAX_CORR + 1];
	char corr_now[64];
	const char *evidence[COMMS_MAX_EVIDENCE];
	char evidence_text[COMMS_MAX_EVIDENCE][240];
	message_event timeline[COMMS_MAX_EVENTS];
	message_note notes[COMMS_MAX_ITEMS];
	message_command commands[COMMS_MAX_ITEMS];
	message_sent sent[COMMS_MAX_ITEMS];
	char sent_kind[COMMS_MAX_ITEMS][32];
	char command_name[COMMS_MAX_ITEMS][160];
	char hs_name[128], hs_link[128];
} comms_facts;

/*
 * Fill c for a message written at now_ms. inc may be NULL (nothing recorded yet: the leaf is
 * the walker's); e may be NULL (the postmortem from the journal alone). leaf is the walker's
 * leaf when the incident names none. The next update is planned at now + cadence_ms: the
 * message being written restarts the cadence when it is sent.
 */
void comms_facts_fill(comms_facts *c, const incident *inc, const evidence *e, const runbook *rb,
		      const rb_leaf *leaf, int64_t cadence_ms, int64_t now_ms);
/* The leaf the messages speak of: the incident's (root cause, else the alert's), else leaf. */
const rb_leaf *comms_leaf(const incident *inc, const runbook *rb, const rb_leaf *leaf);

/*
 * Save text as DIR/STEM-HHMMSS.EXT (UTC; "-2", "-3"… when taken), mode 0600, written and
 * synced. path gets the file's path. 0, or -1 with a one-line reason in err.
 */
int comms_save(const char *dir, message_kind kind, const char *text, int64_t now_ms, char *path,
	       size_t pathsz, char *err, size_t errsz);
/*
 * The OSC 52 sequence that puts text on the terminal's clipboard (ESC ] 52 ; c ; BASE64 BEL),
 * malloc'd; NULL when out of memory.
 */
char *comms_osc52(const char *text);
/*
 * Inside tmux ($TMUX set): put text in tmux's paste buffer (`tmux load-buffer -`). 1 done, 0
 * not inside tmux, -1 failed with a one-line reason in err. Waits for tmux (a local call).
 */
int comms_tmux_buffer(const char *text, char *err, size_t errsz);

#endif
