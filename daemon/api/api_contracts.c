/*
 * api_contracts.c - the contract register: list (filters, sorts, keyset paging,
 * updated_since), read, create, replace and delete contracts, and their
 * procurement check. Transitions are in api_transitions.c.
 *
 * Every representation carries derived fields (estimated value, notice date,
 * options remaining, days to notice, the check), which depend on today's date,
 * the configuration and the rest of the register, so a contract's ETag is
 * "<version>-h<hash of the representation>": If-None-Match compares all of it,
 * If-Match only the version before the '-' (what a client edits).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "api.h"
#include "api_contracts.h"
#include "config.h"
#include "contract.h"
#include "date.h"
#include "jsonv.h"
#include "log.h"

/* ---- the register as peers ---- */

static const char peers_sql[] = "SELECT " CONTRACT_PEER_COLS " FROM contracts c";

void api_contracts_peers_free(struct api_contracts_peers *ps)
{
	if (ps == NULL)
		return;
	free(ps->peers);
	db_rows_free(ps->rows);
	memset(ps, 0, sizeof(*ps));
}

int api_contracts_peers_load(struct req *r, struct api_contracts_peers *ps, struct problem *p)
{
	memset(ps, 0, sizeof(*ps));
	if (db_query(r->db, peers_sql, NULL, 0, &ps->rows, p) != 0)
		return -1;
	if (ps->rows->nrows > 0 && (ps->peers = calloc(ps->rows->nrows, sizeof(*ps->peers))) == NULL)
		goto fail;
	for (size_t i = 0; i < ps->rows->nrows; i++) {
		struct procure_peer *pr = &ps->peers[ps->n];
		struct procure_terms t;
		struct procure_value v;
		const char *status = db_cell(ps->rows, i, (size_t)db_col_index(ps->rows, "status"));
		int32_t d;

		if (contract_terms_from_row(ps->rows, i, &t) != 0 || procure_estimate(&t, r->cfg->procurement.indexation_bp, &v) != 0 ||
		    date_parse(db_cell(ps->rows, i, 4), &d) != 0) {
			log_warn("contracts: contract %s has terms that do not parse; left out of the checks",
				 db_cell(ps->rows, i, 0));
			continue;
		}
		pr->id = db_cell_i64(ps->rows, i, 0);
		pr->reference = db_cell(ps->rows, i, 1);
		pr->category = db_cell(ps->rows, i, 2);
		pr->supplier_id = db_cell_i64(ps->rows, i, 3);
		pr->started_on = d;
		pr->estimated_pence = v.pence;
		pr->annual_gross_pence = t.annual_pence + t.vat_pence;
		pr->current = status != NULL && strcmp(status, "expired") != 0 && strcmp(status, "terminated") != 0;
		ps->n++;
	}
	return 0;
fail:
	api_contracts_peers_free(ps);
	return problem_internal(p);
}

int api_contracts_render(struct req *r, const struct db_rows *rows, size_t i, const struct api_contracts_peers *ps,
			 cJSON **out, struct procure_result *chk_out, struct problem *p)
{
	struct contract_row c;
	struct procure_result chk;
	int rc = -1;

	*out = NULL;
	if (contract_from_row(rows, i, &c) != 0) {
		log_err("contracts: contract %s does not parse", db_cell(rows, i, 0));
		goto out;
	}
	if (procure_check(&r->cfg->procurement, &c.pc, ps->peers, ps->n, &chk) != 0) {
		log_err("contracts: contract %s: its value overflows", db_cell(rows, i, 0));
		goto out;
	}
	if ((*out = contract_to_json(rows, i, &c, &chk, api_today(r))) == NULL)
		goto out;
	if (chk_out != NULL)
		*chk_out = chk;
	rc = 0;
out:
	contract_row_free(&c);
	return rc != 0 ? problem_internal(p) : 0;
}

/* ---- list ---- */

#define CONTRACT_FILTERS \
	" AND (? = 0 OR c.school_id IS NULL OR c.school_id IN (SELECT school_id FROM api_token_schools WHERE token_id = ?))" \
	" AND (? IS NULL OR c.status = ?) AND (? IS NULL OR c.category = ?) AND (? IS NULL OR c.supplier_id = ?)" \
	" AND (? = 0 OR c.school_id <=> ?)" \
	" AND (? IS NULL OR c.current_end BETWEEN ? AND ?) AND (? IS NULL OR c.notice_by BETWEEN ? AND ?)" \
	" AND (? IS NULL OR LOCATE(?, c.reference) > 0 OR LOCATE(?, c.title) > 0 OR LOCATE(?, s.name) > 0)"
