/* jsonv.c - see jsonv.h */
#include "jsonv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "money.h"
#include "utf8.h"

int jsonv_int(const cJSON *item, int64_t *out)
{
	int64_t v;

	if (!cJSON_IsNumber(item))
		return -1;
	/* range first: converting an out-of-range value to an integer is undefined */
	if (!(item->valuedouble >= -9007199254740992.0 && item->valuedouble <= 9007199254740992.0))
		return -1;
	v = (int64_t)item->valuedouble;
	if (item->valuedouble != v)
		return -1;
	*out = v;
	return 0;
}

/* FTE and such: at most two decimals, exactly representable as hundredths. */
static int jsonv_hundredths(const cJSON *item, int64_t *out)
{
	if (!cJSON_IsNumber(item) ||
	    !(item->valuedouble >= -1e12 && item->valuedouble <= 1e12))
		return -1;
	*out = llround(item->valuedouble * 100);
	/* 28.4 is 28.399999...: allow the binary representation's error, no more */
	if (fabs(item->valuedouble * 100 - (*out)) > 1e-6)
		return -1;
	return 0;
}

/* -150 -> "-1.50" */
static void jsonv_fmt_hundredths(int64_t v, char *buf, size_t len)
{
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	snprintf(buf, len, "%s%llu.%02llu", v < 0 ? "-" : "", (unsigned long long)(a / 100),
		 (unsigned long long)(a % 100));
}


size_t jsonv_ptr_append(char *buf, size_t len, size_t off, const char *key)
{
	if (off + 1 < len)
		buf[off++] = '/';
	for (const char *k = key; *k != '\0' && off + 3 < len; k++) {
		if (*k == '~' || *k == '/') {
			buf[off++] = '~';
			buf[off++] = *k == '~' ? '0' : '1';
		} else {
			buf[off++] = *k;
		}
	}
	buf[off < len ? off : len - 1] = '\0';
	return off;
}

static void jsonv_ptr(char *buf, size_t len, const char *prefix, const char *key)
{
	size_t o = (size_t)snprintf(buf, len, "%s", prefix);

	jsonv_ptr_append(buf, len, o < len ? o : len - 1, key);
}

static void jsonv_choices(char *buf, size_t len, const char *const *c)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; c[i] != NULL && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "", c[i]);
}

const char *jsonv_text(const char *s, unsigned flags)
{
	if (flags & (JV_LINE | JV_LINES)) {
		for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++) {
			if (*c >= 0x20 && *c != 0x7f)
				continue;
			if (flags & JV_LINE)
				return "must not contain line breaks, tabs or other control characters";
			if (*c != '\n' && *c != '\r' && *c != '\t')
				return "must not contain control characters other than line breaks and tabs";
		}
	}
	if (flags & JV_NO_FORMULA) {
		/* after spaces too: a spreadsheet that trims them would see the formula */
		const char *c = s + strspn(s, " ");

		if (*c != '\0' && strchr("=+-@", *c) != NULL)
			return "must not start with =, +, - or @ (a spreadsheet would run it as a formula)";
		if (*c == '\t' || *c == '\r')
			return "must not start with a tab or a carriage return (a spreadsheet would read a formula after it)";
	}
	if ((flags & JV_NOT_BLANK) && s[strspn(s, " ")] == '\0')
		return "must not be blank";
	return NULL;
}

/* The text rule of a string field: the table's flags, and for free text (no
 * choices) at least one line (or lines) with no formula at the start. */
static unsigned jsonv_text_flags(const struct jv_field *f)
{
	unsigned fl = f->flags;

	if (f->choices != NULL || (fl & JV_SECRET))
		return fl;
	if ((fl & JV_LINES) == 0)
		fl |= JV_LINE;
	if ((fl & JV_ANY_START) == 0)
		fl |= JV_NO_FORMULA;
	return fl;
}

static size_t jsonv_one(const cJSON *it, const struct jv_field *f, const char *ptr, struct jv_value *v,
			struct problem *p)
{
	char list[200];
	const char *why;

