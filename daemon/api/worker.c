/* worker.c - see worker.h */
#include "worker.h"

#include <time.h>

#include "audit.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "metrics.h"
#include "rcache.h"
#include "schoolmap.h"

void worker_note_write(struct worker *w)
{
	__atomic_add_fetch(&w->shared->write_gen, 1, __ATOMIC_RELEASE);
}

struct metrics *const *worker_metrics(const struct worker *w, size_t *n)
{
	*n = w->shared->nworkers;
	return w->shared->metrics;
}

int64_t worker_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void worker_clear_caches(struct worker *w)
{
	auth_cache_clear(w->auth);
	rcache_clear(w->rcache);
	schoolmap_clear(w->schools);
}

int worker_refresh(struct worker *w, struct problem *p)
{
	int64_t now = worker_now_ms();
	uint64_t gen, wg = __atomic_load_n(&w->shared->write_gen, __ATOMIC_ACQUIRE);

	if (wg != w->write_gen) {
		/* a write in this process: whatever it changed, drop it now */
		worker_clear_caches(w);
		w->write_gen = wg;
	}
	if (w->gen_checked_ms != 0 && now - w->gen_checked_ms < w->cfg->cache_refresh_ms)
		return 0;
	if (audit_last_id(w->db, &gen, p) != 0) {
		metrics_db_errors(w->metrics, db_error_count(w->db));
		return -1;
	}
	if (gen != w->audit_gen) {
		worker_clear_caches(w);
		w->audit_gen = gen;
	}
	w->gen_checked_ms = now;
	return 0;
}
