# shellcheck shell=bash
# shellcheck disable=SC2034,SC2317  # the variables are the sourcing script's; cleanup runs from traps
# tests/bench/bench_db.sh: what the benchmarks share (monitoring.sh, staff_reads.sh, budget.sh,
# forecast.sh; staffing.sh its first lines): sourced, never run. Sourcing it sets -euo pipefail and
# LC_ALL=C, goes to the repository's root (ROOT), sets BURSARD (the environment's, else
# daemon/bursard) and PY, and installs the EXIT/INT/TERM traps that stop what the functions below
# started (bursard, the MariaDB) and remove $dir. Then:
#
#   say MSG...          "bench: MSG" on stderr
#   die MSG...          say "error: MSG" (and bursard.log's tail, when there is one) and exit 1
#   bench_dir           dir: a fresh /tmp/bursar.XXXXXX, removed on exit
#   bench_db_start      a throwaway MariaDB in $dir/db (sock: its socket), and a free loopback port
#                       (port, base: http://127.0.0.1:$port)
#   bench_conf [DB [HTTP]]  $dir/bursard.conf: bursard on $port with 2 workers on database DB
#                       (bursar), HTTP more settings of the http group (e.g. "max_csv_body_bytes = 1;")
#   bench_migrate       bursard migrate
#   bench_seed          bursard seed (the demo trust); token: its finance_director's token
#   bench_start         bursard in the background (bursard_pid), its log $dir/bursard.log
#   bench_stop          bursard stopped (bursard_pid emptied)
#   bench_demo          the demo trust up: bench_db_start, bench_conf, bench_migrate, bench_seed, bench_start
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BURSARD=${BURSARD:-daemon/bursard}
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3

dir=
bursard_pid=
db_started=0

say() { printf 'bench: %s\n' "$*" >&2; }

die() {
	say "error: $*"
	[[ -n $dir && -s $dir/bursard.log ]] && tail -n 20 "$dir/bursard.log" >&2
	exit 1
}

bench_alive() {
	local state
	state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null || true)
	[[ -n $state && $state != Z ]]
}

bench_stop() {
	if [[ -n $bursard_pid ]] && bench_alive "$bursard_pid"; then
		kill -TERM "$bursard_pid" 2>/dev/null || true
		wait "$bursard_pid" 2>/dev/null || true
	fi
	bursard_pid=
}

bench_cleanup() {
	bench_stop
	if ((db_started)); then
		localdb_stop "$dir/db" || say "localdb_stop failed"
	fi
	[[ -n $dir && -d $dir ]] && rm -rf -- "$dir"
	return 0
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bench_dir() {
	dir=$(mktemp -d /tmp/bursar.XXXXXX)
}

bench_db_start() {
	# shellcheck source=../../etc/localdb.sh
	source etc/localdb.sh
	say "starting a throwaway MariaDB in $dir"
	LOCALDB_THROWAWAY=1 localdb_start "$dir/db" >"$dir/localdb.log" 2>&1 || die "localdb_start failed"
	db_started=1
	sock="$dir/db/run/mysqld.sock"
	port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	base="http://127.0.0.1:$port"
}

bench_conf() {
	local name=${1:-bursar} http=${2:+ $2}

	cat >"$dir/bursard.conf" <<CONF
http = { address = "127.0.0.1"; port = $port; workers = 2;$http };
database = { socket = "$sock"; user = "root"; name = "$name"; auto_migrate = true; };
log = { level = "warning"; access = false; };
paths = { schema = "$ROOT/schema"; openapi = "$ROOT/daemon/openapi.json"; plugins = "$ROOT/plugins"; };
procurement = { ocds_prefix = "ocds-xxxxxx-bursar"; };
plugins = ( { name = "local"; settings = { topslice_bp = 500; }; },
            { name = "central"; settings = { retention_bp = 600; }; } );
CONF
}

bench_migrate() {
	"$BURSARD" -c "$dir/bursard.conf" migrate >"$dir/migrate.log" 2>&1 || die "migrate failed"
}

bench_seed() {
	"$BURSARD" -c "$dir/bursard.conf" seed --tokens "$dir/tokens" >"$dir/seed.log" 2>&1 || die "seed failed"
	token=$(awk -F'\t' '$1 == "finance_director" { print $2; exit }' "$dir/tokens")
}

bench_start() {
	"$BURSARD" -c "$dir/bursard.conf" >"$dir/bursard.log" 2>&1 &
	bursard_pid=$!
}

bench_demo() {
	bench_db_start
	bench_conf bursar
	bench_migrate
	bench_seed
	bench_start
}
