/*
 * store_actuals.h - the ledger's actuals and commitments per entity, account and month of an
 * academic year (table actuals, schema/017), and which months are closed (table periods).
 *
 * Months are 1..12 of the academic year (1 = September, 12 = August); amounts are int64 pence
 * in the direction of the account's kind (income received, cost incurred). Read functions run
 * outside or inside a transaction; writes (store_actuals_import) inside the caller's db_txn.
 * Monitoring and the BFR read a whole year at once (store_actuals_year).
 */
#ifndef BURSAR_STORE_ACTUALS_H
#define BURSAR_STORE_ACTUALS_H

#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "db.h"
#include "problem.h"

struct actual_cell {
	char urn[8];
	char code[9];                 /* the account */
	int month;                    /* 1..12 */
	int commitment;               /* 0 actual, 1 commitment */
	int64_t amount;
};

/* Every entity's actuals and commitments of year, ordered by urn, code, month, kind (actual
 * first). *out is the caller's (free()); NULL with *n 0 when there are none. */
int store_actuals_year(struct db *db, int year, struct actual_cell **out, size_t *n, struct problem *p)
	__attribute__((warn_unused_result));

/* closed[m-1] = 1 when month m of year is closed (no periods row: open). */
int store_periods_closed(struct db *db, int year, int closed[12], struct problem *p) __attribute__((warn_unused_result));

/* One entity's cells of year, kind -1 both, 0 actual, 1 commitment; ordered by month, code,
 * kind. As store_actuals_year. */
int store_actuals_entity(struct db *db, uint32_t school_id, int year, int kind, struct actual_cell **out,
			 size_t *n, struct problem *p) __attribute__((warn_unused_result));

#endif
