/* forecast_mem.c - see forecast_mem.h */
#include "forecast_mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define FORECAST_MEM_BLOCK 65536             /* int64 slots in a block made as it fills (512 KB) */
#define FORECAST_MEM_HUGE ((size_t)2 << 20)  /* a transparent huge page */

struct forecast_mem {
	struct forecast_mem *next;
	size_t used, cap;                        /* int64 slots */
	size_t mapped;                           /* bytes mapped (munmap), 0: calloc'ed */
	int64_t data[];
};

/*
 * A block of at least `slots`: from 2 MB up, mapped on a 2 MB boundary (the
 * mapping's ends trimmed) with MADV_HUGEPAGE, a hint the system may ignore;
 * else, or when mmap fails, calloc. Zeroed either way. NULL: no memory.
 */
static struct forecast_mem *fm_block(size_t slots)
{
	size_t bytes = sizeof(struct forecast_mem) + slots * sizeof(int64_t);
	struct forecast_mem *m;

	if (slots > (SIZE_MAX - sizeof(*m) - 2 * FORECAST_MEM_HUGE) / sizeof(int64_t))
		return NULL;
	if (bytes >= FORECAST_MEM_HUGE) {
		size_t len = (bytes + FORECAST_MEM_HUGE - 1) & ~(FORECAST_MEM_HUGE - 1);
		char *p = mmap(NULL, len + FORECAST_MEM_HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED) {
			char *at = (char *)(((uintptr_t)p + FORECAST_MEM_HUGE - 1) & ~(uintptr_t)(FORECAST_MEM_HUGE - 1));

			if (at > p)
				munmap(p, (size_t)(at - p));
			if (at + len < p + len + FORECAST_MEM_HUGE)
				munmap(at + len, (size_t)(p + len + FORECAST_MEM_HUGE - (at + len)));
			(void)madvise(at, len, MADV_HUGEPAGE);
			m = (struct forecast_mem *)(void *)at;
			m->cap = (len - sizeof(*m)) / sizeof(int64_t);
			m->mapped = len;
			return m;
		}
	}
	if ((m = calloc(1, bytes)) == NULL)
		return NULL;
	m->cap = slots;
	return m;
}

int forecast_mem_reserve(struct forecast_result *r, size_t bytes)
{
	struct forecast_mem *m = fm_block((bytes + sizeof(int64_t) - 1) / sizeof(int64_t));

	if (m == NULL)
		return -1;
	m->next = r->mem;
	r->mem = m;
	return 0;
}

void *forecast_mem_alloc(struct forecast_result *r, size_t bytes)
{
	size_t n = (bytes + sizeof(int64_t) - 1) / sizeof(int64_t);
	struct forecast_mem *m = r->mem;
	void *p;

	if (m == NULL || m->cap - m->used < n) {
		if ((m = fm_block(n > FORECAST_MEM_BLOCK ? n : FORECAST_MEM_BLOCK)) == NULL)
			return NULL;
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
		if (m->mapped > 0)
			munmap(m, m->mapped);
		else
			free(m);
	}
}
