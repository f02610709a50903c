/*
 * reqhead.h - an HTTP/1.1 request head and a chunked body's framing, checked
 * byte for byte before evhttp sees them (http/guard.c).
 *
 * evhttp 2.1 answers what it cannot parse with its own HTML error pages, lets
 * a second Content-Length or a Transfer-Encoding beside one through, and has no
 * separate limit for the URL, the number of headers or an Authorization header.
 * These functions accept only what evhttp then parses without error, and say
 * precisely what is wrong otherwise (a status for problem+json).
 *
 * Pure: no I/O, no allocation. Thread: any.
 */
#ifndef BURSAR_REQHEAD_H
#define BURSAR_REQHEAD_H

#include <stddef.h>
#include <stdint.h>

struct reqhead_limits {
	size_t max_uri;                          /* request-target bytes: 414 beyond */
	size_t max_header_bytes;                 /* the header section (after the request line): 431 beyond */
	size_t max_headers;                      /* header fields: 431 beyond */
};

/* What is wrong, for a problem+json reply. detail is a sentence without a full stop. */
struct reqhead_error {
	int status;                              /* 400, 401, 413, 414, 417, 431, 501, 505 */
	const char *type;                        /* problem type slug: "bad-request", "header-too-large" ... */
	const char *title;
	char detail[160];
};

/* The scan of a head as it arrives, a piece at a time (zero it to start). */
struct reqhead_scan {
	size_t pos;                              /* bytes looked at */
	size_t line_start;                       /* where the current line starts */
	size_t nlines;                           /* complete lines (0: still in the request line) */
	size_t header_bytes;                     /* bytes of complete header lines */
	size_t head_len;                         /* once complete: the head's length, blank line included */
};

/*
 * Look at buf[s->pos, len) (buf holds the whole head so far, from its first
 * byte): 1 when the head is complete (s->head_len set), 0 when more is needed,
 * -1 with e set when a limit is passed (414 for the request line, 431 for the
 * header section or the count, 401 when the header over the limit is
 * Authorization) or a line holds a NUL.
 */
int reqhead_scan(struct reqhead_scan *s, const char *buf, size_t len, const struct reqhead_limits *lim,
		 struct reqhead_error *e);

enum reqhead_body { REQHEAD_BODY_NONE, REQHEAD_BODY_LENGTH, REQHEAD_BODY_CHUNKED };

/* The request as evhttp will read it. Offsets are into the head. */
struct reqhead {
	size_t method, method_len;
	size_t target, target_len;
	int minor;                               /* HTTP/1.<minor>: 0 or 1 */
	enum reqhead_body body;
	uint64_t length;                         /* REQHEAD_BODY_LENGTH: Content-Length (> 0) */
	int expect_continue;                     /* Expect: 100-continue with a body on HTTP/1.1 */
};

/*
 * Check a complete head (head_len bytes from reqhead_scan) and find its
 * framing: 0 with h filled, or -1 with e set: 400 for a malformed request
 * line or field, obsolete line folding, Content-Length values that are invalid
 * or disagree, Transfer-Encoding beside Content-Length (or on HTTP/1.0), a
 * body on HEAD or TRACE; 501 for a method evhttp does not serve here (CONNECT
 * or unknown) or a transfer coding other than chunked; 505 for another HTTP
 * version; 417 for an Expect other than 100-continue on a request with a body.
 */
int reqhead_parse(const char *head, size_t len, struct reqhead *h, struct reqhead_error *e);

/*
 * The value of the first field named name (case-insensitive) in a checked
 * head, without surrounding whitespace: a pointer into head with *vlen set, or NULL.
 */
const char *reqhead_field(const char *head, size_t len, const char *name, size_t *vlen);

/*
 * The fields of a checked head in order: start with *at = 0; 1 with the next
 * field's name and trimmed value (pointers into head), 0 after the last.
 */
int reqhead_next_field(const char *head, size_t len, size_t *at, const char **name, size_t *nlen,
		       const char **value, size_t *vlen);

/* A chunked body's framing, fed as it arrives (zero it to start). */
struct reqhead_chunked {
	int state;
	unsigned digits;                         /* hex digits of the size line so far */
	uint64_t size;                           /* the chunk size being read */
	uint64_t remaining;                      /* data bytes left in the current chunk */
	uint64_t total;                          /* data bytes announced so far */
	size_t trailer_bytes;
	int trailer_colon;                       /* the current trailer line has its ':' */
};

/*
 * Feed buf[0, len): 0 when all of it belongs to the body and more is needed
 * (*used = len); 1 when the body ended (*used = its bytes in buf, the rest is
 * the next request); -1 with e set: 400 for bad framing (a chunk size that is
 * not hex, like "zz", chunk extensions, data longer than its size, a bad or
 * too large trailer section), 413 when the chunks announce more than limit bytes.
 */
int reqhead_chunked_feed(struct reqhead_chunked *c, const char *buf, size_t len, uint64_t limit,
			 size_t *used, struct reqhead_error *e);

#endif
