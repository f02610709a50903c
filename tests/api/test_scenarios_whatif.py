"""What-ifs (issue 15, item 5; DESIGN.md "What-ifs never touch live data"): a scenario's
finance-model and plugin-setting overrides and management actions, a what-if made in one call
(POST /api/v1/scenarios with copy_from and its merge rules), a run of it that changes no live
data (no school row, no configuration, no audit row but the run's own) and whose figures move
the way the overrides say, and bad what-ifs refused with their JSON Pointers."""
import hashlib
import json

import pytest

from conftest import CONF, audit_max, expect, problem, sql, sql_rows, sql_value, unchanged

URL = "/api/v1/scenarios"
RUNS = "/api/v1/forecasts"
SCENARIOS_Q = "SELECT id, name, version, deleted_at, spec_json FROM scenarios ORDER BY id"
SCHOOLS_Q = "SELECT urn, finance_model, version, updated_at FROM schools ORDER BY urn"
SOUTHEND = ("159907", "159908", "159909")


def scenario_id(name):
    return int(sql_value(f"SELECT id FROM scenarios WHERE name = '{name}' AND deleted_at IS NULL"))


def create(api, body):
    return api.post(URL, role="finance_director", json=body)


def run(api, sid, horizon=2):
    return api.post(RUNS, role="finance_director", params={"lines": "true"},
                    json={"scenario": sid, "horizon": horizon})


def by_code(f, urn, year):
    """{account_code: pence} of one entity's year in a run with its lines."""
    ent = [e for e in f["entities"] if e["urn"] == urn][0]
    yr = [y for y in ent["years"] if y["year"] == year][0]
    out = {}
    for ln in yr["lines"]:
        out[ln["account_code"]] = out.get(ln["account_code"], 0) + ln["amount_pence"]
    return out


def round_bp(pence, bp):
    """round(pence × bp / 10000), half away from zero (pence >= 0 here)."""
    return (pence * bp * 2 + 10000) // 20000


def pool(f, year):
    """The pot (every INT03 paid) and what went back (every INT05) in a run's year."""
    pot = alloc = 0
    for e in f["entities"]:
        if e["urn"] == "central":
            continue
        c = by_code(f, e["urn"], year)
        pot += c.get("INT03", 0)
        alloc += c.get("INT05", 0)
    return pot, alloc


def config_state(api):
    return (hashlib.sha256(CONF.read_bytes()).hexdigest(),
            expect(api.get("/api/v1/plugins", role="finance_director"), 200))


@pytest.fixture(scope="module")
def whatif(api):
    """Expected, with Samphire Infant pooled and the central plugin retaining 5%, in one call."""
    r = create(api, {"copy_from": scenario_id("expected"), "name": "pytest what-if pooled",
                     "overrides": {"finance_model": {"159907": "central"},
                                   "plugin_settings": {"central": {"retention_bp": 500}}}})
    return expect(r, 201)


def test_copy_in_one_call(api, whatif):
    exp = expect(api.get(f"{URL}/{scenario_id('expected')}", role="finance_director"), 200)
    w = whatif
    assert w["name"] == "pytest what-if pooled" and w["version"] == 1 and w["id"] != exp["id"]
    for k in ("description", "base_year", "horizon", "assumptions", "pupils", "places", "actions"):
        assert w[k] == exp[k], k
    # an integer setting is kept as its decimal text
    assert w["overrides"] == {"finance_model": {"159907": "central"},
                              "plugin_settings": {"central": {"retention_bp": "500"}}}
    assert expect(api.get(f"{URL}/{w['id']}", role="auditor"), 200) == w
    assert sql_value(f"SELECT action FROM audit_log WHERE entity = 'scenario' AND entity_id = '{w['id']}'") == "create"


