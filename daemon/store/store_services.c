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

/* Lock service id (FOR UPDATE, the services row alone): 404 when none or deleted. */
static int store_service_lock(struct db *db, int64_t id, struct store_service_locked *out, struct problem *p)
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

static const char service_bump_sql[] =
	"UPDATE services SET version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE id = ?";

static const char service_bump_at_sql[] =
	"UPDATE services SET version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND version = ?";

/* Bump service id's version and updated_at (every write to its subscriptions). */
static int service_bump(struct db *db, int64_t id, struct problem *p)
{
	struct db_param prm = DBP_I64(id);

	return db_exec(db, service_bump_sql, &prm, 1, NULL, NULL, p);
}


/* ---- service writes ---- */

/*
 * The service as an entity. Its representation is priced for a year by the
 * caller (api/svcyear.c: the configuration's rates), so store_service_get and
 * store_service_write take the render. Its rows join the contract and the
 * supplier, which a write must not lock (a contract write touches its services
 * while holding the contract: locking both ways round would deadlock), so the
 * services row alone is locked first (store_write's first: service_first) and
 * lock_sql is the plain read. Deleted services are tombstones: not found.
 */
static const char service_get_sql[] =
	"SELECT " SVCYEAR_COLS " FROM " SVCYEAR_FROM " WHERE sv.id = ? AND sv.deleted_at IS NULL";

static const struct store_entity service_entity = {
	.name = "service", .key_name = "id", .get_sql = service_get_sql, .lock_sql = service_get_sql,
	.unique_field = "/name", .unique_message = "another service has this name",
};

/* A write's state: the caller's render and check, the locked service, what then counted. */
struct service_state {
	struct store_service_write *w;
	struct store_service_locked l;
	struct db_param key;
	uint64_t subs;                           /* a delete: subscriptions made tombstones */
};

static cJSON *service_render(const struct db_rows *rows, void *arg, struct problem *p)
{
	struct service_state *st = arg;

	return st->w->render(rows, st->w->arg, p);
}

/* The entity with the caller's render, and the duplicate name's detail naming it. */
static struct store_entity service_entity_for(const struct store_service_write *w, char *detail, size_t len)
{
	struct store_entity e = service_entity;

	e.render = service_render;
	if (w->in != NULL) {
		snprintf(detail, len, "there is already a service called %s", w->in->name);
		e.unique_detail = detail;
	}
	return e;
}

cJSON *store_service_get(struct db *db, int64_t id, store_service_render_fn render, void *arg, int64_t *version,
			 struct problem *p)
{
	struct store_service_write w = { .render = render, .arg = arg };
	struct service_state st = { .w = &w, .key = DBP_I64(id) };
	struct store_entity e = service_entity_for(&w, NULL, 0);
	char text[24];

	snprintf(text, sizeof(text), "%lld", (long long)id);
	return store_load(db, &e, &(struct store_key){ &st.key, 1, text }, 0, &st, version, p);
}

static int service_first(struct db *db, void *arg, struct problem *p)
{
	struct service_state *st = arg;

	return store_service_lock(db, st->w->id, &st->l, p);
}

/* An update's checks: the account and contract exist, then the caller's. */
static int service_check(struct db *db, const cJSON *before, void *arg, struct problem *p)
{
	struct service_state *st = arg;
	const struct store_service_in *s = st->w->in;

	(void)before;
	if (store_service_refs(db, s->account_code, s->contract_id, p) != 0 || problem_validation_done(p) != 0)
		return -1;
	return st->w->check != NULL ? st->w->check(db, &st->l, st->w->arg, p) : 0;
}

/* A deleted service's live subscriptions become tombstones too, so the schools'
 * systems see them go. */
static const char service_delete_subs_sql[] =
	"UPDATE subscriptions SET deleted_at = UTC_TIMESTAMP(6), version = version + 1, updated_at = UTC_TIMESTAMP(6)"
	" WHERE service_id = ? AND deleted_at IS NULL";

static int service_delete_subs(struct db *db, void *arg, struct problem *p)
{
	struct service_state *st = arg;

	return db_exec(db, service_delete_subs_sql, &st->key, 1, &st->subs, NULL, p);
}

