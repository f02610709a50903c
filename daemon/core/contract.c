/* contract.c - see contract.h */
#include "contract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "jsonv.h"
#include "money.h"
#include "page.h"

const char *const contract_categories[] = { "catering", "cleaning", "ict", "payroll_hr", "insurance", "energy",
					    "water", "audit", "legal", "grounds", "waste", "copiers",
					    "supply_agency", "compliance", "other", NULL };
const char *const contract_types[] = { "goods_services", "light_touch", "works", "concession",
				       "light_touch_concession", NULL };
const char *const contract_statuses[] = { "draft", "awaiting_approval", "active", "expired", "terminated", NULL };
static const char *const contract_units[] = { "days", "months", NULL };
static const char *const contract_ix_kinds[] = { "none", "fixed", "index", NULL };
static const char *const contract_indices[] = { "cpi", "rpi", "nlw", "energy", NULL };
static const char *const contract_call_offs[] = { "direct_award", "further_competition", NULL };

static int contract_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static const char *contract_check_reference(const char *s)
{
	if (!contract_alnum(s[0]))
		return "must start with a letter or a digit";
	for (; *s != '\0'; s++)
		if (!contract_alnum(*s) && strchr("._/-", *s) == NULL)
			return "may hold only letters, digits and . _ / -";
	return NULL;
}

