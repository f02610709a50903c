"""A budget's start and end (issue 14): POST .../budgets/{year} starts a year from another year's
budget or from a forecast run's projection; DELETE removes a draft created by mistake. Years
2050-51 on are this file's own."""
import json

import pytest

from conftest import audit_added, audit_max, expect, problem, publish_run, sql_rows, sql_value, unchanged
from test_budgets import budget_etag, budget_q, get_budget, line, model_lines, put_budget, simple_lines, url

INTERNAL = ("INT01", "INT02", "INT03", "INT04", "INT05", "INT06")


def start(api, urn, year, body, role="finance_director", **kw):
    return api.post(url(urn, year), role=role, json=body, **kw)


def audit_rows(a0):
    return sql_rows(f"SELECT action, entity, entity_id, before_json FROM audit_log WHERE id > {a0} ORDER BY id")


def budget_exists(urn, year):
    return int(sql_value(f"SELECT COUNT(*) FROM budgets b JOIN schools s ON s.id = b.school_id "
                         f"WHERE s.urn = '{urn}' AND b.year = {int(year[:4])}"))


# ---- DELETE ----

def test_delete_a_draft_never_submitted(api, first_urn):
    year = "2050-51"
    r = put_budget(api, first_urn, year, simple_lines(), role="business_manager")
    b = expect(r, 201)
    nlines = int(sql_value("SELECT COUNT(*) FROM budget_lines"))
    problem(api.delete(url(first_urn, year), role="business_manager"), 428)
    with unchanged(budget_q(first_urn, year)):
        problem(api.delete(url(first_urn, year), role="business_manager", headers={"If-Match": '"99"'}), 412)
        problem(api.delete(url(first_urn, year), role="school_system", headers={"If-Match": r.headers["ETag"]}), 403)
        problem(api.delete(url(first_urn, year), role="auditor", headers={"If-Match": r.headers["ETag"]}), 403)
    a0 = audit_max()
    d = api.delete(url(first_urn, year), role="business_manager", headers={"If-Match": r.headers["ETag"]})
    assert d.status_code == 204 and d.content == b""
    assert budget_exists(first_urn, year) == 0
    stored = [l for l in b["lines"] if not l["computed"]]      # a draft's computed lines are derived
    assert len(stored) < len(b["lines"])
    assert int(sql_value("SELECT COUNT(*) FROM budget_lines")) == nlines - len(stored)
    rows = audit_rows(a0)
    assert [(x[0], x[1], x[2]) for x in rows] == [("delete", "budget", f"{first_urn}/{year}")]
    assert len(json.loads(rows[0][3])["lines"]) == len(stored)        # the audit row keeps it whole
    problem(api.get(url(first_urn, year), role="business_manager"), 404)
    problem(api.delete(url(first_urn, year), role="business_manager", headers={"If-Match": '"1"'}), 404)
    # another school's budget: 403, nothing deleted
    problem(api.delete(url("159909", "2026-27"), role="business_manager", headers={"If-Match": '"1"'}), 403)


def test_delete_refuses_a_budget_with_a_history(api):
    urn, year = "159908", "2050-51"
    b, etag = get_budget(api, urn, year) if budget_exists(urn, year) else (None, None)
    assert b is None
    r = put_budget(api, urn, year, model_lines(urn))
    expect(r, 201)
    r = api.post(url(urn, year) + "/transitions", role="finance_director", json={"action": "submit"},
                 headers={"If-Match": r.headers["ETag"]})
    s = expect(r, 200)
    with unchanged(budget_q(urn, year)):
        p = problem(api.delete(url(urn, year), role="finance_director", headers={"If-Match": r.headers["ETag"]}), 409)
        assert "only a draft can be deleted" in p["detail"]
    r = api.post(url(urn, year) + "/transitions", role="finance_director", json={"action": "return", "reason": "x"},
                 headers={"If-Match": r.headers["ETag"]})
    expect(r, 200)
    with unchanged(budget_q(urn, year)):
        p = problem(api.delete(url(urn, year), role="finance_director", headers={"If-Match": r.headers["ETag"]}), 409)
        # returned, its frozen computed lines went: the typed ones are what it has
        typed = [l for l in s["lines"] if not l["computed"]]
        assert "submitted before" in p["detail"] and f"{len(typed)} lines" in p["detail"]
    # emptied, it may go
    r = put_budget(api, urn, year, [], etag=r.headers["ETag"])
    expect(r, 200)
    d = api.delete(url(urn, year), role="finance_director", headers={"If-Match": r.headers["ETag"]})
    assert d.status_code == 204 and budget_exists(urn, year) == 0


# ---- POST: start a year ----

