/* strbuf.c - see strbuf.h */
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int strbuf_init(struct strbuf *b, size_t cap)
{
	b->len = 0;
	b->cap = cap > 0 ? cap : 64;
	b->failed = (b->s = malloc(b->cap)) == NULL;
	if (!b->failed)
		b->s[0] = '\0';
	return b->failed ? -1 : 0;
}

void strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->failed)
		return;
	for (;;) {
		char *ns;

		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->failed = 1;
			return;
		}
		if ((size_t)n < b->cap - b->len)
			break;
		if ((ns = realloc(b->s, b->cap * 2 + (size_t)n)) == NULL) {
			b->failed = 1;
			return;
		}
		b->s = ns;
		b->cap = b->cap * 2 + (size_t)n;
	}
	b->len += (size_t)n;
}

char *strbuf_take(struct strbuf *b)
{
	char *s = b->s;

	if (b->failed) {
		free(s);
		s = NULL;
	}
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}
