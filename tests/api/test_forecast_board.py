"""What goes to trustees (issue 15, item 7): a run's summary (GET /forecasts/{id}/summary) as
JSON, CSV and XLSX — its figures the run's saved totals to the penny, school names and the base
year included, the first deficit and negative-reserves years — and the comparison of two to six
runs (GET /forecasts/compare?runs=) in the three formats. The summary of the demo's `expected`
run as XLSX, opened and saved again by LibreOffice Calc, still holds the JSON's figures."""
import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from conftest import expect, problem
from libreoffice import libreoffice_resave

URL = "/api/v1/forecasts"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_HEAD = ["entity", "name", "year", "basis", "income", "expenditure", "in_year_balance", "closing_reserves",
            "reserves_pct", "staff_pct", "teacher_fte", "pupil_teacher_ratio", "average_teacher_cost",
            "teaching_cost_pct"]
STAFFING = ("teacher_fte_h", "pupil_teacher_ratio_h", "average_teacher_cost_pence", "teaching_cost_bp")


def pounds(pence):
    return f"{'-' if pence < 0 else ''}{abs(pence) // 100}.{abs(pence) % 100:02d}"


def pct(bp):
    return "" if bp is None else pounds(bp)


def staffing(y):
    """The summary's last four columns of a year: its staffing_metrics (None without)."""
    m = y.get("staffing_metrics") or {}
    return [m.get(k) for k in STAFFING]


def pence(v):
    return int((Decimal(str(v)) * 100).to_integral_value())


def csv_rows(r):
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv"), r.text[:300]
    return list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))


def get(api, path, accept=None, role="finance_director", headers=None, **kw):
    headers = dict(headers or {}, **({"Accept": accept} if accept else {}))
    return api.get(path, role=role, headers=headers, **kw)


@pytest.fixture(scope="module")
def runs(api):
    """Three runs of the demo trust over five years: expected, cautious, optimistic."""
    return [expect(api.post(URL, role="finance_director", json={"scenario": name, "base_year": "2026-27", "horizon": 5}),
                   201) for name in ("expected", "cautious", "optimistic")]


def test_summary_ties_to_the_run(api, runs, school_urns):
    f = runs[0]
    r = get(api, f"{URL}/{f['id']}/summary")
    s = expect(r, 200)
    assert r.headers["ETag"].startswith(f'"{f["version"]}-h')
    assert s["run"]["id"] == f["id"] and s["run"]["label"] == f["label"] and s["run"]["status"] == "draft"
    assert s["years"] == ["2026-27", "2027-28", "2028-29", "2029-30", "2030-31", "2031-32"]
    assert [e["entity"] for e in s["entities"]] == school_urns + ["central", "trust"]
    assert [e["kind"] for e in s["entities"]] == ["school"] * len(school_urns) + ["central", "trust"]
    full = expect(api.get(f"{URL}/{f['id']}", role="finance_director", params={"lines": "false"}), 200)
    source = {e["urn"]: e for e in full["entities"]}
    source["trust"] = full["trust"]
    for e in s["entities"]:
        src = source[e["entity"]]
        if e["kind"] == "school":
            assert e["name"] == src["name"] and e["name"]
        assert [y["year"] for y in e["years"]] == s["years"]
        assert e["years"][0]["basis"] == "budget" and all(y["basis"] == "forecast" for y in e["years"][1:])
        for y, w in zip(e["years"], src["years"]):
            # to the penny: the run's own totals
            assert (y["income_pence"], y["expenditure_pence"], y["in_year_balance_pence"], y["closing_reserves_pence"]) == \
                (w["income_pence"], w["expenditure_pence"], w["in_year_balance_pence"], w["closing_reserves_pence"])
            assert (y["reserves_bp"], y["staff_bp"]) == (w["kpis"]["reserves_bp"], w["kpis"]["staff_costs_bp"])
        deficits = [y["year"] for y in e["years"] if y["in_year_balance_pence"] < 0]
        negative = [y["year"] for y in e["years"] if y["closing_reserves_pence"] < 0]
        assert e["first_deficit_year"] == (deficits[0] if deficits else None)
        assert e["first_negative_reserves_year"] == (negative[0] if negative else None)
    # the falling rolls' schools run deficits from the base year on
    assert {e["entity"]: e["first_deficit_year"] for e in s["entities"]}["159904"] is not None
    assert s["warnings"] == full["warnings"]
    r2 = get(api, f"{URL}/{f['id']}/summary", headers={"If-None-Match": r.headers["ETag"]})
    assert r2.status_code == 304
    problem(get(api, f"{URL}/99999999/summary"), 404)
    problem(get(api, f"{URL}/{f['id']}/summary", params={"year": "2027-28"}), 422)
    problem(get(api, f"{URL}/{f['id']}/summary", role="school_system"), 403)


