/* store_forecasts.c - a forecast's inputs loaded; see store_forecasts.h */
#include "store_forecasts.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_contracts.h"

static const char inputs_accounts_sql[] =
	"SELECT code, kind, grp, driver, is_gag, is_teacher, is_support, is_internal FROM accounts ORDER BY id";
static const char *const inputs_account_cols[] = { "code", "kind", "grp", "driver", "is_gag", "is_teacher",
						   "is_support", "is_internal" };
enum { FA_CODE, FA_KIND, FA_GRP, FA_DRIVER, FA_GAG, FA_TEACHER, FA_SUPPORT, FA_INTERNAL, FA__N };

static const char inputs_entities_sql[] =
	"SELECT s.id, s.urn, s.kind, s.name, s.finance_model, b.status, b.version FROM schools s "
	"LEFT JOIN budgets b ON b.school_id = s.id AND b.year = ?";
static const char *const inputs_entity_cols[] = { "id", "urn", "kind", "name", "finance_model", "status" };
enum { FE_ID, FE_URN, FE_KIND, FE_NAME, FE_MODEL, FE_STATUS, FE__N };

static const char inputs_lines_sql[] =
	"SELECT b.school_id, a.code, l.description, l.amount_pence, l.driver, l.excluded_from_central, "
	"l.computed AND NOT a.is_internal AS from_posts "
	"FROM budget_lines l JOIN budgets b ON b.id = l.budget_id JOIN accounts a ON a.id = l.account_id "
	"WHERE b.year = ? ORDER BY b.school_id, l.line_no, l.id";
static const char *const inputs_line_cols[] = { "school_id", "code", "description", "amount_pence", "driver",
						"excluded_from_central", "from_posts" };
enum { FLN_SCHOOL, FLN_CODE, FLN_DESC, FLN_AMOUNT, FLN_DRIVER, FLN_EXCLUDED, FLN_FROM_POSTS, FLN__N };

static const char inputs_years_sql[] =
	"SELECT school_id, year, pupils, places, opening_reserves_pence FROM school_years WHERE year BETWEEN ? AND ?";
static const char *const inputs_year_cols[] = { "school_id", "year", "pupils", "places", "opening_reserves_pence" };
enum { FY_SCHOOL, FY_YEAR, FY_PUPILS, FY_PLACES, FY_OPENING, FY__N };

static const char inputs_contracts_sql[] =
	"SELECT " CONTRACT_PEER_COLS ", sc.urn AS _urn FROM contracts c LEFT JOIN schools sc ON sc.id = c.school_id "
	"WHERE c.status = 'active' ORDER BY c.reference";

struct inputs_order {
	const char *urn;
	size_t row;
};

static int inputs_urn_cmp(const void *x, const void *y)
{
	return strcmp(((const struct inputs_order *)x)->urn, ((const struct inputs_order *)y)->urn);
}

/* The entity with this schools.id, or -1 (a scan: callers ask once per school, not per line). */
static long inputs_by_id(const int64_t *eid, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (eid[i] == id)
			return (long)i;
	return -1;
}

void store_forecasts_inputs_free(struct store_forecast_inputs *in)
{
	db_rows_free(in->acc);
	db_rows_free(in->ents);
	db_rows_free(in->lines);
	db_rows_free(in->years);
	free(in->accounts);
	free(in->entities);
	free(in->li);
	free(in->fp);
	memset(in, 0, sizeof(*in));
}

/* The chart of accounts from in->acc. */
static int inputs_accounts(struct store_forecast_inputs *in, struct problem *p)
{
	const struct db_rows *acc = in->acc;
	size_t c[FA__N];

	if (db_columns(acc, inputs_account_cols, FA__N, c, p) != 0)
		return -1;
	for (size_t i = 0; i < acc->nrows; i++) {
		struct forecast_account *a = &in->accounts[i];

		a->code = db_cell(acc, i, c[FA_CODE]);
		a->is_income = strcmp(db_cell(acc, i, c[FA_KIND]), "income") == 0;
		a->group = db_cell(acc, i, c[FA_GRP]);
		a->driver = db_cell(acc, i, c[FA_DRIVER]);
		a->is_gag = db_cell_i64(acc, i, c[FA_GAG]) != 0;
		a->is_teacher = db_cell_i64(acc, i, c[FA_TEACHER]) != 0;
		a->is_support = db_cell_i64(acc, i, c[FA_SUPPORT]) != 0;
		a->is_internal = db_cell_i64(acc, i, c[FA_INTERNAL]) != 0;
	}
	in->naccounts = acc->nrows;
	return 0;
}

