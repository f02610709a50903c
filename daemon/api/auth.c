/* auth.c - see auth.h */
#include "auth.h"

#include <stdlib.h>
#include <string.h>

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

struct auth_cache {
	size_t count;
	struct auth_entry e[AUTH_CACHE_SLOTS];
};

struct auth_cache *auth_cache_new(void)
{
	return calloc(1, sizeof(struct auth_cache));
}

void auth_cache_free(struct auth_cache *c)
{
	free(c);
}

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

int auth_identify(struct auth_cache *c, struct db *db, const char *header, struct identity *id,
		  struct problem *p)
{
	uint8_t hash[BEARER_HASH_LEN];
	struct auth_entry *e;
	const char *tok;
	size_t len;
	int rc;

	if (header == NULL)
		return auth_unauthorized(p, "an Authorization: Bearer token is required");
	if ((tok = bearer_from_header(header, &len)) == NULL)
		return auth_unauthorized(p, "the Authorization header is not a Bearer token");
	if (bearer_hash(tok, len, hash) != 0)
		return problem_internal(p);
	if ((e = auth_cache_find(c, hash, 0)) != NULL) {
		*id = e->id;
		return 0;
	}
	if ((rc = store_tokens_identify(db, hash, id, p)) != 0)
		return rc < 0 ? -1 : auth_unauthorized(p, "the token is unknown or revoked");
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
