"""The ledger's actuals and commitments (issue 17; README "Monitoring: the ledger and actuals"):
reading an entity's cells of a year, the import of a ledger export, and the closed periods."""
import json

import pytest

from conftest import expect, problem, sql, sql_value

READ_YEAR = 2031                      # cells written here by SQL: no import or seed touches 2031-32


@pytest.fixture(scope="module")
def read_cells(api, first_urn, school_urns):
    """Cells of 2031-32 for two schools written straight into the table."""
    other = school_urns[1]
    rows = [(first_urn, 1, "actual", "E02", 123456), (first_urn, 1, "commitment", "E02", 5000),
            (first_urn, 5, "actual", "I01", 99), (first_urn, 5, "actual", "E02", -700),
            (other, 2, "actual", "E02", 42)]
    sql(f"DELETE FROM actuals WHERE year = {READ_YEAR}")
    for urn, month, kind, code, amount in rows:
        sql(f"INSERT INTO actuals (school_id, year, month, kind, account_id, amount_pence) "
            f"SELECT s.id, {READ_YEAR}, {month}, '{kind}', a.id, {amount} FROM schools s, accounts a "
            f"WHERE s.urn = '{urn}' AND a.code = '{code}'")
    yield other
    sql(f"DELETE FROM actuals WHERE year = {READ_YEAR}")


def test_an_entitys_actuals_are_read_in_order(api, first_urn, read_cells):
    body = expect(api.get(f"/api/v1/schools/{first_urn}/actuals?year=2031-32", role="finance_director"), 200)
    assert body == {"urn": first_urn, "year": "2031-32", "items": [
        {"month": "2031-09", "account_code": "E02", "kind": "actual", "amount_pence": 123456},
        {"month": "2031-09", "account_code": "E02", "kind": "commitment", "amount_pence": 5000},
        {"month": "2032-01", "account_code": "E02", "kind": "actual", "amount_pence": -700},
        {"month": "2032-01", "account_code": "I01", "kind": "actual", "amount_pence": 99}]}
    body = expect(api.get(f"/api/v1/schools/{first_urn}/actuals?year=2031-32&kind=commitment", role="auditor"), 200)
    assert [i["amount_pence"] for i in body["items"]] == [5000]
    other = expect(api.get(f"/api/v1/schools/{read_cells}/actuals?year=2031-32", role="auditor"), 200)
    assert other["items"] == [{"month": "2031-10", "account_code": "E02", "kind": "actual", "amount_pence": 42}]
    empty = expect(api.get(f"/api/v1/schools/central/actuals?year=2031-32", role="auditor"), 200)
    assert empty == {"urn": "central", "year": "2031-32", "items": []}


def test_actuals_read_roles_and_queries(api, first_urn, read_cells):
    # a business manager sees her school, not another; a school system nothing
    expect(api.get(f"/api/v1/schools/{first_urn}/actuals?year=2031-32", role="business_manager"), 200)
    problem(api.get(f"/api/v1/schools/{read_cells}/actuals?year=2031-32", role="business_manager"), 403)
    problem(api.get(f"/api/v1/schools/{first_urn}/actuals?year=2031-32", role="school_system"), 403)
    problem(api.get(f"/api/v1/schools/{first_urn}/actuals?year=2031", role="auditor"), 422, "validation",
            fields=["query:year"])
    problem(api.get(f"/api/v1/schools/{first_urn}/actuals?kind=budget", role="auditor"), 422, "validation",
            fields=["query:kind"])
    problem(api.get(f"/api/v1/schools/{first_urn}/actuals?month=2026-11", role="auditor"), 422)
    problem(api.get("/api/v1/schools/999999/actuals", role="auditor"), 404)


# ---------------------------------------------------------------------------
# the import (year 2029-30: no seed or other test imports there)
# ---------------------------------------------------------------------------

import io

import openpyxl

from conftest import audit_max, sql_rows, unchanged

CSV_CT = "text/csv; charset=utf-8"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Y = "2029-30"
IMP = f"/api/v1/actuals/import?year={Y}&kind=actual"
CELLS = "SELECT school_id, year, month, kind, account_id, amount_pence FROM actuals WHERE year = 2029 ORDER BY 1, 3, 4, 5"
IMPORTS = "SELECT * FROM actual_imports WHERE year = 2029"


