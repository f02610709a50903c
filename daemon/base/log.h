/*
 * log.h - syslog-priority logging to stderr (journald picks it up), one line per
 * call, with a "module: " prefix written by the caller. Thread-safe: each call is
 * one write(2). Never log passwords, tokens or request bodies.
 */
#ifndef BURSAR_LOG_H
#define BURSAR_LOG_H

#include <syslog.h>

void log_set_level(int prio);                /* messages above prio are dropped; any thread, any time (atomic) */
int log_level_parse(const char *name);       /* "debug".."err" -> LOG_*, -1 if unknown */
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...)     log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)    log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...)  log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)    log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)   log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
