/*
 * xlsxread.h - the rows of one sheet of an XLSX workbook (Office Open XML
 * SpreadsheetML, as Excel, LibreOffice and openpyxl write it), read from memory
 * with libraries: libzip opens the archive, expat (SAX) reads its parts. In base,
 * not core, because core may use libc and cJSON only.
 *
 * What it reads: xl/workbook.xml and its relationships (xl/_rels/workbook.xml.rels)
 * to find the sheet with the wanted name (case-insensitive), else the first sheet;
 * the shared strings (xl/sharedStrings.xml, or the part the relationships name),
 * rich text runs concatenated and phonetic runs left out; then the sheet's
 * sheetData, streamed: each row's cells by their r reference ("C7"; a cell
 * without one follows the one before), of the types n (a number, passed as
 * written: "1234.5600000000001", "1E-3"), s (shared string), inlineStr, str (a
 * formula's text result), b (boolean, "1"/"0"), e ("#DIV/0!") and d (ISO date
 * text). A formula cell gives its cached value; a cell without a value is left
 * out. Nothing else (styles, merged cells, comments, other sheets) is read.
 *
 * Untrusted input is bounded: the archive's entry count, the bytes actually
 * inflated (all parts together, whatever the archive claims), the shared strings'
 * count, the characters of a cell, the XML nesting depth; a DTD or entity
 * declaration is refused (no entity expansion). Thread-safe (no shared state).
 */
#ifndef BURSAR_XLSXREAD_H
#define BURSAR_XLSXREAD_H

#include <stddef.h>
#include <stdint.h>

enum xlsx_type { XLSX_NUMBER, XLSX_TEXT, XLSX_BOOL, XLSX_ERROR };

struct xlsx_cell {
	uint32_t col;                            /* 0-based: A is 0 */
	enum xlsx_type type;
	const char *text;                        /* NUL-terminated UTF-8 (XML is Unicode); borrowed */
};

struct xlsx_limits {
	size_t max_entries;                      /* entries in the archive */
	size_t max_inflated;                     /* bytes inflated, every part read together */
	size_t max_strings;                      /* shared strings */
	unsigned max_depth;                      /* XML element nesting */
};

enum xlsx_status {
	XLSX_OK,
	XLSX_NOT_ZIP,                            /* not a zip archive (or a broken one) */
	XLSX_NOT_WORKBOOK,                       /* a zip, but no workbook or no sheet in it */
	XLSX_MALFORMED,                          /* a part is not the XML a workbook holds */
	XLSX_TOO_BIG,                            /* past a limit */
	XLSX_STOPPED,                            /* the row function asked to stop */
	XLSX_NOMEM,
};

/* Called for each row that has a cell with a value, in sheet order (rows and the
 * cells in each strictly increasing): row is the sheet's 1-based row number,
 * cells[0..n) valid until it returns. Nonzero stops the reading (XLSX_STOPPED). */
typedef int (*xlsx_row_fn)(void *arg, uint32_t row, const struct xlsx_cell *cells, size_t n);

/*
 * Read the sheet named want (NULL: the first) of the workbook buf[0..len), or the
 * first sheet when none has that name; *sheet (may be NULL; size sheetlen) gets
 * the name of the sheet read. Returns XLSX_OK, or another status with why (a
 * sentence for the person, "the file is not an Excel workbook (.xlsx) ...") set.
 */
enum xlsx_status xlsxread_rows(const void *buf, size_t len, const char *want, const struct xlsx_limits *lim,
			       xlsx_row_fn fn, void *arg, char *sheet, size_t sheetlen, char *why, size_t whylen);

#endif
