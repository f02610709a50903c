"""Spreadsheet exports: every CSV export also as XLSX (Accept: the XLSX media type), read
back with openpyxl (Debian's python3-openpyxl): sheets, header, types, number formats,
formulas and their cached values, locked cells; and the CSV and the XLSX of one export
carry the same figures. CSVs start with a UTF-8 byte-order mark."""
import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from conftest import expect, publish_run, sql_rows
from test_budgets import get_budget, url

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"


def fetch(api, path, accept, role="finance_director", **kw):
    r = api.get(path, role=role, headers={"Accept": accept}, **kw)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].split(";")[0] == accept
    assert "Accept" in r.headers["Vary"]
    return r


def workbook(r, data_only=False):
    assert r.content[:2] == b"PK"                     # a zip container
    return openpyxl.load_workbook(io.BytesIO(r.content), data_only=data_only)


def csv_rows(r):
    text = r.content.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def pence(v):
    """A money cell back to pence: the cell is pence / 100 as a double; round it."""
    assert isinstance(v, (int, float)), v
    return int((Decimal(repr(v)) * 100).to_integral_value())


def pounds_pence(s):
    """A CSV amount ("-1234.56") to pence."""
    return int((Decimal(s) * 100).to_integral_value())


def sheet_rows(ws):
    return [list(row) for row in ws.iter_rows(values_only=True)]


def check_table_sheet(ws, header):
    assert [c.value for c in ws[1]] == header
    assert ws.freeze_panes == "A2"
    assert all(c.font.b for c in ws[1])


# ---- the budget (ISSUE14 contract, section 3) ----

@pytest.fixture(scope="module")
def chart(seeded):
    return [{"code": r[0], "name": r[1], "kind": r[2]} for r in
            sql_rows("SELECT code, name, kind FROM accounts ORDER BY id")]


BUDGET_HEADER = ["code", "account", "kind", "description", "amount", "driver", "excluded_from_central",
                 "computed", "profile"]                 # issue 17: the line's profile, last


def test_budget_xlsx(api, first_urn, chart):
    b, etag = get_budget(api, first_urn, "2026-27")
    r = fetch(api, url(first_urn, "2026-27"), XLSX)
    assert r.headers["ETag"] == etag[:-1] + '.xlsx"'  # the version's, named for this representation
    assert r.headers["Content-Disposition"] == f'attachment; filename="budget-{first_urn}-2026-27.xlsx"'
    wb = workbook(r)
    assert wb.sheetnames == ["Budget", "Summary", "Accounts"]
    ws = wb["Budget"]
    check_table_sheet(ws, BUDGET_HEADER)
    assert ws.auto_filter.ref == f"A1:I{len(b['lines']) + 1}"
    assert ws.protection.sheet and not ws.protection.password
    names = {a["code"]: a for a in chart}
    for i, l in enumerate(b["lines"]):
        row = i + 2                                   # line i on row i + 2
        cells = {h: ws.cell(row=row, column=k + 1) for k, h in enumerate(BUDGET_HEADER)}
        assert cells["code"].value == l["account_code"]
        assert cells["account"].value == names[l["account_code"]]["name"]
        assert cells["kind"].value == l["kind"]
        assert (cells["description"].value or "") == l["description"]
        assert cells["amount"].data_type == "n" and cells["amount"].number_format == "#,##0.00"
        assert pence(cells["amount"].value) == l["amount_pence"]
        assert (cells["driver"].value or None) == l["driver"]
        assert cells["excluded_from_central"].value == ("yes" if l["excluded_from_central"] else None)
        computed = l.get("computed", False)
        assert cells["computed"].value == ("yes" if computed else None)
        assert (cells["profile"].value or None) == (l["profile"] or (" ".join(map(str, l["profile_bp"]))
                                                                     if l["profile_bp"] else None))
        # locked: the information columns, and every cell of a computed row
        for h, c in cells.items():
            assert c.protection.locked == (computed or h in ("account", "kind", "computed")), (row, h)
    assert ws.cell(row=len(b["lines"]) + 2, column=1).value is None
    # the editable columns stay editable below the table (new rows)
    assert ws.column_dimensions["A"].width > 0

    summary = wb["Summary"]
    rows = {row[0]: row[1] for row in sheet_rows(summary)[1:] if row[0] is not None}
    assert rows["urn"] == first_urn and rows["year"] == "2026-27" and rows["status"] == b["status"]
    assert rows["version"] == str(b["version"]) and rows["entity"]
    assert rows["income"].startswith("=SUMPRODUCT(SUMIFS(Budget!")
    assert rows["in-year balance"] == "=B7-B8"
    cached = {row[0]: row[1] for row in sheet_rows(workbook(r, data_only=True)["Summary"])[1:]}
    assert pence(cached["income"]) == b["totals"]["income_pence"]
    assert pence(cached["expenditure"]) == b["totals"]["expenditure_pence"]
    assert pence(cached["in-year balance"]) == b["totals"]["in_year_balance_pence"]
    assert summary.protection.sheet

    acc = sheet_rows(wb["Accounts"])
    assert acc[0] == ["code", "name", "kind"]
    assert {row[0]: (row[1], row[2]) for row in acc[1:]} == {
        a["code"]: (a["name"], a["kind"]) for a in chart}

    # 304 for the XLSX on its own ETag
    r2 = api.get(url(first_urn, "2026-27"), role="finance_director",
                 headers={"Accept": XLSX, "If-None-Match": r.headers["ETag"]})
    assert r2.status_code == 304
    # the same budget gives the same bytes
    assert fetch(api, url(first_urn, "2026-27"), XLSX).content == r.content


