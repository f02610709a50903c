/*
 * metrics.h - per-worker counters, summed when /metrics is read (Prometheus
 * text format 0.0.4).
 *
 * Thread: each struct metrics is written only by its own worker (relaxed atomic
 * stores, no locked instructions); any thread may read them.
 */
#ifndef BURSAR_METRICS_H
#define BURSAR_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct metrics;
struct route;

struct metrics *metrics_new(size_t nroutes);
void metrics_free(struct metrics *m);        /* NULL ok */

/* route_index: index in the route table, or nroutes for "no route". */
void metrics_request(struct metrics *m, size_t route_index, unsigned method, int status,
		     int64_t duration_ns);
void metrics_db_errors(struct metrics *m, uint64_t total);
/* One forecast run through the engine (bursar_forecast_duration_seconds). */
void metrics_forecast(struct metrics *m, int64_t duration_ns);

/*
 * Render the sum of n workers' metrics. Returns a malloc'ed NUL-terminated
 * string (caller frees) or NULL.
 */
char *metrics_render(struct metrics *const *ms, size_t n, const struct route *routes,
		     size_t nroutes);

#endif
