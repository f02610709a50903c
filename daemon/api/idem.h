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

#include <stddef.h>

#include "problem.h"

struct req;
struct db;
struct evbuffer;

/* A POST's key and what becomes of it; the dispatcher's, zeroed, as r->idem. */
struct idem {
	const char *key;                         /* NULL: none given */
	unsigned char hash[32];                  /* SHA-256 of method, URI and body */
	int claimed;                             /* the write claiming the key committed */
	/* the reply to store for replays (a handler may put another one there:
	 * idem_replay_problem), and its status (0: the status sent) */
	char *reply;
	size_t reply_len;
	int reply_status;
};

/*
 * Before the handler of a POST (r->idem set): 0 to go on (r->idem->key set
 * when a key was given), 1 when a stored response was replayed, -1 with the
 * problem set (400 bad key, 409 in progress, 422 reused with another request, 503).
 */
int idem_check(struct req *r, struct problem *p) __attribute__((warn_unused_result));

/* Inside the write transaction: claim the request's key (nothing when none). */
int idem_claim(struct req *r, struct db *db, struct problem *p) __attribute__((warn_unused_result));

/* After that transaction committed: the key is claimed, the reply is to be kept. */
void idem_committed(struct req *r);

/* A struct req's on_reply: keeps the first reply after idem_committed. */
void idem_keep_reply(struct req *r, int status, struct evbuffer *body);

/*
 * For a POST that claimed its Idempotency-Key and must not store its reply (it
 * holds a secret): a replay gets this problem instead (status, detail) of the
 * reply just sent. Call after replying. Out of memory: the reply is stored.
 */
void idem_replay_problem(struct req *r, int status, const char *detail);

/* After the reply: store the response of a request that claimed its key, and
 * free what r->idem holds (nothing when r->idem is NULL). */
void idem_finish(struct req *r);

#endif
