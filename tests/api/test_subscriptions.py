"""/api/v1/services/{id}/subscriptions: which school takes a service. Create, read, replace, delete,
replace the whole set (fixed shares), every bad input of issue 4 (an unknown school, end before
start, units below zero, shares not summing, a basis the school lacks data for: a problem naming the
field or the school, nothing written), overlaps (409), tombstones, and the roles' school scope."""
import time

import pytest

from conftest import audit_max, error_fields, expect, problem, sql_rows, sql_value, unchanged
from test_services import SERVICES_Q, SUBS_Q, get_service, make_service, put_set, subscribe

SUB_FIELDS = {"id", "service_id", "school", "school_name", "start_date", "end_date", "level", "usage_units",
              "fixed_share_bp", "deleted", "version", "created_at", "updated_at"}


def subs_path(sid, sub=None):
    return f"/api/v1/services/{sid}/subscriptions" + (f"/{sub}" if sub else "")


def test_create_and_read(api, first_urn):
    s = make_service(api)
    v0 = s["version"]
    a0 = audit_max()
    r = subscribe(api, s["id"], first_urn, level="gold")
    sub = expect(r, 201)
    assert r.headers["Location"] == subs_path(s["id"], sub["id"])
    assert r.headers["ETag"] == '"1"'
    assert set(sub) == SUB_FIELDS
    assert sub["school"] == first_urn and sub["service_id"] == s["id"] and sub["level"] == "gold"
    assert sub["start_date"] == "2026-09-01" and sub["end_date"] is None and sub["deleted"] is False
    assert sql_rows(f"SELECT action, entity, entity_id FROM audit_log WHERE id > {a0}") == [
        ["create", "subscription", str(sub["id"])]]
    # one ETag covers a service and its subscriptions: the service's version moved
    s2, _ = get_service(api, s["id"])
    assert s2["version"] == v0 + 1
    got = api.get(subs_path(s["id"], sub["id"]), role="auditor")
    assert expect(got, 200) == sub
    assert api.get(subs_path(s["id"], sub["id"]), role="auditor",
                   headers={"If-None-Match": got.headers["ETag"]}).status_code == 304
    lst = expect(api.get(subs_path(s["id"]), role="finance_director"), 200)
    assert lst["service_id"] == s["id"] and lst["service_version"] == v0 + 1
    assert lst["items"] == [sub] and lst["next"] is None


@pytest.mark.parametrize("body,field,words", [
    ({"school": "999999"}, "/school", "no school with URN 999999"),
    ({"school": "12345"}, "/school", "URN"),
    ({"end_date": "2026-08-31"}, "/end_date", "before start_date"),
    ({"start_date": "2026-02-30"}, "/start_date", "YYYY-MM-DD"),
    ({"usage_units": -1}, "/usage_units", "between 0 and"),
    ({"fixed_share_bp": 10001}, "/fixed_share_bp", "between 0 and 10000"),
    ({"level": "x" * 41}, "/level", "at most 40"),
    ({"colour": "blue"}, "/colour", "unknown field"),
])
def test_bad_input_names_the_field(api, body, field, words):
    s = make_service(api)
    full = {"school": "159902", "start_date": "2026-09-01", **body}
    with unchanged(SUBS_Q, SERVICES_Q):
        p = problem(api.post(subs_path(s["id"]), role="finance_director", json=full), 422, "validation", [field])
    assert words in [e["message"] for e in p["errors"] if e["field"] == field][0], p


def test_missing_required_fields(api):
    s = make_service(api)
    with unchanged(SUBS_Q):
        p = problem(api.post(subs_path(s["id"]), role="finance_director", json={}), 422, "validation")
    assert set(error_fields(p)) == {"/school", "/start_date"}


def test_basis_needs(api):
    """usage needs units, fixed shares a share, and per pupil / FTE / floor area the school's data."""
    usage = make_service(api, basis="usage", usage_unit="meals")
    fixed = make_service(api, basis="fixed_share")
    area = make_service(api, basis="floor_area")
    pupils = make_service(api, basis="per_pupil")
    with unchanged(SUBS_Q, SERVICES_Q):
        p = problem(subscribe(api, usage["id"], "159902"), 422, "validation", ["/usage_units"])
        assert "split by usage" in p["errors"][0]["message"]
        problem(subscribe(api, fixed["id"], "159902"), 422, "validation", ["/fixed_share_bp"])
        p = problem(subscribe(api, area["id"], "central"), 422, "validation", ["/school"])
        assert "central has no floor area recorded" in p["errors"][0]["message"]
        p = problem(subscribe(api, pupils["id"], "central"), 422, "validation", ["/school"])
        assert "no October census (pupils) for 2026-27 or before" in p["errors"][0]["message"]
        # a school with no census yet for that year or before (the census starts in 2024-25)
        p = problem(subscribe(api, pupils["id"], "159903", start_date="2020-09-01"), 422, "validation", ["/school"])
        assert "159903" in p["errors"][0]["message"]
    expect(subscribe(api, usage["id"], "159902", usage_units=0), 201)
    expect(subscribe(api, area["id"], "159902"), 201)


