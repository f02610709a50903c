"""Budgets from posts (issue 16, README "Staff from posts"): an entity planning by post has a
generated line on each code its posts are paid from (their pay, NI and pension for the year,
worked out again on every read of a draft, frozen at submit), typed lines on those codes are
refused, imports skip the generated rows, the budget's ETag moves with a post, the budget
carries the ICFP measures, and GET .../staffing gives the same figures.

The school (URN) plans by post only while this module runs (a fixture flips it and puts it
back, deleting its posts), on scales of its own with values for YEAR alone (so no award or
increment reaches them), in a year no other test uses. Every figure is worked out here by
hand from the contract's rules (ISSUE16 section 2) with the staff rates the API reports."""
import json
import os
from fractions import Fraction

import pytest

from conftest import error_fields, expect, problem, sql, sql_rows, sql_value
from test_budgets import get_budget, line, put_budget, url
from test_budgets_csv import export, import_csv
from test_budgets_flow import transition

OPENAPI = os.path.join(os.path.dirname(__file__), "..", "..", "daemon", "openapi.json")

URN = "159909"                    # top-sliced (local): its computed line is INT01 from its GAG
YEAR, Y = "2066-67", 2066
TEACHERS = "test_bp_teachers"
SUPPORT = "test_bp_support"
T_VALUES = {"M1": 3261900, "M3": 3779000, "L5": 6543210}      # pence a year (teacher scale, YEAR)
S_VALUES = {"4": 2451500, "5": 2491700}                       # support scale, pay year 2066

POSTS = [
    dict(reference="BP-T1", title="Class teacher", role="teacher", account_code="E01", scale=TEACHERS,
         point="M3", top_point="M3", fte_h=100, tlr_pence=343600, pension="tps", periods_taught=20),
    dict(reference="BP-T2", title="Class teacher (part time)", role="teacher", account_code="E01",
         scale=TEACHERS, point="M1", top_point="M1", fte_h=60, pension="tps", periods_taught=12),
    dict(reference="BP-L1", title="Headteacher", role="leadership", account_code="E01", scale=TEACHERS,
         point="L5", top_point="L5", fte_h=100, pension="tps"),
    dict(reference="BP-TA1", title="Teaching assistant", role="teaching_assistant", account_code="E03",
         scale=SUPPORT, point="5", top_point="5", fte_h=80, paid_weeks_h=3900, pension="none"),
]
VACANCY = dict(reference="BP-V1", title="Class teacher (vacancy)", role="teacher", account_code="E01",
               scale=TEACHERS, point="M1", top_point="M1", fte_h=100, pension="tps", vacant=True)
PERIODS_PER_CYCLE = 25
HAVE_POSTS_API = "/api/v1/schools/{urn}/posts" in json.load(open(OPENAPI))["paths"]


def posts_url(urn=URN):
    return f"/api/v1/schools/{urn}/posts"


def post_body(d):
    body = {"point_year": YEAR, "paid_weeks_h": None, "tlr_pence": 0, "sen_pence": 0, "fringe_pence": 0,
            "other_allowance_pence": 0, "ni_category": "A", "starts_on": None, "ends_on": None, "vacant": False,
            "holder_name": None if d.get("vacant") else "A. Holder", "periods_taught": None}
    body.update(d)
    return body


