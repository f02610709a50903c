/*
 * forecast_engine.c - the forecast engine alone (daemon/forecast.c) on synthetic
 * trusts with the real finance-rule plugins (plugins/local.so, central.so: half
 * the schools pool GAG, half pay a top-slice) through the plugin registry, as
 * the daemon runs them. Each school has 60 (or 30) lines, among them three
 * `services` lines on two codes with a cost, and a traded service on a third
 * code with no line of its own; the central team has two core services.
 *
 * Each size is timed as the best of BENCH_REPEAT rounds (default 5), every
 * round running every size once in turn (a slow moment of a shared machine
 * then costs every size one run, not one size all of its runs), next to a
 * reference measured in the same runs on the same data: one money_apply_bp per
 * line-year (the least arithmetic a projection can do). Each run is cold: the
 * memory freed before it goes back to the system first (malloc_trim), so every
 * run pays the page faults of all the memory it touches, as a process that has
 * just given it back would, and no size is helped or hurt by what the
 * allocator happened to keep from the size before. Printed:
 *   - 10, 100 and 1,000 schools x 60 lines x 5 and 10 years: time per run, per
 *     line-year, the ratio to the reference, the growth of the time per
 *     line-year with the size, and the process's peak memory after each size
 *     (each size first runs once, smallest first, for that);
 *   - the targets: 125 to 2,000 schools x 60 lines x 10 years (with
 *     the warnings and page faults of a run), each doubling's time(2n) /
 *     time(n) (linear: at most 2.2x), the same for lines (30 -> 60) and years
 *     (5 -> 10) at 1,000 schools, 1,000 x 60 x 10 against its 100 ms, and the
 *     same size warm (back to back, the allocator keeping its memory), the
 *     same size cold with transparent huge pages refused to the process
 *     (PR_SET_THP_DISABLE: the result's memory in 4 KB pages, as on a system
 *     without them), and what a fresh 4 KB page costs (16 MB touched a page at
 *     a time): a cold run pays one page fault per page it touches.
 *
 * Built and run by tests/bench/forecast.sh (never by make test):
 *   tests/bench/forecast.sh engine
 * One size alone (for a profiler): forecast_engine REPEAT SCHOOLS LINES YEARS
 * (cold; BENCH_WARM=1 in the environment: warm; BENCH_NO_THP=1: no transparent
 * huge pages for the process, PR_SET_THP_DISABLE)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>

#include "config.h"
#include "forecast.h"
#include "forecast_plugin.h"
#include "money.h"
#include "plugin.h"

static const struct forecast_account chart[] = {
	{ "CON01", "contingency", "fixed", 0, 0, 0, 0, 0 },
	{ "E01", "teaching_staff", "teacher_pay", 0, 0, 1, 0, 0 },
	{ "E02", "teaching_staff", "teacher_pay", 0, 0, 1, 0, 0 },
	{ "E03", "support_staff", "support_pay", 0, 0, 0, 1, 0 },
	{ "E05", "support_staff", "support_pay", 0, 0, 0, 1, 0 },
	{ "E12", "premises", "inflation:cpi", 0, 0, 0, 0, 0 },
	{ "E14", "premises", "services", 0, 0, 0, 0, 0 },
	{ "E16", "premises", "inflation:energy", 0, 0, 0, 0, 0 },
	{ "E17", "premises", "fixed", 0, 0, 0, 0, 0 },
	{ "E19", "supplies", "pupils_current", 0, 0, 0, 0, 0 },
	{ "E20", "ict", "inflation:cpi", 0, 0, 0, 0, 0 },
	{ "E24", "services", "services", 0, 0, 0, 0, 0 },
	{ "E28a", "services", "services", 0, 0, 0, 0, 0 },
	{ "I01", "gag", "pupils", 1, 1, 0, 0, 0 },
	{ "I03", "la_income", "pupils_current", 1, 0, 0, 0, 0 },
	{ "I05", "dfe_grants", "pupils", 1, 0, 0, 0, 0 },
	{ "I06", "dfe_grants", "funding", 1, 0, 0, 0, 0 },
	{ "I08", "self_generated", "inflation:cpi", 1, 0, 0, 0, 0 },
	{ "INT01", "internal", "fixed", 0, 0, 0, 0, 1 },
	{ "INT02", "internal", "fixed", 1, 0, 0, 0, 1 },
	{ "INT03", "internal", "fixed", 0, 0, 0, 0, 1 },
	{ "INT04", "internal", "fixed", 1, 0, 0, 0, 1 },
	{ "INT05", "internal", "fixed", 1, 0, 0, 0, 1 },
	{ "INT06", "internal", "fixed", 0, 0, 0, 0, 1 },
};
#define NCHART (sizeof(chart) / sizeof(chart[0]))
#define MAX_LINES 60
#define SVC_PER_SCHOOL 3
#define SVC_CENTRAL 2

/* A school's lines: GAG (or the pool allocation), grants, rates (excluded from
 * central charges), two cleaning lines sharing one cost (E14), payroll (E28a),
 * then staff and running costs. */
