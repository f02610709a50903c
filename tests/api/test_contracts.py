"""/api/v1/contracts: create, read, replace, delete; every bad input of issue 3 (a problem naming
the field, nothing written); derived fields with hand-worked figures; list filters, sorts and
keyset paging; the demo register. Today is pinned to 2026-11-22 by the test config.

Helpers used by the other contract test files are defined here (make_supplier, contract_body,
create_contract, activate)."""
import uuid

import pytest

from conftest import TODAY, audit_max, error_fields, expect, problem, sql_rows, sql_value, unchanged

CONTRACTS_Q = "SELECT * FROM contracts ORDER BY id"


# ---- helpers (imported by test_contracts_workflow.py and test_alerts.py) ----

def uniq(prefix="T"):
    return f"{prefix}-{uuid.uuid4().hex[:10].upper()}"


def make_supplier(api, **kw):
    body = {"name": f"Pytest Supplies {uuid.uuid4().hex[:6]} Ltd", **kw}
    return expect(api.post("/api/v1/suppliers", role="finance_director", json=body), 201)


FRAMEWORK = {"name": "Pytest framework", "lot": "Lot 1", "call_off": "direct_award"}


def contract_body(supplier_id, **kw):
    """A draft that meets the rules: £10,000 + £2,000 VAT a year, 3+1+1 years at 3% fixed
    (estimated £63,709.62, the board's band), a framework call-off."""
    body = {
        "reference": uniq(), "title": "Pytest managed service", "supplier_id": supplier_id, "category": "ict",
        "contract_type": "goods_services", "school": None, "route": "framework",
        "procurement_started_on": "2026-06-01", "evidence": {"framework": dict(FRAMEWORK)},
        "start_date": "2026-09-01", "end_date": "2029-08-31", "extension_options": [12, 12], "options_used": 0,
        "notice_period": 90, "notice_unit": "days", "auto_renew": False, "annual_value_pence": 1000000,
        "vat_pence": 200000, "indexation": "fixed", "indexation_index": None, "indexation_bp": 300,
    }
    body.update(kw)
    return body


def create_contract(api, supplier_id, **kw):
    r = api.post("/api/v1/contracts", role="finance_director", json=contract_body(supplier_id, **kw))
    return expect(r, 201), r.headers["ETag"]


def transition(api, cid, to, role="finance_director", **kw):
    return api.post(f"/api/v1/contracts/{cid}/transitions", role=role, json={"to": to, **kw})


def activate(api, cid, **kw):
    expect(transition(api, cid, "awaiting_approval"), 200)
    return expect(transition(api, cid, "active", **kw), 200)


def get_contract(api, cid, role="finance_director"):
    r = api.get(f"/api/v1/contracts/{cid}", role=role)
    return expect(r, 200), r.headers["ETag"]


@pytest.fixture(scope="module")
def supplier(api):
    return make_supplier(api)


# ---- create and read ----

