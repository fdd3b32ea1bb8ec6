/* libFuzzer target: runbook_parse over arbitrary text; a runbook it accepts is a sound tree. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hsr/predicate.h"
#include "hsr/runbook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether id names a node or a leaf of rb. */
static int known(const runbook *rb, const char *id)
{
	return id && (runbook_node(rb, id) || runbook_leaf(rb, id));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[300];
	runbook *rb = runbook_parse((const char *)data, size, "fuzz.json", err, sizeof err);
	if (!rb) {
		/* Refused: always with a reason that names the file, on one line. */
		if (strncmp(err, "fuzz.json:", 10) != 0 || strchr(err, '\n'))
			abort();
		return 0;
	}
	if (!known(rb, rb->start))
		abort();
	for (int i = 0; i < rb->n_nodes; i++) {
		const rb_node *n = &rb->nodes[i];
		if (!known(rb, n->yes) || !known(rb, n->no) ||
		    (n->unknown && !known(rb, n->unknown)))
			abort();
	}
	for (int i = 0; i < rb->n_leaves; i++) {
		const rb_leaf *l = &rb->leaves[i];
		if (runbook_exit_code(l->id) < 0)
			abort();
		/* Severity is always P1..P4 after loading, whatever the format said. */
		if (strlen(l->severity) != 2 || l->severity[0] != 'P' || l->severity[1] < '1' ||
		    l->severity[1] > '4')
			abort();
		/* Steps: ids unique in the leaf, text present, verify a known predicate. */
		for (int s = 0; s < l->n_steps; s++) {
			const rb_step *st = &l->steps[s];
			if (!st->id || !st->text || !st->text[0] || runbook_step(l, st->id) != st)
				abort();
			if (st->verify && !predicate_exists(st->verify + (st->verify[0] == '!')))
				abort();
		}
	}
	for (int i = 0; i < rb->n_nodes; i++)
		if (rb->nodes[i].ask_operator != (rb->nodes[i].predicate == NULL))
			abort();
	runbook_free(rb);
	return 0;
}
