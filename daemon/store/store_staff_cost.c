/* store_staff_cost.c - see store_staff_cost.h */
#include "store_staff_cost.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char entities_sql[] =
	"SELECT s.urn, s.staff_by_post, s.periods_per_cycle, "
	"(SELECT y.pupils FROM school_years y WHERE y.school_id = s.id AND y.year <= ? AND y.pupils IS NOT NULL "
	"ORDER BY y.year DESC LIMIT 1) AS pupils FROM schools s ORDER BY s.urn";

static const char scales_sql[] = "SELECT id, name, kind FROM pay_scales ORDER BY id";
static const char points_sql[] =
	"SELECT scale_id, year, point, ord, annual_pence FROM pay_scale_points ORDER BY scale_id, year, ord";
static const char rates_sql[] =
	"SELECT tax_year, ni_bp, tps_bp, levy_bp, ni_threshold_pence, ni_upper_pence, levy_allowance_pence, "
	"employment_allowance_pence FROM staff_rates ORDER BY tax_year";
static const char lgps_sql[] =
	"SELECT s.urn, l.tax_year, l.rate_bp FROM lgps_rates l JOIN schools s ON s.id = l.school_id "
	"ORDER BY s.urn, l.tax_year";
static const char posts_sql[] =
	"SELECT p.id, s.urn, p.reference, p.role, a.code, p.scale_id, p.point, p.top_point, p.point_year, p.fte_h, "
	"p.paid_weeks_h, p.tlr_pence + p.sen_pence + p.fringe_pence + p.other_allowance_pence AS allowances, "
	"p.pension, p.ni_category, DATEDIFF(p.starts_on, '1970-01-01') AS start_days, "
	"DATEDIFF(p.ends_on, '1970-01-01') AS end_days, p.vacant, p.periods_taught "
	"FROM posts p JOIN schools s ON s.id = p.school_id JOIN accounts a ON a.id = p.account_id "
	"WHERE p.deleted_at IS NULL AND (? IS NULL OR s.urn = ?) ORDER BY s.urn, p.reference, p.id";

int store_staff_cost_entities(struct db *db, int year, struct db_rows **rows, struct problem *p)
{
	struct db_param prm = DBP_I64(year);

	return db_query(db, entities_sql, &prm, 1, rows, p);
}

struct staff_own {
	struct db_rows *scales, *points, *rates, *lgps, *posts;
	const char **names;                      /* every scale's points, one array */
	int64_t *values;                         /* every scale's values, one array */
};

void store_staff_set_free(struct store_staff_set *s)
{
	struct staff_own *o;

	if (s == NULL)
		return;
	if ((o = s->own) != NULL) {
		db_rows_free(o->scales);
		db_rows_free(o->points);
		db_rows_free(o->rates);
		db_rows_free(o->lgps);
		db_rows_free(o->posts);
		free(o->names);
		free(o->values);
		free(o);
	}
	free(s->scales);
	free(s->scale_ids);
	free(s->rates);
	free(s->lgps);
	free(s->posts);
	free(s->post_ids);
	free(s->bad);
	memset(s, 0, sizeof(*s));
}

/* A point of a scale while its order is worked out. */
struct staff_pt {
	const char *name;
	int64_t max_ord, min_ord;
};