	v->item = it;
	switch (f->type) {
	case JV_STRING:
		if (!cJSON_IsString(it))
			return problem_field(p, ptr, "must be a string"), 1;
		v->s = it->valuestring;
		if ((int64_t)utf8_chars(v->s) < f->min)
			return problem_field(p, ptr, f->min == 1 ? "must not be empty" :
					     "must be at least %lld characters", (long long)f->min), 1;
		if (f->max > 0 && (int64_t)utf8_chars(v->s) > f->max)
			return problem_field(p, ptr, "must be at most %lld characters", (long long)f->max), 1;
		if (f->choices != NULL) {
			size_t i = 0;

			while (f->choices[i] != NULL && strcmp(f->choices[i], v->s) != 0)
				i++;
			if (f->choices[i] == NULL) {
				jsonv_choices(list, sizeof(list), f->choices);
				return problem_field(p, ptr, "must be one of: %s", list), 1;
			}
		}
		/* the table's own rules, its check (the more telling message), then free text's */
		if ((why = jsonv_text(v->s, f->flags)) != NULL ||
		    (f->check != NULL && (why = f->check(v->s)) != NULL) ||
		    (why = jsonv_text(v->s, jsonv_text_flags(f))) != NULL)
			return problem_field(p, ptr, "%s", why), 1;
		return 0;
	case JV_INT:
		if (jsonv_int(it, &v->i) != 0)
			return problem_field(p, ptr, "must be an integer (at most 2^53 in size)"), 1;
		if (v->i < f->min || v->i > f->max)
			return problem_field(p, ptr, "must be between %lld and %lld", (long long)f->min,
					     (long long)f->max), 1;
		return 0;
	case JV_HUNDREDTHS:
		if (jsonv_hundredths(it, &v->i) != 0)
			return problem_field(p, ptr, "must be a number with at most two decimals"), 1;
		if (v->i < f->min || v->i > f->max) {
			char lo[32], hi[32];

			jsonv_fmt_hundredths(f->min, lo, sizeof(lo));
			jsonv_fmt_hundredths(f->max, hi, sizeof(hi));
			return problem_field(p, ptr, "must be between %s and %s", lo, hi), 1;
		}
		return 0;
	case JV_BOOL:
		if (!cJSON_IsBool(it))
			return problem_field(p, ptr, "must be true or false"), 1;
		v->i = cJSON_IsTrue(it);
		return 0;
	case JV_DATE: {
		int32_t d;

		if (!cJSON_IsString(it) || date_parse(it->valuestring, &d) != 0)
			return problem_field(p, ptr, "must be a date written YYYY-MM-DD"), 1;
		v->s = it->valuestring;
		v->i = d;
		return 0;
	}
	case JV_ACYEAR: {
		int y;

		if (!cJSON_IsString(it) || acyear_parse(it->valuestring, &y) != 0)
			return problem_field(p, ptr, "must be an academic year written like 2026-27"), 1;
		v->s = it->valuestring;
		v->i = y;
		return 0;
	}
	case JV_OBJECT:
		if (!cJSON_IsObject(it))
			return problem_field(p, ptr, "must be an object"), 1;
		return 0;
	case JV_ARRAY:
		if (!cJSON_IsArray(it))
			return problem_field(p, ptr, "must be an array"), 1;
		return 0;
	}
	return 0;
}

size_t jsonv_object(const cJSON *obj, const char *prefix, const struct jv_field *fields, size_t n,
		    struct jv_value *out, struct problem *p)
{
	char ptr[256];
	size_t errors = 0;
	const cJSON *it;

	memset(out, 0, n * sizeof(*out));
	if (!cJSON_IsObject(obj)) {
		problem_field(p, prefix, "must be a JSON object");   /* "" is the whole body */
		return 1;
	}
	cJSON_ArrayForEach(it, obj) {
		size_t i = 0;

		while (i < n && strcmp(fields[i].name, it->string) != 0)
			i++;
		jsonv_ptr(ptr, sizeof(ptr), prefix, it->string);
		if (i == n) {
			problem_field(p, ptr, "unknown field");
			errors++;
			continue;
		}
		if (fields[i].flags & JV_READONLY) {
			out[i].item = it;                /* kept so a handler can compare, not stored */
			continue;
		}
		out[i].present = 1;
		if (cJSON_IsNull(it)) {
			out[i].is_null = 1;
			out[i].item = it;
			if ((fields[i].flags & JV_NULLABLE) == 0) {
				problem_field(p, ptr, "must not be null");
				errors++;
			}
			continue;
		}
		errors += jsonv_one(it, &fields[i], ptr, &out[i], p);
	}
	for (size_t i = 0; i < n; i++) {
		if ((fields[i].flags & JV_REQUIRED) && !out[i].present) {
			jsonv_ptr(ptr, sizeof(ptr), prefix, fields[i].name);
			problem_field(p, ptr, "is required");
			errors++;
		}
	}
	return errors;
}

