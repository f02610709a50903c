/* auth.c - see auth.h */
#include "auth.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "db.h"
#include "store_tokens.h"
#include "log.h"
#include "problem.h"
#include "bearer.h"

#define AUTH_CACHE_SLOTS 1024                /* power of two */

struct auth_entry {
	int used;
	uint8_t hash[BEARER_HASH_LEN];
	struct identity id;
};

#define AUTH_NEG_SLOTS 1024                  /* unknown token hashes; power of two */
#define AUTH_FAIL_SLOTS 1024                 /* addresses with failures; power of two */

/* An unknown or revoked token's hash, until expires_ms (direct-mapped: a collision replaces). */
struct auth_neg {
	int64_t expires_ms;
	uint8_t hash[BEARER_HASH_LEN];
};

/* Failed authentications of one client address in the window that began at since_ms. */
struct auth_fail {
	int64_t since_ms;
	unsigned count;
	char addr[64];
};

struct auth_cache {
	size_t count;
	struct auth_entry e[AUTH_CACHE_SLOTS];
	struct auth_neg neg[AUTH_NEG_SLOTS];     /* kept across auth_cache_clear: only time ends them */
	struct auth_fail fail[AUTH_FAIL_SLOTS];
};

struct auth_cache *auth_cache_new(void)
{
	return calloc(1, sizeof(struct auth_cache));
}

void auth_cache_free(struct auth_cache *c)
{
	free(c);
}

/* The known-good tokens only: a write may have revoked one. Unknown hashes stay
 * until their TTL (a new token's hash is random: none of them). */
void auth_cache_clear(struct auth_cache *c)
{
	if (c->count == 0)
		return;
	memset(c->e, 0, sizeof(c->e));
	c->count = 0;
}

static size_t auth_slot(const uint8_t hash[BEARER_HASH_LEN])
{
	size_t h;

	memcpy(&h, hash, sizeof(h));             /* SHA-256 bits are uniform */
	return h & (AUTH_CACHE_SLOTS - 1);
}

static struct auth_entry *auth_cache_find(struct auth_cache *c, const uint8_t hash[BEARER_HASH_LEN],
					  int insert)
{
	size_t h = auth_slot(hash);

	for (size_t i = 0; i < AUTH_CACHE_SLOTS; i++, h = (h + 1) & (AUTH_CACHE_SLOTS - 1)) {
		struct auth_entry *e = &c->e[h];

		if (!e->used)
			return insert ? e : NULL;
		if (bearer_hash_equal(e->hash, hash))
			return e;
	}
	return NULL;
}

static int auth_unauthorized(struct problem *p, const char *why)
{
	return problem_set(p, 401, "unauthorized", "Unauthorized", "%s", why);
}

static int64_t auth_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* FNV-1a of the address: which failure slot it uses. */
static struct auth_fail *auth_fail_slot(struct auth_cache *c, const char *addr)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *s = (const unsigned char *)addr; *s != '\0'; s++)
		h = (h ^ *s) * 16777619u;
	return &c->fail[h & (AUTH_FAIL_SLOTS - 1)];
}

/* The address's entry in its current window, or NULL when it has none. */
static struct auth_fail *auth_fail_find(struct auth_cache *c, const struct cfg *cfg, const char *addr,
					int64_t now)
{
	struct auth_fail *f = auth_fail_slot(c, addr);

	if (f->count == 0 || strcmp(f->addr, addr) != 0 ||
	    now - f->since_ms >= (int64_t)cfg->auth_failure_window_s * 1000)
		return NULL;
	return f;
}

/* 401 with Retry-After when the address is over auth.failure_limit; 0 otherwise. */
static int auth_over_limit(struct auth_cache *c, const struct cfg *cfg, const char *addr, int64_t now,
			   struct problem *p)
{
	struct auth_fail *f;
	int64_t left;

