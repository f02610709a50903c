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

/* One cell an import writes: an entity's account in a month, summed over the file's rows. */
struct actual_write {
	char urn[8];
	uint32_t school_id;
	uint32_t account_id;
	int month;                    /* 1..12 */
	int64_t amount;
};

/*
 * An import of a ledger export (POST /actuals/import): cells sorted by urn then month (each
 * entity-month the file holds is a run of them; each (entity, month, account) once). In the
 * caller's transaction, in this order: a month of the file that is closed is 409 period-closed
 * naming every such month (the periods rows are share-locked, so a close waits for the import);
 * the year's cells of that kind are locked; the import row is written (actual_imports); for each
 * entity-month of the file its cells of that kind are deleted and the file's written (tagged with
 * the import); one audit row "import" of entity "actual_import" (id: the import's id) with the
 * before and after totals of the entity-months replaced. Out: import_id, written (cells
 * written), replaced (cells deleted).
 */
struct actuals_import {
	int year;
	int commitment;
	const char *filename;         /* "" when none */
	size_t rows;                  /* the ledger rows read */
	const struct actual_write *cells;
	size_t ncells;
	int64_t import_id;
	size_t written, replaced;
};
int store_actuals_import(struct db *db, const struct audit_actor *who, struct actuals_import *im, struct problem *p)
	__attribute__((warn_unused_result));

/* The imports of year, newest first: rows id, year, kind, filename, months ("1,2,3"), row_count,
 * actor, created_at. *rows is the caller's. */
int store_actual_imports_list(struct db *db, int year, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

#endif
