"""Contract workflow: draft -> awaiting_approval -> active -> expired/terminated through
POST /api/v1/contracts/{id}/transitions; approval at the band's level (a board approval with its
minute reference), waivers and breach acknowledgements, illegal moves (409), what may change once
approved, and scoping of every contract route by role and school."""
import uuid

import pytest

from conftest import audit_max, error_fields, expect, problem, sql_rows, unchanged
from test_contracts import (CONTRACTS_Q, FRAMEWORK, activate, contract_body, create_contract, get_contract,
                            make_supplier, transition)

THREE = {"quotes": [{"supplier": "A Ltd", "amount_pence": 2000000, "chosen": True, "reason": None},
                    {"supplier": "B Ltd", "amount_pence": 2100000, "chosen": False, "reason": None},
                    {"supplier": "C Ltd", "amount_pence": 2200000, "chosen": False, "reason": None}]}


@pytest.fixture(scope="module")
def supplier(api):
    return make_supplier(api)


def small(supplier_id, **kw):
    """£20,000 for one year on three quotes: the finance director's band."""
    return dict(dict(route="three_quotes", evidence=THREE, start_date="2027-01-01", end_date="2027-12-31",
                     extension_options=[], annual_value_pence=2000000, vat_pence=0, indexation="none",
                     indexation_bp=0), **kw)


def test_board_approval_with_minute(api, supplier):
    c, _ = create_contract(api, supplier["id"])
    a0 = audit_max()
    c1 = expect(transition(api, c["id"], "awaiting_approval", reason="for the March board"), 200)
    assert c1["status"] == "awaiting_approval" and c1["status_reason"] == "for the March board"
    assert c1["version"] == 2
    with unchanged(CONTRACTS_Q):
        p = problem(transition(api, c["id"], "active"), 422, "validation")
    assert "/board_minute" in error_fields(p)
    r = transition(api, c["id"], "active", board_minute="TB 2026/03 item 4")
    c2 = expect(r, 200)
    assert r.headers["ETag"].startswith('"3-h')
    assert c2["status"] == "active"
    assert c2["approval"]["level"] == "board" and c2["approval"]["board_minute"] == "TB 2026/03 item 4"
    assert c2["approval"]["approved_at"].endswith("Z") and isinstance(c2["approval"]["approved_by_token"], int)
    assert c2["exception"] is None
    rows = sql_rows(f"SELECT action, entity_id FROM audit_log WHERE id > {a0} AND entity = 'contract'")
    assert rows == [["transition", str(c["id"])], ["transition", str(c["id"])]]
    assert '"status":"active"' in sql_rows(f"SELECT after_json FROM audit_log WHERE id > {a0} ORDER BY id DESC LIMIT 1")[0][0]


def test_finance_director_level_needs_no_minute(api, supplier):
    c, _ = create_contract(api, supplier["id"], **small(supplier["id"]))
    assert c["compliance"]["approver"] == "finance_director" and c["compliance"]["compliant"]
    c2 = activate(api, c["id"])
    assert c2["approval"]["level"] == "finance_director" and c2["approval"]["board_minute"] is None


def test_non_compliant_cannot_become_active(api, supplier):
    # three quotes for a contract in the board's band (£63,709.62): a tender or framework is needed
    c, _ = create_contract(api, supplier["id"], route="three_quotes", evidence=THREE)
    assert not c["compliance"]["compliant"]
    expect(transition(api, c["id"], "awaiting_approval"), 200)
    with unchanged(CONTRACTS_Q):
        p = problem(transition(api, c["id"], "active", board_minute="TB 1"), 422, "validation")
    msgs = [e["message"] for e in p["errors"] if e["field"] == "/to"]
    assert msgs and msgs[0].startswith("route: three_quotes does not meet the band"), p
    assert "waiver" in p["detail"]
    # a waiver needs a reason
    with unchanged(CONTRACTS_Q):
        p = problem(transition(api, c["id"], "active", board_minute="TB 1", exception="waiver"), 422)
    assert "/reason" in error_fields(p)
    c2 = expect(transition(api, c["id"], "active", board_minute="TB 1", exception="waiver",
                           reason="Sole supplier compatible with the existing system"), 200)
    assert c2["status"] == "active"
    assert c2["exception"]["kind"] == "waiver"
    assert c2["exception"]["reason"] == "Sole supplier compatible with the existing system"
    assert c2["compliance"]["compliant"] is False               # still visible as it is
    comp = expect(api.get(f"/api/v1/contracts/{c['id']}/compliance", role="auditor"), 200)
    assert comp["exception"]["kind"] == "waiver" and comp["status"] == "active"


