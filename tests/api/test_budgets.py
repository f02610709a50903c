"""/api/v1/schools/{urn}/budgets/{year}: the seeded demo budgets, reads and scoping,
PUT (replace every line) with If-Match, and one line at a time (POST/PUT/DELETE lines).

Tests that write use years no seed has (2030-31 on), so the seeded 2026-27 budgets stay
as they are for everyone else."""
import json
import re

import pytest

from conftest import MAX_BUDGET_BODY, audit_max, error_fields, expect, problem, sql, sql_rows, sql_value, unchanged

BUDGET_FIELDS = {"urn", "year", "status", "version", "board_minute_ref", "return_reason", "reopen_reason",
                 "submitted_at", "approved_at", "created_at", "updated_at", "totals", "groups", "findings",
                 "lines", "recharges", "staffing_metrics"}     # issue 16: the ICFP measures from posts
WRITTEN_FIELDS = {"id", "account_code", "kind", "description", "amount_pence", "driver", "excluded_from_central",
                  "computed", "explanation",             # issue 14: every line says whether it is computed
                  "profile", "profile_bp"}               # issue 17: its monthly profile as stored
LINE_FIELDS = WRITTEN_FIELDS | {"source", "staff",       # issue 16: where it comes from; a staff line's breakdown
                                "profile_source", "months_pence"}   # issue 17: its months
TOTALS_FIELDS = {"income_pence", "expenditure_pence", "in_year_balance_pence", "internal_income_pence",
                 "internal_expenditure_pence", "gag_pence", "staff_costs_pence", "contingency_pence",
                 "staff_costs_bp"}
STAFF_GROUPS = {"teaching_staff", "support_staff", "other_staff"}
POOLED = ("159901", "159902", "159903", "159904", "159905")
TOPSLICED = ("159906", "159907", "159908", "159909")


def budget_etag(version):
    """A budget's ETag is "<version>-h<hash>": the hash covers what it derives from elsewhere
    (its recharges and its computed lines); If-Match compares the version."""
    return re.compile(r'^"%d-h[0-9a-f]{32}"$' % version)


def url(urn, year):
    return f"/api/v1/schools/{urn}/budgets/{year}"


def get_budget(api, urn, year, role="finance_director"):
    r = api.get(url(urn, year), role=role)
    return expect(r, 200), r.headers["ETag"]


def put_budget(api, urn, year, lines, etag=None, role="finance_director", **kw):
    headers = dict(kw.pop("headers", {}))
    if etag is not None:
        headers["If-Match"] = etag
    body = kw.pop("body", None)
    if body is None:
        return api.put(url(urn, year), role=role, json={"lines": lines}, headers=headers, **kw)
    return api.put(url(urn, year), role=role, body=body, headers=headers, **kw)


def line(code, pence, desc="", **kw):
    d = {"account_code": code, "amount_pence": pence, "description": desc}
    d.update(kw)
    return d


def simple_lines():
    """A valid small school budget: income 1,000,000.00, costs 950,000.00 (staff 80%)."""
    return [line("I01", 90000000, "GAG"), line("I05", 10000000, "Pupil premium"),
            line("E01", 55000000, "Teachers"), line("E03", 25000000, "Teaching assistants"),
            line("E16", 2500000, "Energy"), line("E17", 1000000, "Rates", excluded_from_central=True),
            line("E19", 6500000, "Resources"), line("CON01", 5000000, "Contingency")]


GAG_CODES = ("I01", "I01P")
TOPSLICE_BP = 500                                    # the local plugin's topslice_bp in conftest's config


def topslice_charge(lines, bp=TOPSLICE_BP):
    """The central services charge (INT01) a top-sliced (local) school budgets:
    round(bp x base / 10000), half up, where base = GAG (I01, I01P) less the lines
    flagged excluded_from_central that are GAG income or any expenditure (E.., CON01),
    and 0 when negative (DESIGN.md "Plugins": rates and PFI come off the top)."""
    def off_base(l):
        return l.get("excluded_from_central") and (l["account_code"] in GAG_CODES
                                                   or l["account_code"].startswith(("E", "CON")))
    gag = sum(l["amount_pence"] for l in lines if l["account_code"] in GAG_CODES)
    base = max(gag - sum(l["amount_pence"] for l in lines if off_base(l)), 0)
    return (base * bp * 2 + 10000) // 20000


def model_lines(urn, lines=None):
    """lines (default simple_lines()) as urn's typed lines: every school budgets its own GAG
    (the special school as place funding, I01P); what its finance-rule plugin posts (INT01,
    INT03, INT05) is computed, never typed (issue 14).
    A pooled school keeps its GAG less rates less the trust's 6% retention (alone in a spare
    year's pool): its resources (E19, as simple_lines() has them) come down by GBP 60,000 so it still
    budgets a surplus (income 946,600.00: staff 84.5%)."""
    lines = [dict(l) for l in (simple_lines() if lines is None else lines)]
    if urn == "159906":
        for l in lines:
            if l["account_code"] == "I01":
                l.update(account_code="I01P", description="Place funding")
    if urn in POOLED:
        for l in lines:
            if l["account_code"] == "E19":
                l["amount_pence"] -= 6000000
    return lines


