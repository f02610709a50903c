/* ops.c - see ops.h */
#include "ops.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cjson/cJSON.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <mysql.h>

#include "config.h"
#include "connlimit.h"
#include "db.h"
#include "guard.h"
#include "log.h"
#include "metrics.h"
#include "problem.h"
#include "routes.h"
#include "server.h"

struct ops {
	struct cfg *cfg;
	const struct server *srv;
	struct event_base *base;
	struct evhttp *http;
	struct db *db;                           /* /readyz's own connection; this thread's */
	struct connlimit *conns;                 /* the ops listener's own connection count */
	struct guard *guard;                     /* as the workers': deadlines, caps, problem+json refusals */
	pthread_t thread;
	int started;
	int port;
};

static void ops_send(struct evhttp_request *req, int status, const char *ctype, const char *body)
{
	struct evbuffer *b = evbuffer_new();
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "Content-Type", ctype);
	evhttp_add_header(h, "Cache-Control", "no-store");
	if (b != NULL && evhttp_request_get_command(req) != EVHTTP_REQ_HEAD)
		evbuffer_add(b, body, strlen(body));
	evhttp_send_reply(req, status, status == 200 ? "OK" : status == 404 ? "Not Found" :
			  status == 405 ? "Method Not Allowed" : status == 503 ? "Service Unavailable" :
			  "Internal Server Error", b);
	if (b != NULL)
		evbuffer_free(b);
}

static void ops_send_json(struct evhttp_request *req, int status, cJSON *o, const char *ctype)
{
	char *s = o != NULL ? cJSON_PrintUnformatted(o) : NULL;

	if (s == NULL)
		ops_send(req, 500, "application/problem+json",
			 "{\"type\":\"/problems/internal\",\"title\":\"Internal error\",\"status\":500}");
	else
		ops_send(req, status, ctype, s);
	cJSON_free(s);
}

static void ops_problem(struct evhttp_request *req, const struct problem *p, const char *path)
{
	cJSON *j = problem_to_json(p, path);
	char num[16];

	if (p->status == 503) {
		snprintf(num, sizeof(num), "%d", p->retry_after > 0 ? p->retry_after : 1);
		evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", num);
	}
	ops_send_json(req, p->status != 0 ? p->status : 500, j, "application/problem+json");
	cJSON_Delete(j);
}

static void ops_status(struct evhttp_request *req, const char *status)
{
	cJSON *o = cJSON_CreateObject();

	if (o != NULL && cJSON_AddStringToObject(o, "status", status) == NULL) {
		cJSON_Delete(o);
		o = NULL;
	}
	ops_send_json(req, 200, o, "application/json; charset=utf-8");
	cJSON_Delete(o);
}

static void ops_metrics(struct ops *o, struct evhttp_request *req)
{
	size_t n;
	struct metrics *const *ms = server_metrics(o->srv, &n);
	char *text = metrics_render(ms, n, api_routes, api_nroutes);

	if (text == NULL) {
		struct problem p;

		problem_reset(&p);
		problem_internal(&p);
		ops_problem(req, &p, "/metrics");
		return;
	}
	ops_send(req, 200, "text/plain; version=0.0.4; charset=utf-8", text);
	free(text);
}

static void ops_request(struct evhttp_request *req, void *arg)
{
	struct ops *o = arg;
	const char *uri = evhttp_request_get_uri(req);
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	char path[64];
	size_t len = strcspn(uri, "?");
	struct problem p;

	problem_reset(&p);
	snprintf(path, sizeof(path), "%.*s", (int)(len < sizeof(path) ? len : sizeof(path) - 1), uri);
	if (strcmp(path, "/healthz") != 0 && strcmp(path, "/readyz") != 0 && strcmp(path, "/metrics") != 0) {
		problem_not_found(&p, "the ops listener serves /healthz, /readyz and /metrics only");
		ops_problem(req, &p, path);
		return;
	}
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET, HEAD");
		problem_set(&p, 405, "method-not-allowed", "Method not allowed",
			    "only GET and HEAD are allowed on %s", path);
		ops_problem(req, &p, path);
		return;
	}
	if (strcmp(path, "/healthz") == 0) {
		ops_status(req, "ok");
	} else if (strcmp(path, "/metrics") == 0) {
		ops_metrics(o, req);
	} else if (db_ping(o->db, &p) != 0) {
		snprintf(p.detail, sizeof(p.detail), "the database is not reachable");
		ops_problem(req, &p, path);
	} else {
		ops_status(req, "ready");
	}
}

static void *ops_main(void *arg)
{
	struct ops *o = arg;

	mysql_thread_init();
	event_base_dispatch(o->base);
	db_free(o->db);
	o->db = NULL;
	mysql_thread_end();
	return NULL;
}

