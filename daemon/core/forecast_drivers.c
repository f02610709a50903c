/* forecast_drivers.c - see forecast_drivers.h */
#include "forecast_drivers.h"

#include "date.h"
#include "money.h"

#define FC_BP_ONE INT64_C(10000)
#define FC_BP_ONE2 INT64_C(100000000)        /* 10^8: the product of two bp factors */

static int32_t fd_index_bp(const struct forecast_assumptions *a, int slot, int k)
{
	return slot >= 0 ? a->indices[slot].bp[k] : 0;
}

int forecast_drivers_staff_base(const struct forecast_assumptions *a, struct forecast_line *l, int64_t *unbudgeted)
{
	int64_t gn, un, den, e_budgeted, diff5;
	int t = l->driver == FD_TEACHER_PAY;

	if (t)
		gn = (FC_BP_ONE + a->base_teacher_oncost_bp) * FC_BP_ONE;
	else
		gn = (FC_BP_ONE + a->base_support_pay_bp) * (FC_BP_ONE + a->base_support_oncost_bp);
	un = FC_BP_ONE + (t ? a->base_teacher_oncost_unbudgeted_bp : a->base_support_oncost_unbudgeted_bp);
	den = 7 * FC_BP_ONE2 + 5 * gn;
	*unbudgeted = 0;
	/* one rounding: E[Y0] = round(12 x a x g x u / (7 + 5 x g)), u the unbudgeted factor
	 * (bp at most SCENARIO_BP_MAX each, so 12 x gn x un < 2^63) */
	if (money_muldiv_round(l->a[0], 12 * gn * un, den * FC_BP_ONE, &l->e[0]) != 0)
		return -1;
	if (un == FC_BP_ONE)
		return 0;
	/* what April-August of the base year would cost on top of the budget */
	if (money_muldiv_round(l->a[0], 12 * gn, den, &e_budgeted) != 0 || money_sub(l->e[0], e_budgeted, &diff5) != 0 ||
	    money_mul(diff5, 5, &diff5) != 0)
		return -1;
	return money_muldiv_round(diff5, 1, 12, unbudgeted);
}

/* round(a x n1/n2 x (1 + bp)): the ratio is 1 when either count is missing or n2 is 0. */
static int fd_ratio(int64_t a, int32_t n1, int32_t n2, int32_t bp, int64_t *out)
{
	if (n1 < 0 || n2 <= 0)
		return money_muldiv_round(a, FC_BP_ONE + bp, FC_BP_ONE, out);
	return money_muldiv_round(a, (int64_t)n1 * (FC_BP_ONE + bp), (int64_t)n2 * FC_BP_ONE, out);
}

/*
 * The part-year staff model for year k: M = round(E[k-1] x (1 + teacher_pay))
 * for teachers, E[k-1] for support staff; E = round(M x g) with g the April
 * factor over 10^8; a = round((7 x M + 5 x E) / 12).
 */
static int fd_staff(const struct forecast_assumptions *a, struct forecast_line *l, int k)
{
	int64_t gn, m7, e5, sum;

	if (l->driver == FD_TEACHER_PAY) {
		if (money_apply_bp(l->e[k - 1], a->teacher_pay_bp[k], &l->m[k]) != 0)
			return -1;
		gn = (FC_BP_ONE + a->teacher_oncost_bp[k]) * FC_BP_ONE;
	} else {
		l->m[k] = l->e[k - 1];
		gn = (FC_BP_ONE + a->support_pay_bp[k]) * (FC_BP_ONE + a->support_oncost_bp[k]);
	}
	if (money_muldiv_round(l->m[k], gn, FC_BP_ONE2, &l->e[k]) != 0 || money_mul(l->m[k], 7, &m7) != 0 ||
	    money_mul(l->e[k], 5, &e5) != 0 || money_add(m7, e5, &sum) != 0)
		return -1;
	return money_muldiv_round(sum, 1, 12, &l->a[k]);
}

/* This services line's part of its cost in year k into l->e[k]: num/den of it, or
 * (service_rest) the cost less the parts of the lines before it on the same service. */