/* The audited before-image of a delete says how many subscriptions went with it. */
static int service_delete_amend(struct db *db, cJSON *before, cJSON *after, void *arg, struct problem *p)
{
	struct service_state *st = arg;

	(void)db;
	(void)after;
	if (cJSON_AddNumberToObject(before, "subscriptions_deleted", (double)st->subs) == NULL)
		return problem_internal(p);
	return 0;
}

#define SERVICE_SET \
	"name = ?, category = ?, description = ?, contract_id = ?, account_code = ?, funding = ?, basis = ?, " \
	"usage_unit = ?, annual_cost_pence = ?, annual_vat_pence = ?"

static const char service_insert_sql[] = "INSERT INTO services SET " SERVICE_SET;
static const char service_update_sql[] =
	"UPDATE services SET " SERVICE_SET ", version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE id = ? AND version = ? AND deleted_at IS NULL";
/* A deleted service stays as a tombstone and gives up its contract (so that a draft
 * contract can still be deleted). */
static const char service_delete_sql[] =
	"UPDATE services SET deleted_at = UTC_TIMESTAMP(6), contract_id = NULL,"
	" annual_cost_pence = COALESCE(annual_cost_pence, 0), version = version + 1, updated_at = UTC_TIMESTAMP(6)"
	" WHERE id = ? AND version = ? AND deleted_at IS NULL";

/* The ten columns of SERVICE_SET. */
static size_t service_params(const struct store_service_in *s, struct db_param *prm)
{
	size_t n = 0;

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
	return n;
}

int store_service_write(struct db *db, struct store_service_write *w, cJSON **after, struct problem *p)
{
	struct service_state st = { .w = w, .key = DBP_I64(w->id) };
	struct db_param prm[12];
	char detail[300], text[24];
	struct store_entity e = service_entity_for(w, detail, sizeof(detail));
	size_t n = w->in != NULL ? service_params(w->in, prm) : 0;

	*after = NULL;
	if (w->id == 0) {
		if (store_service_refs(db, w->in->account_code, w->in->contract_id, p) != 0 ||
		    problem_validation_done(p) != 0)
			return -1;
		return store_versioned_create(db, &(struct store_create){ .e = &e, .sql = service_insert_sql,
				.params = prm, .nparams = n, .arg = &st, .who = w->who }, &w->id, after, p);
	}
	prm[n++] = DBP_I64(w->id);
	prm[n++] = DBP_I64(w->want_version);
	snprintf(text, sizeof(text), "%lld", (long long)w->id);
	if (w->in == NULL)
		return store_versioned_write(db, &(struct store_write){ .e = &e, .key = { &st.key, 1, text },
				.want_version = w->want_version, .action = "delete", .is_delete = 1,
				.sql = service_delete_sql, .params = prm, .nparams = n, .first = service_first,
				.then = service_delete_subs, .amend = service_delete_amend, .arg = &st, .who = w->who },
				after, p);
	return store_versioned_write(db, &(struct store_write){ .e = &e, .key = { &st.key, 1, text },
			.want_version = w->want_version, .action = "update", .sql = service_update_sql, .params = prm,
			.nparams = n, .first = service_first, .check = service_check, .arg = &st, .who = w->who },
			after, p);
}

/* ---- subscriptions ---- */

#define SUB_COLS \
	"b.id, b.service_id, sc.urn AS school, sc.name AS school_name, b.start_date, b.end_date, b.level, " \
	"b.usage_units, b.fixed_share_bp, b.deleted_at, b.version, b.created_at, b.updated_at, b.school_id"
#define SUB_FROM "subscriptions b JOIN schools sc ON sc.id = b.school_id"

static const char sub_list_sql[] =
	"SELECT " SUB_COLS " FROM " SUB_FROM " WHERE " STORE_KEYSET_WHERE("b")
	" AND b.service_id = ? AND (b.deleted_at IS NULL OR ? = 1)"
	" AND (? = 0 OR b.school_id IN " STORE_SCOPE_SCHOOLS ")"
	" AND (? = 0 OR b.school_id = ?) ORDER BY b.updated_at, b.id LIMIT ?";

int store_subscriptions_list(struct db *db, const struct page *pg, int64_t service_id, const struct store_scope *scope,
			     int64_t school_id, struct db_rows **rows, struct problem *p)
{
	struct db_param extra[7] = {
		DBP_I64(service_id), DBP_I64(pg->has_since), DBP_I64(scope->scoped != 0), STORE_SCOPE_PARAMS(scope),
		DBP_I64(school_id), DBP_I64(school_id),
	};

	return store_list(db, sub_list_sql, pg, extra, 7, rows, p);
}

