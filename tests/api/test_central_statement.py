"""GET /api/v1/central-services-statement?year=: what each school was charged
(top-slice, `local`) or had retained (GAG pooled less its allocation,
`central`), on what basis, and the core services that pays for; checked against
the seeded 2026-27 budgets."""
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
    assert set(body) == {"year", "schools", "schools_without_budget", "core_services", "totals"}
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
