/*
 * sheetnum.h - a spreadsheet's number cell as pounds text, exactly. An XLSX file
 * stores a number as the shortest decimal text of a double ("1234.5600000000001",
 * "0.30000000000000004", "1E-3", "-4.9999999999999996E-2"); this turns it into
 * plain decimal text by string arithmetic alone (no floating point) and rounds away
 * the float noise past the pennies, so money_parse_pounds reads it as it reads a
 * typed amount. Pure; thread-safe.
 */
#ifndef BURSAR_SHEETNUM_H
#define BURSAR_SHEETNUM_H

#include <stddef.h>

/*
 * num: [-]digits[.digits][E[+-]digits]. Written to out as [-]digits[.digits]: the
 * exponent applied, leading zeros gone, and the digits past the second decimal
 * dropped when they are all 0, or start with at least six 0s (…5600000000001 is
 * …56), or rounded up into the pennies when they start with at least six 9s
 * (…5599999999999 is …56). Any other third decimal is kept ("0.001"), for the
 * caller to refuse as it refuses a typed one. A number of more than 20 integer
 * digits is written as 1 followed by 20 zeros (too large for any amount). Returns
 * 0, or -1 when num is not number text (out untouched). len >= 64.
 */
int sheetnum_pounds(const char *num, char *out, size_t len) __attribute__((warn_unused_result));

#endif
