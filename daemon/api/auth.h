/*
 * auth.h - a request's identity from its bearer token, and the per-worker token cache.
 *
 * A request's identity comes from its bearer token: the SHA-256 is looked up
 * (unique index), compared in constant time, and cached per worker. The cache is
 * dropped whenever the audit log's highest id moves (every token change is
 * audited), checked at most every cache.refresh_ms, so a revoked token stops
 * working within that bound on every instance.
 */
#ifndef BURSAR_AUTH_H
#define BURSAR_AUTH_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct problem;

#include "identity.h"

struct auth_cache;
struct auth_cache *auth_cache_new(void);
void auth_cache_free(struct auth_cache *c);  /* NULL ok */
void auth_cache_clear(struct auth_cache *c);

/*
 * Identify the bearer of header (the Authorization value, may be NULL) for a
 * request from client (its address). 0 with *id filled; -1 with the problem set
 * (401 missing/unknown/revoked, 503).
 *
 * What an unknown token costs: its hash is remembered per worker for
 * auth.negative_ttl_s (no query when it comes again), and an address with
 * auth.failure_limit failed authentications (malformed, unknown or revoked tokens)
 * within auth.failure_window_s gets 401 with Retry-After and no query until the
 * window ends, except for tokens this worker already knows to be good. Both are
 * per worker (no state shared between threads), so an address may fail up to
 * failure_limit times per worker.
 */
struct cfg;
int auth_identify(struct auth_cache *c, struct db *db, const struct cfg *cfg, const char *client,
		  const char *header, struct identity *id, struct problem *p)
	__attribute__((warn_unused_result));

#endif
