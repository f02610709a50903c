/*
 * fuzz_xlsx.c - libFuzzer target for the XLSX budget import: daemon/base/xlsxread.c
 * (libzip from memory, expat SAX) under daemon/base/budget_xlsx.c and the row
 * checks of daemon/core/budget_rows.c.
 *
 * Any input must be either refused with a status (415 not a zip, 422 not a workbook
 * or bad rows, 400 broken XML, 413 past a limit; 500 only when out of memory) or
 * accepted; what is accepted must hold only known, active codes, amounts within
 * +-GBP 1bn and descriptions that pass the entry check. The limits are small so a
 * zip bomb in the corpus is refused quickly. Seeds: tests/fuzz/corpus/fuzz_xlsx
 * (minimal workbooks, written by tests/fuzz/corpus/make_xlsx_seeds.py).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "budget_xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct budget_account fuzz_accounts[] = {
	{ 1, "I01", "gag", BUDGET_INCOME, 1, 0, 1 },
	{ 2, "E01", "teaching_staff", BUDGET_EXPENDITURE, 0, 0, 1 },
	{ 3, "E16", "premises", BUDGET_EXPENDITURE, 0, 0, 1 },
	{ 4, "E18", "premises", BUDGET_EXPENDITURE, 0, 0, 0 },
	{ 5, "INT05", "internal", BUDGET_INCOME, 0, 1, 1 },
};
static const struct budget_chart fuzz_chart = { sizeof(fuzz_accounts) / sizeof(fuzz_accounts[0]), fuzz_accounts };
static const struct xlsx_limits fuzz_limits = { 64, 1 << 20, 10000, 32 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct budget b;
	struct problem *p = calloc(1, sizeof(*p));

	budget_init(&b, BUDGET_MAINSTREAM, &fuzz_chart);
	if (p == NULL)
		goto out;
	if (budget_xlsx_parse(data, size, &fuzz_limits, &b, p) != 0) {
		if (p->status != 400 && p->status != 413 && p->status != 415 && p->status != 422 && p->status != 500)
			abort();
		goto out;
	}
	if (p->nerrors != 0 || b.nlines > BUDGET_MAX_LINES)
		abort();
	for (size_t i = 0; i < b.nlines; i++)
		if (b.lines[i].account == NULL || !b.lines[i].account->active ||
		    !budget_amount_ok(b.lines[i].amount_pence) ||
		    budget_check_description(b.lines[i].description) != NULL)
			abort();
out:
	budget_clear(&b);
	free(p);
	return 0;
}
