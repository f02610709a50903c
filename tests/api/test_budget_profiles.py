"""Budget lines' monthly profiles (issue 17, README "Profiles"): every line of a budget as read
carries its twelve months (months_pence), exact, by the one rule: a generated staff line's posts'
monthly costing (frozen at submit), else the line's own weights, else its named profile, else its
account's default (`even` without one). Each split here is worked out again in Python (largest
remainders, ties to the earlier month) from the profiles the API lists."""
import csv
import io

import pytest

from conftest import error_fields, expect, problem, sql, sql_rows, sql_value
from test_budgets import get_budget, line, put_budget, url
from test_budgets_csv import export, import_csv

YEAR = "2026-27"
TEST_YEAR = "2071-72"          # no other test uses it
EVEN = [834] * 4 + [833] * 8
TERM = [947, 842, 1053, 790, 1000, 789, 1053, 684, 947, 1053, 842, 0]
DEFAULTS = {"I05": "quarterly_grant", "I08": "term_time", "I09": "term_time", "I12": "term_time",
            "E02": "term_time", "E26": "term_time", "E19": "term_time", "E25": "term_time", "E16": "heating",
            "E23": "annual_september"}


def split(amount, w):
    """The contract's split: floor(|amount| x w / 10000) each month, the pence left one each to the
    largest remainders (ties: the earlier month), the sign put back."""
    assert len(w) == 12 and sum(w) == 10000
    mag = abs(amount)
    fl = [mag * x // 10000 for x in w]
    rem = [mag * x % 10000 for x in w]
    left = mag - sum(fl)
    for i in sorted(range(12), key=lambda i: (-rem[i], i))[:left]:
        fl[i] += 1
    return [-v if amount < 0 else v for v in fl]


def profiles(api):
    body = expect(api.get("/api/v1/profiles", role="finance_director"), 200)
    return {p["name"]: p["weights_bp"] for p in body["items"]}


def entities():
    return [r[0] for r in sql_rows("SELECT urn FROM schools ORDER BY kind = 'central', urn")]


def test_split_by_hand():
    """The Python split agrees with the unit test's hand-worked figures."""
    assert split(100001, EVEN) == [8341, 8340, 8340, 8340] + [8330] * 8
    assert split(-100001, EVEN) == [-8341, -8340, -8340, -8340] + [-8330] * 8
    assert split(1001, TERM) == [95, 84, 106, 79, 100, 79, 105, 69, 95, 105, 84, 0]


def test_every_demo_line_splits_exactly(api):
    """Every line of every demo budget: twelve months summing to its amount, by its account's default."""
    ps = profiles(api)
    assert ps["even"] == EVEN and ps["term_time"] == TERM
    seen = 0
    for urn in entities():
        b, _ = get_budget(api, urn, YEAR)
        for l in b["lines"]:
            m = l["months_pence"]
            assert len(m) == 12 and sum(m) == l["amount_pence"], (urn, l)
            assert l["profile_source"] in ("line", "own", "account", "posts")
            if l["source"] == "posts":
                assert l["profile_source"] == "posts"
                continue
            if l["profile_bp"] is not None:
                assert l["profile_source"] == "own" and m == split(l["amount_pence"], l["profile_bp"])
            elif l["profile"] is not None:
                assert l["profile_source"] == "line" and m == split(l["amount_pence"], ps[l["profile"]])
            else:
                name = DEFAULTS.get(l["account_code"], "even")
                assert l["profile_source"] == "account" and m == split(l["amount_pence"], ps[name]), (urn, l)
            seen += 1
    assert seen > 200


def test_a_lines_own_weights_and_named_profile(api, first_urn):
    own = [1000] * 10 + [0, 0]
    lines = [line("I01", 90000001, "GAG"), line("E01", 55000000, "Teachers"),
             line("E12", 1234567, "Maintenance", profile_bp=own),
             line("E22", 100001, "Admin supplies", profile="annual_september"),
             line("E16", -999, "Energy rebate"),
             line("I05", 10000000, "Pupil premium", profile=None, profile_bp=None)]
    r = put_budget(api, first_urn, TEST_YEAR, lines)
    assert r.status_code in (200, 201), r.text
    b, etag = get_budget(api, first_urn, TEST_YEAR)
    by = {l["description"]: l for l in b["lines"] if not l["computed"]}
    ps = profiles(api)
    l = by["Maintenance"]
    assert l["profile"] is None and l["profile_bp"] == own and l["profile_source"] == "own"
    assert l["months_pence"] == split(1234567, own) and l["months_pence"][10:] == [0, 0]
    l = by["Admin supplies"]
    assert l["profile"] == "annual_september" and l["profile_bp"] is None and l["profile_source"] == "line"
    assert l["months_pence"] == [100001] + [0] * 11
    l = by["Energy rebate"]
    assert l["profile_source"] == "account" and l["months_pence"] == split(-999, ps["heating"])
    assert l["months_pence"][0] == -50 and sum(l["months_pence"]) == -999
    l = by["GAG"]
    assert l["months_pence"] == split(90000001, EVEN) and l["months_pence"][0] == 7506001
    assert by["Pupil premium"]["months_pence"] == [0, 2500000, 0, 0, 2500000, 0, 0, 2500000, 0, 0, 2500000, 0]
    # the GET's body PUT back changes nothing (profile_source and months_pence are read-only)
    before = int(b["version"])
    expect(put_budget(api, first_urn, TEST_YEAR, b["lines"], etag=etag), 200)
    b2, _ = get_budget(api, first_urn, TEST_YEAR)
    assert b2["version"] == before and b2["lines"] == b["lines"]


def test_profile_errors_are_422(api, first_urn):
    b, etag = get_budget(api, first_urn, TEST_YEAR)
    bad = [line("E12", 100, "a", profile="even", profile_bp=EVEN),
           line("E12", 100, "b", profile_bp=EVEN[:-1] + [832]),          # sums to 9999
           line("E12", 100, "c", profile_bp=EVEN[:-1]),                  # eleven
           line("E12", 100, "d", profile="no_such_profile"),
           line("E12", 100, "e", profile="Even")]
    for i, l in enumerate(bad):
        p = problem(put_budget(api, first_urn, TEST_YEAR, [l], etag=etag), 422)
        assert any(f.endswith("/profile_bp") or f.endswith("/profile") for f in error_fields(p)), (i, p)
    p = problem(put_budget(api, first_urn, TEST_YEAR, [bad[1]], etag=etag), 422)
    assert "9999" in str(p)
    b2, _ = get_budget(api, first_urn, TEST_YEAR)
    assert b2["version"] == b["version"]


def test_one_line_writes_carry_the_profile(api, first_urn):
    b, etag = get_budget(api, first_urn, TEST_YEAR)
    lines_url = url(first_urn, TEST_YEAR) + "/lines"
    r = api.post(lines_url, role="finance_director", json=line("E20", 120000, "ICT", profile="term_time"),
                 headers={"If-Match": etag})
    new = expect(r, 201)
    assert new["profile"] == "term_time" and new["profile_bp"] is None
    r = api.put(f"{lines_url}/{new['id']}", role="finance_director",
                json=line("E20", 120000, "ICT", profile_bp=[10000] + [0] * 11), headers={"If-Match": r.headers["ETag"]})
    upd = expect(r, 200)
    assert upd["profile"] is None and upd["profile_bp"] == [10000] + [0] * 11
    r = api.put(f"{lines_url}/{new['id']}", role="finance_director",
                json=line("E20", 120000, "ICT", profile="nope"), headers={"If-Match": r.headers["ETag"]})
    assert "/profile" in error_fields(problem(r, 422))
    b2, _ = get_budget(api, first_urn, TEST_YEAR)
    l = [x for x in b2["lines"] if x["id"] == new["id"]][0]
    assert l["months_pence"] == [120000] + [0] * 11 and l["profile_source"] == "own"


def test_csv_round_trip_of_the_profile_column(api, first_urn):
    """The export's last column is the line's profile (a name, its weights by spaces, or empty);
    imported as another year's budget the lines keep them, and that exports the same bytes."""
    original = export(api, first_urn, TEST_YEAR).content
    text = original.decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0][-1] == "profile"
    by = {r[3]: r[-1] for r in rows[1:]}
    assert by["Maintenance"] == " ".join(["1000"] * 10 + ["0", "0"])
    assert by["Admin supplies"] == "annual_september" and by["GAG"] == ""
    year = "2076-77"
    b = expect(import_csv(api, first_urn, year, original), 201)
    src, _ = get_budget(api, first_urn, TEST_YEAR)
    keep = ("account_code", "description", "amount_pence", "profile", "profile_bp", "profile_source", "months_pence")
    typed = lambda ls: [{k: l[k] for k in keep} for l in ls if not l["computed"]]
    assert typed(b["lines"]) == typed(src["lines"])
    assert export(api, first_urn, year).content == original
    # a file without the column imports as before (no profile: the accounts' defaults)
    r = import_csv(api, first_urn, "2077-78", "code,description,amount\nI01,GAG,1000.00\nE16,Energy,120.00\n")
    b = expect(r, 201)
    energy = [l for l in b["lines"] if l["description"] == "Energy"][0]
    assert energy["profile"] is None and energy["profile_source"] == "account"
    assert energy["months_pence"] == split(12000, profiles(api)["heating"])
    # a bad profile cell is its row's error; an unknown name the line's
    p = problem(import_csv(api, first_urn, "2078-79", "code,description,amount,profile\n"
                           "I01,GAG,1000.00,\nE16,Energy,120.00,1 2 3\n"), 422)
    assert "row 3, profile" in error_fields(p)
    p = problem(import_csv(api, first_urn, "2078-79", "code,description,amount,profile\n"
                           "I01,GAG,1000.00,no_such\n"), 422)
    assert "/lines/0/profile" in error_fields(p)
    assert api.get(url(first_urn, "2078-79"), role="finance_director").status_code == 404


