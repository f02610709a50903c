"""Monthly profiles (issue 17, README "Profiles"): the six builtin ones, create/read/update/delete
by the finance director with If-Match, 409 while an account or a budget line names one, `even`
fixed, 412 when stale, 422 for bad weights or names, who may do what, and the audit rows. Also an
account's default profile and BFR line (GET/PUT /api/v1/accounts/{code})."""
import pytest

from conftest import error_fields, expect, problem, sql, sql_rows, sql_value, audit_max
from test_budgets import get_budget, line, put_budget

BUILTIN = {
    "even": [834] * 4 + [833] * 8,
    "term_time": [947, 842, 1053, 790, 1000, 789, 1053, 684, 947, 1053, 842, 0],
    "quarterly_grant": [0, 2500, 0, 0, 2500, 0, 0, 2500, 0, 0, 2500, 0],
    "april_march_grant": [2500, 0, 0, 2500, 0, 0, 2500, 0, 0, 2500, 0, 0],
    "heating": [500, 800, 1100, 1200, 1300, 1200, 1000, 800, 600, 500, 500, 500],
    "annual_september": [10000] + [0] * 11,
}
FIELDS = {"name", "description", "weights_bp", "version", "created_at", "updated_at"}
EXAMS = [0, 0, 0, 0, 0, 0, 0, 0, 5000, 5000, 0, 0]        # exam fees: May and June


def audit(a0, entity="profile"):
    return sql_rows(f"SELECT action, entity_id FROM audit_log WHERE id > {a0} AND entity = '{entity}' ORDER BY id")


def test_the_builtin_profiles(api):
    for role in ("finance_director", "auditor", "business_manager"):
        body = expect(api.get("/api/v1/profiles", role=role), 200)
        assert body["next"] is None
        got = {p["name"]: p for p in body["items"]}
        for name, w in BUILTIN.items():
            assert got[name]["weights_bp"] == w and sum(w) == 10000
            assert set(got[name]) == FIELDS
        assert [p["name"] for p in body["items"]] == sorted(got)
    r = api.get("/api/v1/profiles/term_time", role="business_manager")
    p = expect(r, 200)
    assert p["weights_bp"] == BUILTIN["term_time"] and r.headers["ETag"] == f'"{p["version"]}"'
    assert api.get("/api/v1/profiles/term_time", role="auditor",
                   headers={"If-None-Match": r.headers["ETag"]}).status_code == 304
    problem(api.get("/api/v1/profiles/no_such", role="auditor"), 404)
    problem(api.get("/api/v1/profiles/Not-A-Name", role="auditor"), 404)


def test_roles(api):
    problem(api.get("/api/v1/profiles", role="school_system"), 403)
    problem(api.get("/api/v1/profiles", role="admin"), 403)
    for role in ("business_manager", "auditor", "school_system"):
        problem(api.post("/api/v1/profiles", role=role, json={"name": "x_roles", "weights_bp": EXAMS}), 403)
        problem(api.put("/api/v1/profiles/even", role=role, json={"weights_bp": EXAMS}, headers={"If-Match": '"1"'}), 403)
        problem(api.delete("/api/v1/profiles/heating", role=role, headers={"If-Match": '"1"'}), 403)
        problem(api.put("/api/v1/accounts/E16", role=role, json={"default_profile": "even"},
                        headers={"If-Match": '"1"'}), 403)


