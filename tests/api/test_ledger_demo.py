"""The demo trust's own November 2026 ledger export (tests/api/data/ledger_2026_11.csv, written by
schema/seed/gen_monitoring.py) through POST /api/v1/actuals/import, end to end (issue 17's first
"done when"): refused while November is closed; with November reopened, the three unmapped nominal
codes are one 422 listing each row and nothing is written; the file without them imports and
changes no seeded figure (it sums to the seeded November actuals); November is closed again."""
import csv
import io
import pathlib

from conftest import audit_max, expect, problem, sql_rows, unchanged

FILE = pathlib.Path(__file__).parent / "data" / "ledger_2026_11.csv"
IMP = "/api/v1/actuals/import?year=2026-27&kind=actual"
CSV_CT = "text/csv; charset=utf-8"
CELLS = ("SELECT school_id, year, month, kind, account_id, amount_pence FROM actuals "
         "WHERE year = 2026 ORDER BY 1, 3, 4, 5")
IMPORTS = "SELECT id FROM actual_imports WHERE year = 2026"
UNMAPPED = {"0040", "2201", "9999"}


def rows():
    with FILE.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def text(keep):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(keep)
    return out.getvalue().encode()


def imp(api, body):
    return api.post(IMP, role="finance_director", body=body, json_ct=False, headers={"Content-Type": CSV_CT})


def cells(api, urn):
    body = expect(api.get(f"/api/v1/schools/{urn}/actuals?year=2026-27", role="auditor"), 200)
    return {(i["month"], i["account_code"], i["kind"]): i["amount_pence"] for i in body["items"]}


def test_the_demo_ledger_export_imports_with_row_errors_and_nothing_half_written(api):
    all_rows = rows()
    header, data = all_rows[0], all_rows[1:]
    nominal = header.index("Nominal Code")
    bad = {f"row {i + 2}, nominal" for i, r in enumerate(data) if r[nominal] in UNMAPPED}
    assert len(bad) == 3
    clean = text([header] + [r for r in data if r[nominal] not in UNMAPPED])
    before = {urn: cells(api, urn) for urn in ("159902", "159904")}

    # November 2026 is closed in the demo: the import is refused and changes nothing
    with unchanged(CELLS, IMPORTS):
        p = problem(imp(api, clean), 409)
    assert "2026-11" in p["detail"] + " ".join(e.get("message", "") + e.get("field", "") for e in p.get("errors", []))

    expect(api.post("/api/v1/periods/2026-11/reopen", role="finance_director",
                    json={"reason": "re-import of the November ledger export (test)"}), 200)
    try:
        # the whole file: one 422 naming each unmapped row, nothing written
        with unchanged(CELLS, IMPORTS):
            p = problem(imp(api, FILE.read_bytes()), 422, "validation")
        assert {e["field"] for e in p["errors"]} == bad
        for e in p["errors"]:
            assert "is not mapped" in e["message"]

        # without them: imported, and it sums to exactly the seeded November figures
        a0 = audit_max()
        r = expect(imp(api, clean), 200)
        assert r["months"] == ["2026-11"]
        assert sorted(r["entities"]) == ["159902", "159904"]
        assert r["rows"] == len(data) - 3
        assert {urn: cells(api, urn) for urn in ("159902", "159904")} == before
        audit = sql_rows(f"SELECT action FROM audit_log WHERE id > {a0}")
        assert audit, "the import wrote no audit row"
    finally:
        expect(api.post("/api/v1/periods/2026-11/close", role="finance_director"), 200)
    periods = expect(api.get("/api/v1/periods?year=2026-27", role="auditor"), 200)["items"]
    assert [p["closed"] for p in periods[:3]] == [True, True, True]
