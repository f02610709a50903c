/*
 * jsonv.h - the one table-driven validator for request bodies.
 *
 * Each handler describes its body as a table of fields; jsonv_object checks
 * types, ranges, enumerations and required fields, rejects unknown fields, and
 * records every problem as a field error with its JSON Pointer, so a client sees
 * all of them at once. Pure; thread-safe.
 *
 * JSON numbers arrive as double: integers must be integral and within ±2^53.
 */
#ifndef BURSAR_JSONV_H
#define BURSAR_JSONV_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "problem.h"

enum jv_type {
	JV_STRING,                               /* UTF-8 text: min..max characters */
	JV_INT,                                  /* integer in [min, max] */
	JV_BOOL,
	JV_DATE,                                 /* "YYYY-MM-DD" -> days since epoch in .i */
	JV_ACYEAR,                               /* "2026-27" -> 2026 in .i */
	JV_HUNDREDTHS,                           /* a number with at most two decimals -> x100 in .i */
	JV_OBJECT,                               /* any object: validated by the caller */
	JV_ARRAY,                                /* any array: validated by the caller */
};

enum {
	JV_REQUIRED = 1 << 0,                    /* must be present */
	JV_NULLABLE = 1 << 1,                    /* null is allowed */
	JV_READONLY = 1 << 2,                    /* accepted and ignored (GET-modify-PUT) */
	/* JV_STRING: what text may hold (jsonv_text), checked before .check */
	JV_LINE = 1 << 3,                        /* one line: no control characters at all */
	JV_LINES = 1 << 4,                       /* text: no control characters but line breaks and tabs */
	JV_NO_FORMULA = 1 << 5,                  /* not starting (after spaces) with =, +, - or @, a tab or CR */
	JV_NOT_BLANK = 1 << 6,                   /* not only spaces */
	/*
	 * Every JV_STRING without choices is text a person typed and a spreadsheet may
	 * show, so it gets JV_NO_FORMULA and, unless JV_LINES says it may hold line
	 * breaks, JV_LINE, whether the table says so or not (the one rule of issue 12).
	 * JV_ANY_START lifts JV_NO_FORMULA for a field whose .check already limits it to
	 * a harmless form that may start with + or - (a phone number, +44 20 ...);
	 * JV_SECRET lifts both (a password may hold any character and is never shown).
	 */
	JV_ANY_START = 1 << 7,
	JV_SECRET = 1 << 8,                      /* not text anyone reads (a password): no text rule at all */
};

struct jv_field {
	const char *name;
	enum jv_type type;
	unsigned flags;
	int64_t min, max;                        /* JV_INT/JV_HUNDREDTHS: value; JV_STRING: length */
	const char *const *choices;              /* JV_STRING: NULL-terminated allowed values */
	/* JV_STRING: extra check; returns NULL if fine or a message */
	const char *(*check)(const char *s);
};

struct jv_value {
	int present;
	int is_null;
	int64_t i;                               /* JV_INT, JV_BOOL, JV_DATE, JV_ACYEAR, JV_HUNDREDTHS */
	const char *s;                           /* JV_STRING: borrowed from the tree */
	const cJSON *item;
};

/*
 * Validate obj against fields[0..n) into out[0..n) (indexed like fields).
 * prefix is the JSON Pointer of obj ("" for the body). Adds field errors to p;
 * returns the number of errors added (0: valid). Does not set p's status: call
 * problem_validation_done() when all parts are checked.
 */
size_t jsonv_object(const cJSON *obj, const char *prefix, const struct jv_field *fields, size_t n,
		    struct jv_value *out, struct problem *p);

/* Append "/" and key, escaped as RFC 6901 says (~0, ~1), at buf[off]; returns
 * the new length (truncated to fit len, always NUL-terminated). */
size_t jsonv_ptr_append(char *buf, size_t len, size_t off, const char *key);

/*
 * The one text-field check, for what a person types (names, descriptions,
 * reasons) and a spreadsheet may later show: by the JV_LINE, JV_LINES,
 * JV_NO_FORMULA and JV_NOT_BLANK bits of flags (other bits ignored), NULL when s
 * is fine, else the message. Control characters are U+0000..U+001F and U+007F;
 * lengths are the field's min and max (jsonv_object), not checked here.
 */
const char *jsonv_text(const char *s, unsigned flags);

/* Integer value of a JSON number: 0 with *out set, -1 if not an integer within ±2^53. */
int jsonv_int(const cJSON *item, int64_t *out);

/*
 * The numbers of a JSON text as RFC 8259 writes them, which cJSON does not check:
 * cJSON reads 012 as 12, 1. as 1, and 1e-400 as 0. text[0..n) is the text root was
 * parsed from (cJSON_ParseWithLengthOpts; the k-th number in the text is the k-th
 * number of the tree in document order). Returns NULL when every number is JSON and
 * its value survives as a double (not 0 or infinite unless written so); otherwise
 * why, with *status 400 (not JSON: 012, 1., .5, 1e) or 422 (JSON, but out of range:
 * 1e-400, 1e400) and the JSON Pointer of the first such number in ptr (""
 * for a bare number). Pure.
 */
const char *jsonv_numbers(const cJSON *root, const char *text, size_t n, char *ptr, size_t ptrlen, int *status);

#endif