static const char *const costs[] = { "E01", "E02", "E03", "E05", "E12", "E16", "E19", "E20", "CON01" };

struct trust {
	struct forecast_entity_in *e;
	struct forecast_line_in *lines;
	struct forecast_service *svc;
	size_t nsvc;
	char (*urns)[16];
	size_t n;
};

static void *bench_calloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (p == NULL) {
		fprintf(stderr, "forecast_engine: out of memory\n");
		exit(1);
	}
	return p;
}

/* A cost growing 3% a year from base (pence), in whole pence. */
static void svc_cost(struct forecast_service *s, const char *urn, const char *code, int64_t base, const char *label)
{
	s->urn = urn;
	s->code = code;
	s->label = label;
	for (int k = 1; k < FORECAST_NY; k++) {
		base = base * 103 / 100;
		s->pence[k] = base;
	}
}

static void trust_build(struct trust *t, size_t schools, int nlines)
{
	t->n = schools + 1;
	t->e = bench_calloc(t->n, sizeof(*t->e));
	t->lines = bench_calloc(t->n * MAX_LINES, sizeof(*t->lines));
	t->urns = bench_calloc(t->n, sizeof(*t->urns));
	t->svc = bench_calloc(schools * SVC_PER_SCHOOL + SVC_CENTRAL, sizeof(*t->svc));
	t->nsvc = 0;
	for (size_t i = 0; i < t->n; i++) {
		struct forecast_entity_in *e = &t->e[i];
		struct forecast_line_in *l = &t->lines[i * MAX_LINES];
		int central = i == schools, pooled = !central && i % 2 == 0;
		int32_t pupils = 300 + (int32_t)(i * 37 % 400);

		if (central)
			snprintf(t->urns[i], sizeof(t->urns[i]), "central");
		else
			snprintf(t->urns[i], sizeof(t->urns[i]), "%06zu", 100000 + i);
		e->urn = t->urns[i];
		e->name = t->urns[i];
		e->model = central ? "" : pooled ? "central" : "local";
		e->is_central = central;
		e->selected = 1;
		e->has_opening = 1;
		e->opening_pence = 25000000;
		e->budget_status = "approved";
		for (int k = 0; k < FORECAST_NC; k++)
			e->pupils[k] = e->places[k] = FORECAST_NO_DATA;
		if (!central) {
			e->pupils[0] = pupils + 20;
			e->pupils[1] = pupils + 10;
			e->pupils[2] = pupils;
			e->pupils[3] = pupils - 5;
		}
		e->lines = l;
		e->nlines = (size_t)nlines;
		for (int j = 0; j < nlines; j++) {
			l[j] = (struct forecast_line_in){ .description = "line", .amount_pence = 1000000 + j * 12345 };
			if (central)
				l[j].code = j == 0 ? "I01" : j < 8 ? "I08" : j == 8 ? "E28a" : costs[j % 9];
			else if (j == 0)
				l[j].code = pooled ? "INT05" : "I01";
			else if (j < 12)
				l[j].code = (const char *[]){ "I03", "I05", "I06", "I08" }[j % 4];
			else if (j == 12)
				l[j].code = "E17", l[j].excluded = 1;
			else if (j == 13 || j == 14)
				l[j].code = "E14";
			else if (j == 15)
				l[j].code = "E28a";
			else
				l[j].code = costs[j % 9];
		}
		if (central) {
			l[0].amount_pence = (int64_t)schools * 2000000000 / 2;
			svc_cost(&t->svc[t->nsvc++], e->urn, "E28a", 9000000, "Payroll (core)");
			svc_cost(&t->svc[t->nsvc++], e->urn, "E12", 4000000, "Audit (core)");
		} else {
			if (!pooled)
				l[0].amount_pence = (int64_t)pupils * 600000;
			svc_cost(&t->svc[t->nsvc++], e->urn, "E14", 2500000 + (int64_t)i * 100, "Cleaning (traded)");
			svc_cost(&t->svc[t->nsvc++], e->urn, "E28a", 900000, "Payroll (traded)");
			svc_cost(&t->svc[t->nsvc++], e->urn, "E24", 400000, "ICT support (traded)");
		}
	}
}

