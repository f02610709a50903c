/*
 * fuzz_reqhead.c - libFuzzer target for daemon/http/reqhead.c (the connection guard's
 * request-head and chunked-framing parsers): whatever the bytes, no crash, and the same
 * answer whether the input arrives whole or a byte at a time.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reqhead.h"

static const struct reqhead_limits LIM = { .max_uri = 512, .max_header_bytes = 1024, .max_headers = 16 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct reqhead_scan whole, step;
	struct reqhead_error e;
	struct reqhead h;
	struct reqhead_chunked c1, c2;
	int rw, rs = 0;
	size_t used1 = 0, used2 = 0, at = 0;

	memset(&whole, 0, sizeof(whole));
	memset(&step, 0, sizeof(step));
	rw = reqhead_scan(&whole, buf, size, &LIM, &e);
	for (size_t i = 1; i <= size && rs == 0; i++)
		rs = reqhead_scan(&step, buf, i, &LIM, &e);
	if (rw != rs || (rw == 1 && whole.head_len != step.head_len))
		abort();
	if (rw == 1 && reqhead_parse(buf, whole.head_len, &h, &e) == 0) {
		const char *name, *value;
		size_t nl, vl, n = 0;

		if (h.target + h.target_len > whole.head_len)
			abort();
		while (reqhead_next_field(buf, whole.head_len, &at, &name, &nl, &value, &vl) && n++ < 64)
			if (value + vl > buf + whole.head_len)
				abort();
	}
	/* the same bytes as a chunked body, whole and a byte at a time */
	memset(&c1, 0, sizeof(c1));
	memset(&c2, 0, sizeof(c2));
	rw = reqhead_chunked_feed(&c1, buf, size, 4096, &used1, &e);
	rs = 0;
	for (size_t i = 0; i < size && rs == 0; i++) {
		size_t u = 0;

		rs = reqhead_chunked_feed(&c2, buf + i, 1, 4096, &u, &e);
		used2 += u;
	}
	if (rw != rs || (rw == 1 && used1 != used2) || used1 > size)
		abort();
	return 0;
}
