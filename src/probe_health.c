/* The team's own health endpoint, in the three known shapes or a framework's format, into
 * ev_health. */
#include "hsr/probe_health.h"

#include <ctype.h>
#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "hsr/probe_fetch.h"
#include "hsr/sanitize.h"

/* How deep nested Actuator components are followed. */
#define NEST_MAX 8
/* The longest plain-text body read as a status word. */
#define PLAIN_MAX 64
/* The largest latency believed, in ms (a day): beyond it the figure is nonsense. */
#define LATENCY_MAX_MS 86400000.0

/* Keys and titles of the formats, in health_format order. */
static const struct {
	const char *key, *title;
} formats[HEALTH_FMT_COUNT] = {
    {"", ""},
    {"shape-a", ""}, /* the hand-made shapes and a lone word have no name worth showing */
    {"shape-b", ""},
    {"shape-c", ""},
    {"status-only", ""},
    {"actuator", "Spring Boot Actuator"},
    {"ietf", "IETF health+json"},
    {"terminus", "NestJS Terminus"},
    {"aspnet", "ASP.NET Core"},
    {"microprofile", "MicroProfile Health"},
    {"plain", "plain text"},
};

/* The key of a format ("actuator"); "" for none or out of range. */
const char *probe_health_format_name(health_format f)
{
	return f > HEALTH_FMT_NONE && f < HEALTH_FMT_COUNT ? formats[f].key : "";
}

/* The title of a framework's format ("Spring Boot Actuator"); "" for the others. */
const char *probe_health_format_title(health_format f)
{
	return f > HEALTH_FMT_NONE && f < HEALTH_FMT_COUNT ? formats[f].title : "";
}

/* Whether s equals (ignoring case) one of the NULL-terminated words. */
static bool word_in(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strcasecmp(s, *words) == 0)
			return true;
	return false;
}

/* What a status word says on its own; HEALTH_UNKNOWN when absent or unrecognised. */
static health_state state_of_word(const char *s)
{
	static const char *const good[] = {"healthy", "ok", "up", "pass", "passing", NULL};
	static const char *const warn[] = {"degraded", "warn", "warning", NULL};
	static const char *const bad[] = {"unhealthy",	  "down",  "fail",     "failed",
					  "failing",	  "error", "critical", "out_of_service",
					  "outofservice", NULL};
	if (!s || s[0] == '\0')
		return HEALTH_UNKNOWN;
	if (word_in(s, good))
		return HEALTH_HEALTHY;
	if (word_in(s, warn))
		return HEALTH_DEGRADED;
	if (word_in(s, bad))
		return HEALTH_UNHEALTHY;
	return HEALTH_UNKNOWN;
}

/* The state a JSON value's "status" string says; unknown when it is not a known word. */
static health_state state_of(const json_t *obj)
{
	char word[24];
	probe_fetch_str(word, sizeof word, json_object_get(obj, "status"));
	return state_of_word(word);
}

/* Whether hay contains needle, ignoring ASCII case. */
static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

/* How a JSON number of ms (times scale) reads as a latency; unknown when not a sane figure. */
static opt_int ms_of(const json_t *v, double scale)
{
	if (!json_is_number(v))
		return OPT_UNKNOWN;
	double x = json_number_value(v) * scale;
	if (!(x >= 0 && x <= LATENCY_MAX_MS)) /* also false for NaN */
		return OPT_UNKNOWN;
	return OPT_OF((long long)(x + 0.5));
}

/* Read n (1..max) decimal digits at *s into *out, advancing *s; false when none. */
static bool read_num(const char **s, int max, long long *out, int *n)
{
	long long v = 0;
	int i = 0;
	for (; i < max && isdigit((unsigned char)(*s)[i]); i++)
		v = v * 10 + ((*s)[i] - '0');
	if (i == 0)
		return false;
	*s += i;
	*out = v;
	if (n)
		*n = i;
	return true;
}

/* The milliseconds of a .NET TimeSpan "[d.]hh:mm:ss[.fffffff]"; unknown when malformed. */
opt_int probe_health_timespan_ms(const char *s)
{
	if (!s)
		return OPT_UNKNOWN;
	long long days = 0, h, m, sec, frac = 0;
	int nfrac = 0;
	const char *colon = strchr(s, ':');
	const char *dot = strchr(s, '.');
	if (dot && colon && dot < colon) { /* a day count first */
		if (!read_num(&s, 5, &days, NULL) || *s++ != '.')
			return OPT_UNKNOWN;
	}
	if (!read_num(&s, 2, &h, NULL) || *s++ != ':' || !read_num(&s, 2, &m, NULL) ||
	    *s++ != ':' || !read_num(&s, 2, &sec, NULL))
		return OPT_UNKNOWN;
	if (*s == '.') {
		s++;
		if (!read_num(&s, 7, &frac, &nfrac))
			return OPT_UNKNOWN;
	}
	if (*s != '\0' || h > 23 || m > 59 || sec > 59)
		return OPT_UNKNOWN;
	for (; nfrac < 7; nfrac++)
		frac *= 10; /* now in ticks of 100 ns */
	long long ms = (((days * 24 + h) * 60 + m) * 60 + sec) * 1000 + (frac + 5000) / 10000;
	if (ms > (long long)LATENCY_MAX_MS)
		return OPT_UNKNOWN;
	return OPT_OF(ms);
}

