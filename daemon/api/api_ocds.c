/*
 * api_ocds.c - the contract register as an OCDS 1.1 release package
 * (GET /api/v1/ocds/release-package, optional updated_since): one release per
 * approved contract (active, expired or terminated: drafts and contracts awaiting
 * approval are not published) with the trust as buyer, the supplier (and for a
 * school's contract, the school as procuring entity), the tender with its method
 * mapped from the route, the award and the contract with their value and period.
 *
 * Values are the contract's estimated whole-life value including VAT and every
 * option (procure.c), in pounds as OCDS requires. They are built without
 * floating point: the pence are printed as "1234.56" and that text becomes the
 * JSON number through cJSON_CreateRaw. Dates are RFC 3339 (a start date at
 * 00:00:00Z, an end date at 23:59:59Z). ocid = procurement.ocds_prefix + "-" +
 * the contract id; a release's id adds the time of the contract's last change,
 * which is also the release's date. The package's publishedDate is the latest
 * release date, so an unchanged register gives the same bytes (and ETag).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "api.h"
#include "config.h"
#include "date.h"
#include "money.h"
#include "page.h"
#include "store_contracts.h"

static const char *ocds_cell(const struct db_rows *rows, size_t i, const char *name)
{
	return db_get(rows, i, name);
}

/* {"amount": 1234.56, "currency": "GBP"}: the number printed from the pence. */
static cJSON *ocds_value(int64_t pence)
{
	char buf[40];
	cJSON *o = cJSON_CreateObject(), *a;

	money_format_plain(pence, buf, sizeof(buf));
	if (o == NULL || (a = cJSON_CreateRaw(buf)) == NULL || !cJSON_AddItemToObject(o, "amount", a) ||
	    cJSON_AddStringToObject(o, "currency", "GBP") == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static void ocds_date(char *buf, size_t len, int32_t d, const char *time)
{
	char day[16];

	date_format(d, day, sizeof(day));
	snprintf(buf, len, "%sT%sZ", day, time);
}

static cJSON *ocds_period(const struct procure_terms *t, const struct procure_dates *d)
{
	cJSON *o = cJSON_CreateObject();
	char buf[32];

	if (o == NULL)
		return NULL;
	ocds_date(buf, sizeof(buf), t->start, "00:00:00");
	cJSON_AddStringToObject(o, "startDate", buf);
	if (d->current_end != PROCURE_NO_DATE) {
		ocds_date(buf, sizeof(buf), d->current_end, "23:59:59");
		cJSON_AddStringToObject(o, "endDate", buf);
	}
	if (d->final_end != PROCURE_NO_DATE) {
		ocds_date(buf, sizeof(buf), d->final_end, "23:59:59");
		cJSON_AddStringToObject(o, "maxExtentDate", buf);
	}
	return o;
}

/* Our route as OCDS's closed method codelist, with the route in words. */
static void ocds_method(const char *route, const cJSON *evidence, cJSON *tender)
{
	static const struct { const char *route, *method, *details; } map[] = {
		{ "direct_award", "direct", "Direct award" },
		{ "single_quote", "limited", "Single quotation" },
		{ "three_quotes", "limited", "Three written quotations" },
		{ "framework", "selective", "Call-off from a framework agreement" },
		{ "open_tender", "open", "Open tender" },
		{ "waiver", "direct", "Direct award under a waiver of the trust's procurement rules" },
	};
	const cJSON *fw = cJSON_GetObjectItemCaseSensitive(evidence, "framework");
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(fw, "name"));
	const char *lot = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(fw, "lot"));
	char details[400];

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(map[i].route, route) != 0)
			continue;
		cJSON_AddStringToObject(tender, "procurementMethod", map[i].method);
		if (strcmp(route, "framework") == 0 && name != NULL)
			snprintf(details, sizeof(details), "%s: %s%s%s", map[i].details, name, lot != NULL ? ", " : "",
				 lot != NULL ? lot : "");
		else
			snprintf(details, sizeof(details), "%s", map[i].details);
		cJSON_AddStringToObject(tender, "procurementMethodDetails", details);
		return;
	}
}

static const char *ocds_category(const char *contract_type, const char *category)
{
	if (strcmp(contract_type, "works") == 0)
		return "works";
	if (strcmp(category, "energy") == 0 || strcmp(category, "water") == 0 || strcmp(category, "copiers") == 0)
		return "goods";
	return "services";
}

static cJSON *ocds_party(const char *id, const char *name, const char *scheme, const char *ident, const char *role)
{
	cJSON *o = cJSON_CreateObject(), *x;

	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "name", name);
	if (scheme != NULL && ident != NULL && (x = cJSON_AddObjectToObject(o, "identifier")) != NULL) {
		cJSON_AddStringToObject(x, "scheme", scheme);
		cJSON_AddStringToObject(x, "id", ident);
		cJSON_AddStringToObject(x, "legalName", name);
	}
	if ((x = cJSON_AddArrayToObject(o, "roles")) != NULL)
		cJSON_AddItemToArray(x, cJSON_CreateString(role));
	return o;
}

