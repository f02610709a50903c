"""GET /api/v1/central-services-statement?year=: what each school was charged
(top-slice, `local`) or had retained (GAG pooled less its allocation,
`central`), on what basis, and the core services that pays for, compared with
the core services' cost and with the central team's budgeted spending (issue 15,
item 9); checked against the seeded 2026-27 budgets."""
import csv
import io

import pytest

from conftest import expect, problem, sql_rows, sql_value, unchanged

PATH = "/api/v1/central-services-statement"


def statement(api, year="2026-27", role="finance_director", **kw):
    return expect(api.get(f"{PATH}?year={year}", role=role, **kw), 200)


def round_half_up(num, den):
    return (2 * num + den) // (2 * den)


def budget_sum(urn, where):
    return int(sql_value(
        "SELECT COALESCE(SUM(l.amount_pence), 0) FROM budget_lines l JOIN budgets b ON b.id = l.budget_id "
        f"JOIN schools s ON s.id = b.school_id JOIN accounts a ON a.id = l.account_id "
        f"WHERE s.urn = '{urn}' AND b.year = 2026 AND {where}"))


def test_statement_shape_and_models(api):
    body = statement(api)
    assert set(body) == {"year", "schools", "schools_without_budget", "core_services", "totals", "central_budget",
                         "comparisons"}
    assert body["year"] == "2026-27"
    models = dict(sql_rows("SELECT urn, finance_model FROM schools WHERE kind <> 'central'"))
    urns = [s["urn"] for s in body["schools"]]
    assert urns == sorted(urns) and set(urns) | set(body["schools_without_budget"]) == set(models)
    kinds = set()
    for s in body["schools"]:
        assert s["model"] == models[s["urn"]]
        assert s["amount_pence"] == s["paid_pence"] - s["received_pence"]
        kinds.add((s["model"], s["kind"]))
        assert s["core_services"] == body["core_services"]
        assert s["basis"]["explanation"]
    assert kinds == {("local", "charged"), ("central", "retained")}


def test_local_schools_charge_their_topslice(api):
    body = statement(api)
    local = [s for s in body["schools"] if s["model"] == "local"]
    assert local
    for s in local:
        gag = budget_sum(s["urn"], "a.is_gag = 1 AND a.kind = 'income'")
        excluded = budget_sum(s["urn"], "l.excluded_from_central = 1 AND (a.kind = 'expenditure' OR a.is_gag = 1)")
        base = gag - excluded
        assert s["basis"]["basis"] == "topslice"
        assert s["basis"]["rate_bp"] == 500
        assert s["basis"]["base_pence"] == base
        assert s["amount_pence"] == s["paid_pence"] == round_half_up(base * 500, 10000)
        assert s["received_pence"] == 0
        # the budget's computed charge is the same, to the penny (no budget types it: issue 14)
        assert budget_sum(s["urn"], "a.code = 'INT01'") == 0
        b = expect(api.get(f"/api/v1/schools/{s['urn']}/budgets/2026-27", role="finance_director"), 200)
        assert [(l["account_code"], l["amount_pence"]) for l in b["lines"] if l["computed"]] == \
            [("INT01", s["amount_pence"])]
        [p] = s["postings"]
        assert (p["payer"], p["payer_account"], p["payee"], p["payee_account"]) == \
            (s["urn"], "INT01", "central", "INT02")


def test_pooled_schools_retained_is_the_retention(api):
    body = statement(api)
    pooled = [s for s in body["schools"] if s["model"] == "central"]
    assert len(pooled) >= 2
    pot = sum(s["paid_pence"] for s in pooled)
    retained = sum(s["amount_pence"] for s in pooled)
    assert retained == round_half_up(pot * 600, 10000)
    for s in pooled:
        assert s["basis"]["basis"] == "pool" and s["basis"]["rate_bp"] == 600
        assert s["received_pence"] > 0
        accounts = sorted(p["payer_account"] if p["payee"] == "central" else p["payee_account"]
                          for p in s["postings"])
        assert accounts == ["INT03", "INT05"]
    # the pot: the GAG each pooled school budgets (issue 14: its own I01, no longer the
    # central team's), less its lines excluded from pooling (rates)
    for s in pooled:
        excluded = budget_sum(s["urn"], "l.excluded_from_central = 1 AND a.kind = 'expenditure'")
        assert excluded > 0
        assert s["paid_pence"] == budget_sum(s["urn"], "a.is_gag = 1 AND a.kind = 'income'") - excluded
    assert budget_sum("central", "a.is_gag = 1 AND a.kind = 'income'") == 0


