/*
 * The message templates: a small Mustache-like renderer. {{name}} is a value, {{#name}}…{{/name}}
 * repeats for each item of a list (or shows when a text value is present), {{^name}}…{{/name}}
 * shows when it is absent or empty, {{! … }} is a comment. A section tag alone on its line takes
 * the whole line with it. Every name is checked against a schema when the template is loaded.
 */
#include "hsr/template.h"

#include "hsr/sanitize.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEMPLATE_DEPTH_MAX 16		/* sections inside sections */
#define TEMPLATE_FILE_MAX  (256 * 1024) /* a template file larger than this is refused */
#define TEMPLATE_NAME_MAX  64
#define TEMPLATE_OUT_MAX   (1024 * 1024) /* a rendering is cut here (a template nesting lists) */

typedef enum { OP_TEXT, OP_VAR, OP_SECTION, OP_INVERTED } op_kind;

/* One step of a parsed template; a section's body is ops [i+1, end). */
typedef struct {
	op_kind k;
	size_t start, len; /* OP_TEXT: bytes of t->src */
	int var;	   /* index into the schema */
	size_t end;	   /* sections: the index of the first op after the body */
} op;

struct template
{
	char *src;
	char *file;
	const template_var *schema;
	op *ops;
	size_t n_ops, cap_ops;
};

/* One value or list of a template_data. */
typedef struct {
	char *name;
	char *value; /* text: NULL when absent */
	bool is_list;
	template_data **items;
	size_t n_items, cap_items;
} entry;

struct template_data {
	entry *e;
	size_t n, cap;
};

/* A growing output string. */
typedef struct {
	char *p;
	size_t len, cap;
	bool oom;  /* out of memory: the rendering fails */
	bool full; /* TEMPLATE_OUT_MAX reached: the rendering stops there */
} buf;

