/* monitoring.c - see monitoring.h */
#include "monitoring.h"

#include <stdlib.h>
#include <string.h>

#include "money.h"

int monitoring_favourable(enum budget_kind kind, int64_t variance)
{
	return kind == BUDGET_INCOME ? variance >= 0 : variance <= 0;
}

int monitoring_totals_variance(const struct budget_totals *outturn, const struct budget_totals *budget,
			       struct monitoring_totals_variance *out)
{
	if (money_sub(outturn->income, budget->income, &out->income) != 0 ||
	    money_sub(outturn->expenditure, budget->expenditure, &out->expenditure) != 0 ||
	    money_sub(outturn->balance, budget->balance, &out->balance) != 0 ||
	    money_sub(outturn->staff, budget->staff, &out->staff) != 0)
		return -1;
	out->income_favourable = monitoring_favourable(BUDGET_INCOME, out->income);
	out->expenditure_favourable = monitoring_favourable(BUDGET_EXPENDITURE, out->expenditure);
	out->balance_favourable = out->balance >= 0;
	out->staff_favourable = monitoring_favourable(BUDGET_EXPENDITURE, out->staff);
	return 0;
}

/* sum of a[from..to-1] */
static int monitoring_sum(const int64_t *a, int from, int to, int64_t *out)
{
	int64_t s = 0;

	for (int i = from; i < to; i++)
		if (money_add(s, a[i], &s) != 0)
			return -1;
	*out = s;
	return 0;
}

int monitoring_split(int64_t amount, const int64_t *w, size_t n, int64_t *out)
{
	int64_t W = 0, mag, left, *rem;
	int pos = 0, neg = 0, even;

	if (n == 0 || amount == INT64_MIN)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (w[i] > 0)
			pos = 1;
		else if (w[i] < 0)
			neg = 1;
		if (w[i] == INT64_MIN || money_add(W, w[i] < 0 ? -w[i] : w[i], &W) != 0)
			return -1;
	}
	even = (pos && neg) || W == 0;
	if (even)
		W = (int64_t)n;
	if ((rem = calloc(n, sizeof(*rem))) == NULL)
		return -1;
	mag = amount < 0 ? -amount : amount;
	left = mag;
	for (size_t i = 0; i < n; i++) {
		int64_t wi = even ? 1 : (w[i] < 0 ? -w[i] : w[i]);

		if (money_muldiv_floor(mag, wi, W, &out[i], &rem[i]) != 0) {
			free(rem);
			return -1;
		}
		left -= out[i];
	}
	/* left < n: one penny each to the largest remainders, the earlier first */
	while (left > 0) {
		size_t best = 0;

		for (size_t i = 1; i < n; i++)
			if (rem[i] > rem[best])
				best = i;
		out[best]++;
		rem[best] = -1;
		left--;
	}
	free(rem);
	if (amount < 0)
		for (size_t i = 0; i < n; i++)
			out[i] = -out[i];
	return 0;
}

int monitoring_compute(const struct monitoring_in *in, int to, struct monitoring_line *out)
{
	int64_t rest, remaining;

	memset(out, 0, sizeof(*out));
	if (to < 0 || to > MONITORING_MONTHS)
		return -1;
	if (monitoring_sum(in->profile, 0, to, &out->profile_to_date) != 0 ||
	    monitoring_sum(in->actual, 0, to, &out->actual_to_date) != 0 ||
	    monitoring_sum(in->commitment, 0, to, &out->commitment_to_date) != 0 ||
	    money_sub(out->actual_to_date, out->profile_to_date, &out->variance_to_date) != 0 ||
	    monitoring_sum(in->profile, to, MONITORING_MONTHS, &remaining) != 0)
		return -1;
	out->favourable = monitoring_favourable(in->kind, out->variance_to_date);
	if (in->has_outturn)
		out->outturn = in->outturn;
	else if (money_add(out->actual_to_date, remaining, &out->outturn) != 0)
		return -1;
	if (money_sub(out->outturn, in->budget, &out->full_year_variance) != 0)
		return -1;
	out->full_year_favourable = monitoring_favourable(in->kind, out->full_year_variance);
	/* the outturn's months: the actuals, then the rest over the profile's remaining months */
	for (int m = 0; m < to; m++)
		out->outturn_months[m] = in->actual[m];
	if (money_sub(out->outturn, out->actual_to_date, &rest) != 0)
		return -1;
	if (to == MONITORING_MONTHS)
		return money_add(out->outturn_months[MONITORING_MONTHS - 1], rest,
				 &out->outturn_months[MONITORING_MONTHS - 1]);
	if (!in->has_outturn) {
		for (int m = to; m < MONITORING_MONTHS; m++)
			out->outturn_months[m] = in->profile[m];
		return 0;
	}
	return monitoring_split(rest, in->profile + to, (size_t)(MONITORING_MONTHS - to), out->outturn_months + to);
}

int monitoring_totals(const struct budget_chart *chart, enum budget_entity entity,
		      const char (*codes)[BUDGET_CODE_MAX + 1], const int64_t *values, size_t n,
		      struct budget_totals *t)
{
	struct budget b;
	int rc = 0;

	budget_init(&b, entity, chart);
	for (size_t i = 0; i < n && rc == 0; i++)
		if (budget_add_computed_line(&b, codes[i], "", values[i]) == NULL)
			rc = -1;
	if (rc == 0)
		rc = budget_totals(&b, t);
	budget_clear(&b);
	return rc;
}

int monitoring_pct_bp(int64_t part, int64_t whole, int64_t *bp)
{
	if (whole <= 0 || money_muldiv_round(part, 10000, whole, bp) != 0)
		return 0;
	return 1;
}

int monitoring_over_threshold(int64_t variance, int64_t profile_to_date, int64_t threshold_pence,
			      int64_t threshold_bp)
{
	int64_t v, prof, lhs, rhs;

	if (variance == INT64_MIN || profile_to_date == INT64_MIN)
		return 1;
	v = variance < 0 ? -variance : variance;
	prof = profile_to_date < 0 ? -profile_to_date : profile_to_date;
	if (v <= threshold_pence)
		return 0;
	if (money_mul(v, 10000, &lhs) != 0)
		return 1;
	if (money_mul(prof, threshold_bp, &rhs) != 0)
		return 0;
	return lhs > rhs;
}