def test_budgets_computed_lines_are_the_statements_postings(api):
    """Every seeded budget's computed lines are the statement's postings on its side, to the
    penny: one computation behind both (issue 14)."""
    body = statement(api)
    want = {}
    for s in body["schools"]:
        for p in s["postings"]:
            want.setdefault(p["payer"], []).append((p["payer_account"], p["amount_pence"]))
            want.setdefault(p["payee"], []).append((p["payee_account"], p["amount_pence"]))
    urns = [u for (u,) in sql_rows("SELECT urn FROM schools ORDER BY kind = 'central', urn")]
    assert set(want) <= set(urns) and "central" in want
    for urn in urns:
        b = expect(api.get(f"/api/v1/schools/{urn}/budgets/2026-27", role="finance_director"), 200)
        got = [(l["account_code"], l["amount_pence"]) for l in b["lines"] if l["computed"]]
        assert sorted(got) == sorted(want.get(urn, [])), urn
        assert budget_sum(urn, "a.is_internal = 1") == 0, urn           # none typed or stored


def test_core_services_and_totals(api):
    body = statement(api)
    core = body["core_services"]
    live = {int(i): n for i, n in sql_rows(
        "SELECT id, name FROM services WHERE funding = 'core' AND deleted_at IS NULL")}
    assert core and {c["id"] for c in core} <= set(live)
    for c in core:
        assert c["name"] == live[c["id"]] and c["cost_pence"] >= 0 and 1 <= c["months"] <= 12
    t = body["totals"]
    assert t["charged_pence"] == sum(s["amount_pence"] for s in body["schools"] if s["kind"] == "charged")
    assert t["retained_pence"] == sum(s["amount_pence"] for s in body["schools"] if s["kind"] == "retained")
    assert t["total_pence"] == t["charged_pence"] + t["retained_pence"]
    assert t["core_services_cost_pence"] == sum(c["cost_pence"] for c in core)
    assert t["difference_pence"] == t["total_pence"] - t["core_services_cost_pence"]


