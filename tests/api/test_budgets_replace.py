"""Replacing a budget's lines whole (PUT as JSON, CSV import): only the difference is written.
Unchanged content changes nothing (no version, no audit row); lines keep their ids when their
account and description match (or, in JSON, when they name their id); a changed amount is one
UPDATE, and the audit row holds the lines changed, added and removed, not the budget twice.
Year 2056-57 is this file's. Its schools are pooled: each budget also has its computed lines
(INT03, INT05: derived on read, id null, never written), which the ids and counts here leave out."""
import json

from conftest import audit_max, expect, problem, sql, sql_rows, sql_value, unchanged
from test_budgets import budget_q, get_budget, line, put_budget, url
from test_budgets_csv import import_csv

HEAD = "code,description,amount\r\n"


def typed(b):
    """A budget's typed lines (its computed ones come after them)."""
    return [l for l in b["lines"] if not l["computed"]]


def audit_rows(a0):
    return [(r[0], json.loads(r[1]) if r[1] != "NULL" else None, json.loads(r[2]))
            for r in sql_rows(f"SELECT action, before_json, after_json FROM audit_log WHERE id > {a0} ORDER BY id")]


def line_versions(urn, year):
    """{line id: (line_no, version)} straight from the table."""
    y = int(year[:4])
    rows = sql_rows("SELECT l.id, l.line_no, l.version FROM budget_lines l JOIN budgets b ON b.id = l.budget_id "
                    f"JOIN schools s ON s.id = b.school_id WHERE s.urn = '{urn}' AND b.year = {y}")
    return {int(r[0]): (int(r[1]), int(r[2])) for r in rows}


def test_unchanged_import_writes_nothing(api, school_urns):
    urn, year = school_urns[0], "2056-57"
    data = HEAD + "I01,GAG,900000.00\r\nE01,Teachers,550000.00\r\nE01,Teachers,1.00\r\nE16,Energy,25000.00\r\n"
    r = import_csv(api, urn, year, data)
    b = expect(r, 201)
    etag = r.headers["ETag"]
    with unchanged(budget_q(urn, year), "SELECT id, version, updated_at FROM budget_lines ORDER BY id"):
        r = import_csv(api, urn, year, data, etag=etag)
        assert expect(r, 200) == b and r.headers["ETag"] == etag
        # the same as JSON, with or without the ids
        r = put_budget(api, urn, year, b["lines"], etag=etag)
        assert expect(r, 200) == b and r.headers["ETag"] == etag
        stripped = [{k: v for k, v in l.items() if k != "id"} for l in b["lines"]]
        r = put_budget(api, urn, year, stripped, etag=etag)
        assert expect(r, 200) == b and r.headers["ETag"] == etag
        # a stale If-Match is still 412, even with nothing to change
        problem(import_csv(api, urn, year, data, etag='"7"'), 412)
    assert get_budget(api, urn, year) == (b, etag)


def test_one_changed_amount_is_one_update(api, school_urns):
    urn, year = school_urns[1], "2056-57"
    rows = [f"E{(i % 9) + 1:02d},Line {i},{1000 + i}.00" for i in range(50)]
    r = import_csv(api, urn, year, HEAD + "\r\n".join(rows) + "\r\n")
    b = expect(r, 201)
    v0 = line_versions(urn, year)
    a0 = audit_max()
    rows[17] = rows[17].replace("1017.00", "1017.01")
    r = import_csv(api, urn, year, HEAD + "\r\n".join(rows) + "\r\n", etag=r.headers["ETag"])
    b2 = expect(r, 200)
    assert b2["version"] == 2 and r.headers["ETag"].startswith('"2-')
    assert [l["id"] for l in b2["lines"]] == [l["id"] for l in b["lines"]]
    assert b2["lines"][17]["amount_pence"] == 101701
    v1 = line_versions(urn, year)
    changed = [i for i in v0 if v0[i] != v1[i]]
    assert changed == [b["lines"][17]["id"]] and v1[changed[0]][1] == 2
    [(action, before, after)] = audit_rows(a0)
    assert action == "import"
    lid = b["lines"][17]["id"]
    assert before["changed"] == [{"id": lid, "account_code": b["lines"][17]["account_code"],
                                  "description": "Line 17", "amount_pence": 101700}]
    assert after["changed"] == [dict(before["changed"][0], amount_pence=101701)]
    assert before["removed"] == [] and after["added"] == [] and after["moved"] == 0
    assert before["version"] == 1 and after["version"] == 2 and before["lines"] == after["lines"] == 50
    assert after["totals"]["expenditure_pence"] == before["totals"]["expenditure_pence"] + 1
    assert get_budget(api, urn, year)[0] == b2


