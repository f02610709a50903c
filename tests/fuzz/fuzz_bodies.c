/*
 * fuzz_bodies.c - libFuzzer target for every resource's body validator and the
 * CSV cell writer. The first byte picks one of:
 *  - a handler's jsonv table (tests/fuzz/fuzz_tables.c: schools, years, suppliers,
 *    budgets and their lines, budget transitions, forecasts, scenarios, services,
 *    subscriptions, tokens, contract transitions), run over the rest as JSON;
 *  - the core's nested parsers: contract_body_parse (with its evidence, quotes,
 *    framework and notices tables); a scenario's scenario_parse and
 *    scenario_parse_whatif (overrides, management actions) over one body; and
 *    scenario_merge ({"source": {...}, "body": {...}}: a copy_from), whose
 *    result is then parsed as the API parses it (both without a key twice in
 *    an object or a number out of range: bursard refuses such a body first);
 *  - csvcell_write, every CSV writer's text cells, with the rest as the text.
 * Invariants: the number of errors is the number reported; an accepted body has
 *   every required field, integers within their range and, in every string field
 *   without fixed choices, text that keeps the one text rule (no control
 *   characters, no leading formula character); a scenario's parsers report
 *   as many errors as they return and an accepted scenario is in order (models,
 *   plugins and settings sorted and unique, actions dated in order, amounts in
 *   range) and its stored form parses back to itself; a merge is an object
 *   without copy_from, keeps what the body replaces, leaves the source as it
 *   was, and merged again with nothing keeps every member; jsonv_numbers never crashes and
 *   names a pointer; a CSV cell reads back (RFC 4180) as the text, after a ' when
 *   it could start a formula, and what a spreadsheet reads never starts one.
 *
 * Build and run: make fuzz (clang); make test runs it briefly (tests/fuzz/run.sh).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "contract.h"
#include "csvcell.h"
#include "date.h"
#include "fuzz_tables.h"
#include "jsonv.h"
#include "problem.h"
#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct fuzz_table *const fuzz_files[FUZZ_TABLE_FILES] = {
	fuzz_tables_1, fuzz_tables_2, fuzz_tables_3, fuzz_tables_4, fuzz_tables_5,
	fuzz_tables_6, fuzz_tables_7, fuzz_tables_8, fuzz_tables_9, fuzz_tables_10, fuzz_tables_11, fuzz_tables_12,
};

/* Every table, in one list (built once). */
static const struct fuzz_table *fuzz_all[64];
static size_t fuzz_nall;

static void fuzz_collect(void)
{
	if (fuzz_nall > 0)
		return;
	for (size_t f = 0; f < FUZZ_TABLE_FILES; f++)
		for (const struct fuzz_table *t = fuzz_files[f]; t->name != NULL && fuzz_nall < 64; t++)
			fuzz_all[fuzz_nall++] = t;
}

/* The rule jsonv applies to a string field's text, as jsonv.h states it. */
static unsigned fuzz_text_rule(const struct jv_field *f)
{
	unsigned fl = f->flags & (JV_LINE | JV_LINES | JV_NO_FORMULA | JV_NOT_BLANK);

	if (f->choices != NULL || (f->flags & JV_SECRET))
		return fl;
	if ((fl & JV_LINES) == 0)
		fl |= JV_LINE;
	if ((f->flags & JV_ANY_START) == 0)
		fl |= JV_NO_FORMULA;
	return fl;
}

static void fuzz_table(const struct fuzz_table *t, const cJSON *j)
{
	struct jv_value v[64];
	struct problem *p = calloc(1, sizeof(*p));
	size_t errors;

	if (p == NULL || t->n > 64)
		goto out;
	errors = jsonv_object(j, "", t->fields, t->n, v, p);
	if (errors != p->nerrors + p->nerrors_dropped)
		abort();
	if (errors != 0)
		goto out;
	for (size_t i = 0; i < t->n; i++) {
		const struct jv_field *f = &t->fields[i];

		if (f->flags & JV_READONLY)
			continue;
		if ((f->flags & JV_REQUIRED) && !v[i].present)
			abort();
		if (!v[i].present || v[i].is_null)
			continue;
		if (f->type == JV_INT && (v[i].i < f->min || v[i].i > f->max))
			abort();
		if (f->type == JV_STRING && jsonv_text(v[i].s, fuzz_text_rule(f)) != NULL)
			abort();                 /* the one text rule, in every table */
		if (f->type == JV_STRING && f->choices == NULL && f->check == NULL &&
		    (f->flags & (JV_ANY_START | JV_SECRET)) == 0 && csvcell_is_formula(v[i].s))
			abort();                 /* no free text a spreadsheet would run */
	}
out:
	free(p);
}

