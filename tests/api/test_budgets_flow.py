"""The budget workflow (draft -> submitted -> approved, return, reopen) through
POST .../budgets/{year}/transitions, validation on submit, the lock on submitted and
approved budgets, and the trust's view GET /api/v1/budgets/{year}."""
import json

import pytest

from conftest import audit_max, error_fields, expect, problem, sql_rows, unchanged
from test_budgets import (all_budgets_q, all_lines_q, budget_etag, budget_q, get_budget, line, model_lines, put_budget,
                          simple_lines, topslice_charge, url)


def transition(api, urn, year, body, etag=None, role="finance_director"):
    headers = {} if etag is None else {"If-Match": etag}
    return api.post(url(urn, year) + "/transitions", role=role, json=body, headers=headers)


def fresh(api, urn, year, lines=None, role="finance_director"):
    """A new draft; by default simple_lines() as urn's finance model wants them (model_lines)."""
    r = put_budget(api, urn, year, model_lines(urn) if lines is None else lines, role=role)
    b = expect(r, 201)
    return b, r.headers["ETag"]


def without_recharges(findings):
    """The findings less the recharge_short warnings: the demo's schools take traded services
    in every year (open-ended subscriptions), which these small budgets do not carry; the
    recharges are tested in test_budgets_recharges.py."""
    return [f for f in findings if f["code"] != "recharge_short"]


def audit_since(a0):
    return [(r[0], r[1]) for r in sql_rows(f"SELECT action, entity_id FROM audit_log WHERE id > {a0} ORDER BY id")]


def test_the_whole_workflow(api, first_urn):
    year = "2038-39"
    b, etag = fresh(api, first_urn, year, role="business_manager")
    a0 = audit_max()

    # the business manager submits their own school's draft
    r = transition(api, first_urn, year, {"action": "submit"}, etag, role="business_manager")
    s = expect(r, 200)
    assert s["status"] == "submitted" and s["version"] == b["version"] + 1
    assert budget_etag(s["version"]).match(r.headers["ETag"])
    assert s["submitted_at"] is not None and without_recharges(s["findings"]) == []
    assert len(s["lines"]) == len(b["lines"])
    etag = r.headers["ETag"]

    # submitted: no writes, and only the finance director moves it on
    with unchanged(budget_q(first_urn, year)):
        problem(put_budget(api, first_urn, year, simple_lines(), etag=etag, role="business_manager"), 409, "conflict")
        problem(api.post(url(first_urn, year) + "/lines", role="business_manager", json=line("E01", 1),
                         headers={"If-Match": etag}), 409)
        problem(transition(api, first_urn, year, {"action": "submit"}, etag, role="business_manager"), 409)
        for action in ("approve", "return", "reopen"):
            body = {"action": action, **({"minute_ref": "B/1"} if action == "approve" else {"reason": "x"})}
            problem(transition(api, first_urn, year, body, etag, role="business_manager"), 403, "forbidden")
        problem(transition(api, first_urn, year, {"action": "reopen", "reason": "x"}, etag), 409)

    # returned with a reason, corrected, submitted again
    r = transition(api, first_urn, year, {"action": "return", "reason": "Energy looks low: check the new tariff"}, etag)
    d = expect(r, 200)
    assert d["status"] == "draft" and d["return_reason"] == "Energy looks low: check the new tariff"
    assert d["submitted_at"] is None
    r = api.put(url(first_urn, year) + f"/lines/{d['lines'][4]['id']}", role="business_manager",
                json=line("E16", 3000000, "Energy (new tariff)"), headers={"If-Match": r.headers["ETag"]})
    expect(r, 200)
    r = transition(api, first_urn, year, {"action": "submit"}, r.headers["ETag"], role="business_manager")
    s = expect(r, 200)
    assert s["status"] == "submitted" and s["return_reason"] is None

    # approved by the finance director for the board, with the minute reference
    r = transition(api, first_urn, year, {"action": "approve", "minute_ref": "Board 2026-07-08 min. 7.2"},
                   r.headers["ETag"])
    ap = expect(r, 200)
    assert ap["status"] == "approved" and ap["board_minute_ref"] == "Board 2026-07-08 min. 7.2"
    assert ap["approved_at"] is not None
    etag = r.headers["ETag"]

    # approved is locked: 409 on any write, whoever asks
    lid = ap["lines"][0]["id"]
    csv = "code,description,amount\nE01,a,1\n"
    with unchanged(budget_q(first_urn, year)):
        for role in ("business_manager", "finance_director"):
            problem(put_budget(api, first_urn, year, simple_lines(), etag=etag, role=role), 409, "conflict")
            problem(api.put(url(first_urn, year), role=role, body=csv, json_ct=False,
                            headers={"Content-Type": "text/csv", "If-Match": etag}), 409)
            problem(api.post(url(first_urn, year) + "/lines", role=role, json=line("E01", 1),
                             headers={"If-Match": etag}), 409)
            problem(api.put(url(first_urn, year) + f"/lines/{lid}", role=role, json=line("E01", 1),
                            headers={"If-Match": etag}), 409)
            problem(api.delete(url(first_urn, year) + f"/lines/{lid}", role=role, headers={"If-Match": etag}), 409)
            problem(transition(api, first_urn, year, {"action": "submit"}, etag, role=role), 409)
        problem(transition(api, first_urn, year, {"action": "approve", "minute_ref": "again"}, etag), 409)
        problem(transition(api, first_urn, year, {"action": "reopen", "reason": "x"}, etag, role="business_manager"), 403)

    # reopened by the finance director, audited with the reason
    r = transition(api, first_urn, year, {"action": "reopen", "reason": "In-year pay award above budget"}, etag)
    ro = expect(r, 200)
    assert ro["status"] == "draft" and ro["reopen_reason"] == "In-year pay award above budget"
    assert ro["approved_at"] is None and ro["board_minute_ref"] is None
    eid = f"{first_urn}/{year}"
    assert audit_since(a0) == [("submit", eid), ("return", eid), ("line_update", eid), ("submit", eid),
                               ("approve", eid), ("reopen", eid)]
    row = sql_rows(f"SELECT role, before_json, after_json FROM audit_log WHERE action = 'reopen' AND entity_id = '{eid}'")
    assert row[0][0] == "finance_director"
    before, after = json.loads(row[0][1]), json.loads(row[0][2])
    assert before["status"] == "approved" and after["status"] == "draft"
    assert after["reopen_reason"] == "In-year pay award above budget"
    # and it can be edited again
    r = api.post(url(first_urn, year) + "/lines", role="business_manager", json=line("E01", 100),
                 headers={"If-Match": r.headers["ETag"]})
    expect(r, 201)


