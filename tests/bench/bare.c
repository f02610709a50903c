/*
 * bare: the reference server for tests/bench/run.sh.
 *
 * A bare evhttp JSON handler built the way bursard's workers are: N worker
 * threads, each with its own event_base, evhttp and SO_REUSEPORT listener on
 * the same loopback port, so the kernel spreads connections between them.
 * Every request gets the same small JSON body (about the size of a school
 * resource) with an ETag, status 200. No routing, no database, no auth: the
 * difference between this and bursard is what bursard's own work costs.
 *
 * With a MariaDB socket (the third argument), every request also makes one
 * prepared round trip on its worker's own connection, as bursard's workers do:
 * `SELECT ?+1` bound to a counter, executed, its one row stored and fetched,
 * the answer put in the body. The difference between this and bursard's
 * uncached database read is what bursard's work around its query costs; the
 * difference between this and the plain mode is what one round trip costs.
 * A failed query answers 503 (wrk counts it as an error).
 *
 * Usage: bare PORT [WORKERS [DB_SOCKET]]   (connects as root, no database)
 * SIGTERM or SIGINT stops it: signals are blocked in every thread and taken
 * with sigwait() on the main thread, which activates each worker's stop event
 * (safe across threads after evthread_use_pthreads()); the event's callback
 * calls event_base_loopbreak() on that worker's base. Activating an event
 * rather than calling event_base_loopbreak() directly from main matters in
 * one case: event_base_loop() clears the break flag when it starts, so a
 * break sent before a just-created thread reaches its loop would be lost and
 * pthread_join() would hang; an active event waits in the queue instead.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/thread.h>

#include <mysql.h>

#define BARE_WORKERS_DEFAULT	2
#define BARE_WORKERS_MAX	64
#define BARE_BACKLOG		1024

/* Same limits a bursard worker sets (the evhttp defaults are unlimited/50 s). */
#define BARE_MAX_HEADERS	(16 * 1024)
#define BARE_MAX_BODY		(1024 * 1024)
#define BARE_TIMEOUT_S		30

static const char bare_body[] =
	"{\"urn\":\"140001\",\"name\":\"Riverside Primary School\","
	"\"phase\":\"primary\",\"local_authority\":\"Newham\","
	"\"finance_model\":\"central\",\"floor_area_m2\":3120,"
	"\"pupils\":630,\"places\":0,\"fte\":41.5,"
	"\"links\":{\"self\":\"/api/v1/schools/140001\"},"
	"\"version\":3,\"created_at\":\"2025-09-01T08:00:00.000000Z\","
	"\"updated_at\":\"2025-11-20T14:31:07.250000Z\"}";

static const char bare_etag[] = "\"s140001-v3\"";

struct worker {
	int index;
	MYSQL *my;                               /* db mode only */
	MYSQL_STMT *st;
	long long seq;
	struct event_base *base;
	struct evhttp *http;
	struct event *stop;
	pthread_t tid;
	int started;
};

static const char bare_sql[] = "SELECT ?+1";

/* One prepared round trip: 0 and the answer in *out, or -1. */
static int bare_query(struct worker *w, long long *out)
{
	MYSQL_BIND in = { 0 }, res = { 0 };
	long long arg = ++w->seq;
	int rc = -1;

	in.buffer_type = MYSQL_TYPE_LONGLONG;
	in.buffer = &arg;
	res.buffer_type = MYSQL_TYPE_LONGLONG;
	res.buffer = out;
	if (mysql_stmt_bind_param(w->st, &in) != 0 || mysql_stmt_execute(w->st) != 0 ||
	    mysql_stmt_bind_result(w->st, &res) != 0 || mysql_stmt_store_result(w->st) != 0)
		goto out;
	rc = mysql_stmt_fetch(w->st) == 0 && *out == arg + 1 ? 0 : -1;
out:
	mysql_stmt_free_result(w->st);
	return rc;
}

