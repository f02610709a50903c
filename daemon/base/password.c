/* password.c - see password.h */
#include "password.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "log.h"
#include "utf8.h"

/* password_matches(NULL, ...) verifies against this: the hash of a password nobody
 * has, made once (on first use) with the same limits as real ones. */
static char password_dummy[PASSWORD_HASH_MAX];
static pthread_once_t password_dummy_once = PTHREAD_ONCE_INIT;

int password_init(void)
{
	if (sodium_init() < 0) {
		log_err("password: libsodium cannot start");
		return -1;
	}
	return 0;
}

static void password_dummy_make(void)
{
	unsigned char r[16];
	char pw[2 * sizeof(r) + 1];

	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(pw, sizeof(pw), r, sizeof(r));
	if (password_hash(pw, password_dummy) != 0)
		password_dummy[0] = '\0';           /* verify then fails at once: no worse than before */
}

static int password_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static int password_common_has(const char *pw)
{
	char low[PASSWORD_MAX_BYTES + 1];
	size_t n = strlen(pw);

	if (n > PASSWORD_MAX_BYTES)
		return 0;
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)(pw[i] >= 'A' && pw[i] <= 'Z' ? pw[i] - 'A' + 'a' : pw[i]);
	return bsearch(low, password_common, password_ncommon, sizeof(password_common[0]), password_cmp) != NULL;
}

/* One character repeated ("aaaaaaaaaaaa"). */
static int password_one_char(const char *pw)
{
	for (const char *c = pw + 1; *c != '\0'; c++)
		if (*c != *pw)
			return 0;
	return 1;
}

const char *password_refusal(const char *pw, const char *email, const char *name)
{
	if (pw == NULL || !utf8_valid((const unsigned char *)pw, strlen(pw)))
		return "must be text";
	if (strlen(pw) > PASSWORD_MAX_BYTES)
		return "must be at most 1024 bytes";
	if (utf8_chars(pw) < PASSWORD_MIN_CHARS)
		return "must be at least 12 characters (a few words you will remember make a good one)";
	if (password_one_char(pw) || password_common_has(pw))
		return "is one of the most common passwords, which attackers try first: choose another";
	if ((email != NULL && strcasecmp(pw, email) == 0) || (name != NULL && strcasecmp(pw, name) == 0))
		return "must not be your e-mail address or name";
	return NULL;
}

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		log_err("password: out of memory hashing a password");
		return -1;
	}
	return 0;
}

int password_matches(const char *hash, const char *pw)
{
	if (hash == NULL) {
		/* the same work as a real check; nobody knows the dummy's password */
		pthread_once(&password_dummy_once, password_dummy_make);
		if (crypto_pwhash_str_verify(password_dummy, pw, strlen(pw)) == 0)
			log_err("password: the dummy hash matched");
		return 0;
	}
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

int password_generate(char *buf, size_t len)
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";   /* no l, o, 0, 1 */

	if (len < PASSWORD_GEN_LEN + 1)
		return -1;
	for (size_t i = 0; i < PASSWORD_GEN_LEN; i++)
		buf[i] = (i % 5 == 4) ? '-' : alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	buf[PASSWORD_GEN_LEN] = '\0';
	return 0;
}