def test_overlap_is_409_and_adjacent_is_fine(api):
    s = make_service(api)
    first = expect(subscribe(api, s["id"], "159903", end_date="2027-08-31"), 201)
    with unchanged(SUBS_Q, SERVICES_Q):
        p = problem(subscribe(api, s["id"], "159903", start_date="2027-08-31"), 409, "conflict", ["/start_date"])
    assert f"subscription {first['id']}" in p["detail"] and "159903" in p["detail"]
    expect(subscribe(api, s["id"], "159903", start_date="2027-09-01"), 201)
    # another school is not an overlap
    expect(subscribe(api, s["id"], "159904"), 201)


def test_put_and_delete_one(api):
    s = make_service(api)
    sub = expect(subscribe(api, s["id"], "159904"), 201)
    path = subs_path(s["id"], sub["id"])
    body = dict(sub, level="premium", end_date="2028-08-31")
    with unchanged(SUBS_Q):
        problem(api.put(path, role="finance_director", json=body), 428)
        problem(api.put(path, role="finance_director", json=body, headers={"If-Match": '"7"'}), 412)
        problem(api.put(path, role="finance_director", json=dict(body, end_date="2020-01-01"),
                        headers={"If-Match": '"1"'}), 422, "validation", ["/end_date"])
    a0 = audit_max()
    r = api.put(path, role="finance_director", json=body, headers={"If-Match": '"1"'})
    out = expect(r, 200)
    assert out["version"] == 2 and out["level"] == "premium" and out["end_date"] == "2028-08-31"
    assert r.headers["ETag"] == '"2"'
    assert sql_rows(f"SELECT action, entity FROM audit_log WHERE id > {a0}") == [["update", "subscription"]]
    # moving it onto another of the school's subscriptions is an overlap
    other = expect(subscribe(api, s["id"], "159904", start_date="2028-09-01"), 201)
    with unchanged(SUBS_Q):
        problem(api.put(path, role="finance_director", json=dict(body, end_date=None), headers={"If-Match": '"2"'}),
                409, "conflict")
    t0 = sql_value("SELECT DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%dT%H:%i:%s.%fZ')")
    time.sleep(0.002)
    with unchanged(SUBS_Q):
        problem(api.delete(path, role="finance_director"), 428)
        problem(api.delete(path, role="finance_director", headers={"If-Match": '"1"'}), 412)
    assert api.delete(path, role="finance_director", headers={"If-Match": '"2"'}).status_code == 204
    problem(api.get(path, role="finance_director"), 404)
    problem(api.delete(path, role="finance_director", headers={"If-Match": '"3"'}), 404)
    live = expect(api.get(subs_path(s["id"]), role="finance_director"), 200)["items"]
    assert [i["id"] for i in live] == [other["id"]]
    synced = expect(api.get(subs_path(s["id"]), role="finance_director", params={"updated_since": t0}), 200)["items"]
    assert synced == [{"id": sub["id"], "service_id": s["id"], "school": "159904", "deleted": True, "version": 3,
                       "updated_at": synced[0]["updated_at"]}]


