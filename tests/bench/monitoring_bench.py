#!/usr/bin/python3
"""tests/bench/monitoring_bench.py: importing a year of actuals for a 100-school trust (issue 17,
ISSUE17_CONTRACT section 6): a synthetic ledger mapping through the API (a cost centre per school,
60 nominal codes over the chart's 51 non-internal accounts), then POST /api/v1/actuals/import of
a year's ledger export (60 codes x 12 months x 100 schools = 72,000 rows, ledger signs) as CSV:
the first import into an empty year, then the same file again (every entity-month replaced),
and the same file as XLSX once. Each step's time (median of RUNS after the first), bursard's peak
memory during it (VmHWM, reset before the step through /proc/PID/clear_refs) and its RSS after
it, against the reference the budget benchmark uses: MariaDB's own multi-row INSERT of the same
cells (72,000 rows aggregated to the cells written) into a table like `actuals`, in one
transaction, timed by the server. Run by tests/bench/monitoring.sh on a fresh database; never
part of make test. Only 127.0.0.1.

usage: monitoring_bench.py BASE_URL TOKEN BURSARD_PID SOCKET DB [RUNS]

The functions are importable (tests/bench/monitoring.sh's hook: another step, such as building
the BFR, may use make_mapping / ledger_csv / import_year on the same daemon)."""
import io
import subprocess
import sys
import time

import requests

from benchlib import memory_kb, p50, wait_healthy

NOMINALS = 60
MONTHS = 12
YEAR = "2026-27"
CSV_CT = "text/csv; charset=utf-8"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def reset_peak(pid):
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")


def mariadb(sock, db, text):
    out = subprocess.run(["mariadb", "--no-defaults", "-S", sock, "-uroot", "-N", "-B", db],
                         input=text.encode(), check=True, capture_output=True)
    return out.stdout.decode().split()


def make_mapping(s, base, sock, db):
    """A cost centre per school (CC<urn>) and NOMINALS nominal codes (N4000..) over the
    non-internal accounts in turn. Returns (urns, [(nominal, account, income)])."""
    urns = [u for u in mariadb(sock, db, "SELECT urn FROM schools WHERE kind = 'school' ORDER BY urn")]
    accts = mariadb(sock, db, "SELECT code, kind FROM accounts WHERE is_internal = 0 ORDER BY code")
    accts = list(zip(accts[0::2], accts[1::2]))
    for u in urns:
        r = s.post(base + "/api/v1/ledger/cost-centres", json={"code": f"CC{u}", "urn": u})
        if r.status_code not in (201, 409):
            raise SystemExit(f"cost centre {u}: {r.status_code} {r.text[:200]}")
    noms = []
    for k in range(NOMINALS):
        code, kind = accts[k % len(accts)]
        r = s.post(base + "/api/v1/ledger/nominals", json={"code": f"N{4000 + k}", "account_code": code})
        if r.status_code not in (201, 409):
            raise SystemExit(f"nominal {k}: {r.status_code} {r.text[:200]}")
        noms.append((f"N{4000 + k}", code, kind == "income"))
    return urns, noms


def ledger_rows(urns, noms, year_start):
    """Every (nominal, cost centre, period, pence) of the year: deterministic amounts, income as
    credits (negative) as a ledger exports it."""
    for i, u in enumerate(urns):
        for m in range(1, MONTHS + 1):
            for k, (nom, _acct, income) in enumerate(noms):
                pence = 50000 + (i * 7919 + m * 104729 + k * 1299709) % 5000000
                yield nom, f"CC{u}", m, -pence if income else pence


def ledger_csv(urns, noms, year_start=2026):
    lines = ["Nominal Code,Cost Centre,Period,Description,Amount"]
    for nom, cc, m, pence in ledger_rows(urns, noms, year_start):
        sign = "-" if pence < 0 else ""
        lines.append(f"{nom},{cc},{m},Ledger line,{sign}{abs(pence) // 100}.{abs(pence) % 100:02d}")
    return ("\r\n".join(lines) + "\r\n").encode()