cJSON *store_subscription_json(const struct db_rows *rows, size_t i)
{
	cJSON *o = db_row_to_json(rows, i), *d;
	int del = db_get(rows, i, "deleted_at") != NULL;

	if (o == NULL)
		return NULL;
	cJSON_DeleteItemFromObjectCaseSensitive(o, "deleted_at");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "school_id");
	if (del) {
		/* a tombstone: what identifies it, and when it went */
		static const char *const drop[] = { "school_name", "start_date", "end_date", "level", "usage_units",
						    "fixed_share_bp", "created_at", NULL };

		for (size_t k = 0; drop[k] != NULL; k++)
			cJSON_DeleteItemFromObjectCaseSensitive(o, drop[k]);
	}
	if ((d = cJSON_CreateBool(del)) == NULL || !cJSON_AddItemToObject(o, "deleted", d)) {
		cJSON_Delete(d);
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* A live subscription, keyed by (id, service_id); a tombstone is not found. */
static const char sub_get_sql[] =
	"SELECT " SUB_COLS " FROM " SUB_FROM " WHERE b.id = ? AND b.service_id = ? AND b.deleted_at IS NULL";
static const char sub_lock_sql[] =
	"SELECT " SUB_COLS " FROM " SUB_FROM " WHERE b.id = ? AND b.service_id = ? AND b.deleted_at IS NULL"
	" FOR UPDATE";

static const struct store_entity sub_entity = {
	.name = "subscription", .key_name = "id", .get_sql = sub_get_sql, .lock_sql = sub_lock_sql,
	.row = store_subscription_json,
};

cJSON *store_subscription_get(struct db *db, int64_t id, int64_t sid, int64_t *school_id, struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(sid), DBP_I64(id) };
	struct db_rows *rows = NULL;
	cJSON *o = NULL;

	if (db_query(db, sub_get_sql, prm, 2, &rows, p) != 0)
		return NULL;
	if (rows->nrows == 0)
		problem_not_found(p, "service %lld has no subscription %lld", (long long)id, (long long)sid);
	else if ((o = store_subscription_json(rows, 0)) == NULL)
		problem_internal(p);
	else
		*school_id = db_get_i64(rows, 0, "school_id");
	db_rows_free(rows);
	return o;
}

/* The seven columns of a subscription's write after service_id. */
static size_t sub_params(const struct store_sub_in *s, struct db_param *prm)
{
	size_t n = 0;

	prm[n++] = DBP_I64(s->school_id);
	prm[n++] = DBP_STR(s->start);
	prm[n++] = s->end != NULL ? DBP_STR(s->end) : DBP_NULL;
	prm[n++] = DBP_STR(s->level != NULL ? s->level : "");
	prm[n++] = s->units >= 0 ? DBP_I64(s->units) : DBP_NULL;
	prm[n++] = s->bp >= 0 ? DBP_I64(s->bp) : DBP_NULL;
	return n;
}

static const char sub_insert_sql[] =
	"INSERT INTO subscriptions (service_id, school_id, start_date, end_date, level, usage_units, fixed_share_bp)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char sub_update_sql[] =
	"UPDATE subscriptions SET school_id = ?, start_date = ?, end_date = ?, level = ?, usage_units = ?,"
	" fixed_share_bp = ?, version = version + 1, updated_at = UTC_TIMESTAMP(6)"
	" WHERE id = ? AND version = ? AND deleted_at IS NULL";
static const char sub_delete_sql[] =
	"UPDATE subscriptions SET deleted_at = UTC_TIMESTAMP(6), version = version + 1, updated_at = UTC_TIMESTAMP(6)"
	" WHERE id = ? AND version = ? AND deleted_at IS NULL";

/* A write's state: the caller's write, the locked service, the statement's parameters. */
struct sub_state {
	struct store_sub_write *w;
	struct store_service_locked l;
	struct db_param prm[10];                 /* service_id, the six columns, id, version */
	size_t n;
	struct db_param key[2];                  /* a creation's: filled by sub_created */
	char text[24];
};

/* The service first: the lock order of every write to a service or its subscriptions. */
static int sub_first(struct db *db, void *arg, struct problem *p)
{
	struct sub_state *st = arg;

	return store_service_lock(db, st->w->service_id, &st->l, p);
}

