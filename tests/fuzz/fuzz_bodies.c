/*
 * fuzz_bodies.c - libFuzzer target for every resource's body validator and the
 * CSV cell writer. The first byte picks one of:
 *  - a handler's jsonv table (tests/fuzz/fuzz_tables.c: schools, years, suppliers,
 *    budgets and their lines, budget transitions, forecasts, scenarios, services,
 *    subscriptions, tokens, contract transitions), run over the rest as JSON;
 *  - the core's nested parsers: contract_body_parse (with its evidence, quotes,
 *    framework and notices tables) and scenario_parse;
 *  - csvcell_write, every CSV writer's text cells, with the rest as the text.
 * Invariants: the number of errors is the number reported; an accepted body has
 *   every required field, integers within their range and, in every string field
 *   without fixed choices, text that keeps the one text rule (no control
 *   characters, no leading formula character); jsonv_numbers never crashes and
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

static void fuzz_core_bodies(const cJSON *j, unsigned sel)
{
	struct problem *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return;
	if (sel & 1) {
		struct contract_body b;

		memset(&b, 0, sizeof(b));
		if (contract_body_parse(j, &b, p) != p->nerrors + p->nerrors_dropped)
			abort();
		contract_body_free(&b);
	} else {
		struct scenario s;

		memset(&s, 0, sizeof(s));
		(void)scenario_parse(cJSON_GetObjectItemCaseSensitive(j, "assumptions"),
				     cJSON_GetObjectItemCaseSensitive(j, "pupils"),
				     cJSON_GetObjectItemCaseSensitive(j, "places"), 2026, &s, p);
		scenario_free(&s);
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
		ptr[0] = 'x';
		if (jsonv_numbers(j, s, size, ptr, sizeof(ptr), &status) != NULL &&
		    ((status != 400 && status != 422) || (ptr[0] != '\0' && ptr[0] != '/')))
			abort();
		if (sel % 32 < fuzz_nall)
			fuzz_table(fuzz_all[sel % 32], j);
		else
			fuzz_core_bodies(j, sel);
	}
	cJSON_Delete(j);
	free(s);
	return 0;
}
