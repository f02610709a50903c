"""The BFR (issue 17, ISSUE17_CONTRACT section 4; README "The BFR"): GET /api/v1/bfr/{year}?run=
for budget year 2027-28 from a published run of the demo (base year 2026-27, horizon 3). Its ties,
per entity and for the trust, to the penny: every period's 298 (total revenue income) and 380
(total revenue expenditure) against the sources' own totals — B-2 the actuals (through the actuals
API), B-1 the monitoring's outturn, B the budget or the run's year B, B+1 and B+2 the run's
summary; 430 chains from the opening reserves of B-2; 999 is the run's pupils. JSON, CSV and XLSX
agree; the roles; a run that cannot make a BFR is 422 at query:run; the reserves note."""
import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from conftest import expect, problem, publish_run, sql, sql_value

URL = "/api/v1/bfr"
YEAR = "2027-28"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERIODS = ["B-2_sep_mar", "B-2_apr_aug", "B-1_sep_mar", "B-1_apr_aug", "B_sep_mar", "B_apr_aug", "B+1", "B+2"]
PASS_THROUGH = ("INT03", "INT06")

# Actuals of B-2 (2025-26) written here for the test (cells added to whatever is there, taken
# out again after): (urn, code, month, pence).
B2_CELLS = [("159901", "I01", m, 38_000_000 + m) for m in range(1, 13)] + \
           [("159901", "E01", m, 25_000_000 + 7 * m) for m in range(1, 13)] + \
           [("159901", "E16", 4, 1_234_567), ("159902", "I08", 9, 55_501), ("159902", "E02", 2, 987_654),
            ("central", "E28a", 12, 4_000_001)]
# and of B-1 (2026-27), September to November, with an outturn entered on one code
B1_CELLS = [("159903", "I01", m, 30_000_000 + m) for m in (1, 2, 3)] + \
           [("159903", "E02", m, 1_500_000 + 3 * m) for m in (1, 2, 3)] + [("159903", "I08", 2, 77_777)]
B1_OUTTURN = ("159903", "E02", 9_876_543)


def lines_of(scope):
    return {line["line_no"]: line for line in scope["lines"]}


def val(scope, line_no, period):
    line = lines_of(scope)[line_no]
    return (line.get("values_pence") or line["values"])[period]


def year_total(scope, line_no, year):
    """A year's figure: its two parts summed (B-2, B-1, B) or the whole (B+1, B+2)."""
    if year in ("B+1", "B+2"):
        return val(scope, line_no, year)
    return val(scope, line_no, f"{year}_sep_mar") + val(scope, line_no, f"{year}_apr_aug")


@pytest.fixture(scope="module")
def accounts(api):
    items = expect(api.get("/api/v1/accounts", role="finance_director", params={"limit": 200}), 200)["items"]
    return {a["code"]: a for a in items}


def totals(cells, accounts, trust=False):
    """Income and expenditure of {code: pence} as budget_totals makes them: pass-through GAG
    (INT03, INT06) netted out of both; the trust's with the internal codes dropped."""
    inc = exp = 0
    for code, v in cells.items():
        a = accounts[code]
        if trust and a["group"] == "internal":
            continue
        if a["kind"] == "income":
            inc += v
        else:
            exp += v
    passed = 0 if trust else sum(cells.get(c, 0) for c in PASS_THROUGH)
    return inc - passed, exp - passed


@pytest.fixture(scope="module")
def b2_actuals(api):
    """B-2's and B-1's cells added (ON DUPLICATE KEY: to whatever the demo has) and an outturn
    entered, then taken out again."""
    def apply(sign):
        for year, cells in ((2025, B2_CELLS), (2026, B1_CELLS)):
            for urn, code, month, pence in cells:
                sql("INSERT INTO actuals (school_id, year, month, kind, account_id, amount_pence) VALUES "
                    f"((SELECT id FROM schools WHERE urn = '{urn}'), {year}, {month}, 'actual', "
                    f"(SELECT id FROM accounts WHERE code = '{code}'), {sign * pence}) "
                    f"ON DUPLICATE KEY UPDATE amount_pence = amount_pence + {sign * pence}")
    apply(1)
    urn, code, amount = B1_OUTTURN
    url = f"/api/v1/schools/{urn}/outturns/2026-27/{code}"
    r = api.put(url, role="finance_director", json={"amount_pence": amount, "note": "Supply cover for two long-term absences"})
    expect(r, 201)
    yield B2_CELLS
    expect(api.delete(url, role="finance_director", headers={"If-Match": r.headers["ETag"]}), 204, None)
    apply(-1)
    sql("DELETE FROM actuals WHERE year IN (2025, 2026) AND amount_pence = 0 AND import_id IS NULL")