/* What is known of one entry (a component, a check) of a framework's body. */
typedef struct {
	const char *name;
	health_state state;
	char words[160];
	opt_int latency_ms;
} entry;

/* Fill an entry's words and latency from obj and its details/data object, in that order. */
static void entry_read(entry *en, const json_t *obj)
{
	static const char *const word_keys[] = {"output", "description", "message", "error",
						"reason", "exception",	 NULL};
	static const char *const ms_keys[] = {"latencyMs",    "latency_ms", "responseTimeMs",
					      "responseTime", "durationMs", "elapsedMs",
					      "latency",      NULL};
	const json_t *places[] = {obj, json_object_get(obj, "details"),
				  json_object_get(obj, "data")};
	for (size_t p = 0; p < sizeof places / sizeof places[0]; p++) {
		if (!json_is_object(places[p]))
			continue;
		for (int k = 0; word_keys[k] && !en->words[0]; k++)
			probe_fetch_str(en->words, sizeof en->words,
					json_object_get(places[p], word_keys[k]));
		for (int k = 0; ms_keys[k] && !en->latency_ms.known; k++)
			en->latency_ms = ms_of(json_object_get(places[p], ms_keys[k]), 1.0);
	}
	/* ASP.NET Core: how long the check took, as a TimeSpan. */
	if (!en->latency_ms.known)
		en->latency_ms =
		    probe_health_timespan_ms(json_string_value(json_object_get(obj, "duration")));
	/* IETF: observedValue in observedUnit. */
	const char *unit = json_string_value(json_object_get(obj, "observedUnit"));
	bool in_ms = unit && strcmp(unit, "ms") == 0, in_s = unit && strcmp(unit, "s") == 0;
	if (!en->latency_ms.known && (in_ms || in_s))
		en->latency_ms = ms_of(json_object_get(obj, "observedValue"), in_s ? 1000.0 : 1.0);
}

/* The entries seen so far and the best HubSpot match among them. */
typedef struct {
	ev_health *out;
	const char *key;    /* health_hubspot_key, or NULL */
	int rank;	    /* how well the kept HubSpot entries matched (0: none yet) */
	health_state worst; /* the worst state of any entry */
} finder;

/* How well a name says HubSpot: 3 the configured key, 2 hubspot/hub-spot, 1 crm, 0 not. */
static int name_rank(const char *name, const char *key)
{
	if (!name)
		return 0;
	if (key && key[0]) {
		/* Exactly the key, or (IETF) the key as the component before ":measurement". */
		size_t n = strlen(key);
		return strncmp(name, key, n) == 0 && (name[n] == '\0' || name[n] == ':') ? 3 : 0;
	}
	if (contains_ci(name, "hubspot") || contains_ci(name, "hub-spot"))
		return 2;
	return contains_ci(name, "crm") ? 1 : 0;
}

/* Take one entry: kept as HubSpot's when it matches as well as the best so far (worst wins). */
static void offer(finder *fd, const entry *en)
{
	if (en->state > fd->worst)
		fd->worst = en->state;
	int rank = name_rank(en->name, fd->key);
	if (rank == 0 || rank < fd->rank)
		return;
	ev_health *out = fd->out;
	if (rank > fd->rank) {
		fd->rank = rank;
		out->hubspot_state = HEALTH_UNKNOWN;
		out->hubspot_words[0] = '\0';
		out->hubspot_latency_ms = OPT_UNKNOWN;
		sanitize_str(out->hubspot_entry, sizeof out->hubspot_entry, en->name);
	}
	if (en->state > out->hubspot_state) {
		out->hubspot_state = en->state;
		if (en->words[0])
			common_strlcpy(out->hubspot_words, en->words, sizeof out->hubspot_words);
	}
	if (!out->hubspot_words[0])
		common_strlcpy(out->hubspot_words, en->words, sizeof out->hubspot_words);
	if (!out->hubspot_latency_ms.known)
		out->hubspot_latency_ms = en->latency_ms;
}

/* Offer one named object with a "status" as an entry. */
static void offer_object(finder *fd, const char *name, const json_t *obj)
{
	entry en = {.name = name, .state = state_of(obj), .latency_ms = OPT_UNKNOWN};
	entry_read(&en, obj);
	offer(fd, &en);
}

