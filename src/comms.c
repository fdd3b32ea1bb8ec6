/* The facts the messages are filled from: the incident record, the latest evidence, the runbook. */
#include "hsr/comms.h"

#include "hsr/ratelimit.h"
#include "hsr/sanitize.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *const comms_kind_names[MESSAGE_COUNT] = {"Slack update", "Status-page notice",
						     "Postmortem"};
const char *const comms_file_stems[MESSAGE_COUNT] = {"slack", "statuspage", "postmortem"};
const char *const comms_file_exts[MESSAGE_COUNT] = {"md", "txt", "md"};

/* The leaf the messages speak of: the incident's, else the walker's. */
const rb_leaf *comms_leaf(const incident *inc, const runbook *rb, const rb_leaf *leaf)
{
	const rb_leaf *l = inc && inc->leaf[0] ? runbook_leaf(rb, inc->leaf) : NULL;
	return l ? l : leaf;
}

/* The text after "prefix" in s, or s itself. */
static const char *after(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(s, prefix, n) == 0 ? s + n : s;
}

/* Split t at the first sep: what comes before into head ("" without sep); what follows it
 * returned, or NULL when t has no sep. */
static const char *split(const char *t, const char *sep, char *head, size_t headsz)
{
	const char *at = strstr(t, sep);
	snprintf(head, headsz, "%.*s", at ? (int)(at - t) : 0, t);
	return at ? at + strlen(sep) : NULL;
}

/* The incident's events as the postmortem's lists: states, notes, commands, messages, evidence. */
static void from_events(comms_facts *c, const incident *inc)
{
	message_facts *f = &c->f;
	for (size_t i = 0; i < inc->n_ev; i++) {
		const inc_event *ev = &inc->ev[i];
		if (ev->state && f->n_timeline < COMMS_MAX_EVENTS) {
			c->timeline[f->n_timeline++] = (message_event){ev->at_ms, ev->text};
		} else if (strcmp(ev->type, "note") == 0 && f->n_notes < COMMS_MAX_ITEMS) {
			c->notes[f->n_notes++] =
			    (message_note){ev->at_ms, after(ev->text, "note: ")};
		} else if (strcmp(ev->type, "command") == 0 && f->n_commands < COMMS_MAX_ITEMS) {
			/* Its text reads "command `LINE`: exit 0 in 1.5 s…", as incident.c words
			 * it. */
			size_t k = f->n_commands++;
			const char *t = after(ev->text, "command `");
			const char *res =
			    split(t, "`: ", c->command_name[k], sizeof c->command_name[k]);
			c->commands[k] = res ? (message_command){ev->at_ms, c->command_name[k], res}
					     : (message_command){ev->at_ms, t, ""};
		} else if (strcmp(ev->type, "message.sent") == 0 && f->n_sent < COMMS_MAX_ITEMS) {
			/* Its text reads "message.sent: KIND: how", as the screen records it. */
			const char *t = after(ev->text, "message.sent: ");
			size_t k = f->n_sent++;
			const char *how = split(t, ": ", c->sent_kind[k], sizeof c->sent_kind[k]);
			c->sent[k] = (message_sent){ev->at_ms, c->sent_kind[k], how ? how : t};
		} else if (strcmp(ev->type, "probe") == 0 && f->n_evidence < COMMS_MAX_EVIDENCE &&
			   strstr(ev->text, "correlation id") != ev->text) {
			common_strlcpy(c->evidence_text[f->n_evidence], ev->text,
				       sizeof c->evidence_text[0]);
			c->evidence[f->n_evidence] = c->evidence_text[f->n_evidence];
			f->n_evidence++;
		}
	}
}

/*
 * The alert's evidence, when no probe change was recorded: the answers that were "yes" on
 * the path, as their evidence ("API answered HTTP 401, category INVALID_AUTHENTICATION…").
 */
static void evidence_of_alert(comms_facts *c, const incident *inc)
{
	for (int i = 0; i < inc->n_alert_evidence && c->f.n_evidence < COMMS_MAX_EVIDENCE; i++) {
		const char *yes = strstr(inc->alert_evidence[i], "? yes (");
		if (!yes)
			continue;
		const char *t = yes + strlen("? yes (");
		size_t len = strlen(t);
		if (len && t[len - 1] == ')')
			len--;
		size_t k = c->f.n_evidence++;
		snprintf(c->evidence_text[k], sizeof c->evidence_text[k], "%.*s", (int)len, t);
		c->evidence[k] = c->evidence_text[k];
	}
}

