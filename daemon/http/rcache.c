/* rcache.c - see rcache.h */
#include "rcache.h"

#include <stdlib.h>
#include <string.h>

struct rcache {
	size_t slots;                            /* power of two, >= 2 * max_entries */
	size_t max_entries, max_bytes;
	size_t count, bytes;
	struct rcache_entry *e;
};

static size_t rcache_hash(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);   /* FNV-1a */

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= UINT64_C(1099511628211);
	}
	return (size_t)h;
}

struct rcache *rcache_new(size_t max_entries, size_t max_bytes)
{
	struct rcache *c = calloc(1, sizeof(*c));
	size_t slots = 16;

	if (c == NULL)
		return NULL;
	while (slots < max_entries * 2)
		slots *= 2;
	if ((c->e = calloc(slots, sizeof(*c->e))) == NULL) {
		free(c);
		return NULL;
	}
	c->slots = slots;
	c->max_entries = max_entries;
	c->max_bytes = max_bytes;
	return c;
}

void rcache_clear(struct rcache *c)
{
	if (c->count == 0)
		return;
	for (size_t i = 0; i < c->slots; i++) {
		free(c->e[i].key);
		free(c->e[i].body);
	}
	memset(c->e, 0, c->slots * sizeof(*c->e));
	c->count = 0;
	c->bytes = 0;
}

void rcache_free(struct rcache *c)
{
	if (c == NULL)
		return;
	rcache_clear(c);
	free(c->e);
	free(c);
}

static struct rcache_entry *rcache_slot(const struct rcache *c, const char *key)
{
	size_t h = rcache_hash(key) & (c->slots - 1);

	for (;;) {
		struct rcache_entry *e = &c->e[h];

		if (e->key == NULL || strcmp(e->key, key) == 0)
			return e;                        /* never full: slots >= 2 * max_entries */
		h = (h + 1) & (c->slots - 1);
	}
}

const struct rcache_entry *rcache_get(const struct rcache *c, const char *key)
{
	const struct rcache_entry *e = rcache_slot(c, key);

	return e->key != NULL ? e : NULL;
}

int rcache_put(struct rcache *c, const char *key, const char *body, size_t len, const char *etag,
	       int64_t aux)
{
	struct rcache_entry *e;
	char *k, *b;

	if (len > c->max_bytes / 4 || strlen(etag) >= sizeof(e->etag))
		return -1;
	if (c->count >= c->max_entries || c->bytes + len > c->max_bytes)
		rcache_clear(c);
	e = rcache_slot(c, key);
	if (e->key != NULL)
		return 0;                                /* already there (same generation) */
	if ((k = strdup(key)) == NULL || (b = malloc(len + 1)) == NULL) {
		free(k);
		return -1;
	}
	memcpy(b, body, len);
	b[len] = '\0';
	e->key = k;
	e->body = b;
	e->len = len;
	memcpy(e->etag, etag, strlen(etag) + 1);
	e->aux = aux;
	c->count++;
	c->bytes += len;
	return 0;
}
