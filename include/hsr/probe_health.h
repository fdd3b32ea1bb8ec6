/* The team's own health endpoint (shapes A, B, C and the common framework formats) into ev_health.
 */
#ifndef HSR_PROBE_HEALTH_H
#define HSR_PROBE_HEALTH_H

#include "hsr/evidence.h"

/*
 * Parse r into out; out->f is filled too. Pure. hubspot_key names the HubSpot entry exactly
 * (config health_hubspot_key); NULL or "" finds it by name: "hubspot" or "hub-spot" (any case)
 * first, else "crm". Several entries that match equally are combined: the worst state wins.
 */
void probe_health_parse(const http_response *r, const char *hubspot_key, ev_health *out);
/* The key of a format, as in the JSON report: "actuator", "ietf", ...; "" for none. */
const char *probe_health_format_name(health_format f);
/* A framework format's name for a person: "Spring Boot Actuator", ...; "" for the others. */
const char *probe_health_format_title(health_format f);
/* The milliseconds of a .NET TimeSpan "[d.]hh:mm:ss[.fffffff]"; unknown when malformed. */
opt_int probe_health_timespan_ms(const char *s);

#endif
