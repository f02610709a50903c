#!/usr/bin/python3
"""tests/bench/staff_reads.py: what posts cost the requests around them (issue 16, item 3). With the
demo trust's posts, with ten times as many (nine copies of every live post under new references:
a trust of about 100 schools' posts) and with none (every post tombstoned):
- GET /api/v1/schools/{urn}/budgets/2026-27 of a school (its draft: its generated lines, measures and
  ETag are worked out on every read) and of the central team (whose levy needs every entity's posts);
- POST /api/v1/forecasts (expected, horizon 5, lines=false): every run costs every entity's posts;
and a posts import of 60 new rows into one school (POST .../posts/import, CSV), then the same file
again (60 unchanged): time, and the SELECTs MariaDB ran meanwhile (Com_select, global: the daemon is
otherwise idle). Medians of RUNS requests after a warm-up. Run by tests/bench/staff_reads.sh against a
bursard it started on a throwaway MariaDB; never part of make test. Only 127.0.0.1.

usage: staff_reads.py BASE_URL TOKEN SOCKET [RUNS]"""
import csv
import io
import subprocess
import sys
import time

import requests

from benchlib import p50, wait_healthy

YEAR = "2026-27"


def mariadb(sock, text):
    out = subprocess.run(["mariadb", "--no-defaults", "-S", sock, "-uroot", "-N", "-B", "bursar"],
                         input=text.encode(), check=True, capture_output=True)
    return out.stdout.decode().split()


def com_select(sock):
    return int(mariadb(sock, "SHOW GLOBAL STATUS LIKE 'Com_select'")[-1])


def timed(fn, runs, want):
    """Median ms of runs calls of fn (one warm-up first); each must answer `want`."""
    r = fn()
    assert r.status_code == want, (r.status_code, r.text[:300])
    ms = []
    for _ in range(runs):
        t = time.perf_counter()
        r = fn()
        ms.append((time.perf_counter() - t) * 1000)
        assert r.status_code == want, (r.status_code, r.text[:300])
    return p50(ms)


def live_posts(sock):
    return int(mariadb(sock, "SELECT COUNT(*) FROM posts WHERE deleted_at IS NULL")[-1])


def main():
    base, token, sock = sys.argv[1], sys.argv[2], sys.argv[3]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 15
    s = requests.Session()
    s.headers["Authorization"] = "Bearer " + token
    wait_healthy(s, base)
    urn = s.get(base + "/api/v1/schools").json()["items"][0]["urn"]
    sid = s.post(base + "/api/v1/scenarios", json={"copy_from": int(mariadb(
        sock, "SELECT id FROM scenarios WHERE name = 'expected' AND deleted_at IS NULL")[-1]),
        "name": "bench staff reads"}).json()["id"]
    runs_forecast = max(3, runs // 5)

    def school_get():
        return s.get(f"{base}/api/v1/schools/{urn}/budgets/{YEAR}")

    def central_get():
        return s.get(f"{base}/api/v1/schools/central/budgets/{YEAR}")

    def forecast():
        return s.post(f"{base}/api/v1/forecasts", params={"lines": "false"},
                      json={"scenario": sid, "horizon": 5, "label": "bench"})

    def measure(label):
        n = live_posts(sock)
        g = timed(school_get, runs, 200)
        c = timed(central_get, runs, 200)
        f = timed(forecast, runs_forecast, 201)
        print(f"{label:<34} {n:>6} posts: GET school budget {g:8.1f} ms  GET central budget {c:8.1f} ms  "
              f"POST forecast (H=5) {f:8.1f} ms")

    # the demo as seeded; then nine copies of every live post; then none
    measure("the demo's posts")
    ids = mariadb(sock, "SELECT id FROM posts WHERE deleted_at IS NULL")
    cols = ("school_id, title, role, account_id, scale_id, point, top_point, point_year, fte_h, paid_weeks_h, "
            "tlr_pence, sen_pence, fringe_pence, other_allowance_pence, pension, ni_category, starts_on, ends_on, "
            "vacant, holder_name, periods_taught")
    for k in range(1, 10):
        mariadb(sock, f"INSERT INTO posts (reference, {cols}) SELECT CONCAT(reference, '~{k}'), {cols} FROM posts "
                      f"WHERE id IN ({','.join(ids)})")
    measure("ten times the demo's posts")
    mariadb(sock, f"DELETE FROM posts WHERE reference LIKE '%~%'")
    mariadb(sock, "UPDATE posts SET deleted_at = UTC_TIMESTAMP(6) WHERE deleted_at IS NULL")
    measure("no posts")
    mariadb(sock, f"UPDATE posts SET deleted_at = NULL WHERE id IN ({','.join(ids)})")

    # the import: 60 of the school's posts under new references (created), then the same file (unchanged)
    got = s.get(f"{base}/api/v1/schools/{urn}/posts.csv")
    assert got.status_code == 200, got.text[:300]
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"), newline="")))
    head, body = rows[0], rows[1:]
    assert body, "the school has no posts"
    ref = head.index("reference")
    created, unchanged, sel_new, sel_same = [], [], [], []
    c0 = com_select(sock)
    idle = com_select(sock) - c0            # what asking costs (0 when SHOW is not counted)
    for r in range(max(3, runs // 5)):
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(head)
        for i in range(60):
            row = list(body[i % len(body)])
            row[ref] = f"BENCH{r}-{i:03d}"
            w.writerow(row)
        data = out.getvalue().encode()
        for want, times, sels in (("created", created, sel_new), ("unchanged", unchanged, sel_same)):
            c0 = com_select(sock)
            t = time.perf_counter()
            res = s.post(f"{base}/api/v1/schools/{urn}/posts/import", data=data,
                         headers={"Content-Type": "text/csv"})
            times.append((time.perf_counter() - t) * 1000)
            sels.append(com_select(sock) - c0 - idle)
            assert res.status_code == 200 and res.json()[want] == 60, res.text[:300]
    print(f"posts import of 60 rows: new {p50(created):8.1f} ms ({p50(sel_new):.0f} SELECTs), "
          f"unchanged {p50(unchanged):8.1f} ms ({p50(sel_same):.0f} SELECTs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
