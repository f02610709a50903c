/* reqhead.c - see reqhead.h */
#include "reqhead.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The longest request line beyond the target: method, two spaces, "HTTP/1.1". */
#define REQHEAD_LINE_SLACK 64
/* A trailer section's bytes (evhttp counts them with the headers). */
#define REQHEAD_MAX_TRAILER 4096
/* Hex digits of a chunk size: 15 keep it below 2^60 (evhttp reads it with strtoll). */
#define REQHEAD_MAX_CHUNK_DIGITS 15
/* Content-Length digits: below 10^18, inside int64_t. */
#define REQHEAD_MAX_LENGTH_DIGITS 18

__attribute__((format(printf, 5, 6)))
static int reqhead_fail(struct reqhead_error *e, int status, const char *type, const char *title,
			const char *fmt, ...)
{
	va_list ap;

	e->status = status;
	e->type = type;
	e->title = title;
	va_start(ap, fmt);
	vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
	va_end(ap);
	return -1;
}

static int reqhead_bad(struct reqhead_error *e, const char *detail)
{
	return reqhead_fail(e, 400, "bad-request", "Bad request", "%s", detail);
}

/* RFC 9110 tchar */
static int reqhead_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int reqhead_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Whether the line starting at buf[from] names the field name (name without ':'). */
static int reqhead_line_is(const char *buf, size_t from, size_t upto, const char *name)
{
	size_t n = strlen(name);

	return upto - from > n && strncasecmp(buf + from, name, n) == 0 && buf[from + n] == ':';
}

static int reqhead_over_headers(const struct reqhead_scan *s, const char *buf, size_t upto,
				struct reqhead_error *e, size_t limit)
{
	if (reqhead_line_is(buf, s->line_start, upto, "authorization"))
		return reqhead_fail(e, 401, "unauthorized", "Unauthorized",
				    "the Authorization header is too large to be a bursar token");
	return reqhead_fail(e, 431, "header-too-large", "Request header fields too large",
			    "the request's header fields exceed %zu bytes", limit);
}

int reqhead_scan(struct reqhead_scan *s, const char *buf, size_t len, const struct reqhead_limits *lim,
		 struct reqhead_error *e)
{
	for (; s->pos < len; s->pos++) {
		char c = buf[s->pos];
		size_t line_len = s->pos + 1 - s->line_start;

		if (c == '\0')
			return reqhead_bad(e, "the request head contains a NUL byte");
		if (s->nlines == 0 && line_len > lim->max_uri + REQHEAD_LINE_SLACK)
			return reqhead_fail(e, 414, "uri-too-long", "URI too long",
					    "the request target exceeds %zu bytes", lim->max_uri);
		if (s->nlines > 0 && s->header_bytes + line_len > lim->max_header_bytes)
			return reqhead_over_headers(s, buf, s->pos + 1, e, lim->max_header_bytes);
		if (c != '\n')
			continue;
		if (s->nlines > 0) {
			/* the blank line ends the head */
			if (line_len == 1 || (line_len == 2 && buf[s->line_start] == '\r')) {
				s->head_len = s->pos + 1;
				s->pos++;
				return 1;
			}
			if (s->nlines > lim->max_headers)
				return reqhead_fail(e, 431, "header-too-large", "Request header fields too large",
						    "the request has more than %zu header fields", lim->max_headers);
			s->header_bytes += line_len;
		}
		s->nlines++;
		s->line_start = s->pos + 1;
	}
	return 0;
}

/* One line of the head: [from, eol) without its line end; *next after it. */
static size_t reqhead_line(const char *head, size_t len, size_t from, size_t *next)
{
	const char *nl = memchr(head + from, '\n', len - from);
	size_t end = nl != NULL ? (size_t)(nl - head) : len;

	*next = nl != NULL ? end + 1 : len;
	if (end > from && head[end - 1] == '\r')
		end--;
	return end;
}

