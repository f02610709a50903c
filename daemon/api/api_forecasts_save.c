/* api_forecasts_save.c - a forecast run saved (its row, a row per entity and
 * year with the year's lines packed, its warnings, the audit row) and rendered
 * back from memory for the POST's reply; see api_forecasts.h. */
#include "api_forecasts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_scenarios.h"
#include "audit.h"
#include "date.h"
#include "forecast_explain.h"
#include "jsonout.h"
#include "log.h"

#define FS_TRUST_DESCRIPTION "consolidated: every entity, internal codes dropped"
#define FS_CHUNK 4000                        /* rows or lines per bulk INSERT (~1 MB) */

static const char run_insert_sql[] =
	"INSERT INTO forecast_runs (scenario_id, scenario_version, scenario_name, base_year, horizon, entities_json, "
	"digest, inputs_json, token_id, role, duration_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
/* The results go in with bulk executions (db_exec_bulk): one prepared INSERT, a
 * batch of rows per round trip; a year's lines are one JSON array in lines_json
 * (schema/006). */
static const char years_insert_sql[] =
	"INSERT INTO forecast_years (run_id, entity, year, pupils, income_pence, expenditure_pence, "
	"internal_income_pence, internal_expenditure_pence, staff_pence, non_staff_pence, contingency_pence, "
	"central_charges_pence, kpi_income_pence, balance_pence, opening_pence, closing_pence, staff_bp, reserves_bp, "
	"balance_bp, lines_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
#define FS_YEAR_COLS 20
static const char warnings_insert_sql[] =
	"INSERT INTO forecast_warnings (run_id, seq, entity, year, code, message) VALUES (?, ?, ?, ?, ?, ?)";
#define FS_WARNING_COLS 6

/* A batch of rows for one bulk INSERT, with the strings it owns. */
struct fs_batch {
	const char *sql;
	size_t ncols;
	struct db_param *prm;                    /* rows x ncols */
	size_t nrows, cap, weight;
	char **owned;                            /* printed JSON, one per row at most */
	size_t nowned;
};

static void fs_batch_clear(struct fs_batch *b)
{
	for (size_t i = 0; i < b->nowned; i++)
		cJSON_free(b->owned[i]);
	b->nrows = b->nowned = b->weight = 0;
}

static void fs_batch_free(struct fs_batch *b)
{
	fs_batch_clear(b);
	free(b->prm);
	free(b->owned);
}

static int fs_flush(struct db *db, struct fs_batch *b, struct problem *p)
{
	int rc = db_exec_bulk(db, b->sql, b->prm, b->ncols, b->nrows, p);

	fs_batch_clear(b);
	return rc;
}

/* Room for one more row: its parameters, to be filled by the caller. NULL when out of memory. */
static struct db_param *fs_batch_row(struct fs_batch *b)
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

/* The row just added weighs `weight` (1, or its lines): flush every FS_CHUNK. */
static int fs_batch_done(struct db *db, struct fs_batch *b, size_t weight, struct problem *p)
{
	b->weight += weight > 0 ? weight : 1;
	return b->weight >= FS_CHUNK ? fs_flush(db, b, p) : 0;
}

/* Append numbers and strings to a row array; a NULL string or FORECAST_NO_DATA count is null. */
static int fs_num(cJSON *a, int64_t v)
{
	return cJSON_AddItemToArray(a, cJSON_CreateNumber(v));
}

static int fs_str(cJSON *a, const char *s)
{
	return cJSON_AddItemToArray(a, s != NULL ? cJSON_CreateString(s) : cJSON_CreateNull());
}

/* A year row (years_insert_sql) into the batch; lines (taken over and
 * deleted) is its lines, or NULL (the base year). */
