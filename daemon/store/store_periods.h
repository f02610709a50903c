/*
 * store_periods.h - the trust's accounting periods (table periods, schema/017): a month of an
 * academic year is open until a finance director closes it; a closed month's actuals and
 * commitments are locked (store_actuals_import refuses them) until one reopens it with a
 * reason. A month without a row is open (version 0).
 *
 * A period as JSON: {"month":"2026-11","closed":bool,"closed_at":time|null,"closed_by":text|null,
 * "reopen_reason":text|null,"version":int}. closed_at and closed_by say who closed it last while
 * it is closed (null while open); reopen_reason is the last reopening's, kept. Audit entity
 * "period", id "2026-11". Writes in the caller's transaction (store.h).
 */
#ifndef BURSAR_STORE_PERIODS_H
#define BURSAR_STORE_PERIODS_H

#include <cjson/cJSON.h>

#include "store.h"

/* The twelve months of year, September first, as a JSON array (the caller's); NULL with p set. */
cJSON *store_periods_year(struct db *db, int year, struct problem *p);

/* Close month (1..12) of year: 409 when it is closed. *after: the period (the caller's). */
int store_period_close(struct db *db, const struct audit_actor *who, int year, int month, cJSON **after,
		       struct problem *p) __attribute__((warn_unused_result));
/* Reopen it with a reason (1..500 characters, checked by the caller): 409 when it is open. */
int store_period_reopen(struct db *db, const struct audit_actor *who, int year, int month, const char *reason,
			cJSON **after, struct problem *p) __attribute__((warn_unused_result));

#endif
