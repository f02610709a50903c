#!/usr/bin/python3
"""tests/bench/bfr_bench.py: step 2 of tests/bench/monitoring.sh (issue 17, ISSUE17_CONTRACT
section 6): build the BFR of the 100-school synthetic trust on the daemon and data step 1 left
(2026-27's actuals imported). Here: the demo's BFR line mapping (schema/seed/014_account_bfr.sql),
a year of actuals for B-2 (2025-26) imported on the same ledger mapping (POST /actuals/import),
September-November 2026 closed (POST /periods/{month}/close), a run of `synthetic` (base year
2026-27, horizon 3) published; then GET /api/v1/bfr/2027-28?run= as JSON, CSV and XLSX: medians of
RUNS after a warm-up, the reply's size, bursard's peak RSS (VmHWM) during the step. Never part of
make test; 127.0.0.1 only.

usage: bfr_bench.py BASE TOKEN BURSARD_PID SOCKET DB [RUNS]"""
import os
import subprocess
import sys
import time

import requests

from benchlib import memory_kb, p50
from monitoring_bench import import_year, ledger_csv, make_mapping, reset_peak

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))


def main():
    base, token, pid, sock, db = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    runs = int(sys.argv[6]) if len(sys.argv) > 6 else 3
    s = requests.Session()
    s.headers["Authorization"] = "Bearer " + token
    with open(os.path.join(ROOT, "schema/seed/014_account_bfr.sql"), "rb") as f:
        subprocess.run(["mariadb", "--no-defaults", "-S", sock, "-uroot", db], input=f.read(), check=True)
    urns, noms = make_mapping(s, base, sock, db)
    import_year(s, base, ledger_csv(urns, noms, 2025), year="2025-26")
    for m in ("2026-09", "2026-10", "2026-11"):
        r = s.post(f"{base}/api/v1/periods/{m}/close", json={})
        if r.status_code not in (200, 409):
            raise SystemExit(f"close {m}: {r.status_code} {r.text[:300]}")
    sid = s.get(base + "/api/v1/scenarios").json()["items"][0]["id"]
    r = s.post(base + "/api/v1/forecasts", json={"scenario": sid, "base_year": "2026-27", "horizon": 3}, timeout=900)
    if r.status_code != 201:
        raise SystemExit(f"run: {r.status_code} {r.text[:300]}")
    rid = r.json()["id"]
    h = s.get(f"{base}/api/v1/forecasts/{rid}", params={"lines": "false"})
    r = s.post(f"{base}/api/v1/forecasts/{rid}/transitions", json={"action": "publish"},
               headers={"If-Match": h.headers["ETag"]})
    if r.status_code != 200:
        raise SystemExit(f"publish: {r.status_code} {r.text[:300]}")
    print(f"== bfr: GET /api/v1/bfr/2027-28?run={rid} for {len(urns)} schools and the central team "
          f"(actuals of 2025-26 and 2026-27; medians of {runs} after a warm-up) ==", flush=True)
    print(f"{'format':>7s} {'median ms':>10s} {'max ms':>8s} {'bytes':>10s} {'peak RSS MB':>12s}")
    for fmt, accept in (("json", "application/json"), ("csv", "text/csv"), ("xlsx", XLSX)):
        reset_peak(pid)
        times = []
        for i in range(runs + 1):
            t0 = time.perf_counter()
            r = s.get(f"{base}/api/v1/bfr/2027-28", params={"run": rid}, headers={"Accept": accept}, timeout=900)
            ms = (time.perf_counter() - t0) * 1000
            if r.status_code != 200:
                raise SystemExit(f"bfr {fmt}: {r.status_code} {r.text[:300]}")
            if i > 0:
                times.append(ms)
        print(f"{fmt:>7s} {p50(times):10.1f} {max(times):8.1f} {len(r.content):10d} "
              f"{memory_kb(pid)[1] / 1024:12.1f}", flush=True)
    warn = {}
    for w in s.get(f"{base}/api/v1/bfr/2027-28", params={"run": rid}).json()["warnings"]:
        warn[w["code"]] = warn.get(w["code"], 0) + 1
    print("bfr: warnings " + (", ".join(f"{k} x{v}" for k, v in sorted(warn.items())) or "none"))


if __name__ == "__main__":
    main()
