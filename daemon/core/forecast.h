/*
 * forecast.h - the multi-year forecast engine (DESIGN.md "Forecasting"): the
 * drivers, the finance-rule plugins through a callback, reserves, KPIs,
 * warnings and the consolidated trust, for a base year Y0 and a horizon of H
 * years (Y0+1 .. Y0+H). Its parts: forecast.c (the run: input checks, pooled
 * GAG, the lines projected), forecast_setup.c (each entity's lines set up:
 * drivers, services, management actions), forecast_drivers.c (a line's amounts by its driver),
 * forecast_rules.c (the finance rules: the plugins' view, the sink, the
 * postings), forecast_mem.c (the result's memory),
 * forecast_report.c (totals, reserves, KPIs, the trust, warnings),
 * forecast_digest.c (the inputs' digest), forecast_explain.c (explanations),
 * (contracts are priced by price.c, the one pricing function, for the `services` driver).
 *
 * Pure: no I/O, no SQL, no HTTP; thread-safe (no shared state). Everything the
 * engine needs comes in struct forecast_input (borrowed for the call); the
 * result owns its memory. Money is int64 pence, rates basis points, and every
 * rounding is half away from zero through money_muldiv_round, at the steps the
 * design names: a bp factor stays an exact rational over 10^4 (or 10^8 for the
 * product of two) until the step's one rounding.
 *
 * Year indexes: k = 0 is the base year Y0, k = 1..H the forecast years.
 * Census arrays run from Y0-2: index i is the year Y0-2+i (so N[Y0+k] is
 * [k + 2]).
 *
 * Decisions where the design is silent (README "Forecasts" says the same):
 * - A census (or places) value of a year is the latest known at or before that
 *   year: a projection counts for its year, the last census is carried forward;
 *   missing only when nothing is known at or before it (then a pupil ratio is 1).
 * - Lines on internal codes in the base budgets are not projected: the
 *   finance-rule plugins post the internal charges afresh every forecast year.
 * - Pooled GAG. A school whose base budget has the pool allocation (INT05) and no
 *   GAG income is pooled; the GAG the central team budgets for the pooled schools
 *   (its GAG lines) is handed to them, split by funded pupils (the census of
 *   Y0-1; Y0 when missing; equal shares when no school has any) exactly as in
 *   Allocation, so each pooled school projects its own GAG with its own roll and
 *   the `central` plugin pools it back. Every entity's balance is the same as
 *   with the GAG left at the centre; only the gross figures move.
 * - The base year's figures (k = 0) are the budgets as budgeted, internal lines
 *   included: closing[Y0] = opening[Y0] + the budget's balance.
 * - `places` with no places known at all, and `services` with no cost given for
 *   the entity and code, fall back to `fixed` and `inflation:cpi`, with a warning.
 * - `services`: a line is the rest of it indexed by CPI plus its part of the
 *   entity's services cost on the code: S[k] the cost (pence[0] the base year's,
 *   priced like the others), each services line of the entity on the code taking
 *   a share of it pro rata to its base amount (the last the cost less the others'
 *   shares), R[0] = a[0] - share[0], R[k] = round(R[k-1] x (1 + cpi[k])),
 *   a[k] = R[k] + share[k]. A line whose R[0] is below zero (the base budget is
 *   short of the recharge) takes R = 0, and one `services_short` warning per code
 *   says by how much. A cost on a code with no line of the entity is a line of
 *   its own (R = 0: the base budget is short by the whole of S[0]).
 * - Totals: every year of every entity reads as budget.c reads a budget (DESIGN.md
 *   "How an entity's totals read"): income, expenditure and their internal parts
 *   less the GAG that only passes through (INT03 pooled, INT06 allocated:
 *   budget_net_pass_through, the one definition), so a pooled school's income is
 *   its allocation plus its other income in every year, as in its budget. The KPIs
 *   are measured against that income. The trust drops the internal codes.
 * - Warnings, every year from the base year on: an in-year deficit (every entity),
 *   and for the schools and the trust negative closing reserves (a cumulative
 *   deficit: the DfE must be told), else reserves below 5% or above 20% of income.
 *   Not the central team's reserves: they are the trust's central fund against an
 *   income that is mostly internal.
 * - Management actions (struct forecast_action) are lines of their own on their
 *   entity, round(annual x months active / 12) in each forecast year (a month
 *   counts when the action is active on its first day), not indexed; 0 in the
 *   base year.
 * - Staff from posts (struct forecast_staff, `posts`): for an entity the caller
 *   costs by post, each of its base lines on a costed code takes the driver
 *   `posts`: the first line on the code is the costed total in every forecast
 *   year (a[k] = pence[k]), any other line on the code 0; the base year stays
 *   the budget (for a post-planned entity it is already the generated line), and
 *   a `staff_base_differs` warning says by how much it differs from pence[0]. A
 *   costed code with no base line is a line of its own (0 in the base year).
 *   Lines on codes with no costed posts keep their drivers. Which base lines
 *   take `posts`: where the entity has lines generated from posts on the code
 *   (forecast_entity_in.from_posts), those alone (a typed line beside them keeps its driver);
 *   where it has none (planning by line in its budget: a scenario's what-if),
 *   every line on the code. The central team's levy item (levy set, on E08)
 *   takes only its lines generated from posts (its budget's levy and employment
 *   allowance): its typed E08 lines keep their drivers.
 */