static int staff_pt_cmp(const void *a, const void *b)
{
	const struct staff_pt *x = a, *y = b;

	if (x->max_ord != y->max_ord)
		return x->max_ord < y->max_ord ? -1 : 1;
	if (x->min_ord != y->min_ord)
		return x->min_ord < y->min_ord ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The scales and their points (rows by scale_id, year, ord). 0, or -1 with p set. */
static int staff_load_scales(struct store_staff_set *s, struct staff_own *o, struct problem *p)
{
	enum { P_SCALE, P_YEAR, P_POINT, P_ORD, P_ANNUAL, P__N };
	static const char *const pnames[P__N] = { "scale_id", "year", "point", "ord", "annual_pence" };
	size_t px[P__N], k = 0, nnames = 0, nvalues = 0;
	struct staff_pt *pts = NULL;
	int rc = -1;

	if (db_columns(o->points, pnames, P__N, px, p) != 0)
		return -1;
	s->nscales = o->scales->nrows;
	if ((s->scales = calloc(s->nscales + 1, sizeof(*s->scales))) == NULL ||
	    (s->scale_ids = calloc(s->nscales + 1, sizeof(*s->scale_ids))) == NULL ||
	    (o->names = calloc(o->points->nrows + 1, sizeof(*o->names))) == NULL ||
	    (pts = calloc(o->points->nrows + 1, sizeof(*pts))) == NULL)
		goto oom;
	for (size_t i = 0; i < s->nscales; i++) {
		struct staff_scale *sc = &s->scales[i];
		int64_t id = db_cell_i64(o->scales, i, 0);
		size_t from, to, np = 0;
		int y0 = 0, y1 = 0;

		s->scale_ids[i] = id;
		sc->name = db_cell(o->scales, i, 1);
		sc->kind = strcmp(db_cell(o->scales, i, 2), "support") == 0 ? SK_SUPPORT : SK_TEACHER;
		while (k < o->points->nrows && db_cell_i64(o->points, k, px[P_SCALE]) < id)
			k++;
		for (from = to = k; to < o->points->nrows && db_cell_i64(o->points, to, px[P_SCALE]) == id; to++) {
			const char *name = db_cell(o->points, to, px[P_POINT]);
			int64_t ord = db_cell_i64(o->points, to, px[P_ORD]);
			int y = (int)db_cell_i64(o->points, to, px[P_YEAR]);
			size_t j = 0;

			y0 = to == from || y < y0 ? y : y0;
			y1 = to == from || y > y1 ? y : y1;
			while (j < np && strcmp(pts[j].name, name) != 0)
				j++;
			if (j == np)
				pts[np++] = (struct staff_pt){ name, ord, ord };
			pts[j].max_ord = ord > pts[j].max_ord ? ord : pts[j].max_ord;
			pts[j].min_ord = ord < pts[j].min_ord ? ord : pts[j].min_ord;
		}
		qsort(pts, np, sizeof(*pts), staff_pt_cmp);
		for (size_t j = 0; j < np; j++)
			o->names[nnames + j] = pts[j].name;
		sc->points = o->names + nnames;
		sc->npoints = np;
		sc->first_year = y0;
		sc->nyears = np > 0 ? (size_t)(y1 - y0 + 1) : 0;
		nnames += np;
		nvalues += np * sc->nyears;
		k = to;
	}
	if ((o->values = malloc((nvalues + 1) * sizeof(*o->values))) == NULL)
		goto oom;
	for (size_t i = 0; i < nvalues; i++)
		o->values[i] = -1;
	nvalues = 0;
	for (size_t i = 0; i < s->nscales; i++) {
		struct staff_scale *sc = &s->scales[i];
		int64_t *v = o->values + nvalues;

		sc->annual_pence = v;
		nvalues += sc->npoints * sc->nyears;
	}
	for (k = 0; k < o->points->nrows; k++) {
		int64_t id = db_cell_i64(o->points, k, px[P_SCALE]);
		size_t i = 0;
		int pt;

		while (i < s->nscales && s->scale_ids[i] != id)
			i++;
		if (i == s->nscales || (pt = staff_scale_point(&s->scales[i], db_cell(o->points, k, px[P_POINT]))) < 0)
			continue;
		((int64_t *)s->scales[i].annual_pence)[(size_t)(db_cell_i64(o->points, k, px[P_YEAR]) -
							       s->scales[i].first_year) * s->scales[i].npoints + (size_t)pt] =
			db_cell_i64(o->points, k, px[P_ANNUAL]);
	}
	rc = 0;
	goto out;
oom:
	problem_internal(p);
out:
	free(pts);
	return rc;
}

static int staff_load_rates(struct store_staff_set *s, struct staff_own *o, struct problem *p)
{
	s->nrates = o->rates->nrows;
	if ((s->rates = calloc(s->nrates + 1, sizeof(*s->rates))) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < s->nrates; i++)
		s->rates[i] = (struct staff_rates){
			.tax_year = (int)db_cell_i64(o->rates, i, 0), .ni_bp = (int32_t)db_cell_i64(o->rates, i, 1),
			.tps_bp = (int32_t)db_cell_i64(o->rates, i, 2), .levy_bp = (int32_t)db_cell_i64(o->rates, i, 3),
			.ni_threshold_pence = db_cell_i64(o->rates, i, 4), .ni_upper_pence = db_cell_i64(o->rates, i, 5),
			.levy_allowance_pence = db_cell_i64(o->rates, i, 6),
			.employment_allowance_pence = db_cell_i64(o->rates, i, 7),
		};
	s->nlgps = o->lgps->nrows;
	if ((s->lgps = calloc(s->nlgps + 1, sizeof(*s->lgps))) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < s->nlgps; i++) {
		snprintf(s->lgps[i].urn, sizeof(s->lgps[i].urn), "%s", db_cell(o->lgps, i, 0));
		s->lgps[i].tax_year = (int)db_cell_i64(o->lgps, i, 1);
		s->lgps[i].rate_bp = (int32_t)db_cell_i64(o->lgps, i, 2);
	}
	return 0;
}

enum { Q_ID, Q_URN, Q_REF, Q_ROLE, Q_CODE, Q_SCALE, Q_POINT, Q_TOP, Q_PYEAR, Q_FTE, Q_WEEKS, Q_ALLOW, Q_PENSION,
       Q_NI, Q_START, Q_END, Q_VACANT, Q_PERIODS, Q__N };

static int staff_load_posts(struct store_staff_set *s, struct staff_own *o, struct problem *p)
{
	static const char *const names[Q__N] = { "id", "urn", "reference", "role", "code", "scale_id", "point",
						 "top_point", "point_year", "fte_h", "paid_weeks_h", "allowances",
						 "pension", "ni_category", "start_days", "end_days", "vacant",
						 "periods_taught" };
	const struct db_rows *r = o->posts;
	size_t x[Q__N];

	if (db_columns(r, names, Q__N, x, p) != 0)
		return -1;
	s->nposts = r->nrows;
	if ((s->posts = calloc(s->nposts + 1, sizeof(*s->posts))) == NULL ||
	    (s->post_ids = calloc(s->nposts + 1, sizeof(*s->post_ids))) == NULL ||
	    (s->bad = calloc(s->nposts + 1, 1)) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < r->nrows; i++) {
		struct staff_post *q = &s->posts[i];
		const struct staff_scale *sc = NULL;
		const char *top = db_cell(r, i, x[Q_TOP]), *ni = db_cell(r, i, x[Q_NI]);
		int pt = -1, tp = -1;

		for (size_t k = 0; k < s->nscales && sc == NULL; k++)
			if (s->scale_ids[k] == db_cell_i64(r, i, x[Q_SCALE]))
				sc = &s->scales[k];
		s->post_ids[i] = db_cell_i64(r, i, x[Q_ID]);
		q->urn = db_cell(r, i, x[Q_URN]);
		q->reference = db_cell(r, i, x[Q_REF]);
		q->code = db_cell(r, i, x[Q_CODE]);
		if (staff_role_parse(db_cell(r, i, x[Q_ROLE]), &q->role) != 0)
			q->role = SR_OTHER;
		if (staff_pension_parse(db_cell(r, i, x[Q_PENSION]), &q->pension) != 0)
			q->pension = SP_NONE;
		q->scale = sc;
		if (sc != NULL) {
			pt = staff_scale_point(sc, db_cell(r, i, x[Q_POINT]));
			tp = top != NULL ? staff_scale_point(sc, top) : (int)sc->npoints - 1;
		}
		s->bad[i] = pt < 0 || tp < pt;
		if (s->bad[i] && s->err[0] == '\0')
			snprintf(s->err, sizeof(s->err), "post %s of %s: point %s%s%s is not on its scale %s", q->reference,
				 q->urn, db_cell(r, i, x[Q_POINT]), top != NULL ? " to " : "", top != NULL ? top : "",
				 sc != NULL ? sc->name : "(none)");
		q->point = pt < 0 ? 0 : (size_t)pt;
		q->top = tp < pt ? q->point : (size_t)tp;
		q->point_year = (int)db_cell_i64(r, i, x[Q_PYEAR]);
		q->fte_h = (int32_t)db_cell_i64(r, i, x[Q_FTE]);
		q->paid_weeks_h = (int32_t)db_cell_i64(r, i, x[Q_WEEKS]);   /* NULL: 0, all year */
		q->allowances_pence = db_cell_i64(r, i, x[Q_ALLOW]);
		q->ni_category = ni != NULL && ni[0] != '\0' ? ni[0] : 'A';
		q->start = db_cell(r, i, x[Q_START]) != NULL ? (int32_t)db_cell_i64(r, i, x[Q_START]) : FORECAST_NO_DATE;
		q->end = db_cell(r, i, x[Q_END]) != NULL ? (int32_t)db_cell_i64(r, i, x[Q_END]) : FORECAST_NO_DATE;
		q->vacant = db_cell_i64(r, i, x[Q_VACANT]) != 0;
		q->periods_taught = db_cell(r, i, x[Q_PERIODS]) != NULL ? (int32_t)db_cell_i64(r, i, x[Q_PERIODS]) : -1;
	}
	return 0;
}

int store_staff_cost_load(struct db *db, const char *urn, struct store_staff_set *s, struct problem *p)
{
	struct db_param prm[2] = { urn != NULL ? DBP_STR(urn) : DBP_NULL, urn != NULL ? DBP_STR(urn) : DBP_NULL };
	struct staff_own *o;

	memset(s, 0, sizeof(*s));
	if ((o = s->own = calloc(1, sizeof(*o))) == NULL)
		return problem_internal(p);
	if (db_query(db, scales_sql, NULL, 0, &o->scales, p) != 0 ||
	    db_query(db, points_sql, NULL, 0, &o->points, p) != 0 ||
	    db_query(db, rates_sql, NULL, 0, &o->rates, p) != 0 || db_query(db, lgps_sql, NULL, 0, &o->lgps, p) != 0 ||
	    db_query(db, posts_sql, prm, 2, &o->posts, p) != 0)
		return -1;
	if (staff_load_scales(s, o, p) != 0 || staff_load_rates(s, o, p) != 0 || staff_load_posts(s, o, p) != 0)
		return -1;
	return 0;
}
