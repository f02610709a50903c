/*
 * date.h - calendar dates as days since 1970-01-01 (proleptic Gregorian, UTC),
 * academic years ("2026-27" = 1 Sep 2026 .. 31 Aug 2027, stored as 2026), and
 * the pinnable "today". Pure except date_today_real. Thread-safe.
 */
#ifndef BURSAR_DATE_H
#define BURSAR_DATE_H

#include <stddef.h>
#include <stdint.h>

/* "YYYY-MM-DD" exactly (a real date, years 1900..2999) -> days. 0 ok, -1 bad. */
int date_parse(const char *s, int32_t *days) __attribute__((warn_unused_result));
/* days -> "YYYY-MM-DD"; buf >= 11. */
void date_format(int32_t days, char *buf, size_t len);
int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t days, int *y, int *m, int *d);
/* Add calendar months, clamping the day to the month's end (31 Jan + 1 month = 28/29 Feb). */
int32_t date_add_months(int32_t days, int months);
/* Today's UTC date. */
int32_t date_today_real(void);

/* "2026-27" -> 2026: the second part must be the next year's last two digits,
 * 2000..2098. 0 ok, -1 bad ("2026-28", "2026/27", "26-27"). */
int acyear_parse(const char *s, int *start) __attribute__((warn_unused_result));
/* 2026 -> "2026-27"; buf >= 8. */
void acyear_format(int start, char *buf, size_t len);
/* The academic year a date falls in (1 Sep .. 31 Aug). */
int acyear_of(int32_t days);

#endif
