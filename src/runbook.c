/* The runbook as data: parse and validate the decision tree and its leaves, look them up. */
#include "hsr/runbook.h"

#include "hsr/predicate.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RB_FORMAT     RUNBOOK_FORMAT
#define RB_MAX_FILE   (1024 * 1024)
#define RB_MAX_NODES  RUNBOOK_MAX_NODES
#define RB_MAX_LEAVES RUNBOOK_MAX_LEAVES
#define RB_MAX_STEPS  RUNBOOK_MAX_STEPS
#define RB_MAX_STR    2000
#define RB_MAX_ID     64

/* The contract: leaf ids scripts match on, and triage's exit code for each. */
const char *const runbook_leaf_ids[] = {
    "healthy",
    "hubspot-outage",
    "token-invalid",
    "missing-scopes",
    "rate-limit-daily",
    "rate-limit-burst",
    "hubspot-server-error",
    "hubspot-unreachable",
    "app-unhealthy",
    "unknown",
    "webhook-failing",
    "hubspot-slow",
    "network-down",
    NULL,
};

static const int leaf_exit_codes[] = {0, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21};

_Static_assert(sizeof leaf_exit_codes / sizeof leaf_exit_codes[0] ==
		   sizeof runbook_leaf_ids / sizeof runbook_leaf_ids[0] - 1,
	       "one exit code per contract leaf");

/* The default runbook, embedded at build time (the compiler runs from the project root). */
__asm__(".pushsection .rodata\n"
	"runbook_default_json_start:\n"
	".incbin \"screens/runbook/default.json\"\n"
	"runbook_default_json_end:\n"
	".byte 0\n"
	".popsection\n");
extern const char runbook_default_json_start[];
extern const char runbook_default_json_end[];

static const char *const node_keys_v1[] = {"id",       "yes",	    "no", "unknown",
					   "question", "predicate", NULL};
static const char *const node_keys[] = {"id",	    "yes",	 "no",	"unknown",
					"question", "predicate", "ask", NULL};
static const char *const step_keys[] = {"id", "text", "verify", "command", "link", NULL};
static const char *const leaf_keys[] = {"id",	 "title",      "summary",  "cause", "impact",
					"steps", "escalation", "severity", NULL};

/* Parsing state: where errors go and the text positions are computed from. */
typedef struct {
	const char *name;
	const char *text;
	size_t len;
	char *err;
	size_t errsz;
	bool failed;
	int version; /* 1 or 2: the file's format */
} pctx;

/* Record the first error as "NAME:LINE: reason". */
__attribute__((format(printf, 3, 4))) static void fail(pctx *c, int line, const char *fmt, ...)
{
	if (c->failed)
		return;
	c->failed = true;
	if (!c->err || c->errsz == 0)
		return;
	char reason[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errsz, "%s:%d: %s", c->name, line < 1 ? 1 : line, reason);
}

/* Skip JSON white space. */
static size_t skip_ws(const char *t, size_t n, size_t i)
{
	while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
		i++;
	return i;
}

/* Skip a JSON string starting at its opening quote. */
static size_t skip_string(const char *t, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (t[i] == '\\')
			i++;
		else if (t[i] == '"')
			return i + 1;
	}
	return n;
}

/* Skip one JSON value of text that jansson already accepted. */
static size_t skip_value(const char *t, size_t n, size_t i)
{
	if (i >= n)
		return n;
	if (t[i] == '"')
		return skip_string(t, n, i);
	if (t[i] == '{' || t[i] == '[') {
		int depth = 0;
		while (i < n) {
			char ch = t[i];
			if (ch == '"') {
				i = skip_string(t, n, i);
				continue;
			}
			if (ch == '{' || ch == '[') {
				depth++;
			} else if (ch == '}' || ch == ']') {
				if (--depth == 0)
					return i + 1;
			}
			i++;
		}
		return n;
	}
	while (i < n && t[i] != ',' && t[i] != ']' && t[i] != '}' && t[i] != ' ' && t[i] != '\t' &&
	       t[i] != '\n' && t[i] != '\r')
		i++;
	return i;
}

/* Move *pi from an object value to the value of its member key. */
static bool descend_key(const char *t, size_t n, size_t *pi, const char *key)
{
	size_t i = *pi, klen = strlen(key);
	if (i >= n || t[i] != '{')
		return false;
	i++;
	for (;;) {
		i = skip_ws(t, n, i);
		if (i >= n || t[i] != '"')
			return false;
		size_t ks = i + 1;
		i = skip_string(t, n, i);
		size_t ke = i - 1;
		i = skip_ws(t, n, i);
		if (i < n && t[i] == ':')
			i++;
		i = skip_ws(t, n, i);
		if (ke >= ks && ke - ks == klen && memcmp(t + ks, key, klen) == 0) {
			*pi = i;
			return true;
		}
		i = skip_ws(t, n, skip_value(t, n, i));
		if (i >= n || t[i] != ',')
			return false;
		i++;
	}
}