@pytest.fixture(scope="module")
def run(api):
    """A published run of the demo: base year 2026-27 (B-1), horizon 3 (to B+2 = 2029-30)."""
    f = expect(api.post("/api/v1/forecasts", role="finance_director",
                        json={"scenario": "expected", "base_year": "2026-27", "horizon": 3}), 201)
    publish_run(api, f["id"])
    return expect(api.get(f"/api/v1/forecasts/{f['id']}", role="finance_director", params={"lines": "false"}), 200)


@pytest.fixture(scope="module")
def bfr(api, run, b2_actuals):
    return expect(api.get(f"{URL}/{YEAR}", role="finance_director", params={"run": run["id"]}), 200)


def scopes(bfr):
    return {e["urn"]: e for e in bfr["entities"]} | {"trust": bfr["trust"]}


def test_shape(bfr, run, school_urns):
    assert bfr["year"] == YEAR
    assert bfr["run"]["id"] == run["id"] and bfr["run"]["scenario"]["name"] == "expected"
    assert [p["key"] for p in bfr["periods"]] == PERIODS
    assert [p["year"] for p in bfr["periods"]] == ["2025-26"] * 2 + ["2026-27"] * 2 + ["2027-28"] * 2 + \
        ["2028-29", "2029-30"]
    assert [p["part"] for p in bfr["periods"]] == ["sep_mar", "apr_aug"] * 3 + ["full", "full"]
    assert [p["basis"] for p in bfr["periods"]][:2] == ["actual", "actual"]
    assert [p["basis"] for p in bfr["periods"]][4:] == ["budget", "budget", "forecast", "forecast"]
    assert [e["urn"] for e in bfr["entities"]] == school_urns + ["central"]
    nos = [line["line_no"] for line in bfr["trust"]["lines"]]
    for n in (199, 200, 205, 211, 220, 298, 335, 336, 380, 430, 999):
        assert n in nos
    published = {line["line_no"]: line["published"] for line in bfr["trust"]["lines"]}
    assert published[298] and published[430] and not published[350] and not published[297]
    # the pay awards are the scenario's
    assert bfr["pay_awards"]["teacher_pay_bp"] and bfr["pay_awards"]["support_pay_bp"]


def test_reserves_over_20pct_want_a_note(bfr):
    """Closing reserves of B over 20% of B's income, without a note: a warning naming the scope."""
    unexplained = {w["entity"] for w in bfr["warnings"] if w["code"] == "reserves_unexplained"}
    for urn, s in scopes(bfr).items():
        res = s["reserves"]
        assert res["B_apr_aug"] == val(s, 430, "B_apr_aug")
        assert res["income_pence"] == year_total(s, 298, "B")
        over = res["B_apr_aug"] * 10000 > 2000 * res["income_pence"] if res["income_pence"] > 0 \
            else res["B_apr_aug"] > 0
        assert res["over_20pct"] == over
        assert (urn in unexplained) == (over and not res["explanation"]), urn
    assert bfr["reserves"] == bfr["trust"]["reserves"]


def test_lines_sum_to_the_totals(bfr):
    """298 and 380 are the sums of their sections' lines; the trust has no internal lines."""
    for s in scopes(bfr).values():
        for p in PERIODS:
            inc = sum(val(s, ln["line_no"], p) for ln in s["lines"] if ln["section"] == "income" and ln["kind"] == "line")
            exp = sum(val(s, ln["line_no"], p) for ln in s["lines"]
                      if ln["section"] == "expenditure" and ln["kind"] == "line")
            assert (val(s, 298, p), val(s, 380, p)) == (inc, exp)
    for p in PERIODS:
        assert val(bfr["trust"], 297, p) == 0 and val(bfr["trust"], 379, p) == 0


