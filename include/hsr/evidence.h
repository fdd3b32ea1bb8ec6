/*
 * What each probe found: plain structs, copied by value, immutable once published; and the
 * evidence snapshot (every probe's latest) that the pure modules read. No threads here: the
 * board (hsr/board.h) holds the live copy.
 */
#ifndef HSR_EVIDENCE_H
#define HSR_EVIDENCE_H

#include "hsr/common.h"
#include "hsr/http.h"

/* The four probes; each publishes one kind of evidence. */
typedef enum { PROBE_STATUS = 0, PROBE_API, PROBE_USAGE, PROBE_HEALTH, PROBE_COUNT } probe_id;

/* How the request went, common to every probe. */
typedef struct {
	bool done;	  /* a result exists; false = never probed yet */
	bool configured;  /* false = not asked (no URL / no token) */
	http_err err;	  /* HTTP_OK when an HTTP answer arrived */
	char error[200];  /* one line for a person, sanitized; "" when OK */
	long http_status; /* 0 when no HTTP answer */
	long latency_ms;
	int64_t at_ms;		/* wall clock when the answer (or failure) came */
	bool json_ok;		/* body was JSON the probe could read (health: any JSON object) */
	char body_excerpt[120]; /* sanitized start of a body that was not JSON */
} fetch_info;

#define STATUS_MAX_INCIDENTS  8
#define STATUS_MAX_COMPONENTS 16
#define STATUS_MAX_MAINT      4

typedef struct {
	char name[128];
	char status[24];     /* investigating | identified | monitoring | ... */
	char impact[16];     /* none | minor | major | critical */
	char updated_at[40]; /* ISO 8601 as given */
	int64_t updated_ms;  /* parsed updated_at, 0 when unknown */
	char shortlink[128];
	char latest_update[200]; /* body of the newest incident_update */
} status_incident;

typedef struct {
	char name[96];
	char status[32]; /* degraded_performance | partial_outage | major_outage | under_maintenance
			  */
} status_component;

typedef struct {
	char name[128];
	char status[24];
} status_maint;

typedef struct {
	fetch_info f;
	char indicator[16]; /* none | minor | major | critical | maintenance; "" unknown */
	char description[128];
	int n_incidents;     /* unresolved, as stored (max STATUS_MAX_INCIDENTS) */
	int incidents_total; /* unresolved, as reported */
	status_incident incidents[STATUS_MAX_INCIDENTS];
	int n_components_bad; /* not operational */
	int components_bad_total;
	status_component components_bad[STATUS_MAX_COMPONENTS];
	bool api_component_degraded; /* a non-operational component whose name speaks of the API */
	int n_maint;		     /* in_progress or verifying */
	status_maint maint[STATUS_MAX_MAINT];
	bool incidents_known;  /* the summary had an incidents[] array (even an empty one) */
	bool components_known; /* the summary had a components[] array (even an empty one) */
} ev_status;

typedef struct {
	fetch_info f;
	char category[48];
	char sub_category[64];
	char error_type[32];  /* RATE_LIMIT on 429 */
	char policy_name[32]; /* DAILY | TEN_SECONDLY_ROLLING | SECONDLY */
	char message[256];
	char correlation_id[64]; /* from the body, else the X-HubSpot-Correlation-Id header */
	char correct_hublet[16];
	char required_scopes[160]; /* comma-separated, from errors[].context */
	bool auth_failure_header;  /* X-HubSpot-Auth-Failure present */
	opt_int rl_daily;
	opt_int rl_daily_remaining;
	opt_int rl_interval_ms;
	opt_int rl_max;
	opt_int rl_remaining;
	opt_int retry_after_s;
} ev_api;

typedef struct {
	fetch_info f;
	opt_int usage_limit;   /* unknown unless evidence_usage_trusted(fetch_status) */
	opt_int current_usage; /* likewise */
	char collected_at[40];
	char fetch_status[16]; /* SUCCESS | TIMEOUT | FAILURE | CACHED | NOTFOUND */
	char resets_at[40];
	int64_t resets_at_ms; /* 0 when unknown */
} ev_usage;

typedef enum {
	HEALTH_UNKNOWN = 0,
	HEALTH_HEALTHY,
	HEALTH_DEGRADED,
	HEALTH_UNHEALTHY,
} health_state;

/* The health format a body was recognised as (probe_health_format_name gives its key). */
typedef enum {
	HEALTH_FMT_NONE = 0,	 /* not recognised (or no body) */
	HEALTH_FMT_SHAPE_A,	 /* {"status", "services": {"hubspot": {connected, latencyMs}}} */
	HEALTH_FMT_SHAPE_B,	 /* {"status", "hubspot": {connected, latencyMs}} */
	HEALTH_FMT_SHAPE_C,	 /* {"status", "circuitState", "dlqPending", "apiLatencyMs"} */
	HEALTH_FMT_STATUS_ONLY,	 /* a JSON object with a "status" and nothing we can read besides */
	HEALTH_FMT_ACTUATOR,	 /* Spring Boot Actuator: components.<name>.status, nested */
	HEALTH_FMT_IETF,	 /* application/health+json: checks {"c:m": [{status, output}]} */
	HEALTH_FMT_TERMINUS,	 /* NestJS Terminus: info / error / details of {status: up|down} */
	HEALTH_FMT_ASPNET,	 /* ASP.NET Core: entries.<name>.{status, description, duration} */
	HEALTH_FMT_MICROPROFILE, /* MicroProfile Health: checks[] of {name, status, data} */
	HEALTH_FMT_PLAIN,	 /* a plain-text body that is one status word ("OK", "Healthy") */
	HEALTH_FMT_COUNT
} health_format;