def add_post(api, d, urn=URN):
    """d (POSTS' shape) as a post of urn: its id."""
    if HAVE_POSTS_API:
        return expect(api.post(posts_url(urn), role="finance_director", json=post_body(d)), 201)["id"]
    b = post_body(d)
    q = lambda v: "NULL" if v is None else (str(int(v)) if isinstance(v, (bool, int)) else "'%s'" % v)
    sql(f"INSERT INTO posts (school_id, reference, title, role, account_id, scale_id, point, top_point, point_year, "
        f"fte_h, paid_weeks_h, tlr_pence, pension, ni_category, vacant, holder_name, periods_taught) VALUES ("
        f"(SELECT id FROM schools WHERE urn = '{urn}'), {q(b['reference'])}, {q(b['title'])}, {q(b['role'])}, "
        f"(SELECT id FROM accounts WHERE code = {q(b['account_code'])}), "
        f"(SELECT id FROM pay_scales WHERE name = {q(b['scale'])}), {q(b['point'])}, {q(b['top_point'])}, {Y}, "
        f"{b['fte_h']}, {q(b['paid_weeks_h'])}, {b['tlr_pence']}, {q(b['pension'])}, 'A', {q(b['vacant'])}, "
        f"{q(b['holder_name'])}, {q(b['periods_taught'])})")
    return int(sql_value(f"SELECT MAX(id) FROM posts"))


def remove_post(api, pid, urn=URN):
    if HAVE_POSTS_API:
        r = api.get(f"{posts_url(urn)}/{pid}", role="finance_director")
        expect(api.delete(f"{posts_url(urn)}/{pid}", role="finance_director",
                          headers={"If-Match": r.headers["ETag"]}), 204)
    else:
        sql(f"UPDATE posts SET deleted_at = UTC_TIMESTAMP(6) WHERE id = {pid}")


def add_scale(api, name, kind, values, pts=None):
    """A scale of values in YEAR (or of pts: [{year, point, ord, annual_pence}])."""
    if pts is None:
        pts = [{"year": YEAR, "point": p, "ord": i + 1, "annual_pence": v} for i, (p, v) in enumerate(values.items())]
    if HAVE_POSTS_API:
        r = api.post("/api/v1/pay-scales", role="finance_director",
                     json={"name": name, "title": f"Test scale {name}", "kind": kind,
                           "area": "england" if kind == "teacher" else None, "points": pts})
        assert r.status_code in (201, 409), r.text          # 409: made by an earlier run of the module
        return
    if sql_value(f"SELECT COUNT(*) FROM pay_scales WHERE name = '{name}'") != "0":
        return
    sql(f"INSERT INTO pay_scales (name, title, kind) VALUES ('{name}', 'Test scale {name}', '{kind}')")
    for x in pts:
        sql(f"INSERT INTO pay_scale_points (scale_id, year, point, ord, annual_pence) VALUES ((SELECT id FROM "
            f"pay_scales WHERE name = '{name}'), {x['year'][:4]}, '{x['point']}', {x['ord']}, {x['annual_pence']})")


def staff_rates(api):
    if HAVE_POSTS_API:
        rates = expect(api.get("/api/v1/staff-rates", role="finance_director"), 200)
        rates = rates["items"] if isinstance(rates, dict) else rates
    else:
        if sql_value("SELECT COUNT(*) FROM staff_rates") == "0":
            sql("INSERT INTO staff_rates (tax_year, ni_bp, ni_threshold_pence, ni_upper_pence, tps_bp, levy_bp, "
                "levy_allowance_pence, employment_allowance_pence) VALUES (2026, 1500, 500000, 5027000, 2868, 50, "
                "1500000, 1050000)")
        names = ("tax_year", "ni_bp", "ni_threshold_pence", "ni_upper_pence", "tps_bp", "levy_bp",
                 "levy_allowance_pence", "employment_allowance_pence")
        rates = [dict(zip(names, [f"{r[0]}-xx"] + [int(v) for v in r[1:]]))
                 for r in sql_rows("SELECT " + ", ".join(names) + " FROM staff_rates ORDER BY tax_year")]
    return rates


def rhalf(x):
    """x (a Fraction) rounded half away from zero."""
    n = abs(x)
    r = int(n) + (1 if n - int(n) >= Fraction(1, 2) else 0)
    return r if x >= 0 else -r


def rates_for(rates, tax_year):
    """The tax year's rates: its own, else the last before it, else the first."""
    before = [r for r in rates if int(r["tax_year"][:4]) <= tax_year]
    return before[-1] if before else rates[0]