/* The caller's checks (which resolve the school), then the statement's parameters. */
static int sub_check(struct db *db, const cJSON *before, void *arg, struct problem *p)
{
	struct sub_state *st = arg;
	struct store_sub_write *w = st->w;

	(void)before;
	if (w->check(db, &st->l, w->arg, p) != 0)
		return -1;
	st->n = 0;
	if (w->in != NULL)
		st->n = sub_params(w->in, st->prm);
	st->prm[st->n++] = DBP_I64(w->sid);
	st->prm[st->n++] = DBP_I64(w->want_version);
	return 0;
}

static int sub_then(struct db *db, void *arg, struct problem *p)
{
	struct sub_state *st = arg;

	return service_bump(db, st->w->service_id, p);
}

/* A creation's then: the new row's key (its id and the service's) for the reload. */
static int sub_created(struct db *db, int64_t id, void *arg, struct problem *p)
{
	struct sub_state *st = arg;

	st->key[0] = DBP_I64(id);
	snprintf(st->text, sizeof(st->text), "%lld", (long long)id);
	return sub_then(db, arg, p);
}

int store_subscription_write(struct db *db, struct store_sub_write *w, cJSON **after, struct problem *p)
{
	struct sub_state st = { .w = w };
	struct db_param key[2] = { DBP_I64(w->sid), DBP_I64(w->service_id) };
	char text[24], missing[80];

	*after = NULL;
	if (w->sid == 0) {
		if (sub_first(db, &st, p) != 0 || w->check(db, &st.l, w->arg, p) != 0)
			return -1;
		st.prm[st.n++] = DBP_I64(w->service_id);
		st.n += sub_params(w->in, st.prm + st.n);
		st.key[1] = DBP_I64(w->service_id);
		return store_versioned_create(db, &(struct store_create){ .e = &sub_entity, .sql = sub_insert_sql,
				.params = st.prm, .nparams = st.n, .key = &(struct store_key){ st.key, 2, st.text },
				.then = sub_created, .arg = &st, .who = w->who }, &w->sid, after, p);
	}
	snprintf(text, sizeof(text), "%lld", (long long)w->sid);
	snprintf(missing, sizeof(missing), "service %lld has no subscription %lld", (long long)w->service_id,
		 (long long)w->sid);
	/* the parameters are filled by sub_check, once the caller's check resolved the school */
	return store_versioned_write(db, &(struct store_write){ .e = &sub_entity, .key = { key, 2, text },
			.want_version = w->want_version, .action = w->in != NULL ? "update" : "delete",
			.is_delete = w->in == NULL, .sql = w->in != NULL ? sub_update_sql : sub_delete_sql,
			.params = st.prm, .nparams = w->in != NULL ? 8 : 2, .first = sub_first, .check = sub_check,
			.then = sub_then, .arg = &st, .who = w->who, .missing = missing }, after, p);
}

/* ---- the whole set ---- */

/* The set PUT locks the services row alone (its image: id, version, basis, name). */
static const struct store_entity service_lock_entity = {
	.name = "service", .key_name = "id", .get_sql = service_lock_sql, .lock_sql = service_lock_sql,
};

static const char sub_set_sql[] =
	"SELECT " SUB_COLS " FROM " SUB_FROM " WHERE b.service_id = ? AND b.deleted_at IS NULL ORDER BY b.id";
static const char sub_replace_sql[] =
	"UPDATE subscriptions SET school_id = ?, start_date = ?, end_date = ?, level = ?, usage_units = ?,"
	" fixed_share_bp = ?, version = version + 1, updated_at = UTC_TIMESTAMP(6)"
	" WHERE id = ? AND deleted_at IS NULL";
static const char sub_tombstone_sql[] =
	"UPDATE subscriptions SET deleted_at = UTC_TIMESTAMP(6), version = version + 1, updated_at = UTC_TIMESTAMP(6)"
	" WHERE id = ?";

struct subs_state {
	struct store_subs_replace *w;
	struct db_param key;
	cJSON *before, *after;                   /* the set's images (the audit row's) */
	struct db_rows *rows;                    /* the set after the write */
};

