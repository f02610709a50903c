/*
 * budget.h - a budget in memory: its lines against the chart of accounts, totals by
 * kind and by account group, the checks a line must pass on entry, and the findings
 * that decide whether it may be submitted. Pure: no SQL, no HTTP. Thread-safe (no
 * shared state).
 *
 * Signs. An amount is in pence, positive in the direction of its account's kind:
 * income received on an income code, a cost on an expenditure code. A negative amount
 * is a credit against that account (a rebate on a cost, a clawback of income) and is
 * fine while the account's total in the budget stays at or above zero; an account that
 * nets below zero is an expenditure line that is really income (or the reverse), an
 * error on submit.
 *
 * Computed lines. Every internal code (is_internal: INT01..INT06) is posted by the
 * entity's finance-rules plugin, never typed: budget_check_account refuses it on
 * entry, and a line with `computed` set (api/computed.c adds them) is one.
 *
 * Pass-through (DESIGN.md "How an entity's totals read"). A pooled school's GAG is
 * its income (I01), pooled out to the trust (INT03) and partly returned (INT05); the
 * central team receives the pooled GAG (INT04) and allocates it on (INT06). The
 * totals net each pass-through pair: income, expenditure and their internal parts
 * are less the pass-through expenditure (INT03, INT06), so a pooled school's income
 * reads as its allocation plus its other income, and the central team's as what it
 * keeps; the balance is the same either way. The groups stay gross.
 *
 * GAG. A school's GAG is its lines on GAG accounts (is_gag: I01, and I01P place
 * funding) plus its allocation from the pool (BUDGET_POOL_ALLOCATION_CODE, INT05)
 * less what it pooled (INT03): for a pooled school, its allocation.
 *
 * Staff costs are the expenditure of the staff groups (teaching_staff, support_staff,
 * other_staff); the contingency code (group "contingency") is not one of them. Staff
 * costs are measured against the (netted) income, so the central team's figure is
 * about what it keeps.
 */
#ifndef BURSAR_BUDGET_H
#define BURSAR_BUDGET_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "profile.h"

#define BUDGET_CODE_MAX      8               /* accounts.code */
#define BUDGET_GROUP_MAX     24              /* accounts.grp */
#define BUDGET_DESC_MAX      200             /* characters */
#define BUDGET_DRIVER_MAX    32
#define BUDGET_MAX_LINES     20000           /* keeps an audit row (before + after) well under max_allowed_packet */
#define BUDGET_MAX_COMPUTED  8192            /* computed lines beyond the typed ones: 2 a school at most */
#define BUDGET_MAX_GROUPS    32
#define BUDGET_MAX_FINDINGS  100

#define BUDGET_POOL_ALLOCATION_CODE "INT05"  /* GAG allocation from the pool (income) */
#define BUDGET_POOLED_CODE          "INT03"  /* GAG pooled to the trust (expenditure) */
#define BUDGET_CONTINGENCY_CODE     "CON01"

/* Staff costs outside [low, high] basis points of income are a warning. */
#define BUDGET_STAFF_LOW_BP   6000
#define BUDGET_STAFF_HIGH_BP  9000

enum budget_kind { BUDGET_INCOME, BUDGET_EXPENDITURE };

/* What the entity is: the GAG rule applies to mainstream schools. */
enum budget_entity { BUDGET_MAINSTREAM, BUDGET_SPECIAL, BUDGET_CENTRAL };

/* One account of the chart (a row of accounts). */
struct budget_account {
	int64_t id;
	char code[BUDGET_CODE_MAX + 1];
	char group[BUDGET_GROUP_MAX + 1];
	enum budget_kind kind;
	int is_gag;
	int is_internal;
	int active;
};

/* The chart of accounts; the caller owns the array. */
struct budget_chart {
	size_t n;
	struct budget_account *accounts;
};

/* The account with this code (compared without regard to case), or NULL. */
const struct budget_account *budget_chart_find(const struct budget_chart *c, const char *code);
/* The account with this id, or NULL. */
const struct budget_account *budget_chart_by_id(const struct budget_chart *c, int64_t id);

