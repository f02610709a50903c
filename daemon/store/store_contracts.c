/* store_contracts.c - see store_contracts.h */
#include "store_contracts.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "log.h"

/* ---- decoding ---- */

static int store_contract_date(const struct db_rows *rows, size_t i, size_t col, int32_t *d)
{
	const char *s = db_cell(rows, i, col);

	*d = PROCURE_NO_DATE;
	return s == NULL ? 0 : date_parse(s, d);
}

enum { TC_START, TC_END, TC_OPTIONS, TC_USED, TC_NOTICE, TC_UNIT, TC_AUTO, TC_ANNUAL, TC_VAT, TC_IX, TC_IX_BP, TC__N };

static const char *const store_contract_term_cols[TC__N] = {
	"start_date", "end_date", "_options", "options_used", "notice_period", "notice_unit", "auto_renew",
	"annual_value_pence", "vat_pence", "indexation", "indexation_bp",
};

int store_contract_terms(const struct db_rows *rows, size_t i, struct procure_terms *t)
{
	struct problem scratch;
	size_t ix[TC__N];
	const char *unit, *kind;

	memset(t, 0, sizeof(*t));
	problem_reset(&scratch);
	if (db_columns(rows, store_contract_term_cols, TC__N, ix, &scratch) != 0)
		return -1;
	if (store_contract_date(rows, i, ix[TC_START], &t->start) != 0 ||
	    store_contract_date(rows, i, ix[TC_END], &t->end) != 0 || t->start == PROCURE_NO_DATE ||
	    contract_options_parse(db_cell(rows, i, ix[TC_OPTIONS]), t) != 0)
		return -1;
	unit = db_cell(rows, i, ix[TC_UNIT]);
	kind = db_cell(rows, i, ix[TC_IX]);
	t->options_used = (int)db_cell_i64(rows, i, ix[TC_USED]);
	t->notice_period = (int)db_cell_i64(rows, i, ix[TC_NOTICE]);
	t->notice_unit = unit != NULL && strcmp(unit, "months") == 0 ? PROCURE_MONTHS : PROCURE_DAYS;
	t->auto_renew = db_cell_i64(rows, i, ix[TC_AUTO]) != 0;
	t->annual_pence = db_cell_i64(rows, i, ix[TC_ANNUAL]);
	t->vat_pence = db_cell_i64(rows, i, ix[TC_VAT]);
	t->ix = kind == NULL || strcmp(kind, "none") == 0 ? PROCURE_IX_NONE :
		strcmp(kind, "fixed") == 0 ? PROCURE_IX_FIXED : PROCURE_IX_INDEX;
	t->ix_bp = (int32_t)db_cell_i64(rows, i, ix[TC_IX_BP]);
	return 0;
}

enum { DC_ID, DC_REF, DC_CATEGORY, DC_TYPE, DC_SUPPLIER, DC_RELATED, DC_ROUTE, DC_STATUS, DC_SCHOOL, DC_VERSION,
       DC_STARTED, DC_EVIDENCE, DC_LEVEL, DC_MINUTE, DC_APPROVED_AT, DC_APPROVED_BY, DC_EX_KIND, DC_EX_REASON,
       DC_EX_AT, DC_EX_BY, DC__N };

static const char *const store_contract_cols[DC__N] = {
	"id", "reference", "category", "contract_type", "supplier_id", "_related_party", "route", "status",
	"_school_id", "version", "procurement_started_on", "_evidence", "_approved_level", "_board_minute",
	"_approved_at", "_approved_by", "_exception_kind", "_exception_reason", "_exception_at", "_exception_by",
};

int store_contract_decode(const struct db_rows *rows, size_t i, struct contract_row *c)
{
	struct problem scratch;
	size_t ix[DC__N];
	const char *ev, *route;

	memset(c, 0, sizeof(*c));
	problem_reset(&scratch);
	if (db_columns(rows, store_contract_cols, DC__N, ix, &scratch) != 0)
		return -1;
	ev = db_cell(rows, i, ix[DC_EVIDENCE]);
	route = db_cell(rows, i, ix[DC_ROUTE]);
	c->pc.id = db_cell_i64(rows, i, ix[DC_ID]);
	c->pc.reference = db_cell(rows, i, ix[DC_REF]);
	c->pc.category = db_cell(rows, i, ix[DC_CATEGORY]);
	c->pc.contract_type = db_cell(rows, i, ix[DC_TYPE]);
	c->pc.supplier_id = db_cell_i64(rows, i, ix[DC_SUPPLIER]);
	c->pc.related_party = db_cell_i64(rows, i, ix[DC_RELATED]) != 0;
	c->pc.route = route != NULL ? contract_route_parse(route) : PROCURE_WAIVER;
	c->status = db_cell(rows, i, ix[DC_STATUS]);
	c->school_id = db_cell_i64(rows, i, ix[DC_SCHOOL]);
	c->version = db_cell_i64(rows, i, ix[DC_VERSION]);
	c->approved_level = db_cell(rows, i, ix[DC_LEVEL]);
	c->board_minute = db_cell(rows, i, ix[DC_MINUTE]);
	c->approved_at = db_cell(rows, i, ix[DC_APPROVED_AT]);
	c->approved_by = db_cell_i64(rows, i, ix[DC_APPROVED_BY]);
	c->exception_kind = db_cell(rows, i, ix[DC_EX_KIND]);
	c->exception_reason = db_cell(rows, i, ix[DC_EX_REASON]);
	c->exception_at = db_cell(rows, i, ix[DC_EX_AT]);
	c->exception_by = db_cell_i64(rows, i, ix[DC_EX_BY]);
	if (c->pc.reference == NULL || c->pc.category == NULL || c->pc.contract_type == NULL || c->status == NULL ||
	    store_contract_date(rows, i, ix[DC_STARTED], &c->pc.started_on) != 0 ||
	    store_contract_terms(rows, i, &c->pc.t) != 0)
		return -1;
	if (ev == NULL || (c->evidence = cJSON_ParseWithLengthOpts(ev, strlen(ev), NULL, 0)) == NULL)
		return -1;
	if (contract_evidence_parse(c->evidence, "/evidence", &c->pc.ev, NULL, &scratch) != 0)
		return -1;
	return 0;
}

