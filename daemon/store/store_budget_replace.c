/*
 * store_budget_replace.c - a budget's lines written whole: store_budget_create and
 * store_budget_replace (store_budgets.h), for a PUT of the budget as JSON or an import.
 *
 * Replace pairs the new lines with the old ones: a new line that names an id keeps that
 * line; the others are paired by account and description (the exact text) with the old
 * lines no id claimed, the k-th new line of a key with the k-th old line of that key in
 * the budget's order. A paired line whose values (account, description, amount, driver,
 * excluded_from_central, profile, profile_bp) or position changed is one UPDATE; an unpaired new line an
 * INSERT, an unpaired old line a DELETE (computed and explanation are values too); the new order is kept by line_no. Nothing
 * changed: nothing is written (no version, no audit row). The statements go in bulk
 * (Connector/C's array binding: one round trip per BULK_ROWS rows), the ids of the new
 * lines are read back (one id column), and the reply is rendered from the lines as
 * written with the header read back (one row). The audit row holds only the difference:
 * before {version, lines (count), totals, changed: [old values], removed: [...]}, after
 * {version, lines, totals, changed: [new values], added: [...], moved (count)}; a create's
 * after holds every line under added.
 *
 * Nothing here changes the caller's budget: db_txn may run a write twice (1213).
 */
#include "store_budgets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonout.h"
#include "log.h"

#define BULK_ROWS 4096                       /* rows per bulk execution */

static const char lock_sql[] = "SELECT id, version, status FROM budgets WHERE school_id = ? AND year = ? FOR UPDATE";
static const char old_sql[] =
	"SELECT id, line_no, account_id, description, amount_pence, driver, excluded_from_central, computed, "
	"explanation, profile, profile_weights FROM budget_lines WHERE budget_id = ? ORDER BY computed, line_no, id";
static const char budget_insert_sql[] = "INSERT INTO budgets (school_id, year) VALUES (?, ?)";
static const char bump_sql[] =
	"UPDATE budgets SET version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND version = ?";
static const char delete_all_sql[] = "DELETE FROM budget_lines WHERE budget_id = ?";
static const char delete_sql[] = "DELETE FROM budget_lines WHERE id = ? AND budget_id = ?";
static const char update_sql[] =
	"UPDATE budget_lines SET line_no = ?, account_id = ?, description = ?, amount_pence = ?, driver = ?, "
	"excluded_from_central = ?, computed = ?, explanation = ?, profile = ?, profile_weights = ?, "
	"version = version + 1, "
	"updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND budget_id = ?";
static const char insert_sql[] =
	"INSERT INTO budget_lines (budget_id, line_no, account_id, description, amount_pence, driver, "
	"excluded_from_central, computed, explanation, profile, profile_weights) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char ids_sql[] = "SELECT id, line_no FROM budget_lines WHERE budget_id = ?";

enum { OP_SAME, OP_MOVE, OP_UPDATE, OP_INSERT };

/* A replace's working state. */
struct rp {
	const struct budget *nb;                 /* the new lines (the caller's) */
	struct budget ob;                        /* the old lines, in the budget's order */
	int64_t *oid, *ono;                      /* the old lines' ids and line numbers */
	unsigned char *otaken;                   /* an old line paired */
	size_t *pair;                            /* per new line: old index + 1, 0 for none */
	unsigned char *op;                       /* per new line: OP_* */
	int64_t *nid;                            /* per new line: its id, once written */
	char (*wtext)[PROFILE_WEIGHTS_TEXT_MAX]; /* per new line: its own weights as text ("": none) */
	size_t nupdate, nmove, ninsert, ndelete;
};

static void rp_free(struct rp *r)
{
	budget_clear(&r->ob);
	free(r->oid);
	free(r->ono);
	free(r->otaken);
	free(r->pair);
	free(r->op);
	free(r->nid);
	free(r->wtext);
}

static int rp_alloc(struct rp *r, size_t nold, struct problem *p)
{
	size_t m = r->nb->nlines ? r->nb->nlines : 1, n = nold ? nold : 1;

	if ((r->oid = calloc(n, sizeof(*r->oid))) == NULL || (r->ono = calloc(n, sizeof(*r->ono))) == NULL ||
	    (r->otaken = calloc(n, 1)) == NULL || (r->pair = calloc(m, sizeof(*r->pair))) == NULL ||
	    (r->op = calloc(m, 1)) == NULL || (r->nid = calloc(m, sizeof(*r->nid))) == NULL ||
	    (r->wtext = calloc(m, sizeof(*r->wtext))) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < r->nb->nlines; i++)
		if (r->nb->lines[i].has_weights)
			profile_weights_format(r->nb->lines[i].weights, r->wtext[i], sizeof(r->wtext[i]));
	return 0;
}

