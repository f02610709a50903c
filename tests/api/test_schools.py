"""/api/v1/schools and /api/v1/schools/{urn}: reads, conditional reads, and
PUT with optimistic concurrency and the shared body validator."""
import json
import time

import pytest

from conftest import MAX_BODY, audit_added, audit_max, error_fields, expect, problem, sql, sql_rows, sql_value, unchanged

FIELDS = {"urn", "kind", "name", "phase", "local_authority", "finance_model", "floor_area_m2",
          "staff_by_post", "periods_per_cycle",             # issue 16: staffing by post
          "version", "created_at", "updated_at"}
WRITABLE = ("name", "phase", "local_authority", "finance_model", "floor_area_m2")


def get_school(api, urn, role="finance_director"):
    r = api.get(f"/api/v1/schools/{urn}", role=role)
    return expect(r, 200), r.headers["ETag"]


def writable(school):
    return {k: school[k] for k in WRITABLE}


def row_q(urn):
    return f"SELECT * FROM schools WHERE urn = '{urn}'"


def put(api, urn, body, etag=None, role="finance_director", **kw):
    headers = dict(kw.pop("headers", {}))
    if etag is not None:
        headers["If-Match"] = etag
    if isinstance(body, (bytes, str)):
        return api.put(f"/api/v1/schools/{urn}", role=role, body=body, headers=headers, **kw)
    return api.put(f"/api/v1/schools/{urn}", role=role, json=body, headers=headers, **kw)


@pytest.fixture(scope="module")
def scratch(school_urns):
    """A school the writing tests here may change (not the tokens' first school)."""
    return school_urns[-2]


# ---- reads ----

def test_list_has_every_entity(api, seeded):
    body = expect(api.get("/api/v1/schools", role="finance_director"), 200)
    assert set(body) == {"items", "next"}
    assert body["next"] is None
    urns = sorted(s["urn"] for s in body["items"])
    assert urns == sorted(r[0] for r in sql_rows("SELECT urn FROM schools"))
    assert len(urns) == 10, urns                   # 9 schools + the central team
    kinds = [s["kind"] for s in body["items"]]
    assert kinds.count("central") == 1 and kinds.count("school") == 9
    assert "central" in urns


def test_list_fields(api):
    body = expect(api.get("/api/v1/schools", role="auditor"), 200)
    for s in body["items"]:
        assert set(s) == FIELDS, f"fields of {s.get('urn')}: {sorted(s)}"
        assert not any(k.startswith("_") for k in s)
        assert isinstance(s["version"], int) and s["version"] >= 1
        if s["kind"] == "school":
            assert len(s["urn"]) == 6 and s["urn"].isdigit()
            assert s["phase"] in ("primary", "infant", "junior", "secondary", "special", "all-through")
            assert s["finance_model"] in ("local", "central"), s
        else:
            assert s["urn"] == "central" and s["phase"] is None


def test_list_matches_the_database(api):
    body = expect(api.get("/api/v1/schools", role="auditor"), 200)
    db = {r[0]: r for r in sql_rows("SELECT urn, name, local_authority, finance_model, version FROM schools")}
    for s in body["items"]:
        urn, name, la, model, version = db[s["urn"]]
        assert (s["name"], s["local_authority"], s["finance_model"], s["version"]) == (name, la, model, int(version))


def test_seeded_trust_shape(api):
    """schema/seed/020_trust.sql: six Newham schools, three in Southend-on-Sea, one special."""
    body = expect(api.get("/api/v1/schools", role="auditor"), 200)
    schools = [s for s in body["items"] if s["kind"] == "school"]
    assert sorted(s["urn"] for s in schools) == [f"1599{i:02d}" for i in range(1, 10)]
    las = sorted(s["local_authority"] for s in schools)
    assert las.count("Newham") == 6 and las.count("Southend-on-Sea") == 3, las
    assert [s["urn"] for s in schools if s["phase"] == "special"] == ["159906"]
    # Newham primaries on central (GAG pooling), the special school and Southend on local
    for s in schools:
        if s["local_authority"] == "Newham" and s["phase"] != "special":
            assert s["finance_model"] == "central", s
        else:
            assert s["finance_model"] == "local", s
    central = next(s for s in body["items"] if s["kind"] == "central")
    assert central["finance_model"] == "" and central["phase"] is None


def test_timestamps_are_rfc3339_utc(api):
    import re
    body = expect(api.get("/api/v1/schools", role="auditor"), 200)
    for s in body["items"]:
        for k in ("created_at", "updated_at"):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z", s[k]), s[k]
        assert s["updated_at"] >= s["created_at"]