def typed(lines):
    """The typed lines (computed ones come after them)."""
    return [l for l in lines if not l["computed"]]


def computed(lines):
    return [l for l in lines if l["computed"]]


def typed_input(lines):
    """A GET's typed lines as a PUT takes them."""
    return [{k: l[k] for k in ("account_code", "description", "amount_pence", "driver", "excluded_from_central")}
            for l in typed(lines)]


def budget_q(urn, year):
    return (f"SELECT b.id, b.status, b.version, l.id, l.line_no, l.account_id, l.description, l.amount_pence, "
            f"l.driver, l.excluded_from_central FROM budgets b JOIN schools s ON s.id = b.school_id "
            f"LEFT JOIN budget_lines l ON l.budget_id = b.id WHERE s.urn = '{urn}' AND b.year = {year[:4]} "
            f"ORDER BY l.id")


def all_budgets_q():
    return "SELECT id, school_id, year, status, version FROM budgets ORDER BY id"


def all_lines_q():
    return "SELECT COUNT(*), COALESCE(SUM(amount_pence), 0), COALESCE(MAX(id), 0) FROM budget_lines"


PASS_THROUGH = ("INT03", "INT06")                    # GAG pooled out, allocations passed on


def totals_of(lines, accounts):
    """income, expenditure, staff pence of lines (as the API returns them), each pass-through
    pair netted (DESIGN.md "How an entity's totals read"): the GAG a pooled school pools out
    (INT03) and the allocations the central team passes on (INT06) come off both sides, so a
    pooled school's income reads as its allocation plus its other income."""
    passed = sum(l["amount_pence"] for l in lines if l["account_code"] in PASS_THROUGH)
    inc = sum(l["amount_pence"] for l in lines if accounts[l["account_code"]]["kind"] == "income") - passed
    exp = sum(l["amount_pence"] for l in lines if accounts[l["account_code"]]["kind"] == "expenditure") - passed
    staff = sum(l["amount_pence"] for l in lines if accounts[l["account_code"]]["group"] in STAFF_GROUPS)
    return inc, exp, staff


@pytest.fixture(scope="module")
def accounts(seeded):
    rows = sql_rows("SELECT code, kind, grp, is_gag, is_internal FROM accounts")
    return {r[0]: {"kind": r[1], "group": r[2], "gag": r[3] == "1", "internal": r[4] == "1"} for r in rows}


@pytest.fixture(scope="module")
def seeded_budgets(api, school_urns):
    return {urn: get_budget(api, urn, "2026-27")[0] for urn in school_urns + ["central"]}


# ---- the seeded demo budgets ----

def test_seeded_budget_shape(api, first_urn, accounts):
    b, etag = get_budget(api, first_urn, "2026-27")
    assert set(b) == BUDGET_FIELDS
    assert b["urn"] == first_urn and b["year"] == "2026-27"
    assert b["status"] == "draft"
    assert budget_etag(b["version"]).match(etag)
    assert set(b["totals"]) == TOTALS_FIELDS
    assert b["findings"] == []
    assert len(b["lines"]) > 20
    n = len(typed(b["lines"]))
    assert 0 < n < len(b["lines"])                   # a draft's computed lines come last
    for i, l in enumerate(b["lines"]):
        assert set(l) == LINE_FIELDS
        assert isinstance(l["amount_pence"], int)
        assert l["kind"] == accounts[l["account_code"]]["kind"]
        if i < n:
            assert isinstance(l["id"], int) and l["explanation"] is None
        else:                                         # derived on every read: no id
            assert l["computed"] and l["id"] is None and l["explanation"] and l["driver"] is None
    inc, exp, staff = totals_of(b["lines"], accounts)
    t = b["totals"]
    assert (t["income_pence"], t["expenditure_pence"]) == (inc, exp)
    assert t["in_year_balance_pence"] == inc - exp
    assert t["staff_costs_pence"] == staff
    # staff_costs_bp = round(staff / income x 10000), half away from zero
    assert t["staff_costs_bp"] == (staff * 10000 * 2 + inc) // (2 * inc)
    # groups (gross): every line in exactly one, income groups first
    passed = sum(l["amount_pence"] for l in b["lines"] if l["account_code"] in PASS_THROUGH)
    assert sum(g["amount_pence"] for g in b["groups"] if g["kind"] == "income") == inc + passed
    assert sum(g["amount_pence"] for g in b["groups"] if g["kind"] == "expenditure") == exp + passed
    kinds = [g["kind"] for g in b["groups"]]
    assert kinds == sorted(kinds, key=lambda k: k != "income")


