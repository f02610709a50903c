/* store_forecasts_life.c - a saved run's label and notes, publishing and
 * withdrawing it, deleting a draft, and a scenario found by its name; see
 * store_forecasts.h */
#include "store_forecasts.h"

#include <stdio.h>
#include <string.h>

static const char life_get_sql[] = "SELECT " STORE_FORECAST_HEAD_COLS " FROM forecast_runs r WHERE r.id = ?";
static const char life_lock_sql[] =
	"SELECT " STORE_FORECAST_HEAD_COLS " FROM forecast_runs r WHERE r.id = ? FOR UPDATE";

static const struct store_entity life_entity = {
	.name = "forecast", .key_name = "id", .get_sql = life_get_sql, .lock_sql = life_lock_sql,
};

static const char life_scenario_sql[] = "SELECT id FROM scenarios WHERE name_live = ?";

int store_forecasts_scenario_by_name(struct db *db, const char *name, int64_t *id, struct problem *p)
{
	struct db_param prm = DBP_STR(name);
	struct db_rows *rows = NULL;
	int found;

	if (db_query(db, life_scenario_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if ((found = rows->nrows > 0))
		*id = db_cell_i64(rows, 0, 0);
	db_rows_free(rows);
	return found;
}

/* The audit row's name of run id (text), and the 404's detail (missing, 64 bytes). */
static void life_key_text(int64_t id, char *text, size_t len, char *missing)
{
	snprintf(text, len, "%lld", (long long)id);
	snprintf(missing, 64, "no forecast run with id %lld", (long long)id);
}

static const char life_update_sql[] =
	"UPDATE forecast_runs SET label = ?, notes = ?, version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE id = ? AND version = ?";

int store_forecast_update(struct db *db, const struct audit_actor *who, int64_t id, int64_t want_version,
			  const char *label, const char *notes, cJSON **after, struct problem *p)
{
	struct db_param prm[4] = { DBP_STR(label), DBP_STR(notes != NULL ? notes : ""), DBP_I64(id),
				   DBP_I64(want_version) };
	char text[24], missing[64], what[48];

	life_key_text(id, text, sizeof(text), missing);
	snprintf(what, sizeof(what), "forecast run %lld", (long long)id);
	return store_versioned_write(db, &(struct store_write){ .e = &life_entity, .key = { &prm[2], 1, text },
			.want_version = want_version, .action = "update", .sql = life_update_sql,
			.params = prm, .nparams = 4, .who = who, .missing = missing, .what = what }, after, p);
}

static const char life_publish_sql[] =
	"UPDATE forecast_runs SET status = 'published', published_at = UTC_TIMESTAMP(6), published_by = ?, "
	"version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND version = ?";
static const char life_withdraw_sql[] =
	"UPDATE forecast_runs SET status = 'draft', published_at = NULL, published_by = NULL, "
	"version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND version = ?";

struct life_move {
	int64_t id;
	const char *to;                          /* "published", "draft" */
};

/* 409 when the run is already where the move would take it. */
static int life_move_check(struct db *db, const cJSON *before, void *arg, struct problem *p)
{
	const struct life_move *m = arg;
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(before, "status"));

	(void)db;
	if (status != NULL && strcmp(status, m->to) == 0)
		return problem_conflict(p, "forecast run %lld is already %s", (long long)m->id,
					strcmp(m->to, "draft") == 0 ? "a draft" : "published");
	return 0;
}

int store_forecast_move(struct db *db, const struct audit_actor *who, int64_t id, int64_t want_version,
			int publish, cJSON **after, struct problem *p)
{
	struct db_param prm[3];
	struct life_move m = { id, publish ? "published" : "draft" };
	size_t n = 0;
	char text[24], missing[64], what[48];

	if (publish)
		prm[n++] = DBP_STR(who->name != NULL && who->name[0] != '\0' ? who->name : "command line");
	prm[n++] = DBP_I64(id);
	prm[n++] = DBP_I64(want_version);
	life_key_text(id, text, sizeof(text), missing);
	snprintf(what, sizeof(what), "forecast run %lld", (long long)id);
	return store_versioned_write(db, &(struct store_write){ .e = &life_entity, .key = { &prm[n - 2], 1, text },
			.want_version = want_version, .action = publish ? "publish" : "withdraw",
			.sql = publish ? life_publish_sql : life_withdraw_sql, .params = prm, .nparams = n,
			.check = life_move_check, .arg = &m, .who = who, .missing = missing, .what = what }, after, p);
}

static const char life_delete_years_sql[] = "DELETE FROM forecast_years WHERE run_id = ?";
static const char life_delete_warnings_sql[] = "DELETE FROM forecast_warnings WHERE run_id = ?";
static const char life_delete_sql[] = "DELETE FROM forecast_runs WHERE id = ? AND version = ?";

/* A draft only (409), its years and warnings first (their keys name the run). */
static int life_delete_check(struct db *db, const cJSON *before, void *arg, struct problem *p)
{
	const struct db_param *id = arg;
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(before, "status"));

	if (status == NULL || strcmp(status, "draft") != 0)
		return problem_conflict(p, "forecast run %lld is published: withdraw it first (a published run "
					"is deleted only once it is a draft again)", (long long)id->i);
	if (db_exec(db, life_delete_years_sql, id, 1, NULL, NULL, p) != 0 ||
	    db_exec(db, life_delete_warnings_sql, id, 1, NULL, NULL, p) != 0)
		return -1;
	return 0;
}

int store_forecast_delete(struct db *db, const struct audit_actor *who, int64_t id, int64_t want_version,
			  struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(id), DBP_I64(want_version) };
	cJSON *after = NULL;
	char text[24], missing[64], what[48];

	life_key_text(id, text, sizeof(text), missing);
	snprintf(what, sizeof(what), "forecast run %lld", (long long)id);
	return store_versioned_write(db, &(struct store_write){ .e = &life_entity, .key = { prm, 1, text },
			.want_version = want_version, .action = "delete", .is_delete = 1, .sql = life_delete_sql,
			.params = prm, .nparams = 2, .check = life_delete_check, .arg = prm, .who = who, .missing = missing, .what = what }, &after, p);
}
