"""Monitoring (issue 17, ISSUE17_CONTRACT section 3): outturns and variance comments
(PUT/DELETE, versioned, audited, roles) and the monitoring of a school and the trust, every
figure checked to the penny against a calculation here from the budget's months_pence and the
actuals imported through the API."""
import csv
import io
import json
from decimal import Decimal

import pytest

from conftest import audit_max, expect, problem, sql, sql_rows, unchanged

OUTTURN_FIELDS = {"urn", "year", "account_code", "amount_pence", "note", "updated_by", "version",
                  "created_at", "updated_at"}
COMMENT_FIELDS = {"urn", "month", "account_code", "text", "updated_by", "version", "created_at",
                  "updated_at"}


def opath(urn, code, year="2030-31"):
    return f"/api/v1/schools/{urn}/outturns/{year}/{code}"


def cpath(urn, code, month="2030-11"):
    return f"/api/v1/schools/{urn}/comments/{month}/{code}"


def outturns_q(urn):
    return ("SELECT o.* FROM outturns o JOIN schools s ON s.id = o.school_id "
            f"WHERE s.urn = '{urn}' ORDER BY o.id")


def comments_q(urn):
    return ("SELECT c.* FROM variance_comments c JOIN schools s ON s.id = c.school_id "
            f"WHERE s.urn = '{urn}' ORDER BY c.id")


def audit_since(a0):
    return sql_rows("SELECT action, entity, entity_id, before_json, after_json FROM audit_log "
                    f"WHERE id > {a0} ORDER BY id")


# ---- outturns ----

def test_outturn_create_update_delete(api, first_urn):
    """The business manager of the school: create (201), 428 without If-Match once it exists,
    412 stale, update (200), delete needs If-Match; one audit row each, nothing on a refusal."""
    urn, code = first_urn, "E26"
    a0 = audit_max()
    r = api.put(opath(urn, code), role="business_manager",
                json={"amount_pence": 4250000, "note": "Agency cover for two long-term absences"})
    o = expect(r, 201)
    assert set(o) == OUTTURN_FIELDS
    assert (o["urn"], o["year"], o["account_code"], o["amount_pence"], o["version"]) == \
        (urn, "2030-31", "E26", 4250000, 1)
    assert o["note"] == "Agency cover for two long-term absences" and o["updated_by"]
    assert r.headers["ETag"] == '"1"'
    rows = audit_since(a0)
    assert [(a, e, i, b) for a, e, i, b, _ in rows] == [("create", "outturn", f"{urn}/2030-31/E26", "NULL")]
    assert json.loads(rows[0][4])["amount_pence"] == 4250000

    with unchanged(outturns_q(urn)):
        problem(api.put(opath(urn, code), role="business_manager",
                        json={"amount_pence": 1, "note": "again"}), 428, "precondition-required")
        problem(api.put(opath(urn, code), role="business_manager", headers={"If-Match": '"7"'},
                        json={"amount_pence": 1, "note": "stale"}), 412, "precondition-failed")
    a1 = audit_max()
    r = api.put(opath(urn, code), role="finance_director", headers={"If-Match": '"1"'},
                json={"amount_pence": 4400000, "note": "Two absences, one to Easter"})
    o2 = expect(r, 200)
    assert o2["version"] == 2 and o2["amount_pence"] == 4400000 and r.headers["ETag"] == '"2"'
    assert o2["created_at"] == o["created_at"]
    rows = audit_since(a1)
    assert len(rows) == 1 and rows[0][0] == "update"
    assert json.loads(rows[0][3])["amount_pence"] == 4250000
    assert json.loads(rows[0][4])["amount_pence"] == 4400000

    with unchanged(outturns_q(urn)):
        problem(api.delete(opath(urn, code), role="business_manager"), 428, "precondition-required")
        problem(api.delete(opath(urn, code), role="business_manager", headers={"If-Match": '"1"'}),
                412, "precondition-failed")
    a2 = audit_max()
    r = api.delete(opath(urn, code), role="business_manager", headers={"If-Match": '"2"'})
    assert r.status_code == 204, r.text
    rows = audit_since(a2)
    assert len(rows) == 1 and tuple(rows[0][:3]) == ("delete", "outturn", f"{urn}/2030-31/E26")
    assert sql_rows(outturns_q(urn) .replace("ORDER BY", "AND o.year = 2030 ORDER BY")) == []
    problem(api.delete(opath(urn, code), role="business_manager", headers={"If-Match": '"2"'}), 404)
    # If-Match on a creation: there is none to update
    with unchanged(outturns_q(urn)):
        problem(api.put(opath(urn, code), role="business_manager", headers={"If-Match": '"1"'},
                        json={"amount_pence": 1, "note": "x"}), 412, "precondition-failed")


