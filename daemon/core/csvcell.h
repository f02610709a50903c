/*
 * csvcell.h - one CSV text cell as every CSV the daemon writes spells it: RFC 4180
 * quoting, and a cell a spreadsheet would read as a formula neutralised (OWASP's
 * "CSV injection" advice), whatever is stored.
 *
 * A text cell that starts with = + - @, a tab or a carriage return (after any
 * spaces) gets a leading ' so Excel and LibreOffice show it as text. Numbers the
 * daemon formats itself (money as -12.34) are not text cells: write them as they
 * are. Pure; thread-safe.
 */
#ifndef BURSAR_CSVCELL_H
#define BURSAR_CSVCELL_H

#include <stddef.h>

enum {
	CSVCELL_QUOTE = 1 << 0,                  /* always in quotes (else only when needed) */
};

/* Whether s (NULL: "") would start a formula in a spreadsheet. */
int csvcell_is_formula(const char *s);

/*
 * Write s (NULL: "") as one cell through put(ctx, bytes, n), which is called one or
 * more times: neutralised (csvcell_is_formula) and quoted when flags has
 * CSVCELL_QUOTE or the cell holds a comma, quote, CR or LF or starts or ends with a
 * space or tab (a quote inside is written twice).
 */
void csvcell_write(const char *s, unsigned flags, void (*put)(void *ctx, const char *bytes, size_t n), void *ctx);

#endif
