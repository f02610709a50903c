/*
 * store_idem.h - the idempotency keys' rows: per owner (a token, or a person
 * signed in) and key, the SHA-256 of
 * the request, and once answered its status, body and Location. The protocol
 * (when to claim, replay, store) is api/idem.c's.
 */
#ifndef BURSAR_STORE_IDEM_H
#define BURSAR_STORE_IDEM_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "store.h"

#define STORE_IDEM_HASH_LEN 32

/* A stored key as found. Strings point into rows (store_idem_found_free). */
struct store_idem_found {
	int status;                              /* 0: claimed, not answered yet */
	int hash_ok;                             /* the stored request hash is this request's */
	const char *response;                    /* the stored body */
	size_t response_len;
	const char *location;                    /* NULL or "" for none */
	struct db_rows *rows;
};

/*
 * Drop the owner's keys older than a day (keys live a day: long enough for any
 * retry, short enough to stay small), then look key up: 1 found (*f filled; free
 * with store_idem_found_free), 0 none, -1 with the problem set.
 */
int store_idem_find(struct db *db, const struct store_owner *o, const char *key,
		    const unsigned char hash[STORE_IDEM_HASH_LEN], struct store_idem_found *f, struct problem *p)
	__attribute__((warn_unused_result));
void store_idem_found_free(struct store_idem_found *f);

/* Inside the write transaction: claim the key (status 0). A key another request
 * holds is -1 with db_errno() == DB_ER_DUP_ENTRY. */
int store_idem_claim(struct db *db, const struct store_owner *o, const char *key,
		     const unsigned char hash[STORE_IDEM_HASH_LEN], struct problem *p) __attribute__((warn_unused_result));

/* In the same transaction, once the reply is known: the response a replay gets
 * (body: len bytes). */
int store_idem_answer(struct db *db, const struct store_owner *o, const char *key, int status, const char *body,
		      size_t len, const char *location, struct problem *p) __attribute__((warn_unused_result));

#endif
