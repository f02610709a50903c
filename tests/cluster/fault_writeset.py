"""Galera's write-set limits against bursar's largest transactions (issue 18: "long transactions
(a 20,000-line import, a 1,000-school forecast save) within Galera's write-set limits"). Run by
`make test-cluster` against its cluster (CLUSTER_ENV or CLUSTER_DIR), or standalone.

A database of its own on the cluster (bursar_ws: migrated, the chart of accounts and a synthetic
trust of WS_SCHOOLS schools from tests/bench/synth_trust.py, a ledger mapping for every school),
served by a bursard of its own through HAProxy's database front:
- POST /api/v1/actuals/import of a 20,000-row ledger file, every row its own cell (1,000 cost
  centres x 10 months x 2 nominal codes): one transaction;
- POST /api/v1/forecasts for the whole trust, five years: the run and every line saved in one
  transaction.
Each one's write-set is measured as Galera counts it: wsrep_replicated_bytes and wsrep_replicated
(write-sets) on the nodes, before and after, with nothing else writing; the rows it wrote are
counted; both are checked against the cluster's wsrep_max_ws_size and wsrep_max_ws_rows (with
room to spare: a write-set under a quarter of the size limit), and the other nodes hold the result.
One summary block.
"""
import os
import re
import signal
import subprocess
import sys
import time

import pytest
import requests

from load import ROOT, report

sys.path.append(str(ROOT / "tests" / "bench"))
from benchlib import free_port  # noqa: E402

DB = "bursar_ws"
SCHOOLS = int(os.environ.get("WS_SCHOOLS", "1000"))
IMPORT_ROWS = 20000
IMPORT_YEAR = "2081-82"