/* Append n bytes of s to b, past the output cap too. */
static void buf_raw(buf *b, const char *s, size_t n)
{
	if (b->oom || n == 0)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *np = realloc(b->p, cap);
		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Append n bytes of s to b, up to the output cap. */
static void buf_add(buf *b, const char *s, size_t n)
{
	if (b->full || b->len + n > TEMPLATE_OUT_MAX) {
		b->full = true;
		return;
	}
	buf_raw(b, s, n);
}

/* Append a NUL-terminated string to b. */
static void buf_str(buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* The short name of a schema variable: "time" for "timeline.time". */
static const char *short_name(const char *name)
{
	const char *dot = strchr(name, '.');
	return dot ? dot + 1 : name;
}

/* Whether schema variable v is a field of list (name "LIST.FIELD"). */
static bool field_of(const template_var *v, const char *list)
{
	size_t n = strlen(list);
	return strncmp(v->name, list, n) == 0 && v->name[n] == '.';
}

/* The schema index name resolves to inside the open sections (innermost list first), or -1. */
static int resolve(const template_var *schema, const char *name, const int *open, int depth)
{
	for (int d = depth - 1; d >= 0; d--) {
		const template_var *sv = &schema[open[d]];
		if (sv->kind != TEMPLATE_LIST)
			continue;
		for (int i = 0; schema[i].name; i++)
			if (field_of(&schema[i], sv->name) &&
			    strcmp(short_name(schema[i].name), name) == 0)
				return i;
	}
	for (int i = 0; schema[i].name; i++)
		if (!strchr(schema[i].name, '.') && strcmp(schema[i].name, name) == 0)
			return i;
	return -1;
}

/* The error for an unknown name: what to do, with the nearest known name or its list. */
static void say_unknown(const template_var *schema, const char *file, int line, const char *name,
			char *err, size_t errsz)
{
	for (int i = 0; schema[i].name; i++)
		if (strchr(schema[i].name, '.') && strcmp(short_name(schema[i].name), name) == 0) {
			int dot = (int)(strchr(schema[i].name, '.') - schema[i].name);
			snprintf(err, errsz,
				 "%s:%d: '%s' is a field of the list '%.*s': use it inside "
				 "{{#%.*s}}…{{/%.*s}}",
				 file, line, name, dot, schema[i].name, dot, schema[i].name, dot,
				 schema[i].name);
			return;
		}
	const char *names[128];
	int n = 0;
	for (int i = 0; schema[i].name && n < 127; i++)
		if (!strchr(schema[i].name, '.'))
			names[n++] = schema[i].name;
	names[n] = NULL;
	const char *near = common_nearest(name, names);
	if (near)
		snprintf(err, errsz, "%s:%d: unknown variable '%s': did you mean '%s'?", file, line,
			 name, near);
	else
		snprintf(err, errsz,
			 "%s:%d: unknown variable '%s': the README lists the variables a template "
			 "may use",
			 file, line, name);
}

/* Make room for one more of n elements of size elem in *arr (capacity *cap); false when out of
 * memory. */
static bool grow(void *arr, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p = realloc(*(void **)arr, ncap * elem);
	if (!p)
		return false;
	*(void **)arr = p;
	*cap = ncap;
	return true;
}

/* Add an op; false when out of memory. */
static bool add_op(template *t, op o)
{
	if (!grow(&t->ops, &t->cap_ops, t->n_ops, sizeof o))
		return false;
	t->ops[t->n_ops++] = o;
	return true;
}

/* Whether a name has only letters, digits and '_'. */
static bool name_ok(const char *s, size_t n)
{
	if (n == 0 || n >= TEMPLATE_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return false;
	}
	return true;
}

/* Whether [from, to) holds only blanks and tabs. */
static bool blank(const char *from, const char *to)
{
	for (; from < to; from++)
		if (*from != ' ' && *from != '\t')
			return false;
	return true;
}

/* A printable copy of a tag's text for an error (at most 40 bytes, controls as '?'). */
static void shown(const char *s, size_t n, char *out, size_t outsz)
{
	size_t o = 0;
	for (size_t i = 0; i < n && i < 40 && o + 1 < outsz; i++)
		out[o++] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
	out[o] = '\0';
}

/* The state of one parse: the template being built, where the scan is, the open sections. */
typedef struct {
	template *t;
	const char *file;
	char *err;
	size_t errsz;
	const char *end;		    /* the end of t->src */
	const char *text_from;		    /* the start of the text not yet added as an op */
	const char *line_start;		    /* the start of the current line */
	int line;			    /* the current line, from 1 */
	int depth;			    /* how many sections are open */
	int open[TEMPLATE_DEPTH_MAX];	    /* the open sections' schema indexes */
	int open_line[TEMPLATE_DEPTH_MAX];  /* the lines they were opened on */
	size_t open_op[TEMPLATE_DEPTH_MAX]; /* their ops */
} parser;

/* One tag as read: "{{", a sigil, a name, "}}", and the source it takes. */
typedef struct {
	const char *at;	     /* the "{{" */
	const char *close;   /* the "}}" */
	const char *after;   /* the first byte after the tag (past its line when it takes it) */
	const char *text_to; /* where the text before the tag ends */
	const char *name;    /* the name, blanks trimmed */
	size_t nlen;
	char sigil; /* '#', '^', '/', '!', else the name's first byte ('\0' when empty) */
} tag_read;

/* Record the out-of-memory error; always false. */
static bool parse_oom(parser *ps)
{
	snprintf(ps->err, ps->errsz, "%s: out of memory", ps->file);
	return false;
}

/* Count the newlines of [from, to) into the current line. */
static void parse_lines(parser *ps, const char *from, const char *to)
{
	for (const char *q = from; q < to; q++)
		if (*q == '\n') {
			ps->line++;
			ps->line_start = q + 1;
		}
}

/* The text run from text_from up to `to` becomes an op (none when empty); false when out of
 * memory. */
static bool parse_text(parser *ps, const char *to)
{
	const char *s = ps->t->src;
	if (to > ps->text_from && !add_op(ps->t, (op){.k = OP_TEXT,
						      .start = (size_t)(ps->text_from - s),
						      .len = (size_t)(to - ps->text_from)}))
		return parse_oom(ps);
	return true;
}

/* A block tag alone on its line takes the line (and its newline) with it. */
static void parse_take_line(const parser *ps, tag_read *tg)
{
	const char *end = ps->end, *eol = tg->after;
	while (eol < end && (*eol == ' ' || *eol == '\t'))
		eol++;
	bool at_eol = eol == end || *eol == '\n' || (*eol == '\r' && eol[1] == '\n');
	if (!at_eol || !blank(ps->line_start, tg->at))
		return;
	tg->text_to = ps->line_start;
	tg->after = eol < end ? eol + (*eol == '\r' ? 2 : 1) : eol;
}

/* Read the tag starting at `at` into tg; false with the error when its "}}" is not on its line. */
static bool parse_read_tag(parser *ps, const char *at, tag_read *tg)
{
	const char *close = strstr(at + 2, "}}");
	const char *nl = memchr(at + 2, '\n', (size_t)(ps->end - at - 2));
	if (!close || (nl && nl < close)) {
		snprintf(ps->err, ps->errsz,
			 "%s:%d: '{{' without its closing '}}' on the same line", ps->file,
			 ps->line);
		return false;
	}
	const char *in = at + 2, *in_end = close;
	while (in < in_end && (*in == ' ' || *in == '\t'))
		in++;
	while (in_end > in && (in_end[-1] == ' ' || in_end[-1] == '\t'))
		in_end--;
	char sigil = in < in_end ? *in : '\0';
	bool is_block = sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!';
	const char *name = in + (is_block ? 1 : 0);
	while (name < in_end && (*name == ' ' || *name == '\t'))
		name++;
	*tg = (tag_read){.at = at,
			 .close = close,
			 .after = close + 2,
			 .text_to = at,
			 .name = name,
			 .nlen = (size_t)(in_end - name),
			 .sigil = sigil};
	if (is_block)
		parse_take_line(ps, tg);
	return true;
}

/* {{/name}}: close the innermost open section, which must be name. */
static bool parse_close(parser *ps, const char *nm)
{
	if (ps->depth == 0) {
		snprintf(ps->err, ps->errsz, "%s:%d: '{{/%s}}' closes a section never opened",
			 ps->file, ps->line, nm);
		return false;
	}
	const char *want = short_name(ps->t->schema[ps->open[ps->depth - 1]].name);
	if (strcmp(want, nm) != 0) {
		snprintf(ps->err, ps->errsz,
			 "%s:%d: '{{/%s}}' closes the section '%s' opened on line %d: "
			 "close it with {{/%s}}",
			 ps->file, ps->line, nm, want, ps->open_line[ps->depth - 1], want);
		return false;
	}
	ps->depth--;
	ps->t->ops[ps->open_op[ps->depth]].end = ps->t->n_ops;
	return true;
}

/* {{#name}} or {{^name}} (sigil): open a section over schema variable v. */
static bool parse_open(parser *ps, char sigil, int v)
{
	if (ps->depth == TEMPLATE_DEPTH_MAX) {
		snprintf(ps->err, ps->errsz, "%s:%d: sections nested more than %d deep", ps->file,
			 ps->line, TEMPLATE_DEPTH_MAX);
		return false;
	}
	ps->open[ps->depth] = v;
	ps->open_line[ps->depth] = ps->line;
	ps->open_op[ps->depth] = ps->t->n_ops;
	ps->depth++;
	if (!add_op(ps->t, (op){.k = sigil == '#' ? OP_SECTION : OP_INVERTED, .var = v}))
		return parse_oom(ps);
	return true;
}

/* {{name}}: a value of schema variable v, which may not be a list. */
static bool parse_var(parser *ps, const char *nm, int v)
{
	if (ps->t->schema[v].kind == TEMPLATE_LIST) {
		snprintf(ps->err, ps->errsz,
			 "%s:%d: '%s' is a list: repeat over it with {{#%s}}…{{/%s}}", ps->file,
			 ps->line, nm, nm, nm);
		return false;
	}
	if (!add_op(ps->t, (op){.k = OP_VAR, .var = v}))
		return parse_oom(ps);
	return true;
}

/* The ops for one tag: the text before it, then what its sigil says; false with the error. */
static bool parse_tag(parser *ps, const tag_read *tg)
{
	if (!parse_text(ps, tg->text_to))
		return false;
	if (tg->sigil == '!')
		return true;
	if (!name_ok(tg->name, tg->nlen)) {
		char sh[48];
		shown(tg->at, (size_t)(tg->close + 2 - tg->at), sh, sizeof sh);
		snprintf(ps->err, ps->errsz,
			 "%s:%d: '%s' is not a tag: a name is letters, digits and '_', as in "
			 "{{impact}}",
			 ps->file, ps->line, sh);
		return false;
	}
	char nm[TEMPLATE_NAME_MAX];
	memcpy(nm, tg->name, tg->nlen);
	nm[tg->nlen] = '\0';
	if (tg->sigil == '/')
		return parse_close(ps, nm);
	int v = resolve(ps->t->schema, nm, ps->open, ps->depth);
	if (v < 0) {
		say_unknown(ps->t->schema, ps->file, ps->line, nm, ps->err, ps->errsz);
		return false;
	}
	if (tg->sigil == '#' || tg->sigil == '^')
		return parse_open(ps, tg->sigil, v);
	return parse_var(ps, nm, v);
}

/* Scan the whole source into ops, every section closed; false with the error. */
static bool parse_all(parser *ps)
{
	const char *p = ps->t->src;
	while (p < ps->end) {
		const char *at = strstr(p, "{{");
		if (!at)
			break;
		parse_lines(ps, p, at);
		tag_read tg;
		if (!parse_read_tag(ps, at, &tg) || !parse_tag(ps, &tg))
			return false;
		parse_lines(ps, at, tg.after);
		p = ps->text_from = tg.after;
	}
	if (ps->depth > 0) {
		const char *name = short_name(ps->t->schema[ps->open[ps->depth - 1]].name);
		snprintf(ps->err, ps->errsz,
			 "%s:%d: the section '%s' opened here is never closed: add {{/%s}}",
			 ps->file, ps->open_line[ps->depth - 1], name, name);
		return false;
	}
	return parse_text(ps, ps->end);
}

/* Parse text against schema. */
template *template_parse(const char *text, size_t len, const char *file, const template_var *schema,
			 char *err, size_t errsz)
{
	if (err && errsz)
		err[0] = '\0';
	char dummy[8];
	if (!err || !errsz) {
		err = dummy;
		errsz = sizeof dummy;
	}
	if (!file)
		file = "template";
	template *t = calloc(1, sizeof *t);
	if (!t || !(t->src = malloc(len + 1)) || !(t->file = strdup(file))) {
		template_free(t);
		snprintf(err, errsz, "%s: out of memory", file);
		return NULL;
	}
	memcpy(t->src, text, len);
	t->src[len] = '\0';
	t->schema = schema;
	if (memchr(t->src, '\0', len)) {
		int line = 1;
		for (const char *p = t->src; *p; p++)
			line += *p == '\n';
		snprintf(err, errsz, "%s:%d: a NUL byte: a template is text", file, line);
		template_free(t);
		return NULL;
	}
	parser ps = {.t = t,
		     .file = file,
		     .err = err,
		     .errsz = errsz,
		     .end = t->src + len,
		     .text_from = t->src,
		     .line_start = t->src,
		     .line = 1};
	if (!parse_all(&ps)) {
		template_free(t);
		return NULL;
	}
	return t;
}

/* Read a template file (at most 256 KiB) and parse it. */
template *template_load_file(const char *path, const template_var *schema, char *err, size_t errsz)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errsz, "%s: cannot read the template: %s", path, strerror(errno));
		return NULL;
	}
	char *text = malloc(TEMPLATE_FILE_MAX + 1);
	if (!text) {
		fclose(f);
		snprintf(err, errsz, "%s: out of memory", path);
		return NULL;
	}
	size_t n = fread(text, 1, TEMPLATE_FILE_MAX + 1, f);
	bool bad = ferror(f);
	fclose(f);
	if (bad || n > TEMPLATE_FILE_MAX) {
		snprintf(err, errsz, "%s: %s", path,
			 bad ? "cannot read the template" : "larger than 256 KiB: not a template");
		free(text);
		return NULL;
	}
	template *t = template_parse(text, n, path, schema, err, errsz);
	free(text);
	return t;
}