/* ---- the register as peers ---- */

struct store_contract_peers {
	struct db_rows *rows;                    /* owns the strings */
	struct procure_peer *peers;
	size_t n;
};

static const char store_contract_peers_sql[] = "SELECT " CONTRACT_PEER_COLS " FROM contracts c";

static void store_contract_peers_free(struct store_contract_peers *ps)
{
	free(ps->peers);
	db_rows_free(ps->rows);
	memset(ps, 0, sizeof(*ps));
}

enum { PC_ID, PC_REF, PC_CATEGORY, PC_SUPPLIER, PC_STARTED, PC_STATUS, PC__N };

static int store_contract_peers_load(struct db *db, int32_t ix_bp, struct store_contract_peers *ps, struct problem *p)
{
	static const char *const cols[PC__N] = { "id", "reference", "category", "supplier_id",
						 "procurement_started_on", "status" };
	size_t ix[PC__N];

	memset(ps, 0, sizeof(*ps));
	if (db_query(db, store_contract_peers_sql, NULL, 0, &ps->rows, p) != 0 ||
	    db_columns(ps->rows, cols, PC__N, ix, p) != 0)
		goto fail;
	if (ps->rows->nrows > 0 && (ps->peers = calloc(ps->rows->nrows, sizeof(*ps->peers))) == NULL) {
		problem_internal(p);
		goto fail;
	}
	for (size_t i = 0; i < ps->rows->nrows; i++) {
		struct procure_peer *pr = &ps->peers[ps->n];
		struct procure_terms t;
		struct procure_value v;
		const char *status = db_cell(ps->rows, i, ix[PC_STATUS]);
		int32_t d;

		if (store_contract_terms(ps->rows, i, &t) != 0 || procure_estimate(&t, ix_bp, &v) != 0 ||
		    date_parse(db_cell(ps->rows, i, ix[PC_STARTED]), &d) != 0) {
			log_warn("contracts: contract %s has terms that do not parse; left out of the checks",
				 db_cell(ps->rows, i, ix[PC_ID]));
			continue;
		}
		pr->id = db_cell_i64(ps->rows, i, ix[PC_ID]);
		pr->reference = db_cell(ps->rows, i, ix[PC_REF]);
		pr->category = db_cell(ps->rows, i, ix[PC_CATEGORY]);
		pr->supplier_id = db_cell_i64(ps->rows, i, ix[PC_SUPPLIER]);
		pr->started_on = d;
		pr->estimated_pence = v.pence;
		pr->annual_gross_pence = t.annual_pence + t.vat_pence;
		pr->current = status != NULL && strcmp(status, "expired") != 0 && strcmp(status, "terminated") != 0;
		ps->n++;
	}
	return 0;
fail:
	store_contract_peers_free(ps);
	return -1;
}

/* ---- the representation ---- */

/* A contract's state as the workflow sees it, kept from the before-image of a
 * write (the rows are gone by the time the check runs): strings copied here. */
struct store_contract_state {
	struct contract_row c;                   /* no evidence; strings point below */
	char reference[64], category[32], contract_type[32], status[32], unit[16], ix_index[32], school[16];
	int has_ix_index;
	struct procure_result chk;
};

/* What the entity's render works with. */
struct store_contract_ctx {
	const struct store_contract_view *v;
	struct store_contract_peers ps;
	struct store_contract_state *keep;       /* not NULL: keep the next rendered contract's state here */
	struct procure_result *chk;              /* optional: the check of the last one rendered */
};

static void store_contract_copy(char *dst, size_t len, const char *s)
{
	snprintf(dst, len, "%s", s != NULL ? s : "");
}

static void store_contract_keep(struct store_contract_state *st, const struct contract_row *c,
				const struct db_rows *rows, size_t i, const struct procure_result *chk)
{
	const char *ixi = db_get(rows, i, "indexation_index");

	st->c = *c;
	st->c.evidence = NULL;
	memset(&st->c.pc.ev, 0, sizeof(st->c.pc.ev));
	st->c.approved_level = st->c.board_minute = st->c.approved_at = NULL;
	st->c.exception_kind = st->c.exception_reason = st->c.exception_at = NULL;
	store_contract_copy(st->reference, sizeof(st->reference), c->pc.reference);
	store_contract_copy(st->category, sizeof(st->category), c->pc.category);
	store_contract_copy(st->contract_type, sizeof(st->contract_type), c->pc.contract_type);
	store_contract_copy(st->status, sizeof(st->status), c->status);
	store_contract_copy(st->unit, sizeof(st->unit), db_get(rows, i, "notice_unit"));
	store_contract_copy(st->ix_index, sizeof(st->ix_index), ixi);
	store_contract_copy(st->school, sizeof(st->school), db_get(rows, i, "school"));
	st->has_ix_index = ixi != NULL;
	st->c.pc.reference = st->reference;
	st->c.pc.category = st->category;
	st->c.pc.contract_type = st->contract_type;
	st->c.status = st->status;
	st->chk = *chk;
}

