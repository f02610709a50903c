/*
 * budget_xlsx.h - a budget's lines from an XLSX workbook: the sheet named "Budget"
 * (or else the first sheet) read by xlsxread, its rows fed to budget_rows as the CSV
 * import feeds them, so the columns, checks and messages are the same ("row 14,
 * amount"). The header is the first row, within the first 20, that names code,
 * description and amount (rows above it, a title, are ignored); rows are named by
 * their real sheet row. Number cells are read exactly (sheetnum_pounds: no floating
 * point; float noise past the pennies rounded away, a genuine third decimal refused
 * as in a CSV); text, shared and inline strings, formula results and booleans as
 * their text. In base because xlsxread uses libzip and expat. Thread-safe.
 */
#ifndef BURSAR_BUDGET_XLSX_H
#define BURSAR_BUDGET_XLSX_H

#include <stddef.h>

#include "budget.h"
#include "problem.h"
#include "xlsxread.h"

#define BUDGET_XLSX_SHEET       "Budget"
#define BUDGET_XLSX_HEADER_ROWS 20

/*
 * Parse the workbook buf[0..len) within lim and append its lines to b. 0 when the
 * whole sheet is good; otherwise -1 with p set (all or nothing, as budget_csv_parse):
 * 415 unsupported-media-type when it is not a zip archive, 422 validation when it is
 * a zip but not a workbook, for a missing header and for the values, 400 bad-request
 * when a part is not the XML a workbook holds, 413 payload-too-large past a limit
 * (a zip bomb), 500 when out of memory.
 */
int budget_xlsx_parse(const void *buf, size_t len, const struct xlsx_limits *lim, struct budget *b,
		      struct problem *p) __attribute__((warn_unused_result));

#endif
