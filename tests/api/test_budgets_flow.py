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
    # submit freezes the computed lines (issue 14): rows with ids, the same figures, audited
    derived = [(l["account_code"], l["amount_pence"], l["description"]) for l in b["lines"] if l["computed"]]
    assert [l["account_code"] for l in b["lines"] if l["computed"]] == ["INT03", "INT05"]
    assert all(l["id"] is None for l in b["lines"] if l["computed"])
    frozen = [l for l in s["lines"] if l["computed"]]
    assert [(l["account_code"], l["amount_pence"], l["description"]) for l in frozen] == derived
    assert all(isinstance(l["id"], int) for l in frozen)
    assert int(sql_rows(f"SELECT COUNT(*) FROM budget_lines l JOIN budgets b ON b.id = l.budget_id JOIN schools s "
                        f"ON s.id = b.school_id WHERE s.urn = '{first_urn}' AND b.year = 2038 AND l.computed = 1")[0][0]) == 2
    row = sql_rows(f"SELECT before_json, after_json FROM audit_log WHERE id > {a0} AND action = 'submit'")
    before, after = json.loads(row[0][0]), json.loads(row[0][1])
    assert before["computed_lines"] == []
    assert [(c["account_code"], c["amount_pence"]) for c in after["computed_lines"]] == [d[:2] for d in derived]
    assert all(c["explanation"] for c in after["computed_lines"])
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
    # returned: the frozen lines go, a draft derives them again
    assert [(l["id"], l["account_code"], l["amount_pence"]) for l in d["lines"] if l["computed"]] == [
        (None, c[0], c[1]) for c in derived]
    row = sql_rows(f"SELECT after_json FROM audit_log WHERE id > {a0} AND action = 'return'")
    assert json.loads(row[0][0])["computed_lines"] == []
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
    urn, year = school_urns[6], "2038-39"                          # a top-sliced (local) school
    lines = [line("I05", 10000000, "Pupil premium"),                # no GAG: error
             line("E01", 9500000, "Teachers"),                      # staff 95%: warning
             line("E28a", 100000), line("E28a", -300000, "Refund"),  # nets to income: error
             line("E16", 1000000)]                                  # deficit: warning
    b, etag = fresh(api, urn, year, lines)
    # its charge is computed (5% of no GAG), so the plugin finds nothing to refuse
    assert [(l["account_code"], l["amount_pence"]) for l in b["lines"] if l["computed"]] == [("INT01", 0)]
    with unchanged(budget_q(urn, year)):
        r = transition(api, urn, year, {"action": "submit"}, etag)
        p = problem(r, 422, "validation")
    assert set(error_fields(p)) == {"/lines", "/lines/2/amount_pence"}
    codes = {(f["severity"], f["code"]) for f in without_recharges(p["findings"])}
    short = len(p["findings"]) - len(without_recharges(p["findings"]))
    assert codes == {("error", "no_gag"), ("error", "expenditure_is_income"),
                     ("warning", "staff_costs"), ("warning", "in_year_deficit")}
    staff = next(f for f in p["findings"] if f["code"] == "staff_costs")
    assert staff["field"] == "/totals/staff_costs_bp" and "95.00%" in staff["message"]
    assert f"2 errors and {2 + short} warnings" in p["detail"]
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
    urn, year = school_urns[2], "2047-48"                          # a pooled school, alone in its pool
    lines = model_lines(urn, simple_lines() + [line("E12", 8000000, "Roof repairs")])  # now a deficit
    b, etag = fresh(api, urn, year, lines)
    r = transition(api, urn, year, {"action": "submit"}, etag)
    s = expect(r, 200)
    assert [f["code"] for f in without_recharges(s["findings"])] == ["in_year_deficit"]
    assert without_recharges(s["findings"])[0]["severity"] == "warning"
    assert without_recharges(s["findings"])[0]["field"] == "/totals/in_year_balance_pence"
    assert get_budget(api, urn, year, role="auditor")[0]["findings"] == s["findings"]


def test_empty_budget_cannot_be_submitted(api, school_urns):
    urn, year = school_urns[8], "2038-39"                          # a top-sliced school
    b, etag = fresh(api, urn, year, [])
    p = problem(transition(api, urn, year, {"action": "submit"}, etag), 422)
    assert {"no_lines", "no_gag"} <= {f["code"] for f in p["findings"]}
    # a pooled school alone in its pool with nothing to pool: the central plugin cannot
    # allocate its lump sum, so the computed lines cannot be worked out (said so)
    urn, year = school_urns[3], "2048-49"
    b, etag = fresh(api, urn, year, [])
    assert b["lines"] == [] and [f["code"] for f in b["findings"]] == ["computed_lines"]
    with unchanged(budget_q(urn, year)):
        p = problem(transition(api, urn, year, {"action": "submit"}, etag), 422, "validation")
    assert "computed lines (INT01-INT06) cannot be worked out" in p["detail"]
    assert "exceed the pot" in p["detail"]