@pytest.fixture(scope="module")
def mapping(api, school_urns):
    """The test's own cost centres and nominal codes: two schools and the central team; GAG (I01,
    income), supply (E02, two nominal codes) and energy (E16)."""
    a, b = school_urns[0], school_urns[1]
    for code, urn in (("TA-CC1", a), ("TA-CC2", b), ("TA-CEN", "central")):
        expect(api.post("/api/v1/ledger/cost-centres", role="finance_director",
                        json={"code": code, "urn": urn, "description": "test"}), 201)
    for code, acct in (("TA4000", "I01"), ("TA5000", "E02"), ("TA5001", "E02"), ("TA6000", "E16")):
        expect(api.post("/api/v1/ledger/nominals", role="finance_director",
                        json={"code": code, "account_code": acct}), 201)
    sql("DELETE FROM actuals WHERE year = 2029")
    yield a, b
    sql("DELETE FROM actuals WHERE year = 2029")


def imp(api, body, query=IMP, ct=CSV_CT, role="finance_director", headers=None):
    return api.post(query, role=role, body=body if isinstance(body, bytes) else body.encode(), json_ct=False,
                    headers={"Content-Type": ct, **(headers or {})})


def cells(api, urn, kind=None):
    q = f"/api/v1/schools/{urn}/actuals?year={Y}" + (f"&kind={kind}" if kind else "")
    return {(i["month"], i["account_code"], i["kind"]): i["amount_pence"]
            for i in expect(api.get(q, role="auditor"), 200)["items"]}


# A realistic export: the finance system's own column names and order, descriptions, references,
# dates and periods mixed; GAG received as credits (negative), costs as debits, a credit note.
EXPORT = (
    "Nominal Code,Cost Centre,Period,Date,Reference,Description,Amount\r\n"
    "TA4000,TA-CC1,1,2029-09-05,GAG-01,GAG September,\"-150,000.00\"\r\n"
    "TA5000,TA-CC1,1,2029-09-30,INV-1001,Supply agency A,\"2,400.50\"\r\n"
    "TA5001,TA-CC1,1,2029-09-30,INV-1002,Supply agency B,600.00\r\n"
    "TA5000,TA-CC1,1,2029-09-30,CN-12,Supply credit note,(100.25)\r\n"
    "TA6000,TA-CC1,2,2029-10-31,DD-77,Energy October,1234.56\r\n"
    "TA9999,TA-CC1,2,2029-10-31,INV-1003,Unmapped nominal,10.00\r\n"
    "TA4000,TA-CC2,P01,2029-09-05,GAG-01,GAG September,-90000\r\n"
    "TA6000,TA-CC2,2029-09,2029-09-30,DD-78,Energy September,800\r\n"
    "TA6000,TA-XX9,2029-10-15,2029-10-15,DD-79,Unmapped cost centre,5\r\n"
    "TA5000,TA-CEN,2,2029-10-31,INV-1004,Central supply,50\r\n"
    "TA8888,TA-XX8,1,2029-09-30,INV-1005,Both unmapped,1\r\n"
)


def test_unmapped_rows_are_each_listed_and_nothing_written(api, mapping):
    with unchanged(CELLS, IMPORTS):
        p = problem(imp(api, EXPORT), 422, "validation")
    fields = {e["field"]: e["message"] for e in p["errors"]}
    assert fields == {
        "row 7, nominal": "nominal code TA9999 is not mapped",
        "row 10, cost_centre": "cost centre TA-XX9 is not mapped",
        "row 12, nominal": "nominal code TA8888 is not mapped",
        "row 12, cost_centre": "cost centre TA-XX8 is not mapped",
    }
    assert "nothing was imported" in p["detail"]


