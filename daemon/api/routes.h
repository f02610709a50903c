/*
 * routes.h - the route table: every path, its methods, roles and handler.
 */
#ifndef BURSAR_ROUTES_H
#define BURSAR_ROUTES_H

#include <stddef.h>

#include "router.h"

extern const struct route api_routes[];
extern const size_t api_nroutes;

#endif
