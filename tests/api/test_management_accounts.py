"""The management accounts of a month (issue 17, README "Management accounts"): JSON, CSV and
XLSX carry the same figures, which are the monitoring's; the variances listed are those over
both thresholds (the configuration's, or the query's); roles."""
import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from conftest import expect, problem

URL = "/api/v1/management-accounts"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["entity", "name", "section", "item", "kind", "budget", "profile_to_date", "actual_to_date",
          "variance_to_date", "outturn", "full_year_variance", "profile", "actual", "amount", "bp", "favourable",
          "comment"]
SIX = ["budget", "profile_to_date", "actual_to_date", "variance_to_date", "outturn", "full_year_variance"]


def pence(v):
    return None if v in ("", None) else int((Decimal(str(v)) * 100).to_integral_value())


def get(api, accept=None, role="finance_director", **params):
    return api.get(URL, role=role, params=params, headers={"Accept": accept} if accept else {})


def rows_of_json(body):
    """The JSON as the spreadsheet's rows (entity, section, item, kind) -> {column: value}."""
    out = {}
    ents = body["entities"] + ([body["trust"]] if body["trust"] else [])
    for e in ents:
        u = e["urn"]
        for g in e["groups"]:
            out[(u, "group", g["group"], g["kind"])] = {
                "budget": g["budget_pence"], "profile_to_date": g["profile_to_date_pence"],
                "actual_to_date": g["actual_to_date_pence"], "variance_to_date": g["variance_to_date_pence"],
                "outturn": g["outturn_pence"], "full_year_variance": g["full_year_variance_pence"]}
        for k in ("income", "expenditure", "balance", "staff"):
            t = e["totals"]
            out[(u, "total", k, "")] = {
                "budget": t["budget"][f"{k}_pence"], "profile_to_date": t["profile_to_date"][f"{k}_pence"],
                "actual_to_date": t["actual_to_date"][f"{k}_pence"],
                "variance_to_date": t["actual_to_date"][f"{k}_pence"] - t["profile_to_date"][f"{k}_pence"],
                "outturn": t["outturn"][f"{k}_pence"],
                "full_year_variance": t["outturn"][f"{k}_pence"] - t["budget"][f"{k}_pence"]}
        for v in e["variances"]:
            out[(u, "variance", v["account_code"], v["kind"])] = {
                "profile_to_date": v["profile_to_date_pence"], "actual_to_date": v["actual_to_date_pence"],
                "variance_to_date": v["variance_to_date_pence"], "outturn": v["outturn_pence"],
                "full_year_variance": v["full_year_variance_pence"],
                "favourable": "yes" if v["favourable"] else "no", "comment": v["comment"] or ""}
        for k in ("opening", "closing_budget", "closing_outturn"):
            out[(u, "reserves", k, "")] = {"amount": e["reserves"][f"{k}_pence"]}
        for k, j in (("staff_pct", "staff_pct_bp"), ("reserves_pct", "reserves_pct_bp"),
                     ("in_year_balance_pct", "in_year_balance_pct_bp")):
            out[(u, "kpi", k, "")] = {"bp": e["kpis"][j]}
        for m in e["months"]:
            out[(u, "month", m["month"], "income")] = {"profile": m["income_profile_pence"],
                                                       "actual": m["income_actual_pence"]}
            out[(u, "month", m["month"], "expenditure")] = {"profile": m["expenditure_profile_pence"],
                                                            "actual": m["expenditure_actual_pence"]}
    return out


def check_rows(rows, want, num):
    """rows (header first) hold exactly want's rows with its values; num reads an amount cell."""
    assert rows[0] == HEADER
    got = {}
    for r in rows[1:]:
        d = dict(zip(HEADER, r))
        key = (d["entity"], d["section"], d["item"], d["kind"] or "")
        assert key not in got, key
        got[key] = d
    assert set(got) == set(want)
    for key, values in want.items():
        for col, v in values.items():
            if col in ("favourable", "comment"):
                assert (got[key][col] or "") == v, (key, col)
            elif col == "bp":
                cell = got[key][col]
                assert (None if cell in ("", None) else num(cell, bp=True)) == v, (key, col)
            else:
                assert num(got[key][col]) == v, (key, col, got[key][col])


def csv_num(cell, bp=False):
    if cell in ("", None):
        return None
    return int(cell) if bp else pence(cell)


def xlsx_num(cell, bp=False):
    if cell in ("", None):
        return None
    return int((Decimal(str(cell)) * 10000).to_integral_value()) if bp else pence(cell)


@pytest.mark.parametrize("params", [{"month": "2026-11"}, {"month": "2026-11", "threshold_pence": "0",
                                                          "threshold_bp": "0"}])
def test_three_formats_agree(api, params):
    body = expect(get(api, **params), 200)
    want = rows_of_json(body)
    r = get(api, "text/csv", **params)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert r.headers["Content-Disposition"] == 'attachment; filename="management-accounts-2026-11.csv"'
    check_rows(list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline=""))), want, csv_num)
    r = get(api, XLSX, **params)
    assert r.status_code == 200 and r.headers["Content-Type"] == XLSX
    wb = openpyxl.load_workbook(io.BytesIO(r.content), data_only=True)
    assert wb.sheetnames == ["Management accounts"]
    rows = [["" if c is None else c for c in row] for row in wb["Management accounts"].iter_rows(values_only=True)]
    check_rows(rows, want, xlsx_num)