def test_seeded_every_entity_has_a_draft(seeded_budgets):
    assert len(seeded_budgets) == 10
    for urn, b in seeded_budgets.items():
        assert b["status"] == "draft", urn
        assert b["lines"], urn


def test_seeded_budgets_follow_the_finance_models(seeded_budgets, accounts):
    """No seeded budget types an internal code: the finance-rule plugins compute them (issue 14),
    after the typed lines. Pooled schools budget their own GAG (I01: GBP 20,040,740 in all, what
    the central team used to budget for them), pooled out less rates (INT03) and allocated back
    (INT05); top-sliced ones I01 (or I01P) and a computed INT01 = 5% of GAG less the lines
    excluded from central charges, to the penny; the central team receives each charge (INT02)
    and each school's pooled GAG (INT04) and passes back each allocation (INT06), keeping 6%."""
    def total(lines, code):
        return sum(l["amount_pence"] for l in lines if l["account_code"] == code)

    def off_base(l):
        return l["excluded_from_central"] and (l["account_code"] in GAG_CODES
                                               or l["account_code"].startswith(("E", "CON")))
    for urn, b in seeded_budgets.items():
        for l in b["lines"]:
            assert l["computed"] == accounts[l["account_code"]]["internal"], (urn, l)
    for urn in POOLED:
        t, c = typed(seeded_budgets[urn]["lines"]), computed(seeded_budgets[urn]["lines"])
        assert sorted(l["account_code"] for l in c) == ["INT03", "INT05"], urn
        assert total(c, "INT03") == total(t, "I01") - sum(l["amount_pence"] for l in t if off_base(l)), urn
    assert sum(total(seeded_budgets[u]["lines"], "I01") for u in POOLED) == 2004074000
    charges = 0
    for urn in TOPSLICED:
        t, c = typed(seeded_budgets[urn]["lines"]), computed(seeded_budgets[urn]["lines"])
        gag = total(t, "I01") + total(t, "I01P")
        base = gag - sum(l["amount_pence"] for l in t if l["excluded_from_central"])
        want = (base * 500 * 2 + 10000) // 20000     # round(base x 5%), half up (base > 0)
        assert [(l["account_code"], l["amount_pence"]) for l in c] == [("INT01", want)], urn
        assert want == topslice_charge(t)
        charges += want
    c = computed(seeded_budgets["central"]["lines"])
    assert total(c, "INT02") == charges
    assert sorted(l["amount_pence"] for l in c if l["account_code"] == "INT02") == sorted(
        total(seeded_budgets[u]["lines"], "INT01") for u in TOPSLICED)
    pot = sum(total(seeded_budgets[u]["lines"], "INT03") for u in POOLED)
    assert total(c, "INT04") == pot
    assert total(c, "INT06") == sum(total(seeded_budgets[u]["lines"], "INT05") for u in POOLED)
    assert pot - total(c, "INT06") == (pot * 600 * 2 + 10000) // 20000          # 6% retained
    assert not typed(seeded_budgets["central"]["lines"]) or all(
        not accounts[l["account_code"]]["internal"] for l in typed(seeded_budgets["central"]["lines"]))
    # the internal codes pair up across the trust
    internal = sum((1 if accounts[l["account_code"]]["kind"] == "income" else -1) * l["amount_pence"]
                   for b in seeded_budgets.values() for l in b["lines"] if accounts[l["account_code"]]["internal"])
    assert internal == 0
    # rates are excluded everywhere they are budgeted
    for urn, b in seeded_budgets.items():
        for l in b["lines"]:
            if l["account_code"] == "E17":
                assert l["excluded_from_central"], urn


