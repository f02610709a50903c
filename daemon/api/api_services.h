/*
 * api_services.h - what the shared-services handlers (api_services.c,
 * api_subscriptions.c, api_allocations.c, api_feed.c) share: path ids, locking a
 * service for a write, the basis data a school needs, and the text checks. The
 * handlers themselves are declared in api.h.
 */
#ifndef BURSAR_API_SERVICES_H
#define BURSAR_API_SERVICES_H

#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "db.h"
#include "http.h"

/* A path id (name "id" or "sid"): a positive integer (400 otherwise). */
int api_services_id(struct req *r, const char *name, int64_t *id, struct problem *p)
	__attribute__((warn_unused_result));

/* A live service, locked for a write. */
struct api_services_locked {
	int64_t id;
	int64_t version;
	enum alloc_basis basis;
	char name[208];
};

/* Lock service id (FOR UPDATE): 404 when there is none or it was deleted. */
int api_services_lock(struct db *db, int64_t id, struct api_services_locked *out, struct problem *p)
	__attribute__((warn_unused_result));

/* Bump the service's version and updated_at (every write to its subscriptions). */
int api_services_bump(struct db *db, int64_t id, struct problem *p) __attribute__((warn_unused_result));

/*
 * Whether school_id (URN urn) has the data basis needs for a subscription from
 * start: an October census (pupils) or staff FTE for that academic year or one
 * before it, or a floor area. When it lacks it, adds an error at field naming
 * the school and returns 0; -1 only when the database fails.
 */
int api_services_school_data(struct db *db, enum alloc_basis basis, int64_t school_id, const char *urn,
			     int32_t start, const char *field, struct problem *p) __attribute__((warn_unused_result));

#endif
