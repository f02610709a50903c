"""Budgets as spreadsheets: GET with Accept: text/csv exports, PUT with Content-Type:
text/csv imports (all or nothing, every error with its row and column)."""
import csv
import io
import time

import pytest

from conftest import audit_max, expect, problem, sql_rows, unchanged
from test_budgets import all_budgets_q, all_lines_q, budget_q, get_budget, put_budget, url

CSV = "text/csv"
HEADER = "code,account,kind,description,amount,driver,excluded_from_central,computed,profile"   # issue 17: profile


def export(api, urn, year, role="finance_director", **kw):
    headers = {"Accept": "text/csv"}
    headers.update(kw.pop("headers", {}))
    r = api.get(url(urn, year), role=role, headers=headers, **kw)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].split(";")[0] == CSV
    assert "charset=utf-8" in r.headers["Content-Type"]
    return r


def import_csv(api, urn, year, data, etag=None, role="finance_director", ctype="text/csv; charset=utf-8"):
    headers = {"Content-Type": ctype}
    if etag is not None:
        headers["If-Match"] = etag
    if isinstance(data, str):
        data = data.encode("utf-8")
    return api.put(url(urn, year), role=role, body=data, headers=headers, json_ct=False)


def test_export_seeded(api, first_urn):
    b, etag = get_budget(api, first_urn, "2026-27")
    r = export(api, first_urn, "2026-27")
    assert r.headers["ETag"] == etag[:-1] + '.csv"'   # the version's, named for this representation
    assert "Accept" in r.headers["Vary"]
    assert r.headers["Content-Disposition"] == f'attachment; filename="budget-{first_urn}-2026-27.csv"'
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeff")                 # a UTF-8 BOM: Excel reads £ right
    text = text[1:]
    rows = text.split("\r\n")
    assert rows[-1] == ""                             # every row ends with CRLF
    # the ISSUE14 contract's columns, whatever the lines use
    assert rows[0] == HEADER
    assert len(rows) - 2 == len(b["lines"])
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert len(parsed) == len(b["lines"]) + 1
    names = {r[0]: r[1] for r in sql_rows("SELECT code, name FROM accounts")}
    for row, l in zip(parsed[1:], b["lines"]):
        assert row == [l["account_code"], names[l["account_code"]], l["kind"], l["description"],
                       f"{l['amount_pence'] // 100}.{l['amount_pence'] % 100:02d}", l["driver"] or "",
                       "yes" if l["excluded_from_central"] else "", "yes" if l["computed"] else "",
                       l["profile"] or " ".join(map(str, l["profile_bp"] or []))]
    # a description with a comma is quoted, one without is not
    assert rows[1] == 'I01,GAG: core funding (per-pupil and lump sum),income,"GAG: 688 pupils (October 2025 census) at £6,650",4575200.00,,,,'
    assert any(row.startswith("E16,") and ",expenditure,Energy: gas and electricity," in row for row in rows)
    # the computed lines last, marked (an import skips them)
    assert [row.split(",")[0] for row in rows[-3:-1]] == ["INT03", "INT05"] and all(row.endswith(",yes,") for row in rows[-3:-1])
    rates = [row for row in rows if row.startswith("E17,")]
    assert rates and all(row.endswith(",yes,,") for row in rates)
    # 304 for the CSV on its own ETag
    r = api.get(url(first_urn, "2026-27"), role="finance_director",
                headers={"Accept": "text/csv", "If-None-Match": etag[:-1] + '.csv"'})
    assert r.status_code == 304


def test_export_exact_bytes(api, school_urns):
    urn, year = school_urns[1], "2036-37"
    expect(put_budget(api, urn, year, [{"account_code": "E01", "amount_pence": -123456, "description": "Teachers, \"main\""},
                                       {"account_code": "I01", "amount_pence": 5},
                                       {"account_code": "E17", "amount_pence": 100, "description": "Rates",
                                        "excluded_from_central": True, "driver": "fixed"}]), 201)
    names = {r[0]: r[1] for r in sql_rows("SELECT code, name FROM accounts WHERE code IN ('E01', 'I01', 'E17')")}
    q = lambda s: f'"{s}"' if "," in s else s
    assert export(api, urn, year).content == ('\ufeff' + HEADER + '\r\n'
                                              f'E01,{q(names["E01"])},expenditure,"Teachers, ""main""",-1234.56,,,,\r\n'
                                              f'I01,{q(names["I01"])},income,,0.05,,,,\r\n'
                                              f'E17,{q(names["E17"])},expenditure,Rates,1.00,fixed,yes,,\r\n'
                                              ).encode("utf-8")


def test_export_scoped(api, first_urn, school_urns):
    export(api, first_urn, "2026-27", role="school_system")
    export(api, first_urn, "2026-27", role="business_manager")
    problem(api.get(url(school_urns[1], "2026-27"), role="business_manager", headers={"Accept": "text/csv"}), 403)


