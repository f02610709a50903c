/* staffing.c - see staffing.h: roles, scales and one post's costing. */
#include "staffing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bursar_arith.h"
#include "date.h"
#include "money.h"

static const char *const staff_role_names[] = {
	"teacher", "leadership", "teaching_assistant", "admin", "premises", "catering", "other_support",
};
static const char *const staff_pension_names[] = { "tps", "lgps", "none" };

int staff_role_parse(const char *s, enum staff_role *r)
{
	for (size_t i = 0; s != NULL && i < sizeof(staff_role_names) / sizeof(staff_role_names[0]); i++)
		if (strcmp(s, staff_role_names[i]) == 0) {
			*r = (enum staff_role)i;
			return 0;
		}
	return -1;
}

const char *staff_role_name(enum staff_role r)
{
	return (unsigned)r < sizeof(staff_role_names) / sizeof(staff_role_names[0]) ? staff_role_names[r] : "?";
}

int staff_role_teaches(enum staff_role r)
{
	return r == SR_TEACHER || r == SR_LEADERSHIP;
}

int staff_pension_parse(const char *s, enum staff_pension *p)
{
	for (size_t i = 0; s != NULL && i < sizeof(staff_pension_names) / sizeof(staff_pension_names[0]); i++)
		if (strcmp(s, staff_pension_names[i]) == 0) {
			*p = (enum staff_pension)i;
			return 0;
		}
	return -1;
}

const char *staff_pension_name(enum staff_pension p)
{
	return (unsigned)p < sizeof(staff_pension_names) / sizeof(staff_pension_names[0]) ? staff_pension_names[p] : "?";
}

int staff_scale_point(const struct staff_scale *s, const char *point)
{
	for (size_t i = 0; point != NULL && i < s->npoints; i++)
		if (strcmp(s->points[i], point) == 0)
			return i <= INT32_MAX ? (int)i : -1;
	return -1;
}

/* The award of `year` for a scale of this kind: 0 outside the arrays. */
static int32_t staff_award_bp(const struct staff_awards *aw, enum staff_scale_kind kind, int year)
{
	long k;

	if (aw == NULL)
		return 0;
	k = (long)year - aw->base_year;
	if (kind == SK_TEACHER)
		return k >= 0 && k < FORECAST_NY ? aw->teacher_bp[k] : 0;
	return k >= 0 && k < FORECAST_NY + 1 ? aw->support_bp[k] : 0;
}

int staff_scale_value(const struct staff_scale *s, size_t point, int year, const struct staff_awards *aw,
		      int64_t *annual_pence)
{
	long y, last;
	int64_t v;

	if (s == NULL || point >= s->npoints || s->nyears == 0 || s->annual_pence == NULL)
		return -1;
	y = (long)year - s->first_year;
	if (y < 0)
		y = 0;
	last = (long)s->nyears - 1;
	v = s->annual_pence[(size_t)(y <= last ? y : last) * s->npoints + point];
	if (v < 0)
		return -1;
	/* after the data: each later year's award on the year before, to the penny */
	for (long k = last + 1; k <= y; k++)
		if (money_apply_bp(v, staff_award_bp(aw, s->kind, (int)(s->first_year + k)), &v) != 0 || v < 0)
			return -1;
	*annual_pence = v;
	return 0;
}

const struct staff_rates *staff_env_rates(const struct staff_env *env, int tax_year)
{
	size_t i;

	if (env == NULL || env->nrates == 0)
		return NULL;
	for (i = env->nrates; i > 0; i--)
		if (env->rates[i - 1].tax_year <= tax_year)
			return &env->rates[i - 1];
	return &env->rates[0];
}

