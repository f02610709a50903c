"""An entity's posts (issue 16): GET|POST /api/v1/schools/{urn}/posts and GET|PUT|DELETE
.../posts/{id}. A post names its holder (personal data): the finance director reads and writes
every entity's, the auditor reads, a business manager reads and writes her own school's (another
school's is 403), school systems and admins are refused. Writes are versioned (If-Match) and
audited with the person; a delete leaves a tombstone that a sync with updated_since sees. The test
makes its own pay scales through the API."""
import time

import pytest

from conftest import audit_max, expect, problem, sql_rows, sql_value, unchanged

SCALES = "/api/v1/pay-scales"


@pytest.fixture(scope="module")
def scales(api):
    """A teacher scale M1..M6 and a support spine 3..6, for 2026-27."""
    for body in (
        {"name": "pytest_posts_main", "title": "Posts main", "kind": "teacher", "area": "england",
         "points": [{"year": "2026-27", "point": f"M{i}", "ord": i, "annual_pence": 3200000 + 200000 * i}
                    for i in range(1, 7)]},
        {"name": "pytest_posts_njc", "title": "Posts spine", "kind": "support",
         "points": [{"year": "2026-27", "point": str(i), "ord": i, "annual_pence": 2400000 + 30000 * i}
                    for i in range(3, 7)]},
    ):
        r = api.post(SCALES, role="finance_director", json=body)
        assert r.status_code in (201, 409), r.text
    return "pytest_posts_main", "pytest_posts_njc"


def post_body(**kw):
    b = {"reference": "PT-1", "title": "Class teacher", "role": "teacher", "account_code": "E01",
         "scale": "pytest_posts_main", "point": "M3", "top_point": "M6", "point_year": "2026-27", "fte_h": 100,
         "paid_weeks_h": None, "tlr_pence": 343600, "pension": "tps", "ni_category": "A",
         "starts_on": "2027-01-01", "ends_on": None, "vacant": False, "holder_name": "A. Teacher"}
    b.update(kw)
    return b


def posts_url(urn):
    return f"/api/v1/schools/{urn}/posts"


STATE_Q = "SELECT id, reference, title, version, deleted_at FROM posts ORDER BY id"


def test_create_read_update_delete(api, scales, first_urn):
    url = posts_url(first_urn)
    a0 = audit_max()
    r = api.post(url, role="business_manager", json=post_body(), headers={"Idempotency-Key": "pytest-post-1"})
    made = expect(r, 201)
    pid = made["id"]
    assert r.headers["Location"] == f"{url}/{pid}" and r.headers["ETag"] == '"1"'
    want = dict(post_body(), id=pid, urn=first_urn, sen_pence=0, fringe_pence=0, other_allowance_pence=0,
                periods_taught=None, version=1)
    assert {k: made[k] for k in want} == want
    assert set(made) == set(want) | {"created_at", "updated_at"}
    again = api.post(url, role="business_manager", json=post_body(), headers={"Idempotency-Key": "pytest-post-1"})
    assert again.status_code == 201 and again.json() == made
    rows = sql_rows(f"SELECT action, entity, entity_id, role, actor FROM audit_log WHERE id > {a0}")
    assert [r[:4] for r in rows] == [["create", "post", str(pid), "business_manager"]]
    assert rows[0][4].startswith("token: ")
    # the reference is unique among the entity's live posts
    problem(api.post(url, role="finance_director", json=post_body()), 409, fields=["/reference"])
    # readers
    for role in ("finance_director", "auditor", "business_manager"):
        got = api.get(f"{url}/{pid}", role=role)
        assert expect(got, 200) == made and got.headers["ETag"] == '"1"'
    assert api.get(f"{url}/{pid}", role="auditor", headers={"If-None-Match": '"1"'}).status_code == 304
    # update: If-Match needed; stale changes nothing
    changed = dict(made, vacant=True, holder_name=None, fte_h=60)
    with unchanged(STATE_Q):
        problem(api.put(f"{url}/{pid}", role="business_manager", json=changed), 428)
        problem(api.put(f"{url}/{pid}", role="business_manager", json=changed, headers={"If-Match": '"5"'}), 412)
        problem(api.put(f"{url}/{pid}", role="auditor", json=changed, headers={"If-Match": '"1"'}), 403)
    out = expect(api.put(f"{url}/{pid}", role="business_manager", json=changed, headers={"If-Match": '"1"'}), 200)
    assert out["version"] == 2 and out["vacant"] is True and out["holder_name"] is None and out["fte_h"] == 60
    # delete: a tombstone; gone from reads and from the list, seen by a sync
    since = made["created_at"]
    with unchanged(STATE_Q):
        problem(api.delete(f"{url}/{pid}", role="business_manager"), 428)
        problem(api.delete(f"{url}/{pid}", role="business_manager", headers={"If-Match": '"1"'}), 412)
    expect(api.delete(f"{url}/{pid}", role="business_manager", headers={"If-Match": '"2"'}), 204, None)
    problem(api.get(f"{url}/{pid}", role="finance_director"), 404)
    problem(api.put(f"{url}/{pid}", role="finance_director", json=changed, headers={"If-Match": '"3"'}), 404)
    ids = [i["id"] for i in expect(api.get(url, role="finance_director"), 200)["items"]]
    assert pid not in ids
    sync = expect(api.get(f"{url}?updated_since={since}", role="finance_director"), 200)["items"]
    tomb = [i for i in sync if i["id"] == pid]
    assert tomb == [{"id": pid, "deleted": True, "updated_at": tomb[0]["updated_at"]}]
    assert [r[0] for r in sql_rows(f"SELECT action FROM audit_log WHERE id > {a0} AND entity = 'post'")] == \
        ["create", "update", "delete"]
    # its reference is free again
    fresh = expect(api.post(url, role="finance_director", json=post_body()), 201)
    assert fresh["id"] != pid
    expect(api.delete(f"{url}/{fresh['id']}", role="finance_director", headers={"If-Match": '"1"'}), 204, None)


