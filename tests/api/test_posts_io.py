"""A school's posts as a spreadsheet (issue 16): GET /api/v1/schools/{urn}/posts.csv|.xlsx (?year= adds
each post's cost for the year) and POST .../posts/import (CSV or XLSX in the export's layout). Each row
is a post by reference: a live one is updated (or left alone when it says the same), a new one created;
?mode=replace also ends the live posts the file does not name. All or nothing: every bad row is "row N,
field" and nothing is written. An export imports back unchanged. The test makes its own pay scales and
posts (references IO-*), beside the demo's posts of the school."""
import io

import openpyxl
import pytest

from conftest import audit_max, expect, problem, sql_rows, sql_value, unchanged

CSV_CT = "text/csv; charset=utf-8"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ("reference,title,role,account_code,scale,point,top_point,point_year,fte,paid_weeks,tlr,sen,fringe,"
          "other_allowance,pension,ni_category,starts_on,ends_on,vacant,holder_name,periods_taught")
STATE_Q = "SELECT id, reference, title, fte_h, version, deleted_at FROM posts ORDER BY id"


@pytest.fixture(scope="module")
def scales(api):
    for body in (
        {"name": "pytest_pio_main", "title": "IO main", "kind": "teacher", "area": "england",
         "points": [{"year": y, "point": f"M{i}", "ord": i, "annual_pence": 3200000 + 200000 * i}
                    for y in ("2025-26", "2026-27") for i in range(1, 7)]},
        {"name": "pytest_pio_njc", "title": "IO spine", "kind": "support",
         "points": [{"year": y, "point": str(i), "ord": i, "annual_pence": 2400000 + 30000 * i}
                    for y in ("2025-26", "2026-27", "2027-28") for i in range(3, 7)]},
    ):
        r = api.post("/api/v1/pay-scales", role="finance_director", json=body)
        assert r.status_code in (201, 409), r.text
    return "pytest_pio_main", "pytest_pio_njc"


@pytest.fixture(scope="module", autouse=True)
def cleanup(api, first_urn):
    """The test's posts (IO-*) are deleted afterwards, so the school's staffing is the demo's again."""
    yield
    for pid, version in sql_rows("SELECT p.id, p.version FROM posts p JOIN schools s ON s.id = p.school_id "
                                 f"WHERE s.urn = '{first_urn}' AND p.reference LIKE 'IO-%' AND p.deleted_at IS NULL"):
        expect(api.delete(url(first_urn, f"/{pid}"), role="finance_director", headers={"If-Match": f'"{version}"'}),
               204, ctype=None)


def url(urn, tail=""):
    return f"/api/v1/schools/{urn}/posts{tail}"


def imp(api, urn, body, ct=CSV_CT, role="business_manager", query="", headers=None):
    h = {"Content-Type": ct}
    h.update(headers or {})
    return api.post(url(urn, "/import" + query), role=role, body=body if isinstance(body, bytes) else body.encode(),
                    headers=h)


ROWS = [
    "IO-1,Class teacher Y4,teacher,E01,pytest_pio_main,M3,M6,2026-27,1.00,,\"2,000.00\",,,,tps,A,2026-09-01,,no,"
    "A. Teacher,20",
    "IO-2,Teaching assistant,teaching_assistant,E03,pytest_pio_njc,4,,2026-27,0.60,39.00,,,,100.50,lgps,,,"
    "2027-08-31,yes,,",
]


def live(urn):
    return {r[0]: r[1:] for r in sql_rows(
        "SELECT p.reference, p.title, p.fte_h, p.paid_weeks_h, p.tlr_pence, p.other_allowance_pence, p.vacant, "
        "p.holder_name, p.version FROM posts p JOIN schools s ON s.id = p.school_id "
        f"WHERE s.urn = '{urn}' AND p.deleted_at IS NULL")}