static void trust_free(struct trust *t)
{
	free(t->e);
	free(t->lines);
	free(t->urns);
	free(t->svc);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static double peak_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024.0;
}

static long faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt + ru.ru_majflt;
}

static struct forecast_assumptions assume(int H)
{
	struct forecast_assumptions a;

	memset(&a, 0, sizeof(a));
	a.base_year = 2026;
	a.horizon = H;
	a.nindices = 2;
	memcpy(a.indices[0].name, "cpi", 4);
	memcpy(a.indices[1].name, "energy", 7);
	for (int k = 0; k < FORECAST_NY; k++) {
		a.place_rate_pence[k] = FORECAST_PLACE_RATE_DEFAULT;
		a.funding_bp[k] = 150;
		a.teacher_pay_bp[k] = 250;
		a.support_pay_bp[k] = 300;
		a.teacher_oncost_bp[k] = k == 2 ? 155 : 0;
		a.indices[0].bp[k] = 250;
		a.indices[1].bp[k] = 400;
	}
	a.base_support_pay_bp = 300;
	return a;
}

/* One size: its inputs, and its best times so far. */
struct size {
	size_t schools;
	int lines, H;
	struct trust t;
	struct forecast_assumptions a;
	struct forecast_input in;
	int64_t best, ref;                       /* ns; INT64_MAX: not run yet */
	int64_t runs[64];                        /* every timed run (the median) */
	int nruns;
	size_t nlines, nwarnings;                /* of the result: every entity's lines, the warnings */
	double peak_mb;                          /* the process's peak after its first run */
	long faults;                             /* page faults in the best run */
};

static void size_init(struct size *z, size_t schools, int lines, int H, const struct forecast_rules *rules)
{
	memset(z, 0, sizeof(*z));
	z->schools = schools;
	z->lines = lines;
	z->H = H;
	z->best = z->ref = INT64_MAX;
	trust_build(&z->t, schools, lines);
	z->a = assume(H);
	z->in = (struct forecast_input){ .a = &z->a, .accounts = chart, .naccounts = NCHART, .entities = z->t.e,
					 .nentities = z->t.n, .have_services = 1, .services = z->t.svc,
					 .nservices = z->t.nsvc, .rules = rules };
}

static double line_years(const struct size *z)
{
	return (double)(z->schools + 1) * z->lines * z->H;
}

static double ms(const struct size *z)
{
	return z->best / 1e6;
}

static double ns(const struct size *z)
{
	return z->best / line_years(z);
}

/*
 * One run of the engine and one of the reference, each kept when it is the best
 * so far. Cold: the memory freed before is first given back to the system
 * (malloc_trim), so the run pays for every page it touches, whatever ran before
 * it; warm: what the allocator kept from the run before is reused.
 */