def test_seeded_budgets_are_realistic(seeded_budgets, accounts):
    """domain.md / DESIGN.md: staff 75-85% of spend (special school 85-88%), energy 2-3%,
    GAG per pupil in range (lagged census), places x GBP 10,000 and top-ups for the special
    school, the two falling-roll Newham schools in deficit, central GBP 1.6-1.9m, the trust
    GBP 36-38m of income."""
    pupils = {r[0]: int(r[1]) for r in sql_rows(
        "SELECT s.urn, y.pupils FROM school_years y JOIN schools s ON s.id = y.school_id "
        "WHERE y.year = 2025 AND s.kind = 'school'")}
    external = 0
    for urn, b in seeded_budgets.items():
        t = b["totals"]
        exp = t["expenditure_pence"] - t["internal_expenditure_pence"]
        staff = t["staff_costs_pence"]
        energy = sum(l["amount_pence"] for l in b["lines"] if l["account_code"] == "E16")
        external += t["income_pence"] - t["internal_income_pence"]
        if urn == "central":
            assert 160000000 <= t["expenditure_pence"] - t["internal_expenditure_pence"] <= 190000000
            continue
        lo, hi = (85, 88) if urn == "159906" else (75, 85)
        assert lo * exp <= staff * 100 <= hi * exp, (urn, staff / exp)
        assert 2 * exp <= energy * 100 <= 3 * exp, (urn, energy / exp)
        assert (t["in_year_balance_pence"] < 0) == (urn in ("159904", "159905")), urn
        assert 6000 <= t["staff_costs_bp"] <= 9000, urn
    # GAG per pupil: every mainstream school budgets its own (I01; Inner London's are higher)
    for urn in ("159907", "159908", "159909"):
        gag = sum(l["amount_pence"] for l in seeded_budgets[urn]["lines"] if l["account_code"] == "I01")
        assert 530000 * pupils[urn] <= gag <= 580000 * pupils[urn], urn
    for urn in POOLED:
        gag = sum(l["amount_pence"] for l in seeded_budgets[urn]["lines"] if l["account_code"] == "I01")
        assert 640000 * pupils[urn] <= gag <= 700000 * pupils[urn], urn
    special = {l["account_code"]: l["amount_pence"] for l in seeded_budgets["159906"]["lines"]
               if l["account_code"] in ("I01P", "I03")}
    assert special["I01P"] == 120 * 1000000
    assert 230000000 <= special["I03"] <= 250000000
    assert 3600000000 <= external <= 3800000000, external


# A year of this test's own, whatever order the files run in: no other test puts a census or
# a budget there, and it is before every test's subscriptions start (a subscription with no
# end reaches every later year, and a service recharged to a school in the year is a
# recharge_short finding: test_services_alloc's from 2045-09-01 reached 2045-46, this
# test's year until now).
SPARE_YEAR = "2012-13"


def test_seeded_budgets_validate(api, school_urns, seeded_budgets):
    """Each seeded budget's typed lines, copied into a spare year (every entity's first, so
    the pool is whole, with the October 2025 census as that year's funded pupils, so the
    allocations are the seed's) and submitted, have no errors: the computed lines are worked
    out there from that year's budgets and the plugins check them to the penny. Only the two
    falling-roll schools get the deficit warning."""
    from test_services import set_census
    pupils = dict(sql_rows("SELECT s.urn, y.pupils FROM school_years y JOIN schools s ON s.id = y.school_id "
                           "WHERE y.year = 2025 AND s.kind = 'school'"))
    before = f"{int(SPARE_YEAR[:4]) - 1}-{SPARE_YEAR[2:4]}"            # 2011-12
    for urn in POOLED:
        set_census(api, urn, before, pupils=int(pupils[urn]))
    try:
        etags = {}
        for urn in school_urns + ["central"]:
            r = put_budget(api, urn, SPARE_YEAR, typed_input(seeded_budgets[urn]["lines"]))
            assert r.status_code == 201, r.text
            etags[urn] = r.headers["ETag"]
        for urn in school_urns + ["central"]:
            r = api.post(url(urn, SPARE_YEAR) + "/transitions", role="finance_director",
                         json={"action": "submit"}, headers={"If-Match": etags[urn]})
            b = expect(r, 200)
            codes = [f["code"] for f in b["findings"]]
            assert codes == (["in_year_deficit"] if urn in ("159904", "159905") else []), (urn, b["findings"])
            assert [(l["account_code"], l["amount_pence"], l["description"]) for l in computed(b["lines"])] == \
                [(l["account_code"], l["amount_pence"], l["description"]) for l in computed(seeded_budgets[urn]["lines"])]
            assert b["totals"] == seeded_budgets[urn]["totals"], urn
    finally:
        # the census goes again (other tests list the years a school has); the submitted
        # budgets keep their frozen lines
        sql(f"DELETE FROM school_years WHERE year = {int(before[:4])}")


# ---- reads ----

def test_etag_304_and_head(api, first_urn):
    b, etag = get_budget(api, first_urn, "2026-27")
    r = api.get(url(first_urn, "2026-27"), role="auditor", headers={"If-None-Match": etag})
    assert r.status_code == 304 and r.content == b""
    assert r.headers["ETag"] == etag
    r = api.head(url(first_urn, "2026-27"), role="auditor")
    assert r.status_code == 200 and r.content == b""
    assert "Accept" in r.headers.get("Vary", "")


@pytest.mark.parametrize("year", ["2026", "2026-28", "26-27", "2026_27"])
def test_bad_year_400(api, first_urn, year):
    problem(api.get(f"/api/v1/schools/{first_urn}/budgets/{year}", role="finance_director"), 400,
            "bad-request", fields=["path:year"])


