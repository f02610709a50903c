#!/usr/bin/python3
"""tests/bench/budget_import.py: importing a budget (issue 14, item 5). For 1,000, 10,000 and
20,000 lines, PUT .../budgets/{year} with a CSV body: new (201), the same file again (unchanged:
200, nothing written), every amount changed (every line an UPDATE, ids kept), one amount changed,
and every line new (different descriptions: the old lines deleted, the new inserted). Each step's
time (median of RUNS), bursard's peak memory during it (VmHWM, reset before the step through
/proc/PID/clear_refs) and its RSS after it (is the memory given back?), against references
measured in the same run: MariaDB's own multi-row INSERT of the same rows through the mariadb
client (one transaction, timed by the server), and the 1k case (linearity: the slope and the
ratio per line). Run by tests/bench/budget.sh against a bursard it started on a throwaway
MariaDB; never part of make test. Only 127.0.0.1.

usage: budget_import.py BASE_URL TOKEN BURSARD_PID SOCKET [RUNS]"""
import subprocess
import sys
import time

import requests

from benchlib import memory_kb, p50, wait_healthy

SIZES = (1000, 10000, 20000)
CODES = ("E01", "E03", "E05", "E12", "E16", "E19", "E20", "E28a")
STEPS = ("new", "unchanged", "every amount", "one amount", "every line new")


def csv_body(n, amount_delta=0, one=None, prefix="Line"):
    """n lines (the last one I01), amounts in pounds; amount_delta pence added to every line,
    and one more to line `one`."""
    rows = ["code,description,amount"]
    for i in range(n - 1):
        pence = 100000 + i * 7 + amount_delta + (1 if one == i else 0)
        rows.append(f'{CODES[i % len(CODES)]},"{prefix} {i}, cost centre {i % 37}",{pence // 100}.{pence % 100:02d}')
    rows.append("I01,GAG,90000000.00")
    return ("\r\n".join(rows) + "\r\n").encode()


def mariadb(sock, text):
    out = subprocess.run(["mariadb", "--no-defaults", "-S", sock, "-uroot", "-N", "-B", "bursar"],
                         input=text.encode(), check=True, capture_output=True)
    return out.stdout.decode().split()


def reference_ms(sock, n):
    """MariaDB inserting the same n rows itself: one multi-row INSERT in a transaction into a
    table like budget_lines, timed by the server (parse included)."""
    acc = dict(zip(*[iter(mariadb(sock, "SELECT code, id FROM accounts"))] * 2))
    vals = []
    for i in range(n - 1):
        vals.append(f"(1, {i + 1}, {acc[CODES[i % len(CODES)]]}, 'Line {i}, cost centre {i % 37}', {100000 + i * 7})")
    vals.append(f"(1, {n}, {acc['I01']}, 'GAG', 9000000000)")
    text = ("DROP TABLE IF EXISTS bench_ref_lines; CREATE TABLE bench_ref_lines LIKE budget_lines;"
            "SET @t = NOW(6); BEGIN; INSERT INTO bench_ref_lines (budget_id, line_no, account_id, description, "
            "amount_pence) VALUES " + ",".join(vals) + "; COMMIT; "
            "SELECT TIMESTAMPDIFF(MICROSECOND, @t, NOW(6)); DROP TABLE bench_ref_lines;")
    return int(mariadb(sock, text)[-1]) / 1000


def reset_peak(pid):
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")