static int reqhead_request_line(const char *head, size_t end, struct reqhead *h, struct reqhead_error *e)
{
	size_t i = 0, v;
	static const char *const known[] = { "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS",
					     "PATCH", "TRACE" };
	int ok = 0;

	while (i < end && reqhead_tchar((unsigned char)head[i]))
		i++;
	if (i == 0 || i >= end || head[i] != ' ')
		return reqhead_bad(e, "the request line is not: method, target, HTTP version");
	h->method = 0;
	h->method_len = i;
	h->target = ++i;
	while (i < end && head[i] != ' ') {
		unsigned char c = (unsigned char)head[i];

		if (c < 0x21 || c == 0x7f)
			return reqhead_bad(e, "the request target contains a control character");
		i++;
	}
	h->target_len = i - h->target;
	if (h->target_len == 0 || i >= end)
		return reqhead_bad(e, "the request line is not: method, target, HTTP version");
	v = i + 1;
	if (end - v == 8 && memcmp(head + v, "HTTP/1.", 7) == 0 && (head[v + 7] == '0' || head[v + 7] == '1')) {
		h->minor = head[v + 7] - '0';
	} else if (end - v == 8 && memcmp(head + v, "HTTP/", 5) == 0 && head[v + 5] >= '0' &&
		   head[v + 5] <= '9' && head[v + 6] == '.' && head[v + 7] >= '0' && head[v + 7] <= '9') {
		return reqhead_fail(e, 505, "http-version-not-supported", "HTTP version not supported",
				    "bursard speaks HTTP/1.1 and HTTP/1.0");
	} else {
		return reqhead_bad(e, "the request line does not end in HTTP/1.1 or HTTP/1.0");
	}
	for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
		if (strlen(known[k]) == h->method_len && memcmp(head, known[k], h->method_len) == 0)
			ok = 1;
	if (!ok)
		return reqhead_fail(e, 501, "not-implemented", "Not implemented",
				    "the method %.*s is not implemented", (int)(h->method_len > 20 ? 20 : h->method_len),
				    head);
	return 0;
}

/* Trim optional whitespace around [*from, *to). */
static void reqhead_trim(const char *head, size_t *from, size_t *to)
{
	while (*from < *to && (head[*from] == ' ' || head[*from] == '\t'))
		(*from)++;
	while (*to > *from && (head[*to - 1] == ' ' || head[*to - 1] == '\t'))
		(*to)--;
}

/* A field line [from, end): its name and trimmed value, or 400. */
static int reqhead_field_line(const char *head, size_t from, size_t end, size_t *colon, size_t *vfrom,
			      size_t *vto, struct reqhead_error *e)
{
	size_t i = from;

	if (head[from] == ' ' || head[from] == '\t')
		return reqhead_bad(e, "obsolete line folding is not accepted");
	while (i < end && reqhead_tchar((unsigned char)head[i]))
		i++;
	if (i == from || i >= end || head[i] != ':')
		return reqhead_bad(e, "a header field is not name: value (no space before the colon)");
	*colon = i;
	for (size_t k = i + 1; k < end; k++) {
		unsigned char c = (unsigned char)head[k];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return reqhead_bad(e, "a header field value contains a control character");
	}
	*vfrom = i + 1;
	*vto = end;
	reqhead_trim(head, vfrom, vto);
	return 0;
}

static int reqhead_is(const char *head, size_t from, size_t to, const char *word)
{
	size_t n = strlen(word);

	return to - from == n && strncasecmp(head + from, word, n) == 0;
}