#define CONTRACT_NFILTERS 20

static const char list_default_sql[] =
	"SELECT " CONTRACT_COLS " FROM " CONTRACT_FROM " WHERE " API_KEYSET_WHERE("c") CONTRACT_FILTERS
	" ORDER BY c.updated_at, c.id LIMIT ?";

/* Another sort: keyset on (key, id), updated_since as a plain filter. */
#define LIST_SORT_SQL(key, cmp, dir) \
	"SELECT " CONTRACT_COLS ", " key " AS _sortkey FROM " CONTRACT_FROM \
	" WHERE (? IS NULL OR c.updated_at >= ?)" CONTRACT_FILTERS \
	" AND (? IS NULL OR " key " " cmp " ? OR (" key " = ? AND c.id " cmp " ?))" \
	" ORDER BY " key " " dir ", c.id " dir " LIMIT ?"
#define KEY_END "COALESCE(c.current_end, '9999-12-31')"
#define KEY_NOTICE "COALESCE(c.notice_by, '9999-12-31')"

static const struct list_sort {
	const char *name;
	int numeric;
	const char *sql;
} list_sorts[] = {
	{ "reference", 0, LIST_SORT_SQL("c.reference", ">", "ASC") },
	{ "-reference", 0, LIST_SORT_SQL("c.reference", "<", "DESC") },
	{ "title", 0, LIST_SORT_SQL("c.title", ">", "ASC") },
	{ "-title", 0, LIST_SORT_SQL("c.title", "<", "DESC") },
	{ "end", 0, LIST_SORT_SQL(KEY_END, ">", "ASC") },
	{ "-end", 0, LIST_SORT_SQL(KEY_END, "<", "DESC") },
	{ "notice_by", 0, LIST_SORT_SQL(KEY_NOTICE, ">", "ASC") },
	{ "-notice_by", 0, LIST_SORT_SQL(KEY_NOTICE, "<", "DESC") },
	{ "value", 1, LIST_SORT_SQL("c.annual_value_pence", ">", "ASC") },
	{ "-value", 1, LIST_SORT_SQL("c.annual_value_pence", "<", "DESC") },
};

struct list_query {
	struct page pg;
	const struct list_sort *sort;            /* NULL: (updated_at, id) */
	char key[256];                           /* a sort's cursor: the key and the id */
	int64_t key_id;
	int has_key;
	const char *status, *category, *q;
	int64_t supplier;
	int has_school;
	int64_t school_id;                       /* 0: trust-wide */
	int has_expiring, has_notice;
	char exp_from[16], exp_to[16], not_from[16], not_to[16];
};

static int list_int(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	long long v;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int list_enum(const char *s, const char *const *list)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

/* The window [today, today + n] of a *_within_days parameter. */
static int list_window(struct req *r, const char *name, char *from, char *to, struct problem *p)
{
	const char *s = http_query(r, name);
	int64_t n;
	char field[48];

	if (s == NULL)
		return 0;
	if (list_int(s, 0, 3650, &n) != 0) {
		snprintf(field, sizeof(field), "query:%s", name);
		problem_field(p, field, "must be a number of days from 0 to 3650");
		return 0;
	}
	date_format(api_today(r), from, 16);
	date_format(api_today(r) + (int32_t)n, to, 16);
	return 1;
}

/* A sort's cursor: "<sort>.<hex of the key>.<id>". */
static void list_cursor(char *buf, size_t len, const char *sort, const char *key, int64_t id)
{
	size_t o = (size_t)snprintf(buf, len, "%s.", sort);

	for (const unsigned char *k = (const unsigned char *)(key != NULL ? key : ""); *k != '\0' && o + 3 < len; k++)
		o += (size_t)snprintf(buf + o, len - o, "%02x", *k);
	snprintf(buf + o, len - o, ".%lld", (long long)id);
}

static int list_hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int list_cursor_parse(struct list_query *lq, const char *s)
{
	size_t n = strlen(lq->sort->name), k = 0;
	const char *h;
	char *end;

	if (strncmp(s, lq->sort->name, n) != 0 || s[n] != '.')
		return -1;
	for (h = s + n + 1; h[0] != '.' && h[0] != '\0'; h += 2) {
		int hi = list_hex(h[0]), lo = list_hex(h[1]);

		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0) || k + 1 >= sizeof(lq->key))
			return -1;
		lq->key[k++] = (char)(hi * 16 + lo);
	}
	lq->key[k] = '\0';
	if (h[0] != '.' || h[1] < '0' || h[1] > '9')
		return -1;
	lq->key_id = strtoll(h + 1, &end, 10);
	if (*end != '\0' || lq->key_id < 0)
		return -1;
	if (lq->sort->numeric && list_int(lq->key, 0, INT64_MAX, &(int64_t){ 0 }) != 0)
		return -1;
	lq->has_key = 1;
	return 0;
}

