"""/api/v1/audit (the trail of every write) and /api/v1/tokens (admin)."""
import hashlib
import json

import pytest

from conftest import audit_added, audit_max, expect, problem, sql, sql_rows, sql_value, unchanged

AUDIT_FIELDS = {"id", "at", "token_id", "user_id", "role", "actor", "action", "entity", "entity_id", "request_id", "before", "after"}
TOKEN_FIELDS = {"id", "role", "label", "schools", "created_at", "revoked_at"}
TOKEN_TABLES = ("SELECT id, HEX(token_hash), role, label, created_at, revoked_at FROM api_tokens ORDER BY id", "SELECT * FROM api_token_schools ORDER BY token_id, school_id")


def touch_school(api, urn, rid=None):
    """A no-change PUT on a school (one audit row)."""
    r = api.get(f"/api/v1/schools/{urn}", role="finance_director")
    s = expect(r, 200)
    body = {k: s[k] for k in ("name", "phase", "local_authority", "finance_model", "floor_area_m2")}
    headers = {"If-Match": r.headers["ETag"]}
    if rid:
        headers["X-Request-Id"] = rid
    return expect(api.put(f"/api/v1/schools/{urn}", role="finance_director", json=body, headers=headers), 200)


# ---- audit ----

@pytest.mark.parametrize("role", ["finance_director", "auditor"])
def test_audit_readers(api, role):
    body = expect(api.get("/api/v1/audit", role=role), 200)
    assert set(body) == {"items", "next"}
    assert body["items"]
    for a in body["items"]:
        assert set(a) == AUDIT_FIELDS, sorted(a)


@pytest.mark.parametrize("role", ["business_manager", "school_system", "admin"])
def test_audit_others_403(api, role):
    problem(api.get("/api/v1/audit", role=role), 403, "forbidden")


