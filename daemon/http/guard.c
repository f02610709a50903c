/* guard.c - see guard.h */
#include "guard.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>

#include "config.h"
#include "connlimit.h"
#include "log.h"
#include "problem.h"
#include "reqhead.h"
#include "router.h"

#define GUARD_LINGER_MS 2000                     /* a refused client's time to read the reply */
#define GUARD_WRITE_MS 5000                      /* the most a refusal waits to be written */
#define GUARD_POLL_MS 50
#define GUARD_HEAD_SLACK 64                      /* the request line beyond its target */

enum guard_state {
	GS_NEW,                                  /* not yet counted against the caps */
	GS_AWAIT,                                /* between requests (or before the first) */
	GS_HEAD,                                 /* reading a head */
	GS_BODY_LENGTH,
	GS_BODY_CHUNKED,
	GS_CLOSING,                              /* refused: reply, linger, close */
};

/* connlimit_note slots: each logged at most once a second */
enum { GUARD_NOTE_REFUSED = 1, GUARD_NOTE_TIMEOUT = 2 };

struct guard {
	struct event_base *base;
	struct connlimit *cl;
	const struct cfg *cfg;
	guard_check_fn check;
	guard_trusted_fn trusted;
	void *check_arg;
	char rid_prefix[16];
	uint64_t seq;
	unsigned inflight;
	size_t nconns;
	struct guard_conn **by_fd;               /* admitted connections by socket */
	size_t by_fd_len;
};

struct guard_conn {
	struct guard *g;
	struct bufferevent *bev;                 /* the filter evhttp owns */
	struct bufferevent *under;               /* the socket's (we hold a reference) */
	struct event *timer;                     /* admission, deadlines, closing */
	struct event *flush;                     /* moves evhttp's output on (see guard_out_cb) */
	struct evbuffer_cb_entry *out_cb;
	int fd;
	int admitted;                            /* counted in g->cl */
	unsigned char key[16];
	char client[64];
	enum guard_state state;
	char *head;                              /* the head being read */
	size_t head_len, head_cap;
	struct reqhead_scan scan;
	uint64_t remaining;                      /* GS_BODY_LENGTH */
	struct reqhead_chunked chunk;            /* GS_BODY_CHUNKED */
	uint64_t limit;
	unsigned forwarded;                      /* requests handed to evhttp whole */
	unsigned completed;                      /* ... and answered */
	int busy;                                /* counted in g->inflight */
	char *reply;                             /* a refusal waiting for earlier replies */
	size_t reply_len;
	int written, shut;
	int linger_ms;
	int64_t close_by_ms;
};

static int64_t guard_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void guard_arm(struct guard_conn *c, int64_t ms)
{
	struct timeval tv = { (time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000 };

	evtimer_add(c->timer, &tv);
}

/* Whether evhttp still has the connection (freeing the filter clears the socket's callbacks). */
static int guard_alive(const struct guard_conn *c)
{
	bufferevent_data_cb rcb = NULL;

	bufferevent_getcb(c->under, &rcb, NULL, NULL, NULL);
	return rcb != NULL;
}

static const char *guard_reason(int status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 417: return "Expectation Failed";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return status >= 500 ? "Internal Server Error" : "Error";
	}
}

/* The whole reply to a refusal: status line, headers, problem+json. NULL: out of memory. */
static char *guard_reply_text(struct guard_conn *c, const struct problem *p, const char *instance,
			      const char *rid, size_t *len)
{
	static const char fallback[] = "{\"type\":\"/problems/internal\",\"title\":\"Internal error\",\"status\":500}";
	cJSON *j = problem_to_json(p, instance);
	char *body = j != NULL ? cJSON_PrintUnformatted(j) : NULL;
	const char *b = body != NULL ? body : fallback;
	int status = body != NULL && p->status != 0 ? p->status : 500;
	char extra[160] = "";
	char *out = NULL;
	int n;

	(void)c;
	if (status == 401)
		snprintf(extra, sizeof(extra), "WWW-Authenticate: Bearer realm=\"bursar\"\r\n");
	else if (status == 405 && p->allow != NULL)
		snprintf(extra, sizeof(extra), "Allow: %s\r\n", p->allow);
	else if (status == 503)
		snprintf(extra, sizeof(extra), "Retry-After: %d\r\n", p->retry_after > 0 ? p->retry_after : 1);
	n = asprintf(&out, "HTTP/1.1 %d %s\r\nContent-Type: application/problem+json\r\n"
		     "Content-Length: %zu\r\nConnection: close\r\nX-Request-Id: %s\r\n%s\r\n%s",
		     status, guard_reason(status), strlen(b), rid, extra, b);
	cJSON_free(body);
	cJSON_Delete(j);
	if (n < 0)
		return NULL;
	*len = (size_t)n;
	return out;
}