def test_special_and_central_rules(api):
    # the special school: place funding instead of I01; its charge 5% of it, computed
    b, etag = fresh(api, "159906", "2038-39", [line("I01P", 120000000), line("I03", 240000000),
                                               line("E01", 150000000), line("E03", 150000000), line("E16", 9000000)])
    assert [(l["account_code"], l["amount_pence"]) for l in b["lines"] if l["computed"]] == [("INT01", 6000000)]
    assert without_recharges(expect(transition(api, "159906", "2038-39", {"action": "submit"}, etag),
                                    200)["findings"]) == []
    # the central team: no GAG rule; staff measured against what it keeps. A pooled school
    # alone in the year's pool: GAG 90,000,000 less rates 1,000,000 pooled (INT04 at the
    # centre), 6% retained (5,340,000), the rest allocated back (INT06 83,660,000)
    fresh(api, "159903", "2049-50")
    b, etag = fresh(api, "central", "2049-50", [line("I08", 10660000), line("E05", 12000000), line("E18", 3000000)])
    assert sorted((l["account_code"], l["amount_pence"]) for l in b["lines"] if l["computed"]) == [
        ("INT04", 89000000), ("INT06", 83660000)]
    s = expect(transition(api, "central", "2049-50", {"action": "submit"}, etag), 200)
    assert without_recharges(s["findings"]) == []
    assert s["totals"]["income_pence"] == 16000000                  # 10,660,000 + the 5,340,000 kept
    assert s["totals"]["staff_costs_bp"] == 7500                     # 12m of 16m kept


def test_pooled_school_budgets_its_gag(api):
    """Under GAG pooling (the central plugin) a school budgets its own GAG (I01): what it pools
    (INT03) and gets back (INT05) are computed from the year's budgets and frozen on submit,
    where the plugin checks them to the penny (issue 14: it used to type INT05 instead of I01,
    which was refused, and INT05 was never checked). Typing either is refused."""
    urn, year = "159902", "2044-45"
    lines = model_lines(urn)
    with unchanged(all_budgets_q()), unchanged(all_lines_q()):
        p = problem(put_budget(api, urn, year, lines + [line("INT05", 83660000, "GAG allocation from the pool")]),
                    422, "validation")
    assert error_fields(p) == [f"/lines/{len(lines)}/account_code"]
    assert p["errors"][0]["message"].startswith('INT05 is computed by the finance rules (the "central" plugin')
    b, etag = fresh(api, urn, year, lines)
    # alone in the year's pool: 90,000,000 less rates 1,000,000 pooled, 6% (5,340,000) retained
    c = [(l["account_code"], l["amount_pence"]) for l in b["lines"] if l["computed"]]
    assert sorted(c) == [("INT03", 89000000), ("INT05", 83660000)]
    assert b["totals"]["income_pence"] == 83660000 + 1000000 + 10000000   # allocation, rates kept, PP
    assert b["totals"]["gag_pence"] == 90000000 - 89000000 + 83660000
    s = expect(transition(api, urn, year, {"action": "submit"}, etag), 200)
    assert s["status"] == "submitted" and without_recharges(s["findings"]) == []
    assert [(l["account_code"], l["amount_pence"]) for l in s["lines"] if l["computed"]] == c


def test_topsliced_school_charge_is_computed(api):
    """A top-sliced (local) school's INT01 = 5% of GAG less the lines excluded from central
    charges (here rates), computed to the penny; typing it is refused, on the line."""
    urn, year = "159908", "2044-45"
    lines = model_lines(urn)                         # GAG 900,000.00, rates 10,000.00 excluded
    charge = topslice_charge(lines)
    assert charge == 4450000
    with unchanged(all_budgets_q()), unchanged(all_lines_q()):
        p = problem(put_budget(api, urn, year, lines + [line("INT01", 4500000, "Central services charge")]),
                    422, "validation")
    assert error_fields(p) == [f"/lines/{len(lines)}/account_code"]
    assert '"local" plugin' in p["errors"][0]["message"]
    b, etag = fresh(api, urn, year, lines)
    (c,) = [l for l in b["lines"] if l["computed"]]
    assert (c["account_code"], c["amount_pence"]) == ("INT01", charge)
    assert "GAG \u00a3900,000.00 less \u00a310,000.00 excluded from central charges" in c["explanation"]
    s = expect(transition(api, urn, year, {"action": "submit"}, etag), 200)
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
    b, etag = fresh(api, "central", year, [line("I08", 100), line("E05", 80)])
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
    assert charge == 4450000
    b, etag = fresh(api, local, year, lines)
    assert [(l["account_code"], l["amount_pence"]) for l in b["lines"] if l["computed"]] == [("INT01", charge)]
    expect(transition(api, local, year, {"action": "submit"}, etag), 200)
    fresh(api, other, year, [line("I01", 100)])                     # its charge 5 (5% of 100), derived
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
