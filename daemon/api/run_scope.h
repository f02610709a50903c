/*
 * run_scope.h - who sees what of a saved forecast run (the handlers of
 * api_forecasts*.c share it: a reading's scope is not a handler's).
 */
#ifndef BURSAR_API_RUN_SCOPE_H
#define BURSAR_API_RUN_SCOPE_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"
#include "store_forecasts.h"

/* The entities the caller may see in a run. */
struct run_scope {
	int all;                                 /* trust-wide roles: every entity and the trust */
	size_t n;
	char (*urns)[8];                         /* a business manager's schools */
};

/* The caller's scope (a business manager: their schools). 0, or -1 with the problem set. */
int run_scope_get(struct req *r, struct run_scope *s, struct problem *p)
	__attribute__((warn_unused_result));
void run_scope_free(struct run_scope *s);
int run_scope_in(const struct run_scope *s, const char *entity);
/* Whether a reply shows the entity: the trust to trust-wide roles only, a school in scope. */
int run_scope_shows(const struct run_scope *s, const char *entity);

/*
 * Whether the caller may see saved run x (id) at all: trust-wide roles every
 * run; a business manager a published run with one of her schools in it, and
 * then (the caller keeps to run_scope_shows) only her schools' parts. 0, or
 * -1 with 403 (a draft; a run without her schools).
 */
int run_scope_allowed(const struct store_forecast_rows *x, const struct run_scope *s, int64_t id,
		      struct problem *p) __attribute__((warn_unused_result));

#endif