def test_fixed_and_reimported_is_written(api, mapping):
    a, b = mapping
    expect(api.post("/api/v1/ledger/nominals", role="finance_director",
                    json={"code": "TA9999", "account_code": "E16"}), 201)
    expect(api.post("/api/v1/ledger/cost-centres", role="finance_director",
                    json={"code": "TA-XX9", "urn": b}), 201)
    fixed = "\r\n".join(l for l in EXPORT.split("\r\n") if "TA8888" not in l)
    a0 = audit_max()
    r = imp(api, fixed)
    out = expect(r, 200)
    assert r.headers["Import-Encoding"] == "utf-8"
    assert {k: out[k] for k in ("year", "kind", "months", "entities", "rows", "written", "replaced")} == {
        "year": Y, "kind": "actual", "months": ["2029-09", "2029-10"], "entities": [a, b, "central"],
        "rows": 10, "written": 7, "replaced": 0}
    # ledger signs: GAG's credits are income received; supply's three rows add up, the credit note off
    assert cells(api, a) == {("2029-09", "E02", "actual"): 240050 + 60000 - 10025,
                             ("2029-09", "I01", "actual"): 15000000,
                             ("2029-10", "E16", "actual"): 123456 + 1000}
    assert cells(api, b) == {("2029-09", "I01", "actual"): 9000000, ("2029-09", "E16", "actual"): 80000,
                             ("2029-10", "E16", "actual"): 500}
    assert cells(api, "central") == {("2029-10", "E02", "actual"): 5000}
    # one audit row naming the months and entities, with the totals before and after
    rows = sql_rows(f"SELECT action, entity, entity_id, before_json, after_json FROM audit_log WHERE id > {a0}")
    assert len(rows) == 1 and rows[0][:3] == ["import", "actual_import", str(out["import_id"])]
    before, after = json.loads(rows[0][3]), json.loads(rows[0][4])
    assert before["months"] == after["months"] == ["2029-09", "2029-10"]
    assert sorted(after["entities"]) == sorted([a, b, "central"])
    assert before["cells"] == 0 and after["cells"] == 7
    assert after["entities"][a] == {"cells": 3, "total_pence": 290025 + 15000000 + 124456}
    # the imports list, newest first
    imps = expect(api.get(f"/api/v1/actuals/imports?year={Y}", role="auditor"), 200)["items"]
    assert imps[0]["id"] == out["import_id"] and imps[0]["months"] == ["2029-09", "2029-10"]
    assert imps[0]["rows"] == 10 and imps[0]["kind"] == "actual"


def test_reimport_of_a_month_replaces_it_exactly(api, mapping):
    a, b = mapping
    imp_ok(api, "Nominal,Cost centre,Period,Amount\nTA5000,TA-CC1,1,1\nTA6000,TA-CC1,2,2\nTA6000,TA-CC2,1,3\n")
    before_b = cells(api, b)
    before_central = cells(api, "central")
    # September of the first school again: its supply only; GAG of that month gone; October untouched
    out = imp_ok(api, "nominal,cost_centre,period,amount\nTA5001,TA-CC1,2029-09-12,77.77\n")
    assert out["months"] == ["2029-09"] and out["entities"] == [a] and out["written"] == 1
    assert out["replaced"] == 1
    assert cells(api, a) == {("2029-09", "E02", "actual"): 7777, ("2029-10", "E16", "actual"): 200}
    assert cells(api, b) == before_b
    assert cells(api, "central") == before_central


def imp_ok(api, text, query=IMP):
    return expect(imp(api, text, query=query), 200)


def test_natural_signs_and_commitments(api, mapping):
    a, _ = mapping
    q = f"/api/v1/actuals/import?year={Y}&kind=commitment&signs=natural"
    out = imp_ok(api, "nominal,cost_centre,period,amount\nTA4000,TA-CC1,3,-5\nTA5000,TA-CC1,3,(7.00)\n", query=q)
    assert out["kind"] == "commitment"
    got = cells(api, a, kind="commitment")
    assert got == {("2029-11", "I01", "commitment"): -500, ("2029-11", "E02", "commitment"): -700}
    # the actuals of that month are not touched by commitments
    assert ("2029-11", "I01", "actual") not in cells(api, a)
    # ledger signs: a debit to income is income given back
    imp_ok(api, "nominal,cost_centre,period,amount\nTA4000,TA-CC1,3,-5\nTA4000,TA-CC1,3,12.00\n",
           query=f"/api/v1/actuals/import?year={Y}&kind=commitment")
    assert cells(api, a, kind="commitment") == {("2029-11", "I01", "commitment"): -700}