/* A scenario body parsed as the API parses it (base year 2026-27): the number of
 * errors is the number reported; accepted, it is in order and its stored form
 * (scenario_spec_json) parses back to the same stored form. */
static void fuzz_scenario(const cJSON *j)
{
	struct problem *p = calloc(1, sizeof(*p));
	struct scenario s, back;
	cJSON *spec = NULL, *spec2 = NULL;
	char *t1 = NULL, *t2 = NULL;
	size_t errors;

	memset(&s, 0, sizeof(s));
	memset(&back, 0, sizeof(back));
	if (p == NULL)
		return;
	errors = scenario_parse(cJSON_GetObjectItemCaseSensitive(j, "assumptions"),
				cJSON_GetObjectItemCaseSensitive(j, "pupils"),
				cJSON_GetObjectItemCaseSensitive(j, "places"), 2026, &s, p);
	errors += scenario_parse_whatif(cJSON_GetObjectItemCaseSensitive(j, "overrides"),
					cJSON_GetObjectItemCaseSensitive(j, "actions"), &s, p);
	if (errors != p->nerrors + p->nerrors_dropped)
		abort();
	if (errors != 0)
		goto out;
	for (size_t i = 0; i < s.nmodels; i++) {
		if (strlen(s.models[i].urn) != 6 || (i > 0 && strcmp(s.models[i - 1].urn, s.models[i].urn) >= 0) ||
		    scenario_model_of(&s, s.models[i].urn) != s.models[i].model)
			abort();
	}
	for (size_t i = 0; i < s.nplugins; i++) {
		if ((i > 0 && strcmp(s.plugins[i - 1].name, s.plugins[i].name) >= 0) ||
		    scenario_plugin_of(&s, s.plugins[i].name) != &s.plugins[i])
			abort();
		for (size_t k = 1; k < s.plugins[i].n; k++)
			if (strcmp(s.plugins[i].items[k - 1].key, s.plugins[i].items[k].key) >= 0)
				abort();
	}
	for (size_t i = 0; i < s.nactions; i++) {
		const struct scenario_action *a = &s.actions[i];

		if ((a->to != FORECAST_NO_DATE && a->to < a->from) || a->annual_pence > SCENARIO_ACTION_PENCE_MAX ||
		    a->annual_pence < -SCENARIO_ACTION_PENCE_MAX || a->note[0] == '\0')
			abort();
		/* post actions: a reference (end, fte), an FTE of 1..100, a post_start's post in range */
		if ((a->type == SCENARIO_ACTION_POST_END || a->type == SCENARIO_ACTION_POST_FTE) && a->post_ref[0] == '\0')
			abort();
		if (a->type == SCENARIO_ACTION_POST_FTE && (a->fte_h < 1 || a->fte_h > 100))
			abort();
		if ((a->type == SCENARIO_ACTION_POST_START) != (a->post != NULL))
			abort();
		if (a->post != NULL && (a->post->fte_h < 1 || a->post->fte_h > 100 || a->post->paid_weeks_h < 0 ||
					a->post->paid_weeks_h > 5214 || a->post->reference[0] == '\0' ||
					(a->post->ends_on != FORECAST_NO_DATE && a->post->starts_on != FORECAST_NO_DATE &&
					 a->post->ends_on < a->post->starts_on)))
			abort();
	}
	for (size_t i = 0; i < s.nstaff_by_post; i++)
		if ((i > 0 && strcmp(s.staff_by_post[i - 1].urn, s.staff_by_post[i].urn) >= 0) ||
		    scenario_staff_by_post_of(&s, s.staff_by_post[i].urn) != s.staff_by_post[i].on)
			abort();
	for (size_t i = 0; i < s.nrate_changes; i++)
		if (s.rate_changes[i].rate_bp < 0 || s.rate_changes[i].rate_bp > 10000 ||
		    (!s.rate_changes[i].lgps && s.rate_changes[i].urn[0] != '\0'))
			abort();
	if ((spec = scenario_spec_json(&s)) == NULL)
		goto out;
	memset(p, 0, sizeof(*p));
	if (scenario_parse(cJSON_GetObjectItemCaseSensitive(spec, "assumptions"),
			   cJSON_GetObjectItemCaseSensitive(spec, "pupils"),
			   cJSON_GetObjectItemCaseSensitive(spec, "places"), 2026, &back, p) != 0 ||
	    scenario_parse_whatif(cJSON_GetObjectItemCaseSensitive(spec, "overrides"),
				  cJSON_GetObjectItemCaseSensitive(spec, "actions"), &back, p) != 0)
		abort();                         /* the stored form is refused */
	if ((spec2 = scenario_spec_json(&back)) == NULL || (t1 = cJSON_PrintUnformatted(spec)) == NULL ||
	    (t2 = cJSON_PrintUnformatted(spec2)) == NULL)
		goto out;
	if (strcmp(t1, t2) != 0)
		abort();                         /* the stored form is not a fixed point */
out:
	cJSON_free(t1);
	cJSON_free(t2);
	cJSON_Delete(spec);
	cJSON_Delete(spec2);
	scenario_free(&s);
	scenario_free(&back);
	free(p);
}

