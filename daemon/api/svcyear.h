/*
 * svcyear.h - the shared services of one academic year, loaded from the database
 * with their costs and allocations (service.c, alloc.c), and the JSON pieces the
 * service, allocation and feed handlers render from them.
 *
 * A load reads the live services (one, all, or those a school takes in the year)
 * with their contracts, every subscription of those services active in some
 * month of the year, and every entity's basis data (the October census of the
 * year or the latest before it, FTE, floor area). Each service also gets
 * `changed`: the newest updated_at of everything its allocation depends on (the
 * service, which moves on every write to its subscriptions; its contract, which
 * moves when its supplier changes; the census, FTE or floor-area rows its
 * subscribers' weights come from), which the feed uses as an item's updated_at
 * so that updated_since sees a change in another school's figures too.
 *
 * Contracts are priced by price.c's one function (service_contract_cost) with the
 * trust's index history for every year it holds and procurement.indexation_bp for
 * the others (each such year, option taken or re-procurement named in the cost's
 * "assumptions"); a terminated contract stops on the day of its termination, an
 * expired one is re-procured after its end (price_contract_status). An entered
 * cost is the current academic year's (the rates' today), raised by cpi in later
 * years the same way (price_entered_year). A service whose contract is
 * index-linked, or whose cost is entered (cpi), also depends on its index's
 * history: the index's updated_at counts in `changed`.
 *
 * Request-free: a load takes the worker's database connection and the rates
 * from the configuration (svcyear_rates_of); it reads the index history itself
 * unless the rates carry one (svcyear_rates_load).
 *
 * Thread: as db.h (the caller's connection). Strings point into the rows.
 */
#ifndef BURSAR_SVCYEAR_H
#define BURSAR_SVCYEAR_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "db.h"
#include "page.h"
#include "procure.h"
#include "service.h"
#include "store_indices.h"
#include "store_svcyear.h"

/* What a year's costs take from the configuration (the yearly indexation of an
 * index-linked contract in a year the history lacks, how much of the VAT is
 * recoverable) and the index history (NULL: none loaded; svcyear_load loads it). */
struct svcyear_rates {
	int32_t indexation_bp;                   /* procurement.indexation_bp */
	int32_t vat_recoverable_bp;
	const struct store_index_history *history;
	int32_t today;                           /* clock.today: an entered cost is its academic year's;
						  * the contracts' notice dates */
};

/* An entity's basis data, with the update times of the rows it came from. */
struct svcyear_school {
	struct service_school s;                 /* first: a service_sub's school points here */
	const char *school_ts;                   /* schools.updated_at (floor area) */
	const char *pupils_ts;                   /* the census row's updated_at, or NULL */
	const char *fte_ts;
};

struct svcyear_service {
	size_t row;                              /* in srows */
	int64_t id;
	const char *name;
	enum alloc_basis basis;
	int core;
	const char *usage_unit;
	int has_contract;
	struct procure_terms terms;              /* when has_contract */
	struct price_contract pc;                /* the terms as priced (svcyear_price_contract) */
	struct procure_dates dates;
	struct service_cost cost;
	struct service_alloc alloc;
	size_t first, nsubs;                     /* its subscriptions: subs[first .. first + nsubs) */
	char changed[PAGE_TS_LEN];               /* database form */
};

struct svcyear {
	int year;
	struct db_rows *srows;                   /* SVCYEAR_COLS */
	struct db_rows *brows;                   /* subscriptions */
	struct db_rows *schrows, *yrows;
	struct svcyear_service *svc;
	size_t nsvc;
	struct service_sub *subs;                /* by service, then id */
	size_t *subrow;                          /* subs[k]'s row in brows */
	size_t nsubs;
	struct svcyear_school *schools;
	size_t nschools;
	int shared;                              /* the rows belong to the first year of a span */
	struct store_index_history hist;         /* loaded here when the rates had none (not shared) */
	struct svcyear_rates rates;              /* with the history */
};