static int list_parse(struct req *r, struct list_query *lq, struct problem *p)
{
	static const char *const allowed[] = { "limit", "after", "updated_since", "status", "category", "supplier",
					       "school", "expiring_within_days", "notice_within_days", "q", "sort",
					       NULL };
	const char *sort = http_query(r, "sort"), *school = http_query(r, "school"), *s;
	const char *after = http_query(r, "after");

	memset(lq, 0, sizeof(*lq));
	if (http_query_allow(r, allowed, p) != 0)
		return -1;
	if (sort != NULL && strcmp(sort, "updated_at") != 0) {
		for (size_t i = 0; i < sizeof(list_sorts) / sizeof(list_sorts[0]); i++)
			if (strcmp(list_sorts[i].name, sort) == 0)
				lq->sort = &list_sorts[i];
		if (lq->sort == NULL)
			problem_field(p, "query:sort", "must be one of updated_at, reference, title, end, notice_by, "
				      "value, each but updated_at with - for descending");
	}
	/* errors go into p, reported with the others below */
	if (page_parse(http_query(r, "limit"), lq->sort == NULL ? after : NULL, http_query(r, "updated_since"),
		       &lq->pg, p) != 0 && p->nerrors == 0)
		return problem_validation_done(p);
	if (lq->sort != NULL && after != NULL && list_cursor_parse(lq, after) != 0)
		problem_field(p, "query:after", "is not a cursor this server gave out for sort=%s", sort);
	if ((lq->status = http_query(r, "status")) != NULL && !list_enum(lq->status, contract_statuses))
		problem_field(p, "query:status", "must be one of draft, awaiting_approval, active, expired, terminated");
	if ((lq->category = http_query(r, "category")) != NULL && !list_enum(lq->category, contract_categories))
		problem_field(p, "query:category", "must be one of the categories (catering, cleaning, ict, ...)");
	if ((s = http_query(r, "supplier")) != NULL && list_int(s, 1, UINT32_MAX, &lq->supplier) != 0)
		problem_field(p, "query:supplier", "must be a supplier id");
	if ((lq->q = http_query(r, "q")) != NULL && (lq->q[0] == '\0' || strlen(lq->q) > 200))
		problem_field(p, "query:q", "must be 1 to 200 characters");
	lq->has_expiring = list_window(r, "expiring_within_days", lq->exp_from, lq->exp_to, p);
	lq->has_notice = list_window(r, "notice_within_days", lq->not_from, lq->not_to, p);
	if (school != NULL && strcmp(school, "trust") != 0 &&
	    (strlen(school) != 6 || strspn(school, "0123456789") != 6))
		problem_field(p, "query:school", "must be a school's URN or \"trust\" (trust-wide contracts)");
	if (problem_validation_done(p) != 0)
		return -1;
	if (school != NULL) {
		uint32_t sid = 0;

		lq->has_school = 1;
		if (strcmp(school, "trust") != 0) {
			if (api_school_lookup(r, school, &sid, p) != 0) {
				if (p->status == 404) {
					/* a filter value, not the resource: 422 */
					memset(p, 0, sizeof(*p));
					problem_field(p, "query:school", "no school with URN %s", school);
					return problem_validation_done(p);
				}
				return -1;
			}
		}
		lq->school_id = sid;
	}
	return 0;
}

