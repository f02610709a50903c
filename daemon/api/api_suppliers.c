/* api_suppliers.c - the suppliers of the contract register: name, Companies House
 * number, VAT number, contact, related-party flag. The finance director writes;
 * the finance director, auditors and business managers read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "api.h"
#include "jsonv.h"

#define SUPPLIER_COLS \
	"s.id, s.name, s.companies_house_number, s.vat_number, s.contact_name, s.contact_email, " \
	"s.contact_phone, s.related_party, s.version, s.created_at, s.updated_at"

/* An id in the path: a positive integer (400 otherwise). */
static int supplier_id_param(struct req *r, int64_t *id, struct problem *p)
{
	const char *s = http_param(r, "id");
	char *end;
	long long v = strtoll(s, &end, 10);

	if (*s < '1' || *s > '9' || *end != '\0' || v <= 0 || v > UINT32_MAX) {
		problem_field(p, "path:id", "must be a supplier id (a positive integer)");
		return problem_bad_request(p, "%s is not a supplier id", s);
	}
	*id = v;
	return 0;
}

/* ---- field checks ---- */

static int supplier_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Companies House: 8 digits, or 2 letters and 6 digits (SC123456, OC301234, ...). */
static const char *supplier_check_crn(const char *s)
{
	if (strlen(s) == 8 && (supplier_digits(s, 8) ||
			       (s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && supplier_digits(s + 2, 6))))
		return NULL;
	return "must be a Companies House number: 8 characters, 8 digits or 2 capital letters and 6 digits "
	       "(01234567, SC123456)";
}

/*
 * UK VAT: GB + 9 digits, GB + 12 (a branch: the first 9 are the number), GBGD +
 * 000-499 (government departments), GBHA + 500-999 (health authorities). The 9
 * digits carry HMRC's check: 8..2 times the first seven, plus the last two as a
 * number, is a multiple of 97, or is one after adding 55 (numbers from 2010).
 */
static const char *supplier_check_vat(const char *s)
{
	static const char form[] = "must be a UK VAT number: GB and 9 digits (GB123456789), GB and 12 digits for "
				   "a branch, or GBGD/GBHA and 3 digits";
	size_t n = strlen(s);
	int sum = 0;

	if (n < 5 || strncmp(s, "GB", 2) != 0)
		return form;
	s += 2;
	n -= 2;
	if (n == 5 && (strncmp(s, "GD", 2) == 0 || strncmp(s, "HA", 2) == 0)) {
		int v = atoi(s + 2);

		if (!supplier_digits(s + 2, 3))
			return form;
		if (s[0] == 'G' ? v > 499 : v < 500)
			return "GBGD numbers run from 000 to 499, GBHA numbers from 500 to 999";
		return NULL;
	}
	if ((n != 9 && n != 12) || !supplier_digits(s, n))
		return form;
	for (int i = 0; i < 7; i++)
		sum += (s[i] - '0') * (8 - i);
	sum += (s[7] - '0') * 10 + (s[8] - '0');
	if (sum % 97 != 0 && (sum + 55) % 97 != 0)
		return "is not a valid UK VAT number (its check digits are wrong)";
	return NULL;
}

static const char *supplier_check_email(const char *s)
{
	const char *at = strchr(s, '@');

	if (*s == '\0')
		return NULL;
	if (at == NULL || at == s || strchr(at + 1, '@') != NULL || strchr(at + 1, '.') == NULL ||
	    at[1] == '.' || s[strlen(s) - 1] == '.' || strpbrk(s, " \t<>,;\"") != NULL)
		return "must be an email address (name@example.org) or empty";
	return NULL;
}

static const char *supplier_check_phone(const char *s)
{
	for (; *s != '\0'; s++)
		if (!(*s >= '0' && *s <= '9') && strchr(" +-()", *s) == NULL)
			return "may hold only digits, spaces and + - ( )";
	return NULL;
}

enum { SF_NAME, SF_CRN, SF_VAT, SF_CNAME, SF_EMAIL, SF_PHONE, SF_RELATED, SF_ID, SF_VERSION, SF_CREATED,
       SF_UPDATED, SF__N };

