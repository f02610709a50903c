/* sheetnum.c - see sheetnum.h */
#include "sheetnum.h"

#include <stdio.h>
#include <string.h>

#define SHEETNUM_DIGITS 40                   /* significant digits kept (a double has 17) */
#define SHEETNUM_INT_MAX 20
#define SHEETNUM_NOISE 6

int sheetnum_pounds(const char *num, char *out, size_t len)
{
	char d[SHEETNUM_DIGITS + 1], ip[SHEETNUM_INT_MAX + 2], fp[SHEETNUM_DIGITS + 2];
	const char *s = num;
	size_t nd = 0, ni = 0, nf = 0;
	long point = 0, exp = 0;                 /* digits before the point; the exponent */
	int neg = 0, any = 0, seen_point = 0, zero;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; (*s >= '0' && *s <= '9') || (*s == '.' && !seen_point); s++) {
		if (*s == '.') {
			seen_point = 1;
			continue;
		}
		any = 1;
		if (nd == 0 && *s == '0') {      /* a leading zero: only moves the point */
			if (seen_point)
				point--;
			continue;
		}
		if (nd == SHEETNUM_DIGITS)
			return -1;
		d[nd++] = *s;
		if (!seen_point)
			point++;
	}
	if (!any)
		return -1;
	if (*s == 'e' || *s == 'E') {
		int eneg = 0, edig = 0;

		s++;
		if (*s == '-' || *s == '+')
			eneg = *s++ == '-';
		for (; *s >= '0' && *s <= '9'; s++, edig++)
			if (exp < 100000)
				exp = exp * 10 + (*s - '0');
		if (edig == 0)
			return -1;
		if (eneg)
			exp = -exp;
	}
	if (*s != '\0')
		return -1;
	point += exp;                            /* the value is 0.d[0]d[1]... * 10^point */
	if (nd > 0 && point > SHEETNUM_INT_MAX) {
		snprintf(out, len, "%s1%020d", neg ? "-" : "", 0);
		return 0;
	}
	/* integer part: d[0..point), zeros past nd */
	for (long i = 0; i < point; i++)
		ip[ni++] = (size_t)i < nd ? d[i] : '0';
	/* fraction: -point zeros when point < 0, then the digits past the point */
	for (long i = point < -(long)sizeof(fp) ? -(long)sizeof(fp) : point; i < (long)nd && nf < sizeof(fp) - 1; i++)
		fp[nf++] = i < 0 ? '0' : d[i];
	/* the noise past the pennies */
	if (nf > 2) {
		size_t z = 0, nines = 0;

		while (2 + z < nf && fp[2 + z] == '0')
			z++;
		while (2 + nines < nf && fp[2 + nines] == '9')
			nines++;
		if (2 + z == nf || z >= SHEETNUM_NOISE) {
			nf = 2;
		} else if (nines >= SHEETNUM_NOISE) {
			/* round up: add one penny to ip.fp[0..2) */
			int carry = 1;

			nf = 2;
			for (size_t i = nf; i-- > 0 && carry;) {
				if (fp[i] == '9') {
					fp[i] = '0';
				} else {
					fp[i]++;
					carry = 0;
				}
			}
			for (size_t i = ni; i-- > 0 && carry;) {
				if (ip[i] == '9') {
					ip[i] = '0';
				} else {
					ip[i]++;
					carry = 0;
				}
			}
			if (carry) {
				if (ni == SHEETNUM_INT_MAX) {
					snprintf(out, len, "%s1%020d", neg ? "-" : "", 0);
					return 0;
				}
				memmove(ip + 1, ip, ni++);
				ip[0] = '1';
			}
		}
	}
	while (nf > 0 && fp[nf - 1] == '0')
		nf--;
	zero = 1;
	for (size_t i = 0; i < ni && zero; i++)
		zero = ip[i] == '0';
	for (size_t i = 0; i < nf && zero; i++)
		zero = fp[i] == '0';
	snprintf(out, len, "%s%.*s%s%.*s", neg && !zero ? "-" : "", (int)(ni > 0 ? ni : 1), ni > 0 ? ip : "0",
		 nf > 0 ? "." : "", (int)nf, fp);
	return 0;
}
