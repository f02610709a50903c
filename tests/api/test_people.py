"""People signing in (issue 13; DESIGN.md "People and sign-in"): sessions, the CSRF
rules of cookie-authenticated writes, the generic failure, throttling and lock-out,
accounts for admins, a person's own password, the command line, and an audit log
that names the person."""
import re
import time

import pytest
import requests

from conftest import PROBLEM_CT, expect, problem, sql, sql_value

GENERIC = ("the e-mail address or password is not right, or the account is disabled or locked "
           "(your trust's administrator can unlock it)")


class Person:
    """A browser-like client signed in with a session cookie."""

    def __init__(self, base):
        self.base = base
        self.s = requests.Session()
        self.csrf = None
        self.me = None

    def signin(self, email, password, origin=True):
        h = {"Origin": self.base} if origin else {}
        r = self.s.post(self.base + "/api/v1/session", json={"email": email, "password": password}, headers=h,
                        timeout=30)
        if r.status_code == 201:
            self.me = r.json()
            self.csrf = self.me["csrf_token"]
        return r

    def req(self, method, path, csrf=True, origin=True, **kw):
        h = dict(kw.pop("headers", {}))
        if csrf and self.csrf:
            h["X-CSRF-Token"] = self.csrf
        if origin:
            h["Origin"] = self.base
        return self.s.request(method, self.base + path, headers=h, timeout=30, **kw)


@pytest.fixture
def person(daemon):
    made = []

    def make():
        p = Person(daemon.url)
        made.append(p)
        return p
    yield make
    for p in made:
        p.s.close()


def signed_in(person, people, role):
    p = person()
    expect(p.signin(*people[role]), 201)
    return p


# ---- signing in ----

@pytest.mark.parametrize("role", ["finance_director", "business_manager", "auditor", "admin"])
def test_signin_each_role(person, people, role, first_urn):
    p = person()
    r = p.signin(*people[role])
    me = expect(r, 201)
    assert me["kind"] == "user" and me["role"] == role and me["email"] == people[role][0]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", me["csrf_token"])
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("bursar_session=bs_")
    for attr in ("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="):
        assert attr in cookie, cookie
    assert "Secure" not in cookie                          # the tests' config: cookie_secure = false
    assert r.headers["Cache-Control"] == "no-store"
    again = expect(p.req("GET", "/api/v1/me"), 200)
    assert again == me
    if role == "business_manager":
        assert [s["urn"] for s in me["schools"]] == [first_urn] and me["schools"][0]["name"]
    else:
        assert me["schools"] == []


def test_me_for_a_token(api, first_urn):
    me = expect(api.get("/api/v1/me", role="business_manager"), 200)
    assert me["kind"] == "token" and me["csrf_token"] is None and me["email"] is None
    assert me["name"] == "demo business manager (first school)"
    assert [s["urn"] for s in me["schools"]] == [first_urn]
    problem(api.get("/api/v1/me"), 401, "unauthorized")


@pytest.mark.parametrize("email,password", [
    ("finance.director@trust.example", "not the password at all"),
    ("nobody@nowhere.example", "not the password at all"),
])
def test_wrong_signin_is_one_generic_401(person, email, password):
    before = int(sql_value("SELECT COUNT(*) FROM audit_log WHERE action = 'signin_failed'"))
    p = person()
    pr = problem(p.signin(email, password), 401, "signin-failed")
    assert pr["detail"] == GENERIC
    assert "bursar_session" not in p.s.cookies
    after = int(sql_value("SELECT COUNT(*) FROM audit_log WHERE action = 'signin_failed'"))
    assert after == before + 1
    reason = sql_value("SELECT JSON_VALUE(after_json, '$.reason') FROM audit_log "
                       "WHERE action = 'signin_failed' ORDER BY id DESC LIMIT 1")
    assert reason == ("no such account" if email.startswith("nobody") else "wrong password")


def test_signin_email_is_case_insensitive(person, people):
    email, pw = people["auditor"]
    expect(person().signin(email.upper(), pw), 201)


def test_signin_bad_bodies(person, daemon):
    p = person()
    problem(p.s.post(daemon.url + "/api/v1/session", json={"email": "a@b.example"}, timeout=10), 422, "validation",
            ["/password"])
    problem(p.s.post(daemon.url + "/api/v1/session", json={"email": "a@b.example", "password": "x" * 20,
                                                           "remember": True}, timeout=10), 422, "validation",
            ["/remember"])
    problem(p.s.post(daemon.url + "/api/v1/session", data="{", headers={"Content-Type": "application/json"},
                     timeout=10), 400)


