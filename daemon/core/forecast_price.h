/*
 * forecast_price.h - a contract priced by month for the `services` driver
 * (DESIGN.md "Forecasting", services): monthly prices, indexation at each
 * anniversary, and re-procurement after the last possible end.
 *
 * Pure: no I/O; thread-safe.
 */
#ifndef BURSAR_FORECAST_PRICE_H
#define BURSAR_FORECAST_PRICE_H

#include <stdint.h>

#include "forecast.h"

enum forecast_ix { FORECAST_IX_NONE, FORECAST_IX_FIXED, FORECAST_IX_INDEX };

struct forecast_priced_contract {
	int32_t start;                           /* days since 1970-01-01 */
	int32_t final_end;                       /* last possible end; FORECAST_NO_DATE: none (auto-renewing) */
	int64_t annual_pence;                    /* net of VAT, from the start */
	enum forecast_ix ix;
	int32_t ix_bp;                           /* fixed rate, or the margin over the index */
	const char *index;                       /* FORECAST_IX_INDEX: "cpi", ... */
};

struct forecast_contract_cost {
	int64_t pence[FORECAST_NY];              /* [k], k = 1..H */
	int reprocured;                          /* it ends inside the horizon and is re-procured */
	int32_t reprocured_from;                 /* the day after its last possible end */
	int64_t last_annual_pence, new_annual_pence;
};

/*
 * A contract's cost in each forecast year: the monthly price is the annual
 * price / 12, indexed on each anniversary of the start (round(price x (10000 +
 * rate) / 10000), the rate the fixed bp, or the index's value for the academic
 * year the anniversary falls in plus the margin; years before the first
 * forecast year have no assumption: 0); a month counts when the contract is
 * active on its first day; a year's cost is round(sum of the annual prices of
 * its months / 12). After its last possible end it is re-procured from the next
 * day at round(last price x (10000 + retender_change[year]) / 10000), indexed on
 * the anniversaries of that day. 0, or -1 on overflow.
 */
int forecast_contract_price(const struct forecast_assumptions *a, const struct forecast_priced_contract *c,
			    struct forecast_contract_cost *out) __attribute__((warn_unused_result));

#endif