static void size_run(struct size *z, int cold)
{
	struct forecast_result r;
	enum forecast_error kind;
	char err[512];
	long f0;
	int64_t t0, t1, sink = 0;

	if (cold)
		malloc_trim(0);
	f0 = faults();
	t0 = now_ns();
	if (forecast_run(&z->in, &r, &kind, err, sizeof(err)) != 0) {
		fprintf(stderr, "forecast_engine: %s\n", err);
		exit(1);
	}
	t1 = now_ns() - t0;
	if (z->nruns < (int)(sizeof(z->runs) / sizeof(z->runs[0])))
		z->runs[z->nruns++] = t1;
	if (t1 < z->best) {
		z->best = t1;
		z->faults = faults() - f0;
	}
	sink += r.trust[z->H].closing;
	z->nwarnings = r.nwarnings;
	z->nlines = 0;
	for (size_t i = 0; i < r.nentities; i++)
		z->nlines += r.entities[i].nlines;
	forecast_result_free(&r);
	/* the reference: one bp step per line-year over the same lines */
	t0 = now_ns();
	for (size_t i = 0; i < z->t.n; i++)
		for (size_t j = 0; j < z->t.e[i].nlines; j++) {
			int64_t v = z->t.e[i].lines[j].amount_pence;

			for (int k = 1; k <= z->H; k++)
				if (money_apply_bp(v, z->a.indices[0].bp[k], &v) != 0)
					exit(1);
			sink += v;
		}
	t1 = now_ns() - t0;
	z->ref = t1 < z->ref ? t1 : z->ref;
	if (sink == 42)
		printf("\n");                            /* keeps the loops from being optimised away */
}