def test_round_trip_byte_for_byte(api, school_urns):
    """Export a seeded budget, import it as another year's budget, export that: the same
    bytes, and the same lines."""
    urn, year = school_urns[8], "2058-59"            # a year of its own: its INT01 is computed there
    original = export(api, urn, "2026-27").content
    r = import_csv(api, urn, year, original)
    b = expect(r, 201)
    assert export(api, urn, year).content == original
    seeded, _ = get_budget(api, urn, "2026-27")
    strip = lambda ls: [{k: v for k, v in l.items() if k != "id"} for l in ls]
    assert strip(b["lines"]) == strip(seeded["lines"])
    assert b["totals"] == seeded["totals"]
    # importing it again over itself changes nothing: the same version and ETag, no audit row
    a0 = audit_max()
    etag = r.headers["ETag"]
    r = import_csv(api, urn, year, original, etag=etag)
    assert expect(r, 200)["version"] == 1 and r.headers["ETag"] == etag
    assert audit_max() == a0
    assert export(api, urn, year).content == original


def test_import_forms(api, school_urns):
    urn, year = school_urns[2], "2036-37"
    data = ("\ufeffCode,Description,Amount,Excluded from central\n"
            "I01,GAG,\"4,227,700.00\"\n"
            "E01,\"Teachers, main scale\",£2100000\n"
            "\n"
            "E16,Energy rebate,(1234.56),no\r\n"
            "E16,Energy,\"£118,000\",\n"
            ",,,\n"
            "E17,Rates,24000,yes\n")
    r = import_csv(api, urn, year, data)
    b = expect(r, 201)
    got = [(l["account_code"], l["description"], l["amount_pence"], l["excluded_from_central"])
           for l in b["lines"] if not l["computed"]]        # a pooled school: INT03, INT05 computed
    assert got == [("I01", "GAG", 422770000, False), ("E01", "Teachers, main scale", 210000000, False),
                   ("E16", "Energy rebate", -123456, False), ("E16", "Energy", 11800000, False),
                   ("E17", "Rates", 2400000, True)]
    rows = sql_rows(f"SELECT action FROM audit_log WHERE entity = 'budget' AND entity_id = '{urn}/{year}'")
    assert rows == [["create"]]
    r = import_csv(api, urn, year, "code,description,amount\nE01,x,1\n", etag=r.headers["ETag"], ctype="text/csv")
    expect(r, 200)
    rows = sql_rows(f"SELECT action FROM audit_log WHERE entity = 'budget' AND entity_id = '{urn}/{year}' ORDER BY id")
    assert rows == [["create"], ["import"]]


def test_import_amounts_as_excel_writes_them(api, school_urns):
    """Excel's accounting format ("£ 2,400.00", "£ (1,234.00)", "-" for zero) is read exactly; a
    decimal comma ("2.400,50") is named as such, and nothing is imported."""
    urn, year = school_urns[4], "2037-38"
    data = ("code,description,amount\r\n"
            "I01,GAG,\"£ 2,400.00\"\r\n"
            "E16,Energy rebate,\"£ (1,234.00)\"\r\n"
            "E19,Learning resources,\" £ -   \"\r\n"
            "E20,ICT, - \r\n")
    b = expect(import_csv(api, urn, year, data), 201)
    assert [(l["account_code"], l["amount_pence"]) for l in b["lines"]] == \
        [("I01", 240000), ("E16", -123400), ("E19", 0), ("E20", 0)]
    with unchanged(all_budgets_q(), all_lines_q()):
        p = problem(import_csv(api, urn, "2038-39", "code,description,amount\r\nE01,Teachers,\"2.400,50\"\r\n"),
                    422, "validation")
    assert p["errors"] == [{"field": "row 2, amount",
                            "message": '"2.400,50" uses a decimal comma: write pence after a full stop (1234.50)'}]


def test_import_row_14(api, school_urns):
    urn, year = school_urns[3], "2036-37"
    lines = ["code,description,amount"] + [f"E01,Teacher {i},1000.00" for i in range(2, 14)]
    lines += ["E01,Teacher 14,12.345", "E01,Teacher 15,5"]
    with unchanged(all_budgets_q(), all_lines_q()):
        p = problem(import_csv(api, urn, year, "\r\n".join(lines)), 422, "validation")
    assert p["errors"] == [{"field": "row 14, amount", "message": '"12.345" has more than two decimals'}]
    assert "nothing was imported" in p["detail"]