def test_summary_csv(api, runs):
    f = runs[0]
    s = expect(get(api, f"{URL}/{f['id']}/summary", role="auditor"), 200)
    r = get(api, f"{URL}/{f['id']}/summary", "text/csv", role="auditor")
    rows = csv_rows(r)
    assert f'forecast-{f["id"]}-summary.csv' in r.headers["Content-Disposition"]
    assert rows[0] == CSV_HEAD
    want = [[e["entity"], e["name"], y["year"], y["basis"], pounds(y["income_pence"]), pounds(y["expenditure_pence"]),
             pounds(y["in_year_balance_pence"]), pounds(y["closing_reserves_pence"]), pct(y["reserves_bp"]),
             pct(y["staff_bp"])] + [pct(v) for v in staffing(y)] for e in s["entities"] for y in e["years"]]
    assert rows[1:] == want
    assert r.content.endswith(b"\r\n")


def sheet(ws):
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_summary_xlsx_of_the_demo_expected_run_opens_in_libreoffice(api, runs):
    """Done when (issue 15): the summary of the demo's `expected` run as XLSX opens in LibreOffice
    with the figures the JSON has."""
    f = runs[0]
    assert f["scenario"]["name"] == "expected"
    s = expect(get(api, f"{URL}/{f['id']}/summary"), 200)
    r = get(api, f"{URL}/{f['id']}/summary", XLSX)
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert r.headers["Content-Disposition"] == f'attachment; filename="forecast-{f["id"]}-summary.xlsx"'
    saved = libreoffice_resave(r.content)
    for data in (r.content, saved):
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        assert wb.sheetnames == ["Summary", "Reserves", "In-year balance", "Warnings"]
        rows = sheet(wb["Summary"])
        assert rows[0] == CSV_HEAD
        body = rows[1:]
        assert len(body) == sum(len(e["years"]) for e in s["entities"])
        i = 0
        for e in s["entities"]:
            for y in e["years"]:
                row = body[i]
                i += 1
                assert row[:4] == [e["entity"], e["name"], y["year"], y["basis"]]
                assert [pence(v) for v in row[4:8]] == [y["income_pence"], y["expenditure_pence"],
                                                        y["in_year_balance_pence"], y["closing_reserves_pence"]]
                for v, bp in zip(row[8:10] + [row[13]], (y["reserves_bp"], y["staff_bp"], staffing(y)[3])):
                    assert (v is None and bp is None) or round(v * 10000) == bp
                assert [None if v is None else pence(v) for v in row[10:13]] == staffing(y)[:3]
        for name, key, first in (("Reserves", "closing_reserves_pence", "first_negative_reserves_year"),
                                 ("In-year balance", "in_year_balance_pence", "first_deficit_year")):
            rows = sheet(wb[name])
            assert rows[0] == ["entity", "name"] + s["years"] + [first]
            assert [row[0] for row in rows[1:]] == [e["entity"] for e in s["entities"]]
            for row, e in zip(rows[1:], s["entities"]):
                assert [pence(v) for v in row[2:-1]] == [y[key] for y in e["years"]]
                assert row[-1] == e[first]
        rows = sheet(wb["Warnings"])
        assert rows[0] == ["entity", "name", "year", "code", "message"]
        assert [(w[0], w[2], w[3], w[4]) for w in rows[1:]] == \
            [(x["entity"], x["year"], x["code"], x["message"]) for x in s["warnings"]]


