/* log.c - see log.h */
#include "log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/*
 * Written by the main thread (start-up, SIGHUP reload), read by every worker on
 * every call: an atomic, relaxed (a worker may see a new level a little late;
 * nothing else is ordered by it).
 */
static atomic_int log_threshold = LOG_INFO;

static const struct {
	const char *name;
	int prio;
} log_levels[] = {
	{ "err", LOG_ERR }, { "error", LOG_ERR }, { "warning", LOG_WARNING },
	{ "notice", LOG_NOTICE }, { "info", LOG_INFO }, { "debug", LOG_DEBUG },
};

void log_set_level(int prio)
{
	atomic_store_explicit(&log_threshold, prio, memory_order_relaxed);
}

int log_level_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++)
		if (strcasecmp(name, log_levels[i].name) == 0)
			return log_levels[i].prio;
	return -1;
}

char *log_escape(const char *in, char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)in;
	size_t n = 0;

	for (; *s != '\0'; s++) {
		char esc[8];
		size_t len = 0;

		if (*s < 0x20 || *s == 0x7f) {
			esc[len++] = '\\';
			esc[len++] = 'x';
			esc[len++] = hex[*s >> 4];
			esc[len++] = hex[*s & 15];
		} else if (*s == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) {
			memcpy(esc, "\\u00", 4);
			len = 4;
			s++;
			esc[len++] = hex[*s >> 4];
			esc[len++] = hex[*s & 15];
		} else {
			esc[len++] = (char)*s;
		}
		if (n + len >= outlen)
			break;
		memcpy(out + n, esc, len);
		n += len;
	}
	out[n] = '\0';
	return out;
}

void log_msg(int prio, const char *fmt, ...)
{
	static const char *const tags[] = { "emerg", "alert", "crit", "error",
					    "warning", "notice", "info", "debug" };
	char line[2048], msg[2048];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n, m;

	if (prio > atomic_load_explicit(&log_threshold, memory_order_relaxed))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = snprintf(line, sizeof(line), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ <%s> ",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		     tm.tm_sec, ts.tv_nsec / 1000000, tags[prio & 7]);
	va_start(ap, fmt);
	m = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (m < 0)
		msg[0] = '\0';
	/* no CR, LF or ESC of a request (or anything else) reaches the log raw */
	log_escape(msg, line + n, sizeof(line) - (size_t)n - 1);
	n += (int)strlen(line + n);
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	/* one write: lines from several threads never interleave */
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}
