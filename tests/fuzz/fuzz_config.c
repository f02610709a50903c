/*
 * fuzz_config.c - libFuzzer target for the config loader (daemon/base/config.c):
 * any file must be either refused with a message that names the file, or give a
 * snapshot whose values are within their documented ranges.
 *
 * libconfig (not instrumented) parses; our table-driven reading, the range and
 * cross checks and the plugin groups are what is fuzzed. The input goes to a
 * memfd, read through /proc/self/fd (no file on disk). A seed corpus is in
 * tests/fuzz/corpus/config.
 *
 * Build and run: make fuzz (clang); make test runs it briefly (tests/fuzz/run.sh).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[512];
	struct cfg *c;
	int fd = memfd_create("fuzz.conf", MFD_CLOEXEC);

	/* no @include or password_file of a device or /proc: they could block or loop */
	if (fd < 0 || memmem(data, size, "@include", 8) != NULL || memmem(data, size, "/dev", 4) != NULL ||
	    memmem(data, size, "/proc", 5) != NULL || memmem(data, size, "/sys", 4) != NULL) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	err[0] = '\0';
	c = cfg_load(path, err, sizeof(err));
	if (c == NULL) {
		if (err[0] == '\0')
			abort();                 /* refused without a reason */
	} else {
		if (c->http_port < 0 || c->http_port > 65535 || c->http_workers < 1 || c->http_workers > 64 ||
		    c->http_max_body > c->http_max_csv_body || c->http_max_budget_body < c->http_max_body ||
		    c->http_max_budget_body > c->http_max_csv_body || c->nplugins > CFG_MAX_PLUGINS ||
		    c->refs != 1)
			abort();
		for (size_t i = 0; i < c->nplugins; i++)
			if (c->plugins[i].name == NULL || c->plugins[i].nsettings > CFG_MAX_SETTINGS)
				abort();
		cfg_unref(c);
	}
	close(fd);
	return 0;
}