def test_outturn_refusals(api, first_urn, school_urns):
    other = school_urns[1]
    good = {"amount_pence": 100, "note": "n"}
    with unchanged(outturns_q(first_urn), outturns_q(other)):
        # roles: a business manager only her own schools; school systems and auditors never
        problem(api.put(opath(other, "E02"), role="business_manager", json=good), 403)
        problem(api.put(opath(first_urn, "E02"), role="school_system", json=good), 403)
        problem(api.put(opath(first_urn, "E02"), role="auditor", json=good), 403)
        problem(api.delete(opath(first_urn, "E02"), role="school_system", headers={"If-Match": '"1"'}), 403)
        # the path
        problem(api.put(opath(first_urn, "E99"), role="finance_director", json=good), 404)
        problem(api.put(opath(first_urn, "INT03"), role="finance_director", json=good), 422,
                fields=["path:code"])
        problem(api.put(opath(first_urn, "E02", year="2026-28"), role="finance_director", json=good), 400)
        problem(api.put(opath("999999", "E02"), role="finance_director", json=good), 404)
        # the body
        for body, field in (({"amount_pence": 100}, "/note"),
                            ({"note": "n"}, "/amount_pence"),
                            ({"amount_pence": 100, "note": ""}, "/note"),
                            ({"amount_pence": 100, "note": "   "}, "/note"),
                            ({"amount_pence": 100, "note": "x" * 1001}, "/note"),
                            ({"amount_pence": 1.5, "note": "n"}, "/amount_pence"),
                            ({"amount_pence": 10 ** 12, "note": "n"}, "/amount_pence"),
                            ({"amount_pence": 100, "note": "n", "extra": 1}, "/extra")):
            problem(api.put(opath(first_urn, "E02"), role="finance_director", json=body), 422, fields=[field])
    # 1000 characters (not bytes) is fine; a line break in a note is fine
    note = "é" * 999 + "\n"
    o = expect(api.put(opath(first_urn, "E19"), role="finance_director",
                       json={"amount_pence": -5, "note": note}), 201)
    assert o["note"] == note and o["amount_pence"] == -5
    assert api.delete(opath(first_urn, "E19"), role="finance_director",
                      headers={"If-Match": '"1"'}).status_code == 204


# ---- comments ----

