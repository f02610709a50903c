/*
 * routes.h - the route table: every path, its methods, roles and handler.
 */
#ifndef BURSAR_ROUTES_H
#define BURSAR_ROUTES_H

#include <stddef.h>

#include "router.h"

extern const struct route api_routes[];
extern const size_t api_nroutes;

/* router_match on api_routes, through the table's index (built once, on first use). */
int api_route(unsigned method, const char *path, struct route_match *m);

#endif
