"""A synthetic trust of 100 schools (tests/bench/synth_trust.py) in a database of its own:
a five-year forecast saves ~30,000 lines, so the save goes to the database in several bulk
batches and the central team's years carry hundreds of postings; every line is saved and read
back (JSON, one entity, CSV, and the forecast_lines view) and the figures hold together. Two
traded services every school takes give 200 (school, code) costs to look up each year."""
import csv
import io
import subprocess
import sys

import pytest
import requests

from conftest import DBDIR, ROOT, Daemon, free_port, run_bursard, sql, sql_rows, sql_value, write_config

DB = "bursar_large"
SCHOOLS = 100


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    work = tmp_path_factory.mktemp("large")
    port = free_port()
    conf = write_config(work / "large.conf", port)
    conf.write_text(conf.read_text().replace('name = "bursar";', f'name = "{DB}";'))
    sql(f"DROP DATABASE IF EXISTS {DB}; CREATE DATABASE {DB} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    d = None
    try:
        run_bursard("migrate", conf=conf)
        data = subprocess.run([sys.executable, str(ROOT / "tests/bench/synth_trust.py"), str(SCHOOLS)],
                              check=True, capture_output=True, text=True).stdout
        accounts = (ROOT / "schema/seed/010_accounts.sql").read_text()
        subprocess.run(["mariadb", f"--defaults-file={DBDIR / 'my.cnf'}", DB], input=(accounts + data).encode(),
                       check=True, capture_output=True, timeout=120)
        out = run_bursard("token", "create", "--role", "finance_director", "--label", "large", conf=conf)
        token = [w for w in (out.stdout + out.stderr).split() if w.startswith("bt_")][0]
        d = Daemon("large", conf=conf, port=port).start()
        s = requests.Session()
        s.headers["Authorization"] = "Bearer " + token
        yield d.url, s
    finally:
        if d is not None:
            d.stop()
        sql(f"DROP DATABASE IF EXISTS {DB}")


def test_a_large_run_is_saved_whole_and_reads_back(large):
    base, s = large
    sid = s.get(base + "/api/v1/scenarios").json()["items"][0]["id"]
    r = s.post(base + "/api/v1/forecasts", json={"scenario": sid, "horizon": 5}, timeout=120)
    assert r.status_code == 201, r.text[:500]
    summary = r.json()
    rid = summary["id"]
    assert len(summary["entities"]) == SCHOOLS + 1 and all("lines" not in y for y in summary["trust"]["years"])
    full = s.get(f"{base}/api/v1/forecasts/{rid}", timeout=120).json()
    n = sum(len(y.get("lines", [])) for e in full["entities"] + [full["trust"]] for y in e["years"])
    assert n > 4 * 4000                                # several bulk batches (4,000 lines each)
    assert int(sql_value(f"SELECT COUNT(*) FROM {DB}.forecast_years WHERE run_id = {rid}")) == (SCHOOLS + 2) * 6
    assert int(sql_value(f"SELECT COUNT(*) FROM {DB}.forecast_lines WHERE run_id = {rid}")) == n
    central = full["entities"][-1]
    assert central["urn"] == "central"
    assert len(central["years"][1]["lines"]) > SCHOOLS     # a posting for every school, at least
    # the summary the POST gave is the full run without its lines
    for e, f in zip(summary["entities"], full["entities"]):
        assert e["years"] == [{k: v for k, v in y.items() if k != "lines"} for y in f["years"]]
    # every year's lines add up to its totals (the GAG that passes through, INT03 and INT06, netted out of
    # both); internal codes net to zero across the trust
    income = {r[0] for r in sql_rows(f"SELECT code FROM {DB}.accounts WHERE kind = 'income'")}
    for e in full["entities"]:
        for y in e["years"][1:]:
            passed = sum(l["amount_pence"] for l in y["lines"] if l["account_code"] in ("INT03", "INT06"))
            assert sum(l["amount_pence"] for l in y["lines"] if l["account_code"] in income) - passed == \
                y["income_pence"]
            assert sum(l["amount_pence"] for l in y["lines"] if l["account_code"] not in income) - passed == \
                y["expenditure_pence"]
    for k in range(1, 6):
        ys = [e["years"][k] for e in full["entities"]]
        assert sum(y["internal_income_pence"] for y in ys) == sum(y["internal_expenditure_pence"] for y in ys)
        assert full["trust"]["years"][k]["in_year_balance_pence"] == sum(y["in_year_balance_pence"] for y in ys)
    # the traded cleaning service (£2,500,000 a year entered, indexed by the scenario's CPI: 3% for
    # 2027-28, 2.5% for 2028-29) shared by pupils, a line of its own in every school, exactly
    schools = full["entities"][:-1]
    for k, total in ((1, 257_500_000), (2, 263_937_500)):
        e14 = [l for e in schools for l in e["years"][k]["lines"] if l["account_code"] == "E14"]
        assert len(e14) == SCHOOLS and all(l["driver"] == "services" for l in e14)
        assert sum(l["amount_pence"] for l in e14) == total
        e28 = [l["amount_pence"] for e in schools for l in e["years"][k]["lines"] if l["account_code"] == "E28a"]
        assert len(e28) == SCHOOLS and max(e28) - min(e28) <= 1      # equal shares, a penny apart at most
    # one entity alone, and the CSV: the same lines
    one = s.get(f"{base}/api/v1/forecasts/{rid}", params={"entity": "300042"}).json()
    assert one["entities"] == [e for e in full["entities"] if e["urn"] == "300042"]
    text = s.get(f"{base}/api/v1/forecasts/{rid}", headers={"Accept": "text/csv"}, timeout=120).content
    assert text.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"), newline="")))
    assert len(rows) - 1 == n and rows[-1][0] == "trust"