def test_import_every_error_listed(api, school_urns):
    urn, year = school_urns[3], "2036-37"
    data = ("code,description,amount\n"
            "E99,Unknown,1\n"
            "E01,Teachers,12.345\n"
            "E01,Teachers,£2,000\n"
            "E01\n"
            ",Blank code,1\n"
            "E01,Too big,1000000000.01\n"
            "E01,Fine,1.00\n")
    with unchanged(all_budgets_q(), all_lines_q()):
        p = problem(import_csv(api, urn, year, data), 422)
    fields = [e["field"] for e in p["errors"]]
    assert fields == ["row 2, code", "row 3, amount", "row 4", "row 5", "row 6, code", "row 7, amount"]
    assert p["errors"][0]["message"].startswith('"E99" is not an account code')


@pytest.mark.parametrize("data,status,field", [
    (b"", 400, "row 1"),
    (b"\xef\xbb\xbf", 400, "row 1"),
    (b"\r\n\r\n", 400, "row 1"),
    (b"code,description,amount\r\n", 422, "row 2"),
    (b"code,amount\nE01,1\n", 422, "row 1"),
    (b"code,description,amount,notes\nE01,a,1,x\n", 422, "row 1, column 4"),
    (b"code,description,amount\nE01,Books \xa35,1\n", 400, "row 2, description"),
    (b"\xff\xfec\x00o\x00d\x00e\x00", 400, "row 1, column 1"),
    (b"code,description,amount\nE01,Te\"achers,1\n", 400, "row 2, description"),
    (b"code,description,amount\nE01,\"open,1\n", 400, "row 2, description"),
    (b"code,description,amount\nE01,=CMD(),1\n", 422, "row 2, description"),
])
def test_import_bad_files(api, school_urns, data, status, field):
    urn = school_urns[4]
    with unchanged(all_budgets_q(), all_lines_q()):
        p = problem(import_csv(api, urn, "2036-37", data), status)
    assert field in [e["field"] for e in p["errors"]], p


def test_import_over_an_existing_budget_is_all_or_nothing(api, school_urns):
    urn, year = school_urns[5], "2036-37"
    r = import_csv(api, urn, year, "code,description,amount\nE01,a,1\nE03,b,2\n")
    etag = r.headers["ETag"]
    expect(r, 201)
    with unchanged(budget_q(urn, year)):
        problem(import_csv(api, urn, year, "code,description,amount\nE01,a,5\nE03,b,x\n", etag=etag), 422)
        problem(import_csv(api, urn, year, "code,description,amount\nE01,a,5\n"), 428)
        problem(import_csv(api, urn, year, "code,description,amount\nE01,a,5\n", etag='"9"'), 412)


def test_import_limits(api, school_urns):
    urn, year = school_urns[5], "2037-38"
    with unchanged(all_budgets_q(), all_lines_q()):
        # over the CSV limit of the test configuration (1 MiB)
        big = b"code,description,amount\n" + b"E01,x,1\n" * (1048576 // 8 + 10)
        r = import_csv(api, urn, year, big)
        assert r.status_code == 413
        problem(import_csv(api, urn, year, "code,description,amount\nE01,a,1\n", ctype="text/csv; charset=utf-16"),
                415)
        problem(import_csv(api, urn, year, "code,description,amount\nE01,a,1\n", role="auditor"), 403)


def test_import_10000_lines(api, school_urns, capsys):
    """A 10,001-line CSV in and over itself. The times are printed for reading, never asserted
    (make test runs on shared, noisy machines, and under the sanitizers)."""
    urn, year = school_urns[6], "2036-37"
    rows = ["code,description,amount"]
    codes = ["E01", "E03", "E05", "E12", "E16", "E19", "E20", "E28a"]
    for i in range(10000):
        rows.append(f'{codes[i % len(codes)]},"Line {i}, cost centre {i % 37}","{1000 + i:,}.{i % 100:02d}"')
    rows.append("I01,GAG,90000000.00")
    data = ("\r\n".join(rows) + "\r\n").encode()
    a0 = audit_max()
    t0 = time.monotonic()
    r = import_csv(api, urn, year, data)
    took = time.monotonic() - t0
    b = expect(r, 201)
    assert len([l for l in b["lines"] if not l["computed"]]) == 10001          # and its INT01, computed
    with capsys.disabled():
        print(f"\n  10,001-line CSV import ({len(data)} bytes): {took * 1000:.0f} ms")
    # and again over itself: nothing changes (no version, no audit row); the ids stay
    ids = [l["id"] for l in b["lines"]]
    t0 = time.monotonic()
    r = import_csv(api, urn, year, data, etag=r.headers["ETag"])
    took = time.monotonic() - t0
    b2 = expect(r, 200)
    assert b2["version"] == 1 and [l["id"] for l in b2["lines"]] == ids
    with capsys.disabled():
        print(f"  the same over itself (unchanged: nothing written): {took * 1000:.0f} ms")
    assert len(sql_rows(f"SELECT id FROM audit_log WHERE id > {a0}")) == 1
    exported = export(api, urn, year).content.decode("utf-8-sig")
    assert exported.count("\r\n") == 10002