def test_csv_import_and_round_trip(api, scales, first_urn):
    a0 = audit_max()
    r = imp(api, first_urn, HEADER + "\r\n" + "\r\n".join(ROWS) + "\r\n", headers={"Idempotency-Key": "pytest-pio-1"})
    got = expect(r, 200)
    assert r.headers["Import-Encoding"] == "utf-8"
    n = len(live(first_urn))
    assert got["created"] + got["updated"] + got["unchanged"] == 2 and got["ended"] == 0
    posts = live(first_urn)
    assert posts["IO-1"][:7] == ["Class teacher Y4", "100", "NULL", "200000", "0", "0", "A. Teacher"]
    assert posts["IO-2"][:7] == ["Teaching assistant", "60", "3900", "0", "10050", "1", "NULL"]
    if got["created"] == 2:
        rows = sql_rows(f"SELECT action, entity, role FROM audit_log WHERE id > {a0}")
        assert rows == [["create", "post", "business_manager"]] * 2
    # the same key again: the first reply, nothing more written
    a1 = audit_max()
    again = imp(api, first_urn, HEADER + "\r\n" + "\r\n".join(ROWS) + "\r\n", headers={"Idempotency-Key": "pytest-pio-1"})
    assert again.status_code == 200 and again.json() == got and audit_max() == a1
    # the export: every live post by reference, in the import's columns
    exp = api.get(url(first_urn, ".csv"), role="auditor")
    assert exp.status_code == 200 and exp.headers["Content-Type"].startswith("text/csv")
    lines = exp.content.decode("utf-8-sig").splitlines()
    assert lines[0] == HEADER and len(lines) == n + 1
    assert ("IO-1,Class teacher Y4,teacher,E01,pytest_pio_main,M3,M6,2026-27,1.00,,2000.00,0.00,0.00,0.00,tps,A,"
            "2026-09-01,,no,A. Teacher,20") in lines
    assert ("IO-2,Teaching assistant,teaching_assistant,E03,pytest_pio_njc,4,,2026-27,0.60,39.00,0.00,0.00,0.00,"
            "100.50,lgps,A,,2027-08-31,yes,,") in lines
    # an export imports back unchanged: no write, no audit row
    with unchanged(STATE_Q):
        back = expect(imp(api, first_urn, exp.content), 200)
    assert back == {"created": 0, "updated": 0, "ended": 0, "unchanged": n}


def test_export_with_costs(api, scales, first_urn):
    expect(imp(api, first_urn, HEADER + "\n" + "\n".join(ROWS) + "\n"), 200)
    if api.get("/api/v1/staff-rates/2026-27", role="auditor").status_code == 404:
        pytest.skip("no on-cost rates for 2026-27")
    exp = api.get(url(first_urn, ".csv?year=2026-27"), role="finance_director")
    assert exp.status_code == 200, exp.text
    assert 'filename="posts-%s-2026-27.csv"' % first_urn in exp.headers["Content-Disposition"]
    lines = exp.content.decode("utf-8-sig").splitlines()
    assert lines[0] == HEADER + ",pay_cost,ni_cost,pension_cost,total_cost"
    io1 = next(l for l in lines if l.startswith("IO-1,")).split(",")
    pid = sql_value("SELECT p.id FROM posts p JOIN schools s ON s.id = p.school_id "
                    f"WHERE s.urn = '{first_urn}' AND p.reference = 'IO-1' AND p.deleted_at IS NULL")
    cost = expect(api.get(url(first_urn, f"/{pid}?year=2026-27"), role="auditor"), 200)["cost"]
    assert io1[-4:] == ["%d.%02d" % divmod(cost[k], 100) for k in ("pay_pence", "ni_pence", "pension_pence",
                                                                    "total_pence")]
    # the cost columns are ignored on import: the costed export imports back unchanged
    with unchanged(STATE_Q):
        assert expect(imp(api, first_urn, exp.content), 200)["unchanged"] == len(lines) - 1
    problem(api.get(url(first_urn, ".csv?year=2026"), role="auditor"), 422, fields=["query:year"])
    problem(api.get(url(first_urn, ".csv?colour=red"), role="auditor"), 422)