static int fs_year_row(struct db *db, struct fs_batch *b, int64_t run_id, const char *entity, int year,
		       const struct forecast_totals *t, cJSON *lines, size_t nlines, struct problem *p)
{
	char *text = lines != NULL ? jsonout_print(lines) : NULL;
	int printed = lines == NULL || text != NULL;
	struct db_param *r;

	cJSON_Delete(lines);
	if (!printed || (r = fs_batch_row(b)) == NULL) {
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
	return fs_batch_done(db, b, nlines, p);
}

/* A description cut to 500 bytes at a character boundary (the view's column holds 500 characters). */
static void fs_cut(char *dst, size_t len, const char *s)
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
static void fs_driver(const struct forecast_line *l, char *buf, size_t len)
{
	if (l->driver == FD_INFLATION)
		snprintf(buf, len, "inflation:%s", l->index_name);
	else
		snprintf(buf, len, "%s", forecast_driver_name(l->driver));
}

/* One element of lines_json: [line_no, code, description, driver, amount, explain]. */
static cJSON *fs_line_row(const struct forecast_result *res, const struct forecast_entity *e,
			  const struct forecast_line *l, int k, int line_no)
{
	cJSON *a = cJSON_CreateArray(), *x = forecast_explain_json(res, e, l, k);
	char drv[48], desc[501];

	fs_driver(l, drv, sizeof(drv));
	fs_cut(desc, sizeof(desc), l->description);
	if (a == NULL || x == NULL || !fs_num(a, line_no) || !fs_str(a, l->account->code) || !fs_str(a, desc) ||
	    !fs_str(a, drv) || !fs_num(a, l->a[k]) || !cJSON_AddItemToArray(a, x)) {
		cJSON_Delete(a);
		cJSON_Delete(x);
		return NULL;
	}
	return a;
}

static cJSON *fs_trust_row(const struct forecast_trust_line *t, int k, int line_no)
{
	cJSON *a = cJSON_CreateArray();

	if (a == NULL || !fs_num(a, line_no) || !fs_str(a, t->account->code) ||
	    !fs_str(a, FS_TRUST_DESCRIPTION) || !fs_str(a, "consolidated") || !fs_num(a, t->a[k]) ||
	    !fs_str(a, NULL)) {
		cJSON_Delete(a);
		return NULL;
	}
	return a;
}

/* The lines of entity e (NULL: the trust) in year k >= 1, as lines_json holds them; *n their count. */
static cJSON *fs_year_lines(const struct forecast_result *res, const struct forecast_entity *e, int k, size_t *n)
{
	cJSON *lines = cJSON_CreateArray(), *row;
	size_t count = e != NULL ? e->nlines : res->ntrust_lines;
	int no = 0;

	*n = 0;
	for (size_t j = 0; lines != NULL && j < count; j++) {
		const struct forecast_line *l = e != NULL ? &e->lines[j] : NULL;

		if (l != NULL && l->origin == FO_POSTING && l->k != k)
			continue;
		row = l != NULL ? fs_line_row(res, e, l, k, ++no) : fs_trust_row(&res->trust_lines[j], k, ++no);
		if (row == NULL || !cJSON_AddItemToArray(lines, row)) {
			cJSON_Delete(row);
			cJSON_Delete(lines);
			return NULL;
		}
	}
	*n = (size_t)no;
	return lines;
}

static int fs_save_rows(struct db *db, struct api_forecasts_saved *f, struct problem *p)
{
	const struct forecast_result *res = f->res;
	struct fs_batch yb = { .sql = years_insert_sql, .ncols = FS_YEAR_COLS },
			wb = { .sql = warnings_insert_sql, .ncols = FS_WARNING_COLS };
	int rc = -1;

	for (size_t i = 0; i <= res->nentities; i++) {
		const struct forecast_entity *e = i < res->nentities ? &res->entities[i] : NULL;

		for (int k = 0; k <= res->horizon; k++) {
			cJSON *lines = NULL;
			size_t n = 0;

			if (k > 0 && (lines = fs_year_lines(res, e, k, &n)) == NULL) {
				problem_internal(p);
				goto out;
			}
			if (fs_year_row(db, &yb, f->run_id, e != NULL ? e->in->urn : "trust", res->base_year + k,
					e != NULL ? &e->t[k] : &res->trust[k], lines, n, p) != 0)
				goto out;
		}
	}
	for (size_t i = 0; i < res->nwarnings; i++) {
		const struct forecast_warning *w = &res->warnings[i];
		struct db_param *r = fs_batch_row(&wb);

		if (r == NULL) {
			problem_internal(p);
			goto out;
		}
		r[0] = DBP_I64(f->run_id);
		r[1] = DBP_I64((int64_t)i + 1);
		r[2] = DBP_STR(w->urn);
		r[3] = DBP_I64(w->year);
		r[4] = DBP_STR(w->code);
		r[5] = DBP_STR(w->message);
		if (fs_batch_done(db, &wb, 1, p) != 0)
			goto out;
	}
	rc = fs_flush(db, &yb, p) != 0 || fs_flush(db, &wb, p) != 0 ? -1 : 0;
out:
	fs_batch_free(&yb);
	fs_batch_free(&wb);
	return rc;
}

int api_forecasts_save_txn(struct db *db, void *arg, struct problem *p)
{
	struct api_forecasts_saved *f = arg;
	struct audit_actor who = api_actor(f->r);
	struct db_param prm[11] = {
		DBP_I64(f->sc->id), DBP_I64(f->sc->version), DBP_STR(f->sc->name), DBP_I64(f->base_year),
		DBP_I64(f->horizon), DBP_STR(f->entities_text), DBP_STR(f->res->digest), DBP_STR(f->inputs_text),
		f->r->id.token_id > 0 ? DBP_I64(f->r->id.token_id) : DBP_NULL, DBP_STR(who.role),
		DBP_I64(f->duration_us > UINT32_MAX ? UINT32_MAX : f->duration_us),
	};
	uint64_t id = 0;
	char eid[24], y[8];

	cJSON_Delete(f->after);
	if ((f->after = cJSON_CreateObject()) == NULL)
		return problem_internal(p);
	if (db_exec(db, run_insert_sql, prm, 11, NULL, &id, p) != 0)
		return -1;
	f->run_id = (int64_t)id;
	if (fs_save_rows(db, f, p) != 0)
		return -1;
	acyear_format(f->base_year, y, sizeof(y));
	snprintf(eid, sizeof(eid), "%lld", (long long)f->run_id);
	if (cJSON_AddNumberToObject(f->after, "id", f->run_id) == NULL ||
	    cJSON_AddNumberToObject(f->after, "scenario_id", f->sc->id) == NULL ||
	    cJSON_AddNumberToObject(f->after, "scenario_version", f->sc->version) == NULL ||
	    cJSON_AddStringToObject(f->after, "base_year", y) == NULL ||
	    cJSON_AddNumberToObject(f->after, "horizon", f->horizon) == NULL ||
	    cJSON_AddStringToObject(f->after, "digest", f->res->digest) == NULL ||
	    cJSON_AddNumberToObject(f->after, "warnings", (int)f->res->nwarnings) == NULL)
		return problem_internal(p);
	return audit_write(db, &who, "run", "forecast", eid, NULL, f->after, p);
}

/* ---- the reply: the run as GET /api/v1/forecasts/{id} renders it, from memory ---- */

/* Only what the database makes: the run's visible columns as api_forecasts_read.c selects them. */
static const char run_head_sql[] =
	"SELECT r.id, CONCAT(r.base_year, '-', LPAD((r.base_year + 1) % 100, 2, '0')) AS base_year, r.horizon, "
	"r.digest, r.version, r.created_at, r.updated_at FROM forecast_runs r WHERE r.id = ?";

static int fs_add(cJSON *o, const char *k, int has, int64_t v)
{
	return (has ? cJSON_AddNumberToObject(o, k, v) : cJSON_AddNullToObject(o, k)) != NULL;
}

static cJSON *fs_reply_year(int year, int base_year, const struct forecast_totals *t)
{
	cJSON *o = cJSON_CreateObject(), *k;
	char ys[8];

	acyear_format(year, ys, sizeof(ys));
	if (o == NULL || cJSON_AddStringToObject(o, "year", ys) == NULL ||
	    cJSON_AddStringToObject(o, "basis", year == base_year ? "budget" : "forecast") == NULL ||
	    !fs_add(o, "pupils", t->pupils >= 0, t->pupils) || !fs_add(o, "income_pence", 1, t->income) ||
	    !fs_add(o, "expenditure_pence", 1, t->expenditure) || !fs_add(o, "in_year_balance_pence", 1, t->balance) ||
	    !fs_add(o, "internal_income_pence", 1, t->internal_income) ||
	    !fs_add(o, "internal_expenditure_pence", 1, t->internal_expenditure) ||
	    !fs_add(o, "staff_pence", 1, t->staff) || !fs_add(o, "non_staff_pence", 1, t->non_staff) ||
	    !fs_add(o, "contingency_pence", 1, t->contingency) ||
	    !fs_add(o, "central_charges_pence", 1, t->central_charges) ||
	    !fs_add(o, "opening_reserves_pence", 1, t->opening) || !fs_add(o, "closing_reserves_pence", 1, t->closing) ||
	    (k = cJSON_AddObjectToObject(o, "kpis")) == NULL || !fs_add(k, "income_pence", 1, t->kpi_income) ||
	    !fs_add(k, "staff_costs_bp", t->has_kpis, t->staff_bp) || !fs_add(k, "reserves_bp", t->has_kpis, t->reserves_bp) ||
	    !fs_add(k, "in_year_balance_bp", t->has_kpis, t->balance_bp)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* An entity's (or, e NULL, the trust's) years, as the save wrote them. */
static int fs_reply_years(const struct forecast_result *res, const struct forecast_entity *e, cJSON *years)
{
	for (int k = 0; k <= res->horizon; k++) {
		cJSON *yo = fs_reply_year(res->base_year + k, res->base_year, e != NULL ? &e->t[k] : &res->trust[k]);

		if (yo == NULL || !cJSON_AddItemToArray(years, yo)) {
			cJSON_Delete(yo);
			return -1;
		}
	}
	return 0;
}

/* The summary fields after the database's own (id ... updated_at), as run_head_json renders them. */
static int fs_reply_head(const struct api_forecasts_saved *f, cJSON *o)
{
	struct audit_actor who = api_actor(f->r);
	cJSON *s, *by, *in = cJSON_Parse(f->inputs_text), *v;
	int ok = in != NULL && (s = cJSON_AddObjectToObject(o, "scenario")) != NULL &&
		 fs_add(s, "id", 1, f->sc->id) && cJSON_AddStringToObject(s, "name", f->sc->name) != NULL &&
		 fs_add(s, "version", 1, f->sc->version) && (by = cJSON_AddObjectToObject(o, "run_by")) != NULL &&
		 fs_add(by, "token_id", f->r->id.token_id > 0, f->r->id.token_id) &&
		 cJSON_AddStringToObject(by, "role", who.role) != NULL &&
		 fs_add(o, "engine_us", 1, f->duration_us > UINT32_MAX ? UINT32_MAX : f->duration_us);

	if (ok) {
		v = f->entities_text != NULL ? cJSON_Parse(f->entities_text) : cJSON_CreateNull();
		if (!(ok = v != NULL && cJSON_AddItemToObject(o, "entities_requested", v)))
			cJSON_Delete(v);
	}
	if (ok) {
		if ((v = cJSON_DetachItemFromObjectCaseSensitive(in, "plugins")) == NULL)
			v = cJSON_CreateArray();
		if (!(ok = v != NULL && cJSON_AddItemToObject(o, "plugins", v)))
			cJSON_Delete(v);
	}
	if (ok && (v = cJSON_DetachItemFromObjectCaseSensitive(in, "services")) != NULL &&
	    !(ok = cJSON_AddItemToObject(o, "services", v)))
		cJSON_Delete(v);
	cJSON_Delete(in);
	return ok ? 0 : -1;
}

cJSON *api_forecasts_saved_json(const struct api_forecasts_saved *f, struct problem *p)
{
	const struct forecast_result *res = f->res;
	struct db_param prm = DBP_I64(f->run_id);
	struct db_rows *head = NULL;
	cJSON *o = NULL, *ents, *ent, *years, *w, *wo;

	if (db_query(f->r->db, run_head_sql, &prm, 1, &head, p) != 0)
		return NULL;
	if (head->nrows == 0) {
		db_rows_free(head);
		problem_internal(p);
		return NULL;
	}
	if ((o = db_row_to_json(head, 0)) == NULL || fs_reply_head(f, o) != 0 ||
	    (ents = cJSON_AddArrayToObject(o, "entities")) == NULL)
		goto oom;
	for (size_t i = 0; i < res->nentities; i++) {
		const struct forecast_entity *e = &res->entities[i];

		if ((ent = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(ents, ent) ||
		    cJSON_AddStringToObject(ent, "urn", e->in->urn) == NULL ||
		    cJSON_AddStringToObject(ent, "name", e->in->name != NULL ? e->in->name : "") == NULL ||
		    (years = cJSON_AddArrayToObject(ent, "years")) == NULL || fs_reply_years(res, e, years) != 0)
			goto oom;
	}
	if ((ent = cJSON_AddObjectToObject(o, "trust")) == NULL || (years = cJSON_AddArrayToObject(ent, "years")) == NULL ||
	    fs_reply_years(res, NULL, years) != 0 || (w = cJSON_AddArrayToObject(o, "warnings")) == NULL)
		goto oom;
	for (size_t i = 0; i < res->nwarnings; i++) {
		const struct forecast_warning *x = &res->warnings[i];
		char ys[8];

		acyear_format(x->year, ys, sizeof(ys));
		if ((wo = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(w, wo) ||
		    cJSON_AddStringToObject(wo, "entity", x->urn) == NULL ||
		    (x->year > 0 ? cJSON_AddStringToObject(wo, "year", ys) : cJSON_AddNullToObject(wo, "year")) == NULL ||
		    cJSON_AddStringToObject(wo, "code", x->code) == NULL ||
		    cJSON_AddStringToObject(wo, "message", x->message) == NULL)
			goto oom;
	}
	db_rows_free(head);
	return o;
oom:
	log_err("forecasts: out of memory rendering run %lld", (long long)f->run_id);
	problem_internal(p);
	cJSON_Delete(o);
	db_rows_free(head);
	return NULL;
}
