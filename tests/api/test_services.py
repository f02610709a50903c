"""/api/v1/services: the catalogue of shared services (create, read, replace, delete, list with
tombstones), every bad input with the field it names and nothing written, roles, and the demo
catalogue. Today is pinned to 2026-11-22 by the test config, so the default year is 2026-27.

Helpers used by the other service test files are defined here (uniq_name, service_body,
make_service, subscribe, set_census, put_set)."""
import time
import uuid

import pytest

from conftest import audit_max, error_fields, expect, problem, sql_rows, sql_value, unchanged
from test_contracts import create_contract, make_supplier

SERVICES_Q = "SELECT * FROM services ORDER BY id"
SUBS_Q = "SELECT * FROM subscriptions ORDER BY id"
SERVICE_FIELDS = {"id", "name", "category", "description", "contract_id", "contract", "account_code", "funding",
                  "basis", "usage_unit", "annual_cost_pence", "annual_vat_pence", "year", "cost", "deleted",
                  "version", "created_at", "updated_at"}


# ---- helpers (imported by test_subscriptions.py, test_services_alloc.py, test_feed.py) ----

def uniq_name(prefix="Pytest service"):
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def service_body(**kw):
    """An in-house service with an entered cost of £12,000.00 a year, split per pupil."""
    body = {"name": uniq_name(), "category": "ict", "description": "A test service", "contract_id": None,
            "account_code": "E20", "funding": "traded", "basis": "per_pupil", "usage_unit": "",
            "annual_cost_pence": 1200000, "annual_vat_pence": 0}
    body.update(kw)
    return body


def make_service(api, **kw):
    r = api.post("/api/v1/services", role="finance_director", json=service_body(**kw))
    return expect(r, 201)


def subscribe(api, service_id, school, role="finance_director", **kw):
    body = {"school": school, "start_date": "2026-09-01", "end_date": None, "level": "standard"}
    body.update(kw)
    return api.post(f"/api/v1/services/{service_id}/subscriptions", role=role, json=body)


def set_census(api, urn, year, pupils=None, fte=None):
    """Create or replace the school's data for a year (census pupils, FTE)."""
    path = f"/api/v1/schools/{urn}/years/{year}"
    r = api.get(path, role="finance_director")
    # a PUT carries every field (issue 12): what is not known is null
    body = {"pupils": pupils, "places": None, "fte": fte, "opening_reserves_pence": None, "reserves_basis": None,
            "actual": True}
    if r.status_code == 200:
        cur = r.json()
        body.update({k: cur[k] for k in ("places", "opening_reserves_pence", "reserves_basis")})
        return expect(api.put(path, role="finance_director", json=body, headers={"If-Match": r.headers["ETag"]}), 200)
    return expect(api.put(path, role="finance_director", json=body), 201)


def get_service(api, sid, role="finance_director", **params):
    r = api.get(f"/api/v1/services/{sid}", role=role, params=params or None)
    return expect(r, 200), r.headers["ETag"]


def put_set(api, service_id, items, etag=None):
    if etag is None:
        etag = api.get(f"/api/v1/services/{service_id}", role="finance_director").headers["ETag"]
    return api.put(f"/api/v1/services/{service_id}/subscriptions", role="finance_director", json={"items": items},
                   headers={"If-Match": etag})


@pytest.fixture(scope="module")
def supplier(api):
    return make_supplier(api)


# ---- the demo catalogue ----