/* Move *pi from an array value to its element idx. */
static bool descend_index(const char *t, size_t n, size_t *pi, int idx)
{
	size_t i = *pi;
	if (i >= n || t[i] != '[')
		return false;
	i++;
	for (int k = 0;; k++) {
		i = skip_ws(t, n, i);
		if (i >= n || t[i] == ']')
			return false;
		if (k == idx) {
			*pi = i;
			return true;
		}
		i = skip_ws(t, n, skip_value(t, n, i));
		if (i >= n || t[i] != ',')
			return false;
		i++;
	}
}

/* The line of top[idx].field[sub].key (see line_of; key NULL stops at field[sub]). */
static int line_of_key(const pctx *c, const char *top, int idx, const char *field, int sub,
		       const char *key)
{
	const char *t = c->text;
	size_t n = c->len, i = skip_ws(t, n, 0);
	if (top && descend_key(t, n, &i, top) && idx >= 0 && descend_index(t, n, &i, idx) &&
	    field && descend_key(t, n, &i, field) && sub >= 0 && descend_index(t, n, &i, sub) &&
	    key)
		descend_key(t, n, &i, key);
	int line = 1;
	for (size_t k = 0; k < i && k < n; k++)
		if (t[k] == '\n')
			line++;
	return line;
}

/*
 * The line of top[idx].field[sub] in the text (idx, sub < 0 and field NULL stop earlier);
 * when part of the path is missing, the line of the deepest part found.
 */
static int line_of(const pctx *c, const char *top, int idx, const char *field, int sub)
{
	return line_of_key(c, top, idx, field, sub, NULL);
}

/* Whether s holds a control character (C0, DEL or C1 in UTF-8) a terminal could act on. */
static bool has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return true;
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return true;
	}
	return false;
}

/* A copy of s; sets the failure flag when memory runs out. */
static char *dup_or_fail(pctx *c, const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		fail(c, 1, "out of memory");
	return d;
}

/* How an entry is named in errors: by its id when it has one, else by its position. */
static void entry_name(char *buf, size_t sz, const char *kind, int idx, const char *id)
{
	if (id)
		snprintf(buf, sz, "%s \"%s\"", kind, id);
	else
		snprintf(buf, sz, "%ss[%d]", kind, idx);
}

/* The string v, checked (a non-empty line of text); NULL on error, reported at line. */
static const char *valid_str(pctx *c, json_t *v, int line, const char *what, const char *key)
{
	if (!json_is_string(v)) {
		fail(c, line, "%s: \"%s\" must be a string", what, key);
		return NULL;
	}
	const char *s = json_string_value(v);
	if (json_string_length(v) != strlen(s)) {
		fail(c, line, "%s: \"%s\" contains a NUL character", what, key);
		return NULL;
	}
	if (s[0] == '\0') {
		fail(c, line, "%s: \"%s\" is empty", what, key);
		return NULL;
	}
	if (has_control(s)) {
		fail(c, line, "%s: \"%s\" contains a control character: remove it", what, key);
		return NULL;
	}
	if (strlen(s) > RB_MAX_STR) {
		fail(c, line, "%s: \"%s\" is longer than %d bytes: shorten it", what, key,
		     RB_MAX_STR);
		return NULL;
	}
	return s;
}

/*
 * The line of key in the entry top[idx], or with sub >= 0 in its step top[idx].steps[sub]; key
 * NULL: the line of the entry (or step) itself.
 */
static int entry_line(const pctx *c, const char *top, int idx, int sub, const char *key)
{
	return sub < 0 ? line_of(c, top, idx, key, -1)
		       : line_of_key(c, top, idx, "steps", sub, key);
}

/*
 * A string member of the entry top[idx] (or of its step sub, when sub >= 0): NULL when absent
 * and optional, or on error (reported). what names the entry in the error.
 */
static const char *entry_str(pctx *c, json_t *obj, const char *key, bool required, const char *what,
			     const char *top, int idx, int sub)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		if (required)
			fail(c, entry_line(c, top, idx, sub, NULL), "%s has no \"%s\": add it",
			     what, key);
		return NULL;
	}
	return valid_str(c, v, entry_line(c, top, idx, sub, key), what, key);
}

/* A string member of top[idx] (entry_str of the entry itself). */
static const char *member_str(pctx *c, json_t *obj, const char *key, bool required,
			      const char *what, const char *top, int idx)
{
	return entry_str(c, obj, key, required, what, top, idx, -1);
}

