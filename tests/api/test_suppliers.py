"""/api/v1/suppliers: create, read, replace, delete (409 while it has contracts), the checks of a
Companies House number and a UK VAT number, filters and paging, roles."""
import uuid

import pytest

from apiclient import supplier_body
from conftest import audit_max, error_fields, expect, problem, sql_rows, sql_value, unchanged
from test_contracts import create_contract

SUPPLIERS_Q = "SELECT * FROM suppliers ORDER BY id"
FIELDS = {"id", "name", "companies_house_number", "vat_number", "contact_name", "contact_email", "contact_phone",
          "related_party", "version", "created_at", "updated_at"}


def body(**kw):
    return supplier_body(**kw)


def create(api, **kw):
    r = api.post("/api/v1/suppliers", role="finance_director", json=body(**kw))
    return expect(r, 201), r


def test_seeded_suppliers(api):
    items = expect(api.get("/api/v1/suppliers", role="auditor", params={"limit": 1000}), 200)["items"]
    assert len(items) >= 15
    for s in items:
        assert set(s) == FIELDS
    rel = expect(api.get("/api/v1/suppliers", role="auditor", params={"related_party": "true", "limit": 1000}), 200)
    assert rel["items"] and all(s["related_party"] is True for s in rel["items"])


def test_create_get_and_audit(api):
    a0 = audit_max()
    s, r = create(api)
    assert set(s) == FIELDS and s["version"] == 1
    assert r.headers["Location"] == f"/api/v1/suppliers/{s['id']}" and r.headers["ETag"] == '"1"'
    g = api.get(f"/api/v1/suppliers/{s['id']}", role="business_manager")
    assert expect(g, 200) == s
    assert api.get(f"/api/v1/suppliers/{s['id']}", role="auditor",
                   headers={"If-None-Match": g.headers["ETag"]}).status_code == 304
    assert ["create", str(s["id"])] in sql_rows(
        f"SELECT action, entity_id FROM audit_log WHERE id > {a0} AND entity = 'supplier'")


@pytest.mark.parametrize("field,value", [
    ("companies_house_number", "SC123456"), ("companies_house_number", None), ("vat_number", None),
    ("vat_number", "GB999999973001"),   # a branch: the first nine digits are the number
    ("vat_number", "GBGD001"), ("vat_number", "GBHA599"), ("contact_email", ""), ("contact_phone", "")])
def test_valid_forms(api, field, value):
    if field == "companies_house_number" and value:
        value = f"SC{uuid.uuid4().int % 10 ** 6:06d}"
    s, _ = create(api, **{field: value})
    assert s[field] == value


BAD = [
    ("name", None), ("name", ""), ("name", "x" * 201),
    ("companies_house_number", "1234567"), ("companies_house_number", "123456789"),
    ("companies_house_number", "sc123456"), ("companies_house_number", "S1234567"), ("companies_house_number", 12345678),
    ("vat_number", "123456789"), ("vat_number", "GB12345678"), ("vat_number", "GB 999 9999 73"),
    ("vat_number", "GB123456789"),           # check digits wrong
    ("vat_number", "GBGD500"), ("vat_number", "GBHA499"), ("vat_number", "XI999999973"),
    ("contact_email", "sam"), ("contact_email", "sam@"), ("contact_email", "@example.org"), ("contact_email", "a@b@c.org"),
    ("contact_phone", "020-7946-0000 ext 12"), ("related_party", "yes"), ("website", "https://example.org"),
]


@pytest.mark.parametrize("field,value", BAD)
def test_bad_input_names_the_field(api, field, value):
    p = problem(api.post("/api/v1/suppliers", role="finance_director", json=body(**{field: value})), 422)
    assert f"/{field}" in error_fields(p)


def test_bad_inputs_write_nothing(api):
    with unchanged(SUPPLIERS_Q):
        for field, value in BAD:
            r = api.post("/api/v1/suppliers", role="finance_director", json=body(**{field: value}))
            assert r.status_code == 422, (field, value)


def test_duplicate_companies_house_number_is_409(api):
    s, _ = create(api)
    with unchanged(SUPPLIERS_Q):
        p = problem(api.post("/api/v1/suppliers", role="finance_director",
                             json=body(companies_house_number=s["companies_house_number"])), 409, "conflict")
    assert "/companies_house_number" in error_fields(p)


def test_put(api):
    s, r = create(api)
    url = f"/api/v1/suppliers/{s['id']}"
    new = {**s, "name": "Renamed Ltd", "related_party": True}
    with unchanged(SUPPLIERS_Q):
        problem(api.put(url, role="finance_director", json=new), 428)
        problem(api.put(url, role="finance_director", json=new, headers={"If-Match": '"2"'}), 412)
        problem(api.put(url, role="finance_director", json={**new, "vat_number": "GB1"}, headers={"If-Match": '"1"'}),
                422, fields=["/vat_number"])
    got = expect(api.put(url, role="finance_director", json=new, headers={"If-Match": r.headers["ETag"]}), 200)
    assert got["name"] == "Renamed Ltd" and got["related_party"] is True and got["version"] == 2
    problem(api.put("/api/v1/suppliers/99999999", role="finance_director", json=new, headers={"If-Match": '"1"'}), 404)


