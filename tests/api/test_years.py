"""/api/v1/schools/{urn}/years[/{year}]: census and reserves per academic year;
PUT creates (no If-Match, 201) or updates (If-Match)."""
import json

import pytest

from conftest import audit_max, expect, problem, sql, sql_rows, unchanged

FIELDS = {"year", "pupils", "places", "fte", "opening_reserves_pence", "reserves_basis", "actual",
          "version", "created_at", "updated_at"}
SEEDED_YEARS = ["2024-25", "2025-26", "2026-27"]


@pytest.fixture(scope="module")
def scratch(school_urns):
    """A school whose years the tests here may add to (years from 2030 on)."""
    return school_urns[-3]


def ypath(urn, year):
    return f"/api/v1/schools/{urn}/years/{year}"


def years_q(urn):
    return (f"SELECT y.* FROM school_years y JOIN schools s ON s.id = y.school_id "
            f"WHERE s.urn = '{urn}' ORDER BY y.year")


def put_year(api, urn, year, body, etag=None, role="finance_director", **kw):
    headers = dict(kw.pop("headers", {}))
    if etag is not None:
        headers["If-Match"] = etag
    if isinstance(body, (str, bytes)):
        return api.put(ypath(urn, year), role=role, body=body, headers=headers, **kw)
    return api.put(ypath(urn, year), role=role, json=body, headers=headers, **kw)


def rejected(api, urn, year, body, status, slug=None, fields=None, etag=None, **kw):
    with unchanged(years_q(urn)):
        return problem(put_year(api, urn, year, body, etag, **kw), status, slug, fields)


GOOD = {"pupils": 630, "places": None, "fte": 28.4, "opening_reserves_pence": 12345678,
        "reserves_basis": "estimated", "actual": False}


# ---- reads ----

def test_list_years(api, first_urn):
    r = api.get(f"/api/v1/schools/{first_urn}/years", role="finance_director")
    body = expect(r, 200)
    assert set(body) == {"items", "next"} and body["next"] is None
    years = [y["year"] for y in body["items"]]
    assert years == sorted(years)
    db_years = [f"{int(y)}-{(int(y) + 1) % 100:02d}" for (y,) in sql_rows(
        f"SELECT y.year FROM school_years y JOIN schools s ON s.id = y.school_id "
        f"WHERE s.urn = '{first_urn}' ORDER BY y.year")]
    assert years == db_years
    assert years[:3] == SEEDED_YEARS, years
    for y in body["items"]:
        assert set(y) == FIELDS, sorted(y)
    assert r.headers.get("ETag")
    r2 = api.get(f"/api/v1/schools/{first_urn}/years", role="finance_director",
                 headers={"If-None-Match": r.headers["ETag"]})
    assert r2.status_code == 304 and r2.content == b""


def test_every_school_has_census_history(api):
    for urn, n in sql_rows("SELECT s.urn, COUNT(y.id) FROM schools s LEFT JOIN school_years y "
                           "ON y.school_id = s.id AND y.year BETWEEN 2024 AND 2026 "
                           "WHERE s.kind = 'school' GROUP BY s.urn"):
        assert int(n) == 3, f"school {urn} has {n} of the years 2024-25..2026-27"


def test_seeded_year_values_match_db(api, first_urn):
    body = expect(api.get(f"/api/v1/schools/{first_urn}/years", role="auditor"), 200)
    db = {int(r[0]): r for r in sql_rows(
        f"SELECT y.year, y.pupils, y.fte_hundredths, y.opening_reserves_pence, y.version FROM school_years y "
        f"JOIN schools s ON s.id = y.school_id WHERE s.urn = '{first_urn}'")}
    for y in body["items"]:
        _, pupils, fte, reserves, version = db[int(y["year"][:4])]
        assert y["pupils"] == (None if pupils == "NULL" else int(pupils))
        assert y["fte"] == (None if fte == "NULL" else int(fte) / 100)
        assert y["opening_reserves_pence"] == (None if reserves == "NULL" else int(reserves))
        assert y["version"] == int(version)
        assert isinstance(y["actual"], bool)


