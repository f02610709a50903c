#!/usr/bin/env bash
# shellcheck disable=SC2317  # cleanup runs from traps
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
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BURSARD=${BURSARD:-daemon/bursard}
RUNS=${BENCH_STAFF_RUNS:-15}
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3

say() { printf 'bench: %s\n' "$*" >&2; }

dir=
bursard_pid=
db_started=0
die() {
	say "error: $*"
	[[ -n $dir && -s $dir/bursard.log ]] && tail -n 20 "$dir/bursard.log" >&2
	exit 1
}
alive() {
	local state
	state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null || true)
	[[ -n $state && $state != Z ]]
}
cleanup() {
	if [[ -n $bursard_pid ]] && alive "$bursard_pid"; then
		kill -TERM "$bursard_pid" 2>/dev/null || true
		wait "$bursard_pid" 2>/dev/null || true
	fi
	if ((db_started)); then
		localdb_stop "$dir/db" || say "localdb_stop failed"
	fi
	[[ -n $dir && -d $dir ]] && rm -rf -- "$dir"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[[ $RUNS =~ ^[0-9]+$ ]] && ((RUNS >= 1 && RUNS <= 100)) || die "BENCH_STAFF_RUNS must be 1 to 100 (got '$RUNS')"
[[ -x $BURSARD ]] || die "$BURSARD is missing: run make first"
dir=$(mktemp -d /tmp/bursar.XXXXXX)
# shellcheck source=../../etc/localdb.sh
source etc/localdb.sh
say "starting a throwaway MariaDB in $dir"
LOCALDB_THROWAWAY=1 localdb_start "$dir/db" >"$dir/localdb.log" 2>&1 || die "localdb_start failed"
db_started=1
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$dir/bursard.conf" <<CONF
http = { address = "127.0.0.1"; port = $port; workers = 2; };
database = { socket = "$dir/db/run/mysqld.sock"; user = "root"; name = "bursar"; auto_migrate = true; };
log = { level = "warning"; access = false; };
paths = { schema = "$ROOT/schema"; openapi = "$ROOT/daemon/openapi.json"; plugins = "$ROOT/plugins"; };
procurement = { ocds_prefix = "ocds-xxxxxx-bursar"; };
plugins = ( { name = "local"; settings = { topslice_bp = 500; }; },
            { name = "central"; settings = { retention_bp = 600; }; } );
CONF
"$BURSARD" -c "$dir/bursard.conf" migrate >"$dir/migrate.log" 2>&1 || die "migrate failed"
"$BURSARD" -c "$dir/bursard.conf" seed --tokens "$dir/tokens" >"$dir/seed.log" 2>&1 || die "seed failed"
"$BURSARD" -c "$dir/bursard.conf" >"$dir/bursard.log" 2>&1 &
bursard_pid=$!
token=$(awk -F'\t' '$1 == "finance_director" { print $2; exit }' "$dir/tokens")
echo "== posts and the reads around them (medians of $RUNS requests after a warm-up) =="
"$PY" tests/bench/staff_reads.py "http://127.0.0.1:$port" "$token" "$dir/db/run/mysqld.sock" "$RUNS" ||
	die "the staff reads benchmark failed"
