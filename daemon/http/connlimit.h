/*
 * connlimit.h - the server's open connections: a cap on all of them and one
 * per client address, shared by every worker, and the rate of complaints
 * about accept() failures.
 *
 * Thread: every function may be called from any worker (one mutex inside).
 */
#ifndef BURSAR_CONNLIMIT_H
#define BURSAR_CONNLIMIT_H

#include <stddef.h>
#include <stdint.h>

struct sockaddr;
struct connlimit;

/* A table for up to capacity connections at a time (capacity >= 1). NULL: out of memory. */
struct connlimit *connlimit_new(size_t capacity);
void connlimit_free(struct connlimit *cl);  /* NULL ok */

/* The key of a peer address: IPv4 as its IPv4-mapped IPv6 form; other families: all zero. */
void connlimit_key(const struct sockaddr *sa, unsigned char key[16]);

enum {
	CONNLIMIT_OK = 0,
	CONNLIMIT_TOTAL = -1,                    /* max_total (or the table's capacity) reached */
	CONNLIMIT_PER_ADDRESS = -2,              /* max_per_address reached for this address */
};

/*
 * Count one more connection from key if the caps allow: CONNLIMIT_OK (pair it
 * with connlimit_release), or why not. max_per_address 0: no per-address cap.
 */
int connlimit_acquire(struct connlimit *cl, const unsigned char key[16], size_t max_total,
		      size_t max_per_address);
void connlimit_release(struct connlimit *cl, const unsigned char key[16]);

/* Connections counted now, in all and from key. */
size_t connlimit_total(struct connlimit *cl);
size_t connlimit_count(struct connlimit *cl, const unsigned char key[16]);

/*
 * Note an event that should be logged at most once a second (accept failures,
 * refused connections) at now_ms (a monotonic clock): 1 when it should be
 * logged now, with *suppressed the events not logged since the last one; else 0.
 * slot picks one of CONNLIMIT_NOTES independent counters.
 */
#define CONNLIMIT_NOTES 4
int connlimit_note(struct connlimit *cl, int slot, int64_t now_ms, uint64_t *suppressed);

#endif