/* The old lines of budget bid into r->ob (the chart's accounts by id). */
static int rp_read_old(struct db *db, int64_t bid, struct rp *r, struct problem *p)
{
	enum { O_ID, O_NO, O_ACC, O_DESC, O_AMOUNT, O_DRIVER, O_EXCL, O_COMPUTED, O_EXPL, O_PROFILE, O_WEIGHTS, O__N };
	static const char *const names[O__N] = { "id", "line_no", "account_id", "description", "amount_pence",
						 "driver", "excluded_from_central", "computed", "explanation",
						 "profile", "profile_weights" };
	struct db_param prm = DBP_I64(bid);
	struct db_rows *rows = NULL;
	size_t ix[O__N];
	int rc = -1;

	if (db_query(db, old_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if (db_columns(rows, names, O__N, ix, p) != 0 || rp_alloc(r, rows->nrows, p) != 0)
		goto out;
	for (size_t i = 0; i < rows->nrows; i++) {
		int64_t acc = db_cell_i64(rows, i, ix[O_ACC]);
		const struct budget_account *a = budget_chart_by_id(r->ob.chart, acc);
		const char *driver = db_cell(rows, i, ix[O_DRIVER]);
		struct budget_line *l;

		if (a == NULL || (l = budget_add_line(&r->ob, a->code, db_cell(rows, i, ix[O_DESC]),
						      db_cell_i64(rows, i, ix[O_AMOUNT]))) == NULL) {
			log_err("budgets: line %s of budget %lld: account %lld not in the chart, or out of memory",
				db_cell(rows, i, ix[O_ID]), (long long)bid, (long long)acc);
			problem_internal(p);
			goto out;
		}
		l->id = r->oid[i] = db_cell_i64(rows, i, ix[O_ID]);
		r->ono[i] = db_cell_i64(rows, i, ix[O_NO]);
		if (driver != NULL)
			snprintf(l->driver, sizeof(l->driver), "%s", driver);
		l->excluded_from_central = db_cell_i64(rows, i, ix[O_EXCL]) != 0;
		l->computed = db_cell_i64(rows, i, ix[O_COMPUTED]) != 0;
		if (db_cell(rows, i, ix[O_PROFILE]) != NULL)
			snprintf(l->profile, sizeof(l->profile), "%s", db_cell(rows, i, ix[O_PROFILE]));
		l->has_weights = profile_weights_parse(db_cell(rows, i, ix[O_WEIGHTS]), l->weights) == 0;
		if (db_cell(rows, i, ix[O_EXPL]) != NULL &&
		    (l->explanation = strdup(db_cell(rows, i, ix[O_EXPL]))) == NULL) {
			problem_internal(p);
			goto out;
		}
	}
	rc = 0;
out:
	db_rows_free(rows);
	return rc;
}

/* ---- pairing ---- */

struct key {
	int64_t acc;
	const char *desc;
	size_t ix;
};

static int key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c;

	if (x->acc != y->acc)
		return x->acc < y->acc ? -1 : 1;
	if ((c = strcmp(x->desc, y->desc)) != 0)
		return c;
	return x->ix < y->ix ? -1 : x->ix > y->ix;
}

struct byid {
	int64_t id;
	size_t ix;
};

static int byid_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct byid *)a)->id, y = ((const struct byid *)b)->id;

	return x < y ? -1 : x > y;
}

/* New lines naming an id take that line (422 for an id that is not one of the budget's). */
static int rp_pair_ids(struct rp *r, struct problem *p)
{
	size_t n = r->ob.nlines, any = 0;
	struct byid *byid, k, *hit;
	char ptr[48];

	for (size_t i = 0; i < r->nb->nlines && !any; i++)
		any = r->nb->lines[i].id != 0;
	if (!any)
		return 0;
	if ((byid = malloc((n ? n : 1) * sizeof(*byid))) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < n; i++)
		byid[i] = (struct byid){ r->oid[i], i };
	qsort(byid, n, sizeof(*byid), byid_cmp);
	for (size_t i = 0; i < r->nb->nlines; i++) {
		if ((k.id = r->nb->lines[i].id) == 0)
			continue;
		hit = n > 0 ? bsearch(&k, byid, n, sizeof(*byid), byid_cmp) : NULL;
		snprintf(ptr, sizeof(ptr), "/lines/%zu/id", i);
		if (hit == NULL)
			problem_field(p, ptr, "no line %lld in this budget: leave id out for a new line", (long long)k.id);
		else if (r->otaken[hit->ix])
			problem_field(p, ptr, "line %lld is named twice: each line once", (long long)k.id);
		else {
			r->otaken[hit->ix] = 1;
			r->pair[i] = hit->ix + 1;
		}
	}
	free(byid);
	return problem_validation_done(p);
}

