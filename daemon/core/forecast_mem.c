/* forecast_mem.c - see forecast_mem.h */
#include "forecast_mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FORECAST_MEM_BLOCK 65536             /* int64 slots per block (512 KB) */

struct forecast_mem {
	struct forecast_mem *next;
	size_t used, cap;
	int64_t data[];
};

void *forecast_mem_alloc(struct forecast_result *r, size_t bytes)
{
	size_t n = (bytes + sizeof(int64_t) - 1) / sizeof(int64_t);
	struct forecast_mem *m = r->mem;
	void *p;

	if (m == NULL || m->cap - m->used < n) {
		size_t cap = n > FORECAST_MEM_BLOCK ? n : FORECAST_MEM_BLOCK;

		if ((m = calloc(1, sizeof(*m) + cap * sizeof(int64_t))) == NULL)
			return NULL;
		m->cap = cap;
		m->next = r->mem;
		r->mem = m;
	}
	p = &m->data[m->used];
	m->used += n;
	return p;
}

char *forecast_mem_strdup(struct forecast_result *r, const char *s)
{
	size_t n = strlen(s != NULL ? s : "");
	char *d = forecast_mem_alloc(r, n + 1);

	if (d != NULL && n > 0)
		memcpy(d, s, n);
	return d;
}

void forecast_mem_free(struct forecast_mem *m)
{
	struct forecast_mem *next;

	for (; m != NULL; m = next) {
		next = m->next;
		free(m);
	}
}