def test_comment_create_update_delete(api, first_urn):
    urn = first_urn
    a0 = audit_max()
    r = api.put(cpath(urn, "E16"), role="business_manager", json={"text": "The new boiler controls are saving gas."})
    c = expect(r, 201)
    assert set(c) == COMMENT_FIELDS
    assert (c["urn"], c["month"], c["account_code"], c["version"]) == (urn, "2030-11", "E16", 1)
    rows = audit_since(a0)
    assert [(a, e, i) for a, e, i, _, _ in rows] == [("create", "variance_comment", f"{urn}/2030-11/E16")]
    with unchanged(comments_q(urn)):
        problem(api.put(cpath(urn, "E16"), role="business_manager", json={"text": "x"}), 428)
        problem(api.put(cpath(urn, "E16"), role="business_manager", headers={"If-Match": '"3"'},
                        json={"text": "x"}), 412)
        problem(api.put(cpath(urn, "E16"), role="business_manager", headers={"If-Match": '"1"'},
                        json={"text": "y" * 2001}), 422, fields=["/text"])
        problem(api.put(cpath(urn, "E16", month="2030-13"), role="business_manager", json={"text": "x"}), 400)
        problem(api.put(cpath(urn, "E16"), role="school_system", json={"text": "x"}), 403)
    # another month is another comment; January is month 5 of 2030-31
    c2 = expect(api.put(cpath(urn, "E16", month="2031-01"), role="finance_director",
                        json={"text": "January"}), 201)
    assert c2["month"] == "2031-01"
    assert sql_rows("SELECT c.year, c.month FROM variance_comments c JOIN schools s ON s.id = c.school_id "
                    f"WHERE s.urn = '{urn}' AND c.comment = 'January'") == [["2030", "5"]]
    r = api.put(cpath(urn, "E16"), role="business_manager", headers={"If-Match": '"1"'},
                json={"text": "Boiler controls: 12% less gas than last November."})
    assert expect(r, 200)["version"] == 2
    for month, etag in (("2030-11", '"2"'), ("2031-01", '"1"')):
        assert api.delete(cpath(urn, "E16", month=month), role="business_manager",
                          headers={"If-Match": etag}).status_code == 204
    assert sql_rows(comments_q(urn).replace("ORDER BY", "AND c.year = 2030 ORDER BY")) == []
    assert [a for a, *_ in audit_since(a0)] == ["create", "create", "update", "delete", "delete"]


# ---- the monitoring, checked against a calculation from the budget and the actuals ----

YEAR, YEAR_S = 2026, "2026-27"
MY_MONTHS = (4, 5)                      # December and January: the demo's actuals stop at November
STAFF_GROUPS = {"teaching_staff", "support_staff", "other_staff"}
PASS_THROUGH = {"INT03", "INT06"}


def month_text(m, year=YEAR):
    """Month m (1 = September) of the academic year as the API writes it."""
    cm = (m + 7) % 12 + 1
    return f"{year + (1 if m >= 5 else 0)}-{cm:02d}"


def chart():
    return {c: {"kind": k, "group": g, "internal": i == "1"}
            for c, k, g, i in sql_rows("SELECT code, kind, grp, is_internal FROM accounts")}


def totals(col, accounts):
    """budget_totals of one column {code: pence}: pass-through netted (README)."""
    inc = exp = passed = staff = 0
    for code, v in col.items():
        a = accounts[code]
        if a["kind"] == "income":
            inc += v
        else:
            exp += v
            if a["group"] in STAFF_GROUPS:
                staff += v
            if code in PASS_THROUGH:
                passed += v
    inc -= passed
    exp -= passed
    return {"income_pence": inc, "expenditure_pence": exp, "balance_pence": inc - exp, "staff_pence": staff}


def bp(part, whole):
    """round(part * 10000 / whole), half away from zero; None when whole <= 0."""
    if whole <= 0:
        return None
    n = abs(part) * 10000
    q, r = divmod(n, whole)
    if 2 * r >= whole:
        q += 1
    return q if part >= 0 else -q


