/*
 * rules.h - settings and text helpers shared by the bundled finance-rule
 * plugins (local.c, central.c): parsing their settings, writing explanations
 * without printf, reporting a finding. Header-only (static inline), so each
 * plugin stays one self-contained shared object. Not part of the plugin ABI
 * (that is bursar_plugin.h and bursar_arith.h, which a plugin includes
 * alone): the bundled plugins' own code, kept in one place; it includes nothing
 * of the daemon. The money arithmetic is bursar_arith.h's, the daemon's own.
 *
 * Every function is pure and thread-safe.
 */
#ifndef BURSAR_RULES_H
#define BURSAR_RULES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bursar_plugin.h"

/* A decimal integer (optional '-', digits only) within [min, max]: 0, or -1. */
static inline int rules_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	int neg = 0;
	uint64_t v = 0;

	if (s == NULL)
		return -1;
	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v > (uint64_t)INT64_MAX + (uint64_t)neg)
		return -1;
	if (neg) {
		int64_t r = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;

		if (r < min || r > max)
			return -1;
		*out = r;
	} else {
		if ((int64_t)v < min || (int64_t)v > max)
			return -1;
		*out = (int64_t)v;
	}
	return 0;
}

/* True when s is a URN: exactly six digits. */
static inline int rules_is_urn(const char *s)
{
	for (int i = 0; i < 6; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[6] == '\0';
}

/* When key is "<prefix><URN>" (e.g. "topslice_bp_159901"), the URN part; else NULL. */
static inline const char *rules_override_urn(const char *key, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(key, prefix, n) != 0 || !rules_is_urn(key + n))
		return NULL;
	return key + n;
}

/*
 * Text without printf: the explanations are written once per school per year,
 * so formatting is most of a plugin's time. A struct rules_buf writes into a
 * fixed buffer as snprintf would: what does not fit is cut (at the byte), and the
 * buffer is always NUL-terminated.
 */
struct rules_buf {
	char *p;
	size_t len, n;                          /* n < len: bytes written */
};

static inline void rules_buf_init(struct rules_buf *b, char *p, size_t len)
{
	b->p = p;
	b->len = len;
	b->n = 0;
	if (len > 0)
		p[0] = '\0';
}

static inline void rules_buf_mem(struct rules_buf *b, const char *s, size_t n)
{
	size_t room = b->len > b->n ? b->len - b->n - 1 : 0;

	if (b->len == 0)
		return;
	if (n > room)
		n = room;
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static inline void rules_buf_str(struct rules_buf *b, const char *s)
{
	rules_buf_mem(b, s, strlen(s));
}

/* The decimal digits of v at the end of tmp[24]; returns where they start. */
static inline char *rules_digits(uint64_t v, char *end)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	return end;
}

/* "%lld" */
static inline void rules_buf_int(struct rules_buf *b, int64_t v)
{
	char tmp[24], *d = rules_digits(v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, tmp + sizeof(tmp));

	if (v < 0)
		*--d = '-';
	rules_buf_mem(b, d, (size_t)(tmp + sizeof(tmp) - d));
}

/* "£1,234,567.89" (or "-£12.30"). */
static inline void rules_buf_pounds(struct rules_buf *b, int64_t pence)
{
	uint64_t v = pence < 0 ? (uint64_t)0 - (uint64_t)pence : (uint64_t)pence;
	char tmp[40], *end = tmp + sizeof(tmp), *d;
	uint64_t whole = v / 100;
	int n = 0;

	*--end = (char)('0' + v % 10);
	*--end = (char)('0' + v / 10 % 10);
	*--end = '.';
	d = end;
	do {
		if (n > 0 && n % 3 == 0)
			*--d = ',';
		*--d = (char)('0' + whole % 10);
		whole /= 10;
		n++;
	} while (whole > 0);
	*--d = '\xa3';
	*--d = '\xc2';
	if (pence < 0)
		*--d = '-';
	rules_buf_mem(b, d, (size_t)(tmp + sizeof(tmp) - d));
}

/* "5.00%" for 500 bp (or "-0.25%"). */
static inline void rules_buf_percent(struct rules_buf *b, int64_t bp)
{
	uint64_t v = bp < 0 ? (uint64_t)0 - (uint64_t)bp : (uint64_t)bp;
	char tmp[32], *end = tmp + sizeof(tmp), *d;

	*--end = '%';
	*--end = (char)('0' + v % 10);
	*--end = (char)('0' + v / 10 % 10);
	*--end = '.';
	d = rules_digits(v / 100, end);
	if (bp < 0)
		*--d = '-';
	rules_buf_mem(b, d, (size_t)(tmp + sizeof(tmp) - d));
}

/* "£1,234,567.89" (or "-£12.30") into buf; returns buf. len >= 32 always suffices. */
static inline const char *rules_pounds(int64_t pence, char *buf, size_t len)
{
	struct rules_buf b;

	rules_buf_init(&b, buf, len);
	rules_buf_pounds(&b, pence);
	return buf;
}

/* "5.00%" for 500 bp into buf; returns buf. len >= 24 always suffices. */
static inline const char *rules_percent(int64_t bp, char *buf, size_t len)
{
	struct rules_buf b;

	rules_buf_init(&b, buf, len);
	rules_buf_percent(&b, bp);
	return buf;
}

/* Report a finding through the daemon's callback (which copies). */
static inline int rules_finding(struct bursar_ctx *ctx, int severity, const char *field, const char *msg)
{
	struct bursar_finding f = { .size = sizeof(f), .severity = severity, .field = field,
				    .message = msg };

	return ctx->finding(ctx, &f);
}

#endif
