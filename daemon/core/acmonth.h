/*
 * acmonth.h - a month of an academic year: 1..12 (1 = September, 8 = April, 12 = August) of the
 * year that starts in September of `year` (2026 = "2026-27"), written in the API as the calendar
 * month "YYYY-MM" ("2026-11" is month 3 of 2026; "2027-04" month 8 of 2026). Pure, thread-safe.
 */
#ifndef BURSAR_ACMONTH_H
#define BURSAR_ACMONTH_H

#include <stddef.h>

/* "YYYY-MM" exactly (MM 01..12; the academic year 2000..2098) -> *year and *month (1..12).
 * 0 ok, -1 bad ("2026-1", "2026-13", "2026/11", "2026-11-01"). */
int acmonth_parse(const char *s, int *year, int *month) __attribute__((warn_unused_result));
/* The calendar month (*cy, *cm) of month m (1..12) of year. */
void acmonth_calendar(int year, int month, int *cy, int *cm);
/* The academic year and month of calendar month cm (1..12) of cy. */
void acmonth_of_calendar(int cy, int cm, int *year, int *month);
/* Month m of year as "YYYY-MM"; buf >= 8. */
void acmonth_format(int year, int month, char *buf, size_t len);

#endif