/* The latest API answer as one evidence line, when the incident recorded none. */
static void evidence_now(comms_facts *c, const evidence *e)
{
	const ev_api *a = &e->api;
	if (c->f.n_evidence > 0 || !evidence_answered(&a->f) || evidence_answered_2xx(&a->f))
		return;
	char cat[64], pol[32];
	sanitize_str(cat, sizeof cat, a->category[0] ? a->category : a->error_type);
	sanitize_str(pol, sizeof pol, a->policy_name);
	snprintf(c->evidence_text[0], sizeof c->evidence_text[0], "HTTP %ld%s%s%s%s",
		 a->f.http_status, cat[0] ? ", " : "", cat, pol[0] ? ", policy " : "", pol);
	c->evidence[0] = c->evidence_text[0];
	c->f.n_evidence = 1;
}

/* Correlation ids: the incident's, then the latest failing answer's when new. */
static void correlation_ids(comms_facts *c, const incident *inc, const evidence *e)
{
	size_t n = 0;
	for (int i = 0; inc && i < inc->n_corr; i++)
		c->corr[n++] = inc->corr[i];
	if (e && e->api.correlation_id[0] && !evidence_answered_2xx(&e->api.f)) {
		sanitize_str(c->corr_now, sizeof c->corr_now, e->api.correlation_id);
		bool seen = false;
		for (size_t i = 0; i < n; i++)
			seen |= strcmp(c->corr[i], c->corr_now) == 0;
		/* Its own slot: a full incident still names the answer failing now. */
		if (!seen && n < sizeof c->corr / sizeof c->corr[0])
			c->corr[n++] = c->corr_now;
	}
	c->f.correlation_ids = c->corr;
	c->f.n_correlation_ids = n;
}

/* HubSpot's status-page incident and, for the daily-limit leaf, the limit and its reset. */
static void hubspot_facts(comms_facts *c, const evidence *e, const rb_leaf *l)
{
	if (e->status.n_incidents > 0) {
		sanitize_str(c->hs_name, sizeof c->hs_name, e->status.incidents[0].name);
		sanitize_str(c->hs_link, sizeof c->hs_link, e->status.incidents[0].shortlink);
		/* A name that is nothing once sanitized names no incident. */
		c->f.hubspot_incident = c->hs_name[0] ? c->hs_name : NULL;
		c->f.hubspot_link = c->hs_name[0] && c->hs_link[0] ? c->hs_link : NULL;
	}
	if (l && l->id && strcmp(l->id, "rate-limit-daily") == 0) {
		c->f.daily_limit = e->api.rl_daily.known ? e->api.rl_daily : e->usage.usage_limit;
		c->f.daily_reset_ms = e->usage.resets_at_ms;
	}
}

/* Fill the facts for a message written now. */
void comms_facts_fill(comms_facts *c, const incident *inc, const evidence *e, const runbook *rb,
		      const rb_leaf *leaf, int64_t cadence_ms, int64_t now_ms)
{
	memset(c, 0, sizeof *c);
	message_facts *f = &c->f;
	const rb_leaf *l = comms_leaf(inc, rb, leaf);
	const char *sev = inc && inc->severity[0] ? inc->severity : incident_severity_suggest(l);
	f->severity = incident_severity_ok(sev) ? sev[1] - '0' : 1;
	/* A blip closed itself: it is over, as a resolved incident is. */
	bool blip = inc && inc->state == INC_BLIP;
	f->status = blip					 ? "resolved"
		    : inc && incident_status_word(inc->state)[0] ? incident_status_word(inc->state)
								 : "investigating";
	if (l) {
		f->leaf_id = l->id;
		f->leaf_title = l->title;
		f->leaf_cause = l->cause;
		f->leaf_impact = l->impact;
	}
	f->now_ms = now_ms;
	f->next_update_ms = cadence_ms > 0 ? now_ms + cadence_ms : 0;
	f->started_ms = now_ms;
	if (inc) {
		f->started_ms = incident_start_ms(inc) ? incident_start_ms(inc) : now_ms;
		f->resolved_ms = blip ? inc->at[INC_BLIP] : inc->at[INC_RESOLVED];
		if (f->resolved_ms)
			f->next_update_ms = 0;
		f->owner = inc->owner[0] ? inc->owner : NULL;
		common_strlcpy(c->fields.impact, inc->impact, sizeof c->fields.impact);
		common_strlcpy(c->fields.cause, inc->cause, sizeof c->fields.cause);
		common_strlcpy(c->fields.eta, inc->eta, sizeof c->fields.eta);
		common_strlcpy(c->fields.thread, inc->thread, sizeof c->fields.thread);
		from_events(c, inc);
		if (f->n_evidence == 0)
			evidence_of_alert(c, inc);
	}
	f->fields = &c->fields;
	correlation_ids(c, inc, e);
	if (e) {
		evidence_now(c, e);
		hubspot_facts(c, e, l);
	}
	f->evidence = c->evidence;
	f->timeline = c->timeline;
	f->notes = c->notes;
	f->commands = c->commands;
	f->sent = c->sent;
}

