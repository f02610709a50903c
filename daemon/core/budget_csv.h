/*
 * budget_csv.h - a budget's lines as a spreadsheet file (CSV), both ways.
 *
 * The format: a header row naming the columns, then one line per row.
 *   code,description,amount[,driver,excluded_from_central]
 * (the columns and the checks on each value are budget_rows.h's, shared with the
 * XLSX import). Amounts are pounds as people type them: 1234.56, 1,234.56, £1234.56,
 * (1234.56) for a negative, at most two decimals, within +-GBP 1bn.
 * excluded_from_central is yes/no (also y/n, true/false, 1/0, or empty for no). Rows
 * whose fields are all empty (",,,," as Excel writes below a table) are skipped. Rows
 * are counted as a spreadsheet shows them: the header is row 1 (blank lines count; a
 * quoted field with line breaks is still one row).
 *
 * Encodings: a UTF-8 BOM means UTF-8, whatever was declared (as browsers decode);
 * else the declared charset (textenc.h: Windows-1252 and its aliases are transcoded);
 * else UTF-8, or Windows-1252 when the bytes are not UTF-8 and can be it (Excel's
 * "CSV (Comma delimited)"). Mojibake in a description ("Â£") is refused.
 *
 * The structure (quoting, line ends) is parsed by libcsv; this module does the
 * encoding and the row numbers and feeds budget_rows. Pure; thread-safe.
 */
#ifndef BURSAR_BUDGET_CSV_H
#define BURSAR_BUDGET_CSV_H

#include <stddef.h>

#include "budget.h"
#include "problem.h"
#include "textenc.h"

/*
 * Parse buf[0..len) (UTF-8 with or without a BOM, or undeclared Windows-1252;
 * CRLF, LF or CR line ends) and
 * append its lines to b, whose chart decides which codes are known. Every problem is
 * added to p with its row and column ("row 14, amount": "\"12.345\" has more than two
 * decimals"). Returns 0 when the whole file is good; otherwise -1 with p's status set
 * and b left with whatever was appended (the caller discards it: all or nothing):
 * 400 bad-request when the file cannot be read as CSV (empty, not text, broken
 * quoting), 422 validation for the header and the values, 500 when out of memory.
 */
int budget_csv_parse(const char *buf, size_t len, struct budget *b, struct problem *p)
	__attribute__((warn_unused_result));

/*
 * budget_csv_parse with the encoding the request declared (TEXTENC_NONE: none);
 * *read_as (may be NULL) gets the encoding the text was read in: TEXTENC_CP1252
 * when it was transcoded, else TEXTENC_UTF8.
 */
int budget_csv_parse_as(const char *buf, size_t len, enum textenc declared, struct budget *b,
			struct problem *p, enum textenc *read_as) __attribute__((warn_unused_result));

/*
 * Write b's lines as CSV (budget_sheet.h's Budget sheet: the ISSUE14 contract's
 * columns code,account,kind,description,amount,driver,excluded_from_central,computed,
 * line i on row i + 2) with CRLF line ends and no BOM (the HTTP layer adds it);
 * amounts as 1234.56; names[i] is b->chart->accounts[i]'s name (NULL: the account
 * column empty). Reading the result back with budget_csv_parse gives the same typed
 * lines (computed rows are skipped), and writing those gives the same bytes when no
 * line was computed. *out (NUL-terminated, *len bytes) is the caller's to free. 0,
 * or -1 when out of memory.
 */
int budget_csv_write(const struct budget *b, const char *const *names, char **out, size_t *len)
	__attribute__((warn_unused_result));

#endif
