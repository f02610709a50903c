/* store_ledger.c - see store_ledger.h */
#include "store_ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the two kinds ---- */

#define CC_COLS "c.id AS _id, c.code, s.urn, c.description, c.version, c.created_at, c.updated_at"
#define CC_FROM " FROM ledger_cost_centres c JOIN schools s ON s.id = c.school_id"
#define NOM_COLS "n.id AS _id, n.code, a.code AS account_code, n.description, n.version, n.created_at, n.updated_at"
#define NOM_FROM " FROM ledger_nominals n JOIN accounts a ON a.id = n.account_id"

static const char cc_get_sql[] = "SELECT " CC_COLS CC_FROM " WHERE c.code = ?";
static const char cc_lock_sql[] = "SELECT id FROM ledger_cost_centres WHERE code = ? FOR UPDATE";
static const char cc_list_sql[] = "SELECT " CC_COLS CC_FROM " WHERE " STORE_KEYSET_WHERE("c")
	" ORDER BY c.updated_at, c.id LIMIT ?";
static const char cc_all_sql[] = "SELECT " CC_COLS CC_FROM " ORDER BY c.code";
static const char cc_insert_sql[] = "INSERT INTO ledger_cost_centres (school_id, description, code) VALUES (?, ?, ?)";
static const char cc_update_sql[] =
	"UPDATE ledger_cost_centres SET school_id = ?, description = ?, version = version + 1,"
	" updated_at = UTC_TIMESTAMP(6) WHERE code = ? AND version = ?";
static const char cc_delete_sql[] = "DELETE FROM ledger_cost_centres WHERE code = ? AND version = ?";
static const char cc_target_sql[] = "SELECT id FROM schools WHERE urn = ?";

static const char nom_get_sql[] = "SELECT " NOM_COLS NOM_FROM " WHERE n.code = ?";
static const char nom_lock_sql[] = "SELECT id FROM ledger_nominals WHERE code = ? FOR UPDATE";
static const char nom_list_sql[] = "SELECT " NOM_COLS NOM_FROM " WHERE " STORE_KEYSET_WHERE("n")
	" ORDER BY n.updated_at, n.id LIMIT ?";
static const char nom_all_sql[] = "SELECT " NOM_COLS NOM_FROM " ORDER BY n.code";
static const char nom_insert_sql[] = "INSERT INTO ledger_nominals (account_id, description, code) VALUES (?, ?, ?)";
static const char nom_update_sql[] =
	"UPDATE ledger_nominals SET account_id = ?, description = ?, version = version + 1,"
	" updated_at = UTC_TIMESTAMP(6) WHERE code = ? AND version = ?";
static const char nom_delete_sql[] = "DELETE FROM ledger_nominals WHERE code = ? AND version = ?";
static const char nom_target_sql[] = "SELECT id FROM accounts WHERE code = ?";

/* lock_sql is get_sql: `first` locks the code's own row, not the school's or account's. */
static const struct store_entity cc_entity = {
	.name = "ledger_cost_centre", .key_name = "code", .get_sql = cc_get_sql, .lock_sql = cc_get_sql,
	.unique_field = "/code", .unique_message = "another cost centre has this code",
	.unique_detail = "there is already a cost centre with this code",
};
static const struct store_entity nom_entity = {
	.name = "ledger_nominal", .key_name = "code", .get_sql = nom_get_sql, .lock_sql = nom_get_sql,
	.unique_field = "/code", .unique_message = "another nominal code has this code",
	.unique_detail = "there is already a nominal code with this code",
};

struct ledger_sql {
	const struct store_entity *e;
	const char *lock, *list, *all, *insert, *update, *delete_, *target;
	const char *what;                        /* "cost centre" */
	const char *target_field;
};

static const struct ledger_sql ledger_kinds[2] = {
	[LEDGER_COST_CENTRE] = { &cc_entity, cc_lock_sql, cc_list_sql, cc_all_sql, cc_insert_sql, cc_update_sql,
				 cc_delete_sql, cc_target_sql, "cost centre", "/urn" },
	[LEDGER_NOMINAL] = { &nom_entity, nom_lock_sql, nom_list_sql, nom_all_sql, nom_insert_sql, nom_update_sql,
			     nom_delete_sql, nom_target_sql, "nominal code", "/account_code" },
};

