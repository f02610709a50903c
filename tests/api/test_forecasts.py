"""Forecast runs (issue 7): POST /api/v1/forecasts runs the engine over the demo trust's
base-year budgets and saves the run (replying with its summary, or with every line on
?lines=true); GET reads it back (JSON, with or without lines, or CSV); the list, compare,
reruns with the same digest, the consolidation invariants, business managers' filtered
view, the lines kept packed per entity and year (and still one row each in the
forecast_lines view), and bad input that saves nothing."""
import csv
import io
import re

import pytest

from conftest import audit_max, expect, problem, publish_run, sql, sql_rows, sql_value, unchanged

URL = "/api/v1/forecasts"
PASS_THROUGH = {"INT03", "INT06"}
SAVED_Q = ("SELECT (SELECT COUNT(*) FROM forecast_runs), (SELECT COUNT(*) FROM forecast_lines), "
           "(SELECT COUNT(*) FROM forecast_years), (SELECT COUNT(*) FROM forecast_warnings)")


def scenario_id(name):
    return int(sql_value(f"SELECT id FROM scenarios WHERE name = '{name}' AND deleted_at IS NULL"))


def run(api, body, role="finance_director", lines=True, **kw):
    """POST a run; lines=True asks for every line in the reply (?lines=true), None sends no parameter."""
    if lines is not None:
        kw["params"] = dict(kw.get("params", {}), lines="true" if lines else "false")
    return api.post(URL, role=role, json=body, **kw)


def summary(f):
    """A full run as ?lines=false gives it: every year without its lines."""
    return dict(f, entities=[dict(e, years=[{k: v for k, v in y.items() if k != "lines"} for y in e["years"]])
                             for e in f["entities"]],
                trust=None if f["trust"] is None else
                dict(f["trust"], years=[{k: v for k, v in y.items() if k != "lines"} for y in f["trust"]["years"]]))


def figures(f):
    """A run's figures without its identity: every entity's years, the trust and the warnings."""
    return {"entities": f["entities"], "trust": f["trust"], "warnings": f["warnings"]}


@pytest.fixture(scope="module")
def expected_run(api):
    r = run(api, {"scenario": scenario_id("expected"), "base_year": "2026-27", "horizon": 5})
    f = expect(r, 201)
    assert r.headers["Location"] == f"{URL}/{f['id']}"
    return f


