/*
 * libFuzzer target: a journal line as read back after a crash, a disk error or a hand edit.
 * Whatever it is, reading never goes out of bounds; when the fast path reads it, its data's
 * string and true members read the same as from a JSON tree (jansson) of the same data.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hsr/journal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {"text", "line", "owner", "event", "checked", "output"};
	journal_event e;
	json_t *root;
	if (!journal_parse_line((const char *)data, size, &e, &root))
		return 0;
	if (e.n < 1 || !e.type || !e.by || (!e.data && !e.raw))
		abort();
	static char a[8192], b[8192];
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		journal_data_str(&e, keys[i], a, sizeof a);
		journal_data_int(&e, keys[i], -1);
		journal_data_true(&e, keys[i]);
	}
	json_t *tree = root ? NULL : json_loadb(e.raw, e.raw_len, JSON_REJECT_DUPLICATES, NULL);
	if (tree) {
		journal_event te = {.data = tree};
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
			bool sa = journal_data_str(&e, keys[i], a, sizeof a);
			bool sb = journal_data_str(&te, keys[i], b, sizeof b);
			if (sa != sb || strcmp(a, b) != 0)
				abort();
			if (journal_data_true(&e, keys[i]) != journal_data_true(&te, keys[i]))
				abort();
		}
		json_decref(tree);
	}
	if (root)
		json_decref(root);
	return 0;
}
