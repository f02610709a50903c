#!/usr/bin/env bash
# shellcheck disable=SC2317  # cleanup runs from traps
# tests/bench/forecast.sh: the forecast engine's benchmarks (issue 7). Never part of make test.
#
#   tests/bench/forecast.sh [engine|api|all]      (default all; run `make` first)
#
# engine: the engine alone (tests/bench/forecast_engine.c, built here against the daemon's
#         objects) on synthetic trusts of 10, 100 and 1,000 schools x 60 lines x 5 and 10
#         years with the real plugins, against one money_apply_bp per line-year measured in the
#         same run; time per line-year, growth with size, peak memory.
# api:    the demo trust through the API: POST /api/v1/forecasts (the `expected` scenario, 2026-27,
#         5 years: load, run, save, read back) against the read it needs, GET
#         /api/v1/budgets/2026-27 (every entity's base budget), and GET /api/v1/forecasts/{id},
#         measured in the same run against a throwaway MariaDB; medians of BENCH_RUNS (30).
#
# Environment: BENCH_RUNS (30), BENCH_REPEAT (5: engine runs per size, best kept), BURSARD.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BURSARD=${BURSARD:-daemon/bursard}
BENCH_RUNS=${BENCH_RUNS:-30}
BENCH_REPEAT=${BENCH_REPEAT:-5}
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3
what=${1:-all}

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

objs="daemon/forecast.o daemon/forecast_digest.o daemon/forecast_drivers.o daemon/forecast_report.o daemon/forecast_price.o
      daemon/forecast_plugin.o daemon/plugin.o daemon/log.o daemon/money.o daemon/date.o"
for o in $objs plugins/local.so plugins/central.so "$BURSARD"; do
	[[ -e $o ]] || die "$o is missing: run make first"
done
dir=$(mktemp -d /tmp/bursar.XXXXXX)

if [[ $what == engine || $what == all ]]; then
	say "building the engine benchmark"
	# shellcheck disable=SC2086  # the object list is meant to split
	cc -std=c11 -D_GNU_SOURCE -O2 -Idaemon $(pkg-config --cflags libcjson) -o "$dir/forecast_engine" \
		tests/bench/forecast_engine.c $objs -lcjson -lcrypto -ldl || die "cc failed"
	echo "== the engine alone (best of $BENCH_REPEAT; ref = one money_apply_bp per line-year) =="
	"$dir/forecast_engine" "$BENCH_REPEAT" 2>/dev/null
fi

if [[ $what == api || $what == all ]]; then
	# shellcheck source=../../etc/localdb.sh
	source etc/localdb.sh
	say "starting a throwaway MariaDB in $dir"
	LOCALDB_THROWAWAY=1 localdb_start "$dir/db" >"$dir/localdb.log" 2>&1 || die "localdb_start failed"
	db_started=1
	port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	cat >"$dir/bursard.conf" <<EOF
http = { address = "127.0.0.1"; port = $port; workers = 2; };
database = { socket = "$dir/db/run/mysqld.sock"; user = "root"; name = "bursar"; auto_migrate = true; };
log = { level = "warning"; access = false; };
paths = { schema = "$ROOT/schema"; openapi = "$ROOT/daemon/openapi.json"; plugins = "$ROOT/plugins"; };
plugins = ( { name = "local"; settings = { topslice_bp = 500; }; },
            { name = "central"; settings = { retention_bp = 600; }; } );
EOF
	"$BURSARD" -c "$dir/bursard.conf" migrate >"$dir/migrate.log" 2>&1 || die "migrate failed"
	"$BURSARD" -c "$dir/bursard.conf" seed --tokens "$dir/tokens" >"$dir/seed.log" 2>&1 || die "seed failed"
	"$BURSARD" -c "$dir/bursard.conf" >"$dir/bursard.log" 2>&1 &
	bursard_pid=$!
	token=$(awk -F'\t' '$1 == "finance_director" { print $2; exit }' "$dir/tokens")
	echo "== the demo trust through the API ($BENCH_RUNS runs each, interleaved) =="
	BASE="http://127.0.0.1:$port" TOKEN="$token" RUNS="$BENCH_RUNS" PID="$bursard_pid" "$PY" - <<'PY' || die "the API benchmark failed"
import os, statistics, sys, time
import requests

base, runs = os.environ["BASE"], int(os.environ["RUNS"])
s = requests.Session()
s.headers["Authorization"] = "Bearer " + os.environ["TOKEN"]
for _ in range(100):
    try:
        if s.get(base + "/healthz", timeout=1).status_code == 200:
            break
    except requests.RequestException:
        pass
    time.sleep(0.1)
sid = [x["id"] for x in s.get(base + "/api/v1/scenarios").json()["items"] if x["name"] == "expected"][0]

def timed(method, path, **kw):
    t0 = time.perf_counter()
    r = s.request(method, base + path, timeout=30, **kw)
    ms = (time.perf_counter() - t0) * 1000
    if r.status_code not in (200, 201):
        sys.exit(f"{method} {path}: {r.status_code} {r.text[:300]}")
    return ms, r

post, ref, get, engine = [], [], [], []
body = {"scenario": sid, "base_year": "2026-27", "horizon": 5}
for i in range(runs + 3):                      # 3 warm-up rounds
    ms_p, r = timed("POST", "/api/v1/forecasts", json=body)
    f = r.json()
    ms_r, _ = timed("GET", "/api/v1/budgets/2026-27")
    ms_g, g = timed("GET", f"/api/v1/forecasts/{f['id']}")
    if i >= 3:
        post.append(ms_p); ref.append(ms_r); get.append(ms_g); engine.append(f["engine_us"] / 1000)
lines = sum(len(y.get("lines", [])) for e in f["entities"] + [f["trust"]] for y in e["years"])

def row(name, v, r):
    v = sorted(v)
    print(f"{name:44s} {statistics.median(v):9.2f} {v[int(len(v) * 0.9) - 1]:9.2f} {statistics.median(v) / r:8.2f}")

print(f"{'target':44s} {'p50 ms':>9s} {'p90 ms':>9s} {'ratio':>8s}")
r0 = statistics.median(ref)
row("GET /api/v1/budgets/2026-27 (reference)", ref, r0)
row("POST /api/v1/forecasts (demo, 5 years)", post, r0)
row("  of which the engine (engine_us)", engine, r0)
row("GET /api/v1/forecasts/{id} (JSON)", get, r0)
print(f"the run: {len(f['entities'])} entities, {lines} lines, {len(g.content)} bytes of JSON, "
      f"{len(f['warnings'])} warnings, digest {f['digest'][:16]}...")
with open(f"/proc/{os.environ['PID']}/status") as st:
    mem = {k: v for k, v in (l.split(":", 1) for l in st) if k in ("VmRSS", "VmHWM")}
print(f"bursard RSS {mem['VmRSS'].strip()} (peak {mem['VmHWM'].strip()})")
PY
fi
