"""The demo trust's staffing seed (issue 16): 070_staffing.sql is what
schema/seed/gen_staffing.py writes, every post it seeds is in the database, the scales and
rates hold the published values where there are some, and each entity's 2026-27 posts
cost, by tests/api/staffcalc.py, within 3% of its budget's staff lines (README "The demo
trust" has the table). test_staffing_demo.py checks bursard's own costing of them."""
import sys

from conftest import ROOT, sql_rows

sys.path.insert(0, str(ROOT / "schema" / "seed"))
import gen_staffing  # noqa: E402


def test_the_seed_is_what_the_generator_writes_and_is_loaded(seeded):
    scales, lgps, env, targets, ents = gen_staffing.build()
    text = gen_staffing.sql(scales, lgps, env, targets, ents)
    assert (ROOT / "schema" / "seed" / "070_staffing.sql").read_text() == text, \
        "070_staffing.sql differs from what gen_staffing.py writes: run python3 schema/seed/gen_staffing.py"
    held = {(r[0], r[1]) for r in sql_rows("SELECT s.urn, p.reference FROM posts p JOIN schools s ON s.id = p.school_id")}
    seeded_posts = {(e.urn, p.reference) for e in ents for p, _x in e.rows}
    assert len(seeded_posts) > 500
    assert seeded_posts <= held, sorted(seeded_posts - held)[:10]
    assert {r[0] for r in sql_rows("SELECT name FROM pay_scales")} >= set(scales)
    # (the LGPS rates are not checked here: the API tests before this one may replace an entity's list)
    for urn, code, budget, cost, pct in gen_staffing.table(env, targets, ents):
        assert budget > 0 and abs(pct) < 3, (urn, code, budget, cost, pct)


def value(scale, year, point):
    rows = sql_rows("SELECT p.annual_pence FROM pay_scale_points p JOIN pay_scales s ON s.id = p.scale_id "
                    f"WHERE s.name = '{scale}' AND p.year = {year} AND p.point = '{point}'")
    return int(rows[0][0]) if rows else None


def test_the_seeded_scales_and_rates_are_the_published_ones(seeded):
    assert [value("teachers_main_england", 2025, f"M{i}") for i in range(1, 7)] == \
        [3291600, 3482300, 3710100, 3955600, 4205700, 4535200]
    assert value("teachers_main_inner_london", 2025, "M1") == 4031700
    assert value("teachers_main_inner_london", 2025, "M6") == 5230000
    assert value("teachers_main_inner_london", 2026, "M1") == 4172800            # 40,317 x 1.035 to the pound
    assert value("teachers_upper_inner_london", 2025, "U3") == 6249600
    assert value("teachers_leadership_england", 2025, "L43") == 14379600
    assert value("teachers_leadership_inner_london", 2025, "L1") == 6155400
    assert value("teachers_unqualified_england", 2026, "UQ1") == 2373100         # 22,601 x 1.05
    assert value("njc", 2025, "2") == 2441300 and value("njc", 2026, "2") is None  # point 2 deleted April 2026
    assert value("njc", 2025, "43") == 5449500
    assert sql_rows("SELECT tax_year, ni_bp, ni_threshold_pence, ni_upper_pence, tps_bp, levy_bp, "
                    "levy_allowance_pence, employment_allowance_pence FROM staff_rates "
                    "WHERE tax_year IN (2025, 2026) ORDER BY tax_year") == \
        [[str(y), "1500", "500000", "5027000", "2868", "50", "1500000", "1050000"] for y in (2025, 2026)]
    # the levy and the allowance of the seeded trust, by the independent costing
    scales, lgps, env, targets, ents = gen_staffing.build()
    t = gen_staffing.sc.cost_trust([p for e in ents for p, _x in e.rows], env, 2026)
    assert t.employment_allowance == -1050000                   # used up in April 2027
    assert 8000000 < t.levy < 11000000                          # 0.5% of ~£20.9m less £15,000