def hand_cost(post, rates):
    """A post's months (pay, ni, pension) in YEAR: full months (no start or end), its point fixed."""
    annual = (T_VALUES if post["scale"] == TEACHERS else S_VALUES)[post["point"]]
    share = Fraction(post["paid_weeks_h"] * 10, 52143) if post.get("paid_weeks_h") else Fraction(1)
    allow = sum(post.get(k, 0) for k in ("tlr_pence", "sen_pence", "fringe_pence", "other_allowance_pence"))
    months = []
    for m in range(12):
        r = rates_for(rates, Y if m < 7 else Y + 1)
        pay = rhalf(Fraction(annual * post["fte_h"], 100) * share / 12 + Fraction(allow, 12))
        ni = rhalf(Fraction(max(0, pay - rhalf(Fraction(r["ni_threshold_pence"], 12))) * r["ni_bp"], 10000))
        pension = rhalf(Fraction(pay * r["tps_bp"], 10000)) if post["pension"] == "tps" else 0
        months.append((pay, ni, pension))
    return months


def sums(months):
    pay, ni, pen = (sum(m[i] for m in months) for i in range(3))
    return {"pay_pence": pay, "ni_pence": ni, "pension_pence": pen, "total_pence": pay + ni + pen}


def staff_lines(b):
    return {l["account_code"]: l for l in b["lines"] if l["source"] == "posts"}


def typed_lines():
    """A small budget without the codes the posts cover (E01, E03)."""
    return [line("I01", 90000000, "GAG"), line("I05", 10000000, "Pupil premium"),
            line("E16", 2500000, "Energy"), line("E17", 1000000, "Rates", excluded_from_central=True),
            line("E19", 6500000, "Resources"), line("CON01", 5000000, "Contingency")]


@pytest.fixture(scope="module")
def planned(api):
    """URN planning by post with POSTS, its draft budget for YEAR, the staff rates."""
    for name, kind, values in ((TEACHERS, "teacher", T_VALUES), (SUPPORT, "support", S_VALUES)):
        add_scale(api, name, kind, values)
    rates = staff_rates(api)
    assert rates, "no staff rates: the seed (070_staffing.sql) gives 2025-26 and 2026-27"
    if api.get(url(URN, YEAR), role="finance_director").status_code == 404:
        expect(put_budget(api, URN, YEAR, typed_lines()), 201)
    # the school's seeded posts (070_staffing.sql) are set aside while it plans with POSTS only
    # (tombstoned here, live again after)
    seeded = ",".join(r[0] for r in sql_rows(
        f"SELECT p.id FROM posts p JOIN schools s ON s.id = p.school_id WHERE s.urn = '{URN}' "
        f"AND p.deleted_at IS NULL AND p.reference NOT LIKE 'BP-%'"))
    if seeded:
        sql(f"UPDATE posts SET deleted_at = UTC_TIMESTAMP(6), updated_at = UTC_TIMESTAMP(6) WHERE id IN ({seeded})")
    sql(f"UPDATE schools SET staff_by_post = 1, periods_per_cycle = {PERIODS_PER_CYCLE} WHERE urn = '{URN}'")
    ids = []
    try:
        for d in POSTS:
            ids.append(add_post(api, d))
        yield {"rates": rates, "ids": ids}
    finally:
        sql(f"UPDATE schools SET staff_by_post = 0, periods_per_cycle = NULL WHERE urn = '{URN}'")
        if seeded:
            sql(f"UPDATE posts SET deleted_at = NULL, updated_at = UTC_TIMESTAMP(6) WHERE id IN ({seeded})")
        for pid in [r[0] for r in sql_rows(f"SELECT p.id FROM posts p JOIN schools s ON s.id = p.school_id "
                                           f"WHERE s.urn = '{URN}' AND p.deleted_at IS NULL AND p.reference LIKE 'BP-%'")]:
            remove_post(api, pid)


