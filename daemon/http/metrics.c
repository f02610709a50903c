/* metrics.c - see metrics.h */
#include "metrics.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "router.h"
#include "strbuf.h"

static const int metrics_statuses[] = {
	200, 201, 204, 304, 400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 428, 500, 503,
};
#define NSTATUS (sizeof(metrics_statuses) / sizeof(metrics_statuses[0]) + 1)  /* + other */
#define NMETHOD 7

/* latency bucket upper bounds in microseconds, and their Prometheus labels */
static const int64_t metrics_le_us[] = { 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000,
					 250000, 500000, 1000000, 2500000, 5000000 };
static const char *const metrics_le_txt[] = { "0.0005", "0.001", "0.0025", "0.005", "0.01",
					      "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5" };
#define NBUCKET (sizeof(metrics_le_us) / sizeof(metrics_le_us[0]))

struct metrics {
	size_t nroutes;
	uint64_t buckets[NBUCKET + 1];           /* last: +Inf */
	uint64_t sum_us;
	uint64_t db_errors;
	uint64_t forecasts, forecast_us;         /* runs of the forecast engine and their time */
	uint64_t counts[];                       /* (nroutes + 1) * NMETHOD * NSTATUS */
};

static void metrics_bump(uint64_t *x, uint64_t by)
{
	__atomic_store_n(x, __atomic_load_n(x, __ATOMIC_RELAXED) + by, __ATOMIC_RELAXED);
}

static uint64_t metrics_get(const uint64_t *x)
{
	return __atomic_load_n(x, __ATOMIC_RELAXED);
}

struct metrics *metrics_new(size_t nroutes)
{
	size_t n = (nroutes + 1) * NMETHOD * NSTATUS;
	struct metrics *m = calloc(1, sizeof(*m) + n * sizeof(uint64_t));

	if (m != NULL)
		m->nroutes = nroutes;
	return m;
}

void metrics_free(struct metrics *m)
{
	free(m);
}

static size_t metrics_status_index(int status)
{
	for (size_t i = 0; i < NSTATUS - 1; i++)
		if (metrics_statuses[i] == status)
			return i;
	return NSTATUS - 1;
}

static size_t metrics_method_index(unsigned method)
{
	size_t i = 0;

	while (i < NMETHOD - 1 && (method & (1u << i)) == 0)
		i++;
	return i;
}

void metrics_request(struct metrics *m, size_t route_index, unsigned method, int status,
		     int64_t duration_ns)
{
	int64_t us = duration_ns / 1000;
	size_t b = 0;

	if (route_index > m->nroutes)
		route_index = m->nroutes;
	metrics_bump(&m->counts[(route_index * NMETHOD + metrics_method_index(method)) * NSTATUS +
				metrics_status_index(status)], 1);
	while (b < NBUCKET && us > metrics_le_us[b])
		b++;
	metrics_bump(&m->buckets[b], 1);
	metrics_bump(&m->sum_us, us > 0 ? (uint64_t)us : 0);
}

void metrics_db_errors(struct metrics *m, uint64_t total)
{
	__atomic_store_n(&m->db_errors, total, __ATOMIC_RELAXED);
}

void metrics_forecast(struct metrics *m, int64_t duration_ns)
{
	metrics_bump(&m->forecasts, 1);
	metrics_bump(&m->forecast_us, duration_ns > 0 ? (uint64_t)(duration_ns / 1000) : 0);
}

char *metrics_render(struct metrics *const *ms, size_t n, const struct route *routes, size_t nroutes)
{
	struct strbuf b;
	uint64_t cum = 0, total = 0, sum_us = 0, dberr = 0, fc = 0, fc_us = 0;

	if (strbuf_init(&b, 16384) != 0)
		return NULL;
	strbuf_printf(&b, "# HELP bursar_http_requests_total HTTP requests by route, method and status.\n"
		      "# TYPE bursar_http_requests_total counter\n");
	for (size_t r = 0; r <= nroutes; r++)
		for (size_t me = 0; me < NMETHOD; me++)
			for (size_t s = 0; s < NSTATUS; s++) {
				uint64_t c = 0;

				for (size_t w = 0; w < n; w++)
					c += metrics_get(&ms[w]->counts[(r * NMETHOD + me) * NSTATUS + s]);
				if (c == 0)
					continue;
				if (s == NSTATUS - 1)
					strbuf_printf(&b, "bursar_http_requests_total{route=\"%s\",method=\"%s\",status=\"other\"} %llu\n",
						  r < nroutes ? routes[r].pattern : "unmatched",
						  router_method_name(1u << me), (unsigned long long)c);
				else
					strbuf_printf(&b, "bursar_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %llu\n",
						  r < nroutes ? routes[r].pattern : "unmatched",
						  router_method_name(1u << me), metrics_statuses[s],
						  (unsigned long long)c);
			}
	strbuf_printf(&b, "# HELP bursar_http_request_duration_seconds Time from dispatch to reply.\n"
		      "# TYPE bursar_http_request_duration_seconds histogram\n");
	for (size_t k = 0; k <= NBUCKET; k++) {
		for (size_t w = 0; w < n; w++)
			cum += metrics_get(&ms[w]->buckets[k]);
		strbuf_printf(&b, "bursar_http_request_duration_seconds_bucket{le=\"%s\"} %llu\n",
			  k < NBUCKET ? metrics_le_txt[k] : "+Inf", (unsigned long long)cum);
	}
	total = cum;
	for (size_t w = 0; w < n; w++) {
		sum_us += metrics_get(&ms[w]->sum_us);
		dberr += metrics_get(&ms[w]->db_errors);
		fc += metrics_get(&ms[w]->forecasts);
		fc_us += metrics_get(&ms[w]->forecast_us);
	}
	strbuf_printf(&b, "bursar_http_request_duration_seconds_sum %llu.%06llu\n"
		      "bursar_http_request_duration_seconds_count %llu\n",
		  (unsigned long long)(sum_us / 1000000), (unsigned long long)(sum_us % 1000000),
		  (unsigned long long)total);
	strbuf_printf(&b, "# HELP bursar_db_errors_total Database errors (lost connections, failed statements).\n"
		      "# TYPE bursar_db_errors_total counter\nbursar_db_errors_total %llu\n",
		  (unsigned long long)dberr);
	strbuf_printf(&b, "# HELP bursar_forecast_duration_seconds Time in the forecast engine per run.\n"
		      "# TYPE bursar_forecast_duration_seconds summary\n"
		      "bursar_forecast_duration_seconds_sum %llu.%06llu\nbursar_forecast_duration_seconds_count %llu\n",
		  (unsigned long long)(fc_us / 1000000), (unsigned long long)(fc_us % 1000000), (unsigned long long)fc);
	strbuf_printf(&b, "# HELP bursar_workers Worker threads serving HTTP.\n"
		      "# TYPE bursar_workers gauge\nbursar_workers %zu\n", n);
	return strbuf_take(&b);
}
