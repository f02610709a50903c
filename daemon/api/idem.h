/*
 * idem.h - Idempotency-Key for POST: a client that did not hear the answer to a
 * POST sends it again with the same key and gets the first response, never a
 * second write.
 *
 * Keys are stored per token with the SHA-256 of the request (method, path,
 * query, body) and the response. The key is claimed inside the request's write
 * transaction (api_txn), which is then held open until the reply: the reply is
 * stored in that transaction and committed with the write, before it is sent.
 * So a key's row is committed with its answer or not at all: a COMMIT whose
 * answer was lost is safe to send again (the replay finds the answer, or makes
 * the write), and nothing waits for a second statement after the write. Two
 * concurrent requests with one key cannot both write: the second waits on the
 * row and then gets 409. A key reused with another request is 422. A failed
 * write rolls its claim back, so the key can be used again. Keys expire after a
 * day.
 */
#ifndef BURSAR_IDEM_H
#define BURSAR_IDEM_H

#include <stddef.h>

#include "problem.h"

struct req;
struct db;
struct evbuffer;

/* The largest reply kept for replays (MEDIUMTEXT holds 16 MiB, and so does the
 * server's default max_allowed_packet): a larger one is kept as a 409 saying
 * where the result is. */
#define IDEM_KEEP_MAX (8u << 20)

/* A POST's key and what becomes of it; the dispatcher's, zeroed, as r->idem. */
struct idem {
	const char *key;                         /* NULL: none given */
	unsigned char hash[32];                  /* SHA-256 of method, URI and body */
	int open;                                /* the write's transaction is open for the reply */
	/* what a replay gets instead of the reply (idem_replay_problem), and its status */
	char *replay;
	size_t replay_len;
	int replay_status;
};

/*
 * Before the handler of a POST (r->idem set): 0 to go on (r->idem->key set
 * when a key was given), 1 when a stored response was replayed, -1 with the
 * problem set (400 bad key, 409 in progress, 422 reused with another request, 503).
 */
int idem_check(struct req *r, struct problem *p) __attribute__((warn_unused_result));

/* Inside the write transaction: claim the request's key (nothing when none). */
int idem_claim(struct req *r, struct db *db, struct problem *p) __attribute__((warn_unused_result));

/* After the write's statements ran with the key claimed: its transaction is
 * open on r->db until the reply (idem_on_reply) commits it. */
void idem_opened(struct req *r);

/*
 * A struct req's on_reply: when the write's transaction is open, store this
 * reply (or the idem_replay_problem in its place) with the key, then COMMIT.
 * 0 to send the reply; -1 with a 503 in p when the write did not commit (sent
 * instead: nothing written, or, when the answer to COMMIT was lost, unknown
 * until the client sends the request again with the same key).
 */
int idem_on_reply(struct req *r, int status, struct evbuffer *body, struct problem *p);

/*
 * For a POST that claimed its Idempotency-Key and must not store its reply (it
 * holds a secret): a replay gets this problem (status, detail) instead of the
 * reply. Call after api_txn and before replying. Out of memory: the reply is
 * stored.
 */
void idem_replay_problem(struct req *r, int status, const char *detail);

/* After the reply: roll back a transaction no reply committed (a bug, logged),
 * and free what r->idem holds (nothing when r->idem is NULL). */
void idem_finish(struct req *r);

#endif