/* The entity's LGPS rate of tax year t (the last before, else the first): 0, or -1 for none. */
static int staff_env_lgps(const struct staff_env *env, const char *urn, int tax_year, int32_t *bp)
{
	size_t lo = 0, hi = env->nlgps, first, end;
	const struct staff_lgps *best = NULL;

	while (lo < hi) {                       /* the first entry of urn */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(env->lgps[mid].urn, urn) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	for (end = first; end < env->nlgps && strcmp(env->lgps[end].urn, urn) == 0; end++)
		if (env->lgps[end].tax_year <= tax_year || best == NULL)
			best = &env->lgps[end];
	if (best == NULL)
		return -1;
	*bp = best->rate_bp;
	return 0;
}

/* The rate change of this post's scheme in force on day `first` (a month's 1st): 1 and *bp,
 * or 0 for none. */
static int staff_env_change(const struct staff_env *env, enum staff_pension scheme, const char *urn, int32_t first,
			    int32_t *bp)
{
	const struct staff_rate_change *best = NULL;

	for (size_t i = 0; i < env->nchanges; i++) {
		const struct staff_rate_change *ch = &env->changes[i];

		if (ch->scheme != scheme || ch->from > first)
			continue;
		if (scheme == SP_LGPS && ch->urn[0] != '\0' && strcmp(ch->urn, urn) != 0)
			continue;
		if (best == NULL || ch->from >= best->from)
			best = ch;
	}
	if (best == NULL)
		return 0;
	*bp = best->rate_bp;
	return 1;
}

static int staff_fail(char *err, size_t errlen, const struct staff_post *p, const char *what)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "post %s at %s: %s", p->reference != NULL ? p->reference : "?",
			 p->urn != NULL ? p->urn : "?", what);
	return -1;
}

static int staff_post_check(const struct staff_post *p, const struct staff_env *env, char *err, size_t errlen)
{
	if (p->urn == NULL || strlen(p->urn) > 7 || p->code == NULL || strlen(p->code) > 7)
		return staff_fail(err, errlen, p, "urn and account code must be at most 7 characters");
	if (p->scale == NULL || p->top >= p->scale->npoints || p->point > p->top)
		return staff_fail(err, errlen, p, "point and top must be on the scale, the top not below the point");
	if (p->fte_h < 1 || p->fte_h > 100)
		return staff_fail(err, errlen, p, "fte_h must be 1..100");
	if (p->paid_weeks_h < 0 || p->paid_weeks_h > STAFF_PAID_WEEKS_MAX)
		return staff_fail(err, errlen, p, "paid_weeks_h must be 1..5214 (0: all year)");
	if (p->allowances_pence < 0 || p->allowances_pence > STAFF_ALLOWANCES_MAX)
		return staff_fail(err, errlen, p, "allowances must be 0..£1m a year");
	if (p->ni_category != 'A' && p->ni_category != 'M' && p->ni_category != 'H')
		return staff_fail(err, errlen, p, "NI category must be A, M or H");
	if ((unsigned)p->pension > SP_NONE || (unsigned)p->role > SR_OTHER)
		return staff_fail(err, errlen, p, "unknown pension scheme or role");
	for (size_t i = 0; i < p->nfte_changes; i++) {
		if (p->fte_changes[i].fte_h < 1 || p->fte_changes[i].fte_h > 100)
			return staff_fail(err, errlen, p, "an FTE change's fte_h must be 1..100");
		if (i > 0 && p->fte_changes[i].from < p->fte_changes[i - 1].from)
			return staff_fail(err, errlen, p, "FTE changes must be in date order");
	}
	if (env == NULL || env->nrates == 0)
		return staff_fail(err, errlen, p, "no staff rates");
	return 0;
}

/* The post's FTE on `day` (the last change from on or before it). */
static int32_t staff_fte_at(const struct staff_post *p, int32_t day)
{
	int32_t f = p->fte_h;

	for (size_t i = 0; i < p->nfte_changes && p->fte_changes[i].from <= day; i++)
		f = p->fte_changes[i].fte_h;
	return f;
}

/* A year's pay arithmetic: pay = round(num / (den x D)) for a part month of D days, with
 * num = sum over its parts of annual x fte x days x w + allowances x days x 100 x wd, and
 * den = 1200 x wd; a whole month at one FTE: round((annual x fte x w + allowances x 100 x wd)
 * / den) (the same fraction with D cancelled, so the same rounding). */
struct staff_pay {
	int64_t w, wd, den;
	int64_t allow;
	/* the last whole month worked out */
	int64_t last_annual, last_pay;
	int32_t last_fte;
	int have_last;
};

static int staff_pay_whole(struct staff_pay *sp, int64_t annual, int32_t fte, int64_t *pay)
{
	int64_t a, b, n;

	if (sp->have_last && sp->last_annual == annual && sp->last_fte == fte) {
		*pay = sp->last_pay;
		return 0;
	}
	if (bursar_mul(annual, (int64_t)fte * sp->w, &a) != 0 || bursar_mul(sp->allow, 100 * sp->wd, &b) != 0 ||
	    bursar_add(a, b, &n) != 0 || bursar_muldiv_round(n, 1, sp->den, pay) != 0)
		return -1;
	sp->last_annual = annual;
	sp->last_fte = fte;
	sp->last_pay = *pay;
	sp->have_last = 1;
	return 0;
}

