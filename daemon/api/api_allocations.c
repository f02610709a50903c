/*
 * api_allocations.c - the allocation of shared costs for a year: one service's
 * split between its subscribing schools, each share with its explanation and
 * the proof that the shares add up to the cost (GET /api/v1/services/{id}/
 * allocation), and the school × service matrix with row and column totals, as
 * JSON, CSV or XLSX (GET /api/v1/allocations). The arithmetic is service.c's and
 * alloc.c's; svcyear.c loads what it needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "api.h"
#include "csvcell.h"
#include "auth.h"
#include "date.h"
#include "export.h"
#include "money.h"
#include "store_services.h"
#include "svcyear.h"

/* Shares in URN order, then by subscription id. */
static int alloc_cmp(const void *a, const void *b)
{
	const struct service_sub *x = *(const struct service_sub *const *)a;
	const struct service_sub *y = *(const struct service_sub *const *)b;
	int c = strcmp(x->school->urn, y->school->urn);

	return c != 0 ? c : (x->id > y->id) - (x->id < y->id);
}

static cJSON *alloc_warnings(const struct svcyear_service *sv)
{
	cJSON *w = cJSON_CreateArray();
	char buf[300];

	if (w == NULL)
		return NULL;
	if (sv->alloc.nlacking > 0) {
		snprintf(buf, sizeof(buf), "%zu subscription%s of schools without the data the %s basis needs: "
			 "counted as 0", sv->alloc.nlacking, sv->alloc.nlacking == 1 ? "" : "s",
			 alloc_basis_names[sv->basis]);
		cJSON_AddItemToArray(w, cJSON_CreateString(buf));
	}
	if (sv->alloc.no_weight) {
		snprintf(buf, sizeof(buf), "nothing to split the cost by in %d-%02d (no subscribers, or every weight "
			 "is 0): it stays unallocated", sv->cost.year, (sv->cost.year + 1) % 100);
		cJSON_AddItemToArray(w, cJSON_CreateString(buf));
	}
	if (sv->core)
		cJSON_AddItemToArray(w, cJSON_CreateString("a core service: paid centrally from the central charge or "
							   "the pool; the shares show what each school receives, and "
							   "are not recharged"));
	return w;
}

