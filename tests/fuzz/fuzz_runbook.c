/* libFuzzer target: runbook_parse over arbitrary text; a runbook it accepts is a sound tree. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
	for (int i = 0; i < rb->n_leaves; i++)
		if (runbook_exit_code(rb->leaves[i].id) < 0)
			abort();
	runbook_free(rb);
	return 0;
}
