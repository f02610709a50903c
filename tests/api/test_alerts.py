"""GET /api/v1/alerts/renewals?within_days=N: active contracts whose notice date or end falls
within N days of today (pinned to 2026-11-22), soonest first, with the action due; scoped like
the contracts. The seeded register's dates follow the day it was seeded, so these tests look at
the contracts they create."""
import uuid

import pytest

from conftest import expect, problem
from test_contracts import FRAMEWORK, activate, create_contract, make_supplier

SMALL = dict(route="framework", evidence={"framework": FRAMEWORK}, procurement_started_on="2025-06-01",
             start_date="2025-09-01", annual_value_pence=100000, vat_pence=0, indexation="none", indexation_bp=0)


@pytest.fixture(scope="module")
def alerted(api, school_urns, first_urn):
    """Contracts with dates around 22 Nov 2026, all of one supplier."""
    s = make_supplier(api)
    other = next(u for u in school_urns if u != first_urn)
    specs = {
        # ends 31 Jan 2027, an unused 12-month option, 30 days' notice: exercise by 1 Jan 2027 (40 days)
        "option": dict(end_date="2027-01-31", extension_options=[12], notice_period=30),
        # auto-renews on 1 Jan 2027, 30 days' notice: give notice by 1 Dec 2026 (9 days)
        "renews": dict(end_date="2026-12-31", auto_renew=True, extension_options=[], notice_period=30),
        # ends 28 Feb 2027, 3 months' notice: 28 Nov 2026 (6 days), nothing left: re-procure
        "ends": dict(end_date="2027-02-28", extension_options=[], notice_period=3, notice_unit="months"),
        # its notice date (16 Sep 2026) has passed; it ends 15 Dec 2026 (23 days), at another school
        "late": dict(end_date="2026-12-15", extension_options=[], notice_period=90, school=other),
        # the business manager's school, notice 31 Mar 2027 (129 days)
        "own": dict(end_date="2027-04-30", extension_options=[], notice_period=30, school=first_urn),
        # far away
        "far": dict(end_date="2029-08-31", extension_options=[12], notice_period=90),
    }
    out = {"supplier": s}
    for key, kw in specs.items():
        c, _ = create_contract(api, s["id"], **{**SMALL, **kw})
        out[key] = activate(api, c["id"])
    # a draft with near dates is no alert
    out["draft"], _ = create_contract(api, s["id"], **{**SMALL, "end_date": "2026-12-20", "extension_options": []})
    return out


def mine(body, alerted):
    ids = {alerted[k]["id"]: k for k in ("option", "renews", "ends", "late", "own", "far", "draft")}
    return [(ids[a["contract_id"]], a) for a in body["items"] if a["contract_id"] in ids]


def test_alerts_soonest_first_with_the_action(api, alerted):
    body = expect(api.get("/api/v1/alerts/renewals", role="finance_director", params={"within_days": 90}), 200)
    assert body["next"] is None
    got = mine(body, alerted)
    assert [k for k, _ in got] == ["ends", "renews", "late", "option"]
    a = dict(got)
    assert (a["ends"]["action"], a["ends"]["due_on"], a["ends"]["days"]) == ("re_procure", "2026-11-28", 6)
    assert (a["renews"]["action"], a["renews"]["due_on"], a["renews"]["days"]) == ("give_notice", "2026-12-01", 9)
    assert "renews on 2027-01-01" in a["renews"]["message"]
    # the notice date has passed: due on its end
    assert (a["late"]["action"], a["late"]["due_on"], a["late"]["days"]) == ("re_procure", "2026-12-15", 23)
    assert a["late"]["notice_by"] == "2026-09-16"
    assert (a["option"]["action"], a["option"]["due_on"], a["option"]["days"]) == ("exercise_option", "2027-01-01", 40)
    assert a["option"]["option"] == {"option": 1, "months": 12, "exercise_by": "2027-01-01", "extends_to": "2028-01-31"}
    assert a["option"]["current_end"] == "2027-01-31" and a["option"]["final_end"] == "2028-01-31"
    assert a["option"]["reference"] == alerted["option"]["reference"]
    assert a["option"]["supplier_name"] == alerted["supplier"]["name"]
    # every item of the list is sorted by due date
    dues = [i["due_on"] for i in body["items"]]
    assert dues == sorted(dues)


def test_window_is_inclusive(api, alerted):
    got = mine(expect(api.get("/api/v1/alerts/renewals", role="auditor", params={"within_days": 5}), 200), alerted)
    assert got == []
    got = mine(expect(api.get("/api/v1/alerts/renewals", role="auditor", params={"within_days": 6}), 200), alerted)
    assert [k for k, _ in got] == ["ends"]
    got = mine(expect(api.get("/api/v1/alerts/renewals", role="auditor", params={"within_days": 3650}), 200), alerted)
    assert [k for k, _ in got] == ["ends", "renews", "late", "option", "own", "far"]


def test_default_window_is_90_days(api, alerted):
    got = mine(expect(api.get("/api/v1/alerts/renewals", role="auditor"), 200), alerted)
    assert [k for k, _ in got] == ["ends", "renews", "late", "option"]


def test_business_manager_sees_trust_wide_and_own(api, alerted, first_urn):
    body = expect(api.get("/api/v1/alerts/renewals", role="business_manager", params={"within_days": 400}), 200)
    assert {a["school"] for a in body["items"]} <= {None, first_urn}
    assert [k for k, _ in mine(body, alerted)] == ["ends", "renews", "option", "own"]


def test_conditional(api, alerted):
    r = api.get("/api/v1/alerts/renewals", role="auditor")
    expect(r, 200)
    assert api.get("/api/v1/alerts/renewals", role="auditor",
                   headers={"If-None-Match": r.headers["ETag"]}).status_code == 304


@pytest.mark.parametrize("params,field", [({"within_days": "-1"}, "query:within_days"),
                                          ({"within_days": "ten"}, "query:within_days"),
                                          ({"within_days": "3651"}, "query:within_days"),
                                          ({"days": "10"}, "query:days")])
def test_bad_query(api, params, field):
    problem(api.get("/api/v1/alerts/renewals", role="finance_director", params=params), 422, fields=[field])


def test_roles(api):
    for role in ("school_system", "admin"):
        problem(api.get("/api/v1/alerts/renewals", role=role), 403)
