/* store_suppliers.c - see store_suppliers.h */
#include "store_suppliers.h"

#include <stdio.h>

#define SUPPLIER_COLS \
	"s.id, s.name, s.companies_house_number, s.vat_number, s.contact_name, s.contact_email, " \
	"s.contact_phone, s.related_party, s.version, s.created_at, s.updated_at"

static const char supplier_get_sql[] = "SELECT " SUPPLIER_COLS " FROM suppliers s WHERE s.id = ?";
static const char supplier_lock_sql[] = "SELECT " SUPPLIER_COLS " FROM suppliers s WHERE s.id = ? FOR UPDATE";

static const struct store_entity supplier_entity = {
	.name = "supplier", .key_name = "id", .get_sql = supplier_get_sql, .lock_sql = supplier_lock_sql,
	/* a Companies House number is the one unique key a supplier has */
	.unique_field = "/companies_house_number", .unique_message = "another supplier has this number",
	.unique_detail = "another supplier has this Companies House number",
};

static const char suppliers_list_sql[] =
	"SELECT " SUPPLIER_COLS " FROM suppliers s WHERE " STORE_KEYSET_WHERE("s")
	" AND (? IS NULL OR LOCATE(?, s.name) > 0) AND (? IS NULL OR s.related_party = ?)"
	" ORDER BY s.updated_at, s.id LIMIT ?";

int store_suppliers_list(struct db *db, const struct page *pg, const char *q, int related,
			 struct db_rows **rows, struct problem *p)
{
	struct db_param extra[4] = {
		DBP_STR(q), DBP_STR(q),
		related >= 0 ? DBP_I64(related) : DBP_NULL, related >= 0 ? DBP_I64(related) : DBP_NULL,
	};

	return store_list(db, suppliers_list_sql, pg, extra, 4, rows, p);
}

cJSON *store_supplier_get(struct db *db, int64_t id, int64_t *version, struct problem *p)
{
	struct db_param prm = DBP_I64(id);
	char text[24];

	snprintf(text, sizeof(text), "%lld", (long long)id);
	return store_load(db, &supplier_entity, &(struct store_key){ &prm, 1, text }, 0, NULL, version, p);
}

/* The seven columns of a write, in supplier_insert_sql's order. */
static void supplier_params(const struct supplier_in *s, struct db_param *prm)
{
	prm[0] = DBP_STR(s->name);
	prm[1] = DBP_STR(s->companies_house_number);
	prm[2] = DBP_STR(s->vat_number);
	prm[3] = DBP_STR(s->contact_name != NULL ? s->contact_name : "");
	prm[4] = DBP_STR(s->contact_email != NULL ? s->contact_email : "");
	prm[5] = DBP_STR(s->contact_phone != NULL ? s->contact_phone : "");
	prm[6] = DBP_I64(s->related_party ? 1 : 0);
}

static const char supplier_insert_sql[] =
	"INSERT INTO suppliers (name, companies_house_number, vat_number, contact_name, contact_email, "
	"contact_phone, related_party) VALUES (?, ?, ?, ?, ?, ?, ?)";

int store_supplier_create(struct db *db, const struct audit_actor *who, const struct supplier_in *s,
			  int64_t *id, cJSON **after, struct problem *p)
{
	struct db_param prm[7];

	supplier_params(s, prm);
	return store_versioned_create(db, &(struct store_create){ .e = &supplier_entity, .sql = supplier_insert_sql,
			.params = prm, .nparams = 7, .who = who }, id, after, p);
}

static const char supplier_update_sql[] =
	"UPDATE suppliers SET name = ?, companies_house_number = ?, vat_number = ?, contact_name = ?, "
	"contact_email = ?, contact_phone = ?, related_party = ?, version = version + 1, "
	"updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND version = ?";
/* A contract shows its supplier's name and related-party flag: its sync feed moves too. */
static const char supplier_touch_contracts_sql[] =
	"UPDATE contracts SET updated_at = UTC_TIMESTAMP(6) WHERE supplier_id = ?";

static int supplier_touch_contracts(struct db *db, void *arg, struct problem *p)
{
	return db_exec(db, supplier_touch_contracts_sql, arg, 1, NULL, NULL, p);
}

int store_supplier_update(struct db *db, const struct audit_actor *who, int64_t id, int64_t want_version,
			  const struct supplier_in *s, cJSON **after, struct problem *p)
{
	struct db_param prm[9];
	char text[24];

	supplier_params(s, prm);
	prm[7] = DBP_I64(id);
	prm[8] = DBP_I64(want_version);
	snprintf(text, sizeof(text), "%lld", (long long)id);
	return store_versioned_write(db, &(struct store_write){ .e = &supplier_entity,
			.key = { &prm[7], 1, text }, .want_version = want_version, .action = "update",
			.sql = supplier_update_sql, .params = prm, .nparams = 9, .then = supplier_touch_contracts,
			.arg = &prm[7], .who = who }, after, p);
}

static const char supplier_contracts_sql[] =
	"SELECT reference FROM contracts WHERE supplier_id = ? ORDER BY reference LIMIT 11";
static const char supplier_delete_sql[] = "DELETE FROM suppliers WHERE id = ? AND version = ?";

/* A supplier that contracts name stays: 409 listing up to ten of them. */
static int supplier_unused(struct db *db, const cJSON *before, void *arg, struct problem *p)
{
	const struct db_param *id = arg;
	struct db_rows *rows = NULL;
	char refs[400] = "";
	size_t o = 0;

	(void)before;
	if (db_query(db, supplier_contracts_sql, id, 1, &rows, p) != 0)
		return -1;
	if (rows->nrows > 0) {
		for (size_t i = 0; i < rows->nrows && i < 10; i++)
			o += (size_t)snprintf(refs + o, sizeof(refs) - o, "%s%s", i ? ", " : "", db_get(rows, i, "reference"));
		problem_conflict(p, "supplier %lld has contracts, so it cannot be deleted: %s%s", (long long)id->i,
				 refs, rows->nrows > 10 ? " and more" : "");
	}
	db_rows_free(rows);
	return p->status != 0 ? -1 : 0;
}

int store_supplier_delete(struct db *db, const struct audit_actor *who, int64_t id, int64_t want_version,
			  struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(id), DBP_I64(want_version) };
	cJSON *after = NULL;
	char text[24];

	snprintf(text, sizeof(text), "%lld", (long long)id);
	return store_versioned_write(db, &(struct store_write){ .e = &supplier_entity,
			.key = { prm, 1, text }, .want_version = want_version, .action = "delete", .is_delete = 1,
			.sql = supplier_delete_sql, .params = prm, .nparams = 2,
			.check = supplier_unused, .arg = prm, .who = who }, &after, p);
}
