/* peer.c - see peer.h */
#include "peer.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <strings.h>
#include <sys/queue.h>
#include <stdio.h>
#include <string.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "config.h"
#include "http.h"

/* addr (len bytes) as a NUL-terminated numeric IP in buf; false if it is not one. */
static bool peer_ip(const char *addr, size_t len, char *buf, size_t buflen)
{
	unsigned char bin[sizeof(struct in6_addr)];

	while (len > 0 && (*addr == ' ' || *addr == '\t'))
		addr++, len--;
	while (len > 0 && (addr[len - 1] == ' ' || addr[len - 1] == '\t'))
		len--;
	if (len == 0 || len >= buflen)
		return false;
	memcpy(buf, addr, len);
	buf[len] = '\0';
	return inet_pton(AF_INET, buf, bin) == 1 || inet_pton(AF_INET6, buf, bin) == 1;
}

/* Whether ip is one of the comma-separated addresses in list (validated by config.c). */
static bool peer_trusted(const char *list, const char *ip)
{
	char one[64];

	while (*list != '\0') {
		size_t len = strcspn(list, ",");

		if (peer_ip(list, len, one, sizeof(one)) && strcmp(one, ip) == 0)
			return true;
		list += len;
		if (*list == ',')
			list++;
	}
	return false;
}

int peer_is_trusted(const struct cfg *cfg, const char *ip)
{
	return cfg->http_trusted_proxies[0] != '\0' && peer_trusted(cfg->http_trusted_proxies, ip);
}

void peer_client(struct req *r)
{
	const char *list = r->cfg->http_trusted_proxies, *xff = NULL, *end;
	struct evkeyval *h;
	char ip[64];

	if (list[0] == '\0' || !peer_trusted(list, r->client))
		return;
	TAILQ_FOREACH(h, evhttp_request_get_input_headers(r->ev), next)
		if (strcasecmp(h->key, "X-Forwarded-For") == 0)
			xff = h->value;
	if (xff == NULL)
		return;
	/* right to left: skip our own proxies, take the first address they did not add */
	for (end = xff + strlen(xff);;) {
		const char *start = end;

		while (start > xff && start[-1] != ',')
			start--;
		if (!peer_ip(start, (size_t)(end - start), ip, sizeof(ip)))
			return;                  /* garbage: keep the proxy's address */
		if (!peer_trusted(list, ip) || start == xff) {
			snprintf(r->client, sizeof(r->client), "%s", ip);
			return;
		}
		end = start - 1;
	}
}