def test_demo_catalogue_uses_every_basis(api):
    items = expect(api.get("/api/v1/services", role="auditor", params={"limit": 1000}), 200)["items"]
    demo = [s for s in items if not s["name"].startswith("Pytest")]
    assert {s["basis"] for s in demo} >= {"per_pupil", "per_fte", "floor_area", "equal", "fixed_share", "usage"}
    assert {s["funding"] for s in demo} == {"core", "traded"}
    linked = {s["contract"]["reference"] for s in demo if s["contract"]}
    assert {"PAY-TRUST-2024", "ICT-TRUST-2026", "AUD-TRUST-2025", "GRD-159909-2026"} <= linked
    by_name = {s["name"]: s for s in demo}
    assert by_name["Payroll, pensions and HR"]["basis"] == "per_fte"
    assert by_name["Internal and external audit"]["basis"] == "equal"
    assert by_name["Internal and external audit"]["funding"] == "core"
    meals = by_name["School meals (Southend kitchen hub)"]
    assert meals["basis"] == "usage" and meals["usage_unit"] == "meals" and meals["contract"] is None
    assert meals["cost"] == {"source": "entered", "months": 12, "net_pence": 41300000, "vat_pence": 0,
                             "irrecoverable_vat_pence": 0, "cost_pence": 41300000,
                             "explanation": "entered annual cost £413,000.00", "assumptions": []}
    # every demo service has subscribers in 2026-27
    for s in demo:
        n = int(sql_value(f"SELECT COUNT(*) FROM subscriptions WHERE service_id = {s['id']} AND deleted_at IS NULL "
                          f"AND start_date <= '2027-08-01' AND (end_date IS NULL OR end_date >= '2026-09-01')"))
        assert n > 0, s["name"]
    # the fixed shares of the grounds contract sum to 10000
    grounds = by_name["Grounds maintenance, Southend sites"]
    assert int(sql_value(f"SELECT SUM(fixed_share_bp) FROM subscriptions WHERE service_id = {grounds['id']}")) == 10000


# ---- create and read ----

def test_create_entered_service(api):
    a0 = audit_max()
    body = service_body(annual_vat_pence=240000)
    r = api.post("/api/v1/services", role="finance_director", json=body)
    s = expect(r, 201)
    assert r.headers["Location"] == f"/api/v1/services/{s['id']}"
    assert r.headers["ETag"].startswith('"1-h')
    assert set(s) == SERVICE_FIELDS
    assert s["name"] == body["name"] and s["version"] == 1 and s["deleted"] is False
    assert s["contract_id"] is None and s["contract"] is None
    assert s["annual_cost_pence"] == 1200000 and s["annual_vat_pence"] == 240000
    assert s["year"] == "2026-27"
    # VAT is recoverable in full by default (procurement.vat_recoverable_bp = 10000)
    assert s["cost"] == {"source": "entered", "months": 12, "net_pence": 1200000, "vat_pence": 240000,
                         "irrecoverable_vat_pence": 0, "cost_pence": 1200000, "assumptions": [],
                         "explanation": "entered annual cost £12,000.00 net; VAT £2,400.00, all recoverable"}
    rows = sql_rows(f"SELECT action, entity, entity_id FROM audit_log WHERE id > {a0}")
    assert rows == [["create", "service", str(s["id"])]]
    got, etag = get_service(api, s["id"])
    assert got == s and etag == r.headers["ETag"]
    r2 = api.get(f"/api/v1/services/{s['id']}", role="auditor", headers={"If-None-Match": etag})
    assert r2.status_code == 304 and r2.content == b""


