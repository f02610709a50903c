/* store_forecasts_save.c - a forecast run saved: its row, a row per entity and
 * year with the year's lines packed, its warnings, the audit row; see
 * store_forecasts.h. */
#include "store_forecasts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "forecast_explain.h"
#include "jsonout.h"

#define SAVE_TRUST_DESCRIPTION "consolidated: every entity, internal codes dropped"
#define SAVE_CHUNK 4000                        /* rows or lines per bulk INSERT (~1 MB) */

static const char run_insert_sql[] =
	"INSERT INTO forecast_runs (scenario_id, scenario_version, scenario_name, label, notes, base_year, horizon, "
	"entities_json, digest, inputs_json, token_id, role, duration_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
/* The results go in with bulk executions (db_exec_bulk): one prepared INSERT, a
 * batch of rows per round trip; a year's lines are one JSON array in lines_json
 * (schema/006). */
static const char years_insert_sql[] =
	"INSERT INTO forecast_years (run_id, entity, year, pupils, income_pence, expenditure_pence, "
	"internal_income_pence, internal_expenditure_pence, staff_pence, non_staff_pence, contingency_pence, "
	"central_charges_pence, kpi_income_pence, balance_pence, opening_pence, closing_pence, staff_bp, reserves_bp, "
	"balance_bp, lines_json, staffing_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
#define SAVE_YEAR_COLS 21
static const char warnings_insert_sql[] =
	"INSERT INTO forecast_warnings (run_id, seq, entity, year, code, message) VALUES (?, ?, ?, ?, ?, ?)";
#define SAVE_WARNING_COLS 6

/* A batch of rows for one bulk INSERT, with the strings it owns. */
struct save_batch {
	const char *sql;
	size_t ncols;
	struct db_param *prm;                    /* rows x ncols */
	size_t nrows, cap, weight;
	char **owned;                            /* printed JSON, one per row at most */
	size_t nowned;
};

static void save_batch_clear(struct save_batch *b)
{
	for (size_t i = 0; i < b->nowned; i++)
		cJSON_free(b->owned[i]);
	b->nrows = b->nowned = b->weight = 0;
}

static void save_batch_free(struct save_batch *b)
{
	save_batch_clear(b);
	free(b->prm);
	free(b->owned);
}

static int save_flush(struct db *db, struct save_batch *b, struct problem *p)
{
	int rc = db_exec_bulk(db, b->sql, b->prm, b->ncols, b->nrows, p);

	save_batch_clear(b);
	return rc;
}

/* Room for one more row: its parameters, to be filled by the caller. NULL when out of memory. */
static struct db_param *save_batch_row(struct save_batch *b)
{
	if (b->nrows == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		struct db_param *np = realloc(b->prm, cap * b->ncols * sizeof(*np));
		char **no = realloc(b->owned, cap * sizeof(*no));

		if (np != NULL)
			b->prm = np;
		if (no != NULL)
			b->owned = no;
		if (np == NULL || no == NULL)
			return NULL;
		b->cap = cap;
	}
	return &b->prm[b->nrows++ * b->ncols];
}

/* The row just added weighs `weight` (1, or its lines): flush every SAVE_CHUNK. */
static int save_batch_done(struct db *db, struct save_batch *b, size_t weight, struct problem *p)
{
	b->weight += weight > 0 ? weight : 1;
	return b->weight >= SAVE_CHUNK ? save_flush(db, b, p) : 0;
}

/* Append numbers and strings to a row array; a NULL string or FORECAST_NO_DATA count is null. */
static int save_num(cJSON *a, int64_t v)
{
	return cJSON_AddItemToArray(a, cJSON_CreateNumber(v));
}

static int save_str(cJSON *a, const char *s)
{
	return cJSON_AddItemToArray(a, s != NULL ? cJSON_CreateString(s) : cJSON_CreateNull());
}

/* A year row (years_insert_sql) into the batch; lines (taken over and
 * deleted) is its lines, or NULL (the base year); staffing its measures' JSON text (borrowed) or NULL. */
static int save_year_row(struct db *db, struct save_batch *b, int64_t run_id, const char *entity, int year,
		       const struct forecast_totals *t, cJSON *lines, size_t nlines, const char *staffing,
		       struct problem *p)
{
	char *text = lines != NULL ? jsonout_print(lines) : NULL;
	int printed = lines == NULL || text != NULL;
	struct db_param *r;

