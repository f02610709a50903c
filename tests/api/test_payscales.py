"""Pay scales (issue 16): GET|POST /api/v1/pay-scales, GET|PUT /api/v1/pay-scales/{name}. The
finance director writes (audited, versioned, If-Match; POST with Idempotency-Key); every finance
role reads; school systems and admins are refused. A PUT replaces the title and the points of the
years it gives, other years stay. The test makes its own scales (the demo's come from
schema/seed/070_staffing.sql and are not relied on)."""
import pytest

from conftest import audit_max, expect, problem, sql_rows, unchanged

URL = "/api/v1/pay-scales"
STATE_Q = "SELECT name, title, kind, area, version FROM pay_scales ORDER BY name"
POINTS_Q = ("SELECT ps.name, pt.year, pt.point, pt.ord, pt.annual_pence FROM pay_scale_points pt "
            "JOIN pay_scales ps ON ps.id = pt.scale_id ORDER BY ps.name, pt.year, pt.ord")


def main_points(year, base):
    return [{"year": year, "point": f"M{i}", "ord": i, "annual_pence": base + 250000 * i} for i in range(1, 7)]


def test_create_read_replace(api):
    a0 = audit_max()
    body = {"name": "pytest_main", "title": "Pytest main range", "kind": "teacher", "area": "inner_london",
            "points": main_points("2025-26", 3800000) + main_points("2026-27", 3900000)}
    r = api.post(URL, role="finance_director", json=body, headers={"Idempotency-Key": "pytest-scale-1"})
    made = expect(r, 201)
    assert r.headers["Location"] == f"{URL}/pytest_main" and r.headers["ETag"] == '"1"'
    assert made["name"] == "pytest_main" and made["kind"] == "teacher" and made["area"] == "inner_london"
    assert made["version"] == 1 and len(made["points"]) == 12
    assert made["points"][0] == {"year": "2025-26", "point": "M1", "ord": 1, "annual_pence": 4050000}
    assert [p["point"] for p in made["points"][6:]] == ["M1", "M2", "M3", "M4", "M5", "M6"]
    # the same key again is the first reply, and nothing is written twice
    again = api.post(URL, role="finance_director", json=body, headers={"Idempotency-Key": "pytest-scale-1"})
    assert again.status_code == 201 and again.json() == made
    rows = sql_rows(f"SELECT action, entity, entity_id, role, actor FROM audit_log WHERE id > {a0}")
    assert [r[:4] for r in rows] == [["create", "pay_scale", "pytest_main", "finance_director"]]
    assert rows[0][4].startswith("token: ")       # the audit row names who
    # a name taken is 409 at /name
    problem(api.post(URL, role="finance_director", json=body), 409, fields=["/name"])
    # every finance role reads; ?year= filters the points
    for role in ("finance_director", "auditor", "business_manager"):
        got = api.get(f"{URL}/pytest_main", role=role)
        assert expect(got, 200) == made and got.headers["ETag"] == '"1"'
        listed = {s["name"]: s for s in expect(api.get(URL, role=role), 200)["items"]}
        assert listed["pytest_main"]["years"] == ["2025-26", "2026-27"]
        assert listed["pytest_main"]["version"] == 1 and "points" not in listed["pytest_main"]
    y = expect(api.get(f"{URL}/pytest_main?year=2026-27", role="auditor"), 200)
    assert [p["year"] for p in y["points"]] == ["2026-27"] * 6
    problem(api.get(f"{URL}/pytest_main?year=2026", role="auditor"), 422, fields=["query:year"])
    problem(api.get(f"{URL}/pytest_main?colour=red", role="auditor"), 422)
    problem(api.get(f"{URL}/nope_nope", role="auditor"), 404)
    problem(api.get(f"{URL}/Bad-Name", role="auditor"), 404)
    # PUT: the title and the 2026-27 points replaced; 2025-26 stays
    new26 = [{"year": "2026-27", "point": "M1", "ord": 1, "annual_pence": 4100000},
             {"year": "2026-27", "point": "M2", "ord": 2, "annual_pence": 4300000}]
    with unchanged(STATE_Q, POINTS_Q):
        problem(api.put(f"{URL}/pytest_main", role="finance_director", json=dict(made, points=new26)), 428)
        problem(api.put(f"{URL}/pytest_main", role="finance_director", json=dict(made, points=new26),
                        headers={"If-Match": '"9"'}), 412)
        problem(api.put(f"{URL}/pytest_main", role="finance_director", json=dict(made, kind="support", area=None,
                        points=new26), headers={"If-Match": '"1"'}), 422, fields=["/kind"])
        problem(api.put(f"{URL}/pytest_main", role="finance_director", json=dict(made, name="other", points=new26),
                        headers={"If-Match": '"1"'}), 422, fields=["/name"])
    out = expect(api.put(f"{URL}/pytest_main", role="finance_director",
                         json=dict(made, title="Renamed", points=new26), headers={"If-Match": '"1"'}), 200)
    assert out["version"] == 2 and out["title"] == "Renamed"
    assert [(p["year"], p["point"]) for p in out["points"]] == \
        [("2025-26", f"M{i}") for i in range(1, 7)] + [("2026-27", "M1"), ("2026-27", "M2")]
    assert sql_rows(f"SELECT action FROM audit_log WHERE id > {a0} AND entity = 'pay_scale'") == \
        [["create"], ["update"]]
    before = sql_rows(f"SELECT before_json FROM audit_log WHERE id > {a0} AND action = 'update'")[0][0]
    assert '"annual_pence":4900000' in before.replace(" ", "")     # the old M6 of 2026-27 is in the before-image


