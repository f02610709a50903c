/* api_profiles.c - the monthly profiles (issue 17; README "Profiles"): twelve weights in basis
 * points that split a budget line into its months. Trust roles and business managers read; the
 * finance director writes (If-Match on PUT and DELETE). `even` is the rule's own default (an
 * account without a default profile, a line without a profile): it cannot be changed or deleted.
 * A profile an account or a budget line names cannot be deleted (409 profile-in-use). */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "jsonv.h"
#include "profile.h"
#include "store_profiles.h"

#define PROFILE_EVEN "even"

enum { PF_NAME, PF_DESC, PF_WEIGHTS, PF_VERSION, PF_CREATED, PF_UPDATED, PF__N };

static const char *profile_check_name(const char *s)
{
	return profile_name_valid(s) ? NULL : "must be 1 to 32 of a-z, 0-9 and _, starting with a letter";
}

/* POST: the name required; PUT: the path names it (a name in the body must match). */
#define PROFILE_FIELDS(name_flags) { \
	[PF_NAME] = { "name", JV_STRING, name_flags, 1, PROFILE_NAME_MAX, NULL, profile_check_name }, \
	[PF_DESC] = { "description", JV_STRING, JV_LINE, 0, 200, NULL, NULL }, \
	[PF_WEIGHTS] = { "weights_bp", JV_ARRAY, JV_REQUIRED, 0, 0, NULL, NULL }, \
	[PF_VERSION] = { "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL }, \
	[PF_CREATED] = { "created_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL }, \
	[PF_UPDATED] = { "updated_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL }, \
}
static const struct jv_field profile_post_fields[PF__N] = PROFILE_FIELDS(JV_REQUIRED);
static const struct jv_field profile_put_fields[PF__N] = PROFILE_FIELDS(0);

/* The {name} of the path: 404 when it cannot name a profile. */
static const char *profile_path_name(struct req *r, struct problem *p)
{
	const char *name = http_param(r, "name");

	if (!profile_name_valid(name)) {
		problem_not_found(p, "no profile named %s", name != NULL ? name : "");
		return NULL;
	}
	return name;
}

int api_profiles_list(struct req *r, struct problem *p)
{
	cJSON *o = NULL, *items;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || (items = store_profiles_list(r->db, p)) == NULL)
		return -1;
	if ((o = cJSON_CreateObject()) == NULL || !cJSON_AddItemToObject(o, "items", items)) {
		cJSON_Delete(items);
		problem_internal(p);
		goto out;
	}
	if (cJSON_AddNullToObject(o, "next") == NULL) {
		problem_internal(p);
		goto out;
	}
	rc = http_reply_json(r, 200, o, NULL);
out:
	cJSON_Delete(o);
	return rc;
}

int api_profile_get(struct req *r, struct problem *p)
{
	const char *name;
	int64_t version;
	cJSON *o;
	int rc;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || (name = profile_path_name(r, p)) == NULL ||
	    (o = store_profile_get(r->db, name, &version, p)) == NULL)
		return -1;
	rc = api_reply_versioned(r, 200, o, NULL);
	cJSON_Delete(o);
	return rc;
}

/* ---- writes ---- */

struct profile_write {
	struct req *r;
	int64_t want_version;
	struct profile_in in;
	cJSON *after;
};

/* The body into pw->in (name: the path's on PUT). 0, or -1 with p set (422). */
static int profile_body(struct req *r, const char *name, struct profile_write *pw, cJSON **in, struct problem *p)
{
	struct jv_value v[PF__N];
	const char *why;

	if ((*in = http_read_json(r, p)) == NULL)
		return -1;
	jsonv_object(*in, "", name != NULL ? profile_put_fields : profile_post_fields, PF__N, v, p);
	if (name != NULL && v[PF_NAME].present && v[PF_NAME].s != NULL && strcmp(v[PF_NAME].s, name) != 0)
		problem_field(p, "/name", "does not match the name in the path (a profile keeps its name)");
	if (v[PF_WEIGHTS].present && (why = profile_weights_from_json(v[PF_WEIGHTS].item, pw->in.w)) != NULL)
		problem_field(p, "/weights_bp", "%s", why);
	pw->in.name = name != NULL ? name : v[PF_NAME].s;
	pw->in.description = v[PF_DESC].present ? v[PF_DESC].s : "";
	return problem_validation_done(p);
}

static int profile_post_txn(struct db *db, void *arg, struct problem *p)
{
	struct profile_write *pw = arg;
	struct audit_actor who = api_actor(pw->r);

	cJSON_Delete(pw->after);
	pw->after = NULL;
	return store_profile_create(db, &who, &pw->in, &pw->after, p);
}

static int profile_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct profile_write *pw = arg;
	struct audit_actor who = api_actor(pw->r);

	cJSON_Delete(pw->after);
	pw->after = NULL;
	return store_profile_update(db, &who, pw->want_version, &pw->in, &pw->after, p);
}

static int profile_delete_txn(struct db *db, void *arg, struct problem *p)
{
	struct profile_write *pw = arg;
	struct audit_actor who = api_actor(pw->r);

	return store_profile_delete(db, &who, pw->in.name, pw->want_version, p);
}

/* `even` stays as it is: 409. */
static int profile_not_even(const char *name, struct problem *p)
{
	if (strcmp(name, PROFILE_EVEN) != 0)
		return 0;
	return problem_set(p, 409, "profile-builtin", "Profile cannot change",
			   "even is the profile of every account without a default and every line without a "
			   "profile: it cannot be changed or deleted (make another profile)");
}

int api_profile_create(struct req *r, struct problem *p)
{
	struct profile_write pw = { .r = r };
	cJSON *in = NULL;
	char loc[80];
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || profile_body(r, NULL, &pw, &in, p) != 0 ||
	    api_txn(r, profile_post_txn, &pw, p) != 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/profiles/%s", pw.in.name);
	rc = api_reply_versioned(r, 201, pw.after, loc);
out:
	cJSON_Delete(pw.after);
	cJSON_Delete(in);
	return rc;
}

int api_profile_put(struct req *r, struct problem *p)
{
	struct profile_write pw = { .r = r };
	const char *name;
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || (name = profile_path_name(r, p)) == NULL ||
	    http_if_match(r, &pw.want_version, p) != 0 || profile_body(r, name, &pw, &in, p) != 0 ||
	    profile_not_even(name, p) != 0 || api_txn(r, profile_put_txn, &pw, p) != 0)
		goto out;
	rc = api_reply_versioned(r, 200, pw.after, NULL);
out:
	cJSON_Delete(pw.after);
	cJSON_Delete(in);
	return rc;
}

int api_profile_delete(struct req *r, struct problem *p)
{
	struct profile_write pw = { .r = r };

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    (pw.in.name = profile_path_name(r, p)) == NULL || http_if_match(r, &pw.want_version, p) != 0 ||
	    profile_not_even(pw.in.name, p) != 0 || api_txn(r, profile_delete_txn, &pw, p) != 0)
		return -1;
	return http_reply_empty(r, 204, NULL);
}