def test_cost_from_a_contract(api, supplier):
    """£10,000 + £2,000 VAT a year from 1 Sep 2026 to 31 Aug 2029 at 3% fixed: 2026-27 is 12 months
    at £10,000.00; 2027-28 12 months at £10,300.00 (one anniversary); 2029-30 nothing."""
    c, _ = create_contract(api, supplier["id"])
    s = make_service(api, contract_id=c["id"], annual_cost_pence=None, annual_vat_pence=0)
    assert s["annual_cost_pence"] is None
    assert s["contract"] == {"id": c["id"], "reference": c["reference"], "title": c["title"], "status": "draft",
                             "supplier_id": supplier["id"], "supplier_name": supplier["name"],
                             "start_date": "2026-09-01", "current_end": "2029-08-31", "notice_by": "2029-06-02",
                             "auto_renew": False}
    assert s["cost"]["source"] == "contract"
    assert (s["cost"]["net_pence"], s["cost"]["vat_pence"], s["cost"]["cost_pence"]) == (1000000, 200000, 1000000)
    assert s["cost"]["explanation"] == (f"contract {c['reference']}: 12 months at £10,000.00 a year / 12 = "
                                        "£10,000.00 net; VAT £2,000.00, all recoverable")
    s2, _ = get_service(api, s["id"], year="2027-28")
    assert s2["year"] == "2027-28" and s2["cost"]["net_pence"] == 1030000 and s2["cost"]["vat_pence"] == 206000
    assert "(indexed 1 time at 300 bp)" in s2["cost"]["explanation"]
    assert s2["cost"]["assumptions"] == []
    # after its current end (31 Aug 2029) it runs on through its options, assumed taken (issue 15; it used
    # to cost nothing): 1,000,000 x 1.03^3 = 1,092,727; VAT 200,000 x 1.03^3 = 218,545.4 -> 218,545
    s3, _ = get_service(api, s["id"], year="2029-30")
    assert s3["cost"]["months"] == 12 and s3["cost"]["net_pence"] == 1092727 and s3["cost"]["vat_pence"] == 218545
    assert s3["cost"]["assumptions"] == ["option 1 (12 months) taken"]
    # a contract a service uses cannot be deleted from under it (it would lose its cost)
    etag = api.get(f"/api/v1/contracts/{c['id']}", role="finance_director").headers["ETag"]
    problem(api.delete(f"/api/v1/contracts/{c['id']}", role="finance_director", headers={"If-Match": etag}), 409)


def test_create_validation_lists_every_field(api):
    body = {"name": "=SUM(A1)", "category": "snacks", "account_code": "", "funding": "free", "basis": "per_head",
            "annual_cost_pence": -1, "annual_vat_pence": 1.5, "usage_unit": "x" * 41, "bogus": 1}
    with unchanged(SERVICES_Q):
        p = problem(api.post("/api/v1/services", role="finance_director", json=body), 422, "validation")
    assert set(error_fields(p)) >= {"/name", "/category", "/account_code", "/funding", "/basis",
                                    "/annual_cost_pence", "/annual_vat_pence", "/usage_unit", "/bogus"}


@pytest.mark.parametrize("change,field,words", [
    ({"annual_cost_pence": None}, "/annual_cost_pence", "required for a service without a contract"),
    ({"account_code": "ZZ99"}, "/account_code", "no account with code ZZ99"),
    ({"account_code": "I01"}, "/account_code", "income account"),
    ({"contract_id": 99999999, "annual_cost_pence": None}, "/contract_id", "no contract with id 99999999"),
    ({"contract_id": 1, "annual_cost_pence": 5}, "/annual_cost_pence", "derived from contract 1"),
    ({"contract_id": 1, "annual_cost_pence": None, "annual_vat_pence": 7}, "/annual_vat_pence", "derived"),
    ({"name": ""}, "/name", "empty"),
    ({"name": "a\u0007b"}, "/name", "control"),
    ({"annual_cost_pence": 100000000001}, "/annual_cost_pence", "between"),
    ({"contract_id": "1"}, "/contract_id", "integer"),
])
def test_create_bad_values(api, change, field, words):
    with unchanged(SERVICES_Q):
        p = problem(api.post("/api/v1/services", role="finance_director", json=service_body(**change)), 422,
                    "validation", [field])
    msg = [e["message"] for e in p["errors"] if e["field"] == field][0]
    assert words in msg, p


def test_malformed_and_wrong_type(api):
    with unchanged(SERVICES_Q):
        problem(api.post("/api/v1/services", role="finance_director", body="{", json_ct=True), 400, "malformed-json")
        problem(api.post("/api/v1/services", role="finance_director", body='{"name":"a","name":"b"}'), 400,
                "duplicate-key")
        problem(api.post("/api/v1/services", role="finance_director", body="name=x",
                         headers={"Content-Type": "text/plain"}), 415)
        problem(api.post("/api/v1/services", role="finance_director", json=[1]), 422, "validation", [""])