/* Refuse keys an entry does not have (a typo such as "unkown" would silently change the tree). */
static bool check_keys(pctx *c, json_t *obj, const char *const *allowed, const char *what,
		       const char *top, int idx, int sub)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		bool ok = false;
		for (int k = 0; allowed[k]; k++)
			ok = ok || strcmp(allowed[k], key) == 0;
		if (!ok) {
			char list[160] = "";
			for (int k = 0; allowed[k]; k++) {
				size_t l = strlen(list);
				snprintf(list + l, sizeof list - l, "%s%s", k ? ", " : "",
					 allowed[k]);
			}
			fail(c, entry_line(c, top, idx, sub, key),
			     "%s: unknown key \"%s\" (allowed: %s)", what, key, list);
			return false;
		}
	}
	return true;
}

/* The index of id in the contract table, or -1. */
static int contract_index(const char *id)
{
	for (int k = 0; id && runbook_leaf_ids[k]; k++)
		if (strcmp(runbook_leaf_ids[k], id) == 0)
			return k;
	return -1;
}

/* The contract ids as one comma-separated line. */
static void contract_list(char *buf, size_t sz)
{
	buf[0] = '\0';
	for (int k = 0; runbook_leaf_ids[k]; k++) {
		size_t l = strlen(buf);
		snprintf(buf + l, sz - l, "%s%s", k ? ", " : "", runbook_leaf_ids[k]);
	}
}

/* How many leading bytes a and b share. */
static size_t common_prefix(const char *a, const char *b)
{
	size_t k = 0;
	while (a[k] && a[k] == b[k])
		k++;
	return k;
}

/* A few valid predicate names, those closest to name (longest shared prefix) first. */
static void predicate_hint(const char *name, char *buf, size_t sz)
{
	int n = 0;
	while (predicate_names[n])
		n++;
	bool used[64] = {false};
	buf[0] = '\0';
	for (int shown = 0; shown < 6 && shown < n && shown < 64; shown++) {
		int best = -1;
		size_t best_len = 0;
		for (int k = 0; k < n && k < 64; k++) {
			size_t l = common_prefix(name, predicate_names[k]);
			if (!used[k] && (best < 0 || l > best_len)) {
				best = k;
				best_len = l;
			}
		}
		used[best] = true;
		size_t l = strlen(buf);
		snprintf(buf + l, sz - l, "%s%s", shown ? ", " : "", predicate_names[best]);
	}
}

/* Whether pred names a known predicate; else an error at line with the closest names. */
static bool predicate_known(pctx *c, const char *pred, const char *what, int line)
{
	if (predicate_exists(pred))
		return true;
	char hint[256];
	predicate_hint(pred, hint, sizeof hint);
	fail(c, line, "%s: unknown predicate \"%s\" (known ones include %s)", what, pred, hint);
	return false;
}

/* Whether id is already taken by a node or a leaf parsed so far. */
static bool id_taken(const runbook *rb, const char *id)
{
	return runbook_node(rb, id) != NULL || runbook_leaf(rb, id) != NULL;
}

/* Parse nodes[idx] into the next node slot. */
static void parse_node(pctx *c, runbook *rb, json_t *obj, int idx)
{
	char what[160];
	entry_name(what, sizeof what, "node", idx, NULL);
	if (!json_is_object(obj)) {
		fail(c, line_of(c, "nodes", idx, NULL, -1),
		     "%s must be an object with id, question, predicate, yes and no", what);
		return;
	}
	json_t *jid = json_object_get(obj, "id");
	if (json_is_string(jid))
		entry_name(what, sizeof what, "node", idx, json_string_value(jid));
	if (!check_keys(c, obj, c->version == 1 ? node_keys_v1 : node_keys, what, "nodes", idx, -1))
		return;
	const char *id = member_str(c, obj, "id", true, what, "nodes", idx);
	if (!id)
		return;
	if (contract_index(id) >= 0) {
		fail(c, line_of(c, "nodes", idx, "id", -1),
		     "%s: \"%s\" is a leaf id; give the node another id", what, id);
		return;
	}
	if (id_taken(rb, id)) {
		fail(c, line_of(c, "nodes", idx, "id", -1),
		     "%s: duplicate id \"%s\": ids must be unique across nodes and leaves", what,
		     id);
		return;
	}
	const char *question = member_str(c, obj, "question", true, what, "nodes", idx);
	if (!question)
		return;
	const char *ask = member_str(c, obj, "ask", false, what, "nodes", idx);
	if (c->failed)
		return;
	if (ask && strcmp(ask, "operator") != 0) {
		fail(c, line_of(c, "nodes", idx, "ask", -1),
		     "%s: \"ask\" must be \"operator\" (a question only the operator answers), "
		     "not \"%s\"",
		     what, ask);
		return;
	}
	if (ask && json_object_get(obj, "predicate")) {
		fail(c, line_of(c, "nodes", idx, "predicate", -1),
		     "%s: a node with \"ask\": \"operator\" has no \"predicate\": remove one of "
		     "them",
		     what);
		return;
	}
	const char *pred = ask ? NULL : member_str(c, obj, "predicate", true, what, "nodes", idx);
	if (!ask && !pred)
		return;
	if (pred && !predicate_known(c, pred, what, line_of(c, "nodes", idx, "predicate", -1)))
		return;
	const char *yes = member_str(c, obj, "yes", true, what, "nodes", idx);
	const char *no = yes ? member_str(c, obj, "no", true, what, "nodes", idx) : NULL;
	if (!no)
		return;
	const char *unk = member_str(c, obj, "unknown", false, what, "nodes", idx);
	if (c->failed)
		return;
	rb_node *n = &rb->nodes[rb->n_nodes++];
	n->id = dup_or_fail(c, id);
	n->question = dup_or_fail(c, question);
	n->predicate = pred ? dup_or_fail(c, pred) : NULL;
	n->ask_operator = ask != NULL;
	n->yes = dup_or_fail(c, yes);
	n->no = dup_or_fail(c, no);
	n->unknown = unk ? dup_or_fail(c, unk) : NULL;
}

