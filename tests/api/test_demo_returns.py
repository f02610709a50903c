"""The demo trust's two returns as seeded (issue 17, "Done when"; seed/080_monitoring.sql from
schema/seed/gen_monitoring.py, nothing written here but a forecast run): the November 2026
management accounts (159904 Sandpiper Green, 159902 Cormorant Dock and the trust) and the BFR for
2027-28 (the trust and 159904), each as JSON, CSV and XLSX, which agree cell for cell. Every
figure is tied to the penny to what the API's other endpoints give, computed here:

* management accounts: the budget is the sum of the lines of GET /schools/{urn}/budgets/2026-27,
  the profile to date their months_pence of September-November, the actuals to date GET
  /schools/{urn}/actuals of those months, the outturn a code's entered one (GET .../monitoring's
  `outturn`) else the actuals to date and the rest of the months; groups, totals (pass-through
  netted; the trust's without the internal codes), the variances over the configured thresholds,
  reserves (GET /schools/{urn}/years/2026-27), KPIs and the months;
* the BFR: B-2 (2025-26) the actuals by BFR line (GET /accounts' bfr_line), B-1 (2026-27) the
  monitoring's outturn at November by line (Sep-Mar: the actuals and the months after; an entered
  outturn's rest spread over the profile as core/monitoring.c does), B (2027-28) the entity's
  budget if it has one, else the run's year split by the accounts' default profiles (GET
  /profiles), B+1 and B+2 the run's years (GET /forecasts/{id}); 298 and 380 also against the
  sources' own totals; 430 chains from GET /schools/{urn}/years/2025-26's opening reserves; 999.

And the demo's own figures, written by hand (gen_monitoring.py --table), so that the test cannot
pass on empty data: Sandpiper Green's agency supply (E26) £15,927.60 adverse at November
(£30,762.84 spent against £14,835.24 profiled), its entered outturn £94,100 against a budget of
£52,200; Cormorant Dock's energy (E16) £11,792.87 favourable; 159904's 2025-26 in-year balance
-£114,812.77, which is, as for every entity, the movement of its opening reserves."""
import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from conftest import expect, publish_run
from test_bfr import PASS_THROUGH, PERIODS, bfr_lines_of, val, year_total
from test_management_accounts import check_rows, csv_num, rows_of_json, xlsx_num

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MA = "/api/v1/management-accounts"
MONTH, TO = "2026-11", 3                   # November 2026: months 1..3 of 2026-27 count
SCHOOLS = ("159904", "159902")
STAFF_GROUPS = ("teaching_staff", "support_staff", "other_staff")
THRESHOLD_PENCE, THRESHOLD_BP = 1000000, 1000   # the configuration's (etc/bursard.conf defaults)

# the demo's story at November 2026, by hand from gen_monitoring.py --table
E26 = {"profile_to_date_pence": 1483524, "actual_to_date_pence": 3076284, "variance_to_date_pence": 1592760,
       "favourable": False, "outturn_pence": 9410000, "full_year_variance_pence": 9410000 - 5220000,
       "full_year_favourable": False}
E26_BUDGET = 5220000
E16 = {"profile_to_date_pence": 2832000, "actual_to_date_pence": 1652713, "variance_to_date_pence": -1179287,
       "favourable": True}
BALANCE_2025_159904 = -11481277


def get(api, path, **params):
    return expect(api.get(path, role="finance_director", params=params), 200)


def academic_month(month):
    """'2026-11' -> 3 (September is 1)."""
    m = int(month[5:])
    return m - 8 if m >= 9 else m + 4