def test_budget_csv_and_xlsx_agree(api, first_urn):
    rows = csv_rows(fetch(api, url(first_urn, "2026-27"), "text/csv"))
    ws = workbook(fetch(api, url(first_urn, "2026-27"), XLSX))["Budget"]
    header = rows[0]
    xl = sheet_rows(ws)
    assert len(xl) == len(rows)
    for crow, xrow in zip(rows[1:], xl[1:]):
        x = dict(zip(BUDGET_HEADER, xrow))
        c = dict(zip(header, crow))
        assert c["code"] == x["code"]
        assert c["description"] == (x["description"] or "")
        assert pounds_pence(c["amount"]) == pence(x["amount"])


def test_budget_formats_have_their_own_etags(api, first_urn):
    """One resource, three representations: a strong ETag names one of them, so a cache
    holding the JSON never answers a CSV or XLSX request with it (the web app saved the
    JSON as the CSV before); each format's own ETag gets its 304."""
    u = url(first_urn, "2026-27")
    tags = {}
    for accept in ("application/json", "text/csv", XLSX):
        r = api.get(u, role="finance_director", headers={"Accept": accept})
        assert r.status_code == 200, r.text
        tags[accept] = r.headers["ETag"]
    assert len(set(tags.values())) == 3, tags
    assert tags["text/csv"] == tags["application/json"][:-1] + '.csv"'
    assert tags[XLSX] == tags["application/json"][:-1] + '.xlsx"'
    for accept, tag in tags.items():
        assert api.get(u, role="finance_director",
                       headers={"Accept": accept, "If-None-Match": tag}).status_code == 304
        for other in tags:
            if other != accept:
                assert api.get(u, role="finance_director",
                               headers={"Accept": other, "If-None-Match": tag}).status_code == 200


def test_budget_xlsx_scoped(api, first_urn, school_urns):
    """A business manager gets her own school's workbook; another's is 403 as in JSON."""
    fetch(api, url(first_urn, "2026-27"), XLSX, role="business_manager")
    r = api.get(url(school_urns[-1], "2026-27"), role="business_manager", headers={"Accept": XLSX})
    expect(r, 403, "application/problem+json")


# ---- the allocations matrix and the central services statement ----

def check_same_figures(crows, xrows, money_cols):
    """The CSV's rows and the XLSX's (header included) carry the same text and pence."""
    assert len(crows) == len(xrows)
    assert crows[0] == [str(v) for v in xrows[0]]
    for c, x in zip(crows[1:], xrows[1:]):
        for k, (cv, xv) in enumerate(zip(c, x)):
            if k in money_cols:
                assert pounds_pence(cv) == pence(xv), (c, x)
            else:
                assert cv == ("" if xv is None else str(xv)), (k, c, x)


def test_allocations_xlsx(api):
    path = "/api/v1/allocations?year=2026-27"
    c = csv_rows(fetch(api, path, "text/csv"))
    r = fetch(api, path, XLSX)
    assert r.headers["Content-Disposition"] == 'attachment; filename="allocations-2026-27.xlsx"'
    wb = workbook(r)
    assert wb.sheetnames == ["Allocations"]
    ws = wb["Allocations"]
    check_table_sheet(ws, c[0])
    rows = sheet_rows(ws)
    check_same_figures(c, sheet_rows(workbook(r, data_only=True)["Allocations"]), set(range(2, len(c[0]))))
    # the total row: column sums, holding the figures
    last = len(rows)
    assert rows[-1][:2] == ["total", "All schools"]
    assert rows[-1][2] == f"=SUM(C2:C{last - 1})"
    assert ws.cell(row=2, column=3).number_format == "#,##0.00"
    assert not ws.protection.sheet
    # an ETag over the bytes, 304 on If-None-Match
    r2 = api.get(path, role="finance_director", headers={"Accept": XLSX, "If-None-Match": r.headers["ETag"]})
    assert r2.status_code == 304
    assert r.headers["ETag"] != fetch(api, path, "text/csv").headers["ETag"]


