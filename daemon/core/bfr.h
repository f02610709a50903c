/*
 * bfr.h - the budget forecast return (BFR; domain.md section 8, ISSUE17_CONTRACT
 * section 4): an entity's or the trust's BFR lines per period from its amounts per
 * account and period, the accounts' BFR lines (accounts.bfr_line) and the lines
 * (bfr_lines). Pure: no SQL, no HTTP; thread-safe.
 *
 * Periods are the caller's (the BFR's: B-2 Sep-Mar and Apr-Aug, B-1 the same, B the
 * same, B+1 and B+2 whole years), in time order: each period's amounts are in the
 * direction of the account's kind (income received, cost incurred), as budget lines.
 *
 * Lines. An account line (kind line) is the sum of the accounts mapped to it in the
 * period. The internal codes map to no line: an entity's internal income goes on
 * BFR_LINE_INTERNAL_INCOME and its internal expenditure on BFR_LINE_INTERNAL_EXPENDITURE,
 * each less the GAG that only passes through (the expenditure on INT03 and INT06, as
 * budget_net_pass_through nets it); the trust's BFR (drop_internal) leaves them out, so
 * those two lines read 0. A non-internal account with no line, or mapped to a line of
 * the other section, goes on BFR_LINE_OTHER_INCOME / BFR_LINE_OTHER_COSTS and is named in
 * the result's unmapped list (the API warns). So:
 *   298 (total) = the sum of the income section's lines = budget_totals' income,
 *   380 (total) = the sum of the expenditure section's lines = its expenditure,
 * for the same amounts, to the penny (the trust's: with the internal codes dropped).
 *   430 (balance) chains: opening + (298 - 380) of every period up to and including this.
 *   999 (pupils) is the caller's per period (-1: unknown, shown as 0 with known 0).
 */
#ifndef BURSAR_BFR_H
#define BURSAR_BFR_H

#include <stddef.h>
#include <stdint.h>

#include "budget.h"

#define BFR_LINE_INCOME_TOTAL          298
#define BFR_LINE_EXPENDITURE_TOTAL     380
#define BFR_LINE_BALANCE               430
#define BFR_LINE_PUPILS                999
#define BFR_LINE_INTERNAL_INCOME       297
#define BFR_LINE_INTERNAL_EXPENDITURE  379
#define BFR_LINE_OTHER_INCOME          220   /* where an unmapped income account goes */
#define BFR_LINE_OTHER_COSTS           370   /* where an unmapped expenditure account goes */

#define BFR_MAX_LINES    64
#define BFR_MAX_PERIODS  12
#define BFR_LABEL_MAX    200
#define BFR_RESERVES_BP  2000                 /* reserves over 20% of income: explain them */

enum bfr_section { BFR_SECTION_INCOME, BFR_SECTION_EXPENDITURE, BFR_SECTION_BALANCE, BFR_SECTION_PUPILS };
enum bfr_kind { BFR_KIND_LINE, BFR_KIND_TOTAL, BFR_KIND_BALANCE, BFR_KIND_PUPILS };

/* A row of bfr_lines. */
struct bfr_line_def {
	int line_no;
	char label[BFR_LABEL_MAX * 4 + 1];
	enum bfr_section section;
	enum bfr_kind kind;
	int published;
};

/* The lines (in their order: sort) and each chart account's line. */
struct bfr_map {
	const struct bfr_line_def *lines;
	size_t nlines;
	const struct budget_chart *chart;
	const int *account_line;                 /* [chart->n]: the account's line_no, 0 none */
};

/*
 * The lines fit the rules above: at most BFR_MAX_LINES, numbers unique, 298 and 380
 * totals of their sections, 430 the balance, 999 the pupils, 297 / 220 income lines,
 * 379 / 370 expenditure lines; a line of kind line is in the income or expenditure
 * section. NULL when fine, else why.
 */
const char *bfr_map_check(const struct bfr_map *m);

/* The index of line line_no in m->lines, or -1. */
int bfr_line_index(const struct bfr_map *m, int line_no);

/* What bfr_compute found: the accounts with an amount but no line (or a line of the
 * other section), as chart indices, up to BFR_MAX_LINES of them. */
struct bfr_unmapped {
	size_t n;
	size_t account[BFR_MAX_LINES];
};

/*
 * One BFR (an entity's, or the trust's with drop_internal set) over nperiods periods:
 *   amounts[k * chart->n + a]: account a's amount in period k;
 *   pupils[k]: the period's pupils, -1 unknown (NULL: every one unknown);
 *   opening: the revenue reserves at the start of period 0.
 * out[l * nperiods + k] = line l's value in period k (pence; pupils for 999). 0, or -1
 * on overflow or bad arguments (nperiods 0 or over BFR_MAX_PERIODS). u may be NULL.
 */
int bfr_compute(const struct bfr_map *m, size_t nperiods, const int64_t *amounts, const int32_t *pupils,
		int64_t opening, int drop_internal, int64_t *out, struct bfr_unmapped *u)
	__attribute__((warn_unused_result));

/* dst[i] += src[i] for n amounts, the internal accounts' left out when drop_internal
 * (the trust's amounts from its entities'; nperiods periods of chart->n). 0, or -1 on overflow. */
int bfr_amounts_add(const struct bfr_map *m, size_t nperiods, int64_t *dst, const int64_t *src, int drop_internal)
	__attribute__((warn_unused_result));

/* Sums a year's twelve months (1 = September) into Sep-Mar (months 1..7) and Apr-Aug (8..12). */
int bfr_split_year(const int64_t months[12], int64_t *sep_mar, int64_t *apr_aug) __attribute__((warn_unused_result));

/* Whether reserves exceed BFR_RESERVES_BP of income (income <= 0: when reserves > 0). */
int bfr_reserves_over(int64_t reserves, int64_t income);

const char *bfr_section_name(enum bfr_section s);   /* "income", "expenditure", "balance", "pupils" */
const char *bfr_kind_name(enum bfr_kind k);         /* "line", "total", "balance", "pupils" */
/* From the names above: 0, or -1. */
int bfr_section_parse(const char *s, enum bfr_section *out);
int bfr_kind_parse(const char *s, enum bfr_kind *out);

#endif