def expected_by_code(posts, rates):
    out = {}
    for d in posts:
        c = sums(hand_cost(post_body(d), rates))
        o = out.setdefault(d["account_code"], {"pay_pence": 0, "ni_pence": 0, "pension_pence": 0, "total_pence": 0,
                                               "posts": 0, "fte_h": 0})
        for k, v in c.items():
            o[k] += v
        o["posts"] += 1
        o["fte_h"] += d["fte_h"]
    return out


def test_generated_lines_are_the_posts_costs(api, planned):
    b, _ = get_budget(api, URN, YEAR)
    want = expected_by_code(POSTS, planned["rates"])
    got = staff_lines(b)
    assert sorted(got) == ["E01", "E03"]
    for code, w in want.items():
        l = got[code]
        assert l["computed"] is True and l["id"] is None and l["driver"] is None
        assert l["amount_pence"] == w["total_pence"], code
        assert l["staff"] == {k: w[k] for k in ("pay_pence", "ni_pence", "pension_pence", "posts", "fte_h")}
        assert l["explanation"] and "pay" in l["explanation"] and "NI" in l["explanation"] \
            and "pension" in l["explanation"]
    assert got["E01"]["description"] == "Teaching staff: 3 posts, 2.60 FTE (from posts)"
    assert got["E03"]["description"] == "Education support staff: 1 post, 0.80 FTE (from posts)"
    # issue 17: each line's months are its posts' months worked out by hand, pay + NI + pension
    for code in want:
        months = [0] * 12
        for d in POSTS:
            if d["account_code"] == code:
                for i, (pay, ni, pen) in enumerate(hand_cost(post_body(d), planned["rates"])):
                    months[i] += pay + ni + pen
        assert got[code]["months_pence"] == months and got[code]["profile_source"] == "posts", code
    # generated lines come after the typed ones and before the rules' computed line (INT01)
    assert [l["source"] for l in b["lines"]] == ["typed"] * 6 + ["posts", "posts", "rules"]
    assert all(l["staff"] is None for l in b["lines"] if l["source"] != "posts")
    # in the totals: expenditure is the typed costs, the staff lines and the top-slice
    exp = sum(l["amount_pence"] for l in b["lines"] if l["kind"] == "expenditure")
    assert b["totals"]["expenditure_pence"] == exp
    assert b["totals"]["staff_costs_pence"] == want["E01"]["total_pence"] + want["E03"]["total_pence"]
    if not HAVE_POSTS_API:
        return
    # each post's own cost (GET .../posts?year=) sums to the lines
    items = expect(api.get(posts_url(), role="finance_director", params={"year": YEAR}), 200)["items"]
    mine = [p for p in items if p["reference"].startswith("BP-")]
    for code, w in want.items():
        assert sum(p["cost"]["total_pence"] for p in mine if p["account_code"] == code) == w["total_pence"]
    for p in mine:
        d = next(x for x in POSTS if x["reference"] == p["reference"])
        assert [(m["pay_pence"], m["ni_pence"], m["pension_pence"]) for m in p["cost"]["months"]] == \
            hand_cost(post_body(d), planned["rates"])


