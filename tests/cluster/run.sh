#!/usr/bin/env bash
# tests/cluster/run.sh - `make test-cluster`: the local test cluster (etc/cluster/cluster.sh: three
# Galera nodes, HAProxy, two bursards) in a throwaway directory, then
#   1. the API suite (tests/api) through HAProxy (tests/api/conftest.py's cluster mode),
#   2. the cross-instance tests (tests/cluster/test_two_instances.py),
#   3. the fault tests (tests/cluster/fault_*.py, when present: they kill nodes, so they run last),
# and one line "N passed, N failed". The cluster is stopped and the directory removed on any exit.
# PYTEST_ARGS passes options to every pytest run; CLUSTER_PARTS=api,two,faults chooses the parts;
# CLUSTER_KEEP=1 leaves the directory (logs) behind.
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 2
root=$(pwd)
passed=0
failed=0
skipped=0
dir=$(mktemp -d /tmp/bc.XXXXXX) || exit 2
parts=${CLUSTER_PARTS:-api,two,faults}

cleanup() {
	etc/cluster/cluster.sh stop "$dir" >/dev/null 2>&1 || etc/cluster/cluster.sh stop "$dir"
	if [[ ${CLUSTER_KEEP:-0} == 1 ]]; then
		echo "cluster: logs kept in $dir"
	else
		rm -rf "$dir"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wants() { [[ ,$parts, == *,$1,* ]]; }

# junit XML -> "tests failures errors skipped"
junit_counts() {
	/usr/bin/python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
t = f = e = s = 0
for c in ET.parse(sys.argv[1]).getroot().iter("testcase"):
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

# run_pytest NAME ARGS...: one pytest run against the cluster, counted
run_pytest() {
	local name=$1 t f e s
	shift
	mkdir -p "$dir/$name"
	BURSAR_CLUSTER_ENV="$dir/cluster.env" CLUSTER_ENV="$dir/cluster.env" CLUSTER_DIR="$dir" \
		BURSAR_TEST_DIR="$dir/$name" BURSAR_ROOT="$root" \
		/usr/bin/python3 -m pytest "$@" -q -p no:cacheprovider --junitxml="$dir/$name/junit.xml" ${PYTEST_ARGS:-}
	if [[ -f $dir/$name/junit.xml ]]; then
		read -r t f e s < <(junit_counts "$dir/$name/junit.xml")
		passed=$((passed + t - f - e - s))
		failed=$((failed + f + e))
		skipped=$((skipped + s))
		printf 'cluster %-10s %3d passed, %d failed, %d skipped\n' "$name" $((t - f - e - s)) $((f + e)) "$s"
	else
		echo "cluster $name: pytest produced no report"
		failed=$((failed + 1))
	fi
}

# refresh_ms: the bursards' cache.refresh_ms. The API suite writes through one instance and reads
# back through the other at once (a single instance drops its caches after its own writes), so it
# runs with 0: every request revalidates against the audit log. The cross-instance and fault
# tests run with bursard's default, 250 ms: what one instance's write takes to show on the other.
restart_bursards() {
	local i
	for i in 1 2; do
		etc/cluster/cluster.sh kill-bursard "$i" "$dir" &&
			CLUSTER_REFRESH_MS=$1 etc/cluster/cluster.sh start-bursard "$i" "$dir" || return 1
	done
	# HAProxy sees both up again (rise 2, inter 1 s)
	sleep 3
}

t0=$SECONDS
if CLUSTER_REFRESH_MS=0 etc/cluster/cluster.sh start "$dir"; then
	echo "cluster: started in $((SECONDS - t0)) s"
	etc/cluster/cluster.sh status "$dir"
	if wants api; then
		t1=$SECONDS
		run_pytest api ${CLUSTER_API_PATHS:-tests/api}
		echo "cluster: the API suite took $((SECONDS - t1)) s"
	fi
	if ! restart_bursards 250; then
		echo "cluster: the bursards did not restart with cache.refresh_ms = 250"
		failed=$((failed + 1))
	fi
	if wants two; then
		run_pytest two tests/cluster/test_two_instances.py
	fi
	if wants faults; then
		faults=(tests/cluster/fault_*.py)
		if [[ -e ${faults[0]} ]]; then
			run_pytest faults -s "${faults[@]}"
		fi
	fi
else
	echo "cluster: did not start"
	failed=$((failed + 1))
fi

if [[ $skipped -gt 0 ]]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[[ $failed -eq 0 ]]
