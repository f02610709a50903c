"""Forecasts from posts end to end (issue 16, ISSUE16_CONTRACT section 5; README "Staff from posts"):
a copy of `expected` in which 159901 plans its staff by post (overrides.staff_by_post) and no pay award
after the scales' data (so the run's costing is the posts API's own: GET .../posts?year=), run through
POST /api/v1/forecasts. Its E01 lines are its E01 posts' cost in each forecast year; a post_end action
takes exactly that post's cost out from its date; a TPS change from January (not April) adds exactly
the pension difference of the months from January; the live posts are unchanged and the audit log has
the runs' rows only; an action naming a post the school does not have is a 422 at /actions/N/post."""
import csv
import datetime
import io

import pytest

import staffcalc
from conftest import audit_max, expect, problem, sql, sql_rows, sql_value
from test_staffing_demo import db_env, db_posts

RUNS = "/api/v1/forecasts"
URN = "159901"
YEAR = "2027-28"
POSTS_Q = "SELECT id, version, updated_at, ends_on, fte_h FROM posts ORDER BY id"


def scenario_id(name):
    return int(sql_value(f"SELECT id FROM scenarios WHERE name = '{name}' AND deleted_at IS NULL"))


def copy(api, name, **members):
    body = {"copy_from": scenario_id("expected"), "name": name,
            "assumptions": {"teacher_pay_bp": {}, "support_pay_bp": {}, "base_support_pay_bp": 0,
                            **members.pop("assumptions", {})},
            "overrides": {"staff_by_post": {URN: True}}, **members}
    return expect(api.post("/api/v1/scenarios", role="finance_director", json=body), 201)


def run(api, sid):
    return expect(api.post(RUNS, role="finance_director", params={"lines": "true"},
                           json={"scenario": sid, "horizon": 2}), 201)


def year_of(f, urn, year):
    return [y for y in [e for e in f["entities"] if e["urn"] == urn][0]["years"] if y["year"] == year][0]


def code_total(f, code, year):
    return sum(ln["amount_pence"] for ln in year_of(f, URN, year)["lines"] if ln["account_code"] == code)


def posts(api, year):
    got = expect(api.get(f"/api/v1/schools/{URN}/posts", role="finance_director",
                         params={"year": year, "limit": 1000}), 200)
    return [p for p in got["items"] if not p.get("deleted")]


def half_up(n, d):
    return (n * 2 + d) // (2 * d) if n >= 0 else -((-n * 2 + d) // (2 * d))


@pytest.fixture(scope="module")
def e01(api):
    ps = [p for p in posts(api, YEAR) if p["account_code"] == "E01"]
    assert ps, "the demo has E01 posts at 159901"
    return ps


@pytest.fixture(scope="module")
def by_post(api):
    return copy(api, "pytest posts: 159901 by post")


def test_posts_cost_the_lines_and_a_post_end_takes_one_out(api, e01, by_post):
    gone = next(p for p in e01 if p["starts_on"] is None and p["ends_on"] is None)
    ending = copy(api, "pytest posts: a teacher leaves", actions=[
        {"type": "post_end", "entity": URN, "post": gone["reference"], "from": "2027-09-01",
         "note": "Not replaced"}])
    live_posts = sql(POSTS_Q)
    a0 = audit_max()
    a = run(api, by_post["id"])
    b = run(api, ending["id"])
    # the audit log has the two runs' rows and nothing else; the live posts are as they were
    assert sql_rows(f"SELECT action, entity, entity_id FROM audit_log WHERE id > {a0} ORDER BY id") == \
        [["run", "forecast", str(a["id"])], ["run", "forecast", str(b["id"])]]
    assert sql(POSTS_Q) == live_posts
    # 2027-28: E01 is the E01 posts' cost (the posts API's costing: no award after the data)
    assert code_total(a, "E01", YEAR) == sum(p["cost"]["total_pence"] for p in e01)
    e01_lines = [ln for ln in year_of(a, URN, YEAR)["lines"] if ln["account_code"] == "E01"]
    assert all(ln["driver"] == "posts" for ln in e01_lines)
    assert "costed from posts" in e01_lines[0]["explanation"] and "employer's NI" in e01_lines[0]["explanation"]
    # the post that ends on 31 August 2027 takes exactly its cost out from 2027-28; nothing else moves
    assert code_total(a, "E01", YEAR) - code_total(b, "E01", YEAR) == gone["cost"]["total_pence"]
    for code in ("E02", "E03", "E04", "E05", "I01"):
        assert code_total(a, code, YEAR) == code_total(b, code, YEAR), code
    # the base year is the budget in both
    assert year_of(a, URN, "2026-27") == year_of(b, URN, "2026-27")
    assert a["digest"] != b["digest"]