/* The entities from in->ents sorted by URN, as the engine wants them; eid[i] the schools.id of entities[i]. */
static int inputs_entities(struct store_forecast_inputs *in, int64_t *eid, struct problem *p)
{
	const struct db_rows *ents = in->ents;
	struct inputs_order *ord;
	size_t c[FE__N];

	if (db_columns(ents, inputs_entity_cols, FE__N, c, p) != 0)
		return -1;
	if ((ord = calloc(in->nentities + 1, sizeof(*ord))) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < in->nentities; i++)
		ord[i] = (struct inputs_order){ db_cell(ents, i, c[FE_URN]), i };
	if (in->nentities > 1)
		qsort(ord, in->nentities, sizeof(*ord), inputs_urn_cmp);
	for (size_t i = 0; i < in->nentities; i++) {
		struct forecast_entity_in *e = &in->entities[i];
		size_t row = ord[i].row;

		eid[i] = db_cell_i64(ents, row, c[FE_ID]);
		e->urn = db_cell(ents, row, c[FE_URN]);
		e->name = db_cell(ents, row, c[FE_NAME]);
		e->model = db_cell(ents, row, c[FE_MODEL]);
		e->is_central = strcmp(db_cell(ents, row, c[FE_KIND]), "central") == 0;
		e->budget_status = db_cell(ents, row, c[FE_STATUS]);   /* NULL: no budget */
		for (int k = 0; k < FORECAST_NC; k++)
			e->pupils[k] = e->places[k] = FORECAST_NO_DATA;
	}
	free(ord);
	return 0;
}

/* The budget lines from in->lines, ordered by school: one slice of in->li each. */
static int inputs_lines(struct store_forecast_inputs *in, const int64_t *eid, struct problem *p)
{
	const struct db_rows *lines = in->lines;
	size_t ne = in->nentities, *count, *at, c[FLN__N];
	int64_t last_id = -1;
	long last = -1;

	if (db_columns(lines, inputs_line_cols, FLN__N, c, p) != 0)
		return -1;
	count = calloc(ne + 1, sizeof(*count));
	at = calloc(ne + 1, sizeof(*at));
	if (count == NULL || at == NULL) {
		free(count);
		free(at);
		return problem_internal(p);
	}
	for (size_t i = 0; i < lines->nrows; i++) {
		int64_t id = db_cell_i64(lines, i, c[FLN_SCHOOL]);

		if (id != last_id) {
			last = inputs_by_id(eid, ne, id);
			last_id = id;
		}
		if (last >= 0)
			count[last]++;
	}
	for (size_t i = 1; i < ne; i++)
		at[i] = at[i - 1] + count[i - 1];
	for (size_t i = 0; i < ne; i++) {
		in->entities[i].lines = in->li + at[i];
		in->entities[i].from_posts = in->fp + at[i];
	}
	last_id = -1;
	for (size_t i = 0; i < lines->nrows; i++) {
		int64_t id = db_cell_i64(lines, i, c[FLN_SCHOOL]);
		struct forecast_entity_in *e;

		if (id != last_id) {
			last = inputs_by_id(eid, ne, id);
			last_id = id;
		}
		if (last < 0)
			continue;
		e = &in->entities[last];
		in->fp[at[last] + e->nlines] = db_cell_i64(lines, i, c[FLN_FROM_POSTS]) != 0;
		in->li[at[last] + e->nlines++] = (struct forecast_line_in){
			.code = db_cell(lines, i, c[FLN_CODE]), .description = db_cell(lines, i, c[FLN_DESC]),
			.amount_pence = db_cell_i64(lines, i, c[FLN_AMOUNT]), .driver = db_cell(lines, i, c[FLN_DRIVER]),
			.excluded = db_cell_i64(lines, i, c[FLN_EXCLUDED]) != 0,
		};
	}
	free(count);
	free(at);
	return 0;
}

/* Census, places and opening reserves from in->years. */
static int inputs_years(struct store_forecast_inputs *in, const int64_t *eid, int base_year, struct problem *p)
{
	const struct db_rows *years = in->years;
	size_t c[FY__N];

	if (db_columns(years, inputs_year_cols, FY__N, c, p) != 0)
		return -1;
	for (size_t i = 0; i < years->nrows; i++) {
		long x = inputs_by_id(eid, in->nentities, db_cell_i64(years, i, c[FY_SCHOOL]));
		int y = (int)db_cell_i64(years, i, c[FY_YEAR]), k = y - (base_year - 2);
		struct forecast_entity_in *e;

		if (x < 0 || k < 0 || k >= FORECAST_NC)
			continue;
		e = &in->entities[x];
		if (db_cell(years, i, c[FY_PUPILS]) != NULL)
			e->pupils[k] = (int32_t)db_cell_i64(years, i, c[FY_PUPILS]);
		if (db_cell(years, i, c[FY_PLACES]) != NULL)
			e->places[k] = (int32_t)db_cell_i64(years, i, c[FY_PLACES]);
		if (y == base_year && db_cell(years, i, c[FY_OPENING]) != NULL) {
			e->has_opening = 1;
			e->opening_pence = db_cell_i64(years, i, c[FY_OPENING]);
		}
	}
	return 0;
}