#ifndef BURSAR_FORECAST_H
#define BURSAR_FORECAST_H

#include <stddef.h>
#include <stdint.h>

#include "bursar_plugin.h"

#define FORECAST_MAX_HORIZON 10
#define FORECAST_NY (FORECAST_MAX_HORIZON + 1)      /* k = 0 .. H */
#define FORECAST_NC (FORECAST_NY + 2)               /* census from Y0-2 */
#define FORECAST_MAX_INDICES 16
#define FORECAST_INDEX_MAX 20                       /* [a-z0-9_]{1,20} */
#define FORECAST_NO_DATA INT32_C(-1)
#define FORECAST_NO_DATE INT32_MIN
#define FORECAST_PLACE_RATE_DEFAULT INT64_C(1000000)   /* £10,000 a place */
#define FORECAST_BP_MIN (-10000)                    /* -100%: a factor never below zero */
#define FORECAST_RESERVES_LOW_BP 500
#define FORECAST_RESERVES_HIGH_BP 2000
#define FORECAST_PUPILS_FALL_BP 500
#define FORECAST_VERSION "bursar-forecast 2"        /* part of every digest */

/* ---- assumptions -------------------------------------------------------------- */

struct forecast_index {
	char name[FORECAST_INDEX_MAX + 1];       /* "cpi", "energy", "nlw" */
	int32_t bp[FORECAST_NY];                 /* [k] for year Y0+k */
};

/* A scenario resolved for one run: every value per year (scenario.c fills it). */
struct forecast_assumptions {
	int base_year;                           /* 2026 = 2026-27 */
	int horizon;                             /* 1..FORECAST_MAX_HORIZON */
	int32_t funding_bp[FORECAST_NY];
	int64_t place_rate_pence[FORECAST_NY];
	int32_t teacher_pay_bp[FORECAST_NY];     /* September awards */
	int32_t support_pay_bp[FORECAST_NY];     /* April awards */
	int32_t teacher_oncost_bp[FORECAST_NY];  /* April changes, % of the line */
	int32_t support_oncost_bp[FORECAST_NY];
	int32_t retender_bp[FORECAST_NY];
	size_t nindices;
	struct forecast_index indices[FORECAST_MAX_INDICES];
	int32_t base_support_pay_bp;             /* the base year's own April changes */
	int32_t base_teacher_oncost_bp;
	int32_t base_support_oncost_bp;
	/* April changes of the base year that its budgets do not include (a pension rise
	 * announced after they were set): E[Y0] carries them, so every forecast year does;
	 * the base year stays the budget as set, and a warning says what April-August costs */
	int32_t base_teacher_oncost_unbudgeted_bp;
	int32_t base_support_oncost_unbudgeted_bp;
};

/* The slot of an index by name, or -1 (an index with no assumption is 0%). */
int forecast_index_slot(const struct forecast_assumptions *a, const char *name);

/* ---- drivers -------------------------------------------------------------------- */

enum forecast_driver {
	FD_FIXED, FD_FUNDING, FD_PUPILS, FD_PUPILS_CURRENT, FD_PLACES, FD_INFLATION,
	FD_TEACHER_PAY, FD_SUPPORT_PAY, FD_SERVICES,
	FD_RULES,                                /* a finance-rule plugin's posting */
	FD_ACTION,                               /* a management action's line */
	FD_POSTS,                                /* a staff code costed from the entity's posts */
};

/* "inflation:cpi" -> FD_INFLATION and "cpi" (index >= FORECAST_INDEX_MAX + 1 bytes,
 * may be NULL). 0, or -1 when s is not a driver. */
int forecast_driver_parse(const char *s, enum forecast_driver *d, char *index);
const char *forecast_driver_name(enum forecast_driver d);   /* "teacher_pay", "rules" */

/* ---- input ---------------------------------------------------------------------- */

