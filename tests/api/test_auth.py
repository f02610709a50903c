"""Authentication (bearer tokens, revocation through the per-worker cache) and
authorisation (roles, school scope)."""
import time

import pytest

from conftest import CACHE_REFRESH_MS, audit_max, expect, problem, sql, sql_value


def test_no_token_401(api):
    r = api.get("/api/v1/schools")
    problem(r, 401, "unauthorized")
    assert r.headers.get("WWW-Authenticate", "").startswith("Bearer"), r.headers


@pytest.mark.parametrize("header", [
    "Bearer bt_thisisnotatokenofoursatall00000000000000000",
    "Bearer ",
    "Basic dXNlcjpwYXNz",
    "bt_no_scheme",
    "Bearer two words",
])
def test_bad_token_401(api, header):
    r = api.get("/api/v1/schools", headers={"Authorization": header})
    problem(r, 401, "unauthorized")
    assert r.headers.get("WWW-Authenticate", "").startswith("Bearer")


def test_scheme_is_case_insensitive(api, tokens):
    r = api.get("/api/v1/schools", headers={"Authorization": f"bearer {tokens['auditor']}"})
    expect(r, 200)


def test_every_seeded_token_works(api):
    for role, path in (("finance_director", "/api/v1/schools"), ("business_manager", "/api/v1/schools"),
                       ("school_system", "/api/v1/schools"), ("auditor", "/api/v1/audit"),
                       ("admin", "/api/v1/tokens")):
        expect(api.get(path, role=role), 200)


def _status_everywhere(api, token, n=8):
    """Statuses of n requests, each on a new connection (so both workers answer some)."""
    return [api.get("/api/v1/accounts", token=token, fresh=True).status_code for _ in range(n)]


def _wait_revoked(api, token, limit_s=2.0):
    """Seconds until the token gets 401 on fresh connections; fails after limit_s."""
    t0 = time.monotonic()
    while True:
        got = _status_everywhere(api, token, 6)
        if all(s == 401 for s in got):
            return time.monotonic() - t0
        assert set(got) <= {200, 401}, got
        assert time.monotonic() - t0 < limit_s, f"the revoked token still works after {limit_s}s: {got}"
        time.sleep(0.05)


def test_revoked_by_cli_stops_working(api, make_token, cli):
    tid, tok = make_token("auditor")
    # warm the token caches of both workers
    assert _status_everywhere(api, tok) == [200] * 8
    cli("token", "revoke", str(tid))
    took = _wait_revoked(api, tok)
    assert took < 1.0 + CACHE_REFRESH_MS / 1000, f"took {took:.2f}s"
    # and it stays revoked
    assert _status_everywhere(api, tok, 10) == [401] * 10


def test_revoked_by_api_stops_working(api, make_token):
    tid, tok = make_token("business_manager", schools=[sql_value("SELECT urn FROM schools WHERE kind = 'school' "
                                                                 "ORDER BY urn LIMIT 1")])
    assert _status_everywhere(api, tok) == [200] * 8
    expect(api.post(f"/api/v1/tokens/{tid}/revoke", role="admin"), 204)
    took = _wait_revoked(api, tok)
    assert took < 1.0 + CACHE_REFRESH_MS / 1000, f"took {took:.2f}s"
    problem(api.get("/api/v1/schools", token=tok), 401, "unauthorized")


def test_revoke_twice_by_cli_fails(make_token, cli):
    tid, _tok = make_token("auditor")
    cli("token", "revoke", str(tid))
    cp = cli("token", "revoke", str(tid), check=False)
    assert cp.returncode != 0
    assert "already revoked" in cp.stderr


# ---- roles ----

@pytest.mark.parametrize("role,method,path", [
    ("admin", "GET", "/api/v1/schools"),
    ("admin", "GET", "/api/v1/accounts"),
    ("admin", "GET", "/api/v1/audit"),
    ("business_manager", "GET", "/api/v1/audit"),
    ("school_system", "GET", "/api/v1/audit"),
    ("school_system", "GET", "/api/v1/accounts"),
    ("business_manager", "GET", "/api/v1/tokens"),
    ("school_system", "GET", "/api/v1/tokens"),
])
def test_wrong_role_403(api, role, method, path):
    problem(api.request(method, path, role=role), 403, "forbidden")