int api_service_allocation(struct req *r, struct problem *p)
{
	struct svcyear sy;
	const struct svcyear_service *sv;
	const struct service_sub **order = NULL;
	int64_t id, others = 0;
	size_t nothers = 0;
	int year, rc = -1, partial = r->id.role == ROLE_BUSINESS_MANAGER, failed = 0;
	cJSON *o = NULL, *shares;
	int live;
	char y[8], ref[32];

	if (http_query_allow(r, (const char *const[]){ "year", NULL }, p) != 0 || api_path_id(r, "id", "service", &id, p) != 0 ||
	    api_year_query(r, &year, p) != 0)
		return -1;
	if ((live = store_service_live(r->db, id, p)) < 0)
		return -1;
	if (live == 0)
		return problem_not_found(p, "no service with id %lld", (long long)id);
	if (svcyear_load(r->db, svcyear_rates_of(r->cfg), year, id, 0, &sy, p) != 0)
		return -1;
	if (sy.nsvc != 1) {
		svcyear_free(&sy);
		return problem_not_found(p, "no service with id %lld", (long long)id);
	}
	sv = &sy.svc[0];
	if (sv->nsubs > 0 && (order = calloc(sv->nsubs, sizeof(*order))) == NULL)
		goto oom;
	for (size_t k = 0; k < sv->nsubs; k++)
		order[k] = &sy.subs[sv->first + k];
	if (sv->nsubs > 0)
		qsort(order, sv->nsubs, sizeof(*order), alloc_cmp);
	if ((o = cJSON_CreateObject()) == NULL)
		goto oom;
	acyear_format(year, y, sizeof(y));
	cJSON_AddNumberToObject(o, "service_id", id);
	cJSON_AddStringToObject(o, "name", sv->name);
	cJSON_AddStringToObject(o, "year", y);
	cJSON_AddStringToObject(o, "funding", sv->core ? "core" : "traded");
	cJSON_AddStringToObject(o, "basis", alloc_basis_names[sv->basis]);
	cJSON_AddItemToObject(o, "cost", svcyear_cost_json(&sv->cost, sv->has_contract ?
							    svcyear_contract_ref(sy.srows, sv->row, &r->id, ref, sizeof(ref)) : NULL));
	cJSON_AddNumberToObject(o, "total_pence", sv->alloc.cost_pence);
	cJSON_AddBoolToObject(o, "prorated", sv->alloc.prorated);
	cJSON_AddNumberToObject(o, "total_value", sv->alloc.total);
	cJSON_AddNumberToObject(o, "weight_total", sv->alloc.weight_total);
	shares = cJSON_AddArrayToObject(o, "shares");
	for (size_t k = 0; shares != NULL && k < sv->nsubs; k++) {
		size_t idx = (size_t)(order[k] - sy.subs);

		if (order[k]->months == 0)
			continue;
		/* a business manager sees their own schools' shares; the rest as one sum */
		if (partial && !identity_school_allowed(&r->id, (uint32_t)order[k]->school->id)) {
			others += order[k]->pence;
			nothers++;
			continue;
		}
		{
			cJSON *x = svcyear_share_json(&sy, sv, idx);

			if (x == NULL || !cJSON_AddItemToArray(shares, x)) {
				cJSON_Delete(x);
				failed = 1;
			}
		}
	}
	if (partial) {
		cJSON_AddNumberToObject(o, "other_schools_pence", others);
		cJSON_AddNumberToObject(o, "other_subscriptions", (int64_t)nothers);
	}
	cJSON_AddNumberToObject(o, "allocated_pence", sv->alloc.allocated_pence);
	cJSON_AddNumberToObject(o, "unallocated_pence", sv->alloc.unallocated_pence);
	/* the proof: the shares (and what could not be split) add up to the cost */
	cJSON_AddBoolToObject(o, "sum_matches", sv->alloc.allocated_pence + sv->alloc.unallocated_pence == sv->alloc.cost_pence);
	cJSON_AddItemToObject(o, "warnings", alloc_warnings(sv));
	if (shares == NULL || failed || cJSON_GetObjectItemCaseSensitive(o, "warnings") == NULL)
		goto oom;
	rc = api_reply_derived(r, 200, o, 0, p);
	goto out;
oom:
	rc = problem_internal(p);
out:
	cJSON_Delete(o);
	free(order);
	svcyear_free(&sy);
	return rc;
}

/* ---- the matrix ---- */

struct matrix_row {
	const struct svcyear_school *school;
	int64_t *cells;                          /* one per service */
	int64_t total, traded, core;
};

struct matrix {
	struct svcyear sy;
	struct matrix_row *rows;
	size_t nrows;
	int64_t *cells;                          /* nrows × nsvc */
	int64_t *col;                            /* column totals */
	int64_t total, traded, core, cost, unallocated;
};

static int matrix_row_cmp(const void *a, const void *b)
{
	const struct matrix_row *x = a, *y = b;

	return strcmp(x->school->s.urn, y->school->s.urn);
}

static void matrix_free(struct matrix *m)
{
	free(m->rows);
	free(m->cells);
	free(m->col);
	svcyear_free(&m->sy);
}

