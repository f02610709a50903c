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
#include "store_idem.h"
#include "http.h"
#include "idemkey.h"
#include "log.h"


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
	struct store_idem_found f;
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
	if ((rc = store_idem_find(r->db, r->id.token_id, key, st->hash, &f, p)) <= 0) {
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
		/* Either still running, or committed with its reply lost (the COMMIT's answer
		 * never came back): both mean "do not write again". */
		return problem_conflict(p, "a request with this Idempotency-Key has not finished; retry "
					"shortly (if this persists, the first request was committed and its "
					"reply lost: read the resource instead)");
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
	if (r->idem == NULL || r->idem->key == NULL)
		return 0;
	if (store_idem_claim(db, r->id.token_id, r->idem->key, r->idem->hash, p) == 0)
		return 0;
	if (db_errno(db) == DB_ER_DUP_ENTRY) {
		problem_reset(p);
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
	struct problem p;
	const char *loc = evhttp_find_header(evhttp_request_get_output_headers(r->ev), "Location");

	problem_reset(&p);
	/* The write is committed: if this fails, a replay gets 409 rather than a second write. */
	if (store_idem_answer(r->db, r->id.token_id, st->key, st->reply_status != 0 ? st->reply_status : r->status,
			      st->reply != NULL ? st->reply : "", loc != NULL ? loc : "", &p) != 0)
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
