"""Issue 14's "Done when": a budget exported as XLSX (and as CSV), edited, saved by LibreOffice
Calc and imported back changes exactly what was edited: the edited amount and description,
no other line, the computed lines untouched, one new version and one audit row.

Each test uses a year of its own (no other test's census, services or budgets there), with
a seeded budget copied into it."""
import csv
import io

import openpyxl

from conftest import audit_max, expect, sql_rows
from libreoffice import libreoffice
from test_budgets import get_budget, put_budget, url
from test_budgets_csv import import_csv
from test_budgets_import import import_xlsx
from test_exports_xlsx import XLSX

LINE_KEYS = ("account_code", "description", "amount_pence", "driver", "excluded_from_central")


def copy_seeded(api, urn, year):
    """The seeded 2026-27 budget of urn copied into year (its computed lines, if any, are
    sent as computed: the API ignores them and posts its own)."""
    seeded, _ = get_budget(api, urn, "2026-27")
    lines = [{k: l[k] for k in LINE_KEYS + ("computed",)} for l in seeded["lines"]]
    r = put_budget(api, urn, year, lines)
    assert r.status_code == 201, r.text
    return get_budget(api, urn, year)


def typed(b):
    return [tuple(l[k] for k in LINE_KEYS) for l in b["lines"] if not l["computed"]]


def computed(b):
    return [(l["account_code"], l["description"], l["amount_pence"], l["explanation"]) for l in b["lines"]
            if l["computed"]]


def audit_rows(urn, year, since):
    return sql_rows(f"SELECT action FROM audit_log WHERE entity = 'budget' AND entity_id = '{urn}/{year}' "
                    f"AND id > {since}")


def pick(b):
    """Two typed lines to edit (sheet rows: line i on row i + 2): one's amount, another's
    description; neither line's account and description shared with another line."""
    seen = {}
    for l in b["lines"]:
        seen[(l["account_code"], l["description"])] = seen.get((l["account_code"], l["description"]), 0) + 1
    ok = [i for i, l in enumerate(b["lines"])
          if not l["computed"] and seen[(l["account_code"], l["description"])] == 1 and l["amount_pence"] > 0]
    assert len(ok) >= 4
    return ok[1], ok[3]


def check_exactly(before, after, amount_at, amount, desc_at, desc):
    """after is before with line amount_at's amount and line desc_at's description changed,
    nothing else; the computed lines as they were."""
    want = [dict(zip(LINE_KEYS, t)) for t in typed(before)]
    # typed lines come first (ISSUE14 contract 2), so a typed line's index is its place here
    want[amount_at]["amount_pence"] = amount
    want[desc_at]["description"] = desc
    assert [dict(zip(LINE_KEYS, t)) for t in typed(after)] == want
    changed = [i for i, (x, y) in enumerate(zip(typed(before), typed(after))) if x != y]
    assert changed == sorted([amount_at, desc_at])
    assert computed(after) == computed(before)
    assert after["version"] == before["version"] + 1 and after["status"] == before["status"]
    # every line but the one whose description changed keeps its id (matched by account and
    # description: the edited amount's line too)
    ids = lambda b: [l["id"] for i, l in enumerate(b["lines"]) if i != desc_at]
    assert ids(after) == ids(before)


def test_xlsx_edited_in_libreoffice(api, school_urns):
    urn, year = school_urns[6], "2082-83"            # a top-sliced school: INT01 among its lines
    before, etag = copy_seeded(api, urn, year)
    r = api.get(url(urn, year), role="finance_director", headers={"Accept": XLSX})
    assert r.status_code == 200 and r.headers["ETag"].startswith(etag[:-1])   # the version's (a format may name itself)
    # the workbook as exported goes back as it came: nothing changes (no version, no audit row)
    a0 = audit_max()
    same = import_xlsx(api, urn, year, r.content, etag=etag)
    assert expect(same, 200)["version"] == before["version"] and same.headers["ETag"] == etag
    assert audit_max() == a0
    amount_at, desc_at = pick(before)
    new_amount = before["lines"][amount_at]["amount_pence"] + 12345
    new_desc = before["lines"][desc_at]["description"] + " – revised £"

    # the business manager's edit: one amount, one description, in the Budget sheet
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    ws = wb["Budget"]
    head = [c.value for c in ws[1]]
    amount_col, desc_col = head.index("amount") + 1, head.index("description") + 1
    assert ws.cell(row=amount_at + 2, column=1).value == before["lines"][amount_at]["account_code"]
    assert not ws.cell(row=amount_at + 2, column=amount_col).protection.locked
    ws.cell(row=amount_at + 2, column=amount_col).value = new_amount / 100
    ws.cell(row=desc_at + 2, column=desc_col).value = new_desc
    edited = io.BytesIO()
    wb.save(edited)
    saved = libreoffice(edited.getvalue(), "budget.xlsx", "xlsx")
    # LibreOffice kept the sheets and the figures (not a file openpyxl wrote)
    back = openpyxl.load_workbook(io.BytesIO(saved))
    assert back.sheetnames == ["Budget", "Summary", "Accounts"]

    a0 = audit_max()
    r = import_xlsx(api, urn, year, saved, etag=etag)
    expect(r, 200)
    after, _ = get_budget(api, urn, year)
    check_exactly(before, after, amount_at, new_amount, desc_at, new_desc)
    assert audit_rows(urn, year, a0) == [["import"]]


def test_csv_edited_in_libreoffice(api, school_urns):
    urn, year = school_urns[7], "2083-84"
    before, etag = copy_seeded(api, urn, year)
    r = api.get(url(urn, year), role="finance_director", headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["ETag"].startswith(etag[:-1])
    amount_at, desc_at = pick(before)
    new_amount = before["lines"][amount_at]["amount_pence"] - 5001
    new_desc = "Café: “new” supplier’s rate"

    # the edit, as text; then LibreOffice opens the file as UTF-8 CSV (columns as Standard: it
    # reads the amounts as numbers) and saves it as UTF-8 CSV
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    head = rows[0]
    p = new_amount
    rows[amount_at + 1][head.index("amount")] = f"{'-' if p < 0 else ''}{abs(p) // 100}.{abs(p) % 100:02d}"
    rows[desc_at + 1][head.index("description")] = new_desc
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    data = "\ufeff".encode("utf-8") + text.getvalue().encode("utf-8")
    utf8 = "44,34,76"
    saved = libreoffice(data, "budget.csv", f"csv:Text - txt - csv (StarCalc):{utf8}",
                        infilter=f"Text - txt - csv (StarCalc):{utf8},1")
    assert "Café: “new” supplier’s rate".encode("utf-8") in saved

    a0 = audit_max()
    r = import_csv(api, urn, year, saved, etag=etag, ctype="text/csv")
    expect(r, 200)
    assert r.headers["Import-Encoding"] == "utf-8"
    after, _ = get_budget(api, urn, year)
    check_exactly(before, after, amount_at, new_amount, desc_at, new_desc)
    assert audit_rows(urn, year, a0) == [["import"]]