def expected(api, urn, to, entered=None):
    """{code: figures} from the budget's months_pence and the actuals the API reads."""
    accounts = chart()
    budget = api.get(f"/api/v1/schools/{urn}/budgets/{YEAR_S}", role="finance_director")
    codes = {}

    def code(c):
        return codes.setdefault(c, {"budget": 0, "profile": [0] * 12, "actual": [0] * 12, "commitment": [0] * 12})
    if budget.status_code == 200:
        for line in budget.json()["lines"]:
            c = code(line["account_code"])
            assert sum(line["months_pence"]) == line["amount_pence"]
            c["budget"] += line["amount_pence"]
            c["profile"] = [a + b for a, b in zip(c["profile"], line["months_pence"])]
    acts = expect(api.get(f"/api/v1/schools/{urn}/actuals?year={YEAR_S}", role="finance_director"), 200)
    for item in acts["items"]:
        months = [month_text(m) for m in range(1, 13)]
        c = code(item["account_code"])
        c[item["kind"]][months.index(item["month"])] += item["amount_pence"]
    for k, c in codes.items():
        c["profile_to_date"] = sum(c["profile"][:to])
        c["actual_to_date"] = sum(c["actual"][:to])
        c["commitment_to_date"] = sum(c["commitment"][:to])
        c["variance"] = c["actual_to_date"] - c["profile_to_date"]
        c["outturn"] = (entered or {}).get(k, c["actual_to_date"] + sum(c["profile"][to:]))
        c["fyv"] = c["outturn"] - c["budget"]
        inc = accounts[k]["kind"] == "income"
        c["favourable"] = c["variance"] >= 0 if inc else c["variance"] <= 0
    return codes, accounts


@pytest.fixture(scope="module")
def my_actuals(api, first_urn):
    """Actuals and a commitment of December and January 2026-27 for the business manager's
    school, on codes of its budget and on one it has no line on, imported through
    POST /api/v1/actuals/import with this test's own cost centre and nominal codes (the demo's
    actuals stop at November; the cells are removed afterwards, as the ledger's tests do)."""
    budget = expect(api.get(f"/api/v1/schools/{first_urn}/budgets/{YEAR_S}", role="finance_director"), 200)
    have = {l["account_code"] for l in budget["lines"]}
    typed = {l["account_code"] for l in budget["lines"] if not l.get("computed")}
    accounts = chart()
    spare = sorted(c for c, a in accounts.items() if a["kind"] == "expenditure" and not a["internal"]
                   and c not in have)[0]
    inc = sorted(c for c in have if accounts[c]["kind"] == "income" and not accounts[c]["internal"])[0]
    exp = sorted(c for c in typed if accounts[c]["kind"] == "expenditure" and not accounts[c]["internal"]
                 and accounts[c]["group"] not in STAFF_GROUPS | {"contingency"})
    where = (f"year = {YEAR} AND month IN (4, 5) AND school_id = "
             f"(SELECT id FROM schools WHERE urn = '{first_urn}')")
    assert sql_rows(f"SELECT COUNT(*) FROM actuals WHERE {where}") == [["0"]], \
        "the demo has actuals of December 2026 for this school: pick other months"
    expect(api.post("/api/v1/ledger/cost-centres", role="finance_director",
                    json={"code": "MON-CC1", "urn": first_urn, "description": "test_monitoring"}), 201)
    for c in {exp[0], exp[-1], inc, spare}:
        expect(api.post("/api/v1/ledger/nominals", role="finance_director",
                        json={"code": f"MON-{c}", "account_code": c, "description": "test_monitoring"}), 201)
    # amounts in pounds, in the account's direction (signs=natural); two rows of one cell add up
    actual = ("Nominal,Cost Centre,Period,Amount,Description\r\n"
              f"MON-{exp[0]},MON-CC1,2026-12,12345.67,December\r\n"
              f"MON-{exp[0]},MON-CC1,5,\"23,456.78\",January\r\n"
              f"MON-{inc},MON-CC1,4,7654.32,December\r\n"
              f"MON-{inc},MON-CC1,2027-01-15,(10.00),January refund\r\n"
              f"MON-{spare},MON-CC1,5,99.99,January\r\n"
              f"MON-{exp[-1]},MON-CC1,4,1.00,December\r\n"
              f"MON-{exp[-1]},MON-CC1,4,2.33,December again\r\n")
    commitment = ("nominal,cost_centre,period,amount\r\n"
                  f"MON-{exp[-1]},MON-CC1,4,500.00\r\n")
    for kind, text in (("actual", actual), ("commitment", commitment)):
        r = api.post(f"/api/v1/actuals/import?year={YEAR_S}&kind={kind}&signs=natural", role="finance_director",
                     body=text.encode(), json_ct=False, headers={"Content-Type": "text/csv; charset=utf-8"})
        expect(r, 200)
    yield {"spare": spare, "income": inc, "expenditure": exp[0]}
    sql(f"DELETE FROM actuals WHERE {where}")