def test_fixed_shares_must_sum_to_10000(api):
    s = make_service(api, basis="fixed_share", category="grounds")
    # one at a time cannot reach 10000: 6000 alone is 422 naming the total
    with unchanged(SUBS_Q, SERVICES_Q):
        p = problem(subscribe(api, s["id"], "159907", fixed_share_bp=6000), 422, "validation", ["/fixed_share_bp"])
    assert "would sum to 6000 bp on 2026-09-01, not 10000" in p["errors"][0]["message"]
    # the set at once
    _, etag = get_service(api, s["id"])
    items = [{"school": "159907", "start_date": "2026-09-01", "fixed_share_bp": 6000},
             {"school": "159908", "start_date": "2026-09-01", "fixed_share_bp": 4000}]
    a0 = audit_max()
    r = put_set(api, s["id"], items, etag)
    out = expect(r, 200)
    assert [(i["school"], i["fixed_share_bp"]) for i in out["items"]] == [("159907", 6000), ("159908", 4000)]
    assert r.headers["ETag"] == f'"{out["service_version"]}"'
    assert sql_rows(f"SELECT action, entity, entity_id FROM audit_log WHERE id > {a0}") == [
        ["replace_subscriptions", "service", str(s["id"])]]
    ids = [i["id"] for i in out["items"]]
    # the old ETag is stale now
    with unchanged(SUBS_Q, SERVICES_Q):
        problem(put_set(api, s["id"], items, etag), 412)
        problem(api.put(subs_path(s["id"]), role="finance_director", json={"items": items}), 428)
    # adding a third, removing one, or a set that does not sum: refused
    with unchanged(SUBS_Q, SERVICES_Q):
        p = problem(subscribe(api, s["id"], "159909", fixed_share_bp=1000), 422, "validation", ["/fixed_share_bp"])
        assert "11000 bp" in p["errors"][0]["message"]
        problem(api.delete(subs_path(s["id"], ids[0]), role="finance_director", headers={"If-Match": '"1"'}), 409,
                "conflict")
        bad = [dict(items[0], fixed_share_bp=5000), items[1]]
        p = problem(put_set(api, s["id"], bad), 422, "validation", ["/items"])
        assert "9000 bp" in p["errors"][0]["message"]
        overl = items + [{"school": "159907", "start_date": "2027-01-01", "fixed_share_bp": 0}]
        p = problem(put_set(api, s["id"], overl), 422, "validation", ["/items/2/start_date"])
        assert "/items/0" in p["errors"][0]["message"]
        p = problem(put_set(api, s["id"], [{"id": 99999999, **items[0]}, items[1]]), 422, "validation",
                    ["/items/0/id"])
        problem(put_set(api, s["id"], [{"school": "999999", "start_date": "2026-09-01", "fixed_share_bp": 10000}]),
                422, "validation", ["/items/0/school"])
    # change the shares from January: keep the two (ending them) and add two new ones
    new = [dict(items[0], id=ids[0], end_date="2026-12-31"), dict(items[1], id=ids[1], end_date="2026-12-31"),
           {"school": "159907", "start_date": "2027-01-01", "fixed_share_bp": 5000},
           {"school": "159909", "start_date": "2027-01-01", "fixed_share_bp": 5000}]
    out = expect(put_set(api, s["id"], new), 200)
    assert [i["id"] for i in out["items"]][:2] == ids and len(out["items"]) == 4
    # a set without one of them removes it (a tombstone)
    out = expect(put_set(api, s["id"], [{"school": "159908", "start_date": "2026-09-01", "fixed_share_bp": 10000}]), 200)
    assert len(out["items"]) == 1
    assert int(sql_value(f"SELECT COUNT(*) FROM subscriptions WHERE service_id = {s['id']} AND deleted_at IS NOT NULL")) == 4


def test_set_unchanged_items_keep_their_version(api):
    s = make_service(api, basis="equal")
    a = expect(subscribe(api, s["id"], "159902"), 201)
    b = expect(subscribe(api, s["id"], "159903"), 201)
    keep = {k: a[k] for k in ("id", "school", "start_date", "end_date", "level", "usage_units", "fixed_share_bp")}
    out = expect(put_set(api, s["id"], [keep, dict(b, level="changed")]), 200)
    got = {i["id"]: i for i in out["items"]}
    assert got[a["id"]]["version"] == 1 and got[a["id"]]["updated_at"] == a["updated_at"]
    assert got[b["id"]]["version"] == 2 and got[b["id"]]["level"] == "changed"


def test_scope_of_business_manager_and_school_system(api, first_urn):
    s = make_service(api, basis="equal")
    mine = expect(subscribe(api, s["id"], first_urn), 201)
    theirs = expect(subscribe(api, s["id"], "159905"), 201)
    for role in ("business_manager", "school_system"):
        lst = expect(api.get(subs_path(s["id"]), role=role), 200)
        assert [i["id"] for i in lst["items"]] == [mine["id"]]
        expect(api.get(subs_path(s["id"], mine["id"]), role=role), 200)
        problem(api.get(subs_path(s["id"], theirs["id"]), role=role), 403, "forbidden")
        problem(api.get(subs_path(s["id"]), role=role, params={"school": "159905"}), 403, "forbidden")
        with unchanged(SUBS_Q):
            problem(subscribe(api, s["id"], first_urn, role=role, start_date="2030-09-01"), 403, "forbidden")
            problem(api.delete(subs_path(s["id"], mine["id"]), role=role, headers={"If-Match": '"1"'}), 403)
    lst = expect(api.get(subs_path(s["id"]), role="auditor", params={"school": "159905"}), 200)
    assert [i["id"] for i in lst["items"]] == [theirs["id"]]
    problem(api.get(subs_path(s["id"]), role="auditor", params={"school": "999999"}), 422, "validation",
            ["query:school"])
    problem(api.get(subs_path(s["id"]), role="admin"), 403)


def test_unknown_service(api):
    problem(api.get(subs_path(99999999), role="finance_director"), 404)
    with unchanged(SUBS_Q):
        problem(subscribe(api, 99999999, "159902"), 404)
    s = make_service(api)
    problem(api.get(subs_path(s["id"], 99999999), role="finance_director"), 404)
    problem(api.get(subs_path(s["id"], "abc"), role="finance_director"), 400)