def test_bad_and_unknown_urn(api):
    problem(api.get(url("12345", "2026-27"), role="finance_director"), 400, fields=["path:urn"])
    problem(api.get(url("999999", "2026-27"), role="finance_director"), 404, "not-found")


def test_no_budget_404(api, first_urn):
    problem(api.get(url(first_urn, "2040-41"), role="finance_director"), 404, "not-found")


def test_get_rejects_query_parameters(api, first_urn):
    problem(api.get(url(first_urn, "2026-27"), role="auditor", params={"x": "1"}), 422, fields=["query:x"])


def test_central_uses_the_same_endpoints(api):
    b, _ = get_budget(api, "central", "2026-27")
    assert b["urn"] == "central"
    assert {l["account_code"] for l in b["lines"]} >= {"I08", "INT02", "INT04", "INT06"}
    r = put_budget(api, "central", "2030-31", [line("I08", 100000), line("E05", 80000)])
    assert expect(r, 201)["urn"] == "central"


def test_scoping(api, first_urn, school_urns, make_token):
    other = school_urns[1]
    # business manager: own school only; never the central team
    get_budget(api, first_urn, "2026-27", role="business_manager")
    problem(api.get(url(other, "2026-27"), role="business_manager"), 403, "forbidden")
    problem(api.get(url("central", "2026-27"), role="business_manager"), 403, "forbidden")
    # school system: its own school's budget only
    get_budget(api, first_urn, "2026-27", role="school_system")
    problem(api.get(url(other, "2026-27"), role="school_system"), 403, "forbidden")
    problem(api.get(url("central", "2026-27"), role="school_system"), 403, "forbidden")
    # auditor reads everything; admin nothing
    get_budget(api, other, "2026-27", role="auditor")
    get_budget(api, "central", "2026-27", role="auditor")
    problem(api.get(url(first_urn, "2026-27"), role="admin"), 403, "forbidden")
    # 403 before 404: an unknown year on a school outside the scope
    problem(api.get(url(other, "2040-41"), role="business_manager"), 403)
    # a business manager of two schools sees both
    _id, tok = make_token("business_manager", schools=(first_urn, other))
    assert api.get(url(other, "2026-27"), token=tok).status_code == 200


def test_writes_scoped(api, first_urn, school_urns):
    other = school_urns[1]
    with unchanged(all_budgets_q(), all_lines_q()):
        for role in ("auditor", "school_system", "admin"):
            problem(put_budget(api, first_urn, "2030-31", simple_lines(), role=role), 403)
        problem(put_budget(api, other, "2030-31", simple_lines(), role="business_manager"), 403)
        problem(put_budget(api, "central", "2030-31", simple_lines(), role="business_manager"), 403)
        problem(api.post(url(other, "2026-27") + "/lines", role="business_manager",
                         json=line("E01", 1), headers={"If-Match": '"1"'}), 403)


# ---- PUT: replace every line ----

def test_put_creates_then_replaces(api, first_urn, accounts):
    year = "2031-32"
    a0 = audit_max()
    r = put_budget(api, first_urn, year, simple_lines(), role="business_manager",
                   headers={"X-Request-Id": "budget-create-1"})
    b = expect(r, 201)
    assert set(b) == BUDGET_FIELDS
    assert b["version"] == 1 and budget_etag(1).match(r.headers["ETag"])
    assert b["status"] == "draft"
    assert [l["account_code"] for l in typed(b["lines"])] == [l["account_code"] for l in simple_lines()]
    # a pooled school: its GAG pooled out (INT03) and its allocation (INT05) computed, netted
    c = {l["account_code"]: l["amount_pence"] for l in computed(b["lines"])}
    assert set(c) == {"INT03", "INT05"} and c["INT03"] == 90000000 - 1000000     # GAG less rates
    assert b["totals"]["income_pence"] == 100000000 - c["INT03"] + c["INT05"]
    assert b["totals"]["expenditure_pence"] == 95000000
    assert b["totals"]["gag_pence"] == 90000000 - c["INT03"] + c["INT05"]
    assert b["lines"][5]["excluded_from_central"] is True
    rows = sql_rows(f"SELECT action, entity, entity_id, request_id FROM audit_log WHERE id > {a0}")
    assert rows == [["create", "budget", f"{first_urn}/{year}", "budget-create-1"]]

    # keep two lines by id (one changed), drop the rest, add one
    keep, change = b["lines"][0], b["lines"][2]
    lines = [dict(keep), dict(change, amount_pence=56000000, description="Teachers (28 FTE)"),
             line("E03", 25000000), line("I08", 500000, "Lettings")]
    r = put_budget(api, first_urn, year, lines, etag=r.headers["ETag"], role="business_manager")
    b2 = expect(r, 200)
    assert b2["version"] == 2 and budget_etag(2).match(r.headers["ETag"])
    assert b2["lines"][0]["id"] == keep["id"]
    assert b2["lines"][1]["id"] == change["id"]
    assert b2["lines"][1]["amount_pence"] == 56000000
    assert b2["lines"][1]["description"] == "Teachers (28 FTE)"
    assert b2["lines"][2]["id"] not in {l["id"] for l in b["lines"]}
    assert len(typed(b2["lines"])) == 4
    assert int(sql_value(f"SELECT COUNT(*) FROM budget_lines l JOIN budgets b ON b.id = l.budget_id "
                         f"WHERE b.id = (SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id "
                         f"WHERE s.urn = '{first_urn}' AND b.year = 2031)")) == 4
    audit = sql_rows(f"SELECT action, before_json IS NOT NULL, after_json FROM audit_log WHERE id > {a0} ORDER BY id")
    assert [r[0] for r in audit] == ["create", "update"]
    assert audit[1][1] == "1"
    assert json.loads(audit[1][2])["version"] == 2
    assert get_budget(api, first_urn, year)[0] == b2