def test_b2_ties_to_the_actuals(api, bfr, accounts, b2_actuals):
    """B-2: each entity's Sep-Mar and Apr-Aug are its actuals' totals of months 1-7 and 8-12."""
    trust = {"sep_mar": {}, "apr_aug": {}}
    for e in bfr["entities"]:
        items = expect(api.get(f"/api/v1/schools/{e['urn']}/actuals", role="finance_director",
                               params={"year": "2025-26", "kind": "actual"}), 200)["items"]
        for part, months in (("sep_mar", range(1, 8)), ("apr_aug", range(8, 13))):
            cells = {}
            for it in items:
                m = int(it["month"][5:])
                am = m - 8 if m >= 9 else m + 4          # 2025-09 is month 1
                if am in months:
                    cells[it["account_code"]] = cells.get(it["account_code"], 0) + it["amount_pence"]
                    trust[part][it["account_code"]] = trust[part].get(it["account_code"], 0) + it["amount_pence"]
            assert (val(e, 298, f"B-2_{part}"), val(e, 380, f"B-2_{part}")) == totals(cells, accounts), (e["urn"], part)
    for part in ("sep_mar", "apr_aug"):
        assert (val(bfr["trust"], 298, f"B-2_{part}"), val(bfr["trust"], 380, f"B-2_{part}")) == \
            totals(trust[part], accounts, trust=True)
    # the cells written here show: 159901's I01 of Sep-Mar holds at least 7 x 38,000,000
    s = scopes(bfr)["159901"]
    assert val(s, 199, "B-2_sep_mar") >= 7 * 38_000_000


def actual_cells(api, urn, year):
    items = expect(api.get(f"/api/v1/schools/{urn}/actuals", role="finance_director",
                           params={"year": year, "kind": "actual"}), 200)["items"]
    cells = {}
    for it in items:
        cells[it["account_code"]] = cells.get(it["account_code"], 0) + it["amount_pence"]
    return cells


def bfr_lines_of(cells, accounts, trust=False):
    """{code: pence} on the BFR's lines as core/bfr.c puts them: each account on its bfr_line
    (220 / 370 without one), an entity's internal codes on 297 / 379 less the GAG that only
    passes through (INT03, INT06), the trust's dropped; 298 and 380 the sections' sums."""
    out = {}
    for code, v in cells.items():
        a = accounts[code]
        if a["group"] == "internal":
            if trust:
                continue
            ln = 297 if a["kind"] == "income" else 379
        else:
            ln = a["bfr_line"] or (220 if a["kind"] == "income" else 370)
        out[ln] = out.get(ln, 0) + v
    if not trust:
        passed = sum(cells.get(c, 0) for c in PASS_THROUGH)
        out[297] = out.get(297, 0) - passed
        out[379] = out.get(379, 0) - passed
    out[298], out[380] = totals(cells, accounts, trust)
    return out


def outturns_of(monitoring_lines):
    """{code: outturn_pence} of a monitoring reply's lines."""
    cells = {}
    for ln in monitoring_lines:
        cells[ln["account_code"]] = cells.get(ln["account_code"], 0) + ln["outturn_pence"]
    return cells


def assert_b1_is_the_monitoring(api, b, month, accounts, default=False):
    """B-1 of BFR b, per BFR line of every entity and the trust, is the outturn GET
    .../monitoring and GET /monitoring give at month (without `month` when default: the
    monitoring's own default month, which must be month), to the penny."""
    params = {} if default else {"month": month}
    assert b["month"] == month
    for e in b["entities"]:
        m = expect(api.get(f"/api/v1/schools/{e['urn']}/monitoring", role="finance_director", params=params), 200)
        assert m["month"] == month and m["year"] == "2026-27"
        want = bfr_lines_of(outturns_of(m["lines"]), accounts)
        for ln in e["lines"]:
            if ln["kind"] in ("line", "total") and ln["section"] in ("income", "expenditure"):
                assert year_total(e, ln["line_no"], "B-1") == want.get(ln["line_no"], 0), (e["urn"], ln["line_no"], month)
        t = m["totals"]["outturn"]
        assert (year_total(e, 298, "B-1"), year_total(e, 380, "B-1")) == \
            (t["income_pence"], t["expenditure_pence"]), (e["urn"], month)
    tm = expect(api.get("/api/v1/monitoring", role="finance_director", params=params), 200)
    assert tm["month"] == month
    want = bfr_lines_of(outturns_of(tm["trust"]["lines"]), accounts, trust=True)
    for ln in b["trust"]["lines"]:
        if ln["kind"] in ("line", "total") and ln["section"] in ("income", "expenditure"):
            assert year_total(b["trust"], ln["line_no"], "B-1") == want.get(ln["line_no"], 0), (ln["line_no"], month)
    t = tm["trust"]["totals"]["outturn"]
    assert (year_total(b["trust"], 298, "B-1"), year_total(b["trust"], 380, "B-1")) == \
        (t["income_pence"], t["expenditure_pence"]), month