int api_contracts_list(struct req *r, struct problem *p)
{
	struct list_query lq;
	struct api_contracts_peers ps = { 0 };
	struct db_param prm[32];
	struct db_rows *rows = NULL;
	cJSON *items = NULL, *o;
	char cursor[600];
	const char *next = NULL;
	size_t n = 0, shown;
	int restrict_ = r->id.role == ROLE_BUSINESS_MANAGER, rc = -1;

	if (list_parse(r, &lq, p) != 0)
		return -1;
	if (lq.sort == NULL) {
		prm[n++] = lq.pg.has_since ? DBP_STR(lq.pg.since_ts) : DBP_NULL;
		prm[n++] = lq.pg.has_since ? DBP_STR(lq.pg.since_ts) : DBP_NULL;
		for (int i = 0; i < 3; i++)
			prm[n++] = lq.pg.has_after ? DBP_STR(lq.pg.after_ts) : DBP_NULL;
		prm[n++] = lq.pg.has_after ? DBP_I64(lq.pg.after_id) : DBP_NULL;
	} else {
		prm[n++] = lq.pg.has_since ? DBP_STR(lq.pg.since_ts) : DBP_NULL;
		prm[n++] = lq.pg.has_since ? DBP_STR(lq.pg.since_ts) : DBP_NULL;
	}
	prm[n++] = DBP_I64(restrict_);
	prm[n++] = DBP_I64(r->id.token_id);
	prm[n++] = DBP_STR(lq.status);
	prm[n++] = DBP_STR(lq.status);
	prm[n++] = DBP_STR(lq.category);
	prm[n++] = DBP_STR(lq.category);
	prm[n++] = lq.supplier ? DBP_I64(lq.supplier) : DBP_NULL;
	prm[n++] = lq.supplier ? DBP_I64(lq.supplier) : DBP_NULL;
	prm[n++] = DBP_I64(lq.has_school);
	prm[n++] = lq.school_id ? DBP_I64(lq.school_id) : DBP_NULL;
	prm[n++] = lq.has_expiring ? DBP_I64(1) : DBP_NULL;
	prm[n++] = DBP_STR(lq.has_expiring ? lq.exp_from : NULL);
	prm[n++] = DBP_STR(lq.has_expiring ? lq.exp_to : NULL);
	prm[n++] = lq.has_notice ? DBP_I64(1) : DBP_NULL;
	prm[n++] = DBP_STR(lq.has_notice ? lq.not_from : NULL);
	prm[n++] = DBP_STR(lq.has_notice ? lq.not_to : NULL);
	for (int i = 0; i < 4; i++)
		prm[n++] = DBP_STR(lq.q);
	if (lq.sort != NULL) {
		struct db_param key = !lq.has_key ? DBP_NULL : lq.sort->numeric ? DBP_I64(strtoll(lq.key, NULL, 10)) :
			DBP_STR(lq.key);

		prm[n++] = key;
		prm[n++] = key;
		prm[n++] = key;
		prm[n++] = lq.has_key ? DBP_I64(lq.key_id) : DBP_NULL;
	}
	prm[n++] = DBP_I64(lq.pg.limit + 1);
	if (db_query(r->db, lq.sort != NULL ? lq.sort->sql : list_default_sql, prm, n, &rows, p) != 0 ||
	    api_contracts_peers_load(r, &ps, p) != 0 || (items = cJSON_CreateArray()) == NULL)
		goto out;
	shown = rows->nrows > (size_t)lq.pg.limit ? (size_t)lq.pg.limit : rows->nrows;
	for (size_t i = 0; i < shown; i++) {
		if (api_contracts_render(r, rows, i, &ps, &o, NULL, p) != 0)
			goto out;
		cJSON_AddItemToArray(items, o);
	}
	if (rows->nrows > shown && shown > 0) {
		int64_t id = db_cell_i64(rows, shown - 1, 0);

		if (lq.sort == NULL) {
			if (page_cursor(cursor, sizeof(cursor),
					db_cell(rows, shown - 1, (size_t)db_col_index(rows, "updated_at")), id) == 0)
				next = cursor;
		} else {
			list_cursor(cursor, sizeof(cursor), lq.sort->name,
				    db_cell(rows, shown - 1, (size_t)db_col_index(rows, "_sortkey")), id);
			next = cursor;
		}
	}
	rc = api_reply_list(r, items, next, p);
	items = NULL;
out:
	cJSON_Delete(items);
	api_contracts_peers_free(&ps);
	db_rows_free(rows);
	return rc;
}

/* ---- one contract ---- */

static const char contract_get_sql[] = "SELECT " CONTRACT_COLS " FROM " CONTRACT_FROM " WHERE c.id = ?";
static const char contract_lock_sql[] =
	"SELECT " CONTRACT_COLS " FROM " CONTRACT_FROM " WHERE c.id = ? FOR UPDATE";