def test_get_modify_put(api, school_urns):
    """A GET's body, read-only fields and all, can be PUT back."""
    urn, year = school_urns[2], "2031-32"
    r = put_budget(api, urn, year, simple_lines())
    b = expect(r, 201)
    assert computed(b["lines"])                      # computed lines too: a PUT skips them
    b["lines"][1]["amount_pence"] += 100             # pupil premium (not GAG: no computed line moves)
    r = api.put(url(urn, year), role="finance_director", json=b, headers={"If-Match": r.headers["ETag"]})
    b2 = expect(r, 200)
    assert [l["id"] for l in b2["lines"]] == [l["id"] for l in b["lines"]]
    assert b2["lines"][1]["amount_pence"] == b["lines"][1]["amount_pence"]
    assert computed(b2["lines"]) == computed(b["lines"])
    assert b2["totals"]["income_pence"] == b["totals"]["income_pence"] + 100


def test_put_empty_lines(api, school_urns):
    urn, year = school_urns[2], "2032-33"
    r = put_budget(api, urn, year, [])
    b = expect(r, 201)
    assert b["lines"] == [] and b["totals"]["income_pence"] == 0 and b["totals"]["staff_costs_bp"] is None


def test_put_preconditions(api, school_urns):
    urn, year = school_urns[3], "2031-32"
    r = put_budget(api, urn, year, simple_lines())
    etag = r.headers["ETag"]
    expect(r, 201)
    with unchanged(budget_q(urn, year)):
        problem(put_budget(api, urn, year, simple_lines()), 428, "precondition-required")
        for im in ('"0"', '"7"', "abc", 'W/"1"'):
            problem(put_budget(api, urn, year, simple_lines(), etag=im), 412, "precondition-failed")
    with unchanged(all_budgets_q(), all_lines_q()):
        problem(put_budget(api, urn, "2033-34", simple_lines(), etag='"1"'), 412, "precondition-failed")
    # the previous version after an update is stale (the same lines again change nothing)
    r = put_budget(api, urn, year, simple_lines(), etag=etag)
    assert expect(r, 200)["version"] == 1 and r.headers["ETag"] == etag
    expect(put_budget(api, urn, year, simple_lines() + [line("E01", 1)], etag=etag), 200)
    with unchanged(budget_q(urn, year)):
        problem(put_budget(api, urn, year, simple_lines(), etag=etag), 412)


BAD_BODIES = [
    ({"lines": [line("E99", 100)]}, "/lines/0/account_code"),
    ({"lines": [line("e01", 100), line("I01", 1.5)]}, "/lines/1/amount_pence"),
    ({"lines": [line("E01", "100")]}, "/lines/0/amount_pence"),
    ({"lines": [line("E01", 100000000001)]}, "/lines/0/amount_pence"),
    ({"lines": [line("E01", -100000000001)]}, "/lines/0/amount_pence"),
    ({"lines": [line("E01", 2 ** 60)]}, "/lines/0/amount_pence"),
    ({"lines": [{"amount_pence": 5}]}, "/lines/0/account_code"),
    ({"lines": [{"account_code": "E01"}]}, "/lines/0/amount_pence"),
    ({"lines": [line("E01", 1, "x" * 201)]}, "/lines/0/description"),
    ({"lines": [line("E01", 1, "two\nlines")]}, "/lines/0/description"),
    ({"lines": [line("E01", 1, "=1+1")]}, "/lines/0/description"),
    ({"lines": [line("E01", 1, driver="weekly")]}, "/lines/0/driver"),
    ({"lines": [line("E01", 1, excluded_from_central="yes")]}, "/lines/0/excluded_from_central"),
    ({"lines": [line("E01", 1, colour="red")]}, "/lines/0/colour"),
    ({"lines": [line("E01", 1, id=0)]}, "/lines/0/id"),
    ({"lines": [line("E01", 1, id=-4)]}, "/lines/0/id"),
    ({"lines": ["E01"]}, "/lines/0"),
    ({"lines": {"0": line("E01", 1)}}, "/lines"),
    ({"lines": [], "extra": 1}, "/extra"),
    ({}, "/lines"),
    ({"lines": [], "urn": "159909"}, "/urn"),
    ({"lines": [], "year": "2026-27"}, "/year"),
]


