/*
 * page.h - list paging: `limit`, the opaque cursor `after`, and `updated_since`,
 * as keyset paging on (updated_at, id); plus the timestamp forms they use.
 * Pure; thread-safe.
 */
#ifndef BURSAR_PAGE_H
#define BURSAR_PAGE_H

#include <stddef.h>
#include <stdint.h>

#include "problem.h"

#define PAGE_DEFAULT_LIMIT 100
#define PAGE_MAX_LIMIT 1000
#define PAGE_TS_LEN 27                       /* "YYYY-MM-DD HH:MM:SS.ffffff" + NUL */

struct page {
	int limit;
	int has_after;
	char after_ts[PAGE_TS_LEN];              /* database form */
	int64_t after_id;
	int has_since;
	char since_ts[PAGE_TS_LEN];
};

/* Parse the three query values (each may be NULL). Adds field errors
 * ("query:limit", ...) and returns -1 on any. */
int page_parse(const char *limit, const char *after, const char *since, struct page *pg,
	       struct problem *p) __attribute__((warn_unused_result));

/* The cursor for a row: its updated_at (database form) and id. buf >= 48. */
int page_cursor(char *buf, size_t len, const char *db_ts, int64_t id);

/*
 * The cursor for a row of a list in another order: "<sort>.<hex of key>.<id>"
 * (key: the row's sort key as text, NULL as ""; id: the row's). The hex is cut
 * short when buf is (a key is at most 255 bytes; buf >= 2 * 255 + strlen(sort)
 * + 22 holds any).
 */
void page_key_cursor(char *buf, size_t len, const char *sort, const char *key, int64_t id);
/*
 * Parse a cursor page_key_cursor gave out for sort: 0 with key (NUL-terminated,
 * keylen bytes at most with the NUL) and *id set, or -1 (another sort's, bad
 * hex, a NUL byte in the key, a key too long, no id, an id < 0).
 */
int page_key_cursor_parse(const char *s, const char *sort, char *key, size_t keylen, int64_t *id)
	__attribute__((warn_unused_result));

/* RFC 3339 ("2026-11-22T09:53:54Z", fractions, offsets; a space for '+', since
 * query strings decode '+' as a space) -> microseconds since the epoch (UTC). */
int ts_parse_rfc3339(const char *s, int64_t *us) __attribute__((warn_unused_result));
/* "YYYY-MM-DD HH:MM:SS[.ffffff]" (database form, UTC) -> microseconds. */
int ts_parse_db(const char *s, int64_t *us) __attribute__((warn_unused_result));
/* microseconds -> database form; buf >= PAGE_TS_LEN. */
void ts_format_db(int64_t us, char *buf, size_t len);
/*
 * The one database time -> RFC 3339 converter: "2026-11-22 09:53:54.123456"
 * (database form, UTC) -> "2026-11-22T09:53:54.123456Z", the fraction as given;
 * a bare date gets "T00:00:00Z". Not checked (the database wrote it). buf >= 32
 * (PAGE_RFC3339_LEN).
 */
#define PAGE_RFC3339_LEN 40
void ts_rfc3339_from_db(const char *db_ts, char *buf, size_t len);

#endif
