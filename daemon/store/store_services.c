/* store_services.c - see store_services.h */
#include "store_services.h"

#include <stdio.h>
#include <string.h>

#include "date.h"
#include "store.h"
#include "store_svcyear.h"

/* ---- services ---- */

static const char services_list_sql[] =
	"SELECT " SVCYEAR_COLS " FROM " SVCYEAR_FROM " WHERE " STORE_KEYSET_WHERE("sv")
	" AND (sv.deleted_at IS NULL OR ? = 1) AND (? IS NULL OR sv.funding = ?) AND (? IS NULL OR sv.basis = ?)"
	" AND (? IS NULL OR sv.category = ?) ORDER BY sv.updated_at, sv.id LIMIT ?";

int store_services_list(struct db *db, const struct page *pg, const char *funding, const char *basis,
			const char *category, struct db_rows **rows, struct problem *p)
{
	struct db_param extra[7] = {
		DBP_I64(pg->has_since), DBP_STR(funding), DBP_STR(funding), DBP_STR(basis), DBP_STR(basis),
		DBP_STR(category), DBP_STR(category),
	};

	return store_list(db, services_list_sql, pg, extra, 7, rows, p);
}

static const char service_get_sql[] = "SELECT " SVCYEAR_COLS " FROM " SVCYEAR_FROM " WHERE sv.id = ?";

int store_service_row(struct db *db, int64_t id, struct db_rows **rows, struct problem *p)
{
	struct db_param prm = DBP_I64(id);

	return db_query(db, service_get_sql, &prm, 1, rows, p);
}

static const char service_live_sql[] = "SELECT id FROM services WHERE id = ? AND deleted_at IS NULL";

int store_service_live(struct db *db, int64_t id, struct problem *p)
{
	struct db_param prm = DBP_I64(id);
	struct db_rows *rows = NULL;
	int found;

	if (db_query(db, service_live_sql, &prm, 1, &rows, p) != 0)
		return -1;
	found = rows->nrows > 0;
	db_rows_free(rows);
	return found;
}

static const char service_version_sql[] = "SELECT version, deleted_at FROM services WHERE id = ?";