/* The other new lines take the old lines no id claimed with their account and description, in order. */
static int rp_pair_keys(struct rp *r, struct problem *p)
{
	size_t no = 0, nn = 0, i = 0, j = 0;
	struct key *ok = malloc((r->ob.nlines ? r->ob.nlines : 1) * sizeof(*ok));
	struct key *nk = malloc((r->nb->nlines ? r->nb->nlines : 1) * sizeof(*nk));

	if (ok == NULL || nk == NULL) {
		free(ok);
		free(nk);
		return problem_internal(p);
	}
	for (size_t x = 0; x < r->ob.nlines; x++)
		if (!r->otaken[x])
			ok[no++] = (struct key){ r->ob.lines[x].account->id, r->ob.lines[x].description, x };
	for (size_t x = 0; x < r->nb->nlines; x++)
		if (r->pair[x] == 0 && r->nb->lines[x].account != NULL)
			nk[nn++] = (struct key){ r->nb->lines[x].account->id, r->nb->lines[x].description, x };
	qsort(ok, no, sizeof(*ok), key_cmp);
	qsort(nk, nn, sizeof(*nk), key_cmp);
	while (i < no && j < nn) {
		int c = ok[i].acc != nk[j].acc ? (ok[i].acc < nk[j].acc ? -1 : 1) : strcmp(ok[i].desc, nk[j].desc);

		if (c < 0) {
			i++;
		} else if (c > 0) {
			j++;
		} else {
			r->otaken[ok[i].ix] = 1;
			r->pair[nk[j].ix] = ok[i].ix + 1;
			i++;
			j++;
		}
	}
	free(ok);
	free(nk);
	return 0;
}

static int line_same(const struct budget_line *a, const struct budget_line *b)
{
	return a->account == b->account && a->amount_pence == b->amount_pence &&
	       !a->excluded_from_central == !b->excluded_from_central && strcmp(a->driver, b->driver) == 0 &&
	       strcmp(a->description, b->description) == 0 && !a->computed == !b->computed &&
	       strcmp(a->explanation != NULL ? a->explanation : "", b->explanation != NULL ? b->explanation : "") == 0 &&
	       (a->explanation == NULL) == (b->explanation == NULL) && strcmp(a->profile, b->profile) == 0 &&
	       !a->has_weights == !b->has_weights &&
	       (!a->has_weights || memcmp(a->weights, b->weights, sizeof(a->weights)) == 0);
}

/* What each new line is (OP_*), and how many of each. */
static int rp_diff(struct rp *r, struct problem *p)
{
	for (size_t i = 0; i < r->nb->nlines; i++) {
		size_t k = r->pair[i];

		if (r->nb->lines[i].account == NULL)
			return problem_internal(p);      /* the caller checked every code */
		if (k == 0) {
			r->op[i] = OP_INSERT;
			r->ninsert++;
			continue;
		}
		r->nid[i] = r->oid[k - 1];
		if (!line_same(&r->ob.lines[k - 1], &r->nb->lines[i])) {
			r->op[i] = OP_UPDATE;
			r->nupdate++;
		} else if (r->ono[k - 1] != (int64_t)i + 1) {
			r->op[i] = OP_MOVE;
			r->nmove++;
		} else {
			r->op[i] = OP_SAME;
		}
	}
	for (size_t k = 0; k < r->ob.nlines; k++)
		r->ndelete += !r->otaken[k];
	return 0;
}

/* ---- the statements ---- */

/* The line's columns from line_no on: line_no, account, description, amount, driver, excluded,
 * computed, explanation, profile, profile_weights (wtext: its weights as text, "" for none). */
