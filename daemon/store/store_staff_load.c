/* store_staff_load.c - see store_staff_load.h */
#include "store_staff_load.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"

/* ---- pay scales ---- */

static const char load_scales_sql[] =
	"SELECT ps.id, ps.name, ps.kind, MIN(pt.year) AS first_year, MAX(pt.year) AS last_year "
	"FROM pay_scales ps LEFT JOIN pay_scale_points pt ON pt.scale_id = ps.id "
	"GROUP BY ps.id, ps.name, ps.kind ORDER BY BINARY ps.name";
/* each scale's points in order: a point's lowest ord over the years that have it */
static const char load_points_sql[] =
	"SELECT scale_id, point, MIN(ord) AS ord FROM pay_scale_points GROUP BY scale_id, point "
	"ORDER BY scale_id, ord, BINARY point";
static const char load_values_sql[] =
	"SELECT scale_id, year, point, annual_pence FROM pay_scale_points ORDER BY scale_id, year";

void store_payscales_free(struct store_staff_scales *s)
{
	if (s == NULL)
		return;
	free(s->scales);
	free(s->strings);
	free(s->points);
	free(s->values);
	memset(s, 0, sizeof(*s));
}

const struct staff_scale *store_payscales_find(const struct store_staff_scales *s, const char *name)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->scales[mid].name, name);

		if (c == 0)
			return &s->scales[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The index of the scale with id in ids[0..n) (sorted by name, so searched), or n. */
static size_t load_scale_ix(const int64_t *ids, size_t n, int64_t id)
{
	size_t i = 0;

	while (i < n && ids[i] != id)
		i++;
	return i;
}

struct load_scales {
	struct db_rows *sc, *pt, *val;
	int64_t *ids;
	size_t *first_point;                     /* [n]: the scale's first point in s->points */
};

/* Copy s (NUL-terminated) to *at; returns the copy. */
static const char *load_str(char **at, const char *s)
{
	size_t n = strlen(s) + 1;
	char *out = *at;

	memcpy(out, s, n);
	*at += n;
	return out;
}

static int load_scales_fill(struct load_scales *ls, struct store_staff_scales *s, struct problem *p)
{
	size_t n = ls->sc->nrows, np = ls->pt->nrows, nvals = 0, slen = 0, ix[5];
	size_t pix[3], vix[4];
	char *at;

	if (db_columns(ls->sc, (const char *const[]){ "id", "name", "kind", "first_year", "last_year" }, 5, ix, p) != 0 ||
	    db_columns(ls->pt, (const char *const[]){ "scale_id", "point", "ord" }, 3, pix, p) != 0 ||
	    db_columns(ls->val, (const char *const[]){ "scale_id", "year", "point", "annual_pence" }, 4, vix, p) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		slen += strlen(db_cell(ls->sc, i, ix[1])) + 1;
	for (size_t i = 0; i < np; i++)
		slen += strlen(db_cell(ls->pt, i, pix[1])) + 1;
	s->n = n;
	if ((s->scales = calloc(n ? n : 1, sizeof(*s->scales))) == NULL ||
	    (ls->ids = calloc(n ? n : 1, sizeof(*ls->ids))) == NULL ||
	    (ls->first_point = calloc(n ? n : 1, sizeof(*ls->first_point))) == NULL ||
	    (s->strings = malloc(slen ? slen : 1)) == NULL ||
	    (s->points = calloc(np ? np : 1, sizeof(*s->points))) == NULL)
		return problem_internal(p);
	at = s->strings;
	for (size_t i = 0; i < n; i++) {
		struct staff_scale *sc = &s->scales[i];
		const char *fy = db_cell(ls->sc, i, ix[3]);

		ls->ids[i] = db_cell_i64(ls->sc, i, ix[0]);
		sc->name = load_str(&at, db_cell(ls->sc, i, ix[1]));
		sc->kind = strcmp(db_cell(ls->sc, i, ix[2]), "support") == 0 ? SK_SUPPORT : SK_TEACHER;
		if (fy != NULL) {
			sc->first_year = (int)db_cell_i64(ls->sc, i, ix[3]);
			sc->nyears = (size_t)(db_cell_i64(ls->sc, i, ix[4]) - sc->first_year + 1);
		}
	}
	/* the points, grouped by scale (query order: scale_id, ord) */
	for (size_t i = 0; i < np; i++) {
		size_t k = load_scale_ix(ls->ids, n, db_cell_i64(ls->pt, i, pix[0]));

		if (k == n)
			continue;                /* a scale made since the first query: not in this set */
		if (s->scales[k].npoints == 0)
			ls->first_point[k] = i;
		s->points[i] = load_str(&at, db_cell(ls->pt, i, pix[1]));
		s->scales[k].npoints++;
	}
	for (size_t i = 0; i < n; i++) {
		s->scales[i].points = s->points + ls->first_point[i];
		nvals += s->scales[i].npoints * s->scales[i].nyears;
	}
	if ((s->values = malloc((nvals ? nvals : 1) * sizeof(*s->values))) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < nvals; i++)
		s->values[i] = -1;
	nvals = 0;
	for (size_t i = 0; i < n; i++) {
		s->scales[i].annual_pence = s->values + nvals;
		nvals += s->scales[i].npoints * s->scales[i].nyears;
	}
	for (size_t i = 0; i < ls->val->nrows; i++) {
		size_t k = load_scale_ix(ls->ids, n, db_cell_i64(ls->val, i, vix[0]));
		struct staff_scale *sc;
		int pt, y;

		if (k == n)
			continue;
		sc = &s->scales[k];
		y = (int)db_cell_i64(ls->val, i, vix[1]) - sc->first_year;
		pt = staff_scale_point(sc, db_cell(ls->val, i, vix[2]));
		if (pt < 0 || y < 0 || (size_t)y >= sc->nyears)
			continue;                /* written since the first queries */
		s->values[(size_t)(sc->annual_pence - s->values) + (size_t)y * sc->npoints + (size_t)pt] =
			db_cell_i64(ls->val, i, vix[3]);
	}
	return 0;
}

int store_payscales_load(struct db *db, struct store_staff_scales *out, struct problem *p)
{
	struct load_scales ls = { 0 };
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (db_query(db, load_scales_sql, NULL, 0, &ls.sc, p) == 0 &&
	    db_query(db, load_points_sql, NULL, 0, &ls.pt, p) == 0 &&
	    db_query(db, load_values_sql, NULL, 0, &ls.val, p) == 0)
		rc = load_scales_fill(&ls, out, p);
	if (rc != 0)
		store_payscales_free(out);
	db_rows_free(ls.sc);
	db_rows_free(ls.pt);
	db_rows_free(ls.val);
	free(ls.ids);
	free(ls.first_point);
	return rc;
}

/* ---- rates ---- */

static const char load_rates_sql[] =
	"SELECT tax_year, ni_bp, ni_threshold_pence, ni_upper_pence, tps_bp, levy_bp, levy_allowance_pence, "
	"employment_allowance_pence FROM staff_rates ORDER BY tax_year";

int store_staff_rates_load(struct db *db, struct staff_rates **out, size_t *n, struct problem *p)
{
	static const char *const cols[] = { "tax_year", "ni_bp", "ni_threshold_pence", "ni_upper_pence", "tps_bp",
					    "levy_bp", "levy_allowance_pence", "employment_allowance_pence" };
	struct db_rows *rows = NULL;
	size_t ix[8];
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (db_query(db, load_rates_sql, NULL, 0, &rows, p) != 0)
		return -1;
	if (db_columns(rows, cols, 8, ix, p) != 0)
		goto done;
	if ((*out = calloc(rows->nrows ? rows->nrows : 1, sizeof(**out))) == NULL) {
		problem_internal(p);
		goto done;
	}
	for (size_t i = 0; i < rows->nrows; i++)
		(*out)[i] = (struct staff_rates){
			.tax_year = (int)db_cell_i64(rows, i, ix[0]), .ni_bp = (int32_t)db_cell_i64(rows, i, ix[1]),
			.ni_threshold_pence = db_cell_i64(rows, i, ix[2]), .ni_upper_pence = db_cell_i64(rows, i, ix[3]),
			.tps_bp = (int32_t)db_cell_i64(rows, i, ix[4]), .levy_bp = (int32_t)db_cell_i64(rows, i, ix[5]),
			.levy_allowance_pence = db_cell_i64(rows, i, ix[6]),
			.employment_allowance_pence = db_cell_i64(rows, i, ix[7]),
		};
	*n = rows->nrows;
	rc = 0;
done:
	db_rows_free(rows);
	return rc;
}

static const char load_lgps_sql[] =
	"SELECT s.urn, l.tax_year, l.rate_bp FROM lgps_rates l JOIN schools s ON s.id = l.school_id "
	"ORDER BY BINARY s.urn, l.tax_year";

int store_lgps_load(struct db *db, struct staff_lgps **out, size_t *n, struct problem *p)
{
	struct db_rows *rows = NULL;
	size_t ix[3];
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (db_query(db, load_lgps_sql, NULL, 0, &rows, p) != 0)
		return -1;
	if (db_columns(rows, (const char *const[]){ "urn", "tax_year", "rate_bp" }, 3, ix, p) != 0)
		goto done;
	if ((*out = calloc(rows->nrows ? rows->nrows : 1, sizeof(**out))) == NULL) {
		problem_internal(p);
		goto done;
	}
	for (size_t i = 0; i < rows->nrows; i++) {
		const char *urn = db_cell(rows, i, ix[0]);

		if (strlen(urn) >= sizeof((*out)[i].urn)) {
			free(*out);
			*out = NULL;
			problem_internal(p);
			goto done;
		}
		memcpy((*out)[i].urn, urn, strlen(urn) + 1);
		(*out)[i].tax_year = (int)db_cell_i64(rows, i, ix[1]);
		(*out)[i].rate_bp = (int32_t)db_cell_i64(rows, i, ix[2]);
	}
	*n = rows->nrows;
	rc = 0;
done:
	db_rows_free(rows);
	return rc;
}

/* ---- posts ---- */

#define LOAD_POST_COLS \
	"SELECT p.id, s.urn, p.reference, a.code, p.role, ps.name AS scale, p.point, p.top_point, p.point_year, " \
	"p.fte_h, p.paid_weeks_h, p.tlr_pence + p.sen_pence + p.fringe_pence + p.other_allowance_pence AS allowances, " \
	"p.pension, p.ni_category, p.starts_on, p.ends_on, p.vacant, p.periods_taught " \
	"FROM posts p JOIN schools s ON s.id = p.school_id JOIN accounts a ON a.id = p.account_id " \
	"JOIN pay_scales ps ON ps.id = p.scale_id WHERE p.deleted_at IS NULL"

static const char load_posts_all_sql[] = LOAD_POST_COLS " ORDER BY BINARY s.urn, BINARY p.reference, p.id";
static const char load_posts_one_sql[] = LOAD_POST_COLS " AND s.urn = ? ORDER BY BINARY p.reference, p.id";

enum { LP_ID, LP_URN, LP_REF, LP_CODE, LP_ROLE, LP_SCALE, LP_POINT, LP_TOP, LP_YEAR, LP_FTE, LP_WEEKS, LP_ALLOW,
       LP_PENSION, LP_NI, LP_STARTS, LP_ENDS, LP_VACANT, LP_PERIODS, LP__N };
static const char *const load_post_cols[LP__N] = { "id", "urn", "reference", "code", "role", "scale", "point",
	"top_point", "point_year", "fte_h", "paid_weeks_h", "allowances", "pension", "ni_category", "starts_on",
	"ends_on", "vacant", "periods_taught" };

void store_staff_posts_free(struct store_staff_posts *ps)
{
	if (ps == NULL)
		return;
	free(ps->posts);
	free(ps->ids);
	free(ps->strings);
	memset(ps, 0, sizeof(*ps));
}

static int32_t load_date(const char *s)
{
	int32_t d;

	return s != NULL && date_parse(s, &d) == 0 ? d : FORECAST_NO_DATE;
}

/* Row i into *sp (strings copied at *at). -1 with 409 when its scale or point is gone. */
static int load_post(const struct db_rows *rows, size_t i, const size_t *ix, const struct store_staff_scales *scales,
		     struct staff_post *sp, char **at, struct problem *p)
{
	const char *urn = db_cell(rows, i, ix[LP_URN]), *ref = db_cell(rows, i, ix[LP_REF]);
	const char *top = db_cell(rows, i, ix[LP_TOP]), *ni = db_cell(rows, i, ix[LP_NI]);
	const struct staff_scale *sc = store_payscales_find(scales, db_cell(rows, i, ix[LP_SCALE]));
	int pt = sc != NULL ? staff_scale_point(sc, db_cell(rows, i, ix[LP_POINT])) : -1;
	int tp = sc == NULL ? -1 : top != NULL ? staff_scale_point(sc, top) : (int)sc->npoints - 1;

	if (sc == NULL || pt < 0 || tp < 0)
		return problem_conflict(p, "post %s of %s: pay scale %s has no point %s", ref, urn,
					db_cell(rows, i, ix[LP_SCALE]),
					pt < 0 ? db_cell(rows, i, ix[LP_POINT]) : top);
	memset(sp, 0, sizeof(*sp));
	sp->urn = load_str(at, urn);
	sp->reference = load_str(at, ref);
	sp->code = load_str(at, db_cell(rows, i, ix[LP_CODE]));
	if (staff_role_parse(db_cell(rows, i, ix[LP_ROLE]), &sp->role) != 0 ||
	    staff_pension_parse(db_cell(rows, i, ix[LP_PENSION]), &sp->pension) != 0)
		return problem_internal(p);
	sp->scale = sc;
	sp->point = (size_t)pt;
	sp->top = (size_t)tp;
	sp->point_year = (int)db_cell_i64(rows, i, ix[LP_YEAR]);
	sp->fte_h = (int32_t)db_cell_i64(rows, i, ix[LP_FTE]);
	sp->paid_weeks_h = db_cell(rows, i, ix[LP_WEEKS]) != NULL ? (int32_t)db_cell_i64(rows, i, ix[LP_WEEKS]) : 0;
	sp->allowances_pence = db_cell_i64(rows, i, ix[LP_ALLOW]);
	sp->ni_category = ni != NULL && ni[0] != '\0' ? ni[0] : 'A';
	sp->start = load_date(db_cell(rows, i, ix[LP_STARTS]));
	sp->end = load_date(db_cell(rows, i, ix[LP_ENDS]));
	sp->vacant = db_cell_i64(rows, i, ix[LP_VACANT]) != 0;
	sp->periods_taught = db_cell(rows, i, ix[LP_PERIODS]) != NULL ? (int32_t)db_cell_i64(rows, i, ix[LP_PERIODS]) : -1;
	return 0;
}

int store_staff_load_posts(struct db *db, const char *urn, const struct store_staff_scales *scales,
			   struct store_staff_posts *out, struct problem *p)
{
	struct db_param prm = DBP_STR(urn);
	struct db_rows *rows = NULL;
	size_t ix[LP__N], slen = 0;
	char *at;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (db_query(db, urn != NULL ? load_posts_one_sql : load_posts_all_sql, &prm, urn != NULL ? 1 : 0, &rows, p) != 0)
		return -1;
	if (db_columns(rows, load_post_cols, LP__N, ix, p) != 0)
		goto done;
	for (size_t i = 0; i < rows->nrows; i++)
		slen += strlen(db_cell(rows, i, ix[LP_URN])) + strlen(db_cell(rows, i, ix[LP_REF])) +
			strlen(db_cell(rows, i, ix[LP_CODE])) + 3;
	if ((out->posts = calloc(rows->nrows ? rows->nrows : 1, sizeof(*out->posts))) == NULL ||
	    (out->ids = calloc(rows->nrows ? rows->nrows : 1, sizeof(*out->ids))) == NULL ||
	    (out->strings = malloc(slen ? slen : 1)) == NULL) {
		problem_internal(p);
		goto done;
	}
	at = out->strings;
	for (size_t i = 0; i < rows->nrows; i++) {
		if (load_post(rows, i, ix, scales, &out->posts[i], &at, p) != 0)
			goto done;
		out->ids[i] = db_cell_i64(rows, i, ix[LP_ID]);
	}
	out->n = rows->nrows;
	rc = 0;
done:
	if (rc != 0)
		store_staff_posts_free(out);
	db_rows_free(rows);
	return rc;
}

static const char load_settings_sql[] = "SELECT staff_by_post, periods_per_cycle FROM schools WHERE urn = ?";

int store_staff_settings(struct db *db, const char *urn, int *staff_by_post, int32_t *periods_per_cycle,
			 struct problem *p)
{
	struct db_param prm = DBP_STR(urn);
	struct db_rows *rows = NULL;
	int rc = 0;

	if (db_query(db, load_settings_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if (rows->nrows > 0) {
		*staff_by_post = db_cell_i64(rows, 0, 0) != 0;
		*periods_per_cycle = db_cell(rows, 0, 1) != NULL ? (int32_t)db_cell_i64(rows, 0, 1) : 0;
		rc = 1;
	}
	db_rows_free(rows);
	return rc;
}