/* ---- reads ---- */

int store_ledger_list(struct db *db, enum ledger_kind kind, const struct page *pg, struct db_rows **rows,
		      struct problem *p)
{
	return store_list(db, ledger_kinds[kind].list, pg, NULL, 0, rows, p);
}

int store_ledger_all(struct db *db, enum ledger_kind kind, struct db_rows **rows, struct problem *p)
{
	return db_query(db, ledger_kinds[kind].all, NULL, 0, rows, p);
}

cJSON *store_ledger_get(struct db *db, enum ledger_kind kind, const char *code, int64_t *version,
			struct problem *p)
{
	struct db_param prm = DBP_STR(code);

	return store_load(db, ledger_kinds[kind].e, &(struct store_key){ &prm, 1, code }, 0, NULL, version, p);
}

/* ---- writes ---- */

/* The target's id (a school's or an account's) into *id; 422 naming the field when there is none. */
static int ledger_target(struct db *db, const struct ledger_sql *k, const char *target, int64_t *id,
			 struct problem *p)
{
	struct db_param prm = DBP_STR(target);
	struct db_rows *rows = NULL;

	if (db_query(db, k->target, &prm, 1, &rows, p) != 0)
		return -1;
	*id = rows->nrows > 0 ? db_cell_i64(rows, 0, 0) : 0;
	db_rows_free(rows);
	if (*id == 0) {
		if (k->e == &cc_entity)
			problem_field(p, k->target_field, "no school or central team has URN %s", target);
		else
			problem_field(p, k->target_field, "no account has code %s", target);
		return problem_validation_done(p);
	}
	return 0;
}

/* The write's parameters, in the INSERT's and UPDATE's order: target id, description, code. */
static void ledger_params(const struct ledger_in *in, int64_t target_id, struct db_param *prm)
{
	prm[0] = DBP_I64(target_id);
	prm[1] = DBP_STR(in->description != NULL ? in->description : "");
	prm[2] = DBP_STR(in->code);
}

int store_ledger_create(struct db *db, const struct audit_actor *who, enum ledger_kind kind,
			const struct ledger_in *in, cJSON **after, struct problem *p)
{
	const struct ledger_sql *k = &ledger_kinds[kind];
	struct db_param prm[3];
	int64_t target_id, id;

	*after = NULL;
	if (ledger_target(db, k, in->target, &target_id, p) != 0)
		return -1;
	ledger_params(in, target_id, prm);
	return store_versioned_create(db, &(struct store_create){ .e = k->e, .sql = k->insert, .params = prm,
			.nparams = 3, .key = &(struct store_key){ &prm[2], 1, in->code }, .who = who }, &id, after, p);
}

struct ledger_lock {
	const char *sql;
	struct db_param code;
};

static int ledger_lock_own(struct db *db, void *arg, struct problem *p)
{
	struct ledger_lock *l = arg;
	struct db_rows *rows = NULL;
	int rc = db_query(db, l->sql, &l->code, 1, &rows, p);

	db_rows_free(rows);
	return rc;
}

int store_ledger_update(struct db *db, const struct audit_actor *who, enum ledger_kind kind,
			const struct ledger_in *in, int64_t want_version, cJSON **after, struct problem *p)
{
	const struct ledger_sql *k = &ledger_kinds[kind];
	struct ledger_lock l = { k->lock, DBP_STR(in->code) };
	struct db_param prm[4];
	int64_t target_id;

	*after = NULL;
	if (ledger_target(db, k, in->target, &target_id, p) != 0)
		return -1;
	ledger_params(in, target_id, prm);
	prm[3] = DBP_I64(want_version);
	return store_versioned_write(db, &(struct store_write){ .e = k->e, .key = { &prm[2], 1, in->code },
			.want_version = want_version, .action = "update", .sql = k->update, .params = prm, .nparams = 4,
			.first = ledger_lock_own, .arg = &l, .who = who }, after, p);
}

int store_ledger_delete(struct db *db, const struct audit_actor *who, enum ledger_kind kind, const char *code,
			int64_t want_version, struct problem *p)
{
	const struct ledger_sql *k = &ledger_kinds[kind];
	struct ledger_lock l = { k->lock, DBP_STR(code) };
	struct db_param prm[2] = { DBP_STR(code), DBP_I64(want_version) };
	cJSON *after = NULL;

	return store_versioned_write(db, &(struct store_write){ .e = k->e, .key = { prm, 1, code },
			.want_version = want_version, .action = "delete", .is_delete = 1, .sql = k->delete_,
			.params = prm, .nparams = 2, .first = ledger_lock_own, .arg = &l, .who = who }, &after, p);
}