def test_list_pages_and_sync(api, scales, school_urns):
    urn = school_urns[-1]
    url = posts_url(urn)
    made = [expect(api.post(url, role="finance_director", json=post_body(reference=f"PG-{i}")), 201)
            for i in range(3)]
    first = expect(api.get(f"{url}?limit=2", role="auditor"), 200)
    items = first["items"]
    while first["next"] is not None:
        first = expect(api.get(f"{url}?limit=2&after={first['next']}", role="auditor"), 200)
        items += first["items"]
    mine = [i for i in items if i["id"] in {m["id"] for m in made}]
    assert [i["reference"] for i in mine] == ["PG-0", "PG-1", "PG-2"]
    assert all(i["deleted"] is False for i in mine)
    problem(api.get(f"{url}?limit=0", role="auditor"), 422)
    problem(api.get(f"{url}?year=x&colour=red", role="auditor"), 422)
    for m in made:
        expect(api.delete(f"{url}/{m['id']}", role="finance_director", headers={"If-Match": '"1"'}), 204, None)


def test_who_may(api, scales, first_urn, school_urns):
    other = next(u for u in school_urns if u != first_urn)
    url = posts_url(other)
    made = expect(api.post(url, role="finance_director", json=post_body(reference="WHO-1")), 201)
    with unchanged(STATE_Q):
        # a business manager of another school: 403 (reads and writes)
        problem(api.get(url, role="business_manager"), 403)
        problem(api.get(f"{url}/{made['id']}", role="business_manager"), 403)
        problem(api.post(url, role="business_manager", json=post_body(reference="WHO-2")), 403)
        problem(api.put(f"{url}/{made['id']}", role="business_manager", json=post_body(),
                        headers={"If-Match": '"1"'}), 403)
        problem(api.delete(f"{url}/{made['id']}", role="business_manager", headers={"If-Match": '"1"'}), 403)
        for role in ("school_system", "admin"):
            problem(api.get(url, role=role), 403)
            problem(api.get(f"{url}/{made['id']}", role=role), 403)
            problem(api.post(posts_url(first_urn), role=role, json=post_body(reference="WHO-3")), 403)
        problem(api.post(url, role="auditor", json=post_body(reference="WHO-4")), 403)
        # a post of one entity is not found under another
        problem(api.get(f"{posts_url(first_urn)}/{made['id']}", role="finance_director"), 404)
        problem(api.get(posts_url("999999"), role="finance_director"), 404)
        problem(api.get(posts_url("12"), role="finance_director"), 400)
        problem(api.get(f"{url}/abc", role="finance_director"), 400)
    expect(api.delete(f"{url}/{made['id']}", role="finance_director", headers={"If-Match": '"1"'}), 204, None)