struct svcyear_rates svcyear_rates_of(const struct cfg *cfg);

/* The rates with the index history loaded into h (the caller's: store_index_history_free). */
int svcyear_rates_load(struct db *db, const struct cfg *cfg, struct svcyear_rates *rates, struct store_index_history *h,
		       struct problem *p) __attribute__((warn_unused_result));

/* The register's pricing basis (price.h) of rates: the history for every year it
 * holds, the default for the others, re-procurement at +0%. */
struct price_basis svcyear_basis(struct svcyear_rates rates);

/*
 * Load year's services: service_id > 0 for that one only, school_id > 0 for
 * the services that school takes in the year (with every subscriber of each).
 * 0, or -1 with the problem set (500 when stored data does not parse).
 */
int svcyear_load(struct db *db, struct svcyear_rates rates, int year, int64_t service_id, int64_t school_id, struct svcyear *sy,
		 struct problem *p) __attribute__((warn_unused_result));
void svcyear_free(struct svcyear *sy);        /* NULL ok */

/*
 * Every service's year for the n years from first (years[i] is year first + i),
 * as svcyear_load(db, rates, year, 0, 0) loads each, with one set of queries: the years
 * share the rows. 0, or -1 with the problem set (years freed). Free with
 * svcyear_span_free.
 */
int svcyear_load_span(struct db *db, struct svcyear_rates rates, int first, int n, struct svcyear *years, struct problem *p)
	__attribute__((warn_unused_result));
void svcyear_span_free(struct svcyear *years, int n);

/* A subscription's cell by column name (brows), or NULL. */
const char *svcyear_sub_cell(const struct svcyear *sy, size_t k, const char *name);

/* The contract of row i (SVCYEAR_COLS) with terms t as priced: its index, and how
 * it stands by its status and the day that changed (price_contract_status). */
void svcyear_price_contract(const struct db_rows *rows, size_t i, const struct procure_terms *t,
			    struct price_contract *pc);

/* The cost of the service at row i of rows (SVCYEAR_COLS) for year. 0, or -1
 * when its contract's terms do not parse or the cost overflows (logged). */
int svcyear_cost(struct svcyear_rates rates, const struct db_rows *rows, size_t i, int year, struct service_cost *c,
		 struct procure_terms *t, int *has_contract) __attribute__((warn_unused_result));

/* {"source", "months", "net_pence", "vat_pence", "irrecoverable_vat_pence",
 * "cost_pence", "explanation", "assumptions"}; NULL when out of memory. */
cJSON *svcyear_cost_json(const struct service_cost *c, const char *reference);

/* What the cost assumed, as a JSON array of strings (empty when nothing); NULL when out of memory. */
cJSON *svcyear_assumptions_json(const struct service_cost *c);

struct identity;
/* How a service row's contract is named to scope: its reference when scope may
 * see the contract (trust-wide, or one of scope's schools'; scope NULL: anyone),
 * otherwise "#<id>" written into buf. */
const char *svcyear_contract_ref(const struct db_rows *rows, size_t i, const struct identity *scope, char *buf,
				 size_t len);

/*
 * A service as its API representation (row i of SVCYEAR_COLS) with its cost for
 * year; a deleted one as a tombstone {id, name, deleted: true, version,
 * updated_at}. NULL when out of memory or the stored data does not parse.
 * scope (NULL: sees all) is who asks: a contract for a school outside it (one
 * GET /contracts/{id} would refuse with 403) is shown as {"id", "restricted":
 * true} and the cost's explanation names it by id ("contract #19"), not by its
 * reference; the service's own cost stays (its allocation shows it anyway).
 */
cJSON *svcyear_service_json(struct svcyear_rates rates, const struct db_rows *rows, size_t i, int year,
			    const struct identity *scope);

/* One subscription's share as JSON: subscription id, school, months, the basis
 * value and weight, the share and its explanation. */
cJSON *svcyear_share_json(const struct svcyear *sy, const struct svcyear_service *sv, size_t k);

#endif
