/*
 * bfr_build.h - a year's BFR assembled from its sources (not a handler; api_bfr.c
 * renders it): ISSUE17_CONTRACT section 4, README "The BFR".
 *
 * For budget year B and a published forecast run with base year B-1 and a horizon
 * of at least 3 (else 422 query:run), every entity's amounts per account in the
 * BFR's eight periods, then core/bfr.c's lines:
 *   B-2 Sep-Mar, Apr-Aug: the ledger's actuals of B-2 (store_actuals_year), months
 *       1..7 and 8..12;
 *   B-1 Sep-Mar, Apr-Aug: the forecast outturn at `month` taken from monitoring itself
 *       (api/monitor_view.h, the code of GET .../monitoring: each code's outturn months,
 *       i.e. the actual months through month, then the profile's months, an entered
 *       outturn's rest over the remaining months by the profile), split the same way;
 *       without a month, monitoring's default month of B-1 (monitor_view_default_month:
 *       the latest closed one, September when none is);
 *   B Sep-Mar, Apr-Aug: the entity's budget of B split by its lines' months if it has
 *       one, else the run's year B lines split by their accounts' default profiles;
 *   B+1, B+2: the run's lines of those years.
 * So each period's 298 and 380 are the totals (budget_totals) of that source: the
 * actuals, the monitoring outturn, the budget or the run's year B, the run's summary.
 * Pupils: the run's for B-1..B+2 (its census and projections), the October census for
 * B-2. Opening reserves: each entity's of B-2 (school_years), else its B-1 opening less
 * B-2's in-year balance (a warning), else 0 (a warning). The trust: the entities' amounts
 * summed with the internal codes dropped, their pupils and openings summed.
 */
#ifndef BURSAR_API_BFR_BUILD_H
#define BURSAR_API_BFR_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "bfr.h"
#include "budget.h"
#include "http.h"
#include "store_forecasts.h"

enum bfr_period {
	BFR_P_B2_SEP_MAR, BFR_P_B2_APR_AUG, BFR_P_B1_SEP_MAR, BFR_P_B1_APR_AUG, BFR_P_B_SEP_MAR, BFR_P_B_APR_AUG,
	BFR_P_B_PLUS1, BFR_P_B_PLUS2, BFR_NPERIODS
};

/* A period's key ("B-2_sep_mar" ... "B+2"), its year offset from B, part
 * ("sep_mar", "apr_aug", "full"). */
const char *bfr_period_key(enum bfr_period k);
int bfr_period_offset(enum bfr_period k);
const char *bfr_period_part(enum bfr_period k);

struct bfr_scope {
	char urn[8];                             /* a URN, "central", or "trust" */
	const char *name;
	int64_t *amounts;                        /* [period * chart.n + account] */
	int32_t pupils[BFR_NPERIODS];            /* -1 unknown */
	int64_t opening;
	int64_t *out;                            /* [line * BFR_NPERIODS + period] (bfr_compute) */
	struct bfr_unmapped unmapped;
	int b_from_budget;                       /* year B from its budget (1) or the run (0) */
	int64_t b_budget_version;
	const char *explanation;                 /* its note's reserves_explanation, or NULL */
	int64_t note_version;                    /* 0: no note */
};

struct bfr_view {
	int year;                                /* B */
	int month;                               /* the outturn's month of B-1 (1..12) */
	int month_closed;
	int64_t run_id;
	struct store_forecast_rows run;
	struct budget_chart chart;
	int *account_line;
	struct bfr_line_def *lines;
	size_t nlines;
	struct bfr_map map;
	size_t ne;
	struct bfr_scope *e;                     /* the schools by URN, then the central team */
	struct bfr_scope trust;
	cJSON *warnings;                         /* [{"entity","code","message"}] */
	cJSON *pay_awards;                       /* {"teacher_pay_bp": {...}, "support_pay_bp": {...}} */
	struct db_rows *ents, *years, *notes;
};

/*
 * Build v for budget year `year` from run run_id, month (0: monitoring's default month
 * of B-1: the latest closed one, else September) and only (NULL, or a URN: the entities array holds that one; the trust is all).
 * 0, or -1 with the problem set (422 query:run, query:month; 500). bfr_view_free
 * either way (a zeroed v is fine).
 */
int bfr_view_build(struct req *r, int year, int64_t run_id, int month, const char *only, struct bfr_view *v,
		   struct problem *p) __attribute__((warn_unused_result));
void bfr_view_free(struct bfr_view *v);

/* The value of line l (index into v->lines) in period k of scope s. */
int64_t bfr_view_value(const struct bfr_view *v, const struct bfr_scope *s, size_t l, enum bfr_period k);
/* Scope s's year-B closing reserves (430 at B's end) and income (298 over B's two parts). */
void bfr_view_reserves(const struct bfr_view *v, const struct bfr_scope *s, int64_t *closing, int64_t *income);

#endif
