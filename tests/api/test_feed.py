"""GET /api/v1/schools/{urn}/services: the school-systems feed. What an item says, the strong ETag
and 304 (also with the database down: a poll answered from the worker's cache touches no database),
the ETag covering other schools' data and today's date, updated_since with tombstones, cursor
paging, cache invalidation (a write here, or through another instance), and who may read it."""
import re
import time

import pytest
import requests

from conftest import (CACHE_REFRESH_MS, CLUSTER_READ_BOUND_S, TODAY, Daemon, before_another_person_reads,
                      config_text, expect, free_port, problem, sql_value)
from test_services import make_service, set_census, subscribe

# far years' entered costs stay as entered with cpi at 0% there (conftest.cpi_flat)
pytestmark = pytest.mark.usefixtures("cpi_flat")

ITEM_FIELDS = {"id", "service_id", "name", "category", "funding", "basis", "account_code", "supplier",
               "contract_reference", "contract_start_date", "contract_end_date", "notice_by", "days_to_notice",
               "start_date", "end_date", "level", "months", "cost_pence", "recharged_pence", "explanation",
               "calculation", "assumptions", "deleted", "updated_at"}
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$")


def feed_path(urn):
    return f"/api/v1/schools/{urn}/services"


def feed(api, urn, role="school_system", **params):
    """The feed as read by the school's system: another person than the finance director whose
    writes the tests check (in cluster mode maybe on the other instance)."""
    before_another_person_reads()
    r = api.get(feed_path(urn), role=role, params=params or None)
    return expect(r, 200), r


def db_now():
    t = sql_value("SELECT DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%dT%H:%i:%s.%fZ')")
    time.sleep(0.002)
    return t


def test_demo_feed(api, first_urn):
    body, r = feed(api, first_urn)
    assert re.fullmatch(r'"h[0-9a-f]{32}"', r.headers["ETag"])
    assert body["urn"] == first_urn and body["year"] == "2026-27" and body["next"] is None
    items = body["items"]
    demo = [i for i in items if not i["name"].startswith("Pytest")]
    assert len(demo) == 9                              # all but cleaning, meals and grounds
    for it in items:
        assert set(it) == ITEM_FIELDS, it
        assert it["deleted"] is False and RFC3339.match(it["updated_at"])
        assert it["recharged_pence"] == (0 if it["funding"] == "core" else it["cost_pence"])
        assert it["explanation"]
    assert body["total_cost_pence"] == sum(i["cost_pence"] for i in items)
    assert body["total_recharged_pence"] == sum(i["recharged_pence"] for i in items)
    assert [(i["updated_at"], i["id"]) for i in items] == sorted((i["updated_at"], i["id"]) for i in items)
    ict = [i for i in items if i["name"] == "Managed ICT service"][0]
    assert ict["funding"] == "traded" and ict["basis"] == "per_pupil" and ict["contract_reference"] == "ICT-TRUST-2026"
    assert ict["supplier"] == "Estuary Digital Ltd"
    assert ict["explanation"].startswith("pupils 690 of ")
    # days to notice count from today (pinned 2026-11-22)
    assert ict["days_to_notice"] == (_days(ict["notice_by"]) - _days(TODAY))
    audit = [i for i in items if i["name"] == "Internal and external audit"][0]
    assert audit["funding"] == "core" and audit["recharged_pence"] == 0 and "core service" in audit["explanation"]
    meals = [i for i in items if i["basis"] == "usage"]
    assert meals == []                                  # Kingfisher Wharf takes no Southend meals
    # the feed's figure is the allocation's
    alloc = expect(api.get(f"/api/v1/services/{ict['service_id']}/allocation", role="finance_director"), 200)
    share = [x for x in alloc["shares"] if x["subscription_id"] == ict["id"]][0]
    assert share["share_pence"] == ict["cost_pence"] and share["explanation"] == ict["explanation"]


def _days(d):
    import datetime
    return datetime.date.fromisoformat(d).toordinal()


def test_304_and_head(api, first_urn):
    _, r = feed(api, first_urn)
    etag = r.headers["ETag"]
    r2 = api.get(feed_path(first_urn), role="school_system", headers={"If-None-Match": etag})
    assert r2.status_code == 304 and r2.content == b"" and r2.headers["ETag"] == etag
    h = api.head(feed_path(first_urn), role="school_system", fresh=True)
    assert h.status_code == 200 and h.headers["ETag"] == etag and h.content == b""
    # another year is another representation
    _, r3 = feed(api, first_urn, year="2025-26")
    assert r3.headers["ETag"] != etag