def check_entity(api, body, urn, to, entered=None):
    codes, accounts = expected(api, urn, to, entered)
    want_codes = [c for c, x in codes.items()
                  if x["budget"] or any(x["profile"]) or any(x["actual"]) or any(x["commitment"])
                  or c in (entered or {})]
    got = {l["account_code"]: l for l in body["lines"]}
    assert set(got) >= set(want_codes), sorted(set(want_codes) - set(got))
    for k, line in got.items():
        x = codes[k]
        assert line["kind"] == accounts[k]["kind"] and line["group"] == accounts[k]["group"]
        assert line["budget_pence"] == x["budget"], k
        assert line["profile_months_pence"] == x["profile"], k
        assert line["actual_months_pence"] == x["actual"], k
        assert line["commitment_months_pence"] == x["commitment"], k
        assert line["profile_to_date_pence"] == x["profile_to_date"], k
        assert line["actual_to_date_pence"] == x["actual_to_date"], k
        assert line["commitment_to_date_pence"] == x["commitment_to_date"], k
        assert line["variance_to_date_pence"] == x["variance"], k
        assert line["favourable"] == x["favourable"], k
        if line["outturn"] is not None and k not in (entered or {}):
            x["outturn"] = line["outturn"]["amount_pence"]   # entered by someone else (the demo)
            x["fyv"] = x["outturn"] - x["budget"]
        assert line["outturn_pence"] == x["outturn"], k
        assert line["full_year_variance_pence"] == x["fyv"], k
        inc = accounts[k]["kind"] == "income"
        assert line["full_year_favourable"] is (x["fyv"] >= 0 if inc else x["fyv"] <= 0), k
    cols = {"budget": {k: codes[k]["budget"] for k in got},
            "profile_to_date": {k: codes[k]["profile_to_date"] for k in got},
            "actual_to_date": {k: codes[k]["actual_to_date"] for k in got},
            "outturn": {k: codes[k]["outturn"] for k in got}}
    for name, col in cols.items():
        assert body["totals"][name] == totals(col, accounts), name
    # the full-year variance of the totals, and its favourable flags (income and balance at or
    # above the budget, expenditure and staff at or below)
    t_b, t_o = body["totals"]["budget"], body["totals"]["outturn"]
    fyv = {m: t_o[m] - t_b[m] for m in t_b}
    assert body["totals"]["full_year_variance"] == fyv
    assert body["totals"]["full_year_favourable"] == {
        "income": fyv["income_pence"] >= 0, "expenditure": fyv["expenditure_pence"] <= 0,
        "balance": fyv["balance_pence"] >= 0, "staff": fyv["staff_pence"] <= 0}
    if "months" in body:
        # the chart's series: the totals of the profile and the actuals to the end of each month
        assert [mo["month"] for mo in body["months"]] == [month_text(m) for m in range(1, 13)]
        for m, mo in enumerate(body["months"], start=1):
            assert mo["profile_to_date"] == totals({k: sum(codes[k]["profile"][:m]) for k in got}, accounts), m
            if m <= to:
                assert mo["actual_to_date"] == totals({k: sum(codes[k]["actual"][:m]) for k in got}, accounts), m
            else:
                assert mo["actual_to_date"] is None, m
        assert body["months"][to - 1]["profile_to_date"] == body["totals"]["profile_to_date"]
        assert body["months"][to - 1]["actual_to_date"] == body["totals"]["actual_to_date"]
    opening = sql_rows(f"SELECT y.opening_reserves_pence FROM school_years y JOIN schools s ON s.id = y.school_id "
                       f"WHERE s.urn = '{urn}' AND y.year = {YEAR}")
    t_out = body["totals"]["outturn"]
    if opening and opening[0][0] != "NULL":
        o = int(opening[0][0])
        assert body["reserves"] == {"opening_pence": o,
                                    "closing_budget_pence": o + body["totals"]["budget"]["balance_pence"],
                                    "closing_outturn_pence": o + t_out["balance_pence"]}
        assert body["kpis"]["reserves_pct_bp"] == bp(o + t_out["balance_pence"], t_out["income_pence"])
    else:
        assert body["reserves"] == {"opening_pence": None, "closing_budget_pence": None, "closing_outturn_pence": None}
    assert body["kpis"]["staff_pct_bp"] == bp(t_out["staff_pence"], t_out["income_pence"])
    assert body["kpis"]["in_year_balance_pct_bp"] == bp(t_out["balance_pence"], t_out["income_pence"])
    return codes


