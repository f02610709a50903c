/*
 * strbuf.h - a growable NUL-terminated text buffer with printf, for text the
 * daemon renders itself (Prometheus metrics, forecast explanations). JSON is
 * never built here: that is cJSON's job. Pure; one buffer per caller.
 */
#ifndef BURSAR_STRBUF_H
#define BURSAR_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *s;                                 /* NUL-terminated while !failed */
	size_t len, cap;
	int failed;                              /* out of memory: later calls do nothing */
};

/* Start with room for cap bytes. 0, or -1 (failed set) out of memory. */
int strbuf_init(struct strbuf *b, size_t cap);
void strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text (the caller's to free), or NULL if anything failed (the buffer is freed). */
char *strbuf_take(struct strbuf *b);

#endif
