/* forecast_report.c - see forecast_report.h */
#include "forecast_report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "money.h"

enum { AC_INCOME = 1, AC_INTERNAL = 2, AC_STAFF = 4, AC_CONT = 8, AC_PASS = 16 };

struct fr {
	const struct forecast_input *in;
	const struct forecast_assumptions *a;
	struct forecast_result *r;
	int H;
	unsigned *acls;                          /* per account: AC_* */
	int nmodels;                             /* selected schools with a finance model */
	enum forecast_error kind;
	char *err;
	size_t errlen;
};

int forecast_warn(struct forecast_result *r, const char *urn, int year, const char *code, const char *fmt, ...)
{
	struct forecast_warning *w;
	va_list ap;

	if (r->nwarnings == r->capw) {
		size_t cap = r->capw ? r->capw * 2 : 32;
		struct forecast_warning *nw = realloc(r->warnings, cap * sizeof(*nw));

		if (nw == NULL)
			return -1;
		r->warnings = nw;
		r->capw = cap;
	}
	w = &r->warnings[r->nwarnings++];
	snprintf(w->urn, sizeof(w->urn), "%s", urn);
	w->year = year;
	snprintf(w->code, sizeof(w->code), "%s", code);
	va_start(ap, fmt);
	vsnprintf(w->message, sizeof(w->message), fmt, ap);
	va_end(ap);
	return 0;
}

static int fr_fail(struct fr *c, enum forecast_error kind, const char *what)
{
	if (c->kind == 0) {
		c->kind = kind;
		snprintf(c->err, c->errlen, "%s", what);
	}
	return -1;
}

static int fr_nomem(struct fr *c)
{
	return fr_fail(c, FORECAST_ERR_NOMEM, "out of memory");
}

static int fr_range(struct fr *c, const char *urn)
{
	char msg[64];

	snprintf(msg, sizeof(msg), "%s: amounts out of range", urn);
	return fr_fail(c, FORECAST_ERR_INPUT, msg);
}

#define fr_warn(c, ...) \
	((void)(forecast_warn((c)->r, __VA_ARGS__) != 0 && fr_nomem(c)))

static void fr_year(int y, char *buf, size_t len)
{
	acyear_format(y, buf, len);
}

static size_t fr_acc_index(const struct fr *c, const struct forecast_account *a)
{
	return (size_t)(a - c->in->accounts);
}

