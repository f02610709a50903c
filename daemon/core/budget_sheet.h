/*
 * budget_sheet.h - a budget as a spreadsheet (ISSUE14 contract, section 3), described
 * once as a table (table.h): budget_csv.c writes it as CSV, the API as CSV or XLSX.
 *
 * Sheet "Budget", header on row 1:
 *   code,account,kind,description,amount,driver,excluded_from_central,computed,profile
 * then line i (0-based, in the budget's order) on row i + 2. account (the account's
 * name) and kind are information; computed is "yes" on lines the finance rules post
 * (their rows are locked); excluded_from_central is "yes" or empty; profile is the
 * line's (a name, its own weights separated by spaces, or empty). In XLSX the sheet is protected without a password: computed rows and the account, kind and
 * computed columns are locked, the typed cells editable.
 *
 * The workbook adds sheet "Summary" (entity, URN, year, status, and the totals as
 * formulas over the Budget sheet, holding the API's figures) and sheet "Accounts"
 * (code, name, kind: the chart, for reference). Pure; thread-safe.
 */
#ifndef BURSAR_BUDGET_SHEET_H
#define BURSAR_BUDGET_SHEET_H

#include "budget.h"
#include "table.h"

/* The Budget sheet. names[i] is b->chart->accounts[i]'s name (names NULL, or an entry NULL: blank). */
void budget_sheet_lines(struct table *t, const struct budget *b, const char *const *names);

struct budget_sheet_about {
	const char *entity;                      /* the school's name */
	const char *urn;                         /* "159901" or "central" */
	const char *year;                        /* "2026-27" */
	const char *status;                      /* "draft" ... */
	int64_t version;
};

/* The three sheets. 0, or -1 when the totals overflow (t is then failed). */
int budget_sheet_workbook(struct table *t, const struct budget *b, const char *const *names,
			  const struct budget_sheet_about *about) __attribute__((warn_unused_result));

#endif
