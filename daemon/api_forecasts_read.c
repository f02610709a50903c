/* api_forecasts_read.c - saved forecast runs read back: one run as JSON (every
 * entity, year and line, with each line's explanation rendered from its stored
 * data) or as CSV (entity x year x line), the list of runs, and two runs
 * compared. Business managers see their own schools only. */
#include "api_forecasts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "api.h"
#include "date.h"
#include "forecast_explain.h"
#include "jsonv.h"
#include "log.h"
#include "money.h"

/* ---- scope ---- */

static const char scope_sql[] =
	"SELECT s.urn FROM api_token_schools t JOIN schools s ON s.id = t.school_id WHERE t.token_id = ?";

int api_forecasts_scope(struct req *r, struct api_forecasts_scope *s, struct problem *p)
{
	struct db_param prm = DBP_I64(r->id.token_id);
	struct db_rows *rows = NULL;

	memset(s, 0, sizeof(*s));
	if (r->id.role != ROLE_BUSINESS_MANAGER) {
		s->all = 1;
		return 0;
	}
	if (db_query(r->db, scope_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if ((s->urns = calloc(rows->nrows + 1, sizeof(*s->urns))) == NULL) {
		db_rows_free(rows);
		return problem_internal(p);
	}
	for (size_t i = 0; i < rows->nrows; i++)
		snprintf(s->urns[s->n++], sizeof(s->urns[0]), "%s", db_cell(rows, i, 0));
	db_rows_free(rows);
	return 0;
}

void api_forecasts_scope_free(struct api_forecasts_scope *s)
{
	free(s->urns);
	memset(s, 0, sizeof(*s));
}

int api_forecasts_in_scope(const struct api_forecasts_scope *s, const char *entity)
{
	if (s->all)
		return 1;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->urns[i], entity) == 0)
			return 1;
	return 0;
}

/* ---- one run ---- */

#define RUN_COLS \
	"r.id, r.scenario_id AS _scenario_id, r.scenario_name AS _scenario_name, " \
	"r.scenario_version AS _scenario_version, CONCAT(r.base_year, '-', LPAD((r.base_year + 1) % 100, 2, '0')) AS " \
	"base_year, r.horizon, r.digest, r.token_id AS _token_id, r.role AS _role, r.duration_us AS _duration_us, " \
	"r.version, r.created_at, r.updated_at, r.entities_json AS _entities, r.inputs_json AS _inputs"

static const char run_sql[] = "SELECT " RUN_COLS " FROM forecast_runs r WHERE r.id = ?";
static const char run_years_sql[] =
	"SELECT entity, year, pupils, income_pence, expenditure_pence, internal_income_pence, "
	"internal_expenditure_pence, staff_pence, non_staff_pence, contingency_pence, central_charges_pence, "
	"kpi_income_pence, balance_pence, opening_pence, closing_pence, staff_bp, reserves_bp, balance_bp, "
	"IF(?, lines_json, NULL) FROM forecast_years WHERE run_id = ? ORDER BY (entity = 'trust'), entity, year";
enum { RY_ENTITY, RY_YEAR, RY_PUPILS, RY_INCOME, RY_EXP, RY_IINC, RY_IEXP, RY_STAFF, RY_NONSTAFF, RY_CONT, RY_CC,
       RY_KPI, RY_BAL, RY_OPEN, RY_CLOSE, RY_STAFF_BP, RY_RES_BP, RY_BAL_BP, RY_LINES };
/* An element of lines_json (schema/006): [line_no, code, description, driver, amount_pence, explain]. */
enum { RL_NO, RL_CODE, RL_DESC, RL_DRIVER, RL_AMOUNT, RL_X, RL__N };
static const char run_warnings_sql[] =
	"SELECT entity, year, code, message FROM forecast_warnings WHERE run_id = ? ORDER BY seq";
static const char names_sql[] = "SELECT urn, name FROM schools";

struct run_rows {
	struct db_rows *run, *years, *warnings, *names;
};

static void run_rows_free(struct run_rows *x)
{
	db_rows_free(x->run);
	db_rows_free(x->years);
	db_rows_free(x->warnings);
	db_rows_free(x->names);
	memset(x, 0, sizeof(*x));
}