def test_school_monitoring_to_the_penny(api, first_urn, my_actuals):
    r = api.get(f"/api/v1/schools/{first_urn}/monitoring?month=2027-01", role="business_manager")
    body = expect(r, 200)
    assert (body["urn"], body["year"], body["month"]) == (first_urn, YEAR_S, "2027-01")
    codes = check_entity(api, body, first_urn, 5)
    lines = {l["account_code"]: l for l in body["lines"]}
    assert sum(l["budget_pence"] for l in body["lines"]) != 0 and any(l["profile_to_date_pence"] for l in body["lines"])
    mine = lines[my_actuals["expenditure"]]["actual_months_pence"]
    assert mine[3] == 1234567 and mine[4] == 2345678
    assert lines[my_actuals["income"]]["actual_months_pence"][3:5] == [765432, -1000]
    # the code without a budget line is there for its actual
    spare = lines[my_actuals["spare"]]
    assert spare["budget_pence"] == 0 and spare["actual_to_date_pence"] == 9999
    assert spare["outturn_pence"] == 9999 and spare["favourable"] is False
    # the ETag: 304 while nothing changes
    assert api.get(f"/api/v1/schools/{first_urn}/monitoring?month=2027-01", role="business_manager",
                   headers={"If-None-Match": r.headers["ETag"]}).status_code == 304
    # through November only my January actual does not count
    nov = expect(api.get(f"/api/v1/schools/{first_urn}/monitoring?month=2026-11", role="auditor"), 200)
    check_entity(api, nov, first_urn, 3)
    # one GET's months are each month's own GET's totals (the chart needs one request, not twelve)
    for m in (1, 3):
        one = expect(api.get(f"/api/v1/schools/{first_urn}/monitoring?month={month_text(m)}", role="auditor"), 200)
        assert body["months"][m - 1] == {"month": month_text(m), "profile_to_date": one["totals"]["profile_to_date"],
                                         "actual_to_date": one["totals"]["actual_to_date"]}
    assert nov["months"][3]["actual_to_date"] is None and body["months"][4]["actual_to_date"] is not None
    # an entered outturn replaces the rest of the profile, and the month's comment shows
    code = my_actuals["expenditure"]
    o = expect(api.put(opath(first_urn, code, year=YEAR_S), role="business_manager",
                       json={"amount_pence": codes[code]["budget"] + 1500000, "note": "Supply to Easter"}), 201)
    c = expect(api.put(cpath(first_urn, code, month="2027-01"), role="business_manager",
                       json={"text": "Two long-term absences"}), 201)
    try:
        body = expect(api.get(f"/api/v1/schools/{first_urn}/monitoring?month=2027-01", role="finance_director"), 200)
        check_entity(api, body, first_urn, 5, entered={code: o["amount_pence"]})
        line = {l["account_code"]: l for l in body["lines"]}[code]
        assert line["full_year_variance_pence"] == 1500000 and line["favourable"] in (True, False)
        assert line["outturn"] == {k: o[k] for k in ("amount_pence", "note", "version", "updated_by", "updated_at")}
        assert line["comment"] == {k: c[k] for k in ("text", "version", "updated_by", "updated_at")}
        # the comment is January's: December's view has none for the code
        dec = expect(api.get(f"/api/v1/schools/{first_urn}/monitoring?month=2026-12", role="finance_director"), 200)
        assert {l["account_code"]: l for l in dec["lines"]}[code]["comment"] is None
    finally:
        api.delete(opath(first_urn, code, year=YEAR_S), role="finance_director", headers={"If-Match": '"1"'})
        api.delete(cpath(first_urn, code, month="2027-01"), role="finance_director", headers={"If-Match": '"1"'})


