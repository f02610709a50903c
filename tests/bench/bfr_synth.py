#!/usr/bin/python3
"""tests/bench/bfr_synth.py: build the BFR of a synthetic trust through the API (issue 17,
ISSUE17_CONTRACT section 6): N schools (tests/bench/synth_trust.py: 60 approved 2026-27 lines
each, the `synthetic` scenario), a year of actuals for B-2 (2025-26) and for B-1 (2026-27) on
every school's 60 codes x 12 months (written by SQL: the import is timed by the ledger's part),
September-November 2026 closed, a run (base year 2026-27, horizon 3) published, then GET
/api/v1/bfr/2027-28?run= as JSON, CSV and XLSX: medians of RUNS after a warm-up, reply sizes,
bursard's peak RSS. Run by tests/bench/monitoring.sh, which starts the throwaway MariaDB; never
part of make test. Only 127.0.0.1; the bursard it starts is stopped before it returns.

usage: bfr_synth.py BURSARD ROOT SOCKET WORKDIR [RUNS]
environment: BENCH_BFR_SCHOOLS (100)."""
import os
import subprocess
import sys
import time

import requests

from benchlib import free_port, memory_kb, p50, wait_healthy

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sql(sock, db, text):
    subprocess.run(["mariadb", "--no-defaults", "-S", sock, "-uroot"] + ([db] if db else []),
                   input=text.encode(), check=True)


def actuals_sql(year):
    """Every school's and the central team's accounts (60 codes where the chart has them) x 12
    months: a deterministic amount per cell (pence), in the direction of the account's kind."""
    return (f"INSERT INTO actuals (school_id, year, month, kind, account_id, amount_pence) "
            f"SELECT s.id, {year}, m.n, 'actual', a.id, 100000 + ((s.id * 7919 + a.id * 104729 + m.n * 13) % 5000000) "
            "FROM schools s CROSS JOIN (SELECT id FROM accounts WHERE is_internal = 0 ORDER BY id LIMIT 60) a "
            "CROSS JOIN (SELECT 1 n UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5 UNION SELECT 6 "
            "UNION SELECT 7 UNION SELECT 8 UNION SELECT 9 UNION SELECT 10 UNION SELECT 11 UNION SELECT 12) m;\n")


def main():
    bursard, root, sock, work = sys.argv[1:5]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 5
    n = int(os.environ.get("BENCH_BFR_SCHOOLS", "100"))
    db = f"bench_bfr_{n}"
    port = free_port()
    conf = os.path.join(work, f"bfr{n}.conf")
    with open(conf, "w") as f:
        f.write(f'''http = {{ address = "127.0.0.1"; port = {port}; workers = 2; }};
database = {{ socket = "{sock}"; user = "root"; name = "{db}"; auto_migrate = true; }};
log = {{ level = "warning"; access = false; }};
paths = {{ schema = "{root}/schema"; openapi = "{root}/daemon/openapi.json"; plugins = "{root}/plugins"; }};
procurement = {{ ocds_prefix = "ocds-xxxxxx-bursar"; }};
plugins = ( {{ name = "local"; settings = {{ topslice_bp = 500; }}; }},
            {{ name = "central"; settings = {{ retention_bp = 600; }}; }} );
''')
    sql(sock, None, f"DROP DATABASE IF EXISTS {db}; CREATE DATABASE {db} CHARACTER SET utf8mb4 "
                    "COLLATE utf8mb4_unicode_ci;")
    subprocess.run([bursard, "-c", conf, "migrate"], check=True, capture_output=True)
    synth = subprocess.run([sys.executable, os.path.join(root, "tests/bench/synth_trust.py"), str(n)],
                           check=True, capture_output=True).stdout.decode()
    seed = ""
    for name in ("010_accounts.sql", "014_account_bfr.sql"):
        with open(os.path.join(root, "schema/seed", name), "rb") as f:
            seed += f.read().decode() + "\n"
    sql(sock, db, seed + synth + actuals_sql(2025) + actuals_sql(2026) +
        "INSERT INTO periods (year, month, closed, closed_at, closed_by) VALUES "
        "(2026, 1, 1, UTC_TIMESTAMP(6), 'bench'), (2026, 2, 1, UTC_TIMESTAMP(6), 'bench'), "
        "(2026, 3, 1, UTC_TIMESTAMP(6), 'bench');\n")
    cells = int(subprocess.run(["mariadb", "--no-defaults", "-S", sock, "-uroot", db, "-N", "-B", "-e",
                                "SELECT COUNT(*) FROM actuals"], check=True, capture_output=True,
                               text=True).stdout.strip())
    out = subprocess.run([bursard, "-c", conf, "token", "create", "--role", "finance_director", "--label", "bench"],
                         check=True, capture_output=True, text=True)
    token = [w for w in (out.stdout + out.stderr).split() if w.startswith("bt_")][0]
    log = open(os.path.join(work, f"bfr{n}.log"), "w")
    proc = subprocess.Popen([bursard, "-c", conf], stdout=log, stderr=log)
    try:
        base = f"http://127.0.0.1:{port}"
        s = requests.Session()
        s.headers["Authorization"] = "Bearer " + token
        wait_healthy(s, base)
        sid = s.get(base + "/api/v1/scenarios").json()["items"][0]["id"]
        r = s.post(base + "/api/v1/forecasts", json={"scenario": sid, "horizon": 3}, timeout=600)
        if r.status_code != 201:
            raise SystemExit(f"run: {r.status_code} {r.text[:300]}")
        rid = r.json()["id"]
        h = s.get(f"{base}/api/v1/forecasts/{rid}", params={"lines": "false"})
        r = s.post(f"{base}/api/v1/forecasts/{rid}/transitions", json={"action": "publish"},
                   headers={"If-Match": h.headers["ETag"]})
        if r.status_code != 200:
            raise SystemExit(f"publish: {r.status_code} {r.text[:300]}")
        print(f"bfr: {n} schools, {cells} actual cells (2025-26 and 2026-27), run {rid} published", flush=True)
        print(f"{'format':>7s} {'median ms':>10s} {'p-max ms':>9s} {'bytes':>10s}")
        for fmt, accept in (("json", "application/json"), ("csv", "text/csv"), ("xlsx", XLSX)):
            times = []
            for i in range(runs + 1):                       # one warm-up
                t0 = time.perf_counter()
                r = s.get(f"{base}/api/v1/bfr/2027-28", params={"run": rid}, headers={"Accept": accept}, timeout=600)
                ms = (time.perf_counter() - t0) * 1000
                if r.status_code != 200:
                    raise SystemExit(f"bfr {fmt}: {r.status_code} {r.text[:300]}")
                if i > 0:
                    times.append(ms)
            print(f"{fmt:>7s} {p50(times):10.1f} {max(times):9.1f} {len(r.content):10d}", flush=True)
        peak = memory_kb(proc.pid)[1]
        print(f"bfr: bursard's peak RSS {peak / 1024:.1f} MB")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
        sql(sock, None, f"DROP DATABASE IF EXISTS {db};")


if __name__ == "__main__":
    main()
