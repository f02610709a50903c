/* config_ints.c - see config_ints.h */
#include "config_ints.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first integer setting of the given type on file:line (with value, if match). */
static const config_setting_t *ints_find_line(const config_setting_t *s, const char *file, int line,
					      int type, int64_t value, bool match)
{
	if (config_setting_is_aggregate(s)) {
		for (int i = 0; i < config_setting_length(s); i++) {
			const config_setting_t *r = ints_find_line(config_setting_get_elem(s, (unsigned)i),
								   file, line, type, value, match);
			if (r != NULL)
				return r;
		}
		return NULL;
	}
	if (config_setting_type(s) == type && (int)config_setting_source_line(s) == line &&
	    config_setting_source_file(s) != NULL && strcmp(config_setting_source_file(s), file) == 0 &&
	    (!match || config_setting_get_int64(s) == value))
		return s;
	return NULL;
}

/* Fill in bad; returns 1. */
__attribute__((format(printf, 5, 6)))
static int ints_bad(struct config_ints_bad *bad, const config_setting_t *s, const char *file, int line,
		   const char *fmt, ...)
{
	va_list ap;

	bad->setting = s;
	bad->file = file;
	bad->line = line;
	va_start(ap, fmt);
	vsnprintf(bad->msg, sizeof(bad->msg), fmt, ap);
	va_end(ap);
	return 1;
}

/* One number token, known valid to libconfig: is its value what the file says? 0, or 1 (bad). */
static int ints_check_literal(const config_t *lc, struct config_ints_bad *bad, const char *file, int line,
			     const char *tok, size_t len)
{
	char buf[64];
	const config_setting_t *s, *root = config_root_setting(lc);
	size_t nl = 0;
	bool hex, wrong = false;
	int64_t got;
	int type;

	while (nl < len && tok[len - 1 - nl] == 'L')
		nl++;
	if (len - nl >= sizeof(buf))
		return ints_bad(bad, NULL, file, line, "number %.*s is too long", (int)len, tok);
	memcpy(buf, tok, len - nl);
	buf[len - nl] = '\0';
	hex = strncmp(buf, "0x", 2) == 0 || strncmp(buf, "0X", 2) == 0;
	if (!hex && strpbrk(buf, ".eE") != NULL)
		return 0;                                 /* a float */
	errno = 0;
	if (hex) {
		unsigned long long u = strtoull(buf, NULL, 16);

		wrong = errno == ERANGE || u > (nl > 0 ? (unsigned long long)INT64_MAX : 0x7fffffffULL);
		got = nl > 0 ? (int64_t)u : (int32_t)(uint32_t)u;
	} else {
		long long v = strtoll(buf, NULL, 10);

		wrong = errno == ERANGE || (nl == 0 && (v < INT32_MIN || v > INT32_MAX));
		got = nl > 0 ? (int64_t)v : (int32_t)(uint32_t)(uint64_t)v;
	}
	if (!wrong)
		return 0;
	type = nl > 0 ? CONFIG_TYPE_INT64 : CONFIG_TYPE_INT;
	if ((s = ints_find_line(root, file, line, type, got, true)) == NULL)
		s = ints_find_line(root, file, line, type, got, false);
	if (nl > 0 || errno == ERANGE)
		return ints_bad(bad, s, file, line, "%.*s is out of range", (int)len, tok);
	return ints_bad(bad, s, file, line, "%s does not fit in 32 bits: write %sL", buf, buf);
}

static bool ints_name_char(int ch)
{
	return isalnum(ch) || ch == '-' || ch == '_' || ch == '*';
}

/* Tokenise just enough of libconfig's grammar to find every number literal. */
static int ints_scan_text(const config_t *lc, struct config_ints_bad *bad, const char *file, const char *p)
{
	int line = 1;

	while (*p != '\0') {
		if (*p == '\n') {
			line++;
			p++;
		} else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
			while (*p != '\0' && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			for (p += 2; *p != '\0' && !(p[0] == '*' && p[1] == '/'); p++)
				line += *p == '\n';
			p += *p != '\0' ? 2 : 0;
		} else if (*p == '"') {
			for (p++; *p != '\0' && *p != '"'; p++) {
				if (*p == '\\' && p[1] != '\0')
					p++;
				line += *p == '\n';
			}
			p += *p != '\0';
		} else if (isalpha((unsigned char)*p) || *p == '*') {
			while (ints_name_char((unsigned char)*p))
				p++;
		} else if (isdigit((unsigned char)*p) ||
			   ((*p == '-' || *p == '+' || *p == '.') && isdigit((unsigned char)p[1]))) {
			const char *start = p;
			const char *digits = (*p == '-' || *p == '+') ? p + 1 : p;
			bool hex = digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X');

			for (p++; isalnum((unsigned char)*p) || *p == '.' ||
				  (!hex && (*p == '-' || *p == '+') && (p[-1] == 'e' || p[-1] == 'E'));
			     p++)
				;
			if (ints_check_literal(lc, bad, file, line, start, (size_t)(p - start)) != 0)
				return 1;
		} else {
			p++;
		}
	}
	return 0;
}

/* Every file the settings came from (the main one and any @include). */
static void ints_collect_files(const config_setting_t *s, const char **files, size_t *n, size_t max)
{
	const char *f = config_setting_source_file(s);

	if (f != NULL) {
		size_t i;

		for (i = 0; i < *n && strcmp(files[i], f) != 0; i++)
			;
		if (i == *n && *n < max)
			files[(*n)++] = f;
	}
	if (config_setting_is_aggregate(s))
		for (int i = 0; i < config_setting_length(s); i++)
			ints_collect_files(config_setting_get_elem(s, (unsigned)i), files, n, max);
}

int config_ints_scan(const config_t *lc, struct config_ints_bad *bad)
{
	const char *files[32];
	size_t n = 0;

	memset(bad, 0, sizeof(*bad));
	ints_collect_files(config_root_setting(lc), files, &n, sizeof(files) / sizeof(files[0]));
	for (size_t i = 0; i < n; i++) {
		FILE *f = fopen(files[i], "re");
		char *text = NULL;
		size_t cap = 0;
		ssize_t got;
		int rc;

		if (f == NULL) {
			ints_bad(bad, NULL, files[i], 0, "cannot read: %s", strerror(errno));
			return -1;
		}
		/* the whole file: a config file has no NUL bytes */
		if ((got = getdelim(&text, &cap, '\0', f)) < 0 && ferror(f)) {
			ints_bad(bad, NULL, files[i], 0, "cannot read: %s", strerror(errno));
			rc = -1;
		} else {
			/* an empty file gives -1 and a buffer that holds no text (tests/fuzz/fuzz_config) */
			rc = got > 0 ? ints_scan_text(lc, bad, files[i], text) : 0;
		}
		free(text);
		fclose(f);
		if (rc != 0)
			return rc;
	}
	return 0;
}