int store_service_version(struct db *db, int64_t id, int64_t *version, struct problem *p)
{
	struct db_param prm = DBP_I64(id);
	struct db_rows *rows = NULL;

	if (db_query(db, service_version_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if (rows->nrows == 0) {
		db_rows_free(rows);
		return problem_not_found(p, "no service with id %lld", (long long)id);
	}
	*version = db_get_i64(rows, 0, "version");
	db_rows_free(rows);
	return 0;
}

static const char service_lock_sql[] =
	"SELECT id, version, basis, name FROM services WHERE id = ? AND deleted_at IS NULL FOR UPDATE";

int store_service_lock(struct db *db, int64_t id, struct store_service_locked *out, struct problem *p)
{
	struct db_param prm = DBP_I64(id);
	struct db_rows *rows = NULL;
	int basis;

	if (db_query(db, service_lock_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if (rows->nrows == 0) {
		db_rows_free(rows);
		return problem_not_found(p, "no service with id %lld", (long long)id);
	}
	out->id = id;
	out->version = db_get_i64(rows, 0, "version");
	basis = alloc_basis_parse(db_get(rows, 0, "basis"));
	out->basis = basis >= 0 ? (enum alloc_basis)basis : ALLOC_EQUAL;
	snprintf(out->name, sizeof(out->name), "%s", db_get(rows, 0, "name"));
	db_rows_free(rows);
	return 0;
}

static const char service_bump_sql[] =
	"UPDATE services SET version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE id = ?";

int store_service_bump(struct db *db, int64_t id, struct problem *p)
{
	struct db_param prm = DBP_I64(id);

	return db_exec(db, service_bump_sql, &prm, 1, NULL, NULL, p);
}

static const char school_data_sql[] =
	"SELECT s.floor_area_m2,"
	" (SELECT COUNT(*) FROM school_years y WHERE y.school_id = s.id AND y.year <= ? AND y.pupils IS NOT NULL)"
	" AS pupil_years,"
	" (SELECT COUNT(*) FROM school_years y WHERE y.school_id = s.id AND y.year <= ? AND y.fte_hundredths IS NOT NULL)"
	" AS fte_years FROM schools s WHERE s.id = ?";

int store_service_school_data(struct db *db, enum alloc_basis basis, int64_t school_id, const char *urn,
			      int32_t start, const char *field, struct problem *p)
{
	int year = acyear_of(start);
	struct db_param prm[3] = { DBP_I64(year), DBP_I64(year), DBP_I64(school_id) };
	struct db_rows *rows = NULL;

	if (basis != ALLOC_PER_PUPIL && basis != ALLOC_PER_FTE && basis != ALLOC_FLOOR_AREA)
		return 0;
	if (db_query(db, school_data_sql, prm, 3, &rows, p) != 0)
		return -1;
	if (rows->nrows == 1) {
		if (basis == ALLOC_FLOOR_AREA && db_get(rows, 0, "floor_area_m2") == NULL)
			problem_field(p, field, "%s has no floor area recorded (floor_area_m2), and the service is split "
				      "by floor area", urn);
		if (basis == ALLOC_PER_PUPIL && db_get_i64(rows, 0, "pupil_years") == 0)
			problem_field(p, field, "%s has no October census (pupils) for %d-%02d or before, and the "
				      "service is split per pupil", urn, year, (year + 1) % 100);
		if (basis == ALLOC_PER_FTE && db_get_i64(rows, 0, "fte_years") == 0)
			problem_field(p, field, "%s has no staff FTE for %d-%02d or before, and the service is split "
				      "per FTE", urn, year, (year + 1) % 100);
	}
	db_rows_free(rows);
	return 0;
}

static const char account_sql[] = "SELECT kind, active FROM accounts WHERE code = ?";
static const char contract_exists_sql[] = "SELECT id FROM contracts WHERE id = ?";

int store_service_refs(struct db *db, const char *account_code, int64_t contract_id, struct problem *p)
{
	struct db_param prm = DBP_STR(account_code);
	struct db_rows *rows = NULL;

	if (db_query(db, account_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if (rows->nrows == 0)
		problem_field(p, "/account_code", "no account with code %s in the chart of accounts", account_code);
	else if (strcmp(db_get(rows, 0, "kind"), "expenditure") != 0)
		problem_field(p, "/account_code", "%s is an income account: a service is booked to an expenditure "
			      "account", account_code);
	else if (db_get_i64(rows, 0, "active") == 0)
		problem_field(p, "/account_code", "%s is no longer in use", account_code);
	db_rows_free(rows);
	if (contract_id > 0) {
		prm = DBP_I64(contract_id);
		if (db_query(db, contract_exists_sql, &prm, 1, &rows, p) != 0)
			return -1;
		if (rows->nrows == 0)
			problem_field(p, "/contract_id", "no contract with id %lld", (long long)contract_id);
		db_rows_free(rows);
	}
	return 0;
}

#define SERVICE_SET \
	"name = ?, category = ?, description = ?, contract_id = ?, account_code = ?, funding = ?, basis = ?, " \
	"usage_unit = ?, annual_cost_pence = ?, annual_vat_pence = ?"

static const char service_insert_sql[] = "INSERT INTO services SET " SERVICE_SET;
static const char service_update_sql[] =
	"UPDATE services SET " SERVICE_SET ", version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE id = ? AND version = ? AND deleted_at IS NULL";

int store_service_save(struct db *db, const struct store_service_in *s, int64_t *id, int64_t want_version,
		       struct problem *p)
{
	struct db_param prm[12];
	uint64_t affected = 0, iid = 0;
	size_t n = 0;
	int rc;

	prm[n++] = DBP_STR(s->name);
	prm[n++] = DBP_STR(s->category);
	prm[n++] = DBP_STR(s->description != NULL ? s->description : "");
	prm[n++] = s->contract_id > 0 ? DBP_I64(s->contract_id) : DBP_NULL;
	prm[n++] = DBP_STR(s->account_code);
	prm[n++] = DBP_STR(s->funding);
	prm[n++] = DBP_STR(s->basis);
	prm[n++] = DBP_STR(s->usage_unit != NULL ? s->usage_unit : "");
	prm[n++] = s->contract_id > 0 ? DBP_NULL : DBP_I64(s->cost_pence);
	prm[n++] = DBP_I64(s->contract_id > 0 ? 0 : s->vat_pence);
	if (*id == 0) {
		rc = db_exec(db, service_insert_sql, prm, n, &affected, &iid, p);
		*id = (int64_t)iid;
	} else {
		prm[n++] = DBP_I64(*id);
		prm[n++] = DBP_I64(want_version);
		rc = db_exec(db, service_update_sql, prm, n, &affected, NULL, p);
	}
	if (rc != 0) {
		if (db_errno(db) == DB_ER_DUP_ENTRY) {
			problem_conflict(p, "there is already a service called %s", s->name);
			problem_field(p, "/name", "another service has this name");
		}
		return -1;
	}
	if (affected != 1)
		return problem_changed(p, "updated", "service %lld", (long long)*id);
	return 0;
}

/* A deleted service stays as a tombstone and gives up its contract (so that a draft
 * contract can still be deleted); its subscriptions become tombstones too, so the
 * schools' systems see them go. */
static const char service_delete_sql[] =
	"UPDATE services SET deleted_at = UTC_TIMESTAMP(6), contract_id = NULL,"
	" annual_cost_pence = COALESCE(annual_cost_pence, 0), version = version + 1, updated_at = UTC_TIMESTAMP(6)"
	" WHERE id = ? AND version = ? AND deleted_at IS NULL";
static const char service_delete_subs_sql[] =
	"UPDATE subscriptions SET deleted_at = UTC_TIMESTAMP(6), version = version + 1, updated_at = UTC_TIMESTAMP(6)"
	" WHERE service_id = ? AND deleted_at IS NULL";

int store_service_delete(struct db *db, int64_t id, int64_t version, uint64_t *subs, struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(id), DBP_I64(version) };

	*subs = 0;
	if (db_exec(db, service_delete_subs_sql, prm, 1, subs, NULL, p) != 0)
		return -1;
	return db_exec(db, service_delete_sql, prm, 2, NULL, NULL, p);
}

/* ---- subscriptions ---- */

#define SUB_COLS \
	"b.id, b.service_id, sc.urn AS school, sc.name AS school_name, b.start_date, b.end_date, b.level, " \
	"b.usage_units, b.fixed_share_bp, b.deleted_at, b.version, b.created_at, b.updated_at, b.school_id"
#define SUB_FROM "subscriptions b JOIN schools sc ON sc.id = b.school_id"

static const char sub_list_sql[] =
	"SELECT " SUB_COLS " FROM " SUB_FROM " WHERE " STORE_KEYSET_WHERE("b")
	" AND b.service_id = ? AND (b.deleted_at IS NULL OR ? = 1)"
	" AND (? = 0 OR b.school_id IN (SELECT school_id FROM api_token_schools WHERE token_id = ?))"
	" AND (? = 0 OR b.school_id = ?) ORDER BY b.updated_at, b.id LIMIT ?";

int store_subscriptions_list(struct db *db, const struct page *pg, int64_t service_id, int scoped, int64_t token_id,
			     int64_t school_id, struct db_rows **rows, struct problem *p)
{
	struct db_param extra[6] = {
		DBP_I64(service_id), DBP_I64(pg->has_since), DBP_I64(scoped), DBP_I64(token_id),
		DBP_I64(school_id), DBP_I64(school_id),
	};

	return store_list(db, sub_list_sql, pg, extra, 6, rows, p);
}

static const char sub_get_sql[] = "SELECT " SUB_COLS " FROM " SUB_FROM " WHERE b.id = ? AND b.service_id = ?";
static const char sub_lock_sql[] =
	"SELECT " SUB_COLS " FROM " SUB_FROM " WHERE b.id = ? AND b.service_id = ? FOR UPDATE";

int store_subscription_get(struct db *db, int64_t id, int64_t sid, int lock, struct db_rows **rows,
			   struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(sid), DBP_I64(id) };

	return db_query(db, lock ? sub_lock_sql : sub_get_sql, prm, 2, rows, p);
}

static const char sub_live_sql[] =
	"SELECT b.id, b.school_id, sc.urn, b.start_date, b.end_date, b.level, b.usage_units, b.fixed_share_bp"
	" FROM subscriptions b JOIN schools sc ON sc.id = b.school_id"
	" WHERE b.service_id = ? AND b.deleted_at IS NULL ORDER BY b.id FOR UPDATE";

int store_subscriptions_live(struct db *db, int64_t id, struct db_rows **rows, struct problem *p)
{
	struct db_param prm = DBP_I64(id);

	return db_query(db, sub_live_sql, &prm, 1, rows, p);
}

static const char sub_set_sql[] =
	"SELECT " SUB_COLS " FROM " SUB_FROM " WHERE b.service_id = ? AND b.deleted_at IS NULL ORDER BY b.id";

int store_subscriptions_set(struct db *db, int64_t id, struct db_rows **rows, struct problem *p)
{
	struct db_param prm = DBP_I64(id);

	return db_query(db, sub_set_sql, &prm, 1, rows, p);
}

static const char sub_insert_sql[] =
	"INSERT INTO subscriptions (service_id, school_id, start_date, end_date, level, usage_units, fixed_share_bp)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char sub_update_sql[] =
	"UPDATE subscriptions SET school_id = ?, start_date = ?, end_date = ?, level = ?, usage_units = ?,"
	" fixed_share_bp = ?, version = version + 1, updated_at = UTC_TIMESTAMP(6)"
	" WHERE id = ? AND version = ? AND deleted_at IS NULL";

int store_subscription_save(struct db *db, int64_t service_id, const struct store_sub_in *s, int64_t *sid,
			    int64_t version, struct problem *p)
{
	struct db_param prm[8];
	uint64_t affected = 0, id = 0;
	size_t n = 0;

	if (*sid == 0)
		prm[n++] = DBP_I64(service_id);
	prm[n++] = DBP_I64(s->school_id);
	prm[n++] = DBP_STR(s->start);
	prm[n++] = s->end != NULL ? DBP_STR(s->end) : DBP_NULL;
	prm[n++] = DBP_STR(s->level != NULL ? s->level : "");
	prm[n++] = s->units >= 0 ? DBP_I64(s->units) : DBP_NULL;
	prm[n++] = s->bp >= 0 ? DBP_I64(s->bp) : DBP_NULL;
	if (*sid == 0) {
		if (db_exec(db, sub_insert_sql, prm, n, &affected, &id, p) != 0)
			return -1;
		*sid = (int64_t)id;
		return 0;
	}
	prm[n++] = DBP_I64(*sid);
	prm[n++] = DBP_I64(version);
	if (db_exec(db, sub_update_sql, prm, n, &affected, NULL, p) != 0)
		return -1;
	if (affected != 1)
		return problem_changed(p, "updated", "subscription %lld", (long long)*sid);
	return 0;
}

static const char sub_delete_sql[] =
	"UPDATE subscriptions SET deleted_at = UTC_TIMESTAMP(6), version = version + 1, updated_at = UTC_TIMESTAMP(6)"
	" WHERE id = ? AND version = ? AND deleted_at IS NULL";
static const char sub_tombstone_sql[] =
	"UPDATE subscriptions SET deleted_at = UTC_TIMESTAMP(6), version = version + 1, updated_at = UTC_TIMESTAMP(6)"
	" WHERE id = ?";

int store_subscription_delete(struct db *db, int64_t sid, int64_t version, struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(sid), DBP_I64(version) };

	if (version < 0)
		return db_exec(db, sub_tombstone_sql, prm, 1, NULL, NULL, p);
	return db_exec(db, sub_delete_sql, prm, 2, NULL, NULL, p);
}

static const char sub_version_sql[] = "SELECT version FROM subscriptions WHERE id = ?";

int store_subscription_version(struct db *db, int64_t sid, int64_t *version, struct problem *p)
{
	struct db_param prm = DBP_I64(sid);
	struct db_rows *rows = NULL;

	if (db_query(db, sub_version_sql, &prm, 1, &rows, p) != 0)
		return -1;
	*version = db_cell_i64(rows, 0, 0);
	db_rows_free(rows);
	return 0;
}

static const char sub_changed_sql[] =
	"SELECT b.id, b.service_id, b.updated_at FROM subscriptions b WHERE b.school_id = ? AND b.updated_at >= ?"
	" ORDER BY b.id";

int store_subscriptions_changed(struct db *db, int64_t school_id, const char *since, struct db_rows **rows,
				struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(school_id), DBP_STR(since) };

	return db_query(db, sub_changed_sql, prm, 2, rows, p);
}