/* Days a..b of a month of D days (a part month, or an FTE change inside it). */
static int staff_pay_part(const struct staff_pay *sp, const struct staff_post *p, int64_t annual, int32_t a,
			  int32_t b, int32_t D, int64_t *pay)
{
	int64_t n, t, fd = 0;                   /* fd: sum of fte x days */
	int32_t cur = a, fte = staff_fte_at(p, a);

	for (size_t i = 0; i < p->nfte_changes; i++) {
		const struct staff_fte_change *ch = &p->fte_changes[i];

		if (ch->from <= a)
			continue;
		if (ch->from > b)
			break;
		fd += (int64_t)fte * (ch->from - cur);
		cur = ch->from;
		fte = ch->fte_h;
	}
	fd += (int64_t)fte * (b - cur + 1);
	if (money_mul(annual, fd * sp->w, &n) != 0 || money_mul(sp->allow, (int64_t)(b - a + 1) * 100 * sp->wd, &t) != 0 ||
	    money_add(n, t, &n) != 0 || money_muldiv_round(n, 1, sp->den * D, pay) != 0)
		return -1;
	return 0;
}

static int staff_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Active all month (a..b is the whole month) at one FTE (no change after its 1st). */
static int staff_whole_month(const struct staff_post *p, int32_t a, int32_t b, int32_t mfirst, int32_t mlast)
{
	if (a != mfirst || b != mlast)
		return 0;
	for (size_t i = 0; i < p->nfte_changes; i++)
		if (p->fte_changes[i].from > a && p->fte_changes[i].from <= b)
			return 0;
	return 1;
}

/* The point index a post holds in month m of year y. */
static size_t staff_point_in(const struct staff_post *p, int year, int m)
{
	long inc = (long)year - p->point_year;

	if (p->scale->kind == SK_SUPPORT && m >= 7)
		inc++;
	if (inc <= 0)
		return p->point;
	if ((unsigned long)inc >= p->top - p->point)
		return p->top;
	return p->point + (size_t)inc;
}

/* ---- scale values a run reuses ------------------------------------------------------- */

struct staff_cache_entry {
	const struct staff_scale *s;
	int year;
	int64_t *v;                             /* [npoints]; -1: no value */
};
struct staff_scale_cache {
	const struct staff_awards *aw;
	size_t cap, n;                          /* cap: a power of two, or 0 */
	struct staff_cache_entry *e;
	/* the last two LGPS rates looked up, by the urn's pointer and the tax year */
	struct { const char *urn; int tax_year; int32_t bp; } lg[2];
	int lg_next;
};

struct staff_scale_cache *staff_scale_cache_new(const struct staff_awards *aw)
{
	struct staff_scale_cache *c = calloc(1, sizeof(*c));

	if (c != NULL)
		c->aw = aw;
	return c;
}

void staff_scale_cache_free(struct staff_scale_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->cap; i++)
		free(c->e[i].v);
	free(c->e);
	free(c);
}

static size_t staff_cache_slot(const struct staff_scale_cache *c, const struct staff_scale *s, int year)
{
	uint64_t h = ((uint64_t)(uintptr_t)s >> 4) * 0x9e3779b97f4a7c15ULL + (uint64_t)(unsigned)year * 0xff51afd7ed558ccdULL;

	return (size_t)(h ^ (h >> 32)) & (c->cap - 1);
}

static int staff_cache_grow(struct staff_scale_cache *c)
{
	size_t cap = c->cap ? 2 * c->cap : 32;
	struct staff_scale_cache g = *c;

	g.cap = cap;
	g.e = calloc(cap, sizeof(*g.e));
	if (g.e == NULL)
		return -1;
	for (size_t i = 0; i < c->cap; i++) {
		size_t h;

		if (c->e[i].s == NULL)
			continue;
		for (h = staff_cache_slot(&g, c->e[i].s, c->e[i].year); g.e[h].s != NULL; h = (h + 1) & (cap - 1))
			;
		g.e[h] = c->e[i];
	}
	free(c->e);
	*c = g;
	return 0;
}

