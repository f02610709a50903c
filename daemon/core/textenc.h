/*
 * textenc.h - the text encodings a spreadsheet file arrives in, and the mark of
 * the one mistake they cause: UTF-8, Windows-1252, and mojibake (UTF-8 that was
 * read as Windows-1252 and saved again as UTF-8, "£" become "Â£"). Pure; thread-safe.
 *
 * Windows-1252 is what Excel's "CSV (Comma delimited)" writes on a Windows set to
 * English, and what browsers mean by iso-8859-1 and latin1 too (the WHATWG Encoding
 * Standard maps those labels to windows-1252), so textenc treats them as one.
 */
#ifndef BURSAR_TEXTENC_H
#define BURSAR_TEXTENC_H

#include <stddef.h>

enum textenc {
	TEXTENC_NONE,                            /* not declared */
	TEXTENC_UTF8,
	TEXTENC_CP1252,
};

/*
 * The encoding a Content-Type charset label names (case-insensitive, optionally in
 * double quotes, surrounding spaces ignored): TEXTENC_UTF8 for utf-8, utf8 and
 * unicode-1-1-utf-8; TEXTENC_CP1252 for windows-1252, cp1252, x-cp1252, iso-8859-1,
 * iso8859-1, iso_8859-1, latin1, l1, cp819, ibm819, us-ascii, ascii (the WHATWG
 * labels of windows-1252 people send); -1 for any other. label is n bytes.
 */
int textenc_label(const char *label, size_t n);

/* The name of an encoding as a header value: "utf-8", "windows-1252". */
const char *textenc_name(enum textenc e);

/* 3 when buf starts with the UTF-8 byte order mark EF BB BF, else 0. */
size_t textenc_bom(const char *buf, size_t n);

/*
 * Whether buf[0..n) can only be Windows-1252 text: not valid UTF-8 (utf8_valid), no
 * NUL, and none of the five bytes Windows-1252 leaves undefined (81 8D 8F 90 9D).
 * 1 or 0.
 */
int textenc_is_cp1252(const char *buf, size_t n);

/*
 * Windows-1252 bytes to UTF-8 (WHATWG's table: 80-9F are the Windows characters,
 * the five undefined bytes become U+0081... as browsers decode them). *out is
 * NUL-terminated, *outlen bytes, the caller's to free. 0; -1 out of memory; 1 when
 * the text holds a NUL byte (*out untouched).
 */
int textenc_cp1252_to_utf8(const char *buf, size_t n, char **out, size_t *outlen)
	__attribute__((warn_unused_result));

/*
 * Mojibake: the first place in valid UTF-8 text where characters are the
 * Windows-1252 (or Latin-1) reading of the bytes of one UTF-8 character. Only the
 * characters such a mistake makes are matched: a lead among Â..ß (C2-DF) followed
 * by the character of a continuation byte, decoding to U+00A0..U+017F ("Â£" for £,
 * "Ã©" for é, "Â " for a no-break space); â (E2) with two, decoding to
 * U+2000..U+215F ("â€™" for ’, "â€“" for –, "â‚¬" for €, "â„¢" for ™); ð (F0)
 * with three, decoding to U+1F000..U+1FAFF (emoji). So "Â" or "Ã" beside ordinary
 * text, and accented capitals before punctuation ("CAFÉ’S"), are not matched.
 * Returns 1 and fills *m when found, else 0 (also for text that is not valid UTF-8).
 */
struct textenc_mojibake {
	size_t at, len;                          /* the characters in s: s[at..at+len) */
	char meant[5];                           /* the character they were (UTF-8, NUL-terminated) */
};
int textenc_mojibake(const char *s, size_t n, struct textenc_mojibake *m);

/*
 * The person's message for mojibake in s (NUL-terminated valid UTF-8), without the
 * value: "looks like text saved in the wrong encoding: \"Â£\" is how \"£\" reads
 * when UTF-8 is opened as Windows-1252 ...". NULL when s has none; else buf.
 * len >= 320.
 */
const char *textenc_mojibake_message(const char *s, char *buf, size_t len);

#endif
