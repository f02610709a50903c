/* staffing_metrics.c - see staffing.h: the DfE's ICFP measures of an entity's posts. */
#include "staffing.h"

#include <string.h>

#include "money.h"

/* round(a x num / den) into an int32, or -1 (n/a) when den <= 0, a < 0 or out of range. */
static int32_t staff_ratio32(int64_t a, int64_t num, int64_t den)
{
	int64_t v;

	if (den <= 0 || a < 0 || money_muldiv_round(a, num, den, &v) != 0 || v > INT32_MAX)
		return -1;
	return (int32_t)v;
}

void staff_metrics_compute(const struct staff_post *posts, const struct staff_cost *c, size_t n, int32_t pupils,
			   int32_t periods_per_cycle, int64_t expenditure, struct staff_metrics *m)
{
	int64_t teach_fte = 0, adult_fte = 0, teach_cost = 0, lead_cost = 0, all_cost = 0;
	int64_t periods = 0, periods_fte = 0;
	int have_periods = 0, overflow = 0;

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < n; i++) {
		const struct staff_post *p = &posts[i];

		if (c[i].active_months <= 0)
			continue;
		overflow |= money_add(all_cost, c[i].total, &all_cost);
		if (staff_role_teaches(p->role)) {
			teach_fte += c[i].fte_h;
			overflow |= money_add(teach_cost, c[i].total, &teach_cost);
			if (p->periods_taught >= 0) {
				have_periods = 1;
				periods += p->periods_taught;
				periods_fte += c[i].fte_h;
			}
		}
		if (staff_role_teaches(p->role) || p->role == SR_TA)
			adult_fte += c[i].fte_h;
		if (p->role == SR_LEADERSHIP)
			overflow |= money_add(lead_cost, c[i].total, &lead_cost);
	}
	m->teacher_fte_h = teach_fte <= INT32_MAX ? (int32_t)teach_fte : -1;
	m->adult_fte_h = adult_fte <= INT32_MAX ? (int32_t)adult_fte : -1;
	m->pupils = pupils >= 0 ? pupils : FORECAST_NO_DATA;
	/* pupils / (fte_h / 100), in hundredths: pupils x 10,000 / fte_h */
	m->pupil_teacher_ratio_h = pupils >= 0 ? staff_ratio32(pupils, 10000, teach_fte) : -1;
	m->pupil_adult_ratio_h = pupils >= 0 ? staff_ratio32(pupils, 10000, adult_fte) : -1;
	/* cost / (fte_h / 100) = cost x 100 / fte_h */
	m->average_teacher_cost_pence = -1;
	if (!overflow && teach_fte > 0 && money_muldiv_round(teach_cost, 100, teach_fte, &m->average_teacher_cost_pence) != 0)
		m->average_teacher_cost_pence = -1;
	m->teaching_cost_bp = overflow ? -1 : staff_ratio32(teach_cost, 10000, expenditure);
	m->leadership_cost_bp = overflow ? -1 : staff_ratio32(lead_cost, 10000, all_cost);
	/* periods / (fte_h / 100 x ppc) = periods x 1,000,000 / (fte_h x ppc), in bp */
	m->contact_ratio_bp = have_periods && periods_per_cycle > 0
		? staff_ratio32(periods, 1000000, periods_fte * periods_per_cycle) : -1;
}
