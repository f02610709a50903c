/*
 * rcache.h - a per-worker cache of rendered responses (body and ETag) for the
 * hot reads, keyed by a string (usually the path).
 *
 * Thread: one cache per worker, used only by its thread. Consistency: the
 * worker clears it whenever the audit log's highest id moves (every write is
 * audited; checked at most every cache.refresh_ms, so other instances' writes
 * show within that bound) and at once after any write in this process.
 */
#ifndef BURSAR_RCACHE_H
#define BURSAR_RCACHE_H

#include <stddef.h>
#include <stdint.h>

struct rcache;

struct rcache_entry {
	char *key;
	char *body;
	size_t len;
	char etag[64];
	int64_t aux;                             /* the caller's: e.g. the school id for scope checks */
};

/* NULL on allocation failure. At most max_entries entries and max_bytes of bodies;
 * when full, the cache is emptied and starts again. */
struct rcache *rcache_new(size_t max_entries, size_t max_bytes);
void rcache_free(struct rcache *c);          /* NULL ok */
void rcache_clear(struct rcache *c);

/* Borrowed until the next put or clear; NULL when absent. */
const struct rcache_entry *rcache_get(const struct rcache *c, const char *key);
/* Copies everything. 0 stored, -1 not stored (too big, out of memory): harmless. */
int rcache_put(struct rcache *c, const char *key, const char *body, size_t len, const char *etag,
	       int64_t aux);

#endif
