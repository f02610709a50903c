/* run_scope.c - who sees what of a saved forecast run: the caller's scope, and
 * whether the caller may see the run (drafts: the finance director and auditors
 * only; a business manager a published run with one of her schools); see
 * run_scope.h. */
#include "run_scope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "store_schools.h"

/* ---- scope ---- */

int run_scope_get(struct req *r, struct run_scope *s, struct problem *p)
{
	struct db_rows *rows = NULL;
	size_t c[1];

	memset(s, 0, sizeof(*s));
	if (r->id.role != ROLE_BUSINESS_MANAGER) {
		s->all = 1;
		return 0;
	}
	/* her schools, a token's or a person's alike (the identity holds their ids) */
	if (r->id.nschools == 0)
		return 0;
	if (store_schools_named(r->db, r->id.schools, r->id.nschools, &rows, p) != 0)
		return -1;
	if (db_columns(rows, (const char *const[]){ "urn" }, 1, c, p) != 0) {
		db_rows_free(rows);
		return -1;
	}
	if ((s->urns = calloc(rows->nrows + 1, sizeof(*s->urns))) == NULL) {
		db_rows_free(rows);
		return problem_internal(p);
	}
	for (size_t i = 0; i < rows->nrows; i++)
		snprintf(s->urns[s->n++], sizeof(s->urns[0]), "%s", db_cell(rows, i, c[0]));
	db_rows_free(rows);
	return 0;
}

void run_scope_free(struct run_scope *s)
{
	free(s->urns);
	memset(s, 0, sizeof(*s));
}

int run_scope_in(const struct run_scope *s, const char *entity)
{
	if (s->all)
		return 1;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->urns[i], entity) == 0)
			return 1;
	return 0;
}

int run_scope_shows(const struct run_scope *s, const char *entity)
{
	return strcmp(entity, "trust") == 0 ? s->all : run_scope_in(s, entity);
}

int run_scope_allowed(const struct store_forecast_rows *x, const struct run_scope *s, int64_t id,
		      struct problem *p)
{
	const char *status = db_get(x->run, 0, "status");

	if (s->all)
		return 0;
	if (status == NULL || strcmp(status, "published") != 0)
		return problem_forbidden(p, "forecast run %lld is a draft: only the finance director and auditors "
					 "see it until it is published", (long long)id);
	for (size_t i = 0; i < x->years->nrows; i++) {
		const char *e = db_cell(x->years, i, x->ycol[STORE_FY_ENTITY]);

		if (strcmp(e, "trust") != 0 && run_scope_in(s, e))
			return 0;
	}
	return problem_forbidden(p, "forecast run %lld has none of your schools", (long long)id);
}