def test_audit_newest_first(api, school_urns):
    touch_school(api, school_urns[0])
    body = expect(api.get("/api/v1/audit", role="auditor", params={"limit": 50}), 200)
    ids = [a["id"] for a in body["items"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids)
    assert ids[0] == audit_max()


def test_audit_seed_rows(api):
    body = expect(api.get("/api/v1/audit", role="auditor", params={"entity": "trust", "action": "seed"}), 200)
    assert len(body["items"]) == 1
    assert body["items"][0]["token_id"] is None and body["items"][0]["role"] == "cli"


def test_audit_filter_by_entity(api, school_urns, token_ids):
    urn = school_urns[1]
    out = touch_school(api, urn, rid="audit-filter-1")
    body = expect(api.get("/api/v1/audit", role="auditor", params={"entity": "school", "entity_id": urn}), 200)
    assert body["items"]
    for a in body["items"]:
        assert a["entity"] == "school" and a["entity_id"] == urn
    top = body["items"][0]
    assert top["action"] == "update" and top["request_id"] == "audit-filter-1"
    assert top["token_id"] == token_ids["finance_director"] and top["role"] == "finance_director"
    assert top["after"] == out and top["before"]["version"] == out["version"] - 1
    n = int(sql_value(f"SELECT COUNT(*) FROM audit_log WHERE entity = 'school' AND entity_id = '{urn}'"))
    assert len(body["items"]) == n


def test_audit_other_filters(api, token_ids, school_urns):
    touch_school(api, school_urns[2])
    fd = token_ids["finance_director"]
    body = expect(api.get("/api/v1/audit", role="auditor", params={"token_id": fd, "action": "update"}), 200)
    assert body["items"] and all(a["token_id"] == fd and a["action"] == "update" for a in body["items"])
    body = expect(api.get("/api/v1/audit", role="auditor", params={"entity": "nothing-like-this"}), 200)
    assert body == {"items": [], "next": None}
    body = expect(api.get("/api/v1/audit", role="auditor", params={"since": "2999-01-01T00:00:00Z"}), 200)
    assert body["items"] == []
    body = expect(api.get("/api/v1/audit", role="auditor", params={"until": "2000-01-01T00:00:00Z"}), 200)
    assert body["items"] == []
    n = int(sql_value("SELECT COUNT(*) FROM audit_log"))
    body = expect(api.get("/api/v1/audit", role="auditor",
                          params={"since": "2000-01-01T00:00:00Z", "until": "2999-01-01T00:00:00Z", "limit": 1000}), 200)
    assert len(body["items"]) == min(n, 1000)


def test_audit_paging(api, school_urns):
    urn = school_urns[3]
    for _ in range(5):
        touch_school(api, urn)
    want = [int(r[0]) for r in sql_rows(
        f"SELECT id FROM audit_log WHERE entity = 'school' AND entity_id = '{urn}' ORDER BY id DESC")]
    assert len(want) >= 5
    seen, after, pages = [], None, 0
    while True:
        params = {"entity": "school", "entity_id": urn, "limit": 2}
        if after:
            params["after"] = after
        r = api.get("/api/v1/audit", role="finance_director", params=params)
        body = expect(r, 200)
        assert len(body["items"]) <= 2
        seen += [a["id"] for a in body["items"]]
        pages += 1
        after = body["next"]
        if after is None:
            break
        assert 'rel="next"' in r.headers.get("Link", "") and f"after={after}" in r.headers["Link"]
        assert f"entity_id={urn}" in r.headers["Link"]
    assert seen == want
    assert pages == -(-len(want) // 2)


@pytest.mark.parametrize("params,field", [
    ({"limit": "0"}, "query:limit"), ({"limit": "1001"}, "query:limit"), ({"limit": "x"}, "query:limit"),
    ({"after": "abc"}, "query:after"), ({"after": "-3"}, "query:after"), ({"after": "0"}, "query:after"),
    ({"token_id": "me"}, "query:token_id"), ({"since": "yesterday"}, "query:since"),
    ({"until": "2026-11-22"}, "query:until"), ({"sort": "id"}, "query:sort"),
])
def test_audit_bad_query_422(api, params, field):
    problem(api.get("/api/v1/audit", role="auditor", params=params), 422, "validation", [field])


def test_token_creation_is_audited(api, token_ids):
    a0 = audit_max()
    r = api.post("/api/v1/tokens", role="admin", json={"role": "auditor", "label": "audited token"},
                 headers={"X-Request-Id": "tok-create-7"})
    t = expect(r, 201)
    body = expect(api.get("/api/v1/audit", role="auditor", params={"entity": "token", "entity_id": str(t["id"])}), 200)
    assert len(body["items"]) == 1
    a = body["items"][0]
    assert a["id"] > a0
    assert (a["action"], a["entity"], a["entity_id"]) == ("create", "token", str(t["id"]))
    assert a["token_id"] == token_ids["admin"] and a["role"] == "admin" and a["request_id"] == "tok-create-7"
    # the audit log names the token by its label, not only its number
    assert a["actor"] == "token: demo admin" and a["user_id"] is None
    assert a["before"] is None
    assert a["after"]["role"] == "auditor" and a["after"]["label"] == "audited token"
    text = json.dumps(a)
    assert t["token"] not in text and "hash" not in text


# ---- tokens ----

def test_tokens_list(api, tokens, seeded):
    r = api.get("/api/v1/tokens", role="admin")
    body = expect(r, 200)
    assert body["items"] and body["next"] is None
    for t in body["items"]:
        assert set(t) == TOKEN_FIELDS, sorted(t)
        assert isinstance(t["schools"], list)
    labels = {t["label"] for t in body["items"]}
    assert {label for _tok, label in seeded.values()} <= labels
    for tok in tokens.values():
        assert tok not in r.text
    hashes = [r[0] for r in sql_rows("SELECT HEX(token_hash) FROM api_tokens")]
    assert not any(h.lower() in r.text.lower() for h in hashes)


def test_tokens_list_scopes(api, first_urn, seeded):
    body = expect(api.get("/api/v1/tokens", role="admin"), 200)
    by_label = {t["label"]: t for t in body["items"]}
    for role, (_tok, label) in seeded.items():
        t = by_label[label]
        assert t["role"] == role
        assert t["schools"] == ([first_urn] if role in ("business_manager", "school_system") else [])
        assert t["revoked_at"] is None


def test_create_token(api):
    a0 = audit_max()
    r = api.post("/api/v1/tokens", role="admin", json={"role": "auditor", "label": "pytest fd"})
    t = expect(r, 201)
    assert set(t) >= {"id", "token", "role"} and t["role"] == "auditor"
    # no GET route for one token: a Location, if any, must resolve
    if "Location" in r.headers:
        expect(api.get(r.headers["Location"], role="admin"), 200)
    assert "no-store" in r.headers.get("Cache-Control", "")
    # it works
    expect(api.get("/api/v1/schools", token=t["token"]), 200)
    # only its hash is stored
    stored = sql_value(f"SELECT HEX(token_hash) FROM api_tokens WHERE id = {t['id']}")
    assert stored.lower() == hashlib.sha256(t["token"].encode()).hexdigest()
    assert t["token"] not in sql(TOKEN_TABLES[0]) + sql("SELECT * FROM audit_log")
    assert audit_added(a0) == 1
    # listed without its text
    lst = api.get("/api/v1/tokens", role="admin")
    assert t["token"] not in lst.text
    assert any(x["id"] == t["id"] and x["label"] == "pytest fd" for x in lst.json()["items"])


def test_create_token_idempotency_key_never_stores_the_token(api):
    # a replay writes nothing and, since the token is stored nowhere, cannot show it again: 409
    # naming the token that the first request created
    key = {"Idempotency-Key": "pytest-token-once"}
    body = {"role": "auditor", "label": "pytest idempotent"}
    n0, a0 = int(sql_value("SELECT COUNT(*) FROM api_tokens")), audit_max()
    t = expect(api.post("/api/v1/tokens", role="admin", json=body, headers=key), 201)
    again = api.post("/api/v1/tokens", role="admin", json=body, headers=key)
    p = problem(again, 409, "conflict")
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert f"token {t['id']} was created" in p["detail"] and f"/api/v1/tokens/{t['id']}" in p["detail"]
    assert t["token"] not in again.text
    assert int(sql_value("SELECT COUNT(*) FROM api_tokens")) == n0 + 1 and audit_added(a0) == 1
    assert t["token"] not in sql("SELECT * FROM idempotency_keys")
    # the same key with another body is still refused
    problem(api.post("/api/v1/tokens", role="admin", json=dict(body, label="other"), headers=key), 422,
            "idempotency-key-reused")


def test_create_scoped_tokens(api, school_urns):
    t = expect(api.post("/api/v1/tokens", role="admin",
                        json={"role": "business_manager", "label": "bm two", "schools": school_urns[:2]}), 201)
    expect(api.get(f"/api/v1/schools/{school_urns[1]}/years", token=t["token"]), 200)
    problem(api.get(f"/api/v1/schools/{school_urns[2]}/years", token=t["token"]), 403)
    t = expect(api.post("/api/v1/tokens", role="admin",
                        json={"role": "school_system", "label": "mis", "schools": [school_urns[4]]}), 201)
    body = expect(api.get("/api/v1/schools", token=t["token"]), 200)
    assert [s["urn"] for s in body["items"]] == [school_urns[4]]


@pytest.mark.parametrize("body,fields", [
    ({"role": "business_manager", "label": "x"}, ["/schools"]),
    ({"role": "business_manager", "label": "x", "schools": []}, ["/schools"]),
    ({"role": "school_system", "label": "x"}, ["/schools"]),
    ({"role": "school_system", "label": "x", "schools": "S0,S1"}, ["/schools"]),
    ({"role": "auditor", "label": "x", "schools": "S0"}, ["/schools"]),
    ({"role": "business_manager", "label": "x", "schools": ["999999"]}, ["/schools/0"]),
    ({"role": "business_manager", "label": "x", "schools": "S0,999999"}, ["/schools/1"]),
    ({"role": "business_manager", "label": "x", "schools": ["central"]}, ["/schools/0"]),
    ({"role": "business_manager", "label": "x", "schools": ["12345"]}, ["/schools/0"]),
    ({"role": "business_manager", "label": "x", "schools": [100001]}, ["/schools/0"]),
    ({"role": "business_manager", "label": "x", "schools": "oops"}, ["/schools"]),
    ({"role": "superuser", "label": "x"}, ["/role"]),
    ({"label": "x"}, ["/role"]),
    ({"role": "auditor"}, ["/label"]),
    ({"role": "auditor", "label": ""}, ["/label"]),
    ({"role": "auditor", "label": "x" * 201}, ["/label"]),
    ({"role": "auditor", "label": "x", "token": "bt_mine"}, ["/token"]),
    ({"role": 5, "label": 6}, ["/role", "/label"]),
])
def test_create_token_invalid_422(api, school_urns, body, fields):
    body = dict(body)
    if isinstance(body.get("schools"), str) and body["schools"].startswith("S"):
        body["schools"] = [school_urns[int(x[1:])] if x.startswith("S") else x for x in body["schools"].split(",")]
    with unchanged(*TOKEN_TABLES):
        problem(api.post("/api/v1/tokens", role="admin", json=body), 422, "validation", fields)


def test_create_token_same_school_twice_422(api, school_urns):
    with unchanged(*TOKEN_TABLES):
        problem(api.post("/api/v1/tokens", role="admin",
                         json={"role": "business_manager", "label": "x", "schools": [school_urns[0]] * 2}),
                422, "validation", ["/schools/1"])


def test_create_token_same_school_twice_is_refused(api, school_urns):
    """Whatever the status, a school listed twice must not create a token."""
    with unchanged(*TOKEN_TABLES):
        r = api.post("/api/v1/tokens", role="admin",
                     json={"role": "business_manager", "label": "x", "schools": [school_urns[0]] * 2})
        assert r.status_code in (409, 422), r.text


def test_create_token_bad_bodies(api):
    with unchanged(*TOKEN_TABLES):
        problem(api.post("/api/v1/tokens", role="admin", body='{"role": '), 400, "malformed-json")
        problem(api.post("/api/v1/tokens", role="admin", body='{"role": "admin", "role": "auditor", "label": "x"}'),
                400, "duplicate-key")
        problem(api.post("/api/v1/tokens", role="admin", body='{"role": "auditor", "label": "x"}',
                         headers={"Content-Type": "text/plain"}), 415)
        problem(api.post("/api/v1/tokens", role="admin", body="[]"), 422)


@pytest.mark.parametrize("role", ["finance_director", "business_manager", "school_system", "auditor"])
def test_tokens_admin_only(api, role, make_token):
    # the finance director and auditors read the list (issue 12); only the admin writes
    tid, _ = make_token("auditor")
    with unchanged(*TOKEN_TABLES):
        if role in ("finance_director", "auditor"):
            assert tid in [t["id"] for t in expect(api.get("/api/v1/tokens", role=role), 200)["items"]]
        else:
            problem(api.get("/api/v1/tokens", role=role), 403, "forbidden")
        problem(api.post("/api/v1/tokens", role=role, json={"role": "admin", "label": "x"}), 403, "forbidden")
        problem(api.post(f"/api/v1/tokens/{tid}/revoke", role=role), 403, "forbidden")


def test_revoke(api, make_token, token_ids):
    tid, tok = make_token("auditor")
    a0 = audit_max()
    r = api.post(f"/api/v1/tokens/{tid}/revoke", role="admin", headers={"X-Request-Id": "revoke-1"})
    assert r.status_code == 204, r.text
    assert r.content == b""
    assert sql_value(f"SELECT revoked_at IS NOT NULL FROM api_tokens WHERE id = {tid}") == "1"
    rows = sql_rows(f"SELECT action, entity, entity_id, token_id, request_id FROM audit_log WHERE id > {a0}")
    assert rows == [["revoke", "token", str(tid), str(token_ids["admin"]), "revoke-1"]]
    listed = {t["id"]: t for t in expect(api.get("/api/v1/tokens", role="admin"), 200)["items"]}
    assert listed[tid]["revoked_at"] is not None
    # twice: 409, nothing changes
    with unchanged(*TOKEN_TABLES):
        problem(api.post(f"/api/v1/tokens/{tid}/revoke", role="admin"), 409, "conflict")


def test_revoke_unknown_404(api):
    with unchanged(*TOKEN_TABLES):
        problem(api.post("/api/v1/tokens/999999/revoke", role="admin"), 404, "not-found")


@pytest.mark.parametrize("tid", ["abc", "0", "-1", "01", "1x", "99999999999999999999999"])
def test_revoke_bad_id_400(api, tid):
    with unchanged(*TOKEN_TABLES):
        r = api.post(f"/api/v1/tokens/{tid}/revoke", role="admin")
        assert r.status_code in (400, 404), r.text
        problem(r, r.status_code)
        if r.status_code == 400:
            assert "path:id" in [e["field"] for e in r.json().get("errors", [])]


def test_admin_tokens_are_revoked_on_the_server(api, make_token, cli):
    # an admin token is not the API's to revoke, not even its own (issue 12): bursard token revoke
    tid, tok = make_token("admin")
    with unchanged(*TOKEN_TABLES):
        p = problem(api.post(f"/api/v1/tokens/{tid}/revoke", token=tok), 403, "forbidden")
    assert f"bursard token revoke {tid}" in p["detail"]
    cli("token", "revoke", str(tid))


def test_label_length_in_characters(api):
    t = expect(api.post("/api/v1/tokens", role="admin", json={"role": "auditor", "label": "é" * 200}), 201)
    listed = {x["id"]: x for x in expect(api.get("/api/v1/tokens", role="admin"), 200)["items"]}
    assert listed[t["id"]]["label"] == "é" * 200
    with unchanged(*TOKEN_TABLES):
        problem(api.post("/api/v1/tokens", role="admin", json={"role": "auditor", "label": "é" * 201}), 422,
                "validation", ["/label"])


def test_revoke_is_audited_with_before_and_after(api, make_token):
    tid, _tok = make_token("auditor", label="to revoke")
    expect(api.post(f"/api/v1/tokens/{tid}/revoke", role="admin"), 204)
    body = expect(api.get("/api/v1/audit", role="auditor",
                          params={"entity": "token", "entity_id": str(tid), "action": "revoke"}), 200)
    assert len(body["items"]) == 1
    a = body["items"][0]
    assert a["before"]["revoked_at"] is None and a["after"]["revoked_at"] is not None
    assert a["after"]["label"] == "to revoke"


def test_cli_token_creation_is_audited_as_cli(api, make_token):
    tid, tok = make_token("auditor")
    body = expect(api.get("/api/v1/audit", role="auditor", params={"entity": "token", "entity_id": str(tid)}), 200)
    a = body["items"][0]
    assert a["token_id"] is None and a["role"] == "cli" and a["action"] == "create"
    assert a["actor"] == "command line" and a["user_id"] is None
    assert tok not in str(a)


def test_create_token_rejects_query_parameters(api):
    with unchanged(*TOKEN_TABLES):
        problem(api.post("/api/v1/tokens?x=1", role="admin", json={"role": "auditor", "label": "q"}), 422,
                "validation", ["query:x"])
