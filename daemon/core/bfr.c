/* bfr.c - the BFR's lines per period from amounts per account; see bfr.h. */
#include "bfr.h"

#include <string.h>

#include "money.h"

int bfr_line_index(const struct bfr_map *m, int line_no)
{
	for (size_t i = 0; i < m->nlines; i++)
		if (m->lines[i].line_no == line_no)
			return (int)i;
	return -1;
}

static int bfr_has(const struct bfr_map *m, int line_no, enum bfr_section s, enum bfr_kind k)
{
	int i = bfr_line_index(m, line_no);

	return i >= 0 && m->lines[i].section == s && m->lines[i].kind == k;
}

const char *bfr_map_check(const struct bfr_map *m)
{
	if (m->nlines == 0 || m->nlines > BFR_MAX_LINES)
		return "there are no BFR lines, or too many";
	for (size_t i = 0; i < m->nlines; i++) {
		const struct bfr_line_def *l = &m->lines[i];

		for (size_t j = 0; j < i; j++)
			if (m->lines[j].line_no == l->line_no)
				return "a BFR line number is used twice";
		if (l->kind == BFR_KIND_LINE && l->section != BFR_SECTION_INCOME && l->section != BFR_SECTION_EXPENDITURE)
			return "an account line is outside income and expenditure";
		if (l->kind == BFR_KIND_TOTAL && l->line_no != BFR_LINE_INCOME_TOTAL &&
		    l->line_no != BFR_LINE_EXPENDITURE_TOTAL)
			return "a total other than 298 and 380";
		if ((l->kind == BFR_KIND_BALANCE && l->line_no != BFR_LINE_BALANCE) ||
		    (l->kind == BFR_KIND_PUPILS && l->line_no != BFR_LINE_PUPILS))
			return "a balance line other than 430, or a pupils line other than 999";
	}
	if (!bfr_has(m, BFR_LINE_INCOME_TOTAL, BFR_SECTION_INCOME, BFR_KIND_TOTAL) ||
	    !bfr_has(m, BFR_LINE_EXPENDITURE_TOTAL, BFR_SECTION_EXPENDITURE, BFR_KIND_TOTAL) ||
	    !bfr_has(m, BFR_LINE_BALANCE, BFR_SECTION_BALANCE, BFR_KIND_BALANCE) ||
	    !bfr_has(m, BFR_LINE_PUPILS, BFR_SECTION_PUPILS, BFR_KIND_PUPILS))
		return "lines 298, 380, 430 and 999 must be the totals, the balance and the pupils";
	if (!bfr_has(m, BFR_LINE_INTERNAL_INCOME, BFR_SECTION_INCOME, BFR_KIND_LINE) ||
	    !bfr_has(m, BFR_LINE_OTHER_INCOME, BFR_SECTION_INCOME, BFR_KIND_LINE) ||
	    !bfr_has(m, BFR_LINE_INTERNAL_EXPENDITURE, BFR_SECTION_EXPENDITURE, BFR_KIND_LINE) ||
	    !bfr_has(m, BFR_LINE_OTHER_COSTS, BFR_SECTION_EXPENDITURE, BFR_KIND_LINE))
		return "lines 220 and 297 must be income lines, 370 and 379 expenditure lines";
	return NULL;
}

/* The index of the line account a's amounts go on (the internal lines for an internal
 * code), or -1 for a line of the wrong section or none (then *fallback is set). */
static int bfr_account_target(const struct bfr_map *m, size_t a, int *fallback)
{
	const struct budget_account *acc = &m->chart->accounts[a];
	enum bfr_section want = acc->kind == BUDGET_INCOME ? BFR_SECTION_INCOME : BFR_SECTION_EXPENDITURE;
	int i;

	*fallback = 0;
	if (acc->is_internal)
		return bfr_line_index(m, acc->kind == BUDGET_INCOME ? BFR_LINE_INTERNAL_INCOME
								  : BFR_LINE_INTERNAL_EXPENDITURE);
	i = m->account_line[a] > 0 ? bfr_line_index(m, m->account_line[a]) : -1;
	if (i >= 0 && m->lines[i].kind == BFR_KIND_LINE && m->lines[i].section == want)
		return i;
	*fallback = 1;
	return bfr_line_index(m, acc->kind == BUDGET_INCOME ? BFR_LINE_OTHER_INCOME : BFR_LINE_OTHER_COSTS);
}

static void bfr_note_unmapped(struct bfr_unmapped *u, size_t a)
{
	if (u == NULL)
		return;
	for (size_t i = 0; i < u->n; i++)
		if (u->account[i] == a)
			return;
	if (u->n < BFR_MAX_LINES)
		u->account[u->n++] = a;
}