def test_list_etag_and_304(api):
    r = api.get("/api/v1/schools", role="auditor")
    expect(r, 200)
    etag = r.headers.get("ETag")
    assert etag and etag.startswith('"')
    r2 = api.get("/api/v1/schools", role="auditor", headers={"If-None-Match": etag})
    assert r2.status_code == 304 and r2.content == b""


def test_get_one_etag_is_version(api, first_urn):
    r = api.get(f"/api/v1/schools/{first_urn}", role="auditor")
    s = expect(r, 200)
    assert set(s) == FIELDS
    assert s["urn"] == first_urn
    assert r.headers["ETag"] == f'"{s["version"]}"'
    assert s["version"] == int(sql_value(f"SELECT version FROM schools WHERE urn = '{first_urn}'"))


def test_if_none_match_304(api, first_urn):
    s, etag = get_school(api, first_urn)
    for inm in (etag, f'"999999", {etag}', f"W/{etag}", "*"):
        r = api.get(f"/api/v1/schools/{first_urn}", role="finance_director", headers={"If-None-Match": inm})
        assert r.status_code == 304, (inm, r.status_code, r.text)
        assert r.headers.get("ETag") == etag
        assert r.content == b""
    r = api.get(f"/api/v1/schools/{first_urn}", role="finance_director", headers={"If-None-Match": '"999999"'})
    assert expect(r, 200) == s


def test_get_central(api):
    r = api.get("/api/v1/schools/central", role="finance_director")
    c = expect(r, 200)
    assert c["urn"] == "central" and c["kind"] == "central" and c["phase"] is None
    assert r.headers["ETag"] == f'"{c["version"]}"'


@pytest.mark.parametrize("urn", ["12345", "1234567", "abcdef", "12345a", "CENTRAL", "-12345"])
def test_bad_urn_400(api, urn):
    p = problem(api.get(f"/api/v1/schools/{urn}", role="finance_director"), 400, "bad-request",
                fields=["path:urn"])
    assert p["errors"][0]["field"] == "path:urn"


def test_unknown_urn_404(api):
    problem(api.get("/api/v1/schools/999999", role="finance_director"), 404, "not-found")


def test_get_rejects_query_parameters(api, first_urn):
    problem(api.get(f"/api/v1/schools/{first_urn}", role="auditor", params={"x": "1"}), 422, "validation",
            fields=["query:x"])


# ---- PUT: preconditions ----

def test_put_without_if_match_428(api, scratch):
    s, _etag = get_school(api, scratch)
    with unchanged(row_q(scratch)):
        problem(put(api, scratch, writable(s)), 428, "precondition-required")


@pytest.mark.parametrize("im", ['"0"', '"999"', "abc", 'W/"1"', '"1" "2"', '"1', ""])
def test_put_stale_or_bad_if_match_412(api, scratch, im):
    s, etag = get_school(api, scratch)
    if im == etag:
        pytest.skip("coincides with the current version")
    body = writable(s)
    body["name"] = "Should not be stored"
    with unchanged(row_q(scratch)):
        problem(put(api, scratch, body, im), 412, "precondition-failed")


def test_put_previous_version_412(api, scratch):
    s, etag = get_school(api, scratch)
    body = writable(s)
    expect(put(api, scratch, body, etag), 200)
    body["name"] = "Lost update"
    with unchanged(row_q(scratch)):
        problem(put(api, scratch, body, etag), 412, "precondition-failed")


def test_put_updates(api, scratch):
    s, etag = get_school(api, scratch)
    a0 = audit_max()
    body = writable(s)
    body["name"] = s["name"].rstrip(" *") + " *"
    body["floor_area_m2"] = 4321
    time.sleep(0.002)
    r = put(api, scratch, body, etag, headers={"X-Request-Id": "put-school-1"})
    out = expect(r, 200)
    assert out["version"] == s["version"] + 1
    assert r.headers["ETag"] == f'"{s["version"] + 1}"'
    assert out["name"] == body["name"] and out["floor_area_m2"] == 4321
    assert out["updated_at"] != s["updated_at"] and out["updated_at"] > s["updated_at"]
    assert out["created_at"] == s["created_at"]
    assert set(out) == FIELDS
    # the GET agrees
    s2, etag2 = get_school(api, scratch)
    assert s2 == out and etag2 == r.headers["ETag"]
    # one audit row with before and after
    rows = sql_rows(f"SELECT action, entity, entity_id, role, request_id, before_json, after_json "
                    f"FROM audit_log WHERE id > {a0} ORDER BY id")
    assert len(rows) == 1, rows
    action, entity, entity_id, role, rid, before, after = rows[0]
    assert (action, entity, entity_id, role, rid) == ("update", "school", scratch, "finance_director", "put-school-1")
    before, after = json.loads(before), json.loads(after)
    assert before["name"] == s["name"] and before["version"] == s["version"]
    assert after["name"] == body["name"] and after["version"] == s["version"] + 1


