"""On-cost rates by tax year and each entity's LGPS rates (issue 16): GET /api/v1/staff-rates,
GET|PUT /api/v1/staff-rates/{tax_year}, GET|PUT /api/v1/schools/{urn}/lgps-rates. Every finance
role reads; the finance director writes (audited; a PUT creates without If-Match, replaces with
it). The test uses tax years and an entity's list of its own, whatever the demo seeds."""
import pytest

from conftest import audit_max, expect, problem, sql, sql_rows, unchanged

URL = "/api/v1/staff-rates"
RATES_Q = "SELECT * FROM staff_rates ORDER BY tax_year"
LGPS_Q = "SELECT * FROM lgps_rates ORDER BY school_id, tax_year"
LISTS_Q = "SELECT school_id, version FROM lgps_rate_lists ORDER BY school_id"

RATES = {"ni_bp": 1500, "ni_threshold_pence": 500000, "ni_upper_pence": 5027000, "tps_bp": 2868, "levy_bp": 50,
         "levy_allowance_pence": 1500000, "employment_allowance_pence": 1050000}


def test_create_read_replace(api):
    sql("DELETE FROM staff_rates WHERE tax_year = 2090")
    a0 = audit_max()
    r = api.put(f"{URL}/2090-91", role="finance_director", json=RATES)
    made = expect(r, 201)
    assert r.headers["Location"] == f"{URL}/2090-91" and r.headers["ETag"] == '"1"'
    assert made == dict(RATES, tax_year="2090-91", version=1, created_at=made["created_at"],
                        updated_at=made["updated_at"])
    rows = sql_rows(f"SELECT action, entity, entity_id, role, actor FROM audit_log WHERE id > {a0}")
    assert [r[:4] for r in rows] == [["create", "staff_rates", "2090-91", "finance_director"]]
    assert rows[0][4].startswith("token: ")
    for role in ("finance_director", "auditor", "business_manager"):
        assert expect(api.get(f"{URL}/2090-91", role=role), 200) == made
        listed = expect(api.get(URL, role=role), 200)["items"]
        assert made in listed and [i["tax_year"] for i in listed] == sorted(i["tax_year"] for i in listed)
    for role in ("school_system", "admin"):
        problem(api.get(URL, role=role), 403)
    problem(api.get(f"{URL}/2089-90", role="auditor"), 404)
    problem(api.get(f"{URL}/2089", role="auditor"), 400)
    with unchanged(RATES_Q):
        problem(api.put(f"{URL}/2090-91", role="finance_director", json=RATES), 428)
        problem(api.put(f"{URL}/2090-91", role="finance_director", json=RATES, headers={"If-Match": '"4"'}), 412)
        problem(api.put(f"{URL}/2091-92", role="finance_director", json=RATES, headers={"If-Match": '"1"'}), 412)
        for role in ("business_manager", "auditor", "school_system"):
            problem(api.put(f"{URL}/2090-91", role=role, json=RATES, headers={"If-Match": '"1"'}), 403)
    out = expect(api.put(f"{URL}/2090-91", role="finance_director", json=dict(made, tps_bp=3068),
                         headers={"If-Match": '"1"'}), 200)
    assert out["tps_bp"] == 3068 and out["version"] == 2
    sql("DELETE FROM staff_rates WHERE tax_year = 2090")


@pytest.mark.parametrize("body,fields", [
    ({k: v for k, v in RATES.items() if k != "ni_bp"}, ["/ni_bp"]),
    (dict(RATES, ni_bp=10001), ["/ni_bp"]),
    (dict(RATES, tps_bp=-1), ["/tps_bp"]),
    (dict(RATES, levy_bp=0.5), ["/levy_bp"]),
    (dict(RATES, ni_threshold_pence="500000"), ["/ni_threshold_pence"]),
    (dict(RATES, ni_upper_pence=400000), ["/ni_upper_pence"]),
    (dict(RATES, employment_allowance_pence=-1), ["/employment_allowance_pence"]),
    (dict(RATES, tax_year="2080-81"), ["/tax_year"]),
    (dict(RATES, colour="red"), ["/colour"]),
])
def test_bad_rates(api, body, fields):
    with unchanged(RATES_Q):
        problem(api.put(f"{URL}/2091-92", role="finance_director", json=body), 422, "validation", fields)


