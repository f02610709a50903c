/*
 * money.h - integer pence and basis-point arithmetic, parsing and formatting.
 * Pure, thread-safe.
 *
 * The arithmetic is plugins/bursar_arith.h's (the one place with 128-bit
 * intermediates), which the plugins compile too: the daemon and the plugins
 * round alike. Rounding is half away from zero everywhere ("round" in DESIGN.md).
 * Fallible functions return 0 on success, -1 on overflow or bad input, and leave
 * *out unchanged on failure.
 */
#ifndef BURSAR_MONEY_H
#define BURSAR_MONEY_H

#include <stddef.h>
#include <stdint.h>

#define MONEY_JSON_MAX  INT64_C(9007199254740992)   /* 2^53: the JSON integer limit */
#define MONEY_LINE_MAX  INT64_C(100000000000)       /* +-GBP 1bn, in pence */

int money_add(int64_t a, int64_t b, int64_t *out) __attribute__((warn_unused_result));
int money_sub(int64_t a, int64_t b, int64_t *out) __attribute__((warn_unused_result));
int money_mul(int64_t a, int64_t b, int64_t *out) __attribute__((warn_unused_result));

/* round(a * num / den), half away from zero, exact (128-bit); den != 0. */
int money_muldiv_round(int64_t a, int64_t num, int64_t den, int64_t *out)
	__attribute__((warn_unused_result));

/* floor(a * num / den) for a, num >= 0, den > 0, and the remainder (rem may be
 * NULL): the step of the largest-remainder split. */
int money_muldiv_floor(int64_t a, int64_t num, int64_t den, int64_t *out, int64_t *rem)
	__attribute__((warn_unused_result));

/* round(a * (10000 + bp) / 10000): apply a rate in basis points. */
int money_apply_bp(int64_t a, int64_t bp, int64_t *out) __attribute__((warn_unused_result));

/*
 * Parse an amount in pounds as people type it in a spreadsheet: "1234.56",
 * "1,234.56", "£1234.56" (UTF-8 pound sign), "-12.5", "(1234.56)" for negative,
 * and as Excel's accounting format writes it: "£ 1,234.00", "£ (1,234.00)", "-"
 * or "£ -" for zero; surrounding spaces allowed; at most two decimals; thousands
 * separators must be in groups of three. On error writes a short reason to why
 * (may be NULL) such as "has more than two decimals", or for a decimal comma
 * ("2.400,50") "uses a decimal comma: ...".
 */
int money_parse_pounds(const char *s, int64_t *pence, char *why, size_t whylen)
	__attribute__((warn_unused_result));

/* "1234.56" / "-0.05": plain, for CSV. Returns the length written. buf >= 32. */
size_t money_format_plain(int64_t pence, char *buf, size_t len);

/* "£1,234.56" / "-£0.05": for explanations. buf >= 40. */
size_t money_format_human(int64_t pence, char *buf, size_t len);

#endif