def test_staffing_metrics_by_hand(api, planned):
    b, _ = get_budget(api, URN, YEAR)
    m = b["staffing_metrics"]
    rates = planned["rates"]
    cost = {d["reference"]: sums(hand_cost(post_body(d), rates))["total_pence"] for d in POSTS}
    teacher_fte = 100 + 60 + 100
    teacher_cost = cost["BP-T1"] + cost["BP-T2"] + cost["BP-L1"]
    pupils = int(sql_value(f"SELECT y.pupils FROM school_years y JOIN schools s ON s.id = y.school_id "
                           f"WHERE s.urn = '{URN}' AND y.year <= {Y} AND y.pupils IS NOT NULL "
                           f"ORDER BY y.year DESC LIMIT 1"))
    assert m["teacher_fte_h"] == teacher_fte and m["adult_fte_h"] == teacher_fte + 80
    assert m["pupils"] == pupils
    assert m["pupil_teacher_ratio_h"] == rhalf(Fraction(pupils * 10000, teacher_fte))
    assert m["pupil_adult_ratio_h"] == rhalf(Fraction(pupils * 10000, teacher_fte + 80))
    assert m["average_teacher_cost_pence"] == rhalf(Fraction(teacher_cost * 100, teacher_fte))
    assert m["teaching_cost_bp"] == rhalf(Fraction(teacher_cost * 10000, b["totals"]["expenditure_pence"]))
    assert m["leadership_cost_bp"] == rhalf(Fraction(cost["BP-L1"] * 10000, sum(cost.values())))
    # periods: T1 20 of 1.00 x 25, T2 12 of 0.60 x 25: 32 / (1.60 x 25) = 80.00%
    assert m["contact_ratio_bp"] == 8000
    # GET .../staffing: the same figures
    s = expect(api.get(f"/api/v1/schools/{URN}/staffing", role="finance_director", params={"year": YEAR}), 200)
    assert s["urn"] == URN and s["year"] == YEAR and s["staff_by_post"] is True
    assert s["metrics"] == m
    assert {l["account_code"]: l["total_pence"] for l in s["lines"]} == \
        {c: l["amount_pence"] for c, l in staff_lines(b).items()}
    assert s["total_pence"] == sum(l["total_pence"] for l in s["lines"])
    assert "levy_pence" not in s


def test_a_vacancy_moves_the_draft(api, planned):
    b, etag = get_budget(api, URN, YEAR)
    before = staff_lines(b)["E01"]
    vac = add_post(api, VACANCY)
    try:
        b2, etag2 = get_budget(api, URN, YEAR)
        add = sums(hand_cost(post_body(VACANCY), planned["rates"]))["total_pence"]
        after = staff_lines(b2)["E01"]
        assert after["amount_pence"] == before["amount_pence"] + add
        assert after["staff"]["posts"] == 4 and after["description"].startswith("Teaching staff: 4 posts, 3.60 FTE")
        assert b2["totals"]["expenditure_pence"] == b["totals"]["expenditure_pence"] + add
        assert b2["version"] == b["version"] and etag2 != etag          # the version is the same, the hash is not
        assert api.get(url(URN, YEAR), role="finance_director", headers={"If-None-Match": etag}).status_code == 200
        assert api.get(url(URN, YEAR), role="finance_director",
                       headers={"If-None-Match": etag2}).status_code == 304
    finally:
        remove_post(api, vac)
    b3, etag3 = get_budget(api, URN, YEAR)
    assert staff_lines(b3)["E01"]["amount_pence"] == before["amount_pence"] and etag3 == etag


def test_typed_lines_on_covered_codes_refused(api, planned):
    b, etag = get_budget(api, URN, YEAR)
    p = problem(put_budget(api, URN, YEAR, typed_lines() + [line("E01", 100, "Teachers")], etag=etag), 422,
                "validation", ["/lines/6/account_code"])
    assert p["errors"][0]["message"].startswith("E01 is planned by post at this school: change its posts")
    p = problem(api.post(url(URN, YEAR) + "/lines", role="finance_director", json=line("E03", 100, "TAs"),
                         headers={"If-Match": etag}), 422, "validation", ["/account_code"])
    assert "E03 is planned by post" in p["errors"][0]["message"]
    # a code no post covers is fine; the GET's body (generated lines and all) PUTs back
    body = {"lines": b["lines"]}
    r = api.put(url(URN, YEAR), role="finance_director", json=body, headers={"If-Match": etag})
    b2 = expect(r, 200)
    assert staff_lines(b2).keys() == staff_lines(b).keys()
    assert [l for l in b2["lines"] if l["source"] == "typed"] == [l for l in b2["lines"] if not l["computed"]]