static void bare_reply(struct evhttp_request *req, void *arg)
{
	struct worker *w = arg;
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	struct evbuffer *buf = evhttp_request_get_output_buffer(req);
	long long v;

	evhttp_add_header(out, "Content-Type", "application/json; charset=utf-8");
	if (w->st != NULL) {
		if (bare_query(w, &v) != 0) {
			evhttp_send_reply(req, 503, "Service Unavailable", NULL);
			return;
		}
		/* the same body with the answer in front, so the sizes stay alike */
		evbuffer_add_printf(buf, "{\"n\":%lld,", v);
		evbuffer_add(buf, bare_body + 1, sizeof(bare_body) - 2);
	} else {
		evhttp_add_header(out, "ETag", bare_etag);
		evbuffer_add(buf, bare_body, sizeof(bare_body) - 1);
	}
	evhttp_send_reply(req, HTTP_OK, "OK", NULL);
}

/* db mode: the worker's own connection and its prepared statement. */
static int bare_db_open(struct worker *w, const char *sock)
{
	unsigned int timeout = 5;

	if ((w->my = mysql_init(NULL)) == NULL) {
		fprintf(stderr, "bare: worker %d: mysql_init failed\n", w->index);
		return -1;
	}
	mysql_options(w->my, MYSQL_OPT_READ_TIMEOUT, &timeout);
	mysql_options(w->my, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
	if (mysql_real_connect(w->my, NULL, "root", NULL, NULL, 0, sock, 0) == NULL ||
	    (w->st = mysql_stmt_init(w->my)) == NULL ||
	    mysql_stmt_prepare(w->st, bare_sql, sizeof(bare_sql) - 1) != 0) {
		fprintf(stderr, "bare: worker %d: %s: %s\n", w->index, sock, mysql_error(w->my));
		return -1;
	}
	return 0;
}

/*
 * With SO_REUSEPORT a leftover process on the port would silently take half
 * the connections and skew the figures: bind once without it first.
 */
static int bare_probe_port(const struct sockaddr_in *sin)
{
	int fd, one = 1, rc = -1;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		fprintf(stderr, "bare: socket: %s\n", strerror(errno));
		return -1;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)sin, sizeof(*sin)) != 0) {
		fprintf(stderr, "bare: port %u is taken: %s\n",
			(unsigned)ntohs(sin->sin_port), strerror(errno));
		goto out;
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

static void bare_worker_stop(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;

	(void)fd;
	(void)what;
	event_base_loopbreak(w->base);
}

static int bare_worker_init(struct worker *w, const struct sockaddr_in *sin)
{
	struct evconnlistener *lev = NULL;
	unsigned flags = LEV_OPT_REUSEABLE | LEV_OPT_REUSEABLE_PORT |
		LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC;

	if ((w->base = event_base_new()) == NULL) {
		fprintf(stderr, "bare: worker %d: event_base_new failed\n", w->index);
		return -1;
	}
	if ((w->http = evhttp_new(w->base)) == NULL) {
		fprintf(stderr, "bare: worker %d: evhttp_new failed\n", w->index);
		return -1;
	}
	if ((w->stop = event_new(w->base, -1, 0, bare_worker_stop, w)) == NULL) {
		fprintf(stderr, "bare: worker %d: event_new failed\n", w->index);
		return -1;
	}
	evhttp_set_max_headers_size(w->http, BARE_MAX_HEADERS);
	evhttp_set_max_body_size(w->http, BARE_MAX_BODY);
	evhttp_set_timeout(w->http, BARE_TIMEOUT_S);
	evhttp_set_gencb(w->http, bare_reply, w);

	lev = evconnlistener_new_bind(w->base, NULL, NULL, flags, BARE_BACKLOG,
		(const struct sockaddr *)sin, (int)sizeof(*sin));
	if (lev == NULL) {
		fprintf(stderr, "bare: worker %d: listen on 127.0.0.1:%u: %s\n",
			w->index, (unsigned)ntohs(sin->sin_port), strerror(errno));
		return -1;
	}
	/* The evhttp owns the listener from here and frees it with itself. */
	if (evhttp_bind_listener(w->http, lev) == NULL) {
		fprintf(stderr, "bare: worker %d: evhttp_bind_listener failed\n", w->index);
		evconnlistener_free(lev);
		return -1;
	}
	return 0;
}

static void bare_worker_free(struct worker *w)
{
	if (w->st != NULL)
		mysql_stmt_close(w->st);
	if (w->my != NULL)
		mysql_close(w->my);
	w->st = NULL;
	w->my = NULL;
	if (w->stop != NULL)
		event_free(w->stop);
	if (w->http != NULL)
		evhttp_free(w->http);
	if (w->base != NULL)
		event_base_free(w->base);
	w->stop = NULL;
	w->http = NULL;
	w->base = NULL;
}

static void *bare_worker_run(void *arg)
{
	struct worker *w = arg;

	if (w->my != NULL)
		mysql_thread_init();
	if (event_base_dispatch(w->base) < 0)
		fprintf(stderr, "bare: worker %d: event loop failed\n", w->index);
	if (w->my != NULL)
		mysql_thread_end();
	return NULL;
}

static int bare_parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct worker *workers = NULL;
	sigset_t stop;
	long port, nworkers = BARE_WORKERS_DEFAULT;
	int i, err, sig, rc = 1, mylib = 0;

	const char *sock = argc == 4 ? argv[3] : NULL;

	if (argc < 2 || argc > 4 ||
	    bare_parse_int(argv[1], 1, 65535, &port) != 0 ||
	    (argc >= 3 && bare_parse_int(argv[2], 1, BARE_WORKERS_MAX, &nworkers) != 0)) {
		fprintf(stderr, "usage: %s PORT [WORKERS [DB_SOCKET]]  (PORT 1-65535, WORKERS 1-%d, default %d)\n",
			argc > 0 ? argv[0] : "bare", BARE_WORKERS_MAX, BARE_WORKERS_DEFAULT);
		return 2;
	}
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	/* Block the stop signals before any thread exists, so all inherit the mask
	 * and only sigwait() below sees them; a vanished client must not kill us. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	if ((err = pthread_sigmask(SIG_BLOCK, &stop, NULL)) != 0) {
		fprintf(stderr, "bare: pthread_sigmask: %s\n", strerror(err));
		goto out;
	}
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		fprintf(stderr, "bare: signal(SIGPIPE): %s\n", strerror(errno));
		goto out;
	}
	if (evthread_use_pthreads() != 0) {
		fprintf(stderr, "bare: evthread_use_pthreads failed\n");
		goto out;
	}
	if (bare_probe_port(&sin) != 0)
		goto out;
	if (sock != NULL) {
		if (mysql_library_init(0, NULL, NULL) != 0) {
			fprintf(stderr, "bare: mysql_library_init failed\n");
			goto out;
		}
		mylib = 1;
	}
	if ((workers = calloc((size_t)nworkers, sizeof(*workers))) == NULL) {
		fprintf(stderr, "bare: out of memory\n");
		goto out;
	}
	for (i = 0; i < nworkers; i++) {
		workers[i].index = i;
		if (bare_worker_init(&workers[i], &sin) != 0 ||
		    (sock != NULL && bare_db_open(&workers[i], sock) != 0))
			goto out;
	}
	for (i = 0; i < nworkers; i++) {
		if ((err = pthread_create(&workers[i].tid, NULL, bare_worker_run, &workers[i])) != 0) {
			fprintf(stderr, "bare: pthread_create: %s\n", strerror(err));
			goto out;
		}
		workers[i].started = 1;
	}
	fprintf(stderr, "bare: listening on 127.0.0.1:%ld with %ld workers%s%s\n", port, nworkers,
		sock != NULL ? ", one prepared SELECT ?+1 a request on " : "", sock != NULL ? sock : "");

	for (;;) {
		if ((err = sigwait(&stop, &sig)) != 0) {
			fprintf(stderr, "bare: sigwait: %s\n", strerror(err));
			goto out;
		}
		if (sig == SIGTERM || sig == SIGINT)
			break;
	}
	fprintf(stderr, "bare: signal %d, stopping\n", sig);
	rc = 0;
out:
	if (workers != NULL) {
		for (i = 0; i < nworkers; i++)
			if (workers[i].started)
				event_active(workers[i].stop, EV_READ, 0);
		for (i = 0; i < nworkers; i++)
			if (workers[i].started)
				pthread_join(workers[i].tid, NULL);
		for (i = 0; i < nworkers; i++)
			bare_worker_free(&workers[i]);
		free(workers);
	}
	if (mylib)
		mysql_library_end();
	return rc;
}
