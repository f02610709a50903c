/*
 * run_services.h - the shared services' costs as the forecast engine's services
 * driver takes them (forecast_input.services).
 */
#ifndef BURSAR_API_RUN_SERVICES_H
#define BURSAR_API_RUN_SERVICES_H

#include <stddef.h>

#include "forecast.h"
#include "http.h"

/*
 * The services driver's input (run_services.c): each entity's cost per
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
struct run_services {
	struct forecast_service *items;          /* for forecast_input.services */
	size_t n, cap;
	char *store;                             /* the items' strings */
	size_t nservices;                        /* services seen */
};

int run_services_load(struct req *r, const struct forecast_assumptions *a, struct run_services *out,
		      struct problem *p) __attribute__((warn_unused_result));
void run_services_free(struct run_services *s);

#endif
