/*
 * staffing.c - the staffing costing alone (daemon/core/staffing*.c) on synthetic
 * trusts: 100, 250, 500 and 1,000 schools (and a central team) x 60 posts each,
 * every post costed month by month for 11 years (a base year and 10 more, as a
 * forecast of 10 years does) with staff_cost_trust once a year (which also
 * costs April..August of the year before, for the levy's and the employment
 * allowance's tax year to date: 17 post-months costed for each 12 booked).
 *
 * A school's 60 posts: 22 teachers (main and upper ranges, TPS, some with a
 * TLR, some part-time, a few starting or ending mid-year, one with an FTE
 * change mid-month), 5 leadership (TPS), 16 teaching assistants (NJC, term
 * time, part-time, LGPS), 9 admin, 4 premises and 4 catering (NJC, some term
 * time; LGPS, a few category M without a pension). Scales with data for
 * 2025 and 2026 and awards after that (teachers 2.5% a September, support 3% an
 * April: every later year's value goes through the awards); NI, TPS and levy
 * rates for tax years 2025..2027, a TPS change to 30.68% from April 2027 (the
 * cautious scenario's), an LGPS rate per entity and tax year.
 *
 * Each size is timed as the best of BENCH_REPEAT rounds (default 5), each round
 * running every size once in turn, next to a reference measured in the same
 * runs: one money_muldiv_round per booked post-month (the least arithmetic a
 * costing can do: its pay's rounding). Printed: time per run, per booked
 * post-month, the ratio to the reference, each step's growth (time(n2) /
 * time(n1)) and the same per doubling ((n2/n1) doublings: ratio^(1/log2(n2/n1)),
 * linear = 2.0x), and 1,000 x 60 x 11 against its target of a second.
 *
 * Built and run by tests/bench/staffing.sh (never by make test). One size alone
 * (for a profiler): staffing REPEAT SCHOOLS
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "money.h"
#include "staffing.h"

#define POSTS 60
#define YEARS 11
#define Y0 2026
#define NSIZES 4

static const char *const main_pts[] = { "M1", "M2", "M3", "M4", "M5", "M6", "U1", "U2", "U3" };
static const int64_t main_vals[] = {
	3200000, 3370000, 3560000, 3790000, 4030000, 4350000, 4560000, 4730000, 4890000,
	3311200, 3488000, 3684600, 3922700, 4171100, 4502300, 4719600, 4895600, 5061200,
};
static const char *const lead_pts[] = { "L8", "L9", "L10", "L11", "L12", "L13", "L14", "L15", "L16", "L17", "L18" };
static const int64_t lead_vals[] = {
	5900000, 6050000, 6200000, 6350000, 6510000, 6670000, 6830000, 7000000, 7180000, 7350000, 7530000,
	6106500, 6261800, 6417000, 6572300, 6737900, 6903500, 7069100, 7245000, 7431300, 7607300, 7793600,
};
static const char *const njc_pts[] = { "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16",
				       "17", "18", "19", "20", "21", "22", "23", "24", "25" };
static int64_t njc_vals[2 * 23];

static const struct staff_scale scales[] = {
	{ "teachers_main_upper", SK_TEACHER, 9, main_pts, 2025, 2, main_vals },
	{ "teachers_leadership", SK_TEACHER, 11, lead_pts, 2025, 2, lead_vals },
	{ "njc", SK_SUPPORT, 23, njc_pts, 2025, 2, njc_vals },
};

struct trust {
	size_t nschools, n;
	char (*urns)[8];
	struct staff_post *posts;
	struct staff_lgps *lgps;
	size_t nlgps;
	struct staff_fte_change *fte;
	struct staff_env env;
};

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

static void trust_init(struct trust *t, size_t nschools, const struct staff_env *base)
{
	uint32_t seed = 12345;
	size_t k = 0;

	memset(t, 0, sizeof(*t));
	t->nschools = nschools;
	t->n = (nschools + 1) * POSTS;
	t->urns = calloc(nschools + 1, sizeof(*t->urns));
	t->posts = calloc(t->n, sizeof(*t->posts));
	t->lgps = calloc((nschools + 1) * 2, sizeof(*t->lgps));
	t->fte = calloc(nschools + 1, sizeof(*t->fte));
	if (t->urns == NULL || t->posts == NULL || t->lgps == NULL || t->fte == NULL) {
		fprintf(stderr, "staffing bench: out of memory\n");
		exit(1);
	}
	for (size_t e = 0; e <= nschools; e++) {
		if (e < nschools)
			snprintf(t->urns[e], sizeof(t->urns[e]), "%06zu", 140000 + e * 7);
		else
			snprintf(t->urns[e], sizeof(t->urns[e]), "central");
		/* sorted by urn: the schools' 6 digits sort before "central" */
		for (int y = 0; y < 2; y++) {
			memcpy(t->lgps[t->nlgps].urn, t->urns[e], sizeof(t->urns[e]));
			t->lgps[t->nlgps].tax_year = 2025 + y;
			t->lgps[t->nlgps++].rate_bp = 1700 + (int32_t)(rnd(&seed) % 800);
		}
		t->fte[e].from = date_from_ymd(Y0 + 1 + (int)(e % 3), 1 + (int)(e % 12), 1 + (int)(e % 28));
		t->fte[e].fte_h = 60;
		for (int i = 0; i < POSTS; i++, k++) {
			struct staff_post *p = &t->posts[k];
			uint32_t r = rnd(&seed);

			p->urn = t->urns[e];
			p->reference = "P";
			p->periods_taught = -1;
			p->start = p->end = FORECAST_NO_DATE;
			p->ni_category = 'A';
			p->fte_h = 100;
			p->point_year = 2025 + (int)(r % 3);
			if (i < 22) {           /* teachers */
				p->role = SR_TEACHER;
				p->code = "E01";
				p->scale = &scales[0];
				p->point = r % 6;
				p->top = p->point < 6 ? 5 + (r % 7 == 0) * 3 : 8;
				p->pension = SP_TPS;
				p->allowances_pence = i % 4 == 0 ? 343600 : 0;
				p->fte_h = i % 5 == 0 ? 60 + (int32_t)(r % 40) : 100;
				p->periods_taught = 40;
				if (i == 3)
					p->start = date_from_ymd(Y0 + (int)(r % 4), 1 + (int)(r % 12), 1 + (int)(r % 28));
				if (i == 4)
					p->end = date_from_ymd(Y0 + 2 + (int)(r % 6), 1 + (int)(r % 12), 1 + (int)(r % 28));
				if (i == 5) {
					p->fte_changes = &t->fte[e];
					p->nfte_changes = 1;
				}
			} else if (i < 27) {    /* leadership */
				p->role = SR_LEADERSHIP;
				p->code = "E02";
				p->scale = &scales[1];
				p->point = r % 6;
				p->top = p->point + 4;
				p->pension = SP_TPS;
				p->periods_taught = 10;
			} else {                /* support */
				p->scale = &scales[2];
				p->pension = SP_LGPS;
				p->point = r % 10;
				p->top = p->point + 3;
				if (i < 43) {
					p->role = SR_TA;
					p->code = "E03";
					p->paid_weeks_h = 3900 + (int32_t)(r % 700);
					p->fte_h = 50 + (int32_t)(r % 51);
				} else if (i < 52) {
					p->role = SR_ADMIN;
					p->code = "E05";
					p->fte_h = i % 3 == 0 ? 80 : 100;
				} else if (i < 56) {
					p->role = SR_PREMISES;
					p->code = "E04";
				} else {
					p->role = SR_CATERING;
					p->code = "E06";
					p->paid_weeks_h = 3900;
					p->fte_h = 50;
				}
				if (i == 50) {          /* an apprentice */
					p->ni_category = 'M';
					p->pension = SP_NONE;
					p->point = 0;
					p->top = 0;
				}
			}
		}
	}
	t->env = *base;
	t->env.lgps = t->lgps;
	t->env.nlgps = t->nlgps;
}