def test_signin_from_another_origin_is_403(person, people):
    p = person()
    r = p.s.post(p.base + "/api/v1/session", json=dict(zip(("email", "password"), people["auditor"])),
                 headers={"Origin": "https://evil.example"}, timeout=10)
    problem(r, 403, "csrf")


# ---- what a session may do ----

def test_cookie_write_needs_csrf_and_origin(person, people):
    p = signed_in(person, people, "finance_director")
    body = {"name": "Session Supplies Ltd", "companies_house_number": "SC123456"}
    problem(p.req("POST", "/api/v1/suppliers", csrf=False, json=body), 403, "csrf")
    problem(p.req("POST", "/api/v1/suppliers", headers={"X-CSRF-Token": "A" * 43}, csrf=False, json=body), 403, "csrf")
    problem(p.req("POST", "/api/v1/suppliers", origin=False, json=body), 403, "csrf")
    problem(p.req("POST", "/api/v1/suppliers", json=body, headers={"Origin": "http://evil.example"}, origin=False),
            403, "csrf")
    assert sql_value("SELECT COUNT(*) FROM suppliers WHERE name = 'Session Supplies Ltd'") == "0"
    s = expect(p.req("POST", "/api/v1/suppliers", json=body), 201)
    # the audit log names the person
    row = sql_value(f"SELECT CONCAT(actor, '|', user_id, '|', IFNULL(token_id, '-')) FROM audit_log "
                    f"WHERE entity = 'supplier' AND entity_id = '{s['id']}' AND action = 'create'")
    actor, uid, tid = row.split("|")
    assert actor == f"Farah Dixon ({people['finance_director'][0]})" and uid == str(p.me["id"]) and tid == "-"


def test_reads_need_no_csrf(person, people, first_urn):
    p = signed_in(person, people, "business_manager")
    expect(p.req("GET", f"/api/v1/schools/{first_urn}", csrf=False, origin=False), 200)


def test_session_keeps_its_role_and_schools(person, people, school_urns):
    p = signed_in(person, people, "business_manager")
    other = school_urns[-1]
    problem(p.req("GET", f"/api/v1/schools/{other}/budgets/2026-27"), 403, "forbidden")
    problem(p.req("GET", "/api/v1/audit"), 403, "forbidden")


def test_signout_ends_the_session(person, people, api):
    p = signed_in(person, people, "auditor")
    r = p.req("DELETE", "/api/v1/session")
    expect(r, 204)
    assert "Max-Age=0" in r.headers["Set-Cookie"]
    problem(p.req("GET", "/api/v1/me"), 401, "unauthorized")
    problem(api.delete("/api/v1/session", role="auditor"), 409, "conflict")


def test_idle_and_expired_sessions_end(person, people):
    p = signed_in(person, people, "auditor")
    sid = sql_value("SELECT MAX(id) FROM sessions")
    expect(p.req("GET", "/api/v1/me"), 200)
    sql(f"UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(6) - INTERVAL 2 HOUR WHERE id = {sid}")
    pr = problem(p.req("GET", "/api/v1/me"), 401, "unauthorized")
    assert "sign in again" in pr["detail"]
    q = signed_in(person, people, "auditor")
    sid = sql_value("SELECT MAX(id) FROM sessions")
    sql(f"UPDATE sessions SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE id = {sid}")
    problem(q.req("GET", "/api/v1/me"), 401, "unauthorized")


def test_a_forged_cookie_is_401(daemon):
    r = requests.get(daemon.url + "/api/v1/me", cookies={"bursar_session": "bs_" + "A" * 43}, timeout=10)
    problem(r, 401, "unauthorized")
    r = requests.get(daemon.url + "/api/v1/me", cookies={"bursar_session": "short"}, timeout=10)
    problem(r, 401, "unauthorized")


# ---- accounts ----

def new_bm(api, first_urn, email, **extra):
    body = {"email": email, "display_name": "Pat Example", "role": "business_manager", "schools": [first_urn]}
    body.update(extra)
    r = api.post("/api/v1/users", role="admin", json=body)
    return r


def test_admin_creates_a_business_manager(api, person, first_urn):
    u = expect(new_bm(api, first_urn, "Pat.Example@School.example"), 201)
    assert u["email"] == "pat.example@school.example" and u["schools"] == [first_urn]
    assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){4}", u["password"])
    got = expect(api.get(f"/api/v1/users/{u['id']}", role="auditor"), 200)
    assert "password" not in got and "password_hash" not in str(got)
    p = person()
    me = expect(p.signin("pat.example@school.example", u["password"]), 201)
    assert me["name"] == "Pat Example" and me["role"] == "business_manager"
    problem(new_bm(api, first_urn, "pat.example@school.example"), 409, "conflict", ["/email"])


