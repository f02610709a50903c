#!/usr/bin/env bash
# tests/fuzz/run.sh - run libFuzzer targets; stops by itself.
#
#   tests/fuzz/run.sh brief TARGET...          bounded: a few thousand runs each (make test)
#   tests/fuzz/run.sh long SECONDS TARGET...   SECONDS each (make fuzz)
#
# Each target starts from its seed corpus, tests/fuzz/corpus/<name>/ (read only),
# and keeps what it finds in var/fuzz/<name>/. A crash leaves its input as
# var/fuzz/crash-<name>-*; the exit status is non-zero when any target failed.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

mode=${1:?brief or long}
shift
if [ "$mode" = long ]; then
	seconds=${1:?seconds}
	shift
	limits=(-max_total_time="$seconds")
else
	# bounded by runs (and a time cap for a loaded machine), never asserted on
	runs=${FUZZ_BRIEF_RUNS:-4000}
fi
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
rc=0
for t in "$@"; do
	name=$(basename "$t")
	work="var/fuzz/$name"
	seeds="tests/fuzz/corpus/$name"
	mkdir -p "$work"
	if [ "$mode" = brief ]; then
		# fuzz_config reads a file per run (about 2 ms): a quarter of the runs
		limits=(-runs="$([ "$name" = fuzz_config ] && echo $((runs / 4)) || echo "$runs")" -max_total_time=20)
	fi
	dirs=("$work")
	[ -d "$seeds" ] && dirs+=("$seeds")
	if ! "$t" "${limits[@]}" -max_len=4096 -timeout=10 -rss_limit_mb=1024 -print_final_stats=0 \
		-artifact_prefix="var/fuzz/crash-$name-" "${dirs[@]}" </dev/null >"var/fuzz/$name.log" 2>&1; then
		echo "fuzz: $name failed (var/fuzz/$name.log):"
		grep -E 'ERROR|SUMMARY|Test unit written|deadly signal|abort|^ *#[0-9]+ ' "var/fuzz/$name.log" | head -30
		rc=1
	else
		echo "fuzz: $name: $(grep -Eo 'Done [0-9]+ runs in [0-9]+ second\(s\)' "var/fuzz/$name.log" | tail -1)"
	fi
done
exit $rc
