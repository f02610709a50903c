#!/usr/bin/env bash
# tests/tsan.sh - tests/run.sh on a ThreadSanitizer build, the API tests' daemons
# with 3 workers; fails if ThreadSanitizer reports anything, in any process (a
# unit test, a bursard the tests started, a bursard subcommand).
#
# Usage (from the repo root, after a -fsanitize=thread build; `make tsan` does both):
#   tests/tsan.sh UNIT_TEST_BINARY...     (TESTS_ONLY and PYTEST_ARGS as for run.sh)
# Every report goes to var/tsan/report.<pid> (TSAN_OPTIONS log_path), which survives
# tests/run.sh removing its throwaway directory; the first report stops that process
# with exit status 66 (halt_on_error), so the test that caused it fails too. The
# suppressions in tests/tsan.supp are for proven false positives in system libraries
# only, each with its reason.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
root=$(pwd)
reports="$root/var/tsan"
rm -rf "$reports"
mkdir -p "$reports" || exit 2

export BURSAR_TEST_WORKERS="${BURSAR_TEST_WORKERS:-3}"
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 log_path=$reports/report suppressions=$root/tests/tsan.supp ${TSAN_OPTIONS:-}"
tests/run.sh "$@"
rc=$?

# any report file at all is a failure: a data race, a lock-order inversion, a
# signal-unsafe call, a thread leak...
if compgen -G "$reports/report.*" >/dev/null; then
	for f in "$reports"/report.*; do
		printf '=== %s\n' "$f"
		cat "$f"
	done
	n=$(cat "$reports"/report.* | grep -c "WARNING: ThreadSanitizer")
	echo "tsan: ThreadSanitizer reported $n warning(s) in $(find "$reports" -name 'report.*' | wc -l) process(es)"
	exit 1
fi
echo "tsan: no ThreadSanitizer reports (http.workers = $BURSAR_TEST_WORKERS)"
exit "$rc"