/* ---- numbers as written ---- */

static int jsonv_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * The number token at s (s[0] is '-' or a digit; e ends the text), RFC 8259's
 * grammar; its length in *len. NULL when it is JSON and within 1e-300..1e300 (or
 * zero), else why with *status.
 */
static const char *jsonv_number_token(const char *s, const char *e, size_t *len, int *status)
{
	const char *c = s, *d0, *q;
	int nonzero = 0, eneg = 0;
	long mag = 0, ex = 0;

	*status = 400;
	if (c < e && *c == '-')
		c++;
	for (d0 = c; c < e && jsonv_digit(*c); c++)
		;
	*len = (size_t)(c - s);
	if (c == d0)
		return "is not a JSON number: a digit must follow the minus sign";
	if (*d0 == '0' && c - d0 > 1)
		return "is not a JSON number: no leading zeros (write 12, not 012)";
	for (q = d0; q < c && !nonzero; q++)
		if (*q != '0') {
			nonzero = 1;
			mag = (long)(c - q) - 1;
		}
	if (c < e && *c == '.') {
		const char *f0 = ++c;

		while (c < e && jsonv_digit(*c))
			c++;
		*len = (size_t)(c - s);
		if (c == f0)
			return "is not a JSON number: a digit must follow the decimal point";
		for (q = f0; q < c && !nonzero; q++)
			if (*q != '0') {
				nonzero = 1;
				mag = -(long)(q - f0) - 1;
			}
	}
	if (c < e && (*c == 'e' || *c == 'E')) {
		const char *x0;

		if (++c < e && (*c == '+' || *c == '-'))
			eneg = *c++ == '-';
		for (x0 = c; c < e && jsonv_digit(*c); c++)
			if (ex < 1000000)
				ex = ex * 10 + (*c - '0');
		*len = (size_t)(c - s);
		if (c == x0)
			return "is not a JSON number: digits must follow the exponent";
	}
	*status = 422;
	if (nonzero && mag + (eneg ? -ex : ex) > 300)
		return "is too large (more than 1e300)";
	if (nonzero && mag + (eneg ? -ex : ex) < -300)
		return "is too small: it would be read as 0";
	return NULL;
}

/* Walk to the k-th number of it's tree in document order, its pointer in ptr from off. 1 when found. */
static int jsonv_nth_number(const cJSON *it, size_t *k, char *ptr, size_t len, size_t off)
{
	const cJSON *c;
	size_t i = 0;

	if (cJSON_IsNumber(it))
		return (*k)-- == 0;
	if (!cJSON_IsArray(it) && !cJSON_IsObject(it))
		return 0;
	cJSON_ArrayForEach(c, it) {
		char idx[24];
		size_t o;

		if (cJSON_IsArray(it)) {
			snprintf(idx, sizeof(idx), "%zu", i++);
			o = jsonv_ptr_append(ptr, len, off, idx);
		} else {
			o = jsonv_ptr_append(ptr, len, off, c->string != NULL ? c->string : "");
		}
		if (jsonv_nth_number(c, k, ptr, len, o))
			return 1;
	}
	return 0;
}

const char *jsonv_numbers(const cJSON *root, const char *text, size_t n, char *ptr, size_t ptrlen, int *status)
{
	const char *e = text + n, *why;
	size_t k = 0, len;

	for (const char *c = text; c < e;) {
		if (*c == '"') {
			for (c++; c < e && *c != '"'; c++)
				if (*c == '\\')
					c++;
			c++;
			continue;
		}
		if (*c != '-' && !jsonv_digit(*c)) {
			c++;
			continue;
		}
		if ((why = jsonv_number_token(c, e, &len, status)) != NULL) {
			if (ptrlen > 0)
				ptr[0] = '\0';
			if (ptrlen > 0 && !jsonv_nth_number(root, &k, ptr, ptrlen, 0))
				ptr[0] = '\0';
			return why;
		}
		c += len;
		k++;
	}
	return NULL;
}