/* Every entity with a share in the year, by URN; the cells and both totals. */
static int matrix_build(struct matrix *m)
{
	struct svcyear *sy = &m->sy;
	size_t ns = sy->nsvc ? sy->nsvc : 1;
	size_t *rowof = NULL;

	if ((rowof = calloc(sy->nschools + 1, sizeof(*rowof))) == NULL ||
	    (m->rows = calloc(sy->nschools + 1, sizeof(*m->rows))) == NULL ||
	    (m->cells = calloc((sy->nschools + 1) * ns, sizeof(*m->cells))) == NULL ||
	    (m->col = calloc(ns, sizeof(*m->col))) == NULL) {
		free(rowof);
		return -1;
	}
	for (size_t v = 0; v < sy->nsvc; v++) {
		const struct svcyear_service *sv = &sy->svc[v];

		m->cost += sv->alloc.cost_pence;
		m->unallocated += sv->alloc.unallocated_pence;
		for (size_t k = sv->first; k < sv->first + sv->nsubs; k++) {
			const struct service_sub *s = &sy->subs[k];
			size_t si = (size_t)((const struct svcyear_school *)s->school - sy->schools);
			struct matrix_row *row;

			if (s->months == 0)
				continue;
			if (rowof[si] == 0) {
				rowof[si] = ++m->nrows;
				m->rows[m->nrows - 1].school = &sy->schools[si];
			}
			row = &m->rows[rowof[si] - 1];
			m->cells[(rowof[si] - 1) * ns + v] += s->pence;
			row->total += s->pence;
			*(sv->core ? &row->core : &row->traded) += s->pence;
			m->col[v] += s->pence;
		}
	}
	for (size_t i = 0; i < m->nrows; i++) {
		m->rows[i].cells = &m->cells[i * ns];
		m->total += m->rows[i].total;
		m->traded += m->rows[i].traded;
		m->core += m->rows[i].core;
	}
	/* sorting moves the rows, and with them their cell pointers */
	if (m->nrows > 1)
		qsort(m->rows, m->nrows, sizeof(*m->rows), matrix_row_cmp);
	free(rowof);
	return 0;
}

static cJSON *matrix_pence_array(const int64_t *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a != NULL && i < n; i++)
		if (!cJSON_AddItemToArray(a, cJSON_CreateNumber(v[i]))) {
			cJSON_Delete(a);
			return NULL;
		}
	return a;
}

