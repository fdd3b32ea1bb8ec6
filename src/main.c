/* hsrunbook: the locale, then the command table (src/cmd.c) parses, helps or runs. */
#include <locale.h>

#include "hsr/cmd.h"

int main(int argc, char **argv)
{
	/* Character set only (not numbers), before any thread exists: setlocale is not
	 * thread-safe. */
	setlocale(LC_CTYPE, "");
	return cmd_main(argc, argv);
}
