/* api_suppliers.c - the suppliers of the contract register: name, Companies House
 * number, VAT number, contact, related-party flag. The finance director writes;
 * the finance director, auditors and business managers read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "api.h"
#include "jsonv.h"
#include "store_suppliers.h"

/* ---- field checks ---- */

static int supplier_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Companies House: 8 digits, or 2 letters and 6 digits (SC123456, OC301234, ...). */
static const char *supplier_check_crn(const char *s)
{
	if (strlen(s) == 8 && (supplier_digits(s, 8) ||
			       (s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && supplier_digits(s + 2, 6))))
		return NULL;
	return "must be a Companies House number: 8 characters, 8 digits or 2 capital letters and 6 digits "
	       "(01234567, SC123456)";
}

/*
 * UK VAT: GB + 9 digits, GB + 12 (a branch: the first 9 are the number), GBGD +
 * 000-499 (government departments), GBHA + 500-999 (health authorities). The 9
 * digits carry HMRC's check: 8..2 times the first seven, plus the last two as a
 * number, is a multiple of 97, or is one after adding 55 (numbers from 2010).
 */
static const char *supplier_check_vat(const char *s)
{
	static const char form[] = "must be a UK VAT number: GB and 9 digits (GB123456789), GB and 12 digits for "
				   "a branch, or GBGD/GBHA and 3 digits";
	size_t n = strlen(s);
	int sum = 0;

	if (n < 5 || strncmp(s, "GB", 2) != 0)
		return form;
	s += 2;
	n -= 2;
	if (n == 5 && (strncmp(s, "GD", 2) == 0 || strncmp(s, "HA", 2) == 0)) {
		int v = atoi(s + 2);

		if (!supplier_digits(s + 2, 3))
			return form;
		if (s[0] == 'G' ? v > 499 : v < 500)
			return "GBGD numbers run from 000 to 499, GBHA numbers from 500 to 999";
		return NULL;
	}
	if ((n != 9 && n != 12) || !supplier_digits(s, n))
		return form;
	for (int i = 0; i < 7; i++)
		sum += (s[i] - '0') * (8 - i);
	sum += (s[7] - '0') * 10 + (s[8] - '0');
	if (sum % 97 != 0 && (sum + 55) % 97 != 0)
		return "is not a valid UK VAT number (its check digits are wrong)";
	return NULL;
}

static const char *supplier_check_email(const char *s)
{
	const char *at = strchr(s, '@');

	if (*s == '\0')
		return NULL;
	if (at == NULL || at == s || strchr(at + 1, '@') != NULL || strchr(at + 1, '.') == NULL ||
	    at[1] == '.' || s[strlen(s) - 1] == '.' || strpbrk(s, " \t<>,;\"") != NULL)
		return "must be an email address (name@example.org) or empty";
	return NULL;
}

static const char *supplier_check_phone(const char *s)
{
	for (; *s != '\0'; s++)
		if (!(*s >= '0' && *s <= '9') && strchr(" +-()", *s) == NULL)
			return "may hold only digits, spaces and + - ( )";
	return NULL;
}

enum { SF_NAME, SF_CRN, SF_VAT, SF_CNAME, SF_EMAIL, SF_PHONE, SF_RELATED, SF_ID, SF_VERSION, SF_CREATED,
       SF_UPDATED, SF__N };