/* Free a template (NULL is fine). */
void template_free(template *t)
{
	if (!t)
		return;
	free(t->src);
	free(t->file);
	free(t->ops);
	free(t);
}

/* The file name the template was parsed under. */
const char *template_file(const template *t)
{
	return t ? t->file : "";
}

/* An empty set of values. */
template_data *template_data_new(void)
{
	return calloc(1, sizeof(template_data));
}

/* Free a set of values and every item under it. */
void template_data_free(template_data *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		entry *e = &d->e[i];
		free(e->name);
		free(e->value);
		for (size_t k = 0; k < e->n_items; k++)
			template_data_free(e->items[k]);
		free(e->items);
	}
	free(d->e);
	free(d);
}

/* The entry called name, created when missing; NULL when out of memory. */
static entry *data_entry(template_data *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->e[i].name, name) == 0)
			return &d->e[i];
	if (!grow(&d->e, &d->cap, d->n, sizeof d->e[0]))
		return NULL;
	entry *e = &d->e[d->n];
	memset(e, 0, sizeof *e);
	if (!(e->name = strdup(name)))
		return NULL;
	d->n++;
	return e;
}

/* The entry called name, or NULL. */
static const entry *data_find(const template_data *d, const char *name)
{
	for (size_t i = 0; d && i < d->n; i++)
		if (strcmp(d->e[i].name, name) == 0)
			return &d->e[i];
	return NULL;
}