def test_who_may_read(api, first_urn, make_token):
    feed(api, first_urn, role="finance_director")   # now in a worker's cache
    for role in ("finance_director", "auditor", "business_manager", "school_system"):
        feed(api, first_urn, role=role)
    problem(api.get(feed_path(first_urn), role="admin"), 403, "forbidden")
    problem(api.get(feed_path(first_urn)), 401)
    for role in ("school_system", "business_manager"):
        problem(api.get(feed_path("159905"), role=role), 403, "forbidden")
    # a school system of another school: 403, also when the feed is in the cache
    _, tok = make_token("school_system", schools=["159905"])
    r = api.get(feed_path("159905"), token=tok)
    assert expect(r, 200)["urn"] == "159905"
    for _ in range(4):                                  # both workers, cached or not
        problem(api.get(feed_path(first_urn), token=tok, fresh=True), 403, "forbidden")


@pytest.mark.parametrize("urn,params,status,field", [
    ("15990", {}, 400, "path:urn"), ("999999", {}, 404, None), ("159901", {"year": "2026"}, 422, "query:year"),
    ("159901", {"limit": "0"}, 422, "query:limit"), ("159901", {"colour": "red"}, 422, "query:colour"),
    ("159901", {"updated_since": "yesterday"}, 422, "query:updated_since"), ("159901", {"after": "zz"}, 422, "query:after"),
])
def test_bad_requests(api, urn, params, status, field):
    problem(api.get(feed_path(urn), role="finance_director", params=params), status, None, [field] if field else None)