def test_get_one_year(api, first_urn):
    r = api.get(ypath(first_urn, "2025-26"), role="finance_director")
    y = expect(r, 200)
    assert set(y) == FIELDS and y["year"] == "2025-26"
    assert r.headers["ETag"] == f'"{y["version"]}"'
    r2 = api.get(ypath(first_urn, "2025-26"), role="finance_director", headers={"If-None-Match": r.headers["ETag"]})
    assert r2.status_code == 304 and r2.content == b""


def test_missing_year_404(api, first_urn):
    problem(api.get(ypath(first_urn, "2090-91"), role="finance_director"), 404, "not-found")


@pytest.mark.parametrize("year", ["2026-28", "26-27", "2026", "2026-2027", "abcd-ef", "1999-00", "2026-26"])
def test_bad_year_400(api, first_urn, year):
    problem(api.get(ypath(first_urn, year), role="finance_director"), 400, "bad-request", ["path:year"])
    rejected(api, first_urn, year, GOOD, 400, "bad-request", ["path:year"])


def test_years_of_unknown_school_404(api):
    problem(api.get("/api/v1/schools/999999/years", role="finance_director"), 404)
    problem(api.get(ypath("999999", "2025-26"), role="finance_director"), 404)
    with unchanged("SELECT COUNT(*) FROM school_years"):
        problem(put_year(api, "999999", "2030-31", GOOD), 404)


def test_years_bad_urn_400(api):
    problem(api.get("/api/v1/schools/12345/years", role="finance_director"), 400, fields=["path:urn"])


def test_central_years(api):
    body = expect(api.get("/api/v1/schools/central/years", role="auditor"), 200)
    for y in body["items"]:
        assert y["pupils"] is None and y["places"] is None


# ---- PUT: create and update ----

def test_put_create_then_preconditions(api, scratch):
    a0 = audit_max()
    r = put_year(api, scratch, "2030-31", GOOD, headers={"X-Request-Id": "year-create-1"})
    y = expect(r, 201)
    assert y["year"] == "2030-31" and y["version"] == 1
    assert r.headers["ETag"] == '"1"'
    for k, v in GOOD.items():
        assert y[k] == v, (k, y[k], v)
    assert set(y) == FIELDS
    assert expect(api.get(ypath(scratch, "2030-31"), role="auditor"), 200) == y
    rows = sql_rows(f"SELECT action, entity, entity_id, before_json, after_json, request_id "
                    f"FROM audit_log WHERE id > {a0}")
    assert len(rows) == 1
    action, entity, eid, before, after, rid = rows[0]
    assert (action, entity, eid, before, rid) == ("create", "school_year", f"{scratch}/2030-31", "NULL",
                                                  "year-create-1")
    assert json.loads(after)["pupils"] == 630

    # exists now: an update needs If-Match
    changed = dict(GOOD, pupils=640)
    p = rejected(api, scratch, "2030-31", changed, 428, "precondition-required")
    assert p["detail"]
    rejected(api, scratch, "2030-31", changed, 412, "precondition-failed", etag='"7"')
    rejected(api, scratch, "2030-31", changed, 412, "precondition-failed", etag='W/"1"')
    r = put_year(api, scratch, "2030-31", changed, etag='"1"')
    y2 = expect(r, 200)
    assert y2["pupils"] == 640 and y2["version"] == 2 and r.headers["ETag"] == '"2"'
    assert y2["created_at"] == y["created_at"] and y2["updated_at"] > y["updated_at"]
    last = sql_rows("SELECT action, entity, before_json FROM audit_log ORDER BY id DESC LIMIT 1")[0]
    assert last[0] == "update" and last[1] == "school_year" and json.loads(last[2])["pupils"] == 630
    # the old ETag is stale now
    rejected(api, scratch, "2030-31", changed, 412, "precondition-failed", etag='"1"')