def test_support_scale(api):
    body = {"name": "pytest_njc", "title": "Pytest spine", "kind": "support",
            "points": [{"year": "2026-27", "point": str(i), "ord": i, "annual_pence": 2400000 + 30000 * i}
                       for i in (3, 4, 5)]}
    made = expect(api.post(URL, role="finance_director", json=body), 201)
    assert made["area"] is None and [p["point"] for p in made["points"]] == ["3", "4", "5"]
    problem(api.post(URL, role="finance_director", json=dict(body, name="pytest_njc2", area="fringe")), 422,
            fields=["/area"])


def test_only_the_finance_director_writes(api):
    body = {"name": "pytest_nobody", "title": "x", "kind": "teacher", "points": []}
    with unchanged(STATE_Q, POINTS_Q):
        for role in ("business_manager", "auditor", "school_system", "admin"):
            problem(api.post(URL, role=role, json=body), 403)
            problem(api.put(f"{URL}/pytest_nobody", role=role, json=body, headers={"If-Match": '"1"'}), 403)
        for role in ("school_system", "admin"):
            problem(api.get(URL, role=role), 403)
            problem(api.get(f"{URL}/pytest_nobody", role=role), 403)


def pt(**kw):
    return dict({"year": "2026-27", "point": "M1", "ord": 1, "annual_pence": 100}, **kw)


@pytest.mark.parametrize("body,fields", [
    ({"title": "t", "kind": "teacher", "points": []}, ["/name"]),
    ({"name": "Bad Name", "title": "t", "kind": "teacher", "points": []}, ["/name"]),
    ({"name": "x" * 41, "title": "t", "kind": "teacher", "points": []}, ["/name"]),
    ({"name": "pytest_b", "kind": "teacher", "points": []}, ["/title"]),
    ({"name": "pytest_b", "title": "t", "points": []}, ["/kind"]),
    ({"name": "pytest_b", "title": "t", "kind": "cook", "points": []}, ["/kind"]),
    ({"name": "pytest_b", "title": "t", "kind": "teacher", "area": "mars", "points": []}, ["/area"]),
    ({"name": "pytest_b", "title": "t", "kind": "teacher"}, ["/points"]),
    ({"name": "pytest_b", "title": "t", "kind": "teacher", "points": {}}, ["/points"]),
    ({"name": "pytest_b", "title": "t", "kind": "teacher", "points": [pt(year="2026")]}, ["/points/0/year"]),
    ({"name": "pytest_b", "title": "t", "kind": "teacher", "points": [pt(point="M 1")]}, ["/points/0/point"]),
    ({"name": "pytest_b", "title": "t", "kind": "teacher", "points": [pt(ord=0)]}, ["/points/0/ord"]),
    ({"name": "pytest_b", "title": "t", "kind": "teacher", "points": [pt(annual_pence=-1)]},
     ["/points/0/annual_pence"]),
    ({"name": "pytest_b", "title": "t", "kind": "teacher", "points": [pt(annual_pence=100000001)]},
     ["/points/0/annual_pence"]),
    ({"name": "pytest_b", "title": "t", "kind": "teacher", "points": [pt(annual_pence="1")]},
     ["/points/0/annual_pence"]),
    ({"name": "pytest_b", "title": "t", "kind": "teacher", "points": [pt(), pt(ord=2)]}, ["/points/1/point"]),
    ({"name": "pytest_b", "title": "t", "kind": "teacher", "points": [pt(), pt(point="M2")]}, ["/points/1/ord"]),
    ({"name": "pytest_b", "title": "t", "kind": "teacher", "points": [pt(colour=1)]}, ["/points/0/colour"]),
    ({"name": "pytest_b", "title": "t", "kind": "teacher", "points": [], "colour": "red"}, ["/colour"]),
])
def test_bad_input(api, body, fields):
    with unchanged(STATE_Q, POINTS_Q):
        problem(api.post(URL, role="finance_director", json=body), 422, "validation", fields)


def test_malformed_json(api):
    with unchanged(STATE_Q, POINTS_Q):
        problem(api.post(URL, role="finance_director", body=b'{"name": ', headers={"Content-Type": "application/json"}),
                400)
