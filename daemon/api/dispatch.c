/* dispatch.c - see dispatch.h */
#include "dispatch.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "auth.h"
#include "config.h"
#include "db.h"
#include "guard.h"
#include "http.h"
#include "idem.h"
#include "log.h"
#include "metrics.h"
#include "peer.h"
#include "routes.h"
#include "session.h"
#include "static.h"
#include "worker.h"

/* A method evhttp knows and we do not (r->method 0): 404 or 405. */
static void dispatch_unknown_method(struct req *r, struct problem *p)
{
	char allow[96];

	if (api_route(0, r->path, &r->match) < 0) {
		problem_not_found(p, "no resource at %s", r->path);
	} else {
		router_allow_str(r->match.allow, allow, sizeof(allow));
		evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Allow", allow);
		problem_set(p, 405, "method-not-allowed", "Method not allowed",
			    "this method is not supported; allowed: %s", allow);
	}
}

/* Who is asking (session cookie or bearer token) and may they use rt: 0, or -1 with
 * the problem set (401, 403, 503). */
static int dispatch_identify(struct req *r, const struct route *rt, struct problem *p)
{
	if (worker_refresh(r->w, p) != 0)
		return -1;
	if (session_present(r)) {
		if (session_identify(r, p) != 0)
			return -1;
	} else if (auth_identify(r->w->auth, r->db, r->cfg, r->client, http_header(r, "Authorization"),
				 &r->id, p) != 0) {
		return -1;
	}
	if ((rt->roles & r->id.role) == 0) {
		log_notice("auth: %s %s may not %s %s", identity_role_name(r->id.role), r->id.name,
			   router_method_name(r->method), r->path);
		return problem_forbidden(p, "the %s role may not %s %s", identity_role_name(r->id.role),
					 router_method_name(r->method), r->path);
	}
	return 0;
}

/* Route, authenticate, authorise, check the Idempotency-Key, run the handler:
 * 0 when replied, -1 with the problem set. */
static int dispatch_route(struct req *r, struct problem *p)
{
	const struct route *rt;
	int m = api_route(r->method, r->path, &r->match);

	if (m < 0 && static_wants(r->method, r->path))
		return static_serve(r->w->web, r, p);    /* the web app, outside /api/ */
	if (m < 0)
		return problem_not_found(p, "no resource at %s", r->path);
	if (m > 0) {
		char buf[96];

		router_allow_str(r->match.allow, buf, sizeof(buf));
		if (r->method == HM_OPTIONS) {
			evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Allow", buf);
			return http_reply_empty(r, 204, NULL);
		}
		problem_set(p, 405, "method-not-allowed", "Method not allowed",
			    "%s is not allowed on %s; allowed: %s", router_method_name(r->method),
			    r->path, buf);
		evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Allow", buf);
		return -1;
	}
	rt = r->match.route;
	if (rt->roles != 0) {
		if (dispatch_identify(r, rt, p) != 0)
			return -1;
		if (r->id.session_id != 0 && (r->method & (HM_POST | HM_PUT | HM_PATCH | HM_DELETE)) &&
		    session_check_write(r, p) != 0)
			return -1;
		if (r->method == HM_POST) {
			if ((m = idem_check(r, p)) != 0)
				return m > 0 ? 0 : -1;
			if (r->idem->key != NULL)
				r->on_reply = idem_on_reply;
		}
	}
	return rt->handler(r, p);
}

/*
 * A request or reply at least this large (a budget import, a large budget's JSON) is
 * followed by malloc_trim: glibc keeps what a worker freed in the worker's arena (the
 * mmap threshold rises after the first large free), so without it a 20,000-line import
 * left the daemon tens of MB larger for good. The trim costs about a millisecond.
 */
#define DISPATCH_TRIM_BYTES (256 * 1024)

