/* budget_months.c - see budget_months.h */
#include "budget_months.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "computed.h"
#include "log.h"
#include "staff_lines.h"
#include "store_budgets.h"

static const int32_t budget_months_even[PROFILE_MONTHS] = { 834, 834, 834, 834, 833, 833, 833, 833,
							     833, 833, 833, 833 };

const char *budget_months_source_name(enum budget_months_source s)
{
	switch (s) {
	case BUDGET_MONTHS_LINE: return "line";
	case BUDGET_MONTHS_OWN: return "own";
	case BUDGET_MONTHS_POSTS: return "posts";
	default: return "account";
	}
}

/* 1 when m sums to want exactly. */
static int budget_months_sum_is(const int64_t m[PROFILE_MONTHS], int64_t want)
{
	int64_t sum = 0;

	for (int i = 0; i < PROFILE_MONTHS; i++)
		if (__builtin_add_overflow(sum, m[i], &sum))
			return 0;
	return sum == want;
}

int budget_months_line(const struct store_profile_book *book, const struct staff_costing *sc, const char *urn,
		       const struct budget_line *l, int64_t out[PROFILE_MONTHS], char name[PROFILE_NAME_MAX + 1],
		       enum budget_months_source *src)
{
	const struct store_profile *named = NULL;
	const int32_t *w = budget_months_even;
	const char *used = "even";
	enum budget_months_source from = BUDGET_MONTHS_ACCOUNT;
	int internal = l->account != NULL && l->account->is_internal;

	if (l->computed && !internal) {          /* a generated staff line */
		int64_t m[PROFILE_MONTHS];
		int found = l->has_months && budget_months_sum_is(l->months, l->amount_pence);

		if (found)
			memcpy(m, l->months, sizeof(m));
		else
			found = staff_lines_months(sc, urn, l, m);
		if (found) {
			memcpy(out, m, sizeof(m));
			if (name != NULL)
				snprintf(name, PROFILE_NAME_MAX + 1, "posts");
			if (src != NULL)
				*src = BUDGET_MONTHS_POSTS;
			return 0;
		}
	}
	if (l->has_weights) {
		w = l->weights;
		used = "own";
		from = BUDGET_MONTHS_OWN;
	} else if (l->profile[0] != '\0' && (named = store_profiles_find(book, l->profile)) != NULL) {
		w = named->w;
		used = named->name;
		from = BUDGET_MONTHS_LINE;
	} else if (l->account != NULL &&
		   (named = store_profiles_find(book, store_profiles_default(book, l->account->id))) != NULL) {
		w = named->w;
		used = named->name;
	}
	if (profile_split(l->amount_pence, w, out) != 0)
		return -1;
	if (name != NULL)
		snprintf(name, PROFILE_NAME_MAX + 1, "%s", used);
	if (src != NULL)
		*src = from;
	return 0;
}

void budget_months_free(struct year_months *ym)
{
	if (ym == NULL)
		return;
	for (size_t i = 0; i < ym->n; i++) {
		budget_clear(&ym->e[i].b);
		free(ym->e[i].months);
		free(ym->e[i].profile);
	}
	free(ym->e);
	free(ym->chart.accounts);
	memset(ym, 0, sizeof(*ym));
}

const struct entity_months *budget_months_entity(const struct year_months *ym, const char *urn)
{
	for (size_t i = 0; ym != NULL && urn != NULL && i < ym->n; i++)
		if (strcmp(ym->e[i].urn, urn) == 0)
			return &ym->e[i];
	return NULL;
}

/* e's stored lines (budget bid), then a draft's derived computed lines. */
static int budget_months_read(struct db *db, const struct computed_year *cy, int year, int64_t bid,
			      struct entity_months *e, const struct budget_chart *chart, struct problem *p)
{
	struct store_budget x = { 0 };
	struct store_budget_ref ref = { .urn = e->urn, .year_s = "", .year = year, .entity = e->b.entity };
	enum budget_entity kind = e->b.entity;

	x.id = bid;
	if (store_budget_read_lines(db, &ref, chart, &x, p) != 0) {
		store_budget_free(&x);
		return -1;
	}
	budget_clear(&e->b);
	e->b = x.b;                              /* moved: x.b's lines are e's now */
	e->b.entity = kind;
	memset(&x.b, 0, sizeof(x.b));
	store_budget_free(&x);
	if (strcmp(e->status, "draft") == 0 && computed_append(cy, e->urn, &e->b) != 0)
		return problem_internal(p);
	return 0;
}

/* Every line of e split. */
static int budget_months_split(const struct store_profile_book *book, const struct staff_costing *sc,
			       struct entity_months *e, struct problem *p)
{
	if (e->b.nlines == 0)
		return 0;
	if ((e->months = calloc(e->b.nlines, sizeof(*e->months))) == NULL ||
	    (e->profile = calloc(e->b.nlines, sizeof(*e->profile))) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < e->b.nlines; i++)
		if (budget_months_line(book, sc, e->urn, &e->b.lines[i], e->months[i], e->profile[i], NULL) != 0) {
			log_err("budget_months: %s line %zu of %lld pence cannot be split", e->urn, i,
				(long long)e->b.lines[i].amount_pence);
			return problem_internal(p);
		}
	return 0;
}

int budget_months_load(struct db *db, const struct plugins *ps, int year, struct year_months *ym,
		       struct problem *p)
{
	struct computed_year cy;
	struct store_profile_book book = { 0 };
	struct db_rows *ents = NULL, *sums = NULL;
	size_t ix[8];
	static const char *const cols[8] = { "urn", "name", "kind", "status", "version", "_bid", "_phase",
					     "finance_model" };
	int rc = -1;

	memset(ym, 0, sizeof(*ym));
	memset(&cy, 0, sizeof(cy));
	ym->year = year;
	if (store_budget_chart(db, &ym->chart, p) != 0 || store_profiles_book(db, &book, p) != 0 ||
	    store_budgets_trust(db, year, &ents, &sums, p) != 0 || db_columns(ents, cols, 8, ix, p) != 0 ||
	    computed_year_load(db, ps, year, &cy, p) != 0)
		goto out;
	if (ents->nrows > 0 && (ym->e = calloc(ents->nrows, sizeof(*ym->e))) == NULL) {
		problem_internal(p);
		goto out;
	}
	for (size_t i = 0; i < ents->nrows; i++) {
		struct entity_months *e = &ym->e[ym->n++];
		const char *status = db_cell(ents, i, ix[3]), *bid = db_cell(ents, i, ix[5]);

		snprintf(e->urn, sizeof(e->urn), "%s", db_cell(ents, i, ix[0]));
		snprintf(e->name, sizeof(e->name), "%s", db_cell(ents, i, ix[1]) != NULL ? db_cell(ents, i, ix[1]) : "");
		budget_init(&e->b, budget_entity_of(db_cell(ents, i, ix[2]), db_cell(ents, i, ix[6])), &ym->chart);
		if (bid == NULL)
			continue;
		e->has_budget = 1;
		snprintf(e->status, sizeof(e->status), "%s", status != NULL ? status : "");
		e->version = db_cell_i64(ents, i, ix[4]);
		if (budget_months_read(db, &cy, year, db_cell_i64(ents, i, ix[5]), e, &ym->chart, p) != 0 ||
		    budget_months_split(&book, &cy.staff, e, p) != 0)
			goto out;
	}
	rc = 0;
out:
	computed_year_free(&cy);
	db_rows_free(ents);
	db_rows_free(sums);
	store_profiles_book_free(&book);
	return rc;
}
