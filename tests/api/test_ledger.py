"""The ledger mapping (issue 17; README "Monitoring: the ledger and actuals"): the trust's cost
centres (each an entity) and nominal codes (each an account), versioned, audited, written by the
finance director and read by the trust roles."""
import json

import pytest

from conftest import audit_max, expect, problem, sql_rows, unchanged

CC = "/api/v1/ledger/cost-centres"
NOM = "/api/v1/ledger/nominals"


def test_cost_centre_life(api, first_urn):
    a0 = audit_max()
    r = api.post(CC, role="finance_director", json={"code": "TL-CC1", "urn": first_urn, "description": "Oak"})
    cc = expect(r, 201)
    assert r.headers["Location"] == f"{CC}/TL-CC1"
    assert r.headers["ETag"] == '"1"'
    assert {k: cc[k] for k in ("code", "urn", "description", "version")} == \
        {"code": "TL-CC1", "urn": first_urn, "description": "Oak", "version": 1}
    got = expect(api.get(f"{CC}/TL-CC1", role="auditor"), 200)
    assert got == cc
    # a PUT moves it to the central team, with If-Match
    r = api.put(f"{CC}/TL-CC1", role="finance_director", json={"urn": "central"}, headers={"If-Match": '"1"'})
    cc2 = expect(r, 200)
    assert cc2["urn"] == "central" and cc2["version"] == 2 and cc2["description"] == ""
    # stale and missing If-Match change nothing
    with unchanged("SELECT * FROM ledger_cost_centres WHERE code = 'TL-CC1'"):
        problem(api.put(f"{CC}/TL-CC1", role="finance_director", json={"urn": first_urn},
                        headers={"If-Match": '"1"'}), 412)
        problem(api.put(f"{CC}/TL-CC1", role="finance_director", json={"urn": first_urn}), 428)
        problem(api.delete(f"{CC}/TL-CC1", role="finance_director", headers={"If-Match": '"1"'}), 412)
        problem(api.delete(f"{CC}/TL-CC1", role="finance_director"), 428)
    expect(api.delete(f"{CC}/TL-CC1", role="finance_director", headers={"If-Match": '"2"'}), 204, None)
    problem(api.get(f"{CC}/TL-CC1", role="auditor"), 404)
    rows = sql_rows(f"SELECT action, entity_id, before_json IS NULL, after_json IS NULL FROM audit_log "
                    f"WHERE id > {a0} AND entity = 'ledger_cost_centre' ORDER BY id")
    assert rows == [["create", "TL-CC1", "1", "0"], ["update", "TL-CC1", "0", "0"], ["delete", "TL-CC1", "0", "1"]]
    after = json.loads(sql_rows(f"SELECT after_json FROM audit_log WHERE id > {a0} AND "
                                f"entity = 'ledger_cost_centre' AND action = 'update'")[0][0])
    assert after["urn"] == "central"


def test_nominal_life(api):
    a0 = audit_max()
    r = api.post(NOM, role="finance_director", json={"code": "TL/4000.1", "account_code": "E02",
                                                      "description": "Supply teachers"})
    nom = expect(r, 201)
    # a "/" in a code is %2F in its path
    assert r.headers["Location"] == f"{NOM}/TL%2F4000.1"
    assert nom["account_code"] == "E02" and nom["code"] == "TL/4000.1"
    assert expect(api.get(f"{NOM}/TL%2F4000.1", role="finance_director"), 200) == nom
    r = api.put(f"{NOM}/TL%2F4000.1", role="finance_director",
                json={**nom, "account_code": "E26"}, headers={"If-Match": '"1"'})
    assert expect(r, 200)["account_code"] == "E26"
    # the code in the body must be the path's
    problem(api.put(f"{NOM}/TL%2F4000.1", role="finance_director", json={"code": "X", "account_code": "E26"},
                    headers={"If-Match": '"2"'}), 422, "validation", fields=["/code"])
    expect(api.delete(f"{NOM}/TL%2F4000.1", role="finance_director", headers={"If-Match": '"2"'}), 204, None)
    assert sql_rows(f"SELECT action FROM audit_log WHERE id > {a0} AND entity = 'ledger_nominal' ORDER BY id") == \
        [["create"], ["update"], ["delete"]]