int api_contracts_load(struct req *r, int64_t id, int lock, struct db_rows **rows, struct problem *p)
{
	struct db_param prm = DBP_I64(id);
	int64_t school;

	*rows = NULL;
	if (db_query(r->db, lock ? contract_lock_sql : contract_get_sql, &prm, 1, rows, p) != 0)
		return -1;
	if ((*rows)->nrows == 0) {
		db_rows_free(*rows);
		*rows = NULL;
		return problem_not_found(p, "no contract with id %lld", (long long)id);
	}
	school = db_cell_i64(*rows, 0, (size_t)db_col_index(*rows, "_school_id"));
	if (school != 0 && !identity_school_allowed(&r->id, (uint32_t)school)) {
		problem_forbidden(p, "contract %lld belongs to school %s, which your token is not for", (long long)id,
				  db_cell(*rows, 0, (size_t)db_col_index(*rows, "school")));
		db_rows_free(*rows);
		*rows = NULL;
		return -1;
	}
	return 0;
}

/* Render row 0 of a fresh load of contract id (NULL with the problem set). */
cJSON *api_contracts_fetch(struct req *r, int64_t id, int64_t *version, struct procure_result *chk,
			   struct problem *p)
{
	struct api_contracts_peers ps = { 0 };
	struct db_rows *rows = NULL;
	cJSON *o = NULL;

	if (api_contracts_load(r, id, 0, &rows, p) == 0 && api_contracts_peers_load(r, &ps, p) == 0 &&
	    api_contracts_render(r, rows, 0, &ps, &o, chk, p) == 0)
		*version = db_cell_i64(rows, 0, (size_t)db_col_index(rows, "version"));
	api_contracts_peers_free(&ps);
	db_rows_free(rows);
	return o;
}

int api_contract_get(struct req *r, struct problem *p)
{
	int64_t id, version = 0;
	cJSON *o;
	int rc;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_path_id(r, "id", "contract", &id, p) != 0 ||
	    (o = api_contracts_fetch(r, id, &version, NULL, p)) == NULL)
		return -1;
	rc = api_reply_derived(r, 200, o, version, p);
	cJSON_Delete(o);
	return rc;
}

int api_contract_compliance(struct req *r, struct problem *p)
{
	struct procure_result chk;
	int64_t id, version = 0;
	cJSON *o, *c;
	int rc;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_path_id(r, "id", "contract", &id, p) != 0 ||
	    (o = api_contracts_fetch(r, id, &version, &chk, p)) == NULL)
		return -1;
	if ((c = contract_check_json(&chk)) == NULL) {
		cJSON_Delete(o);
		return problem_internal(p);
	}
	/* the check, with what identifies the contract and any waiver on it */
	cJSON_AddNumberToObject(c, "contract_id", id);
	cJSON_AddItemToObject(c, "reference", cJSON_DetachItemFromObjectCaseSensitive(o, "reference"));
	cJSON_AddItemToObject(c, "status", cJSON_DetachItemFromObjectCaseSensitive(o, "status"));
	cJSON_AddItemToObject(c, "exception", cJSON_DetachItemFromObjectCaseSensitive(o, "exception"));
	cJSON_Delete(o);
	rc = api_reply_derived(r, 200, c, 0, p);
	cJSON_Delete(c);
	return rc;
}

/* ---- writes ---- */

struct contract_write {
	struct req *r;
	int64_t id;                              /* 0 for POST */
	int64_t want_version;
	struct contract_body b;
	cJSON *after;
	int64_t version;
};

static const char supplier_exists_sql[] = "SELECT id FROM suppliers WHERE id = ?";
static const char reference_taken_sql[] = "SELECT id FROM contracts WHERE reference = ? AND id <> ?";

