"""Pay scales and on-cost rates as spreadsheets (issue 16): GET /api/v1/pay-scales.csv|.xlsx and
/api/v1/staff-rates.csv|.xlsx, POST /api/v1/pay-scales/import and /api/v1/staff-rates/import (CSV
or XLSX in the export's layout). An import is all or nothing: a bad row is "row N, field" and
nothing is written; each (scale, year) a file gives replaces that year's points; a new scale needs
its kind. Every finance role exports; the finance director imports. The test's own scales and tax
years, whatever the demo seeds."""
import io

import openpyxl
import pytest

from conftest import audit_max, expect, problem, sql, sql_rows, unchanged

CSV_CT = "text/csv; charset=utf-8"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATE_Q = "SELECT name, title, kind, area, version FROM pay_scales ORDER BY name"
POINTS_Q = ("SELECT ps.name, pt.year, pt.point, pt.ord, pt.annual_pence FROM pay_scale_points pt "
            "JOIN pay_scales ps ON ps.id = pt.scale_id ORDER BY ps.name, pt.year, pt.ord")
RATES_Q = "SELECT * FROM staff_rates ORDER BY tax_year"


def imp(api, what, text, ct=CSV_CT, role="finance_director"):
    return api.post(f"/api/v1/{what}/import", role=role, body=text if isinstance(text, bytes) else text.encode(),
                    headers={"Content-Type": ct})


def test_scales_import_export_roundtrip(api):
    a0 = audit_max()
    text = ("scale,kind,area,year,point,ord,annual\r\n"
            "pytest_io_main,teacher,inner_london,2026-27,M1,1,\"38,000.00\"\r\n"
            "pytest_io_main,,,2026-27,M2,2,40000.50\r\n"
            "pytest_io_njc,support,,2026-27,3,3,24000\r\n"
            "\r\n"
            "pytest_io_njc,support,,2025-26,3,3,23000\r\n")
    r = imp(api, "pay-scales", text)
    body = expect(r, 200)
    assert r.headers["Import-Encoding"] == "utf-8"
    assert body["rows"] == 4
    assert [(i["name"], i["action"], i["years"], i["points"]) for i in body["items"]] == [
        ("pytest_io_main", "create", ["2026-27"], 2), ("pytest_io_njc", "create", ["2026-27", "2025-26"], 2)]
    main = expect(api.get("/api/v1/pay-scales/pytest_io_main", role="auditor"), 200)
    assert main["title"] == "pytest_io_main" and main["area"] == "inner_london" and main["kind"] == "teacher"
    assert [(p["point"], p["annual_pence"]) for p in main["points"]] == [("M1", 3800000), ("M2", 4000050)]
    assert [r[0] for r in sql_rows(f"SELECT entity_id FROM audit_log WHERE id > {a0} AND entity = 'pay_scale'")] == \
        ["pytest_io_main", "pytest_io_njc"]
    # the export holds them; importing it back changes no value (the versions move on)
    exp = api.get("/api/v1/pay-scales.csv", role="business_manager")
    assert exp.status_code == 200 and exp.headers["Content-Type"].startswith("text/csv")
    lines = exp.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "scale,kind,area,year,point,ord,annual"
    assert "pytest_io_main,teacher,inner_london,2026-27,M1,1,38000.00" in lines
    assert "pytest_io_njc,support,,2025-26,3,3,23000.00" in lines
    before = sql_rows(POINTS_Q)
    expect(imp(api, "pay-scales", exp.content), 200)
    assert sql_rows(POINTS_Q) == before
    # a second file replaces only the years it gives
    expect(imp(api, "pay-scales", "scale,year,point,ord,annual\npytest_io_njc,2026-27,4,4,25000\n"), 200)
    njc = expect(api.get("/api/v1/pay-scales/pytest_io_njc", role="auditor"), 200)
    assert [(p["year"], p["point"]) for p in njc["points"]] == [("2025-26", "3"), ("2026-27", "4")]
    # XLSX: the export, and the export read back
    x = api.get("/api/v1/pay-scales.xlsx", role="auditor")
    assert x.status_code == 200 and x.headers["Content-Type"] == XLSX_CT
    ws = openpyxl.load_workbook(io.BytesIO(x.content)).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["scale", "kind", "area", "year", "point", "ord", "annual"]
    assert ["pytest_io_main", "teacher", "inner_london", "2026-27", "M2", 2, 40000.5] in rows
    before = sql_rows(POINTS_Q)
    expect(imp(api, "pay-scales", x.content, ct=XLSX_CT), 200)
    assert sql_rows(POINTS_Q) == before