int bfr_compute(const struct bfr_map *m, size_t nperiods, const int64_t *amounts, const int32_t *pupils,
		int64_t opening, int drop_internal, int64_t *out, struct bfr_unmapped *u)
{
	const size_t na = m->chart->n, P = nperiods;
	int ii = bfr_line_index(m, BFR_LINE_INTERNAL_INCOME), ie = bfr_line_index(m, BFR_LINE_INTERNAL_EXPENDITURE);
	int ti = bfr_line_index(m, BFR_LINE_INCOME_TOTAL), te = bfr_line_index(m, BFR_LINE_EXPENDITURE_TOTAL);
	int bl = bfr_line_index(m, BFR_LINE_BALANCE), pl = bfr_line_index(m, BFR_LINE_PUPILS);
	int64_t run = opening;

	if (u != NULL)
		u->n = 0;
	if (P == 0 || P > BFR_MAX_PERIODS || bfr_map_check(m) != NULL)
		return -1;
	memset(out, 0, m->nlines * P * sizeof(*out));
	for (size_t k = 0; k < P; k++) {
		int64_t pass = 0, inc = 0, exp = 0;

		for (size_t a = 0; a < na; a++) {
			const struct budget_account *acc = &m->chart->accounts[a];
			int64_t v = amounts[k * na + a];
			int fb, l;

			if (v == 0 || (drop_internal && acc->is_internal))
				continue;
			l = bfr_account_target(m, a, &fb);
			if (fb)
				bfr_note_unmapped(u, a);
			if (money_add(out[(size_t)l * P + k], v, &out[(size_t)l * P + k]) != 0)
				return -1;
			if (acc->is_internal && acc->kind == BUDGET_EXPENDITURE && budget_is_pass_through_code(acc->code) &&
			    money_add(pass, v, &pass) != 0)
				return -1;
		}
		/* the pass-through GAG out of both internal lines (budget_net_pass_through) */
		if (money_sub(out[(size_t)ii * P + k], pass, &out[(size_t)ii * P + k]) != 0 ||
		    money_sub(out[(size_t)ie * P + k], pass, &out[(size_t)ie * P + k]) != 0)
			return -1;
		for (size_t l = 0; l < m->nlines; l++) {
			if (m->lines[l].kind != BFR_KIND_LINE)
				continue;
			if (money_add(m->lines[l].section == BFR_SECTION_INCOME ? inc : exp, out[l * P + k],
				      m->lines[l].section == BFR_SECTION_INCOME ? &inc : &exp) != 0)
				return -1;
		}
		out[(size_t)ti * P + k] = inc;
		out[(size_t)te * P + k] = exp;
		if (money_add(run, inc, &run) != 0 || money_sub(run, exp, &run) != 0)
			return -1;
		out[(size_t)bl * P + k] = run;
		out[(size_t)pl * P + k] = pupils != NULL && pupils[k] >= 0 ? pupils[k] : 0;
	}
	return 0;
}

int bfr_amounts_add(const struct bfr_map *m, size_t nperiods, int64_t *dst, const int64_t *src, int drop_internal)
{
	const size_t na = m->chart->n;

	for (size_t k = 0; k < nperiods; k++)
		for (size_t a = 0; a < na; a++) {
			if (drop_internal && m->chart->accounts[a].is_internal)
				continue;
			if (money_add(dst[k * na + a], src[k * na + a], &dst[k * na + a]) != 0)
				return -1;
		}
	return 0;
}

int bfr_split_year(const int64_t months[12], int64_t *sep_mar, int64_t *apr_aug)
{
	int64_t a = 0, b = 0;

	for (int i = 0; i < 12; i++)
		if (money_add(i < 7 ? a : b, months[i], i < 7 ? &a : &b) != 0)
			return -1;
	*sep_mar = a;
	*apr_aug = b;
	return 0;
}

int bfr_reserves_over(int64_t reserves, int64_t income)
{
	int64_t limit, rem;

	if (income <= 0)
		return reserves > 0;
	/* reserves > income * 20% exactly: income * 2000 / 10000 = limit + rem / 10000 with
	 * 0 <= rem < 10000, and a whole reserves exceeds that just when it exceeds limit */
	if (money_muldiv_floor(income, BFR_RESERVES_BP, 10000, &limit, &rem) != 0)
		return 0;
	return reserves > limit;
}

static const char *const bfr_sections[] = { "income", "expenditure", "balance", "pupils" };
static const char *const bfr_kinds[] = { "line", "total", "balance", "pupils" };

const char *bfr_section_name(enum bfr_section s)
{
	return (unsigned)s < 4 ? bfr_sections[s] : "";
}

const char *bfr_kind_name(enum bfr_kind k)
{
	return (unsigned)k < 4 ? bfr_kinds[k] : "";
}

int bfr_section_parse(const char *s, enum bfr_section *out)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, bfr_sections[i]) == 0) {
			*out = (enum bfr_section)i;
			return 0;
		}
	return -1;
}

int bfr_kind_parse(const char *s, enum bfr_kind *out)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, bfr_kinds[i]) == 0) {
			*out = (enum bfr_kind)i;
			return 0;
		}
	return -1;
}
