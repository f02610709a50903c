/* store_accounts.c - see store_accounts.h */
#include "store_accounts.h"

#include <stdio.h>

#define ACCOUNT_COLS \
	"a.id, a.code, a.name, a.kind, a.grp AS `group`, a.driver, a.is_gag AS gag, " \
	"a.is_teacher AS teacher, a.is_support AS support, a.is_internal AS internal, a.active, " \
	"a.default_profile, a.bfr_line, a.version, a.created_at, a.updated_at"

static const char accounts_list_sql[] =
	"SELECT " ACCOUNT_COLS " FROM accounts a WHERE " STORE_KEYSET_WHERE("a")
	" AND (? IS NULL OR a.kind = ?) ORDER BY a.updated_at, a.id LIMIT ?";

int store_accounts_list(struct db *db, const struct page *pg, const char *kind, struct db_rows **rows,
			struct problem *p)
{
	struct db_param extra[2] = { DBP_STR(kind), DBP_STR(kind) };

	return store_list(db, accounts_list_sql, pg, extra, 2, rows, p);
}

static const char account_get_sql[] = "SELECT " ACCOUNT_COLS " FROM accounts a WHERE a.code = ?";
static const char account_lock_sql[] = "SELECT " ACCOUNT_COLS " FROM accounts a WHERE a.code = ? FOR UPDATE";

static const struct store_entity account_entity = {
	.name = "account", .key_name = "code", .get_sql = account_get_sql, .lock_sql = account_lock_sql,
};

cJSON *store_account_get(struct db *db, const char *code, int64_t *version, struct problem *p)
{
	struct db_param prm = DBP_STR(code);

	return store_load(db, &account_entity, &(struct store_key){ &prm, 1, code }, 0, NULL, version, p);
}

static const char profile_exists_sql[] = "SELECT COUNT(*) FROM profiles WHERE name = ?";
static const char bfr_exists_sql[] = "SELECT COUNT(*) FROM bfr_lines WHERE line_no = ?";
static const char account_update_sql[] =
	"UPDATE accounts SET default_profile = IF(?, ?, default_profile), bfr_line = IF(?, ?, bfr_line), "
	"version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE code = ? AND version = ?";

/* count of sql over one parameter > 0: 1, 0, or -1. */
static int account_exists(struct db *db, const char *sql, struct db_param prm, struct problem *p)
{
	struct db_rows *rows = NULL;
	int rc;

	if (db_query(db, sql, &prm, 1, &rows, p) != 0)
		return -1;
	rc = db_cell_i64(rows, 0, 0) > 0;
	db_rows_free(rows);
	return rc;
}

/* The profile and the BFR line named are there: else 422 on their fields. */
static int account_check(struct db *db, const cJSON *before, void *arg, struct problem *p)
{
	const struct account_in *in = arg;
	int ok;

	(void)before;
	if (in->set_profile && in->default_profile != NULL) {
		if ((ok = account_exists(db, profile_exists_sql, DBP_STR(in->default_profile), p)) < 0)
			return -1;
		if (!ok)
			problem_field(p, "/default_profile", "there is no profile \"%s\" (GET /api/v1/profiles)",
				      in->default_profile);
	}
	if (in->set_bfr && in->bfr_line >= 0) {
		if ((ok = account_exists(db, bfr_exists_sql, DBP_I64(in->bfr_line), p)) < 0)
			return -1;
		if (!ok)
			problem_field(p, "/bfr_line", "there is no BFR line %lld", (long long)in->bfr_line);
	}
	return problem_validation_done(p);
}

int store_account_update(struct db *db, const struct audit_actor *who, const char *code, int64_t want_version,
			 const struct account_in *in, cJSON **after, struct problem *p)
{
	struct db_param prm[6] = {
		DBP_I64(in->set_profile ? 1 : 0), DBP_STR(in->set_profile ? in->default_profile : NULL),
		DBP_I64(in->set_bfr ? 1 : 0), in->set_bfr && in->bfr_line >= 0 ? DBP_I64(in->bfr_line) : DBP_NULL,
		DBP_STR(code), DBP_I64(want_version),
	};

	return store_versioned_write(db, &(struct store_write){ .e = &account_entity,
			.key = { &prm[4], 1, code }, .want_version = want_version, .action = "update",
			.sql = account_update_sql, .params = prm, .nparams = 6, .check = account_check,
			.arg = (void *)in, .who = who }, after, p);
}