def test_statement_xlsx(api):
    path = "/api/v1/central-services-statement?year=2026-27"
    c = csv_rows(fetch(api, path, "text/csv", role="auditor"))
    r = fetch(api, path, XLSX, role="auditor")
    assert r.headers["Content-Disposition"] == 'attachment; filename="central-services-statement-2026-27.xlsx"'
    ws = workbook(r)["Statement"]
    check_table_sheet(ws, c[0])
    rows = sheet_rows(ws)
    rate = c[0].index("rate_bp")
    money = {c[0].index(k) for k in ("base", "paid", "received", "amount")}
    assert len(rows) == len(c)
    for crow, xrow in zip(c[1:], rows[1:]):
        for k, (cv, xv) in enumerate(zip(crow, xrow)):
            if k in money:
                assert pounds_pence(cv) == pence(xv)
            elif k == rate:
                # basis points as a percentage cell: 250 -> 0.025
                assert (cv == "" and xv is None) or int(cv) == round(xv * 10000)
            else:
                assert cv == (xv or "")
    assert any(ws.cell(row=i, column=rate + 1).number_format == "0.00%" for i in range(2, len(rows) + 1)
               if ws.cell(row=i, column=rate + 1).value is not None)


# ---- a forecast run: its lines (CSV and XLSX) and its summary (XLSX) ----

@pytest.fixture(scope="module")
def run3(api):
    sid = int(sql_rows("SELECT id FROM scenarios WHERE name = 'expected' AND deleted_at IS NULL")[0][0])
    r = api.post("/api/v1/forecasts", role="finance_director",
                 json={"scenario": sid, "base_year": "2026-27", "horizon": 3})
    return expect(r, 201)


def test_forecast_xlsx(api, run3):
    path = f"/api/v1/forecasts/{run3['id']}"
    c = csv_rows(fetch(api, path, "text/csv", role="auditor"))
    r = fetch(api, path, XLSX, role="auditor")
    assert r.headers["Content-Disposition"] == f'attachment; filename="forecast-{run3["id"]}.xlsx"'
    wb = workbook(r)
    assert wb.sheetnames == ["Lines", "Summary"]
    ws = wb["Lines"]
    check_table_sheet(ws, c[0])
    xl = sheet_rows(ws)
    assert len(xl) == len(c)
    amount, no, base = c[0].index("amount"), c[0].index("line_no"), c[0].index("base_year_amount")
    for crow, xrow in zip(c[1:], xl[1:]):
        assert pounds_pence(crow[amount]) == pence(xrow[amount])
        assert int(crow[no]) == xrow[no]
        assert (crow[base] == "" and xrow[base] is None) or pounds_pence(crow[base]) == pence(xrow[base])
        assert [v for k, v in enumerate(crow) if k not in (amount, no, base)] == \
            [v or "" for k, v in enumerate(xrow) if k not in (amount, no, base)]
    # the summary: every entity's years, as ?lines=false gives them
    full = expect(api.get(path, role="auditor", params={"lines": "false"}), 200)
    s = sheet_rows(wb["Summary"])
    head = s[0]
    assert head[:4] == ["entity", "name", "year", "basis"]
    by = {(row[0], row[2]): dict(zip(head, row)) for row in s[1:]}
    for e in full["entities"] + [full["trust"]]:
        urn = e.get("urn", "trust")
        for y in e["years"]:
            got = by[(urn, y["year"])]
            assert pence(got["income"]) == y["income_pence"]
            assert pence(got["closing_reserves"]) == y["closing_reserves_pence"]
            if y["kpis"]["reserves_bp"] is not None:
                assert round(got["reserves_bp"] * 10000) == y["kpis"]["reserves_bp"]
    assert len(by) == sum(len(e["years"]) for e in full["entities"] + [full["trust"]])
    # lines=false is JSON only
    r = api.get(path, role="auditor", params={"lines": "false"}, headers={"Accept": XLSX})
    expect(r, 422, "application/problem+json")


def test_forecast_xlsx_scoped(api, run3, first_urn):
    """A business manager's workbook holds her school alone (once the run is published: issue 15)."""
    publish_run(api, run3["id"])
    wb = workbook(fetch(api, f"/api/v1/forecasts/{run3['id']}", XLSX, role="business_manager"))
    assert {row[0] for row in sheet_rows(wb["Lines"])[1:]} == {first_urn}
    assert {row[0] for row in sheet_rows(wb["Summary"])[1:]} == {first_urn}