static void guard_write_reply(struct guard_conn *c)
{
	if (c->reply != NULL) {
		bufferevent_write(c->under, c->reply, c->reply_len);
		free(c->reply);
		c->reply = NULL;
	}
	c->written = 1;
	c->close_by_ms = guard_now_ms() + GUARD_WRITE_MS;
	guard_arm(c, 0);
}

/*
 * Refuse: the problem as the reply (after the replies to earlier requests on
 * this connection), then close. p NULL: close without a reply. method and
 * target (may be NULL) are for the access log.
 */
static void guard_refuse(struct guard_conn *c, const struct problem *p, const char *method,
			 const char *target, int linger_ms)
{
	struct guard *g = c->g;
	char rid[40];

	c->state = GS_CLOSING;
	c->linger_ms = linger_ms;
	c->head_len = 0;
	snprintf(rid, sizeof(rid), "%s-g%llu", g->rid_prefix, (unsigned long long)++g->seq);
	if (p != NULL) {
		if ((c->reply = guard_reply_text(c, p, target, rid, &c->reply_len)) == NULL)
			log_err("guard: out of memory for a refusal");
		if (g->cfg->log_access && (method != NULL || p->status != 503))
			log_info("access: %s \"%s %.200s\" %d %zu - rid=%s refused: %s", c->client,
				 method != NULL ? method : "-", target != NULL ? target : "-", p->status,
				 c->reply_len, rid, p->detail);
	}
	if (c->forwarded > c->completed) {
		/* evhttp still owes replies to earlier requests: ours goes after them */
		c->close_by_ms = guard_now_ms() + (int64_t)g->cfg->http_timeout_s * 1000;
		guard_arm(c, GUARD_POLL_MS);
		return;
	}
	guard_write_reply(c);
}

static void guard_refuse_error(struct guard_conn *c, const struct reqhead_error *e, const char *method,
			       const char *target)
{
	struct problem p;

	problem_reset(&p);
	problem_set(&p, e->status, e->type, e->title, "%s", e->detail);
	guard_refuse(c, &p, method, target, GUARD_LINGER_MS);
}

static void guard_close_now(struct guard_conn *c)
{
	/* evhttp frees the connection (and so the filter and this) on EOF */
	bufferevent_trigger_event(c->bev, BEV_EVENT_EOF | BEV_EVENT_READING, 0);
}

static void guard_closing_tick(struct guard_conn *c)
{
	int64_t now = guard_now_ms();

	if (!c->written) {
		if (now >= c->close_by_ms)
			guard_close_now(c);
		else
			guard_arm(c, GUARD_POLL_MS);
		return;
	}
	if (!c->shut) {
		if (evbuffer_get_length(bufferevent_get_output(c->under)) > 0 && now < c->close_by_ms) {
			guard_arm(c, GUARD_POLL_MS);
			return;
		}
		/* the reply is out: FIN, then read and drop what the client still sends
		 * so that closing does not reset the connection under the reply */
		shutdown(c->fd, SHUT_WR);
		c->shut = 1;
		c->close_by_ms = now + c->linger_ms;
	}
	if (now < c->close_by_ms)
		guard_arm(c, c->close_by_ms - now < GUARD_POLL_MS * 4 ? c->close_by_ms - now : GUARD_POLL_MS * 4);
	else
		guard_close_now(c);
}

static void guard_register(struct guard *g, struct guard_conn *c)
{
	if ((size_t)c->fd >= g->by_fd_len) {
		size_t n = g->by_fd_len > 0 ? g->by_fd_len : 256;
		struct guard_conn **t;

		while (n <= (size_t)c->fd)
			n *= 2;
		if ((t = realloc(g->by_fd, n * sizeof(*t))) == NULL) {
			log_err("guard: out of memory for the connection table");
			return;
		}
		memset(t + g->by_fd_len, 0, (n - g->by_fd_len) * sizeof(*t));
		g->by_fd = t;
		g->by_fd_len = n;
	}
	g->by_fd[c->fd] = c;
}

