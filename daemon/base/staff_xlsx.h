/*
 * staff_xlsx.h - a pay scales or on-cost rates sheet (staff_sheet.h) from an XLSX
 * workbook: the sheet named "Pay scales" or "Staff rates" (or else the first
 * sheet) read by xlsxread, its rows fed to staff_sheet as the CSV import feeds
 * them. The header is the first row, within the first 20, that names the sheet's
 * key columns; rows are named by their real sheet row. Number cells are read
 * exactly (sheetnum_pounds). In base because xlsxread uses libzip and expat.
 * Thread-safe.
 */
#ifndef BURSAR_STAFF_XLSX_H
#define BURSAR_STAFF_XLSX_H

#include <stddef.h>

#include "staff_sheet.h"
#include "xlsxread.h"

#define STAFF_XLSX_SCALES_SHEET "Pay scales"
#define STAFF_XLSX_RATES_SHEET  "Staff rates"
#define STAFF_XLSX_HEADER_ROWS  20

/* Parse the workbook buf[0..len) within lim into s. 0 when the whole sheet is
 * good; otherwise -1 with p set: 415 not a zip, 422 not a workbook / no header /
 * values, 400 a part not XML, 413 past a limit, 500 out of memory. */
int staff_xlsx_parse(const void *buf, size_t len, const struct xlsx_limits *lim, struct staff_sheet *s)
	__attribute__((warn_unused_result));

#endif