def test_create_returns_the_contract_with_derived_fields(api, supplier):
    a0 = audit_max()
    r = api.post("/api/v1/contracts", role="finance_director", json=contract_body(supplier["id"]))
    c = expect(r, 201)
    assert r.headers["Location"] == f"/api/v1/contracts/{c['id']}"
    assert r.headers["ETag"].startswith(f'"1-h')
    assert c["status"] == "draft" and c["version"] == 1
    assert c["supplier_name"] == supplier["name"] and c["school"] is None
    assert c["extension_options"] == [12, 12] and c["options_used"] == 0
    # 3+1+1 years of £12,000 incl. VAT at 3% a year: 1,200,000 + 1,236,000 + 1,273,080
    # + 1,311,272 (1,311,272.4) + 1,350,610 (1,350,610.16) = 6,370,962 pence
    assert c["estimated_value_pence"] == 6370962
    assert c["current_end"] == "2029-08-31" and c["final_end"] == "2031-08-31"
    # 31 Aug 2029 - 90 days = 2 Jun 2029, 923 days after 22 Nov 2026
    assert c["notice_by"] == "2029-06-02" and c["days_to_notice"] == 923
    assert c["options_remaining"] == [
        {"option": 1, "months": 12, "exercise_by": "2029-06-02", "extends_to": "2030-08-31"},
        {"option": 2, "months": 12, "exercise_by": "2030-06-02", "extends_to": "2031-08-31"}]
    ch = c["compliance"]
    assert ch["compliant"] and ch["route_ok"] and ch["evidence_ok"] and ch["missing"] == []
    assert ch["band"] == {"from_pence": 4000000, "to_pence": 20772000, "route": "tender_or_framework",
                          "approver": "board"}
    assert ch["approver"] == "board" and ch["routes_allowed"] == ["framework", "open_tender"]
    # the row in force and the comparison in words (issue 15: each row has its VAT basis)
    assert ch["threshold"] == {"contract_type": "goods_services", "from": "2026-01-01", "pence": 20772000,
                               "regime": "PA2023", "vat": "incl", "compared_pence": 6370962,
                               "explanation": "estimated value incl. VAT £63,709.62 against the goods_services "
                               "threshold of £207,720.00 incl. VAT for procurements started from 2026-01-01 "
                               "(the Procurement Act 2023): below the threshold"}
    assert ch["above_threshold"] is False
    assert c["evidence"] == {"quotes": [], "framework": FRAMEWORK,
                             "notices": {"tender_notice_id": None, "award_notice_id": None,
                                         "contract_details_notice_id": None, "standstill_ends_on": None},
                             "conflicts_checked_on": None, "debarment_checked_on": None,
                             "direct_award_reason": None}
    assert c["approval"] is None and c["exception"] is None
    assert not any(k.startswith("_") for k in c)
    rows = sql_rows(f"SELECT action, entity, entity_id FROM audit_log WHERE id > {a0}")
    assert ["create", "contract", str(c["id"])] in rows
    got, etag = get_contract(api, c["id"])
    assert got == c and etag == r.headers["ETag"]


def test_get_conditional_and_head(api, supplier):
    c, etag = create_contract(api, supplier["id"])
    r = api.get(f"/api/v1/contracts/{c['id']}", role="auditor", headers={"If-None-Match": etag})
    assert r.status_code == 304 and r.content == b""
    r = api.head(f"/api/v1/contracts/{c['id']}", role="auditor", fresh=True)
    assert r.status_code == 200 and r.headers["ETag"] == etag


@pytest.mark.parametrize("path,status", [("/api/v1/contracts/0", 400), ("/api/v1/contracts/x1", 400),
                                         ("/api/v1/contracts/99999999", 404)])
def test_get_bad_or_unknown_id(api, path, status):
    p = problem(api.get(path, role="finance_director"), status)
    if status == 400:
        assert "path:id" in error_fields(p)


def test_get_takes_no_query(api, supplier):
    c, _ = create_contract(api, supplier["id"])
    problem(api.get(f"/api/v1/contracts/{c['id']}?x=1", role="finance_director"), 422, fields=["query:x"])


def test_school_contract_and_auto_renew_without_end(api, supplier, first_urn):
    # £1,000 + £200 VAT a year, no end: valued over 48 months = 4 x 120,000; CPI at the
    # assumed 3% (procurement.indexation_bp) + 0: 120,000 + 123,600 + 127,308 + 131,127.24 = 502,035
    c, _ = create_contract(api, supplier["id"], school=first_urn, end_date=None, auto_renew=True,
                           extension_options=[], annual_value_pence=100000, vat_pence=20000,
                           indexation="index", indexation_index="cpi", indexation_bp=0, route="single_quote",
                           evidence={"quotes": [{"supplier": "A Ltd", "amount_pence": 100000, "chosen": True}]})
    assert c["school"] == first_urn
    assert c["estimated_value_pence"] == 502035
    # no end: it renews on each anniversary of its start; notice is due before the next one after today: it used to have no notice date at all)
    # (issue 15: it used to have no notice date at all): from 1 Sep 2026, today 22 Nov 2026, 90 days' notice
    assert c["current_end"] is None and c["next_renewal"] == "2027-09-01"
    assert c["notice_by"] == "2027-06-03" and c["days_to_notice"] == 193
    ch = c["compliance"]
    assert ch["valued_months"] == 48 and ch["valued_over_48_months"] is True
    assert "auto_renew_48_months" in [w["code"] for w in ch["warnings"]]
    assert ch["compliant"] and ch["approver"] == "business_manager"