def test_put_create_with_if_match_412(api, scratch):
    with unchanged(years_q(scratch)):
        problem(put_year(api, scratch, "2031-32", GOOD, etag='"1"'), 412, "precondition-failed")
    problem(api.get(ypath(scratch, "2031-32"), role="finance_director"), 404)


def test_put_minimal_body_defaults(api, scratch):
    # a PUT carries every field, null when not known (issue 12: {} used to null them all); actual defaults to true
    rejected(api, scratch, "2032-33", {}, 422, "validation",
             ["/pupils", "/places", "/fte", "/opening_reserves_pence", "/reserves_basis"])
    nulls = {"pupils": None, "places": None, "fte": None, "opening_reserves_pence": None, "reserves_basis": None}
    y = expect(put_year(api, scratch, "2032-33", nulls), 201)
    assert y["pupils"] is None and y["fte"] is None and y["opening_reserves_pence"] is None
    assert y["actual"] is True


def test_get_modify_put_round_trip(api, scratch):
    expect(put_year(api, scratch, "2033-34", GOOD), 201)
    r = api.get(ypath(scratch, "2033-34"), role="finance_director")
    y = expect(r, 200)
    y["pupils"] = 700                       # read-only fields (year, version, times) sent back
    y2 = expect(put_year(api, scratch, "2033-34", y, etag=r.headers["ETag"]), 200)
    assert y2["pupils"] == 700 and y2["version"] == y["version"] + 1


def test_year_in_body_must_match_path(api, scratch):
    body = dict(GOOD, year="2029-30")
    rejected(api, scratch, "2034-35", body, 422, "validation", ["/year"])


@pytest.mark.parametrize("fte,stored", [(28.4, 2840), (0.1, 10), (12, 1200), (0.29, 29), (1234.56, 123456)])
def test_fte_round_trips(api, scratch, fte, stored):
    year = "2035-36"
    r = api.get(ypath(scratch, year), role="finance_director")
    body = dict(GOOD, fte=fte)
    if r.status_code == 404:
        y = expect(put_year(api, scratch, year, body), 201)
    else:
        y = expect(put_year(api, scratch, year, body, etag=r.headers["ETag"]), 200)
    assert y["fte"] == fte
    raw = api.get(ypath(scratch, year), role="finance_director").text
    assert f'"fte":{json.dumps(fte)}' in raw.replace(" ", ""), raw
    assert sql(f"SELECT y.fte_hundredths FROM school_years y JOIN schools s ON s.id = y.school_id "
               f"WHERE s.urn = '{scratch}' AND y.year = 2035").strip() == str(stored)


@pytest.mark.parametrize("field,raw", [
    ("fte", "1.234"), ("fte", "-1"), ("fte", "100000.01"), ("fte", '"28.4"'),
    ("opening_reserves_pence", "1.5"),
    ("opening_reserves_pence", "9007199254740994"),
    ("opening_reserves_pence", "9007199254740993"),
    ("opening_reserves_pence", "-9007199254740994"),
    ("opening_reserves_pence", "1e300"),
    ("opening_reserves_pence", "100000000001"),
    ("opening_reserves_pence", "-100000000001"),
    ("opening_reserves_pence", '"100"'),
    ("pupils", "-1"), ("pupils", "100001"), ("pupils", "630.5"), ("pupils", "true"),
    ("places", "10001"),
    ("reserves_basis", '"guessed"'), ("reserves_basis", "1"),
    ("actual", '"yes"'), ("actual", "1"),
])
def test_bad_values_422(api, scratch, field, raw):
    body = dict(GOOD)
    body.pop(field, None)
    text = json.dumps(body)[:-1] + f', "{field}": {raw}}}'
    p = rejected(api, scratch, "2036-37", text, 422, "validation", [f"/{field}"])
    assert len(p["errors"]) == 1, p
    problem(api.get(ypath(scratch, "2036-37"), role="finance_director"), 404)


