#!/usr/bin/env bash
# tests/run.sh - every suite, then one line "N passed, N failed".
#
# Usage (from the repo root, after the build): tests/run.sh UNIT_TEST_BINARY...
# Unit tests (cmocka, TAP output) run directly. API tests (pytest) run against a
# real bursard on a free loopback port and a throwaway project-local MariaDB in a
# short /tmp directory, stopped and removed on exit, Ctrl-C or failure.
# TESTS_ONLY=unit|api runs one kind; PYTEST_ARGS passes options to pytest; PYTEST_PATHS
# chooses the test files (default tests/api tests/house).
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
root=$(pwd)
passed=0
failed=0
skipped=0
dir=$(mktemp -d /tmp/bursar.XXXXXX) || exit 2

# shellcheck source=../etc/localdb.sh
source "$root/etc/localdb.sh"
cleanup() {
	localdb_stop "$dir/db" >/dev/null 2>&1
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${TESTS_ONLY:-unit}" != api ]; then
	for t in "$@"; do
		out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1)
		rc=$?
		ok=$(printf '%s\n' "$out" | grep -c '^ok ')
		nok=$(printf '%s\n' "$out" | grep -c '^not ok ')
		if [ "$rc" -ne 0 ] && [ "$nok" -eq 0 ]; then
			nok=1                       # crashed or failed outside a test
		fi
		passed=$((passed + ok))
		failed=$((failed + nok))
		if [ "$nok" -ne 0 ]; then
			printf '%s\n' "$out" | grep -v '^ok ' | sed "s|^|  $(basename "$t"): |"
		fi
		printf 'unit %-22s %3d passed, %d failed\n' "$(basename "$t")" "$ok" "$nok"
	done
fi

if [ "${TESTS_ONLY:-api}" != unit ]; then
	if LOCALDB_THROWAWAY=1 localdb_start "$dir/db" >"$dir/localdb.log" 2>&1; then
		# Debian's interpreter: the one python3-pytest and python3-requests belong to
		BURSAR_TEST_DIR="$dir" BURSAR_ROOT="$root" /usr/bin/python3 -m pytest ${PYTEST_PATHS:-tests/api tests/house} \
			-q -p no:cacheprovider --junitxml="$dir/junit.xml" ${PYTEST_ARGS:-}
		if [ -f "$dir/junit.xml" ]; then
			read -r t f e s < <(/usr/bin/python3 - "$dir/junit.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
suites = [r] if r.tag == "testsuite" else r.findall("testsuite")
tot = [sum(int(x.get(k, 0)) for x in suites) for k in ("tests", "failures", "errors", "skipped")]
print(*tot)
PY
			)
			passed=$((passed + t - f - e - s))
			failed=$((failed + f + e))
			skipped=$((skipped + s))
			printf 'api  %-22s %3d passed, %d failed, %d skipped\n' pytest $((t - f - e - s)) $((f + e)) "$s"
		else
			echo "api: pytest produced no report"
			failed=$((failed + 1))
		fi
	else
		echo "api: the throwaway MariaDB did not start:"
		cat "$dir/localdb.log"
		failed=$((failed + 1))
	fi
fi

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
