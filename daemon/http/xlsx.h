/*
 * xlsx.h - the XLSX format of a table (core/table.h), written by libxlsxwriter
 * (Debian's libxlsxwriter 1.1.4). It lives in http/ because core is libc and cJSON
 * only; the table module's CSV half is in core so that core's writers (the budget's
 * CSV) use it too.
 *
 * Every sheet: the header row bold and frozen, an autofilter over the table (unless
 * TABLE_SHEET_NOFILTER), columns sized by their type and header; money as numbers
 * formatted #,##0.00, basis points as percentages, integers #,##0, dates as dates.
 * A sheet begun with TABLE_SHEET_PROTECT is protected without a password (a person
 * may sort, filter, resize and add rows; locked cells cannot be typed over); its
 * editable columns stay editable below the table, for new rows.
 *
 * The file is deterministic: the same table gives the same bytes (the document's
 * creation time is fixed), so an ETag over them is stable.
 *
 * libxlsxwriter 1.1.4 writes to a named file only (no memory output): the workbook
 * goes to an anonymous memory file (memfd_create, reached as /proc/self/fd/N), or
 * when that is unavailable to an unlinked file under $TMPDIR (else /tmp); its own
 * scratch files are tmpfile()s. workbook_close() calls gmtime(), so closes are
 * serialised by one mutex. Thread: one workbook per caller.
 */
#ifndef BURSAR_XLSX_H
#define BURSAR_XLSX_H

#include "table.h"

struct evbuffer;
struct xlsx;

/*
 * Start t (zeroed or not) writing a workbook; title (copied; NULL: none) is the
 * document's title. stream: libxlsxwriter's constant_memory mode (each row goes to
 * a scratch file once the next starts; strings inline rather than shared), for
 * tables that may be large. NULL when out of memory or no file can be made (logged).
 */
struct xlsx *xlsx_new(struct table *t, const char *title, int stream);
/* After table_finish(t) returned 0: append the file's bytes to out. 0, or -1 (logged). */
int xlsx_bytes(struct xlsx *x, struct evbuffer *out) __attribute__((warn_unused_result));
/* Free x (the workbook too, when it was never finished). NULL ok. */
void xlsx_free(struct xlsx *x);

#endif
