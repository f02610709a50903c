/* idem.c - see idem.h */
#include "idem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "api.h"
#include "db.h"
#include "store_idem.h"
#include "http.h"
#include "idemkey.h"
#include "log.h"
#include "sha256.h"
#include "worker.h"


static int idem_hash(struct req *r, unsigned char out[32])
{
	struct evbuffer *in = evhttp_request_get_input_buffer(r->ev);
	size_t n = evbuffer_get_length(in);
	const char *uri = evhttp_request_get_uri(r->ev);
	unsigned char *body = n > 0 ? evbuffer_pullup(in, -1) : NULL;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int len = 0;
	int ok;

	ok = ctx != NULL && EVP_DigestInit_ex(ctx, sha256_md(), NULL) == 1 &&
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
	struct store_idem_found f;
	struct store_owner o = api_owner(r);
	int rc;

	if (key == NULL)
		return 0;
	if (!idemkey_valid(key)) {
		problem_field(p, "header:Idempotency-Key", "must be 1 to %d printable ASCII characters",
			      IDEMKEY_MAX);
		return problem_bad_request(p, "the Idempotency-Key header is not usable");
	}
	if (idem_hash(r, st->hash) != 0)
		return problem_internal(p);
	if ((rc = store_idem_find(r->db, &o, key, st->hash, &f, p)) <= 0) {
		if (rc == 0)
			st->key = key;
		return rc;
	}
	if (!f.hash_ok) {
		store_idem_found_free(&f);
		return problem_set(p, 422, "idempotency-key-reused", "Idempotency key reused",
				   "this Idempotency-Key was used for a different request");
	}
	if (f.status == 0) {
		store_idem_found_free(&f);
		/* A key is committed with its answer (idem_on_reply), so a claim without one
		 * is only seen in a row stored by a version before that (keys live a day) */
		return problem_conflict(p, "a request with this Idempotency-Key has not finished; retry shortly");
	}
	if (f.location != NULL && f.location[0] != '\0')
		evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", f.location);
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Idempotent-Replayed", "true");
	/* a stored error is what a handler put in place of a reply it must not keep */
	http_reply_raw(r, f.status, f.status >= 400 ? "application/problem+json" : "application/json; charset=utf-8",
		       f.response, f.response_len, NULL);
	store_idem_found_free(&f);
	return 1;
}

int idem_claim(struct req *r, struct db *db, struct problem *p)
{
	struct store_owner o = api_owner(r);

	if (r->idem == NULL || r->idem->key == NULL)
		return 0;
	if (store_idem_claim(db, &o, r->idem->key, r->idem->hash, p) == 0)
		return 0;
	if (db_errno(db) == DB_ER_DUP_ENTRY) {
		problem_reset(p);
		return problem_conflict(p, "a request with this Idempotency-Key is being processed; retry");
	}
	return -1;
}

void idem_opened(struct req *r)
{
	r->idem->open = 1;
}

/* What a replay gets in place of a reply too large to keep: where the result is. */
static char *idem_too_large(struct req *r, int status, size_t len, const char *loc, size_t *out_len)
{
	struct problem p = { 0 };
	cJSON *j;
	char *s;

	problem_set(&p, 409, NULL, NULL, "the first request with this Idempotency-Key succeeded (%d)%s%s, but its "
		    "reply (%zu bytes) was too large to keep: read the result instead", status,
		    loc != NULL ? " at " : "", loc != NULL ? loc : "", len);
	if ((j = problem_to_json(&p, r->path)) == NULL || (s = cJSON_PrintUnformatted(j)) == NULL) {
		cJSON_Delete(j);
		return NULL;
	}
	cJSON_Delete(j);
	*out_len = strlen(s);
	return s;
}

/* The write did not commit: roll back what is left and say what the client can do. */
static int idem_not_committed(struct req *r, int at_commit, struct problem *p)
{
	int unknown = at_commit && db_conn_lost(r->db);

	log_warn("idem: the write with Idempotency-Key %.40s was not committed: %s", r->idem->key, p->detail);
	db_txn_rollback(r->db);
	/* a cache filled while the transaction was open may hold what it wrote */
	worker_note_write(r->w);
	problem_reset(p);
	if (unknown)
		problem_set(p, 503, "unavailable", "Service unavailable", "the database connection was lost at "
			    "COMMIT, so whether the change was saved is not known: send the request again with the "
			    "same Idempotency-Key (it answers as the first would have, or makes the change)");
	else
		problem_set(p, 503, "unavailable", "Service unavailable", "the change could not be committed and "
			    "nothing was saved: send the request again with the same Idempotency-Key");
	p->retry_after = 1;
	return -1;
}

int idem_on_reply(struct req *r, int status, struct evbuffer *body, struct problem *p)
{
	struct idem *st = r->idem;
	const char *loc = evhttp_find_header(evhttp_request_get_output_headers(r->ev), "Location");
	const char *text = "";
	char *big = NULL;
	size_t len = body != NULL ? evbuffer_get_length(body) : 0;
	struct store_owner o = api_owner(r);
	int keep = status;
	int rc;

	if (st == NULL || !st->open)
		return 0;
	st->open = 0;
	if (st->replay != NULL) {
		text = st->replay;
		len = st->replay_len;
		keep = st->replay_status;
	} else if (len > IDEM_KEEP_MAX) {
		if ((big = idem_too_large(r, status, len, loc, &len)) == NULL) {
			problem_internal(p);
			return idem_not_committed(r, 0, p);
		}
		text = big;
		keep = 409;
	} else if (len > 0 && (text = (const char *)evbuffer_pullup(body, -1)) == NULL) {
		problem_internal(p);
		return idem_not_committed(r, 0, p);
	}
	rc = store_idem_answer(r->db, &o, st->key, keep, text, len, loc != NULL ? loc : "", p);
	cJSON_free(big);
	if (rc != 0)
		return idem_not_committed(r, 0, p);
	if (db_txn_commit(r->db, p) != 0)
		return idem_not_committed(r, 1, p);
	return 0;
}

void idem_replay_problem(struct req *r, int status, const char *detail)
{
	struct idem *st = r->idem;
	struct problem p = { 0 };
	cJSON *j;
	char *s;

	if (st == NULL || !st->open)
		return;
	problem_set(&p, status, NULL, NULL, "%s", detail);
	if ((j = problem_to_json(&p, r->path)) == NULL || (s = cJSON_PrintUnformatted(j)) == NULL) {
		cJSON_Delete(j);
		log_err("idem: out of memory: the reply itself is kept for replays");
		return;
	}
	cJSON_Delete(j);
	free(st->replay);
	if ((st->replay = malloc(strlen(s) + 1)) != NULL) {
		memcpy(st->replay, s, strlen(s) + 1);
		st->replay_len = strlen(s);
		st->replay_status = status;
	}
	cJSON_free(s);
}

void idem_finish(struct req *r)
{
	if (r->idem == NULL)
		return;
	if (r->idem->open) {
		/* every request is answered through http_send; this is a bug, not a client's doing */
		log_err("idem: a write with Idempotency-Key %.40s ended without a reply: rolled back", r->idem->key);
		db_txn_rollback(r->db);
		worker_note_write(r->w);
		r->idem->open = 0;
	}
	free(r->idem->replay);
	r->idem->replay = NULL;
}