def test_xlsx_round_trip(api, scales, first_urn):
    expect(imp(api, first_urn, HEADER + "\n" + "\n".join(ROWS) + "\n"), 200)
    x = api.get(url(first_urn, ".xlsx"), role="business_manager")
    assert x.status_code == 200 and x.headers["Content-Type"] == XLSX_CT
    wb = openpyxl.load_workbook(io.BytesIO(x.content))
    ws = wb["Posts"]
    rows = list(ws.iter_rows())
    assert [c.value for c in rows[0]] == HEADER.split(",")
    io1 = next(r for r in rows if r[0].value == "IO-1")
    cells = dict(zip(HEADER.split(","), io1))
    assert cells["fte"].value == 1 and cells["fte"].number_format == "#,##0.00"
    assert cells["tlr"].value == 2000 and cells["tlr"].number_format == "#,##0.00"
    assert cells["starts_on"].value.date().isoformat() == "2026-09-01"
    assert cells["periods_taught"].value == 20 and cells["point_year"].value == "2026-27"
    with unchanged(STATE_Q):
        assert expect(imp(api, first_urn, x.content, ct=XLSX_CT), 200)["updated"] == 0
    # a workbook made by hand: IO-2 at 0.5 FTE is an update, audited with the person
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Staff list"
    ws.append(["Our staff, autumn"])
    ws.append(HEADER.split(","))
    ws.append(["IO-2", "Teaching assistant", "teaching_assistant", "E03", "pytest_pio_njc", "4", None, "2026-27",
               0.5, 39, None, None, None, 100.5, "lgps", "A", None, "2027-08-31", True, None, None])
    b = io.BytesIO()
    wb.save(b)
    a0 = audit_max()
    got = expect(imp(api, first_urn, b.getvalue(), ct=XLSX_CT, role="finance_director"), 200)
    assert got == {"created": 0, "updated": 1, "ended": 0, "unchanged": 0}
    assert live(first_urn)["IO-2"][1] == "50"
    assert sql_rows(f"SELECT action, entity, role FROM audit_log WHERE id > {a0}") == \
        [["update", "post", "finance_director"]]


def test_bad_rows_change_nothing(api, scales, first_urn):
    expect(imp(api, first_urn, HEADER + "\n" + "\n".join(ROWS) + "\n"), 200)
    text = (HEADER + "\n"
            "IO-1,Class teacher,teacher,E01,pytest_no_such_scale,M3,,2026-27,1.00,,,,,,tps,A,,,no,,\n"
            "IO-2,Teaching assistant,teaching_assistant,E01,pytest_pio_njc,4,,2026-27,0.60,,,,,,lgps,A,,,yes,,\n"
            "IO-3,New teacher,teacher,E01,pytest_pio_main,M1,,2026-27,1.5,,,,,,tps,A,,,yes,,\n"
            "IO-4,Good teacher,teacher,E01,pytest_pio_main,M1,,2026-27,1.00,,,,,,tps,A,,,yes,,\n")
    with unchanged(STATE_Q):
        p = problem(imp(api, first_urn, text), 422, "validation")
    assert sorted(e["field"] for e in p["errors"]) == ["row 2, scale", "row 3, account_code", "row 4, fte"]
    # each kind alone, also the database's checks (an unknown point, the top below the point)
    for row, field in [
        ("IO-5,T,teacher,E01,pytest_pio_main,M9,,2026-27,1,,,,,,tps,A,,,yes,,", "row 2, point"),
        ("IO-5,T,teacher,E01,pytest_pio_main,M4,M2,2026-27,1,,,,,,tps,A,,,yes,,", "row 2, top_point"),
        ("IO-5,T,teacher,E99,pytest_pio_main,M4,,2026-27,1,,,,,,tps,A,,,yes,,", "row 2, account_code"),
        ("IO-5,T,cook,E03,pytest_pio_njc,4,,2026-27,1,,,,,,lgps,A,,,yes,,", "row 2, role"),
        ("IO-5,T,teacher,E01,pytest_pio_main,M4,,2026,1,,,,,,tps,A,,,yes,,", "row 2, point_year"),
        ("IO-5,T,teacher,E01,pytest_pio_main,M4,,2026-27,0,,,,,,tps,A,,,yes,,", "row 2, fte"),
        ("IO-5,T,teacher,E01,pytest_pio_main,M4,,2026-27,1,52.15,,,,,tps,A,,,yes,,", "row 2, paid_weeks"),
        ("IO-5,T,teacher,E01,pytest_pio_main,M4,,2026-27,1,,12.345,,,,tps,A,,,yes,,", "row 2, tlr"),
        ("IO-5,T,teacher,E01,pytest_pio_main,M4,,2026-27,1,,,,,,tps,A,2027-01-01,2026-12-31,yes,,", "row 2, ends_on"),
        ("IO-5,T,teacher,E01,pytest_pio_main,M4,,2026-27,1,,,,,,tps,A,,,yes,Someone,", "row 2, holder_name"),
        ("IO-5,T,teacher,E01,pytest_pio_main,M4,,2026-27,1,,,,,,tps,A,,,maybe,,", "row 2, vacant"),
        ("IO-5,T,teacher,E01,pytest_pio_main,M4,,2026-27,1,,,,,,tps,A,31/12/2026,,yes,,", "row 2, starts_on"),
    ]:
        with unchanged(STATE_Q):
            problem(imp(api, first_urn, HEADER + "\n" + row + "\n"), 422, "validation", [field])
    with unchanged(STATE_Q):
        problem(imp(api, first_urn, HEADER + "\n" + ROWS[0] + "\n" + ROWS[0] + "\n"), 422, fields=["row 3, reference"])
        problem(imp(api, first_urn, "reference,title,role\nIO-9,T,teacher\n"), 422, fields=["row 1"])
        problem(imp(api, first_urn, HEADER + ",colour\n"), 422, fields=["row 1, column 22"])
        problem(imp(api, first_urn, HEADER + "\n"), 422, fields=["row 2"])
        problem(imp(api, first_urn, HEADER + "\n" + ROWS[0] + "\n", query="?mode=all"), 422, fields=["query:mode"])


