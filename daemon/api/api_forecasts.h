/*
 * api_forecasts.h - what the forecast handlers share (api_forecasts.c runs a
 * forecast and saves it, api_forecasts_summary.c renders the POST's reply from
 * memory, api_forecasts_read.c reads runs back, as JSON, CSV or XLSX, and lists
 * them, api_forecasts_life.c edits, publishes, withdraws and deletes them,
 * api_forecasts_board.c renders a run's summary for a board,
 * api_forecasts_compare.c compares up to six runs, api_forecasts_head.c is what
 * every reading shares, api_forecasts_svc.c prices the shared services). The
 * handlers themselves are declared in api.h; the SQL is in store_forecasts.h.
 */
#ifndef BURSAR_API_FORECASTS_H
#define BURSAR_API_FORECASTS_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "db.h"
#include "forecast.h"
#include "http.h"
#include "store_forecasts.h"

/* The entities the caller may see in a run. */
struct api_forecasts_scope {
	int all;                                 /* trust-wide roles: every entity and the trust */
	size_t n;
	char (*urns)[8];                         /* a business manager's schools */
};

/* The caller's scope (a business manager: their schools). 0, or -1 with the problem set. */
int api_forecasts_scope(struct req *r, struct api_forecasts_scope *s, struct problem *p)
	__attribute__((warn_unused_result));
void api_forecasts_scope_free(struct api_forecasts_scope *s);
int api_forecasts_in_scope(const struct api_forecasts_scope *s, const char *entity);
/* Whether a reply shows the entity: the trust to trust-wide roles only, a school in scope. */
int api_forecasts_shows(const struct api_forecasts_scope *s, const char *entity);

/*
 * Whether the caller may see saved run x (id) at all: trust-wide roles every
 * run; a business manager a published run with one of her schools in it, and
 * then (the caller keeps to api_forecasts_shows) only her schools' parts. 0, or
 * -1 with 403 (a draft; a run without her schools).
 */
int api_forecasts_allowed(const struct store_forecast_rows *x, const struct api_forecasts_scope *s, int64_t id,
			  struct problem *p) __attribute__((warn_unused_result));

/* The run's head: its own columns (STORE_FORECAST_HEAD_COLS), scenario, run_by,
 * engine_us, entities_requested, plugins (a business manager's: without other
 * schools' settings) and services. NULL with the problem set. */
cJSON *api_forecasts_head(struct req *r, const struct store_forecast_rows *x, struct problem *p);

/* An entity's name in run x ("the trust, consolidated" for the trust). */
const char *api_forecasts_name(const struct store_forecast_rows *x, const char *entity);

/*
 * The saved run's summary as GET /api/v1/forecasts/{id}?lines=false renders it
 * (every entity's and the trust's years, the warnings), built from the result in
 * memory (api_forecasts_summary.c): only the run's own row (its version and
 * timestamps) is read back. NULL with the problem set.
 */
cJSON *api_forecasts_saved_json(struct req *r, const struct store_forecast_run *run, int64_t run_id,
				struct problem *p);

/*
 * Reply with status and run id as GET /api/v1/forecasts/{id} renders it for a
 * trust-wide role (every line, read back an entity at a time: what POST
 * ?lines=true replies, so that a large trust's reply does not need its whole
 * tree in memory). 0, or -1 with the problem set.
 */
int api_forecasts_reply_run(struct req *r, int status, int64_t id, struct problem *p)
	__attribute__((warn_unused_result));

/* The `lines` query parameter (true/false; dflt when absent) into *lines. 0, or
 * -1 with a field error added (the caller ends validation). */
int api_forecasts_lines_param(struct req *r, int dflt, int *lines, struct problem *p)
	__attribute__((warn_unused_result));


/*
 * The services driver's input (api_forecasts_svc.c): each entity's cost per
 * account code and year, the base year (pence[0], S[Y0]) and each forecast
 * year, from the shared services (issue 4). Every year's subscriptions and basis
 * data are loaded (svcyear.c); a service's cost is its contract priced by the one
 * pricing function (price.c: the index history up to the base year, the
 * scenario's indices after it, options taken, re-procurement at the scenario's
 * retender change), or its entered annual cost indexed by the scenario's CPI from
 * the base year; the irrecoverable part of the VAT is a cost. A core service is the central
 * team's cost; a traded one is allocated to its subscribers by its basis
 * (service_allocate). A service with no subscriber in a year books nothing.
 */
struct api_forecasts_services {
	struct forecast_service *items;          /* for forecast_input.services */
	size_t n, cap;
	char *store;                             /* the items' strings */
	size_t nservices;                        /* services seen */
};

int api_forecasts_services(struct req *r, const struct forecast_assumptions *a, struct api_forecasts_services *out,
			   struct problem *p) __attribute__((warn_unused_result));
void api_forecasts_services_free(struct api_forecasts_services *s);

#endif
