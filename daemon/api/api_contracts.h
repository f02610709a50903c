/*
 * api_contracts.h - what the contract handlers (api_contracts.c,
 * api_transitions.c, api_alerts.c) share: today's date, the {id} path
 * parameter, If-Match on a contract's ETag, loading a contract with the caller's
 * school scope, the register as procure.c's peers, and rendering a contract with
 * its derived fields. The handlers themselves are declared in api.h.
 */
#ifndef BURSAR_API_CONTRACTS_H
#define BURSAR_API_CONTRACTS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "db.h"
#include "http.h"
#include "procure.h"

/* Every contract of the register, as procure.c's peers (for the warnings). */
struct api_contracts_peers {
	struct db_rows *rows;                    /* owns the strings */
	struct procure_peer *peers;
	size_t n;
};
int api_contracts_peers_load(struct req *r, struct api_contracts_peers *ps, struct problem *p)
	__attribute__((warn_unused_result));
void api_contracts_peers_free(struct api_contracts_peers *ps);

/*
 * Load contract id (CONTRACT_COLS; FOR UPDATE when lock) into *rows (one row,
 * caller frees): 404 when there is none, 403 when it is another school's and the
 * token is not for that school.
 */
int api_contracts_load(struct req *r, int64_t id, int lock, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

/* Row i as its representation (*out, caller frees) and, if chk_out, its check. */
int api_contracts_render(struct req *r, const struct db_rows *rows, size_t i, const struct api_contracts_peers *ps,
			 cJSON **out, struct procure_result *chk_out, struct problem *p)
	__attribute__((warn_unused_result));

/* Load and render contract id (with the scope check); its version into *version. NULL on error. */
cJSON *api_contracts_fetch(struct req *r, int64_t id, int64_t *version, struct procure_result *chk,
			   struct problem *p);

#endif