static void line_params(struct db_param *prm, const struct budget_line *l, size_t at, const char *wtext)
{
	prm[0] = DBP_I64(at + 1);
	prm[1] = DBP_I64(l->account->id);
	prm[2] = DBP_STR(l->description);
	prm[3] = DBP_I64(l->amount_pence);
	prm[4] = l->driver[0] != '\0' ? DBP_STR(l->driver) : DBP_NULL;
	prm[5] = DBP_I64(l->excluded_from_central ? 1 : 0);
	prm[6] = DBP_I64(l->computed ? 1 : 0);
	prm[7] = DBP_STR(l->explanation);
	prm[8] = l->profile[0] != '\0' ? DBP_STR(l->profile) : DBP_NULL;
	prm[9] = wtext[0] != '\0' ? DBP_STR(wtext) : DBP_NULL;
}

/* Deletes, updates, inserts of budget bid in bulk, then the new lines' ids. */
static int rp_write(struct db *db, int64_t bid, struct rp *r, struct problem *p)
{
	struct db_param *prm = malloc(BULK_ROWS * 12 * sizeof(*prm)), one = DBP_I64(bid);
	struct db_rows *rows = NULL;
	size_t n = 0, got = 0;
	int rc = -1;

	if (prm == NULL)
		return problem_internal(p);
	if (r->ndelete > 0 && r->ndelete == r->ob.nlines) {
		if (db_exec(db, delete_all_sql, &one, 1, NULL, NULL, p) != 0)
			goto out;
	} else {
		for (size_t k = 0; k <= r->ob.nlines; k++) {
			if (n == BULK_ROWS || (k == r->ob.nlines && n > 0)) {
				if (db_exec_bulk(db, delete_sql, prm, 2, n, p) != 0)
					goto out;
				n = 0;
			}
			if (k < r->ob.nlines && !r->otaken[k]) {
				prm[n * 2] = DBP_I64(r->oid[k]);
				prm[n * 2 + 1] = DBP_I64(bid);
				n++;
			}
		}
	}
	for (size_t i = 0; i <= r->nb->nlines; i++) {
		if (n == BULK_ROWS || (i == r->nb->nlines && n > 0)) {
			if (db_exec_bulk(db, update_sql, prm, 12, n, p) != 0)
				goto out;
			n = 0;
		}
		if (i < r->nb->nlines && (r->op[i] == OP_UPDATE || r->op[i] == OP_MOVE)) {
			line_params(&prm[n * 12], &r->nb->lines[i], i, r->wtext[i]);
			prm[n * 12 + 10] = DBP_I64(r->nid[i]);
			prm[n * 12 + 11] = DBP_I64(bid);
			n++;
		}
	}
	for (size_t i = 0; i <= r->nb->nlines; i++) {
		if (n == BULK_ROWS || (i == r->nb->nlines && n > 0)) {
			if (db_exec_bulk(db, insert_sql, prm, 11, n, p) != 0)
				goto out;
			n = 0;
		}
		if (i < r->nb->nlines && r->op[i] == OP_INSERT) {
			prm[n * 11] = DBP_I64(bid);
			line_params(&prm[n * 11 + 1], &r->nb->lines[i], i, r->wtext[i]);
			n++;
		}
	}
	if (r->ninsert > 0) {
		/* line_no is each line's position now: the new lines' ids by theirs */
		if (db_query(db, ids_sql, &one, 1, &rows, p) != 0)
			goto out;
		for (size_t x = 0; x < rows->nrows; x++) {
			int64_t no = db_cell_i64(rows, x, 1);

			if (no >= 1 && (size_t)no <= r->nb->nlines && r->op[no - 1] == OP_INSERT && r->nid[no - 1] == 0) {
				r->nid[no - 1] = db_cell_i64(rows, x, 0);
				got++;
			}
		}
		if (got != r->ninsert) {
			log_err("budgets: budget %lld: %zu of %zu new lines read back", (long long)bid, got, r->ninsert);
			problem_internal(p);
			goto out;
		}
	}
	rc = 0;
out:
	db_rows_free(rows);
	free(prm);
	return rc;
}

/* ---- the audit row: the difference ---- */

/* A line as the audit row shows it: driver, excluded_from_central, profile and profile_bp (as
 * text) only when either side has them. */