def test_breach_acknowledgement_only_for_legacy(api, supplier):
    # starts after today (22 Nov 2026): not a legacy contract
    c, _ = create_contract(api, supplier["id"], route="single_quote", start_date="2027-01-01", end_date="2029-12-31",
                           evidence={"quotes": [{"supplier": "A Ltd", "amount_pence": 1, "chosen": True}]})
    expect(transition(api, c["id"], "awaiting_approval"), 200)
    with unchanged(CONTRACTS_Q):
        p = problem(transition(api, c["id"], "active", board_minute="TB 2", exception="breach_acknowledgement",
                               reason="bought before the scheme"), 422)
    assert "/exception" in error_fields(p)
    # already running: a legacy contract
    c, _ = create_contract(api, supplier["id"], route="single_quote", procurement_started_on="2025-06-01",
                           start_date="2025-09-01", end_date="2028-08-31",
                           evidence={"quotes": [{"supplier": "A Ltd", "amount_pence": 1, "chosen": True}]})
    expect(transition(api, c["id"], "awaiting_approval"), 200)
    c2 = expect(transition(api, c["id"], "active", board_minute="TB 2", exception="breach_acknowledgement",
                           reason="Bought on one quote in 2025; the breach is reported to the audit committee"), 200)
    assert c2["exception"]["kind"] == "breach_acknowledgement" and c2["status"] == "active"


def test_exception_on_a_compliant_contract_is_refused(api, supplier):
    c, _ = create_contract(api, supplier["id"], **small(supplier["id"]))
    expect(transition(api, c["id"], "awaiting_approval"), 200)
    with unchanged(CONTRACTS_Q):
        p = problem(transition(api, c["id"], "active", exception="waiver", reason="just in case"), 422)
    assert "/exception" in error_fields(p)


@pytest.mark.parametrize("status_path,to", [
    ([], "active"), ([], "expired"), ([], "terminated"), ([], "draft"),
    (["awaiting_approval"], "awaiting_approval"), (["awaiting_approval"], "expired"),
    (["awaiting_approval", "active"], "draft"), (["awaiting_approval", "active"], "awaiting_approval"),
    (["awaiting_approval", "active"], "active"),
    (["awaiting_approval", "active", "expired"], "active"),
    (["awaiting_approval", "active", "terminated"], "active")])
def test_illegal_transitions_are_409(api, supplier, status_path, to):
    c, _ = create_contract(api, supplier["id"], **small(supplier["id"]))
    for s in status_path:
        expect(transition(api, c["id"], s, reason="why" if s == "terminated" else None), 200)
    with unchanged(CONTRACTS_Q):
        p = problem(transition(api, c["id"], to), 409, "conflict")
    assert f"cannot become {to}" in p["detail"]


def test_terminate_and_expire(api, supplier):
    c, _ = create_contract(api, supplier["id"], **small(supplier["id"]))
    activate(api, c["id"])
    with unchanged(CONTRACTS_Q):
        problem(transition(api, c["id"], "terminated"), 422, fields=["/reason"])
    c2 = expect(transition(api, c["id"], "terminated", reason="supplier ceased trading"), 200)
    assert c2["status"] == "terminated" and c2["status_reason"] == "supplier ceased trading"
    c, _ = create_contract(api, supplier["id"], **small(supplier["id"]))
    activate(api, c["id"])
    assert expect(transition(api, c["id"], "expired"), 200)["status"] == "expired"