def test_monitoring_roles_and_queries(api, first_urn, school_urns):
    problem(api.get(f"/api/v1/schools/{school_urns[1]}/monitoring", role="business_manager"), 403)
    problem(api.get(f"/api/v1/schools/{first_urn}/monitoring", role="school_system"), 403)
    problem(api.get("/api/v1/monitoring", role="business_manager"), 403)
    problem(api.get("/api/v1/monitoring", role="school_system"), 403)
    for bad in ("2026-13", "2026-1", "November"):
        problem(api.get(f"/api/v1/schools/{first_urn}/monitoring?month={bad}", role="auditor"), 422,
                fields=["query:month"])
    problem(api.get(f"/api/v1/schools/{first_urn}/monitoring?year=2026-27", role="auditor"), 422)
    problem(api.get("/api/v1/schools/999999/monitoring", role="auditor"), 404)
    # without month: the latest closed month of the current year (September when none is)
    body = expect(api.get(f"/api/v1/schools/{first_urn}/monitoring", role="auditor"), 200)
    closed = sql_rows(f"SELECT MAX(month) FROM periods WHERE year = {YEAR} AND closed = 1")[0][0]
    assert body["month"] == (month_text(int(closed)) if closed != "NULL" else "2026-09")
    assert body["closed"] == (closed != "NULL")


def test_trust_monitoring_sums_the_entities(api, my_actuals):
    body = expect(api.get("/api/v1/monitoring?month=2027-01", role="auditor"), 200)
    assert (body["year"], body["month"]) == (YEAR_S, "2027-01")
    accounts = chart()
    sums = {}
    for e in body["entities"]:
        one = expect(api.get(f"/api/v1/schools/{e['urn']}/monitoring?month=2027-01", role="auditor"), 200)
        assert (e["totals"], e["reserves"], e["kpis"]) == (one["totals"], one["reserves"], one["kpis"]), e["urn"]
        for l in one["lines"]:
            if accounts[l["account_code"]]["internal"]:
                continue
            s = sums.setdefault(l["account_code"], {})
            for k in ("budget_pence", "profile_to_date_pence", "actual_to_date_pence", "commitment_to_date_pence",
                      "variance_to_date_pence", "outturn_pence", "full_year_variance_pence"):
                s[k] = s.get(k, 0) + l[k]
            for k in ("profile_months_pence", "actual_months_pence", "commitment_months_pence"):
                s[k] = [a + b for a, b in zip(s.get(k, [0] * 12), l[k])]
    lines = {l["account_code"]: l for l in body["trust"]["lines"]}
    assert set(lines) == set(sums)
    for k, s in sums.items():
        for f, v in s.items():
            assert lines[k][f] == v, (k, f)
        inc = accounts[k]["kind"] == "income"
        fyv = s["full_year_variance_pence"]
        assert lines[k]["full_year_favourable"] is (fyv >= 0 if inc else fyv <= 0), k
        assert lines[k]["favourable"] is (s["variance_to_date_pence"] >= 0 if inc else s["variance_to_date_pence"] <= 0), k
    for col in ("budget", "profile_to_date", "actual_to_date", "outturn"):
        want = totals({k: lines[k][{"budget": "budget_pence", "profile_to_date": "profile_to_date_pence",
                                     "actual_to_date": "actual_to_date_pence", "outturn": "outturn_pence"}[col]]
                       for k in lines}, accounts)
        assert body["trust"]["totals"][col] == want, col
    # consolidation: the entities' budgeted balances add up to the trust's (the internal pairs net out)
    assert body["trust"]["totals"]["budget"]["balance_pence"] == \
        sum(e["totals"]["budget"]["balance_pence"] for e in body["entities"])