def test_put_same_etag_twice_second_412(api, scratch):
    s, etag = get_school(api, scratch)
    body = writable(s)
    expect(put(api, scratch, body, etag), 200)
    with unchanged(row_q(scratch)):
        problem(put(api, scratch, body, etag), 412)


def test_get_modify_put_round_trip(api, scratch):
    s, etag = get_school(api, scratch)
    s["name"] = s["name"].rstrip(" +") + " +"       # everything else sent back as read
    out = expect(put(api, scratch, s, etag), 200)
    assert out["name"] == s["name"] and out["version"] == s["version"] + 1


def test_get_modify_put_round_trip_central(api):
    c, etag = get_school(api, "central")
    out = expect(put(api, "central", c, etag), 200)
    assert out["version"] == c["version"] + 1 and out["phase"] is None and out["kind"] == "central"


def test_put_unknown_urn_404(api):
    with unchanged("SELECT COUNT(*) FROM schools"):
        problem(put(api, "999999", {"name": "x", "phase": "primary"}, '"1"'), 404, "not-found")


def test_put_bad_urn_400(api):
    with unchanged("SELECT COUNT(*) FROM schools"):
        problem(put(api, "12345", {"name": "x", "phase": "primary"}, '"1"'), 400, fields=["path:urn"])


# ---- PUT: bodies ----

def rejected(api, urn, body, status, slug=None, fields=None, **kw):
    """PUT with the current ETag, expect a problem, and check nothing changed."""
    _s, etag = get_school(api, urn)
    with unchanged(row_q(urn)):
        return problem(put(api, urn, body, etag, **kw), status, slug, fields)


def test_malformed_json_400(api, scratch):
    p = rejected(api, scratch, '{\n  "name":', 400, "malformed-json")
    assert "line 2" in p["detail"] and "column" in p["detail"], p["detail"]


@pytest.mark.parametrize("raw", ['{"name": "x",}', "", "   ", '{"name": "x"} trailing', "[1,", "nul",
                                 '{"name": \'x\'}'])
def test_malformed_json_variants_400(api, scratch, raw):
    rejected(api, scratch, raw, 400, "malformed-json")


def test_duplicate_key_400(api, scratch):
    s, _ = get_school(api, scratch)
    p = rejected(api, scratch, f'{{"name": "a", "phase": "{s["phase"]}", "name": "b"}}', 400, "duplicate-key")
    assert "/name" in p["detail"] or "/name" in [e["field"] for e in p.get("errors", [])]


def test_wrong_type_422(api, scratch):
    s, _ = get_school(api, scratch)
    body = writable(s)
    body["name"] = 5
    p = rejected(api, scratch, body, 422, "validation", ["/name"])
    assert len(p["errors"]) == 1, p
    assert p["errors"][0]["message"]


def test_unknown_field_422(api, scratch):
    s, _ = get_school(api, scratch)
    body = writable(s)
    body["unknown"] = 1
    p = rejected(api, scratch, body, 422, "validation", ["/unknown"])
    assert len(p["errors"]) == 1, p


def test_field_names_are_case_sensitive(api, scratch):
    s, _ = get_school(api, scratch)
    body = writable(s)
    body["Name"] = body.pop("name")
    rejected(api, scratch, body, 422, "validation", ["/Name", "/name"])


def test_field_pointer_escaping(api, scratch):
    s, _ = get_school(api, scratch)
    body = writable(s)
    body["a/b~c"] = 1
    rejected(api, scratch, body, 422, "validation", ["/a~1b~0c"])


def test_multiple_errors_reported_together(api, scratch):
    body = {"name": 5, "phase": "college", "floor_area_m2": "big", "bogus": True, "local_authority": None}
    p = rejected(api, scratch, body, 422, "validation",
                 ["/name", "/phase", "/floor_area_m2", "/bogus", "/local_authority"])
    assert len(p["errors"]) == 5, p


def test_name_required(api, scratch):
    s, _ = get_school(api, scratch)
    body = writable(s)
    del body["name"]
    rejected(api, scratch, body, 422, "validation", ["/name"])