/* The supplier and the school exist (422), the reference is free (409). */
static int contract_resolve(struct db *db, struct contract_write *cw, int64_t *school_id, struct problem *p)
{
	struct db_param prm[2];
	struct db_rows *rows = NULL;

	*school_id = 0;
	prm[0] = DBP_I64(cw->b.supplier_id);
	if (db_query(db, supplier_exists_sql, prm, 1, &rows, p) != 0)
		return -1;
	if (rows->nrows == 0)
		problem_field(p, "/supplier_id", "no supplier with id %lld", (long long)cw->b.supplier_id);
	db_rows_free(rows);
	if (cw->b.school != NULL) {
		int is_school = 0, rc = api_school_find(cw->r, cw->b.school, school_id, &is_school, p);

		if (rc < 0)
			return -1;
		if (rc == 0 || !is_school) {
			*school_id = 0;
			problem_field(p, "/school", "no school with URN %s", cw->b.school);
		}
	}
	if (problem_validation_done(p) != 0)
		return -1;
	prm[0] = DBP_STR(cw->b.reference);
	prm[1] = DBP_I64(cw->id);
	if (db_query(db, reference_taken_sql, prm, 2, &rows, p) != 0)
		return -1;
	if (rows->nrows > 0) {
		problem_conflict(p, "contract %s already exists (id %s)", cw->b.reference, db_cell(rows, 0, 0));
		problem_field(p, "/reference", "another contract has this reference");
		db_rows_free(rows);
		return -1;
	}
	db_rows_free(rows);
	return 0;
}

#define CONTRACT_SET \
	"reference = ?, title = ?, supplier_id = ?, category = ?, contract_type = ?, school_id = ?, route = ?, " \
	"procurement_started_on = ?, evidence_json = ?, start_date = ?, end_date = ?, extension_options = ?, " \
	"options_used = ?, options_used_months = ?, options_total_months = ?, notice_period = ?, notice_unit = ?, " \
	"auto_renew = ?, annual_value_pence = ?, vat_pence = ?, indexation = ?, indexation_index = ?, indexation_bp = ?"
#define CONTRACT_NSET 23

static const char contract_insert_sql[] = "INSERT INTO contracts SET " CONTRACT_SET;
static const char contract_update_sql[] =
	"UPDATE contracts SET " CONTRACT_SET ", version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE id = ? AND version = ?";

static struct db_param contract_date(int32_t d, char *buf)
{
	if (d == PROCURE_NO_DATE)
		return DBP_NULL;
	date_format(d, buf, 16);
	return DBP_STR(buf);
}

static int contract_store(struct db *db, struct contract_write *cw, int64_t school_id, struct problem *p)
{
	const struct contract_body *b = &cw->b;
	struct db_param prm[CONTRACT_NSET + 2];
	char started[16], start[16], end[16], *ev = cJSON_PrintUnformatted(b->evidence);
	uint64_t affected = 0, id = 0;
	size_t n = 0;
	int rc;

	if (ev == NULL)
		return problem_internal(p);
	prm[n++] = DBP_STR(b->reference);
	prm[n++] = DBP_STR(b->title);
	prm[n++] = DBP_I64(b->supplier_id);
	prm[n++] = DBP_STR(b->category);
	prm[n++] = DBP_STR(b->contract_type);
	prm[n++] = school_id ? DBP_I64(school_id) : DBP_NULL;
	prm[n++] = DBP_STR(procure_route_names[b->route]);
	prm[n++] = contract_date(b->started_on, started);
	prm[n++] = DBP_STR(ev);
	prm[n++] = contract_date(b->t.start, start);
	prm[n++] = contract_date(b->t.end, end);
	prm[n++] = DBP_STR(b->options_text);
	prm[n++] = DBP_I64(b->t.options_used);
	prm[n++] = DBP_I64(b->used_months);
	prm[n++] = DBP_I64(b->total_months);
	prm[n++] = DBP_I64(b->t.notice_period);
	prm[n++] = DBP_STR(b->notice_unit);
	prm[n++] = DBP_I64(b->t.auto_renew);
	prm[n++] = DBP_I64(b->t.annual_pence);
	prm[n++] = DBP_I64(b->t.vat_pence);
	prm[n++] = DBP_STR(b->indexation);
	prm[n++] = DBP_STR(b->indexation_index);
	prm[n++] = DBP_I64(b->t.ix_bp);
	if (cw->id == 0) {
		rc = db_exec(db, contract_insert_sql, prm, n, &affected, &id, p);
		cw->id = (int64_t)id;
	} else {
		prm[n++] = DBP_I64(cw->id);
		prm[n++] = DBP_I64(cw->want_version);
		rc = db_exec(db, contract_update_sql, prm, n, &affected, NULL, p);
	}
	cJSON_free(ev);
	if (rc != 0) {
		if (db_errno(db) == DB_ER_DUP_ENTRY)
			problem_field(p, "/reference", "another contract has this reference");
		return -1;
	}
	if (affected != 1)
		return problem_changed(p, "updated", "contract %lld", (long long)cw->id);
	return 0;
}