def test_a_closed_month_is_409_and_unchanged(api, mapping):
    close = expect(api.post("/api/v1/periods/2029-10/close", role="finance_director"), 200)
    assert close["closed"] is True and close["month"] == "2029-10"
    try:
        with unchanged(CELLS, IMPORTS):
            p = problem(imp(api, "nominal,cost_centre,period,amount\nTA5000,TA-CC1,1,1\nTA5000,TA-CC2,2,1\n"),
                        409, "period-closed")
        assert "2029-10" in p["detail"]
        assert [e["field"] for e in p["errors"]] == ["2029-10"]
        # another month still imports
        imp_ok(api, "nominal,cost_centre,period,amount\nTA6000,TA-CC2,4,1\n")
    finally:
        expect(api.post("/api/v1/periods/2029-10/reopen", role="finance_director", json={"reason": "test"}), 200)
    imp_ok(api, "nominal,cost_centre,period,amount\nTA5000,TA-CC2,2,1\n")


def test_bad_rows_and_queries(api, mapping):
    with unchanged(CELLS, IMPORTS):
        p = problem(imp(api, "nominal,cost_centre,period,amount\nTA5000,TA-CC1,13,1\nTA5000,TA-CC1,2030-09,1\n"
                             "TA5000,TA-CC1,1,1.001\nTA5000,TA-CC1,1,\nTA0000,TA-CC1,1,x\n"), 422, "validation")
        got = {e["field"] for e in p["errors"]}
        # a row with a bad value is not looked up in the mapping (row 6's TA0000)
        assert got == {"row 2, period", "row 3, period", "row 4, amount", "row 5, amount", "row 6, amount"}
        problem(imp(api, "nominal,cost_centre,amount\nTA5000,TA-CC1,1\n"), 422, "validation", fields=["row 1"])
        problem(imp(api, "a,b\n1,2\n", ct="application/json"), 415)
        problem(imp(api, "x", query="/api/v1/actuals/import?kind=actual"), 422, fields=["query:year"])
        problem(imp(api, "x", query=f"/api/v1/actuals/import?year={Y}"), 422, fields=["query:kind"])
        problem(imp(api, "x", query=f"/api/v1/actuals/import?year={Y}&kind=actual&signs=up"), 422,
                fields=["query:signs"])


def xlsx_of(text):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Ledger"
    ws.append(["Ledger export", "", "", ""])        # a title row before the header
    for i, line in enumerate(text.strip().split("\n")):
        cells_ = line.split(",")
        if i > 0:
            cells_[3] = float(cells_[3])               # amounts as number cells
            if cells_[2].isdigit():
                cells_[2] = int(cells_[2])
        ws.append(cells_)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_the_same_as_csv(api, mapping):
    a, b = mapping
    text = "nominal,cost_centre,period,amount\nTA5000,TA-CC1,5,1234.56\nTA4000,TA-CC2,5,-0.3\nTA6000,TA-CC2,6,0.1\n"
    imp_ok(api, text)
    by_csv = (cells(api, a), cells(api, b))
    sql("DELETE FROM actuals WHERE year = 2029 AND month IN (5, 6)")
    out = expect(imp(api, xlsx_of(text), ct=XLSX_CT), 200)
    assert out["months"] == ["2030-01", "2030-02"] and out["rows"] == 3
    assert (cells(api, a), cells(api, b)) == by_csv
    assert by_csv[1][("2030-01", "I01", "actual")] == 30


def test_import_roles(api, mapping, first_urn):
    with unchanged(CELLS, IMPORTS):
        for role in ("business_manager", "school_system", "auditor", "admin"):
            problem(imp(api, "nominal,cost_centre,period,amount\nTA5000,TA-CC1,1,1\n", role=role), 403)
    for role in ("business_manager", "school_system", "admin"):
        problem(api.get(f"/api/v1/actuals/imports?year={Y}", role=role), 403)
    # a business manager reads her school's actuals, not another's
    a, b = mapping
    assert first_urn == a
    expect(api.get(f"/api/v1/schools/{a}/actuals?year={Y}", role="business_manager"), 200)
    problem(api.get(f"/api/v1/schools/{b}/actuals?year={Y}", role="business_manager"), 403)
    problem(api.get(f"/api/v1/schools/{a}/actuals?year={Y}", role="school_system"), 403)


