/* connlimit.c - see connlimit.h */
#include "connlimit.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Open addressing with linear probing and backward-shift deletion; a slot with
 * count 0 is empty. At most capacity addresses are present, in twice as many slots. */
struct connlimit_slot {
	unsigned char key[16];
	uint32_t count;
};

struct connlimit_rate {
	int64_t last_ms;
	uint64_t suppressed;
};

struct connlimit {
	pthread_mutex_t mu;
	size_t capacity;                         /* connections */
	size_t nslots;                           /* a power of two >= 2 * capacity */
	size_t total;
	struct connlimit_slot *slots;
	struct connlimit_rate notes[CONNLIMIT_NOTES];
};

struct connlimit *connlimit_new(size_t capacity)
{
	struct connlimit *cl = calloc(1, sizeof(*cl));
	size_t n = 16;

	if (cl == NULL || capacity == 0)
		goto fail;
	while (n < 2 * capacity)
		n *= 2;
	if ((cl->slots = calloc(n, sizeof(*cl->slots))) == NULL)
		goto fail;
	cl->capacity = capacity;
	cl->nslots = n;
	for (int i = 0; i < CONNLIMIT_NOTES; i++)
		cl->notes[i].last_ms = INT64_MIN / 2;
	pthread_mutex_init(&cl->mu, NULL);
	return cl;
fail:
	free(cl);
	return NULL;
}

void connlimit_free(struct connlimit *cl)
{
	if (cl == NULL)
		return;
	pthread_mutex_destroy(&cl->mu);
	free(cl->slots);
	free(cl);
}

void connlimit_key(const struct sockaddr *sa, unsigned char key[16])
{
	memset(key, 0, 16);
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		key[10] = 0xff;
		key[11] = 0xff;
		memcpy(key + 12, &in->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		memcpy(key, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
	}
}

static size_t connlimit_hash(const unsigned char key[16], size_t mask)
{
	uint64_t h = 1469598103934665603ull;     /* FNV-1a */

	for (int i = 0; i < 16; i++)
		h = (h ^ key[i]) * 1099511628211ull;
	return (size_t)(h ^ (h >> 29)) & mask;
}

/* The slot holding key, or the empty slot where it would go. */
static size_t connlimit_find(const struct connlimit *cl, const unsigned char key[16])
{
	size_t mask = cl->nslots - 1, i = connlimit_hash(key, mask);

	while (cl->slots[i].count != 0 && memcmp(cl->slots[i].key, key, 16) != 0)
		i = (i + 1) & mask;
	return i;
}

int connlimit_acquire(struct connlimit *cl, const unsigned char key[16], size_t max_total,
		      size_t max_per_address)
{
	int rc = CONNLIMIT_OK;
	size_t i;

	pthread_mutex_lock(&cl->mu);
	i = connlimit_find(cl, key);
	if (cl->total >= max_total || cl->total >= cl->capacity)
		rc = CONNLIMIT_TOTAL;
	else if (max_per_address > 0 && cl->slots[i].count >= max_per_address)
		rc = CONNLIMIT_PER_ADDRESS;
	if (rc == CONNLIMIT_OK) {
		memcpy(cl->slots[i].key, key, 16);
		cl->slots[i].count++;
		cl->total++;
	}
	pthread_mutex_unlock(&cl->mu);
	return rc;
}

void connlimit_release(struct connlimit *cl, const unsigned char key[16])
{
	size_t mask, i, j;

	pthread_mutex_lock(&cl->mu);
	mask = cl->nslots - 1;
	i = connlimit_find(cl, key);
	if (cl->slots[i].count == 0)
		goto out;                        /* not counted: nothing to release */
	cl->total--;
	if (--cl->slots[i].count > 0)
		goto out;
	/* backward-shift deletion keeps every probe chain unbroken */
	for (j = (i + 1) & mask; cl->slots[j].count != 0; j = (j + 1) & mask) {
		size_t home = connlimit_hash(cl->slots[j].key, mask);

		/* move j into the hole at i unless its home lies cyclically in (i, j] */
		if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
			cl->slots[i] = cl->slots[j];
			cl->slots[j].count = 0;
			i = j;
		}
	}
out:
	pthread_mutex_unlock(&cl->mu);
}

size_t connlimit_total(struct connlimit *cl)
{
	size_t n;

	pthread_mutex_lock(&cl->mu);
	n = cl->total;
	pthread_mutex_unlock(&cl->mu);
	return n;
}

size_t connlimit_count(struct connlimit *cl, const unsigned char key[16])
{
	size_t n;

	pthread_mutex_lock(&cl->mu);
	n = cl->slots[connlimit_find(cl, key)].count;
	pthread_mutex_unlock(&cl->mu);
	return n;
}

int connlimit_note(struct connlimit *cl, int slot, int64_t now_ms, uint64_t *suppressed)
{
	struct connlimit_rate *r = &cl->notes[slot >= 0 && slot < CONNLIMIT_NOTES ? slot : 0];
	int log = 0;

	pthread_mutex_lock(&cl->mu);
	if (now_ms - r->last_ms >= 1000) {
		*suppressed = r->suppressed;
		r->suppressed = 0;
		r->last_ms = now_ms;
		log = 1;
	} else {
		r->suppressed++;
	}
	pthread_mutex_unlock(&cl->mu);
	return log;
}