def test_submit_errors_block_with_every_finding(api, school_urns):
    urn, year = school_urns[1], "2038-39"                          # a pooled (central) school
    lines = [line("I05", 10000000, "Pupil premium"),                # no GAG, no allocation: errors
             line("E01", 9500000, "Teachers"),                      # staff 95%: warning
             line("E28a", 100000), line("E28a", -300000, "Refund"),  # nets to income: error
             line("E16", 1000000)]                                  # deficit: warning
    b, etag = fresh(api, urn, year, lines)
    with unchanged(budget_q(urn, year)):
        r = transition(api, urn, year, {"action": "submit"}, etag)
        p = problem(r, 422, "validation")
    assert set(error_fields(p)) == {"/lines", "/lines/2/amount_pence"}
    codes = {(f["severity"], f["code"]) for f in without_recharges(p["findings"])}
    short = len(p["findings"]) - len(without_recharges(p["findings"]))
    assert codes == {("error", "no_gag"), ("error", "expenditure_is_income"), ("error", "central"),
                     ("warning", "staff_costs"), ("warning", "in_year_deficit")}
    staff = next(f for f in p["findings"] if f["code"] == "staff_costs")
    assert staff["field"] == "/totals/staff_costs_bp" and "95.00%" in staff["message"]
    plugin = next(f for f in p["findings"] if f["code"] == "central")
    assert plugin["field"] == "/lines" and "no INT05 line" in plugin["message"]
    assert f"3 errors and {2 + short} warnings" in p["detail"]
    assert get_budget(api, urn, year)[0]["status"] == "draft"