/* Count the connection against the caps: 0, or -1 when refused (reply queued). */
static int guard_admit(struct guard_conn *c)
{
	struct guard *g = c->g;
	const struct cfg *cfg = g->cfg;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char addr[INET6_ADDRSTRLEN] = "-";
	struct problem p;
	uint64_t suppressed = 0;
	size_t per_address;
	int rc;

	if (c->state != GS_NEW)
		return c->state == GS_CLOSING ? -1 : 0;
	c->fd = bufferevent_getfd(c->under);
	if (c->fd < 0 || getpeername(c->fd, (struct sockaddr *)&ss, &sl) != 0) {
		c->state = GS_CLOSING;
		guard_refuse(c, NULL, NULL, NULL, 0);
		return -1;
	}
	connlimit_key((struct sockaddr *)&ss, c->key);
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, addr, sizeof(addr));
	else if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, addr, sizeof(addr));
	snprintf(c->client, sizeof(c->client), "%s", addr);
	per_address = (size_t)cfg->http_max_connections_per_address;
	if (per_address > 0 && g->trusted != NULL && g->trusted(g->check_arg, c->client))
		per_address = 0;                 /* a proxy speaks for many clients */
	rc = connlimit_acquire(g->cl, c->key, (size_t)cfg->http_max_connections, per_address);
	if (rc != CONNLIMIT_OK) {
		if (connlimit_note(g->cl, GUARD_NOTE_REFUSED, guard_now_ms(), &suppressed))
			log_warn("guard: refused a connection from %s: %s (http.max_connections%s = %d); "
				 "%llu more refused in the last second", c->client,
				 rc == CONNLIMIT_TOTAL ? "too many connections" : "too many from this address",
				 rc == CONNLIMIT_TOTAL ? "" : "_per_address",
				 rc == CONNLIMIT_TOTAL ? cfg->http_max_connections : cfg->http_max_connections_per_address,
				 (unsigned long long)suppressed);
		problem_reset(&p);
		problem_set(&p, 503, "unavailable", "Service unavailable", "%s; try again later",
			    rc == CONNLIMIT_TOTAL ? "the server has too many connections"
						  : "too many connections from your address");
		p.retry_after = 1;
		guard_refuse(c, &p, NULL, NULL, 0);
		return -1;
	}
	c->admitted = 1;
	guard_register(g, c);
	/* the first head's deadline runs from the connection's start */
	c->state = GS_AWAIT;
	guard_arm(c, (int64_t)cfg->http_header_timeout_s * 1000);
	return 0;
}

static void guard_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct guard_conn *c = arg;
	struct guard *g = c->g;
	struct problem p;
	uint64_t suppressed = 0;
	int body;

	(void)fd;
	(void)what;
	if (!guard_alive(c))
		return;
	switch (c->state) {
	case GS_NEW:
		guard_admit(c);
		return;
	case GS_CLOSING:
		guard_closing_tick(c);
		return;
	case GS_AWAIT:
		/* the connection's first request never started: close without a word */
		guard_refuse(c, NULL, NULL, NULL, 0);
		return;
	default:
		break;
	}
	body = c->state != GS_HEAD;
	if (connlimit_note(g->cl, GUARD_NOTE_TIMEOUT, guard_now_ms(), &suppressed))
		log_notice("guard: %s: the request %s took longer than %d s (%llu more in the last second)",
			   c->client, body ? "body" : "head",
			   body ? g->cfg->http_body_timeout_s : g->cfg->http_header_timeout_s,
			   (unsigned long long)suppressed);
	problem_reset(&p);
	problem_set(&p, 408, "request-timeout", "Request timeout",
		    "the request %s did not arrive within %d seconds", body ? "body" : "head",
		    body ? g->cfg->http_body_timeout_s : g->cfg->http_header_timeout_s);
	guard_refuse(c, &p, NULL, NULL, GUARD_LINGER_MS);
}