def test_import_skips_generated_rows(api, planned):
    b, etag = get_budget(api, URN, YEAR)
    text = export(api, URN, YEAR).text
    assert "from posts" in text                                       # the generated rows are exported
    r = import_csv(api, URN, YEAR, text, etag=etag)
    b2 = expect(r, 200)
    assert [(l["account_code"], l["amount_pence"]) for l in b2["lines"] if not l["computed"]] == \
        [(l["account_code"], l["amount_pence"]) for l in b["lines"] if not l["computed"]]
    assert {c: l["amount_pence"] for c, l in staff_lines(b2).items()} == \
        {c: l["amount_pence"] for c, l in staff_lines(b).items()}
    # a typed row on a covered code is refused in an import too, at its row (the header is row 1)
    p = problem(import_csv(api, URN, YEAR, "code,description,amount\nE20,ICT,5.00\nE01,Teachers,1.00\n",
                           etag=r.headers["ETag"]), 422, "validation")
    assert error_fields(p) == ["row 3, code"]


def test_submit_freezes_the_staff_lines(api, planned):
    year = "2067-68"                      # a budget of its own: submitted here, returned at the end
    if api.get(url(URN, year), role="finance_director").status_code == 404:
        expect(put_budget(api, URN, year, typed_lines()), 201)
    b, etag = get_budget(api, URN, year)
    s = expect(transition(api, URN, year, {"action": "submit"}, etag), 200)
    frozen = staff_lines(s)
    assert {c: l["amount_pence"] for c, l in frozen.items()} == {c: l["amount_pence"] for c, l in staff_lines(b).items()}
    assert all(isinstance(l["id"], int) for l in frozen.values())
    assert frozen["E01"]["staff"] == staff_lines(b)["E01"]["staff"] and frozen["E01"]["staff"]["posts"] == 3
    # issue 17: the months too, frozen in budget_lines.months_pence
    assert frozen["E01"]["months_pence"] == staff_lines(b)["E01"]["months_pence"]
    assert frozen["E01"]["profile_source"] == "posts" and sum(frozen["E01"]["months_pence"]) == frozen["E01"]["amount_pence"]
    assert sql_value(f"SELECT l.months_pence FROM budget_lines l JOIN budgets b ON b.id = l.budget_id "
                     f"JOIN schools s ON s.id = b.school_id JOIN accounts a ON a.id = l.account_id WHERE s.urn = '{URN}' "
                     f"AND b.year = 2067 AND a.code = 'E01' AND l.computed = 1") == \
        ",".join(str(m) for m in frozen["E01"]["months_pence"])
    assert sql_rows(f"SELECT l.staff_pay_pence, l.staff_posts FROM budget_lines l JOIN budgets b ON b.id = l.budget_id "
                    f"JOIN schools s ON s.id = b.school_id JOIN accounts a ON a.id = l.account_id WHERE s.urn = '{URN}' "
                    f"AND b.year = 2067 AND a.code = 'E01' AND l.computed = 1") == \
        [[str(frozen["E01"]["staff"]["pay_pence"]), "3"]]
    # a post changed after submit: the submitted budget keeps its figures, with a warning
    vac = add_post(api, VACANCY)
    try:
        g, getag = get_budget(api, URN, year)
        assert {c: l["amount_pence"] for c, l in staff_lines(g).items()} == \
            {c: l["amount_pence"] for c, l in frozen.items()}
        assert "computed_lines" in [f["code"] for f in g["findings"]]
        assert staff_lines(g)["E01"]["staff"] == frozen["E01"]["staff"]   # frozen with the line
        assert staff_lines(g)["E01"]["months_pence"] == frozen["E01"]["months_pence"]   # and its months
        # returned: a draft again, the new figures derived
        rt = expect(transition(api, URN, year, {"action": "return", "reason": "staff changed"}, getag), 200)
        assert rt["status"] == "draft"
        assert staff_lines(rt)["E01"]["amount_pence"] > frozen["E01"]["amount_pence"]
        assert all(l["id"] is None for l in staff_lines(rt).values())
    finally:
        remove_post(api, vac)


