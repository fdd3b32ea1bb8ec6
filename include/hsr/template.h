/* A small template renderer for the messages: {{name}}, {{#list}}…{{/list}}, {{^name}}…{{/name}}.
 */
#ifndef HSR_TEMPLATE_H
#define HSR_TEMPLATE_H

#include "hsr/common.h"

/* The longest value kept, in bytes: a longer one is cut at a character boundary with "…". */
#define TEMPLATE_VALUE_MAX (8 * 1024)

typedef enum {
	TEMPLATE_TEXT, /* one line of text, or absent */
	TEMPLATE_LIST, /* items, each with its own fields ("timeline.time") */
} template_kind;

/*
 * One variable a template may name. name is "severity" for a top-level value and
 * "timeline.time" for the field time of every item of the list timeline. ask is set for what
 * only a person knows: absent or empty, it renders as the placeholder «ask?» (<ask?> in ASCII).
 * A schema is an array ended by {NULL}; it must outlive the templates parsed against it.
 */
typedef struct {
	const char *name;
	template_kind kind;
	const char *ask;
} template_var;

/* How values are escaped: Slack (& < > as entities), plain text, or Markdown (backslashes). */
typedef enum { TEMPLATE_PLAIN, TEMPLATE_SLACK, TEMPLATE_MARKDOWN } template_target;

typedef struct template template;
typedef struct template_data template_data;

/*
 * Parse template text (len bytes) against schema. file names it in errors, which are one line:
 * "FILE:LINE: reason" for an unknown variable, a section never closed or closed by another
 * name, a list used as a value, a tag without its closing braces. NULL on error.
 */
template *template_parse(const char *text, size_t len, const char *file, const template_var *schema,
			 char *err, size_t errsz);
/* Read and parse a template file; errors as above (or "FILE: reason" when it cannot be read). */
template *template_load_file(const char *path, const template_var *schema, char *err, size_t errsz);
void template_free(template *t);
/* The file name the template was parsed under. */
const char *template_file(const template *t);

/* A set of values to render with: text values and lists of items (each a template_data). */
template_data *template_data_new(void);
void template_data_free(template_data *d);
/*
 * Set name to value: sanitized into one line of printable text (remote text is untrusted) and
 * cut at TEMPLATE_VALUE_MAX. NULL leaves it absent (a placeholder when the schema asks for one).
 * Returns 0, or -1 when out of memory.
 */
int template_data_set(template_data *d, const char *name, const char *value);
/* Append an item to the list name and return it, to set its fields; NULL when out of memory. */
template_data *template_data_add(template_data *d, const char *name);

/*
 * Render t with d, values escaped for target; ascii draws placeholders as <ask?>. Sections
 * over a list repeat per item; over a text value they show when it is present and not empty;
 * inverted sections show when it is absent, empty or an empty list. Returns a malloc'd string
 * (NULL only when out of memory).
 */
char *template_render(const template *t, const template_data *d, template_target target,
		      bool ascii);
/* Escape one value for target into a malloc'd string (what template_render does to values). */
char *template_escape(const char *value, template_target target);

#endif
