/* acmonth.c - see acmonth.h */
#include "acmonth.h"

#include <stdio.h>
#include <string.h>

void acmonth_calendar(int year, int month, int *cy, int *cm)
{
	*cy = month <= 4 ? year : year + 1;
	*cm = month <= 4 ? month + 8 : month - 4;
}

void acmonth_of_calendar(int cy, int cm, int *year, int *month)
{
	*year = cm >= 9 ? cy : cy - 1;
	*month = cm >= 9 ? cm - 8 : cm + 4;
}

int acmonth_parse(const char *s, int *year, int *month)
{
	int cy = 0, cm = 0;

	if (s == NULL || strlen(s) != 7 || s[4] != '-')
		return -1;
	for (int i = 0; i < 7; i++) {
		if (i == 4)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (i < 4)
			cy = cy * 10 + (s[i] - '0');
		else
			cm = cm * 10 + (s[i] - '0');
	}
	if (cm < 1 || cm > 12)
		return -1;
	acmonth_of_calendar(cy, cm, year, month);
	if (*year < 2000 || *year > 2098)
		return -1;
	return 0;
}

void acmonth_format(int year, int month, char *buf, size_t len)
{
	int cy, cm;

	if (len == 0)
		return;
	acmonth_calendar(year, month, &cy, &cm);
	snprintf(buf, len, "%04d-%02d", cy, cm);
}
