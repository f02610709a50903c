/*
 * monitor_view.h - a year's monitoring of every entity and the trust, at a month (ISSUE17_CONTRACT
 * section 3; README "Monitoring"). Not a handler: the monitoring and management-accounts handlers
 * and the BFR (B-1's outturn) call it, so they agree to the penny.
 *
 * Assembled from every entity's budget with each line's months (budget_months.h: the budget as
 * its GET shows it, computed lines included), the ledger's actuals and commitments
 * (store_actuals_year), the closed periods, the entered outturns, the month's variance comments
 * and the opening reserves (store_monitoring.h). Per entity, one code per account of the chart
 * that has a budget line, an actual, a commitment or an outturn (chart order); each code's
 * figures by core/monitoring.c at month `to`. Totals of every column through monitoring_totals
 * (budget_totals: pass-through netted).
 *
 * The trust: the entities' codes summed, internal codes dropped (consolidation), so the trust's
 * outturn months are the sum of the entities'. Reserves: the opening reserves of the year
 * (school_years; an entity without: null, and its closing ones null), the closing ones opening +
 * the budget's balance and + the outturn's balance; the trust's the sum of the entities' that
 * have one (null when none has). KPIs (of the outturn; null when its income is not above zero):
 * staff costs, closing reserves and the in-year balance as basis points of income.
 *
 * Request-free (the caller's connection and plugins). Thread: as db.h.
 */
#ifndef BURSAR_MONITOR_VIEW_H
#define BURSAR_MONITOR_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "budget.h"
#include "budget_months.h"
#include "db.h"
#include "monitoring.h"
#include "plugin.h"
#include "problem.h"
#include "store_monitoring.h"

/* One code of one entity (or of the trust). */
struct monitor_code {
	const struct budget_account *account;    /* into the view's chart */
	const char *name;                        /* the account's name ("" when unknown) */
	int64_t budget;
	int64_t profile[MONITORING_MONTHS];      /* the budget's lines on the code, split */
	int64_t actual[MONITORING_MONTHS];
	int64_t commitment[MONITORING_MONTHS];
	int has_outturn;                         /* an entered outturn (never for the trust) */
	int64_t outturn_entered;
	const cJSON *outturn;                    /* its image (borrowed from the view), or NULL */
	const cJSON *comment;                    /* the month's comment's image, or NULL */
	struct monitoring_line m;                /* at the view's month; m.outturn_months for the BFR */
};

struct monitor_totals {
	struct budget_totals budget, profile_to_date, actual_to_date, outturn;
};

struct monitor_reserves {
	int known;                               /* 0: no opening reserves: all three null */
	int64_t opening, closing_budget, closing_outturn;
};

struct monitor_kpis {
	int has_staff, has_reserves, has_balance;
	int64_t staff_bp, reserves_bp, balance_bp;
};

struct monitor_entity {
	char urn[8];                             /* "159901", "central"; "trust" for the trust */
	const char *name;
	enum budget_entity kind;
	int has_budget;
	const char *status;                      /* the budget's status; "" without */
	int64_t version;
	size_t n;
	struct monitor_code *codes;
	struct monitor_totals t;
	struct monitor_reserves r;
	struct monitor_kpis k;
};

struct monitor_view {
	int year;
	int to;                                  /* the month (1..12) through which actuals count */
	int closed[MONITORING_MONTHS];
	struct year_months ym;                   /* owns the chart the codes point into */
	char **names;                            /* the chart's account names */
	size_t n;                                /* as ym: schools by URN, then central */
	struct monitor_entity *e;
	struct monitor_entity trust;
	struct store_monitoring_note *outturns, *comments;
	size_t noutturns, ncomments;
};

/* The monitoring of year at month to (1..12). 0, or -1 with the problem set; free with
 * monitor_view_free either way. */
int monitor_view_load(struct db *db, const struct plugins *ps, int year, int to, struct monitor_view *v,
		      struct problem *p) __attribute__((warn_unused_result));
void monitor_view_free(struct monitor_view *v);   /* NULL ok */
/* urn's entity ("central" for the central team), or NULL. */
const struct monitor_entity *monitor_view_entity(const struct monitor_view *v, const char *urn);

/* The latest closed month of year (1..12), or 1 (September) when none is closed. */
int monitor_view_default_month(const int closed[MONITORING_MONTHS]);
/* The month a request asks for: month ("2026-11"; 422 query:month when malformed), or when NULL
 * the default month of the year today falls in. 0, or -1 with the problem set. */
int monitor_view_month(struct db *db, int32_t today, const char *month, int *year, int *to, struct problem *p)
	__attribute__((warn_unused_result));
/* {"year":"2026-27","month":"2026-11","closed":bool} members into o. 0, or -1 out of memory. */
int monitor_view_head(cJSON *o, const struct monitor_view *v);

/* JSON of the contract: a line {"account_code","account_name","kind","group","budget_pence",...,
 * "full_year_variance_pence","full_year_favourable"}; totals {"budget":T,"profile_to_date":T,
 * "actual_to_date":T,"outturn":T,"full_year_variance":T,"full_year_favourable":{"income",
 * "expenditure","balance","staff"}} (monitoring_totals_variance); reserves; kpis. NULL when out
 * of memory or on overflow. */
cJSON *monitor_view_line_json(const struct monitor_code *c, int with_notes);
cJSON *monitor_view_totals_json(const struct monitor_totals *t);
cJSON *monitor_view_reserves_json(const struct monitor_reserves *r);
cJSON *monitor_view_kpis_json(const struct monitor_kpis *k);
/* The lines of e as an array. */
cJSON *monitor_view_lines_json(const struct monitor_entity *e, int with_notes);

/* e's totals of the profile and the actuals to the end of each month of the year (what the chart of
 * actual against profile draws, cumulative; month m's are the totals GET .../monitoring?month=m
 * gives), through monitoring_totals. The actuals only up to the view's month (has_actual). */
struct monitor_month {
	struct budget_totals profile_to_date, actual_to_date;
	int has_actual;
};
/* 0, or -1 out of memory or on overflow. */
int monitor_view_months(const struct monitor_view *v, const struct monitor_entity *e,
			struct monitor_month out[MONITORING_MONTHS]) __attribute__((warn_unused_result));
/* [{"month":"2026-09","profile_to_date":T,"actual_to_date":T|null}] x 12; NULL out of memory. */
cJSON *monitor_view_months_json(const struct monitor_view *v, const struct monitor_entity *e);

#endif
