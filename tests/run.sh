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
# unit and API tests, in WEB_GROUPS (default 2) groups of files, each group one file at a time on
# a MariaDB of its own: each suite mostly waits (on its daemons, its browser, its database), so
# on two CPUs they all take little longer than the largest group alone. Their output is kept and
# shown after the API tests', group by group, then as it comes.
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
web_pids=()   # the browser test groups running alongside, each a process group of its own
web_dirs=()   # their directories ($dir/webN: its MariaDB in db/, its output, its junit report)
cleanup() {
	local p w
	for p in "${web_pids[@]}"; do
		if kill -0 "$p" 2>/dev/null; then
			kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null
		fi
	done
	for p in "${web_pids[@]}"; do
		wait "$p" 2>/dev/null
	done
	localdb_stop "$dir/db" >/dev/null 2>&1
	for w in "${web_dirs[@]}"; do
		localdb_stop "$w/db" >/dev/null 2>&1
	done
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

# browser test files $2... in $1 groups of about the same size, one group a line (none empty):
# the largest file first, each to the group with the fewest bytes so far (a file's size stands
# for its running time; the same files make the same groups)
web_groups() {
	/usr/bin/python3 - "$@" <<'PY'
import os, sys
n, files = int(sys.argv[1]), sys.argv[2:]
groups, size = [[] for _ in range(max(n, 1))], [0] * max(n, 1)
for f in sorted(files, key=lambda f: (-os.path.getsize(f), f)):
    i = size.index(min(size))
    groups[i].append(f)
    size[i] += os.path.getsize(f)
for g in groups:
    if g:
        print(" ".join(sorted(g)))
PY
}

# browser test files $2..., one at a time (each starts its own bursard and browser), against
# the MariaDB in $1/db; node's junit report in $1/web-junit.xml
run_web() {
	local w=$1
	shift
	BURSAR_TEST_DIR="$w" BURSAR_ROOT="$root" node --test --test-concurrency=1 \
		--test-reporter=spec --test-reporter-destination=stdout \
		--test-reporter=junit --test-reporter-destination="$w/web-junit.xml" "$@"
}

# shellcheck disable=SC2206 # WEB_TESTS is a list of files (or patterns) separated by spaces
web_files=(${WEB_TESTS:-tests/web/*.test.mjs})
web_groups_of=()  # each group's files (alongside)
web_names=()      # the file names of each group started
if wants web; then
	if [ -z "$only" ]; then
		# alongside the rest, each group in a process group of its own (set -m): Ctrl-C reaches
		# the suite in the foreground, and cleanup stops the groups, their bursards and browsers
		mapfile -t web_groups_of < <(web_groups "${WEB_GROUPS:-2}" "${web_files[@]}")
		echo "web: the browser tests run alongside the unit and API tests in ${#web_groups_of[@]} groups, each on its own MariaDB; their output follows the API tests'"
		for k in "${!web_groups_of[@]}"; do
			w="$dir/web$((k + 1))"
			start_db "$w/db" || continue
			web_dirs+=("$w")
			set -m
			# shellcheck disable=SC2086 # the group's files, separated by spaces (also below)
			run_web "$w" ${web_groups_of[$k]} </dev/null >"$w/out" 2>&1 &
			web_pids+=($!)
			web_names+=("$(basename -a ${web_groups_of[$k]} | tr '\n' ' ')")
			set +m
		done
	elif start_db "$dir/web1/db"; then
		web_dirs+=("$dir/web1")
	fi
fi

# junit XML (pytest's, node's) -> "tests failures errors skipped"
junit_counts() {
	/usr/bin/python3 "$root/tests/junit_counts.py" "$1"
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

if [ "${#web_dirs[@]}" -gt 0 ]; then
	if [ "${#web_pids[@]}" -gt 0 ]; then
		for i in "${!web_pids[@]}"; do
			# what the group has written so far, then the rest as it comes, until it ends
			echo "web: group $((i + 1)) of ${#web_pids[@]}: ${web_names[$i]}"
			tail -n +1 -f --pid="${web_pids[$i]}" "${web_dirs[$i]}/out"
			wait "${web_pids[$i]}"
		done
		web_pids=()
	else
		run_web "${web_dirs[0]}" "${web_files[@]}"
	fi
	t=0 f=0 e=0 s=0 reports=0
	for w in "${web_dirs[@]}"; do
		if [ -s "$w/web-junit.xml" ]; then
			read -r t1 f1 e1 s1 < <(junit_counts "$w/web-junit.xml")
			t=$((t + t1)) f=$((f + f1)) e=$((e + e1)) s=$((s + s1)) reports=$((reports + 1))
		else
			echo "web: node --test produced no report ($(basename "$w"))"
			failed=$((failed + 1))
		fi
	done
	if [ "$reports" -gt 0 ]; then
		if [ "$t" -eq 0 ]; then
			f=1
		fi
		passed=$((passed + t - f - e - s))
		failed=$((failed + f + e))
		skipped=$((skipped + s))
		printf 'web  %-22s %3d passed, %d failed, %d skipped\n' node-test $((t - f - e - s)) $((f + e)) "$s"
	fi
fi

if [ "$failed" -gt 0 ]; then
	# the failures again, with the start of each message, where the end of the output is
	echo "failed:"
	reports=()
	for r in "$dir/junit.xml" "${web_dirs[@]/%//web-junit.xml}"; do
		if [ -s "$r" ]; then
			reports+=("$r")
		fi
	done
	if [ "${#reports[@]}" -gt 0 ]; then
		/usr/bin/python3 "$root/tests/junit_counts.py" --failures "${reports[@]}"
	fi
fi
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
