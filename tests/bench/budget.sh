#!/usr/bin/env bash
# tests/bench/budget.sh: importing budgets of 1,000, 10,000 and 20,000 lines (issue 14, item 5):
# new, unchanged, every amount changed, one amount changed, every line new; time and bursard's
# peak memory per step against MariaDB's own multi-row INSERT of the same rows and against the
# 1k case (tests/bench/budget_import.py). A throwaway MariaDB and the demo trust; never part of
# make test; exits non-zero only when the run cannot be made.
#
#   tests/bench/budget.sh            (run `make` first; `make bench` runs it)
#
# Environment: BENCH_BUDGET_RUNS (3: medians of that many rounds after a warm-up), BURSARD.
# shellcheck source=bench_db.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench_db.sh"
RUNS=${BENCH_BUDGET_RUNS:-3}

[[ $RUNS =~ ^[0-9]+$ ]] && ((RUNS >= 1 && RUNS <= 25)) || die "BENCH_BUDGET_RUNS must be 1 to 25 (got '$RUNS')"
[[ -x $BURSARD ]] || die "$BURSARD is missing: run make first"
bench_dir
bench_demo
echo "== budget imports (CSV PUT; medians of $RUNS rounds after a warm-up; peak = VmHWM during the step) =="
"$PY" tests/bench/budget_import.py "$base" "$token" "$bursard_pid" "$sock" "$RUNS" ||
	die "the budget import benchmark failed"
