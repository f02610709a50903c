"""Budget imports as business managers' files arrive (issue 14): UTF-8 with a BOM,
Windows-1252 declared or not, mojibake refused (nothing stored), Excel's default
"CSV (Comma delimited)", and XLSX written by openpyxl and re-saved by LibreOffice."""
import io
import zipfile

import openpyxl
import pytest

from conftest import expect, problem, unchanged
from libreoffice import libreoffice_resave
from test_budgets import all_budgets_q, all_lines_q, budget_q, get_budget, put_budget, url
from test_budgets_csv import import_csv

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def lines_of(b):
    return [(l["account_code"], l["description"], l["amount_pence"]) for l in b["lines"] if not l.get("computed")]


def import_xlsx(api, urn, year, data, etag=None, role="finance_director"):
    headers = {"Content-Type": XLSX}
    if etag is not None:
        headers["If-Match"] = etag
    return api.put(url(urn, year), role=role, body=data, headers=headers, json_ct=False)


def workbook(rows, title="Budget", before=()):
    """An openpyxl workbook: a sheet "Notes" first, then the budget sheet with rows."""
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "Notes"
    notes.append(["not the budget"])
    ws = wb.create_sheet(title)
    for r in before:
        ws.append(r)
    for r in rows:
        ws.append(r)
    return wb


def xlsx_bytes(wb):
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---- CSV encodings ----

def test_utf8_bom(api, school_urns):
    urn, year = school_urns[2], "2061-62"
    data = "\ufeffcode,description,amount\r\nE01,Teachers’ pay at £5,1.00\r\nI01,Café,2\r\n".encode("utf-8")
    r = import_csv(api, urn, year, data, ctype="text/csv")
    b = expect(r, 201)
    assert r.headers["Import-Encoding"] == "utf-8"
    assert lines_of(b) == [("E01", "Teachers’ pay at £5", 100), ("I01", "Café", 200)]


@pytest.mark.parametrize("label", ["windows-1252", "cp1252", "ISO-8859-1", "latin1"])
def test_declared_windows_1252(api, school_urns, label):
    urn = school_urns[3]
    year = {"windows-1252": "2061-62", "cp1252": "2062-63", "ISO-8859-1": "2063-64", "latin1": "2064-65"}[label]
    data = "code,description,amount\r\nE01,\"Teachers’ pay – £5,520\",\"£1,234.50\"\r\n".encode("cp1252")
    assert b"\x92" in data and b"\xa3" in data
    r = import_csv(api, urn, year, data, ctype=f"text/csv; charset={label}")
    b = expect(r, 201)
    assert r.headers["Import-Encoding"] == "windows-1252"
    assert lines_of(b) == [("E01", "Teachers’ pay – £5,520", 123450)]
    b2, _ = get_budget(api, urn, year)
    assert lines_of(b2) == lines_of(b)


def test_undeclared_windows_1252(api, school_urns):
    urn, year = school_urns[4], "2061-62"
    data = "code,description,amount\nE16,Energy – gas £,£2\n".encode("cp1252")
    r = import_csv(api, urn, year, data, ctype="text/csv")
    b = expect(r, 201)
    assert r.headers["Import-Encoding"] == "windows-1252"
    assert lines_of(b) == [("E16", "Energy – gas £", 200)]
    # declared UTF-8, it is refused, saying what it looks like
    with unchanged(all_budgets_q(), all_lines_q()):
        p = problem(import_csv(api, urn, "2062-63", data, ctype="text/csv; charset=utf-8"), 400, "bad-request")
        assert "it looks like Windows-1252" in p["errors"][0]["message"]
        # bytes that are neither (81 is undefined in Windows-1252, NUL in any)
        problem(import_csv(api, urn, "2062-63", b"code,description,amount\nE01,\x81\xa3,1\n", ctype="text/csv"), 400)


def test_other_charsets_415(api, school_urns):
    urn, year = school_urns[4], "2063-64"
    with unchanged(all_budgets_q(), all_lines_q()):
        for ct in ("text/csv; charset=utf-16", "text/csv; charset=shift_jis", "text/csv; charset=iso-8859-15"):
            p = problem(import_csv(api, urn, year, "code,description,amount\nE01,a,1\n", ctype=ct), 415,
                        "unsupported-media-type")
            assert "utf-8 or windows-1252" in p["detail"]
        p = problem(import_csv(api, urn, year, "x", ctype="application/vnd.ms-excel"), 415)
        assert XLSX in p["detail"]