def split(amount, weights):
    """core/monitoring.c monitoring_split (and core/profile.c profile_split for weights summing to
    10000): |amount| * w / W floored, the pennies left one each to the largest remainders (the
    earlier first), the sign put back; even when the weights are mixed in sign or all zero."""
    n = len(weights)
    pos, neg = any(w > 0 for w in weights), any(w < 0 for w in weights)
    even = (pos and neg) or sum(abs(w) for w in weights) == 0
    ws = [1] * n if even else [abs(w) for w in weights]
    total = sum(ws)
    mag = abs(amount)
    out = [mag * w // total for w in ws]
    rem = [mag * w % total for w in ws]
    for _ in range(mag - sum(out)):
        best = max(range(n), key=lambda i: (rem[i], -i))
        out[best] += 1
        rem[best] = -1
    return out if amount >= 0 else [-v for v in out]


def round_bp(part, whole):
    """round(part * 10000 / whole) half away from zero (money_muldiv_round); None unless whole > 0."""
    if whole <= 0:
        return None
    q, r = divmod(abs(part) * 10000, whole)
    q += 1 if 2 * r >= whole else 0
    return q if part >= 0 else -q


@pytest.fixture(scope="module")
def accounts(api):
    items = get(api, "/api/v1/accounts", limit=200)["items"]
    return {a["code"]: a for a in items}


@pytest.fixture(scope="module")
def entities(api, school_urns):
    return list(school_urns) + ["central"]


def budget_of(api, urn, year):
    r = api.get(f"/api/v1/schools/{urn}/budgets/{year}", role="finance_director")
    return expect(r, 200) if r.status_code != 404 else None


def actual_months(api, urn, year):
    """{code: [12 months]} of GET /schools/{urn}/actuals (kind actual)."""
    out = {}
    for it in get(api, f"/api/v1/schools/{urn}/actuals", year=year, kind="actual")["items"]:
        out.setdefault(it["account_code"], [0] * 12)[academic_month(it["month"]) - 1] += it["amount_pence"]
    return out


def opening(api, urn, year):
    r = api.get(f"/api/v1/schools/{urn}/years/{year}", role="finance_director")
    return expect(r, 200) if r.status_code == 200 else None


# ---- the monitoring of 2026-27 at November, computed from the budget, the actuals, the outturns

class Code:
    """One code of an entity: its budget, profile months, actual months and entered outturn (or
    None); or of the trust: the sum of the entities' codes (parts)."""
    def __init__(self, parts=()):
        self.budget, self.profile, self.actual, self.entered = 0, [0] * 12, [0] * 12, None
        self.parts = list(parts)
        for c in self.parts:
            self.budget += c.budget
            self.profile = [x + y for x, y in zip(self.profile, c.profile)]
            self.actual = [x + y for x, y in zip(self.actual, c.actual)]

    def ptd(self):
        return sum(self.profile[:TO])

    def atd(self):
        return sum(self.actual[:TO])

    def outturn(self):
        return sum(self.outturn_months())

    def outturn_months(self):
        """The actuals through November, then the profile's months, or an entered outturn's rest
        spread over them; the trust's the sum of the entities'."""
        if self.parts:
            return [sum(m) for m in zip(*(c.outturn_months() for c in self.parts))]
        if self.entered is None:
            return self.actual[:TO] + self.profile[TO:]
        return self.actual[:TO] + split(self.entered - self.atd(), self.profile[TO:])


@pytest.fixture(scope="module")
def monitoring(api, entities, accounts):
    """{urn: {code: Code}} of 2026-27 at November from the API's budgets (their lines' months_pence)
    and actuals, with each code's entered outturn as GET .../monitoring shows it (the one place
    the API gives it); "trust": the entities' non-internal codes summed; "_entered": {(urn, code):
    pence}."""
    out, entered = {}, {}
    for urn in entities:
        codes = {}
        b = budget_of(api, urn, "2026-27")
        for ln in (b["lines"] if b else []):
            c = codes.setdefault(ln["account_code"], Code())
            c.budget += ln["amount_pence"]
            c.profile = [x + y for x, y in zip(c.profile, ln["months_pence"])]
        for code, months in actual_months(api, urn, "2026-27").items():
            codes.setdefault(code, Code()).actual = months
        for ln in get(api, f"/api/v1/schools/{urn}/monitoring", month=MONTH)["lines"]:
            if ln["outturn"] is not None:
                codes.setdefault(ln["account_code"], Code()).entered = ln["outturn"]["amount_pence"]
                entered[(urn, ln["account_code"])] = ln["outturn"]["amount_pence"]
        out[urn] = codes
    parts = {}
    for urn in entities:
        for code, c in out[urn].items():
            if not accounts[code]["internal"]:
                parts.setdefault(code, []).append(c)
    out["trust"] = {code: Code(ps) for code, ps in parts.items()}
    out["_entered"] = entered
    return out


def totals(values, accounts, trust):
    """{code: pence} -> income, expenditure, balance, staff as budget_totals makes them."""
    inc = exp = staff = 0
    for code, v in values.items():
        a = accounts[code]
        if a["kind"] == "income":
            inc += v
        else:
            exp += v
            staff += v if a["group"] in STAFF_GROUPS else 0
    passed = 0 if trust else sum(values.get(c, 0) for c in PASS_THROUGH)
    return {"income_pence": inc - passed, "expenditure_pence": exp - passed,
            "balance_pence": inc - exp, "staff_pence": staff}


def expected_accounts(urn, codes, accounts):
    """The management accounts of one entity (or the trust) from its codes."""
    trust = urn == "trust"
    cols = {"budget": {c: x.budget for c, x in codes.items()},
            "profile_to_date": {c: x.ptd() for c, x in codes.items()},
            "actual_to_date": {c: x.atd() for c, x in codes.items()},
            "outturn": {c: x.outturn() for c, x in codes.items()}}
    t = {k: totals(v, accounts, trust) for k, v in cols.items()}
    groups = {}
    for code, x in codes.items():
        a = accounts[code]
        g = groups.setdefault((a["kind"], a["group"]), [0, 0, 0, 0])
        for i, v in enumerate((x.budget, x.ptd(), x.atd(), x.outturn())):
            g[i] += v
    groups = {k: {"budget_pence": g[0], "profile_to_date_pence": g[1], "actual_to_date_pence": g[2],
                  "variance_to_date_pence": g[2] - g[1], "outturn_pence": g[3],
                  "full_year_variance_pence": g[3] - g[0]} for k, g in groups.items()}
    variances = {}
    for code, x in codes.items():
        a, var = accounts[code], x.atd() - x.ptd()
        if a["internal"] or not (abs(var) > THRESHOLD_PENCE and abs(var) * 10000 > THRESHOLD_BP * abs(x.ptd())):
            continue
        variances[code] = {"profile_to_date_pence": x.ptd(), "actual_to_date_pence": x.atd(),
                           "variance_to_date_pence": var,
                           "favourable": var >= 0 if a["kind"] == "income" else var <= 0,
                           "outturn_pence": x.outturn(), "full_year_variance_pence": x.outturn() - x.budget,
                           "full_year_favourable": x.outturn() >= x.budget if a["kind"] == "income"
                           else x.outturn() <= x.budget}
    months = []
    for m in range(12):
        p = totals({c: x.profile[m] for c, x in codes.items()}, accounts, trust)
        a = totals({c: x.actual[m] for c, x in codes.items()}, accounts, trust)
        months.append({"income_profile_pence": p["income_pence"], "expenditure_profile_pence": p["expenditure_pence"],
                       "income_actual_pence": a["income_pence"] if m < TO else None,
                       "expenditure_actual_pence": a["expenditure_pence"] if m < TO else None})
    return {"totals": t, "groups": groups, "variances": variances, "months": months}


def reserves_kpis(open_pence, t):
    inc, out_bal = t["outturn"]["income_pence"], t["outturn"]["balance_pence"]
    res = {"opening_pence": open_pence, "closing_budget_pence": None, "closing_outturn_pence": None}
    if open_pence is not None:
        res["closing_budget_pence"] = open_pence + t["budget"]["balance_pence"]
        res["closing_outturn_pence"] = open_pence + out_bal
    kpis = {"staff_pct_bp": round_bp(t["outturn"]["staff_pence"], inc),
            "reserves_pct_bp": round_bp(res["closing_outturn_pence"], inc) if open_pence is not None else None,
            "in_year_balance_pct_bp": round_bp(out_bal, inc)}
    return res, kpis


def check_entity(got, want, reserves, kpis):
    members = ("income_pence", "expenditure_pence", "balance_pence", "staff_pence")
    assert {k: {kk: got["totals"][k][kk] for kk in members} for k in want["totals"]} == want["totals"], got["urn"]
    t = want["totals"]
    fyv = {k: t["outturn"][k] - t["budget"][k] for k in members}
    assert got["totals"]["full_year_variance"] == fyv, got["urn"]
    assert got["totals"]["full_year_favourable"] == {
        "income": fyv["income_pence"] >= 0, "expenditure": fyv["expenditure_pence"] <= 0,
        "balance": fyv["balance_pence"] >= 0, "staff": fyv["staff_pence"] <= 0}, got["urn"]
    assert {(g["kind"], g["group"]): {k: g[k] for k in want["groups"][(g["kind"], g["group"])]}
            for g in got["groups"]} == want["groups"], got["urn"]
    assert {v["account_code"]: {k: v[k] for k in want["variances"].get(v["account_code"], {})}
            for v in got["variances"]} == want["variances"], got["urn"]
    assert [{k: mo[k] for k in want["months"][0]} for mo in got["months"]] == want["months"], got["urn"]
    assert [mo["month"] for mo in got["months"]] == [f"{2026 + (m >= 4)}-{(m + 8) % 12 + 1:02d}" for m in range(12)]
    assert got["reserves"] == reserves and got["kpis"] == kpis, got["urn"]


def sheet_rows(api, accept, **params):
    r = api.get(MA, role="finance_director", params=params, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    if accept == "text/csv":
        return list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    wb = openpyxl.load_workbook(io.BytesIO(r.content), data_only=True)
    return [["" if c is None else c for c in row] for row in wb["Management accounts"].iter_rows(values_only=True)]


@pytest.mark.parametrize("urn", [*SCHOOLS, None])
def test_management_accounts_november(api, urn, entities, accounts, monitoring):
    """November 2026's management accounts of Sandpiper Green, Cormorant Dock and the whole
    trust: JSON, CSV and XLSX cell for cell, every figure the API's budgets, actuals and entered
    outturns give, to the penny."""
    params = {"month": MONTH} | ({"urn": urn} if urn else {})
    body = get(api, MA, **params)
    assert (body["year"], body["month"], body["closed"]) == ("2026-27", MONTH, True)
    assert body["threshold"] == {"pence": THRESHOLD_PENCE, "bp": THRESHOLD_BP}
    want_rows = rows_of_json(body)
    check_rows(sheet_rows(api, "text/csv", **params), want_rows, csv_num)
    check_rows(sheet_rows(api, XLSX, **params), want_rows, xlsx_num)

    shown = body["entities"] + ([body["trust"]] if body["trust"] else [])
    assert [e["urn"] for e in body["entities"]] == ([urn] if urn else entities)
    assert (body["trust"] is None) == (urn is not None)
    openings = {}
    for e in shown:
        u = e["urn"]
        codes = monitoring[u]
        want = expected_accounts(u, codes, accounts)
        if u != "trust":
            y = opening(api, u, "2026-27")
            openings[u] = y["opening_reserves_pence"] if y else None
            o = openings[u]
            # the budget is the budget GET's, its totals the budget's own
            b = budget_of(api, u, "2026-27")
            if b is not None:
                assert (e["totals"]["budget"]["income_pence"], e["totals"]["budget"]["expenditure_pence"]) == \
                    (b["totals"]["income_pence"], b["totals"]["expenditure_pence"]), u
        else:
            known = [v for v in openings.values() if v is not None]
            o = sum(known) if known else None
        res, kpis = reserves_kpis(o, want["totals"])
        check_entity(e, want, res, kpis)
        # the month's comments on the variances listed
        for v in e["variances"]:
            ln = None
            if u != "trust":
                ln = next(x for x in get(api, f"/api/v1/schools/{u}/monitoring", month=MONTH)["lines"]
                          if x["account_code"] == v["account_code"])
            assert v["comment"] == (ln["comment"]["text"] if ln and ln["comment"] else None)

    by = {e["urn"]: e for e in shown}
    if "159904" in by:
        e26 = next(v for v in by["159904"]["variances"] if v["account_code"] == "E26")
        assert {k: e26[k] for k in E26} == E26
        assert e26["comment"].startswith("Two class teachers (Year 2 and Year 5) on long-term sick leave")
        assert monitoring["159904"]["E26"].budget == E26_BUDGET
        assert monitoring["_entered"][("159904", "E26")] == 9410000
        rows = sheet_rows(api, "text/csv", **params)
        row = next(r for r in rows if r[0] == "159904" and r[2:4] == ["variance", "E26"])
        assert row[5:11] == ["52200.00", "14835.24", "30762.84", "15927.60", "94100.00", "41900.00"]
        assert row[15] == "no"
    if "159902" in by:
        e16 = next(v for v in by["159902"]["variances"] if v["account_code"] == "E16")
        assert {k: e16[k] for k in E16} == E16
        assert e16["comment"].startswith("Energy: the solar panels and LED lighting")


# ---- the BFR for 2027-28

@pytest.fixture(scope="module")
def run(api):
    """A published run of the demo: base year 2026-27 (B-1), horizon 3 (to B+2 = 2029-30)."""
    f = expect(api.post("/api/v1/forecasts", role="finance_director",
                        json={"scenario": "expected", "base_year": "2026-27", "horizon": 3}), 201)
    publish_run(api, f["id"])
    return get(api, f"/api/v1/forecasts/{f['id']}")


def default_weights(api, accounts):
    profiles = {p["name"]: p["weights_bp"] for p in get(api, "/api/v1/profiles")["items"]}
    return {code: profiles[a["default_profile"] or "even"] for code, a in accounts.items()}


def bfr_expected(api, entities, accounts, monitoring, run):
    """{scope: {period: {line: pence}}} and {scope: {period: pupils}} from the sources."""
    weights = default_weights(api, accounts)
    runs = {e["urn"]: {y["year"]: y for y in e["years"]} for e in run["entities"]}
    cells = {}
    for urn in entities:
        c = {p: {} for p in PERIODS}

        def add(period, code, v):
            c[period][code] = c[period].get(code, 0) + v
        for code, months in actual_months(api, urn, "2025-26").items():
            add("B-2_sep_mar", code, sum(months[:7]))
            add("B-2_apr_aug", code, sum(months[7:]))
        for code, x in monitoring[urn].items():
            om = x.outturn_months()
            assert sum(om) == x.outturn()
            add("B-1_sep_mar", code, sum(om[:7]))
            add("B-1_apr_aug", code, sum(om[7:]))
        b = budget_of(api, urn, "2027-28")
        if b is not None:
            for ln in b["lines"]:
                add("B_sep_mar", ln["account_code"], sum(ln["months_pence"][:7]))
                add("B_apr_aug", ln["account_code"], sum(ln["months_pence"][7:]))
        else:
            for ln in runs[urn]["2027-28"]["lines"]:
                m = split(ln["amount_pence"], weights[ln["account_code"]])
                add("B_sep_mar", ln["account_code"], sum(m[:7]))
                add("B_apr_aug", ln["account_code"], sum(m[7:]))
        for period, year in (("B+1", "2028-29"), ("B+2", "2029-30")):
            for ln in runs[urn][year]["lines"]:
                add(period, ln["account_code"], ln["amount_pence"])
        cells[urn] = c
    out = {urn: {p: bfr_lines_of(cells[urn][p], accounts) for p in PERIODS} for urn in entities}
    trust = {p: {} for p in PERIODS}
    for urn in entities:
        for p in PERIODS:
            for code, v in cells[urn][p].items():
                trust[p][code] = trust[p].get(code, 0) + v
    out["trust"] = {p: bfr_lines_of(trust[p], accounts, trust=True) for p in PERIODS}
    return out


def bfr_sheet(rows):
    """A BFR sheet's rows (header first) as {(entity, line_no): (label, kind, published, values)}."""
    def num(cell):
        return int((Decimal(str(cell)) * 100).to_integral_value())
    assert list(rows[0]) == ["entity", "name", "line_no", "label", "kind", "published"] + PERIODS
    out = {}
    for r in rows[1:]:
        out[(r[0], int(r[2]))] = (r[3], r[4], r[5], tuple(num(c) for c in r[6:]))
    return out


def bfr_json_rows(b):
    out = {}
    for urn, s in [("trust", b["trust"])] + [(e["urn"], e) for e in b["entities"]]:
        for ln in s["lines"]:
            vals = tuple(val(s, ln["line_no"], p) * (100 if ln["line_no"] == 999 else 1) for p in PERIODS)
            out[(urn, ln["line_no"])] = (ln["label"], ln["kind"], "yes" if ln["published"] else "no", vals)
    return out


@pytest.mark.parametrize("urn", [None, "159904"])
def test_bfr_2027_28(api, urn, run, entities, accounts, monitoring):
    """The BFR for 2027-28 of the trust and of Sandpiper Green from the published run: the
    three formats agree cell for cell; every line of every period is its source's, to the penny."""
    params = {"run": run["id"]} | ({"urn": urn} if urn else {})
    b = get(api, "/api/v1/bfr/2027-28", **params)
    assert b["month"] == MONTH                         # the demo's latest closed month of 2026-27
    assert not [w for w in b["warnings"] if w["code"] in ("month_open", "bfr_line_missing")]
    want_rows = bfr_json_rows(b)
    for accept in ("text/csv", XLSX):
        r = api.get("/api/v1/bfr/2027-28", role="finance_director", params=params, headers={"Accept": accept})
        assert r.status_code == 200, r.text
        if accept == "text/csv":
            rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
        else:
            rows = list(openpyxl.load_workbook(io.BytesIO(r.content))["BFR"].iter_rows(values_only=True))
        got = bfr_sheet(rows)
        assert list(got) == list(want_rows) and got == want_rows, accept

    assert [e["urn"] for e in b["entities"]] == ([urn] if urn else entities)
    want = bfr_expected(api, entities, accounts, monitoring, run)
    src = {e["urn"]: {y["year"]: y for y in e["years"]} for e in run["entities"]} | \
        {"trust": {y["year"]: y for y in run["trust"]["years"]}}
    pupils_b2 = {}
    openings = {}
    for u in entities:
        y = opening(api, u, "2025-26")
        openings[u] = y["opening_reserves_pence"] if y else None
        pupils_b2[u] = y["pupils"] if y and y.get("pupils") is not None else None
    trust_monitoring = get(api, "/api/v1/monitoring", month=MONTH)
    for s in [b["trust"]] + b["entities"]:
        u = s.get("urn", "trust")
        for ln in s["lines"]:
            if ln["section"] in ("income", "expenditure"):
                for p in PERIODS:
                    assert val(s, ln["line_no"], p) == want[u][p].get(ln["line_no"], 0), (u, ln["line_no"], p)
        # 298 and 380 against the sources' own totals: B-1 the monitoring's, B..B+2 the run's
        mt = trust_monitoring["trust"]["totals"]["outturn"] if u == "trust" else \
            get(api, f"/api/v1/schools/{u}/monitoring", month=MONTH)["totals"]["outturn"]
        assert (year_total(s, 298, "B-1"), year_total(s, 380, "B-1")) == (mt["income_pence"], mt["expenditure_pence"])
        for key, ys in (("B", "2027-28"), ("B+1", "2028-29"), ("B+2", "2029-30")):
            if key == "B" and u != "trust" and s["year_b_basis"] == "budget":
                continue
            assert (year_total(s, 298, key), year_total(s, 380, key)) == \
                (src[u][ys]["income_pence"], src[u][ys]["expenditure_pence"]), (u, key)
            if src[u][ys]["pupils"] is not None:
                assert val(s, 999, key if key != "B" else "B_sep_mar") == src[u][ys]["pupils"], (u, key)
        if u != "trust":
            assert s["year_b_basis"] == ("budget" if budget_of(api, u, "2027-28") else "run")
            if pupils_b2[u] is not None:
                assert val(s, 999, "B-2_sep_mar") == pupils_b2[u]
        # 430 chains from the opening reserves of 2025-26
        o = sum(openings.values()) if u == "trust" else openings[u]
        for p in PERIODS:
            o += val(s, 298, p) - val(s, 380, p)
            assert val(s, 430, p) == o, (u, p)
        assert s["reserves"]["B+2"] == o

    s = {e["urn"]: e for e in b["entities"]}
    if "159904" in s:
        sg = s["159904"]
        # 2025-26's in-year balance (by hand), which the demo makes its reserves' movement
        assert year_total(sg, 298, "B-2") - year_total(sg, 380, "B-2") == BALANCE_2025_159904
        assert val(sg, 430, "B-2_apr_aug") == opening(api, "159904", "2026-27")["opening_reserves_pence"]
        # B-1 holds the entered £94,100 of agency supply in its staff costs: 1,483,524 profiled and
        # 3,076,284 spent to November, its rest over the profile's remaining months
        e26 = monitoring["159904"]["E26"]
        assert sum(e26.outturn_months()) == 9410000 and sum(e26.actual[:TO]) == E26["actual_to_date_pence"]
    if urn is None:
        for u, e in s.items():
            y = opening(api, u, "2026-27")
            if y is not None and openings[u] is not None:
                assert val(e, 430, "B-2_apr_aug") == y["opening_reserves_pence"], u
