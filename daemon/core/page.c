/* page.c - see page.h */
#include "page.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

#define US_PER_DAY INT64_C(86400000000)

static int page_digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* "YYYY-MM-DD?HH:MM:SS[.f{1,6}]" with ? = sep; returns the rest, or NULL. */
static const char *ts_parse_common(const char *s, char sep, int64_t *us)
{
	char date[11];
	int32_t days;
	int hh, mm, ss, frac = 0, fd = 0;

	if (strlen(s) < 19 || s[10] != sep || s[13] != ':' || s[16] != ':')
		return NULL;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (date_parse(date, &days) != 0 || page_digits(s + 11, 2, &hh) || page_digits(s + 14, 2, &mm) ||
	    page_digits(s + 17, 2, &ss) || hh > 23 || mm > 59 || ss > 59)
		return NULL;
	s += 19;
	if (*s == '.') {
		s++;
		while (isdigit((unsigned char)*s)) {
			if (fd < 6) {
				frac = frac * 10 + (*s - '0');
				fd++;
			}
			s++;
		}
		if (fd == 0)
			return NULL;
		while (fd++ < 6)
			frac *= 10;
	}
	*us = days * US_PER_DAY + ((int64_t)hh * 3600 + mm * 60 + ss) * 1000000 + frac;
	return s;
}

int ts_parse_rfc3339(const char *s, int64_t *us)
{
	int64_t v;
	const char *rest = ts_parse_common(s, 'T', &v);
	int oh, om, sign;

	if (rest == NULL && (rest = ts_parse_common(s, 't', &v)) == NULL)
		return -1;
	if ((rest[0] == 'Z' || rest[0] == 'z') && rest[1] == '\0') {
		*us = v;
		return 0;
	}
	if ((rest[0] != '+' && rest[0] != '-' && rest[0] != ' ') || strlen(rest) != 6 ||
	    rest[3] != ':' || page_digits(rest + 1, 2, &oh) || page_digits(rest + 4, 2, &om) ||
	    oh > 23 || om > 59)
		return -1;
	sign = rest[0] == '-' ? -1 : 1;
	*us = v - sign * ((int64_t)oh * 3600 + om * 60) * 1000000;
	return 0;
}

int ts_parse_db(const char *s, int64_t *us)
{
	const char *rest = ts_parse_common(s, ' ', us);

	return rest != NULL && *rest == '\0' ? 0 : -1;
}

void ts_format_db(int64_t us, char *buf, size_t len)
{
	int64_t days = us / US_PER_DAY, rem = us % US_PER_DAY;
	int y, m, d;

	if (rem < 0) {
		rem += US_PER_DAY;
		days--;
	}
	date_to_ymd((int32_t)days, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d.%06d", y, m, d,
		 (int)(rem / 3600000000), (int)(rem / 60000000 % 60), (int)(rem / 1000000 % 60),
		 (int)(rem % 1000000));
}

void ts_rfc3339_from_db(const char *db_ts, char *buf, size_t len)
{
	snprintf(buf, len, "%.10sT%sZ", db_ts, strlen(db_ts) > 11 ? db_ts + 11 : "00:00:00");
}

int page_cursor(char *buf, size_t len, const char *db_ts, int64_t id)
{
	int64_t us;

	if (ts_parse_db(db_ts, &us) != 0)
		return -1;
	snprintf(buf, len, "c%lld.%lld", (long long)us, (long long)id);
	return 0;
}

static int page_cursor_parse(const char *s, int64_t *us, int64_t *id)
{
	char *end;

	if (s[0] != 'c' || !isdigit((unsigned char)s[1]))
		return -1;
	errno = 0;
	*us = strtoll(s + 1, &end, 10);
	if (*end != '.' || !isdigit((unsigned char)end[1]) || errno == ERANGE)
		return -1;
	*id = strtoll(end + 1, &end, 10);
	if (errno == ERANGE || *end != '\0' || *us <= 0 || *us > INT64_C(32503680000000000) || *id < 0)
		return -1;
	return 0;
}

void page_key_cursor(char *buf, size_t len, const char *sort, const char *key, int64_t id)
{
	size_t o = (size_t)snprintf(buf, len, "%s.", sort);

	for (const unsigned char *k = (const unsigned char *)(key != NULL ? key : ""); *k != '\0' && o + 3 < len; k++)
		o += (size_t)snprintf(buf + o, len - o, "%02x", *k);
	snprintf(buf + o, len - o, ".%lld", (long long)id);
}

static int page_hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int page_key_cursor_parse(const char *s, const char *sort, char *key, size_t keylen, int64_t *id)
{
	size_t n = strlen(sort), k = 0;
	const char *h;
	char *end;

	if (keylen == 0 || strncmp(s, sort, n) != 0 || s[n] != '.')
		return -1;
	for (h = s + n + 1; h[0] != '.' && h[0] != '\0'; h += 2) {
		int hi = page_hex(h[0]), lo = page_hex(h[1]);

		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0) || k + 1 >= keylen)
			return -1;
		key[k++] = (char)(hi * 16 + lo);
	}
	key[k] = '\0';
	if (h[0] != '.' || h[1] < '0' || h[1] > '9')
		return -1;
	errno = 0;
	*id = strtoll(h + 1, &end, 10);
	if (*end != '\0' || *id < 0 || errno == ERANGE)
		return -1;
	return 0;
}

int page_parse(const char *limit, const char *after, const char *since, struct page *pg,
	       struct problem *p)
{
	int errors = 0;

	memset(pg, 0, sizeof(*pg));
	pg->limit = PAGE_DEFAULT_LIMIT;
	if (limit != NULL) {
		char *end;
		long v = strtol(limit, &end, 10);

		if (!isdigit((unsigned char)limit[0]) || *end != '\0' || v < 1 || v > PAGE_MAX_LIMIT) {
			problem_field(p, "query:limit", "must be an integer from 1 to %d", PAGE_MAX_LIMIT);
			errors++;
		} else {
			pg->limit = (int)v;
		}
	}
	if (after != NULL) {
		int64_t us;

		if (page_cursor_parse(after, &us, &pg->after_id) != 0) {
			problem_field(p, "query:after", "is not a cursor this server gave out");
			errors++;
		} else {
			pg->has_after = 1;
			ts_format_db(us, pg->after_ts, sizeof(pg->after_ts));
		}
	}
	if (since != NULL) {
		int64_t us;

		if (ts_parse_rfc3339(since, &us) != 0) {
			problem_field(p, "query:updated_since",
				      "must be an RFC 3339 time such as 2026-11-22T09:00:00Z");
			errors++;
		} else {
			pg->has_since = 1;
			ts_format_db(us, pg->since_ts, sizeof(pg->since_ts));
		}
	}
	return errors ? -1 : 0;
}