/* A Find a Tender notice id: six digits, a hyphen, the year ("012345-2026"). */
static const char *contract_check_notice(const char *s)
{
	for (int i = 0; i < 11; i++)
		if (i == 6 ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9'))
			return "must be a Find a Tender notice id written like 012345-2026";
	return s[11] == '\0' ? NULL : "must be a Find a Tender notice id written like 012345-2026";
}

static const char *contract_check_urn(const char *s)
{
	if (strcmp(s, "central") == 0)
		return "a contract of the central team is trust-wide: leave school null";
	for (int i = 0; i < 6; i++)
		if (s[i] < '0' || s[i] > '9')
			return "must be a school's six-digit URN, or null for a trust-wide contract";
	return s[6] == '\0' ? NULL : "must be a school's six-digit URN, or null for a trust-wide contract";
}

/* ---- evidence ---- */

enum { EV_QUOTES, EV_FRAMEWORK, EV_NOTICES, EV_CONFLICTS, EV_DEBARMENT, EV_DA_REASON, EV__N };

static const struct jv_field ev_fields[EV__N] = {
	[EV_QUOTES] = { "quotes", JV_ARRAY, 0, 0, 0, NULL, NULL },
	[EV_FRAMEWORK] = { "framework", JV_OBJECT, JV_NULLABLE, 0, 0, NULL, NULL },
	[EV_NOTICES] = { "notices", JV_OBJECT, JV_NULLABLE, 0, 0, NULL, NULL },
	[EV_CONFLICTS] = { "conflicts_checked_on", JV_DATE, JV_NULLABLE, 0, 0, NULL, NULL },
	[EV_DEBARMENT] = { "debarment_checked_on", JV_DATE, JV_NULLABLE, 0, 0, NULL, NULL },
	[EV_DA_REASON] = { "direct_award_reason", JV_STRING, JV_NULLABLE | JV_LINES, 1, 1000, NULL, NULL },
};

enum { QF_SUPPLIER, QF_AMOUNT, QF_CHOSEN, QF_REASON, QF__N };

static const struct jv_field quote_fields[QF__N] = {
	[QF_SUPPLIER] = { "supplier", JV_STRING, JV_REQUIRED, 1, 200, NULL, NULL },
	[QF_AMOUNT] = { "amount_pence", JV_INT, JV_REQUIRED, 0, MONEY_LINE_MAX, NULL, NULL },
	[QF_CHOSEN] = { "chosen", JV_BOOL, JV_REQUIRED, 0, 0, NULL, NULL },
	[QF_REASON] = { "reason", JV_STRING, JV_NULLABLE | JV_LINES, 0, 1000, NULL, NULL },
};

enum { FW_NAME, FW_LOT, FW_CALL_OFF, FW__N };

static const struct jv_field framework_fields[FW__N] = {
	[FW_NAME] = { "name", JV_STRING, JV_REQUIRED, 1, 200, NULL, NULL },
	[FW_LOT] = { "lot", JV_STRING, JV_REQUIRED, 1, 100, NULL, NULL },
	[FW_CALL_OFF] = { "call_off", JV_STRING, JV_REQUIRED, 1, 32, contract_call_offs, NULL },
};

enum { NT_TENDER, NT_AWARD, NT_DETAILS, NT_STANDSTILL, NT__N };

static const struct jv_field notice_fields[NT__N] = {
	[NT_TENDER] = { "tender_notice_id", JV_STRING, JV_NULLABLE, 1, 11, NULL, contract_check_notice },
	[NT_AWARD] = { "award_notice_id", JV_STRING, JV_NULLABLE, 1, 11, NULL, contract_check_notice },
	[NT_DETAILS] = { "contract_details_notice_id", JV_STRING, JV_NULLABLE, 1, 11, NULL, contract_check_notice },
	[NT_STANDSTILL] = { "standstill_ends_on", JV_DATE, JV_NULLABLE, 0, 0, NULL, NULL },
};

static int contract_has(const struct jv_value *v)
{
	return v->present && !v->is_null;
}

/* Add key: string or null (n may be NULL: nothing to build). */
static void contract_add_str(cJSON *n, const char *key, const struct jv_value *v)
{
	if (n != NULL)
		cJSON_AddItemToObject(n, key, contract_has(v) ? cJSON_CreateString(v->s) : cJSON_CreateNull());
}

static size_t contract_quotes(const cJSON *arr, const char *prefix, struct procure_evidence *ev, cJSON *qa,
			      struct problem *p)
{
	const cJSON *q;
	size_t i = 0, errs = 0;
	int chosen = 0;
	char ptr[128];

	cJSON_ArrayForEach(q, arr) {
		struct jv_value v[QF__N];
		size_t e;

		snprintf(ptr, sizeof(ptr), "%s/quotes/%zu", prefix, i++);
		if (ev->nquotes == PROCURE_MAX_QUOTES) {
			problem_field(p, ptr, "at most %d quotes can be recorded", PROCURE_MAX_QUOTES);
			return errs + 1;
		}
		if ((e = jsonv_object(q, ptr, quote_fields, QF__N, v, p)) != 0) {
			errs += e;
			continue;
		}
		ev->quotes[ev->nquotes++] = (struct procure_quote){
			.supplier = v[QF_SUPPLIER].s, .amount_pence = v[QF_AMOUNT].i, .chosen = (int)v[QF_CHOSEN].i,
			.has_reason = contract_has(&v[QF_REASON]) && v[QF_REASON].s[0] != '\0',
		};
		if (v[QF_CHOSEN].i && chosen++) {
			snprintf(ptr + strlen(ptr), sizeof(ptr) - strlen(ptr), "/chosen");
			problem_field(p, ptr, "only one quote can be the chosen one");
			errs++;
		}
		if (qa != NULL) {
			cJSON *o = cJSON_CreateObject();

			cJSON_AddItemToArray(qa, o);
			cJSON_AddStringToObject(o, "supplier", v[QF_SUPPLIER].s);
			cJSON_AddNumberToObject(o, "amount_pence", v[QF_AMOUNT].i);
			cJSON_AddBoolToObject(o, "chosen", (int)v[QF_CHOSEN].i);
			contract_add_str(o, "reason", &v[QF_REASON]);
		}
	}
	return errs;
}

size_t contract_evidence_parse(const cJSON *obj, const char *prefix, struct procure_evidence *ev, cJSON **norm,
			       struct problem *p)
{
	struct jv_value v[EV__N], f[FW__N], nt[NT__N];
	cJSON *n = NULL, *sub = NULL;
	char ptr[128];
	size_t errs;

	memset(ev, 0, sizeof(*ev));
	ev->standstill_ends_on = ev->conflicts_checked_on = ev->debarment_checked_on = PROCURE_NO_DATE;
	if (norm != NULL)
		*norm = NULL;
	if ((errs = jsonv_object(obj, prefix, ev_fields, EV__N, v, p)) != 0 && !cJSON_IsObject(obj))
		return errs;
	if (norm != NULL && (n = cJSON_CreateObject()) == NULL) {
		problem_internal(p);
		return errs + 1;
	}
	if (n != NULL)
		sub = cJSON_AddArrayToObject(n, "quotes");
	if (contract_has(&v[EV_QUOTES]) && cJSON_IsArray(v[EV_QUOTES].item))
		errs += contract_quotes(v[EV_QUOTES].item, prefix, ev, sub, p);

	memset(f, 0, sizeof(f));
	snprintf(ptr, sizeof(ptr), "%s/framework", prefix);
	if (contract_has(&v[EV_FRAMEWORK]) && cJSON_IsObject(v[EV_FRAMEWORK].item)) {
		size_t e = jsonv_object(v[EV_FRAMEWORK].item, ptr, framework_fields, FW__N, f, p);

		errs += e;
		ev->has_framework = e == 0;
	}
	if (n != NULL && ev->has_framework) {
		sub = cJSON_AddObjectToObject(n, "framework");
		contract_add_str(sub, "name", &f[FW_NAME]);
		contract_add_str(sub, "lot", &f[FW_LOT]);
		contract_add_str(sub, "call_off", &f[FW_CALL_OFF]);
	} else if (n != NULL) {
		cJSON_AddNullToObject(n, "framework");
	}

	memset(nt, 0, sizeof(nt));
	snprintf(ptr, sizeof(ptr), "%s/notices", prefix);
	if (contract_has(&v[EV_NOTICES]) && cJSON_IsObject(v[EV_NOTICES].item))
		errs += jsonv_object(v[EV_NOTICES].item, ptr, notice_fields, NT__N, nt, p);
	ev->tender_notice_id = contract_has(&nt[NT_TENDER]) ? nt[NT_TENDER].s : NULL;
	ev->award_notice_id = contract_has(&nt[NT_AWARD]) ? nt[NT_AWARD].s : NULL;
	ev->contract_details_notice_id = contract_has(&nt[NT_DETAILS]) ? nt[NT_DETAILS].s : NULL;
	if (contract_has(&nt[NT_STANDSTILL]))
		ev->standstill_ends_on = (int32_t)nt[NT_STANDSTILL].i;
	if (n != NULL) {
		sub = cJSON_AddObjectToObject(n, "notices");
		contract_add_str(sub, "tender_notice_id", &nt[NT_TENDER]);
		contract_add_str(sub, "award_notice_id", &nt[NT_AWARD]);
		contract_add_str(sub, "contract_details_notice_id", &nt[NT_DETAILS]);
		contract_add_str(sub, "standstill_ends_on", &nt[NT_STANDSTILL]);
	}

	if (contract_has(&v[EV_CONFLICTS]))
		ev->conflicts_checked_on = (int32_t)v[EV_CONFLICTS].i;
	if (contract_has(&v[EV_DEBARMENT]))
		ev->debarment_checked_on = (int32_t)v[EV_DEBARMENT].i;
	ev->direct_award_reason = contract_has(&v[EV_DA_REASON]) ? v[EV_DA_REASON].s : NULL;
	contract_add_str(n, "conflicts_checked_on", &v[EV_CONFLICTS]);
	contract_add_str(n, "debarment_checked_on", &v[EV_DEBARMENT]);
	contract_add_str(n, "direct_award_reason", &v[EV_DA_REASON]);
	if (n != NULL) {
		if (errs == 0)
			*norm = n;
		else
			cJSON_Delete(n);
	}
	return errs;
}

/* ---- the contract body ---- */

enum {
	CF_REFERENCE, CF_TITLE, CF_SUPPLIER, CF_CATEGORY, CF_TYPE, CF_SCHOOL, CF_ROUTE, CF_STARTED, CF_EVIDENCE,
	CF_START, CF_END, CF_OPTIONS, CF_USED, CF_NOTICE, CF_UNIT, CF_AUTO, CF_ANNUAL, CF_VAT, CF_IX, CF_IX_INDEX,
	CF_IX_BP,
	/* read-only: what a GET returns, accepted back and ignored */
	CF_STATUS, CF_ID, CF_SUPPLIER_NAME, CF_STATUS_REASON, CF_STATUS_AT, CF_TERMINATED_ON, CF_APPROVAL, CF_EXCEPTION,
	CF_ESTIMATED, CF_CURRENT_END, CF_FINAL_END, CF_NEXT_RENEWAL, CF_NOTICE_BY, CF_DAYS, CF_REMAINING, CF_COMPLIANCE,
	CF_VERSION, CF_CREATED, CF_UPDATED,
	CF__N
};

#define RO(name) { name, JV_STRING, JV_READONLY, 0, 0, NULL, NULL }

static const struct jv_field contract_fields[CF__N] = {
	[CF_REFERENCE] = { "reference", JV_STRING, JV_REQUIRED, 1, 40, NULL, contract_check_reference },
	[CF_TITLE] = { "title", JV_STRING, JV_REQUIRED, 1, 200, NULL, NULL },
	[CF_SUPPLIER] = { "supplier_id", JV_INT, JV_REQUIRED, 1, UINT32_MAX, NULL, NULL },
	[CF_CATEGORY] = { "category", JV_STRING, JV_REQUIRED, 1, 20, contract_categories, NULL },
	[CF_TYPE] = { "contract_type", JV_STRING, JV_REQUIRED, 1, 24, contract_types, NULL },
	[CF_SCHOOL] = { "school", JV_STRING, JV_NULLABLE, 1, 7, NULL, contract_check_urn },
	[CF_ROUTE] = { "route", JV_STRING, JV_REQUIRED, 1, 20, procure_route_names, NULL },
	[CF_STARTED] = { "procurement_started_on", JV_DATE, JV_REQUIRED, 0, 0, NULL, NULL },
	[CF_EVIDENCE] = { "evidence", JV_OBJECT, 0, 0, 0, NULL, NULL },
	[CF_START] = { "start_date", JV_DATE, JV_REQUIRED, 0, 0, NULL, NULL },
	[CF_END] = { "end_date", JV_DATE, JV_NULLABLE, 0, 0, NULL, NULL },
	[CF_OPTIONS] = { "extension_options", JV_ARRAY, 0, 0, 0, NULL, NULL },
	[CF_USED] = { "options_used", JV_INT, 0, 0, PROCURE_MAX_OPTIONS, NULL, NULL },
	[CF_NOTICE] = { "notice_period", JV_INT, 0, 0, 3650, NULL, NULL },
	[CF_UNIT] = { "notice_unit", JV_STRING, 0, 1, 6, contract_units, NULL },
	[CF_AUTO] = { "auto_renew", JV_BOOL, 0, 0, 0, NULL, NULL },
	[CF_ANNUAL] = { "annual_value_pence", JV_INT, JV_REQUIRED, 0, MONEY_LINE_MAX, NULL, NULL },
	[CF_VAT] = { "vat_pence", JV_INT, 0, 0, MONEY_LINE_MAX, NULL, NULL },
	[CF_IX] = { "indexation", JV_STRING, 0, 1, 5, contract_ix_kinds, NULL },
	[CF_IX_INDEX] = { "indexation_index", JV_STRING, JV_NULLABLE, 1, 16, contract_indices, NULL },
	[CF_IX_BP] = { "indexation_bp", JV_INT, 0, 0, 2000, NULL, NULL },
	[CF_STATUS] = RO("status"),
	[CF_ID] = RO("id"),
	[CF_SUPPLIER_NAME] = RO("supplier_name"),
	[CF_STATUS_REASON] = RO("status_reason"),
	[CF_STATUS_AT] = RO("status_changed_at"),
	[CF_TERMINATED_ON] = RO("terminated_on"),
	[CF_APPROVAL] = RO("approval"),
	[CF_EXCEPTION] = RO("exception"),
	[CF_ESTIMATED] = RO("estimated_value_pence"),
	[CF_CURRENT_END] = RO("current_end"),
	[CF_FINAL_END] = RO("final_end"),
	[CF_NEXT_RENEWAL] = RO("next_renewal"),
	[CF_NOTICE_BY] = RO("notice_by"),
	[CF_DAYS] = RO("days_to_notice"),
	[CF_REMAINING] = RO("options_remaining"),
	[CF_COMPLIANCE] = RO("compliance"),
	[CF_VERSION] = RO("version"),
	[CF_CREATED] = RO("created_at"),
	[CF_UPDATED] = RO("updated_at"),
};

enum procure_route contract_route_parse(const char *s)
{
	for (int i = 0; procure_route_names[i] != NULL; i++)
		if (strcmp(procure_route_names[i], s) == 0)
			return (enum procure_route)i;
	return PROCURE_WAIVER;
}

/* Whether a field already has an error: cross-field rules leave such a field alone. */
static int contract_bad(const struct problem *p, const char *field)
{
	for (size_t i = 0; i < p->nerrors; i++)
		if (strcmp(p->errors[i].field, field) == 0)
			return 1;
	return 0;
}

static size_t contract_options(const cJSON *arr, struct contract_body *b, struct problem *p)
{
	const cJSON *it;
	size_t errs = 0, i = 0, o = 0;
	char ptr[48];

	o += (size_t)snprintf(b->options_text + o, sizeof(b->options_text) - o, "[");
	cJSON_ArrayForEach(it, arr) {
		int64_t m;

		snprintf(ptr, sizeof(ptr), "/extension_options/%zu", i++);
		if (b->t.noptions == PROCURE_MAX_OPTIONS) {
			problem_field(p, ptr, "at most %d extension options", PROCURE_MAX_OPTIONS);
			return errs + 1;
		}
		if (jsonv_int(it, &m) != 0 || m < 1 || m > CONTRACT_MAX_OPTION_MONTHS) {
			problem_field(p, ptr, "must be a whole number of months from 1 to %d", CONTRACT_MAX_OPTION_MONTHS);
			errs++;
			continue;
		}
		b->t.option_months[b->t.noptions++] = (int)m;
		o += (size_t)snprintf(b->options_text + o, sizeof(b->options_text) - o, "%s%d",
				      b->t.noptions > 1 ? "," : "", (int)m);
	}
	snprintf(b->options_text + o, sizeof(b->options_text) - o, "]");
	return errs;
}

size_t contract_body_parse(const cJSON *in, struct contract_body *b, struct problem *p)
{
	struct jv_value v[CF__N];
	struct procure_evidence ev;
	size_t errs;
	char d[16];

	memset(b, 0, sizeof(*b));
	snprintf(b->options_text, sizeof(b->options_text), "[]");
	if ((errs = jsonv_object(in, "", contract_fields, CF__N, v, p)) != 0 && !cJSON_IsObject(in))
		return errs;
	b->reference = v[CF_REFERENCE].s;
	b->title = v[CF_TITLE].s;
	b->supplier_id = v[CF_SUPPLIER].i;
	b->category = v[CF_CATEGORY].s;
	b->contract_type = v[CF_TYPE].s;
	b->school = contract_has(&v[CF_SCHOOL]) ? v[CF_SCHOOL].s : NULL;
	b->route = v[CF_ROUTE].s != NULL ? contract_route_parse(v[CF_ROUTE].s) : PROCURE_WAIVER;
	b->started_on = (int32_t)v[CF_STARTED].i;
	b->t.start = (int32_t)v[CF_START].i;
	b->t.end = contract_has(&v[CF_END]) ? (int32_t)v[CF_END].i : PROCURE_NO_DATE;
	b->t.options_used = (int)v[CF_USED].i;
	b->t.notice_period = (int)v[CF_NOTICE].i;
	/* .s is NULL when the field is null or not a string (an error already): go on with the default */
	b->notice_unit = v[CF_UNIT].s != NULL ? v[CF_UNIT].s : "days";
	b->t.notice_unit = strcmp(b->notice_unit, "months") == 0 ? PROCURE_MONTHS : PROCURE_DAYS;
	b->t.auto_renew = (int)v[CF_AUTO].i;
	b->t.annual_pence = v[CF_ANNUAL].i;
	b->t.vat_pence = v[CF_VAT].i;
	b->indexation = v[CF_IX].s != NULL ? v[CF_IX].s : "none";
	b->t.ix = strcmp(b->indexation, "fixed") == 0 ? PROCURE_IX_FIXED :
		  strcmp(b->indexation, "index") == 0 ? PROCURE_IX_INDEX : PROCURE_IX_NONE;
	b->indexation_index = contract_has(&v[CF_IX_INDEX]) ? v[CF_IX_INDEX].s : NULL;
	b->t.ix_bp = (int32_t)v[CF_IX_BP].i;
	b->status = v[CF_STATUS].item;

	if (contract_has(&v[CF_OPTIONS]) && cJSON_IsArray(v[CF_OPTIONS].item))
		errs += contract_options(v[CF_OPTIONS].item, b, p);
	for (size_t i = 0; i < b->t.noptions; i++) {
		if ((int)i < b->t.options_used)
			b->used_months += b->t.option_months[i];
		b->total_months += b->t.option_months[i];
	}
	if (v[CF_USED].present && !contract_bad(p, "/options_used") && b->t.options_used > (int)b->t.noptions) {
		problem_field(p, "/options_used", "must be between 0 and the number of extension_options (%zu)",
			      b->t.noptions);
		errs++;
	}
	if (v[CF_EVIDENCE].present && cJSON_IsObject(v[CF_EVIDENCE].item)) {
		errs += contract_evidence_parse(v[CF_EVIDENCE].item, "/evidence", &ev, &b->evidence, p);
	} else if (!v[CF_EVIDENCE].present) {
		cJSON *empty = cJSON_CreateObject();

		if (empty == NULL)
			return errs + 1;
		contract_evidence_parse(empty, "/evidence", &ev, &b->evidence, p);
		cJSON_Delete(empty);
	}
	if (v[CF_START].present && v[CF_END].present && !v[CF_END].is_null && v[CF_END].s != NULL &&
	    v[CF_START].s != NULL && b->t.end < b->t.start) {
		problem_field(p, "/end_date", "must not be before start_date (%s)", v[CF_START].s);
		errs++;
	}
	if ((!v[CF_END].present || v[CF_END].is_null) && !b->t.auto_renew) {
		problem_field(p, "/end_date", "is required unless the contract auto-renews (auto_renew true)");
		errs++;
	}
	if (v[CF_STARTED].s != NULL && v[CF_START].s != NULL && b->started_on > b->t.start) {
		date_format(b->t.start, d, sizeof(d));
		problem_field(p, "/procurement_started_on", "must not be after start_date (%s)", d);
		errs++;
	}
	if (v[CF_VAT].present && v[CF_ANNUAL].present && !contract_bad(p, "/vat_pence") &&
	    !contract_bad(p, "/annual_value_pence") && b->t.vat_pence > b->t.annual_pence) {
		problem_field(p, "/vat_pence", "must not be more than annual_value_pence (the VAT on it)");
		errs++;
	}
	if (b->t.notice_unit == PROCURE_MONTHS && !contract_bad(p, "/notice_period") &&
	    b->t.notice_period > CONTRACT_MAX_OPTION_MONTHS) {
		problem_field(p, "/notice_period", "must be between 0 and %d months", CONTRACT_MAX_OPTION_MONTHS);
		errs++;
	}
	if (b->t.ix == PROCURE_IX_INDEX && b->indexation_index == NULL) {
		problem_field(p, "/indexation_index", "is required with indexation \"index\" (cpi, rpi, nlw, energy)");
		errs++;
	}
	if (b->t.ix != PROCURE_IX_INDEX && b->indexation_index != NULL) {
		problem_field(p, "/indexation_index", "must be null unless indexation is \"index\"");
		errs++;
	}
	if (b->t.ix == PROCURE_IX_NONE && !contract_bad(p, "/indexation_bp") && b->t.ix_bp != 0) {
		problem_field(p, "/indexation_bp", "must be 0 with indexation \"none\"");
		errs++;
	}
	return errs;
}

void contract_body_free(struct contract_body *b)
{
	if (b == NULL)
		return;
	cJSON_Delete(b->evidence);
	b->evidence = NULL;
}

int contract_options_parse(const char *text, struct procure_terms *t)
{
	t->noptions = 0;
	for (const char *s = text != NULL ? text : ""; *s != '\0';) {
		if (*s >= '0' && *s <= '9') {
			char *end;
			long m = strtol(s, &end, 10);

			if (t->noptions == PROCURE_MAX_OPTIONS || m < 1 || m > CONTRACT_MAX_OPTION_MONTHS)
				return -1;
			t->option_months[t->noptions++] = (int)m;
			s = end;
		} else {
			s++;
		}
	}
	return 0;
}

void contract_row_free(struct contract_row *c)
{
	if (c == NULL)
		return;
	cJSON_Delete(c->evidence);
	c->evidence = NULL;
}

/* ---- the representation ---- */

cJSON *contract_date_json(int32_t d)
{
	char buf[16];

	if (d == PROCURE_NO_DATE)
		return cJSON_CreateNull();
	date_format(d, buf, sizeof(buf));
	return cJSON_CreateString(buf);
}

/* "2026-11-22 09:53:54.123456" -> "2026-11-22T09:53:54.123456Z", as db_row_to_json. */
static cJSON *contract_ts_json(const char *s)
{
	char buf[PAGE_RFC3339_LEN];

	if (s == NULL)
		return cJSON_CreateNull();
	ts_rfc3339_from_db(s, buf, sizeof(buf));
	return cJSON_CreateString(buf);
}

static cJSON *contract_str_json(const char *s)
{
	return s != NULL ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *contract_items_json(const struct procure_item *items, size_t n, const char *key)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a != NULL && i < n; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddItemToArray(a, o);
		cJSON_AddStringToObject(o, key, items[i].code);
		cJSON_AddStringToObject(o, "message", items[i].message);
	}
	return a;
}