def test_band_edge_through_the_api(api, supplier):
    """£9,999.99 for a year on one quote is the business manager's; £10,000.00 needs three."""
    one = {"quotes": [{"supplier": "A Ltd", "amount_pence": 999999, "chosen": True}]}
    kw = dict(route="single_quote", evidence=one, start_date="2026-12-01", end_date="2027-11-30",
              extension_options=[], vat_pence=0, indexation="none", indexation_bp=0)
    below, _ = create_contract(api, supplier["id"], annual_value_pence=999999, **kw)
    at, _ = create_contract(api, supplier["id"], annual_value_pence=1000000, **kw)
    assert below["estimated_value_pence"] == 999999 and at["estimated_value_pence"] == 1000000
    assert below["compliance"]["compliant"] and below["compliance"]["approver"] == "business_manager"
    assert not at["compliance"]["compliant"] and at["compliance"]["approver"] == "finance_director"
    assert [m["item"] for m in at["compliance"]["missing"]] == ["route"]
    comp = expect(api.get(f"/api/v1/contracts/{at['id']}/compliance", role="auditor"), 200)
    assert comp["contract_id"] == at["id"] and comp["reference"] == at["reference"]
    assert comp["status"] == "draft" and comp["exception"] is None
    assert comp["band"]["route"] == "three_quotes" and comp["compliant"] is False


def test_above_threshold_needs_the_notices(api, supplier):
    # £200,000 + £40,000 VAT for one year: £240,000 >= £207,720 (procurement started in 2026)
    kw = dict(extension_options=[], start_date="2027-01-01", end_date="2027-12-31", annual_value_pence=20000000,
              vat_pence=4000000, indexation="none", indexation_bp=0)
    c, _ = create_contract(api, supplier["id"], **kw)
    ch = c["compliance"]
    assert ch["above_threshold"] and not ch["compliant"]
    assert sorted(m["item"] for m in ch["missing"]) == sorted(
        ["award_notice", "standstill", "contract_details_notice", "conflicts_assessment", "debarment_check"])
    ev = {"framework": FRAMEWORK, "notices": {"award_notice_id": "012345-2026", "standstill_ends_on": "2026-12-10",
                                              "contract_details_notice_id": "012399-2026"},
          "conflicts_checked_on": "2026-06-10", "debarment_checked_on": "2026-11-30"}
    c, _ = create_contract(api, supplier["id"], evidence=ev, **kw)
    assert c["compliance"]["compliant"], c["compliance"]
    # procurement started before 1 Jan 2026: £214,904, so £240,000 is above that too; at
    # £210,000 it is between the two thresholds
    c, _ = create_contract(api, supplier["id"], procurement_started_on="2025-12-31",
                           **{**kw, "annual_value_pence": 17500000, "vat_pence": 3500000})
    assert c["compliance"]["threshold"]["pence"] == 21490400 and not c["compliance"]["above_threshold"]


def test_idempotency_key_replays_the_create(api, supplier):
    body = contract_body(supplier["id"])
    key = {"Idempotency-Key": uuid.uuid4().hex}
    r1 = api.post("/api/v1/contracts", role="finance_director", json=body, headers=key)
    c1 = expect(r1, 201)
    n = sql_value("SELECT COUNT(*) FROM contracts")
    r2 = api.post("/api/v1/contracts", role="finance_director", json=body, headers=key)
    assert r2.status_code == 201 and r2.json()["id"] == c1["id"]
    assert sql_value("SELECT COUNT(*) FROM contracts") == n


# ---- every bad input: a problem naming the field, nothing written ----

QUOTE = {"supplier": "A Ltd", "amount_pence": 100, "chosen": True}