/* Row i as its representation, with the scope check (403). */
static cJSON *store_contract_image(const struct db_rows *rows, size_t i, struct store_contract_ctx *x,
				   struct problem *p)
{
	struct contract_row c;
	struct procure_result chk;
	cJSON *o = NULL;

	if (store_contract_decode(rows, i, &c) != 0) {
		log_err("contracts: contract %s does not parse", db_get(rows, i, "id"));
		goto bad;
	}
	if (x->v->scope != NULL && c.school_id != 0 && !identity_school_allowed(x->v->scope, (uint32_t)c.school_id)) {
		problem_forbidden(p, "contract %lld belongs to school %s, which your token is not for",
				  (long long)c.pc.id, db_get(rows, i, "school"));
		goto out;
	}
	if (procure_check(x->v->rules, &c.pc, x->ps.peers, x->ps.n, &chk) != 0) {
		log_err("contracts: contract %s: its value overflows", db_get(rows, i, "id"));
		goto bad;
	}
	if ((o = contract_to_json(db_row_to_json(rows, i), &c, &chk, x->v->today)) == NULL)
		goto bad;
	if (x->keep != NULL) {
		store_contract_keep(x->keep, &c, rows, i, &chk);
		x->keep = NULL;
	}
	if (x->chk != NULL)
		*x->chk = chk;
	goto out;
bad:
	problem_internal(p);
out:
	contract_row_free(&c);
	return o;
}

static cJSON *store_contract_render(const struct db_rows *rows, void *arg, struct problem *p)
{
	return store_contract_image(rows, 0, arg, p);
}

static const char store_contract_get_sql[] = "SELECT " CONTRACT_COLS " FROM " CONTRACT_FROM " WHERE c.id = ?";
static const char store_contract_lock_sql[] =
	"SELECT " CONTRACT_COLS " FROM " CONTRACT_FROM " WHERE c.id = ? FOR UPDATE";

static const struct store_entity store_contract_entity = {
	.name = "contract", .key_name = "id", .get_sql = store_contract_get_sql,
	.lock_sql = store_contract_lock_sql, .render = store_contract_render,
	/* a reference is the one unique key a contract has */
	.unique_field = "/reference", .unique_message = "another contract has this reference",
};

cJSON *store_contract_get(struct db *db, const struct store_contract_view *v, int64_t id, int64_t *version,
			  struct procure_result *chk, struct problem *p)
{
	struct store_contract_ctx x = { .v = v, .chk = chk };
	struct db_param prm = DBP_I64(id);
	char text[24];
	cJSON *o;

	if (store_contract_peers_load(db, v->rules->indexation_bp, &x.ps, p) != 0)
		return NULL;
	snprintf(text, sizeof(text), "%lld", (long long)id);
	o = store_load(db, &store_contract_entity, &(struct store_key){ &prm, 1, text }, 0, &x, version, p);
	store_contract_peers_free(&x.ps);
	return o;
}

cJSON *store_contracts_images(struct db *db, const struct store_contract_view *v, const struct db_rows *rows,
			      size_t n, struct problem *p)
{
	struct store_contract_ctx x = { .v = v };
	cJSON *items = NULL, *o;

	if (store_contract_peers_load(db, v->rules->indexation_bp, &x.ps, p) != 0)
		return NULL;
	if ((items = cJSON_CreateArray()) == NULL) {
		problem_internal(p);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if ((o = store_contract_image(rows, i, &x, p)) == NULL || !cJSON_AddItemToArray(items, o)) {
			cJSON_Delete(o);
			cJSON_Delete(items);
			items = NULL;
			if (p->status == 0)
				problem_internal(p);
			goto out;
		}
	}
out:
	store_contract_peers_free(&x.ps);
	return items;
}

/* ---- list ---- */

#define CONTRACT_FILTERS \
	" AND (? = 0 OR c.school_id IS NULL OR c.school_id IN " STORE_SCOPE_SCHOOLS ")" \
	" AND (? IS NULL OR c.status = ?) AND (? IS NULL OR c.category = ?) AND (? IS NULL OR c.supplier_id = ?)" \
	" AND (? = 0 OR c.school_id <=> ?)" \
	" AND (? IS NULL OR c.current_end BETWEEN ? AND ?) AND (? IS NULL OR c._notice_by BETWEEN ? AND ?)" \
	" AND (? IS NULL OR LOCATE(?, c.reference) > 0 OR LOCATE(?, c.title) > 0 OR LOCATE(?, s.name) > 0)"

static const char store_contracts_list_sql[] =
	"SELECT " CONTRACT_COLS " FROM " CONTRACT_FROM_TODAY " WHERE " STORE_KEYSET_WHERE("c") CONTRACT_FILTERS
	" ORDER BY c.updated_at, c.id LIMIT ?";

