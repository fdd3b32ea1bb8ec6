/*
 * The incident as the running dashboard keeps it: the state dir (--state-dir, default
 * $XDG_STATE_HOME/hsrunbook) with one folder per incident (incidents/ID/journal.jsonl, 0700),
 * the lock that makes one process the writer (a second one follows read-only and re-reads the
 * journal as it grows), and what goes into the journal each frame: the alert (or the blip),
 * probe transitions, diagnosis changes and the operator's walker decisions. Operator moves
 * (acknowledge, notes, state moves) come through incident_feed_record / _move. No curses.
 */
#ifndef HSR_INCIDENT_FEED_H
#define HSR_INCIDENT_FEED_H

#include "hsr/config.h"
#include "hsr/incident.h"
#include "hsr/walker.h"
#include "hsr/watch.h"

/* The incidents' folder under the state dir. */
#define INCIDENT_FEED_SUBDIR "incidents"
/* How often a follower looks at the journal (and whether the writer has gone). */
#define INCIDENT_FEED_FOLLOW_MS 500

typedef struct incident_feed incident_feed;

/* The state dir: cfg->state_dir, else $XDG_STATE_HOME/hsrunbook, else ~/.local/state/hsrunbook. */
void incident_feed_state_dir(const config *cfg, char *out, size_t outsz);
/*
 * Take the state dir of cfg: the lock (else follow), and the newest incident (resumed when still
 * open). Never NULL but out of memory: a state dir that cannot be written is an error the screens
 * show (incident_feed_error), tried again at the next event.
 */
incident_feed *incident_feed_open(const config *cfg, const runbook *rb, int64_t now_ms);
void incident_feed_free(incident_feed *f);
/*
 * Once a frame, after the watch's update: the alert or blip, probe and diagnosis changes, the
 * walker's decisions (wk->ops) that changed; on resume (and in a follower, as the journal grows)
 * the decisions go back into wk. Returns true when the incident changed (redraw).
 */
bool incident_feed_frame(incident_feed *f, const watch *w, walker *wk, int64_t now_ms);
/* The incident shown (the open one, else the last closed one), or NULL when none. */
const incident *incident_feed_incident(const incident_feed *f);
/* Whether another process holds the lock: this one follows read-only. */
bool incident_feed_following(const incident_feed *f);
/* Why the last event was not kept ("" when it was): "cannot write ...: No space left ...". */
const char *incident_feed_error(const incident_feed *f);
/* Events in memory not written yet (tried again at the next event). */
int incident_feed_unkept(const incident_feed *f);
/* Milliseconds until the feed wants a frame although nothing else happened; -1 never. */
int incident_feed_poll_ms(const incident_feed *f, int64_t now_ms);
/* The open incident's folder (a team command's HSR_INCIDENT_DIR), or "" when none is open. */
const char *incident_feed_dir(const incident_feed *f);
/* The folder of the incident shown, open or closed (a postmortem is saved there), or "". */
const char *incident_feed_last_dir(const incident_feed *f);
/*
 * Record an event of any type in the open incident (the messages add theirs so): applied at
 * once, written and synced; data may be NULL. 0 kept; 1 applied but not kept
 * (incident_feed_error says why; tried again at the next event); -1 no open incident or a
 * follower (nothing recorded).
 */
int incident_feed_record(incident_feed *f, const char *type, const char *by, const json_t *data,
			 int64_t now_ms);
/* The context operator moves are checked against (walker leaf, healthy since, recovery_after). */
void incident_feed_ctx(const incident_feed *f, const walker *wk, int64_t now_ms, incident_ctx *c);
/*
 * An operator move: checked (incident_check), then recorded. "open" starts a new incident
 * first. false with a one-line reason when refused (or following read-only).
 */
bool incident_feed_move(incident_feed *f, const walker *wk, const char *type, const json_t *data,
			int64_t now_ms, char *why, size_t whysz);
/*
 * A team command run from the walker: its line, how it ended ("exit 0", "killed after 60 s"),
 * how long it took and its output's first lines (sanitized here). Mitigation applied follows
 * when the root cause is identified. -1 when no incident is open.
 */
int incident_feed_note_command(incident_feed *f, const char *line, const char *exit_desc,
			       long duration_ms, const char *first_lines, int64_t now_ms);
/* The owner remembered in the state dir's owner file, into out ("" none); false when none. */
bool incident_feed_owner(const incident_feed *f, char *out, size_t outsz);
/* Remember owner for next time (state dir's owner file, 0600). */
void incident_feed_owner_save(const incident_feed *f, const char *owner);
/*
 * Every incident under state_dir, oldest first, each replayed from its journal: *out (free with
 * incident_feed_list_free). Returns how many, or -1 when the folder cannot be read (errno).
 */
int incident_feed_list(const char *state_dir, incident **out);
void incident_feed_list_free(incident *list, int n);
/*
 * A private state dir for a demo run given no --state-dir (its incidents are make-believe):
 * $TMPDIR/hsrunbook-demo.XXXXXX into out; -1 when it cannot be made.
 */
int incident_feed_demo_dir(char *out, size_t outsz);
/* Remove such a folder and everything in it. */
void incident_feed_remove_tree(const char *dir);

#endif