/* The selected entity with this URN (sorted by URN), or NULL. */
static const struct forecast_entity *fr_entity(const struct fr *c, const char *urn)
{
	size_t lo = 0, hi = c->r->nentities;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(c->r->entities[mid].in->urn, urn);

		if (d == 0)
			return &c->r->entities[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int fr_is_staff_group(const char *g)
{
	return strcmp(g, "teaching_staff") == 0 || strcmp(g, "support_staff") == 0 || strcmp(g, "other_staff") == 0;
}

/* ---- totals, reserves, KPIs ---- */

static int fr_total_add(const struct fr *c, struct forecast_totals *t, size_t ai, int64_t v)
{
	unsigned f = c->acls[ai];

	if (f & AC_INCOME)
		return money_add(t->income, v, &t->income) != 0 ||
		       ((f & AC_INTERNAL) && money_add(t->internal_income, v, &t->internal_income) != 0) ? -1 : 0;
	if (money_add(t->expenditure, v, &t->expenditure) != 0 ||
	    ((f & AC_INTERNAL) && money_add(t->internal_expenditure, v, &t->internal_expenditure) != 0) ||
	    ((f & AC_STAFF) && money_add(t->staff, v, &t->staff) != 0) ||
	    ((f & AC_CONT) && money_add(t->contingency, v, &t->contingency) != 0) ||
	    ((f & AC_PASS) && money_sub(t->kpi_income, v, &t->kpi_income) != 0))   /* income added later */
		return -1;
	return 0;
}

static int fr_total_finish(struct forecast_totals *t)
{
	int64_t ext;

	return money_sub(t->income, t->expenditure, &t->balance) != 0 ||
	       money_sub(t->expenditure, t->internal_expenditure, &ext) != 0 ||
	       money_sub(ext, t->staff, &t->non_staff) != 0 ||
	       money_sub(t->internal_expenditure, t->internal_income, &t->central_charges) != 0 ||
	       money_add(t->kpi_income, t->income, &t->kpi_income) != 0 ? -1 : 0;
}

static int fr_kpis(struct forecast_totals *t)
{
	if (t->kpi_income <= 0)
		return 0;
	t->has_kpis = 1;
	return money_muldiv_round(t->staff, 10000, t->kpi_income, &t->staff_bp) != 0 ||
	       money_muldiv_round(t->closing, 10000, t->kpi_income, &t->reserves_bp) != 0 ||
	       money_muldiv_round(t->balance, 10000, t->kpi_income, &t->balance_bp) != 0 ? -1 : 0;
}

static int fr_entity_totals(struct fr *c, struct forecast_entity *e)
{
	const struct forecast_entity_in *ei = e->in;

	memset(e->t, 0, sizeof(e->t));
	for (size_t j = 0; j < ei->nlines; j++) {
		if (fr_total_add(c, &e->t[0], fr_acc_index(c, e->base_accounts[j]), ei->lines[j].amount_pence) != 0)
			return fr_range(c, ei->urn);
	}
	for (size_t i = 0; i < e->nlines; i++) {
		const struct forecast_line *l = &e->lines[i];
		size_t ai = fr_acc_index(c, l->account);

		for (int k = l->origin == FO_POSTING ? l->k : 1; k <= c->H; k++) {
			if (fr_total_add(c, &e->t[k], ai, l->a[k]) != 0)
				return fr_range(c, ei->urn);
			if (l->origin == FO_POSTING)
				break;
		}
	}
	for (int k = 0; k <= c->H; k++) {
		struct forecast_totals *t = &e->t[k];

		t->pupils = e->n[k + 2];
		t->opening = k == 0 ? (ei->has_opening ? ei->opening_pence : 0) : e->t[k - 1].closing;
		if (fr_total_finish(t) != 0 || money_add(t->opening, t->balance, &t->closing) != 0 || fr_kpis(t) != 0)
			return fr_range(c, ei->urn);
	}
	return 0;
}

/* The trust: every selected entity with the internal codes dropped. */
static int fr_trust(struct fr *c)
{
	struct forecast_result *r = c->r;
	int64_t (*acc)[FORECAST_NY];
	size_t n = 0;

	memset(r->trust, 0, sizeof(r->trust));
	for (int k = 0; k <= c->H; k++) {
		struct forecast_totals *t = &r->trust[k];
		int any_pupils = 0;

		for (size_t i = 0; i < r->nentities; i++) {
			const struct forecast_totals *et = &r->entities[i].t[k];
			int64_t inc, exp;

			if (money_sub(et->income, et->internal_income, &inc) != 0 ||
			    money_sub(et->expenditure, et->internal_expenditure, &exp) != 0 ||
			    money_add(t->income, inc, &t->income) != 0 || money_add(t->expenditure, exp, &t->expenditure) != 0 ||
			    money_add(t->staff, et->staff, &t->staff) != 0 ||
			    money_add(t->contingency, et->contingency, &t->contingency) != 0 ||
			    money_add(t->opening, et->opening, &t->opening) != 0 ||
			    money_add(t->closing, et->closing, &t->closing) != 0)
				return fr_range(c, "trust");
			if (et->pupils >= 0) {
				t->pupils += et->pupils;
				any_pupils = 1;
			}
		}
		if (!any_pupils)
			t->pupils = FORECAST_NO_DATA;
		if (fr_total_finish(t) != 0 || fr_kpis(t) != 0)
			return fr_range(c, "trust");
	}
	if ((acc = calloc(c->in->naccounts + 1, sizeof(*acc))) == NULL)
		return fr_nomem(c);
	for (size_t i = 0; i < r->nentities; i++) {
		const struct forecast_entity *e = &r->entities[i];

		for (size_t j = 0; j < e->in->nlines; j++) {
			size_t ai = fr_acc_index(c, e->base_accounts[j]);

			if (!(c->acls[ai] & AC_INTERNAL) && money_add(acc[ai][0], e->in->lines[j].amount_pence, &acc[ai][0]) != 0)
				goto range;
		}
		for (size_t j = 0; j < e->nlines; j++) {
			const struct forecast_line *l = &e->lines[j];
			size_t ai = fr_acc_index(c, l->account);

			for (int k = 1; k <= c->H && !(c->acls[ai] & AC_INTERNAL); k++)
				if (money_add(acc[ai][k], l->a[k], &acc[ai][k]) != 0)
					goto range;
		}
	}
	for (size_t ai = 0; ai < c->in->naccounts; ai++)
		for (int k = 0; k <= c->H; k++)
			if (acc[ai][k] != 0) {
				n++;
				break;
			}
	if (n > 0 && (r->trust_lines = calloc(n, sizeof(*r->trust_lines))) == NULL) {
		free(acc);
		return fr_nomem(c);
	}
	for (size_t ai = 0; ai < c->in->naccounts; ai++)
		for (int k = 0; k <= c->H; k++)
			if (acc[ai][k] != 0) {
				r->trust_lines[r->ntrust_lines].account = &c->in->accounts[ai];
				memcpy(r->trust_lines[r->ntrust_lines++].a, acc[ai], sizeof(acc[ai]));
				break;
			}
	free(acc);
	return 0;
range:
	free(acc);
	return fr_range(c, "trust");
}

/* ---- warnings ---- */

/* 1234 bp -> "12.34%"; buf >= 24. */
static const char *fr_pct(int64_t bp, char *buf, size_t len)
{
	uint64_t a = bp < 0 ? (uint64_t)0 - (uint64_t)bp : (uint64_t)bp;

	snprintf(buf, len, "%s%llu.%02llu%%", bp < 0 ? "-" : "", (unsigned long long)(a / 100),
		 (unsigned long long)(a % 100));
	return buf;
}

static void fr_money_warnings(struct fr *c, const char *urn, const struct forecast_totals *t, int year, int reserves)
{
	char y[8], m1[40], m2[40], m3[40], p[24];

	fr_year(year, y, sizeof(y));
	if (t->balance < 0) {
		money_format_human(-t->balance, m1, sizeof(m1));
		money_format_human(t->income, m2, sizeof(m2));
		money_format_human(t->expenditure, m3, sizeof(m3));
		fr_warn(c, urn, year, "in_year_deficit", "%s: an in-year deficit of %s (income %s, expenditure %s)", y, m1,
			m2, m3);
	}
	if (!reserves || !t->has_kpis)
		return;
	money_format_human(t->closing, m1, sizeof(m1));
	if (t->reserves_bp < FORECAST_RESERVES_LOW_BP)
		fr_warn(c, urn, year, "reserves_low", "%s: closing reserves of %s are %s of income, below 5%%", y, m1,
			fr_pct(t->reserves_bp, p, sizeof(p)));
	else if (t->reserves_bp > FORECAST_RESERVES_HIGH_BP)
		fr_warn(c, urn, year, "reserves_high", "%s: closing reserves of %s are %s of income, above 20%%", y, m1,
			fr_pct(t->reserves_bp, p, sizeof(p)));
}

static void fr_warnings(struct fr *c)
{
	struct forecast_result *r = c->r;
	int32_t from = date_from_ymd(c->a->base_year, 9, 1), to = date_from_ymd(c->a->base_year + c->H + 1, 8, 31);
	int64_t net0 = 0;
	char y[8], d[16], m1[40];

	for (size_t i = 0; i < r->nentities; i++) {
		const struct forecast_entity *e = &r->entities[i];

		for (int k = 1; k <= c->H; k++) {
			int32_t was = e->n[k + 1], now = e->n[k + 2];

			fr_money_warnings(c, e->in->urn, &e->t[k], c->a->base_year + k, !e->in->is_central);
			if (was > 0 && now >= 0 && (int64_t)(was - now) * 10000 > (int64_t)FORECAST_PUPILS_FALL_BP * was) {
				int64_t fall = 0;
				char p[24];

				if (money_muldiv_round(was - now, 10000, was, &fall) != 0)
					fall = 0;
				fr_year(c->a->base_year + k, y, sizeof(y));
				fr_warn(c, e->in->urn, c->a->base_year + k, "pupils_falling",
					"%s: pupils fall from %d to %d (-%s), more than 5%% in a year", y, (int)was, (int)now,
					fr_pct(fall, p, sizeof(p)));
			}
		}
		net0 += e->t[0].internal_income - e->t[0].internal_expenditure;
	}
	if (net0 != 0 && c->nmodels > 0) {
		money_format_human(net0, m1, sizeof(m1));
		fr_year(c->a->base_year, y, sizeof(y));
		fr_warn(c, "trust", c->a->base_year, "base_internal_unbalanced",
			"%s: the base budgets' internal charges do not net to zero (%s): the trust's base-year "
			"balance is not the sum of the entities'", y, m1);
	}
	for (int k = 1; k <= c->H; k++)
		fr_money_warnings(c, "trust", &r->trust[k], c->a->base_year + k, 1);
	for (size_t i = 0; i < c->in->ncontracts; i++) {
		const struct forecast_contract *ct = &c->in->contracts[i];

		if (ct->auto_renew || ct->final_end == FORECAST_NO_DATE || ct->final_end < from || ct->final_end > to ||
		    ct->urn == NULL || fr_entity(c, ct->urn) == NULL)
			continue;
		date_format(ct->final_end, d, sizeof(d));
		fr_year(acyear_of(ct->final_end), y, sizeof(y));
		fr_warn(c, ct->urn, acyear_of(ct->final_end), "contract_ends",
			"contract %s ends on %s (%s) with every option used: it must be re-procured",
			ct->reference != NULL ? ct->reference : "?", d, y);
	}
}


int forecast_report(const struct forecast_input *in, struct forecast_result *r, enum forecast_error *kind, char *err,
		    size_t errlen)
{
	struct fr c = { .in = in, .a = in->a, .r = r, .H = in->a->horizon, .err = err, .errlen = errlen };
	int rc = -1;

	if ((c.acls = calloc(in->naccounts + 1, sizeof(*c.acls))) == NULL) {
		fr_nomem(&c);
		goto out;
	}
	for (size_t i = 0; i < in->naccounts; i++) {
		const struct forecast_account *a = &in->accounts[i];

		c.acls[i] = (a->is_income ? AC_INCOME : 0) | (a->is_internal ? AC_INTERNAL : 0) |
			    (!a->is_income && fr_is_staff_group(a->group) ? AC_STAFF : 0) |
			    (!a->is_income && strcmp(a->group, "contingency") == 0 ? AC_CONT : 0) |
			    (!a->is_income && (strcmp(a->code, BURSAR_ACC_POOLED) == 0 ||
					       strcmp(a->code, BURSAR_ACC_ALLOCATED) == 0) ? AC_PASS : 0);
	}
	for (size_t i = 0; i < r->nentities; i++) {
		const struct forecast_entity_in *e = r->entities[i].in;

		c.nmodels += !e->is_central && e->model != NULL && e->model[0] != '\0';
		if (fr_entity_totals(&c, &r->entities[i]) != 0)
			goto out;
	}
	if (fr_trust(&c) != 0)
		goto out;
	fr_warnings(&c);
	rc = c.kind ? -1 : 0;
out:
	free(c.acls);
	if (rc != 0 && kind != NULL)
		*kind = c.kind ? c.kind : FORECAST_ERR_NOMEM;
	return rc;
}
