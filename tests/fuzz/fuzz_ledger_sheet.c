/*
 * fuzz_ledger_sheet.c - libFuzzer target for the ledger export reader (daemon/core/ledger_sheet.c
 * over sheetrows and libcsv, with money_parse_pounds for the amounts and the period forms).
 *
 * Any input must be either refused with a problem that has a status (and, for 422, at least one
 * error naming a row or the file), or accepted; what is accepted must hold at least one row, each
 * with codes of 1 to 20 characters, a month 1..12 and the rows in file order.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct problem *p = calloc(1, sizeof(*p));
	struct ledger_sheet s;

	if (p == NULL)
		return 0;
	ledger_sheet_init(&s, 2026, p);
	if (ledger_sheet_csv((const char *)data, size, TEXTENC_NONE, &s, NULL) != 0) {
		if (p->status == 0)
			abort();
		if (p->status == 422 && (p->nerrors == 0 || (strncmp(p->errors[0].field, "row ", 4) != 0 &&
							     strcmp(p->errors[0].field, "file") != 0)))
			abort();
		goto out;
	}
	if (p->nerrors != 0 || s.n == 0 || s.n > LEDGER_SHEET_MAX_ROWS)
		abort();
	for (size_t i = 0; i < s.n; i++) {
		size_t a = strlen(s.rows[i].nominal), b = strlen(s.rows[i].cost_centre);

		if (a == 0 || a > LEDGER_SHEET_CODE_MAX || b == 0 || b > LEDGER_SHEET_CODE_MAX || s.rows[i].month < 1 ||
		    s.rows[i].month > 12 || (i > 0 && s.rows[i].row <= s.rows[i - 1].row))
			abort();
	}
out:
	ledger_sheet_free(&s);
	free(p);
	return 0;
}