static const char census_before_sql[] =
	"SELECT s.urn, y.pupils FROM school_years y JOIN schools s ON s.id = y.school_id "
	"WHERE y.pupils IS NOT NULL AND y.year = (SELECT MAX(z.year) FROM school_years z "
	"WHERE z.school_id = y.school_id AND z.year < ? AND z.pupils IS NOT NULL) "
	"AND NOT EXISTS (SELECT 1 FROM school_years w WHERE w.school_id = y.school_id AND w.year = ? "
	"AND w.pupils IS NOT NULL)";

int store_forecasts_census_before(struct db *db, int year, struct db_rows **rows, struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(year), DBP_I64(year - 1) };

	return db_query(db, census_before_sql, prm, 2, rows, p);
}

int store_forecasts_inputs(struct db *db, int base_year, int horizon, struct store_forecast_inputs *in,
			   struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(base_year), DBP_I64(base_year) };
	int64_t *eid = NULL;
	int rc = -1;

	memset(in, 0, sizeof(*in));
	if (db_query(db, inputs_accounts_sql, NULL, 0, &in->acc, p) != 0 ||
	    db_query(db, inputs_entities_sql, prm, 1, &in->ents, p) != 0 ||
	    db_query(db, inputs_lines_sql, prm, 1, &in->lines, p) != 0)
		return -1;
	prm[0] = DBP_I64(base_year - 2);
	prm[1] = DBP_I64(base_year + horizon);
	if (db_query(db, inputs_years_sql, prm, 2, &in->years, p) != 0)
		return -1;
	in->nentities = in->ents->nrows;
	if (in->nentities > STORE_FORECAST_MAX_ENTITIES)
		return problem_set(p, 422, "validation", "Validation failed", "a forecast covers at most %d entities",
				   STORE_FORECAST_MAX_ENTITIES);
	if ((in->accounts = calloc(in->acc->nrows + 1, sizeof(*in->accounts))) == NULL ||
	    (in->entities = calloc(in->nentities + 1, sizeof(*in->entities))) == NULL ||
	    (eid = calloc(in->nentities + 1, sizeof(*eid))) == NULL ||
	    (in->li = calloc(in->lines->nrows + 1, sizeof(*in->li))) == NULL ||
	    (in->fp = calloc(in->lines->nrows + 1, 1)) == NULL) {
		problem_internal(p);
		goto out;
	}
	if (inputs_accounts(in, p) != 0 || inputs_entities(in, eid, p) != 0 || inputs_lines(in, eid, p) != 0 ||
	    inputs_years(in, eid, base_year, p) != 0)
		goto out;
	rc = 0;
out:
	free(eid);
	return rc;
}

int store_forecasts_contracts(struct db *db, struct store_forecast_contracts *c, struct problem *p)
{
	size_t ix[2];

	memset(c, 0, sizeof(*c));
	if (db_query(db, inputs_contracts_sql, NULL, 0, &c->rows, p) != 0 ||
	    db_columns(c->rows, (const char *const[]){ "reference", "_urn" }, 2, ix, p) != 0)
		return -1;
	if ((c->items = calloc(c->rows->nrows + 1, sizeof(*c->items))) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < c->rows->nrows; i++) {
		const char *ref = db_cell(c->rows, i, ix[0]), *urn = db_cell(c->rows, i, ix[1]);
		struct procure_terms t;
		struct procure_dates d;

		if (store_contract_terms(c->rows, i, &t) != 0) {
			log_warn("forecasts: contract %s: its terms do not parse; left out of the warnings", ref);
			continue;
		}
		procure_dates(&t, &d);
		c->items[c->n++] = (struct forecast_contract){
			.reference = ref, .urn = urn != NULL ? urn : BURSAR_CENTRAL,
			.final_end = d.final_end == PROCURE_NO_DATE ? FORECAST_NO_DATE : d.final_end,
			.auto_renew = t.auto_renew,
		};
	}
	return 0;
}

void store_forecasts_contracts_free(struct store_forecast_contracts *c)
{
	db_rows_free(c->rows);
	free(c->items);
	memset(c, 0, sizeof(*c));
}