/* A request went to evhttp whole. */
static void guard_forwarded(struct guard_conn *c)
{
	c->forwarded++;
	c->state = GS_AWAIT;
	evtimer_del(c->timer);
}

/* A stand-in request whose input headers are the head's fields. NULL: out of memory. */
static struct evhttp_request *guard_stand_in(const char *head, size_t len)
{
	struct evhttp_request *req = evhttp_request_new(NULL, NULL);
	struct evkeyvalq *in = req != NULL ? evhttp_request_get_input_headers(req) : NULL;
	const char *name, *value;
	size_t at = 0, nlen, vlen;

	while (in != NULL && reqhead_next_field(head, len, &at, &name, &nlen, &value, &vlen)) {
		char *k = strndup(name, nlen), *v = strndup(value, vlen);
		int rc = k != NULL && v != NULL ? evhttp_add_header(in, k, v) : -1;

		free(k);
		free(v);
		if (rc != 0) {
			evhttp_request_free(req);
			return NULL;
		}
	}
	return req;
}

/* Ask the application about a head with a body: 0, or -1 when refused. */
static int guard_check_body(struct guard_conn *c, const struct reqhead *h, const char *method,
			    const char *path)
{
	struct guard *g = c->g;
	struct guard_head gh;
	struct problem p;
	size_t limit = 0;
	int rc;

	memset(&gh, 0, sizeof(gh));
	problem_reset(&p);
	gh.method = router_method_parse(method);
	gh.path = path;
	gh.client = c->client;
	gh.length = h->length;
	gh.chunked = h->body == REQHEAD_BODY_CHUNKED;
	if ((gh.req = guard_stand_in(c->head, c->head_len)) == NULL) {
		log_err("guard: out of memory for a request head");
		rc = problem_internal(&p);
	} else {
		rc = g->check(g->check_arg, &gh, &limit, &p);
		evhttp_request_free(gh.req);
	}
	if (rc == 0 && h->body == REQHEAD_BODY_LENGTH && h->length > limit) {
		problem_set(&p, 413, "payload-too-large", "Payload too large",
			    "the body is %llu bytes; the limit for %s %s is %zu",
			    (unsigned long long)h->length, method, path, limit);
		rc = -1;
	}
	if (rc != 0) {
		guard_refuse(c, &p, method, path, GUARD_LINGER_MS);
		return -1;
	}
	c->limit = limit;
	return 0;
}

/* A complete head in c->head: check it, ask about its body, forward it. 1 if forwarded. */
static int guard_head_done(struct guard_conn *c, struct evbuffer *dst)
{
	const struct cfg *cfg = c->g->cfg;
	struct reqhead h;
	struct reqhead_error e;
	struct evhttp_uri *uri = NULL;
	char method[16], *target = NULL;
	const char *path;
	int rc = 0;

	if (reqhead_parse(c->head, c->head_len, &h, &e) != 0) {
		guard_refuse_error(c, &e, NULL, NULL);
		return 0;
	}
	snprintf(method, sizeof(method), "%.*s", (int)h.method_len, c->head + h.method);
	if ((target = strndup(c->head + h.target, h.target_len)) == NULL ||
	    (uri = evhttp_uri_parse_with_flags(target, EVHTTP_URI_NONCONFORMANT)) == NULL) {
		e.status = 400;
		e.type = "bad-request";
		e.title = "Bad request";
		snprintf(e.detail, sizeof(e.detail), "the request target is not a valid URI");
		guard_refuse_error(c, &e, method, NULL);
		goto out;
	}
	path = evhttp_uri_get_path(uri);
	if (path == NULL || path[0] == '\0')
		path = "/";
	if (h.body != REQHEAD_BODY_NONE && guard_check_body(c, &h, method, path) != 0)
		goto out;
	evbuffer_add(dst, c->head, c->head_len);
	rc = 1;
	c->head_len = 0;
	memset(&c->scan, 0, sizeof(c->scan));
	if (h.body == REQHEAD_BODY_NONE) {
		guard_forwarded(c);
		goto out;
	}
	if (h.body == REQHEAD_BODY_LENGTH) {
		c->state = GS_BODY_LENGTH;
		c->remaining = h.length;
	} else {
		c->state = GS_BODY_CHUNKED;
		memset(&c->chunk, 0, sizeof(c->chunk));
	}
	guard_arm(c, (int64_t)cfg->http_body_timeout_s * 1000);
out:
	evhttp_uri_free(uri);
	free(target);
	return rc;
}

