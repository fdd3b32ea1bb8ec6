/* Names for evidence values shown to people and written into reports. */
#include "hsr/evidence.h"

/* A name for a health state: "unknown", "healthy", "degraded", "unhealthy". */
const char *evidence_health_name(health_state s)
{
	switch (s) {
	case HEALTH_HEALTHY:
		return "healthy";
	case HEALTH_DEGRADED:
		return "degraded";
	case HEALTH_UNHEALTHY:
		return "unhealthy";
	case HEALTH_UNKNOWN:
	default:
		return "unknown";
	}
}
