#!/usr/bin/env bash
# tests/bench/forecast.sh: the forecast engine's benchmarks (issue 7). Never part of make test.
#
#   tests/bench/forecast.sh [engine|api|all]      (default all; run `make` first)
#
# engine: the engine alone (tests/bench/forecast_engine.c, built here against the daemon's
#         objects) on synthetic trusts (60 lines a school, three of them `services` lines with
#         costs, and a traded service with no line) with the real plugins, against one
#         money_apply_bp per line-year measured in the same runs: 10, 100 and 1,000 schools x
#         5 and 10 years (time per line-year, growth with size, peak memory), then the issue's
#         targets: 125 to 2,000 schools x 60 x 10 with each doubling's time ratio (at most
#         2.2x), lines 30 -> 60 and years 5 -> 10 at 1,000 schools, 1,000 x 60 x 10 under
#         100 ms. Every run is cold (the memory freed before goes back to the system first);
#         the sizes take turns, best of BENCH_REPEAT rounds (and 1,000 x 60 x 10's median);
#         then 1,000 x 60 x 10 warm, cold without transparent huge pages, and what a fresh
#         4 KB page costs on the machine at that moment.
# api:    against a throwaway MariaDB: the demo trust (tests/bench/forecast_demo.py: POST
#         /api/v1/forecasts, the `expected` scenario, 2026-27, 5 years: load, run, save, reply
#         with the summary; against the read it needs, GET /api/v1/budgets/2026-27, and the run
#         read back; medians of BENCH_RUNS), then synthetic trusts of 10, 100 and 1,000
#         schools x 60 lines x 5 and 10 years, each in a database of its own
#         (tests/bench/forecast_synth.py, data from tests/bench/synth_trust.py): time per
#         line-year, growth with size, bursard's peak memory.
#
# Environment: BENCH_RUNS (30), BENCH_SYNTH_RUNS (3), BENCH_REPEAT (5: engine rounds, each
# size's best kept), BURSARD.
# shellcheck source=bench_db.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench_db.sh"
BENCH_RUNS=${BENCH_RUNS:-30}
BENCH_REPEAT=${BENCH_REPEAT:-5}
BENCH_SYNTH_RUNS=${BENCH_SYNTH_RUNS:-3}
what=${1:-all}

# the plugin layer and what it stands on (the layers' archives, built by make)
objs="daemon/plugin/libplugin.a daemon/base/libbase.a daemon/core/libcore.a"
for o in $objs plugins/local.so plugins/central.so "$BURSARD"; do
	[[ -e $o ]] || die "$o is missing: run make first"
done
bench_dir

if [[ $what == engine || $what == all ]]; then
	say "building the engine benchmark"
	# shellcheck disable=SC2086,SC2046  # the object list and the flags are meant to split
	cc -std=c11 -D_GNU_SOURCE -O2 -Iplugins -Idaemon/core -Idaemon/base -Idaemon/plugin $(pkg-config --cflags libcjson) -o "$dir/forecast_engine" \
		tests/bench/forecast_engine.c $objs -lcjson -lcrypto -ldl -lm || die "cc failed"
	echo "== the engine alone (cold runs, best of $BENCH_REPEAT rounds; ref = one money_apply_bp per line-year) =="
	"$dir/forecast_engine" "$BENCH_REPEAT" 2>/dev/null
fi

if [[ $what == api || $what == all ]]; then
	bench_demo
	echo "== the demo trust through the API ($BENCH_RUNS runs each, interleaved) =="
	"$PY" tests/bench/forecast_demo.py "$base" "$token" "$bursard_pid" "$BENCH_RUNS" ||
		die "the demo trust's API benchmark failed"
	bench_stop
	echo "== synthetic trusts through the API (a database each; median of $BENCH_SYNTH_RUNS runs after a warm-up) =="
	"$PY" tests/bench/forecast_synth.py "$BURSARD" "$ROOT" "$sock" "$dir" "$BENCH_SYNTH_RUNS" ||
		die "the synthetic trusts' API benchmark failed"
fi