def test_tps_change_from_january(api, e01, by_post):
    """A TPS rate from January 2028 (any month, not only April): in 2027-28 the months January to
    August (m = 4..11) cost round(pay x 30.68%) instead of round(pay x 28.68%) for each TPS post."""
    tps = copy(api, "pytest posts: TPS 30.68% from January 2028", assumptions={
        "staff_rate_changes": [{"scheme": "tps", "from": "2028-01", "rate_bp": 3068}]})
    a = run(api, by_post["id"])
    c = run(api, tps["id"])
    want = 0
    for p in e01:
        if p["pension"] != "tps":
            continue
        for m in p["cost"]["months"][4:]:
            want += half_up(m["pay_pence"] * 3068, 10000) - half_up(m["pay_pence"] * 2868, 10000)
    assert want > 0
    assert code_total(c, "E01", YEAR) - code_total(a, "E01", YEAR) == want
    # the months before January are the same: 2026-27 is the budget in both
    assert year_of(c, URN, "2026-27") == year_of(a, URN, "2026-27")


def test_an_action_on_a_missing_post_is_422(api):
    bad = copy(api, "pytest posts: no such post", actions=[
        {"type": "post_fte", "entity": URN, "post": "NO-SUCH-POST", "from": "2027-09-01", "fte_h": 50,
         "note": "Half time"}])
    a0 = audit_max()
    got = problem(api.post(RUNS, role="finance_director", json={"scenario": bad["id"], "horizon": 2}), 422,
                  "validation")
    assert [e["field"] for e in got["errors"]] == ["/actions/0/post"]
    assert "NO-SUCH-POST" in got["errors"][0]["message"]
    assert sql_rows(f"SELECT action FROM audit_log WHERE id > {a0}") == []


def active_in(p, year):
    """Whether the post is active on some day of academic year "2027-28" (1 Sep .. 31 Aug)."""
    y0 = int(year[:4])
    first, last = f"{y0}-09-01", f"{y0 + 1}-08-31"
    return (p["starts_on"] is None or p["starts_on"] <= last) and (p["ends_on"] is None or p["ends_on"] >= first)


def measures(ps, pupils, expenditure, periods_per_cycle):
    """The ICFP measures (README "Staffing by post") of posts costed for a year, as the test works them out."""
    ps = [p for p in ps if p["active"]]
    teach = [p for p in ps if p["role"] in ("teacher", "leadership")]
    tfte = sum(p["fte_h"] for p in teach)
    afte = tfte + sum(p["fte_h"] for p in ps if p["role"] == "teaching_assistant")
    tcost = sum(p["total"] for p in teach)
    lcost = sum(p["total"] for p in ps if p["role"] == "leadership")
    allc = sum(p["total"] for p in ps)
    given = [p for p in teach if p["periods_taught"] is not None]

    def ratio(a, num, den):
        return half_up(a * num, den) if den > 0 and a is not None and a >= 0 else None
    return {
        "teacher_fte_h": tfte, "adult_fte_h": afte, "pupils": pupils,
        "pupil_teacher_ratio_h": ratio(pupils, 10000, tfte), "pupil_adult_ratio_h": ratio(pupils, 10000, afte),
        "average_teacher_cost_pence": ratio(tcost, 100, tfte), "teaching_cost_bp": ratio(tcost, 10000, expenditure),
        "leadership_cost_bp": ratio(lcost, 10000, allc),
        "contact_ratio_bp": ratio(sum(p["periods_taught"] for p in given), 1000000,
                                  sum(p["fte_h"] for p in given) * (periods_per_cycle or 0)) if given else None,
    }


