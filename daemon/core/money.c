/* money.c - see money.h */
#include "money.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bursar_arith.h"

/*
 * The arithmetic is bursar_arith.h's, which the plugins compile too, so the
 * daemon and the plugins round and split alike (money.h).
 */
int money_add(int64_t a, int64_t b, int64_t *out)
{
	return bursar_add(a, b, out);
}

int money_sub(int64_t a, int64_t b, int64_t *out)
{
	return bursar_sub(a, b, out);
}

int money_mul(int64_t a, int64_t b, int64_t *out)
{
	return bursar_mul(a, b, out);
}

int money_muldiv_round(int64_t a, int64_t num, int64_t den, int64_t *out)
{
	return bursar_muldiv_round(a, num, den, out);
}

int money_muldiv_floor(int64_t a, int64_t num, int64_t den, int64_t *out, int64_t *rem)
{
	return bursar_muldiv_floor(a, num, den, out, rem);
}

int money_apply_bp(int64_t a, int64_t bp, int64_t *out)
{
	int64_t factor;

	if (bursar_add(BURSAR_BP_ONE, bp, &factor) != 0)
		return -1;
	return bursar_muldiv_round(a, factor, BURSAR_BP_ONE, out);
}

/* ---- parsing ------------------------------------------------------------ */

static int money_fail(char *why, size_t whylen, const char *reason)
{
	if (why != NULL && whylen > 0)
		snprintf(why, whylen, "%s", reason);
	return -1;
}

static bool money_is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool money_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool money_is_pound(const char *s)
{
	return (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA3;
}

/*
 * Accepted: [spaces] ['-' | '('] ['£'] ['-'] digits [. 0-2 digits] [')'] [spaces],
 * with at most one sign of either kind, so "-£5", "£-5" and "(£5)" all work and
 * "--1" or "(-1)" do not. The value is accumulated directly in pence and bounded
 * by 2^53 after every digit, so a long string cannot overflow.
 */
/* Whether s writes pence after a decimal comma ("2.400,50", "1234,5"): its last
 * comma is followed by one or two digits and nothing else but ")" and spaces. */
static bool money_decimal_comma(const char *s)
{
	const char *c = strrchr(s, ',');
	int n = 0;

	if (c == NULL)
		return false;
	for (c++; money_is_digit(*c); c++)
		n++;
	if (*c == ')')
		c++;
	while (money_is_space(*c))
		c++;
	return (n == 1 || n == 2) && *c == '\0';
}

int money_parse_pounds(const char *s, int64_t *pence, char *why, size_t whylen)
{
	bool neg = false, paren = false, seen_comma = false;
	int64_t v = 0;
	int group = 0, ndigits = 0, ndec = 0;

	if (s == NULL)
		return money_fail(why, whylen, "is empty");
	while (money_is_space(*s))
		s++;
	if (*s == '\0')
		return money_fail(why, whylen, "is empty");
	if (*s == '-') {
		neg = true;
		s++;
	} else if (*s == '(') {
		neg = paren = true;
		s++;
	}
	if (money_is_pound(s)) {
		s += 2;
		while (money_is_space(*s))       /* Excel's accounting format: "£ 1,234.00" */
			s++;
	}
	if (*s == '-' || *s == '(') {
		if (neg)
			return money_fail(why, whylen, "has more than one sign");
		neg = true;
		paren = *s == '(';               /* "£ (1,234.00)" */
		s++;
	}
	/* Excel's accounting format writes zero as a dash: "-", "£ -" */
	if (neg && !paren) {
		const char *t = s;

		while (money_is_space(*t))
			t++;
		if (*t == '\0') {
			*pence = 0;
			return 0;
		}
	}
	if (money_decimal_comma(s))
		return money_fail(why, whylen, "uses a decimal comma: write pence after a full stop (1234.50)");

	/* Whole pounds, with optional thousands separators. */
	for (;; s++) {
		if (money_is_digit(*s)) {
			v = v * 10 + (*s - '0');
			if (v > MONEY_JSON_MAX)
				return money_fail(why, whylen, "is too large");
			ndigits++;
			group++;
			if (seen_comma && group > 3)
				return money_fail(why, whylen, "has misplaced thousands separators");
		} else if (*s == ',') {
			if (ndigits == 0 || group == 0 || group > 3 || (seen_comma && group != 3))
				return money_fail(why, whylen, "has misplaced thousands separators");
			seen_comma = true;
			group = 0;
		} else {
			break;
		}
	}
	if (seen_comma && group != 3)
		return money_fail(why, whylen, "has misplaced thousands separators");

	/* Pence. */
	if (*s == '.') {
		s++;
		while (money_is_digit(*s)) {
			if (ndec == 2)
				return money_fail(why, whylen, "has more than two decimals");
			v = v * 10 + (*s - '0');
			if (v > MONEY_JSON_MAX)
				return money_fail(why, whylen, "is too large");
			ndec++;
			s++;
		}
		if (ndec == 0)
			return money_fail(why, whylen, "has no digits after the decimal point");
	}
	if (ndigits + ndec == 0)
		return money_fail(why, whylen, "is not a number");
	for (; ndec < 2; ndec++) {
		v *= 10;
		if (v > MONEY_JSON_MAX)
			return money_fail(why, whylen, "is too large");
	}

	if (paren) {
		if (*s != ')')
			return money_fail(why, whylen, "has an unclosed parenthesis");
		s++;
	}
	while (money_is_space(*s))
		s++;
	if (*s != '\0')
		return money_fail(why, whylen, "is not a number");

	*pence = neg ? -v : v;
	return 0;
}

/* ---- formatting --------------------------------------------------------- */

/* Copy a formatted string into the caller's buffer; returns the length kept. */
static size_t money_emit(const char *src, char *buf, size_t len)
{
	size_t n = strlen(src);

	if (len == 0)
		return 0;
	if (n >= len)
		n = len - 1;
	memcpy(buf, src, n);
	buf[n] = '\0';
	return n;
}

/* |pence| as unsigned, so INT64_MIN needs no special case. */
static uint64_t money_abs(int64_t pence)
{
	return pence < 0 ? (uint64_t)0 - (uint64_t)pence : (uint64_t)pence;
}

size_t money_format_plain(int64_t pence, char *buf, size_t len)
{
	char tmp[32];
	uint64_t m = money_abs(pence);

	snprintf(tmp, sizeof(tmp), "%s%" PRIu64 ".%02u", pence < 0 ? "-" : "",
		 m / 100, (unsigned)(m % 100));
	return money_emit(tmp, buf, len);
}

size_t money_format_human(int64_t pence, char *buf, size_t len)
{
	/* by hand, from the right: forecasts format thousands of these (no printf) */
	uint64_t m = money_abs(pence), whole = m / 100;
	char tmp[40], *d = tmp + sizeof(tmp);
	int n = 0;

	*--d = '\0';
	*--d = (char)('0' + m % 10);
	*--d = (char)('0' + m / 10 % 10);
	*--d = '.';
	do {
		if (n > 0 && n % 3 == 0)
			*--d = ',';
		*--d = (char)('0' + whole % 10);
		whole /= 10;
		n++;
	} while (whole > 0);
	*--d = (char)0xA3;
	*--d = (char)0xC2;
	if (pence < 0)
		*--d = '-';
	return money_emit(d, buf, len);
}