/* Another sort: keyset on (key, id), updated_since as a plain filter. */
#define LIST_SORT_SQL(key, cmp, dir) \
	"SELECT " CONTRACT_COLS ", " key " AS _sortkey FROM " CONTRACT_FROM_TODAY \
	" WHERE (? IS NULL OR c.updated_at >= ?)" CONTRACT_FILTERS \
	" AND (? IS NULL OR " key " " cmp " ? OR (" key " = ? AND c.id " cmp " ?))" \
	" ORDER BY " key " " dir ", c.id " dir " LIMIT ?"
#define KEY_END "COALESCE(c.current_end, '9999-12-31')"
#define KEY_NOTICE "COALESCE(c._notice_by, '9999-12-31')"

const char *const store_contracts_sorts[] = { "reference", "-reference", "title", "-title", "end", "-end",
					      "notice_by", "-notice_by", "value", "-value", NULL };

static const char *const store_contracts_sort_sql[] = {
	LIST_SORT_SQL("c.reference", ">", "ASC"),
	LIST_SORT_SQL("c.reference", "<", "DESC"),
	LIST_SORT_SQL("c.title", ">", "ASC"),
	LIST_SORT_SQL("c.title", "<", "DESC"),
	LIST_SORT_SQL(KEY_END, ">", "ASC"),
	LIST_SORT_SQL(KEY_END, "<", "DESC"),
	LIST_SORT_SQL(KEY_NOTICE, ">", "ASC"),
	LIST_SORT_SQL(KEY_NOTICE, "<", "DESC"),
	LIST_SORT_SQL("c.annual_value_pence", ">", "ASC"),
	LIST_SORT_SQL("c.annual_value_pence", "<", "DESC"),
};

#define STORE_CONTRACTS_NSORTS (sizeof(store_contracts_sort_sql) / sizeof(store_contracts_sort_sql[0]))

int store_contracts_sort_numeric(int sort)
{
	return sort >= 0 && (size_t)sort < STORE_CONTRACTS_NSORTS && strstr(store_contracts_sorts[sort], "value") != NULL;
}

int store_contracts_list(struct db *db, const struct page *pg, const struct store_contracts_filter *f,
			 struct db_rows **rows, struct problem *p)
{
	struct db_param prm[32];
	size_t n = 0;
	int sorted = f->sort >= 0;

	*rows = NULL;
	if ((sorted && (size_t)f->sort >= STORE_CONTRACTS_NSORTS) || f->today == NULL)
		return problem_internal(p);
	prm[n++] = DBP_STR(f->today);            /* CONTRACT_FROM_TODAY */
	prm[n++] = pg->has_since ? DBP_STR(pg->since_ts) : DBP_NULL;
	prm[n++] = pg->has_since ? DBP_STR(pg->since_ts) : DBP_NULL;
	if (!sorted) {
		for (int i = 0; i < 3; i++)
			prm[n++] = pg->has_after ? DBP_STR(pg->after_ts) : DBP_NULL;
		prm[n++] = pg->has_after ? DBP_I64(pg->after_id) : DBP_NULL;
	}
	prm[n++] = DBP_I64(f->scope.scoped != 0);
	prm[n++] = DBP_I64(f->scope.who.token_id);
	prm[n++] = DBP_I64(f->scope.who.user_id);
	prm[n++] = DBP_STR(f->status);
	prm[n++] = DBP_STR(f->status);
	prm[n++] = DBP_STR(f->category);
	prm[n++] = DBP_STR(f->category);
	prm[n++] = f->supplier ? DBP_I64(f->supplier) : DBP_NULL;
	prm[n++] = f->supplier ? DBP_I64(f->supplier) : DBP_NULL;
	prm[n++] = DBP_I64(f->has_school);
	prm[n++] = f->school_id ? DBP_I64(f->school_id) : DBP_NULL;
	prm[n++] = f->expiring_from != NULL ? DBP_I64(1) : DBP_NULL;
	prm[n++] = DBP_STR(f->expiring_from);
	prm[n++] = DBP_STR(f->expiring_to);
	prm[n++] = f->notice_from != NULL ? DBP_I64(1) : DBP_NULL;
	prm[n++] = DBP_STR(f->notice_from);
	prm[n++] = DBP_STR(f->notice_to);
	for (int i = 0; i < 4; i++)
		prm[n++] = DBP_STR(f->q);
	if (sorted) {
		struct db_param key = !f->has_key ? DBP_NULL :
			store_contracts_sort_numeric(f->sort) ? DBP_I64(strtoll(f->key, NULL, 10)) : DBP_STR(f->key);

		prm[n++] = key;
		prm[n++] = key;
		prm[n++] = key;
		prm[n++] = f->has_key ? DBP_I64(f->key_id) : DBP_NULL;
	}
	prm[n++] = DBP_I64(pg->limit + 1);
	return db_query(db, sorted ? store_contracts_sort_sql[f->sort] : store_contracts_list_sql, prm, n, rows, p);
}

/* ---- every row a list's filters select ---- */

struct store_contracts_each_arg {
	const struct store_contract_view *v;
	struct page pg;                          /* the list's, paged here */
	struct store_contracts_filter f;
	size_t batch;
	store_contracts_each_fn each;
	void *arg;
	int ran;
	char key[256];                           /* the sort's cursor key */
};

/* Row i of a page: decoded, scope-checked and checked against the register, to the caller. */
static int store_contracts_each_row(const struct db_rows *rows, size_t i, struct store_contract_ctx *x,
				    struct store_contracts_each_arg *a, struct problem *p)
{
	struct contract_row c;
	struct procure_result chk;
	int rc = -1;