def test_staffing_metrics_per_year(api, by_post):
    """Each year of a school planning by post carries staffing_metrics: the measures of the posts as
    the run costed them (with no award after the data, the posts API's cost of the year), the year's
    pupils and the school's forecast expenditure; GET and the summary read back the same; the trust's
    years have none; a post_end changes the measures of the years after it."""
    a = run(api, by_post["id"])
    school = expect(api.get(f"/api/v1/schools/{URN}", role="finance_director"), 200)
    for year in ("2026-27", "2027-28", "2028-29"):
        ps = [{"role": p["role"], "fte_h": p["fte_h"], "total": p["cost"]["total_pence"],
               "periods_taught": p["periods_taught"], "active": active_in(p, year)} for p in posts(api, year)]
        y = year_of(a, URN, year)
        got = y["staffing_metrics"]
        assert got == measures(ps, y["pupils"], y["expenditure_pence"], school.get("periods_per_cycle")), year
        assert got["teacher_fte_h"] > 0 and got["teaching_cost_bp"] is not None
    back = expect(api.get(f"{RUNS}/{a['id']}", role="finance_director"), 200)
    summary = expect(api.get(f"{RUNS}/{a['id']}/summary", role="finance_director"), 200)
    board = {e["entity"]: e for e in summary["entities"]}
    for e in a["entities"]:
        want = [y["staffing_metrics"] for y in e["years"]]
        assert want == [y["staffing_metrics"] for y in [x for x in back["entities"] if x["urn"] == e["urn"]][0]["years"]]
        assert want == [y["staffing_metrics"] for y in board[e["urn"]]["years"]]
    assert all("staffing_metrics" not in y for y in back["trust"]["years"] + a["trust"]["years"] +
               board["trust"]["years"])
    # the summary's CSV: the measures' columns of the school's years
    r = api.get(f"{RUNS}/{a['id']}/summary", role="finance_director", headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    head = rows[0]
    for y in year_of(a, URN, "2026-27"), year_of(a, URN, "2027-28"):
        row = dict(zip(head, next(x for x in rows if x[0] == URN and x[2] == y["year"])))
        m = y["staffing_metrics"]
        assert [row[k] for k in ("teacher_fte", "pupil_teacher_ratio", "average_teacher_cost", "teaching_cost_pct")] \
            == [f"{v // 100}.{v % 100:02d}" for v in (m["teacher_fte_h"], m["pupil_teacher_ratio_h"],
                                                        m["average_teacher_cost_pence"], m["teaching_cost_bp"])]
    # a school not planning by post (its own flag off, no override) has them too: every entity with posts
    others = [e for e in a["entities"] if e["urn"] not in (URN, "central") and
              not expect(api.get(f"/api/v1/schools/{e['urn']}", role="finance_director"), 200)["staff_by_post"]]
    assert others and all(y["staffing_metrics"] is not None and y["staffing_metrics"]["teacher_fte_h"] > 0
                          for e in others for y in e["years"])


# --------------------------------------------------------------------------- the levy, and every entity's measures

OTHER = "159902"                             # a school planning by line, whose posts still count
AWARDS = {"teacher_pay_bp": {"2027-28": 300, "2028-29": 250}, "support_pay_bp": {"2027-28": 320, "2028-29": 280},
          "base_support_pay_bp": 350}


def lines_of(f, urn, year, code):
    return [ln for ln in year_of(f, urn, year)["lines"] if ln["account_code"] == code]


def run_posts(api, ending):
    """Every live post as staffcalc takes it, with the post_end of `ending` applied (the day before
    2028-01-01), and the scenario's awards: staffcalc's Env."""
    env, scales = db_env()
    posts = db_posts(scales)
    gone = [p for p in posts if p.urn == OTHER and p.reference == ending]
    assert len(gone) == 1
    last = datetime.date(2027, 12, 31)
    gone[0].end = last if gone[0].end is None or gone[0].end > last else gone[0].end
    # teacher awards by academic year (September); support awards by pay year (April): the base
    # year's own April (2027) is base_support_pay_bp, support_pay_bp of 2027-28 is April 2028
    env.awards = staffcalc.Awards(base_year=2026, teacher_bp={2027: 300, 2028: 250},
                                  support_bp={2027: 350, 2028: 320, 2029: 280})
    return env, posts


@pytest.fixture(scope="module")
def levy_run(api):
    """A what-if in which 159901 and the central team plan by post, with awards after the scales'
    data and a post of 159902 (planning by line) ending from January 2028; and the same without the
    central team."""
    ref = sql_value(f"SELECT p.reference FROM posts p JOIN schools s ON s.id = p.school_id WHERE s.urn = '{OTHER}' "
                    "AND p.deleted_at IS NULL AND p.ends_on IS NULL AND p.role = 'teacher' ORDER BY p.reference "
                    "LIMIT 1")
    action = [{"type": "post_end", "entity": OTHER, "post": ref, "from": "2028-01-01", "note": "Leaves at Christmas"}]
    both = copy(api, "pytest posts: the central team by post too", assumptions=dict(AWARDS), actions=action,
                overrides={"staff_by_post": {URN: True, "central": True}})
    one = copy(api, "pytest posts: 159901 alone by post", assumptions=dict(AWARDS), actions=action)
    return {"ref": ref, "a": run(api, both["id"]), "b": run(api, one["id"])}


def test_levy_and_allowance_from_every_entitys_posts(api, levy_run):
    """The central team planning by post (a what-if: its budget has no generated lines) has a line of
    its own on E08, "Apprenticeship levy and employment allowance (from posts)": in each forecast year the trust's apprenticeship levy + employment allowance from every
    entity's posts as the run projects them (awards, the post_end of a school planning by line),
    worked out again by staffcalc to the penny; its typed E08 line keeps its driver."""
    a, b = levy_run["a"], levy_run["b"]
    env, posts = run_posts(api, levy_run["ref"])
    for year in ("2027-28", "2028-29"):
        t = staffcalc.cost_trust(posts, env, staffcalc.parse_year(year))
        assert t.levy > 0 and t.employment_allowance < 0
        got = [ln for ln in lines_of(a, "central", year, "E08") if ln["driver"] == "posts"]
        assert len(got) == 1, year
        assert got[0]["description"] == "Apprenticeship levy and employment allowance (from posts)"
        assert got[0]["amount_pence"] == t.levy + t.employment_allowance, year
        assert "apprenticeship levy" in got[0]["explanation"] and "employment allowance" in got[0]["explanation"]
        # the typed E08 line: as in the run where the central team plans by line
        typed = [(ln["description"], ln["driver"], ln["amount_pence"]) for ln in lines_of(a, "central", year, "E08")
                 if ln["driver"] != "posts"]
        assert typed and typed == [(ln["description"], ln["driver"], ln["amount_pence"])
                                   for ln in lines_of(b, "central", year, "E08")], year
        assert all(ln["driver"] != "posts" for ln in lines_of(b, "central", year, "E08"))
        # 159902 plans by line: its E01 is projected from its budget in both runs
        assert [ln["driver"] for ln in lines_of(a, OTHER, year, "E01")] != ["posts"]
    assert a["digest"] != b["digest"]


def test_measures_of_an_entity_planning_by_line(api, levy_run):
    """159902 plans by line, yet each year of the run has its staffing_metrics: its posts as the run
    projects them (awards, the post that ends at Christmas 2027), worked out again by staffcalc."""
    a = levy_run["a"]
    env, posts = run_posts(api, levy_run["ref"])
    mine = [p for p in posts if p.urn == OTHER]
    periods = {r[0]: (None if r[1] == "NULL" else int(r[1])) for r in sql_rows(
        f"SELECT p.reference, p.periods_taught FROM posts p JOIN schools s ON s.id = p.school_id "
        f"WHERE s.urn = '{OTHER}' AND p.deleted_at IS NULL")}
    school = expect(api.get(f"/api/v1/schools/{OTHER}", role="finance_director"), 200)
    assert school["staff_by_post"] is False
    seen = []
    for year in ("2026-27", "2027-28", "2028-29"):
        costs = [(p, staffcalc.cost_year(p, env, staffcalc.parse_year(year))) for p in mine]
        ps = [{"role": p.role, "fte_h": c.fte_h, "total": c.total, "periods_taught": periods[p.reference],
               "active": c.active_months > 0} for p, c in costs]
        y = year_of(a, OTHER, year)
        assert y["staffing_metrics"] == measures(ps, y["pupils"], y["expenditure_pence"],
                                                 school.get("periods_per_cycle")), year
        seen.append(y["staffing_metrics"]["teacher_fte_h"])
    assert seen[2] < seen[1]                 # the teacher who left at Christmas 2027 is not there in 2028-29


def test_the_central_teams_generated_levy_lines_take_the_levy(api, by_post):
    """The central team planning by post itself: its draft budget carries the levy and the employment
    allowance as two generated lines on E08; in the run the first of them is the levy + allowance of
    each forecast year from every entity's posts, the second 0; the typed E08 line keeps its driver."""
    sql("UPDATE schools SET staff_by_post = 1 WHERE urn = 'central'")
    try:
        budget = expect(api.get("/api/v1/schools/central/budgets/2026-27", role="finance_director"), 200)
        gen = [ln for ln in budget["lines"] if ln["account_code"] == "E08" and ln["source"] == "posts"]
        assert [ln["description"] for ln in gen] == ["Apprenticeship levy (from posts)",
                                                     "Employment allowance (from posts)"]
        f = run(api, by_post["id"])
    finally:
        sql("UPDATE schools SET staff_by_post = 0 WHERE urn = 'central'")
    env, scales = db_env()
    posts = db_posts(scales)
    for year in ("2027-28", "2028-29"):
        t = staffcalc.cost_trust(posts, env, staffcalc.parse_year(year))
        e08 = lines_of(f, "central", year, "E08")
        got = [ln["amount_pence"] for ln in e08 if ln["driver"] == "posts"]
        assert got == [t.levy + t.employment_allowance, 0], year
        assert [ln["driver"] for ln in e08 if ln["driver"] != "posts"] == ["inflation:cpi"], year