typedef struct {
	fetch_info f;
	health_state state;   /* overall, from status + HTTP code + format */
	char status_text[24]; /* the body's "status" (or a plain body's word), sanitized; "" absent
			       */
	char shape; /* 'A', 'B', 'C', or 0 otherwise (kept for compatibility: see format) */
	health_format format;  /* the format recognised */
	int hubspot_connected; /* -1 unknown, 0 no, 1 yes (a degraded HubSpot entry is connected) */
	opt_int hubspot_latency_ms;
	health_state
	    hubspot_state;	/* the HubSpot entry's own state; unknown when none or no word */
	char hubspot_entry[64]; /* the name of the entry read as HubSpot's, sanitized; "" none */
	char
	    hubspot_words[160]; /* that entry's own words (output, description, error), sanitized */
	char circuit_state[16]; /* shape C: open | halfOpen | closed */
	opt_int dlq_pending;
} ev_health;

/* How many samples the board keeps per series (the snapshot carries them). */
#define BOARD_LATENCY_SAMPLES 60
#define BOARD_DAILY_SAMPLES   32

/* One daily-remaining figure and when it was seen. */
typedef struct {
	int64_t at_ms;
	long long remaining;
} daily_sample;

/* A consistent copy of everything the probes published (board_snapshot fills it). */
typedef struct {
	ev_status status;
	ev_api api;
	ev_usage usage;
	ev_health health;
	uint64_t seq[PROBE_COUNT]; /* per probe; 0 = nothing published yet */
	uint64_t seq_total;	   /* bumps on every change, schedule included */
	bool in_flight[PROBE_COUNT];
	int64_t started_ms[PROBE_COUNT]; /* wall clock when the request in flight started */
	int64_t backoff_until_ms;	 /* API probe held back until then (429), 0 none */
	char backoff_reason[96];
	unsigned api_requests;	     /* HubSpot API requests the probes spent (this run) */
	unsigned api_requests_today; /* ... since the account's last midnight */
	int n_latency;		     /* API latencies, oldest first */
	long latency_ms[BOARD_LATENCY_SAMPLES];
	int n_daily; /* daily-remaining samples, oldest first */
	daily_sample daily[BOARD_DAILY_SAMPLES];
	/* How to read the evidence, from the config (board_configure); defaults otherwise. */
	long slow_ms;	     /* a 2xx slower than this is slow (config slow_ms, default 3000) */
	bool no_token;	     /* no token configured: the HubSpot API is not being asked */
	long utc_offset_min; /* the HubSpot account's UTC offset in minutes */
	bool utc_offset_set; /* the offset was configured (else clock times are given in UTC) */
} evidence;

/*
 * What a probe's last request came to: the one reading of a fetch_info that the predicates,
 * the watch and the screens share.
 */
typedef enum {
	EVIDENCE_PENDING = 0, /* nothing published yet */
	EVIDENCE_NOT_ASKED,   /* not configured (no URL, no token) */
	EVIDENCE_CANCELLED,   /* we stopped it: says nothing about the far end */
	EVIDENCE_BAD_URL,     /* our own configuration is wrong: no request went out */
	EVIDENCE_NO_ANSWER,   /* DNS, refused, connect, time-out, TLS, other: no HTTP answer */
	EVIDENCE_ANSWERED,    /* an HTTP status came back (a body too large to read included) */
} evidence_outcome;

/* A name for a health state: "unknown", "healthy", "degraded", "unhealthy". */
const char *evidence_health_name(health_state s);
/*
 * Whether usage figures with this fetchStatus can be believed: SUCCESS, CACHED, or no
 * fetchStatus at all (it is optional). TIMEOUT, FAILURE, NOTFOUND or any other word: not.
 */
bool evidence_usage_trusted(const char *fetch_status);
/* Whether an HTTP answer came: its status is known (a body too large to read still counts). */
bool evidence_answered(const fetch_info *f);
/* Whether an HTTP answer came with a 2xx status: the one "answered 2xx" test. */
bool evidence_answered_2xx(const fetch_info *f);
/* Whether an answer was 2xx but slower than slow_ms (0 or less: no threshold, never slow). */
bool evidence_slow_2xx(const fetch_info *f, long slow_ms);
/* Classify a probe's last request (see evidence_outcome). */
evidence_outcome evidence_outcome_of(const fetch_info *f);
/*
 * The same, in the four situations a screen shows: EVIDENCE_PENDING (also a cancelled
 * request: no result to show), EVIDENCE_NOT_ASKED, EVIDENCE_NO_ANSWER (also a bad URL) and
 * EVIDENCE_ANSWERED.
 */
evidence_outcome evidence_outcome_shown(const fetch_info *f);
/* The request facts of probe id in e. */
const fetch_info *evidence_fetch(const evidence *e, probe_id id);
/* How many probes have published at least once (0..PROBE_COUNT). */
int evidence_published(const evidence *e);
/* Whether a status-page component name speaks of the API: the word "API" or "APIs", any case. */
bool evidence_names_api(const char *component_name);
/* Whether a component status is an outage of some degree (degraded, partial or major outage). */
bool evidence_component_down(const char *component_status);

#endif
