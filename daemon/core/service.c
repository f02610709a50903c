/* service.c - see service.h */
#include "service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "money.h"

int32_t service_year_first(int year)
{
	return date_from_ymd(year, 9, 1);
}

int32_t service_year_last(int year)
{
	return date_from_ymd(year + 1, 8, 31);
}

static int service_active(int32_t start, int32_t end, int32_t day)
{
	return start <= day && (end == PROCURE_NO_DATE || day <= end);
}

int service_months(int32_t start, int32_t end, int year)
{
	int32_t first = service_year_first(year);
	int n = 0;

	for (int m = 0; m < 12; m++)
		n += service_active(start, end, date_add_months(first, m));
	return n;
}

int service_contract_cost(const struct price_contract *pc, const struct price_basis *b, int year,
			  int32_t vat_recoverable_bp, struct service_cost *out)
{
	struct service_cost c;

	memset(&c, 0, sizeof(c));
	c.source = SERVICE_CONTRACT;
	c.year = year;
	if (price_year(pc, b, year, &c.price) != 0)
		return -1;
	c.months = c.price.months;
	c.net_pence = c.price.net_pence;
	c.vat_pence = c.price.vat_pence;
	if (alloc_net_cost(c.net_pence, c.vat_pence, vat_recoverable_bp, &c.irrecoverable_vat_pence, &c.cost_pence) != 0)
		return -1;
	*out = c;
	return 0;
}

int service_entered_cost(int64_t annual_pence, int64_t annual_vat_pence, int from, const struct price_basis *b,
			 int year, int32_t vat_recoverable_bp, struct service_cost *out)
{
	struct service_cost c;

	memset(&c, 0, sizeof(c));
	if (annual_pence < 0 || annual_vat_pence < 0)
		return -1;
	c.source = SERVICE_ENTERED;
	c.year = year;
	c.months = 12;
	c.entered_pence = annual_pence;
	c.entered_year = from;
	if (price_entered_year(annual_pence, annual_vat_pence, from, b, year, &c.price) != 0)
		return -1;
	c.net_pence = c.price.net_pence;
	c.vat_pence = c.price.vat_pence;
	if (alloc_net_cost(c.net_pence, c.vat_pence, vat_recoverable_bp, &c.irrecoverable_vat_pence, &c.cost_pence) != 0)
		return -1;
	*out = c;
	return 0;
}

size_t service_cost_explain(const struct service_cost *c, const char *reference, char *buf, size_t len)
{
	char a[48], b[48], x[48];
	size_t n = 0;

#define OUT(...) (n += (size_t)snprintf(n < len ? buf + n : NULL, n < len ? len - n : 0, __VA_ARGS__))
	if (len > 0)
		buf[0] = '\0';
	money_format_human(c->net_pence, x, sizeof(x));
	if (c->source == SERVICE_ENTERED && c->price.nsteps > 0 && c->price.steps[0].indexations > 0) {
		const struct price_step *s = &c->price.steps[0];
		char y[8];

		money_format_human(c->entered_pence, a, sizeof(a));
		acyear_format(c->entered_year, y, sizeof(y));
		if (s->same_rate)
			OUT("entered annual cost %s for %s, raised by cpi %d time%s at %d bp = %s", a, y, s->indexations,
			    s->indexations == 1 ? "" : "s", (int)s->rate_bp, x);
		else
			OUT("entered annual cost %s for %s, raised by cpi %d times, the last at %d bp = %s", a, y,
			    s->indexations, (int)s->rate_bp, x);
	} else if (c->source == SERVICE_ENTERED) {
		OUT("entered annual cost %s", x);
	} else if (c->months == 0) {
		OUT("contract %s is not active in this year: %s", reference != NULL ? reference : "", x);
	} else {
		OUT("contract %s: ", reference != NULL ? reference : "");
		for (size_t i = 0; i < c->price.nsteps; i++) {
			const struct price_step *s = &c->price.steps[i];

			money_format_human(s->annual_pence, a, sizeof(a));
			OUT("%s%d month%s at %s a year", i ? " + " : "", s->months, s->months == 1 ? "" : "s", a);
			if (s->reprocured)
				OUT(" (re-procured");
			if (s->indexations > 0 && s->same_rate)
				OUT("%sindexed %d time%s at %d bp", s->reprocured ? ", then " : " (", s->indexations,
				    s->indexations == 1 ? "" : "s", (int)s->rate_bp);
			else if (s->indexations > 0)
				OUT("%sindexed %d times, the last at %d bp", s->reprocured ? ", then " : " (", s->indexations,
				    (int)s->rate_bp);
			if (s->reprocured || s->indexations > 0)
				OUT(")");
		}
		OUT(" / 12 = %s", x);
	}
	if (c->vat_pence > 0) {
		money_format_human(c->vat_pence, a, sizeof(a));
		if (c->irrecoverable_vat_pence == 0) {
			OUT(" net; VAT %s, all recoverable", a);
		} else {
			money_format_human(c->irrecoverable_vat_pence, b, sizeof(b));
			money_format_human(c->cost_pence, x, sizeof(x));
			OUT(" net + %s of VAT not recoverable (of %s) = %s", b, a, x);
		}
	}
#undef OUT
	return n;
}

