/* store_forecasts_read.c - saved forecast runs read back; see store_forecasts.h */
#include "store_forecasts.h"

#include <string.h>

#define READ_RUN_COLS \
	STORE_FORECAST_HEAD_COLS ", r.scenario_id AS _scenario_id, r.scenario_name AS _scenario_name, " \
	"r.scenario_version AS _scenario_version, r.token_id AS _token_id, r.role AS _role, " \
	"r.duration_us AS _duration_us, r.entities_json AS _entities, r.inputs_json AS _inputs"

static const char read_run_sql[] = "SELECT " READ_RUN_COLS " FROM forecast_runs r WHERE r.id = ?";
static const char read_years_sql[] =
	"SELECT entity, year, pupils, income_pence, expenditure_pence, internal_income_pence, "
	"internal_expenditure_pence, staff_pence, non_staff_pence, contingency_pence, central_charges_pence, "
	"kpi_income_pence, balance_pence, opening_pence, closing_pence, staff_bp, reserves_bp, balance_bp, "
	"staffing_json FROM forecast_years WHERE run_id = ? ORDER BY (entity = 'trust'), entity, year";
static const char *const read_year_cols[STORE_FY__N] = {
	[STORE_FY_ENTITY] = "entity", [STORE_FY_YEAR] = "year", [STORE_FY_PUPILS] = "pupils",
	[STORE_FY_INCOME] = "income_pence", [STORE_FY_EXP] = "expenditure_pence",
	[STORE_FY_IINC] = "internal_income_pence", [STORE_FY_IEXP] = "internal_expenditure_pence",
	[STORE_FY_STAFF] = "staff_pence", [STORE_FY_NONSTAFF] = "non_staff_pence",
	[STORE_FY_CONT] = "contingency_pence", [STORE_FY_CC] = "central_charges_pence",
	[STORE_FY_KPI] = "kpi_income_pence", [STORE_FY_BAL] = "balance_pence", [STORE_FY_OPEN] = "opening_pence",
	[STORE_FY_CLOSE] = "closing_pence", [STORE_FY_STAFF_BP] = "staff_bp", [STORE_FY_RES_BP] = "reserves_bp",
	[STORE_FY_BAL_BP] = "balance_bp", [STORE_FY_STAFFING] = "staffing_json",
};
static const char read_warnings_sql[] =
	"SELECT entity, year, code, message FROM forecast_warnings WHERE run_id = ? ORDER BY seq";
static const char *const read_warning_cols[STORE_FW__N] = {
	[STORE_FW_ENTITY] = "entity", [STORE_FW_YEAR] = "year", [STORE_FW_CODE] = "code",
	[STORE_FW_MESSAGE] = "message",
};
static const char read_names_sql[] = "SELECT urn, name FROM schools";
static const char *const read_name_cols[2] = { "urn", "name" };

void store_forecast_rows_free(struct store_forecast_rows *x)
{
	db_rows_free(x->run);
	db_rows_free(x->years);
	db_rows_free(x->warnings);
	db_rows_free(x->names);
	memset(x, 0, sizeof(*x));
}

int store_forecast_load(struct db *db, int64_t id, struct store_forecast_rows *x, struct problem *p)
{
	struct db_param prm = DBP_I64(id);

	memset(x, 0, sizeof(*x));
	if (db_query(db, read_run_sql, &prm, 1, &x->run, p) != 0)
		return -1;
	if (x->run->nrows == 0)
		return problem_not_found(p, "no forecast run with id %lld", (long long)id);
	if (db_query(db, read_years_sql, &prm, 1, &x->years, p) != 0 ||
	    db_query(db, read_warnings_sql, &prm, 1, &x->warnings, p) != 0 ||
	    db_query(db, read_names_sql, NULL, 0, &x->names, p) != 0 ||
	    db_columns(x->years, read_year_cols, STORE_FY__N, x->ycol, p) != 0 ||
	    db_columns(x->warnings, read_warning_cols, STORE_FW__N, x->wcol, p) != 0 ||
	    db_columns(x->names, read_name_cols, 2, x->ncol, p) != 0)
		return -1;
	return 0;
}

const char *store_forecast_name(const struct store_forecast_rows *x, const char *urn)
{
	for (size_t i = 0; i < x->names->nrows; i++)
		if (strcmp(db_cell(x->names, i, x->ncol[0]), urn) == 0)
			return db_cell(x->names, i, x->ncol[1]);
	return "";
}

static const char read_lines_sql[] =
	"SELECT year, lines_json FROM forecast_years WHERE run_id = ? AND entity = ? AND lines_json IS NOT NULL "
	"ORDER BY year";

int store_forecast_lines(struct db *db, int64_t id, const char *entity, struct db_rows **rows, struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(id), DBP_STR(entity) };

	return db_query(db, read_lines_sql, prm, 2, rows, p);
}

/* The run's visible columns as read_run_sql selects them. */
static const char read_head_sql[] = "SELECT " STORE_FORECAST_HEAD_COLS " FROM forecast_runs r WHERE r.id = ?";

cJSON *store_forecast_head(struct db *db, int64_t id, struct problem *p)
{
	struct db_param prm = DBP_I64(id);
	struct db_rows *rows = NULL;
	cJSON *o;

	if (db_query(db, read_head_sql, &prm, 1, &rows, p) != 0)
		return NULL;
	if (rows->nrows == 0 || (o = db_row_to_json(rows, 0)) == NULL) {
		db_rows_free(rows);
		problem_internal(p);
		return NULL;
	}
	db_rows_free(rows);
	return o;
}

#define READ_LIST_COLS \
	"r.id, r.label, r.notes, r.status, r.published_at, r.published_by, r.scenario_id, r.scenario_name, " \
	"r.scenario_version, CONCAT(r.base_year, '-', LPAD((r.base_year + 1) % 100, 2, '0')) AS base_year, " \
	"r.horizon, r.digest, r.role AS run_by_role, r.version, r.created_at, r.updated_at"

/* A business manager's list: published runs only, of every entity or of a set with one of theirs. */
static const char read_list_sql[] =
	"SELECT " READ_LIST_COLS " FROM forecast_runs r WHERE " STORE_KEYSET_WHERE("r")
	" AND (? IS NULL OR r.scenario_id = ?) AND (? IS NULL OR r.status = ?) AND (? = 0 OR r.status = 'published')"
	" AND (? IS NULL OR r.entities_json IS NULL OR JSON_OVERLAPS(r.entities_json, ?)) ORDER BY r.updated_at, r.id LIMIT ?";

int store_forecasts_list(struct db *db, const struct page *pg, const struct store_forecasts_filter *f,
			 struct db_rows **rows, struct problem *p)
{
	struct db_param extra[7] = {
		f->scenario_id > 0 ? DBP_I64(f->scenario_id) : DBP_NULL, f->scenario_id > 0 ? DBP_I64(f->scenario_id) : DBP_NULL,
		DBP_STR(f->status), DBP_STR(f->status), DBP_I64(f->published_only ? 1 : 0),
		DBP_STR(f->urns_json), DBP_STR(f->urns_json),
	};

	return store_list(db, read_list_sql, pg, extra, 7, rows, p);
}
