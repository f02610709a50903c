"""Forecast scenarios (issue 7): GET/POST /api/v1/scenarios, GET/PUT/DELETE
/api/v1/scenarios/{id}: the seeded demo scenarios, validation of every assumption with
its JSON Pointer, If-Match, the audit trail, tombstones, roles."""
import json

import pytest

from conftest import audit_max, expect, problem, sql_rows, sql_value, unchanged

URL = "/api/v1/scenarios"
ALL_Q = "SELECT id, name, version, deleted_at, spec_json FROM scenarios ORDER BY id"


def body(name, **kw):
    b = {"name": name, "description": "pytest", "base_year": "2026-27", "horizon": 4,
         "assumptions": {"funding_per_pupil_bp": {"2027-28": 210, "2028-29": 100},
                         "teacher_pay_bp": {"2027-28": 250},
                         "inflation_bp": {"cpi": {"2027-28": 300}, "energy": {"2027-28": 500}},
                         "base_support_pay_bp": 300},
         "pupils": {"159904": {"2027-28": 500}}}
    b.update(kw)
    return b


def create(api, b, role="finance_director"):
    return api.post(URL, role=role, json=b)


def test_the_demo_scenarios(api):
    r = api.get(URL, role="finance_director")
    items = expect(r, 200)["items"]
    names = {s["name"]: s for s in items}
    assert {"expected", "cautious", "optimistic"} <= set(names)
    for n in ("expected", "cautious", "optimistic"):
        s = names[n]
        assert s["base_year"] == "2026-27" and s["horizon"] == 5 and s["deleted"] is False
        full = expect(api.get(f"{URL}/{s['id']}", role="auditor"), 200)
        a = full["assumptions"]
        # every assumption is there, in the stored (normalised) form (staff_rate_changes when there are any)
        assert set(a) - {"staff_rate_changes"} == {
            "funding_per_pupil_bp", "place_rate_pence", "teacher_pay_bp", "support_pay_bp",
            "teacher_oncost_bp", "support_oncost_bp", "inflation_bp", "retender_change_bp",
            "base_support_pay_bp", "base_teacher_oncost_bp", "base_support_oncost_bp",
            "base_teacher_oncost_unbudgeted_bp", "base_support_oncost_unbudgeted_bp"}
        assert ("staff_rate_changes" in a) == (n == "cautious")
        assert {"cpi", "energy", "nlw"} <= set(a["inflation_bp"])
    exp = expect(api.get(f"{URL}/{names['expected']['id']}", role="finance_director"), 200)
    # domain.md section 8 (issue 15): the September 2026 award (3.5%) is in the base budgets;
    # teachers +3% in September 2027 as announced, then +2.5%; support +3.3% in April 2027
    # (the base year's own April) then +3%
    assert exp["assumptions"]["teacher_pay_bp"] == {"2027-28": 300, "2028-29": 250}
    assert exp["assumptions"]["base_support_pay_bp"] == 330
    assert exp["assumptions"]["support_pay_bp"] == {"2027-28": 300}
    assert exp["assumptions"]["funding_per_pupil_bp"] == {"2027-28": 210, "2028-29": 100}
    assert exp["assumptions"]["inflation_bp"]["cpi"] == {"2027-28": 300, "2028-29": 250, "2029-30": 200}
    assert exp["assumptions"]["inflation_bp"]["nlw"] == {"2027-28": 410}
    assert exp["overrides"] == {"finance_model": {}, "plugin_settings": {}} and exp["actions"] == []
    cau = expect(api.get(f"{URL}/{names['cautious']['id']}", role="finance_director"), 200)
    assert cau["assumptions"]["teacher_pay_bp"] == {"2027-28": 400}
    assert cau["assumptions"]["funding_per_pupil_bp"] == {"2027-28": 100}
    # the TPS employer rate rise from April 2027 (the base year's April), its rate in the description
    assert cau["assumptions"]["base_teacher_oncost_unbudgeted_bp"] == 141 and cau["assumptions"]["base_teacher_oncost_bp"] == 0 and cau["assumptions"]["teacher_oncost_bp"] == {}
    assert "30.68%" in cau["description"] and "April 2027" in cau["description"]
    # and, for the entities planning by post, the rate itself from April 2027 (issue 16)
    assert cau["assumptions"]["staff_rate_changes"] == [{"scheme": "tps", "from": "2027-04", "rate_bp": 3068}]
    assert cau["pupils"]["159904"]["2031-32"] < exp["pupils"]["159904"]["2030-31"]
    # the seeded what-if: expected with the Southend schools pooled, for its runs only
    wi = [s for s in items if s["name"] == "expected — Southend pooled too"]
    assert len(wi) == 1
    wi = expect(api.get(f"{URL}/{wi[0]['id']}", role="auditor"), 200)
    assert wi["overrides"]["finance_model"] == {"159907": "central", "159908": "central", "159909": "central"}
    assert {k: wi[k] for k in ("assumptions", "pupils", "places", "base_year", "horizon")} == \
        {k: exp[k] for k in ("assumptions", "pupils", "places", "base_year", "horizon")}
    assert sql_value("SELECT GROUP_CONCAT(finance_model ORDER BY urn) FROM schools WHERE urn IN "
                     "('159907', '159908', '159909')") == "local,local,local"
    # the seeds are stored in the normalised form the API writes
    for s in items:
        if s["name"] in ("expected", "cautious", "optimistic", "expected — Southend pooled too"):
            full = expect(api.get(f"{URL}/{s['id']}", role="auditor"), 200)
            stored = json.loads(sql_value(f"SELECT spec_json FROM scenarios WHERE id = {s['id']}"))
            assert stored == {k: full[k] for k in ("assumptions", "pupils", "places", "overrides", "actions")}
            assert list(stored) == ["assumptions", "pupils", "places", "overrides", "actions"]


