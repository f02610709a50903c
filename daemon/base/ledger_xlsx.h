/*
 * ledger_xlsx.h - a ledger export (ledger_sheet.h) from an XLSX workbook: the sheet named
 * "Ledger" (or else the first sheet) read by xlsxread through sheet_xlsx.c, its rows fed to
 * ledger_sheet as the CSV import feeds them. The header is the first row, within the first 20,
 * that names nominal, cost_centre, period and amount; rows are named by their real sheet row.
 * Number cells are read exactly (sheetnum_pounds); a date cell is its date number (ledger_sheet
 * reads it). In base because xlsxread uses libzip and expat. Thread-safe.
 */
#ifndef BURSAR_LEDGER_XLSX_H
#define BURSAR_LEDGER_XLSX_H

#include <stddef.h>

#include "ledger_sheet.h"
#include "xlsxread.h"

#define LEDGER_XLSX_SHEET "Ledger"
#define LEDGER_XLSX_HEADER_ROWS 20

/* Parse the workbook buf[0..len) within lim into s. 0 when the whole sheet is good; otherwise
 * -1 with p set: 415 not a zip, 422 not a workbook / no header / values (the good rows kept, as
 * ledger_sheet_finish), 400 a part not XML, 413 past a limit, 500 out of memory. */
int ledger_xlsx_parse(const void *buf, size_t len, const struct xlsx_limits *lim, struct ledger_sheet *s)
	__attribute__((warn_unused_result));

#endif