/* Whether s is a name made of letters, digits, '-', '_' and '.', at most RB_MAX_ID bytes. */
static bool name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > RB_MAX_ID)
		return false;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			return false;
	return true;
}

/* Whether s is an https:// or http:// URL with a host, and no spaces or quotes. */
static bool link_ok(const char *s)
{
	const char *rest = strncmp(s, "https://", 8) == 0  ? s + 8
			   : strncmp(s, "http://", 7) == 0 ? s + 7
							   : NULL;
	return rest && rest[0] && rest[0] != '/' && !strpbrk(s, " \"<>\\");
}

/* A string member of step sub of leaves[idx]: NULL when absent and optional, or on error. */
static const char *step_str(pctx *c, json_t *obj, const char *key, bool required, const char *what,
			    int idx, int sub)
{
	return entry_str(c, obj, key, required, what, "leaves", idx, sub);
}

/* Check step sub's optional verify, command and link; false (reported) when one is bad. */
static bool step_extras_ok(pctx *c, const char *what, int idx, int sub, const char *verify,
			   const char *command, const char *link)
{
	if (verify && !predicate_known(c, verify + (verify[0] == '!'), what,
				       entry_line(c, "leaves", idx, sub, "verify")))
		return false;
	if (command && !name_ok(command)) {
		fail(c, entry_line(c, "leaves", idx, sub, "command"),
		     "%s: command \"%s\" must be a name of letters, digits, '-', '_' or '.' (the "
		     "config file sets command.NAME)",
		     what, command);
		return false;
	}
	if (link && !link_ok(link)) {
		fail(c, entry_line(c, "leaves", idx, sub, "link"),
		     "%s: link \"%s\" must be an https:// (or http://) URL", what, link);
		return false;
	}
	return true;
}

/* Parse step sub of leaves[idx] (format /2: an object) into l->steps[l->n_steps]. */
static void parse_step_v2(pctx *c, rb_leaf *l, json_t *obj, const char *leaf, int idx, int sub)
{
	char what[200];
	snprintf(what, sizeof what, "%s: steps[%d]", leaf, sub);
	if (!json_is_object(obj)) {
		fail(c, line_of(c, "leaves", idx, "steps", sub),
		     "%s must be an object with \"id\" and \"text\" (format /2; plain strings "
		     "are format /1)",
		     what);
		return;
	}
	if (!check_keys(c, obj, step_keys, what, "leaves", idx, sub))
		return;
	const char *id = step_str(c, obj, "id", true, what, idx, sub);
	const char *text = id ? step_str(c, obj, "text", true, what, idx, sub) : NULL;
	if (!text)
		return;
	const char *verify = step_str(c, obj, "verify", false, what, idx, sub);
	const char *command = step_str(c, obj, "command", false, what, idx, sub);
	const char *link = step_str(c, obj, "link", false, what, idx, sub);
	if (c->failed)
		return;
	if (!name_ok(id)) {
		fail(c, entry_line(c, "leaves", idx, sub, "id"),
		     "%s: id \"%s\" must be 1 to %d letters, digits, '-', '_' or '.'", what, id,
		     RB_MAX_ID);
		return;
	}
	if (runbook_step(l, id)) {
		fail(c, entry_line(c, "leaves", idx, sub, "id"),
		     "%s: duplicate step id \"%s\": step ids must be unique within a leaf", what,
		     id);
		return;
	}
	if (!step_extras_ok(c, what, idx, sub, verify, command, link))
		return;
	rb_step *st = &l->steps[l->n_steps++];
	st->id = dup_or_fail(c, id);
	st->text = dup_or_fail(c, text);
	st->verify = verify ? dup_or_fail(c, verify) : NULL;
	st->command = command ? dup_or_fail(c, command) : NULL;
	st->link = link ? dup_or_fail(c, link) : NULL;
}

