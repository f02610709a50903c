/*
 * forecast_mem.h - a forecast result's memory (struct forecast_mem): blocks of
 * zeroed 8-byte slots handed out in order and freed together with the result
 * (forecast_result_free). The entities and their lines, the amounts, the staff
 * lines' M and E, the lines' side records, the postings, the warnings and the
 * strings the result owns (the postings' basis and text, the warnings'
 * messages) live here, so a run makes a few large allocations instead of one
 * per line or per entity.
 *
 * Memory a run has just been given by the system costs a page fault on its
 * first touch (on the 2-vCPU development VM 10-20 us a 4 KB page under load:
 * tests/bench/README.md), so the first block is sized from the input
 * (forecast_mem_reserve: an estimate from above; what is not touched costs
 * nothing), each block is used in order with no gaps, and a block of 2 MB or
 * more is mapped on a 2 MB boundary with MADV_HUGEPAGE (transparent huge pages,
 * where the system allows them: one fault for 2 MB instead of 512; without
 * them, 4 KB pages as before).
 *
 * Pure (no I/O); thread-safe (each result has its own).
 */
#ifndef BURSAR_FORECAST_MEM_H
#define BURSAR_FORECAST_MEM_H

#include <stddef.h>

#include "forecast.h"

/* A first block of at least `bytes` for r (which has none yet). 0, or -1: none made (no
 * memory that large; forecast_mem_alloc then makes blocks as they fill). */
int forecast_mem_reserve(struct forecast_result *r, size_t bytes);

/* bytes of zeroed memory owned by r, aligned for int64_t; NULL: no memory. */
void *forecast_mem_alloc(struct forecast_result *r, size_t bytes);

/* A copy of s (NULL: "") owned by r; NULL: no memory. */
char *forecast_mem_strdup(struct forecast_result *r, const char *s);

/* Free a chain of blocks (r->mem); NULL ok. */
void forecast_mem_free(struct forecast_mem *m);

#endif
