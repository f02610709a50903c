/* textenc.c - see textenc.h */
#include "textenc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"

/* Windows-1252 80..9F (WHATWG index-windows-1252); the undefined five map to C1. */
static const uint16_t cp1252_high[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

int textenc_label(const char *label, size_t n)
{
	static const struct {
		const char *name;
		enum textenc e;
	} labels[] = {
		{ "utf-8", TEXTENC_UTF8 }, { "utf8", TEXTENC_UTF8 }, { "unicode-1-1-utf-8", TEXTENC_UTF8 },
		{ "windows-1252", TEXTENC_CP1252 }, { "cp1252", TEXTENC_CP1252 },
		{ "x-cp1252", TEXTENC_CP1252 }, { "iso-8859-1", TEXTENC_CP1252 },
		{ "iso8859-1", TEXTENC_CP1252 }, { "iso_8859-1", TEXTENC_CP1252 },
		{ "latin1", TEXTENC_CP1252 }, { "l1", TEXTENC_CP1252 }, { "cp819", TEXTENC_CP1252 },
		{ "ibm819", TEXTENC_CP1252 }, { "us-ascii", TEXTENC_CP1252 }, { "ascii", TEXTENC_CP1252 },
	};

	while (n > 0 && (*label == ' ' || *label == '\t')) {
		label++;
		n--;
	}
	while (n > 0 && (label[n - 1] == ' ' || label[n - 1] == '\t'))
		n--;
	if (n >= 2 && label[0] == '"' && label[n - 1] == '"') {
		label++;
		n -= 2;
	}
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strlen(labels[i].name) == n && strncasecmp(label, labels[i].name, n) == 0)
			return (int)labels[i].e;
	return -1;
}

const char *textenc_name(enum textenc e)
{
	return e == TEXTENC_CP1252 ? "windows-1252" : "utf-8";
}

size_t textenc_bom(const char *buf, size_t n)
{
	return n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

static int cp1252_undefined(unsigned char c)
{
	return c == 0x81 || c == 0x8d || c == 0x8f || c == 0x90 || c == 0x9d;
}

int textenc_is_cp1252(const char *buf, size_t n)
{
	const unsigned char *u = (const unsigned char *)buf;

	for (size_t i = 0; i < n; i++)
		if (u[i] == 0 || cp1252_undefined(u[i]))
			return 0;
	return !utf8_valid(u, n);
}

/* Write code point cp (< 0x10000) as UTF-8 at o; returns the bytes written. */
static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	o[0] = (char)(0xe0 | (cp >> 12));
	o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

int textenc_cp1252_to_utf8(const char *buf, size_t n, char **out, size_t *outlen)
{
	const unsigned char *u = (const unsigned char *)buf;
	char *o;
	size_t k = 0;

	if (memchr(buf, '\0', n) != NULL)
		return 1;
	if (n > (SIZE_MAX - 1) / 3 || (o = malloc(n * 3 + 1)) == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		k += put_utf8(o + k, u[i] >= 0x80 && u[i] < 0xa0 ? cp1252_high[u[i] - 0x80] : u[i]);
	o[k] = '\0';
	*out = o;
	*outlen = k;
	return 0;
}

/* The byte a character has in Windows-1252 or Latin-1 (so the C1 controls too), or -1. */
static int cp1252_byte(uint32_t cp)
{
	if (cp < 0x100)
		return (int)cp;
	for (int i = 0; i < 32; i++)
		if (cp1252_high[i] == cp)
			return 0x80 + i;
	return -1;
}

/* Decode one character of valid UTF-8 at s[i]; its length in *k. */
static uint32_t get_utf8(const unsigned char *s, size_t i, size_t *k)
{
	unsigned c = s[i];

	if (c < 0x80) {
		*k = 1;
		return c;
	}
	if (c < 0xe0) {
		*k = 2;
		return ((c & 0x1fu) << 6) | (s[i + 1] & 0x3fu);
	}
	if (c < 0xf0) {
		*k = 3;
		return ((c & 0x0fu) << 12) | ((s[i + 1] & 0x3fu) << 6) | (s[i + 2] & 0x3fu);
	}
	*k = 4;
	return ((c & 0x07u) << 18) | ((s[i + 1] & 0x3fu) << 12) | ((s[i + 2] & 0x3fu) << 6) | (s[i + 3] & 0x3fu);
}

/* Whether the characters at s[i..] spell, byte by byte, one UTF-8 character of the
 * ranges mojibake comes from; fills *m. */
static int mojibake_at(const unsigned char *s, size_t n, size_t i, struct textenc_mojibake *m)
{
	unsigned char bytes[4];
	size_t k, at = i, need;
	uint32_t cp = get_utf8(s, i, &k), meant;
	int b;

	if (cp >= 0xc2 && cp <= 0xdf)
		need = 1;
	else if (cp == 0xe2)
		need = 2;
	else if (cp == 0xf0)
		need = 3;
	else
		return 0;
	bytes[0] = (unsigned char)cp;
	i += k;
	for (size_t j = 1; j <= need; j++) {
		if (i >= n || (b = cp1252_byte(get_utf8(s, i, &k))) < 0x80 || b > 0xbf)
			return 0;
		bytes[j] = (unsigned char)b;
		i += k;
	}
	if (need == 1)
		meant = ((bytes[0] & 0x1fu) << 6) | (bytes[1] & 0x3fu);
	else if (need == 2)
		meant = ((bytes[0] & 0x0fu) << 12) | ((bytes[1] & 0x3fu) << 6) | (bytes[2] & 0x3fu);
	else
		meant = ((bytes[0] & 0x07u) << 18) | ((bytes[1] & 0x3fu) << 12) | ((bytes[2] & 0x3fu) << 6) |
			(bytes[3] & 0x3fu);
	if (!(need == 1 && meant >= 0xa0 && meant <= 0x17f) &&
	    !(need == 2 && meant >= 0x2000 && meant <= 0x215f) &&
	    !(need == 3 && meant >= 0x1f000 && meant <= 0x1faff))
		return 0;
	m->at = at;
	m->len = i - at;
	memcpy(m->meant, bytes, need + 1);
	m->meant[need + 1] = '\0';
	return 1;
}

int textenc_mojibake(const char *s, size_t n, struct textenc_mojibake *m)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t k;

	if (!utf8_valid(u, n))
		return 0;
	for (size_t i = 0; i < n; i += k) {
		if (mojibake_at(u, n, i, m))
			return 1;
		(void)get_utf8(u, i, &k);
	}
	return 0;
}

const char *textenc_mojibake_message(const char *s, char *buf, size_t len)
{
	struct textenc_mojibake m;
	char seen[16], meant[8];

	if (!textenc_mojibake(s, strlen(s), &m))
		return NULL;
	/* what the person sees, the no-break space shown as a space */
	snprintf(seen, sizeof(seen), "%.*s", (int)m.len, s + m.at);
	snprintf(meant, sizeof(meant), "%s", strcmp(m.meant, "\xc2\xa0") == 0 ? " " : m.meant);
	snprintf(buf, len, "looks like text saved in the wrong encoding: \"%s\" is how \"%s\" reads when "
		 "UTF-8 is opened as Windows-1252 (Excel's \"CSV (Comma delimited)\"); correct the text and "
		 "save as \"CSV UTF-8\" or as an Excel workbook", seen, meant);
	return buf;
}