cJSON *contract_check_json(const struct procure_result *r)
{
	cJSON *o = cJSON_CreateObject(), *x, *a;

	if (o == NULL)
		return NULL;
	cJSON_AddNumberToObject(o, "estimated_value_pence", r->value.pence);
	cJSON_AddNumberToObject(o, "valued_months", r->value.months);
	cJSON_AddNumberToObject(o, "indexation_bp_assumed", r->value.rate_bp);
	cJSON_AddBoolToObject(o, "valued_over_48_months", r->value.auto_renew_48);
	if (r->band != NULL) {
		x = cJSON_AddObjectToObject(o, "band");
		cJSON_AddNumberToObject(x, "from_pence", r->band->from_pence);
		if (r->band->to_pence == INT64_MAX)
			cJSON_AddNullToObject(x, "to_pence");
		else
			cJSON_AddNumberToObject(x, "to_pence", r->band->to_pence);
		cJSON_AddStringToObject(x, "route", r->band->route);
		cJSON_AddStringToObject(x, "approver", r->band->approver);
		cJSON_AddStringToObject(o, "route_required", r->band->route);
	} else {
		cJSON_AddNullToObject(o, "band");
		cJSON_AddNullToObject(o, "route_required");
	}
	a = cJSON_AddArrayToObject(o, "routes_allowed");
	for (size_t i = 0; a != NULL && i < r->nallowed; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(procure_route_names[r->allowed[i]]));
	if (r->threshold != NULL) {
		x = cJSON_AddObjectToObject(o, "threshold");
		cJSON_AddStringToObject(x, "contract_type", r->threshold->contract_type);
		cJSON_AddItemToObject(x, "from", contract_date_json(r->threshold->from_date));
		cJSON_AddNumberToObject(x, "pence", r->threshold->pence);
		cJSON_AddStringToObject(x, "regime", r->threshold->regime);
		cJSON_AddStringToObject(x, "vat", r->threshold->net_of_vat ? "net" : "incl");
		cJSON_AddNumberToObject(x, "compared_pence", r->compared_pence);
		cJSON_AddStringToObject(x, "explanation", r->threshold_note);
	} else {
		cJSON_AddNullToObject(o, "threshold");
	}
	cJSON_AddBoolToObject(o, "above_threshold", r->above_threshold);
	cJSON_AddBoolToObject(o, "route_ok", r->route_ok);
	cJSON_AddBoolToObject(o, "evidence_ok", r->evidence_ok);
	cJSON_AddBoolToObject(o, "compliant", r->compliant);
	cJSON_AddStringToObject(o, "approver", r->approver);
	cJSON_AddItemToObject(o, "missing", contract_items_json(r->missing, r->nmissing, "item"));
	cJSON_AddItemToObject(o, "warnings", contract_items_json(r->warnings, r->nwarnings, "code"));
	cJSON_AddNumberToObject(o, "aggregate_pence", r->aggregate_pence);
	return o;
}