def test_duplicate_name_409(api):
    s = make_service(api)
    with unchanged(SERVICES_Q):
        p = problem(api.post("/api/v1/services", role="finance_director", json=service_body(name=s["name"])), 409,
                    "conflict", ["/name"])
    assert s["name"] in p["detail"]


@pytest.mark.parametrize("path,status", [("/api/v1/services/0", 400), ("/api/v1/services/x", 400),
                                         ("/api/v1/services/99999999", 404)])
def test_get_bad_or_unknown_id(api, path, status):
    problem(api.get(path, role="finance_director"), status)


def test_bad_year_and_unknown_query(api):
    s = make_service(api)
    problem(api.get(f"/api/v1/services/{s['id']}", role="finance_director", params={"year": "2026-28"}), 422,
            "validation", ["query:year"])
    problem(api.get(f"/api/v1/services/{s['id']}", role="finance_director", params={"yr": "2026-27"}), 422,
            "validation", ["query:yr"])
    problem(api.get("/api/v1/services", role="finance_director", params={"basis": "per_head"}), 422,
            "validation", ["query:basis"])


# ---- replace ----

def test_put_preconditions_and_update(api):
    s, etag = get_service(api, make_service(api)["id"])
    body = {k: v for k, v in s.items()}
    body["name"] = s["name"] + " (renamed)"
    body["annual_cost_pence"] = 1500000
    path = f"/api/v1/services/{s['id']}"
    with unchanged(SERVICES_Q):
        problem(api.put(path, role="finance_director", json=body), 428, "precondition-required")
        problem(api.put(path, role="finance_director", json=body, headers={"If-Match": '"99"'}), 412,
                "precondition-failed")
    a0 = audit_max()
    r = api.put(path, role="finance_director", json=body, headers={"If-Match": etag})
    out = expect(r, 200)
    assert out["version"] == 2 and out["name"] == body["name"] and out["cost"]["cost_pence"] == 1500000
    assert r.headers["ETag"].startswith('"2-h')
    assert sql_rows(f"SELECT action, entity FROM audit_log WHERE id > {a0}") == [["update", "service"]]
    # the old ETag is stale now
    with unchanged(SERVICES_Q):
        problem(api.put(path, role="finance_director", json=body, headers={"If-Match": etag}), 412)
    # the plain version works as If-Match too; a PUT's 200 always carries the new body
    # (If-None-Match answers reads only: never a 304 to a write)
    body["description"] = "plain version"
    out = expect(api.put(path, role="finance_director", json=body, headers={"If-Match": '"2"', "If-None-Match": "*"}),
                 200)
    assert out["description"] == "plain version"


def test_put_new_basis_must_suit_the_subscribers(api):
    s = make_service(api, basis="per_fte")
    expect(subscribe(api, s["id"], "central"), 201)
    s, etag = get_service(api, s["id"])
    body = dict(s, basis="floor_area")
    with unchanged(SERVICES_Q, SUBS_Q):
        p = problem(api.put(f"/api/v1/services/{s['id']}", role="finance_director", json=body,
                            headers={"If-Match": etag}), 422, "validation", ["/basis"])
    assert "central has no floor area" in p["errors"][0]["message"]
    body["basis"] = "usage"
    with unchanged(SERVICES_Q, SUBS_Q):
        p = problem(api.put(f"/api/v1/services/{s['id']}", role="finance_director", json=body,
                            headers={"If-Match": etag}), 422, "validation", ["/basis"])
    assert "no usage_units" in p["errors"][0]["message"]
    body["basis"] = "equal"
    expect(api.put(f"/api/v1/services/{s['id']}", role="finance_director", json=body, headers={"If-Match": etag}), 200)


# ---- delete and tombstones ----

