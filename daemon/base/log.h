/*
 * log.h - syslog-priority logging to stderr (journald picks it up), one line per
 * call, with a "module: " prefix written by the caller. Thread-safe: each call is
 * one write(2). Never log passwords, tokens or request bodies.
 */
#ifndef BURSAR_LOG_H
#define BURSAR_LOG_H

#include <stddef.h>
#include <syslog.h>

void log_set_level(int prio);                /* messages above prio are dropped; any thread, any time (atomic) */
int log_level_parse(const char *name);       /* "debug".."err" -> LOG_*, -1 if unknown */
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Copy in to out (outlen > 0; always NUL-terminated, truncated to fit) with every
 * control character escaped: C0 bytes and DEL as \xNN, the C1 controls (UTF-8
 * C2 80..C2 9F, which terminals read as ESC sequences) as \u00NN. Everything else,
 * UTF-8 included, is copied as it is. log_msg escapes every message this way, so a
 * request line with CR or LF cannot forge a log line; the command line uses it for
 * what it prints of stored text (token labels). Returns out.
 */
char *log_escape(const char *in, char *out, size_t outlen);

#define log_err(...)     log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)    log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...)  log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)    log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)   log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
