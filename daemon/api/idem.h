/*
 * idem.h - Idempotency-Key for POST: a client that did not hear the answer to a
 * POST sends it again with the same key and gets the first response, never a
 * second write.
 *
 * Keys are stored per token with the SHA-256 of the request (method, path,
 * query, body) and, once answered, the response. The key is claimed inside the
 * request's write transaction (api_txn), so two concurrent requests with one key
 * cannot both write: the second waits on the row and then gets 409. A key reused
 * with another request is 422. A failed write rolls its claim back, so the key
 * can be used again. Keys expire after a day.
 */
#ifndef BURSAR_IDEM_H
#define BURSAR_IDEM_H

#include "problem.h"

struct req;
struct db;

/*
 * Before the handler of a POST: 0 to go on (r->idem_key set when a key was
 * given), 1 when a stored response was replayed, -1 with the problem set (400 bad
 * key, 409 in progress, 422 reused with another request, 503).
 */
int idem_check(struct req *r, struct problem *p) __attribute__((warn_unused_result));

/* Inside the write transaction: claim r->idem_key (nothing when none). */
int idem_claim(struct req *r, struct db *db, struct problem *p) __attribute__((warn_unused_result));

/* After the reply of a request that claimed its key: store the response. */
void idem_store(struct req *r);

#endif