@pytest.mark.parametrize("body,field", [
    ({}, "/to"), ({"to": "approved"}, "/to"), ({"to": "active", "exception": "pardon"}, "/exception"),
    ({"to": "awaiting_approval", "board_minute": "TB 1"}, "/board_minute"),
    ({"to": "awaiting_approval", "exception": "waiver", "reason": "x"}, "/exception"),
    ({"to": "active", "reason": 5}, "/reason"), ({"to": "active", "extra": 1}, "/extra")])
def test_bad_transition_bodies(api, supplier, body, field):
    c, _ = create_contract(api, supplier["id"], **small(supplier["id"]))
    with unchanged(CONTRACTS_Q):
        p = problem(api.post(f"/api/v1/contracts/{c['id']}/transitions", role="finance_director", json=body), 422)
    assert field in error_fields(p)


def test_transition_if_match_and_unknown_contract(api, supplier):
    c, etag = create_contract(api, supplier["id"], **small(supplier["id"]))
    expect(transition(api, c["id"], "awaiting_approval"), 200)
    with unchanged(CONTRACTS_Q):
        problem(api.post(f"/api/v1/contracts/{c['id']}/transitions", role="finance_director", json={"to": "active"},
                         headers={"If-Match": etag}), 412)
    problem(transition(api, 99999999, "active"), 404)


def test_transition_idempotency_key(api, supplier):
    c, _ = create_contract(api, supplier["id"], **small(supplier["id"]))
    key = {"Idempotency-Key": uuid.uuid4().hex}
    url = f"/api/v1/contracts/{c['id']}/transitions"
    r1 = api.post(url, role="finance_director", json={"to": "awaiting_approval"}, headers=key)
    expect(r1, 200)
    r2 = api.post(url, role="finance_director", json={"to": "awaiting_approval"}, headers=key)
    assert r2.status_code == 200 and r2.json()["version"] == r1.json()["version"] == 2


def test_approved_terms_are_locked(api, supplier):
    c, _ = create_contract(api, supplier["id"])
    c = activate(api, c["id"], board_minute="TB 2026/05 item 1")
    _, etag = get_contract(api, c["id"])
    body = contract_body(supplier["id"], reference=c["reference"], annual_value_pence=1500000, route="open_tender")
    with unchanged(CONTRACTS_Q):
        p = problem(api.put(f"/api/v1/contracts/{c['id']}", role="finance_director", json=body,
                            headers={"If-Match": etag}), 409, "conflict")
    assert "annual_value_pence" in p["detail"] and "route" in p["detail"]
    # exercising an option and completing the evidence are allowed
    body = contract_body(supplier["id"], reference=c["reference"], options_used=1, title="Extended",
                         evidence={"framework": FRAMEWORK, "conflicts_checked_on": "2026-06-05"})
    c2 = expect(api.put(f"/api/v1/contracts/{c['id']}", role="finance_director", json=body,
                        headers={"If-Match": etag}), 200)
    assert c2["status"] == "active" and c2["options_used"] == 1
    assert c2["current_end"] == "2030-08-31" and c2["notice_by"] == "2030-06-02"
    assert [o["option"] for o in c2["options_remaining"]] == [2]
    assert c2["approval"]["board_minute"] == "TB 2026/05 item 1"
    # the status itself only moves through transitions
    with unchanged(CONTRACTS_Q):
        p = problem(api.put(f"/api/v1/contracts/{c['id']}", role="finance_director",
                            json={**body, "status": "expired"}, headers={"If-Match": f'"{c2["version"]}"'}), 422)
    assert "/status" in error_fields(p)