def main():
    base, token, pid, sock = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    s = requests.Session()
    s.headers["Authorization"] = "Bearer " + token
    wait_healthy(s, base)
    urn = s.get(base + "/api/v1/schools").json()["items"][0]["urn"]
    res = {}          # (n, step) -> [(ms, peak_kb, rss_before_kb, rss_after_kb)]
    refs = {}
    moved = set()

    def put(path, body, etag, want):
        h = {"Content-Type": "text/csv; charset=utf-8"}
        if etag:
            h["If-Match"] = etag
        rss0 = memory_kb(pid)[0]
        reset_peak(pid)
        t0 = time.perf_counter()
        r = s.put(base + path, data=body, headers=h, timeout=120)
        ms = (time.perf_counter() - t0) * 1000
        rss1, hwm = memory_kb(pid)
        if r.status_code != want:
            raise SystemExit(f"PUT {path}: {r.status_code} (wanted {want}) {r.text[:300]}")
        return r.headers["ETag"], (ms, hwm, rss0, rss1)

    for rnd in range(runs + 1):                       # round 0 warms up
        for k, n in enumerate(SIZES):
            year = f"{2040 + k}-{(41 + k) % 100:02d}"
            path = f"/api/v1/schools/{urn}/budgets/{year}"
            mariadb(sock, "DELETE l FROM budget_lines l JOIN budgets b ON b.id = l.budget_id JOIN schools s "
                          f"ON s.id = b.school_id WHERE s.urn = '{urn}' AND b.year = {2040 + k};"
                          "DELETE b FROM budgets b JOIN schools s ON s.id = b.school_id "
                          f"WHERE s.urn = '{urn}' AND b.year = {2040 + k};")
            body = csv_body(n)
            figures = []
            etag, f = put(path, body, None, 201)
            figures.append(f)
            etag2, f = put(path, body, etag, 200)
            if etag2 != etag:
                moved.add(n)
                etag = etag2
            figures.append(f)
            etag, f = put(path, csv_body(n, amount_delta=1), etag, 200)
            figures.append(f)
            etag, f = put(path, csv_body(n, amount_delta=1, one=n // 2), etag, 200)
            figures.append(f)
            etag, f = put(path, csv_body(n, prefix="Other"), etag, 200)
            figures.append(f)
            if rnd > 0:
                for step, fig in zip(STEPS, figures):
                    res.setdefault((n, step), []).append(fig)
                refs.setdefault(n, []).append(reference_ms(sock, n))

    ref = {n: p50(refs[n]) for n in SIZES}
    print(f"{'lines':>6s} {'step':<15s} {'ms':>8s} {'x ref':>6s} {'us/line':>8s} {'x 1k/line':>9s} "
          f"{'peak MB':>8s} {'+MB':>6s} {'after MB':>9s}")
    slopes = {}
    for step in STEPS:
        for n in SIZES:
            rows = res[(n, step)]
            ms = p50([r[0] for r in rows])
            peak = p50([r[1] for r in rows]) / 1024
            grow = p50([r[1] - r[2] for r in rows]) / 1024
            after = p50([r[3] for r in rows]) / 1024
            per1k = p50([r[0] for r in res[(SIZES[0], step)]]) / SIZES[0]
            print(f"{n:6d} {step:<15s} {ms:8.1f} {ms / ref[n]:6.2f} {ms * 1000 / n:8.1f} "
                  f"{(ms / n) / per1k:9.2f} {peak:8.1f} {grow:6.1f} {after:9.1f}")
            slopes.setdefault(step, []).append((n, ms, grow))
    for n in SIZES:
        print(f"{n:6d} {'reference':<15s} {ref[n]:8.1f} {1.0:6.2f} {ref[n] * 1000 / n:8.1f}   "
              "(MariaDB: one multi-row INSERT of the same rows, in a transaction, via the mariadb client)")
    print("slope (least squares over 1k, 10k, 20k): time ms per 1,000 lines, peak growth MB per 10,000 lines")
    for step in STEPS:
        pts = slopes[step]
        xs = [x for x, _, _ in pts]
        mx = sum(xs) / len(xs)

        def slope(ys):
            my = sum(ys) / len(ys)
            return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
        t = slope([ms for _, ms, _ in pts]) * 1000
        m = slope([g for _, _, g in pts]) * 10000
        last = pts[-1][1] / pts[1][1]
        print(f"  {step:<15s} {t:7.1f} ms/1k lines  {m:6.2f} MB/10k lines  20k/10k time {last:4.2f}")
    rslope = (ref[SIZES[-1]] - ref[SIZES[0]]) / (SIZES[-1] - SIZES[0]) * 1000
    print(f"  {'reference':<15s} {rslope:7.1f} ms/1k lines")
    if moved:
        print(f"NOTE: the unchanged import moved the ETag (wrote a new version) at {sorted(moved)} lines")
    print(f"bursard RSS at the end: {memory_kb(pid)[0] / 1024:.1f} MB")


if __name__ == "__main__":
    main()
