# bursar - see README.md. `make run` and `make test` are the two commands.

# Debian packages the project needs: the one list (make deps installs what is missing).
DEB_PACKAGES = build-essential pkg-config libevent-dev libmariadb-dev libconfig-dev libcjson-dev \
	libcsv-dev libssl-dev mariadb-server mariadb-client libcmocka-dev python3 python3-pytest \
	python3-requests python3-jsonschema wrk curl

PKGS = libevent libevent_pthreads libmariadb libconfig libcjson libcrypto
CC ?= cc
WARN = -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wshadow -Wpedantic
CFLAGS ?= -O2 -g
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP
LIBS = $(PKG_LIBS) -lcsv -lpthread -ldl -lm

DAEMON_SRC = $(filter-out daemon/main.c,$(wildcard daemon/*.c))
DAEMON_OBJ = $(DAEMON_SRC:.c=.o)
MAIN_OBJ = daemon/main.o
PLUGIN_SO = $(patsubst plugins/%.c,plugins/%.so,$(wildcard plugins/*.c))

# Unit tests: tests/unit/test_<module>.c links daemon/<module>.c and what the
# module needs, listed here (pure modules need nothing else).
UNIT_TESTS = $(patsubst tests/unit/%.c,tests/unit/%,$(wildcard tests/unit/test_*.c))
UNIT_DEPS_money = daemon/money.o
UNIT_DEPS_date = daemon/date.o
UNIT_DEPS_problem = daemon/problem.o
UNIT_DEPS_config = daemon/config.o daemon/config_ints.o daemon/log.o daemon/date.o
UNIT_DEPS_router = daemon/router.o
UNIT_DEPS_jsonout = daemon/jsonout.o daemon/jsonv.o daemon/problem.o daemon/date.o daemon/utf8.o
UNIT_DEPS_jsonv = daemon/jsonv.o daemon/problem.o daemon/date.o daemon/utf8.o
UNIT_DEPS_page = daemon/page.o daemon/date.o daemon/problem.o
UNIT_DEPS_token = daemon/token.o
UNIT_DEPS_budget = daemon/budget.o daemon/money.o
UNIT_DEPS_budget_csv = daemon/budget_csv.o daemon/budget.o daemon/money.o daemon/problem.o daemon/utf8.o
UNIT_DEPS_plugin_loader = daemon/plugin.o daemon/log.o
UNIT_DEPS_procure = daemon/procure.o daemon/money.o daemon/date.o
UNIT_DEPS_forecast = daemon/forecast.o daemon/forecast_digest.o daemon/forecast_drivers.o daemon/forecast_report.o daemon/forecast_explain.o daemon/forecast_price.o \
	daemon/forecast_mem.o daemon/forecast_rules.o \
	daemon/money.o daemon/date.o daemon/jsonv.o daemon/problem.o daemon/utf8.o daemon/strbuf.o
UNIT_DEPS_scenario = daemon/scenario.o daemon/jsonv.o daemon/problem.o daemon/date.o daemon/utf8.o
UNIT_DEPS_alloc = daemon/alloc.o daemon/money.o
UNIT_DEPS_service = daemon/service.o daemon/alloc.o daemon/procure.o daemon/money.o daemon/date.o

OBJ = $(DAEMON_OBJ) $(MAIN_OBJ) $(UNIT_TESTS:=.o) tests/bench/bare.o
DEP = $(OBJ:.o=.d)

.PHONY: all deps run test unit api sanitize bench fuzz clean distclean

all: daemon/bursard $(PLUGIN_SO)

daemon/bursard: $(MAIN_OBJ) $(DAEMON_OBJ)
	@printf '  LD      %s\n' $@
	@$(CC) $(LDFLAGS) -rdynamic -o $@ $^ $(LIBS)

%.o: %.c
	@printf '  CC      %s\n' $@
	@$(CC) $(ALL_CFLAGS) $(CPPFLAGS) -c -o $@ $<

plugins/%.so: plugins/%.c plugins/bursar_plugin.h
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -fPIC -shared -fvisibility=hidden -Iplugins -o $@ $< $(LDFLAGS)
$(PLUGIN_SO): plugins/rules.h

# Plugins the loader tests build (several deliberately broken), against
# plugins/bursar_plugin.h alone: -Iplugins, nothing from daemon/, no _GNU_SOURCE.
TEST_PLUGIN_SO = $(patsubst %.c,%.so,$(wildcard tests/unit/plugins/*.c))
tests/unit/plugins/%.so: tests/unit/plugins/%.c plugins/bursar_plugin.h
	@printf '  CC      %s\n' $@
	@$(CC) -std=c11 $(WARN) $(CFLAGS) -fPIC -shared -fvisibility=hidden -Iplugins -o $@ $< $(LDFLAGS)
# order-only: the tests dlopen these, they do not link them
tests/unit/test_plugin_loader: | $(TEST_PLUGIN_SO)
tests/unit/test_plugin_local: | plugins/local.so
tests/unit/test_plugin_central: | plugins/central.so

tests/unit/%.o: ALL_CFLAGS += -Idaemon $(shell pkg-config --cflags cmocka 2>/dev/null)
.SECONDEXPANSION:
tests/unit/test_%: tests/unit/test_%.o $$(UNIT_DEPS_$$*)
	@printf '  LD      %s\n' $@
	@$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(shell pkg-config --libs cmocka 2>/dev/null)

tests/bench/bare: tests/bench/bare.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# deps: install what is missing; a no-op when everything is present.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" -eq 0 ]; then \
		echo "deps: installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	else \
		echo "deps: missing Debian packages. Run:"; \
		echo "  sudo apt-get update && sudo apt-get install -y" $$missing; \
		exit 1; \
	fi

run: deps
	@$(MAKE) --no-print-directory all
	@etc/dev-run.sh

test: deps
	@$(MAKE) --no-print-directory all $(UNIT_TESTS)
	@tests/run.sh $(UNIT_TESTS)

unit: all $(UNIT_TESTS)
	@TESTS_ONLY=unit tests/run.sh $(UNIT_TESTS)

api: all $(UNIT_TESTS)
	@TESTS_ONLY=api tests/run.sh $(UNIT_TESTS)

# ASan + UBSan build of everything, then every suite.
sanitize: deps
	$(MAKE) clean
	$(MAKE) test CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
		LDFLAGS="-fsanitize=address,undefined"

bench: deps
	@$(MAKE) --no-print-directory all tests/bench/bare
	@tests/bench/run.sh
	@tests/bench/forecast.sh all

# libFuzzer (clang): the parsers of untrusted input; stops by itself.
FUZZ_SECONDS ?= 60
FUZZ_SRC = daemon/money.c daemon/date.c daemon/jsonv.c daemon/page.c daemon/problem.c daemon/utf8.c
fuzz: deps
	@command -v clang >/dev/null || { echo 'fuzz: needs clang (apt-get install clang)'; exit 1; }
	@mkdir -p var/fuzz-corpus
	clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Idaemon \
		$(PKG_CFLAGS) -o tests/fuzz/fuzz_parse tests/fuzz/fuzz_parse.c $(FUZZ_SRC) -lcjson -lm
	tests/fuzz/fuzz_parse -max_total_time=$(FUZZ_SECONDS) -max_len=4096 var/fuzz-corpus
	@mkdir -p var/fuzz-csv-corpus
	clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Idaemon \
		$(PKG_CFLAGS) -o tests/fuzz/fuzz_budget_csv tests/fuzz/fuzz_budget_csv.c daemon/budget_csv.c \
		daemon/budget.c daemon/money.c daemon/problem.c daemon/utf8.c -lcsv -lcjson -lm
	tests/fuzz/fuzz_budget_csv -max_total_time=$(FUZZ_SECONDS) -max_len=4096 var/fuzz-csv-corpus

clean:
	rm -f daemon/*.o daemon/*.d daemon/bursard plugins/*.so plugins/*.d tests/unit/*.o tests/unit/*.d tests/unit/plugins/*.so \
		$(UNIT_TESTS) tests/bench/*.o tests/bench/*.d tests/bench/bare tests/fuzz/fuzz_parse tests/fuzz/fuzz_budget_csv
	rm -rf tests/api/__pycache__ tests/api/.pytest_cache

distclean: clean
	@if [ -f var/db/run/mysqld.pid ]; then etc/localdb.sh stop var/db; fi
	rm -rf var

-include $(DEP)
