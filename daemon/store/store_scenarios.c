/* store_scenarios.c - see store_scenarios.h */
#include "store_scenarios.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

#define SCENARIO_COLS \
	"s.id, s.name, s.description, CONCAT(s.base_year, '-', LPAD((s.base_year + 1) % 100, 2, '0')) AS base_year, " \
	"s.horizon, s.version, s.created_at, s.updated_at, s.spec_json AS _spec, s.base_year AS _base_year, " \
	"s.deleted_at AS _deleted_at"

static const char scenario_get_sql[] =
	"SELECT " SCENARIO_COLS " FROM scenarios s WHERE s.id = ? AND s.deleted_at IS NULL";
static const char scenario_lock_sql[] =
	"SELECT " SCENARIO_COLS " FROM scenarios s WHERE s.id = ? AND s.deleted_at IS NULL FOR UPDATE";

/* A part a spec stored before the what-ifs (issue 15) lacks: none of it. */
static cJSON *scenario_part_default(const char *k)
{
	cJSON *v;

	if (strcmp(k, "actions") == 0)
		return cJSON_CreateArray();
	if ((v = cJSON_CreateObject()) != NULL && strcmp(k, "overrides") == 0 &&
	    (cJSON_AddObjectToObject(v, "finance_model") == NULL || cJSON_AddObjectToObject(v, "plugin_settings") == NULL)) {
		cJSON_Delete(v);
		return NULL;
	}
	return v;
}

/* Row i as the representation: its columns and the stored spec's three parts. NULL
 * when the spec does not parse or out of memory. */
