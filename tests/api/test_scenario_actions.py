"""A management action end to end (issue 15, item 5; DESIGN.md "What-ifs never touch live data"):
a scenario copied from `expected` with one dated line action, a saving on 159901's E02 (supply
teaching) from 1 January 2028, run through POST /api/v1/forecasts. The action is a line of its own
in each forecast year, round(annual x months active / 12), a month counting when the action is
active on its first day; the entity's and the trust's totals and reserves move by exactly that,
the digest differs from the run without it, and no live budget changes."""
import json

import pytest

from conftest import audit_max, expect, sql, sql_rows, sql_value

RUNS = "/api/v1/forecasts"
BUDGETS_Q = "SELECT id, school_id, year, status, version, updated_at FROM budgets ORDER BY id"
LINES_Q = "SELECT id, budget_id, line_no, amount_pence, version, updated_at FROM budget_lines ORDER BY id"
URN = "159901"
NOTE = "Cut agency supply from January"
ANNUAL = -4000003                        # a saving of £40,000.03 a year

# Worked by hand. The run's base year is 2026-27 (September to August) and the action starts on
# 1 January 2028, open-ended:
#   2026-27: the base year, the budget as it stands: no action line.
#   2027-28: active on the first day of January to August 2028: 8 months;
#            -4,000,003 x 8 / 12 = -2,666,668.67 -> -2,666,669 (half away from zero).
#   2028-29: all 12 months: -4,000,003.
#   2029-30: all 12 months: -4,000,003.
WANT = {"2027-28": -2666669, "2028-29": -4000003, "2029-30": -4000003}
HORIZON = 3


def scenario_id(name):
    return int(sql_value(f"SELECT id FROM scenarios WHERE name = '{name}' AND deleted_at IS NULL"))


def run(api, sid):
    return expect(api.post(RUNS, role="finance_director", params={"lines": "true"},
                           json={"scenario": sid, "horizon": HORIZON}), 201)


def year_of(f, urn, year):
    if urn == "trust":
        years = f["trust"]["years"]
    else:
        years = [e for e in f["entities"] if e["urn"] == urn][0]["years"]
    return [y for y in years if y["year"] == year][0]


def action_lines(f, urn, year):
    return [ln for ln in year_of(f, urn, year).get("lines", []) if ln["driver"] == "action"]


@pytest.fixture(scope="module")
def saving(api):
    body = {"copy_from": scenario_id("expected"), "name": "pytest action: E02 saving from January 2028",
            "actions": [{"type": "line", "entity": URN, "account_code": "E02", "from": "2028-01-01",
                         "to": None, "annual_pence": ANNUAL, "note": NOTE}]}
    return expect(api.post("/api/v1/scenarios", role="finance_director", json=body), 201)


def test_expected_has_no_actions(api):
    exp = expect(api.get(f"/api/v1/scenarios/{scenario_id('expected')}", role="finance_director"), 200)
    assert exp["actions"] == [] and exp["base_year"] == "2026-27"


def test_action_line_totals_and_reserves(api, saving):
    budgets, lines = sql(BUDGETS_Q), sql(LINES_Q)
    a0 = audit_max()
    live = run(api, scenario_id("expected"))
    f = run(api, saving["id"])
    # the audit log has the two runs' rows and nothing else; no budget, no budget line moved
    assert sql_rows(f"SELECT action, entity, entity_id FROM audit_log WHERE id > {a0} ORDER BY id") == \
        [["run", "forecast", str(live["id"])], ["run", "forecast", str(f["id"])]]
    assert sql(BUDGETS_Q) == budgets and sql(LINES_Q) == lines
    # the digest covers the action; the same scenario again gives the same digest
    assert f["digest"] != live["digest"]
    assert run(api, saving["id"])["digest"] == f["digest"]
    # the base year: no action line, and the figures are the budget's in both runs
    assert action_lines(f, URN, "2026-27") == [] and action_lines(live, URN, "2026-27") == []
    for urn in (URN, "trust"):
        assert year_of(f, urn, "2026-27") == year_of(live, urn, "2026-27")
    moved = 0
    for year, amount in WANT.items():
        acts = action_lines(f, URN, year)
        assert len(acts) == 1, acts
        a = acts[0]
        assert a["account_code"] == "E02" and a["amount_pence"] == amount
        assert a["description"] == f"Management action: {NOTE}"
        assert action_lines(live, URN, year) == []
        # every other line as it is without the action
        others = [ln for ln in year_of(f, URN, year)["lines"] if ln["driver"] != "action"]
        assert [(ln["account_code"], ln["amount_pence"]) for ln in others] == \
            [(ln["account_code"], ln["amount_pence"]) for ln in year_of(live, URN, year)["lines"]]
        # a saving on a cost: expenditure falls by it, the balance rises by it, income is the same;
        # reserves carry the savings of every year so far
        moved -= amount
        for urn in (URN, "trust"):
            w, o = year_of(f, urn, year), year_of(live, urn, year)
            assert w["income_pence"] == o["income_pence"], (urn, year)
            assert w["expenditure_pence"] - o["expenditure_pence"] == amount, (urn, year)
            assert w["in_year_balance_pence"] - o["in_year_balance_pence"] == -amount, (urn, year)
            assert w["closing_reserves_pence"] - o["closing_reserves_pence"] == moved, (urn, year)
        # the other schools and the central team are not touched
        for e in f["entities"]:
            if e["urn"] != URN:
                assert year_of(f, e["urn"], year)["closing_reserves_pence"] == \
                    year_of(live, e["urn"], year)["closing_reserves_pence"], (e["urn"], year)
    assert moved == 2666669 + 4000003 + 4000003
    # the run records the action with its scenario
    inputs = json.loads(sql_value(f"SELECT inputs_json FROM forecast_runs WHERE id = {f['id']}"))
    assert inputs["scenario"]["spec"]["actions"] == saving["actions"]


def test_action_explained(api, saving):
    rid = expect(api.post(RUNS, role="finance_director", json={"scenario": saving["id"], "horizon": 1}), 201)["id"]
    f = expect(api.get(f"{RUNS}/{rid}", role="finance_director", params={"explain": "data", "entity": URN}), 200)
    a = action_lines(f, URN, "2027-28")[0]
    assert a["explain"] == {"driver": "action", "from": "2028-01-01", "to": None, "annual_pence": ANNUAL,
                            "months": 8}
    assert a["explanation"] == ("E02: management action from 2028-01-01 (open-ended): -\u00a340,000.03 a year "
                                "\u00d7 8/12 months = -\u00a326,666.69")
