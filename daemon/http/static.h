/*
 * static.h - the web app's files (paths.web, built from daemon/web/ into dist/),
 * read into memory once and served at / with the headers a browser app needs.
 *
 * A site is every regular file under the directory (dot-files, symlinks and
 * anything else skipped), with its precompressed siblings NAME.gz and NAME.br,
 * each variant with a strong ETag over its bytes. It is built on the main thread
 * (at start and at SIGHUP), never changed afterwards, and shared read-only by the
 * workers; it is reference-counted (atomic) because a reply being written holds
 * a reference to the bytes it sends (they are sent without a copy).
 *
 * Serving (static_serve), for GET and HEAD of a path outside the API:
 *  - "/" and any path whose last segment has no dot (the app's own routes) get
 *    index.html, "Cache-Control: no-cache";
 *  - a file whose name carries a build hash (name-HASH.ext, HASH 8 or more of
 *    [A-Z0-9]) gets "public, max-age=31536000, immutable", any other "no-cache";
 *  - the .br or .gz variant when Accept-Encoding allows it (br first), always
 *    with "Vary: Accept-Encoding"; 304 when If-None-Match matches the variant's ETag;
 *  - every reply, including the problems, carries the web app's security
 *    headers (a strict Content-Security-Policy, nosniff, Referrer-Policy);
 *  - a path with "..", ".", "\", NUL or an empty segment, escaped or not, is
 *    refused (400); a missing file with a dot is 404. Only files read at load
 *    time are ever served: nothing is opened per request.
 */
#ifndef BURSAR_STATIC_H
#define BURSAR_STATIC_H

#include <stddef.h>

struct problem;
struct req;
struct static_site;

/* The limits of what a site may hold (the app is a few dozen files). */
#define STATIC_MAX_FILES 2048
#define STATIC_MAX_BYTES (64u << 20)
#define STATIC_MAX_DEPTH 8

/*
 * Read every file under dir. A missing or empty directory gives an empty site
 * (logged: the daemon serves its API without the app). NULL on a read error,
 * out of memory or a limit passed (logged). refs = 1.
 */
struct static_site *static_site_load(const char *dir) __attribute__((warn_unused_result));
struct static_site *static_site_ref(struct static_site *s);   /* returns s; NULL ok */
void static_site_unref(struct static_site *s);                /* frees at zero; NULL ok */
/* How many files (not counting the .gz/.br variants) the site holds. */
size_t static_site_count(const struct static_site *s);

/*
 * Whether a path is one the web app may answer: GET or HEAD outside /api/.
 * (The dispatcher asks only when no API route matches.)
 */
int static_wants(unsigned method, const char *path);
/*
 * Serve r from the site (NULL: an empty one). 0 when replied; -1 with the
 * problem set (400, 404), the security headers already added.
 */
int static_serve(struct static_site *s, struct req *r, struct problem *p)
	__attribute__((warn_unused_result));

/* Pure helpers, exposed for the unit tests. */
/* The decoded path (NUL-terminated into out, "/" kept) when it is safe; -1 if not. */
int static_path_clean(const char *raw, char *out, size_t outlen) __attribute__((warn_unused_result));
/* Whether an Accept-Encoding value allows coding ("gzip", "br"): q=0 refuses, "*" allows. */
int static_accepts(const char *accept_encoding, const char *coding);
/* Whether a file name (last segment) carries a build hash: name-HASH.ext. */
int static_name_hashed(const char *name);
/* The Content-Type for a file name (by extension). */
const char *static_content_type(const char *name);

#endif