def test_ids_kept_by_account_and_description(api, school_urns):
    """Pairs by (code, description), duplicates in order; a new line is inserted, a missing
    one deleted, and the file's order kept."""
    urn, year = school_urns[2], "2056-57"
    r = import_csv(api, urn, year, HEAD + "E01,Teachers,100.00\r\nE01,Teachers,200.00\r\nE16,Energy,50.00\r\n"
                   "E19,Books,10.00\r\n")
    b = expect(r, 201)
    t1, t2, energy, books = (l["id"] for l in typed(b))
    a0 = audit_max()
    # reordered, the second Teachers changed, Books gone, a new line; a description's case is
    # another description
    r = import_csv(api, urn, year, HEAD + "E16,Energy,50.00\r\nE01,Teachers,100.00\r\nE01,Teachers,250.00\r\n"
                   "E12,Cleaning,5.00\r\nE19,books,10.00\r\n", etag=r.headers["ETag"])
    b2 = expect(r, 200)
    ids = [l["id"] for l in typed(b2)]
    assert ids[:3] == [energy, t1, t2]
    assert ids[3] not in (t1, t2, energy, books) and ids[4] not in (t1, t2, energy, books)
    assert [l["amount_pence"] for l in typed(b2)] == [5000, 10000, 25000, 500, 1000]
    assert [l["description"] for l in typed(b2)][4] == "books"
    [(_, before, after)] = audit_rows(a0)
    assert [l["id"] for l in before["changed"]] == [t2] and before["changed"][0]["amount_pence"] == 20000
    assert [l["id"] for l in after["changed"]] == [t2] and after["changed"][0]["amount_pence"] == 25000
    assert [l["id"] for l in before["removed"]] == [books]
    assert [l["id"] for l in after["added"]] == ids[3:]
    assert after["moved"] == 2                         # Energy and the first Teachers moved, unchanged
    assert sorted(line_versions(urn, year)) == sorted(ids)
    assert get_budget(api, urn, year)[0] == b2


def test_json_ids_and_keys_together(api, school_urns):
    """A JSON line that names an id keeps that line whatever its values; one without an id
    takes an unclaimed line with its account and description, else it is new."""
    urn, year = school_urns[3], "2056-57"
    r = put_budget(api, urn, year, [line("E01", 100, "Teachers"), line("E03", 200, "TAs"), line("E16", 300, "Energy")])
    b = expect(r, 201)
    t, tas, energy = (l["id"] for l in typed(b))
    lines = [line("E01", 150, "Teachers (main scale)", id=t),      # named: kept, although re-described
             line("E16", 300, "Energy"),                           # no id: Energy's by its key
             line("E03", 200, "TAs", id=tas),
             line("E01", 100, "Teachers")]                         # no id, Teachers' key is taken: new
    r = put_budget(api, urn, year, lines, etag=r.headers["ETag"])
    b2 = expect(r, 200)
    ids = [l["id"] for l in typed(b2)]
    assert ids[:3] == [t, energy, tas] and ids[3] not in (t, tas, energy)
    assert b2["lines"][0]["description"] == "Teachers (main scale)" and b2["lines"][0]["amount_pence"] == 150
    # a foreign or unknown id is still refused, and nothing changes
    with unchanged(budget_q(urn, year)):
        problem(put_budget(api, urn, year, [line("E01", 1, id=ids[-1] + 10 ** 9)], etag=r.headers["ETag"]), 422,
                fields=["/lines/0/id"])


def test_20000_lines_and_a_small_audit_row(api, school_urns):
    urn, year = school_urns[4], "2056-57"
    codes = ["E01", "E03", "E05", "E12", "E16", "E19", "E20", "E28a"]
    rows = [f'{codes[i % 8]},"Line {i}, centre {i % 37}",{10 + i}.{i % 100:02d}' for i in range(19999)]
    rows.append("I01,GAG,90000000.00")
    a0 = audit_max()
    r = import_csv(api, urn, year, HEAD + "\r\n".join(rows) + "\r\n")
    b = expect(r, 201)
    assert len(typed(b)) == 20000 and len({l["id"] for l in typed(b)}) == 20000
    [(action, before, after)] = audit_rows(a0)
    assert action == "create" and before is None and len(after["added"]) == 20000 and after["lines"] == 20000
    # one amount changed: a small row (the old format held the budget twice, about 5 MB)
    a1 = audit_max()
    rows[12345] = rows[12345].replace(",12355.45", ",12355.46")
    r = import_csv(api, urn, year, HEAD + "\r\n".join(rows) + "\r\n", etag=r.headers["ETag"])
    b2 = expect(r, 200)
    assert [l["id"] for l in typed(b2)] == [l["id"] for l in typed(b)]
    assert b2["lines"][12345]["amount_pence"] == 1235546
    size = int(sql_value(f"SELECT LENGTH(before_json) + LENGTH(after_json) FROM audit_log WHERE id > {a1}"))
    assert size < 4000, size
    [(_, before, after)] = audit_rows(a1)
    assert [l["amount_pence"] for l in before["changed"]] == [1235545]
    assert [l["amount_pence"] for l in after["changed"]] == [1235546]
    # the audit log's reader shows it
    r = api.get("/api/v1/audit", role="auditor", params={"entity": "budget", "entity_id": f"{urn}/{year}"})
    top = expect(r, 200)["items"][0]
    assert top["action"] == "import" and top["after"]["changed"] == after["changed"]
    sql(f"DELETE l FROM budget_lines l JOIN budgets b ON b.id = l.budget_id JOIN schools s ON s.id = b.school_id "
        f"WHERE s.urn = '{urn}' AND b.year = 2056")


def test_submitted_budget_refuses_even_unchanged(api, school_urns):
    """Only a draft changes: the same lines over a submitted budget are still 409."""
    urn, year = school_urns[5], "2056-57"
    r = put_budget(api, urn, year, [line("I01", 100000000, "GAG"), line("E01", 50000000, "Teachers")])
    b = expect(r, 201)
    sql(f"UPDATE budgets b JOIN schools s ON s.id = b.school_id SET b.status = 'submitted' "
        f"WHERE s.urn = '{urn}' AND b.year = 2056")
    with unchanged(budget_q(urn, year)):
        problem(put_budget(api, urn, year, b["lines"], etag=r.headers["ETag"]), 409)