def test_submit_unknown_inactive_code(api, school_urns):
    urn, year = school_urns[1], "2039-40"
    lines = model_lines(urn, simple_lines() + [line("E32", 100, "Community costs")])
    b, etag = fresh(api, urn, year, lines)
    at = [l["account_code"] for l in lines].index("E32")
    from conftest import sql
    sql("UPDATE accounts SET active = 0 WHERE code = 'E32'")
    try:
        p = problem(transition(api, urn, year, {"action": "submit"}, etag), 422)
        assert error_fields(p) == [f"/lines/{at}/account_code"]
        assert p["findings"][0]["code"] == "inactive_account"
    finally:
        sql("UPDATE accounts SET active = 1 WHERE code = 'E32'")
    expect(transition(api, urn, year, {"action": "submit"}, etag), 200)


def test_submit_stores_warnings(api, school_urns):
    urn, year = school_urns[2], "2038-39"
    lines = model_lines(urn, simple_lines() + [line("E12", 8000000, "Roof repairs")])  # now a deficit
    b, etag = fresh(api, urn, year, lines)
    r = transition(api, urn, year, {"action": "submit"}, etag)
    s = expect(r, 200)
    assert [f["code"] for f in without_recharges(s["findings"])] == ["in_year_deficit"]
    assert without_recharges(s["findings"])[0]["severity"] == "warning"
    assert without_recharges(s["findings"])[0]["field"] == "/totals/in_year_balance_pence"
    assert get_budget(api, urn, year, role="auditor")[0]["findings"] == s["findings"]


def test_empty_budget_cannot_be_submitted(api, school_urns):
    urn, year = school_urns[3], "2038-39"
    b, etag = fresh(api, urn, year, [])
    p = problem(transition(api, urn, year, {"action": "submit"}, etag), 422)
    assert {"no_lines", "no_gag"} <= {f["code"] for f in p["findings"]}


def test_special_and_central_rules(api):
    # the special school: place funding instead of I01
    b, etag = fresh(api, "159906", "2038-39", [line("I01P", 120000000), line("I03", 240000000),
                                               line("E01", 150000000), line("E03", 150000000), line("E16", 9000000),
                                               line("INT01", 6000000)])
    assert without_recharges(expect(transition(api, "159906", "2038-39", {"action": "submit"}, etag),
                                    200)["findings"]) == []
    # the central team: no GAG rule; staff measured against what it keeps
    b, etag = fresh(api, "central", "2038-39", [line("I01", 2000000000), line("INT06", 1880000000),
                                                line("INT02", 40000000), line("E05", 120000000),
                                                line("E18", 30000000)])
    s = expect(transition(api, "central", "2038-39", {"action": "submit"}, etag), 200)
    assert without_recharges(s["findings"]) == []
    assert s["totals"]["staff_costs_bp"] == 7500                     # 120m of 160m kept


def test_pooled_school_budgeting_its_gag_is_refused(api):
    """Under GAG pooling (the central plugin) a school budgets its allocation from the pool
    (INT05) instead of its own GAG: I01 in its budget is refused on submit, naming the line."""
    urn, year = "159902", "2044-45"
    # its own GAG instead of the allocation: the I01 line, and no INT05 at all
    b, etag = fresh(api, urn, year, simple_lines())
    with unchanged(budget_q(urn, year)):
        p = problem(transition(api, urn, year, {"action": "submit"}, etag), 422, "validation")
    assert error_fields(p) == ["/lines/0/account_code", "/lines"]
    assert [(f["severity"], f["code"]) for f in without_recharges(p["findings"])] == [("error", "central"),
                                                                                      ("error", "central")]
    assert p["errors"][0]["message"] == (
        "under GAG pooling the school budgets its allocation from the pool (INT05) instead of its own GAG "
        "(I01): the trust's central team budgets the pooled GAG")
    assert "no INT05 line" in p["errors"][1]["message"]
    assert f"2 errors and {len(p['findings']) - 2} warnings" in p["detail"]
    # the allocation and its own GAG as well: still refused, on the I01 line alone
    lines = model_lines(urn) + [line("I01", 5000000, "GAG")]
    r = put_budget(api, urn, year, lines, etag=etag)
    etag = r.headers["ETag"]
    expect(r, 200)
    with unchanged(budget_q(urn, year)):
        p = problem(transition(api, urn, year, {"action": "submit"}, etag), 422, "validation")
    assert error_fields(p) == [f"/lines/{len(lines) - 1}/account_code"]
    assert "instead of its own GAG (I01)" in p["errors"][0]["message"]
    # the allocation alone (no INT03: pooling is posted by the forecast): submitted
    r = put_budget(api, urn, year, model_lines(urn), etag=etag)
    expect(r, 200)
    s = expect(transition(api, urn, year, {"action": "submit"}, r.headers["ETag"]), 200)
    assert s["status"] == "submitted" and without_recharges(s["findings"]) == []
    assert "INT03" not in {l["account_code"] for l in s["lines"]}


