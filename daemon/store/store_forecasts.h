/*
 * store_forecasts.h - forecast runs in the database: the inputs a run is built
 * from (store_forecasts.c), a run saved with its figures (store_forecasts_save.c),
 * and saved runs read back (store_forecasts_read.c).
 *
 * Thread: as db.h (per request, the worker's connection). Rows and the strings
 * the structs point to are the caller's until the matching _free.
 */
#ifndef BURSAR_STORE_FORECASTS_H
#define BURSAR_STORE_FORECASTS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "forecast.h"
#include "store.h"

/* ---- the inputs (store_forecasts.c) ---- */

#define STORE_FORECAST_MAX_ENTITIES 2000

/*
 * The base year's inputs as the engine takes them: the chart of accounts, and
 * every entity (the schools and the central team) sorted by URN, with its budget
 * for base_year if any (budget_status NULL: none) and that budget's lines, its
 * census and places from base_year - 2 to base_year + horizon, and its opening
 * reserves of base_year. No scenario (scenario_project lays a scenario's
 * projections over the census). The entities are the caller's to mark selected.
 */
struct store_forecast_inputs {
	struct forecast_account *accounts;
	size_t naccounts;
	struct forecast_entity_in *entities;
	size_t nentities;
	/* what the above point into */
	struct db_rows *acc, *ents, *lines, *years;
	struct forecast_line_in *li;
	unsigned char *fp;                       /* [lines]: the lines' from_posts */
};

/* 0, or -1 with the problem set (422 over STORE_FORECAST_MAX_ENTITIES entities).
 * Free with store_forecasts_inputs_free either way (a zeroed struct is fine). */
int store_forecasts_inputs(struct db *db, int base_year, int horizon, struct store_forecast_inputs *in,
			   struct problem *p) __attribute__((warn_unused_result));
void store_forecasts_inputs_free(struct store_forecast_inputs *in);

/*
 * The latest October census before year of every school whose census of year - 1
 * is not known (a budget drafted years ahead): rows (urn, pupils), the caller's to
 * db_rows_free. 0, or -1 with the problem set.
 */
