#!/usr/bin/env bash
# tests/bench/staff_reads.sh: what posts cost the reads and writes around them (issue 16, item 3):
# a budget GET of a school and of the central team with the demo's posts, with ten times as many
# and with none; POST /api/v1/forecasts with and without posts; a posts import of 60 rows (new,
# then unchanged), its time and the SELECTs MariaDB ran for it (tests/bench/staff_reads.py). A
# throwaway MariaDB and the demo trust; never part of make test; exits non-zero only when the run
# cannot be made.
#
#   tests/bench/staff_reads.sh            (run `make` first; `make bench` runs it)
#
# Environment: BENCH_STAFF_RUNS (15: medians of that many requests after a warm-up), BURSARD.
# shellcheck source=bench_db.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench_db.sh"
RUNS=${BENCH_STAFF_RUNS:-15}

[[ $RUNS =~ ^[0-9]+$ ]] && ((RUNS >= 1 && RUNS <= 100)) || die "BENCH_STAFF_RUNS must be 1 to 100 (got '$RUNS')"
[[ -x $BURSARD ]] || die "$BURSARD is missing: run make first"
bench_dir
bench_demo
echo "== posts and the reads around them (medians of $RUNS requests after a warm-up) =="
"$PY" tests/bench/staff_reads.py "$base" "$token" "$sock" "$RUNS" ||
	die "the staff reads benchmark failed"