def test_compare_three_runs(api, runs, school_urns):
    ids = ",".join(str(f["id"]) for f in runs)
    r = get(api, f"{URL}/compare", params={"runs": ids})
    c = expect(r, 200)
    assert [h["id"] for h in c["runs"]] == [f["id"] for f in runs]
    assert all("label" in h and h["status"] == "draft" for h in c["runs"])
    assert len(c["items"]) == (len(school_urns) + 2) * 6
    assert [i["entity"] for i in c["items"][::6]] == school_urns + ["central", "trust"]
    full = [expect(api.get(f"{URL}/{f['id']}", role="finance_director", params={"lines": "false"}), 200) for f in runs]
    by = [{(e.get("urn", "trust"), y["year"]): y for e in g["entities"] + [g["trust"]] for y in e["years"]} for g in full]
    for it in c["items"]:
        assert it["name"]
        for k, v in enumerate(it["values"]):
            y = by[k][(it["entity"], it["year"])]
            assert v == {"income_pence": y["income_pence"], "expenditure_pence": y["expenditure_pence"],
                         "in_year_balance_pence": y["in_year_balance_pence"],
                         "closing_reserves_pence": y["closing_reserves_pence"], "reserves_bp": y["kpis"]["reserves_bp"]}
        assert it["diff"][0] is None
        for k in (1, 2):
            for m, d in it["diff"][k].items():
                a, b = it["values"][0][m], it["values"][k][m]
                assert d == (None if a is None or b is None else b - a)
    t = [i for i in c["items"] if i["entity"] == "trust" and i["year"] == "2031-32"][0]
    assert t["diff"][1]["closing_reserves_pence"] < 0 < t["diff"][2]["closing_reserves_pence"]
    # CSV: a row per entity, year and measure, a column per run (by label; the same labels told apart)
    rows = csv_rows(get(api, f"{URL}/compare", "text/csv", params={"runs": ids}))
    labels = [h["label"] for h in c["runs"]]
    if len(set(labels)) < 3:
        labels = [f"{h['label']} (run {h['id']})" if labels.count(h["label"]) > 1 else h["label"] for h in c["runs"]]
    assert rows[0] == ["entity", "name", "year", "measure"] + labels
    assert len(rows) - 1 == len(c["items"]) * 5
    measures = ["income", "expenditure", "in_year_balance", "closing_reserves", "reserves_pct"]
    keys = ["income_pence", "expenditure_pence", "in_year_balance_pence", "closing_reserves_pence", "reserves_bp"]
    for n, row in enumerate(rows[1:]):
        it, m = c["items"][n // 5], n % 5
        assert row[:4] == [it["entity"], it["name"], it["year"], measures[m]]
        assert row[4:] == [pct(v[keys[m]]) if m == 4 else pounds(v[keys[m]]) for v in it["values"]]
    # XLSX: a sheet per measure
    r = get(api, f"{URL}/compare", XLSX, params={"runs": ids})
    assert r.status_code == 200 and r.content[:2] == b"PK"
    wb = openpyxl.load_workbook(io.BytesIO(r.content), data_only=True)
    assert wb.sheetnames == ["Income", "Expenditure", "In-year balance", "Closing reserves", "Reserves % of income"]
    for m, name in enumerate(wb.sheetnames):
        rows = sheet(wb[name])
        assert rows[0] == ["entity", "name", "year"] + labels
        assert len(rows) - 1 == len(c["items"])
        for row, it in zip(rows[1:], c["items"]):
            assert row[:3] == [it["entity"], it["name"], it["year"]]
            want = [v[keys[m]] for v in it["values"]]
            got = [None if x is None else (round(x * 10000) if m == 4 else pence(x)) for x in row[3:]]
            assert got == want


def test_compare_takes_two_to_six_distinct_runs(api, runs):
    a, b, c = (f["id"] for f in runs)
    for bad in ("", str(a), f"{a},{a}", f"{a},{b},{a}", ",".join([str(a), str(b), str(c)] * 2 + [str(a)]),
                f"{a},{b},{c},{a + 1000000},{a + 1000001},{a + 1000002},{a + 1000003}", f"{a},0{b}", f"{a},-{b}",
                f"{a},,{b}", f"{a},{b},"):
        p = problem(get(api, f"{URL}/compare", params={"runs": bad}), 422)
        assert [e["field"] for e in p["errors"]] == ["query:runs"], (bad, p)
    problem(get(api, f"{URL}/compare", params={"a": a, "b": b}), 422)
    problem(get(api, f"{URL}/compare"), 422)
    problem(get(api, f"{URL}/compare", params={"runs": f"{a},99999999"}), 404)
    # six is the most
    more = [expect(api.post(URL, role="finance_director", json={"scenario": "expected", "horizon": 1}), 201)["id"]
            for _ in range(3)]
    six = expect(get(api, f"{URL}/compare", params={"runs": ",".join(map(str, [a, b, c] + more))}), 200)
    assert len(six["runs"]) == 6 and all(len(i["values"]) == 6 for i in six["items"])
    # a year only some runs have: null there, and no difference
    late = [i for i in six["items"] if i["year"] == "2031-32"]
    assert late and all(i["values"][3] is None and i["diff"][3] is None and i["values"][0] for i in late)