	if (store_contract_decode(rows, i, &c) != 0) {
		log_err("contracts: contract %s does not parse", db_get(rows, i, "id"));
		problem_internal(p);
	} else if (a->v->scope != NULL && c.school_id != 0 &&
		   !identity_school_allowed(a->v->scope, (uint32_t)c.school_id)) {
		problem_forbidden(p, "contract %lld belongs to school %s, which your token is not for",
				  (long long)c.pc.id, db_get(rows, i, "school"));
	} else if (procure_check(a->v->rules, &c.pc, x->ps.peers, x->ps.n, &chk) != 0) {
		log_err("contracts: contract %s: its value overflows", db_get(rows, i, "id"));
		problem_internal(p);
	} else if ((rc = a->each(a->arg, rows, i, &c, &chk)) != 0 && p->status == 0) {
		problem_internal(p);
	}
	contract_row_free(&c);
	return rc;
}

/* The pages, in one transaction: one snapshot of the register from the first read on. */
static int store_contracts_each_txn(struct db *db, void *arg, struct problem *p)
{
	struct store_contracts_each_arg *a = arg;
	struct store_contract_ctx x = { .v = a->v };
	struct db_rows *rows = NULL;
	int rc = -1;

	/* the rows already went out: a re-run (a deadlock, which plain reads do not
	 * meet) would send them twice */
	if (a->ran++)
		return problem_unavailable(p, 1);
	if (store_contract_peers_load(db, a->v->rules->indexation_bp, &x.ps, p) != 0)
		return -1;
	for (;;) {
		size_t n;

		if (store_contracts_list(db, &a->pg, &a->f, &rows, p) != 0)
			goto out;
		n = rows->nrows > a->batch ? a->batch : rows->nrows;
		for (size_t i = 0; i < n; i++)
			if (store_contracts_each_row(rows, i, &x, a, p) != 0)
				goto out;
		if (rows->nrows <= a->batch)
			break;
		/* the next page: keyset after the page's last row, as the list's cursor does */
		if (a->f.sort < 0) {
			const char *ts = db_get(rows, n - 1, "updated_at");

			a->pg.has_after = 1;
			snprintf(a->pg.after_ts, sizeof(a->pg.after_ts), "%s", ts != NULL ? ts : "");
			a->pg.after_id = db_get_i64(rows, n - 1, "id");
		} else {
			const char *key = db_get(rows, n - 1, "_sortkey");

			snprintf(a->key, sizeof(a->key), "%s", key != NULL ? key : "");
			a->f.key = a->key;
			a->f.has_key = 1;
			a->f.key_id = db_get_i64(rows, n - 1, "id");
		}
		db_rows_free(rows);
		rows = NULL;
	}
	rc = 0;
out:
	db_rows_free(rows);
	store_contract_peers_free(&x.ps);
	return rc;
}

int store_contracts_each(struct db *db, const struct store_contract_view *v, const struct page *pg,
			 const struct store_contracts_filter *f, size_t batch, store_contracts_each_fn each, void *arg,
			 struct problem *p)
{
	struct store_contracts_each_arg a = { .v = v, .pg = *pg, .f = *f, .batch = batch, .each = each, .arg = arg };

	if (batch == 0 || batch > PAGE_MAX_LIMIT)
		return problem_internal(p);
	/* from the first row, a page of batch rows at a time */
	a.pg.has_after = 0;
	a.pg.limit = (int)batch;
	a.f.has_key = 0;
	a.f.key = NULL;
	return db_txn(db, store_contracts_each_txn, &a, p);
}

/* ---- writes ---- */

static const char store_contract_supplier_sql[] = "SELECT id, related_party FROM suppliers WHERE id = ?";
static const char store_contract_reference_sql[] = "SELECT id FROM contracts WHERE reference = ? AND id <> ?";

/* The supplier and the school (school_id < 0: none has the body's URN) exist (422),
 * the reference is free (409). */
static int store_contract_resolve(struct db *db, const struct contract_body *b, int64_t id, int64_t school_id,
				  struct problem *p)
{
	struct db_param prm[2];
	struct db_rows *rows = NULL;

	prm[0] = DBP_I64(b->supplier_id);
	if (db_query(db, store_contract_supplier_sql, prm, 1, &rows, p) != 0)
		return -1;
	if (rows->nrows == 0)
		problem_field(p, "/supplier_id", "no supplier with id %lld", (long long)b->supplier_id);
	db_rows_free(rows);
	if (b->school != NULL && school_id < 0)
		problem_field(p, "/school", "no school with URN %s", b->school);
	if (problem_validation_done(p) != 0)
		return -1;
	prm[0] = DBP_STR(b->reference);
	prm[1] = DBP_I64(id);
	if (db_query(db, store_contract_reference_sql, prm, 2, &rows, p) != 0)
		return -1;
	if (rows->nrows > 0) {
		problem_conflict(p, "contract %s already exists (id %s)", b->reference, db_cell(rows, 0, 0));
		problem_field(p, "/reference", "another contract has this reference");
		db_rows_free(rows);
		return -1;
	}
	db_rows_free(rows);
	return 0;
}

/* ---- the check of an unsaved body ---- */