	if (cfg->auth_failure_limit == 0 || (f = auth_fail_find(c, cfg, addr, now)) == NULL ||
	    f->count < (unsigned)cfg->auth_failure_limit)
		return 0;
	left = f->since_ms + (int64_t)cfg->auth_failure_window_s * 1000 - now;
	problem_set(p, 401, "unauthorized", "Unauthorized",
		    "too many failed authentications from this address; try again in %lld s",
		    (long long)((left + 999) / 1000));
	p->retry_after = (int)((left + 999) / 1000);
	if (f->count == (unsigned)cfg->auth_failure_limit && f->count++ > 0)   /* once per window */
		log_notice("auth: %s: %u failed authentications within %d s; refusing its tokens for %lld s",
			   addr, f->count - 1, cfg->auth_failure_window_s, (long long)((left + 999) / 1000));
	return -1;
}

/* Count a failed authentication of addr; returns -1 (the problem is already set). */
static int auth_failed(struct auth_cache *c, const struct cfg *cfg, const char *addr, int64_t now)
{
	struct auth_fail *f;

	if (cfg->auth_failure_limit == 0)
		return -1;
	if ((f = auth_fail_find(c, cfg, addr, now)) == NULL) {
		f = auth_fail_slot(c, addr);
		snprintf(f->addr, sizeof(f->addr), "%s", addr);
		f->since_ms = now;
		f->count = 0;
	}
	f->count++;
	return -1;
}

static bool auth_neg_known(struct auth_cache *c, const uint8_t hash[BEARER_HASH_LEN], int64_t now)
{
	const struct auth_neg *n = &c->neg[auth_slot(hash)];

	return n->expires_ms > now && bearer_hash_equal(n->hash, hash);
}

static void auth_neg_add(struct auth_cache *c, const struct cfg *cfg, const uint8_t hash[BEARER_HASH_LEN],
			 int64_t now)
{
	struct auth_neg *n = &c->neg[auth_slot(hash)];

	if (cfg->auth_negative_ttl_s == 0)
		return;
	memcpy(n->hash, hash, BEARER_HASH_LEN);
	n->expires_ms = now + (int64_t)cfg->auth_negative_ttl_s * 1000;
}

int auth_identify(struct auth_cache *c, struct db *db, const struct cfg *cfg, const char *client,
		  const char *header, struct identity *id, struct problem *p)
{
	uint8_t hash[BEARER_HASH_LEN];
	struct auth_entry *e;
	const char *tok;
	int64_t now;
	size_t len;
	int rc;

	if (header == NULL)
		return auth_unauthorized(p, "an Authorization: Bearer token is required");
	now = auth_now_ms();
	if ((tok = bearer_from_header(header, &len)) == NULL) {
		if (auth_over_limit(c, cfg, client, now, p) != 0)
			return -1;
		auth_unauthorized(p, "the Authorization header is not a Bearer token");
		return auth_failed(c, cfg, client, now);
	}
	if (bearer_hash(tok, len, hash) != 0)
		return problem_internal(p);
	if ((e = auth_cache_find(c, hash, 0)) != NULL) {
		*id = e->id;
		return 0;
	}
	/* from here on the token is not known good: an address over its limit, or a
	 * token known bad, costs no query */
	if (auth_over_limit(c, cfg, client, now, p) != 0)
		return -1;
	if (auth_neg_known(c, hash, now)) {
		auth_unauthorized(p, "the token is unknown or revoked");
		return auth_failed(c, cfg, client, now);
	}
	if ((rc = store_tokens_identify(db, hash, id, p)) != 0) {
		if (rc < 0)
			return -1;
		auth_neg_add(c, cfg, hash, now);
		auth_unauthorized(p, "the token is unknown or revoked");
		return auth_failed(c, cfg, client, now);
	}
	if (c->count >= AUTH_CACHE_SLOTS / 2)
		auth_cache_clear(c);
	if ((e = auth_cache_find(c, hash, 1)) != NULL) {
		e->used = 1;
		memcpy(e->hash, hash, sizeof(hash));
		e->id = *id;
		c->count++;
	}
	return 0;
}