static const struct jv_field supplier_fields[SF__N] = {
	[SF_NAME] = { "name", JV_STRING, JV_REQUIRED, 1, 200, NULL, NULL },
	[SF_CRN] = { "companies_house_number", JV_STRING, JV_NULLABLE, 0, 0, NULL, supplier_check_crn },
	[SF_VAT] = { "vat_number", JV_STRING, JV_NULLABLE, 0, 0, NULL, supplier_check_vat },
	[SF_CNAME] = { "contact_name", JV_STRING, 0, 0, 200, NULL, NULL },
	[SF_EMAIL] = { "contact_email", JV_STRING, 0, 0, 254, NULL, supplier_check_email },
	[SF_PHONE] = { "contact_phone", JV_STRING, 0, 0, 32, NULL, supplier_check_phone },
	[SF_RELATED] = { "related_party", JV_BOOL, 0, 0, 0, NULL, NULL },
	[SF_ID] = { "id", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[SF_VERSION] = { "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[SF_CREATED] = { "created_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[SF_UPDATED] = { "updated_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
};

/* ---- reads ---- */

static const char suppliers_list_sql[] =
	"SELECT " SUPPLIER_COLS " FROM suppliers s WHERE " API_KEYSET_WHERE("s")
	" AND (? IS NULL OR LOCATE(?, s.name) > 0) AND (? IS NULL OR s.related_party = ?)"
	" ORDER BY s.updated_at, s.id LIMIT ?";

int api_suppliers_list(struct req *r, struct problem *p)
{
	static const char *const also[] = { "q", "related_party", NULL };
	const char *q = http_query(r, "q"), *rel = http_query(r, "related_party");
	struct page pg;
	struct db_param extra[4];
	int related = -1;

	if (q != NULL && (q[0] == '\0' || strlen(q) > 200))
		problem_field(p, "query:q", "must be 1 to 200 characters of a supplier's name");
	if (rel != NULL) {
		if (strcmp(rel, "true") == 0)
			related = 1;
		else if (strcmp(rel, "false") == 0)
			related = 0;
		else
			problem_field(p, "query:related_party", "must be true or false");
	}
	if (api_page_query(r, also, &pg, p) != 0 || problem_validation_done(p) != 0)
		return -1;
	extra[0] = DBP_STR(q);
	extra[1] = DBP_STR(q);
	extra[2] = related >= 0 ? DBP_I64(related) : DBP_NULL;
	extra[3] = related >= 0 ? DBP_I64(related) : DBP_NULL;
	return api_list_reply(r, suppliers_list_sql, &pg, extra, 4, p);
}

static const char supplier_get_sql[] = "SELECT " SUPPLIER_COLS " FROM suppliers s WHERE s.id = ?";
static const char supplier_lock_sql[] = "SELECT " SUPPLIER_COLS " FROM suppliers s WHERE s.id = ? FOR UPDATE";

/* One supplier as JSON and its version; NULL with the problem set (404). */
static cJSON *supplier_load(struct db *db, const char *sql, int64_t id, int64_t *version, struct problem *p)
{
	struct db_param prm = DBP_I64(id);
	struct db_rows *rows = NULL;
	cJSON *o;

	if (db_query(db, sql, &prm, 1, &rows, p) != 0)
		return NULL;
	if (rows->nrows == 0) {
		db_rows_free(rows);
		problem_not_found(p, "no supplier with id %lld", (long long)id);
		return NULL;
	}
	*version = db_cell_i64(rows, 0, (size_t)db_col_index(rows, "version"));
	o = db_row_to_json(rows, 0);
	db_rows_free(rows);
	if (o == NULL)
		problem_internal(p);
	return o;
}

int api_supplier_get(struct req *r, struct problem *p)
{
	int64_t id, version;
	char etag[32];
	cJSON *o;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || supplier_id_param(r, &id, p) != 0 ||
	    (o = supplier_load(r->db, supplier_get_sql, id, &version, p)) == NULL)
		return -1;
	http_etag_version(etag, sizeof(etag), version);
	if (!http_not_modified(r, etag))
		http_reply_json(r, 200, o, etag);
	cJSON_Delete(o);
	return 0;
}

/* ---- writes ---- */

struct supplier_write {
	struct req *r;
	int64_t id;                              /* 0 for POST */
	int64_t want_version;
	struct jv_value v[SF__N];
	cJSON *after;
};

static struct db_param supplier_str(const struct jv_value *v, int nullable)
{
	if (v->present && !v->is_null)
		return DBP_STR(v->s);
	return nullable ? DBP_NULL : DBP_STR("");
}

static void supplier_params(const struct supplier_write *sw, struct db_param *prm)
{
	prm[0] = DBP_STR(sw->v[SF_NAME].s);
	prm[1] = supplier_str(&sw->v[SF_CRN], 1);
	prm[2] = supplier_str(&sw->v[SF_VAT], 1);
	prm[3] = supplier_str(&sw->v[SF_CNAME], 0);
	prm[4] = supplier_str(&sw->v[SF_EMAIL], 0);
	prm[5] = supplier_str(&sw->v[SF_PHONE], 0);
	prm[6] = DBP_I64(sw->v[SF_RELATED].present ? sw->v[SF_RELATED].i : 0);
}

/* A duplicate Companies House number is the one unique key a supplier has. */
static int supplier_dup(struct db *db, struct problem *p)
{
	if (db_errno(db) == DB_ER_DUP_ENTRY) {
		problem_conflict(p, "another supplier has this Companies House number");
		problem_field(p, "/companies_house_number", "another supplier has this number");
	}
	return -1;
}

static const char supplier_insert_sql[] =
	"INSERT INTO suppliers (name, companies_house_number, vat_number, contact_name, contact_email, "
	"contact_phone, related_party) VALUES (?, ?, ?, ?, ?, ?, ?)";

static int supplier_post_txn(struct db *db, void *arg, struct problem *p)
{
	struct supplier_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);
	struct db_param prm[7];
	uint64_t id = 0;
	int64_t version;
	char eid[24];

	cJSON_Delete(sw->after);
	sw->after = NULL;
	supplier_params(sw, prm);
	if (db_exec(db, supplier_insert_sql, prm, 7, NULL, &id, p) != 0)
		return supplier_dup(db, p);
	sw->id = (int64_t)id;
	snprintf(eid, sizeof(eid), "%lld", (long long)sw->id);
	if ((sw->after = supplier_load(db, supplier_get_sql, sw->id, &version, p)) == NULL)
		return -1;
	return audit_write(db, &who, "create", "supplier", eid, NULL, sw->after, p);
}

static int supplier_body(struct req *r, struct supplier_write *sw, cJSON **in, struct problem *p)
{
	if ((*in = http_read_json(r, p)) == NULL)
		return -1;
	jsonv_object(*in, "", supplier_fields, SF__N, sw->v, p);
	return problem_validation_done(p);
}

static int supplier_reply(struct req *r, int status, struct supplier_write *sw)
{
	char etag[32], loc[64];

	http_etag_version(etag, sizeof(etag),
			  (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(sw->after, "version")));
	if (status == 201) {
		snprintf(loc, sizeof(loc), "/api/v1/suppliers/%lld", (long long)sw->id);
		evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", loc);
	}
	return http_reply_json(r, status, sw->after, etag);
}

int api_supplier_create(struct req *r, struct problem *p)
{
	struct supplier_write sw = { .r = r };
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || supplier_body(r, &sw, &in, p) != 0 ||
	    api_txn(r, supplier_post_txn, &sw, p) != 0)
		goto out;
	rc = supplier_reply(r, 201, &sw);
out:
	cJSON_Delete(sw.after);
	cJSON_Delete(in);
	return rc;
}