/* Read head bytes from src: 1 when a head was forwarded to dst. */
static int guard_read_head(struct guard_conn *c, struct evbuffer *src, struct evbuffer *dst)
{
	const struct cfg *cfg = c->g->cfg;
	struct reqhead_limits lim = {
		.max_uri = cfg->http_max_uri,
		.max_header_bytes = cfg->http_max_headers,
		.max_headers = (size_t)cfg->http_max_header_count,
	};
	size_t cap = lim.max_uri + GUARD_HEAD_SLACK + lim.max_header_bytes + 2;
	size_t take = evbuffer_get_length(src), extra;
	struct reqhead_error e;
	int rc;

	if (take > cap + 1 - c->head_len)
		take = cap + 1 - c->head_len;
	if (c->head_len + take > c->head_cap) {
		size_t n = c->head_cap > 0 ? c->head_cap : 1024;
		char *h;

		while (n < c->head_len + take)
			n *= 2;
		if ((h = realloc(c->head, n)) == NULL) {
			log_err("guard: out of memory for a request head");
			guard_refuse(c, NULL, NULL, NULL, 0);
			return 0;
		}
		c->head = h;
		c->head_cap = n;
	}
	evbuffer_remove(src, c->head + c->head_len, take);
	c->head_len += take;
	rc = reqhead_scan(&c->scan, c->head, c->head_len, &lim, &e);
	if (rc < 0) {
		guard_refuse_error(c, &e, NULL, NULL);
		return 0;
	}
	if (rc == 0) {
		if (take == 0) {
			/* cannot happen (the scan fails past the limits); never spin */
			e.status = 431;
			e.type = "header-too-large";
			e.title = "Request header fields too large";
			snprintf(e.detail, sizeof(e.detail), "the request head is too large");
			guard_refuse_error(c, &e, NULL, NULL);
		}
		return 0;
	}
	extra = c->head_len - c->scan.head_len;
	if (extra > 0)
		evbuffer_prepend(src, c->head + c->scan.head_len, extra);
	c->head_len = c->scan.head_len;
	return guard_head_done(c, dst);
}

/* Forward chunked body bytes as far as the framing allows: 1 if any were forwarded. */
static int guard_read_chunked(struct guard_conn *c, struct evbuffer *src, struct evbuffer *dst)
{
	struct evbuffer_iovec v[8];
	struct reqhead_error e;
	size_t total = 0;
	int n = evbuffer_peek(src, -1, NULL, v, 8), rc = 0;

	for (int i = 0; i < n && i < 8 && rc == 0; i++) {
		size_t used = 0;

		rc = reqhead_chunked_feed(&c->chunk, v[i].iov_base, v[i].iov_len, c->limit, &used, &e);
		total += used;
	}
	if (total > 0)
		evbuffer_remove_buffer(src, dst, total);
	if (rc < 0)
		guard_refuse_error(c, &e, NULL, NULL);
	else if (rc > 0)
		guard_forwarded(c);
	return total > 0;
}

static enum bufferevent_filter_result guard_filter_in(struct evbuffer *src, struct evbuffer *dst,
						      ev_ssize_t dst_limit, enum bufferevent_flush_mode mode,
						      void *arg)
{
	struct guard_conn *c = arg;
	int produced = 0;

	(void)dst_limit;
	(void)mode;
	if (c->state == GS_NEW)
		guard_admit(c);
	while (evbuffer_get_length(src) > 0) {
		switch (c->state) {
		case GS_NEW:
		case GS_CLOSING:
			evbuffer_drain(src, evbuffer_get_length(src));
			break;
		case GS_AWAIT: {
			unsigned char *b = evbuffer_pullup(src, 1);

			if (b[0] == '\r' || b[0] == '\n') {
				evbuffer_drain(src, 1);      /* empty lines before a request line */
				break;
			}
			c->state = GS_HEAD;
			memset(&c->scan, 0, sizeof(c->scan));
			c->head_len = 0;
			if (!evtimer_pending(c->timer, NULL))
				guard_arm(c, (int64_t)c->g->cfg->http_header_timeout_s * 1000);
			break;
		}
		case GS_HEAD:
			produced |= guard_read_head(c, src, dst);
			break;
		case GS_BODY_LENGTH: {
			size_t n = evbuffer_get_length(src);

			if ((uint64_t)n > c->remaining)
				n = (size_t)c->remaining;
			evbuffer_remove_buffer(src, dst, n);
			produced = 1;
			if ((c->remaining -= n) == 0)
				guard_forwarded(c);
			break;
		}
		case GS_BODY_CHUNKED:
			produced |= guard_read_chunked(c, src, dst);
			break;
		}
	}
	/* BEV_OK only when evhttp got bytes: its idle timeout restarts only then */
	return produced ? BEV_OK : BEV_NEED_MORE;
}