def test_paging(api, first_urn):
    full, _ = feed(api, first_urn)
    seen, params, pages = [], {"limit": 3}, 0
    url = feed_path(first_urn)
    while url:
        r = api.get(url, role="school_system", params=params if pages == 0 else None)
        body = expect(r, 200)
        pages += 1
        seen += body["items"]
        assert body["total_cost_pence"] == full["total_cost_pence"]
        if body["next"]:
            link = r.headers["Link"]
            assert link.endswith('rel="next"') and f"after={body['next']}" in link
            # the same page again comes from the cache with the same Link
            again = api.get(url, role="school_system", params=params if pages == 1 else None)
            assert again.headers.get("Link") == link and again.text == r.text
            url = link[1:link.index(">")]
        else:
            assert "Link" not in r.headers
            url = None
    assert pages == -(-len(full["items"]) // 3)
    assert seen == full["items"]


def test_updated_since_and_tombstones(api, first_urn):
    t0 = db_now()
    s = make_service(api, basis="equal", annual_cost_pence=20000)
    mine = expect(subscribe(api, s["id"], first_urn, start_date="2046-09-01"), 201)
    expect(subscribe(api, s["id"], "159904", start_date="2046-09-01"), 201)
    body, _ = feed(api, first_urn, year="2046-47", updated_since=t0)
    assert [(i["id"], i["cost_pence"], i["deleted"]) for i in body["items"]] == [(mine["id"], 10000, False)]
    assert body["items"][0]["explanation"] == "1 of 2 schools × £200.00"
    # a sync with a later updated_since sees nothing new
    t1 = db_now()
    body, _ = feed(api, first_urn, year="2046-47", updated_since=t1)
    assert body["items"] == []
    # removed: a tombstone for a sync, gone from the full feed
    path = f"/api/v1/services/{s['id']}/subscriptions/{mine['id']}"
    assert api.delete(path, role="finance_director", headers={"If-Match": '"1"'}).status_code == 204
    body, _ = feed(api, first_urn, year="2046-47", updated_since=t1)
    assert body["items"] == [{"id": mine["id"], "service_id": s["id"], "deleted": True,
                              "updated_at": body["items"][0]["updated_at"]}]
    assert body["items"][0]["updated_at"] > t1
    full, _ = feed(api, first_urn, year="2046-47")
    assert mine["id"] not in [i["id"] for i in full["items"]]
    # moved out of the year: also a tombstone for this year's sync
    other = expect(subscribe(api, s["id"], first_urn, start_date="2046-09-01", level="b"), 201)
    t2 = db_now()
    opath = f"/api/v1/services/{s['id']}/subscriptions/{other['id']}"
    expect(api.put(opath, role="finance_director", json=dict(other, start_date="2047-09-01"),
                   headers={"If-Match": '"1"'}), 200)
    body, _ = feed(api, first_urn, year="2046-47", updated_since=t2)
    assert [(i["id"], i["deleted"]) for i in body["items"]] == [(other["id"], True)]


def test_other_schools_data_moves_the_item_and_the_etag(api, first_urn):
    """The school's share depends on the other subscribers' census: changing it changes the item, its
    updated_at and the feed's ETag, and a sync sees it."""
    set_census(api, first_urn, "2047-48", pupils=300)
    set_census(api, "159902", "2047-48", pupils=100)
    s = make_service(api, annual_cost_pence=100000)
    mine = expect(subscribe(api, s["id"], first_urn, start_date="2047-09-01"), 201)
    expect(subscribe(api, s["id"], "159902", start_date="2047-09-01"), 201)
    body, r = feed(api, first_urn, year="2047-48")
    item = [i for i in body["items"] if i["id"] == mine["id"]][0]
    assert item["cost_pence"] == 75000 and item["explanation"] == "pupils 300 of 400 × £1,000.00"
    t1 = db_now()
    set_census(api, "159902", "2047-48", pupils=200)
    before_another_person_reads()
    r2 = api.get(feed_path(first_urn), role="school_system", params={"year": "2047-48"},
                 headers={"If-None-Match": r.headers["ETag"]})
    body2 = expect(r2, 200)
    item2 = [i for i in body2["items"] if i["id"] == mine["id"]][0]
    assert item2["cost_pence"] == 60000 and item2["explanation"] == "pupils 300 of 500 × £1,000.00"
    assert item2["updated_at"] > item["updated_at"] and r2.headers["ETag"] != r.headers["ETag"]
    synced, _ = feed(api, first_urn, year="2047-48", updated_since=t1)
    assert mine["id"] in [i["id"] for i in synced["items"]]


def test_etag_covers_todays_date(api, first_urn, spawn, tmp_path):
    """The same data on another day: days_to_notice moves, and so does the ETag."""
    base, r = feed(api, first_urn)
    port = free_port()
    conf = tmp_path / "tomorrow.conf"
    conf.write_text(config_text(port).replace(f'today = "{TODAY}"', 'today = "2026-11-23"'))
    d = spawn("tomorrow", port=port, conf=conf)
    r2 = api.get(d.url + feed_path(first_urn), role="school_system", fresh=True,
                 headers={"If-None-Match": r.headers["ETag"]})
    body = expect(r2, 200)
    assert r2.headers["ETag"] != r.headers["ETag"]
    a = {i["id"]: i for i in base["items"]}
    for it in body["items"]:
        if it["days_to_notice"] is not None:
            assert it["days_to_notice"] == a[it["id"]]["days_to_notice"] - 1
            assert dict(it, days_to_notice=None) == dict(a[it["id"]], days_to_notice=None)


def test_a_write_shows_at_once_and_through_another_instance(api, first_urn, spawn):
    s = make_service(api, basis="equal", annual_cost_pence=5000)
    sub = expect(subscribe(api, s["id"], first_urn, level="bronze"), 201)
    body, _ = feed(api, first_urn)
    assert [i["level"] for i in body["items"] if i["id"] == sub["id"]] == ["bronze"]
    path = f"/api/v1/services/{s['id']}/subscriptions/{sub['id']}"
    expect(api.put(path, role="finance_director", json=dict(sub, level="silver"), headers={"If-Match": '"1"'}), 200)
    # at once on one instance; in cluster mode the school system may be on the other one
    before_another_person_reads()
    for _ in range(4):
        body = expect(api.get(feed_path(first_urn), role="school_system", fresh=True), 200)
        assert [i["level"] for i in body["items"] if i["id"] == sub["id"]] == ["silver"]
    # a write through another instance shows here within cache.refresh_ms
    other = spawn("feed-writer")
    expect(api.put(other.url + path, role="finance_director", json=dict(sub, level="gold"),
                   headers={"If-Match": '"2"'}, fresh=True), 200)
    time.sleep(max(CACHE_REFRESH_MS / 1000 * 3, CLUSTER_READ_BOUND_S))
    for _ in range(4):
        body = expect(api.get(feed_path(first_urn), role="school_system", fresh=True), 200)
        assert [i["level"] for i in body["items"] if i["id"] == sub["id"]] == ["gold"]


def test_a_304_poll_touches_no_database(api, first_urn, db_control, tmp_path, tokens):
    """With the cache revalidated only once a minute, the feed keeps answering (200 and 304) from
    the worker's cache while the database is down; a read that is not cached gets 503."""
    port = free_port()
    conf = tmp_path / "slow-refresh.conf"
    conf.write_text(config_text(port).replace(f"refresh_ms = {CACHE_REFRESH_MS};", "refresh_ms = 60000;"))
    d = Daemon("slow-refresh", port=port, conf=conf).start()
    sess = requests.Session()
    h = {"Authorization": f"Bearer {tokens['school_system']}"}
    try:
        r = sess.get(d.url + feed_path(first_urn), headers=h, timeout=10)
        expect(r, 200)
        etag = r.headers["ETag"]
        db_control.stop()
        r304 = sess.get(d.url + feed_path(first_urn), headers={**h, "If-None-Match": etag}, timeout=10)
        assert r304.status_code == 304
        r200 = sess.get(d.url + feed_path(first_urn), headers=h, timeout=10)
        assert r200.status_code == 200 and r200.text == r.text
        miss = sess.get(d.url + f"/api/v1/schools/{first_urn}/budgets/2026-27", headers=h, timeout=10)
        assert miss.status_code == 503
    finally:
        sess.close()
        db_control.start()
        d.stop()