def test_csv(api):
    body = statement(api)
    r = api.get(f"{PATH}?year=2026-27", role="auditor", headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")       # a UTF-8 BOM
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    schools = [x for x in rows if x["row"] == "school"]
    assert [x["urn"] for x in schools] == [s["urn"] for s in body["schools"]]
    for x, s in zip(schools, body["schools"]):
        assert round(float(x["amount"]) * 100) == s["amount_pence"] and x["kind"] == s["kind"]
    assert len([x for x in rows if x["row"] == "core_service"]) == len(body["core_services"])
    totals = {x["name"]: round(float(x["amount"]) * 100) for x in rows if x["row"] == "total"}
    assert totals["charged and retained"] == body["totals"]["total_pence"]
    assert totals["core services"] == body["totals"]["core_services_cost_pence"]


def test_etag(api):
    r = api.get(f"{PATH}?year=2026-27", role="finance_director")
    expect(r, 200)
    r2 = api.get(f"{PATH}?year=2026-27", role="finance_director", headers={"If-None-Match": r.headers["ETag"]})
    assert r2.status_code == 304


@pytest.mark.parametrize("role,status", [("finance_director", 200), ("auditor", 200), ("business_manager", 200),
                                         ("school_system", 403), ("admin", 403)])
def test_roles(api, role, status):
    r = api.get(f"{PATH}?year=2026-27", role=role)
    if status == 200:
        expect(r, 200)
    else:
        problem(r, 403, "forbidden")


@pytest.mark.parametrize("query", ["", "?year=", "?year=2026", "?year=2026-28", "?year=26-27", "?year=2026/27"])
def test_bad_year(api, query):
    with unchanged("SELECT id, version FROM budgets ORDER BY id"):
        problem(api.get(PATH + query, role="finance_director"), 422, fields=["query:year"])


def test_year_without_budgets(api):
    p = problem(api.get(f"{PATH}?year=2040-41", role="finance_director"), 422, fields=["query:year"])
    assert "2040-41" in str(p)


def test_unknown_query_param(api):
    problem(api.get(f"{PATH}?year=2026-27&school=159901", role="finance_director"), 422, fields=["query:school"])


def test_business_manager_sees_her_schools_part(api, make_token):
    """A business manager reads her own schools' rows with the core services their charge pays
    for; another school's rows never appear (JSON or CSV), and the totals are over hers."""
    whole = statement(api)
    urns = [s["urn"] for s in whole["schools"]]
    mine = urns[1:3]
    _, tok = make_token("business_manager", schools=mine)
    part = expect(api.get(f"{PATH}?year=2026-27", token=tok), 200)
    assert [s["urn"] for s in part["schools"]] == mine
    assert part["schools"] == [s for s in whole["schools"] if s["urn"] in mine]
    assert part["schools_without_budget"] == []
    assert part["core_services"] == whole["core_services"] and part["core_services"]
    for s in part["schools"]:
        assert s["core_services"] == whole["core_services"]
    t = part["totals"]
    assert t["total_pence"] == sum(s["amount_pence"] for s in part["schools"])
    assert t["core_services_cost_pence"] == whole["totals"]["core_services_cost_pence"]
    assert t["difference_pence"] == t["total_pence"] - t["core_services_cost_pence"]
    # the CSV: her schools' rows only
    r = api.get(f"{PATH}?year=2026-27", token=tok, headers={"Accept": "text/csv"})
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert sorted(row[1] for row in rows[1:] if row[0] == "school") == sorted(mine)
    others = set(urns) - set(mine)
    assert not any(u in r.text for u in others)
    # the default business manager's token (one school) sees one row
    one = expect(api.get(f"{PATH}?year=2026-27", role="business_manager"), 200)
    assert len(one["schools"]) == 1 and one["schools"][0]["urn"] in urns


# ---- the comparisons (issue 15, item 9) ----

def central_budget_sums(year=2026):
    """The central team's budget of the year from the database: its status and its lines on
    accounts that are not internal, expenditure and income."""
    rows = sql_rows(
        "SELECT b.status, a.kind, COALESCE(SUM(l.amount_pence), 0) FROM budgets b "
        "JOIN schools s ON s.id = b.school_id LEFT JOIN budget_lines l ON l.budget_id = b.id "
        "LEFT JOIN accounts a ON a.id = l.account_id AND a.is_internal = 0 "
        f"WHERE s.kind = 'central' AND b.year = {year} GROUP BY b.status, a.kind")
    status = rows[0][0] if rows else None
    sums = {kind: int(v) for _, kind, v in rows if kind is not None}
    return status, sums.get("expenditure", 0), sums.get("income", 0)


def pounds(pence):
    return f"£{pence // 100:,}.{pence % 100:02d}" if pence >= 0 else "-" + pounds(-pence)


def test_compared_with_the_central_teams_budgeted_spending(api):
    """The seeded central budget (a draft) plans £1,631,712.50 of external spending (staff,
    premises, supplies, services, the contingency) and £45,000 of other income: the charges and
    retentions (£1,598,710.90) fall £33,001.60 short of it, which the other income covers, leaving
    £11,998.40: the central budget's in-year balance."""
    body = statement(api)
    status, spend, other = central_budget_sums()
    assert status == "draft" and spend > 0 and other > 0
    assert body["central_budget"] == {"status": status, "expenditure_pence": spend, "other_income_pence": other}
    t = body["totals"]
    assert t["central_budget_expenditure_pence"] == spend
    assert t["central_budget_difference_pence"] == t["total_pence"] - spend
    core, bud = body["comparisons"]
    assert core == {"against": "core_services", "description": "The core services in the service catalogue",
                    "charges_pence": t["total_pence"], "cost_pence": t["core_services_cost_pence"],
                    "difference_pence": t["difference_pence"], "explanation": core["explanation"]}
    assert bud["against"] == "central_budget" and bud["charges_pence"] == t["total_pence"]
    assert bud["cost_pence"] == spend and bud["difference_pence"] == t["total_pence"] - spend
    # the words carry the figures and say which budget
    assert f"of {pounds(t['total_pence'])} are {pounds(t['difference_pence'])} more than the " \
           f"{pounds(t['core_services_cost_pence'])}" in core["explanation"]
    assert "central team's own staff and running costs" in core["explanation"]
    assert "draft budget (the latest version, not yet approved) for 2026-27" in bud["explanation"]
    assert f"plans {pounds(spend)} of spending" in bud["explanation"]
    surplus = t["total_pence"] + other - spend
    assert t["total_pence"] < spend and surplus > 0          # the seeded figures
    assert f"fall {pounds(spend - t['total_pence'])} short of it; the central team's other income of " \
           f"{pounds(other)} covers the shortfall and leaves a budgeted surplus of {pounds(surplus)}." \
           in bud["explanation"]
    # the central budget as the budgets read it: the same in-year balance
    cb = expect(api.get("/api/v1/schools/central/budgets/2026-27", role="finance_director"), 200)
    assert cb["status"] == status
    assert cb["totals"]["in_year_balance_pence"] == surplus


def test_the_comparisons_in_the_csv(api):
    body = statement(api)
    r = api.get(f"{PATH}?year=2026-27", role="finance_director", headers={"Accept": "text/csv"})
    assert r.status_code == 200
    rows = [x for x in csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))) if x["row"] == "total"]
    by = {x["name"]: x for x in rows}
    core, bud = body["comparisons"]
    assert [x["name"] for x in rows] == [
        "charged", "retained", "charged and retained", "core services", "charged and retained less core services",
        "central team's budgeted spending", "central team's other income",
        "charged and retained less the central team's budgeted spending"]
    def amount(name):
        return round(float(by[name]["amount"]) * 100)
    assert amount("charged and retained less core services") == core["difference_pence"]
    assert by["charged and retained less core services"]["explanation"] == core["explanation"]
    assert amount("central team's budgeted spending") == body["central_budget"]["expenditure_pence"]
    assert by["central team's budgeted spending"]["explanation"] == \
        "its draft budget for 2026-27 (the latest version, not yet approved)"
    assert amount("central team's other income") == body["central_budget"]["other_income_pence"]
    assert amount("charged and retained less the central team's budgeted spending") == bud["difference_pence"]
    assert by["charged and retained less the central team's budgeted spending"]["explanation"] == bud["explanation"]


