"""A budget's recharges (issue 14): for each code carrying traded services the entity takes in
the year, its share as the school-systems feed prices it, beside what the lines budget there;
the ETag's hash covers other schools' data the shares depend on; submit warns about a line
below its recharge, naming the spreadsheet row and the line; a refused submit's errors[] carry
the row and line too."""
from conftest import expect, problem, sql, sql_value, unchanged
from test_budgets import budget_etag, budget_q, get_budget, line, model_lines, put_budget, url

RECHARGE_FIELDS = {"account_code", "recharge_pence", "budgeted_pence", "short_pence", "services"}
SERVICE_FIELDS = {"service_id", "name", "amount_pence", "explanation"}


def transition(api, urn, year, body, etag, role="finance_director"):
    return api.post(url(urn, year) + "/transitions", role=role, json=body, headers={"If-Match": etag})


def feed_recharges(api, urn, year):
    """{code: {service_id: recharged_pence}} from the school-systems feed (every page)."""
    out, after = {}, None
    while True:
        params = {"year": year, "limit": 1000, **({"after": after} if after else {})}
        body = expect(api.get(f"/api/v1/schools/{urn}/services", role="finance_director", params=params), 200)
        for it in body["items"]:
            if it["funding"] == "traded":
                out.setdefault(it["account_code"], {}).setdefault(it["service_id"], 0)
                out[it["account_code"]][it["service_id"]] += it["recharged_pence"]
        if body["next"] is None:
            return out
        after = body["next"]


def test_seeded_budget_recharges_match_the_feed(api, first_urn):
    urn, year = "159909", "2026-27"                  # a Southend school: energy, cleaning, meals, payroll...
    b, etag = get_budget(api, urn, year)
    assert budget_etag(b["version"]).match(etag)
    rc = b["recharges"]
    assert rc, "the demo's schools take traded services"
    assert [r["account_code"] for r in rc] == sorted(r["account_code"] for r in rc)
    feed = feed_recharges(api, urn, year)
    assert {r["account_code"] for r in rc} == set(feed)
    for r in rc:
        assert set(r) == RECHARGE_FIELDS
        assert {s["service_id"]: s["amount_pence"] for s in r["services"]} == feed[r["account_code"]]
        assert r["recharge_pence"] == sum(s["amount_pence"] for s in r["services"])
        assert r["budgeted_pence"] == sum(l["amount_pence"] for l in b["lines"] if l["account_code"] == r["account_code"])
        assert r["short_pence"] == max(0, r["recharge_pence"] - r["budgeted_pence"])
        for s in r["services"]:
            assert set(s) == SERVICE_FIELDS and s["explanation"] and s["name"]
    # the spreadsheet's ETag is the same one named for the CSV; the school's business manager
    # and system see the recharges too
    r = api.get(url(urn, year), role="finance_director", headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["ETag"] == etag[:-1] + '.csv"'
    rc = get_budget(api, first_urn, year)[0]["recharges"]
    assert rc and set(feed_recharges(api, first_urn, year)) == {r["account_code"] for r in rc}
    assert get_budget(api, first_urn, year, role="business_manager")[0]["recharges"] == rc
    assert get_budget(api, first_urn, year, role="school_system")[0]["recharges"] == rc


def test_core_services_are_not_recharged(api):
    b, _ = get_budget(api, "159909", "2026-27")
    names = {s["name"] for r in b["recharges"] for s in r["services"]}
    assert "Internal and external audit" not in names and "Education law advice" not in names


def test_etag_covers_another_schools_floor_area(api):
    """Cleaning is split by floor area: another subscriber's floor area moves this school's
    recharge, so its budget's ETag changes although its version does not."""
    urn, other, year = "159902", "159903", "2026-27"
    b, etag = get_budget(api, urn, year)
    r = api.get(url(urn, year), role="finance_director", headers={"If-None-Match": etag})
    assert r.status_code == 304 and r.headers["ETag"] == etag
    area = sql_value(f"SELECT floor_area_m2 FROM schools WHERE urn = '{other}'")
    try:
        sql(f"UPDATE schools SET floor_area_m2 = {int(area) * 2} WHERE urn = '{other}'")
        r = api.get(url(urn, year), role="finance_director", headers={"If-None-Match": etag})
        b2 = expect(r, 200)
        assert b2["version"] == b["version"] and r.headers["ETag"] != etag
        assert budget_etag(b["version"]).match(r.headers["ETag"])
        e14 = lambda x: next(c for c in x["recharges"] if c["account_code"] == "E14")
        assert e14(b2)["recharge_pence"] < e14(b)["recharge_pence"]
    finally:
        sql(f"UPDATE schools SET floor_area_m2 = {int(area)} WHERE urn = '{other}'")
    assert api.get(url(urn, year), role="finance_director", headers={"If-None-Match": etag}).status_code == 304


def test_submit_warns_of_a_line_below_its_recharge(api):
    urn, year = "159902", "2053-54"
    lines = model_lines(urn) + [line("E14", 100000, "Cleaning materials")]
    at = len(lines) - 1
    r = put_budget(api, urn, year, lines)
    b = expect(r, 201)
    e14 = next(c for c in b["recharges"] if c["account_code"] == "E14")
    assert e14["budgeted_pence"] == 100000 and e14["recharge_pence"] > 100000
    assert e14["short_pence"] == e14["recharge_pence"] - 100000
    assert [s["name"] for s in e14["services"]] == ["Cleaning (trust cleaning team)"]
    assert e14["services"][0]["explanation"].startswith("floor area ")
    # a stale hash with the right version is still the right version (If-Match compares versions)
    s = expect(transition(api, urn, year, {"action": "submit"}, r.headers["ETag"]), 200)
    short = [f for f in s["findings"] if f["code"] == "recharge_short" and f["field"].startswith("/lines/")]
    f = next(f for f in short if f["field"] == f"/lines/{at}/amount_pence")
    assert f["severity"] == "warning" and f["row"] == at + 2 and f["line_id"] == b["lines"][at]["id"]
    assert f["message"].startswith("E14 Cleaning materials: budgeted \u00a31,000.00, recharged \u00a3")
    assert "for Cleaning (trust cleaning team) (floor area" in f["message"] and f["message"].endswith(" short")
    # a code with no line at all is named by its place in the recharges
    for f in s["findings"]:
        assert set(f) == {"severity", "code", "field", "row", "line_id", "message"}
        if f["field"].startswith("/recharges/"):
            assert f["row"] is None and f["line_id"] is None and "(no line)" in f["message"]
    # stored with the budget, as read later
    assert get_budget(api, urn, year, role="auditor")[0]["findings"] == s["findings"]


def test_refused_submit_errors_name_row_and_line(api):
    urn, year = "159908", "2054-55"                   # a top-sliced school
    r = put_budget(api, urn, year, [line("I05", 1000000, "Pupil premium"), line("E01", 1000, "Teachers"),
                                    line("E28a", -500, "Refund")])
    b = expect(r, 201)
    with unchanged(budget_q(urn, year)):
        p = problem(transition(api, urn, year, {"action": "submit"}, r.headers["ETag"]), 422, "validation")
    # an account that nets below zero, on its line (row 4), and no GAG, about no line
    assert [(e["field"], e["row"], e["line_id"]) for e in p["errors"]] == [
        ("/lines/2/amount_pence", 4, b["lines"][2]["id"]), ("/lines", None, None)]
    errors = [f for f in p["findings"] if f["severity"] == "error"]
    assert [(f["row"], f["line_id"]) for f in errors] == [(e["row"], e["line_id"]) for e in p["errors"]]