/* scenario_merge(j.source, j.body) for objects, as POST /api/v1/scenarios calls it. */
static void fuzz_merge(const cJSON *j)
{
	static const char *const kept[] = { "description", "base_year", "horizon", "assumptions", "pupils", "places",
					    "overrides", "actions", NULL };
	const cJSON *src = cJSON_GetObjectItemCaseSensitive(j, "source");
	const cJSON *body = cJSON_GetObjectItemCaseSensitive(j, "body");
	cJSON *out = NULL, *again = NULL, *empty = NULL;
	char *before = NULL, *after = NULL;
	const cJSON *it;

	if (!cJSON_IsObject(src) || !cJSON_IsObject(body) || (before = cJSON_PrintUnformatted(src)) == NULL)
		goto out;
	if ((out = scenario_merge(src, body)) == NULL)
		goto out;                        /* no memory */
	if (!cJSON_IsObject(out) || cJSON_GetObjectItemCaseSensitive(out, "copy_from") != NULL)
		abort();
	if ((after = cJSON_PrintUnformatted(src)) == NULL)
		goto out;
	if (strcmp(before, after) != 0)
		abort();                         /* the source changed */
	/* a member the body gives, other than the merged ones, is the body's */
	cJSON_ArrayForEach(it, body) {
		const cJSON *have;

		if (strcmp(it->string, "copy_from") == 0 || strcmp(it->string, "assumptions") == 0 ||
		    strcmp(it->string, "overrides") == 0)
			continue;
		if ((have = cJSON_GetObjectItemCaseSensitive(out, it->string)) == NULL || !cJSON_Compare(have, it, 1))
			abort();
	}
	/* a kept member the body does not give is the source's */
	for (const char *const *k = kept; *k != NULL; k++) {
		const cJSON *sv = cJSON_GetObjectItemCaseSensitive(src, *k);

		if (sv != NULL && cJSON_GetObjectItemCaseSensitive(body, *k) == NULL &&
		    !cJSON_Compare(cJSON_GetObjectItemCaseSensitive(out, *k), sv, 1))
			abort();
	}
	/* merged again with nothing, every kept member stays as it is */
	if ((empty = cJSON_CreateObject()) == NULL || (again = scenario_merge(out, empty)) == NULL)
		goto out;
	for (const char *const *k = kept; *k != NULL; k++) {
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(out, *k), *b = cJSON_GetObjectItemCaseSensitive(again, *k);

		if ((a == NULL) != (b == NULL) || (a != NULL && !cJSON_Compare(a, b, 1)))
			abort();
	}
	fuzz_scenario(out);                      /* then parsed, as the API does */
out:
	cJSON_free(before);
	cJSON_free(after);
	cJSON_Delete(out);
	cJSON_Delete(again);
	cJSON_Delete(empty);
}

