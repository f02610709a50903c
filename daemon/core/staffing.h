/*
 * staffing.h - staffing by post (DESIGN.md "Staffing", issue 16): a post's cost
 * month by month for an academic year (pay at its scale's rate x FTE x paid share
 * plus allowances, employer NI per post-month, pension at the scheme's rate), the
 * trust's sums by entity and account code with the apprenticeship levy and the
 * employment allowance (staffing_trust.c), and the ICFP measures
 * (staffing_metrics.c).
 *
 * Years are academic years (2026 = 2026-27); months of a year are m = 0..11,
 * 0 = September, 7 = April, 11 = August. A tax year t runs from 1 April t to
 * 31 March t+1: months 0..6 of year y are in tax year y, months 7..11 in y+1.
 * A support scale's pay year t is in force from 1 April t to 31 March t+1.
 *
 * Money is int64_t pence, rates basis points, rounding half away from zero
 * (money.h); every sum is overflow-checked. Pure, no I/O; thread-safe (the
 * structs are borrowed, never written).
 */
#ifndef BURSAR_STAFFING_H
#define BURSAR_STAFFING_H

#include <stddef.h>
#include <stdint.h>

#include "forecast.h"

#define STAFF_MONTHS 12
#define STAFF_FULL_WEEKS_X1000 52143          /* 52.143 weeks */
#define STAFF_PAID_WEEKS_MAX 5214             /* paid_weeks_h: hundredths of a week */
#define STAFF_ALLOWANCES_MAX INT64_C(100000000)   /* £1m a year: a post's allowances at most */

enum staff_role { SR_TEACHER, SR_LEADERSHIP, SR_TA, SR_ADMIN, SR_PREMISES, SR_CATERING, SR_OTHER };
enum staff_pension { SP_TPS, SP_LGPS, SP_NONE };
enum staff_scale_kind { SK_TEACHER, SK_SUPPORT };
int staff_role_parse(const char *s, enum staff_role *r);          /* "teacher" .. "other_support"; 0/-1 */
const char *staff_role_name(enum staff_role r);                    /* "?" when out of range */
int staff_role_teaches(enum staff_role r);                          /* teacher, leadership */
/* "tps", "lgps", "none" (and back); 0/-1. */
int staff_pension_parse(const char *s, enum staff_pension *p);
const char *staff_pension_name(enum staff_pension p);

/* A scale's values: points in order, one row of annual pence per year it has data for. */
struct staff_scale {
	const char *name;
	enum staff_scale_kind kind;
	size_t npoints;
	const char *const *points;            /* [npoints], in ord order */
	int first_year;                       /* the first year with data */
	size_t nyears;                        /* years first_year .. first_year+nyears-1 */
	const int64_t *annual_pence;          /* [y * npoints + p]; < 0: no value */
};
int staff_scale_point(const struct staff_scale *s, const char *point);   /* its index, or -1 */

/* Awards for years after a scale's data (a scenario's; all 0 for a budget): */
struct staff_awards {
	int base_year;                        /* Y0 */
	int32_t teacher_bp[FORECAST_NY];      /* [k]: the September award of academic year Y0+k */
	int32_t support_bp[FORECAST_NY + 1];  /* [k]: the April award of pay year Y0+k
					       * ([1] = April Y0+1, inside academic year Y0) */
};
/*
 * A scale's full-time annual pay for (point, year): the data where the year has
 * it; after the scale's last data year, the last value raised by each later
 * year's award, rounded to the penny each year (a published scale is); before its
 * first year, its first year's value. 0, or -1 when the point has no value.
 * A year outside the awards' arrays (or aw NULL) has no award (0).
 */
int staff_scale_value(const struct staff_scale *s, size_t point, int year, const struct staff_awards *aw,
		      int64_t *annual_pence) __attribute__((warn_unused_result));

/* On-costs of one tax year (staff_rates). Monthly thresholds are the annual / 12
 * rounded to the penny (41,667p; 418,917p). */
struct staff_rates {
	int tax_year;
	int32_t ni_bp, tps_bp, levy_bp;
	int64_t ni_threshold_pence, ni_upper_pence, levy_allowance_pence, employment_allowance_pence;
};
/* A dated employer-rate change (a scenario's): from the first day of month `from`
 * (days since 1970 of the 1st), rate_bp, for scheme tps or lgps (lgps: urn's, or
 * every entity's when urn is ""). Later changes win: of the changes in force on
 * a month's 1st, the one with the latest `from`, and of equal ones the last given.
 * A change in force replaces the table's rate (of any later tax year too). */
struct staff_rate_change { enum staff_pension scheme; char urn[8]; int32_t from; int32_t rate_bp; };
struct staff_lgps { char urn[8]; int tax_year; int32_t rate_bp; };

/* Everything a costing reads besides the post (borrowed). A tax year after the
 * last one given repeats the last; before the first, the first. An LGPS post of
 * an entity with no LGPS rate (and no change in force) is an error. */