/* Load for update and check the version: 404 or 412. */
static cJSON *supplier_lock(struct db *db, struct supplier_write *sw, struct problem *p)
{
	int64_t version;
	cJSON *before = supplier_load(db, supplier_lock_sql, sw->id, &version, p);

	if (before != NULL && version != sw->want_version) {
		problem_stale(p, version, sw->want_version, "supplier %lld", (long long)sw->id);
		cJSON_Delete(before);
		return NULL;
	}
	return before;
}

static const char supplier_update_sql[] =
	"UPDATE suppliers SET name = ?, companies_house_number = ?, vat_number = ?, contact_name = ?, "
	"contact_email = ?, contact_phone = ?, related_party = ?, version = version + 1, "
	"updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND version = ?";
/* A contract shows its supplier's name and related-party flag: its sync feed moves too. */
static const char supplier_touch_contracts_sql[] =
	"UPDATE contracts SET updated_at = UTC_TIMESTAMP(6) WHERE supplier_id = ?";

static int supplier_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct supplier_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);
	struct db_param prm[9];
	uint64_t affected = 0;
	int64_t version;
	cJSON *before;
	char eid[24];
	int rc = -1;

	cJSON_Delete(sw->after);
	sw->after = NULL;
	if ((before = supplier_lock(db, sw, p)) == NULL)
		return -1;
	supplier_params(sw, prm);
	prm[7] = DBP_I64(sw->id);
	prm[8] = DBP_I64(sw->want_version);
	if (db_exec(db, supplier_update_sql, prm, 9, &affected, NULL, p) != 0) {
		supplier_dup(db, p);
		goto out;
	}
	if (affected != 1) {
		problem_changed(p, "updated", "supplier %lld", (long long)sw->id);
		goto out;
	}
	if (db_exec(db, supplier_touch_contracts_sql, &prm[7], 1, NULL, NULL, p) != 0)
		goto out;
	snprintf(eid, sizeof(eid), "%lld", (long long)sw->id);
	if ((sw->after = supplier_load(db, supplier_get_sql, sw->id, &version, p)) == NULL ||
	    audit_write(db, &who, "update", "supplier", eid, before, sw->after, p) != 0)
		goto out;
	rc = 0;