@pytest.mark.parametrize("reserves", [100000000000, -100000000000, 0, -1, 99999999999])
def test_reserves_limits_accepted(api, scratch, reserves):
    year = "2037-38"
    r = api.get(ypath(scratch, year), role="finance_director")
    body = dict(GOOD, opening_reserves_pence=reserves, reserves_basis="audited")
    if r.status_code == 404:
        y = expect(put_year(api, scratch, year, body), 201)
    else:
        y = expect(put_year(api, scratch, year, body, etag=r.headers["ETag"]), 200)
    assert y["opening_reserves_pence"] == reserves
    assert sql(f"SELECT y.opening_reserves_pence FROM school_years y JOIN schools s ON s.id = y.school_id "
               f"WHERE s.urn = '{scratch}' AND y.year = 2037").strip() == str(reserves)


def test_reserves_need_a_basis(api, scratch):
    body = dict(GOOD)
    del body["reserves_basis"]
    rejected(api, scratch, "2038-39", body, 422, "validation", ["/reserves_basis"])
    body["reserves_basis"] = None
    rejected(api, scratch, "2038-39", body, 422, "validation", ["/reserves_basis"])


def test_central_has_no_pupils(api):
    rejected(api, "central", "2030-31", {"pupils": 10}, 422, "validation", ["/pupils"])
    rejected(api, "central", "2030-31", {"places": 1}, 422, "validation", ["/places"])


def test_central_year_without_pupils(api):
    y = expect(put_year(api, "central", "2039-40", {"fte": 21.5, "opening_reserves_pence": 0,
                                                   "reserves_basis": "estimated"}), 201)
    assert y["pupils"] is None and y["fte"] == 21.5


def test_multiple_errors_together(api, scratch):
    body = {"pupils": "many", "fte": 1.234, "bogus": 1, "actual": None}
    rejected(api, scratch, "2040-41", body, 422, "validation", ["/pupils", "/fte", "/bogus", "/actual"])


@pytest.mark.parametrize("role", ["business_manager", "auditor", "school_system", "admin"])
def test_only_the_finance_director_writes(api, first_urn, role):
    rejected(api, first_urn, "2041-42", GOOD, 403, "forbidden", role=role)
    r = api.get(ypath(first_urn, "2025-26"), role="finance_director")
    rejected(api, first_urn, "2025-26", GOOD, 403, "forbidden", role=role, etag=r.headers["ETag"])


def test_put_year_malformed_and_media_type(api, scratch):
    rejected(api, scratch, "2042-43", '{"pupils": ', 400, "malformed-json")
    rejected(api, scratch, "2042-43", '{"pupils": 1, "pupils": 2}', 400, "duplicate-key")
    rejected(api, scratch, "2042-43", json.dumps(GOOD), 415, "unsupported-media-type",
             headers={"Content-Type": "text/plain"})


def test_seeded_figures(api):
    """A few figures of schema/seed/020_trust.sql, as the API shows them."""
    def years(urn):
        return {y["year"]: y for y in expect(api.get(f"/api/v1/schools/{urn}/years", role="auditor"), 200)["items"]}
    special = years("159906")
    assert [special[y]["places"] for y in SEEDED_YEARS] == [112, 116, 120]
    assert [special[y]["pupils"] for y in SEEDED_YEARS] == [108, 114, 118]
    deficit = years("159904")["2026-27"]
    assert deficit["opening_reserves_pence"] == -9640000 and deficit["reserves_basis"] == "estimated"
    assert years("159905")["2025-26"]["opening_reserves_pence"] == -4123658
    k = years("159901")
    assert [k[y]["fte"] for y in SEEDED_YEARS] == [81.2, 81.9, 82.4]
    assert k["2024-25"]["reserves_basis"] == "audited" and k["2024-25"]["actual"] is True
    c = years("central")
    assert [c[y]["pupils"] for y in SEEDED_YEARS] == [None] * 3
    assert c["2026-27"]["fte"] == 22.5


def test_negative_reserves_round_trip(api, scratch):
    body = dict(GOOD, opening_reserves_pence=-15270000, reserves_basis="estimated")
    y = expect(put_year(api, scratch, "2043-44", body), 201)
    assert y["opening_reserves_pence"] == -15270000