@pytest.fixture
def by_post(api):
    """159901 and the central team plan by post for a moment (their seeded posts, 070_staffing.sql)."""
    urns = ("159901", "central")
    sql("UPDATE schools SET staff_by_post = 1 WHERE urn IN ('159901', 'central')")
    try:
        yield urns
    finally:
        sql("UPDATE schools SET staff_by_post = 0 WHERE urn IN ('159901', 'central')")


def posts_months(api, urn, year):
    """{account_code: [12 x pay + NI + pension]} over urn's posts costed for year."""
    out, after = {}, None
    while True:
        params = {"year": year, "limit": 100}
        if after:
            params["after"] = after
        body = expect(api.get(f"/api/v1/schools/{urn}/posts", role="finance_director", params=params), 200)
        for p in body["items"]:
            m = out.setdefault(p["account_code"], [0] * 12)
            for i, mo in enumerate(p["cost"]["months"]):
                m[i] += mo["pay_pence"] + mo["ni_pence"] + mo["pension_pence"]
        after = body["next"]
        if not after:
            return out


def test_a_generated_staff_lines_months_are_its_posts(api, by_post):
    for urn in by_post:
        want = posts_months(api, urn, YEAR)
        b, _ = get_budget(api, urn, YEAR)
        gen = [l for l in b["lines"] if l["source"] == "posts"]
        assert gen, urn
        for l in gen:
            assert l["profile_source"] == "posts" and sum(l["months_pence"]) == l["amount_pence"]
            if l["staff"] is not None:
                assert l["months_pence"] == want[l["account_code"]], (urn, l["account_code"])
        if urn == "central":
            levy = [l for l in gen if l["staff"] is None]
            assert levy and all(l["account_code"] == "E08" for l in levy)