static cJSON *scenario_row_json(const struct db_rows *rows, size_t i)
{
	cJSON *o = db_row_to_json(rows, i), *spec;
	const char *text = db_get(rows, i, "_spec");

	if (o == NULL || text == NULL || (spec = cJSON_Parse(text)) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	for (const char *const *k = (const char *const[]){ "assumptions", "pupils", "places", "overrides", "actions", NULL };
	     *k != NULL; k++) {
		cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(spec, *k);

		if (v == NULL)
			v = scenario_part_default(*k);
		if (v == NULL || !cJSON_AddItemToObject(o, *k, v)) {
			cJSON_Delete(v);
			cJSON_Delete(spec);
			cJSON_Delete(o);
			return NULL;
		}
	}
	cJSON_Delete(spec);
	return o;
}

/* store_entity's render: row 0, or a logged 500. */
static cJSON *scenario_render(const struct db_rows *rows, void *arg, struct problem *p)
{
	cJSON *o = scenario_row_json(rows, 0);

	(void)arg;
	if (o == NULL) {
		log_err("scenarios: scenario %lld: its stored assumptions do not parse", (long long)db_get_i64(rows, 0, "id"));
		problem_internal(p);
	}
	return o;
}

static const struct store_entity scenario_entity = {
	.name = "scenario", .key_name = "id", .get_sql = scenario_get_sql, .lock_sql = scenario_lock_sql,
	.render = scenario_render,
	/* another live scenario has the name */
	.unique_field = "/name", .unique_message = "another scenario has this name",
	.unique_detail = "another scenario has this name",
};

void store_scenario_free(struct store_scenario *sc)
{
	if (sc == NULL)
		return;
	scenario_free(&sc->s);
	cJSON_Delete(sc->json);
	sc->json = NULL;
}

static int scenario_from_rows(const struct db_rows *rows, struct store_scenario *out, struct problem *p)
{
	static const char *const names[] = { "id", "name", "version", "_base_year", "horizon" };
	struct problem sp;
	size_t ix[5];
	cJSON *o;

	problem_reset(&sp);
	if (db_columns(rows, names, 5, ix, p) != 0)
		return -1;
	out->id = db_cell_i64(rows, 0, ix[0]);
	snprintf(out->name, sizeof(out->name), "%s", db_cell(rows, 0, ix[1]));
	out->version = db_cell_i64(rows, 0, ix[2]);
	out->base_year = (int)db_cell_i64(rows, 0, ix[3]);
	out->horizon = (int)db_cell_i64(rows, 0, ix[4]);
	if ((out->json = scenario_row_json(rows, 0)) == NULL) {
		log_err("scenarios: scenario %lld: its stored assumptions do not parse", (long long)out->id);
		return problem_internal(p);
	}
	o = out->json;
	if (scenario_parse(cJSON_GetObjectItemCaseSensitive(o, "assumptions"), cJSON_GetObjectItemCaseSensitive(o, "pupils"),
			   cJSON_GetObjectItemCaseSensitive(o, "places"), out->base_year, &out->s, &sp) != 0 ||
	    scenario_parse_whatif(cJSON_GetObjectItemCaseSensitive(o, "overrides"),
				  cJSON_GetObjectItemCaseSensitive(o, "actions"), &out->s, &sp) != 0) {
		log_err("scenarios: scenario %lld: its stored assumptions are not valid (%s: %s)", (long long)out->id,
			sp.nerrors ? sp.errors[0].field : "", sp.nerrors ? sp.errors[0].message : "");
		store_scenario_free(out);
		return problem_internal(p);
	}
	return 0;
}

int store_scenario_load(struct db *db, int64_t id, struct store_scenario *out, struct problem *p)
{
	struct db_param prm = DBP_I64(id);
	struct db_rows *rows = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (db_query(db, scenario_get_sql, &prm, 1, &rows, p) != 0)
		return -1;
	rc = rows->nrows == 0 ? 1 : scenario_from_rows(rows, out, p);
	db_rows_free(rows);
	return rc;
}

/* ---- reads ---- */

#define SUMMARY_COLS \
	"s.id, s.name, s.description, CONCAT(s.base_year, '-', LPAD((s.base_year + 1) % 100, 2, '0')) AS base_year, " \
	"s.horizon, s.version, s.created_at, s.updated_at, s.deleted_at AS _deleted_at"

/* Tombstones only for a sync (updated_since); the base_year filter. */
static const char scenarios_list_sql[] =
	"SELECT " SUMMARY_COLS " FROM scenarios s WHERE " STORE_KEYSET_WHERE("s")
	" AND (s.deleted_at IS NULL OR ? = 1) AND (? IS NULL OR s.base_year = ?)"
	" ORDER BY s.updated_at, s.id LIMIT ?";

int store_scenarios_list(struct db *db, const struct page *pg, int has_year, int year, struct db_rows **rows,
			 struct problem *p)
{
	struct db_param extra[3] = {
		DBP_I64(pg->has_since ? 1 : 0), has_year ? DBP_I64(year) : DBP_NULL, has_year ? DBP_I64(year) : DBP_NULL,
	};

	return store_list(db, scenarios_list_sql, pg, extra, 3, rows, p);
}

cJSON *store_scenario_summary(const struct db_rows *rows, size_t i)
{
	int deleted = db_get(rows, i, "_deleted_at") != NULL;
	cJSON *o = db_row_to_json(rows, i);

	if (o == NULL)
		return NULL;
	if (deleted) {
		for (const char *const *k = (const char *const[]){ "description", "base_year", "horizon", "created_at", NULL };
		     *k != NULL; k++)
			cJSON_DeleteItemFromObjectCaseSensitive(o, *k);
	}
	if (cJSON_AddBoolToObject(o, "deleted", deleted) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

cJSON *store_scenario_get(struct db *db, int64_t id, int64_t *version, struct problem *p)
{
	struct db_param prm = DBP_I64(id);
	char text[24];

	snprintf(text, sizeof(text), "%lld", (long long)id);
	return store_load(db, &scenario_entity, &(struct store_key){ &prm, 1, text }, 0, NULL, version, p);
}

static const char school_urns_sql[] = "SELECT urn FROM schools WHERE kind = 'school'";

int store_scenarios_school_urns(struct db *db, struct db_rows **rows, struct problem *p)
{
	return db_query(db, school_urns_sql, NULL, 0, rows, p);
}

static const char accounts_sql[] = "SELECT code, is_internal, active FROM accounts";

int store_scenarios_accounts(struct db *db, struct db_rows **rows, struct problem *p)
{
	return db_query(db, accounts_sql, NULL, 0, rows, p);
}

/* ---- writes ---- */

/* The five columns of a write, in scenario_insert_sql's order. */
static void scenario_params(const struct scenario_in *s, struct db_param *prm)
{
	prm[0] = DBP_STR(s->name);
	prm[1] = DBP_STR(s->description != NULL ? s->description : "");
	prm[2] = DBP_I64(s->base_year);
	prm[3] = DBP_I64(s->horizon);
	prm[4] = DBP_STR(s->spec);
}

static const char scenario_insert_sql[] =
	"INSERT INTO scenarios (name, description, base_year, horizon, spec_json) VALUES (?, ?, ?, ?, ?)";

int store_scenario_create(struct db *db, const struct audit_actor *who, const struct scenario_in *s, int64_t *id,
			  cJSON **after, struct problem *p)
{
	struct db_param prm[5];

	scenario_params(s, prm);
	return store_versioned_create(db, &(struct store_create){ .e = &scenario_entity, .sql = scenario_insert_sql,
			.params = prm, .nparams = 5, .who = who }, id, after, p);
}

static const char scenario_update_sql[] =
	"UPDATE scenarios SET name = ?, description = ?, base_year = ?, horizon = ?, spec_json = ?, "
	"version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND version = ? AND deleted_at IS NULL";

int store_scenario_update(struct db *db, const struct audit_actor *who, int64_t id, int64_t want_version,
			  const struct scenario_in *s, cJSON **after, struct problem *p)
{
	struct db_param prm[7];
	char text[24];

	scenario_params(s, prm);
	prm[5] = DBP_I64(id);
	prm[6] = DBP_I64(want_version);
	snprintf(text, sizeof(text), "%lld", (long long)id);
	return store_versioned_write(db, &(struct store_write){ .e = &scenario_entity, .key = { &prm[5], 1, text },
			.want_version = want_version, .action = "update", .sql = scenario_update_sql, .params = prm,
			.nparams = 7, .who = who }, after, p);
}

static const char scenario_delete_sql[] =
	"UPDATE scenarios SET deleted_at = UTC_TIMESTAMP(6), version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE id = ? AND version = ? AND deleted_at IS NULL";

int store_scenario_delete(struct db *db, const struct audit_actor *who, int64_t id, int64_t want_version,
			  struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(id), DBP_I64(want_version) };
	cJSON *after = NULL;
	char text[24];

	snprintf(text, sizeof(text), "%lld", (long long)id);
	return store_versioned_write(db, &(struct store_write){ .e = &scenario_entity, .key = { prm, 1, text },
			.want_version = want_version, .action = "delete", .is_delete = 1, .sql = scenario_delete_sql,
			.params = prm, .nparams = 2, .who = who }, &after, p);
}