/* staff_scale_value through the cache (when there is one for these awards). */
static int staff_value(struct staff_scale_cache *c, const struct staff_scale *s, size_t point, int year,
		       const struct staff_awards *aw, int64_t *v)
{
	size_t h;

	if (c == NULL || c->aw != aw || (2 * (c->n + 1) > c->cap && staff_cache_grow(c) != 0))
		return staff_scale_value(s, point, year, aw, v);
	for (h = staff_cache_slot(c, s, year); c->e[h].s != NULL; h = (h + 1) & (c->cap - 1))
		if (c->e[h].s == s && c->e[h].year == year)
			break;
	if (c->e[h].s == NULL) {
		int64_t *vals = malloc((s->npoints ? s->npoints : 1) * sizeof(*vals));

		if (vals == NULL)
			return staff_scale_value(s, point, year, aw, v);
		for (size_t i = 0; i < s->npoints; i++)
			if (staff_scale_value(s, i, year, aw, &vals[i]) != 0)
				vals[i] = -1;
		c->e[h].s = s;
		c->e[h].year = year;
		c->e[h].v = vals;
		c->n++;
	}
	if (point >= s->npoints || c->e[h].v[point] < 0)
		return -1;
	*v = c->e[h].v[point];
	return 0;
}

/* staff_env_lgps through the cache's memo (the posts of an entity come together). */
static int staff_lgps_rate(struct staff_scale_cache *c, const struct staff_env *env, const char *urn, int tax_year,
			   int32_t *bp)
{
	if (c == NULL)
		return staff_env_lgps(env, urn, tax_year, bp);
	for (int i = 0; i < 2; i++)
		if (c->lg[i].urn == urn && c->lg[i].tax_year == tax_year) {
			*bp = c->lg[i].bp;
			return 0;
		}
	if (staff_env_lgps(env, urn, tax_year, bp) != 0)
		return -1;
	c->lg[c->lg_next].urn = urn;
	c->lg[c->lg_next].tax_year = tax_year;
	c->lg[c->lg_next].bp = *bp;
	c->lg_next ^= 1;
	return 0;
}

/* ---- one post ------------------------------------------------------------------------ */