/* Write all of text to fd (again after EINTR); false when a write failed or wrote nothing. */
static bool write_all(int fd, const char *text)
{
	size_t len = strlen(text), done = 0;
	while (done < len) {
		ssize_t w = write(fd, text + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		done += (size_t)w;
	}
	return true;
}

/* Save a message under the incident's folder, never over an earlier one. */
int comms_save(const char *dir, message_kind kind, const char *text, int64_t now_ms, char *path,
	       size_t pathsz, char *err, size_t errsz)
{
	time_t s = (time_t)(now_ms / 1000);
	struct tm tm;
	gmtime_r(&s, &tm);
	char hms[16];
	strftime(hms, sizeof hms, "%H%M%S", &tm);
	int fd = -1;
	for (int k = 1; k < 100 && fd < 0; k++) {
		char nth[8] = "";
		if (k > 1)
			snprintf(nth, sizeof nth, "-%d", k);
		int n = snprintf(path, pathsz, "%s/%s-%s%s.%s", dir, comms_file_stems[kind], hms,
				 nth, comms_file_exts[kind]);
		if (n < 0 || (size_t)n >= pathsz) {
			/* Never a file under a cut name. */
			snprintf(err, errsz,
				 "cannot save under %s: the path is too long (use a "
				 "shorter --state-dir)",
				 dir);
			return -1;
		}
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		snprintf(err, errsz, "cannot save %s: %s (check the state dir)", path,
			 strerror(errno));
		return -1;
	}
	bool ok = write_all(fd, text) && fdatasync(fd) == 0;
	int e = errno;
	close(fd);
	if (!ok) {
		snprintf(err, errsz, "saving %s failed: %s (disk full?)", path, strerror(e));
		return -1;
	}
	return 0;
}

/* ESC ] 52 ; c ; base64 BEL. */
char *comms_osc52(const char *text)
{
	size_t len = strlen(text);
	size_t b64 = 4 * ((len + 2) / 3);
	char *out = malloc(b64 + 16);
	if (!out)
		return NULL;
	memcpy(out, "\033]52;c;", 7);
	EVP_EncodeBlock((unsigned char *)out + 7, (const unsigned char *)text, (int)len);
	memcpy(out + 7 + b64, "\a", 2);
	return out;
}

/* `tmux load-buffer -` with text on its standard input, when inside tmux. */
int comms_tmux_buffer(const char *text, char *err, size_t errsz)
{
	if (!getenv("TMUX") || !*getenv("TMUX"))
		return 0;
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0) {
		snprintf(err, errsz, "tmux buffer: no pipe: %s", strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[0], STDIN_FILENO);
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execlp("tmux", "tmux", "load-buffer", "-", (char *)NULL);
		_exit(127);
	}
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		snprintf(err, errsz, "tmux buffer: cannot start tmux: %s", strerror(errno));
		return -1;
	}
	/* A broken pipe (tmux gone) must not end us: SIGPIPE is ignored for the write. */
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	sigaction(SIGPIPE, &ign, &old);
	(void)write_all(p[1], text);
	close(p[1]);
	sigaction(SIGPIPE, &old, NULL);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		snprintf(err, errsz, "tmux load-buffer failed (exit %d): copy from the saved file",
			 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		return -1;
	}
	return 1;
}