def test_b1_ties_to_the_monitoring(api, run, accounts, b2_actuals):
    """B-1 at a month: each entity's lines are its monitoring outturn (GET .../monitoring?month=),
    the trust's the trust's (GET /monitoring?month=), per BFR line, to the penny."""
    for month in ("2026-11", "2027-03"):
        b = expect(api.get(f"{URL}/{YEAR}", role="finance_director", params={"run": run["id"], "month": month}), 200)
        assert_b1_is_the_monitoring(api, b, month, accounts)
    # the entered outturn is 159903's E02 for the year
    s = {e["urn"]: e for e in b["entities"]}["159903"]
    assert year_total(s, 335, "B-1") >= B1_OUTTURN[2]


def test_b1_when_no_month_is_closed(api, run, accounts, b2_actuals):
    """No `month` and no month of B-1 closed: the BFR takes monitoring's default month (the
    latest closed month, else September) and its B-1 is monitoring's outturn there, per BFR line,
    to the penny (actuals through September, the profile after; not the budget). The demo closes
    September-November 2026 (seed/080_monitoring.sql): the year's periods are set aside (as
    year 2040) for the check and put back."""
    def aside(to, fro):
        sql(f"UPDATE periods SET year = {to} WHERE year = {fro}")
    aside(2040, 2026)
    try:
        b = expect(api.get(f"{URL}/{YEAR}", role="finance_director", params={"run": run["id"]}), 200)
        assert {"entity": "", "code": "month_open",
                "message": "2026-09 is not closed: its actuals may still change"} in b["warnings"]
        assert_b1_is_the_monitoring(api, b, "2026-09", accounts, default=True)
    finally:
        aside(2026, 2040)
    # closed again: the default is November, the latest closed month
    b = expect(api.get(f"{URL}/{YEAR}", role="finance_director", params={"run": run["id"]}), 200)
    assert b["month"] == "2026-11" and not [w for w in b["warnings"] if w["code"] == "month_open"]


def test_b1_at_august_is_the_actuals(api, run, accounts, b2_actuals):
    """B-1 with month 2027-08 (every month's actuals counted): the year's actuals, each code
    replaced by its entered outturn where there is one."""
    b = expect(api.get(f"{URL}/{YEAR}", role="finance_director", params={"run": run["id"], "month": "2027-08"}), 200)
    entered = {}
    for row in sql("SELECT s.urn, a.code, o.amount_pence FROM outturns o JOIN schools s ON s.id = o.school_id "
                   "JOIN accounts a ON a.id = o.account_id WHERE o.year = 2026").splitlines():
        if row:
            urn, code, amount = row.split("\t")
            entered[(urn, code)] = int(amount)
    trust = {}
    for e in b["entities"]:
        cells = actual_cells(api, e["urn"], "2026-27")
        cells.update({code: v for (urn, code), v in entered.items() if urn == e["urn"]})
        for code, v in cells.items():
            trust[code] = trust.get(code, 0) + v
        assert (year_total(e, 298, "B-1"), year_total(e, 380, "B-1")) == totals(cells, accounts), e["urn"]
    assert (year_total(b["trust"], 298, "B-1"), year_total(b["trust"], 380, "B-1")) == \
        totals(trust, accounts, trust=True)
    assert [p["basis"] for p in b["periods"]][2:4] == ["actual", "actual"]
    # the entered outturn stands for its code: all of it in the year
    s = {e["urn"]: e for e in b["entities"]}["159903"]
    assert val(s, 335, "B-1_sep_mar") + val(s, 335, "B-1_apr_aug") >= B1_OUTTURN[2]