int service_overlap(const struct service_span *a, const struct service_span *b)
{
	return (a->end == PROCURE_NO_DATE || b->start <= a->end) && (b->end == PROCURE_NO_DATE || a->start <= b->end);
}

/* The sum of the active shares on day, and whether any span is active. */
static int64_t service_shares_on(const struct service_span *s, size_t n, int32_t day, int *any)
{
	int64_t sum = 0;

	*any = 0;
	for (size_t i = 0; i < n; i++) {
		if (!service_active(s[i].start, s[i].end, day))
			continue;
		*any = 1;
		sum += s[i].bp > 0 ? s[i].bp : 0;
	}
	return sum;
}

int service_shares_check(const struct service_span *s, size_t n, int32_t *day, int64_t *total)
{
	int found = 0;

	/* the sum only changes where a span starts or the day after one ends */
	for (size_t i = 0; i < 2 * n; i++) {
		const struct service_span *x = &s[i / 2];
		int32_t t = i % 2 == 0 ? x->start : x->end;
		int64_t sum;
		int any;

		if (i % 2 == 1) {
			if (t == PROCURE_NO_DATE)
				continue;
			t++;
		}
		sum = service_shares_on(s, n, t, &any);
		if (any && sum != 10000 && (!found || t < *day)) {
			found = 1;
			*day = t;
			*total = sum;
		}
	}
	return found ? -1 : 0;
}

int64_t service_value(enum alloc_basis basis, const struct service_school *s, int64_t usage_units,
		      int64_t fixed_share_bp)
{
	switch (basis) {
	case ALLOC_PER_PUPIL: return s->pupils;
	case ALLOC_PER_FTE: return s->fte_hundredths;
	case ALLOC_FLOOR_AREA: return s->floor_area;
	case ALLOC_EQUAL: return 1;
	case ALLOC_FIXED_SHARE: return fixed_share_bp;
	case ALLOC_USAGE: return usage_units;
	}
	return -1;
}

int service_allocate(enum alloc_basis basis, int64_t cost, struct service_sub *subs, size_t n, int year,
		     struct service_alloc *out)
{
	struct bursar_share *items = NULL;
	struct service_alloc a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.basis = basis;
	a.cost_pence = cost;
	for (size_t i = 0; i < n; i++) {
		struct service_sub *s = &subs[i];

		s->months = service_months(s->start, s->end, year);
		s->value = service_value(basis, s->school, s->usage_units, s->fixed_share_bp);
		s->weight = 0;
		s->pence = 0;
		s->extra_penny = 0;
		if (s->months == 0)
			continue;
		if (s->months < 12)
			a.prorated = 1;
		if (s->value < 0) {
			a.nlacking++;
			continue;
		}
		if (money_mul(s->value, s->months, &s->weight) != 0 || money_add(a.weight_total, s->weight, &a.weight_total) != 0)
			return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (subs[i].months > 0 && subs[i].value > 0 && money_add(a.total, a.prorated ? subs[i].weight : subs[i].value,
									  &a.total) != 0)
			return -1;
	if (n > 0 && (items = calloc(n, sizeof(*items))) == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		items[i].urn = subs[i].school != NULL ? subs[i].school->urn : "";
		items[i].tie = subs[i].id;
		items[i].weight = subs[i].weight;
	}
	rc = alloc_split(cost, items, n);
	if (rc < 0) {
		free(items);
		return -1;
	}
	a.no_weight = rc == ALLOC_NO_WEIGHT;
	for (size_t i = 0; i < n; i++) {
		subs[i].pence = items[i].pence;
		subs[i].extra_penny = items[i].extra_penny;
		a.allocated_pence += items[i].pence;
	}
	a.unallocated_pence = cost - a.allocated_pence;
	free(items);
	*out = a;
	return 0;
}

void service_explain(const struct service_alloc *a, const struct service_sub *s, const char *unit,
		     struct alloc_explain *e)
{
	*e = (struct alloc_explain){ .basis = a->basis, .value = s->value < 0 ? 0 : s->value, .total = a->total,
				     .months = s->months, .prorated = a->prorated, .cost_pence = a->cost_pence,
				     .extra_penny = s->extra_penny, .unit = unit };
}
