/*
 * forecast_harness.h - the inputs and look-ups the forecast engine's unit tests
 * share (tests/unit/test_forecast*.c): a small chart, assumptions, entities, and
 * finding entities, lines, postings and warnings in a result. Include after
 * <cmocka.h> and "forecast.h". Each file uses what it needs (FH_UNUSED: no
 * warning for the rest).
 */
#ifndef BURSAR_TEST_FORECAST_HARNESS_H
#define BURSAR_TEST_FORECAST_HARNESS_H

#include <stdint.h>
#include <string.h>

#include "forecast.h"

#define ND FORECAST_NO_DATA
#define FH_UNUSED __attribute__((unused))

/* A small chart: code, group, default driver, income, gag, teacher, support, internal. */
static const struct forecast_account chart[] FH_UNUSED = {
	{ "CON01", "contingency", "fixed", 0, 0, 0, 0, 0 },
	{ "E01", "teaching_staff", "teacher_pay", 0, 0, 1, 0, 0 },
	{ "E03", "support_staff", "support_pay", 0, 0, 0, 1, 0 },
	{ "E05", "support_staff", "support_pay", 0, 0, 0, 1, 0 },
	{ "E08", "other_staff", "inflation:cpi", 0, 0, 0, 0, 0 },
	{ "E14", "premises", "services", 0, 0, 0, 0, 0 },
	{ "E16", "premises", "inflation:energy", 0, 0, 0, 0, 0 },
	{ "E17", "premises", "fixed", 0, 0, 0, 0, 0 },
	{ "E20", "ict", "inflation:cpi", 0, 0, 0, 0, 0 },
	{ "E28a", "services", "services", 0, 0, 0, 0, 0 },
	{ "I01", "gag", "pupils", 1, 1, 0, 0, 0 },
	{ "I01P", "gag", "places", 1, 1, 0, 0, 0 },
	{ "I03", "la_income", "pupils_current", 1, 0, 0, 0, 0 },
	{ "I05", "dfe_grants", "pupils", 1, 0, 0, 0, 0 },
	{ "I06", "dfe_grants", "funding", 1, 0, 0, 0, 0 },
	{ "I08", "self_generated", "inflation:cpi", 1, 0, 0, 0, 0 },
	{ "INT01", "internal", "fixed", 0, 0, 0, 0, 1 },
	{ "INT02", "internal", "fixed", 1, 0, 0, 0, 1 },
	{ "INT03", "internal", "fixed", 0, 0, 0, 0, 1 },
	{ "INT04", "internal", "fixed", 1, 0, 0, 0, 1 },
	{ "INT05", "internal", "fixed", 1, 0, 0, 0, 1 },
	{ "INT06", "internal", "fixed", 0, 0, 0, 0, 1 },
};
#define NCHART (sizeof(chart) / sizeof(chart[0]))

/* Base year 2026-27, H years; cpi and energy indices, place rate £10,000 a place. */
FH_UNUSED static struct forecast_assumptions assume(int H)
{
	struct forecast_assumptions a;

	memset(&a, 0, sizeof(a));
	a.base_year = 2026;
	a.horizon = H;
	for (int k = 0; k < FORECAST_NY; k++)
		a.place_rate_pence[k] = FORECAST_PLACE_RATE_DEFAULT;
	a.nindices = 2;
	memcpy(a.indices[0].name, "cpi", 4);
	memcpy(a.indices[1].name, "energy", 7);
	return a;
}

FH_UNUSED static struct forecast_entity_in entity(const char *urn, const char *model,
						  const struct forecast_line_in *lines, size_t n)
{
	struct forecast_entity_in e;

	memset(&e, 0, sizeof(e));
	e.urn = urn;
	e.name = urn;
	e.model = model;
	e.is_central = strcmp(urn, BURSAR_CENTRAL) == 0;
	e.selected = 1;
	e.lines = lines;
	e.nlines = n;
	e.has_opening = 1;
	for (int i = 0; i < FORECAST_NC; i++)
		e.pupils[i] = e.places[i] = ND;
	return e;
}

/* The census of Y0-2, Y0-1 and Y0. */
FH_UNUSED static void census(struct forecast_entity_in *e, int32_t a, int32_t b, int32_t c)
{
	e->pupils[0] = a;
	e->pupils[1] = b;
	e->pupils[2] = c;
}

FH_UNUSED static struct forecast_input input(const struct forecast_assumptions *a, struct forecast_entity_in *e,
					     size_t n)
{
	struct forecast_input in;

	memset(&in, 0, sizeof(in));
	in.a = a;
	in.accounts = chart;
	in.naccounts = NCHART;
	in.entities = e;
	in.nentities = n;
	return in;
}

FH_UNUSED static void run_ok(const struct forecast_input *in, struct forecast_result *r)
{
	char err[300];
	enum forecast_error kind = 0;

	if (forecast_run(in, r, &kind, err, sizeof(err)) != 0)
		fail_msg("forecast_run failed (%d): %s", (int)kind, err);
}

FH_UNUSED static const struct forecast_entity *find_entity(const struct forecast_result *r, const char *urn)
{
	for (size_t i = 0; i < r->nentities; i++)
		if (strcmp(r->entities[i].in->urn, urn) == 0)
			return &r->entities[i];
	fail_msg("no entity %s", urn);
	return NULL;
}

/* The n-th (0-based) non-posting line of an entity on a code. */
FH_UNUSED static const struct forecast_line *find_line(const struct forecast_entity *e, const char *code, int nth)
{
	for (size_t i = 0; i < e->nlines; i++)
		if (e->lines[i].origin != FO_POSTING && strcmp(e->lines[i].account->code, code) == 0 && nth-- == 0)
			return &e->lines[i];
	fail_msg("no line %s on %s", code, e->in->urn);
	return NULL;
}

/* The sum of an entity's posting lines on a code in year k. */
FH_UNUSED static int64_t posted(const struct forecast_entity *e, const char *code, int k)
{
	int64_t s = 0;

	for (size_t i = 0; i < e->nlines; i++)
		if (e->lines[i].origin == FO_POSTING && e->lines[i].k == k && strcmp(e->lines[i].account->code, code) == 0)
			s += e->lines[i].a[k];
	return s;
}

FH_UNUSED static int has_warning(const struct forecast_result *r, const char *urn, int year, const char *code)
{
	for (size_t i = 0; i < r->nwarnings; i++)
		if (strcmp(r->warnings[i].code, code) == 0 && (urn == NULL || strcmp(r->warnings[i].urn, urn) == 0) &&
		    (year == 0 || r->warnings[i].year == year))
			return 1;
	return 0;
}

static const struct forecast_line_in no_lines[1] FH_UNUSED;

#endif
