#!/usr/bin/env bash
# tests/run.sh - every suite, then one line "N passed, N failed".
#
# Usage (from the repo root, after the build): tests/run.sh UNIT_TEST_BINARY...
# Unit tests (cmocka, TAP output) run directly. API tests (pytest) run against a
# real bursard on a free loopback port and a throwaway project-local MariaDB in a
# short /tmp directory, stopped and removed on exit, Ctrl-C or failure.
# Browser tests (tests/web, node --test driving Chromium) run against their own bursards on
# their own throwaway MariaDB (the API tests stop and stall theirs); screenshots go to
# var/test-output/web/. When every suite runs (make test), the browser tests run alongside the
# unit and API tests: each suite mostly waits (on its daemons, its browser, its database), so on
# two CPUs both together take little longer than the browser tests alone. Their output is kept
# and shown after the API tests', then as it comes.
# TESTS_ONLY=unit|api|web runs one kind; PYTEST_ARGS passes options to pytest; PYTEST_PATHS
# chooses the test files (default tests/api tests/house); WEB_TESTS the browser test files.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
root=$(pwd)
passed=0
failed=0
skipped=0
dir=$(mktemp -d /tmp/bursar.XXXXXX) || exit 2

# shellcheck source=../etc/localdb.sh
source "$root/etc/localdb.sh"
web_pid=
cleanup() {
	if [ -n "$web_pid" ] && kill -0 "$web_pid" 2>/dev/null; then
		kill -TERM -- "-$web_pid" 2>/dev/null || kill -TERM "$web_pid" 2>/dev/null
		wait "$web_pid" 2>/dev/null
	fi
	localdb_stop "$dir/db" >/dev/null 2>&1
	localdb_stop "$dir/web/db" >/dev/null 2>&1
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

only=${TESTS_ONLY:-}
wants() { [ -z "$only" ] || [ "$only" = "$1" ]; }

# a throwaway MariaDB in $1 (true when it answers; else its log shown, one failure counted)
start_db() {
	mkdir -p "$(dirname "$1")"
	if LOCALDB_THROWAWAY=1 localdb_start "$1" >"$1.log" 2>&1; then
		return 0
	fi
	echo "tests: the throwaway MariaDB in $1 did not start:"
	cat "$1.log"
	failed=$((failed + 1))
	return 1
}

# the browser tests, one file at a time (each starts its own bursard and browser), against the
# MariaDB in $dir/web/db; node's junit report in $dir/web/web-junit.xml
run_web() {
	BURSAR_TEST_DIR="$dir/web" BURSAR_ROOT="$root" node --test --test-concurrency=1 \
		--test-reporter=spec --test-reporter-destination=stdout \
		--test-reporter=junit --test-reporter-destination="$dir/web/web-junit.xml" \
		${WEB_TESTS:-tests/web/*.test.mjs}
}

web_started=0
if wants web && start_db "$dir/web/db"; then
	web_started=1
	if [ -z "$only" ]; then
		# alongside the rest, in a process group of its own (set -m): Ctrl-C reaches the suite in
		# the foreground, and cleanup stops this group, its bursards and browsers with it
		echo "web: the browser tests run alongside the unit and API tests; their output follows the API tests'"
		set -m
		run_web </dev/null >"$dir/web/out" 2>&1 &
		web_pid=$!
		set +m
	fi
fi

# junit XML (pytest's, node's) -> "tests failures errors skipped"
junit_counts() {
	/usr/bin/python3 - "$1" <<'PY'
import re, sys, xml.etree.ElementTree as ET
# node's reporter copies control characters from messages into the XML as they are
text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "?", open(sys.argv[1], encoding="utf-8", errors="replace").read())
r = ET.fromstring(text)
t = f = e = s = 0
for c in r.iter("testcase"):
    t += 1
    if c.find("failure") is not None:
        f += 1
    elif c.find("error") is not None:
        e += 1
    elif c.find("skipped") is not None:
        s += 1
print(t, f, e, s)
PY
}

if wants unit; then
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
	# the fuzz targets (FUZZ_TARGETS, from make), briefly: one test each
	for t in ${FUZZ_TARGETS:-}; do
		if out=$(tests/fuzz/run.sh brief "$t" 2>&1); then
			passed=$((passed + 1))
			printf 'fuzz %-22s %s\n' "$(basename "$t")" "${out#fuzz: *: }"
		else
			failed=$((failed + 1))
			printf '%s\n' "$out" | sed "s|^|  $(basename "$t"): |"
			printf 'fuzz %-22s FAILED\n' "$(basename "$t")"
		fi
	done
fi

db_started=0
if wants api && start_db "$dir/db"; then
	db_started=1
fi

if wants api && [ "$db_started" -eq 1 ]; then
	if true; then
		# Debian's interpreter: the one python3-pytest and python3-requests belong to
		BURSAR_TEST_DIR="$dir" BURSAR_ROOT="$root" /usr/bin/python3 -m pytest ${PYTEST_PATHS:-tests/api tests/house} \
			-q -p no:cacheprovider --junitxml="$dir/junit.xml" ${PYTEST_ARGS:-}
		if [ -f "$dir/junit.xml" ]; then
			read -r t f e s < <(junit_counts "$dir/junit.xml")
			passed=$((passed + t - f - e - s))
			failed=$((failed + f + e))
			skipped=$((skipped + s))
			printf 'api  %-22s %3d passed, %d failed, %d skipped\n' pytest $((t - f - e - s)) $((f + e)) "$s"
		else
			echo "api: pytest produced no report"
			failed=$((failed + 1))
		fi
	fi
fi

if [ "$web_started" -eq 1 ]; then
	if [ -n "$web_pid" ]; then
		# what it has written so far, then the rest as it comes, until it ends
		tail -n +1 -f --pid="$web_pid" "$dir/web/out"
		wait "$web_pid"
		web_pid=
	else
		run_web
	fi
	if [ -s "$dir/web/web-junit.xml" ]; then
		read -r t f e s < <(junit_counts "$dir/web/web-junit.xml")
		if [ "$t" -eq 0 ]; then
			f=1
		fi
		passed=$((passed + t - f - e - s))
		failed=$((failed + f + e))
		skipped=$((skipped + s))
		printf 'web  %-22s %3d passed, %d failed, %d skipped\n' node-test $((t - f - e - s)) $((f + e)) "$s"
	else
		echo "web: node --test produced no report"
		failed=$((failed + 1))
	fi
fi

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
