/* date.c - see date.h */
#include "date.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define DATE_DAY_SECONDS 86400

static bool date_is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int date_days_in_month(int64_t y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && date_is_leap(y) ? 29 : dim[m - 1];
}

/*
 * Howard Hinnant's days_from_civil / civil_from_days: the year is shifted to
 * start on 1 March so the leap day is the last day of the year, and split into
 * 400-year eras of 146097 days. Done in int64 so no intermediate can overflow
 * for any int32 day count or int year.
 */
int32_t date_from_ymd(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;                              /* [0, 399] */
	int64_t mp = (m + 9) % 12;                                  /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + d - 1;                   /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;        /* [0, 146096] */

	return (int32_t)(era * 146097 + doe - 719468);
}

void date_to_ymd(int32_t days, int *y, int *m, int *d)
{
	int64_t z = (int64_t)days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;                             /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);      /* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;                           /* [0, 11] */
	int mm = (int)(mp < 10 ? mp + 3 : mp - 9);

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = mm;
	*y = (int)(yoe + era * 400 + (mm <= 2));
}

static int date_digits(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int date_parse(const char *s, int32_t *days)
{
	int y, m, d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	y = date_digits(s, 4);
	m = date_digits(s + 5, 2);
	d = date_digits(s + 8, 2);
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
		return -1;
	if (d > date_days_in_month(y, m))
		return -1;
	*days = date_from_ymd(y, m, d);
	return 0;
}

void date_format(int32_t days, char *buf, size_t len)
{
	int y, m, d;

	if (len == 0)
		return;
	date_to_ymd(days, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

int32_t date_add_months(int32_t days, int months)
{
	int y, m, d, dim;
	int64_t total, ny;
	int nm;

	date_to_ymd(days, &y, &m, &d);
	total = (int64_t)y * 12 + (m - 1) + months;
	ny = total >= 0 ? total / 12 : (total - 11) / 12;           /* floor */
	nm = (int)(total - ny * 12) + 1;
	dim = date_days_in_month(ny, nm);
	if (d > dim)
		d = dim;
	return date_from_ymd((int)ny, nm, d);
}

int32_t date_today_real(void)
{
	time_t t = time(NULL);

	/* Floor, in case the clock is set before 1970. */
	return (int32_t)(t >= 0 ? t / DATE_DAY_SECONDS : (t - DATE_DAY_SECONDS + 1) / DATE_DAY_SECONDS);
}

int acyear_parse(const char *s, int *start)
{
	int y, yy;

	if (s == NULL || strlen(s) != 7 || s[4] != '-')
		return -1;
	y = date_digits(s, 4);
	yy = date_digits(s + 5, 2);
	if (y < 2000 || y > 2098 || yy < 0 || yy != (y + 1) % 100)
		return -1;
	*start = y;
	return 0;
}

void acyear_format(int start, char *buf, size_t len)
{
	if (len == 0)
		return;
	snprintf(buf, len, "%04d-%02d", start, ((start + 1) % 100 + 100) % 100);
}

int acyear_of(int32_t days)
{
	int y, m, d;

	date_to_ymd(days, &y, &m, &d);
	return m >= 9 ? y : y - 1;
}
