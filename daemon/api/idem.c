/* idem.c - see idem.h */
#include "idem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "db.h"
#include "http.h"
#include "log.h"

#define IDEM_MAX_KEY 200

static const char idem_get_sql[] =
	"SELECT status, request_hash, response, location FROM idempotency_keys "
	"WHERE token_id = ? AND idem_key = ?";
/* Keys live a day: long enough for any retry, short enough to stay small. */
static const char idem_expire_sql[] =
	"DELETE FROM idempotency_keys WHERE token_id = ? AND created_at < UTC_TIMESTAMP(6) - INTERVAL 1 DAY";
static const char idem_claim_sql[] =
	"INSERT INTO idempotency_keys (token_id, idem_key, request_hash, status, response) "
	"VALUES (?, ?, ?, 0, '')";
static const char idem_store_sql[] =
	"UPDATE idempotency_keys SET status = ?, response = ?, location = ? "
	"WHERE token_id = ? AND idem_key = ?";

static int idem_hash(struct req *r, unsigned char out[32])
{
	struct evbuffer *in = evhttp_request_get_input_buffer(r->ev);
	size_t n = evbuffer_get_length(in);
	const char *uri = evhttp_request_get_uri(r->ev);
	unsigned char *body = n > 0 ? evbuffer_pullup(in, -1) : NULL;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int len = 0;
	int ok;

	ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	     EVP_DigestUpdate(ctx, "POST\n", 5) == 1 &&
	     EVP_DigestUpdate(ctx, uri, strlen(uri)) == 1 && EVP_DigestUpdate(ctx, "\n", 1) == 1 &&
	     (n == 0 || EVP_DigestUpdate(ctx, body, n) == 1) &&
	     EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == 32;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

int idem_check(struct req *r, struct problem *p)
{
	const char *key = http_header(r, "Idempotency-Key");
	struct idem *st = r->idem;
	struct db_rows *rows = NULL;
	struct db_param prm[2];
	size_t n;
	int status;

	if (key == NULL)
		return 0;
	n = strlen(key);
	for (size_t i = 0; i < n; i++)
		if (key[i] < '!' || key[i] > '~')
			n = 0;
	if (n == 0 || n > IDEM_MAX_KEY) {
		problem_field(p, "header:Idempotency-Key", "must be 1 to %d printable ASCII characters",
			      IDEM_MAX_KEY);
		return problem_bad_request(p, "the Idempotency-Key header is not usable");
	}
	if (idem_hash(r, st->hash) != 0)
		return problem_internal(p);
	prm[0] = DBP_I64(r->id.token_id);
	prm[1] = DBP_STR(key);
	if (db_exec(r->db, idem_expire_sql, prm, 1, NULL, NULL, p) != 0 ||
	    db_query(r->db, idem_get_sql, prm, 2, &rows, p) != 0)
		return -1;
	if (rows->nrows == 0) {
		db_rows_free(rows);
		st->key = key;
		return 0;
	}
	status = (int)db_cell_i64(rows, 0, 0);
	if (rows->lens[1] != 32 || CRYPTO_memcmp(db_cell(rows, 0, 1), st->hash, 32) != 0) {
		db_rows_free(rows);
		return problem_set(p, 422, "idempotency-key-reused", "Idempotency key reused",
				   "this Idempotency-Key was used for a different request");
	}
	if (status == 0) {
		db_rows_free(rows);
		/* Either still running, or committed with its reply lost (the COMMIT's answer
		 * never came back): both mean "do not write again". */
		return problem_conflict(p, "a request with this Idempotency-Key has not finished; retry "
					"shortly (if this persists, the first request was committed and its "
					"reply lost: read the resource instead)");
	}
	if (db_cell(rows, 0, 3) != NULL && db_cell(rows, 0, 3)[0] != '\0')
		evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", db_cell(rows, 0, 3));
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Idempotent-Replayed", "true");
	/* a stored error is what a handler put in place of a reply it must not keep */
	http_reply_raw(r, status, status >= 400 ? "application/problem+json" : "application/json; charset=utf-8",
		       db_cell(rows, 0, 2), rows->lens[2], NULL);
	db_rows_free(rows);
	return 1;
}

int idem_claim(struct req *r, struct db *db, struct problem *p)
{
	struct db_param prm[3];

	if (r->idem == NULL || r->idem->key == NULL)
		return 0;
	prm[0] = DBP_I64(r->id.token_id);
	prm[1] = DBP_STR(r->idem->key);
	prm[2] = DBP_BLOB(r->idem->hash, 32);
	if (db_exec(db, idem_claim_sql, prm, 3, NULL, NULL, p) == 0)
		return 0;
	if (db_errno(db) == DB_ER_DUP_ENTRY) {
		memset(p, 0, sizeof(*p));
		return problem_conflict(p, "a request with this Idempotency-Key is being processed; retry");
	}
	return -1;
}

void idem_committed(struct req *r)
{
	if (r->idem != NULL)
		r->idem->claimed = r->idem->key != NULL;
}

void idem_keep_reply(struct req *r, int status, struct evbuffer *body)
{
	struct idem *st = r->idem;
	size_t len = evbuffer_get_length(body);

	(void)status;
	if (st == NULL || !st->claimed || st->reply != NULL)
		return;
	/* kept for idem_finish: a replay of this POST gets these bytes */
	if ((st->reply = malloc(len + 1)) != NULL) {
		evbuffer_copyout(body, st->reply, len);
		st->reply[len] = '\0';
		st->reply_len = len;
	}
}

void idem_replay_problem(struct req *r, int status, const char *detail)
{
	struct idem *st = r->idem;
	struct problem p = { 0 };
	cJSON *j;
	char *s;

	if (st == NULL || !st->claimed)
		return;
	problem_set(&p, status, NULL, NULL, "%s", detail);
	if ((j = problem_to_json(&p, r->path)) == NULL || (s = cJSON_PrintUnformatted(j)) == NULL) {
		cJSON_Delete(j);
		log_err("idem: out of memory: the reply itself is kept for replays");
		return;
	}
	cJSON_Delete(j);
	if (st->reply != NULL)
		OPENSSL_cleanse(st->reply, st->reply_len);
	free(st->reply);
	if ((st->reply = malloc(strlen(s) + 1)) != NULL) {
		memcpy(st->reply, s, strlen(s) + 1);
		st->reply_len = strlen(s);
		st->reply_status = status;
	}
	cJSON_free(s);
}

static void idem_store(struct req *r)
{
	struct idem *st = r->idem;
	struct problem p = { 0 };
	const char *loc = evhttp_find_header(evhttp_request_get_output_headers(r->ev), "Location");
	struct db_param prm[5];
	char *body = st->reply != NULL ? st->reply : "";

	prm[0] = DBP_I64(st->reply_status != 0 ? st->reply_status : r->status);
	prm[1] = DBP_STR(body);
	prm[2] = DBP_STR(loc != NULL ? loc : "");
	prm[3] = DBP_I64(r->id.token_id);
	prm[4] = DBP_STR(st->key);
	/* The write is committed: if this fails, a replay gets 409 rather than a second write. */
	if (db_exec(r->db, idem_store_sql, prm, 5, NULL, NULL, &p) != 0)
		log_warn("idem: could not store the response for key %.40s: %s", st->key, p.detail);
}

void idem_finish(struct req *r)
{
	if (r->idem == NULL)
		return;
	if (r->idem->claimed)
		idem_store(r);
	free(r->idem->reply);
	r->idem->reply = NULL;
}
