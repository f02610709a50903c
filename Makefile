# bursar - see README.md. `make run` and `make test` are the two commands.

# Debian packages the project needs: the one list (make deps installs what is missing).
DEB_PACKAGES = build-essential pkg-config libevent-dev libmariadb-dev libconfig-dev libcjson-dev \
	libcsv-dev libssl-dev libsodium-dev mariadb-server mariadb-client libcmocka-dev python3 python3-pytest \
	python3-requests python3-jsonschema python3-fastjsonschema wrk curl chromium clang \
	libxlsxwriter-dev libzip-dev libexpat1-dev python3-openpyxl libreoffice-calc-nogui libgmp-dev \
	galera-4 mariadb-backup socat haproxy iproute2
# Node.js and npm build the web app: Debian's, installed only when the machine has
# none (a machine may carry its own newer Node.js, whose npm is built in).
DEB_NODE_PACKAGES = nodejs npm

PKGS = libevent libevent_pthreads libmariadb libconfig libcjson libcrypto libsodium xlsxwriter libzip expat
CC ?= cc
WARN = -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wshadow -Wpedantic
CFLAGS ?= -O2 -g
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(LAYER_PKG) -MMD -MP
# -lgmp: core/price.c's exact contract prices (products of 20+ indexation factors)
LIBS = $(PKG_LIBS) -lcsv -lgmp -lpthread -ldl -lm

# Layers, bottom up. Each folder of daemon/ is compiled with the include paths of
# itself and the layers below it only, so a header from a layer above is a build
# error (tests/layers.sh shows it). plugins/ holds the plugin ABI headers.
#   core    pure: money, dates, validation, allocation, procurement, budgets, forecasts
#   base    the process-wide services every layer above core uses: config, log, bearer secrets
#   plugin  the finance-rule plugin registry and the core's views of it
#   store   all SQL: connections, migrations, audit, one store_<aggregate>.c per aggregate
#   http    requests and replies, routing, caches, metrics
#   api     the request pipeline and the handlers
#   daemon/ the process: main, command line, worker threads
LAYERS = core base plugin store http api
INC_core = -iquote plugins -iquote daemon/core
INC_base = $(INC_core) -iquote daemon/base
INC_plugin = $(INC_base) -iquote daemon/plugin
INC_store = $(INC_base) -iquote daemon/store
INC_http = $(INC_base) -iquote daemon/http
INC_api = $(INC_plugin) -iquote daemon/store -iquote daemon/http -iquote daemon/api
INC_daemon = $(INC_api) -iquote daemon
# what each layer's archive needs below it, in link order
BELOW_core =
BELOW_base = daemon/core/libcore.a
BELOW_plugin = daemon/base/libbase.a $(BELOW_base)
BELOW_store = daemon/base/libbase.a $(BELOW_base)
BELOW_http = daemon/base/libbase.a $(BELOW_base)
BELOW_api = daemon/plugin/libplugin.a daemon/store/libstore.a daemon/http/libhttp.a $(BELOW_plugin)

