/* forecast_price.c - see forecast_price.h */
#include "forecast_price.h"

#include <string.h>

#include "date.h"
#include "money.h"

static int32_t fp_index_bp(const struct forecast_assumptions *a, int slot, int k)
{
	return slot >= 0 ? a->indices[slot].bp[k] : 0;
}

/* The indexation at an anniversary: the fixed rate, or the index for the year it falls in plus the margin. */
static int32_t fp_ix_rate(const struct forecast_assumptions *a, const struct forecast_priced_contract *c, int slot,
			  int32_t day)
{
	int k = acyear_of(day) - a->base_year;

	switch (c->ix) {
	case FORECAST_IX_FIXED:
		return c->ix_bp;
	case FORECAST_IX_INDEX:
		if (k > a->horizon)
			k = a->horizon;
		return (k < 0 ? 0 : fp_index_bp(a, slot, k)) + c->ix_bp;
	case FORECAST_IX_NONE:
		break;
	}
	return 0;
}

int forecast_contract_price(const struct forecast_assumptions *a, const struct forecast_priced_contract *c,
			    struct forecast_contract_cost *out)
{
	int slot = c->ix == FORECAST_IX_INDEX && c->index != NULL ? forecast_index_slot(a, c->index) : -1;
	int64_t price = c->annual_pence, sum;
	int32_t anchor = c->start, next;
	int n = 1;

	memset(out, 0, sizeof(*out));
	if (a->horizon < 1 || a->horizon > FORECAST_MAX_HORIZON)
		return -1;
	for (int k = 1; k <= a->horizon; k++) {
		sum = 0;
		for (int mo = 0; mo < 12; mo++) {
			int32_t d = date_add_months(date_from_ymd(a->base_year + k, 9, 1), mo);

			if (!out->reprocured && c->final_end != FORECAST_NO_DATE && d > c->final_end) {
				int rk = acyear_of(c->final_end + 1) - a->base_year;

				/* the anniversaries up to its end set its last price */
				while ((next = date_add_months(anchor, 12 * n)) <= c->final_end) {
					if (money_apply_bp(price, fp_ix_rate(a, c, slot, next), &price) != 0)
						return -1;
					n++;
				}
				out->reprocured = 1;
				out->reprocured_from = c->final_end + 1;
				out->last_annual_pence = price;
				rk = rk < 0 ? 0 : (rk > a->horizon ? a->horizon : rk);
				if (money_apply_bp(price, a->retender_bp[rk], &price) != 0)
					return -1;
				out->new_annual_pence = price;
				anchor = c->final_end + 1;
				n = 1;
			}
			while ((next = date_add_months(anchor, 12 * n)) <= d) {
				if (money_apply_bp(price, fp_ix_rate(a, c, slot, next), &price) != 0)
					return -1;
				n++;
			}
			if (d >= anchor && money_add(sum, price, &sum) != 0)
				return -1;
		}
		if (money_muldiv_round(sum, 1, 12, &out->pence[k]) != 0)
			return -1;
	}
	return 0;
}

