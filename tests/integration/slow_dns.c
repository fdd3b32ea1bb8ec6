/*
 * LD_PRELOAD shim for tests: getaddrinfo() for names ending in ".nx.invalid" fails at once, as
 * for a name that does not exist; other names ending in ".invalid" sleep 30 s and then fail, as
 * a resolver that never answers would; every other name goes to the real resolver. Nothing is
 * sent anywhere.
 */
#include <dlfcn.h>
#include <netdb.h>
#include <string.h>
#include <unistd.h>

typedef int (*gai_fn)(const char *, const char *, const struct addrinfo *, struct addrinfo **);

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		struct addrinfo **res)
{
	size_t n = node ? strlen(node) : 0;
	if (n > 11 && strcmp(node + n - 11, ".nx.invalid") == 0)
		return EAI_NONAME;
	if (n > 8 && strcmp(node + n - 8, ".invalid") == 0) {
		sleep(30);
		return EAI_AGAIN;
	}
	gai_fn real = (gai_fn)dlsym(RTLD_NEXT, "getaddrinfo");
	return real ? real(node, service, hints, res) : EAI_FAIL;
}
