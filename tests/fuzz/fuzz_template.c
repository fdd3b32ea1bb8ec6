/* libFuzzer target: template_parse over arbitrary text, and arbitrary values through the messages.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hsr/message.h"
#include "hsr/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The facts of a small incident whose cause and impact are the fuzzer's bytes. */
static message_facts facts(const char *value)
{
	static const char *ids[] = {"3f2b8c1e-9a4d-4e7b-b1c2-7d8e9f0a1b2c"};
	static message_event ev[2];
	ev[0] = (message_event){1796220300000LL, value};
	ev[1] = (message_event){1796220400000LL, "Acknowledged"};
	return (message_facts){.severity = 2,
			       .status = "identified",
			       .leaf_title = value,
			       .leaf_cause = value,
			       .leaf_impact = value,
			       .correlation_ids = ids,
			       .n_correlation_ids = 1,
			       .started_ms = 1796220300000LL,
			       .now_ms = 1796221300000LL,
			       .hubspot_incident = value,
			       .timeline = ev,
			       .n_timeline = 2};
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[300];
	char *value = malloc(size + 1);
	if (!value)
		return 0;
	memcpy(value, data, size);
	value[size] = '\0';
	message_facts f = facts(value);
	template_data *d = message_data(&f);
	template *t =
	    template_parse((const char *)data, size, "fuzz.md", message_vars, err, sizeof err);
	if (!t) {
		/* Refused: always with a reason that names the file, on one line. */
		if (strncmp(err, "fuzz.md", 7) != 0 || strchr(err, '\n'))
			abort();
	} else {
		for (int k = 0; k < 3; k++) {
			char *out = template_render(t, d, (template_target)k, k == 1);
			if (!out)
				abort();
			free(out);
		}
		template_free(t);
	}
	/* The same bytes as values through the built-in templates: no control byte gets out. */
	static message_templates m;
	static int loaded;
	if (!loaded && message_templates_load(&m, NULL, err, sizeof err) != 0)
		abort();
	loaded = 1;
	for (int k = 0; k < MESSAGE_COUNT; k++) {
		char *out = message_render(&m, (message_kind)k, &f, false);
		if (!out)
			abort();
		for (const unsigned char *p = (const unsigned char *)out; *p; p++)
			if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
				abort();
		free(out);
	}
	template_data_free(d);
	free(value);
	return 0;
}