def test_duplicate_and_unknown_targets(api, first_urn):
    expect(api.post(NOM, role="finance_director", json={"code": "TL-5000", "account_code": "E16"}), 201)
    with unchanged("SELECT * FROM ledger_nominals", "SELECT * FROM ledger_cost_centres"):
        p = problem(api.post(NOM, role="finance_director", json={"code": "TL-5000", "account_code": "E02"}), 409,
                    fields=["/code"])
        assert "already" in p["detail"]
        problem(api.post(NOM, role="finance_director", json={"code": "TL-5001", "account_code": "Z99"}), 422,
                "validation", fields=["/account_code"])
        problem(api.post(CC, role="finance_director", json={"code": "TL-CC9", "urn": "999999"}), 422,
                "validation", fields=["/urn"])
        problem(api.post(CC, role="finance_director", json={"code": "TL-CC9", "urn": "nope"}), 422,
                "validation", fields=["/urn"])
        problem(api.post(CC, role="finance_director", json={"code": "bad code!", "urn": first_urn}), 422,
                "validation", fields=["/code"])
        problem(api.post(CC, role="finance_director", json={"code": "X" * 21, "urn": first_urn}), 422,
                "validation", fields=["/code"])
        problem(api.post(CC, role="finance_director", json={"urn": first_urn}), 422, "validation", fields=["/code"])
        problem(api.post(CC, role="finance_director", json={"code": "TL-CC9", "urn": first_urn, "x": 1}), 422,
                "validation", fields=["/x"])
        problem(api.put(f"{NOM}/TL-5000", role="finance_director", json={"account_code": "Z99"},
                        headers={"If-Match": '"1"'}), 422, "validation", fields=["/account_code"])
        problem(api.put(f"{NOM}/TL-NONE", role="finance_director", json={"account_code": "E02"},
                        headers={"If-Match": '"1"'}), 404)
        problem(api.get(f"{NOM}/bad%20code", role="finance_director"), 404)


def test_ledger_roles(api, first_urn):
    expect(api.post(CC, role="finance_director", json={"code": "TL-CCR", "urn": first_urn}), 201)
    for role in ("business_manager", "school_system", "auditor", "admin"):
        problem(api.post(CC, role=role, json={"code": "TL-CCX", "urn": first_urn}), 403)
        problem(api.put(f"{CC}/TL-CCR", role=role, json={"urn": first_urn}, headers={"If-Match": '"1"'}), 403)
        problem(api.delete(f"{NOM}/TL-CCR", role=role, headers={"If-Match": '"1"'}), 403)
    for role in ("business_manager", "school_system", "admin"):
        problem(api.get(CC, role=role), 403)
        problem(api.get(f"{NOM}", role=role), 403)
    expect(api.get(f"{CC}/TL-CCR", role="auditor"), 200)


def test_ledger_lists_page(api, first_urn, school_urns):
    for i, urn in enumerate(school_urns[:3]):
        expect(api.post(CC, role="finance_director", json={"code": f"TL-P{i}", "urn": urn}), 201)
    seen, after = [], None
    while True:
        r = api.get(CC, role="auditor", params={"limit": 2, **({"after": after} if after else {})})
        body = expect(r, 200)
        seen += [c["code"] for c in body["items"]]
        if body["next"] is None:
            break
        after = body["next"]
    assert {"TL-P0", "TL-P1", "TL-P2"} <= set(seen)
    assert len(seen) == len(set(seen))


def test_lists_as_spreadsheets(api, first_urn):
    expect(api.post(CC, role="finance_director", json={"code": "TL-X1", "urn": first_urn, "description": "Oak"}), 201)
    expect(api.post(NOM, role="finance_director", json={"code": "TL-X/2", "account_code": "E16",
                                                         "description": "Energy, gas"}), 201)
    r = api.get(CC, role="auditor", headers={"Accept": "text/csv"})
    expect(r, 200, None)
    assert r.headers["Content-Type"].startswith("text/csv")
    assert "ledger-cost-centres.csv" in r.headers["Content-Disposition"]
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "code,urn,description"
    assert f"TL-X1,{first_urn},Oak" in lines
    r = api.get(NOM, role="finance_director", headers={"Accept": "text/csv"})
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "code,account_code,description" and 'TL-X/2,E16,"Energy, gas"' in lines
    codes = [l.split(",")[0] for l in lines[1:]]
    assert codes == sorted(codes)
    import io

    import openpyxl
    r = api.get(NOM, role="auditor",
                headers={"Accept": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    expect(r, 200, None)
    assert r.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = [tuple(c.value for c in row) for row in ws.iter_rows()]
    assert rows[0] == ("code", "account_code", "description")
    assert ("TL-X/2", "E16", "Energy, gas") in rows
    problem(api.get(NOM, role="business_manager", headers={"Accept": "text/csv"}), 403)