@pytest.fixture(scope="module")
def ws(fault_cluster, tmp_path_factory):
    """(cluster, base url, requests session as a finance director) for the bursar_ws database."""
    c = fault_cluster
    work = tmp_path_factory.mktemp("ws")
    port = free_port()
    text = open(c.env["BURSARD_CONF_1"]).read()
    text = text.replace('name = "bursar";', f'name = "{DB}";')
    text = re.sub(r"(http\s*=\s*\{[^}]*?\bport\s*=\s*)\d+", lambda m: m.group(1) + str(port), text, count=1)
    text = re.sub(r"max_csv_body_bytes\s*=\s*\d+;", "max_csv_body_bytes = 4194304;", text)
    conf = work / "ws.conf"
    conf.write_text(text)
    bursard = str(ROOT / "daemon" / "bursard")
    node1 = ["mariadb", f"--defaults-file={c.env['DB_NODE_1_CNF']}"]
    proc = None
    c.node_sql(1, f"DROP DATABASE IF EXISTS {DB}; CREATE DATABASE {DB} CHARACTER SET utf8mb4 "
                  "COLLATE utf8mb4_unicode_ci")
    try:
        subprocess.run([bursard, "-c", str(conf), "migrate"], check=True, capture_output=True, timeout=300)
        data = subprocess.run([sys.executable, str(ROOT / "tests/bench/synth_trust.py"), str(SCHOOLS)],
                              check=True, capture_output=True, text=True).stdout
        accounts = (ROOT / "schema/seed/010_accounts.sql").read_text()
        mapping = ("INSERT INTO ledger_cost_centres (code, school_id) SELECT CONCAT('C', urn), id FROM schools "
                   "WHERE kind = 'school';\n"
                   "INSERT INTO ledger_nominals (code, account_id) SELECT 'N1', id FROM accounts WHERE code = 'E19';\n"
                   "INSERT INTO ledger_nominals (code, account_id) SELECT 'N2', id FROM accounts WHERE code = 'E16';\n")
        cp = subprocess.run([*node1, DB], input=(accounts + data + mapping).encode(),
                            capture_output=True, timeout=600)
        assert cp.returncode == 0, cp.stderr.decode(errors="replace")[-2000:]
        out = subprocess.run([bursard, "-c", str(conf), "token", "create", "--role", "finance_director",
                              "--label", "writeset"], check=True, capture_output=True, text=True, timeout=60)
        token = [w for w in (out.stdout + out.stderr).split() if w.startswith("bt_")][0]
        log = open(work / "ws.log", "ab")
        proc = subprocess.Popen([bursard, "-c", str(conf)], stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT)
        log.close()
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(base + "/readyz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, (work / "ws.log").read_text()[-3000:]
            time.sleep(0.1)
        s = requests.Session()
        s.headers["Authorization"] = "Bearer " + token
        yield c, base, s
        s.close()
    finally:
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        c.node_sql(1, f"DROP DATABASE IF EXISTS {DB}")


def replicated(c):
    """(bytes, write-sets) every node has replicated as the origin, summed."""
    b = n = 0
    for i in (1, 2, 3):
        b += int(c.node_status(i, "wsrep_replicated_bytes"))
        n += int(c.node_status(i, "wsrep_replicated"))
    return b, n


def measured(c, fn):
    """Run fn() and return (its result, write-set bytes, write-sets, seconds)."""
    b0, n0 = replicated(c)
    t0 = time.monotonic()
    out = fn()
    secs = time.monotonic() - t0
    b1, n1 = replicated(c)
    return out, b1 - b0, n1 - n0, secs


def test_the_largest_transactions_fit_galeras_write_set_limits(ws, capsys):
    c, base, s = ws
    max_size = int(c.node_sql(1, "SELECT @@GLOBAL.wsrep_max_ws_size")[0][0])
    max_rows = int(c.node_sql(1, "SELECT @@GLOBAL.wsrep_max_ws_rows")[0][0])
    urns = [r[0] for r in c.node_sql(1, f"SELECT urn FROM {DB}.schools WHERE kind = 'school' ORDER BY urn")]
    assert len(urns) == SCHOOLS

    # the 20,000-row import: every row a cell of its own
    per_school = max(1, IMPORT_ROWS // (len(urns) * 2))
    rows = []
    for urn in urns:
        for m in range(1, per_school + 1):
            for n, code in ((1, "N1"), (2, "N2")):
                rows.append(f"{code},C{urn},{(m - 1) % 12 + 1},{len(rows) % 900 + 100}.{n:02d}")
    rows = rows[:IMPORT_ROWS]
    csv = "Nominal,Cost centre,Period,Amount\r\n" + "\r\n".join(rows) + "\r\n"
    months = min(per_school, 12)

    def do_import():
        return s.post(f"{base}/api/v1/actuals/import?year={IMPORT_YEAR}&kind=actual", data=csv.encode(),
                      headers={"Content-Type": "text/csv; charset=utf-8"}, timeout=300)
    r, imp_bytes, imp_sets, imp_s = measured(c, do_import)
    assert r.status_code == 200, r.text[:1000]
    out = r.json()
    assert out["rows"] == len(rows)
    cells = int(c.node_sql(3, f"SELECT COUNT(*) FROM {DB}.actuals WHERE year = {IMPORT_YEAR[:4]}")[0][0])
    assert cells == out["written"] == len(set((x.split(",")[0], x.split(",")[1], x.split(",")[2]) for x in rows))

    # the whole trust's forecast, five years
    sid = s.get(f"{base}/api/v1/scenarios", timeout=60).json()["items"][0]["id"]

    def do_forecast():
        return s.post(f"{base}/api/v1/forecasts", json={"scenario": sid, "horizon": 5}, timeout=600)
    r, fc_bytes, fc_sets, fc_s = measured(c, do_forecast)
    assert r.status_code == 201, r.text[:1000]
    rid = r.json()["id"]
    fc_rows = [int(c.node_sql(i, f"SELECT COUNT(*) FROM {DB}.forecast_years WHERE run_id = {rid}")[0][0])
               for i in (1, 2, 3)]
    assert fc_rows[0] == (SCHOOLS + 2) * 6 and len(set(fc_rows)) == 1, fc_rows
    lines = int(c.node_sql(1, f"SELECT COALESCE(SUM(JSON_LENGTH(lines_json)), 0) FROM {DB}.forecast_years "
                              f"WHERE run_id = {rid}")[0][0])
    stored = int(c.node_sql(1, f"SELECT SUM(LENGTH(lines_json) + COALESCE(LENGTH(staffing_json), 0)) "
                               f"FROM {DB}.forecast_years WHERE run_id = {rid}")[0][0])

    mb = 1024 * 1024
    limit = "unlimited" if max_rows == 0 else str(max_rows)
    report(capsys, "\n".join([
        f"== Galera write-sets of the largest transactions (wsrep_max_ws_size {max_size / mb:.0f} MiB, "
        f"wsrep_max_ws_rows {limit}) ==",
        f"actuals import, {len(rows)} rows -> {out['written']} cells ({len(urns)} schools x {months} months x 2 "
        f"codes): {imp_bytes / mb:.2f} MiB in {imp_sets} write-set(s), {imp_s:.1f} s",
        f"forecast save, {SCHOOLS} schools x 5 years: {fc_rows[0]} forecast_years rows holding {lines} lines "
        f"({stored / mb:.1f} MiB of JSON): {fc_bytes / mb:.2f} MiB in {fc_sets} write-set(s) "
        f"(one transaction), {fc_s:.1f} s",
        f"largest / limit: {max(imp_bytes, fc_bytes) / max_size * 100:.2f}% of wsrep_max_ws_size",
    ]))
    for b, n_rows in ((imp_bytes, out["written"] * 2 + 2), (fc_bytes, fc_rows[0] + 2)):
        assert b < max_size / 4, f"a write-set of {b} bytes is near wsrep_max_ws_size {max_size}"
        assert max_rows == 0 or n_rows < max_rows / 2
