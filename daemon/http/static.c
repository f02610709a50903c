/* static.c - see static.h */
#include "static.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "http.h"
#include "log.h"
#include "problem.h"

#define STATIC_CSP "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
	"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
#define STATIC_IMMUTABLE "public, max-age=31536000, immutable"
#define STATIC_PATH_MAX 512

enum { V_IDENTITY, V_GZIP, V_BR, V_COUNT };

struct static_variant {
	char *data;                              /* NULL: no such variant */
	size_t len;
	char etag[48];
};

struct static_file {
	char *path;                              /* "/assets/main-ABCD1234.js" */
	const char *ctype;
	int hashed;
	struct static_variant v[V_COUNT];
};

struct static_site {
	int refs;                                /* atomic */
	size_t n, cap;
	size_t bytes;
	struct static_file *files;               /* sorted by path */
	const struct static_file *index;         /* "/index.html" or NULL */
};

static const char *const static_coding[V_COUNT] = { NULL, "gzip", "br" };

/* ---------------------------------------------------------------- pure parts */

static int static_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int static_path_clean(const char *raw, char *out, size_t outlen)
{
	size_t o = 0;

	if (raw == NULL || raw[0] != '/' || outlen < 2)
		return -1;
	for (const char *s = raw; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '%') {
			int hi = static_hex(s[1]), lo = hi >= 0 ? static_hex(s[2]) : -1;

			if (lo < 0)
				return -1;
			c = (unsigned char)(hi * 16 + lo);
			s += 2;
		}
		if (c == '\0' || c == '\\' || c < 0x20 || c == 0x7f || o + 1 >= outlen)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	/* every segment after the leading "/": not empty (but the last), not "." or ".." */
	for (const char *seg = out + 1; ; ) {
		size_t n = strcspn(seg, "/");

		if (seg[n] == '/' && n == 0)
			return -1;
		if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return -1;
		if (seg[n] == '\0')
			break;
		seg += n + 1;
	}
	return 0;
}

int static_accepts(const char *ae, const char *coding)
{
	size_t cl = strlen(coding);
	int star = -1;

	if (ae == NULL)
		return 0;
	for (const char *s = ae; *s != '\0';) {
		size_t n;
		const char *q, *end;
		int allowed = 1;

		while (*s == ' ' || *s == '\t' || *s == ',')
			s++;
		if (*s == '\0')
			break;
		end = s + strcspn(s, ",");
		n = strcspn(s, ";, \t");
		q = memchr(s, ';', (size_t)(end - s));
		if (q != NULL) {
			q++;
			while (q < end && (*q == ' ' || *q == '\t'))
				q++;
			if (end - q >= 2 && (q[0] == 'q' || q[0] == 'Q') && q[1] == '=') {
				/* q=0, q=0.0, q=0.000: refused */
				const char *d = q + 2;

				allowed = 0;
				while (d < end && *d != ' ' && *d != '\t' && *d != ';') {
					if (*d >= '1' && *d <= '9')
						allowed = 1;
					d++;
				}
			}
		}
		if (n == cl && strncasecmp(s, coding, cl) == 0)
			return allowed;
		if (n == 1 && *s == '*')
			star = allowed;
		s = end;
	}
	return star == 1;
}

int static_name_hashed(const char *name)
{
	const char *dot = strchr(name, '.');
	const char *dash;
	size_t n;

	if (dot == NULL)
		return 0;
	for (dash = dot; dash > name && dash[-1] != '-'; dash--)
		;
	if (dash <= name + 1)                    /* no dash, or nothing before it */
		return 0;
	n = (size_t)(dot - dash);
	if (n < 8)
		return 0;
	for (const char *c = dash; c < dot; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
			return 0;
	return 1;
}

const char *static_content_type(const char *name)
{
	static const struct { const char *ext, *ctype; } types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".json", "application/json" },
		{ ".map", "application/json" },
		{ ".webmanifest", "application/manifest+json" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".woff2", "font/woff2" },
		{ ".woff", "font/woff" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot != NULL && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].ctype;
	return "application/octet-stream";
}

int static_wants(unsigned method, const char *path)
{
	if (method != HM_GET && method != HM_HEAD)
		return 0;
	return strncmp(path, "/api/", 5) != 0 && strcmp(path, "/api") != 0;
}

/* ---------------------------------------------------------------- loading */

static void static_file_clear(struct static_file *f)
{
	free(f->path);
	for (int i = 0; i < V_COUNT; i++)
		free(f->v[i].data);
}

static void static_site_free(struct static_site *s)
{
	for (size_t i = 0; i < s->n; i++)
		static_file_clear(&s->files[i]);
	free(s->files);
	free(s);
}