static cJSON *audit_line(const struct budget_line *l, int64_t id, const struct budget_line *other)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || cJSON_AddNumberToObject(o, "id", (double)id) == NULL ||
	    cJSON_AddStringToObject(o, "account_code", l->account->code) == NULL ||
	    cJSON_AddStringToObject(o, "description", l->description) == NULL ||
	    cJSON_AddNumberToObject(o, "amount_pence", (double)l->amount_pence) == NULL)
		goto oom;
	if ((l->driver[0] != '\0' || (other != NULL && other->driver[0] != '\0')) &&
	    (l->driver[0] != '\0' ? cJSON_AddStringToObject(o, "driver", l->driver) :
				   cJSON_AddNullToObject(o, "driver")) == NULL)
		goto oom;
	if ((l->excluded_from_central || (other != NULL && other->excluded_from_central)) &&
	    cJSON_AddBoolToObject(o, "excluded_from_central", l->excluded_from_central != 0) == NULL)
		goto oom;
	if ((l->computed || (other != NULL && other->computed)) &&
	    cJSON_AddBoolToObject(o, "computed", l->computed != 0) == NULL)
		goto oom;
	if ((l->profile[0] != '\0' || (other != NULL && other->profile[0] != '\0')) &&
	    (l->profile[0] != '\0' ? cJSON_AddStringToObject(o, "profile", l->profile) :
				     cJSON_AddNullToObject(o, "profile")) == NULL)
		goto oom;
	if (l->has_weights || (other != NULL && other->has_weights)) {
		char w[PROFILE_WEIGHTS_TEXT_MAX];

		profile_weights_format(l->weights, w, sizeof(w));
		if ((l->has_weights ? cJSON_AddStringToObject(o, "profile_bp", w) :
				      cJSON_AddNullToObject(o, "profile_bp")) == NULL)
			goto oom;
	}
	return o;
oom:
	cJSON_Delete(o);
	return NULL;
}