	cJSON_Delete(lines);
	if (!printed || (r = save_batch_row(b)) == NULL) {
		cJSON_free(text);
		return problem_internal(p);
	}
	if (text != NULL)
		b->owned[b->nowned++] = text;
	r[0] = DBP_I64(run_id);
	r[1] = DBP_STR(entity);
	r[2] = DBP_I64(year);
	r[3] = t->pupils >= 0 ? DBP_I64(t->pupils) : DBP_NULL;
	r[4] = DBP_I64(t->income);
	r[5] = DBP_I64(t->expenditure);
	r[6] = DBP_I64(t->internal_income);
	r[7] = DBP_I64(t->internal_expenditure);
	r[8] = DBP_I64(t->staff);
	r[9] = DBP_I64(t->non_staff);
	r[10] = DBP_I64(t->contingency);
	r[11] = DBP_I64(t->central_charges);
	r[12] = DBP_I64(t->kpi_income);
	r[13] = DBP_I64(t->balance);
	r[14] = DBP_I64(t->opening);
	r[15] = DBP_I64(t->closing);
	r[16] = t->has_kpis ? DBP_I64(t->staff_bp) : DBP_NULL;
	r[17] = t->has_kpis ? DBP_I64(t->reserves_bp) : DBP_NULL;
	r[18] = t->has_kpis ? DBP_I64(t->balance_bp) : DBP_NULL;
	r[19] = DBP_STR(text);
	r[20] = DBP_STR(staffing);
	return save_batch_done(db, b, nlines, p);
}