def test_roles(api):
    sid = int(sql_value("SELECT id FROM scenarios WHERE name = 'expected'"))
    for role in ("business_manager", "school_system", "admin"):
        problem(api.get(URL, role=role), 403)
        problem(api.get(f"{URL}/{sid}", role=role), 403)
    with unchanged(ALL_Q):
        for role in ("auditor", "business_manager"):
            problem(create(api, body("pytest roles"), role=role), 403)


def test_create_get_put_delete(api):
    a0 = audit_max()
    r = create(api, body("pytest lifecycle"))
    s = expect(r, 201)
    sid = s["id"]
    assert r.headers["Location"] == f"{URL}/{sid}"
    assert r.headers["ETag"] == f'"{s["version"]}"' and s["version"] == 1
    assert s["assumptions"]["teacher_pay_bp"] == {"2027-28": 250}
    assert s["assumptions"]["support_oncost_bp"] == {} and s["assumptions"]["base_support_pay_bp"] == 300
    assert s["pupils"] == {"159904": {"2027-28": 500}} and s["places"] == {}
    assert s["horizon"] == 4 and s["base_year"] == "2026-27"
    rows = sql_rows(f"SELECT action, entity, entity_id FROM audit_log WHERE id > {a0} ORDER BY id")
    assert rows == [["create", "scenario", str(sid)]]

    g = api.get(f"{URL}/{sid}", role="finance_director")
    assert expect(g, 200) == s
    assert api.get(f"{URL}/{sid}", role="finance_director", headers={"If-None-Match": g.headers["ETag"]}).status_code == 304

    # PUT: If-Match required, stale refused, nothing changed
    with unchanged(ALL_Q):
        problem(api.put(f"{URL}/{sid}", role="finance_director", json=s), 428)
        problem(api.put(f"{URL}/{sid}", role="finance_director", json=s, headers={"If-Match": '"7"'}), 412)
    s2 = dict(s, horizon=5)
    s2["assumptions"] = dict(s["assumptions"], teacher_pay_bp={"2027-28": 300, "2029-30": 200})
    r = api.put(f"{URL}/{sid}", role="finance_director", json=s2, headers={"If-Match": g.headers["ETag"]})
    u = expect(r, 200)
    assert u["version"] == 2 and u["horizon"] == 5
    assert u["assumptions"]["teacher_pay_bp"] == {"2027-28": 300, "2029-30": 200}
    before, after = sql_rows(f"SELECT before_json, after_json FROM audit_log WHERE entity = 'scenario' "
                             f"AND entity_id = '{sid}' AND action = 'update'")[0]
    assert json.loads(before)["version"] == 1 and json.loads(after)["version"] == 2

    # DELETE: a tombstone
    with unchanged(ALL_Q):
        problem(api.delete(f"{URL}/{sid}", role="finance_director"), 428)
        problem(api.delete(f"{URL}/{sid}", role="finance_director", headers={"If-Match": '"1"'}), 412)
    since = sql_value("SELECT DATE_FORMAT(UTC_TIMESTAMP(6) - INTERVAL 1 HOUR, '%Y-%m-%dT%H:%i:%sZ')")
    r = api.delete(f"{URL}/{sid}", role="finance_director", headers={"If-Match": r.headers["ETag"]})
    assert r.status_code == 204
    problem(api.get(f"{URL}/{sid}", role="finance_director"), 404)
    assert sid not in [i["id"] for i in expect(api.get(URL, role="finance_director"), 200)["items"]]
    feed = expect(api.get(URL, role="finance_director", params={"updated_since": since, "limit": 1000}), 200)["items"]
    tomb = [i for i in feed if i["id"] == sid]
    assert tomb and tomb[0]["deleted"] is True and "base_year" not in tomb[0]
    assert sql_value(f"SELECT action FROM audit_log WHERE entity = 'scenario' AND entity_id = '{sid}' "
                     "ORDER BY id DESC LIMIT 1") == "delete"
    # the name is free again
    expect(create(api, body("pytest lifecycle")), 201)


