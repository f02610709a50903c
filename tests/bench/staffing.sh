#!/usr/bin/env bash
# tests/bench/staffing.sh: the staffing costing alone (issue 16): synthetic trusts of 100, 250,
# 500 and 1,000 schools x 60 posts, every post costed month by month for 11 years with
# staff_cost_trust a year (tests/bench/staffing.c, built here against daemon/core/libcore.a):
# time per booked post-month, total ms, growth per doubling, and a reference measured in the same
# runs (one money_muldiv_round per post-month). Never part of make test.
#
#   tests/bench/staffing.sh            (run `make` first; `make bench` runs it)
#
# Environment: BENCH_REPEAT (5: rounds, each size's best kept).
# shellcheck source=bench_db.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench_db.sh"
BENCH_REPEAT=${BENCH_REPEAT:-5}

lib=daemon/core/libcore.a
[[ -e $lib ]] || die "$lib is missing: run make first"
bench_dir

say "building the staffing benchmark"
cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -iquote plugins -iquote daemon/core -o "$dir/staffing" \
	tests/bench/staffing.c "$lib" -lm || die "cc failed"
echo "== staffing by post: the costing alone (best of $BENCH_REPEAT rounds; ref = one money_muldiv_round per post-month) =="
"$dir/staffing" "$BENCH_REPEAT"
