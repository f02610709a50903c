#!/usr/bin/env bash
# tests/cluster/run.sh - `make test-cluster`: the local test cluster (etc/cluster/cluster.sh: three
# Galera nodes, HAProxy, two bursards) in a throwaway directory, then
#   1. API tests (a subset of tests/api: API_SUBSET below) through HAProxy (tests/api/conftest.py's
#      cluster mode),
#   2. the cross-instance tests (tests/cluster/test_two_instances.py),
#   3. the fault tests (tests/cluster/fault_*.py, when present: they kill nodes, so they run last),
# and one line "N passed, N failed". The cluster is stopped and the directory removed on any exit.
# PYTEST_ARGS passes options to every pytest run; CLUSTER_PARTS=api,two,faults chooses the parts;
# CLUSTER_API_PATHS=all (or paths) the API tests; CLUSTER_KEEP=1 leaves the directory (logs) behind.
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
	/usr/bin/python3 "$root/tests/junit_counts.py" "$1"
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

# The API tests through HAProxy: not all of tests/api (it would take most of the ten minutes), but
# the files that exercise what differs when two instances share one database: people and their
# sessions and tokens (a cache per worker and instance), idempotency keys (claimed in the database),
# If-Match writes of each kind (versions in the database, a 412 whoever wrote first), the imports and
# the large forecast save (long transactions, Galera's write-sets), the cached reads (a school, the
# feed) and the audit trail they are revalidated against, Galera's own rules, readiness. What the
# rest checks (validation, calculations, exports, transport abuse) is one instance's code, the same
# on either. CLUSTER_API_PATHS=all runs every file; any other value: those paths.
API_SUBSET=(
	test_auth test_people test_audit_tokens
	test_idempotency
	test_suppliers test_schools test_budgets test_budgets_flow test_contracts_workflow test_services
	test_subscriptions test_posts test_profiles test_indices test_scenarios test_years test_monitoring
	test_ledger
	test_actuals_import test_budgets_import test_staff_io
	test_forecasts_large test_forecast_runs
	test_feed test_pricing
	test_galera_rules test_ops
)
case ${CLUSTER_API_PATHS:-} in
'') api_paths=("${API_SUBSET[@]/#/tests/api/}"); api_paths=("${api_paths[@]/%/.py}") ;;
all) api_paths=(tests/api) ;;
*) read -r -a api_paths <<< "$CLUSTER_API_PATHS" ;;
esac

# The bursards run with cache.refresh_ms 250 (bursard's default) throughout: HAProxy sends one
# person's requests to one instance (etc/cluster/haproxy.cfg.in), and what one person writes shows
# to another person on the other instance within that bound (the API tests that read another
# role's write at once allow for it: tests/api/conftest.py's CLUSTER_READ_BOUND_S).
# instances: which instance HAProxy sends each seeded role's token to (its hash of the token: a new
# arrangement with each cluster's random tokens), and how many requests each has served so far
instances() {
	local url role tok _label where="" served
	url=$(sed -n 's/^CLUSTER_URL=//p' "$dir/cluster.env")
	while IFS=$'\t' read -r role tok _label; do
		where+="$role $(curl -s -m 15 -o /dev/null -D - -H "Authorization: Bearer $tok" "$url/api/v1/me" |
			tr -d '\r' | sed -n 's/^[Xx]-[Ss]erved-[Bb]y: //p'), "
	done < "$dir/tokens"
	served=$(etc/cluster/cluster.sh servers "$dir" | awk '$1 == "bursards" { printf "%s%s %s", sep, $2, $5; sep = ", " }')
	echo "cluster: the seeded roles on: ${where%, }; requests served: $served"
}

t0=$SECONDS
if CLUSTER_REFRESH_MS=250 etc/cluster/cluster.sh start "$dir"; then
	echo "cluster: started in $((SECONDS - t0)) s"
	etc/cluster/cluster.sh status "$dir"
	instances
	if wants api; then
		t1=$SECONDS
		run_pytest api "${api_paths[@]}"
		echo "cluster: the API suite took $((SECONDS - t1)) s"
		instances
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
