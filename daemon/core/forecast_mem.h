/*
 * forecast_mem.h - a forecast result's memory (struct forecast_mem): blocks of
 * zeroed 8-byte slots handed out in order and freed together with the result
 * (forecast_result_free). The lines' amounts, the staff lines' M and E, and the
 * strings the result owns (the postings' basis and text) live here, so a run
 * makes a few large allocations instead of one per line.
 *
 * Pure; thread-safe (each result has its own).
 */
#ifndef BURSAR_FORECAST_MEM_H
#define BURSAR_FORECAST_MEM_H

#include <stddef.h>

#include "forecast.h"

/* bytes of zeroed memory owned by r, aligned for int64_t; NULL: no memory. */
void *forecast_mem_alloc(struct forecast_result *r, size_t bytes);

/* A copy of s (NULL: "") owned by r; NULL: no memory. */
char *forecast_mem_strdup(struct forecast_result *r, const char *s);

/* Free a chain of blocks (r->mem); NULL ok. */
void forecast_mem_free(struct forecast_mem *m);

#endif
