/*
 * Shared widget maths for the screens: gauges, sparklines, staleness, big digits, text
 * fitting, severity glyphs and colour roles (ages, durations and counts are in hsr/format.h).
 * Everything here takes plain numbers and returns plain data, so unit tests need no terminal; the
 * curses side lives in screens/.
 */
#ifndef HSR_WIDGET_H
#define HSR_WIDGET_H

#include "hsr/common.h"

/* Colour roles: what a piece of text means, mapped to attributes per scheme. */
typedef enum {
	ROLE_NORMAL = 0,
	ROLE_OK,
	ROLE_WARN,
	ROLE_CRIT,
	ROLE_STALE,
	ROLE_UNKNOWN,
	ROLE_SELECTED,
	ROLE_TITLE,
	ROLE_DIM,
	ROLE_COUNT
} widget_role;

/* Severity of a state; each has its own glyph so nothing depends on colour alone. */
typedef enum {
	SEV_OK = 0,
	SEV_WARN,
	SEV_CRIT,
	SEV_UNKNOWN,
} widget_sev;

/* A gauge of width cells split into full cells, one partial cell (eighths) and empty ones. */
typedef struct {
	bool known;  /* false: value or max unknown (or nonsense); draw "unknown", not a gauge */
	bool over;   /* value above max: drawn full and flagged */
	int full;    /* whole cells filled */
	int eighths; /* 1..7: a partial cell after the full ones; 0: none */
	int empty;   /* cells after that; full + (eighths > 0) + empty == width */
} widget_gauge_cells;

#define WIDGET_GAUGE_MAX_WIDTH 4096
/* Levels of the sparkline glyph ramps (UTF-8 blocks and the ASCII fallback). */
#define WIDGET_SPARK_LEVELS 8

/*
 * Split width cells for value out of max. Empty means exactly 0 and full means at least max:
 * any value above 0 shows at least one eighth, any value below max leaves at least one eighth
 * empty. Negative values or max <= 0 are unknown.
 */
widget_gauge_cells widget_gauge(opt_int value, opt_int max, int width);
/* The gauge as text: UTF-8 blocks with eighth partials and light shade, or ASCII '#', '=', '-'. */
void widget_gauge_text(char *out, size_t outsz, const widget_gauge_cells *g, bool utf8);
/*
 * Sparkline levels 0..levels-1 for the last min(n, width) samples, scaled between their own
 * minimum and maximum; a flat series (or one sample) sits at the middle level; a negative
 * sample is missing and gets -1. Returns how many levels were written to out.
 */
int widget_spark(const long *samples, int n, int width, int levels, int *out);
/* The sparkline as text from levels (-1 drawn as a blank). */
void widget_spark_text(char *out, size_t outsz, const int *levels, int n, bool utf8);
/* Display columns of a UTF-8 string (each undecodable byte counts as one column). */
int widget_cols(const char *s, bool utf8);
/*
 * Copy s into out, cut to at most cols display columns with an ellipsis ("…", or "..." in
 * ASCII) when cut: a cut text always ends with it (below 4 ASCII columns only "..", "."
 * are left). Blanks before the ellipsis are dropped. In ASCII mode every non-ASCII
 * character becomes '?'. Returns the columns used.
 */
int widget_fit(char *out, size_t outsz, const char *s, int cols, bool utf8);
/*
 * Which of n wordings of the same thing, longest first, to show in cols columns: the first
 * that fits whole, else the last (which widget_fit then cuts with an ellipsis).
 */
int widget_pick(const char *const *forms, int n, int cols, bool utf8);
/*
 * Two texts on one row of width columns, left_cols and right_cols wide, kept at least gap
 * columns apart so they never run together: the columns the left text may use. The right
 * text is shown (right_shown) only when both fit whole; otherwise the left gets the row.
 */
int widget_share(int width, int left_cols, int right_cols, int gap, bool *right_shown);
/*
 * Row 0..2 of text drawn in 3-line big characters: each of '0'..'9', '-' and ' ' is 3 columns
 * wide, with one blank column between characters; other characters draw as '-'.
 */
void widget_big_row(char *out, size_t outsz, const char *text, int row, bool utf8);
/* Columns text takes in big characters. */
int widget_big_cols(const char *text);
/* Glyph for a severity: ✔ ▲ ✖ ? (UTF-8) or + ! X ? (ASCII). */
const char *widget_sev_glyph(widget_sev s, bool utf8);
/* The colour role that goes with a severity. */
widget_role widget_sev_role(widget_sev s);
/* A role's name, for the help legend and tests. */
const char *widget_role_name(widget_role r);

#endif