static cJSON *ocds_ref(const char *id, const char *name)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "name", name);
	return o;
}

/* One release. NULL when out of memory or the row does not parse. */
static cJSON *ocds_release(const struct req *r, const struct db_rows *rows, size_t i, const char *trust)
{
	struct contract_row c;
	struct procure_value v;
	struct procure_dates d;
	const char *updated = ocds_cell(rows, i, "updated_at"), *status = ocds_cell(rows, i, "status");
	const char *title = ocds_cell(rows, i, "title"), *supplier = ocds_cell(rows, i, "supplier_name");
	const char *urn = ocds_cell(rows, i, "school"), *crn = ocds_cell(rows, i, "_crn");
	const char *approved = ocds_cell(rows, i, "_approved_at");
	char ocid[160], id[400], ts[40], sid[40], part[200], school_id[40];
	cJSON *o = NULL, *a, *x, *y, *tender;
	size_t k = 0;

	if (store_contract_decode(rows, i, &c) != 0 || procure_estimate(&c.pc.t, r->cfg->procurement.indexation_bp, &v) != 0)
		goto fail;
	procure_dates(&c.pc.t, &d);
	snprintf(ocid, sizeof(ocid), "%s-%s", r->cfg->ocds_prefix, ocds_cell(rows, i, "id"));
	/* the release id: the ocid and the time of the change, digits only */
	for (const char *s = updated; *s != '\0' && k < sizeof(part) - 1; s++)
		if (*s >= '0' && *s <= '9')
			part[k++] = *s;
	part[k] = '\0';
	snprintf(id, sizeof(id), "%s-%s", ocid, part);
	ts_rfc3339_from_db(updated, ts, sizeof(ts));
	snprintf(sid, sizeof(sid), "supplier-%s", ocds_cell(rows, i, "supplier_id"));
	if ((o = cJSON_CreateObject()) == NULL)
		goto fail;
	cJSON_AddStringToObject(o, "ocid", ocid);
	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "date", ts);
	a = cJSON_AddArrayToObject(o, "tag");
	cJSON_AddItemToArray(a, cJSON_CreateString("award"));
	cJSON_AddItemToArray(a, cJSON_CreateString("contract"));
	if (strcmp(status, "active") != 0)
		cJSON_AddItemToArray(a, cJSON_CreateString("contractTermination"));
	cJSON_AddStringToObject(o, "initiationType", "tender");
	cJSON_AddStringToObject(o, "language", "en");
	a = cJSON_AddArrayToObject(o, "parties");
	cJSON_AddItemToArray(a, ocds_party("trust", trust, NULL, NULL, "buyer"));
	cJSON_AddItemToArray(a, ocds_party(sid, supplier, crn != NULL ? "GB-COH" : NULL, crn, "supplier"));
	if (urn != NULL) {
		snprintf(school_id, sizeof(school_id), "GB-URN-%s", urn);
		cJSON_AddItemToArray(a, ocds_party(school_id, ocds_cell(rows, i, "_school_name"), "GB-URN", urn,
						   "procuringEntity"));
	}
	cJSON_AddItemToObject(o, "buyer", ocds_ref("trust", trust));
	tender = cJSON_AddObjectToObject(o, "tender");
	snprintf(part, sizeof(part), "%s-tender", ocid);
	cJSON_AddStringToObject(tender, "id", part);
	cJSON_AddStringToObject(tender, "title", title);
	cJSON_AddStringToObject(tender, "status", "complete");
	ocds_method(ocds_cell(rows, i, "route"), c.evidence, tender);
	cJSON_AddStringToObject(tender, "mainProcurementCategory",
				ocds_category(c.pc.contract_type, c.pc.category));
	cJSON_AddItemToObject(tender, "value", ocds_value(v.pence));
	if (urn != NULL)
		cJSON_AddItemToObject(tender, "procuringEntity", ocds_ref(school_id, ocds_cell(rows, i, "_school_name")));
	a = cJSON_AddArrayToObject(o, "awards");
	x = cJSON_CreateObject();
	cJSON_AddItemToArray(a, x);
	snprintf(part, sizeof(part), "%s-award", ocid);
	cJSON_AddStringToObject(x, "id", part);
	cJSON_AddStringToObject(x, "title", title);
	cJSON_AddStringToObject(x, "status", "active");
	if (approved != NULL) {
		ts_rfc3339_from_db(approved, ts, sizeof(ts));
		cJSON_AddStringToObject(x, "date", ts);
	}
	cJSON_AddItemToObject(x, "value", ocds_value(v.pence));
	y = cJSON_AddArrayToObject(x, "suppliers");
	cJSON_AddItemToArray(y, ocds_ref(sid, supplier));
	cJSON_AddItemToObject(x, "contractPeriod", ocds_period(&c.pc.t, &d));
	a = cJSON_AddArrayToObject(o, "contracts");
	x = cJSON_CreateObject();
	cJSON_AddItemToArray(a, x);
	snprintf(part, sizeof(part), "%s-contract", ocid);
	cJSON_AddStringToObject(x, "id", part);
	snprintf(part, sizeof(part), "%s-award", ocid);
	cJSON_AddStringToObject(x, "awardID", part);
	cJSON_AddStringToObject(x, "title", title);
	cJSON_AddStringToObject(x, "status", strcmp(status, "active") == 0 ? "active" : "terminated");
	cJSON_AddItemToObject(x, "value", ocds_value(v.pence));
	cJSON_AddItemToObject(x, "period", ocds_period(&c.pc.t, &d));
	if (approved != NULL)
		cJSON_AddStringToObject(x, "dateSigned", ts);
	contract_row_free(&c);
	/* every piece was added through an adder that returns NULL when out of memory */
	if (cJSON_GetObjectItemCaseSensitive(x, "period") == NULL || cJSON_GetObjectItemCaseSensitive(tender, "value") == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
fail:
	contract_row_free(&c);
	cJSON_Delete(o);
	return NULL;
}