$(foreach l,$(LAYERS),$(eval SRC_$(l) := $(wildcard daemon/$(l)/*.c)))
$(foreach l,$(LAYERS),$(eval OBJ_$(l) := $(SRC_$(l):.c=.o)))
$(foreach l,$(LAYERS),$(eval daemon/$(l)/%.o: LAYER_INC = $(INC_$(l))))
# the libraries' headers a layer may include: core sees libc, cJSON and GMP (gmp.h is on the
# default include path; price.c alone uses it) only
PKG_core := $(shell pkg-config --cflags libcjson 2>/dev/null)
$(foreach l,$(LAYERS),$(eval PKG_$(l) ?= $(PKG_CFLAGS)))
PKG_daemon = $(PKG_CFLAGS)
$(foreach l,$(LAYERS),$(eval daemon/$(l)/%.o: LAYER_PKG = $(PKG_$(l))))
PROC_SRC = $(wildcard daemon/*.c)
PROC_OBJ = $(PROC_SRC:.c=.o)
$(PROC_OBJ): LAYER_INC = $(INC_daemon)
$(PROC_OBJ): LAYER_PKG = $(PKG_daemon)
LAYER_LIBS = $(foreach l,$(LAYERS),daemon/$(l)/lib$(l).a)
DAEMON_OBJ = $(foreach l,$(LAYERS),$(OBJ_$(l)))
PLUGIN_SO = $(patsubst plugins/%.c,plugins/%.so,$(wildcard plugins/*.c))

# Unit tests: tests/unit/test_<module>.c tests daemon/<layer>/<module>.c and links
# that layer's archive and the archives below it (a core module's test: core alone).
UNIT_TESTS = $(patsubst tests/unit/%.c,tests/unit/%,$(wildcard tests/unit/test_*.c))
# A test named for no module says its layer here.
UNIT_LAYER_plugin_loader = plugin
unit_layer = $(or $(UNIT_LAYER_$(1)),$(firstword $(foreach l,$(LAYERS),$(if $(wildcard daemon/$(l)/$(1).c),$(l))) core))
unit_libs = daemon/$(call unit_layer,$(1))/lib$(call unit_layer,$(1)).a $(BELOW_$(call unit_layer,$(1)))

OBJ = $(DAEMON_OBJ) $(PROC_OBJ) $(UNIT_TESTS:=.o) tests/bench/bare.o
DEP = $(OBJ:.o=.d)

.PHONY: all deps layer-flags run test test-cluster unit api web web-test sanitize tsan bench fuzz clean distclean

all: daemon/bursard $(LAYER_LIBS) $(PLUGIN_SO) web

# The web app (daemon/web): npm ci when node_modules is missing or the lock file
# changed (npm writes node_modules/.package-lock.json), then the build when a
# source, the build's own files or the API contract changed. Output: daemon/web/dist.
WEB = daemon/web
WEB_NPM = $(WEB)/node_modules/.package-lock.json
WEB_SRC = $(shell find $(WEB)/src -type f ! -name schema.d.ts 2>/dev/null) $(WEB)/build.mjs \
	$(WEB)/tsconfig.json daemon/openapi.json
web: $(WEB)/dist/index.html
$(WEB_NPM): $(WEB)/package.json $(WEB)/package-lock.json
	@printf '  NPM     %s\n' 'npm ci ($(WEB))'
	@cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@
$(WEB)/dist/index.html: $(WEB_NPM) $(WEB_SRC)
	@cd $(WEB) && node build.mjs

daemon/bursard: $(PROC_OBJ) $(DAEMON_OBJ)
	@printf '  LD      %s\n' $@
	@$(CC) $(LDFLAGS) -rdynamic -o $@ $^ $(LIBS)

%.o: %.c
	@printf '  CC      %s\n' $@
	@$(CC) $(ALL_CFLAGS) $(LAYER_INC) $(CPPFLAGS) -c -o $@ $<

$(foreach l,$(LAYERS),$(eval daemon/$(l)/lib$(l).a: $(OBJ_$(l))))
daemon/%.a:
	@printf '  AR      %s\n' $@
	@rm -f $@ && $(AR) rcs $@ $^

# A plugin includes the ABI headers (bursar_plugin.h, bursar_arith.h) alone; the
# bundled ones also share rules.h (their settings and text helpers).
plugins/%.so: plugins/%.c plugins/bursar_plugin.h plugins/bursar_arith.h
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

tests/unit/%.o: LAYER_INC = $(INC_api)
tests/unit/%.o tests/bench/%.o: LAYER_PKG = $(PKG_CFLAGS)
tests/unit/%.o: ALL_CFLAGS += $(shell pkg-config --cflags cmocka 2>/dev/null)
.SECONDEXPANSION:
tests/unit/test_%: tests/unit/test_%.o $$(call unit_libs,$$*)
	@printf '  LD      %s\n' $@
	@$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(shell pkg-config --libs cmocka 2>/dev/null)

tests/bench/bare: tests/bench/bare.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# make layer-flags LAYER=core: the flags a file of that layer is compiled with
# (tests/house/test_layers.py compiles a wrong #include with them and expects it to fail).
layer-flags:
	@echo $(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(PKG_$(LAYER)) $(INC_$(LAYER))

# deps: install what is missing; a no-op when everything is present.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then missing="$$missing $(DEB_NODE_PACKAGES)"; fi; \
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

# the build with a job per CPU, unless make was given -j (CI runs a plain `make test`)
test: deps
	@case " $(MAKEFLAGS) " in *" -j"*) jobs= ;; *) jobs=-j$$(nproc 2>/dev/null || echo 2) ;; esac; \
	$(MAKE) --no-print-directory $$jobs all $(UNIT_TESTS) $(FUZZ_TARGETS)
	@FUZZ_TARGETS="$(FUZZ_TARGETS)" tests/run.sh $(UNIT_TESTS)

unit: all $(UNIT_TESTS)
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS)
	@FUZZ_TARGETS="$(FUZZ_TARGETS)" TESTS_ONLY=unit tests/run.sh $(UNIT_TESTS)

api: all $(UNIT_TESTS)
	@TESTS_ONLY=api tests/run.sh $(UNIT_TESTS)

# The local test cluster (etc/cluster: three Galera nodes, HAProxy, two bursards): the API suite
# through HAProxy, the cross-instance tests, then the fault tests (tests/cluster/run.sh).
test-cluster: deps
	@$(MAKE) --no-print-directory all $(TEST_PLUGIN_SO)
	@tests/cluster/run.sh

# The browser tests alone (tests/web: Chromium driven by playwright-core).
web-test: all
	@TESTS_ONLY=web tests/run.sh

# ASan + UBSan build of everything, then every suite.
sanitize: deps
	$(MAKE) clean
	$(MAKE) test CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
		LDFLAGS="-fsanitize=address,undefined"

# ThreadSanitizer build of everything, then every suite, the API daemons with 3
# workers; any ThreadSanitizer report fails it (tests/tsan.sh).
tsan: deps
	$(MAKE) clean
	$(MAKE) all $(UNIT_TESTS) CFLAGS="-O1 -g -fsanitize=thread -fno-omit-frame-pointer" LDFLAGS="-fsanitize=thread"
	@tests/tsan.sh $(UNIT_TESTS)

bench: deps
	@$(MAKE) --no-print-directory all tests/bench/bare
	@tests/bench/run.sh
	@tests/bench/forecast.sh all
	@tests/bench/budget.sh
	@tests/bench/staffing.sh
	@tests/bench/monitoring.sh
	@tests/bench/staff_reads.sh

# libFuzzer (clang): everything that reads untrusted input, one target each
# (tests/fuzz/*.c say what they check). The daemon's sources are built again with
# clang and the sanitizers into tests/fuzz/obj (incrementally); `make test` runs
# each target briefly (tests/fuzz/run.sh brief: bounded runs from the seed corpus
# in tests/fuzz/corpus), `make fuzz` for FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_OBJ = tests/fuzz/obj
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer $(INC_api) -iquote tests/fuzz $(PKG_CFLAGS)
FUZZ_SAN = -fsanitize=fuzzer-no-link,address,undefined
FUZZ_LINK = -fsanitize=fuzzer,address,undefined
fuzz_objs = $(patsubst %.c,$(FUZZ_OBJ)/%.o,$(1))
FUZZ_CORE = $(call fuzz_objs,$(SRC_core))
FUZZ_BASE = $(call fuzz_objs,$(SRC_base))
FUZZ_HTTP = $(call fuzz_objs,$(SRC_http) daemon/api/routes.c) $(FUZZ_OBJ)/route_stubs.o
FUZZ_TABLES = $(foreach k,0 1 2 3 4 5 6 7 8 9 10 11 12,$(FUZZ_OBJ)/tables_$(k).o)
FUZZ_TARGETS = $(addprefix tests/fuzz/,fuzz_parse fuzz_budget_csv fuzz_http fuzz_config fuzz_bodies fuzz_reqhead fuzz_xlsx fuzz_ledger_sheet)

$(FUZZ_OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	@printf '  FUZZCC  %s\n' $@
	@$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -MMD -MP -c -o $@ $<
# the route table's handlers, which the router fuzzer never calls
$(FUZZ_OBJ)/route_stubs.c: daemon/api/routes.c
	@mkdir -p $(dir $@)
	@{ echo 'struct req; struct problem;'; \
	  sed -n 's/^[[:space:]]*{ HM_[A-Z]*, "[^"]*", \([a-z_0-9]*\),.*/\1/p' $< | sort -u | \
	  awk '{ printf "int %s(struct req *r, struct problem *p);\nint %s(struct req *r, struct problem *p) { (void)r; (void)p; return -1; }\n", $$1, $$1 }'; } > $@
$(FUZZ_OBJ)/route_stubs.o: $(FUZZ_OBJ)/route_stubs.c
	@$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -c -o $@ $<
# the handlers' body tables: each handler file once, uninstrumented, for its data
$(FUZZ_OBJ)/tables_%.o: tests/fuzz/fuzz_tables.c tests/fuzz/fuzz_tables.h daemon/api/*.c
	@mkdir -p $(dir $@)
	@printf '  FUZZCC  %s\n' $@
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -w -O0 -ffunction-sections -fdata-sections -DFUZZ_T=$* -c -o $@ $<

tests/fuzz/fuzz_parse: $(FUZZ_OBJ)/tests/fuzz/fuzz_parse.o $(FUZZ_CORE)
tests/fuzz/fuzz_budget_csv: $(FUZZ_OBJ)/tests/fuzz/fuzz_budget_csv.o $(FUZZ_CORE)
tests/fuzz/fuzz_config: $(FUZZ_OBJ)/tests/fuzz/fuzz_config.o $(FUZZ_BASE) $(FUZZ_CORE)
tests/fuzz/fuzz_http: $(FUZZ_OBJ)/tests/fuzz/fuzz_http.o $(FUZZ_HTTP) $(FUZZ_BASE) $(FUZZ_CORE)
tests/fuzz/fuzz_bodies: $(FUZZ_OBJ)/tests/fuzz/fuzz_bodies.o $(FUZZ_TABLES) $(FUZZ_CORE)
tests/fuzz/fuzz_reqhead: $(FUZZ_OBJ)/tests/fuzz/fuzz_reqhead.o $(FUZZ_OBJ)/daemon/http/reqhead.o
tests/fuzz/fuzz_xlsx: $(FUZZ_OBJ)/tests/fuzz/fuzz_xlsx.o $(FUZZ_BASE) $(FUZZ_CORE)
tests/fuzz/fuzz_ledger_sheet: $(FUZZ_OBJ)/tests/fuzz/fuzz_ledger_sheet.o $(FUZZ_CORE)
$(FUZZ_TARGETS):
	@printf '  FUZZLD  %s\n' $@
	@$(FUZZ_CC) $(FUZZ_LINK) -Wl,--gc-sections -o $@ $^ $(PKG_LIBS) -lcsv -lgmp -lpthread -ldl -lm

fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS)
	@tests/fuzz/run.sh long $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	rm -f daemon/*.o daemon/*.d daemon/*/*.o daemon/*/*.d daemon/*/*.a daemon/bursard plugins/*.so plugins/*.d tests/unit/*.o tests/unit/*.d tests/unit/plugins/*.so \
		$(UNIT_TESTS) tests/bench/*.o tests/bench/*.d tests/bench/bare $(FUZZ_TARGETS)
	rm -rf $(FUZZ_OBJ)
	rm -rf tests/api/__pycache__ tests/api/.pytest_cache $(WEB)/dist $(WEB)/build-report.json $(WEB)/src/api/schema.d.ts

distclean: clean
	@if [ -f var/db/run/mysqld.pid ]; then etc/localdb.sh stop var/db; fi
	rm -rf var $(WEB)/node_modules

-include $(DEP)
-include $(shell find $(FUZZ_OBJ) -name '*.d' 2>/dev/null)
