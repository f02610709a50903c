/* store_bfr.c - see store_bfr.h */
#include "store_bfr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "profile.h"

static const char bfr_lines_sql[] =
	"SELECT line_no, label, section, kind, published FROM bfr_lines ORDER BY sort, line_no";

int store_bfr_lines(struct db *db, struct bfr_line_def **lines, size_t *n, struct problem *p)
{
	static const char *const names[] = { "line_no", "label", "section", "kind", "published" };
	struct db_rows *rows = NULL;
	size_t ix[5];
	struct bfr_line_def *l = NULL;

	*lines = NULL;
	*n = 0;
	if (db_query(db, bfr_lines_sql, NULL, 0, &rows, p) != 0)
		return -1;
	if (db_columns(rows, names, 5, ix, p) != 0)
		goto fail;
	if ((l = calloc(rows->nrows + 1, sizeof(*l))) == NULL) {
		problem_internal(p);
		goto fail;
	}
	for (size_t i = 0; i < rows->nrows; i++) {
		l[i].line_no = (int)db_cell_i64(rows, i, ix[0]);
		snprintf(l[i].label, sizeof(l[i].label), "%s", db_cell(rows, i, ix[1]));
		l[i].published = db_cell_i64(rows, i, ix[4]) != 0;
		if (bfr_section_parse(db_cell(rows, i, ix[2]), &l[i].section) != 0 ||
		    bfr_kind_parse(db_cell(rows, i, ix[3]), &l[i].kind) != 0) {
			log_err("bfr: line %d has an unknown section or kind", l[i].line_no);
			problem_internal(p);
			goto fail;
		}
	}
	*n = rows->nrows;
	*lines = l;
	db_rows_free(rows);
	return 0;
fail:
	free(l);
	db_rows_free(rows);
	return -1;
}

static const char bfr_account_lines_sql[] = "SELECT id, bfr_line FROM accounts";

int store_bfr_account_lines(struct db *db, const struct budget_chart *c, int **line, struct problem *p)
{
	struct db_rows *rows = NULL;
	int *l;

	*line = NULL;
	if ((l = calloc(c->n + 1, sizeof(*l))) == NULL)
		return problem_internal(p);
	if (db_query(db, bfr_account_lines_sql, NULL, 0, &rows, p) != 0) {
		free(l);
		return -1;
	}
	for (size_t i = 0; i < rows->nrows; i++) {
		const struct budget_account *a = budget_chart_by_id(c, db_cell_i64(rows, i, 0));

		if (a != NULL && db_cell(rows, i, 1) != NULL)
			l[a - c->accounts] = (int)db_cell_i64(rows, i, 1);
	}
	db_rows_free(rows);
	*line = l;
	return 0;
}

static const char bfr_profiles_sql[] =
	"SELECT a.id, p.weights FROM accounts a LEFT JOIN profiles p ON p.name = COALESCE(a.default_profile, 'even')";

int store_bfr_account_profiles(struct db *db, const struct budget_chart *c, int32_t (**w)[12], struct problem *p)
{
	static const int32_t even[12] = { 834, 834, 834, 834, 833, 833, 833, 833, 833, 833, 833, 833 };
	struct db_rows *rows = NULL;
	int32_t (*x)[12];

	*w = NULL;
	if ((x = calloc(c->n + 1, sizeof(*x))) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < c->n; i++)
		memcpy(x[i], even, sizeof(even));
	if (db_query(db, bfr_profiles_sql, NULL, 0, &rows, p) != 0) {
		free(x);
		return -1;
	}
	for (size_t i = 0; i < rows->nrows; i++) {
		const struct budget_account *a = budget_chart_by_id(c, db_cell_i64(rows, i, 0));
		const char *text = db_cell(rows, i, 1);
		int32_t t[12];

		if (a != NULL && text != NULL && profile_weights_parse(text, t) == 0 && profile_weights_valid(t))
			memcpy(x[a - c->accounts], t, sizeof(t));
	}
	db_rows_free(rows);
	*w = x;
	return 0;
}

static const char bfr_entities_sql[] =
	"SELECT urn, name, kind FROM schools ORDER BY kind = 'central', urn";