def run_base_amounts(api, run_id, urn):
    """{code: the base-year amount of the entity's lines} from the run's CSV (its first forecast year)."""
    r = api.get(f"/api/v1/forecasts/{run_id}", role="finance_director", headers={"Accept": "text/csv"})
    assert r.status_code == 200, r.text[:300]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    out = {}
    first = min(row["year"] for row in rows)
    for row in rows:
        if row["entity"] == urn and row["year"] == first and row["base_year_amount"] != "":
            out[row["account_code"]] = out.get(row["account_code"], 0) + \
                int((Decimal(row["base_year_amount"]) * 100).to_integral_value())
    return out


def test_forecast_from_the_outturn(api, first_urn, my_actuals):
    """base_from: each entity's base lines of a code take the code's full-year variance at the month
    (the outturn itself for lines that are the budget's); recorded with the run, in its digest."""
    mon = expect(api.get(f"/api/v1/schools/{first_urn}/monitoring?month=2027-01", role="finance_director"), 200)
    lines = {l["account_code"]: l for l in mon["lines"]}
    body = {"scenario": "expected", "base_year": YEAR_S, "horizon": 1}
    plain = expect(api.post("/api/v1/forecasts", role="finance_director", json=body), 201)
    fo = expect(api.post("/api/v1/forecasts", role="finance_director",
                         json=dict(body, base_from={"outturn_month": "2027-01"})), 201)
    assert fo["digest"] != plain["digest"]
    inputs = json.loads(sql_rows(f"SELECT inputs_json FROM forecast_runs WHERE id = {fo['id']}")[0][0])
    assert inputs["base_from"] == {"outturn_month": "2027-01"}
    a, b = run_base_amounts(api, plain["id"], first_urn), run_base_amounts(api, fo["id"], first_urn)
    for code in (my_actuals["expenditure"], my_actuals["income"]):
        assert a[code] == lines[code]["budget_pence"], code
        assert b[code] == lines[code]["outturn_pence"], code
        assert lines[code]["outturn_pence"] != lines[code]["budget_pence"]
    # every code: the difference is the full-year variance (a code with base lines)
    for code in a:
        if code in lines and not code.startswith("INT"):
            assert b[code] - a[code] == lines[code]["full_year_variance_pence"], code
    # the same inputs give the same digest again
    again = expect(api.post("/api/v1/forecasts", role="finance_director",
                            json=dict(body, base_from={"outturn_month": "2027-01"})), 201)
    assert again["digest"] == fo["digest"]
    for bad in ({"outturn_month": "2027-13"}, {"outturn_month": "2027-09"}, {"month": "2027-01"}, {}):
        problem(api.post("/api/v1/forecasts", role="finance_director", json=dict(body, base_from=bad)), 422)
    for rid in (plain["id"], fo["id"], again["id"]):
        r = api.get(f"/api/v1/forecasts/{rid}", role="finance_director", params={"lines": "false"})
        api.delete(f"/api/v1/forecasts/{rid}", role="finance_director", headers={"If-Match": r.headers["ETag"]})