@pytest.mark.parametrize("text,fields", [
    ("scale,year,point,ord,annual\npytest_io_new,2026-27,M1,1,100\n", ["row 2, kind"]),
    ("scale,kind,year,point,ord,annual\npytest_io_x,teacher,2026,M1,1,100\n", ["row 2, year"]),
    ("scale,kind,year,point,ord,annual\npytest_io_x,teacher,2026-27,M1,0,100\n", ["row 2, ord"]),
    ("scale,kind,year,point,ord,annual\npytest_io_x,teacher,2026-27,M1,1,12.345\n", ["row 2, annual"]),
    ("scale,kind,year,point,ord,annual\npytest_io_x,teacher,2026-27,M1,1,-5\n", ["row 2, annual"]),
    ("scale,kind,year,point,ord,annual\npytest_io_x,cook,2026-27,M1,1,5\n", ["row 2, kind"]),
    ("scale,kind,year,point,ord,annual\nBad Name,teacher,2026-27,M1,1,5\n", ["row 2, scale"]),
    ("scale,kind,year,point,ord,annual\npytest_io_x,teacher,2026-27,M 1,1,5\n", ["row 2, point"]),
    ("scale,kind,year,point,ord,annual\npytest_io_x,teacher,2026-27,M1,1,5\npytest_io_x,,2026-27,M1,2,6\n",
     ["row 3, point"]),
    ("scale,kind,year,point,ord,annual\npytest_io_x,teacher,2026-27,M1,1,5\npytest_io_x,support,2025-26,M1,1,5\n",
     ["row 3, kind"]),
    ("scale,kind,year,point,ord,annual,colour\npytest_io_x,teacher,2026-27,M1,1,5,red\n", ["row 1, column 7"]),
    ("scale,kind,year,point,annual\npytest_io_x,teacher,2026-27,M1,5\n", ["row 1"]),
    ("scale,kind,year,point,ord,annual\n", ["row 2"]),
    # an existing scale's kind cannot change: found in the transaction, and the good scale before it is
    # not written either
    ("scale,kind,year,point,ord,annual\npytest_io_good,teacher,2026-27,M1,1,5\n"
     "pytest_io_kind,teacher,2026-27,1,1,5\n", ["row 3, kind"]),
])
def test_scales_import_all_or_nothing(api, text, fields):
    r = api.post("/api/v1/pay-scales", role="finance_director",
                 json={"name": "pytest_io_kind", "title": "k", "kind": "support", "points": []})
    assert r.status_code in (201, 409)
    with unchanged(STATE_Q, POINTS_Q):
        problem(imp(api, "pay-scales", text), 422, "validation", fields)


def test_scales_import_refusals(api):
    with unchanged(STATE_Q, POINTS_Q):
        problem(imp(api, "pay-scales", "", ), 400)
        problem(imp(api, "pay-scales", 'scale,year\n"broken,2026-27\n'), 400)
        problem(imp(api, "pay-scales", "{}", ct="application/json"), 415)
        problem(imp(api, "pay-scales", b"PK\x03\x04nonsense", ct=XLSX_CT), 415)
        for role in ("business_manager", "auditor", "school_system"):
            problem(imp(api, "pay-scales", "scale,year,point,ord,annual\n", role=role), 403)
    for role in ("school_system", "admin"):
        problem(api.get("/api/v1/pay-scales.csv", role=role), 403)


def test_rates_import_export(api):
    sql("DELETE FROM staff_rates WHERE tax_year IN (2095, 2096)")
    text = ("tax_year,ni_bp,ni_threshold,ni_upper,tps_bp,levy_bp,levy_allowance,employment_allowance\n"
            "2095-96,1500,5000.00,50270.00,2868,50,15000,10500\n"
            "2096-97,1500,5000.00,50270.00,3068,50,15000,10500\n")
    body = expect(imp(api, "staff-rates", text), 200)
    assert [i["tax_year"] for i in body["items"]] == ["2095-96", "2096-97"] and body["rows"] == 2
    got = expect(api.get("/api/v1/staff-rates/2096-97", role="auditor"), 200)
    assert got["tps_bp"] == 3068 and got["ni_upper_pence"] == 5027000 and got["version"] == 1
    # again: replaced whatever the version, no If-Match for an import
    expect(imp(api, "staff-rates", text.replace("3068", "3100")), 200)
    assert expect(api.get("/api/v1/staff-rates/2096-97", role="auditor"), 200)["tps_bp"] == 3100
    exp = api.get("/api/v1/staff-rates.csv", role="business_manager")
    lines = exp.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "tax_year,ni_bp,ni_threshold,ni_upper,tps_bp,levy_bp,levy_allowance,employment_allowance"
    assert "2095-96,1500,5000.00,50270.00,2868,50,15000.00,10500.00" in lines
    x = api.get("/api/v1/staff-rates.xlsx", role="auditor")
    assert x.status_code == 200
    before = sql_rows(RATES_Q.replace("*", "tax_year, ni_bp, ni_threshold_pence, ni_upper_pence, tps_bp"))
    expect(imp(api, "staff-rates", x.content, ct=XLSX_CT), 200)
    assert sql_rows(RATES_Q.replace("*", "tax_year, ni_bp, ni_threshold_pence, ni_upper_pence, tps_bp")) == before
    with unchanged(RATES_Q):
        problem(imp(api, "staff-rates", text.replace("2868", "10001")), 422, fields=["row 2, tps_bp"])
        problem(imp(api, "staff-rates", text.replace("50270.00", "4000")), 422, fields=["row 2, ni_upper"])
        problem(imp(api, "staff-rates", text.replace("2096-97", "2095-96")), 422, fields=["row 3, tax_year"])
        problem(imp(api, "staff-rates", text + "2097-98,1500,5000,50270,2868,50,15000,\n"), 422,
                fields=["row 4, employment_allowance"])
    sql("DELETE FROM staff_rates WHERE tax_year IN (2095, 2096)")