/*
 * Spring Boot Actuator: components (Boot 2.2+) or details (earlier) whose values with a
 * "status" are components, nested as deep as NEST_MAX.
 */
static void read_actuator(finder *fd, const json_t *parent, int depth)
{
	const json_t *kids = json_object_get(parent, "components");
	if (!json_is_object(kids))
		kids = json_object_get(parent, "details");
	if (!json_is_object(kids) || depth >= NEST_MAX)
		return;
	const char *name;
	const json_t *c;
	json_object_foreach((json_t *)kids, name, c)
	{
		if (!json_is_object(c) || !json_is_string(json_object_get(c, "status")))
			continue;
		offer_object(fd, name, c);
		read_actuator(fd, c, depth + 1);
	}
}

/* IETF draft: checks keyed "component:measurement", each an array of check objects. */
static void read_ietf(finder *fd, const json_t *checks)
{
	const char *name;
	const json_t *list;
	json_object_foreach((json_t *)checks, name, list)
	{
		if (json_is_object(list)) {
			offer_object(fd, name, list); /* one object where an array belongs */
			continue;
		}
		size_t i;
		const json_t *c;
		json_array_foreach(list, i, c) if (json_is_object(c)) offer_object(fd, name, c);
	}
}

/* A map of name -> {status, ...} (Terminus info/error/details, ASP.NET Core entries). */
static void read_map(finder *fd, const json_t *map)
{
	const char *name;
	const json_t *c;
	json_object_foreach((json_t *)map, name, c) if (json_is_object(c))
	    offer_object(fd, name, c);
}

/* MicroProfile Health: checks[] of {name, status, data}. */
static void read_microprofile(finder *fd, const json_t *checks)
{
	size_t i;
	const json_t *c;
	json_array_foreach(checks, i, c) if (json_is_object(c))
	    offer_object(fd, json_string_value(json_object_get(c, "name")), c);
}

/* Read a hubspot sub-object (shapes A and B): connected and latencyMs. */
static void read_hubspot(ev_health *out, const json_t *hs)
{
	const json_t *c = json_object_get(hs, "connected");
	if (json_is_boolean(c)) {
		out->hubspot_connected = json_is_true(c) ? 1 : 0;
		out->hubspot_state = json_is_true(c) ? HEALTH_HEALTHY : HEALTH_UNHEALTHY;
	}
	out->hubspot_latency_ms = probe_fetch_uint(json_object_get(hs, "latencyMs"));
}

/* Whether the answer says it is application/health+json. */
static bool says_health_json(const http_response *r)
{
	const char *ct = http_response_header(r, "Content-Type");
	return ct && strncasecmp(ct, "application/health+json", 23) == 0;
}

/* Which framework format a JSON object is in (none of shapes A, B, C). */
static health_format framework_of(const json_t *root, const http_response *r)
{
	const json_t *checks = json_object_get(root, "checks");
	if (json_is_object(checks))
		return HEALTH_FMT_IETF;
	if (json_is_array(checks))
		return HEALTH_FMT_MICROPROFILE;
	if (json_is_object(json_object_get(root, "entries")))
		return HEALTH_FMT_ASPNET;
	const char *st = json_string_value(json_object_get(root, "status"));
	bool details = json_is_object(json_object_get(root, "details"));
	bool terminus_word = st && (strcmp(st, "ok") == 0 || strcmp(st, "error") == 0);
	if (st && (json_is_object(json_object_get(root, "info")) ||
		   json_is_object(json_object_get(root, "error")) || (details && terminus_word)))
		return HEALTH_FMT_TERMINUS;
	if (details || json_is_object(json_object_get(root, "components")))
		return HEALTH_FMT_ACTUATOR;
	if (says_health_json(r))
		return HEALTH_FMT_IETF;
	return st ? HEALTH_FMT_STATUS_ONLY : HEALTH_FMT_NONE;
}

/* Read the entries of a framework format through fd. */
static void read_framework(finder *fd, const json_t *root)
{
	switch (fd->out->format) {
	case HEALTH_FMT_ACTUATOR:
		read_actuator(fd, root, 0);
		break;
	case HEALTH_FMT_IETF:
		read_ietf(fd, json_object_get(root, "checks"));
		break;
	case HEALTH_FMT_TERMINUS:
		/* details holds every indicator; without it, info and error hold them. */
		if (json_is_object(json_object_get(root, "details"))) {
			read_map(fd, json_object_get(root, "details"));
		} else {
			read_map(fd, json_object_get(root, "info"));
			read_map(fd, json_object_get(root, "error"));
		}
		break;
	case HEALTH_FMT_ASPNET:
		read_map(fd, json_object_get(root, "entries"));
		break;
	case HEALTH_FMT_MICROPROFILE:
		read_microprofile(fd, json_object_get(root, "checks"));
		break;
	default:
		break;
	}
	if (fd->rank > 0 && fd->out->hubspot_state != HEALTH_UNKNOWN)
		fd->out->hubspot_connected = fd->out->hubspot_state == HEALTH_UNHEALTHY ? 0 : 1;
}

