"""POST /api/v1/contracts/compliance-check: the procurement check of a contract that is not
saved (the web app's contract form calls it as it is filled in). It answers what the saved
contract's compliance would be, validates the body exactly as POST /contracts does, writes
nothing (no row, no audit entry), and keeps a business manager to trust-wide contracts and
their own schools'."""
import pytest

from conftest import audit_max, error_fields, expect, problem, sql_value
from test_contracts import FRAMEWORK, contract_body, create_contract, make_supplier

CHECK = "/api/v1/contracts/compliance-check"


@pytest.fixture(scope="module")
def supplier(api):
    return make_supplier(api)


def check(api, body, role="finance_director", **kw):
    return api.post(CHECK, role=role, json=body, **kw)


def test_the_check_is_the_saved_contracts_and_nothing_is_written(api, supplier):
    body = contract_body(supplier["id"])
    a0, n0 = audit_max(), sql_value("SELECT COUNT(*) FROM contracts")
    ch = expect(check(api, body), 200)
    assert audit_max() == a0 and sql_value("SELECT COUNT(*) FROM contracts") == n0
    # the same as the saved contract's, field for field (the helper's draft: £63,709.62, the board's)
    saved, _ = create_contract(api, supplier["id"], **{k: v for k, v in body.items() if k != "supplier_id"})
    assert ch == saved["compliance"]
    assert ch["estimated_value_pence"] == 6370962 and ch["approver"] == "board" and ch["compliant"]
    for k in ("contract_id", "reference", "status", "exception"):
        assert k not in ch


def test_the_band_and_the_threshold_move_with_the_value(api, supplier):
    one = {"quotes": [{"supplier": "A Ltd", "amount_pence": 999999, "chosen": True}]}
    kw = dict(route="single_quote", evidence=one, start_date="2026-12-01", end_date="2027-11-30",
              extension_options=[], vat_pence=0, indexation="none", indexation_bp=0)
    below = expect(check(api, contract_body(supplier["id"], annual_value_pence=999999, **kw)), 200)
    at = expect(check(api, contract_body(supplier["id"], annual_value_pence=1000000, **kw)), 200)
    assert below["compliant"] and below["approver"] == "business_manager"
    assert not at["compliant"] and at["band"]["route"] == "three_quotes"
    assert [m["item"] for m in at["missing"]] == ["route"]
    big = expect(check(api, contract_body(supplier["id"], annual_value_pence=20000000, vat_pence=4000000,
                                          extension_options=[], start_date="2027-01-01", end_date="2027-12-31",
                                          indexation="none", indexation_bp=0,
                                          evidence={"framework": FRAMEWORK})), 200)
    assert big["above_threshold"] and big["threshold"]["pence"] == 20772000
    assert "award_notice" in [m["item"] for m in big["missing"]]


def test_a_related_party_supplier_is_warned(api):
    rp = make_supplier(api, related_party=True)
    ch = expect(check(api, contract_body(rp["id"])), 200)
    assert "related_party" in [w["code"] for w in ch["warnings"]]


def test_bad_bodies_are_422_as_for_post(api, supplier):
    a0 = audit_max()
    p = problem(check(api, contract_body(supplier["id"], annual_value_pence=-1, end_date="2026-01-01",
                                         colour="red")), 422, "validation")
    assert {"/annual_value_pence", "/end_date", "/colour"} <= set(error_fields(p))
    p = problem(check(api, contract_body(99999999, school="999998")), 422, "validation")
    assert set(error_fields(p)) == {"/supplier_id", "/school"}
    problem(api.post(CHECK, role="finance_director", body="{"), 400)
    problem(api.post(f"{CHECK}?colour=red", role="finance_director", json=contract_body(supplier["id"])), 422)
    problem(api.post(f"{CHECK}?contract_id=0", role="finance_director", json=contract_body(supplier["id"])), 422)
    assert audit_max() == a0


def test_contract_id_leaves_the_contract_out_of_the_aggregation(api, supplier):
    # two £120,000 catering contracts started within 12 months reach the threshold together;
    # checking the saved one's own body again with its id does not count it twice
    kw = dict(category="catering", annual_value_pence=10000000, vat_pence=2000000, extension_options=[],
              start_date="2027-02-01", end_date="2028-01-31", indexation="none", indexation_bp=0)
    saved, _ = create_contract(api, supplier["id"], **kw)
    body = contract_body(supplier["id"], **kw)
    twice = expect(check(api, body), 200)
    once = expect(api.post(f"{CHECK}?contract_id={saved['id']}", role="finance_director", json=body), 200)
    assert twice["aggregate_pence"] - once["aggregate_pence"] == saved["estimated_value_pence"]


def test_roles_and_scope(api, supplier, first_urn, school_urns):
    expect(check(api, contract_body(supplier["id"]), role="auditor"), 200)
    expect(check(api, contract_body(supplier["id"]), role="business_manager"), 200)
    expect(check(api, contract_body(supplier["id"], school=first_urn), role="business_manager"), 200)
    other = next(u for u in school_urns if u != first_urn)
    problem(check(api, contract_body(supplier["id"], school=other), role="business_manager"), 403, "forbidden")
    problem(check(api, contract_body(supplier["id"]), role="school_system"), 403, "forbidden")
    problem(check(api, contract_body(supplier["id"]), role="admin"), 403, "forbidden")
    problem(api.post(CHECK, json=contract_body(supplier["id"])), 401)