def ledger_xlsx(urns, noms, year_start=2026):
    import openpyxl
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Ledger")
    ws.append(["Nominal Code", "Cost Centre", "Period", "Description", "Amount"])
    for nom, cc, m, pence in ledger_rows(urns, noms, year_start):
        ws.append([nom, cc, m, "Ledger line", f"{pence / 100:.2f}"])   # text cells: exact
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def import_year(s, base, body, ct=CSV_CT, year=YEAR, kind="actual"):
    r = s.post(f"{base}/api/v1/actuals/import?year={year}&kind={kind}", data=body,
               headers={"Content-Type": ct}, timeout=900)
    if r.status_code != 200:
        raise SystemExit(f"import: {r.status_code} {r.text[:500]}")
    return r.json()


def reference_ms(sock, db, urns, noms):
    """MariaDB writing the same cells itself: one multi-row INSERT in a transaction into a table
    like actuals, timed by the server (parse included)."""
    ids = mariadb(sock, db, "SELECT urn, id FROM schools")
    school = dict(zip(ids[0::2], ids[1::2]))
    ids = mariadb(sock, db, "SELECT code, id FROM accounts")
    acct = dict(zip(ids[0::2], ids[1::2]))
    cells = {}
    for nom, cc, m, pence in ledger_rows(urns, noms, 2026):
        code, income = next((a, inc) for n, a, inc in noms if n == nom)
        key = (school[cc[2:]], m, acct[code])
        cells[key] = cells.get(key, 0) + (-pence if income else pence)
    vals = ",".join(f"({sid}, 2026, {m}, 'actual', {aid}, {v})" for (sid, m, aid), v in cells.items())
    text = ("DROP TABLE IF EXISTS bench_ref_actuals; CREATE TABLE bench_ref_actuals LIKE actuals;"
            "SET @t = NOW(6); BEGIN; INSERT INTO bench_ref_actuals (school_id, year, month, kind, account_id, "
            "amount_pence) VALUES " + vals + "; COMMIT; "
            "SELECT TIMESTAMPDIFF(MICROSECOND, @t, NOW(6)); DROP TABLE bench_ref_actuals;")
    return int(mariadb(sock, db, text)[-1]) / 1000, len(cells)


def step(s, base, pid, body, ct):
    rss0 = memory_kb(pid)[0]
    reset_peak(pid)
    t0 = time.perf_counter()
    out = import_year(s, base, body, ct)
    ms = (time.perf_counter() - t0) * 1000
    rss, peak = memory_kb(pid)
    return ms, peak, rss0, rss, out


def main():
    base, token, pid, sock, db = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    runs = int(sys.argv[6]) if len(sys.argv) > 6 else 3
    s = requests.Session()
    s.headers["Authorization"] = "Bearer " + token
    wait_healthy(s, base)
    urns, noms = make_mapping(s, base, sock, db)
    body = ledger_csv(urns, noms)
    nrows = len(urns) * MONTHS * len(noms)
    print(f"trust: {len(urns)} schools, {len(noms)} nominal codes, {MONTHS} months: {nrows} ledger rows, "
          f"CSV {len(body) / 1e6:.1f} MB", flush=True)
    res = {}
    first = step(s, base, pid, body, CSV_CT)
    res["first (empty year)"] = [first]
    written = first[4]["written"]
    for _ in range(runs):
        res.setdefault("again (all replaced)", []).append(step(s, base, pid, body, CSV_CT))
    xbody = ledger_xlsx(urns, noms)
    res["XLSX (all replaced)"] = [step(s, base, pid, xbody, XLSX_CT)]
    ref, ncells = reference_ms(sock, db, urns, noms)
    assert ncells == written, (ncells, written)
    print(f"{'step':24s} {'ms':>9s} {'rows/s':>9s} {'vs ref':>7s} {'peak MB':>8s} {'RSS before':>11s} {'after':>7s}")
    for name, v in res.items():
        ms = p50([x[0] for x in v])
        peak = max(x[1] for x in v)
        print(f"{name:24s} {ms:9.0f} {nrows / ms * 1000:9.0f} {ms / ref:6.1f}x {peak / 1024:8.1f} "
              f"{v[-1][2] / 1024:11.1f} {v[-1][3] / 1024:7.1f}")
    print(f"{'reference (MariaDB)':24s} {ref:9.0f}  one multi-row INSERT of the {ncells} cells into a table like "
          "actuals, one transaction, timed by the server")
    last = res["again (all replaced)"][-1][4]
    print(f"each import: {last['rows']} rows read, {last['written']} cells written, {last['replaced']} replaced; "
          f"XLSX {len(xbody) / 1e6:.1f} MB; the medians of {runs} runs after the first")


if __name__ == "__main__":
    main()
