/*
 * api_budgets.h - what the budget handlers share (api_budgets.c: the budget and
 * its lines; api_budgets_flow.c: the workflow and the trust's view). The handlers
 * themselves are declared in api.h.
 */
#ifndef BURSAR_API_BUDGETS_H
#define BURSAR_API_BUDGETS_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "budget.h"
#include "db.h"
#include "http.h"

/* The entity and year a request names ({urn}, {year}). */
struct api_budgets_ent {
	const char *urn, *year_s;                /* the path's, borrowed */
	int year;
	uint32_t sid;
	enum budget_entity entity;
	char model[65];                          /* finance_model; "" for none */
	char eid[40];                            /* audit entity id "<urn>/<year>" */
};

/* The budget row a write works on, read FOR UPDATE. */
struct api_budgets_head {
	int exists;
	int64_t id, version;
	char status[12];                         /* draft, submitted, approved */
};

/* A budget as read: the header row, the line rows, and the lines as a struct budget. */
struct api_budgets_read {
	struct db_rows *head, *lines;
	struct budget b;
};

/* {year} (400), {urn} with the caller's scope (400/404/403), the entity's kind and model. */
int api_budgets_entity(struct req *r, struct api_budgets_ent *e, struct problem *p)
	__attribute__((warn_unused_result));
/* The chart of accounts; c->accounts is the caller's to free. */
int api_budgets_chart(struct req *r, struct budget_chart *c, struct problem *p)
	__attribute__((warn_unused_result));
/* The finance-rule plugins' validator for submit into *rules: 1 when there is one,
 * 0 when not (issue 6 wires it in; see api_budgets.c). */
int api_budgets_rules(const struct req *r, struct budget_rules *rules);

/* Lock the entity's budget row for the year (h->exists 0 when there is none). */
int api_budgets_lock(struct req *r, const struct api_budgets_ent *e, struct api_budgets_head *h,
		     struct problem *p) __attribute__((warn_unused_result));
/* 412 naming the budget's version; returns -1. */
int api_budgets_stale(const struct api_budgets_ent *e, const struct api_budgets_head *h, int64_t want,
		      struct problem *p);
/* version + 1 where the version is still h->version (412 otherwise). */
int api_budgets_bump(struct req *r, const struct api_budgets_head *h, struct problem *p)
	__attribute__((warn_unused_result));
/* The If-Match every budget write needs: 428 without it, 412 when not a version ETag. */
int api_budgets_if_match(struct req *r, int64_t *want, struct problem *p)
	__attribute__((warn_unused_result));

/* Read the header by budget id, or by the entity and year when id is 0 (x->head has 0 or 1 row). */
int api_budgets_read_head(struct req *r, const struct api_budgets_ent *e, int64_t id,
			  struct api_budgets_read *x, struct problem *p) __attribute__((warn_unused_result));
/* Then its lines, into x->lines and x->b (against chart, borrowed). */
int api_budgets_read_lines(struct req *r, const struct api_budgets_ent *e, const struct budget_chart *chart,
			   struct api_budgets_read *x, struct problem *p) __attribute__((warn_unused_result));
int64_t api_budgets_read_version(const struct api_budgets_read *x);
/* The representation: header, totals, groups, findings, and the lines when with_lines. */
cJSON *api_budgets_read_json(const struct api_budgets_read *x, int with_lines, struct problem *p);
void api_budgets_read_free(struct api_budgets_read *x);
/* Read budget id whole and render it; *version set. NULL with the problem set. */
cJSON *api_budgets_render(struct req *r, const struct api_budgets_ent *e, const struct budget_chart *chart,
			  int64_t id, int with_lines, int64_t *version, struct problem *p);

#endif