static int ns_cmp(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

/* The median of a size's timed runs, ms. */
static double median_ms(struct size *z)
{
	qsort(z->runs, (size_t)z->nruns, sizeof(z->runs[0]), ns_cmp);
	return z->nruns > 0 ? z->runs[z->nruns / 2] / 1e6 : 0;
}

/* Restart a size's timings. */
static void size_reset(struct size *z)
{
	z->best = z->ref = INT64_MAX;
	z->nruns = 0;
}

/*
 * What a fresh 4 KB page costs here, now: 16 MB mapped and touched a page at a
 * time, unmapped, REPEAT times; the best and the median per page, us. Page faults
 * are what a cold run pays for (every page the result touches is one), and on a
 * shared VM their cost moves with the load more than anything else.
 */
static void fault_cost(int repeat, double *best_us, double *median_us)
{
	enum { MB = 16, PAGES = MB * 256 };
	int64_t t[64];
	int n = 0;

	for (int rep = 0; rep < repeat && n < 64; rep++) {
		char *p = mmap(NULL, (size_t)MB << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int64_t t0;

		if (p == MAP_FAILED)
			break;
		(void)madvise(p, (size_t)MB << 20, MADV_NOHUGEPAGE);
		t0 = now_ns();
		for (size_t i = 0; i < (size_t)MB << 20; i += 4096)
			p[i] = 1;
		t[n++] = now_ns() - t0;
		munmap(p, (size_t)MB << 20);
	}
	qsort(t, (size_t)n, sizeof(t[0]), ns_cmp);
	*best_us = n > 0 ? t[0] / 1e3 / PAGES : 0;
	*median_us = n > 0 ? t[n / 2] / 1e3 / PAGES : 0;
}

/* One doubling: time(2n) / time(n) against the 2.2x bound. */
static void doubling(const char *what, const struct size *from, const struct size *to)
{
	double g = ms(to) / ms(from);

	printf("  %-34s %8.2f ms -> %8.2f ms  %5.2fx  %s\n", what, ms(from), ms(to), g, g <= 2.2 ? "ok" : "OVER 2.2x");
}

static struct plugins *load_plugins(void)
{
	struct cfg cfg;
	struct plugins *ps;
	char err[512];

	memset(&cfg, 0, sizeof(cfg));
	cfg.plugin_dir = "plugins";
	cfg.nplugins = 2;
	cfg.plugins[0].name = "local";
	cfg.plugins[0].nsettings = 1;
	cfg.plugins[0].settings[0] = (struct cfg_setting){ "topslice_bp", "500" };
	cfg.plugins[1].name = "central";
	cfg.plugins[1].nsettings = 1;
	cfg.plugins[1].settings[0] = (struct cfg_setting){ "retention_bp", "600" };
	if ((ps = plugin_registry_load(&cfg, err, sizeof(err))) == NULL) {
		fprintf(stderr, "forecast_engine: %s (run from the repository root after make)\n", err);
		exit(1);
	}
	return ps;
}

enum { T_10_5, T_100_5, T_1000_5, T_10_10, T_100_10, T_1000_10, S_125, S_250, S_500, S_2000, L_30, NSIZES };

/*
 * Every size is run once in turn, REPEAT rounds, and each keeps its best: a slow
 * moment of a shared machine then costs every size a round, not one size all of
 * its runs, so the ratios between sizes hold. Before the rounds, each size runs
 * once from the smallest up, for the peak memory after it.
 */
int main(int argc, char **argv)
{
	static struct size z[NSIZES], warm;
	static const struct { size_t schools; int lines, H; } spec[NSIZES] = {
		[T_10_5] = { 10, 60, 5 }, [T_100_5] = { 100, 60, 5 }, [T_1000_5] = { 1000, 60, 5 },
		[T_10_10] = { 10, 60, 10 }, [T_100_10] = { 100, 60, 10 }, [T_1000_10] = { 1000, 60, 10 },
		[S_125] = { 125, 60, 10 }, [S_250] = { 250, 60, 10 }, [S_500] = { 500, 60, 10 },
		[S_2000] = { 2000, 60, 10 }, [L_30] = { 1000, 30, 10 },
	};
	static const int order[NSIZES] = { T_10_5, T_10_10, T_100_5, T_100_10, S_125, S_250, S_500, T_1000_5, L_30,
					   T_1000_10, S_2000 };
	static const int table[] = { T_10_5, T_100_5, T_1000_5, T_10_10, T_100_10, T_1000_10 };
	static const int series[] = { S_125, S_250, S_500, T_1000_10, S_2000 };
	struct plugins *ps = load_plugins();
	struct forecast_rules fr = { forecast_plugin_apply, ps };
	int repeat = argc > 1 ? atoi(argv[1]) : 5;

	if (repeat < 1)
		repeat = 1;
	if (argc > 4) {                              /* one size, for a profiler */
		int nl = atoi(argv[3]), H = atoi(argv[4]);

		if (nl < 20 || nl > MAX_LINES || H < 1 || H > FORECAST_MAX_HORIZON) {
			fprintf(stderr, "forecast_engine: 20..%d lines, 1..%d years\n", MAX_LINES, FORECAST_MAX_HORIZON);
			return 1;
		}
		size_init(&z[0], (size_t)atol(argv[2]), nl, H, &fr);
		if (getenv("BENCH_NO_THP") != NULL && prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) != 0)
			fprintf(stderr, "forecast_engine: PR_SET_THP_DISABLE failed\n");
		for (int rep = 0; rep < repeat; rep++)
			size_run(&z[0], getenv("BENCH_WARM") == NULL);
		printf("%s x %d lines x %d years: %.2f ms (median %.2f), %.1f ns per line-year (ref %.1f); %zu lines, "
		       "%zu warnings, %ld page faults\n", argv[2], nl, H, ms(&z[0]), median_ms(&z[0]), ns(&z[0]),
		       z[0].ref / line_years(&z[0]), z[0].nlines, z[0].nwarnings, z[0].faults);
		trust_free(&z[0].t);
		plugin_registry_free(ps);
		return 0;
	}
	for (int i = 0; i < NSIZES; i++) {
		struct size *x = &z[order[i]];

		size_init(x, spec[order[i]].schools, spec[order[i]].lines, spec[order[i]].H, &fr);
		size_run(x, 1);
		x->peak_mb = peak_mb();
		size_reset(x);                           /* the first run only warms up */
	}
	for (int rep = 0; rep < repeat; rep++)
		for (int i = 0; i < NSIZES; i++)
			size_run(&z[order[i]], 1);
	printf("%-9s %6s %9s %11s %12s %12s %9s %9s %12s\n", "schools", "years", "line-yrs", "engine ms",
	       "ns/line-yr", "ref ns/l-y", "ratio", "growth", "peak RSS MB");
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct size *x = &z[table[i]];
		char growth[16] = "-";

		if (i % 3 > 0)
			snprintf(growth, sizeof(growth), "%.2fx", ns(x) / ns(&z[table[i - 1]]));
		printf("%-9zu %6d %9.0f %11.2f %12.1f %12.1f %9.1f %9s %12.1f\n", x->schools, x->H, line_years(x), ms(x),
		       ns(x), x->ref / line_years(x), ns(x) * line_years(x) / x->ref, growth, x->peak_mb);
	}
	printf("\nthe issue's targets (linear: each doubling at most 2.2x the time)\n");
	printf("%-9s %6s %6s %9s %11s %12s %9s %9s %9s %12s\n", "schools", "lines", "years", "line-yrs", "engine ms",
	       "ns/line-yr", "x prev", "warnings", "faults", "peak RSS MB");
	for (size_t i = 0; i < sizeof(series) / sizeof(series[0]); i++) {
		const struct size *x = &z[series[i]];
		char growth[16] = "-";

		if (i > 0)
			snprintf(growth, sizeof(growth), "%.2fx", ms(x) / ms(&z[series[i - 1]]));
		printf("%-9zu %6d %6d %9.0f %11.2f %12.1f %9s %9zu %9ld %12.1f\n", x->schools, x->lines, x->H,
		       line_years(x), ms(x), ns(x), growth, x->nwarnings, x->faults, x->peak_mb);
	}
	for (size_t i = 1; i < sizeof(series) / sizeof(series[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "schools %zu -> %zu (x 60 x 10)", z[series[i - 1]].schools, z[series[i]].schools);
		doubling(what, &z[series[i - 1]], &z[series[i]]);
	}
	doubling("lines 30 -> 60 (1,000 x _ x 10)", &z[L_30], &z[T_1000_10]);
	doubling("years 5 -> 10 (1,000 x 60 x _)", &z[T_1000_5], &z[T_1000_10]);
	printf("  %-34s %8.2f ms (target under 100 ms)  %s; median of the %d cold runs %.2f ms, %ld page faults\n",
	       "1,000 x 60 x 10", ms(&z[T_1000_10]), ms(&z[T_1000_10]) < 100 ? "ok" : "OVER", z[T_1000_10].nruns,
	       median_ms(&z[T_1000_10]), z[T_1000_10].faults);
	/* the same size warm: runs one after the other, the allocator keeping what it will */
	warm = z[T_1000_10];
	size_reset(&warm);
	for (int rep = 0; rep <= repeat; rep++)
		size_run(&warm, 0);
	printf("  %-34s %8.2f ms, median %.2f ms, %ld page faults (warm: runs back to back, no trim)\n",
	       "1,000 x 60 x 10", ms(&warm), median_ms(&warm), warm.faults);
	/* the same size cold with transparent huge pages refused to the process: 4 KB pages only */
	if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) == 0) {
		warm = z[T_1000_10];
		size_reset(&warm);
		for (int rep = 0; rep < repeat; rep++)
			size_run(&warm, 1);
		printf("  %-34s %8.2f ms, median %.2f ms, %ld page faults (cold, no huge pages: PR_SET_THP_DISABLE)\n",
		       "1,000 x 60 x 10", ms(&warm), median_ms(&warm), warm.faults);
		(void)prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0);
	}
	{
		double best_us, median_us;

		fault_cost(repeat, &best_us, &median_us);
		printf("  %-34s %8.2f us, median %.2f us (16 MB touched a 4 KB page at a time, no huge pages)\n",
		       "a fresh 4 KB page", best_us, median_us);
	}
	for (int i = 0; i < NSIZES; i++)
		trust_free(&z[i].t);
	plugin_registry_free(ps);
	return 0;
}