/* The status is changed by transitions only: a body may repeat the current one. */
static void contract_status_check(const struct contract_body *b, const char *current, struct problem *p)
{
	if (b->status != NULL && (!cJSON_IsString(b->status) || strcmp(b->status->valuestring, current) != 0))
		problem_field(p, "/status", "is %s: change it with POST /api/v1/contracts/{id}/transitions", current);
}

static int contract_post_txn(struct db *db, void *arg, struct problem *p)
{
	struct contract_write *cw = arg;
	struct audit_actor who = api_actor(cw->r);
	int64_t school_id;
	char eid[24];

	cJSON_Delete(cw->after);
	cw->after = NULL;
	cw->id = 0;
	if (contract_resolve(db, cw, &school_id, p) != 0 || contract_store(db, cw, school_id, p) != 0 ||
	    (cw->after = api_contracts_fetch(cw->r, cw->id, &cw->version, NULL, p)) == NULL)
		return -1;
	snprintf(eid, sizeof(eid), "%lld", (long long)cw->id);
	return audit_write(db, &who, "create", "contract", eid, NULL, cw->after, p);
}

static int contract_body(struct req *r, struct contract_write *cw, cJSON **in, struct problem *p)
{
	if ((*in = http_read_json(r, p)) == NULL)
		return -1;
	contract_body_parse(*in, &cw->b, p);
	return problem_validation_done(p);
}

int api_contract_create(struct req *r, struct problem *p)
{
	struct contract_write cw = { .r = r };
	char loc[64];
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || (in = http_read_json(r, p)) == NULL)
		goto out;
	contract_body_parse(in, &cw.b, p);
	contract_status_check(&cw.b, "draft", p);
	if (problem_validation_done(p) != 0 || api_txn(r, contract_post_txn, &cw, p) != 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/contracts/%lld", (long long)cw.id);
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", loc);
	rc = api_reply_derived(r, 201, cw.after, cw.version, p);
out:
	contract_body_free(&cw.b);
	cJSON_Delete(cw.after);
	cJSON_Delete(in);
	return rc;
}

/* Lock the contract and check the version the client had: 404, 412. */
static int contract_lock(struct contract_write *cw, struct db_rows **rows, struct contract_row *c, struct problem *p)
{
	if (api_contracts_load(cw->r, cw->id, 1, rows, p) != 0)
		return -1;
	if (contract_from_row(*rows, 0, c) != 0)
		return problem_internal(p);
	if (c->version != cw->want_version)
		return problem_stale(p, c->version, cw->want_version, "contract %lld", (long long)cw->id);
	return 0;
}

/* Once approved, a contract's terms stay as approved: title, evidence and options_used may change. */
static void contract_locked_terms(const struct contract_row *c, const struct db_rows *rows,
				  const struct contract_body *b, int64_t school_id, struct problem *p)
{
	const struct procure_terms *o = &c->pc.t, *n = &b->t;
	const char *ix_index = db_cell(rows, 0, (size_t)db_col_index(rows, "indexation_index"));
	const char *unit = db_cell(rows, 0, (size_t)db_col_index(rows, "notice_unit"));
	char changed[400] = "";
	size_t len = 0;

#define LOCKED(cond, name) \
	do { \
		if (cond) \
			len += (size_t)snprintf(changed + len, len < sizeof(changed) ? sizeof(changed) - len : 0, \
						"%s%s", len ? ", " : "", name); \
	} while (0)
	LOCKED(strcmp(c->pc.reference, b->reference) != 0, "reference");
	LOCKED(c->pc.supplier_id != b->supplier_id, "supplier_id");
	LOCKED(strcmp(c->pc.category, b->category) != 0, "category");
	LOCKED(strcmp(c->pc.contract_type, b->contract_type) != 0, "contract_type");
	LOCKED(c->school_id != school_id, "school");
	LOCKED(c->pc.route != b->route, "route");
	LOCKED(c->pc.started_on != b->started_on, "procurement_started_on");
	LOCKED(o->start != n->start, "start_date");
	LOCKED(o->end != n->end, "end_date");
	LOCKED(o->noptions != n->noptions ||
	       memcmp(o->option_months, n->option_months, o->noptions * sizeof(int)) != 0, "extension_options");
	LOCKED(o->notice_period != n->notice_period || strcmp(unit, b->notice_unit) != 0, "notice");
	LOCKED(o->auto_renew != n->auto_renew, "auto_renew");
	LOCKED(o->annual_pence != n->annual_pence, "annual_value_pence");
	LOCKED(o->vat_pence != n->vat_pence, "vat_pence");
	LOCKED(o->ix != n->ix || o->ix_bp != n->ix_bp ||
	       (ix_index == NULL) != (b->indexation_index == NULL) ||
	       (ix_index != NULL && strcmp(ix_index, b->indexation_index) != 0), "indexation");
#undef LOCKED
	if (len > 0)
		problem_conflict(p, "contract %s is %s: its approved terms cannot change (%s); only title, evidence "
				 "and options_used can", c->pc.reference, c->status, changed);
}