int reqhead_parse(const char *head, size_t len, struct reqhead *h, struct reqhead_error *e)
{
	size_t next, end = reqhead_line(head, len, 0, &next);
	int ncl = 0, nte = 0, chunked = 0, expect_other = 0, expect_continue = 0;
	uint64_t cl = 0;

	memset(h, 0, sizeof(*h));
	if (reqhead_request_line(head, end, h, e) != 0)
		return -1;
	for (size_t at = next; at < len; at = next) {
		size_t colon = 0, vf = 0, vt = 0;
		size_t name;

		end = reqhead_line(head, len, at, &next);
		if (end == at)
			break;                           /* the blank line */
		if (reqhead_field_line(head, at, end, &colon, &vf, &vt, e) != 0)
			return -1;
		name = colon - at;
		if (name == 14 && strncasecmp(head + at, "content-length", 14) == 0) {
			uint64_t v = 0;

			if (vt == vf || vt - vf > REQHEAD_MAX_LENGTH_DIGITS)
				return reqhead_bad(e, "Content-Length is not a number of bytes");
			for (size_t k = vf; k < vt; k++) {
				if (head[k] < '0' || head[k] > '9')
					return reqhead_bad(e, "Content-Length is not a number of bytes");
				v = v * 10 + (uint64_t)(head[k] - '0');
			}
			if (ncl++ > 0 && v != cl)
				return reqhead_bad(e, "the request has Content-Length headers with different values");
			cl = v;
		} else if (name == 17 && strncasecmp(head + at, "transfer-encoding", 17) == 0) {
			nte++;
			chunked = reqhead_is(head, vf, vt, "chunked");
			if (!chunked)
				return reqhead_fail(e, 501, "not-implemented", "Not implemented",
						    "the only transfer coding accepted is chunked");
		} else if (name == 6 && strncasecmp(head + at, "expect", 6) == 0) {
			if (reqhead_is(head, vf, vt, "100-continue"))
				expect_continue = 1;
			else
				expect_other = 1;
		}
	}
	if (nte > 0 && ncl > 0)
		return reqhead_bad(e, "the request has both Transfer-Encoding and Content-Length");
	if (nte > 1)
		return reqhead_bad(e, "the request has more than one Transfer-Encoding header");
	if (nte > 0 && h->minor == 0)
		return reqhead_bad(e, "Transfer-Encoding is not allowed in an HTTP/1.0 request");
	if (chunked)
		h->body = REQHEAD_BODY_CHUNKED;
	else if (cl > 0)
		h->body = REQHEAD_BODY_LENGTH;
	h->length = h->body == REQHEAD_BODY_LENGTH ? cl : 0;
	if (h->body != REQHEAD_BODY_NONE &&
	    ((h->method_len == 4 && memcmp(head, "HEAD", 4) == 0) ||
	     (h->method_len == 5 && memcmp(head, "TRACE", 5) == 0)))
		return reqhead_bad(e, "a HEAD or TRACE request has no body");
	if (h->body != REQHEAD_BODY_NONE && h->minor == 1) {
		if (expect_other)
			return reqhead_fail(e, 417, "expectation-failed", "Expectation failed",
					    "the only expectation bursard meets is 100-continue");
		h->expect_continue = expect_continue;
	}
	return 0;
}

const char *reqhead_field(const char *head, size_t len, const char *name, size_t *vlen)
{
	size_t n = strlen(name), next;

	reqhead_line(head, len, 0, &next);
	for (size_t at = next; at < len; at = next) {
		size_t end = reqhead_line(head, len, at, &next), vf, vt;

		if (end == at)
			break;
		if (end - at <= n || strncasecmp(head + at, name, n) != 0 || head[at + n] != ':')
			continue;
		vf = at + n + 1;
		vt = end;
		reqhead_trim(head, &vf, &vt);
		*vlen = vt - vf;
		return head + vf;
	}
	return NULL;
}

int reqhead_next_field(const char *head, size_t len, size_t *at, const char **name, size_t *nlen,
		       const char **value, size_t *vlen)
{
	size_t next, end, colon, vf, vt;

	if (*at == 0)
		reqhead_line(head, len, 0, at);      /* past the request line */
	if (*at >= len)
		return 0;
	end = reqhead_line(head, len, *at, &next);
	if (end == *at)
		return 0;                            /* the blank line */
	colon = (size_t)((const char *)memchr(head + *at, ':', end - *at) - head);
	vf = colon + 1;
	vt = end;
	reqhead_trim(head, &vf, &vt);
	*name = head + *at;
	*nlen = colon - *at;
	*value = head + vf;
	*vlen = vt - vf;
	*at = next;
	return 1;
}

