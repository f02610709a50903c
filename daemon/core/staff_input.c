/* staff_input.c - see staff_input.h */
#include "staff_input.h"

#include <stdio.h>
#include <string.h>

const char *staff_input_scale_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > STAFF_INPUT_SCALE_MAX || s[strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_")] != '\0')
		return "must be a pay scale's name: 1 to 40 of a-z, 0-9 and _";
	return NULL;
}

const char *staff_input_point(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 8 ||
	    s[strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")] != '\0')
		return "must be a point of the scale: 1 to 8 letters and digits (M1, U3, L43, 5)";
	return NULL;
}

static void staff_input_error(const char *prefix, const size_t *rows, size_t i, const char *what,
			      struct problem *p, const char *msg)
{
	char f[64];

	if (rows != NULL)
		snprintf(f, sizeof(f), "row %zu, %s", rows[i], what);
	else
		snprintf(f, sizeof(f), "%s%zu/%s", prefix, i, what);
	problem_field(p, f, "%s", msg);
}

size_t staff_input_points_unique(const struct staff_point_in *pts, size_t n, const char *prefix,
				 const size_t *rows, struct problem *p)
{
	size_t errors = 0;

	/* a scale has tens of points a year: the pairs are few */
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++) {
			if (pts[j].year != pts[i].year)
				continue;
			if (strcmp(pts[j].point, pts[i].point) == 0) {
				staff_input_error(prefix, rows, i, "point", p, "is given twice for the year");
				errors++;
				break;
			}
			if (pts[j].ord == pts[i].ord) {
				staff_input_error(prefix, rows, i, "ord", p, "is another point's order in the year");
				errors++;
				break;
			}
		}
	return errors;
}

const char *staff_input_role_code(const char *role, const char *code, char *buf, size_t len)
{
	static const char *const teaching[] = { "E01", "E02", NULL };
	static const char *const support[] = { "E03", "E04", "E05", "E06", "E07", "E31", NULL };
	int teaches = strcmp(role, "teacher") == 0 || strcmp(role, "leadership") == 0;
	const char *const *ok = teaches ? teaching : support;

	for (size_t i = 0; ok[i] != NULL; i++)
		if (strcmp(ok[i], code) == 0)
			return NULL;
	snprintf(buf, len, teaches ? "%s %s post is paid from E01 or E02 (teaching staff)" :
		 "%s %s post is paid from one of E03 to E07 or E31 (support staff)",
		 role[0] != '\0' && strchr("aeiou", role[0]) != NULL ? "an" : "a", role);
	return buf;
}
