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

/* RFC 3339 ("2026-11-22T09:53:54Z", fractions, offsets; a space for '+', since
 * query strings decode '+' as a space) -> microseconds since the epoch (UTC). */
int ts_parse_rfc3339(const char *s, int64_t *us) __attribute__((warn_unused_result));
/* "YYYY-MM-DD HH:MM:SS[.ffffff]" (database form, UTC) -> microseconds. */
int ts_parse_db(const char *s, int64_t *us) __attribute__((warn_unused_result));
/* microseconds -> database form; buf >= PAGE_TS_LEN. */
void ts_format_db(int64_t us, char *buf, size_t len);

#endif
