/*
 * forecast_engine.c - the forecast engine alone (daemon/forecast.c) on synthetic
 * trusts of 10, 100 and 1,000 schools x 60 lines x 5 and 10 years, with the real
 * finance-rule plugins (plugins/local.so, central.so: half the schools pool GAG,
 * half pay a top-slice) through the plugin registry, as the daemon runs them.
 *
 * Each size is timed as the best of BENCH_REPEAT runs (default 5), next to a
 * reference measured in the same run on the same data: one money_apply_bp per
 * line-year (the least arithmetic a projection can do). Printed: time per run,
 * per line-year, the ratio to the reference, how the time grows with the size,
 * and the process's peak memory after each size.
 *
 * Built and run by tests/bench/forecast.sh (never by make test):
 *   tests/bench/forecast.sh engine
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	{ "E16", "premises", "inflation:energy", 0, 0, 0, 0, 0 },
	{ "E17", "premises", "fixed", 0, 0, 0, 0, 0 },
	{ "E19", "supplies", "pupils_current", 0, 0, 0, 0, 0 },
	{ "E20", "ict", "inflation:cpi", 0, 0, 0, 0, 0 },
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
#define LINES 60

/* The 60 lines of a school: GAG (or the pool allocation), grants, staff, running costs. */
static const char *const costs[] = { "E01", "E02", "E03", "E05", "E12", "E16", "E19", "E20", "CON01" };

struct trust {
	struct forecast_entity_in *e;
	struct forecast_line_in *lines;
	char (*urns)[8];
	size_t n;
};

static void trust_build(struct trust *t, size_t schools)
{
	t->n = schools + 1;
	t->e = calloc(t->n, sizeof(*t->e));
	t->lines = calloc(t->n * LINES, sizeof(*t->lines));
	t->urns = calloc(t->n, sizeof(*t->urns));
	if (t->e == NULL || t->lines == NULL || t->urns == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	for (size_t i = 0; i < t->n; i++) {
		struct forecast_entity_in *e = &t->e[i];
		struct forecast_line_in *l = &t->lines[i * LINES];
		int central = i == schools, pooled = !central && i % 2 == 0;
		int32_t pupils = 300 + (int32_t)(i * 37 % 400);

		memset(e, 0, sizeof(*e));
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
		e->nlines = LINES;
		for (int j = 0; j < LINES; j++) {
			l[j] = (struct forecast_line_in){ .description = "line", .amount_pence = 1000000 + j * 12345 };
			if (central)
				l[j].code = j == 0 ? "I01" : j < 8 ? "I08" : costs[j % 9];
			else if (j == 0)
				l[j].code = pooled ? "INT05" : "I01";
			else if (j < 12)
				l[j].code = (const char *[]){ "I03", "I05", "I06", "I08" }[j % 4];
			else if (j == 12)
				l[j].code = "E17", l[j].excluded = 1;
			else
				l[j].code = costs[j % 9];
		}
		if (central)
			l[0].amount_pence = (int64_t)schools * 2000000000 / 2;
		else if (!pooled)
			l[0].amount_pence = (int64_t)pupils * 600000;
	}
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static long peak_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
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

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 10, 100, 1000 };
	static const int horizons[] = { 5, 10 };
	struct cfg cfg;
	struct plugins *ps;
	struct forecast_rules rules;
	char err[512];
	int repeat = argc > 1 ? atoi(argv[1]) : 5;
	double last_per = 0;

	if (repeat < 1)
		repeat = 1;
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
		return 1;
	}
	rules = (struct forecast_rules){ forecast_plugin_apply, ps };
	printf("%-9s %6s %9s %11s %12s %12s %9s %9s %12s\n", "schools", "years", "line-yrs", "engine ms",
	       "ns/line-yr", "ref ns/l-y", "ratio", "growth", "peak RSS MB");
	for (size_t h = 0; h < sizeof(horizons) / sizeof(horizons[0]); h++) {
		last_per = 0;
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			struct forecast_assumptions a = assume(horizons[h]);
			struct trust t;
			struct forecast_input in;
			int64_t best = INT64_MAX, ref = INT64_MAX;
			double line_years = (double)(sizes[s] + 1) * LINES * horizons[h];
			int64_t sink = 0;

			trust_build(&t, sizes[s]);
			in = (struct forecast_input){ .a = &a, .accounts = chart, .naccounts = NCHART, .entities = t.e,
						      .nentities = t.n, .rules = &rules };
			for (int rep = 0; rep < repeat; rep++) {
				struct forecast_result r;
				enum forecast_error kind;
				int64_t t0 = now_ns(), t1;

				if (forecast_run(&in, &r, &kind, err, sizeof(err)) != 0) {
					fprintf(stderr, "forecast_engine: %s\n", err);
					return 1;
				}
				t1 = now_ns() - t0;
				best = t1 < best ? t1 : best;
				sink += r.trust[horizons[h]].closing;
				forecast_result_free(&r);
				/* the reference: one bp step per line-year over the same lines */
				t0 = now_ns();
				for (size_t i = 0; i < t.n; i++)
					for (size_t j = 0; j < t.e[i].nlines; j++) {
						int64_t v = t.e[i].lines[j].amount_pence;

						for (int k = 1; k <= horizons[h]; k++)
							if (money_apply_bp(v, a.indices[0].bp[k], &v) != 0)
								return 1;
						sink += v;
					}
				t1 = now_ns() - t0;
				ref = t1 < ref ? t1 : ref;
			}
			{
				double per = best / line_years, rper = ref / line_years;
				char growth[16] = "-";

				if (last_per > 0)
					snprintf(growth, sizeof(growth), "%.2fx", per / last_per);
				printf("%-9zu %6d %9.0f %11.2f %12.1f %12.1f %9.1f %9s %12.1f\n", sizes[s], horizons[h],
				       line_years, best / 1e6, per, rper, per / rper, growth, peak_kb() / 1024.0);
				last_per = per;
			}
			if (sink == 42)
				printf("\n");                    /* keeps the loops from being optimised away */
			free(t.e);
			free(t.lines);
			free(t.urns);
		}
	}
	plugin_registry_free(ps);
	return 0;
}