int store_forecasts_census_before(struct db *db, int year, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

/*
 * The active contracts, by reference, for the run's warnings: each with its
 * school's URN (BURSAR_CENTRAL: trust-wide) and its last possible end
 * (procure_dates). A contract whose stored terms do not parse is left out
 * (logged). Free with store_forecasts_contracts_free either way.
 */
struct store_forecast_contracts {
	struct forecast_contract *items;
	size_t n;
	struct db_rows *rows;                    /* what items point into */
};

int store_forecasts_contracts(struct db *db, struct store_forecast_contracts *c, struct problem *p)
	__attribute__((warn_unused_result));
void store_forecasts_contracts_free(struct store_forecast_contracts *c);

/* ---- saving a run (store_forecasts_save.c) ---- */

/* A run to save: what it was run with and its result (borrowed). */
struct store_forecast_run {
	int64_t scenario_id, scenario_version;
	const char *scenario_name;
	const char *label, *notes;               /* 1..100 and 0..2000 characters; a run starts a draft */
	int base_year, horizon;
	const char *entities_text;               /* the URNs asked for (JSON), or NULL */
	const char *inputs_text;                 /* the record of the inputs (JSON) */
	const struct forecast_result *res;
	int64_t duration_us;                     /* the engine's time */
	char *const *staffing;                   /* [i * (horizon + 1) + k]: entity res->entities[i]'s
						  * staffing_metrics in year Y0+k as JSON text, or NULL
						  * (not planning by post); the array NULL: none */
};

/* run's staffing_metrics text of entity i in year Y0+k, or NULL. */
const char *store_forecast_run_staffing(const struct store_forecast_run *run, size_t i, int k);

/*
 * In the caller's transaction: the run's row (run by who: its token, 0 for
 * none, and role), a row per entity and year (the base year as budgeted; each
 * forecast year with its lines packed in lines_json: [line_no, code,
 * description, driver, amount_pence, explain]; an entity's staffing_json from
 * run->staffing) and the warnings, with bulk
 * INSERTs (db_exec_bulk: one prepared statement, a batch of rows of about 1 MB
 * per round trip), then the audit row `run` (its after-image: id, scenario and
 * version, base year, horizon, digest, the number of warnings). 0 with *run_id
 * set, or -1 with the problem set.
 */
int store_forecasts_save(struct db *db, const struct audit_actor *who, const struct store_forecast_run *run,
			 int64_t *run_id, struct problem *p) __attribute__((warn_unused_result));

/* ---- saved runs (store_forecasts_read.c) ---- */

/* A run's own columns, as every head renders them (forecast_runs r). */
#define STORE_FORECAST_HEAD_COLS \
	"r.id, r.label, r.notes, r.status, r.published_at, r.published_by, " \
	"CONCAT(r.base_year, '-', LPAD((r.base_year + 1) % 100, 2, '0')) AS base_year, r.horizon, r.digest, " \
	"r.version, r.created_at, r.updated_at"

/* The columns of a saved year (store_forecast_rows.years), in ycol[]. */
enum store_fy {
	STORE_FY_ENTITY, STORE_FY_YEAR, STORE_FY_PUPILS, STORE_FY_INCOME, STORE_FY_EXP, STORE_FY_IINC, STORE_FY_IEXP,
	STORE_FY_STAFF, STORE_FY_NONSTAFF, STORE_FY_CONT, STORE_FY_CC, STORE_FY_KPI, STORE_FY_BAL, STORE_FY_OPEN,
	STORE_FY_CLOSE, STORE_FY_STAFF_BP, STORE_FY_RES_BP, STORE_FY_BAL_BP, STORE_FY_STAFFING, STORE_FY__N
};

/* The columns of a warning, in wcol[]. */
enum store_fw { STORE_FW_ENTITY, STORE_FW_YEAR, STORE_FW_CODE, STORE_FW_MESSAGE, STORE_FW__N };

/*
 * A saved run without its lines:
 *   run: one row: STORE_FORECAST_HEAD_COLS (id, label, notes, status,
 *        published_at, published_by, base_year ("2026-27"), horizon, digest,
 *        version, created_at, updated_at: the representation's), and _scenario_id,
 *        _scenario_name, _scenario_version, _token_id, _role, _duration_us,
 *        _entities (JSON or NULL), _inputs (JSON);
 *   years: a row per entity and year, the schools by URN, then the central
 *        team, the trust last; an entity's rows consecutive, by year;
 *   warnings: in the order they were saved;
 *   names: every school's urn and name.
 * ycol and wcol say where each column is (ncol: the names' urn and name).
 */
struct store_forecast_rows {
	struct db_rows *run, *years, *warnings, *names;
	size_t ycol[STORE_FY__N], wcol[STORE_FW__N], ncol[2];
};

/* 0, or -1 with the problem set (404 when there is no run id). Free with
 * store_forecast_rows_free either way. */
int store_forecast_load(struct db *db, int64_t id, struct store_forecast_rows *x, struct problem *p)
	__attribute__((warn_unused_result));
void store_forecast_rows_free(struct store_forecast_rows *x);

/* The name of a school of the run's names ("" when none). */
const char *store_forecast_name(const struct store_forecast_rows *x, const char *urn);

/*
 * One entity's saved lines, year by year (rows: year, lines_json; the base year
 * has none): read an entity at a time (a 1,000-school run's lines are hundreds
 * of megabytes).
 */
int store_forecast_lines(struct db *db, int64_t id, const char *entity, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

/* The run's own columns as GET renders them (STORE_FORECAST_HEAD_COLS) as JSON;
 * NULL with the problem set (500 when there is no such run: the caller has just
 * saved it). */
cJSON *store_forecast_head(struct db *db, int64_t id, struct problem *p);

/* What a list of runs keeps to (NULL / 0: no filter). */
struct store_forecasts_filter {
	int64_t scenario_id;                     /* > 0: that scenario's runs */
	const char *status;                      /* "draft" or "published" */
	int published_only;                      /* a business manager's list */
	const char *urns_json;                   /* a JSON array of URNs: the runs of every entity or of a
						    set with one of those schools */
};

/* A page of runs (rows for api_reply_page), each a ForecastSummary's columns. */
int store_forecasts_list(struct db *db, const struct page *pg, const struct store_forecasts_filter *f,
			 struct db_rows **rows, struct problem *p) __attribute__((warn_unused_result));

/* ---- a run's life (store_forecasts_life.c) ---- */

/*
 * A live scenario's id by its name: 1 found (*id), 0 none, -1 with the problem
 * set. POST /forecasts names its scenario either way.
 */
int store_forecasts_scenario_by_name(struct db *db, const char *name, int64_t *id, struct problem *p)
	__attribute__((warn_unused_result));

/*
 * The run's versioned writes, each in the caller's transaction with its audit
 * row (entity `forecast`; the images are the run's own columns, as
 * store_forecast_head renders them), through store_versioned_write: 404 when
 * there is no run id, 412 when want_version is stale, and nothing changes.
 *   update:  label and notes (action `update`).
 *   publish: a draft becomes published, naming who (published_by: the actor's
 *            name, as the audit log gives it) and when; withdraw: a published
 *            run becomes a draft again. 409 when the run is already so (actions
 *            `publish`, `withdraw`).
 *   delete:  a draft, with its years and warnings (action `delete`); 409 for a
 *            published run.
 * *after (not for delete) is the caller's.
 */
int store_forecast_update(struct db *db, const struct audit_actor *who, int64_t id, int64_t want_version,
			  const char *label, const char *notes, cJSON **after, struct problem *p)
	__attribute__((warn_unused_result));
int store_forecast_move(struct db *db, const struct audit_actor *who, int64_t id, int64_t want_version,
			int publish, cJSON **after, struct problem *p) __attribute__((warn_unused_result));
int store_forecast_delete(struct db *db, const struct audit_actor *who, int64_t id, int64_t want_version,
			  struct problem *p) __attribute__((warn_unused_result));

#endif
