"""A budget's computed lines (issue 14, README "Computed lines"): every internal code is
posted by the entity's finance-rule plugin from the year's budgets, never typed. A draft
derives them on every read (so another school's change shows, and changes the ETag);
submit freezes them (rows, audited), return and reopen derive them again; approve keeps
what was submitted and says when the rules now work them out differently.

Each test has spare years of its own: the pooled schools of a year share one pool."""
import json

from conftest import audit_max, error_fields, expect, problem, sql_rows, unchanged
from test_budgets import all_budgets_q, all_lines_q, budget_q, get_budget, line, model_lines, put_budget, url
from test_budgets_csv import import_csv
from test_budgets_flow import transition

RETENTION_BP = 600                                    # conftest's central settings (the demo's)
LUMP = 5000000


def computed(b):
    return [(l["account_code"], l["amount_pence"]) for l in b["lines"] if l["computed"]]


def amount(b, code):
    return sum(l["amount_pence"] for l in b["lines"] if l["account_code"] == code)


def test_another_schools_gag_changes_the_allocation_and_the_etag(api):
    year = "2055-56"
    a = expect(put_budget(api, "159901", year, model_lines("159901")), 201)
    expect(put_budget(api, "159902", year, model_lines("159902")), 201)
    b, etag = get_budget(api, "159902", year)
    pot = amount(b, "INT03") + amount(a, "INT03")
    assert pot == 2 * (90000000 - 1000000)          # GAG less rates, each
    retained = (pot * RETENTION_BP * 2 + 10000) // 20000
    a, _ = get_budget(api, "159901", year)
    assert amount(a, "INT05") + amount(b, "INT05") + retained == pot        # to the penny
    assert amount(a, "INT05") > LUMP and amount(b, "INT05") > LUMP
    # 159901's GAG goes up by 100,000.00: the pot grows, so 159902's allocation does too
    lines = model_lines("159901")
    lines[0]["amount_pence"] += 10000000
    r = put_budget(api, "159901", year, lines, etag=get_budget(api, "159901", year)[1])
    expect(r, 200)
    r = api.get(url("159902", year), role="finance_director", headers={"If-None-Match": etag})
    b2 = expect(r, 200)                              # not 304: what it derives changed
    assert b2["version"] == b["version"]             # its own lines did not
    assert r.headers["ETag"] != etag and r.headers["ETag"].startswith(f'"{b["version"]}-h')
    assert amount(b2, "INT05") > amount(b, "INT05")
    assert amount(b2, "INT03") == amount(b, "INT03")
    assert b2["totals"]["income_pence"] - b["totals"]["income_pence"] == amount(b2, "INT05") - amount(b, "INT05")
    # the old ETag still writes (If-Match compares the version)
    r = api.put(url("159902", year), role="finance_director", json={"lines": b2["lines"]}, headers={"If-Match": etag})
    assert r.status_code == 200, r.text            # a GET's body PUT back: its computed lines skipped
    assert computed(r.json()) == computed(b2)
    # and an unchanged read is 304
    r3 = api.get(url("159902", year), role="auditor", headers={"If-None-Match": r.headers["ETag"]})
    assert r3.status_code == 304