static int ops_listen(struct ops *o)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICHOST | AI_PASSIVE };
	struct addrinfo *ai = NULL;
	struct evconnlistener *lev;
	struct sockaddr_storage got;
	socklen_t gl = sizeof(got);
	char svc[16];
	int rc;

	snprintf(svc, sizeof(svc), "%d", o->cfg->ops_port);
	if ((rc = getaddrinfo(o->cfg->ops_address, svc, &hints, &ai)) != 0) {
		log_err("ops: ops.address %s: %s", o->cfg->ops_address, gai_strerror(rc));
		return -1;
	}
	/* no SO_REUSEPORT: a second daemon on the same ops port is refused */
	lev = evconnlistener_new_bind(o->base, NULL, NULL,
				      LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC,
				      64, ai->ai_addr, (int)ai->ai_addrlen);
	freeaddrinfo(ai);
	if (lev == NULL) {
		log_err("ops: cannot listen on %s port %d: %s", o->cfg->ops_address, o->cfg->ops_port,
			strerror(errno));
		return -1;
	}
	if (getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&got, &gl) == 0)
		o->port = ntohs(got.ss_family == AF_INET ? ((struct sockaddr_in *)&got)->sin_port :
				((struct sockaddr_in6 *)&got)->sin6_port);
	if (evhttp_bind_listener(o->http, lev) == NULL) {
		evconnlistener_free(lev);
		log_err("ops: evhttp_bind_listener failed");
		return -1;
	}
	return 0;
}

/* The ops routes are GET and HEAD and take no body: a request that announces one
 * is answered before it is read (405, as ops_request would). */
static int ops_head_check(void *arg, struct guard_head *h, size_t *limit, struct problem *p)
{
	(void)arg;
	*limit = 0;
	snprintf(h->allow, sizeof(h->allow), "GET, HEAD");
	p->allow = h->allow;
	return problem_set(p, 405, "method-not-allowed", "Method not allowed", "the ops listener serves GET and "
			   "HEAD only; allowed: GET, HEAD");
}

struct ops *ops_open(struct cfg *cfg, int *err)
{
	struct ops *o;

	*err = 0;
	if (cfg->ops_address[0] == '\0')
		return NULL;
	*err = 1;
	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	o->cfg = cfg_ref(cfg);
	if ((o->base = event_base_new()) == NULL || (o->http = evhttp_new(o->base)) == NULL ||
	    (o->db = db_new(cfg)) == NULL) {
		log_err("ops: out of memory");
		goto fail;
	}
	/* the same guard as the API's listener: no evhttp HTML error page, no slow client held */
	if ((o->conns = connlimit_new(256)) == NULL ||
	    (o->guard = guard_new(o->base, o->conns, "ops", ops_head_check, NULL, o)) == NULL) {
		log_err("ops: out of memory");
		goto fail;
	}
	guard_configure(o->guard, o->cfg);
	evhttp_set_bevcb(o->http, guard_bevcb, o->guard);
	evhttp_set_allowed_methods(o->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST |
				   EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
	evhttp_set_max_headers_size(o->http, 8192);
	evhttp_set_max_body_size(o->http, 0);
	evhttp_set_timeout(o->http, 10);
	evhttp_set_gencb(o->http, ops_request, o);
	if (ops_listen(o) != 0)
		goto fail;
	*err = 0;
	return o;
fail:
	ops_stop(o);
	return NULL;
}

int ops_run(struct ops *o, const struct server *srv)
{
	int e;

	o->srv = srv;                            /* before the thread: it reads srv only after */
	if ((e = pthread_create(&o->thread, NULL, ops_main, o)) != 0) {
		log_err("ops: pthread_create: %s", strerror(e));
		return -1;
	}
	o->started = 1;
	log_notice("ops: /healthz, /readyz and /metrics on http://%s:%d/", o->cfg->ops_address, o->port);
	return 0;
}

int ops_port(const struct ops *o)
{
	return o->port;
}

void ops_stop(struct ops *o)
{
	if (o == NULL)
		return;
	if (o->started) {
		/* Not event_base_loopbreak: a break asked for before the thread has entered its loop
		 * is forgotten when it does (the loop clears the flag), and the join waits for ever
		 * (a SIGTERM just after start-up; make tsan met it). loopexit queues an event, which
		 * the loop runs whenever it starts. */
		if (event_base_loopexit(o->base, NULL) != 0)
			event_base_loopbreak(o->base);
		pthread_join(o->thread, NULL);
	}
	if (o->http != NULL)
		evhttp_free(o->http);
	if (o->base != NULL) {
		guard_settle(o->base);           /* see guard.h */
		event_base_free(o->base);
	}
	guard_free(o->guard);                    /* after the base: its connections call back into it */
	connlimit_free(o->conns);
	db_free(o->db);
	cfg_unref(o->cfg);
	free(o);
}