static cJSON *matrix_json(const struct matrix *m)
{
	const struct svcyear *sy = &m->sy;
	cJSON *o = cJSON_CreateObject(), *svcs, *rows, *t;
	char y[8];

	if (o == NULL)
		return NULL;
	acyear_format(sy->year, y, sizeof(y));
	cJSON_AddStringToObject(o, "year", y);
	svcs = cJSON_AddArrayToObject(o, "services");
	for (size_t v = 0; svcs != NULL && v < sy->nsvc; v++) {
		const struct svcyear_service *sv = &sy->svc[v];
		cJSON *x = cJSON_CreateObject();

		cJSON_AddItemToArray(svcs, x);
		cJSON_AddNumberToObject(x, "id", sv->id);
		cJSON_AddStringToObject(x, "name", sv->name);
		cJSON_AddStringToObject(x, "funding", sv->core ? "core" : "traded");
		cJSON_AddStringToObject(x, "basis", alloc_basis_names[sv->basis]);
		cJSON_AddNumberToObject(x, "cost_pence", sv->alloc.cost_pence);
		cJSON_AddNumberToObject(x, "allocated_pence", m->col[v]);
		cJSON_AddNumberToObject(x, "unallocated_pence", sv->alloc.unallocated_pence);
		cJSON_AddItemToObject(x, "assumptions", svcyear_assumptions_json(&sv->cost));
	}
	rows = cJSON_AddArrayToObject(o, "schools");
	for (size_t i = 0; rows != NULL && i < m->nrows; i++) {
		const struct matrix_row *row = &m->rows[i];
		cJSON *x = cJSON_CreateObject();

		cJSON_AddItemToArray(rows, x);
		cJSON_AddStringToObject(x, "urn", row->school->s.urn);
		cJSON_AddStringToObject(x, "name", row->school->s.name);
		cJSON_AddItemToObject(x, "shares_pence", matrix_pence_array(row->cells, sy->nsvc));
		cJSON_AddNumberToObject(x, "total_pence", row->total);
		cJSON_AddNumberToObject(x, "traded_pence", row->traded);
		cJSON_AddNumberToObject(x, "core_pence", row->core);
	}
	t = cJSON_AddObjectToObject(o, "totals");
	cJSON_AddItemToObject(t, "shares_pence", matrix_pence_array(m->col, sy->nsvc));
	cJSON_AddNumberToObject(t, "total_pence", m->total);
	cJSON_AddNumberToObject(t, "traded_pence", m->traded);
	cJSON_AddNumberToObject(t, "core_pence", m->core);
	cJSON_AddNumberToObject(t, "cost_pence", m->cost);
	cJSON_AddNumberToObject(t, "unallocated_pence", m->unallocated);
	cJSON_AddBoolToObject(t, "sum_matches", m->total + m->unallocated == m->cost);
	if (svcs == NULL || rows == NULL || t == NULL || cJSON_GetObjectItemCaseSensitive(t, "sum_matches") == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* urn,school,<service>...,total,traded,core in pounds; then a total row (in XLSX its
 * cells are column sums holding the same figures). CSV or XLSX (export.h). */
static int matrix_sheet(struct req *r, const struct matrix *m, enum export_format fmt, struct problem *p)
{
	const struct svcyear *sy = &m->sy;
	size_t ncols = sy->nsvc + 5;
	struct table_col *cols = calloc(ncols, sizeof(*cols));
	struct export e;
	char y[8], title[64], stem[48], f[48], c[8];
	int rc = -1;

	if (cols == NULL)
		return problem_internal(p);
	cols[0] = (struct table_col){ "urn", TABLE_TEXT, 0, 9 };
	cols[1] = (struct table_col){ "school", TABLE_TEXT, 0, 40 };
	for (size_t v = 0; v < sy->nsvc; v++)
		cols[2 + v] = (struct table_col){ sy->svc[v].name, TABLE_PENCE, 0, 16 };
	cols[ncols - 3] = (struct table_col){ "total", TABLE_PENCE, 0, 16 };
	cols[ncols - 2] = (struct table_col){ "traded", TABLE_PENCE, 0, 16 };
	cols[ncols - 1] = (struct table_col){ "core", TABLE_PENCE, 0, 16 };
	acyear_format(sy->year, y, sizeof(y));
	snprintf(title, sizeof(title), "Allocations %s", y);
	snprintf(stem, sizeof(stem), "allocations-%s", y);
	if (export_begin(&e, fmt, 0, title, p) != 0)
		goto out;
	table_sheet(&e.t, "Allocations", cols, ncols, 0);
	for (size_t i = 0; i < m->nrows; i++) {
		table_row(&e.t, 0);
		table_text(&e.t, m->rows[i].school->s.urn);
		table_text(&e.t, m->rows[i].school->s.name);
		for (size_t v = 0; v < sy->nsvc; v++)
			table_num(&e.t, m->rows[i].cells[v]);
		table_num(&e.t, m->rows[i].total);
		table_num(&e.t, m->rows[i].traded);
		table_num(&e.t, m->rows[i].core);
	}
	table_row(&e.t, TABLE_ROW_BOLD);
	table_text(&e.t, "total");
	table_text(&e.t, "All schools");
	for (size_t k = 2; k < ncols; k++) {
		int64_t v = k - 2 < sy->nsvc ? m->col[k - 2] : k == ncols - 3 ? m->total : k == ncols - 2 ? m->traded : m->core;

		table_col_letter(k, c, sizeof(c));
		snprintf(f, sizeof(f), "=SUM(%s2:%s%zu)", c, c, m->nrows + 1);
		table_formula(&e.t, f, v);
	}
	rc = export_reply(r, &e, stem, NULL, p);
out:
	export_end(&e);
	free(cols);
	return rc;
}

int api_allocations_matrix(struct req *r, struct problem *p)
{
	struct matrix m;
	enum export_format fmt;
	int year, rc;
	cJSON *o;

	memset(&m, 0, sizeof(m));
	if (http_query_allow(r, (const char *const[]){ "year", NULL }, p) != 0 || api_year_query(r, &year, p) != 0 ||
	    svcyear_load(r->db, svcyear_rates_of(r->cfg), year, 0, 0, &m.sy, p) != 0)
		return -1;
	if (matrix_build(&m) != 0) {
		rc = problem_internal(p);
	} else if ((fmt = export_format(r)) != EXPORT_JSON) {
		rc = matrix_sheet(r, &m, fmt, p);
	} else if ((o = matrix_json(&m)) == NULL) {
		rc = problem_internal(p);
	} else {
		rc = api_reply_derived(r, 200, o, 0, p);
		cJSON_Delete(o);
	}
	matrix_free(&m);
	return rc;
}