def test_duplicate_name_is_409(api):
    expect(create(api, body("pytest twice")), 201)
    with unchanged(ALL_Q):
        p = problem(create(api, body("pytest twice")), 409, "conflict")
    assert "/name" in [e["field"] for e in p.get("errors", [])]


@pytest.mark.parametrize("patch, field", [
    ({"assumptions": {"teacher_pay_bp": {"2026-27": 250}}}, "/assumptions/teacher_pay_bp/2026-27"),
    ({"assumptions": {"teacher_pay_bp": {"2037-38": 250}}}, "/assumptions/teacher_pay_bp/2037-38"),
    ({"assumptions": {"funding_per_pupil_bp": {"2027-28": -10001}}}, "/assumptions/funding_per_pupil_bp/2027-28"),
    ({"assumptions": {"inflation_bp": {"cpi": {"2027-28": -20000}}}}, "/assumptions/inflation_bp/cpi/2027-28"),
    ({"assumptions": {"support_pay_bp": {"2027-28": 2.5}}}, "/assumptions/support_pay_bp/2027-28"),
    ({"assumptions": {"place_rate_pence": {"2027-28": -1}}}, "/assumptions/place_rate_pence/2027-28"),
    ({"assumptions": {"base_support_pay_bp": -10001}}, "/assumptions/base_support_pay_bp"),
    ({"assumptions": {"nlw_bp": {}}}, "/assumptions/nlw_bp"),
    ({"pupils": {"159904": {"2027-28": -1}}}, "/pupils/159904/2027-28"),
    ({"pupils": {"999999": {"2027-28": 100}}}, "/pupils/999999"),
    ({"pupils": {"central": {}}}, "/pupils/central"),
    ({"places": {"159906": {"2027-28": -3}}}, "/places/159906/2027-28"),
    ({"horizon": 0}, "/horizon"),
    ({"horizon": 11}, "/horizon"),
    ({"base_year": "2026/27"}, "/base_year"),
    ({"name": ""}, "/name"),
    ({"colour": "red"}, "/colour"),
])
def test_bad_scenarios_are_422(api, patch, field):
    b = body("pytest bad")
    for k, v in patch.items():
        b[k] = v
    with unchanged(ALL_Q):
        p = problem(create(api, b), 422, "validation")
    assert field in [e["field"] for e in p["errors"]], p


def test_every_error_at_once(api):
    b = body("pytest many", horizon=0)
    b["assumptions"] = {"teacher_pay_bp": {"2020-21": 1}, "support_pay_bp": {"2027-28": -10001}}
    b["pupils"] = {"159904": {"2027-28": -5}}
    with unchanged(ALL_Q):
        p = problem(create(api, b), 422)
    fields = {e["field"] for e in p["errors"]}
    assert {"/horizon", "/assumptions/teacher_pay_bp/2020-21", "/assumptions/support_pay_bp/2027-28",
            "/pupils/159904/2027-28"} <= fields


def test_list_filters_and_paging(api):
    for i in range(3):
        expect(create(api, body(f"pytest page {i}", base_year="2031-32", assumptions={}, pupils={})), 201)
    r = api.get(URL, role="finance_director", params={"base_year": "2031-32", "limit": 2})
    page = expect(r, 200)
    assert len(page["items"]) == 2 and page["next"] and 'rel="next"' in r.headers["Link"]
    rest = expect(api.get(URL, role="finance_director", params={"base_year": "2031-32", "after": page["next"]}), 200)
    assert len(page["items"]) + len(rest["items"]) == 3
    problem(api.get(URL, role="finance_director", params={"base_year": "2031"}), 422)
    problem(api.get(URL, role="finance_director", params={"colour": "red"}), 422)