/* An account of the chart (accounts). */
struct forecast_account {
	const char *code;
	const char *group;                       /* reporting group: gag, dfe_grants, ..., teaching_staff, internal */
	const char *driver;                      /* its default driver */
	int is_income, is_gag, is_teacher, is_support, is_internal;
};

/* A line of a base-year budget. */
struct forecast_line_in {
	const char *code;
	const char *description;
	int64_t amount_pence;
	const char *driver;                      /* the line's override; NULL or "": the account's */
	int excluded;                            /* excluded_from_central */
};

struct forecast_entity_in {
	const char *urn;                         /* six digits, or BURSAR_CENTRAL */
	const char *name;
	const char *model;                       /* finance_model ("" none); the central team has none */
	int is_central;
	int selected;                            /* forecast it; an entity not selected only lends its
						  * base budget to the pooled-GAG split */
	int32_t pupils[FORECAST_NC];             /* census by year from Y0-2 (projections merged in);
						  * FORECAST_NO_DATA when unknown */
	int32_t places[FORECAST_NC];
	int has_opening;
	int64_t opening_pence;                   /* opening revenue reserves of Y0 */
	const char *budget_status;               /* "approved", "draft", ...: a warning unless approved; NULL: none */
	const struct forecast_line_in *lines;
	size_t nlines;
	/* [nlines]: 1 where the line was generated from posts (a budget's computed line on a
	 * code that is not internal: its staff lines, the central team's levy and employment
	 * allowance); NULL: none was */
	const unsigned char *from_posts;
};

/* What the `services` driver books: an entity's cost on an account code per year
 * (its share of the traded services, or a core service's cost at the centre). */
struct forecast_service {
	const char *urn;
	const char *code;
	int64_t pence[FORECAST_NY];              /* [k], k = 0..H: [0] the base year's, priced the same way */
	const char *label;                       /* one line for the explanation */
};

/* What the `posts` driver books: an entity's posts costed on one staff code for
 * each year (the caller's costing: core/staffing.c over the posts with a
 * scenario's actions, awards and rate changes), only for an entity planning
 * its staff by post. pence = pay + ni + pension; posts and fte_h are those
 * active in the year (FTE on 1 September, or at a post's start). */
struct forecast_staff {
	const char *urn;
	const char *code;
	int64_t pence[FORECAST_NY];              /* [k], k = 0..H: [0] the base year's */
	int64_t pay[FORECAST_NY], ni[FORECAST_NY], pension[FORECAST_NY];
	int32_t posts[FORECAST_NY], fte_h[FORECAST_NY];
	/* the central team's apprenticeship levy and employment allowance (code E08) from
	 * every entity's posts: pence = levy + allowance (allowance <= 0), pay the trust's
	 * pay bill of the year; ni, pension, posts, fte_h 0 */
	int levy;
	int64_t levy_pence[FORECAST_NY], allowance_pence[FORECAST_NY];
};

/* A contract of the register, for the "ends inside the horizon" warning. */
struct forecast_contract {
	const char *reference;
	const char *urn;                         /* the entity (BURSAR_CENTRAL for trust-wide) */
	int32_t final_end;                       /* last possible end; FORECAST_NO_DATE: none */
	int auto_renew;
};

/* A plugin as the digest records it. */
struct forecast_plugin_id {
	const char *name, *version;
	const struct bursar_settings *settings;
};

/* One internal charge or allocation reported by a plugin (copied by the engine). */
struct forecast_posting {
	const char *payer, *payer_account, *payee, *payee_account;
	int64_t amount_pence;
	const char *basis;
	int64_t base_pence;
	int32_t rate_bp;                         /* -1: none */
	const char *explanation;
};

struct forecast_sink;                        /* the engine's side of a rules call */

/* Report a posting (copied); 0, or -1: stop and return -1. */
int forecast_sink_post(struct forecast_sink *s, const struct forecast_posting *p)
	__attribute__((warn_unused_result));
/* Report a warning the plugin found (copied). */
void forecast_sink_warn(struct forecast_sink *s, const char *message);

/*
 * The finance rules, supplied by the caller (the daemon: plugin_apply_year):
 * run the model `model` over y (the schools under it, sorted by URN; the
 * central team is BURSAR_CENTRAL) and report through the sink. 0, or -1 with a
 * message in err (the run fails).
 */
struct forecast_rules {
	int (*apply_year)(void *arg, const char *model, const struct bursar_year *y, struct forecast_sink *sink,
			  char *err, size_t errlen);
	void *arg;
};