def test_admin_may_not_make_a_finance_director(api):
    for role in ("finance_director", "admin"):
        problem(api.post("/api/v1/users", role="admin", json={"email": f"x-{role}@trust.example", "display_name": "X",
                                                               "role": role}), 422, "validation", ["/role"])
    problem(api.post("/api/v1/users", role="finance_director",
                     json={"email": "y@trust.example", "display_name": "Y", "role": "auditor"}), 403, "forbidden")


def test_account_rules(api, first_urn):
    problem(api.post("/api/v1/users", role="admin", json={"email": "a1@x.example", "display_name": "A",
                                                           "role": "business_manager"}), 422, "validation", ["/schools"])
    problem(api.post("/api/v1/users", role="admin", json={"email": "a2@x.example", "display_name": "A",
                                                           "role": "auditor", "schools": [first_urn]}),
            422, "validation", ["/schools"])
    problem(api.post("/api/v1/users", role="admin", json={"email": "not an address", "display_name": "A",
                                                           "role": "auditor"}), 422, "validation", ["/email"])
    problem(api.post("/api/v1/users", role="admin", json={"email": "a3@x.example", "display_name": "=cmd()",
                                                           "role": "auditor"}), 422, "validation", ["/display_name"])
    for pw in ("short pass", "password1234", "Password1234", "aaaaaaaaaaaaaaa", "a3@x.example"):
        problem(api.post("/api/v1/users", role="admin", json={"email": "a3@x.example", "display_name": "A",
                                                               "role": "auditor", "password": pw}),
                422, "validation", ["/password"])
    assert sql_value("SELECT COUNT(*) FROM users WHERE email LIKE 'a_@x.example'") == "0"


def test_users_list_readers(api):
    body = expect(api.get("/api/v1/users", role="finance_director"), 200)
    emails = [u["email"] for u in body["items"]]
    assert "finance.director@trust.example" in emails
    expect(api.get("/api/v1/users", role="auditor"), 200)
    problem(api.get("/api/v1/users", role="business_manager"), 403, "forbidden")


def test_disable_ends_sessions_and_signin(api, person, first_urn):
    u = expect(new_bm(api, first_urn, "dana@school.example"), 201)
    p = person()
    expect(p.signin("dana@school.example", u["password"]), 201)
    body = {k: u[k] for k in ("email", "display_name", "role", "schools")}
    problem(api.put(f"/api/v1/users/{u['id']}", role="admin", json=dict(body, disabled=True)), 428)
    v = expect(api.put(f"/api/v1/users/{u['id']}", role="admin", json=dict(body, disabled=True),
                       headers={"If-Match": '"1"'}), 200)
    assert v["disabled"] is True and v["version"] == 2
    problem(p.req("GET", "/api/v1/me"), 401, "unauthorized")
    pr = problem(person().signin("dana@school.example", u["password"]), 401, "signin-failed")
    assert pr["detail"] == GENERIC
    problem(api.put(f"/api/v1/users/{u['id']}", role="admin", json=dict(body, disabled=False),
                    headers={"If-Match": '"1"'}), 412)
    expect(api.put(f"/api/v1/users/{u['id']}", role="admin", json=dict(body, disabled=False),
                   headers={"If-Match": '"2"'}), 200)
    expect(person().signin("dana@school.example", u["password"]), 201)


def test_admin_cannot_touch_a_finance_director(api, people):
    fd = sql_value(f"SELECT id FROM users WHERE email = '{people['finance_director'][0]}'")
    problem(api.post(f"/api/v1/users/{fd}/password", role="admin"), 403, "forbidden")
    problem(api.put(f"/api/v1/users/{fd}", role="admin", json={"email": "fd2@trust.example", "display_name": "X",
                                                               "role": "auditor"}, headers={"If-Match": '"1"'}),
            403, "forbidden")


def test_reset_password(api, person, first_urn):
    u = expect(new_bm(api, first_urn, "reset.me@school.example"), 201)
    p = person()
    expect(p.signin("reset.me@school.example", u["password"]), 201)
    r = api.post(f"/api/v1/users/{u['id']}/password", role="admin")
    n = expect(r, 200)
    assert r.headers["Cache-Control"] == "no-store" and n["password"] != u["password"]
    problem(p.req("GET", "/api/v1/me"), 401)
    problem(person().signin("reset.me@school.example", u["password"]), 401, "signin-failed")
    expect(person().signin("reset.me@school.example", n["password"]), 201)