def test_auditor_cannot_put_school(api, first_urn):
    before = sql(f"SELECT * FROM schools WHERE urn = '{first_urn}'")
    a0 = audit_max()
    r = api.get(f"/api/v1/schools/{first_urn}", role="auditor")
    school = expect(r, 200)
    body = {k: school[k] for k in ("name", "phase", "local_authority", "finance_model", "floor_area_m2")}
    body["name"] = "Renamed by the auditor"
    for role in ("auditor", "business_manager", "school_system", "admin"):
        r2 = api.put(f"/api/v1/schools/{first_urn}", role=role, json=body,
                     headers={"If-Match": r.headers["ETag"]})
        problem(r2, 403, "forbidden")
    assert sql(f"SELECT * FROM schools WHERE urn = '{first_urn}'") == before
    assert audit_max() == a0


def test_finance_director_cannot_create_tokens(api):
    a0 = audit_max()
    n0 = sql("SELECT COUNT(*) FROM api_tokens")
    r = api.post("/api/v1/tokens", role="finance_director", json={"role": "admin", "label": "sneaky"})
    problem(r, 403, "forbidden")
    assert sql("SELECT COUNT(*) FROM api_tokens") == n0
    assert audit_max() == a0


def test_school_system_not_on_years_even_its_own(api, first_urn, school_urns):
    other = next(u for u in school_urns if u != first_urn)
    problem(api.get(f"/api/v1/schools/{other}/years", role="school_system"), 403, "forbidden")
    problem(api.get(f"/api/v1/schools/{first_urn}/years", role="school_system"), 403, "forbidden")


def test_business_manager_own_school_years(api, first_urn):
    body = expect(api.get(f"/api/v1/schools/{first_urn}/years", role="business_manager"), 200)
    assert body["items"]


def test_business_manager_other_school_years_403(api, first_urn, school_urns):
    other = next(u for u in school_urns if u != first_urn)
    problem(api.get(f"/api/v1/schools/{other}/years", role="business_manager"), 403, "forbidden")
    problem(api.get(f"/api/v1/schools/{other}/years/2025-26", role="business_manager"), 403, "forbidden")
    problem(api.get("/api/v1/schools/central/years", role="business_manager"), 403, "forbidden")


def test_business_manager_reads_every_school(api, first_urn, school_urns):
    other = next(u for u in school_urns if u != first_urn)
    assert expect(api.get(f"/api/v1/schools/{other}", role="business_manager"), 200)["urn"] == other
    body = expect(api.get("/api/v1/schools", role="business_manager"), 200)
    assert len(body["items"]) == len(school_urns) + 1


def test_school_system_lists_only_its_school(api, first_urn):
    body = expect(api.get("/api/v1/schools", role="school_system"), 200)
    assert [s["urn"] for s in body["items"]] == [first_urn]
    assert body["next"] is None


def test_school_system_reads_its_school_only(api, first_urn, school_urns):
    assert expect(api.get(f"/api/v1/schools/{first_urn}", role="school_system"), 200)["urn"] == first_urn
    other = next(u for u in school_urns if u != first_urn)
    problem(api.get(f"/api/v1/schools/{other}", role="school_system"), 403, "forbidden")
    problem(api.get("/api/v1/schools/central", role="school_system"), 403, "forbidden")


def test_school_system_token_for_another_school(api, make_token, school_urns):
    other = school_urns[-1]
    _tid, tok = make_token("school_system", schools=[other])
    body = expect(api.get("/api/v1/schools", token=tok), 200)
    assert [s["urn"] for s in body["items"]] == [other]
    problem(api.get(f"/api/v1/schools/{school_urns[0]}", token=tok), 403, "forbidden")


def test_business_manager_with_two_schools(api, make_token, school_urns):
    a, b, c = school_urns[1], school_urns[2], school_urns[3]
    _tid, tok = make_token("business_manager", schools=[a, b])
    expect(api.get(f"/api/v1/schools/{a}/years", token=tok), 200)
    expect(api.get(f"/api/v1/schools/{b}/years", token=tok), 200)
    problem(api.get(f"/api/v1/schools/{c}/years", token=tok), 403, "forbidden")