@pytest.mark.parametrize("field,value", [
    ("name", ""), ("name", "x" * 201), ("floor_area_m2", -1), ("floor_area_m2", 1.5),
    ("floor_area_m2", 1000001), ("floor_area_m2", True), ("phase", "college"), ("phase", 3),
    ("local_authority", "x" * 101),
])
def test_bad_values_422(api, scratch, field, value):
    s, _ = get_school(api, scratch)
    body = writable(s)
    body[field] = value
    rejected(api, scratch, body, 422, "validation", [f"/{field}"])


def test_name_length_counts_characters(api, scratch):
    s, etag = get_school(api, scratch)
    body = writable(s)
    body["name"] = "é" * 200
    out = expect(put(api, scratch, body, etag), 200)
    assert out["name"] == "é" * 200
    s2, etag2 = get_school(api, scratch)
    assert s2["name"] == "é" * 200
    body["name"] = "é" * 201
    with unchanged(row_q(scratch)):
        problem(put(api, scratch, body, etag2), 422, "validation", ["/name"])
    body["name"] = s["name"]
    expect(put(api, scratch, body, etag2), 200)


def test_unicode_round_trip(api, scratch):
    s, etag = get_school(api, scratch)
    body = writable(s)
    body["name"] = "St Æthelburh’s “Primary” 🏫 \\ \"quoted\""
    expect(put(api, scratch, body, etag), 200)
    s2, _ = get_school(api, scratch)
    assert s2["name"] == body["name"]


def test_finance_model_must_be_loaded(api, scratch):
    s, _ = get_school(api, scratch)
    body = writable(s)
    body["finance_model"] = "pooling"
    p = rejected(api, scratch, body, 422, "validation", ["/finance_model"])
    msg = next(e["message"] for e in p["errors"] if e["field"] == "/finance_model")
    assert "local, central" in msg, msg


def test_finance_model_switch(api, scratch):
    s, etag = get_school(api, scratch)
    body = writable(s)
    body["finance_model"] = "central" if s["finance_model"] == "local" else "local"
    out = expect(put(api, scratch, body, etag), 200)
    assert out["finance_model"] == body["finance_model"]
    body["finance_model"] = s["finance_model"]
    expect(put(api, scratch, body, f'"{out["version"]}"'), 200)


def test_school_phase_null_422(api, scratch):
    s, _ = get_school(api, scratch)
    body = writable(s)
    body["phase"] = None
    rejected(api, scratch, body, 422, "validation", ["/phase"])
    del body["phase"]
    rejected(api, scratch, body, 422, "validation", ["/phase"])


def test_central_with_phase_422(api):
    c, _ = get_school(api, "central")
    body = writable(c)
    body["phase"] = "primary"
    rejected(api, "central", body, 422, "validation", ["/phase"])


def test_central_with_finance_model_422(api):
    c, _ = get_school(api, "central")
    body = writable(c)
    body["finance_model"] = "local"
    rejected(api, "central", body, 422, "validation", ["/finance_model"])


def test_body_too_large_413(api, scratch):
    s, _ = get_school(api, scratch)
    raw = json.dumps({"name": "x" * (MAX_BODY + 10), "phase": s["phase"]})
    assert len(raw) > MAX_BODY
    rejected(api, scratch, raw, 413, "payload-too-large")


def test_body_at_the_limit_is_read(api, scratch):
    s, _ = get_school(api, scratch)
    raw = json.dumps({"name": "", "phase": s["phase"]})
    raw = raw.replace('""', '"' + "x" * (MAX_BODY - len(raw)) + '"')
    assert len(raw) == MAX_BODY
    # parsed and validated (the name is too long), not refused for its size
    rejected(api, scratch, raw, 422, "validation", ["/name"])


@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencoded", "application/jsonx",
                                   "application/json; charset=latin1", None])
def test_wrong_content_type_415(api, scratch, ctype):
    s, _ = get_school(api, scratch)
    headers = {"Content-Type": ctype} if ctype else {}
    rejected(api, scratch, json.dumps(writable(s)), 415, "unsupported-media-type", headers=headers,
             json_ct=ctype is not None)


@pytest.mark.parametrize("ctype", ["application/json; charset=utf-8", "Application/JSON", "application/json;charset=UTF-8"])
def test_content_type_variants_accepted(api, scratch, ctype):
    s, etag = get_school(api, scratch)
    r = put(api, scratch, json.dumps(writable(s)), etag, headers={"Content-Type": ctype})
    expect(r, 200)


