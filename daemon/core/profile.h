/*
 * profile.h - monthly profiles: twelve weights in basis points (September first) that split a
 * year's amount into its months, exactly. Pure, thread-safe, no allocation.
 *
 * A month of an academic year is 1..12 (1 = September, 12 = August); arrays index it 0..11.
 * Weights are stored and written as text "834,834,..." (profiles.weights,
 * budget_lines.profile_weights); the budget CSV writes them separated by spaces.
 */
#ifndef BURSAR_PROFILE_H
#define BURSAR_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define PROFILE_MONTHS 12
#define PROFILE_NAME_MAX 32
#define PROFILE_WEIGHTS_TEXT_MAX 120      /* 12 x "10000" + 11 separators fits */
#define PROFILE_MONTHS_TEXT_MAX 300       /* 12 pence figures, the months_pence column */

/* amount split by w (bp, sum 10000): each month floor(|amount| * w / 10000), the pence left over
 * one each to the largest remainders (ties: the earlier month), the sign put back; the twelve
 * sum to amount exactly (a zero weight's month is always 0). 0, or -1 when w is not a valid
 * profile or amount is INT64_MIN (out untouched). */
int profile_split(int64_t amount, const int32_t w[PROFILE_MONTHS], int64_t out[PROFILE_MONTHS])
	__attribute__((warn_unused_result));

/* 1: each weight 0..10000 and the twelve sum to 10000; else 0. */
int profile_weights_valid(const int32_t w[PROFILE_MONTHS]);

/* Twelve non-negative decimal integers separated by commas and/or spaces ("834,834,..." or
 * "834 834 ..."), surrounding spaces allowed: 0, or -1 when the text is not twelve integers
 * of 0..10000 (w untouched). The sum is not checked: profile_weights_valid does. */
int profile_weights_parse(const char *text, int32_t w[PROFILE_MONTHS])
	__attribute__((warn_unused_result));

/* "834,834,...,833" (sep ','), or separated by spaces (the CSV column) with
 * profile_weights_format_sep(w, ' ', ...). buf >= PROFILE_WEIGHTS_TEXT_MAX. */
void profile_weights_format(const int32_t w[PROFILE_MONTHS], char *buf, size_t len);
void profile_weights_format_sep(const int32_t w[PROFILE_MONTHS], char sep, char *buf, size_t len);

/* Weights from JSON: an array of twelve integers 0..10000 summing to 10000. NULL with w set, or
 * why not ("must be 12 integers of 0 to 10000", "must sum to 10000 (these sum to 9999)"; a
 * per-thread buffer until the next call). */
const char *profile_weights_from_json(const cJSON *a, int32_t w[PROFILE_MONTHS]);

/* 1: name matches [a-z][a-z0-9_]{0,31}; else 0 (NULL too). */
int profile_name_valid(const char *name);

/* Twelve months as text "123,-4,..." (budget_lines.months_pence); buf >= PROFILE_MONTHS_TEXT_MAX. */
void profile_months_format(const int64_t m[PROFILE_MONTHS], char *buf, size_t len);

/* "123,-4,..." back into twelve pence figures: 0, or -1 when not twelve integers (m untouched).
 * The caller checks the sum against the line's amount. */
int profile_months_parse(const char *text, int64_t m[PROFILE_MONTHS])
	__attribute__((warn_unused_result));

/* The month 1..12 of the academic year for a calendar month (1..12): September is 1. */
int profile_month_of(int calendar_month);

#endif