def test_mojibake_refused(api, school_urns):
    urn, year = school_urns[5], "2061-62"
    r = import_csv(api, urn, year, "code,description,amount\nI01,GAG,1\nE01,Teachers,2\n")
    expect(r, 201)
    etag = r.headers["ETag"]
    bad = "code,description,amount\r\nI01,GAG,1\r\nE01,\"GAG: 420 pupils at Â£5,520\",2\r\nE16,Itâ€™s,3\r\n"
    with unchanged(budget_q(urn, year), all_lines_q()):
        p = problem(import_csv(api, urn, year, bad, etag=etag), 422, "validation",
                    fields=["row 3, description", "row 4, description"])
        msg = {e["field"]: e["message"] for e in p["errors"]}
        assert msg["row 3, description"].startswith('"GAG: 420 pupils at Â£5,520" looks like text saved in the wrong '
                                                    'encoding: "Â£" is how "£" reads when UTF-8 is opened as '
                                                    'Windows-1252')
        assert '"â€™" is how "’" reads' in msg["row 4, description"]
        # the same through JSON, the line routes, and XLSX: no route stores it
        lines = [{"account_code": "E01", "amount_pence": 1, "description": "Caf\u00c3\u00a9"}]
        problem(put_budget(api, urn, year, lines, etag=etag), 422, fields=["/lines/0/description"])
        problem(api.post(url(urn, year) + "/lines", role="finance_director", headers={"If-Match": etag},
                         json=lines[0]), 422, fields=["/description"])
        problem(import_xlsx(api, urn, year, xlsx_bytes(workbook([["code", "description", "amount"],
                                                                 ["E01", "Â£5", 1]])), etag=etag), 422,
                fields=["row 2, description"])
    assert get_budget(api, urn, year)[1] == etag
    # ordinary accents and punctuation are fine
    expect(import_csv(api, urn, year, "code,description,amount\nE01,CAFÉ’S – Ã side,1\n", etag=etag), 200)


def test_excel_default_csv(api, school_urns):
    """Excel's "CSV (Comma delimited)" on an English Windows: Windows-1252, CRLF, no BOM,
    quotes only where needed, and the rows below the table that were once used written
    as commas alone. It used to be refused with a spurious "row 25, amount: is empty"."""
    urn, year = school_urns[6], "2061-62"
    rows = ["code,description,amount,driver,excluded_from_central"]
    rows += ["I01,\"GAG: 420 pupils at £5,520\",\"£ 2,318,400.00 \",,"]
    for i in range(20):
        rows.append(f"E{1 + i % 9:02d},Staff line {i} – “quoted”,\" {1000 + i:,}.50 \",,")
    rows += ["E16,Energy – gas,-,fixed,", "E17,Rates,\" (1,000.00)\",,yes"]
    rows += [",,,,"] * 6 + [" , ,,,"]
    data = ("\r\n".join(rows) + "\r\n").encode("cp1252")
    r = import_csv(api, urn, year, data, ctype="text/csv")
    b = expect(r, 201)
    assert r.headers["Import-Encoding"] == "windows-1252"
    got = lines_of(b)
    assert len(got) == 23
    assert got[0] == ("I01", "GAG: 420 pupils at £5,520", 231840000)
    assert got[1] == ("E01", "Staff line 0 – “quoted”", 100050)
    assert got[-2:] == [("E16", "Energy – gas", 0), ("E17", "Rates", -100000)]


# ---- XLSX ----

