"""/api/v1/accounts (the chart of accounts) and list paging: limit, the opaque
cursor `after`, the Link header, updated_since."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import expect, problem, sql_rows, sql_value

ACCOUNT_FIELDS = {"id", "code", "name", "kind", "group", "driver", "gag", "teacher", "support",
                  "internal", "active", "version", "created_at", "updated_at",
                  "default_profile", "bfr_line"}          # issue 17: its months' profile, its BFR line


def all_accounts(api, role="finance_director", **params):
    body = expect(api.get("/api/v1/accounts", role=role, params=dict(params, limit=1000)), 200)
    assert body["next"] is None
    return body["items"]


def codes(items):
    return [a["code"] for a in items]


def test_accounts_list(api):
    items = all_accounts(api)
    got = set(codes(items))
    want = {"I01", "E01", "E28a", "E28b", "CON01"} | {f"INT0{i}" for i in range(1, 9)}
    assert want <= got, f"missing {sorted(want - got)}"
    assert len(items) == int(sql_value("SELECT COUNT(*) FROM accounts"))
    assert len(set(codes(items))) == len(items)
    for a in items:
        assert set(a) == ACCOUNT_FIELDS, sorted(a)
        assert a["kind"] in ("income", "expenditure")
        for flag in ("gag", "teacher", "support", "internal", "active"):
            assert isinstance(a[flag], bool), (a["code"], flag, a[flag])


def test_accounts_cfr_codes(api):
    """CFR income I01-I18 (I14 left out by the seed, I01P added), expenditure E01-E32 with
    E28 split into E28a/E28b, the internal codes INT01-INT08 and CON01."""
    got = set(codes(all_accounts(api)))
    want = ({f"I{i:02d}" for i in range(1, 19)} - {"I14"}) | {"I01P"}
    want |= ({f"E{i:02d}" for i in range(1, 33)} - {"E28"}) | {"E28a", "E28b"}
    want |= {f"INT0{i}" for i in range(1, 9)} | {"CON01"}
    assert want <= got, f"missing {sorted(want - got)}"
    assert "E28" not in got


def test_accounts_flags(api):
    items = all_accounts(api)
    by = {a["code"]: a for a in items}
    assert by["I01"]["kind"] == "income" and by["E01"]["kind"] == "expenditure"
    assert {a["code"] for a in items if a["gag"]} == {"I01", "I01P"}
    assert {a["code"] for a in items if a["teacher"]} == {"E01", "E02"}
    assert {a["code"] for a in items if a["internal"]} == {f"INT0{i}" for i in range(1, 9)}
    assert all(a["kind"] == "income" for a in items if a["code"].startswith("I") and not a["internal"])
    assert all(a["kind"] == "expenditure" for a in items if a["code"].startswith("E"))
    # the internal codes come in pairs that net to zero: as many income as expenditure
    internal = [a["kind"] for a in items if a["internal"]]
    assert internal.count("income") == internal.count("expenditure") == 4
    for a in items:
        assert a["active"] is True and a["version"] == 1
        assert a["group"] and a["driver"] and a["name"]


def test_accounts_match_the_database(api):
    db = {r[0]: r for r in sql_rows("SELECT code, name, kind, grp, driver FROM accounts")}
    for a in all_accounts(api):
        assert [a["code"], a["name"], a["kind"], a["group"], a["driver"]] == db[a["code"]]


def test_accounts_unicode_names(api):
    by = {a["code"]: a for a in all_accounts(api)}
    assert "£" in by["I01P"]["name"], by["I01P"]["name"]


def test_accounts_readers(api):
    for role in ("finance_director", "auditor", "business_manager"):
        assert all_accounts(api, role=role)


@pytest.mark.parametrize("kind", ["income", "expenditure"])
def test_kind_filter(api, kind):
    items = all_accounts(api, kind=kind)
    assert items and all(a["kind"] == kind for a in items)
    assert len(items) == int(sql_value(f"SELECT COUNT(*) FROM accounts WHERE kind = '{kind}'"))


@pytest.mark.parametrize("kind", ["Income", "revenue", "", "income,expenditure"])
def test_bad_kind_422(api, kind):
    problem(api.get("/api/v1/accounts", role="auditor", params={"kind": kind}), 422, "validation", ["query:kind"])


def test_unknown_query_param_422(api):
    p = problem(api.get("/api/v1/accounts", role="auditor", params={"sort": "code"}), 422, "validation",
                ["query:sort"])
    assert len(p["errors"]) == 1


def test_several_query_errors_together(api):
    p = problem(api.get("/api/v1/accounts", role="auditor",
                        params={"kind": "x", "limit": "0", "after": "zz", "updated_since": "yesterday", "q": "1"}),
                422, "validation", ["query:kind", "query:limit", "query:after", "query:updated_since", "query:q"])
    assert len(p["errors"]) == 5, p


# ---- paging ----

def test_limit_gives_next_and_link(api):
    r = api.get("/api/v1/accounts", role="auditor", params={"limit": 3})
    body = expect(r, 200)
    assert len(body["items"]) == 3
    assert isinstance(body["next"], str) and body["next"]
    link = r.headers.get("Link", "")
    m = re.fullmatch(r'<([^>]+)>;\s*rel="next"', link)
    assert m, f"Link: {link!r}"
    q = parse_qs(urlsplit(m.group(1)).query)
    assert q.get("after") == [body["next"]] and q.get("limit") == ["3"]
    assert urlsplit(m.group(1)).path == "/api/v1/accounts"


def test_following_next_yields_every_account_once(api):
    want = sorted(codes(all_accounts(api)))
    seen, after, pages = [], None, 0
    while True:
        params = {"limit": 3}
        if after:
            params["after"] = after
        r = api.get("/api/v1/accounts", role="auditor", params=params)
        body = expect(r, 200)
        assert len(body["items"]) <= 3
        seen += codes(body["items"])
        pages += 1
        assert pages < 200
        after = body["next"]
        if after is None:
            assert "Link" not in r.headers
            break
        assert body["items"], "an empty page with a next cursor"
    assert sorted(seen) == want, "pages lost or repeated accounts"
    assert len(seen) == len(set(seen))
    assert pages == -(-len(want) // 3) or pages == -(-len(want) // 3) + 1


def test_following_link_headers(api):
    want = sorted(codes(all_accounts(api, kind="income")))
    url, seen = api.base + "/api/v1/accounts?limit=4&kind=income", []
    while url:
        r = api.get(url, role="auditor")
        body = expect(r, 200)
        assert all(a["kind"] == "income" for a in body["items"])
        seen += codes(body["items"])
        link = r.headers.get("Link")
        url = api.base + re.match(r"<([^>]+)>", link).group(1) if link else None
        assert len(seen) <= len(want)
    assert sorted(seen) == want


def test_schools_paging(api):
    all_urns = sorted(s["urn"] for s in expect(api.get("/api/v1/schools", role="auditor"), 200)["items"])
    seen, after = [], None
    while True:
        params = {"limit": 4}
        if after:
            params["after"] = after
        body = expect(api.get("/api/v1/schools", role="auditor", params=params), 200)
        seen += [s["urn"] for s in body["items"]]
        after = body["next"]
        if after is None:
            break
    assert sorted(seen) == all_urns and len(seen) == len(set(seen))


def test_limit_exactly_the_count_has_no_next(api):
    n = len(all_accounts(api))
    body = expect(api.get("/api/v1/accounts", role="auditor", params={"limit": n}), 200)
    assert len(body["items"]) == n and body["next"] is None


def test_default_limit(api):
    n = int(sql_value("SELECT COUNT(*) FROM accounts"))
    body = expect(api.get("/api/v1/accounts", role="auditor"), 200)
    assert len(body["items"]) == min(n, 100)
    assert (body["next"] is None) == (n <= 100)


@pytest.mark.parametrize("limit", ["0", "1001", "abc", "-1", "1.5", "", " 3", "3 ", "0x10", "99999999999999999999"])
def test_bad_limit_422(api, limit):
    problem(api.get("/api/v1/accounts", role="auditor", params={"limit": limit}), 422, "validation", ["query:limit"])


@pytest.mark.parametrize("limit", ["1", "1000"])
def test_limit_bounds_ok(api, limit):
    body = expect(api.get("/api/v1/accounts", role="auditor", params={"limit": limit}), 200)
    assert 1 <= len(body["items"]) <= int(limit)


@pytest.mark.parametrize("after", ["abc", "", "c", "c1", "c1.", "c-5.3", "x1.2", "c1.2.3", "c1.-2",
                                   "c99999999999999999999.1", "1"])
def test_bad_after_422(api, after):
    problem(api.get("/api/v1/accounts", role="auditor", params={"after": after}), 422, "validation",
            ["query:after"])


def test_updated_since_future_is_empty(api):
    body = expect(api.get("/api/v1/accounts", role="auditor", params={"updated_since": "2999-01-01T00:00:00Z"}), 200)
    assert body == {"items": [], "next": None}
    body = expect(api.get("/api/v1/schools", role="auditor", params={"updated_since": "2999-01-01T00:00:00Z"}), 200)
    assert body == {"items": [], "next": None}


def test_updated_since_past_is_all(api):
    n = len(all_accounts(api))
    body = expect(api.get("/api/v1/accounts", role="auditor",
                          params={"updated_since": "2000-01-01T00:00:00Z", "limit": 1000}), 200)
    assert len(body["items"]) == n


@pytest.mark.parametrize("query", ["updated_since=2000-01-01T00:00:00%2B00:00",
                                   "updated_since=2000-01-01T01:00:00%2B01:00",
                                   "updated_since=2000-01-01T00:00:00.123456Z",
                                   "updated_since=1999-12-31T19:00:00-05:00",
                                   "updated_since=2000-01-01t00:00:00z"])
def test_updated_since_forms(api, query):
    n = len(all_accounts(api))
    body = expect(api.get(f"/api/v1/accounts?{query}&limit=1000", role="auditor"), 200)
    assert len(body["items"]) == n


def test_updated_since_offset_is_applied(api):
    """The same instant written with +14:00 / -12:00 offsets selects the same rows."""
    ts = sql_value("SELECT DATE_FORMAT(MAX(updated_at) + INTERVAL 1 SECOND, '%Y-%m-%dT%H:%i:%S') FROM schools")
    z = expect(api.get("/api/v1/schools", role="auditor", params={"updated_since": ts + "Z"}), 200)
    assert z["items"] == []
    # one hour earlier in UTC, written in +01:00: "ts" local time in +01:00 is ts-1h UTC
    plus = expect(api.get(f"/api/v1/schools?updated_since={ts}%2B01:00", role="auditor"), 200)
    n_recent = int(sql_value(f"SELECT COUNT(*) FROM schools WHERE updated_at >= "
                             f"STR_TO_DATE('{ts}', '%Y-%m-%dT%H:%i:%S') - INTERVAL 1 HOUR"))
    assert len(plus["items"]) == n_recent


@pytest.mark.parametrize("since", ["yesterday", "2026-11-22", "2026-11-22 10:00:00", "2026-13-01T00:00:00Z",
                                   "2026-11-22T25:00:00Z", "2026-11-22T10:00:00", "2026-11-22T10:00:00+0100",
                                   "2026-02-30T00:00:00Z", ""])
def test_bad_updated_since_422(api, since):
    problem(api.get("/api/v1/accounts", role="auditor", params={"updated_since": since}), 422, "validation",
            ["query:updated_since"])


def test_updated_since_after_a_school_put(api, school_urns):
    urn = school_urns[-4]
    before = sql_value("SELECT DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%dT%H:%i:%S.%fZ')")
    r = api.get(f"/api/v1/schools/{urn}", role="finance_director")
    s = expect(r, 200)
    body = {k: s[k] for k in ("name", "phase", "local_authority", "finance_model", "floor_area_m2")}
    expect(api.put(f"/api/v1/schools/{urn}", role="finance_director", json=body,
                   headers={"If-Match": r.headers["ETag"]}), 200)
    got = expect(api.get("/api/v1/schools", role="auditor", params={"updated_since": before}), 200)
    assert [x["urn"] for x in got["items"]] == [urn]
    # and it comes last in the full sync order
    full = expect(api.get("/api/v1/schools", role="auditor"), 200)
    assert full["items"][-1]["urn"] == urn


def test_updated_since_with_paging(api):
    n = len(all_accounts(api))
    seen, after = [], None
    while True:
        params = {"limit": 5, "updated_since": "2000-01-01T00:00:00Z"}
        if after:
            params["after"] = after
        body = expect(api.get("/api/v1/accounts", role="auditor", params=params), 200)
        seen += codes(body["items"])
        after = body["next"]
        if after is None:
            break
    assert len(seen) == n == len(set(seen))


def test_list_etag_changes_with_page(api):
    a = api.get("/api/v1/accounts", role="auditor", params={"limit": 3})
    b = api.get("/api/v1/accounts", role="auditor", params={"limit": 4})
    assert a.headers["ETag"] != b.headers["ETag"]
    c = api.get("/api/v1/accounts", role="auditor", params={"limit": 3}, headers={"If-None-Match": a.headers["ETag"]})
    assert c.status_code == 304