enum {
	CH_SIZE, CH_SIZE_LF, CH_DATA, CH_DATA_CR, CH_DATA_LF, CH_TRAILER_START, CH_TRAILER, CH_END_LF,
};

int reqhead_chunked_feed(struct reqhead_chunked *c, const char *buf, size_t len, uint64_t limit,
			 size_t *used, struct reqhead_error *e)
{
	size_t i = 0;

	*used = 0;
	while (i < len) {
		unsigned char ch = (unsigned char)buf[i];
		int d;

		switch (c->state) {
		case CH_SIZE:
			if ((d = reqhead_hex(ch)) >= 0) {
				if (++c->digits > REQHEAD_MAX_CHUNK_DIGITS)
					return reqhead_bad(e, "a chunk size is too long");
				c->size = c->size * 16 + (uint64_t)d;
				i++;
				break;
			}
			if (ch == ';')
				return reqhead_bad(e, "chunk extensions are not accepted");
			if ((ch != '\r' && ch != '\n') || c->digits == 0)
				return reqhead_bad(e, "a chunk size is not a hexadecimal number");
			if (c->size > limit - c->total)
				return reqhead_fail(e, 413, "payload-too-large", "Payload too large",
						    "the chunked body exceeds this route's limit of %llu bytes",
						    (unsigned long long)limit);
			c->total += c->size;
			c->state = ch == '\r' ? CH_SIZE_LF : (c->size == 0 ? CH_TRAILER_START : CH_DATA);
			c->remaining = c->size;
			i++;
			break;
		case CH_SIZE_LF:
			if (ch != '\n')
				return reqhead_bad(e, "a chunk size line does not end in CRLF");
			c->state = c->size == 0 ? CH_TRAILER_START : CH_DATA;
			i++;
			break;
		case CH_DATA: {
			size_t n = len - i;

			if ((uint64_t)n > c->remaining)
				n = (size_t)c->remaining;
			c->remaining -= n;
			i += n;
			if (c->remaining == 0)
				c->state = CH_DATA_CR;
			break;
		}
		case CH_DATA_CR:
			if (ch != '\r' && ch != '\n')
				return reqhead_bad(e, "a chunk's data is longer than its size");
			c->state = ch == '\r' ? CH_DATA_LF : CH_SIZE;
			c->size = 0;
			c->digits = 0;
			i++;
			break;
		case CH_DATA_LF:
			if (ch != '\n')
				return reqhead_bad(e, "a chunk's data does not end in CRLF");
			c->state = CH_SIZE;
			i++;
			break;
		case CH_TRAILER_START:
			if (ch == '\r' || ch == '\n') {
				c->state = CH_END_LF;
				if (ch == '\r') {
					i++;
					break;
				}
				/* a bare LF ends the body as CRLF does */
			} else if (ch == ' ' || ch == '\t' || !reqhead_tchar(ch)) {
				return reqhead_bad(e, "a trailer field is malformed");
			} else {
				c->state = CH_TRAILER;
				c->trailer_colon = 0;
				break;
			}
			/* fall through */
		case CH_END_LF:
			if (ch != '\n')
				return reqhead_bad(e, "the chunked body does not end in CRLF");
			*used = i + 1;
			return 1;
		case CH_TRAILER:
			if (++c->trailer_bytes > REQHEAD_MAX_TRAILER)
				return reqhead_bad(e, "the trailer section is too large");
			if (ch == '\n') {
				if (!c->trailer_colon)
					return reqhead_bad(e, "a trailer field is malformed");
				c->state = CH_TRAILER_START;
			} else if (ch == ':') {
				c->trailer_colon = 1;
			} else if (!c->trailer_colon && !reqhead_tchar(ch)) {
				return reqhead_bad(e, "a trailer field is malformed");
			} else if ((ch < 0x20 && ch != '\t' && ch != '\r') || ch == 0x7f) {
				return reqhead_bad(e, "a trailer field contains a control character");
			}
			i++;
			break;
		default:
			return reqhead_bad(e, "the chunked body's framing is broken");
		}
	}
	*used = len;
	return 0;
}
