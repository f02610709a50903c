/*
 * price.h - the one pricing function (DESIGN.md "Forecasting", Drivers,
 * services): a contract's cost in an academic year, used alike by the register
 * (a service's cost), the allocation endpoint, the school-systems feed and the
 * forecast's `services` driver, so that they agree to the penny.
 *
 * The rule:
 * - The monthly price is the net annual value / 12, indexed at each anniversary
 *   of the start by a factor (10000 + rate) / 10000: the rate is the contract's
 *   fixed bp, or the value of its index for the academic year in which the
 *   anniversary falls plus its margin in bp.
 * - Prices stay exact rationals (GMP integers over powers of 10^4: the product
 *   of 20 and more factors does not fit 128 bits) until a year's cost, the sum
 *   of the prices of the months it is active (a month counts when the contract
 *   is active on its first day), is rounded once, half away from zero. The VAT
 *   is worked out the same way from the annual VAT.
 * - A terminated contract stops on the day it was terminated (price_contract_status):
 *   no month after it counts, nothing replaces it ("contract terminated on
 *   2026-09-22; no replacement recorded"). An expired one ended on its end (or the
 *   day it expired): no option is taken after it, and it is re-procured from the
 *   next day as below ("contract expired on 2026-08-31").
 * - After its current end a contract runs on through its remaining extension
 *   options (each one taken is an assumption); an auto-renewing one renews
 *   without end. After its last possible end it is re-procured from the next
 *   day at its last price x (10000 + retender change of that day's year) /
 *   10000 (an assumption), indexed at the anniversaries of that day.
 * - Index values: the trust's history for the years up to history_to (a
 *   forecast's base year; PRICE_ALL_YEARS: every year it holds), the
 *   scenario's for later years (a forecast); a year without a value takes
 *   default_bp, and that is an assumption too.
 *
 * Assumptions are written as sentences: "option 1 (12 months) taken",
 * "cpi 2027-28 at the default 3.00%", "re-procured from 2029-09-01 at +0.00%".
 *
 * Pure: no I/O; thread-safe (GMP integers are the call's own). GMP aborts the
 * process when it cannot allocate: a few hundred bytes a call.
 */
#ifndef BURSAR_PRICE_H
#define BURSAR_PRICE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "procure.h"

#define PRICE_FIRST_YEAR 2000                /* 2000-01 */
#define PRICE_YEARS 100                      /* 2000-01 .. 2099-00 */
#define PRICE_NO_VALUE INT32_MIN
#define PRICE_ALL_YEARS INT_MAX
#define PRICE_INDEX_MAX 20                   /* [a-z0-9_]{1,20} */
#define PRICE_MAX_STEPS 4
#define PRICE_MAX_ASSUMPTIONS 12
#define PRICE_ASSUMPTION_LEN 80
#define PRICE_BP_MIN (-10000)                /* an index value: -100% .. +1000% */
#define PRICE_BP_MAX 100000

/* One index's values by academic year. */
struct price_series {
	char name[PRICE_INDEX_MAX + 1];
	int32_t bp[PRICE_YEARS];                 /* [year - PRICE_FIRST_YEAR]; PRICE_NO_VALUE: none */
};

/* Where rates come from. */
struct price_basis {
	const struct price_series *history;      /* the trust's index history */
	size_t nhistory;
	int history_to;                          /* the history counts up to this year (PRICE_ALL_YEARS: all) */
	const struct price_series *scenario;     /* years after history_to; may be NULL */
	size_t nscenario;
	const int32_t *retender_bp;              /* [year - PRICE_FIRST_YEAR]; NULL: 0 every year */
	int32_t default_bp;                      /* procurement.indexation_bp */
};

/* How a contract stands (price_contract_status). */
enum price_end {
	PRICE_RUNNING,                           /* as its terms say (draft, awaiting approval, active) */
	PRICE_EXPIRED,                           /* it ended on ended_on: no option taken after it; re-procured */
	PRICE_TERMINATED,                        /* it stopped on ended_on: nothing after it, no replacement */
};

/* A contract as priced. */
struct price_contract {
	const struct procure_terms *t;
	const char *index;                       /* t->ix == PROCURE_IX_INDEX: "cpi", ... */
	enum price_end end;                      /* 0 (PRICE_RUNNING) unless price_contract_status says */
	int32_t ended_on;                        /* the last day it ran, when end != PRICE_RUNNING */
};

/*
 * c->end and c->ended_on from the contract's status and the day it changed
 * (changed_on: the date of contracts.status_changed_at; PROCURE_NO_DATE when not
 * recorded). A contract that ran on (auto-renewing, or with no end) ended on the
 * day of the change; one with an end ended on its current end, or on the day of
 * the change when that came first; with neither (no end, no date) it is taken
 * as running. Any other status: PRICE_RUNNING.
 */
void price_contract_status(struct price_contract *c, const char *status, int32_t changed_on);

/* So many months of the year at one price. */
struct price_step {
	int months;
	int32_t from;                            /* the first day of its first month */
	int64_t annual_pence;                    /* the exact price, rounded for display only */
	int64_t annual_vat_pence;
	int indexations;                         /* anniversaries passed (of the re-procured contract after it) */
	int32_t rate_bp;                         /* the last anniversary's rate */
	int same_rate;                           /* every anniversary had that rate */
	int reprocured;
};

struct price_year {
	int year;                                /* 2026 = 2026-27 */
	int months;                              /* active */
	int64_t net_pence, vat_pence;            /* rounded once */
	size_t nsteps;
	struct price_step steps[PRICE_MAX_STEPS];
	size_t nassumptions;
	char assumptions[PRICE_MAX_ASSUMPTIONS][PRICE_ASSUMPTION_LEN];
	int reprocured;                          /* some month is after the last possible end */
	int32_t reprocured_from;
};

/* The value of index `name` for `year` under basis b: 0 with *bp, or 1 when the
 * default was taken (*bp = b->default_bp). */
int price_index_bp(const struct price_basis *b, const char *name, int year, int32_t *bp);

/* A contract's cost in academic year `year`. 0, or -1 on overflow of the result
 * (int64 pence) or bad terms. */
int price_year(const struct price_contract *c, const struct price_basis *b, int year, struct price_year *out)
	__attribute__((warn_unused_result));

/*
 * An entered annual cost (a service bought without a contract) in academic year
 * `year`: the cost of year `from` (the year it is entered for: the current
 * academic year), raised at the start of each later year y by the cpi of y under
 * basis b (history, scenario or the default, as a contract's index), the factors
 * exact and the year's cost rounded once; years up to `from` cost it as entered.
 * out->steps[0] holds the year's price (indexations: the years raised, rate_bp
 * the last one's); the assumptions name the raise and every default taken
 * ("entered for 2026-27, raised by cpi each year", "cpi 2027-28 at the default
 * 3.00%"). 0, or -1 on a negative amount or overflow.
 */
int price_entered_year(int64_t annual_pence, int64_t vat_pence, int from, const struct price_basis *b, int year,
		       struct price_year *out) __attribute__((warn_unused_result));

/* "+3.00%" / "-2.50%" from bp. */
void price_format_bp(int32_t bp, int sign, char *buf, size_t len);

#endif
