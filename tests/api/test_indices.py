"""The index history (issue 15, item 3): GET /api/v1/indices and GET|PUT|DELETE
/api/v1/indices/{name}. The finance director keeps it (audited, versioned, If-Match); auditors
and business managers read it; bad input is 422 with a pointer for each field; a stale If-Match
changes nothing. The demo seeds cpi, nlw and energy for 2020-21 .. 2026-27 (schema/seed/055)."""
import pytest

from conftest import audit_max, expect, problem, sql_rows, unchanged

URL = "/api/v1/indices"
STATE_Q = "SELECT name, description, version, deleted_at FROM indices ORDER BY name"
VALUES_Q = "SELECT index_name, year, bp, note FROM index_values ORDER BY index_name, year"


def test_seeded_history_and_who_reads(api):
    body = expect(api.get(URL, role="finance_director"), 200)
    assert body["next"] is None
    by = {i["name"]: i for i in body["items"]}
    assert {"cpi", "nlw", "energy"} <= set(by)
    assert [i["name"] for i in body["items"]] == sorted(by)
    nlw = by["nlw"]
    assert nlw["values"] == {"2020-21": 620, "2021-22": 220, "2022-23": 660, "2023-24": 970, "2024-25": 980,
                             "2025-26": 670, "2026-27": 410}
    assert nlw["notes"]["2026-27"] == "NLW April 2026: £12.71 (+4.1%)"
    assert by["cpi"]["values"]["2024-25"] == 170 and by["cpi"]["values"]["2025-26"] == 380
    assert nlw["default_bp"] == 300
    for role in ("auditor", "business_manager"):
        assert expect(api.get(URL, role=role), 200) == body
        r = api.get(f"{URL}/nlw", role=role)
        assert expect(r, 200) == nlw and r.headers["ETag"] == f'"{nlw["version"]}"'
    for role in ("school_system", "admin"):
        problem(api.get(URL, role=role), 403)
    problem(api.get(f"{URL}/nope", role="finance_director"), 404)
    problem(api.get(f"{URL}/Bad-Name", role="finance_director"), 404)


def test_create_replace_delete(api):
    a0 = audit_max()
    body = {"description": "Pytest index", "values": {"2024-25": 150, "2025-26": -25}, "notes": {"2024-25": "a note"}}
    r = api.put(f"{URL}/pytest_ix", role="finance_director", json=body)
    made = expect(r, 201)
    assert r.headers["Location"] == f"{URL}/pytest_ix" and r.headers["ETag"] == '"1"'
    assert made["values"] == {"2024-25": 150, "2025-26": -25} and made["notes"] == {"2024-25": "a note"}
    assert made["name"] == "pytest_ix" and made["version"] == 1
    assert sql_rows(f"SELECT action, entity, entity_id FROM audit_log WHERE id > {a0}") == \
        [["create", "index", "pytest_ix"]]
    got = api.get(f"{URL}/pytest_ix", role="auditor")
    assert expect(got, 200) == made
    assert api.get(f"{URL}/pytest_ix", role="auditor", headers={"If-None-Match": '"1"'}).status_code == 304
    # it exists: a PUT needs If-Match (428), a stale one is 412, and neither changes anything
    with unchanged(STATE_Q, VALUES_Q):
        problem(api.put(f"{URL}/pytest_ix", role="finance_director", json=body), 428)
        problem(api.put(f"{URL}/pytest_ix", role="finance_director", json=dict(body, values={"2024-25": 1}),
                        headers={"If-Match": '"7"'}), 412)
    # GET-modify-PUT: the read-only members are accepted back
    out = expect(api.put(f"{URL}/pytest_ix", role="finance_director",
                         json=dict(made, values={"2026-27": 300}, notes={}), headers={"If-Match": '"1"'}), 200)
    assert out["version"] == 2 and out["values"] == {"2026-27": 300} and out["notes"] == {}
    # delete: a tombstone; the name can be created again, its version moving on
    with unchanged(STATE_Q, VALUES_Q):
        problem(api.delete(f"{URL}/pytest_ix", role="finance_director", headers={"If-Match": '"1"'}), 412)
        problem(api.delete(f"{URL}/pytest_ix", role="business_manager", headers={"If-Match": '"2"'}), 403)
    expect(api.delete(f"{URL}/pytest_ix", role="finance_director", headers={"If-Match": '"2"'}), 204, None)
    problem(api.get(f"{URL}/pytest_ix", role="finance_director"), 404)
    assert sql_rows("SELECT COUNT(*) FROM index_values WHERE index_name = 'pytest_ix'") == [["0"]]
    again = expect(api.put(f"{URL}/pytest_ix", role="finance_director", json={"values": {}}), 201)
    assert again["version"] == 4 and again["values"] == {} and again["description"] == ""
    assert [r[0] for r in sql_rows(f"SELECT action FROM audit_log WHERE id > {a0} AND entity = 'index'")] == \
        ["create", "update", "delete", "create"]


def test_only_the_finance_director_writes(api):
    with unchanged(STATE_Q, VALUES_Q):
        for role in ("business_manager", "auditor", "school_system"):
            problem(api.put(f"{URL}/cpi", role=role, json={"values": {}}, headers={"If-Match": '"1"'}), 403)
            problem(api.delete(f"{URL}/cpi", role=role, headers={"If-Match": '"1"'}), 403)


@pytest.mark.parametrize("body,fields", [
    ({"values": {"2026": 300}}, ["/values/2026"]),
    ({"values": {"1999-00": 300}}, ["/values/1999-00"]),
    ({"values": {"2026-28": 300}}, ["/values/2026-28"]),
    ({"values": {"2026-27": 100001}}, ["/values/2026-27"]),
    ({"values": {"2026-27": -10001}}, ["/values/2026-27"]),
    ({"values": {"2026-27": 2.5}}, ["/values/2026-27"]),
    ({"values": {"2026-27": "300"}}, ["/values/2026-27"]),
    ({"values": {"2026-27": 300}, "notes": {"2025-26": "no value that year"}}, ["/notes/2025-26"]),
    ({"values": {"2026-27": 300}, "notes": {"2026-27": "=SUM(A1)"}}, ["/notes/2026-27"]),
    ({"values": {"2026-27": 300}, "description": "x" * 501}, ["/description"]),
    ({"description": "no values"}, ["/values"]),
    ({"values": [], "bogus": 1}, ["/values", "/bogus"]),
    ({"values": {}, "name": "other"}, ["/name"]),
])
def test_bad_input_names_each_field(api, body, fields):
    with unchanged(STATE_Q, VALUES_Q):
        p = problem(api.put(f"{URL}/pytest_bad", role="finance_director", json=body), 422)
    assert sorted(e["field"] for e in p["errors"]) == sorted(fields)


def test_bad_names_and_queries(api):
    with unchanged(STATE_Q, VALUES_Q):
        problem(api.put(f"{URL}/{'x' * 21}", role="finance_director", json={"values": {}}), 404)
        problem(api.put(f"{URL}/UPPER", role="finance_director", json={"values": {}}), 404)
        problem(api.get(URL, role="finance_director", params={"limit": 5}), 422)