def test_run_the_demo_trust(api, expected_run, school_urns):
    f = expected_run
    # the POST's body (built from the run in memory) is what GET reads back from the rows
    assert expect(api.get(f"{URL}/{f['id']}", role="finance_director"), 200) == f
    assert re.fullmatch(r"[0-9a-f]{64}", f["digest"])
    assert f["scenario"]["name"] == "expected" and f["base_year"] == "2026-27" and f["horizon"] == 5
    assert f["run_by"]["role"] == "finance_director"
    assert [p["name"] for p in f["plugins"]] == ["central", "local"]
    assert f["plugins"][1]["settings"] == {"topslice_bp": "500"}
    assert [e["urn"] for e in f["entities"]] == school_urns + ["central"]
    for e in f["entities"] + [f["trust"]]:
        years = e["years"]
        assert [y["year"] for y in years] == ["2026-27", "2027-28", "2028-29", "2029-30", "2030-31", "2031-32"]
        assert years[0]["basis"] == "budget" and "lines" not in years[0]
        for prev, y in zip(years, years[1:]):
            # reserves roll forward: closing = opening + income - expenditure
            assert y["opening_reserves_pence"] == prev["closing_reserves_pence"]
            assert y["in_year_balance_pence"] == y["income_pence"] - y["expenditure_pence"]
            assert y["closing_reserves_pence"] == y["opening_reserves_pence"] + y["in_year_balance_pence"]
            # the lines add up to the totals, the GAG that passes through (INT03, INT06) netted out of both
            passed = sum(l["amount_pence"] for l in y["lines"] if l["account_code"] in PASS_THROUGH)
            assert sum(l["amount_pence"] for l in y["lines"] if l["account_code"] in income_codes()) - passed == \
                y["income_pence"]
            assert sum(l["amount_pence"] for l in y["lines"] if l["account_code"] not in income_codes()) - passed == \
                y["expenditure_pence"]
            assert y["kpis"]["income_pence"] == y["income_pence"]
    # a pooled school's income reads as its budget's in every year (issue 15: Kingfisher Wharf's doubled, £5.33m
    # budgeted and £10.11m in 2027-28, with its pass-through GAG counted gross)
    kw = next(e for e in f["entities"] if e["urn"] == "159901")["years"]
    assert all(abs(y["income_pence"] - kw[0]["income_pence"]) < kw[0]["income_pence"] // 5 for y in kw)
    # the base year is the budgets as budgeted
    base = sql_value("SELECT SUM(IF(a.kind = 'income', l.amount_pence, -l.amount_pence)) FROM budget_lines l "
                     "JOIN budgets b ON b.id = l.budget_id JOIN accounts a ON a.id = l.account_id "
                     "WHERE b.year = 2026 AND a.is_internal = 0")
    assert f["trust"]["years"][0]["in_year_balance_pence"] == int(base)
    # warnings: the falling rolls' deficits, contracts ending, budgets not approved
    codes = {(w["entity"], w["code"]) for w in f["warnings"]}
    assert ("159904", "in_year_deficit") in codes and ("159905", "in_year_deficit") in codes
    assert ("159904", "budget_not_approved") in codes or sql_value(
        "SELECT status FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026") == "approved"
    assert any(w["code"] == "pupils_falling" and w["entity"] == "159904" for w in f["warnings"]) is False  # 522 -> 500: -4.2%
    # audited as one run
    row = sql_rows(f"SELECT action, role FROM audit_log WHERE entity = 'forecast' AND entity_id = '{f['id']}'")
    assert row == [["run", "finance_director"]]
    # saved in rows of their own: one per entity and year, its lines packed in lines_json, and the
    # forecast_lines view still gives one row per line
    assert int(sql_value(f"SELECT COUNT(*) FROM forecast_years WHERE run_id = {f['id']}")) == 11 * 6
    n_lines = sum(len(y.get("lines", [])) for e in f["entities"] + [f["trust"]] for y in e["years"])
    assert int(sql_value(f"SELECT COUNT(*) FROM forecast_lines WHERE run_id = {f['id']}")) == n_lines
    first = f["entities"][0]["years"][1]["lines"][0]
    row = sql_rows(f"SELECT line_no, account_code, description, driver, amount_pence FROM forecast_lines "
                   f"WHERE run_id = {f['id']} AND entity = '{f['entities'][0]['urn']}' AND year = 2027 AND line_no = 1")
    assert row == [[str(first["line_no"]), first["account_code"], first["description"], first["driver"],
                    str(first["amount_pence"])]]
    assert int(sql_value(f"SELECT COUNT(*) FROM forecast_years WHERE run_id = {f['id']} AND year = 2026 "
                         "AND lines_json IS NOT NULL")) == 0


def test_the_reply_is_the_summary_unless_lines_are_asked_for(api, expected_run):
    r = run(api, {"scenario": scenario_id("expected"), "horizon": 5}, lines=None)
    s = expect(r, 201)
    assert all("lines" not in y for e in s["entities"] + [s["trust"]] for y in e["years"])
    assert s["digest"] == expected_run["digest"] and s["warnings"] == expected_run["warnings"]
    assert expect(api.get(f"{URL}/{s['id']}", role="finance_director", params={"lines": "false"}), 200) == s
    full = expect(api.get(f"{URL}/{s['id']}", role="finance_director"), 200)
    assert summary(full) == s and figures(full) == figures(expected_run)
    assert expect(run(api, {"scenario": scenario_id("expected"), "horizon": 5}, lines=False), 201)["entities"] == \
        s["entities"]
    with unchanged(SAVED_Q):
        p = problem(run(api, {"scenario": scenario_id("expected")}, params={"lines": "yes"}, lines=None), 422)
    assert [e["field"] for e in p["errors"]] == ["query:lines"]
    problem(api.get(f"{URL}/{s['id']}", role="finance_director", params={"lines": "1"}), 422)
    p = problem(api.get(f"{URL}/{s['id']}", role="finance_director", params={"lines": "false"},
                        headers={"Accept": "text/csv"}), 422)
    assert [e["field"] for e in p["errors"]] == ["query:lines"]


_income = None


def income_codes():
    global _income
    if _income is None:
        _income = {r[0] for r in sql_rows("SELECT code FROM accounts WHERE kind = 'income'")}
    return _income


def test_consolidation_invariants(expected_run):
    f = expected_run
    for k in range(1, 6):
        ys = [e["years"][k] for e in f["entities"]]
        t = f["trust"]["years"][k]
        # internal codes net to zero; the trust's balance is the sum of the entities'
        assert sum(y["internal_income_pence"] for y in ys) == sum(y["internal_expenditure_pence"] for y in ys)
        assert t["in_year_balance_pence"] == sum(y["in_year_balance_pence"] for y in ys)
        assert t["closing_reserves_pence"] == sum(y["closing_reserves_pence"] for y in ys)
        assert not [l for l in t["lines"] if l["account_code"].startswith("INT")]
        # pooled allocations + retention = pooled GAG (retention_bp 600 in the test configuration)
        central = f["entities"][-1]["years"][k]["lines"]
        pooled = sum(l["amount_pence"] for l in central if l["account_code"] == "INT04")
        allocated = sum(l["amount_pence"] for l in central if l["account_code"] == "INT06")
        retained = (pooled * 600 + 5000) // 10000
        assert allocated + retained == pooled


def test_explanations(api, expected_run):
    f = expect(api.get(f"{URL}/{expected_run['id']}", role="finance_director", params={"explain": "data"}), 200)
    assert "explain" not in expected_run["entities"][0]["years"][1]["lines"][0]
    school = f["entities"][0]
    y1 = school["years"][1]
    e01 = [l for l in y1["lines"] if l["account_code"] == "E01"][0]
    assert e01["driver"] == "teacher_pay" and "(Sept award +3.00%)" in e01["explanation"]
    assert e01["explain"]["pay_bp"] == 300 and e01["explain"]["m_pence"] > 0
    assert e01["explanation"].startswith("E01: ") and e01["explanation"].endswith(money(e01["amount_pence"]))
    gag = [l for l in y1["lines"] if l["account_code"] == "I01"][0]
    # a pooled school budgets its own GAG (issue 14), projected by its own roll (`pupils`)
    assert "690/688 pupils" in gag["explanation"] and "October 2026 / 2025 census" in gag["explanation"]
    rules = [l for l in y1["lines"] if l["driver"] == "rules"]
    assert {l["account_code"] for l in rules} == {"INT03", "INT05"}
    assert all("finance model central" in l["explanation"] for l in rules)
    assert rules[0]["explain"]["plugin"] == "central" and rules[0]["explain"]["counterparty"] == "central"
    problem(api.get(f"{URL}/{f['id']}", role="finance_director", params={"explain": "all"}), 422)


def money(pence):
    sign = "-" if pence < 0 else ""
    return f"{sign}\u00a3{abs(pence) // 100:,}.{abs(pence) % 100:02d}"


def test_rerun_same_digest_and_figures(api, expected_run):
    r = run(api, {"scenario": scenario_id("expected")})
    again = expect(r, 201)
    assert again["id"] != expected_run["id"]
    # nothing that feeds the forecast changed in between (other tests write other years): same digest, same figures
    assert again["digest"] == expected_run["digest"]
    assert figures(again) == figures(expected_run)
    # and reading it back gives what the POST returned
    assert expect(api.get(f"{URL}/{again['id']}", role="finance_director"), 200) == again


def test_get_csv(api, expected_run):
    f = expected_run
    r = api.get(f"{URL}/{f['id']}", role="auditor", headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert f"forecast-{f['id']}.csv" in r.headers["Content-Disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")       # a UTF-8 BOM
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["entity", "name", "year", "line_no", "account_code", "description", "driver",
                       "base_year_amount", "amount", "explanation"]
    n_lines = sum(len(y.get("lines", [])) for e in f["entities"] + [f["trust"]] for y in e["years"])
    assert len(rows) - 1 == n_lines
    first = f["entities"][0]["years"][1]["lines"][0]
    assert rows[1][0] == f["entities"][0]["urn"] and rows[1][2] == "2027-28"
    assert rows[1][8] == f"{first['amount_pence'] / 100:.2f}" and rows[1][9] == first["explanation"]
    # each line beside its base-year amount (issue 15): a `fixed` line's is the same; a finance
    # rule's posting, of one year, has none
    fixed = [row for row in rows[1:] if row[6] == "fixed"]
    assert fixed and all(row[7] == row[8] for row in fixed)
    assert all(row[7] == "" for row in rows[1:] if row[6] == "rules")
    assert all(row[7] != "" for row in rows[1:] if row[6] not in ("rules",))
    assert rows[-1][0] == "trust"
    assert r.content.endswith(b"\r\n")
    r2 = api.get(f"{URL}/{f['id']}", role="auditor", headers={"Accept": "text/csv", "If-None-Match": r.headers["ETag"]})
    assert r2.status_code == 304


def test_one_entity(api, expected_run, first_urn):
    f = expected_run
    url = f"{URL}/{f['id']}"
    one = expect(api.get(url, role="finance_director", params={"entity": "159902"}), 200)
    assert one["entities"] == [e for e in f["entities"] if e["urn"] == "159902"]
    assert one["trust"] is None
    assert one["warnings"] == [w for w in f["warnings"] if w["entity"] == "159902"]
    assert {k: v for k, v in one.items() if k not in ("entities", "trust", "warnings")} == \
        {k: v for k, v in f.items() if k not in ("entities", "trust", "warnings")}
    t = expect(api.get(url, role="auditor", params={"entity": "trust", "lines": "false"}), 200)
    assert t["entities"] == [] and t["trust"] == summary(f)["trust"]
    assert expect(api.get(url, role="auditor", params={"entity": "central"}), 200)["entities"] == [f["entities"][-1]]
    r = api.get(url, role="auditor", params={"entity": "159902"}, headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))[1:]
    assert r.status_code == 200 and rows and {row[0] for row in rows} == {"159902"}
    assert len(rows) == sum(len(y.get("lines", [])) for y in one["entities"][0]["years"])
    # a business manager: nothing of a draft (issue 15); once published, their own school, nothing else
    problem(api.get(url, role="business_manager", params={"entity": first_urn}), 403)
    publish_run(api, f["id"])
    mine = expect(api.get(url, role="business_manager", params={"entity": first_urn}), 200)
    assert [e["urn"] for e in mine["entities"]] == [first_urn] and "trust" not in mine
    problem(api.get(url, role="business_manager", params={"entity": "159902"}), 403)
    problem(api.get(url, role="business_manager", params={"entity": "trust"}), 403)
    # not one of the run's, or not an entity at all
    problem(api.get(url, role="auditor", params={"entity": "999999"}), 404)
    p = problem(api.get(url, role="auditor", params={"entity": "abc"}), 422)
    assert [e["field"] for e in p["errors"]] == ["query:entity"]


def test_list_and_compare(api, expected_run):
    cautious = expect(run(api, {"scenario": scenario_id("cautious")}), 201)
    items = expect(api.get(URL, role="auditor", params={"scenario": scenario_id("cautious"), "limit": 1000}), 200)["items"]
    assert cautious["id"] in [i["id"] for i in items]
    assert all(i["scenario_id"] == scenario_id("cautious") for i in items)
    assert items[0]["digest"] and "entities" not in items[0]
    problem(api.get(URL, role="auditor", params={"scenario": "x"}), 422)

    a, b = expected_run, cautious
    c = expect(api.get(f"{URL}/compare", role="finance_director", params={"runs": f"{a['id']},{b['id']}"}), 200)
    assert [h["id"] for h in c["runs"]] == [a["id"], b["id"]]
    assert len(c["items"]) == 11 * 6
    t = [i for i in c["items"] if i["entity"] == "trust" and i["year"] == "2031-32"][0]
    ta, tb = a["trust"]["years"][5], b["trust"]["years"][5]
    assert t["values"][0]["closing_reserves_pence"] == ta["closing_reserves_pence"]
    assert t["diff"][0] is None
    assert t["diff"][1]["in_year_balance_pence"] == tb["in_year_balance_pence"] - ta["in_year_balance_pence"]
    assert t["diff"][1]["income_pence"] == tb["income_pence"] - ta["income_pence"]
    # cautious is worse: higher pay, lower funding
    assert t["diff"][1]["closing_reserves_pence"] < 0
    for bad in ({"runs": a["id"]}, {"runs": f"x,{a['id']}"}, {"runs": f"{a['id']},{b['id']}", "c": 1},
                {"a": a["id"], "b": b["id"]}, {"runs": f"{a['id']},{a['id']}"}):
        problem(api.get(f"{URL}/compare", role="finance_director", params=bad), 422)
    problem(api.get(f"{URL}/compare", role="finance_director", params={"runs": f"{a['id']},99999999"}), 404)


def test_business_manager_sees_own_school_only(api, expected_run, first_urn, make_token):
    f = expected_run
    publish_run(api, f["id"])
    mine = expect(api.get(f"{URL}/{f['id']}", role="business_manager"), 200)
    assert [e["urn"] for e in mine["entities"]] == [first_urn]
    assert "trust" not in mine or mine["trust"] is None
    assert {w["entity"] for w in mine["warnings"]} <= {first_urn}
    assert mine["entities"][0] == [e for e in f["entities"] if e["urn"] == first_urn][0]
    again = expect(run(api, {"scenario": scenario_id("expected"), "horizon": 5}, lines=False), 201)
    publish_run(api, again["id"])
    c = expect(api.get(f"{URL}/compare", role="business_manager", params={"runs": f"{f['id']},{again['id']}"}), 200)
    assert {i["entity"] for i in c["items"]} == {first_urn}
    assert all(i["diff"][1]["income_pence"] == 0 for i in c["items"])
    # runs without their school: 403, and not in their list
    sub = expect(run(api, {"scenario": scenario_id("expected"), "entities": ["159906"]}), 201)
    publish_run(api, sub["id"])
    problem(api.get(f"{URL}/{sub['id']}", role="business_manager"), 403)
    listed = [i["id"] for i in expect(api.get(URL, role="business_manager", params={"limit": 1000}), 200)["items"]]
    assert f["id"] in listed and sub["id"] not in listed
    assert sub["id"] in [i["id"] for i in expect(api.get(URL, role="auditor", params={"limit": 1000}), 200)["items"]]
    # only the finance director runs forecasts
    with unchanged(SAVED_Q):
        for role in ("business_manager", "auditor", "school_system", "admin"):
            problem(run(api, {"scenario": scenario_id("expected")}, role=role), 403)
    problem(api.get(f"{URL}/{f['id']}", role="school_system"), 403)


def test_a_subset_of_entities(api):
    f = expect(run(api, {"scenario": scenario_id("optimistic"), "entities": ["159906", "159909"], "horizon": 2}), 201)
    assert [e["urn"] for e in f["entities"]] == ["159906", "159909", "central"]
    assert f["entities_requested"] == ["159906", "159909"] and f["horizon"] == 2
    assert expect(api.get(f"{URL}/{f['id']}", role="finance_director"), 200) == f
    assert expect(api.get(f"{URL}/{f['id']}", role="finance_director", params={"lines": "false"}), 200) == summary(f)
    t = f["trust"]["years"][1]
    assert t["in_year_balance_pence"] == sum(e["years"][1]["in_year_balance_pence"] for e in f["entities"])
    # the top-slice of the two schools reaches the central team
    central = f["entities"][-1]["years"][1]["lines"]
    assert len([l for l in central if l["account_code"] == "INT02"]) == 2
    assert not [l for l in central if l["account_code"] in ("INT04", "INT06")]


def test_idempotency_key(api):
    key = {"Idempotency-Key": "pytest-forecast-1"}
    body = {"scenario": scenario_id("optimistic"), "horizon": 1}
    a = run(api, body, headers=key)
    first = expect(a, 201)
    with unchanged("SELECT COUNT(*) FROM forecast_runs"):
        b = run(api, body, headers=key)
        assert b.status_code == 201 and b.headers.get("Idempotent-Replayed") == "true"
        assert b.json()["id"] == first["id"]
        problem(run(api, dict(body, horizon=2), headers=key), 422, "idempotency-key-reused")


def test_metrics_count_forecasts(api, expected_run):
    text = api.get("/metrics").text
    m = re.search(r"^bursar_forecast_duration_seconds_count (\d+)$", text, re.M)
    assert m and int(m.group(1)) >= 1
    assert re.search(r"^bursar_forecast_duration_seconds_sum \d+\.\d{6}$", text, re.M)


@pytest.mark.parametrize("body, field", [
    ({"scenario": 0}, "/scenario"),
    ({"scenario": 99999999}, "/scenario"),
    ({}, "/scenario"),
    ({"horizon": 0}, "/horizon"),
    ({"horizon": 11}, "/horizon"),
    ({"base_year": "2026"}, "/base_year"),
    ({"entities": ["999999"]}, "/entities/0"),
    ({"entities": ["abc"]}, "/entities/0"),
    ({"entities": ["159901", "159901"]}, "/entities/1"),
    ({"entities": "159901"}, "/entities"),
    ({"colour": "red"}, "/colour"),
])
def test_bad_input_saves_nothing(api, body, field):
    if "scenario" not in body and field != "/scenario":
        body = dict(body, scenario=scenario_id("expected"))
    with unchanged(SAVED_Q):
        p = problem(run(api, body), 422, "validation")
    assert field in [e["field"] for e in p["errors"]], p


def test_no_budgets_names_the_entities(api):
    with unchanged(SAVED_Q):
        p = problem(run(api, {"scenario": scenario_id("expected"), "base_year": "2039-40"}), 422, "validation")
    assert "159901" in p["detail"] and "central" in p["detail"]
    assert [e["field"] for e in p["errors"]] == ["/base_year"]
    assert "11 entities" in p["errors"][0]["message"] or "entities have no budget" in p["errors"][0]["message"]


def test_a_school_whose_plugin_is_not_loaded(api):
    sql("UPDATE schools SET finance_model = 'ghost' WHERE urn = '159907'")
    try:
        with unchanged(SAVED_Q):
            p = problem(run(api, {"scenario": scenario_id("expected")}), 422)
        assert any("159907" in e["message"] and "ghost" in e["message"] for e in p["errors"]), p
    finally:
        sql("UPDATE schools SET finance_model = 'local' WHERE urn = '159907'")