BAD = [
    ("unknown supplier", {"supplier_id": 99999999}, "/supplier_id"),
    ("supplier not an integer", {"supplier_id": "1"}, "/supplier_id"),
    ("end before start", {"end_date": "2026-08-31"}, "/end_date"),
    ("no end, not auto-renewing", {"end_date": None}, "/end_date"),
    ("negative pence", {"annual_value_pence": -1}, "/annual_value_pence"),
    ("non-integer pence", {"annual_value_pence": 1000.5}, "/annual_value_pence"),
    ("pence as a string", {"annual_value_pence": "1000"}, "/annual_value_pence"),
    ("pence above 2^53", {"annual_value_pence": 2 ** 53 + 2}, "/annual_value_pence"),
    ("pence above £1bn", {"annual_value_pence": 100000000001}, "/annual_value_pence"),
    ("negative VAT", {"vat_pence": -5}, "/vat_pence"),
    ("VAT more than the value", {"vat_pence": 1000001}, "/vat_pence"),
    ("bp above range", {"indexation_bp": 2001}, "/indexation_bp"),
    ("bp below range", {"indexation_bp": -1}, "/indexation_bp"),
    ("bp with no indexation", {"indexation": "none", "indexation_bp": 100}, "/indexation_bp"),
    ("index without its name", {"indexation": "index"}, "/indexation_index"),
    ("unknown index", {"indexation": "index", "indexation_index": "rpix"}, "/indexation_index"),
    ("index name with fixed", {"indexation_index": "cpi"}, "/indexation_index"),
    ("unknown indexation", {"indexation": "monthly"}, "/indexation"),
    ("unknown category", {"category": "stationery"}, "/category"),
    ("category in another case", {"category": "ICT"}, "/category"),
    ("unknown route", {"route": "dynamic_market"}, "/route"),
    ("unknown contract type", {"contract_type": "services"}, "/contract_type"),
    ("unknown school", {"school": "999999"}, "/school"),
    ("central as a school", {"school": "central"}, "/school"),
    ("malformed URN", {"school": "15990"}, "/school"),
    ("empty reference", {"reference": ""}, "/reference"),
    ("reference with a space", {"reference": "A B"}, "/reference"),
    ("reference too long", {"reference": "R" * 41}, "/reference"),
    ("empty title", {"title": ""}, "/title"),
    ("bad date", {"start_date": "2026-02-30"}, "/start_date"),
    ("procurement after start", {"procurement_started_on": "2026-09-02"}, "/procurement_started_on"),
    ("option of 0 months", {"extension_options": [12, 0]}, "/extension_options/1"),
    ("option of 121 months", {"extension_options": [121]}, "/extension_options/0"),
    ("option not an integer", {"extension_options": [12, 1.5]}, "/extension_options/1"),
    ("more options used than there are", {"options_used": 3}, "/options_used"),
    ("unknown notice unit", {"notice_unit": "weeks"}, "/notice_unit"),
    ("notice of 121 months", {"notice_period": 121, "notice_unit": "months"}, "/notice_period"),
    ("negative notice", {"notice_period": -1}, "/notice_period"),
    ("auto_renew not a bool", {"auto_renew": 1}, "/auto_renew"),
    ("unknown field", {"value_pence": 1}, "/value_pence"),
    ("status other than draft", {"status": "active"}, "/status"),
    ("evidence not an object", {"evidence": []}, "/evidence"),
    ("unknown evidence field", {"evidence": {"notes": "x"}}, "/evidence/notes"),
    ("quote without supplier", {"evidence": {"quotes": [{"amount_pence": 1, "chosen": True}]}},
     "/evidence/quotes/0/supplier"),
    ("quote with negative amount", {"evidence": {"quotes": [QUOTE, {**QUOTE, "amount_pence": -1, "chosen": False}]}},
     "/evidence/quotes/1/amount_pence"),
    ("two chosen quotes", {"evidence": {"quotes": [QUOTE, QUOTE]}}, "/evidence/quotes/1/chosen"),
    ("quote not an object", {"evidence": {"quotes": ["A Ltd"]}}, "/evidence/quotes/0"),
    ("framework without lot", {"evidence": {"framework": {"name": "F", "call_off": "direct_award"}}},
     "/evidence/framework/lot"),
    ("unknown call-off", {"evidence": {"framework": {**FRAMEWORK, "call_off": "mini"}}}, "/evidence/framework/call_off"),
    ("bad notice id", {"evidence": {"notices": {"award_notice_id": "2026/S 123"}}}, "/evidence/notices/award_notice_id"),
    ("bad standstill date", {"evidence": {"notices": {"standstill_ends_on": "soon"}}},
     "/evidence/notices/standstill_ends_on"),
    ("bad conflicts date", {"evidence": {"conflicts_checked_on": "2026-13-01"}}, "/evidence/conflicts_checked_on"),
]