/* {version, lines, totals}, then the caller adds its lists. */
static cJSON *audit_head(const struct budget *b, int64_t version)
{
	struct budget_totals t;
	cJSON *o = cJSON_CreateObject(), *v;

	if (o == NULL || budget_totals(b, &t) != 0 || cJSON_AddNumberToObject(o, "version", (double)version) == NULL ||
	    cJSON_AddNumberToObject(o, "lines", (double)b->nlines) == NULL ||
	    (v = budget_totals_json(&t)) == NULL || !cJSON_AddItemToObject(o, "totals", v)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* The before-image (old: 1) or the after-image (old: 0) of a replace, printed. */
static char *audit_image(const struct rp *r, int old, int64_t version)
{
	cJSON *o = audit_head(old ? &r->ob : r->nb, version), *changed, *other, *l;
	char *text = NULL;

	if (o == NULL || (changed = cJSON_AddArrayToObject(o, "changed")) == NULL ||
	    (other = cJSON_AddArrayToObject(o, old ? "removed" : "added")) == NULL)
		goto out;
	for (size_t i = 0; i < r->nb->nlines; i++) {
		const struct budget_line *nl = &r->nb->lines[i], *ol = r->pair[i] ? &r->ob.lines[r->pair[i] - 1] : NULL;

		if (r->op[i] == OP_UPDATE)
			l = old ? audit_line(ol, r->nid[i], nl) : audit_line(nl, r->nid[i], ol);
		else if (r->op[i] == OP_INSERT && !old)
			l = audit_line(nl, r->nid[i], NULL);
		else
			continue;
		if (l == NULL || !cJSON_AddItemToArray(r->op[i] == OP_UPDATE ? changed : other, l)) {
			cJSON_Delete(l);
			goto out;
		}
	}
	for (size_t k = 0; old && k < r->ob.nlines; k++) {
		if (r->otaken[k])
			continue;
		if ((l = audit_line(&r->ob.lines[k], r->oid[k], NULL)) == NULL || !cJSON_AddItemToArray(other, l)) {
			cJSON_Delete(l);
			goto out;
		}
	}
	if (!old && cJSON_AddNumberToObject(o, "moved", (double)r->nmove) == NULL)
		goto out;
	text = jsonout_print(o);
out:
	cJSON_Delete(o);
	return text;
}

/* The audit row: before (for a create: source printed, or NULL) and after, each built,
 * printed and freed in turn. */
static int rp_audit(struct db *db, const struct audit_actor *who, const char *action, const char *eid,
		    const struct rp *r, int64_t version, int create, const cJSON *source, struct problem *p)
{
	char *before = create ? (source != NULL ? cJSON_PrintUnformatted(source) : NULL) :
				audit_image(r, 1, version - 1);
	char *after = (create || before != NULL) ? audit_image(r, 0, version) : NULL;
	int rc;

	if (after == NULL || ((!create || source != NULL) && before == NULL))
		rc = problem_internal(p);
	else
		rc = audit_write_text(db, who, action, "budget", eid, before, after, p);
	cJSON_free(before);
	cJSON_free(after);
	return rc;
}

/* ---- the writes ---- */

/* The reply: the header read back, the lines as written. */
static int rp_reply(struct db *db, const struct store_budget_ref *ref, const struct rp *r, cJSON **after,
		    struct problem *p)
{
	struct store_budget x = { 0 };
	int found = store_budget_read(db, ref, &x, p);

	if (found > 0)
		*after = store_budget_render(x.head, r->nb, r->nid, 1, p);
	else if (found == 0)
		problem_not_found(p, "the budget for %s in %s has gone", ref->urn, ref->year_s);
	store_budget_free(&x);
	return *after != NULL ? 0 : -1;
}

int store_budget_create(struct db *db, const struct audit_actor *who, const struct store_budget_ref *ref,
			const struct budget_chart *chart, const struct budget *lines, cJSON **after,
			struct problem *p)
{
	return store_budget_create_from(db, who, ref, chart, lines, NULL, after, p);
}

int store_budget_create_from(struct db *db, const struct audit_actor *who, const struct store_budget_ref *ref,
			     const struct budget_chart *chart, const struct budget *lines, const cJSON *source,
			     cJSON **after, struct problem *p)
{
	struct db_param key[2] = { DBP_I64(ref->sid), DBP_I64(ref->year) };
	struct rp r = { .nb = lines };
	uint64_t bid = 0;
	char ptr[48];
	int rc = -1;

	*after = NULL;
	budget_init(&r.ob, ref->entity, chart);
	for (size_t i = 0; i < lines->nlines; i++)
		if (lines->lines[i].id != 0) {
			snprintf(ptr, sizeof(ptr), "/lines/%zu/id", i);
			problem_field(p, ptr, "no line %lld in this budget: leave id out for a new line",
				      (long long)lines->lines[i].id);
		}
	if (problem_validation_done(p) != 0 || rp_alloc(&r, 0, p) != 0 || rp_diff(&r, p) != 0 ||
	    db_exec(db, budget_insert_sql, key, 2, NULL, &bid, p) != 0 || rp_write(db, (int64_t)bid, &r, p) != 0 ||
	    rp_audit(db, who, source != NULL ? "create_from" : "create", ref->eid, &r, 1, 1, source, p) != 0 ||
	    rp_reply(db, ref, &r, after, p) != 0)
		goto out;
	rc = 0;
out:
	rp_free(&r);
	return rc;
}

int store_budget_replace(struct db *db, const struct audit_actor *who, const struct store_budget_ref *ref,
			 const struct budget_chart *chart, int64_t want, const struct budget *lines,
			 const char *action, cJSON **after, struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(ref->sid), DBP_I64(ref->year) };
	struct db_rows *rows = NULL;
	struct rp r = { .nb = lines };
	int64_t bid, version;
	uint64_t bumped = 0;
	char what[64];
	int rc = -1;

	*after = NULL;
	budget_init(&r.ob, ref->entity, chart);
	if (db_query(db, lock_sql, prm, 2, &rows, p) != 0)
		goto out;
	if (rows->nrows != 1) {
		problem_not_found(p, "no budget with URN and year %s", ref->eid);
		goto out;
	}
	bid = db_get_i64(rows, 0, "id");
	version = db_get_i64(rows, 0, "version");
	if (version != want) {
		problem_stale(p, version, want, "%s", store_budget_what(ref, what, sizeof(what)));
		goto out;
	}
	if (store_budget_writable(ref, db_get(rows, 0, "status"), p) != 0 || rp_read_old(db, bid, &r, p) != 0 ||
	    rp_pair_ids(&r, p) != 0 || rp_pair_keys(&r, p) != 0 || rp_diff(&r, p) != 0)
		goto out;
	if (r.nupdate + r.nmove + r.ninsert + r.ndelete > 0) {
		prm[0] = DBP_I64(bid);
		prm[1] = DBP_I64(version);
		if (db_exec(db, bump_sql, prm, 2, &bumped, NULL, p) != 0)
			goto out;
		if (bumped != 1) {
			problem_changed(p, "updated", "%s", store_budget_what(ref, what, sizeof(what)));
			goto out;
		}
		if (rp_write(db, bid, &r, p) != 0 || rp_audit(db, who, action, ref->eid, &r, version + 1, 0, NULL, p) != 0)
			goto out;
	}
	rc = rp_reply(db, ref, &r, after, p);
out:
	db_rows_free(rows);
	rp_free(&r);
	return rc;
}