def test_create_update_delete_and_audit(api):
    a0 = audit_max()
    r = api.post("/api/v1/profiles", role="finance_director",
                 json={"name": "exam_season", "description": "Exam fees: May and June", "weights_bp": EXAMS})
    p = expect(r, 201)
    assert set(p) == FIELDS and p["version"] == 1 and p["weights_bp"] == EXAMS
    assert r.headers["Location"] == "/api/v1/profiles/exam_season" and r.headers["ETag"] == '"1"'
    assert expect(api.get("/api/v1/profiles/exam_season", role="auditor"), 200) == p
    # the same name again: 409
    problem(api.post("/api/v1/profiles", role="finance_director", json={"name": "exam_season", "weights_bp": EXAMS}), 409)
    # update with If-Match; stale is 412 and changes nothing
    w2 = [0] * 8 + [4000, 6000, 0, 0]
    r = api.put("/api/v1/profiles/exam_season", role="finance_director",
                json={"description": "Exam fees", "weights_bp": w2}, headers={"If-Match": '"1"'})
    p2 = expect(r, 200)
    assert p2["version"] == 2 and p2["weights_bp"] == w2 and r.headers["ETag"] == '"2"'
    problem(api.put("/api/v1/profiles/exam_season", role="finance_director", json={"weights_bp": EXAMS},
                    headers={"If-Match": '"1"'}), 412)
    problem(api.put("/api/v1/profiles/exam_season", role="finance_director", json={"weights_bp": EXAMS}), 428)
    # a GET's body PUT back is fine (read-only fields accepted); another name is 422
    expect(api.put("/api/v1/profiles/exam_season", role="finance_director", json=p2, headers={"If-Match": '"2"'}), 200)
    problem(api.put("/api/v1/profiles/exam_season", role="finance_director", json=dict(p2, name="other"),
                    headers={"If-Match": '"3"'}), 422, fields=["/name"])
    assert expect(api.get("/api/v1/profiles/exam_season", role="auditor"), 200)["version"] == 3
    # delete: stale 412, then 204
    problem(api.delete("/api/v1/profiles/exam_season", role="finance_director", headers={"If-Match": '"2"'}), 412)
    r = api.delete("/api/v1/profiles/exam_season", role="finance_director", headers={"If-Match": '"3"'})
    assert r.status_code == 204, r.text
    problem(api.get("/api/v1/profiles/exam_season", role="auditor"), 404)
    assert audit(a0) == [["create", "exam_season"], ["update", "exam_season"], ["update", "exam_season"],
                         ["delete", "exam_season"]]


@pytest.mark.parametrize("body,field", [
    ({"name": "bad_sum", "weights_bp": [834] * 4 + [833] * 7 + [832]}, "/weights_bp"),      # 9999
    ({"name": "bad_sum2", "weights_bp": [834] * 4 + [833] * 7 + [834]}, "/weights_bp"),     # 10001
    ({"name": "eleven", "weights_bp": [1000] * 10}, "/weights_bp"),
    ({"name": "negative", "weights_bp": [-1, 10001] + [0] * 10}, "/weights_bp"),
    ({"name": "fraction", "weights_bp": [833.5] * 12}, "/weights_bp"),
    ({"name": "text", "weights_bp": "834,834"}, "/weights_bp"),
    ({"name": "Upper", "weights_bp": BUILTIN["even"]}, "/name"),
    ({"name": "9lives", "weights_bp": BUILTIN["even"]}, "/name"),
    ({"name": "a" * 33, "weights_bp": BUILTIN["even"]}, "/name"),
    ({"weights_bp": BUILTIN["even"]}, "/name"),
    ({"name": "no_weights"}, "/weights_bp"),
    ({"name": "extra", "weights_bp": BUILTIN["even"], "colour": "red"}, "/colour"),
])
def test_bad_bodies_are_422(api, body, field):
    a0 = audit_max()
    p = problem(api.post("/api/v1/profiles", role="finance_director", json=body), 422)
    assert field in error_fields(p), p
    assert audit(a0) == []


def test_even_is_fixed(api):
    v = expect(api.get("/api/v1/profiles/even", role="auditor"), 200)["version"]
    problem(api.put("/api/v1/profiles/even", role="finance_director", json={"weights_bp": BUILTIN["heating"]},
                    headers={"If-Match": f'"{v}"'}), 409, "profile-builtin")
    problem(api.delete("/api/v1/profiles/even", role="finance_director", headers={"If-Match": f'"{v}"'}),
            409, "profile-builtin")
    assert expect(api.get("/api/v1/profiles/even", role="auditor"), 200)["weights_bp"] == BUILTIN["even"]