/* Set a text value, sanitized and cut; NULL makes it absent. */
int template_data_set(template_data *d, const char *name, const char *value)
{
	entry *e = data_entry(d, name);
	if (!e)
		return -1;
	free(e->value);
	e->value = NULL;
	if (!value)
		return 0;
	size_t n = strlen(value);
	size_t sz = (n < TEMPLATE_VALUE_MAX ? n : TEMPLATE_VALUE_MAX) + 1;
	if (!(e->value = malloc(sz)))
		return -1;
	sanitize_text(e->value, sz, value, n);
	return 0;
}

/* Append an item to a list and return it. */
template_data *template_data_add(template_data *d, const char *name)
{
	entry *e = data_entry(d, name);
	if (!e)
		return NULL;
	e->is_list = true;
	if (!grow(&e->items, &e->cap_items, e->n_items, sizeof e->items[0]))
		return NULL;
	template_data *item = template_data_new();
	if (item)
		e->items[e->n_items++] = item;
	return item;
}

/* Append value to b escaped for target (plain runs copied whole). */
static void escape_into(buf *b, const char *value, template_target target)
{
	const char *special = target == TEMPLATE_SLACK	    ? "&<>"
			      : target == TEMPLATE_MARKDOWN ? "\\`*_[]<>|#~&"
							    : "";
	for (const char *p = value; *p;) {
		size_t run = strcspn(p, special);
		buf_add(b, p, run);
		p += run;
		if (!*p)
			break;
		if (target == TEMPLATE_SLACK)
			buf_str(b, *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : "&gt;");
		else {
			buf_add(b, "\\", 1);
			buf_add(b, p, 1);
		}
		p++;
	}
}

