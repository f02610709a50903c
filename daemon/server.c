/* server.c - see server.h */
#include "routes.h"
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <mysql.h>
#include <openssl/rand.h>

#include "auth.h"
#include "config.h"
#include "connlimit.h"
#include "db.h"
#include "dispatch.h"
#include "guard.h"
#include "log.h"
#include "metrics.h"
#include "problem.h"
#include "rcache.h"
#include "schoolmap.h"
#include "static.h"
#include "router.h"

#define SERVER_DRAIN_TICK_MS 20
/* accept() failed (EMFILE, ENFILE, ENOBUFS ...): stop accepting this long, then retry */
#define SERVER_ACCEPT_PAUSE_MS 100
/* descriptors kept back from the connection cap: listeners, database, event loops, files */
#define SERVER_FD_RESERVE(workers) (64 + 8 * (workers))
/* connlimit_note slot for accept() failures */
#define SERVER_NOTE_ACCEPT 0

/* The worker running on this thread: accept()'s error callback gets only evhttp's argument. */
static _Thread_local struct worker *server_self;

struct server {
	struct cfg *cfg;
	struct static_site *web;                 /* the web app's files, built with each snapshot */
	const struct plugins *plugins;           /* borrowed from main: read-only */
	size_t nworkers;
	struct worker *workers;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	int port;
	struct worker_shared shared;             /* write_gen and every worker's metrics */
};

#define RCACHE_ENTRIES 4096
#define RCACHE_BYTES (32u << 20)

static int server_resolve(struct server *s, const char *address, int port)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICHOST | AI_PASSIVE };
	struct addrinfo *ai = NULL;
	char svc[16];
	int rc;

	snprintf(svc, sizeof(svc), "%d", port);
	if ((rc = getaddrinfo(address, svc, &hints, &ai)) != 0) {
		log_err("server: http.address %s: %s", address, gai_strerror(rc));
		return -1;
	}
	memcpy(&s->addr, ai->ai_addr, ai->ai_addrlen);
	s->addrlen = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

static void server_set_port(struct server *s, int port)
{
	if (s->addr.ss_family == AF_INET)
		((struct sockaddr_in *)&s->addr)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)&s->addr)->sin6_port = htons((uint16_t)port);
	s->port = port;
}

/*
 * Bind once without SO_REUSEPORT: if another process (a leftover bursard among
 * them) listens there, this fails, where the workers' SO_REUSEPORT binds would
 * silently share the port with it. For port 0 it also picks the port.
 */
