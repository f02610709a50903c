/* idemkey.c - see idemkey.h */
#include "idemkey.h"

#include <stddef.h>

int idemkey_valid(const char *key)
{
	size_t n = 0;

	if (key == NULL)
		return 0;
	for (; key[n] != '\0'; n++)
		if (key[n] < '!' || key[n] > '~' || n == IDEMKEY_MAX)
			return 0;
	return n > 0;
}