def test_a_whatif_run_leaves_live_data_alone(api, whatif):
    schools = sql(SCHOOLS_Q)
    config = config_state(api)
    a0 = audit_max()
    f = expect(run(api, whatif["id"]), 201)
    # the audit log has the run's row and nothing else; no school record and no setting moved
    assert sql_rows(f"SELECT action, entity, entity_id FROM audit_log WHERE id > {a0} ORDER BY id") == \
        [["run", "forecast", str(f["id"])]]
    assert sql(SCHOOLS_Q) == schools
    assert config_state(api) == config
    assert sql_value("SELECT finance_model FROM schools WHERE urn = '159907'") == "local"
    # the run records the models and settings it used
    inputs = json.loads(sql_value(f"SELECT inputs_json FROM forecast_runs WHERE id = {f['id']}"))
    models = {e["urn"]: e["model"] for e in inputs["entities"]}
    assert models["159907"] == "central" and models["159908"] == "local" and models["159901"] == "central"
    settings = {p["name"]: p["settings"] for p in inputs["plugins"]}
    assert settings["central"]["retention_bp"] == "500"
    assert settings["central"]["lump_sum_pence"] == "5000000"      # the config's, merged under
    assert inputs["scenario"]["spec"]["overrides"] == whatif["overrides"]
    assert {p["name"]: p["settings"] for p in f["plugins"]}["central"]["retention_bp"] == "500"


def test_whatif_figures_follow_the_overrides(api, whatif):
    live = expect(run(api, scenario_id("expected")), 201)
    f = expect(run(api, whatif["id"]), 201)
    assert f["digest"] != live["digest"]
    # the same what-if again: the same digest (the overrides are inputs like any other)
    assert expect(run(api, whatif["id"]), 201)["digest"] == f["digest"]
    for year in ("2027-28", "2028-29"):
        a, b = by_code(live, "159907", year), by_code(f, "159907", year)
        # top-sliced live: pays INT01; pooled in the what-if: pools its GAG (INT03), gets INT05
        assert a.get("INT01", 0) > 0 and "INT03" not in a and "INT05" not in a
        assert "INT01" not in b and b["INT03"] > 0 and b["INT05"] > 0
        # its neighbours keep their models
        assert by_code(f, "159908", year).get("INT01", 0) > 0
        # the trust retains 6% of the pot live, 5% in the what-if (its setting), to the penny
        pot, alloc = pool(live, year)
        assert pot - alloc == round_bp(pot, 600)
        pot, alloc = pool(f, year)
        assert pot - alloc == round_bp(pot, 500)
    # the base year is each budget as it reads: the same in both
    def base(run_):
        return [y for e in run_["entities"] if e["urn"] == "159907" for y in e["years"] if y["year"] == "2026-27"]
    assert base(live) == base(f) and len(base(f)) == 1


def test_bad_plugin_setting_is_422_with_the_plugins_message(api):
    base = {"copy_from": scenario_id("expected"), "name": "pytest bad setting"}
    cases = [
        ({"central": {"retention_bp": "20000"}}, "/overrides/plugin_settings/central", "retention_bp: must be an integer 0..10000"),
        ({"central": {"colour": "red"}}, "/overrides/plugin_settings/central", 'unknown setting "colour"'),
        ({"local": {"topslice_bp": "-1"}}, "/overrides/plugin_settings/local", "topslice_bp"),
        ({"nosuch": {"x": "1"}}, "/overrides/plugin_settings/nosuch", "no plugin of this name is loaded"),
    ]
    for settings, field, message in cases:
        with unchanged(SCENARIOS_Q):
            p = problem(create(api, dict(base, overrides={"plugin_settings": settings})), 422, "validation")
        msgs = {e["field"]: e["message"] for e in p["errors"]}
        assert field in msgs and message in msgs[field], p


def test_refused_at_run_time_too(api, whatif):
    """A stored setting the plugin no longer takes (say, the config changed under it) refuses the run."""
    r = create(api, {"copy_from": whatif["id"], "name": "pytest what-if stale setting"})
    sid = expect(r, 201)["id"]
    spec = json.loads(sql_value(f"SELECT spec_json FROM scenarios WHERE id = {sid}"))
    spec["overrides"]["plugin_settings"]["central"]["retention_bp"] = "12000"
    text = json.dumps(spec).replace("'", "''")
    sql(f"UPDATE scenarios SET spec_json = '{text}' WHERE id = {sid}")
    saved = "SELECT COUNT(*) FROM forecast_runs"
    with unchanged(saved, SCHOOLS_Q):
        p = problem(run(api, sid), 422, "validation")
    assert any(e["field"] == "/overrides/plugin_settings/central" and "retention_bp" in e["message"]
               for e in p["errors"]), p


