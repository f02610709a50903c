/* budget_sheet.c - see budget_sheet.h */
#include "budget_sheet.h"

#include <stdio.h>

enum { BS_CODE, BS_ACCOUNT, BS_KIND, BS_DESC, BS_AMOUNT, BS_DRIVER, BS_EXCLUDED, BS_COMPUTED, BS_PROFILE, BS__N };

static const struct table_col budget_sheet_cols[BS__N] = {
	[BS_CODE] = { "code", TABLE_TEXT, 0, 9 },
	[BS_ACCOUNT] = { "account", TABLE_TEXT, TABLE_COL_LOCKED, 36 },
	[BS_KIND] = { "kind", TABLE_TEXT, TABLE_COL_LOCKED, 13 },
	[BS_DESC] = { "description", TABLE_TEXT, 0, 44 },
	[BS_AMOUNT] = { "amount", TABLE_PENCE, 0, 16 },
	[BS_DRIVER] = { "driver", TABLE_TEXT, 0, 16 },
	[BS_EXCLUDED] = { "excluded_from_central", TABLE_TEXT, 0, 0 },
	[BS_COMPUTED] = { "computed", TABLE_TEXT, TABLE_COL_LOCKED, 0 },
	[BS_PROFILE] = { "profile", TABLE_TEXT, 0, 24 },
};

static const char *budget_sheet_kind(enum budget_kind k)
{
	return k == BUDGET_INCOME ? "income" : "expenditure";
}

void budget_sheet_lines(struct table *t, const struct budget *b, const char *const *names)
{
	table_sheet(t, "Budget", budget_sheet_cols, BS__N, TABLE_SHEET_PROTECT);
	for (size_t i = 0; i < b->nlines; i++) {
		const struct budget_line *l = &b->lines[i];
		const struct budget_account *a = l->account;
		size_t k = a != NULL && b->chart != NULL ? (size_t)(a - b->chart->accounts) : 0;

		table_row(t, l->computed ? TABLE_ROW_LOCKED : 0);
		table_text(t, l->code);
		table_text(t, a != NULL && names != NULL ? names[k] : NULL);
		table_text(t, a != NULL ? budget_sheet_kind(a->kind) : NULL);
		table_text(t, l->description);
		table_num(t, l->amount_pence);
		table_text(t, l->driver);
		table_text(t, l->excluded_from_central ? "yes" : NULL);
		table_text(t, l->computed ? "yes" : NULL);
		if (l->has_weights) {
			char w[PROFILE_WEIGHTS_TEXT_MAX];

			profile_weights_format_sep(l->weights, ' ', w, sizeof(w));
			table_text(t, w);
		} else {
			table_text(t, l->profile[0] != '\0' ? l->profile : NULL);
		}
	}
}

/* =SUMPRODUCT(SUMIFS(amounts, codes, each account's code) * (its kind = kind)): the
 * lines of one kind, new rows typed in a spreadsheet included (their kind cell is
 * empty: the chart decides). */
static void budget_sheet_total(struct table *t, const char *label, const char *kind, size_t naccounts,
			       int64_t value)
{
	char f[200];

	snprintf(f, sizeof(f), "=SUMPRODUCT(SUMIFS(Budget!$E:$E,Budget!$A:$A,Accounts!$A$2:$A$%zu)"
		 "*(Accounts!$C$2:$C$%zu=\"%s\"))", naccounts + 1, naccounts + 1, kind);
	table_row(t, TABLE_ROW_BOLD);
	table_text(t, label);
	table_formula(t, f, value);
}

int budget_sheet_workbook(struct table *t, const struct budget *b, const char *const *names,
			  const struct budget_sheet_about *about)
{
	static const struct table_col summary[2] = {
		{ "item", TABLE_TEXT, TABLE_COL_LOCKED, 26 },
		{ "value", TABLE_PENCE, TABLE_COL_LOCKED, 20 },
	};
	static const struct table_col accounts[3] = {
		{ "code", TABLE_TEXT, 0, 9 }, { "name", TABLE_TEXT, 0, 48 }, { "kind", TABLE_TEXT, 0, 13 },
	};
	struct budget_totals tot;
	size_t n = b->chart != NULL ? b->chart->n : 0;
	char num[32];

	if (budget_totals(b, &tot) != 0) {
		table_fail(t);
		return -1;
	}
	budget_sheet_lines(t, b, names);

	table_sheet(t, "Summary", summary, 2, TABLE_SHEET_PROTECT | TABLE_SHEET_NOFILTER);
	table_row(t, 0);
	table_text(t, "entity");
	table_text(t, about->entity);
	table_row(t, 0);
	table_text(t, "urn");
	table_text(t, about->urn);
	table_row(t, 0);
	table_text(t, "year");
	table_text(t, about->year);
	table_row(t, 0);
	table_text(t, "status");
	table_text(t, about->status);
	table_row(t, 0);
	table_text(t, "version");
	snprintf(num, sizeof(num), "%lld", (long long)about->version);
	table_text(t, num);
	budget_sheet_total(t, "income", "income", n, tot.income);
	budget_sheet_total(t, "expenditure", "expenditure", n, tot.expenditure);
	table_row(t, TABLE_ROW_BOLD);
	table_text(t, "in-year balance");
	table_formula(t, "=B7-B8", tot.balance);
	table_row(t, 0);
	table_row(t, 0);
	table_text(t, "notes");
	table_text(t, "Amounts in pounds. Rows marked computed are posted by the finance rules and are "
		   "read-only; the sheet is protected without a password.");

	table_sheet(t, "Accounts", accounts, 3, 0);
	for (size_t i = 0; i < n; i++) {
		const struct budget_account *a = &b->chart->accounts[i];

		table_row(t, 0);
		table_text(t, a->code);
		table_text(t, names != NULL ? names[i] : NULL);
		table_text(t, budget_sheet_kind(a->kind));
	}
	return t->failed ? -1 : 0;
}
