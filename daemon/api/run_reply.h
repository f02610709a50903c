/*
 * run_reply.h - a saved forecast run as GET /api/v1/forecasts/{id} replies
 * with it: JSON written an entity at a time, or CSV/XLSX streamed.
 */
#ifndef BURSAR_API_RUN_REPLY_H
#define BURSAR_API_RUN_REPLY_H

#include <stdint.h>

#include "export.h"
#include "http.h"
#include "run_scope.h"

/*
 * Run id for the caller's scope s (only: one entity of it, or NULL), as JSON
 * (with every line when with_lines; with_data: each line's stored explain data
 * too) or as CSV or XLSX (fmt), with status (200: with its ETag). 0, or -1 with
 * the problem set.
 */
int run_reply(struct req *r, int status, int64_t id, const struct run_scope *s, const char *only,
	      enum export_format fmt, int with_lines, int with_data, struct problem *p) __attribute__((warn_unused_result));

/*
 * Reply with status and run id as GET /api/v1/forecasts/{id} renders it for a
 * trust-wide role (every line, read back an entity at a time: what POST
 * ?lines=true replies, so that a large trust's reply does not need its whole
 * tree in memory). 0, or -1 with the problem set.
 */
int run_reply_all(struct req *r, int status, int64_t id, struct problem *p)
	__attribute__((warn_unused_result));

#endif