def test_topsliced_school_wrong_charge_is_refused(api):
    """A top-sliced (local) school budgets INT01 = 5% of GAG less the lines excluded from
    central charges (here rates, an expenditure line): 5% of the whole GAG is refused on
    submit, naming the INT01 line's amount."""
    urn, year = "159908", "2044-45"
    lines = model_lines(urn)                         # GAG 900,000.00, rates 10,000.00 excluded
    at = len(lines) - 1
    assert lines[at]["account_code"] == "INT01" and lines[at]["amount_pence"] == 4450000
    lines[at]["amount_pence"] = 4500000             # 5% of GAG, rates not taken off: £500 over
    b, etag = fresh(api, urn, year, lines)
    with unchanged(budget_q(urn, year)):
        p = problem(transition(api, urn, year, {"action": "submit"}, etag), 422, "validation")
    assert error_fields(p) == [f"/lines/{at}/amount_pence"]
    assert [(f["severity"], f["code"], f["field"]) for f in without_recharges(p["findings"])] == [
        ("error", "local", f"/lines/{at}/amount_pence")]
    msg = p["errors"][0]["message"]
    assert "INT01" in msg and "should be \u00a344,500.00" in msg and "the budget has \u00a345,000.00" in msg
    assert "GAG \u00a3900,000.00 less \u00a310,000.00 excluded from central charges" in msg
    # corrected to the penny: submitted
    r = api.put(url(urn, year) + f"/lines/{b['lines'][at]['id']}", role="finance_director",
                json=line("INT01", topslice_charge(lines), "Central services charge"), headers={"If-Match": etag})
    expect(r, 200)
    s = expect(transition(api, urn, year, {"action": "submit"}, r.headers["ETag"]), 200)
    assert s["status"] == "submitted" and without_recharges(s["findings"]) == []


def test_transition_preconditions_and_bodies(api, school_urns):
    urn, year = school_urns[4], "2038-39"
    b, etag = fresh(api, urn, year)
    with unchanged(budget_q(urn, year)):
        problem(transition(api, urn, year, {"action": "submit"}), 428, "precondition-required")
        problem(transition(api, urn, year, {"action": "submit"}, '"99"'), 412, "precondition-failed")
        problem(transition(api, urn, year, {"action": "approve", "minute_ref": "B1"}, etag), 409, "conflict")
        problem(transition(api, urn, year, {"action": "return", "reason": "x"}, etag), 409)
        for body, field in [({"action": "publish"}, "/action"), ({}, "/action"), ({"action": 1}, "/action"),
                            ({"action": "submit", "note": "x"}, "/note"),
                            ({"action": "submit", "reason": "x"}, "/reason"),
                            ({"action": "submit", "minute_ref": "x"}, "/minute_ref"),
                            ({"action": "approve"}, "/minute_ref"),
                            ({"action": "approve", "minute_ref": ""}, "/minute_ref"),
                            ({"action": "approve", "minute_ref": "   "}, "/minute_ref"),
                            ({"action": "approve", "minute_ref": "x" * 101}, "/minute_ref"),
                            ({"action": "return"}, "/reason"),
                            ({"action": "reopen", "reason": "a\nb"}, "/reason"),
                            ({"action": "reopen", "reason": "x" * 501}, "/reason")]:
            problem(transition(api, urn, year, body, etag), 422, "validation", fields=[field])
        problem(transition(api, urn, "2041-42", {"action": "submit"}, etag), 404, "not-found")
        for role in ("auditor", "school_system", "admin"):
            problem(transition(api, urn, year, {"action": "submit"}, etag, role=role), 403)