@pytest.mark.parametrize("kw,fields", [
    ({"role": "teacher", "account_code": "E03"}, ["/account_code"]),
    ({"role": "teaching_assistant", "account_code": "E01", "scale": "pytest_posts_njc", "point": "4",
      "top_point": None}, ["/account_code"]),
    ({"role": "chef"}, ["/role"]),
    ({"account_code": "E99", "role": "admin"}, ["/account_code"]),
    ({"scale": "pytest_nope"}, ["/scale"]),
    ({"scale": "Bad Scale"}, ["/scale"]),
    ({"point": "M9"}, ["/point"]),
    ({"top_point": "M7"}, ["/top_point"]),
    ({"point": "M4", "top_point": "M2"}, ["/top_point"]),
    ({"fte_h": 0}, ["/fte_h"]),
    ({"fte_h": 101}, ["/fte_h"]),
    ({"fte_h": 50.5}, ["/fte_h"]),
    ({"fte_h": "100"}, ["/fte_h"]),
    ({"paid_weeks_h": 0}, ["/paid_weeks_h"]),
    ({"paid_weeks_h": 5215}, ["/paid_weeks_h"]),
    ({"tlr_pence": -1}, ["/tlr_pence"]),
    ({"sen_pence": 100000001}, ["/sen_pence"]),
    ({"pension": "nest"}, ["/pension"]),
    ({"ni_category": "B"}, ["/ni_category"]),
    ({"starts_on": "2027-02-30"}, ["/starts_on"]),
    ({"starts_on": "2027-09-01", "ends_on": "2027-08-31"}, ["/ends_on"]),
    ({"vacant": True, "holder_name": "Someone"}, ["/holder_name"]),
    ({"vacant": "yes"}, ["/vacant"]),
    ({"point_year": "2026"}, ["/point_year"]),
    ({"reference": ""}, ["/reference"]),
    ({"reference": "=HYPERLINK(1)"}, ["/reference"]),
    ({"title": "x" * 121}, ["/title"]),
    ({"periods_taught": -1}, ["/periods_taught"]),
    ({"colour": "red"}, ["/colour"]),
    ({"urn": "000000"}, ["/urn"]),
])
def test_bad_input(api, scales, first_urn, kw, fields):
    body = post_body(**dict({"reference": "BAD-1"}, **kw))
    with unchanged(STATE_Q):
        problem(api.post(posts_url(first_urn), role="finance_director", json=body), 422, "validation", fields)


def test_required_and_malformed(api, scales, first_urn):
    url = posts_url(first_urn)
    with unchanged(STATE_Q):
        p = problem(api.post(url, role="finance_director", json={}), 422, "validation")
        got = {e["field"] for e in p["errors"]}
        assert {"/reference", "/title", "/role", "/account_code", "/scale", "/point", "/point_year", "/fte_h",
                "/pension"} <= got
        problem(api.post(url, role="finance_director", body=b'{"reference": ',
                         headers={"Content-Type": "application/json"}), 400)
        problem(api.post(url, role="finance_director", body=b'[]', headers={"Content-Type": "application/json"}),
                422)


def test_support_post_and_vacancy(api, scales, first_urn):
    url = posts_url(first_urn)
    body = post_body(reference="TA-1", title="Teaching assistant", role="teaching_assistant", account_code="E03",
                     scale="pytest_posts_njc", point="4", top_point=None, fte_h=80, paid_weeks_h=4300,
                     tlr_pence=0, pension="lgps", starts_on=None, vacant=True, holder_name=None,
                     periods_taught=None)
    made = expect(api.post(url, role="finance_director", json=body), 201)
    assert made["paid_weeks_h"] == 4300 and made["top_point"] is None and made["vacant"] is True
    assert made["account_code"] == "E03" and made["scale"] == "pytest_posts_njc"
    expect(api.delete(f"{url}/{made['id']}", role="finance_director", headers={"If-Match": '"1"'}), 204, None)