static cJSON *contract_token_json(int64_t token)
{
	return token > 0 ? cJSON_CreateNumber((double)token) : cJSON_CreateNull();
}

static cJSON *contract_approval_json(const struct contract_row *c)
{
	cJSON *o;

	if (c->approved_level == NULL)
		return cJSON_CreateNull();
	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "level", c->approved_level);
	cJSON_AddItemToObject(o, "board_minute", contract_str_json(c->board_minute));
	cJSON_AddItemToObject(o, "approved_at", contract_ts_json(c->approved_at));
	cJSON_AddItemToObject(o, "approved_by_token", contract_token_json(c->approved_by));
	return o;
}

static cJSON *contract_exception_json(const struct contract_row *c)
{
	cJSON *o;

	if (c->exception_kind == NULL)
		return cJSON_CreateNull();
	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "kind", c->exception_kind);
	cJSON_AddItemToObject(o, "reason", contract_str_json(c->exception_reason));
	cJSON_AddItemToObject(o, "recorded_at", contract_ts_json(c->exception_at));
	cJSON_AddItemToObject(o, "recorded_by_token", contract_token_json(c->exception_by));
	return o;
}

cJSON *contract_to_json(cJSON *o, const struct contract_row *c, const struct procure_result *chk, int32_t today)
{
	cJSON *a;
	struct procure_dates d;
	int32_t renewal;

	if (o == NULL)
		return NULL;
	procure_dates(&c->pc.t, &d);
	/* an auto-renewing contract with no end gives notice before its next renewal */
	d.notice_by = procure_notice_date(&c->pc.t, &d, today, &renewal);
	a = cJSON_AddArrayToObject(o, "extension_options");
	for (size_t k = 0; a != NULL && k < c->pc.t.noptions; k++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber(c->pc.t.option_months[k]));
	cJSON_AddItemToObject(o, "evidence", cJSON_Duplicate(c->evidence, 1));
	cJSON_AddItemToObject(o, "approval", contract_approval_json(c));
	cJSON_AddItemToObject(o, "exception", contract_exception_json(c));
	cJSON_AddNumberToObject(o, "estimated_value_pence", chk->value.pence);
	cJSON_AddItemToObject(o, "current_end", contract_date_json(d.current_end));
	cJSON_AddItemToObject(o, "final_end", contract_date_json(d.final_end));
	cJSON_AddItemToObject(o, "next_renewal", contract_date_json(renewal));
	cJSON_AddItemToObject(o, "notice_by", contract_date_json(d.notice_by));
	if (d.notice_by != PROCURE_NO_DATE)
		cJSON_AddNumberToObject(o, "days_to_notice", d.notice_by - today);
	else
		cJSON_AddNullToObject(o, "days_to_notice");
	a = cJSON_AddArrayToObject(o, "options_remaining");
	for (size_t k = 0; a != NULL && k < d.noptions; k++) {
		cJSON *x = cJSON_CreateObject();

		cJSON_AddItemToArray(a, x);
		cJSON_AddNumberToObject(x, "option", d.options[k].index);
		cJSON_AddNumberToObject(x, "months", d.options[k].months);
		cJSON_AddItemToObject(x, "exercise_by", contract_date_json(d.options[k].exercise_by));
		cJSON_AddItemToObject(x, "extends_to", contract_date_json(d.options[k].extends_to));
	}
	cJSON_AddItemToObject(o, "compliance", contract_check_json(chk));
	/* cJSON's adders return NULL when out of memory: one check for all of them */
	if (cJSON_GetObjectItemCaseSensitive(o, "compliance") == NULL ||
	    cJSON_GetObjectItemCaseSensitive(o, "options_remaining") == NULL ||
	    cJSON_GetObjectItemCaseSensitive(o, "evidence") == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}