def test_change_own_password(api, person, first_urn):
    u = expect(new_bm(api, first_urn, "own.pw@school.example"), 201)
    p = person()
    expect(p.signin("own.pw@school.example", u["password"]), 201)
    problem(p.req("PUT", "/api/v1/me/password", json={"current_password": "wrong wrong wrong",
                                                      "new_password": "a long new passphrase"}),
            422, "validation", ["/current_password"])
    problem(p.req("PUT", "/api/v1/me/password", json={"current_password": u["password"],
                                                      "new_password": "qwertyuiop123"}),
            422, "validation", ["/new_password"])
    problem(p.req("PUT", "/api/v1/me/password", csrf=False, json={"current_password": u["password"],
                                                                  "new_password": "a long new passphrase"}), 403, "csrf")
    expect(p.req("PUT", "/api/v1/me/password", json={"current_password": u["password"],
                                                     "new_password": "a long new passphrase"}), 204)
    problem(p.req("GET", "/api/v1/me"), 401)
    expect(person().signin("own.pw@school.example", "a long new passphrase"), 201)
    problem(api.put("/api/v1/me/password", role="auditor", json={"current_password": "x", "new_password": "y" * 12}),
            409, "conflict")


# ---- throttling and lock-out (a daemon of its own with small limits) ----

def test_throttle_then_lock_then_unlock(api, spawn, first_urn):
    u = expect(new_bm(api, first_urn, "throttled@school.example"), 201)
    d = spawn("throttle", session="throttle_after = 2; lock_after = 4; max_delay_s = 2;")
    s = requests.Session()

    def attempt(pw):
        return s.post(d.url + "/api/v1/session", json={"email": "throttled@school.example", "password": pw},
                      timeout=30)
    problem(attempt("wrong password 1"), 401, "signin-failed")
    problem(attempt("wrong password 2"), 401, "signin-failed")
    r = attempt("wrong password 3")                      # 2 failures: wait 1 s
    problem(r, 429, "too-many-attempts")
    assert r.headers["Content-Type"].startswith(PROBLEM_CT) and 1 <= int(r.headers["Retry-After"]) <= 2
    time.sleep(1.2)
    problem(attempt("wrong password 3"), 401, "signin-failed")   # 3 failures: wait 2 s
    time.sleep(2.2)
    problem(attempt("wrong password 4"), 401, "signin-failed")   # 4: locked
    time.sleep(2.2)
    pr = problem(attempt(u["password"]), 401, "signin-failed")   # the right password, but locked
    assert pr["detail"] == GENERIC
    got = expect(api.get(f"/api/v1/users/{u['id']}", role="admin"), 200)
    assert got["locked"] is True
    assert sql_value(f"SELECT COUNT(*) FROM audit_log WHERE action = 'lock' AND entity_id = '{u['id']}'") == "1"
    body = {k: got[k] for k in ("email", "display_name", "role", "schools")}
    expect(api.put(f"/api/v1/users/{u['id']}", role="admin", json=dict(body, locked=False),
                   headers={"If-Match": f'"{got["version"]}"'}), 200)
    time.sleep(2.2)
    expect(attempt(u["password"]), 201)
    # success clears the counts
    assert sql_value("SELECT COUNT(*) FROM signin_failures WHERE k = 'account:throttled@school.example'") == "0"


# ---- the command line ----

def test_cli_users(cli, person):
    cp = cli("user", "create", "--email", "cli.fd@trust.example", "--name", "Cleo FD", "--role", "finance_director")
    pw = cp.stdout.strip()
    assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){4}", pw), cp.stdout
    assert "shown only this once" in cp.stderr
    me = expect(person().signin("cli.fd@trust.example", pw), 201)
    assert me["role"] == "finance_director"
    listing = cli("user", "list").stdout
    assert "cli.fd@trust.example" in listing and pw not in listing
    bad = cli("user", "create", "--email", "cli.bm@trust.example", "--name", "B", "--role", "business_manager",
              check=False)
    assert bad.returncode != 0 and "school" in bad.stderr
    cli("user", "disable", "cli.fd@trust.example")
    problem(person().signin("cli.fd@trust.example", pw), 401)
    cli("user", "enable", "cli.fd@trust.example")
    new = cli("user", "reset", "cli.fd@trust.example").stdout.strip()
    problem(person().signin("cli.fd@trust.example", pw), 401)
    expect(person().signin("cli.fd@trust.example", new), 201)
    actors = sql_value("SELECT GROUP_CONCAT(DISTINCT actor) FROM audit_log WHERE entity = 'user' AND "
                       "entity_id = (SELECT id FROM users WHERE email = 'cli.fd@trust.example') AND action <> 'signin'")
    assert actors == "command line"
    missing = cli("user", "reset", "nobody@nowhere.example", check=False)
    assert missing.returncode != 0 and "no account" in missing.stderr