/* Parse step sub of leaves[idx] (format /1: a string) into l->steps[l->n_steps]. */
static void parse_step_v1(pctx *c, rb_leaf *l, json_t *s, const char *what, int idx, int sub)
{
	const char *v = json_string_value(s);
	if (!json_is_string(s) || json_string_length(s) != strlen(v) || v[0] == '\0' ||
	    has_control(v) || strlen(v) > RB_MAX_STR) {
		fail(c, line_of(c, "leaves", idx, "steps", sub),
		     "%s: steps[%d] must be a non-empty line of text (a string of at most "
		     "%d bytes, no control characters)",
		     what, sub, RB_MAX_STR);
		return;
	}
	char id[32];
	snprintf(id, sizeof id, "step-%d", sub + 1);
	rb_step *st = &l->steps[l->n_steps++];
	st->id = dup_or_fail(c, id);
	st->text = dup_or_fail(c, v);
}

/* Parse the steps array of leaves[idx]. */
static void parse_steps(pctx *c, rb_leaf *l, json_t *obj, const char *what, int idx)
{
	json_t *steps = json_object_get(obj, "steps");
	if (!steps) {
		fail(c, line_of(c, "leaves", idx, NULL, -1),
		     "%s has no \"steps\": add an array of remediation steps", what);
		return;
	}
	int line = line_of(c, "leaves", idx, "steps", -1);
	if (!json_is_array(steps)) {
		fail(c, line, "%s: \"steps\" must be an array of %s", what,
		     c->version == 1 ? "strings" : "objects");
		return;
	}
	size_t n = json_array_size(steps);
	if (n == 0 || n > RB_MAX_STEPS) {
		fail(c, line, "%s: \"steps\" needs 1 to %d steps, has %zu", what, RB_MAX_STEPS, n);
		return;
	}
	l->steps = calloc(n, sizeof *l->steps);
	if (!l->steps) {
		fail(c, 1, "out of memory");
		return;
	}
	for (size_t k = 0; k < n && !c->failed; k++) {
		if (c->version == 1)
			parse_step_v1(c, l, json_array_get(steps, k), what, idx, (int)k);
		else
			parse_step_v2(c, l, json_array_get(steps, k), what, idx, (int)k);
	}
}

/*
 * The severity as P1..P4 in out, or false when sev is not one the file's format allows:
 * /2 "P1".."P4"; /1 "SEV-1".."SEV-5" (SEV-4 and SEV-5 both become P4).
 */
static bool severity_norm(int version, const char *sev, char out[3])
{
	int digit;
	if (version == 1) {
		if (strlen(sev) != 5 || strncmp(sev, "SEV-", 4) != 0 || sev[4] < '1' ||
		    sev[4] > '5')
			return false;
		digit = sev[4] == '5' ? 4 : sev[4] - '0';
	} else {
		if (strlen(sev) != 2 || sev[0] != 'P' || sev[1] < '1' || sev[1] > '4')
			return false;
		digit = sev[1] - '0';
	}
	out[0] = 'P';
	out[1] = (char)('0' + digit);
	out[2] = '\0';
	return true;
}

/* Parse leaves[idx] into the next leaf slot. */
static void parse_leaf(pctx *c, runbook *rb, json_t *obj, int idx)
{
	char what[160], ids[256];
	entry_name(what, sizeof what, "leaf", idx, NULL);
	if (!json_is_object(obj)) {
		fail(c, line_of(c, "leaves", idx, NULL, -1),
		     "%s must be an object with id, title and steps", what);
		return;
	}
	json_t *jid = json_object_get(obj, "id");
	if (json_is_string(jid))
		entry_name(what, sizeof what, "leaf", idx, json_string_value(jid));
	if (!check_keys(c, obj, leaf_keys, what, "leaves", idx, -1))
		return;
	const char *id = member_str(c, obj, "id", true, what, "leaves", idx);
	if (!id)
		return;
	int ci = contract_index(id);
	if (ci < 0) {
		contract_list(ids, sizeof ids);
		fail(c, line_of(c, "leaves", idx, "id", -1),
		     "%s: \"%s\" is not a contract leaf id; use one of: %s", what, id, ids);
		return;
	}
	if (id_taken(rb, id)) {
		fail(c, line_of(c, "leaves", idx, "id", -1),
		     "%s: duplicate id \"%s\": ids must be unique across nodes and leaves", what,
		     id);
		return;
	}
	const char *title = member_str(c, obj, "title", true, what, "leaves", idx);
	if (!title)
		return;
	const char *summary = member_str(c, obj, "summary", false, what, "leaves", idx);
	const char *cause = member_str(c, obj, "cause", false, what, "leaves", idx);
	const char *impact = member_str(c, obj, "impact", false, what, "leaves", idx);
	const char *esc = member_str(c, obj, "escalation", false, what, "leaves", idx);
	const char *sev = member_str(c, obj, "severity", false, what, "leaves", idx);
	if (c->failed)
		return;
	char pn[3] = "P2";
	if (!sev && ci == 0)
		strcpy(pn, "P4");
	if (sev && !severity_norm(c->version, sev, pn)) {
		fail(c, line_of(c, "leaves", idx, "severity", -1),
		     c->version == 1 ? "%s: severity \"%s\" must be one of SEV-1 .. SEV-5"
				     : "%s: severity \"%s\" must be one of P1, P2, P3, P4 (P1: the "
				       "integration is down for everyone)",
		     what, sev);
		return;
	}
	rb_leaf *l = &rb->leaves[rb->n_leaves++];
	l->id = dup_or_fail(c, id);
	l->title = dup_or_fail(c, title);
	l->summary = dup_or_fail(c, summary ? summary : title);
	l->cause = dup_or_fail(c, cause ? cause : l->summary);
	l->impact = dup_or_fail(c, impact ? impact : "Not yet assessed.");
	l->escalation = dup_or_fail(c, esc ? esc : "");
	l->severity = dup_or_fail(c, pn);
	parse_steps(c, l, obj, what, idx);
}