/* A dated line change (a scenario's management action). */
struct forecast_action {
	const char *urn;                         /* entity (BURSAR_CENTRAL allowed) */
	const char *code;                        /* account code of the chart (not internal) */
	int32_t from;                            /* first day it applies (days since 1970-01-01) */
	int32_t to;                              /* last day, FORECAST_NO_DATE: open-ended */
	int64_t annual_pence;                    /* change per full year; negative = a saving on a cost */
	const char *note;                        /* shown in the line's description */
};

struct forecast_input {
	const struct forecast_assumptions *a;
	const struct forecast_account *accounts;
	size_t naccounts;
	const struct forecast_entity_in *entities;   /* sorted by URN; exactly one is_central */
	size_t nentities;
	int have_services;                       /* 0: the services data is not available at all */
	const struct forecast_service *services;
	size_t nservices;
	const struct forecast_contract *contracts;
	size_t ncontracts;
	const struct forecast_plugin_id *plugins;    /* the models the run uses, for the digest */
	size_t nplugins;
	const struct forecast_rules *rules;      /* NULL: no finance rules */
	const struct forecast_action *actions;   /* management actions, in the scenario's order */
	size_t nactions;
	const struct forecast_staff *staff;      /* staff costed from posts (entities planning by post) */
	size_t nstaff;
	const char *staff_basis;                 /* what they were costed from, for the digest (the
						  * caller's text: posts, scales, rates, actions); NULL: none */
};

/* ---- result --------------------------------------------------------------------- */

struct forecast_totals {
	int64_t income, expenditure, balance;    /* every line, pass-through netted; balance = income - expenditure */
	int64_t internal_income, internal_expenditure;   /* lines on internal codes, pass-through netted */
	int64_t pass_through;                    /* the GAG passed through (INT03, INT06) netted out of those */
	int64_t staff;                           /* staff groups (the contingency is not one) */
	int64_t contingency;
	int64_t non_staff;                       /* external expenditure - staff */
	int64_t central_charges;                 /* internal expenditure - internal income */
	int64_t kpi_income;                      /* = income (kept for the runs' store) */
	int64_t opening, closing;
	int has_kpis;                            /* 0 when kpi_income <= 0 */
	int64_t staff_bp, reserves_bp, balance_bp;
	int32_t pupils;                          /* the year's census; FORECAST_NO_DATA */
};

enum forecast_origin {
	FO_BUDGET,                               /* a line of the base budget */
	FO_POOLED_GAG,                           /* the central team's GAG for this pooled school */
	FO_SERVICE,                              /* a service cost with no base line */
	FO_POSTING,                              /* a plugin's posting, in one year */
	FO_ACTION,                               /* a management action (FD_ACTION) */
	FO_STAFF,                                /* staff costed from posts on a code with no base line */
};

/* The side record of a line that needs more than the amounts (struct forecast_line's x):
 * a services line with a cost, a pooled GAG line. */
struct forecast_line_x {
	/* FD_SERVICES with a cost (FO_SERVICE always): the cost and this line's share of it
	 * (num/den, pro rata to the base amounts of the entity's services lines on the code;
	 * the last of them, service_rest, takes what is left, so they add up to the cost);
	 * NULL: none (the line follows CPI) */
	const struct forecast_service *service;
	int64_t service_num, service_den;
	int64_t short_pence;                     /* how far a[0] fell short of e[0] (R[0] < 0, taken as 0) */
	int service_rest;
	int32_t pool_weight, pool_weights;       /* FO_POOLED_GAG: funded pupils, this school's and all */
	int64_t pool_total;                      /* FO_POOLED_GAG: the central team's line */
	/* FD_POSTS: the code's costed posts; the entity's first line on the code carries
	 * them (staff_first), any other line on it is 0 in the forecast years */
	const struct forecast_staff *staff;
	int staff_first;
	int64_t staff_base;                      /* the entity's base lines on the code, summed */
};

/* A plugin's posting, shared by its payer's and payee's lines (FO_POSTING). */
struct forecast_post {
	const char *plugin, *basis, *text;       /* text: the plugin's explanation */
	int64_t base_pence;
	int32_t rate_bp;                         /* -1: none */
};

/* A line (kept small: a trust of 1,000 schools over ten years has ~90,000 of them,
 * and every page of them is a page fault in a fresh process: what few lines need is
 * in a side record, x or post). */
