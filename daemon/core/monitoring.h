/*
 * monitoring.h - a year's budget monitoring for one code of one entity (ISSUE17_CONTRACT
 * section 3; DESIGN.md "Monitoring, management accounts and the BFR"). Pure: no SQL, no
 * HTTP. Thread-safe.
 *
 * Months are 1..12 of the academic year (1 = September); the arrays index them 0..11.
 * Money is int64 pence in the direction of the account's kind (income received, cost
 * incurred), as budget lines.
 *
 * Given a code's budget, its twelve profile months (the budget's lines split, summing to
 * the budget), its twelve actual and commitment months, an entered outturn or none, and
 * the month `to` (0..12; 0 = none yet) through which actuals count:
 *   profile_to_date    = sum of profile months 1..to (actual_ and commitment_ likewise);
 *   variance_to_date   = actual_to_date - profile_to_date;
 *   outturn            = the entered one, else actual_to_date + profile months to+1..12;
 *   full_year_variance = outturn - budget.
 * A variance is favourable when it is income received above (or at) the profile, or a cost
 * below (or at) it: income >= 0, expenditure <= 0 (zero counts as favourable).
 *
 * The outturn's months (what the BFR splits Sep-Mar / Apr-Aug): the actual months 1..to,
 * then the rest (outturn - actual_to_date) over months to+1..12 in proportion to the profile
 * months there (monitoring_split: exact), so the twelve sum to the outturn. Without an
 * entered outturn that is the profile months themselves. With to = 12 there are no months
 * left and the rest (an entered outturn's difference from the actuals) goes to month 12.
 *
 * Totals of any column (budget, profile to date, actual to date, outturn ...) go through
 * budget_totals (budget.h: the one definition, pass-through netted): monitoring_totals.
 */
#ifndef BURSAR_MONITORING_H
#define BURSAR_MONITORING_H

#include <stddef.h>
#include <stdint.h>

#include "budget.h"

#define MONITORING_MONTHS 12

struct monitoring_in {
	enum budget_kind kind;
	int64_t budget;
	int64_t profile[MONITORING_MONTHS];
	int64_t actual[MONITORING_MONTHS];
	int64_t commitment[MONITORING_MONTHS];
	int has_outturn;                         /* 1: outturn is entered */
	int64_t outturn;
};

struct monitoring_line {
	int64_t profile_to_date, actual_to_date, commitment_to_date;
	int64_t variance_to_date;
	int favourable;                          /* of variance_to_date */
	int64_t outturn;
	int64_t full_year_variance;
	int full_year_favourable;
	int64_t outturn_months[MONITORING_MONTHS];   /* summing to outturn */
};

/* 1 when variance (actual - plan) is favourable for an account of kind. */
int monitoring_favourable(enum budget_kind kind, int64_t variance);

/* One code's figures through month to (0..12). 0, or -1 on overflow or a bad to. */
int monitoring_compute(const struct monitoring_in *in, int to, struct monitoring_line *out)
	__attribute__((warn_unused_result));

/*
 * amount split over n parts in proportion to w, exactly (the parts sum to amount): each
 * part floor(|amount| * |w_i| / |W|), the pence left over one each to the largest
 * remainders (ties: the earlier part), the sign put back. When the weights are mixed in
 * sign or sum to zero, the split is even (equal weights). n >= 1. 0, or -1 on overflow.
 */
int monitoring_split(int64_t amount, const int64_t *w, size_t n, int64_t *out)
	__attribute__((warn_unused_result));

/*
 * The totals of one column of an entity's codes: a budget of entity on chart with a line
 * of values[i] on codes[i] for each i (a code not in the chart is left out, as
 * budget_totals does), through budget_totals. 0, or -1 when out of memory or on overflow.
 */
int monitoring_totals(const struct budget_chart *chart, enum budget_entity entity,
		      const char (*codes)[BUDGET_CODE_MAX + 1], const int64_t *values, size_t n,
		      struct budget_totals *t) __attribute__((warn_unused_result));

/* 1 when variance is over both thresholds, listed in the management accounts: |variance| >
 * threshold_pence and |variance| > threshold_bp of |profile_to_date| (so any variance of a code
 * with no profile to date passes the second). Thresholds >= 0. */
int monitoring_over_threshold(int64_t variance, int64_t profile_to_date, int64_t threshold_pence,
			      int64_t threshold_bp);

/* The full-year variance of an entity's totals (outturn - budget, member by member) and whether
 * each is favourable by monitoring_favourable's rule: income >= 0, a cost (expenditure, staff)
 * <= 0, and the in-year balance (income less expenditure) >= 0. */
struct monitoring_totals_variance {
	int64_t income, expenditure, balance, staff;
	int income_favourable, expenditure_favourable, balance_favourable, staff_favourable;
};
/* 0, or -1 on overflow. */
int monitoring_totals_variance(const struct budget_totals *outturn, const struct budget_totals *budget,
			       struct monitoring_totals_variance *out) __attribute__((warn_unused_result));

/* part / whole in basis points, rounded half away from zero; 0 (nothing written) when whole
 * <= 0 (the KPI is null) or on overflow, else 1. */
int monitoring_pct_bp(int64_t part, int64_t whole, int64_t *bp);

#endif
