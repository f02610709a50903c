/*
 * api_forecasts_board.c - GET /api/v1/forecasts/{id}/summary: a saved run as a
 * board reads it (DESIGN.md "Runs are named and private until published"). For
 * each entity the caller sees (the schools by URN, then the central team, then
 * the trust), each year from the base year (as budgeted) on: income,
 * expenditure, in-year balance, closing reserves, reserves and staff costs as
 * basis points of income (null where the run has no KPIs), and the first year
 * of an in-year deficit and of negative reserves; the run's head; the warnings.
 * The figures are the run's saved totals (forecast_years), so they tie to GET
 * /forecasts/{id} to the penny.
 *
 * Accept: text/csv gives one row per entity x year (pounds 1234.56; the
 * percentages from bp as 12.34, empty when null); the XLSX type gives sheets
 * Summary (the CSV's rows), Reserves and In-year balance (entity rows x year
 * columns, with the first negative or deficit year) and Warnings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "date.h"
#include "export.h"
#include "run_scope.h"
#include "run_view.h"

#define BOARD_MAX_YEARS (FORECAST_MAX_HORIZON + 1)

/* Column c of row i of a run's years. */
#define BY(c) x->ycol[STORE_FY_##c]

/* One entity's rows [i0, i1) of x->years and its first bad years (0: none). */
struct board_entity {
	const char *entity;
	size_t i0, i1;
	int first_deficit, first_negative;
};

struct board {
	struct req *r;
	int64_t id;
	struct store_forecast_rows x;
	struct run_scope s;
	int base_year, years[BOARD_MAX_YEARS];
	size_t nyears;
	struct board_entity *e;
	size_t ne;
	/* the grid sheets' columns (a sheet borrows them until the next begins) */
	struct table_col grid[2][2 + BOARD_MAX_YEARS + 1];
	char ys[BOARD_MAX_YEARS][8];
};

static const char *board_kind(const char *entity)
{
	return strcmp(entity, "trust") == 0 ? "trust" : strcmp(entity, "central") == 0 ? "central" : "school";
}

static int64_t board_i64(const struct board *b, size_t i, size_t c)
{
	return db_cell_i64(b->x.years, i, c);
}

/* The visible entities, their rows and first bad years; the run's years. 0, or -1 (no memory). */
static int board_entities(struct board *b)
{
	const struct store_forecast_rows *x = &b->x;
	const struct db_rows *y = x->years;

	if ((b->e = calloc(y->nrows + 1, sizeof(*b->e))) == NULL)
		return -1;
	for (size_t i = 0, j; i < y->nrows; i = j) {
		const char *ent = db_cell(y, i, BY(ENTITY));
		struct board_entity *e;

		for (j = i + 1; j < y->nrows && strcmp(db_cell(y, j, BY(ENTITY)), ent) == 0; j++)
			;
		if (!run_scope_shows(&b->s, ent))
			continue;
		e = &b->e[b->ne++];
		*e = (struct board_entity){ .entity = ent, .i0 = i, .i1 = j };
		for (size_t k = i; k < j; k++) {
			int year = (int)board_i64(b, k, BY(YEAR));

			if (e->first_deficit == 0 && board_i64(b, k, BY(BAL)) < 0)
				e->first_deficit = year;
			if (e->first_negative == 0 && board_i64(b, k, BY(CLOSE)) < 0)
				e->first_negative = year;
		}
	}
	for (int k = 0; k <= (int)db_get_i64(x->run, 0, "horizon") && k < BOARD_MAX_YEARS; k++)
		b->years[b->nyears++] = b->base_year + k;
	return 0;
}

/* ---- JSON ---- */

static int board_year_or_null(cJSON *o, const char *k, int year)
{
	char ys[8];

	if (year == 0)
		return cJSON_AddNullToObject(o, k) != NULL;
	acyear_format(year, ys, sizeof(ys));
	return cJSON_AddStringToObject(o, k, ys) != NULL;
}

static int board_num(cJSON *o, const char *k, const struct db_rows *y, size_t i, size_t c)
{
	return (db_cell(y, i, c) != NULL ? cJSON_AddNumberToObject(o, k, (double)db_cell_i64(y, i, c))
					 : cJSON_AddNullToObject(o, k)) != NULL;
}

/* An entity's (not the trust's) staffing_metrics as saved (null: none). */
static int board_staffing(cJSON *yo, const char *entity, const char *saved)
{
	cJSON *m;

	if (strcmp(entity, "trust") == 0)
		return 1;
	if ((m = saved != NULL ? cJSON_Parse(saved) : cJSON_CreateNull()) == NULL ||
	    !cJSON_AddItemToObject(yo, "staffing_metrics", m)) {
		cJSON_Delete(m);
		return 0;
	}
	return 1;
}