/* ---- the whole mapping ---- */

static const char map_cc_sql[] =
	"SELECT c.code, c.school_id, s.urn FROM ledger_cost_centres c JOIN schools s ON s.id = c.school_id";
static const char map_nom_sql[] =
	"SELECT n.code, n.account_id, a.code AS account, a.kind FROM ledger_nominals n"
	" JOIN accounts a ON a.id = n.account_id";

static int ledger_cc_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ledger_cc *)a)->code, ((const struct ledger_cc *)b)->code);
}

static int ledger_nom_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ledger_nominal *)a)->code, ((const struct ledger_nominal *)b)->code);
}

int store_ledger_map_load(struct db *db, struct ledger_map *m, struct problem *p)
{
	static const char *const ccn[] = { "code", "school_id", "urn" };
	static const char *const nn[] = { "code", "account_id", "account", "kind" };
	struct db_rows *cc = NULL, *nom = NULL;
	size_t ci[3], ni[4];
	int rc = -1;

	memset(m, 0, sizeof(*m));
	if (db_query(db, map_cc_sql, NULL, 0, &cc, p) != 0 || db_query(db, map_nom_sql, NULL, 0, &nom, p) != 0 ||
	    db_columns(cc, ccn, 3, ci, p) != 0 || db_columns(nom, nn, 4, ni, p) != 0)
		goto out;
	if ((m->cc = calloc(cc->nrows + 1, sizeof(*m->cc))) == NULL ||
	    (m->nom = calloc(nom->nrows + 1, sizeof(*m->nom))) == NULL) {
		problem_internal(p);
		goto out;
	}
	for (size_t i = 0; i < cc->nrows; i++) {
		struct ledger_cc *c = &m->cc[m->ncc++];

		snprintf(c->code, sizeof(c->code), "%s", db_cell(cc, i, ci[0]));
		c->school_id = (uint32_t)db_cell_i64(cc, i, ci[1]);
		snprintf(c->urn, sizeof(c->urn), "%s", db_cell(cc, i, ci[2]));
	}
	for (size_t i = 0; i < nom->nrows; i++) {
		struct ledger_nominal *n = &m->nom[m->nnom++];
		const char *kind = db_cell(nom, i, ni[3]);

		snprintf(n->code, sizeof(n->code), "%s", db_cell(nom, i, ni[0]));
		n->account_id = (uint32_t)db_cell_i64(nom, i, ni[1]);
		snprintf(n->account, sizeof(n->account), "%s", db_cell(nom, i, ni[2]));
		n->income = kind != NULL && strcmp(kind, "income") == 0;
	}
	qsort(m->cc, m->ncc, sizeof(*m->cc), ledger_cc_cmp);
	qsort(m->nom, m->nnom, sizeof(*m->nom), ledger_nom_cmp);
	rc = 0;
out:
	db_rows_free(cc);
	db_rows_free(nom);
	if (rc != 0)
		store_ledger_map_free(m);
	return rc;
}

void store_ledger_map_free(struct ledger_map *m)
{
	if (m == NULL)
		return;
	free(m->cc);
	free(m->nom);
	memset(m, 0, sizeof(*m));
}

const struct ledger_cc *store_ledger_map_cc(const struct ledger_map *m, const char *code)
{
	struct ledger_cc key;

	if (strlen(code) > LEDGER_CODE_MAX || m->ncc == 0)
		return NULL;
	snprintf(key.code, sizeof(key.code), "%s", code);
	return bsearch(&key, m->cc, m->ncc, sizeof(*m->cc), ledger_cc_cmp);
}

const struct ledger_nominal *store_ledger_map_nominal(const struct ledger_map *m, const char *code)
{
	struct ledger_nominal key;

	if (strlen(code) > LEDGER_CODE_MAX || m->nnom == 0)
		return NULL;
	snprintf(key.code, sizeof(key.code), "%s", code);
	return bsearch(&key, m->nom, m->nnom, sizeof(*m->nom), ledger_nom_cmp);
}