def test_related_party_shows_on_its_contracts(api):
    s, r = create(api)
    c, _ = create_contract(api, s["id"])
    assert "related_party" not in [w["code"] for w in c["compliance"]["warnings"]]
    expect(api.put(f"/api/v1/suppliers/{s['id']}", role="finance_director", json={**s, "related_party": True},
                   headers={"If-Match": r.headers["ETag"]}), 200)
    got = expect(api.get(f"/api/v1/contracts/{c['id']}", role="finance_director"), 200)
    # £12,000 a year incl. VAT with this supplier: declare it; under £40,000, no DfE approval
    warn = [w for w in got["compliance"]["warnings"] if w["code"] == "related_party"]
    assert warn and "declare it to the DfE" in warn[0]["message"] and "£12,000.00 a year" in warn[0]["message"]
    assert got["updated_at"] > c["updated_at"]          # its sync feed moved with the supplier


def test_delete(api):
    s, r = create(api)
    url = f"/api/v1/suppliers/{s['id']}"
    with unchanged(SUPPLIERS_Q):
        problem(api.delete(url, role="finance_director"), 428)
        problem(api.delete(url, role="finance_director", headers={"If-Match": '"5"'}), 412)
    a0 = audit_max()
    assert api.delete(url, role="finance_director", headers={"If-Match": r.headers["ETag"]}).status_code == 204
    problem(api.get(url, role="finance_director"), 404)
    assert sql_rows(f"SELECT action FROM audit_log WHERE id > {a0} AND entity = 'supplier'") == [["delete"]]


def test_delete_with_contracts_is_409_naming_them(api):
    s, r = create(api)
    c1, _ = create_contract(api, s["id"])
    c2, _ = create_contract(api, s["id"])
    with unchanged(SUPPLIERS_Q):
        p = problem(api.delete(f"/api/v1/suppliers/{s['id']}", role="finance_director",
                               headers={"If-Match": r.headers["ETag"]}), 409, "conflict")
    assert c1["reference"] in p["detail"] and c2["reference"] in p["detail"]


def test_list_filter_and_paging(api):
    tag = uuid.uuid4().hex[:8]
    made = [create(api, name=f"Paging {tag} {i} Ltd")[0] for i in range(3)]
    got = expect(api.get("/api/v1/suppliers", role="auditor", params={"q": f"paging {tag}"}), 200)
    assert [s["id"] for s in got["items"]] == [s["id"] for s in made]
    r = api.get("/api/v1/suppliers", role="auditor", params={"q": f"Paging {tag}", "limit": 2})
    first = expect(r, 200)
    assert len(first["items"]) == 2 and first["next"] and 'rel="next"' in r.headers["Link"]
    rest = expect(api.get("/api/v1/suppliers", role="auditor",
                          params={"q": f"Paging {tag}", "limit": 2, "after": first["next"]}), 200)
    assert [s["id"] for s in rest["items"]] == [made[2]["id"]] and rest["next"] is None
    got = expect(api.get("/api/v1/suppliers", role="auditor",
                         params={"q": f"Paging {tag}", "updated_since": made[1]["updated_at"]}), 200)
    assert [s["id"] for s in got["items"]] == [made[1]["id"], made[2]["id"]]


@pytest.mark.parametrize("params,field", [({"related_party": "1"}, "query:related_party"), ({"q": ""}, "query:q"),
                                          ({"sort": "name"}, "query:sort"), ({"limit": "1001"}, "query:limit")])
def test_list_bad_query(api, params, field):
    problem(api.get("/api/v1/suppliers", role="auditor", params=params), 422, fields=[field])


@pytest.mark.parametrize("path,status", [("/api/v1/suppliers/abc", 400), ("/api/v1/suppliers/0", 400),
                                         ("/api/v1/suppliers/99999999", 404)])
def test_bad_ids(api, path, status):
    problem(api.get(path, role="finance_director"), status)


def test_roles(api):
    s, r = create(api)
    n = sql_value("SELECT COUNT(*) FROM suppliers")
    for role in ("business_manager", "auditor", "school_system", "admin"):
        problem(api.post("/api/v1/suppliers", role=role, json=body()), 403)
        problem(api.put(f"/api/v1/suppliers/{s['id']}", role=role, json=s, headers={"If-Match": '"1"'}), 403)
        problem(api.delete(f"/api/v1/suppliers/{s['id']}", role=role, headers={"If-Match": '"1"'}), 403)
    assert sql_value("SELECT COUNT(*) FROM suppliers") == n
    for role in ("finance_director", "business_manager", "auditor"):
        expect(api.get("/api/v1/suppliers", role=role), 200)