def test_cli_password_from_stdin(daemon, person):
    import subprocess
    from conftest import BURSARD, CONF
    cp = subprocess.run([str(BURSARD), "-c", str(CONF), "user", "create", "--email", "stdin@trust.example",
                         "--name", "Stan Din", "--role", "auditor", "--password-stdin"],
                        input="correct horse battery staple\n", capture_output=True, text=True, timeout=30)
    assert cp.returncode == 0, cp.stderr
    assert cp.stdout == ""
    expect(person().signin("stdin@trust.example", "correct horse battery staple"), 201)
    cp = subprocess.run([str(BURSARD), "-c", str(CONF), "user", "create", "--email", "weak@trust.example",
                         "--name", "W", "--role", "auditor", "--password-stdin"],
                        input="password1234\n", capture_output=True, text=True, timeout=30)
    assert cp.returncode != 0 and "common" in cp.stderr


def test_a_persons_idempotency_key_is_theirs(api, person, people, school_urns):
    """Keys belong to their token or, for a person signed in (no token), to that person: another
    person sending the same key and request is a new request, checked as any other (here: not
    their school), never a replay of the first person's answer."""
    mine, theirs = school_urns[0], school_urns[1]
    u = expect(new_bm(api, theirs, "idem.other@school.example", schools=[theirs]), 201)
    a = signed_in(person, people, "business_manager")
    b = person()
    expect(b.signin("idem.other@school.example", u["password"]), 201)
    path, key = f"/api/v1/schools/{mine}/budgets/2088-89", {"Idempotency-Key": "idem-person-shared"}
    body = {"copy_from": {"budget_year": "2026-27"}}
    made = expect(a.req("POST", path, json=body, headers=key), 201)
    again = a.req("POST", path, json=body, headers=key)
    assert expect(again, 201) == made and again.headers.get("Idempotent-Replayed") == "true"
    other = b.req("POST", path, json=body, headers=key)
    problem(other, 403)
    assert other.headers.get("Idempotent-Replayed") is None
    assert sql_value("SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = 'idem-person-shared'") == "1"


@pytest.mark.parametrize("path", ["/api/v1/contracts?limit=1000", "/api/v1/alerts/renewals?within_days=3650"])
def test_a_business_manager_signed_in_sees_what_her_token_sees(api, person, people, path):
    """The business manager's lists scoped to her schools are the same whether she signs in or
    her school's token reads them: her schools' contracts and the trust's, none of another school's."""
    p = signed_in(person, people, "business_manager")
    by_person = expect(p.req("GET", path), 200)["items"]
    by_token = expect(api.get(path, role="business_manager"), 200)["items"]
    key = (lambda c: c["id"]) if "contracts" in path else (lambda c: (c["contract_id"], c["action"], c["due_on"]))
    assert sorted(map(key, by_person)) == sorted(map(key, by_token))
    trust = expect(api.get(path, role="finance_director"), 200)["items"]
    assert len(trust) > len(by_token), "the trust has other schools' contracts, for the test to mean something"


def test_a_business_manager_signed_in_sees_her_schools_subscriptions(api, person, people):
    """A service's subscriptions, read by the business manager signed in: her schools' ones, as her
    school's token reads them (before, a person's scope was an empty token's: none at all)."""
    sid = sql_value("SELECT service_id FROM subscriptions WHERE deleted_at IS NULL GROUP BY service_id "
                    "HAVING COUNT(DISTINCT school_id) > 1 ORDER BY service_id LIMIT 1")
    path = f"/api/v1/services/{sid}/subscriptions?limit=1000"
    p = signed_in(person, people, "business_manager")
    by_person = sorted(s["id"] for s in expect(p.req("GET", path), 200)["items"])
    by_token = sorted(s["id"] for s in expect(api.get(path, role="business_manager"), 200)["items"])
    trust = expect(api.get(path, role="finance_director"), 200)["items"]
    assert by_person == by_token and by_token and len(trust) > len(by_token)
