#!/usr/bin/env bash
# tests/bench/monitoring.sh: monitoring and the BFR for a 100-school trust (issue 17,
# ISSUE17_CONTRACT section 6). A throwaway MariaDB, a fresh database with the synthetic trust of
# the forecast benchmark (tests/bench/synth_trust.py 100: 100 schools and the central team, each
# with a 2026-27 budget of 60 lines, and the scenario `synthetic`), one bursard on it; then
#   1. ledger: a year of actuals imported (tests/bench/monitoring_bench.py): a synthetic ledger
#      mapping through the API, then POST /actuals/import of 60 codes x 12 months x 100 schools
#      (72,000 rows) for 2026-27, first into the empty year, again (everything replaced) and as
#      XLSX; time, rows/s, bursard's peak RSS (VmHWM) per step, against MariaDB's own multi-row
#      INSERT of the same cells (the reference tests/bench/budget.sh uses);
#   2. the hook below (bfr: build the BFR on the same daemon and data).
# Never part of make test; exits non-zero only when the run cannot be made.
#
#   tests/bench/monitoring.sh        (run `make` first; `make bench` runs it)
#
# Environment: BENCH_MON_RUNS (3: medians of that many re-imports), BURSARD.
#
# HOOK (for bfr): add a step after "step 2" at the end of this file. When it runs, bursard is up
# at "http://127.0.0.1:$port" (pid $bursard_pid) on database $db of the MariaDB at socket $sock,
# $token is a finance_director token, and 2026-27 holds a year of actuals (every month, every
# school, 51 accounts). Write it like step 1: a Python script given "$base" "$token"
# "$bursard_pid" "$sock" "$db" "$RUNS", which may `from monitoring_bench import make_mapping,
# ledger_csv, import_year, reset_peak` to import another year (e.g. 2025-26 for B-2) on the same
# mapping (make_mapping is idempotent: existing codes are kept), and `from benchlib import
# memory_kb` for the peak (reset_peak(pid) before the step, memory_kb(pid)[1] after). For a
# forecast run: the scenario is the one GET /api/v1/scenarios lists (`synthetic`).
# shellcheck source=bench_db.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench_db.sh"
RUNS=${BENCH_MON_RUNS:-3}

[[ $RUNS =~ ^[0-9]+$ ]] && ((RUNS >= 1 && RUNS <= 25)) || die "BENCH_MON_RUNS must be 1 to 25 (got '$RUNS')"
[[ -x $BURSARD ]] || die "$BURSARD is missing: run make first"
bench_dir
bench_db_start
db=bench_monitoring
bench_conf "$db" "max_csv_body_bytes = 67108864;"
mariadb --no-defaults -S "$sock" -uroot -e "CREATE DATABASE $db CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" ||
	die "cannot create the database"
bench_migrate
{ cat schema/seed/010_accounts.sql; "$PY" tests/bench/synth_trust.py 100; } |
	mariadb --no-defaults -S "$sock" -uroot "$db" || die "loading the synthetic trust failed"
token=$("$BURSARD" -c "$dir/bursard.conf" token create --role finance_director --label bench 2>/dev/null) ||
	die "token create failed"
bench_start
cd tests/bench

# ---- step 1 (ledger): a year of actuals ----
echo "== monitoring: a year of actuals for 100 schools (POST /actuals/import; medians of $RUNS re-imports; peak = VmHWM during the step) =="
"$PY" monitoring_bench.py "$base" "$token" "$bursard_pid" "$sock" "$db" "$RUNS" ||
	die "the actuals import benchmark failed"

# ---- step 2 (bfr): build the BFR (see HOOK at the top) ----
echo "== bfr: the BFR of budget year 2027-28 (GET /bfr as JSON, CSV, XLSX; B-2's actuals imported first) =="
"$PY" bfr_bench.py "$base" "$token" "$bursard_pid" "$sock" "$db" "$RUNS" ||
	die "the BFR benchmark failed"