/*
 * Output. evhttp takes a reply as written when the filter's output is empty
 * (its write callback) and then, for Connection: close, shuts the socket down
 * at once; a plain filter empties its output into the socket bufferevent's,
 * which has not reached the kernel yet, and the reply would be lost. So the
 * filter's output never empties before everything is in the kernel: while the
 * socket bufferevent still has bytes to write, one byte stays behind; once it
 * has none, what is left is written to the socket directly.
 */
static enum bufferevent_filter_result guard_filter_out(struct evbuffer *src, struct evbuffer *dst,
						       ev_ssize_t dst_limit, enum bufferevent_flush_mode mode,
						       void *arg)
{
	struct guard_conn *c = arg;
	size_t n = evbuffer_get_length(src);
	int fd = c->fd >= 0 ? c->fd : bufferevent_getfd(c->under);

	(void)dst_limit;
	(void)mode;
	if (n == 0)
		return BEV_OK;
	if (evbuffer_get_length(dst) == 0 && fd >= 0) {
		if (evbuffer_write(src, fd) < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			/* the socket bufferevent meets the same error and tells evhttp */
			evbuffer_add_buffer(dst, src);
			return BEV_OK;
		}
		if ((n = evbuffer_get_length(src)) == 0)
			return BEV_OK;                   /* all in the kernel: evhttp may go on */
		if (n == 1) {
			/* the kernel took all but this byte: try again shortly */
			struct timeval soon = { 0, 5000 };

			event_add(c->flush, &soon);
			return BEV_NEED_MORE;
		}
	}
	if (n <= 1)
		return BEV_NEED_MORE;
	evbuffer_remove_buffer(src, dst, n - 1);
	return BEV_OK;
}

/*
 * evhttp 2.1 writes a reply into the filter's output while the filter's
 * writing is disabled and enables it afterwards, which does not move the bytes
 * on: a filter bufferevent forwards output only when bytes are added while it
 * is enabled. So forward them ourselves, once evhttp is done with this callback.
 */
static void guard_out_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	struct guard_conn *c = arg;

	(void)buf;
	if (info->n_added > 0)
		event_active(c->flush, EV_WRITE, 1);
}

static void guard_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	struct guard_conn *c = arg;

	(void)fd;
	(void)what;
	if (guard_alive(c))
		bufferevent_flush(c->bev, EV_WRITE, BEV_NORMAL);
}

static void guard_conn_free(void *arg)
{
	struct guard_conn *c = arg;
	struct guard *g = c->g;

	if (c->out_cb != NULL)
		evbuffer_remove_cb_entry(bufferevent_get_output(c->bev), c->out_cb);
	event_free(c->flush);

	if (c->admitted)
		connlimit_release(g->cl, c->key);
	if (c->busy && g->inflight > 0)
		g->inflight--;
	if (c->fd >= 0 && (size_t)c->fd < g->by_fd_len && g->by_fd[c->fd] == c)
		g->by_fd[c->fd] = NULL;
	g->nconns--;
	event_free(c->timer);
	free(c->head);
	free(c->reply);
	bufferevent_decref(c->under);
	free(c);
}

/*
 * Deferred callbacks: a filter runs evhttp's write callback from inside its
 * own output processing without holding a reference (be_filter_writecb in
 * 2.1), and evhttp may free the connection there; the filter then re-arms its
 * write timeout on freed memory. Deferred, evhttp's callbacks run afterwards.
 */
#define GUARD_FILTER_OPTS (BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS)

