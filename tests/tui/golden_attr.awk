# A tmux attribute capture (capture-pane -p -e) as text that diffs well and reads the same for
# screens that look the same. Each run of cells is preceded by its whole state in braces:
# {bold fg:green} text{}; {} is the plain state. A line starts plain and is closed when it does
# not end plain. Blanks whose look cannot differ (no reverse, underline, strike-through or
# background colour) take the state of the run around them, are plain between runs of two
# states, and are dropped at the end of a line: ncurses may leave a colour on such blanks or
# not, depending on what it drew there before, and nobody can see it. The line-drawing set of
# ASCII terminals (shift out / shift in) is a state too.

BEGIN {
	esc = sprintf("%c", 27)
	so = sprintf("%c", 14) # shift out: the line-drawing set (ASCII terminals' box lines)
	si = sprintf("%c", 15) # shift in: back to text
	acs = 0
	split("black red green yellow blue magenta cyan white", colour, " ")
	reset_state()
}

function reset_state() {
	bold = dim = ital = und = blink = rev = hid = strike = 0
	fg = bg = ""
}

# The name of a colour from an SGR base (30 or 40) and the parameters from index i on; sets
# used to how many parameters the colour took.
function colour_name(p, i, n, base,    v) {
	v = p[i] + 0
	used = 1
	if (v == base + 8) {
		if (p[i + 1] == 5 && i + 2 <= n) {
			used = 3
			return "c" p[i + 2]
		}
		if (p[i + 1] == 2 && i + 4 <= n) {
			used = 5
			return "rgb" p[i + 2] "," p[i + 3] "," p[i + 4]
		}
		return ""
	}
	if (v >= base && v <= base + 7)
		return colour[v - base + 1]
	if (v >= base + 60 && v <= base + 67)
		return "bright-" colour[v - base - 59]
	return ""
}

# Apply one SGR parameter list ("" is a reset).
function sgr(params,    p, n, i, v) {
	n = split(params, p, ";")
	if (n == 0) {
		reset_state()
		return
	}
	for (i = 1; i <= n; i++) {
		v = p[i] + 0
		if (v == 0) reset_state()
		else if (v == 1) bold = 1
		else if (v == 2) dim = 1
		else if (v == 3) ital = 1
		else if (v == 4) und = 1
		else if (v == 5) blink = 1
		else if (v == 7) rev = 1
		else if (v == 8) hid = 1
		else if (v == 9) strike = 1
		else if (v == 22) bold = dim = 0
		else if (v == 23) ital = 0
		else if (v == 24) und = 0
		else if (v == 25) blink = 0
		else if (v == 27) rev = 0
		else if (v == 28) hid = 0
		else if (v == 29) strike = 0
		else if (v == 39) fg = ""
		else if (v == 49) bg = ""
		else if ((v >= 30 && v <= 38) || (v >= 90 && v <= 97)) {
			fg = colour_name(p, i, n, 30)
			i += used - 1
		} else if ((v >= 40 && v <= 48) || (v >= 100 && v <= 107)) {
			bg = colour_name(p, i, n, 40)
			i += used - 1
		}
	}
}

# The state as text ("" when plain).
function state(    s) {
	s = ""
	if (bold) s = s " bold"
	if (dim) s = s " dim"
	if (ital) s = s " italic"
	if (und) s = s " underline"
	if (blink) s = s " blink"
	if (rev) s = s " reverse"
	if (hid) s = s " hidden"
	if (strike) s = s " strike"
	if (fg != "") s = s " fg:" fg
	if (bg != "") s = s " bg:" bg
	if (acs) s = s " line-drawing"
	return substr(s, 2)
}

# Whether a blank drawn now could look different from a plain one.
function blank_shows() {
	return rev || und || strike || bg != ""
}

{
	line = $0
	out = ""
	shown = ""  # the state written last on this line
	blanks = "" # plain blanks not written yet (dropped at the end of the line)
	while (line != "") {
		if (substr(line, 1, 2) == esc "[") {
			j = 3
			while (j <= length(line) && substr(line, j, 1) ~ /[0-9;]/)
				j++
			if (substr(line, j, 1) == "m")
				sgr(substr(line, 3, j - 3))
			line = substr(line, j + 1)
			continue
		}
		c = substr(line, 1, 1)
		line = substr(line, 2)
		if (c == so || c == si) {
			acs = (c == so)
			continue
		}
		if (c == " " && !blank_shows()) {
			blanks = blanks c
			continue
		}
		st = state()
		if (st != shown) {
			if (shown != "" && (blanks != "" || st == ""))
				out = out "{}"
			out = out blanks
			if (st != "")
				out = out "{" st "}"
			shown = st
		} else
			out = out blanks
		blanks = ""
		out = out c
	}
	if (shown != "")
		out = out "{}"
	print out
}