@pytest.mark.parametrize("body,field", BAD_BODIES)
def test_put_validation(api, school_urns, body, field):
    urn, year = school_urns[4], "2031-32"
    with unchanged(all_budgets_q(), all_lines_q()):
        p = problem(api.put(url(urn, year), role="finance_director", json=body), 422, "validation",
                    fields=[field])
        assert all(e["message"] for e in p["errors"])


def test_put_reports_every_error(api, school_urns):
    urn, year = school_urns[4], "2031-32"
    body = {"lines": [line("E99", 1), line("E01", 1.25), line("E01", 1, driver="x"), line("I01", 5)]}
    with unchanged(all_budgets_q(), all_lines_q()):
        p = problem(api.put(url(urn, year), role="finance_director", json=body), 422)
    assert set(error_fields(p)) == {"/lines/0/account_code", "/lines/1/amount_pence", "/lines/2/driver"}
    assert any('"E99" is not an account code' in e["message"] for e in p["errors"])


def test_put_inactive_code(api, school_urns):
    urn, year = school_urns[4], "2031-32"
    sql("UPDATE accounts SET active = 0 WHERE code = 'E32'")
    try:
        with unchanged(all_budgets_q(), all_lines_q()):
            p = problem(put_budget(api, urn, year, [line("E32", 100)]), 422, fields=["/lines/0/account_code"])
        assert "no longer in use" in p["errors"][0]["message"]
    finally:
        sql("UPDATE accounts SET active = 1 WHERE code = 'E32'")


def test_put_line_ids(api, school_urns, first_urn):
    urn, year = school_urns[5], "2031-32"
    r = put_budget(api, urn, year, simple_lines())
    b = expect(r, 201)
    etag = r.headers["ETag"]
    ids = [l["id"] for l in typed(b["lines"])]
    foreign = get_budget(api, first_urn, "2026-27")[0]["lines"][0]["id"]
    with unchanged(budget_q(urn, year)):
        # the same id twice
        p = problem(put_budget(api, urn, year, [line("E01", 1, id=ids[0]), line("E03", 2, id=ids[0])], etag=etag),
                    422, fields=["/lines/1/id"])
        assert "also /lines/0" in p["errors"][0]["message"]
        # another budget's line, and an id that never was
        p = problem(put_budget(api, urn, year, [line("E01", 1, id=foreign), line("E01", 1, id=ids[-1] + 10 ** 9)],
                               etag=etag), 422, fields=["/lines/0/id", "/lines/1/id"])