/* Load a run's rows: 404 when there is none. with_lines: the lines too. */
static int run_rows_load(struct req *r, int64_t id, int with_lines, struct run_rows *x, struct problem *p)
{
	struct db_param prm = DBP_I64(id), yp[2] = { DBP_I64(with_lines != 0), DBP_I64(id) };

	memset(x, 0, sizeof(*x));
	if (db_query(r->db, run_sql, &prm, 1, &x->run, p) != 0)
		return -1;
	if (x->run->nrows == 0)
		return problem_not_found(p, "no forecast run with id %lld", (long long)id);
	if (db_query(r->db, run_years_sql, yp, 2, &x->years, p) != 0 ||
	    db_query(r->db, run_warnings_sql, &prm, 1, &x->warnings, p) != 0 ||
	    db_query(r->db, names_sql, NULL, 0, &x->names, p) != 0)
		return -1;
	return 0;
}

static const char *run_name(const struct run_rows *x, const char *entity)
{
	if (strcmp(entity, "trust") == 0)
		return "the trust, consolidated";
	for (size_t i = 0; i < x->names->nrows; i++)
		if (strcmp(db_cell(x->names, i, 0), entity) == 0)
			return db_cell(x->names, i, 1);
	return "";
}

static int add_i64(cJSON *o, const char *k, const struct db_rows *rows, size_t i, size_t c)
{
	return (db_cell(rows, i, c) != NULL ? cJSON_AddNumberToObject(o, k, db_cell_i64(rows, i, c))
					    : cJSON_AddNullToObject(o, k)) != NULL;
}