static const struct jv_field supplier_fields[SF__N] = {
	[SF_NAME] = { "name", JV_STRING, JV_REQUIRED, 1, 200, NULL, NULL },
	[SF_CRN] = { "companies_house_number", JV_STRING, JV_NULLABLE, 0, 0, NULL, supplier_check_crn },
	[SF_VAT] = { "vat_number", JV_STRING, JV_NULLABLE, 0, 0, NULL, supplier_check_vat },
	[SF_CNAME] = { "contact_name", JV_STRING, 0, 0, 200, NULL, NULL },
	[SF_EMAIL] = { "contact_email", JV_STRING, 0, 0, 254, NULL, supplier_check_email },
	[SF_PHONE] = { "contact_phone", JV_STRING, JV_ANY_START, 0, 32, NULL, supplier_check_phone },
	[SF_RELATED] = { "related_party", JV_BOOL, 0, 0, 0, NULL, NULL },
	[SF_ID] = { "id", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[SF_VERSION] = { "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[SF_CREATED] = { "created_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[SF_UPDATED] = { "updated_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
};

/* ---- reads ---- */

int api_suppliers_list(struct req *r, struct problem *p)
{
	static const char *const also[] = { "q", "related_party", NULL };
	const char *q = http_query(r, "q"), *rel = http_query(r, "related_party");
	struct db_rows *rows = NULL;
	struct page pg;
	int related = -1, rc;

	if (q != NULL && (q[0] == '\0' || strlen(q) > 200))
		problem_field(p, "query:q", "must be 1 to 200 characters of a supplier's name");
	if (rel != NULL) {
		if (strcmp(rel, "true") == 0)
			related = 1;
		else if (strcmp(rel, "false") == 0)
			related = 0;
		else
			problem_field(p, "query:related_party", "must be true or false");
	}
	if (api_page_query(r, also, &pg, p) != 0 || problem_validation_done(p) != 0 ||
	    store_suppliers_list(r->db, &pg, q, related, &rows, p) != 0)
		return -1;
	rc = api_reply_page(r, rows, &pg, NULL, p);
	db_rows_free(rows);
	return rc;
}

int api_supplier_get(struct req *r, struct problem *p)
{
	int64_t id, version;
	int rc;
	cJSON *o;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    api_path_id(r, "id", "supplier", &id, p) != 0 ||
	    (o = store_supplier_get(r->db, id, &version, p)) == NULL)
		return -1;
	rc = api_reply_versioned(r, 200, o, NULL);
	cJSON_Delete(o);
	return rc;
}

/* ---- writes ---- */

struct supplier_write {
	struct req *r;
	int64_t id;                              /* 0 for POST */
	int64_t want_version;
	struct supplier_in in;
	cJSON *after;
};

/* A present, non-null string field, or NULL. */
static const char *supplier_str(const struct jv_value *v)
{
	return v->present && !v->is_null ? v->s : NULL;
}

static int supplier_body(struct req *r, struct supplier_write *sw, cJSON **in, struct problem *p)
{
	struct jv_value v[SF__N];

	if ((*in = http_read_json(r, p)) == NULL)
		return -1;
	jsonv_object(*in, "", supplier_fields, SF__N, v, p);
	sw->in = (struct supplier_in){
		.name = v[SF_NAME].s, .companies_house_number = supplier_str(&v[SF_CRN]),
		.vat_number = supplier_str(&v[SF_VAT]), .contact_name = supplier_str(&v[SF_CNAME]),
		.contact_email = supplier_str(&v[SF_EMAIL]), .contact_phone = supplier_str(&v[SF_PHONE]),
		.related_party = v[SF_RELATED].present && v[SF_RELATED].i,
	};
	return problem_validation_done(p);
}

static int supplier_post_txn(struct db *db, void *arg, struct problem *p)
{
	struct supplier_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);

	cJSON_Delete(sw->after);
	sw->after = NULL;
	return store_supplier_create(db, &who, &sw->in, &sw->id, &sw->after, p);
}

static int supplier_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct supplier_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);

	cJSON_Delete(sw->after);
	sw->after = NULL;
	return store_supplier_update(db, &who, sw->id, sw->want_version, &sw->in, &sw->after, p);
}

static int supplier_delete_txn(struct db *db, void *arg, struct problem *p)
{
	struct supplier_write *sw = arg;
	struct audit_actor who = api_actor(sw->r);

	return store_supplier_delete(db, &who, sw->id, sw->want_version, p);
}

static int supplier_reply(struct req *r, int status, struct supplier_write *sw)
{
	char loc[64];

	snprintf(loc, sizeof(loc), "/api/v1/suppliers/%lld", (long long)sw->id);
	return api_reply_versioned(r, status, sw->after, status == 201 ? loc : NULL);
}

int api_supplier_create(struct req *r, struct problem *p)
{
	struct supplier_write sw = { .r = r };
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || supplier_body(r, &sw, &in, p) != 0 ||
	    api_txn(r, supplier_post_txn, &sw, p) != 0)
		goto out;
	rc = supplier_reply(r, 201, &sw);
out:
	cJSON_Delete(sw.after);
	cJSON_Delete(in);
	return rc;
}

int api_supplier_put(struct req *r, struct problem *p)
{
	struct supplier_write sw = { .r = r };
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    api_path_id(r, "id", "supplier", &sw.id, p) != 0 || http_if_match(r, &sw.want_version, p) != 0 ||
	    supplier_body(r, &sw, &in, p) != 0 || api_txn(r, supplier_put_txn, &sw, p) != 0)
		goto out;
	rc = supplier_reply(r, 200, &sw);
out:
	cJSON_Delete(sw.after);
	cJSON_Delete(in);
	return rc;
}

int api_supplier_delete(struct req *r, struct problem *p)
{
	struct supplier_write sw = { .r = r };

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    api_path_id(r, "id", "supplier", &sw.id, p) != 0 || http_if_match(r, &sw.want_version, p) != 0 ||
	    api_txn(r, supplier_delete_txn, &sw, p) != 0)
		return -1;
	return http_reply_empty(r, 204, NULL);
}