static int fd_share(const struct forecast_entity *e, struct forecast_line *l, int k)
{
	const struct forecast_line_x *x = l->x;
	int64_t rest = x->service->pence[k];

	if (!x->service_rest)
		return money_muldiv_round(rest, x->service_num, x->service_den, &l->e[k]);
	for (const struct forecast_line *o = e->lines; o < l; o++)
		if (o->driver == FD_SERVICES && forecast_line_service(o) == x->service && money_sub(rest, o->e[k], &rest) != 0)
			return -1;
	l->e[k] = rest;
	return 0;
}

int forecast_drivers_services_base(const struct forecast_entity *e, struct forecast_line *l)
{
	if (fd_share(e, l, 0) != 0 || money_sub(l->a[0], l->e[0], &l->m[0]) != 0)
		return -1;
	l->x->short_pence = 0;
	if (l->m[0] < 0 && l->e[0] > 0) {
		l->x->short_pence = -l->m[0];
		l->m[0] = 0;
	}
	return 0;
}

int forecast_drivers_action_months(const struct forecast_assumptions *a, const struct forecast_action *x, int k)
{
	int y = a->base_year + k, n = 0;

	for (int i = 0; i < 12; i++) {
		int32_t first = date_from_ymd(i < 4 ? y : y + 1, i < 4 ? 9 + i : i - 3, 1);

		n += x->from <= first && (x->to == FORECAST_NO_DATE || first <= x->to);
	}
	return n;
}

int forecast_drivers_project(const struct forecast_assumptions *a, int cpi, const struct forecast_entity *e,
			     struct forecast_line *l)
{
	const int H = a->horizon;
	int64_t *v = l->a;
	int k;

	switch (l->driver) {
	case FD_FIXED:
		for (k = 1; k <= H; k++)
			v[k] = v[k - 1];
		return 0;
	case FD_FUNDING:
		for (k = 1; k <= H; k++)
			if (money_apply_bp(v[k - 1], a->funding_bp[k], &v[k]) != 0)
				return k;
		return 0;
	case FD_PUPILS:
		for (k = 1; k <= H; k++)
			if (fd_ratio(v[k - 1], e->n[k + 1], e->n[k], a->funding_bp[k], &v[k]) != 0)
				return k;
		return 0;
	case FD_PUPILS_CURRENT:
		for (k = 1; k <= H; k++)
			if (fd_ratio(v[k - 1], e->n[k + 2], e->n[k + 1], fd_index_bp(a, cpi, k), &v[k]) != 0)
				return k;
		return 0;
	case FD_PLACES:
		for (k = 1; k <= H; k++) {
			if (l->fallback || e->places[k + 2] < 0)
				v[k] = v[k - 1];
			else if (money_mul(e->places[k + 2], a->place_rate_pence[k], &v[k]) != 0)
				return k;
		}
		return 0;
	case FD_INFLATION:
		for (k = 1; k <= H; k++)
			if (money_apply_bp(v[k - 1], fd_index_bp(a, l->index, k), &v[k]) != 0)
				return k;
		return 0;
	case FD_TEACHER_PAY:
	case FD_SUPPORT_PAY:
		for (k = 1; k <= H; k++)
			if (fd_staff(a, l, k) != 0)
				return k;
		return 0;
	case FD_SERVICES:
		for (k = 1; k <= H; k++) {
			if (forecast_line_service(l) == NULL) {
				if (money_apply_bp(v[k - 1], fd_index_bp(a, cpi, k), &v[k]) != 0)
					return k;
			} else if (fd_share(e, l, k) != 0 ||
				   money_apply_bp(l->m[k - 1], fd_index_bp(a, cpi, k), &l->m[k]) != 0 ||
				   money_add(l->m[k], l->e[k], &v[k]) != 0) {
				return k;
			}
		}
		return 0;
	case FD_ACTION:
		for (k = 1; k <= H; k++)
			if (money_muldiv_round(l->action->annual_pence, forecast_drivers_action_months(a, l->action, k), 12,
					       &v[k]) != 0)
				return k;
		return 0;
	case FD_POSTS:
		for (k = 1; k <= H; k++)
			v[k] = l->x->staff_first ? l->x->staff->pence[k] : 0;
		return 0;
	case FD_RULES:
		return 0;
	}
	return 1;
}