/* After the reply: caches, the idempotent reply, metrics, the access log, the memory. */
static void dispatch_done(struct worker *w, struct req *r)
{
	int64_t dur;
	size_t ridx;

	if ((r->method & (HM_POST | HM_PUT | HM_PATCH | HM_DELETE)) && r->status >= 200 && r->status < 300)
		worker_note_write(w);
	idem_finish(r);
	dur = http_elapsed_ns(r);
	ridx = r->match.route != NULL ? (size_t)(r->match.route - api_routes) : api_nroutes;
	metrics_request(w->metrics, ridx, r->method, r->status, dur);
	metrics_db_errors(w->metrics, db_error_count(w->db));
	if (r->cfg->log_access)
		log_info("access: %s \"%s %s\" %d %zu %lld.%03lldms rid=%s token=%lld user=%lld", r->client,
			 router_method_name(r->method), r->path, r->status, r->sent_bytes,
			 (long long)(dur / 1000000), (long long)(dur / 1000 % 1000), r->request_id,
			 (long long)r->id.token_id, (long long)r->id.user_id);
	if (r->sent_bytes >= DISPATCH_TRIM_BYTES ||
	    evbuffer_get_length(evhttp_request_get_input_buffer(r->ev)) >= DISPATCH_TRIM_BYTES)
		malloc_trim(0);
}

void dispatch_request(struct evhttp_request *ev, void *arg)
{
	struct worker *w = arg;
	struct req r;
	struct problem p;
	struct idem idem;

	memset(&r, 0, sizeof(r));
	problem_reset(&p);
	memset(&idem, 0, sizeof(idem));
	http_req_start(&r, ev);
	r.w = w;
	r.cfg = w->cfg;
	r.db = w->db;
	r.idem = &idem;
	peer_client(&r);                         /* X-Forwarded-For from http.trusted_proxies */
	guard_request_begin(w->guard, ev);
	http_request_id(&r, w->rid_prefix, &w->request_seq);
	if (w->draining)
		evhttp_add_header(evhttp_request_get_output_headers(ev), "Connection", "close");

	if (r.method == 0) {
		dispatch_unknown_method(&r, &p);
		http_reply_problem(&r, &p);
	} else if (http_req_query(&r, &p) != 0) {
		http_reply_problem(&r, &p);
	} else if (dispatch_route(&r, &p) != 0) {
		if (r.status == 0)
			http_reply_problem(&r, &p);
		else
			log_err("dispatch: %s %s: the handler replied and failed", router_method_name(r.method),
				r.path);
	} else if (r.status == 0) {
		log_err("dispatch: %s %s: the handler sent no reply", router_method_name(r.method), r.path);
		problem_reset(&p);
		problem_internal(&p);
		http_reply_problem(&r, &p);
	}
	dispatch_done(w, &r);
	http_req_end(&r);
}

int dispatch_head_check(void *arg, struct guard_head *h, size_t *limit, struct problem *p)
{
	struct worker *w = arg;
	const struct route *rt;
	struct req r;
	struct idem idem;
	int rc = 0, m;

	*limit = w->cfg->http_max_body;
	if (h->method == 0)
		return 0;                        /* TRACE: no body gets this far */
	memset(&r, 0, sizeof(r));
	memset(&idem, 0, sizeof(idem));
	http_req_start(&r, h->req);
	r.method = h->method;
	r.path = h->path;
	snprintf(r.client, sizeof(r.client), "%s", h->client);
	r.w = w;
	r.cfg = w->cfg;
	r.db = w->db;
	r.idem = &idem;
	peer_client(&r);
	m = api_route(r.method, r.path, &r.match);
	if (m < 0) {
		rc = problem_not_found(p, "no resource at %s", r.path);
	} else if (m > 0) {
		if (r.method != HM_OPTIONS) {
			router_allow_str(r.match.allow, h->allow, sizeof(h->allow));
			p->allow = h->allow;
			rc = problem_set(p, 405, "method-not-allowed", "Method not allowed",
					 "%s is not allowed on %s; allowed: %s", router_method_name(r.method),
					 r.path, h->allow);
		}
	} else if ((rt = r.match.route)->roles != 0) {
		rc = dispatch_identify(&r, rt, p);
		if (rc == 0 && (rt->roles & ROUTE_LARGE_BODY))
			*limit = w->cfg->http_max_csv_body;
	}
	http_req_end(&r);
	return rc;
}

int dispatch_peer_trusted(void *arg, const char *client)
{
	struct worker *w = arg;

	return peer_is_trusted(w->cfg, client);
}