struct staff_env {
	const struct staff_rates *rates; size_t nrates;          /* sorted by tax_year */
	const struct staff_lgps *lgps; size_t nlgps;             /* sorted by urn, tax_year */
	const struct staff_rate_change *changes; size_t nchanges;/* in order */
	const struct staff_awards *awards;                       /* NULL: none */
};

/* An FTE change from a date (a management action). */
struct staff_fte_change { int32_t from; int32_t fte_h; };

struct staff_post {
	const char *urn, *reference, *code;   /* entity, post reference, account code */
	enum staff_role role;
	const struct staff_scale *scale;
	size_t point, top;                    /* indexes into scale->points; top >= point */
	int point_year;                       /* point held at the start of this academic year */
	int32_t fte_h;                        /* 1..100 */
	int32_t paid_weeks_h;                 /* 0: all year; else 1..5214 hundredths of a week */
	int64_t allowances_pence;             /* TLR + SEN + fringe + other, a year */
	enum staff_pension pension;
	char ni_category;                     /* 'A', 'M', 'H' */
	int32_t start, end;                   /* days; FORECAST_NO_DATE: none */
	int vacant;
	int32_t periods_taught;               /* -1: not given */
	const struct staff_fte_change *fte_changes; size_t nfte_changes;   /* sorted by from */
};

struct staff_month { int64_t pay, ni, pension; };
struct staff_cost {                            /* one post, one academic year */
	struct staff_month m[STAFF_MONTHS];
	int64_t pay, ni, pension, total;          /* sums of the months */
	int32_t fte_h;                            /* FTE on 1 September, or at its start within the year */
	size_t point_sep, point_apr;              /* the point held in September and in April */
	int64_t annual_sep;                       /* full-time annual pay in September (explanations) */
	int active_months;                        /* months with any day active */
};

/*
 * Rules (each post-month; the contract's section 2):
 * - Point in month m of year y: `point` at the start of `point_year`; a teacher
 *   scale adds one each September after point_year (Sep of point_year+1 first),
 *   a support scale each April after the start of point_year (April of
 *   point_year+1 first); never beyond `top`, never below `point`.
 * - Rate: teacher scale, year y; support scale, pay year y for Sep-Mar, y+1 for
 *   Apr-Aug; through staff_scale_value with env->awards.
 * - Pay = round(annual x fte_h/100 x share x d/D / 12 + allowances x d/D / 12),
 *   one rounding; share = paid_weeks_h x 10 / 52143 (1 when 0), d the month's
 *   days the post is active (start..end inclusive), D the month's days; an FTE
 *   change inside a month splits the days, each part at its FTE. Allowances are
 *   the post's own annual amounts: not scaled by FTE or paid weeks.
 * - NI: category A, round(max(0, pay - T) x ni_bp / 10000), T = round(threshold
 *   / 12); M and H the same above U = round(upper / 12). Not pro-rated.
 * - Pension: round(pay x rate / 10000): TPS the tax year's tps_bp or the change
 *   in force, LGPS the entity's rate for the tax year or a change, none 0.
 * - Vacant posts are costed as filled. A post that ends before it starts, or
 *   outside the year, costs 0 (active_months 0, fte_h 0).
 * -1 with a message: a point with no value in a month the post is active, a
 * post out of range (fte_h or an FTE change's outside 1..100, paid_weeks_h
 * outside 0..5214, allowances outside 0..£1m, point > top or top beyond the
 * scale, an NI category other than A/M/H, a urn or code longer than 7), an LGPS
 * post with no rate, or an overflow.
 */
int staff_cost_year(const struct staff_post *post, const struct staff_env *env, int year,
		    struct staff_cost *c, char *err, size_t errlen) __attribute__((warn_unused_result));
/* The same over months m_from .. m_to-1 of year y only (0 <= m_from <= m_to <= 12): the
 * other months and the sums cover those months alone (staff_cost_year is 0..12). */
int staff_cost_months(const struct staff_post *post, const struct staff_env *env, int year, int m_from, int m_to,
		      struct staff_cost *c, char *err, size_t errlen) __attribute__((warn_unused_result));
/*
 * Scale values a run reuses: by (scale, year) for the awards it was made with (a costing
 * with other awards does not use it). For costing many posts on the same scales
 * (staff_cost_trust makes one a call). Not for sharing between threads. NULL on no memory
 * (every costing works without one).
 */
struct staff_scale_cache;
struct staff_scale_cache *staff_scale_cache_new(const struct staff_awards *aw);
void staff_scale_cache_free(struct staff_scale_cache *c);                   /* NULL ok */
/* staff_cost_months through a cache (NULL: none); the same result. */
int staff_cost_months_cached(const struct staff_post *post, const struct staff_env *env, int year, int m_from,
			     int m_to, struct staff_scale_cache *cache, struct staff_cost *c, char *err, size_t errlen)
	__attribute__((warn_unused_result));