@pytest.mark.parametrize("raw", [b'{"name": "\xff\xfe"}', b'{"name": "\xc0\xaf"}', b'{"name": "\xed\xa0\x80"}'])
def test_non_utf8_400(api, scratch, raw):
    rejected(api, scratch, raw, 400, "malformed-json")


def test_urn_in_body_must_match_path(api, scratch, first_urn):
    s, _ = get_school(api, scratch)
    s["urn"] = first_urn
    rejected(api, scratch, s, 422, "validation", ["/urn"])


def test_body_not_an_object_points_at_the_document(api, scratch):
    p = rejected(api, scratch, "[]", 422, "validation")
    assert error_fields(p) == [""], p


def test_body_not_an_object_422(api, scratch):
    for raw in ("[]", "5", '"name"', "null"):
        rejected(api, scratch, raw, 422, "validation")


def test_problem_has_instance(api):
    p = problem(api.get("/api/v1/schools/999999", role="auditor"), 404)
    assert p.get("instance") == "/api/v1/schools/999999"


def test_put_rejects_query_parameters(api, scratch):
    s, etag = get_school(api, scratch)
    with unchanged(row_q(scratch)):
        problem(api.put(f"/api/v1/schools/{scratch}?dry_run=1", role="finance_director", json=writable(s),
                        headers={"If-Match": etag}), 422, "validation", ["query:dry_run"])


def test_nested_duplicate_key_pointer(api, scratch):
    s, _ = get_school(api, scratch)
    p = rejected(api, scratch, f'{{"name": "a", "phase": "{s["phase"]}", "x": [{{"k": 1}}, {{"k": 1, "k": 2}}]}}',
                 400, "duplicate-key")
    assert "/x/1/k" in p["detail"] or "/x/1/k" in [e["field"] for e in p.get("errors", [])], p


@pytest.mark.parametrize("depth", [200, 5000])
def test_deep_nesting_is_refused_cleanly(api, scratch, depth):
    raw = "[" * depth + "]" * depth
    r = put(api, scratch, raw, get_school(api, scratch)[1])
    assert r.status_code in (400, 422), r.text
    problem(r, r.status_code)
    assert api.get("/healthz").status_code == 200


def test_nul_in_a_string_is_not_truncated_silently(api, scratch):
    """cJSON would cut a string at U+0000: such a body is refused whole, nothing stored."""
    s, etag = get_school(api, scratch)
    body = writable(s)
    body["name"] = "Before\u0000After"
    with unchanged("SELECT * FROM schools ORDER BY id"):
        r = put(api, scratch, body, etag)
    p = problem(r, 400, "malformed-json")
    assert "U+0000" in p["detail"]


def test_concurrent_puts_one_wins(api, scratch):
    """Ten PUTs with the same If-Match at once: exactly one succeeds, the rest get 412."""
    import concurrent.futures
    s, etag = get_school(api, scratch)
    a0 = audit_max()

    def one(i):
        body = dict(writable(s), name=f"{s['name'][:180]} #{i}")
        return put(api, scratch, body, etag, fresh=True).status_code

    with concurrent.futures.ThreadPoolExecutor(10) as ex:
        got = list(ex.map(one, range(10)))
    assert sorted(got) == [200] + [412] * 9, got
    s2, etag2 = get_school(api, scratch)
    assert s2["version"] == s["version"] + 1 and etag2 == f'"{s["version"] + 1}"'
    assert audit_added(a0) == 1
    expect(put(api, scratch, writable(s), etag2), 200)


def test_all_errors_at_once_including_phase(api, scratch):
    p = rejected(api, scratch, {}, 422, "validation")
    assert sorted(error_fields(p)) == ["/name", "/phase"], p


def test_urn_map_finds_a_school_added_behind_its_back(api):
    """Workers turn URNs into ids from a map revalidated with the audit log. A school
    added with no audit row (a seed script, another instance within cache.refresh_ms)
    is found at once, not after the next write: a URN the map lacks is looked up."""
    urn = "999990"
    path = f"/api/v1/schools/{urn}/years"
    for _ in range(6):                         # new connections: every worker's map, loaded without it
        problem(api.get(path, role="finance_director", fresh=True), 404)
    a0 = audit_max()
    sql(f"INSERT INTO schools (urn, kind, name, phase, local_authority) "
        f"VALUES ('{urn}', 'school', 'Behind-the-Back Academy', 'primary', 'Newham')")
    try:
        assert audit_max() == a0
        for _ in range(6):
            assert expect(api.get(path, role="finance_director", fresh=True), 200)["items"] == []
    finally:
        sql(f"DELETE FROM schools WHERE urn = '{urn}'")