/* The trust's name: the central team's, without " central team". */
static void ocds_trust_name(char *buf)
{
	static const char suffix[] = " central team";
	size_t n = strlen(buf);

	if (n > sizeof(suffix) - 1 && strcmp(buf + n - (sizeof(suffix) - 1), suffix) == 0)
		buf[n - (sizeof(suffix) - 1)] = '\0';
}

/* The package's own address: http://<Host><path>[?query], the host as sent when it
 * looks like one. */
static void ocds_uri(const struct req *r, char *buf, size_t len)
{
	const char *host = http_header(r, "Host");
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(r->ev);
	const char *q = uri != NULL ? evhttp_uri_get_query(uri) : NULL;

	if (host == NULL || host[0] == '\0' || strlen(host) > 255 ||
	    strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") != strlen(host))
		host = "localhost";
	if (q != NULL && strspn(q, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:%=&") != strlen(q))
		q = NULL;
	snprintf(buf, len, "http://%s%s%s%s", host, r->path, q != NULL ? "?" : "", q != NULL ? q : "");
}

int api_ocds_release_package(struct req *r, struct problem *p)
{
	struct page pg;
	struct db_rows *rows = NULL;
	char trust[256], uri[600], latest[PAGE_TS_LEN] = "", ts[40], day[16];
	cJSON *o = NULL, *rels, *pub;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ "updated_since", NULL }, p) != 0)
		return -1;
	if (page_parse(NULL, NULL, http_query(r, "updated_since"), &pg, p) != 0)
		return problem_validation_done(p);
	if (store_contracts_buyer(r->db, trust, sizeof(trust), p) != 0 ||
	    store_contracts_published(r->db, pg.has_since ? pg.since_ts : NULL, &rows, p) != 0)
		goto out;
	ocds_trust_name(trust);
	ocds_uri(r, uri, sizeof(uri));
	if ((o = cJSON_CreateObject()) == NULL)
		goto oom;
	cJSON_AddStringToObject(o, "uri", uri);
	cJSON_AddStringToObject(o, "version", "1.1");
	for (size_t i = 0; i < rows->nrows; i++) {
		const char *u = ocds_cell(rows, i, "updated_at");

		if (u != NULL && strcmp(u, latest) > 0)
			snprintf(latest, sizeof(latest), "%s", u);
	}
	if (latest[0] != '\0') {
		ts_rfc3339_from_db(latest, ts, sizeof(ts));
	} else {
		date_format(api_today(r), day, sizeof(day));
		snprintf(ts, sizeof(ts), "%sT00:00:00Z", day);
	}
	cJSON_AddStringToObject(o, "publishedDate", ts);
	pub = cJSON_AddObjectToObject(o, "publisher");
	cJSON_AddStringToObject(pub, "name", trust);
	if ((rels = cJSON_AddArrayToObject(o, "releases")) == NULL)
		goto oom;
	for (size_t i = 0; i < rows->nrows; i++) {
		cJSON *x = ocds_release(r, rows, i, trust);

		if (x == NULL || !cJSON_AddItemToArray(rels, x)) {
			cJSON_Delete(x);
			goto oom;
		}
	}
	rc = api_reply_derived(r, 200, o, 0, p);
	goto out;
oom:
	rc = problem_internal(p);
out:
	cJSON_Delete(o);
	db_rows_free(rows);
	return rc;
}