# ---------------------------------------------------------------------------
# periods
# ---------------------------------------------------------------------------

def test_periods(api):
    a0 = audit_max()
    body = expect(api.get("/api/v1/periods?year=2028-29", role="business_manager"), 200)
    assert body["year"] == "2028-29" and len(body["items"]) == 12
    assert body["items"][0] == {"month": "2028-09", "closed": False, "closed_at": None, "closed_by": None,
                                "reopen_reason": None, "version": 0}
    assert body["items"][11]["month"] == "2029-08"
    c = expect(api.post("/api/v1/periods/2029-01/close", role="finance_director"), 200)
    assert c["closed"] is True and c["version"] == 1 and c["closed_by"] and c["closed_at"]
    problem(api.post("/api/v1/periods/2029-01/close", role="finance_director"), 409, "conflict")
    problem(api.post("/api/v1/periods/2029-01/reopen", role="finance_director", json={}), 422,
            fields=["/reason"])
    problem(api.post("/api/v1/periods/2029-01/reopen", role="finance_director", json={"reason": " "}), 422,
            fields=["/reason"])
    o = expect(api.post("/api/v1/periods/2029-01/reopen", role="finance_director",
                        json={"reason": "a late invoice"}), 200)
    assert o == {**o, "closed": False, "closed_at": None, "closed_by": None, "reopen_reason": "a late invoice",
                 "version": 2}
    problem(api.post("/api/v1/periods/2029-01/reopen", role="finance_director", json={"reason": "x"}), 409)
    problem(api.post("/api/v1/periods/2029-02/reopen", role="finance_director", json={"reason": "x"}), 409)
    c = expect(api.post("/api/v1/periods/2029-01/close", role="finance_director"), 200)
    assert c["closed"] is True and c["version"] == 3 and c["reopen_reason"] == "a late invoice"
    body = expect(api.get("/api/v1/periods?year=2028-29", role="auditor"), 200)
    assert [i["closed"] for i in body["items"]] == [False] * 4 + [True] + [False] * 7
    rows = sql_rows(f"SELECT action, entity_id FROM audit_log WHERE id > {a0} AND entity = 'period' ORDER BY id")
    assert rows == [["close", "2029-01"], ["reopen", "2029-01"], ["close", "2029-01"]]
    problem(api.post("/api/v1/periods/2029-13/close", role="finance_director"), 400, fields=["path:month"])
    for role in ("business_manager", "auditor", "school_system"):
        problem(api.post("/api/v1/periods/2029-02/close", role=role), 403)
    problem(api.get("/api/v1/periods", role="school_system"), 403)


def test_the_file_name_is_kept_with_the_import(api, mapping):
    from urllib.parse import quote
    name = "Ledger export – Sept 2029 (v2).csv"
    text = "nominal,cost_centre,period,amount\nTA5000,TA-CC1,1,1.00\n"
    out = imp_ok(api, text, query=IMP + "&filename=" + quote(name))
    imps = expect(api.get(f"/api/v1/actuals/imports?year={Y}", role="auditor"), 200)["items"]
    assert imps[0]["id"] == out["import_id"] and imps[0]["filename"] == name
    # without it: empty, as before
    out = imp_ok(api, text)
    imps = expect(api.get(f"/api/v1/actuals/imports?year={Y}", role="auditor"), 200)["items"]
    assert imps[0]["id"] == out["import_id"] and imps[0]["filename"] == ""
    # a name with a control character, too long or empty: 422 on query:filename, nothing written
    for bad in ("a%0Ab.csv", "x" * 201 + ".csv", ""):
        with unchanged(CELLS, IMPORTS):
            p = problem(imp(api, text, query=IMP + "&filename=" + bad), 422, "validation")
        assert [e["field"] for e in p["errors"]] == ["query:filename"]
    # 200 characters (not bytes) is the limit
    imp_ok(api, text, query=IMP + "&filename=" + quote("é" * 196 + ".csv"))