def test_delete_leaves_tombstones(api):
    t0 = sql_value("SELECT DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%dT%H:%i:%s.%fZ')")
    time.sleep(0.002)
    s = make_service(api)
    sub = expect(subscribe(api, s["id"], "159902"), 201)
    _, etag = get_service(api, s["id"])
    path = f"/api/v1/services/{s['id']}"
    with unchanged(SERVICES_Q, SUBS_Q):
        problem(api.delete(path, role="finance_director"), 428)
        problem(api.delete(path, role="finance_director", headers={"If-Match": '"1"'}), 412)
        problem(api.delete(path, role="auditor", headers={"If-Match": etag}), 403)
    a0 = audit_max()
    r = api.delete(path, role="finance_director", headers={"If-Match": etag})
    assert r.status_code == 204
    assert sql_rows(f"SELECT action, entity, entity_id FROM audit_log WHERE id > {a0}") == [
        ["delete", "service", str(s["id"])]]
    problem(api.get(path, role="finance_director"), 404)
    # without updated_since the list has no tombstones; with it, the service and its subscription
    items = expect(api.get("/api/v1/services", role="finance_director", params={"limit": 1000}), 200)["items"]
    assert s["id"] not in [i["id"] for i in items]
    items = expect(api.get("/api/v1/services", role="finance_director", params={"updated_since": t0}), 200)["items"]
    tomb = [i for i in items if i["id"] == s["id"]]
    assert tomb == [{"id": s["id"], "name": s["name"], "deleted": True, "version": 3,
                     "updated_at": tomb[0]["updated_at"]}]
    subs = expect(api.get(f"/api/v1/services/{s['id']}/subscriptions", role="finance_director",
                          params={"updated_since": t0}), 200)
    assert [(i["id"], i["deleted"]) for i in subs["items"]] == [(sub["id"], True)]
    # a second delete: 404
    problem(api.delete(path, role="finance_director", headers={"If-Match": '"3"'}), 404)
    # its name is free again
    make_service(api, name=s["name"])


# ---- lists ----

def test_list_filters_and_paging(api):
    made = [make_service(api, funding="core", basis="equal", category="governance") for _ in range(3)]
    params = {"funding": "core", "basis": "equal", "category": "governance", "limit": 2}
    seen, url, pages = [], "/api/v1/services", 0
    while url:
        r = api.get(url, role="business_manager", params=params if pages == 0 else None)
        body = expect(r, 200)
        pages += 1
        seen += body["items"]
        assert all(i["funding"] == "core" and i["basis"] == "equal" and i["category"] == "governance"
                   for i in body["items"])
        if body["next"]:
            assert r.headers["Link"].endswith('rel="next"')
            url = r.headers["Link"][1:r.headers["Link"].index(">")]
        else:
            url = None
    ids = [i["id"] for i in seen]
    assert len(ids) == len(set(ids)) and {m["id"] for m in made} <= set(ids) and pages >= 2
    problem(api.get("/api/v1/services", role="finance_director", params={"limit": 0}), 422, "validation",
            ["query:limit"])


# ---- roles ----

def test_roles(api):
    s = make_service(api)
    for role in ("finance_director", "business_manager", "auditor"):
        expect(api.get(f"/api/v1/services/{s['id']}", role=role), 200)
        expect(api.get("/api/v1/services", role=role), 200)
    for role in ("school_system", "admin"):
        problem(api.get(f"/api/v1/services/{s['id']}", role=role), 403, "forbidden")
        problem(api.get("/api/v1/services", role=role), 403, "forbidden")
    with unchanged(SERVICES_Q):
        for role in ("business_manager", "auditor", "school_system", "admin"):
            problem(api.post("/api/v1/services", role=role, json=service_body()), 403, "forbidden")
    problem(api.get("/api/v1/services"), 401, "unauthorized")


def test_idempotent_create(api):
    body = service_body()
    h = {"Idempotency-Key": f"svc-{uuid.uuid4().hex}"}
    a = api.post("/api/v1/services", role="finance_director", json=body, headers=h)
    b = api.post("/api/v1/services", role="finance_director", json=body, headers=h)
    assert expect(a, 201) == expect(b, 201)
    assert b.headers.get("Idempotent-Replayed") == "true"
    assert int(sql_value(f"SELECT COUNT(*) FROM services WHERE name = '{body['name']}'")) == 1