def test_b_and_later_tie_to_the_run(bfr, run):
    """B (no budget of 2027-28: the run's year B), B+1, B+2: the run's summary, to the penny."""
    src = {e["urn"]: e for e in run["entities"]} | {"trust": run["trust"]}
    for urn, s in scopes(bfr).items():
        years = {y["year"]: y for y in src[urn]["years"]}
        if urn != "trust":
            assert s["year_b_basis"] == "run"
        for key, ys in (("B", "2027-28"), ("B+1", "2028-29"), ("B+2", "2029-30")):
            assert year_total(s, 298, key) == years[ys]["income_pence"], (urn, key)
            assert year_total(s, 380, key) == years[ys]["expenditure_pence"], (urn, key)
            if years[ys]["pupils"] is not None:
                assert val(s, 999, key if key != "B" else "B_sep_mar") == years[ys]["pupils"]


def test_b_from_a_budget(api, run, accounts, b2_actuals):
    """An entity with a budget of B: year B is that budget (its totals, as GET /budgets gives
    them; each part the sum of its lines' months), the others' still the run's."""
    from test_budgets import put_budget, simple_lines, url
    urn = "159904"
    r = put_budget(api, urn, YEAR, simple_lines())
    expect(r, 201)
    try:
        got = expect(api.get(url(urn, YEAR), role="finance_director"), 200)
        b = expect(api.get(f"{URL}/{YEAR}", role="finance_director", params={"run": run["id"]}), 200)
        s = scopes(b)
        assert s[urn]["year_b_basis"] == "budget" and s["159905"]["year_b_basis"] == "run"
        assert (year_total(s[urn], 298, "B"), year_total(s[urn], 380, "B")) == \
            (got["totals"]["income_pence"], got["totals"]["expenditure_pence"])
        if all("months_pence" in ln for ln in got["lines"]):
            sep_mar = {}
            for ln in got["lines"]:
                sep_mar[ln["account_code"]] = sep_mar.get(ln["account_code"], 0) + sum(ln["months_pence"][:7])
            assert (val(s[urn], 298, "B_sep_mar"), val(s[urn], 380, "B_sep_mar")) == totals(sep_mar, accounts)
    finally:
        etag = api.get(url(urn, YEAR), role="finance_director").headers["ETag"]
        expect(api.delete(url(urn, YEAR), role="finance_director", headers={"If-Match": etag}), 204, None)


def test_430_chains(api, bfr):
    """430 = the opening reserves of B-2 plus every period's 298 - 380 up to it."""
    openings = {}
    for e in bfr["entities"]:
        y = api.get(f"/api/v1/schools/{e['urn']}/years/2025-26", role="finance_director")
        openings[e["urn"]] = y.json()["opening_reserves_pence"] if y.status_code == 200 else None
    for urn, s in scopes(bfr).items():
        if urn == "trust":
            if any(v is None for v in openings.values()):
                continue
            run_ = sum(openings.values())
        elif openings[urn] is None:
            continue
        else:
            run_ = openings[urn]
        for p in PERIODS:
            run_ += val(s, 298, p) - val(s, 380, p)
            assert val(s, 430, p) == run_, (urn, p)
        assert s["reserves"]["B+2"] == val(s, 430, "B+2")


def pence(cell):
    return int((Decimal(str(cell)) * 100).to_integral_value())