/* Check that a node's target names a node or a leaf. */
static void check_target(pctx *c, const runbook *rb, int idx, const char *field)
{
	const rb_node *n = &rb->nodes[idx];
	const char *target = strcmp(field, "yes") == 0	? n->yes
			     : strcmp(field, "no") == 0 ? n->no
							: n->unknown;
	if (!target || c->failed || id_taken(rb, target))
		return;
	int line = line_of(c, "nodes", idx, field, -1);
	if (contract_index(target) >= 0)
		fail(c, line,
		     "node \"%s\": \"%s\" goes to leaf \"%s\", which this runbook does not define: "
		     "add it to \"leaves\"",
		     n->id, field, target);
	else
		fail(c, line, "node \"%s\": \"%s\" target \"%s\" names no node or leaf", n->id,
		     field, target);
}

/* The index of node id, or -1. */
static int node_index(const runbook *rb, const char *id)
{
	for (int k = 0; k < rb->n_nodes; k++)
		if (strcmp(rb->nodes[k].id, id) == 0)
			return k;
	return -1;
}

/* Walk state for the cycle and depth check. */
typedef struct {
	pctx *c;
	const runbook *rb;
	char state[RB_MAX_NODES]; /* 0 unvisited, 1 on the current path, 2 done */
	int depth[RB_MAX_NODES];  /* questions from this node to a leaf, at most */
	int path[RB_MAX_NODES];	  /* the node indices on the current path */
	int n_path;
} walk;

/* Depth-first from node k: refuse a cycle, compute the longest question path. */
static int walk_node(walk *w, int k)
{
	static const char *const fields[] = {"yes", "no", "unknown"};
	if (w->state[k] == 2)
		return w->depth[k];
	w->state[k] = 1;
	w->path[w->n_path++] = k;
	int deepest = 0;
	const rb_node *n = &w->rb->nodes[k];
	for (int f = 0; f < 3 && !w->c->failed; f++) {
		const char *target = f == 0 ? n->yes : f == 1 ? n->no : n->unknown;
		int t = target ? node_index(w->rb, target) : -1;
		if (t < 0)
			continue;
		if (w->state[t] == 1) {
			char loop[200] = "";
			int from = 0;
			while (from < w->n_path && w->path[from] != t)
				from++;
			for (int p = from; p < w->n_path; p++) {
				size_t l = strlen(loop);
				snprintf(loop + l, sizeof loop - l, "%s -> ",
					 w->rb->nodes[w->path[p]].id);
			}
			size_t l = strlen(loop);
			snprintf(loop + l, sizeof loop - l, "%s", target);
			fail(w->c, line_of(w->c, "nodes", k, fields[f], -1),
			     "node \"%s\": \"%s\" leads back to \"%s\", a cycle (%s); every path "
			     "must end at a leaf",
			     n->id, fields[f], target, loop);
			break;
		}
		int d = walk_node(w, t);
		if (d > deepest)
			deepest = d;
	}
	w->n_path--;
	w->state[k] = 2;
	w->depth[k] = deepest + 1;
	return w->depth[k];
}

/* Refuse cycles and trees deeper than diagnose() walks. */
static void check_tree(pctx *c, const runbook *rb)
{
	walk w = {.c = c, .rb = rb};
	int s = node_index(rb, rb->start);
	if (s < 0)
		return;
	int d = walk_node(&w, s);
	if (!c->failed && d > RUNBOOK_MAX_DEPTH)
		fail(c, line_of(c, "start", -1, NULL, -1),
		     "the tree is %d questions deep from \"%s\"; at most %d are allowed", d,
		     rb->start, RUNBOOK_MAX_DEPTH);
}

