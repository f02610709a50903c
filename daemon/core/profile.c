/*
 * profile.c - monthly profiles: the exact split of a year's amount by twelve weights, and the
 * weights' and months' text forms. See profile.h.
 */
#include "profile.h"

#include <stdio.h>
#include <string.h>

#include "jsonv.h"
#include "money.h"

#define PROFILE_BP_ONE 10000

int profile_weights_valid(const int32_t w[PROFILE_MONTHS])
{
	int64_t sum = 0;

	for (int i = 0; i < PROFILE_MONTHS; i++) {
		if (w[i] < 0 || w[i] > PROFILE_BP_ONE)
			return 0;
		sum += w[i];
	}
	return sum == PROFILE_BP_ONE;
}

int profile_split(int64_t amount, const int32_t w[PROFILE_MONTHS], int64_t out[PROFILE_MONTHS])
{
	int64_t mag, floor_[PROFILE_MONTHS], rem[PROFILE_MONTHS], left;
	int given[PROFILE_MONTHS] = { 0 };

	if (!profile_weights_valid(w) || amount == INT64_MIN)
		return -1;
	mag = amount < 0 ? -amount : amount;
	left = mag;
	for (int i = 0; i < PROFILE_MONTHS; i++) {
		if (money_muldiv_floor(mag, w[i], PROFILE_BP_ONE, &floor_[i], &rem[i]) != 0)
			return -1;
		left -= floor_[i];
	}
	/* The remainders sum to left * 10000 and each is below 10000, so more than `left` months
	 * have one: the pence go to months with a weight. */
	for (; left > 0; left--) {
		int best = -1;

		for (int i = 0; i < PROFILE_MONTHS; i++)
			if (!given[i] && rem[i] > 0 && (best < 0 || rem[i] > rem[best]))
				best = i;
		if (best < 0)
			return -1;          /* unreachable with valid weights */
		given[best] = 1;
		floor_[best]++;
	}
	for (int i = 0; i < PROFILE_MONTHS; i++)
		out[i] = amount < 0 ? -floor_[i] : floor_[i];
	return 0;
}

/* Twelve integers separated by ',' and/or spaces into v; 0 or -1. lo/hi bound each. */
static int profile_ints_parse(const char *s, int64_t lo, int64_t hi, int64_t v[PROFILE_MONTHS])
{
	int n = 0;

	if (s == NULL)
		return -1;
	for (;;) {
		int neg = 0, digits = 0;
		int64_t x = 0;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		if (n == PROFILE_MONTHS)
			return -1;
		if (*s == '-') {
			neg = 1;
			s++;
		}
		while (*s >= '0' && *s <= '9') {
			if (x > (INT64_MAX - 9) / 10)
				return -1;
			x = x * 10 + (*s++ - '0');
			digits++;
		}
		if (digits == 0)
			return -1;
		x = neg ? -x : x;
		if (x < lo || x > hi)
			return -1;
		v[n++] = x;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == ',') {
			s++;
			while (*s == ' ' || *s == '\t')
				s++;
			if (*s == '\0' || *s == ',')
				return -1;      /* a trailing or doubled comma */
		}
	}
	return n == PROFILE_MONTHS ? 0 : -1;
}

int profile_weights_parse(const char *text, int32_t w[PROFILE_MONTHS])
{
	int64_t v[PROFILE_MONTHS];

	if (profile_ints_parse(text, 0, PROFILE_BP_ONE, v) != 0)
		return -1;
	for (int i = 0; i < PROFILE_MONTHS; i++)
		w[i] = (int32_t)v[i];
	return 0;
}

int profile_months_parse(const char *text, int64_t m[PROFILE_MONTHS])
{
	int64_t v[PROFILE_MONTHS];

	if (profile_ints_parse(text, -MONEY_JSON_MAX, MONEY_JSON_MAX, v) != 0)
		return -1;
	memcpy(m, v, sizeof(v));
	return 0;
}

void profile_weights_format_sep(const int32_t w[PROFILE_MONTHS], char sep, char *buf, size_t len)
{
	size_t at = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (int i = 0; i < PROFILE_MONTHS && at < len; i++) {
		int k = i ? snprintf(buf + at, len - at, "%c%d", sep, (int)w[i])
			  : snprintf(buf + at, len - at, "%d", (int)w[i]);

		if (k < 0)
			return;
		at += (size_t)k;
	}
}

void profile_weights_format(const int32_t w[PROFILE_MONTHS], char *buf, size_t len)
{
	profile_weights_format_sep(w, ',', buf, len);
}

void profile_months_format(const int64_t m[PROFILE_MONTHS], char *buf, size_t len)
{
	size_t at = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (int i = 0; i < PROFILE_MONTHS && at < len; i++) {
		int k = snprintf(buf + at, len - at, "%s%lld", i ? "," : "", (long long)m[i]);

		if (k < 0)
			return;
		at += (size_t)k;
	}
}

const char *profile_weights_from_json(const cJSON *a, int32_t w[PROFILE_MONTHS])
{
	static _Thread_local char why[80];
	int32_t v[PROFILE_MONTHS];
	int64_t sum = 0;
	const cJSON *x;
	int n = 0;

	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != PROFILE_MONTHS)
		return "must be 12 integers of 0 to 10000 (basis points, September first)";
	cJSON_ArrayForEach(x, a) {
		int64_t bp;

		if (jsonv_int(x, &bp) != 0 || bp < 0 || bp > PROFILE_BP_ONE)
			return "must be 12 integers of 0 to 10000 (basis points, September first)";
		v[n++] = (int32_t)bp;
		sum += bp;
	}
	if (sum != PROFILE_BP_ONE) {
		snprintf(why, sizeof(why), "must sum to 10000 (these sum to %lld)", (long long)sum);
		return why;
	}
	memcpy(w, v, sizeof(v));
	return NULL;
}

int profile_name_valid(const char *name)
{
	size_t n;

	if (name == NULL || !(name[0] >= 'a' && name[0] <= 'z'))
		return 0;
	for (n = 1; name[n] != '\0'; n++) {
		char c = name[n];

		if (n >= PROFILE_NAME_MAX)
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

int profile_month_of(int calendar_month)
{
	return calendar_month >= 9 ? calendar_month - 8 : calendar_month + 4;
}