def test_malformed(api):
    with unchanged(RATES_Q):
        problem(api.put(f"{URL}/2091-92", role="finance_director", body=b"{",
                        headers={"Content-Type": "application/json"}), 400)


def test_lgps(api, school_urns, first_urn):
    urn = school_urns[-1]
    url = f"/api/v1/schools/{urn}/lgps-rates"
    sid = sql_rows(f"SELECT id FROM schools WHERE urn = '{urn}'")[0][0]
    seeded = expect(api.get(url, role="finance_director"), 200)["items"]   # put back at the end (the demo's)
    sql(f"DELETE FROM lgps_rates WHERE school_id = {sid}; DELETE FROM lgps_rate_lists WHERE school_id = {sid}")
    empty = expect(api.get(url, role="business_manager"), 200)     # not personal: any finance role reads
    assert empty == {"urn": urn, "items": [], "version": 0, "updated_at": None}
    items = [{"tax_year": "2025-26", "rate_bp": 1900}, {"tax_year": "2026-27", "rate_bp": 1750}]
    a0 = audit_max()
    with unchanged(LGPS_Q, LISTS_Q):
        problem(api.put(url, role="business_manager", json={"items": items}), 403)
        problem(api.put(url, role="auditor", json={"items": items}), 403)
        problem(api.get(url, role="school_system"), 403)
        problem(api.put(url, role="finance_director", json={"items": items}, headers={"If-Match": '"3"'}), 412)
    made = expect(api.put(url, role="finance_director", json={"items": items}), 200)
    assert made["items"] == items and made["version"] == 1 and made["urn"] == urn
    assert expect(api.get(url, role="auditor"), 200) == made
    with unchanged(LGPS_Q, LISTS_Q):
        problem(api.put(url, role="finance_director", json={"items": items[:1]}), 428)
        problem(api.put(url, role="finance_director", json={"items": items[:1]}, headers={"If-Match": '"7"'}), 412)
    out = expect(api.put(url, role="finance_director", json=dict(made, items=items[1:]),
                         headers={"If-Match": '"1"'}), 200)
    assert out["items"] == items[1:] and out["version"] == 2
    assert [r[0] for r in sql_rows(f"SELECT action FROM audit_log WHERE id > {a0} AND entity = 'lgps_rates'")] == \
        ["create", "update"]
    expect(api.put(url, role="finance_director", json={"items": seeded}, headers={"If-Match": '"2"'}), 200)
    problem(api.get("/api/v1/schools/999999/lgps-rates", role="auditor"), 404)
    problem(api.get("/api/v1/schools/12/lgps-rates", role="auditor"), 400)


@pytest.mark.parametrize("body,fields", [
    ({}, ["/items"]),
    ({"items": {}}, ["/items"]),
    ({"items": [{"tax_year": "2026", "rate_bp": 1}]}, ["/items/0/tax_year"]),
    ({"items": [{"tax_year": "2026-27", "rate_bp": 10001}]}, ["/items/0/rate_bp"]),
    ({"items": [{"tax_year": "2026-27"}]}, ["/items/0/rate_bp"]),
    ({"items": [{"tax_year": "2026-27", "rate_bp": 1}, {"tax_year": "2026-27", "rate_bp": 2}]},
     ["/items/1/tax_year"]),
    ({"items": [], "colour": 1}, ["/colour"]),
    ({"items": [], "urn": "000000"}, ["/urn"]),
])
def test_bad_lgps(api, school_urns, body, fields):
    with unchanged(LGPS_Q, LISTS_Q):
        problem(api.put(f"/api/v1/schools/{school_urns[0]}/lgps-rates", role="finance_director", json=body,
                        headers={"If-Match": '"0"'}), 422, "validation", fields)