static cJSON *run_year_json(const struct db_rows *y, size_t i, int base_year)
{
	cJSON *o = cJSON_CreateObject(), *k;
	char ys[8];
	int year = (int)db_cell_i64(y, i, RY_YEAR);

	acyear_format(year, ys, sizeof(ys));
	if (o == NULL || cJSON_AddStringToObject(o, "year", ys) == NULL ||
	    cJSON_AddStringToObject(o, "basis", year == base_year ? "budget" : "forecast") == NULL ||
	    !add_i64(o, "pupils", y, i, RY_PUPILS) || !add_i64(o, "income_pence", y, i, RY_INCOME) ||
	    !add_i64(o, "expenditure_pence", y, i, RY_EXP) || !add_i64(o, "in_year_balance_pence", y, i, RY_BAL) ||
	    !add_i64(o, "internal_income_pence", y, i, RY_IINC) ||
	    !add_i64(o, "internal_expenditure_pence", y, i, RY_IEXP) || !add_i64(o, "staff_pence", y, i, RY_STAFF) ||
	    !add_i64(o, "non_staff_pence", y, i, RY_NONSTAFF) || !add_i64(o, "contingency_pence", y, i, RY_CONT) ||
	    !add_i64(o, "central_charges_pence", y, i, RY_CC) || !add_i64(o, "opening_reserves_pence", y, i, RY_OPEN) ||
	    !add_i64(o, "closing_reserves_pence", y, i, RY_CLOSE) || (k = cJSON_AddObjectToObject(o, "kpis")) == NULL ||
	    !add_i64(k, "income_pence", y, i, RY_KPI) || !add_i64(k, "staff_costs_bp", y, i, RY_STAFF_BP) ||
	    !add_i64(k, "reserves_bp", y, i, RY_RES_BP) || !add_i64(k, "in_year_balance_bp", y, i, RY_BAL_BP)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* One saved line (an element of lines_json) as the API renders it; NULL when it is
 * not one (the stored data does not parse) or out of memory. */
static cJSON *run_line_json(const cJSON *l, int with_data)
{
	const cJSON *f[RL__N];
	cJSON *o = NULL, *x;
	char *text = NULL;
	int64_t no, amount;
	int ok;

	for (int i = 0; i < RL__N; i++)
		f[i] = cJSON_GetArrayItem(l, i);
	if (jsonv_int(f[RL_NO], &no) != 0 || jsonv_int(f[RL_AMOUNT], &amount) != 0 || !cJSON_IsString(f[RL_CODE]) ||
	    !cJSON_IsString(f[RL_DESC]) || !cJSON_IsString(f[RL_DRIVER]) || f[RL_X] == NULL)
		return NULL;
	x = (cJSON *)f[RL_X];
	if (cJSON_IsObject(x))
		text = forecast_explain_text(f[RL_CODE]->valuestring, amount, x);
	ok = (o = cJSON_CreateObject()) != NULL && cJSON_AddNumberToObject(o, "line_no", no) != NULL &&
	     cJSON_AddStringToObject(o, "account_code", f[RL_CODE]->valuestring) != NULL &&
	     cJSON_AddStringToObject(o, "description", f[RL_DESC]->valuestring) != NULL &&
	     cJSON_AddStringToObject(o, "driver", f[RL_DRIVER]->valuestring) != NULL &&
	     cJSON_AddNumberToObject(o, "amount_pence", amount) != NULL &&
	     (text != NULL ? cJSON_AddStringToObject(o, "explanation", text)
			   : cJSON_AddNullToObject(o, "explanation")) != NULL;
	free(text);
	if (ok && with_data) {
		cJSON *copy = cJSON_IsObject(x) ? cJSON_Duplicate(x, 1) : cJSON_CreateNull();

		if (!(ok = copy != NULL && cJSON_AddItemToObject(o, "explain", copy)))
			cJSON_Delete(copy);
	}
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* A year's lines from its lines_json into lines. 0, or -1 (logged): the stored
 * lines do not parse, or out of memory. */
static int run_year_lines(const char *stored, int with_data, cJSON *lines, int64_t run, const char *entity, int year)
{
	cJSON *all = stored != NULL ? cJSON_ParseWithLengthOpts(stored, strlen(stored), NULL, 0) : NULL;
	const cJSON *l;
	int rc = 0;

	if (stored != NULL && !cJSON_IsArray(all))
		rc = -1;
	cJSON_ArrayForEach(l, all) {
		cJSON *lo = rc == 0 ? run_line_json(l, with_data) : NULL;

		if (lo == NULL || !cJSON_AddItemToArray(lines, lo)) {
			cJSON_Delete(lo);
			rc = -1;
			break;
		}
	}
	if (rc != 0)
		log_err("forecasts: run %lld: the stored lines of %s in %d do not parse", (long long)run, entity, year);
	cJSON_Delete(all);
	return rc;
}

/* The run's summary fields. */
static cJSON *run_head_json(const struct run_rows *x)
{
	cJSON *o = db_row_to_json(x->run, 0), *s, *by;
	const struct db_rows *rr = x->run;
	const char *ents = db_cell(rr, 0, (size_t)db_col_index(rr, "_entities"));
	const char *inputs = db_cell(rr, 0, (size_t)db_col_index(rr, "_inputs"));
	cJSON *in = inputs != NULL ? cJSON_Parse(inputs) : NULL, *v;

	if (o == NULL || (s = cJSON_AddObjectToObject(o, "scenario")) == NULL ||
	    !add_i64(s, "id", rr, 0, (size_t)db_col_index(rr, "_scenario_id")) ||
	    cJSON_AddStringToObject(s, "name", db_cell(rr, 0, (size_t)db_col_index(rr, "_scenario_name"))) == NULL ||
	    !add_i64(s, "version", rr, 0, (size_t)db_col_index(rr, "_scenario_version")) ||
	    (by = cJSON_AddObjectToObject(o, "run_by")) == NULL ||
	    !add_i64(by, "token_id", rr, 0, (size_t)db_col_index(rr, "_token_id")) ||
	    cJSON_AddStringToObject(by, "role", db_cell(rr, 0, (size_t)db_col_index(rr, "_role"))) == NULL ||
	    !add_i64(o, "engine_us", rr, 0, (size_t)db_col_index(rr, "_duration_us")))
		goto fail;
	v = ents != NULL ? cJSON_Parse(ents) : cJSON_CreateNull();
	if (v == NULL || !cJSON_AddItemToObject(o, "entities_requested", v)) {
		cJSON_Delete(v);
		goto fail;
	}
	v = in != NULL ? cJSON_DetachItemFromObjectCaseSensitive(in, "plugins") : NULL;
	if (v == NULL)
		v = cJSON_CreateArray();
	if (v == NULL || !cJSON_AddItemToObject(o, "plugins", v)) {
		cJSON_Delete(v);
		goto fail;
	}
	v = in != NULL ? cJSON_DetachItemFromObjectCaseSensitive(in, "services") : NULL;
	if (v != NULL && !cJSON_AddItemToObject(o, "services", v)) {
		cJSON_Delete(v);
		goto fail;
	}
	cJSON_Delete(in);
	return o;
fail:
	cJSON_Delete(in);
	cJSON_Delete(o);
	return NULL;
}

cJSON *api_forecasts_run_json(struct req *r, int64_t id, const struct api_forecasts_scope *s, int with_lines,
			      int with_data, struct problem *p)
{
	struct run_rows x;
	cJSON *o = NULL, *ents, *ent = NULL, *years = NULL, *trust = NULL, *w, *yo, *lines;
	const char *cur = NULL;
	size_t nseen = 0;
	int base_year;

	if (run_rows_load(r, id, with_lines, &x, p) != 0)
		goto fail_quiet;
	if (acyear_parse(db_cell(x.run, 0, (size_t)db_col_index(x.run, "base_year")), &base_year) != 0 ||
	    (o = run_head_json(&x)) == NULL || (ents = cJSON_AddArrayToObject(o, "entities")) == NULL)
		goto oom;
	for (size_t i = 0; i < x.years->nrows; i++) {
		const char *e = db_cell(x.years, i, RY_ENTITY);
		int is_trust = strcmp(e, "trust") == 0;
		int year = (int)db_cell_i64(x.years, i, RY_YEAR);

		if (!(is_trust ? s->all : api_forecasts_in_scope(s, e)))
			continue;
		if (cur == NULL || strcmp(cur, e) != 0) {
			cur = e;
			if (is_trust) {
				if ((trust = cJSON_AddObjectToObject(o, "trust")) == NULL ||
				    (years = cJSON_AddArrayToObject(trust, "years")) == NULL)
					goto oom;
			} else {
				nseen++;
				if ((ent = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(ents, ent) ||
				    cJSON_AddStringToObject(ent, "urn", e) == NULL ||
				    cJSON_AddStringToObject(ent, "name", run_name(&x, e)) == NULL ||
				    (years = cJSON_AddArrayToObject(ent, "years")) == NULL)
					goto oom;
			}
		}
		if ((yo = run_year_json(x.years, i, base_year)) == NULL || !cJSON_AddItemToArray(years, yo)) {
			cJSON_Delete(yo);
			goto oom;
		}
		if (year == base_year || !with_lines)
			continue;
		if ((lines = cJSON_AddArrayToObject(yo, "lines")) == NULL)
			goto oom;
		if (run_year_lines(db_cell(x.years, i, RY_LINES), with_data, lines, id, e, year) != 0) {
			problem_internal(p);
			goto fail;
		}
	}
	if (!s->all && nseen == 0) {
		problem_forbidden(p, "forecast run %lld has none of your schools", (long long)id);
		goto fail;
	}
	if (trust == NULL && s->all && cJSON_AddNullToObject(o, "trust") == NULL)
		goto oom;
	if ((w = cJSON_AddArrayToObject(o, "warnings")) == NULL)
		goto oom;
	for (size_t i = 0; i < x.warnings->nrows; i++) {
		const char *e = db_cell(x.warnings, i, 0);
		cJSON *wo;
		char ys[8];
		int year = (int)db_cell_i64(x.warnings, i, 1);

		if (!s->all && !api_forecasts_in_scope(s, e))
			continue;
		acyear_format(year, ys, sizeof(ys));
		if ((wo = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(w, wo) ||
		    cJSON_AddStringToObject(wo, "entity", e) == NULL ||
		    (year > 0 ? cJSON_AddStringToObject(wo, "year", ys) : cJSON_AddNullToObject(wo, "year")) == NULL ||
		    cJSON_AddStringToObject(wo, "code", db_cell(x.warnings, i, 2)) == NULL ||
		    cJSON_AddStringToObject(wo, "message", db_cell(x.warnings, i, 3)) == NULL)
			goto oom;
	}
	run_rows_free(&x);
	return o;
oom:
	log_err("forecasts: out of memory rendering run %lld", (long long)id);
	problem_internal(p);
fail:
	cJSON_Delete(o);
fail_quiet:
	run_rows_free(&x);
	return NULL;
}

/* ---- handlers ---- */

/* A positive integer id (what: "forecast run", "scenario"); a field error otherwise. */
static int run_id_param(const char *s, const char *field, const char *what, int64_t *id, struct problem *p)
{
	char *end;
	long long v = s != NULL ? strtoll(s, &end, 10) : 0;

	if (s == NULL || *s < '1' || *s > '9' || *end != '\0' || v <= 0 || v > UINT32_MAX) {
		problem_field(p, field, "must be a %s id (a positive integer)", what);
		return -1;
	}
	*id = v;
	return 0;
}

/* A CSV text field, always quoted. */
static void csv_text(struct evbuffer *b, const char *s)
{
	evbuffer_add(b, "\"", 1);
	for (const char *c = s != NULL ? s : ""; *c != '\0'; c++)
		evbuffer_add(b, *c == '"' ? "\"\"" : c, *c == '"' ? 2 : 1);
	evbuffer_add(b, "\"", 1);
}

static const char *csv_get(const cJSON *o, const char *k)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

/* One entity's lines: entity, name, year, line_no, account_code, description, driver,
 * amount (pounds), explanation. */
static void csv_entity(struct evbuffer *b, const char *urn, const char *name, const cJSON *ent)
{
	const cJSON *y, *l;
	char amount[32];

	cJSON_ArrayForEach(y, cJSON_GetObjectItemCaseSensitive(ent, "years")) {
		cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(y, "lines")) {
			int64_t pence = 0, no = 0;

			if (jsonv_int(cJSON_GetObjectItemCaseSensitive(l, "amount_pence"), &pence) != 0 ||
			    jsonv_int(cJSON_GetObjectItemCaseSensitive(l, "line_no"), &no) != 0)
				continue;
			money_format_plain(pence, amount, sizeof(amount));
			csv_text(b, urn);
			evbuffer_add(b, ",", 1);
			csv_text(b, name);
			evbuffer_add_printf(b, ",%s,%lld,", csv_get(y, "year"), (long long)no);
			csv_text(b, csv_get(l, "account_code"));
			evbuffer_add(b, ",", 1);
			csv_text(b, csv_get(l, "description"));
			evbuffer_add(b, ",", 1);
			csv_text(b, csv_get(l, "driver"));
			evbuffer_add_printf(b, ",%s,", amount);
			csv_text(b, csv_get(l, "explanation"));
			evbuffer_add(b, "\r\n", 2);
		}
	}
}

/* The run as a flat entity x year x line table (CRLF, UTF-8, a header row). */
static int run_csv(struct req *r, const cJSON *run, int64_t id, struct problem *p)
{
	struct evbuffer *b = evbuffer_new();
	const cJSON *ent, *trust = cJSON_GetObjectItemCaseSensitive(run, "trust");
	char etag[48], disp[96], *body = NULL;
	size_t len;
	int rc = -1;

	if (b == NULL)
		goto oom;
	evbuffer_add_printf(b, "entity,name,year,line_no,account_code,description,driver,amount,explanation\r\n");
	cJSON_ArrayForEach(ent, cJSON_GetObjectItemCaseSensitive(run, "entities"))
		csv_entity(b, csv_get(ent, "urn"), csv_get(ent, "name"), ent);
	if (cJSON_IsObject(trust))
		csv_entity(b, "trust", "the trust, consolidated", trust);
	len = evbuffer_get_length(b);
	if ((body = malloc(len + 1)) == NULL)
		goto oom;
	evbuffer_remove(b, body, len);
	http_etag_hash(etag, sizeof(etag), body, len);
	if (!http_not_modified(r, etag)) {
		snprintf(disp, sizeof(disp), "attachment; filename=\"forecast-%lld.csv\"", (long long)id);
		evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Content-Disposition", disp);
		http_reply_raw(r, 200, "text/csv; charset=utf-8", body, len, etag);
	}
	rc = 0;
	goto out;
oom:
	problem_internal(p);
out:
	free(body);
	if (b != NULL)
		evbuffer_free(b);
	return rc;
}

int api_forecasts_lines_param(struct req *r, int dflt, int *lines, struct problem *p)
{
	const char *v = http_query(r, "lines");

	*lines = dflt;
	if (v == NULL)
		return 0;
	if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) {
		*lines = v[0] == 't';
		return 0;
	}
	problem_field(p, "query:lines", "must be true (every line of every year) or false (totals, reserves, KPIs "
		      "and warnings only)");
	return -1;
}

int api_forecast_get(struct req *r, struct problem *p)
{
	static const char *const allowed[] = { "explain", "lines", NULL };
	const char *ex = http_query(r, "explain");
	struct api_forecasts_scope s;
	int64_t id;
	cJSON *o;
	int rc, lines = 1, csv = http_wants_csv(r);

	if (http_query_allow(r, allowed, p) != 0)
		return -1;
	if (ex != NULL && strcmp(ex, "text") != 0 && strcmp(ex, "data") != 0)
		problem_field(p, "query:explain", "must be text (the default) or data (the stored data as well)");
	if (api_forecasts_lines_param(r, 1, &lines, p) == 0 && !lines && csv)
		problem_field(p, "query:lines", "the CSV is the table of lines: lines=false is for JSON only");
	if (problem_validation_done(p) != 0)
		return -1;
	if (run_id_param(http_param(r, "id"), "path:id", "forecast run", &id, p) != 0)
		return problem_bad_request(p, "%s is not a forecast run id", http_param(r, "id"));
	if (api_forecasts_scope(r, &s, p) != 0)
		return -1;
	o = api_forecasts_run_json(r, id, &s, lines, ex != NULL && strcmp(ex, "data") == 0, p);
	api_forecasts_scope_free(&s);
	if (o == NULL)
		return -1;
	rc = csv ? run_csv(r, o, id, p) : http_reply_json_hashed(r, o, p);
	cJSON_Delete(o);
	return rc;
}

#define LIST_COLS \
	"r.id, r.scenario_id, r.scenario_name, r.scenario_version, " \
	"CONCAT(r.base_year, '-', LPAD((r.base_year + 1) % 100, 2, '0')) AS base_year, r.horizon, r.digest, " \
	"r.role AS run_by_role, r.version, r.created_at, r.updated_at"

/* A business manager's list: the runs of every entity, or of a set with one of theirs. */
static const char runs_list_sql[] =
	"SELECT " LIST_COLS " FROM forecast_runs r WHERE " API_KEYSET_WHERE("r")
	" AND (? IS NULL OR r.scenario_id = ?) AND (? IS NULL OR r.entities_json IS NULL OR "
	"JSON_OVERLAPS(r.entities_json, ?)) ORDER BY r.updated_at, r.id LIMIT ?";

int api_forecasts_list(struct req *r, struct problem *p)
{
	static const char *const also[] = { "scenario", NULL };
	const char *sc = http_query(r, "scenario");
	struct db_param extra[4] = { DBP_NULL, DBP_NULL, DBP_NULL, DBP_NULL };
	struct api_forecasts_scope s = { 0 };
	cJSON *urns = NULL;
	char *text = NULL;
	struct page pg;
	int64_t sid;
	int rc = -1;

	if (sc != NULL && run_id_param(sc, "query:scenario", "scenario", &sid, p) == 0)
		extra[0] = extra[1] = DBP_I64(sid);
	if (api_page_query(r, also, &pg, p) != 0 || problem_validation_done(p) != 0 || api_forecasts_scope(r, &s, p) != 0)
		return -1;
	if (!s.all) {
		if ((urns = cJSON_CreateArray()) == NULL)
			goto oom;
		for (size_t i = 0; i < s.n; i++)
			if (!cJSON_AddItemToArray(urns, cJSON_CreateString(s.urns[i])))
				goto oom;
		if ((text = cJSON_PrintUnformatted(urns)) == NULL)
			goto oom;
		extra[2] = extra[3] = DBP_STR(text);
	}
	rc = api_list_reply(r, runs_list_sql, &pg, extra, 4, p);
	goto out;
oom:
	problem_internal(p);
out:
	cJSON_free(text);
	cJSON_Delete(urns);
	api_forecasts_scope_free(&s);
	return rc;
}

/* ---- compare ---- */

static cJSON *cmp_figures(const struct db_rows *y, size_t i)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || !add_i64(o, "income_pence", y, i, RY_INCOME) || !add_i64(o, "expenditure_pence", y, i, RY_EXP) ||
	    !add_i64(o, "in_year_balance_pence", y, i, RY_BAL) || !add_i64(o, "closing_reserves_pence", y, i, RY_CLOSE)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *cmp_diff(const struct db_rows *a, size_t i, const struct db_rows *b, size_t j)
{
	static const struct { const char *k; int c; } f[] = {
		{ "income_pence", RY_INCOME }, { "expenditure_pence", RY_EXP },
		{ "in_year_balance_pence", RY_BAL }, { "closing_reserves_pence", RY_CLOSE },
	};
	cJSON *o = cJSON_CreateObject();

	for (size_t k = 0; o != NULL && k < sizeof(f) / sizeof(f[0]); k++) {
		int64_t d;

		if (money_sub(db_cell_i64(b, j, (size_t)f[k].c), db_cell_i64(a, i, (size_t)f[k].c), &d) != 0 ||
		    cJSON_AddNumberToObject(o, f[k].k, d) == NULL) {
			cJSON_Delete(o);
			return NULL;
		}
	}
	return o;
}

/* Entity order: schools by URN, then the central team, then the trust (as the SQL sorts). */
static int cmp_key(const struct db_rows *y, size_t i, const struct db_rows *z, size_t j)
{
	const char *a = db_cell(y, i, RY_ENTITY), *b = db_cell(z, j, RY_ENTITY);
	int ta = strcmp(a, "trust") == 0, tb = strcmp(b, "trust") == 0, d;

	if (ta != tb)
		return ta - tb;
	if ((d = strcmp(a, b)) != 0)
		return d;
	return (int)(db_cell_i64(y, i, RY_YEAR) - db_cell_i64(z, j, RY_YEAR));
}

static int cmp_add(cJSON *items, const struct db_rows *a, size_t i, const struct db_rows *b, size_t j, int which)
{
	const struct db_rows *y = which == 2 ? b : a;
	size_t row = which == 2 ? j : i;
	cJSON *o = cJSON_CreateObject(), *v;
	char ys[8];

	acyear_format((int)db_cell_i64(y, row, RY_YEAR), ys, sizeof(ys));
	if (o == NULL || !cJSON_AddItemToArray(items, o) ||
	    cJSON_AddStringToObject(o, "entity", db_cell(y, row, RY_ENTITY)) == NULL ||
	    cJSON_AddStringToObject(o, "year", ys) == NULL)
		return -1;
	v = which != 2 ? cmp_figures(a, i) : cJSON_CreateNull();
	if (v == NULL || !cJSON_AddItemToObject(o, "a", v))
		return cJSON_Delete(v), -1;
	v = which != 1 ? cmp_figures(b, j) : cJSON_CreateNull();
	if (v == NULL || !cJSON_AddItemToObject(o, "b", v))
		return cJSON_Delete(v), -1;
	v = which == 0 ? cmp_diff(a, i, b, j) : cJSON_CreateNull();
	if (v == NULL || !cJSON_AddItemToObject(o, "diff", v))
		return cJSON_Delete(v), -1;
	return 0;
}

int api_forecasts_compare(struct req *r, struct problem *p)
{
	static const char *const allowed[] = { "a", "b", NULL };
	struct api_forecasts_scope s = { 0 };
	struct run_rows ra = { 0 }, rb = { 0 };
	int64_t ida = 0, idb = 0;
	cJSON *o = NULL, *items, *h;
	size_t i = 0, j = 0;
	int rc = -1;

	if (http_query_allow(r, allowed, p) != 0)
		return -1;
	run_id_param(http_query(r, "a"), "query:a", "forecast run", &ida, p);
	run_id_param(http_query(r, "b"), "query:b", "forecast run", &idb, p);
	if (problem_validation_done(p) != 0 || api_forecasts_scope(r, &s, p) != 0)
		return -1;
	if (run_rows_load(r, ida, 0, &ra, p) != 0 || run_rows_load(r, idb, 0, &rb, p) != 0)
		goto out;
	if ((o = cJSON_CreateObject()) == NULL || (h = run_head_json(&ra)) == NULL || !cJSON_AddItemToObject(o, "a", h) ||
	    (h = run_head_json(&rb)) == NULL || !cJSON_AddItemToObject(o, "b", h) ||
	    (items = cJSON_AddArrayToObject(o, "items")) == NULL)
		goto oom;
	while (i < ra.years->nrows || j < rb.years->nrows) {
		int c = i == ra.years->nrows ? 1 : j == rb.years->nrows ? -1 : cmp_key(ra.years, i, rb.years, j);
		const char *e = c <= 0 ? db_cell(ra.years, i, RY_ENTITY) : db_cell(rb.years, j, RY_ENTITY);
		int show = strcmp(e, "trust") == 0 ? s.all : api_forecasts_in_scope(&s, e);

		if (show && cmp_add(items, ra.years, i, rb.years, j, c == 0 ? 0 : c < 0 ? 1 : 2) != 0)
			goto oom;
		i += c <= 0;
		j += c >= 0;
	}
	if (!s.all && cJSON_GetArraySize(items) == 0) {
		problem_forbidden(p, "these forecast runs have none of your schools");
		goto out;
	}
	rc = http_reply_json_hashed(r, o, p);
	goto out;
oom:
	problem_internal(p);
out:
	cJSON_Delete(o);
	run_rows_free(&ra);
	run_rows_free(&rb);
	api_forecasts_scope_free(&s);
	return rc;
}