def test_staffing_roles(api, planned, make_token):
    path = f"/api/v1/schools/{URN}/staffing"
    for role in ("finance_director", "auditor"):
        expect(api.get(path, role=role, params={"year": YEAR}), 200)
    _, mine = make_token("business_manager", schools=[URN])
    expect(api.get(path, token=mine, params={"year": YEAR}), 200)
    _, other = make_token("business_manager", schools=["159901"])
    problem(api.get(path, token=other, params={"year": YEAR}), 403, "forbidden")
    _, system = make_token("school_system", schools=[URN])
    problem(api.get(path, token=system, params={"year": YEAR}), 403, "forbidden")
    problem(api.get(path, role="finance_director", params={"year": "2060"}), 422, "validation", ["query:year"])
    problem(api.get(path, role="finance_director", params={"yr": YEAR}), 422)


def test_central_staffing_has_the_levy(api, planned):
    s = expect(api.get("/api/v1/schools/central/staffing", role="finance_director", params={"year": YEAR}), 200)
    assert isinstance(s["levy_pence"], int) and s["levy_pence"] >= 0
    assert isinstance(s["employment_allowance_pence"], int) and s["employment_allowance_pence"] <= 0


def test_a_school_not_planning_by_post(api, planned):
    """Its budget has no generated lines and typed E01 is fine; /staffing still costs its posts."""
    b, _ = get_budget(api, "159907", "2026-27")
    assert all(l["source"] != "posts" for l in b["lines"])
    s = expect(api.get("/api/v1/schools/159907/staffing", role="finance_director", params={"year": "2026-27"}), 200)
    assert s["staff_by_post"] is False


def test_a_post_that_cannot_be_costed_stops_its_own_entity_only(api, planned):
    """A scale whose 2067-68 values leave out M1: a post on M1 cannot be costed in 2067-68. On
    another school it leaves URN's lines alone; on URN, URN's budget says why and cannot be
    submitted, and GET .../staffing is a 422 naming the post."""
    gap = "test_bp_gap"
    add_scale(api, gap, "teacher", None, pts=[
        {"year": YEAR, "point": "M1", "ord": 1, "annual_pence": 3000000},
        {"year": YEAR, "point": "M2", "ord": 2, "annual_pence": 3100000},
        {"year": "2067-68", "point": "M2", "ord": 1, "annual_pence": 3200000}])
    year = "2067-68"
    other = "159908"
    bad = dict(reference="BP-GAP", title="Teacher on a gap", role="teacher", account_code="E01", scale=gap,
               point="M1", top_point="M1", fte_h=100, pension="tps")
    if sql_value(f"SELECT COUNT(*) FROM budgets b JOIN schools s ON s.id = b.school_id "
                 f"WHERE s.urn = '{URN}' AND b.year = 2067") == "0":
        expect(put_budget(api, URN, year, typed_lines()), 201)
    pid = add_post(api, bad, urn=other)
    try:
        b, _ = get_budget(api, URN, year)
        assert sorted(staff_lines(b)) == ["E01", "E03"]
        assert "computed_lines" not in [f["code"] for f in b["findings"]]
        p = problem(api.get(f"/api/v1/schools/{other}/staffing", role="finance_director", params={"year": year}),
                    422, "validation")
        assert "BP-GAP" in p["detail"] or "M1" in p["detail"], p
        problem(api.get(posts_url(other), role="finance_director", params={"year": year}), 422, "validation")
    finally:
        remove_post(api, pid, urn=other)
    pid = add_post(api, bad)
    try:
        b, etag = get_budget(api, URN, year)
        assert staff_lines(b) == {} and b["staffing_metrics"] is None
        [w] = [f for f in b["findings"] if f["code"] == "computed_lines"]
        assert "staff lines could not be worked out" in w["message"]
        p = problem(transition(api, URN, year, {"action": "submit"}, etag), 422, "validation")
        assert "cannot be worked out from the posts" in p["detail"]
        # the year before has values for M1: costed there
        b0, _ = get_budget(api, URN, YEAR)
        assert staff_lines(b0)["E01"]["staff"]["posts"] == 4
    finally:
        remove_post(api, pid)
