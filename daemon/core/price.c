/* price.c - see price.h */
#include "price.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmp.h>

#include "date.h"

void price_format_bp(int32_t bp, int sign, char *buf, size_t len)
{
	int64_t a = bp < 0 ? -(int64_t)bp : bp;

	snprintf(buf, len, "%s%lld.%02lld%%", bp < 0 ? "-" : sign ? "+" : "", (long long)(a / 100), (long long)(a % 100));
}

static const struct price_series *price_find(const struct price_series *s, size_t n, const char *name)
{
	for (size_t i = 0; s != NULL && i < n; i++)
		if (strcmp(s[i].name, name) == 0)
			return &s[i];
	return NULL;
}

int price_index_bp(const struct price_basis *b, const char *name, int year, int32_t *bp)
{
	const struct price_series *s = year <= b->history_to ? price_find(b->history, b->nhistory, name) :
				       price_find(b->scenario, b->nscenario, name);

	if (s != NULL && year >= PRICE_FIRST_YEAR && year < PRICE_FIRST_YEAR + PRICE_YEARS &&
	    s->bp[year - PRICE_FIRST_YEAR] != PRICE_NO_VALUE) {
		*bp = s->bp[year - PRICE_FIRST_YEAR];
		return 0;
	}
	*bp = b->default_bp;
	return 1;
}