int staff_cost_months_cached(const struct staff_post *p, const struct staff_env *env, int year, int m_from,
			     int m_to, struct staff_scale_cache *cache, struct staff_cost *c, char *err,
			     size_t errlen)
{
	static const int8_t mdays[STAFF_MONTHS] = { 30, 31, 30, 31, 31, 28, 31, 30, 31, 30, 31, 31 };
	int32_t first, start, end;
	/* by half (Sep-Mar, Apr-Aug): the point, its rate's year, the annual value (-2 not worked
	 * out yet, -1 none), the tax year's rates, NI threshold a month and pension rate (-1: not
	 * looked up yet) */
	int64_t annual[2] = { -2, -2 }, thr[2];
	size_t pts[2];
	int ry[2];
	const struct staff_rates *r[2];
	int32_t base_rate[2] = { -1, -1 };
	struct staff_pay sp = { 0 };
	/* the last month's NI and pension, reused when pay and rates are the same */
	int64_t l_pay = -1, l_ni = 0, l_pen = 0;
	int32_t l_rate = -1;
	int l_h = -1, fte_set = 0;
	char what[96];

	memset(c, 0, sizeof(*c));
	if (year < 1900 || year > 2999 || m_from < 0 || m_to > STAFF_MONTHS || m_from > m_to) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "year %d or months %d..%d out of range", year, m_from, m_to);
		return -1;
	}
	if (staff_post_check(p, env, err, errlen) != 0)
		return -1;
	first = date_from_ymd(year, 9, 1);
	start = p->start == FORECAST_NO_DATE ? INT32_MIN : p->start;
	end = p->end == FORECAST_NO_DATE ? INT32_MAX : p->end;
	pts[0] = staff_point_in(p, year, 0);
	pts[1] = staff_point_in(p, year, 7);
	ry[0] = year;
	ry[1] = p->scale->kind == SK_SUPPORT ? year + 1 : year;
	c->point_sep = pts[0];
	c->point_apr = pts[1];
	if (staff_value(cache, p->scale, pts[0], ry[0], env->awards, &annual[0]) != 0)
		annual[0] = -1;                 /* an error only in a month that needs it */
	c->annual_sep = annual[0] >= 0 ? annual[0] : 0;
	for (int h = 0; h < 2; h++) {
		r[h] = staff_env_rates(env, year + h);
		if (bursar_muldiv_round(p->ni_category == 'A' ? r[h]->ni_threshold_pence : r[h]->ni_upper_pence, 1, 12,
				       &thr[h]) != 0)
			return staff_fail(err, errlen, p, "NI threshold out of range");
	}
	sp.w = p->paid_weeks_h > 0 ? (int64_t)p->paid_weeks_h * 10 : 1;
	sp.wd = p->paid_weeks_h > 0 ? STAFF_FULL_WEEKS_X1000 : 1;
	sp.den = 1200 * sp.wd;
	sp.allow = p->allowances_pence;

	for (int m = 0; m < m_to; m++) {
		int32_t D = mdays[m] + (m == 5 && staff_is_leap(year + 1));
		int32_t mfirst = first, mlast = first + D - 1, a, b;
		int h = m >= 7;
		int64_t pay, ni, pen;
		int32_t rate = 0;

		first += D;
		if (m < m_from)
			continue;
		a = start > mfirst ? start : mfirst;
		b = end < mlast ? end : mlast;
		if (a > b)
			continue;
		c->active_months++;
		if (!fte_set) {
			c->fte_h = staff_fte_at(p, a);
			fte_set = 1;
		}
		if (annual[h] == -2 && staff_value(cache, p->scale, pts[h], ry[h], env->awards, &annual[h]) != 0)
			annual[h] = -1;
		if (annual[h] < 0) {
			snprintf(what, sizeof(what), "scale %s has no value for point %s in %d", p->scale->name,
				 p->scale->points[pts[h]], ry[h]);
			return staff_fail(err, errlen, p, what);
		}
		if (staff_whole_month(p, a, b, mfirst, mlast) ? staff_pay_whole(&sp, annual[h], staff_fte_at(p, a), &pay) != 0
							     : staff_pay_part(&sp, p, annual[h], a, b, D, &pay) != 0)
			return staff_fail(err, errlen, p, "pay overflows");

		if (p->pension != SP_NONE && (env->nchanges == 0 || !staff_env_change(env, p->pension, p->urn, mfirst, &rate))) {
			if (base_rate[h] < 0) {
				if (p->pension == SP_TPS) {
					base_rate[h] = r[h]->tps_bp;
				} else if (staff_lgps_rate(cache, env, p->urn, year + h, &base_rate[h]) != 0) {
					snprintf(what, sizeof(what), "no LGPS rate for %s", p->urn);
					return staff_fail(err, errlen, p, what);
				}
			}
			rate = base_rate[h];
		}
		if (pay == l_pay && h == l_h && rate == l_rate) {
			ni = l_ni;
			pen = l_pen;
		} else {
			int64_t over;

			if (bursar_sub(pay, thr[h], &over) != 0 ||
			    bursar_muldiv_round(over > 0 ? over : 0, r[h]->ni_bp, 10000, &ni) != 0 ||
			    bursar_muldiv_round(pay, rate, 10000, &pen) != 0)
				return staff_fail(err, errlen, p, "NI or pension overflows");
			l_pay = pay;
			l_h = h;
			l_rate = rate;
			l_ni = ni;
			l_pen = pen;
		}
		c->m[m].pay = pay;
		c->m[m].ni = ni;
		c->m[m].pension = pen;
		if (bursar_add(c->pay, pay, &c->pay) != 0 || bursar_add(c->ni, ni, &c->ni) != 0 ||
		    bursar_add(c->pension, pen, &c->pension) != 0)
			return staff_fail(err, errlen, p, "the year's cost overflows");
	}
	if (bursar_add(c->pay, c->ni, &c->total) != 0 || bursar_add(c->total, c->pension, &c->total) != 0)
		return staff_fail(err, errlen, p, "the year's cost overflows");
	return 0;
}

int staff_cost_months(const struct staff_post *p, const struct staff_env *env, int year, int m_from, int m_to,
		      struct staff_cost *c, char *err, size_t errlen)
{
	return staff_cost_months_cached(p, env, year, m_from, m_to, NULL, c, err, errlen);
}

int staff_cost_year(const struct staff_post *post, const struct staff_env *env, int year, struct staff_cost *c,
		    char *err, size_t errlen)
{
	return staff_cost_months(post, env, year, 0, STAFF_MONTHS, c, err, errlen);
}