def test_replace_mode(api, scales, first_urn):
    expect(imp(api, first_urn, HEADER + "\n" + "\n".join(ROWS) + "\n"), 200)
    exp = api.get(url(first_urn, ".csv"), role="business_manager").content.decode("utf-8-sig")
    lines = [l for l in exp.splitlines() if not l.startswith("IO-2,")]
    n = len(lines) - 1
    lines.append("IO-3,Site manager,premises,E04,pytest_pio_njc,5,,2026-27,1,,,,,,lgps,A,,,no,B. Keeper,")
    a0 = audit_max()
    got = expect(imp(api, first_urn, "\n".join(lines) + "\n", query="?mode=replace"), 200)
    assert got == {"created": 1, "updated": 0, "ended": 1, "unchanged": n}
    posts = live(first_urn)
    assert "IO-2" not in posts and "IO-3" in posts
    assert sorted(r[0] for r in sql_rows(f"SELECT action FROM audit_log WHERE id > {a0} AND entity = 'post'")) == \
        ["create", "delete"]
    # without mode=replace a post the file does not name stays
    got = expect(imp(api, first_urn, HEADER + "\n" + ROWS[1] + "\n"), 200)
    assert got == {"created": 1, "updated": 0, "ended": 0, "unchanged": 0} and "IO-3" in live(first_urn)


def test_who_may_and_refusals(api, scales, first_urn, school_urns):
    other = next(u for u in school_urns if u != first_urn)
    body = HEADER + "\n" + ROWS[0] + "\n"
    with unchanged(STATE_Q):
        for role in ("school_system", "admin"):
            problem(api.get(url(first_urn, ".csv"), role=role), 403)
            problem(api.get(url(first_urn, ".xlsx"), role=role), 403)
            problem(imp(api, first_urn, body, role=role), 403)
        problem(imp(api, first_urn, body, role="auditor"), 403)
        problem(api.get(url(other, ".csv"), role="business_manager"), 403)
        problem(imp(api, other, body, role="business_manager"), 403)
        problem(imp(api, "999999", body, role="finance_director"), 404)
        problem(imp(api, first_urn, "{}", ct="application/json"), 415)
        problem(imp(api, first_urn, b"PK\x03\x04nonsense", ct=XLSX_CT), 415)
        problem(imp(api, first_urn, ""), 400)
        problem(imp(api, first_urn, 'reference,title\n"broken,x\n'), 400)
        problem(imp(api, first_urn, HEADER + "\n" + "x" * (1 << 20) + "\n"), 413, "payload-too-large")
    assert api.get(url(other, ".xlsx"), role="finance_director").status_code == 200
    assert api.get(url(other, ".csv"), role="auditor").status_code == 200