static cJSON *board_entity_json(const struct board *b, const struct board_entity *e)
{
	const struct store_forecast_rows *x = &b->x;
	const struct db_rows *y = x->years;
	cJSON *o = cJSON_CreateObject(), *years, *yo;
	char ys[8];

	if (o == NULL || cJSON_AddStringToObject(o, "entity", e->entity) == NULL ||
	    cJSON_AddStringToObject(o, "name", run_view_name(x, e->entity)) == NULL ||
	    cJSON_AddStringToObject(o, "kind", board_kind(e->entity)) == NULL ||
	    !board_year_or_null(o, "first_deficit_year", e->first_deficit) ||
	    !board_year_or_null(o, "first_negative_reserves_year", e->first_negative) ||
	    (years = cJSON_AddArrayToObject(o, "years")) == NULL)
		goto fail;
	for (size_t i = e->i0; i < e->i1; i++) {
		int year = (int)db_cell_i64(y, i, BY(YEAR));

		acyear_format(year, ys, sizeof(ys));
		if ((yo = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(years, yo) ||
		    cJSON_AddStringToObject(yo, "year", ys) == NULL ||
		    cJSON_AddStringToObject(yo, "basis", year == b->base_year ? "budget" : "forecast") == NULL ||
		    !board_num(yo, "income_pence", y, i, BY(INCOME)) || !board_num(yo, "expenditure_pence", y, i, BY(EXP)) ||
		    !board_num(yo, "in_year_balance_pence", y, i, BY(BAL)) ||
		    !board_num(yo, "closing_reserves_pence", y, i, BY(CLOSE)) ||
		    !board_num(yo, "reserves_bp", y, i, BY(RES_BP)) || !board_num(yo, "staff_bp", y, i, BY(STAFF_BP)) ||
		    !board_staffing(yo, e->entity, db_cell(y, i, BY(STAFFING))))
			goto fail;
	}
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

/* Whether the caller sees warning row i (a business manager: her schools'). */
static int board_warning_shown(const struct board *b, size_t i)
{
	return b->s.all || run_scope_in(&b->s, db_cell(b->x.warnings, i, b->x.wcol[STORE_FW_ENTITY]));
}

static cJSON *board_json(struct board *b, struct problem *p)
{
	const struct store_forecast_rows *x = &b->x;
	const struct db_rows *w = x->warnings;
	cJSON *o = cJSON_CreateObject(), *head = NULL, *a, *it;
	char ys[8];

	if (o == NULL || (head = run_view_head(b->r, x, p)) == NULL || !cJSON_AddItemToObject(o, "run", head)) {
		cJSON_Delete(head);
		goto fail;
	}
	if ((a = cJSON_AddArrayToObject(o, "years")) == NULL)
		goto fail;
	for (size_t k = 0; k < b->nyears; k++) {
		acyear_format(b->years[k], ys, sizeof(ys));
		if (!cJSON_AddItemToArray(a, cJSON_CreateString(ys)))
			goto fail;
	}
	if ((a = cJSON_AddArrayToObject(o, "entities")) == NULL)
		goto fail;
	for (size_t i = 0; i < b->ne; i++)
		if ((it = board_entity_json(b, &b->e[i])) == NULL || !cJSON_AddItemToArray(a, it)) {
			cJSON_Delete(it);
			goto fail;
		}
	if ((a = cJSON_AddArrayToObject(o, "warnings")) == NULL)
		goto fail;
	for (size_t i = 0; i < w->nrows; i++) {
		int year = (int)db_cell_i64(w, i, x->wcol[STORE_FW_YEAR]);

		if (!board_warning_shown(b, i))
			continue;
		if ((it = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(a, it) ||
		    cJSON_AddStringToObject(it, "entity", db_cell(w, i, x->wcol[STORE_FW_ENTITY])) == NULL ||
		    !board_year_or_null(it, "year", year > 0 ? year : 0) ||
		    cJSON_AddStringToObject(it, "code", db_cell(w, i, x->wcol[STORE_FW_CODE])) == NULL ||
		    cJSON_AddStringToObject(it, "message", db_cell(w, i, x->wcol[STORE_FW_MESSAGE])) == NULL)
			goto fail;
	}
	return o;
fail:
	if (p->status == 0)
		problem_internal(p);
	cJSON_Delete(o);
	return NULL;
}

/* ---- CSV and XLSX ---- */

/* The summary's columns; the percentages as hundredths (bp / 100: 12.34) in CSV,
 * as percentages in XLSX; the FTE and the ratio (hundredths) as 12.34; the staffing
 * measures from the year's staffing_metrics (blank without). */
enum { BC_ENTITY, BC_NAME, BC_YEAR, BC_BASIS, BC_INCOME, BC_EXP, BC_BAL, BC_CLOSE, BC_RES, BC_STAFF, BC_TFTE, BC_PTR,
       BC_ATC, BC_TCP, BC__N };

#define BOARD_COLS(pct) { \
	[BC_ENTITY] = { "entity", TABLE_TEXT, 0, 9 }, [BC_NAME] = { "name", TABLE_TEXT, 0, 36 }, \
	[BC_YEAR] = { "year", TABLE_TEXT, 0, 9 }, [BC_BASIS] = { "basis", TABLE_TEXT, 0, 10 }, \
	[BC_INCOME] = { "income", TABLE_PENCE, 0, 0 }, [BC_EXP] = { "expenditure", TABLE_PENCE, 0, 0 }, \
	[BC_BAL] = { "in_year_balance", TABLE_PENCE, 0, 0 }, [BC_CLOSE] = { "closing_reserves", TABLE_PENCE, 0, 0 }, \
	[BC_RES] = { "reserves_pct", pct, 0, 0 }, [BC_STAFF] = { "staff_pct", pct, 0, 0 }, \
	[BC_TFTE] = { "teacher_fte", TABLE_PENCE, 0, 0 }, [BC_PTR] = { "pupil_teacher_ratio", TABLE_PENCE, 0, 0 }, \
	[BC_ATC] = { "average_teacher_cost", TABLE_PENCE, 0, 0 }, [BC_TCP] = { "teaching_cost_pct", pct, 0, 0 }, \
}

/* CSV: TABLE_PENCE writes n / 100 with two decimals, which is bp as a percentage. */
static const struct table_col board_csv_cols[BC__N] = BOARD_COLS(TABLE_PENCE);
static const struct table_col board_xlsx_cols[BC__N] = BOARD_COLS(TABLE_BP);

static void board_cell(struct table *t, const struct db_rows *y, size_t i, size_t c)
{
	if (db_cell(y, i, c) != NULL)
		table_num(t, db_cell_i64(y, i, c));
	else
		table_blank(t);
}

/* The measures' cells of a saved staffing_metrics (NULL: blanks). */
static void board_staffing_cells(struct table *t, const char *saved)
{
	static const char *const keys[] = { "teacher_fte_h", "pupil_teacher_ratio_h", "average_teacher_cost_pence",
					    "teaching_cost_bp" };
	cJSON *m = saved != NULL ? cJSON_Parse(saved) : NULL;

	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(m, keys[k]);

		if (cJSON_IsNumber(v))
			table_num(t, (int64_t)v->valuedouble);
		else
			table_blank(t);
	}
	cJSON_Delete(m);
}

static void board_summary_sheet(struct board *b, struct table *t, enum export_format fmt)
{
	const struct store_forecast_rows *x = &b->x;
	const struct db_rows *y = x->years;
	char ys[8];

	table_sheet(t, "Summary", fmt == EXPORT_CSV ? board_csv_cols : board_xlsx_cols, BC__N, 0);
	for (size_t k = 0; k < b->ne; k++) {
		const struct board_entity *e = &b->e[k];

		for (size_t i = e->i0; i < e->i1; i++) {
			int year = (int)db_cell_i64(y, i, BY(YEAR));

			acyear_format(year, ys, sizeof(ys));
			table_row(t, strcmp(e->entity, "trust") == 0 ? TABLE_ROW_BOLD : 0);
			table_text(t, e->entity);
			table_text(t, run_view_name(x, e->entity));
			table_text(t, ys);
			table_text(t, year == b->base_year ? "budget" : "forecast");
			board_cell(t, y, i, BY(INCOME));
			board_cell(t, y, i, BY(EXP));
			board_cell(t, y, i, BY(BAL));
			board_cell(t, y, i, BY(CLOSE));
			board_cell(t, y, i, BY(RES_BP));
			board_cell(t, y, i, BY(STAFF_BP));
			board_staffing_cells(t, db_cell(y, i, BY(STAFFING)));
		}
	}
}

/* A sheet of entity rows x year columns of one figure (column c of the years),
 * then the first year it is negative (first: which of the entity's). */
static void board_grid_sheet(struct board *b, struct table *t, const char *name, size_t c, const char *first_name,
			     int first_deficit)
{
	const struct store_forecast_rows *x = &b->x;
	struct table_col *cols = b->grid[first_deficit != 0];
	char fy[8];
	size_t n = 0;

	cols[n++] = (struct table_col){ "entity", TABLE_TEXT, 0, 9 };
	cols[n++] = (struct table_col){ "name", TABLE_TEXT, 0, 36 };
	for (size_t k = 0; k < b->nyears; k++) {
		acyear_format(b->years[k], b->ys[k], sizeof(b->ys[k]));
		cols[n++] = (struct table_col){ b->ys[k], TABLE_PENCE, 0, 0 };
	}
	cols[n++] = (struct table_col){ first_name, TABLE_TEXT, 0, 0 };
	table_sheet(t, name, cols, n, 0);
	for (size_t i = 0; i < b->ne; i++) {
		const struct board_entity *e = &b->e[i];
		int first = first_deficit ? e->first_deficit : e->first_negative;
		size_t row = e->i0;

		table_row(t, strcmp(e->entity, "trust") == 0 ? TABLE_ROW_BOLD : 0);
		table_text(t, e->entity);
		table_text(t, run_view_name(x, e->entity));
		for (size_t k = 0; k < b->nyears; k++) {
			if (row < e->i1 && db_cell_i64(x->years, row, BY(YEAR)) == b->years[k])
				board_cell(t, x->years, row++, c);
			else
				table_blank(t);
		}
		if (first != 0) {
			acyear_format(first, fy, sizeof(fy));
			table_text(t, fy);
		} else {
			table_blank(t);
		}
	}
}

static const struct table_col board_warning_cols[] = {
	{ "entity", TABLE_TEXT, 0, 9 }, { "name", TABLE_TEXT, 0, 36 }, { "year", TABLE_TEXT, 0, 9 },
	{ "code", TABLE_TEXT, 0, 20 }, { "message", TABLE_TEXT, 0, 100 },
};

static void board_warnings_sheet(struct board *b, struct table *t)
{
	const struct store_forecast_rows *x = &b->x;
	const struct db_rows *w = x->warnings;
	char ys[8];

	table_sheet(t, "Warnings", board_warning_cols, sizeof(board_warning_cols) / sizeof(board_warning_cols[0]), 0);
	for (size_t i = 0; i < w->nrows; i++) {
		const char *e = db_cell(w, i, x->wcol[STORE_FW_ENTITY]);
		int year = (int)db_cell_i64(w, i, x->wcol[STORE_FW_YEAR]);

		if (!board_warning_shown(b, i))
			continue;
		table_row(t, 0);
		table_text(t, e);
		table_text(t, e[0] != '\0' ? run_view_name(x, e) : "the run");
		if (year > 0) {
			acyear_format(year, ys, sizeof(ys));
			table_text(t, ys);
		} else {
			table_blank(t);
		}
		table_text(t, db_cell(w, i, x->wcol[STORE_FW_CODE]));
		table_text(t, db_cell(w, i, x->wcol[STORE_FW_MESSAGE]));
	}
}

static int board_sheets(struct board *b, enum export_format fmt, struct problem *p)
{
	struct export e = { 0 };
	char stem[48], title[64];
	int rc = -1;

	snprintf(stem, sizeof(stem), "forecast-%lld-summary", (long long)b->id);
	snprintf(title, sizeof(title), "Forecast run %lld: summary", (long long)b->id);
	if (export_begin(&e, fmt, 0, title, p) != 0)
		goto out;
	board_summary_sheet(b, &e.t, fmt);
	if (fmt == EXPORT_XLSX) {
		board_grid_sheet(b, &e.t, "Reserves", b->x.ycol[STORE_FY_CLOSE], "first_negative_reserves_year", 0);
		board_grid_sheet(b, &e.t, "In-year balance", b->x.ycol[STORE_FY_BAL], "first_deficit_year", 1);
		board_warnings_sheet(b, &e.t);
	}
	rc = export_reply(b->r, &e, stem, NULL, p);
out:
	export_end(&e);
	return rc;
}

int api_forecast_summary(struct req *r, struct problem *p)
{
	struct board b = { .r = r };
	enum export_format fmt = export_format(r);
	cJSON *o = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    api_path_id(r, "id", "forecast run", &b.id, p) != 0 || run_scope_get(r, &b.s, p) != 0)
		return -1;
	if (store_forecast_load(r->db, b.id, &b.x, p) != 0 || run_scope_allowed(&b.x, &b.s, b.id, p) != 0)
		goto out;
	if (acyear_parse(db_get(b.x.run, 0, "base_year"), &b.base_year) != 0 || board_entities(&b) != 0) {
		problem_internal(p);
		goto out;
	}
	if (fmt != EXPORT_JSON) {
		rc = board_sheets(&b, fmt, p);
		goto out;
	}
	if ((o = board_json(&b, p)) != NULL)
		rc = api_reply_derived(r, 200, o, db_get_i64(b.x.run, 0, "version"), p);
out:
	cJSON_Delete(o);
	free(b.e);
	store_forecast_rows_free(&b.x);
	run_scope_free(&b.s);
	return rc;
}