def test_xlsx_openpyxl(api, school_urns):
    urn, year = school_urns[7], "2061-62"
    wb = workbook([["code", "account", "kind", "description", "amount", "driver", "excluded_from_central", "computed"],
                   ["I01", "GAG", "income", "GAG: 420 pupils at £5,520", 2318400, None, None, "no"],
                   ["E01", "Teachers", "expenditure", "Teachers’ pay", 1234.56, "teacher_pay", None, None],
                   [None, None, None, None, None],
                   ["E16", "Energy", "expenditure", "Gas", 0.1 + 0.2, None, "yes", None],
                   ["INT01", "Central charge", "expenditure", "Top slice", 5000, None, None, "yes"],
                   ["E17", None, None, "Rates", "£ (1,000.00)", None, None, None]],
                  before=[["Oystercatcher budget 2061-62"], []])
    r = import_xlsx(api, urn, year, xlsx_bytes(wb))
    b = expect(r, 201)
    assert lines_of(b) == [("I01", "GAG: 420 pupils at £5,520", 231840000), ("E01", "Teachers’ pay", 123456),
                           ("E16", "Gas", 30), ("E17", "Rates", -100000)]
    assert b["lines"][1]["driver"] == "teacher_pay" and b["lines"][2]["excluded_from_central"] is True
    # a genuine third decimal is refused as in a CSV, naming the real sheet row (5)
    wb = workbook([["code", "description", "amount"], ["E01", "a", 1.5], ["E01", "b", 1.005]], before=[["title"], []])
    with unchanged(budget_q(urn, year), all_lines_q()):
        p = problem(import_xlsx(api, urn, year, xlsx_bytes(wb), etag=r.headers["ETag"]), 422,
                    fields=["row 5, amount"])
        assert p["errors"][0]["message"] == '"1.005" has more than two decimals'


def test_xlsx_refusals(api, school_urns):
    urn, year = school_urns[7], "2062-63"
    with unchanged(all_budgets_q(), all_lines_q()):
        p = problem(import_xlsx(api, urn, year, b"code,description,amount\nE01,a,1\n"), 415, "unsupported-media-type")
        assert "not an Excel workbook" in p["detail"]
        z = io.BytesIO()
        with zipfile.ZipFile(z, "w") as zf:
            zf.writestr("word/document.xml", "<w/>")
        p = problem(import_xlsx(api, urn, year, z.getvalue()), 422, "validation")
        assert "not an Excel workbook" in p["detail"]
        # a zip bomb: a sheet of 6 MiB of spaces compresses to a few KiB; the test's CSV limit is
        # 1 MiB, so at most 4 MiB are inflated
        wb = io.BytesIO(xlsx_bytes(workbook([["code", "description", "amount"], ["E01", "a", 1]])))
        z = io.BytesIO()
        with zipfile.ZipFile(wb) as src, zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                if item.filename == "xl/worksheets/sheet2.xml":
                    data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (6 << 20))
                dst.writestr(item, data, zipfile.ZIP_DEFLATED)
        assert len(z.getvalue()) < 100000
        p = problem(import_xlsx(api, urn, year, z.getvalue()), 413, "payload-too-large")
        assert "unpacks to more than" in p["detail"]
        # no header in the first 20 rows
        wb = workbook([["code"]] + [[i] for i in range(25)])
        problem(import_xlsx(api, urn, year, xlsx_bytes(wb)), 422, fields=["row 1"])
        problem(import_xlsx(api, urn, year, xlsx_bytes(workbook([["code", "description", "amount"]])), role="auditor"),
                403)


def test_xlsx_libreoffice_resave(api, school_urns):
    """openpyxl writes a workbook, LibreOffice saves it again, it is imported; one amount
    edited in it, saved by LibreOffice again and imported: exactly that line changed."""
    urn, year = school_urns[8], "2061-62"
    rows = [["code", "description", "amount"]]
    rows += [["I01", "GAG: 420 pupils at £5,520", 2318400]]
    rows += [[("E01", "E03", "E16", "E17")[i % 4], f"Line {i} – “cost” ’s", 1000 + i + (i % 100) / 100]
             for i in range(40)]
    wb = workbook(rows)
    saved = libreoffice_resave(xlsx_bytes(wb))
    r = import_xlsx(api, urn, year, saved)
    b = expect(r, 201)
    want = [("I01", "GAG: 420 pupils at £5,520", 231840000)]
    want += [(row[0], row[1], (1000 + i) * 100 + i % 100) for i, row in enumerate(rows[2:])]
    assert lines_of(b) == want
    # edit one amount (sheet row 10: line 8) and save through LibreOffice again
    wb = openpyxl.load_workbook(io.BytesIO(saved))
    ws = wb["Budget"]
    assert ws["B10"].value == "Line 7 – “cost” ’s"
    ws["C10"] = 2468.02
    again = libreoffice_resave(xlsx_bytes(wb))
    r = import_xlsx(api, urn, year, again, etag=r.headers["ETag"])
    b2 = expect(r, 200)
    got = lines_of(b2)
    changed = [i for i, (x, y) in enumerate(zip(lines_of(b), got)) if x != y]
    assert len(got) == len(want) and changed == [8]
    assert got[8] == (want[8][0], want[8][1], 246802)