/* Fill the status word, the format and its fields from a JSON object; the worst entry's state. */
static health_state read_body(ev_health *out, const json_t *root, const http_response *r,
			      const char *key)
{
	probe_fetch_str(out->status_text, sizeof out->status_text, json_object_get(root, "status"));
	const json_t *nested = json_object_get(json_object_get(root, "services"), "hubspot");
	const json_t *top = json_object_get(root, "hubspot");
	const json_t *circuit = json_object_get(root, "circuitState");
	const json_t *dlq = json_object_get(root, "dlqPending");
	finder fd = {.out = out, .key = key};
	if (json_is_object(nested)) {
		out->shape = 'A';
		out->format = HEALTH_FMT_SHAPE_A;
		read_hubspot(out, nested);
	} else if (json_is_object(top)) {
		out->shape = 'B';
		out->format = HEALTH_FMT_SHAPE_B;
		read_hubspot(out, top);
	} else if (circuit || dlq) {
		out->shape = 'C';
		out->format = HEALTH_FMT_SHAPE_C;
		out->hubspot_latency_ms = probe_fetch_uint(json_object_get(root, "apiLatencyMs"));
	} else {
		out->format = framework_of(root, r);
		read_framework(&fd, root);
	}
	/* Shape C's fields are read whatever the shape, when present. */
	probe_fetch_str(out->circuit_state, sizeof out->circuit_state, circuit);
	out->dlq_pending = probe_fetch_uint(dlq);
	return fd.worst;
}

/* A plain-text body that is one status word ("OK", "Healthy"): format plain and the word. */
static void read_plain(ev_health *out, const http_response *r)
{
	char word[PLAIN_MAX];
	if (!r->body || r->body_len == 0 || r->body_len > PLAIN_MAX)
		return;
	sanitize_text(word, sizeof word, r->body, r->body_len);
	if (state_of_word(word) == HEALTH_UNKNOWN)
		return;
	out->format = HEALTH_FMT_PLAIN;
	common_strlcpy(out->status_text, word, sizeof out->status_text);
}

/* Combine the HTTP answer and the body into one state (see probe_health.h and FACTS section 5). */
static health_state overall(const ev_health *out, const http_response *r, health_state worst)
{
	if (r->err == HTTP_ERR_NOT_CONFIGURED || r->err == HTTP_ERR_BAD_URL ||
	    r->err == HTTP_ERR_CANCELLED)
		return HEALTH_UNKNOWN; /* not asked, or our own doing: says nothing about the app */
	if (!evidence_answered(&out->f))
		return HEALTH_UNHEALTHY; /* the app did not answer */
	if (r->status < 200 || r->status > 299)
		return HEALTH_UNHEALTHY; /* whatever the body claims */
	if (!out->f.json_ok && out->format != HEALTH_FMT_PLAIN)
		return HEALTH_UNKNOWN; /* not JSON, or too large to read: no verdict */
	health_state s = state_of_word(out->status_text);
	/* No top-level word: an entry in trouble still says the app is not all well. */
	if (s == HEALTH_UNKNOWN && worst >= HEALTH_DEGRADED)
		return HEALTH_DEGRADED;
	/* HubSpot not connected is its entry unhealthy: the state says both. */
	bool contradicted =
	    out->hubspot_state >= HEALTH_DEGRADED || strcasecmp(out->circuit_state, "open") == 0;
	if (contradicted && (s == HEALTH_HEALTHY || s == HEALTH_UNKNOWN))
		return HEALTH_DEGRADED;
	return s;
}

/* Parse the health endpoint's answer into out. */
void probe_health_parse(const http_response *r, const char *hubspot_key, ev_health *out)
{
	memset(out, 0, sizeof *out);
	probe_fetch_fill(&out->f, r);
	out->hubspot_connected = -1;
	if (!r)
		return;
	health_state worst = HEALTH_UNKNOWN;
	if (r->err == HTTP_OK) {
		json_t *root = probe_fetch_json(r);
		if (json_is_object(root)) {
			/* JSON, whether or not its format is one we know (format 0 says which). */
			out->f.json_ok = true;
			out->f.body_excerpt[0] = '\0';
			worst = read_body(out, root, r, hubspot_key);
		} else {
			read_plain(out, r);
		}
		json_decref(root);
	}
	out->state = overall(out, r, worst);
}