def test_figures_are_the_monitorings(api):
    body = expect(get(api, month="2026-11", threshold_pence="0", threshold_bp="0"), 200)
    trust = expect(api.get("/api/v1/monitoring?month=2026-11", role="finance_director"), 200)
    by_urn = {e["urn"]: e for e in trust["entities"]}
    assert [e["urn"] for e in body["entities"]] == [e["urn"] for e in trust["entities"]]
    for e in body["entities"]:
        m = by_urn[e["urn"]]
        assert (e["totals"], e["reserves"], e["kpis"]) == (m["totals"], m["reserves"], m["kpis"])
        one = expect(api.get(f"/api/v1/schools/{e['urn']}/monitoring?month=2026-11", role="finance_director"), 200)
        lines = one["lines"]
        # threshold 0: every code with a variance, internal codes never
        internal = {l["account_code"] for l in lines if l["group"] == "internal"}
        assert [v["account_code"] for v in e["variances"]] == \
            [l["account_code"] for l in lines if l["variance_to_date_pence"] != 0 and l["account_code"] not in internal]
        by_code = {l["account_code"]: l for l in lines}
        for v in e["variances"]:
            assert v["full_year_favourable"] is by_code[v["account_code"]]["full_year_favourable"], v["account_code"]
        # the groups sum the lines of each group; the months sum the lines' months (no internal
        # codes in a school's groups' pass-through: the months through the totals are checked on income)
        for g in e["groups"]:
            gl = [l for l in lines if l["group"] == g["group"] and l["kind"] == g["kind"]]
            assert g["budget_pence"] == sum(l["budget_pence"] for l in gl)
            assert g["actual_to_date_pence"] == sum(l["actual_to_date_pence"] for l in gl)
            assert g["outturn_pence"] == sum(l["outturn_pence"] for l in gl)
        for i, mo in enumerate(e["months"]):
            if i >= 3:
                assert mo["income_actual_pence"] is None and mo["expenditure_actual_pence"] is None
        assert sum(mo["income_profile_pence"] for mo in e["months"]) == e["totals"]["budget"]["income_pence"]
        assert sum(mo["expenditure_profile_pence"] for mo in e["months"]) == e["totals"]["budget"]["expenditure_pence"]
        assert sum(mo["income_actual_pence"] for mo in e["months"][:3]) == e["totals"]["actual_to_date"]["income_pence"]
    assert body["trust"]["totals"] == trust["trust"]["totals"]


def test_threshold(api):
    """The configuration's (1,000,000p and 1,000 bp) unless the query says otherwise; a variance is
    listed when it is over both."""
    body = expect(get(api, month="2026-11"), 200)
    assert body["threshold"] == {"pence": 1000000, "bp": 1000}
    every = expect(get(api, month="2026-11", threshold_pence="0", threshold_bp="0"), 200)
    for tp, tb in ((1000000, 1000), (1000, 0), (0, 500), (50000, 200)):
        b = body if (tp, tb) == (1000000, 1000) else expect(get(api, month="2026-11", threshold_pence=str(tp),
                                                                  threshold_bp=str(tb)), 200)
        assert b["threshold"] == {"pence": tp, "bp": tb}
        for e, all_e in zip(b["entities"] + [b["trust"]], every["entities"] + [every["trust"]]):
            want = [v["account_code"] for v in all_e["variances"]
                    if abs(v["variance_to_date_pence"]) > tp
                    and abs(v["variance_to_date_pence"]) * 10000 > tb * abs(v["profile_to_date_pence"])]
            assert [v["account_code"] for v in e["variances"]] == want, (tp, tb, e["urn"])
    huge = expect(get(api, month="2026-11", threshold_pence="100000000000"), 200)
    assert all(e["variances"] == [] for e in huge["entities"] + [huge["trust"]])
    for bad in ({"threshold_pence": "-1"}, {"threshold_pence": "1.5"}, {"threshold_bp": "x"},
                {"threshold_bp": "1000001"}, {"threshold_pence": ""}):
        field = "query:" + next(iter(bad))
        problem(get(api, month="2026-11", **bad), 422, fields=[field])


def test_roles(api, first_urn, school_urns):
    problem(get(api, role="business_manager", month="2026-11"), 403)
    problem(get(api, role="business_manager", month="2026-11", urn=school_urns[1]), 403)
    problem(get(api, role="school_system", month="2026-11", urn=first_urn), 403)
    body = expect(get(api, role="business_manager", month="2026-11", urn=first_urn), 200)
    assert [e["urn"] for e in body["entities"]] == [first_urn] and body["trust"] is None
    r = get(api, "text/csv", role="business_manager", month="2026-11", urn=first_urn)
    assert r.status_code == 200
    assert r.headers["Content-Disposition"] == f'attachment; filename="management-accounts-2026-11-{first_urn}.csv"'
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    assert {row[0] for row in rows[1:]} == {first_urn}
    expect(get(api, role="auditor", month="2026-11", urn="central"), 200)
    problem(get(api, role="auditor", month="2026-11", urn="12"), 422, fields=["query:urn"])
    problem(get(api, role="auditor", month="2026-11", urn="999999"), 404)
    problem(get(api, role="auditor", month="2026-13"), 422, fields=["query:month"])
    problem(get(api, role="auditor", year="2026-27"), 422)
