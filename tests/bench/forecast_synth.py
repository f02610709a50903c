#!/usr/bin/python3
"""tests/bench/forecast_synth.py: forecasts of synthetic trusts end to end through the API
(issue 7): for 10, 100 and 1,000 schools x 60 lines, over 5 and 10 years, POST
/api/v1/forecasts (load, run, save every line, reply with the summary) against a real bursard
and MariaDB, with the time per line-year, how it grows with the size, the engine's share
(engine_us) and bursard's peak memory. Run by tests/bench/forecast.sh, which starts the
throwaway MariaDB; never part of make test. Only 127.0.0.1; every process it starts is
stopped before it returns.

usage: forecast_synth.py BURSARD ROOT SOCKET WORKDIR [RUNS]
environment: BENCH_SYNTH_SIZES ("10 100 1000"), BENCH_SYNTH_HORIZONS ("5 10") to run fewer;
each size's engine times (engine_us of every run after the warm-up) are printed as well."""
import os
import subprocess
import sys
import time

import requests

from benchlib import free_port, memory_kb, p50, wait_healthy

SIZES = tuple(int(x) for x in os.environ.get("BENCH_SYNTH_SIZES", "10 100 1000").split())
HORIZONS = tuple(int(x) for x in os.environ.get("BENCH_SYNTH_HORIZONS", "5 10").split())
LINES = 60


def sql(sock, db, text):
    subprocess.run(["mariadb", "--no-defaults", "-S", sock, "-uroot"] + ([db] if db else []),
                   input=text.encode(), check=True)


def one_size(bursard, root, sock, work, n, runs):
    db = f"bench_synth_{n}"
    port = free_port()
    conf = os.path.join(work, f"synth{n}.conf")
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
                           check=True, capture_output=True).stdout
    with open(os.path.join(root, "schema/seed/010_accounts.sql"), "rb") as f:
        sql(sock, db, f.read().decode() + synth.decode())
    out = subprocess.run([bursard, "-c", conf, "token", "create", "--role", "finance_director", "--label", "bench"],
                         check=True, capture_output=True, text=True)
    token = [w for w in (out.stdout + out.stderr).split() if w.startswith("bt_")][0]
    log = open(os.path.join(work, f"synth{n}.log"), "w")
    proc = subprocess.Popen([bursard, "-c", conf], stdout=log, stderr=log)
    rows = []
    try:
        base = f"http://127.0.0.1:{port}"
        s = requests.Session()
        s.headers["Authorization"] = "Bearer " + token
        wait_healthy(s, base)
        sid = s.get(base + "/api/v1/scenarios").json()["items"][0]["id"]
        for h in HORIZONS:
            times, engine = [], []
            for i in range(runs + 1):                       # one warm-up run
                t0 = time.perf_counter()
                r = s.post(base + "/api/v1/forecasts", json={"scenario": sid, "horizon": h}, timeout=600)
                ms = (time.perf_counter() - t0) * 1000
                if r.status_code != 201:
                    raise SystemExit(f"{n} schools, {h} years: {r.status_code} {r.text[:300]}")
                if i > 0:
                    times.append(ms)
                    engine.append(r.json()["engine_us"] / 1000)
            rows.append((n, h, p50(times), p50(engine), len(r.json()["warnings"])))
            print(f"  {n} schools x {h} years: engine_us of each run (ms): "
                  + ", ".join(f"{e:.1f}" for e in engine) + f"; the POST's reply {len(r.content)} bytes", flush=True)
        peak = memory_kb(proc.pid)[1]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
        sql(sock, None, f"DROP DATABASE IF EXISTS {db};")
    return rows, peak


def main():
    bursard, root, sock, work = sys.argv[1:5]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    results = []
    for n in SIZES:
        rows, peak = one_size(bursard, root, sock, work, n, max(1, runs if n < 1000 else min(runs, 3)))
        results += [r + (peak,) for r in rows]
    print(f"{'schools':>8s} {'years':>6s} {'line-yrs':>9s} {'POST ms':>9s} {'engine ms':>10s} {'us/line-yr':>11s} "
          f"{'growth':>7s} {'peak RSS MB':>12s}")
    for h in HORIZONS:
        last = None
        for n, hh, ms, eng, nw, peak in results:
            if hh != h:
                continue
            ly = (n + 1) * LINES * h
            per = ms * 1000 / ly
            growth = f"{per / last:.2f}x" if last else "-"
            last = per
            print(f"{n:8d} {h:6d} {ly:9d} {ms:9.1f} {eng:10.2f} {per:11.2f} {growth:>7s} {peak / 1024:12.1f}")
    print("POST: load, run, save every line (packed per entity and year), reply with the summary; "
          "median of the runs after a warm-up; growth: time per line-year against the size before")


if __name__ == "__main__":
    main()