/* The rates of tax year t: the entry for t, else the last before it, else the first (NULL when
 * there are none). */
const struct staff_rates *staff_env_rates(const struct staff_env *env, int tax_year);

/* What a set of posts costs an entity on each code for one year (budget lines), and the central
 * team's levy and employment allowance. */
struct staff_line {
	char urn[8]; char code[8];
	int64_t pay, ni, pension, total;          /* total = pay + ni + pension */
	int32_t posts; int32_t fte_h;             /* posts active in the year; their FTE (1 Sep) */
	struct staff_month m[STAFF_MONTHS];       /* the months (profiles, issue 17) */
};
struct staff_trust_year {
	int year;
	struct staff_line *lines; size_t nlines;  /* by urn, then code; owned */
	int64_t levy, employment_allowance;       /* the central team's, for the year (allowance <= 0) */
	int64_t levy_m[STAFF_MONTHS], allowance_m[STAFF_MONTHS];
	int64_t pay_bill;                         /* the trust's pay of the year */
	size_t prior_uncosted;                    /* posts left out of the levy's and the allowance's
						   * April..August before the year (no scale value then) */
};
/*
 * Cost every post for year y and sum them by entity and code. The levy: each tax
 * year, 0.5% of the trust's pay to date less the allowance to date (1/12 of
 * levy_allowance_pence a month, accumulating), never below 0, booked month by month
 * (HMRC's monthly method); the employment allowance: set against the trust's employer
 * NI month by month from April until the tax year's allowance is used. Both only over
 * months of year y, both from every post given. 0, or -1 with a message.
 *
 * Exactly: for a tax year t, with P(k) the trust's pay in its first k months
 * (April = 1) and A(k) = round(levy_allowance x k / 12), the levy to date is
 * L(k) = max(0, round(P(k) x levy_bp / 10000) - A(k)) and month k books
 * L(k) - L(k-1). Months 0..6 of year y are months 6..12 of tax year y, so the
 * posts are costed over April..August of y-1 too (not booked: what the tax year
 * had to date; a post that cannot be costed then, for a scale value missing in
 * y-1, is left out of it and counted in prior_uncosted). The employment allowance of month k is -min(what is left of the
 * tax year's allowance, the trust's NI of the month) (NI of a month <= 0 uses
 * none). Lines hold the posts' pay, NI and pension before either. *out is
 * zeroed first; free it with staff_trust_year_free (on failure too).
 */
int staff_cost_trust(const struct staff_post *posts, size_t n, const struct staff_env *env, int year,
		     struct staff_trust_year *out, char *err, size_t errlen) __attribute__((warn_unused_result));
/* The same, with each post's own cost of year y in costs[0..n) (NULL: not wanted). */
int staff_cost_trust_posts(const struct staff_post *posts, size_t n, const struct staff_env *env, int year,
			   struct staff_cost *costs, struct staff_trust_year *out, char *err, size_t errlen)
	__attribute__((warn_unused_result));
void staff_trust_year_free(struct staff_trust_year *t);   /* NULL ok; leaves *t zeroed */

/* ICFP measures of an entity for a year (core/staffing_metrics.c). */
struct staff_metrics {
	int32_t teacher_fte_h, adult_fte_h;       /* teacher+leadership; + teaching assistants */
	int32_t pupils;                           /* FORECAST_NO_DATA: unknown */
	int32_t pupil_teacher_ratio_h;            /* pupils / teacher FTE, hundredths (-1: n/a) */
	int32_t pupil_adult_ratio_h;              /* pupils / adult FTE, hundredths (-1: n/a) */
	int64_t average_teacher_cost_pence;       /* teacher+leadership cost (pay, NI, pension) / teacher FTE (-1: n/a) */
	int32_t teaching_cost_bp;                 /* teacher+leadership cost / total expenditure (-1: n/a) */
	int32_t leadership_cost_bp;               /* leadership cost / all posts' cost (-1: n/a) */
	int32_t contact_ratio_bp;                 /* periods taught / (teacher FTE x periods per cycle) (-1: n/a) */
};
/* Costs of the entity's posts for the year in c[0..n) (same order as posts); expenditure: the
 * entity's total expenditure for the year (its budget's, or the forecast's). Rounded half away.
 * Only posts active in the year (c[i].active_months > 0) count, each with c[i].fte_h. The
 * contact ratio counts the teaching posts that give periods_taught (their periods over their
 * FTE x periods_per_cycle); -1 when none do or periods_per_cycle <= 0. n/a (-1) also for a
 * zero denominator, pupils < 0, expenditure <= 0, or a value beyond int32. */
void staff_metrics_compute(const struct staff_post *posts, const struct staff_cost *c, size_t n, int32_t pupils,
			   int32_t periods_per_cycle, int64_t expenditure, struct staff_metrics *m);

#endif