def test_copy_from_merge_rules(api, whatif):
    # assumptions: assumption by assumption (a map given replaces the source's whole), inflation index by index
    r = create(api, {"copy_from": whatif["id"], "name": "pytest merge",
                     "assumptions": {"teacher_pay_bp": {"2027-28": 400}, "inflation_bp": {"cpi": {"2027-28": 500}}},
                     "overrides": {"finance_model": {"159907": None, "159908": "central"},
                                   "plugin_settings": {"central": {"lump_sum_pence": 4000000},
                                                       "local": {"topslice_bp": "450"}}},
                     "actions": [{"type": "line", "entity": "159901", "account_code": "E02", "from": "2027-09-01",
                                  "annual_pence": -4000000, "note": "Cut agency supply"}],
                     "horizon": 3})
    m = expect(r, 201)
    src = whatif
    assert m["assumptions"]["teacher_pay_bp"] == {"2027-28": 400}
    assert m["assumptions"]["funding_per_pupil_bp"] == src["assumptions"]["funding_per_pupil_bp"]
    assert m["assumptions"]["inflation_bp"]["cpi"] == {"2027-28": 500}
    assert m["assumptions"]["inflation_bp"]["nlw"] == src["assumptions"]["inflation_bp"]["nlw"]
    assert m["assumptions"]["inflation_bp"]["energy"] == src["assumptions"]["inflation_bp"]["energy"]
    # finance models school by school (null removes), settings plugin by plugin and key by key
    assert m["overrides"]["finance_model"] == {"159908": "central"}
    assert m["overrides"]["plugin_settings"] == {"central": {"lump_sum_pence": "4000000", "retention_bp": "500"},
                                                 "local": {"topslice_bp": "450"}}
    # any other member replaces
    assert m["horizon"] == 3 and m["pupils"] == src["pupils"] and m["description"] == src["description"]
    assert m["actions"] == [{"type": "line", "entity": "159901", "account_code": "E02", "from": "2027-09-01",
                             "to": None, "annual_pence": -4000000, "note": "Cut agency supply"}]
    # the source is untouched
    assert expect(api.get(f"{URL}/{src['id']}", role="auditor"), 200) == src
    # a run of it records the actions with the scenario
    f = expect(api.post(RUNS, role="finance_director", params={"lines": "false"},
                        json={"scenario": m["id"], "horizon": 1}), 201)
    inputs = json.loads(sql_value(f"SELECT inputs_json FROM forecast_runs WHERE id = {f['id']}"))
    assert inputs["scenario"]["spec"]["actions"] == m["actions"]
    models = {e["urn"]: e["model"] for e in inputs["entities"]}
    assert models["159907"] == "local" and models["159908"] == "central"


def test_copy_from_errors(api, whatif):
    with unchanged(SCENARIOS_Q):
        p = problem(create(api, {"copy_from": 999999, "name": "pytest nothing"}), 422, "validation")
        assert "/copy_from" in [e["field"] for e in p["errors"]]
        p = problem(create(api, {"copy_from": "expected", "name": "pytest nothing"}), 422, "validation")
        assert "/copy_from" in [e["field"] for e in p["errors"]]
        # the copy needs its own name
        problem(create(api, {"copy_from": whatif["id"]}), 422, "validation")
        problem(create(api, {"copy_from": whatif["id"], "name": whatif["name"]}), 409)
        # PUT takes no copy_from
        g = api.get(f"{URL}/{whatif['id']}", role="finance_director")
        p = problem(api.put(f"{URL}/{whatif['id']}", role="finance_director", json=dict(expect(g, 200), copy_from=1),
                            headers={"If-Match": g.headers["ETag"]}), 422, "validation")
        assert "/copy_from" in [e["field"] for e in p["errors"]]


