/*
 * budget_view.h - a budget's representation beyond what is stored with it: the
 * recharges of the traded services its entity takes (recharges.h), and its ETag.
 *
 * The ETag is "<version>-h<hash>": the version covers the budget and its lines
 * (every write bumps it; If-Match compares it alone), the hash what the
 * representation derives from elsewhere (the services, their contracts and
 * subscriptions, every subscriber's census, FTE or floor area, the configured
 * rates: the recharges as priced now), so If-None-Match answers 304 only while
 * none of it changed. Other derived parts of the budget (computed lines) join the
 * same hash (budget_view_derived).
 *
 * Thread: as db.h (the request's connection).
 */
#ifndef BURSAR_BUDGET_VIEW_H
#define BURSAR_BUDGET_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "recharges.h"
#include "store_budgets.h"

struct budget_view {
	struct recharges rc;
	char hash[40];                           /* "\"h<32 hex>\"" of the derived parts */
};

/* What ref's budget derives from elsewhere, loaded and hashed. 0, or -1 with the problem set. */
int budget_view_load(struct req *r, const struct store_budget_ref *ref, struct budget_view *v, struct problem *p)
	__attribute__((warn_unused_result));
void budget_view_free(struct budget_view *v);   /* NULL ok */

/* "\"<version>-h<hash>\"" into buf (>= 64 bytes); returns buf. */
const char *budget_view_etag(const struct budget_view *v, int64_t version, char *buf, size_t len);

/*
 * The representation o (store_budget_json's, with its "lines") completed: "recharges"
 * with what the lines budget on each code, and every finding with "row" and "line_id"
 * (null in findings stored before they had them). 0, or -1 with the problem set.
 */
int budget_view_decorate(const struct budget_view *v, cJSON *o, struct problem *p) __attribute__((warn_unused_result));

#endif