/* The array member key of the root, or NULL (reported) when missing or not an array. */
static json_t *root_array(pctx *c, json_t *root, const char *key, int max, const char *what)
{
	json_t *a = json_object_get(root, key);
	if (!a) {
		fail(c, 1, "missing \"%s\": add an array of %s", key, what);
		return NULL;
	}
	int line = line_of(c, key, -1, NULL, -1);
	if (!json_is_array(a)) {
		fail(c, line, "\"%s\" must be an array of %s", key, what);
		return NULL;
	}
	if (json_array_size(a) == 0 || json_array_size(a) > (size_t)max) {
		fail(c, line, "\"%s\" needs 1 to %d %s, has %zu", key, max, what,
		     json_array_size(a));
		return NULL;
	}
	return a;
}

/* Check the root's format and start; the start string or NULL (reported). */
static const char *root_header(pctx *c, json_t *root)
{
	json_t *fmt = json_object_get(root, "format");
	if (!fmt) {
		fail(c, 1, "missing \"format\": add \"format\": \"%s\"", RB_FORMAT);
		return NULL;
	}
	c->version = !json_is_string(fmt)				      ? 0
		     : strcmp(json_string_value(fmt), RB_FORMAT) == 0	      ? 2
		     : strcmp(json_string_value(fmt), RUNBOOK_FORMAT_V1) == 0 ? 1
									      : 0;
	if (c->version == 0) {
		fail(c, line_of(c, "format", -1, NULL, -1),
		     "unsupported \"format\" %s%s%s: this hsrunbook reads \"%s\" (and the older "
		     "\"%s\")",
		     json_is_string(fmt) ? "\"" : "(not a string)",
		     json_is_string(fmt) ? json_string_value(fmt) : "",
		     json_is_string(fmt) ? "\"" : "", RB_FORMAT, RUNBOOK_FORMAT_V1);
		return NULL;
	}
	json_t *start = json_object_get(root, "start");
	if (!start) {
		fail(c, 1, "missing \"start\": add \"start\": \"<id of the first node>\"");
		return NULL;
	}
	if (!json_is_string(start) || json_string_value(start)[0] == '\0') {
		fail(c, line_of(c, "start", -1, NULL, -1),
		     "\"start\" must be the id of the first node, as a string");
		return NULL;
	}
	return json_string_value(start);
}

/* Validate the parsed root into rb. */
static void parse_root(pctx *c, runbook *rb, json_t *root)
{
	const char *start = root_header(c, root);
	if (!start)
		return;
	json_t *nodes = root_array(c, root, "nodes", RB_MAX_NODES, "question nodes");
	json_t *leaves = nodes ? root_array(c, root, "leaves", RB_MAX_LEAVES, "leaves") : NULL;
	if (!leaves)
		return;
	rb->start = dup_or_fail(c, start);
	rb->nodes = calloc(json_array_size(nodes), sizeof *rb->nodes);
	rb->leaves = calloc(json_array_size(leaves), sizeof *rb->leaves);
	if (!rb->nodes || !rb->leaves) {
		fail(c, 1, "out of memory");
		return;
	}
	/* Leaves first, so a node reusing a leaf's id is caught as a duplicate. */
	for (size_t k = 0; k < json_array_size(leaves) && !c->failed; k++)
		parse_leaf(c, rb, json_array_get(leaves, k), (int)k);
	for (size_t k = 0; k < json_array_size(nodes) && !c->failed; k++)
		parse_node(c, rb, json_array_get(nodes, k), (int)k);
	if (c->failed)
		return;
	if (!runbook_leaf(rb, "unknown")) {
		fail(c, line_of(c, "leaves", -1, NULL, -1),
		     "the leaf \"unknown\" is missing: add it (diagnoses land there when the "
		     "evidence runs out)");
		return;
	}
	if (!runbook_node(rb, start)) {
		fail(c, line_of(c, "start", -1, NULL, -1),
		     runbook_leaf(rb, start)
			 ? "\"start\" names the leaf \"%s\": it must name a node"
			 : "\"start\" names no node: \"%s\" is not a node id",
		     start);
		return;
	}
	for (int k = 0; k < rb->n_nodes && !c->failed; k++) {
		check_target(c, rb, k, "yes");
		check_target(c, rb, k, "no");
		check_target(c, rb, k, "unknown");
	}
	if (!c->failed)
		check_tree(c, rb);
}

