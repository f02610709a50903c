/* csvcell.c - see csvcell.h */
#include "csvcell.h"

#include <string.h>

int csvcell_is_formula(const char *s)
{
	if (s == NULL)
		return 0;
	/* "trim spaces" on import would bring a formula after spaces to the front */
	s += strspn(s, " ");
	return *s != '\0' && strchr("=+-@\t\r", *s) != NULL;
}

void csvcell_write(const char *s, unsigned flags, void (*put)(void *ctx, const char *bytes, size_t n), void *ctx)
{
	int tick, quote;
	size_t n;

	if (s == NULL)
		s = "";
	n = strlen(s);
	tick = csvcell_is_formula(s);
	quote = (flags & CSVCELL_QUOTE) || strpbrk(s, ",\"\r\n") != NULL ||
		(n > 0 && ((!tick && (s[0] == ' ' || s[0] == '\t')) || s[n - 1] == ' ' || s[n - 1] == '\t'));
	if (quote)
		put(ctx, "\"", 1);
	if (tick)
		put(ctx, "'", 1);
	if (!quote) {
		put(ctx, s, n);
		return;
	}
	for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
		put(ctx, s, (size_t)(q - s));
		put(ctx, "\"\"", 2);
	}
	put(ctx, s, strlen(s));
	put(ctx, "\"", 1);
}