struct budget_line {
	int64_t id;                              /* 0: a new line */
	const struct budget_account *account;    /* NULL: the code is not in the chart */
	char code[BUDGET_CODE_MAX + 1];          /* as given (kept for unknown codes) */
	char *description;                       /* owned by the budget; never NULL once set */
	int64_t amount_pence;
	char driver[BUDGET_DRIVER_MAX + 1];      /* "": the account's default driver */
	int excluded_from_central;
	int computed;                            /* 1: posted by the finance rules (INT01...), read-only */
	size_t row;                              /* the spreadsheet row it was read from (an import); 0: none */
	char *explanation;                       /* a computed line's explanation (owned), else NULL */
	int has_staff;                           /* a generated staff line (api/staff_lines.c): staff set */
	struct budget_line_staff {
		int64_t pay, ni, pension;        /* its posts' pay, employer NI and pension */
		int32_t posts, fte_h;            /* posts active in the year, their FTE */
	} staff;
	/* Its monthly profile (README "Profiles"; api/budget_months.h splits it): a named one, or
	 * its own weights, or neither (the account's default); months: a generated staff line's
	 * months frozen at submit (budget_lines.months_pence), summing to amount_pence. */
	char profile[PROFILE_NAME_MAX + 1];      /* "": none named */
	int has_weights;
	int32_t weights[PROFILE_MONTHS];
	int has_months;
	int64_t months[PROFILE_MONTHS];
};

struct budget {
	enum budget_entity entity;
	const struct budget_chart *chart;        /* borrowed; the lines point into it */
	size_t nlines, cap;
	struct budget_line *lines;
};

/* What an entity is from its schools row: kind "central" is the central team, phase
 * "special" a special school, anything else (NULL included) a mainstream school. */
enum budget_entity budget_entity_of(const char *kind, const char *phase);

void budget_init(struct budget *b, enum budget_entity entity, const struct budget_chart *chart);
/* Frees the lines and their descriptions; b can be used again. NULL ok. */
void budget_clear(struct budget *b);
/*
 * Append a line: code looked up in the chart (account NULL when unknown), the
 * description copied. NULL when out of memory or at BUDGET_MAX_LINES.
 */
struct budget_line *budget_add_line(struct budget *b, const char *code, const char *description,
				    int64_t amount_pence);
/* The same for a computed line (computed set): up to BUDGET_MAX_COMPUTED beyond
 * BUDGET_MAX_LINES, which counts the typed lines. */
struct budget_line *budget_add_computed_line(struct budget *b, const char *code, const char *description,
					     int64_t amount_pence);
/* Remove b's computed lines, keeping the typed ones in order. */
void budget_strip_computed(struct budget *b);

/* ---- checks on entry (JSON and CSV alike); NULL when fine, else a message ---- */

/* At most BUDGET_DESC_MAX characters of UTF-8, no control characters, no mojibake
 * (textenc_mojibake: "Â£" for "£"; that message names what it found and lives in a
 * per-thread buffer until the next call). */
const char *budget_check_description(const char *s);
/* A forecast driver (DESIGN.md "Drivers"): fixed, funding, pupils, pupils_current,
 * places, teacher_pay, support_pay, services, or inflation:<index> ([a-z0-9_]{1,20}). */
const char *budget_check_driver(const char *s);
/* Known, active and not internal (computed, never typed); why gets "is not an
 * account code" and such. */
const char *budget_check_account(const struct budget_account *a);
/* Within +-GBP 1bn (MONEY_LINE_MAX). */
int budget_amount_ok(int64_t pence);

/* ---- totals ---- */

struct budget_group_total {
	enum budget_kind kind;
	char group[BUDGET_GROUP_MAX + 1];
	int64_t pence;
};

struct budget_totals {
	int64_t income, expenditure, balance;    /* every line, pass-through netted; balance = income - expenditure */
	int64_t internal_income, internal_expenditure;   /* lines on internal codes, pass-through netted */
	int64_t gag;                             /* GAG lines + the pool allocation - GAG pooled */
	int64_t staff;                           /* staff groups */
	int64_t contingency;                     /* the contingency group */
	int64_t staff_base;                      /* income (netted) */
	int has_staff_bp;                        /* 0 when staff_base <= 0 */
	int64_t staff_bp;                        /* staff / staff_base in basis points, rounded */
	size_t ngroups;                          /* income groups first, each in a fixed order */
	struct budget_group_total groups[BUDGET_MAX_GROUPS];
};

/* GAG that only passes through: pooled to the trust (INT03), allocated on (INT06). */
int budget_is_pass_through_code(const char *code);

/*
 * The pass-through netting, the one definition of an entity's totals (DESIGN.md
 * "How an entity's totals read"; budget_totals and the forecast's totals both
 * call it): pass is the expenditure on the pass-through codes; income,
 * expenditure and their internal parts are each less it. 0, or -1 on overflow
 * (then nothing is changed).
 */