int store_contract_check_body(struct db *db, const struct store_contract_view *v, const struct contract_body *b,
			      int64_t id, int64_t school_id, struct procure_result *chk, struct problem *p)
{
	struct store_contract_peers ps;
	struct procure_contract pc = { 0 };
	struct db_param prm = DBP_I64(b->supplier_id);
	struct db_rows *rows = NULL;
	int rc = -1;

	if (db_query(db, store_contract_supplier_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if (rows->nrows == 0)
		problem_field(p, "/supplier_id", "no supplier with id %lld", (long long)b->supplier_id);
	else
		pc.related_party = db_get_i64(rows, 0, "related_party") != 0;
	db_rows_free(rows);
	if (b->school != NULL && school_id < 0)
		problem_field(p, "/school", "no school with URN %s", b->school);
	if (problem_validation_done(p) != 0)
		return -1;
	pc.id = id;
	pc.reference = b->reference;
	pc.category = b->category;
	pc.contract_type = b->contract_type;
	pc.supplier_id = b->supplier_id;
	pc.route = b->route;
	pc.started_on = b->started_on;
	pc.t = b->t;
	/* the body's evidence is already validated and normalised */
	if (b->evidence != NULL && contract_evidence_parse(b->evidence, "/evidence", &pc.ev, NULL, p) != 0)
		return problem_validation_done(p);
	if (store_contract_peers_load(db, v->rules->indexation_bp, &ps, p) != 0)
		return -1;
	if (procure_check(v->rules, &pc, ps.peers, ps.n, chk) != 0) {
		problem_field(p, "/annual_value_pence", "the estimated whole-life value is too large to check");
		problem_validation_done(p);
	} else {
		rc = 0;
	}
	store_contract_peers_free(&ps);
	return rc;
}

#define CONTRACT_SET \
	"reference = ?, title = ?, supplier_id = ?, category = ?, contract_type = ?, school_id = ?, route = ?, " \
	"procurement_started_on = ?, evidence_json = ?, start_date = ?, end_date = ?, extension_options = ?, " \
	"options_used = ?, options_used_months = ?, options_total_months = ?, notice_period = ?, notice_unit = ?, " \
	"auto_renew = ?, annual_value_pence = ?, vat_pence = ?, indexation = ?, indexation_index = ?, indexation_bp = ?"
#define CONTRACT_NSET 23

static const char store_contract_insert_sql[] = "INSERT INTO contracts SET " CONTRACT_SET;
static const char store_contract_update_sql[] =
	"UPDATE contracts SET " CONTRACT_SET ", version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE id = ? AND version = ?";

/* A write of a body: its parameters and the text they point to. */
struct store_contract_write {
	struct store_contract_ctx x;
	struct store_contract_state st;
	const struct contract_body *b;
	int64_t school_id;                       /* the body's school: 0 trust-wide, < 0 unknown */
	int64_t id;
	struct db_param prm[CONTRACT_NSET + 2];
	char started[16], start[16], end[16], terminated_on[16], *evidence;
	/* a move */
	const struct contract_move *m;
	unsigned role;
	int64_t token;
	struct store_contract_state *keep;
};

static struct db_param store_contract_day(int32_t d, char *buf)
{
	if (d == PROCURE_NO_DATE)
		return DBP_NULL;
	date_format(d, buf, 16);
	return DBP_STR(buf);
}

static int store_contract_params(struct store_contract_write *w, int64_t school_id, struct problem *p)
{
	const struct contract_body *b = w->b;
	size_t n = 0;

	if ((w->evidence = cJSON_PrintUnformatted(b->evidence)) == NULL)
		return problem_internal(p);
	w->prm[n++] = DBP_STR(b->reference);
	w->prm[n++] = DBP_STR(b->title);
	w->prm[n++] = DBP_I64(b->supplier_id);
	w->prm[n++] = DBP_STR(b->category);
	w->prm[n++] = DBP_STR(b->contract_type);
	w->prm[n++] = school_id > 0 ? DBP_I64(school_id) : DBP_NULL;
	w->prm[n++] = DBP_STR(procure_route_names[b->route]);
	w->prm[n++] = store_contract_day(b->started_on, w->started);
	w->prm[n++] = DBP_STR(w->evidence);
	w->prm[n++] = store_contract_day(b->t.start, w->start);
	w->prm[n++] = store_contract_day(b->t.end, w->end);
	w->prm[n++] = DBP_STR(b->options_text);
	w->prm[n++] = DBP_I64(b->t.options_used);
	w->prm[n++] = DBP_I64(b->used_months);
	w->prm[n++] = DBP_I64(b->total_months);
	w->prm[n++] = DBP_I64(b->t.notice_period);
	w->prm[n++] = DBP_STR(b->notice_unit);
	w->prm[n++] = DBP_I64(b->t.auto_renew);
	w->prm[n++] = DBP_I64(b->t.annual_pence);
	w->prm[n++] = DBP_I64(b->t.vat_pence);
	w->prm[n++] = DBP_STR(b->indexation);
	w->prm[n++] = DBP_STR(b->indexation_index);
	w->prm[n++] = DBP_I64(b->t.ix_bp);
	return 0;
}

static int store_contract_begin(struct db *db, struct store_contract_write *w, const struct store_contract_view *v,
				struct problem *p)
{
	w->x.v = v;
	return store_contract_peers_load(db, v->rules->indexation_bp, &w->x.ps, p);
}

static void store_contract_end(struct store_contract_write *w)
{
	store_contract_peers_free(&w->x.ps);
	cJSON_free(w->evidence);
	w->evidence = NULL;
}

int store_contract_create(struct db *db, const struct audit_actor *who, const struct store_contract_view *v,
			  const struct contract_body *b, int64_t school_id, int64_t *id, cJSON **after,
			  struct problem *p)
{
	struct store_contract_write w = { .b = b };
	int rc = -1;

	*after = NULL;
	if (store_contract_begin(db, &w, v, p) == 0 && store_contract_resolve(db, b, 0, school_id, p) == 0 &&
	    store_contract_params(&w, school_id, p) == 0)
		rc = store_versioned_create(db, &(struct store_create){ .e = &store_contract_entity,
				.sql = store_contract_insert_sql, .params = w.prm, .nparams = CONTRACT_NSET,
				.arg = &w.x, .who = who }, id, after, p);
	store_contract_end(&w);
	return rc;
}

/* An update's checks on the locked contract: the status kept, the body's
 * references, the approved terms. */
static int store_contract_update_check(struct db *db, const cJSON *before, void *arg, struct problem *p)
{
	struct store_contract_write *w = (struct store_contract_write *)((char *)arg -
									 offsetof(struct store_contract_write, x));
	const struct store_contract_state *st = &w->st;

	(void)before;
	contract_flow_status_kept(w->b->status, st->status, p);
	if (problem_validation_done(p) != 0 || store_contract_resolve(db, w->b, w->id, w->school_id, p) != 0)
		return -1;
	if (!contract_flow_terms_open(st->status) &&
	    contract_flow_locked_terms(&st->c, st->unit, st->has_ix_index ? st->ix_index : NULL, w->b, w->school_id,
				       p) != 0)
		return -1;
	return 0;
}

int store_contract_update(struct db *db, const struct audit_actor *who, const struct store_contract_view *v,
			  int64_t id, int64_t want_version, const struct contract_body *b, int64_t school_id,
			  cJSON **after, struct problem *p)
{
	struct store_contract_write w = { .b = b, .school_id = school_id, .id = id };
	char text[24];
	int rc = -1;

	*after = NULL;
	w.x.keep = &w.st;
	snprintf(text, sizeof(text), "%lld", (long long)id);
	if (store_contract_begin(db, &w, v, p) == 0 && store_contract_params(&w, school_id, p) == 0) {
		w.prm[CONTRACT_NSET] = DBP_I64(id);
		w.prm[CONTRACT_NSET + 1] = DBP_I64(want_version);
		rc = store_versioned_write(db, &(struct store_write){ .e = &store_contract_entity,
				.key = { &w.prm[CONTRACT_NSET], 1, text }, .want_version = want_version,
				.action = "update", .sql = store_contract_update_sql, .params = w.prm,
				.nparams = CONTRACT_NSET + 2, .check = store_contract_update_check,
				.arg = &w.x, .who = who }, after, p);
	}
	store_contract_end(&w);
	return rc;
}

static const char store_contract_delete_sql[] = "DELETE FROM contracts WHERE id = ? AND version = ?";

static int store_contract_delete_check(struct db *db, const cJSON *before, void *arg, struct problem *p)
{
	struct store_contract_write *w = (struct store_contract_write *)((char *)arg -
									 offsetof(struct store_contract_write, x));

	(void)db;
	(void)before;
	return contract_flow_deletable(w->st.reference, w->st.status, p);
}

int store_contract_delete(struct db *db, const struct audit_actor *who, const struct store_contract_view *v,
			  int64_t id, int64_t want_version, struct problem *p)
{
	struct store_contract_write w = { .id = id };
	cJSON *after = NULL;
	char text[24];
	int rc = -1;

	w.x.keep = &w.st;
	w.prm[0] = DBP_I64(id);
	w.prm[1] = DBP_I64(want_version);
	snprintf(text, sizeof(text), "%lld", (long long)id);
	if (store_contract_begin(db, &w, v, p) == 0)
		rc = store_versioned_write(db, &(struct store_write){ .e = &store_contract_entity,
				.key = { w.prm, 1, text }, .want_version = want_version, .action = "delete",
				.is_delete = 1, .sql = store_contract_delete_sql, .params = w.prm, .nparams = 2,
				.check = store_contract_delete_check, .arg = &w.x, .who = who }, &after, p);
	store_contract_end(&w);
	return rc;
}

static const char store_contract_move_sql[] =
	"UPDATE contracts SET status = ?, status_reason = ?, status_changed_at = UTC_TIMESTAMP(6), terminated_on = ?, "
	"approved_level = IF(? IS NULL, approved_level, ?), board_minute = IF(? IS NULL, board_minute, ?), "
	"approved_at = IF(? IS NULL, approved_at, UTC_TIMESTAMP(6)), approved_by = IF(? IS NULL, approved_by, ?), "
	"exception_kind = IF(? IS NULL, exception_kind, ?), exception_reason = IF(? IS NULL, exception_reason, ?), "
	"exception_at = IF(? IS NULL, exception_at, UTC_TIMESTAMP(6)), "
	"exception_by = IF(? IS NULL, exception_by, ?), "
	"version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND version = ?";
#define CONTRACT_MOVE_NPARAMS 19

/* The workflow decides (contract_flow_move); the statement records its outcome. */
static int store_contract_move_check(struct db *db, const cJSON *before, void *arg, struct problem *p)
{
	struct store_contract_write *w = (struct store_contract_write *)((char *)arg -
									 offsetof(struct store_contract_write, x));
	const struct contract_move *m = w->m;
	struct contract_subject subj = { w->st.reference, w->st.status, w->st.c.pc.t.start };
	struct contract_outcome out;
	const char *level;
	size_t n = 0;

	(void)db;
	(void)before;
	if (contract_flow_move(&subj, m, w->role, strcmp(m->to, "active") == 0 ? &w->st.chk : NULL, w->x.v->today,
			       &out, p) != 0)
		return -1;
	level = out.level;
	if (out.terminated_on != PROCURE_NO_DATE)
		date_format(out.terminated_on, w->terminated_on, sizeof(w->terminated_on));
	w->prm[n++] = DBP_STR(out.status);
	w->prm[n++] = DBP_STR(m->reason != NULL ? m->reason : "");
	w->prm[n++] = DBP_STR(out.terminated_on != PROCURE_NO_DATE ? w->terminated_on : NULL);
	w->prm[n++] = DBP_STR(level);
	w->prm[n++] = DBP_STR(level);
	w->prm[n++] = DBP_STR(level != NULL ? m->minute : NULL);
	w->prm[n++] = DBP_STR(level != NULL ? m->minute : NULL);
	w->prm[n++] = DBP_STR(level);
	w->prm[n++] = level != NULL ? DBP_I64(w->token) : DBP_NULL;
	w->prm[n++] = level != NULL ? DBP_I64(w->token) : DBP_NULL;
	w->prm[n++] = DBP_STR(m->exception);
	w->prm[n++] = DBP_STR(m->exception);
	w->prm[n++] = DBP_STR(m->exception);
	w->prm[n++] = DBP_STR(m->exception != NULL ? m->reason : NULL);
	w->prm[n++] = DBP_STR(m->exception);
	w->prm[n++] = m->exception != NULL ? DBP_I64(w->token) : DBP_NULL;
	w->prm[n++] = m->exception != NULL ? DBP_I64(w->token) : DBP_NULL;
	return 0;
}

int store_contract_move(struct db *db, const struct audit_actor *who, unsigned role,
			const struct store_contract_view *v, int64_t id, int64_t want_version,
			const struct contract_move *m, cJSON **after, struct problem *p)
{
	struct store_contract_write w = { .id = id, .m = m, .role = role, .token = who->token_id };
	char text[24];
	int rc = -1;

	*after = NULL;
	w.x.keep = &w.st;
	w.prm[CONTRACT_MOVE_NPARAMS - 2] = DBP_I64(id);
	w.prm[CONTRACT_MOVE_NPARAMS - 1] = DBP_I64(want_version);
	snprintf(text, sizeof(text), "%lld", (long long)id);
	if (store_contract_begin(db, &w, v, p) == 0)
		rc = store_versioned_write(db, &(struct store_write){ .e = &store_contract_entity,
				.key = { &w.prm[CONTRACT_MOVE_NPARAMS - 2], 1, text }, .want_version = want_version,
				.any_version = want_version < 0, .action = "transition", .doing = "moved",
				.sql = store_contract_move_sql, .params = w.prm, .nparams = CONTRACT_MOVE_NPARAMS,
				.check = store_contract_move_check, .arg = &w.x, .who = who }, after, p);
	store_contract_end(&w);
	return rc;
}

/* ---- renewal alerts, OCDS ---- */

static const char store_contracts_due_sql[] =
	"SELECT " CONTRACT_COLS " FROM " CONTRACT_FROM " WHERE c.status = 'active'"
	" AND (? = 0 OR c.school_id IS NULL OR c.school_id IN " STORE_SCOPE_SCHOOLS ")"
	" AND (c.notice_by BETWEEN ? AND ? OR c.current_end BETWEEN ? AND ? OR (c.auto_renew = 1 AND c.end_date IS NULL))"
	" ORDER BY c.id";

int store_contracts_due(struct db *db, const struct store_scope *scope, const char *from, const char *to,
			struct db_rows **rows, struct problem *p)
{
	struct db_param prm[7] = {
		DBP_I64(scope->scoped != 0), STORE_SCOPE_PARAMS(scope), DBP_STR(from), DBP_STR(to), DBP_STR(from),
		DBP_STR(to),
	};

	return db_query(db, store_contracts_due_sql, prm, 7, rows, p);
}

static const char store_contracts_published_sql[] =
	"SELECT " CONTRACT_COLS ", s.companies_house_number AS _crn, sc.name AS _school_name FROM " CONTRACT_FROM
	" WHERE c.status IN ('active', 'expired', 'terminated') AND (? IS NULL OR c.updated_at >= ?) ORDER BY c.id";

int store_contracts_published(struct db *db, const char *since_ts, struct db_rows **rows, struct problem *p)
{
	struct db_param prm[2] = { DBP_STR(since_ts), DBP_STR(since_ts) };

	return db_query(db, store_contracts_published_sql, prm, 2, rows, p);
}

static const char store_contracts_buyer_sql[] = "SELECT name FROM schools WHERE kind = 'central' ORDER BY id LIMIT 1";

int store_contracts_buyer(struct db *db, char *buf, size_t len, struct problem *p)
{
	struct db_rows *rows = NULL;

	if (db_query(db, store_contracts_buyer_sql, NULL, 0, &rows, p) != 0)
		return -1;
	snprintf(buf, len, "%s", rows->nrows > 0 && db_cell(rows, 0, 0) != NULL ? db_cell(rows, 0, 0) : "");
	db_rows_free(rows);
	return 0;
}
