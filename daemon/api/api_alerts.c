/*
 * api_alerts.c - renewal alerts: GET /api/v1/alerts/renewals?within_days=N lists
 * the active contracts whose notice date or current end falls within the next N
 * days (today included; default 90), soonest first, with the action due:
 * exercise_option (an extension option remains), give_notice (it auto-renews) or
 * re_procure (it ends with no option left). An auto-renewing contract with no end
 * is due before its next renewal (next_renewal: the next anniversary of its start
 * after today; notice_by: that less the notice period). A notice date that has
 * passed is said as such ("the notice date (2026-11-07) has passed; the contract
 * runs on to ..."), never as a date to give notice by. A business manager sees trust-wide
 * contracts and their own schools'. One response, no paging.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "auth.h"
#include "date.h"
#include "store_contracts.h"

#define ALERTS_DEFAULT_DAYS 90
#define ALERTS_MAX_DAYS 3650

struct alert {
	int32_t due;
	int64_t id;
	cJSON *o;
};

static int alerts_cmp(const void *a, const void *b)
{
	const struct alert *x = a, *y = b;

	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The alert of row i, or NULL when it is not due within [from, to] (or out of memory). */
static cJSON *alerts_one(const struct db_rows *rows, size_t i, int32_t today, int32_t to, int32_t *due)
{
	struct procure_terms t;
	struct procure_dates d;
	const char *action;
	char msg[320], a[16], b[16], e[16], late[120] = "";
	int32_t renewal, end;
	cJSON *o;

	if (store_contract_terms(rows, i, &t) != 0)
		return NULL;
	procure_dates(&t, &d);
	/* an auto-renewing contract with no end: notice before its next renewal (procure_notice_date) */
	d.notice_by = procure_notice_date(&t, &d, today, &renewal);
	if (d.current_end == PROCURE_NO_DATE && renewal == PROCURE_NO_DATE)
		return NULL;
	/* the end this alert is about: the current end, or the next renewal when there is no end */
	end = d.current_end != PROCURE_NO_DATE ? d.current_end : renewal - 1;
	if (!((d.notice_by >= today && d.notice_by <= to) || (end >= today && end <= to)))
		return NULL;
	*due = d.notice_by >= today ? d.notice_by : end;
	date_format(d.notice_by, a, sizeof(a));
	date_format(end, e, sizeof(e));
	if (d.notice_by < today) {
		/* never "give notice by" a date that has passed: what happens now */
		if (t.auto_renew && d.noptions == 0) {
			struct procure_terms nt = t;
			struct procure_dates nd;
			int32_t later, later_notice;

			date_format(end + 1, b, sizeof(b));
			/* the renewal after this one, and its notice date */
			procure_dates(&nt, &nd);
			procure_next_renewal(&nt, &nd, end + 1, &later, &later_notice);
			if (later_notice != PROCURE_NO_DATE && later_notice > end) {
				char c[16];

				date_format(later_notice, c, sizeof(c));
				snprintf(msg, sizeof(msg), "the notice date (%s) has passed; the contract runs on to its "
					 "renewal on %s (the next notice date is %s)", a, b, c);
			} else {
				snprintf(msg, sizeof(msg), "the notice date (%s) has passed; the contract runs on to its "
					 "renewal on %s", a, b);
			}
			action = "give_notice";
			goto made;
		}
		snprintf(late, sizeof(late), "the notice date (%s) has passed; the contract runs on to %s: ", a, e);
	}
	if (d.noptions > 0) {
		action = "exercise_option";
		date_format(d.options[0].extends_to, b, sizeof(b));
		if (late[0] != '\0')
			snprintf(msg, sizeof(msg), "%sexercise option %d (%d months, to %s) or re-procure", late,
				 d.options[0].index, d.options[0].months, b);
		else
			snprintf(msg, sizeof(msg), "exercise option %d (%d months, to %s) by %s, or re-procure: the "
				 "contract ends %s", d.options[0].index, d.options[0].months, b, a, e);
	} else if (t.auto_renew) {
		action = "give_notice";
		date_format(end + 1, b, sizeof(b));
		snprintf(msg, sizeof(msg), "give notice by %s, or it renews on %s", a, b);
	} else {
		action = "re_procure";
		snprintf(msg, sizeof(msg), "the contract ends %s with no option left: re-procure it or let it end%s%s%s",
			 e, d.notice_by < today ? "" : " (notice by ", d.notice_by < today ? "" : a,
			 d.notice_by < today ? "" : ")");
	}
made:
	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	cJSON_AddNumberToObject(o, "contract_id", db_get_i64(rows, i, "id"));
	for (const char *const *k = (const char *const[]){ "reference", "title", "supplier_id", "supplier_name",
							   "school", "category", "auto_renew", "annual_value_pence",
							   NULL }; *k != NULL; k++) {
		const char *s = db_get(rows, i, *k);

		if (strcmp(*k, "supplier_id") == 0 || strcmp(*k, "annual_value_pence") == 0)
			cJSON_AddNumberToObject(o, *k, strtoll(s != NULL ? s : "0", NULL, 10));
		else if (strcmp(*k, "auto_renew") == 0)
			cJSON_AddBoolToObject(o, *k, s != NULL && s[0] == '1');
		else if (s != NULL)
			cJSON_AddStringToObject(o, *k, s);
		else
			cJSON_AddNullToObject(o, *k);
	}
	cJSON_AddStringToObject(o, "action", action);
	cJSON_AddItemToObject(o, "due_on", contract_date_json(*due));
	cJSON_AddNumberToObject(o, "days", *due - today);
	cJSON_AddItemToObject(o, "notice_by", contract_date_json(d.notice_by));
	cJSON_AddItemToObject(o, "next_renewal", contract_date_json(renewal));
	cJSON_AddItemToObject(o, "current_end", contract_date_json(d.current_end));
	cJSON_AddItemToObject(o, "final_end", contract_date_json(d.final_end));
	if (d.noptions > 0) {
		cJSON *x = cJSON_AddObjectToObject(o, "option");

		cJSON_AddNumberToObject(x, "option", d.options[0].index);
		cJSON_AddNumberToObject(x, "months", d.options[0].months);
		cJSON_AddItemToObject(x, "exercise_by", contract_date_json(d.options[0].exercise_by));
		cJSON_AddItemToObject(x, "extends_to", contract_date_json(d.options[0].extends_to));
	} else {
		cJSON_AddNullToObject(o, "option");
	}
	cJSON_AddStringToObject(o, "message", msg);
	return o;
}