/* A description cut to 500 bytes at a character boundary (the view's column holds 500 characters). */
static void save_cut(char *dst, size_t len, const char *s)
{
	size_t n = strlen(s != NULL ? s : "");

	if (n >= len) {
		n = len - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(dst, s, n);
	dst[n] = '\0';
}

/* The driver as saved: "teacher_pay", "inflation:cpi". */
static void save_driver(const struct forecast_line *l, char *buf, size_t len)
{
	if (l->driver == FD_INFLATION)
		snprintf(buf, len, "inflation:%s", l->index_name);
	else
		snprintf(buf, len, "%s", forecast_driver_name(l->driver));
}

/* One element of lines_json: [line_no, code, description, driver, amount, explain, base]: base is
 * the line's amount in the base year (null for a finance rule's posting, which is of one year). */
static cJSON *save_line_row(const struct forecast_result *res, const struct forecast_entity *e,
			  const struct forecast_line *l, int k, int line_no)
{
	cJSON *a = cJSON_CreateArray(), *x = forecast_explain_json(res, e, l, k);
	char drv[48], desc[501];

	save_driver(l, drv, sizeof(drv));
	save_cut(desc, sizeof(desc), l->description);
	if (a == NULL || x == NULL || !save_num(a, line_no) || !save_str(a, l->account->code) || !save_str(a, desc) ||
	    !save_str(a, drv) || !save_num(a, l->a[k]) || !cJSON_AddItemToArray(a, x)) {
		cJSON_Delete(a);
		cJSON_Delete(x);
		return NULL;
	}
	if (!(l->origin == FO_POSTING ? save_str(a, NULL) : save_num(a, l->a[0]))) {
		cJSON_Delete(a);                 /* x with it */
		return NULL;
	}
	return a;
}

static cJSON *save_trust_row(const struct forecast_trust_line *t, int k, int line_no)
{
	cJSON *a = cJSON_CreateArray();

	if (a == NULL || !save_num(a, line_no) || !save_str(a, t->account->code) ||
	    !save_str(a, SAVE_TRUST_DESCRIPTION) || !save_str(a, "consolidated") || !save_num(a, t->a[k]) ||
	    !save_str(a, NULL) || !save_num(a, t->a[0])) {
		cJSON_Delete(a);
		return NULL;
	}
	return a;
}

/* The lines of entity e (NULL: the trust) in year k >= 1, as lines_json holds them; *n their count. */
static cJSON *save_year_lines(const struct forecast_result *res, const struct forecast_entity *e, int k, size_t *n)
{
	cJSON *lines = cJSON_CreateArray(), *row;
	size_t count = e != NULL ? e->nlines : res->ntrust_lines;
	int no = 0;

	*n = 0;
	for (size_t j = 0; lines != NULL && j < count; j++) {
		const struct forecast_line *l = e != NULL ? &e->lines[j] : NULL;

		if (l != NULL && l->origin == FO_POSTING && l->k != k)
			continue;
		row = l != NULL ? save_line_row(res, e, l, k, ++no) : save_trust_row(&res->trust_lines[j], k, ++no);
		if (row == NULL || !cJSON_AddItemToArray(lines, row)) {
			cJSON_Delete(row);
			cJSON_Delete(lines);
			return NULL;
		}
	}
	*n = (size_t)no;
	return lines;
}

static int save_rows(struct db *db, const struct store_forecast_run *run, int64_t run_id, struct problem *p)
{
	const struct forecast_result *res = run->res;
	struct save_batch yb = { .sql = years_insert_sql, .ncols = SAVE_YEAR_COLS },
			wb = { .sql = warnings_insert_sql, .ncols = SAVE_WARNING_COLS };
	int rc = -1;

	for (size_t i = 0; i <= res->nentities; i++) {
		const struct forecast_entity *e = i < res->nentities ? &res->entities[i] : NULL;

		for (int k = 0; k <= res->horizon; k++) {
			cJSON *lines = NULL;
			size_t n = 0;

			if (k > 0 && (lines = save_year_lines(res, e, k, &n)) == NULL) {
				problem_internal(p);
				goto out;
			}
			if (save_year_row(db, &yb, run_id, e != NULL ? e->in->urn : "trust", res->base_year + k,
					e != NULL ? &e->t[k] : &res->trust[k], lines, n,
					e != NULL ? store_forecast_run_staffing(run, i, k) : NULL, p) != 0)
				goto out;
		}
	}
	for (size_t i = 0; i < res->nwarnings; i++) {
		const struct forecast_warning *w = &res->warnings[i];
		struct db_param *r = save_batch_row(&wb);

		if (r == NULL) {
			problem_internal(p);
			goto out;
		}
		r[0] = DBP_I64(run_id);
		r[1] = DBP_I64((int64_t)i + 1);
		r[2] = DBP_STR(w->urn);
		r[3] = DBP_I64(w->year);
		r[4] = DBP_STR(w->code);
		r[5] = DBP_STR(w->message);
		if (save_batch_done(db, &wb, 1, p) != 0)
			goto out;
	}
	rc = save_flush(db, &yb, p) != 0 || save_flush(db, &wb, p) != 0 ? -1 : 0;
out:
	save_batch_free(&yb);
	save_batch_free(&wb);
	return rc;
}

const char *store_forecast_run_staffing(const struct store_forecast_run *run, size_t i, int k)
{
	return run->staffing != NULL && i < run->res->nentities && k >= 0 && k <= run->res->horizon
		? run->staffing[i * (size_t)(run->res->horizon + 1) + (size_t)k] : NULL;
}

int store_forecasts_save(struct db *db, const struct audit_actor *who, const struct store_forecast_run *run,
			 int64_t *run_id, struct problem *p)
{
	struct db_param prm[13] = {
		DBP_I64(run->scenario_id), DBP_I64(run->scenario_version), DBP_STR(run->scenario_name),
		DBP_STR(run->label), DBP_STR(run->notes != NULL ? run->notes : ""), DBP_I64(run->base_year), DBP_I64(run->horizon), DBP_STR(run->entities_text), DBP_STR(run->res->digest),
		DBP_STR(run->inputs_text), who->token_id > 0 ? DBP_I64(who->token_id) : DBP_NULL, DBP_STR(who->role),
		DBP_I64(run->duration_us > UINT32_MAX ? UINT32_MAX : run->duration_us),
	};
	uint64_t id = 0;
	char eid[24], y[8];
	cJSON *a;
	int rc;

	if (db_exec(db, run_insert_sql, prm, 13, NULL, &id, p) != 0)
		return -1;
	*run_id = (int64_t)id;
	if (save_rows(db, run, *run_id, p) != 0)
		return -1;
	acyear_format(run->base_year, y, sizeof(y));
	snprintf(eid, sizeof(eid), "%lld", (long long)*run_id);
	if ((a = cJSON_CreateObject()) == NULL || cJSON_AddNumberToObject(a, "id", (double)*run_id) == NULL ||
	    cJSON_AddNumberToObject(a, "scenario_id", (double)run->scenario_id) == NULL ||
	    cJSON_AddNumberToObject(a, "scenario_version", (double)run->scenario_version) == NULL ||
	    cJSON_AddStringToObject(a, "label", run->label) == NULL ||
	    cJSON_AddStringToObject(a, "notes", run->notes != NULL ? run->notes : "") == NULL ||
	    cJSON_AddStringToObject(a, "status", "draft") == NULL ||
	    cJSON_AddStringToObject(a, "base_year", y) == NULL ||
	    cJSON_AddNumberToObject(a, "horizon", run->horizon) == NULL ||
	    cJSON_AddStringToObject(a, "digest", run->res->digest) == NULL ||
	    cJSON_AddNumberToObject(a, "warnings", (int)run->res->nwarnings) == NULL) {
		cJSON_Delete(a);
		return problem_internal(p);
	}
	rc = audit_write(db, who, "run", "forecast", eid, NULL, a, p);
	cJSON_Delete(a);
	return rc;
}