def test_school_staff_by_post(api, school_urns):
    urn = school_urns[-1]
    url = f"/api/v1/schools/{urn}"
    r = api.get(url, role="finance_director")
    school = expect(r, 200)
    was = {k: school[k] for k in ("staff_by_post", "periods_per_cycle")}   # the demo's, put back at the end
    base = {k: school[k] for k in ("name", "phase", "local_authority", "finance_model", "floor_area_m2")}
    v = school["version"]
    with unchanged("SELECT staff_by_post, periods_per_cycle, version FROM schools ORDER BY id"):
        problem(api.put(url, role="business_manager", json=dict(base, staff_by_post=True),
                        headers={"If-Match": f'"{v}"'}), 403)
        problem(api.put(url, role="finance_director", json=dict(base, staff_by_post="yes"),
                        headers={"If-Match": f'"{v}"'}), 422, fields=["/staff_by_post"])
        problem(api.put(url, role="finance_director", json=dict(base, periods_per_cycle=0),
                        headers={"If-Match": f'"{v}"'}), 422, fields=["/periods_per_cycle"])
    out = expect(api.put(url, role="finance_director", json=dict(base, staff_by_post=True, periods_per_cycle=50),
                         headers={"If-Match": f'"{v}"'}), 200)
    assert out["staff_by_post"] is True and out["periods_per_cycle"] == 50
    # a PUT without them leaves them as they are (clients written before issue 16)
    out = expect(api.put(url, role="finance_director", json=base, headers={"If-Match": f'"{v + 1}"'}), 200)
    assert out["staff_by_post"] is True and out["periods_per_cycle"] == 50
    out = expect(api.put(url, role="finance_director", json=dict(base, staff_by_post=False, periods_per_cycle=None),
                         headers={"If-Match": f'"{v + 2}"'}), 200)
    assert out["staff_by_post"] is False and out["periods_per_cycle"] is None
    assert sql_value(f"SELECT staff_by_post FROM schools WHERE urn = '{urn}'") == "0"
    out = expect(api.put(url, role="finance_director", json=dict(base, **was), headers={"If-Match": f'"{v + 3}"'}),
                 200)
    assert {k: out[k] for k in was} == was


def test_cost_for_a_year(api, scales, first_urn):
    """?year= adds each post's cost (api/staff_cost.c, the budgets' costing); the figures are core's
    (tested by hand there): here that they are present, consistent and in the ETag."""
    url = posts_url(first_urn)
    if api.get("/api/v1/staff-rates/2026-27", role="auditor").status_code == 404:
        expect(api.put("/api/v1/staff-rates/2026-27", role="finance_director", json={
            "ni_bp": 1500, "ni_threshold_pence": 500000, "ni_upper_pence": 5027000, "tps_bp": 2868, "levy_bp": 50,
            "levy_allowance_pence": 1500000, "employment_allowance_pence": 1050000}), 201)
    body = post_body(reference="COST-1", starts_on="2026-09-01", tlr_pence=0, pension="none", ni_category="A")
    made = expect(api.post(url, role="finance_director", json=body), 201)
    r = api.get(f"{url}/{made['id']}?year=2026-27", role="auditor")
    got = expect(r, 200)
    c = got["cost"]
    assert c["year"] == "2026-27" and len(c["months"]) == 12
    # M3 of the test scale is £38,000 a year, full time, all year, no pension: £3,166.67 a month
    assert [m["pay_pence"] for m in c["months"]] == [316667] * 12
    assert c["pay_pence"] == 316667 * 12 and c["pension_pence"] == 0
    assert c["total_pence"] == c["pay_pence"] + c["ni_pence"] + c["pension_pence"]
    etag = r.headers["ETag"]
    assert etag.startswith('"1-h')
    assert api.get(f"{url}/{made['id']}?year=2026-27", role="auditor",
                   headers={"If-None-Match": etag}).status_code == 304
    listed = expect(api.get(f"{url}?year=2026-27", role="finance_director"), 200)["items"]
    assert [i["cost"] for i in listed if i["id"] == made["id"]] == [c]
    assert "cost" not in expect(api.get(f"{url}/{made['id']}", role="auditor"), 200)
    problem(api.get(f"{url}?year=2026", role="auditor"), 422, fields=["query:year"])
    # the cost's ETag is good for If-Match (the version is compared)
    expect(api.delete(f"{url}/{made['id']}", role="finance_director", headers={"If-Match": etag}), 204, None)