/* Escape one value for target. */
char *template_escape(const char *value, template_target target)
{
	buf b = {0};
	escape_into(&b, value ? value : "", target);
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p ? b.p : strdup("");
}

/* The entry for schema variable v, looked up from the innermost item outwards. */
static const entry *lookup(const template *t, int v, template_data *const *ctx, int depth)
{
	const char *name = short_name(t->schema[v].name);
	for (int d = depth - 1; d >= 0; d--) {
		const entry *e = data_find(ctx[d], name);
		if (e)
			return e;
	}
	return NULL;
}

/* Whether an entry counts as present for a section. */
static bool present(const entry *e)
{
	if (!e)
		return false;
	return e->is_list ? e->n_items > 0 : (e->value && *e->value);
}

/* Render ops [from, to) into b with the context stack ctx[0..depth). */
static void render_ops(const template *t, size_t from, size_t to, template_data **ctx, int depth,
		       template_target target, bool ascii, buf *b)
{
	for (size_t i = from; i < to && !b->oom && !b->full;) {
		const op *o = &t->ops[i];
		if (o->k == OP_TEXT) {
			buf_add(b, t->src + o->start, o->len);
			i++;
			continue;
		}
		const entry *e = lookup(t, o->var, ctx, depth);
		if (o->k == OP_VAR) {
			const char *ask = t->schema[o->var].ask;
			if (e && e->value && *e->value && !e->is_list) {
				escape_into(b, e->value, target);
			} else if (ask) {
				char ph[TEMPLATE_NAME_MAX + 16];
				snprintf(ph, sizeof ph, ascii ? "<%s?>" : "«%s?»", ask);
				escape_into(b, ph, target);
			}
			i++;
			continue;
		}
		bool show = present(e);
		if (o->k == OP_INVERTED) {
			if (!show)
				render_ops(t, i + 1, o->end, ctx, depth, target, ascii, b);
		} else if (show && e->is_list && depth < TEMPLATE_DEPTH_MAX + 1) {
			for (size_t k = 0; k < e->n_items; k++) {
				ctx[depth] = e->items[k];
				render_ops(t, i + 1, o->end, ctx, depth + 1, target, ascii, b);
			}
		} else if (show) {
			render_ops(t, i + 1, o->end, ctx, depth, target, ascii, b);
		}
		i = o->end;
	}
}

/* Render t with d for target. */
char *template_render(const template *t, const template_data *d, template_target target, bool ascii)
{
	template_data *ctx[TEMPLATE_DEPTH_MAX + 2];
	ctx[0] = (template_data *)d;
	buf b = {0};
	render_ops(t, 0, t->n_ops, ctx, d ? 1 : 0, target, ascii, &b);
	if (b.full) {
		static const char cut[] = "\n[cut at 1 MiB]\n";
		buf_raw(&b, cut, sizeof cut - 1);
	}
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p ? b.p : strdup("");
}
