#!/usr/bin/env bash
# tests/bench/bad_tokens.sh: how many requests with a wrong token reach MariaDB (issue 12,
# finding 13). A throwaway MariaDB, bursard on a free loopback port, then wrk for
# BENCH_SECONDS each with (1) one unknown token repeated and (2) a fresh random token per
# request; reports wrk's req/s and the prepared statements MariaDB executed per second
# (Com_stmt_execute). Not run by `make test`.
#
#   BURSARD=daemon/bursard  the binary to measure (e.g. an older build for "before")
#   BENCH_SECONDS=5  BENCH_CONNECTIONS=50  BENCH_WORKERS=4
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BURSARD=${BURSARD:-daemon/bursard}
BENCH_SECONDS=${BENCH_SECONDS:-5}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-50}
BENCH_WORKERS=${BENCH_WORKERS:-4}
# shellcheck source=etc/localdb.sh
source etc/localdb.sh
dir=$(mktemp -d /tmp/bursar.XXXXXX)
bpid=
cleanup() {
	[[ -n $bpid ]] && kill "$bpid" 2>/dev/null && wait "$bpid" 2>/dev/null
	localdb_stop "$dir/db" >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOCALDB_THROWAWAY=1 localdb_start "$dir/db" >/dev/null
cat >"$dir/c.conf" <<EOC
http = { address = "127.0.0.1"; port = $port; workers = $BENCH_WORKERS; };
database = { socket = "$dir/db/run/mysqld.sock"; user = "root"; name = "bursar"; auto_migrate = true; };
paths = { schema = "$ROOT/schema"; openapi = "$ROOT/daemon/openapi.json"; plugins = "$ROOT/plugins"; };
plugins = ( { name = "local"; }, { name = "central"; } );
procurement = { ocds_prefix = "ocds-xxxxxx-bursar"; };
log = { level = "warning"; access = false; };
EOC
"$BURSARD" -c "$dir/c.conf" migrate >/dev/null 2>&1
"$BURSARD" -c "$dir/c.conf" seed >/dev/null 2>&1
"$BURSARD" -c "$dir/c.conf" >"$dir/log" 2>&1 &
bpid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
execs() { localdb_client "$dir/db" -N -B -e "SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'" | cut -f2; }
cat >"$dir/random.lua" <<'EOL'
local n = 0
request = function()
  n = n + 1
  local tok = string.format("bt_%08x%08x%08x%08x%011d", math.random(0, 0x7fffffff), math.random(0, 0x7fffffff),
                            math.random(0, 0x7fffffff), math.random(0, 0x7fffffff), n)
  return wrk.format("GET", "/api/v1/schools", { ["Authorization"] = "Bearer " .. tok })
end
EOL
run() {
	local name=$1; shift
	local e0 e1 out rps
	e0=$(execs)
	out=$(wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_SECONDS}s" "$@" "http://127.0.0.1:$port/api/v1/schools")
	e1=$(execs)
	rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
	printf '%-28s %10s req/s   %8.0f statements/s reached MariaDB\n' "$name" "$rps" \
		"$(echo "($e1 - $e0) / $BENCH_SECONDS" | bc -l)"
}
echo "bursard: $BURSARD ($BENCH_WORKERS workers, wrk -t2 -c$BENCH_CONNECTIONS, ${BENCH_SECONDS}s each)"
run "one unknown token" -H "Authorization: Bearer bt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
run "a random token per request" -s "$dir/random.lua"