/* A key twice in one object anywhere in the tree: bursard refuses such a body (400
 * duplicate-key, http.c) before a parser sees it (as it refuses a number out of
 * range), and a stored scenario is written by scenario_spec_json, so the
 * scenario's parsers are given neither. */
static int fuzz_dup_keys(const cJSON *n)
{
	for (const cJSON *a = n->child; a != NULL; a = a->next) {
		if (cJSON_IsObject(n))
			for (const cJSON *b = a->next; b != NULL; b = b->next)
				if (strcmp(a->string, b->string) == 0)
					return 1;
		if (fuzz_dup_keys(a))
			return 1;
	}
	return 0;
}

/* refused: jsonv_numbers refused a number in j (bursard answers 400 or 422 first). */
static void fuzz_core_bodies(const cJSON *j, unsigned sel, int refused)
{
	struct problem *p;

	if ((sel & 1) == 0) {
		if (refused || fuzz_dup_keys(j))
			return;
		if (sel & 2)
			fuzz_merge(j);
		else
			fuzz_scenario(j);
		return;
	}
	if ((p = calloc(1, sizeof(*p))) != NULL) {
		struct contract_body b;

		memset(&b, 0, sizeof(b));
		if (contract_body_parse(j, &b, p) != p->nerrors + p->nerrors_dropped)
			abort();
		contract_body_free(&b);
	}
	free(p);
}

struct fuzz_out {
	char *buf;
	size_t len, cap;
};

static void fuzz_put(void *ctx, const char *s, size_t n)
{
	struct fuzz_out *o = ctx;

	if (o->len + n + 1 > o->cap)
		abort();                 /* sized for the worst case below */
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

/* A cell reads back as RFC 4180 says: the text, after a ' when it could be a formula. */
static void fuzz_csvcell(const char *s, unsigned flags)
{
	size_t n = strlen(s);
	struct fuzz_out o = { .cap = 2 * n + 8 };
	char *back;
	size_t k = 0;
	int tick = csvcell_is_formula(s);

	if ((o.buf = malloc(o.cap)) == NULL || (back = malloc(n + 2)) == NULL) {
		free(o.buf);
		return;
	}
	csvcell_write(s, flags, fuzz_put, &o);
	if (o.len > 0 && o.buf[0] == '"') {
		if (o.len < 2 || o.buf[o.len - 1] != '"')
			abort();
		for (size_t i = 1; i + 1 < o.len; i++) {
			if (o.buf[i] == '"') {
				if (o.buf[i + 1] != '"' || i + 2 >= o.len)
					abort();         /* a lone quote inside */
				i++;
			}
			back[k++] = o.buf[i];
		}
	} else {
		if ((flags & CSVCELL_QUOTE) || strpbrk(o.buf, ",\"\r\n") != NULL)
			abort();                 /* unquoted, but needed quotes */
		memcpy(back, o.buf, o.len);
		k = o.len;
	}
	back[k] = '\0';
	if (strcmp(back + tick, s) != 0 || (tick && back[0] != '\'') || csvcell_is_formula(back))
		abort();
	free(back);
	free(o.buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, ptr[128];
	unsigned sel;
	int status;
	cJSON *j;

	if (size < 1)
		return 0;
	fuzz_collect();
	sel = data[0];
	data++;
	size--;
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (sel >= 224) {
		fuzz_csvcell(s, sel & 1 ? CSVCELL_QUOTE : 0);
		free(s);
		return 0;
	}
	j = cJSON_ParseWithLengthOpts(s, size, NULL, 0);
	if (j != NULL) {
		const char *refused;

		ptr[0] = 'x';
		refused = jsonv_numbers(j, s, size, ptr, sizeof(ptr), &status);
		if (refused != NULL && ((status != 400 && status != 422) || (ptr[0] != '\0' && ptr[0] != '/')))
			abort();
		if (sel % 32 < fuzz_nall)
			fuzz_table(fuzz_all[sel % 32], j);
		else
			fuzz_core_bodies(j, sel, refused != NULL);
	}
	cJSON_Delete(j);
	free(s);
	return 0;
}