/* The live set as an audit image, by id; *keep (when not NULL) takes the rows. */
static cJSON *subs_image(struct db *db, const struct db_param *key, struct db_rows **keep, struct problem *p)
{
	struct db_rows *rows = NULL;
	cJSON *a;

	if (db_query(db, sub_set_sql, key, 1, &rows, p) != 0)
		return NULL;
	if ((a = store_rows_json(rows, store_subscription_json)) == NULL) {
		db_rows_free(rows);
		problem_internal(p);
		return NULL;
	}
	if (keep != NULL)
		*keep = rows;
	else
		db_rows_free(rows);
	return a;
}

static int subs_check(struct db *db, const cJSON *before, void *arg, struct problem *p)
{
	struct subs_state *st = arg;
	struct store_service_locked l = { .id = st->w->service_id, .version = store_image_version(before) };
	int basis = alloc_basis_parse(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(before, "basis")));
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(before, "name"));

	l.basis = basis >= 0 ? (enum alloc_basis)basis : ALLOC_EQUAL;
	snprintf(l.name, sizeof(l.name), "%s", name != NULL ? name : "");
	if (st->w->check(db, &l, st->w->arg, p) != 0)
		return -1;
	return (st->before = subs_image(db, &st->key, NULL, p)) != NULL ? 0 : -1;
}

/* Whether the set names subscription id. */
static int subs_keeps(const struct store_subs_replace *w, int64_t id)
{
	for (size_t i = 0; i < w->nitems; i++)
		if (w->items[i].id == id)
			return 1;
	return 0;
}

/* The set written: every live one it does not name a tombstone, the changed ones
 * updated, the new ones inserted; then its image. */
static int subs_then(struct db *db, void *arg, struct problem *p)
{
	struct subs_state *st = arg;
	struct store_subs_replace *w = st->w;
	const cJSON *it;
	struct db_param prm[8];
	size_t n;

	cJSON_ArrayForEach(it, st->before) {
		struct db_param id = DBP_I64(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(it, "id")));

		if (!subs_keeps(w, id.i) && db_exec(db, sub_tombstone_sql, &id, 1, NULL, NULL, p) != 0)
			return -1;
	}
	for (size_t i = 0; i < w->nitems; i++) {
		struct store_sub_item *s = &w->items[i];

		if (s->id != 0 && !s->changed)
			continue;
		if (s->id != 0) {
			n = sub_params(&s->in, prm);
			prm[n++] = DBP_I64(s->id);
			if (db_exec(db, sub_replace_sql, prm, n, NULL, NULL, p) != 0)
				return -1;
			continue;
		}
		prm[0] = DBP_I64(w->service_id);
		n = 1 + sub_params(&s->in, prm + 1);
		if (db_exec(db, sub_insert_sql, prm, n, NULL, NULL, p) != 0)
			return -1;
	}
	return (st->after = subs_image(db, &st->key, &st->rows, p)) != NULL ? 0 : -1;
}

int store_subscriptions_replace(struct db *db, struct store_subs_replace *w, struct db_rows **after,
				struct problem *p)
{
	struct subs_state st = { .w = w, .key = DBP_I64(w->service_id) };
	struct db_param prm[2] = { DBP_I64(w->service_id), DBP_I64(w->want_version) };
	cJSON *none = NULL;
	char text[24];
	int rc;

	*after = NULL;
	snprintf(text, sizeof(text), "%lld", (long long)w->service_id);
	rc = store_versioned_write(db, &(struct store_write){ .e = &service_lock_entity, .key = { prm, 1, text },
			.want_version = w->want_version, .action = "replace_subscriptions", .sql = service_bump_at_sql,
			.params = prm, .nparams = 2, .check = subs_check, .then = subs_then, .arg = &st, .who = w->who,
			.child_before = &st.before, .child_after = &st.after }, &none, p);
	cJSON_Delete(st.before);
	cJSON_Delete(st.after);
	if (rc != 0) {
		db_rows_free(st.rows);
		return -1;
	}
	*after = st.rows;
	return 0;
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

static const char sub_changed_sql[] =
	"SELECT b.id, b.service_id, b.updated_at FROM subscriptions b WHERE b.school_id = ? AND b.updated_at >= ?"
	" ORDER BY b.id";

int store_subscriptions_changed(struct db *db, int64_t school_id, const char *since, struct db_rows **rows,
				struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(school_id), DBP_STR(since) };

	return db_query(db, sub_changed_sql, prm, 2, rows, p);
}
