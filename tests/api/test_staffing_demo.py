"""The demo trust's staffing, checked by an independent calculation (issue 16): the posts,
scales and rates the database holds are costed again by tests/api/staffcalc.py (Python,
exact fractions, no code shared with the daemon) and each entity's
GET /api/v1/schools/{urn}/staffing?year= must give the same pay, NI, pension, posts and FTE on
every code, to the penny, and the central team the same apprenticeship levy and employment
allowance, for 2025-26 (the year before the budget), 2026-27 and 2027-28 (a year after the
scales' data: the last values, increments going on). The seed itself: test_staffing_seed.py."""
import datetime

import pytest

import staffcalc as sc
from conftest import expect, sql_rows

YEARS = ("2025-26", "2026-27", "2027-28")
FD = "finance_director"


def db_env():
    """The scales, the on-cost rates and the LGPS rates the database holds."""
    rows = sql_rows("SELECT s.name, s.kind, p.year, p.point, p.ord, p.annual_pence FROM pay_scale_points p "
                    "JOIN pay_scales s ON s.id = p.scale_id ORDER BY s.name, p.ord, p.year")
    scales = {}
    for name, kind, year, point, _ord, annual in rows:
        s = scales.setdefault(name, sc.Scale(name, kind, [], {}))
        if point not in s.points:
            s.points.append(point)
        s.values[(int(year), point)] = int(annual)
    rates = [sc.Rates(*map(int, r)) for r in sql_rows(
        "SELECT tax_year, ni_bp, ni_threshold_pence, ni_upper_pence, tps_bp, levy_bp, levy_allowance_pence, "
        "employment_allowance_pence FROM staff_rates ORDER BY tax_year")]
    lgps = {(u, int(y)): int(bp) for u, y, bp in sql_rows(
        "SELECT s.urn, l.tax_year, l.rate_bp FROM lgps_rates l JOIN schools s ON s.id = l.school_id")}
    return sc.Env(rates=rates, lgps=lgps), scales


def db_posts(scales):
    """Every live post the database holds."""
    def date(s):
        return None if s == "NULL" else datetime.date.fromisoformat(s)
    out = []
    for r in sql_rows("SELECT s.urn, p.reference, a.code, p.role, c.name, p.point, p.top_point, p.point_year, p.fte_h, "
                      "p.paid_weeks_h, p.tlr_pence + p.sen_pence + p.fringe_pence + p.other_allowance_pence, "
                      "p.pension, p.ni_category, p.starts_on, p.ends_on, p.vacant FROM posts p "
                      "JOIN schools s ON s.id = p.school_id JOIN accounts a ON a.id = p.account_id "
                      "JOIN pay_scales c ON c.id = p.scale_id WHERE p.deleted_at IS NULL ORDER BY p.id"):
        out.append(sc.Post(urn=r[0], reference=r[1], code=r[2], role=r[3], scale=scales[r[4]], point=r[5],
                           top=None if r[6] == "NULL" else r[6], point_year=int(r[7]), fte_h=int(r[8]),
                           paid_weeks_h=None if r[9] == "NULL" else int(r[9]), allowances_pence=int(r[10]),
                           pension=r[11], ni_category=r[12], start=date(r[13]), end=date(r[14]),
                           vacant=r[15] == "1"))
    return out


@pytest.mark.parametrize("year", YEARS)
def test_every_entitys_staffing_matches_the_independent_costing(api, school_urns, year):
    env, scales = db_env()
    posts = db_posts(scales)
    assert len(posts) > 500
    trust = sc.cost_trust(posts, env, sc.parse_year(year))
    for urn in list(school_urns) + ["central"]:
        body = expect(api.get(f"/api/v1/schools/{urn}/staffing", role=FD, params={"year": year}), 200)
        assert body["urn"] == urn and body["year"] == year
        got = {ln["account_code"]: ln for ln in body["lines"]}
        want = {code: ln for (u, code), ln in trust.lines.items() if u == urn}
        assert set(got) == set(want), (urn, year)
        for code, ln in want.items():
            g = got[code]
            assert (g["pay_pence"], g["ni_pence"], g["pension_pence"], g["total_pence"], g["posts"], g["fte_h"]) == \
                (ln["pay"], ln["ni"], ln["pension"], ln["total"], ln["posts"], ln["fte_h"]), (urn, code, year)
        assert body["total_pence"] == sum(ln["total"] for ln in want.values())
        if urn == "central":
            assert (body["levy_pence"], body["employment_allowance_pence"]) == \
                (trust.levy, trust.employment_allowance), year
    if year == "2026-27":
        assert trust.employment_allowance == -1050000                 # used up in April
        assert 8000000 < trust.levy < 11000000                       # 0.5% of ~£20.9m less £15,000 a year


def get_all(api, path, **params):
    """Every item of a paged list ({items, next})."""
    out = []
    after = None
    while True:
        q = dict(params, limit=200)
        if after:
            q["after"] = after
        body = expect(api.get(path, role=FD, params=q), 200)
        out.extend(body["items"])
        after = body.get("next")
        if not after:
            return out


@pytest.mark.parametrize("year", YEARS)
def test_every_posts_twelve_months_match_the_independent_costing(api, school_urns, year):
    """Each post's cost as GET …/posts?year= gives it, month by month, against staffcalc fed with
    what the API gives: the pay scales, the on-cost rates, each entity's LGPS rates, the post."""
    scales = {}
    body = expect(api.get("/api/v1/pay-scales", role=FD), 200)
    for s in (body["items"] if isinstance(body, dict) else body):
        scales[s["name"]] = sc.scale_from_json(expect(api.get(f"/api/v1/pay-scales/{s['name']}", role=FD), 200))
    body = expect(api.get("/api/v1/staff-rates", role=FD), 200)
    rates = [sc.rates_from_json(r) for r in (body["items"] if isinstance(body, dict) else body)]
    entities = list(school_urns) + ["central"]
    lgps = {}
    for urn in entities:
        for r in expect(api.get(f"/api/v1/schools/{urn}/lgps-rates", role=FD), 200)["items"]:
            lgps[(urn, sc.parse_year(r["tax_year"]))] = r["rate_bp"]
    env = sc.Env(rates=rates, lgps=lgps)
    y = sc.parse_year(year)
    checked = 0
    for urn in entities:
        for j in get_all(api, f"/api/v1/schools/{urn}/posts", year=year):
            if j.get("deleted"):
                continue
            c = sc.cost_year(sc.post_from_json(j, scales), env, y)
            got = j["cost"]
            assert got["year"] == year
            assert got["months"] == [{"pay_pence": a, "ni_pence": b, "pension_pence": d} for a, b, d in c.months], \
                (urn, j["reference"], year)
            assert (got["pay_pence"], got["ni_pence"], got["pension_pence"], got["total_pence"]) == \
                (c.pay, c.ni, c.pension, c.total), (urn, j["reference"], year)
            checked += 1
    assert checked > 500