static void trust_free(struct trust *t)
{
	free(t->urns);
	free(t->posts);
	free(t->lgps);
	free(t->fte);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t sink;

/* Every post for 11 years; the trust's total (checked to be the same each run). */
static int64_t trust_run(const struct trust *t)
{
	int64_t total = 0;
	char err[200];

	for (int k = 0; k < YEARS; k++) {
		struct staff_trust_year ty;

		if (staff_cost_trust(t->posts, t->n, &t->env, Y0 + k, &ty, err, sizeof(err)) != 0) {
			fprintf(stderr, "staffing bench: %s\n", err);
			exit(1);
		}
		for (size_t i = 0; i < ty.nlines; i++)
			total += ty.lines[i].total;
		total += ty.levy + ty.employment_allowance;
		staff_trust_year_free(&ty);
	}
	return total;
}

/* The reference: one money_muldiv_round per booked post-month. */
static int64_t ref_run(const struct trust *t)
{
	int64_t acc = 0, v;

	for (int k = 0; k < YEARS; k++)
		for (size_t i = 0; i < t->n; i++)
			for (int m = 0; m < STAFF_MONTHS; m++)
				if (money_muldiv_round(t->posts[i].allowances_pence + 3000000 + m, t->posts[i].fte_h,
						       1200, &v) == 0)
					acc += v;
	return acc;
}

struct size {
	size_t schools;
	struct trust t;
	double best_ns, ref_ns;
	int64_t total;
};

static double post_months(const struct size *z)
{
	return (double)z->t.n * STAFF_MONTHS * YEARS;
}

static void size_run(struct size *z)
{
	int64_t t0 = now_ns(), total = trust_run(&z->t), t1 = now_ns();

	sink += ref_run(&z->t);
	int64_t t2 = now_ns();

	if (z->total != 0 && total != z->total) {
		fprintf(stderr, "staffing bench: a run gave %lld, the first %lld\n", (long long)total, (long long)z->total);
		exit(1);
	}
	z->total = total;
	if (z->best_ns == 0 || (double)(t1 - t0) < z->best_ns)
		z->best_ns = (double)(t1 - t0);
	if (z->ref_ns == 0 || (double)(t2 - t1) < z->ref_ns)
		z->ref_ns = (double)(t2 - t1);
}

int main(int argc, char **argv)
{
	static struct size z[NSIZES];
	static const size_t schools[NSIZES] = { 100, 250, 500, 1000 };
	struct staff_rates rates[3];
	struct staff_rate_change tps = { SP_TPS, "", 0, 3068 };
	struct staff_awards aw;
	struct staff_env env;
	int repeat = argc > 1 ? atoi(argv[1]) : 5, nsizes = NSIZES;

	for (int y = 0; y < 2; y++)
		for (int p = 0; p < 23; p++)   /* NJC 3..25: about £24,800 .. £33,000, +3.2% */
			njc_vals[y * 23 + p] = (2480000 + p * 37500) * (y ? 10320 : 10000) / 10000;
	for (int y = 0; y < 3; y++)
		rates[y] = (struct staff_rates){ 2025 + y, 1500, 2868, 50, 500000, 5027000, 1500000, 1050000 };
	memset(&aw, 0, sizeof(aw));
	aw.base_year = Y0;
	for (int k = 0; k < FORECAST_NY; k++)
		aw.teacher_bp[k] = aw.support_bp[k] = k == 0 ? 0 : (k % 2 ? 250 : 300);
	aw.support_bp[FORECAST_NY] = 300;
	tps.from = date_from_ymd(2027, 4, 1);
	env = (struct staff_env){ rates, 3, NULL, 0, &tps, 1, &aw };

	if (repeat < 1)
		repeat = 1;
	if (argc > 2) {                         /* one size */
		nsizes = 1;
		z[0].schools = (size_t)atol(argv[2]);
	} else {
		for (int i = 0; i < NSIZES; i++)
			z[i].schools = schools[i];
	}
	for (int i = 0; i < nsizes; i++) {
		trust_init(&z[i].t, z[i].schools, &env);
		size_run(&z[i]);                /* a warm-up: its time is not kept */
		z[i].best_ns = z[i].ref_ns = 0;
	}
	for (int rep = 0; rep < repeat; rep++)
		for (int i = 0; i < nsizes; i++)
			size_run(&z[i]);
	printf("%-8s %6s %6s %12s %10s %12s %12s %7s %9s %10s\n", "schools", "posts", "years", "post-months",
	       "total ms", "ns/post-mo", "ref ns/p-m", "ratio", "growth", "/doubling");
	for (int i = 0; i < nsizes; i++) {
		char growth[16] = "-", per[16] = "-";

		if (i > 0) {
			double g = z[i].best_ns / z[i - 1].best_ns;
			double d = log2((double)z[i].t.n / (double)z[i - 1].t.n);

			snprintf(growth, sizeof(growth), "%.2fx", g);
			snprintf(per, sizeof(per), "%.2fx", pow(g, 1 / d));
		}
		printf("%-8zu %6zu %6d %12.0f %10.2f %12.1f %12.1f %7.1f %9s %10s\n", z[i].schools, z[i].t.n, YEARS,
		       post_months(&z[i]), z[i].best_ns / 1e6, z[i].best_ns / post_months(&z[i]),
		       z[i].ref_ns / post_months(&z[i]), z[i].best_ns / z[i].ref_ns, growth, per);
	}
	if (nsizes == NSIZES)
		printf("  1,000 x 60 x 11 years: %.2f ms (target well under 1,000 ms) %s; trust total %lld p over the 11 years\n",
		       z[3].best_ns / 1e6, z[3].best_ns < 1e9 ? "ok" : "OVER", (long long)z[3].total);
	for (int i = 0; i < nsizes; i++)
		trust_free(&z[i].t);
	return sink == 42;                      /* keeps the reference's arithmetic */
}