# ---- scoping ----

@pytest.fixture(scope="module")
def scoped(api, supplier, school_urns, first_urn):
    """A trust-wide contract, one of the business manager's school, one of another school."""
    other = next(u for u in school_urns if u != first_urn)
    out = {}
    for key, school in (("trust", None), ("own", first_urn), ("other", other)):
        out[key], _ = create_contract(api, supplier["id"], school=school)
    out["other_urn"] = other
    return out


def test_business_manager_reads_trust_and_own_school_only(api, scoped, supplier, first_urn):
    body = expect(api.get("/api/v1/contracts", role="business_manager", params={"limit": 1000}), 200)
    schools = {c["school"] for c in body["items"]}
    assert schools <= {None, first_urn} and None in schools and first_urn in schools
    ids = {c["id"] for c in body["items"]}
    assert scoped["trust"]["id"] in ids and scoped["own"]["id"] in ids and scoped["other"]["id"] not in ids
    expect(api.get(f"/api/v1/contracts/{scoped['trust']['id']}", role="business_manager"), 200)
    expect(api.get(f"/api/v1/contracts/{scoped['own']['id']}", role="business_manager"), 200)
    expect(api.get(f"/api/v1/contracts/{scoped['own']['id']}/compliance", role="business_manager"), 200)
    problem(api.get(f"/api/v1/contracts/{scoped['other']['id']}", role="business_manager"), 403, "forbidden")
    problem(api.get(f"/api/v1/contracts/{scoped['other']['id']}/compliance", role="business_manager"), 403)
    problem(api.get("/api/v1/contracts", role="business_manager", params={"school": scoped["other_urn"]}), 403)
    got = expect(api.get("/api/v1/contracts", role="business_manager", params={"school": first_urn}), 200)
    assert {c["school"] for c in got["items"]} == {first_urn}


def test_business_manager_writes_nothing(api, scoped, supplier):
    cid = scoped["own"]["id"]
    _, etag = get_contract(api, cid)
    with unchanged(CONTRACTS_Q, "SELECT * FROM suppliers ORDER BY id"):
        problem(api.post("/api/v1/contracts", role="business_manager", json=contract_body(supplier["id"])), 403)
        problem(api.put(f"/api/v1/contracts/{cid}", role="business_manager", json=scoped["own"],
                        headers={"If-Match": etag}), 403)
        problem(api.delete(f"/api/v1/contracts/{cid}", role="business_manager", headers={"If-Match": etag}), 403)
        problem(transition(api, cid, "awaiting_approval", role="business_manager"), 403)
        problem(api.post("/api/v1/suppliers", role="business_manager", json={"name": "X"}), 403)


@pytest.mark.parametrize("role", ["school_system", "admin"])
def test_school_systems_and_admins_read_nothing_here(api, scoped, role):
    cid = scoped["own"]["id"]
    for path in ("/api/v1/contracts", f"/api/v1/contracts/{cid}", f"/api/v1/contracts/{cid}/compliance",
                 "/api/v1/suppliers", f"/api/v1/suppliers/{scoped['own']['supplier_id']}", "/api/v1/alerts/renewals"):
        problem(api.get(path, role=role), 403, "forbidden")


def test_auditor_reads_everything_writes_nothing(api, scoped, supplier):
    body = expect(api.get("/api/v1/contracts", role="auditor", params={"limit": 1000}), 200)
    assert {scoped["trust"]["id"], scoped["own"]["id"], scoped["other"]["id"]} <= {c["id"] for c in body["items"]}
    with unchanged(CONTRACTS_Q):
        problem(api.post("/api/v1/contracts", role="auditor", json=contract_body(supplier["id"])), 403)
        problem(transition(api, scoped["other"]["id"], "awaiting_approval", role="auditor"), 403)


def test_no_token_is_401(api):
    r = api.get("/api/v1/contracts")
    problem(r, 401)