static int contract_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct contract_write *cw = arg;
	struct audit_actor who = api_actor(cw->r);
	struct db_rows *rows = NULL;
	struct contract_row c = { 0 };
	cJSON *before = NULL;
	int64_t school_id, v;
	char eid[24];
	int rc = -1;

	cJSON_Delete(cw->after);
	cw->after = NULL;
	if (contract_lock(cw, &rows, &c, p) != 0)
		goto out;
	contract_status_check(&cw->b, c.status, p);
	if (problem_validation_done(p) != 0 || contract_resolve(db, cw, &school_id, p) != 0)
		goto out;
	if (strcmp(c.status, "draft") != 0 && strcmp(c.status, "awaiting_approval") != 0) {
		contract_locked_terms(&c, rows, &cw->b, school_id, p);
		if (p->status != 0)
			goto out;
	}
	if ((before = api_contracts_fetch(cw->r, cw->id, &v, NULL, p)) == NULL ||
	    contract_store(db, cw, school_id, p) != 0 ||
	    (cw->after = api_contracts_fetch(cw->r, cw->id, &cw->version, NULL, p)) == NULL)
		goto out;
	snprintf(eid, sizeof(eid), "%lld", (long long)cw->id);
	rc = audit_write(db, &who, "update", "contract", eid, before, cw->after, p);
out:
	cJSON_Delete(before);
	contract_row_free(&c);
	db_rows_free(rows);
	return rc;
}

int api_contract_put(struct req *r, struct problem *p)
{
	struct contract_write cw = { .r = r };
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_path_id(r, "id", "contract", &cw.id, p) != 0 ||
	    api_if_match(r, &cw.want_version, p) != 0 || contract_body(r, &cw, &in, p) != 0 ||
	    api_txn(r, contract_put_txn, &cw, p) != 0)
		goto out;
	rc = api_reply_derived(r, 200, cw.after, cw.version, p);
out:
	contract_body_free(&cw.b);
	cJSON_Delete(cw.after);
	cJSON_Delete(in);
	return rc;
}

static const char contract_delete_sql[] = "DELETE FROM contracts WHERE id = ? AND version = ?";

static int contract_delete_txn(struct db *db, void *arg, struct problem *p)
{
	struct contract_write *cw = arg;
	struct audit_actor who = api_actor(cw->r);
	struct db_param prm[2] = { DBP_I64(cw->id), DBP_I64(cw->want_version) };
	struct db_rows *rows = NULL;
	struct contract_row c = { 0 };
	cJSON *before = NULL;
	int64_t v;
	char eid[24];
	int rc = -1;

	if (contract_lock(cw, &rows, &c, p) != 0)
		goto out;
	if (strcmp(c.status, "draft") != 0) {
		problem_conflict(p, "contract %s is %s: only a draft can be deleted (terminate it instead)",
				 c.pc.reference, c.status);
		goto out;
	}
	if ((before = api_contracts_fetch(cw->r, cw->id, &v, NULL, p)) == NULL ||
	    db_exec(db, contract_delete_sql, prm, 2, NULL, NULL, p) != 0)
		goto out;
	snprintf(eid, sizeof(eid), "%lld", (long long)cw->id);
	rc = audit_write(db, &who, "delete", "contract", eid, before, NULL, p);
out:
	cJSON_Delete(before);
	contract_row_free(&c);
	db_rows_free(rows);
	return rc;
}

int api_contract_delete(struct req *r, struct problem *p)
{
	struct contract_write cw = { .r = r };

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_path_id(r, "id", "contract", &cw.id, p) != 0 ||
	    api_if_match(r, &cw.want_version, p) != 0 || api_txn(r, contract_delete_txn, &cw, p) != 0)
		return -1;
	return http_reply_empty(r, 204, NULL);
}