def test_a_business_manager_sees_her_share_of_the_central_spending(api, make_token):
    """Her schools' charges against the trust's costs, the share they meet in words; the JSON and
    the CSV agree; the trust's total charges appear nowhere."""
    whole = statement(api)
    urns = [s["urn"] for s in whole["schools"]]
    mine = urns[1:3]
    _, tok = make_token("business_manager", schools=mine)
    part = expect(api.get(f"{PATH}?year=2026-27", token=tok), 200)
    charges = sum(s["amount_pence"] for s in part["schools"])
    spend = whole["central_budget"]["expenditure_pence"]
    assert part["central_budget"] == whole["central_budget"]
    core, bud = part["comparisons"]
    assert core["charges_pence"] == bud["charges_pence"] == part["totals"]["total_pence"] == charges
    assert core["cost_pence"] == whole["totals"]["core_services_cost_pence"]
    assert bud["cost_pence"] == spend and bud["difference_pence"] == charges - spend
    assert part["totals"]["central_budget_difference_pence"] == charges - spend
    share = (2 * charges * 10000 + spend) // (2 * spend)    # basis points, half up
    assert f"Your schools' charges and retentions of {pounds(charges)} meet {share // 100}.{share % 100:02d}% " \
           "of it" in bud["explanation"]
    assert core["explanation"].startswith(f"Your schools' charges and retentions of {pounds(charges)}")
    assert pounds(whole["totals"]["total_pence"]) not in str(part)
    r = api.get(f"{PATH}?year=2026-27", token=tok, headers={"Accept": "text/csv"})
    by = {x["name"]: x for x in csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))) if x["row"] == "total"}
    assert round(float(by["charged and retained less the central team's budgeted spending"]["amount"]) * 100) == \
        charges - spend
    assert by["charged and retained less the central team's budgeted spending"]["explanation"] == bud["explanation"]