def test_business_manager_only_own_school(api, school_urns, first_urn):
    urn, year = school_urns[5], "2043-44"
    b, etag = fresh(api, urn, year)
    with unchanged(budget_q(urn, year)):
        problem(transition(api, urn, year, {"action": "submit"}, etag, role="business_manager"), 403)
    b, etag = fresh(api, "central", year, [line("INT02", 100), line("E05", 80)])
    problem(transition(api, "central", year, {"action": "submit"}, etag, role="business_manager"), 403)


# ---- the trust's view ----

def test_trust_view(api, school_urns):
    r = api.get("/api/v1/budgets/2026-27", role="finance_director")
    v = expect(r, 200)
    assert set(v) == {"year", "entities", "trust", "not_submitted", "status_counts"}
    assert v["year"] == "2026-27"
    urns = [e["urn"] for e in v["entities"]]
    assert urns == school_urns + ["central"]
    for e in v["entities"]:
        assert set(e) == {"urn", "name", "kind", "finance_model", "status", "version", "submitted_at",
                          "approved_at", "totals"}
        b = get_budget(api, e["urn"], "2026-27")[0]
        assert e["status"] == b["status"] and e["version"] == b["version"]
        assert e["totals"] == b["totals"]
    # the trust: every entity with the internal codes dropped
    t = v["trust"]
    inc = sum(e["totals"]["income_pence"] - e["totals"]["internal_income_pence"] for e in v["entities"])
    exp = sum(e["totals"]["expenditure_pence"] - e["totals"]["internal_expenditure_pence"] for e in v["entities"])
    assert (t["income_pence"], t["expenditure_pence"], t["in_year_balance_pence"]) == (inc, exp, inc - exp)
    assert t["internal_net_pence"] == 0
    assert 3600000000 <= t["income_pence"] <= 3800000000
    assert v["not_submitted"] == [e["urn"] for e in v["entities"] if e["status"] in ("none", "draft")]
    assert sum(v["status_counts"].values()) == 10
    assert set(v["status_counts"]) == {"none", "draft", "submitted", "approved"}
    r2 = api.get("/api/v1/budgets/2026-27", role="auditor", headers={"If-None-Match": r.headers["ETag"]})
    assert r2.status_code == 304


def test_trust_view_follows_the_workflow(api, school_urns):
    year = "2042-43"
    v = expect(api.get(f"/api/v1/budgets/{year}", role="auditor"), 200)
    assert all(e["status"] == "none" and e["totals"] is None and e["version"] is None for e in v["entities"])
    assert v["not_submitted"] == school_urns + ["central"]
    assert v["status_counts"] == {"none": 10, "draft": 0, "submitted": 0, "approved": 0}
    assert v["trust"] == {"income_pence": 0, "expenditure_pence": 0, "in_year_balance_pence": 0,
                          "internal_net_pence": 0}
    # a top-sliced (local) school submits: GAG 900,000.00 less rates 10,000.00 at 5%
    local, other = school_urns[6], school_urns[7]
    lines = model_lines(local)
    charge = topslice_charge(lines)
    assert charge == 4450000 and lines[-1] == line("INT01", charge, "Central services charge")
    b, etag = fresh(api, local, year, lines)
    expect(transition(api, local, year, {"action": "submit"}, etag), 200)
    fresh(api, other, year, [line("I01", 100), line("INT01", 5)])
    v = expect(api.get(f"/api/v1/budgets/{year}", role="finance_director"), 200)
    assert v["status_counts"] == {"none": 8, "draft": 1, "submitted": 1, "approved": 0}
    assert local not in v["not_submitted"] and other in v["not_submitted"]
    assert v["trust"]["income_pence"] == 100000000 + 100
    assert v["trust"]["expenditure_pence"] == 95000000
    assert v["trust"]["internal_net_pence"] == -(charge + 5)           # charges with no receiver yet


def test_trust_view_scope_and_input(api):
    for role in ("business_manager", "school_system", "admin"):
        problem(api.get("/api/v1/budgets/2026-27", role=role), 403)
    problem(api.get("/api/v1/budgets/2026-28", role="finance_director"), 400, fields=["path:year"])
    problem(api.get("/api/v1/budgets/2026-27", role="finance_director", params={"x": 1}), 422, fields=["query:x"])
