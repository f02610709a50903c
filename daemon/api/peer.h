/*
 * peer.h - the client address of a request behind a reverse proxy.
 *
 * bursard sees the proxy's address as the peer. When the peer is one of
 * http.trusted_proxies, the client is read from X-Forwarded-For: the rightmost
 * address in the last such header that is not itself a trusted proxy (each proxy
 * appends the address it saw, so everything left of that could be forged by the
 * client). From any other peer the header is ignored. The result is what the
 * access log shows and what per-address limits (auth.failure_limit) count.
 */
#ifndef BURSAR_PEER_H
#define BURSAR_PEER_H

struct req;

/* Replace r->client with the forwarded client address when the peer is trusted
 * and the header holds a valid IP address; otherwise leave it. r->cfg set. */
void peer_client(struct req *r);

struct cfg;
/* Whether ip (a peer's address as text) is one of cfg's http.trusted_proxies. */
int peer_is_trusted(const struct cfg *cfg, const char *ip);

#endif