int api_alerts_renewals(struct req *r, struct problem *p)
{
	static const char *const allowed[] = { "within_days", NULL };
	const char *s = http_query(r, "within_days");
	int32_t today = api_today(r), to;
	long days = ALERTS_DEFAULT_DAYS;
	char from_s[16], to_s[16];
	struct store_scope scope;
	struct db_rows *rows = NULL;
	struct alert *al = NULL;
	size_t n = 0;
	cJSON *items = NULL;
	int rc = -1;

	if (http_query_allow(r, allowed, p) != 0)
		return -1;
	if (s != NULL) {
		char *end;

		days = strtol(s, &end, 10);
		if (s[0] < '0' || s[0] > '9' || *end != '\0' || days > ALERTS_MAX_DAYS) {
			problem_field(p, "query:within_days", "must be a number of days from 0 to %d", ALERTS_MAX_DAYS);
			return problem_validation_done(p);
		}
	}
	to = today + (int32_t)days;
	date_format(today, from_s, sizeof(from_s));
	date_format(to, to_s, sizeof(to_s));
	scope = api_scope(r);
	if (store_contracts_due(r->db, &scope, from_s, to_s, &rows, p) != 0)
		return -1;
	if ((items = cJSON_CreateArray()) == NULL ||
	    (rows->nrows > 0 && (al = calloc(rows->nrows, sizeof(*al))) == NULL)) {
		problem_internal(p);
		goto out;
	}
	for (size_t i = 0; i < rows->nrows; i++) {
		int32_t due;
		cJSON *o = alerts_one(rows, i, today, to, &due);

		if (o != NULL)
			al[n++] = (struct alert){ .due = due, .id = db_get_i64(rows, i, "id"), .o = o };
	}
	if (n > 1)
		qsort(al, n, sizeof(*al), alerts_cmp);
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(items, al[i].o);
	rc = api_reply_list(r, items, NULL, p);
	items = NULL;
out:
	cJSON_Delete(items);
	free(al);
	db_rows_free(rows);
	return rc;
}