static void price_assume(struct price_year *y, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Add an assumption once. */
static void price_assume(struct price_year *y, const char *fmt, ...)
{
	char text[PRICE_ASSUMPTION_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < y->nassumptions; i++)
		if (strcmp(y->assumptions[i], text) == 0)
			return;
	if (y->nassumptions < PRICE_MAX_ASSUMPTIONS)
		memcpy(y->assumptions[y->nassumptions++], text, sizeof(text));
}

/* The exact state of the price: annual x p / 10^(4e). */
struct price_state {
	mpz_t p;
	unsigned long e;
	int indexations;
	int32_t rate;
	int same_rate;
};

static void price_factor(struct price_state *s, int32_t rate)
{
	int64_t f = 10000 + (int64_t)rate;

	mpz_mul_ui(s->p, s->p, (unsigned long)(f < 0 ? 0 : f));
	s->e++;
}

/* The anniversary on day of a contract: its rate (and the assumption when an index's default). */
static int32_t price_rate(const struct price_contract *c, const struct price_basis *b, int32_t day, struct price_year *y)
{
	const struct procure_terms *t = c->t;
	int32_t v;
	int year = acyear_of(day);
	char a[8], r[16];

	switch (t->ix) {
	case PROCURE_IX_FIXED:
		return t->ix_bp;
	case PROCURE_IX_INDEX:
		if (price_index_bp(b, c->index != NULL ? c->index : "cpi", year, &v) != 0) {
			acyear_format(year, a, sizeof(a));
			price_format_bp(v, 0, r, sizeof(r));
			price_assume(y, "%s %s at the default %s", c->index != NULL ? c->index : "cpi", a, r);
		}
		return v + t->ix_bp;
	case PROCURE_IX_NONE:
		break;
	}
	return 0;
}

static void price_index(const struct price_contract *c, const struct price_basis *b, int32_t day,
			struct price_state *s, struct price_year *y)
{
	int32_t rate;

	if (c->t->ix == PROCURE_IX_NONE)
		return;                                  /* no indexation: the anniversary changes nothing */
	rate = price_rate(c, b, day, y);
	if (s->indexations > 0 && rate != s->rate)
		s->same_rate = 0;
	s->rate = rate;
	s->indexations++;
	price_factor(s, rate);
}

/* round(num / den), half away from zero, into *out: 0, or -1 when it does not fit. */
static int price_round(const mpz_t num, const mpz_t den, int64_t *out)
{
	mpz_t q, r;
	int rc = 0;

	mpz_init(q);
	mpz_init(r);
	mpz_tdiv_qr(q, r, num, den);
	mpz_mul_2exp(r, r, 1);
	if (mpz_cmpabs(r, den) >= 0) {
		if (mpz_sgn(num) * mpz_sgn(den) < 0)
			mpz_sub_ui(q, q, 1);
		else
			mpz_add_ui(q, q, 1);
	}
	if (mpz_sizeinbase(q, 2) > 62)
		rc = -1;
	else
		*out = (int64_t)mpz_get_si(q);
	mpz_clear(q);
	mpz_clear(r);
	return rc;
}

/* round(amount x num / (scale x 10^(4e))). */
static int price_apply(int64_t amount, const mpz_t num, unsigned long e, unsigned long scale, int64_t *out)
{
	mpz_t a, d;
	int rc;

	mpz_init(a);
	mpz_init(d);
	mpz_set_si(a, (long)amount);
	mpz_mul(a, a, num);
	mpz_ui_pow_ui(d, 10000, e);
	mpz_mul_ui(d, d, scale);
	rc = price_round(a, d, out);
	mpz_clear(a);
	mpz_clear(d);
	return rc;
}

/* The option whose term holds day (after the current end), or NULL. */
static const struct procure_option *price_option(const struct procure_dates *d, int32_t day)
{
	int32_t from = d->current_end;

	for (size_t i = 0; i < d->noptions; i++) {
		if (day > from && day <= d->options[i].extends_to)
			return &d->options[i];
		from = d->options[i].extends_to;
	}
	return NULL;
}

void price_contract_status(struct price_contract *c, const char *status, int32_t changed_on)
{
	const struct procure_terms *t = c->t;
	struct procure_dates d;
	int expired = status != NULL && strcmp(status, "expired") == 0;

	c->end = PRICE_RUNNING;
	c->ended_on = PROCURE_NO_DATE;
	if (!expired && (status == NULL || strcmp(status, "terminated") != 0))
		return;
	procure_dates(t, &d);
	if (t->auto_renew || d.current_end == PROCURE_NO_DATE)
		c->ended_on = changed_on;
	else
		c->ended_on = changed_on != PROCURE_NO_DATE && changed_on < d.current_end ? changed_on : d.current_end;
	if (c->ended_on != PROCURE_NO_DATE)
		c->end = expired ? PRICE_EXPIRED : PRICE_TERMINATED;
}

int price_year(const struct price_contract *c, const struct price_basis *b, int year, struct price_year *out)
{
	const struct procure_terms *t = c->t;
	struct procure_dates d;
	struct price_state s;
	mpz_t sum;                               /* the active months' factors, over 10^(4 se) */
	unsigned long se = 0;
	int32_t first = date_from_ymd(year, 9, 1), final, stop, anchor = t->start, next;
	int runs_on = t->auto_renew || t->end == PROCURE_NO_DATE, n = 1, rc = 0;
	char a[16], r[16];

	memset(out, 0, sizeof(*out));
	out->year = year;
	if (t->annual_pence < 0 || t->vat_pence < 0)
		return -1;
	procure_dates(t, &d);
	final = runs_on ? PROCURE_NO_DATE : d.final_end;
	if (c->end == PRICE_EXPIRED) {
		final = c->ended_on;             /* no option after it: re-procured from the next day */
		runs_on = 0;
	}
	stop = c->end == PRICE_TERMINATED ? c->ended_on : PROCURE_NO_DATE;
	mpz_init_set_ui(s.p, 1);
	s.e = 0;
	s.indexations = 0;
	s.rate = 0;
	s.same_rate = 1;
	mpz_init(sum);
	for (int m = 0; m < 12; m++) {
		int32_t day = date_add_months(first, m);
		struct price_step *st;
		const struct procure_option *o;

		if (day < t->start)
			continue;
		if (stop != PROCURE_NO_DATE && day > stop) {
			date_format(stop, a, sizeof(a));
			price_assume(out, "contract terminated on %s; no replacement recorded", a);
			continue;
		}
		if (!out->reprocured && final != PROCURE_NO_DATE && day > final) {
			int32_t rt = 0;
			int ry = acyear_of(final + 1);

			/* the anniversaries up to its end set its last price */
			while ((next = date_add_months(anchor, 12 * n)) <= final) {
				price_index(c, b, next, &s, out);
				n++;
			}
			if (b->retender_bp != NULL && ry >= PRICE_FIRST_YEAR && ry < PRICE_FIRST_YEAR + PRICE_YEARS)
				rt = b->retender_bp[ry - PRICE_FIRST_YEAR];
			price_factor(&s, rt);
			s.indexations = 0;
			s.same_rate = 1;
			out->reprocured = 1;
			out->reprocured_from = final + 1;
			anchor = final + 1;
			n = 1;
			if (c->end == PRICE_EXPIRED) {
				date_format(final, a, sizeof(a));
				price_assume(out, "contract expired on %s", a);
			}
			date_format(final + 1, a, sizeof(a));
			price_format_bp(rt, 1, r, sizeof(r));
			price_assume(out, "re-procured from %s at %s", a, r);
		}
		while ((next = date_add_months(anchor, 12 * n)) <= day) {
			price_index(c, b, next, &s, out);
			n++;
		}
		if (!runs_on && c->end == PRICE_RUNNING && !out->reprocured && (o = price_option(&d, day)) != NULL)
			price_assume(out, "option %d (%d month%s) taken", o->index, o->months, o->months == 1 ? "" : "s");
		/* the month's price joins the sum, over the same power of 10^4 */
		if (s.e > se) {
			mpz_t k;

			mpz_init(k);
			mpz_ui_pow_ui(k, 10000, s.e - se);
			mpz_mul(sum, sum, k);
			mpz_clear(k);
			se = s.e;
		}
		mpz_add(sum, sum, s.p);
		out->months++;
		st = out->nsteps > 0 ? &out->steps[out->nsteps - 1] : NULL;
		if (st == NULL || st->indexations != s.indexations || st->reprocured != out->reprocured) {
			if (out->nsteps == PRICE_MAX_STEPS) {
				rc = -1;                 /* cannot happen: at most an anniversary and a re-procurement a year */
				goto done;
			}
			st = &out->steps[out->nsteps++];
			st->from = day;
			st->indexations = s.indexations;
			st->rate_bp = s.rate;
			st->same_rate = s.same_rate;
			st->reprocured = out->reprocured;
			if (price_apply(t->annual_pence, s.p, s.e, 1, &st->annual_pence) != 0 ||
			    price_apply(t->vat_pence, s.p, s.e, 1, &st->annual_vat_pence) != 0) {
				rc = -1;
				goto done;
			}
		}
		st->months++;
	}
	if (price_apply(t->annual_pence, sum, se, 12, &out->net_pence) != 0 ||
	    price_apply(t->vat_pence, sum, se, 12, &out->vat_pence) != 0)
		rc = -1;
done:
	mpz_clear(s.p);
	mpz_clear(sum);
	return rc;
}

int price_entered_year(int64_t annual_pence, int64_t vat_pence, int from, const struct price_basis *b, int year,
		       struct price_year *out)
{
	struct price_state s;
	struct price_step *st;
	int rc = 0;
	char a[8], r[16];

	memset(out, 0, sizeof(*out));
	out->year = year;
	out->months = 12;
	if (annual_pence < 0 || vat_pence < 0)
		return -1;
	mpz_init_set_ui(s.p, 1);
	s.e = 0;
	s.indexations = 0;
	s.rate = 0;
	s.same_rate = 1;
	if (year > from) {
		acyear_format(from, a, sizeof(a));
		price_assume(out, "entered for %s, raised by cpi each year", a);
	}
	for (int y = from + 1; y <= year; y++) {
		int32_t v;

		if (price_index_bp(b, "cpi", y, &v) != 0) {
			acyear_format(y, a, sizeof(a));
			price_format_bp(v, 0, r, sizeof(r));
			price_assume(out, "cpi %s at the default %s", a, r);
		}
		if (s.indexations > 0 && v != s.rate)
			s.same_rate = 0;
		s.rate = v;
		s.indexations++;
		price_factor(&s, v);
	}
	st = &out->steps[out->nsteps++];
	st->months = 12;
	st->from = date_from_ymd(year, 9, 1);
	st->indexations = s.indexations;
	st->rate_bp = s.rate;
	st->same_rate = s.same_rate;
	if (price_apply(annual_pence, s.p, s.e, 1, &out->net_pence) != 0 ||
	    price_apply(vat_pence, s.p, s.e, 1, &out->vat_pence) != 0)
		rc = -1;
	st->annual_pence = out->net_pence;
	st->annual_vat_pence = out->vat_pence;
	mpz_clear(s.p);
	return rc;
}