def test_media_types_and_size(api, school_urns):
    urn, year = school_urns[5], "2032-33"
    with unchanged(all_budgets_q(), all_lines_q()):
        for ct in ("text/plain", "application/xml", "text/csv; charset=utf-16", "multipart/form-data"):
            problem(api.put(url(urn, year), role="finance_director", body="x", json_ct=False,
                            headers={"Content-Type": ct}), 415, "unsupported-media-type")
        problem(api.put(url(urn, year), role="finance_director", body="x", json_ct=False), 415)
        # a budget PUT has its own JSON limit (http.max_budget_body_bytes, issue 12), above the others'
        big = {"lines": [line("E01", 1, "x" * 180) for _ in range(MAX_BUDGET_BODY // 200 + 10)]}
        p = problem(api.put(url(urn, year), role="finance_director", json=big), 413, "payload-too-large")
        assert f"the limit for JSON is {MAX_BUDGET_BODY}" in p["detail"]
        problem(api.put(url(urn, year), role="finance_director", body="{", headers={}), 400, "malformed-json")


# ---- one line at a time ----

def test_line_post_put_delete(api, first_urn, accounts):
    year = "2033-34"
    r = put_budget(api, first_urn, year, simple_lines(), role="business_manager")
    b = expect(r, 201)
    lines_url = url(first_urn, year) + "/lines"
    a0 = audit_max()

    r = api.post(lines_url, role="business_manager", json=line("I08", 250000, "Lettings", driver="inflation:cpi"),
                 headers={"If-Match": r.headers["ETag"]})
    new = expect(r, 201)
    assert set(new) == WRITTEN_FIELDS | {"budget_version"}
    assert new["budget_version"] == 2 and r.headers["ETag"] == '"2"'
    assert new["driver"] == "inflation:cpi" and new["kind"] == "income"
    b2, etag = get_budget(api, first_urn, year)
    read = {k: v for k, v in typed(b2["lines"])[-1].items() if k not in ("profile_source", "months_pence")}
    assert b2["version"] == 2 and read == {**{k: new[k] for k in WRITTEN_FIELDS}, "source": "typed", "staff": None}
    assert b2["totals"]["income_pence"] == b["totals"]["income_pence"] + 250000

    r = api.put(f"{lines_url}/{new['id']}", role="business_manager",
                json=line("I08", 300000, "Lettings (hall)", id=new["id"], kind="income"), headers={"If-Match": etag})
    upd = expect(r, 200)
    assert upd["amount_pence"] == 300000 and upd["driver"] is None and upd["budget_version"] == 3
    assert r.headers["ETag"] == '"3"'

    r = api.delete(f"{lines_url}/{b['lines'][0]['id']}", role="business_manager", headers={"If-Match": '"3"'})
    assert r.status_code == 204 and r.headers["ETag"] == '"4"' and r.content == b""
    b3, _ = get_budget(api, first_urn, year)
    assert b3["version"] == 4
    assert b["lines"][0]["id"] not in [l["id"] for l in b3["lines"]]
    actions = [r[0] for r in sql_rows(f"SELECT action FROM audit_log WHERE id > {a0} AND entity = 'budget' ORDER BY id")]
    assert actions == ["line_create", "line_update", "line_delete"]


def test_line_writes_need_the_budget_if_match(api, first_urn, school_urns):
    year = "2034-35"
    r = put_budget(api, first_urn, year, simple_lines())
    b = expect(r, 201)
    lid = b["lines"][0]["id"]
    lines_url = url(first_urn, year) + "/lines"
    with unchanged(budget_q(first_urn, year)):
        problem(api.post(lines_url, role="finance_director", json=line("E01", 1)), 428, "precondition-required")
        problem(api.put(f"{lines_url}/{lid}", role="finance_director", json=line("E01", 1)), 428)
        problem(api.delete(f"{lines_url}/{lid}", role="finance_director"), 428)
        for im in ('"2"', '"0"', "x"):
            problem(api.post(lines_url, role="finance_director", json=line("E01", 1), headers={"If-Match": im}), 412)
            problem(api.delete(f"{lines_url}/{lid}", role="finance_director", headers={"If-Match": im}), 412)
        h = {"If-Match": '"1"'}
        # a line of another budget, and ids that are not ids
        other = get_budget(api, school_urns[1], "2026-27")[0]["lines"][0]["id"]
        problem(api.put(f"{lines_url}/{other}", role="finance_director", json=line("E01", 1), headers=h), 404)
        problem(api.delete(f"{lines_url}/{other}", role="finance_director", headers=h), 404)
        for bad in ("0", "-1", "abc", "1.5", "99999999999999999999"):
            problem(api.delete(f"{lines_url}/{bad}", role="finance_director", headers=h), 400, fields=["path:id"])
        # bodies
        problem(api.post(lines_url, role="finance_director", json=line("E99", 1), headers=h), 422,
                fields=["/account_code"])
        problem(api.post(lines_url, role="finance_director", json=[line("E01", 1)], headers=h), 422, fields=[""])
        problem(api.put(f"{lines_url}/{lid}", role="finance_director", json=line("E01", 1, id=lid + 1), headers=h),
                422, fields=["/id"])
        # no budget for the year
        problem(api.post(url(first_urn, "2041-42") + "/lines", role="finance_director", json=line("E01", 1),
                         headers=h), 404)


def test_methods(api, first_urn):
    r = api.request("PATCH", url(first_urn, "2026-27"), role="finance_director", json={})
    problem(r, 405, "method-not-allowed")
    assert set(r.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "PUT"}
    r = api.get(url(first_urn, "2026-27") + "/lines/1", role="finance_director")
    problem(r, 405)


def test_line_post_idempotency_key(api, school_urns):
    urn, year = school_urns[6], "2034-35"
    r = put_budget(api, urn, year, simple_lines())
    expect(r, 201)
    h = {"If-Match": r.headers["ETag"], "Idempotency-Key": "budget-line-once-1"}
    r1 = api.post(url(urn, year) + "/lines", role="finance_director", json=line("E19", 1000, "Books"), headers=h)
    first = expect(r1, 201)
    # the replay gets the first response; no second line, no second version
    r2 = api.post(url(urn, year) + "/lines", role="finance_director", json=line("E19", 1000, "Books"), headers=h)
    assert r2.status_code == 201 and r2.json() == first
    b, etag = get_budget(api, urn, year)
    assert b["version"] == 2 and len(typed(b["lines"])) == len(simple_lines()) + 1