def test_in_use_is_409(api, first_urn):
    """Named by an account's default: 409 naming it; by a budget line: 409 naming the budget."""
    v = expect(api.get("/api/v1/profiles/heating", role="auditor"), 200)["version"]
    p = problem(api.delete("/api/v1/profiles/heating", role="finance_director", headers={"If-Match": f'"{v}"'}),
                409, "profile-in-use")
    assert "E16" in p["detail"]
    expect(api.post("/api/v1/profiles", role="finance_director", json={"name": "used_by_a_line", "weights_bp": EXAMS}),
           201)
    year = "2072-73"
    r = put_budget(api, first_urn, year, [line("I01", 100000, "GAG"), line("E21", 5000, "Exams", profile="used_by_a_line")])
    assert r.status_code in (200, 201), r.text
    p = problem(api.delete("/api/v1/profiles/used_by_a_line", role="finance_director", headers={"If-Match": '"1"'}),
                409, "profile-in-use")
    assert first_urn in p["detail"] and "2072-73" in p["detail"]
    # the line's months follow the profile, and a change of its weights moves the budget's ETag
    b, etag = get_budget(api, first_urn, year)
    exams = [l for l in b["lines"] if l["description"] == "Exams"][0]
    assert exams["months_pence"] == [0] * 8 + [2500, 2500, 0, 0] and exams["profile_source"] == "line"
    expect(api.put("/api/v1/profiles/used_by_a_line", role="finance_director",
                   json={"weights_bp": [0] * 8 + [10000, 0, 0, 0]}, headers={"If-Match": '"1"'}), 200)
    b2, etag2 = get_budget(api, first_urn, year)
    assert etag2 != etag and b2["version"] == b["version"]
    exams = [l for l in b2["lines"] if l["description"] == "Exams"][0]
    assert exams["months_pence"] == [0] * 8 + [5000, 0, 0, 0]
    # the line no longer names it: the delete goes through
    lines = [dict(l, profile=None) if l["description"] == "Exams" else l for l in b2["lines"]]
    expect(put_budget(api, first_urn, year, lines, etag=etag2), 200)
    assert api.delete("/api/v1/profiles/used_by_a_line", role="finance_director",
                      headers={"If-Match": '"2"'}).status_code == 204


def test_an_accounts_default_profile(api, first_urn):
    r = api.get("/api/v1/accounts/E16", role="business_manager")
    a = expect(r, 200)
    assert a["code"] == "E16" and a["default_profile"] == "heating" and r.headers["ETag"] == f'"{a["version"]}"'
    items = expect(api.get("/api/v1/accounts", role="auditor", params={"limit": 1000}), 200)["items"]
    by = {x["code"]: x for x in items}
    assert by["I05"]["default_profile"] == "quarterly_grant" and by["E23"]["default_profile"] == "annual_september"
    assert by["E01"]["default_profile"] is None and by["INT01"]["default_profile"] is None
    problem(api.get("/api/v1/accounts/ZZ99", role="auditor"), 404)
    year = "2073-74"
    r = put_budget(api, first_urn, year, [line("I01", 100000, "GAG"), line("E16", 120000, "Energy")])
    assert r.status_code in (200, 201), r.text
    b, etag = get_budget(api, first_urn, year)
    energy = [l for l in b["lines"] if l["description"] == "Energy"][0]
    assert energy["profile_source"] == "account" and energy["months_pence"][0] == 6000    # 500bp of 1200.00
    a0 = audit_max()
    v = a["version"]
    for body, field in (({"default_profile": "nope"}, "/default_profile"), ({"default_profile": "Bad"}, "/default_profile"),
                        ({"bfr_line": 999999}, "/bfr_line"), ({"name": "Energy!"}, "/name")):
        problem(api.put("/api/v1/accounts/E16", role="finance_director", json=body, headers={"If-Match": f'"{v}"'}),
                422, fields=[field])
    problem(api.put("/api/v1/accounts/E16", role="finance_director", json={"default_profile": "even"},
                    headers={"If-Match": f'"{v + 7}"'}), 412)
    try:
        r = api.put("/api/v1/accounts/E16", role="finance_director", json={"default_profile": None},
                    headers={"If-Match": f'"{v}"'})
        a2 = expect(r, 200)
        assert a2["default_profile"] is None and a2["version"] == v + 1 and a2["bfr_line"] == a["bfr_line"]
        b2, etag2 = get_budget(api, first_urn, year)
        energy = [l for l in b2["lines"] if l["description"] == "Energy"][0]
        assert energy["months_pence"] == [10008] * 4 + [9996] * 8 and etag2 != etag       # even
        assert audit(a0, "account") == [["update", "E16"]]
    finally:
        cur = expect(api.get("/api/v1/accounts/E16", role="auditor"), 200)
        expect(api.put("/api/v1/accounts/E16", role="finance_director", json={"default_profile": "heating"},
                       headers={"If-Match": f'"{cur["version"]}"'}), 200)