/* The whole regular file at path: 0, 1 when it is absent, -1 on error (logged). */
static int static_read(const char *path, size_t room, char **data, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	size_t got = 0;
	char *buf;

	*data = NULL;
	*len = 0;
	if (fd < 0)
		return errno == ENOENT || errno == ELOOP ? 1 : (log_err("static: %s: %s", path, strerror(errno)), -1);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return 1;
	}
	if ((size_t)st.st_size > room) {
		log_err("static: %s: the site would pass %u bytes", path, STATIC_MAX_BYTES);
		close(fd);
		return -1;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		log_err("static: out of memory");
		return -1;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			log_err("static: %s: %s", path, r < 0 ? strerror(errno) : "shorter than its size");
			free(buf);
			close(fd);
			return -1;
		}
		got += (size_t)r;
	}
	close(fd);
	*data = buf;
	*len = got;
	return 0;
}

static int static_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	return n > k && strcmp(name + n - k, suffix) == 0;
}

/* Add the file at fs (served as url) with its .gz and .br siblings. */
static int static_add(struct static_site *s, const char *fs, const char *url, const char *name)
{
	struct static_file *f;
	char alt[STATIC_PATH_MAX + 4];

	if (s->n == STATIC_MAX_FILES) {
		log_err("static: more than %d files", STATIC_MAX_FILES);
		return -1;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		struct static_file *nf = realloc(s->files, cap * sizeof(*nf));

		if (nf == NULL)
			return log_err("static: out of memory"), -1;
		s->files = nf;
		s->cap = cap;
	}
	f = &s->files[s->n];
	memset(f, 0, sizeof(*f));
	if ((f->path = strdup(url)) == NULL)
		return log_err("static: out of memory"), -1;
	s->n++;                                  /* cleared with the site from here on */
	f->ctype = static_content_type(name);
	f->hashed = static_name_hashed(name);
	for (int i = 0; i < V_COUNT; i++) {
		int rc;

		snprintf(alt, sizeof(alt), "%s%s", fs, i == V_GZIP ? ".gz" : i == V_BR ? ".br" : "");
		rc = static_read(alt, STATIC_MAX_BYTES - s->bytes, &f->v[i].data, &f->v[i].len);
		if (rc < 0 || (rc > 0 && i == V_IDENTITY))
			return -1;
		if (rc > 0)
			continue;
		if (i != V_IDENTITY && f->v[i].len >= f->v[V_IDENTITY].len) {
			free(f->v[i].data);           /* no smaller: not worth sending */
			f->v[i].data = NULL;
			continue;
		}
		s->bytes += f->v[i].len;
		http_etag_hash(f->v[i].etag, sizeof(f->v[i].etag), f->v[i].data, f->v[i].len);
	}
	return 0;
}

static int static_walk(struct static_site *s, const char *fs, const char *url, int depth)
{
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (depth > STATIC_MAX_DEPTH)
		return log_err("static: %s: deeper than %d levels", fs, STATIC_MAX_DEPTH), -1;
	if ((d = opendir(fs)) == NULL)
		return log_err("static: %s: %s", fs, strerror(errno)), -1;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		char cfs[STATIC_PATH_MAX], curl[STATIC_PATH_MAX];
		struct stat st;

		if (e->d_name[0] == '.' || static_suffix(e->d_name, ".gz") || static_suffix(e->d_name, ".br"))
			continue;
		if ((size_t)snprintf(cfs, sizeof(cfs), "%s/%s", fs, e->d_name) >= sizeof(cfs) ||
		    (size_t)snprintf(curl, sizeof(curl), "%s/%s", url, e->d_name) >= sizeof(curl)) {
			log_err("static: %s/%s: the path is too long", fs, e->d_name);
			rc = -1;
			break;
		}
		if (lstat(cfs, &st) != 0) {
			log_err("static: %s: %s", cfs, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = static_walk(s, cfs, curl, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			rc = static_add(s, cfs, curl, e->d_name);
		}                                /* symlinks and the rest: never served */
	}
	closedir(d);
	return rc;
}

static int static_cmp(const void *a, const void *b)
{
	return strcmp(((const struct static_file *)a)->path, ((const struct static_file *)b)->path);
}

static const struct static_file *static_find(const struct static_site *s, const char *path)
{
	struct static_file key = { .path = (char *)path };

	if (s == NULL || s->n == 0)
		return NULL;
	return bsearch(&key, s->files, s->n, sizeof(*s->files), static_cmp);
}

struct static_site *static_site_load(const char *dir)
{
	struct static_site *s = calloc(1, sizeof(*s));
	struct stat st;

	if (s == NULL)
		return log_err("static: out of memory"), NULL;
	s->refs = 1;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		log_warn("static: %s is not a directory: no web app (build it with make)", dir);
		return s;
	}
	if (static_walk(s, dir, "", 0) != 0) {
		static_site_free(s);
		return NULL;
	}
	if (s->n > 0)
		qsort(s->files, s->n, sizeof(*s->files), static_cmp);
	s->index = static_find(s, "/index.html");
	if (s->index == NULL)
		log_warn("static: %s has no index.html: no web app (build it with make)", dir);
	log_info("static: %zu files (%zu bytes with their compressed copies) from %s", s->n, s->bytes, dir);
	return s;
}