static int server_probe_port(struct server *s)
{
	struct sockaddr_storage got;
	socklen_t gl = sizeof(got);
	int fd, one = 1, rc = -1;

	if ((fd = socket(s->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		log_err("server: socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&s->addr, s->addrlen) != 0) {
		log_err("server: cannot use port %d: %s%s", s->port, strerror(errno),
			errno == EADDRINUSE ? " (is another bursard running?)" : "");
		goto out;
	}
	if (getsockname(fd, (struct sockaddr *)&got, &gl) == 0)
		server_set_port(s, ntohs(got.ss_family == AF_INET ?
					 ((struct sockaddr_in *)&got)->sin_port :
					 ((struct sockaddr_in6 *)&got)->sin6_port));
	rc = 0;
out:
	close(fd);
	return rc;
}

static void worker_apply_limits(struct worker *w)
{
	const struct cfg *c = w->cfg;

	/* evhttp has one body limit: the largest (CSV imports); http.c enforces the rest */
	evhttp_set_max_body_size(w->http, (ev_ssize_t)c->http_max_csv_body);
	/* the guard holds heads to http.max_header_bytes and http.max_uri_bytes first:
	 * evhttp's own limit (which answers in HTML) is never the one reached */
	evhttp_set_max_headers_size(w->http, (ev_ssize_t)(c->http_max_headers + c->http_max_uri + 8192));
	evhttp_set_timeout(w->http, c->http_timeout_s);
	guard_configure(w->guard, c);
}

static void server_accept_resume(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;

	(void)fd;
	(void)what;
	if (w->bound != NULL)
		evconnlistener_enable(evhttp_bound_socket_get_listener(w->bound));
}

/*
 * accept() failed for a reason libevent does not retry (out of descriptors,
 * mostly): libevent would log every failure and try again at once, spinning
 * while the listen queue is not empty. Stop accepting for a moment instead,
 * and log at most once a second for the whole process.
 */
static void server_accept_error(struct evconnlistener *lev, void *arg)
{
	struct worker *w = server_self;
	int err = EVUTIL_SOCKET_ERROR();
	struct timeval pause = { 0, SERVER_ACCEPT_PAUSE_MS * 1000 };
	uint64_t suppressed = 0;

	(void)arg;
	evconnlistener_disable(lev);
	if (w == NULL || w->accept_timer == NULL || event_add(w->accept_timer, &pause) != 0) {
		log_err("server: accept(): %s; cannot pause the listener", strerror(err));
		evconnlistener_enable(lev);
		return;
	}
	if (connlimit_note(w->shared->conns, SERVER_NOTE_ACCEPT, worker_now_ms(), &suppressed))
		log_err("server: accept(): %s; not accepting for %d ms (%llu more failures in the last second)",
			strerror(err), SERVER_ACCEPT_PAUSE_MS, (unsigned long long)suppressed);
}

static int worker_init(struct server *s, struct worker *w, int index)
{
	struct evconnlistener *lev;
	unsigned char rnd[4] = { 0 };
	int one = 1;

	w->shared = &s->shared;
	w->index = index;
	w->cfg = cfg_ref(s->cfg);
	w->web = static_site_ref(s->web);
	w->plugins = s->plugins;
	if ((w->base = event_base_new()) == NULL || (w->http = evhttp_new(w->base)) == NULL ||
	    (w->db = db_new(w->cfg)) == NULL || (w->auth = auth_cache_new()) == NULL ||
	    (w->rcache = rcache_new(RCACHE_ENTRIES, RCACHE_BYTES)) == NULL ||
	    (w->schools = schoolmap_new()) == NULL) {
		log_err("server: worker %d: out of memory", index);
		return -1;
	}
	w->metrics = s->shared.metrics[index];
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		log_warn("server: no randomness for request ids; using the pid");
	snprintf(w->rid_prefix, sizeof(w->rid_prefix), "%02x%02x%02x%02x%x",
		 rnd[0], rnd[1], rnd[2] ^ (unsigned char)getpid(), rnd[3], (unsigned)index & 0xf);
	if ((w->guard = guard_new(w->base, s->shared.conns, w->rid_prefix, dispatch_head_check,
				  dispatch_peer_trusted, w)) == NULL ||
	    (w->accept_timer = evtimer_new(w->base, server_accept_resume, w)) == NULL) {
		log_err("server: worker %d: out of memory", index);
		return -1;
	}
	evhttp_set_bevcb(w->http, guard_bevcb, w->guard);
	evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
				   EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS |
				   EVHTTP_REQ_TRACE | EVHTTP_REQ_PATCH);
	evhttp_set_default_content_type(w->http, "application/json; charset=utf-8");
	worker_apply_limits(w);
	evhttp_set_gencb(w->http, dispatch_request, w);
	lev = evconnlistener_new_bind(w->base, NULL, NULL,
				      LEV_OPT_REUSEABLE | LEV_OPT_REUSEABLE_PORT |
				      LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC,
				      w->cfg->http_backlog, (struct sockaddr *)&s->addr, (int)s->addrlen);
	if (lev == NULL) {
		log_err("server: worker %d: cannot listen on port %d: %s", index, s->port,
			strerror(errno));
		return -1;
	}
	/* Replies go out as soon as they are written: without TCP_NODELAY (which
	 * accepted sockets inherit from the listener on Linux), a reply written in
	 * two parts waits for the client's delayed ACK of the first (~40 ms). */
	if (setsockopt(evconnlistener_get_fd(lev), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0)
		log_warn("server: worker %d: TCP_NODELAY: %s", index, strerror(errno));
	if ((w->bound = evhttp_bind_listener(w->http, lev)) == NULL) {
		evconnlistener_free(lev);
		log_err("server: worker %d: evhttp_bind_listener failed", index);
		return -1;
	}
	/* after evhttp_bind_listener, which sets the accept callback but not this one */
	evconnlistener_set_error_cb(lev, server_accept_error);
	return 0;
}

static void worker_destroy(struct worker *w)
{
	if (w->drain_timer != NULL)
		event_free(w->drain_timer);
	if (w->accept_timer != NULL)
		event_free(w->accept_timer);
	if (w->http != NULL)
		evhttp_free(w->http);                 /* frees bound sockets and connections */
	if (w->base != NULL) {
		guard_settle(w->base);
		event_base_free(w->base);             /* connections' last callbacks reach the guard */
	}
	guard_free(w->guard);
	db_free(w->db);
	auth_cache_free(w->auth);
	rcache_free(w->rcache);
	schoolmap_free(w->schools);
	static_site_unref(w->web);
	cfg_unref(w->cfg);
	memset(w, 0, sizeof(*w));
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	server_self = w;
	mysql_thread_init();
	event_base_dispatch(w->base);
	/* the connection belongs to this thread: close it here */
	db_free(w->db);
	w->db = NULL;
	mysql_thread_end();
	return NULL;
}

/*
 * The connections the file limit allows: raise the soft RLIMIT_NOFILE towards
 * http.max_connections plus a reserve if the hard limit lets us, and say so
 * when it does not (the cap is then the limit less the reserve).
 */
static size_t server_fd_cap(const struct cfg *cfg)
{
	struct rlimit rl;
	rlim_t reserve = SERVER_FD_RESERVE((rlim_t)cfg->http_workers);
	rlim_t want = (rlim_t)cfg->http_max_connections + reserve;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return (size_t)cfg->http_max_connections;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		struct rlimit up = rl;

		up.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl = up;
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		size_t cap = rl.rlim_cur > reserve + 16 ? (size_t)(rl.rlim_cur - reserve) : 16;

		log_warn("server: the file limit (%llu) leaves room for %zu connections, fewer than "
			 "http.max_connections (%d): raise LimitNOFILE", (unsigned long long)rl.rlim_cur, cap,
			 cfg->http_max_connections);
		return cap;
	}
	return (size_t)cfg->http_max_connections;
}

struct server *server_start(struct cfg *cfg, const struct plugins *plugins)
{
	struct server *s = calloc(1, sizeof(*s));
	size_t started = 0, fd_cap;

	if (s == NULL)
		return NULL;
	fd_cap = server_fd_cap(cfg);
	s->cfg = cfg_ref(cfg);
	s->plugins = plugins;
	if ((s->web = static_site_load(cfg->web_dir)) == NULL)
		goto fail;
	s->nworkers = (size_t)cfg->http_workers;
	s->shared.nworkers = s->nworkers;
	/* room for a later http.max_connections (SIGHUP) up to four times this one */
	if ((s->shared.conns = connlimit_new(fd_cap < (size_t)cfg->http_max_connections * 4 ?
					     fd_cap : (size_t)cfg->http_max_connections * 4)) == NULL ||
	    (s->workers = calloc(s->nworkers, sizeof(*s->workers))) == NULL ||
	    (s->shared.metrics = calloc(s->nworkers, sizeof(*s->shared.metrics))) == NULL)
		goto fail;
	for (size_t i = 0; i < s->nworkers; i++)
		if ((s->shared.metrics[i] = metrics_new(api_nroutes)) == NULL)
			goto fail;
	if (server_resolve(s, cfg->http_address, cfg->http_port) != 0)
		goto fail;
	s->port = cfg->http_port;
	if (server_probe_port(s) != 0)
		goto fail;
	for (size_t i = 0; i < s->nworkers; i++)
		if (worker_init(s, &s->workers[i], (int)i) != 0)
			goto fail;
	for (; started < s->nworkers; started++) {
		int e = pthread_create(&s->workers[started].thread, NULL, worker_main, &s->workers[started]);

		if (e != 0) {
			log_err("server: pthread_create: %s", strerror(e));
			goto fail;
		}
	}
	log_notice("server: listening on http://%s:%d/ with %zu workers", cfg->http_address,
		   s->port, s->nworkers);
	return s;
fail:
	for (size_t i = 0; i < started; i++) {
		/* loopexit, not loopbreak: the thread may not have entered its loop yet (see ops_stop) */
		if (event_base_loopexit(s->workers[i].base, NULL) != 0)
			event_base_loopbreak(s->workers[i].base);
		pthread_join(s->workers[i].thread, NULL);
	}
	for (size_t i = 0; s->workers != NULL && i < s->nworkers; i++)
		worker_destroy(&s->workers[i]);
	for (size_t i = 0; s->shared.metrics != NULL && i < s->nworkers; i++)
		metrics_free(s->shared.metrics[i]);
	free(s->workers);
	free(s->shared.metrics);
	static_site_unref(s->web);
	connlimit_free(s->shared.conns);
	cfg_unref(s->cfg);
	free(s);
	return NULL;
}

int server_port(const struct server *s)
{
	return s->port;
}

struct metrics *const *server_metrics(const struct server *s, size_t *n)
{
	*n = s->nworkers;
	return s->shared.metrics;
}

struct reload_arg {
	struct worker *w;
	struct cfg *cfg;                         /* a reference for the worker */
	struct static_site *web;                 /* likewise */
};

static void worker_reload_cb(evutil_socket_t fd, short what, void *arg)
{
	struct reload_arg *ra = arg;
	struct worker *w = ra->w;

	(void)fd;
	(void)what;
	cfg_unref(w->cfg);
	w->cfg = ra->cfg;
	static_site_unref(w->web);
	w->web = ra->web;
	db_set_cfg(w->db, w->cfg);
	worker_apply_limits(w);
	free(ra);
}

void server_reload(struct server *s, struct cfg *cfg)
{
	/* the web app's files are read again with each snapshot (a failure keeps the old ones) */
	struct static_site *web = static_site_load(cfg->web_dir);

	if (web == NULL) {
		log_err("server: reload: the web app's files could not be read; keeping the old ones");
		web = static_site_ref(s->web);
	}
	for (size_t i = 0; i < s->nworkers; i++) {
		struct reload_arg *ra = malloc(sizeof(*ra));

		if (ra == NULL) {
			log_err("server: reload: out of memory; worker %zu keeps its configuration", i);
			continue;
		}
		ra->w = &s->workers[i];
		ra->cfg = cfg_ref(cfg);
		ra->web = static_site_ref(web);
		if (event_base_once(s->workers[i].base, -1, EV_TIMEOUT, worker_reload_cb, ra, NULL) != 0) {
			cfg_unref(ra->cfg);
			static_site_unref(ra->web);
			free(ra);
			log_err("server: reload: cannot reach worker %zu", i);
		}
	}
	cfg_unref(s->cfg);
	s->cfg = cfg_ref(cfg);
	static_site_unref(s->web);
	s->web = web;
}

static void worker_drain_tick(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;

	(void)fd;
	(void)what;
	unsigned inflight = guard_inflight(w->guard);

	if (inflight == 0 || worker_now_ms() >= w->drain_deadline_ms) {
		if (inflight != 0)
			log_warn("server: worker %d: %u requests still running at the drain deadline",
				 w->index, inflight);
		event_base_loopbreak(w->base);
	}
}

static void worker_stop_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;
	struct timeval tick = { 0, SERVER_DRAIN_TICK_MS * 1000 };

	(void)fd;
	(void)what;
	evtimer_del(w->accept_timer);
	if (w->bound != NULL) {
		evhttp_del_accept_socket(w->http, w->bound);   /* stop accepting */
		w->bound = NULL;
	}
	w->draining = 1;
	w->drain_deadline_ms = worker_now_ms() + (int64_t)w->cfg->http_drain_s * 1000;
	w->drain_timer = event_new(w->base, -1, EV_PERSIST, worker_drain_tick, w);
	if (w->drain_timer == NULL || event_add(w->drain_timer, &tick) != 0)
		event_base_loopbreak(w->base);
}

void server_stop(struct server *s)
{
	if (s == NULL)
		return;
	log_notice("server: stopping: draining in-flight requests (up to %d s)", s->cfg->http_drain_s);
	for (size_t i = 0; i < s->nworkers; i++)
		if (event_base_once(s->workers[i].base, -1, EV_TIMEOUT, worker_stop_cb,
				    &s->workers[i], NULL) != 0)
			event_base_loopbreak(s->workers[i].base);
	for (size_t i = 0; i < s->nworkers; i++)
		pthread_join(s->workers[i].thread, NULL);
	for (size_t i = 0; i < s->nworkers; i++) {
		worker_destroy(&s->workers[i]);
		metrics_free(s->shared.metrics[i]);
	}
	free(s->workers);
	free(s->shared.metrics);
	static_site_unref(s->web);
	connlimit_free(s->shared.conns);
	cfg_unref(s->cfg);
	free(s);
	log_notice("server: stopped");
}