@pytest.mark.parametrize("what,change,field", BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_422_naming_the_field(api, supplier, what, change, field):
    body = {**contract_body(supplier["id"]), **change}
    p = problem(api.post("/api/v1/contracts", role="finance_director", json=body), 422, "validation")
    assert field in error_fields(p), (what, p)


def test_bad_inputs_write_nothing(api, supplier):
    """Each of the above, again, with the register and the audit log checked once around them all."""
    with unchanged(CONTRACTS_Q):
        for what, change, _field in BAD:
            r = api.post("/api/v1/contracts", role="finance_director", json={**contract_body(supplier["id"]), **change})
            assert r.status_code == 422, what


def test_missing_required_fields(api):
    with unchanged(CONTRACTS_Q):
        p = problem(api.post("/api/v1/contracts", role="finance_director", json={}), 422)
    for f in ("reference", "title", "supplier_id", "category", "contract_type", "route", "procurement_started_on",
              "start_date", "annual_value_pence"):
        assert f"/{f}" in error_fields(p)


def test_no_knock_on_errors(api, supplier):
    """A field that is itself wrong is not blamed again by the rules that compare it with others."""
    for change, field in (({"annual_value_pence": "1000"}, "/annual_value_pence"),
                          ({"options_used": "1"}, "/options_used"),
                          ({"indexation": "none", "indexation_bp": -3}, "/indexation_bp")):
        p = problem(api.post("/api/v1/contracts", role="finance_director",
                             json={**contract_body(supplier["id"]), **change}), 422)
        assert error_fields(p) == [field], p


def test_every_error_at_once(api, supplier):
    body = contract_body(supplier["id"], category="x", route="y", vat_pence=-1, indexation_bp=5000)
    p = problem(api.post("/api/v1/contracts", role="finance_director", json=body), 422)
    assert {"/category", "/route", "/vat_pence", "/indexation_bp"} <= set(error_fields(p))


@pytest.mark.parametrize("body,status", [("{", 400), ('{"a": 1, "a": 2}', 400), ("[]", 422)])
def test_malformed_bodies(api, body, status):
    with unchanged(CONTRACTS_Q):
        problem(api.post("/api/v1/contracts", role="finance_director", body=body), status)


def test_duplicate_reference_is_409(api, supplier):
    c, _ = create_contract(api, supplier["id"])
    with unchanged(CONTRACTS_Q):
        p = problem(api.post("/api/v1/contracts", role="finance_director",
                             json=contract_body(supplier["id"], reference=c["reference"])), 409, "conflict")
    assert "/reference" in error_fields(p)


# ---- replace ----

def test_put_needs_if_match_and_a_current_one(api, supplier):
    c, etag = create_contract(api, supplier["id"])
    body = contract_body(supplier["id"], reference=c["reference"], title="Renamed")
    url = f"/api/v1/contracts/{c['id']}"
    with unchanged(CONTRACTS_Q):
        problem(api.put(url, role="finance_director", json=body), 428, "precondition-required")
        problem(api.put(url, role="finance_director", json=body, headers={"If-Match": '"7-habc"'}), 412)
        problem(api.put(url, role="finance_director", json=body, headers={"If-Match": "*"}), 412)
    r = api.put(url, role="finance_director", json=body, headers={"If-Match": etag})
    c2 = expect(r, 200)
    assert c2["title"] == "Renamed" and c2["version"] == 2 and r.headers["ETag"].startswith('"2-h')
    # the plain version form works too; the old ETag is now stale
    with unchanged(CONTRACTS_Q):
        problem(api.put(url, role="finance_director", json=body, headers={"If-Match": etag}), 412)
    expect(api.put(url, role="finance_director", json={**body, "title": "Again"}, headers={"If-Match": '"2"'}), 200)


def test_put_get_modify_put_round_trip(api, supplier):
    """A GET's body, changed and sent back (read-only fields and all), is accepted."""
    c, etag = create_contract(api, supplier["id"])
    c["title"] = "Round trip"
    c2 = expect(api.put(f"/api/v1/contracts/{c['id']}", role="finance_director", json=c,
                        headers={"If-Match": etag}), 200)
    assert c2["title"] == "Round trip" and c2["estimated_value_pence"] == c["estimated_value_pence"]


def test_put_bad_input_writes_nothing(api, supplier):
    c, etag = create_contract(api, supplier["id"])
    other, _ = create_contract(api, supplier["id"])
    url = f"/api/v1/contracts/{c['id']}"
    with unchanged(CONTRACTS_Q):
        p = problem(api.put(url, role="finance_director", headers={"If-Match": etag},
                            json=contract_body(supplier["id"], reference=c["reference"], end_date="2020-01-01")), 422)
        assert "/end_date" in error_fields(p)
        p = problem(api.put(url, role="finance_director", headers={"If-Match": etag},
                            json=contract_body(supplier["id"], reference=other["reference"])), 409)
        assert "/reference" in error_fields(p)
        problem(api.put("/api/v1/contracts/99999999", role="finance_director", headers={"If-Match": '"1"'},
                        json=contract_body(supplier["id"])), 404)


# ---- delete ----

def test_delete_a_draft(api, supplier):
    c, etag = create_contract(api, supplier["id"])
    url = f"/api/v1/contracts/{c['id']}"
    with unchanged(CONTRACTS_Q):
        problem(api.delete(url, role="finance_director"), 428)
        problem(api.delete(url, role="finance_director", headers={"If-Match": '"9"'}), 412)
    a0 = audit_max()
    r = api.delete(url, role="finance_director", headers={"If-Match": etag})
    assert r.status_code == 204 and r.content == b""
    problem(api.get(url, role="finance_director"), 404)
    assert sql_rows(f"SELECT action FROM audit_log WHERE id > {a0} AND entity = 'contract'") == [["delete"]]


def test_delete_only_drafts(api, supplier):
    c, _ = create_contract(api, supplier["id"])
    expect(transition(api, c["id"], "awaiting_approval"), 200)
    _, etag = get_contract(api, c["id"])
    with unchanged(CONTRACTS_Q):
        p = problem(api.delete(f"/api/v1/contracts/{c['id']}", role="finance_director",
                               headers={"If-Match": etag}), 409, "conflict")
    assert "only a draft" in p["detail"]


# ---- lists ----

@pytest.fixture(scope="module")
def listed(api, school_urns):
    """Six contracts of one fresh supplier, with different values, ends and schools."""
    s = make_supplier(api, name=f"Listing Ltd {uuid.uuid4().hex[:6]}")
    tag = uuid.uuid4().hex[:6].upper()
    out = []
    for i, (end, value, school, cat) in enumerate([
            ("2027-01-31", 500000, None, "ict"), ("2027-06-30", 300000, school_urns[0], "cleaning"),
            ("2028-08-31", 900000, school_urns[1], "ict"), ("2026-12-31", 100000, None, "waste"),
            ("2029-08-31", 700000, school_urns[0], "ict"), ("2027-02-28", 200000, None, "ict")]):
        c, _ = create_contract(api, s["id"], reference=f"L{tag}-{i}", title=f"Listing {tag} {5 - i}",
                               end_date=end, annual_value_pence=value, vat_pence=0, school=school, category=cat,
                               extension_options=[], notice_period=30)
        out.append(c)
    return {"supplier": s, "tag": tag, "contracts": out}


def refs(body):
    return [c["reference"] for c in body["items"]]


def test_list_filters(api, listed, school_urns):
    s, tag, cs = listed["supplier"], listed["tag"], listed["contracts"]
    base = {"supplier": s["id"]}
    got = expect(api.get("/api/v1/contracts", role="finance_director", params=base), 200)
    assert sorted(refs(got)) == sorted(c["reference"] for c in cs)
    assert got["next"] is None
    got = expect(api.get("/api/v1/contracts", role="auditor", params={**base, "category": "ict"}), 200)
    assert len(got["items"]) == 4
    got = expect(api.get("/api/v1/contracts", role="auditor", params={**base, "school": school_urns[0]}), 200)
    assert sorted(refs(got)) == [f"L{tag}-1", f"L{tag}-4"]
    got = expect(api.get("/api/v1/contracts", role="auditor", params={**base, "school": "trust"}), 200)
    assert sorted(refs(got)) == [f"L{tag}-0", f"L{tag}-3", f"L{tag}-5"]
    got = expect(api.get("/api/v1/contracts", role="auditor", params={"q": f"l{tag}-2"}), 200)
    assert refs(got) == [f"L{tag}-2"]                       # case-insensitive, on the reference
    got = expect(api.get("/api/v1/contracts", role="auditor", params={"q": s["name"][:14]}), 200)
    assert len(got["items"]) >= 6                           # on the supplier's name
    got = expect(api.get("/api/v1/contracts", role="auditor", params={**base, "status": "draft"}), 200)
    assert len(got["items"]) == 6
    got = expect(api.get("/api/v1/contracts", role="auditor", params={**base, "status": "active"}), 200)
    assert got["items"] == []
    # ends within 100 days of 22 Nov 2026 (to 2 Mar 2027): 31 Jan, 31 Dec, 28 Feb
    got = expect(api.get("/api/v1/contracts", role="auditor", params={**base, "expiring_within_days": 100}), 200)
    assert sorted(refs(got)) == [f"L{tag}-0", f"L{tag}-3", f"L{tag}-5"]
    # notice (30 days before the end) within 39 days (to 31 Dec 2026): 1 Dec 2026 only; within 40
    # days the window takes in 1 Jan 2027 as well (both ends count)
    got = expect(api.get("/api/v1/contracts", role="auditor", params={**base, "notice_within_days": 39}), 200)
    assert refs(got) == [f"L{tag}-3"]
    assert got["items"][0]["notice_by"] == "2026-12-01" and got["items"][0]["days_to_notice"] == 9
    got = expect(api.get("/api/v1/contracts", role="auditor", params={**base, "notice_within_days": 40}), 200)
    assert sorted(refs(got)) == [f"L{tag}-0", f"L{tag}-3"]


@pytest.mark.parametrize("sort,key,reverse", [
    ("reference", lambda c: c["reference"], False), ("-reference", lambda c: c["reference"], True),
    ("title", lambda c: c["title"], False), ("value", lambda c: c["annual_value_pence"], False),
    ("-value", lambda c: c["annual_value_pence"], True), ("end", lambda c: c["current_end"], False),
    ("-notice_by", lambda c: c["notice_by"], True)])
def test_list_sorts_page_by_cursor(api, listed, sort, key, reverse):
    want = [c["reference"] for c in sorted(listed["contracts"], key=key, reverse=reverse)]
    params = {"supplier": listed["supplier"]["id"], "sort": sort, "limit": 2}
    got, pages = [], 0
    url = "/api/v1/contracts"
    while True:
        r = api.get(url, role="finance_director", params=params)
        body = expect(r, 200)
        got += refs(body)
        pages += 1
        if body["next"] is None:
            assert "Link" not in r.headers
            break
        assert 'rel="next"' in r.headers["Link"] and f"after={body['next']}" in r.headers["Link"]
        params["after"] = body["next"]
    assert got == want and pages == 3


def test_list_default_order_and_updated_since(api, listed):
    params = {"supplier": listed["supplier"]["id"], "limit": 4}
    first = expect(api.get("/api/v1/contracts", role="finance_director", params=params), 200)
    assert len(first["items"]) == 4 and first["next"]
    rest = expect(api.get("/api/v1/contracts", role="finance_director", params={**params, "after": first["next"]}), 200)
    assert refs(first) + refs(rest) == [c["reference"] for c in listed["contracts"]]
    since = listed["contracts"][3]["updated_at"]
    got = expect(api.get("/api/v1/contracts", role="finance_director",
                         params={"supplier": listed["supplier"]["id"], "updated_since": since}), 200)
    assert refs(got) == [c["reference"] for c in listed["contracts"][3:]]
    # a cursor of one sort is refused by another
    problem(api.get("/api/v1/contracts", role="finance_director",
                    params={**params, "sort": "reference", "after": first["next"]}), 422, fields=["query:after"])


def test_list_etag_304(api, listed):
    params = {"supplier": listed["supplier"]["id"]}
    r = api.get("/api/v1/contracts", role="auditor", params=params)
    expect(r, 200)
    r2 = api.get("/api/v1/contracts", role="auditor", params=params, headers={"If-None-Match": r.headers["ETag"]})
    assert r2.status_code == 304


@pytest.mark.parametrize("params,field", [
    ({"status": "open"}, "query:status"), ({"category": "food"}, "query:category"),
    ({"supplier": "x"}, "query:supplier"), ({"school": "12345"}, "query:school"),
    ({"school": "999999"}, "query:school"), ({"expiring_within_days": "-1"}, "query:expiring_within_days"),
    ({"notice_within_days": "3651"}, "query:notice_within_days"), ({"sort": "price"}, "query:sort"),
    ({"sort": "-updated_at"}, "query:sort"), ({"after": "nonsense"}, "query:after"),
    ({"sort": "value", "after": "value.zz.1"}, "query:after"), ({"limit": "0"}, "query:limit"),
    ({"updated_since": "yesterday"}, "query:updated_since"), ({"q": ""}, "query:q"), ({"colour": "red"}, "query:colour")])
def test_list_bad_query(api, params, field):
    problem(api.get("/api/v1/contracts", role="finance_director", params=params), 422, fields=[field])


# ---- the demo register ----

def test_demo_register(api):
    items = expect(api.get("/api/v1/contracts", role="auditor", params={"q": "-20", "limit": 1000}), 200)["items"]
    seeded = [c for c in items if c["reference"][:3] in
              ("CAT", "CLN", "ICT", "PAY", "INS", "NRG", "WAT", "AUD", "LEG", "GRD", "WST", "CPY", "SUP", "CMP", "OTH")]
    assert 20 <= len(seeded) <= 30, len(seeded)
    assert len({c["category"] for c in seeded}) == 15
    assert any(c["school"] is None for c in seeded) and len({c["school"] for c in seeded}) >= 6
    assert any(c["extension_options"] == [12, 12] for c in seeded)
    assert any(c["auto_renew"] for c in seeded)
    assert any(c["status"] == "draft" and not c["compliance"]["compliant"] for c in seeded)
    assert any("related_party" in [w["code"] for w in c["compliance"]["warnings"]] for c in seeded)
    for c in seeded:
        if c["status"] == "active":
            assert c["compliance"]["compliant"] or c["exception"], c["reference"]
            assert c["approval"] is not None and (c["approval"]["level"] != "board" or c["approval"]["board_minute"])
    assert {"waiver", "breach_acknowledgement"} <= {c["exception"]["kind"] for c in seeded if c["exception"]}
    # the seed's dates are relative to the day it was loaded: some end within the next year
    ends = sql_value("SELECT COUNT(*) FROM contracts WHERE status = 'active' AND "
                     "current_end BETWEEN CURDATE() AND CURDATE() + INTERVAL 1 YEAR")
    assert int(ends) >= 3


def test_stored_dates_match_the_derived_ones(api):
    """The generated columns (filters, sorts) compute what procure.c computes."""
    db = {r[0]: r[1:] for r in sql_rows("SELECT reference, IFNULL(current_end, 'None'), IFNULL(final_end, 'None'), "
                                        "IFNULL(notice_by, 'None') FROM contracts")}
    body = expect(api.get("/api/v1/contracts", role="auditor", params={"limit": 1000}), 200)
    for c in body["items"]:
        # an auto-renewing contract with no end gives notice before its next renewal (issue 15), which depends
        # on today: no stored column has it
        notice = "None" if c["current_end"] is None else str(c["notice_by"])
        assert db[c["reference"]] == [str(c["current_end"]), str(c["final_end"]), notice], c["reference"]