def test_start_from_another_years_budget(api):
    urn, year = "159907", "2051-52"                   # top-sliced: its INT01 is never copied
    src = get_budget(api, urn, "2026-27")[0]
    assert any(l["account_code"] in INTERNAL for l in src["lines"])
    a0 = audit_max()
    r = start(api, urn, year, {"copy_from": {"budget_year": "2026-27"}}, headers={"Idempotency-Key": "start-2051"})
    b = expect(r, 201)
    assert budget_etag(b["version"]).match(r.headers["ETag"]) and r.headers["Location"] == url(urn, year)
    assert b["status"] == "draft" and b["year"] == year and "recharges" in b
    typed = [l for l in src["lines"] if l["account_code"] not in INTERNAL]
    keys = ("account_code", "description", "amount_pence", "driver", "excluded_from_central")
    assert [tuple(l[k] for k in keys) for l in b["lines"] if not l["computed"]] == \
        [tuple(l[k] for k in keys) for l in typed]
    assert not {l["id"] for l in b["lines"] if l["id"]} & {l["id"] for l in src["lines"] if l["id"]}
    # its own charge, computed for the new year (the same GAG, so the same 5%)
    assert [(l["account_code"], l["amount_pence"]) for l in b["lines"] if l["computed"]] == \
        [(l["account_code"], l["amount_pence"]) for l in src["lines"] if l["computed"]] != []
    rows = audit_rows(a0)
    assert [(x[0], x[2]) for x in rows] == [("create_from", f"{urn}/{year}")]
    assert json.loads(rows[0][3]) == {"created_from": "budget 2026-27"}
    # the same key again: the first answer, nothing more written
    with unchanged(budget_q(urn, year)):
        r2 = start(api, urn, year, {"copy_from": {"budget_year": "2026-27"}}, headers={"Idempotency-Key": "start-2051"})
        assert r2.status_code == 201 and r2.json() == b
        # without it: the year has a budget
        p = problem(start(api, urn, year, {"copy_from": {"budget_year": "2026-27"}}), 409, "conflict")
        assert "already a budget" in p["detail"]
    assert audit_added(a0) == 1


@pytest.mark.parametrize("body,field", [
    ({}, "/copy_from"),
    ({"copy_from": {}}, "/copy_from"),
    ({"copy_from": {"budget_year": "2026-27", "forecast_id": 1}}, "/copy_from"),
    ({"copy_from": {"budget_year": "2026/27"}}, "/copy_from/budget_year"),
    ({"copy_from": {"forecast_id": 0}}, "/copy_from/forecast_id"),
    ({"copy_from": {"forecast_id": "1"}}, "/copy_from/forecast_id"),
    ({"copy_from": {"year": "2026-27"}}, "/copy_from/year"),
    ({"copy_from": "2026-27"}, "/copy_from"),
    ({"copy_from": {"budget_year": "2052-53"}}, "/copy_from/budget_year"),     # the year itself
    ({"copy_from": {"budget_year": "2026-27"}, "more": 1}, "/more"),
])
def test_start_bad_bodies_write_nothing(api, body, field):
    urn, year = "159907", "2052-53"
    a0 = audit_max()
    p = problem(start(api, urn, year, body), 422, "validation")
    assert field in [e["field"] for e in p["errors"]]
    assert budget_exists(urn, year) == 0 and audit_max() == a0


def test_start_from_a_missing_source(api, first_urn):
    a0 = audit_max()
    p = problem(start(api, first_urn, "2052-53", {"copy_from": {"budget_year": "2061-62"}}), 404, "not-found")
    assert "2061-62" in p["detail"]
    problem(start(api, first_urn, "2052-53", {"copy_from": {"forecast_id": 999999}}), 404, "not-found")
    problem(start(api, "159909", "2052-53", {"copy_from": {"budget_year": "2026-27"}}, role="business_manager"), 403)
    problem(start(api, first_urn, "2052-53", {"copy_from": {"budget_year": "2026-27"}}, role="auditor"), 403)
    problem(api.post(url(first_urn, "2052-53"), role="finance_director", body="x",
                     headers={"Content-Type": "application/json"}), 400)
    assert budget_exists(first_urn, "2052-53") == 0 and audit_max() == a0


def test_start_from_a_forecast(api, first_urn):
    from test_forecasts import scenario_id
    run = expect(api.post("/api/v1/forecasts", role="finance_director",
                          json={"scenario": scenario_id("expected"), "entities": [first_urn], "horizon": 2}), 201)
    full = expect(api.get(f"/api/v1/forecasts/{run['id']}", role="finance_director"), 200)
    year = "2027-28"
    # the year must be one the run projects
    p = problem(start(api, first_urn, "2030-31", {"copy_from": {"forecast_id": run["id"]}}), 422)
    assert p["errors"][0]["field"] == "/copy_from/forecast_id"
    # a school the run does not cover
    problem(start(api, "159909", "2030-31", {"copy_from": {"forecast_id": run["id"]}}), 422)
    had = budget_exists(first_urn, year)
    if had:
        b, etag = get_budget(api, first_urn, year)
        expect(api.delete(url(first_urn, year), role="finance_director", headers={"If-Match": etag}), 204)
    # a draft run is not hers to start from (issue 15); a published one is
    problem(start(api, first_urn, year, {"copy_from": {"forecast_id": run["id"]}}, role="business_manager"), 403)
    publish_run(api, run["id"])
    a0 = audit_max()
    b = expect(start(api, first_urn, year, {"copy_from": {"forecast_id": run["id"]}}, role="business_manager"), 201)
    ent = next(e for e in full["entities"] if e["urn"] == first_urn)
    yr = next(y for y in ent["years"] if y["year"] == year)
    want = [(l["account_code"], l["amount_pence"]) for l in yr["lines"] if l["account_code"] not in INTERNAL]
    assert [(l["account_code"], l["amount_pence"]) for l in b["lines"] if not l["computed"]] == want
    assert all(l["driver"] is None for l in b["lines"])
    assert json.loads(audit_rows(a0)[0][3]) == {"created_from": f"forecast run {run['id']}"}