def test_csv_and_xlsx_agree(api, bfr, run):
    r = api.get(f"{URL}/{YEAR}", role="finance_director", params={"run": run["id"]}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert f'bfr-{YEAR}-run-{run["id"]}.csv' in r.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["entity", "name", "line_no", "label", "kind", "published"] + PERIODS
    want = []
    for urn, s in [("trust", bfr["trust"])] + [(e["urn"], e) for e in bfr["entities"]]:
        for ln in s["lines"]:
            want.append((urn, ln["line_no"], tuple(val(s, ln["line_no"], p) * (100 if ln["line_no"] == 999 else 1)
                                                   for p in PERIODS)))
    got = [(row[0], int(row[2]), tuple(pence(c) for c in row[6:])) for row in rows[1:]]
    assert got == want
    x = api.get(f"{URL}/{YEAR}", role="auditor", params={"run": run["id"]}, headers={"Accept": XLSX})
    assert x.status_code == 200 and x.headers["Content-Type"] == XLSX
    ws = openpyxl.load_workbook(io.BytesIO(x.content))["BFR"]
    xrows = list(ws.iter_rows(values_only=True))
    assert list(xrows[0]) == rows[0]
    assert [(row[0], int(row[2]), tuple(pence(c) for c in row[6:])) for row in xrows[1:]] == want


def test_urn_filter_and_month(api, run, bfr):
    one = expect(api.get(f"{URL}/{YEAR}", role="finance_director", params={"run": run["id"], "urn": "159902"}), 200)
    assert [e["urn"] for e in one["entities"]] == ["159902"]
    assert one["trust"] == bfr["trust"]
    m = expect(api.get(f"{URL}/{YEAR}", role="finance_director", params={"run": run["id"], "month": "2026-11"}), 200)
    assert m["month"] == "2026-11"
    problem(api.get(f"{URL}/{YEAR}", role="finance_director", params={"run": run["id"], "month": "2025-11"}), 422,
            fields=["query:month"])
    problem(api.get(f"{URL}/{YEAR}", role="finance_director", params={"run": run["id"], "urn": "999999"}), 422,
            fields=["query:urn"])
    problem(api.get(f"{URL}/2027", role="finance_director", params={"run": run["id"]}), 400)


def test_roles(api, run):
    assert api.get(f"{URL}/{YEAR}", role="auditor", params={"run": run["id"]}).status_code == 200
    for role in ("business_manager", "school_system"):
        problem(api.get(f"{URL}/{YEAR}", role=role, params={"run": run["id"]}), 403)
    problem(api.put(f"{URL}/{YEAR}/notes/trust", role="auditor", json={"reserves_explanation": "x"}), 403)


def test_bad_runs_are_422(api, run):
    problem(api.get(f"{URL}/{YEAR}", role="finance_director"), 422, fields=["query:run"])
    problem(api.get(f"{URL}/{YEAR}", role="finance_director", params={"run": 999999}), 422, fields=["query:run"])
    # another year's BFR: the run's base year is not B-1
    problem(api.get(f"{URL}/2028-29", role="finance_director", params={"run": run["id"]}), 422, fields=["query:run"])
    short = expect(api.post("/api/v1/forecasts", role="finance_director",
                            json={"scenario": "expected", "base_year": "2026-27", "horizon": 2}), 201)
    problem(api.get(f"{URL}/{YEAR}", role="finance_director", params={"run": short["id"]}), 422,
            fields=["query:run"])      # a draft
    publish_run(api, short["id"])
    problem(api.get(f"{URL}/{YEAR}", role="finance_director", params={"run": short["id"]}), 422,
            fields=["query:run"])      # horizon 2


def test_reserves_note(api, run):
    url = f"{URL}/{YEAR}/notes/159901"
    sql("DELETE FROM bfr_notes WHERE year = 2027")
    text = "Held for the 2028 roof replacement (£400k) and a falling roll.\nReviewed by the board."
    r = api.put(url, role="finance_director", json={"reserves_explanation": text})
    n = expect(r, 201)
    assert n["reserves_explanation"] == text and n["version"] == 1 and r.headers["Location"] == url
    problem(api.put(url, role="finance_director", json={"reserves_explanation": "again"}), 428)
    problem(api.put(url, role="finance_director", json={"reserves_explanation": "x"}, headers={"If-Match": '"7"'}),
            412)
    n2 = expect(api.put(url, role="finance_director", json={"reserves_explanation": text + " Updated."},
                        headers={"If-Match": r.headers["ETag"]}), 200)
    assert n2["version"] == 2
    assert int(sql_value("SELECT COUNT(*) FROM audit_log WHERE entity = 'bfr_note' AND entity_id = '2027/159901'")) == 2
    b = expect(api.get(f"{URL}/{YEAR}", role="finance_director", params={"run": run["id"], "urn": "159901"}), 200)
    res = b["entities"][0]["reserves"]
    assert res["explanation"] == text + " Updated." and res["note_version"] == 2
    closing, income = res["B_apr_aug"], res["income_pence"]
    assert res["over_20pct"] == (closing * 10000 > 2000 * income if income > 0 else closing > 0)
    assert not [w for w in b["warnings"] if w["entity"] == "159901" and w["code"] == "reserves_unexplained"]
    problem(api.put(f"{URL}/{YEAR}/notes/nowhere", role="finance_director", json={"reserves_explanation": "x"}), 404)
    problem(api.put(f"{URL}/{YEAR}/notes/trust", role="finance_director", json={}), 422,
            fields=["/reserves_explanation"])
