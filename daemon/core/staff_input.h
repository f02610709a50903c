/*
 * staff_input.h - the checks on a pay scale as a person writes it (issue 16),
 * shared by the JSON handlers and the CSV/XLSX import: a scale's name, a point's
 * name, and that a year's points are neither named nor ordered twice. Pure;
 * thread-safe.
 */
#ifndef BURSAR_STAFF_INPUT_H
#define BURSAR_STAFF_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "problem.h"

#define STAFF_INPUT_POINTS_MAX 2000             /* points in one write (every year) */
#define STAFF_INPUT_ANNUAL_MAX INT64_C(100000000) /* £1m a year */
#define STAFF_INPUT_SCALE_MAX 40                /* a scale's name: characters */

/* One point of a scale in a year, as written. */
struct staff_point_in {
	int year;                                /* academic year (teacher) or pay year (support) */
	const char *point;
	int32_t ord;                             /* 1..999 */
	int64_t annual_pence;                    /* 0..STAFF_INPUT_ANNUAL_MAX */
};

/* NULL when s is a scale's name ([a-z0-9_], 1 to 40), else the message. */
const char *staff_input_scale_name(const char *s);

/* NULL when a post of role ("teacher" .. "other_support") may be paid from account
 * code (teacher and leadership: E01 or E02; the support roles: E03 to E07 or E31),
 * else the message naming the role, written in buf (len >= 96): the posts API and the
 * posts sheet say the same. */
const char *staff_input_role_code(const char *role, const char *code, char *buf, size_t len);

/* NULL when s is a point's name (letters and digits, 1 to 8: M1, U3, L43, 5), else the message. */
const char *staff_input_point(const char *s);

/*
 * Of pts[0..n): a second point of the same year with the same name, or the same
 * ord, is a field error at "<prefix><i>/point" or "<prefix><i>/ord" (prefix
 * "/points/"), or, when rows is not NULL, at "row <rows[i]>, point" / ", ord".
 * Returns the number of errors added.
 */
size_t staff_input_points_unique(const struct staff_point_in *pts, size_t n, const char *prefix,
				 const size_t *rows, struct problem *p);

#endif