def whatif_body(**kw):
    b = {"name": "pytest bad what-if", "base_year": "2026-27",
         "overrides": {"finance_model": {"159907": "central"}, "plugin_settings": {}},
         "actions": [{"type": "line", "entity": "159901", "account_code": "E02", "from": "2027-09-01",
                      "to": None, "annual_pence": -4000000, "note": "Cut agency supply"}]}
    b.update(kw)
    return b


def act(**kw):
    a = {"type": "line", "entity": "159901", "account_code": "E02", "from": "2027-09-01", "to": None,
         "annual_pence": -4000000, "note": "Cut agency supply"}
    a.update(kw)
    return {"actions": [a]}


@pytest.mark.parametrize("patch, field", [
    ({"overrides": {"finance_model": {"999999": "central"}}}, "/overrides/finance_model/999999"),
    ({"overrides": {"finance_model": {"central": "central"}}}, "/overrides/finance_model/central"),
    ({"overrides": {"finance_model": {"15990": "central"}}}, "/overrides/finance_model/15990"),
    ({"overrides": {"finance_model": {"159907": "nosuch"}}}, "/overrides/finance_model/159907"),
    ({"overrides": {"finance_model": {"159907": 3}}}, "/overrides/finance_model/159907"),
    ({"overrides": {"finance_model": []}}, "/overrides/finance_model"),
    ({"overrides": {"plugin_settings": {"central": {"retention_bp": True}}}}, "/overrides/plugin_settings/central/retention_bp"),
    ({"overrides": {"plugin_settings": {"central": {"retention_bp": 2.5}}}}, "/overrides/plugin_settings/central/retention_bp"),
    ({"overrides": {"plugin_settings": {"central": {"bad key": "1"}}}}, "/overrides/plugin_settings/central/bad key"),
    ({"overrides": {"plugin_settings": {"central": "500"}}}, "/overrides/plugin_settings/central"),
    ({"overrides": {"colour": {}}}, "/overrides/colour"),
    ({"overrides": []}, "/overrides"),
    ({"actions": {}}, "/actions"),
    (act(type="post_move"), "/actions/0/type"),
    (act(entity="999999"), "/actions/0/entity"),
    (act(entity="trust"), "/actions/0/entity"),
    (act(account_code="INT01"), "/actions/0/account_code"),
    (act(account_code="Z99"), "/actions/0/account_code"),
    (act(**{"from": "2027-13-01"}), "/actions/0/from"),
    (act(to="2027-08-31"), "/actions/0/to"),
    (act(annual_pence=100000000001), "/actions/0/annual_pence"),
    (act(annual_pence=-100000000001), "/actions/0/annual_pence"),
    (act(note=""), "/actions/0/note"),
    (act(note="x" * 201), "/actions/0/note"),
    (act(note="=HYPERLINK(1)"), "/actions/0/note"),
    (act(colour="red"), "/actions/0/colour"),
])
def test_bad_whatifs_are_422(api, patch, field):
    b = whatif_body(**patch)
    with unchanged(SCENARIOS_Q):
        p = problem(create(api, b), 422, "validation")
    assert field in [e["field"] for e in p["errors"]], p


def test_whatif_bounds_accepted(api):
    b = whatif_body(name="pytest what-if bounds", **act(annual_pence=100000000000, entity="central",
                                                          account_code="E14", to="2029-08-31", note="x" * 200))
    s = expect(create(api, b), 201)
    assert s["actions"][0]["annual_pence"] == 100000000000 and s["actions"][0]["to"] == "2029-08-31"
    # GET-modify-PUT keeps them
    g = api.get(f"{URL}/{s['id']}", role="finance_director")
    u = expect(api.put(f"{URL}/{s['id']}", role="finance_director", json=dict(expect(g, 200), horizon=4),
                       headers={"If-Match": g.headers["ETag"]}), 200)
    assert u["actions"] == s["actions"] and u["overrides"] == s["overrides"] and u["version"] == 2