struct bufferevent *guard_bevcb(struct event_base *base, void *arg)
{
	struct guard *g = arg;
	struct guard_conn *c = calloc(1, sizeof(*c));

	if (c == NULL)
		goto fail;
	c->g = g;
	c->fd = -1;
	snprintf(c->client, sizeof(c->client), "-");
	if ((c->timer = evtimer_new(base, guard_timer_cb, c)) == NULL ||
	    (c->flush = event_new(base, -1, 0, guard_flush_cb, c)) == NULL ||
	    (c->under = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE)) == NULL)
		goto fail;
	bufferevent_incref(c->under);
	if ((c->bev = bufferevent_filter_new(c->under, guard_filter_in, guard_filter_out, GUARD_FILTER_OPTS,
					     guard_conn_free, c)) == NULL) {
		bufferevent_decref(c->under);
		goto fail;
	}
	g->nconns++;
	if ((c->out_cb = evbuffer_add_cb(bufferevent_get_output(c->bev), guard_out_cb, c)) == NULL) {
		bufferevent_free(c->bev);               /* frees c through guard_conn_free */
		return NULL;
	}
	guard_arm(c, 0);                         /* admission, once evhttp has set the socket */
	return c->bev;
fail:
	log_err("guard: out of memory for a connection");
	if (c != NULL) {
		if (c->under != NULL)
			bufferevent_free(c->under);
		if (c->timer != NULL)
			event_free(c->timer);
		if (c->flush != NULL)
			event_free(c->flush);
		free(c);
	}
	return NULL;
}

static void guard_on_complete(struct evhttp_request *ev, void *arg)
{
	struct guard_conn *c = arg;

	(void)ev;
	if (c->busy) {
		c->busy = 0;
		if (c->g->inflight > 0)
			c->g->inflight--;
	}
	c->completed++;
	if (c->state == GS_CLOSING && !c->written && c->completed >= c->forwarded)
		guard_write_reply(c);
}

void guard_request_begin(struct guard *g, struct evhttp_request *ev)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(ev);
	struct bufferevent *bev = evcon != NULL ? evhttp_connection_get_bufferevent(evcon) : NULL;
	int fd = bev != NULL ? bufferevent_getfd(bev) : -1;
	struct guard_conn *c = fd >= 0 && (size_t)fd < g->by_fd_len ? g->by_fd[fd] : NULL;

	if (c == NULL || c->bev != bev)
		return;                          /* not a guarded connection: nothing to count */
	if (!c->busy) {
		c->busy = 1;
		g->inflight++;
	}
	evhttp_request_set_on_complete_cb(ev, guard_on_complete, c);
}

/*
 * A connection's filter runs its callbacks deferred, and each one queued holds a
 * reference to its bufferevent. When the loop stops with one still queued (a client that closed,
 * or sent part of a head, just before the drain ended), evhttp_free drops evhttp's reference but
 * event_base_free only cancels the queued callback, never its reference: the connection, its
 * guard state and both bufferevents are never freed. One more pass of the loop after evhttp_free
 * runs them (evhttp's callbacks are cleared by then, so nothing reaches a handler), and
 * event_base_free then runs the finalizers that free the connections.
 */
void guard_settle(struct event_base *base)
{
	for (int i = 0; i < 4 && event_base_loop(base, EVLOOP_NONBLOCK) == 0; i++)
		;
}

unsigned guard_inflight(const struct guard *g)
{
	return g->inflight;
}

size_t guard_connections(const struct guard *g)
{
	return g->nconns;
}

struct guard *guard_new(struct event_base *base, struct connlimit *cl, const char *rid_prefix,
			guard_check_fn check, guard_trusted_fn trusted, void *check_arg)
{
	struct guard *g = calloc(1, sizeof(*g));

	if (g == NULL)
		return NULL;
	g->base = base;
	g->cl = cl;
	g->check = check;
	g->trusted = trusted;
	g->check_arg = check_arg;
	snprintf(g->rid_prefix, sizeof(g->rid_prefix), "%s", rid_prefix);
	return g;
}

void guard_configure(struct guard *g, const struct cfg *cfg)
{
	g->cfg = cfg;
}

void guard_free(struct guard *g)
{
	if (g == NULL)
		return;
	free(g->by_fd);
	free(g);
}
