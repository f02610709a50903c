/*
 * store_monitoring.h - monitoring's own rows (ISSUE17_CONTRACT section 3): the outturns
 * entered for an entity's code and year (outturns) and the commentary on an entity's
 * variance for a code in a month (variance_comments), each versioned and audited; and
 * the reads monitoring assembles from (every outturn of a year, every comment of a month,
 * the entities' opening reserves).
 *
 * Representations (a PUT's reply, the audit images):
 *   outturn  {"urn","year":"2026-27","account_code","amount_pence","note","updated_by",
 *             "version","created_at","updated_at"}
 *   comment  {"urn","month":"2026-11","account_code","text","updated_by","version",
 *             "created_at","updated_at"}
 * A PUT without If-Match creates (201; a row there already: 428); with it, updates (412
 * stale, 412 when there is none). A DELETE needs If-Match (the caller checks: 428).
 * Audit entities "outturn" ("159901/2026-27/E02") and "variance_comment"
 * ("159901/2026-11/E02"). Thread: as db.h; writes run inside the caller's db_txn.
 */
#ifndef BURSAR_STORE_MONITORING_H
#define BURSAR_STORE_MONITORING_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "audit.h"
#include "db.h"
#include "problem.h"

/* Which row: an entity's account in a year (month 1..12 for a comment, 0 for an outturn). */
struct store_monitoring_key {
	uint32_t school_id;
	int year;
	int month;
	int64_t account_id;
	const char *eid;                         /* the audit id, "159901/2026-27/E02" */
};

int store_outturn_put(struct db *db, const struct audit_actor *who, const struct store_monitoring_key *k,
		      int has_if_match, int64_t want_version, int64_t amount_pence, const char *note,
		      cJSON **after, int *created, struct problem *p) __attribute__((warn_unused_result));
int store_outturn_delete(struct db *db, const struct audit_actor *who, const struct store_monitoring_key *k,
			 int64_t want_version, struct problem *p) __attribute__((warn_unused_result));
int store_comment_put(struct db *db, const struct audit_actor *who, const struct store_monitoring_key *k,
		      int has_if_match, int64_t want_version, const char *text, cJSON **after, int *created,
		      struct problem *p) __attribute__((warn_unused_result));
int store_comment_delete(struct db *db, const struct audit_actor *who, const struct store_monitoring_key *k,
			 int64_t want_version, struct problem *p) __attribute__((warn_unused_result));

/* An outturn or a comment as monitoring shows it on its line. */
struct store_monitoring_note {
	char urn[8];
	char code[9];
	int64_t amount;                          /* an outturn's amount_pence; 0 for a comment */
	cJSON *image;                            /* outturn {"amount_pence","note","version","updated_by",
						    "updated_at"}; comment {"text","version","updated_by",
						    "updated_at"}; owned */
};

/* Every outturn of year (month 0) or every comment of month (1..12) of year, ordered by
 * urn and code. *out the caller's: store_monitoring_notes_free. 0, or -1. */
int store_monitoring_notes(struct db *db, int year, int month, struct store_monitoring_note **out, size_t *n,
			   struct problem *p) __attribute__((warn_unused_result));
void store_monitoring_notes_free(struct store_monitoring_note *a, size_t n);

/* Each entity's opening reserves of year (school_years.opening_reserves_pence): urns and
 * amounts of those that have one, ordered by urn. *urns and *pence the caller's (free). */
int store_opening_reserves(struct db *db, int year, char (**urns)[8], int64_t **pence, size_t *n,
			   struct problem *p) __attribute__((warn_unused_result));

#endif