struct static_site *static_site_ref(struct static_site *s)
{
	if (s != NULL)
		__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
	return s;
}

void static_site_unref(struct static_site *s)
{
	if (s != NULL && __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) == 0)
		static_site_free(s);
}

size_t static_site_count(const struct static_site *s)
{
	return s != NULL ? s->n : 0;
}

/* ---------------------------------------------------------------- serving */

static void static_security_headers(struct evkeyvalq *h)
{
	evhttp_add_header(h, "Content-Security-Policy", STATIC_CSP);
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Referrer-Policy", "same-origin");
}

/* Whether If-None-Match lists etag (weak comparison, as RFC 9110 says). */
static int static_inm_matches(const char *inm, const char *etag)
{
	size_t el = strlen(etag);

	for (const char *s = inm; s != NULL && *s != '\0';) {
		size_t n;

		while (*s == ' ' || *s == ',' || *s == '\t')
			s++;
		if (strncmp(s, "W/", 2) == 0)
			s += 2;
		n = strcspn(s, ",");
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if ((n == 1 && *s == '*') || (n == el && memcmp(s, etag, n) == 0))
			return 1;
		s += n;
		while (*s != '\0' && *s != ',')
			s++;
	}
	return 0;
}

static void static_release(const void *data, size_t len, void *arg)
{
	(void)data;
	(void)len;
	static_site_unref(arg);
}

static int static_reply(struct static_site *s, struct req *r, const struct static_file *f, struct problem *p)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);
	const char *ae = http_header(r, "Accept-Encoding");
	const struct static_variant *v = &f->v[V_IDENTITY];
	const char *coding = NULL;
	struct evbuffer *b;
	char len[24];

	for (int i = V_BR; i > V_IDENTITY; i--)
		if (f->v[i].data != NULL && static_accepts(ae, static_coding[i])) {
			v = &f->v[i];
			coding = static_coding[i];
			break;
		}
	evhttp_add_header(h, "X-Request-Id", r->request_id);
	evhttp_add_header(h, "Cache-Control", f->hashed ? STATIC_IMMUTABLE : "no-cache");
	evhttp_add_header(h, "Vary", "Accept-Encoding");
	evhttp_add_header(h, "ETag", v->etag);
	if (static_inm_matches(http_header(r, "If-None-Match"), v->etag)) {
		r->status = 304;
		evhttp_send_reply(r->ev, 304, "Not Modified", NULL);
		return 0;
	}
	evhttp_add_header(h, "Content-Type", f->ctype);
	if (coding != NULL)
		evhttp_add_header(h, "Content-Encoding", coding);
	r->status = 200;
	if (r->method == HM_HEAD) {
		/* evhttp 2.1 would send a body after a HEAD reply's headers: the length only */
		snprintf(len, sizeof(len), "%zu", v->len);
		evhttp_add_header(h, "Content-Length", len);
		evhttp_send_reply(r->ev, 200, "OK", NULL);
		return 0;
	}
	/* the bytes go out without a copy: the buffer holds a reference to the site
	 * until they are written (a reload may drop the worker's own meanwhile) */
	if ((b = evbuffer_new()) == NULL ||
	    evbuffer_add_reference(b, v->data, v->len, static_release, static_site_ref(s)) != 0) {
		if (b != NULL)
			static_site_unref(s);
		evbuffer_free(b);
		evhttp_clear_headers(h);
		static_security_headers(h);
		log_err("static: out of memory for a reply");
		return problem_internal(p);
	}
	r->sent_bytes = v->len;
	evhttp_send_reply(r->ev, 200, "OK", b);
	evbuffer_free(b);
	return 0;
}

int static_serve(struct static_site *s, struct req *r, struct problem *p)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);
	char path[STATIC_PATH_MAX];
	const struct static_file *f;
	const char *last;

	static_security_headers(h);
	if (static_path_clean(r->path, path, sizeof(path)) != 0)
		return problem_bad_request(p, "the path is not allowed");
	if (strcmp(path, "/") == 0)
		f = s != NULL ? s->index : NULL;
	else if ((f = static_find(s, path)) == NULL) {
		last = strrchr(path, '/');
		if (strchr(last, '.') == NULL)    /* one of the app's routes */
			f = s != NULL ? s->index : NULL;
	}
	if (f == NULL)
		return problem_not_found(p, "no resource at %s", r->path);
	return static_reply(s, r, f, p);
}