int budget_net_pass_through(int64_t pass, int64_t *income, int64_t *expenditure, int64_t *internal_income,
			    int64_t *internal_expenditure) __attribute__((warn_unused_result));

/* Totals of b's lines (unknown codes are left out). 0, or -1 on overflow. */
int budget_totals(const struct budget *b, struct budget_totals *t) __attribute__((warn_unused_result));

/* {"income_pence", "expenditure_pence", "in_year_balance_pence", ...}; NULL when out of memory. */
cJSON *budget_totals_json(const struct budget_totals *t);
/* [{"kind", "group", "amount_pence"}, ...]; NULL when out of memory. */
cJSON *budget_groups_json(const struct budget_totals *t);

/* ---- findings (submit) ---- */

enum budget_severity { BUDGET_ERROR, BUDGET_WARNING };

struct budget_finding {
	enum budget_severity severity;
	char code[32];                           /* "unknown_account", "staff_costs", ... */
	char field[64];                          /* JSON Pointer into the budget: "/lines/3/account_code" */
	char message[256];
	/* the line it is about, from field "/lines/N/..." (budget_findings_locate): the
	 * spreadsheet row N + 2 (the header is row 1) and the line's id; 0 when not about a line */
	int64_t row;
	int64_t line_id;
};

struct budget_findings {
	size_t n, nerrors, nwarnings, dropped;   /* dropped: past BUDGET_MAX_FINDINGS */
	struct budget_finding items[BUDGET_MAX_FINDINGS];
};

/* Record a finding (the plugins' findings come in here too). */
void budget_finding_add(struct budget_findings *f, enum budget_severity severity, const char *code,
			const char *field, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * The core checks: no lines; unknown or inactive account codes (error); an account
 * that nets below zero (error); no or zero GAG for a mainstream school (error; for a
 * special school a warning); staff costs outside 60-90% of income (warning); an
 * in-year deficit (warning). Appends to f (zero it first). 0, or -1 on overflow.
 */
int budget_validate(const struct budget *b, struct budget_findings *f) __attribute__((warn_unused_result));

/* Who a budget belongs to, for the finance-rule plugins. */
struct budget_context {
	const char *urn;                         /* "159901" or "central" */
	int year;                                /* 2026 = 2026-27 */
	const char *finance_model;               /* "local", "central"; "" for none */
	int32_t pupils;                          /* October census of the budget's year; 0 when unknown */
	int32_t funded_pupils;                   /* the census before (GAG follows the roll a year late); 0 when unknown */
	int32_t places;                          /* high-needs places of the year; 0 when none */
};

/*
 * The finance-rule plugins' hook (issue 6: plugins/bursar_plugin.h, daemon/plugin.c).
 * The submit path calls budget_validate(), then budget_validate_rules() with the same
 * findings list; the validator (api_budgets_flow.c wires budget_plugin.c in) runs
 * the entity's plugin (ctx->finance_model) and reports through budget_finding_add().
 * With rules NULL or no validate function, nothing is added. Returns what validate
 * returns (0 ok; -1 failed: the submit fails with 500 and nothing is written).
 */
typedef int (*budget_rules_fn)(void *arg, const struct budget_context *ctx, const struct budget *b,
			       const struct budget_totals *t, struct budget_findings *f);
struct budget_rules {
	budget_rules_fn validate;
	void *arg;
};
int budget_validate_rules(const struct budget_rules *rules, const struct budget_context *ctx,
			  const struct budget *b, struct budget_findings *f) __attribute__((warn_unused_result));

/* Each finding whose field points into b's lines ("/lines/N" or "/lines/N/...", N <
 * b->nlines) gets row N + 2 and line_id b->lines[N].id (0, shown as null, for a line
 * not yet stored): how a person finds it in the spreadsheet (ISSUE14 contract 5). */
void budget_findings_locate(struct budget_findings *f, const struct budget *b);

/* [{"severity", "code", "field", "row", "line_id", "message"}, ...] of the findings of
 * one severity (or every one when all is set); row and line_id null when not about a
 * line; NULL when out of memory. */
cJSON *budget_findings_json(const struct budget_findings *f, int all, enum budget_severity severity);

const char *budget_kind_name(enum budget_kind k);            /* "income", "expenditure" */
const char *budget_severity_name(enum budget_severity s);    /* "error", "warning" */

#endif
