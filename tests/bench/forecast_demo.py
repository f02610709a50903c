#!/usr/bin/python3
"""tests/bench/forecast_demo.py: the demo trust through the API (issue 7's target: a 5-year
forecast of the 9-school trust in under 20 ms). POST /api/v1/forecasts (the `expected`
scenario, 2026-27, 5 years: load, run, save every line, reply with the summary) against the
read it needs, GET /api/v1/budgets/2026-27 (every entity's base budget), and the run read back
(GET /api/v1/forecasts/{id}, every line, and ?lines=false), interleaved, against a bursard
that tests/bench/forecast.sh started on the demo trust. Never part of make test.

usage: forecast_demo.py BASE_URL TOKEN BURSARD_PID [RUNS]"""
import sys
import time

import requests

from benchlib import memory_kb, p50, p90, wait_healthy


def main():
    base, token, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 30
    s = requests.Session()
    s.headers["Authorization"] = "Bearer " + token
    wait_healthy(s, base)
    sid = [x["id"] for x in s.get(base + "/api/v1/scenarios").json()["items"] if x["name"] == "expected"][0]

    def timed(method, path, **kw):
        t0 = time.perf_counter()
        r = s.request(method, base + path, timeout=30, **kw)
        ms = (time.perf_counter() - t0) * 1000
        if r.status_code not in (200, 201):
            raise SystemExit(f"{method} {path}: {r.status_code} {r.text[:300]}")
        return ms, r

    post, ref, full, summary, engine = [], [], [], [], []
    body = {"scenario": sid, "base_year": "2026-27", "horizon": 5}
    for i in range(runs + 3):                      # 3 warm-up rounds
        ms_p, r = timed("POST", "/api/v1/forecasts", json=body)
        f = r.json()
        ms_r, _ = timed("GET", "/api/v1/budgets/2026-27")
        ms_g, g = timed("GET", f"/api/v1/forecasts/{f['id']}")
        ms_s, _ = timed("GET", f"/api/v1/forecasts/{f['id']}", params={"lines": "false"})
        if i >= 3:
            post.append(ms_p)
            ref.append(ms_r)
            full.append(ms_g)
            summary.append(ms_s)
            engine.append(f["engine_us"] / 1000)
    run = g.json()
    lines = sum(len(y.get("lines", [])) for e in run["entities"] + [run["trust"]] for y in e["years"])
    r0 = p50(ref)
    print(f"{'target':48s} {'p50 ms':>9s} {'p90 ms':>9s} {'ratio':>8s}")
    for name, v in (("GET /api/v1/budgets/2026-27 (reference)", ref),
                    ("POST /api/v1/forecasts (demo, 5 years)", post),
                    ("  of which the engine (engine_us)", engine),
                    ("GET /api/v1/forecasts/{id} (every line)", full),
                    ("GET /api/v1/forecasts/{id}?lines=false", summary)):
        print(f"{name:48s} {p50(v):9.2f} {p90(v):9.2f} {p50(v) / r0:8.2f}")
    print(f"the run: {len(run['entities'])} entities, {lines} lines, {len(g.content)} bytes of JSON "
          f"({len(r.content)} in the POST's reply), {len(run['warnings'])} warnings, digest {run['digest'][:16]}...")
    rss, hwm = memory_kb(pid)
    print(f"target: POST under 20 ms: {'ok' if p50(post) < 20 else 'NOT MET'}; bursard RSS {rss} kB (peak {hwm} kB)")


if __name__ == "__main__":
    main()
