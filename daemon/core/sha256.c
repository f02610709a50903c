/* sha256.c - see sha256.h */
#include "sha256.h"

#include <pthread.h>

static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;
static const EVP_MD *sha256_fetched;

static void sha256_fetch(void)
{
	EVP_MD *md = EVP_MD_fetch(NULL, "SHA2-256", NULL);

	/* kept for the life of the process; without it, the implicit lookup each time */
	sha256_fetched = md != NULL ? md : EVP_sha256();
}

const EVP_MD *sha256_md(void)
{
	pthread_once(&sha256_once, sha256_fetch);
	return sha256_fetched;
}

int sha256(const void *data, size_t n, unsigned char out[SHA256_LEN])
{
	unsigned int len = 0;

	if (EVP_Digest(data, n, out, &len, sha256_md(), NULL) != 1 || len != SHA256_LEN)
		return -1;
	return 0;
}
