/* store_idem.c - see store_idem.h */
#include "store_idem.h"

#include <string.h>

#include <openssl/crypto.h>

static const char idem_get_sql[] =
	"SELECT status, request_hash, response, location FROM idempotency_keys "
	"WHERE token_id = ? AND user_id = ? AND idem_key = ?";
static const char idem_expire_sql[] =
	"DELETE FROM idempotency_keys WHERE token_id = ? AND user_id = ? AND created_at < UTC_TIMESTAMP(6) - INTERVAL 1 DAY";
static const char idem_claim_sql[] =
	"INSERT INTO idempotency_keys (token_id, user_id, idem_key, request_hash, status, response) "
	"VALUES (?, ?, ?, ?, 0, '')";
static const char idem_answer_sql[] =
	"UPDATE idempotency_keys SET status = ?, response = ?, location = ? "
	"WHERE token_id = ? AND user_id = ? AND idem_key = ?";

enum { IC_STATUS, IC_HASH, IC_RESPONSE, IC_LOCATION, IC__N };
static const char *const idem_cols[IC__N] = { "status", "request_hash", "response", "location" };

int store_idem_find(struct db *db, const struct store_owner *o, const char *key,
		    const unsigned char hash[STORE_IDEM_HASH_LEN], struct store_idem_found *f, struct problem *p)
{
	struct db_param prm[3] = { DBP_I64(o->token_id), DBP_I64(o->user_id), DBP_STR(key) };
	struct db_rows *rows = NULL;
	size_t ix[IC__N];

	memset(f, 0, sizeof(*f));
	if (db_exec(db, idem_expire_sql, prm, 2, NULL, NULL, p) != 0 ||
	    db_query(db, idem_get_sql, prm, 3, &rows, p) != 0)
		return -1;
	if (db_columns(rows, idem_cols, IC__N, ix, p) != 0) {
		db_rows_free(rows);
		return -1;
	}
	if (rows->nrows == 0) {
		db_rows_free(rows);
		return 0;
	}
	f->rows = rows;
	f->status = (int)db_cell_i64(rows, 0, ix[IC_STATUS]);
	f->hash_ok = rows->lens[ix[IC_HASH]] == STORE_IDEM_HASH_LEN &&
		     CRYPTO_memcmp(db_cell(rows, 0, ix[IC_HASH]), hash, STORE_IDEM_HASH_LEN) == 0;
	f->response = db_cell(rows, 0, ix[IC_RESPONSE]);
	f->response_len = rows->lens[ix[IC_RESPONSE]];
	f->location = db_cell(rows, 0, ix[IC_LOCATION]);
	return 1;
}

void store_idem_found_free(struct store_idem_found *f)
{
	db_rows_free(f->rows);
	memset(f, 0, sizeof(*f));
}

int store_idem_claim(struct db *db, const struct store_owner *o, const char *key,
		     const unsigned char hash[STORE_IDEM_HASH_LEN], struct problem *p)
{
	struct db_param prm[4] = { DBP_I64(o->token_id), DBP_I64(o->user_id), DBP_STR(key),
				   DBP_BLOB(hash, STORE_IDEM_HASH_LEN) };

	return db_exec(db, idem_claim_sql, prm, 4, NULL, NULL, p);
}

int store_idem_answer(struct db *db, const struct store_owner *o, const char *key, int status, const char *body,
		      size_t len, const char *location, struct problem *p)
{
	struct db_param prm[6] = { DBP_I64(status), DBP_BLOB(body, len), DBP_STR(location), DBP_I64(o->token_id),
				   DBP_I64(o->user_id), DBP_STR(key) };

	return db_exec(db, idem_answer_sql, prm, 6, NULL, NULL, p);
}
