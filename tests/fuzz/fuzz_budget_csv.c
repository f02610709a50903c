/*
 * fuzz_budget_csv.c - libFuzzer target for the budget spreadsheet parser
 * (daemon/budget_csv.c over libcsv, with money_parse_pounds for the amounts).
 *
 * Any input must be either refused with a problem that has a status and at least
 * one error naming a row, or accepted; what is accepted must hold only known,
 * active codes and amounts within +-GBP 1bn, and writing it and reading it back
 * must give the same lines and, written again, the same bytes.
 *
 * Build and run (clang): see the fuzz target in the Makefile, or by hand
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Idaemon \
 *     $(pkg-config --cflags libcjson) -o tests/fuzz/fuzz_budget_csv tests/fuzz/fuzz_budget_csv.c \
 *     daemon/budget_csv.c daemon/budget.c daemon/money.c daemon/problem.c -lcsv -lcjson -lm
 *   tests/fuzz/fuzz_budget_csv -max_total_time=60 -max_len=4096 var/fuzz-csv
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "budget_csv.h"
#include "money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct budget_account fuzz_accounts[] = {
	{ 1, "I01", "gag", BUDGET_INCOME, 1, 0, 1 },
	{ 2, "I08", "self_generated", BUDGET_INCOME, 0, 0, 1 },
	{ 3, "E01", "teaching_staff", BUDGET_EXPENDITURE, 0, 0, 1 },
	{ 4, "E16", "premises", BUDGET_EXPENDITURE, 0, 0, 1 },
	{ 5, "E18", "premises", BUDGET_EXPENDITURE, 0, 0, 0 },
	{ 6, "E28a", "services", BUDGET_EXPENDITURE, 0, 0, 1 },
	{ 7, "INT05", "internal", BUDGET_INCOME, 0, 1, 1 },
};
static const struct budget_chart fuzz_chart = { sizeof(fuzz_accounts) / sizeof(fuzz_accounts[0]), fuzz_accounts };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct budget a, b;
	struct problem *p = calloc(1, sizeof(*p)), *q = calloc(1, sizeof(*q));
	char *one = NULL, *two = NULL;
	size_t n1, n2;

	budget_init(&a, BUDGET_MAINSTREAM, &fuzz_chart);
	budget_init(&b, BUDGET_MAINSTREAM, &fuzz_chart);
	if (p == NULL || q == NULL)
		goto out;
	if (budget_csv_parse((const char *)data, size, &a, p) != 0) {
		/* refused: always with a status and a reason that names a row */
		if (p->status == 0 || p->nerrors == 0 || strncmp(p->errors[0].field, "row ", 4) != 0)
			abort();
		goto out;
	}
	if (p->nerrors != 0 || a.nlines == 0 || a.nlines > BUDGET_MAX_LINES)
		abort();
	for (size_t i = 0; i < a.nlines; i++)
		if (a.lines[i].account == NULL || !a.lines[i].account->active ||
		    !budget_amount_ok(a.lines[i].amount_pence) ||
		    budget_check_description(a.lines[i].description) != NULL)
			abort();
	if (budget_csv_write(&a, NULL, &one, &n1) != 0)
		goto out;
	if (budget_csv_parse(one, n1, &b, q) != 0 || b.nlines != a.nlines)
		abort();
	for (size_t i = 0; i < a.nlines; i++)
		if (strcmp(a.lines[i].code, b.lines[i].code) != 0 ||
		    strcmp(a.lines[i].description, b.lines[i].description) != 0 ||
		    a.lines[i].amount_pence != b.lines[i].amount_pence ||
		    strcmp(a.lines[i].driver, b.lines[i].driver) != 0 ||
		    a.lines[i].excluded_from_central != b.lines[i].excluded_from_central)
			abort();
	if (budget_csv_write(&b, NULL, &two, &n2) != 0)
		goto out;
	if (n1 != n2 || memcmp(one, two, n1) != 0)
		abort();
out:
	free(one);
	free(two);
	budget_clear(&a);
	budget_clear(&b);
	free(p);
	free(q);
	return 0;
}