/* Parse and validate runbook JSON text; NULL with "NAME:LINE: reason" in err. */
runbook *runbook_parse(const char *text, size_t len, const char *name, char *err, size_t errsz)
{
	pctx c = {.name = name ? name : "runbook",
		  .text = text ? text : "",
		  .len = text ? len : 0,
		  .err = err,
		  .errsz = errsz};
	if (err && errsz)
		err[0] = '\0';
	json_error_t jerr;
	json_t *root = json_loadb(c.text, c.len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		fail(&c, jerr.line, "JSON syntax error: %s (column %d)", jerr.text, jerr.column);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		fail(&c, 1,
		     "a runbook is a JSON object: {\"format\": \"%s\", \"start\": ..., "
		     "\"nodes\": [...], \"leaves\": [...]}",
		     RB_FORMAT);
		return NULL;
	}
	runbook *rb = calloc(1, sizeof *rb);
	if (!rb) {
		json_decref(root);
		fail(&c, 1, "out of memory");
		return NULL;
	}
	rb->name = dup_or_fail(&c, c.name);
	parse_root(&c, rb, root);
	json_decref(root);
	if (c.failed) {
		runbook_free(rb);
		return NULL;
	}
	return rb;
}

/* Read and parse a runbook file. */
runbook *runbook_load_file(const char *path, char *err, size_t errsz)
{
	char none[1];
	if (!err || errsz == 0) {
		err = none;
		errsz = sizeof none;
	}
	if (!path) {
		snprintf(err, errsz, "no runbook path given");
		return NULL;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errsz, "%s: cannot open the runbook: %s", path, strerror(errno));
		return NULL;
	}
	char *buf = malloc(RB_MAX_FILE + 1);
	if (!buf) {
		fclose(f);
		snprintf(err, errsz, "%s: out of memory", path);
		return NULL;
	}
	size_t n = fread(buf, 1, RB_MAX_FILE + 1, f);
	int rerr = ferror(f) ? errno : 0;
	fclose(f);
	if (rerr) {
		snprintf(err, errsz, "%s: cannot read the runbook: %s", path, strerror(rerr));
		free(buf);
		return NULL;
	}
	if (n > RB_MAX_FILE) {
		snprintf(err, errsz, "%s: larger than %d bytes; is this a runbook?", path,
			 RB_MAX_FILE);
		free(buf);
		return NULL;
	}
	runbook *rb = runbook_parse(buf, n, path, err, errsz);
	free(buf);
	return rb;
}

/* The runbook embedded in the binary. */
runbook *runbook_load_default(char *err, size_t errsz)
{
	size_t len = (size_t)(runbook_default_json_end - runbook_default_json_start);
	return runbook_parse(runbook_default_json_start, len, "built-in", err, errsz);
}

/* Free a runbook, including one only partly built. */
void runbook_free(runbook *rb)
{
	if (!rb)
		return;
	for (int k = 0; k < rb->n_nodes; k++) {
		rb_node *n = &rb->nodes[k];
		free(n->id);
		free(n->question);
		free(n->predicate);
		free(n->yes);
		free(n->no);
		free(n->unknown);
	}
	for (int k = 0; k < rb->n_leaves; k++) {
		rb_leaf *l = &rb->leaves[k];
		free(l->id);
		free(l->title);
		free(l->summary);
		free(l->cause);
		free(l->impact);
		for (int s = 0; s < l->n_steps; s++) {
			free(l->steps[s].id);
			free(l->steps[s].text);
			free(l->steps[s].verify);
			free(l->steps[s].command);
			free(l->steps[s].link);
		}
		free(l->steps);
		free(l->escalation);
		free(l->severity);
	}
	free(rb->nodes);
	free(rb->leaves);
	free(rb->name);
	free(rb->start);
	free(rb);
}

/* The leaf with this id, or NULL. */
const rb_leaf *runbook_leaf(const runbook *rb, const char *id)
{
	for (int k = 0; rb && id && k < rb->n_leaves; k++)
		if (rb->leaves[k].id && strcmp(rb->leaves[k].id, id) == 0)
			return &rb->leaves[k];
	return NULL;
}

/* The node with this id, or NULL. */
const rb_node *runbook_node(const runbook *rb, const char *id)
{
	for (int k = 0; rb && id && k < rb->n_nodes; k++)
		if (rb->nodes[k].id && strcmp(rb->nodes[k].id, id) == 0)
			return &rb->nodes[k];
	return NULL;
}

/* The step with this id in leaf l, or NULL. */
const rb_step *runbook_step(const rb_leaf *l, const char *id)
{
	for (int k = 0; l && id && k < l->n_steps; k++)
		if (l->steps[k].id && strcmp(l->steps[k].id, id) == 0)
			return &l->steps[k];
	return NULL;
}

/* The contract exit code of a leaf id, or -1. */
int runbook_exit_code(const char *leaf_id)
{
	int k = contract_index(leaf_id);
	return k < 0 ? -1 : leaf_exit_codes[k];
}