static const char bfr_years_sql[] =
	"SELECT s.urn, y.year, y.pupils, y.opening_reserves_pence FROM school_years y "
	"JOIN schools s ON s.id = y.school_id WHERE y.year BETWEEN ? AND ? ORDER BY s.urn, y.year";

int store_bfr_entities(struct db *db, int y0, int y1, struct db_rows **ents, struct db_rows **years,
		       struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(y0), DBP_I64(y1) };

	*ents = *years = NULL;
	if (db_query(db, bfr_entities_sql, NULL, 0, ents, p) != 0)
		return -1;
	if (db_query(db, bfr_years_sql, prm, 2, years, p) != 0) {
		db_rows_free(*ents);
		*ents = NULL;
		return -1;
	}
	return 0;
}

#define NOTE_COLS "year, scope, reserves_explanation, version, updated_by, created_at, updated_at"

static const char bfr_notes_sql[] = "SELECT " NOTE_COLS " FROM bfr_notes WHERE year = ? ORDER BY scope";

int store_bfr_notes(struct db *db, int year, struct db_rows **rows, struct problem *p)
{
	struct db_param prm = DBP_I64(year);

	return db_query(db, bfr_notes_sql, &prm, 1, rows, p);
}

static const struct store_entity note_entity = {
	.name = "bfr_note",
	.key_name = "year and scope",
	.get_sql = "SELECT " NOTE_COLS " FROM bfr_notes WHERE year = ? AND scope = ?",
	.lock_sql = "SELECT " NOTE_COLS " FROM bfr_notes WHERE year = ? AND scope = ? FOR UPDATE",
};

static const char note_exists_sql[] = "SELECT version FROM bfr_notes WHERE year = ? AND scope = ? FOR UPDATE";
static const char note_insert_sql[] =
	"INSERT INTO bfr_notes (reserves_explanation, updated_by, year, scope) VALUES (?, ?, ?, ?)";
static const char note_update_sql[] =
	"UPDATE bfr_notes SET reserves_explanation = ?, updated_by = ?, version = version + 1, "
	"updated_at = UTC_TIMESTAMP(6) WHERE year = ? AND scope = ? AND version = ?";

int store_bfr_note_put(struct db *db, const struct audit_actor *who, int year, const char *scope,
		       int has_if_match, int64_t want_version, const char *text, cJSON **after, int *created,
		       struct problem *p)
{
	const char *by = who->name != NULL ? who->name : "";
	struct db_param prm[5] = { DBP_STR(text), DBP_STR(by), DBP_I64(year), DBP_STR(scope), DBP_I64(want_version) };
	struct db_rows *rows = NULL;
	char key[24];
	int64_t version;
	int exists;

	*after = NULL;
	*created = 0;
	snprintf(key, sizeof(key), "%d/%s", year, scope);
	if (db_query(db, note_exists_sql, &prm[2], 2, &rows, p) != 0)
		return -1;
	exists = rows->nrows > 0;
	db_rows_free(rows);
	if (exists) {
		if (!has_if_match)
			return problem_set(p, 428, "precondition-required", "Precondition required",
					   "the note %s exists: send If-Match with the ETag from your last GET", key);
		return store_versioned_write(db, &(struct store_write){ .e = &note_entity,
				.key = { &prm[2], 2, key }, .want_version = want_version, .action = "update",
				.sql = note_update_sql, .params = prm, .nparams = 5, .who = who }, after, p);
	}
	if (has_if_match)
		return problem_set(p, 412, "precondition-failed", "Precondition failed",
				   "If-Match was given but there is no note %s", key);
	*created = 1;
	if (db_exec(db, note_insert_sql, prm, 4, NULL, NULL, p) != 0 ||
	    (*after = store_load(db, &note_entity, &(struct store_key){ &prm[2], 2, key }, 0, NULL, &version, p)) == NULL)
		return -1;
	if (audit_write(db, who, "create", "bfr_note", key, NULL, *after, p) != 0) {
		cJSON_Delete(*after);
		*after = NULL;
		return -1;
	}
	return 0;
}