out:
	cJSON_Delete(before);
	return rc;
}

int api_supplier_put(struct req *r, struct problem *p)
{
	struct supplier_write sw = { .r = r };
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || supplier_id_param(r, &sw.id, p) != 0 ||
	    http_if_match(r, &sw.want_version, p) != 0 || supplier_body(r, &sw, &in, p) != 0 ||
	    api_txn(r, supplier_put_txn, &sw, p) != 0)
		goto out;
	rc = supplier_reply(r, 200, &sw);
out:
	cJSON_Delete(sw.after);
	cJSON_Delete(in);
	return rc;
}

static const char supplier_contracts_sql[] =
	"SELECT reference FROM contracts WHERE supplier_id = ? ORDER BY reference LIMIT 11";
static const char supplier_delete_sql[] = "DELETE FROM suppliers WHERE id = ? AND version = ?";

static int supplier_delete_txn(struct db *db, void *arg, struct problem *p)
{
	struct supplier_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);
	struct db_param prm[2] = { DBP_I64(sw->id), DBP_I64(sw->want_version) };
	struct db_rows *rows = NULL;
	char eid[24], refs[400] = "";
	size_t o = 0;
	cJSON *before;
	int rc = -1;

	if ((before = supplier_lock(db, sw, p)) == NULL)
		return -1;
	if (db_query(db, supplier_contracts_sql, prm, 1, &rows, p) != 0)
		goto out;
	if (rows->nrows > 0) {
		for (size_t i = 0; i < rows->nrows && i < 10; i++)
			o += (size_t)snprintf(refs + o, sizeof(refs) - o, "%s%s", i ? ", " : "", db_cell(rows, i, 0));
		problem_conflict(p, "supplier %lld has contracts, so it cannot be deleted: %s%s", (long long)sw->id,
				 refs, rows->nrows > 10 ? " and more" : "");
		goto out;
	}
	if (db_exec(db, supplier_delete_sql, prm, 2, NULL, NULL, p) != 0)
		goto out;
	snprintf(eid, sizeof(eid), "%lld", (long long)sw->id);
	rc = audit_write(db, &who, "delete", "supplier", eid, before, NULL, p);
out:
	db_rows_free(rows);
	cJSON_Delete(before);
	return rc;
}

int api_supplier_delete(struct req *r, struct problem *p)
{
	struct supplier_write sw = { .r = r };

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || supplier_id_param(r, &sw.id, p) != 0 ||
	    http_if_match(r, &sw.want_version, p) != 0 || api_txn(r, supplier_delete_txn, &sw, p) != 0)
		return -1;
	return http_reply_empty(r, 204, NULL);
}