struct forecast_line {
	const struct forecast_account *account;
	const char *description;                 /* borrowed from the input, or the result's own */
	int64_t *a;                              /* [0..H] (FO_POSTING: only [k] is set; a posting's
						  * two lines share it) */
	const char *index_name;                  /* FD_INFLATION, pupils_current, CPI fallbacks: the
						  * index's name ("cpi"; the assumptions' or the result's
						  * own); else "" */
	union {
		struct {                         /* every origin but FO_POSTING */
			/* teacher_pay, support_pay: M[k], E[k]; services with a cost: the rest
			 * of the line R[k] in m, this line's part of the cost in e (a = m + e);
			 * else NULL */
			int64_t *m, *e;
		};
		struct {                         /* FO_POSTING */
			const char *counterparty;        /* the other entity's URN */
			const struct forecast_post *post;
		};
	};
	union {
		/* FO_BUDGET, FO_SERVICE, FO_POOLED_GAG: NULL, or the line's side record
		 * (services with a cost, pooled GAG: forecast_line_service reads it) */
		struct forecast_line_x *x;
		const struct forecast_action *action;    /* FO_ACTION */
	};
	int16_t index;                           /* FD_INFLATION (and fallbacks): the index slot, -1: none */
	int16_t k;                               /* FO_POSTING: its year; else 0 */
	uint8_t origin;                          /* enum forecast_origin */
	uint8_t driver;                          /* enum forecast_driver */
	unsigned char fallback;                  /* services -> inflation:cpi, places -> fixed */
	unsigned char excluded;
};

/* A services line's cost (FD_SERVICES with a cost, FO_SERVICE), or NULL. */
static inline const struct forecast_service *forecast_line_service(const struct forecast_line *l)
{
	return l->origin != FO_POSTING && l->origin != FO_ACTION && l->x != NULL ? l->x->service : NULL;
}

struct forecast_entity {
	const struct forecast_entity_in *in;
	int32_t n[FORECAST_NC];                  /* the census resolved (carried forward) */
	int32_t places[FORECAST_NC];
	size_t nlines, cap;
	struct forecast_line *lines;             /* in the result's memory (r->mem) */
	const struct forecast_account **base_accounts;   /* the account of each base line (in->lines) */
	struct forecast_totals t[FORECAST_NY];   /* [0]: the budget as budgeted */
};

struct forecast_trust_line {
	const struct forecast_account *account;
	int64_t a[FORECAST_NY];
};

struct forecast_mem;                         /* the result's memory (forecast_mem.c) */

#define FORECAST_WARNING_MAX 400             /* a message's bytes, its NUL included */

struct forecast_warning {
	char urn[8];                             /* "" for the run as a whole, "trust" for the consolidation */
	int year;                                /* academic year, or 0 */
	char code[32];
	const char *message;                     /* the result's own (its memory), < FORECAST_WARNING_MAX bytes */
};

struct forecast_result {
	int base_year, horizon;
	const struct forecast_assumptions *a;
	size_t nentities;                        /* the selected entities, in input order */
	struct forecast_entity *entities;        /* in mem, as their lines and the warnings */
	struct forecast_totals trust[FORECAST_NY];
	size_t ntrust_lines;                     /* by account, in chart order, internal codes dropped */
	struct forecast_trust_line *trust_lines;
	size_t nwarnings, capw;
	struct forecast_warning *warnings;
	char digest[65];                         /* SHA-256 of the inputs, hex */
	struct forecast_mem *mem;                /* the entities, lines, amounts, warnings and strings
						  * (forecast_mem.c) */
};

enum forecast_error { FORECAST_ERR_INPUT = 1, FORECAST_ERR_NOMEM = 2 };

/*
 * Run the forecast. The result borrows from the input (entities, accounts,
 * descriptions, services): keep the input alive while the result is used.
 * 0 with *r filled (free with forecast_result_free), or -1
 * with *r empty and a message in err: FORECAST_ERR_INPUT (bad input, a plugin
 * that failed, amounts out of range) or FORECAST_ERR_NOMEM in *kind.
 */
int forecast_run(const struct forecast_input *in, struct forecast_result *r, enum forecast_error *kind,
		 char *err, size_t errlen) __attribute__((warn_unused_result));
void forecast_result_free(struct forecast_result *r);    /* NULL ok */

/*
 * Only the finance rules of the base year Y0: each model's struct bursar_year is
 * built from the base budgets exactly as forecast_run builds a forecast year's
 * (selected schools under the model, pooled GAG handed out, funded pupils the
 * census of Y0-1), and in->rules->apply_year is called once per model with it.
 * Nothing is projected and no result is kept: the rules' arg collects what it
 * needs (postings sent to the sink are dropped). in->a needs only base_year and
 * a horizon of 1..FORECAST_MAX_HORIZON. 0, or -1 with a message in err and
 * *kind set, as forecast_run.
 */
int forecast_rules_base(const struct forecast_input *in, enum forecast_error *kind, char *err, size_t errlen)
	__attribute__((warn_unused_result));

#endif