def test_submit_freezes_approve_keeps_and_warns(api):
    year = "2059-60"
    expect(put_budget(api, "159901", year, model_lines("159901")), 201)
    expect(put_budget(api, "159902", year, model_lines("159902")), 201)
    b, etag = get_budget(api, "159902", year)
    a0 = audit_max()
    s = expect(transition(api, "159902", year, {"action": "submit"}, etag), 200)
    frozen = [l for l in s["lines"] if l["computed"]]
    assert computed(s) == computed(b) and all(isinstance(l["id"], int) for l in frozen)
    rows = sql_rows(f"SELECT l.id, a.code, l.amount_pence, l.explanation FROM budget_lines l JOIN accounts a "
                    f"ON a.id = l.account_id JOIN budgets b ON b.id = l.budget_id JOIN schools s ON s.id = b.school_id "
                    f"WHERE s.urn = '159902' AND b.year = 2059 AND l.computed = 1 ORDER BY l.line_no")
    assert [(int(r[0]), r[1], int(r[2])) for r in rows] == [(l["id"], l["account_code"], l["amount_pence"])
                                                            for l in frozen]
    assert all(r[3] for r in rows)
    after = json.loads(sql_rows(f"SELECT after_json FROM audit_log WHERE id > {a0} AND action = 'submit'")[0][0])
    assert [(c["account_code"], c["amount_pence"]) for c in after["computed_lines"]] == computed(b)
    etag = api.get(url("159902", year), role="finance_director").headers["ETag"]
    assert etag.startswith(f'"{s["version"]}-h')
    # another pooled school's budget changes: the submitted budget keeps its frozen lines and says so
    lines = model_lines("159901")
    lines[0]["amount_pence"] += 10000000
    expect(put_budget(api, "159901", year, lines, etag=get_budget(api, "159901", year)[1]), 200)
    r = api.get(url("159902", year), role="finance_director", headers={"If-None-Match": etag})
    g = expect(r, 200)
    assert r.headers["ETag"] != etag and g["version"] == s["version"]
    assert computed(g) == computed(s)
    [w] = [f for f in g["findings"] if f["code"] == "computed_lines"]
    assert w["severity"] == "warning" and w["field"] == "/lines" and w["row"] is None and w["line_id"] is None
    assert "return or reopen the budget to take the new figures" in w["message"]
    # approved as submitted (the board approves what was reviewed), the warning in the reply
    ap = expect(transition(api, "159902", year, {"action": "approve", "minute_ref": "B/9"}, r.headers["ETag"]), 200)
    assert ap["status"] == "approved" and computed(ap) == computed(s)
    assert [l["id"] for l in ap["lines"] if l["computed"]] == [l["id"] for l in frozen]
    assert "computed_lines" in [f["code"] for f in ap["findings"]]
    # reopened: a draft again, its computed lines derived afresh (the new figures), no warning
    ro = expect(transition(api, "159902", year, {"action": "reopen", "reason": "new allocation"},
                           api.get(url("159902", year), role="finance_director").headers["ETag"]), 200)
    assert ro["status"] == "draft" and "computed_lines" not in [f["code"] for f in ro["findings"]]
    assert all(l["id"] is None for l in ro["lines"] if l["computed"])
    assert amount(ro, "INT05") > amount(s, "INT05")
    assert int(sql_rows("SELECT COUNT(*) FROM budget_lines l JOIN budgets b ON b.id = l.budget_id JOIN schools s "
                        "ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2059 AND l.computed = 1")[0][0]) == 0


def test_typed_internal_lines_are_refused(api):
    urn, year = "159909", "2060-61"                  # a top-sliced (local) school
    lines = model_lines(urn)
    with unchanged(all_budgets_q()), unchanged(all_lines_q()):
        p = problem(put_budget(api, urn, year, lines + [line("INT01", 4450000, "Central services charge")]),
                    422, "validation")
        assert error_fields(p) == [f"/lines/{len(lines)}/account_code"]
        assert p["errors"][0]["message"] == ('INT01 is computed by the finance rules (the "local" plugin, this '
                                             "school's finance model), never typed: leave it out (the budget shows it)")
        # any internal code, the central team's too
        p = problem(put_budget(api, "central", year, [line("I08", 100), line("INT02", 5)]), 422, "validation")
        assert error_fields(p) == ["/lines/1/account_code"]
        # a CSV row on an internal code is a row error
        p = problem(import_csv(api, urn, year, "code,description,amount\r\nI01,GAG,900000.00\r\n"
                                               "INT01,Central services charge,44500.00\r\n"), 422, "validation")
        assert [e["field"] for e in p["errors"]] == ["row 3, code"]
        assert "computed by the finance rules" in p["errors"][0]["message"]
    # the computed rows of the spreadsheet (computed = yes) are skipped
    b = expect(import_csv(api, urn, year, "code,description,amount,computed\r\nI01,GAG,900000.00,\r\n"
                                          "E17,Rates,10000.00,\r\n"
                                          "INT01,Central services charge (local),123.00,yes\r\n"), 201)
    assert computed(b) == [("INT01", 4500000)]         # 5% of 900,000.00 (the rates not flagged here)
    etag = get_budget(api, urn, year)[1]
    with unchanged(budget_q(urn, year)):
        p = problem(api.post(url(urn, year) + "/lines", role="finance_director", json=line("INT01", 1),
                             headers={"If-Match": etag}), 422, "validation")
        assert error_fields(p) == ["/account_code"]
